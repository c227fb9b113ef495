"""The counter screen driven by keyboard like a cashier does it, on real widgets and a real store."""

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from cashier.store.models import Payment
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.login import LoginDialog


def test_login_by_keyboard_and_a_wrong_password(qtbot, ctx):
    ctx.demo_users = [("c1", "李娜", PASSWORD)]
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    from PySide6.QtWidgets import QLabel

    assert "c1" in dialog.findChild(QLabel, "demo_users").text()
    qtbot.keyClicks(dialog.username, "c1")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "用户名或密码错误" in dialog.message.text() and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert ctx.actor.username == "c1"


def test_scanner_digits_then_cash_payment_with_change_and_receipt(qtbot, with_shift):
    ctx = with_shift
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    window.bills.setFocus()  # the focus is somewhere else; the scanner types anyway
    for ch in "3101000001":  # keys go wherever the focus is, as a scanner's do
        qtbot.keyClick(window.focusWidget(), ch)
    assert window.search_box.text() == "3101000001"
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.account_label.text().startswith("3101000001")
    assert window.due_label.text().endswith("￥292.54") and window.bills.rowCount() == 2
    assert window.focusWidget() is window.tendered
    window.tendered.insert("３００")  # full-width digits, pasted (QTest types Latin-1 only)
    assert window.change_label.text() == "￥7.46"
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)  # a nervous double Enter
    settle(qtbot)
    assert "收费成功 ￥292.54，找零 ￥7.46" in window.message.text()
    with ctx.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
    qtbot.waitUntil(lambda: getattr(window, "preview", None) is not None, timeout=10000)
    assert window.preview.isVisible()
    settle(qtbot)
    assert "待上传 1 笔" in window.status.online.text()
    assert window.focusWidget() is window.search_box


def test_partial_payment_below_the_penalty_is_refused_clearly(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search_box, "3101000001")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    window.amount.setText("4.00")
    qtbot.keyClicks(window.tendered, "4")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "不足以支付" in window.message.text() and "违约金 ￥4.21" in window.message.text()


def test_letters_in_the_amount_are_refused_without_paying(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search_box, "3101000004")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.keyClicks(window.tendered, "abc")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "金额格式不正确" in window.message.text()
    with with_shift.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0


def test_card_payment_needs_its_reference_and_f6_chooses_the_card(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search_box, "3101000004")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.keyClick(window.tendered, Qt.Key.Key_F6)
    assert window.tender_kind.currentData() == "bank_card"
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    assert "交易参考号" in window.message.text()
    qtbot.keyClicks(window.reference, "POS-000778")
    qtbot.keyClick(window.reference, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功" in window.message.text()


def test_esc_clears_the_customer(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    window.search_box.insert("王芳")  # typed with an input method (QTest types Latin-1 only)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.quote is not None
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.quote is None and window.search_box.text() == "" and window.bills.rowCount() == 0


def test_multi_tender_card_then_cash_with_change_from_cash(qtbot, with_shift):
    ctx = with_shift
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClicks(window.search_box, "3101000001")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)  # ￥292.54 due
    qtbot.keyClick(window.tendered, Qt.Key.Key_F6)  # bank card for ￥200
    window.tendered.selectAll()
    qtbot.keyClicks(window.tendered, "200")
    qtbot.keyClicks(window.reference, "POS-000991")
    qtbot.keyClick(window.reference, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.lines_label.text() == "银行卡 ￥200.00"
    assert window.tender_kind.currentData() == "cash" and window.tendered.text() == "92.54"
    window.tendered.selectAll()
    qtbot.keyClicks(window.tendered, "100")
    assert window.change_label.text() == "￥7.46"
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功 ￥292.54，找零 ￥7.46" in window.message.text()
    from cashier.store.models import Tender

    with ctx.store.read() as s:
        assert sorted((t.kind, t.amount_fen, t.reference) for t in s.query(Tender)) == [
            ("bank_card", 20000, "POS-000991"), ("cash", 10000, None)]


def test_login_window_comes_first_and_signing_in_waits_for_the_store(qtbot, ctx):
    dialog = LoginDialog(hall_name="城关供电营业厅", terminal="1号窗口 T01", demo_users=[("c1", "李娜", PASSWORD)])
    qtbot.addWidget(dialog)
    dialog.show()
    assert "正在打开数据库" in dialog.message.text()
    qtbot.keyClicks(dialog.username, "c1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # early: remembered, nothing breaks
    settle(qtbot)
    assert ctx.actor is None and dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.set_context(ctx)  # the store is open: the Enter already pressed signs in
    settle(qtbot)
    assert ctx.actor.username == "c1"


def test_closing_the_window_mid_payment_loses_nothing_and_pays_once(qtbot, with_shift):
    window = CounterWindow(with_shift)  # not handed to qtbot: this test deletes it itself
    window.show()
    qtbot.keyClicks(window.search_box, "3101000001")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.keyClicks(window.tendered, "300")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    window.close()
    window.deleteLater()
    settle(qtbot)
    with with_shift.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1
