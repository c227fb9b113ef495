"""What the counter's status bar shows, read in one go: connection and uploads waiting, receipts
waiting to print, the open shift, the business date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from cashier.shifts import open_shift_of
from cashier.store.models import PrintJob
from cashier.sync.engine import SyncStatus, read_status
from cashier.terminal import Terminal

WAITING_PRINT_STATES = ("pending", "failed")


@dataclass(frozen=True)
class CounterStatus:
    sync: SyncStatus
    waiting_prints: int  # receipts in the reprint queue
    shift_opened_at: datetime | None  # UTC; None when no shift is open
    business_date: date

    @property
    def pending_uploads(self) -> int:
        return self.sync.pending


def counter_status(t: Terminal, *, configured: bool) -> CounterStatus:
    """``configured``: this terminal has an upstream (enrolled or being started)."""
    with t.store.read() as s:
        sync = read_status(s, configured=configured)
        prints = s.scalar(select(func.count()).select_from(PrintJob).where(PrintJob.status.in_(WAITING_PRINT_STATES)))
        shift = open_shift_of(s, t)
        return CounterStatus(sync, prints or 0, shift.opened_at if shift else None, t.clock.business_date())
