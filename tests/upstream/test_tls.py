"""The link between terminal and upstream (issue 15, point 16): HTTPS, or plain HTTP on this machine only.

Real processes: ``cashier-upstream serve`` with a certificate made here by a hall CA (``tests/helpers/certs.py``),
on real PostgreSQL; the terminal is a data folder driven with ``cashier-admin`` as a technician would.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cashier import firstrun
from admin.cli import main as admin
from cashier.doctor import check_upstream, check_upstream_link
from cashier.errors import DomainError
from cashier.i18n import set_language
from cashier.settings import Paths, Settings, load_settings
from cashier.sync.client import CREDENTIALS_FILE, InsecureLink, Unreachable, UpstreamClient
from tests.helpers import pg
from tests.helpers.certs import make_ca, other_key, write_key
from tests.upstream.conftest import seed_rows
from upstream import server, terminals
from upstream.db import Database
from upstream.importer import write

ROOT = Path(__file__).resolve().parents[2]


def lan_address() -> str:
    """An address of this machine that is not loopback (the route's source address; nothing is sent)."""
    for target in ("10.254.254.254", "192.0.2.123", "198.51.100.7"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))
            except OSError:
                continue
            address = probe.getsockname()[0]
            if not address.startswith("127.") and address != "0.0.0.0":
                return address
    pytest.skip("this machine has no network address but loopback")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca = make_ca(folder)
    cert, key = ca.issue(folder, "upstream")
    from cryptography.hazmat.primitives import serialization

    encrypted = write_key(serialization.load_pem_private_key(key.read_bytes(), None), folder / "encrypted.key", "口令 1")
    return {"ca": ca.file, "cert": cert, "key": key, "other_key": other_key(folder / "other.key"),
            "encrypted_key": encrypted, "folder": folder}


@pytest.fixture(scope="module")
def tls_upstream(pki):
    """The upstream on PostgreSQL, serving HTTPS with the hall CA's certificate on a loopback port."""
    url = pg.create_database()
    db = Database(url)
    write(db, *seed_rows(), hall_code="DEMO01")
    proc = server.spawn(url, tls=(str(pki["cert"]), str(pki["key"])), ca_file=str(pki["ca"]))
    proc.db = db
    yield proc
    proc.stop()
    db.dispose()
    pg.drop_database(url)


def serve(tmp_path: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess:
    """``cashier-upstream serve`` that should refuse to start; one that starts instead fails by its timeout."""
    command = [sys.executable, "-m", "upstream.cli", "serve", "--db", str(tmp_path / "upstream.db"),
               "--port", str(server.free_port()), *args]
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=20,
                              env=dict(os.environ, CASHIER_LANG=lang))
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"serve {' '.join(args)} started instead of refusing: {exc.stderr}")


def terminal(folder: Path, capsys) -> str:
    assert admin(["--data-dir", str(folder), "init"]) == 0
    capsys.readouterr()
    return str(folder)


# --- the upstream's side ------------------------------------------------------------------------------------


def test_serve_refuses_plain_http_on_an_address_other_machines_reach(tmp_path):
    for host in ("0.0.0.0", "::", lan_address()):
        done = serve(tmp_path, "--host", host)
        assert done.returncode == 2, done.stderr
        assert f"Refusing to serve unencrypted HTTP on {host}" in done.stderr
        assert "--tls-cert" in done.stderr and "reverse proxy" in done.stderr and "--insecure-http" in done.stderr
        assert "Traceback" not in done.stderr
    done = serve(tmp_path, "--host", "0.0.0.0", lang="zh")
    assert "拒绝在 0.0.0.0 上以未加密的 HTTP 提供服务" in done.stderr and done.returncode == 2


