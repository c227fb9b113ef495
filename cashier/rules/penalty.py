"""Late-payment penalty (电费违约金), the one place it is computed.

From the supply rules (供电营业规则, art. 98 of the 1996 text): the penalty accrues from the
day after the due date through the day of payment, inclusive. Residential customers pay 1‰
of the outstanding principal per day; other customers 2‰ per day for days in the due
date's calendar year and 3‰ per day for days in any later year (跨年度). The sum is kept
exact and rounded half-up to the fen once per bill; a rounded penalty of 1 to 99 fen is
charged as ￥1 when the policy says so, and one that rounds to 0 fen stays 0. Every number
lives in ``PenaltyPolicy``.
The upstream service imports this module, so both sides always agree.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from typing import Mapping


class CustomerClass(StrEnum):
    """Customer class (用电类别); plain strings such as ``"residential"`` work too."""

    RESIDENTIAL = "residential"  # 居民
    COMMERCIAL = "commercial"  # 一般工商业
    INDUSTRIAL = "industrial"  # 大工业
    AGRICULTURAL = "agricultural"  # 农业生产


@dataclass(frozen=True)
class ClassRates:
    """Per-mille per day: for days in the due date's year, and for days in later years."""

    same_year: Decimal
    later_year: Decimal


def _rates(same: str, later: str) -> ClassRates:
    return ClassRates(Decimal(same), Decimal(later))


@dataclass(frozen=True)
class PenaltyPolicy:
    """Configurable penalty rules; the defaults are the supply rules' numbers."""

    rates: Mapping[CustomerClass, ClassRates] = field(
        default_factory=lambda: {
            CustomerClass.RESIDENTIAL: _rates("1", "1"),
            CustomerClass.COMMERCIAL: _rates("2", "3"),
            CustomerClass.INDUSTRIAL: _rates("2", "3"),
            CustomerClass.AGRICULTURAL: _rates("2", "3"),
        }
    )
    minimum_fen: int = 100
    minimum_enabled: bool = True

    def rates_for(self, customer_class: CustomerClass | str) -> ClassRates:
        return self.rates[CustomerClass(customer_class)]


DEFAULT_POLICY = PenaltyPolicy()


@dataclass(frozen=True)
class PenaltySegment:
    """A run of overdue days charged at one rate (‰ per day)."""

    days: int
    per_mille: Decimal


@dataclass(frozen=True)
class PenaltyBreakdown:
    """How a bill's penalty was reached: what a quote and a receipt show."""

    days: int
    segments: tuple[PenaltySegment, ...]
    exact_fen: Decimal
    amount_fen: int
    minimum_applied: bool


def penalty_breakdown(
    principal_fen: int,
    due_date: date,
    paid_on: date,
    customer_class: CustomerClass | str,
    policy: PenaltyPolicy = DEFAULT_POLICY,
    *,
    settled_through: date | None = None,
) -> PenaltyBreakdown:
    """Penalty on ``principal_fen`` (outstanding principal, fen) for payment on ``paid_on``.

    ``settled_through``: the penalty was already settled through this date (a partial
    payment), so days accrue from the day after it; the later-year rate still counts from
    the due date's year.
    """
    if isinstance(principal_fen, bool) or not isinstance(principal_fen, int):
        raise TypeError("principal_fen must be integer fen")
    if principal_fen < 0:
        raise ValueError("principal_fen must not be negative")
    rates = policy.rates_for(customer_class)
    start = due_date if settled_through is None or settled_through < due_date else settled_through
    days = (paid_on - start).days
    if days <= 0 or principal_fen == 0:
        return PenaltyBreakdown(max(days, 0), (), Decimal(0), 0, False)
    # Days run from start+1 through paid_on; those up to 31 Dec of the due year are same-year.
    last_same_year_day = date(due_date.year, 12, 31)
    same_year_days = max(0, min((last_same_year_day - start).days, days))
    later_days = days - same_year_days
    segments = tuple(
        PenaltySegment(n, rate)
        for n, rate in ((same_year_days, rates.same_year), (later_days, rates.later_year))
        if n
    )
    with localcontext() as ctx:
        ctx.prec = 60
        exact = sum((principal_fen * s.per_mille * s.days for s in segments), Decimal(0)) / 1000
    amount = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    minimum_applied = False
    # The minimum applies to the rounded penalty: under half a fen rounds to 0 and stays 0 (DESIGN.md).
    if policy.minimum_enabled and 0 < amount < policy.minimum_fen:
        amount, minimum_applied = policy.minimum_fen, True
    return PenaltyBreakdown(days, segments, exact, amount, minimum_applied)


def late_fee(
    principal_fen: int,
    due_date: date,
    paid_on: date,
    customer_class: CustomerClass | str,
    policy: PenaltyPolicy = DEFAULT_POLICY,
    *,
    settled_through: date | None = None,
) -> int:
    """Late-payment penalty in fen; see ``penalty_breakdown`` for the rules."""
    return penalty_breakdown(
        principal_fen, due_date, paid_on, customer_class, policy, settled_through=settled_through
    ).amount_fen


# --- the policy as a document: the upstream distributes it, terminals hold it ---------------------

def _per_mille(value: Decimal) -> str:
    """A rate as plain decimal text with no trailing zeros ("1", "2.5"): one policy, one spelling."""
    return format(value.normalize(), "f")


def policy_document(policy: PenaltyPolicy) -> dict:
    """The policy's numbers as plain JSON values (rates as exact decimal text), in a fixed order."""
    return {
        "minimum_fen": policy.minimum_fen,
        "minimum_enabled": policy.minimum_enabled,
        "rates": {str(CustomerClass(c).value): {"same_year": _per_mille(r.same_year),
                                                "later_year": _per_mille(r.later_year)}
                  for c, r in sorted(policy.rates.items(), key=lambda kv: str(kv[0]))},
    }


def policy_digest(policy: PenaltyPolicy) -> str:
    """The identity of exactly these rules: 16 hex digits of the sha256 of the canonical document.

    A terminal sends it with each payment; the upstream compares it with its own, so two sides
    computing with different numbers is an alarm, whatever either side calls its version.
    """
    canonical = json.dumps(policy_document(policy), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:16]


def policy_from_document(doc: Mapping) -> PenaltyPolicy:
    """The policy a document describes; classes it leaves out keep the supply rules' rates."""
    rates = dict(DEFAULT_POLICY.rates)
    for cls, r in doc["rates"].items():
        rates[CustomerClass(cls)] = ClassRates(Decimal(str(r["same_year"])), Decimal(str(r["later_year"])))
    return PenaltyPolicy(rates=rates, minimum_fen=int(doc["minimum_fen"]), minimum_enabled=bool(doc["minimum_enabled"]))
