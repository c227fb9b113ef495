"""Writes tests/data/schema_v8.db: the v7 hall upgraded to schema 8 (revision 0008), whose accounts
have ``gone_at`` (set by a refetch for an account the upstream no longer holds). One account of the
hall is marked gone, as a refetch would leave it.

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v8.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    conn.execute("UPDATE accounts SET gone_at = '2026-03-02 01:00:00.000000' WHERE account_no = '3101000003'")


def main() -> None:
    write_kept(8, "0008", add_rows)


if __name__ == "__main__":
    main()
