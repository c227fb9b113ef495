"""The supervisor's numbers: review queue, the hall's day, settlement documents, trend, exports."""

from __future__ import annotations

import csv
import subprocess
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from cashier import collection, exports, files, shifts, supervision
from cashier.errors import DomainError
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.store.models import Shift
from receipts.builders import Hall as ReceiptHall
from receipts.pdf import write_settlement
from tests.helpers.db import sql
from tests.helpers.hall import add_account, make_hall, standard_accounts

FLOAT = {10000: 2, 1000: 20}  # ￥400
RECEIPT_HALL = ReceiptHall("城关供电营业厅", "T01", "1号窗口", "Asia/Shanghai")


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    standard_accounts(h.store)
    yield h
    h.store.close()



def _busy_shift(hall, *, short_fen=500):
    """One shift: cash, card, a reversal, a waiver-free payment, a cash turn-in; closed with a short."""
    t = hall.terminal
    sid = shifts.open_shift(t, hall.cashier, FLOAT)
    take_payment(t, hall.cashier, "3101000001", 28733, [TenderLine("cash", 30000)])
    hall.clock.at += timedelta(hours=2)
    card = take_payment(t, hall.cashier, "3101000004", 20000, [TenderLine("bank_card", 20000, "RRN123")])
    approval = hall.approve("reversal", card.payment_id, "客户刷错卡")
    reverse_payment(t, hall.cashier, card.payment_id, approval, "客户刷错卡")
    take_payment(t, hall.cashier, "3101000003", 10000, [TenderLine("wechat", 10000, "WX1")])
    shifts.move_cash(t, hall.cashier, "out", "turn_in", 10000, "交款给班长")
    with t.store.read() as s:
        expected = shifts.expected_cash(s, s.get(Shift, sid))
    counted = expected - short_fen
    counts = {10000: counted // 10000, 100: (counted % 10000) // 100, 1: counted % 100}
    shifts.close_shift(t, hall.cashier, counts, reason="找零多给")
    return sid


def test_the_review_queue_shows_a_closed_shift_with_its_numbers_until_it_is_signed_off(hall):
    sid = _busy_shift(hall)
    with hall.store.read() as s:
        queue = supervision.review_queue(s)
    assert [r.totals.shift_id for r in queue] == [sid]
    review = queue[0]
    assert review.cashier == "李娜" and review.closed_at is not None
    assert review.totals.over_short_fen == -500 and review.totals.over_short_reason == "找零多给"
    assert review.totals.by_tender == {"cash": 28733, "wechat": 10000}  # the card was reversed
    assert (review.totals.payments, review.totals.reversals) == (3, 1)
    assert review.late == []
    shifts.review_shift(hall.terminal, hall.supervisor, sid, "短款已由收费员补齐")
    with hall.store.read() as s:
        assert supervision.review_queue(s) == []
        done = supervision.review_of(s, sid)
    assert (done.reviewed_by, done.review_comment) == ("陈静", "短款已由收费员补齐")


def test_the_day_at_a_glance_equals_an_independentsql(hall):
    _busy_shift(hall)
    # A second counter writing to the same store (as the hall's numbers would hold it).
    hall.terminal.terminal_id = "T02"
    shifts.open_shift(hall.terminal, hall.cashier2, FLOAT)
    hall.clock.at += timedelta(hours=1)
    take_payment(hall.terminal, hall.cashier2, "3101000002", 150000, [TenderLine("alipay", 150000, "ALI9")])
    with hall.store.read() as s:
        day = supervision.day_overview(s, date(2026, 3, 2), "Asia/Shanghai")
    path = hall.store.path
    by_terminal = dict(sql(path, """
        SELECT p.terminal_id, sum(CASE p.kind WHEN 'reversal' THEN -1 ELSE 1 END * (t.amount_fen))
             - coalesce((SELECT sum(CASE q.kind WHEN 'reversal' THEN -1 ELSE 1 END * q.change_fen) FROM payments q
                         WHERE q.terminal_id = p.terminal_id), 0)
        FROM payments p JOIN tenders t ON t.payment_id = p.id GROUP BY p.terminal_id"""))
    assert day.by_terminal == by_terminal
    assert day.total_fen == sum(by_terminal.values()) == sum(day.by_tender.values())
    zone = ZoneInfo("Asia/Shanghai")
    hours: dict[int, list[int]] = {}
    for at, kind, amount in sql(path, "SELECT created_at, kind, applied_fen + prepaid_credit_fen FROM payments"):
        hour = datetime.fromisoformat(at).replace(tzinfo=timezone.utc).astimezone(zone).hour
        h = hours.setdefault(hour, [0, 0])
        h[0] += kind == "payment"
        h[1] += -amount if kind == "reversal" else amount
    assert day.by_hour == {h: tuple(v) for h, v in hours.items()}
    assert (day.payments, day.reversals, day.shifts) == (4, 1, {"closed": 1, "open": 1})
    assert sum(fen for _, fen in day.by_hour.values()) == day.total_fen


def test_settlement_documents_hold_the_deposit_and_every_counter(hall, tmp_path):
    sid = _busy_shift(hall)
    shifts.review_shift(hall.terminal, hall.supervisor, sid, "")
    settlement_id = shifts.settle_day(hall.terminal, hall.supervisor, date(2026, 3, 2))
    with pytest.raises(DomainError):
        supervision.settlement_report(hall.terminal, hall.cashier, settlement_id)
    docs = supervision.settlement_report(hall.terminal, hall.supervisor, settlement_id)
    pdf = write_settlement(docs, tmp_path / "out", RECEIPT_HALL)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "现金缴款单" in text and "分柜台收费" in text and "班次明细" in text and "找零多给" in text
    # deposit = counted cash − float + turn-in, to the fen
    with hall.store.read() as s:
        shift = s.get(Shift, sid)
        assert docs.deposit_cash_fen == shift.counted_cash_fen - shift.opening_float_fen + 10000
    assert f"{docs.deposit_cash_fen / 100:,.2f}" in text


def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(DomainError) as info:
        files.writable_file(blocker / "reports", "a.pdf")
    assert info.value.key == "export.unwritable" and str(blocker) in str(info.value)


def test_the_arrears_trend_goes_back_through_the_payments_made_since(tmp_path):
    hall = make_hall(tmp_path)
    add_account(hall.store, "3101000001", bills=[("202512", 10000, date(2026, 1, 25))])
    add_account(hall.store, "3101000002", bills=[("202601", 20000, date(2026, 2, 25))])
    add_account(hall.store, "3101000003", bills=[("202602", 40000, date(2026, 3, 25))])  # not yet due
    shifts.open_shift(hall.terminal, hall.cashier, FLOAT)
    take_payment(hall.terminal, hall.cashier, "3101000001", 10000 + 500, [TenderLine("cash", 10500)])
    with hall.store.read() as s:
        trend = collection.arrears_trend(s, date(2026, 3, 2), months=3)
    # 31 Jan: the first bill was overdue (paid only on 2 March); 28 Feb: both; 2 March: the second only.
    assert [(p.on, p.accounts, p.principal_fen) for p in trend] == [
        (date(2026, 1, 31), 1, 10000), (date(2026, 2, 28), 2, 30000), (date(2026, 3, 2), 1, 20000)]
    with hall.store.read() as s:
        assert trend[-1].principal_fen == collection.arrears(s, date(2026, 3, 2)).principal_fen
    hall.store.close()


def test_month_ends_cross_the_year():
    assert collection.month_ends(date(2026, 2, 10), 3) == [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 10)]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    from cashier.demo.seed import seed_database
    from cashier.store import Store

    path = tmp_path_factory.mktemp("hall") / "cashier.db"
    seed_database(path, 1500, seed=5, as_of=date(2026, 11, 27))
    store = Store.open(path)
    yield path, store
    store.close()


