"""The customer's side of the counter on real widgets and a real store: the customer display follows a whole
sale and forgets the customer, the pole display gets the exact bytes over a real TCP listener, and a pole
display that does not answer never holds up a payment."""

import socket
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from cashier.customer_side import Stage
from cashier.pole_display import CLEAR, ESC, INIT
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from ui.customer_display import CustomerDisplay


def customer_texts(display: CustomerDisplay) -> str:
    """Everything the customer can read on the display now (visible labels, the QR's payload)."""
    texts = [label.text() for label in display.findChildren(QLabel) if label.isVisibleTo(display)]
    return "\n".join(texts) + "\n" + display.qr.payload


def open_counter(qtbot, ctx, **display) -> CounterWindow:
    display.setdefault("mode", "window")
    for key, value in display.items():
        setattr(ctx.settings.customer_display, key, value)
    ctx.settings.voice.enabled = True
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    return window


def find(qtbot, window: CounterWindow, account: str) -> None:
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, account)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)


def no_dialog_on_the_customer_side(display: CustomerDisplay) -> bool:
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
               and (w.parent() is display or display.isAncestorOf(w))]
    return not dialogs and not display.findChildren(QDialog)


def test_customer_window_follows_a_whole_sale_and_never_shows_the_last_customer(qtbot, with_shift):
    window = open_counter(qtbot, with_shift)
    display = window.customer.display
    assert display.windowTitle() == "客户显示" and display.isVisible()
    assert display.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert display.pages.currentWidget().objectName() == "idle"
    assert "95598" in customer_texts(display) and "网上国网" in customer_texts(display)
    assert "1号窗口" in display.window_no.text()

    find(qtbot, window, "3101000001")  # selected
    assert display.pages.currentWidget().objectName() == "sale"
    assert "3101000001" in display.account.text() and "张*明" in display.account.text()
    assert "张三明" not in customer_texts(display)  # the cashier sees the full name, the customer the masked one
    assert "城关镇" not in customer_texts(display)  # no address on the customer's side
    assert display.due.text() == "￥292.54" and "贰佰玖拾贰元伍角肆分" in display.due_upper.text()
    assert "2025-12" in display.bills.text() and "2026-01" in display.bills.text()
    assert window.focusWidget() is window.tendered  # the display took nothing from the counter

    window.tendered.insert("300")  # tendered
    assert window.customer.feed.view.stage is Stage.TENDERED
    assert display.received.text().endswith("￥300.00") and display.change.text().endswith("￥7.46")

    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)  # paid
    settle(qtbot)
    assert "收费成功" in window.message.text()
    assert display.due_caption.text() == "本次交费" and display.due.text() == "￥292.54"
    assert display.change.text().endswith("￥7.46") and "预存余额" in display.balance.text()
    payment_id = window.last_payment
    assert display.qr.payload.startswith("HC1|payment|T01|") and payment_id in display.qr.payload
    assert display.qr.isVisibleTo(display) and display.qr.matrix
    assert window.customer.speaker.said == ["请支付二百九十二元五角四分", "收您三百元，找零七元四角六分，请收好凭证"]
    first_customer = ("3101000001", "张*明", "292.54", "300.00", "7.46", payment_id, "2025-12")
    qtbot.waitUntil(lambda: getattr(window, "preview", None) is not None, timeout=10000)
    settle(qtbot)

    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)  # the sale ends: idle
    assert display.pages.currentWidget().objectName() == "idle"
    shown = customer_texts(display)
    assert not [x for x in first_customer if x in shown]
    assert window.customer.feed.view == type(window.customer.feed.view)(Stage.IDLE)

    find(qtbot, window, "3101000004")  # the next customer
    shown = customer_texts(display)
    assert "3101000004" in shown and "单*" in shown
    assert not [x for x in first_customer if x in shown], shown
    assert no_dialog_on_the_customer_side(display)
    assert window.focusWidget() is window.tendered


def test_a_new_search_takes_the_customer_off_the_display_at_once(qtbot, with_shift):
    window = open_counter(qtbot, with_shift)
    display = window.customer.display
    find(qtbot, window, "3101000001")
    window.search_box.setText("3101000003")
    window.run_search()  # before the answer: nobody is shown, neither the last nor the next
    assert display.pages.currentWidget().objectName() == "idle" and "3101000001" not in customer_texts(display)
    settle(qtbot)
    assert "王*" in display.account.text() and "预存余额　￥50.00" in display.balance.text()


