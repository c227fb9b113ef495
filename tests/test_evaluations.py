"""Service evaluation (服务评价, issue 19 point 4): one rating per payment, unrated never satisfied, chained in the
audit log and uploaded exactly once as its own document, counted per cashier and day on both sides."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from cashier import audit, evaluations, shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.store.models import Evaluation, OutboxEntry
from tests.helpers.hall import make_hall, standard_accounts


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path / "hall")
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 3})
    yield h
    h.store.close()


def pay(h, cashier=None, amount=1000):
    return take_payment(h.terminal, cashier or h.cashier, "3101000003", amount, [TenderLine("cash", amount)])


def test_one_rating_per_payment_stored_with_its_cashier_queued_and_chained(hall):
    first, second = pay(hall), pay(hall)
    recorded = evaluations.record_evaluation(hall.store, first.payment_id, "very_satisfied", clock=hall.clock)
    evaluations.record_evaluation(hall.store, second.payment_id, "unrated", clock=hall.clock)
    with pytest.raises(DomainError) as again:
        evaluations.record_evaluation(hall.store, first.payment_id, "unsatisfied", clock=hall.clock)
    assert again.value.key == "evaluation.already" and "已经评价过" in str(again.value)
    with pytest.raises(DomainError) as bad:
        evaluations.record_evaluation(hall.store, first.payment_id, "happy", clock=hall.clock)
    assert bad.value.key == "evaluation.bad_rating"
    with hall.store.read() as s:
        assert evaluations.evaluation_of(s, first.payment_id) == "very_satisfied"  # the refused ones changed nothing
        row = s.get(Evaluation, recorded.evaluation_id)
        assert row.cashier_id == hall.cashier.user_id and row.business_date == hall.clock.business_date()
        queued = [json.loads(p) for p in s.scalars(select(OutboxEntry.payload).where(OutboxEntry.kind == "evaluation"))]
        assert sorted(q["rating"] for q in queued) == ["unrated", "very_satisfied"]
        assert {q["cashier"] for q in queued} == {"c1"} and all(q["payment_id"] for q in queued)
        assert audit.verify(s).ok  # each evaluation's body is in the chain like every record that goes up


def test_a_reversal_is_not_rated_and_unrated_is_never_counted_satisfied(hall):
    paid = pay(hall)
    reversal = reverse_payment(hall.terminal, hall.cashier, paid.payment_id,
                               hall.approve("reversal", paid.payment_id), "录错户号")
    with pytest.raises(DomainError) as info:
        evaluations.record_evaluation(hall.store, reversal.payment_id, "satisfied", clock=hall.clock)
    assert info.value.key == "evaluation.not_a_payment"
    day = hall.clock.business_date()
    evaluations.record_evaluation(hall.store, pay(hall).payment_id, "unrated", clock=hall.clock)
    with hall.store.read() as s:
        only_unrated, = evaluations.satisfaction(s, day, day)
    assert (only_unrated.unrated, only_unrated.rated, evaluations.format_rate(only_unrated)) == (1, 0, "—")
    for rating in ("satisfied", "unsatisfied"):
        evaluations.record_evaluation(hall.store, pay(hall).payment_id, rating, clock=hall.clock)
    with hall.store.read() as s:
        c1, = evaluations.satisfaction(s, day, day)
    assert (c1.cashier, c1.very_satisfied, c1.satisfied, c1.unsatisfied, c1.unrated) == ("c1", 0, 1, 1, 1)
    assert evaluations.format_rate(c1) == "50.0%"  # 1 satisfied of 2 rated: the unrated one is not in it
