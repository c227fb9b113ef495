"""The sync protocol end to end, over HTTP on loopback, on SQLite and on real PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select

from cashier import shifts, supervision
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.store.models import Account, Bill, OutboxEntry, Payment
from cashier.sync.client import Refused, UpstreamClient
from cashier.sync.engine import read_status
from tests.upstream.conftest import Counter_
from upstream import accounts, feed, terminals
from upstream.importer import write
from upstream.models import Alarm, Bill as UpBill, Conflict, Document, Terminal
from cashier.sync.protocol import BillRow

FLOAT = {10000: 5, 1000: 10}


def _pay(c: Counter_, account_no: str, amount: int, cash: int | None = None):
    return take_payment(c.hall.terminal, c.hall.cashier, account_no, amount, [TenderLine("cash", cash or amount)])


def _outbox(c: Counter_) -> list[tuple[str, str]]:
    with c.hall.store.read() as s:
        return [(r.kind, r.status) for r in s.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]


def _up(db, model, *where):
    with db.sessions() as s:
        return s.scalars(select(model).where(*where)).all()


def test_snapshot_brings_the_accounts_and_open_bills(counter):
    with counter.hall.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Account)) == 6
        bills = {b.bill_no: b.outstanding_fen for b in s.scalars(select(Bill))}
    assert bills == {"B3101000001202601": 11001, "B3101000001202602": 9901, "B3101000003202601": 11003,
                     "B3101000003202602": 9903, "B3101000005202601": 11005, "B3101000005202602": 9905}
    # The search index knows the new accounts.
    from cashier.search import search
    with counter.hall.store.read() as s:
        assert [h.account_no for h in search(s, "3101000005").hits] == ["3101000005"]


def test_payments_go_up_once_and_are_applied_with_the_same_rules(counter, seeded):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    due = 11001 + 11  # principal plus the 1‰ × 5 days penalty, at least ￥1 … computed by the core
    from cashier.quote import quote_account
    with c.hall.store.read() as s:
        due = quote_account(s, "3101000001", c.hall.clock.business_date()).total_due_fen
    r1 = _pay(c, "3101000001", due + 500, cash=due + 1000)  # overpaid: ￥5 to the prepaid balance
    r2 = _pay(c, "3101000002", 3000)  # nothing owed: prepaid top-up
    report = c.syncer.run_once()
    assert report.pushed == {"accepted": 2}
    assert _outbox(c) == [("payment", "accepted"), ("payment", "accepted")]
    docs = _up(seeded.db, Document, Document.kind == "payment")
    assert sorted(d.id for d in docs) == sorted([r1.payment_id, r2.payment_id])
    with seeded.db.sessions() as s:
        bills = {b.bill_no: b.outstanding_fen for b in s.scalars(select(UpBill))}
        term = s.get(Terminal, "T01")
    assert bills["B3101000001202601"] == 0 and bills["B3101000001202602"] == 0
    assert term.contiguous_seq == 2
    # The upstream's balances equal the terminal's after the pull.
    with c.hall.store.read() as s:
        local = {a.account_no: a.prepaid_balance_fen for a in s.scalars(select(Account))}
    assert local["3101000001"] == 500 and local["3101000002"] == 3000
    dues = c.client.account("3101000001")
    assert dues.account.prepaid_balance_fen == 500 and dues.total_due_fen == 0


def test_a_resent_batch_is_answered_duplicate_and_applied_once(counter, seeded):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    _pay(c, "3101000002", 2500)
    with c.hall.store.read() as s:
        row = s.execute(select(OutboxEntry.kind, OutboxEntry.payload)).one()
    items = [{"kind": row.kind, "body": json.loads(row.payload)}]
    first = c.client.push(items)
    again = c.client.push(items)
    assert [r.status for r in first.results] == ["accepted"]
    assert [r.status for r in again.results] == ["duplicate"]
    assert c.client.account("3101000002").account.prepaid_balance_fen == 2500


def test_same_id_other_body_is_a_conflict_kept_and_never_applied(counter, seeded):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    _pay(c, "3101000002", 2500)
    c.syncer.run_once()
    with c.hall.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload)))
    forged = dict(body, amount_fen=250000, applied_fen=0, prepaid_credit_fen=250000, tendered_fen=250000,
                  tenders=[{"kind": "cash", "amount_fen": 250000, "reference": None}])
    answer = c.client.push([{"kind": "payment", "body": forged}])
    assert answer.results[0].status == "conflict"
    # A different id reusing the receipt number is a conflict too.
    reused = dict(body, id="01900000-0000-7000-8000-000000000001")
    assert c.client.push([{"kind": "payment", "body": reused}]).results[0].status == "conflict"
    assert c.client.account("3101000002").account.prepaid_balance_fen == 2500
    assert len(_up(seeded.db, Conflict)) == 2
    assert {a.kind for a in _up(seeded.db, Alarm)} == {"conflict"}


def test_a_gap_in_the_sequence_raises_an_alarm_until_filled(counter, seeded):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    for amount in (1000, 2000, 3000):
        _pay(c, "3101000002", amount)
    with c.hall.store.read() as s:
        rows = s.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
        items = [{"kind": r.kind, "body": json.loads(r.payload)} for r in rows]
    assert c.client.push([items[0], items[2]]).contiguous_seq == 1
    gaps = _up(seeded.db, Alarm, Alarm.kind == "sequence_gap")
    assert len(gaps) == 1 and gaps[0].cleared_at is None and json.loads(gaps[0].detail)["missing_from"] == 2
    assert c.client.push([items[1]]).contiguous_seq == 3
    assert _up(seeded.db, Alarm, Alarm.kind == "sequence_gap")[0].cleared_at is not None


def test_shift_close_totals_are_checked_and_late_payments_flagged(counter, seeded):
    c = counter
    t, h = c.hall.terminal, c.hall
    shifts.open_shift(t, h.cashier, FLOAT)
    _pay(c, "3101000002", 2000)
    take_payment(t, h.cashier, "3101000004", 5000, [TenderLine("wechat", 5000, "4200001234")])
    counted = {10000: 5, 1000: 12}  # float 600.00 + 20.00 cash
    shifts.close_shift(t, h.cashier, counted)
    report = c.syncer.run_once()
    assert report.pushed == {"accepted": 3}
    assert not _up(seeded.db, Alarm, Alarm.kind == "shift_difference")

    # Another shift: its close reaches the upstream before one of its payments (sent out of order by hand).
    shifts.open_shift(t, h.cashier2, FLOAT)
    _pay_as = take_payment(t, h.cashier2, "3101000006", 1500, [TenderLine("cash", 1500)])
    second = shifts.close_shift(t, h.cashier2, {10000: 5, 1000: 10, 500: 3}).shift_id
    with h.store.read() as s:
        rows = s.scalars(select(OutboxEntry).where(OutboxEntry.status == "pending").order_by(OutboxEntry.id)).all()
        pay, close = [{"kind": r.kind, "body": json.loads(r.payload)} for r in rows]
    answer = c.client.push([close])
    assert answer.results[0].flags == ["totals_differ"]  # the upstream does not hold the payment yet
    report = c.syncer.run_once()  # the payment, then the close again (a duplicate now)
    assert report.pushed == {"accepted": 1, "duplicate": 1}
    with h.store.read() as s:
        note = s.scalar(select(OutboxEntry.last_error).where(OutboxEntry.entity_id == _pay_as.payment_id))
        review = supervision.review_of(s, second)
    assert note == "after_shift_close"
    # The supervisor's review of that shift lists the payment the upstream flagged.
    assert [(p.payment_id, p.why, p.amount_fen) for p in review.late] == [(_pay_as.payment_id, "upstream", 1500)]
    kinds = sorted(a.kind for a in _up(seeded.db, Alarm))
    assert kinds == ["after_shift_close", "shift_difference"]
    assert _up(seeded.db, Document, Document.id == _pay_as.payment_id)[0].after_shift_close


def test_reversal_undoes_exactly_what_the_upstream_applied(counter, seeded):
    c = counter
    t, h = c.hall.terminal, c.hall
    shifts.open_shift(t, h.cashier, FLOAT)
    from cashier.quote import quote_account
    with h.store.read() as s:
        due = quote_account(s, "3101000005", h.clock.business_date()).total_due_fen
    paid = _pay(c, "3101000005", due + 700)
    c.syncer.run_once()
    approval = h.approve("reversal", paid.payment_id, "客户付错户号")
    reverse_payment(t, h.cashier, paid.payment_id, approval, "客户付错户号")
    assert c.syncer.run_once().pushed == {"accepted": 1}
    dues = c.client.account("3101000005")
    assert [b.outstanding_fen for b in dues.bills] == [11005, 9905]
    assert dues.account.prepaid_balance_fen == 0


def test_other_channel_payments_and_new_bills_reach_the_terminal(counter, seeded):
    c = counter
    accounts.pay_other_channel(seeded.db, "3101000001", 50000, "95598", date(2026, 3, 2))
    write(seeded.db, [], [BillRow(bill_no="B3101000002202603", account_no="3101000002", period="202603", kwh=90,
                                  principal_fen=4950, due_date=date(2026, 4, 25), outstanding_fen=4950)])
    report = c.syncer.run_once()
    assert report.accounts == 1 and report.bills == 3
    with c.hall.store.read() as s:
        bills = {b.bill_no: b.outstanding_fen for b in s.scalars(select(Bill))}
        balance = s.scalar(select(Account.prepaid_balance_fen).where(Account.account_no == "3101000001"))
    assert bills["B3101000001202601"] == 0 and bills["B3101000001202602"] == 0
    assert bills["B3101000002202603"] == 4950
    assert balance > 0


def test_a_pull_keeps_the_effect_of_payments_not_yet_uploaded(counter, seeded):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    from cashier.quote import quote_account
    with c.hall.store.read() as s:
        due = quote_account(s, "3101000003", c.hall.clock.business_date()).total_due_fen
    _pay(c, "3101000003", due + 300)
    # The upstream changes the same account meanwhile (a bill is re-issued); pull without pushing.
    accounts.pay_other_channel(seeded.db, "3101000003", 100, "bank", date(2026, 3, 2))
    from cashier.sync.engine import RoundReport
    c.syncer.pull(RoundReport())
    with c.hall.store.read() as s:
        owed = s.scalar(select(func.sum(Bill.outstanding_fen)).join(Account).where(Account.account_no == "3101000003"))
        balance = s.scalar(select(Account.prepaid_balance_fen).where(Account.account_no == "3101000003"))
    assert owed == 0  # still paid here
    assert balance >= 300


def test_refetch_when_the_cursor_is_older_than_the_feed(counter, seeded):
    c = counter
    accounts.pay_other_channel(seeded.db, "3101000004", 1200, "alipay", date(2026, 3, 2))
    with seeded.db.sessions() as s:
        top = feed.high_water(s)
    feed.compact_feed(seeded.db, top)
    with pytest.raises(Refused) as refused:
        c.client.changes(0, 10)
    assert refused.value.status == 410 and refused.value.code == "refetch"
    report = c.syncer.run_once()
    assert report.snapshot
    with c.hall.store.read() as s:
        assert s.scalar(select(Account.prepaid_balance_fen).where(Account.account_no == "3101000004")) == 1200


def test_security(counter, seeded):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    _pay(c, "3101000002", 1000)
    with c.hall.store.read() as s:
        item = {"kind": "payment", "body": json.loads(s.scalar(select(OutboxEntry.payload)))}
    with httpx.Client(base_url=seeded.url + "/v1") as raw:
        assert raw.post("/push", json={"items": [item]}).status_code == 401
        assert raw.post("/push", json={"items": [item]}, headers={"Authorization": "Bearer nonsense"}).status_code == 401
        assert raw.get("/changes").status_code == 401
    # Another terminal's credentials cannot push this terminal's documents.
    code = terminals.create_enrollment_code(seeded.db, "DEMO01", "T02")
    with UpstreamClient(seeded.url) as anon:
        token2 = anon.enroll(code).token
        with pytest.raises(Refused) as used:
            anon.enroll(code)
        assert used.value.status == 403 and used.value.code == "code_used"
    with UpstreamClient(seeded.url, token2) as other:
        foreign = other.push([item])  # answered item by item (issue 15, point 6), and never stored
    assert [(r.status, r.reason) for r in foreign.results] == [("rejected", "other_terminal")]
    # Revoked credentials stop working at once.
    terminals.revoke(seeded.db, "T01")
    with pytest.raises(Refused) as revoked:
        c.client.push([item])
    assert revoked.value.status == 401
    assert not _up(seeded.db, Document)
    assert read_status(c.hall.store.read().__enter__(), configured=True).pending == 1


def test_a_late_committing_transaction_is_not_skipped(tmp_path):
    """Change numbers are handed out under the counter's row lock, so numbers become visible in order."""
    from tests.helpers import pg as pg_helper
    from upstream import server
    from upstream.db import Database
    from tests.upstream.conftest import seed_rows

    url = pg_helper.create_database()
    db = Database(url)
    try:
        write(db, *seed_rows(), hall_code="DEMO01")
        up = server.start(db)
        c = Counter_(tmp_path / "t", up)
        c.syncer.run_once()
        slow = db.sessions()
        slow.begin()
        bill = slow.scalar(select(UpBill).where(UpBill.bill_no == "B3101000001202601"))
        bill.outstanding_fen = 1
        slow.flush()
        feed.stamp_changes(slow, [], [bill.id])  # holds the counter's row lock until commit
        done = threading.Event()

        def fast():
            accounts.pay_other_channel(db, "3101000006", 800, "wechat", date(2026, 3, 2))
            done.set()

        worker = threading.Thread(target=fast)
        worker.start()
        c.syncer.run_once()  # sees neither yet
        assert not done.wait(0.5)  # the fast transaction waits for its number
        slow.commit()
        slow.close()
        worker.join(10)
        report = c.syncer.run_once()
        assert report.bills == 1 and report.accounts == 1
        with c.hall.store.read() as s:
            assert s.scalar(select(Bill.outstanding_fen).where(Bill.bill_no == "B3101000001202601")) == 1
            assert s.scalar(select(Account.prepaid_balance_fen).where(Account.account_no == "3101000006")) == 800
        c.close()
        up.stop()
    finally:
        db.dispose()
        pg_helper.drop_database(url)


