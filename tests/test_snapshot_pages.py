"""Snapshot pages read in worker processes (cashier/sync/snapshot_pages.py): the same rows and refusals as a page
read in place; workers that break leave the pages to this process; workers never outlive the terminal's process.

Real worker processes (spawn), real page bodies as the upstream writes them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from cashier.sync import protocol as p
from cashier.sync.client import Unreachable
from cashier.sync.snapshot_pages import PageReaders, read_page

ROOT = Path(__file__).resolve().parents[1]


def _body(n: int = 3, *, stray_bill: bool = False) -> bytes:
    accounts = [p.AccountRow(account_no=f"31010000{i:02d}", name=f"张{i}明", address=f"城关镇人民路{i}号·{i}室",
                             phone=f"1390000{i:04d}", customer_class="residential") for i in range(1, n + 1)]
    bills = [p.BillRow(bill_no=f"B{a.account_no}", account_no=a.account_no, period="202601", kwh=100,
                       principal_fen=5000 + i, due_date=date(2026, 2, 25), outstanding_fen=5000 + i,
                       reading_start="100", reading_end="200") for i, a in enumerate(accounts)]
    if stray_bill:
        bills.append(bills[0].model_copy(update={"bill_no": "B9", "account_no": "3101009999"}))
    return p.SnapshotPage(accounts=accounts, bills=bills, as_of=7, next_after=None).model_dump_json().encode()


@pytest.fixture
def readers():
    made = PageReaders(workers=1)
    yield made
    made.close()


def test_a_page_read_by_a_worker_is_the_page_read_in_place_and_refused_alike(readers):
    for with_tokens in (False, True):
        here, there = read_page(_body(), with_tokens), readers.submit(_body(), with_tokens).result()
        assert there == here
        assert here.accounts[1][:5] == ("3101000002", "张2明", "城关镇人民路2号·2室", "13900000002", "20000000931")
        # the TABLES shape names a bill's account by its place on the page, with the account's tokens beside it
        assert [b[1] for b in here.bills] == ([0, 1, 2] if with_tokens else ["3101000001", "3101000002", "3101000003"])
        assert (here.tokens is not None) == with_tokens
    for bad in (_body()[:-40], _body(stray_bill=True)):
        with pytest.raises(Unreachable) as in_place:
            read_page(bad, False)
        with pytest.raises(Unreachable) as in_worker:
            readers.submit(bad, False).result()
        assert str(in_worker.value) == str(in_place.value)


def test_workers_that_die_leave_the_pages_to_this_process(readers, caplog):
    assert readers.submit(_body(), True).result() == read_page(_body(), True)  # the worker is up
    for pid in list(readers._pool._processes):
        os.kill(pid, signal.SIGKILL)
    answers = [readers.submit(_body(n), True) for n in (2, 3, 4)]
    assert [a.result() for a in answers] == [read_page(_body(n), True) for n in (2, 3, 4)]
    assert readers._pool is None and "worker processes failed" in caplog.text


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().split(") ")[1].startswith("Z"))


@pytest.mark.skipif(sys.platform == "win32", reason="kills by POSIX signal")
def test_workers_end_with_the_terminals_process_when_it_is_killed():
    script = ("import os, signal, sys\n"
              "from tests.test_snapshot_pages import _body\n"
              "from cashier.sync.snapshot_pages import PageReaders\n"
              "r = PageReaders(workers=2)\n"
              "[f.result() for f in [r.submit(_body(), True) for _ in range(4)]]\n"
              "print(' '.join(map(str, r._pool._processes)), flush=True)\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr
    workers = [int(pid) for pid in run.stdout.split()]
    assert workers
    deadline = time.monotonic() + 30  # a bound for the wait, not a figure
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left
