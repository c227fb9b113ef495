"""Small widgets shared by the counter's screens: big amounts, error lines, denomination grids."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDateEdit, QFormLayout, QGridLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from cashier.cash import DENOMINATIONS_FEN, denomination_label
from cashier.money import format_fen


def big(label: QLabel, points: int = 24, bold: bool = True) -> QLabel:
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    return label


class DateField(QDateEdit):
    """A business date typed or picked (yyyy-MM-dd, calendar on Alt+Down), read as ``datetime.date``."""

    def __init__(self, value: date, name: str) -> None:
        super().__init__(calendarPopup=True)
        self.setObjectName(name)
        self.setDisplayFormat("yyyy-MM-dd")
        self.set_value(value)

    def value(self) -> date:
        d = self.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))


def set_style(widget: QWidget, css: str) -> None:
    """Set a style sheet only when it changes: each set re-polishes the widget (costly on the hot path)."""
    if widget.styleSheet() != css:
        widget.setStyleSheet(css)


class MessageLine(QLabel):
    """One line under a form: red for errors, green for success; read by the tests."""

    def __init__(self) -> None:
        super().__init__("")
        self.setWordWrap(True)
        self.setObjectName("message")

    def error(self, text: str) -> None:
        set_style(self, "color: #c0392b; font-weight: bold;")
        self.setText(text)

    def ok(self, text: str) -> None:
        set_style(self, "color: #1e8449; font-weight: bold;")
        self.setText(text)

    def clear(self) -> None:  # noqa: D401 - QLabel.clear with the style reset
        set_style(self, "")
        super().clear()


class _CountBox(QSpinBox):
    """A count of one denomination: the cursor arriving selects it, so typing replaces the 0 (5, not 50)."""

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)


class DenominationGrid(QWidget):
    """A count of the drawer by denomination (点钞), with its total in big figures."""

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        self.boxes: dict[int, QSpinBox] = {}
        for i, fen in enumerate(DENOMINATIONS_FEN):
            box = _CountBox()
            box.setRange(0, 99999)
            box.setAccessibleName(denomination_label(fen))
            box.valueChanged.connect(self._update)
            self.boxes[fen] = box
            grid.addWidget(QLabel(denomination_label(fen)), i // 3, (i % 3) * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(box, i // 3, (i % 3) * 2 + 1)
        self.total = big(QLabel(format_fen(0)), 20)
        grid.addWidget(self.total, len(DENOMINATIONS_FEN) // 3 + 1, 0, 1, 6, Qt.AlignmentFlag.AlignRight)

    def counts(self) -> dict[int, int]:
        return {fen: box.value() for fen, box in self.boxes.items() if box.value()}

    def set_counts(self, counts: dict[int, int]) -> None:
        for fen, box in self.boxes.items():
            box.setValue(counts.get(fen, 0))

    def _update(self) -> None:
        value = sum(fen * n for fen, n in self.counts().items())
        self.total.setText(format_fen(value))
        self.changed.emit(value)


class SupervisorForm:
    """The reason, supervisor and password rows, a message line and the Enter button of a dialog
    that a supervisor authorizes on this terminal. Labels come translated from the dialog
    itself (Qt looks translations up by the dialog's own class)."""

    def __init__(self, layout: QVBoxLayout, labels: tuple[str, str, str], button_text: str, submit,
                 rows_before: tuple = ()) -> None:
        form = QFormLayout()
        for label, widget in rows_before:
            form.addRow(label, widget)
        self.reason, self.supervisor, self.password = QLineEdit(), QLineEdit(), QLineEdit()
        self.reason.setObjectName("reason")
        self.supervisor.setObjectName("supervisor")
        self.password.setObjectName("supervisor_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for label, widget in zip(labels, (self.reason, self.supervisor, self.password)):
            form.addRow(label, widget)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(button_text)
        # Enter walks the form field by field, and only Enter in the password submits: a half-filled form
        # never reaches the supervisor's password check (each refusal counts towards their lockout).
        self.button.setDefault(False)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(submit)
        layout.addWidget(self.button)
        fields = [widget for _label, widget in rows_before if isinstance(widget, QLineEdit)]
        fields += [self.reason, self.supervisor]
        for field, after in zip(fields, fields[1:] + [self.password]):
            field.returnPressed.connect(lambda f=field, a=after: self._next(f, a))
        self.password.returnPressed.connect(submit)

    def _next(self, field: QLineEdit, after: QLineEdit) -> None:
        from cashier.i18n import translate

        if field is self.reason and not field.text().strip():
            self.message.error(translate("form.reason_required"))
            return
        if field is self.supervisor and not field.text().strip():
            self.message.error(translate("form.supervisor_required"))
            return
        self.message.clear()
        after.setFocus()
        after.selectAll()

    def complete(self) -> bool:
        """Reason, supervisor and password all typed; else the first missing one is said and gets the cursor
        (nothing half-filled is sent: a refusal would count towards the supervisor's lockout)."""
        from cashier.i18n import translate

        for field, key in ((self.reason, "form.reason_required"), (self.supervisor, "form.supervisor_required"),
                           (self.password, "form.password_required")):
            if not field.text().strip():
                self.message.error(translate(key))
                field.setFocus()
                return False
        return True

    def failed(self, exc: BaseException) -> None:
        """The refusal said, and the cursor where the correction goes (a wrong password: typed again)."""
        from cashier.errors import CashierError

        key = exc.key if isinstance(exc, CashierError) else ""
        self.password.clear()
        if key == "auth.reason_required":
            self.reason.setFocus()
        elif not self.supervisor.text().strip():
            self.supervisor.setFocus()
        else:
            self.password.setFocus()
        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))


def show_in_folder(path) -> None:
    """Open the folder holding ``path`` in the system's file manager (never in tests or offscreen)."""
    from pathlib import Path

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
