"""The money the store holds for the upstream, checked against the upstream itself (``audit-verify --upstream``).

A bill's outstanding amount and an account's prepaid balance are the upstream's values, as last
pulled, less what this counter's payments not yet uploaded did. They cannot be chained on the PC
(every pull rewrites thousands of them), so they are compared with the upstream's own rows: for a
row whose local version is the upstream's change number, the local value must be exactly the
upstream's value less the pending payments' effect (the rule the sync engine applies). A row with
another version is only stale (the next pull brings it) and is counted, not judged. An open bill
the upstream no longer lists, on an account whose version matches, is a difference too: a paid
bill shown as owing would have a customer pay twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from cashier.store import Store
from cashier.store.models import Account, Bill
from cashier.sync import protocol as p
from cashier.sync.client import UpstreamClient
from cashier.sync.engine import _pending_effects

PAGE = 2000


@dataclass(frozen=True)
class Difference:
    account_no: str
    bill_no: str | None  # None: the account's prepaid balance
    local_fen: int
    expected_fen: int


@dataclass
class Comparison:
    accounts: int = 0  # accounts whose version matched, so their money was compared
    bills: int = 0  # bills compared
    stale: int = 0  # rows this PC has in an older version: the next pull brings them
    differences: list[Difference] = field(default_factory=list)


def _compare_page(store: Store, page: p.SnapshotPage, out: Comparison) -> None:
    upstream_bills: dict[str, list[p.BillRow]] = {}
    for bill in page.bills:
        upstream_bills.setdefault(bill.account_no, []).append(bill)
    numbers = [a.account_no for a in page.accounts]
    with store.read() as s:
        pend_accounts, pend_bills = _pending_effects(s)
        local = {r.account_no: r for r in s.execute(
            select(Account.id, Account.account_no, Account.version, Account.prepaid_balance_fen)
            .where(Account.account_no.in_(numbers)))}
        ids = [r.id for r in local.values()]
        bills: dict[int, list] = {}
        for b in s.execute(select(Bill.id, Bill.account_id, Bill.bill_no, Bill.version, Bill.principal_fen,
                                  Bill.outstanding_fen).where(Bill.account_id.in_(ids))):
            bills.setdefault(b.account_id, []).append(b)
    for row in page.accounts:
        mine = local.get(row.account_no)
        if mine is None:
            out.stale += 1
            continue
        theirs = {b.bill_no: b for b in upstream_bills.get(row.account_no, [])}
        account_current = mine.version == row.change_no
        if account_current:
            out.accounts += 1
            credit, _ = pend_accounts.get(mine.id, (0, False))
            expected = max(0, row.prepaid_balance_fen + credit)
            if mine.prepaid_balance_fen != expected:
                out.differences.append(Difference(row.account_no, None, mine.prepaid_balance_fen, expected))
        else:
            out.stale += 1
        for b in bills.get(mine.id, []):
            upstream = theirs.get(b.bill_no)
            paid_here = pend_bills.get(b.id, 0)
            if upstream is not None and upstream.change_no == b.version:
                expected = min(b.principal_fen, max(0, upstream.outstanding_fen - paid_here))
            elif upstream is None and account_current and b.outstanding_fen > 0:
                expected = min(b.principal_fen, max(0, -paid_here))  # closed upstream: open here only if refunded
            else:
                if upstream is not None:
                    out.stale += 1
                continue
            out.bills += 1
            if b.outstanding_fen != expected:
                out.differences.append(Difference(row.account_no, b.bill_no, b.outstanding_fen, expected))


def compare_with_upstream(store: Store, client: UpstreamClient, page_size: int = PAGE) -> Comparison:
    """Every account of this hall and its open bills, page by page, against the local rows."""
    out = Comparison()
    after, as_of = None, None
    while True:
        page = client.snapshot(after, page_size, as_of)
        _compare_page(store, page, out)
        if page.next_after is None:
            return out
        after, as_of = page.next_after, page.as_of
