"""What an account owes on a date: the computation the counter screen and ``cashier-admin quote`` share.

Each open bill (oldest first) with its overdue days, penalty rate(s) and penalty from
``cashier.penalty``; then totals, prepaid balance and the status flags a cashier must see.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from cashier.errors import DomainError
from cashier.penalty import DEFAULT_POLICY, PenaltyPolicy, penalty_breakdown
from cashier.store.models import Account, Bill


@dataclass(frozen=True)
class BillQuote:
    bill_id: int
    bill_no: str
    period: str
    kwh: int
    principal_fen: int
    outstanding_fen: int
    due_date: date
    overdue_days: int
    rates_per_mille: tuple[tuple[int, Decimal], ...]  # (days, ‰ per day) segments
    penalty_fen: int
    minimum_applied: bool
    settled_through: date | None = None  # penalty already settled through this day (partial payment)

    @property
    def total_fen(self) -> int:
        return self.outstanding_fen + self.penalty_fen


@dataclass(frozen=True)
class AccountQuote:
    account_id: int
    account_no: str
    name: str
    address: str
    phone: str | None
    customer_class: str
    on: date
    bills: tuple[BillQuote, ...]
    prepaid_balance_fen: int
    disconnected: bool
    prepaid_meter: bool
    special_group: str | None
    version: int

    @property
    def principal_fen(self) -> int:
        return sum(b.outstanding_fen for b in self.bills)

    @property
    def penalty_fen(self) -> int:
        return sum(b.penalty_fen for b in self.bills)

    @property
    def total_due_fen(self) -> int:
        return self.principal_fen + self.penalty_fen

    def to_json(self) -> dict:
        """Plain JSON: amounts as integer fen, dates ISO, rates as strings (exact)."""
        data = asdict(self)
        data["on"] = self.on.isoformat()
        for bill, raw in zip(self.bills, data["bills"]):
            raw["due_date"] = bill.due_date.isoformat()
            raw["settled_through"] = bill.settled_through.isoformat() if bill.settled_through else None
            raw["rates_per_mille"] = [{"days": d, "per_mille": str(r)} for d, r in bill.rates_per_mille]
            raw["total_fen"] = bill.total_fen
        data.update(principal_fen=self.principal_fen, penalty_fen=self.penalty_fen, total_due_fen=self.total_due_fen)
        return data


def check_account_no(account_no: str, length: int = 10) -> str:
    cleaned = re.sub(r"\s", "", account_no or "")
    if not (cleaned.isdigit() and cleaned.isascii() and len(cleaned) == length):
        raise DomainError("quote.bad_account", account=account_no, length=length)
    return cleaned


# What a quote reads of an account: plain columns, so the counter's hot path loads no ORM objects.
ACCOUNT_COLUMNS = (
    Account.id, Account.account_no, Account.name, Account.address, Account.phone, Account.customer_class,
    Account.prepaid_balance_fen, Account.supply_status, Account.prepaid_meter, Account.special_group, Account.version,
)
_BILL_COLUMNS = (
    Bill.id, Bill.bill_no, Bill.period, Bill.kwh, Bill.principal_fen, Bill.outstanding_fen, Bill.due_date,
    Bill.penalty_settled_through,
)


# Built once: statements reused on every quote skip construction and cache-key work.
# An account a refetch found gone from the upstream is not quoted nor paid from what this terminal last knew.
_SELECT_ACCOUNT = select(*ACCOUNT_COLUMNS).where(Account.account_no == bindparam("no"), Account.gone_at.is_(None))
_SELECT_OPEN_BILLS = (
    select(*_BILL_COLUMNS)
    .where(Bill.account_id == bindparam("account_id"), Bill.outstanding_fen > 0)
    .order_by(Bill.due_date, Bill.period, Bill.id)
)


def load_account(session: Session, account_no: str):
    """The account's quote columns as a row, or None."""
    return session.execute(_SELECT_ACCOUNT, {"no": account_no}).first()


def quote_account(
    session: Session,
    account_no: str,
    on: date,
    policy: PenaltyPolicy = DEFAULT_POLICY,
    *,
    account_number_length: int = 10,
) -> AccountQuote:
    """Quote ``account_no`` for payment on business date ``on``; unknown accounts raise DomainError."""
    number = check_account_no(account_no, account_number_length)
    account = load_account(session, number)
    if account is None:
        raise DomainError("quote.unknown_account", account=number)
    return quote_loaded(session, account, on, policy)


def quote_loaded(session: Session, account, on: date, policy: PenaltyPolicy = DEFAULT_POLICY) -> AccountQuote:
    """Quote an account already read (a row of ``ACCOUNT_COLUMNS`` or an ``Account``)."""
    bills = session.execute(_SELECT_OPEN_BILLS, {"account_id": account.id}).all()
    return quote_rows(account, bills, on, policy)


def quote_rows(account, bills, on: date, policy: PenaltyPolicy = DEFAULT_POLICY) -> AccountQuote:
    """Quote from rows already read: ``account`` with the quote columns, its open ``bills`` oldest first.

    The upstream service quotes its own rows with this, so both sides compute penalties alike.
    """
    quoted = []
    for bill in bills:
        b = penalty_breakdown(
            bill.outstanding_fen, bill.due_date, on, account.customer_class, policy,
            settled_through=bill.penalty_settled_through,
        )
        quoted.append(BillQuote(
            bill_id=bill.id, bill_no=bill.bill_no, period=bill.period, kwh=bill.kwh,
            principal_fen=bill.principal_fen, outstanding_fen=bill.outstanding_fen, due_date=bill.due_date,
            overdue_days=max(0, (on - bill.due_date).days),
            rates_per_mille=tuple((s.days, s.per_mille) for s in b.segments),
            penalty_fen=b.amount_fen, minimum_applied=b.minimum_applied, settled_through=bill.penalty_settled_through,
        ))
    return AccountQuote(
        account_id=account.id, account_no=account.account_no, name=account.name, address=account.address,
        phone=account.phone, customer_class=account.customer_class, on=on, bills=tuple(quoted),
        prepaid_balance_fen=account.prepaid_balance_fen, disconnected=account.supply_status == "disconnected",
        prepaid_meter=bool(account.prepaid_meter), special_group=account.special_group, version=account.version,
    )
