"""Scan-to-pay at the counter (扫码收款): the scanner types the customer's payment code and Enter into the
payment panel; the counter hands it to ``cashier.scan_pay`` and shows "请顾客输入密码…" over the panel while the
provider waits, Esc cancelling. Every step (commit the intent, the pay call, each query, the cancel) is one
background operation; between them a timer waits, so the window never blocks.

How a scan is told from typing: F1 (扫码) puts the cursor in 参考号 ready for a code; and wherever the cursor
is in the payment panel, a run of 16 or more digits followed by Enter is a code, never an amount (no amount
the counter takes has that many digits). The code leaves the field at once and is shown masked.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from cashier import scan_pay
from cashier.errors import CashierError, DomainError
from cashier.i18n import translate
from cashier.money import format_fen
from cashier.sale import Sale, SaleState
from ui.ops import Op
from ui.widgets import big

log = logging.getLogger(__name__)
BURST_GAP = 0.1  # seconds: a barcode scanner types far faster than a person
PASSWORD_AFTER_MS = 1000  # a pay call not answered within this: "请顾客输入密码…"


class ScanOverlay(QFrame):
    """Over the payment panel while the provider waits: what is happening, large, and Esc to cancel."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("scan_overlay")
        self.setStyleSheet("#scan_overlay { background: rgba(253, 254, 254, 235); border: 3px solid #2e86c1; }")
        layout = QVBoxLayout(self)
        self.title = big(QLabel(""), 22)
        self.title.setObjectName("scan_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel("")
        self.detail.setObjectName("scan_detail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        self.hide()

    def say(self, title: str, detail: str) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.setGeometry(self.parentWidget().rect())
        self.show()


class ScanAtCounter(QObject):
    """The counter's scan payment in progress (one at a time); ``window`` is the ``CounterWindow``."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.overlay = ScanOverlay(window.pay_box)
        self.flow: scan_pay.ScanFlow | None = None
        self.sale: Sale | None = None
        self.cancel_wanted = False
        self.stepping = 0  # background steps running (a cancel may run beside a pay call that holds)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._step)
        self.timings = scan_pay.ScanTimings()
        self.base = ""
        self.provider_name = ""
        self.asked_password = False
        self.bursts: dict[QWidget, tuple[str, float]] = {}  # field → (its text before a quick run of keys, last key)

    # --- telling a scanner from a person ------------------------------------------------------------
    def key(self, field, text: str) -> None:
        """A key typed into a payment field: digits less than ``BURST_GAP`` apart are one run (a scanner's)."""
        now = time.monotonic()
        if text in ("\r", "\n"):  # the Enter that ends the run: ``entered`` reads it
            return
        if not (text and text.isdigit()):
            self.bursts.pop(field, None)
            return
        run = self.bursts.get(field)
        if run is None or now - run[1] > BURST_GAP:
            before = field.text()
            if field.hasSelectedText():  # the typed digits replace the selection
                at = field.selectionStart()
                before = before[:at] + before[at + len(field.selectedText()):]
            self.bursts[field] = (before, now)
        else:
            self.bursts[field] = (run[0], now)

    def entered(self, field) -> bool:
        """Enter in a payment field: a scanned code (the field's whole text, or the quick run just typed into
        it) starts a scan payment and leaves the field as it was; False when it is ordinary typing."""
        text = field.text()
        run = self.bursts.pop(field, None)
        code = None
        if run is not None and text.startswith(run[0]) and scan_pay.looks_like_scan(text[len(run[0]):]):
            code, rest = text[len(run[0]):].strip(), run[0]
        elif scan_pay.looks_like_scan(text):
            code, rest = text.strip(), ""
        if code is None:
            return False
        field.setText(rest)  # the code never stays on screen
        self.start(code)
        return True

    @property
    def active(self) -> bool:
        return self.flow is not None

    def start(self, code: str) -> None:
        """A code was scanned into the payment panel: charge the rest of this sale's amount through it."""
        w = self.w
        if self.active:
            return
        code = code.strip()
        try:
            provider = scan_pay.classify(code)
        except CashierError as exc:
            w.message.error(str(exc))
            return
        sale = w.sale
        if sale is None or w.opening or sale.state is not SaleState.OPEN or w.busy:
            w.message.error(w.tr("请先查询客户") if sale is None else translate("sale.committing"))
            return
        if w.door:
            w.message.error(translate("scan.door_to_door"))
            return
        syncer = w.ctx.syncer
        if syncer is None:
            w.message.error(translate("scan.not_enrolled"))
            return
        if w.status.is_offline():
            w.message.error(translate("scan.offline"))
            return
        if not w._read_amount():
            return
        remaining = sale.remaining_fen()
        if remaining <= 0:
            w.message.error(w.tr("已收足，无需扫码"))
            return
        scan = scan_pay.ScanSale(sale.account_no, sale.amount_fen, remaining, tuple(sale.lines), sale.payment_id,
                                 sale.waiver_fen, sale.waiver_approval_id, sale.quote.total_due_fen)
        try:
            self.flow = scan_pay.ScanFlow(w.ctx.terminal, syncer.client, w.ctx.actor, scan, code, self.timings)
        except CashierError as exc:
            w.message.error(str(exc))
            return
        self.sale, self.cancel_wanted, self.asked_password = sale, False, False
        sale.committing()
        w.committing = sale
        w.pay_button.setEnabled(False)
        name = translate(f"tender.{scan_pay.TENDER_OF[provider]}") if provider != "unionpay" else w.tr("云闪付")
        self.provider_name = name
        w.customer.feed.back_to_due()  # what was typed is not what the customer pays by this code
        self.base = w.tr("{amount}　付款码 {code}").format(amount=format_fen(remaining), code=scan_pay.mask(code))
        self.overlay.say(w.tr("正在提交 {provider} 付款…").format(provider=name), self.base)
        flow = self.flow
        self._run(flow.start)
        # The upstream holds the pay call while the provider says "user paying": a call not answered at once is
        # the customer typing a password, as far as the cashier needs to know.
        QTimer.singleShot(PASSWORD_AFTER_MS, lambda: self._still_paying(flow))

    def _still_paying(self, flow) -> None:
        if flow is self.flow and flow.outcome is None and not self.cancel_wanted:
            self._password()

    def _password(self) -> None:
        """The customer types the password: said over the panel, and on the customer's side (请输入密码)."""
        self.overlay.say(self.w.tr("请顾客输入密码…"), self.base + "　" + self.w.tr("Esc 撤销"))
        if not self.asked_password:
            self.asked_password = True
            self.w.customer.feed.waiting_for_password()

    def cancel(self) -> None:
        """Esc while the provider waits: cancel the order (answered "cancelled", or paid if it was too late)."""
        if not self.active or self.cancel_wanted:
            return
        self.cancel_wanted = True
        self.overlay.say(translate("scan.cancelling"), self.base)
        if self.flow.intent_id is None:  # not committed yet: the start's answer sends the cancel
            return
        self.timer.stop()
        # At once, even while a pay call holds on "user paying": the upstream stops waiting when asked to cancel.
        self._run(self.flow.cancel)

    def _step(self) -> None:
        flow = self.flow
        if flow is None:
            return
        if self.cancel_wanted and not flow.cancel_sent:
            self._run(flow.cancel)
        else:
            self._run(flow.poll)

    def _run(self, fn) -> None:
        self.stepping += 1
        flow = self.flow
        Op(self.w, fn).success(lambda out: self._answered(flow, out)) \
            .failure(lambda exc: self._failed(flow, exc)).run_in_background()

    def _answered(self, flow, out: scan_pay.ScanOutcome) -> None:
        self.stepping -= 1
        if flow is not self.flow:
            return
        w = self.w
        if out.state == "paid":
            sale = self.sale
            self._end()
            w._paid(sale, out.payment, w.tr("{provider}扫码收款成功 {amount}").format(
                provider=self.provider_name, amount=format_fen(out.payment.amount_fen)))
            return
        if out.final or out.state == "held":
            self._end(failed=True)
            w.message.error(out.describe())
            return
        if flow.over:
            flow.abandon()
            self._end(failed=True, left_open=True)
            w.message.error(translate("scan.left_open"))
            return
        if self.cancel_wanted or flow.cancel_sent:
            self.overlay.say(translate("scan.cancelling"), self.base)
        elif out.provider_status == "user_paying":
            self._password()
        else:
            self.overlay.say(translate("scan.unknown"), self.base)
        if self.stepping:  # the other step's answer schedules the next
            return
        if self.cancel_wanted and not flow.cancel_sent:
            self._run(flow.cancel)
        else:
            self.timer.start(int(flow.next_delay() * 1000))

    def _failed(self, flow, exc: BaseException) -> None:
        self.stepping -= 1
        if flow is not self.flow:
            return
        started = flow.intent_id is not None
        if started and not isinstance(exc, DomainError):  # the store or a bug: the intent stays for the resolver
            log.error("scan intent %s: a step failed: %s", flow.intent_id, exc)
            flow.abandon()
            self._end(failed=True, left_open=True)
            self.w.message.error(translate("scan.left_open"))
            return
        self._end(failed=True)
        self.w.message.error(str(exc) if isinstance(exc, CashierError) else f"{type(exc).__name__}: {exc}")

    def _end(self, failed: bool = False, left_open: bool = False) -> None:
        """The panel back to the cashier: the sale open again unless it was paid."""
        w, sale = self.w, self.sale
        self.timer.stop()
        self.overlay.hide()
        self.flow, self.sale = None, None
        w.committing = None
        w.pay_button.setEnabled(True)
        if failed and sale is not None:
            if left_open:
                # Its money may still come: this sale cannot be paid another way until the resolver knows.
                sale.state = SaleState.COMMITTING
                w.clear_panel()
                w.search_box.setFocus()
            else:
                sale.failed()
                w.customer.feed.back_to_due()  # declined, failed or cancelled: the customer's side shows what is owed
                # Not paid: the cashier chooses the next means; nothing typed stays to be paid by a habitual Enter.
                w._filling = True
                w.tender_kind.setCurrentIndex(0)
                w.tendered.clear()
                w._filling = False
                w.tendered.setFocus()
        w.status.refresh()
