"""Printing a committed document without ever losing or blocking the money behind it.

The payment is already on disk when printing starts. Each print is a job row first, then
the bytes go to the printer; a job that fails stays ``failed`` in the queue (补打队列) with
the reason, and the caller gets a status to show instead of an exception. A reprint counts
itself on the payment (``record_reprint``) and says 重打 on the paper. The preview printer
writes the receipt as a PNG for the screen to show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from cashier.auth import Actor
from cashier.errors import CashierError
from cashier.i18n import translate
from cashier.payments import record_reprint
from cashier.printer_uri import parse_printer_uri
from cashier.settings import PrinterSettings
from cashier.store import Store
from cashier.store.models import Payment, PrintJob
from cashier.terminal import Terminal
from receipts.builders import Hall, cash_movement_document, payment_document, shift_report_of
from receipts.document import Document
from receipts.transports import PrintError, send, write_preview

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintOutcome:
    job_id: int
    printed: bool
    message: str  # for the status bar, in the current language
    error_key: str | None = None
    preview: Path | None = None  # the preview printer's picture, for the screen
    saved: Path | None = None  # the PDF printer's file


@dataclass
class Printer:
    """A configured receipt printer of this terminal."""

    settings: PrinterSettings
    preview_dir: Path
    timeout: float = 5.0

    def output(self, doc: Document, job_id: int) -> Path | None:
        target = parse_printer_uri(self.settings.uri)
        if target.kind == "pdf":
            from cashier.files import writable_file
            from receipts.pdf import document_pdf

            folder = Path(target.path) if target.path else self.preview_dir.parent / "receipts"
            return document_pdf(doc, writable_file(folder, f"receipt-{job_id:06d}.pdf"))
        if target.kind == "preview":
            from receipts.raster import render_image

            return write_preview(self.preview_dir, f"job-{job_id:06d}", render_image(doc, self.settings.width))
        from receipts.escpos_render import render_escpos  # python-escpos loads slowly: only when printing

        send(self.settings.uri, render_escpos(doc, self.settings.width, raster=self.settings.raster), self.timeout)
        return None


def build(store: Store, hall: Hall, kind: str, entity_id: str, reprint: int = 0) -> Document:
    with store.read() as s:
        if kind in ("payment", "reversal"):
            return payment_document(s, hall, entity_id, reprint)
        if kind == "cash_movement":
            return cash_movement_document(s, hall, entity_id, reprint)
        if kind == "shift_report":
            return shift_report_of(s, hall, entity_id, reprint)
    raise ValueError(f"no receipt for {kind!r}")


def print_job(store: Store, printer: Printer, hall: Hall, kind: str, entity_id: str, reprint: int, now) -> PrintOutcome:
    """Queue the job, then try it once; a failure leaves it in the queue, never raises."""
    with store.transaction() as s:
        job = PrintJob(kind=kind, entity_id=entity_id, reprint=reprint, status="pending", attempts=0, created_at=now)
        s.add(job)
        s.flush()
        job_id = job.id
    return _attempt(store, printer, hall, job_id, now)


def _attempt(store: Store, printer: Printer, hall: Hall, job_id: int, now) -> PrintOutcome:
    with store.read() as s:
        job = s.get(PrintJob, job_id)
        kind, entity_id, reprint = job.kind, job.entity_id, job.reprint
    preview, error = None, None
    try:
        preview = printer.output(build(store, hall, kind, entity_id, reprint), job_id)
    except CashierError as exc:  # PrintError, a bad URI, a missing font
        error = exc
        log.warning("print job %s (%s %s) failed: %s", job_id, kind, entity_id, exc.message("en"))
    with store.transaction() as s:
        job = s.get(PrintJob, job_id)
        job.attempts += 1
        if error is None:
            job.status, job.printed_at, job.last_error = "printed", now, None
        else:
            job.status, job.last_error = "failed", error.key
    if error is None and preview is not None and preview.suffix == ".pdf":
        return PrintOutcome(job_id, True, translate("print.saved_pdf", file=str(preview)), saved=preview)
    if error is None:
        return PrintOutcome(job_id, True, translate("print.printed"), preview=preview)
    return PrintOutcome(job_id, False, translate("print.queued", reason=str(error)), error.key)


def print_receipt(t: Terminal, printer: Printer, hall: Hall, kind: str, entity_id: str) -> PrintOutcome:
    """The original receipt of a document just committed."""
    return print_job(t.store, printer, hall, kind, entity_id, 0, t.clock.now())


def reprint(t: Terminal, actor: Actor, printer: Printer, hall: Hall, payment_id: str) -> PrintOutcome:
    """重打: counted and audited first, then printed with its count on the paper."""
    count = record_reprint(t, actor, payment_id)
    with t.store.transaction() as s:  # queued copies are superseded by this reprint
        for job in s.scalars(select(PrintJob).where(PrintJob.entity_id == payment_id, PrintJob.status == "failed")):
            job.status = "dismissed"
    with t.store.read() as s:
        kind = s.get(Payment, payment_id).kind
    return print_job(t.store, printer, hall, kind, payment_id, count, t.clock.now())


def waiting_jobs(store: Store) -> list[PrintJob]:
    """Receipts that did not print, oldest first: what the reprint queue shows."""
    with store.read() as s:
        jobs = s.scalars(select(PrintJob).where(PrintJob.status.in_(("pending", "failed"))).order_by(PrintJob.id)).all()
        for job in jobs:
            s.expunge(job)
        return list(jobs)


__all__ = ["PrintError", "PrintOutcome", "Printer", "print_receipt", "reprint", "waiting_jobs"]


@dataclass(frozen=True)
class TestPage:
    preview: Path | None  # the drawn page, for the preview printer
    bytes_sent: int = 0


def print_test_page(uri: str, width: int, raster: bool, hall: Hall, preview_dir: Path, timeout: float = 5.0) -> TestPage:
    """The sample receipt (Chinese, 大写 amount, QR, drawer kick) to a printer, or drawn for the preview one."""
    from receipts.builders import sample_document
    from receipts.escpos_render import render_escpos
    from receipts.raster import render_image

    doc = sample_document(hall)
    kind = parse_printer_uri(uri).kind
    if kind in ("preview", "pdf"):  # a PDF printer's test page is the picture of the sample receipt
        return TestPage(write_preview(preview_dir, "print-test", render_image(doc, width)))
    return TestPage(None, send(uri, render_escpos(doc, width, raster=raster), timeout=timeout).bytes_sent)
