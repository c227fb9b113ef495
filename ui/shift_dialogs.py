"""Opening a shift with the float counted, and closing it blind (长短款, reason, supervisor)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from cashier import auth, shifts
from cashier.errors import CashierError
from cashier.i18n import translate
from cashier.money import format_fen
from cashier.printing import PrintOutcome, print_receipt
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import DenominationGrid, MessageLine, big, show_in_folder


class OpenShiftDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext, done: Callable[[], None]) -> None:
        super().__init__(parent)
        self.ctx, self.done_cb = ctx, done
        self.setObjectName("open_shift")
        self.setWindowTitle(self.tr("开班 — 清点备用金"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("按面额输入备用金张数，回车确认，Esc 取消")))
        self.grid = DenominationGrid()
        layout.addWidget(self.grid)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("开班 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)

    def submit(self) -> None:
        counts = self.grid.counts()
        self.button.setEnabled(False)
        Op(self, lambda: shifts.open_shift(self.ctx.terminal, self.ctx.actor, counts)) \
            .success(self._opened).failure(self._failed).always(lambda: self.button.setEnabled(True)) \
            .run_in_background()

    def _opened(self, _shift_id: str) -> None:
        self.done_cb()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.message.error(str(exc) if isinstance(exc, CashierError) else repr(exc))


SHORT_COLOUR, OVER_COLOUR, EVEN_COLOUR = "#c0392b", "#b9770e", "#1e8449"


def over_short_colour(fen: int) -> str:
    return SHORT_COLOUR if fen < 0 else OVER_COLOUR if fen > 0 else EVEN_COLOUR


class CountConfirmation(QDialog):
    """The counted cash, large, before the blind count is committed: Enter confirms, Esc goes back
    to the count (nothing is recorded)."""

    def __init__(self, parent: QWidget, counted_fen: int, pieces: int) -> None:
        super().__init__(parent)
        self.setObjectName("confirm_count")
        self.setWindowTitle(self.tr("确认实点现金"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("请核对钱箱实点现金（共 {n} 张/枚）：").format(n=pieces)))
        self.amount = big(QLabel(format_fen(counted_fen)), 36)
        self.amount.setObjectName("counted")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.amount)
        layout.addWidget(QLabel(self.tr("确认后提交结班；提交后实点金额记入审计，不能撤回。")))
        buttons = QHBoxLayout()
        back = QPushButton(self.tr("返回重点 (Esc)"))
        back.setObjectName("back")
        back.setAutoDefault(False)
        back.clicked.connect(self.reject)
        self.ok = QPushButton(self.tr("确认结班 (Enter)"))
        self.ok.setObjectName("confirm")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.accept)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        layout.addLayout(buttons)
        self.ok.setFocus()


class CloseShiftDialog(QDialog):
    """Blind close: the count goes in first, confirmed on a large figure; only then the difference
    is shown (短款/长款 in words). Once closed, the 交班单 goes to the receipt printer."""

    def __init__(self, parent: QWidget, ctx: AppContext, done: Callable[[], None]) -> None:
        super().__init__(parent)
        self.ctx, self.done_cb = ctx, done
        self.approval_id: int | None = None
        self.confirmed: dict[int, int] | None = None  # the count the cashier confirmed last
        self.confirmation: CountConfirmation | None = None
        self.report: ShiftReportDialog | None = None
        self.setObjectName("close_shift")
        self.setWindowTitle(self.tr("结班 — 盲点现金"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("请清点钱箱，按面额输入张数（系统不显示应有金额），回车提交")))
        self.grid = DenominationGrid()
        layout.addWidget(self.grid)
        self.difference = big(QLabel(""), 18)
        self.difference.setObjectName("over_short")
        layout.addWidget(self.difference)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisor")
        self.supervisor_password = QLineEdit()
        self.supervisor_password.setObjectName("supervisor_password")
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason_row = (QLabel(self.tr("长短款原因")), self.reason)
        form.addRow(*self.reason_row)
        form.addRow(self.tr("班长用户名"), self.supervisor)
        form.addRow(self.tr("班长密码"), self.supervisor_password)
        layout.addLayout(form)
        for widget in (self.reason, self.supervisor, self.supervisor_password):
            widget.setEnabled(False)
            widget.returnPressed.connect(self.submit)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("提交 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.result = None
        self.grid.boxes[max(self.grid.boxes)].setFocus()

    def submit(self) -> None:
        if not self.button.isEnabled():
            return  # closing already: a second Enter does nothing
        counts = self.grid.counts()
        if counts != self.confirmed:
            self._confirm(counts)
            return
        self._commit(counts)

    def _confirm(self, counts: dict[int, int]) -> None:
        self.confirmation = CountConfirmation(self, sum(f * n for f, n in counts.items()), sum(counts.values()))
        self.confirmation.accepted.connect(lambda: self._confirmed(counts))
        self.confirmation.rejected.connect(self._back_to_count)
        self.confirmation.open()

    def _confirmed(self, counts: dict[int, int]) -> None:
        self.confirmed = counts
        self._commit(counts)

    def _back_to_count(self) -> None:
        self.message.clear()
        box = self.grid.focusWidget() if isinstance(self.grid.focusWidget(), QSpinBox) else \
            self.grid.boxes[max(self.grid.boxes)]
        box.setFocus()
        QTimer.singleShot(0, box.selectAll)  # after the focus comes back from the confirmation: a recount types over

    def _commit(self, counts: dict[int, int]) -> None:
        reason = self.reason.text().strip() or None
        t, actor = self.ctx.terminal, self.ctx.actor
        username, password = self.supervisor.text().strip(), self.supervisor_password.text()
        need_approval = self.supervisor.isEnabled()

        def work():
            approval = self.approval_id
            if need_approval and approval is None:
                with t.store.read() as s:
                    shift = shifts.open_shift_of(s, t)
                    shift_id = shift.id if shift else ""
                approval = auth.authorize(t, actor, username, password, "over_short", shift_id, reason or "")
            return approval, shifts.close_shift(t, actor, counts, reason, approval)

        self.button.setEnabled(False)
        Op(self, work).success(self._closed).failure(self._failed) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()

    def _closed(self, outcome) -> None:
        self.approval_id, self.result = outcome
        self.done_cb()
        self.accept()
        self.report = print_shift_report(self.parentWidget() or self, self.ctx, self.result)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CashierError):
            self.message.error(repr(exc))
            return
        self.message.error(str(exc))
        if exc.key == "shift.reason_required":
            fen = int(exc.params.get("over_short_fen", 0))
            self.difference.setText(shifts.describe_over_short(fen))
            self.difference.setStyleSheet(f"color: {over_short_colour(fen)};")
            self.reason.setEnabled(True)
            self.reason.setFocus()
        elif exc.key == "auth.approval_required":
            self.reason.setEnabled(True)
            self.supervisor.setEnabled(True)
            self.supervisor_password.setEnabled(True)
            self.supervisor.setFocus()


def print_shift_report(parent: QWidget, ctx: AppContext, closed: shifts.CloseResult) -> "ShiftReportDialog":
    """Send the 交班单 of a just-closed shift to the receipt printer (in the background) and show the
    hand-over dialog: the over/short in words, what the printer did, the preview, Ctrl+S for a PDF."""
    dialog = ShiftReportDialog(parent, ctx, closed)
    dialog.show()
    dialog.activateWindow()
    Op(dialog, lambda: print_receipt(ctx.terminal, ctx.render, "shift_report", closed.shift_id)) \
        .success(dialog.printed).failure(dialog.print_failed).run_in_background()
    return dialog


class ShiftReportDialog(QDialog):
    """After a blind close: 交班单 printed (or why not), its picture from the preview printer, and
    Ctrl+S to save it as a PDF with every payment of the shift. Enter or Esc closes."""

    def __init__(self, parent: QWidget, ctx: AppContext, closed: shifts.CloseResult) -> None:
        super().__init__(parent)
        self.ctx, self.closed = ctx, closed
        self.saved = None
        self.outcome: PrintOutcome | None = None
        self.setObjectName("shift_report")
        self.setWindowTitle(self.tr("已结班 — 交班单"))
        layout = QVBoxLayout(self)
        counted = QLabel(self.tr("实点现金 {amount}").format(amount=format_fen(closed.counted_cash_fen)))
        layout.addWidget(big(counted, 14))
        fen = closed.over_short_fen
        self.over_short = big(QLabel(shifts.describe_over_short(fen)), 20)
        self.over_short.setObjectName("over_short")
        self.over_short.setStyleSheet(f"color: {over_short_colour(fen)};")
        layout.addWidget(self.over_short)
        self.image = QLabel(self.tr("正在打印交班单…"))
        self.image.setObjectName("preview")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.area = QScrollArea()
        self.area.setWidget(self.image)
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setVisible(False)
        layout.addWidget(self.area, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.pdf_button = QPushButton(self.tr("存为 PDF (Ctrl+S)"))
        self.pdf_button.setObjectName("save_pdf")
        self.pdf_button.setAutoDefault(False)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.folder_button = QPushButton(self.tr("打开所在文件夹 (Ctrl+O)"))
        self.folder_button.setAutoDefault(False)
        self.folder_button.setVisible(False)
        self.folder_button.clicked.connect(self.open_folder)
        close = QPushButton(self.tr("关闭 (Enter)"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save_pdf)
        QShortcut(QKeySequence("Ctrl+O"), self, activated=self.open_folder)
        self.message.ok(self.tr("正在打印交班单…"))
        self.resize(480, 320)

    def printed(self, outcome: PrintOutcome) -> None:
        self.outcome = outcome
        if not outcome.printed:
            self.message.error(self.tr("交班单未打出：{reason}。可按 Ctrl+S 存为 PDF，或稍后在补打队列重打").format(
                reason=translate(outcome.error_key, where="", reason="", kind="", package="") if outcome.error_key else ""))
            return
        if outcome.saved is not None:
            self.saved = outcome.saved
            self.folder_button.setVisible(True)
            self.message.ok(self.tr("交班单已存为 PDF：{file}").format(file=outcome.saved))
            return
        self.message.ok(self.tr("交班单已打印，请收费员和班长签字"))
        if outcome.preview is not None:
            picture = QPixmap(str(outcome.preview))
            self.image.setPixmap(picture.scaledToWidth(400, Qt.TransformationMode.SmoothTransformation))
            self.area.setVisible(True)
            self.area.setMinimumWidth(400 + self.area.verticalScrollBar().sizeHint().width() + 4)
            screen = self.screen().availableGeometry() if self.screen() else None
            self.resize(self.sizeHint().width(), min(700, screen.height() - 40) if screen else 700)
            if screen is not None and not screen.contains(self.frameGeometry()):
                self.move(self.x(), max(screen.top(), screen.bottom() - self.frameGeometry().height()))

    def print_failed(self, exc: BaseException) -> None:
        self.message.error(self.tr("交班单未打出：{reason}。可按 Ctrl+S 存为 PDF").format(reason=str(exc)))

    def save_pdf(self) -> None:
        if not self.pdf_button.isEnabled():
            return
        ctx, shift_id = self.ctx, self.closed.shift_id
        folder = ctx.paths.data_dir / "reports"

        def work():
            from receipts.pdf import write_shift_report

            return write_shift_report(ctx.store, ctx.hall, shift_id, folder)

        self.pdf_button.setEnabled(False)
        Op(self, work).success(self._saved).failure(lambda e: self.message.error(str(e))) \
            .always(lambda: self.pdf_button.setEnabled(True)).run_in_background()

    def _saved(self, path) -> None:
        self.saved = path
        self.folder_button.setVisible(True)
        self.message.ok(self.tr("交班单已存为 PDF：{file}").format(file=path))

    def open_folder(self) -> None:
        if self.saved is not None:
            show_in_folder(self.saved)
