"""What the supervisor's workspace shows: shifts waiting for review, the hall's day at a glance,
and the documents of day-end settlement (日结).

The numbers come from ``cashier.reports``; this module gathers them per screen, with names
instead of user ids, and finds the payments that reached the upstream after their shift was
closed (the upstream flags them ``after_shift_close`` when it answers the upload).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from cashier.auth import Actor, require
from cashier.errors import DomainError
from cashier.reports import ShiftTotals, day_totals, shift_totals, tender_totals
from cashier.store.models import Account, DaySettlement, OutboxEntry, Payment, ScanRefund, Shift, User

LATE_FLAG = "after_shift_close"


@dataclass(frozen=True)
class LatePayment:
    payment_id: str
    seq: int
    account_no: str
    amount_fen: int
    created_at: datetime
    why: str  # "upstream": flagged by the upstream; "after_close": taken after the local close


@dataclass(frozen=True)
class ShiftReview:
    totals: ShiftTotals
    cashier: str
    opened_at: datetime
    closed_at: datetime | None
    over_short_approved_by: str | None
    late: list[LatePayment]
    reviewed_by: str | None = None
    review_comment: str | None = None
    # Reversed scan payments of this shift whose refund the provider has not confirmed (退款处理中) or refused:
    # (receipt sequence of the reversal, account, fen, pending|failed).
    refunds: tuple[tuple[int, str, int, str], ...] = ()


def _names(s: Session) -> dict[int, str]:
    return dict(s.execute(select(User.id, User.display_name)).all())


def late_payments(s: Session, shift: Shift) -> list[LatePayment]:
    """Payments of this shift flagged by the upstream as arriving after its close, or taken after it."""
    flagged = select(OutboxEntry.entity_id).where(OutboxEntry.last_error.like(f"%{LATE_FLAG}%"))
    conditions = [Payment.id.in_(flagged)]
    if shift.closed_at is not None:
        conditions.append(Payment.created_at > shift.closed_at)
    rows = s.execute(
        select(Payment.id, Payment.seq, Account.account_no, Payment.applied_fen + Payment.prepaid_credit_fen,
               Payment.kind, Payment.created_at, Payment.id.in_(flagged))
        .join(Account, Account.id == Payment.account_id)
        .where(Payment.shift_id == shift.id, or_(*conditions)).order_by(Payment.seq)
    ).all()
    return [LatePayment(pid, seq, number, amount * (-1 if kind == "reversal" else 1), at,
                        "upstream" if is_flagged else "after_close")
            for pid, seq, number, amount, kind, at, is_flagged in rows]


def review_of(s: Session, shift_id: str, names: dict[int, str] | None = None) -> ShiftReview:
    shift = s.get(Shift, shift_id)
    if shift is None:
        raise DomainError("shift.not_closed")
    names = names if names is not None else _names(s)
    return ShiftReview(
        totals=shift_totals(s, shift.id), cashier=names.get(shift.cashier_id, str(shift.cashier_id)),
        opened_at=shift.opened_at, closed_at=shift.closed_at,
        over_short_approved_by=names.get(shift.over_short_approved_by) if shift.over_short_approved_by else None,
        late=late_payments(s, shift), reviewed_by=names.get(shift.reviewed_by) if shift.reviewed_by else None,
        review_comment=shift.review_comment, refunds=unconfirmed_refunds(s, shift.id))


def unconfirmed_refunds(s: Session, shift_id: str) -> tuple[tuple[int, str, int, str], ...]:
    """The shift's reversed scan payments whose money the provider has not given back yet (or refused to)."""
    rows = s.execute(
        select(Payment.seq, Account.account_no, ScanRefund.amount_fen, ScanRefund.status)
        .join(ScanRefund, ScanRefund.reversal_id == Payment.id).join(Account, Account.id == Payment.account_id)
        .where(Payment.shift_id == shift_id, ScanRefund.status != "refunded").order_by(Payment.seq)).all()
    return tuple(tuple(r) for r in rows)


def review_queue(s: Session) -> list[ShiftReview]:
    """Closed shifts not yet signed off, oldest close first."""
    names = _names(s)
    ids = s.scalars(select(Shift.id).where(Shift.status == "closed").order_by(Shift.closed_at, Shift.id)).all()
    return [review_of(s, i, names) for i in ids]


@dataclass(frozen=True)
class DayOverview:
    business_date: date
    by_terminal: dict[str, int]  # net takings (fen) per counter
    by_tender: dict[str, int]  # net takings (fen) per tender
    by_hour: dict[int, tuple[int, int]]  # local hour → (payments, net fen)
    shifts: dict[str, int]  # status → count
    payments: int
    reversals: int
    settlement_id: str | None
    from_upstream: tuple[str, ...] = ()  # counters whose numbers came from the upstream, not this PC

    @property
    def total_fen(self) -> int:
        return sum(self.by_tender.values())


