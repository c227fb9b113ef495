"""Every receipt adds up (issue 16, points 5 and 6): the money lines printed above 合计 sum to it
to the fen, for receipts built from real payments (waivers, partial payments, prepaid credit,
several bills, reversals), cash movements, shift reports and the test page; 实收 less 找零 is
the 合计; the number is a 流水号 and the QR names the same terminal as the number."""

import re
from datetime import date

import pytest

from cashier import shifts
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.quote import quote_account
from cashier.reports import shift_totals
from receipts.builders import Hall, cash_movement_document, payment_document, sample_document, shift_report_document
from receipts.layout import COLUMNS, layout
from tests.helpers.hall import add_account, make_hall, standard_accounts

HALL = Hall("城关供电营业厅", "T01", "1号窗口")
MONEY = re.compile(r"(-?)￥([\d,]+)\.(\d\d)$")
TODAY = date(2026, 3, 2)


def fen(line: str) -> int | None:
    """The amount a printed line ends with, in fen (negative for a '-￥' line); None if none."""
    found = MONEY.search(line.rstrip())
    if not found:
        return None
    value = int(found.group(2).replace(",", "")) * 100 + int(found.group(3))
    return -value if found.group(1) else value


def sections(doc, width):
    """The printed lines, split at the rules, as the paper shows them."""
    out, current = [], []
    for line in layout(doc, COLUMNS[width]):
        if line.style == "rule":
            out.append(current)
            current = []
        else:
            current.append(line.text)
    out.append(current)
    return out


def amount_of(section, label):
    """The amount on the line that starts with ``label`` (a total whose amount wrapped is on the next line)."""
    for i, text in enumerate(section):
        if text.startswith(label) and (len(text) == len(label) or text[len(label)] == " "):
            return fen(text) if fen(text) is not None else fen(section[i + 1])
    raise AssertionError(f"no {label} line in {section}")


def money_lines(section, before: str | None = None):
    out = []
    for text in section:
        if before and text.startswith(before):
            break
        if fen(text) is not None:
            out.append(fen(text))
    return out


