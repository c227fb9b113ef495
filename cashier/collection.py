"""Arrears early warning (电费预警) and collection responsibility (电费回收责任制): the numbers.

Arrears on a date are the open bills already past their due date. Each account in arrears is
put in an overdue-age bucket by its oldest such bill (1–15, 16–30, 31–60, 61–90, >90 days),
with its overdue principal and the penalty on that date (``cashier.rules.penalty``). Disconnection
candidates are accounts still unpaid ``disconnect_after_days`` after becoming overdue and
notified (an arrears notice, 催费通知单, recorded in the audit log) at least
``notice_days`` before — both numbers in the policy.

Collection for a period looks at the bills due in it: billed = their principal, collected =
what of it is no longer outstanding (whatever the channel: the counter, 95598, banks — the
upstream's changes bring those in), arrears = what still is, rate = collected / billed; per
responsible collector and per area (supply station).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from cashier import audit
from cashier.auth import Actor, require
from cashier.errors import DomainError
from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy, penalty_breakdown
from cashier.store.models import Account, Allocation, AuditEntry, Bill, Payment

BUCKETS = ((1, 15), (16, 30), (31, 60), (61, 90), (91, None))
NOTICE_ACTION = "arrears.notice"


def bucket_label(lo: int, hi: int | None) -> str:
    return f"{lo}-{hi}" if hi is not None else f">{lo - 1}"


@dataclass(frozen=True)
class WarningPolicy:
    disconnect_after_days: int = 30
    notice_days: int = 7


@dataclass
class ArrearsAccount:
    account_no: str
    name: str
    customer_class: str
    station: str | None
    transformer_area: str | None
    collector: str | None
    overdue_days: int
    bills: int
    principal_fen: int
    penalty_fen: int
    bucket: str
    notified_on: date | None = None
    disconnection_candidate: bool = False

    @property
    def total_fen(self) -> int:
        return self.principal_fen + self.penalty_fen


@dataclass
class ArrearsReport:
    on: date
    accounts: list[ArrearsAccount]
    buckets: dict[str, dict[str, int]] = field(default_factory=dict)  # label → accounts, principal, penalty

    @property
    def principal_fen(self) -> int:
        return sum(a.principal_fen for a in self.accounts)

    @property
    def penalty_fen(self) -> int:
        return sum(a.penalty_fen for a in self.accounts)

    @property
    def candidates(self) -> list[ArrearsAccount]:
        return [a for a in self.accounts if a.disconnection_candidate]

    def to_json(self) -> dict:
        return {
            "on": self.on.isoformat(),
            "accounts_in_arrears": len(self.accounts),
            "principal_fen": self.principal_fen, "penalty_fen": self.penalty_fen,
            "buckets": self.buckets,
            "disconnection_candidates": [
                {"account_no": a.account_no, "overdue_days": a.overdue_days, "principal_fen": a.principal_fen,
                 "penalty_fen": a.penalty_fen, "collector": a.collector,
                 "notified_on": a.notified_on.isoformat() if a.notified_on else None}
                for a in self.candidates],
        }


def _notices(s: Session, to_day) -> dict[str, date]:
    """The latest arrears notice per account (from the audit log), as business dates."""
    latest: dict[str, date] = {}
    for subject, at in s.execute(select(AuditEntry.subject, AuditEntry.at).where(AuditEntry.action == NOTICE_ACTION)):
        day = to_day(at)
        if subject and (subject not in latest or day > latest[subject]):
            latest[subject] = day
    return latest


def arrears(s: Session, on: date, policy: PenaltyPolicy = DEFAULT_POLICY, warning: WarningPolicy = WarningPolicy(),
            to_day=lambda at: at.date()) -> ArrearsReport:
    """Every account in arrears on ``on``, bucketed, with the disconnection candidates."""
    rows = s.execute(
        select(Account.id, Account.account_no, Account.name, Account.customer_class, Account.station,
               Account.transformer_area, Account.collector, Bill.outstanding_fen, Bill.due_date,
               Bill.penalty_settled_through)
        .join(Bill, Bill.account_id == Account.id)
        .where(Bill.outstanding_fen > 0, Bill.due_date < on)
        .order_by(Account.id, Bill.due_date)
    ).all()
    notices = _notices(s, to_day)
    by_account: dict[int, ArrearsAccount] = {}
    for r in rows:
        penalty = penalty_breakdown(r.outstanding_fen, r.due_date, on, r.customer_class, policy,
                                    settled_through=r.penalty_settled_through).amount_fen
        acc = by_account.get(r.id)
        if acc is None:
            days = (on - r.due_date).days  # the oldest overdue bill comes first
            lo, hi = next(b for b in BUCKETS if b[1] is None or days <= b[1])
            acc = by_account[r.id] = ArrearsAccount(
                r.account_no, r.name, r.customer_class, r.station, r.transformer_area, r.collector, days, 0, 0, 0,
                bucket_label(lo, hi), notices.get(r.account_no))
        acc.bills += 1
        acc.principal_fen += r.outstanding_fen
        acc.penalty_fen += penalty
    report = ArrearsReport(on, sorted(by_account.values(), key=lambda a: (-a.overdue_days, a.account_no)))
    report.buckets = {bucket_label(lo, hi): {"accounts": 0, "principal_fen": 0, "penalty_fen": 0} for lo, hi in BUCKETS}
    for a in report.accounts:
        b = report.buckets[a.bucket]
        b["accounts"] += 1
        b["principal_fen"] += a.principal_fen
        b["penalty_fen"] += a.penalty_fen
        a.disconnection_candidate = (
            a.overdue_days >= warning.disconnect_after_days and a.notified_on is not None
            and (on - a.notified_on).days >= warning.notice_days)
    return report


def record_notices(t, actor: Actor, account_nos: list[str]) -> int:
    """Record that arrears notices (催费通知单) were issued to these accounts today."""
    require(actor, "report.view")
    now = t.clock.now()
    with t.store.transaction() as s:
        known = set(s.scalars(select(Account.account_no).where(Account.account_no.in_(account_nos))))
        for number in account_nos:
            if number in known:
                audit.record(s, now, actor.user_id, NOTICE_ACTION, number)
    return len(known)


@dataclass
class CollectionLine:
    key: str
    accounts: int = 0
    billed_fen: int = 0
    collected_fen: int = 0

    @property
    def arrears_fen(self) -> int:
        return self.billed_fen - self.collected_fen

    @property
    def rate(self) -> Decimal:
        if not self.billed_fen:
            return Decimal(0)
        return (Decimal(self.collected_fen) * 100 / self.billed_fen).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def to_json(self) -> dict:
        return {"key": self.key, "accounts": self.accounts, "billed_fen": self.billed_fen,
                "collected_fen": self.collected_fen, "arrears_fen": self.arrears_fen, "rate_percent": str(self.rate)}


@dataclass
class CollectionReport:
    start: date
    end: date
    by_collector: list[CollectionLine]
    by_area: list[CollectionLine]
    total: CollectionLine

    def to_json(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "total": self.total.to_json(),
                "by_collector": [x.to_json() for x in self.by_collector],
                "by_area": [x.to_json() for x in self.by_area]}


NO_COLLECTOR, NO_AREA = "(未指定)", "(未指定)"


def collectors(s: Session) -> list[str]:
    """The responsible collectors named on accounts, for choosing one."""
    return list(s.scalars(select(Account.collector).where(Account.collector.is_not(None)).distinct()
                          .order_by(Account.collector)))


def collection(s: Session, start: date, end: date, today: date, collector: str | None = None) -> CollectionReport:
    """Billed, collected, rate and arrears of the bills due from ``start`` to ``end``, ranked by rate.

    With ``collector``, only that collector's accounts (a name no account carries is an error).
    """
    if start > end:
        raise DomainError("report.bad_period", start=start.isoformat(), end=end.isoformat())
    if start > today:
        raise DomainError("report.future_period", start=start.isoformat(), today=today.isoformat())
    conditions = [Bill.due_date >= start, Bill.due_date <= end]
    if collector is not None:
        collector = collector.strip()
        if not s.scalar(select(Account.id).where(Account.collector == collector).limit(1)):
            raise DomainError("report.collector_unknown", collector=collector)
        conditions.append(Account.collector == collector)

    def grouped(key) -> dict[str, CollectionLine]:
        """One GROUP BY in the database: accounts, billed and collected per ``key`` (None: the total)."""
        columns = [func.count(func.distinct(Account.id)), func.coalesce(func.sum(Bill.principal_fen), 0),
                   func.coalesce(func.sum(Bill.principal_fen - Bill.outstanding_fen), 0)]
        query = select(*([key] if key is not None else []), *columns) \
            .join(Bill, Bill.account_id == Account.id).where(*conditions)
        if key is not None:
            query = query.group_by(key)
        lines = {}
        for row in s.execute(query):
            name = (row[0] or (NO_COLLECTOR if key is Account.collector else NO_AREA)) if key is not None else "total"
            n, billed, got = row[-3:]
            line = lines.setdefault(name, CollectionLine(name))  # NULL and "" both mean "not named"
            line.accounts += int(n)
            line.billed_fen += int(billed)
            line.collected_fen += int(got)
        return lines

    collectors, areas, total = grouped(Account.collector), grouped(Account.station), grouped(None)["total"]

    def ranked(lines: dict[str, CollectionLine]) -> list[CollectionLine]:
        return sorted(lines.values(), key=lambda x: (-x.rate, -x.billed_fen, x.key))

    return CollectionReport(start, end, ranked(collectors), ranked(areas), total)


def month_ends(on: date, months: int = 12) -> list[date]:
    """The last day of each of the ``months`` months up to ``on``'s (that one ends on ``on``)."""
    ends = []
    y, m = on.year, on.month
    for _ in range(months):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        ends.append(min(on, nxt - timedelta(days=1)))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return ends[::-1]


