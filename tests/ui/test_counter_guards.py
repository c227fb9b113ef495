"""A busy day at the counter: every shortcut from every field, guards against slips of the hand,
and an account panel that never shows stale money. Real widgets, real store, keys only."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from cashier.money import format_fen
from cashier.store.models import Payment
from tests.helpers.hall import PASSWORD, add_account
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.sale_confirm import SaleConfirmDialog


def payments_count(ctx) -> int:
    with ctx.store.read() as s:
        return s.scalar(select(func.count()).select_from(Payment).where(Payment.kind == "payment"))


@pytest.fixture
def window(qtbot, with_shift):
    add_account(with_shift.store, "3101000009", name="周小川", bills=[("202601", 2689, date(2026, 3, 10))])
    add_account(with_shift.store, "3101000010", name="周小川", address="北关镇幸福路8号")
    w = CounterWindow(with_shift)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    settle(qtbot)
    return w


def search(qtbot, window, text: str) -> None:
    window.search_box.setFocus()
    window.search_box.selectAll()
    window.search_box.insert(text)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)


def confirm_dialog() -> SaleConfirmDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, SaleConfirmDialog) and w.isVisible()), None)


# --- 1. every documented shortcut works from every field -------------------------------------------

def test_every_shortcut_fires_from_every_field_of_the_counter(qtbot, window):
    search(qtbot, window, "3101000001")
    window.tender_kind.setCurrentIndex(1)  # a card: the reference field takes the focus too
    fired: list[str] = []
    for key, shortcut in window.shortcuts.items():
        shortcut.activated.disconnect()  # the routing of the key is under test, not the action
        shortcut.activated.connect(lambda k=key: fired.append(k))
    fields = [window.search_box, window.amount, window.tendered, window.reference, window.results, window.tender_kind]
    from PySide6.QtGui import QKeySequence

    for field in fields:
        field.setFocus()
        assert window.focusWidget() is field
        for key in window.shortcuts:
            combo = QKeySequence(key)[0]
            fired.clear()
            qtbot.keyClick(field, combo.key(), combo.keyboardModifiers())
            assert fired == [key], f"{key} from {field.objectName()}"


def test_ctrl_u_in_the_search_box_syncs_and_keeps_the_typed_text(qtbot, window):
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "31010")
    qtbot.keyClick(window.search_box, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert window.search_box.text() == "31010"  # the line edit's own Ctrl+U (delete line) gave way
    assert "未注册" in window.message.text() or "同步" in window.message.text(), window.message.text()


# --- 2. slips of the hand ------------------------------------------------------------------------

def test_the_enter_that_finished_the_search_and_a_second_one_never_pay(qtbot, window):
    window.search_box.insert("3101000009")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)  # the nervous second Enter
    settle(qtbot)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    settle(qtbot)
    assert window.focusWidget() is window.tendered and window.tendered.text() == ""
    assert "请输入顾客所付金额" in window.message.text()
    assert "border" in window.tendered.styleSheet()  # the field in error is outlined
    assert payments_count(window.ctx) == 0
    qtbot.keyClicks(window.tendered, "30")  # correcting it takes the error away
    assert window.message.text() == "" and window.tendered.styleSheet() == ""
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功 ￥26.89，找零 ￥3.11" in window.message.text()


def test_ten_thousand_for_a_small_bill_asks_first_enter_goes_back_and_y_pays(qtbot, window):
    search(qtbot, window, "3101000009")
    qtbot.keyClicks(window.tendered, "10000")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    dialog = confirm_dialog()
    assert dialog is not None
    assert dialog.values["change"].text() == "￥9,973.11" and dialog.values["tendered"].text() == "￥10,000.00"
    assert dialog.values["change"].font().pointSize() >= 24  # large
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the habitual Enter: back to the amount, nothing paid
    settle(qtbot)
    assert confirm_dialog() is None and payments_count(window.ctx) == 0
    assert window.focusWidget() is window.tendered
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)  # asked again (once the open shift is read)
    settle(qtbot)
    dialog = confirm_dialog()
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Y)
    settle(qtbot)
    assert payments_count(window.ctx) == 1 and "找零 ￥9,973.11" in window.message.text()


def test_money_beyond_the_dues_asks_naming_the_prepaid_balance(qtbot, window):
    search(qtbot, window, "3101000009")
    window.amount.setFocus()
    window.amount.selectAll()
    qtbot.keyClicks(window.amount, "50")
    qtbot.keyClick(window.amount, Qt.Key.Key_Return)
    qtbot.keyClicks(window.tendered, "50")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)  # the open shift is read first
    dialog = confirm_dialog()
    assert dialog is not None and "预存" in dialog.findChild(type(dialog.values["prepaid"]), "confirm_reason").text()
    assert dialog.values["prepaid"].text() == "￥23.11"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    settle(qtbot)
    assert payments_count(window.ctx) == 0
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.keyClick(confirm_dialog(), Qt.Key.Key_Y)
    settle(qtbot)
    assert "存入预存 ￥23.11" in window.message.text()


def test_f6_to_f10_put_the_cursor_in_the_reference(qtbot, window):
    search(qtbot, window, "3101000004")
    for key in (Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F8, Qt.Key.Key_F9, Qt.Key.Key_F10):
        qtbot.keyClick(window.focusWidget(), key)
        assert window.focusWidget() is window.reference and window.tendered.text() == "201.00"
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F5)
    assert window.focusWidget() is window.tendered and not window.reference.isEnabled()


# --- 3. the panel shows exactly the current state of exactly the selected account ----------------

def test_after_a_payment_the_panel_shows_the_account_as_it_now_stands(qtbot, window):
    search(qtbot, window, "3101000001")
    assert window.due_label.text().endswith("￥292.54") and window.bills.rowCount() == 2
    qtbot.keyClicks(window.tendered, "300")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: window.due_label.text().endswith("￥0.00"), timeout=5000)
    assert window.bills.rowCount() == 0 and "已结清" in window.badges.text()
    assert window.change_label.text() == "￥7.46"  # the change stays shown while it is handed over
    qtbot.waitUntil(lambda: getattr(window, "preview", None) is not None, timeout=5000)
    assert window.preview.isVisible() and window.isActiveWindow()  # the paper, beside; the keys stay here
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)  # and nothing more can be paid on that sale
    settle(qtbot)
    assert payments_count(window.ctx) == 1
    preview = window.preview
    search(qtbot, window, "3101000004")  # the cashier moves on: the sheet goes
    assert not preview.isVisible() and window.preview is None


def test_a_new_search_with_several_hits_empties_the_panel(qtbot, window):
    search(qtbot, window, "3101000001")
    assert window.quote is not None
    search(qtbot, window, "周小川")
    assert window.results.rowCount() == 2
    assert window.quote is None and window.account_label.text() == "" and window.due_label.text() == ""
    assert window.bills.rowCount() == 0 and window.amount.text() == ""
    names = {window.results.item(r, 1).text() for r in range(2)}
    assert names == {"周小川"}  # the cashier sees the very name typed, not 周*川
    addresses = {window.results.item(r, 3).text() for r in range(2)}
    assert "北关镇幸福路8号" in addresses
    assert window.results.columnWidth(3) >= 150  # the address tells them apart: it gets the room
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    settle(qtbot)
    first = window.quote.account_no
    qtbot.keyClick(window.results, Qt.Key.Key_Down)  # another hit selected: the shown one leaves the panel
    assert window.quote is None and window.account_label.text() == ""
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.quote.account_no != first


def test_esc_leaves_no_checked_mark_and_no_money(qtbot, window):
    search(qtbot, window, "3101000001")
    window.data_source.setText("✔ 已与上级系统核对应缴金额")  # what an online lookup leaves
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    for label in (window.data_source, window.account_label, window.due_label, window.details, window.badges):
        assert label.text() == ""
    assert window.change_label.text() == "￥0.00"


def test_a_reversal_puts_the_bills_back_on_the_shown_account(qtbot, window):
    from ui.reversal import ReversalDialog

    search(qtbot, window, "3101000004")
    qtbot.keyClicks(window.tendered, "201")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    search(qtbot, window, "3101000004")
    assert window.due_label.text().endswith("￥0.00")
    qtbot.keyClick(window.search_box, Qt.Key.Key_F12)
    settle(qtbot)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReversalDialog) and w.isVisible())
    dialog.reason.setText("收错户")
    dialog.supervisor.setText("super1")
    dialog.password.setText(PASSWORD)
    dialog.submit()
    settle(qtbot)
    qtbot.waitUntil(lambda: window.due_label.text().endswith("￥201.00"), timeout=5000)
    assert window.bills.rowCount() == 1


def test_dues_changed_behind_the_counter_show_at_once_and_the_old_amount_cannot_be_paid(qtbot, window):
    from cashier import events
    from cashier.store.models import Bill

    search(qtbot, window, "3101000004")
    qtbot.keyClicks(window.tendered, "201")
    # A pull brings a bill paid through 95598 meanwhile: the store announces it, the panel follows.
    with window.ctx.store.transaction() as s:
        bill = s.scalar(select(Bill).where(Bill.period == "202601", Bill.bill_no.like("%3101000004%")))
        bill.outstanding_fen = 5000
        events.announce(s, events.PULL_APPLIED, accounts=("3101000004",))
    settle(qtbot)
    qtbot.waitUntil(lambda: window.due_label.text().endswith("￥51.00"), timeout=5000)  # ￥50 + the ￥1 minimum penalty
    assert "已刷新" in window.message.text() and window.tendered.text() == ""
    assert payments_count(window.ctx) == 0


def test_a_pull_that_changes_no_money_keeps_the_change_on_screen(qtbot, window):
    from cashier import events
    from cashier.store.models import Account

    search(qtbot, window, "3101000001")
    qtbot.keyClicks(window.tendered, "300")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: window.due_label.text().endswith("￥0.00"), timeout=5000)
    # The upload comes back from the upstream as a new version of the account: same money.
    with window.ctx.store.transaction() as s:
        s.scalar(select(Account).where(Account.account_no == "3101000001")).version += 1
        events.announce(s, events.PULL_APPLIED, accounts=("3101000001",))
    settle(qtbot)
    qtbot.waitUntil(lambda: window.quote is not None and window.quote.version == 1, timeout=5000)
    assert window.change_label.text() == "￥7.46" and "收费成功" in window.message.text()


def test_the_counter_and_the_workspace_open_within_the_screen(qtbot, window):
    """Large print on a small screen: nothing a cashier needs opens below the screen's edge."""
    from ui.supervisor import SupervisorWindow

    free = window.screen().availableGeometry()
    window.ctx.actor = window.ctx.hall_fixture.supervisor
    workspace = SupervisorWindow(window.ctx)
    qtbot.addWidget(workspace)
    for w in (window, workspace):
        assert w.width() <= free.width() and w.height() <= free.height(), (type(w).__name__, w.size(), free.size())
    settle(qtbot)


