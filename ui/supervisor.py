"""The supervisor's workspace (班长工作台, Ctrl+M from the counter): shifts waiting for review and
their sign-off, day-end settlement with the deposit slip and the hall's day as charts, arrears
early warning, collection responsibility, the uploads the upstream held (``ui.held_view``), the
staff's accounts (``ui.users_view``) and the day's reconciliation with the payment providers
(``ui.reconcile_view``), satisfaction per cashier and day
(``ui.evaluation_view``); a technician's workspace is the staff tab alone.
Every database call is a background ``Op``.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMainWindow, QPushButton, QSplitter,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from cashier import events, shifts, supervision
from cashier.auth import can, require
from cashier.i18n import translate
from cashier.money import format_fen
from cashier.tenders import tender_label
from cashier.supervision import DayOverview, ShiftReview
from cashier.sync.client import SyncError
from ui.arrears_view import ArrearsTab, open_file
from ui.charts import ChartPanel
from ui.collection_view import CollectionTab
from ui.context import AppContext
from ui.events import events_of
from ui.held_view import HeldTab
from ui.evaluation_view import EvaluationTab
from ui.ops import Op
from ui.reconcile_view import ReconcileTab
from ui.users_view import UsersTab
from ui.widgets import DateField, MessageLine, big, show_in_folder

def _right(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ReviewTab(QWidget):
    """Closed shifts waiting for review; the chosen one in detail; Enter signs it off with the comment."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.queue: list[ShiftReview] = []
        layout = QHBoxLayout(self)
        split = QSplitter()
        self.list = QTableWidget(0, 6)
        self.list.setObjectName("review_queue")
        self.list.setHorizontalHeaderLabels([self.tr("柜台"), self.tr("收费员"), self.tr("营业日"), self.tr("净收"),
                                             self.tr("长短款"), self.tr("迟到")])
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemSelectionChanged.connect(self._show_selected)
        split.addWidget(self.list)
        right = QWidget()
        detail = QVBoxLayout(right)
        self.detail = QLabel(self.tr("没有待签核的班次"))
        self.detail.setObjectName("review_detail")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setWordWrap(True)
        detail.addWidget(self.detail, 1)
        self.comment = QLineEdit()
        self.comment.setObjectName("review_comment")
        self.comment.setPlaceholderText(self.tr("签核意见（有长短款或迟到收费时必填）"))
        self.comment.returnPressed.connect(self.sign_off)
        detail.addWidget(self.comment)
        self.sign_button = QPushButton(self.tr("签核 (Enter)"))
        self.sign_button.setObjectName("sign_off")
        self.sign_button.clicked.connect(self.sign_off)
        detail.addWidget(self.sign_button)
        self.message = MessageLine()
        detail.addWidget(self.message)
        split.addWidget(right)
        split.setSizes([520, 560])
        layout.addWidget(split)

    def refresh(self) -> None:
        def work():
            with self.ctx.store.read() as s:
                return supervision.review_queue(s)

        Op(self, work).success(self._loaded).failure(lambda e: self.message.error(str(e))).run_in_background()

    def _loaded(self, queue: list[ShiftReview]) -> None:
        self.queue = queue
        self.list.setRowCount(len(queue))
        for row, r in enumerate(queue):
            t = r.totals
            cells = [QTableWidgetItem(t.terminal_id), QTableWidgetItem(r.cashier),
                     QTableWidgetItem(t.business_date.isoformat()), _right(format_fen(t.net_fen)),
                     _right(shifts.describe_over_short(t.over_short_fen or 0)), _right(str(len(r.late)))]
            if t.over_short_fen:
                cells[4].setForeground(Qt.GlobalColor.red)
            for col, cell in enumerate(cells):
                self.list.setItem(row, col, cell)
        if queue:
            self.list.selectRow(0)
            self.comment.setFocus()
        else:
            self.detail.setText(self.tr("没有待签核的班次"))
        self.sign_button.setEnabled(bool(queue))

    def current(self) -> ShiftReview | None:
        rows = self.list.selectionModel().selectedRows()
        return self.queue[rows[0].row()] if rows and rows[0].row() < len(self.queue) else None

    def _show_selected(self) -> None:
        r = self.current()
        if r is None:
            return
        t = r.totals
        lines = [f"<h3>{escape(t.terminal_id)} · {escape(r.cashier)} · {t.business_date.isoformat()}</h3>",
                 self.tr("开班 {opened}，结班 {closed}").format(opened=self.ctx.hall.local(r.opened_at),
                                                           closed=self.ctx.hall.local(r.closed_at) if r.closed_at else "-"),
                 "<table cellspacing=4>"]

        def row(label: str, value: str, colour: str = "") -> None:
            style = f" style='color:{colour};font-weight:bold'" if colour else ""
            lines.append(f"<tr><td>{escape(label)}</td><td align=right{style}>{escape(value)}</td></tr>")

        for kind, amount in t.by_tender.items():
            row(tender_label(kind), format_fen(amount))
        row(self.tr("收费笔数 / 金额"), f"{t.payments} / {format_fen(t.payments_fen)}")
        row(self.tr("冲正笔数 / 金额"), f"{t.reversals} / {format_fen(t.reversals_fen)}",
            "#b9770e" if t.reversals else "")
        row(self.tr("违约金减免"), format_fen(t.penalty_waived_fen), "#b9770e" if t.penalty_waived_fen else "")
        row(self.tr("重打次数"), str(t.reprints), "#b9770e" if t.reprints else "")
        row(self.tr("备用金"), format_fen(t.opening_float_fen))
        for purpose, amount in t.cash_out_fen.items():
            row({"turn_in": self.tr("交款"), "bank_pickup": self.tr("解款")}.get(purpose, self.tr("取出")),
                format_fen(amount))
        row(self.tr("应有现金"), format_fen(t.expected_cash_fen))
        row(self.tr("实点现金"), format_fen(t.counted_cash_fen or 0))
        row(self.tr("长短款"), shifts.describe_over_short(t.over_short_fen or 0),
            "#c0392b" if t.over_short_fen else "#1e8449")
        lines.append("</table>")
        if t.over_short_fen:
            lines.append(escape(self.tr("长短款原因：{reason}").format(reason=t.over_short_reason or "-")))
            if r.over_short_approved_by:
                lines.append("<br>" + escape(self.tr("超限已由 {name} 授权").format(name=r.over_short_approved_by)))
        if r.late:
            lines.append("<p style='color:#c0392b'><b>" + escape(self.tr("结班后到达上级系统的收费 {n} 笔：").format(
                n=len(r.late))) + "</b><br>")
            lines.extend(f"{p.seq:08d} {escape(p.account_no)} {escape(format_fen(p.amount_fen))}<br>" for p in r.late)
            lines.append("</p>")
        if r.refunds:  # reversed scan payments: the money goes back through the provider
            lines.append("<p style='color:#b9770e'><b>" + escape(translate("scan.review_refunds", n=len(r.refunds)))
                         + "</b><br>")
            lines.extend(f"{seq:08d} {escape(account)} {escape(format_fen(fen))} "
                         f"{escape(translate('scan.refund_' + status))}<br>" for seq, account, fen, status in r.refunds)
            lines.append("</p>")
        self.detail.setText("".join(lines))

    def sign_off(self) -> None:
        if not self.sign_button.isEnabled():
            return  # signing off already: a second Enter does nothing
        r = self.current()
        if r is None:
            self.message.error(self.tr("没有待签核的班次"))
            return
        comment = self.comment.text().strip()
        if (r.totals.over_short_fen or r.late) and not comment:
            self.message.error(self.tr("该班次有长短款或结班后到达的收费，请填写签核意见"))
            self.comment.setFocus()
            return
        ctx, sid = self.ctx, r.totals.shift_id
        self.sign_button.setEnabled(False)
        Op(self, lambda: shifts.review_shift(ctx.terminal, ctx.actor, sid, comment)) \
            .success(lambda _: self._signed(r)).failure(lambda e: self.message.error(str(e))) \
            .always(lambda: self.sign_button.setEnabled(True)).run_in_background()

    def _signed(self, r: ShiftReview) -> None:
        self.comment.clear()
        self.message.ok(self.tr("已签核 {terminal} {cashier} 的班次").format(terminal=r.totals.terminal_id,
                                                                       cashier=r.cashier))


