"""Append-only, hash-chained audit log (审计日志).

Each entry's hash covers its own id, time, user, action, subject and detail, and the hash of
the entry before it; the id and hash of the newest entry are also kept as the chain head.
So an altered entry no longer matches its hash, an inserted or deleted one breaks the link
(or leaves a gap in the ids), and a deleted newest entry no longer matches the head.
Entries are written only inside the unit of work of the action they record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from cashier.store.models import AuditEntry, SyncState

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
_LAST = text("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
_INSERT = insert(AuditEntry.__table__)
_HEAD = text("INSERT INTO sync_state (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = :v")


def _digest(entry_id: int, at: datetime, user_id: int | None, action: str, subject: str | None,
            detail: str, prev_hash: str) -> str:
    body = json.dumps([entry_id, at.isoformat(), user_id, action, subject, detail, prev_hash],
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(session: Session, at: datetime, user_id: int | None, action: str,
           subject: str | None = None, /, **detail: object) -> int:
    """Append one entry in the caller's transaction; returns its id."""
    last = session.info.get("audit_last")
    if last is None:
        with session.no_autoflush:
            row = session.execute(_LAST).first()
        last = (row[0], row[1]) if row else (0, GENESIS)
    entry_id, prev_hash = last[0] + 1, last[1]
    detail_json = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    digest = _digest(entry_id, at, user_id, action, subject, detail_json, prev_hash)
    session.execute(_INSERT, {
        "id": entry_id, "at": at, "user_id": user_id, "action": action, "subject": subject, "detail": detail_json,
        "prev_hash": prev_hash, "hash": digest,
    })
    # Within one transaction the chain continues from memory; the head row is upserted each time.
    session.info["audit_last"] = (entry_id, digest)
    session.execute(_HEAD, {"k": HEAD_KEY, "v": f"{entry_id}:{digest}"})
    return entry_id


def head(session: Session):
    """The chain head as the protocol carries it (``AuditHead``), or None for an empty log."""
    from cashier.sync.protocol import AuditHead

    row = session.execute(_LAST).first()
    return AuditHead(seq=int(row[0]), hash=row[1]) if row else None


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    problem: str | None = None  # "altered", "inserted", "deleted"


def verify(session: Session) -> ChainCheck:
    """Walk the whole chain; name the first entry that was altered, inserted or deleted."""
    prev_id, prev_hash, count = 0, GENESIS, 0
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(5000):
        count += 1
        if e.hash != _digest(e.id, e.at, e.user_id, e.action, e.subject, e.detail, e.prev_hash):
            return ChainCheck(False, count, e.id, "altered")
        if e.prev_hash != prev_hash:
            problem = "deleted" if e.id != prev_id + 1 else "inserted"
            return ChainCheck(False, count, e.id, problem)
        if e.id != prev_id + 1:
            return ChainCheck(False, count, e.id, "deleted")
        prev_id, prev_hash = e.id, e.hash
    head = session.get(SyncState, HEAD_KEY)
    if head is not None and head.value != f"{prev_id}:{prev_hash}":
        head_id = int(head.value.split(":")[0])
        if head_id > prev_id:
            return ChainCheck(False, count, prev_id + 1, "deleted")
        return ChainCheck(False, count, head_id + 1, "inserted")
    if head is None and count:
        return ChainCheck(False, count, 1, "inserted")
    return ChainCheck(True, count)
