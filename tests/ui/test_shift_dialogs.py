"""Opening a shift with its float and closing it blind, by keyboard, on real widgets."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cashier.store.models import Shift
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.shift_dialogs import CloseShiftDialog, OpenShiftDialog


def show(qtbot, window):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts work in the active window


def active_dialog(kind):
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def test_open_then_blind_close_with_a_short_needs_a_reason(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.cashier
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    show(qtbot, window)
    settle(qtbot)
    assert "未开班" in window.status.shift.text()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    opening = active_dialog(OpenShiftDialog)
    opening.grid.boxes[10000].setValue(5)
    assert opening.grid.total.text() == "￥500.00"
    with qtbot.waitSignal(opening.accepted, timeout=10000):
        qtbot.keyClick(opening, Qt.Key.Key_Return)
    settle(qtbot)
    assert "开班" in window.status.shift.text() and "未开班" not in window.status.shift.text()

    show(qtbot, window)  # back at the counter once the dialog has gone
    qtbot.keyClick(window, Qt.Key.Key_F4)
    closing = active_dialog(CloseShiftDialog)
    assert closing.difference.text() == ""  # blind: nothing about the expected cash
    closing.grid.boxes[10000].setValue(4)
    closing.grid.boxes[1000].setValue(9)
    closing.grid.boxes[100].setValue(9)
    qtbot.keyClick(closing, Qt.Key.Key_Return)
    settle(qtbot)
    assert closing.isVisible() and "-￥1.00" in closing.difference.text() and "原因" in closing.message.text()
    assert closing.reason.isEnabled() and closing.focusWidget() is closing.reason
    qtbot.keyClicks(closing.reason, "zhao cuo le")
    with qtbot.waitSignal(closing.accepted, timeout=10000):
        qtbot.keyClick(closing.reason, Qt.Key.Key_Return)
    settle(qtbot)
    with ctx.store.read() as s:
        shift = s.query(Shift).one()
        assert (shift.status, shift.over_short_fen, shift.over_short_reason) == ("closed", -100, "zhao cuo le")


def test_a_big_short_asks_for_a_supervisor_on_this_terminal(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.cashier
    from cashier import shifts

    shifts.open_shift(ctx.terminal, ctx.actor, {10000: 5})
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    closing = active_dialog(CloseShiftDialog)
    closing.grid.boxes[10000].setValue(4)
    qtbot.keyClick(closing, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.keyClicks(closing.reason, "unknown")
    qtbot.keyClick(closing.reason, Qt.Key.Key_Return)
    settle(qtbot)
    assert "授权" in closing.message.text() and closing.supervisor.isEnabled()
    qtbot.keyClicks(closing.supervisor, "super1")
    qtbot.keyClicks(closing.supervisor_password, "wrong")
    qtbot.keyClick(closing.supervisor_password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "用户名或密码错误" in closing.message.text() and closing.isVisible()
    closing.supervisor_password.clear()
    qtbot.keyClicks(closing.supervisor_password, PASSWORD)
    with qtbot.waitSignal(closing.accepted, timeout=10000):
        qtbot.keyClick(closing.supervisor_password, Qt.Key.Key_Return)
    settle(qtbot)
    assert closing.result.over_short_fen == -10000
