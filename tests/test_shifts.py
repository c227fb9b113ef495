"""Shifts: float by denomination, cash in/out, blind close with over/short, sign-off, day-end settlement."""

import json

import pytest
from sqlalchemy import select

from cashier import shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.reports import day_totals, shift_totals
from cashier.store.models import AuditEntry, DaySettlement, OutboxEntry, Shift
from tests.helpers.db import snapshot
from tests.helpers.hall import make_hall, standard_accounts

FLOAT = {10000: 2, 1000: 20, 100: 80, 50: 20, 10: 100}  # ￥500 float


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    standard_accounts(h.store)
    yield h
    h.store.close()


def test_open_shift_counts_the_float_and_allows_one_open_shift(hall):
    sid = shifts.open_shift(hall.terminal, hall.cashier, FLOAT)
    with hall.store.read() as s:
        shift = s.get(Shift, sid)
        assert (shift.opening_float_fen, shift.status, str(shift.business_date)) == (50000, "open", "2026-03-02")
        assert json.loads(shift.opening_counts) == {"10000": 2, "1000": 20, "100": 80, "50": 20, "10": 100}
    with pytest.raises(DomainError) as info:
        shifts.open_shift(hall.terminal, hall.cashier2, FLOAT)
    assert info.value.key == "shift.already_open"


@pytest.mark.parametrize("counts, key", [({300: 1}, "cash.bad_denomination"), ({100: -1}, "cash.bad_count"),
                                         ({100: 1.5}, "cash.bad_count"), ({100: 10**7}, "cash.bad_count")])
def test_bad_counts_are_refused(hall, counts, key):
    with pytest.raises(DomainError) as info:
        shifts.open_shift(hall.terminal, hall.cashier, counts)
    assert info.value.key == key


def test_cash_movements_take_receipt_numbers_and_cannot_empty_more_than_the_drawer(hall):
    shifts.open_shift(hall.terminal, hall.cashier, FLOAT)
    take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    _, seq_in = shifts.move_cash(hall.terminal, hall.cashier, "in", "float_top_up", 10000, "补零钱")
    _, seq_out = shifts.move_cash(hall.terminal, hall.cashier, "out", "turn_in", 20000, "交款给班长")
    assert (seq_in, seq_out) == (2, 3)
    before = snapshot(hall.store.path)
    with pytest.raises(DomainError) as info:
        shifts.move_cash(hall.terminal, hall.cashier, "out", "bank_pickup", 70000, "解款")
    assert info.value.key == "cash.not_enough"
    for direction, purpose, amount, reason, key in [("out", "turn_in", 100, "", "cash.reason_required"),
                                                    ("in", "bank_pickup", 100, "x", "cash.bad_purpose"),
                                                    ("out", "turn_in", 0, "x", "cash.bad_amount")]:
        with pytest.raises(DomainError) as info:
            shifts.move_cash(hall.terminal, hall.cashier, direction, purpose, amount, reason)
        assert info.value.key == key
    assert snapshot(hall.store.path) == before


def test_blind_close_with_a_short_needs_a_reason_and_keeps_the_first_count(hall):
    sid = shifts.open_shift(hall.terminal, hall.cashier, FLOAT)
    take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    # Expected: 50000 + 29254 = 79254; counted 79204 → short ￥0.50.
    counts = {10000: 7, 1000: 9, 100: 2, 1: 4}
    assert sum(d * n for d, n in counts.items()) == 79204
    with pytest.raises(DomainError) as info:
        shifts.close_shift(hall.terminal, hall.cashier, counts)
    assert info.value.key == "shift.reason_required" and str(info.value) == "短款 ￥0.50，请填写原因"
    assert info.value.message("en") == "Short ￥0.50: a reason is required"
    with hall.store.read() as s:
        assert s.get(Shift, sid).status == "open"
        assert s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "shift.count"
    result = shifts.close_shift(hall.terminal, hall.cashier, counts, reason="找零多找了5角")
    assert (result.expected_cash_fen, result.counted_cash_fen, result.over_short_fen) == (79254, 79204, -50)
    with hall.store.read() as s:
        shift = s.get(Shift, sid)
        assert (shift.status, shift.over_short_reason) == ("closed", "找零多找了5角")
        close = s.scalar(select(OutboxEntry).where(OutboxEntry.kind == "shift_close"))
        assert json.loads(close.payload)["over_short_fen"] == -50


def test_a_difference_above_the_limit_needs_another_persons_supervisor_approval(hall):
    sid = shifts.open_shift(hall.terminal, hall.cashier, FLOAT)
    counts = {10000: 4}  # ￥100 short, limit ￥50
    with pytest.raises(DomainError) as info:
        shifts.close_shift(hall.terminal, hall.cashier, counts, reason="不知道")
    assert info.value.key == "auth.approval_required"
    with pytest.raises(DomainError) as info:  # a cashier cannot approve, their own or anyone's
        hall.approve("over_short", sid, by="c1")
    assert info.value.key == "auth.not_supervisor"
    approval = hall.approve("over_short", sid, "已核实监控", amount_fen=10000)
    result = shifts.close_shift(hall.terminal, hall.cashier, counts, reason="不知道", approval_id=approval)
    assert result.over_short_fen == -10000
    with hall.store.read() as s:
        assert s.get(Shift, sid).over_short_approved_by == hall.supervisor.user_id


