"""A document drawn as an image with Pillow: raster receipts and the on-screen preview printer."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from cashier.textwidth import char_width
from receipts.document import Document
from receipts.fonts import find_cjk_font
from receipts.layout import COLUMNS, layout

DOTS = {58: 384, 80: 576}


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = find_cjk_font()
    return ImageFont.truetype(str(path), size=size, index=index)


@lru_cache(maxsize=8192)
def _glyph(ch: str, size: int, bold: bool) -> Image.Image:
    """One character drawn once in its cell (black on white), reused for every receipt."""
    cell = Image.new("1", (char_width(ch) * size // 2 + 2, size + size // 3), 1)
    draw = ImageDraw.Draw(cell)
    draw.text((0, 0), ch, font=_font(size), fill=0)
    if bold:
        draw.text((1, 0), ch, font=_font(size), fill=0)
    return cell


def render_image(doc: Document, width: int = 80) -> Image.Image:
    """One-bit image, the printer's dot width wide; each column is dots/columns wide."""
    columns, dots = COLUMNS[width], DOTS[width]
    cell = dots // columns  # 12 dots a half-width column
    line_height = cell * 2 + 6
    lines = layout(doc, columns)
    height = 16
    for line in lines:
        height += cell * 2 * 8 + 8 if line.style == "qr" else line_height * (2 if line.style == "heading" else 1)
    image = Image.new("1", (dots, height + 16), 1)
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
        size = cell * 2 * scale - 2
        text = line.text.strip() if scale == 2 else line.text
        x = (dots - sum(char_width(c) for c in text) * cell * scale) // 2 if scale == 2 else 0
        for ch in text:
            if ch != " ":
                glyph = _glyph(ch, size, line.style == "bold")
                image.paste(glyph.crop((0, 0, min(glyph.width, dots - x), glyph.height)), (x, y))
            x += char_width(ch) * cell * scale
        y += line_height * scale
    return image.crop((0, 0, dots, y + 8))
