"""Who is at the counter: sign-in, sign-out (签退) and switch user while the shift stays open.

``SessionController`` owns the login dialog, the counter window of whoever signed in and the
``AppContext`` (``ctx.session`` is this object). Ctrl+Shift+L on the counter calls
``ctx.session.sign_out()``: every window of the program closes, the login dialog comes back,
and whoever signs in next (the same cashier, another one, a supervisor) gets a fresh counter
window; the open shift, the store and the sync worker are untouched. Ctrl+L (``lock_now``)
locks through the idle lock. Each sign-in and sign-out is published as ``events.SESSION``
(``user``, ``state``) on the store's bus. Closing the login dialog quits the program.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from cashier import events

if TYPE_CHECKING:
    from cashier.auth import Actor
    from ui.context import AppContext
    from ui.login import LoginDialog

log = logging.getLogger(__name__)


def _counter_window(ctx: "AppContext") -> QWidget:
    from ui.counter import CounterWindow

    return CounterWindow(ctx)


class SessionController(QObject):
    def __init__(self, login: "LoginDialog", *, quit: Callable[[], None] | None = None,
                 make_window: Callable[["AppContext"], QWidget] = _counter_window) -> None:
        super().__init__()
        self.login = login
        self.ctx: "AppContext | None" = login.ctx
        self.window: QWidget | None = None  # the counter of whoever is signed in
        self._quit = quit or QApplication.quit
        self._make_window = make_window
        self._signing_out = False
        login.signed_in.connect(self._signed_in)
        login.rejected.connect(self._login_closed)
        if self.ctx is not None:
            self.ctx.session = self

    def attach(self, ctx: "AppContext") -> None:
        """The store is open (start-up opens it behind the login dialog)."""
        self.ctx = ctx
        ctx.session = self
        self.login.set_context(ctx)

    def start(self) -> None:
        self.login.show()
        self.login.activateWindow()

    @property
    def actor(self) -> "Actor | None":
        return self.ctx.actor if self.ctx is not None else None

    def _signed_in(self, actor: "Actor") -> None:
        self.window = self._make_window(self.ctx)
        self.window.show()  # before the login dialog closes: the program always has a window
        self.window.activateWindow()
        log.info("signed in: %s", actor.username)
        self.ctx.store.events.publish(events.SESSION, user=actor.username, state="signed_in")

    def sign_out(self) -> None:
        """签退 (Ctrl+Shift+L): close every window, back to the login dialog; the shift stays open."""
        if self.window is None or self._signing_out:
            return
        if getattr(self.window, "busy", False):  # a payment is being saved: its receipt prints first
            QTimer.singleShot(200, self.sign_out)
            return
        self._signing_out = True
        try:
            user = self.actor.username if self.actor else None
            idle = getattr(self.window, "idle", None)
            if idle is not None:
                idle.dismiss()
                idle.set_interval_ms(0)
            self.login.start_again(user or "")
            self.start()  # first, so that closing the others never leaves the program without a window
            for widget in QApplication.topLevelWidgets():
                if widget is not self.login and widget.isVisible():
                    widget.hide()
                    widget.deleteLater()
            self.window.hide()
            self.window.deleteLater()
            self.window = None
            self.ctx.actor = None
            log.info("signed out: %s", user)
            self.ctx.store.events.publish(events.SESSION, user=user, state="signed_out")
        finally:
            self._signing_out = False

    def lock_now(self) -> None:
        """Ctrl+L: lock at once, the same lock as after the idle minutes."""
        idle = getattr(self.window, "idle", None)
        if idle is not None:
            idle.lock()

    def _login_closed(self) -> None:
        """The login dialog closed without a sign-in (at start or after a sign-out): the program ends."""
        self._quit()
