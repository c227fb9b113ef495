"""One sync round per data folder at a time, across processes (the counter's worker, cashier-admin sync).

Real processes on one enrolled data folder and a real upstream on a loopback port.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from admin.cli import main as admin
from cashier.settings import Paths, load_settings
from cashier.store import Store
from cashier.sync.round_lock import RoundLock
from cashier.sync.setup import open_syncer
from tests.upstream.conftest import seed_rows
from upstream import server, terminals
from upstream.db import Database
from upstream.importer import write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def upstream(tmp_path: Path):
    db = Database(str(tmp_path / "upstream.db"))
    write(db, *seed_rows(), hall_code="DEMO01")
    up = server.start(db)
    yield up
    up.server.should_exit = True
    up.thread.join(10)
    db.dispose()


def _enrolled_folder(up, folder: Path, capsys) -> Path:
    d = str(folder)
    assert admin(["--data-dir", d, "init"]) == 0
    code = terminals.create_enrollment_code(up.db, "DEMO01", "T01")
    assert admin(["--data-dir", d, "enroll", "--upstream", up.url, "--code", code]) == 0
    assert admin(["--data-dir", d, "sync"]) == 0  # the snapshot: from here on, rounds pull changes
    capsys.readouterr()
    return Paths.resolve(d).database


def _rounds_process(folder: Path, log: Path, rounds: int, hold: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.helpers.sync_rounds", str(folder), str(log), str(rounds),
                             str(hold)], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def _rounds(log: Path) -> list[tuple[int, int, int]]:
    """(pid, start ns, end ns) of every finished round in the log."""
    started: dict[int, int] = {}
    done = []
    for line in log.read_text().splitlines():
        pid, what, ns = line.split()
        if what == "start":
            assert int(pid) not in started, "a round started before the same process's previous one ended"
            started[int(pid)] = int(ns)
        else:
            done.append((int(pid), started.pop(int(pid)), int(ns)))
    return done


def test_two_processes_sync_rounds_never_overlap_and_the_cursor_never_moves_back(upstream, tmp_path, capsys):
    database = _enrolled_folder(upstream, tmp_path / "hall", capsys)
    with sqlite3.connect(database) as con:  # every change of the pull cursor, as the database saw it
        con.executescript("""
            CREATE TABLE test_cursor_moves (old INTEGER, new INTEGER);
            CREATE TRIGGER test_cursor_moved AFTER UPDATE ON sync_state WHEN NEW.key = 'cursor'
            BEGIN INSERT INTO test_cursor_moves VALUES (CAST(OLD.value AS INTEGER), CAST(NEW.value AS INTEGER)); END;
        """)
    con.close()
    _, bills = seed_rows()
    stop = threading.Event()

    def billing_keeps_changing() -> None:  # the utility's side: bills paid elsewhere, new figures, all the time
        n = 0
        while not stop.is_set():
            n += 1
            write(upstream.db, [], [b.model_copy(update={"outstanding_fen": max(0, b.outstanding_fen - n)})
                                    for b in bills[:4]])
            time.sleep(0.005)

    feeder = threading.Thread(target=billing_keeps_changing)
    feeder.start()
    log = tmp_path / "rounds.log"
    try:
        procs = [_rounds_process(tmp_path / "hall", log, 8, 0.03) for _ in range(2)]
        codes = [proc.wait(120) for proc in procs]
    finally:
        stop.set()
        feeder.join()
    assert codes == [0, 0]
    rounds = sorted(_rounds(log), key=lambda r: r[1])
    assert len(rounds) == 16 and {r[0] for r in rounds} == {p.pid for p in procs}
    for earlier, later in zip(rounds, rounds[1:]):
        assert later[1] >= earlier[2], f"round of process {later[0]} started inside a round of process {earlier[0]}"
    with sqlite3.connect(database) as con:
        moves = con.execute("SELECT old, new FROM test_cursor_moves").fetchall()
    con.close()
    assert moves and all(new >= old for old, new in moves), moves


def test_cashier_admin_sync_says_another_sync_is_running_and_a_killed_round_frees_the_folder_at_once(
        upstream, tmp_path, capsys):
    database = _enrolled_folder(upstream, tmp_path / "hall", capsys)
    log = tmp_path / "rounds.log"
    holder = _rounds_process(tmp_path / "hall", log, 1, 60)  # a round that stays inside for a minute
    try:
        deadline = time.monotonic() + 30
        while not (log.exists() and "start" in log.read_text()):
            assert time.monotonic() < deadline and holder.poll() is None
            time.sleep(0.02)
        assert admin(["--data-dir", str(tmp_path / "hall"), "sync"]) == 3
        assert "另一个同步正在进行" in capsys.readouterr().err
        assert admin(["--lang", "en", "--data-dir", str(tmp_path / "hall"), "sync"]) == 3
        assert "Another sync of this data folder is running" in capsys.readouterr().err
        loaded = load_settings(Paths.resolve(tmp_path / "hall"))
        store = Store.open(database)
        syncer = open_syncer(loaded, store)
        try:  # the counter's account check gives up after its short wait rather than wait for the round
            started = time.monotonic()
            assert syncer.refresh_account("3101000001", timeout=2, wait_for_round=0.3) is None
            assert time.monotonic() - started < 1.5
        finally:
            syncer.client.close()
            store.close()
    finally:
        holder.send_signal(signal.SIGKILL)  # a crash in the middle of the round
        holder.wait(10)
    lock = RoundLock(database)
    assert lock.acquire(timeout=0), "the dead process's round lock is still taken"
    lock.release()
    started = time.monotonic()
    assert admin(["--data-dir", str(tmp_path / "hall"), "sync"]) == 0
    assert time.monotonic() - started < 2  # no wait for a lock: it went with the process
