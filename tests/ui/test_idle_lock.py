"""Idle lock: the counter locks itself and only the cashier's password opens it."""

from PySide6.QtCore import Qt

from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.counter import CounterWindow


def test_idle_counter_locks_and_unlocks_with_the_password(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    window.idle.set_interval_ms(200)
    qtbot.waitUntil(lambda: window.idle.dialog is not None and window.idle.dialog.isVisible(), timeout=5000)
    dialog = window.idle.dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Esc does not unlock
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert dialog.isVisible() and "密码错误" in dialog.message.text()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: window.idle.dialog is None, timeout=5000)
    window.idle.set_interval_ms(0)


def test_activity_keeps_the_counter_unlocked(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    window.idle.set_interval_ms(400)
    for _ in range(6):
        qtbot.wait(150)
        qtbot.keyClick(window.search_box, Qt.Key.Key_A)
    assert window.idle.dialog is None
    window.idle.set_interval_ms(0)
