"""Which customers a terminal sees: its own hall's, and another hall's only when it asks, on the record.

Every account belongs to one service hall (``accounts.hall_code``, filled by the import). A
terminal's snapshot, change feed and account reads cover its hall's accounts; an account of
another hall answers as if it did not exist (404, absent from the feed). The door-to-door
laptop is a terminal of its hall, and its collector's customers are accounts of that hall, so it
carries its collector's list from its hall's accounts (the upstream has no separate link from a
collector to a hall: the account's ``hall_code`` says where it is served).

A customer may come to another hall to pay. The counter then asks explicitly
(``GET /v1/accounts/{no}?cross_hall=1``): the upstream answers and writes who asked, when and
for which account in ``cross_hall_access``. The payment that follows is accepted (money is never
refused), flagged ``cross_hall`` in the push answer and written to the same log.

An account without a hall (imported before halls, or without ``hall_code``) is in no hall's
scope: only the explicit cross-hall lookup finds it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy
from cashier.sync import protocol as p
from upstream.db import Database
from upstream.models import Account, CrossHallAccess
from upstream.sql import utcnow
from upstream.terminals import Caller


def log_access(s: Session, caller: Caller, account_no: str, account_hall: str | None, action: str, at: datetime,
               document_id: str | None = None) -> None:
    s.add(CrossHallAccess(terminal_id=caller.terminal_id, hall_code=caller.hall_code, account_no=account_no,
                          account_hall=account_hall, action=action, document_id=document_id, at=at))


def cross_hall_flags(s: Session, caller: Caller, account_no: str, account_hall: str | None, kind: str,
                     document_id: str, at: datetime) -> list[str]:
    """An accepted payment or reversal of another hall's account: logged, and flagged ``cross_hall``."""
    if account_hall == caller.hall_code:
        return []
    log_access(s, caller, account_no, account_hall, kind, at, document_id)
    return ["cross_hall"]


def cross_hall_lookup(db: Database, caller: Caller, account_no: str, on: date,
                      policy: PenaltyPolicy = DEFAULT_POLICY) -> p.AccountDues:
    """The explicit lookup of any hall's account, written to the log first (an unknown number too: probing is
    what the log is for); 404 only when the utility has no such account."""
    from upstream.accounts import account_dues

    with db.transaction() as s:
        hall = s.scalar(select(Account.hall_code).where(Account.account_no == account_no))
        if hall != caller.hall_code:
            log_access(s, caller, account_no, hall, "lookup", utcnow())
    return account_dues(db, account_no, on, policy)


def access_log(db: Database, terminal_id: str | None = None, limit: int = 200) -> list[CrossHallAccess]:
    """The newest cross-hall reads and payments, newest first (``cashier-upstream cross-hall``)."""
    with db.sessions() as s:
        query = select(CrossHallAccess).order_by(CrossHallAccess.id.desc()).limit(limit)
        if terminal_id:
            query = query.where(CrossHallAccess.terminal_id == terminal_id)
        return list(s.scalars(query))
