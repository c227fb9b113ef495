"""Scan-to-pay on the upstream (issue 18): every behaviour of the payment simulator through the HTTP API, the
provider rules for uncertain outcomes, idempotency, who may see an intent, the code masked everywhere, refunds,
the push's check of a payment's scan intent, and a kill between the provider's "paid" and the upstream's commit.

The upstream runs on a loopback port over SQLite and PostgreSQL; the simulator is the provider (a provider's
servers cannot exist here) and keeps its books in its own tables. Time is a clock the test moves: the upstream's
waits move it instead of sleeping."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, text

from cashier.clock import FixedClock
from cashier.ids import uuid7
from cashier.sync import protocol as p
from cashier.sync.client import UpstreamClient
from tests.helpers.hall import START
from tests.upstream.conftest import seed_rows
from upstream import server, terminals
from upstream.alarms import list_alarms
from upstream.checks import Plausibility
from upstream.importer import write
from upstream.models import Document, ScanOrder, ScanRefund, SimulatorOrder
from upstream.payments import PaymentsSettingError, providers_from_setting
from upstream.payments.base import Outcome, ProviderUnreachable
from upstream.payments.statements import read_statement
from upstream.scan import FAULT_ENV, FAULT_EXIT, ScanRules

ACCOUNT = "3101000005"  # seed_rows: hall DEMO01, owes two bills
CODES = {"wechat": "134567890123456780", "alipay": "281234567890123450", "unionpay": "6212345678901234560"}


def code(provider: str, last: int) -> str:
    return CODES[provider][:-1] + str(last)


class Up:
    """The upstream with the simulator, its world clock, and terminals T01 and T02 of hall DEMO01."""

    def __init__(self, db, *, hold: float = 8.0, cancel_failures: int = 0) -> None:
        self.clock = FixedClock(timezone="Asia/Shanghai", at=START)
        now = lambda: self.clock.now()  # noqa: E731
        self.providers = providers_from_setting("simulate", db, clock=now)
        self.providers["wechat"].cancel_failures = cancel_failures
        rules = ScanRules(hold=hold, clock=now, sleep=lambda seconds: self.clock.advance(seconds=seconds))
        self.db = db
        self.running = server.start(db, plausible=Plausibility(clock=now), payments=self.providers, scan_rules=rules)
        write(db, *seed_rows(), hall_code="DEMO01")
        self.t01, self.t02 = self.terminal("T01"), self.terminal("T02")
        self.seq = {"T01": 0, "T02": 0}

    def terminal(self, terminal_id: str) -> httpx.Client:
        enrollment = terminals.create_enrollment_code(self.db, "DEMO01", terminal_id)
        with UpstreamClient(self.running.url) as anon:
            token = anon.enroll(enrollment).token
        return httpx.Client(base_url=self.running.url + "/v1", headers={"Authorization": f"Bearer {token}"},
                            timeout=30)

    def pay(self, client: httpx.Client, provider: str, last: int, amount_fen: int = 12345, **changes) -> httpx.Response:
        body = {"intent_id": uuid7(), "account_no": ACCOUNT, "amount_fen": amount_fen, "code": code(provider, last),
                "provider": provider} | changes
        return client.post("/scan/pay", json=body)

    def sim(self, provider: str, intent_id: str) -> SimulatorOrder | None:
        with self.db.sessions() as s:
            return s.get(SimulatorOrder, (provider, intent_id.replace("-", "")))

    def order(self, intent_id: str) -> ScanOrder:
        with self.db.sessions() as s:
            return s.get(ScanOrder, intent_id)

    def payment(self, terminal_id: str, amount_fen: int, tenders: list[dict], **fields) -> dict:
        self.seq[terminal_id] += 1
        now = self.clock.now()
        return p.PaymentBody.model_validate(dict(
            id=uuid7(), kind="payment", terminal_id=terminal_id, hall_code="DEMO01", seq=self.seq[terminal_id],
            shift_id=uuid7(), account_no=ACCOUNT, business_date=Plausibility().local_date(now).isoformat(),
            created_at=now.isoformat(), cashier="c1", amount_fen=amount_fen, applied_fen=amount_fen,
            prepaid_credit_fen=0, tendered_fen=sum(t["amount_fen"] for t in tenders), change_fen=0,
            penalty_waived_fen=0, reconnect_requested=False, prepaid_balance_after_fen=0, tenders=tenders,
            allocations=[]) | fields).model_dump(mode="json")

    def push(self, client: httpx.Client, *bodies: dict) -> list[dict]:
        answer = client.post("/push", json={"items": [{"kind": "payment", "body": b} for b in bodies]})
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]

    def close(self) -> None:
        self.t01.close()
        self.t02.close()
        self.running.server.should_exit = True
        self.running.thread.join(10)


@pytest.fixture
def make_up(upstream_db):
    made: list[Up] = []

    def make(**kwargs) -> Up:
        made.append(Up(upstream_db, **kwargs))
        return made[-1]

    yield make
    for up in made:
        up.close()


@pytest.fixture
def up(make_up) -> Up:
    return make_up()


def _code_of(answer: httpx.Response) -> str:
    return answer.json()["detail"]["code"]


# --- the simulator's codes, end to end through the API --------------------------------------------------

@pytest.mark.parametrize("provider, last", [("wechat", 0), ("alipay", 3), ("unionpay", 5)])
def test_codes_ending_0_to_5_are_paid_at_once_and_the_code_is_never_kept_or_logged_in_full(up, provider, last, caplog):
    caplog.set_level(logging.DEBUG)
    answer = up.pay(up.t01, provider, last)
    assert answer.status_code == 200, answer.text
    status = answer.json()
    assert status["status"] == "paid" and status["provider"] == provider and status["amount_fen"] == 12345
    assert status["provider_txn_id"] and status["paid_at"]
    sim = up.sim(provider, status["intent_id"])
    assert (sim.charged, sim.pay_calls, sim.txn_id) == (1, 1, status["provider_txn_id"])
    full = code(provider, last)
    masked = full[:4] + "*" * (len(full) - 8) + full[-4:]
    assert up.order(status["intent_id"]).code_masked == masked == sim.code_masked
    with up.db.sessions() as s:  # nowhere in the database, whatever the table
        for table in ("scan_orders", "simulator_orders", "alarms"):
            rows = s.execute(text(f"SELECT * FROM {table}")).all()
            assert full not in json.dumps([list(map(str, r)) for r in rows])
    assert masked in caplog.text and full not in caplog.text


def test_user_paying_is_queried_until_paid_within_the_pay_request(up):
    status = up.pay(up.t01, "wechat", 6).json()
    assert status["status"] == "paid"  # the simulator pays after 3 s; the upstream queried every 2 s
    assert up.sim("wechat", status["intent_id"]).charged == 1
    assert up.order(status["intent_id"]).attempts >= 2  # pay, then queries


def test_user_paying_answers_early_and_the_terminal_polls_until_paid(make_up):
    up = make_up(hold=0)
    status = up.pay(up.t01, "alipay", 6).json()
    assert status["status"] == "user_paying"
    assert up.t01.get(f"/scan/{status['intent_id']}").json()["status"] == "user_paying"
    up.clock.advance(seconds=3)
    paid = up.t01.get(f"/scan/{status['intent_id']}").json()
    assert paid["status"] == "paid" and paid["provider_txn_id"] == up.sim("alipay", status["intent_id"]).txn_id


def test_a_customer_who_gives_up_is_cancelled_by_the_upstream_after_the_bounded_wait(make_up):
    up = make_up(hold=0)
    status = up.pay(up.t01, "wechat", 7).json()
    assert status["status"] == "user_paying"
    up.clock.advance(seconds=29)
    assert up.t01.get(f"/scan/{status['intent_id']}").json()["status"] == "user_paying"
    up.clock.advance(seconds=1)
    final = up.t01.get(f"/scan/{status['intent_id']}").json()
    assert final["status"] == "cancelled"
    sim = up.sim("wechat", status["intent_id"])
    assert (sim.status, sim.charged) == ("cancelled", 0)


def test_the_cashiers_cancel_closes_a_waiting_order(make_up):
    up = make_up(hold=0)
    status = up.pay(up.t01, "alipay", 7).json()
    cancelled = up.t01.post(f"/scan/{status['intent_id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert up.sim("alipay", status["intent_id"]).status == "cancelled"
    again = up.t01.post(f"/scan/{status['intent_id']}/cancel").json()  # final: answered as it is
    assert again["status"] == "cancelled"


@pytest.mark.parametrize("provider, reason_code", [("wechat", "NOTENOUGH"), ("alipay", "ACQ.BUYER_BALANCE_NOT_ENOUGH")])
def test_a_declined_code_fails_with_the_providers_reason(up, provider, reason_code):
    status = up.pay(up.t01, provider, 8).json()
    assert status["status"] == "failed" and status["reason_code"] == reason_code and "余额不足" in status["reason"]
    assert status["provider_txn_id"] is None
    assert up.sim(provider, status["intent_id"]).charged == 0


def test_a_pay_call_without_an_answer_is_queried_and_found_paid(make_up):
    up = make_up(hold=0)
    status = up.pay(up.t01, "wechat", 9).json()
    assert status["status"] == "unknown"  # no answer: never assumed either way
    paid = up.t01.get(f"/scan/{status['intent_id']}").json()
    assert paid["status"] == "paid"
    sim = up.sim("wechat", status["intent_id"])
    assert (sim.charged, sim.pay_calls) == (1, 1)  # queried, never paid again


def test_with_a_hold_a_lost_pay_answer_is_resolved_within_the_request(up):
    status = up.pay(up.t01, "alipay", 9).json()
    assert status["status"] == "paid"
    assert up.sim("alipay", status["intent_id"]).charged == 1


# --- the rules the upstream keeps ---------------------------------------------------------------------------

def test_pay_is_idempotent_on_the_intent_and_refuses_its_reuse(up):
    intent = uuid7()
    body = {"intent_id": intent, "account_no": ACCOUNT, "amount_fen": 500, "code": code("wechat", 1),
            "provider": "wechat"}
    first = up.t01.post("/scan/pay", json=body).json()
    again = up.t01.post("/scan/pay", json=body).json()
    assert first == again and first["status"] == "paid"
    assert up.sim("wechat", intent).pay_calls == 1
    other = up.t01.post("/scan/pay", json=body | {"amount_fen": 501})
    assert other.status_code == 409 and _code_of(other) == "intent_reused"
    theirs = up.t02.post("/scan/pay", json=body)
    assert theirs.status_code == 409 and _code_of(theirs) == "intent_reused"


def test_only_the_terminal_that_created_an_intent_sees_cancels_or_refunds_it(up):
    status = up.pay(up.t01, "wechat", 0).json()
    intent = status["intent_id"]
    assert up.t02.get(f"/scan/{intent}").status_code == 404
    assert _code_of(up.t02.post(f"/scan/{intent}/cancel")) == "unknown_intent"
    refund = {"refund_id": uuid7(), "intent_id": intent, "reversal_id": uuid7(), "amount_fen": 100}
    assert _code_of(up.t02.post("/scan/refund", json=refund)) == "unknown_intent"
    assert up.t01.post("/scan/refund", json=refund).json()["status"] == "refunded"
    assert up.t02.get(f"/scan/refund/{refund['refund_id']}").status_code == 404
    assert up.t01.get(f"/scan/{intent}").json() == status


def test_the_upstream_reads_the_provider_from_the_code_and_refuses_what_it_is_not(up):
    mismatch = up.pay(up.t01, "alipay", 0, code=code("wechat", 0))
    assert mismatch.status_code == 422 and _code_of(mismatch) == "provider_mismatch"
    unknown = up.pay(up.t01, "wechat", 0, code="991234567890123456")
    assert unknown.status_code == 422 and _code_of(unknown) == "unknown_code"
    with up.db.sessions() as s:
        assert s.scalar(select(ScanOrder.intent_id)) is None  # nothing placed
        assert s.scalar(select(SimulatorOrder.order_no)) is None


def test_an_account_outside_the_callers_hall_is_unknown_unless_asked_across_halls(up):
    write(up.db, [p.AccountRow(account_no="3102000001", name="王五", address="河东街道1号",
                               customer_class="residential")], [], hall_code="OTHER9")
    assert _code_of(up.pay(up.t01, "wechat", 0, account_no="3109999999")) == "unknown_account"
    assert _code_of(up.pay(up.t01, "wechat", 0, account_no="3102000001")) == "unknown_account"
    body = {"intent_id": uuid7(), "account_no": "3102000001", "amount_fen": 100, "code": code("wechat", 0),
            "provider": "wechat"}
    assert up.t01.post("/scan/pay", params={"cross_hall": 1}, json=body).json()["status"] == "paid"
    with up.db.sessions() as s:
        assert s.scalar(text("SELECT action FROM cross_hall_access WHERE document_id = :i"), {"i": body["intent_id"]}) \
            == "scan_pay"


def test_without_payments_the_scan_endpoints_answer_scan_unavailable(running):
    enrollment = terminals.create_enrollment_code(running.db, "DEMO01", "T09")
    with UpstreamClient(running.url) as anon:
        token = anon.enroll(enrollment).token
    headers = {"Authorization": f"Bearer {token}"}
    body = {"intent_id": uuid7(), "account_no": ACCOUNT, "amount_fen": 100, "code": code("wechat", 0),
            "provider": "wechat"}
    answer = httpx.post(running.url + "/v1/scan/pay", json=body, headers=headers)
    assert answer.status_code == 503 and _code_of(answer) == "scan_unavailable"
    refund = {"refund_id": uuid7(), "intent_id": uuid7(), "reversal_id": uuid7(), "amount_fen": 1}
    assert httpx.post(running.url + "/v1/scan/refund", json=refund, headers=headers).status_code == 503
    assert httpx.post(running.url + "/v1/scan/pay", json=body).status_code == 401  # credentials first


def test_a_cancel_that_fails_is_cancelling_with_an_alarm_and_is_retried_until_it_holds(make_up, caplog):
    caplog.set_level(logging.DEBUG)
    up = make_up(hold=0, cancel_failures=2)
    status = up.pay(up.t01, "wechat", 7).json()
    intent = status["intent_id"]
    assert up.t01.post(f"/scan/{intent}/cancel").json()["status"] == "cancelling"
    alarms = list_alarms(up.db, kind="scan_cancel_failed")
    assert [a.subject for a in alarms] == [intent]
    assert alarms[0].detail["code"] == up.order(intent).code_masked and code("wechat", 7) not in caplog.text
    assert up.t01.get(f"/scan/{intent}").json()["status"] == "cancelling"  # queried, cancelled again: failed again
    assert up.sim("wechat", intent).status == "user_paying"
    assert up.t01.get(f"/scan/{intent}").json()["status"] == "cancelled"
    assert up.sim("wechat", intent).status == "cancelled"
    assert len(list_alarms(up.db, kind="scan_cancel_failed")) == 1  # one alarm for the order, not one per try


def test_a_failed_bounded_wait_cancel_leaves_the_order_cancelling_never_paid(make_up):
    up = make_up(hold=0, cancel_failures=1)
    intent = up.pay(up.t01, "wechat", 7).json()["intent_id"]
    up.clock.advance(seconds=30)
    assert up.t01.get(f"/scan/{intent}").json()["status"] == "cancelling"
    assert up.t01.post(f"/scan/{intent}/cancel").json()["status"] == "cancelled"


def test_an_order_the_provider_never_received_is_closed_after_the_grace(up):
    """A crash after committing the order and before calling the provider: a query says not found; the
    upstream waits out the grace (a pay may still be on its way), then cancels, which closes the number."""
    intent = str(uuid.uuid4())
    now = up.clock.now()
    with up.db.transaction() as s:
        s.add(ScanOrder(intent_id=intent, terminal_id="T01", hall_code="DEMO01", account_no=ACCOUNT, amount_fen=100,
                        provider="wechat", code_masked="1345**********0000", status="pending", created_at=now,
                        updated_at=now, attempts=0))
    assert up.t01.get(f"/scan/{intent}").json()["status"] == "unknown"
    up.clock.advance(seconds=30)
    assert up.t01.get(f"/scan/{intent}").json()["status"] == "cancelled"
    late = up.providers["wechat"].pay(intent.replace("-", ""), code("wechat", 0), 100, "电费")
    assert late.outcome is Outcome.FAILED and up.sim("wechat", intent).charged == 0


# --- refunds ------------------------------------------------------------------------------------------------

def test_refunds_go_through_the_provider_up_to_what_was_paid_idempotently(up):
    intent = up.pay(up.t01, "alipay", 2, amount_fen=10000).json()["intent_id"]
    refund = {"refund_id": uuid7(), "intent_id": intent, "reversal_id": uuid7(), "amount_fen": 6000}
    first = up.t01.post("/scan/refund", json=refund)
    assert first.status_code == 200 and first.json()["status"] == "refunded" and first.json()["provider_refund_id"]
    assert up.t01.post("/scan/refund", json=refund).json() == first.json()
    assert _code_of(up.t01.post("/scan/refund", json=refund | {"amount_fen": 5000})) == "refund_reused"
    too_much = up.t01.post("/scan/refund", json=refund | {"refund_id": uuid7(), "amount_fen": 4001})
    assert too_much.status_code == 422 and _code_of(too_much) == "refund_too_large"
    rest = up.t01.post("/scan/refund", json=refund | {"refund_id": uuid7(), "amount_fen": 4000}).json()
    assert rest["status"] == "refunded"
    assert up.t01.get(f"/scan/refund/{refund['refund_id']}").json() == first.json()
    with up.db.sessions() as s:
        assert sum(s.scalars(select(ScanRefund.amount_fen).where(ScanRefund.intent_id == intent))) == 10000


def test_a_pending_refund_is_tracked_until_the_provider_confirms(up):
    intent = up.pay(up.t01, "wechat", 6).json()["intent_id"]  # the simulator's slow one: refunds are pending
    refund = {"refund_id": uuid7(), "intent_id": intent, "reversal_id": uuid7(), "amount_fen": 12345}
    assert up.t01.post("/scan/refund", json=refund).json()["status"] == "pending"
    confirmed = up.t01.get(f"/scan/refund/{refund['refund_id']}").json()
    assert confirmed["status"] == "refunded" and confirmed["provider_refund_id"]


def test_only_a_paid_order_is_refunded(up):
    intent = up.pay(up.t01, "wechat", 8).json()["intent_id"]
    refund = {"refund_id": uuid7(), "intent_id": intent, "reversal_id": uuid7(), "amount_fen": 1}
    answer = up.t01.post("/scan/refund", json=refund)
    assert answer.status_code == 409 and _code_of(answer) == "scan_not_paid"


# --- the push checks a payment's scan intent ------------------------------------------------------------

def test_a_payment_backed_by_its_paid_scan_intent_is_accepted_once(up):
    status = up.pay(up.t01, "wechat", 0, amount_fen=5000).json()
    tender = {"kind": "wechat", "amount_fen": 5000, "reference": status["provider_txn_id"]}
    body = up.payment("T01", 5000, [tender], scan_intent_id=status["intent_id"])
    assert up.push(up.t01, body)[0] | {"id": None} == {"id": None, "status": "accepted", "reason": None, "flags": []}
    assert up.order(status["intent_id"]).payment_id == body["id"]
    assert up.push(up.t01, body)[0]["status"] == "duplicate"
    second = up.payment("T01", 5000, [tender], scan_intent_id=status["intent_id"])
    assert up.push(up.t01, second)[0] | {"id": None} == {"id": None, "status": "rejected",
                                                        "reason": "scan_intent_used", "flags": []}


def test_two_payments_naming_one_intent_in_one_batch_accept_only_the_first(up):
    status = up.pay(up.t01, "alipay", 0, amount_fen=700).json()
    tender = {"kind": "alipay", "amount_fen": 700, "reference": status["provider_txn_id"]}
    bodies = [up.payment("T01", 700, [tender], scan_intent_id=status["intent_id"]) for _ in range(2)]
    assert [r["reason"] for r in up.push(up.t01, *bodies)] == [None, "scan_intent_used"]


def test_a_payment_that_does_not_match_its_scan_intent_is_rejected_with_why(up):
    paid = up.pay(up.t01, "wechat", 0, amount_fen=5000).json()
    declined = up.pay(up.t01, "wechat", 8, amount_fen=5000).json()
    theirs = up.pay(up.t02, "wechat", 0, amount_fen=5000).json()
    card = up.pay(up.t01, "unionpay", 0, amount_fen=5000).json()

    def tender(kind="wechat", amount=5000, reference=paid["provider_txn_id"]):
        return [{"kind": kind, "amount_fen": amount, "reference": reference}]

    cases = [
        (up.payment("T01", 5000, tender(reference="4200000000000000000000000000"), scan_intent_id=paid["intent_id"]),
         "scan_tender_mismatch"),
        (up.payment("T01", 4000, tender(amount=4000), scan_intent_id=paid["intent_id"]), "scan_tender_mismatch"),
        (up.payment("T01", 5000, tender(kind="alipay"), scan_intent_id=paid["intent_id"]), "scan_tender_mismatch"),
        (up.payment("T01", 5000, tender(), scan_intent_id=declined["intent_id"]), "scan_not_paid"),
        (up.payment("T01", 5000, tender(reference=theirs["provider_txn_id"]), scan_intent_id=theirs["intent_id"]),
         "scan_intent_unknown"),
        (up.payment("T01", 5000, tender(), scan_intent_id=str(uuid.uuid4())), "scan_intent_unknown"),
        (up.payment("T01", 5000, tender(kind="bank_card", reference=card["provider_txn_id"]),
                    scan_intent_id=card["intent_id"]), None),  # UnionPay QuickPass is a bank card tender
    ]
    results = up.push(up.t01, *[body for body, _ in cases])
    assert [(r["status"], r["reason"]) for r in results] == [
        ("rejected" if why else "accepted", why) for _, why in cases]
    with up.db.sessions() as s:
        assert s.scalar(select(ScanOrder.payment_id).where(ScanOrder.intent_id == paid["intent_id"])) is None


def test_a_typed_reference_is_accepted_and_flagged_for_reconciliation(up):
    typed = up.payment("T01", 800, [{"kind": "wechat", "amount_fen": 800, "reference": "4200001234"}])
    approved = up.payment("T01", 800, [{"kind": "alipay", "amount_fen": 800, "reference": "2026030222001"}],
                          approval={"id": 1, "approved_by": 2, "reason": "离线，主管核实转账截图"})
    cash = up.payment("T01", 800, [{"kind": "cash", "amount_fen": 800}])
    results = up.push(up.t01, typed, approved, cash)
    assert [(r["status"], r["flags"]) for r in results] == [
        ("accepted", ["typed_reference", "unapproved_reference"]), ("accepted", ["typed_reference"]), ("accepted", [])]
    with up.db.sessions() as s:
        assert s.scalar(select(Document.flags).where(Document.id == typed["id"])) == "typed_reference,unapproved_reference"


# --- the simulator's own books, its statement, the setting ----------------------------------------------

def test_the_simulators_statement_lists_the_days_charges_and_refunds(up):
    paid = up.pay(up.t01, "wechat", 0, amount_fen=300).json()
    up.pay(up.t01, "wechat", 8, amount_fen=300)
    refund = {"refund_id": uuid7(), "intent_id": paid["intent_id"], "reversal_id": uuid7(), "amount_fen": 100}
    up.t01.post("/scan/refund", json=refund)
    day = Plausibility().local_date(up.clock.now())
    lines = up.providers["wechat"].lines(day)
    assert [(x.kind, x.provider_txn_id, x.amount_fen, x.refund_no) for x in lines] == [
        ("payment", paid["provider_txn_id"], 300, None),
        ("refund", paid["provider_txn_id"], 100, refund["refund_id"].replace("-", ""))]
    assert lines[0].order_no == paid["intent_id"].replace("-", "") and lines[0].at == up.clock.now() + timedelta(hours=8)
    assert up.providers["wechat"].lines(day + timedelta(days=1)) == []
    assert read_statement("wechat", up.providers["wechat"].statement(day)) == lines  # its published layout
    assert up.providers["alipay"].lines(day) == []


def test_each_simulated_provider_serves_its_statement_in_a_layout_reconcile_reads(up):
    for provider, bank in (("wechat", "wechat"), ("alipay", "alipay"), ("unionpay", "bank")):
        paid = up.pay(up.t01, provider, 1, amount_fen=12345).json()
        day = Plausibility().local_date(up.clock.now())
        read = read_statement(bank, up.providers[provider].statement(day))
        assert [(x.kind, x.provider_txn_id, x.amount_fen) for x in read] == [("payment", paid["provider_txn_id"], 12345)]


def test_the_payments_setting(upstream_db):
    assert providers_from_setting("off") == {} == providers_from_setting(None)
    assert sorted(providers_from_setting("simulate", upstream_db)) == ["alipay", "unionpay", "wechat"]
    with pytest.raises(PaymentsSettingError):
        providers_from_setting("simulate")
    with pytest.raises(PaymentsSettingError, match="not 'off', 'simulate' or a readable TOML file"):
        providers_from_setting("/no/such/file.toml", upstream_db)


def test_the_simulators_no_answer_still_charges_once(upstream_db):
    sim = providers_from_setting("simulate", upstream_db)["alipay"]
    with pytest.raises(ProviderUnreachable):
        sim.pay("0" * 32, code("alipay", 9), 100, "电费")
    assert sim.pay("0" * 32, code("alipay", 9), 100, "电费").outcome is Outcome.PAID  # a repeat: the same order
    with upstream_db.sessions() as s:
        assert s.get(SimulatorOrder, ("alipay", "0" * 32)).charged == 1


# --- a kill between the provider's "paid" and the upstream's commit ------------------------------------------

def test_a_kill_between_the_providers_paid_and_the_commit_ends_with_one_charge_and_a_paid_order(upstream_db, tmp_path,
                                                                                                monkeypatch):
    write(upstream_db, *seed_rows(), hall_code="DEMO01")
    enrollment = terminals.create_enrollment_code(upstream_db, "DEMO01", "T01")
    monkeypatch.setenv(FAULT_ENV, "scan_after_provider_paid")
    first = server.spawn(upstream_db.url, extra_args=("--payments", "simulate"))
    try:
        with UpstreamClient(first.url) as anon:
            token = anon.enroll(enrollment).token
        headers = {"Authorization": f"Bearer {token}"}
        body = {"intent_id": uuid7(), "account_no": ACCOUNT, "amount_fen": 4321, "code": code("wechat", 0),
                "provider": "wechat"}
        with pytest.raises(httpx.HTTPError):  # the process died before answering
            httpx.post(first.url + "/v1/scan/pay", json=body, headers=headers, timeout=30)
        assert first.process.wait(30) == FAULT_EXIT
    finally:
        first.stop()
    with upstream_db.sessions() as s:
        assert s.get(ScanOrder, body["intent_id"]).status == "pending"  # committed before the call, nothing after
        assert s.get(SimulatorOrder, ("wechat", body["intent_id"].replace("-", ""))).charged == 1
    monkeypatch.delenv(FAULT_ENV)
    second = server.spawn(upstream_db.url, extra_args=("--payments", "simulate"))
    try:
        status = httpx.get(f"{second.url}/v1/scan/{body['intent_id']}", headers=headers, timeout=30).json()
        assert status["status"] == "paid"
        again = httpx.post(second.url + "/v1/scan/pay", json=body, headers=headers, timeout=30).json()
        assert again == status
    finally:
        second.stop()
    with upstream_db.sessions() as s:
        sim = s.get(SimulatorOrder, ("wechat", body["intent_id"].replace("-", "")))
        assert (sim.charged, sim.pay_calls, sim.txn_id) == (1, 1, status["provider_txn_id"])
        assert s.scalar(select(text("count(*)")).select_from(SimulatorOrder)) == 1


def test_a_charge_whose_payment_never_came_up_is_found_and_named_with_the_terminal_that_scanned_it(up):
    from upstream import reconcile

    paid = up.pay(up.t02, "wechat", 1, amount_fen=4321).json()  # charged; the terminal never pushes the payment
    day = Plausibility().local_date(up.clock.now())
    statement = read_statement("wechat", up.providers["wechat"].statement(day))
    result = reconcile.compare(up.db, day, "wechat", statement)
    assert [(m.kind, m.reference, m.statement_fen, m.terminal_id, m.hall_code) for m in result.mismatches] == [
        ("charged_not_recorded", paid["provider_txn_id"], 4321, "T02", "DEMO01")]
