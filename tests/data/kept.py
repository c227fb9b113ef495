"""Shared steps of the scripts that write the kept databases (schema_vN.db).

The committed files are these scripts' output mended once by ``fix_kept_chains.py`` (issue 17): a real
audit chain and the upload bodies of the payment, the cash movement and the closed shift, so that
``audit-verify`` passes on each after its upgrade. A new kept file (schema 8 on) is written from the
mended previous one and needs no mending, as long as its own rows come with their audit entries.
"""

import shutil
import sqlite3
from pathlib import Path
from typing import Callable

from cashier.store import schema

HERE = Path(__file__).parent


def write_kept(version: int, revision: str, add_rows: Callable[[sqlite3.Connection], None]) -> Path:
    """schema_v{version}.db: the previous kept file (or a new one) upgraded to ``revision``, plus
    ``add_rows`` written at that schema, then made a single compact file."""
    target = HERE / f"schema_v{version}.db"
    target.unlink(missing_ok=True)
    if version > 1:
        shutil.copy(HERE / f"schema_v{version - 1}.db", target)
    backups = HERE / "backups-tmp"
    schema.upgrade(target, backups, revision=revision)
    shutil.rmtree(backups, ignore_errors=True)
    conn = sqlite3.connect(target)
    with conn:
        add_rows(conn)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    return target
