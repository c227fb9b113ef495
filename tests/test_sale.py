"""The sale in progress, without Qt: the guards against slips of the hand and paying exactly once."""

from datetime import date

import pytest

from cashier.errors import DomainError
from cashier.money import format_fen
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.sale import Checkout, Confirm, Guard, Sale, SaleState
from cashier.settings import SaleSettings
from cashier import shifts
from tests.helpers.hall import add_account, make_hall, standard_accounts


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    standard_accounts(h.store)
    add_account(h.store, "3101000009", bills=[("202601", 2689, date(2026, 3, 10))])  # ￥26.89, not yet due
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    yield h
    h.store.close()


def quote(hall, number):
    t = hall.terminal
    with t.store.read() as s:
        return quote_account(s, number, t.clock.business_date(), t.policy)


def commit(hall, sale, checkout):
    sale.committing()
    result = take_payment(hall.terminal, hall.cashier, checkout.account_no, checkout.amount_fen, list(checkout.tenders),
                          payment_id=checkout.payment_id, expected_due_fen=checkout.expected_due_fen,
                          waiver_fen=checkout.waiver_fen, waiver_approval_id=checkout.waiver_approval_id)
    sale.paid(result)
    return result


def test_an_empty_tendered_field_never_pays_the_exact_amount(hall):
    sale = Sale(quote(hall, "3101000009"))
    assert sale.amount_fen == 2689
    with pytest.raises(DomainError) as err:
        sale.checkout(sale.tender("cash", ""))
    assert err.value.key == "sale.tendered_required" and "￥26.89" in str(err.value)


def test_ten_thousand_for_a_small_bill_asks_with_the_amounts_and_commits_only_after_yes(hall):
    sale = Sale(quote(hall, "3101000009"), SaleSettings(confirm_change_above_fen=20000))
    line = sale.tender("cash", "10000")
    asked = sale.checkout(line)
    assert isinstance(asked, Confirm) and asked.guards == {Guard.CHANGE}
    assert asked.totals.change_fen == 997311 and asked.totals.tendered_fen == 1000000
    sale.confirm(asked)
    ready = sale.checkout(line)
    assert isinstance(ready, Checkout) and ready.totals.change_fen == 997311
    assert commit(hall, sale, ready).change_fen == 997311


def test_a_yes_to_one_amount_does_not_cover_a_retyped_one(hall):
    sale = Sale(quote(hall, "3101000009"))
    sale.confirm(sale.checkout(sale.tender("cash", "10000")))
    again = sale.checkout(sale.tender("cash", "5000"))  # retyped: a new amount, a new question
    assert isinstance(again, Confirm) and again.totals.change_fen == 497311


def test_change_up_to_the_threshold_pays_without_asking(hall):
    sale = Sale(quote(hall, "3101000009"), SaleSettings(confirm_change_above_fen=20000))
    assert isinstance(sale.checkout(sale.tender("cash", "100")), Checkout)  # change ￥73.11
    assert isinstance(sale.checkout(sale.tender("cash", "226.89")), Checkout)  # exactly ￥200 change
    assert isinstance(sale.checkout(sale.tender("cash", "226.90")), Confirm)


def test_an_amount_above_the_dues_asks_naming_the_prepaid_part(hall):
    sale = Sale(quote(hall, "3101000009"))
    sale.set_amount("50")
    asked = sale.checkout(sale.tender("cash", "50"))
    assert isinstance(asked, Confirm) and asked.guards == {Guard.PREPAID}
    assert asked.totals.prepaid_fen == 50_00 - 2689 and asked.totals.change_fen == 0
    sale.confirm(asked)
    result = commit(hall, sale, sale.checkout(sale.tender("cash", "50")))
    assert result.prepaid_credit_fen == 2311


def test_both_guards_are_asked_at_once(hall):
    sale = Sale(quote(hall, "3101000009"))
    sale.set_amount("30")
    asked = sale.checkout(sale.tender("cash", "1000"))
    assert asked.guards == {Guard.CHANGE, Guard.PREPAID}


def test_short_tender_card_change_and_missing_reference_are_refused(hall):
    sale = Sale(quote(hall, "3101000001"))  # ￥292.54
    with pytest.raises(DomainError) as err:
        sale.checkout(sale.tender("cash", "200"))
    assert err.value.key == "payment.tender_short"
    with pytest.raises(DomainError) as err:
        sale.checkout(sale.tender("bank_card", "292.54"))
    assert err.value.key == "payment.reference_required" and "银行卡" in str(err.value)
    with pytest.raises(DomainError) as err:
        sale.checkout(sale.tender("bank_card", "300", "REF1"))
    assert err.value.key == "payment.change_from_card"


def test_a_card_for_part_and_cash_for_the_rest(hall):
    sale = Sale(quote(hall, "3101000001"))
    sale.keep(sale.tender("bank_card", "200", "POS-1"))
    assert sale.remaining_fen() == 9254
    ready = sale.checkout(sale.tender("cash", "100"))
    assert isinstance(ready, Checkout) and ready.totals.change_fen == 746
    result = commit(hall, sale, ready)
    assert sorted((x.kind, x.amount_fen) for x in result.tenders) == [("bank_card", 20000), ("cash", 10000)]


def test_a_sale_pays_once_and_refuses_a_second_checkout(hall):
    sale = Sale(quote(hall, "3101000009"))
    ready = sale.checkout(sale.tender("cash", "30"))
    sale.committing()
    with pytest.raises(DomainError) as err:  # a second Enter while the first is being saved
        sale.checkout(sale.tender("cash", "30"))
    assert err.value.key == "sale.committing"
    sale.failed()  # e.g. the store was busy: nothing written, the same id is tried again
    assert sale.state is SaleState.OPEN
    result = commit(hall, sale, sale.checkout(sale.tender("cash", "30")))
    assert result.payment_id == ready.payment_id
    with pytest.raises(DomainError) as err:
        sale.checkout(sale.tender("cash", "30"))
    assert err.value.key == "sale.already_paid"


def test_a_waiver_lowers_what_is_due_and_travels_with_the_checkout(hall):
    q = quote(hall, "3101000001")
    sale = Sale(q)
    approval = hall.approve("penalty_waiver", "3101000001", amount_fen=q.penalty_fen)
    sale.waive(q.penalty_fen, approval)
    assert sale.amount_fen == q.principal_fen
    ready = sale.checkout(sale.tender("cash", format_fen(q.principal_fen, symbol=False, grouping=False)))
    assert isinstance(ready, Checkout) and ready.waiver_fen == q.penalty_fen
    assert commit(hall, sale, ready).penalty_waived_fen == q.penalty_fen


def test_door_to_door_takes_cash_only(hall):
    sale = Sale(quote(hall, "3101000009"), cash_only=True)
    with pytest.raises(DomainError) as err:
        sale.tender("wechat", "26.89", "X")
    assert err.value.key == "payment.bad_tender"