def test_the_elderly_key_enlarges_the_customer_display_and_slows_the_voice(qtbot, with_shift):
    window = open_counter(qtbot, with_shift)
    display = window.customer.display
    find(qtbot, window, "3101000001")
    before = display.due.font().pointSizeF()
    assert not display.care.isVisibleTo(display)
    qtbot.keyClick(window.tendered, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.customer.feed.elderly and display.care.isVisibleTo(display)
    assert display.due.font().pointSizeF() > before
    assert "关爱模式已开启" in window.message.text()
    assert display.due.text() == "￥292.54"  # the same customer, larger
    qtbot.keyClick(window.tendered, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert not window.customer.feed.elderly and display.due.font().pointSizeF() == pytest.approx(before)


def test_the_rating_page_holds_the_evaluation_panel_until_the_sale_ends(qtbot, with_shift):
    window = open_counter(qtbot, with_shift)
    display = window.customer.display
    panel = QLabel("非常满意 / 满意 / 不满意")
    display.show_rating(panel)
    assert display.pages.currentWidget().objectName() == "rating" and panel.parent() is display.page_rating
    window.customer.feed.idle()
    window.customer.feed.rating()
    assert display.pages.currentWidget().objectName() == "rating"
    window.customer.feed.selected(window._local_quote("3101000001"), 29254)
    window.customer.feed.idle()
    assert display.pages.currentWidget().objectName() == "idle" and panel.parent() is None


def test_password_prompt_for_a_scan_payment(qtbot, with_shift):
    window = open_counter(qtbot, with_shift)
    display = window.customer.display
    find(qtbot, window, "3101000001")
    window.tendered.insert("300")  # typed before the customer chose to scan
    window.customer.waiting_for_password()
    assert display.prompt.text() == "请输入支付密码" and display.prompt.isVisibleTo(display)  # said to the customer
    assert window.customer.speaker.said[-1] == "请输入密码"
    assert display.due.text() == "￥292.54"
    assert display.received.text() == "" and display.change.text() == ""  # nothing is received yet


def test_paid_by_scan_shows_received_and_no_change(qtbot, ctx):
    from cashier.customer_side import CustomerView

    display = CustomerDisplay("演示供电营业厅", "1号窗口")
    qtbot.addWidget(display)
    display.show()
    view = CustomerView(Stage.PAID, account_no="3101000001", masked_name="张*明", paid_fen=29254,
                        received_fen=29254, cash=False, receipt_qr="HC1|payment|T01|1|x|29254")
    display.follow(view)
    assert display.received.text() == "实收　￥292.54" and display.change.text() == ""
    display.follow(CustomerView(**{**view.__dict__, "cash": True, "received_fen": 30000, "change_fen": 746}))
    assert display.change.text() == "找零　￥7.46"  # cash makes change, and says it


def test_notices_and_images_from_the_data_folder(qtbot, ctx):
    from PySide6.QtGui import QColor, QImage

    folder = ctx.paths.data_dir / "customer_display"
    folder.mkdir(parents=True)
    (folder / "notices.txt").write_text("本厅周六照常营业\n停电检修公告：3月5日", encoding="utf-8")
    image = QImage(200, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    assert image.save(str(folder / "app.png"))
    (folder / "broken.png").write_bytes(b"not a png")
    display = CustomerDisplay("演示供电营业厅", "1号窗口", ctx.paths.data_dir)
    qtbot.addWidget(display)
    display.show()
    assert "本厅周六照常营业" in display.notices.text() and "95598" not in display.notices.text()
    assert len(display.image_labels) == 1 and not display.image_labels[0].pixmap().isNull()


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_layout_fits_in_both_languages_at_both_sizes(qtbot, language, size):
    from cashier.customer_side import BillLine, CustomerView
    from ui.translation import apply_language

    apply_language(language)
    try:
        display = CustomerDisplay("国网某某市供电公司城关供电营业厅", "12号窗口")
        qtbot.addWidget(display)
        display.resize(*size)
        display.show()
        bills = tuple(BillLine(f"2025{m:02d}", 12345, 9_999_999, 99_999) for m in range(1, 13))
        longest = 99_999_999_99
        views = [CustomerView(Stage.SELECTED, account_no="3101000001", masked_name="欧阳**娜", bills=bills,
                              waiver_fen=1234, due_fen=longest, prepaid_balance_fen=longest),
                 CustomerView(Stage.PASSWORD, account_no="3101000001", masked_name="欧阳**娜", bills=bills,
                              due_fen=longest, received_fen=longest),
                 CustomerView(Stage.PAID, account_no="3101000001", masked_name="欧阳**娜", bills=bills, due_fen=longest,
                              paid_fen=longest, received_fen=longest, change_fen=longest - 1,
                              prepaid_balance_fen=longest, prepaid_credit_fen=longest,
                              receipt_qr="HC1|payment|T01|12345678|0190f0e2-7a3c-7b1d-9c8e-0123456789ab|9999999999",
                              receipt_no="T01-12345678")]
        for elderly in (False, True):
            for view in views:
                display.follow(CustomerView(**{**view.__dict__, "elderly": elderly}))
                QApplication.processEvents()
                if view.stage is Stage.PASSWORD:
                    assert display.prompt.text() == ("请输入支付密码" if language == "zh"
                                                     else "Enter payment password")
                shown = [w for w in display.page_sale.findChildren(QWidget) if w.isVisibleTo(display)]
                assert display.qr in shown or view.stage is not Stage.PAID
                for widget in shown:
                    label = widget if isinstance(widget, QLabel) else None
                    if label is not None and not label.text():
                        continue
                    where = widget.geometry().translated(widget.parentWidget().mapTo(display, widget.pos()) - widget.pos())
                    assert display.rect().contains(where), (widget.objectName(), where, display.rect(), elderly)
                    if label is None:
                        continue
                    assert label.height() >= label.fontMetrics().height(), label.objectName()
                    if label.wordWrap() or label.textFormat() == Qt.TextFormat.RichText:
                        assert label.heightForWidth(label.width()) <= label.height() + 2, (label.objectName(), elderly)
                    else:
                        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), label.objectName()
    finally:
        apply_language("zh")


class PoleListener:
    """A real TCP listener standing in for the pole display: keeps every byte it receives."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.data = bytearray()
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            while chunk := conn.recv(4096):
                with self.lock:
                    self.data += chunk

    def received(self) -> bytes:
        with self.lock:
            return bytes(self.data)

    def close(self) -> None:
        self.server.close()


def number(lamp: bytes, digits: bytes) -> bytes:
    return CLEAR + ESC + b"s" + lamp + ESC + b"QA" + digits + b"\r"


def test_the_pole_display_receives_the_exact_bytes_of_a_payment_with_change(qtbot, with_shift):
    pole = PoleListener()
    window = open_counter(qtbot, with_shift, pole=f"tcp://127.0.0.1:{pole.port}")
    idle = CLEAR + ESC + b"s0"
    expected = INIT + idle
    qtbot.waitUntil(lambda: pole.received() == expected, timeout=5000)
    find(qtbot, window, "3101000001")
    expected += number(b"2", b"292.54")  # 总计
    qtbot.waitUntil(lambda: pole.received() == expected, timeout=5000)
    window.tendered.setText("300")
    expected += number(b"3", b"300.00")  # 收款
    qtbot.waitUntil(lambda: pole.received() == expected, timeout=5000)
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    expected += number(b"4", b"7.46")  # 找零
    qtbot.waitUntil(lambda: pole.received() == expected, timeout=5000)
    qtbot.waitUntil(lambda: getattr(window, "preview", None) is not None, timeout=10000)
    settle(qtbot)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    expected += idle  # cleared when the sale ends
    qtbot.waitUntil(lambda: pole.received() == expected, timeout=5000)
    assert pole.received() == (b"\x1b@" b"\x0c\x1bs0" b"\x0c\x1bs2\x1bQA292.54\r" b"\x0c\x1bs3\x1bQA300.00\r"
                               b"\x0c\x1bs4\x1bQA7.46\r" b"\x0c\x1bs0")
    assert not window.status.pole.isVisibleTo(window)
    window.customer.pole.close()
    pole.close()


def test_a_pole_display_that_never_answers_does_not_hold_up_a_payment(qtbot, with_shift):
    # A listener whose queue is full: the pole's connect hangs (SYNs dropped) until its timeout, as an
    # unplugged network display's does. The timeout is long: the payment must finish while it still hangs.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=2)  # fills the queue
    from cashier.pole_display import PoleDisplay

    window = open_counter(qtbot, with_shift)
    hung = PoleDisplay(f"tcp://127.0.0.1:{port}", timeout=120)
    window.customer.pole = hung
    window.customer.feed.listeners.append(hung.show)
    find(qtbot, window, "3101000001")
    qtbot.waitUntil(lambda: hung.attempting, timeout=5000)
    window.tendered.setText("300")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功 ￥292.54，找零 ￥7.46" in window.message.text()
    assert window.customer.display.change.text().endswith("￥7.46")
    assert hung.attempting and hung.sent == 0  # the pole is still trying its first connect
    hung.close()
    filler.close()
    server.close()


def test_a_refused_pole_display_is_said_in_the_status_bar(qtbot, with_shift):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nobody listens there now: refused at once
    window = open_counter(qtbot, with_shift, pole=f"tcp://127.0.0.1:{port}")
    qtbot.waitUntil(lambda: window.status.pole.isVisibleTo(window), timeout=5000)
    assert window.status.pole.text() == "客显无响应" and f"127.0.0.1:{port}" in window.status.pole.toolTip()
    window.customer.pole.close()


def test_screen_mode_on_a_one_screen_pc_falls_back_to_a_window_and_says_so(qtbot, with_shift):
    assert len(QApplication.screens()) == 1  # the offscreen platform has one screen
    window = open_counter(qtbot, with_shift, mode="screen", screen_index=1)
    display = window.customer.display
    assert display.isVisible() and not display.isFullScreen()
    assert window.status.currentMessage() == "客户显示：本机只有一个显示器，改为窗口显示"


def test_mode_off_makes_no_customer_window(qtbot, with_shift):
    with_shift.settings.customer_display.mode = "off"
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    assert window.customer.display is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, CustomerDisplay) and w.isVisible()]
    find(qtbot, window, "3101000001")
    assert window.customer.feed.view.account_no == "3101000001"  # the feed still follows (pole, voice)


def test_the_voice_speaks_through_a_worker_that_may_hang_without_holding_up_the_counter(qtbot, tmp_path):
    import sys

    from ui.speaker import Speaker

    # The real worker starts in the background (it says which voice it found, or why it is silent, when its
    # engine opens — which may be never on a PC whose sound is stuck): the counter hands it phrases at once.
    real = Speaker(True, 0, 80)
    real.say("请支付十元")
    assert real.said == ["请支付十元"] and real.process is not None
    real.close()
    # A worker whose engine never opens (speech-dispatcher stuck on a dead sound device): the counter's
    # phrases are written to its stdin and it never waits for an answer.
    heard = tmp_path / "heard.txt"
    stuck = Speaker(True, 0, 80, command=[sys.executable, "-c",
                                          f"import sys, time; time.sleep(0.5); open({str(heard)!r}, 'w').write(sys.stdin.readline()); time.sleep(60)"])
    for _ in range(50):
        stuck.say("收您一千元，找零二十九元七角五分，请收好凭证", elderly=True)
    assert len(stuck.said) == 50 and not stuck.voice
    qtbot.waitUntil(heard.exists, timeout=10_000)
    qtbot.waitUntil(lambda: heard.read_text(encoding="utf-8").endswith("\n"), timeout=10_000)
    said = __import__("json").loads(heard.read_text(encoding="utf-8"))
    assert said["text"] == "收您一千元，找零二十九元七角五分，请收好凭证" and said["times"] == 2  # elderly: twice
    assert said["rate"] < 0  # and slower
    process = stuck.process
    stuck.close()  # kills a stuck worker instead of waiting for it
    assert process.state() == process.ProcessState.NotRunning


def test_the_speech_worker_ends_with_its_counter_even_while_its_engine_hangs():
    """A counter killed (or crashed) leaves no speech worker behind: its stdin ends, and the worker ends with it,
    though its engine never opened (speech-dispatcher stuck) and a phrase waits to be said."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    hung = "import time, ui.speaker as s; s.open_engine = lambda: time.sleep(3600); raise SystemExit(s.serve())"
    worker = subprocess.Popen([sys.executable, "-c", hung], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              cwd=Path(__file__).resolve().parents[2], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        worker.stdin.write('{"text": "请支付十元"}\n'.encode())
        worker.stdin.flush()
        worker.stdin.close()  # what a counter's end does to the pipe
        assert worker.wait(timeout=20) == 0
    finally:
        worker.kill()
        worker.wait()


def typical_views(elderly: bool):
    from cashier.customer_side import BillLine, CustomerView

    bills = (BillLine("202512", 180, 15000, 120), BillLine("202601", 160, 14000, 134))
    common = dict(account_no="3101000001", masked_name="张*明", bills=bills, due_fen=29254, elderly=elderly)
    return [CustomerView(Stage.PASSWORD, received_fen=30000, change_fen=746, **common),
            CustomerView(Stage.PAID, paid_fen=29254, received_fen=30000, change_fen=746, prepaid_balance_fen=5000,
                         receipt_qr="HC1|payment|T01|12345678|x|3101000001", receipt_no="T01-12345678", **common)]


def fits(display: CustomerDisplay, widget: QWidget) -> list[str]:
    """What of ``widget`` the customer cannot read whole: outside the window, cut, wrapped past its height."""
    faults = []
    where = widget.rect().translated(widget.mapTo(display, widget.rect().topLeft()))
    if not display.rect().contains(where):
        faults.append(f"{widget.objectName()} at {where.getRect()} outside {display.rect().getRect()}")
    if isinstance(widget, QLabel) and widget.text():
        if widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText:
            if widget.heightForWidth(widget.width()) > widget.height() + 2:
                faults.append(f"{widget.objectName()} wraps past its height")
        elif widget.fontMetrics().horizontalAdvance(widget.text()) > widget.contentsRect().width():
            faults.append(f"{widget.objectName()} cut")
    return faults


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_elderly_mode_draws_amounts_and_prompts_half_as_large_again_and_still_fits(qtbot, language, size):
    from ui.translation import apply_language

    apply_language(language)
    try:
        display = CustomerDisplay("国网某某市供电公司城关供电营业厅", "12号窗口")
        qtbot.addWidget(display)
        display.resize(*size)
        display.show()
        points = {}
        for elderly in (False, True):
            for view in typical_views(elderly):
                display.follow(view)
                QApplication.processEvents()
                for label in (display.account, display.due, display.received, display.change, display.prompt):
                    points[(elderly, view.stage, label.objectName())] = label.font().pointSizeF()
                shown = [w for w in display.page_sale.findChildren(QWidget) if w.isVisibleTo(display)]
                shown += [w for w in (display.hall, display.care, display.window_no) if w.isVisibleTo(display)]
                assert not [f for w in shown for f in fits(display, w)], (elderly, view.stage)
        for (elderly, stage, name), pt in points.items():
            if elderly:
                assert pt >= 1.5 * points[(False, stage, name)], (stage, name, pt, points[(False, stage, name)])
        assert display.due.font().pointSizeF() >= 1.5 * 4.2 * min(size[1] / 768, size[0] / 1024) * 14 - 0.01
    finally:
        apply_language("zh")


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(640, 760), (1024, 768), (1920, 1080)])
def test_the_idle_notices_take_the_width_and_wrap_only_between_words(qtbot, language, size):
    from PySide6.QtGui import QTextLayout, QTextOption

    from cashier.customer_side import CustomerView
    from ui.translation import apply_language

    apply_language(language)
    try:
        display = CustomerDisplay("演示供电营业厅", "1号窗口")
        qtbot.addWidget(display)
        display.resize(*size)  # (640, 760): the demo's window beside the counter on a 1280×800 screen
        display.show()
        for elderly in (False, True):
            display.follow(CustomerView(Stage.IDLE, elderly=elderly))
            QApplication.processEvents()
            notices = display.notices
            assert ("95598 供电服务热线" if language == "zh" else "95598 power service hotline") in notices.text()
            assert notices.width() >= 0.9 * (display.page_idle.width() - 18), (notices.width(), elderly)
            assert not [f for w in (display.welcome, notices) for f in fits(display, w)], elderly
            # Where a line is wrapped, Qt's word wrap breaks English at spaces (and Chinese between characters,
            # never before a closing mark): no word is longer than the room, so none is cut in two.
            room = notices.contentsRect().width() - 40  # less the style's padding and border
            for line in notices.text().splitlines():
                layout = QTextLayout(line, notices.font())
                option = QTextOption()
                option.setWrapMode(QTextOption.WrapMode.WordWrap)
                layout.setTextOption(option)
                layout.beginLayout()
                breaks = []
                while (text_line := layout.createLine()).isValid():
                    text_line.setLineWidth(room)
                    breaks.append(text_line.textStart() + text_line.textLength())
                layout.endLayout()
                for at in breaks[:-1]:
                    if language == "en":
                        assert line[at - 1] == " ", (line, line[:at])
                    else:
                        assert line[at] not in "）)，。：”", (line, line[:at])
                if not elderly and size[0] >= 1024:
                    assert len(breaks) == 1, (line, "wrapped at", size)  # a 1024-wide display has room for each
    finally:
        apply_language("zh")
