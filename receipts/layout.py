"""Lay a document out in fixed columns by display width: CJK counts 2, nothing overflows.

58 mm paper holds 32 columns, 80 mm holds 48. Characters a two-byte GB18030 printer font
cannot show are replaced by a visible □ before layout, so widths stay true on paper.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cashier.textwidth import char_width, display_width, pad
from receipts.document import Blank, Document, Heading, Pair, QRCode, Rule, Text

COLUMNS = {58: 32, 80: 48}
REPLACEMENT = "□"


def printable(text: str) -> str:
    """Text a Chinese ESC/POS printer can print: ¥→￥, controls dropped, no 4-byte GB18030."""
    out = []
    for ch in str(text).replace("\u00a5", "\uffe5"):
        if ch in "\t\n\r":
            out.append(" ")
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        try:
            encoded = ch.encode("gb18030")
        except UnicodeEncodeError:
            encoded = b"????"
        out.append(ch if len(encoded) <= 2 else (REPLACEMENT if char_width(ch) == 2 or ord(ch) > 0xFFFF else "?"))
    return "".join(out)


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines of at most ``width`` columns (anywhere: Chinese has no spaces)."""
    lines, current, used = [], [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width and current:
            lines.append("".join(current).rstrip())
            current, used = [], 0
            if ch == " ":
                continue
        current.append(ch)
        used += w
    if current or not lines:
        lines.append("".join(current).rstrip())
    return lines


@dataclass(frozen=True)
class Line:
    text: str = ""
    style: str = "normal"  # normal, heading, bold, qr
    data: str = ""  # the QR payload


def layout(doc: Document, columns: int) -> list[Line]:
    out: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            for piece in wrap(printable(block.text), columns // 2):
                out.append(Line(pad(piece, columns // 2, "center").rstrip(), "heading"))
        elif isinstance(block, Text):
            for piece in wrap(printable(block.text), columns):
                out.append(Line(pad(piece, columns, block.align).rstrip()))
        elif isinstance(block, Pair):
            left, right = printable(block.left), printable(block.right)
            style = "bold" if block.bold else "normal"
            if display_width(left) + 1 + display_width(right) <= columns:
                out.append(Line(left + " " * (columns - display_width(left) - display_width(right)) + right, style))
            else:
                out += [Line(piece, style) for piece in wrap(left, columns)]
                out += [Line(pad(piece, columns, "right"), style) for piece in wrap(right, columns)]
        elif isinstance(block, Rule):
            out.append(Line(block.char * columns))
        elif isinstance(block, QRCode):
            out.append(Line("", "qr", block.data))
        elif isinstance(block, Blank):
            out += [Line()] * block.lines
    return out
