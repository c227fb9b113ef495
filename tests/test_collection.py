"""Arrears early warning and collection responsibility, checked against independent SQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from cashier import collection
from admin.cli import main
from cashier.auth import Actor, Role
from cashier.clock import FixedClock
from cashier.demo.seed import seed_database
from cashier.errors import DomainError
from cashier.store import Store
from cashier.terminal import Terminal
from tests.helpers.db import sql

ON = date(2026, 11, 27)


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    path = tmp_path_factory.mktemp("hall") / "cashier.db"
    seed_database(path, 2000, seed=11, as_of=ON)
    store = Store.open(path)
    yield path, store
    store.close()



def test_arrears_buckets_equal_an_independentsql(hall):
    path, store = hall
    with store.read() as s:
        report = collection.arrears(s, ON)
    rows = sql(path, """
        SELECT julianday(?) - julianday(min(b.due_date)), sum(b.outstanding_fen)
        FROM bills b WHERE b.outstanding_fen > 0 AND b.due_date < ? GROUP BY b.account_id""", ON.isoformat(), ON.isoformat())
    expected = {label: [0, 0] for label in report.buckets}
    for days, principal in rows:
        days = int(days)
        label = next(collection.bucket_label(lo, hi) for lo, hi in collection.BUCKETS if hi is None or days <= hi)
        expected[label][0] += 1
        expected[label][1] += principal
    assert {k: [v["accounts"], v["principal_fen"]] for k, v in report.buckets.items()} == expected
    assert len(report.accounts) == len(rows) > 50
    assert report.principal_fen == sum(p for _, p in rows)
    assert report.penalty_fen > 0 and all(a.penalty_fen >= 0 for a in report.accounts)
    assert report.accounts[0].overdue_days == max(int(d) for d, _ in rows)  # the oldest first


def test_disconnection_candidates_need_both_the_age_and_an_old_enough_notice(hall):
    path, store = hall
    with store.read() as s:
        before = collection.arrears(s, ON)
    old = [a.account_no for a in before.accounts if a.overdue_days >= 30][:3]
    young = [a.account_no for a in before.accounts if a.overdue_days < 30][:1]
    clock = FixedClock(at=datetime(2026, 11, 17, 2, 0))
    t = Terminal(store=store, clock=clock)
    supervisor = Actor(3, "super1", "陈静", Role.SUPERVISOR)
    assert collection.record_notices(t, supervisor, old[:2] + young + ["0000000000"]) == 3
    clock.at = datetime(2026, 11, 25, 2, 0)
    collection.record_notices(t, supervisor, old[2:])  # two days ago: too recent
    with pytest.raises(DomainError):
        collection.record_notices(t, Actor(1, "cashier1", "李娜", Role.CASHIER), old)
    with store.read() as s:
        report = collection.arrears(s, ON)
    assert sorted(a.account_no for a in report.candidates) == sorted(old[:2])


def test_collection_rates_equal_an_independent_sql_and_rank_by_rate(hall):
    path, store = hall
    start, end = date(2026, 5, 1), date(2026, 10, 31)
    with store.read() as s:
        report = collection.collection(s, start, end, ON)
    rows = sql(path, """
        SELECT coalesce(a.collector, '(未指定)'), count(DISTINCT a.id), sum(b.principal_fen),
               sum(b.principal_fen - b.outstanding_fen)
        FROM bills b JOIN accounts a ON a.id = b.account_id
        WHERE b.due_date BETWEEN ? AND ? GROUP BY 1""", start.isoformat(), end.isoformat())
    assert {x.key: (x.accounts, x.billed_fen, x.collected_fen) for x in report.by_collector} == \
        {k: (n, billed, got) for k, n, billed, got in rows}
    rates = [x.rate for x in report.by_collector]
    assert rates == sorted(rates, reverse=True)
    assert report.total.billed_fen == sum(r[2] for r in rows)
    assert sum(x.billed_fen for x in report.by_area) == report.total.billed_fen
    with pytest.raises(DomainError) as future:
        collection.collection(s, ON + timedelta(days=1), ON + timedelta(days=30), ON)
    assert future.value.key == "report.future_period"


def test_report_command_line_json(hall, capsys, tmp_path):
    import json
    import shutil

    path, _ = hall
    d = tmp_path / "d"
    d.mkdir()
    shutil.copyfile(path, d / "cashier.db")
    assert main(["--data-dir", str(d), "report", "arrears", "--on", ON.isoformat(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["buckets"]) == {"1-15", "16-30", "31-60", "61-90", ">90"}
    assert data["accounts_in_arrears"] == sum(b["accounts"] for b in data["buckets"].values())
    assert main(["--data-dir", str(d), "report", "collection", "--from", "2026-01-01", "--to", "2026-01-31",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["billed_fen"] == sum(x["billed_fen"] for x in data["by_collector"])
    whole = data
    name = whole["by_collector"][0]["key"]
    assert main(["--data-dir", str(d), "report", "collection", "--from", "2026-01-01", "--to", "2026-01-31",
                 "--collector", name, "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert [x["key"] for x in one["by_collector"]] == [name]
    assert one["total"]["billed_fen"] == whole["by_collector"][0]["billed_fen"]
    assert main(["--data-dir", str(d), "report", "collection", "--from", "2026-01-01", "--to", "2026-01-31",
                 "--collector", "查无此人"]) == 3
    assert "查无此人" in capsys.readouterr().err
    assert main(["--data-dir", str(d), "report", "collection", "--from", "2026-03-01", "--to", "2026-02-01"]) == 3
    assert "晚于" in capsys.readouterr().err
