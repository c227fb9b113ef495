"""Scan-to-pay on the terminal (issue 18): telling the codes apart, masking them, and the scan intent's state
machine — committed before any call, a payment only on the provider's "paid", exactly once, in the right shift,
and a reversal that refunds through the provider. The provider's answers here are the protocol's own messages;
the whole path through a real upstream and its simulator is in tests/upstream/test_scan_e2e.py."""

import json
import logging
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from cashier import audit, scan_pay, scan_refunds, shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.store.models import AuditEntry, OutboxEntry, Payment, ScanIntent, ScanRefund, Tender
from cashier.sync import protocol as p
from tests.helpers.hall import make_hall, standard_accounts

WECHAT = "134567890123456780"  # 18 digits, 13…
ALIPAY = "2812345678901234"  # 16 digits, 28…
UNIONPAY = "6212345678901234560"  # 19 digits, 62…
COUNTS = {10000: 5, 1000: 10}


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, COUNTS)
    yield h
    h.store.close()


def paid(intent_id, provider="wechat", amount=29254, txn="4200001234202603021234567890"):
    return p.ScanStatus(intent_id=intent_id, provider=provider, status="paid", amount_fen=amount,
                        provider_txn_id=txn, paid_at=datetime(2026, 3, 2, 2, 0, 5, tzinfo=timezone.utc))


def count(store, model, *where):
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


# --- the code ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, provider", [
    (WECHAT, "wechat"), ("100000000000000000", "wechat"), ("159999999999999999", "wechat"),
    (ALIPAY, "alipay"), ("250000000000000000000000", "alipay"), ("300000000000000000", "alipay"),
    (UNIONPAY, "unionpay"), ("  " + WECHAT + "\n", "wechat"),
])
def test_codes_are_told_apart_by_length_and_prefix(code, provider):
    assert scan_pay.classify(code) == provider


@pytest.mark.parametrize("code", [
    "", "12345", "160000000000000000",  # WeChat's length, not its prefix
    "13456789012345678",  # 17 digits starting 13
    "2500000000000000000000000",  # 25 digits
    "240000000000000000",  # 24… is nobody's
    "6312345678901234560",  # 19 digits, 63…
    "13456789012345678a", "１３４５６７８９０１２３４５６７８０",  # full-width digits are not a scanner's
])
def test_anything_else_is_refused_naming_it_masked(code):
    with pytest.raises(DomainError) as caught:
        scan_pay.classify(code)
    assert caught.value.key == "scan.bad_code"
    text = caught.value.message("zh")
    assert "微信付款码 18 位" in text
    if len(code.strip()) > 8:
        assert code.strip() not in text


def test_a_code_is_masked_to_its_first_and_last_four_digits():
    assert scan_pay.mask(WECHAT) == "1345**********6780"
    assert scan_pay.mask(ALIPAY) == "2812********1234"
    assert scan_pay.mask("12345678") == "********"


def test_a_digit_run_longer_than_any_amount_is_a_scan():
    assert scan_pay.looks_like_scan(ALIPAY) and scan_pay.looks_like_scan(WECHAT + "\n")
    assert not scan_pay.looks_like_scan("123456789012345")  # 15 digits
    assert not scan_pay.looks_like_scan("292.54") and not scan_pay.looks_like_scan("")


def test_the_providers_reasons_are_said_in_our_words_else_theirs():
    assert scan_pay.reason_text("NOTENOUGH", "余额不足") == scan_pay.reason_text("ACQ.BUYER_BALANCE_NOT_ENOUGH", None)
    assert "余额不足" in scan_pay.reason_text("NOTENOUGH", None)
    assert scan_pay.reason_text("SOMETHING_NEW", "银行维护中") == "银行维护中"


# --- the intent ---------------------------------------------------------------------------------------

def test_the_intent_is_committed_before_anything_with_the_code_masked_everywhere(hall, caplog):
    caplog.set_level(logging.DEBUG)
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    intent_id, provider = scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    assert provider == "wechat" and intent_id[14] == "7"  # UUIDv7: the merchant order number
    with hall.store.read() as s:
        intent = s.get(ScanIntent, intent_id)
        assert (intent.status, intent.code_masked, intent.amount_fen) == ("open", "1345**********6780", 29254)
        assert json.loads(intent.request)["payment_id"] == sale.payment_id
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
        dump = "\n".join(str(v) for row in s.execute(select(ScanIntent.__table__)).all() for v in row)
        audit_text = "\n".join(str(e.detail) for e in s.scalars(select(AuditEntry)))
    assert WECHAT not in dump and WECHAT not in audit_text and "1345**********6780" in caplog.text
    assert WECHAT not in caplog.text
    raw = (hall.store.path).read_bytes() + hall.store.path.with_name(hall.store.path.name + "-wal").read_bytes() \
        if hall.store.path.with_name(hall.store.path.name + "-wal").exists() else hall.store.path.read_bytes()
    assert WECHAT.encode() not in raw