@pytest.mark.parametrize("case, expected", [
    ("cert only", "--tls-cert and --tls-key go together"),
    ("missing key", "Cannot read the --tls-key file"),
    ("mismatched key", "does not belong to the certificate"),
    ("encrypted key, no passphrase", "is encrypted and its passphrase is missing or wrong"),
    ("encrypted key, wrong passphrase", "is encrypted and its passphrase is missing or wrong"),
    ("a key given as the certificate", "is not PEM (no \"-----BEGIN CERTIFICATE-----\""),
])
def test_serve_refuses_a_certificate_and_key_it_cannot_use_with_a_clear_message(tmp_path, pki, case, expected):
    wrong = tmp_path / "wrong-passphrase"
    wrong.write_text("not it\n", encoding="utf-8")
    args = {
        "cert only": ["--tls-cert", str(pki["cert"])],
        "missing key": ["--tls-cert", str(pki["cert"]), "--tls-key", str(tmp_path / "nowhere.key")],
        "mismatched key": ["--tls-cert", str(pki["cert"]), "--tls-key", str(pki["other_key"])],
        "encrypted key, no passphrase": ["--tls-cert", str(pki["cert"]), "--tls-key", str(pki["encrypted_key"])],
        "encrypted key, wrong passphrase": ["--tls-cert", str(pki["cert"]), "--tls-key", str(pki["encrypted_key"]),
                                            "--tls-key-password-file", str(wrong)],
        "a key given as the certificate": ["--tls-cert", str(pki["key"]), "--tls-key", str(pki["key"])],
    }[case]
    done = serve(tmp_path, "--host", "0.0.0.0", *args)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_an_encrypted_key_with_its_passphrase_file_serves_https(tmp_path, pki):
    secret = tmp_path / "passphrase"
    secret.write_text("口令 1\n", encoding="utf-8")
    port = server.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "upstream.cli", "serve", "--db", str(tmp_path / "upstream.db"),
                             "--port", str(port), "--tls-cert", str(pki["cert"]), "--tls-key", str(pki["encrypted_key"]),
                             "--tls-key-password-file", str(secret), "--exit-with-parent", str(os.getpid())],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    up = server.UpstreamProcess(f"https://localhost:{port}", proc)
    try:
        import time

        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, "the upstream exited"
            try:
                with UpstreamClient(up.url, ca_file=str(pki["ca"]), timeout=1) as client:
                    assert client.health()["status"] == "ok"
                break
            except Unreachable:  # not listening yet
                assert time.monotonic() < deadline, "the upstream did not answer over HTTPS"
                time.sleep(0.1)
    finally:
        up.stop()


# --- the terminal's side ------------------------------------------------------------------------------------


def test_a_terminal_trusting_the_hall_ca_enrolls_and_syncs_over_https(tls_upstream, pki, tmp_path, capsys):
    assert tls_upstream.url.startswith("https://127.0.0.1:")
    d = terminal(tmp_path / "hall", capsys)
    code = terminals.create_enrollment_code(tls_upstream.db, "DEMO01", "T01")
    assert admin(["--lang", "en", "--data-dir", d, "--set", f'upstream.ca_file="{pki["ca"]}"',
                  "enroll", "--upstream", tls_upstream.url, "--code", code]) == 0
    out, err = capsys.readouterr()
    assert "Enrolled: hall DEMO01, terminal T01" in out and "WARNING" not in err
    settings = load_settings(Paths.resolve(d)).settings
    assert settings.upstream.url == tls_upstream.url and settings.upstream.ca_file == str(pki["ca"])
    assert admin(["--lang", "en", "--data-dir", d, "sync"]) == 0  # the snapshot, with the token, over HTTPS
    out, err = capsys.readouterr()
    assert "pulled 6 accounts, 6 bills" in out and "WARNING" not in out + err
    with sqlite3.connect(Path(d) / "cashier.db") as con:
        assert con.execute("SELECT count(*) FROM accounts WHERE account_no LIKE '31010000%'").fetchone()[0] == 6
    con.close()
    set_language("en")
    try:
        checks = check_upstream(settings, Path(d), Path(d) / "cashier.db")
        assert [c.status for c in checks] == ["OK"] * 5, checks  # health, clock, credentials, sync, anchors
        assert "answers (cashier upstream" in checks[0].message and "accepted by the upstream" in checks[2].message
        assert check_upstream_link(settings) == []
    finally:
        set_language("zh")


def test_a_terminal_refuses_the_upstream_whose_certificate_it_does_not_trust(tls_upstream, tmp_path, capsys):
    d = terminal(tmp_path / "hall", capsys)
    code = terminals.create_enrollment_code(tls_upstream.db, "DEMO01", "T01")
    assert admin(["--lang", "en", "--data-dir", d, "enroll", "--upstream", tls_upstream.url, "--code", code]) == 3
    err = capsys.readouterr().err
    assert f"The upstream {tls_upstream.url} presented a certificate this terminal does not trust" in err
    assert "[upstream] ca_file" in err
    assert not (Path(d) / CREDENTIALS_FILE).exists()
    assert load_settings(Paths.resolve(d)).settings.upstream.url == ""
    assert admin(["--data-dir", d, "enroll", "--upstream", tls_upstream.url, "--code", code]) == 3
    assert "的证书不受信任" in capsys.readouterr().err
    set_language("en")
    try:
        [check] = check_upstream(Settings.model_validate({"upstream": {"url": tls_upstream.url}}))
        assert check.status == "FAIL" and "does not trust" in check.message
    finally:
        set_language("zh")
    with pytest.raises(DomainError) as wizard:  # the first-run wizard's connection test says the same
        firstrun.check_upstream(tls_upstream.url)
    assert wizard.value.key == "sync.tls_untrusted"


