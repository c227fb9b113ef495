"""SQL helpers the upstream's services share: bulk statements, ``IN`` lists, read-only snapshots, the clock."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import BigInteger, Integer, String, any_, bindparam, cast, literal, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from upstream.db import Database


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def any_of(s: Session, column, values):
    """``column IN values``; on PostgreSQL ``= ANY(array)``: one statement text whatever the count, parsed once."""
    values = list(values)
    if s.bind.dialect.name == "postgresql":
        kind = ARRAY(BigInteger) if isinstance(column.type, (BigInteger, Integer)) else ARRAY(String)
        return column == any_(cast(literal(values, kind), kind))
    return column.in_(values)


_PG_ARRAY = {"BigInteger": "bigint", "Integer": "bigint", "String": "text", "Text": "text", "Boolean": "boolean",
             "Date": "date", "DateTime": "timestamp"}


def _pg_type(column) -> str:
    kind = type(column.type).__name__
    if kind == "Variant" or kind not in _PG_ARRAY:
        kind = type(getattr(column.type, "impl", column.type)).__name__
    return _PG_ARRAY.get(kind, "text")


def _recordset(table, cols: list[str]) -> str:
    return "json_to_recordset(CAST(:rows AS json)) AS v(" + ", ".join(f"{c} {_pg_type(table.c[c])}" for c in cols) + ")"


def _rows_json(rows: list[dict], cols: list[str]) -> str:
    # One parameter, serialized by the json module in C: far cheaper than one array per column.
    return json.dumps([{c: r[c] for c in cols} for r in rows], ensure_ascii=False, default=str)


def bulk_insert(s: Session, table, rows: list[dict], *, skip_conflicts: bool = False) -> None:
    """Many rows in one statement: PostgreSQL gets one INSERT … SELECT FROM json_to_recordset, SQLite executemany."""
    if not rows:
        return
    if s.bind.dialect.name != "postgresql":
        stmt = insert_for(s, table)
        s.execute(stmt.on_conflict_do_nothing() if skip_conflicts else stmt, rows)
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {_recordset(table, cols)}"
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    s.execute(text(sql), {"rows": _rows_json(rows, cols)})


def bulk_update(s: Session, table, key: str, rows: list[dict]) -> None:
    """Update many rows by ``key`` in one statement (PostgreSQL: UPDATE … FROM json_to_recordset), else executemany."""
    if not rows:
        return
    cols = [c for c in rows[0] if c != key]
    if s.bind.dialect.name != "postgresql":
        stmt = update(table).where(table.c[key] == bindparam("k__")).values({c: bindparam("v__" + c) for c in cols})
        s.execute(stmt, [{"k__": r[key], **{"v__" + c: r[c] for c in cols}} for r in rows])
        return
    names = [key] + cols
    sets = ", ".join(f"{c} = v.{c}" for c in cols)
    sql = f"UPDATE {table.name} AS t SET {sets} FROM {_recordset(table, names)} WHERE t.{key} = v.{key}"
    s.execute(text(sql), {"rows": _rows_json(rows, names)})


def insert_for(s: Session, table):
    dialect = postgresql if s.bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


@contextmanager
def read_only(db: Database) -> Iterator[Session]:
    """A read-only transaction with one snapshot for all its statements."""
    with db.sessions() as s:
        if db.engine.dialect.name == "postgresql":
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield s
        finally:
            s.rollback()