def test_the_trend_today_equals_the_arrears_list_on_seeded_data(seeded):
    path, store = seeded
    on = date(2026, 11, 27)
    with store.read() as s:
        trend = collection.arrears_trend(s, on)
        report = collection.arrears(s, on)
    assert len(trend) == 12 and trend[-1].on == on
    assert (trend[-1].accounts, trend[-1].principal_fen) == (len(report.accounts), report.principal_fen)
    # Without local payments, a past month end's arrears is what is still owed on the bills due before it.
    for point in trend:
        ((n, fen),) = sql(path, """SELECT count(DISTINCT account_id), coalesce(sum(outstanding_fen), 0) FROM bills
                                    WHERE outstanding_fen > 0 AND due_date < ?""", point.on.isoformat())
        assert (point.accounts, point.principal_fen) == (n, fen)


def test_collection_for_one_collector_and_a_collector_with_no_accounts(seeded):
    _, store = seeded
    on = date(2026, 11, 27)
    with store.read() as s:
        names = collection.collectors(s)
        whole = collection.collection(s, date(2026, 1, 1), date(2026, 10, 31), on)
        one = collection.collection(s, date(2026, 1, 1), date(2026, 10, 31), on, collector=names[0])
        with pytest.raises(DomainError) as info:
            collection.collection(s, date(2026, 1, 1), date(2026, 10, 31), on, collector="查无此人")
    assert info.value.key == "report.collector_unknown" and "查无此人" in str(info.value)
    line = next(x for x in whole.by_collector if x.key == names[0])
    assert [x.key for x in one.by_collector] == [names[0]]
    assert (one.total.billed_fen, one.total.collected_fen) == (line.billed_fen, line.collected_fen)


