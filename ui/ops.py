"""Background operations, after Anki's ``CollectionOp``: the work runs off the GUI thread,
success and failure callbacks run on it.

    Op(parent, lambda: take_payment(...)).success(show_receipt).failure(show_error).run_in_background()

While an op runs, ``Op.running`` counts it (tests wait for it to drop to zero); an op whose
parent widget is gone drops its callbacks instead of touching a deleted widget.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn, self.signals = fn, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, never lost
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Op:
    running = 0
    _alive: set["Op"] = set()
    pool: QThreadPool | None = None

    def __init__(self, parent: QObject | None, fn: Callable[[], Any]) -> None:
        self.parent, self.fn = parent, fn
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._finally: Callable[[], None] | None = None

    def success(self, cb: Callable[[Any], None]) -> "Op":
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> "Op":
        self._failure = cb
        return self

    def always(self, cb: Callable[[], None]) -> "Op":
        self._finally = cb
        return self

    def run_in_background(self) -> None:
        signals = _Signals()  # lives on the GUI thread: emits from the worker arrive queued
        signals.done.connect(self._on_done)
        signals.failed.connect(self._on_failed)
        self._signals = signals
        Op.running += 1
        Op._alive.add(self)
        (Op.pool or QThreadPool.globalInstance()).start(_Task(self.fn, signals))

    def _finish(self) -> None:
        Op.running -= 1
        Op._alive.discard(self)
        if self._finally and not self._parent_gone():
            self._finally()

    def _parent_gone(self) -> bool:
        if self.parent is None:
            return False
        try:
            self.parent.objectName()  # raises once the C++ object is deleted
        except RuntimeError:
            return True
        return False

    def _on_done(self, result: Any) -> None:
        try:
            if self._success and not self._parent_gone():
                self._success(result)
        finally:
            self._finish()

    def _on_failed(self, exc: BaseException) -> None:
        try:
            if self._parent_gone():
                log.warning("background op failed after its window closed: %s", exc)
            elif self._failure:
                self._failure(exc)
            else:
                log.error("background op failed: %s", exc, exc_info=exc)
        finally:
            self._finish()
