"""PDF documents read back with pdftotext: the Chinese text and the amounts are really there."""

import shutil
import subprocess
from datetime import date

import pytest

from cashier import shifts
from cashier.money import rmb_upper
from cashier.privacy import mask_name
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.reports import shift_totals
from cashier.store.models import DaySettlement
from receipts.builders import Hall, payment_document
from receipts.pdf import PaymentLine, arrears_notices_pdf, document_pdf, settlement_pdf, shift_report_pdf
from reportlab.lib.units import mm
from tests.helpers.hall import add_account, make_hall, standard_accounts

HALL = Hall("城关供电营业厅", "T01", "1号窗口")
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (installed by .ci/run)")


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def day(tmp_path):
    hall = make_hall(tmp_path)
    standard_accounts(hall.store)
    t = hall.terminal
    sid = shifts.open_shift(t, hall.cashier, {10000: 5})
    paid = take_payment(t, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    take_payment(t, hall.cashier, "3101000004", 20100, [TenderLine("wechat", 20100, "4200000001")])
    shifts.close_shift(t, hall.cashier, {10000: 7, 1000: 9, 100: 2, 50: 1, 1: 4})
    yield hall, sid, paid
    hall.store.close()


def test_receipt_copy(day, tmp_path):
    hall, _, paid = day
    with hall.store.read() as s:
        doc = payment_document(s, HALL, paid.payment_id)
    text = pdf_text(document_pdf(doc, tmp_path / "receipt.pdf"))
    for expected in ("电费缴费凭证", "城关供电营业厅", "T01-00000001", "张*明", "￥292.54", rmb_upper(29254), "95598"):
        assert expected in text, expected


def test_shift_report_lists_every_payment(day, tmp_path):
    hall, sid, paid = day
    with hall.store.read() as s:
        totals = shift_totals(s, sid)
    lines = [PaymentLine(i, paid.created_at, f"31010{i:05d}", "payment", 1000 + i, "现金") for i in range(1, 301)]
    text = pdf_text(shift_report_pdf(tmp_path / "shift.pdf", HALL, totals, "李娜", lines))
    assert "交班单" in text and "李娜" in text and "微信支付" in text and "￥493.54" in text
    assert "3101000300" in text and "00000300" in text and "流水号" in text
    assert text.count("\f") >= 2  # more than one page, each with the table header
    assert text.count("付款方式") >= 2


def test_day_settlement_with_deposit_slip(day, tmp_path):
    hall, sid, _ = day
    shifts.review_shift(hall.terminal, hall.supervisor, sid, "相符")
    settlement_id = shifts.settle_day(hall.terminal, hall.supervisor, hall.clock.business_date())
    with hall.store.read() as s:
        st = s.get(DaySettlement, settlement_id)
        text = pdf_text(settlement_pdf(tmp_path / "day.pdf", HALL, st.business_date, st.deposit_cash_fen, st.totals, "陈静"))
    assert "营业厅日结报表" in text and "现金缴款单" in text
    assert "￥292.54" in text and rmb_upper(29254) in text and "微信支付" in text


def test_arrears_notices_one_page_each(day, tmp_path):
    hall, _, _ = day
    with hall.store.read() as s:
        quotes = [quote_account(s, "3101000002", date(2026, 3, 2))]
    text = pdf_text(arrears_notices_pdf(tmp_path / "notice.pdf", HALL, quotes * 3, date(2026, 3, 15)))
    assert text.count("电费催费通知单") == 3
    assert "兴盛*金店" in text and "￥1,082.00" in text and "2026-03-15" in text and rmb_upper(108200) in text


# Issue 16, points 4 and 7: Chinese wraps within its column, and no character of a name is lost.
RARE_NAME = "𠀾明䶮"  # 𠀾 U+2003E (Extension B, a four-byte GB18030 code), 䶮 U+4DAE (GBK FE9F)
LONG_ADDRESS = ("城关镇幸福路" + "光明小区·东区" * 6 + "12栋3单元501室（靠近人民医院，北门进）" + "A" * 40
                + "兴隆大道南段" * 5)
FUZZ = 0.5  # points


def pdf_lines(path):
    """(page width, [(xMin, xMax, text)]) of every line pdftotext finds, every page."""
    import xml.etree.ElementTree as ET

    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(out.replace(' xmlns="http://www.w3.org/1999/xhtml"', ""))
    pages = []
    for page in root.iter("page"):
        lines = [(float(line.get("xMin")), float(line.get("xMax")), "".join(w.text or "" for w in line.iter("word")))
                 for line in page.iter("line")]
        pages.append((float(page.get("width")), lines))
    return pages


def assert_within_the_column(path, margin):
    for width, lines in pdf_lines(path):
        for x_min, x_max, text in lines:
            assert x_min >= margin - FUZZ and x_max <= width - margin + FUZZ, (text, x_min, x_max, width)


def squeezed(text):
    return "".join(text.split())


@pytest.fixture
def rare(tmp_path):
    hall = make_hall(tmp_path)
    add_account(hall.store, "3101000009", name=RARE_NAME, address=LONG_ADDRESS,
                bills=[("202601", 10000, date(2026, 2, 25))])
    shifts.open_shift(hall.terminal, hall.cashier, {10000: 5})
    paid = take_payment(hall.terminal, hall.cashier, "3101000009", 20000, [TenderLine("cash", 20000)])
    yield hall, paid
    hall.store.close()


def test_a_receipt_copy_wraps_a_long_address_in_its_column_and_keeps_rare_characters(rare, tmp_path):
    hall, paid = rare
    with hall.store.read() as s:
        doc = payment_document(s, HALL, paid.payment_id)
    path = document_pdf(doc, tmp_path / "receipt.pdf")
    assert_within_the_column(path, 5 * mm)
    text = pdf_text(path)
    assert squeezed("地址：" + LONG_ADDRESS) in squeezed(text)  # every character, in order
    assert "𠀾*䶮" in text
    assert text.count("\f") == 1  # the page grew with the address: one page


def test_an_arrears_notice_wraps_a_long_address_and_keeps_rare_characters(rare, tmp_path):
    hall, _ = rare
    add_account(hall.store, "3101000010", name="𠀾阳明䶮", address=LONG_ADDRESS * 3,
                bills=[("202512", 50000, date(2026, 1, 20))])
    with hall.store.read() as s:
        quotes = [quote_account(s, "3101000010", date(2026, 3, 2))]
    path = arrears_notices_pdf(tmp_path / "notice.pdf", HALL, quotes, date(2026, 3, 15))
    assert_within_the_column(path, 18 * mm)
    text = pdf_text(path)
    assert squeezed("用电地址：" + LONG_ADDRESS * 3) in squeezed(text)
    assert mask_name("𠀾阳明䶮") == "𠀾**䶮" and "𠀾**䶮" in text


def test_shift_and_day_reports_wrap_long_text_in_their_column(day, tmp_path):
    hall, sid, paid = day
    long_hall = Hall("城关县供电公司第一供电营业厅（人民路与解放路交叉口东北角，原县电业局大楼一层）" * 2, "T01", "1号窗口")
    with hall.store.read() as s:
        totals = shift_totals(s, sid)
    reason = "找零时多找" + "，经核对监控录像确认为顾客多拿" * 8
    from dataclasses import replace

    totals = replace(totals, over_short_reason=reason)
    path = shift_report_pdf(tmp_path / "shift.pdf", long_hall, totals, "李𠀾", [])
    assert_within_the_column(path, 18 * mm)
    text = squeezed(pdf_text(path))
    assert squeezed("长短款原因：" + reason) in text and "李𠀾" in text
    shifts.review_shift(hall.terminal, hall.supervisor, sid, "相符")
    settlement_id = shifts.settle_day(hall.terminal, hall.supervisor, hall.clock.business_date())
    with hall.store.read() as s:
        st = s.get(DaySettlement, settlement_id)
        path = settlement_pdf(tmp_path / "day.pdf", long_hall, st.business_date, st.deposit_cash_fen, st.totals, "陈静")
    assert_within_the_column(path, 18 * mm)
    assert squeezed(long_hall.name) in squeezed(pdf_text(path))


def test_the_shift_report_pdf_adds_up(day, tmp_path):
    hall, sid, _ = day
    with hall.store.read() as s:
        totals = shift_totals(s, sid)
    text = pdf_text(shift_report_pdf(tmp_path / "shift.pdf", HALL, totals, "李娜", []))
    amounts = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-1].lstrip("-").startswith("￥"):
            value = int(parts[-1].lstrip("-￥").replace(",", "").replace(".", ""))
            amounts.setdefault(parts[0], []).append(-value if parts[-1].startswith("-") else value)
    net = amounts["净收合计"]
    assert net == [totals.net_fen, totals.net_fen]
    assert sum(amounts[label][0] for label in ("收费金额", "冲正金额")) == totals.net_fen
    cash = sum(amounts[label][0] for label in ("备用金", "存入", "现金净收")) + sum(
        amounts[label][0] for label in ("交款", "解款", "取出") if label in amounts)
    assert cash == amounts["应有现金"][0] == totals.expected_cash_fen


def test_a_rare_name_round_trips_through_every_pdf(tmp_path):
    hall = make_hall(tmp_path)
    add_account(hall.store, "3101000009", name=RARE_NAME, bills=[("202601", 10000, date(2026, 2, 25))])
    sid = shifts.open_shift(hall.terminal, hall.cashier, {10000: 5})
    paid = take_payment(hall.terminal, hall.cashier, "3101000009", 10100, [TenderLine("cash", 10100)])
    with hall.store.read() as s:
        doc = payment_document(s, HALL, paid.payment_id)
        quotes = [quote_account(s, "3101000009", date(2026, 3, 2))]
        totals = shift_totals(s, sid)
    assert "𠀾*䶮" in pdf_text(document_pdf(doc, tmp_path / "receipt.pdf"))
    assert "𠀾*䶮" in pdf_text(arrears_notices_pdf(tmp_path / "notice.pdf", HALL, quotes, date(2026, 3, 15)))
    assert "收费员 䶮𠀾" in " ".join(pdf_text(shift_report_pdf(tmp_path / "shift.pdf", HALL, totals, "䶮𠀾", [])).split())
    hall.store.close()
