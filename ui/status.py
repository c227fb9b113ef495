"""The status bar that cannot be hidden: connection and uploads waiting, printer, cashier,
shift, business date (and the age of the data when offline).

It follows the store's events (a payment, a reversal, a shift change, a sync round, a print job,
a sign-in): no polling for data. A slow timer only moves what the clock changes (the data's age,
the business date at midnight).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from cashier import events
from cashier.counter_status import CounterStatus, counter_status
from cashier.i18n import translate
from cashier.sync.engine import SyncStatus
from ui.context import AppContext
from ui.events import events_of
from ui.ops import Op

CLOCK_MS = 60_000  # the data's age in minutes, the business date
INTEGRITY_DONE_MS = 15_000  # "数据库检查完成" stays this long
WATCHED = (events.PAYMENT_TAKEN, events.REVERSAL, events.SHIFT_CHANGED, events.SYNC_ROUND, events.PULL_APPLIED,
           events.PRINT_JOB, events.SESSION, events.HELD_RESOLVED, events.NUMBERING)

Snapshot = CounterStatus  # the name the counter's listeners know


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
        self.cashier.setObjectName("cashier")
        self.shift = QLabel()
        self.shift.setObjectName("shift")
        self.date = QLabel()
        self.integrity = QLabel()  # shown only when the start's quick check found the database damaged
        self.integrity.setObjectName("integrity")
        self.integrity.setVisible(False)
        self.pole = QLabel()  # shown only while the LED pole display (客显) does not answer
        self.pole.setObjectName("pole")
        self.pole.setVisible(False)
        self.pole.setStyleSheet("color: #c0392b; font-weight: bold;")
        for label in (self.integrity, self.pole, self.online, self.printer, self.cashier, self.shift, self.date):
            self.addPermanentWidget(label)
        self.listeners: list[Callable[[CounterStatus], None]] = []
        self.last: CounterStatus | None = None
        self._reading = False
        self._again = False
        self._printer_note: tuple[str, bool] | None = None  # the last print's outcome
        self.printing: set[str] = set()  # receipts being printed now: not (yet) waiting in the queue
        events_of(ctx).on(WATCHED, self._changed, self)
        events_of(ctx).on((events.STORE_CHECKED,), lambda _e: self.show_integrity(), self)
        events_of(ctx).on((events.POLE_DISPLAY,), self.pole_state, self)
        self.show_integrity()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(CLOCK_MS)

    def show_integrity(self) -> None:
        """The start's check as a passing message; a damaged database as a red label that stays."""
        problems = self.ctx.store.integrity
        self.integrity.setVisible(bool(problems))
        if problems is None:
            self.showMessage(self.tr("正在检查数据库…"))
        elif not problems:
            self.showMessage(self.tr("数据库检查完成"), INTEGRITY_DONE_MS)
        else:
            what_to_do = self.tr("数据库已损坏，暂停收费：请技术人员用 cashier-admin restore 从备份恢复")
            self.integrity.setText(self.tr("数据库已损坏，暂停收费"))
            self.integrity.setToolTip(what_to_do + "\n" + "\n".join(problems))
            self.integrity.setStyleSheet("color: #c0392b; font-weight: bold;")
            self.showMessage(what_to_do)

    def pole_state(self, event: events.Event) -> None:
        """The pole display's worker said it answers again (the label goes) or stopped answering (it stays)."""
        self.pole.setVisible(not event["ok"])
        self.pole.setText(self.tr("客显无响应") if not event["ok"] else "")
        self.pole.setToolTip(event.get("message", ""))
        if event["ok"] is False:
            self.showMessage(event.get("message", ""), INTEGRITY_DONE_MS)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - it cannot be hidden
        super().setVisible(True)

    def _changed(self, event: events.Event) -> None:
        if event.kind == events.NUMBERING:  # said once, in the user's language: the next receipt's number moved
            self.showMessage(translate("sync.sequence_moved", was=event.data["was"], last=event.data["last"],
                                       next=event.data["last"] + 1))
        self.refresh()

    @property
    def configured(self) -> bool:
        return self.ctx.syncer is not None or bool(self.ctx.settings.upstream.url)

    @property
    def connecting(self) -> bool:
        """An upstream is configured and this run has not finished a sync round yet: the stored
        "online" flag is the last run's, so neither online nor offline is known."""
        syncer = self.ctx.syncer
        return self.configured and (syncer is None or syncer.rounds == 0)

    def refresh(self) -> None:
        if self._reading:
            self._again = True  # one more read after this one: the event came in while reading
            return
        self._reading = True
        t, configured, printing = self.ctx.terminal, self.configured, frozenset(self.printing)
        Op(self, lambda: counter_status(t, configured=configured, printing=printing)).success(self._show).always(self._done) \
            .run_in_background()

    def _done(self) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.refresh()

    def data_age(self, sync: SyncStatus) -> str:
        """'数据截至 11-27 14:05（2 小时前）' — how old the local copy is."""
        if sync.data_as_of is None:
            return self.tr("尚未从上级系统取得数据")
        minutes = max(0, int((self.ctx.terminal.clock.now() - sync.data_as_of).total_seconds() // 60))
        ago = (self.tr("{n} 分钟前").format(n=minutes) if minutes < 120
               else self.tr("{n} 小时前").format(n=minutes // 60) if minutes < 48 * 60
               else self.tr("{n} 天前").format(n=minutes // (24 * 60)))
        return self.tr("数据截至 {when}（{ago}）").format(when=self.ctx.hall.local(sync.data_as_of)[5:16], ago=ago)

    def is_offline(self, snap: CounterStatus | None = None) -> bool:
        """Known to be offline: configured, heard from (or failed) in this run, and not online."""
        snap = snap or self.last
        return bool(snap and snap.sync.configured and not snap.sync.online and not self.connecting)

    def _show(self, snap: CounterStatus) -> None:
        self.last = snap
        sync = snap.sync
        if not sync.configured:
            text, warn = self.tr("未连接上级系统 · 待上传 {count} 笔").format(count=sync.pending), True
        elif self.connecting:
            text, warn = self.tr("正在连接上级系统… · 待上传 {count} 笔").format(count=sync.pending), False
        elif sync.online:
            text, warn = self.tr("在线 · 待上传 {count} 笔").format(count=sync.pending), False
        else:
            text = self.tr("离线 · 待上传 {count} 笔 · {age}").format(count=sync.pending, age=self.data_age(sync))
            warn = True
        if sync.held:
            text += self.tr(" · {n} 笔待班长处理").format(n=sync.held)
        if snap.scan_open:
            text += " · " + translate("scan.pending_count", n=snap.scan_open)
        if snap.refunds_pending:
            text += " · " + translate("scan.refunds_pending", n=snap.refunds_pending)
        if snap.refunds_failed:
            text, warn = text + " · " + translate("scan.refunds_failed", n=snap.refunds_failed), True
        if sync.numbering_unconfirmed:
            text, warn = text + " · " + translate("sync.sequence_unconfirmed_short"), True
        self.online.setText(text)
        self.online.setStyleSheet("color: #b9770e; font-weight: bold;" if warn or sync.held else "")
        actor = self.ctx.actor
        self.cashier.setText(self.tr("收费员：{name}").format(name=actor.display_name) if actor else "")
        self.shift.setText(self.tr("班次：{opened} 开班").format(opened=self.ctx.hall.local(snap.shift_opened_at)[11:16])
                           if snap.shift_opened_at else self.tr("班次：未开班 (F2)"))
        self.date.setText(self.tr("营业日 {date}").format(date=snap.business_date.isoformat()))
        if snap.waiting_prints:
            note = self._printer_note
            failed = note[0] + " · " if note is not None and not note[1] else ""
            self._printer_label(failed + self.tr("补打队列 {n} 张 (Ctrl+P)").format(n=snap.waiting_prints), ok=False)
        elif self._printer_note is not None and self._printer_note[1]:
            self._printer_label(*self._printer_note)
        else:
            self._printer_label(self.tr("就绪"), ok=True)
        for listener in self.listeners:
            listener(snap)

    def printer_state(self, text: str, ok: bool = True) -> None:
        """The last print's outcome, in words; the queue's count follows from the store."""
        self._printer_note = (text, ok)
        self._printer_label(text, ok)
        self.refresh()

    def _printer_label(self, text: str, ok: bool) -> None:
        self.printer.setText(self.tr("打印机：") + text)
        self.printer.setStyleSheet("" if ok else "color: #c0392b; font-weight: bold;")


def check_store_in_background(ctx: AppContext, parent) -> None:
    """SQLite's quick check of the database, off the GUI thread at start; the status bar (and the counter's
    refusal to take money on a damaged store) follow its ``STORE_CHECKED`` event."""
    Op(parent, ctx.store.check_integrity).run_in_background()
