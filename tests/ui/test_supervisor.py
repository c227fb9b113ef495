"""The supervisor's workspace on real widgets: review and sign-off, day-end settlement, arrears
early warning, collection responsibility; numbers checked against independent SQL."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from cashier import shifts
from cashier.auth import Actor, Role
from cashier.clock import FixedClock
from cashier.collection import ArrearsAccount
from cashier.demo.seed import seed_database
from cashier.errors import DomainError
from cashier.money import format_fen
from cashier.payments import TenderLine, take_payment
from cashier.reports import shift_totals
from cashier.settings import Paths, Settings
from cashier.store import Store
from cashier.store.models import AuditEntry, DaySettlement, Shift
from cashier.terminal import Terminal
from receipts.builders import Hall
from receipts.printing import Printer
from tests.helpers.db import sql
from tests.ui.conftest import settle
from ui.arrears_view import ArrearsFilter, ArrearsModel
from ui.context import AppContext
from ui.counter import CounterWindow
from ui.supervisor import SupervisorWindow

ON = date(2026, 11, 27)


def show(qtbot, window):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def workspace(qtbot, ctx, tab: int | None = None) -> SupervisorWindow:
    """The supervisor's workspace shown, on ``tab`` once it has loaded."""
    window = SupervisorWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    if tab is not None:
        window.tabs.setCurrentIndex(tab)
        settle(qtbot)
    return window


