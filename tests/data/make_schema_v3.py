"""Writes tests/data/schema_v3.db: the v2 hall upgraded to schema 3 (revision 0003) plus rows
written at schema 3 (a supervisor approval, a waiver on an allocation, a cash movement purpose).

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v3.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    conn.execute(
        "INSERT INTO approvals (id, action, subject, reason, amount_fen, requested_by, approved_by, terminal_id, "
        "created_at, used_at) VALUES (1, 'over_short', '0190a000-0000-7000-8000-000000000001', '零钱找错', 50, 1, 2, "
        "'T01', '2026-03-01 09:00:00.000000', '2026-03-01 09:00:30.000000')"
    )
    conn.execute("UPDATE cash_movements SET purpose = 'bank_pickup'")


def main() -> None:
    write_kept(3, "0003", add_rows)


if __name__ == "__main__":
    main()
