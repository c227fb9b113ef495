"""The offline exposure cap: how long and how much a terminal may collect without the upstream.

Past either limit (hours since the last successful sync, total of payments not yet uploaded)
a supervisor approves continuing for the rest of the shift, optionally up to a new total; the
approval is audited like any other and names who took the risk.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier.auth import Actor
from cashier.errors import DomainError
from cashier.money import format_fen
from cashier.store.models import Approval
from cashier.sync.engine import get_state, pending_fen


def check(s: Session, t, shift_id: str, actor: Actor, amount_fen: int, now: datetime) -> None:
    policy = t.exposure
    if policy is None:
        return
    since = get_state(s, "last_success_at") or get_state(s, "enrolled_at")
    hours = (now - datetime.fromisoformat(since)).total_seconds() / 3600 if since else 0.0
    pending = pending_fen(s) + amount_fen
    if t.door_to_door is not None:
        hours = 0.0  # 走收 is offline by design: only the amount carried is capped
    if hours <= policy.max_offline_hours and pending <= policy.max_unsynced_fen:
        return
    approval = s.scalar(select(Approval).where(
        Approval.action == "offline_exposure", Approval.subject == shift_id, Approval.terminal_id == t.terminal_id,
        Approval.approved_by != actor.user_id).order_by(Approval.id.desc()).limit(1))
    if approval is not None and (approval.amount_fen is None or pending <= approval.amount_fen):
        if approval.used_at is None:
            approval.used_at = now
        return
    raise DomainError("sync.exposure_exceeded", hours=int(hours), pending=format_fen(pending),
                      max_hours=policy.max_offline_hours, max_pending=format_fen(policy.max_unsynced_fen))
