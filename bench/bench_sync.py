"""Sync figures: upstream ingest through the API vs the raw insert, backlog drain, snapshot of a new terminal.

    python bench/bench_sync.py ingest   [--payments 40000] [--terminals 8] [--workers 2] [--accounts 50000]
    python bench/bench_sync.py backlog  [--payments 10000]
    python bench/bench_sync.py snapshot [--accounts 1000000] [--refetch] [--keep | --db URL] [--profile FILE]

ingest: payments pushed to the upstream on PostgreSQL over loopback HTTP, in batches of 500,
by several terminals at once, each applied to its account's bills server-side; then the same
rows written by a raw multi-row INSERT into the same table (no API, no allocation) for the
ratio. Targets: >= 5,000 payments/s and >= 25 % of the raw rate.
backlog: one terminal with 10,000 real payments taken offline drains them over loopback
(push in batches of the configured size). Target <= 10 s.
snapshot: a new terminal loads 1,000,000 accounts with their open bills from the upstream
(pages over HTTP read in worker processes, staged in its SQLite store as copies of its own tables
and search index, then renamed into place; search index included). Target <= 60 s.
With --refetch, then a forced refetch of the same terminal (the snapshot laid over the
loaded picture: 1,000 accounts paid elsewhere meanwhile must show nothing open). The machine's load
average is printed with each figure: these are CPU-bound and mean little on a busy machine, so the CPU
seconds of the terminal (its own and its pool's) and of the upstream's process are printed too.
--keep leaves the filled upstream database (its URL is printed) and --db URL snapshots from one so kept,
without filling it again (the fill of 1M accounts takes minutes); --refetch changes it, so one kept
database serves one --refetch run. --profile FILE writes cProfile figures of the terminal's snapshot.

PostgreSQL comes from `.ci/start-postgres` (or CASHIER_TEST_PG); each run uses a new database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from cashier.ids import uuid7  # noqa: E402
from cashier.sync.client import UpstreamClient  # noqa: E402
from cashier.sync.protocol import AccountRow, BillRow  # noqa: E402
from tests.helpers import pg  # noqa: E402
from upstream import accounts, server, terminals  # noqa: E402
from upstream.db import Database  # noqa: E402
from upstream.importer import write  # noqa: E402
from upstream.models import Document  # noqa: E402


def rows(n: int, bills_per_account: int = 2) -> tuple[list[AccountRow], list[BillRow]]:
    rng = random.Random(5)
    accounts, bills = [], []
    for i in range(n):
        no = f"4{i:09d}"
        accounts.append(AccountRow(account_no=no, name=f"客户{i % 997}号{i // 997}", address=f"城关镇人民路{i % 500}号{i % 37}室",
                                   phone=f"139{i:08d}", customer_class="residential" if i % 5 else "commercial",
                                   collector=f"收费员{i % 40}", station="城关供电所", transformer_area=f"台区{i % 300}"))
        for k in range(bills_per_account):
            amount = rng.randint(2000, 40000)
            due = date(2026, 2, 25) if k == 0 else date(2026, 3, 25)
            bills.append(BillRow(bill_no=f"B{no}{k}", account_no=no, period=f"20260{k + 1}", kwh=amount // 55,
                                 principal_fen=amount, due_date=due, outstanding_fen=amount))
    return accounts, bills


def payment_body(terminal: str, seq: int, shift: str, account_no: str, amount: int) -> dict:
    at = datetime.now(timezone.utc)  # the upstream checks dates against its clock (upstream/checks.py)
    now, today = at.isoformat(), at.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    return {"kind": "payment", "body": {
        "id": uuid7(), "kind": "payment", "terminal_id": terminal, "hall_code": "BENCH", "seq": seq, "shift_id": shift,
        "account_no": account_no, "business_date": today, "created_at": now, "cashier": "c1",
        "amount_fen": amount, "applied_fen": 0, "prepaid_credit_fen": amount, "tendered_fen": amount, "change_fen": 0,
        "penalty_waived_fen": 0, "reconnect_requested": False, "reverses_id": None, "prepaid_balance_after_fen": amount,
        "approval": None, "tenders": [{"kind": "cash", "amount_fen": amount, "reference": None}], "allocations": []}}


def new_pg_database() -> str:
    return pg.create_database()


def bench_ingest(args) -> None:
    url = new_pg_database()
    db = Database(url)
    write(db, *rows(args.accounts), hall_code="BENCH")
    proc = server.spawn(url, workers=args.workers)
    try:
        per = args.payments // args.terminals
        batches: list[list[tuple[str, list[dict]]]] = []
        rng = random.Random(1)
        for t in range(args.terminals):
            terminal = f"B{t:02d}"
            code = terminals.create_enrollment_code(db, "BENCH", terminal)
            token = terminals.enroll(db, code).token
            shift = uuid7()
            items = [payment_body(terminal, seq, shift, f"4{rng.randrange(args.accounts):09d}", rng.randint(100, 50000))
                     for seq in range(1, per + 1)]
            batches.append([(token, items[i:i + 500]) for i in range(0, per, 500)])
        errors = []
        # The terminals are other machines in real life: their requests are encoded before the clock starts,
        # and answers are checked without building models, so the figure is the upstream's own.
        encoded = [[(token, json.dumps({"items": batch}).encode()) for token, batch in work] for work in batches]

        def terminal_push(work):
            import httpx

            with httpx.Client(base_url=proc.url + "/v1", timeout=120,
                              headers={"Authorization": f"Bearer {work[0][0]}",
                                       "Content-Type": "application/json"}) as http:
                for _token, body in work:
                    answer = http.post("/push", content=body)
                    statuses = {r["status"] for r in answer.json()["results"]} if answer.status_code == 200 else {"http"}
                    if statuses != {"accepted"}:
                        errors.append((answer.status_code, answer.text[:200]))

        threads = [threading.Thread(target=terminal_push, args=(w,)) for w in encoded]
        started = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        api_seconds = time.perf_counter() - started
        assert not errors, errors[:3]
        total = per * args.terminals
        with db.sessions() as s:
            held = s.scalar(select(func.count()).select_from(Document).where(Document.kind == "payment"))
            bodies = [(d.id, d.kind, d.terminal_id, d.seq, d.body_hash, d.body, d.account_no, d.shift_id, d.amount_fen,
                       d.business_date, d.received_at) for d in s.scalars(select(Document))]
        assert held == total, (held, total)
    finally:
        proc.stop()
    # The same rows, raw: multi-row INSERTs of 500 into a copy of the table, one transaction per batch.
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE raw_documents (LIKE documents INCLUDING ALL)"))
    insert = ("INSERT INTO raw_documents (id, kind, terminal_id, seq, status, body_hash, body, account_no, shift_id,"
              " amount_fen, business_date, received_at, after_shift_close) VALUES ")
    raw_conn = db.engine.raw_connection()
    started = time.perf_counter()
    cur = raw_conn.cursor()
    for i in range(0, len(bodies), 500):
        chunk = bodies[i:i + 500]
        values = ",".join(["(%s,%s,%s,%s,'accepted',%s,%s,%s,%s,%s,%s,%s,false)"] * len(chunk))
        cur.execute(insert + values, [v for row in chunk for v in row])
        raw_conn.commit()
    raw_seconds = time.perf_counter() - started
    raw_conn.close()
    db.dispose()
    pg.drop_database(url)
    api_rate, raw_rate = total / api_seconds, total / raw_seconds
    print(f"ingest on PostgreSQL: {total} payments from {args.terminals} terminals, {args.workers} server process(es)")
    print(f"  through the API (validated, deduplicated, applied to bills): {api_seconds:.2f} s = {api_rate:,.0f} payments/s"
          f"  (target >= 5,000)")
    print(f"  raw multi-row INSERT of the same rows: {raw_seconds:.2f} s = {raw_rate:,.0f} rows/s")
    print(f"  ratio API / raw: {100 * api_rate / raw_rate:.1f} %  (target >= 25 %)")


def bench_backlog(args) -> None:
    from cashier import shifts
    from cashier.payments import TenderLine, take_payment
    from cashier.sync.engine import RoundReport, Syncer, read_status
    from cashier.clock import Clock
    from tests.helpers.hall import make_hall

    folder = Path(tempfile.mkdtemp(prefix="bench-backlog-"))
    url = new_pg_database()
    db = Database(url)
    accounts, bills = rows(2000, 0)
    write(db, accounts, bills, hall_code="BENCH")
    proc = server.spawn(url)
    try:
        h = make_hall(folder, clock=Clock(timezone="Asia/Shanghai"))  # real time: the upstream checks dates
        h.terminal.hall_code = "BENCH"
        code = terminals.create_enrollment_code(db, "BENCH", "T01")
        token = terminals.enroll(db, code).token
        client = UpstreamClient(proc.url, token, timeout=60)
        syncer = Syncer(h.store, client, clock=h.clock, batch_size=args.batch)
        syncer.run_once()  # the snapshot: the accounts
        shifts.open_shift(h.terminal, h.cashier, {10000: 5})
        rng = random.Random(2)
        t0 = time.perf_counter()
        for _ in range(args.payments):  # offline: nothing goes up yet
            amount = rng.randint(100, 50000)
            take_payment(h.terminal, h.cashier, accounts[rng.randrange(len(accounts))].account_no, amount,
                         [TenderLine("cash", amount)])
        taking = time.perf_counter() - t0
        with h.store.read() as s:
            assert read_status(s, True).pending == args.payments
        started = time.perf_counter()
        report = RoundReport()
        syncer.push(report)
        drained = time.perf_counter() - started
        with h.store.read() as s:
            assert read_status(s, True).pending == 0
        with db.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Document)) == args.payments
        print(f"backlog: {args.payments} payments taken offline in {taking:.1f} s; drained over loopback to PostgreSQL "
              f"in {drained:.2f} s ({args.payments / drained:,.0f}/s, batches of {args.batch}; target <= 10 s): {report.pushed}")
        client.close()
        h.store.close()
    finally:
        proc.stop()
        db.dispose()
        pg.drop_database(url)


def bench_snapshot(args) -> None:
    from cashier.store import Store
    from cashier.store.models import Account, Bill
    from cashier.sync.engine import Syncer

    import logging

    logging.basicConfig(level=logging.WARNING, format="  %(message)s")
    logging.getLogger("cashier.sync.engine").setLevel(logging.INFO)
    url = args.db or new_pg_database()
    db = Database(url)
    if not args.db:
        t0 = time.perf_counter()
        accounts, bills = rows(args.accounts, 2)
        for i in range(0, len(accounts), 100_000):  # in slices: the pydantic rows of 1M accounts are large
            part = accounts[i:i + 100_000]
            nos = {a.account_no for a in part}
            write(db, part, [b for b in bills[2 * i:2 * i + 200_000] if b.account_no in nos], hall_code="BENCH")
        del accounts, bills
        print(f"upstream filled with {args.accounts:,} accounts and their open bills in {time.perf_counter() - t0:.0f} s")
        if args.keep:
            print(f"kept: --db {url}")
    proc = server.spawn(url)
    folder = Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    try:
        code = terminals.create_enrollment_code(db, "BENCH", "T01")
        token = terminals.enroll(db, code).token
        store = Store.open(folder / "cashier.db")
        client = UpstreamClient(proc.url, token, timeout=120)
        server_cpu, pg_cpu = _cpu_of(proc.process.pid), _pg_backends_cpu(url)
        cpu, pool_cpu = time.process_time(), _children_cpu()
        started = time.perf_counter()
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            report = profiler.runcall(Syncer(store, client).run_once)
            profiler.dump_stats(args.profile)
        else:
            report = Syncer(store, client).run_once()
        seconds = time.perf_counter() - started
        cpu, pool_cpu = time.process_time() - cpu, _children_cpu() - pool_cpu
        server_cpu = _cpu_of(proc.process.pid) - server_cpu
        pg_cpu = sum(v - pg_cpu.get(pid, 0.0) for pid, v in _pg_backends_cpu(url).items())
        with store.read() as s:
            n_accounts = s.scalar(select(func.count()).select_from(Account))
            n_bills = s.scalar(select(func.count()).select_from(Bill))
        from cashier.search import search
        with store.read() as s:
            assert search(s, f"4{min(123456, args.accounts - 1):09d}").hits
        print(f"snapshot: {n_accounts:,} accounts and {n_bills:,} open bills loaded into a new terminal in {seconds:.0f} s "
              f"(target <= 60 s), search index included; snapshot={report.snapshot}; load average {_load()}")
        print(f"  CPU: terminal {cpu:.1f} s (+ its pool {pool_cpu:.1f} s), upstream process {server_cpu:.1f} s, "
              f"its PostgreSQL backends {pg_cpu:.1f} s")
        if args.refetch:
            from datetime import date as _date

            step = max(1, args.accounts // 1000)
            paid = [f"4{i:09d}" for i in range(0, args.accounts, step)]
            from upstream import accounts as upstream_accounts

            for account_no in paid:
                upstream_accounts.pay_other_channel(db, account_no, 50_000, "bank", _date(2026, 3, 2))
            started = time.perf_counter()
            report = Syncer(store, client).run_once(refetch=True)
            seconds = time.perf_counter() - started
            with store.read() as s:
                still_open = s.scalar(select(func.count()).select_from(Bill).join(Account).where(
                    Bill.outstanding_fen > 0, Account.account_no.in_(paid)))
            from upstream.models import Account as UpAccount, Bill as UpBill

            with db.sessions() as s:  # ¥500 each: some of them owed more, and still owe it
                upstream_open = s.scalar(select(func.count()).select_from(UpBill).join(UpAccount).where(
                    UpBill.outstanding_fen > 0, UpBill.cancelled.is_(False), UpAccount.account_no.in_(paid)))
            print(f"refetch: the loaded terminal replaced its picture with a new snapshot in {seconds:.0f} s; "
                  f"bills still open of the {len(paid)} accounts paid ¥500 elsewhere meanwhile: {still_open} "
                  f"(upstream: {upstream_open}{'' if still_open == upstream_open else ' — DIFFERENT'}); "
                  f"load average {_load()}")
        client.close()
        store.close()
    finally:
        proc.stop()
        db.dispose()
        if not (args.db or args.keep):
            pg.drop_database(url)


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pg_backends_cpu(url: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving ``url``'s database (found by its process title)."""
    name = url.rsplit("/", 1)[1].split("?")[0]
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {name} " in title:
                found[int(entry.name)] = _cpu_of(int(entry.name))
    return found


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the search index's pool)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--payments", type=int, default=40000)
    p.add_argument("--terminals", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--accounts", type=int, default=50000)
    p = sub.add_parser("backlog")
    p.add_argument("--payments", type=int, default=10000)
    p.add_argument("--batch", type=int, default=500)
    p = sub.add_parser("snapshot")
    p.add_argument("--accounts", type=int, default=1_000_000)
    p.add_argument("--refetch", action="store_true", help="then time a forced refetch of the loaded terminal")
    p.add_argument("--keep", action="store_true", help="keep the filled upstream database (its URL is printed)")
    p.add_argument("--db", help="snapshot from an upstream database filled and kept by an earlier --keep run")
    p.add_argument("--profile", help="write cProfile figures of the terminal's snapshot to this file")
    args = parser.parse_args()
    {"ingest": bench_ingest, "backlog": bench_backlog, "snapshot": bench_snapshot}[args.what](args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
