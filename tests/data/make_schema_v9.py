"""Writes tests/data/schema_v9.db: the v8 hall upgraded to schema 9 (revision 0009), whose bills carry
the meter readings they were computed from (``reading_start``, ``reading_end``: 起码, 止码). One bill of
the hall has readings, as the upstream's feed would leave it; the others have none.

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v9.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    conn.execute("UPDATE bills SET reading_start = '4521.30', reading_end = '4736.30' WHERE id = "
                 "(SELECT min(b.id) FROM bills b JOIN accounts a ON a.id = b.account_id"
                 " WHERE a.account_no = '3101000001')")


def main() -> None:
    write_kept(9, "0009", add_rows)


if __name__ == "__main__":
    main()
