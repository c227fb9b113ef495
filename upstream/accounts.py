"""Accounts and bills as the upstream works on them: load under lock, apply money, write back, quote dues.

Money is never refused: if the bills moved since the terminal quoted them (a customer also
paid through 95598), what cannot go to a bill goes to the prepaid balance.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier.errors import DomainError
from cashier.rules.allocation import allocate
from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy
from cashier.rules.quote import quote_rows
from cashier.sync import protocol as p
from upstream.db import Database
from upstream.errors import Refusal
from upstream.feed import BUMP_CHANGE, account_row, bill_row
from upstream.models import Account, Bill, Document, DocumentAllocation
from upstream.sql import any_of, bulk_update, read_only, utcnow


# --- the account and bill rows being worked on ------------------------------------------------

class WorkAccount:
    """An account row being worked on: the attributes ``quote_rows`` reads, plus what we change."""

    __slots__ = ("id", "account_no", "name", "address", "phone", "customer_class", "prepaid_balance_fen",
                 "supply_status", "prepaid_meter", "special_group", "hall_code", "version", "bills", "dirty")

    def __init__(self, row) -> None:
        for name in ("id", "account_no", "name", "address", "phone", "customer_class", "prepaid_balance_fen",
                     "supply_status", "prepaid_meter", "special_group", "hall_code"):
            setattr(self, name, getattr(row, name))
        self.version = row.change_no
        self.bills: dict[int, WorkBill] = {}
        self.dirty = False


class WorkBill:
    __slots__ = ("id", "bill_no", "period", "kwh", "principal_fen", "outstanding_fen", "due_date",
                 "penalty_settled_through", "dirty")

    def __init__(self, row) -> None:
        for name in self.__slots__[:-1]:
            setattr(self, name, getattr(row, name))
        self.dirty = False

    @property
    def sort_key(self):
        return (self.due_date, self.period, self.id)


_ACCOUNT_COLS = (Account.id, Account.account_no, Account.name, Account.address, Account.phone, Account.customer_class,
                 Account.prepaid_balance_fen, Account.supply_status, Account.prepaid_meter, Account.special_group,
                 Account.hall_code, Account.change_no)
_BILL_COLS = (Bill.id, Bill.account_id, Bill.bill_no, Bill.period, Bill.kwh, Bill.principal_fen, Bill.outstanding_fen,
              Bill.due_date, Bill.penalty_settled_through)


def load_accounts(s: Session, numbers: set[str], extra_bill_ids: set[int]) -> dict[str, WorkAccount]:
    if not numbers:
        return {}
    query = select(*_ACCOUNT_COLS).where(any_of(s, Account.account_no, sorted(numbers))).order_by(Account.account_no)
    if s.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    accounts = {row.account_no: WorkAccount(row) for row in s.execute(query)}
    by_id = {a.id: a for a in accounts.values()}
    if by_id:
        open_bills = (any_of(s, Bill.account_id, by_id) & (Bill.outstanding_fen > 0) & Bill.cancelled.is_(False))
        where = open_bills | any_of(s, Bill.id, sorted(extra_bill_ids)) if extra_bill_ids else open_bills
        for row in s.execute(select(*_BILL_COLS).where(where)):
            owner = by_id.get(row.account_id)
            if owner is not None:
                owner.bills[row.id] = WorkBill(row)
    return accounts


def open_bills(acc: WorkAccount) -> list[WorkBill]:
    return sorted((b for b in acc.bills.values() if b.outstanding_fen > 0), key=lambda b: b.sort_key)


def apply_amount(acc: WorkAccount, amount_fen: int, waiver_fen: int, paid_on: date, policy: PenaltyPolicy,
                 reconnect: bool) -> list[tuple[WorkBill, int, int, int, date | None]]:
    """Apply money to the account's bills; returns (bill, penalty, waived, principal, prev settled-through)."""
    bills = open_bills(acc)
    quote = quote_rows(acc, bills, paid_on, policy)
    lines = []
    for waiver in dict.fromkeys((min(waiver_fen, quote.penalty_fen), 0)):
        try:
            lines = allocate(quote, amount_fen, waiver)
            break
        except DomainError:
            lines = []  # below the oldest penalty here: the money goes to the prepaid balance
    by_id = {b.id: b for b in bills}
    applied, out = 0, []
    for q, penalty, waived, principal in lines:
        bill = by_id[q.bill_id]
        prev = bill.penalty_settled_through
        bill.outstanding_fen -= principal
        if paid_on > bill.due_date:
            bill.penalty_settled_through = paid_on
        bill.dirty = True
        applied += penalty + principal
        out.append((bill, penalty, waived, principal, prev))
    acc.prepaid_balance_fen += amount_fen - applied
    if reconnect and acc.supply_status == "disconnected" and not open_bills(acc):
        acc.supply_status = "reconnect_pending"
    acc.dirty = True
    return out


