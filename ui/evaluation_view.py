"""The supervisor's 服务评价 tab: satisfaction per cashier and per day, from this counter's own records.

Counts of 非常满意 / 满意 / 不满意 and, apart, 未评价 (nobody answered: never counted as satisfied); the
satisfaction rate is (非常满意 + 满意) / rated. The hall's other counters are counted upstream
(``cashier-upstream evaluations``).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from cashier import evaluations
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import DateField, MessageLine


def _number(value) -> QTableWidgetItem:
    item = QTableWidgetItem(str(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class EvaluationTab(QWidget):
    """Satisfaction per cashier and day over a range of business days (the last seven by default)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[evaluations.SatisfactionRow] = []
        today = ctx.terminal.clock.business_date()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.first = DateField(today - timedelta(days=6), "evaluation_first")
        self.last = DateField(today, "evaluation_last")
        self.load_button = QPushButton(self.tr("查询 (F5)"))
        self.load_button.setObjectName("evaluation_load")
        self.load_button.clicked.connect(self.refresh)
        top.addWidget(QLabel(self.tr("营业日")))
        top.addWidget(self.first)
        top.addWidget(QLabel(self.tr("至")))
        top.addWidget(self.last)
        top.addWidget(self.load_button)
        top.addStretch(1)
        layout.addLayout(top)
        headers = [self.tr("营业日"), self.tr("收费员"), self.tr("非常满意"), self.tr("满意"), self.tr("不满意"),
                   self.tr("未评价"), self.tr("满意率")]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("evaluation_table")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 1
                                        else QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.total = QLabel("")
        self.total.setObjectName("evaluation_total")
        layout.addWidget(self.total)
        self.message = MessageLine()
        layout.addWidget(self.message)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        for field in (self.first, self.last):
            QShortcut(QKeySequence(Qt.Key.Key_Return), field, activated=self.refresh)

    def refresh(self) -> None:
        first, last, store = self.first.value(), self.last.value(), self.ctx.store

        def work():
            with store.read() as s:
                return evaluations.satisfaction(s, first, last)

        Op(self, work).success(self._show).failure(lambda e: self.message.error(str(e))).run_in_background()

    def _show(self, rows: list[evaluations.SatisfactionRow]) -> None:
        self.rows = rows
        self.message.clear()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [QTableWidgetItem(r.business_date.isoformat()), QTableWidgetItem(f"{r.cashier_name} ({r.cashier})"),
                     _number(r.very_satisfied), _number(r.satisfied), _number(r.unsatisfied), _number(r.unrated),
                     _number(evaluations.format_rate(r))]
            for column, item in enumerate(cells):
                self.table.setItem(i, column, item)
        very, fine, bad, none = (sum(getattr(r, k) for r in rows)
                                 for k in ("very_satisfied", "satisfied", "unsatisfied", "unrated"))
        rated = very + fine + bad
        rate = f"{(very + fine) * 100 / rated:.1f}%" if rated else "—"
        self.total.setText(self.tr("合计：非常满意 {a}，满意 {b}，不满意 {c}，未评价 {d}；满意率 {rate}").format(
            a=very, b=fine, c=bad, d=none, rate=rate))
        if not rows:
            self.message.error(self.tr("所选营业日没有服务评价"))