def with_hall(local: DayOverview, hall, zone: str) -> DayOverview:
    """Add the hall's other counters, as the upstream holds them (a ``protocol.HallDay``), to this PC's day.

    Counters this PC keeps are left as they are here (fresher: they include what is not uploaded yet).
    """
    tz = ZoneInfo(zone)
    by_terminal, by_tender, by_hour = dict(local.by_terminal), dict(local.by_tender), dict(local.by_hour)
    payments, reversals, shifts = local.payments, local.reversals, dict(local.shifts)
    added = []
    for day in hall.terminals:
        if day.terminal_id in by_terminal:
            continue
        added.append(day.terminal_id)
        by_terminal[day.terminal_id] = sum(day.by_tender.values())
        for kind, fen in day.by_tender.items():
            by_tender[kind] = by_tender.get(kind, 0) + fen
        for h in day.by_hour:
            hour = h.at.replace(tzinfo=timezone.utc).astimezone(tz).hour
            count, fen = by_hour.get(hour, (0, 0))
            by_hour[hour] = (count + h.payments, fen + h.net_fen)
        payments, reversals = payments + day.payments, reversals + day.reversals
        if day.shifts_closed:
            shifts["closed_elsewhere"] = shifts.get("closed_elsewhere", 0) + day.shifts_closed
    return DayOverview(local.business_date, dict(sorted(by_terminal.items())),
                       {k: v for k, v in sorted(by_tender.items()) if v}, dict(sorted(by_hour.items())), shifts,
                       payments, reversals, local.settlement_id, tuple(added))


def day_overview(s: Session, business_date: date, zone: str) -> DayOverview:
    """The hall's day: takings by counter, by tender and per hour (payments net of reversals)."""
    per_terminal = day_totals(s, business_date)
    shift_rows = s.execute(select(Shift.id, Shift.status).where(Shift.business_date == business_date)).all()
    ids = [i for i, _ in shift_rows]
    statuses: dict[str, int] = {}
    for _, status in shift_rows:
        statuses[status] = statuses.get(status, 0) + 1
    tz = ZoneInfo(zone)
    by_hour: dict[int, tuple[int, int]] = {}
    sign = case((Payment.kind == "reversal", -1), else_=1)
    for at, kind, amount in s.execute(
            select(Payment.created_at, Payment.kind, (Payment.applied_fen + Payment.prepaid_credit_fen) * sign)
            .where(Payment.shift_id.in_(ids))):
        hour = at.replace(tzinfo=timezone.utc).astimezone(tz).hour
        count, fen = by_hour.get(hour, (0, 0))
        by_hour[hour] = (count + (1 if kind == "payment" else 0), fen + int(amount))
    settlement = s.scalar(select(DaySettlement.id).where(DaySettlement.business_date == business_date))
    return DayOverview(
        business_date=business_date,
        by_terminal={k: v["total_fen"] for k, v in per_terminal.items()},
        by_tender=tender_totals(s, ids) if ids else {},
        by_hour=dict(sorted(by_hour.items())), shifts=statuses,
        payments=sum(v["payments"] for v in per_terminal.values()),
        reversals=sum(v["reversals"] for v in per_terminal.values()), settlement_id=settlement)


@dataclass(frozen=True)
class SettlementReport:
    """What the day's report and deposit slip (现金缴款单) print, read in one go."""

    settlement_id: str
    business_date: date
    deposit_cash_fen: int
    totals_json: str
    settled_by: str
    per_terminal: dict[str, dict]
    shifts: list[ShiftReview]

    @property
    def totals(self) -> dict:
        return json.loads(self.totals_json)


def settlement_report(t, supervisor: Actor, settlement_id: str) -> SettlementReport:
    require(supervisor, "day.settle")
    with t.store.read() as s:
        st = s.get(DaySettlement, settlement_id)
        if st is None:
            raise DomainError("day.not_settled", date=settlement_id)
        names = _names(s)
        shifts = [review_of(s, i, names) for i in s.scalars(
            select(Shift.id).where(Shift.settlement_id == settlement_id).order_by(Shift.terminal_id, Shift.opened_at))]
        return SettlementReport(st.id, st.business_date, st.deposit_cash_fen, st.totals,
                                names.get(st.settled_by, str(st.settled_by)), day_totals(s, st.business_date), shifts)
