"""Cash out of the drawer from the counter (F3): amount checked, slip printed, drawer sums kept."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cashier.store.models import CashMovement
from tests.ui.conftest import settle
from ui.cash_dialog import CashMovementDialog
from ui.counter import CounterWindow


def test_bank_pickup_from_the_counter(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CashMovementDialog) and w.isVisible())
    qtbot.keyClicks(dialog.amount, "-5")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "负数" in dialog.message.text()
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "900")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    settle(qtbot)
    assert "钱箱现金不足" in dialog.message.text()  # the drawer holds ￥500
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "300")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    settle(qtbot)
    assert "现金存取已登记" in window.message.text()
    with with_shift.store.read() as s:
        move = s.query(CashMovement).one()
        assert (move.direction, move.purpose, move.amount_fen) == ("out", "bank_pickup", 30000)
