"""The change feed terminals pull: change numbers, pages of changed rows, snapshots, compaction.

Every written account or bill gets a new change number from the ``change`` counter; a terminal
pulls rows changed after its cursor, or a whole snapshot when it is new or its cursor is older
than the feed's floor (410 refetch).
"""

from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from cashier.sync import protocol as p
from upstream.db import Database
from upstream.errors import Refusal
from upstream.models import Account, Bill, Counter, DocumentAllocation
from upstream.sql import any_of, read_only


# --- change numbers ---------------------------------------------------------------------------

BUMP_CHANGE = text("UPDATE counters SET value = value + :n WHERE name = 'change' RETURNING value")
_STAMP_ACCOUNT = update(Account.__table__).where(Account.__table__.c.id == bindparam("r_id")).values(
    change_no=bindparam("c_no"))
_STAMP_BILL = update(Bill.__table__).where(Bill.__table__.c.id == bindparam("r_id")).values(
    change_no=bindparam("c_no"))


def stamp_changes(s: Session, account_ids: Iterable[int], bill_ids: Iterable[int]) -> None:
    """Give every touched row a new change number. Call last: the counter's row lock is held to commit."""
    accounts, bills = sorted(set(account_ids)), sorted(set(bill_ids))
    n = len(accounts) + len(bills)
    if not n:
        return
    first = int(s.execute(BUMP_CHANGE, {"n": n}).scalar_one()) - n + 1
    if accounts:
        s.execute(_STAMP_ACCOUNT, [{"r_id": a, "c_no": first + i} for i, a in enumerate(accounts)])
    if bills:
        s.execute(_STAMP_BILL, [{"r_id": b, "c_no": first + len(accounts) + i} for i, b in enumerate(bills)])


def high_water(s: Session) -> int:
    return int(s.scalar(select(Counter.value).where(Counter.name == "change")) or 0)


# --- pull -------------------------------------------------------------------------------------

def account_row(r) -> p.AccountRow:
    return p.AccountRow(
        account_no=r.account_no, name=r.name, address=r.address, phone=r.phone, meter_no=r.meter_no,
        customer_class=r.customer_class, prepaid_meter=r.prepaid_meter, supply_status=r.supply_status,
        special_group=r.special_group, station=r.station, transformer_area=r.transformer_area, collector=r.collector,
        prepaid_balance_fen=r.prepaid_balance_fen, change_no=r.change_no)


def bill_row(r, account_no: str) -> p.BillRow:
    return p.BillRow(bill_no=r.bill_no, account_no=account_no, period=r.period, kwh=r.kwh,
                     principal_fen=r.principal_fen, due_date=r.due_date, outstanding_fen=r.outstanding_fen,
                     penalty_settled_through=r.penalty_settled_through, cancelled=r.cancelled, change_no=r.change_no,
                     reading_start=r.reading_start, reading_end=r.reading_end)


def changes(db: Database, cursor: int, limit: int, hall_code: str | None = None) -> p.ChangesPage:
    """Accounts and bills changed after ``cursor``, at most ``limit`` rows, in change order; with ``hall_code``,
    of that hall's accounts only (upstream/scope.py)."""
    with read_only(db) as s:
        floor = int(s.scalar(select(Counter.value).where(Counter.name == "feed_floor")) or 0)
        if cursor < floor:
            raise Refusal(410, "refetch", f"cursor {cursor} is older than {floor}: take a new snapshot")
        top = high_water(s)  # every number up to here is committed
        window = (cursor, top)
        mine = (Account.hall_code == hall_code,) if hall_code is not None else ()
        accounts = s.execute(select(Account).where(Account.change_no > window[0], Account.change_no <= window[1], *mine)
                             .order_by(Account.change_no).limit(limit)).scalars().all()
        bills = s.execute(select(Bill, Account.account_no).join(Account, Account.id == Bill.account_id)
                          .where(Bill.change_no > window[0], Bill.change_no <= window[1], *mine)
                          .order_by(Bill.change_no).limit(limit)).all()
        merged = sorted([(a.change_no, 0, a) for a in accounts] + [(b.change_no, 1, (b, no)) for b, no in bills],
                        key=lambda x: x[0])[:limit]
        # Rows may be left only when a list came back full; otherwise everything up to ``top`` was seen.
        more = len(accounts) == limit or len(bills) == limit
        next_cursor = merged[-1][0] if more else max(cursor, top)
        return p.ChangesPage(
            accounts=[account_row(x) for _, k, x in merged if k == 0],
            bills=[bill_row(x[0], x[1]) for _, k, x in merged if k == 1],
            next_cursor=next_cursor, more=more)


_SNAP_ACCOUNT = [c for c in p.AccountRow.model_fields]


def _bill_fields(readings: bool) -> list[str]:
    """The BillRow fields a snapshot holds: without the meter readings for a terminal older than version 3."""
    return [c for c in p.BillRow.model_fields if readings or c not in p.BILL_FIELDS_OF_3]


_SNAP_BILL = {readings: [c for c in _bill_fields(readings) if c != "account_no"] for readings in (True, False)}


