"""Printing a committed document without ever losing or blocking the money behind it (the print queue's service).

The payment is already on disk when printing starts. Each print is a job row first, then the
document goes to the printer through a ``Render`` callable (``receipts.printing.ReceiptRenderer``
builds and renders it; this module never sees a document or a printer byte); a job that fails
stays ``failed`` in the queue (补打队列) with the reason, and the caller gets a status to show
instead of an exception. A job left ``pending`` (the program died while printing) waits in the
queue too.

The first paper of a receipt that comes out is its original, whichever key printed it; only a
print after one that came out is a 重打, counted on the payment and said on the paper. A print
that comes out completes every job of that receipt still waiting, so the queue empties. Each
step is one unit of work: choosing the job (and counting a 重打) is one transaction, recording
what the printer did is another; each change of a job's status is announced (``events.PRINT_JOB``)
with the transaction that makes it.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier import events
from cashier.auth import Actor, require
from cashier.errors import CashierError, DomainError
from cashier.i18n import translate
from cashier.logs import after_commit
from cashier.payments import count_reprint
from cashier.print_queue import WAITING_PRINT_STATES, WaitingJob, print_queue, queue_original
from cashier.store import Store
from cashier.store.models import Payment, PrintJob
from cashier.terminal import Terminal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    """What printing a document left: the preview picture or saved PDF, and warnings that did not stop it."""

    file: Path | None = None
    warnings: tuple[str, ...] = ()  # message keys (printer.paper_near_end)


class Render(Protocol):
    def __call__(self, store: Store, kind: str, entity_id: str, reprint: int, job_id: int) -> Output:
        """Build the receipt of ``entity_id`` (重打 第``reprint``次 when > 0) and put it on paper, screen or PDF;
        a ``CashierError`` when it did not come out."""


@dataclass(frozen=True)
class PrintOutcome:
    job_id: int
    printed: bool
    message: str  # for the status bar, in the current language
    error_key: str | None = None
    preview: Path | None = None  # the preview printer's picture, for the screen
    saved: Path | None = None  # the PDF printer's file
    reprint: int = 0  # 0: the original; N: the paper says 重打 第N次
    warnings: tuple[str, ...] = ()  # message keys of states that did not stop the print (paper near end)


def _announce(s: Session, job: PrintJob, message: str) -> None:
    events.announce(s, events.PRINT_JOB, entity_id=job.entity_id, kind=job.kind, status=job.status, message=message,
                    job_id=job.id, reprint=job.reprint)


def _new_job(s: Session, kind: str, entity_id: str, reprint: int, now) -> PrintJob:
    if reprint == 0:
        return queue_original(s, kind, entity_id, now, translate("print.printing"))
    job = PrintJob(kind=kind, entity_id=entity_id, reprint=reprint, status="pending", attempts=0, created_at=now)
    s.add(job)
    s.flush()
    _announce(s, job, translate("print.printing"))
    return job


_locks_guard = threading.Lock()
_locks: dict[tuple[str, str], threading.RLock] = {}


@contextmanager
def _one_at_a_time(kind: str, entity_id: str) -> Iterator[None]:
    """One print of a receipt at a time in this program: an F11 or a queue Enter pressed while the
    original is still printing waits for it, then sees it on paper and prints a counted 重打 instead
    of a second original. (One counter program per store: the store's in-use marker sees to that.)"""
    with _locks_guard:
        lock = _locks.setdefault((kind, entity_id), threading.RLock())
    with lock:
        yield


def _receipt_no(s: Session, kind: str, entity_id: str) -> str:
    """The receipt number (terminal-sequence) of a payment or reversal's job, "-" for other documents."""
    if kind not in ("payment", "reversal"):
        return "-"
    row = s.get(Payment, entity_id)
    return f"{row.terminal_id}-{row.seq:08d}" if row is not None else "?"


def print_job(store: Store, render: Render, kind: str, entity_id: str, reprint: int, now) -> PrintOutcome:
    """Queue the job, then try it once; a failure leaves it in the queue, never raises."""
    with _one_at_a_time(kind, entity_id):
        with store.transaction() as s:
            job_id = _new_job(s, kind, entity_id, reprint, now).id
        return _attempt(store, render, job_id, now)


def _attempt(store: Store, render: Render, job_id: int, now) -> PrintOutcome:
    with store.read() as s:
        job = s.get(PrintJob, job_id)
        kind, entity_id, reprint, first_try = job.kind, job.entity_id, job.reprint, job.attempts == 0
        said = f"print job {job_id} ({kind} {entity_id}, receipt {_receipt_no(s, kind, entity_id)}, " + (
            f"reprint {reprint})" if reprint else "original)")
    out, error = Output(), None
    try:
        out = render(store, kind, entity_id, reprint, job_id)
    except CashierError as exc:  # PrintError, a bad URI, a missing font
        error = exc
    preview = out.file
    if error is None and preview is not None and preview.suffix == ".pdf":
        outcome = PrintOutcome(job_id, True, translate("print.saved_pdf", file=str(preview)), saved=preview,
                               reprint=reprint)
    elif error is None:
        message = translate("print.reprinted", count=reprint) if reprint else translate("print.printed")
        for warning in out.warnings:  # printed, but the cashier should know (paper near end)
            message += "；" + translate(warning)
        outcome = PrintOutcome(job_id, True, message, preview=preview, reprint=reprint, warnings=out.warnings)
    else:
        key = "print.queued" if first_try and reprint == 0 and kind != "shift_report" else "print.still_queued"
        outcome = PrintOutcome(job_id, False, translate(key, reason=str(error)), error.key, reprint=reprint)
    with store.transaction() as s:
        job = s.get(PrintJob, job_id)
        job.attempts += 1
        if error is not None:
            job.status, job.last_error = "failed", error.key
            _announce(s, job, outcome.message)
            after_commit(s, log, "%s failed, waits in the reprint queue: %s (%s)", said, error.key, error.message("en"), level=logging.WARNING)
            return outcome
        # One paper done: every copy of this receipt still waiting is done with it, so the queue empties.
        waiting = s.scalars(select(PrintJob).where(PrintJob.entity_id == entity_id, PrintJob.kind == kind,
                                                   PrintJob.status.in_(WAITING_PRINT_STATES))).all()
        for done in sorted({job, *waiting}, key=lambda j: j.id):
            done.status, done.printed_at, done.last_error = "printed", now, None
            _announce(s, done, outcome.message)
        after_commit(s, log, "%s %s%s", said, f"saved as {preview.name}" if outcome.saved else "printed", f" ({', '.join(out.warnings)})" if out.warnings else "")
    return outcome


def print_receipt(t: Terminal, render: Render, kind: str, entity_id: str) -> PrintOutcome:
    """The original receipt of a document just committed (queued with it when it is money: that job prints)."""
    with _one_at_a_time(kind, entity_id):
        with t.store.read() as s:
            queued = s.scalar(select(PrintJob.id).where(
                PrintJob.entity_id == entity_id, PrintJob.kind == kind, PrintJob.reprint == 0,
                PrintJob.status.in_(WAITING_PRINT_STATES)).order_by(PrintJob.id).limit(1))
            printed = queued is None and s.scalar(select(PrintJob.id).where(
                PrintJob.entity_id == entity_id, PrintJob.kind == kind, PrintJob.status == "printed").limit(1))
        if printed:  # it came out meanwhile (F11 or the queue got there first): no second original
            return PrintOutcome(printed, True, translate("print.printed"))
        if queued is None:
            return print_job(t.store, render, kind, entity_id, 0, t.clock.now())
        return _attempt(t.store, render, queued, t.clock.now())


def _choose(t: Terminal, actor: Actor, kind: str, entity_id: str, job_id: int | None) -> int:
    """The job that prints this receipt next, in one unit of work: the original while none has printed, else a
    counted 重打.

    A waiting job is reused rather than a new one made, so each receipt waits in the queue once;
    a 重打 that failed keeps its count for the next try (the paper that comes out says 第N次 once).
    """
    now = t.clock.now()
    with t.store.transaction() as s:
        rows = s.execute(select(PrintJob.id, PrintJob.status, PrintJob.reprint).where(
            PrintJob.entity_id == entity_id, PrintJob.kind == kind).order_by(PrintJob.id)).all()
        printed = [r for r in rows if r.status == "printed"]
        waiting = [r for r in rows if r.status in WAITING_PRINT_STATES]
        chosen = next((r for r in waiting if r.id == job_id), None)
        counted = next((r for r in ([chosen] if chosen else []) + waiting if r.reprint > 0), None)
        last_count = max((r.reprint for r in printed), default=0)
        if not printed:  # never on paper: whatever prints now is the original
            job = chosen or (waiting[0] if waiting else None)
            if job is None:
                return _new_job(s, kind, entity_id, 0, now).id
            s.get(PrintJob, job.id).reprint = 0
            return job.id
        if counted is not None and counted.reprint > last_count:
            return counted.id
        if kind in ("payment", "reversal"):
            count = count_reprint(s, actor, entity_id, now)  # counted and audited with the job that prints it
        else:
            require(actor, "receipt.reprint")
            count = last_count + 1
        if chosen is None:
            return _new_job(s, kind, entity_id, count, now).id
        s.get(PrintJob, chosen.id).reprint = count
        return chosen.id


def reprint(t: Terminal, actor: Actor, render: Render, payment_id: str) -> PrintOutcome:
    """F11: print a payment's receipt again; 重打 with its count only once one has come out."""
    with t.store.read() as s:
        payment = s.get(Payment, payment_id)
        if payment is None:
            raise DomainError("reversal.unknown", id=payment_id)
        kind = payment.kind
    with _one_at_a_time(kind, payment_id):
        return _attempt(t.store, render, _choose(t, actor, kind, payment_id, None), t.clock.now())


def print_waiting(t: Terminal, actor: Actor, render: Render, job_id: int) -> PrintOutcome:
    """Enter in the reprint queue: print that job's receipt (the original if it never printed)."""
    with t.store.read() as s:
        job = s.get(PrintJob, job_id)
        if job is None:
            raise DomainError("print.unknown_job", id=job_id)
        kind, entity_id = job.kind, job.entity_id
    with _one_at_a_time(kind, entity_id):
        with t.store.read() as s:
            if s.get(PrintJob, job_id).status not in WAITING_PRINT_STATES:  # printed meanwhile (F11, the original)
                raise DomainError("print.unknown_job", id=job_id)
        return _attempt(t.store, render, _choose(t, actor, kind, entity_id, job_id), t.clock.now())


def waiting_jobs(store: Store) -> list[WaitingJob]:
    """Receipts that did not print, oldest first: what the reprint queue shows."""
    return list(print_queue(store).jobs)