def write_back(s: Session, accounts: Iterable[WorkAccount]) -> None:
    """Write the changed accounts and bills with their new change numbers. Call last: it takes the counter."""
    accs, bills = [], []
    for acc in accounts:
        if acc.dirty:
            accs.append(acc)
        bills.extend(b for b in acc.bills.values() if b.dirty)
    n = len(accs) + len(bills)
    if not n:
        return
    first = int(s.execute(BUMP_CHANGE, {"n": n}).scalar_one()) - n + 1
    accs.sort(key=lambda a: a.id)
    bills.sort(key=lambda b: b.id)
    bulk_update(s, Account.__table__, "id", [
        {"id": a.id, "prepaid_balance_fen": a.prepaid_balance_fen, "supply_status": a.supply_status,
         "change_no": first + i} for i, a in enumerate(accs)])
    bulk_update(s, Bill.__table__, "id", [
        {"id": b.id, "outstanding_fen": b.outstanding_fen, "penalty_settled_through": b.penalty_settled_through,
         "change_no": first + len(accs) + i} for i, b in enumerate(bills)])


def account_dues(db: Database, account_no: str, on: date, policy: PenaltyPolicy = DEFAULT_POLICY,
                 hall_code: str | None = None) -> p.AccountDues:
    """What the account owes on ``on``; with ``hall_code``, an account of another hall is as unknown (upstream/scope.py)."""
    with read_only(db) as s:
        acc = s.scalar(select(Account).where(Account.account_no == account_no))
        if acc is None or (hall_code is not None and acc.hall_code != hall_code):
            raise Refusal(404, "unknown_account", f"no account {account_no}")
        bills = s.execute(select(Bill).where(Bill.account_id == acc.id, Bill.outstanding_fen > 0,
                                             Bill.cancelled.is_(False))
                          .order_by(Bill.due_date, Bill.period, Bill.id)).scalars().all()
        work = WorkAccount(acc)
        quote = quote_rows(work, [WorkBill(b) for b in bills], on, policy)
        return p.AccountDues(account=account_row(acc), bills=[bill_row(b, acc.account_no) for b in bills], on=on,
                             penalty_fen=quote.penalty_fen, total_due_fen=quote.total_due_fen)


# --- other channels and housekeeping ---------------------------------------------------------

def pay_other_channel(db: Database, account_no: str, amount_fen: int, channel: str, paid_on: date,
                      policy: PenaltyPolicy = DEFAULT_POLICY) -> str:
    """A payment made through 95598, an app or a bank, applied here like any other."""
    from cashier.ids import uuid7

    now, doc_id = utcnow(), uuid7()
    with db.transaction() as s:
        accounts = load_accounts(s, {account_no}, set())
        if account_no not in accounts:
            raise Refusal(404, "unknown_account", f"no account {account_no}")
        lines = apply_amount(accounts[account_no], amount_fen, 0, paid_on, policy, reconnect=True)
        raw = {"id": doc_id, "channel": channel, "account_no": account_no, "amount_fen": amount_fen,
               "paid_on": paid_on.isoformat()}
        s.add(Document(id=doc_id, kind="channel", terminal_id=None, seq=None, status="accepted", reason=channel,
                       body_hash=p.body_hash(raw), body=json.dumps(raw, ensure_ascii=False), account_no=account_no,
                       amount_fen=amount_fen, business_date=paid_on, received_at=now, after_shift_close=False))
        s.flush()
        for bill, penalty, waived, principal, prev in lines:
            s.add(DocumentAllocation(document_id=doc_id, bill_id=bill.id, penalty_fen=penalty,
                                     penalty_waived_fen=waived, principal_fen=principal, prev_settled_through=prev))
        s.flush()
        write_back(s, accounts.values())
    return doc_id
