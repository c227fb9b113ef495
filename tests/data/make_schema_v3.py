"""Writes tests/data/schema_v3.db: the v2 hall upgraded to schema 3 (revision 0003) plus rows
written at schema 3 (a supervisor approval, a waiver on an allocation, a cash movement purpose).

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v3.py
"""

import shutil
import sqlite3
from pathlib import Path

from cashier.store import schema

HERE = Path(__file__).parent
TARGET = HERE / "schema_v3.db"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    shutil.copy(HERE / "schema_v2.db", TARGET)
    schema.upgrade(TARGET, HERE / "backups-tmp", revision="0003")
    shutil.rmtree(HERE / "backups-tmp", ignore_errors=True)
    conn = sqlite3.connect(TARGET)
    with conn:
        conn.execute(
            "INSERT INTO approvals (id, action, subject, reason, amount_fen, requested_by, approved_by, terminal_id, "
            "created_at, used_at) VALUES (1, 'over_short', '0190a000-0000-7000-8000-000000000001', '零钱找错', 50, 1, 2, "
            "'T01', '2026-03-01 09:00:00.000000', '2026-03-01 09:00:30.000000')"
        )
        conn.execute("UPDATE cash_movements SET purpose = 'bank_pickup'")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
