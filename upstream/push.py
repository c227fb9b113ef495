"""Push: store and apply a terminal's documents exactly once, and answer each item.

Lock order, the same in every writing transaction, so terminals never deadlock: the
terminal's row, then accounts by account number, then the ``change`` counter last (held only
from handing out numbers to commit).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cashier.rules.tenders import net_takings
from cashier.sync import protocol as p
from upstream.accounts import apply_amount, load_accounts, write_back
from upstream.alarms import raise_alarm
from upstream.anchors import keep_head
from upstream import checks, scan, scope
from upstream.db import Database
from upstream.errors import Refusal
from upstream.models import Alarm, Conflict, Document, DocumentAllocation, Terminal
from upstream.policy import DEFAULT_POLICY_BODY, check_payment
from upstream.reversals import apply_reversal
from upstream.sql import any_of, bulk_insert, insert_for, utcnow
from upstream.terminals import Caller


def push(db: Database, caller: Caller, request: p.PushRequest,
         policy: p.PenaltyPolicyBody = DEFAULT_POLICY_BODY,
         plausible: checks.Plausibility = checks.DEFAULT) -> p.PushResponse:
    """Store and apply a batch of documents exactly once with the upstream's penalty ``policy``; answer each item
    (``plausible``: the date checks of upstream/checks.py)."""
    now = utcnow()
    rules = policy.policy()
    # The body as stored and hashed: the model's own JSON (fixed field order), made in pydantic's Rust core.
    items = [(it.kind, it.body, it.body.model_dump_json()) for it in request.items]
    answer_order = [body.id for _, body, _ in items]
    results: dict[str, p.ItemResult] = {}
    items = _authorized(caller, items, results)
    with db.transaction() as s:
        term = s.get(Terminal, caller.terminal_id, with_for_update=True)
        if term is None or term.revoked_at is not None:
            raise Refusal(401, "bad_credentials", "credentials not recognised or revoked")
        if request.audit_head is not None:
            keep_head(s, caller.terminal_id, request.audit_head, now)
        ids = [body.id for _, body, _ in items]
        existing = {r.id: r for r in s.execute(
            select(Document.id, Document.kind, Document.body_hash, Document.status, Document.reason,
                   Document.flags, Document.after_shift_close, Document.terminal_id)
            .where(any_of(s, Document.id, ids)))} if ids else {}
        seqs = [body.seq for kind, body, _ in items if kind not in p.UNNUMBERED]
        seq_owner = dict(s.execute(select(Document.seq, Document.id).where(
            Document.terminal_id == caller.terminal_id, any_of(s, Document.seq, seqs))).all()) if seqs else {}

        fresh: list[tuple[str, object, dict, str]] = []
        batch_hash: dict[str, str] = {}
        for kind, body, raw in items:
            digest = p.body_hash(raw)
            known = existing.get(body.id)
            if body.id in batch_hash:
                status = "duplicate" if batch_hash[body.id] == digest else "conflict"
                results.setdefault(body.id, p.ItemResult(id=body.id, status=status))
                continue
            batch_hash[body.id] = digest
            if known is not None:
                if known.body_hash == digest and known.kind == kind:
                    results[body.id] = _replay(known)
                else:
                    results[body.id] = _conflict(s, caller, kind, body, raw, digest, now, "id_reused")
                continue
            seq = getattr(body, "seq", None) if kind not in p.UNNUMBERED else None
            if seq is not None and seq in seq_owner and seq_owner[seq] != body.id:
                results[body.id] = _conflict(s, caller, kind, body, raw, digest, now, "sequence_reused")
                continue
            if seq is not None:
                seq_owner[seq] = body.id
            fresh.append((kind, body, raw, digest))

        accounts = load_accounts(
            s, {b.account_no for k, b, _, _ in fresh if k in ("payment", "reversal")},
            _reversed_bill_ids(s, [b.reverses_id for k, b, _, _ in fresh if k == "reversal"]))
        docs, allocs = [], []
        batch_allocs: dict[str, list] = {}
        shift_ids = {b.shift_id for k, b, _, _ in fresh if k not in p.UNNUMBERED}
        rated = _rated_payments(s, [b.payment_id for k, b, _, _ in fresh if k == "evaluation"])
        closes = list(s.scalars(select(Document.id).where(Document.kind == "shift_close",
                                                          any_of(s, Document.id, shift_ids)))) if shift_ids else []
        claimed: set[str] = set()  # scan intents backing a payment of this batch
        for kind, body, raw, digest in fresh:
            flags: list[str] = []
            status, reason = "accepted", None
            if kind in ("payment", "reversal"):
                acc = accounts.get(body.account_no)
                refused, flags = checks.verdict(kind, body, plausible)
                if refused is None:
                    refused, more = scan.payment_problem(s, caller, body, claimed)
                    flags = [] if refused else flags + more
                if refused is not None:
                    status, reason = "rejected", refused
                elif acc is None:
                    status, reason = "rejected", "unknown_account"
                elif kind == "payment":
                    if check_payment(body, policy):
                        flags.append("policy_mismatch")
                        raise_alarm(s, caller.terminal_id, "policy_mismatch", body.id, now, terminal=body.policy_digest,
                                    upstream=policy.digest, upstream_version=policy.version)
                    lines = apply_amount(acc, body.amount_fen, body.penalty_waived_fen, body.business_date, rules,
                                         body.reconnect_requested)
                    batch_allocs[body.id] = [(b.id, pen, w, pr, prev) for b, pen, w, pr, prev in lines]
                    allocs.extend({"document_id": body.id, "bill_id": b.id, "penalty_fen": pen,
                                   "penalty_waived_fen": w, "principal_fen": pr, "prev_settled_through": prev}
                                  for b, pen, w, pr, prev in lines)
                else:
                    status, reason = apply_reversal(s, acc, body, batch_allocs, docs, now, caller)
                if status == "accepted":
                    flags.extend(scope.cross_hall_flags(s, caller, acc.account_no, acc.hall_code, kind, body.id, now))
                    if kind == "payment":
                        scan.claim(s, body, claimed)
                if status == "accepted" and body.shift_id in closes:
                    flags.append("after_shift_close")
                    raise_alarm(s, caller.terminal_id, "after_shift_close", body.id, now, shift_id=body.shift_id,
                                amount_fen=body.amount_fen)
            elif kind == "cash_movement" and body.shift_id in closes:
                flags.append("after_shift_close")
            elif kind == "evaluation":
                status, reason = _evaluation_verdict(caller, body, rated, docs)
            if kind == "shift_close":
                flags.extend(_check_close(s, caller, body, docs, now))
            docs.append({
                "id": body.id, "kind": kind, "terminal_id": caller.terminal_id,
                "seq": None if kind in p.UNNUMBERED else body.seq, "status": status, "reason": reason,
                "flags": ",".join(flags) or None, "body_hash": digest, "body": raw,
                "account_no": getattr(body, "account_no", None),
                "shift_id": body.id if kind == "shift_close" else getattr(body, "shift_id", None),
                "amount_fen": getattr(body, "amount_fen", 0), "business_date": getattr(body, "business_date", None),
                "received_at": now, "after_shift_close": "after_shift_close" in flags,
                "reverses_id": body.reverses_id if kind == "reversal" and status == "accepted" else None,
            })
            if kind == "shift_close":
                closes.append(body.id)
            results[body.id] = p.ItemResult(id=body.id, status=status, reason=reason, flags=flags)

        if docs:
            bulk_insert(s, Document.__table__, docs, skip_conflicts=True)
            inserted = s.scalar(select(func.count()).select_from(Document).where(
                any_of(s, Document.id, [d["id"] for d in docs]), Document.received_at == now))
            if inserted != len(docs):  # cannot happen while the terminal's row is locked; refuse rather than half-apply
                raise Refusal(409, "concurrent_push", "documents arrived twice at once; retry")
        bulk_insert(s, DocumentAllocation.__table__, allocs)
        _advance_sequence(s, term, now)
        term.last_seen_at = now
        s.flush()
        write_back(s, accounts.values())
        contiguous, last_seq = term.contiguous_seq, term.max_seq
    return p.PushResponse(results=[results[i] for i in dict.fromkeys(answer_order)], contiguous_seq=contiguous,
                          server_time=now.replace(tzinfo=timezone.utc), last_seq=last_seq)


def _rated_payments(s, payment_ids: list[str]) -> dict[str, tuple[str, str, str]]:
    """(terminal, kind, status) of each payment an evaluation of the batch rates, as the upstream holds it."""
    if not payment_ids:
        return {}
    return {i: (t, k, st) for i, t, k, st in s.execute(
        select(Document.id, Document.terminal_id, Document.kind, Document.status)
        .where(any_of(s, Document.id, payment_ids)))}


def _evaluation_verdict(caller: Caller, body, rated: dict, docs: list[dict]) -> tuple[str, str | None]:
    """A service evaluation rates an accepted payment of the same terminal, held already or earlier in the batch
    (the outbox sends a payment before its rating). A rating of a payment not held yet is refused and retried."""
    held = rated.get(body.payment_id)
    if held is None:
        held = next(((d["terminal_id"], d["kind"], d["status"]) for d in docs if d["id"] == body.payment_id), None)
    if held is None or held[2] != "accepted" or held[1] != "payment":
        return "rejected", "unknown_payment"
    if held[0] != caller.terminal_id:
        return "rejected", "payment_other_terminal"
    return "accepted", None


def _authorized(caller: Caller, items: list, results: dict[str, p.ItemResult]) -> list:
    """The items this terminal may send; each other one is answered ``rejected`` with why, and never stored.

    Authorization is per item (CouchDB's per-document answers): one document of another terminal or hall
    never holds back the others of the batch.
    """
    admitted = []
    for kind, body, raw in items:
        why = _not_allowed(caller, kind, body)
        if why is None:
            admitted.append((kind, body, raw))
        else:
            results.setdefault(body.id, p.ItemResult(id=body.id, status="rejected", reason=why))
    return admitted


def _not_allowed(caller: Caller, kind: str, body) -> str | None:
    if body.terminal_id != caller.terminal_id:
        return "other_terminal"
    if kind in ("payment", "reversal") and body.kind != kind:
        return "kind_mismatch"
    if kind in ("payment", "reversal") and body.hall_code != caller.hall_code:
        return "other_hall"
    return None


def _replay(known) -> p.ItemResult:
    """The answer to a document sent again with the same body: its first answer, flags included (Stripe's
    idempotency contract), said ``duplicate`` when it was accepted."""
    if known.flags is not None:
        flags = known.flags.split(",")
    else:  # held before flags were kept: the one flag a payment's row always had
        flags = ["after_shift_close"] if known.after_shift_close else []
    status = "duplicate" if known.status == "accepted" else "rejected"
    return p.ItemResult(id=known.id, status=status, reason=known.reason, flags=flags)


def _conflict(s, caller, kind, body, raw, digest, now, why) -> p.ItemResult:
    stmt = insert_for(s, Conflict.__table__).values(
        document_id=body.id, terminal_id=caller.terminal_id, kind=kind, body_hash=digest,
        body=raw, received_at=now).on_conflict_do_nothing()
    if s.execute(stmt).rowcount:
        raise_alarm(s, caller.terminal_id, "conflict", body.id, now, why=why)
    return p.ItemResult(id=body.id, status="conflict", reason=why)


def _reversed_bill_ids(s: Session, originals: list[str]) -> set[int]:
    if not originals:
        return set()
    return set(s.scalars(select(DocumentAllocation.bill_id).where(any_of(s, DocumentAllocation.document_id, originals))))


def _check_close(s: Session, caller: Caller, body: p.ShiftCloseBody, docs: list[dict], now) -> list[str]:
    """Compare the shift's totals as the terminal closed it with the payments held here."""
    held = [json.loads(b) for b in s.scalars(select(Document.body).where(
        Document.shift_id == body.id, Document.kind.in_(("payment", "reversal")), Document.status == "accepted"))]
    held += [json.loads(d["body"]) for d in docs
             if d["shift_id"] == body.id and d["kind"] in ("payment", "reversal") and d["status"] == "accepted"]
    by_tender, payments, reversals = net_takings(held)
    theirs = {k: v for k, v in sorted(body.by_tender.items()) if v}
    if (by_tender, payments, reversals) == (theirs, body.payments, body.reversals):
        return []
    raise_alarm(s, caller.terminal_id, "shift_difference", body.id, now,
           terminal={"by_tender": theirs, "payments": body.payments, "reversals": body.reversals},
           upstream={"by_tender": by_tender, "payments": payments, "reversals": reversals})
    return ["totals_differ"]


def _advance_sequence(s: Session, term: Terminal, now: datetime) -> None:
    held = list(s.scalars(select(Document.seq).where(Document.terminal_id == term.id,
                                                      Document.seq > term.contiguous_seq).order_by(Document.seq)))
    contiguous = term.contiguous_seq
    for seq in held:
        if seq != contiguous + 1:
            break
        contiguous = seq
    if held:
        term.max_seq = max(term.max_seq, held[-1])
    term.contiguous_seq = contiguous
    open_gap = s.scalar(select(Alarm).where(Alarm.terminal_id == term.id, Alarm.kind == "sequence_gap",
                                            Alarm.cleared_at.is_(None)))
    if term.max_seq > contiguous and open_gap is None:
        raise_alarm(s, term.id, "sequence_gap", str(contiguous + 1), now, missing_from=contiguous + 1,
               highest=term.max_seq)
    elif term.max_seq == contiguous and open_gap is not None:
        open_gap.cleared_at = now
