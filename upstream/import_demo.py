"""``cashier-upstream import-demo``: a trial hall's customers and bills, made up, straight into the upstream.

The same generator as ``cashier-admin demo-seed`` (cashier/demo/seed.py: realistic names and addresses,
supply stations, transformer areas and their collectors, 12 months of bills under the residential tiered
tariff, arrears, prepaid balances, meter readings),
deterministic by seed, written through the importer's own path
(``importer.write``: upserts, change numbers, the hall of every account), so a trial hall needs no
hand-made CSV. An upstream that already holds accounts is refused: made-up customers never mix with
real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from cashier.sync.protocol import BillRow
from upstream.db import Database
from upstream.importer import HallAccountRow, ImportReport, write
from upstream.models import Account

MAX_ACCOUNTS = 200_000  # a trial hall; a real one comes from the utility's export (``import``)


class NotEmpty(Exception):
    def __init__(self, accounts: int) -> None:
        super().__init__(f"the upstream already holds {accounts} accounts: import-demo fills only an empty one")
        self.accounts = accounts


@dataclass(frozen=True)
class DemoRows:
    accounts: list[HallAccountRow]
    bills: list[BillRow]


def demo_rows(accounts: int, seed: int = 1, as_of: date | None = None) -> DemoRows:
    """``accounts`` made-up customers with their 12 bills each, as import rows (hall left to ``write``)."""
    from cashier.demo.seed import MONTHS, generate, reading_text

    as_of = as_of or date.today()
    d = generate(accounts, seed, as_of)
    account_rows = []
    bill_rows = []
    for i in range(d["n"]):
        account_no = d["account_nos"][i]
        account_rows.append(HallAccountRow(
            account_no=account_no, name=d["names"][i], address=d["addresses"][i], phone=d["phones"][i],
            meter_no=d["meters"][i], customer_class=str(d["classes"][i]), prepaid_meter=bool(d["prepaid_meter"][i]),
            supply_status="disconnected" if d["disconnected"][i] else "normal", special_group=d["special"][i],
            station=d["stations"][i], transformer_area=d["areas"][i], collector=d["collectors"][i],
            prepaid_balance_fen=int(d["balance"][i])))
        oldest = int(d["oldest"][i])
        ends = [int(v) for v in d["reading_end"][i]]
        readings = [(reading_text(int(account_no), e - 100 * int(k)), reading_text(int(account_no), e))
                    for e, k in zip(ends, d["kwh"][i])]
        for m in range(MONTHS):
            settled = None
            if d["partial"][i] and m == oldest:  # partly paid: penalty settled through that payment's day
                settled = min(d["dues"][m] + timedelta(days=int(d["settled_days"][i])), as_of)
            bill_rows.append(BillRow(
                bill_no=f"{account_no}{d['periods'][m]}{int(d['checks'][i, m])}", account_no=account_no,
                period=d["periods"][m], kwh=int(d["kwh"][i, m]), principal_fen=int(d["principal"][i, m]),
                due_date=d["dues"][m], outstanding_fen=int(d["outstanding"][i, m]), penalty_settled_through=settled,
                reading_start=readings[m][0], reading_end=readings[m][1]))
    return DemoRows(account_rows, bill_rows)


def import_demo(db: Database, accounts: int, hall_code: str, seed: int = 1, as_of: date | None = None) -> ImportReport:
    """Generate and write a trial hall of ``accounts`` customers, all of ``hall_code``."""
    if not 1 <= accounts <= MAX_ACCOUNTS:
        raise ValueError(f"--accounts: 1 to {MAX_ACCOUNTS}")
    with db.sessions() as s:
        present = s.scalar(select(func.count()).select_from(Account))
    if present:
        raise NotEmpty(present)
    rows = demo_rows(accounts, seed, as_of)
    return write(db, rows.accounts, rows.bills, hall_code=hall_code)
