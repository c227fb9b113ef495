"""The service evaluator's panel (服务评价器) on the customer's side: 非常满意 / 满意 / 不满意.

Touch or mouse on three big buttons; a USB keypad without a pole display types 1/2/3 on its number pad,
which the counter hands over while a rating is asked (``CustomerSideUi.rate_key``) without taking the
cashier's ordinary digits. No answer before the countdown ends is ``unrated`` — never satisfied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cashier.evaluations import SATISFIED, UNRATED, UNSATISFIED, VERY_SATISFIED
from ui.customer_display import set_type

KEYS = {1: VERY_SATISFIED, 2: SATISFIED, 3: UNSATISFIED}  # the keypad's 1/2/3
ROW_SPACING = 12  # px between the buttons
UNIT, ELDERLY_UNIT = 14.0, 22.0  # the type's unit (points) of a panel not on the customer display


class EvaluationPanel(QWidget):
    """Asks once; ``rated`` carries the answer (or ``unrated`` at the end of the countdown), exactly once."""

    rated = Signal(str)

    def __init__(self, timeout_seconds: int, elderly: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluation_panel")
        self.answer: str | None = None
        self.left = timeout_seconds
        layout = QVBoxLayout(self)
        self.ask = QLabel(self.tr("请您对本次服务进行评价"))
        self.ask.setObjectName("evaluation_ask")
        self.ask.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ask.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(self.ask)
        row = QHBoxLayout()
        row.setSpacing(ROW_SPACING)
        self.buttons: dict[str, QPushButton] = {}
        for key, (rating, text) in enumerate(((VERY_SATISFIED, self.tr("非常满意")), (SATISFIED, self.tr("满意")),
                                              (UNSATISFIED, self.tr("不满意"))), start=1):
            button = QPushButton(f"{text}\n{key}")
            button.setObjectName(f"rate_{rating}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touched, never focused: the counter keeps the keyboard
            button.clicked.connect(lambda _checked=False, r=rating: self.choose(r))
            row.addWidget(button)
            self.buttons[rating] = button
        layout.addLayout(row)
        self.countdown = QLabel("")
        self.countdown.setObjectName("evaluation_countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setWordWrap(True)
        layout.addWidget(self.countdown)
        layout.addStretch(1)
        # Alone (no customer display) the panel has its own type; on the display, the display's (``fit_type``).
        self.fit_type(ELDERLY_UNIT if elderly else UNIT)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self._show_left()
        self.timer.start()

    def fit_type(self, unit: float, width: int | None = None) -> None:
        """Type from ``unit`` (the customer display's, which follows its window and 关爱模式): the question as
        large as the display's prompts, the buttons a little smaller, the countdown as large as its notices.
        ``width``: the room the panel has; the buttons' type shrinks until the three fit side by side."""

        def size(widget: QWidget, factor: float, bold: bool = False) -> None:
            set_type(widget, unit * factor, bold)

        size(self.ask, 2.0, True)
        size(self.countdown, 1.35, True)
        font = QFont(next(iter(self.buttons.values())).font())
        font.setPointSizeF(max(8.0, unit * 1.7))
        words = [button.text().split("\n")[0] for button in self.buttons.values()]

        def wanted(font: QFont) -> int:  # the longest answer with a finger's margin, three times, and the spacing
            metrics = QFontMetrics(font)
            return 3 * (max(metrics.horizontalAdvance(w) for w in words) + metrics.height()) + 2 * ROW_SPACING
        if width is not None:
            room = width - self.layout().contentsMargins().left() - self.layout().contentsMargins().right()
            while font.pointSizeF() > 8.0 and wanted(font) > room:
                font.setPointSizeF(max(8.0, font.pointSizeF() * 0.95))
        metrics = QFontMetrics(font)
        for button in self.buttons.values():  # the three alike, each wide enough for the longest answer
            button.setFont(font)
            button.setMinimumSize(max(metrics.horizontalAdvance(w) for w in words) + metrics.height(),
                                  metrics.height() * 3)

    def _show_left(self) -> None:
        self.countdown.setText(self.tr("{n} 秒后自动结束").format(n=self.left))

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.choose(UNRATED)
        else:
            self._show_left()

    def choose(self, rating: str) -> None:
        """The customer's answer (or ``unrated``): said once, later presses ignored."""
        if self.answer is not None:
            return
        self.answer = rating
        self.timer.stop()
        self.rated.emit(rating)

    def key(self, number: int) -> bool:
        """The keypad's 1/2/3; True when it was a rating key."""
        rating = KEYS.get(number)
        if rating is None:
            return False
        self.choose(rating)
        return True
