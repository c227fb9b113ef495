"""The audit chain is anchored at the upstream (issue 15, point 18): truncation and a rewritten chain are seen
there (alarms) and by ``audit-verify --upstream``, even when every hash on the PC was recomputed."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from sqlalchemy import select

from cashier import audit, records, shifts
from admin.cli import main
from cashier.payments import TenderLine, take_payment
from cashier.settings import Paths, Settings, save_settings
from cashier.sync.client import Credentials, save_credentials
from upstream.models import Alarm, AuditAnchor

FLOAT = {10000: 5}


def _pay(counter, account="3101000002", amount=100):
    return take_payment(counter.hall.terminal, counter.hall.cashier, account, amount, [TenderLine("cash", amount)])


def _sql(counter, statement, *args):
    conn = sqlite3.connect(counter.hall.store.path)
    conn.isolation_level = None
    try:
        return conn.execute(statement, args).fetchall()
    finally:
        conn.close()


def _rehash(counter) -> None:
    """What a forger who knows the scheme does after an edit: recompute every hash and the head row."""
    prev = audit.GENESIS
    for entry_id, at, user_id, action, subject, detail in _sql(
            counter, "SELECT id, at, user_id, action, subject, detail FROM audit_log ORDER BY id"):
        digest = audit._digest(entry_id, datetime.fromisoformat(at), user_id, action, subject, detail, prev)
        _sql(counter, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", prev, digest, entry_id)
        last, prev = entry_id, digest
    _sql(counter, "UPDATE sync_state SET value = ? WHERE key = 'audit_head'", f"{last}:{prev}")


def _local_check(counter):
    with counter.hall.store.read() as s:
        return audit.verify(s).ok, records.verify(s)


def _alarms(seeded, kind):
    with seeded.db.sessions() as s:
        return [json.loads(a.detail) for a in s.scalars(select(Alarm).where(Alarm.kind == kind))]


def _cli(counter, seeded, capsys) -> tuple[int, str]:
    folder = counter.hall.store.path.parent
    save_settings(Settings.model_validate({"upstream": {"url": seeded.url}}), Paths.resolve(folder).config_file)
    save_credentials(folder, Credentials(seeded.url, "T01", "DEMO01", counter.token))
    code = main(["--data-dir", str(folder), "--lang", "en", "audit-verify", "--upstream"])
    return code, capsys.readouterr().out


def test_each_push_anchors_the_chain_head_and_an_intact_chain_holds_them(counter, seeded, capsys):
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    _pay(counter)
    counter.syncer.run_once()
    _pay(counter, "3101000004", 250)
    counter.syncer.run_once()
    anchors = counter.client.audit_anchors().anchors
    with counter.hall.store.read() as s:
        head = audit.head(s)
    assert [a.seq for a in anchors] == [2, 3] and anchors[-1] == head
    code, out = _cli(counter, seeded, capsys)
    assert code == 0 and "holds all 2 chain heads" in out, out


def test_a_chain_recomputed_after_an_edit_passes_locally_but_not_against_the_upstream(counter, seeded, capsys):
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    paid = _pay(counter, "3101000002", 300)
    counter.syncer.run_once()  # anchors entry 2 (the payment)
    # The forger edits the payment and its chained digest to match, then recomputes every hash.
    _sql(counter, "UPDATE tenders SET kind = 'wechat', reference = 'WX1' WHERE payment_id = ?", paid.payment_id)
    with counter.hall.store.read() as s:
        from cashier.records import body_from_rows
        from cashier.sync import protocol as p
        from cashier.store.models import OutboxEntry
        from cashier.documents import body_digest

        payload = p.parse_item("payment", s.scalar(select(OutboxEntry.payload).where(
            OutboxEntry.entity_id == paid.payment_id))).body
        forged = body_from_rows(s, "payment", paid.payment_id, payload)
    _sql(counter, "UPDATE outbox SET payload = ? WHERE entity_id = ?", forged.model_dump_json(), paid.payment_id)
    (detail,) = _sql(counter, "SELECT detail FROM audit_log WHERE subject = ?", paid.payment_id)[0]
    _sql(counter, "UPDATE audit_log SET detail = ? WHERE subject = ?",
         json.dumps(dict(json.loads(detail), body_sha256=body_digest(forged)), ensure_ascii=False, sort_keys=True),
         paid.payment_id)
    _rehash(counter)
    assert _local_check(counter) == (True, [])  # the PC alone cannot tell
    code, out = _cli(counter, seeded, capsys)
    assert code == 1 and "Audit log rewritten: entry 2 no longer has the hash the upstream holds" in out, out


def test_deleting_the_newest_entries_and_rewriting_the_head_is_an_alarm_and_fails_against_the_upstream(
        counter, seeded, capsys):
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    _pay(counter, "3101000002", 100)
    _pay(counter, "3101000004", 200)
    _pay(counter, "3101000006", 300)
    counter.syncer.run_once()  # anchors entry 4
    _sql(counter, "DELETE FROM audit_log WHERE id > 1")
    _rehash(counter)
    assert _local_check(counter)[0]  # the chain itself verifies ...
    code, out = _cli(counter, seeded, capsys)
    assert code == 1 and "Audit log truncated: the upstream holds the chain head at entry 4" in out, out
    _pay(counter, "3101000001", 500)  # entry 2 again: the next push's head is below the anchored one
    counter.syncer.run_once()
    assert [a["held_seq"] for a in _alarms(seeded, "audit_truncated")] == [4]
    with seeded.db.sessions() as s:
        assert list(s.scalars(select(AuditAnchor.seq))) == [4]  # a head that does not extend the chain is not kept


def test_a_different_hash_at_an_anchored_entry_is_an_alarm(counter, seeded):
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    _pay(counter, "3101000002", 100)
    counter.syncer.run_once()  # anchors entry 2
    _sql(counter, "DELETE FROM audit_log WHERE id = 2")
    _rehash(counter)
    counter.hall.clock.advance(minutes=5)
    _pay(counter, "3101000004", 200)  # a new entry 2, another hash
    counter.syncer.run_once()
    assert [a["pushed_seq"] for a in _alarms(seeded, "audit_rewritten")] == [2]


def test_a_push_without_a_head_from_an_older_terminal_is_still_accepted(counter, seeded):
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    _pay(counter)
    with counter.hall.store.read() as s:
        from cashier.store.models import OutboxEntry

        row = s.scalar(select(OutboxEntry).where(OutboxEntry.kind == "payment"))
        item = {"kind": "payment", "body": json.loads(row.payload)}
    answer = counter.client.push([item])  # no audit_head: as terminals before the anchor push
    assert answer.results[0].status == "accepted"
    assert counter.client.audit_anchors().anchors == []


def test_a_bill_or_balance_edited_on_the_pc_is_found_against_the_upstream(counter, seeded, capsys):
    """A bill's outstanding amount and a prepaid balance are the upstream's values: an edit of either shows
    against the upstream's rows, while a row that is only stale (paid elsewhere, not pulled yet) is not blamed."""
    from datetime import date

    from cashier.quote import quote_account
    from upstream import accounts as upstream_accounts

    code, out = _cli(counter, seeded, capsys)
    assert code == 0 and "Against the upstream" in out and "bills agree" in out, out
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    _pay(counter, "3101000001", 5000)  # pending: the local bill is the upstream's less this payment
    upstream_accounts.pay_other_channel(seeded.db, "3101000003", 500, "95598", date(2026, 3, 2))  # stale here
    code, out = _cli(counter, seeded, capsys)
    assert code == 0 and "bills agree" in out and "not yet pulled" in out, out
    # Arrears hidden (a bill shown as half paid), a paid bill shown as owing again (the customer would pay twice)
    # and a balance raised.
    with counter.hall.store.read() as s:
        due = quote_account(s, "3101000003", counter.hall.clock.business_date()).total_due_fen
    _pay(counter, "3101000003", due)
    counter.syncer.run_once()
    _sql(counter, "UPDATE bills SET outstanding_fen = 5000 WHERE bill_no = 'B3101000005202601'")
    _sql(counter, "UPDATE bills SET outstanding_fen = principal_fen WHERE bill_no = 'B3101000003202601'")
    _sql(counter, "UPDATE accounts SET prepaid_balance_fen = 99999 WHERE account_no = '3101000002'")
    code, out = _cli(counter, seeded, capsys)
    assert code == 1, out
    assert "Bill B3101000005202601 (account 3101000005) owes ￥50.00 here but ￥110.05 by the upstream" in out, out
    assert "Bill B3101000003202601 (account 3101000003) owes ￥110.03 here but ￥0.00 by the upstream" in out, out
    assert "Account 3101000002 has a prepaid balance of ￥999.99 here but ￥0.00 by the upstream" in out, out
    assert _local_check(counter) == (True, [])  # the PC alone cannot tell: the values are the upstream's
