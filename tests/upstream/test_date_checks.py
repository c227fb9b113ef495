"""The upstream checks a payment's dates against its own clock and a waiver's or reversal's approval
(issue 15, point 3): a terminal's clock set back, set ahead or a hand-made body cannot move money."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from cashier import shifts
from cashier.clock import FixedClock
from cashier.ids import uuid7
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.store.models import OutboxEntry
from cashier.sync import protocol as p
from tests.helpers.hall import START
from tests.upstream.conftest import Counter_
from upstream.checks import Plausibility, approval_problem, date_problem
from upstream.cli import build_parser
from upstream.models import Document

ACCOUNT = "3101000005"  # owes two bills, due 2026-02-25 and 2026-03-25: on 2 March the first has a penalty
FLOAT = {10000: 5}


def _payload(c: Counter_, entity_id: str) -> dict:
    with c.hall.store.read() as s:
        return json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == entity_id)))


def _outbox(c: Counter_, entity_id: str) -> tuple[str, str | None]:
    with c.hall.store.read() as s:
        row = s.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == entity_id))
        return row.status, row.last_error


def _owed(c: Counter_) -> list[int]:
    return [b.outstanding_fen for b in c.client.account(ACCOUNT).bills]


def _pay_all(c: Counter_, **kwargs) -> str:
    with c.hall.store.read() as s:
        due = quote_account(s, ACCOUNT, c.hall.clock.business_date()).total_due_fen
    return take_payment(c.hall.terminal, c.hall.cashier, ACCOUNT, due, [TenderLine("cash", due)], **kwargs).payment_id


def test_a_terminal_whose_clock_says_2000_cannot_clear_a_penalty(seeded, tmp_path):
    """The reproduction: a payment dated 2000-01-01 cleared the account's whole penalty. Now it is held."""
    c = Counter_(tmp_path / "t01", seeded, clock=FixedClock(timezone="Asia/Shanghai", at=datetime(2000, 1, 1, 2)))
    try:
        c.syncer.run_once()
        shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
        before = _owed(c)
        paid = _pay_all(c)  # in 2000 nothing is overdue: the terminal asks the principal only
        assert c.syncer.run_once().pushed == {"rejected": 1}
        assert _outbox(c, paid)[0] == "rejected"  # held on the terminal for its supervisor, not lost
        assert _owed(c) == before  # the ledger did not move: the penalty still runs
        with seeded.db.sessions() as s:
            doc = s.get(Document, paid)
            assert (doc.status, doc.reason) == ("rejected", "date_too_old")
    finally:
        c.close()


def test_a_payment_dated_ahead_of_the_upstreams_clock_is_refused_past_the_skew(seeded, tmp_path):
    ahead = FixedClock(timezone="Asia/Shanghai", at=START + timedelta(minutes=9))
    c = Counter_(tmp_path / "t01", seeded, clock=ahead)
    try:
        c.syncer.run_once()
        shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
        first = _pay_all(c)  # 9 minutes fast: inside the 10-minute skew
        assert c.syncer.run_once().pushed == {"accepted": 1}
        ahead.advance(hours=1)  # now 69 minutes fast
        second = take_payment(c.hall.terminal, c.hall.cashier, "3101000002", 500, [TenderLine("cash", 500)]).payment_id
        assert c.syncer.run_once().pushed == {"rejected": 1}
        with seeded.db.sessions() as s:
            assert s.get(Document, first).status == "accepted"
            assert (s.get(Document, second).status, s.get(Document, second).reason) == ("rejected", "date_in_future")
    finally:
        c.close()


def test_an_offline_terminals_old_payment_is_accepted_and_flagged_within_the_window(counter, seeded):
    h = counter.hall  # shares the upstream's clock (seeded.clock)
    shifts.open_shift(h.terminal, h.cashier, FLOAT)
    paid = _pay_all(counter)
    body = _payload(counter, paid)
    seeded.clock.advance(days=6, hours=23)  # the line was down for a week, less an hour
    [result] = counter.client.push([{"kind": "payment", "body": body}]).results
    assert (result.status, result.flags) == ("accepted", ["offline_late"])
    assert _owed(counter) == []
    # The same payment a day later would have been outside the window: held, not applied.
    late = dict(body, id=uuid7(), seq=body["seq"] + 1, account_no="3101000001", amount_fen=500, applied_fen=0,
                prepaid_credit_fen=500, tendered_fen=500, tenders=[{"kind": "cash", "amount_fen": 500}], allocations=[],
                penalty_waived_fen=0, prepaid_balance_after_fen=500)
    seeded.clock.advance(days=1, hours=2)
    [result] = counter.client.push([{"kind": "payment", "body": late}]).results
    assert (result.status, result.reason, result.flags) == ("rejected", "date_too_old", [])


def test_a_business_date_that_is_not_the_day_of_created_at_is_refused(counter):
    h = counter.hall
    shifts.open_shift(h.terminal, h.cashier, FLOAT)
    body = _payload(counter, _pay_all(counter))
    moved = dict(body, business_date=(date.fromisoformat(body["business_date"]) - timedelta(days=3)).isoformat())
    [result] = counter.client.push([{"kind": "payment", "body": moved}]).results
    assert (result.status, result.reason) == ("rejected", "date_mismatch")
    assert _owed(counter) == [11005, 9905]