def _close_with(ctx, cashier, counts_delta_fen: int, reason: str | None) -> str:
    """Close the open shift with the count off by ``counts_delta_fen``."""
    with ctx.store.read() as s:
        shift = s.scalar(select(Shift).where(Shift.status == "open"))
        expected = shifts.expected_cash(s, shift)
        sid = shift.id
    counted = expected + counts_delta_fen
    shifts.close_shift(ctx.terminal, cashier, {10000: counted // 10000, 1: counted % 10000}, reason=reason)
    return sid


def test_a_supervisor_reviews_and_signs_off_a_shift_with_a_short(qtbot, with_shift):
    ctx, hall = with_shift, with_shift.hall_fixture
    take_payment(ctx.terminal, hall.cashier, "3101000001", 28733, [TenderLine("cash", 30000)])
    sid = _close_with(ctx, hall.cashier, -300, "找零多给三元")
    ctx.actor = hall.supervisor
    counter = CounterWindow(ctx)
    qtbot.addWidget(counter)
    show(qtbot, counter)
    settle(qtbot)
    qtbot.keyClick(counter, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    window = counter.supervisor_window
    qtbot.addWidget(window)
    settle(qtbot)
    review = window.review
    assert review.list.rowCount() == 1
    assert review.list.item(0, 4).text() == "短款 ￥3.00"
    detail = review.detail.text()
    assert "短款 ￥3.00" in detail and "-￥" not in detail
    assert "找零多给三元" in detail and format_fen(28733) in detail and "李娜" in detail
    assert review.focusWidget() is review.comment or not window.isActiveWindow()
    qtbot.keyClick(review.comment, Qt.Key.Key_Return)  # a short needs a comment
    settle(qtbot)
    assert "签核意见" in review.message.text()
    with ctx.store.read() as s:
        assert s.get(Shift, sid).status == "closed"
    review.comment.insert("已当面核实")  # QTest types ASCII only; an input method gives the Chinese
    qtbot.keyClick(review.comment, Qt.Key.Key_Return)
    qtbot.keyClick(review.comment, Qt.Key.Key_Return)  # a double Enter signs off once, without an error after
    settle(qtbot)
    with ctx.store.read() as s:
        shift = s.get(Shift, sid)
        assert (shift.status, shift.review_comment, shift.reviewed_by) == ("signed_off", "已当面核实",
                                                                           hall.supervisor.user_id)
    assert review.list.rowCount() == 0 and "已签核" in review.message.text()


def test_a_cashier_cannot_open_the_workspace(qtbot, with_shift):
    counter = CounterWindow(with_shift)
    qtbot.addWidget(counter)
    show(qtbot, counter)
    settle(qtbot)
    qtbot.keyClick(counter, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert "班长" in counter.message.text() and not hasattr(counter, "supervisor_window")
    with pytest.raises(DomainError):
        SupervisorWindow(with_shift)


def test_day_end_settlement_totals_equal_the_sum_of_its_shifts(qtbot, ctx, tmp_path):
    hall = ctx.hall_fixture
    ids = []
    for cashier, payments in ((hall.cashier, [("3101000001", 28733, "cash", 30000), ("3101000004", 20000, "wechat",
                                                                                    20000)]),
                              (hall.cashier2, [("3101000002", 150000, "bank_card", 150000),
                                               ("3101000003", 12345, "cash", 20000)])):
        shifts.open_shift(ctx.terminal, cashier, {10000: 3})
        for number, amount, kind, tendered in payments:
            take_payment(ctx.terminal, cashier, number, amount, [TenderLine(kind, tendered, None if kind == "cash"
                                                                           else "REF1")])
            hall.clock.advance(hours=1)
        shifts.move_cash(ctx.terminal, cashier, "out", "turn_in", 10000, "交款")
        ids.append(_close_with(ctx, cashier, 0, None))
    for sid in ids:
        shifts.review_shift(ctx.terminal, hall.supervisor, sid, "")
    ctx.actor = hall.supervisor
    window = workspace(qtbot, ctx, tab=1)
    day = window.day
    assert day.settle_button.isEnabled() and "已签核 2" in day.state.text()
    with ctx.store.read() as s:
        per_shift = [shift_totals(s, i) for i in ids]
    tender_sum: dict[str, int] = {}
    for st in per_shift:
        for kind, fen in st.by_tender.items():
            tender_sum[kind] = tender_sum.get(kind, 0) + fen
    assert dict(day.by_tender.table_rows()) == {
        {"cash": "现金", "wechat": "微信支付", "bank_card": "银行卡", "alipay": "支付宝"}[k]: format_fen(v)
        for k, v in tender_sum.items()}
    assert sum(day.by_hour.values) == 4
    qtbot.keyClick(day, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert day.last_pdf is not None and day.last_pdf.exists(), day.message.text()
    with ctx.store.read() as s:
        st = s.query(DaySettlement).one()
        totals, deposit = json.loads(st.totals), st.deposit_cash_fen
        statuses = {s.get(Shift, i).status for i in ids}
    assert statuses == {"settled"}
    assert totals["by_tender"] == tender_sum
    assert totals["payments"] == sum(x.payments for x in per_shift) == 4
    assert deposit == sum(x.counted_cash_fen - x.opening_float_fen + x.cash_out_fen["turn_in"] for x in per_shift)
    assert format_fen(deposit) in day.message.text()
    # Where the PDF went, in full, with a key to open its folder.
    assert day.last_pdf.is_absolute() and str(day.last_pdf) in day.message.text()
    assert day.folder_button.isVisibleTo(window) and "Ctrl+O" in day.folder_button.text()
    assert not day.settle_button.isEnabled() and day.state.text() == "已日结"


# --- arrears and collection on a seeded hall --------------------------------------------------

@pytest.fixture(scope="module")
def seeded_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("seeded") / "cashier.db"
    seed_database(path, 3000, seed=21, as_of=ON)
    return path


@pytest.fixture
def hall_ctx(seeded_path, tmp_path):
    import shutil

    path = tmp_path / "cashier.db"
    shutil.copyfile(seeded_path, path)
    store = Store.open(path)
    settings = Settings()
    terminal = Terminal(store=store, clock=FixedClock(timezone="Asia/Shanghai", at=datetime(2026, 11, 27, 2, 0)))
    ctx = AppContext(Paths.resolve(tmp_path), settings, store, terminal,
                     Printer(settings.printer, tmp_path / "previews"), Hall(settings.hall.name, "T01", "1号窗口"))
    conn = sqlite3.connect(path)
    uid, name = conn.execute("SELECT id, display_name FROM users WHERE role = 'supervisor'").fetchone()
    conn.close()
    ctx.actor = Actor(uid, "super1", name, Role.SUPERVISOR)
    yield ctx
    store.close()



def test_arrears_buckets_filters_notices_and_export(qtbot, hall_ctx, tmp_path):
    window = workspace(qtbot, hall_ctx, tab=2)
    tab = window.arrears
    path = hall_ctx.store.path
    per_account = sql(path, """SELECT a.account_no, a.collector, julianday(?) - julianday(min(b.due_date)),
                                       sum(b.outstanding_fen)
                                FROM bills b JOIN accounts a ON a.id = b.account_id
                                WHERE b.outstanding_fen > 0 AND b.due_date < ? GROUP BY a.id""",
                       ON.isoformat(), ON.isoformat())
    buckets = {"1-15": 0, "16-30": 0, "31-60": 0, "61-90": 0, ">90": 0}
    for _, _, days, fen in per_account:
        days = int(days)
        key = "1-15" if days <= 15 else "16-30" if days <= 30 else "31-60" if days <= 60 else \
            "61-90" if days <= 90 else ">90"
        buckets[key] += fen
    assert tab.bucket_chart.table_rows() == [(k, format_fen(v)) for k, v in buckets.items()]
    assert tab.model.rowCount() == len(per_account)
    assert tab.trend_chart.values[-1] == sum(fen for *_, fen in per_account) and len(tab.trend_chart.values) == 12

    # Filter by one collector, then sort by arrears, largest first.
    collector = per_account[0][1]
    tab.collector.setCurrentIndex(tab.collector.findData(collector))
    mine = [r for r in per_account if r[1] == collector]
    assert tab.model.rowCount() == len(mine)
    assert f"显示 {len(mine)} 户" in tab.count.text()
    tab.view.sortByColumn(7, Qt.SortOrder.DescendingOrder)
    amounts = [a.principal_fen for a in tab.model.rows]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] == max(r[3] for r in mine)

    # Notices for the two largest: a PDF, and the notice dates recorded.
    tab.view.selectRow(0)
    tab.view.selectionModel().select(tab.model.index(1, 0), tab.view.selectionModel().SelectionFlag.Select |
                                     tab.view.selectionModel().SelectionFlag.Rows)
    chosen = [a.account_no for a in tab.selected()]
    assert len(chosen) == 2
    tab.print_notices(tmp_path / "notices")
    settle(qtbot)
    assert "2 份" in tab.message.text(), tab.message.text()
    assert tab.last_notices.exists() and tab.last_notices.stat().st_size > 2000
    with hall_ctx.store.read() as s:
        noticed = {e.subject for e in s.query(AuditEntry).filter(AuditEntry.action == "arrears.notice")}
    assert noticed == set(chosen)

    # Export the filtered list; an unwritable folder is said plainly.
    tab.export(tmp_path / "out" / "arrears.xlsx")
    settle(qtbot)
    sheet = load_workbook(tmp_path / "out" / "arrears.xlsx").active
    assert sheet.max_row == len(mine) + 1
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    tab.export(blocker / "x.xlsx")
    settle(qtbot)
    assert "无法写入" in tab.message.text()
    tab.print_notices(blocker / "notices")
    settle(qtbot)
    assert "无法写入" in tab.message.text()
    # A day that has not come: said plainly, the list as it was.
    shown = tab.model.rowCount()
    tab.on.setDate(QDate(2027, 1, 1))
    tab.refresh()
    settle(qtbot)
    assert "还没到" in tab.message.text() and tab.model.rowCount() == shown


def test_a_hundred_thousand_rows_sort_and_filter_in_the_model(qtbot):
    model = ArrearsModel()
    rows = [ArrearsAccount(f"31{i:08d}", f"客户{i}", "residential", f"所{i % 7}", f"台区{i % 50}", f"员{i % 40}",
                           i % 400 + 1, 1 + i % 3, (i * 7919) % 100000, i % 900, "31-60",
                           disconnection_candidate=i % 11 == 0) for i in range(100_000)]
    model.set_accounts(rows)
    assert model.rowCount() == 100_000
    model.sort(7, Qt.SortOrder.DescendingOrder)
    assert model.rows[0].principal_fen == max(r.principal_fen for r in rows)
    model.set_filter(ArrearsFilter(collector="员3", candidates_only=True))
    assert model.rowCount() == sum(1 for i in range(100_000) if i % 40 == 3 and i % 11 == 0)
    assert model.data(model.index(0, 7)) == format_fen(model.rows[0].principal_fen)
    QApplication.processEvents()


def test_collection_rates_charts_exports_and_bad_periods(qtbot, hall_ctx, tmp_path):
    window = workspace(qtbot, hall_ctx)
    tab = window.collection
    tab.start.setDate(QDate(2026, 3, 1))
    tab.end.setDate(QDate(2026, 8, 31))
    window.tabs.setCurrentIndex(3)
    settle(qtbot)
    rows = sql(hall_ctx.store.path, """
        SELECT coalesce(a.collector, '(未指定)'), count(DISTINCT a.id), sum(b.principal_fen),
               sum(b.principal_fen - b.outstanding_fen)
        FROM bills b JOIN accounts a ON a.id = b.account_id
        WHERE b.due_date BETWEEN '2026-03-01' AND '2026-08-31' GROUP BY 1""")
    expected = {name: (n, billed, got) for name, n, billed, got in rows}
    table = tab.collectors_table
    shown = {table.item(r, 1).text(): (int(table.item(r, 2).text()), table.item(r, 3).text(), table.item(r, 4).text(),
                                       table.item(r, 5).text()) for r in range(table.rowCount())}
    assert shown == {k: (n, format_fen(b), format_fen(g), f"{(g * 10000 // b + (1 if g * 10000 % b * 2 >= b else 0)) / 100:.2f}%")
                     for k, (n, b, g) in expected.items()}
    assert [label for label, _ in tab.collector_chart.table_rows()] == [table.item(r, 1).text()
                                                                       for r in range(table.rowCount())]
    tab.export(tmp_path / "rates.xlsx")
    tab.export(tmp_path / "rates.csv")
    settle(qtbot)
    sheet = load_workbook(tmp_path / "rates.xlsx").worksheets[0]
    assert {r[1]: round(r[3] * 100) for r in sheet.iter_rows(min_row=2, values_only=True)} == \
        {k: b for k, (_, b, _) in expected.items()}
    assert "rates.csv" in tab.message.text() or (tmp_path / "rates.csv").exists()
    assert (tmp_path / "rates.csv").read_text(encoding="utf-8-sig").count("\n") >= len(expected) + 2

    # A period in the future, an empty period, a collector no account has.
    tab.start.setDate(QDate(2027, 1, 1))
    tab.end.setDate(QDate(2027, 2, 1))
    tab.refresh()
    settle(qtbot)
    assert "还没到" in tab.message.text()
    tab.start.setDate(QDate(2020, 1, 1))
    tab.end.setDate(QDate(2020, 2, 1))
    tab.refresh()
    settle(qtbot)
    assert "没有到期的账单" in tab.message.text()
    tab.choose_export(".xlsx")
    assert "请先统计" in tab.message.text()
    tab.start.setDate(QDate(2026, 3, 1))
    tab.end.setDate(QDate(2026, 8, 31))
    tab.collector.setEditText("查无此人")
    tab.refresh()
    settle(qtbot)
    assert "查无此人" in tab.message.text() and "责任收费员" in tab.message.text()


def test_the_day_at_a_glance_takes_the_other_counters_from_the_upstream(qtbot, ctx, tmp_path):
    from cashier.sync.client import UpstreamClient
    from cashier.sync.engine import Syncer
    from tests.helpers.hall import make_hall, standard_accounts
    from tests.helpers.upstream import enroll_with_local_upstream
    from upstream import terminals

    db, up = enroll_with_local_upstream(ctx, tmp_path)
    other = make_hall(tmp_path / "t02", terminal_id="T02")
    standard_accounts(other.store)
    with UpstreamClient(up.url) as c:
        token = c.enroll(terminals.create_enrollment_code(db, "DEMO01", "T02")).token
    client = UpstreamClient(up.url, token)
    try:
        syncer = Syncer(other.store, client, clock=other.clock)
        syncer.run_once()
        shifts.open_shift(other.terminal, other.cashier, {10000: 3})
        take_payment(other.terminal, other.cashier, "3101000004", 20000, [TenderLine("wechat", 20000, "WX7")])
        syncer.run_once()
        hall = ctx.hall_fixture
        shifts.open_shift(ctx.terminal, hall.cashier, {10000: 3})
        take_payment(ctx.terminal, hall.cashier, "3101000003", 5000, [TenderLine("cash", 5000)])  # not uploaded
        ctx.actor = hall.supervisor
        window = workspace(qtbot, ctx, tab=1)
        day = window.day
        assert dict(day.by_terminal.table_rows()) == {"T01": format_fen(5000), "T02": format_fen(20000)}
        assert dict(day.by_tender.table_rows()) == {"现金": format_fen(5000), "微信支付": format_fen(20000)}
        assert "其他柜台 1 个" in day.source.text()
        up.stop()
        day.refresh()
        settle(qtbot)
        assert "不可达" in day.source.text() and dict(day.by_terminal.table_rows()) == {"T01": format_fen(5000)}
    finally:
        client.close()
        other.store.close()
        ctx.syncer.client.close()
        if up.thread.is_alive():
            up.stop()


def _labels_drawn(qtbot, chart):
    qtbot.waitUntil(lambda: bool(chart.category_axis.drawn and chart.value_axis.drawn), timeout=5000)
    return chart.axis_labels()


def test_money_axes_read_as_money_and_every_category_label_is_drawn(qtbot):
    from ui.charts import ChartPanel

    names = [f"收费员{i:02d}" for i in range(27)]
    chart = ChartPanel("各收费员实收", "实收", formatter=format_fen, scale=100, axis="money")
    qtbot.addWidget(chart)
    chart.resize(420, 520)
    chart.show()
    chart.set_data(names, [123_456_789 - i * 3_000_000 for i in range(27)])  # up to ￥1,234,567.89
    chart.grab()
    values, categories = _labels_drawn(qtbot, chart)
    assert values and all(v.startswith("￥") and "e+" not in v and "e-" not in v for v in values)
    assert "￥1,000,000" in values or "￥1,200,000" in values
    assert categories == names  # every label, none skipped, though they crowd (turned)
    assert chart.category_axis.angle in (45, 90)
    rates = ChartPanel("回收率", "回收率", scale=100, axis="percent", with_table=False, zero_based=False)
    qtbot.addWidget(rates)
    rates.resize(600, 300)
    rates.show()
    rates.set_data(["东城", "西城", "南湖"], [9990, 9862, 9836])
    rates.grab()
    values, categories = _labels_drawn(qtbot, rates)
    assert all(v.endswith("%") and "e" not in v for v in values) and categories == ["东城", "西城", "南湖"]
    assert rates.category_axis.angle == 0


def test_tables_under_the_charts_show_eight_rows_at_1280_by_800(qtbot, hall_ctx):
    window = workspace(qtbot, hall_ctx, tab=3)
    window.resize(1280, 800)
    tab = window.collection
    tab.refresh()
    settle(qtbot)
    qtbot.wait(50)
    for table in (tab.collectors_table, tab.areas_table):
        assert table.viewport().height() >= 8 * table.verticalHeader().defaultSectionSize()
    collectors = [x.key for x in tab.report.by_collector]
    tab.collector_chart.grab()
    assert _labels_drawn(qtbot, tab.collector_chart)[1] == collectors and len(collectors) > 12
    window.tabs.setCurrentIndex(2)
    settle(qtbot)
    qtbot.wait(50)
    view = window.arrears.view
    assert view.viewport().height() >= 8 * view.verticalHeader().defaultSectionSize()
    window.tabs.setCurrentIndex(1)
    settle(qtbot)
    qtbot.wait(50)
    for chart in (window.day.by_terminal, window.day.by_tender, window.day.by_hour):
        assert chart.table.viewport().height() >= 8 * chart.table.verticalHeader().defaultSectionSize()


def test_the_reconciliation_tab_shows_each_provider_and_each_difference_and_says_when_offline(qtbot, ctx, tmp_path):
    from datetime import timedelta

    from upstream import reconcile
    from upstream.payments.base import StatementLine
    from tests.helpers.upstream import enroll_with_local_upstream

    db, up = enroll_with_local_upstream(ctx, tmp_path)
    try:
        hall = ctx.hall_fixture
        shifts.open_shift(ctx.terminal, hall.cashier, {10000: 3})
        take_payment(ctx.terminal, hall.cashier, "3101000003", 20000, [TenderLine("wechat", 20000, "4200000001")])
        take_payment(ctx.terminal, hall.cashier, "3101000004", 15000, [TenderLine("wechat", 15000, "TYPO-42")])
        ctx.syncer.run_once()
        day = ctx.terminal.clock.business_date()
        at = datetime(day.year, day.month, day.day, 10, 0)
        reconcile.reconcile(db, day, "wechat", [
            StatementLine("wechat", "payment", "4200000001", None, 20000, at),  # matches
            StatementLine("wechat", "payment", "4200000002", None, 990, at + timedelta(minutes=5), terminal="T01"),
        ])
        ctx.actor = hall.supervisor
        window = workspace(qtbot, ctx)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        qtbot.keyClick(window.tabs, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
        settle(qtbot)
        tab = window.reconcile
        assert window.tabs.currentWidget() is tab
        qtbot.waitUntil(lambda: tab.day_shown is not None, timeout=10_000)
        providers = {tab.providers.item(r, 0).text(): [tab.providers.item(r, c).text() for c in range(9)]
                     for r in range(tab.providers.rowCount())}
        wechat = providers["微信支付"]
        assert wechat[2] == "2" and wechat[3] == format_fen(20990) and wechat[5] == "2"
        assert wechat[6] == format_fen(35000) and wechat[8] == "2 条未处理：见下方差异明细"
        assert providers["支付宝"][1] == "尚未对账"
        rows = sorted(tuple(tab.mismatches.item(r, c).text() for c in (1, 2, 3, 4, 5, 6))
                      for r in range(tab.mismatches.rowCount()))
        assert rows == sorted([
            ("已扣款未入账", "4200000002", format_fen(990), "—", "T01", "—"),
            ("渠道无此交易", "TYPO-42", "—", format_fen(15000), "T01", f"{hall.cashier.display_name} (c1)")])
        assert "2 条差异未处理" in tab.message.text()
        up.stop()
        tab.day.setFocus()
        qtbot.keyClick(tab.day, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: tab.day_shown is None, timeout=10_000)
        assert "不可达" in tab.message.text() and tab.mismatches.rowCount() == 0
    finally:
        ctx.syncer.client.close()
        if up.thread.is_alive():
            up.stop()
