"""The service evaluator on real widgets and a real store: a rating after each payment on the customer display's
rating page, by touch or by the keypad's 1/2/3, unrated at the end of the countdown or when the next customer
comes, and the supervisor's 服务评价 tab counting per cashier."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from cashier import evaluations
from cashier.customer_side import Stage
from tests.ui.conftest import settle
from tests.ui.test_customer_display import find, open_counter


def rating_of(ctx, payment_id):
    with ctx.store.read() as s:
        return evaluations.evaluation_of(s, payment_id)


def pay_cash(qtbot, window, account, tendered="300"):
    find(qtbot, window, account)
    window.tendered.insert(tendered)
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功" in window.message.text()
    return window.last_payment


def asked(qtbot, window):
    qtbot.waitUntil(lambda: window.customer.panel is not None, timeout=10_000)
    return window.customer.panel


def test_each_payment_is_rated_by_touch_by_keypad_or_left_unrated(qtbot, with_shift):
    from datetime import date

    from tests.helpers.hall import add_account

    for no in ("3101000005", "3101000006"):
        add_account(with_shift.store, no, bills=[("202601", 10000, date(2026, 2, 25))])
    more = iter(("3101000005", "3101000006"))
    with_shift.settings.evaluation.enabled = True
    with_shift.settings.evaluation.timeout_seconds = 5
    window = open_counter(qtbot, with_shift)
    window.customer.rating_delay_ms = 10  # the panel comes at once here (3 s after the payment at a counter)
    display = window.customer.display

    first = pay_cash(qtbot, window, "3101000001")
    panel = asked(qtbot, window)
    assert display.pages.currentWidget().objectName() == "rating" and window.customer.feed.view.stage is Stage.RATING
    assert "292.54" not in display.due.text() or not display.due.isVisibleTo(display)  # the figures left the screen
    qtbot.mouseClick(panel.buttons["very_satisfied"], Qt.MouseButton.LeftButton)  # touch
    settle(qtbot)
    assert rating_of(with_shift, first) == "very_satisfied"
    assert window.customer.feed.view.stage is Stage.IDLE and window.customer.panel is None

    second = pay_cash(qtbot, window, "3101000004", "300")
    asked(qtbot, window)
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_3, Qt.KeyboardModifier.KeypadModifier)  # the keypad's 3
    settle(qtbot)
    assert rating_of(with_shift, second) == "unsatisfied"
    assert window.search_box.text() == ""  # the keypad's rating did not type into the cashier's search
    qtbot.keyClick(window.search_box, Qt.Key.Key_3, Qt.KeyboardModifier.KeypadModifier)  # no rating asked: a digit
    assert window.search_box.text() == "3"
    window.search_box.clear()

    third = pay_cash(qtbot, window, next(more))
    panel = asked(qtbot, window)
    qtbot.waitUntil(lambda: panel.answer is not None, timeout=10_000)  # the countdown ends: unrated
    settle(qtbot)
    assert rating_of(with_shift, third) == "unrated"

    fourth = pay_cash(qtbot, window, next(more))
    asked(qtbot, window)
    find(qtbot, window, "3101000001")  # the next customer comes before anyone rated
    settle(qtbot)
    assert rating_of(with_shift, fourth) == "unrated"
    assert window.customer.panel is None and display.pages.currentWidget().objectName() == "sale"


def test_the_supervisor_sees_satisfaction_per_cashier_and_day(qtbot, with_shift):
    from cashier.payments import TenderLine, take_payment
    from tests.ui.test_supervisor import workspace

    hall = with_shift.hall_fixture
    for rating in ("very_satisfied", "satisfied", "unsatisfied", "unrated", "satisfied"):
        paid = take_payment(with_shift.terminal, hall.cashier, "3101000003", 100, [TenderLine("cash", 100)])
        evaluations.record_evaluation(with_shift.store, paid.payment_id, rating, clock=with_shift.terminal.clock)
    with_shift.actor = hall.supervisor
    window = workspace(qtbot, with_shift, tab=7)
    tab = window.evaluation
    assert window.tabs.currentWidget() is tab
    settle(qtbot)
    assert tab.table.rowCount() == 1
    row = [tab.table.item(0, c).text() for c in range(7)]
    assert row[1] == "李娜 (c1)" and row[2:] == ["1", "2", "1", "1", "75.0%"]
    assert "满意率 75.0%" in tab.total.text() and "未评价 1" in tab.total.text()


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(640, 760), (1024, 768), (1920, 1080)])
def test_the_countdown_is_readable_from_the_customers_side_and_the_panel_fits(qtbot, language, size):
    from PySide6.QtWidgets import QApplication, QPushButton

    from cashier.customer_side import CustomerView
    from ui.customer_display import CustomerDisplay
    from ui.evaluation_panel import EvaluationPanel
    from ui.translation import apply_language

    apply_language(language)
    try:
        display = CustomerDisplay("演示供电营业厅", "1号窗口")
        qtbot.addWidget(display)
        display.resize(*size)
        display.show()
        for elderly in (False, True):
            display.follow(CustomerView(Stage.RATING, elderly=elderly))
            panel = EvaluationPanel(30, elderly)
            display.show_rating(panel)
            QApplication.processEvents()
            assert display.size().width() == size[0] and display.size().height() == size[1]  # never pushed wider
            countdown, ask = panel.countdown, panel.findChild(QLabel, "evaluation_ask")
            assert countdown.text() == ("30 秒后自动结束" if language == "zh" else "Closes in 30 s")
            # as large as the display's notices, and in proportion to the question above it
            assert countdown.font().pointSizeF() >= display.notices.font().pointSizeF() - 0.01, elderly
            assert countdown.font().pointSizeF() >= 0.6 * ask.font().pointSizeF(), elderly
            for widget in [countdown, ask, *panel.findChildren(QPushButton)]:
                where = widget.rect().translated(widget.mapTo(display, widget.rect().topLeft()))
                assert display.rect().contains(where), (widget.objectName(), where, elderly)
                if isinstance(widget, QLabel):
                    assert widget.heightForWidth(widget.width()) <= widget.height() + 2, (widget.objectName(), elderly)
                else:
                    assert widget.width() >= widget.minimumWidth(), (widget.text(), elderly)  # not squeezed
                    for line in widget.text().splitlines():
                        assert widget.fontMetrics().horizontalAdvance(line) <= widget.width() - 8, (line, elderly)
            left, middle, right = (panel.buttons[r].geometry() for r in ("very_satisfied", "satisfied", "unsatisfied"))
            assert left.right() < middle.left() and middle.right() < right.left(), elderly  # side by side, apart
            panel.choose("unrated")
    finally:
        apply_language("zh")
