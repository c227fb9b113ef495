"""Finding Chinese fonts on this machine, for raster receipts, previews and PDFs.

The main font (``CANDIDATES``) draws everything a receipt usually holds. A name can hold a
rare character the main font lacks (CJK Extension B such as 𠀾, or 䶮): then a fallback font
that has the glyph draws it (``FALLBACK_CANDIDATES``: SimSun-ExtB and MingLiU-ExtB on
Windows; HanaMin (Debian ``fonts-hanazono``), Noto Serif/Sans CJK and AR PL on Debian, UOS and
Kylin). A character no installed font has is drawn as a visible □, never dropped, and
``cashier-admin doctor`` says a fallback font is missing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cashier.errors import CashierError

# The font files looked for, per platform: the lists live in the core, where doctor reads them too.
from cashier.fonts import CANDIDATES, FALLBACK_CANDIDATES, FALLBACK_PACKAGE  # noqa: F401
from cashier.fonts import coverage as _coverage


def has_glyph(font: tuple[Path, int], ch: str) -> bool:
    covered = _coverage(str(font[0]), font[1])
    return covered is not None and ord(ch) in covered


def fallback_fonts() -> list[tuple[Path, int]]:
    """The installed fallback fonts, in the order they are tried."""
    return [(Path(path), index) for path, index in FALLBACK_CANDIDATES if Path(path).is_file()]


def font_for(ch: str) -> tuple[Path, int] | None:
    """The font that draws ``ch``: the main one if it has the glyph, else the first fallback that has it."""
    main = find_cjk_font()
    if has_glyph(main, ch):
        return main
    return next((font for font in fallback_fonts() if has_glyph(font, ch)), None)


def find_cjk_font() -> tuple[Path, int]:
    """The first Chinese font found; ``CASHIER_CJK_FONT`` overrides. A clear error if none."""
    override = os.environ.get("CASHIER_CJK_FONT")
    if override:
        if Path(override).is_file():
            return Path(override), 0
        raise CashierError("font.missing_override", path=override)
    for path, index in CANDIDATES:
        if Path(path).is_file():
            return Path(path), index
    hint = "fonts-wqy-microhei" if sys.platform.startswith("linux") else "Microsoft YaHei / SimSun"
    raise CashierError("font.none", hint=hint)
