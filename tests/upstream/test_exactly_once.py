"""20 terminals × 500 payments (PostgreSQL) through a proxy that drops, delays, truncates and duplicates.

The upstream must end up with exactly 10,000 payments whose sums match the terminals' to the
fen, every terminal's sequence contiguous, and every terminal's pending count back at zero.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

from sqlalchemy import func, select

from cashier import shifts
from cashier.clock import Clock
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.store.models import OutboxEntry, Payment
from cashier.sync.client import SyncError
from cashier.sync.engine import read_status
from tests.helpers.fault_proxy import FaultProxy
from tests.upstream.conftest import Counter_
from upstream.importer import write
from upstream.models import Account as UpAccount, Alarm, Conflict, Document, DocumentAllocation, Terminal
from cashier.sync.protocol import AccountRow, BillRow
from datetime import date

TERMINALS = 20
# The full 20 × 500 on PostgreSQL (production); SQLite, the embedded default, 20 × 100 to keep the suite short.
PAYMENTS_BY_BACKEND = {"postgresql": 500, "sqlite": 50}


def _accounts(n: int = 60):
    accounts, bills = [], []
    for i in range(n):
        no = f"32020{i:05d}"
        accounts.append(AccountRow(account_no=no, name=f"客户{i}", address=f"河西街道{i}号",
                                   customer_class=("residential", "commercial")[i % 2]))
        for m, due in (("202601", date(2026, 2, 20)), ("202602", date(2026, 3, 20))):
            amount = 3000 + 97 * i + (m == "202602") * 511
            bills.append(BillRow(bill_no=f"E{no}{m}", account_no=no, period=m, kwh=amount // 55,
                                 principal_fen=amount, due_date=due, outstanding_fen=amount))
    return accounts, bills


def _until_synced(c: Counter_, rounds: int = 400) -> None:
    for _ in range(rounds):
        try:
            c.syncer.run_once()
        except SyncError:
            continue
        with c.hall.store.read() as s:
            if read_status(s, True).pending == 0:
                return
    raise AssertionError("the terminal never drained its outbox")


def _terminal_work(c: Counter_, seed: int, errors: list, payments: int) -> None:
    try:
        rng = random.Random(seed)
        t, h = c.hall.terminal, c.hall
        _until_synced(c)  # the snapshot, through the faults
        shifts.open_shift(t, h.cashier, {10000: 5})
        numbers = [f"32020{i:05d}" for i in range(60)]
        for n in range(payments):
            number = rng.choice(numbers)
            with h.store.read() as s:
                due = quote_account(s, number, h.clock.business_date()).total_due_fen
            amount = due + rng.choice((0, 0, 0, 1, 250, 10000)) if due else rng.randint(100, 20000)
            if rng.random() < 0.3:
                tenders = [TenderLine("wechat", amount, f"42000{seed:02d}{n:05d}")]
            else:
                tenders = [TenderLine("cash", amount + rng.choice((0, 0, 50, 1000)))]
            take_payment(t, h.cashier, number, amount, tenders)
            if n % 25 == 24:
                try:
                    c.syncer.run_once()
                except SyncError:
                    pass
        _until_synced(c)
    except BaseException as exc:  # noqa: BLE001 - reported by the main thread
        errors.append(exc)


class _Remote:
    """The upstream in its own process; ``db`` for the test's own reads."""

    def __init__(self, db, process) -> None:
        self.db, self.url, self.process = db, process.url, process


def test_exactly_once_under_faults(upstream_db, tmp_path: Path):
    from upstream import server

    PAYMENTS = PAYMENTS_BY_BACKEND[upstream_db.engine.dialect.name]
    write(upstream_db, *_accounts(), hall_code="DEMO01")
    running = _Remote(upstream_db, server.spawn(upstream_db.url))
    host, port = running.url.removeprefix("http://").split(":")
    proxy = FaultProxy((host, int(port)), fault_rate=0.3, seed=7)
    # Real clocks: the spawned upstream checks each payment's date against its own clock (upstream/checks.py).
    counters = [Counter_(tmp_path / f"t{i:02d}", running, terminal_id=f"T{i:02d}", url=proxy.url,
                         clock=Clock(timezone="Asia/Shanghai"))
                for i in range(TERMINALS)]
    errors: list = []
    threads = [threading.Thread(target=_terminal_work, args=(c, i, errors, PAYMENTS)) for i, c in enumerate(counters)]
    try:
        for th in threads:
            th.start()
        for th in threads:
            th.join(600)
        assert not errors, errors[0]
        local_total = local_count = 0
        for c in counters:
            with c.hall.store.read() as s:
                local_count += s.scalar(select(func.count()).select_from(Payment))
                local_total += s.scalar(select(func.sum(Payment.applied_fen + Payment.prepaid_credit_fen)))
                statuses = set(s.scalars(select(OutboxEntry.status).distinct()))
            assert statuses <= {"accepted", "duplicate"}
        assert local_count == TERMINALS * PAYMENTS
        with running.db.sessions() as s:
            docs = s.execute(select(func.count(), func.count(func.distinct(Document.id)), func.sum(Document.amount_fen))
                             .where(Document.kind == "payment")).one()
            assert tuple(docs) == (TERMINALS * PAYMENTS, TERMINALS * PAYMENTS, local_total)
            assert {(t.contiguous_seq, t.max_seq) for t in s.scalars(select(Terminal))} == {(PAYMENTS, PAYMENTS)}
            assert s.scalar(select(func.count()).select_from(Conflict)) == 0
            assert s.scalar(select(func.count()).select_from(Alarm).where(Alarm.cleared_at.is_(None))) == 0
            # Money is conserved upstream: every fen went to a bill or to a prepaid balance.
            applied = s.scalar(select(func.sum(DocumentAllocation.penalty_fen + DocumentAllocation.principal_fen)))
            balances = s.scalar(select(func.sum(UpAccount.prepaid_balance_fen)))
            assert applied + balances == local_total
        seen = proxy.seen
        assert all(seen[f] > 0 for f in ("drop_before", "drop_after", "delay", "502", "503", "truncate", "duplicate")), seen
    finally:
        running.process.stop()
        proxy.stop()
        for c in counters:
            c.close()