def assert_receipt_adds_up(doc, width):
    parts = sections(doc, width)
    total_label = "退款合计" if doc.kind == "reversal" else "合计"
    at = next(i for i, part in enumerate(parts) if any(t.startswith(total_label) for t in part))
    items, totals = parts[at - 1], parts[at]
    total = amount_of(totals, total_label)
    assert items and sum(money_lines(items)) == total, (items, total)
    received = amount_of(totals, "实退" if doc.kind == "reversal" else "实收")
    change = amount_of(totals, "找零") if any(t.startswith("找零") for t in totals) else 0
    assert received - change == total
    return money_lines(items), total


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    hall = make_hall(tmp_path_factory.mktemp("hall"))
    standard_accounts(hall.store)
    add_account(hall.store, "3101000010", name="刘德华",
                bills=[("202510", 23456, date(2025, 11, 25)), ("202511", 34567, date(2025, 12, 25)),
                       ("202512", 45678, date(2026, 1, 25))])
    add_account(hall.store, "3101000011", name="周杰", bills=[("202511", 99999, date(2025, 12, 20))])
    t = hall.terminal
    sid = shifts.open_shift(t, hall.cashier, {10000: 5})
    results = {}
    with hall.store.read() as s:
        q1 = quote_account(s, "3101000001", TODAY)
        q10 = quote_account(s, "3101000010", TODAY)
        q11 = quote_account(s, "3101000011", TODAY)
    assert q1.penalty_fen > 0 and q10.penalty_fen > 0
    # Two bills, part of the penalty waived, paid in cash with change.
    waiver = q1.penalty_fen - 1
    approval = hall.approve("penalty_waiver", "3101000001", "低保户", amount_fen=waiver)
    due = q1.total_due_fen - waiver
    results["waiver"] = take_payment(t, hall.cashier, "3101000001", due, [TenderLine("cash", due + 1234)],
                                     waiver_fen=waiver, waiver_approval_id=approval)
    # Three bills, the whole penalty waived, more than owed: the rest is prepaid; card and cash together.
    approval = hall.approve("penalty_waiver", "3101000010", "政策减免", amount_fen=q10.penalty_fen)
    over = q10.principal_fen + 5055
    results["waiver_credit"] = take_payment(
        t, hall.cashier, "3101000010", over, [TenderLine("bank_card", 50000, "POS-77"), TenderLine("cash", over - 50000)],
        waiver_fen=q10.penalty_fen, waiver_approval_id=approval)
    # Partial payment: the penalty and part of the principal.
    results["partial"] = take_payment(t, hall.cashier, "3101000011", q11.penalty_fen + 3333,
                                      [TenderLine("wechat", q11.penalty_fen + 3333, "4200000077")])
    # Prepaid only (no bills), and a bill paid with prepaid credit over it.
    results["prepaid"] = take_payment(t, hall.cashier, "3101000003", 10000, [TenderLine("cash", 10000)])
    results["credit"] = take_payment(t, hall.cashier, "3101000004", 25075, [TenderLine("alipay", 25075, "2088")])
    # A reversal of the waived payment.
    rev = reverse_payment(t, hall.cashier, results["waiver"].payment_id,
                          hall.approve("reversal", results["waiver"].payment_id), "金额录错")
    results["reversal"] = rev
    move_in, _ = shifts.move_cash(t, hall.cashier, "in", "float_top_up", 5000, "补零钱")
    move_out, _ = shifts.move_cash(t, hall.cashier, "out", "bank_pickup", 20000, "银行上门收款")
    with hall.store.read() as s:
        docs = {name: payment_document(s, HALL, r.payment_id) for name, r in results.items()}
        docs["reprint"] = payment_document(s, HALL, results["waiver_credit"].payment_id, reprint=1)
        docs["move_in"] = cash_movement_document(s, HALL, move_in)
        docs["move_out"] = cash_movement_document(s, HALL, move_out)
        open_totals = shift_totals(s, sid)
        docs["shift_open"] = shift_report_document(HALL, open_totals, "李娜")
    counted = open_totals.expected_cash_fen - 200
    shifts.close_shift(t, hall.cashier, {10000: counted // 10000, 1: counted % 10000}, reason="少找了两元")
    with hall.store.read() as s:
        docs["shift_closed"] = shift_report_document(HALL, shift_totals(s, sid), "李娜")
    yield hall, docs, results
    hall.store.close()


PAYMENTS = ["waiver", "waiver_credit", "partial", "prepaid", "credit", "reversal", "reprint"]


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("name", PAYMENTS)
def test_the_item_lines_of_every_payment_receipt_add_up_to_its_total(day, name, width):
    _, docs, results = day
    items, total = assert_receipt_adds_up(docs[name], width)
    result = results.get(name, results["waiver_credit"])
    assert total == result.amount_fen


@pytest.mark.parametrize("width", [58, 80])
def test_a_waiver_is_printed_once_against_the_penalty_charged(day, width):
    _, docs, results = day
    text = "\n".join(sum(sections(docs["waiver"], width), []))
    allocations = results["waiver"].allocations
    assert text.count("违约金减免") == sum(1 for a in allocations if a.penalty_waived_fen)
    first = allocations[0]
    # 违约金 is the penalty charged (paid + waived), and the waiver comes off it.
    charged = [fen(t) for t in text.splitlines() if t.strip().startswith("违约金 ")]
    assert charged[0] == first.penalty_fen + first.penalty_waived_fen
    # the whole penalty waived: 违约金 and 违约金减免 cancel, the line still says what was charged
    credit = "\n".join(sum(sections(docs["waiver_credit"], width), []))
    assert "预存电费" in credit and credit.count("违约金减免") == 3


@pytest.mark.parametrize("width", [58, 80])
def test_the_test_page_adds_up(width):
    items, total = assert_receipt_adds_up(sample_document(HALL), width)
    assert len(items) >= 4 and any(v < 0 for v in items)  # a waiver line among them


@pytest.mark.parametrize("width", [58, 80])
@pytest.mark.parametrize("name", ["shift_open", "shift_closed"])
def test_the_shift_report_adds_up(day, name, width):
    _, docs, _ = day
    parts = sections(docs[name], width)
    net = [part for part in parts if any(t.startswith("净收合计") for t in part)]
    assert len(net) == 2  # 收费金额 − 冲正金额, and the tenders
    for part in net:
        assert sum(money_lines(part, before="净收合计")) == amount_of(part, "净收合计")
    assert amount_of(net[0], "净收合计") == amount_of(net[1], "净收合计")
    cash = next(part for part in parts if any(t.startswith("应有现金") for t in part))
    assert sum(money_lines(cash, before="应有现金")) == amount_of(cash, "应有现金")
    assert amount_of(cash, "解款") == -20000 and amount_of(cash, "存入") == 5000


@pytest.mark.parametrize("name", ["move_in", "move_out"])
def test_a_cash_movement_slip_has_its_one_amount(day, name):
    _, docs, _ = day
    amounts = [fen(t) for part in sections(docs[name], 80) for t in part if fen(t) is not None]
    assert amounts == [5000 if name == "move_in" else 20000]


def test_receipts_say_shixou_and_liushuihao(day):
    _, docs, results = day
    text = "\n".join(sum(sections(docs["waiver"], 80), []))
    assert "流水号" in text and "单号" not in text and "实收" in text and "T01-00000001" in text
    text = "\n".join(sum(sections(docs["reversal"], 80), []))
    assert "原流水号" in text and "实退" in text and "单号" not in text


def test_the_qr_names_the_terminal_that_took_the_payment(day):
    """A receipt reprinted on another counter: 流水号, 窗口 and the QR all name the payment's terminal."""
    hall, _, results = day
    other = Hall("城关供电营业厅", "T09", "9号窗口")
    with hall.store.read() as s:
        doc = payment_document(s, other, results["credit"].payment_id)
    lines = [line for line in layout(doc, 48)]
    qr = [line.data for line in lines if line.style == "qr"]
    number = next(line.text for line in lines if line.text.startswith("流水号"))
    window = next(line.text for line in lines if line.text.startswith("窗口"))
    assert qr[0].split("|")[2] == "T01" and number.split()[-1].startswith("T01-")
    assert window.split()[-1] == "T01" and "9号窗口" not in window and "T09" not in "".join(qr)
