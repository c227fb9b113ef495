"""The status bar that cannot be hidden: connection and uploads waiting, printer, cashier,
shift, business date (and the age of the data when offline)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QStatusBar

from cashier.shifts import open_shift_of
from cashier.store.models import OutboxEntry, PrintJob
from sqlalchemy import func, select
from ui.context import AppContext
from ui.ops import Op


@dataclass(frozen=True)
class Snapshot:
    pending_uploads: int
    waiting_prints: int
    shift_opened: str | None
    business_date: str


class StatusBar(QStatusBar):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setSizeGripEnabled(False)
        self.online = QLabel()
        self.online.setObjectName("online")
        self.printer = QLabel(self.tr("打印机：就绪"))
        self.printer.setObjectName("printer")
        self.cashier = QLabel()
        self.shift = QLabel()
        self.shift.setObjectName("shift")
        self.date = QLabel()
        for label in (self.online, self.printer, self.cashier, self.shift, self.date):
            self.addPermanentWidget(label)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - it cannot be hidden
        super().setVisible(True)

    def refresh(self) -> None:
        Op(self, self._read).success(self._show).run_in_background()

    def _read(self) -> Snapshot:
        ctx = self.ctx
        with ctx.store.read() as s:
            pending = s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == "pending"))
            prints = s.scalar(select(func.count()).select_from(PrintJob).where(PrintJob.status.in_(("pending", "failed"))))
            shift = open_shift_of(s, ctx.terminal)
            opened = ctx.hall.local(shift.opened_at)[11:16] if shift else None
        return Snapshot(pending or 0, prints or 0, opened, ctx.terminal.clock.business_date().isoformat())

    def _show(self, snap: Snapshot) -> None:
        configured = bool(self.ctx.settings.upstream.url)
        state = self.tr("在线") if configured else self.tr("离线")
        self.online.setText(self.tr("{state} · 待上传 {count} 笔").format(state=state, count=snap.pending_uploads))
        self.online.setStyleSheet("" if configured else "color: #b9770e; font-weight: bold;")
        actor = self.ctx.actor
        self.cashier.setText(self.tr("收费员：{name}").format(name=actor.display_name) if actor else "")
        self.shift.setText(self.tr("班次：{opened} 开班").format(opened=snap.shift_opened) if snap.shift_opened
                           else self.tr("班次：未开班 (F2)"))
        self.date.setText(self.tr("营业日 {date}").format(date=snap.business_date))
        if snap.waiting_prints:
            self.printer_state(self.tr("补打队列 {n} 张").format(n=snap.waiting_prints), ok=False)

    def printer_state(self, text: str, ok: bool = True) -> None:
        self.printer.setText(self.tr("打印机：") + text)
        self.printer.setStyleSheet("" if ok else "color: #c0392b; font-weight: bold;")
