"""The core's event bus: what changed, announced once it is on disk (after Electrum's callbacks).

A service announces a change inside its unit of work (``announce(s, PAYMENT_TAKEN, ...)``); the
store publishes it only after that transaction commits, so a rolled-back payment is never
announced. Work outside a transaction (a sync round, a printer's answer) publishes directly.
Listeners run on the publishing thread: the UI subscribes through one Qt adapter
(``ui.events.QtEvents``) that re-emits on the GUI thread. A listener that raises is logged and
never stops the others, nor the service that published.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

PAYMENT_TAKEN = "payment_taken"  # account_no, payment_id
REVERSAL = "reversal"  # account_no, payment_id (the reversal), reverses_id
SHIFT_CHANGED = "shift_changed"  # shift opened, cash moved in or out, closed, reviewed, settled
SYNC_ROUND = "sync_round"  # ok, error: a sync round finished (online or not, uploads sent)
PULL_APPLIED = "pull_applied"  # accounts: account numbers whose bills changed (empty: a whole snapshot)
PRINT_JOB = "print_job"  # entity_id, kind, status, message, job_id, reprint: a job queued, printed or failed
ACCOUNT_REFRESHED = "account_refreshed"  # account_no: the upstream's dues for one account were applied
SESSION = "session"  # user: who is signed in changed (sign-in, sign-out, lock, unlock)
HELD_RESOLVED = "held_resolved"  # outbox_id, entity_id, action: a supervisor settled an upload the upstream held
NUMBERING = "numbering"  # was, last: the receipt numbering moved past the upstream's last number (after a restore)
STORE_CHECKED = "store_checked"  # ok, problems: the start's quick integrity check of the database finished
POLE_DISPLAY = "pole_display"  # ok, message: the LED pole display (客显) answers again or stopped answering

KINDS = (PAYMENT_TAKEN, REVERSAL, SHIFT_CHANGED, SYNC_ROUND, PULL_APPLIED, PRINT_JOB, ACCOUNT_REFRESHED, SESSION,
         HELD_RESOLVED, NUMBERING, STORE_CHECKED, POLE_DISPLAY)


@dataclass(frozen=True)
class Event:
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


Listener = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[tuple[frozenset[str] | None, Listener]] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener, *kinds: str) -> Callable[[], None]:
        """Call ``listener(event)`` for each event of ``kinds`` (all when none); returns the unsubscribe."""
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown event kinds: {sorted(unknown)}")
        entry = (frozenset(kinds) or None, listener)
        with self._lock:
            self._listeners.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._listeners:
                    self._listeners.remove(entry)

        return unsubscribe

    def publish(self, kind: str, /, **data: Any) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown event kind: {kind}")
        event = Event(kind, data)
        with self._lock:
            listeners = [fn for kinds, fn in self._listeners if kinds is None or kind in kinds]
        for fn in listeners:
            try:
                fn(event)
            except Exception:  # noqa: BLE001 - a view's bug must not undo or block a committed payment
                log.exception("event listener failed on %s", kind)


def announce(s: Session, kind: str, /, **data: Any) -> None:
    """Queue ``kind`` on this unit of work: published by the store once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind: {kind}")
    s.info.setdefault("events", []).append(Event(kind, data))
