"""Service evaluations uploaded exactly once as their own documents, checked against the payment they rate,
and counted per cashier and day by ``cashier-upstream evaluations`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from cashier import evaluations
from cashier.payments import TenderLine, take_payment
from cashier.store.models import OutboxEntry
from tests.helpers.scan_hall import start_scan_hall
from upstream import cli
from upstream.models import Document


@pytest.fixture(params=["sqlite", "postgresql"])
def sh(request, tmp_path):
    db = None
    if request.param == "postgresql":
        from tests.helpers import pg
        from upstream.db import Database

        db = Database(pg.create_database())
    h = start_scan_hall(tmp_path, db=db, payments="off")
    yield h
    h.close()


def test_evaluations_go_up_once_after_their_payments_and_are_counted_per_cashier(sh, capsys):
    hall = sh.hall
    paid = [take_payment(hall.terminal, hall.cashier, "3101000003", 100 + i, [TenderLine("cash", 100 + i)])
            for i in range(4)]
    for result, rating in zip(paid, ("very_satisfied", "satisfied", "unsatisfied", "unrated")):
        evaluations.record_evaluation(hall.store, result.payment_id, rating, clock=hall.terminal.clock)
    report = sh.syncer.run_once()
    assert report.pushed == {"accepted": 8}  # four payments, then their four ratings in the same round
    with hall.store.transaction() as s:  # a retry of the same documents (the first answer was lost)
        s.execute(OutboxEntry.__table__.update().values(status="pending"))
    assert sh.syncer.run_once().pushed == {"duplicate": 8}
    with sh.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Document).where(Document.kind == "evaluation")) == 4
    day = hall.terminal.clock.business_date().isoformat()
    assert cli.main(["evaluations", "--db", sh.db.url, "--date", day, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cashiers"] == [{"business_date": day, "hall_code": "DEMO01", "cashier": "c1", "very_satisfied": 1,
                                "satisfied": 1, "unsatisfied": 1, "unrated": 1, "rated": 3,
                                "satisfied_rate": "66.7%"}]  # the unrated one is not counted satisfied
    assert cli.main(["evaluations", "--db", sh.db.url, "--date", day, "--hall", "OTHER", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cashiers"] == []


def test_a_rating_of_a_payment_the_upstream_does_not_hold_is_refused_and_holds_nothing_back(sh):
    from cashier.sync import protocol as p

    hall = sh.hall
    result = take_payment(hall.terminal, hall.cashier, "3101000003", 500, [TenderLine("cash", 500)])
    evaluations.record_evaluation(hall.store, result.payment_id, "satisfied", clock=hall.terminal.clock)
    with hall.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.kind == "evaluation")))
    stray = dict(body, id="0190a0b0-0000-7000-8000-00000000abcd", payment_id="0190a0b0-0000-7000-8000-00000000dcba")
    answer = sh.client.push([{"kind": "evaluation", "body": stray}])
    assert [(r.status, r.reason) for r in answer.results] == [("rejected", "unknown_payment")]
    assert sh.syncer.run_once().pushed == {"accepted": 2}  # the real payment and its rating still go up
    assert p.EvaluationItem(kind="evaluation", body=stray)  # the stray one was well formed: refused on its merits
