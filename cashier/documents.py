"""Numbered documents of a terminal and the outbox that carries them upstream.

Payments, reversals and cash movements take the terminal's next sequence number (the receipt
number) inside the same transaction that writes them, so the numbers have no gaps: a rolled
back transaction gives its number back. Each also leaves an outbox entry whose body is the
protocol model (``cashier.sync.protocol``) built by the core, stored as that model's own JSON
(``model_dump_json``: the bytes the upstream hashes), frozen at commit; the sync module uploads
those in sequence order. A value the wire would refuse (a reason too long, a control character)
fails here, at the counter, as a translated ``DomainError``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Callable, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from cashier.errors import DomainError
from cashier.store.models import OutboxEntry

M = TypeVar("M", bound=BaseModel)


_BUMP = text("UPDATE terminal_sequences SET last_seq = last_seq + 1 WHERE terminal_id = :t RETURNING last_seq")
_FIRST = text("INSERT INTO terminal_sequences (terminal_id, last_seq) VALUES (:t, 1)")
_INSERT_OUTBOX = insert(OutboxEntry.__table__)


def next_seq(session: Session, terminal_id: str) -> int:
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


def body_digest(body: BaseModel | str) -> str:
    """sha256 of the body's canonical JSON (the model's own, as stored and as the upstream hashes it).

    The audit entry of each payment, reversal, cash movement and shift close carries it, so the
    chain covers the record's content; ``cashier.records`` recomputes it from the rows."""
    raw = body if isinstance(body, str) else body.model_dump_json()
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
