"""Shifts (班次): open with a counted float, move cash in and out, close blind, review, settle the day.

One open shift per terminal (the database enforces it too); no payment without one. Closing
is blind: the cashier's count goes in before the expected figure is shown; the difference
(长短款) then needs a reason, and above the configured limit a supervisor's approval. The
supervisor signs each closed shift off; day-end settlement (日结) groups the signed-off shifts
of a business date into one deposit with its totals by tender.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from cashier import audit, events
from cashier.auth import Actor, Role, require, use_approval
from cashier.cash import count_total, counts_json
from cashier.documents import body_digest, build, enqueue, next_seq
from cashier.errors import DomainError
from cashier.i18n import translate
from cashier.ids import uuid7
from cashier.money import MAX_AMOUNT_FEN, format_fen
from cashier.reports import expected_cash, shift_totals, tender_totals
from cashier.store.models import CashMovement, DaySettlement, Shift
from cashier.sync import protocol as p
from cashier.terminal import Terminal

CASH_IN_PURPOSES = ("float_top_up", "other")
CASH_OUT_PURPOSES = ("turn_in", "bank_pickup", "other")


def open_shift_of(s: Session, t: Terminal) -> Shift | None:
    return s.scalar(select(Shift).where(Shift.terminal_id == t.terminal_id, Shift.status == "open"))


_SELECT_OPEN_SHIFT = select(Shift.id, Shift.cashier_id).where(
    Shift.terminal_id == bindparam("terminal"), Shift.status == "open"
)


def open_shift_row(s: Session, t: Terminal, actor: Actor):
    """Like ``require_own_open_shift`` but a plain row (id, cashier_id): for the payment's hot path."""
    row = s.execute(_SELECT_OPEN_SHIFT, {"terminal": t.terminal_id}).first()
    if row is None:
        raise DomainError("shift.none_open")
    if row.cashier_id != actor.user_id and actor.role != Role.SUPERVISOR:
        raise DomainError("shift.not_yours")
    return row


def require_own_open_shift(s: Session, t: Terminal, actor: Actor) -> Shift:
    return s.get(Shift, open_shift_row(s, t, actor).id)


def open_shift(t: Terminal, actor: Actor, counts: Mapping[int, int]) -> str:
    """Open this terminal's shift with the opening float counted by denomination; returns its id."""
    require(actor, "shift.open")
    opening = count_total(counts)
    now = t.clock.now()
    with t.store.transaction() as s:
        events.announce(s, events.SHIFT_CHANGED, action="open_shift")
        if open_shift_of(s, t) is not None:
            raise DomainError("shift.already_open")
        shift = Shift(id=uuid7(), terminal_id=t.terminal_id, cashier_id=actor.user_id,
                      business_date=t.clock.business_date(), status="open", opened_at=now,
                      opening_float_fen=opening, opening_counts=counts_json(counts))
        s.add(shift)
        s.flush()
        audit.record(s, now, actor.user_id, "shift.open", shift.id, float_fen=opening, counts=counts_json(counts))
        return shift.id


def move_cash(t: Terminal, actor: Actor, direction: str, purpose: str, amount_fen: int, reason: str) -> tuple[str, int]:
    """Cash in (补零钱) or out (交款 turn-in, 解款 bank pickup); returns (id, receipt number)."""
    require(actor, "shift.cash")
    purposes = CASH_IN_PURPOSES if direction == "in" else CASH_OUT_PURPOSES if direction == "out" else ()
    if purpose not in purposes:
        raise DomainError("cash.bad_purpose", purpose=purpose)
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or not 0 < amount_fen <= MAX_AMOUNT_FEN:
        raise DomainError("cash.bad_amount")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("cash.reason_required")
    now = t.clock.now()
    with t.store.transaction() as s:
        events.announce(s, events.SHIFT_CHANGED, action="move_cash")
        shift = require_own_open_shift(s, t, actor)
        if direction == "out" and amount_fen > expected_cash(s, shift):
            raise DomainError("cash.not_enough", amount=format_fen(amount_fen))
        seq = next_seq(s, t.terminal_id)
        move = CashMovement(id=uuid7(), terminal_id=t.terminal_id, seq=seq, shift_id=shift.id, direction=direction,
                            purpose=purpose, amount_fen=amount_fen, reason=reason, user_id=actor.user_id, created_at=now)
        s.add(move)
        s.flush()
        body = cash_movement_body(move)
        audit.record(s, now, actor.user_id, "cash.move", move.id, direction=direction, purpose=purpose,
                     amount_fen=amount_fen, reason=reason, seq=seq, body_sha256=body_digest(body))
        enqueue(s, "cash_movement", move.id, seq, body, now)
        return move.id, seq


