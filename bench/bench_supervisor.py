"""The supervisor's screens at hall scale: the arrears list, its trend and the collection figures
computed in the background; then what the GUI thread does with the list (fill, sort, filter)
at 100,000 rows, which must stay well under the ~100 ms a person notices.

    python bench/bench_supervisor.py                       (seeds 200,000 accounts in a temp folder)
    python bench/bench_supervisor.py --db path/cashier.db  (an existing hall)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def timed(fn, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--on", default="2026-11-27")
    args = parser.parse_args()
    on = date.fromisoformat(args.on)

    from cashier import collection
    from cashier.store import Store

    if args.db:
        path = Path(args.db)
    else:
        from cashier.demo.seed import seed_database

        path = Path(tempfile.mkdtemp()) / "cashier.db"
        t0 = time.perf_counter()
        seed_database(path, args.accounts, seed=3, as_of=on)
        print(f"seeded {args.accounts:,} accounts in {time.perf_counter() - t0:.1f} s")
    store = Store.open(path)
    with store.read() as s:
        report, t_arrears = timed(lambda: collection.arrears(s, on))
        trend, t_trend = timed(lambda: collection.arrears_trend(s, on))
        rates, t_rates = timed(lambda: collection.collection(s, date(on.year, 1, 1), on, on))
    print(f"background: arrears list of {len(report.accounts):,} accounts {t_arrears:.2f} s; "
          f"12-month trend {t_trend:.2f} s; collection rates ({len(rates.by_collector)} collectors) {t_rates:.2f} s")

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from cashier.collection import ArrearsAccount
    from ui.arrears_view import ArrearsFilter, ArrearsModel

    app = QApplication.instance() or QApplication([])
    rows = list(report.accounts)
    base = len(rows)
    i = 0
    while len(rows) < 100_000:  # pad to 100,000 rows with copies under new numbers
        a = report.accounts[i % base]
        rows.append(ArrearsAccount(f"9{len(rows):09d}", a.name, a.customer_class, a.station, a.transformer_area,
                                   a.collector, a.overdue_days, a.bills, a.principal_fen, a.penalty_fen, a.bucket,
                                   a.notified_on, a.disconnection_candidate))
        i += 1
    model = ArrearsModel()
    _, t_fill = timed(lambda: model.set_accounts(rows), 5)
    _, t_sort = timed(lambda: model.sort(7, Qt.SortOrder.DescendingOrder), 5)
    _, t_sort_name = timed(lambda: model.sort(1, Qt.SortOrder.AscendingOrder), 5)
    collector = rows[0].collector or ""
    _, t_filter = timed(lambda: model.set_filter(ArrearsFilter(collector=collector)), 5)
    _, t_text = timed(lambda: model.set_filter(ArrearsFilter(text="张")), 5)
    _, t_clear = timed(lambda: model.set_filter(ArrearsFilter()), 5)
    app.processEvents()
    print(f"GUI thread at {len(rows):,} rows (median of 5): fill {t_fill * 1000:.0f} ms, sort by arrears "
          f"{t_sort * 1000:.0f} ms, sort by name {t_sort_name * 1000:.0f} ms, filter by collector "
          f"{t_filter * 1000:.0f} ms, filter by text {t_text * 1000:.0f} ms, clear filter {t_clear * 1000:.0f} ms")
    store.close()


if __name__ == "__main__":
    main()
