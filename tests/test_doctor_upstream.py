"""cashier-admin doctor against real servers: not any web server, the terminal's credentials, its backlog, its clock.

The upstream is the reference one (its embedded SQLite store) on a loopback port; the terminal is a real data
folder enrolled with the real ``cashier-admin enroll`` and synced with ``cashier-admin sync``.
"""

from __future__ import annotations

import http.server
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest

from admin.cli import main
from sqlalchemy import select

from cashier import shifts
from cashier.auth import Actor, Role
from cashier.clock import Clock, FixedClock
from cashier.doctor import run_checks
from cashier.i18n import set_language
from cashier.payments import TenderLine, take_payment
from cashier.settings import Paths
from cashier.store import Store
from cashier.store.models import User
from cashier.terminal import Terminal
from tests.helpers.hall import make_hall, standard_accounts
from upstream import server, terminals
from upstream.db import Database
from upstream.importer import rows_from_store, write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def lines_of(out: str, prefix: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(prefix)]


@pytest.fixture
def plain_web_server():
    """``python -m http.server``'s handler on a loopback port: answers 200 at / and 404 elsewhere."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def enrolled(tmp_path, capsys):
    """A hall PC enrolled with a running upstream and synced once; one payment taken after it (not uploaded)."""
    data_dir = tmp_path / "hall"
    data_dir.mkdir()
    hall = make_hall(data_dir)
    standard_accounts(hall.store)
    db = Database(str(tmp_path / "upstream.db"))
    write(db, *rows_from_store(data_dir / "cashier.db"), hall_code="DEMO01")
    hall.store.close()
    up = server.start(db)
    code = terminals.create_enrollment_code(db, "DEMO01", "T01")
    assert run(capsys, "--data-dir", str(data_dir), "init")[0] == 0
    rc, out, err = run(capsys, "--data-dir", str(data_dir), "enroll", "--upstream", up.url, "--code", code)
    assert rc == 0, out + err
    rc, out, err = run(capsys, "--data-dir", str(data_dir), "sync")
    assert rc == 0, out + err
    store = Store.open(data_dir / "cashier.db")  # the hall's users as make_hall made them
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == "c1"))
        cashier = Actor(user.id, user.username, user.display_name, Role(user.role))
    terminal = Terminal(store=store, terminal_id="T01", clock=Clock(timezone="Asia/Shanghai"))  # the upstream's now
    shifts.open_shift(terminal, cashier, {10000: 5})
    take_payment(terminal, cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    store.close()
    yield data_dir, db, up
    up.server.should_exit = True
    up.thread.join(10)
    db.dispose()


def test_doctor_fails_on_a_web_server_that_is_not_the_upstream(capsys, tmp_path, plain_web_server):
    data_dir = tmp_path / "pc"
    run(capsys, "--data-dir", str(data_dir), "init")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--lang", "en", "--set",
                       f"upstream.url={plain_web_server}", "doctor")
    upstream = [line for line in out.splitlines() if "upstream:" in line]
    assert code == 1, out
    assert upstream == [f"FAIL upstream: {plain_web_server} answers, but not as the cashier's upstream "
                        "(GET /v1/health gave HTTP 404, text/html); check the address (scheme, host, port, path)"], out


def test_doctor_passes_a_real_upstream_with_good_credentials_and_says_last_sync_and_backlog(capsys, enrolled):
    data_dir, _db, up = enrolled
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--lang", "en", "doctor")
    assert code == 0, out
    assert lines_of(out, "OK   upstream:") == [f"OK   upstream: {up.url} answers (cashier upstream, version 0.1.0)"]
    assert lines_of(out, "OK   terminal credentials:") == [
        "OK   terminal credentials: accepted by the upstream for terminal T01 (hall DEMO01)"], out
    assert lines_of(out, "OK   clock:"), out
    sync = lines_of(out, "OK   sync:")
    assert len(sync) == 1 and "last successful round 20" in sync[0] and "+08:00" in sync[0], out
    assert sync[0].endswith("1 uploads pending (￥292.54)"), out
    assert lines_of(out, "OK   Audit log holds all "), out  # the chain heads the upstream keeps (none pushed yet)


def test_doctor_fails_revoked_credentials_and_says_re_enroll(capsys, enrolled):
    data_dir, db, _up = enrolled
    terminals.revoke(db, "T01")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--lang", "en", "doctor")
    failing = lines_of(out, "FAIL")
    assert code == 1 and len(failing) == 1, out
    assert failing[0].startswith("FAIL terminal credentials: the upstream refused this terminal's credentials "
                                 "(T01, hall DEMO01; HTTP 401 bad_credentials)"), out
    assert "re-enroll (cashier-admin enroll)" in failing[0]
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "doctor")
    assert "重新注册" in lines_of(out, "FAIL")[0]


def test_doctor_without_credentials_says_enroll(capsys, enrolled):
    data_dir, _db, up = enrolled
    (data_dir / "upstream.json").unlink()
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--lang", "en", "doctor")
    assert code == 1
    assert lines_of(out, "FAIL") == [
        f"FAIL terminal credentials: this terminal is not enrolled with {up.url}, so nothing can be uploaded; run "
        f"cashier-admin enroll --upstream {up.url} --code CODE with a one-time code"], out


@pytest.mark.parametrize(("ahead", "status", "words"), [
    (timedelta(seconds=0), "OK", " s from the upstream's (upstream time 20"),
    (timedelta(minutes=3, seconds=30), "WARN", " ahead of the upstream (upstream time 20"),
    (-timedelta(minutes=3, seconds=30), "WARN", " behind the upstream (upstream time 20"),
    (timedelta(minutes=11), "FAIL", " ahead of the upstream, past the 10 min it accepts"),
])
def test_doctor_compares_the_clock_with_the_upstream(enrolled, ahead, status, words):
    data_dir, _db, _up = enrolled
    set_language("en")
    try:
        now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) + ahead
        checks = run_checks(Paths.resolve(data_dir), clock=FixedClock(at=now))
    finally:
        set_language(None)
    clock = [c for c in checks if c.message.startswith("clock:")]
    assert len(clock) == 1 and clock[0].status == status, checks
    assert clock[0].message.startswith("clock: ") and words in clock[0].message, clock[0].message
    if status == "FAIL":
        assert "set the system clock now" in clock[0].message


def test_doctor_finds_a_chain_rewritten_after_the_upstream_anchored_it(capsys, enrolled):
    from cashier.audit import _digest

    data_dir, _db, _up = enrolled
    rc, out, err = run(capsys, "--data-dir", str(data_dir), "sync")  # the payment goes up with the chain head
    assert rc == 0, out + err
    path = data_dir / "cashier.db"
    con = sqlite3.connect(path)
    with con:  # the opening float made larger, and the whole chain recomputed so that it verifies locally
        con.execute("UPDATE audit_log SET detail = replace(detail, '50000', '60000') WHERE action = 'shift.open'")
        prev = "0" * 64
        for entry_id, at, user_id, action, subject, detail in con.execute(
                "SELECT id, at, user_id, action, subject, detail FROM audit_log ORDER BY id").fetchall():
            digest = _digest(entry_id, datetime.fromisoformat(at), user_id, action, subject, detail, prev)
            con.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, entry_id))
            prev = digest
        con.execute("UPDATE sync_state SET value = ? WHERE key = 'audit_head'", (f"{entry_id}:{prev}",))
    con.close()
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "--lang", "en", "doctor")
    assert code == 1, out
    assert lines_of(out, "OK   audit log:"), out  # the chain alone cannot see it ...
    failing = lines_of(out, "FAIL")
    assert len(failing) == 1 and failing[0].startswith("FAIL audit log: Audit log rewritten: entry "), out
