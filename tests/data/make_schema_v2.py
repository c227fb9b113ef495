"""Writes tests/data/schema_v2.db: the v1 hall upgraded to schema 2 (revision 0002) plus rows
written at schema 2 (an account found through the search index).

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v2.py
"""

import shutil
import sqlite3
from pathlib import Path

from cashier.search_index import account_tokens
from cashier.store import schema

HERE = Path(__file__).parent
TARGET = HERE / "schema_v2.db"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    shutil.copy(HERE / "schema_v1.db", TARGET)
    schema.upgrade(TARGET, HERE / "backups-tmp", revision="0002")
    shutil.rmtree(HERE / "backups-tmp", ignore_errors=True)
    conn = sqlite3.connect(TARGET)
    with conn:
        conn.execute(
            "INSERT INTO accounts VALUES (3,'3101000003','单雪','西城街道文化路6号','13677778888',"
            "'M0000000003','residential',0,'normal','elderly_alone','西城供电所','文化路1号台区','孙收费',0,1,"
            "'2026-06-01 00:00:00','88887777631')"
        )
        conn.execute(
            "INSERT INTO account_search (rowid, name_uni, name_bi, addr_bi, py) VALUES (3, ?, ?, ?, ?)",
            account_tokens("单雪", "西城街道文化路6号"),
        )
        conn.execute("INSERT INTO bills VALUES (4,'31010000032026051',3,'202605',88,4649,'2026-06-25',4649,NULL,1)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
