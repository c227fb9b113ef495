"""Writes tests/data/schema_v11.db: the v10 hall upgraded to schema 11 (revision 0011), which adds the service
evaluations (``evaluations``). The hall's payment is rated 满意 through the program's own service, so its
body is in the audit chain and its upload in the outbox like any counter's.

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v11.py
"""

import sqlite3
from datetime import datetime

from kept import write_kept

from cashier.clock import FixedClock
from cashier.evaluations import record_evaluation
from cashier.store import Store


def main() -> None:
    target = write_kept(11, "0011", lambda conn: None)
    store = Store.open(target)
    try:
        record_evaluation(store, "0190a000-0000-7000-8000-000000000002", "satisfied",
                          clock=FixedClock(timezone="Asia/Shanghai", at=datetime(2026, 3, 1, 3, 0)))
    finally:
        store.close()
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    main()
