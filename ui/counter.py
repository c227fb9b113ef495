"""The counter screen (收费主界面): find the customer, see what is owed, take the money, print.

Keyboard first: the search box has focus; digits typed anywhere on this screen (a barcode
scanner types digits then Enter) land in it; Enter confirms, Esc cancels; F1 扫码 waits for the customer's
payment code (a scanned code + Enter in any payment field is taken as one too; ui/scan_pay.py); F5–F10 choose the
tender (F6–F10 put the cursor in 参考号); Ctrl+Enter keeps a tender to add another; F2 opens the
shift, F3 moves cash in or out, F4 closes it, F11 reprints the last receipt, F12 reverses a
payment of today, Ctrl+J asks a supervisor to waive the penalty, Ctrl+P opens the reprint queue,
Ctrl+U syncs now, Ctrl+K looks an account number up in another hall (跨厅查询, offered when the search
finds nothing; the upstream logs it), Ctrl+M the supervisor's workspace, Ctrl+L locks, Ctrl+Shift+L signs out (换人),
Ctrl+Shift+P changes one's own password, Ctrl+Shift+S the settings, Ctrl+G switches the customer's side to
关爱模式 (elderly mode: larger type on the customer display, slower prompts said twice). Every shortcut works from
every field: a field's own binding for the same keys (a line edit's Ctrl+U) gives way.

The customer's side (``cashier.customer_side``: the customer display, the pole display, the voice) is fed
here at the points the sale changes — opened, waived, typed, paid — and goes back to idle whenever the panel
is cleared, so it never shows a customer after the counter let them go.

The sale in progress is the core's ``cashier.sale.Sale``: this window shows it and hands it
what was typed. The account panel follows the store's events (a payment, a reversal, a pull, a
refresh of the account from the upstream), so it shows exactly the current state of exactly the
selected account, or nothing. Every database and printer call is a background ``Op``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMainWindow, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cashier import events, payments
from cashier.errors import CashierError
from cashier.i18n import translate
from cashier.money import format_fen
from cashier.quote import AccountQuote, quote_account
from cashier.sale import Checkout, Confirm, Sale, SaleState
from cashier.tenders import tender_label
from cashier.search import SearchResult, search
from cashier.sync.client import Refused, SyncError
from cashier.printing import PrintOutcome, print_receipt
from ui.context import AppContext
from ui.events import events_of
from ui.ops import Op
from ui.receipt_preview import ReceiptPreview
from ui.status import StatusBar
from ui.widgets import MessageLine, big, set_style

TENDER_KEYS = [("cash", "F5"), ("bank_card", "F6"), ("wechat", "F7"), ("alipay", "F8"), ("e_bao", "F9"),
               ("prepaid_card", "F10")]
ERROR_FIELD = "border: 2px solid #c0392b;"
# The account panel follows these: each may change what the shown account owes.
PANEL_EVENTS = (events.PAYMENT_TAKEN, events.REVERSAL, events.PULL_APPLIED, events.ACCOUNT_REFRESHED, events.SESSION)


def describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, CashierError) else f"{type(exc).__name__}: {exc}"


class CounterWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.sale: Sale | None = None  # the customer at the counter: None while nobody is shown
        self.opening: str | None = None  # the account whose quote is being read
        self.checked: str | None = None  # what the upstream said of the shown account's dues
        self.last_payment: str | None = None
        self.last_query: str | None = None  # the search whose hits the results list shows
        self.cross_hall_offer: str | None = None  # the account number the 跨厅查询 button would look up
        self.cross_hall: set[str] = set()  # other halls' accounts looked up here: their dues are checked the same way
        self._reload_after_commit = False
        self.committing: Sale | None = None  # the sale handed to take_payment, until it answers
        self.shift_check: Sale | None = None  # the sale whose open shift is read before a confirmation is asked
        self.reference_approval: tuple[Sale, int] | None = None  # a supervisor's yes to a typed WeChat/Alipay reference
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
        from ui.customer_side import CustomerSideUi

        # The customer display, pole display and voice follow its feed; they go with this window (closed, or
        # deleted at a sign-out), so a customer window never outlives the counter nor keeps the program running.
        self.customer = customer = CustomerSideUi(ctx)
        if customer.note:
            self.status.showMessage(customer.note)
        self.destroyed.connect(lambda *_: customer.close())
        self._shortcuts()
        events_of(ctx).on(PANEL_EVENTS, self._store_changed, self)
        self.search_box.setFocus()
        from ui.idle import IdleLock

        self.idle = IdleLock(self, ctx)
        self.installEventFilter(self)
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)
        if self.door:
            self.load_assigned()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.customer.close()
        super().closeEvent(event)

    @property
    def quote(self) -> AccountQuote | None:
        """The shown account's quote (None: nobody shown)."""
        return self.sale.quote if self.sale else None

    @property
    def busy(self) -> bool:
        """A payment is being saved (the panel may already show the next search)."""
        return self.committing is not None

    # --- building the screen -----------------------------------------------------------
    def _build(self) -> None:
        root = QWidget()
        outer = QVBoxLayout(root)
        outer.setSpacing(3)  # every pixel counts in large print on a small screen
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
        self.search_message = MessageLine()
        self.search_message.setObjectName("search_message")
        self.search_message.setMinimumHeight(self.search_message.fontMetrics().height() + 4)  # the list does not jump
        message_row = QHBoxLayout()
        message_row.addWidget(self.search_message, 1)
        self.cross_hall_button = QPushButton(self.tr("跨厅查询 (Ctrl+K)"))
        self.cross_hall_button.setObjectName("cross_hall")
        self.cross_hall_button.setToolTip(self.tr("向上级系统查询其他营业厅的客户；上级系统会记录每次跨厅查询"))
        self.cross_hall_button.clicked.connect(self.look_up_other_hall)
        self.cross_hall_button.hide()
        message_row.addWidget(self.cross_hall_button)
        outer.addLayout(message_row)
        self.search_box.textEdited.connect(lambda _t: self.search_message.clear())

        middle = QHBoxLayout()
        self.results = QTableWidget(0, 5)
        self.results.setObjectName("results")
        # The list's money column says what it holds: the search's hits carry the bills' arrears alone (the
        # penalty is the quote's, 应缴合计 on the panel); 走收's list shows what each customer owes with it.
        owed = self.tr("应缴\n(含违约金)") if self.door else self.tr("欠费\n(不含违约金)")
        self.results.setHorizontalHeaderLabels([self.tr("户号"), self.tr("户名"), self.tr("电话"), self.tr("地址"), owed])
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setWordWrap(False)
        header = self.results.horizontalHeader()
        # The address tells same-name customers apart: it gets the room, and its full text as a tooltip.
        # The other columns are fitted once per list (not on every row inserted: Enter → panel stays quick).
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().hide()
        self.results.cellActivated.connect(lambda row, _col: self.open_account(self.results.item(row, 0).text()))
        self.results.currentCellChanged.connect(self._selection_moved)
        middle.addWidget(self.results, 1)

        panel = QGroupBox(self.tr("客户"))
        panel.setObjectName("account_panel")
        grid = QGridLayout(panel)
        self.account_label = big(QLabel(""), 14)
        self.account_label.setObjectName("account")
        self.badges = QLabel("")
        self.badges.setObjectName("badges")
        self.details = QLabel("")
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.data_source = QLabel("")
        self.data_source.setObjectName("data_source")
        self.data_source.setWordWrap(True)
        self.bills = QTableWidget(0, 6)
        self.bills.setObjectName("bills")
        self.bills.setHorizontalHeaderLabels([self.tr("账期"), self.tr("电量kWh"), self.tr("欠费"), self.tr("到期日"),
                                              self.tr("逾期天数"), self.tr("违约金")])
        self.bills.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.bills.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bills.verticalHeader().hide()
        self.bills.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.due_label = big(QLabel(""), 26)
        self.due_label.setObjectName("due")
        self.bills.setMinimumHeight(self.bills.horizontalHeader().sizeHint().height() * 2)  # a row, at 150 % too
        grid.addWidget(self.account_label, 0, 0)
        grid.addWidget(self.badges, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.details, 1, 0, 1, 2)
        grid.addWidget(self.data_source, 2, 0, 1, 2)
        grid.addWidget(self.bills, 3, 0, 1, 2)
        grid.setRowStretch(3, 1)
        grid.addWidget(self.due_label, 4, 0, 1, 2, Qt.AlignmentFlag.AlignRight)
        middle.addWidget(panel, 1)
        outer.addLayout(middle, 1)

        pay_box = QGroupBox(self.tr("收费"))
        self.pay_box = pay_box
        # Two fields a row: the whole counter fits a 1280×800 screen at 150 % (853×533 logical pixels).
        form = QGridLayout(pay_box)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.tender_kind = QComboBox()
        self.tender_kind.setObjectName("tender_kind")
        for kind, key in self.tender_keys():
            self.tender_kind.addItem(f"{tender_label(kind)} ({key})", kind)
        self.tendered = QLineEdit()
        self.tendered.setObjectName("tendered")
        self.tendered.setPlaceholderText(self.tr("顾客所付金额"))
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.reference.setPlaceholderText(self.tr("非现金：交易参考号"))
        self.change_label = big(QLabel(format_fen(0)), 26)
        self.change_label.setObjectName("change")
        self.change_label.setMinimumHeight(self.change_label.sizeHint().height())  # the change is never cut
        self.lines_label = QLabel("")
        self.lines_label.setObjectName("tender_lines")
        for field in (self.amount, self.tendered, self.reference):
            field.setFont(big_font)
            field.textChanged.connect(self._update_change)
            field.textEdited.connect(lambda _t, f=field: self._field_ok(f))
        self.amount.returnPressed.connect(lambda: self.scan.entered(self.amount) or self.tendered.setFocus())
        self.tendered.returnPressed.connect(self.take_payment)
        self.reference.returnPressed.connect(self.take_payment)
        self.tender_kind.currentIndexChanged.connect(self._tender_changed)
        self.pay_button = QPushButton(self.tr("确认收费 (Enter)"))
        self.pay_button.setObjectName("pay")
        self.pay_button.clicked.connect(self.take_payment)
        self.message = MessageLine()  # right under the fields it speaks of
        message_font = self.message.font()
        message_font.setPointSize(13)
        self.message.setFont(message_font)
        self.message.setMinimumHeight(self.message.fontMetrics().height() + 4)  # no jump when a message comes
        reference_label = QLabel(self.tr("参考号"))
        for row, col, label, field in ((0, 0, QLabel(self.tr("本次金额")), self.amount),
                                       (0, 2, QLabel(self.tr("付款方式")), self.tender_kind),
                                       (1, 0, QLabel(self.tr("实收")), self.tendered),
                                       (1, 2, reference_label, self.reference),
                                       (3, 0, QLabel(self.tr("已收")), self.lines_label),
                                       (3, 2, QLabel(self.tr("找零")), self.change_label)):
            label.setBuddy(field)
            form.addWidget(label, row, col)
            form.addWidget(field, row, col + 1)
        form.addWidget(self.message, 2, 0, 1, 4)
        form.addWidget(self.pay_button, 4, 0, 1, 4)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        if self.door:  # 走收: cash only, nothing to reference
            reference_label.hide()
            self.reference.hide()
        outer.addWidget(pay_box)
        self.setCentralWidget(root)
        self._filling = False
        self._tender_changed()
        from ui.scan_pay import ScanAtCounter

        self.scan = ScanAtCounter(self)  # 扫码: F1, or a scanned code + Enter in any payment field
        screen = self.screen().availableGeometry() if self.screen() else None
        # Opens within the screen, whatever the scale (large print): nothing a cashier needs below its edge.
        self.resize(min(1200, screen.width()) if screen else 1200, min(800, screen.height()) if screen else 800)

    def tender_keys(self) -> list[tuple[str, str]]:
        return TENDER_KEYS[:1] if self.door else TENDER_KEYS  # 走收 takes cash only

    def _shortcuts(self) -> None:
        keys = [(key, lambda i=index: self._choose_tender(i)) for index, (_kind, key) in enumerate(self.tender_keys())]
        if not self.door:
            keys.append(("F1", self.scan_key))
        keys += [("Esc", self.cancel), ("F2", self.open_shift), ("F3", self.move_cash), ("F4", self.close_shift),
                 ("F11", self.reprint_last), ("Ctrl+Return", self.add_tender), ("Ctrl+Enter", self.add_tender),
                 ("F12", self.reverse), ("Ctrl+J", self.waive), ("Ctrl+P", self.reprint_queue),
                 ("Ctrl+Shift+S", self.open_settings), ("Ctrl+M", self.open_supervisor), ("Ctrl+U", self.sync_now),
                 ("Ctrl+L", self.lock_now), ("Ctrl+Shift+L", self.sign_out), ("Ctrl+K", self.look_up_other_hall),
                 ("Ctrl+Shift+P", self.change_password), ("Ctrl+G", self.toggle_elderly)]
        self.shortcuts: dict[str, QShortcut] = {}
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self, activated=slot)
            self.shortcuts[key] = shortcut
        self._shortcut_keys = {QKeySequence(key) for key, _ in keys}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and QKeySequence(event.keyCombination()) in self._shortcut_keys:
            # A line edit claims Ctrl+U (delete to the start), Ctrl+J …: our documented keys win in every field.
            event.ignore()
            return True
        if (kind == QEvent.Type.KeyPress and event.modifiers() & Qt.KeyboardModifier.KeypadModifier
                and event.key() in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3)
                and self.customer.rate_key(int(event.text() or 0))):
            return True  # the service evaluator's keypad (1/2/3) while a rating is asked; other digits type on
        if kind == QEvent.Type.KeyPress and watched in (self.amount, self.tendered, self.reference):
            self.scan.key(watched, event.text())  # a quick run of digits is a scanner's: see ui/scan_pay.py
        # A scanner "types" digits: wherever the focus is (but not in a field), they go to the search box.
        if kind == QEvent.Type.KeyPress and not isinstance(self.focusWidget(), QLineEdit):
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
        if not query.strip():
            return
        length = self.ctx.settings.hall.account_number_length
        lapsed = self._unused_waiver()
        self.clear_panel()  # a new search: the last customer's money leaves the screen at once
        self._close_preview()
        self.message.clear() if not lapsed else self.message.error(lapsed)
        self.results.setRowCount(0)
        self._offer_cross_hall(None)
        self.last_query = query
        Op(self, lambda: self._search(query, length)).success(self._show_results) \
            .failure(lambda e: self.search_message.error(describe(e))).run_in_background()

    def _search(self, query: str, length: int) -> SearchResult:
        with self.ctx.store.read() as s:
            return search(s, query, account_number_length=length)

    def _show_results(self, result: SearchResult, *, refreshing: bool = False) -> None:
        if result.query != self.last_query:
            return  # an older search answering late
        current = self.sale.account_no if self.sale else None
        self.results.blockSignals(True)  # emptying the list is no move to another customer
        self.results.setRowCount(0)
        self.results.blockSignals(False)
        if self.door and result.hits:
            hits = [h for h in result.hits if h.account_no in self.assigned]
            if not hits:
                self.search_message.error(translate("door.not_assigned", account=result.query, collector=self.door))
                self.search_box.selectAll()
                return
            result = SearchResult(result.query, hits)
        if refreshing and current is not None and current not in {h.account_no for h in result.hits}:
            self.clear_panel()  # the shown account left the list (a pull changed it): show nobody
        if not result.hits:
            if not refreshing:
                self.search_message.error(translate(result.message_key or "search.nothing_found", query=result.query))
                self.search_box.selectAll()
                self._offer_cross_hall(result.query)
            return
        self.search_message.clear()
        self.results.blockSignals(True)
        for hit in result.hits:
            row = self.results.rowCount()
            self.results.insertRow(row)
            # The cashier's screen: the name in full (the customer's side — receipt, display — masks it).
            owed = self.assigned[hit.account_no].due_fen if self.door else hit.arrears_fen  # as the column says
            for col, value in enumerate((hit.account_no, hit.name, hit.phone_shown, hit.address, format_fen(owed))):
                item = QTableWidgetItem(value)
                if col == 3:
                    item.setToolTip(value)
                if col == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.results.setItem(row, col, item)
            if hit.account_no == current:
                self.results.selectRow(row)
        for col in (0, 1, 2, 4):
            self.results.resizeColumnToContents(col)
        self.results.blockSignals(False)
        if refreshing:
            return
        if len(result.hits) == 1 or result.hits[0].match in ("account", "bill", "meter"):
            self.results.selectRow(0)
            self.open_account(result.hits[0].account_no)
        else:
            self.results.setFocus()
            self.results.selectRow(0)

    def _offer_cross_hall(self, query: str | None) -> None:
        """Nothing found here for an account number: offer to look it up in the other halls (a counter with an
        upstream; not the door-to-door laptop, which serves its list only)."""
        from cashier.quote import check_account_no

        number = None
        if query is not None and self.ctx.syncer is not None and not self.door:
            try:
                number = check_account_no(query.strip(), self.ctx.settings.hall.account_number_length)
            except CashierError:
                number = None
        self.cross_hall_offer = number
        self.cross_hall_button.setVisible(number is not None)
        if number is not None:
            self.search_message.error(translate("search.nothing_found", query=query) + "  "
                                      + self.tr("其他营业厅的客户：按 Ctrl+K 跨厅查询"))

    def look_up_other_hall(self) -> None:
        """Ctrl+K 跨厅查询: the account number the search did not find here, asked of the upstream across halls
        (logged there); found, it is kept in the local store and opened like any account."""
        from cashier.sync.setup import look_up_account

        number, syncer = self.cross_hall_offer, self.ctx.syncer
        if number is None or syncer is None:
            return
        url = self.ctx.settings.upstream.url
        self.search_message.ok(self.tr("正在向上级系统跨厅查询 {number}…").format(number=number))
        Op(self, lambda: look_up_account(syncer, url, number, cross_hall=True, timeout=5.0)) \
            .success(lambda dues: self._found_other_hall(number)) \
            .failure(lambda e: self.search_message.error(describe(e))).run_in_background()

    def _found_other_hall(self, number: str) -> None:
        self.cross_hall.add(number)
        self._offer_cross_hall(None)
        self.search_box.setText(number)
        self.run_search()

    def _selection_moved(self, row: int, *_args) -> None:
        """Moving to another hit takes the shown customer off the panel: the panel never shows a
        customer other than the selected one. Enter opens the selected one."""
        item = self.results.item(row, 0) if row >= 0 else None
        shown = self.sale.account_no if self.sale is not None else self.opening  # or on its way to the panel
        if shown is not None and (item is None or item.text() != shown):
            self.clear_panel()

    def open_account(self, account_no: str) -> None:
        self.clear_panel()
        self.opening = account_no
        self.data_source.setText(self.tr("正在读取…"))
        Op(self, lambda: self._quote(account_no)).success(self._show_quote) \
            .failure(lambda e: self._open_failed(account_no, e)).run_in_background()

    def _open_failed(self, account_no: str, exc: BaseException) -> None:
        if self.opening == account_no:
            self.opening = None
            self.data_source.clear()
        self.search_message.error(describe(exc))

    def _quote(self, account_no: str) -> tuple[AccountQuote, str | None]:
        """The quote, and what the upstream said of the dues: None (no upstream), "checked", "offline",
        "busy" (a sync round holds the line: local data this once) or "unknown" (the upstream has no
        such account)."""
        t, syncer = self.ctx.terminal, self.ctx.syncer
        checked = None
        if syncer is not None and not self.door:  # 走收 is offline by design: no 2-second wait per customer
            checked = "offline"
            if not self.status.is_offline():
                # A customer may have just paid through 95598 or an app: ask, but never keep the cashier waiting.
                try:
                    found = syncer.refresh_account(account_no, timeout=2.0, wait_for_round=0.5,
                                                   cross_hall=account_no in self.cross_hall)
                    checked = "checked" if found is not None else "busy"
                except Refused as exc:
                    checked = "unknown" if exc.status == 404 else "offline"
                except SyncError:
                    checked = "offline"
        return self._local_quote(account_no), checked

    def _local_quote(self, account_no: str) -> AccountQuote:
        t = self.ctx.terminal
        with self.ctx.store.read() as s:
            return quote_account(s, account_no, t.clock.business_date(), t.penalty_policy(s).policy,
                                 account_number_length=t.account_number_length)

    def _sync_banner(self, snap) -> None:
        sync = snap.sync
        if self.door:
            self.offline_banner.setText(self.tr(
                "走收模式：仅现金，仅限清单内 {n} 户；待上传 {count} 笔 {amount}。回营业厅连上网络后按 Ctrl+U 同步").format(
                n=len(self.assigned), count=sync.pending, amount=format_fen(sync.pending_fen)))
            self.offline_banner.show()
        elif self.status.is_offline(snap):
            self.offline_banner.setText(self.tr("离线收费中：{age}；待上传 {count} 笔 {amount}，网络恢复后自动上传").format(
                age=self.status.data_age(sync), count=sync.pending, amount=format_fen(sync.pending_fen)))
            self.offline_banner.show()
        else:
            self.offline_banner.hide()

    def _show_source(self, checked: str | None) -> None:
        last = self.status.last
        age = self.status.data_age(last.sync) if last else ""
        warn, bad, good = "color: #b9770e; font-weight: bold;", "color: #c0392b; font-weight: bold;", "color: #1e8449;"
        if self.door:
            text, style = self.tr("走收：按出发前同步的数据收费（{age}）").format(age=age), warn
        elif checked is None:
            text, style = "", ""
        elif checked == "checked" and self.quote is not None and self.quote.account_no in self.cross_hall:
            text, style = self.tr("✔ 其他营业厅的客户（跨厅查询）：已与上级系统核对应缴金额"), good
        elif checked == "checked":
            text, style = self.tr("✔ 已与上级系统核对应缴金额"), good
        elif checked == "unknown":
            text, style = self.tr("上级系统中没有这个户号：按本地数据收费，请与客户核实户号"), bad
        elif checked == "busy":
            text, style = self.tr("上级系统正在同步：本次按本地数据收费"), warn
        else:
            text, style = self.tr("离线：按本地数据收费（{age}）").format(age=age), warn
        self.data_source.setText(text)
        set_style(self.data_source, style)

    def _show_quote(self, quoted: tuple[AccountQuote, str | None]) -> None:
        q, checked = quoted
        if self.opening != q.account_no:
            return  # the cashier moved on (Esc, another search) while it was read
        self.opening = None
        self.checked = checked
        self._start_sale(q)
        self.message.clear()
        self.change_label.setText(format_fen(0))
        self.tendered.setFocus() if q.total_due_fen else self.amount.setFocus()

    def _start_sale(self, q: AccountQuote, *, after_payment: bool = False) -> None:
        """A new sale on ``q``, and the panel showing exactly it (``after_payment``: the customer display keeps
        the payment's figures and QR until the counter moves on)."""
        self.sale = Sale(q, self.ctx.terminal.sale, cash_only=bool(self.door))
        if not after_payment:
            self.customer.feed.selected(q, self.sale.due_fen)
        self._show_account(q)
        self._filling = True
        self.amount.setText(format_fen(q.total_due_fen, symbol=False, grouping=False) if q.total_due_fen else "")
        self.tendered.clear()
        self.reference.clear()
        self.tender_kind.setCurrentIndex(0)
        self._filling = False
        self._show_lines()
        for field in (self.amount, self.tendered, self.reference):
            self._field_ok(field)

    def _show_account(self, q: AccountQuote) -> None:
        """The panel: who, what flags, each open bill, the total due (the payment fields are the sale's)."""
        self._show_source(self.checked)
        self.account_label.setText(f"{q.account_no}  {q.name}")
        badges = []
        if q.disconnected:
            badges.append(self.tr("【已停电】"))
        if q.prepaid_meter:
            badges.append(self.tr("【费控表】"))
        if q.special_group:
            badges.append("【" + translate(f"special.{q.special_group}") + "】")
        paid_up = not q.total_due_fen
        if paid_up:
            badges.append(self.tr("【已结清】"))
        self.badges.setText(" ".join(badges))
        # Red while there is something to watch (停电, 费控, a special group); green when only 已结清 is said.
        set_style(self.badges, "color: #1e8449; font-weight: bold;" if paid_up and len(badges) == 1
                  else "color: #c0392b; font-weight: bold;")
        phone, balance = self.tr("电话"), self.tr("预存余额")
        self.details.setText(f"{q.address}\n{phone} {q.phone or '-'}   {balance} {format_fen(q.prepaid_balance_fen)}")
        self.bills.setRowCount(0)
        for b in q.bills:
            row = self.bills.rowCount()
            self.bills.insertRow(row)
            for col, value in enumerate((f"{b.period[:4]}-{b.period[4:]}", str(b.kwh), format_fen(b.outstanding_fen),
                                         b.due_date.isoformat(), str(b.overdue_days), format_fen(b.penalty_fen))):
                self.bills.setItem(row, col, QTableWidgetItem(value))
        self._show_due(self.sale)

    def _show_due(self, sale: Sale) -> None:
        """应缴合计: the quote less an approved waiver, and the waiver said beside it."""
        self.due_label.setText(self.tr("应缴合计 ") + format_fen(sale.due_fen))
        if sale.waiver_fen:  # said on the flags line: the big total keeps its width (the panel does not jump)
            waived = self.tr("（已减免违约金 {amount}）").format(amount=format_fen(sale.waiver_fen))
            if waived not in self.badges.text():
                self.badges.setText((self.badges.text() + " " + waived).strip())

    def _unused_waiver(self) -> str | None:
        """Said when a customer leaves with an approved waiver unused: it lapses (an approval is one sale's)."""
        sale = self.sale
        if sale is not None and sale.waiver_fen and sale.state is SaleState.OPEN:
            return self.tr("户号 {account} 已授权的违约金减免 {amount} 未使用，已作废").format(
                account=sale.account_no, amount=format_fen(sale.waiver_fen))
        return None

    def clear_panel(self) -> None:
        """Nobody at the counter: no name, no money, no "checked" mark (and the customer's side idle)."""
        self.customer.feed.idle()
        if self.sale is None and self.opening is None and not self.account_label.text() and not self.amount.text():
            return  # already empty (a search, then the hit it opens)
        self.sale, self.opening, self.checked = None, None, None
        self._filling = True
        for field in (self.amount, self.tendered, self.reference):
            field.clear()
            self._field_ok(field)
        self.tender_kind.setCurrentIndex(0)
        self._filling = False
        self.bills.setRowCount(0)
        for label in (self.account_label, self.badges, self.details, self.due_label, self.data_source, self.lines_label):
            label.clear()
        set_style(self.data_source, "")
        self.change_label.setText(format_fen(0))

    # --- following the store -------------------------------------------------------------
    def _store_changed(self, event: events.Event) -> None:
        if event.kind == events.SESSION:
            if event.get("state") in ("signed_in", "signed_out") and self.sale is not None and not self.busy:
                self.cancel()  # a new cashier starts with an empty counter (a lock keeps the sale as it was)
            return
        shown = self.sale.account_no if self.sale else None
        if event.kind == events.PULL_APPLIED:
            touched = not event["accounts"] or shown in event["accounts"]
        else:
            touched = event.get("account_no") == shown
        if shown and touched:
            self._reload_shown(quiet=event.kind in (events.PAYMENT_TAKEN, events.REVERSAL))
        if self.last_query and self.results.rowCount() and event.kind != events.ACCOUNT_REFRESHED:
            query, length = self.last_query, self.ctx.settings.hall.account_number_length
            Op(self, lambda: self._search(query, length)) \
                .success(lambda r: self._show_results(r, refreshing=True)).run_in_background()

    def _reload_shown(self, quiet: bool = False) -> None:
        """Read the shown account again; ``quiet``: the change is this counter's own (no "dues changed" alarm)."""
        number = self.sale.account_no
        Op(self, lambda: self._local_quote(number)).success(lambda q: self._reloaded(q, quiet)) \
            .failure(lambda e: self.message.error(describe(e))).run_in_background()

    def _reloaded(self, q: AccountQuote, quiet: bool = False) -> None:
        sale = self.sale
        if sale is None or sale.account_no != q.account_no or self.opening:
            return  # the cashier moved on
        if sale.state is SaleState.COMMITTING:
            self._reload_after_commit = True
            return
        if sale.state is SaleState.PAID:
            self._start_sale(q, after_payment=True)  # the account as it stands after the payment (keeps the change shown)
            return
        if q == sale.quote:
            return
        if q.total_due_fen == sale.quote.total_due_fen and q.bills == sale.quote.bills:
            # The same money (a new version, a new phone): the sale goes on as typed — its waiver, its
            # amount, its tenders and its payment id — on the newer quote.
            sale.quote = q
            self._show_account(q)
            return
        before = sale.quote.total_due_fen
        self._start_sale(q)  # the money changed: what was typed or approved was for other dues
        if not quiet:
            self.change_label.setText(format_fen(0))
            self.message.error(translate("sale.stale", before=format_fen(before), now=format_fen(q.total_due_fen)))

    # --- paying ------------------------------------------------------------------------
    def _choose_tender(self, index: int) -> None:
        self.tender_kind.setCurrentIndex(index)
        if self.tender_kind.currentData() == "cash":
            self.tendered.setFocus()
            self.tendered.selectAll()
        else:
            self.reference.setFocus()  # the amount is filled in: what is missing is the POS slip's number

    def _remaining(self) -> int | None:
        if self.sale is None:
            return None
        self._read_amount(quiet=True)
        return self.sale.remaining_fen() if self.sale.amount_fen is not None else None

    def _read_amount(self, quiet: bool = False) -> bool:
        """Hand 本次金额 to the sale; False (with the error at the field) when it is not an amount."""
        try:
            self.sale.set_amount(self.amount.text())
        except CashierError as exc:
            if not quiet:
                self._field_error(self.amount, str(exc))
            return False
        return True

    def _tender_changed(self) -> None:
        cash = self.tender_kind.currentData() == "cash"
        self.reference.setEnabled(not cash)
        if not cash:
            remaining = self._remaining()
            if remaining and remaining > 0:
                self.tendered.setText(format_fen(remaining, symbol=False, grouping=False))
        else:
            self.reference.clear()
        self._update_change()

    def _current_line(self) -> payments.TenderLine | None:
        """The tender being typed; raises CashierError on a bad amount, None when nothing is typed."""
        return self.sale.tender(self.tender_kind.currentData(), self.tendered.text(), self.reference.text())

    def _show_lines(self) -> None:
        lines = self.sale.lines if self.sale else []
        self.lines_label.setText(" + ".join(f"{tender_label(x.kind)} {format_fen(x.amount_fen)}" for x in lines))

    def _update_change(self) -> None:
        if self._filling or self.sale is None:
            return
        try:
            self.sale.set_amount(self.amount.text())
            current = self._current_line()
        except CashierError:
            self.change_label.setText(format_fen(0))
            self._feed_tendered(None)
            return
        totals = self.sale.totals(current)
        self.change_label.setText(format_fen(totals.change_fen))
        self._feed_tendered(totals)

    def _feed_tendered(self, totals) -> None:
        """What the customer handed over, for the customer's side (nothing while the amount is not valid): cash
        typed, and tenders kept with Ctrl+Enter; a card or scan amount filled in is not received until it is paid."""
        if self.sale is None or self.sale.state is not SaleState.OPEN:
            return
        if totals is None:
            self.customer.feed.tendered(0, 0)
            return
        cash_now = self.tender_kind.currentData() == "cash"
        cash = cash_now or any(x.kind == "cash" for x in self.sale.lines)
        self.customer.feed.tendered(totals.tendered_fen if cash_now else totals.kept_fen,
                                    totals.change_fen if cash_now else 0, cash)

    def _field_error(self, field: QWidget, text: str) -> None:
        """The error right under the fields, the field itself outlined; both go when it is edited."""
        self.message.error(text)
        field.setStyleSheet(ERROR_FIELD)
        field.setFocus()
        if isinstance(field, QLineEdit):
            field.selectAll()

    def _field_ok(self, field: QWidget) -> None:
        if field.styleSheet():
            field.setStyleSheet("")
            if self.message.styleSheet() and "c0392b" in self.message.styleSheet():
                self.message.clear()

    def add_tender(self) -> None:
        """Ctrl+Enter: keep this tender and take another (a card for part, cash for the rest)."""
        if self.sale is None or self.busy:
            return
        try:
            if not self._read_amount():
                return
            line = self._current_line()
            if line is None:
                return
            self.sale.keep(line)
        except CashierError as exc:
            field = self.reference if getattr(exc, "key", "") == "payment.reference_required" else self.tendered
            self._field_error(field, str(exc))
            return
        self._show_lines()
        self._filling = True
        self.reference.clear()
        self.tendered.clear()
        self.tender_kind.setCurrentIndex(0)
        self._filling = False
        remaining = self._remaining()
        if remaining and remaining > 0:
            self.tendered.setText(format_fen(remaining, symbol=False, grouping=False))
            self.tendered.selectAll()
        self.tendered.setFocus()

    def scan_key(self) -> None:
        """F1 扫码: the cursor in 参考号, ready for the customer's payment code (the scanner types it + Enter)."""
        if self.sale is None:
            self.message.error(self.tr("请先查询客户"))
            self.search_box.setFocus()
            return
        self.tender_kind.setCurrentIndex(next(i for i, (k, _) in enumerate(self.tender_keys()) if k == "wechat"))
        self.reference.clear()
        self.reference.setFocus()
        self.message.ok(self.tr("请扫描顾客的付款码"))

    def take_payment(self) -> None:
        """Enter in 实收 or 参考号: check the whole sale in the core, ask when a guard says so, then commit."""
        if self.busy or self.shift_check is not None:
            return  # a second Enter while the first is being committed (or its shift read)
        if any(self.scan.entered(field) for field in (self.tendered, self.reference, self.amount)):
            return  # a scanned payment code: charged through the provider (ui/scan_pay.py)
        if self.sale is None or self.opening:
            self.message.error(self.tr("请先查询客户") if self.opening is None else self.tr("正在读取客户，请稍候"))
            self.search_box.setFocus()
            return
        if self.sale.state is SaleState.PAID:
            return  # the Enter after the one that paid
        if not self._read_amount():
            return
        try:
            asked = self.sale.checkout(self._current_line())
        except CashierError as exc:
            key = getattr(exc, "key", "")
            field = (self.reference if key == "payment.reference_required"
                     else self.amount if key in ("sale.amount_required", "payment.below_penalty") else self.tendered)
            self._field_error(field, str(exc))
            return
        if isinstance(asked, Confirm):
            self._check_shift_then_ask(asked)
            return
        self._commit(asked)

    def _check_shift_then_ask(self, asked: Confirm) -> None:
        """A payment that cannot be taken (no open shift, or another cashier's) is said at once, before any
        confirmation is asked for it: the shift is read in the background, then the dialog opens."""
        from cashier.shifts import open_shift_row

        t, actor, sale = self.ctx.terminal, self.ctx.actor, self.sale
        self.shift_check = sale

        def check() -> None:
            with t.store.read() as s:
                open_shift_row(s, t, actor)

        def checked() -> None:
            if self.sale is sale and sale.state is SaleState.OPEN:
                self._ask(asked)

        def refused(exc: BaseException) -> None:
            if self.sale is sale:
                self._field_error(self.tendered, describe(exc))

        def done() -> None:
            if self.shift_check is sale:
                self.shift_check = None

        Op(self, check).success(lambda _r: checked()).failure(refused).always(done).run_in_background()

    def _ask(self, asked: Confirm) -> None:
        from ui.sale_confirm import SaleConfirmDialog

        dialog = SaleConfirmDialog(self, asked)
        self.confirm_dialog = dialog
        sale = self.sale

        def answered(code: int) -> None:
            self.confirm_dialog = None
            if code == SaleConfirmDialog.DialogCode.Accepted and self.sale is sale and sale.state is SaleState.OPEN:
                sale.confirm(asked)
                self.take_payment()
            else:
                self.message.ok(self.tr("已返回，请修改金额"))
                self.tendered.setFocus()
                self.tendered.selectAll()

        dialog.finished.connect(answered)
        dialog.open()

    def _commit(self, ready: Checkout) -> None:
        t, actor, sale = self.ctx.terminal, self.ctx.actor, self.sale
        sale.committing()
        self.committing = sale
        self.pay_button.setEnabled(False)
        self._reload_after_commit = False
        approved = self.reference_approval[1] if self.reference_approval and self.reference_approval[0] is sale else None
        Op(self, lambda: payments.take_payment(t, actor, ready.account_no, ready.amount_fen, list(ready.tenders),
                                               payment_id=ready.payment_id, expected_due_fen=ready.expected_due_fen,
                                               waiver_fen=ready.waiver_fen, waiver_approval_id=ready.waiver_approval_id,
                                               reference_approval_id=approved)) \
            .success(lambda result: self._paid(sale, result)) \
            .failure(lambda exc: self._payment_failed(sale, exc)) \
            .always(lambda: self.pay_button.setEnabled(True)).run_in_background()

    def _approve_exposure(self, why: str) -> None:
        from ui.authorize import ExposureDialog

        dialog = ExposureDialog(self, self.ctx, why)
        dialog.accepted.connect(self.take_payment)  # the same sale, the same payment id: still paid once
        dialog.open()

    def _approve_typed_reference(self, sale: Sale) -> None:
        """A WeChat/Alipay reference typed, not scanned (offline): a supervisor approves, it is reconciled later."""
        from ui.authorize import TypedReferenceDialog

        typed = payments.typed_scan_references(list(sale.lines) + ([self._current_line()] if self.tendered.text() else []))
        dialog = TypedReferenceDialog(self, self.ctx, sale.account_no, typed)

        def approved() -> None:
            self.reference_approval = (sale, dialog.approval_id)
            self.take_payment()

        dialog.accepted.connect(approved)
        dialog.open()

    def _payment_failed(self, sale: Sale, exc: BaseException) -> None:
        sale.failed()
        self.committing = None
        self.message.error(describe(exc))
        if self.sale is sale:  # not paid: the customer's side shows what is owed again (as after a cancel)
            self.customer.feed.back_to_due()
        if isinstance(exc, CashierError) and exc.key == "sync.exposure_exceeded":
            self._approve_exposure(str(exc))
            return
        if isinstance(exc, CashierError) and exc.key == "auth.approval_required" \
                and exc.params.get("action") == "typed_reference" and self.sale is sale:
            self._approve_typed_reference(sale)
            return
        if isinstance(exc, CashierError) and exc.key == "payment.quote_changed" and self.sale is sale:
            self._reload_shown()
        elif self._reload_after_commit and self.sale is sale:
            self._reload_shown()

    def _paid(self, sale: Sale, result: payments.PaymentResult, headline: str | None = None) -> None:
        """``headline``: what the message line says first instead of 收费成功…找零 (a scan payment's own words)."""
        sale.paid(result)
        self.committing = None
        self._feed_paid(sale, result)
        self.last_payment = result.payment_id
        text = headline or self.tr("收费成功 {amount}，找零 {change}").format(amount=format_fen(result.amount_fen),
                                                                          change=format_fen(result.change_fen))
        if result.prepaid_credit_fen:
            text += self.tr("；存入预存 {amount}").format(amount=format_fen(result.prepaid_credit_fen))
        if result.reconnect_requested:
            text += self.tr("；已提交复电申请")
        self.message.ok(text)
        self.change_label.setText(format_fen(result.change_fen))
        if self.sale is sale:
            self._filling = True
            for field in (self.amount, self.tendered, self.reference):
                field.clear()
            self._filling = False
            self.lines_label.clear()
            if self._reload_after_commit:  # the payment's own event came while it was being saved
                self._reload_after_commit = False
                self._reload_shown()
        self.ctx.wake_sync()
        self._print(result.kind, result.payment_id)
        if self.sale is sale:  # the cashier has not moved on meanwhile: ready for the next customer
            self.search_box.clear()
            self.search_box.setFocus()

    def _feed_paid(self, sale: Sale, result: payments.PaymentResult) -> None:
        """The customer's side shows the payment (received, change, balance, the receipt's QR) while the counter
        still shows this customer; once the cashier moved on, the next customer's view is not disturbed."""
        if self.sale is not sale:
            return
        from receipts.builders import qr_payload, receipt_number

        terminal_id = self.ctx.hall.terminal_id
        self.customer.feed.paid(result, qr_payload(terminal_id, result.kind, result.payment_id, result.seq,
                                                   result.amount_fen),
                                receipt_number(terminal_id, result.seq))
        if result.kind == "payment":
            self.customer.ask_rating(result.payment_id)  # 服务评价, when [evaluation] is on

    def toggle_elderly(self) -> None:
        """Ctrl+G 关爱模式: the customer display larger, the spoken prompts slower and said twice."""
        on = not self.customer.feed.elderly
        self.customer.feed.set_elderly(on)
        self.message.ok(self.tr("关爱模式已开启：客户显示大字，语音放慢并重复") if on else self.tr("关爱模式已关闭"))

    def _print(self, kind: str, entity_id: str) -> None:
        ctx, printing = self.ctx, self.status.printing
        printing.add(entity_id)
        Op(self, lambda: print_receipt(ctx.terminal, ctx.render, kind, entity_id)) \
            .success(self._printed).failure(lambda e: self.status.printer_state(describe(e), ok=False)) \
            .always(lambda: (printing.discard(entity_id), self.status.refresh())).run_in_background()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.status.printer_state(outcome.message, ok=outcome.printed)
        if outcome.saved is not None:
            self.last_saved_receipt = outcome.saved
        if outcome.preview is not None:
            # The preview printer's paper comes out without taking the keyboard from the counter: the next
            # customer's number, F12 or Ctrl+P work at once; the sheet goes when the cashier moves on.
            self._close_preview()
            self.preview = ReceiptPreview(self, outcome.preview)
            self.preview.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self.preview.show()
            self.activateWindow()
            QTimer.singleShot(0, self.search_box.setFocus)

    def _close_preview(self) -> None:
        preview, self.preview = getattr(self, "preview", None), None
        if preview is not None:
            try:
                preview.close()
            except RuntimeError:  # already deleted
                pass

    def reprint_last(self) -> None:
        if not self.last_payment:
            return
        from cashier.printing import reprint

        ctx, pid = self.ctx, self.last_payment
        Op(self, lambda: reprint(ctx.terminal, ctx.actor, ctx.render, pid)) \
            .success(self._printed).failure(lambda e: self.message.error(describe(e))).run_in_background()

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self.ctx)
        dialog.accepted.connect(lambda: self.message.ok(self.tr("设置已保存")))
        dialog.finished.connect(lambda _r: self._workspace_closed())  # the keyboard back to the search box
        dialog.open()

    def change_password(self) -> None:
        """Ctrl+Shift+P: whoever is signed in changes their own password."""
        from ui.password import ChangePasswordDialog

        if self.ctx.actor is None:
            return
        dialog = ChangePasswordDialog(self, self.ctx)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.message.ok(translate("auth.password_changed")))
        dialog.finished.connect(lambda _r: self._workspace_closed())  # the keyboard back to the search box
        self.password_dialog = dialog
        dialog.open()

    def open_supervisor(self) -> None:
        """Ctrl+M 班长工作台: for a supervisor signed in at this counter (Ctrl+Shift+L hands the counter over);
        a technician's has the staff tab (人员) alone."""
        from cashier.auth import can
        from ui.supervisor import SupervisorWindow

        if not (can(self.ctx.actor, "report.view") or can(self.ctx.actor, "users.manage")):
            self.message.error(self.tr("班长工作台需要班长登录：按 Ctrl+Shift+L 换班长登录（班次保持不变）"))
            return
        window = getattr(self, "supervisor_window", None)
        try:
            if window is not None and window.isVisible():
                window.raise_()
                window.activateWindow()
                return
        except RuntimeError:  # closed and deleted
            pass
        self.supervisor_window = SupervisorWindow(self.ctx)
        self.supervisor_window.closed.connect(self._workspace_closed)
        self.supervisor_window.show()
        self.supervisor_window.activateWindow()  # its Alt+1…6 must not go to the counter's search box

    def _workspace_closed(self) -> None:
        """A window or dialog opened from the counter closed: the counter takes the keyboard back."""
        self.activateWindow()
        self.search_box.setFocus()

    def reprint_queue(self) -> None:
        from ui.reprint_queue import ReprintQueueDialog

        dialog = ReprintQueueDialog(self, self.ctx, self._printed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its event listener goes with it
        dialog.open()

    def lock_now(self) -> None:
        """Ctrl+L: lock every window of the program now (the cashier steps away)."""
        session = getattr(self.ctx, "session", None)
        if session is not None and hasattr(session, "lock_now"):
            session.lock_now()
        else:
            self.idle.lock()

    def sign_out(self) -> None:
        """Ctrl+Shift+L 签退/换人: the login screen comes back; the open shift stays open."""
        if self.busy:
            self.message.error(translate("sale.committing"))
            return
        session = getattr(self.ctx, "session", None)
        if session is None:
            self.message.error(self.tr("此窗口不支持签退"))
            return
        self.cancel()
        session.sign_out()

    def cancel(self) -> None:
        """Esc: nobody at the counter (a payment being saved still finishes); while a scan payment waits for the
        customer, Esc cancels it."""
        if self.scan.active:
            self.scan.cancel()
            return
        if self.busy:
            return
        lapsed = self._unused_waiver()
        self.clear_panel()
        self._close_preview()
        self.search_box.clear()
        self.results.setRowCount(0)
        self.last_query = None
        self.message.clear() if not lapsed else self.message.error(lapsed)
        self.search_message.clear()
        self.search_box.setFocus()
        if self.door:
            self._show_assigned()

    def waive(self) -> None:
        """Ctrl+J 减免: a supervisor approves waiving (part of) the penalty for this customer."""
        if self.sale is None or not self.sale.quote.penalty_fen or self.sale.state is not SaleState.OPEN:
            self.message.error(self.tr("该户没有违约金可减免"))
            return
        from ui.authorize import WaiverDialog

        sale = self.sale
        dialog = WaiverDialog(self, self.ctx, sale.account_no, sale.quote.penalty_fen)
        dialog.accepted.connect(lambda: self._waived(sale, dialog))
        dialog.open()

    def _waived(self, sale: Sale, dialog) -> None:
        if self.sale is not sale:
            return
        try:
            sale.waive(dialog.waiver_fen, dialog.approval_id)
        except CashierError as exc:
            self.message.error(str(exc))
            return
        self.amount.setText(format_fen(sale.due_fen, symbol=False, grouping=False))
        self._show_due(sale)
        self.customer.feed.selected(sale.quote, sale.due_fen, sale.waiver_fen)
        self.message.ok(self.tr("已授权减免违约金 {amount}，应缴 {due}").format(
            amount=format_fen(dialog.waiver_fen), due=format_fen(sale.due_fen)))
        self.tendered.setFocus()

    def reverse(self) -> None:
        from ui.reversal import ReversalDialog

        ReversalDialog(self, self.ctx, self._reversed).open()

    def _reversed(self, result: payments.PaymentResult) -> None:
        refund = " + ".join(f"{tender_label(x.kind)} {format_fen(x.amount_fen)}" for x in result.tenders)
        self.message.ok(self.tr("已冲正，退款 {amount}（{how}）").format(amount=format_fen(result.tendered_fen),
                                                                  how=refund))
        self.ctx.wake_sync()
        self._print(result.kind, result.payment_id)

    # --- 走收 (door-to-door) -----------------------------------------------------------
    def load_assigned(self) -> None:
        from cashier.door_to_door import assigned_customers

        t, collector = self.ctx.terminal, self.door

        def work():
            with t.store.read() as s:
                return assigned_customers(s, collector, t.clock.business_date(), t.penalty_policy(s).policy,
                                          t.account_number_length)

        Op(self, work).success(self._assigned_loaded).failure(lambda e: self.message.error(describe(e))) \
            .run_in_background()

    def _assigned_loaded(self, customers: list) -> None:
        self.assigned = {c.account_no: c for c in customers}
        self._show_assigned()
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
            .failure(lambda e: self.message.error(describe(e))).run_in_background()

    def _synced(self, done) -> None:
        self.message.ok(done.describe())
        if self.door:
            self.load_assigned()

    # --- shifts ------------------------------------------------------------------------
    def open_shift(self) -> None:
        from ui.shift_dialogs import OpenShiftDialog

        OpenShiftDialog(self, self.ctx, self._shift_opened).open()

    def _shift_opened(self) -> None:
        """F2 opened the shift: "no open shift" and the like no longer hold; say it is open instead."""
        for field in (self.amount, self.tendered, self.reference):
            self._field_ok(field)
        self.message.ok(self.tr("已开班，可以收费"))

    def move_cash(self) -> None:
        from ui.cash_dialog import CashMovementDialog

        CashMovementDialog(self, self.ctx, self._cash_moved).open()

    def _cash_moved(self, movement_id: str) -> None:
        self.message.ok(self.tr("现金存取已登记"))
        self._print("cash_movement", movement_id)

    def close_shift(self) -> None:
        from ui.shift_dialogs import CloseShiftDialog

        CloseShiftDialog(self, self.ctx, lambda: None).open()
