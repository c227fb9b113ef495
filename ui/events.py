"""The one Qt adapter of the core's event bus: events published on any thread arrive on the GUI
thread (Electrum's ``QtEventListener``; qutebrowser's message bridge)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

from cashier.events import Event, EventBus


class QtEvents(QObject):
    """Re-emits the store's events on the GUI thread; ``on(kinds, slot)`` subscribes a view."""

    event = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._slots: list[tuple[frozenset[str], Callable[[Event], None], QObject | None]] = []
        # Emitted on a worker thread: delivered queued to this object's (the GUI) thread; emitted on the GUI
        # thread (a sign-in, a test's own transaction): delivered at once.
        self.event.connect(self._dispatch)
        unsubscribe = self._unsubscribe = bus.subscribe(self.event.emit)
        self.destroyed.connect(lambda *_: unsubscribe())

    def on(self, kinds: tuple[str, ...], slot: Callable[[Event], None], owner: QObject | None = None) -> None:
        """Call ``slot(event)`` on the GUI thread for each event of ``kinds``; dropped when ``owner`` is deleted."""
        self._slots.append((frozenset(kinds), slot, owner))

    @Slot(object)
    def _dispatch(self, event: Event) -> None:
        for entry in list(self._slots):  # a slot may subscribe another view meanwhile
            kinds, slot, owner = entry
            if owner is not None:
                try:
                    owner.objectName()
                except RuntimeError:  # the view is gone
                    self._slots.remove(entry)
                    continue
            if event.kind in kinds:
                slot(event)

    def close(self) -> None:
        self._unsubscribe()


def events_of(ctx) -> QtEvents:
    """The program's one adapter for ``ctx.store``'s bus, made on first use (on the GUI thread)."""
    adapter = getattr(ctx, "_qt_events", None)
    if adapter is None or getattr(adapter, "bus", None) is not ctx.store.events:
        adapter = QtEvents(ctx.store.events)
        adapter.bus = ctx.store.events
        ctx._qt_events = adapter
    return adapter
