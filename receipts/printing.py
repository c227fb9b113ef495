"""Putting a document on paper, screen or PDF: the renderer the core's print queue (``cashier.printing``) calls.

``ReceiptRenderer`` builds a receipt from the store (payment, reversal, cash movement, shift
report) and sends it to the configured printer: ESC/POS bytes to a real one, a PNG for the
preview printer, a PDF file for the PDF printer. It raises ``PrintError`` (or another
``CashierError``) when the receipt did not come out; the queue decides what that means.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cashier.printer_uri import parse_printer_uri
from cashier.printing import Output
from cashier.settings import PrinterSettings
from cashier.store import Store
from receipts.builders import Hall, cash_movement_document, payment_document, shift_report_of
from receipts.document import Document
from receipts.transports import PrintError, send, write_preview

__all__ = ["Output", "PrintError", "Printer", "ReceiptRenderer", "TestPage", "build", "print_test_page"]


@dataclass
class Printer:
    """A configured receipt printer of this terminal."""

    settings: PrinterSettings
    preview_dir: Path
    timeout: float = 5.0

    def output(self, doc: Document, job_id: int) -> Output:
        target = parse_printer_uri(self.settings.uri)
        if target.kind == "pdf":
            from cashier.files import writable_file
            from receipts.pdf import document_pdf

            folder = Path(target.path) if target.path else self.preview_dir.parent / "receipts"
            return Output(document_pdf(doc, writable_file(folder, f"receipt-{job_id:06d}.pdf")))
        if target.kind == "preview":
            from receipts.raster import render_image

            return Output(write_preview(self.preview_dir, f"job-{job_id:06d}", render_image(doc, self.settings.width)))
        from receipts.escpos_render import render_escpos  # python-escpos loads slowly: only when printing

        sent = send(self.settings.uri, render_escpos(doc, self.settings.width, raster=self.settings.raster),
                    self.timeout)
        return Output(None, sent.warnings)


def build(store: Store, hall: Hall, kind: str, entity_id: str, reprint: int = 0) -> Document:
    with store.read() as s:
        if kind in ("payment", "reversal"):
            return payment_document(s, hall, entity_id, reprint)
        if kind == "cash_movement":
            return cash_movement_document(s, hall, entity_id, reprint)
        if kind == "shift_report":
            return shift_report_of(s, hall, entity_id, reprint)
    raise ValueError(f"no receipt for {kind!r}")


@dataclass(frozen=True)
class ReceiptRenderer:
    """The ``cashier.printing.Render`` of a hall's printer: builds the receipt, then prints it."""

    printer: Printer
    hall: Hall

    def __call__(self, store: Store, kind: str, entity_id: str, reprint: int, job_id: int) -> Output:
        return self.printer.output(build(store, self.hall, kind, entity_id, reprint), job_id)


@dataclass(frozen=True)
class TestPage:
    preview: Path | None  # the drawn page, for the preview printer
    bytes_sent: int = 0
    warnings: tuple[str, ...] = ()  # message keys (printer.paper_near_end)


def print_test_page(uri: str, width: int, raster: bool, hall: Hall, preview_dir: Path, timeout: float = 5.0) -> TestPage:
    """The sample receipt (Chinese, 大写 amount, QR, drawer kick) to a printer, or drawn for the preview one."""
    from receipts.builders import sample_document
    from receipts.escpos_render import render_escpos
    from receipts.raster import render_image

    doc = sample_document(hall)
    kind = parse_printer_uri(uri).kind
    if kind in ("preview", "pdf"):  # a PDF printer's test page is the picture of the sample receipt
        return TestPage(write_preview(preview_dir, "print-test", render_image(doc, width)))
    sent = send(uri, render_escpos(doc, width, raster=raster), timeout=timeout)
    return TestPage(None, sent.bytes_sent, sent.warnings)