@dataclass(frozen=True)
class TrendPoint:
    on: date
    accounts: int
    principal_fen: int


def arrears_trend(s: Session, on: date, months: int = 12) -> list[TrendPoint]:
    """Total arrears (principal overdue) at each month end of the last ``months`` months.

    A bill's arrears on a past day is what it owes now plus what this terminal's payments made
    after that day took off it (reversals count back). Payments through other channels carry no
    date here, so they count as if made before the day: the past is at most understated.
    """
    days = month_ends(on, months)
    sign = case((Payment.kind == "reversal", -1), else_=1)
    # Principal taken off each bill by this terminal's payments after the first month end, by date.
    paid: dict[int, list[tuple[date, int]]] = {}
    for bill_id, day, fen in s.execute(
            select(Allocation.bill_id, Payment.business_date, Allocation.principal_fen * sign)
            .join(Payment, Payment.id == Allocation.payment_id).where(Payment.business_date > days[0])):
        paid.setdefault(bill_id, []).append((day, int(fen)))
    # Only bills owing now or paid since can have owed anything at a month end in the window.
    bills = s.execute(select(Bill.id, Bill.account_id, Bill.due_date, Bill.outstanding_fen).where(
        Bill.due_date < on, or_(Bill.outstanding_fen > 0, Bill.id.in_(
            select(Allocation.bill_id).join(Payment, Payment.id == Allocation.payment_id)
            .where(Payment.business_date > days[0]))))).all()
    points = []
    for day in days:
        per_account: dict[int, int] = {}
        for bill_id, account_id, due, outstanding in bills:
            if due >= day:
                continue
            owed = outstanding + sum(fen for when, fen in paid.get(bill_id, ()) if when > day)
            if owed > 0:
                per_account[account_id] = per_account.get(account_id, 0) + owed
        points.append(TrendPoint(day, len(per_account), sum(per_account.values())))
    return points


def day_of(timezone: str):
    """A function turning a stored UTC timestamp into the hall's business date."""
    from datetime import timezone as tz
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    return lambda at: at.replace(tzinfo=tz.utc).astimezone(zone).date() if isinstance(at, datetime) else at
