"""Opening a shift with its float and closing it blind, by keyboard, on real widgets."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sqlalchemy import select

from cashier.store.models import AuditEntry, Shift
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.shift_dialogs import CloseShiftDialog, CountConfirmation, OpenShiftDialog, ShiftReportDialog


def show(qtbot, window):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # shortcuts work in the active window


def active_dialog(kind):
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def confirm_count(qtbot, closing, shown: str) -> None:
    """The count confirmation is up with ``shown`` in large figures; Enter confirms it."""
    confirmation = closing.confirmation
    qtbot.waitUntil(lambda: confirmation is not None and confirmation.isVisible(), timeout=5000)
    assert confirmation.amount.text() == shown and confirmation.amount.font().pointSize() >= 30
    qtbot.keyClick(confirmation, Qt.Key.Key_Return)
    settle(qtbot)


def test_open_then_blind_close_with_a_short_needs_a_reason(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.cashier
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    show(qtbot, window)
    settle(qtbot)
    assert "未开班" in window.status.shift.text()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    opening = active_dialog(OpenShiftDialog)
    opening.grid.boxes[10000].setValue(5)
    assert opening.grid.total.text() == "￥500.00"
    with qtbot.waitSignal(opening.accepted, timeout=10000):
        qtbot.keyClick(opening, Qt.Key.Key_Return)
    settle(qtbot)
    assert "开班" in window.status.shift.text() and "未开班" not in window.status.shift.text()

    show(qtbot, window)  # back at the counter once the dialog has gone
    qtbot.keyClick(window, Qt.Key.Key_F4)
    closing = active_dialog(CloseShiftDialog)
    assert closing.difference.text() == ""  # blind: nothing about the expected cash
    closing.grid.boxes[10000].setValue(4)
    closing.grid.boxes[1000].setValue(9)
    closing.grid.boxes[100].setValue(9)
    qtbot.keyClick(closing, Qt.Key.Key_Return)
    confirm_count(qtbot, closing, "￥499.00")
    assert closing.isVisible() and closing.difference.text() == "短款 ￥1.00" and "原因" in closing.message.text()
    assert "-￥" not in closing.message.text()
    assert closing.reason.isEnabled() and closing.focusWidget() is closing.reason
    qtbot.keyClicks(closing.reason, "zhao cuo le")
    with qtbot.waitSignal(closing.accepted, timeout=10000):
        qtbot.keyClick(closing.reason, Qt.Key.Key_Return)
    settle(qtbot)
    with ctx.store.read() as s:
        shift = s.query(Shift).one()
        assert (shift.status, shift.over_short_fen, shift.over_short_reason) == ("closed", -100, "zhao cuo le")


def test_a_big_short_asks_for_a_supervisor_on_this_terminal(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.cashier
    from cashier import shifts

    shifts.open_shift(ctx.terminal, ctx.actor, {10000: 5})
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    closing = active_dialog(CloseShiftDialog)
    closing.grid.boxes[10000].setValue(4)
    qtbot.keyClick(closing, Qt.Key.Key_Return)
    confirm_count(qtbot, closing, "￥400.00")
    qtbot.keyClicks(closing.reason, "unknown")
    qtbot.keyClick(closing.reason, Qt.Key.Key_Return)
    settle(qtbot)
    assert "授权" in closing.message.text() and closing.supervisor.isEnabled()
    qtbot.keyClicks(closing.supervisor, "super1")
    qtbot.keyClicks(closing.supervisor_password, "wrong")
    qtbot.keyClick(closing.supervisor_password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "用户名或密码错误" in closing.message.text() and closing.isVisible()
    closing.supervisor_password.clear()
    qtbot.keyClicks(closing.supervisor_password, PASSWORD)
    with qtbot.waitSignal(closing.accepted, timeout=10000):
        qtbot.keyClick(closing.supervisor_password, Qt.Key.Key_Return)
    settle(qtbot)
    assert closing.result.over_short_fen == -10000


def counts_recorded(ctx) -> int:
    with ctx.store.read() as s:
        return len(s.scalars(select(AuditEntry.id).where(AuditEntry.action == "shift.count")).all())


def test_blind_close_asks_to_confirm_the_count_and_esc_goes_back_to_it(qtbot, with_shift):
    ctx = with_shift
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    closing = active_dialog(CloseShiftDialog)
    box = closing.grid.boxes[10000]
    assert closing.focusWidget() is box
    qtbot.keyClicks(box, "3")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    confirmation = active_dialog(CountConfirmation)
    assert confirmation.amount.text() == "￥300.00" and confirmation.amount.font().pointSize() >= 30
    qtbot.keyClick(confirmation, Qt.Key.Key_Escape)
    settle(qtbot)
    assert not confirmation.isVisible() and closing.isVisible() and closing.focusWidget() is box
    with ctx.store.read() as s:
        assert s.query(Shift).one().status == "open"
    assert counts_recorded(ctx) == 0  # nothing committed, not even the count
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "5")  # recounted: five hundred-yuan notes, the float exactly
    qtbot.keyClick(box, Qt.Key.Key_Return)
    confirmation = active_dialog(CountConfirmation)
    assert confirmation.amount.text() == "￥500.00"
    with qtbot.waitSignal(closing.accepted, timeout=10000):
        qtbot.keyClick(confirmation, Qt.Key.Key_Return)
    settle(qtbot)
    with ctx.store.read() as s:
        assert s.query(Shift).one().status == "closed"
    assert counts_recorded(ctx) == 1
    report = active_dialog(ShiftReportDialog)
    assert report.over_short.text() == "无长短款"


def test_closing_prints_the_hand_over_slip_with_short_in_words_and_saves_it_as_pdf(qtbot, with_shift):
    import shutil
    import subprocess

    ctx = with_shift
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    closing = active_dialog(CloseShiftDialog)
    closing.grid.set_counts({10000: 4, 1000: 9, 100: 8})  # ￥498.00 against ￥500.00
    qtbot.keyClick(closing, Qt.Key.Key_Return)
    confirm_count(qtbot, closing, "￥498.00")
    assert closing.difference.text() == "短款 ￥2.00"
    qtbot.keyClicks(closing.reason, "zhao ling duo zhao")
    with qtbot.waitSignal(closing.accepted, timeout=10000):
        qtbot.keyClick(closing.reason, Qt.Key.Key_Return)
    settle(qtbot)
    report = active_dialog(ShiftReportDialog)
    qtbot.waitUntil(report.isActiveWindow, timeout=5000)
    assert report.over_short.text() == "短款 ￥2.00"
    outcome = report.outcome
    assert outcome is not None and outcome.printed and outcome.preview is not None  # the demo's preview printer
    assert not report.image.pixmap().isNull() and report.image.pixmap().width() <= report.area.viewport().width()
    from receipts.printing import build

    slip = build(ctx.store, ctx.hall, "shift_report", closing.result.shift_id)
    text = "\n".join(f"{getattr(b, 'left', '')} {getattr(b, 'right', '')} {getattr(b, 'text', '')}" for b in slip.blocks)
    assert "交班单" in text and "短款 ￥2.00" in text and "-￥" not in text
    qtbot.keyClick(report, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert report.saved is not None, report.message.text()
    assert report.saved.exists() and str(report.saved) in report.message.text()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(report.saved), "-"], capture_output=True, text=True, check=True).stdout
        assert "交班单" in text and "短款 ￥2.00" in text and "zhao ling duo zhao" in text
    with qtbot.waitSignal(report.accepted, timeout=5000):
        qtbot.keyClick(report, Qt.Key.Key_Return)


def test_english_says_short_and_over(qtbot, with_shift):
    from cashier.i18n import set_language

    ctx = with_shift
    set_language("en")
    try:
        closing = CloseShiftDialog(None, ctx, lambda: None)
        qtbot.addWidget(closing)
        closing.show()
        closing.grid.set_counts({10000: 5, 1000: 1})
        closing.submit()
        confirm_count(qtbot, closing, "￥510.00")
        assert closing.difference.text() == "Over ￥10.00"
        assert closing.message.text() == "Over ￥10.00: a reason is required"
    finally:
        set_language("zh")
