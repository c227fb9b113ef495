"""Charts for the supervisor's screens (pyqtgraph: drawn by Qt itself, so they render offscreen
in tests and in screenshots), each with its numbers in a table underneath: a chart is for the
eye, the table is what a supervisor reads out or checks.

Values arrive as integers (fen or counts); only the drawing turns them into floats. The value
axis reads as money (￥1,250,000), counts (1,250) or rates (97.5%), never in scientific notation;
the category axis shows every label, turned when they crowd, never skipping one.
"""

from __future__ import annotations

import math
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QBoxLayout, QHeaderView, QLabel, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from cashier.money import YUAN_SIGN

pg.setConfigOptions(background="w", foreground="#333333", antialias=True)

BAR_COLOUR = "#2e86c1"
WARN_COLOUR = "#c0392b"
PLOT_HEIGHT = 210  # the chart is for the eye: a fixed height; the table under it takes the rest
TABLE_ROWS = 4  # rows a table under a chart keeps at the least (large print on a small screen); it takes the spare height


def tick_text(value: float, spacing: float, kind: str) -> str:
    """One value-axis label: ``money`` in yuan (￥1,250,000), ``percent`` (97.5%) or a plain ``number``
    (1,250); decimals only when the ticks are closer than one unit."""
    decimals = 0 if spacing >= 1 else min(2, max(1, math.ceil(-math.log10(spacing)))) if spacing > 0 else 0
    if abs(value) < 10 ** -(decimals + 1):
        value = 0.0  # no "-0"
    text = f"{abs(value):,.{decimals}f}"
    sign = "-" if value < 0 else ""
    if kind == "money":
        return f"{sign}{YUAN_SIGN}{text}"
    if kind == "percent":
        return f"{sign}{text}%"
    return sign + text


