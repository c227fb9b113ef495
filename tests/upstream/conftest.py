"""Upstream fixtures: the service on SQLite and on real PostgreSQL, running on a loopback port."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cashier.clock import Clock, FixedClock
from cashier.sync.client import UpstreamClient
from cashier.sync.engine import Syncer
from cashier.sync.protocol import AccountRow, BillRow
from tests.helpers import pg
from tests.helpers.hall import START, make_hall
from upstream import server, terminals
from upstream.checks import Plausibility
from upstream.db import Database
from upstream.importer import write


@pytest.fixture(params=["sqlite", "postgresql"])
def upstream_db(request, tmp_path: Path):
    if request.param == "sqlite":
        db = Database(str(tmp_path / "upstream.db"))
        yield db
        db.dispose()
    else:
        url = pg.create_database()
        db = Database(url)
        yield db
        db.dispose()
        pg.drop_database(url)


def start_upstream(db: Database, **kwargs) -> server.RunningUpstream:
    """The upstream on a loopback port, its clock the test's world clock ``up.clock`` (START, moved by the
    test): the terminals of ``Counter_`` share it, so a payment is dated as the upstream expects."""
    clock = FixedClock(timezone="Asia/Shanghai", at=START)
    up = server.start(db, plausible=Plausibility(clock=lambda: clock.now()), **kwargs)
    up.clock = clock  # type: ignore[attr-defined]
    return up


@pytest.fixture
def running(upstream_db):
    up = start_upstream(upstream_db)
    yield up
    up.server.should_exit = True
    up.thread.join(10)


def seed_rows(n: int = 6) -> tuple[list[AccountRow], list[BillRow]]:
    """n accounts 31010000xx; the odd ones owe two bills (Jan, Feb 2026), the even ones nothing."""
    accounts, bills = [], []
    for i in range(1, n + 1):
        no = f"31010000{i:02d}"
        accounts.append(AccountRow(account_no=no, name=f"张{'三四五六七八九'[i % 7]}明", address=f"城关镇人民路{i}号",
                                   customer_class="residential" if i % 3 else "commercial",
                                   supply_status="disconnected" if i == 3 else "normal", collector="刘建国"))
        if i % 2:
            bills.append(BillRow(bill_no=f"B{no}202601", account_no=no, period="202601", kwh=200,
                                 principal_fen=11000 + i, due_date=date(2026, 2, 25), outstanding_fen=11000 + i))
            bills.append(BillRow(bill_no=f"B{no}202602", account_no=no, period="202602", kwh=180,
                                 principal_fen=9900 + i, due_date=date(2026, 3, 25), outstanding_fen=9900 + i))
    return accounts, bills


class Counter_:
    """A terminal enrolled with the upstream: its own hall (store, users, clock) and a syncer."""

    def __init__(self, folder: Path, up, terminal_id: str = "T01", url: str | None = None,
                 clock: Clock | None = None) -> None:
        """``clock``: the terminal's; by default the upstream's world clock (``up.clock``) when it has one."""
        self.hall = make_hall(folder, terminal_id=terminal_id, clock=clock or getattr(up, "clock", None))
        self.hall.terminal.hall_code = "DEMO01"
        code = terminals.create_enrollment_code(up.db, "DEMO01", terminal_id)
        with UpstreamClient(up.url) as c:
            self.token = c.enroll(code).token
        self.client = UpstreamClient(url or up.url, self.token, timeout=5)
        self.syncer = Syncer(self.hall.store, self.client, clock=self.hall.clock)

    def close(self) -> None:
        self.client.close()
        self.hall.store.close()


@pytest.fixture
def seeded(running):
    write(running.db, *seed_rows(), hall_code="DEMO01")
    return running


@pytest.fixture
def counter(seeded, tmp_path: Path):
    c = Counter_(tmp_path / "t01", seeded)
    c.syncer.run_once()  # snapshot
    yield c
    c.close()