def test_paid_commits_one_payment_linked_to_the_intent_with_the_providers_reference(hall):
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    intent_id, _ = scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    out = scan_pay.apply_status(hall.terminal, intent_id, "wechat", paid(intent_id))
    assert out.state == "paid" and out.payment.payment_id == sale.payment_id
    assert out.payment.tenders == (TenderLine("wechat", 29254, "4200001234202603021234567890"),)
    again = scan_pay.apply_status(hall.terminal, intent_id, "wechat", paid(intent_id))  # a second answer
    assert again.payment == out.payment
    assert count(hall.store, Payment) == 1
    with hall.store.read() as s:
        intent = s.get(ScanIntent, intent_id)
        assert (intent.status, intent.payment_id, intent.provider_txn_id) == ("paid", sale.payment_id,
                                                                             "4200001234202603021234567890")
        body = json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == sale.payment_id)))
        assert audit.verify(s).ok
    assert body["scan_intent_id"] == intent_id and "scan_refund_id" not in body
    assert body["tenders"] == [{"kind": "wechat", "amount_fen": 29254, "reference": "4200001234202603021234567890"}]


def test_unionpay_is_a_bank_card_tender_and_other_tenders_ride_along(hall):
    sale = scan_pay.ScanSale("3101000001", 29254, 20000, other_tenders=(TenderLine("cash", 10000),))
    intent_id, provider = scan_pay.start_intent(hall.terminal, hall.cashier, sale, UNIONPAY)
    assert provider == "unionpay"
    out = scan_pay.apply_status(hall.terminal, intent_id, provider, paid(intent_id, "unionpay", 20000, "UP1"))
    assert set(out.payment.tenders) == {TenderLine("bank_card", 20000, "UP1"), TenderLine("cash", 10000)}
    assert out.payment.change_fen == 746


@pytest.mark.parametrize("status, code, words", [("failed", "NOTENOUGH", "顾客余额不足"),
                                                 ("cancelled", "USERPAYING_TIMEOUT", "顾客未完成支付"),
                                                 ("failed", "NEW_CODE", "渠道维护")])
def test_failed_and_cancelled_close_the_intent_with_why_and_take_no_money(hall, status, code, words):
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    intent_id, _ = scan_pay.start_intent(hall.terminal, hall.cashier, sale, ALIPAY)
    st = p.ScanStatus(intent_id=intent_id, provider="alipay", status=status, amount_fen=29254, reason_code=code,
                      reason="渠道维护")
    out = scan_pay.apply_status(hall.terminal, intent_id, "alipay", st)
    assert out.state == status and out.payment is None and words in out.reason
    assert words in out.describe()
    assert count(hall.store, Payment) == 0
    assert count(hall.store, ScanIntent, ScanIntent.status == status) == 1


def test_waiting_answers_keep_the_intent_open(hall):
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    intent_id, _ = scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    for status in ("user_paying", "unknown", "cancelling"):
        st = p.ScanStatus(intent_id=intent_id, provider="wechat", status=status, amount_fen=29254)
        assert scan_pay.apply_status(hall.terminal, intent_id, "wechat", st).state == "waiting"
    assert scan_pay.apply_status(hall.terminal, intent_id, "wechat", None).state == "waiting"
    assert count(hall.store, ScanIntent, ScanIntent.status == "open") == 1


def test_paid_after_being_closed_still_gets_its_payment(hall):
    """A charge never stands without a payment: a late "paid" after a close records the money."""
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    intent_id, _ = scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    scan_pay.close_intent(hall.terminal, intent_id, "failed", "never_placed", None)
    assert scan_pay.apply_status(hall.terminal, intent_id, "wechat", paid(intent_id)).state == "paid"
    assert count(hall.store, Payment) == 1


def test_a_sale_already_being_scanned_is_not_scanned_twice(hall):
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    with pytest.raises(DomainError) as caught:
        scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    assert caught.value.key == "scan.in_progress"


def test_a_changed_quote_is_refused_before_the_customer_is_charged(hall):
    sale = scan_pay.ScanSale("3101000001", 29254, 29254, expected_due_fen=100)
    with pytest.raises(DomainError) as caught:
        scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    assert caught.value.key == "payment.quote_changed"
    assert count(hall.store, ScanIntent) == 0


