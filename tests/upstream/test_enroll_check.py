"""``POST /v1/enroll/check``: what a one-time code would enroll, said without using it (issue 17, point 6)."""

from __future__ import annotations

import httpx
import pytest

from cashier.sync.client import Refused, UpstreamClient
from upstream import server, terminals
from upstream.db import Database


@pytest.fixture
def up(tmp_path):
    running = server.start(Database(str(tmp_path / "up.db")))
    yield running
    running.stop()


def test_a_valid_code_names_hall_and_terminal_only_and_stays_usable(up):
    code = terminals.create_enrollment_code(up.db, "3201001", "T03")
    with UpstreamClient(up.url) as client:  # no credentials: a PC being set up has none
        check = client.check_code(code.lower())  # read as the enrollment reads it
        again = client.check_code(code)
        assert (check.hall_code, check.terminal_id) == ("3201001", "T03") == (again.hall_code, again.terminal_id)
        raw = httpx.post(f"{up.url}/v1/enroll/check", json={"code": code}).json()
        assert sorted(raw) == ["expires_at", "hall_code", "terminal_id"]  # nothing more is told
        assert client.enroll(code).terminal_id == "T03"  # the check did not use it
        with pytest.raises(Refused) as used:
            client.check_code(code)
        assert (used.value.status, used.value.code) == (403, "code_used")


@pytest.mark.parametrize("make, expected", [
    (lambda db: "ABCD-EFGH-JKLM", "code_unknown"),
    (lambda db: terminals.create_enrollment_code(db, "3201001", "T04", valid_hours=-1), "code_expired"),
])
def test_unknown_and_expired_codes_are_refused(up, make, expected):
    code = make(up.db)
    with UpstreamClient(up.url) as client, pytest.raises(Refused) as refused:
        client.check_code(code)
    assert (refused.value.status, refused.value.code) == (403, expected)
