"""Opening a shift with the float counted, and closing it blind (长短款, reason, supervisor)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cashier import auth, shifts
from cashier.errors import CashierError
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import DenominationGrid, MessageLine, big


class OpenShiftDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext, done: Callable[[], None]) -> None:
        super().__init__(parent)
        self.ctx, self.done_cb = ctx, done
        self.setObjectName("open_shift")
        self.setWindowTitle(self.tr("开班 — 清点备用金"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("按面额输入备用金张数，回车确认，Esc 取消")))
        self.grid = DenominationGrid()
        layout.addWidget(self.grid)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("开班 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)

    def submit(self) -> None:
        counts = self.grid.counts()
        self.button.setEnabled(False)
        Op(self, lambda: shifts.open_shift(self.ctx.terminal, self.ctx.actor, counts)) \
            .success(self._opened).failure(self._failed).always(lambda: self.button.setEnabled(True)) \
            .run_in_background()

    def _opened(self, _shift_id: str) -> None:
        self.done_cb()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))


class CloseShiftDialog(QDialog):
    """Blind close: the count goes in first; only then the difference is shown."""

    def __init__(self, parent: QWidget, ctx: AppContext, done: Callable[[], None]) -> None:
        super().__init__(parent)
        self.ctx, self.done_cb = ctx, done
        self.approval_id: int | None = None
        self.setObjectName("close_shift")
        self.setWindowTitle(self.tr("结班 — 盲点现金"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("请清点钱箱，按面额输入张数（系统不显示应有金额），回车提交")))
        self.grid = DenominationGrid()
        layout.addWidget(self.grid)
        self.difference = big(QLabel(""), 18)
        self.difference.setObjectName("over_short")
        layout.addWidget(self.difference)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisor")
        self.supervisor_password = QLineEdit()
        self.supervisor_password.setObjectName("supervisor_password")
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason_row = (QLabel(self.tr("长短款原因")), self.reason)
        form.addRow(*self.reason_row)
        form.addRow(self.tr("班长用户名"), self.supervisor)
        form.addRow(self.tr("班长密码"), self.supervisor_password)
        layout.addLayout(form)
        for widget in (self.reason, self.supervisor, self.supervisor_password):
            widget.setEnabled(False)
            widget.returnPressed.connect(self.submit)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("提交 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.result = None

    def submit(self) -> None:
        counts, reason = self.grid.counts(), self.reason.text().strip() or None
        t, actor = self.ctx.terminal, self.ctx.actor
        username, password = self.supervisor.text().strip(), self.supervisor_password.text()
        need_approval = self.supervisor.isEnabled()

        def work():
            approval = self.approval_id
            if need_approval and approval is None:
                with t.store.read() as s:
                    shift = shifts.open_shift_of(s, t)
                    shift_id = shift.id if shift else ""
                approval = auth.authorize(t, actor, username, password, "over_short", shift_id, reason or "")
            return approval, shifts.close_shift(t, actor, counts, reason, approval)

        self.button.setEnabled(False)
        Op(self, work).success(self._closed).failure(self._failed) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()

    def _closed(self, outcome) -> None:
        self.approval_id, self.result = outcome
        self.done_cb()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CashierError):
            self.message.error(repr(exc))
            return
        self.message.error(str(exc))
        if exc.key == "shift.reason_required":
            self.difference.setText(self.tr("长短款 ") + str(exc.params.get("over_short", "")))
            self.reason.setEnabled(True)
            self.reason.setFocus()
        elif exc.key == "auth.approval_required":
            self.reason.setEnabled(True)
            self.supervisor.setEnabled(True)
            self.supervisor_password.setEnabled(True)
            self.supervisor.setFocus()
