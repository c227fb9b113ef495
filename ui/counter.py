"""The counter screen (收费主界面): find the customer, see what is owed, take the money, print.

Keyboard first: the search box has focus; digits typed anywhere on this screen (a barcode
scanner types digits then Enter) land in it; Enter confirms, Esc cancels; F5–F10 choose the
tender; F2 opens the shift, F3 moves cash in or out, F4 closes it, F11 reprints the last receipt, F12 reverses a payment of today, Ctrl+J asks a supervisor to waive the penalty, Ctrl+P opens the reprint queue; Ctrl+M the supervisor's workspace; Ctrl+Shift+S the technician's settings. Every database and
printer call is a background ``Op``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMainWindow, QPushButton, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cashier import payments
from cashier.errors import CashierError
from cashier.ids import uuid7
from cashier.i18n import translate
from cashier.money import format_fen, parse_amount
from cashier.quote import AccountQuote, quote_account
from cashier.search import SearchResult, search
from cashier.sync.client import Refused, SyncError
from receipts.builders import TENDER_LABELS
from receipts.printing import PrintOutcome, print_receipt
from ui.context import AppContext
from ui.ops import Op
from ui.status import StatusBar
from ui.widgets import MessageLine, big

TENDER_KEYS = [("cash", "F5"), ("bank_card", "F6"), ("wechat", "F7"), ("alipay", "F8"), ("e_bao", "F9"),
               ("prepaid_card", "F10")]


def describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, CashierError) else f"{type(exc).__name__}: {exc}"


class ReceiptPreview(QDialog):
    """The preview printer's paper, on screen; Esc or Enter closes it."""

    def __init__(self, parent: QWidget, path) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("凭证预览"))
        area = QScrollArea()
        image = QLabel()
        image.setPixmap(QPixmap(str(path)))
        area.setWidget(image)
        layout = QVBoxLayout(self)
        layout.addWidget(area)
        close = QPushButton(self.tr("关闭 (Enter)"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self.resize(440, 700)


class CounterWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.quote: AccountQuote | None = None
        self.waiver: tuple[int, int | None] = (0, None)  # (fen, approval id) for this customer
        self.payment_id: str | None = None  # one id per customer at the counter: a double Enter pays once
        self.last_payment: str | None = None
        self.busy = False
        self.door = ctx.terminal.door_to_door  # 走收: the collector this laptop carries the customers of
        self.assigned: dict[str, object] = {}  # 走收 list: account number → AssignedCustomer
        if self.door:
            self.setWindowTitle(self.tr("走收（上门收费）") + f" — {self.door}  {ctx.hall.terminal_name}")
        else:
            self.setWindowTitle(self.tr("供电营业厅收费柜台") + f" — {ctx.hall.name} {ctx.hall.terminal_name}")
        self._build()
        self.status = StatusBar(ctx)
        self.setStatusBar(self.status)
        self.status.listeners.append(self._sync_banner)
        self.status.refresh()
        self._shortcuts()
        self.search_box.setFocus()
        from ui.idle import IdleLock

        self.idle = IdleLock(self, ctx)
        self.installEventFilter(self)
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)
        if self.door:
            self.load_assigned()

    # --- building the screen -----------------------------------------------------------
    def _build(self) -> None:
        root = QWidget()
        outer = QVBoxLayout(root)
        self.offline_banner = QLabel("")
        self.offline_banner.setObjectName("offline_banner")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.setStyleSheet("background: #fdebd0; color: #873600; font-size: 15px; font-weight: bold;"
                                          " padding: 6px; border: 1px solid #e59866;")
        self.offline_banner.hide()
        outer.addWidget(self.offline_banner)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText(self.tr("户号 / 账单条码 / 姓名 / 地址 / 电话 / 表号 / 拼音首字母，回车查询"))
        big_font = self.search_box.font()
        big_font.setPointSize(16)
        self.search_box.setFont(big_font)
        self.search_box.returnPressed.connect(self.run_search)
        outer.addWidget(self.search_box)

        middle = QHBoxLayout()
        self.results = QTableWidget(0, 5)
        self.results.setObjectName("results")
        self.results.setHorizontalHeaderLabels([self.tr("户号"), self.tr("户名"), self.tr("电话"), self.tr("地址"),
                                                self.tr("欠费")])
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.results.cellActivated.connect(lambda row, _col: self.open_account(self.results.item(row, 0).text()))
        middle.addWidget(self.results, 2)

        panel = QGroupBox(self.tr("客户"))
        grid = QGridLayout(panel)
        self.account_label = big(QLabel(""), 14)
        self.account_label.setObjectName("account")
        self.badges = QLabel("")
        self.badges.setObjectName("badges")
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.data_source = QLabel("")
        self.data_source.setObjectName("data_source")
        self.bills = QTableWidget(0, 6)
        self.bills.setObjectName("bills")
        self.bills.setHorizontalHeaderLabels([self.tr("账期"), self.tr("电量kWh"), self.tr("欠费"), self.tr("到期日"),
                                              self.tr("逾期天数"), self.tr("违约金")])
        self.bills.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bills.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.due_label = big(QLabel(""), 26)
        self.due_label.setObjectName("due")
        grid.addWidget(self.account_label, 0, 0)
        grid.addWidget(self.badges, 1, 0)
        grid.addWidget(self.details, 2, 0)
        grid.addWidget(self.data_source, 3, 0)
        grid.addWidget(self.bills, 4, 0)
        grid.addWidget(self.due_label, 5, 0, Qt.AlignmentFlag.AlignRight)
        middle.addWidget(panel, 3)
        outer.addLayout(middle, 1)

        pay_box = QGroupBox(self.tr("收费"))
        form = QFormLayout(pay_box)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.tender_kind = QComboBox()
        self.tender_kind.setObjectName("tender_kind")
        for kind, key in self.tender_keys():
            self.tender_kind.addItem(f"{TENDER_LABELS[kind]} ({key})", kind)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("tendered")
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.reference.setPlaceholderText(self.tr("非现金：交易参考号"))
        self.change_label = big(QLabel(format_fen(0)), 26)
        self.change_label.setObjectName("change")
        self.tender_lines: list[payments.TenderLine] = []
        self.lines_label = QLabel("")
        self.lines_label.setObjectName("tender_lines")
        for field in (self.amount, self.tendered, self.reference):
            field.setFont(big_font)
            field.textChanged.connect(self._update_change)
        self.amount.returnPressed.connect(lambda: self.tendered.setFocus())
        self.tendered.returnPressed.connect(self.take_payment)
        self.reference.returnPressed.connect(self.take_payment)
        self.tender_kind.currentIndexChanged.connect(self._tender_changed)
        self.pay_button = QPushButton(self.tr("确认收费 (Enter)"))
        self.pay_button.setObjectName("pay")
        self.pay_button.clicked.connect(self.take_payment)
        form.addRow(self.tr("本次金额"), self.amount)
        form.addRow(self.tr("付款方式"), self.tender_kind)
        form.addRow(self.tr("实收"), self.tendered)
        form.addRow(self.tr("参考号"), self.reference)
        form.setRowVisible(self.reference, not self.door)  # 走收: cash only, nothing to reference
        form.addRow(self.tr("已收"), self.lines_label)
        form.addRow(self.tr("找零"), self.change_label)
        form.addRow(self.pay_button)
        self.message = MessageLine()
        form.addRow(self.message)
        outer.addWidget(pay_box)
        self.setCentralWidget(root)
        self._tender_changed()
        self.resize(1200, 800)

    def tender_keys(self) -> list[tuple[str, str]]:
        return TENDER_KEYS[:1] if self.door else TENDER_KEYS  # 走收 takes cash only

    def _shortcuts(self) -> None:
        for index, (_kind, key) in enumerate(self.tender_keys()):
            QShortcut(QKeySequence(key), self, activated=lambda i=index: self._choose_tender(i))
        QShortcut(QKeySequence("Esc"), self, activated=self.cancel)
        QShortcut(QKeySequence("F2"), self, activated=self.open_shift)
        QShortcut(QKeySequence("F3"), self, activated=self.move_cash)
        QShortcut(QKeySequence("F4"), self, activated=self.close_shift)
        QShortcut(QKeySequence("F11"), self, activated=self.reprint_last)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.add_tender)
        QShortcut(QKeySequence("F12"), self, activated=self.reverse)
        QShortcut(QKeySequence("Ctrl+J"), self, activated=self.waive)
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.reprint_queue)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.open_settings)
        QShortcut(QKeySequence("Ctrl+M"), self, activated=self.open_supervisor)
        QShortcut(QKeySequence("Ctrl+U"), self, activated=self.sync_now)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # A scanner "types" digits: wherever the focus is (but not in a field), they go to the search box.
        if event.type() == QEvent.Type.KeyPress and not isinstance(self.focusWidget(), QLineEdit):
            text = event.text()
            if text and text.isdigit():
                self.search_box.setFocus()
                self.search_box.selectAll()  # a new scan replaces the last query
                self.search_box.insert(text)
                return True
        return super().eventFilter(watched, event)

    # --- search and account ------------------------------------------------------------
    def run_search(self) -> None:
        query = self.search_box.text()
        length = self.ctx.settings.hall.account_number_length
        Op(self, lambda: self._search(query, length)).success(self._show_results) \
            .failure(lambda e: self.message.error(describe(e))).run_in_background()

    def _search(self, query: str, length: int) -> SearchResult:
        with self.ctx.store.read() as s:
            return search(s, query, account_number_length=length)

    def _show_results(self, result: SearchResult) -> None:
        self.results.setRowCount(0)
        if self.door and result.hits:
            hits = [h for h in result.hits if h.account_no in self.assigned]
            if not hits:
                self.message.error(translate("door.not_assigned", account=result.query, collector=self.door))
                self.search_box.selectAll()
                return
            result = SearchResult(result.query, hits)
        if not result.hits:
            self.message.error(translate(result.message_key or "search.nothing_found", query=result.query))
            self.search_box.selectAll()
            return
        self.message.clear()
        for hit in result.hits:
            row = self.results.rowCount()
            self.results.insertRow(row)
            for col, value in enumerate((hit.account_no, hit.name_masked, hit.phone_masked, hit.address,
                                         format_fen(hit.arrears_fen))):
                self.results.setItem(row, col, QTableWidgetItem(value))
        if len(result.hits) == 1 or result.hits[0].match in ("account", "bill", "meter"):
            self.open_account(result.hits[0].account_no)
        else:
            self.results.setFocus()
            self.results.selectRow(0)

    def open_account(self, account_no: str) -> None:
        Op(self, lambda: self._quote(account_no)).success(self._show_quote) \
            .failure(lambda e: self.message.error(describe(e))).run_in_background()

    def _quote(self, account_no: str) -> tuple[AccountQuote, str | None]:
        """The quote, and what the upstream said of the dues: None (no upstream), "checked", "offline",
        "busy" (a sync round holds the line: local data this once) or "unknown" (the upstream has no
        such account)."""
        t, syncer = self.ctx.terminal, self.ctx.syncer
        checked = None
        if syncer is not None and not self.door:  # 走收 is offline by design: no 2-second wait per customer
            last = self.status.last
            checked = "offline"
            if last is None or last.sync.online:
                # A customer may have just paid through 95598 or an app: ask, but never keep the cashier waiting.
                try:
                    found = syncer.refresh_account(account_no, timeout=2.0, wait_for_round=0.5)
                    checked = "checked" if found is not None else "busy"
                except Refused as exc:
                    checked = "unknown" if exc.status == 404 else "offline"
                except SyncError:
                    checked = "offline"
        with self.ctx.store.read() as s:
            return quote_account(s, account_no, t.clock.business_date(), t.policy,
                                 account_number_length=t.account_number_length), checked

    def _sync_banner(self, snap) -> None:
        sync = snap.sync
        if self.door:
            self.offline_banner.setText(self.tr(
                "走收模式：仅现金，仅限清单内 {n} 户；待上传 {count} 笔 {amount}。回营业厅连上网络后按 Ctrl+U 同步").format(
                n=len(self.assigned), count=sync.pending, amount=format_fen(sync.pending_fen)))
            self.offline_banner.show()
        elif sync.configured and not sync.online:
            self.offline_banner.setText(self.tr("离线收费中：{age}；待上传 {count} 笔 {amount}，网络恢复后自动上传").format(
                age=self.status.data_age(sync), count=sync.pending, amount=format_fen(sync.pending_fen)))
            self.offline_banner.show()
        else:
            self.offline_banner.hide()

    def _show_quote(self, quoted: tuple[AccountQuote, str | None]) -> None:
        q, checked = quoted
        if self.door:
            last = self.status.last
            age = self.status.data_age(last.sync) if last else ""
            self.data_source.setText(self.tr("走收：按出发前同步的数据收费（{age}）").format(age=age))
            self.data_source.setStyleSheet("color: #b9770e; font-weight: bold;")
        elif checked is None:
            self.data_source.setText("")
        elif checked == "checked":
            self.data_source.setText(self.tr("✔ 已与上级系统核对应缴金额"))
            self.data_source.setStyleSheet("color: #1e8449;")
        elif checked == "unknown":
            self.data_source.setText(self.tr("上级系统中没有这个户号：按本地数据收费，请与客户核实户号"))
            self.data_source.setStyleSheet("color: #c0392b; font-weight: bold;")
        elif checked == "busy":
            self.data_source.setText(self.tr("上级系统正在同步：本次按本地数据收费"))
            self.data_source.setStyleSheet("color: #b9770e; font-weight: bold;")
        else:
            last = self.status.last
            age = self.status.data_age(last.sync) if last else ""
            self.data_source.setText(self.tr("离线：按本地数据收费（{age}）").format(age=age))
            self.data_source.setStyleSheet("color: #b9770e; font-weight: bold;")
        self.quote, self.payment_id, self.waiver = q, uuid7(), (0, None)
        self.account_label.setText(f"{q.account_no}  {q.name}")
        badges = []
        if q.disconnected:
            badges.append(self.tr("【已停电】"))
        if q.prepaid_meter:
            badges.append(self.tr("【费控表】"))
        if q.special_group:
            badges.append("【" + translate(f"special.{q.special_group}") + "】")
        self.badges.setText(" ".join(badges))
        self.badges.setStyleSheet("color: #c0392b; font-weight: bold;")
        phone, balance = self.tr("电话"), self.tr("预存余额")
        self.details.setText(f"{q.address}\n{phone} {q.phone or '-'}   {balance} {format_fen(q.prepaid_balance_fen)}")
        self.bills.setRowCount(0)
        for b in q.bills:
            row = self.bills.rowCount()
            self.bills.insertRow(row)
            for col, value in enumerate((f"{b.period[:4]}-{b.period[4:]}", str(b.kwh), format_fen(b.outstanding_fen),
                                         b.due_date.isoformat(), str(b.overdue_days), format_fen(b.penalty_fen))):
                self.bills.setItem(row, col, QTableWidgetItem(value))
        self.due_label.setText(self.tr("应缴合计 ") + format_fen(q.total_due_fen))
        self.amount.setText(format_fen(q.total_due_fen, symbol=False, grouping=False) if q.total_due_fen else "")
        self.tendered.clear()
        self.reference.clear()
        self.tender_lines = []
        self._show_lines()
        self.tender_kind.setCurrentIndex(0)
        self.change_label.setText(format_fen(0))
        self.message.clear()
        self.tendered.setFocus() if q.total_due_fen else self.amount.setFocus()

    # --- paying ------------------------------------------------------------------------
    def _choose_tender(self, index: int) -> None:
        self.tender_kind.setCurrentIndex(index)
        self.tendered.setFocus()

    def _remaining(self) -> int | None:
        try:
            amount = parse_amount(self.amount.text())
        except CashierError:
            return None
        return amount - sum(x.amount_fen for x in self.tender_lines)

    def _tender_changed(self) -> None:
        cash = self.tender_kind.currentData() == "cash"
        self.reference.setEnabled(not cash)
        remaining = self._remaining()
        if not cash and remaining and remaining > 0:
            self.tendered.setText(format_fen(remaining, symbol=False, grouping=False))
        self._update_change()

    def _current_line(self, default_fen: int | None) -> payments.TenderLine | None:
        """The tender being typed; raises CashierError on a bad amount, None when nothing is typed."""
        kind = self.tender_kind.currentData()
        if not self.tendered.text().strip():
            return payments.TenderLine(kind, default_fen, self.reference.text().strip() or None) if default_fen else None
        return payments.TenderLine(kind, parse_amount(self.tendered.text()), self.reference.text().strip() or None)

    def _show_lines(self) -> None:
        self.lines_label.setText(" + ".join(f"{TENDER_LABELS[x.kind]} {format_fen(x.amount_fen)}"
                                            for x in self.tender_lines))

    def _update_change(self) -> None:
        try:
            amount = parse_amount(self.amount.text())
            current = self._current_line(None)
        except CashierError:
            self.change_label.setText(format_fen(0))
            return
        total = sum(x.amount_fen for x in self.tender_lines) + (current.amount_fen if current else 0)
        self.change_label.setText(format_fen(max(0, total - amount)))

    def add_tender(self) -> None:
        """Ctrl+Enter: keep this tender and take another (a card for part, cash for the rest)."""
        try:
            line = self._current_line(None)
        except CashierError as exc:
            self.message.error(str(exc))
            return
        if line is None:
            return
        if line.kind != "cash" and not line.reference:
            self.message.error(translate("payment.reference_required", kind=TENDER_LABELS[line.kind]))
            self.reference.setFocus()
            return
        self.tender_lines.append(line)
        self._show_lines()
        self.reference.clear()
        self.tendered.clear()
        self.tender_kind.setCurrentIndex(0)
        remaining = self._remaining()
        if remaining and remaining > 0:
            self.tendered.setText(format_fen(remaining, symbol=False, grouping=False))
            self.tendered.selectAll()
        self.tendered.setFocus()

    def take_payment(self) -> None:
        if self.busy:
            return  # a second Enter while the first is being committed
        if self.quote is None:
            self.message.error(self.tr("请先查询客户"))
            self.search_box.setFocus()
            return
        try:
            amount = parse_amount(self.amount.text())
            current = self._current_line(None if self.tender_lines else amount)
        except CashierError as exc:
            self.message.error(str(exc))
            return
        lines = self.tender_lines + ([current] if current else [])
        for line in lines:
            if line.kind != "cash" and not line.reference:
                self.message.error(translate("payment.reference_required", kind=TENDER_LABELS[line.kind]))
                self.reference.setFocus()
                return
        t, actor, number, pid = self.ctx.terminal, self.ctx.actor, self.quote.account_no, self.payment_id
        expected = self.quote.total_due_fen
        self.busy = True
        self.pay_button.setEnabled(False)
        waiver_fen, approval = self.waiver
        Op(self, lambda: payments.take_payment(t, actor, number, amount, lines, payment_id=pid,
                                               expected_due_fen=expected, waiver_fen=waiver_fen,
                                               waiver_approval_id=approval)) \
            .success(self._paid).failure(self._payment_failed).always(self._not_busy).run_in_background()

    def _approve_exposure(self, why: str) -> None:
        from ui.authorize import ExposureDialog

        dialog = ExposureDialog(self, self.ctx, why)
        dialog.accepted.connect(self.take_payment)  # the same payment id: still paid once
        dialog.open()

    def _not_busy(self) -> None:
        self.busy = False
        self.pay_button.setEnabled(True)

    def _payment_failed(self, exc: BaseException) -> None:
        self.message.error(describe(exc))
        if isinstance(exc, CashierError) and exc.key == "sync.exposure_exceeded":
            self._approve_exposure(str(exc))
            return
        if isinstance(exc, CashierError) and exc.key == "payment.quote_changed" and self.quote:
            self.open_account(self.quote.account_no)

    def _paid(self, result: payments.PaymentResult) -> None:
        self.last_payment = result.payment_id
        text = self.tr("收费成功 {amount}，找零 {change}").format(amount=format_fen(result.amount_fen),
                                                              change=format_fen(result.change_fen))
        if result.reconnect_requested:
            text += self.tr("；已提交复电申请")
        self.message.ok(text)
        self.change_label.setText(format_fen(result.change_fen))
        self.quote, self.payment_id, self.waiver = None, None, (0, None)
        self.tender_lines = []
        self._show_lines()
        self.status.refresh()
        self.ctx.wake_sync()
        self._print(result.kind, result.payment_id)
        self.search_box.clear()
        self.search_box.setFocus()

    def _print(self, kind: str, entity_id: str) -> None:
        ctx = self.ctx
        Op(self, lambda: print_receipt(ctx.terminal, ctx.printer, ctx.hall, kind, entity_id)) \
            .success(self._printed).failure(lambda e: self.status.printer_state(describe(e), ok=False)) \
            .run_in_background()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.status.printer_state(outcome.message, ok=outcome.printed)
        if outcome.saved is not None:
            self.last_saved_receipt = outcome.saved
        if outcome.preview is not None:
            self.preview = ReceiptPreview(self, outcome.preview)
            self.preview.setObjectName("receipt_preview")
            self.preview.show()
            QTimer.singleShot(0, self.search_box.setFocus)

    def reprint_last(self) -> None:
        if not self.last_payment:
            return
        from receipts.printing import reprint

        ctx, pid = self.ctx, self.last_payment
        Op(self, lambda: reprint(ctx.terminal, ctx.actor, ctx.printer, ctx.hall, pid)) \
            .success(self._printed).failure(lambda e: self.message.error(describe(e))).run_in_background()

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self.ctx)
        dialog.accepted.connect(lambda: self.message.ok(self.tr("设置已保存（营业厅与终端的更改在重新启动后生效）")))
        dialog.open()

    def open_supervisor(self) -> None:
        """Ctrl+M 班长工作台: for a supervisor logged in at this counter."""
        from cashier.auth import can
        from ui.supervisor import SupervisorWindow

        if not can(self.ctx.actor, "report.view"):
            self.message.error(self.tr("班长工作台需要班长登录"))
            return
        self.supervisor_window = SupervisorWindow(self.ctx)
        self.supervisor_window.show()

    def reprint_queue(self) -> None:
        from ui.reprint_queue import ReprintQueueDialog

        ReprintQueueDialog(self, self.ctx, self._printed).open()

    def cancel(self) -> None:
        self.quote, self.payment_id, self.waiver = None, None, (0, None)
        self.tender_lines = []
        self._show_lines()
        for field in (self.search_box, self.amount, self.tendered, self.reference):
            field.clear()
        self.results.setRowCount(0)
        self.bills.setRowCount(0)
        for label in (self.account_label, self.badges, self.details, self.due_label):
            label.clear()
        self.change_label.setText(format_fen(0))
        self.message.clear()
        self.search_box.setFocus()
        if self.door:
            self._show_assigned()

    def waive(self) -> None:
        """Ctrl+J 减免: a supervisor approves waiving (part of) the penalty for this customer."""
        if self.quote is None or not self.quote.penalty_fen:
            self.message.error(self.tr("该户没有违约金可减免"))
            return
        from ui.authorize import WaiverDialog

        dialog = WaiverDialog(self, self.ctx, self.quote.account_no, self.quote.penalty_fen)
        dialog.accepted.connect(lambda: self._waived(dialog))
        dialog.open()

    def _waived(self, dialog) -> None:
        self.waiver = (dialog.waiver_fen, dialog.approval_id)
        due = self.quote.total_due_fen - dialog.waiver_fen
        self.amount.setText(format_fen(due, symbol=False, grouping=False))
        self.message.ok(self.tr("已授权减免违约金 {amount}，应缴 {due}").format(
            amount=format_fen(dialog.waiver_fen), due=format_fen(due)))
        self.tendered.setFocus()

    def reverse(self) -> None:
        from ui.reversal import ReversalDialog

        ReversalDialog(self, self.ctx, self._reversed).open()

    def _reversed(self, result: payments.PaymentResult) -> None:
        self.message.ok(self.tr("已冲正，退款 {amount}").format(amount=format_fen(result.tendered_fen)))
        self.status.refresh()
        self.ctx.wake_sync()
        self._print(result.kind, result.payment_id)

    # --- 走收 (door-to-door) -----------------------------------------------------------
    def load_assigned(self) -> None:
        from cashier.door_to_door import assigned_customers

        t, collector = self.ctx.terminal, self.door

        def work():
            with t.store.read() as s:
                return assigned_customers(s, collector, t.clock.business_date(), t.policy, t.account_number_length)

        Op(self, work).success(self._assigned_loaded).failure(lambda e: self.message.error(describe(e))) \
            .run_in_background()

    def _assigned_loaded(self, customers: list) -> None:
        self.assigned = {c.account_no: c for c in customers}
        self._show_assigned()
        self.status.refresh()
        if not customers:
            self.message.error(self.tr("没有分配给收费员 {name} 的走收客户：请在营业厅联网后按 Ctrl+U 同步").format(
                name=self.door))

    def _show_assigned(self) -> None:
        """The collector's list, owing first, in route order: Enter on a row opens the customer."""
        self.results.setRowCount(0)
        for c in self.assigned.values():
            row = self.results.rowCount()
            self.results.insertRow(row)
            group = translate(f"special.{c.special_group}")
            for col, value in enumerate((c.account_no, f"{c.name}【{group}】", c.phone or "", c.address,
                                         format_fen(c.due_fen))):
                self.results.setItem(row, col, QTableWidgetItem(value))

    def sync_now(self) -> None:
        """Ctrl+U: one sync round now (a door-to-door laptop back at the hall; any counter after an outage)."""
        from cashier.sync.setup import run_round

        syncer, url = self.ctx.syncer, self.ctx.settings.upstream.url
        if syncer is None:
            self.message.error(translate("sync.not_enrolled"))
            return
        self.message.ok(self.tr("正在与上级系统同步…"))
        Op(self, lambda: run_round(syncer, url)).success(self._synced) \
            .failure(lambda e: (self.message.error(describe(e)), self.status.refresh())).run_in_background()

    def _synced(self, done) -> None:
        self.message.ok(done.describe())
        self.status.refresh()
        if self.door:
            self.load_assigned()

    # --- shifts ------------------------------------------------------------------------
    def open_shift(self) -> None:
        from ui.shift_dialogs import OpenShiftDialog

        OpenShiftDialog(self, self.ctx, self.status.refresh).open()

    def move_cash(self) -> None:
        from ui.cash_dialog import CashMovementDialog

        CashMovementDialog(self, self.ctx, self._cash_moved).open()

    def _cash_moved(self, movement_id: str) -> None:
        self.message.ok(self.tr("现金存取已登记"))
        self.status.refresh()
        self._print("cash_movement", movement_id)

    def close_shift(self) -> None:
        from ui.shift_dialogs import CloseShiftDialog

        CloseShiftDialog(self, self.ctx, self.status.refresh).open()
