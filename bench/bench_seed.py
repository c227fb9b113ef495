"""How long ``demo-seed`` takes, and how much memory, at hall scale.

    python bench/bench_seed.py                      # 1,000,000 accounts (target: <= 3 minutes)
    python bench/bench_seed.py --accounts 200000

Seeds into a temporary folder that is removed afterwards; prints each stage's elapsed time,
the total, the accounts/bills/arrears counts, the database size and the peak memory.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cashier.demo.seed import seed_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-seed-"))
    try:
        report = seed_database(folder / "cashier.db", args.accounts, args.seed, date(2026, 11, 27),
                               progress=lambda m: print("  " + m, flush=True))
        size = sum(p.stat().st_size for p in folder.iterdir())
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"accounts: {report.accounts:,}  bills: {report.bills:,}  in arrears: {report.accounts_in_arrears:,}"
              f"  disconnected: {report.disconnected:,}")
        print(f"total: {report.seconds:.1f} s (target <= 180 s)  database: {size / 2**20:,.0f} MiB"
              f"  peak memory: {peak:,.0f} MiB (token worker: {children:,.0f} MiB)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
