"""The supervisor's held uploads tab (issue 15, point 9) on real widgets, a real store and a real upstream:
a payment the upstream refused is listed with its reason in words and settled from the keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from cashier.payments import TenderLine, take_payment
from cashier.reports import shift_totals
from cashier.store.models import AuditEntry, HeldResolution, OutboxEntry, Payment
from tests.helpers.hall import PASSWORD, add_account
from tests.helpers.upstream import enroll_with_local_upstream
from tests.ui.conftest import settle
from ui.supervisor import SupervisorWindow

HELD_TAB = 4


@pytest.fixture
def held(with_shift, tmp_path):
    """A payment on an account opened here after the upstream was filled: the push refuses it."""
    ctx = with_shift
    _db, up = enroll_with_local_upstream(ctx, tmp_path)
    add_account(ctx.store, "3101000099", name="周新户", bills=[("202602", 8800, date(2026, 3, 25))])
    paid = take_payment(ctx.terminal, ctx.actor, "3101000099", 8800, [TenderLine("cash", 10000)])
    assert ctx.syncer.run_once().pushed == {"rejected": 1}
    yield ctx, paid.payment_id
    ctx.syncer.client.close()
    if up.thread.is_alive():
        up.stop()


def _workspace(qtbot, ctx) -> SupervisorWindow:
    ctx.actor = ctx.hall_fixture.supervisor
    window = SupervisorWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.tabs, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    settle(qtbot)
    return window


def _type(qtbot, widget, text: str) -> None:
    widget.insert(text)  # as an input method hands over Chinese text; QTest's key clicks are Latin-1 only
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_the_supervisor_sees_a_refused_payment_and_dismisses_it_from_the_keyboard(qtbot, held):
    ctx, payment_id = held
    with ctx.store.read() as s:
        shift_id = s.get(Payment, payment_id).shift_id
        before = shift_totals(s, shift_id)
    window = _workspace(qtbot, ctx)
    tab = window.held
    assert window.tabs.currentWidget() is tab
    assert tab.list.rowCount() == 1
    assert tab.list.item(0, 1).text() == "收费 00000001" and tab.list.item(0, 2).text() == "3101000099"
    assert tab.list.item(0, 3).text() == "￥88.00" and tab.list.item(0, 4).text() == "上级系统没有这个户号"
    assert "收费员 李娜" in tab.detail.text() and "原因代码：unknown_account" in tab.detail.text()
    assert "金额 ￥88.00 计入本机班次合计" in tab.detail.text()
    assert tab.form.supervisor.text() == "super1"  # the signed-in supervisor, typed again only as a password

    # Enter on the row → the resolution (↓↓: dismiss) → Enter → reason → Enter (name kept) → password → Enter.
    assert tab.list.hasFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_Return)
    assert tab.action.hasFocus()
    qtbot.keyClick(tab.action, Qt.Key.Key_Down)
    qtbot.keyClick(tab.action, Qt.Key.Key_Down)
    assert tab.action.currentData() == "dismiss" and "不再上传" in tab.effect.text()
    qtbot.keyClick(tab.action, Qt.Key.Key_Return)
    assert tab.form.reason.hasFocus()
    qtbot.keyClick(tab.form.reason, Qt.Key.Key_Return)  # no reason yet: said, and the cursor stays
    assert tab.form.reason.hasFocus() and tab.message.text() == "请填写原因"
    _type(qtbot, tab.form.reason, "新户改由营销系统补录")
    qtbot.keyClick(tab.form.supervisor, Qt.Key.Key_Return)
    assert tab.form.password.hasFocus()
    _type(qtbot, tab.form.password, PASSWORD)
    settle(qtbot)
    assert "已处理上传 1" in tab.message.text() and "不再上传" in tab.message.text(), tab.message.text()
    settle(qtbot)  # the held_resolved event refreshes the list
    assert tab.list.rowCount() == 0 and tab.detail.text() == "没有待班长处理的上传"
    assert not tab.form.button.isEnabled()
    with ctx.store.read() as s:
        assert s.scalar(select(OutboxEntry.status).where(OutboxEntry.entity_id == payment_id)) == "resolved"
        assert s.scalar(select(HeldResolution.action)) == "dismiss"
        assert s.scalar(select(AuditEntry.subject).where(AuditEntry.action == "held.resolve")) == payment_id
        after = shift_totals(s, shift_id)
    assert (after.payments_fen, after.by_tender) == (before.payments_fen, before.by_tender)


def test_a_wrong_password_is_refused_and_the_item_stays_held(qtbot, held):
    ctx, payment_id = held
    window = _workspace(qtbot, ctx)
    tab = window.held
    tab.action.setCurrentIndex(tab.action.findData("accept_upstream"))
    tab.form.reason.setText("核实")
    tab.form.password.setText("wrong-one")
    tab.form.password.setFocus()
    qtbot.keyClick(tab.form.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "用户名或密码错误" in tab.message.text() and tab.form.password.hasFocus() and tab.form.password.text() == ""
    assert tab.list.rowCount() == 1
    with ctx.store.read() as s:
        assert s.scalar(select(OutboxEntry.status).where(OutboxEntry.entity_id == payment_id)) == "rejected"


def test_the_status_bar_count_of_held_uploads_follows_a_decision(qtbot, held):
    from cashier import held_items
    from ui.counter import CounterWindow

    ctx, _payment_id = held
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    assert window.status.online.text().endswith(" · 1 笔待班长处理")
    with ctx.store.read() as s:
        [item] = held_items.held_items(s)
    # Settled from elsewhere in this program (the supervisor's workspace): the counter is told, not polled.
    held_items.resolve(ctx.terminal, item.outbox_id, "dismiss", "新户改由营销系统补录", "super1", PASSWORD)
    settle(qtbot)
    assert "待班长处理" not in window.status.online.text()
