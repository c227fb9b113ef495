"""Sending a finished ESC/POS job to the printer named by a URI (see ``cashier.printer_uri``).

Network printers (port 9100) are asked for their paper status first (``DLE EOT 4``) and
for their printer status after the job (``DLE EOT 1``), so "out of paper" is caught before
printing and "the printer took the job" is known rather than hoped. Every failure is a
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
DLE_EOT_PAPER = b"\x10\x04\x04"
PAPER_END_BITS = 0x60  # bits 5 and 6 of the roll paper sensor status


class PrintError(CashierError):
    """The job did not reach the printer (or its arrival cannot be confirmed)."""

    def __init__(self, key: str, *, confirmed_not_printed: bool = True, **params: object) -> None:
        super().__init__(key, **params)
        self.confirmed_not_printed = confirmed_not_printed


@dataclass(frozen=True)
class SendResult:
    bytes_sent: int
    status_checked: bool  # the printer answered a status request after the job


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


def _read_status(sock: socket.socket, request: bytes, timeout: float, where: str) -> int | None:
    """One status byte, or None when the printer does not answer in time (many do not)."""
    sock.sendall(request)
    sock.settimeout(timeout)
    try:
        data = sock.recv(1)
    except socket.timeout:
        return None
    if not data:
        raise PrintError("printer.dropped", where=where, confirmed_not_printed=False)
    return data[0]


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
            paper = _read_status(sock, DLE_EOT_PAPER, min(timeout, 1.5), where)
            if paper is not None and paper & PAPER_END_BITS == PAPER_END_BITS:
                raise PrintError("printer.paper_out", where=where)
            sock.settimeout(timeout)
            deadline = time.monotonic() + timeout
            view = memoryview(job)
            while view:
                if time.monotonic() > deadline:
                    raise PrintError("printer.stalled", where=where, confirmed_not_printed=False)
                sent = sock.send(view[:4096])
                view = view[sent:]
            status = _read_status(sock, DLE_EOT_PRINTER, timeout, where)
        except PrintError:
            raise
        except socket.timeout:
            raise PrintError("printer.stalled", where=where, confirmed_not_printed=False) from None
        except OSError:
            raise PrintError("printer.dropped", where=where, confirmed_not_printed=False) from None
    if status is None:
        raise PrintError("printer.unconfirmed", where=where, confirmed_not_printed=False)
    return SendResult(len(job), True)


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
