"""The preview printer's paper on screen (凭证预览): the whole width of the receipt, always.

The picture is drawn at the printer's dot width (576 px for 80 mm), wider than a dialog on a
small screen, and a receipt cut at the right edge hides every amount. So the picture is scaled
smoothly to the width the dialog has, again each time it is resized; only the length scrolls.
Esc or Enter closes it; the arrow and page keys scroll it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QDialog, QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

SCREEN_SHARE = 0.85  # of the screen's free area, at most, for the first size


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
        self.resize(self._first_size(layout))
        self.area.setFocus()  # arrows and pages scroll; Enter still reaches the default button

    def _first_size(self, layout: QVBoxLayout) -> QSize:
        """The paper at its own size when the screen has room, else as much of the screen as is sensible."""
        margins = layout.contentsMargins()
        bar = self.area.verticalScrollBar().sizeHint().width()
        width = self.original.width() + margins.left() + margins.right() + bar
        height = self.original.height() + margins.top() + margins.bottom() + 60
        screen = (self.parentWidget().screen() if self.parentWidget() else None) or QGuiApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry()
            width = min(width, int(free.width() * SCREEN_SHARE))
            height = min(height, int(free.height() * SCREEN_SHARE))
        return QSize(width, height)

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
