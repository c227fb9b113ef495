"""Business dates: dates in the hall's time zone (Asia/Shanghai by default)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from cashier.errors import DomainError


def business_today(timezone: str = "Asia/Shanghai") -> date:
    return datetime.now(ZoneInfo(timezone)).date()


def parse_date(text: str) -> date:
    """``2026-03-01`` (also ``2026/3/1``, ``20260301``) → date; anything else is a clear error."""
    raw = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise DomainError("date.invalid", text=raw)
