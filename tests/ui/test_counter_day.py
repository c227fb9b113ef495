"""A whole day at the counter by keys only, on real widgets and a real store: sign in, open the
shift, 20 payments of mixed tenders (one guarded over-tender), a receipt that fails to print and
is printed from the queue, a reversal a supervisor authorizes, the blind close, sign out, the
supervisor signs in and reviews the shift. After every step the account panel shows exactly the
selected account as the store has it now, or nothing."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from cashier import audit
from cashier.cash import DENOMINATIONS_FEN
from cashier.money import format_fen
from cashier.quote import quote_account
from cashier.reports import expected_cash
from cashier.settings import PrinterSettings
from cashier.shifts import open_shift_of
from cashier.store.models import OutboxEntry, Payment, Shift
from receipts.printing import Printer
from tests.helpers.hall import PASSWORD, add_account
from tests.ui.conftest import settle
from ui.login import LoginDialog
from ui.reprint_queue import ReprintQueueDialog
from ui.reversal import ReversalDialog
from ui.sale_confirm import SaleConfirmDialog
from ui.session import SessionController
from ui.shift_dialogs import CloseShiftDialog, OpenShiftDialog

CUSTOMERS = [(f"31020000{i:02d}", 1000 + 1337 * i) for i in range(20)]  # principal in fen, not yet due


def visible(kind):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def wait_for(qtbot, kind):
    qtbot.waitUntil(lambda: visible(kind) is not None, timeout=5000)
    return visible(kind)


def activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def press(qtbot, window, key, modifiers=Qt.KeyboardModifier.NoModifier):
    """A key where the cashier's focus is, as a keyboard delivers it."""
    qtbot.keyClick(window.focusWidget() or window, key, modifiers)


def type_into(qtbot, window, text: str):
    qtbot.keyClicks(window.focusWidget(), text)


def assert_panel_current(counter) -> None:
    """The panel shows the selected account exactly as the store has it now, or nobody at all."""
    if counter.sale is None:
        for label in (counter.account_label, counter.due_label, counter.details, counter.data_source):
            assert label.text() == "", label.objectName()
        assert counter.bills.rowCount() == 0
        return
    t = counter.ctx.terminal
    with counter.ctx.store.read() as s:
        now = quote_account(s, counter.sale.account_no, t.clock.business_date(), t.policy)
    assert counter.sale.quote == now
    assert counter.due_label.text().endswith(format_fen(now.total_due_fen))
    assert counter.bills.rowCount() == len(now.bills)
    selected = counter.results.currentRow()
    if counter.results.rowCount() and selected >= 0:
        assert counter.results.item(selected, 0).text() == now.account_no


def sign_in(qtbot, session, username: str):
    login = session.login
    qtbot.waitUntil(login.isVisible, timeout=5000)
    activate(qtbot, login)
    login.username.selectAll()
    qtbot.keyClicks(login.username, username)
    qtbot.keyClick(login.username, Qt.Key.Key_Return)
    qtbot.keyClicks(login.password, PASSWORD)
    with qtbot.waitSignal(login.signed_in, timeout=10000):
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
    settle(qtbot)
    counter = session.window
    activate(qtbot, counter)
    return counter


