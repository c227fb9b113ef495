"""Refunds of reversed scan payments (扫码退款), through the provider, tracked until it confirms.

The reversal (冲正) is committed locally at once, like any reversal: the customer's money goes back through
the provider. In the reversal's own unit of work the refund gets its id (a UUID, stored before any call: the
upstream and the provider are idempotent on it) and the reversal document names it (``scan_refund_id``).
Then the refund is asked for right away when the upstream answers, and again in every sync round until
the provider says refunded or failed. A refund the provider refuses for good is not silently dropped: it
stays in ``problems`` — the status bar and the shift review say it — until a supervisor settles it with
the provider by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cashier import audit
from cashier.ids import uuid7
from cashier.logs import after_commit
from cashier.store import Store
from cashier.store.models import ScanIntent, ScanRefund
from cashier.sync import protocol as p
from cashier.sync.client import NotSent, Refused, Unreachable

log = logging.getLogger(__name__)


def plan(s: Session, original_id: str, reversal_id: str, now: datetime, user_id: int) -> str | None:
    """Inside the reversal's unit of work: the refund of ``original_id``'s scan tender, or None (not scanned)."""
    intent = s.scalar(select(ScanIntent).where(ScanIntent.payment_id == original_id, ScanIntent.status == "paid"))
    if intent is None:
        return None
    refund_id = uuid7()
    s.add(ScanRefund(id=refund_id, intent_id=intent.id, reversal_id=reversal_id, amount_fen=intent.amount_fen,
                     status="pending", attempts=0, created_at=now, updated_at=now))
    audit.record(s, now, user_id, "scan.refund", refund_id, intent=intent.id, reversal=reversal_id,
                 amount_fen=intent.amount_fen, provider=intent.provider)
    after_commit(s, log, "scan refund %s planned: %d fen of intent %s (%s %s), reversal %s", refund_id,
                 intent.amount_fen, intent.id, intent.provider, intent.provider_txn_id, reversal_id)
    return refund_id


@dataclass(frozen=True)
class RefundState:
    refund_id: str
    status: str  # pending | refunded | failed
    amount_fen: int
    reason: str | None = None


def ask(store: Store, client, refund_id: str, now: datetime) -> RefundState:
    """Request (idempotent) or query one refund and keep what the upstream says; Unreachable leaves it pending."""
    with store.read() as s:
        r = s.get(ScanRefund, refund_id)
        if r.status != "pending":
            return RefundState(r.id, r.status, r.amount_fen, r.reason)
        request = p.ScanRefundRequest(refund_id=r.id, intent_id=r.intent_id, reversal_id=r.reversal_id,
                                      amount_fen=r.amount_fen)
    try:
        answer = client.scan_refund(request)  # idempotent: asking again answers the refund's state
    except Refused as exc:
        answer = p.ScanRefundStatus(refund_id=request.refund_id, intent_id=request.intent_id, status="failed",
                                    amount_fen=request.amount_fen, reason_code=exc.code, reason=exc.message)
    with store.transaction() as s:
        r = s.get(ScanRefund, refund_id)
        r.attempts += 1
        r.updated_at = now
        if r.status == "pending" and answer.status in ("refunded", "failed"):
            r.status, r.provider_refund_id = answer.status, answer.provider_refund_id
            r.reason_code, r.reason = answer.reason_code, answer.reason
            audit.record(s, now, None, f"scan.refund_{answer.status}", r.id, provider_refund_id=answer.provider_refund_id,
                         reason_code=answer.reason_code, reason=answer.reason)
            level = logging.INFO if answer.status == "refunded" else logging.ERROR
            after_commit(s, log, "scan refund %s %s (%s %s)", r.id, answer.status, answer.reason_code or "-",
                         answer.reason or "", level=level)
        return RefundState(r.id, r.status, r.amount_fen, r.reason)


def track(store: Store, client, now: datetime) -> list[RefundState]:
    """Every pending refund asked once (a sync round); stops at an upstream that cannot be reached."""
    with store.read() as s:
        ids = list(s.scalars(select(ScanRefund.id).where(ScanRefund.status == "pending").order_by(ScanRefund.id)))
    states = []
    for refund_id in ids:
        try:
            states.append(ask(store, client, refund_id, now))
        except NotSent:
            break
        except Unreachable:
            continue
    return states


def states_of(s: Session, payment_ids: list[str]) -> dict[str, str]:
    """Original payment id → its scan refund's status (pending, refunded, failed), for the dialogs."""
    if not payment_ids:
        return {}
    rows = s.execute(select(ScanIntent.payment_id, ScanRefund.status).join(ScanRefund, ScanRefund.intent_id == ScanIntent.id)
                     .where(ScanIntent.payment_id.in_(payment_ids))).all()
    return dict(rows)


def problems(s: Session) -> tuple[int, int]:
    """(refunds still pending, refunds the provider refused): the status bar says both."""
    counts = dict(s.execute(select(ScanRefund.status, func.count()).group_by(ScanRefund.status)).all())
    return counts.get("pending", 0), counts.get("failed", 0)
