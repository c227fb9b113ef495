"""The money records' content is in the audit chain (审计覆盖单据内容).

Every payment, reversal, cash movement, shift close and service evaluation leaves, in its audit entry, the sha256
of its canonical body: the protocol model's JSON, the same bytes that go upstream
(``cashier.documents.body_digest``). Entries written before schema 6 get theirs once, at the
upgrade, as ``records.cover`` entries appended to the chain.

``verify`` rebuilds each body from the rows (payments, tenders, allocations, bills' periods,
approvals, users, cash movements, shifts) and compares it with the chained digest, so an edited
amount, tender kind or allocation, a deleted record, a record slipped in without its audit entry,
and an edited outbox payload are each named. Four fields of a payment's body are held in no row:
the hall code, the prepaid balance after the payment, the approval's number and the penalty policy's
digest; those are taken
from the outbox payload, whose own digest must equal the chained one, so they are covered too.
What the chain cannot see alone is a chain rebuilt from scratch after an edit: that is what the
upstream's anchors are for (``check_anchors``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier.documents import body_digest
from cashier.errors import DomainError
from cashier.store.models import Approval, AuditEntry, CashMovement, Evaluation, OutboxEntry, Payment, Shift, User
from cashier.sync import protocol as p

# Audit actions whose entry carries a record's body digest, and the outbox kind of that record.
CHAINED = {"payment": "payment", "reversal": "reversal", "cash.move": "cash_movement", "shift.close": "shift_close",
           "evaluation": "evaluation"}
COVER = "records.cover"  # written once at the schema 6 upgrade for records made before it
KINDS = ("payment", "reversal", "cash_movement", "shift_close", "evaluation")


@dataclass(frozen=True)
class RecordProblem:
    kind: str  # payment, reversal, cash_movement, shift_close, evaluation
    entity_id: str
    problem: str  # altered, unchained, deleted, outbox_altered, outbox_missing


def chained_digests(s: Session) -> dict[str, tuple[str, str]]:
    """entity id -> (kind, body digest) as the audit chain holds them (the newest entry wins)."""
    out: dict[str, tuple[str, str]] = {}
    rows = s.execute(select(AuditEntry.action, AuditEntry.subject, AuditEntry.detail)
                     .where(AuditEntry.action.in_((*CHAINED, COVER))).order_by(AuditEntry.id))
    for action, subject, detail in rows:
        data = json.loads(detail)
        digest = data.get("body_sha256")
        if digest is None or subject is None:
            continue
        kind = data.get("kind") if action == COVER else CHAINED[action]
        out[subject] = (kind, digest)
    return out


def payment_from_rows(s: Session, payment: Payment, payload: p.PaymentBody) -> p.PaymentBody:
    """The payment's body rebuilt from its rows; hall code, balance after, approval number and the penalty
    policy's digest from ``payload``."""
    from cashier.payments import _result, payment_body

    result = replace(_result(s, payment), prepaid_balance_after_fen=payload.prepaid_balance_after_fen)
    cashier = s.get(User, payment.cashier_id)
    approval = None
    if payload.approval is not None:
        row = s.get(Approval, payload.approval.id)
        approval = {"id": payload.approval.id, "approved_by": payment.approved_by,
                    "reason": row.reason if row is not None else ""}
    elif payment.approved_by is not None:
        approval = {"id": 0, "approved_by": payment.approved_by, "reason": payment.reason or ""}
    return payment_body(payment.terminal_id, payload.hall_code, result, payment.shift_id,
                        cashier.username if cashier else "", approval, policy_digest=payload.policy_digest)


def body_from_rows(s: Session, kind: str, entity_id: str, payload: BaseModel | None) -> BaseModel | None:
    """The record's canonical body rebuilt from its rows, or None when the row is gone."""
    from cashier.evaluations import evaluation_body
    from cashier.shifts import cash_movement_body, shift_close_body

    if kind in ("payment", "reversal"):
        row = s.get(Payment, entity_id)
        return None if row is None or payload is None else payment_from_rows(s, row, payload)
    if kind == "cash_movement":
        row = s.get(CashMovement, entity_id)
        return None if row is None else cash_movement_body(row)
    if kind == "evaluation":
        row = s.get(Evaluation, entity_id)
        return None if row is None else evaluation_body(s, row)
    row = s.get(Shift, entity_id)
    return None if row is None or row.status == "open" else shift_close_body(s, row)