def pay(qtbot, counter, number: str, i: int, due: int) -> None:
    counter.search_box.setFocus()
    type_into(qtbot, counter, number)
    press(qtbot, counter, Qt.Key.Key_Return)
    settle(qtbot)
    assert counter.sale is not None and counter.sale.account_no == number
    assert counter.due_label.text().endswith(format_fen(due))
    assert_panel_current(counter)
    yuan = format_fen(due, symbol=False, grouping=False)
    kind = i % 5
    if i == 7:  # the slip: ￥10,000 handed over (typed) for a small bill
        type_into(qtbot, counter, "10000")
        press(qtbot, counter, Qt.Key.Key_Return)
        dialog = wait_for(qtbot, SaleConfirmDialog)
        assert dialog.values["change"].text() == format_fen(1_000_000 - due)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the habitual Enter goes back, nothing is paid
        settle(qtbot)
        activate(qtbot, counter)
        assert counter.sale.state.value == "open"
        press(qtbot, counter, Qt.Key.Key_Return)
        qtbot.keyClick(wait_for(qtbot, SaleConfirmDialog), Qt.Key.Key_Y)
    elif kind == 0:  # cash, rounded up to the next ten yuan
        type_into(qtbot, counter, str(due // 1000 + 1) + "0")
        press(qtbot, counter, Qt.Key.Key_Return)
    elif kind in (1, 2, 4):  # bank card, WeChat, Alipay: the amount is filled, the cursor is in 参考号
        press(qtbot, counter, {1: Qt.Key.Key_F6, 2: Qt.Key.Key_F7, 4: Qt.Key.Key_F8}[kind])
        assert counter.focusWidget() is counter.reference and counter.tendered.text() == yuan
        type_into(qtbot, counter, f"REF{i:04d}")
        press(qtbot, counter, Qt.Key.Key_Return)
    else:  # ￥5 by card, the rest in cash
        press(qtbot, counter, Qt.Key.Key_F6)
        counter.tendered.setFocus()
        counter.tendered.selectAll()
        type_into(qtbot, counter, "5")
        counter.reference.setFocus()
        type_into(qtbot, counter, f"POS{i:04d}")
        press(qtbot, counter, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert counter.tender_kind.currentData() == "cash"
        assert counter.tendered.text() == format_fen(due - 500, symbol=False, grouping=False)
        press(qtbot, counter, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功" in counter.message.text(), counter.message.text()
    qtbot.waitUntil(lambda: counter.sale is not None and counter.due_label.text().endswith("￥0.00"), timeout=5000)
    assert_panel_current(counter)
    activate(qtbot, counter)


def test_a_whole_day_by_keys_with_no_stale_panel(qtbot, ctx, tmp_path):
    for number, principal in CUSTOMERS:
        add_account(ctx.store, number, name=f"客户{number[-2:]}", bills=[("202602", principal, date(2026, 3, 20))])
    good_printer, dead_printer = ctx.printer, Printer(PrinterSettings(uri=f"file://{tmp_path}/unplugged/x.bin"),
                                                      tmp_path / "previews")
    ctx.actor = None
    login = LoginDialog(ctx)
    qtbot.addWidget(login)
    session = SessionController(login, quit=lambda: None)
    session.start()
    counter = sign_in(qtbot, session, "c1")
    assert_panel_current(counter)

    # F2: the opening float, five ￥100 notes, counted into the grid.
    press(qtbot, counter, Qt.Key.Key_F2)
    opening = wait_for(qtbot, OpenShiftDialog)
    box = opening.grid.boxes[10000]
    box.setFocus()
    qtbot.keyClicks(box, "5")
    with qtbot.waitSignal(opening.accepted, timeout=10000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    settle(qtbot)
    activate(qtbot, counter)
    qtbot.waitUntil(lambda: "未开班" not in counter.status.shift.text(), timeout=5000)

    for i, (number, principal) in enumerate(CUSTOMERS):
        if i == 12:
            ctx.printer = dead_printer  # the printer is unplugged for this one
        pay(qtbot, counter, number, i, principal)
        if i == 12:
            qtbot.waitUntil(lambda: "补打队列 1 张" in counter.status.printer.text(), timeout=5000)
            ctx.printer = good_printer
        assert_panel_current(counter)

    # Ctrl+P, Enter: the receipt that never printed comes out as the original, and the queue empties.
    press(qtbot, counter, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    queue = wait_for(qtbot, ReprintQueueDialog)
    qtbot.waitUntil(lambda: len(queue.jobs) == 1, timeout=5000)
    assert queue.jobs[0].account_no == CUSTOMERS[12][0] and queue.jobs[0].reprint == 0
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: not queue.jobs, timeout=5000)
    assert "重打" not in queue.message.text()
    qtbot.keyClick(queue, Qt.Key.Key_Escape)
    activate(qtbot, counter)
    qtbot.waitUntil(lambda: "补打队列" not in counter.status.printer.text(), timeout=5000)

    # F12: the last payment was a mistake; a supervisor authorizes the reversal on this terminal.
    counter.search_box.setFocus()
    type_into(qtbot, counter, CUSTOMERS[19][0])
    press(qtbot, counter, Qt.Key.Key_Return)
    settle(qtbot)
    assert counter.due_label.text().endswith("￥0.00")
    press(qtbot, counter, Qt.Key.Key_F12)
    reversal = wait_for(qtbot, ReversalDialog)
    settle(qtbot)
    activate(qtbot, reversal)
    qtbot.keyClick(reversal.table, Qt.Key.Key_Return)  # the newest payment is first
    qtbot.keyClicks(reversal.reason, "shou cuo hu")
    qtbot.keyClick(reversal.reason, Qt.Key.Key_Return)
    qtbot.keyClicks(reversal.supervisor, "super1")
    qtbot.keyClick(reversal.supervisor, Qt.Key.Key_Return)
    qtbot.keyClicks(reversal.password, PASSWORD)
    with qtbot.waitSignal(reversal.accepted, timeout=10000):
        qtbot.keyClick(reversal.password, Qt.Key.Key_Return)
    settle(qtbot)
    activate(qtbot, counter)
    # The shown account owes its bill again, without a search: the panel followed the reversal.
    qtbot.waitUntil(lambda: counter.due_label.text().endswith(format_fen(CUSTOMERS[19][1])), timeout=5000)
    assert_panel_current(counter)

    # F4: the blind close; the drawer holds exactly what it should.
    with ctx.store.read() as s:
        expected = expected_cash(s, open_shift_of(s, ctx.terminal))
    press(qtbot, counter, Qt.Key.Key_F4)
    closing = wait_for(qtbot, CloseShiftDialog)
    left = expected
    for fen in DENOMINATIONS_FEN:
        pieces, left = divmod(left, fen)
        if pieces:
            box = closing.grid.boxes[fen]
            box.setFocus()
            box.selectAll()
            qtbot.keyClicks(box, str(pieces))
    qtbot.keyClick(closing.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closing.confirmation is not None and closing.confirmation.isVisible(), timeout=5000)
    assert closing.confirmation.amount.text() == format_fen(expected)
    with qtbot.waitSignal(closing.accepted, timeout=10000):
        qtbot.keyClick(closing.confirmation, Qt.Key.Key_Return)
    settle(qtbot)

    # Ctrl+Shift+L: the cashier signs out; the supervisor signs in at the same counter and reviews.
    activate(qtbot, counter)
    press(qtbot, counter, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: session.window is None and login.isVisible(), timeout=5000)
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [login]
    counter = sign_in(qtbot, session, "super1")
    assert_panel_current(counter)
    press(qtbot, counter, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    workspace = counter.supervisor_window
    review = workspace.review
    qtbot.waitUntil(lambda: review.list.rowCount() == 1, timeout=5000)
    assert review.list.item(0, 4).text() == "无长短款"
    activate(qtbot, workspace)
    review.comment.setFocus()
    qtbot.keyClick(review.comment, Qt.Key.Key_Return)
    settle(qtbot)
    assert review.list.rowCount() == 0 and "已签核" in review.message.text()

    with ctx.store.read() as s:
        kinds = dict(s.execute(select(Payment.kind, func.count()).group_by(Payment.kind)).all())
        assert kinds == {"payment": 20, "reversal": 1}
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) >= 21
        assert s.scalar(select(Shift.status)) == "signed_off"
        assert audit.verify(s).ok
    session.sign_out()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