def test_paid_after_its_shift_closed_goes_into_the_open_shift_of_today_noted(hall):
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    intent_id, _ = scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    with hall.store.read() as s:
        first_shift = s.get(ScanIntent, intent_id).shift_id
    shifts.close_shift(hall.terminal, hall.cashier, COUNTS, reason="交班")
    held = scan_pay.apply_status(hall.terminal, intent_id, "wechat", paid(intent_id))
    assert held.state == "held" and held.payment is None  # no shift open: the money waits for one
    assert count(hall.store, Payment) == 0
    hall.clock.advance(days=1)
    second = shifts.open_shift(hall.terminal, hall.cashier2, COUNTS)
    with hall.store.read() as s:
        assert s.get(ScanIntent, intent_id).provider_status == "paid"
    from tests.test_scan_pay import _NoUpstream

    outs = scan_pay.resolve_open_intents(hall.terminal, _NoUpstream())  # known paid: no need to ask
    assert [o.state for o in outs] == ["paid"]
    with hall.store.read() as s:
        payment = s.get(Payment, sale.payment_id)
        intent = s.get(ScanIntent, intent_id)
        assert (payment.shift_id, payment.business_date.isoformat(), payment.cashier_id) == (
            second, "2026-03-03", hall.cashier2.user_id)
        assert first_shift in intent.note and second in intent.note


class _NoUpstream:
    """Answers nothing: any call is a test failure (the resolver must not need the upstream here)."""

    def __getattr__(self, name):
        raise AssertionError(f"the upstream was asked ({name})")


def test_reversing_a_scan_payment_plans_its_refund_in_the_same_unit_of_work(hall):
    sale = scan_pay.ScanSale("3101000001", 29254, 29254)
    intent_id, _ = scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    scan_pay.apply_status(hall.terminal, intent_id, "wechat", paid(intent_id))
    approval = hall.approve("reversal", sale.payment_id)
    reversal = reverse_payment(hall.terminal, hall.cashier, sale.payment_id, approval, "顾客要求")
    with hall.store.read() as s:
        refund = s.scalar(select(ScanRefund))
        body = json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == reversal.payment_id)))
        assert (refund.intent_id, refund.reversal_id, refund.amount_fen, refund.status) == (
            intent_id, reversal.payment_id, 29254, "pending")
        assert scan_refunds.states_of(s, [sale.payment_id]) == {sale.payment_id: "pending"}
        assert scan_refunds.problems(s) == (1, 0)
        refund_id = refund.id
    assert body["scan_refund_id"] == refund_id
    from cashier.supervision import review_of

    with hall.store.read() as s:
        shift_id = s.get(Payment, reversal.payment_id).shift_id
        assert review_of(s, shift_id).refunds == ((reversal.seq, "3101000001", 29254, "pending"),)  # 退款处理中
    assert body["tenders"] == [{"kind": "wechat", "amount_fen": 29254, "reference": "4200001234202603021234567890"}]


def test_a_typed_wechat_reference_needs_a_supervisor_where_scan_to_pay_exists(hall):
    hall.terminal.scan_to_pay = True
    with pytest.raises(DomainError) as caught:
        take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [TenderLine("wechat", 29254, "WX123")])
    assert caught.value.key == "auth.approval_required"
    approval = hall.approve("typed_reference", "3101000001", "离线，手工填写交易号，待对账", 29254)
    r = take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [TenderLine("wechat", 29254, "WX123")],
                     reference_approval_id=approval)
    with hall.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == r.payment_id)))
        assert s.scalar(select(Tender.reference).where(Tender.payment_id == r.payment_id)) == "WX123"
    assert body["approval"]["reason"] == "离线，手工填写交易号，待对账" and "scan_intent_id" not in body
    # a bank card's POS slip number is typed as always
    take_payment(hall.terminal, hall.cashier, "3101000004", 20000, [TenderLine("bank_card", 20000, "POS1")])


def test_a_sale_that_could_not_be_recorded_is_refused_before_the_customer_is_charged(hall):
    sale = scan_pay.ScanSale("3101000001", 321, 321)  # below the oldest bill's penalty (￥4.21)
    with pytest.raises(DomainError) as caught:
        scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    assert caught.value.key == "payment.below_penalty"
    assert count(hall.store, ScanIntent) == 0


def test_a_charge_that_no_longer_fits_the_bills_is_kept_open_and_said_never_dropped(hall):
    sale = scan_pay.ScanSale("3101000001", 500, 500)
    intent_id, _ = scan_pay.start_intent(hall.terminal, hall.cashier, sale, WECHAT)
    hall.clock.advance(days=60)  # the penalty grew past the amount meanwhile
    flow = scan_pay.ScanFlow.__new__(scan_pay.ScanFlow)
    flow.t, flow.intent_id, flow.provider = hall.terminal, intent_id, "wechat"
    late = p.ScanStatus(intent_id=intent_id, provider="wechat", status="paid", amount_fen=500, provider_txn_id="WX9")
    out = flow._apply(late)  # charged today (no paid_at: now), 60 days on
    assert out.state == "held" and ("违约金" in out.reason or "penalty" in out.reason)
    with hall.store.read() as s:
        intent = s.get(ScanIntent, intent_id)
        assert (intent.status, intent.provider_status, intent.reason_code) == ("open", "paid", "not_recorded")
        assert scan_pay.pending_count(s) == 1
