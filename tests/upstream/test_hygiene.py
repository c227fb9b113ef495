"""The service's own hygiene: credentials before the body, a bounded body, bounded CLI options."""

from __future__ import annotations

import json
import socket
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from cashier import shifts
from cashier.money import MAX_AMOUNT_FEN
from cashier.payments import TenderLine, take_payment
from cashier.store.models import OutboxEntry
from cashier.sync import protocol as p
from cashier.sync.client import Refused, UpstreamClient
from upstream import server, terminals
from upstream.app import DEFAULT_MAX_BODY
from upstream.cli import MAX_VALID_HOURS, main
from upstream.db import Database
from upstream.models import Document, EnrollmentCode

FIFTY_MB = 50 * 1024 * 1024


def _token(db) -> str:
    return terminals.enroll(db, terminals.create_enrollment_code(db, "DEMO01", "T01")).token


def _answer_to_headers_only(url: str, head: str, body_prefix: bytes = b"") -> tuple[int, dict]:
    """Send a request's head (and maybe a first part of its body), never the rest; return the server's answer.

    A server that waits for the body it was promised never answers: the read times out and the test fails."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body_prefix)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                pytest.fail("the server did not answer before the body was sent: it waits to read it")
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received:
                head_end = received.index(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in received[:head_end].split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                if len(received) >= head_end + 4 + length:
                    break
    head_bytes, _, body = received.partition(b"\r\n\r\n")
    return int(head_bytes.split(b" ")[1]), json.loads(body)


def _push_head(url: str, length_header: str, token: str | None = None) -> str:
    auth = f"Authorization: Bearer {token}\n" if token else ""
    return (f"POST /v1/push HTTP/1.1\nHost: {urlsplit(url).netloc}\nContent-Type: application/json\n{auth}"
            f"{length_header}\n")


@pytest.mark.parametrize("token", [None, "not-a-terminal-token"])
def test_an_unauthenticated_50_mb_body_is_refused_before_it_is_read(running, token):
    status, answer = _answer_to_headers_only(running.url, _push_head(running.url, f"Content-Length: {FIFTY_MB}", token))
    assert status == 401
    assert answer["detail"]["code"] in ("unauthenticated", "bad_credentials")


def test_a_revoked_terminal_is_refused_before_its_body_is_read(running):
    token = _token(running.db)
    terminals.revoke(running.db, "T01")
    status, answer = _answer_to_headers_only(running.url, _push_head(running.url, f"Content-Length: {FIFTY_MB}", token))
    assert (status, answer["detail"]["code"]) == (401, "bad_credentials")


def test_an_authenticated_body_declared_over_the_cap_is_refused_413_unread(running):
    token = _token(running.db)
    status, answer = _answer_to_headers_only(running.url, _push_head(running.url, f"Content-Length: {FIFTY_MB}", token))
    assert status == 413
    assert answer["detail"]["code"] == "body_too_large"
    assert str(DEFAULT_MAX_BODY) in answer["detail"]["message"]


def test_a_chunked_body_is_counted_as_it_streams_and_refused_past_the_cap(upstream_db):
    up = server.start(upstream_db, max_body=4096)
    try:
        token = _token(upstream_db)
        chunks = b"".join(b"400\r\n" + b" " * 1024 + b"\r\n" for _ in range(5))  # 5 KiB, never the last chunk
        status, answer = _answer_to_headers_only(up.url, _push_head(up.url, "Transfer-Encoding: chunked", token), chunks)
        assert (status, answer["detail"]["code"]) == (413, "body_too_large")
    finally:
        up.server.should_exit = True
        up.thread.join(10)


def test_the_terminal_client_is_told_413_and_bodies_under_the_cap_still_go_through(upstream_db):
    up = server.start(upstream_db, max_body=4096)
    try:
        with UpstreamClient(up.url, _token(upstream_db), timeout=5) as client:
            with pytest.raises(Refused) as refused:
                client.push([{"kind": "payment", "body": {"cashier": "x" * 5000}}])
            assert (refused.value.status, refused.value.code) == (413, "body_too_large")
            # Under the cap the request reaches the protocol's checks, and a chunked one too.
            with pytest.raises(Refused) as malformed:
                client.push([{"kind": "payment", "body": {"cashier": "x" * 3000}}])
            assert malformed.value.status == 422
            chunked = client.http.post("/push", content=iter([b'{"items":', b"[]}"]),
                                       headers={"Content-Type": "application/json"})
            assert chunked.status_code == 422 and "items" in chunked.text
            assert client.hall_day(date(2026, 3, 1)).hall_code == "DEMO01"
    finally:
        up.server.should_exit = True
        up.thread.join(10)


def _largest_payment(i: int) -> dict:
    """A reversal at every maximum the protocol admits; text in 4-byte characters, the longest in UTF-8."""
    emoji = "\U0001F600"
    uuid = f"00000000-0000-0000-0000-{i:012d}"
    tender = {"kind": "cash", "amount_fen": MAX_AMOUNT_FEN // 12, "reference": emoji * 64}
    allocation = {"bill_id": 2**63 - 1, "period": "202601", "penalty_fen": MAX_AMOUNT_FEN,
                  "penalty_waived_fen": MAX_AMOUNT_FEN, "principal_fen": MAX_AMOUNT_FEN}
    return {"id": uuid, "kind": "reversal", "terminal_id": "T" * 16, "hall_code": "H" * 32, "seq": 2**31 - 1,
            "shift_id": uuid, "account_no": "9" * 20, "business_date": "2026-01-01",
            "created_at": "2026-01-01T00:00:00.000000+08:00", "cashier": emoji * 64, "amount_fen": MAX_AMOUNT_FEN,
            "applied_fen": MAX_AMOUNT_FEN, "prepaid_credit_fen": 0, "tendered_fen": MAX_AMOUNT_FEN // 12 * 12,
            "change_fen": 0, "penalty_waived_fen": MAX_AMOUNT_FEN, "reconnect_requested": False, "reverses_id": uuid,
            "prepaid_balance_after_fen": MAX_AMOUNT_FEN,
            "approval": {"id": 2**63 - 1, "approved_by": 2**63 - 1, "reason": emoji * 200},
            "tenders": [tender] * 12, "allocations": [allocation] * 240}


def test_the_default_cap_admits_the_largest_push_batch_the_protocol_allows():
    batch = {"items": [{"kind": "reversal", "body": _largest_payment(i)} for i in range(p.MAX_BATCH)]}
    p.PushRequest.model_validate(batch)  # valid: the server must never answer it 413
    as_the_terminal_sends_it = httpx.Request("POST", "http://upstream/v1/push", json=batch).content
    assert len(as_the_terminal_sends_it) <= DEFAULT_MAX_BODY
    assert len(json.dumps(batch).encode("ascii")) <= DEFAULT_MAX_BODY  # every character escaped, spaced separators


# --- enroll-code --valid-hours ----------------------------------------------------------------------------


def _codes(path: Path) -> list[EnrollmentCode]:
    if not path.exists():
        return []
    db = Database(str(path))
    try:
        with db.sessions() as s:
            return s.scalars(select(EnrollmentCode)).all()
    finally:
        db.dispose()


@pytest.mark.parametrize("hours", ["-5", "0", "721", "99999999999", "1e3", "abc", ""])
def test_enroll_code_refuses_validity_outside_one_hour_to_thirty_days(tmp_path, capsys, monkeypatch, hours):
    db_path = tmp_path / "upstream.db"
    Database(str(db_path)).dispose()  # a real upstream database, already there
    args = ["enroll-code", "--db", str(db_path), "--hall", "DEMO01", "--terminal", "T01", "--valid-hours", hours]
    for lang, said in (("zh", f"注册码有效时长“{hours}”无效：应为 1 到 {MAX_VALID_HOURS} 之间的整数小时"),
                       ("en", f'Invalid code validity "{hours}": a whole number of hours from 1 to {MAX_VALID_HOURS}')):
        monkeypatch.setenv("CASHIER_LANG", lang)
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err
    assert _codes(db_path) == []


@pytest.mark.parametrize("hours", [1, MAX_VALID_HOURS])
def test_enroll_code_makes_a_code_valid_for_the_hours_asked(tmp_path, capsys, hours):
    db_path = tmp_path / "upstream.db"
    assert main(["enroll-code", "--db", str(db_path), "--hall", "DEMO01", "--terminal", "T01",
                 "--valid-hours", str(hours)]) == 0
    code = capsys.readouterr().out.strip()
    (row,) = _codes(db_path)
    assert row.expires_at - row.created_at == timedelta(hours=hours)
    db = Database(str(db_path))
    try:
        assert terminals.enroll(db, code).terminal_id == "T01"
    finally:
        db.dispose()


def test_serve_refuses_a_body_limit_out_of_range(capsys, monkeypatch):
    monkeypatch.setenv("CASHIER_LANG", "en")
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--max-body-mib", "0"])
    assert exit_.value.code == 2
    assert "Invalid request body limit \"0\"" in capsys.readouterr().err


# --- strict types on the wire -----------------------------------------------------------------------------


@pytest.mark.parametrize("field, value", [("amount_fen", "AMOUNT"), ("amount_fen", True), ("tendered_fen", "AMOUNT"),
                                          ("tender", "AMOUNT"), ("allocation", "AMOUNT"), ("seq", "SEQ"),
                                          ("reconnect_requested", "true")])
def test_a_pushed_amount_is_a_json_integer_not_a_string_or_a_boolean(counter, seeded, field, value):
    shifts.open_shift(counter.hall.terminal, counter.hall.cashier, {10000: 5})
    take_payment(counter.hall.terminal, counter.hall.cashier, "3101000002", 1, [TenderLine("cash", 1)])
    with counter.hall.store.read() as s:
        entry = s.scalars(select(OutboxEntry).where(OutboxEntry.kind == "payment")).one()
        kind, body = entry.kind, json.loads(entry.payload)
    typed = {"AMOUNT": str(body["amount_fen"]), "SEQ": str(body["seq"])}.get(value, value) if isinstance(value, str) \
        else value
    bad = json.loads(json.dumps(body))
    if field == "tender":
        bad["tenders"][0]["amount_fen"] = typed
    elif field == "allocation":
        bad["allocations"] = [{"bill_id": 0, "period": "", "penalty_fen": 0, "penalty_waived_fen": 0,
                               "principal_fen": typed}]
    else:
        bad[field] = typed
    refused = counter.client.http.post("/push", json={"items": [{"kind": kind, "body": bad}]})
    assert refused.status_code == 422, refused.text
    assert _documents(seeded.db, Document) == []
    accepted = counter.client.http.post("/push", json={"items": [{"kind": kind, "body": body}]})
    assert accepted.status_code == 200 and accepted.json()["results"][0]["status"] == "accepted"


def _documents(db, model):
    with db.sessions() as s:
        return s.scalars(select(model)).all()
