"""Display width for fixed-pitch output (receipts, CLI tables): CJK and full-width count 2 columns."""

from __future__ import annotations

import unicodedata


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def pad(text: str, width: int, align: str = "left", measure=display_width) -> str:
    """Pad ``text`` with spaces to ``width`` columns ('left', 'right' or 'center'), as ``measure`` counts them
    (display columns by default; a receipt counts the printer's columns)."""
    gap = max(0, width - measure(text))
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def truncate(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``width`` columns, ending in ``ellipsis`` when cut."""
    if display_width(text) <= width:
        return text
    out, used, limit = [], 0, width - display_width(ellipsis)
    for ch in text:
        w = char_width(ch)
        if used + w > limit:
            break
        out.append(ch)
        used += w
    return "".join(out) + ellipsis
