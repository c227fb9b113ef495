"""The customer display (客户显示): the window that faces the customer, following ``cashier.customer_side``.

``[customer_display] mode``: ``window`` — an ordinary top-level window titled 客户显示 beside the counter
(the demo's); ``screen`` — full screen on the PC's screen ``screen_index`` when the PC has more than one
(with one screen it falls back to a window, and the counter's status bar says so); ``off`` — none.

What it shows: the hall's name and the window number, always; idle, the hall's notices and the
self-service channels (``<data>/customer_display/notices.txt`` and its ``*.png``/``*.jpg`` images, or
the embedded defaults: 95598, the 网上国网 app, WeChat and Alipay); during a sale, 户号 and the masked name,
each open bill and its penalty, the total due very large and in 大写, received (cash handed over, or once
paid), change (only where cash makes change), the prepaid balance, "请输入支付密码" (large, in place of the
bills, with nothing received) while a scan payment waits, and the receipt's QR once paid. A page named "rating" holds
the service evaluation's panel (``show_rating(widget)``).

It never takes the focus from the counter (``WindowDoesNotAcceptFocus``, shown without activating), never
opens a dialog, and shows nothing but the feed's current view: the feed's idle view carries nothing of
the customer who left, and every label is rewritten from each view.

Type scales with the window's height (the same layout fits 1024×768 and 1920×1080), and 关爱模式 (elderly
mode, Ctrl+G at the counter) draws it larger.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget,
)

from cashier.customer_side import CustomerView, Stage
from cashier.money import format_fen, rmb_upper

log = logging.getLogger(__name__)

NOTICES_DIR = "customer_display"
NOTICES_FILE = "notices.txt"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_IMAGES = 4
ELDERLY_SCALE = 1.6  # 关爱模式: every text on the customer display, amounts and prompts too
BILLS_ELDERLY_SCALE = 1.35  # but the table of bills, whose rows would leave no room for the total

DEFAULT_NOTICES = ""  # read_notices' answer when the hall has none: the display shows its own (translated) defaults


def default_notices() -> str:
    """The embedded notices, in the counter's language."""
    return "\n".join((QCoreApplication.translate("CustomerDisplay", "95598 供电服务热线（24 小时）"),
                      QCoreApplication.translate("CustomerDisplay", "“网上国网”App：交费、查询电费、办理业务"),
                      QCoreApplication.translate("CustomerDisplay", "微信、支付宝：搜索“国网”或“生活缴费”交电费"),
                      QCoreApplication.translate("CustomerDisplay", "营业厅自助终端：刷卡或扫码交费")))


