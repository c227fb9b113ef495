"""Meter readings (起码/止码) from the upstream to the paper (issue 16, point 6).

Real upstream on a loopback port (SQLite and PostgreSQL), real terminal store, the terminal's real sync;
the receipt is rendered to ESC/POS bytes and decoded back, and its PDF copy is read with pdftotext. A
terminal of protocol version 2 (strict models, which refuse unknown fields) is served the changes, the
snapshot and the dues without the readings; the importer refuses bad readings with the row and the field.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from cashier import shifts
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.store.models import Bill
from cashier.sync import protocol as p
from cashier.sync.client import UpstreamClient
from cashier.sync.engine import STAGE_BILLS, get_state
from receipts.builders import Hall, payment_document
from receipts.escpos_render import render_escpos
from receipts.layout import COLUMNS
from tests.helpers.escpos_decode import decode
from tests.test_receipt_money import assert_receipt_adds_up
from tests.upstream.conftest import Counter_, seed_rows
from upstream.import_demo import demo_rows
from upstream.importer import import_files, validate, write

HALL = Hall("城关供电营业厅", "T01", "1号窗口")
READ = "3101000001"  # its two bills have readings: a mechanical register and, after a meter change, an electronic one
UNREAD = "3101000005"  # its bills have none


def _rows_with_readings():
    accounts, bills = seed_rows()
    out = []
    for b in bills:
        if b.account_no == READ:
            start, end = ("08513", "8713") if b.period == "202601" else ("1386.45", "1566.45")
            b = b.model_copy(update={"reading_start": p.meter_reading(start), "reading_end": p.meter_reading(end)})
        out.append(b)
    return accounts, out


@pytest.fixture
def read_hall(running):
    write(running.db, *_rows_with_readings(), hall_code="DEMO01")
    return running


@pytest.fixture
def counter(read_hall, tmp_path: Path):
    c = Counter_(tmp_path / "t01", read_hall)
    c.syncer.run_once()  # snapshot
    yield c
    c.close()


def _readings(c) -> dict[str, tuple]:
    with c.hall.store.read() as s:
        return {r.bill_no: (r.reading_start, r.reading_end) for r in
                s.execute(select(Bill.bill_no, Bill.reading_start, Bill.reading_end))}


def test_readings_go_from_the_upstream_to_the_receipt_bytes_and_the_pdf(counter, tmp_path):
    assert _readings(counter)[f"B{READ}202601"] == ("8513", "8713")  # the register's leading zero dropped
    assert _readings(counter)[f"B{READ}202602"] == ("1386.45", "1566.45")  # the meter's decimals kept
    assert _readings(counter)[f"B{UNREAD}202601"] == (None, None)
    hall = counter.hall
    shifts.open_shift(hall.terminal, hall.cashier, {10000: 5})
    with hall.store.read() as s:
        due = quote_account(s, READ, hall.clock.business_date()).total_due_fen
    paid = take_payment(hall.terminal, hall.cashier, READ, due, [TenderLine("cash", due + 1000)])
    with hall.store.read() as s:
        doc = payment_document(s, HALL, paid.payment_id)
    for width in (58, 80):
        job = decode(render_escpos(doc, width))
        text = "\n".join(line.text for line in job.lines)
        joined = "".join(line.text.strip() for line in job.lines)
        assert "起码8513 止码8713 用电200kWh" in joined
        assert "起码1386.45 止码1566.45" in text and "用电180kWh" in text  # on 58 mm the kWh goes under them
        assert "200kWh ￥" not in text  # the kWh is said once, on the readings line
        for line in job.lines:
            assert line.columns <= (COLUMNS[width] // 2 if line.size == 0x11 else COLUMNS[width]), line.text
            assert "1386." not in line.text or "1386.45" in line.text  # a reading is never split
        assert_receipt_adds_up(doc, width)  # the readings line carries no amount: the money lines still add up
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils for the PDF copy")
    from receipts.pdf import document_pdf

    pdf = document_pdf(doc, tmp_path / "copy.pdf")
    copy = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "起码8513 止码8713 用电200kWh" in copy and "起码1386.45 止码1566.45 用电180kWh" in copy


def test_a_bill_without_readings_prints_as_before(counter):
    hall = counter.hall
    shifts.open_shift(hall.terminal, hall.cashier, {10000: 5})
    with hall.store.read() as s:
        due = quote_account(s, UNREAD, hall.clock.business_date()).total_due_fen
    paid = take_payment(hall.terminal, hall.cashier, UNREAD, due, [TenderLine("cash", due)])
    with hall.store.read() as s:
        doc = payment_document(s, HALL, paid.payment_id)
    text = "\n".join(line.text for line in decode(render_escpos(doc, 80)).lines)
    assert "电费 200kWh" in text and "起码" not in text and "止码" not in text


def test_changed_readings_come_down_with_the_changes(counter, read_hall, tmp_path):
    accounts, bills = _rows_with_readings()
    fixed = [b.model_copy(update={"reading_start": "1390.05", "reading_end": "1570.05"})
             for b in bills if b.bill_no == f"B{READ}202602"]
    given = [b.model_copy(update={"reading_start": "77", "reading_end": "277"})
             for b in bills if b.bill_no == f"B{UNREAD}202601"]
    write(read_hall.db, [], fixed + given)
    report = counter.syncer.run_once()
    assert not report.snapshot
    got = _readings(counter)
    assert got[f"B{READ}202602"] == ("1390.05", "1570.05") and got[f"B{UNREAD}202601"] == ("77", "277")


def test_a_snapshot_staged_by_an_older_program_is_taken_again_with_the_readings(read_hall, tmp_path):
    c = Counter_(tmp_path / "t02", read_hall)
    try:
        # A snapshot begun by the previous program, cut short after a page: staging tables without readings.
        with c.hall.store.transaction() as s:
            conn = s.connection()
            conn.exec_driver_sql("CREATE TABLE sync_snapshot_accounts (account_no, name)")
            conn.exec_driver_sql(f"CREATE TABLE {STAGE_BILLS} (bill_no, account_no, period)")
            from cashier.sync.engine import set_state

            set_state(s, snapshot_after="3101000003", snapshot_as_of=1)
        c.syncer.run_once()
        assert _readings(c)[f"B{READ}202601"] == ("8513", "8713")
        with c.hall.store.read() as s:
            assert get_state(s, "snapshot_as_of") is None
    finally:
        c.close()


# --- a terminal of protocol version 2 -----------------------------------------------------------------

class _Old(p._Strict):
    pass


class OldBillRow(_Old):
    """BillRow as terminals of protocol version 2 have it: strict, no readings."""

    bill_no: str
    account_no: str
    period: str
    kwh: int
    principal_fen: int
    due_date: date
    outstanding_fen: int
    penalty_settled_through: date | None = None
    cancelled: bool = False
    change_no: int = 0


class OldChangesPage(_Old):
    accounts: list[p.AccountRow]
    bills: list[OldBillRow]
    next_cursor: int
    more: bool
    policy: p.PenaltyPolicyBody | None = None


class OldSnapshotPage(_Old):
    accounts: list[p.AccountRow]
    bills: list[OldBillRow]
    as_of: int
    next_after: str | None
    policy: p.PenaltyPolicyBody | None = None


class OldAccountDues(_Old):
    account: p.AccountRow
    bills: list[OldBillRow]
    on: date
    penalty_fen: int
    total_due_fen: int


def _get(client: UpstreamClient, version: str | None, path: str, **params):
    request = client.http.build_request("GET", path, params=params)
    del request.headers[p.PROTOCOL_HEADER]  # a terminal of version 1 says none
    if version is not None:
        request.headers[p.PROTOCOL_HEADER] = version
    answer = client.http.send(request)
    answer.raise_for_status()
    return answer.content


@pytest.mark.parametrize("version", [None, "1", "2"])
def test_an_older_terminal_is_served_the_bills_without_readings(counter, version):
    client = counter.client
    for path, params, model in (("/changes", {"cursor": 0}, OldChangesPage),
                                ("/snapshot", {"limit": 3}, OldSnapshotPage),
                                ("/snapshot", {"limit": 3, "after": "3101000003"}, OldSnapshotPage),
                                (f"/accounts/{READ}", {}, OldAccountDues)):
        body = _get(client, version, path, **params)
        page = model.model_validate_json(body)  # its strict models accept it as they always did
        assert page.bills and b"reading_" not in body, path


def test_the_old_models_would_refuse_what_a_version_3_terminal_gets(counter):
    """The gate matters: the same answers to a terminal of version 3 carry the readings, which an old
    terminal's strict models refuse."""
    client = counter.client
    for path, params, model in (("/changes", {"cursor": 0}, OldChangesPage),
                                ("/snapshot", {"limit": 10}, OldSnapshotPage),
                                (f"/accounts/{READ}", {}, OldAccountDues)):
        body = _get(client, str(p.PROTOCOL_VERSION), path, **params)
        assert b'"reading_start":"8513"' in body or b'"reading_start":"1386.45"' in body, path
        with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
            model.model_validate_json(body)
    dues = client.account(READ)
    assert {(b.reading_start, b.reading_end) for b in dues.bills} == {("8513", "8713"), ("1386.45", "1566.45")}


