"""Finding a Chinese font on this machine, for raster receipts, previews and PDFs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cashier.errors import CashierError

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
