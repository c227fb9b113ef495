"""A document drawn as an image with Pillow: raster receipts, the on-screen preview printer, and the lines of
a text receipt that hold a character the printer's font lacks.

The layout's columns decide where each line breaks and where its pieces sit (12 dots a column);
inside a piece each character is drawn at its own advance, so "2026-11-28 05:13:10", "￥94.57" and
"kWh" read as they are written. A piece at the end of the line is anchored to the right edge (the
amounts of a receipt line up), any other at its first column. A character the main font lacks is
drawn from a fallback font that has it (``receipts.fonts.font_for``); one no installed font has
is drawn as □, never dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from receipts.document import Document
from receipts.fonts import find_cjk_font, font_for
from receipts.layout import COLUMNS, REPLACEMENT, Line, cells, layout

DOTS = {58: 384, 80: 576}
_PIECE = re.compile(r"\S+(?: \S+)*")  # words joined by single spaces; two or more spaces part pieces


@lru_cache(maxsize=16)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size, index=index)


@lru_cache(maxsize=4096)
def _face(ch: str) -> tuple[str, tuple[str, int] | None]:
    """The character to draw and the font file that has it: the main font, a fallback, or □ in the main font."""
    if ch == " ":
        return ch, None
    font = font_for(ch)
    if font is None:
        return REPLACEMENT, None
    return ch, (str(font[0]), font[1])


def _glyphs(text: str, size: int) -> list[tuple[str, ImageFont.FreeTypeFont, float]]:
    main = find_cjk_font()
    out = []
    for ch in text:
        shown, where = _face(ch)
        font = _font(*(where or (str(main[0]), main[1])), size)
        out.append((shown, font, font.getlength(shown)))
    return out


def _draw_line(draw: ImageDraw.ImageDraw, line: Line, y: int, cell: int, dots: int, scale: int) -> None:
    size = cell * 2 * scale - 2
    text = line.text.rstrip()
    bold = line.style == "bold"
    if line.style == "rule":  # a rule runs the paper's width: one character in each of its cells
        pieces = [(sum(cells(c) for c in text[:i]), ch, "left") for i, ch in enumerate(text)]
    elif scale == 2 or line.align == "center":  # one centered piece
        pieces = [(0, text.strip(), "center")]
    else:
        pieces = []
        for m in _PIECE.finditer(text):
            start = sum(cells(c) for c in text[:m.start()])
            ends_line = m.end() == len(text) and (line.align in ("right", "pair") and m.start() > 0)
            pieces.append((start, m.group(), "right" if ends_line else "left"))
    for start, piece, anchor in pieces:
        glyphs = _glyphs(piece, size)
        natural = sum(advance for _, _, advance in glyphs)
        if anchor == "center":
            x = (dots - natural) / 2
        elif anchor == "right":
            x = (start + sum(cells(c) for c in piece)) * cell * scale - natural
        else:
            x = start * cell * scale
        for shown, font, advance in glyphs:
            if shown != " ":
                draw.text((round(x), y), shown, font=font, fill=0)
                if bold:
                    draw.text((round(x) + 1, y), shown, font=font, fill=0)
            x += advance


def _line_height(cell: int) -> int:
    return cell * 2 + 6


def render_line(line: Line, width: int = 80) -> Image.Image:
    """One text line drawn as the printer would print it (for a line its font cannot print)."""
    columns, dots = COLUMNS[width], DOTS[width]
    cell = dots // columns
    scale = 2 if line.style == "heading" else 1
    image = Image.new("1", (dots, _line_height(cell) * scale), 1)
    _draw_line(ImageDraw.Draw(image), line, 2, cell, dots, scale)
    return image


def render_image(doc: Document, width: int = 80) -> Image.Image:
    """One-bit image, the printer's dot width wide; each column is dots/columns wide."""
    columns, dots = COLUMNS[width], DOTS[width]
    cell = dots // columns  # 12 dots a half-width column
    line_height = _line_height(cell)
    lines = layout(doc, columns)
    height = 16
    for line in lines:
        height += cell * 2 * 8 + 8 if line.style == "qr" else line_height * (2 if line.style == "heading" else 1)
    image = Image.new("1", (dots, height + 16), 1)
    draw = ImageDraw.Draw(image)
    y = 8
    for line in lines:
        if line.style == "qr":
            code = qrcode.QRCode(border=1, box_size=4)
            code.add_data(line.data)
            qr = code.make_image(fill_color="black", back_color="white").convert("1")
            side = min(cell * 2 * 8, dots)
            qr = qr.resize((side, side))
            image.paste(qr, ((dots - side) // 2, y))
            y += side + 8
            continue
        scale = 2 if line.style == "heading" else 1
        _draw_line(draw, line, y, cell, dots, scale)
        y += line_height * scale
    return image.crop((0, 0, dots, y + 8))
