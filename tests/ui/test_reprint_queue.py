"""A printer that is off: the payment stands, the cashier is told, and the reprint queue prints the
receipt once the printer is back. A receipt that never came out prints as its original (no 重打),
the queue empties, and the list follows print-job events from anywhere."""

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from cashier.payments import TenderLine, take_payment
from cashier.print_queue import print_queue
from cashier.settings import PrinterSettings
from cashier.printing import print_receipt, reprint
from receipts.printing import Printer, ReceiptRenderer
from tests.helpers.escpos_decode import decode
from tests.helpers.fake_printer import FakePrinter
from tests.helpers.printers import dead_printer, file_printer, paper
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.reprint_queue import ReprintQueueDialog




@pytest.fixture
def queued(with_shift, tmp_path):
    """Two payments whose receipts did not print."""
    ctx = with_shift
    ids = []
    for account, amount in (("3101000001", 29254), ("3101000004", 20100)):
        paid = take_payment(ctx.terminal, ctx.actor, account, amount, [TenderLine("cash", amount)])
        assert not print_receipt(ctx.terminal, ReceiptRenderer(dead_printer(tmp_path), ctx.hall), "payment", paid.payment_id).printed
        ids.append(paid.payment_id)
    return ctx, ids


def open_queue(qtbot, ctx):
    owner = QWidget()
    qtbot.addWidget(owner)
    outcomes = []
    dialog = ReprintQueueDialog(owner, ctx, outcomes.append)
    dialog.owner = owner  # the counter window's stand-in lives as long as the dialog
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    settle(qtbot)
    return dialog, outcomes


def row(dialog, r):
    return [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]


def test_the_queue_shows_receipt_number_and_account_and_enter_prints_the_original(qtbot, queued, tmp_path):
    ctx, ids = queued
    dialog, outcomes = open_queue(qtbot, ctx)
    assert dialog.table.rowCount() == 2
    first, second = row(dialog, 0), row(dialog, 1)
    assert first[:4] == ["T01-00000001", "收费凭证", "3101000001", "￥292.54"]
    assert second[:4] == ["T01-00000002", "收费凭证", "3101000004", "￥201.00"]
    assert "无法连接打印机" in first[5]
    ctx.printer = file_printer(tmp_path / "paper.bin")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    settle(qtbot)
    assert dialog.message.text() == "凭证已打印" and outcomes[-1].printed
    assert row(dialog, 0)[0] == "T01-00000002"  # the printed one left the list
    text = paper(tmp_path / "paper.bin")
    assert "T01-00000001" in text and "重打" not in text  # it never came out before: the original
    assert print_queue(ctx.store).count == 1


def test_the_queue_follows_print_jobs_from_anywhere(qtbot, queued, tmp_path):
    ctx, ids = queued
    dialog, _ = open_queue(qtbot, ctx)
    assert dialog.table.rowCount() == 2
    # F11 on the counter prints the first one: it leaves the open list without the dialog asking.
    assert reprint(ctx.terminal, ctx.actor, ReceiptRenderer(file_printer(tmp_path / "f11.bin"), ctx.hall), ids[0]).printed
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    # A new payment whose receipt fails joins it.
    paid = take_payment(ctx.terminal, ctx.actor, "3101000003", 5000, [TenderLine("cash", 5000)])
    print_receipt(ctx.terminal, ReceiptRenderer(dead_printer(tmp_path), ctx.hall), "payment", paid.payment_id)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10000)
    assert [row(dialog, r)[2] for r in range(2)] == ["3101000004", "3101000003"]
    settle(qtbot)


def test_a_failing_printer_says_it_did_not_print_and_keeps_the_receipt(qtbot, queued, tmp_path):
    ctx, ids = queued
    ctx.printer = dead_printer(tmp_path)
    dialog, outcomes = open_queue(qtbot, ctx)
    dialog.table.selectRow(1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "仍未打出" in dialog.message.text(), timeout=10000)
    settle(qtbot)
    assert not outcomes[-1].printed and "补打队列" in dialog.message.text()
    assert dialog.table.rowCount() == 2 and print_queue(ctx.store).count == 2
    assert dialog.table.currentRow() == 1  # the cashier's choice survives the list's refresh


def test_printer_off_then_print_from_the_queue(qtbot, with_shift, tmp_path):
    ctx = with_shift
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]
    dead.close()
    ctx.printer = Printer(PrinterSettings(uri=f"tcp://127.0.0.1:{port}"), tmp_path, timeout=1.0)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClicks(window.search_box, "3101000004")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.keyClicks(window.tendered, "201")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功" in window.message.text()
    qtbot.waitUntil(lambda: "拒绝连接" in window.status.printer.text(), timeout=10000)
    assert "补打队列" in window.status.printer.text()

    fake = FakePrinter("ok")
    try:
        ctx.printer = Printer(PrinterSettings(uri=fake.uri), tmp_path, timeout=1.0)
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReprintQueueDialog) and w.isVisible())
        settle(qtbot)
        assert dialog.table.rowCount() == 1 and "拒绝连接" in dialog.table.item(0, 5).text()
        assert dialog.table.item(0, 2).text() == "3101000004"
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10000)
        settle(qtbot)
        printed = "\n".join(line.text for line in decode(bytes(fake.received)).lines)
        assert "T01-00000001" in printed and "重打" not in printed
        assert dialog.message.text() == "凭证已打印" and dialog.empty.isVisible()
        # The status bar follows the queue: no more warning once it is empty.
        qtbot.waitUntil(lambda: "补打队列" not in window.status.printer.text(), timeout=10000)
    finally:
        fake.close()
