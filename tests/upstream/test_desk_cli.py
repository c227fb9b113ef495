"""cashier-upstream alarms / conflicts / refused (issue 15, point 9): the upstream's operator sees what the
push held and settles it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from cashier import shifts
from cashier.payments import TenderLine, take_payment
from cashier.store.models import OutboxEntry
from tests.helpers.hall import add_account
from upstream import alarms
from upstream.cli import main as upstream_cli
from upstream.models import Alarm, Conflict, Document

FLOAT = {10000: 5}


def run(capsys, db, *argv) -> tuple[int, str, str]:
    code = upstream_cli([*argv, "--db", db.url])
    out, err = capsys.readouterr()
    return code, out, err


def _a_conflict_and_a_refusal(c) -> tuple[str, str]:
    """(the payment whose id came twice with different bodies, the payment refused for its account)."""
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    paid = take_payment(c.hall.terminal, c.hall.cashier, "3101000002", 2500, [TenderLine("cash", 2500)])
    with c.hall.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload)))
    c.syncer.run_once()
    forged = dict(body, amount_fen=250000, prepaid_credit_fen=250000, tendered_fen=250000,
                  tenders=[{"kind": "cash", "amount_fen": 250000, "reference": None}])
    assert c.client.push([{"kind": "payment", "body": forged}]).results[0].status == "conflict"
    add_account(c.hall.store, "3101000099", bills=[("202602", 8800, date(2026, 3, 25))])
    refused = take_payment(c.hall.terminal, c.hall.cashier, "3101000099", 8800, [TenderLine("cash", 8800)])
    assert c.syncer.run_once().pushed == {"rejected": 1}
    return paid.payment_id, refused.payment_id


def test_the_operator_lists_shows_and_clears_alarms_and_settles_a_conflict(counter, seeded, capsys):
    db = seeded.db
    paid_id, _ = _a_conflict_and_a_refusal(counter)
    code, out, err = run(capsys, db, "alarms")  # no action: the list
    assert code == 0 and "conflict" in out and paid_id in out and "1 open" in err
    [alarm] = alarms.list_alarms(db, kind="conflict", open_only=True, terminal="T01")
    assert alarms.list_alarms(db, terminal="T99") == []
    code, out, _ = run(capsys, db, "alarms", "show", str(alarm.id))
    assert code == 0 and "why:      id_reused (同一单据号已以不同内容上传过，上级系统保留先到的那份)" in out

    code, out, err = run(capsys, db, "conflicts", "list", "--open")
    assert code == 0 and paid_id in out and "id_reused" in out and "1 open" in err
    [conflict] = alarms.list_conflicts(db)
    code, out, _ = run(capsys, db, "conflicts", "show", str(conflict.id))
    assert code == 0 and f"kept:     {paid_id} (accepted)" in out
    assert "amount_fen: held 250000  |  kept 2500" in out and "never applied" in out

    code, out, _ = run(capsys, db, "conflicts", "resolve", str(conflict.id), "--note", "伪造的重放，已报安全组")
    assert code == 0 and "settled:" in out and "伪造的重放" in out
    with db.sessions() as s:
        assert s.get(Conflict, conflict.id).resolved_at is not None
        assert s.get(Alarm, alarm.id).cleared_at is not None
        assert json.loads(s.get(Alarm, alarm.id).detail)["cleared"]["note"] == "伪造的重放，已报安全组"
    code, _, err = run(capsys, db, "conflicts", "resolve", str(conflict.id), "--note", "again")
    assert code == 1 and "was settled" in err
    code, _, err = run(capsys, db, "alarms", "clear", str(alarm.id), "--note", "again")
    assert code == 1 and "was cleared" in err
    code, _, err = run(capsys, db, "alarms", "clear", "99999", "--note", "x")
    assert code == 1 and "no alarm 99999" in err
    code, _, err = run(capsys, db, "alarms", "list", "--open")
    assert code == 0 and "0 open" in err


def test_the_operator_reopens_a_refusal_and_only_a_refusal(counter, seeded, capsys):
    db = seeded.db
    paid_id, refused_id = _a_conflict_and_a_refusal(counter)
    code, out, err = run(capsys, db, "refused", "list", "--terminal", "T01")
    assert code == 0 and refused_id in out and "unknown_account" in out and "1 refused" in err
    code, _, err = run(capsys, db, "refused", "reopen", paid_id, "--note", "不该")
    assert code == 1 and "not refused" in err  # an accepted document is never forgotten
    code, _, err = run(capsys, db, "refused", "reopen", refused_id, "--note", "  ")
    assert code == 1 and "note is required" in err
    code, out, _ = run(capsys, db, "refused", "reopen", refused_id, "--note", "新户已建档")
    assert code == 0 and "reopened" in out
    with db.sessions() as s:
        assert s.get(Document, refused_id) is None and s.get(Document, paid_id).status == "accepted"
        record = s.scalar(select(Alarm).where(Alarm.kind == "reopened"))
    assert record.subject == refused_id and record.cleared_at is not None
    assert json.loads(record.detail)["reason"] == "unknown_account" and json.loads(record.detail)["note"] == "新户已建档"
    code, _, err = run(capsys, db, "refused", "list")
    assert code == 0 and "0 refused" in err