def read_notices(data_dir: Path) -> tuple[str, list[Path]]:
    """The hall's notices (text, at most 40 lines) and up to four images; "" when the hall has no text."""
    folder = Path(data_dir) / NOTICES_DIR
    text = ""
    try:
        text = (folder / NOTICES_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    text = "\n".join(text.strip().splitlines()[:40])
    try:
        images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    except OSError:
        images = []
    return text or DEFAULT_NOTICES, images[:MAX_IMAGES]


class QrCode(QWidget):
    """A QR code drawn by Qt from ``qrcode``'s matrix (the receipts' library), square and crisp at any size."""

    def __init__(self) -> None:
        super().__init__()
        self.matrix: list[list[bool]] = []
        self.payload = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_payload(self, payload: str) -> None:
        self.payload = payload
        self.matrix = []
        if payload:
            import qrcode

            code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
            code.add_data(payload)
            code.make(fit=True)
            self.matrix = code.get_matrix()
        self.setVisible(bool(payload))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(160, 160)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        if not self.matrix:
            return
        side = min(self.width(), self.height())
        cells = len(self.matrix)
        cell = side / cells
        x0, y0 = (self.width() - side) / 2, (self.height() - side) / 2
        p = QPainter(self)
        p.fillRect(QRectF(x0, y0, side, side), QColor("white"))
        for r, row in enumerate(self.matrix):
            for c, dark in enumerate(row):
                if dark:
                    p.fillRect(QRectF(x0 + c * cell, y0 + r * cell, cell + 0.5, cell + 0.5), QColor("black"))
        p.end()


def set_type(widget: QWidget, points: float, bold: bool = False) -> None:
    """The customer display's type on ``widget``: ``points`` (never below 8), bold or not."""
    font = QFont(widget.font())
    font.setPointSizeF(max(8.0, points))
    font.setBold(bold)
    widget.setFont(font)


def shrink_to(label: QLabel, room: int, least: float = 10.0) -> None:
    """A smaller type for ``label`` (down to ``least`` points) until each of its lines is at most ``room`` wide."""
    font = QFont(label.font())
    lines = label.text().split("\n")
    while font.pointSizeF() > least and max(QFontMetrics(font).horizontalAdvance(line) for line in lines) > room:
        font.setPointSizeF(max(least, font.pointSizeF() * 0.95))
    label.setFont(font)


def _label(name: str, wrap: bool = False, align=Qt.AlignmentFlag.AlignLeft) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class CustomerDisplay(QWidget):
    """The window facing the customer; ``follow(view)`` shows a ``CustomerView``."""

    def __init__(self, hall_name: str, window_name: str, data_dir: Path | None = None) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("customer_display")
        self.setWindowTitle(self.tr("客户显示"))
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet("QWidget#customer_display { background: #f4f8f7; } QLabel { color: #1b2631; }")
        self.view = CustomerView()
        self.data_dir = data_dir
        self._build(hall_name, window_name)
        self.load_notices()
        self.follow(self.view)
        self.resize(1024, 768)

    # --- building ---------------------------------------------------------------------------------
    def _build(self, hall_name: str, window_name: str) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        # The window keeps the size it was placed at: its type follows the size, never the other way round (the
        # wrapped lines' narrowest minimum would otherwise push it past the screen's edge).
        outer.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        header = QHBoxLayout()
        self.hall = _label("hall")
        self.hall.setText(hall_name)
        self.window_no = _label("window_no", align=Qt.AlignmentFlag.AlignRight)
        self.window_no.setText(window_name)
        self.care = _label("care", align=Qt.AlignmentFlag.AlignCenter)
        self.care.setText(self.tr("关爱模式"))
        self.care.setStyleSheet("color: #ffffff; background: #b03a2e; padding: 2px 10px; border-radius: 4px;")
        header.addWidget(self.hall, 1)
        header.addWidget(self.care)
        header.addWidget(self.window_no, 1)
        outer.addLayout(header)
        rule = QLabel()
        rule.setFixedHeight(3)
        rule.setStyleSheet("background: #00706b;")  # State Grid green
        outer.addWidget(rule)

        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        outer.addWidget(self.pages, 1)
        self.page_idle = self._build_idle()
        self.page_sale = self._build_sale()
        self.page_rating = QWidget()
        self.page_rating.setObjectName("rating")
        self._rating_layout = QVBoxLayout(self.page_rating)
        self._rating_widget: QWidget | None = None
        for page in (self.page_idle, self.page_sale, self.page_rating):
            self.pages.addWidget(page)

    def _build_idle(self) -> QWidget:
        page = QWidget()
        page.setObjectName("idle")
        layout = QHBoxLayout(page)
        self._idle_layout = layout
        self.welcome = _label("welcome", align=Qt.AlignmentFlag.AlignCenter)
        self.welcome.setText(self.tr("欢迎光临"))
        self.notices = _label("notices", wrap=True)  # QLabel wraps English at spaces, Chinese between characters
        self.notices.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.notices.setStyleSheet("background: #ffffff; border-left: 6px solid #00706b; padding: 16px;")
        self.notices.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        left = QVBoxLayout()
        left.addStretch(1)
        left.addWidget(self.welcome)
        left.addSpacing(12)
        left.addWidget(self.notices)
        left.addStretch(2)
        layout.addLayout(left, 3)
        self.images_box = QVBoxLayout()
        self.image_labels: list[QLabel] = []
        layout.addLayout(self.images_box, 0)  # a column only when the hall has images (load_notices)
        return page

    def _build_sale(self) -> QWidget:
        page = QWidget()
        page.setObjectName("sale")
        grid = QGridLayout(page)
        grid.setVerticalSpacing(6)
        self.account = _label("account")
        self.bills = _label("bills", wrap=True)
        self.bills.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.bills.setTextFormat(Qt.TextFormat.RichText)
        self.due_caption = _label("due_caption")
        self.due = _label("due", align=Qt.AlignmentFlag.AlignRight)
        self.due.setStyleSheet("color: #b03a2e;")
        self.due_upper = _label("due_upper", wrap=True, align=Qt.AlignmentFlag.AlignRight)
        self.received = _label("received")
        self.change = _label("change")
        self.change.setStyleSheet("color: #1e8449;")
        self.balance = _label("balance", wrap=True)
        self.prompt = _label("prompt", wrap=True, align=Qt.AlignmentFlag.AlignCenter)
        self.prompt.setStyleSheet("color: #ffffff; background: #00706b; padding: 8px; border-radius: 6px;")
        self.qr = QrCode()
        self.qr.setObjectName("receipt_qr")
        self.qr_caption = _label("qr_caption", wrap=True, align=Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.account, 0, 0, 1, 2)
        grid.addWidget(self.bills, 1, 0, 1, 2)
        due_row = QHBoxLayout()  # the total has the whole width: ￥99,999,999.99 fits in large type
        due_row.addWidget(self.due_caption)
        due_row.addWidget(self.due, 1)
        grid.addLayout(due_row, 2, 0, 1, 2)
        grid.addWidget(self.due_upper, 3, 0, 1, 2)
        figures = QVBoxLayout()
        for label in (self.received, self.change, self.balance):
            figures.addWidget(label)
        grid.addLayout(figures, 4, 0)
        qr_box = QVBoxLayout()
        qr_box.addWidget(self.qr, 1)
        qr_box.addWidget(self.qr_caption)
        grid.addLayout(qr_box, 4, 1)
        grid.addWidget(self.prompt, 5, 0, 1, 2)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return page

    def load_notices(self) -> None:
        """(Re)read the hall's notices and images from the data folder."""
        text, images = read_notices(self.data_dir) if self.data_dir else (DEFAULT_NOTICES, [])
        self.notices.setText(text or default_notices())
        for label in self.image_labels:
            label.deleteLater()
        self.image_labels = []
        self._pixmaps: list[QPixmap] = []
        for path in images:
            pixmap = QPixmap(str(path))
            if pixmap.isNull():
                log.warning("customer display: unreadable image %s", path.name)
                continue
            label = _label("notice_image", align=Qt.AlignmentFlag.AlignCenter)
            self._pixmaps.append(pixmap)
            self.images_box.addWidget(label, 1)
            self.image_labels.append(label)
        # Without images the notices have the whole width (not three fifths of it beside an empty column).
        self._idle_layout.setStretch(0, 3)
        self._idle_layout.setStretch(1, 2 if self.image_labels else 0)
        self._fit()

    def one_screen_note(self) -> str:
        return self.tr("客户显示：本机只有一个显示器，改为窗口显示")

    # --- the rating page (the service evaluation's panel is placed here) ---------------------------
    def show_rating(self, widget: QWidget) -> None:
        """Show the service evaluation's panel (after a payment) on the page named "rating"."""
        if self._rating_widget is not None and self._rating_widget is not widget:
            self._rating_layout.removeWidget(self._rating_widget)
            self._rating_widget.setParent(None)
        self._rating_widget = widget
        self._rating_layout.addWidget(widget)
        self.pages.setCurrentWidget(self.page_rating)
        self._fit()  # the panel's type is the display's

    # --- following the feed -----------------------------------------------------------------------
    def follow(self, view: CustomerView) -> None:
        """Show ``view``: every customer label is rewritten from it (empty when the view has nothing)."""
        self.view = view
        stage = view.stage
        self.care.setVisible(view.elderly)
        sale = stage in (Stage.SELECTED, Stage.TENDERED, Stage.PASSWORD, Stage.PAID)
        self.account.setText(self.tr("户号 {account}　户名 {name}").format(account=view.account_no, name=view.masked_name)
                             if sale and view.account_no else "")
        paid = stage is Stage.PAID
        self.due_caption.setText((self.tr("本次交费") if paid else self.tr("应缴金额")) if sale else "")
        amount = view.paid_fen if paid else view.due_fen
        self.due.setText(format_fen(amount) if sale else "")
        self.due_upper.setText(self.tr("人民币（大写）") + rmb_upper(amount) if sale else "")
        # 实收 only for money handed over (cash typed, or paid); 找零 only where cash can make change: a scan
        # payment waiting for the password shows neither, and once paid by scan 实收 alone.
        received = sale and stage is not Stage.PASSWORD and bool(view.received_fen)
        self.received.setText(self.tr("实收　{amount}").format(amount=format_fen(view.received_fen)) if received else "")
        self.change.setText(self.tr("找零　{amount}").format(amount=format_fen(view.change_fen))
                            if received and view.cash else "")
        if paid:
            balance = self.tr("预存余额　{amount}").format(amount=format_fen(view.prepaid_balance_fen))
            if view.prepaid_credit_fen:
                balance += "\n" + self.tr("（本次存入 {amount}）").format(amount=format_fen(view.prepaid_credit_fen))
        elif sale and view.prepaid_balance_fen:
            balance = self.tr("预存余额　{amount}").format(amount=format_fen(view.prepaid_balance_fen))
        else:
            balance = ""
        self.balance.setText(balance)
        prompt = ""
        if stage is Stage.PASSWORD:
            prompt = self.tr("请输入支付密码")  # said to the customer, who reads it on this screen
        elif paid:
            prompt = self.tr("收费成功，请收好凭证")
        self.prompt.setText(prompt)
        self.prompt.setVisible(bool(prompt))
        self.qr.set_payload(view.receipt_qr if paid else "")
        self.qr_caption.setText(self.tr("扫码查询本次交费\n{number}").format(number=view.receipt_no)
                                if paid and view.receipt_qr else "")
        if stage is Stage.RATING:
            self.pages.setCurrentWidget(self.page_rating)
        else:
            self.pages.setCurrentWidget(self.page_sale if sale else self.page_idle)
            if stage is Stage.IDLE and self._rating_widget is not None:  # the evaluation's panel leaves with the sale
                self._rating_layout.removeWidget(self._rating_widget)
                self._rating_widget.setParent(None)
                self._rating_widget = None
        self._fit()
        # As many rows as fit at the type just set; while the password is asked, the room goes to the prompt
        # (the customer looks at the phone and the amount, not the bills).
        self._show_bills()

    def _show_bills(self) -> None:
        """The bills' table with as many rows as the room the other lines leave holds (the rest in 另有 …)."""
        view = self.view
        self.bills.setText("")
        if view.stage not in (Stage.SELECTED, Stage.TENDERED):
            return  # once paid, the room goes to the payment's figures and QR; while the password is asked, to it
        if not view.bills:
            self.bills.setText(self.tr("无欠费账单"))
            return
        rows = self._bill_rows()
        room = None
        if self.isVisible():  # the bills' row has the stretch: emptied, it is the room left by the other lines
            self.layout().activate()
            self.page_sale.layout().activate()
            room = self.bills.height()
            rows = len(view.bills)
        while True:
            self.bills.setText(self._bills_html(view, rows))
            if room is None or rows <= 1 or self.bills.heightForWidth(self.bills.width()) <= room:
                return
            rows -= 1

    def _bills_html(self, view: CustomerView, rows: int) -> str:
        shown = view.bills[:rows]
        period, kwh, charge, penalty = self.tr("账期"), self.tr("电量kWh"), self.tr("电费"), self.tr("违约金")
        head = (f"<tr><th align='left'>{period}</th><th align='right'>{kwh}</th>"
                f"<th align='right'>{charge}</th><th align='right'>{penalty}</th></tr>")
        body = "".join(
            f"<tr><td>{b.period[:4]}-{b.period[4:]}</td><td align='right'>{b.kwh}</td>"
            f"<td align='right'>{format_fen(b.outstanding_fen)}</td><td align='right'>{format_fen(b.penalty_fen)}</td></tr>"
            for b in shown)
        more = ""
        if len(view.bills) > rows:
            rest = view.bills[rows:]
            more = ("<tr><td colspan='4'>" + self.tr("另有 {n} 期，合计 {amount}").format(
                n=len(rest), amount=format_fen(sum(b.outstanding_fen + b.penalty_fen for b in rest))) + "</td></tr>")
        waiver = ""
        if view.waiver_fen:
            waiver = ("<tr><td colspan='4'>" + self.tr("已减免违约金 {amount}").format(amount=format_fen(view.waiver_fen))
                      + "</td></tr>")
        return f"<table width='100%' cellspacing='0' cellpadding='3'>{head}{body}{more}{waiver}</table>"

    def _bill_rows(self) -> int:
        """Before the window is shown: as many bill rows as a third of its height holds at the bills' type."""
        line = QFontMetrics(self.bills.font()).height() + 6
        return max(2, int(max(400, self.height()) * 0.3 / line) - 3)  # less the heading, 另有 and 减免 lines  # less the heading, 另有 and 减免 lines

    # --- type that fits the window ---------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()
        if self.view.bills and self.view.stage not in (Stage.PAID, Stage.PASSWORD):
            self._show_bills()

    def type_unit(self) -> float:
        """The type's unit in points: from the window's size (the same layout at 1024×768 and 1920×1080),
        ELDERLY_SCALE times it in 关爱模式."""
        unit = max(6.0, min(self.height() / 768, self.width() / 1024) * 14)
        return unit * ELDERLY_SCALE if self.view.elderly else unit

    def _fit(self) -> None:
        """Point sizes from the window's size: the layout is the same at 1024×768 and 1920×1080."""
        unit = self.type_unit()

        def size(widget: QWidget, factor: float, bold: bool = False) -> None:
            set_type(widget, unit * factor, bold)

        size(self.hall, 1.3, True)
        size(self.window_no, 1.3, True)
        size(self.care, 1.0, True)
        # A long hall name gives way to the window number and the 关爱模式 badge: smaller rather than cut.
        beside = self.window_no.fontMetrics().horizontalAdvance(self.window_no.text()) + 2 * 12 + (
            self.care.sizeHint().width() if self.view.elderly else 0)
        shrink_to(self.hall, self.width() - 48 - beside - 8, least=8.0)
        size(self.welcome, 2.6, True)
        size(self.notices, 1.35)
        size(self.account, 1.5, True)
        # The bills' rows grow less in 关爱模式 (as much as before): the total, the figures and the prompts take the room.
        size(self.bills, 1.05 * (BILLS_ELDERLY_SCALE / ELDERLY_SCALE if self.view.elderly else 1.0))
        size(self.due_caption, 1.6, True)
        size(self.due, 4.2, True)
        # The longest totals shrink to the width left beside the caption (the figure is never cut).
        room = self.width() - 60 - self.due_caption.fontMetrics().horizontalAdvance(self.due_caption.text() or "应缴金额")
        font = QFont(self.due.font())
        while font.pointSizeF() > 10 and QFontMetrics(font).horizontalAdvance(self.due.text()) > room:
            font.setPointSizeF(font.pointSizeF() * 0.9)
        self.due.setFont(font)
        size(self.due_upper, 1.2)
        for label in (self.received, self.change):
            size(label, 1.7, True)
        size(self.balance, 1.4, True)
        size(self.prompt, 2.5 if self.view.stage is Stage.PASSWORD else 2.0, True)  # the password: the whole message
        # Likewise the figures beside the QR (large in 关爱模式): each line shrinks to its room rather than wrap or
        # be cut. The prompt too in 关爱模式, but never below 1.5 times its usual size: beyond, it wraps.
        inner = self.width() - 48 - 18  # less the window's and the page's margins
        for label in (self.received, self.change, self.balance):
            shrink_to(label, int(inner * 0.6) - 6)
        if self.view.elderly:
            shrink_to(self.prompt, inner - 32, least=self.prompt.font().pointSizeF() * 1.5 / ELDERLY_SCALE)
        elif self.view.stage is Stage.PASSWORD:  # larger type, on one line as far as it goes
            shrink_to(self.prompt, inner - 32, least=self.prompt.font().pointSizeF() * 2 / 3)
        size(self.qr_caption, 0.9)
        fit_type = getattr(self._rating_widget, "fit_type", None)  # the service evaluation's panel
        if fit_type is not None:
            fit_type(unit, self.width() - 48 - 18)  # less the window's and the rating page's margins
        side = int(min(self.height() * 0.26, self.width() * 0.22))
        self.qr.setFixedSize(side, side)
        for label, pixmap in zip(self.image_labels, self._pixmaps):
            width = int(self.width() * 0.3)
            height = int((self.height() - 120) / max(1, len(self.image_labels)))
            label.setPixmap(pixmap.scaled(width, max(40, height), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))


def place(display: CustomerDisplay, mode: str, screen_index: int) -> str | None:
    """Put the display where ``mode`` says; a note for the status bar when ``screen`` falls back to a window."""
    screens = QApplication.screens()
    note = None
    if mode == "screen":
        if len(screens) > 1:
            screen = screens[screen_index] if screen_index < len(screens) else screens[-1]
            display.setScreen(screen)
            display.setGeometry(screen.geometry())
            display.showFullScreen()
            return None
        note = display.one_screen_note()
    available = screens[0].availableGeometry() if screens else None
    if available is not None:
        width = min(1024, available.width() // 2)
        display.resize(width, min(768, available.height() - 40))
        display.move(available.right() - display.width(), available.top())
    display.show()
    return note
