"""Collection responsibility (电费回收责任制): for a period, each responsible collector's and each
area's billed, collected, rate and arrears, ranked, with charts; export to CSV and XLSX."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from cashier import collection, exports
from cashier.collection import CollectionLine, CollectionReport
from cashier.money import format_fen
from ui.charts import TABLE_ROWS, ChartPanel
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import DateField, MessageLine

ALL = "__all__"


def _percent(hundredths: int) -> str:
    return f"{hundredths / 100:.2f}%"


class RankTable(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, 7)
        self.setHorizontalHeaderLabels([self.tr("排名"), self.tr("名称"), self.tr("户数"), self.tr("应收"),
                                        self.tr("实收金额"), self.tr("回收率"), self.tr("欠费金额")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rows = self.verticalHeader().defaultSectionSize() * TABLE_ROWS + self.horizontalHeader().sizeHint().height()
        self.setMinimumHeight(rows + 4)  # a few names at the least; the ranking takes the spare height

    def show_lines(self, lines: list[CollectionLine]) -> None:
        self.setRowCount(len(lines))
        for row, x in enumerate(lines):
            values = (str(row + 1), x.key, str(x.accounts), format_fen(x.billed_fen), format_fen(x.collected_fen),
                      f"{x.rate}%", format_fen(x.arrears_fen))
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if col != 1:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, col, cell)


class CollectionTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: CollectionReport | None = None
        today = ctx.terminal.clock.business_date()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.start = DateField(date(today.year, 1, 1), "period_start")
        self.end = DateField(today, "period_end")
        self.collector = QComboBox()
        self.collector.setObjectName("collector")
        self.collector.setEditable(True)  # a name can be typed; one no account carries is told, not guessed
        self.collector.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.collector.lineEdit().returnPressed.connect(self.refresh)
        self.collector.addItem(self.tr("全部收费员"), ALL)
        self.run_button = QPushButton(self.tr("统计 (F5)"))
        self.run_button.clicked.connect(self.refresh)
        self.export_csv = QPushButton(self.tr("导出 CSV"))
        self.export_csv.clicked.connect(lambda: self.choose_export(".csv"))
        self.export_xlsx = QPushButton(self.tr("导出 Excel (Ctrl+E)"))
        self.export_xlsx.clicked.connect(lambda: self.choose_export(".xlsx"))
        for label, widget in ((self.tr("到期日从"), self.start), (self.tr("至"), self.end),
                              (self.tr("收费员"), self.collector)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addWidget(self.run_button)
        top.addStretch(1)
        top.addWidget(self.export_csv)
        top.addWidget(self.export_xlsx)
        layout.addLayout(top)
        self.summary = QLabel("")
        self.summary.setObjectName("collection_summary")
        self.summary.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(self.summary)
        charts = QHBoxLayout()
        # The ranked tables below are these charts' numbers, so the charts carry no table of their own.
        self.collector_chart = ChartPanel(self.tr("收费员回收率（%，低于平均的标红）"), self.tr("回收率"), formatter=_percent,
                                          scale=100, with_table=False, zero_based=False, axis="percent")
        self.area_chart = ChartPanel(self.tr("供电所回收率（%，低于平均的标红）"), self.tr("回收率"), formatter=_percent,
                                     scale=100, with_table=False, zero_based=False, axis="percent")
        charts.addWidget(self.collector_chart)
        charts.addWidget(self.area_chart)
        layout.addLayout(charts)  # fixed height: the ranked tables below take the rest
        tables = QHBoxLayout()
        self.collectors_table = RankTable()
        self.collectors_table.setObjectName("collectors_table")
        self.areas_table = RankTable()
        self.areas_table.setObjectName("areas_table")
        tables.addWidget(self.collectors_table)
        tables.addWidget(self.areas_table)
        layout.addLayout(tables, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=lambda: self.choose_export(".xlsx"))
        Op(self, self._names).success(self._fill_names).run_in_background()

    def _names(self) -> list[str]:
        with self.ctx.store.read() as s:
            return collection.collectors(s)

    def _fill_names(self, names: list[str]) -> None:
        for name in names:
            self.collector.addItem(name, name)

    def chosen_collector(self) -> str | None:
        text = self.collector.currentText().strip()
        if not text or text == self.collector.itemText(0):
            return None
        return text

    def refresh(self) -> None:
        if not self.run_button.isEnabled():
            return  # counting already
        start, end, who = self.start.value(), self.end.value(), self.chosen_collector()
        t = self.ctx.terminal
        self.run_button.setEnabled(False)
        self.message.ok(self.tr("正在统计…"))

        def work():
            with t.store.read() as s:
                return collection.collection(s, start, end, t.clock.business_date(), collector=who)

        Op(self, work).success(self._show).failure(self._failed) \
            .always(lambda: self.run_button.setEnabled(True)).run_in_background()

    def _failed(self, exc: BaseException) -> None:
        self.report = None
        self.message.error(str(exc))

    def _show(self, report: CollectionReport) -> None:
        self.report = report
        total = report.total
        if not total.billed_fen:
            self.message.error(self.tr("{start} 至 {end} 没有到期的账单，请换一个统计期").format(
                start=report.start.isoformat(), end=report.end.isoformat()))
        else:
            self.message.clear()
        self.summary.setText(self.tr("{start} 至 {end}：应收 {billed}，实收 {got}，回收率 {rate}%，欠费 {owed}").format(
            start=report.start.isoformat(), end=report.end.isoformat(), billed=format_fen(total.billed_fen),
            got=format_fen(total.collected_fen), rate=total.rate, owed=format_fen(total.arrears_fen)))
        for chart, lines in ((self.collector_chart, report.by_collector), (self.area_chart, report.by_area)):
            chart.set_data([x.key for x in lines], [int(x.rate * 100) for x in lines],
                           highlight={i for i, x in enumerate(lines) if x.rate < total.rate})
        self.collectors_table.show_lines(report.by_collector)
        self.areas_table.show_lines(report.by_area)

    def choose_export(self, suffix: str) -> None:
        if self.report is None or not self.report.total.billed_fen:
            self.message.error(self.tr("请先统计一个有账单的统计期，再导出"))
            return
        name = f"电费回收-{self.report.start.isoformat()}-{self.report.end.isoformat()}{suffix}"
        kinds = "Excel (*.xlsx)" if suffix == ".xlsx" else "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出回收统计"), str(Path.home() / name), kinds)
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        report = self.report
        Op(self, lambda: exports.write(path, exports.collection_tables(report))) \
            .success(lambda p: self.message.ok(self.tr("已导出到 {file}").format(file=p))) \
            .failure(lambda e: self.message.error(str(e))).run_in_background()
