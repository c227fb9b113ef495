"""Choosing a new password: the forced change at first sign-in (in the login dialog) and
"change my password" from the counter or the workspace (Ctrl+Shift+P).

The rules are said above the fields (``auth.password_rules``); two different entries are refused
here, a short one or the old one again by the core (``auth.change_password``), each in words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cashier import auth
from cashier.errors import CashierError
from cashier.i18n import translate
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import MessageLine, big


def _secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def who(person) -> str:
    """'李娜  cashier1', or the user name alone when it is the name too."""
    if person.display_name and person.display_name != person.username:
        return f"{person.display_name}  {person.username}"
    return person.username


class NewPasswordFields(QWidget):
    """The rules, the new password and the same again (the dialog's Enter goes to the first empty one)."""

    def __init__(self, rules: str, current: QLineEdit | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.rules = QLabel(rules)
        self.rules.setObjectName("password_rules")
        self.rules.setWordWrap(True)
        self.new = _secret_field("new_password")
        self.again = _secret_field("new_password_again")
        layout.addRow(self.rules)
        if current is not None:  # one column of fields: the current password, then the new one twice
            layout.addRow(self.tr("原密码"), current)
        layout.addRow(self.tr("新密码"), self.new)
        layout.addRow(self.tr("再输一次"), self.again)

    def value(self) -> str:
        return self.new.text()

    def first_empty(self) -> QLineEdit | None:
        return next((f for f in (self.new, self.again) if not f.text()), None)

    def differ(self) -> bool:
        return self.new.text() != self.again.text()

    def clear(self) -> None:
        self.new.clear()
        self.again.clear()


class ChangePasswordDialog(QDialog):
    """Ctrl+Shift+P: whoever is signed in changes their own password (the old one proves it is them)."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("change_password")
        self.setWindowTitle(self.tr("修改我的密码"))
        actor = ctx.actor
        layout = QVBoxLayout(self)
        layout.addWidget(big(QLabel(who(actor) if actor else ""), 14))
        self.old = _secret_field("old_password")
        self.fields = NewPasswordFields(auth.password_rules(ctx.terminal), self.old)
        layout.addWidget(self.fields)
        self.message = MessageLine()
        self.message.setMinimumWidth(360)
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("修改密码 (Enter)"))
        self.button.setObjectName("change")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        QShortcut(QKeySequence("Esc"), self, activated=self.reject)
        self.old.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if not self.button.isEnabled() or self.ctx.actor is None:
            return
        empty = self.old if not self.old.text() else self.fields.first_empty()
        if empty is not None:  # Enter walks the fields: old, new, again, then changes
            empty.setFocus()
            return
        if self.fields.differ():
            self.message.error(translate("auth.passwords_differ"))
            self.fields.clear()
            self.fields.new.setFocus()
            return
        t, username, old, new = self.ctx.terminal, self.ctx.actor.username, self.old.text(), self.fields.value()
        self.button.setEnabled(False)
        Op(self, lambda: auth.change_password(t, username, old, new)).success(self._changed) \
            .failure(self._failed).always(lambda: self.button.setEnabled(True)).run_in_background()

    def _changed(self, actor: auth.Actor) -> None:
        self.ctx.actor = actor
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        key = getattr(exc, "key", "")
        if key in ("auth.bad_credentials", "auth.locked"):
            self.old.clear()
            self.old.setFocus()
        else:
            self.fields.clear()
            self.fields.new.setFocus()
        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))
