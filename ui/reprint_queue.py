"""补打队列: receipts that did not print, oldest first; Enter reprints the chosen one (重打)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cashier.errors import CashierError
from cashier.i18n import translate
from receipts.printing import PrintOutcome, reprint, waiting_jobs
from ui.context import AppContext
from ui.ops import Op
from ui.widgets import MessageLine


class ReprintQueueDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: AppContext, printed: Callable[[PrintOutcome], None]) -> None:
        super().__init__(parent)
        self.ctx, self.printed_cb = ctx, printed
        self.setObjectName("reprint_queue")
        self.setWindowTitle(self.tr("补打队列"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("类型"), self.tr("时间"), self.tr("原因")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.cellActivated.connect(lambda *_: self.submit())
        layout.addWidget(self.table)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("重打所选 (Enter)"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.jobs = []
        self.reload()

    def reload(self) -> None:
        Op(self, lambda: waiting_jobs(self.ctx.store)).success(self._fill).run_in_background()

    def _fill(self, jobs) -> None:
        self.jobs = [j for j in jobs if j.kind in ("payment", "reversal", "cash_movement")]
        self.table.setRowCount(0)
        for job in self.jobs:
            row = self.table.rowCount()
            self.table.insertRow(row)
            kind = {"payment": self.tr("收费凭证"), "reversal": self.tr("冲正凭证"), "cash_movement": self.tr("存取款单")}
            reason = translate(job.last_error, where="", reason="", kind="", package="") if job.last_error else ""
            for col, value in enumerate((kind[job.kind], self.ctx.hall.local(job.created_at), reason)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        if self.jobs:
            self.table.selectRow(0)
            self.table.setFocus()
        else:
            self.message.ok(self.tr("没有待补打的凭证"))

    def submit(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.jobs):
            return
        job = self.jobs[row]
        ctx = self.ctx
        if job.kind == "cash_movement":
            from receipts.printing import print_job

            work = lambda: print_job(ctx.store, ctx.printer, ctx.hall, job.kind, job.entity_id, job.reprint + 1,  # noqa: E731
                                     ctx.terminal.clock.now())
        else:
            work = lambda: reprint(ctx.terminal, ctx.actor, ctx.printer, ctx.hall, job.entity_id)  # noqa: E731
        self.button.setEnabled(False)
        Op(self, work).success(self._printed).failure(
            lambda e: self.message.error(str(e) if isinstance(e, CashierError) else repr(e))) \
            .always(lambda: self.button.setEnabled(True)).run_in_background()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.printed_cb(outcome)
        if outcome.printed:
            self.message.ok(outcome.message)
        else:
            self.message.error(outcome.message)
        self.reload()
