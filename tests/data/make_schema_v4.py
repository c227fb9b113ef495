"""Writes tests/data/schema_v4.db: the v3 hall upgraded to schema 4 (revision 0004) plus a
receipt that did not print and waits in the queue.

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v4.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    conn.execute(
        "INSERT INTO print_jobs (id, kind, entity_id, reprint, status, attempts, last_error, created_at, printed_at) "
        "VALUES (1, 'payment', '0190a000-0000-7000-8000-000000000002', 0, 'failed', 1, 'printer.paper_out', "
        "'2026-03-01 01:00:05.000000', NULL)"
    )


def main() -> None:
    write_kept(4, "0004", add_rows)


if __name__ == "__main__":
    main()