def cash_movement_body(move: CashMovement) -> p.CashMovementBody:
    """A cash movement as it goes upstream (and into the audit chain), made from its row."""
    return build(p.CashMovementBody, id=move.id, terminal_id=move.terminal_id, seq=move.seq, shift_id=move.shift_id,
                 direction=move.direction, purpose=move.purpose, amount_fen=move.amount_fen, reason=move.reason,
                 at=move.created_at)


def shift_close_body(s: Session, shift: Shift) -> p.ShiftCloseBody:
    """A closed shift as it goes upstream (and into the audit chain), made from its row and its payments' rows."""
    totals = shift_totals(s, shift.id)
    return build(p.ShiftCloseBody, id=shift.id, terminal_id=shift.terminal_id, business_date=shift.business_date,
                 closed_at=shift.closed_at, by_tender=totals.by_tender, payments=totals.payments,
                 reversals=totals.reversals, expected_cash_fen=shift.expected_cash_fen,
                 counted_cash_fen=shift.counted_cash_fen, over_short_fen=shift.over_short_fen)


def over_short_words(fen: int) -> tuple[str, dict[str, str]]:
    """长短款 in words, as a message key and its params: 短款 ￥2.00 (short, ``fen`` < 0), 长款 ￥2.00
    (over) or 无长短款; never a signed amount, which cashiers misread."""
    if fen < 0:
        return "shift.short", {"amount": format_fen(-fen)}
    if fen > 0:
        return "shift.over", {"amount": format_fen(fen)}
    return "shift.even", {}


def describe_over_short(fen: int, lang: str | None = None) -> str:
    """``over_short_words`` rendered: 短款 ￥2.00 / Short ￥2.00 in ``lang`` (the current language by default)."""
    key, params = over_short_words(fen)
    return translate(key, lang, **params)


class OverShortReasonRequired(DomainError):
    """A difference between count and expected cash, with no reason given; says short or over in words."""

    def __init__(self, over_short_fen: int) -> None:
        super().__init__("shift.reason_required", over_short_fen=over_short_fen)

    def message(self, lang: str | None = None) -> str:
        return translate(self.key, lang, over_short=describe_over_short(self.params["over_short_fen"], lang))


@dataclass(frozen=True)
class CloseResult:
    shift_id: str
    expected_cash_fen: int
    counted_cash_fen: int
    over_short_fen: int


def close_shift(t: Terminal, actor: Actor, counts: Mapping[int, int], reason: str | None = None,
                approval_id: int | None = None) -> CloseResult:
    """Close blind: the count first; a difference needs a reason, above the limit an approval.

    A refused attempt still leaves its count in the audit log, so a recount after the
    difference was shown is visible to the supervisor.
    """
    require(actor, "shift.close")
    counted = count_total(counts)
    reason = (reason or "").strip() or None
    now = t.clock.now()
    failure: DomainError | None = None
    with t.store.transaction() as s:
        events.announce(s, events.SHIFT_CHANGED, action="close_shift")
        shift = require_own_open_shift(s, t, actor)
        expected = expected_cash(s, shift)
        difference = counted - expected
        audit.record(s, now, actor.user_id, "shift.count", shift.id, counted_fen=counted, counts=counts_json(counts))
        try:
            if difference and not reason:
                raise OverShortReasonRequired(difference)
            approval = None
            if abs(difference) > t.shift.over_short_limit_fen:
                approval = use_approval(t, s, approval_id, "over_short", shift.id, actor, abs(difference))
        except DomainError as exc:
            failure = exc
        else:
            shift.status, shift.closed_at = "closed", now
            shift.expected_cash_fen, shift.counted_cash_fen = expected, counted
            shift.closing_counts, shift.over_short_fen, shift.over_short_reason = counts_json(counts), difference, reason
            shift.over_short_approved_by = approval.approved_by if approval else None
            s.flush()
            body = shift_close_body(s, shift)
            audit.record(s, now, actor.user_id, "shift.close", shift.id, expected_fen=expected, counted_fen=counted,
                         over_short_fen=difference, reason=reason, body_sha256=body_digest(body))
            enqueue(s, "shift_close", shift.id, None, body, now)
    if failure is not None:
        raise failure
    return CloseResult(shift.id, expected, counted, difference)