def test_exports_open_and_hold_the_same_numbers(seeded, tmp_path):
    _, store = seeded
    with store.read() as s:
        report = collection.collection(s, date(2026, 1, 1), date(2026, 10, 31), date(2026, 11, 27))
    tables = exports.collection_tables(report)
    book = load_workbook(exports.write(tmp_path / "回收率.xlsx", tables))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], round(r[3] * 100), round(r[4] * 100)) for r in rows] == \
        [(x.key, x.accounts, x.billed_fen, x.collected_fen) for x in report.by_collector]
    assert len(book.worksheets) == 3 and book.worksheets[2].cell(2, 3).value * 100 == report.total.billed_fen
    with open(exports.write(tmp_path / "回收率.csv", tables), encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    first = lines[2:2 + len(report.by_collector)]
    assert [(r[1], int(r[2]), r[3], r[5]) for r in first] == \
        [(x.key, x.accounts, f"{x.billed_fen / 100:.2f}", str(x.rate)) for x in report.by_collector]


def test_exports_to_an_unwritable_folder_or_of_nothing_leave_no_file(seeded, tmp_path):
    _, store = seeded
    with store.read() as s:
        report = collection.collection(s, date(2026, 1, 1), date(2026, 10, 31), date(2026, 11, 27))
        arrears = collection.arrears(s, date(2026, 11, 27))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DomainError) as info:
        exports.write(blocker / "sub" / "a.xlsx", exports.collection_tables(report))
    assert info.value.key == "export.unwritable"
    with pytest.raises(DomainError) as info:
        exports.write(tmp_path / "a.csv", [exports.arrears_table([])])
    assert info.value.key == "export.nothing" and not (tmp_path / "a.csv").exists()
    path = exports.write(tmp_path / "arrears.xlsx", [exports.arrears_table(arrears.accounts)])
    sheet = load_workbook(path).active
    assert sheet.max_row == len(arrears.accounts) + 1
    assert round(sum(r[9] for r in sheet.iter_rows(min_row=2, values_only=True)) * 100) == arrears.principal_fen
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
