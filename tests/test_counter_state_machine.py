"""Random days at the counter: shifts, payments of every shape, waivers, reversals, cash moves, closes.

After every step the money must add up: each payment's tenders minus change equal what it
applied plus what it credited; the drawer's expected cash is float + cash in − cash out + cash
taken − change − cash refunded; receipt numbers have no gaps; no bill is owed below zero or
above its principal; every bill and prepaid balance equals its start plus what payments and
reversals did to it; every document has its outbox entry; the audit chain verifies.
"""

import shutil
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cashier import audit, shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.quote import quote_account
from cashier.store.models import Shift
from tests.helpers.hall import add_account, make_hall

ACCOUNTS = ["3101000001", "3101000002", "3101000003", "3101000004", "3101000005"]
NON_CASH = ["bank_card", "wechat", "alipay", "e_bao", "prepaid_card"]


class CounterDay(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.hall = make_hall(self.folder, over_short_limit_fen=2000)
        store = self.hall.store
        add_account(store, ACCOUNTS[0], bills=[("202511", 11683, date(2025, 12, 25)), ("202512", 17050, date(2026, 1, 25)),
                                               ("202601", 9020, date(2026, 2, 25))])
        add_account(store, ACCOUNTS[1], customer_class="commercial", supply_status="disconnected", prepaid_meter=True,
                    bills=[("202512", 100000, date(2025, 12, 20)), ("202601", 80000, date(2026, 2, 20))])
        add_account(store, ACCOUNTS[2], prepaid_balance_fen=3000)
        add_account(store, ACCOUNTS[3], customer_class="industrial",
                    bills=[("202601", 1234567, date(2026, 2, 25), 234567)])
        add_account(store, ACCOUNTS[4], customer_class="agricultural", bills=[("202602", 4321, date(2026, 3, 25))])
        raw = sqlite3.connect(store.path)
        self.start_bills = dict(raw.execute("SELECT id, outstanding_fen FROM bills"))
        self.start_balance = dict(raw.execute("SELECT id, prepaid_balance_fen FROM accounts"))
        raw.close()
        self.today_payments: list[str] = []

    def teardown(self):
        self.hall.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers -------------------------------------------------------------------------
    def open_shift_id(self):
        with self.hall.store.read() as s:
            shift = shifts.open_shift_of(s, self.hall.terminal)
            return shift.id if shift else None

    def sql(self, query, *args):
        conn = sqlite3.connect(self.hall.store.path)
        try:
            return conn.execute(query, args).fetchall()
        finally:
            conn.close()

    # --- rules ---------------------------------------------------------------------------
    @precondition(lambda self: self.open_shift_id() is None)
    @rule(hundreds=st.integers(0, 8), tens=st.integers(0, 20), coins=st.integers(0, 50))
    def open_shift(self, hundreds, tens, coins):
        shifts.open_shift(self.hall.terminal, self.hall.cashier, {10000: hundreds, 1000: tens, 10: coins})

    @precondition(lambda self: self.open_shift_id() is not None)
    @rule(account=st.sampled_from(ACCOUNTS), shape=st.sampled_from(["full", "partial", "over", "tiny"]),
          fraction=st.floats(0.05, 0.95), extra=st.integers(1, 50000),
          split=st.lists(st.tuples(st.sampled_from(NON_CASH), st.integers(1, 100)), max_size=2),
          overtender=st.integers(0, 10000), waive=st.booleans())
    def pay(self, account, shape, fraction, extra, split, overtender, waive):
        t = self.hall.terminal
        with self.hall.store.read() as s:
            due = quote_account(s, account, t.clock.business_date(), t.policy)
        waiver = due.penalty_fen // 2 if waive and due.penalty_fen else 0
        net_due = due.total_due_fen - waiver
        amount = {"full": net_due, "partial": int(net_due * fraction), "over": net_due + extra, "tiny": 1}[shape]
        if amount <= 0:
            amount = extra
        tenders, left = [], amount
        for kind, percent in split:
            part = min(left, amount * percent // 300)
            if part > 0:
                tenders.append(TenderLine(kind, part, f"REF{len(tenders)}"))
                left -= part
        if left > 0 or not tenders:
            tenders.append(TenderLine("cash", left + overtender if left + overtender > 0 else 1))
        approval = None
        if waiver:
            approval = self.hall.approve("penalty_waiver", account, "困难户", amount_fen=waiver)
        try:
            r = take_payment(t, self.hall.cashier, account, amount, tenders, waiver_fen=waiver, waiver_approval_id=approval)
        except DomainError as exc:
            assert exc.key in ("payment.below_penalty", "payment.tender_short", "payment.waiver_unused",
                               "payment.change_from_card"), exc.key
            event(f"payment refused: {exc.key}")
            return
        event(f"payment taken: {shape}" + (" with waiver" if waiver else "") + (" reconnect" if r.reconnect_requested else ""))
        self.today_payments.append(r.payment_id)

    @precondition(lambda self: self.open_shift_id() is not None and self.today_payments)
    @rule(pick=st.integers(0, 1000))
    def reverse(self, pick):
        payment_id = self.today_payments[pick % len(self.today_payments)]
        approval = self.hall.approve("reversal", payment_id, "客户要求退款")
        try:
            reverse_payment(self.hall.terminal, self.hall.cashier, payment_id, approval, "客户要求退款")
            event("reversed")
        except DomainError as exc:
            event(f"reversal refused: {exc.key}")
            assert exc.key in ("reversal.already", "reversal.later_payment", "reversal.balance_used",
                               "reversal.not_today", "cash.not_enough"), exc.key

    @precondition(lambda self: self.open_shift_id() is not None)
    @rule(direction=st.sampled_from(["in", "out"]), amount=st.integers(1, 60000))
    def move_cash(self, direction, amount):
        purpose = "float_top_up" if direction == "in" else "bank_pickup"
        try:
            shifts.move_cash(self.hall.terminal, self.hall.cashier, direction, purpose, amount, "解款/补零钱")
        except DomainError as exc:
            assert exc.key == "cash.not_enough"

    @precondition(lambda self: self.open_shift_id() is not None)
    @rule(delta=st.sampled_from([0, 0, 1, -1, 1500, -2500, 10000]))
    def close_shift(self, delta):
        sid = self.open_shift_id()
        expected = self.expected_cash(sid)
        counted = max(0, expected + delta)
        counts = {10000: counted // 10000, 1: counted % 10000}
        approval = None
        if abs(counted - expected) > 2000:
            approval = self.hall.approve("over_short", sid, "已核对", amount_fen=abs(counted - expected))
        result = shifts.close_shift(self.hall.terminal, self.hall.cashier, counts,
                                    reason="点钞差异" if counted != expected else None, approval_id=approval)
        assert result.over_short_fen == counted - expected

    @rule(hours=st.sampled_from([1, 3, 20]))
    def time_passes(self, hours):
        before = self.hall.clock.business_date()
        self.hall.clock.advance(hours=hours)
        if self.hall.clock.business_date() != before:
            self.today_payments.clear()

    # --- invariants ----------------------------------------------------------------------
    def expected_cash(self, shift_id):
        (opening,), = self.sql("SELECT opening_float_fen FROM shifts WHERE id = ?", shift_id)
        moved = dict(self.sql("SELECT direction, sum(amount_fen) FROM cash_movements WHERE shift_id = ? GROUP BY 1", shift_id))
        (taken,), = self.sql("SELECT coalesce(sum(t.amount_fen), 0) FROM tenders t JOIN payments p ON p.id = t.payment_id "
                             "WHERE p.shift_id = ? AND p.kind = 'payment' AND t.kind = 'cash'", shift_id)
        (change,), = self.sql("SELECT coalesce(sum(change_fen), 0) FROM payments WHERE shift_id = ? AND kind = 'payment'", shift_id)
        (refunded,), = self.sql("SELECT coalesce(sum(t.amount_fen), 0) FROM tenders t JOIN payments p ON p.id = t.payment_id "
                                "WHERE p.shift_id = ? AND p.kind = 'reversal' AND t.kind = 'cash'", shift_id)
        return opening + moved.get("in", 0) - moved.get("out", 0) + taken - change - refunded

    @invariant()
    def each_payment_balances(self):
        rows = self.sql("SELECT p.id, p.tendered_fen, p.change_fen, p.applied_fen, p.prepaid_credit_fen, "
                        "(SELECT sum(amount_fen) FROM tenders WHERE payment_id = p.id), "
                        "(SELECT coalesce(sum(penalty_fen + principal_fen), 0) FROM allocations WHERE payment_id = p.id) "
                        "FROM payments p")
        for pid, tendered, change, applied, credit, tender_sum, allocated in rows:
            assert tender_sum == tendered and tendered - change == applied + credit == allocated + credit, pid
            assert change <= tendered

    @invariant()
    def drawer_adds_up(self):
        sid = self.open_shift_id()
        if sid is None:
            return
        from cashier.reports import expected_cash

        with self.hall.store.read() as s:
            assert expected_cash(s, s.get(Shift, sid)) == self.expected_cash(sid) >= 0

    @invariant()
    def receipt_numbers_have_no_gaps(self):
        seqs = sorted(r[0] for r in self.sql("SELECT seq FROM payments UNION ALL SELECT seq FROM cash_movements"))
        assert seqs == list(range(1, len(seqs) + 1))
        last = self.sql("SELECT last_seq FROM terminal_sequences WHERE terminal_id = 'T01'")
        assert (last[0][0] if last else 0) == len(seqs)

    @invariant()
    def bills_and_balances_follow_the_payments(self):
        for bill_id, principal, outstanding in self.sql("SELECT id, principal_fen, outstanding_fen FROM bills"):
            assert 0 <= outstanding <= principal
            (moved,), = self.sql("SELECT coalesce(sum(CASE p.kind WHEN 'payment' THEN a.principal_fen ELSE -a.principal_fen END), 0) "
                                 "FROM allocations a JOIN payments p ON p.id = a.payment_id WHERE a.bill_id = ?", bill_id)
            assert outstanding == self.start_bills[bill_id] - moved
        for account_id, balance in self.sql("SELECT id, prepaid_balance_fen FROM accounts"):
            (credit,), = self.sql("SELECT coalesce(sum(CASE kind WHEN 'payment' THEN prepaid_credit_fen ELSE -prepaid_credit_fen END), 0) "
                                  "FROM payments WHERE account_id = ?", account_id)
            assert balance == self.start_balance[account_id] + credit

    @invariant()
    def every_document_is_in_the_outbox_once(self):
        docs = {r[0] for r in self.sql("SELECT id FROM payments UNION SELECT id FROM cash_movements")}
        outbox = [r[0] for r in self.sql("SELECT entity_id FROM outbox WHERE kind IN ('payment', 'reversal', 'cash_movement')")]
        assert sorted(outbox) == sorted(docs)

    @invariant()
    def audit_chain_verifies(self):
        with self.hall.store.read() as s:
            assert audit.verify(s).ok


CounterDay.TestCase.settings = settings(
    max_examples=20, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCounterDay = CounterDay.TestCase
