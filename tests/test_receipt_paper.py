"""Receipts fit the paper as a printer counts it, keep every character of a name, and draw half-width text at
its own advance (issue 16, points 3, 4 and 8)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from receipts.document import Document, Heading, Pair, Rule, Text
from receipts.escpos_render import render_escpos
from receipts.layout import COLUMNS, Line, in_printer_font
from receipts.raster import render_image, render_line
from tests.helpers.escpos_decode import decode

AMBIGUOUS = "·×…“”№°①→"  # one column by East Asian width, two GB18030 bytes (two columns) on paper
ADDRESS = "城关镇·人民路“幸福”小区①号楼×3单元…№12 室 → 朝南 25°"


def _doc(name: str = "王小明", address: str = ADDRESS) -> Document:
    return Document("payment", "t", (Heading("电费缴费凭证"), Pair("户名", name), Text(f"地址：{address}"),
                                      Pair("户号", "3101000001"), Pair("本月电量", "123 kWh"), Rule(),
                                      Pair("合计", "￥94.57", bold=True)))


@pytest.mark.parametrize("width", [58, 80])
def test_ambiguous_width_characters_are_counted_as_printed(width):
    job = decode(render_escpos(_doc(name="张·明" + "·" * 40), width))
    for line in job.lines:
        limit = COLUMNS[width] // 2 if line.size == 0x11 else COLUMNS[width]
        assert line.columns <= limit, line.text
    printed = "".join(line.text for line in job.lines)
    for ch in AMBIGUOUS:  # every one of them printed, none cut in half across lines
        assert ch in printed
    assert printed.count("·") == 42


def test_characters_outside_the_printers_font_are_drawn_not_lost():
    assert not in_printer_font("𠀾") and not in_printer_font("䶮")  # four-byte; GBK user-defined FE9F
    assert in_printer_font("明") and in_printer_font("·") and in_printer_font("A")
    job = decode(render_escpos(_doc(name="王𠀾䶮"), 80))
    text = "\n".join(line.text for line in job.lines)
    assert "王" not in text and "\ufffd" not in text  # the 户名 line went as its picture
    assert "3101000001" in text and "￥94.57" in text  # the rest as text
    assert [(576, rows) for _, rows in job.images] and len(job.images) == 1
    # The picture shows the characters themselves: not blank, and not the □ a missing glyph would leave.
    drawn = render_line(Line("户名" + " " * 40 + "王𠀾䶮", align="pair"), 80)
    boxes = render_line(Line("户名" + " " * 40 + "王□□", align="pair"), 80)
    assert ImageChops.difference(drawn, boxes).getbbox() is not None
    right = drawn.crop((576 - 40, 0, 576, drawn.height))
    assert right.getbbox() is not None and ImageChops.invert(right.convert("L")).getbbox() is not None


def _ink_columns(image: Image.Image) -> list[bool]:
    grey = image.convert("L")
    return [any(grey.getpixel((x, y)) < 128 for y in range(grey.height)) for x in range(grey.width)]


def _widest_gap(line: str, width: int = 80, image: Image.Image | None = None) -> int:
    """The widest run of blank dot columns between the first and last ink of a drawn line."""
    ink = _ink_columns(image if image is not None else render_line(Line(line), width))
    first, last = ink.index(True), len(ink) - 1 - ink[::-1].index(True)
    gap = widest = 0
    for on in ink[first:last + 1]:
        gap = 0 if on else gap + 1
        widest = max(widest, gap)
    return widest


def _as_typeset(text: str) -> Image.Image:
    """The text as the font itself sets it (Pillow drawing the whole string): the reference for spacing."""
    from PIL import ImageDraw, ImageFont

    from receipts.fonts import find_cjk_font

    path, index = find_cjk_font()
    image = Image.new("1", (576, 30), 1)
    ImageDraw.Draw(image).text((0, 2), text, font=ImageFont.truetype(str(path), 22, index=index), fill=0)
    return image


@pytest.mark.parametrize("text", ["2026-11-28", "05:13:10", "￥94.57", "T01-00000001"])
def test_half_width_text_is_drawn_at_its_own_advance(text):
    # Drawn in 12-dot cells, "-" and ":" sat in holes ("2026- 11- 28 05: 13: 10"); at their advance, as typeset.
    assert _widest_gap(text) <= _widest_gap(text, image=_as_typeset(text)) + 1


def test_a_wide_letter_is_drawn_whole():
    # "kWh": W is wider than a cell; it is drawn whole, not cut into "\\V".
    from receipts.raster import _glyphs

    natural = sum(advance for _, _, advance in _glyphs("kWh", 22))
    ink = _ink_columns(render_line(Line("kWh"), 80))
    assert ink.index(True) < 3 and len(ink) - ink[::-1].index(True) >= natural - 3


def test_amounts_line_up_at_the_right_edge_of_the_paper():
    image = render_image(Document("t", "t", (Pair("合计", "￥94.57"), Pair("找零", "￥5.43"),
                                            Pair("本月电量", "123 kWh"))), 58)
    grey = image.convert("L")
    rights = []
    for top in range(0, grey.height - 30, 30):
        band = grey.crop((0, top, grey.width, top + 30))
        box = ImageChops.invert(band).getbbox()
        if box:
            rights.append(box[2])
    assert rights and max(rights) - min(rights) <= 3 and max(rights) > 384 - 6
