"""Payment commit latency against the physical floor of one durable SQLite write.

    python bench/bench_payment.py [--payments 1000] [--accounts 20000]

Takes real payments of what each account owes (quote, allocation, receipt number, tenders, allocations, audit and outbox
in one transaction, WAL + synchronous=FULL) on a seeded hall, and times the same number of
bare single-row inserts with the same pragmas on the same disk — one fsync each, the floor.
Prints p50/p99/max of both and the ratio of the p99s (target: within 1.5x).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cashier import shifts  # noqa: E402
from cashier.auth import Actor, Role  # noqa: E402
from cashier.clock import FixedClock  # noqa: E402
from cashier.demo.seed import seed_database  # noqa: E402
from cashier.ids import uuid7  # noqa: E402
from cashier.payments import TenderLine, take_payment  # noqa: E402
from cashier.quote import quote_account  # noqa: E402
from cashier.store import Store  # noqa: E402
from cashier.store.schema import make_engine  # noqa: E402
from cashier.terminal import Terminal  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def floor_inserts(folder: Path, count: int) -> list[float]:
    """One row per transaction, same pragmas and BEGIN IMMEDIATE as the store's writer."""
    engine = make_engine(folder / "floor.db")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id TEXT PRIMARY KEY, v INTEGER)")
    raw = engine.raw_connection()
    timings = []
    for i in range(count):
        t0 = time.perf_counter()
        cur = raw.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("INSERT INTO t VALUES (?, ?)", (uuid7(), i))
        cur.execute("COMMIT")
        timings.append((time.perf_counter() - t0) * 1000)
    raw.close()
    engine.dispose()
    return timings


def payments(folder: Path, count: int, accounts: int) -> list[float]:
    path = folder / "cashier.db"
    seed_database(path, accounts, seed=3, as_of=date(2026, 3, 1))
    store = Store.open(path)
    raw = sqlite3.connect(path)
    user_id, username = raw.execute("SELECT id, username FROM users WHERE role = 'cashier' LIMIT 1").fetchone()
    numbers = [r[0] for r in raw.execute("SELECT account_no FROM accounts ORDER BY random() LIMIT ?", (count,))]
    raw.close()
    cashier = Actor(user_id, username, "收费员", Role.CASHIER)
    terminal = Terminal(store=store, clock=FixedClock(at=datetime(2026, 3, 2, 2, 0)))
    shifts.open_shift(terminal, cashier, {10000: 20})
    rng = random.Random(1)
    timings = []
    for number in numbers:
        with store.read() as session:  # the counter quotes first, then takes what is due
            due = quote_account(session, number, terminal.clock.business_date()).total_due_fen
        amount = due or rng.randint(5000, 300000)
        t0 = time.perf_counter()
        take_payment(terminal, cashier, number, amount, [TenderLine("cash", amount + rng.randint(0, 5000))])
        timings.append((time.perf_counter() - t0) * 1000)
    store.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1000)
    parser.add_argument("--accounts", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent.parent) as tmp:
        folder = Path(tmp)
        floor = floor_inserts(folder, args.payments)
        paid = payments(folder, args.payments, args.accounts)
    print(f"{'':<28}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, values in (("bare insert (one fsync)", floor), ("payment commit", paid)):
        print(f"{name:<28}{len(values):>6}{statistics.median(values):9.2f}{percentile(values, .99):9.2f}{max(values):9.2f}")
    print(f"p99 ratio payment/floor: {percentile(paid, .99) / percentile(floor, .99):.2f} (target <= 1.5)"
          f"   p50 ratio: {statistics.median(paid) / statistics.median(floor):.2f}")


if __name__ == "__main__":
    main()
