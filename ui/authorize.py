"""The supervisor-authorization dialog: a supervisor types their own credentials on this
terminal to approve one action (here: a penalty waiver, 违约金减免) with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from cashier import auth
from cashier.errors import CashierError
from cashier.money import format_fen, parse_amount
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import SupervisorForm


class _AmountAuthorization(QDialog):
    """A supervisor approves an amount on this terminal: the amount row above reason, supervisor and
    password; Enter submits. Labels come translated from the subclass (Qt's context is its class)."""

    def _build(self, layout: QVBoxLayout, amount_text: str, amount_label: str, labels: tuple[str, str, str],
               button_text: str) -> None:
        self.amount = QLineEdit(amount_text)
        self.amount.setObjectName("amount")
        self.form = SupervisorForm(layout, labels, button_text, self.submit, ((amount_label, self.amount),))
        self.reason, self.supervisor, self.password = self.form.reason, self.form.supervisor, self.form.password
        self.message, self.button = self.form.message, self.form.button
        self.reason.setFocus()

    def _amount(self) -> int | None:
        """The amount typed, or None after saying what is wrong with it."""
        try:
            return parse_amount(self.amount.text())
        except CashierError as exc:
            self.message.error(str(exc))
            self.amount.setFocus()
            self.amount.selectAll()
            return None

    def _credentials(self) -> tuple[str, str, str]:
        return self.reason.text().strip(), self.supervisor.text().strip(), self.password.text()

    def submit(self) -> None:  # pragma: no cover - each dialog has its own
        raise NotImplementedError


class WaiverDialog(_AmountAuthorization):
    def __init__(self, parent: QWidget, ctx: AppContext, account_no: str, penalty_fen: int) -> None:
        super().__init__(parent)
        self.ctx, self.account_no, self.penalty_fen = ctx, account_no, penalty_fen
        self.approval_id: int | None = None
        self.waiver_fen = 0
        self.setObjectName("waiver")
        self.setWindowTitle(self.tr("违约金减免 — 需班长授权"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("户号 {account}，违约金 {penalty}").format(
            account=account_no, penalty=format_fen(penalty_fen))))
        self._build(layout, format_fen(penalty_fen, symbol=False, grouping=False), self.tr("减免金额"),
                    (self.tr("减免原因"), self.tr("班长用户名"), self.tr("班长密码")), self.tr("授权减免 (Enter)"))

    def submit(self) -> None:
        amount = self._amount()
        if amount is None:
            return
        if amount > self.penalty_fen:
            self.message.error(self.tr("减免不能超过违约金 {penalty}").format(penalty=format_fen(self.penalty_fen)))
            self.amount.setFocus()
            self.amount.selectAll()
            return
        if not self.form.complete():
            return
        reason, username, password = self._credentials()
        t, actor, account = self.ctx.terminal, self.ctx.actor, self.account_no
        self.button.setEnabled(False)
        Op(self, lambda: auth.authorize(t, actor, username, password, "penalty_waiver", account, reason, amount)) \
            .success(lambda approval: self._approved(approval, amount)).failure(self._failed) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()

    def _approved(self, approval_id: int, amount: int) -> None:
        self.approval_id, self.waiver_fen = approval_id, amount
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.form.failed(exc)


class ExposureDialog(_AmountAuthorization):
    """Past the offline exposure cap a supervisor approves further payments for this shift, up to a new total."""

    def __init__(self, parent: QWidget, ctx: AppContext, why: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("exposure")
        self.setWindowTitle(self.tr("离线收费超限 — 需班长授权"))
        layout = QVBoxLayout(self)
        explanation = QLabel(why)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        limit = ctx.settings.sync.max_unsynced_fen * 2
        self._build(layout, format_fen(limit, symbol=False, grouping=False), self.tr("本班未上传总额上限"),
                    (self.tr("原因"), self.tr("班长用户名"), self.tr("班长密码")), self.tr("授权继续收费 (Enter)"))

    def submit(self) -> None:
        amount = self._amount()
        if amount is None:
            return
        if not self.form.complete():
            return
        reason, username, password = self._credentials()
        t, actor = self.ctx.terminal, self.ctx.actor

        def approve() -> int:
            from cashier.errors import DomainError
            from cashier.shifts import open_shift_of

            with t.store.read() as s:
                shift = open_shift_of(s, t)
                shift_id = shift.id if shift else None
            if shift_id is None:
                raise DomainError("shift.none_open")
            return auth.authorize(t, actor, username, password, "offline_exposure", shift_id, reason, amount)

        self.button.setEnabled(False)
        Op(self, approve).success(lambda _approval: self.accept()).failure(self.form.failed) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()


class TypedReferenceDialog(_AmountAuthorization):
    """Offline (or a code that cannot be scanned), a WeChat/Alipay payment whose reference the cashier typed: a
    supervisor approves it; the approval's reason says it is to be reconciled with the provider's statement."""

    def __init__(self, parent: QWidget, ctx: AppContext, account_no: str, amount_fen: int) -> None:
        super().__init__(parent)
        self.ctx, self.account_no = ctx, account_no
        self.approval_id: int | None = None
        self.setObjectName("typed_reference")
        self.setWindowTitle(self.tr("手工填写微信/支付宝交易号 — 需班长授权"))
        layout = QVBoxLayout(self)
        explanation = QLabel(self.tr("未扫码收款（如离线）：交易号由收费员手工填写，无法当场核实到账，将列入对账。"))
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self._build(layout, format_fen(amount_fen, symbol=False, grouping=False), self.tr("手工交易号金额"),
                    (self.tr("原因"), self.tr("班长用户名"), self.tr("班长密码")), self.tr("授权 (Enter)"))

    def submit(self) -> None:
        from cashier.i18n import translate

        amount = self._amount()
        if amount is None or not self.form.complete():
            return
        reason, username, password = self._credentials()
        reason = translate("scan.typed_reason", "zh", reason=reason)  # the record says: to be reconciled
        t, actor, account = self.ctx.terminal, self.ctx.actor, self.account_no
        self.button.setEnabled(False)
        Op(self, lambda: auth.authorize(t, actor, username, password, "typed_reference", account, reason, amount)) \
            .success(self._approved).failure(self.form.failed) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()

    def _approved(self, approval_id: int) -> None:
        self.approval_id = approval_id
        self.accept()
