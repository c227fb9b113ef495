"""Payments: allocation, tenders and change, prepaid credit, reconnection, waivers, reversals —
and for every refused input, a specific error and the database exactly as before."""

from datetime import date

import pytest
from sqlalchemy import select

from cashier import audit, shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, record_reprint, reverse_payment, take_payment
from cashier.quote import quote_account
from cashier.store.models import Account, Bill, OutboxEntry, Payment
from tests.helpers.db import snapshot
from tests.helpers.hall import make_hall, standard_accounts

CASH = lambda fen: TenderLine("cash", fen)  # noqa: E731


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5, 1000: 10, 100: 20, 10: 50})
    yield h
    h.store.close()


def bills_of(store, account_no):
    with store.read() as s:
        account = s.scalar(select(Account).where(Account.account_no == account_no))
        bills = [(b.period, b.outstanding_fen, b.penalty_settled_through)
                 for b in s.scalars(select(Bill).where(Bill.account_id == account.id).order_by(Bill.due_date))]
        s.expunge(account)
        return bills, account


def test_full_payment_oldest_bill_first_penalty_before_principal_with_change(hall):
    r = take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [CASH(30000)])
    # 202512: 11683 due 25 Jan, 36 days x 1‰ = 420.6 → 421; 202601: 17050 x 5 days = 85 → ￥1 minimum.
    assert [(a.period, a.penalty_fen, a.principal_fen) for a in r.allocations] == [("202512", 421, 11683), ("202601", 100, 17050)]
    assert (r.seq, r.applied_fen, r.prepaid_credit_fen, r.tendered_fen, r.change_fen) == (1, 29254, 0, 30000, 746)
    bills, _ = bills_of(hall.store, "3101000001")
    assert [b[1] for b in bills] == [0, 0]
    with hall.store.read() as s:
        outbox = s.scalars(select(OutboxEntry)).all()
        assert [(o.kind, o.entity_id, o.seq) for o in outbox] == [("payment", r.payment_id, 1)]
        assert audit.verify(s).ok
    assert r.payment_id[14] == "7"  # UUIDv7


def test_partial_payment_pays_penalty_then_part_of_principal_and_restarts_accrual(hall):
    r = take_payment(hall.terminal, hall.cashier, "3101000001", 5000, [CASH(5000)])
    assert [(a.period, a.penalty_fen, a.principal_fen) for a in r.allocations] == [("202512", 421, 4579)]
    bills, _ = bills_of(hall.store, "3101000001")
    assert bills[0] == ("202512", 11683 - 4579, date(2026, 3, 2))
    assert bills[1] == ("202601", 17050, None)
    hall.clock.advance(days=10)
    with hall.store.read() as s:
        q = quote_account(s, "3101000001", hall.clock.business_date())
    assert q.bills[0].overdue_days == 46 and q.bills[0].rates_per_mille[0][0] == 10  # accrues from 3 March only


def test_partial_payment_below_the_oldest_penalty_is_refused_and_nothing_changes(hall):
    before = snapshot(hall.store.path)
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier, "3101000001", 400, [CASH(400)])
    assert info.value.key == "payment.below_penalty" and "￥4.21" in str(info.value) and "202512" in str(info.value)
    assert snapshot(hall.store.path) == before


def test_overpayment_becomes_prepaid_balance(hall):
    r = take_payment(hall.terminal, hall.cashier, "3101000001", 30000, [CASH(30000)])
    assert (r.applied_fen, r.prepaid_credit_fen, r.change_fen, r.prepaid_balance_after_fen) == (29254, 746, 0, 746)
    r = take_payment(hall.terminal, hall.cashier, "3101000003", 8800, [TenderLine("alipay", 8800, "2026030222001")])
    assert (r.applied_fen, r.prepaid_credit_fen, r.prepaid_balance_after_fen) == (0, 8800, 13800)


def test_leftover_under_the_next_bills_penalty_goes_to_prepaid_not_to_that_bill(hall):
    # 12104 = 421 + 11683 settles the first bill; 50 cannot cover the second bill's ￥1 penalty.
    r = take_payment(hall.terminal, hall.cashier, "3101000001", 12154, [CASH(12154)])
    assert [(a.period, a.penalty_fen, a.principal_fen) for a in r.allocations] == [("202512", 421, 11683)]
    assert (r.applied_fen, r.prepaid_credit_fen) == (12104, 50)
    bills, _ = bills_of(hall.store, "3101000001")
    assert bills[1] == ("202601", 17050, None)