def test_a_waiver_without_an_approval_is_refused_and_with_one_accepted(counter):
    h = counter.hall
    shifts.open_shift(h.terminal, h.cashier, FLOAT)
    with h.store.read() as s:
        quote = quote_account(s, ACCOUNT, h.clock.business_date())
    assert quote.penalty_fen > 0
    approval = h.approve("penalty_waiver", ACCOUNT, "老人行动不便，逾期非本人原因", amount_fen=quote.penalty_fen)
    paid = take_payment(h.terminal, h.cashier, ACCOUNT, quote.total_due_fen - quote.penalty_fen,
                        [TenderLine("cash", quote.total_due_fen - quote.penalty_fen)],
                        waiver_fen=quote.penalty_fen, waiver_approval_id=approval).payment_id
    body = _payload(counter, paid)
    assert body["penalty_waived_fen"] == quote.penalty_fen and body["approval"] is not None
    forged = dict(body, id=uuid7(), seq=body["seq"] + 1, approval=None)  # the reproduction: approval null
    empty = dict(body, id=uuid7(), seq=body["seq"] + 2, approval=dict(body["approval"], reason="  "))
    answer = counter.client.push([{"kind": "payment", "body": forged}, {"kind": "payment", "body": empty}]).results
    assert [(r.status, r.reason) for r in answer] == [("rejected", "waiver_without_approval")] * 2
    assert _owed(counter) == [11005, 9905]  # neither forged waiver touched the ledger
    assert counter.syncer.run_once().pushed["accepted"] == 1  # the terminal's own, approved: accepted
    assert _owed(counter) == []


def test_a_reversal_without_an_approval_is_refused(counter):
    h = counter.hall
    shifts.open_shift(h.terminal, h.cashier, FLOAT)
    body = _payload(counter, _pay_all(counter))
    assert counter.syncer.run_once().pushed == {"accepted": 1}
    reversal = dict(body, id=uuid7(), kind="reversal", seq=body["seq"] + 1, reverses_id=body["id"], change_fen=0,
                    tendered_fen=body["amount_fen"], tenders=[{"kind": "cash", "amount_fen": body["amount_fen"]}],
                    reconnect_requested=False, approval=None)
    [result] = counter.client.push([{"kind": "reversal", "body": reversal}]).results
    assert (result.status, result.reason) == ("rejected", "reversal_without_approval")
    assert _owed(counter) == []  # still paid


# --- the rules themselves, at their edges ------------------------------------------------------

NOW = datetime(2026, 3, 2, 2, 0)  # 10:00 in Shanghai
RULES = Plausibility(clock=lambda: NOW)


def _body(created: datetime, business: date | None = None, **fields) -> p.PaymentBody:
    local = RULES.local_date(created)
    return p.PaymentBody.model_validate(dict(
        id=uuid7(), kind="payment", terminal_id="T01", hall_code="DEMO01", seq=1, shift_id=uuid7(),
        account_no=ACCOUNT, business_date=(business or local).isoformat(), created_at=created.isoformat(),
        cashier="c1", amount_fen=100, applied_fen=100, prepaid_credit_fen=0, tendered_fen=100, change_fen=0,
        penalty_waived_fen=0, reconnect_requested=False, prepaid_balance_after_fen=0,
        tenders=[{"kind": "cash", "amount_fen": 100}], allocations=[]) | fields)


@pytest.mark.parametrize("created, business, expected", [
    (NOW, None, (None, [])),
    (NOW + timedelta(minutes=10), None, (None, [])),
    (NOW + timedelta(minutes=10, seconds=1), None, ("date_in_future", [])),
    (NOW - timedelta(minutes=10), None, (None, [])),
    (NOW - timedelta(minutes=11), None, (None, ["offline_late"])),
    (NOW - timedelta(days=7), None, (None, ["offline_late"])),
    (NOW - timedelta(days=7, seconds=1), None, ("date_too_old", [])),
    (datetime(2000, 1, 1), None, ("date_too_old", [])),
    # 00:30 on 2 March in Shanghai is 16:30 UTC on 1 March: the business date is the hall's day, not UTC's.
    (datetime(2026, 3, 1, 16, 30), date(2026, 3, 2), (None, ["offline_late"])),
    (datetime(2026, 3, 1, 16, 30), date(2026, 3, 1), ("date_mismatch", [])),
    (NOW, date(2026, 3, 3), ("date_in_future", [])),
])
def test_date_rules_at_their_edges(created, business, expected):
    assert date_problem(_body(created, business), RULES) == expected


def test_a_created_at_with_an_offset_is_the_same_instant():
    assert date_problem(_body(NOW, created_at="2026-03-02T10:09:00+08:00"), RULES) == (None, [])
    assert date_problem(_body(NOW, created_at="2026-03-02T10:11:00+08:00"), RULES) == ("date_in_future", [])


def test_approvals_the_terminal_always_makes_are_required():
    approval = {"id": 7, "approved_by": 3, "reason": "核实无误"}
    assert approval_problem("payment", _body(NOW)) is None
    assert approval_problem("payment", _body(NOW, penalty_waived_fen=50)) == "waiver_without_approval"
    assert approval_problem("payment", _body(NOW, penalty_waived_fen=50, approval=approval)) is None


def test_serve_takes_the_skew_and_the_window_and_refuses_nonsense(capsys):
    args = build_parser().parse_args(["serve", "--max-clock-skew-minutes", "3", "--offline-window-days", "30"])
    assert (args.max_clock_skew_minutes, args.offline_window_days) == (3, 30)
    args = build_parser().parse_args(["serve"])
    assert (args.max_clock_skew_minutes, args.offline_window_days) == (10, 7)
    for bad in (["--max-clock-skew-minutes", "-5"], ["--offline-window-days", "0"], ["--offline-window-days", "9" * 30]):
        with pytest.raises(SystemExit) as exit_:
            build_parser().parse_args(["serve", *bad])
        assert exit_.value.code == 2
        assert "Traceback" not in capsys.readouterr().err
