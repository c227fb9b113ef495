"""Charts for the supervisor's screens (pyqtgraph: drawn by Qt itself, so they render offscreen
in tests and in screenshots), each with its numbers in a table underneath: a chart is for the
eye, the table is what a supervisor reads out or checks.

Values arrive as integers (fen or counts); only the drawing turns them into floats.
"""

from __future__ import annotations

from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

pg.setConfigOptions(background="w", foreground="#333333", antialias=True)

BAR_COLOUR = "#2e86c1"
WARN_COLOUR = "#c0392b"


class ChartPanel(QWidget):
    """A titled bar or line chart over labelled integer values, and the same values as a table."""

    def __init__(self, title: str, value_title: str, kind: str = "bar",
                 formatter: Callable[[int], str] = str, scale: float = 1.0, with_table: bool = True,
                 zero_based: bool = True, parent: QWidget | None = None) -> None:
        """``with_table=False`` when the screen already shows these numbers in its own table;
        ``zero_based=False`` lets the value axis start near the smallest value (rates of 95–100 %)."""
        super().__init__(parent)
        self.kind, self.formatter, self.scale, self.zero_based = kind, formatter, scale, zero_based
        self.labels: list[str] = []
        self.values: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(f"<b>{title}</b>")
        layout.addWidget(heading)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.setMinimumHeight(160)
        self.plot.getAxis("left").setWidth(64)  # room for "120000" and the like
        layout.addWidget(self.plot, 3)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("项目"), value_title])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(150)
        layout.addWidget(self.table, 1)
        self.table.setVisible(with_table)

    def set_data(self, labels: list[str], values: list[int], highlight: set[int] = frozenset()) -> None:
        """Draw ``values`` (integers) against ``labels``; ``highlight`` indexes are drawn in red."""
        self.labels, self.values = list(labels), [int(v) for v in values]
        self.plot.clear()
        xs = list(range(len(values)))
        ys = [v / self.scale for v in self.values]
        if self.kind == "line":
            self.plot.plot(xs, ys, pen=pg.mkPen(BAR_COLOUR, width=2), symbol="o", symbolBrush=BAR_COLOUR, symbolSize=7)
        elif values:
            brushes = [WARN_COLOUR if i in highlight else BAR_COLOUR for i in xs]
            self.plot.addItem(pg.BarGraphItem(x=xs, height=ys, width=0.6, brushes=brushes))
        axis = self.plot.getAxis("bottom")
        step = max(1, len(labels) // 12)  # keep the ticks readable
        axis.setTicks([[(i, label) for i, label in enumerate(labels) if i % step == 0]])
        if values:
            top = max(max(ys), 0) or 1
            bottom = min(min(ys), 0)
            if not self.zero_based and min(ys) > 0:
                bottom = max(0.0, min(ys) - (top - min(ys)) * 0.5 - top * 0.01)
            self.plot.setYRange(bottom, top + (top - bottom) * 0.08, padding=0)
            self.plot.setXRange(-0.6, len(values) - 0.4, padding=0)
        self.table.setRowCount(len(values))
        for row, (label, value) in enumerate(zip(self.labels, self.values)):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            cell = QTableWidgetItem(self.formatter(value))
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, cell)

    def table_rows(self) -> list[tuple[str, str]]:
        """What the table shows, row by row (for tests and for reading aloud)."""
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]
