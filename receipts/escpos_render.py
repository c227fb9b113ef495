"""ESC/POS bytes for a document, built in memory with python-escpos's ``Dummy`` then sent.

Text mode for printers with a Chinese font: ``ESC @``, ``FS &`` (Chinese mode), GB18030 bytes
within the two-byte range, headings with ``GS !`` (which enlarges Chinese too, unlike
``ESC !``), a native QR code where the printer profile has one (an image otherwise), the
drawer kick for cash, a cut. A line holding a character the printer's font lacks (𠀾 in a
name) is sent as that line's picture, in place: the receipt keeps every character. Raster mode draws the whole receipt with Pillow and sends one
bitmap: for printers without a Chinese font.
"""

from __future__ import annotations

import copy

from escpos.printer import Dummy

from receipts.document import Document
from receipts.layout import COLUMNS, Line, layout

ESC_INIT = b"\x1b@"
FS_CHINESE_ON = b"\x1c&"
FS_CHINESE_OFF = b"\x1c."
GS_SIZE_2X = b"\x1d!\x11"
GS_SIZE_1X = b"\x1d!\x00"
ALIGN_LEFT, ALIGN_CENTER = b"\x1ba\x00", b"\x1ba\x01"
BOLD_ON, BOLD_OFF = b"\x1bE\x01", b"\x1bE\x00"
DOTS = {58: 384, 80: 576}


def _gb(text: str) -> bytes:
    # Only lines whose every character is in the printer's font come here (Line.raster is False).
    return text.encode("gb18030")


def render_escpos(doc: Document, width: int = 80, *, raster: bool = False, profile: str = "default",
                  native_qr: bool | None = None) -> bytes:
    """The complete job: init, content, drawer kick (cash only), feed and cut."""
    if width not in COLUMNS:
        raise ValueError("paper width is 58 or 80 mm")
    p = Dummy(profile=profile)
    # Tell the profile this paper's dot width (python-escpos checks images against it).
    p.profile.profile_data = copy.deepcopy(p.profile.profile_data)
    p.profile.profile_data.setdefault("media", {}).setdefault("width", {})["pixels"] = DOTS[width]
    p._raw(ESC_INIT)
    if raster:
        from receipts.raster import render_image

        p.image(render_image(doc, width), impl="bitImageRaster", center=False)
    else:
        _text_job(p, layout(doc, COLUMNS[width]), width, native_qr)
    if doc.kick_drawer:
        p.cashdraw(2)
    p.cut(feed=True)
    return p.output


def _text_job(p: Dummy, lines: list[Line], width: int, native_qr: bool | None) -> None:
    if native_qr is None:
        native_qr = bool(p.profile.supports("qrCode"))
    p._raw(FS_CHINESE_ON)
    for line in lines:
        if line.style != "qr" and line.raster:
            from receipts.raster import render_line

            p._raw(FS_CHINESE_OFF)
            p.image(render_line(line, width), impl="bitImageRaster", center=False)
            p._raw(FS_CHINESE_ON)
        elif line.style == "heading":
            p._raw(ALIGN_CENTER + GS_SIZE_2X + _gb(line.text.strip()) + b"\n" + GS_SIZE_1X + ALIGN_LEFT)
        elif line.style == "bold":
            p._raw(BOLD_ON + _gb(line.text) + b"\n" + BOLD_OFF)
        elif line.style == "qr":
            p._raw(ALIGN_CENTER)
            if native_qr:
                p.qr(line.data, native=True, size=6 if width == 80 else 5)
            else:
                p._raw(FS_CHINESE_OFF)
                p.qr(line.data, native=False, size=6 if width == 80 else 5, center=False)
                p._raw(FS_CHINESE_ON)
            p._raw(ALIGN_LEFT)
        else:
            p._raw(_gb(line.text) + b"\n")
    p._raw(FS_CHINESE_OFF)
