"""What a terminal pushes is read safely: timestamps with a UTC offset and strings that are not Unicode."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from cashier import shifts
from cashier.payments import TenderLine, take_payment
from cashier.store.models import OutboxEntry
from upstream.models import Document

FLOAT = {10000: 5}
DAY = date(2026, 3, 2)  # the counter's FixedClock starts at 2026-03-02 02:00 UTC


def _outbox_bodies(counter) -> list[tuple[str, dict]]:
    with counter.hall.store.read() as s:
        return [(e.kind, json.loads(e.payload)) for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]


def _push(counter, kind: str, body: dict):
    return counter.client.http.post("/push", json={"items": [{"kind": kind, "body": body}]})


def _as_shanghai(stamp: str) -> str:
    """The same instant written with the +08:00 offset, as a terminal set to local time might send it."""
    return (datetime.fromisoformat(stamp) + timedelta(hours=8)).isoformat() + "+08:00"


def _two_payments(counter) -> list[dict]:
    t = counter.hall.terminal
    shifts.open_shift(t, counter.hall.cashier, FLOAT)
    take_payment(t, counter.hall.cashier, "3101000002", 100, [TenderLine("cash", 100)])
    counter.hall.clock.advance(hours=3)
    take_payment(t, counter.hall.cashier, "3101000004", 250, [TenderLine("cash", 250)])
    bodies = [b for k, b in _outbox_bodies(counter) if k == "payment"]
    assert [b["created_at"] for b in bodies] == ["2026-03-02T02:00:00", "2026-03-02T05:00:00"]  # naive UTC
    return bodies


def test_a_created_at_with_a_utc_offset_is_kept_in_utc_and_the_hall_day_still_answers(counter, seeded):
    first, second = _two_payments(counter)
    assert _push(counter, "payment", first).json()["results"][0]["status"] == "accepted"
    offset = dict(second, created_at=_as_shanghai(second["created_at"]))
    assert offset["created_at"] == "2026-03-02T13:00:00+08:00"
    answer = _push(counter, "payment", offset)
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "accepted", answer.text
    # The same instant written as the terminal writes it is the same document: a retry, not a conflict.
    again = _push(counter, "payment", second)
    assert again.json()["results"][0]["status"] == "duplicate", again.text
    with seeded.db.sessions() as s:
        stored = json.loads(s.scalar(select(Document.body).where(Document.id == second["id"])))
    assert stored["created_at"] == "2026-03-02T05:00:00"

    day = counter.client.http.get("/hall/day", params={"date": DAY.isoformat()})
    assert day.status_code == 200, day.text
    hours = {h["at"]: (h["payments"], h["net_fen"]) for h in day.json()["terminals"][0]["by_hour"]}
    assert hours == {"2026-03-02T02:00:00": (1, 100), "2026-03-02T05:00:00": (1, 250)}


def test_one_stored_document_with_an_offset_timestamp_does_not_break_the_hall_day(counter, seeded):
    """A document stored before offsets were normalised (or written by an adapter) is read in UTC."""
    first, second = _two_payments(counter)
    counter.syncer.run_once()
    with seeded.db.transaction() as s:
        s.execute(update(Document).where(Document.id == second["id"]).values(
            body=json.dumps(dict(second, created_at="2026-03-02T13:30:00+08:00"), ensure_ascii=False)))
    day = counter.client.http.get("/hall/day", params={"date": DAY.isoformat()})
    assert day.status_code == 200, day.text
    t01 = day.json()["terminals"][0]
    assert (t01["payments"], t01["by_tender"]) == (2, {"cash": 350})
    assert {h["at"]: h["payments"] for h in t01["by_hour"]} == {"2026-03-02T02:00:00": 1, "2026-03-02T05:00:00": 1}


def _with_lone_surrogate(body: dict, where: str) -> dict:
    bad = json.loads(json.dumps(body))
    if where == "cashier":
        bad["cashier"] = "王\ud800芳"
    elif where == "tender_reference":
        bad["tenders"][0]["reference"] = "RRN\udfff1"
    elif where == "approval_reason":
        bad["approval"] = {"id": 1, "approved_by": 2, "reason": "\ud83d"}  # half of an emoji's pair
    elif where == "id":
        bad["id"] = "\ud800" + bad["id"][1:]
    elif where == "field_name":
        bad["note\ud800"] = "x"
    return bad


@pytest.mark.parametrize("where", ["cashier", "tender_reference", "approval_reason", "id", "field_name"])
def test_a_lone_surrogate_in_a_pushed_string_is_refused_422_and_nothing_is_stored(counter, seeded, where):
    t = counter.hall.terminal
    shifts.open_shift(t, counter.hall.cashier, FLOAT)
    take_payment(t, counter.hall.cashier, "3101000002", 100, [TenderLine("cash", 100)])
    (kind, body), = [(k, b) for k, b in _outbox_bodies(counter) if k == "payment"]
    # Sent as the JSON escape "\ud800": valid JSON text, but not a Unicode string.
    raw = json.dumps({"items": [{"kind": kind, "body": _with_lone_surrogate(body, where)}]})
    assert "\\ud8" in raw or "\\udf" in raw
    refused = counter.client.http.post("/push", content=raw.encode("ascii"),
                                       headers={"Content-Type": "application/json"})
    assert refused.status_code == 422, refused.text
    detail = refused.json()["detail"]
    assert detail["code"] == "not_unicode"
    assert "surrogate" in detail["message"] and "UTF-8" in detail["message"]
    with seeded.db.sessions() as s:
        assert s.scalars(select(Document)).all() == []
    accepted = _push(counter, kind, body)
    assert accepted.status_code == 200 and accepted.json()["results"][0]["status"] == "accepted"


def test_a_lone_surrogate_in_a_cash_movement_reason_is_refused_422(counter, seeded):
    t = counter.hall.terminal
    shifts.open_shift(t, counter.hall.cashier, FLOAT)
    shifts.move_cash(t, counter.hall.cashier, "out", "turn_in", 1000, "交班长")
    (kind, body), = [(k, b) for k, b in _outbox_bodies(counter) if k == "cash_movement"]
    raw = json.dumps({"items": [{"kind": kind, "body": dict(body, reason="交\udc00班长")}]})
    refused = counter.client.http.post("/push", content=raw.encode("ascii"),
                                       headers={"Content-Type": "application/json"})
    assert (refused.status_code, refused.json()["detail"]["code"]) == (422, "not_unicode"), refused.text
    with seeded.db.sessions() as s:
        assert s.scalars(select(Document)).all() == []
