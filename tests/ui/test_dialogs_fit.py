"""Every dialog and window fits its content: on screens of 1280×800 and 1920×1080, at 100 % and at
150 % (large print), in Chinese and in English, no label, field or button is cut.

QT_SCALE_FACTOR keeps the layout in logical pixels and gives the screen fewer of them (150 % of
1280×800 is 853×533), so each case is the same window at 100 % against the logical screen: shown
with some realistic content, resized to min(its size hint, the logical screen) as a window manager
would, and then
- its minimum size must fit the logical screen (else some of it is off the screen), and
- every visible label, line edit, combo box, button, check box and spin box must have at least its
  minimum size hint; a label that does not wrap must have the width of its text (else the text is cut).
Each case is named dialog-language-screen-scale, e.g. ``ReversalDialog-en-1280x800-150``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QWidget,
)

from cashier import shifts
from cashier.demo.vocabulary import DEMO_USERS
from cashier.i18n import translate
from cashier.payments import TenderLine, take_payment
from cashier.sale import Confirm, Guard, Totals
from cashier.settings import Paths, PrinterSettings
from cashier.printing import print_receipt
from receipts.printing import ReceiptRenderer
from tests.ui.conftest import settle
from ui.translation import apply_language

CHECKED = (QLabel, QLineEdit, QComboBox, QPushButton, QCheckBox, QAbstractSpinBox)
INNER_PARTS_OF = (QAbstractSpinBox, QComboBox)  # their own line edits are drawn inside them, frameless


@dataclass(frozen=True)
class Screen:
    width: int
    height: int
    scale: int  # percent

    def logical(self) -> QSize:
        return QSize(self.width * 100 // self.scale, self.height * 100 // self.scale)

    def __str__(self) -> str:
        return f"{self.width}x{self.height}-{self.scale}"


SCREENS = [Screen(w, h, scale) for w, h in ((1280, 800), (1920, 1080)) for scale in (100, 150)]
LANGUAGES = ("zh", "en")


# --- realistic content --------------------------------------------------------------------------
def _a_day_of_payments(ctx) -> list[str]:
    """Two payments of the open shift: one cash with change, one by bank card."""
    cashier = ctx.hall_fixture.cashier
    return [take_payment(ctx.terminal, cashier, "3101000001", 29254, [TenderLine("cash", 30000)]).payment_id,
            take_payment(ctx.terminal, cashier, "3101000004", 20100,
                         [TenderLine("bank_card", 20100, "POS-0012345678")]).payment_id]


def _closed_with_a_short(ctx) -> shifts.CloseResult:
    _a_day_of_payments(ctx)
    with ctx.store.read() as s:
        expected = shifts.expected_cash(s, shifts.open_shift_of(s, ctx.terminal))
    counted = expected - 200
    return shifts.close_shift(ctx.terminal, ctx.hall_fixture.cashier,
                              {10000: counted // 10000, 1: counted % 10000}, reason="找零多给两元")


def login(qtbot, case) -> QWidget:
    from ui.login import LoginDialog

    dialog = LoginDialog(hall_name="城关供电营业厅", terminal="1号窗口  T01",
                         demo_users=[(u, name, password) for u, name, _role, password in DEMO_USERS])
    dialog.message.error(translate("auth.locked", until="2026-03-02 10:15"))
    return dialog


def login_new_password(qtbot, case) -> QWidget:
    """The forced change at first sign-in, with its longest message."""
    from ui.login import LoginDialog

    ctx = case.ctx()
    dialog = LoginDialog(ctx)

    def to_the_change() -> None:
        from cashier import auth

        dialog._ask_new_password(auth.Actor(99, "zhoumin", "欧阳周敏", auth.Role.CASHIER, True))
        dialog.message.error(translate("auth.passwords_differ") + " " + translate("auth.password_too_short", length=6))

    case.after_show = to_the_change
    return dialog


def change_password(qtbot, case) -> QWidget:
    from ui.password import ChangePasswordDialog

    dialog = ChangePasswordDialog(None, case.with_shift())
    dialog.message.error(translate("auth.bad_credentials", left=2))
    return dialog


def password_shown(qtbot, case) -> QWidget:
    from cashier.auth import Role
    from cashier.users import NewPassword
    from ui.users_view import PasswordShownDialog

    return PasswordShownDialog(None, NewPassword("zhoumin", "欧阳周敏", Role.SUPERVISOR, "mwk7x4ecq2"), reset=True)


def confirm_deactivate(qtbot, case) -> QWidget:
    from PySide6.QtCore import QCoreApplication

    from ui.users_view import ConfirmDialog

    def tr(text: str) -> str:  # the texts as the staff tab words them
        return QCoreApplication.translate("UsersTab", text)

    return ConfirmDialog(None, tr("停用账号"), tr("停用 {name}（{username}）？停用后不能再登录，收费和班次记录保留。").format(
        name="欧阳周敏", username="zhoumin"), tr("停用 (Enter)"))


def unlock(qtbot, case) -> QWidget:
    from ui.idle import UnlockDialog
    from ui.login import LoginDialog
    from ui.session import SessionController

    ctx = case.with_shift()
    owner = LoginDialog(ctx)
    case.keep(owner, SessionController(owner))  # ctx.session: the dialog offers 签退，换人登录
    dialog = UnlockDialog(None, ctx)
    dialog.message.error(translate("auth.bad_credentials", left=2))
    return dialog


def sale_confirm(qtbot, case) -> QWidget:
    from ui.sale_confirm import SaleConfirmDialog

    # Both guards at once, the longest the dialog gets: ￥10,000 typed for a ￥292.54 bill.
    totals = Totals(due_fen=29254, amount_fen=929254, kept_fen=0, tendered_fen=1000000, remaining_fen=0,
                    change_fen=70746, prepaid_fen=900000)
    return SaleConfirmDialog(None, Confirm(frozenset({Guard.CHANGE, Guard.PREPAID}), totals))


def receipt_preview(qtbot, case) -> QWidget:
    from ui.receipt_preview import ReceiptPreview

    ctx = case.with_shift()
    paid = _a_day_of_payments(ctx)[0]
    outcome = print_receipt(ctx.terminal, ctx.render, "payment", paid)
    return ReceiptPreview(None, outcome.preview)


def reprint_queue(qtbot, case) -> QWidget:
    from receipts.printing import Printer
    from ui.reprint_queue import ReprintQueueDialog

    ctx = case.with_shift()
    dead = Printer(PrinterSettings(uri=f"file://{case.tmp_path}/no-such-folder/r.bin"), case.tmp_path / "previews",
                   timeout=1.0)  # a folder that does not exist: every print fails, the receipts wait in the queue
    for paid in _a_day_of_payments(ctx):
        print_receipt(ctx.terminal, ReceiptRenderer(dead, ctx.hall), "payment", paid)
    return ReprintQueueDialog(None, ctx, lambda _outcome: None)


def reversal(qtbot, case) -> QWidget:
    from ui.reversal import ReversalDialog

    ctx = case.with_shift()
    _a_day_of_payments(ctx)
    return ReversalDialog(None, ctx, lambda _result: None)


def waiver(qtbot, case) -> QWidget:
    from ui.authorize import WaiverDialog

    return WaiverDialog(None, case.with_shift(), "3101000001", 521)


def exposure(qtbot, case) -> QWidget:
    from cashier.money import format_fen
    from ui.authorize import ExposureDialog

    why = translate("sync.exposure_exceeded", hours=73, pending=format_fen(5_123_456), max_hours=72,
                    max_pending=format_fen(5_000_000))
    return ExposureDialog(None, case.with_shift(), why)


def open_shift(qtbot, case) -> QWidget:
    from ui.shift_dialogs import OpenShiftDialog

    ctx = case.ctx()
    ctx.actor = ctx.hall_fixture.cashier
    dialog = OpenShiftDialog(None, ctx, lambda: None)
    dialog.grid.set_counts({10000: 5, 1000: 20, 100: 50})
    return dialog


def close_shift(qtbot, case) -> QWidget:
    from ui.shift_dialogs import CloseShiftDialog

    dialog = CloseShiftDialog(None, case.with_shift(), lambda: None)
    case.after_show = lambda: _counted_short(qtbot, dialog)
    return dialog


def _counted_short(qtbot, dialog) -> None:
    """The state a cashier meets most: counted ￥2.00 short, asked for a reason."""
    dialog.grid.set_counts({10000: 4, 1000: 9, 100: 8})
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.confirmation is not None and dialog.confirmation.isVisible(), timeout=5000)
    dialog.confirmation.accept()
    settle(qtbot)
    assert dialog.reason.isEnabled(), dialog.message.text()


def count_confirmation(qtbot, case) -> QWidget:
    from ui.shift_dialogs import CountConfirmation

    return CountConfirmation(None, 12_345_678, 1234)


def shift_report(qtbot, case) -> QWidget:
    from ui.shift_dialogs import print_shift_report

    ctx = case.with_shift()
    closed = _closed_with_a_short(ctx)
    return print_shift_report(None, ctx, closed)


def cash_movement(qtbot, case) -> QWidget:
    from ui.cash_dialog import CashMovementDialog

    return CashMovementDialog(None, case.with_shift(), lambda _text: None)


def settings_dialog(qtbot, case) -> QWidget:
    from ui.settings_dialog import SettingsDialog

    return SettingsDialog(None, case.with_shift())


def first_run(page: int) -> Callable:
    def build(qtbot, case) -> QWidget:
        from ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(Paths.resolve(case.tmp_path / "new-pc"))
        case.after_show = lambda: _to_page(qtbot, wizard, page)
        return wizard

    return build


def _to_page(qtbot, wizard, page: int) -> None:
    # A new PC's wizard starts empty (no demo values); each page needs its fields to let the next one show.
    for field, text in ((wizard.hall_code, "3201001"), (wizard.hall_name, "城关供电营业厅"), (wizard.terminal_id, "T03"),
                        (wizard.terminal_name, "3号窗口"), (wizard.supervisor, "banzhang"),
                        (wizard.supervisor_name, "陈静"), (wizard.password, "Sup3r-pass"), (wizard.password2, "Sup3r-pass")):
        field.setText(text)
    for _ in range(page):
        wizard.next()
        settle(qtbot)
    if page == len(wizard.pageIds()) - 1:  # the summary: shown once the set-up is applied
        qtbot.waitUntil(lambda: wizard.currentId() == wizard.pageIds()[page], timeout=15000)
    assert wizard.currentId() == wizard.pageIds()[page]


SUPERVISOR_TABS = ("review", "day", "arrears", "collection", "held", "users")


def supervisor(tab: int) -> Callable:
    def build(qtbot, case) -> QWidget:
        from ui.supervisor import SupervisorWindow

        ctx = case.with_shift()
        _closed_with_a_short(ctx)
        if SUPERVISOR_TABS[tab] == "held":  # the upstream refused the first payment (the push's own words)
            from sqlalchemy import update

            from cashier.store.models import OutboxEntry

            with ctx.store.transaction() as s:
                s.execute(update(OutboxEntry).where(OutboxEntry.id == 1).values(status="rejected",
                                                                                last_error="unknown_account"))
        ctx.actor = ctx.hall_fixture.supervisor
        window = SupervisorWindow(ctx)
        case.after_show = lambda: (window.tabs.setCurrentIndex(tab), settle(qtbot))
        return window

    return build


def counter(qtbot, case) -> QWidget:
    from PySide6.QtCore import Qt

    from ui.counter import CounterWindow

    ctx = case.with_shift()
    _a_day_of_payments(ctx)
    window = CounterWindow(ctx)

    def look_up() -> None:  # a customer on the panel: the screen as it is most of the day
        qtbot.keyClicks(window.search_box, "3101000002")
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
        settle(qtbot)

    case.after_show = look_up
    return window


DIALOGS: dict[str, Callable] = {
    "LoginDialog": login,
    "LoginDialog[new-password]": login_new_password,
    "ChangePasswordDialog": change_password,
    "PasswordShownDialog": password_shown,
    "ConfirmDialog[deactivate]": confirm_deactivate,
    "UnlockDialog": unlock,
    "SaleConfirmDialog": sale_confirm,
    "ReceiptPreview": receipt_preview,
    "ReprintQueueDialog": reprint_queue,
    "ReversalDialog": reversal,
    "WaiverDialog": waiver,
    "ExposureDialog": exposure,
    "OpenShiftDialog": open_shift,
    "CloseShiftDialog": close_shift,
    "CountConfirmation": count_confirmation,
    "ShiftReportDialog": shift_report,
    "CashMovementDialog": cash_movement,
    "SettingsDialog": settings_dialog,
    **{f"FirstRunWizard[page{i + 1}]": first_run(i) for i in range(5)},
    **{f"SupervisorWindow[{name}]": supervisor(i) for i, name in enumerate(SUPERVISOR_TABS)},
    "CounterWindow": counter,
}

# Clipping found by this test in files other engineers own, (dialog, language, screen) → what is cut.
# Each is xfail(strict): the fix makes the case pass, and strict xfail then says to remove it here.
_COUNTER = ("ui/counter.py: the left column (search, account panel min 265 px, tender group min 301 px) stacks to "
            "648 px, so the window needs {h} px high against 533; QMainWindow does not enforce it, so 本次金额/实收/参考号 "
            "are shown 30 px high (need 32) and the 找零 figure 30 px high (needs 42)")
_SUPERVISOR = ("ui/supervisor.py DayTab + ui/charts.py ChartPanel: each chart panel needs 500 px high (plot 210 + "
               "table 263), the day tab 593, and a QTabWidget takes its tallest tab's minimum, so every tab needs "
               "620-623 px high against 533")
KNOWN_CLIPPING: dict[tuple[str, str, str], str] = {}  # (dialog, language, screen) → why, while being fixed


def _cases():
    for name in DIALOGS:
        for language in LANGUAGES:
            for screen in SCREENS:
                reason = KNOWN_CLIPPING.get((name, language, str(screen)))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(name, language, screen, id=f"{name}-{language}-{screen}", marks=marks)


# --- the check ----------------------------------------------------------------------------------
def _describe(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and isinstance(widget.text(), str) else ""
    text = text.replace("\n", "⏎")
    text = text if len(text) <= 40 else text[:39] + "…"
    name = widget.objectName() or ""
    return f"{type(widget).__name__}{'#' + name if name else ''} {text!r}"


def _is_inner_part(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, INNER_PARTS_OF):
            return True
        parent = parent.parentWidget()
    return False


def cut_widgets(window: QWidget) -> list[str]:
    """Every visible label or field smaller than it needs to be, said as shown vs needed."""
    cut = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CHECKED) or not widget.isVisible() or _is_inner_part(widget, window):
            continue
        size, least = widget.size(), widget.minimumSizeHint()
        need_w, need_h = least.width(), least.height()
        if isinstance(widget, QLabel):
            if not widget.text() and (widget.pixmap() is None or widget.pixmap().isNull()):
                continue  # an empty message line: nothing to cut
            if widget.wordWrap():
                need_h = max(need_h, widget.heightForWidth(size.width()))
            else:
                need_w = max(need_w, widget.sizeHint().width())
        if size.width() < need_w or size.height() < need_h:
            cut.append(f"{_describe(widget)}: shown {size.width()}×{size.height()}, needs {need_w}×{need_h}")
    return cut


class Case:
    """What one case builds: the store fixtures on demand (dialogs without a store start faster)."""

    def __init__(self, request, tmp_path) -> None:
        self.request, self.tmp_path = request, tmp_path
        self.after_show: Callable[[], object] = lambda: None
        self.kept: list = []

    def ctx(self):
        return self.request.getfixturevalue("ctx")

    def with_shift(self):
        return self.request.getfixturevalue("with_shift")

    def keep(self, *objects) -> None:
        self.kept.extend(objects)


@pytest.fixture
def speaking(request):
    language = request.node.callspec.params["language"]
    apply_language(language)
    yield language
    apply_language("zh")


def fit_problems(qtbot, window: QWidget, screen: Screen) -> list[str]:
    """Resize ``window`` as a window manager would on ``screen`` and say what does not fit."""
    logical = screen.logical()
    target = window.sizeHint().expandedTo(window.minimumSizeHint()).boundedTo(logical)
    window.resize(target)
    qtbot.waitUntil(lambda: window.size() == target.expandedTo(window.minimumSize()), timeout=2000)
    QApplication.processEvents()
    problems = []
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if least.width() > logical.width() or least.height() > logical.height():
        problems.append(f"needs at least {least.width()}×{least.height()}, the screen has "
                        f"{logical.width()}×{logical.height()} (logical)")
    return problems + cut_widgets(window)


# The window of a (dialog, language) is built once and tried on every screen; each screen stays a
# case of its own (its own name, its own xfail), and a case run alone builds the window itself.
_MEASURED: dict[tuple[str, str], dict[Screen, list[str]]] = {}


def _measure(qtbot, request, tmp_path, name: str) -> dict[Screen, list[str]]:
    case = Case(request, tmp_path)
    window = DIALOGS[name](qtbot, case)
    qtbot.addWidget(window)
    for owned in case.kept:
        if isinstance(owned, QWidget):
            qtbot.addWidget(owned)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot)
    case.after_show()
    QApplication.processEvents()
    return {screen: fit_problems(qtbot, window, screen) for screen in sorted(SCREENS, key=str)}


@pytest.mark.parametrize("name, language, screen", list(_cases()))
def test_dialog_fits_its_content(qtbot, request, tmp_path, speaking, name, language, screen):
    if (name, language) not in _MEASURED:
        _MEASURED[name, language] = _measure(qtbot, request, tmp_path, name)
    problems = _MEASURED[name, language][screen]
    assert problems == [], f"{name} in {language} on {screen}%: " + "; ".join(problems)


def test_the_check_sees_a_cut_label_and_a_window_larger_than_the_screen(qtbot):
    """The check itself: a label squeezed below its text and a window wider than 853 px are caught."""
    from PySide6.QtWidgets import QHBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    label = QLabel("应缴合计 ￥1,234,567.89")
    label.setMaximumWidth(60)
    layout.addWidget(label)
    wide = QPushButton("x" * 200)
    layout.addWidget(wide)
    window.show()
    qtbot.waitExposed(window)
    assert any("应缴合计" in p for p in cut_widgets(window))
    assert window.minimumSizeHint().width() > Screen(1280, 800, 150).logical().width() == 853
