"""金额确认: the amounts a slip of the hand would get wrong, large, before the payment commits.

Shown when the core's ``Sale.checkout`` asks (change above the threshold, money going to the
prepaid balance). The safe answer is the default: Enter and Esc go back to correct the amount;
only Y (or a click on 确认收费) confirms, so a habitual second Enter never pays a mistyped 实收.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cashier.money import format_fen
from cashier.sale import Confirm, Guard
from ui.widgets import big


class SaleConfirmDialog(QDialog):
    def __init__(self, parent: QWidget, asked: Confirm) -> None:
        super().__init__(parent)
        self.asked = asked
        self.setObjectName("sale_confirm")
        self.setWindowTitle(self.tr("请核对金额"))
        t = asked.totals
        layout = QVBoxLayout(self)
        warning = []
        if Guard.CHANGE in asked.guards:
            warning.append(self.tr("找零金额较大，请核对实收"))
        if Guard.PREPAID in asked.guards:
            warning.append(self.tr("多收部分将存入预存电费"))
        head = big(QLabel("\n".join(warning)), 16)
        head.setObjectName("confirm_reason")
        head.setStyleSheet("color: #c0392b;")
        layout.addWidget(head)
        grid = QGridLayout()
        rows = [(self.tr("应缴"), t.due_fen, "due"), (self.tr("本次金额"), t.amount_fen, "amount"),
                (self.tr("实收"), t.tendered_fen, "tendered")]
        if Guard.PREPAID in asked.guards:
            rows.append((self.tr("存入预存（预存电费）"), t.prepaid_fen, "prepaid"))
        rows.append((self.tr("找零"), t.change_fen, "change"))
        self.values: dict[str, QLabel] = {}
        for i, (label, fen, name) in enumerate(rows):
            emphasized = (name == "change" and Guard.CHANGE in asked.guards) or name == "prepaid"
            grid.addWidget(big(QLabel(label), 18 if emphasized else 14, bold=emphasized), i, 0)
            value = big(QLabel(format_fen(fen or 0)), 28 if emphasized else 16)
            value.setObjectName(f"confirm_{name}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if emphasized:
                value.setStyleSheet("color: #c0392b;")
            self.values[name] = value
            grid.addWidget(value, i, 1)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        self.back = QPushButton(self.tr("返回修改 (Enter / Esc)"))
        self.back.setObjectName("confirm_back")
        self.back.setDefault(True)
        self.back.setAutoDefault(True)
        self.back.clicked.connect(self.reject)
        self.ok = QPushButton(self.tr("确认收费 (Y)"))
        self.ok.setObjectName("confirm_ok")
        self.ok.setAutoDefault(False)
        self.ok.clicked.connect(self.accept)
        buttons.addWidget(self.back)
        buttons.addWidget(self.ok)
        layout.addLayout(buttons)
        self.back.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Y and not event.isAutoRepeat():
            self.accept()
            return
        super().keyPressEvent(event)
