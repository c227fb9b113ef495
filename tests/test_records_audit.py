"""The audit chain covers the money records' content (issue 15, point 18), and the outbox holds the protocol models.

Each test edits the real SQLite file behind the program's back, as someone with the file would, and
checks that ``audit-verify`` and ``doctor`` name what was done.
"""

import json
import sqlite3

import pytest

from cashier import records, shifts
from admin.cli import main
from cashier.documents import body_digest
from cashier.doctor import check_audit
from cashier.errors import DomainError
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.settings import Paths, Settings, save_settings
from cashier.store import Store
from cashier.store.models import OutboxEntry
from cashier.sync import protocol as p
from tests.helpers.hall import make_hall, standard_accounts


@pytest.fixture
def hall(data_dir):
    h = make_hall(data_dir)
    standard_accounts(h.store)
    save_settings(Settings(), Paths.resolve(data_dir).config_file)
    t = h.terminal
    shifts.open_shift(t, h.cashier, {10000: 5})
    h.cash = take_payment(t, h.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    h.card = take_payment(t, h.cashier, "3101000004", 20100, [TenderLine("bank_card", 20100, "6222000011112222")])
    h.undone = take_payment(t, h.cashier, "3101000003", 5000, [TenderLine("cash", 5000)])
    reverse_payment(t, h.cashier, h.undone.payment_id, h.approve("reversal", h.undone.payment_id), "收错户")
    h.move_id, _ = shifts.move_cash(t, h.cashier, "out", "turn_in", 10000, "交款")
    h.store.close()
    return h


def sql(path, statement, *args):
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    try:
        return conn.execute(statement, args).fetchall()
    finally:
        conn.close()


def verify(path):
    with Store.open(path) as store, store.read() as s:
        return [(x.kind, x.entity_id, x.problem) for x in records.verify(s)]


def audit_verify(data_dir, capsys) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), "--lang", "en", "audit-verify"])
    return code, capsys.readouterr().out


def test_untouched_records_match_the_chain(hall, data_dir, capsys):
    assert verify(hall.store.path) == []
    code, out = audit_verify(data_dir, capsys)
    assert code == 0 and "match the audit log" in out
    assert check_audit(hall.store.path).status == "OK"


def test_the_outbox_holds_the_protocol_models_json_and_the_chain_its_digest(hall):
    with Store.open(hall.store.path) as store, store.read() as s:
        entries = s.query(OutboxEntry).order_by(OutboxEntry.id).all()
        chained = records.chained_digests(s)
        for e in entries:
            body = p.parse_item(e.kind, e.payload).body
            assert e.payload == body.model_dump_json()  # byte for byte what the upstream hashes
            assert chained[e.entity_id] == (e.kind, body_digest(body))
        kinds = [e.kind for e in entries]
    assert kinds == ["payment", "payment", "payment", "reversal", "cash_movement"]


def test_edited_tendered_amount_is_named(hall, data_dir, capsys):
    sql(hall.store.path, "UPDATE payments SET tendered_fen = tendered_fen + 10000, change_fen = change_fen + 10000 "
                         "WHERE id = ?", hall.cash.payment_id)
    assert verify(hall.store.path) == [("payment", hall.cash.payment_id, "altered")]
    code, out = audit_verify(data_dir, capsys)
    assert code == 1 and f"Payment {hall.cash.payment_id} altered" in out
    assert check_audit(hall.store.path).failed


def test_a_tender_turned_from_card_to_cash_is_named(hall, data_dir, capsys):
    sql(hall.store.path, "UPDATE tenders SET kind = 'cash', reference = NULL WHERE payment_id = ?", hall.card.payment_id)
    assert verify(hall.store.path) == [("payment", hall.card.payment_id, "altered")]
    code, out = audit_verify(data_dir, capsys)
    assert code == 1 and f"Payment {hall.card.payment_id} altered" in out


def test_an_edited_allocation_is_named(hall):
    sql(hall.store.path, "UPDATE allocations SET principal_fen = principal_fen - 100, penalty_fen = penalty_fen + 100 "
                         "WHERE payment_id = ?", hall.cash.payment_id)
    assert verify(hall.store.path) == [("payment", hall.cash.payment_id, "altered")]


def test_an_edited_cash_movement_is_named(hall):
    sql(hall.store.path, "UPDATE cash_movements SET amount_fen = 1000 WHERE id = ?", hall.move_id)
    assert verify(hall.store.path) == [("cash_movement", hall.move_id, "altered")]


def test_an_edited_outbox_payload_is_named(hall, data_dir, capsys):
    (payload,) = sql(hall.store.path, "SELECT payload FROM outbox WHERE entity_id = ?", hall.card.payment_id)[0]
    body = json.loads(payload)
    body["tenders"][0]["kind"] = "cash"
    body["tenders"][0]["reference"] = None
    sql(hall.store.path, "UPDATE outbox SET payload = ? WHERE entity_id = ?", json.dumps(body), hall.card.payment_id)
    assert verify(hall.store.path) == [("payment", hall.card.payment_id, "outbox_altered")]
    code, out = audit_verify(data_dir, capsys)
    assert code == 1 and "the body queued for upload was altered" in out
    assert check_audit(hall.store.path).failed


def test_a_deleted_payment_is_named(hall, data_dir, capsys):
    pid = hall.card.payment_id
    for table, column in (("tenders", "payment_id"), ("allocations", "payment_id"), ("print_jobs", "entity_id"),
                          ("outbox", "entity_id"), ("payments", "id")):
        sql(hall.store.path, f"DELETE FROM {table} WHERE {column} = ?", pid)
    assert verify(hall.store.path) == [("payment", pid, "deleted")]
    code, out = audit_verify(data_dir, capsys)
    assert code == 1 and f"Payment {pid} deleted" in out
    assert check_audit(hall.store.path).failed


def test_a_payment_slipped_in_without_its_audit_entry_is_named(hall):
    sql(hall.store.path, "DELETE FROM audit_log WHERE subject = ?", hall.move_id)  # the newest entry, so ...
    last = sql(hall.store.path, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    sql(hall.store.path, "UPDATE sync_state SET value = ? WHERE key = 'audit_head'", f"{last[0]}:{last[1]}")
    # ... the chain itself still verifies: only the record check sees the cash movement has no entry.
    assert verify(hall.store.path) == [("cash_movement", hall.move_id, "unchained")]


def test_a_too_long_reason_fails_at_the_counter_with_a_translated_message(data_dir):
    h = make_hall(data_dir)
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    with pytest.raises(DomainError) as caught:
        shifts.move_cash(h.terminal, h.cashier, "in", "float_top_up", 100, "零" * 201)
    assert caught.value.key == "document.too_long"
    assert caught.value.message("en") == "reason is too long: at most 200 characters"
    with h.store.read() as s:  # nothing was written: not the movement, not its number
        assert s.query(OutboxEntry).count() == 0
    h.store.close()
