"""补打队列: receipts that did not print, oldest first, each with its receipt number and account;
Enter prints the chosen one (its original if none came out yet, else a counted 重打).

The list follows the store's print-job events, so a receipt printed anywhere (F11, this dialog,
the counter's own print) leaves it, and one that fails joins it, without anyone asking.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cashier import events
from cashier.errors import CashierError
from cashier.i18n import translate
from cashier.money import format_fen
from cashier.print_queue import WaitingJob, print_queue
from receipts.builders import receipt_number
from cashier.printing import PrintOutcome, print_waiting
from ui.context import AppContext
from ui.events import QtEvents
from ui.ops import Op
from ui.widgets import MessageLine

COLUMNS = 6  # 流水号, 类型, 户号, 金额, 时间, 原因


class ReprintQueueDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext, printed: Callable[[PrintOutcome], None]) -> None:
        super().__init__(parent)
        self.ctx, self.printed_cb = ctx, printed
        self.setObjectName("reprint_queue")
        self.setWindowTitle(self.tr("补打队列"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("流水号"), self.tr("类型"), self.tr("户号"), self.tr("金额"),
                                              self.tr("时间"), self.tr("原因")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.cellActivated.connect(lambda *_: self.submit())
        layout.addWidget(self.table)
        self.empty = QLabel(self.tr("没有待补打的凭证"))
        self.empty.setObjectName("queue_empty")
        self.empty.hide()
        layout.addWidget(self.empty)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("打印所选 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.resize(760, 360)
        self.jobs: list[WaitingJob] = []
        self._reading = self._again = False
        # Its own adapter, gone with the dialog: a print anywhere changes this list.
        self.events = QtEvents(ctx.store.events, self)
        self.events.on((events.PRINT_JOB,), lambda _event: self.reload(), self)
        self.reload()

    def reload(self) -> None:
        if self._reading:
            self._again = True  # a job changed while reading: read once more after
            return
        self._reading = True
        store = self.ctx.store
        Op(self, lambda: print_queue(store)).success(self._fill).always(self._read_done).run_in_background()

    def _read_done(self) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.reload()

    def _kind(self, kind: str) -> str:
        return {"payment": self.tr("收费凭证"), "reversal": self.tr("冲正凭证"), "cash_movement": self.tr("存取款单"),
                "shift_report": self.tr("交班单")}.get(kind, kind)

    def _reason(self, job: WaitingJob) -> str:
        if job.last_error:
            return translate(job.last_error, where="", reason="", kind="", package="")
        return self.tr("未确认打出（打印中或程序中断）")

    def _fill(self, queue) -> None:
        chosen = self.selected()
        self.jobs = list(queue.jobs)
        self.table.setRowCount(len(self.jobs))
        hall = self.ctx.hall
        for row, job in enumerate(self.jobs):
            number = receipt_number(job.terminal_id, job.seq) if job.seq is not None else ""
            amount = format_fen(job.amount_fen) if job.amount_fen is not None else ""
            kind = self._kind(job.kind) + (self.tr("（重打第{n}次）").format(n=job.reprint) if job.reprint else "")
            for col, value in enumerate((number, kind, job.account_no or "", amount, hall.local(job.created_at),
                                         self._reason(job))):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.empty.setVisible(not self.jobs)
        self.button.setEnabled(bool(self.jobs))
        if self.jobs:
            ids = [job.id for job in self.jobs]
            self.table.selectRow(ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0)
            self.table.setFocus()

    def selected(self) -> WaitingJob | None:
        row = self.table.currentRow()
        return self.jobs[row] if 0 <= row < len(self.jobs) else None

    def submit(self) -> None:
        job = self.selected()
        if job is None or not self.button.isEnabled():
            return
        ctx = self.ctx
        self.button.setEnabled(False)
        self.message.ok(self.tr("正在打印 {number}…").format(
            number=receipt_number(job.terminal_id, job.seq) if job.seq is not None else self._kind(job.kind)))
        Op(self, lambda: print_waiting(ctx.terminal, ctx.actor, ctx.render, job.id)) \
            .success(self._printed) \
            .failure(lambda e: self.message.error(str(e) if isinstance(e, CashierError) else repr(e))) \
            .always(lambda: self.button.setEnabled(bool(self.jobs))).run_in_background()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.printed_cb(outcome)
        if outcome.printed:
            self.message.ok(outcome.message)
        else:
            self.message.error(outcome.message)
