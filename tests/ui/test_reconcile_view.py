"""The supervisor's 渠道对账 tab against a real upstream (SQLite, loopback port) that a real reconciliation run
filled: every kind of difference in words, resolved ones said so, another day by the keyboard, an upstream
without the endpoint, the columns in Chinese and in English (issue 18)."""

from __future__ import annotations

from datetime import datetime, timedelta

import socket
import threading

import pytest
import uvicorn
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from cashier import shifts
from cashier.money import format_fen
from cashier.payments import TenderLine, take_payment
from cashier.sync.client import UpstreamClient
from tests.helpers.upstream import enroll_with_local_upstream, start_for
from tests.ui.conftest import settle
from ui.supervisor import SupervisorWindow
from ui.translation import apply_language
from upstream import reconcile, server
from upstream.payments.base import StatementLine

RECONCILE_TAB = 6  # Alt+7


@pytest.fixture
def reconciled(ctx, tmp_path):
    """The hall's day with four WeChat payments on the upstream and two reconciliation runs: the first finds
    all four kinds of difference, the second (the provider's corrected statement) no longer the unknown charge."""
    db, up = enroll_with_local_upstream(ctx, tmp_path)
    try:
        hall = ctx.hall_fixture
        shifts.open_shift(ctx.terminal, hall.cashier, {10000: 3})
        for account, fen, reference in (("3101000003", 20000, "4200000001"), ("3101000004", 15000, "TYPO-42"),
                                        ("3101000002", 12345, "4200000005"), ("3101000003", 5000, "4200000006")):
            take_payment(ctx.terminal, hall.cashier, account, fen, [TenderLine("wechat", fen, reference)])
        ctx.syncer.run_once()
        day = ctx.terminal.clock.business_date()
        at = datetime(day.year, day.month, day.day, 10, 0)
        agreed = [StatementLine("wechat", "payment", "4200000001", None, 20000, at),
                  StatementLine("wechat", "payment", "4200000005", None, 12300, at),  # the provider took 0.45 less
                  StatementLine("wechat", "payment", "4200000006", None, 5000, at),
                  StatementLine("wechat", "refund", "4200000006", None, 5000, at, refund_no="R1",
                                terminal="T01")]  # refunded by the provider, no reversal in the ledger
        unknown = StatementLine("wechat", "payment", "4200000099", None, 990, at + timedelta(minutes=5), terminal="T01")
        reconcile.reconcile(db, day, "wechat", agreed + [unknown])
        reconcile.reconcile(db, day, "wechat", agreed)  # the 9.90 charge no longer on the statement: resolved
        ctx.actor = hall.supervisor
        yield db, up, day
    finally:
        ctx.syncer.client.close()
        if up.thread.is_alive():
            up.stop()


def open_tab(qtbot, ctx):
    window = SupervisorWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.tabs, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
    settle(qtbot)
    assert window.tabs.currentIndex() == RECONCILE_TAB
    return window, window.reconcile


def cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_every_kind_of_difference_is_said_in_words_with_what_to_do_and_a_resolved_one_is_marked(
        qtbot, ctx, reconciled):
    window, tab = open_tab(qtbot, ctx)
    qtbot.waitUntil(lambda: tab.day_shown is not None, timeout=10_000)
    providers = {cells(tab.providers, r)[0]: cells(tab.providers, r) for r in range(tab.providers.rowCount())}
    assert set(providers) == {"微信支付", "支付宝", "银行卡"}
    wechat = providers["微信支付"]
    assert wechat[1] != "尚未对账" and wechat[2] == "4" and wechat[3] == format_fen(37300)
    assert wechat[4] == format_fen(5000) and wechat[5] == "4" and wechat[6] == format_fen(52345)
    assert wechat[7] == format_fen(0) and wechat[8] == "3 条未处理：见下方差异明细"  # the resolved one not counted
    assert providers["支付宝"][1] == providers["银行卡"][1] == "尚未对账"
    money_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert all(tab.providers.item(0, c).textAlignment() == money_right for c in (3, 4, 6, 7))
    rows = {cells(tab.mismatches, r)[2]: cells(tab.mismatches, r)[1:] for r in range(tab.mismatches.rowCount())}
    who = f"{ctx.hall_fixture.cashier.display_name} (c1)"
    assert rows["4200000099"][:7] == ["已扣款未入账", "4200000099", format_fen(990), "—", "T01", "—", "已消除"]
    assert rows["TYPO-42"][:7] == ["渠道无此交易", "TYPO-42", "—", format_fen(15000), "T01", who, "未处理"]
    assert rows["4200000005"][:7] == ["金额不符", "4200000005", format_fen(12300), format_fen(12345), "T01", who,
                                      "未处理"]
    assert rows["4200000006"][:7] == ["退款不符", "4200000006", format_fen(5000), "—", "T01", "—", "未处理"]
    assert "原路退款" in rows["4200000099"][7] and "输错" in rows["TYPO-42"][7]
    assert all(tab.mismatches.item(r, c).textAlignment() == money_right
               for r in range(tab.mismatches.rowCount()) for c in (3, 4))
    assert "3 条差异未处理" in tab.message.text()