def test_enroll_and_sync_from_the_command_line(seeded, tmp_path, capsys):
    from admin.cli import main

    d = str(tmp_path / "cli")
    assert main(["--data-dir", d, "init"]) == 0
    assert main(["--data-dir", d, "sync"]) == 3
    assert "尚未注册" in capsys.readouterr().err
    code = terminals.create_enrollment_code(seeded.db, "DEMO01", "T09")  # the seeded accounts' hall
    assert main(["--data-dir", d, "enroll", "--upstream", seeded.url, "--code", code]) == 0
    out = capsys.readouterr().out
    assert "DEMO01" in out and "T09" in out
    token = json.loads((tmp_path / "cli" / "upstream.json").read_text())["token"]
    # Again from this data folder (its terminal key): the same enrollment; from another PC: the code is used.
    assert main(["--data-dir", d, "enroll", "--upstream", seeded.url, "--code", code]) == 0
    capsys.readouterr()
    assert json.loads((tmp_path / "cli" / "upstream.json").read_text())["token"] == token
    other = str(tmp_path / "other")
    assert main(["--data-dir", other, "init"]) == 0
    assert main(["--data-dir", other, "enroll", "--upstream", seeded.url, "--code", code]) == 3
    assert "already used" in capsys.readouterr().err
    assert main(["--data-dir", d, "sync"]) == 0
    out = capsys.readouterr().out
    assert "6 户" in out and "全量" in out
    creds = (tmp_path / "cli" / "upstream.json")
    assert oct(creds.stat().st_mode & 0o777) == "0o600"
    log_text = "".join(p.read_text() for p in (tmp_path / "cli" / "logs").glob("*.log*"))
    assert json.loads(creds.read_text())["token"] not in log_text


