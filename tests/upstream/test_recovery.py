"""The client's recovery paths (issue 15, points 6, 7, 10, 11), end to end over HTTP on SQLite and PostgreSQL.

A refused item never holds back the others; a counter restored from an older backup numbers on past
what the upstream holds; a replay is answered as the original was; an enrollment whose answer was
lost can be retried.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from cashier import maintenance, shifts, supervision
from cashier.audit import head as audit_head
from cashier.errors import DomainError
from cashier.payments import TenderLine, take_payment
from cashier.store import Store
from cashier.store.models import OutboxEntry
from cashier.sync.client import UpstreamClient
from cashier.sync.engine import Syncer
from tests.helpers.fault_proxy import FaultProxy
from tests.upstream.conftest import Counter_, seed_rows
from upstream import server, terminals
from upstream.errors import Refusal
from upstream.importer import write
from upstream.models import Conflict, Document, Terminal

FLOAT = {10000: 5, 1000: 10}


def _pay(c: Counter_, account_no: str, amount: int, tenders=None):
    return take_payment(c.hall.terminal, c.hall.cashier, account_no, amount, tenders or [TenderLine("cash", amount)])


def _outbox(c: Counter_) -> list[tuple[str, str, str | None]]:
    with c.hall.store.read() as s:
        return [(r.entity_id, r.status, r.last_error) for r in s.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]


def _held_upstream(db) -> set[str]:
    with db.sessions() as s:
        return set(s.scalars(select(Document.id).where(Document.kind == "payment")))


# --- point 6: one refused item never holds back the others -----------------------------------------------


def test_a_payment_of_another_hall_is_rejected_alone_and_the_payments_behind_it_go_up(counter, seeded):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    first = _pay(c, "3101000002", 1000)
    c.hall.terminal.hall_code = "OTHER"  # a mistyped hall in the settings, put right after one payment
    wrong = _pay(c, "3101000002", 2000)
    c.hall.terminal.hall_code = "DEMO01"
    after = [_pay(c, "3101000004", 3000), _pay(c, "3101000006", 4000)]
    report = c.syncer.run_once()
    assert report.pushed == {"accepted": 3, "rejected": 1}
    box = {pid: (status, note) for pid, status, note in _outbox(c)}
    assert box[wrong.payment_id] == ("rejected", "other_hall")
    assert all(box[r.payment_id][0] == "accepted" for r in [first, *after])
    assert _held_upstream(seeded.db) == {first.payment_id, *(r.payment_id for r in after)}
    # The refused one is held for a person, not sent again and again; the next round has nothing to push.
    assert c.syncer.run_once().pushed == {}


def test_a_batch_over_the_body_cap_is_halved_and_an_item_over_it_alone_is_held(upstream_db, tmp_path: Path):
    write(upstream_db, *seed_rows())
    roomy = server.start(upstream_db)
    c = Counter_(tmp_path / "t01", roomy)
    try:
        c.syncer.run_once()
        shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
        small = [_pay(c, "3101000002", 1000 + i) for i in range(2)]
        big = _pay(c, "3101000004", 1200, [TenderLine("wechat", 100, f"{i:02d}" + "8" * 62) for i in range(12)])
        small += [_pay(c, "3101000006", 3000 + i) for i in range(3)]
        with c.hall.store.read() as s:  # each request as the terminal sends it: one item and the audit chain's head
            head = audit_head(s)
            extra = {"audit_head": head.model_dump()} if head is not None else {}
            sizes = {r.entity_id: len(httpx.Request("POST", "http://u/v1/push", json={"items": [
                {"kind": r.kind, "body": json.loads(r.payload)}], **extra}).content)
                for r in s.scalars(select(OutboxEntry))}
        cap = max(sizes[r.payment_id] for r in small) + 40
        assert sizes[big.payment_id] > cap and 2 * min(sizes[r.payment_id] for r in small) > cap
        tight = server.start(upstream_db, max_body=cap)
        try:
            c.client.close()
            c.client = c.syncer.client = UpstreamClient(tight.url, c.token, timeout=5)
            report = c.syncer.run_once()
        finally:
            tight.server.should_exit = True
            tight.thread.join(10)
        assert report.pushed == {"accepted": 5, "rejected": 1}
        assert c.syncer.batch_size == 1  # smaller batches from now on
        box = {pid: (status, note) for pid, status, note in _outbox(c)}
        assert box[big.payment_id][0] == "rejected" and box[big.payment_id][1].startswith("too_large: body_too_large")
        assert _held_upstream(upstream_db) == {r.payment_id for r in small}
    finally:
        c.close()
        roomy.server.should_exit = True
        roomy.thread.join(10)


# --- point 10: a replay is answered as the original was --------------------------------------------------


def test_a_late_payment_whose_answer_was_lost_keeps_its_after_shift_close_flag(counter, seeded):
    c = counter
    t, h = c.hall.terminal, c.hall
    shifts.open_shift(t, h.cashier, FLOAT)
    late = _pay(c, "3101000006", 1500)
    shift_id = shifts.close_shift(t, h.cashier, {10000: 5, 1000: 10, 500: 3}).shift_id
    with h.store.read() as s:
        pay, close = [{"kind": r.kind, "body": json.loads(r.payload)}
                      for r in s.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]
    assert c.client.push([close]).results[0].flags == ["totals_differ"]
    assert c.client.push([close]).results[0].flags == ["totals_differ"]  # the replay says it too
    first = c.client.push([pay]).results[0]  # the upstream flags it; the terminal never hears the answer
    assert (first.status, first.flags) == ("accepted", ["after_shift_close"])
    report = c.syncer.run_once()
    assert report.pushed == {"duplicate": 2}
    box = {pid: (status, note) for pid, status, note in _outbox(c)}
    assert box[late.payment_id] == ("duplicate", "after_shift_close")
    assert box[shift_id] == ("duplicate", "totals_differ")
    with h.store.read() as s:
        review = supervision.review_of(s, shift_id)
    assert [(p.payment_id, p.why) for p in review.late] == [(late.payment_id, "upstream")]


# --- point 7: a counter restored from an older backup numbers on past the upstream ----------------------


def _reopen(c: Counter_) -> None:
    """The counter program started again on its (restored) data folder."""
    path = c.hall.store.path
    store = Store.open(path)
    c.hall.terminal = dataclasses.replace(c.hall.terminal, store=store)
    c.syncer = Syncer(store, c.client, clock=c.hall.clock)


def test_a_counter_restored_from_an_older_backup_takes_no_money_until_it_numbers_on_past_the_upstream(
        counter, seeded, tmp_path):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    _pay(c, "3101000002", 1000)
    _pay(c, "3101000002", 1100)
    c.syncer.run_once()
    database = Path(c.hall.store.path)
    saved = maintenance.backup(database, tmp_path / "older.db").path
    for amount in (1200, 1300, 1400):  # known, after the restore, only to the upstream
        _pay(c, "3101000004", amount)
    c.syncer.run_once()
    c.hall.store.close()
    maintenance.restore(database, saved, tmp_path / "backups", enrolled=True)
    _reopen(c)

    with pytest.raises(DomainError) as refused:  # offline after the restore: no number, no money
        _pay(c, "3101000002", 1500)
    assert refused.value.key == "sync.sequence_unconfirmed"
    report = c.syncer.run_once()
    assert report.sequence_moved == (2, 5)
    taken = _pay(c, "3101000002", 1500)
    assert taken.seq == 6
    assert c.syncer.run_once().pushed == {"accepted": 1}
    with seeded.db.sessions() as s:
        term = s.get(Terminal, "T01")
        assert (term.contiguous_seq, term.max_seq) == (6, 6)
        assert s.scalars(select(Conflict)).all() == []
    with c.hall.store.read() as s:
        assert s.execute(text("SELECT action FROM audit_log WHERE action = 'sequence.caught_up'")).all()


def test_a_replaced_pc_enrolled_again_numbers_on_from_the_upstream_and_restore_warns(counter, seeded, tmp_path,
                                                                                    capsys):
    from admin.cli import main

    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    for amount in (1000, 1100, 1200):
        _pay(counter, "3101000002", amount)
    counter.syncer.run_once()
    d = str(tmp_path / "new-pc")
    assert main(["--data-dir", d, "init"]) == 0
    code = terminals.create_enrollment_code(seeded.db, "DEMO01", "T01")
    assert main(["--data-dir", d, "enroll", "--upstream", seeded.url, "--code", code]) == 0
    assert "下一张收据号为 4" in capsys.readouterr().out
    with Store.open(Path(d) / "cashier.db") as store, store.read() as s:
        assert s.execute(text("SELECT last_seq FROM terminal_sequences WHERE terminal_id = 'T01'")).scalar() == 3
    assert main(["--data-dir", d, "backup", "--to", str(tmp_path / "b.db")]) == 0
    assert main(["--data-dir", d, "restore", str(tmp_path / "b.db")]) != 0  # asks for --yes, and says why
    assert "连上上级系统之前不能收费" in capsys.readouterr().err


def test_a_terminal_of_protocol_1_gets_answers_without_the_fields_of_version_2(counter, seeded):
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, FLOAT)
    _pay(counter, "3101000002", 1000)
    with counter.hall.store.read() as s:
        item = {"kind": "payment", "body": json.loads(s.scalar(select(OutboxEntry.payload)))}
    headers = {"Authorization": f"Bearer {counter.token}"}
    with httpx.Client(base_url=seeded.url + "/v1", headers=headers) as old:
        pushed = old.post("/push", json={"items": [item]}).json()
        code = terminals.create_enrollment_code(seeded.db, "DEMO01", "T05")
        enrolled = old.post("/enroll", json={"code": code}).json()
    assert "last_seq" not in pushed and pushed["results"][0]["status"] == "accepted"
    assert set(enrolled) == {"terminal_id", "hall_code", "token"}
    assert counter.client.push([item]).last_seq == 1  # protocol 2 hears it


# --- point 11: an enrollment whose answer was lost can be retried ----------------------------------------


def test_an_enrollment_whose_answer_was_lost_is_retried_with_the_same_code(seeded, tmp_path, capsys):
    from admin.cli import main

    host, port = seeded.url.removeprefix("http://").split(":")
    lossy = FaultProxy((host, int(port)), fault_rate=1.0, faults=("drop_after",))
    d = str(tmp_path / "pc")
    assert main(["--data-dir", d, "init"]) == 0
    code = terminals.create_enrollment_code(seeded.db, "DEMO01", "T03")
    try:
        assert main(["--data-dir", d, "enroll", "--upstream", lossy.url, "--code", code]) == 3
    finally:
        lossy.stop()
    assert lossy.seen["drop_after"] == 1
    with seeded.db.sessions() as s:
        assert s.get(Terminal, "T03").token_hash is not None  # the upstream enrolled it; the answer was lost
    key = Path(d) / "terminal.key"
    if os.name == "posix":
        assert oct(key.stat().st_mode & 0o777) == "0o600"
    capsys.readouterr()
    assert main(["--data-dir", d, "enroll", "--upstream", seeded.url, "--code", code]) == 0
    assert main(["--data-dir", d, "sync"]) == 0  # the credentials it got are the terminal's
    assert "6 户" in capsys.readouterr().out


def test_only_the_same_terminal_key_gets_a_used_code_s_enrollment_again(seeded):
    db = seeded.db
    key, other = "k" * 43, "o" * 43
    code = terminals.create_enrollment_code(db, "DEMO01", "T04")
    first = terminals.enroll(db, code, key)
    assert terminals.enroll(db, code.lower(), key) == first
    for who in (other, None):
        with pytest.raises(Refusal) as used:
            terminals.enroll(db, code, who)
        assert used.value.code == "code_used"
    with UpstreamClient(seeded.url, first.token) as client:
        assert client.terminal_state().terminal_id == "T04"
    terminals.revoke(db, "T04")
    with pytest.raises(Refusal) as revoked:  # a revoked enrollment is over, whatever the key
        terminals.enroll(db, code, key)
    assert revoked.value.code == "code_used"
    with db.sessions() as s:  # the upstream keeps no token, only hashes and the token sealed under the key
        row = s.execute(text("SELECT key_hash, sealed_token FROM enrollment_codes")).one()
    assert first.token not in row.sealed_token and key not in row.key_hash


def test_the_first_run_set_up_retried_after_a_lost_answer_gets_the_same_enrollment(seeded, tmp_path):
    from cashier.firstrun import FirstRunChoices, apply
    from cashier.settings import Paths

    host, port = seeded.url.removeprefix("http://").split(":")
    code = terminals.create_enrollment_code(seeded.db, "DEMO01", "T06")
    paths = Paths.resolve(tmp_path / "pc")

    def choices(url: str) -> FirstRunChoices:
        return FirstRunChoices(hall_code="DEMO01", hall_name="城关供电营业厅", terminal_id="T06", terminal_name="6号窗口",
                               printer_uri="preview://", printer_width=80, language="zh", supervisor_username="banzhang",
                               supervisor_name="陈静", supervisor_password="Sup3r-pass", upstream_url=url,
                               enrollment_code=code)

    lossy = FaultProxy((host, int(port)), fault_rate=1.0, faults=("drop_after",))
    try:
        with pytest.raises(DomainError) as lost:
            apply(paths, choices(lossy.url))
    finally:
        lossy.stop()
    assert lost.value.key == "sync.unreachable"
    apply(paths, choices(seeded.url))  # the technician presses Finish again: the same code, the same PC
    token = json.loads((paths.data_dir / "upstream.json").read_text())["token"]
    with UpstreamClient(seeded.url, token) as client:
        assert client.terminal_state().terminal_id == "T06"