def test_multi_tender_payment_with_change_from_cash_only(hall):
    # Commercial, 100000 due 20 Jan: 41 days x 2‰ = 8200 penalty, 108200 due.
    partly = take_payment(hall.terminal, hall.cashier, "3101000002", 58200,
                          [TenderLine("bank_card", 50000, "POS-000122"), CASH(10000)])
    assert (partly.applied_fen, partly.change_fen, partly.reconnect_requested) == (58200, 1800, False)
    tenders = [TenderLine("bank_card", 30000, "POS-000123"), TenderLine("wechat", 20000, "4200000811"), CASH(20000)]
    r = take_payment(hall.terminal, hall.cashier, "3101000002", 60000, tenders)
    assert (r.tendered_fen, r.change_fen, r.applied_fen, r.prepaid_credit_fen) == (70000, 10000, 50000, 10000)
    assert r.reconnect_requested  # 费控, disconnected, arrears cleared → 复电
    _, account = bills_of(hall.store, "3101000002")
    assert account.supply_status == "reconnect_pending" and account.prepaid_balance_fen == 10000


@pytest.mark.parametrize(
    "amount, tenders, key",
    [
        (29254, [CASH(20000)], "payment.tender_short"),
        (29254, [TenderLine("bank_card", 30000, "POS-1")], "payment.change_from_card"),
        (29254, [TenderLine("wechat", 29254, "")], "payment.reference_required"),
        (29254, [TenderLine("wechat", 29254, "x" * 65)], "payment.reference_required"),
        (29254, [TenderLine("cheque", 29254, "1")], "payment.bad_tender"),
        (29254, [], "payment.no_tender"),
        (-1, [CASH(100)], "payment.bad_amount"),
        (0, [CASH(100)], "payment.bad_amount"),
        (10**12, [CASH(10**12)], "payment.bad_amount"),
        (100, [CASH(-100), CASH(200)], "payment.bad_tender_amount"),
        (100.5, [CASH(200)], "payment.bad_amount"),
    ],
)
def test_bad_tenders_and_amounts_are_refused_with_the_database_unchanged(hall, amount, tenders, key):
    before = snapshot(hall.store.path)
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier, "3101000001", amount, tenders)
    assert info.value.key == key and info.value.message("zh") and info.value.message("en")
    assert snapshot(hall.store.path) == before


def test_unknown_account_closed_shift_and_wrong_role_are_refused(hall):
    before = snapshot(hall.store.path)
    for account_no, key in (("3101009999", "quote.unknown_account"), ("31010", "quote.bad_account")):
        with pytest.raises(DomainError) as info:
            take_payment(hall.terminal, hall.cashier, account_no, 100, [CASH(100)])
        assert info.value.key == key
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.technician, "3101000001", 29254, [CASH(29254)])
    assert info.value.key == "auth.forbidden"
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier2, "3101000001", 29254, [CASH(29254)])
    assert info.value.key == "shift.not_yours"
    assert snapshot(hall.store.path) == before
    shifts.close_shift(hall.terminal, hall.cashier, {10000: 5, 1000: 10, 100: 20, 10: 50})
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [CASH(29254)])
    assert info.value.key == "shift.none_open"


def test_same_payment_id_twice_takes_the_money_once(hall):
    from cashier.ids import uuid7

    pid = uuid7()
    first = take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [CASH(30000)], payment_id=pid)
    again = take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [CASH(30000)], payment_id=pid)
    assert again == first
    with hall.store.read() as s:
        assert len(s.scalars(select(Payment)).all()) == 1
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier, "3101000004", 100, [CASH(30000)], payment_id=pid)
    assert info.value.key == "payment.id_conflict"


def test_a_quote_that_changed_meanwhile_is_caught(hall):
    take_payment(hall.terminal, hall.cashier, "3101000001", 5000, [CASH(5000)])
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier, "3101000001", 24254, [CASH(24254)], expected_due_fen=29254)
    assert info.value.key == "payment.quote_changed"