def test_the_hall_day_shows_every_counter_of_the_hall_and_no_other(counter, seeded, tmp_path):
    """The supervisor's PC sees the other counters of its hall as they uploaded; another hall sees nothing."""
    from datetime import timedelta

    second = Counter_(tmp_path / "t02", seeded, terminal_id="T02")
    stranger_code = terminals.create_enrollment_code(seeded.db, "OTHER9", "X01")
    try:
        second.syncer.run_once()
        t = second.hall.terminal
        shifts.open_shift(t, second.hall.cashier, FLOAT)
        _pay(second, "3101000001", 5000, cash=10000)
        second.hall.clock.advance(hours=2)
        card = take_payment(t, second.hall.cashier, "3101000003", 3000, [TenderLine("bank_card", 3000, "RRN1")])
        approval = second.hall.approve("reversal", card.payment_id, for_actor=second.hall.cashier)
        reverse_payment(t, second.hall.cashier, card.payment_id, approval, "刷错卡")
        _pay(second, "3101000005", 2000)
        closed = shifts.close_shift(t, second.hall.cashier, {10000: 5, 1000: 10, 100: 68}, reason="少找零")
        second.syncer.run_once()
        with second.hall.store.read() as s:
            from cashier.reports import shift_totals
            totals = shift_totals(s, closed.shift_id)
            stamps = list(s.scalars(select(Payment.created_at)))
        day = counter.client.hall_day(second.hall.clock.business_date())
        assert [d.terminal_id for d in day.terminals] == ["T02"]  # T01 has uploaded nothing today
        t02 = day.terminals[0]
        assert (t02.by_tender, t02.payments, t02.reversals) == (totals.by_tender, totals.payments, totals.reversals)
        assert (t02.shifts_closed, t02.over_short_fen) == (1, closed.over_short_fen)
        assert sum(h.payments for h in t02.by_hour) == 2 + 1 and sum(h.net_fen for h in t02.by_hour) == totals.net_fen
        assert {h.at for h in t02.by_hour} == {at.replace(minute=0, second=0, microsecond=0) for at in stamps}
        assert counter.client.hall_day(second.hall.clock.business_date() + timedelta(days=1)).terminals == []
        with UpstreamClient(seeded.url) as c:
            stranger = UpstreamClient(seeded.url, c.enroll(stranger_code).token)
        try:
            assert stranger.hall_day(second.hall.clock.business_date()).terminals == []
        finally:
            stranger.close()
        with UpstreamClient(seeded.url, "not-a-token") as nobody, pytest.raises(Refused):
            nobody.hall_day(date(2026, 3, 2))
    finally:
        second.close()


def test_upstream_migrations_build_what_the_models_say(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from upstream.db import Database
    from upstream.models import Base

    db = Database(str(tmp_path / "up.db"))
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata) == []
    db.dispose()
