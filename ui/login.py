"""Sign-in: user name and password, Enter signs in; the demo shows its users on the screen.

A user who must change their password (new, or reset by a supervisor or technician) chooses a new
one here, right after the old one was accepted: the new password twice, the rules said above the
fields; only then the counter opens. Esc goes back to the sign-in.
The same dialog comes back after a sign-out (签退, Ctrl+Shift+L) for whoever takes the counter next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QLabel, QLayout, QLineEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from ui.ops import Op
from ui.widgets import MessageLine, big

if TYPE_CHECKING:  # the store and the core load in the background while this window shows
    from cashier import auth
    from ui.context import AppContext


class LoginDialog(QDialog):
    """Shown before the store is open: typing can start at once; an Enter pressed meanwhile signs in once it is."""

    signed_in = Signal(object)  # auth.Actor, before the dialog closes: the counter shows first

    def __init__(self, ctx: "AppContext | None" = None, *, hall_name: str = "", terminal: str = "",
                 demo_users: list[tuple[str, str, str]] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.pending = False  # Enter was pressed before the store was open
        self._changing: tuple[str, str] | None = None  # (user name, old password) while a new one is chosen
        self.setWindowTitle(self.tr("供电营业厅收费柜台 — 登录"))
        layout = QVBoxLayout(self)
        # The dialog grows with a long message (the lockout's) instead of drawing it over the demo users.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        if ctx is not None:
            hall_name, terminal = ctx.hall.name, f"{ctx.hall.terminal_name}  {ctx.hall.terminal_id}"
            demo_users = ctx.demo_users
        layout.addWidget(big(QLabel(hall_name), 18))
        layout.addWidget(QLabel(terminal))
        self.pages = QStackedWidget()
        sign_in = QWidget()
        form = QFormLayout(sign_in)
        form.setContentsMargins(0, 0, 0, 0)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        self.pages.addWidget(sign_in)
        change = QWidget()
        change_layout = QVBoxLayout(change)
        change_layout.setContentsMargins(0, 0, 0, 0)
        self.change_title = big(QLabel(""), 12)
        self.change_title.setObjectName("change_title")
        self.change_title.setWordWrap(True)
        change_layout.addWidget(self.change_title)
        from ui.password import NewPasswordFields

        self.new_password = NewPasswordFields("")
        change_layout.addWidget(self.new_password)
        self.pages.addWidget(change)
        layout.addWidget(self.pages)
        self.message = MessageLine()
        self.message.setMinimumWidth(360)  # wraps at a readable width; its own row, under the fields
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("登录 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        if demo_users:
            lines = [self.tr("演示用户（密码均为 {password}）：").format(password=demo_users[0][2])]
            lines += [f"  {u}  {name}" for u, name, _ in demo_users]
            demo = QLabel("\n".join(lines))
            demo.setObjectName("demo_users")
            layout.addWidget(demo)
        self.username.setFocus()
        if ctx is None:
            self.message.setText(self.tr("正在打开数据库…"))

    def set_context(self, ctx: "AppContext") -> None:
        """The store is open: signing in works from now on (and an Enter already pressed signs in now)."""
        self.ctx = ctx
        self.message.clear()
        if self.pending:
            self.pending = False
            self.submit()

    def startup_failed(self, text: str) -> None:
        self.pending = False
        self.message.error(text)

    def start_again(self, username: str = "") -> None:
        """After a sign-out: the last user's name selected (typing replaces it), no password, no message."""
        self._back_to_sign_in()
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        self.username.setText(username)
        self.username.selectAll()
        self.username.setFocus()

    def submit(self) -> None:
        if self._changing is not None:
            self._submit_new_password()
            return
        if not self.username.text().strip():
            self.username.setFocus()
            return
        if not self.password.text():
            self.password.setFocus()
            return
        if self.ctx is None:  # remembered: signs in as soon as the store is open
            self.pending = True
            self.message.setText(self.tr("正在打开数据库…"))
            return
        self.button.setEnabled(False)
        self.message.clear()
        from cashier import auth

        username, password = self.username.text().strip(), self.password.text()
        Op(self, lambda: auth.login(self.ctx.terminal, username, password)) \
            .success(self._signed_in).failure(self._failed).always(lambda: self.button.setEnabled(True)) \
            .run_in_background()

    def _signed_in(self, actor: "auth.Actor") -> None:
        if actor.must_change_password:
            self._ask_new_password(actor)
            return
        self._done(actor)

    def _ask_new_password(self, actor: "auth.Actor") -> None:
        """The old password was right and must be replaced before anything else: choose one now."""
        from cashier import auth

        self._changing = (actor.username, self.password.text())
        self.password.clear()
        self.change_title.setText(self.tr("{name}，请先设置自己的新密码（初始密码或重置的密码不能继续使用）").format(
            name=actor.display_name))
        self.new_password.rules.setText(auth.password_rules(self.ctx.terminal))
        self.new_password.clear()
        self.pages.setCurrentIndex(1)
        self.button.setText(self.tr("修改密码并登录 (Enter)"))
        self.message.clear()
        self.new_password.new.setFocus()

    def _submit_new_password(self) -> None:
        from cashier import auth
        from cashier.i18n import translate

        if not self.button.isEnabled():
            return
        fields = self.new_password
        empty = fields.first_empty()
        if empty is not None:  # Enter walks the fields: new, again, then changes
            empty.setFocus()
            return
        if fields.differ():
            self._new_password_refused(translate("auth.passwords_differ"))
            return
        (username, old), new, t = self._changing, fields.value(), self.ctx.terminal
        self.button.setEnabled(False)
        self.message.clear()
        Op(self, lambda: auth.change_password(t, username, old, new)).success(self._done) \
            .failure(self._change_failed).always(lambda: self.button.setEnabled(True)).run_in_background()

    def _change_failed(self, exc: BaseException) -> None:
        from cashier.errors import CashierError

        if getattr(exc, "key", "") in ("auth.bad_credentials", "auth.locked"):  # locked meanwhile: sign in again
            self._back_to_sign_in()
            self._failed(exc)
            return
        self._new_password_refused(str(exc) if isinstance(exc, CashierError) else repr(exc))

    def _new_password_refused(self, text: str) -> None:
        self.new_password.clear()
        self.new_password.new.setFocus()
        self.message.error(text)

    def _back_to_sign_in(self) -> None:
        self._changing = None
        self.new_password.clear()
        self.pages.setCurrentIndex(0)
        self.button.setText(self.tr("登录 (Enter)"))

    def reject(self) -> None:
        """Esc while choosing a new password goes back to the sign-in; otherwise the program ends."""
        if self._changing is not None:
            username = self._changing[0]
            self.start_again(username)
            return
        super().reject()

    def _done(self, actor: "auth.Actor") -> None:
        self._back_to_sign_in()
        self.ctx.actor = actor
        self.signed_in.emit(actor)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.password.clear()
        self.password.setFocus()
        from cashier.errors import CashierError

        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))
