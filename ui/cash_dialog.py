"""Cash in or out of the drawer during a shift: top up the float, turn in to the supervisor (交款),
bank pickup (解款); each gets a receipt number and a slip."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cashier import shifts
from cashier.errors import CashierError
from cashier.money import parse_amount
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import MessageLine

class CashMovementDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext, done: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.ctx, self.done_cb = ctx, done
        self.setObjectName("cash_movement")
        self.setWindowTitle(self.tr("现金存取"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        for label, choice in ((self.tr("解款（银行上门收款）"), ("out", "bank_pickup")),
                              (self.tr("交款（交班长）"), ("out", "turn_in")),
                              (self.tr("补充备用金"), ("in", "float_top_up")),
                              (self.tr("其他取出"), ("out", "other")), (self.tr("其他存入"), ("in", "other"))):
            self.kind.addItem(label, choice)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        form.addRow(self.tr("类型"), self.kind)
        form.addRow(self.tr("金额"), self.amount)
        form.addRow(self.tr("说明"), self.reason)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("确认 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.amount.setFocus()

    def submit(self) -> None:
        try:
            amount = parse_amount(self.amount.text())
        except CashierError as exc:
            self.message.error(str(exc))
            self.amount.setFocus()
            return
        direction, purpose = self.kind.currentData()
        reason = self.reason.text().strip() or self.kind.currentText()
        t, actor = self.ctx.terminal, self.ctx.actor
        self.button.setEnabled(False)
        Op(self, lambda: shifts.move_cash(t, actor, direction, purpose, amount, reason)) \
            .success(self._moved).failure(self._failed).always(lambda: self.button.setEnabled(True)) \
            .run_in_background()

    def _moved(self, result: tuple[str, int]) -> None:
        self.done_cb(result[0])
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))
