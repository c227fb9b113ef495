"""The upstream checks every reversal against its original: who reverses (the terminal that took it) and what
(the same amounts and allocations, refunds the way the terminal makes them). A refusal is per item, with a reason;
the terminal holds the refused item and the rest goes on."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from cashier import shifts
from cashier.ids import uuid7
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.quote import quote_account
from cashier.store.models import OutboxEntry
from cashier.sync.client import UpstreamClient
from tests.upstream.conftest import Counter_
from upstream import terminals
from upstream.models import Document

FLOAT = {10000: 5, 1000: 10}
ACCOUNT = "3101000005"  # owes two bills


def _payload(c: Counter_, entity_id: str) -> dict:
    with c.hall.store.read() as s:
        return json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == entity_id)))


def _alipay_payment(c: Counter_) -> dict:
    """An Alipay payment of the account's whole dues, uploaded; returns its body as it went up."""
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    with c.hall.store.read() as s:
        due = quote_account(s, ACCOUNT, c.hall.clock.business_date()).total_due_fen
    paid = take_payment(c.hall.terminal, c.hall.cashier, ACCOUNT, due, [TenderLine("alipay", due, "ALI2026030200001")])
    assert c.syncer.run_once().pushed == {"accepted": 1}
    return _payload(c, paid.payment_id)


def _reversal_of(original: dict, *, seq: int, **changes) -> dict:
    """A reversal body exactly as the terminal makes it (the alipay goes back as it came, a supervisor
    approved it), then ``changes``."""
    body = dict(original, id=uuid7(), kind="reversal", seq=seq, reverses_id=original["id"], change_fen=0,
                reconnect_requested=False, tendered_fen=original["amount_fen"],
                tenders=[dict(t) for t in original["tenders"]],
                approval={"id": 1, "approved_by": 3, "reason": "客户付错户号"})
    body.update(changes)
    return body


def _owed(c: Counter_) -> list[int]:
    return [b.outstanding_fen for b in c.client.account(ACCOUNT).bills]


def test_a_payment_is_reversed_only_by_the_terminal_that_took_it(counter, seeded, tmp_path):
    original = _alipay_payment(counter)
    second = Counter_(tmp_path / "t02", seeded, terminal_id="T02")  # the same hall, another counter
    code = terminals.create_enrollment_code(seeded.db, "OTHER9", "X01")  # another hall
    with UpstreamClient(seeded.url) as anon:
        stranger = UpstreamClient(seeded.url, anon.enroll(code).token)
    try:
        foreign = _reversal_of(original, seq=1, terminal_id="X01", hall_code="OTHER9")
        answer = stranger.push([{"kind": "reversal", "body": foreign}]).results
        assert [(r.status, r.reason) for r in answer] == [("rejected", "original_other_hall")]
        neighbour = _reversal_of(original, seq=1, terminal_id="T02")
        answer = second.client.push([{"kind": "reversal", "body": neighbour}]).results
        assert [(r.status, r.reason) for r in answer] == [("rejected", "original_other_terminal")]
        assert _owed(counter) == []  # still paid: neither refusal touched the ledger
        # The counter that took it reverses it: accepted, the bills are owed again.
        h = counter.hall
        approval = h.approve("reversal", original["id"], "客户付错户号")
        reverse_payment(h.terminal, h.cashier, original["id"], approval, "客户付错户号")
        assert counter.syncer.run_once().pushed == {"accepted": 1}
        assert _owed(counter) == [11005, 9905]
    finally:
        stranger.close()
        second.close()