def test_penalty_waiver_needs_a_supervisor_and_is_recorded(hall):
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier, "3101000001", 28733, [CASH(28733)], waiver_fen=521)
    assert info.value.key == "auth.approval_required"
    approval = hall.approve("penalty_waiver", "3101000001", "低保户减免", amount_fen=521)
    r = take_payment(hall.terminal, hall.cashier, "3101000001", 28733, [CASH(28733)], waiver_fen=521,
                     waiver_approval_id=approval)
    assert [(a.penalty_fen, a.penalty_waived_fen, a.principal_fen) for a in r.allocations] == [(0, 421, 11683), (0, 100, 17050)]
    assert r.penalty_waived_fen == 521 and r.applied_fen == 28733
    with hall.store.read() as s:
        p = s.get(Payment, r.payment_id)
        assert p.approved_by == hall.supervisor.user_id and p.reason == "低保户减免"
    too_much = hall.approve("penalty_waiver", "3101000004", "试试", amount_fen=100)
    with pytest.raises(DomainError) as info:
        take_payment(hall.terminal, hall.cashier, "3101000004", 20000, [CASH(20000)], waiver_fen=900,
                     waiver_approval_id=too_much)
    assert info.value.key == "payment.waiver_too_large"


def test_reversal_restores_bills_balance_and_status_as_a_new_linked_record(hall):
    before_bills = bills_of(hall.store, "3101000002")[0]
    tenders = [TenderLine("bank_card", 50000, "POS-000123"), CASH(65000)]
    paid = take_payment(hall.terminal, hall.cashier, "3101000002", 110000, tenders)
    assert paid.reconnect_requested and paid.prepaid_credit_fen == 1800 and paid.change_fen == 5000
    with pytest.raises(DomainError) as info:
        reverse_payment(hall.terminal, hall.cashier, paid.payment_id, None, "录错户号")
    assert info.value.key == "auth.approval_required"
    approval = hall.approve("reversal", paid.payment_id, "录错户号")
    rev = reverse_payment(hall.terminal, hall.cashier, paid.payment_id, approval, "录错户号")
    assert (rev.kind, rev.reverses_id, rev.seq) == ("reversal", paid.payment_id, 2)
    assert sorted((x.kind, x.amount_fen) for x in rev.tenders) == [("bank_card", 50000), ("cash", 60000)]
    bills, account = bills_of(hall.store, "3101000002")
    assert bills == before_bills
    assert account.supply_status == "disconnected" and account.prepaid_balance_fen == 0
    with hall.store.read() as s:
        assert s.get(Payment, paid.payment_id).kind == "payment"  # the original stays as it was
        assert [o.kind for o in s.scalars(select(OutboxEntry).order_by(OutboxEntry.id))] == ["payment", "reversal"]


def test_reversals_that_must_not_happen(hall):
    paid = take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [CASH(30000)])
    approval = hall.approve("reversal", paid.payment_id)
    rev = reverse_payment(hall.terminal, hall.cashier, paid.payment_id, approval, "客户要求")
    before = snapshot(hall.store.path)
    for target, key in ((paid.payment_id, "reversal.already"), (rev.payment_id, "reversal.not_a_payment"),
                        ("no-such-id", "reversal.unknown")):
        with pytest.raises(DomainError) as info:
            reverse_payment(hall.terminal, hall.cashier, target, hall.approve("reversal", target), "再来一次")
        assert info.value.key == key
    other = take_payment(hall.terminal, hall.cashier, "3101000004", 20100, [CASH(20100)])
    hall.clock.advance(days=1)
    before = snapshot(hall.store.path)
    approval = hall.approve("reversal", other.payment_id)
    with pytest.raises(DomainError) as info:
        reverse_payment(hall.terminal, hall.cashier, other.payment_id, approval, "昨天的")
    assert info.value.key == "reversal.not_today"
    after = snapshot(hall.store.path)
    assert [line for line in after if line not in before and "approvals" not in line and "audit_log" not in line
            and "sync_state" not in line] == []


def test_reprints_are_counted_and_audited(hall):
    paid = take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [CASH(30000)])
    assert record_reprint(hall.terminal, hall.cashier, paid.payment_id) == 1
    assert record_reprint(hall.terminal, hall.cashier, paid.payment_id) == 2


def test_a_payment_with_a_later_one_on_the_same_bill_is_not_reversed_even_at_the_same_instant(hall):
    # The clock stands still (as a clock set back by NTP would): order comes from the receipt number.
    first = take_payment(hall.terminal, hall.cashier, "3101000001", 5000, [CASH(5000)])
    take_payment(hall.terminal, hall.cashier, "3101000001", 5000, [CASH(5000)])
    before = bills_of(hall.store, "3101000001")[0]
    with pytest.raises(DomainError) as info:
        reverse_payment(hall.terminal, hall.cashier, first.payment_id, hall.approve("reversal", first.payment_id), "录错")
    assert info.value.key == "reversal.later_payment"
    assert bills_of(hall.store, "3101000001")[0] == before
