"""Alarms, conflicts and refused documents: raised by the push, read and settled by a person.

The push (``upstream.push``, through ``raise_alarm``) writes them and never applies what it holds:
an alarm says what a person must look at (a sequence gap, a conflict, a shift whose totals differ, a late payment); a
conflict keeps a body sent under an id (or receipt number) the upstream already holds with other
content, next to the document it kept; a refused document (``documents.status = 'rejected'``)
keeps the body and the reason. Here an operator lists and reads them, clears an alarm with a note,
settles a conflict, and reopens a refused document once its cause is fixed (an account that now
exists): the refusal is forgotten so the terminal's retry is judged afresh, and an alarm row
(``reopened``, cleared at once) keeps what was refused, why, and the operator's note.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upstream.db import Database
from upstream.models import Alarm, Conflict, Document, DocumentAllocation, Terminal

NOTE_LIMIT = 500


def raise_alarm(s: Session, terminal_id: str | None, kind: str, subject: str, at: datetime, **detail) -> None:
    s.add(Alarm(terminal_id=terminal_id, kind=kind, subject=subject, created_at=at,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)))


class DeskError(Exception):
    """An operator's request that cannot be done; the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DeskError("note_required", "a note is required: say what was checked or done")
    if len(note) > NOTE_LIMIT:
        raise DeskError("note_too_long", f"the note is at most {NOTE_LIMIT} characters")
    return note


