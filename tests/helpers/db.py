"""Looking at a database the way an auditor would: every row, to compare before and after."""

import sqlite3
from pathlib import Path


def snapshot(path: Path) -> list[str]:
    """Every row of every ordinary table (the search index's shadow tables left out), as text."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'account_search%' ORDER BY name")]
        return [f"{table} {row!r}" for table in tables for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1')]
    finally:
        conn.close()


def sql(path: Path, query: str, *args) -> list[tuple]:
    """Rows of one query on the SQLite file, outside the program: the independent computation."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()
