"""Sending a finished ESC/POS job to the printer named by a URI (see ``cashier.printer_uri``).

Network printers (port 9100) are read, not believed: before the job their real-time status
(``DLE EOT 1``, and when offline its causes ``DLE EOT 2`` and ``3``) and roll sensor
(``DLE EOT 4``), after it the status again, so an offline printer, an open cover, a paper end,
a cutter or other error is caught before printing, and "the printer took the job" is known
rather than hoped. Every status byte must carry the fixed bits ESC/POS gives it (bit 0 = 0,
bit 1 = 1, bit 4 = 1, bit 7 = 0): a peer answering anything else (a web proxy's "HTTP/1.1 …")
is not a printer. Paper near end prints and comes back as a warning. Every failure is a
``PrintError`` with a message key; nothing here retries: the print queue decides.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from cashier import private
from cashier.errors import CashierError
from cashier.printer_uri import PrinterTarget, parse_printer_uri

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_ERROR_CAUSE = b"\x10\x04\x03"
DLE_EOT_PAPER = b"\x10\x04\x04"
FIXED_MASK, FIXED_BITS = 0x93, 0x12  # every real-time status byte: bits 1 and 4 set, bits 0 and 7 clear
OFFLINE = 0x08  # DLE EOT 1, bit 3
COVER_OPEN, FEEDING, PAPER_STOP, ERROR = 0x04, 0x08, 0x20, 0x40  # DLE EOT 2: bits 2, 3, 5, 6
CUTTER_ERROR, UNRECOVERABLE, AUTO_RECOVERABLE = 0x08, 0x20, 0x40  # DLE EOT 3: bits 3, 5, 6
NEAR_END_BITS, PAPER_END_BITS = 0x0C, 0x60  # DLE EOT 4: bits 2-3 paper near end, bits 5-6 paper end


class PrintError(CashierError):
    """The job did not reach the printer (or its arrival cannot be confirmed)."""

    def __init__(self, key: str, *, confirmed_not_printed: bool = True, **params: object) -> None:
        super().__init__(key, **params)
        self.confirmed_not_printed = confirmed_not_printed


@dataclass(frozen=True)
class SendResult:
    bytes_sent: int
    status_checked: bool  # the printer answered a status request after the job
    warnings: tuple[str, ...] = ()  # message keys of states that did not stop printing (paper near end)


@dataclass(frozen=True)
class PrinterState:
    """What a printer said of itself (DLE EOT 1-4); None for a question it did not answer."""

    status: int | None = None
    offline_cause: int | None = None
    error_cause: int | None = None
    paper: int | None = None

    @property
    def offline(self) -> bool:
        return self.status is not None and bool(self.status & OFFLINE)

    @property
    def near_end(self) -> bool:
        return self.paper is not None and self.paper & NEAR_END_BITS == NEAR_END_BITS

    def problem(self) -> str | None:
        """The message key of what keeps it from printing, the most specific first; None when ready."""
        cause, error, paper = self.offline_cause or 0, self.error_cause or 0, self.paper or 0
        if cause & COVER_OPEN:
            return "printer.cover_open"
        if paper & PAPER_END_BITS == PAPER_END_BITS or cause & PAPER_STOP:
            return "printer.paper_out"
        if error & CUTTER_ERROR:
            return "printer.cutter_error"
        if error & UNRECOVERABLE:
            return "printer.unrecoverable"
        if error & AUTO_RECOVERABLE or cause & ERROR:
            return "printer.recoverable_error"
        if cause & FEEDING:
            return "printer.feeding"
        if self.offline:
            return "printer.offline"
        return None


def send(uri: str, job: bytes, timeout: float = 5.0) -> SendResult:
    target = parse_printer_uri(uri)
    if target.kind == "preview":
        return SendResult(len(job), True)
    if target.kind == "tcp":
        return _send_tcp(target, job, timeout)
    if target.kind == "file":
        return _send_file(target, job)
    if target.kind == "serial":
        return _send_serial(target, job, timeout)
    return _send_escpos_driver(target, job)


def _read_status(sock: socket.socket, request: bytes, timeout: float, where: str, *, sent: bool) -> int | None:
    """One status byte, checked for ESC/POS's fixed bits; None when the printer does not answer in time
    (some do not). ``sent``: the job went out already (so a failure now leaves its paper uncertain)."""
    sock.sendall(request)
    sock.settimeout(timeout)
    try:
        data = sock.recv(1)
    except socket.timeout:
        return None
    if not data:
        raise PrintError("printer.dropped", where=where, confirmed_not_printed=False)
    if data[0] & FIXED_MASK != FIXED_BITS:
        raise PrintError("printer.not_a_printer", where=where, byte=f"{data[0]:02X}", confirmed_not_printed=not sent)
    return data[0]


def read_state(sock: socket.socket, timeout: float, where: str, *, sent: bool) -> PrinterState:
    """The printer's status; when it says offline, why (cover, paper, cutter, errors); and its roll sensor."""
    status = _read_status(sock, DLE_EOT_PRINTER, timeout, where, sent=sent)
    cause = error = None
    if status is not None and status & OFFLINE:
        cause = _read_status(sock, DLE_EOT_OFFLINE_CAUSE, timeout, where, sent=sent)
        error = _read_status(sock, DLE_EOT_ERROR_CAUSE, timeout, where, sent=sent)
    paper = _read_status(sock, DLE_EOT_PAPER, timeout, where, sent=sent)
    return PrinterState(status, cause, error, paper)


