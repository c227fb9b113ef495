"""A random day at a counter — payments whole, partial and over, penalty waivers, reversals, sync rounds in
between — leaves the terminal and the upstream with the same allocation lines for every payment (bill, penalty,
waived, principal), the same bills outstanding and the same prepaid balances: both apply ``cashier.rules``."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cashier import shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.quote import quote_account
from cashier.store.models import Account as LocalAccount
from cashier.store.models import Allocation, Bill as LocalBill, Payment
from tests.helpers import pg
from tests.upstream.conftest import Counter_, seed_rows, start_upstream
from upstream.db import Database
from upstream.importer import write
from upstream.models import Account, Bill, Document, DocumentAllocation

ACCOUNTS = [f"31010000{i:02d}" for i in range(1, 7)]  # the odd ones owe two bills with a penalty
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "6"))  # more: PROPERTY_EXAMPLES=200

pay = st.tuples(st.just("pay"), st.sampled_from(ACCOUNTS), st.sampled_from(["whole", "part", "over"]),
                st.booleans(), st.sampled_from(["cash", "wechat"]))
reverse = st.tuples(st.just("reverse"), st.integers(0, 20))
sync = st.tuples(st.just("sync"))
days = st.lists(st.one_of(pay, pay, reverse, sync), min_size=1, max_size=10)


def _terminal_lines(c: Counter_) -> dict[str, list[tuple]]:
    with c.hall.store.read() as s:
        bill_no = dict(s.execute(select(LocalBill.id, LocalBill.bill_no)).all())
        lines: dict[str, list[tuple]] = {}
        for a in s.scalars(select(Allocation).join(Payment).where(Payment.kind == "payment")):
            lines.setdefault(a.payment_id, []).append(
                (bill_no[a.bill_id], a.penalty_fen, a.penalty_waived_fen, a.principal_fen))
    return {k: sorted(v) for k, v in lines.items()}


def _upstream_lines(db) -> dict[str, list[tuple]]:
    with db.sessions() as s:
        bill_no = dict(s.execute(select(Bill.id, Bill.bill_no)).all())
        lines: dict[str, list[tuple]] = {}
        for a in s.scalars(select(DocumentAllocation).join(Document, Document.id == DocumentAllocation.document_id)
                           .where(Document.kind == "payment")):
            lines.setdefault(a.document_id, []).append(
                (bill_no[a.bill_id], a.penalty_fen, a.penalty_waived_fen, a.principal_fen))
    return {k: sorted(v) for k, v in lines.items()}


def _pictures(c: Counter_, db) -> tuple[dict, dict]:
    with c.hall.store.read() as s:
        mine = {(a, b): (o, st_) for a, b, o, st_ in s.execute(
            select(LocalAccount.account_no, LocalBill.bill_no, LocalBill.outstanding_fen,
                   LocalBill.penalty_settled_through).join(LocalAccount, LocalAccount.id == LocalBill.account_id))}
        mine.update({(a, None): bal for a, bal in s.execute(
            select(LocalAccount.account_no, LocalAccount.prepaid_balance_fen))})
    with db.sessions() as s:
        theirs = {(a, b): (o, st_) for a, b, o, st_ in s.execute(
            select(Account.account_no, Bill.bill_no, Bill.outstanding_fen, Bill.penalty_settled_through)
            .join(Account, Account.id == Bill.account_id))}
        theirs.update({(a, None): bal for a, bal in s.execute(select(Account.account_no, Account.prepaid_balance_fen))})
    return mine, theirs


def _play(c: Counter_, ops) -> None:
    t, hall = c.hall.terminal, c.hall
    shifts.open_shift(t, hall.cashier, {10000: 20})
    taken: list[tuple[str, str]] = []  # (payment id or "" once reversed, account)
    for op in ops:
        if op[0] == "sync":
            c.syncer.run_once()
        elif op[0] == "reverse":
            # Only an account's latest payment can be reversed (a later one must go first: the counter's rule).
            latest = {account: i for i, (pid, account) in enumerate(taken) if pid}
            live = sorted(latest.values())
            if live:
                i = live[op[1] % len(live)]
                pid = taken[i][0]
                try:
                    reverse_payment(t, hall.cashier, pid, hall.approve("reversal", pid), "录错")
                except DomainError as refused:  # the counter's own rules may refuse it: nothing changed then
                    assert refused.key == "reversal.balance_used", refused
                    continue
                taken[i] = ("", taken[i][1])
        else:
            _, account_no, how, waive, tender = op
            with hall.store.read() as s:
                quote = quote_account(s, account_no, hall.clock.business_date(), t.penalty_policy(s).policy)
            waiver = quote.bills[0].penalty_fen if waive and quote.bills and quote.bills[0].penalty_fen else 0
            first = quote.bills[0] if quote.bills else None
            amount = {"whole": quote.total_due_fen - waiver,
                      "part": (first.penalty_fen - waiver + first.outstanding_fen // 2) if first else 0,
                      "over": quote.total_due_fen - waiver + 1234}[how] or 5000
            approval = hall.approve("penalty_waiver", account_no, "困难户", amount_fen=waiver) if waiver else None
            paid = take_payment(t, hall.cashier, account_no, amount, [TenderLine(tender, amount, None if tender == "cash"
                                                                                 else f"WX{len(taken):010d}")],
                                waiver_fen=waiver, waiver_approval_id=approval)
            taken.append((paid.payment_id, account_no))
    c.syncer.run_once()
    c.syncer.run_once()  # the second round pulls what the first one's pushes changed


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(ops=days)
def test_terminal_and_upstream_book_the_same_lines(tmp_path_factory, engine, ops):
    folder = tmp_path_factory.mktemp("day")
    url = str(folder / "upstream.db") if engine == "sqlite" else pg.create_database()
    db = Database(url)
    up = start_upstream(db)  # its clock the terminal's too
    try:
        write(db, *seed_rows(), hall_code="DEMO01")
        c = Counter_(folder / "t01", up)
        try:
            c.syncer.run_once()
            _play(c, ops)
            mine, theirs = _terminal_lines(c), _upstream_lines(db)
            assert mine == theirs
            local, upstream = _pictures(c, db)
            assert local == upstream
        finally:
            c.close()
    finally:
        up.server.should_exit = True
        up.thread.join(10)
        db.dispose()
        if engine == "postgresql":
            pg.drop_database(url)
