"""Writes tests/data/schema_v2.db: the v1 hall upgraded to schema 2 (revision 0002) plus rows
written at schema 2 (an account found through the search index).

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v2.py
"""

from kept import write_kept

from cashier.search_index import account_tokens


def add_rows(conn) -> None:
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


def main() -> None:
    write_kept(2, "0002", add_rows)


if __name__ == "__main__":
    main()
