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


def _supervisor_at_the_counter(qtbot, ctx):
    """super1 signed in at the counter with the workspace (Ctrl+M) open beside it."""
    from ui.supervisor import SupervisorWindow

    ctx.actor = ctx.hall_fixture.supervisor
    counter = CounterWindow(ctx)
    qtbot.addWidget(counter)
    counter.show()
    workspace = SupervisorWindow(ctx)
    qtbot.addWidget(workspace)
    workspace.show()
    settle(qtbot)
    return counter, workspace


def _unlock(qtbot, counter):
    dialog = counter.idle.dialog
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: counter.idle.dialog is None, timeout=5000)


def test_the_lock_hides_every_window_and_unlocking_brings_back_exactly_those(qtbot, ctx):
    from PySide6.QtWidgets import QApplication

    from cashier import events

    seen = []
    ctx.store.events.subscribe(lambda e: seen.append((e["user"], e["state"])), events.SESSION)
    counter, workspace = _supervisor_at_the_counter(qtbot, ctx)
    closed = CounterWindow(ctx)  # a window that was not shown stays hidden after the unlock
    qtbot.addWidget(closed)
    counter.idle.set_interval_ms(200)
    qtbot.waitUntil(lambda: counter.idle.dialog is not None and counter.idle.dialog.isVisible(), timeout=5000)
    dialog = counter.idle.dialog
    assert not workspace.isVisible() and not counter.isVisible()  # nothing readable
    assert dialog.windowModality() == Qt.WindowModality.ApplicationModal
    assert QApplication.activeModalWidget() is dialog  # nothing usable: input goes to the lock only
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [dialog]
    _unlock(qtbot, counter)
    assert workspace.isVisible() and counter.isVisible() and not closed.isVisible()
    assert QApplication.activeModalWidget() is None
    assert seen == [("super1", "locked"), ("super1", "unlocked")]
    counter.idle.set_interval_ms(0)


def test_lock_now_uses_the_same_lock_and_a_window_opened_meanwhile_stays_hidden(qtbot, ctx):
    from PySide6.QtWidgets import QDialog

    counter, workspace = _supervisor_at_the_counter(qtbot, ctx)
    counter.idle.set_interval_ms(0)
    counter.idle.lock()  # Ctrl+L
    assert counter.idle.dialog.isVisible() and not workspace.isVisible()
    late = QDialog(counter)  # e.g. a receipt preview after a print finished
    late.show()
    qtbot.waitUntil(lambda: not late.isVisible(), timeout=2000)
    _unlock(qtbot, counter)
    assert workspace.isVisible() and counter.isVisible() and late.isVisible()
    assert counter.idle.timer.interval() == 0 and not counter.idle.timer.isActive()  # 0: never locks