def test_a_terminal_with_verify_tls_off_works_and_says_so_everywhere(tls_upstream, tmp_path, capsys):
    d = terminal(tmp_path / "hall", capsys)
    code = terminals.create_enrollment_code(tls_upstream.db, "DEMO01", "T01")
    assert admin(["--lang", "en", "--data-dir", d, "--set", "upstream.verify_tls=false",
                  "enroll", "--upstream", tls_upstream.url, "--code", code]) == 0
    assert "WARNING: the upstream" in capsys.readouterr().err
    assert admin(["--lang", "en", "--data-dir", d, "sync"]) == 0
    assert "verify_tls = false" in capsys.readouterr().out
    assert admin(["--lang", "en", "--data-dir", d, "doctor"]) == 0  # a warning, not a failure
    out = capsys.readouterr().out
    assert any(line.startswith("WARN") and "verify_tls = false" in line for line in out.splitlines()), out


def test_plain_http_to_another_machine_is_refused_unless_allowed_and_then_said(pki, tmp_path, capsys):
    host = lan_address()
    db = Database(str(tmp_path / "upstream.db"))
    write(db, *seed_rows(), hall_code="DEMO01")
    proc = server.spawn(str(tmp_path / "upstream.db"), host=host, insecure_http=True)
    try:
        assert proc.url == f"http://{host}:{proc.url.rsplit(':', 1)[1]}"
        d = terminal(tmp_path / "hall", capsys)
        code = terminals.create_enrollment_code(db, "DEMO01", "T01")
        assert admin(["--lang", "en", "--data-dir", d, "enroll", "--upstream", proc.url, "--code", code]) == 3
        err = capsys.readouterr().err
        assert f"Refusing the upstream address {proc.url}" in err and "allow_plain_http = true" in err
        assert not (Path(d) / CREDENTIALS_FILE).exists()
        with db.sessions() as s:  # refused before anything was sent: the code is still unused
            from sqlalchemy import text

            assert s.execute(text("SELECT count(*) FROM enrollment_codes WHERE used_at IS NULL")).scalar() == 1

        assert admin(["--lang", "en", "--data-dir", d, "--set", "upstream.allow_plain_http=true",
                      "enroll", "--upstream", proc.url, "--code", code]) == 0
        assert f"WARNING: the upstream {proc.url} is unencrypted http://" in capsys.readouterr().err
        assert admin(["--lang", "en", "--data-dir", d, "sync"]) == 0
        out = capsys.readouterr().out
        assert "pulled 6 accounts" in out and "is unencrypted http://" in out
        assert admin(["--lang", "en", "--data-dir", d, "doctor"]) == 0
        out = capsys.readouterr().out
        assert any(line.startswith("WARN") and "allow_plain_http = true" in line for line in out.splitlines()), out

        # the setting taken away again (a technician's edit): the terminal stops using the link, doctor fails
        assert admin(["--lang", "en", "--data-dir", d, "--set", "upstream.allow_plain_http=false", "sync"]) == 3
        assert "Refusing the upstream address" in capsys.readouterr().err
        assert admin(["--lang", "en", "--data-dir", d, "--set", "upstream.allow_plain_http=false", "doctor"]) == 1
        assert "Refusing the upstream address" in capsys.readouterr().out
    finally:
        proc.stop()
        db.dispose()


@pytest.mark.parametrize("url", ["http://127.0.0.1:8740", "http://127.9.9.9", "http://localhost:8740/",
                                 "http://[::1]:8740", "https://192.0.2.10", "https://up.example"])
def test_loopback_http_and_any_https_need_no_setting(url):
    with UpstreamClient(url) as client:
        assert client.warnings == []


@pytest.mark.parametrize("url", ["http://192.0.2.10:8740", "http://10.0.0.1", "http://up.example",
                                 "http://127.0.0.1.up.example", "http://[fd00::2]:8740", "HTTP://0.0.0.0"])
def test_plain_http_to_any_other_host_is_refused_with_its_message(url):
    with pytest.raises(InsecureLink) as refused:
        UpstreamClient(url)
    with pytest.raises(DomainError) as wizard:  # the first-run wizard's connection test: nothing sent either
        firstrun.check_upstream(url)
    assert wizard.value.key == "sync.plain_http_refused"
    assert isinstance(refused.value, DomainError) and refused.value.key == "sync.plain_http_refused"
    assert "allow_plain_http" in refused.value.message("en") and "allow_plain_http" in refused.value.message("zh")
    with UpstreamClient(url, allow_plain_http=True) as client:
        assert len(client.warnings) == 1


def test_a_ca_file_that_cannot_be_read_is_said(tmp_path):
    for path, reason in ((tmp_path / "missing.pem", "No such file"), (tmp_path / "junk.pem", "")):
        if path.name == "junk.pem":
            path.write_text("not a certificate\n")
        with pytest.raises(InsecureLink) as refused:
            UpstreamClient("https://up.example", ca_file=str(path))
        assert refused.value.key == "sync.ca_file_unreadable" and str(path) in refused.value.message("en")
        assert reason in refused.value.message("en")
