"""The preview printer's paper on screen (凭证预览): the whole width of the receipt, always.

The picture is drawn at the printer's dot width (576 px for 80 mm), wider than a dialog on a
small screen, and a receipt cut at the right edge hides every amount. So the picture is scaled
smoothly to the width the dialog has, again each time it is resized; only the length scrolls.

The dialog opens showing the whole receipt, its last lines (实收, 找零, 预存余额) too: narrower when
the paper at its own size is longer than the screen, as long as the type stays readable (at least
MIN_SCALE of the printed size). A receipt longer still (many bills) opens scrolled to its end, where
the totals and the change are. Esc or Enter closes it; the arrow and page keys scroll it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QDialog, QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

SCREEN_SHARE = 0.85  # of the screen's free width, at most, for the first size
HEIGHT_SHARE = 0.92  # of its free height (the title bar takes the rest)
MIN_SCALE = 0.6  # the least of the printed size the first size shrinks the paper to: about 12 px type on 80 mm


class ReceiptPreview(QDialog):
    def __init__(self, parent: QWidget | None, path) -> None:
        super().__init__(parent)
        self.setObjectName("receipt_preview")
        self.setWindowTitle(self.tr("凭证预览"))
        self.original = QPixmap(str(path))
        self.image = QLabel()
        self.image.setObjectName("receipt_image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.area = QScrollArea()
        self.area.setObjectName("receipt_area")
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidgetResizable(True)
        self.area.setWidget(self.image)
        self.area.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.area, 1)
        close = QPushButton(self.tr("关闭 (Enter)"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self._close = close
        self.resize(self._first_size(layout))
        self._to_end = self.original.height() * self._scale_for(self.size()) > self._picture_room(self.size()).height()
        self.area.verticalScrollBar().rangeChanged.connect(self._range_changed)
        self.area.verticalScrollBar().actionTriggered.connect(self._scrolled)
        self.area.setFocus()  # arrows and pages scroll; Enter still reaches the default button

    def _chrome(self) -> QSize:
        """What the dialog takes around the picture: its margins, the close button and the scroll bar's room."""
        margins = self.layout().contentsMargins()
        bar = self.area.verticalScrollBar().sizeHint().width()
        return QSize(margins.left() + margins.right() + bar,
                     margins.top() + margins.bottom() + self.layout().spacing() + self._close.sizeHint().height())

    def _picture_room(self, size: QSize) -> QSize:
        return size - self._chrome()

    def _scale_for(self, size: QSize) -> float:
        """The scale _fit gives the paper in a dialog of ``size`` (its width, never above the printed size)."""
        if self.original.isNull():
            return 1.0
        return min(1.0, max(1, self._picture_room(size).width()) / self.original.width())

    def _first_size(self, layout: QVBoxLayout) -> QSize:
        """The whole receipt when the screen has room for it at a readable scale (at its own size when it has room
        for that), else as much of the screen as is sensible."""
        chrome = self._chrome()
        width, height = self.original.width(), self.original.height()
        screen = (self.parentWidget().screen() if self.parentWidget() else None) or QGuiApplication.primaryScreen()
        if screen is None or self.original.isNull():
            return QSize(width, height) + chrome
        free = screen.availableGeometry()
        room_w = int(free.width() * SCREEN_SHARE) - chrome.width()
        room_h = int(free.height() * HEIGHT_SHARE) - chrome.height()
        scale = min(1.0, room_w / width, room_h / height)  # the whole paper, its width scaled to the dialog's
        if scale < MIN_SCALE:  # too long for the screen: readable type, the length scrolls (opened at its end)
            scale = min(1.0, room_w / width, max(MIN_SCALE, room_h / height))
            return QSize(int(width * scale) + chrome.width(), room_h + chrome.height())
        return QSize(int(width * scale) + chrome.width(), int(height * scale) + 1 + chrome.height())

    def _range_changed(self, _low: int, high: int) -> None:
        if self._to_end:  # a long receipt stays at its end (the totals, the change) until the cashier scrolls
            self.area.verticalScrollBar().setValue(high)

    def _scrolled(self, _action: int) -> None:
        self._to_end = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.area.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        """Scale the paper to the width the viewport has (never wider than printed: no blur)."""
        if self.original.isNull():
            return
        viewport, bar = self.area.viewport(), self.area.verticalScrollBar()
        width = viewport.width()
        if not bar.isVisible() and self.original.height() * width > viewport.height() * self.original.width():
            width -= bar.sizeHint().width()  # the bar is about to appear: leave it room now, so nothing hides under it
        width = max(1, min(width, self.original.width()))
        ratio = self.devicePixelRatioF()
        shown = self.original.scaledToWidth(round(width * ratio), Qt.TransformationMode.SmoothTransformation)
        shown.setDevicePixelRatio(ratio)
        self.image.setPixmap(shown)

    def shown_width(self) -> float:
        """The width the receipt takes on screen, in device-independent pixels."""
        pixmap = self.image.pixmap()
        return pixmap.width() / pixmap.devicePixelRatio() if pixmap is not None and not pixmap.isNull() else 0.0
