"""Service evaluation (服务评价器): after each payment the customer rates the service.

A rating is one of ``very_satisfied`` (非常满意), ``satisfied`` (满意), ``unsatisfied`` (不满意) or
``unrated`` (no answer before the timeout, or the next customer came first): a transaction nobody
rated is recorded as ``unrated``, never as satisfied. One evaluation per payment; it is stored with
the payment's id, its cashier, the terminal, the payment's business date and the time of the rating,
chained in the audit log (its body's digest, like every other record that goes upstream) and queued
in the outbox as its own document kind ``evaluation``. It takes no receipt number (the outbox's own
order puts it after its payment, which is always committed first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cashier import audit
from cashier.documents import body_digest, build, enqueue
from cashier.errors import DomainError
from cashier.ids import uuid7
from cashier.store.models import Evaluation, Payment, User
from cashier.sync import protocol as p

VERY_SATISFIED, SATISFIED, UNSATISFIED, UNRATED = "very_satisfied", "satisfied", "unsatisfied", "unrated"
RATINGS = (VERY_SATISFIED, SATISFIED, UNSATISFIED, UNRATED)
RATED = (VERY_SATISFIED, SATISFIED, UNSATISFIED)
SATISFIED_RATINGS = (VERY_SATISFIED, SATISFIED)


@dataclass(frozen=True)
class Recorded:
    evaluation_id: str
    payment_id: str
    rating: str


def record_evaluation(store, payment_id: str, rating: str, *, clock) -> Recorded:
    """Store the customer's ``rating`` of payment ``payment_id`` (one unit of work); a second one is refused."""
    if rating not in RATINGS:
        raise DomainError("evaluation.bad_rating", rating=rating)
    now = clock.now()
    with store.transaction() as s:
        payment = s.get(Payment, payment_id)
        if payment is None:
            raise DomainError("evaluation.unknown_payment", payment=payment_id)
        if payment.kind != "payment":
            raise DomainError("evaluation.not_a_payment", payment=payment_id)
        if s.scalar(select(Evaluation.id).where(Evaluation.payment_id == payment_id)) is not None:
            raise DomainError("evaluation.already", payment=payment_id)
        row = Evaluation(id=uuid7(), payment_id=payment_id, terminal_id=payment.terminal_id,
                         cashier_id=payment.cashier_id, business_date=payment.business_date, rating=rating,
                         created_at=now)
        s.add(row)
        s.flush()
        body = evaluation_body(s, row)
        audit.record(s, now, None, "evaluation", row.id, payment_id=payment_id, rating=rating,
                     body_sha256=body_digest(body))
        enqueue(s, "evaluation", row.id, None, body, now)
        return Recorded(row.id, payment_id, rating)


def evaluation_body(s: Session, row: Evaluation) -> p.EvaluationBody:
    """An evaluation as it goes upstream (and into the audit chain), made from its row."""
    cashier = s.get(User, row.cashier_id)
    return build(p.EvaluationBody, id=row.id, terminal_id=row.terminal_id, payment_id=row.payment_id,
                 cashier=cashier.username if cashier else "", business_date=row.business_date,
                 rated_at=row.created_at, rating=row.rating)


def evaluation_of(s: Session, payment_id: str) -> str | None:
    """The rating stored for ``payment_id``, or None."""
    return s.scalar(select(Evaluation.rating).where(Evaluation.payment_id == payment_id))


@dataclass(frozen=True)
class SatisfactionRow:
    """One cashier's ratings on one business date."""

    business_date: date
    cashier: str  # user name
    cashier_name: str  # display name
    very_satisfied: int
    satisfied: int
    unsatisfied: int
    unrated: int

    @property
    def rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.unsatisfied

    @property
    def rate(self) -> float | None:
        """(非常满意 + 满意) / rated; None when nobody rated (unrated transactions are not in it)."""
        return (self.very_satisfied + self.satisfied) / self.rated if self.rated else None


def satisfaction(s: Session, first: date, last: date) -> list[SatisfactionRow]:
    """Counts of each rating per business date and cashier, ``first`` to ``last`` inclusive, by date then cashier."""
    if last < first:
        raise DomainError("evaluation.bad_range", first=first.isoformat(), last=last.isoformat())
    counts = [func.sum(case((Evaluation.rating == r, 1), else_=0)) for r in RATINGS]
    rows = s.execute(
        select(Evaluation.business_date, User.username, User.display_name, *counts)
        .join(User, User.id == Evaluation.cashier_id)
        .where(Evaluation.business_date >= first, Evaluation.business_date <= last)
        .group_by(Evaluation.business_date, User.username, User.display_name)
        .order_by(Evaluation.business_date, User.username))
    return [SatisfactionRow(d, u, n, int(a or 0), int(b or 0), int(c or 0), int(e or 0)) for d, u, n, a, b, c, e in rows]


def format_rate(row) -> str:
    """``95.0%`` or ``—`` when nobody rated."""
    rate = row.rate
    return "—" if rate is None else f"{rate * 100:.1f}%"
