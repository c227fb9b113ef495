"""Time for the core: UTC timestamps and business dates in the hall's time zone, replaceable in tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass
class Clock:
    """The terminal's clock. ``now()`` is naive UTC (how the store keeps timestamps)."""

    timezone: str = "Asia/Shanghai"

    def now(self) -> datetime:
        return datetime.now(timezone.utc).replace(tzinfo=None)

    def business_date(self) -> date:
        return self.now().replace(tzinfo=timezone.utc).astimezone(ZoneInfo(self.timezone)).date()


@dataclass
class FixedClock(Clock):
    """A clock that stands still until moved: for tests and replays."""

    at: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 2, 0, 0))

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at = self.at + timedelta(**delta)
