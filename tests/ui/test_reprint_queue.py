"""A printer that is off: the payment stands, the cashier is told, and the reprint queue prints
the receipt (重打) once the printer is back."""

import socket

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cashier.settings import PrinterSettings
from receipts.printing import Printer
from tests.helpers.escpos_decode import decode
from tests.helpers.fake_printer import FakePrinter
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.reprint_queue import ReprintQueueDialog


def test_printer_off_then_reprint_from_the_queue(qtbot, with_shift, tmp_path):
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
        assert dialog.table.rowCount() == 1 and "拒绝连接" in dialog.table.item(0, 2).text()
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        settle(qtbot)
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10000)
        assert "重打 第1次" in "\n".join(line.text for line in decode(bytes(fake.received)).lines)
    finally:
        fake.close()
