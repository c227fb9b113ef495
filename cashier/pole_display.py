"""The LED pole display (客显): the common command set over a serial port or TCP. Qt-free.

Commands (the 客显 set most pole displays understand, 2400 baud 8N1 by default):
- ``ESC @`` (1B 40) initialize — sent once after each (re)connect;
- ``0C`` clear;
- ``ESC s n`` (1B 73 n) lamp: ``'0'`` off, ``'1'`` 单价, ``'2'`` 总计, ``'3'`` 收款, ``'4'`` 找零;
- ``ESC Q A <digits and '.'> CR`` (1B 51 41 … 0D) show a number of up to 8 characters.

What is shown (``frame_for``): 总计 with the total due once an account is selected, 收款 with the amount
received, 找零 with the change after the payment (收款 again when there is no change), cleared (lamp off)
when the sale ends. Amounts are yuan with two decimals ("1234.56"); an amount of ￥100,000.00 or more
does not fit 8 characters with its decimals: it is shown in whole yuan, the fen dropped ("123456" for
￥123,456.78) — the screen and the receipt carry the exact figure, and a pole that rounded up would
show more than is owed. Above 99,999,999 yuan nothing fits: the number is cleared, the lamp stays.

The worker (``PoleDisplay``): one background thread and a one-slot queue — the latest frame wins, older
ones are dropped unsent; connect and write have short timeouts; a display that does not answer is
retried with the latest frame every few seconds and reported through ``on_status(ok, reason)`` (the UI
shows it in the status bar). The counter only calls ``show(view)``, which never blocks.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Callable

from cashier.customer_side import CustomerView, Stage
from cashier.errors import ConfigError
from cashier.i18n import translate
from cashier.printer_uri import PrinterTarget, parse_printer_uri

log = logging.getLogger(__name__)

ESC = b"\x1b"
INIT = ESC + b"@"
CLEAR = b"\x0c"
LAMP_OFF, LAMP_PRICE, LAMP_TOTAL, LAMP_RECEIVED, LAMP_CHANGE = b"0", b"1", b"2", b"3", b"4"
MAX_CHARS = 8
TIMEOUT_SECONDS = 1.0  # connect and write: a pole display answers at once or not at all
RETRY_SECONDS = 3.0


def parse_pole_uri(uri: str) -> PrinterTarget | None:
    """``off`` → None; ``serial://…`` or ``tcp://host:port`` (the printers' schemes) → the target."""
    text = (uri or "").strip()
    if text.lower() in ("off", ""):
        return None
    target = parse_printer_uri(text)
    if target.kind not in ("serial", "tcp"):
        raise ConfigError("pole.bad_uri", uri=uri)
    return target


def pole_number(fen: int) -> bytes:
    """The digits for ``ESC Q A``: "1234.56"; whole yuan when that is longer than 8; b"" when nothing fits."""
    yuan, cents = divmod(max(0, fen), 100)
    text = f"{yuan}.{cents:02d}"
    if len(text) > MAX_CHARS:
        text = str(yuan)
    if len(text) > MAX_CHARS:
        return b""
    return text.encode("ascii")


def show_number(lamp: bytes, fen: int) -> bytes:
    return ESC + b"s" + lamp + ESC + b"QA" + pole_number(fen) + b"\r"


def frame_for(view: CustomerView) -> bytes:
    """The bytes that make the pole show ``view`` (after the connect's ``ESC @``)."""
    if view.stage in (Stage.SELECTED, Stage.PASSWORD) or (view.stage is Stage.TENDERED and not view.received_fen):
        return CLEAR + show_number(LAMP_TOTAL, view.due_fen)
    if view.stage is Stage.TENDERED:
        return CLEAR + show_number(LAMP_RECEIVED, view.received_fen)
    if view.stage is Stage.PAID:
        if view.change_fen:
            return CLEAR + show_number(LAMP_CHANGE, view.change_fen)
        return CLEAR + show_number(LAMP_RECEIVED, view.received_fen)
    return CLEAR + ESC + b"s" + LAMP_OFF  # idle, rating: nothing of anyone's money


class _Link:
    """One open connection to the display."""

    def __init__(self, target: PrinterTarget, timeout: float) -> None:
        self.target = target
        if target.kind == "tcp":
            self.sock = socket.create_connection((target.host, target.port), timeout=timeout)
            self.port = None
        else:
            import serial  # pyserial, as the printers

            self.sock = None
            self.port = serial.Serial(target.path, target.baudrate, timeout=timeout, write_timeout=timeout)

    def send(self, data: bytes) -> None:
        if self.sock is not None:
            self.sock.sendall(data)
        else:
            self.port.write(data)
            self.port.flush()

    def close(self) -> None:
        try:
            (self.sock or self.port).close()
        except Exception:  # noqa: BLE001 - closing a dead link
            pass


class PoleDisplay:
    """The pole display's worker: ``show(view)`` hands over the latest state; a thread sends it."""

    def __init__(self, uri: str, on_status: Callable[[bool, str], None] | None = None, *,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.uri = uri
        self.timeout = timeout
        self.attempting = False  # the worker is connecting or writing now (a dead display: until the timeout)
        self.target = parse_pole_uri(uri)
        self.on_status = on_status
        self.ok: bool | None = None  # None: nothing sent yet
        self.sent = 0  # frames delivered (for tests and the bench)
        self._pending: bytes | None = None
        self._cond = threading.Condition()
        self._closing = False
        self._link: _Link | None = None
        self._thread: threading.Thread | None = None
        if self.target is not None:
            self._thread = threading.Thread(target=self._run, name="pole-display", daemon=True)
            self._thread.start()

    def show(self, view: CustomerView) -> None:
        """Never blocks: the frame replaces any frame not sent yet."""
        if self.target is None:
            return
        with self._cond:
            self._pending = frame_for(view)
            self._cond.notify()

    def close(self, wait: float = 0.0) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify()
        if wait and self._thread is not None:
            self._thread.join(wait)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closing:
                    self._cond.wait()
                if self._pending is None:  # closing, and the last frame (the idle one) went out
                    break
                frame, self._pending = self._pending, None
            try:
                self.attempting = True
                if self._link is None:
                    self._link = _Link(self.target, self.timeout)
                    self._link.send(INIT)
                self._link.send(frame)
            except Exception as exc:  # noqa: BLE001 - OSError, serial.SerialException: a display not answering
                if self._link is not None:
                    self._link.close()
                    self._link = None
                self.attempting = False
                self._status(False, getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
                with self._cond:
                    if self._closing:
                        break  # retry with the latest frame (a newer one, if one came meanwhile)
                    if self._pending is None:
                        self._pending = frame
                    self._cond.wait(RETRY_SECONDS)
                continue
            self.attempting = False
            self.sent += 1
            self._status(True, "")
        if self._link is not None:
            self._link.close()

    def _status(self, ok: bool, reason: str) -> None:
        if ok == self.ok:
            return
        self.ok = ok
        if not ok:
            log.warning("pole display %s not answering: %s", self.uri, reason)
        if self.on_status is not None:
            try:
                self.on_status(ok, translate("pole.ok", uri=self.uri) if ok
                               else translate("pole.not_answering", uri=self.uri, reason=reason))
            except Exception:  # noqa: BLE001
                log.exception("pole display status listener failed")