class _RecordingAxis(pg.AxisItem):
    """An axis that remembers the labels it last drew (what a person sees; read by the tests)."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.drawn: list[str] = []

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802 - pyqtgraph's name
        self.drawn = [text for _rect, _flags, text in textSpecs]
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)


class ValueAxis(_RecordingAxis):
    """The left axis: money, counts or rates as people write them, never 1e+06."""

    def __init__(self, kind: str) -> None:
        super().__init__("left")
        self.kind = kind
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        return [tick_text(v * scale, spacing * scale, self.kind) for v in values]


class CategoryAxis(_RecordingAxis):
    """The bottom axis: one label under each bar, all of them; turned 45° or upright when they do
    not fit side by side."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.labels: list[str] = []
        self.angle = 0  # 0, 45 or 90 degrees, chosen at each layout from the room per label
        self._height = 0
        self._overhang = 0.0  # how far the first turned label reaches left of the axis

    def boundingRect(self):  # noqa: N802 - Qt's name
        return super().boundingRect().adjusted(-self._overhang, 0, 0, 0)

    def set_labels(self, labels: list[str]) -> None:
        self.labels = list(labels)
        self.setTicks([[(i, label) for i, label in enumerate(self.labels)]])
        self.picture = None
        self.update()

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, _texts = specs
        if not self.labels:
            return axis_spec, tick_specs, []
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        metrics = p.fontMetrics()
        widths = [metrics.horizontalAdvance(label) for label in self.labels]
        line = metrics.height()
        bounds = self.mapRectFromParent(self.geometry())
        left, right = self.range
        per_label = bounds.width() / max(right - left, 1e-9)  # pixels between two bars
        widest = max(widths)
        if widest + 6 <= per_label:
            angle, needed = 0, line
        elif line * 1.5 <= per_label:
            angle, needed = 45, int((widest + line) * 0.72)
        else:
            angle, needed = 90, widest
        self.angle = angle
        first = bounds.left() + (0 - left) * per_label
        overhang = max(0.0, {0: widths[0] / 2, 45: (widths[0] + line) * 0.72, 90: line / 2}[angle] - first + 2)
        if overhang != self._overhang:
            self.prepareGeometryChange()
            self._overhang = overhang
        top = bounds.top() + max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1]
        height = int(needed + top - bounds.top() + 4)
        if height != self._height:
            self._height = height
            self.setHeight(self._height)
        texts = []
        for i, (label, width) in enumerate(zip(self.labels, widths)):
            x = bounds.left() + (i - left) * per_label
            if angle == 0:
                rect = QRectF(x - width / 2 - 2, top, width + 4, line)
            else:
                rect = QRectF(x, top, width, line)  # the anchor; drawn turned about its top left
            texts.append((rect, int(Qt.AlignmentFlag.AlignCenter), label))
        return axis_spec, tick_specs, texts

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802 - pyqtgraph's name
        self.drawn = [text for _rect, _flags, text in textSpecs]
        pg.AxisItem.drawPicture(self, p, axisSpec, tickSpecs, textSpecs if self.angle == 0 else [])
        if self.angle == 0:
            return
        p.setClipping(False)  # a turned label may reach under the value axis: let it show whole
        p.setPen(self.textPen())
        for rect, _flags, text in textSpecs:
            p.save()
            p.translate(QPointF(rect.left(), rect.top()))
            p.rotate(-self.angle)
            width, height = rect.width(), rect.height()
            # The label ends at its bar, reading upwards to it from the lower left.
            p.drawText(QRectF(-width - 2, -height / 2 if self.angle == 90 else 0, width, height),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
            p.restore()


class ChartPanel(QWidget):
    """A titled bar or line chart over labelled integer values, and the same values as a table."""

    def __init__(self, title: str, value_title: str, kind: str = "bar",
                 formatter: Callable[[int], str] = str, scale: float = 1.0, with_table: bool = True,
                 zero_based: bool = True, parent: QWidget | None = None, axis: str = "number",
                 table_beside: bool = False) -> None:
        """``with_table=False`` when the screen already shows these numbers in its own table;
        ``zero_based=False`` lets the value axis start near the smallest value (rates of 95–100 %);
        ``axis`` is how the value axis reads: ``money`` (yuan, after ``scale``), ``percent`` or ``number``;
        ``table_beside`` puts the table to the right of the chart where the screen is short of height."""
        super().__init__(parent)
        self.kind, self.formatter, self.scale, self.zero_based = kind, formatter, scale, zero_based
        self.labels: list[str] = []
        self.values: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(f"<b>{title}</b>")
        layout.addWidget(heading)
        self.value_axis = ValueAxis(axis)
        self.category_axis = CategoryAxis()
        self.plot = pg.PlotWidget(axisItems={"left": self.value_axis, "bottom": self.category_axis})
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.setFixedHeight(PLOT_HEIGHT)
        self.plot.setMinimumWidth(240)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("项目"), value_title])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVisible(with_table)
        if table_beside:
            row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            row.addWidget(self.plot, 3)
            row.addWidget(self.table, 2)
            self.table.setFixedHeight(PLOT_HEIGHT)
            layout.addLayout(row)
        else:
            layout.addWidget(self.plot)
            rows = self.table.verticalHeader().defaultSectionSize() * TABLE_ROWS
            self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + rows + 4)
            layout.addWidget(self.table, 1)
        grows = with_table and not table_beside  # only a table under the chart takes spare height
        self.setSizePolicy(QSizePolicy.Policy.Preferred,
                           QSizePolicy.Policy.Expanding if grows else QSizePolicy.Policy.Maximum)

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
        self.category_axis.set_labels(self.labels)
        if values:
            top = max(max(ys), 0) or 1
            bottom = min(min(ys), 0)
            if not self.zero_based and min(ys) > 0:
                bottom = max(0.0, min(ys) - (top - min(ys)) * 0.5 - top * 0.01)
            self.plot.setYRange(bottom, top + (top - bottom) * 0.08, padding=0)
            # Room for the widest label now, not after a first drawing found it clipped.
            spacing = (top - bottom) / 4 or 1
            widest = max(self.plot.fontMetrics().horizontalAdvance(tick_text(v, spacing, self.value_axis.kind))
                         for v in (top, bottom))
            self.value_axis.setWidth(widest + 16)
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

    def axis_labels(self) -> tuple[list[str], list[str]]:
        """(value axis, category axis) labels as last drawn on screen."""
        return list(self.value_axis.drawn), list(self.category_axis.drawn)
