"""Import accounts and bills as a utility exports them (CSV or JSON), validated row by row.

Nothing is written unless every row of every file is valid; the errors name the file, the
line (CSV) or the index (JSON), the field and what is wrong. Rows are upserted by account
number and bill number, and every row written gets a change number so terminals pull it.

CSV: one file of accounts (header with ``account_no`` and ``name``) or of bills (header with
``bill_no``), UTF-8 (a BOM is fine). JSON: ``{"accounts": [...], "bills": [...]}``. A bill's meter
readings (``reading_start``, ``reading_end``: 起码, 止码) are optional, both or neither, as the meter
shows them (digits, at most 3 decimals; in JSON a string or a number, read as its decimal text).

An account's ``hall_code`` names the service hall whose terminals see it (upstream/scope.py): a
``hall_code`` column, or ``--hall`` for every row without one. A row without either keeps the hall
the account already has; a new account without a hall is in no hall's scope (the report counts them).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from pydantic import ValidationError
from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from cashier.sync.protocol import AccountRow, BillRow, HallCode
from upstream.db import Database
from upstream.models import Account, Bill

MAX_ERRORS = 100
CHUNK = 5000
_BOOL = {"1": True, "true": True, "yes": True, "y": True, "是": True,
         "0": False, "false": False, "no": False, "n": False, "否": False, "": False}
_READINGS = ("reading_start", "reading_end")


class ImportError_(Exception):  # noqa: N801 - not the builtin
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class HallAccountRow(AccountRow):
    """An account as imported: the wire's row and the hall that serves it (not sent to terminals)."""

    hall_code: HallCode | None = None


@dataclass
class ImportReport:
    accounts: int = 0
    bills: int = 0
    errors: list[str] = field(default_factory=list)
    without_hall: int = 0  # accounts of the upstream that no hall's terminal sees after this import


def _clean(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if key is None:
            raise ValueError("more values than header columns")
        key = key.strip()
        if isinstance(value, str):
            value = value.strip()
            if key in ("prepaid_meter", "cancelled"):
                if value.lower() not in _BOOL:
                    raise ValueError(f"{key}: {value!r} is not yes/no")
                value = _BOOL[value.lower()]
            elif value == "" and key not in ("name", "address"):
                value = None
        elif key in _READINGS and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)  # a reading written as a JSON number: read as its decimal text (never a float)
        if value is not None:
            out[key] = value
    return out


def _describe(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e["loc"]) or "row"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def _rows(path: Path) -> Iterator[tuple[str, str, dict]]:
    """(kind, position, raw row) for every row of a file."""
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        doc = json.loads(text, parse_float=Decimal)  # a meter reading 4521.10 keeps its digits
        if not isinstance(doc, dict) or not set(doc) <= {"accounts", "bills"}:
            raise ValueError('a JSON import is {"accounts": [...], "bills": [...]}')
        for kind in ("accounts", "bills"):
            for i, row in enumerate(doc.get(kind) or []):
                yield kind, f"{kind}[{i}]", row if isinstance(row, dict) else {"row": row}
        return
    reader = csv.DictReader(io.StringIO(text))
    header = set(reader.fieldnames or [])
    if "bill_no" in header:
        kind = "bills"
    elif {"account_no", "name"} <= header:
        kind = "accounts"
    else:
        raise ValueError("the CSV header needs account_no and name (accounts) or bill_no (bills)")
    for row in reader:
        yield kind, f"line {reader.line_num}", row


def validate(paths: Iterable[Path]) -> tuple[list[AccountRow], list[BillRow], list[str]]:
    accounts: dict[str, AccountRow] = {}
    bills: dict[str, BillRow] = {}
    errors: list[str] = []
    for path in paths:
        try:
            for kind, where, raw in _rows(path):
                try:
                    cleaned = _clean(raw)
                    cleaned.pop("change_no", None)
                    row = (HallAccountRow if kind == "accounts" else BillRow).model_validate(cleaned)
                except ValidationError as exc:
                    errors.append(f"{path.name} {where}: {_describe(exc)}")
                except ValueError as exc:
                    errors.append(f"{path.name} {where}: {exc}")
                else:
                    target = accounts if kind == "accounts" else bills
                    key = row.account_no if kind == "accounts" else row.bill_no
                    if key in target:
                        errors.append(f"{path.name} {where}: {key} appears twice")
                    target[key] = row
                if len(errors) >= MAX_ERRORS:
                    errors.append("… stopped after %d errors" % MAX_ERRORS)
                    return [], [], errors
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            errors.append(f"{path.name}: {exc}")
    return list(accounts.values()), list(bills.values()), errors


def _orphans(bills: list[BillRow]) -> ImportError_:
    return ImportError_([f"bill {b.bill_no}: account {b.account_no} is neither in the upstream nor in this import"
                         for b in bills][:MAX_ERRORS])


