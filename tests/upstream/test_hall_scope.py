"""A terminal sees its own hall's customers (issue 15, point 4): the snapshot, the change feed and the account
read are scoped to the caller's hall; another hall's account is as unknown, except through the explicit
cross-hall lookup a counter needs for a customer of another hall, which the upstream logs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cashier import shifts
from admin.cli import main as admin
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.store.models import Account as LocalAccount, OutboxEntry
from cashier.sync.client import Refused, UpstreamClient
from cashier.sync.protocol import AccountRow, BillRow
from tests.upstream.conftest import Counter_, seed_rows
from upstream import terminals
from upstream.cli import main as upstream_cli
from upstream.importer import import_files, write
from upstream.models import Account, CrossHallAccess, Document

OURS = {f"31010000{i:02d}" for i in range(1, 7)}  # seed_rows: hall DEMO01
THEIRS = "3102000001"  # hall OTHER9
NOBODYS = "3103000001"  # no hall


def _other_rows():
    theirs = AccountRow(account_no=THEIRS, name="王五", address="河东街道1号", customer_class="residential")
    bill = BillRow(bill_no=f"B{THEIRS}202602", account_no=THEIRS, period="202602", kwh=100, principal_fen=5500,
                   due_date=date(2026, 3, 25), outstanding_fen=5500)
    return theirs, bill


@pytest.fixture
def halls(seeded):
    theirs, bill = _other_rows()
    write(seeded.db, [theirs], [bill], hall_code="OTHER9")
    write(seeded.db, [AccountRow(account_no=NOBODYS, name="赵六", address="无名路1号", customer_class="residential")], [])
    return seeded


@pytest.fixture
def other(halls, tmp_path):
    code = terminals.create_enrollment_code(halls.db, "OTHER9", "X01")
    with UpstreamClient(halls.url) as anon:
        token = anon.enroll(code).token
    client = UpstreamClient(halls.url, token)
    yield client
    client.close()


def _local_accounts(c: Counter_) -> set[str]:
    with c.hall.store.read() as s:
        return set(s.scalars(select(LocalAccount.account_no)))


def _log(up) -> list[tuple]:
    with up.db.sessions() as s:
        return [(r.terminal_id, r.hall_code, r.account_no, r.account_hall, r.action, r.document_id is not None)
                for r in s.scalars(select(CrossHallAccess).order_by(CrossHallAccess.id))]


def test_the_snapshot_holds_the_callers_hall_only(halls, other, tmp_path):
    c = Counter_(tmp_path / "t01", halls)
    try:
        c.syncer.run_once()
        assert _local_accounts(c) == OURS  # not OTHER9's, not the account without a hall
        page = other.snapshot(None, 100, None)
        assert [a.account_no for a in page.accounts] == [THEIRS]
        assert [b.account_no for b in page.bills] == [THEIRS]
    finally:
        c.close()


def test_the_change_feed_holds_the_callers_hall_only(counter, halls, other):
    cursor = counter.client.changes(0, 1000).next_cursor
    theirs, bill = _other_rows()
    write(halls.db, [theirs.model_copy(update={"phone": "13800000000"})],
          [bill.model_copy(update={"outstanding_fen": 100})])  # OTHER9's customer changes (the row keeps its hall)
    write(halls.db, [], [BillRow(bill_no="B3101000002202603", account_no="3101000002", period="202603", kwh=90,
                                 principal_fen=4950, due_date=date(2026, 4, 25), outstanding_fen=4950)])
    page = counter.client.changes(cursor, 1000)
    assert ([a.account_no for a in page.accounts], [b.bill_no for b in page.bills]) == ([], ["B3101000002202603"])
    assert page.next_cursor > cursor and not page.more
    theirs_page = other.changes(cursor, 1000)
    assert [a.account_no for a in theirs_page.accounts] == [THEIRS]
    assert [b.outstanding_fen for b in theirs_page.bills] == [100]


def test_another_halls_account_answers_as_if_it_did_not_exist(counter, halls):
    answers = []
    for number in (THEIRS, NOBODYS, "3109999999"):  # another hall's, nobody's, and no account at all
        with pytest.raises(Refused) as refused:
            counter.client.account(number)
        answers.append((refused.value.status, refused.value.code, refused.value.message.replace(number, "N")))
    assert answers == [(404, "unknown_account", "no account N")] * 3
    assert counter.client.account("3101000001").account.account_no == "3101000001"
    assert _log(halls) == []  # ordinary reads are not cross-hall


def test_the_explicit_cross_hall_lookup_answers_and_is_logged(counter, halls):
    dues = counter.client.account(THEIRS, cross_hall=True)
    assert (dues.account.name, dues.total_due_fen) == ("王五", 5500)
    counter.client.account("3101000001", cross_hall=True)  # one of ours: nothing to log
    with pytest.raises(Refused) as refused:
        counter.client.account("3109999999", cross_hall=True)
    assert refused.value.status == 404
    assert _log(halls) == [("T01", "DEMO01", THEIRS, "OTHER9", "lookup", False),
                           ("T01", "DEMO01", "3109999999", None, "lookup", False)]


def test_a_payment_for_another_halls_customer_is_accepted_flagged_and_logged(counter, halls):
    h = counter.hall
    assert THEIRS not in _local_accounts(counter)
    counter.syncer.refresh_account(THEIRS, cross_hall=True)  # the counter's cross-hall lookup keeps it locally
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    with h.store.read() as s:
        due = quote_account(s, THEIRS, h.clock.business_date()).total_due_fen
    paid = take_payment(h.terminal, h.cashier, THEIRS, due, [TenderLine("cash", due)]).payment_id
    with h.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == paid)))
    [result] = counter.client.push([{"kind": "payment", "body": body}]).results
    assert (result.status, result.flags) == ("accepted", ["cross_hall"])
    assert counter.client.account(THEIRS, cross_hall=True).bills == []  # paid
    with halls.db.sessions() as s:
        assert s.get(Document, paid).status == "accepted"
    assert _log(halls)[1] == ("T01", "DEMO01", THEIRS, "OTHER9", "payment", True)
    # A payment for one of ours carries no such flag.
    paid = take_payment(h.terminal, h.cashier, "3101000002", 500, [TenderLine("cash", 500)]).payment_id
    with h.store.read() as s:
        body = json.loads(s.scalar(select(OutboxEntry.payload).where(OutboxEntry.entity_id == paid)))
    [result] = counter.client.push([{"kind": "payment", "body": body}]).results
    assert (result.status, result.flags) == ("accepted", [])


def test_the_import_names_the_hall_and_a_row_without_one_keeps_it(upstream_db, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_no,name,address,customer_class,hall_code\n"
                        "3101000001,张三,人民路1号,residential,DEMO01\n"
                        "3101000002,李四,人民路2号,residential,\n", encoding="utf-8")
    report = import_files(upstream_db, [accounts], hall_code="EAST01")
    assert (report.accounts, report.without_hall) == (2, 0)
    again = tmp_path / "again.csv"  # a later export without the column: the halls stay
    again.write_text("account_no,name,address,customer_class\n3101000001,张三丰,人民路1号,residential\n"
                     "3101000003,王五,人民路3号,residential\n", encoding="utf-8")
    report = import_files(upstream_db, [again])
    with upstream_db.sessions() as s:
        halls = dict(s.execute(select(Account.account_no, Account.hall_code)).all())
        renamed = s.scalar(select(Account.name).where(Account.account_no == "3101000001"))
    assert halls == {"3101000001": "DEMO01", "3101000002": "EAST01", "3101000003": None}
    assert (renamed, report.without_hall) == ("张三丰", 1)


def test_the_import_command_takes_a_hall_and_warns_of_accounts_without_one(tmp_path: Path, capsys):
    db = str(tmp_path / "up.db")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_no,name,address,customer_class\n3101000001,张三,人民路1号,residential\n",
                        encoding="utf-8")
    assert upstream_cli(["import", "--db", db, str(accounts)]) == 0
    assert "1 accounts have no hall" in capsys.readouterr().err
    assert upstream_cli(["import", "--db", db, "--hall", "DEMO01", str(accounts)]) == 0
    assert "no hall" not in capsys.readouterr().err
    assert upstream_cli(["import", "--db", db, "--hall", "东城", str(accounts)]) == 2
    assert upstream_cli(["cross-hall", "--db", db]) == 0
    assert "0 cross-hall" in capsys.readouterr().err


def test_cashier_admin_looks_up_another_halls_customer_only_when_asked(halls, tmp_path: Path, capsys):
    d = str(tmp_path / "hall")
    assert admin(["--data-dir", d, "init"]) == 0
    code = terminals.create_enrollment_code(halls.db, "DEMO01", "T07")
    assert admin(["--data-dir", d, "enroll", "--upstream", halls.url, "--code", code]) == 0
    capsys.readouterr()
    assert admin(["--data-dir", d, "--lang", "en", "lookup", THEIRS]) != 0
    assert f"Account {THEIRS} is not this hall's" in capsys.readouterr().err
    assert _log(halls) == []
    assert admin(["--data-dir", d, "--lang", "en", "lookup", THEIRS, "--other-hall"]) == 0
    assert "王五" in capsys.readouterr().out
    assert _log(halls) == [("T07", "DEMO01", THEIRS, "OTHER9", "lookup", False)]
    assert admin(["--data-dir", d, "--lang", "en", "lookup", "3109999999", "--other-hall"]) != 0
    assert "no account 3109999999 in any hall" in capsys.readouterr().err
