"""Idle lock: after the configured minutes without a key or a click (or at once, Ctrl+L) the
program locks, and only the signed-in cashier's password (or a supervisor's) opens it again.

Locked, nothing of the program is readable or usable: every other window (the counter, the
supervisor's workspace, an open dialog) is hidden, one shown while locked is hidden too, and
the unlock dialog is application-modal; unlocking shows again exactly the windows that were shown.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cashier import auth, events
from cashier.errors import CashierError
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import MessageLine, big

ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}
_TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


def _depth(widget: QWidget) -> int:
    depth, parent = 0, widget.parentWidget()
    while parent is not None:
        depth, parent = depth + 1, parent.parentWidget()
    return depth


class UnlockDialog(QDialog):
    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("unlock")
        self.setWindowTitle(self.tr("已锁定"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        layout = QVBoxLayout(self)
        layout.addWidget(big(QLabel(self.tr("收费台已锁定")), 18))
        form = QFormLayout()
        self.username = QLineEdit(ctx.actor.username if ctx.actor else "")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        button = QPushButton(self.tr("解锁 (Enter)"))
        button.setDefault(True)
        button.clicked.connect(self.submit)
        layout.addWidget(button)
        session = getattr(ctx, "session", None)
        if session is not None:  # another cashier at a locked counter: sign out here, sign in as oneself
            switch = QPushButton(self.tr("签退，换人登录 (Ctrl+Shift+L)"))
            switch.setObjectName("sign_out")
            switch.setAutoDefault(False)
            switch.clicked.connect(session.sign_out)
            layout.addWidget(switch)
            QShortcut(QKeySequence("Ctrl+Shift+L"), self, activated=session.sign_out)
        self.password.setFocus()

    def reject(self) -> None:  # Esc does not unlock
        pass

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        Op(self, lambda: auth.login(self.ctx.terminal, username, password)).success(self._unlocked) \
            .failure(self._failed).run_in_background()

    def _unlocked(self, actor: auth.Actor) -> None:
        current = self.ctx.actor
        if current and actor.user_id != current.user_id and actor.role != auth.Role.SUPERVISOR:
            self.message.error(self.tr("只有本班收费员或班长可以解锁"))
            return
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.password.clear()
        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))


class IdleLock(QObject):
    """The lock of the whole program; ``window`` (the counter) owns it, the timer watches every window."""

    def __init__(self, window: QWidget, ctx: AppContext, minutes: int | None = None) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        minutes = ctx.settings.ui.idle_lock_minutes if minutes is None else minutes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.dialog: UnlockDialog | None = None
        self.hidden: list[QWidget] = []  # shown before the lock, in the order to show them again
        self.front: QWidget | None = None  # the active window before the lock
        self.set_interval_ms(minutes * 60_000)
        QApplication.instance().installEventFilter(self)

    def set_interval_ms(self, ms: int) -> None:
        self.timer.stop()
        self.timer.setInterval(max(ms, 0))
        if ms > 0:  # 0 minutes: never lock
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if self.dialog is None:
            if kind in ACTIVITY and self.timer.interval() > 0:
                self.timer.start()
        elif kind == QEvent.Type.Show and self._covers(watched):
            # A window opened while locked (a receipt preview, a late dialog) waits hidden with the others.
            if watched not in self.hidden:
                self.hidden.append(watched)
            QTimer.singleShot(0, watched, watched.hide)
        return False

    def _covers(self, widget: QObject) -> bool:
        return (isinstance(widget, QWidget) and widget.isWindow() and widget is not self.dialog
                and widget.windowType() not in _TRANSIENT and not self.dialog.isAncestorOf(widget))

    def lock(self) -> None:
        """Lock now (Ctrl+L, or the idle timer): hide every window, ask for the password."""
        if self.dialog is not None:
            return
        self.timer.stop()
        self.dialog = UnlockDialog(None, self.ctx)
        self.dialog.finished.connect(self._unlocked)
        self.front = QApplication.activeWindow()
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and self._covers(w)]
        self.dialog.show()  # first, so that the program always has a window
        self.dialog.activateWindow()
        for widget in shown:
            widget.hide()
        self.hidden = shown
        self._announce("locked")

    def dismiss(self) -> None:
        """Close the lock without showing the hidden windows again (sign-out closes them)."""
        dialog, self.dialog, self.hidden = self.dialog, None, []
        self.timer.stop()
        if dialog is not None:
            dialog.finished.disconnect(self._unlocked)
            dialog.hide()
            dialog.deleteLater()

    def _unlocked(self) -> None:
        dialog, self.dialog = self.dialog, None
        front, self.front = self.front, None
        alive = []
        for widget in self.hidden:
            try:
                widget.objectName()
            except RuntimeError:  # closed and deleted while locked
                continue
            alive.append(widget)
        self.hidden = []
        # Shown again main windows first, and the one that was in front last: it is in front again.
        for widget in sorted(alive, key=lambda w: (_depth(w), w is front)):
            widget.show()
        if front in alive:
            front.activateWindow()
        if dialog is not None:
            dialog.deleteLater()
        if self.timer.interval() > 0:
            self.timer.start()
        self._announce("unlocked")

    def _announce(self, state: str) -> None:
        actor = self.ctx.actor
        logging.getLogger(__name__).info("counter %s: %s", state, actor.username if actor else "nobody signed in")
        self.ctx.store.events.publish(events.SESSION, user=actor.username if actor else None, state=state)
