"""Printer addresses as URIs, the one way settings name a receipt printer.

``preview://`` (on-screen), ``pdf://`` or ``pdf:///folder`` (each receipt saved as a PDF: a laptop
without a printer, e.g. door-to-door collection), ``tcp://host:9100``, ``usb://VID:PID`` (hex), ``serial:///dev/ttyS0?baud=9600``
(or ``serial://COM3``), ``win32://Printer Name``, ``cups://QueueName``, ``file:///path/to/file``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from cashier.errors import ConfigError
from cashier.i18n import translate

KINDS = ("preview", "pdf", "tcp", "usb", "serial", "win32", "cups", "file")
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True)
class PrinterTarget:
    kind: str
    host: str = ""
    port: int = 9100
    path: str = ""
    name: str = ""
    vendor_id: int = 0
    product_id: int = 0
    baudrate: int = 9600


def _bad(uri: str, why: str, **params: object) -> ConfigError:
    return ConfigError("printer.bad_uri", uri=uri, reason=translate(f"printer.uri.{why}", kinds=", ".join(KINDS), **params))


def parse_printer_uri(uri: str) -> PrinterTarget:
    """Read a printer URI; a malformed one is a ``ConfigError`` saying what is wrong."""
    text = (uri or "").strip()
    match = re.match(r"^([a-z0-9]+)://(.*)$", text, re.IGNORECASE)
    if not match:
        raise _bad(uri, "no_scheme")
    kind, rest = match.group(1).lower(), match.group(2)
    if kind not in KINDS:
        raise _bad(uri, "unknown_kind", kind=kind)
    if kind == "preview":
        return PrinterTarget("preview")
    if kind == "pdf":  # pdf:// → the data folder's receipts/; pdf:///home/x/收据 or pdf://D:/收据 → there
        parts = urlsplit(text)
        return PrinterTarget("pdf", path=unquote(parts.netloc + parts.path) if rest.strip("/") else "")
    if kind == "tcp":
        parts = urlsplit(text)
        try:
            port = parts.port or 9100
        except ValueError:
            raise _bad(uri, "bad_port") from None
        if not parts.hostname:
            raise _bad(uri, "no_host")
        return PrinterTarget("tcp", host=parts.hostname, port=port)
    if kind == "usb":
        m = re.fullmatch(r"(?:0x)?([0-9a-fA-F]{1,4}):(?:0x)?([0-9a-fA-F]{1,4})", rest)
        if not m:
            raise _bad(uri, "bad_usb")
        return PrinterTarget("usb", vendor_id=int(m.group(1), 16), product_id=int(m.group(2), 16))
    if kind == "serial":
        parts = urlsplit(text)
        path = unquote(parts.netloc + parts.path)
        if not path:
            raise _bad(uri, "no_device")
        query = parse_qs(parts.query)
        baud_text = query.get("baud", ["9600"])[0]
        if not baud_text.isdigit() or int(baud_text) not in BAUD_RATES:
            raise _bad(uri, "bad_baud", rates=", ".join(map(str, BAUD_RATES)))
        return PrinterTarget("serial", path=path, baudrate=int(baud_text))
    if kind in ("win32", "cups"):
        name = unquote(rest).strip()
        if not name:
            raise _bad(uri, "no_name")
        return PrinterTarget(kind, name=name)
    path = unquote(urlsplit(text).path)
    if not path:
        raise _bad(uri, "no_path")
    return PrinterTarget("file", path=path)
