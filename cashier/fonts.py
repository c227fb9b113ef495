"""Which font files the hall PC is looked at for, per platform, and which characters a font has.

The lists live in the core so that ``cashier-admin doctor`` can say whether Chinese text and the
rare characters of names will print, without importing the renderers; ``receipts.fonts`` picks
fonts from the same lists. The main font (``CANDIDATES``) draws everything a receipt usually
holds; a fallback font (``FALLBACK_CANDIDATES``) draws a rare character the main font lacks:
CJK Extension B such as 𠀾, or 䶮 (a GBK private code).

- Windows: Microsoft YaHei / SimSun / SimHei; fallback SimSun-ExtB (simsunb.ttf), MingLiU-ExtB.
- Debian, UOS, Kylin: WenQuanYi, Noto CJK, Droid; fallback HanaMin A/B (package
  ``fonts-hanazono``), Noto Serif/Sans CJK, AR PL UKai/UMing.
- macOS (developers): PingFang, STHeiti; fallback Songti.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

# (path, index inside a .ttc collection)
CANDIDATES = [
    # Windows: Microsoft YaHei, SimSun, SimHei
    (r"C:\Windows\Fonts\msyh.ttc", 0), (r"C:\Windows\Fonts\msyh.ttf", 0),
    (r"C:\Windows\Fonts\simsun.ttc", 0), (r"C:\Windows\Fonts\simhei.ttf", 0),
    # Debian, UOS, Kylin: WenQuanYi, Noto CJK, Droid fallback
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    # macOS, for developers
    ("/System/Library/Fonts/PingFang.ttc", 0), ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
]

FALLBACK_CANDIDATES = [
    # Windows: SimSun-ExtB, MingLiU-ExtB (Extension B), SimSun for the rest
    (r"C:\Windows\Fonts\simsunb.ttf", 0), (r"C:\Windows\Fonts\mingliub.ttc", 0),
    # Debian, UOS, Kylin: HanaMin A/B (fonts-hanazono), Noto CJK, AR PL UKai/UMing
    ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0), ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0), ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    # macOS, for developers
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
]
FALLBACK_PACKAGE = {"linux": "fonts-hanazono", "win32": "SimSun-ExtB (simsunb.ttf)"}
MAIN_PACKAGE = {"linux": "fonts-wqy-microhei", "win32": "Microsoft YaHei / SimSun"}

# What doctor asks the fallback fonts for: 𠀾 (Extension B, a four-byte GB18030 code) and 䶮 (GBK FE9F).
RARE_PROBES = "𠀾䶮"


def package(table: dict[str, str]) -> str:
    return table.get(sys.platform, table["linux"])


@lru_cache(maxsize=32)
def coverage(path: str, index: int) -> frozenset[int] | None:
    """The code points a font has glyphs for; None when it cannot be read (or has PostScript outlines)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        return frozenset(TTFontFile(path, subfontIndex=index).charToGlyph)
    except Exception:  # noqa: BLE001 - an unreadable or unsupported font file is simply not used
        return None


def installed(candidates) -> list[tuple[Path, int]]:
    return [(Path(path), index) for path, index in candidates if Path(path).is_file()]


def main_font(candidates=None) -> tuple[Path, int] | None:
    """The main font the renderers use (``CASHIER_CJK_FONT`` first), or None."""
    override = os.environ.get("CASHIER_CJK_FONT")
    if override:
        return (Path(override), 0) if Path(override).is_file() else None
    found = installed(CANDIDATES if candidates is None else candidates)
    return found[0] if found else None


def rare_coverage(main: tuple[Path, int] | None, fallbacks) -> dict[str, tuple[Path, int] | None]:
    """For each of ``RARE_PROBES``: the font that draws it (the main one, else the first fallback), or None."""
    fonts = ([main] if main else []) + installed(fallbacks)
    out = {}
    for ch in RARE_PROBES:
        out[ch] = next((f for f in fonts if ord(ch) in (coverage(str(f[0]), f[1]) or ())), None)
    return out
