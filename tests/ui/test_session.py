"""Sign-out and switch user (签退, Ctrl+Shift+L) with the shift left open: every window closes, the
login dialog comes back, whoever signs in next gets the counter; closing the login ends the program."""

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from cashier import events
from cashier.store.models import Shift
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.login import LoginDialog
from ui.session import SessionController


@pytest.fixture
def started():
    """Starts a session on a context; signs out at the end (sign-out deletes the counter windows)."""
    made = []

    def start(qtbot, ctx):
        quits = []
        login = LoginDialog(ctx)
        qtbot.addWidget(login)
        session = SessionController(login, quit=lambda: quits.append(True))
        session.start()
        made.append(session)
        return session, quits

    yield start
    for session in made:
        session.sign_out()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _sign_in(qtbot, session, username):
    login = session.login
    assert login.isVisible() and login.password.text() == ""
    login.username.setText(username)
    qtbot.keyClicks(login.password, PASSWORD)
    with qtbot.waitSignal(login.signed_in, timeout=10000):
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
    settle(qtbot)


def _shown():
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_a_cashier_signs_out_and_the_supervisor_takes_the_counter_with_the_shift_open(qtbot, with_shift, started):
    from ui.supervisor import SupervisorWindow

    ctx = with_shift
    ctx.actor = None
    seen = []
    ctx.store.events.subscribe(lambda e: seen.append((e["user"], e["state"])), events.SESSION)
    session, quits = started(qtbot, ctx)
    assert ctx.session is session
    _sign_in(qtbot, session, "c1")
    first = session.window
    assert isinstance(first, CounterWindow) and first.isVisible() and not session.login.isVisible()
    assert ctx.actor.username == "c1"
    session.sign_out()
    assert _shown() == [session.login] and ctx.actor is None and session.window is None
    assert session.login.username.text() == "c1" and session.login.username.selectedText() == "c1"
    _sign_in(qtbot, session, "super1")
    assert ctx.actor.username == "super1" and session.window is not first and session.window.isVisible()
    workspace = SupervisorWindow(ctx)  # Ctrl+M
    workspace.show()
    settle(qtbot)
    session.sign_out()  # every window of the program closes, the workspace too
    settle(qtbot)
    assert _shown() == [session.login]
    assert seen == [("c1", "signed_in"), ("c1", "signed_out"), ("super1", "signed_in"), ("super1", "signed_out")]
    with ctx.store.read() as s:  # the shift stays open, the cashier's
        assert s.scalar(select(Shift.cashier_id).where(Shift.status == "open")) == ctx.hall_fixture.cashier.user_id
    assert quits == []
    qtbot.keyClick(session.login, Qt.Key.Key_Escape)  # closing the login after a sign-out quits
    assert quits == [True]


def test_sign_out_from_the_lock_lets_another_cashier_sign_in(qtbot, with_shift, started):
    ctx = with_shift
    session, _ = started(qtbot, ctx)
    _sign_in(qtbot, session, "c1")
    session.window.idle.set_interval_ms(0)
    session.lock_now()  # Ctrl+L
    dialog = session.window.idle.dialog
    assert _shown() == [dialog]
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(dialog.password, Qt.Key.Key_L, ctrl_shift)  # 签退 from the lock
    settle(qtbot)
    assert _shown() == [session.login] and ctx.actor is None
    _sign_in(qtbot, session, "c2")
    assert ctx.actor.username == "c2" and _shown() == [session.window]


def test_closing_the_login_at_start_quits(qtbot, ctx, started):
    session, quits = started(qtbot, ctx)
    session.login.reject()
    assert quits == [True] and session.window is None
