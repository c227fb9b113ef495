"""Numbered documents of a terminal and the outbox that carries them upstream.

Payments, reversals and cash movements take the terminal's next sequence number (the receipt
number) inside the same transaction that writes them, so the numbers have no gaps: a rolled
back transaction gives its number back. Each also leaves an outbox entry whose JSON body is
frozen at commit; the sync module uploads those in sequence order.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from cashier.store.models import OutboxEntry


_BUMP = text("UPDATE terminal_sequences SET last_seq = last_seq + 1 WHERE terminal_id = :t RETURNING last_seq")
_FIRST = text("INSERT INTO terminal_sequences (terminal_id, last_seq) VALUES (:t, 1)")
_INSERT_OUTBOX = insert(OutboxEntry.__table__)


def next_seq(session: Session, terminal_id: str) -> int:
    row = session.execute(_BUMP, {"t": terminal_id}).first()
    if row is not None:
        return int(row[0])
    session.execute(_FIRST, {"t": terminal_id})
    return 1


def enqueue(session: Session, kind: str, entity_id: str, seq: int | None, payload: dict, at: datetime) -> None:
    session.execute(_INSERT_OUTBOX, {
        "kind": kind, "entity_id": entity_id, "seq": seq, "created_at": at, "status": "pending", "attempts": 0,
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
    })