class DayTab(QWidget):
    """The hall's day at a glance, and day-end settlement (日结) with its deposit slip."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.overview: DayOverview | None = None
        self.last_pdf = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.day = DateField(ctx.terminal.clock.business_date(), "business_date")
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.total = big(QLabel(""), 18)
        self.total.setObjectName("day_total")
        self.total.setWordWrap(True)  # English runs longer: wrap rather than push the window past 1280
        self.state = QLabel("")
        self.state.setObjectName("day_state")
        self.source = QLabel("")
        self.source.setObjectName("day_source")
        self.settle_button = QPushButton(self.tr("日结并生成缴款单 (Ctrl+Enter)"))
        self.settle_button.setObjectName("settle")
        self.settle_button.clicked.connect(self.settle)
        top.addWidget(QLabel(self.tr("营业日")))
        top.addWidget(self.day)
        top.addWidget(self.total, 1)
        top.addWidget(self.state)
        top.addWidget(self.settle_button)
        layout.addLayout(top)
        layout.addWidget(self.source)
        charts = QHBoxLayout()
        self.by_terminal = ChartPanel(self.tr("各柜台净收（元）"), self.tr("净收"), formatter=format_fen, scale=100,
                                      axis="money")
        self.by_tender = ChartPanel(self.tr("各付款方式净收（元）"), self.tr("净收"), formatter=format_fen, scale=100,
                                    axis="money")
        self.by_hour = ChartPanel(self.tr("每小时收费笔数"), self.tr("笔数"))
        for chart in (self.by_terminal, self.by_tender, self.by_hour):
            charts.addWidget(chart)
        layout.addLayout(charts, 1)
        bottom = QHBoxLayout()
        self.message = MessageLine()
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
        self.folder_button = QPushButton(self.tr("打开所在文件夹 (Ctrl+O)"))
        self.folder_button.setObjectName("open_folder")
        self.folder_button.clicked.connect(self.open_folder)
        self.folder_button.setVisible(False)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.folder_button)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.settle)
        QShortcut(QKeySequence("Ctrl+O"), self, activated=self.open_folder)

    def business_date(self) -> date:
        return self.day.value()

    def refresh(self) -> None:
        day, zone, syncer = self.business_date(), self.ctx.settings.hall.timezone, self.ctx.syncer
        door = self.ctx.terminal.door_to_door

        def work():
            with self.ctx.store.read() as s:
                local = supervision.day_overview(s, day, zone)
            if syncer is None or door:
                return local, None
            try:  # the hall's other counters, as uploaded; never more than a moment's wait
                return supervision.with_hall(local, syncer.client.hall_day(day, timeout=3.0), zone), True
            except SyncError:
                return local, False

        Op(self, work).success(self._show).failure(lambda e: self.message.error(str(e))).run_in_background()

    def _show(self, result) -> None:
        o, hall = result
        self.overview = o
        if hall is None:
            self.source.setText("")
        elif hall and not o.from_upstream:
            self.source.setText(self.tr("已连接上级系统：本营业厅其他柜台今天还没有上传收费"))
        elif hall:
            self.source.setText(self.tr("本机柜台按本机数据；其他柜台 {n} 个按已上传数据").format(n=len(o.from_upstream)))
        else:
            self.source.setText(self.tr("上级系统不可达：只显示本机柜台"))
        self.total.setText(self.tr("当日净收 {total}（{n} 笔，冲正 {r} 笔）").format(
            total=format_fen(o.total_fen), n=o.payments, r=o.reversals))
        if o.settlement_id:
            self.state.setText(self.tr("已日结"))
        else:
            names = {"open": self.tr("未结班"), "closed": self.tr("待签核"), "signed_off": self.tr("已签核"),
                     "settled": self.tr("已日结"), "closed_elsewhere": self.tr("其他柜台已结班")}
            self.state.setText(" ".join(f"{names.get(k, k)} {n}" for k, n in sorted(o.shifts.items())) or
                               self.tr("当日没有班次"))
        self.settle_button.setEnabled(not o.settlement_id)
        self.by_terminal.set_data(list(o.by_terminal), list(o.by_terminal.values()))
        self.by_tender.set_data([tender_label(k) for k in o.by_tender], list(o.by_tender.values()))
        hours = range(min(o.by_hour, default=8), max(o.by_hour, default=17) + 1)
        self.by_hour.set_data([f"{h:02d}时" for h in hours], [o.by_hour.get(h, (0, 0))[0] for h in hours])

    def settle(self) -> None:
        if not self.settle_button.isEnabled():
            return  # settling, or settled already: a second Ctrl+Enter does nothing
        day, ctx = self.business_date(), self.ctx
        folder = ctx.paths.data_dir / "reports"
        self.settle_button.setEnabled(False)

        def work():
            from receipts.pdf import write_settlement

            settlement_id = shifts.settle_day(ctx.terminal, ctx.actor, day)
            report = supervision.settlement_report(ctx.terminal, ctx.actor, settlement_id)
            return report, write_settlement(report, folder, ctx.hall).resolve()

        Op(self, work).success(self._settled).failure(self._failed).run_in_background()

    def _failed(self, exc: BaseException) -> None:
        self.message.error(str(exc))
        self.settle_button.setEnabled(True)

    def _settled(self, result) -> None:
        report, self.last_pdf = result
        self.message.ok(self.tr("日结完成：应缴存现金 {deposit}。日结报表和缴款单（PDF）已保存到：\n{file}").format(
            deposit=format_fen(report.deposit_cash_fen), file=self.last_pdf))
        self.folder_button.setVisible(True)
        open_file(self.last_pdf)

    def open_folder(self) -> None:
        if self.last_pdf is not None:
            show_in_folder(self.last_pdf)


class SupervisorWindow(QMainWindow):
    """A supervisor's eight tabs (Alt+1…8); a technician signed in gets the staff tab (人员) alone."""

    closed = Signal()  # the counter takes the keyboard back

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)
        self.closed.emit()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        full = can(ctx.actor, "report.view")
        require(ctx.actor, "report.view" if full or ctx.actor is None else "users.manage")  # the core refuses too
        self.ctx = ctx
        self.setObjectName("supervisor")
        self.setWindowTitle(self.tr("班长工作台") + f" — {ctx.hall.name}  {ctx.actor.display_name}")
        self.tabs = QTabWidget()
        self.users = UsersTab(ctx)
        if full:
            self.review = ReviewTab(ctx)
            self.day = DayTab(ctx)
            self.arrears = ArrearsTab(ctx)
            self.collection = CollectionTab(ctx)
            self.held = HeldTab(ctx)
            self.reconcile = ReconcileTab(ctx)
            self.evaluation = EvaluationTab(ctx)
            self.tabs.addTab(self.review, self.tr("班次复核 (Alt+1)"))
            self.tabs.addTab(self.day, self.tr("日结与当日概览 (Alt+2)"))
            self.tabs.addTab(self.arrears, self.tr("欠费预警 (Alt+3)"))
            self.tabs.addTab(self.collection, self.tr("回收责任制 (Alt+4)"))
            self.tabs.addTab(self.held, self.tr("待处理上传 (Alt+5)"))
            self.tabs.addTab(self.users, self.tr("人员 (Alt+6)"))
            self.tabs.addTab(self.reconcile, self.tr("渠道对账 (Alt+7)"))
            self.tabs.addTab(self.evaluation, self.tr("服务评价 (Alt+8)"))
        else:
            self.review = self.day = self.arrears = self.collection = self.held = self.reconcile = self.evaluation = None
            self.tabs.addTab(self.users, self.tr("人员 (Alt+1)"))
        self.setCentralWidget(self.tabs)
        for i in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, activated=lambda i=i: self.tabs.setCurrentIndex(i))
        QShortcut(QKeySequence("Esc"), self, activated=self.close)
        # Locking and handing over work from here as from the counter (the session covers every window).
        QShortcut(QKeySequence("Ctrl+L"), self, activated=lambda: self._session("lock_now"))
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, activated=lambda: self._session("sign_out"))
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, activated=self.change_password)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.loaded: set[QWidget] = set()
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(min(1280, screen.width()) if screen else 1280, min(820, screen.height()) if screen else 820)
        self._tab_shown(0)
        if not full:
            return
        # The workspace follows the store: a shift closed, signed off or settled, money taken or reversed here
        # (the other counters come with F5 or when the day tab is shown).
        follow = events_of(ctx)
        follow.on((events.SHIFT_CHANGED,), lambda _e: self.review.refresh(), self)
        follow.on((events.PAYMENT_TAKEN, events.REVERSAL, events.SHIFT_CHANGED),
                  lambda _e: self._changed(), self)
        # A sync round may hold an upload; a decision taken here is announced (one taken by cashier-admin, another
        # process, shows at the next sync round).
        follow.on((events.HELD_RESOLVED, events.SYNC_ROUND), lambda _e: self._held_changed(), self)

    def _session(self, action: str) -> None:
        session = getattr(self.ctx, "session", None)
        if session is not None:
            getattr(session, action)()

    def change_password(self) -> None:
        """Ctrl+Shift+P here as at the counter: the signed-in user's own password."""
        from ui.password import ChangePasswordDialog

        dialog = ChangePasswordDialog(self, self.ctx)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.password_dialog = dialog
        dialog.open()

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if tab is self.held:
            self.held.start()
        # Heavy tabs load when first shown; the arrears list can take seconds on a big hall.
        if tab in self.loaded:
            return
        self.loaded.add(tab)
        tab.refresh()

    def _changed(self) -> None:
        if self.day in self.loaded:
            self.day.refresh()

    def _held_changed(self) -> None:
        if self.held in self.loaded:
            self.held.refresh()
