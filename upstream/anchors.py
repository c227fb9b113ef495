"""Audit anchors: each terminal's audit chain head, kept outside the hall PC (issue 15, point 18).

A push may carry the terminal's chain head (the newest entry's number and hash, ``cashier.audit``).
The upstream keeps every (number, hash) pair it is given. A chain only grows, so a later head must
extend what is kept: a head numbered below the newest kept one means the chain was truncated
(``audit_truncated``), and a kept number arriving with another hash means the chain was rewritten
(``audit_rewritten``); either raises an alarm and is not kept. The terminal's technician compares
the local chain with the kept pairs (``GET /v1/audit/head``, ``cashier-admin audit-verify --upstream``):
an edit whose hashes were all recomputed still changes an anchored hash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cashier.sync import protocol as p
from upstream.alarms import raise_alarm
from upstream.db import Database
from upstream.models import Alarm, AuditAnchor
from upstream.terminals import Caller


def keep_head(s: Session, terminal_id: str, head: p.AuditHead, now: datetime) -> None:
    """Keep a pushed chain head, or raise an alarm when it does not extend the kept ones (terminal row locked)."""
    known = s.get(AuditAnchor, (terminal_id, head.seq))
    if known is not None:
        if known.hash != head.hash:
            _alarm(s, terminal_id, "audit_rewritten", head, now, held_hash=known.hash)
        return
    newest = s.scalar(select(func.max(AuditAnchor.seq)).where(AuditAnchor.terminal_id == terminal_id))
    if newest is not None and head.seq < newest:
        _alarm(s, terminal_id, "audit_truncated", head, now, held_seq=newest)
        return
    s.add(AuditAnchor(terminal_id=terminal_id, seq=head.seq, hash=head.hash, received_at=now))


def _alarm(s: Session, terminal_id: str, kind: str, head: p.AuditHead, now: datetime, **detail) -> None:
    # One open alarm of a kind per terminal: every later push of the damaged chain would say it again.
    if s.scalar(select(Alarm.id).where(Alarm.terminal_id == terminal_id, Alarm.kind == kind,
                                       Alarm.cleared_at.is_(None)).limit(1)) is None:
        raise_alarm(s, terminal_id, kind, str(head.seq), now, pushed_seq=head.seq, pushed_hash=head.hash, **detail)


def anchors(db: Database, caller: Caller) -> p.AuditAnchors:
    """The chain heads kept for the calling terminal, oldest first."""
    with db.sessions() as s:
        rows = s.execute(select(AuditAnchor.seq, AuditAnchor.hash).where(AuditAnchor.terminal_id == caller.terminal_id)
                         .order_by(AuditAnchor.seq)).all()
    return p.AuditAnchors(anchors=[p.AuditHead(seq=seq, hash=digest) for seq, digest in rows])