def review_shift(t: Terminal, supervisor: Actor, shift_id: str, comment: str = "") -> None:
    """The supervisor's sign-off of a closed shift (never their own)."""
    require(supervisor, "shift.review")
    now = t.clock.now()
    with t.store.transaction() as s:
        events.announce(s, events.SHIFT_CHANGED, action="review_shift")
        shift = s.get(Shift, shift_id)
        if shift is None or shift.status != "closed":
            raise DomainError("shift.not_closed")
        if shift.cashier_id == supervisor.user_id:
            raise DomainError("shift.self_review")
        shift.status, shift.reviewed_by, shift.reviewed_at = "signed_off", supervisor.user_id, now
        shift.review_comment = (comment or "").strip() or None
        audit.record(s, now, supervisor.user_id, "shift.sign_off", shift.id, comment=shift.review_comment)


def settle_day(t: Terminal, supervisor: Actor, business_date: date) -> str:
    """Day-end settlement of the hall's signed-off shifts of ``business_date``; returns its id."""
    require(supervisor, "day.settle")
    now = t.clock.now()
    with t.store.transaction() as s:
        events.announce(s, events.SHIFT_CHANGED, action="settle_day")
        shifts = s.scalars(select(Shift).where(Shift.business_date == business_date)).all()
        if s.scalar(select(DaySettlement).where(DaySettlement.hall_code == t.hall_code,
                                                DaySettlement.business_date == business_date)):
            raise DomainError("day.already_settled", date=business_date.isoformat())
        pending = [sh for sh in shifts if sh.status in ("open", "closed")]
        if pending:
            raise DomainError("day.shifts_pending", count=len(pending))
        if not shifts:
            raise DomainError("day.no_shifts", date=business_date.isoformat())
        ids = [sh.id for sh in shifts]
        per_shift = [shift_totals(s, i) for i in ids]
        turn_in = sum(x.cash_out_fen.get("turn_in", 0) for x in per_shift)
        deposit = sum((x.counted_cash_fen or 0) - x.opening_float_fen - x.cash_in_fen for x in per_shift) + turn_in
        totals = {
            "by_tender": tender_totals(s, ids), "shifts": len(ids),
            "payments": sum(x.payments for x in per_shift), "reversals": sum(x.reversals for x in per_shift),
            "over_short_fen": sum(x.over_short_fen or 0 for x in per_shift),
            "bank_pickup_fen": sum(x.cash_out_fen.get("bank_pickup", 0) for x in per_shift), "turn_in_fen": turn_in,
        }
        settlement = DaySettlement(id=uuid7(), hall_code=t.hall_code, business_date=business_date,
                                   settled_by=supervisor.user_id, created_at=now, deposit_cash_fen=deposit,
                                   totals=json.dumps(totals, ensure_ascii=False, sort_keys=True))
        s.add(settlement)
        s.flush()
        for sh in shifts:
            sh.status, sh.settlement_id = "settled", settlement.id
        audit.record(s, now, supervisor.user_id, "day.settle", settlement.id, date=business_date.isoformat(),
                     deposit_fen=deposit, **totals)
        return settlement.id
