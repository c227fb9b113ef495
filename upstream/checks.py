"""What the upstream checks of a payment or reversal before it believes it: its dates and its approval.

A terminal's clock is the terminal's: it can be wrong, or set back on purpose (a payment dated
2000-01-01 would clear a penalty that has run for years). So the upstream compares every
payment's ``created_at`` and ``business_date`` with its own clock, in the hall's time zone:

* later than the upstream's now by more than ``max_clock_skew`` → rejected ``date_in_future``;
* older than ``offline_window`` → rejected ``date_too_old``: the money is not lost, the terminal
  keeps the payment held (rejected) for its supervisor and a person settles it with the utility;
* older than ``max_clock_skew`` but inside the window → accepted and flagged ``offline_late``
  (a counter that was offline, a door-to-door laptop back at the hall: normal, so no alarm);
* ``business_date`` not the calendar day of ``created_at`` in the hall's time zone → rejected
  ``date_mismatch`` (the terminal dates a payment with the day of the instant it takes it:
  ``cashier.payments`` reads both from one clock reading, so the two always agree);

and a document that the terminal only makes with a supervisor's approval must carry it:

* a payment waiving penalty (``penalty_waived_fen`` > 0) without an approval (who approved,
  why) → rejected ``waiver_without_approval``;
* a reversal without an approval → rejected ``reversal_without_approval``
  (``cashier.payments.reverse_payment`` always takes one).

How the window relates to the terminal's own offline cap (``[sync] max_offline_hours``, default
72 h, at most 30 days; past it a supervisor approves continuing for the rest of the shift): the
default window, 7 days, covers the default cap, an approved shift beyond it and a weekend for
the line to come back. A hall that raises ``max_offline_hours``, or a door-to-door collector
(走收, no hours cap) who stays out longer than a week, needs ``--offline-window-days`` raised to
match, or its oldest payments are held for the supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from cashier.sync import protocol as p
from upstream.sql import utcnow

DEFAULT_MAX_CLOCK_SKEW = timedelta(minutes=10)
DEFAULT_OFFLINE_WINDOW = timedelta(days=7)
MAX_OFFLINE_WINDOW_DAYS = 366


@dataclass(frozen=True)
class Plausibility:
    """The limits, and the upstream's clock (naive UTC, replaceable in tests)."""

    timezone_name: str = "Asia/Shanghai"
    max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW
    offline_window: timedelta = DEFAULT_OFFLINE_WINDOW
    clock: Callable[[], datetime] = field(default=utcnow, compare=False)

    def local_date(self, stamp: datetime) -> date:
        return stamp.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(self.timezone_name)).date()


DEFAULT = Plausibility()


def date_problem(body: p.PaymentBody, rules: Plausibility, now: datetime | None = None) -> tuple[str | None, list[str]]:
    """(the reason to reject, or None; flags) for a payment's or reversal's dates against the upstream's clock."""
    now = rules.clock() if now is None else now
    created = body.created_at  # naive UTC (the protocol converts an offset)
    latest = now + rules.max_clock_skew
    if created > latest or body.business_date > rules.local_date(latest):
        return "date_in_future", []
    if created < now - rules.offline_window or body.business_date < rules.local_date(now - rules.offline_window):
        return "date_too_old", []
    if body.business_date != rules.local_date(created):
        return "date_mismatch", []
    if created < now - rules.max_clock_skew:
        return None, ["offline_late"]
    return None, []


def approval_problem(kind: str, body: p.PaymentBody) -> str | None:
    """The reason to reject a document the terminal makes only with a supervisor's approval that lacks it."""
    approved = body.approval is not None and bool(body.approval.reason.strip())
    if kind == "payment" and body.penalty_waived_fen > 0 and not approved:
        return "waiver_without_approval"
    if kind == "reversal" and not approved:
        return "reversal_without_approval"
    return None


def verdict(kind: str, body: p.PaymentBody, rules: Plausibility) -> tuple[str | None, list[str]]:
    """Everything this module checks of one payment or reversal: (reason to reject or None, flags)."""
    reason, flags = date_problem(body, rules)
    reason = reason or approval_problem(kind, body)
    return reason, [] if reason else flags
