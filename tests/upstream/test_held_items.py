"""Uploads the upstream held (issue 15, point 9): a real push makes them, the supervisor sees them with
the upstream's reason in words and settles them; no payment is ever lost or counted twice.

Every test runs against the reference upstream on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from sqlalchemy import select

from cashier import audit, events, held_items, shifts
from admin.cli import main as admin
from cashier.errors import DomainError
from cashier.payments import TenderLine, take_payment
from cashier.reports import shift_totals
from cashier.search import bill_barcode
from cashier.store.models import AuditEntry, HeldResolution, OutboxEntry, Payment
from cashier.sync.engine import read_status
from cashier.sync.protocol import AccountRow, BillRow
from tests.helpers.hall import PASSWORD, add_account
from upstream import alarms
from upstream.importer import write
from upstream.models import Document

NEW = "3101000099"  # an account opened at the hall today, not yet in the upstream's books
FLOAT = {10000: 5}  # ￥500 opening float


def _held_payment(c) -> tuple[str, str]:
    """A cash payment on an account only this PC knows, pushed: the upstream refuses it. (payment id, shift id)"""
    add_account(c.hall.store, NEW, name="周新户", bills=[("202602", 8800, date(2026, 3, 25))])
    shift = shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    paid = take_payment(c.hall.terminal, c.hall.cashier, NEW, 8800, [TenderLine("cash", 10000)])
    report = c.syncer.run_once()
    assert report.pushed == {"rejected": 1}
    return paid.payment_id, shift


def _the_held(c) -> held_items.HeldItem:
    with c.hall.store.read() as s:
        items = held_items.held_items(s, zone="Asia/Shanghai")
    assert len(items) == 1
    return items[0]


def _create_account_upstream(db) -> None:
    write(db, [AccountRow(account_no=NEW, name="周新户", address="城关镇新华路1号", customer_class="residential")],
          [BillRow(bill_no=bill_barcode(NEW, "202602"), account_no=NEW, period="202602", kwh=160, principal_fen=8800,
                   due_date=date(2026, 3, 25), outstanding_fen=8800)], hall_code="DEMO01")


def test_a_payment_the_upstream_refused_is_listed_with_its_reason_in_words(counter, seeded, capsys):
    c = counter
    payment_id, _ = _held_payment(c)
    item = _the_held(c)
    assert (item.kind, item.entity_id, item.status, item.code) == ("payment", payment_id, "rejected", "unknown_account")
    assert item.reason("zh") == "上级系统没有这个户号"
    assert item.reason("en") == "The upstream has no such account"
    assert item.account_no == NEW and item.amount_fen == 8800 and item.seq == 1
    assert item.record.describe("zh") == "收费 00000001  户号 3101000099  ￥88.00  收费员 李娜  2026-03-02 10:00"
    assert "￥88.00 counts in this PC's shift totals" in item.kept("en")
    with c.hall.store.read() as s:
        detail = held_items.held_detail(s, item.outbox_id)
        assert read_status(s, configured=True).held == 1
    assert detail.payload["id"] == payment_id and detail.payload["amount_fen"] == 8800 and detail.resolutions == []

    # The technician's command line says the same, in Chinese or English.
    folder = str(c.hall.store.path.parent)
    assert admin(["--data-dir", folder, "conflicts", "list"]) == 1  # something is held: a check failed
    out = capsys.readouterr().out
    assert "待班长处理的上传 1 笔" in out and "上级系统没有这个户号" in out and "00000001" in out
    assert admin(["--data-dir", folder, "--lang", "en", "conflicts", "show", str(item.outbox_id)]) == 0
    out = capsys.readouterr().out
    assert "Upload 1: payment, rejected" in out and "The upstream has no such account" in out
    assert "Reason code: unknown_account" in out and payment_id in out


def test_an_unknown_reason_code_is_shown_as_it_came():
    assert held_items.reason_text("policy_version_mismatch", "zh") == "policy_version_mismatch"
    assert held_items.reason_text("malformed: body.tenders: too many", "en") == \
        "The upstream found the document malformed: body.tenders: too many"
    assert held_items.reason_text("reversal_amounts_differ", "zh") == "冲正金额（实收、预存、减免）与原收费不符"


def test_retry_goes_up_again_and_is_accepted_once_the_upstream_has_the_account(counter, seeded):
    c = counter
    payment_id, _ = _held_payment(c)
    item = _the_held(c)
    _create_account_upstream(seeded.db)
    # The upstream remembers its refusal of this very body: a retry alone comes back refused.
    again = held_items.resolve(c.hall.terminal, item.outbox_id, "retry", "户号已在营销系统建档", "super1", PASSWORD)
    assert again.status == "pending"
    assert c.syncer.run_once().pushed == {"rejected": 1}
    # Its operator reopens the refusal (the account exists now); the next retry is judged afresh.
    record = alarms.reopen_refused(seeded.db, payment_id, "新户已建档，请终端重传")
    assert record.kind == "reopened" and record.detail["reason"] == "unknown_account" and not record.open
    held_items.resolve(c.hall.terminal, item.outbox_id, "retry", "上级系统已重新受理", "super2", PASSWORD)
    assert c.syncer.run_once().pushed == {"accepted": 1}
    with seeded.db.sessions() as s:
        doc = s.get(Document, payment_id)
        assert doc.status == "accepted" and doc.amount_fen == 8800
    with c.hall.store.read() as s:
        assert s.scalar(select(OutboxEntry.status).where(OutboxEntry.entity_id == payment_id)) == "accepted"
        assert read_status(s, configured=True).held == 0
        steps = [(r.action, r.held_status, r.upstream_note) for r in s.scalars(select(HeldResolution)
                                                                                .order_by(HeldResolution.id))]
    assert steps == [("retry", "rejected", "unknown_account"), ("retry", "rejected", "unknown_account")]
    assert c.client.account(NEW).total_due_fen == 0


def test_dismiss_keeps_the_payment_and_its_money_in_the_shift_and_is_audited(counter, seeded, capsys):
    c = counter
    payment_id, shift_id = _held_payment(c)
    item = _the_held(c)
    with c.hall.store.read() as s:
        before = shift_totals(s, shift_id)
    heard = []
    c.hall.store.events.subscribe(heard.append, events.HELD_RESOLVED)
    done = held_items.resolve(c.hall.terminal, item.outbox_id, "dismiss", "新户改由营销系统补录", "super1", PASSWORD,
                              signed_in=c.hall.supervisor)
    assert done.status == "resolved" and "金额 ￥88.00 计入本机班次合计" in done.kept("zh")
    with c.hall.store.read() as s:
        assert s.get(Payment, payment_id).applied_fen == 8800
        after = shift_totals(s, shift_id)
        assert (after.payments, after.payments_fen, after.by_tender) == (before.payments, before.payments_fen,
                                                                         before.by_tender)
        assert after.expected_cash_fen == before.expected_cash_fen == 50000 + 8800
        entry = s.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == payment_id))
        assert (entry.status, entry.last_error) == ("resolved", "unknown_account")
        assert read_status(s, configured=True).held == 0
        resolution = s.scalar(select(HeldResolution))
        assert (resolution.action, resolution.reason, resolution.resolved_by) == (
            "dismiss", "新户改由营销系统补录", c.hall.supervisor.user_id)
        logged = s.scalar(select(AuditEntry).where(AuditEntry.action == "held.resolve"))
        assert logged.subject == payment_id and logged.user_id == c.hall.supervisor.user_id
        assert json.loads(logged.detail)["action"] == "dismiss" and json.loads(logged.detail)["upstream"] == \
            "unknown_account"
        assert audit.verify(s).ok
        assert held_items.held_items(s) == []
        assert [i.outbox_id for i in held_items.held_items(s, include_resolved=True)] == [item.outbox_id]
    assert [(e["outbox_id"], e["action"]) for e in heard] == [(item.outbox_id, "dismiss")]
    # Never sent again, never counted twice.
    assert c.syncer.run_once().pushed == {}
    with pytest.raises(DomainError) as info:
        held_items.resolve(c.hall.terminal, item.outbox_id, "dismiss", "再来一次", "super1", PASSWORD)
    assert info.value.key == "held.not_held"
    folder = str(c.hall.store.path.parent)
    assert admin(["--data-dir", folder, "--lang", "en", "conflicts", "show", str(item.outbox_id)]) == 0
    out = capsys.readouterr().out
    assert "resolved" in out and "dismiss, because: 新户改由营销系统补录" in out and "陈静" in out


def test_only_a_supervisor_with_the_right_password_and_a_reason_resolves(counter, seeded):
    c = counter
    _held_payment(c)
    item = _the_held(c)
    t = c.hall.terminal
    tries = [(("dismiss", "核实", "c1", PASSWORD), "auth.not_supervisor"),
             (("dismiss", "核实", "super1", "wrong-one"), "auth.bad_credentials"),
             (("dismiss", "  ", "super1", PASSWORD), "auth.reason_required"),
             (("forget", "核实", "super1", PASSWORD), "held.bad_action")]
    for (action, reason, user, password), key in tries:
        with pytest.raises(DomainError) as info:
            held_items.resolve(t, item.outbox_id, action, reason, user, password)
        assert info.value.key == key
    with pytest.raises(DomainError) as info:
        held_items.resolve(t, 999, "dismiss", "核实", "super1", PASSWORD)
    assert info.value.key == "held.not_found"
    assert _the_held(c).status == "rejected"
    with c.hall.store.read() as s:
        assert s.scalar(select(HeldResolution.id)) is None
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "approve.failed")) is not None


def test_a_conflict_shows_what_the_upstream_kept_and_cannot_be_retried(counter, seeded, capsys):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    paid = take_payment(c.hall.terminal, c.hall.cashier, "3101000002", 2500, [TenderLine("cash", 2500)])
    with c.hall.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload)))
    # Another body under this payment's id reached the upstream first (a restored copy, a forged one).
    other = dict(body, amount_fen=3000, prepaid_credit_fen=3000, tendered_fen=3000,
                 tenders=[{"kind": "cash", "amount_fen": 3000, "reference": None}])
    assert c.client.push([{"kind": "payment", "body": other}]).results[0].status == "accepted"
    assert c.syncer.run_once().pushed == {"conflict": 1}
    item = _the_held(c)
    assert (item.status, item.code, item.entity_id) == ("conflict", "id_reused", paid.payment_id)
    assert item.reason("zh") == "同一单据号已以不同内容上传过，上级系统保留先到的那份"
    with pytest.raises(DomainError) as info:
        held_items.resolve(c.hall.terminal, item.outbox_id, "retry", "再传", "super1", PASSWORD)
    assert info.value.key == "held.retry_conflict"
    # The upstream's side: the held body against the one it kept, and the alarm.
    [conflict] = alarms.list_conflicts(seeded.db, open_only=True)
    assert conflict.document_id == paid.payment_id and conflict.why == "id_reused"
    assert conflict.kept_id == paid.payment_id and conflict.kept_status == "accepted"
    assert {"amount_fen", "prepaid_credit_fen", "tendered_fen", "tenders"} <= set(conflict.differs)
    assert conflict.body["amount_fen"] == 2500 and conflict.kept["amount_fen"] == 3000
    # The supervisor settles it from the command line: the upstream's answer stands.
    os.environ["CASHIER_SUPERVISOR_PASSWORD"] = PASSWORD
    try:
        code = admin(["--data-dir", str(c.hall.store.path.parent), "conflicts", "resolve", str(item.outbox_id),
                      "--action", "accept-upstream", "--reason", "上级按 30 元入账，差额已补收", "--supervisor", "super1"])
    finally:
        del os.environ["CASHIER_SUPERVISOR_PASSWORD"]
    out = capsys.readouterr().out
    assert code == 0, out
    assert "已处理上传 1" in out and "以上级系统的答复为准" in out and "本机记录保留，金额仍计入本机班次" in out
    assert admin(["--data-dir", str(c.hall.store.path.parent), "conflicts", "resolve", str(item.outbox_id),
                  "--action", "dismiss", "--reason", "x"]) == 3  # no supervisor named: refused before anything
    assert "--supervisor" in capsys.readouterr().err
    with c.hall.store.read() as s:
        assert s.get(Payment, paid.payment_id).prepaid_credit_fen == 2500  # the local record is as it was taken
        assert read_status(s, configured=True).held == 0