def _send_tcp(target: PrinterTarget, job: bytes, timeout: float) -> SendResult:
    where = f"{target.host}:{target.port}"
    try:
        sock = socket.create_connection((target.host, target.port), timeout=timeout)
    except ConnectionRefusedError:
        raise PrintError("printer.refused", where=where) from None
    except socket.timeout:
        raise PrintError("printer.timeout", where=where) from None
    except OSError as exc:
        raise PrintError("printer.unreachable", where=where, reason=exc.strerror or str(exc)) from None
    with sock:
        try:
            before = read_state(sock, min(timeout, 1.5), where, sent=False)
            problem = before.problem()
            if problem is not None:  # nothing sent: certainly not printed
                raise PrintError(problem, where=where)
            sock.settimeout(timeout)
            deadline = time.monotonic() + timeout
            view = memoryview(job)
            while view:
                if time.monotonic() > deadline:
                    raise PrintError("printer.stalled", where=where, confirmed_not_printed=False)
                sent = sock.send(view[:4096])
                view = view[sent:]
            after = read_state(sock, timeout, where, sent=True)
        except PrintError:
            raise
        except socket.timeout:
            raise PrintError("printer.stalled", where=where, confirmed_not_printed=False) from None
        except OSError:
            raise PrintError("printer.dropped", where=where, confirmed_not_printed=False) from None
    if after.status is None:
        raise PrintError("printer.unconfirmed", where=where, confirmed_not_printed=False)
    problem = after.problem()
    if problem is not None:  # it stopped during the job (the paper ran out, the cover was opened)
        raise PrintError(problem, where=where, confirmed_not_printed=False)
    return SendResult(len(job), True, ("printer.paper_near_end",) if after.near_end or before.near_end else ())


def _send_file(target: PrinterTarget, job: bytes) -> SendResult:
    try:
        with open(target.path, "ab") as handle:
            handle.write(job)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise PrintError("printer.unreachable", where=target.path, reason=exc.strerror or str(exc)) from None
    return SendResult(len(job), False)


def _send_serial(target: PrinterTarget, job: bytes, timeout: float) -> SendResult:
    try:
        import serial  # pyserial
    except ImportError:
        raise PrintError("printer.driver_missing", kind="serial", package="pyserial") from None
    try:
        with serial.Serial(target.path, target.baudrate, timeout=timeout, write_timeout=timeout) as port:
            port.write(job)
            port.flush()
    except serial.SerialTimeoutException:
        raise PrintError("printer.stalled", where=target.path, confirmed_not_printed=False) from None
    except (serial.SerialException, OSError) as exc:
        raise PrintError("printer.unreachable", where=target.path, reason=str(exc)) from None
    return SendResult(len(job), False)


def _send_escpos_driver(target: PrinterTarget, job: bytes) -> SendResult:
    """USB (pyusb), Windows spooler (pywin32) and CUPS (pycups) through python-escpos's printers."""
    where = target.name or f"{target.vendor_id:04x}:{target.product_id:04x}"
    try:
        from escpos import printer as drivers

        if target.kind == "usb":
            device = drivers.Usb(target.vendor_id, target.product_id)
        elif target.kind == "win32":
            device = drivers.Win32Raw(target.name)
        else:
            device = drivers.CupsPrinter(target.name)
        if hasattr(device, "is_usable") and not device.is_usable():
            raise PrintError("printer.driver_missing", kind=target.kind, package={
                "usb": "pyusb", "win32": "pywin32", "cups": "pycups"}[target.kind])
        device.open()
        try:
            device._raw(job)
        finally:
            device.close()
    except PrintError:
        raise
    except Exception as exc:  # drivers raise their own types; all mean "not printed"
        raise PrintError("printer.unreachable", where=where, reason=str(exc) or type(exc).__name__) from None
    return SendResult(len(job), False)


def write_preview(folder: Path, name: str, image) -> Path:
    private.make_dir(folder)
    path = private.create_file(folder / f"{name}.png")  # a customer's receipt: 0600, which Pillow's write keeps
    image.save(path)
    return path
