"""人员 (staff accounts) in the supervisor's workspace: every account and its state; add a person,
reset a forgotten password, lift a lockout, deactivate. A supervisor manages cashiers, a technician
everyone (``cashier.users`` decides; the choices here only follow it). A new or reset password is
shown once, in its own dialog, and never again. Keyboard: ↑/↓ choose, Ctrl+N a new person,
Ctrl+R reset the password, Ctrl+K unlock, Ctrl+D deactivate, F5 reload.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cashier import users
from cashier.auth import Role
from cashier.errors import CashierError
from cashier.i18n import translate
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import MessageLine, big


def _said(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, CashierError) else repr(exc)


class ConfirmDialog(QDialog):
    """One question, Enter confirms, Esc goes back."""

    def __init__(self, parent: QWidget | None, title: str, text: str, confirm: str) -> None:
        super().__init__(parent)
        self.setObjectName("confirm")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(360)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(confirm)
        self.confirm_button.setObjectName("confirm_button")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.accept)
        back = QPushButton(self.tr("返回 (Esc)"))
        back.setAutoDefault(False)
        back.clicked.connect(self.reject)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(back)
        layout.addLayout(buttons)
        self.confirm_button.setFocus()


class PasswordShownDialog(QDialog):
    """The new or reset password, large and selectable, this once; closing forgets it."""

    def __init__(self, parent: QWidget | None, made: users.NewPassword, reset: bool) -> None:
        super().__init__(parent)
        self.setObjectName("password_shown")
        self.setWindowTitle(self.tr("新密码（只显示这一次）"))
        layout = QVBoxLayout(self)
        from ui.password import who

        layout.addWidget(big(QLabel(f"{who(made)}  · {translate('role.' + made.role.value)}"), 14))
        self.password = QLabel(made.password)
        self.password.setObjectName("new_password")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(26)
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4)
        self.password.setFont(font)
        self.password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.password)
        hint = QLabel(self.tr("密码重置后只显示这一次：请当面交给本人。下次登录时必须改成自己的密码。") if reset else
                      self.tr("初始密码只显示这一次：请当面交给本人。首次登录时必须改成自己的密码。"))
        hint.setWordWrap(True)
        hint.setMinimumWidth(360)
        layout.addWidget(hint)
        done = QPushButton(self.tr("已交给本人 (Enter)"))
        done.setDefault(True)
        done.clicked.connect(self.accept)
        layout.addWidget(done)

    def done(self, result: int) -> None:  # noqa: A003 - Qt's name
        self.password.setText("")
        super().done(result)


class UsersTab(QWidget):
    """Every account and its state; the chosen one reset, unlocked or deactivated; a new one added."""

    COLUMNS = 4

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.people: list[users.UserInfo] = []
        self.shown: QDialog | None = None  # the password or confirmation dialog open now
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QTableWidget(0, self.COLUMNS)
        self.list.setObjectName("users")
        self.list.setHorizontalHeaderLabels([self.tr("用户名"), self.tr("姓名"), self.tr("角色"), self.tr("状态")])
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        left.addWidget(self.list, 1)
        actions = QHBoxLayout()
        self.reset_button = QPushButton(self.tr("重置密码 (Ctrl+R)"))
        self.reset_button.setObjectName("reset_password")
        self.unlock_button = QPushButton(self.tr("解锁 (Ctrl+K)"))
        self.unlock_button.setObjectName("unlock")
        self.deactivate_button = QPushButton(self.tr("停用 (Ctrl+D)"))
        self.deactivate_button.setObjectName("deactivate")
        for button, slot in ((self.reset_button, self.reset_password), (self.unlock_button, self.unlock),
                             (self.deactivate_button, self.deactivate)):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            actions.addWidget(button)
        left.addLayout(actions)
        self.message = MessageLine()
        left.addWidget(self.message)
        layout.addLayout(left, 3)

        box = QGroupBox(self.tr("新增人员 (Ctrl+N)"))
        form = QFormLayout(box)
        self.username = QLineEdit()
        self.username.setObjectName("new_username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("new_display_name")
        self.role = QComboBox()
        self.role.setObjectName("new_role")
        for role in Role:
            if users.may_manage(ctx.actor, role):
                self.role.addItem(translate(f"role.{role.value}"), role.value)
        self.add_button = QPushButton(self.tr("新增 (Enter)"))
        self.add_button.setObjectName("add_user")
        self.add_button.clicked.connect(self.add)
        hint = QLabel(self.tr("初始密码由系统生成，只显示一次；首次登录时必须修改。"))
        hint.setWordWrap(True)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("角色"), self.role)
        form.addRow(hint)
        form.addRow(self.add_button)
        # Enter walks user name, name, then the role when there is a choice (a technician's: a supervisor or a
        # technician must not become a cashier by a habitual Enter), then adds.
        self.username.returnPressed.connect(self.display_name.setFocus)
        self.display_name.returnPressed.connect(self.role.setFocus if self.role.count() > 1 else self.add)
        for key in ("Return", "Enter"):
            QShortcut(QKeySequence(key), self.role, activated=self.add, context=Qt.ShortcutContext.WidgetShortcut)
        layout.addWidget(box, 2)
        for key, slot in (("Ctrl+N", self.new_person), ("Ctrl+R", self.reset_password), ("Ctrl+K", self.unlock),
                          ("Ctrl+D", self.deactivate), ("F5", self.refresh)):
            QShortcut(QKeySequence(key), self, activated=slot)

    # --- the list ----------------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        ctx = self.ctx
        keep = select or (self.current().username if self.current() else None)
        Op(self, lambda: users.list_users(ctx.terminal, ctx.actor)).success(lambda people: self._loaded(people, keep)) \
            .failure(lambda e: self.message.error(_said(e))).run_in_background()

    def _loaded(self, people: list[users.UserInfo], keep: str | None) -> None:
        self.people = people
        self.list.setRowCount(len(people))
        chosen = 0
        for row, u in enumerate(people):
            cells = [u.username, u.display_name, translate(f"role.{u.role.value}"), translate(f"users.state.{u.state}")]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if u.state == "locked" and col == 3:
                    item.setForeground(Qt.GlobalColor.red)
                elif not u.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.list.setItem(row, col, item)
            if u.username == keep:
                chosen = row
        if people:
            self.list.selectRow(chosen)

    def current(self) -> users.UserInfo | None:
        rows = self.list.selectionModel().selectedRows()
        return self.people[rows[0].row()] if rows and rows[0].row() < len(self.people) else None

    # --- actions -------------------------------------------------------------------------------------
    def new_person(self) -> None:
        self.username.setFocus()
        self.username.selectAll()

    def add(self) -> None:
        if not self.add_button.isEnabled():
            return
        if not self.username.text().strip():
            self.username.setFocus()
            return
        if self.role.count() == 0:
            self.message.error(translate("users.sign_in_first"))
            return
        ctx = self.ctx
        username, name, role = self.username.text(), self.display_name.text(), self.role.currentData()
        self.add_button.setEnabled(False)
        Op(self, lambda: users.add_user(ctx.terminal, ctx.actor, username, name, role)) \
            .success(lambda made: self._made(made, reset=False)).failure(lambda e: self.message.error(_said(e))) \
            .always(lambda: self.add_button.setEnabled(True)).run_in_background()

    def _made(self, made: users.NewPassword, reset: bool) -> None:
        if not reset:
            self.username.clear()
            self.display_name.clear()
        self.message.ok(self.tr("已重置 {username} 的密码").format(username=made.username) if reset else
                        self.tr("已新增 {username}").format(username=made.username))
        self.refresh(select=made.username)
        dialog = PasswordShownDialog(self, made, reset)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.list.setFocus())
        self.shown = dialog
        dialog.open()

    def _chosen(self, own_allowed: bool = False) -> users.UserInfo | None:
        """The person chosen in the list, if this user may manage them (else said, and None)."""
        person = self.current()
        if person is None:
            self.message.error(self.tr("请先在列表中选择一个人"))
            self.list.setFocus()
            return None
        try:
            users.check_manager(self.ctx.actor, person.role, None if own_allowed else person.username)
        except CashierError as exc:
            self.message.error(str(exc))
            return None
        return person

    def _confirm(self, title: str, text: str, confirm: str, then: Callable[[], None]) -> None:
        dialog = ConfirmDialog(self, title, text, confirm)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(then)
        dialog.finished.connect(lambda _r: self.list.setFocus())
        self.shown = dialog
        dialog.open()

    def reset_password(self) -> None:
        person = self._chosen()
        if person is None:
            return
        ctx, name = self.ctx, person.username
        self._confirm(self.tr("重置密码"),
                      self.tr("为 {name}（{username}）生成新密码？原密码立即失效，新密码只显示一次。").format(
                          name=person.display_name, username=name),
                      self.tr("重置 (Enter)"),
                      lambda: Op(self, lambda: users.reset_password(ctx.terminal, ctx.actor, name))
                      .success(lambda made: self._made(made, reset=True))
                      .failure(lambda e: self.message.error(_said(e))).run_in_background())

    def unlock(self) -> None:
        person = self._chosen(own_allowed=True)
        if person is None:
            return
        ctx, name = self.ctx, person.username
        Op(self, lambda: users.unlock(ctx.terminal, ctx.actor, name)).success(self._unlocked) \
            .failure(lambda e: self.message.error(_said(e))).run_in_background()

    def _unlocked(self, info: users.UserInfo) -> None:
        self.message.ok(translate("users.unlocked", username=info.username, name=info.display_name))
        self.refresh(select=info.username)

    def deactivate(self) -> None:
        person = self._chosen()
        if person is None:
            return
        ctx, name = self.ctx, person.username
        self._confirm(self.tr("停用账号"),
                      self.tr("停用 {name}（{username}）？停用后不能再登录，收费和班次记录保留。").format(
                          name=person.display_name, username=name),
                      self.tr("停用 (Enter)"),
                      lambda: Op(self, lambda: users.deactivate(ctx.terminal, ctx.actor, name))
                      .success(self._deactivated).failure(lambda e: self.message.error(_said(e))).run_in_background())

    def _deactivated(self, info: users.UserInfo) -> None:
        self.message.ok(translate("users.deactivated", username=info.username, name=info.display_name))
        self.refresh(select=info.username)