def test_enter_in_the_date_field_loads_the_day_typed_and_esc_closes_the_workspace(qtbot, ctx, reconciled):
    _db, _up, day = reconciled
    window, tab = open_tab(qtbot, ctx)
    qtbot.waitUntil(lambda: tab.day_shown is not None, timeout=10_000)
    tab.day.setFocus()
    tab.day.blockSignals(True)  # as a date being typed: the field changes, nothing asked until Enter
    tab.day.set_value(day - timedelta(days=1))
    tab.day.blockSignals(False)
    qtbot.keyClick(tab.day, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.day_shown is not None and tab.day_shown.business_date == day - timedelta(days=1),
                    timeout=10_000)
    assert [tab.providers.item(r, 1).text() for r in range(3)] == ["尚未对账"] * 3
    assert tab.mismatches.rowCount() == 0 and "尚未与任何渠道对账" in tab.message.text()
    qtbot.keyClick(tab.day, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_an_answer_for_a_day_no_longer_picked_is_dropped(qtbot, ctx, reconciled):
    """The supervisor picks the day before and at once the day again: the first question's answer (here held by a
    listener that never answers, then cut) comes last and must not replace the day shown."""
    _db, _up, day = reconciled
    window, tab = open_tab(qtbot, ctx)
    qtbot.waitUntil(lambda: tab.day_shown is not None, timeout=10_000)
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True).start()
    real = ctx.syncer.client
    stalled = UpstreamClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "token", allow_plain_http=True)
    try:
        ctx.syncer.client = stalled
        tab.day.set_value(day - timedelta(days=1))  # asks the listener, which holds the question
        qtbot.waitUntil(lambda: bool(held), timeout=10_000)
        ctx.syncer.client = real
        tab.day.set_value(day)  # asks the upstream
        qtbot.waitUntil(lambda: tab.message.text().startswith(day.isoformat()), timeout=10_000)
        held[0].close()  # the day before's question fails now, after the day's answer
        settle(qtbot)
        assert tab.day_shown.business_date == day and tab.mismatches.rowCount() == 4
        assert tab.message.text().startswith(day.isoformat())
    finally:
        ctx.syncer.client = real
        stalled.close()
        listener.close()
        for conn in held:
            conn.close()


def test_an_upstream_without_reconciliation_is_said_and_nothing_breaks(qtbot, ctx, reconciled):
    db, up, _day = reconciled
    port = int(up.url.rsplit(":", 1)[1])
    up.stop()
    app = server.create_app(db)  # the same upstream as an older version: no /v1/reconcile
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", "") != "/v1/reconcile"]
    older = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    older.install_signal_handlers = lambda: None
    thread = threading.Thread(target=older.run, daemon=True)
    thread.start()
    try:
        qtbot.waitUntil(lambda: older.started, timeout=10_000)
        window, tab = open_tab(qtbot, ctx)
        qtbot.waitUntil(lambda: "版本较旧" in tab.message.text(), timeout=10_000)
        assert tab.day_shown is None and tab.providers.rowCount() == 0
        qtbot.keyClick(window.tabs, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        assert window.tabs.currentIndex() == 0  # the workspace goes on
    finally:
        older.should_exit = True
        thread.join(10)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_column_is_squeezed_at_1280_by_800(qtbot, ctx, reconciled, language):
    apply_language(language)
    try:
        window, tab = open_tab(qtbot, ctx)
        window.resize(1280, 800)
        qtbot.waitUntil(lambda: tab.day_shown is not None, timeout=10_000)
        settle(qtbot)
        if language == "en":
            assert tab.providers.item(0, 0).text() == "WeChat Pay"
            assert {tab.mismatches.item(r, 1).text() for r in range(4)} == {
                "Charged, not recorded", "Unknown to the provider", "Amounts differ", "Refunds differ"}
        assert tab.providers.item(0, 8).text() == ("3 条未处理：见下方差异明细" if language == "zh"
                                                   else "3 open: see the differences below")
        for table, descriptive in ((tab.providers, 8), (tab.mismatches, 8)):  # 差异 in words, 处理 (what to do)
            header = table.horizontalHeader()
            assert header.sectionResizeMode(descriptive) == QHeaderView.ResizeMode.Stretch
            for c in range(table.columnCount()):
                wanted = max(table.sizeHintForColumn(c), header.sectionSizeHint(c))  # the cells' text and the label
                label = table.horizontalHeaderItem(c).text()
                texts = [label] + [table.item(r, c).text() for r in range(table.rowCount())]
                if c == descriptive:  # the rest of the width; a longer sentence wraps onto a taller row, never "…"
                    words = [w for t in texts for w in t.split()]
                    widest = max(table.fontMetrics().horizontalAdvance(w) for w in words)
                    assert header.sectionSize(c) >= max(widest + 10, header.sectionSizeHint(c)), (language, label)
                    assert all(table.rowHeight(r) >= table.sizeHintForRow(r) for r in range(table.rowCount())), label
                    continue
                assert header.sectionSize(c) >= wanted, (language, label, header.sectionSize(c), wanted)
                widest = max(table.fontMetrics().horizontalAdvance(t) for t in texts)
                assert header.sectionSize(c) >= widest + 10, (language, label, "cramped")  # room either side
                # sized to its contents: no column but the descriptive one takes the slack
                assert header.sectionSize(c) <= wanted + 2, (language, label, header.sectionSize(c), wanted)
            assert header.sectionSize(descriptive) == max(header.sectionSize(c) for c in range(table.columnCount()))
    finally:
        apply_language("zh")
