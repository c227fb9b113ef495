"""Reversal at the counter: refused with a wrong supervisor password, done with the right one."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cashier.payments import TenderLine, take_payment
from cashier.store.models import Payment
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.reversal import ReversalDialog


def test_reversal_needs_the_right_supervisor_password(qtbot, with_shift):
    ctx = with_shift
    paid = take_payment(ctx.terminal, ctx.actor, "3101000001", 29254, [TenderLine("cash", 30000)])
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_F12)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReversalDialog) and w.isVisible())
    settle(qtbot)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "T01-00000001"
    qtbot.keyClicks(dialog.reason, "hu hao lu cuo")
    qtbot.keyClicks(dialog.supervisor, "super1")
    qtbot.keyClicks(dialog.password, "guess")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "用户名或密码错误" in dialog.message.text() and dialog.isVisible()
    with ctx.store.read() as s:
        assert s.query(Payment).count() == 1
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert dialog.result.reverses_id == paid.payment_id
    assert "已冲正，退款 ￥292.54" in window.message.text()


def test_reversal_by_keys_only_shows_every_column_and_refuses_a_reversed_payment(qtbot, with_shift):
    from cashier.payments import reverse_payment
    from ui.reversal import ReversalDialog

    ctx = with_shift
    hall = ctx.hall_fixture
    first = take_payment(ctx.terminal, ctx.actor, "3101000001", 29254, [TenderLine("cash", 30000)])
    reverse_payment(ctx.terminal, ctx.actor, first.payment_id, hall.approve("reversal", first.payment_id), "chong fu")
    second = take_payment(ctx.terminal, ctx.actor, "3101000004", 20100, [TenderLine("wechat", 20100, "4200000009")])
    done = []
    dialog = ReversalDialog(None, ctx, done.append)  # what F12 opens
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    settle(qtbot)
    table = dialog.table
    assert table.rowCount() == 2 and dialog.focusWidget() is table
    # Every column in full: receipt number, account, masked name, time, amount, tender, status.
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            text = table.item(row, col).text()
            needed = table.fontMetrics().horizontalAdvance(text)
            assert table.columnWidth(col) >= needed, (row, col, text)
    assert table.viewport().width() >= sum(table.columnWidth(c) for c in range(table.columnCount() - 1))
    assert not table.horizontalScrollBar().isVisible() and dialog.width() > 500
    newest = [table.item(0, c).text() for c in range(table.columnCount())]
    assert newest[0] == "T01-00000003" and newest[1] == "3101000004" and newest[4] == "￥201.00"
    assert "*" in newest[2] and newest[5] == "微信支付" and newest[6] == ""
    assert [table.item(1, c).text() for c in (0, 6)] == ["T01-00000001", "已冲正"]
    # The reversed payment cannot be chosen: Enter on it says so and stays on the list.
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentRow() == 1
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert "已经冲正" in dialog.message.text() and dialog.focusWidget() is table and dialog.isVisible()
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.reason and Op_idle()
    qtbot.keyClicks(dialog.reason, "sao le liang ci")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.supervisor and dialog.isVisible()
    qtbot.keyClicks(dialog.supervisor, "super1")
    qtbot.keyClick(dialog.supervisor, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.password and dialog.isVisible()
    with ctx.store.read() as s:
        assert s.query(Payment).count() == 3  # nothing reversed by the Enters so far
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert dialog.result.reverses_id == second.payment_id and done == [dialog.result]


def Op_idle() -> bool:
    from ui.ops import Op

    return Op.running == 0
