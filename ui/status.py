"""The status bar that cannot be hidden: connection and uploads waiting, printer, cashier,
shift, business date (and the age of the data when offline)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from cashier.shifts import open_shift_of
from cashier.store.models import PrintJob
from cashier.sync.engine import SyncStatus, read_status
from sqlalchemy import func, select
from ui.context import AppContext
from ui.ops import Op

REFRESH_MS = 3000


@dataclass(frozen=True)
class Snapshot:
    sync: SyncStatus
    waiting_prints: int
    shift_opened: str | None
    business_date: str

    @property
    def pending_uploads(self) -> int:
        return self.sync.pending


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
        self.listeners: list[Callable[[Snapshot], None]] = []
        self.last: Snapshot | None = None
        self._reading = False
        # Uploads and the connection change behind the cashier's back: look again every few seconds.
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(REFRESH_MS)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - it cannot be hidden
        super().setVisible(True)

    def refresh(self) -> None:
        if self._reading:
            return
        self._reading = True
        Op(self, self._read).success(self._show).always(self._done).run_in_background()

    def _done(self) -> None:
        self._reading = False

    def _read(self) -> Snapshot:
        ctx = self.ctx
        with ctx.store.read() as s:
            sync = read_status(s, configured=ctx.syncer is not None)
            prints = s.scalar(select(func.count()).select_from(PrintJob).where(PrintJob.status.in_(("pending", "failed"))))
            shift = open_shift_of(s, ctx.terminal)
            opened = ctx.hall.local(shift.opened_at)[11:16] if shift else None
        return Snapshot(sync, prints or 0, opened, ctx.terminal.clock.business_date().isoformat())

    def data_age(self, sync: SyncStatus) -> str:
        """'数据截至 11-27 14:05（2 小时前）' — how old the local copy is."""
        if sync.data_as_of is None:
            return self.tr("尚未从上级系统取得数据")
        minutes = max(0, int((self.ctx.terminal.clock.now() - sync.data_as_of).total_seconds() // 60))
        ago = (self.tr("{n} 分钟前").format(n=minutes) if minutes < 120
               else self.tr("{n} 小时前").format(n=minutes // 60) if minutes < 48 * 60
               else self.tr("{n} 天前").format(n=minutes // (24 * 60)))
        return self.tr("数据截至 {when}（{ago}）").format(when=self.ctx.hall.local(sync.data_as_of)[5:16], ago=ago)

    def _show(self, snap: Snapshot) -> None:
        self.last = snap
        sync = snap.sync
        if not sync.configured:
            text, warn = self.tr("未连接上级系统 · 待上传 {count} 笔").format(count=sync.pending), True
        elif sync.online:
            text, warn = self.tr("在线 · 待上传 {count} 笔").format(count=sync.pending), False
        else:
            text = self.tr("离线 · 待上传 {count} 笔 · {age}").format(count=sync.pending, age=self.data_age(sync))
            warn = True
        if sync.held:
            text += self.tr(" · {n} 笔待班长处理").format(n=sync.held)
        self.online.setText(text)
        self.online.setStyleSheet("color: #b9770e; font-weight: bold;" if warn or sync.held else "")
        actor = self.ctx.actor
        self.cashier.setText(self.tr("收费员：{name}").format(name=actor.display_name) if actor else "")
        self.shift.setText(self.tr("班次：{opened} 开班").format(opened=snap.shift_opened) if snap.shift_opened
                           else self.tr("班次：未开班 (F2)"))
        self.date.setText(self.tr("营业日 {date}").format(date=snap.business_date))
        if snap.waiting_prints:
            self.printer_state(self.tr("补打队列 {n} 张").format(n=snap.waiting_prints), ok=False)
        for listener in self.listeners:
            listener(snap)

    def printer_state(self, text: str, ok: bool = True) -> None:
        self.printer.setText(self.tr("打印机：") + text)
        self.printer.setStyleSheet("" if ok else "color: #c0392b; font-weight: bold;")
