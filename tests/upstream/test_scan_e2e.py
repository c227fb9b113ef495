"""Scan-to-pay end to end (issue 18): the counter's core → the real upstream on a loopback port → the payment
simulator, for every behaviour of the code's last digit; a counter killed while the customer types a password;
a fault proxy between the counter and the upstream; refunds of reversed scan payments. Whatever happens: for
every order, exactly as many payments at the counter as charges standing at the provider (0 or 1)."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from admin.cli import main as admin
from cashier import scan_pay, scan_refunds, shifts
from cashier.auth import Actor, Role
from cashier.errors import DomainError
from cashier.payments import reverse_payment
from cashier.settings import Paths, load_settings
from cashier.store import Store
from cashier.store.models import OutboxEntry, Payment, ScanIntent, ScanRefund, User
from cashier.sync.client import UpstreamClient
from cashier.terminal import Terminal
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.scan_hall import code, start_scan_hall
from upstream import server, terminals



@pytest.fixture
def sh(tmp_path):
    h = start_scan_hall(tmp_path)
    yield h
    h.close()


EXPECTED = {0: "paid", 1: "paid", 2: "paid", 3: "paid", 4: "paid", 5: "paid", 6: "paid", 7: "cancelled",
            8: "failed", 9: "paid"}


@pytest.mark.parametrize("provider", ["wechat", "alipay", "unionpay"])
def test_every_simulator_behaviour_end_to_end_one_payment_per_charge(sh, provider, caplog):
    caplog.set_level(logging.DEBUG)
    outcomes = {}
    for digit in range(10):
        amount = 100 + digit  # to the prepaid balance: the account's dues do not change the outcome
        out = scan_pay.pay_and_wait(sh.flow("3101000003", amount, code(provider, digit, n=digit)))
        outcomes[digit] = out
        assert out.state == EXPECTED[digit], (digit, out)
        assert sh.payments_of(out.intent_id) == sh.charges_of(out.intent_id) == (1 if out.state == "paid" else 0)
    assert "余额不足" in outcomes[8].reason or "balance" in outcomes[8].reason
    assert "余额不足" in outcomes[8].describe()
    paid = outcomes[6].payment
    assert paid.tenders[0].kind == scan_pay.TENDER_OF[provider] and paid.tenders[0].reference == outcomes[6].provider_txn_id
    # the upstream takes each payment against its paid order (tender amount and reference = the transaction id)
    report = sh.syncer.run_once()
    assert report.pushed == {"accepted": 8}  # 0–6 and 9
    with sh.hall.store.read() as s:
        bodies = [json.loads(b) for b in s.scalars(select(OutboxEntry.payload))]
    assert sorted(b["scan_intent_id"] for b in bodies) == sorted(o.intent_id for o in outcomes.values()
                                                                 if o.state == "paid")
    assert sh.open_intents() == 0
    codes = [code(provider, digit, n=digit) for digit in range(10)]
    assert not [c for c in codes if c in caplog.text]  # neither the counter nor the upstream logs a code in full
    assert scan_pay.mask(codes[6]) in caplog.text


def test_every_behaviour_on_postgresql_too(tmp_path):
    from tests.helpers import pg
    from upstream.db import Database

    url = pg.create_database()
    db = Database(url)
    h = start_scan_hall(tmp_path, db=db)
    try:
        for digit in range(10):
            out = scan_pay.pay_and_wait(h.flow("3101000003", 200 + digit, code("alipay", digit, n=digit)))
            assert out.state == EXPECTED[digit], (digit, out)
            assert h.payments_of(out.intent_id) == h.charges_of(out.intent_id) == (1 if out.state == "paid" else 0)
        assert h.syncer.run_once().pushed == {"accepted": 8}
    finally:
        h.close()
        db.dispose()
        pg.drop_database(url)


def test_a_declined_code_says_why_in_our_words_and_the_providers(sh):
    out = scan_pay.pay_and_wait(sh.flow("3101000003", 500, code("alipay", 8)))
    assert out.state == "failed" and out.reason == "顾客余额不足"
    with sh.hall.store.read() as s:
        intent = s.get(ScanIntent, out.intent_id)
        assert (intent.status, intent.reason_code, intent.reason) == ("failed", "ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足")


def test_the_cashier_cancels_while_the_customer_types_the_password(sh):
    flow = sh.flow("3101000003", 500, code("wechat", 7), timings=scan_pay.ScanTimings(0.05, 0.1, 60, 5))
    asked = []
    out = scan_pay.pay_and_wait(flow, on_wait=asked.append, should_cancel=lambda: len(asked) >= 2)
    assert out.state == "cancelled" and asked[0].provider_status == "user_paying"
    assert sh.payments_of(out.intent_id) == sh.charges_of(out.intent_id) == 0


def test_offline_or_without_a_provider_scan_to_pay_is_refused_and_nothing_is_charged(sh, tmp_path):
    dead = UpstreamClient("http://127.0.0.1:9", "x")  # nobody listens: the request never leaves
    with pytest.raises(DomainError) as caught:
        sh.flow("3101000003", 500, code("wechat", 0), client=dead).start()
    assert caught.value.key == "scan.offline"
    bare = server.start(sh.db)  # the same upstream, no --payments: 503 scan_unavailable
    try:
        with UpstreamClient(bare.url, terminals.enroll(sh.db, terminals.create_enrollment_code(
                sh.db, "DEMO01", "T01")).token) as client:
            with pytest.raises(DomainError) as caught:
                sh.flow("3101000003", 500, code("wechat", 0), client=client).start()
    finally:
        bare.server.should_exit = True
        bare.thread.join(10)
    assert caught.value.key == "scan.unavailable"
    with sh.hall.store.read() as s:
        assert [i.status for i in s.scalars(select(ScanIntent))] == ["failed", "failed"]
        assert s.scalar(select(func.count()).select_from(Payment)) == 0


def test_a_fault_proxy_dropping_and_repeating_requests_still_ends_in_one_payment_per_charge(sh):
    host, port = sh.up.url.removeprefix("http://").split(":")
    proxy = FaultProxy((host, int(port)), fault_rate=0.4, seed=18)
    flaky = UpstreamClient(proxy.url, sh.client.http.headers["Authorization"].removeprefix("Bearer "))
    intents = []
    try:
        for n, digit in enumerate([0, 6, 9, 8, 0, 6, 9, 2, 0, 9, 6, 1]):
            try:
                out = scan_pay.pay_and_wait(sh.flow("3101000003", 300 + n, code("wechat", digit, n=n), client=flaky))
            except DomainError:
                continue  # refused before anything could be charged
            intents.append(out.intent_id)
        for _ in range(50):  # what the faults left open, the rounds finish (through the proxy too)
            if sh.open_intents() == 0:
                break
            scan_pay.resolve_open_intents(sh.terminal, flaky, wait=0.0)
            time.sleep(0.1)
    finally:
        flaky.close()
        proxy.stop()
    assert sum(proxy.seen.values()) > 0 and set(proxy.seen) - {"pass"}  # faults did happen
    assert sh.open_intents() == 0
    for intent_id in intents:
        assert sh.payments_of(intent_id) == sh.charges_of(intent_id), intent_id
    with sh.hall.store.read() as s:
        payments = s.scalar(select(func.count()).select_from(Payment))
    assert payments == sum(sh.charges_of(i) for i in intents) > 0


@pytest.mark.parametrize("digit", [0, 6])
def test_a_reversed_scan_payment_is_refunded_through_the_provider_and_tracked_until_confirmed(sh, digit):
    out = scan_pay.pay_and_wait(sh.flow("3101000003", 700, code("wechat", digit)))
    approval = sh.hall.approve("reversal", out.payment.payment_id)
    reversal = reverse_payment(sh.terminal, sh.hall.cashier, out.payment.payment_id, approval, "顾客要求退款")
    with sh.hall.store.read() as s:
        refund_id = s.scalar(select(ScanRefund.id).where(ScanRefund.reversal_id == reversal.payment_id))
    for _ in range(100):
        sh.syncer.run_once()  # pushes the reversal, asks for the refund until the provider confirms
        with sh.hall.store.read() as s:
            if s.get(ScanRefund, refund_id).status != "pending":
                break
        time.sleep(0.1)
    with sh.hall.store.read() as s:
        refund = s.get(ScanRefund, refund_id)
        assert refund.status == "refunded" and refund.provider_refund_id
        assert scan_refunds.problems(s) == (0, 0)
        held = s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status != "accepted"))
    assert held == 0  # the payment and its reversal (naming the refund) both accepted upstream


# --- a counter killed while the customer types the password ----------------------------------------------

def _enrolled_folder(sh, folder: Path) -> tuple[Path, Actor]:
    d = str(folder)
    assert admin(["--data-dir", d, "init"]) == 0
    code_ = terminals.create_enrollment_code(sh.db, "DEMO01", "T02")
    assert admin(["--data-dir", d, "enroll", "--upstream", sh.up.url, "--code", code_]) == 0
    assert admin(["--data-dir", d, "sync"]) == 0
    assert admin(["--data-dir", d, "users", "add", "wang", "--name", "王芳", "--role", "cashier"]) == 0
    loaded = load_settings(Paths.resolve(folder))
    with Store.open(loaded.paths.database) as store:
        t = Terminal.from_settings(store, loaded.settings)
        with store.read() as s:
            user = s.scalar(select(User).where(User.username == "wang"))
            actor = Actor(user.id, user.username, user.display_name, Role(user.role))
        shifts.open_shift(t, actor, {10000: 5})
    return loaded.paths.database, actor


def test_a_counter_killed_while_the_customer_types_the_password_ends_with_one_payment_and_one_charge(
        sh, tmp_path, capsys):
    database, _actor = _enrolled_folder(sh, tmp_path / "hall2")
    capsys.readouterr()
    child = subprocess.Popen(
        [sys.executable, "-m", "admin.cli", "--lang", "zh", "--data-dir", str(tmp_path / "hall2"), "scan-pay", "--account",
         "3101000003", "--amount", "3.21", "--code", code("wechat", 6, n=42)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    line = child.stderr.readline()  # said once the provider answered "user paying"
    assert "请顾客输入密码" in line, line + child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=10)  # reaped, its pipes closed
    assert child.returncode == -signal.SIGKILL
    with Store.open(database) as store, store.read() as s:
        (intent_id,) = [i.id for i in s.scalars(select(ScanIntent).where(ScanIntent.status == "open"))]
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
    for _ in range(100):  # the customer finishes paying meanwhile (0.8 s); the next sync finds it and records it
        assert admin(["--data-dir", str(tmp_path / "hall2"), "sync"]) == 0
        with Store.open(database) as store, store.read() as s:
            if s.get(ScanIntent, intent_id).status != "open":
                break
        time.sleep(0.1)
    assert admin(["--data-dir", str(tmp_path / "hall2"), "sync"]) == 0  # again: nothing more happens
    with Store.open(database) as store, store.read() as s:
        intent = s.get(ScanIntent, intent_id)
        payments = s.scalars(select(Payment)).all()
        assert intent.status == "paid" and [p.id for p in payments] == [intent.payment_id]
        outbox = s.scalar(select(OutboxEntry.status).where(OutboxEntry.entity_id == intent.payment_id))
    assert outbox == "accepted"
    assert sh.charges_of(intent_id) == 1


def test_scan_pay_on_the_command_line_exits_0_when_paid_and_says_why_otherwise(sh, tmp_path, capsys):
    _enrolled_folder(sh, tmp_path / "hall3")
    capsys.readouterr()
    d = str(tmp_path / "hall3")
    assert admin(["--data-dir", d, "scan-pay", "--account", "3101000003", "--amount", "12.50", "--code",
                  code("alipay", 3), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["status"], answer["provider"]) == ("paid", "alipay") and answer["payment_id"]
    assert answer["provider_txn_id"]
    assert admin(["--lang", "zh", "--data-dir", d, "scan-pay", "--account", "3101000003", "--amount", "12.50",
                  "--code", code("wechat", 8)]) == 1
    assert "顾客余额不足" in capsys.readouterr().out
    assert admin(["--data-dir", d, "scan-pay", "--account", "3101000003", "--amount", "12.50", "--code",
                  "9912345678901234567"]) == 3
    assert "9912***********4567" in capsys.readouterr().err


def test_the_simulators_statements_reconcile_from_the_command_line(sh, capsys):
    """`reconcile --payments simulate`: the demo's day reconciled against the statements of the simulator that
    paid it (UnionPay's as the bank's file), without a payments settings file."""
    from upstream import cli as upstream_cli

    for provider, digit in (("wechat", 1), ("alipay", 2), ("unionpay", 3)):
        assert scan_pay.pay_and_wait(sh.flow("3101000003", 200 + digit, code(provider, digit, n=digit))).state == "paid"
    assert sh.syncer.run_once().pushed == {"accepted": 3}
    with sh.hall.store.read() as s:
        day = s.scalars(select(Payment.business_date)).first().isoformat()
    capsys.readouterr()
    assert upstream_cli.main(["reconcile", "--db", sh.db.url, "--date", day, "--payments", "simulate", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [(r["provider"], r["statement_lines"], r["matched"], r["mismatches"]) for r in runs] == [
        ("wechat", 1, 1, []), ("alipay", 1, 1, []), ("bank", 1, 1, [])]
