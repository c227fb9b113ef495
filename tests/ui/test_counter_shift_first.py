"""What a new cashier met at the counter: a payment that cannot be taken (no open shift) is said before any
confirmation is asked for it, and the error goes once F2 has opened the shift; the results list's money column
says what it holds, in both languages. Real widgets, a real store, keys only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from cashier.store.models import Payment
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.sale_confirm import SaleConfirmDialog
from ui.shift_dialogs import OpenShiftDialog


def visible(kind):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def payments(ctx) -> int:
    with ctx.store.read() as s:
        return s.scalar(select(func.count()).select_from(Payment))


@pytest.fixture
def no_shift_window(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.cashier  # signed in, no shift opened yet
    w = CounterWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    settle(qtbot)
    return w


def find(qtbot, w, number="3101000001") -> None:
    w.search_box.setFocus()
    w.search_box.insert(number)
    qtbot.keyClick(w.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.waitUntil(lambda: w.sale is not None, timeout=5000)


def test_no_open_shift_is_said_before_the_large_change_question_and_goes_when_f2_opens_one(qtbot, no_shift_window):
    w = no_shift_window
    find(qtbot, w)
    qtbot.keyClicks(w.tendered, "10000")  # ￥292.54 due: ￥9,707.46 change would be asked about
    qtbot.keyClick(w.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert visible(SaleConfirmDialog) is None  # nothing to confirm for a payment that cannot be taken
    assert w.message.text() == "本窗口没有已开班的班次，请先开班" and payments(w.ctx) == 0
    assert w.focusWidget() is w.tendered and w.tendered.text() == "10000"

    qtbot.keyClick(w, Qt.Key.Key_F2)
    opening = visible(OpenShiftDialog)
    opening.grid.boxes[10000].setValue(5)
    with qtbot.waitSignal(opening.accepted, timeout=10000):
        qtbot.keyClick(opening, Qt.Key.Key_Return)
    settle(qtbot)
    assert w.message.text() == "已开班，可以收费" and w.tendered.styleSheet() == ""

    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    w.tendered.setFocus()
    qtbot.keyClick(w.tendered, Qt.Key.Key_Return)  # now the question comes, and Y pays
    settle(qtbot)
    dialog = visible(SaleConfirmDialog)
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Y)
    settle(qtbot)
    assert payments(w.ctx) == 1 and "找零 ￥9,707.46" in w.message.text()


def test_a_second_enter_while_the_shift_is_read_asks_once(qtbot, with_shift):
    w = CounterWindow(with_shift)
    qtbot.addWidget(w)
    w.show()
    settle(qtbot)
    find(qtbot, w)
    w.tendered.setText("10000")
    w.take_payment()
    w.take_payment()  # before the shift's answer
    settle(qtbot)
    dialogs = [d for d in QApplication.topLevelWidgets() if isinstance(d, SaleConfirmDialog) and d.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].reject()
    settle(qtbot)


@pytest.mark.parametrize("language, heading", [("zh", "欠费\n(不含违约金)"), ("en", "Arrears\n(excl. penalty)")])
def test_the_results_money_column_says_it_leaves_the_penalty_out_and_fits(qtbot, with_shift, language, heading):
    from ui.translation import apply_language

    apply_language(language)
    try:
        w = CounterWindow(with_shift)
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.show()
        settle(qtbot)
        w.search_box.setFocus()
        w.search_box.insert("3101")  # several hits: the list stays
        qtbot.keyClick(w.search_box, Qt.Key.Key_Return)
        settle(qtbot)
        assert w.results.rowCount() > 1
        header = w.results.horizontalHeader()
        assert w.results.horizontalHeaderItem(4).text() == heading
        needed = max(header.fontMetrics().horizontalAdvance(line) for line in heading.splitlines())
        assert header.sectionSize(4) >= needed  # the heading is not cut
        assert header.sectionSize(3) >= 150  # the address keeps its room
        viewport = w.results.viewport().width()
        assert sum(header.sectionSize(c) for c in range(5)) <= viewport + 1  # no sideways scrolling
    finally:
        apply_language("zh")
