"""The penalty policy belongs to the upstream: it hands it to terminals with every page, terminals quote with
the one they hold and say so with each payment, and a payment quoted with other numbers raises an alarm."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from cashier import shifts
from cashier.payments import TenderLine, take_payment
from cashier.penalty_policy import held_policy, hold
from cashier.quote import quote_account
from cashier.rules.penalty import (DEFAULT_POLICY, ClassRates, CustomerClass, PenaltyPolicy, late_fee, policy_digest,
                                   policy_document)
from cashier.store.models import OutboxEntry
from cashier.sync import protocol as p
from cashier.sync.engine import RoundReport
from tests.upstream.conftest import Counter_, seed_rows, start_upstream
from upstream.importer import write
from upstream.models import Alarm, DocumentAllocation
from upstream.policy import PolicyFileError, load_policy_file, policy_body

COMMERCIAL = "3101000003"  # commercial, owes 110.03 (due 2026-02-25) and 99.03
FLOAT = {10000: 5}
HALL_RULES = PenaltyPolicy(rates={**DEFAULT_POLICY.rates, CustomerClass.COMMERCIAL: ClassRates(Decimal("5"), Decimal("6"))},
                           minimum_fen=50)


@pytest.fixture
def hall_policy_upstream(upstream_db):
    up = start_upstream(upstream_db, policy=policy_body(HALL_RULES, "2026-01"))  # its clock the terminals' too
    write(up.db, *seed_rows(), hall_code="DEMO01")
    yield up
    up.server.should_exit = True
    up.thread.join(10)


def _alarms(db, kind: str) -> list[Alarm]:
    with db.sessions() as s:
        return list(s.scalars(select(Alarm).where(Alarm.kind == kind)))


def _pay_whole_dues(c: Counter_, account_no: str) -> tuple[str, int]:
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    with c.hall.store.read() as s:
        due = quote_account(s, account_no, c.hall.clock.business_date(), c.hall.terminal.penalty_policy(s).policy)
    paid = take_payment(c.hall.terminal, c.hall.cashier, account_no, due.total_due_fen,
                        [TenderLine("cash", due.total_due_fen)])
    return paid.payment_id, due.penalty_fen


def test_the_terminal_quotes_and_pays_with_the_upstreams_policy(hall_policy_upstream, tmp_path):
    c = Counter_(tmp_path / "t01", hall_policy_upstream)
    try:
        today = c.hall.clock.business_date()
        with c.hall.store.read() as s:
            assert held_policy(s) is None
        c.syncer.run_once()  # the snapshot brings the hall's policy
        with c.hall.store.read() as s:
            held = held_policy(s)
            rules = c.hall.terminal.penalty_policy(s)
            before = quote_account(s, COMMERCIAL, today, c.hall.terminal.policy)  # this PC's own settings
        assert (held.version, held.digest) == ("2026-01", policy_digest(HALL_RULES))
        assert rules.policy == HALL_RULES and rules.from_upstream
        expected = late_fee(11003, date(2026, 2, 25), today, "commercial", HALL_RULES)
        assert expected != before.bills[0].penalty_fen  # the local settings' numbers would differ

        payment_id, penalty = _pay_whole_dues(c, COMMERCIAL)
        assert penalty == expected
        with c.hall.store.read() as s:
            body = json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == payment_id)))
        assert body["policy_digest"] == policy_digest(HALL_RULES)
        report = c.syncer.run_once()
        assert report.pushed == {"accepted": 1}
        with hall_policy_upstream.db.sessions() as s:
            booked = sum(a.penalty_fen for a in s.scalars(
                select(DocumentAllocation).where(DocumentAllocation.document_id == payment_id)))
        assert booked == penalty  # both sides applied the same numbers
        assert _alarms(hall_policy_upstream.db, "policy_mismatch") == []
        assert c.client.account(COMMERCIAL).total_due_fen == 0
    finally:
        c.close()


def test_a_payment_quoted_with_other_numbers_is_flagged_and_raises_an_alarm(hall_policy_upstream, tmp_path):
    c = Counter_(tmp_path / "t01", hall_policy_upstream)
    try:
        c.syncer.run_once()
        # The counter still holds last month's policy (the upstream changed it since its last pull, say).
        with c.hall.store.transaction() as s:
            assert hold(s, policy_body(DEFAULT_POLICY, "2025-12"))
        payment_id, _ = _pay_whole_dues(c, COMMERCIAL)
        report = RoundReport()
        c.syncer.push(report)
        assert report.pushed == {"accepted": 1}  # money is never refused
        with c.hall.store.read() as s:
            note = s.scalar(select(OutboxEntry.last_error).where(OutboxEntry.entity_id == payment_id))
        assert note == "policy_mismatch"
        (alarm,) = _alarms(hall_policy_upstream.db, "policy_mismatch")
        detail = json.loads(alarm.detail)
        assert (alarm.subject, detail["terminal"], detail["upstream"], detail["upstream_version"]) == (
            payment_id, policy_digest(DEFAULT_POLICY), policy_digest(HALL_RULES), "2026-01")
    finally:
        c.close()


def test_a_policy_whose_digest_does_not_match_its_numbers_is_refused():
    doc = policy_document(HALL_RULES)
    good = p.PenaltyPolicyBody(version="v", digest=policy_digest(HALL_RULES), **doc)
    assert good.policy() == HALL_RULES
    with pytest.raises(ValueError, match="digest"):
        p.PenaltyPolicyBody(version="v", digest=policy_digest(DEFAULT_POLICY), **doc)
    wild = PenaltyPolicy(rates={**DEFAULT_POLICY.rates, CustomerClass.COMMERCIAL: ClassRates(Decimal("500"), Decimal("1"))})
    with pytest.raises(ValueError, match="100"):  # consistent with its digest, but no policy a hall could have
        p.PenaltyPolicyBody(version="v", digest=policy_digest(wild), **policy_document(wild))
    # A page carrying a tampered policy is unreadable as a whole: the terminal keeps what it held.
    with pytest.raises(ValueError):
        p.ChangesPage.model_validate({"accounts": [], "bills": [], "next_cursor": 0, "more": False,
                                      "policy": dict(doc, version="v", digest="0" * 16)})


def test_a_document_from_before_the_policy_digest_keeps_its_body_and_hash():
    body = {"id": "0190b2a0-0000-7000-8000-000000000001", "kind": "payment", "terminal_id": "T01", "hall_code": "H",
            "seq": 1, "shift_id": "0190b2a0-0000-7000-8000-000000000002", "account_no": "3101000001",
            "business_date": "2026-03-02", "created_at": "2026-03-02T01:00:00", "cashier": "c", "amount_fen": 100,
            "applied_fen": 100, "prepaid_credit_fen": 0, "tendered_fen": 100, "change_fen": 0,
            "penalty_waived_fen": 0, "reconnect_requested": False, "reverses_id": None,
            "prepaid_balance_after_fen": 0, "approval": None,
            "tenders": [{"kind": "cash", "amount_fen": 100, "reference": None}], "allocations": []}
    old = p.PaymentBody.model_validate(body)
    assert json.loads(old.model_dump_json()) == body  # byte for byte what an older upstream stored and hashed
    new = p.PaymentBody.model_validate(dict(body, policy_digest=policy_digest(DEFAULT_POLICY)))
    assert json.loads(new.model_dump_json())["policy_digest"] == policy_digest(DEFAULT_POLICY)


def test_the_policy_file_is_checked_before_the_server_starts(tmp_path):
    good = tmp_path / "policy.toml"
    good.write_text('version = "2026-01"\nminimum_fen = 50\n[rates.commercial]\nsame_year = "5"\nlater_year = "6"\n',
                    encoding="utf-8")
    loaded = load_policy_file(good)
    assert (loaded.version, loaded.policy()) == ("2026-01", HALL_RULES)
    for text, says in [('minimum_fen = 50\n', "version"),
                       ('version = "x"\n[rates.commercial]\nsame_year = "500"\nlater_year = "1"\n', "rates.commercial"),
                       ('version = "x"\n[rates.shop]\nsame_year = "1"\nlater_year = "1"\n', "rates.shop"),
                       ('version = \n', "not TOML")]:
        bad = tmp_path / "bad.toml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(PolicyFileError, match=says):
            load_policy_file(bad)
    run = subprocess.run([sys.executable, "-m", "upstream.cli", "serve", "--db", str(tmp_path / "u.db"),
                          "--penalty-policy", str(tmp_path / "bad.toml")], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "penalty policy" in run.stderr and "Traceback" not in run.stderr
