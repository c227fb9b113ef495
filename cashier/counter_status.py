"""What the counter's status bar shows, read in one go: connection and uploads waiting, receipts
waiting to print, the open shift, the business date."""

from __future__ import annotations

from cashier import scan_pay, scan_refunds

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from cashier.shifts import open_shift_of
from cashier.print_queue import WAITING_PRINT_STATES
from cashier.store.models import PrintJob
from cashier.sync.engine import SyncStatus, read_status
from cashier.terminal import Terminal


@dataclass(frozen=True)
class CounterStatus:
    sync: SyncStatus
    waiting_prints: int  # receipts in the reprint queue
    shift_opened_at: datetime | None  # UTC; None when no shift is open
    business_date: date
    scan_open: int = 0  # scan payments whose outcome is not known yet (finished by the sync rounds)
    refunds_pending: int = 0  # refunds of reversed scan payments the provider has not confirmed
    refunds_failed: int = 0  # refunds the provider refused: a supervisor settles them by hand

    @property
    def pending_uploads(self) -> int:
        return self.sync.pending


def counter_status(t: Terminal, *, configured: bool, printing: frozenset[str] = frozenset()) -> CounterStatus:
    """``configured``: this terminal has an upstream (enrolled or being started); ``printing``: documents
    whose receipt this program is printing right now (queued with the payment, not waiting for anyone)."""
    with t.store.read() as s:
        sync = read_status(s, configured=configured)
        waiting = select(func.count()).select_from(PrintJob).where(PrintJob.status.in_(WAITING_PRINT_STATES))
        if printing:
            waiting = waiting.where(PrintJob.entity_id.not_in(printing))
        prints = s.scalar(waiting)
        shift = open_shift_of(s, t)
        pending, failed = scan_refunds.problems(s)
        return CounterStatus(sync, prints or 0, shift.opened_at if shift else None, t.clock.business_date(),
                             scan_pay.pending_count(s), pending, failed)
