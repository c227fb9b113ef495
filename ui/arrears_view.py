"""Arrears early warning (电费预警): buckets by overdue age, the accounts in arrears (sortable,
filterable, 100,000 rows and still quick), disconnection candidates, arrears notices (催费通知单)
for a selection, and total arrears over the last 12 months.

The list is a model over plain ``ArrearsAccount`` rows: sorting and filtering are one Python
sort or list comprehension, not a comparison callback per pair, so they stay in tens of
milliseconds at 100,000 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from cashier import collection, exports
from cashier.collection import ArrearsAccount, ArrearsReport, TrendPoint
from cashier.i18n import translate
from cashier.money import format_fen
from cashier.quote import quote_account
from cashier.files import writable_file
from ui.charts import ChartPanel
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import DateField, MessageLine

ALL = "__all__"


def _column_keys():
    return [("account_no", lambda a: a.account_no), ("name", lambda a: a.name),
            ("class", lambda a: a.customer_class), ("station", lambda a: a.station or ""),
            ("area", lambda a: a.transformer_area or ""), ("collector", lambda a: a.collector or ""),
            ("overdue_days", lambda a: a.overdue_days), ("principal", lambda a: a.principal_fen),
            ("penalty", lambda a: a.penalty_fen), ("total", lambda a: a.total_fen),
            ("notified", lambda a: a.notified_on or date.min), ("candidate", lambda a: a.disconnection_candidate)]


COLUMNS = _column_keys()
MONEY = {"principal", "penalty", "total"}


@dataclass
class ArrearsFilter:
    bucket: str = ALL
    station: str = ALL
    collector: str = ALL
    customer_class: str = ALL
    text: str = ""
    candidates_only: bool = False

    def accepts(self, a: ArrearsAccount) -> bool:
        return ((self.bucket == ALL or a.bucket == self.bucket)
                and (self.station == ALL or (a.station or "") == self.station)
                and (self.collector == ALL or (a.collector or "") == self.collector)
                and (self.customer_class == ALL or a.customer_class == self.customer_class)
                and (not self.candidates_only or a.disconnection_candidate)
                and (not self.text or self.text in a.account_no or self.text in a.name))


class ArrearsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.all: list[ArrearsAccount] = []
        self.rows: list[ArrearsAccount] = []
        self.filter = ArrearsFilter()
        self.sort_key: tuple[int, Qt.SortOrder] = (6, Qt.SortOrder.DescendingOrder)
        self.headers = [translate(f"export.col.{k}") for k, _ in COLUMNS]

    # --- data ---
    def set_accounts(self, accounts: list[ArrearsAccount]) -> None:
        self.beginResetModel()
        self.all = accounts
        self._apply()
        self.endResetModel()

    def set_filter(self, f: ArrearsFilter) -> None:
        self.beginResetModel()
        self.filter = f
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        f = self.filter
        rows = self.all if f == ArrearsFilter() else [a for a in self.all if f.accepts(a)]
        column, order = self.sort_key
        key = COLUMNS[column][1]
        self.rows = sorted(rows, key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.sort_key = (column, order)
        self._apply()
        self.layoutChanged.emit()

    # --- Qt model ---
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt's name
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a = self.rows[index.row()]
        name, key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = key(a)
            if name in MONEY:
                return format_fen(value)
            if name == "class":
                return translate(f"class.{value}")
            if name == "notified":
                return a.notified_on.isoformat() if a.notified_on else ""
            if name == "candidate":
                return translate("export.yes") if value else ""
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in MONEY | {"overdue_days"}:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and a.disconnection_candidate:
            return QColor("#c0392b")
        return None


class ArrearsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: ArrearsReport | None = None
        self.trend: list[TrendPoint] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.on = DateField(ctx.terminal.clock.business_date(), "arrears_on")
        self.refresh_button = QPushButton(self.tr("统计 (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel("")
        self.summary.setObjectName("arrears_summary")
        top.addWidget(QLabel(self.tr("统计日")))
        top.addWidget(self.on)
        top.addWidget(self.refresh_button)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)

        charts = QHBoxLayout()
        # The list of accounts is what this tab is for: the charts keep a fixed height, their
        # numbers beside them, and the list below takes the rest of the screen.
        self.bucket_chart = ChartPanel(self.tr("欠费账龄分布（天，元）"), self.tr("欠费金额"), formatter=format_fen, scale=100,
                                       axis="money", table_beside=True)
        self.trend_chart = ChartPanel(self.tr("近12个月月末欠费总额（元）"), self.tr("月末欠费"), kind="line",
                                      formatter=format_fen, scale=100, axis="money", table_beside=True)
        charts.addWidget(self.bucket_chart)
        charts.addWidget(self.trend_chart)
        chart_box = QWidget()
        chart_box.setLayout(charts)

        filters = QHBoxLayout()
        self.bucket = QComboBox()
        self.station = QComboBox()
        self.collector = QComboBox()
        self.customer_class = QComboBox()
        for box, name in ((self.bucket, "bucket"), (self.station, "station"), (self.collector, "collector"),
                          (self.customer_class, "class")):
            box.setObjectName(f"filter_{name}")
            box.currentIndexChanged.connect(self.apply_filter)
        self.text = QLineEdit()
        self.text.setObjectName("filter_text")
        self.text.setPlaceholderText(self.tr("户号或户名"))
        self.text.textChanged.connect(self.apply_filter)
        self.candidates_only = QCheckBox(self.tr("仅停电候选"))
        self.candidates_only.setObjectName("candidates_only")
        self.candidates_only.toggled.connect(self.apply_filter)
        for label, widget in ((self.tr("账龄"), self.bucket), (self.tr("供电所"), self.station),
                              (self.tr("收费员"), self.collector), (self.tr("类别"), self.customer_class)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.candidates_only)

        self.model = ArrearsModel(self)
        self.view = QTableView()
        self.view.setObjectName("arrears_list")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(6, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.view)
        actions = QHBoxLayout()
        self.count = QLabel("")
        self.count.setObjectName("arrears_count")
        self.notice_button = QPushButton(self.tr("为所选客户生成催费通知单 (Ctrl+N)"))
        self.notice_button.setObjectName("notices")
        self.notice_button.clicked.connect(lambda: self.print_notices())
        self.export_button = QPushButton(self.tr("导出清单 (Ctrl+E)"))
        self.export_button.clicked.connect(self.choose_export)
        actions.addWidget(self.count, 1)
        actions.addWidget(self.notice_button)
        actions.addWidget(self.export_button)
        list_layout.addLayout(actions)
        self.message = MessageLine()
        list_layout.addWidget(self.message)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(chart_box)
        split.addWidget(list_box)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setCollapsible(1, False)
        rows = self.view.verticalHeader().defaultSectionSize() * 4 + self.view.horizontalHeader().sizeHint().height()
        self.view.setMinimumHeight(rows + 4)
        split.setSizes([chart_box.sizeHint().height(), 10_000])
        layout.addWidget(split, 1)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.print_notices)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.choose_export)
        self.busy = False

    # --- loading ---
    def on_date(self) -> date:
        return self.on.value()

    def refresh(self) -> None:
        if self.busy:
            return
        on, t = self.on_date(), self.ctx.terminal
        if on > t.clock.business_date():
            self.message.error(translate("report.future_day", day=on.isoformat()))
            return
        self.busy = True
        self.refresh_button.setEnabled(False)
        self.message.ok(self.tr("正在统计…"))

        def work():
            zone = self.ctx.settings.hall.timezone
            with t.store.read() as s:
                return (collection.arrears(s, on, t.penalty_policy(s).policy, to_day=collection.day_of(zone)),
                        collection.arrears_trend(s, on))

        Op(self, work).success(self._loaded).failure(lambda e: self.message.error(str(e))) \
            .always(self._not_busy).run_in_background()

    def _not_busy(self) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)

    def _loaded(self, result) -> None:
        self.report, self.trend = result
        r = self.report
        self.message.clear()
        self.summary.setText(self.tr("欠费 {n} 户，欠费 {p}，违约金 {f}，停电候选 {c} 户").format(
            n=len(r.accounts), p=format_fen(r.principal_fen), f=format_fen(r.penalty_fen), c=len(r.candidates)))
        labels = list(r.buckets)
        self.bucket_chart.set_data(labels, [r.buckets[k]["principal_fen"] for k in labels],
                                   highlight={i for i, k in enumerate(labels) if k in (">90", "61-90")})
        self.trend_chart.set_data([p.on.strftime("%y/%m") for p in self.trend], [p.principal_fen for p in self.trend])
        self._fill(self.bucket, labels, lambda k: k)
        self._fill(self.station, sorted({a.station or "" for a in r.accounts}), lambda k: k or self.tr("(未指定)"))
        self._fill(self.collector, sorted({a.collector or "" for a in r.accounts}), lambda k: k or self.tr("(未指定)"))
        self._fill(self.customer_class, sorted({a.customer_class for a in r.accounts}),
                   lambda k: translate(f"class.{k}"))
        self.model.set_accounts(r.accounts)
        self._count()

    def _fill(self, box: QComboBox, keys: list[str], label) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(self.tr("全部"), ALL)
        for k in keys:
            box.addItem(label(k), k)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)

    def apply_filter(self) -> None:
        self.model.set_filter(ArrearsFilter(
            bucket=self.bucket.currentData() or ALL, station=self.station.currentData() or ALL,
            collector=self.collector.currentData() or ALL, customer_class=self.customer_class.currentData() or ALL,
            text=self.text.text().strip(), candidates_only=self.candidates_only.isChecked()))
        self._count()

    def _count(self) -> None:
        rows = self.model.rows
        self.count.setText(self.tr("显示 {n} 户，欠费 {p}").format(
            n=len(rows), p=format_fen(sum(a.principal_fen for a in rows))))

    def selected(self) -> list[ArrearsAccount]:
        return [self.model.rows[i.row()] for i in self.view.selectionModel().selectedRows()]

    # --- notices ---
    def print_notices(self, folder: Path | None = None) -> None:
        if not self.notice_button.isEnabled():
            return  # the notices asked for are being written: Ctrl+N again does not issue them twice
        chosen = self.selected()
        if not chosen:
            self.message.error(self.tr("请先在清单中选择客户（Ctrl+A 全选当前筛选结果）"))
            return
        if len(chosen) > 2000:
            self.message.error(self.tr("一次最多生成 2000 份通知单，请缩小筛选范围"))
            return
        folder = Path(folder) if folder else self.ctx.paths.data_dir / "reports"
        numbers, on = [a.account_no for a in chosen], self.on_date()
        ctx, actor = self.ctx, self.ctx.actor
        self.notice_button.setEnabled(False)

        def work():
            from receipts.pdf import arrears_notices_pdf

            t = ctx.terminal
            with t.store.read() as s:
                policy = t.penalty_policy(s).policy
                quotes = [quote_account(s, n, on, policy, account_number_length=t.account_number_length)
                          for n in numbers]
            path = writable_file(folder, f"催费通知单-{on.isoformat()}-{len(quotes)}户.pdf")
            arrears_notices_pdf(path, ctx.hall, quotes, on + timedelta(days=7))
            recorded = collection.record_notices(t, actor, numbers)
            return path, recorded

        Op(self, work).success(self._notices_done).failure(lambda e: self.message.error(str(e))) \
            .always(lambda: self.notice_button.setEnabled(True)).run_in_background()

    def _notices_done(self, result) -> None:
        path, recorded = result
        self.last_notices = path
        self.message.ok(self.tr("已生成 {n} 份催费通知单：{file}（已记录通知日期）").format(n=recorded, file=path))
        open_file(path)

    # --- export ---
    def choose_export(self) -> None:
        if not self.model.rows:
            self.message.error(translate("export.nothing"))
            return
        name = f"欠费清单-{self.on_date().isoformat()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出欠费清单"), str(Path.home() / name),
                                              "Excel (*.xlsx);;CSV (*.csv)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        rows = list(self.model.rows)
        Op(self, lambda: exports.write(path, [exports.arrears_table(rows)])) \
            .success(lambda p: self.message.ok(self.tr("已导出 {n} 户到 {file}").format(n=len(rows), file=p))) \
            .failure(lambda e: self.message.error(str(e))).run_in_background()


def open_file(path: Path) -> None:
    """Show a PDF in the system's viewer, when there is one (never in tests or offscreen)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