def test_moving_to_another_hit_while_the_first_is_being_read_shows_neither(qtbot, window):
    search(qtbot, window, "周小川")
    qtbot.keyClick(window.results, Qt.Key.Key_Return)  # opening row 0 (its quote is on its way) …
    qtbot.keyClick(window.results, Qt.Key.Key_Down)  # … and the cashier moves on before it arrives
    settle(qtbot)
    assert window.quote is None and window.account_label.text() == "" and window.amount.text() == ""


def test_a_new_version_with_the_same_money_keeps_the_waiver_and_what_was_typed(qtbot, window):
    from cashier import events
    from cashier.store.models import Account

    hall = window.ctx.hall_fixture
    search(qtbot, window, "3101000001")
    sale = window.sale
    penalty = sale.quote.penalty_fen
    sale.waive(penalty, hall.approve("penalty_waiver", "3101000001", amount_fen=penalty))
    window.amount.setText(format_fen(sale.due_fen, symbol=False, grouping=False))
    window.tendered.setFocus()
    qtbot.keyClicks(window.tendered, "300")
    with window.ctx.store.transaction() as s:
        s.scalar(select(Account).where(Account.account_no == "3101000001")).version += 1
        events.announce(s, events.PULL_APPLIED, accounts=("3101000001",))
    settle(qtbot)
    qtbot.waitUntil(lambda: window.quote.version == 1, timeout=5000)
    assert window.sale is sale and sale.waiver_fen == penalty and window.tendered.text() == "300"
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    with window.ctx.store.read() as s:
        assert s.scalar(select(Payment.penalty_waived_fen)) == penalty


def test_locking_keeps_the_sale_in_progress(qtbot, window):
    search(qtbot, window, "3101000001")
    qtbot.keyClick(window.tendered, Qt.Key.Key_F6)
    qtbot.keyClicks(window.reference, "POS-1")
    qtbot.keyClick(window.reference, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # a card tender kept
    window.idle.lock()
    settle(qtbot)
    dialog = window.idle.dialog
    dialog.password.setText(PASSWORD)
    dialog.submit()
    settle(qtbot)
    qtbot.waitUntil(lambda: window.idle.dialog is None, timeout=5000)
    assert window.quote is not None and [x.reference for x in window.sale.lines] == ["POS-1"]
