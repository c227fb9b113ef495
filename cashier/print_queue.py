"""The reprint queue (补打队列) as the store holds it: receipts waiting to print, oldest first.

A job waits while it is ``pending`` (being printed, or the program died while printing) or
``failed`` (the printer refused it). The status bar shows the count; the queue dialog shows the
list with the receipt number and account, so the cashier can tell one customer's receipt from
another's. Printing is ``cashier.printing``; here the queue is read, and a money
document's original receipt is queued in the very transaction that commits the money
(``queue_original``), so a crash between saving and printing still leaves it in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cashier import events
from cashier.i18n import translate
from cashier.store import Store
from cashier.store.models import Account, CashMovement, Payment, PrintJob

WAITING_PRINT_STATES = ("pending", "failed")


@dataclass(frozen=True)
class WaitingJob:
    """One receipt in the queue; ``terminal_id``/``seq`` make its receipt number, when it has one."""

    id: int
    kind: str  # payment, reversal, cash_movement, shift_report
    entity_id: str
    reprint: int  # 0: the original has never printed; N: the Nth 重打, already counted
    status: str  # pending or failed
    attempts: int
    last_error: str | None  # a message key (printer.paper_out ...)
    created_at: datetime  # UTC
    terminal_id: str | None = None
    seq: int | None = None
    account_no: str | None = None
    amount_fen: int | None = None  # what the receipt is for: the payment taken or cash moved


@dataclass(frozen=True)
class PrintQueue:
    count: int
    jobs: tuple[WaitingJob, ...]


def queue_original(s: Session, kind: str, entity_id: str, now: datetime, message: str = "") -> PrintJob:
    """Queue the original receipt of ``entity_id`` inside the caller's unit of work (announced on commit)."""
    job = PrintJob(kind=kind, entity_id=entity_id, reprint=0, status="pending", attempts=0, created_at=now)
    s.add(job)
    s.flush()
    events.announce(s, events.PRINT_JOB, entity_id=entity_id, kind=kind, status=job.status,
                    message=message or translate("print.printing"), job_id=job.id, reprint=0)
    return job


def waiting_count(s: Session) -> int:
    """How many receipts wait to print (the status bar's 补打队列 N 张)."""
    return s.scalar(select(func.count()).select_from(PrintJob).where(PrintJob.status.in_(WAITING_PRINT_STATES))) or 0


def waiting_in(s: Session) -> list[WaitingJob]:
    """The waiting jobs, oldest first, each with its receipt number and account where it has them."""
    jobs = s.scalars(select(PrintJob).where(PrintJob.status.in_(WAITING_PRINT_STATES)).order_by(PrintJob.id)).all()
    ids = {job.entity_id for job in jobs}
    payments = {p.id: (p.terminal_id, p.seq, account_no, p.tendered_fen - p.change_fen) for p, account_no in s.execute(
        select(Payment, Account.account_no).join(Account, Account.id == Payment.account_id).where(Payment.id.in_(ids)))}
    moves = {m.id: (m.terminal_id, m.seq, None, m.amount_fen)
             for m in s.scalars(select(CashMovement).where(CashMovement.id.in_(ids)))}
    found = {**payments, **moves}
    return [WaitingJob(job.id, job.kind, job.entity_id, job.reprint, job.status, job.attempts, job.last_error,
                       job.created_at, *found.get(job.entity_id, (None, None, None, None))) for job in jobs]


def print_queue(store: Store) -> PrintQueue:
    """The count and the list of waiting receipts, read together."""
    with store.read() as s:
        jobs = waiting_in(s)
        return PrintQueue(len(jobs), tuple(jobs))