def _detail(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


@dataclass(frozen=True)
class AlarmView:
    id: int
    terminal_id: str | None
    kind: str
    subject: str
    detail: dict
    created_at: datetime
    cleared_at: datetime | None

    @property
    def open(self) -> bool:
        return self.cleared_at is None


def _alarm_view(a: Alarm) -> AlarmView:
    return AlarmView(a.id, a.terminal_id, a.kind, a.subject, _detail(a.detail), a.created_at, a.cleared_at)


def list_alarms(db: Database, *, terminal: str | None = None, kind: str | None = None,
                open_only: bool = False) -> list[AlarmView]:
    """Alarms, oldest first; filtered by terminal, kind, and still open."""
    query = select(Alarm).order_by(Alarm.id)
    if terminal:
        query = query.where(Alarm.terminal_id == terminal)
    if kind:
        query = query.where(Alarm.kind == kind)
    if open_only:
        query = query.where(Alarm.cleared_at.is_(None))
    with db.sessions() as s:
        return [_alarm_view(a) for a in s.scalars(query)]


def get_alarm(db: Database, alarm_id: int) -> AlarmView:
    with db.sessions() as s:
        a = s.get(Alarm, alarm_id)
        if a is None:
            raise DeskError("no_alarm", f"no alarm {alarm_id}")
        return _alarm_view(a)


def clear_alarm(db: Database, alarm_id: int, note: str) -> AlarmView:
    """Clear an open alarm; the note (what was checked or done) and when are added to its detail."""
    note = _note(note)
    with db.transaction() as s:
        a = s.get(Alarm, alarm_id, with_for_update=True)
        if a is None:
            raise DeskError("no_alarm", f"no alarm {alarm_id}")
        if a.cleared_at is not None:
            raise DeskError("already_cleared", f"alarm {alarm_id} was cleared at {a.cleared_at:%Y-%m-%d %H:%M:%S}")
        now = _now()
        detail = _detail(a.detail)
        detail["cleared"] = {"note": note, "at": now.isoformat()}
        a.detail = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
        a.cleared_at = now
        s.flush()
        return _alarm_view(a)


@dataclass(frozen=True)
class ConflictView:
    id: int
    document_id: str
    terminal_id: str
    kind: str
    why: str  # id_reused (another body under this id) or sequence_reused (another id under this receipt number)
    body: dict  # what was sent and held, never applied
    received_at: datetime
    resolved_at: datetime | None
    kept: dict | None  # the document the upstream kept (and applied, if accepted) in its place
    kept_id: str | None
    kept_status: str | None
    differs: tuple[str, ...]  # the top-level fields where the held body and the kept one differ
    note: str | None = None  # the operator's note when settled


def _kept_document(s: Session, c: Conflict, body: dict) -> Document | None:
    doc = s.get(Document, c.document_id)
    if doc is not None:
        return doc
    seq = body.get("seq")  # sequence_reused: the document holding this terminal's receipt number
    if seq is None:
        return None
    return s.scalar(select(Document).where(Document.terminal_id == c.terminal_id, Document.seq == seq))


def _conflict_view(s: Session, c: Conflict) -> ConflictView:
    body = _detail(c.body)
    kept = _kept_document(s, c, body)
    kept_body = _detail(kept.body) if kept is not None else None
    why = "id_reused" if kept is not None and kept.id == c.document_id else "sequence_reused"
    differs = tuple(sorted(k for k in set(body) | set(kept_body or {})
                           if kept_body is not None and body.get(k) != kept_body.get(k)))
    alarm = s.scalar(select(Alarm).where(Alarm.kind == "conflict", Alarm.subject == c.document_id,
                                         Alarm.terminal_id == c.terminal_id).order_by(Alarm.id.desc()).limit(1))
    note = _detail(alarm.detail).get("cleared", {}).get("note") if alarm is not None and alarm.cleared_at else None
    return ConflictView(c.id, c.document_id, c.terminal_id, c.kind, why, body, c.received_at, c.resolved_at,
                        kept_body, kept.id if kept is not None else None, kept.status if kept is not None else None,
                        differs, note)


def list_conflicts(db: Database, *, terminal: str | None = None, open_only: bool = False) -> list[ConflictView]:
    query = select(Conflict).order_by(Conflict.id)
    if terminal:
        query = query.where(Conflict.terminal_id == terminal)
    if open_only:
        query = query.where(Conflict.resolved_at.is_(None))
    with db.sessions() as s:
        return [_conflict_view(s, c) for c in s.scalars(query)]


def get_conflict(db: Database, conflict_id: int) -> ConflictView:
    with db.sessions() as s:
        c = s.get(Conflict, conflict_id)
        if c is None:
            raise DeskError("no_conflict", f"no conflict {conflict_id}")
        return _conflict_view(s, c)


def resolve_conflict(db: Database, conflict_id: int, note: str) -> ConflictView:
    """Settle a conflict: the held body stays as it is (never applied); its alarms are cleared with the note."""
    note = _note(note)
    with db.transaction() as s:
        c = s.get(Conflict, conflict_id, with_for_update=True)
        if c is None:
            raise DeskError("no_conflict", f"no conflict {conflict_id}")
        if c.resolved_at is not None:
            raise DeskError("already_resolved", f"conflict {conflict_id} was settled at {c.resolved_at:%Y-%m-%d %H:%M:%S}")
        now = _now()
        c.resolved_at = now
        for a in s.scalars(select(Alarm).where(Alarm.kind == "conflict", Alarm.subject == c.document_id,
                                               Alarm.terminal_id == c.terminal_id, Alarm.cleared_at.is_(None))):
            detail = _detail(a.detail)
            detail["cleared"] = {"note": note, "at": now.isoformat(), "conflict": c.id}
            a.detail = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
            a.cleared_at = now
        s.flush()
        return _conflict_view(s, c)


@dataclass(frozen=True)
class RefusedDocument:
    id: str
    kind: str
    terminal_id: str | None
    seq: int | None
    reason: str | None
    account_no: str | None
    amount_fen: int
    business_date: object
    received_at: datetime


def list_refused(db: Database, *, terminal: str | None = None) -> list[RefusedDocument]:
    """Documents the push refused (kept with their reason, never applied), oldest first."""
    query = select(Document).where(Document.status == "rejected").order_by(Document.received_at, Document.id)
    if terminal:
        query = query.where(Document.terminal_id == terminal)
    with db.sessions() as s:
        return [RefusedDocument(d.id, d.kind, d.terminal_id, d.seq, d.reason, d.account_no, d.amount_fen,
                                d.business_date, d.received_at) for d in s.scalars(query)]


def reopen_refused(db: Database, document_id: str, note: str) -> AlarmView:
    """Forget a refusal so the terminal's next send of the same body is judged afresh.

    Only a refused document: nothing of it was applied (no allocation, no balance), so forgetting it
    loses no money; its receipt number is freed for the same body. The terminal's row is locked as a
    push locks it, so a push of the same terminal never sees it half gone. Returns the ``reopened``
    record (an alarm cleared at once: what was refused, why, and the note).
    """
    note = _note(note)
    with db.transaction() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise DeskError("no_document", f"no document {document_id}")
        if doc.terminal_id is not None:
            s.get(Terminal, doc.terminal_id, with_for_update=True)
        doc = s.get(Document, document_id, populate_existing=True)
        if doc is None or doc.status != "rejected":
            raise DeskError("not_refused", f"document {document_id} is {doc.status if doc else 'gone'}, not refused: "
                                           "only a refused document can be reopened")
        if s.scalar(select(DocumentAllocation.id).where(DocumentAllocation.document_id == document_id).limit(1)):
            raise DeskError("applied", f"document {document_id} has allocations: it was applied, it cannot be reopened")
        now = _now()
        record = Alarm(terminal_id=doc.terminal_id, kind="reopened", subject=doc.id, created_at=now, cleared_at=now,
                       detail=json.dumps({"reason": doc.reason, "kind": doc.kind, "seq": doc.seq,
                                          "account_no": doc.account_no, "amount_fen": doc.amount_fen,
                                          "body_hash": doc.body_hash, "received_at": doc.received_at.isoformat(),
                                          "note": note}, ensure_ascii=False, sort_keys=True, default=str))
        s.add(record)
        s.execute(delete(Document).where(Document.id == document_id, Document.status == "rejected"))
        s.flush()
        return _alarm_view(record)
