"""Writes tests/data/schema_v6.db: the v5 hall upgraded to schema 6 (revision 0006), whose upgrade
appends one ``records.cover`` audit entry per payment, reversal, cash movement and closed shift
made before (their body digests). Schema 6 adds no table or column, so no rows are added.

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v6.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    pass


def main() -> None:
    write_kept(6, "0006", add_rows)


if __name__ == "__main__":
    main()
