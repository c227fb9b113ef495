"""The receipt preview shows the whole width of a real rendered receipt: scaled to the dialog,
again when it is resized, never a sideways scroll bar; Esc and Enter close it."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from cashier.payments import TenderLine, take_payment
from cashier.printing import print_receipt
from tests.ui.conftest import settle
from ui.receipt_preview import MIN_SCALE, ReceiptPreview


@pytest.fixture
def receipt(with_shift):
    ctx = with_shift
    paid = take_payment(ctx.terminal, ctx.actor, "3101000001", 29254, [TenderLine("cash", 30000)])
    outcome = print_receipt(ctx.terminal, ctx.render, "payment", paid.payment_id)
    assert outcome.printed and outcome.preview.suffix == ".png"
    assert QPixmap(str(outcome.preview)).width() == 576  # the 80 mm paper, wider than the dialog below
    return outcome.preview


def open_preview(qtbot, path, width, height):
    dialog = ReceiptPreview(None, path)
    qtbot.addWidget(dialog)
    dialog.resize(width, height)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fits(dialog) -> bool:
    """The whole width shown, filling the viewport (not shrunk to a stamp), no sideways bar."""
    viewport = dialog.area.viewport().width()
    return viewport - 2 <= dialog.shown_width() <= viewport and not dialog.area.horizontalScrollBar().isVisible()


def test_a_receipt_wider_than_the_dialog_is_scaled_to_its_width(qtbot, receipt):
    dialog = open_preview(qtbot, receipt, 440, 700)
    assert dialog.objectName() == "receipt_preview"
    qtbot.waitUntil(lambda: fits(dialog))
    assert dialog.area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert dialog.area.verticalScrollBar().isVisible()  # the length scrolls, the width does not
    assert dialog.image.pixmap().height() / dialog.image.pixmap().devicePixelRatio() < 576 * 3


def test_the_receipt_is_scaled_again_when_the_dialog_is_resized(qtbot, receipt):
    dialog = open_preview(qtbot, receipt, 440, 700)
    qtbot.waitUntil(lambda: fits(dialog))
    before = dialog.shown_width()
    dialog.resize(320, 600)
    qtbot.waitUntil(lambda: fits(dialog) and dialog.shown_width() < before)
    dialog.resize(900, 600)
    qtbot.waitUntil(lambda: dialog.shown_width() == 576)  # room enough: the paper at its own size, not blown up
    assert dialog.area.viewport().width() >= 576 and not dialog.area.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_Return])
def test_esc_or_enter_closes_the_preview(qtbot, receipt, key):
    dialog = open_preview(qtbot, receipt, 440, 700)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, key)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    settle(qtbot)


def test_the_preview_opens_showing_the_whole_receipt_down_to_the_change(qtbot, receipt):
    # The paper at its own size (1,000-odd px) is longer than the screen (800 px, the offscreen one; 768 on
    # the halls' smallest): the dialog opens narrower, with the whole length in view, 找零 and all.
    dialog = ReceiptPreview(None, receipt)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot)
    free = dialog.screen().availableGeometry()
    assert dialog.original.height() > free.height()  # so this is the case the cashier met
    assert dialog.frameGeometry().height() <= free.height() and dialog.width() <= free.width()
    pixmap = dialog.image.pixmap()
    shown_height = pixmap.height() / pixmap.devicePixelRatio()
    assert shown_height <= dialog.area.viewport().height()
    assert dialog.area.verticalScrollBar().maximum() == 0  # nothing to scroll to
    assert dialog.shown_width() >= MIN_SCALE * 576 - 1  # still readable: 60% of the printed size or more


def test_a_receipt_too_long_for_the_screen_opens_at_its_totals(qtbot, with_shift):
    from datetime import date

    from tests.helpers.hall import add_account

    ctx = with_shift
    bills = [(f"2025{m:02d}", 10000 + m, date(2025, m, 25)) for m in range(1, 13)]
    add_account(ctx.store, "3101000099", bills=bills)
    due = sum(10000 + m for m in range(1, 13))
    paid = take_payment(ctx.terminal, ctx.actor, "3101000099", due, [TenderLine("cash", due + 1000)])
    outcome = print_receipt(ctx.terminal, ctx.render, "payment", paid.payment_id)
    dialog = ReceiptPreview(None, outcome.preview)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot)
    bar = dialog.area.verticalScrollBar()
    assert dialog.original.height() > 1500  # twelve bills
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() > 0)
    assert bar.value() == bar.maximum()  # the end: 合计, 实收, 找零 in view
    assert dialog.shown_width() >= MIN_SCALE * 576 - 1
    assert dialog.frameGeometry().height() <= dialog.screen().availableGeometry().height()
    qtbot.keyClick(dialog.area, Qt.Key.Key_PageUp)  # the cashier scrolls up: the preview no longer holds the end
    assert bar.value() == 0
    dialog.resize(dialog.width() - 20, dialog.height())
    settle(qtbot)
    assert bar.value() == 0 < bar.maximum()
