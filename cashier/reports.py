"""The numbers behind shift reports and the day's takings, for screens, PDFs and settlement.

Amounts are net: a reversal (冲正) subtracts what its payment added, and cash is what stays in
the drawer (tendered minus change). All in fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cashier.store.models import CashMovement, Payment, Shift, Tender


@dataclass(frozen=True)
class ShiftTotals:
    shift_id: str
    terminal_id: str
    cashier_id: int
    business_date: date
    status: str
    by_tender: dict[str, int]
    payments: int
    payments_fen: int  # applied to bills + prepaid credit
    reversals: int
    reversals_fen: int
    penalty_waived_fen: int
    reprints: int
    opening_float_fen: int
    cash_in_fen: int
    cash_out_fen: dict[str, int] = field(default_factory=dict)  # by purpose
    expected_cash_fen: int = 0
    counted_cash_fen: int | None = None
    over_short_fen: int | None = None
    over_short_reason: str | None = None

    @property
    def net_fen(self) -> int:
        return self.payments_fen - self.reversals_fen


def _sign():
    return case((Payment.kind == "reversal", -1), else_=1)


def tender_totals(s: Session, shift_ids: list[str]) -> dict[str, int]:
    """Net takings per tender kind; cash net of change."""
    rows = s.execute(
        select(Tender.kind, func.sum(Tender.amount_fen * _sign()))
        .join(Payment, Payment.id == Tender.payment_id)
        .where(Payment.shift_id.in_(shift_ids))
        .group_by(Tender.kind)
    ).all()
    totals = {kind: int(amount) for kind, amount in rows}
    change = s.scalar(select(func.coalesce(func.sum(Payment.change_fen * _sign()), 0))
                      .where(Payment.shift_id.in_(shift_ids))) or 0
    if change:
        totals["cash"] = totals.get("cash", 0) - int(change)
    return {k: v for k, v in sorted(totals.items()) if v}


def expected_cash(s: Session, shift: Shift) -> int:
    """float + cash in − cash out + cash tendered − change − cash refunded by reversals."""
    moves = dict(s.execute(
        select(CashMovement.direction, func.sum(CashMovement.amount_fen))
        .where(CashMovement.shift_id == shift.id).group_by(CashMovement.direction)
    ).all())
    cash = tender_totals(s, [shift.id]).get("cash", 0)
    return shift.opening_float_fen + int(moves.get("in", 0)) - int(moves.get("out", 0)) + cash


def shift_totals(s: Session, shift_id: str) -> ShiftTotals:
    shift = s.get(Shift, shift_id)
    if shift is None:
        raise KeyError(shift_id)
    pay = s.execute(
        select(
            func.count().filter(Payment.kind == "payment"),
            func.coalesce(func.sum(Payment.applied_fen + Payment.prepaid_credit_fen).filter(Payment.kind == "payment"), 0),
            func.count().filter(Payment.kind == "reversal"),
            func.coalesce(func.sum(Payment.applied_fen + Payment.prepaid_credit_fen).filter(Payment.kind == "reversal"), 0),
            func.coalesce(func.sum(Payment.penalty_waived_fen * _sign()), 0),
            func.coalesce(func.sum(Payment.reprint_count), 0),
        ).where(Payment.shift_id == shift_id)
    ).one()
    out = dict(s.execute(
        select(CashMovement.purpose, func.sum(CashMovement.amount_fen))
        .where(CashMovement.shift_id == shift_id, CashMovement.direction == "out").group_by(CashMovement.purpose)
    ).all())
    cash_in = s.scalar(select(func.coalesce(func.sum(CashMovement.amount_fen), 0))
                       .where(CashMovement.shift_id == shift_id, CashMovement.direction == "in")) or 0
    return ShiftTotals(
        shift_id=shift.id, terminal_id=shift.terminal_id, cashier_id=shift.cashier_id,
        business_date=shift.business_date, status=shift.status, by_tender=tender_totals(s, [shift_id]),
        payments=int(pay[0]), payments_fen=int(pay[1]), reversals=int(pay[2]), reversals_fen=int(pay[3]),
        penalty_waived_fen=int(pay[4]), reprints=int(pay[5]), opening_float_fen=shift.opening_float_fen,
        cash_in_fen=int(cash_in), cash_out_fen={k: int(v) for k, v in out.items()},
        expected_cash_fen=expected_cash(s, shift) if shift.status == "open" else (shift.expected_cash_fen or 0),
        counted_cash_fen=shift.counted_cash_fen, over_short_fen=shift.over_short_fen,
        over_short_reason=shift.over_short_reason,
    )


def day_totals(s: Session, business_date: date) -> dict[str, dict]:
    """The day's takings by terminal: net per tender, payments and reversals counted."""
    result: dict[str, dict] = {}
    shifts = s.scalars(select(Shift).where(Shift.business_date == business_date).order_by(Shift.terminal_id)).all()
    for terminal in sorted({sh.terminal_id for sh in shifts}):
        ids = [sh.id for sh in shifts if sh.terminal_id == terminal]
        counts = s.execute(
            select(func.count().filter(Payment.kind == "payment"), func.count().filter(Payment.kind == "reversal"))
            .where(Payment.shift_id.in_(ids))
        ).one()
        by_tender = tender_totals(s, ids)
        result[terminal] = {"by_tender": by_tender, "total_fen": sum(by_tender.values()),
                            "payments": int(counts[0]), "reversals": int(counts[1]), "shifts": len(ids)}
    return result
