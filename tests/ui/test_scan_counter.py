"""Scan-to-pay at the counter (issue 18), real widgets and keys: a scanned code is never taken for an amount,
it never stays on screen, and without an upstream scan-to-pay is refused in words while a typed WeChat
reference asks a supervisor. With a real upstream and its simulator: tests/upstream/test_scan_e2e.py."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

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
