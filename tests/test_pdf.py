"""PDF documents read back with pdftotext: the Chinese text and the amounts are really there."""

import shutil
import subprocess
from datetime import date

import pytest

from cashier import shifts
from cashier.money import rmb_upper
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.reports import shift_totals
from cashier.store.models import DaySettlement
from receipts.builders import Hall, payment_document
from receipts.pdf import PaymentLine, arrears_notices_pdf, document_pdf, settlement_pdf, shift_report_pdf
from tests.helpers.hall import make_hall, standard_accounts

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