def test_a_supervisor_working_the_counter_cannot_approve_their_own_short(hall):
    sid = shifts.open_shift(hall.terminal, hall.supervisor, FLOAT)
    with pytest.raises(DomainError) as info:
        hall.approve("over_short", sid, by="super1", for_actor=hall.supervisor)
    assert info.value.key == "auth.self_approval"
    approval = hall.approve("over_short", sid, by="super2", for_actor=hall.supervisor)
    shifts.close_shift(hall.terminal, hall.supervisor, {10000: 4}, reason="点错", approval_id=approval)
    with pytest.raises(DomainError) as info:
        shifts.review_shift(hall.terminal, hall.supervisor, sid, "自己签")
    assert info.value.key == "shift.self_review"


def test_shift_report_sign_off_and_day_end_settlement(hall):
    t = hall.terminal
    sid = shifts.open_shift(t, hall.cashier, FLOAT)
    take_payment(t, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    take_payment(t, hall.cashier, "3101000004", 20100, [TenderLine("bank_card", 20100, "POS-9")])
    wechat = take_payment(t, hall.cashier, "3101000003", 5000, [TenderLine("wechat", 5000, "42000001")])
    reverse_payment(t, hall.cashier, wechat.payment_id, hall.approve("reversal", wechat.payment_id), "重复扫码")
    shifts.move_cash(t, hall.cashier, "out", "bank_pickup", 10000, "解款")
    shifts.move_cash(t, hall.cashier, "out", "turn_in", 10000, "交款")
    with pytest.raises(DomainError) as info:
        shifts.settle_day(t, hall.supervisor, t.clock.business_date())
    assert info.value.key == "day.shifts_pending"
    # expected = 50000 + 29254 − 10000 − 10000 = 59254
    shifts.close_shift(t, hall.cashier, {10000: 5, 1000: 9, 100: 2, 50: 1, 1: 4})
    with hall.store.read() as s:
        totals = shift_totals(s, sid)
    assert totals.by_tender == {"bank_card": 20100, "cash": 29254}
    assert (totals.payments, totals.reversals, totals.reversals_fen) == (3, 1, 5000)
    assert totals.cash_out_fen == {"bank_pickup": 10000, "turn_in": 10000} and totals.over_short_fen == 0
    with pytest.raises(DomainError):
        shifts.review_shift(t, hall.cashier2, sid, "")  # cashiers do not sign off
    shifts.review_shift(t, hall.supervisor, sid, "账实相符")
    settlement_id = shifts.settle_day(t, hall.supervisor, t.clock.business_date())
    with hall.store.read() as s:
        settlement = s.get(DaySettlement, settlement_id)
        data = json.loads(settlement.totals)
        # The float stays; to the bank go the drawer's takings and what was turned in to the supervisor:
        # 59254 counted − 50000 float + 10000 turned in = 19254, and 10000 went with the bank pickup.
        assert settlement.deposit_cash_fen == 19254
        assert settlement.deposit_cash_fen + data["bank_pickup_fen"] == data["by_tender"]["cash"]
        assert data["by_tender"] == {"bank_card": 20100, "cash": 29254} and data["bank_pickup_fen"] == 10000
        assert s.get(Shift, sid).status == "settled"
        assert day_totals(s, t.clock.business_date())["T01"]["total_fen"] == 49354
    with pytest.raises(DomainError) as info:
        shifts.settle_day(t, hall.supervisor, t.clock.business_date())
    assert info.value.key == "day.already_settled"


def test_over_short_reads_as_short_over_or_none_never_a_signed_amount():
    assert shifts.over_short_words(-200) == ("shift.short", {"amount": "￥2.00"})
    assert shifts.over_short_words(200) == ("shift.over", {"amount": "￥2.00"})
    assert shifts.over_short_words(0) == ("shift.even", {})
    assert [shifts.describe_over_short(f, "zh") for f in (-200, 123456, 0)] == ["短款 ￥2.00", "长款 ￥1,234.56", "无长短款"]
    assert [shifts.describe_over_short(f, "en") for f in (-200, 200, 0)] == ["Short ￥2.00", "Over ￥2.00", "No over/short"]


def test_the_hand_over_slip_prints_short_in_words_on_the_receipt_printer(hall, tmp_path):
    from receipts.builders import Hall
    from cashier.printing import print_receipt
    from receipts.printing import Printer, ReceiptRenderer
    from cashier.settings import PrinterSettings
    from tests.helpers.escpos_decode import decode

    sid = shifts.open_shift(hall.terminal, hall.cashier, {10000: 5})
    shifts.close_shift(hall.terminal, hall.cashier, {10000: 4, 1000: 9, 100: 8}, reason="找零多找两元")
    paper = tmp_path / "paper.bin"
    printer = Printer(PrinterSettings(uri=f"file://{paper}", width=80), tmp_path / "previews")
    outcome = print_receipt(hall.terminal, ReceiptRenderer(printer, Hall("城关供电营业厅", "T01", "1号窗口")), "shift_report", sid)
    assert outcome.printed
    text = "\n".join(line.text for line in decode(paper.read_bytes()).lines)
    assert "交班单" in text and "短款 ￥2.00" in text and "找零多找两元" in text
    assert "-￥" not in text and "长款" not in text.replace("长短款", "")
