"""冲正: reverse one of today's payments; a supervisor types their credentials on this terminal.

Keys only: the list has the focus (↑/↓ to choose), Enter takes the row and moves to 冲正原因, Enter
moves to 班长用户名, then 班长密码, and Enter there submits. A payment already reversed cannot be
chosen: Enter on it says so and stays on the list.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cashier import auth, payments
from cashier.i18n import translate
from cashier.money import format_fen
from cashier.tenders import tender_label
from cashier.reversals import ReversiblePayment, todays_payments
from receipts.builders import receipt_number
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import SupervisorForm, big

VISIBLE_ROWS = 8


class ReversalDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext, done: Callable[[payments.PaymentResult], None]) -> None:
        super().__init__(parent)
        self.ctx, self.done_cb = ctx, done
        self.result: payments.PaymentResult | None = None
        self.setObjectName("reversal")
        self.setWindowTitle(self.tr("冲正 — 需班长授权"))
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("选择今天的一笔收费（↑↓），回车填写冲正原因、班长用户名和密码，回车授权并冲正；Esc 取消"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        headers = [self.tr("流水号"), self.tr("户号"), self.tr("户名"), self.tr("时间"), self.tr("金额"),
                   self.tr("付款方式"), self.tr("状态")]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("payments")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # Its minimum width holds every column (set once filled): never a sideways scroll bar.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.installEventFilter(self)
        self.table.currentCellChanged.connect(lambda *_: self._show_chosen())
        layout.addWidget(self.table, 1)
        self.chosen = big(QLabel(""), 13)
        self.chosen.setObjectName("chosen")
        layout.addWidget(self.chosen)
        self.form = SupervisorForm(layout, (self.tr("冲正原因"), self.tr("班长用户名"), self.tr("班长密码")),
                                   self.tr("授权并冲正 (Enter)"), self.submit)
        self.reason, self.supervisor, self.password = self.form.reason, self.form.supervisor, self.form.password
        self.message, self.button = self.form.message, self.form.button
        self.rows: list[ReversiblePayment] = []
        t = ctx.terminal
        Op(self, lambda: todays_payments(t)).success(self._fill).failure(self.form.failed).run_in_background()

    # --- the list ---------------------------------------------------------------------
    def _fill(self, rows: list[ReversiblePayment]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        grey = QColor("#7f8c8d")
        for row, p in enumerate(rows):
            values = (receipt_number(p.terminal_id, p.seq), p.account_no, p.masked_name,
                      self.ctx.hall.local(p.created_at)[11:], format_fen(p.amount_fen),
                      "+".join(tender_label(k) for k in p.tenders),
                      (self.tr("已冲正") + (" · " + translate(f"scan.refund_{p.refund}") if p.refund else ""))
                      if p.reversed else "")
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if col == 4:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if p.reversed:
                    cell.setForeground(grey)
                self.table.setItem(row, col, cell)
        self._fit()
        if rows:
            first = next((i for i, p in enumerate(rows) if not p.reversed), 0)
            self.table.selectRow(first)
            self.table.setCurrentCell(first, 0)
        else:
            self.message.error(translate("reversal.none_today"))
        self.table.setFocus()

    def _fit(self) -> None:
        """Every column shown in full and about eight rows, without a horizontal scroll bar."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        width = sum(max(self.table.sizeHintForColumn(c),
                        metrics.horizontalAdvance(self.table.horizontalHeaderItem(c).text()) + 24)
                    for c in range(self.table.columnCount()))
        width += self.table.verticalScrollBar().sizeHint().width() + 2 * self.table.frameWidth() + 8
        rows = self.table.verticalHeader().defaultSectionSize() * VISIBLE_ROWS
        self.table.setMinimumSize(width, header.height() + rows + 2 * self.table.frameWidth())
        self.adjustSize()

    def chosen_payment(self) -> ReversiblePayment | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_chosen(self) -> None:
        p = self.chosen_payment()
        if p is None:
            self.chosen.setText("")
            return
        self.chosen.setText(self.tr("冲正 {number}  户号 {account} {name}  退款 {amount}").format(
            number=receipt_number(p.terminal_id, p.seq), account=p.account_no, name=p.masked_name,
            amount=format_fen(p.amount_fen)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.take_row()
            return True  # the list's Enter never reaches the dialog's buttons
        return super().eventFilter(watched, event)

    def take_row(self) -> None:
        """Enter on the list: a payment that can be reversed moves on to the reason."""
        p = self.chosen_payment()
        if p is None:
            self.message.error(translate("reversal.choose"))
            return
        if p.reversed:
            self.message.error(translate("reversal.already"))
            self.table.setFocus()
            return
        self.message.clear()
        self.reason.setFocus()

    def submit(self) -> None:
        if not self.button.isEnabled():
            return  # reversing already
        p = self.chosen_payment()
        if p is None:
            self.message.error(translate("reversal.choose"))
            self.table.setFocus()
            return
        if p.reversed:
            self.message.error(translate("reversal.already"))
            self.table.setFocus()
            return
        reason, username, password = self.reason.text().strip(), self.supervisor.text().strip(), self.password.text()
        if not reason:
            self.message.error(self.tr("请填写冲正原因"))
            self.reason.setFocus()
            return
        if not username:
            self.message.error(self.tr("请输入班长用户名"))
            self.supervisor.setFocus()
            return
        t, actor, payment_id = self.ctx.terminal, self.ctx.actor, p.payment_id

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
        self.password.setFocus()
