"""Writes tests/data/schema_v10.db: the v9 hall upgraded to schema 10 (revision 0010), which adds scan-to-pay's
``scan_intents`` and ``scan_refunds``. One scan intent of the hall's closed shift, declined by the provider
(balance not enough), as a counter would have left it; no refund (nothing was charged).

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v10.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    conn.execute(
        "INSERT INTO scan_intents (id, account_no, amount_fen, provider, code_masked, status, provider_status,"
        " reason_code, reason, cashier_id, shift_id, request, created_at, updated_at, resolved_at)"
        " VALUES ('0190a000-0000-7000-8000-0000000000a1', '3101000001', 2000, 'wechat', '1345**********0008',"
        " 'failed', 'failed', 'NOTENOUGH', '余额不足', 1, '0190a000-0000-7000-8000-000000000001',"
        " '{\"amount_fen\": 2000, \"other_tenders\": [], \"payment_id\": \"0190a000-0000-7000-8000-0000000000a2\","
        " \"waiver_approval_id\": null, \"waiver_fen\": 0}',"
        " '2026-03-02 02:30:00.000000', '2026-03-02 02:30:01.000000', '2026-03-02 02:30:01.000000')")


def main() -> None:
    write_kept(10, "0010", add_rows)


if __name__ == "__main__":
    main()