@pytest.mark.parametrize("change, reason", [
    (lambda o: {"tenders": [{"kind": "cash", "amount_fen": 1, "reference": None}], "tendered_fen": 1},
     "reversal_tenders_differ"),  # ￥0.01 cash for an Alipay payment
    (lambda o: {"tenders": [dict(o["tenders"][0], reference="ALI-SOMEONE-ELSE")]}, "reversal_tenders_differ"),
    (lambda o: {"tenders": o["tenders"] + [{"kind": "cash", "amount_fen": 100, "reference": None}],
                "tendered_fen": o["amount_fen"] + 100, "change_fen": 100}, "reversal_tenders_differ"),
    (lambda o: {"amount_fen": 100, "applied_fen": 100, "tenders": [dict(o["tenders"][0], amount_fen=100)],
                "tendered_fen": 100}, "reversal_amounts_differ"),
    (lambda o: {"penalty_waived_fen": 50}, "reversal_amounts_differ"),
    (lambda o: {"allocations": o["allocations"][:1]}, "reversal_allocations_differ"),
    (lambda o: {"allocations": [dict(a, principal_fen=a["principal_fen"] + 1 - i) for i, a in
                                enumerate(o["allocations"])]}, "reversal_allocations_differ"),
    (lambda o: {"business_date": (date.fromisoformat(o["business_date"]) - timedelta(days=1)).isoformat(),
                "created_at": (datetime.fromisoformat(o["created_at"]) - timedelta(days=1)).isoformat()},
     "reversal_other_day"),  # dated consistently (upstream/checks.py refuses a day that is not created_at's)
    (lambda o: {"reverses_id": uuid7()}, "unknown_original"),
], ids=["cash_cent", "other_reference", "change", "amount", "waiver", "fewer_bills", "other_split", "other_day",
        "unknown"])
def test_a_reversal_that_does_not_undo_its_original_exactly_is_refused(counter, seeded, change, reason):
    original = _alipay_payment(counter)
    before = _owed(counter)
    forged = _reversal_of(original, seq=1000, **change(original))
    answer = counter.client.push([{"kind": "reversal", "body": forged}]).results
    assert [(r.status, r.reason) for r in answer] == [("rejected", reason)]
    assert _owed(counter) == before == []
    assert counter.client.hall_day(counter.hall.clock.business_date()).terminals[0].by_tender == {
        "alipay": original["amount_fen"]}
    # The genuine reversal still goes through, once; a second one is refused as already reversed.
    genuine = _reversal_of(original, seq=1001)
    again = _reversal_of(original, seq=1002)
    answer = counter.client.push([{"kind": "reversal", "body": genuine}, {"kind": "reversal", "body": again}]).results
    assert [(r.status, r.reason) for r in answer] == [("accepted", None), ("rejected", "already_reversed")]
    assert _owed(counter) == [11005, 9905]


def test_a_refused_reversal_is_held_at_the_terminal_and_the_rest_goes_up(counter, seeded):
    """A terminal whose reversal was altered (¥0.01 cash for ¥ Alipay): the item is held with the reason,
    sent no more, and the payments after it go up."""
    original = _alipay_payment(counter)
    h = counter.hall
    approval = h.approve("reversal", original["id"], "客户付错户号")
    reversal = reverse_payment(h.terminal, h.cashier, original["id"], approval, "客户付错户号")
    with h.store.transaction() as s:
        row = s.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == reversal.payment_id))
        body = json.loads(row.payload)
        body.update(tenders=[{"kind": "cash", "amount_fen": 1, "reference": None}], tendered_fen=1)
        row.payload = json.dumps(body)
    later = take_payment(h.terminal, h.cashier, "3101000002", 1000, [TenderLine("cash", 1000)])
    assert counter.syncer.run_once().pushed == {"rejected": 1, "accepted": 1}
    with h.store.read() as s:
        held = {r.entity_id: (r.status, r.last_error) for r in s.scalars(select(OutboxEntry))}
    assert held[reversal.payment_id] == ("rejected", "reversal_tenders_differ")
    assert held[later.payment_id] == ("accepted", None)
    assert counter.syncer.run_once().pushed == {}  # held, not sent again
    with seeded.db.sessions() as s:
        docs = {d.id: (d.status, d.reason) for d in s.scalars(select(Document))}
    assert docs[reversal.payment_id] == ("rejected", "reversal_tenders_differ")
    assert _owed(counter) == []  # the upstream keeps the payment it was not shown a true reversal of
