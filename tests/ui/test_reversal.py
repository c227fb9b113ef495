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