def snapshot_json(db: Database, after: str | None, limit: int, as_of: int | None, hall_code: str | None = None,
                  *, readings: bool = True) -> str:
    """A snapshot page (``SnapshotPage``) as JSON: a new terminal (or one told to refetch) pulls millions of them;
    with ``hall_code``, of that hall's accounts only (upstream/scope.py); ``readings=False`` for a terminal of
    protocol version 2 or older, whose strict BillRow refuses the meter readings (``p.BILL_FIELDS_OF_3``).

    On PostgreSQL the database writes the page's JSON itself (``_snapshot_json_pg``): building it from rows in
    Python was most of the upstream's time in a snapshot; elsewhere it is built from plain rows."""
    if db.engine.dialect.name == "postgresql":
        return _snapshot_json_pg(db, after, limit, as_of, hall_code, readings)
    return _snapshot_json_rows(db, after, limit, as_of, hall_code, readings)


def _pg_snapshot_sql(after: bool, hall: bool, readings: bool) -> str:
    accounts = ", ".join(_SNAP_ACCOUNT)
    bills = ", ".join(("pg.account_no" if c == "account_no" else f"b.{c}") for c in _bill_fields(readings))
    where = " AND ".join(w for w, on in (("account_no > :after", after), ("hall_code = :hall", hall)) if on)
    return (
        f"WITH pg AS (SELECT id, {accounts} FROM accounts {'WHERE ' + where + ' ' if where else ''}"
        f"ORDER BY account_no LIMIT :n) "
        f"SELECT (SELECT coalesce(json_agg(r), '[]')::text FROM (SELECT {accounts} FROM pg ORDER BY account_no) r), "
        f"(SELECT coalesce(json_agg(r), '[]')::text FROM (SELECT {bills} FROM bills b JOIN pg ON pg.id = b.account_id "
        # = ANY(ARRAY(…)): the page's bills probed by account (ix_bills_account_due), never a scan of every bill
        f"WHERE b.account_id = ANY(ARRAY(SELECT id FROM pg)) AND b.outstanding_fen > 0 AND NOT b.cancelled "
        f"ORDER BY b.account_id, b.due_date) r), "
        f"(SELECT count(*) FROM pg), (SELECT max(account_no) FROM pg)")


_PG_SNAPSHOT = {(after, hall, readings): text(_pg_snapshot_sql(after, hall, readings))
                for after in (True, False) for hall in (True, False) for readings in (True, False)}


def _snapshot_json_pg(db: Database, after: str | None, limit: int, as_of: int | None, hall_code: str | None,
                      readings: bool = True) -> str:
    with read_only(db) as s:
        if as_of is None:
            as_of = high_water(s)
        params = {"n": limit, **({"after": after} if after else {}), **({"hall": hall_code} if hall_code else {})}
        accounts, bills, count, last = s.execute(_PG_SNAPSHOT[bool(after), hall_code is not None, readings],
                                                     params).one()
    next_after = last if count == limit else None
    return (f'{{"accounts":{accounts},"bills":{bills},"as_of":{int(as_of)},'
            f'"next_after":{json.dumps(next_after)}}}')


def _snapshot_json_rows(db: Database, after: str | None, limit: int, as_of: int | None,
                        hall_code: str | None = None, readings: bool = True) -> str:
    snap_bill = _SNAP_BILL[readings]
    a_cols = [Account.__table__.c[c] for c in _SNAP_ACCOUNT]
    b_cols = [Bill.__table__.c[c] for c in snap_bill]
    with read_only(db) as s:
        if as_of is None:
            as_of = high_water(s)
        query = select(Account.id, *a_cols).order_by(Account.account_no).limit(limit)
        if after:
            query = query.where(Account.account_no > after)
        if hall_code is not None:
            query = query.where(Account.hall_code == hall_code)
        accounts = s.execute(query).all()
        by_id = {r[0]: r[1 + _SNAP_ACCOUNT.index("account_no")] for r in accounts}
        bills = s.execute(select(Bill.account_id, *b_cols).where(
            any_of(s, Bill.account_id, by_id), Bill.outstanding_fen > 0, Bill.cancelled.is_(False))
            .order_by(Bill.account_id, Bill.due_date)).all() if by_id else []
    page = {
        "accounts": [dict(zip(_SNAP_ACCOUNT, r[1:])) for r in accounts],
        "bills": [dict(zip(snap_bill, r[1:]), account_no=by_id[r[0]]) for r in bills],
        "as_of": as_of,
        "next_after": accounts[-1][1 + _SNAP_ACCOUNT.index("account_no")] if len(accounts) == limit else None,
    }
    return json.dumps(page, ensure_ascii=False, default=str, separators=(",", ":"))


def snapshot(db: Database, after: str | None, limit: int, as_of: int | None,
             hall_code: str | None = None) -> p.SnapshotPage:
    """Accounts after ``after`` (by number) with their open bills; ``as_of`` is fixed by the first page."""
    return p.SnapshotPage.model_validate_json(snapshot_json(db, after, limit, as_of, hall_code))


def compact_feed(db: Database, floor: int) -> int:
    """Forget cancelled bills changed up to ``floor``: terminals with an older cursor are told to refetch."""
    with db.transaction() as s:
        floor = min(floor, high_water(s))
        current = int(s.scalar(select(Counter.value).where(Counter.name == "feed_floor")) or 0)
        if floor <= current:
            return current
        used = select(DocumentAllocation.bill_id)
        s.execute(Bill.__table__.delete().where(Bill.cancelled.is_(True), Bill.change_no <= floor, ~Bill.id.in_(used)))
        s.execute(update(Counter).where(Counter.name == "feed_floor").values(value=floor))
        return floor
