"""The import format as the README documents it: the sample files in docs/import-sample/ load as they are,
and ``import-demo`` fills an empty upstream with a trial hall (issue 17, point 16)."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from upstream.cli import main as upstream_main
from upstream.db import Database
from upstream.import_demo import import_demo
from upstream.importer import import_files
from upstream.models import Account, Bill

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "import-sample"


def _count(db: Database, model) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_the_sample_files_import_as_they_are(upstream_db: Database):
    report = import_files(upstream_db, [SAMPLE / "accounts.csv", SAMPLE / "bills.csv"])
    assert (report.accounts, report.bills, report.without_hall) == (6, 11, 0)
    assert (_count(upstream_db, Account), _count(upstream_db, Bill)) == (6, 11)
    with upstream_db.sessions() as s:
        widow = s.scalars(select(Account).where(Account.account_no == "3201000002")).one()
        assert (widow.name, widow.hall_code, widow.prepaid_meter, widow.special_group, widow.prepaid_balance_fen) == \
            ("李秀英", "3201001", True, "elderly_alone", 5000)
        partly = s.scalars(select(Bill).where(Bill.bill_no == "320100000320260806")).one()
        assert (partly.outstanding_fen, partly.penalty_settled_through) == (2100, date(2026, 10, 8))
        assert s.scalar(select(Bill.cancelled).where(Bill.bill_no == "320100000620260703")) is True


def test_the_readme_documents_every_column_of_the_samples_and_of_the_importer():
    """The README's table names each column the importer reads, and the samples use only those."""
    from upstream.importer import BillRow, HallAccountRow

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", readme, re.M))
    wire = {c for c in HallAccountRow.model_fields if c != "change_no"} | {c for c in BillRow.model_fields if c != "change_no"}
    assert wire <= documented, wire - documented
    for name in ("accounts.csv", "bills.csv"):
        with open(SAMPLE / name, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        assert set(header) <= wire, set(header) - wire
        assert f"docs/import-sample/{name}" in readme


def test_import_demo_makes_a_trial_hall_of_that_hall_and_refuses_a_filled_upstream(upstream_db: Database):
    report = import_demo(upstream_db, 40, "3201001", seed=7, as_of=date(2026, 3, 1))
    assert (report.accounts, report.bills, report.without_hall) == (40, 480, 0)
    with upstream_db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Account).where(Account.hall_code == "3201001")) == 40
        owing = s.scalar(select(func.count(func.distinct(Bill.account_id))).where(Bill.outstanding_fen > 0))
        names = s.scalars(select(Account.name)).all()
    assert 0 < owing < 40  # some in arrears, not everyone
    assert all(re.search(r"[\u4e00-\u9fff]", n) for n in names)
    try:
        import_demo(upstream_db, 5, "3201001")
    except Exception as exc:  # noqa: BLE001 - the refusal is the point
        assert type(exc).__name__ == "NotEmpty" and exc.accounts == 40
    else:
        raise AssertionError("a filled upstream took made-up customers")
    assert _count(upstream_db, Account) == 40


def test_import_demo_command_says_what_it_did_and_refuses_in_words(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("CASHIER_LANG", "en")
    db_file = str(tmp_path / "up.db")
    args = ["import-demo", "--db", db_file, "--accounts", "12", "--hall", "3201001", "--as-of", "2026-03-01"]
    assert upstream_main(args) == 0
    assert "Imported a trial hall 3201001: 12 accounts and 144 bills (seed 1, as of 2026-03-01)" in capsys.readouterr().out
    assert upstream_main(args) == 1
    assert "already holds 12 accounts" in capsys.readouterr().err
    assert upstream_main(["import-demo", "--db", db_file, "--accounts", "3", "--hall", "大厅"]) == 2
    assert 'Invalid hall code "大厅"' in capsys.readouterr().err
