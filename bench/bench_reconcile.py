"""Reconciliation of a 100,000-line statement against a ledger holding those payments (target ≤ 10 s).

    python bench/bench_reconcile.py                      (SQLite in a temp folder)
    python bench/bench_reconcile.py --db postgresql://…  (an empty PostgreSQL database)
    python bench/bench_reconcile.py --lines 20000 --provider alipay

The ledger is filled once (not timed): payments with the provider's tender, a few a hundred with a
reversal, and a handful of differences so the run finds and stores mismatches. Timed: reading the statement
file (the provider's layout, written by upstream.payments.statements) and ``reconcile`` (compare + store).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from cashier.sync import protocol as p  # noqa: E402
from upstream import reconcile  # noqa: E402
from upstream.db import Database  # noqa: E402
from upstream.models import Document, Terminal  # noqa: E402
from upstream.payments.base import StatementLine  # noqa: E402
from upstream.payments.statements import read_statement, write_statement  # noqa: E402

DAY = date(2026, 3, 2)
TENDER = {"wechat": "wechat", "alipay": "alipay", "bank": "bank_card"}


def _body(kind, seq, tender, fen, reference, reverses=None):
    return {"id": str(uuid.UUID(int=seq)), "kind": kind, "terminal_id": f"T{seq % 20:02d}", "hall_code": "DEMO01",
            "seq": seq, "shift_id": "0192f000-0000-7000-8000-000000000001", "account_no": f"31{seq:08d}",
            "business_date": DAY.isoformat(), "created_at": "2026-03-02T02:00:00", "cashier": "王芳",
            "amount_fen": fen, "applied_fen": 0, "prepaid_credit_fen": fen, "tendered_fen": fen, "change_fen": 0,
            "penalty_waived_fen": 0, "reconnect_requested": False, "reverses_id": reverses,
            "prepaid_balance_after_fen": 0, "approval": None, "allocations": [],
            "tenders": [{"kind": tender, "amount_fen": fen, "reference": reference}]}


def fill(db: Database, n: int, provider: str) -> list[StatementLine]:
    tender = TENDER[provider]
    lines, rows = [], []
    at = datetime(2026, 3, 2, 8)
    with db.transaction() as s:
        for t in range(20):
            s.merge(Terminal(id=f"T{t:02d}", hall_code="DEMO01"))
    refunds = 0
    i = 0
    while len(lines) < n:
        i += 1
        fen = 100 + (i * 7919) % 90000
        ref = f"42000000012026030{i:012d}"
        rows.append(_body("payment", i, tender, fen, ref))
        stated = fen + (1 if i % 20000 == 0 else 0)  # a few amounts differ
        lines.append(StatementLine(provider, "payment", ref, uuid.UUID(int=i).hex, stated, at + timedelta(seconds=i % 30000)))
        if i % 200 == 0 and len(lines) < n:  # a reversal refunded through the provider
            refunds += 1
            rows.append(_body("reversal", 10 * n + i, tender, fen, ref, reverses=str(uuid.UUID(int=i))))
            lines.append(StatementLine(provider, "refund", ref, uuid.UUID(int=i).hex, fen, at, refund_no=uuid.uuid4().hex))
    for start in range(0, len(rows), 5000):
        chunk = rows[start:start + 5000]
        with db.transaction() as s:
            s.execute(insert(Document), [dict(
                id=b["id"], kind=b["kind"], terminal_id=b["terminal_id"], seq=b["seq"], status="accepted",
                body_hash=p.body_hash(b), body=p.canonical_json(b), account_no=b["account_no"], shift_id=b["shift_id"],
                amount_fen=b["amount_fen"], business_date=DAY, received_at=datetime(2026, 3, 2, 2),
                reverses_id=b["reverses_id"], after_shift_close=False) for b in chunk])
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="PostgreSQL URL or SQLite path (default: a temp SQLite file)")
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--provider", choices=("wechat", "alipay", "bank"), default="wechat")
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="bench_reconcile_")
    db = Database(args.db or str(Path(folder) / "upstream.db"))
    t0 = time.perf_counter()
    lines = fill(db, args.lines, args.provider)
    data = write_statement(args.provider, lines)
    print(f"ledger and statement made in {time.perf_counter() - t0:.1f} s "
          f"({len(lines)} lines, {len(data) / 1e6:.1f} MB in {args.provider}'s layout)")
    t0 = time.perf_counter()
    read = read_statement(args.provider, data)
    t_read = time.perf_counter() - t0
    result = reconcile.reconcile(db, DAY, args.provider, read)
    total = time.perf_counter() - t0
    print(f"read statement: {t_read:.2f} s; reconcile (compare + store): {total - t_read:.2f} s")
    print(f"{args.lines}-line statement reconciled in {total:.2f} s (target ≤ 10 s): {result.matched} matched, "
          f"{len(result.mismatches)} mismatches, {result.new_alarms} alarms")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
