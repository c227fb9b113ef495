"""What an account owes on a date, bill by bill: the quote both the counter and the upstream compute.

Each open bill (oldest first) with its overdue days, penalty rate(s) and penalty from
``cashier.rules.penalty``; then totals, prepaid balance and the status flags a cashier must see.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy, penalty_breakdown


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
