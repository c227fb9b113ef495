"""The service evaluator's panel (服务评价器) on the customer's side: 非常满意 / 满意 / 不满意.

Touch or mouse on three big buttons; a USB keypad without a pole display types 1/2/3 on its number pad,
which the counter hands over while a rating is asked (``CustomerSideUi.rate_key``) without taking the
cashier's ordinary digits. No answer before the countdown ends is ``unrated`` — never satisfied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cashier.evaluations import SATISFIED, UNRATED, UNSATISFIED, VERY_SATISFIED

KEYS = {1: VERY_SATISFIED, 2: SATISFIED, 3: UNSATISFIED}  # the keypad's 1/2/3


class EvaluationPanel(QWidget):
    """Asks once; ``rated`` carries the answer (or ``unrated`` at the end of the countdown), exactly once."""

    rated = Signal(str)

    def __init__(self, timeout_seconds: int, elderly: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluation_panel")
        self.answer: str | None = None
        self.left = timeout_seconds
        size = 40 if elderly else 28
        layout = QVBoxLayout(self)
        ask = QLabel(self.tr("请您对本次服务进行评价"))
        ask.setObjectName("evaluation_ask")
        ask.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(ask.font())
        font.setPointSize(size)
        font.setBold(True)
        ask.setFont(font)
        layout.addStretch(1)
        layout.addWidget(ask)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, (rating, text) in enumerate(((VERY_SATISFIED, self.tr("非常满意")), (SATISFIED, self.tr("满意")),
                                              (UNSATISFIED, self.tr("不满意"))), start=1):
            button = QPushButton(f"{text}\n{key}")
            button.setObjectName(f"rate_{rating}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touched, never focused: the counter keeps the keyboard
            bfont = QFont(button.font())
            bfont.setPointSize(size - 4)
            button.setFont(bfont)
            button.setMinimumSize(int(size * 7), int(size * 4))
            button.clicked.connect(lambda _checked=False, r=rating: self.choose(r))
            row.addWidget(button)
            self.buttons[rating] = button
        layout.addLayout(row)
        self.countdown = QLabel("")
        self.countdown.setObjectName("evaluation_countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.countdown)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self._show_left()
        self.timer.start()

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