def _upsert(db: Database, table, key: str, update_cols: list[str]):
    dialect = postgresql if not db.is_sqlite else sqlite
    stmt = dialect.insert(table)
    # A row that names no hall keeps the account's hall.
    return stmt.on_conflict_do_update(index_elements=[key], set_={
        c: func.coalesce(stmt.excluded[c], table.c[c]) if c == "hall_code" else stmt.excluded[c] for c in update_cols})


def _stamp(s, table, key: str, keys: list[str]) -> None:
    """New change numbers for the rows just written (the counter last, as everywhere)."""
    n = len(keys)
    first = int(s.execute(text("UPDATE counters SET value = value + :n WHERE name = 'change' RETURNING value"),
                          {"n": n}).scalar_one()) - n + 1
    stmt = update(table).where(table.c[key] == bindparam("k_")).values(change_no=bindparam("c_"))
    s.execute(stmt, [{"k_": k, "c_": first + i} for i, k in enumerate(keys)])


def write(db: Database, accounts: list[AccountRow], bills: list[BillRow], *, hall_code: str | None = None) -> ImportReport:
    """Upsert validated rows in chunks; each chunk is one transaction and stamps its own changes.
    ``hall_code``: the hall of every account row that names none (``HallAccountRow.hall_code``)."""
    report = ImportReport()
    a_cols = [c for c in HallAccountRow.model_fields if c not in ("account_no", "change_no")]
    a_table = Account.__table__
    for i in range(0, len(accounts), CHUNK):
        chunk = [a.model_dump(exclude={"change_no"}) for a in accounts[i:i + CHUNK]]
        for row in chunk:
            row["hall_code"] = row.get("hall_code") or hall_code
        with db.transaction() as s:
            s.execute(_upsert(db, a_table, "account_no", a_cols), chunk)
            _stamp(s, a_table, "account_no", [a["account_no"] for a in chunk])
        report.accounts += len(chunk)
    b_cols = ["period", "kwh", "principal_fen", "due_date", "outstanding_fen", "penalty_settled_through", "cancelled",
              "reading_start", "reading_end", "account_id"]
    b_table = Bill.__table__
    for i in range(0, len(bills), CHUNK):
        part = bills[i:i + CHUNK]
        with db.transaction() as s:
            numbers = sorted({b.account_no for b in part})
            owners = dict(s.execute(select(Account.account_no, Account.id).where(Account.account_no.in_(numbers))).all())
            missing = [n for n in numbers if n not in owners]
            if missing:
                raise _orphans([b for b in part if b.account_no in missing])
            chunk = [dict(b.model_dump(exclude={"change_no", "account_no"}), account_id=owners[b.account_no])
                     for b in part]
            s.execute(_upsert(db, b_table, "bill_no", b_cols), chunk)
            _stamp(s, b_table, "bill_no", [b["bill_no"] for b in chunk])
        report.bills += len(part)
    if accounts:
        with db.sessions() as s:
            report.without_hall = s.scalar(select(func.count()).select_from(Account).where(Account.hall_code.is_(None)))
    return report


def import_files(db: Database, paths: list[Path], hall_code: str | None = None) -> ImportReport:
    accounts, bills, errors = validate(paths)
    if errors:
        raise ImportError_(errors)
    known = {a.account_no for a in accounts}
    with db.sessions() as s:
        outside = sorted({b.account_no for b in bills} - known)
        if outside:
            present = set()
            for i in range(0, len(outside), 5000):
                present |= set(s.scalars(select(Account.account_no).where(Account.account_no.in_(outside[i:i + 5000]))))
            missing = [b for b in bills if b.account_no not in known and b.account_no not in present]
            if missing:
                raise _orphans(missing)
    return write(db, accounts, bills, hall_code=hall_code)


def rows_from_store(path: Path) -> tuple[list[AccountRow], list[BillRow]]:
    """Accounts and bills of a counter's local store, as an export: seeds the demo upstream
    (``write(…, hall_code=the hall's code)``: they are that hall's customers)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        accounts = [AccountRow(account_no=r[0], name=r[1], address=r[2], phone=r[3], meter_no=r[4],
                               customer_class=r[5], prepaid_meter=bool(r[6]), supply_status=r[7], special_group=r[8],
                               station=r[9], transformer_area=r[10], collector=r[11], prepaid_balance_fen=r[12])
                    for r in conn.execute(
                        "SELECT account_no, name, address, phone, meter_no, customer_class, prepaid_meter, supply_status,"
                        " special_group, station, transformer_area, collector, prepaid_balance_fen FROM accounts")]
        bills = [BillRow(bill_no=r[0], account_no=r[1], period=r[2], kwh=r[3], principal_fen=r[4], due_date=r[5],
                         outstanding_fen=r[6], penalty_settled_through=r[7], reading_start=r[8], reading_end=r[9])
                 for r in conn.execute(
                     "SELECT b.bill_no, a.account_no, b.period, b.kwh, b.principal_fen, b.due_date, b.outstanding_fen,"
                     " b.penalty_settled_through, b.reading_start, b.reading_end"
                     " FROM bills b JOIN accounts a ON a.id = b.account_id")]
    finally:
        conn.close()
    return accounts, bills
