"""Printers for tests: a real ``file://`` printer, one whose folder is missing, and its paper read back."""

from pathlib import Path

from receipts.printing import Printer
from cashier.settings import PrinterSettings
from tests.helpers.escpos_decode import decode


def file_printer(path: Path) -> Printer:
    return Printer(PrinterSettings(uri=f"file://{path}", width=58), path.parent / "previews", timeout=1.0)


def dead_printer(tmp_path: Path) -> Printer:
    """A file printer in a folder that does not exist: every print fails (printer.unreachable)."""
    return file_printer(tmp_path / "no-such-folder" / "receipt.bin")


def paper(path: Path) -> str:
    """The receipt's text, decoded from the ESC/POS bytes the printer got."""
    return "\n".join(line.text for line in decode(path.read_bytes()).lines)
