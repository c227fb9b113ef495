"""What an account owes on a date: the computation the counter screen and ``cashier-admin quote`` share.

Each open bill (oldest first) with its overdue days, penalty rate(s) and penalty from
``cashier.rules.penalty``; then totals, prepaid balance and the status flags a cashier must see.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from cashier.errors import DomainError
from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy
from cashier.rules.quote import AccountQuote, BillQuote, quote_rows  # noqa: F401  (the quote's types, for callers)
from cashier.store.models import Account, Bill


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
