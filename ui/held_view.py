"""Uploads the upstream held (待处理上传), a tab of the supervisor's workspace: the list, the chosen one in
detail (the local record, the upstream's reason in words, what stays whatever is decided, earlier
decisions), and the supervisor's decision with their password and a reason.

Keyboard: ↑↓ choose, Enter goes to the way to settle it (↑↓ there too), Enter again walks reason →
supervisor → password, and Enter in the password settles it. Every database call is a background ``Op``;
the list follows the store (a sync round that holds something, a decision taken anywhere).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from cashier import held_items
from cashier.errors import DomainError
from cashier.held_items import HeldDetail, HeldItem
from cashier.i18n import translate
from cashier.money import format_fen
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import SupervisorForm

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _cell(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class HeldTab(QWidget):
    """The held uploads and the supervisor's decision on the chosen one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[HeldItem] = []
        self.detail_of: HeldDetail | None = None
        layout = QHBoxLayout(self)
        split = QSplitter()
        self.list = QTableWidget(0, 5)
        self.list.setObjectName("held_list")
        self.list.setHorizontalHeaderLabels([self.tr("编号"), self.tr("单据"), self.tr("户号"), self.tr("金额"),
                                             self.tr("上级系统答复")])
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.itemSelectionChanged.connect(self._show_selected)
        self.list.installEventFilter(self)
        split.addWidget(self.list)
        right = QWidget()
        side = QVBoxLayout(right)
        self.detail = QLabel(self.tr("没有待班长处理的上传"))
        self.detail.setObjectName("held_detail")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side.addWidget(self.detail, 1)
        self.action = QComboBox()
        self.action.setObjectName("held_action")
        for key in ("retry", "accept_upstream", "dismiss"):
            self.action.addItem(translate(f"held.action.{key}"), key)
        self.action.currentIndexChanged.connect(self._show_effect)
        self.action.installEventFilter(self)
        self.effect = QLabel("")
        self.effect.setObjectName("held_effect")
        self.effect.setWordWrap(True)
        self.form = SupervisorForm(side, (self.tr("处理原因"), self.tr("班长用户名"), self.tr("班长密码")),
                                   self.tr("授权并处理 (Enter)"), self.submit,
                                   rows_before=((self.tr("处理方式"), self.action), ("", self.effect)))
        self.form.button.setObjectName("held_resolve")
        self.message = self.form.message
        split.addWidget(right)
        split.setSizes([560, 520])
        layout.addWidget(split)
        self._show_effect()
        self._enable(False)

    # --- the list -----------------------------------------------------------------------------
    def refresh(self) -> None:
        store, zone = self.ctx.store, self.ctx.settings.hall.timezone

        def work():
            with store.read() as s:
                return held_items.held_items(s, zone=zone)

        Op(self, work).success(self._loaded).failure(lambda e: self.message.error(str(e))).run_in_background()

    def _loaded(self, items: list[HeldItem]) -> None:
        chosen = self.current()
        self.items = items
        self.list.setRowCount(len(items))
        for row, i in enumerate(items):
            kind = translate(f"held.kind.{i.kind}")
            cells = [_cell(str(i.outbox_id), True), _cell(f"{kind} {i.record.number}"), _cell(i.account_no or "-"),
                     _cell(format_fen(i.amount_fen) if i.amount_fen is not None else "-", True), _cell(i.reason())]
            cells[4].setForeground(Qt.GlobalColor.red if i.status == "conflict" else Qt.GlobalColor.darkYellow)
            for col, cell in enumerate(cells):
                self.list.setItem(row, col, cell)
        if items:
            ids = [i.outbox_id for i in items]
            self.list.selectRow(ids.index(chosen.outbox_id) if chosen and chosen.outbox_id in ids else 0)
            if not self.form.reason.hasFocus() and not self.form.password.hasFocus():
                self.list.setFocus()
        else:
            self.detail_of = None
            self.detail.setText(self.tr("没有待班长处理的上传"))
        self._enable(bool(items))

    def current(self) -> HeldItem | None:
        rows = self.list.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _enable(self, on: bool) -> None:
        for widget in (self.action, self.form.reason, self.form.supervisor, self.form.password, self.form.button):
            widget.setEnabled(on)

    def _show_selected(self) -> None:
        item = self.current()
        if item is None:
            return
        self.detail.setText(self._describe(item, None))
        store, zone, wanted = self.ctx.store, self.ctx.settings.hall.timezone, item.outbox_id

        def work():
            with store.read() as s:
                return held_items.held_detail(s, wanted, zone=zone)

        Op(self, work).success(self._detailed).failure(lambda e: self.message.error(str(e))).run_in_background()

    def _detailed(self, detail: HeldDetail) -> None:
        item = self.current()
        if item is None or item.outbox_id != detail.item.outbox_id:
            return  # another row was chosen meanwhile
        self.detail_of = detail
        self.detail.setText(self._describe(detail.item, detail))

    def _describe(self, i: HeldItem, detail: HeldDetail | None) -> str:
        status = translate(f"held.status.{i.status}")
        answered, kept = escape(self.tr("上级系统答复：")), escape(self.tr("保留情况："))
        colour = "#c0392b" if i.status == "conflict" else "#b9770e"
        lines = [f"<h3>{escape(translate('held.show.item', id=i.outbox_id, kind=translate(f'held.kind.{i.kind}'), status=status))}</h3>",
                 f"<p>{escape(i.record.describe())}</p>",
                 f"<p style='color:{colour}'><b>{answered}</b>{escape(i.reason())}<br>"
                 f"{escape(translate('held.show.upstream_code', code=i.code or '-'))}</p>",
                 f"<p><b>{kept}</b>{escape(i.kept())}</p>"]
        if detail is not None and detail.resolutions:
            lines.append("<p><b>" + escape(self.tr("处理记录：")) + "</b><br>")
            lines.extend(escape(translate("held.show.resolution", at=self.ctx.hall.local(r.resolved_at),
                                          who=r.resolved_by, action=translate(f"held.action.{r.action}"),
                                          reason=r.reason, status=translate(f"held.status.{r.held_status}"),
                                          note=held_items.reason_text(r.upstream_note))) + "<br>"
                         for r in detail.resolutions)
            lines.append("</p>")
        return "".join(lines)

    def _show_effect(self) -> None:
        self.effect.setText(translate(f"held.effect.{self.action.currentData()}"))

    # --- keyboard -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and event.key() in ENTER_KEYS:
            if watched is self.list and self.current() is not None:
                self.action.setFocus()
                return True
            if watched is self.action and not self.action.view().isVisible():
                self.form.reason.setFocus()
                return True
        return super().eventFilter(watched, event)

    def start(self) -> None:
        """The tab shown: the list takes the keyboard; the signed-in supervisor's name is filled in."""
        if not self.form.supervisor.text() and self.ctx.actor is not None:
            self.form.supervisor.setText(self.ctx.actor.username)
        self.list.setFocus()

    # --- the decision -------------------------------------------------------------------------
    def submit(self) -> None:
        if not self.form.button.isEnabled():
            return  # settling already: a second Enter does nothing
        item = self.current()
        if item is None:
            self.message.error(self.tr("没有待班长处理的上传"))
            return
        if not self.form.complete():
            return
        action = self.action.currentData()
        if action == "retry" and item.status == "conflict":  # said before the password is spent
            self.message.error(str(DomainError("held.retry_conflict")))
            self.action.setFocus()
            return
        ctx = self.ctx
        reason, user, password = self.form.reason.text(), self.form.supervisor.text(), self.form.password.text()
        self.form.button.setEnabled(False)
        Op(self, lambda: held_items.resolve(ctx.terminal, item.outbox_id, action, reason, user, password,
                                            signed_in=ctx.actor)) \
            .success(lambda done: self._resolved(done, action)).failure(self.form.failed) \
            .always(lambda: self.form.button.setEnabled(bool(self.items))).run_in_background()

    def _resolved(self, item: HeldItem, action: str) -> None:
        self.form.reason.clear()
        self.form.password.clear()
        self.message.ok(translate("held.resolved", id=item.outbox_id, record=item.record.describe(),
                                  action=translate(f"held.action.{action}"), effect=translate(f"held.effect.{action}")))
        self.list.setFocus()  # the list follows the store's held_resolved event
