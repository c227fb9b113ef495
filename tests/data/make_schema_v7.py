"""Writes tests/data/schema_v7.db: the v6 hall upgraded to schema 7 (revision 0007) plus rows
written at schema 7: the shift's cash movement held by the upstream (rejected) and dismissed by the
supervisor, with the outbox entry marked resolved.

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v7.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    conn.execute(
        "INSERT INTO outbox (id, kind, entity_id, seq, payload, created_at, status, attempts, sent_at, last_error) "
        "VALUES (2, 'cash_movement', '0190a000-0000-7000-8000-000000000003', 2, "
        "'{\"id\": \"0190a000-0000-7000-8000-000000000003\"}', '2026-03-01 05:00:00', 'resolved', 1, "
        "'2026-03-01 05:01:00.000000', 'malformed: body.purpose')"
    )
    conn.execute(
        "INSERT INTO held_resolutions (id, outbox_id, action, reason, held_status, upstream_note, resolved_by, "
        "approval_id, resolved_at) VALUES (1, 2, 'dismiss', '解款已由银行回单核实', 'rejected', "
        "'malformed: body.purpose', 2, NULL, '2026-03-01 09:30:00.000000')"
    )


def main() -> None:
    write_kept(7, "0007", add_rows)


if __name__ == "__main__":
    main()
