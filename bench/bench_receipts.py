"""Receipt and report speed: ESC/POS bytes per receipt, and a 5,000-payment shift report PDF.

    python bench/bench_receipts.py

Targets: receipt bytes built in <= 5 ms; shift-report PDF of 5,000 payments in <= 2 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cashier.reports import ShiftTotals  # noqa: E402
from receipts.builders import Hall, sample_document  # noqa: E402
from receipts.escpos_render import render_escpos  # noqa: E402
from receipts.pdf import PaymentLine, register_font, shift_report_pdf  # noqa: E402


def timed(fn, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    hall = Hall()
    doc = sample_document(hall)
    print(f"{'':<34}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}")
    for width in (58, 80):
        for raster in (False, True):
            n = 50 if raster else 1000
            values = sorted(timed(lambda: render_escpos(doc, width, raster=raster), n))
            name = f"receipt bytes {width} mm {'raster' if raster else 'text'}"
            print(f"{name:<34}{n:>6}{statistics.median(values):9.2f}{values[int(0.99 * (n - 1))]:9.2f}")
    register_font()
    totals = ShiftTotals("S", "T01", 1, date(2026, 3, 2), "closed", {"cash": 1, "wechat": 2}, 5000, 10**9, 3, 300, 0, 1,
                         50000, 0, {"bank_pickup": 10000}, 1, 1, 0, None)
    at = datetime(2026, 3, 2, 2, 0)
    lines = [PaymentLine(i, at, f"3101{i:06d}", "payment", 12345 + i, "现金") for i in range(1, 5001)]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = shift_report_pdf(Path(tmp) / "shift.pdf", hall, totals, "李娜", lines)
        seconds = time.perf_counter() - t0
        size = path.stat().st_size
    print(f"shift report PDF, 5,000 payments: {seconds:.2f} s ({size / 1024:.0f} KiB)  (target <= 2 s)")


if __name__ == "__main__":
    main()
