"""The one Qt adapter of the core's event bus: events published on any thread arrive as a signal
on the GUI thread (Electrum's ``QtEventListener``; qutebrowser's message bridge)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from cashier.events import Event, EventBus


class QtEvents(QObject):
    """``event`` is emitted on the GUI thread for every event the store publishes."""

    event = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Emitting from a worker thread queues the call to this object's (the GUI) thread.
        self._unsubscribe = bus.subscribe(self.event.emit)
        self.destroyed.connect(lambda *_: self._unsubscribe())

    def on(self, kinds: tuple[str, ...], slot) -> None:
        """Call ``slot(event)`` on the GUI thread for each event of ``kinds``."""
        wanted = frozenset(kinds)

        def relay(event: Event) -> None:
            if event.kind in wanted:
                slot(event)

        self.event.connect(relay)

    def close(self) -> None:
        self._unsubscribe()
