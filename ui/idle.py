"""Idle lock: after the configured minutes without a key or a click the counter locks, and only
the signed-in cashier's password (or a supervisor's) opens it again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cashier import auth
from cashier.errors import CashierError
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import MessageLine, big

ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


class UnlockDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("unlock")
        self.setWindowTitle(self.tr("已锁定"))
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
    def __init__(self, window: QWidget, ctx: AppContext, minutes: int | None = None) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        minutes = ctx.settings.ui.idle_lock_minutes if minutes is None else minutes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.dialog: UnlockDialog | None = None
        self.set_interval_ms(minutes * 60_000)
        QApplication.instance().installEventFilter(self)

    def set_interval_ms(self, ms: int) -> None:
        self.timer.stop()
        if ms > 0:  # 0 minutes: never lock
            self.timer.setInterval(ms)
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in ACTIVITY and self.dialog is None and self.timer.interval() > 0:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.dialog is not None:
            return
        self.dialog = UnlockDialog(self.window, self.ctx)
        self.dialog.finished.connect(self._unlocked)
        self.dialog.open()

    def _unlocked(self) -> None:
        self.dialog = None
        self.timer.start()
