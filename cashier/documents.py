"""Numbered documents of a terminal and the outbox that carries them upstream.

Payments, reversals and cash movements take the terminal's next sequence number (the receipt
number) inside the same transaction that writes them, so the numbers have no gaps: a rolled
back transaction gives its number back. Each also leaves an outbox entry whose body is the
protocol model (``cashier.sync.protocol``) built by the core, stored as that model's own JSON
(``model_dump_json``: the bytes the upstream hashes), frozen at commit; the sync module uploads
those in sequence order. A value the wire would refuse (a reason too long, a control character)
fails here, at the counter, as a translated ``DomainError``.

A terminal restored from an older backup would hand out numbers it already used (the payments
taken after the backup are known only upstream): two paper receipts with one number, and the
new payments held upstream as ``sequence_reused``. So ``restore`` leaves the counter
*unconfirmed*: it hands out no number (takes no money) until the upstream has told it its last
number for this terminal, and then numbers on from past it (``catch_up``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Callable, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from cashier import audit
from cashier.errors import DomainError
from cashier.store.models import OutboxEntry

M = TypeVar("M", bound=BaseModel)
UNCONFIRMED = "sequence_unconfirmed"  # sync_state key: set by a restore, cleared by the upstream's answer


_BUMP = text("UPDATE terminal_sequences SET last_seq = last_seq + 1 WHERE terminal_id = :t RETURNING last_seq")
_FIRST = text("INSERT INTO terminal_sequences (terminal_id, last_seq) VALUES (:t, 1)")
_INSERT_OUTBOX = insert(OutboxEntry.__table__)
_UNCONFIRMED = text(f"SELECT value FROM sync_state WHERE key = '{UNCONFIRMED}'")
_LAST = text("SELECT last_seq FROM terminal_sequences WHERE terminal_id = :t")
_MOVE = text("INSERT INTO terminal_sequences (terminal_id, last_seq) VALUES (:t, :n) "
             "ON CONFLICT (terminal_id) DO UPDATE SET last_seq = :n WHERE terminal_sequences.last_seq < :n")
_CONFIRM = text(f"DELETE FROM sync_state WHERE key = '{UNCONFIRMED}'")


def next_seq(session: Session, terminal_id: str) -> int:
    """The terminal's next number (its receipt number); refused while a restore's numbering is unconfirmed."""
    if session.execute(_UNCONFIRMED).first() is not None:
        raise DomainError("sync.sequence_unconfirmed")
    row = session.execute(_BUMP, {"t": terminal_id}).first()
    if row is not None:
        return int(row[0])
    session.execute(_FIRST, {"t": terminal_id})
    return 1


def build(model: Callable[..., M], **fields: object) -> M:
    """The protocol body, checked where its values are made: a refusal is a ``DomainError`` naming the field."""
    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(x) for x in first["loc"]) or "-"
        kind = first["type"]
        if kind == "string_too_long":
            raise DomainError("document.too_long", field=field, max=first["ctx"]["max_length"]) from exc
        if kind == "string_pattern_mismatch":
            raise DomainError("document.bad_characters", field=field) from exc
        raise DomainError("document.invalid", field=field, reason=first["msg"]) from exc


def enqueue(session: Session, kind: str, entity_id: str, seq: int | None, body: BaseModel, at: datetime) -> None:
    """Queue ``body`` (a protocol model) for upload, stored as the model's JSON: the bytes the upstream hashes."""
    session.execute(_INSERT_OUTBOX, {
        "kind": kind, "entity_id": entity_id, "seq": seq, "created_at": at, "status": "pending", "attempts": 0,
        "payload": body.model_dump_json(),
    })


def catch_up(session: Session, terminal_id: str, upstream_last: int, at: datetime) -> int | None:
    """Number on from past the upstream's last number for this terminal, and confirm the numbering.

    Returns the local last number when it was behind (and has moved to ``upstream_last``), else None.
    """
    session.execute(_CONFIRM)
    local = last_number(session, terminal_id)
    if upstream_last <= local:
        return None
    session.execute(_MOVE, {"t": terminal_id, "n": upstream_last})
    audit.record(session, at, None, "sequence.caught_up", terminal_id, local_last=local, upstream_last=upstream_last)
    return local


def mark_unconfirmed(session: Session, at: datetime) -> None:
    """After a restore: no number (no money) until the upstream has said its last number for this terminal."""
    session.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = :v"),
                    {"k": UNCONFIRMED, "v": at.isoformat()})


def last_number(session: Session, terminal_id: str) -> int:
    """The terminal's last issued number (0 before the first)."""
    return int(session.execute(_LAST, {"t": terminal_id}).scalar() or 0)


def unconfirmed(session: Session) -> bool:
    return session.execute(_UNCONFIRMED).first() is not None


def body_digest(body: BaseModel | str) -> str:
    """sha256 of the body's canonical JSON (the model's own, as stored and as the upstream hashes it).

    The audit entry of each payment, reversal, cash movement and shift close carries it, so the
    chain covers the record's content; ``cashier.records`` recomputes it from the rows."""
    raw = body if isinstance(body, str) else body.model_dump_json()
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