def _digest_or_none(build) -> str | None:
    try:
        body = build()
    except DomainError:  # a row edited into something the wire refuses is an altered record too
        return None
    return None if body is None else body_digest(body)


def _records(s: Session) -> list[tuple[str, str]]:
    """(kind, id) of every record that goes upstream: payments and reversals, cash movements, closed shifts,
    evaluations."""
    records: list[tuple[str, str]] = [
        (kind, pid) for pid, kind in s.execute(select(Payment.id, Payment.kind).order_by(Payment.terminal_id, Payment.seq))]
    records += [("cash_movement", i) for i in s.scalars(select(CashMovement.id).order_by(CashMovement.seq))]
    records += [("shift_close", i) for i in s.scalars(
        select(Shift.id).where(Shift.status != "open").order_by(Shift.closed_at))]
    records += [("evaluation", i) for i in s.scalars(select(Evaluation.id).order_by(Evaluation.id))]
    return records


def verify(s: Session) -> list[RecordProblem]:
    """Every money record against the chain; returns the problems found, oldest record first."""
    chained = chained_digests(s)
    outbox = {e.entity_id: (e.kind, e.payload) for e in s.execute(
        select(OutboxEntry.entity_id, OutboxEntry.kind, OutboxEntry.payload).where(OutboxEntry.kind.in_(KINDS)))}
    records = _records(s)
    problems: list[RecordProblem] = []
    seen = set()
    for kind, entity_id in records:
        seen.add(entity_id)
        chain = chained.get(entity_id)
        if chain is None:
            problems.append(RecordProblem(kind, entity_id, "unchained"))
            continue
        stored = outbox.get(entity_id)
        if stored is None:
            problems.append(RecordProblem(kind, entity_id, "outbox_missing"))
            continue
        try:
            payload = p.parse_item(stored[0], stored[1]).body
        except ValueError:
            payload = None
        rows_ok = _digest_or_none(lambda: body_from_rows(s, kind, entity_id, payload)) == chain[1]
        payload_ok = payload is not None and body_digest(payload) == chain[1]
        if not rows_ok:  # the rows no longer make the chained body (edited rows, or the payload's own fields)
            problems.append(RecordProblem(kind, entity_id, "altered"))
        elif not payload_ok:
            problems.append(RecordProblem(kind, entity_id, "outbox_altered"))
    for entity_id, (kind, _) in chained.items():
        if entity_id not in seen:
            problems.append(RecordProblem(kind, entity_id, "deleted"))
    return problems


def cover_unchained(s: Session, at) -> int:
    """Chain the digest of every record that has none (made before schema 6): one ``records.cover`` entry each."""
    from cashier import audit

    chained = chained_digests(s)
    outbox = {e.entity_id: (e.kind, e.payload) for e in s.execute(
        select(OutboxEntry.entity_id, OutboxEntry.kind, OutboxEntry.payload).where(OutboxEntry.kind.in_(KINDS)))}
    covered = 0
    for kind, entity_id in _records(s):
        if entity_id in chained:
            continue
        stored = outbox.get(entity_id)
        try:
            payload = p.parse_item(stored[0], stored[1]).body if stored else None
        except ValueError:
            payload = None
        digest = _digest_or_none(lambda: body_from_rows(s, kind, entity_id, payload))
        if digest is None and payload is not None:  # rows that no longer make a valid body: chain what went up
            digest = body_digest(payload)
        if digest is None:
            continue  # nothing to chain: audit-verify names the record as unchained
        audit.record(s, at, None, COVER, entity_id, kind=kind, body_sha256=digest)
        covered += 1
    return covered


@dataclass(frozen=True)
class AnchorProblem:
    seq: int
    problem: str  # truncated (the local chain ends before an anchored entry), rewritten (its hash differs)


def check_anchors(s: Session, anchors: list[p.AuditHead]) -> list[AnchorProblem]:
    """The local chain must hold every (entry number, hash) the upstream was given by this terminal."""
    if not anchors:
        return []
    wanted = {a.seq: a.hash for a in anchors}
    have = dict(s.execute(select(AuditEntry.id, AuditEntry.hash).where(AuditEntry.id.in_(list(wanted)))).all())
    problems = []
    for seq in sorted(wanted):
        if seq not in have:
            problems.append(AnchorProblem(seq, "truncated"))
        elif have[seq] != wanted[seq]:
            problems.append(AnchorProblem(seq, "rewritten"))
    return problems
