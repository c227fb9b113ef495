"""Scan-to-pay at the counter (issue 18), real widgets and keys: a scanned code is never taken for an amount,
it never stays on screen, and without an upstream scan-to-pay is refused in words while a typed WeChat
reference asks a supervisor. With a real upstream and its simulator: tests/upstream/test_scan_e2e.py."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from cashier.money import format_fen
from cashier.store.models import OutboxEntry, Payment, ScanIntent
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.authorize import TypedReferenceDialog
from ui.counter import CounterWindow

WECHAT_PAID = "134567890123456780"


def count(ctx, model) -> int:
    with ctx.store.read() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def window(qtbot, with_shift):
    w = CounterWindow(with_shift)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    settle(qtbot)
    return w


def open_customer(qtbot, w, number="3101000001"):
    w.search_box.setFocus()
    w.search_box.insert(number)
    qtbot.keyClick(w.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: w.sale is not None, timeout=5000)
    settle(qtbot)


def test_a_scanned_code_is_not_an_amount_and_leaves_the_field_as_it_was(qtbot, window):
    open_customer(qtbot, window)
    window.tendered.setFocus()
    window.tendered.setText("300")
    window.tendered.end(False)
    qtbot.keyClicks(window.tendered, WECHAT_PAID)  # the scanner appends its digits, fast
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.tendered.text() == "300"  # the code never stays on screen
    assert "未注册" in window.message.text()  # this counter has no upstream: refused in words
    assert count(window.ctx, Payment) == 0 and count(window.ctx, ScanIntent) == 0
    # typed by a person, the same field is an amount as always
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert count(window.ctx, Payment) == 1


def test_f1_waits_for_a_code_and_a_pasted_code_is_one_too(qtbot, window):
    open_customer(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.reference.hasFocus() and window.tender_kind.currentData() == "wechat"
    window.reference.setText("2812345678901234")  # pasted at once: not a burst, still a code
    qtbot.keyClick(window.reference, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.reference.text() == "" and "未注册" in window.message.text()


def test_a_code_of_nobody_is_refused_naming_it_masked(qtbot, window):
    open_customer(qtbot, window)
    window.tendered.setFocus()
    window.tendered.selectAll()
    qtbot.keyClicks(window.tendered, "9912345678901234567")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "9912***********4567" in window.message.text() and "9912345678901234567" not in window.message.text()


def test_a_typed_wechat_reference_asks_a_supervisor_and_goes_up_to_be_reconciled(qtbot, window):
    window.ctx.terminal.scan_to_pay = True  # an upstream is configured: references are scanned, not typed
    open_customer(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F7)
    window.reference.setText("WX20260302001")
    qtbot.keyClick(window.reference, Qt.Key.Key_Return)
    settle(qtbot)
    dialog = next(d for d in QApplication.topLevelWidgets() if isinstance(d, TypedReferenceDialog) and d.isVisible())
    dialog.reason.setText("上级系统断网")
    dialog.supervisor.setText("super1")
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: count(window.ctx, Payment) == 1, timeout=5000)
    with window.ctx.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload)))
    assert body["approval"]["reason"] == "手工填写交易号（未扫码），待对账：上级系统断网"
    assert body["tenders"][0]["reference"] == "WX20260302001" and "scan_intent_id" not in body


# --- with a real upstream and its payment simulator --------------------------------------------------------

@pytest.fixture
def scan_window(qtbot, tmp_path):
    from cashier.settings import Paths, Settings
    from receipts.builders import Hall
    from receipts.printing import Printer
    from tests.helpers.scan_hall import FAST, start_scan_hall
    from ui.context import AppContext

    sh = start_scan_hall(tmp_path)
    settings = Settings()
    settings.customer_display.mode = "window"  # the customer's side follows the scan too
    ctx = AppContext(Paths.resolve(tmp_path), settings, sh.hall.store, sh.terminal,
                     Printer(settings.printer, tmp_path / "previews"), Hall(settings.hall.name, "T01", "1号窗口"))
    ctx.syncer, ctx.actor = sh.syncer, sh.hall.cashier
    w = CounterWindow(ctx)
    w.scan.timings = type(FAST)(first_poll=0.05, poll=0.1, wait=60, give_up=5)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    settle(qtbot)
    w.scan_hall = sh
    yield w
    w.close()
    sh.client.close()
    sh.up.stop()


def scan(qtbot, w, the_code):
    w.tendered.setFocus()
    w.tendered.selectAll()
    qtbot.keyClicks(w.tendered, the_code)
    qtbot.keyClick(w.tendered, Qt.Key.Key_Return)


def test_a_scanned_code_pays_and_the_receipt_prints(qtbot, scan_window):
    from tests.helpers.scan_hall import code

    w = scan_window
    open_customer(qtbot, w)
    scan(qtbot, w, code("wechat", 0))
    qtbot.waitUntil(lambda: "扫码收款成功" in w.message.text(), timeout=10000)
    settle(qtbot)
    assert count(w.ctx, Payment) == 1 and not w.scan.overlay.isVisible() and w.change_label.text() == "￥0.00"
    with w.ctx.store.read() as s:
        intent_id, status = s.execute(select(ScanIntent.id, ScanIntent.status)).one()
    assert status == "paid" and w.scan_hall.charges_of(intent_id) == 1
    assert w.search_box.hasFocus()  # ready for the next customer


def test_a_declined_code_says_why_and_the_sale_stays_open(qtbot, scan_window):
    from tests.helpers.scan_hall import code

    w = scan_window
    open_customer(qtbot, w)
    scan(qtbot, w, code("alipay", 8))
    qtbot.waitUntil(lambda: "顾客余额不足" in w.message.text(), timeout=10000)
    settle(qtbot)
    assert count(w.ctx, Payment) == 0 and not w.scan.overlay.isVisible() and not w.busy
    # the customer pays cash instead: the same sale, one payment
    qtbot.keyClick(w, Qt.Key.Key_F5)
    w.tendered.setText("100000")
    qtbot.keyClick(w.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    from ui.sale_confirm import SaleConfirmDialog

    confirm = next((d for d in QApplication.topLevelWidgets() if isinstance(d, SaleConfirmDialog) and d.isVisible()), None)
    if confirm is not None:
        qtbot.keyClick(confirm, Qt.Key.Key_Y)
        settle(qtbot)
    qtbot.waitUntil(lambda: count(w.ctx, Payment) == 1, timeout=5000)


def test_esc_cancels_while_the_customer_types_the_password(qtbot, scan_window):
    from tests.helpers.scan_hall import code

    w = scan_window
    open_customer(qtbot, w)
    scan(qtbot, w, code("wechat", 7))
    qtbot.waitUntil(lambda: w.scan.overlay.isVisible() and "请顾客输入密码" in w.scan.overlay.title.text(),
                    timeout=10000)
    assert "1300*" in w.scan.overlay.detail.text()  # the code, masked
    from cashier.customer_side import Stage

    assert w.customer.feed.view.stage == Stage.PASSWORD  # the customer's side asks for the password too
    qtbot.keyClick(w.tendered, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "扫码收款已撤销" in w.message.text(), timeout=10000)
    settle(qtbot)
    assert count(w.ctx, Payment) == 0 and not w.scan.overlay.isVisible() and w.sale is not None
    assert w.customer.feed.view.stage != Stage.PASSWORD
    with w.ctx.store.read() as s:
        intent_id, status = s.execute(select(ScanIntent.id, ScanIntent.status)).one()
    assert status == "cancelled" and w.scan_hall.charges_of(intent_id) == 0


# --- what the customer sees during a scan payment, and the counter's one message ----------------------------

def shown(label) -> str:
    return label.text() if label.isVisibleTo(label.window()) else ""


def test_a_declined_scan_puts_the_amount_due_back_on_the_customer_display(qtbot, scan_window):
    from cashier.customer_side import Stage
    from tests.helpers.scan_hall import code

    w = scan_window
    display = w.customer.display
    open_customer(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_F1)  # what the new user did: F1, then the customer's code …
    qtbot.keyClicks(w.reference, code("alipay", 8))
    qtbot.keyClick(w.reference, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "顾客余额不足" in w.message.text(), timeout=10000)  # … declined
    settle(qtbot)
    assert w.customer.feed.view.stage is Stage.SELECTED  # exactly as after a cancel
    assert shown(display.received) == "" and shown(display.change) == ""
    assert display.due_caption.text() == "应缴金额" and display.due.text() == format_fen(w.sale.due_fen)
    # cash typed, then a scan that is declined: the cash typed is not what was received either
    w.tendered.setFocus()
    w.tendered.setText("300")
    assert shown(display.received).endswith("￥300.00")
    w.tendered.end(False)
    qtbot.keyClicks(w.tendered, code("wechat", 8, 1))
    qtbot.keyClick(w.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not w.busy and "余额不足" in w.message.text(), timeout=10000)
    settle(qtbot)
    assert w.customer.feed.view.stage is Stage.SELECTED
    assert shown(display.received) == "" and shown(display.change) == ""


def test_f1_and_the_password_wait_show_no_money_received_and_ask_the_customer(qtbot, scan_window):
    from tests.helpers.scan_hall import code

    w = scan_window
    display = w.customer.display
    open_customer(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_F1)  # WeChat chosen, the amount filled in: nothing is received yet
    due = format_fen(w.sale.due_fen)
    assert w.tendered.text() == format_fen(w.sale.due_fen, symbol=False, grouping=False)
    assert shown(display.received) == "" and shown(display.change) == ""
    qtbot.keyClicks(w.reference, code("wechat", 7))
    qtbot.keyClick(w.reference, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "请顾客输入密码" in w.scan.overlay.title.text(), timeout=10000)
    assert shown(display.prompt) == "请输入支付密码"
    assert display.prompt.font().pointSizeF() > display.due_caption.font().pointSizeF()  # prominent
    assert shown(display.received) == "" and shown(display.change) == ""
    assert display.due.text() == due
    qtbot.keyClick(w.reference, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "扫码收款已撤销" in w.message.text(), timeout=10000)
    settle(qtbot)
    assert shown(display.prompt) == "" and shown(display.received) == ""


def test_a_paid_scan_says_so_once_and_shows_received_without_change(qtbot, scan_window):
    from tests.helpers.scan_hall import code

    w = scan_window
    display = w.customer.display
    open_customer(qtbot, w)
    due = format_fen(w.sale.due_fen)
    qtbot.keyClick(w, Qt.Key.Key_F1)
    qtbot.keyClicks(w.reference, code("wechat", 0))
    qtbot.keyClick(w.reference, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: count(w.ctx, Payment) == 1 and not w.busy, timeout=10000)
    settle(qtbot)
    assert w.message.text() == f"微信支付扫码收款成功 {due}"  # one message: who took it, how much
    assert shown(display.received).endswith(due) and shown(display.change) == ""
    assert display.due_caption.text() == "本次交费"
