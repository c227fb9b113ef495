"""Lay a document out in fixed columns as an ESC/POS printer counts them: nothing overflows.

58 mm paper holds 32 columns, 80 mm holds 48. In Chinese mode a printer prints each byte of
the GB18030 encoding one half-width column wide, so a character's width on paper is its byte
count — · × … “ ” № ° ① → are two columns, whatever their East Asian width says. A character
outside the printer's two-byte font (a GB18030 four-byte character such as 𠀾, or a GBK
user-defined code such as 䶮 → FE9F) is kept, two columns wide, and its line is drawn as an
image instead of sent as text (``Line.raster``): a name is never printed short of a character.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cashier.textwidth import pad as pad_to
from receipts.document import Blank, Document, Heading, Pair, QRCode, Rule, Text

COLUMNS = {58: 32, 80: 48}
REPLACEMENT = "□"


# Two-byte codes GBK left to private use (mapped to standard characters only by GB18030-2005: 䶮 = FE9F,
# vertical punctuation …): the fonts of GBK-era printers have no glyph for them.
_GBK_PRIVATE = {0xA6D9, 0xA6DA, 0xA6DB, 0xA6DC, 0xA6DD, 0xA6DE, 0xA6DF, 0xA6EC, 0xA6ED, 0xA6F3, 0xA8BC, 0xA8BF,
                *range(0xA989, 0xA996)}


def _user_defined(lead: int, trail: int) -> bool:
    """GBK's user-defined and private areas: codes a printer's font has no glyph for."""
    return ((0xAA <= lead <= 0xAF or 0xF8 <= lead <= 0xFE) and trail >= 0xA1) or (
        0xA1 <= lead <= 0xA7 and trail <= 0xA0) or (lead == 0xFE and trail <= 0xA0) or (
        lead << 8 | trail) in _GBK_PRIVATE


def in_printer_font(ch: str) -> bool:
    """True when a Chinese-mode printer prints ``ch`` from its own font (one or two GB18030 bytes)."""
    if ch < "\x80":
        return True
    try:
        encoded = ch.encode("gb18030")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and not _user_defined(encoded[0], encoded[1])


def cells(ch: str) -> int:
    """Columns ``ch`` takes on paper: 1 for ASCII, 2 for everything else (two bytes, or drawn full width)."""
    return 1 if ch < "\x80" else 2


def width(text: str) -> int:
    return sum(cells(ch) for ch in text)


def pad(text: str, columns: int, align: str = "left") -> str:
    """Pad to ``columns`` as the printer counts them (``width``)."""
    return pad_to(text, columns, align, measure=width)


def printable(text: str) -> str:
    """Text for a receipt: NFC, ¥→￥, tabs and newlines as spaces, controls and unassigned codes dropped.

    Every other character is kept: one the printer's font lacks is drawn (see ``Line.raster``).
    """
    out = []
    for ch in unicodedata.normalize("NFC", str(text)).replace("\u00a5", "\uffe5"):
        if ch in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(ch)
    return "".join(out)


def wrap(text: str, columns: int) -> list[str]:
    """Break text into lines of at most ``columns`` (anywhere: Chinese has no spaces; never inside a character)."""
    lines, current, used = [], [], 0
    for ch in text:
        w = cells(ch)
        if used + w > columns and current:
            lines.append("".join(current).rstrip())
            current, used = [], 0
            if ch == " ":
                continue
        current.append(ch)
        used += w
    if current or not lines:
        lines.append("".join(current).rstrip())
    return lines


def wrap_words(text: str, columns: int) -> list[str]:
    """Break text into lines of at most ``columns`` at spaces only; a word wider than a line is broken (``wrap``).
    Lines after the first keep the first's indent (the leading spaces)."""
    indent = text[:len(text) - len(text.lstrip(" "))]
    if width(indent) * 2 > columns:
        indent = ""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else indent + word
        if width(candidate) <= columns:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = indent + word
        if width(current) > columns:  # one word wider than the line: broken as any text is
            *full, current = wrap(current, columns)
            lines += full
    if current or not lines:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Line:
    text: str = ""
    style: str = "normal"  # normal, heading, bold, rule, qr
    data: str = ""  # the QR payload
    align: str = "left"  # how the text sits in the line (the raster drawing anchors runs by it)

    @property
    def raster(self) -> bool:
        """The line holds a character the printer's font lacks: it is drawn, not sent as text."""
        return not all(in_printer_font(ch) for ch in self.text)


def layout(doc: Document, columns: int) -> list[Line]:
    out: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            for piece in wrap(printable(block.text), columns // 2):
                out.append(Line(pad(piece, columns // 2, "center").rstrip(), "heading", align="center"))
        elif isinstance(block, Text):
            for piece in (wrap_words if block.keep_words else wrap)(printable(block.text), columns):
                out.append(Line(pad(piece, columns, block.align).rstrip(), align=block.align))
        elif isinstance(block, Pair):
            left, right = printable(block.left), printable(block.right)
            style = "bold" if block.bold else "normal"
            if width(left) + 1 + width(right) <= columns:
                out.append(Line(left + " " * (columns - width(left) - width(right)) + right, style, align="pair"))
            else:
                out += [Line(piece, style) for piece in wrap(left, columns)]
                out += [Line(pad(piece, columns, "right"), style, align="right") for piece in wrap(right, columns)]
        elif isinstance(block, Rule):
            out.append(Line(block.char * (columns // cells(block.char)), "rule"))
        elif isinstance(block, QRCode):
            out.append(Line("", "qr", block.data))
        elif isinstance(block, Blank):
            out += [Line()] * block.lines
    return out
