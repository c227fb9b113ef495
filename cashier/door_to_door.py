"""Door-to-door collection (走收, the green channel): a collector's laptop that is offline by design.

It carries the customers assigned to its collector who cannot easily come to the hall: the
special groups (低保, 五保, 独居老人, 残疾人) on accounts naming that collector. It takes cash only,
prints or saves a receipt for each payment, and when the collector is back at the hall it syncs
and reconciles like any terminal: the same outbox, the same exactly-once upload, the same shift
close with its totals. Being offline for days is what it is for, so the hours part of the
offline cap does not apply; the amount part does (that is cash in a bag).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from cashier.errors import DomainError
from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy
from cashier.quote import quote_account
from cashier.store.models import Account, Bill


@dataclass(frozen=True)
class AssignedCustomer:
    account_no: str
    name: str
    address: str
    phone: str | None
    special_group: str
    station: str | None
    transformer_area: str | None
    arrears_fen: int
    due_fen: int  # arrears + penalty on the day


def _assigned(collector: str):
    return (Account.collector == collector) & Account.special_group.is_not(None)


def assigned_customers(s: Session, collector: str, on: date, policy: PenaltyPolicy = DEFAULT_POLICY,
                       account_number_length: int = 10) -> list[AssignedCustomer]:
    """The collector's green-channel customers in route order (station, area, address), owing first."""
    accounts = s.execute(
        select(Account.account_no, Account.name, Account.address, Account.phone, Account.special_group,
               Account.station, Account.transformer_area,
               select(func.coalesce(func.sum(Bill.outstanding_fen), 0)).where(Bill.account_id == Account.id,
                                                                            Bill.outstanding_fen > 0)
               .scalar_subquery())
        .where(_assigned(collector))
        .order_by(Account.station, Account.transformer_area, Account.address, Account.account_no)
    ).all()
    out = []
    for number, name, address, phone, group, station, area, arrears in accounts:
        due = quote_account(s, number, on, policy, account_number_length=account_number_length).total_due_fen \
            if arrears else 0
        out.append(AssignedCustomer(number, name, address, phone, group, station, area, int(arrears), due))
    return sorted(out, key=lambda c: c.due_fen == 0)  # stable: route order within owing / not owing


_IS_ASSIGNED = select(Account.id).where(Account.id == bindparam("id"), _assigned(bindparam("collector")))


def require_assigned(s: Session, account_id: int, collector: str, account_no: str) -> None:
    if s.execute(_IS_ASSIGNED, {"id": account_id, "collector": collector}).first() is None:
        raise DomainError("door.not_assigned", account=account_no, collector=collector)


def require_cash(tenders) -> None:
    for line in tenders:
        if getattr(line, "kind", None) != "cash":
            raise DomainError("door.cash_only")
