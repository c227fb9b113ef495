"""The supervisor's 对账 tab: the day's reconciliation with each payment provider, as the upstream holds it.

The upstream compares each provider's statement with the ledger (``cashier-upstream reconcile``) and keeps
the run; this tab asks it for the hall's part (``GET /v1/reconcile``, a background ``Op`` with a short
timeout) and shows per provider the statement's and the hall's figures, then each difference with what to
do about it. Offline, or with an upstream that has no reconciliation, it says so and nothing else changes.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from cashier.money import format_fen
from cashier.sync import protocol as p
from cashier.sync.client import Refused, SyncError
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import DateField, MessageLine


CELL_PADDING = 6  # px either side of a cell's text: figures side by side stay apart


def provider_name(provider: str) -> str:
    names = {"wechat": QCoreApplication.translate("ReconcileTab", "微信支付"), "alipay": QCoreApplication.translate("ReconcileTab", "支付宝"), "bank": QCoreApplication.translate("ReconcileTab", "银行卡")}
    return names.get(provider, provider)


def kind_words(kind: str) -> tuple[str, str]:
    """(what the difference is, what to do about it)."""
    words = {
        "charged_not_recorded": (QCoreApplication.translate("ReconcileTab", "已扣款未入账"), QCoreApplication.translate("ReconcileTab", "顾客已付款但没有收费记录：补记收费或原路退款")),
        "reference_unknown": (QCoreApplication.translate("ReconcileTab", "渠道无此交易"), QCoreApplication.translate("ReconcileTab", "收费记录的交易号渠道没有：核对是否输错或虚构")),
        "amount_differs": (QCoreApplication.translate("ReconcileTab", "金额不符"), QCoreApplication.translate("ReconcileTab", "双方都有此交易但金额不同：核对凭证和渠道记录")),
        "refund_differs": (QCoreApplication.translate("ReconcileTab", "退款不符"), QCoreApplication.translate("ReconcileTab", "退款与冲正对不上：核对冲正和渠道退款")),
    }
    return words.get(kind, (kind, ""))


def differences(open_count: int) -> str:
    """The provider's differences still open, in words (the 差异 column)."""
    if not open_count:
        return QCoreApplication.translate("ReconcileTab", "相符")
    return QCoreApplication.translate("ReconcileTab", "{n} 条未处理：见下方差异明细").format(n=open_count)


def local_time(at: datetime) -> str:
    """The upstream's UTC time of a run as this PC's local time (the supervisor's clock)."""
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone().strftime("%Y-%m-%d %H:%M")


def _money(fen: int | None) -> QTableWidgetItem:
    item = QTableWidgetItem("—" if fen is None else format_fen(fen))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _text(text: str | None) -> QTableWidgetItem:
    return QTableWidgetItem(text or "—")