def test_both_snapshot_builders_agree_on_the_readings(read_hall):
    from upstream import feed

    db = read_hall.db
    for readings in (True, False):
        built = feed.snapshot_json(db, None, 10, None, readings=readings)
        rows = feed._snapshot_json_rows(db, None, 10, json.loads(built)["as_of"], readings=readings)
        assert p.SnapshotPage.model_validate_json(built) == p.SnapshotPage.model_validate_json(rows)
        assert ('"reading_start"' in built) is readings


# --- the importer ---------------------------------------------------------------------------------

HEADER = "bill_no,account_no,period,kwh,principal_fen,due_date,outstanding_fen,reading_start,reading_end\n"


def _bills_csv(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "bills.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_the_importer_reads_readings_as_the_meter_shows_them(tmp_path):
    path = _bills_csv(tmp_path, "B1,3101000001,202601,200,11000,2026-02-25,11000,04521,4721",
                      "B2,3101000001,202602,180,9900,2026-03-25,9900,4721.30,4901.30",
                      "B3,3101000001,202603,0,0,2026-04-25,0,,")
    _, bills, errors = validate([path])
    assert errors == []
    assert [(b.reading_start, b.reading_end) for b in bills] == [("4521", "4721"), ("4721.30", "4901.30"),
                                                                 (None, None)]
    doc = tmp_path / "bills.json"
    doc.write_text('{"bills": [{"bill_no": "J1", "account_no": "3101000001", "period": "202601", "kwh": 9,'
                   ' "principal_fen": 500, "due_date": "2026-02-25", "outstanding_fen": 0,'
                   ' "reading_start": 4521.10, "reading_end": 4530}]}', encoding="utf-8")
    _, bills, errors = validate([doc])
    assert errors == [] and (bills[0].reading_start, bills[0].reading_end) == ("4521.10", "4530")


def test_the_importer_refuses_bad_readings_naming_the_line_and_the_field(tmp_path, upstream_db):
    path = _bills_csv(tmp_path, "B1,3101000001,202601,200,11000,2026-02-25,11000,4521,",
                      "B2,3101000001,202602,180,9900,2026-03-25,9900,-5,175",
                      "B3,3101000001,202603,180,9900,2026-04-25,9900,\"12,345\",12525",
                      "B4,3101000001,202604,180,9900,2026-05-25,9900,4521.3456,4701",
                      "B5,3101000001,202605,180,9900,2026-06-25,9900,45210000000,45210000180",
                      "B6,3101000001,202606,180,9900,2026-07-25,9900,4701,4881")
    _, _, errors = validate([path])
    assert len(errors) == 5, errors
    pair, negative, comma, decimals, long = errors
    assert pair.startswith("bills.csv line 2: ") and "reading_start and reading_end, or neither" in pair
    assert negative.startswith("bills.csv line 3: reading_start: ") and "not '-5'" in negative
    assert comma.startswith("bills.csv line 4: reading_start: ") and "not '12,345'" in comma
    assert decimals.startswith("bills.csv line 5: reading_start: ") and "at most 3 decimals" in decimals
    assert long.startswith("bills.csv line 6: reading_start: ") and "at most 10 digits" in long
    from upstream.importer import ImportError_

    with pytest.raises(ImportError_):  # nothing is written
        import_files(upstream_db, [path])


def test_import_demo_bills_read_end_minus_start_as_their_kwh():
    from decimal import Decimal

    rows = demo_rows(30, seed=3, as_of=date(2026, 3, 1))
    by_account: dict[str, list] = {}
    for b in rows.bills:
        assert b.reading_start is not None and b.reading_end is not None
        assert Decimal(b.reading_end) - Decimal(b.reading_start) == b.kwh
        by_account.setdefault(b.account_no, []).append(b)
    decimals = set()
    for bills in by_account.values():
        bills.sort(key=lambda b: b.period)
        assert all(a.reading_end == b.reading_start for a, b in zip(bills, bills[1:]))  # one register, read on
        decimals.add("." in bills[0].reading_start)
    assert decimals == {True, False}  # electronic meters (hundredths) and mechanical registers both
