"""冲正: reverse one of today's payments; a supervisor types their credentials on this terminal."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from cashier import auth, payments
from cashier.money import format_fen
from cashier.store.models import Account, Payment
from receipts.builders import receipt_number
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import SupervisorForm


def todays_payments(ctx: AppContext) -> list[tuple[str, str, str, int, bool]]:
    """(payment id, receipt number, account, amount, reversed) of today's payments at this terminal."""
    t = ctx.terminal
    with ctx.store.read() as s:
        reversed_ids = set(s.scalars(select(Payment.reverses_id).where(Payment.reverses_id.is_not(None))))
        rows = s.execute(
            select(Payment.id, Payment.seq, Account.account_no, Payment.applied_fen + Payment.prepaid_credit_fen)
            .join(Account, Account.id == Payment.account_id)
            .where(Payment.kind == "payment", Payment.business_date == t.clock.business_date(),
                   Payment.terminal_id == t.terminal_id)
            .order_by(Payment.seq.desc())
        ).all()
    return [(pid, receipt_number(t.terminal_id, seq), account, amount, pid in reversed_ids)
            for pid, seq, account, amount in rows]


class ReversalDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext, done: Callable[[payments.PaymentResult], None]) -> None:
        super().__init__(parent)
        self.ctx, self.done_cb = ctx, done
        self.setObjectName("reversal")
        self.setWindowTitle(self.tr("冲正 — 需班长授权"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("单号"), self.tr("户号"), self.tr("金额"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        self.form = SupervisorForm(layout, (self.tr("冲正原因"), self.tr("班长用户名"), self.tr("班长密码")),
                                   self.tr("授权并冲正 (Enter)"), self.submit)
        self.reason, self.supervisor, self.password = self.form.reason, self.form.supervisor, self.form.password
        self.message, self.button = self.form.message, self.form.button
        self.rows: list[tuple] = []
        Op(self, lambda: todays_payments(ctx)).success(self._fill).run_in_background()

    def _fill(self, rows) -> None:
        self.rows = rows
        for pid, number, account, amount, done in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, value in enumerate((number, account, format_fen(amount), self.tr("已冲正") if done else "")):
                self.table.setItem(row, col, QTableWidgetItem(value))
        if rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def submit(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.rows):
            self.message.error(self.tr("请选择要冲正的收费记录"))
            return
        payment_id = self.rows[row][0]
        reason, username, password = self.reason.text().strip(), self.supervisor.text().strip(), self.password.text()
        if not reason:
            self.message.error(self.tr("请填写冲正原因"))
            self.reason.setFocus()
            return
        t, actor = self.ctx.terminal, self.ctx.actor

        def work():
            approval = auth.authorize(t, actor, username, password, "reversal", payment_id, reason)
            return payments.reverse_payment(t, actor, payment_id, approval, reason)

        self.button.setEnabled(False)
        Op(self, work).success(self._reversed).failure(self._failed) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()

    def _reversed(self, result: payments.PaymentResult) -> None:
        self.result = result
        self.done_cb(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.form.failed(exc)