def _table(name: str, headers: list[str], stretch: int) -> QTableWidget:
    """Every column as wide as its label and cells (with room either side), the descriptive one ``stretch`` the rest."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setStyleSheet(f"QTableWidget::item {{ padding: 0 {CELL_PADDING}px; }} "
                        f"QHeaderView::section {{ padding: 2px {CELL_PADDING}px; }}")
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    # A sentence longer than the descriptive column has wraps onto a taller row instead of being cut with "…".
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    header.sectionResized.connect(lambda column, _old, _new: column == stretch and table.resizeRowsToContents())
    return table


class ReconcileTab(QWidget):
    """One business day's reconciliation per provider and its differences (Enter in the date loads it)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day_shown: p.ReconcileDay | None = None
        self.asked = 0  # the latest question: an answer to an earlier one (another day picked since) is dropped
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.day = DateField(ctx.terminal.clock.business_date(), "reconcile_date")
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.load_button = QPushButton(QCoreApplication.translate("ReconcileTab", "查询 (F5)"))
        self.load_button.setObjectName("reconcile_load")
        self.load_button.clicked.connect(self.refresh)
        top.addWidget(QLabel(QCoreApplication.translate("ReconcileTab", "营业日")))
        top.addWidget(self.day)
        top.addWidget(self.load_button)
        top.addStretch(1)
        layout.addLayout(top)
        self.providers = _table("reconcile_providers", [
            QCoreApplication.translate("ReconcileTab", "渠道"), QCoreApplication.translate("ReconcileTab", "对账时间"), QCoreApplication.translate("ReconcileTab", "对账单笔数"), QCoreApplication.translate("ReconcileTab", "对账单金额"), QCoreApplication.translate("ReconcileTab", "对账单退款"),
            QCoreApplication.translate("ReconcileTab", "本厅笔数"), QCoreApplication.translate("ReconcileTab", "本厅金额"), QCoreApplication.translate("ReconcileTab", "本厅退款"), QCoreApplication.translate("ReconcileTab", "差异")], 8)
        self.providers.setMaximumHeight(150)
        layout.addWidget(self.providers)
        layout.addWidget(QLabel(QCoreApplication.translate("ReconcileTab", "差异明细（每条差异也已在上级系统报警）")))
        self.mismatches = _table("reconcile_mismatches", [
            QCoreApplication.translate("ReconcileTab", "渠道"), QCoreApplication.translate("ReconcileTab", "差异"), QCoreApplication.translate("ReconcileTab", "交易号"), QCoreApplication.translate("ReconcileTab", "对账单"), QCoreApplication.translate("ReconcileTab", "本厅记录"), QCoreApplication.translate("ReconcileTab", "柜台"), QCoreApplication.translate("ReconcileTab", "收费员"),
            QCoreApplication.translate("ReconcileTab", "状态"), QCoreApplication.translate("ReconcileTab", "处理")], 8)
        layout.addWidget(self.mismatches, 1)
        self.message = MessageLine()
        self.message.setObjectName("reconcile_message")
        layout.addWidget(self.message)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter in the date field loads the day typed
            QShortcut(QKeySequence(key), self.day, activated=self.refresh,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def business_date(self) -> date:
        return self.day.value()

    def refresh(self) -> None:
        syncer, day = self.ctx.syncer, self.business_date()
        self.asked += 1
        asked = self.asked
        if syncer is None or self.ctx.terminal.door_to_door:
            self._clear()
            self.message.error(QCoreApplication.translate("ReconcileTab", "本机没有连接上级系统：对账结果在上级系统（cashier-upstream reconcile）"))
            return
        self.message.clear()  # not red while asking
        self.message.setText(QCoreApplication.translate("ReconcileTab", "正在查询上级系统…"))
        client = syncer.client  # the client of the moment the question is asked

        def work():
            from sqlalchemy import select

            from cashier.store.models import User

            with self.ctx.store.read() as s:  # the documents name cashiers by user name: show who they are
                names = dict(s.execute(select(User.username, User.display_name)).all())
            return client.reconciliation(day, timeout=5.0), names

        Op(self, work).success(lambda answer: asked == self.asked and self._show(answer)) \
            .failure(lambda exc: asked == self.asked and self._failed(exc)).run_in_background()

    def _clear(self) -> None:
        self.day_shown = None
        self.providers.setRowCount(0)
        self.mismatches.setRowCount(0)

    def _failed(self, exc: BaseException) -> None:
        self._clear()
        if isinstance(exc, Refused) and exc.status == 404:
            self.message.error(QCoreApplication.translate("ReconcileTab", "上级系统不提供对账结果（版本较旧）"))
        elif isinstance(exc, SyncError):
            self.message.error(QCoreApplication.translate("ReconcileTab", "上级系统不可达，稍后按 F5 再查：{error}").format(error=exc))
        else:
            self.message.error(str(exc))

    def _show(self, answer: tuple[p.ReconcileDay, dict[str, str]]) -> None:
        result, names = answer
        self.day_shown = result
        self.providers.setRowCount(len(result.providers))
        rows = []
        for i, x in enumerate(result.providers):
            at = x.reconciled_at
            when = QCoreApplication.translate("ReconcileTab", "尚未对账") if at is None else local_time(at)
            still_open = [m for m in x.mismatches if not m.resolved]
            cells = [_text(provider_name(x.provider)), _text(when)]
            count = QTableWidgetItem(str(x.statement_lines))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            payments = QTableWidgetItem(str(x.hall_payments))
            payments.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells += [count, _money(x.statement_fen), _money(x.statement_refund_fen), payments, _money(x.hall_fen),
                      _money(x.hall_refund_fen), _text(differences(len(still_open)) if at is not None else "—")]
            for column, item in enumerate(cells):
                self.providers.setItem(i, column, item)
            rows += [(x.provider, m) for m in x.mismatches]
        self.mismatches.setRowCount(len(rows))
        for i, (provider, m) in enumerate(rows):
            what, todo = kind_words(m.kind)
            cells = [_text(provider_name(provider)), _text(what), _text(m.reference or m.order_no),
                     _money(m.statement_fen), _money(m.ledger_fen), _text(m.terminal_id),
                     _text(f"{names[m.cashier]} ({m.cashier})" if m.cashier in names else m.cashier),
                     _text(QCoreApplication.translate("ReconcileTab", "已消除") if m.resolved else QCoreApplication.translate("ReconcileTab", "未处理")), _text(todo)]
            for column, item in enumerate(cells):
                self.mismatches.setItem(i, column, item)
        self.mismatches.resizeRowsToContents()
        self.providers.resizeRowsToContents()
        done = [x for x in result.providers if x.reconciled_at is not None]
        open_count = sum(1 for x in result.providers for m in x.mismatches if not m.resolved)
        if not done:
            self.message.error(QCoreApplication.translate("ReconcileTab", "{day} 尚未与任何渠道对账").format(day=result.business_date.isoformat()))
        elif open_count:
            self.message.error(QCoreApplication.translate("ReconcileTab", "{day} 有 {n} 条差异未处理").format(day=result.business_date.isoformat(), n=open_count))
        else:
            self.message.ok(QCoreApplication.translate("ReconcileTab", "{day} 已对账的渠道全部相符").format(day=result.business_date.isoformat()))
