"""Importing a utility's export; the worker's backoff; the offline exposure cap."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cashier import shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, take_payment
from cashier.settings import SyncSettings
from cashier.sync.client import SyncError, UpstreamClient
from cashier.sync.engine import Syncer, read_status, set_state
from cashier.sync.worker import SyncWorker, backoff_delay
from tests.helpers.hall import make_hall, standard_accounts
from upstream.cli import main as upstream_main
from upstream.db import Database
from upstream.models import Account, Bill

ACCOUNTS_CSV = """\ufeffaccount_no,name,address,phone,customer_class,prepaid_meter,collector
3101000001,张三明,城关镇人民路3号,13812345678,residential,否,刘建国
3101000002,兴盛五金店,城关镇解放路8号,,commercial,是,刘建国
"""
BILLS_CSV = """bill_no,account_no,period,kwh,principal_fen,due_date,outstanding_fen
B1,3101000001,202601,200,11000,2026-02-25,11000
B2,3101000002,202601,900,49500,2026-02-20,0
"""


def test_import_csv_then_refuses_bad_rows_naming_them(tmp_path: Path, capsys):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS_CSV, encoding="utf-8")
    (tmp_path / "bills.csv").write_text(BILLS_CSV, encoding="utf-8")
    db_file = str(tmp_path / "up.db")
    assert upstream_main(["import", "--db", db_file, str(tmp_path / "accounts.csv"), str(tmp_path / "bills.csv")]) == 0
    assert "imported 2 accounts and 2 bills" in capsys.readouterr().out
    bad = BILLS_CSV + "B3,3101000001,202613,10,500,2026-02-25,400\nB4,9999999999,202601,10,500,2026-02-25,600\n"
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    assert upstream_main(["import", "--db", db_file, str(tmp_path / "bad.csv")]) == 1
    err = capsys.readouterr().err
    assert "bad.csv line 4: period" in err
    assert "bad.csv line 5: row: Value error, outstanding cannot exceed the principal" in err
    db = Database(db_file)
    with db.sessions() as s:  # nothing of the bad file went in
        assert s.scalar(select(func.count()).select_from(Bill)) == 2
        assert s.scalar(select(Account.prepaid_meter).where(Account.account_no == "3101000002")) is True
    (tmp_path / "orphan.json").write_text('{"bills": [{"bill_no": "B9", "account_no": "3101999999", "period": "202601",'
                                          ' "kwh": 1, "principal_fen": 55, "due_date": "2026-02-25", '
                                          '"outstanding_fen": 55}]}', encoding="utf-8")
    assert upstream_main(["import", "--db", db_file, str(tmp_path / "orphan.json")]) == 1
    assert "account 3101999999 is neither in the upstream nor in this import" in capsys.readouterr().err
    db.dispose()


def test_backoff_is_capped_exponential_with_full_jitter():
    assert backoff_delay(1, base=1, cap=300, rng=lambda: 1.0) == 2
    assert backoff_delay(5, base=1, cap=300, rng=lambda: 1.0) == 32
    assert backoff_delay(50, base=1, cap=300, rng=lambda: 1.0) == 300
    assert backoff_delay(50, base=1, cap=300, rng=lambda: 0.0) == 0
    rng = random.Random(3)
    delays = [backoff_delay(4, base=1, cap=300, rng=rng.random) for _ in range(2000)]
    assert 0 <= min(delays) < 0.1 and 15.9 < max(delays) <= 16
    assert 7 < sum(delays) / len(delays) < 9  # uniform on [0, 16]


def test_worker_keeps_retrying_an_unreachable_upstream_and_reports(tmp_path: Path):
    h = make_hall(tmp_path)
    client = UpstreamClient("http://127.0.0.1:9", "token", timeout=1)  # nothing listens on port 9
    seen = []
    worker = SyncWorker(Syncer(h.store, client, clock=h.clock), interval=5, backoff_cap=0.01,
                        on_round=lambda report, error: seen.append(error))
    for _ in range(3):
        assert worker.step() <= 0.01
    assert worker.failures == 3 and all(e is not None for e in seen)
    with h.store.read() as s:
        status = read_status(s, configured=True)
    assert not status.online and "ConnectError" in status.last_error
    assert status.offline_since == h.clock.now()
    client.close()


def test_offline_exposure_cap_needs_a_supervisor(tmp_path: Path):
    h = make_hall(tmp_path)
    standard_accounts(h.store)
    t = h.terminal
    t.exposure = SyncSettings(max_offline_hours=24, max_unsynced_fen=20000)
    with h.store.transaction() as s:
        set_state(s, last_success_at=h.clock.now())
    shift = shifts.open_shift(t, h.cashier, {10000: 5})
    take_payment(t, h.cashier, "3101000003", 15000, [TenderLine("cash", 15000)])
    with pytest.raises(DomainError) as over:
        take_payment(t, h.cashier, "3101000003", 6000, [TenderLine("cash", 6000)])
    assert over.value.key == "sync.exposure_exceeded" and "￥210.00" in str(over.value)
    h.approve("offline_exposure", shift, "网络故障，已报修", amount_fen=100000)
    take_payment(t, h.cashier, "3101000003", 6000, [TenderLine("cash", 6000)])
    # Time offline counts too: two days later, on a new shift, the approval of the old one does not carry over.
    with h.store.transaction() as s:
        set_state(s, last_success_at=h.clock.now() - timedelta(hours=30))
    shifts.close_shift(t, h.cashier, {10000: 5, 1000: 21})
    shifts.open_shift(t, h.cashier, {10000: 5})
    with pytest.raises(DomainError) as late:
        take_payment(t, h.cashier, "3101000003", 100, [TenderLine("cash", 100)])
    assert "30 小时" in str(late.value)


def test_an_upstream_that_leaves_items_unanswered_stops_the_round_and_they_stay_pending(tmp_path: Path):
    """A third-party adapter with a bug (faked here, as it cannot exist here): nothing is lost or looped on."""
    import httpx

    from cashier.store.models import OutboxEntry

    h = make_hall(tmp_path)
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    first = take_payment(h.terminal, h.cashier, "3101000003", 1000, [TenderLine("cash", 1000)])
    take_payment(h.terminal, h.cashier, "3101000003", 2000, [TenderLine("cash", 2000)])
    calls = []

    def half_answers(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(200, json={"results": [{"id": first.payment_id, "status": "accepted"}],
                                         "contiguous_seq": 1, "server_time": "2026-03-02T02:00:00Z"})

    client = UpstreamClient("https://adapter.invalid", "t", transport=httpx.MockTransport(half_answers))
    with pytest.raises(SyncError, match="answered 1 of 2"):
        Syncer(h.store, client, clock=h.clock).run_once()
    assert calls == ["/v1/push"]
    with h.store.read() as s:
        assert sorted(s.scalars(select(OutboxEntry.status))) == ["accepted", "pending"]
