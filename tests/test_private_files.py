"""Customer data is the counter's OS user's alone (POSIX): folders 0700, files 0600, old installations
tightened at their next start and reported by doctor until then."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

import pytest

from cashier import shifts
from admin.cli import main
from cashier.logs import setup_logging
from cashier.maintenance import backup, export_logs
from cashier.payments import TenderLine, take_payment
from cashier.settings import Paths, PrinterSettings
from cashier.store import Store
from receipts.builders import Hall as ReceiptHall, payment_document
from receipts.printing import Printer
from tests.helpers.hall import make_hall, standard_accounts

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows keeps the data in the per-user profile")


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask most desktops start programs with (0o022): what the program must not rely on."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def open_to_others(root: Path) -> list[str]:
    """Every path at or under ``root`` that group or others can reach, with its mode."""
    found = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(root.parent)} {mode:o}")
    return found


def test_a_fresh_store_with_its_wal_shm_and_inuse_marker_is_private(tmp_path):
    data_dir = tmp_path / "hall"
    with Store.open(data_dir / "cashier.db") as store:
        standard_accounts(store)  # writes: the -wal and -shm exist now
        names = {p.name for p in data_dir.iterdir()}
        assert {"cashier.db", "cashier.db-wal", "cashier.db-shm", "cashier.db.inuse"} <= names
        assert open_to_others(data_dir) == []
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "cashier.db").stat().st_mode) == 0o600


def test_log_files_are_private_also_after_a_rollover(tmp_path):
    log_dir = tmp_path / "hall" / "logs"
    setup_logging(log_dir, "INFO", max_bytes=10_000, backup_count=2)
    for i in range(500):
        logging.getLogger("cashier.test").info("payment %s of account 3101000001", i)
    logging.getLogger().handlers[-1].flush()
    assert len(list(log_dir.iterdir())) == 3  # the current file and two rolled over
    assert open_to_others(tmp_path / "hall") == []


def test_a_backup_and_an_exported_logs_zip_are_private(tmp_path):
    data_dir = tmp_path / "hall"
    paths = Paths.resolve(data_dir)
    with Store.open(paths.database) as store:
        standard_accounts(store)
    setup_logging(paths.log_dir)
    logging.getLogger("cashier.test").info("a line for the zip")
    copy = backup(paths.database, backup_dir=paths.backup_dir).path
    assert copy.parent == paths.backup_dir
    outside = tmp_path / "to-support"  # a folder the technician names: the zip is private there too
    archive = export_logs(paths, outside, ["OK"], [{"status": "OK", "message": "ok"}])
    assert open_to_others(data_dir) == []
    assert open_to_others(outside) == [] and archive.exists()


def test_a_receipt_saved_as_pdf_and_a_preview_picture_are_private(tmp_path):
    hall = make_hall(tmp_path / "hall")
    try:
        standard_accounts(hall.store)
        shifts.open_shift(hall.terminal, hall.cashier, {10000: 5})
        paid = take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
        with hall.store.read() as s:
            doc = payment_document(s, ReceiptHall("城关供电营业厅", "T01", "1号窗口"), paid.payment_id)
        previews = tmp_path / "hall" / "previews"
        saved = Printer(PrinterSettings(uri="pdf://"), previews).output(doc, 1).file
        shown = Printer(PrinterSettings(uri="preview://"), previews).output(doc, 2).file
    finally:
        hall.store.close()
    assert saved == tmp_path / "hall" / "receipts" / "receipt-000001.pdf" and saved.stat().st_size > 0
    assert shown.parent == previews and shown.stat().st_size > 0
    assert open_to_others(tmp_path / "hall") == []


def old_installation(tmp_path: Path) -> Path:
    """An installation as the program left it before: folders 0755, files 0644."""
    data_dir = tmp_path / "hall"
    assert main(["--data-dir", str(data_dir), "init"]) == 0
    os.umask(0o022)  # the entry point above made it private; an old version did not
    with Store.open(data_dir / "cashier.db", backup_dir=data_dir / "backups") as store:
        standard_accounts(store)
    backup(data_dir / "cashier.db", backup_dir=data_dir / "backups")
    (data_dir / "mine").mkdir()  # not the program's: the technician's own folder in the data folder
    (data_dir / "mine" / "notes.txt").write_text("x")
    for path in [data_dir, *data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return data_dir


def test_an_old_world_readable_installation_is_reported_by_doctor_then_made_private_at_the_next_start(
        tmp_path, capsys, caplog):
    data_dir = old_installation(tmp_path)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "doctor", "--json"]) == 1
    failing = [c["message"] for c in json.loads(capsys.readouterr().out) if c["status"] == "FAIL"]
    assert len(failing) == 1 and str(data_dir / "cashier.db") in failing[0] and "chmod" in failing[0], failing
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o755  # doctor only says so: it changes nothing

    with caplog.at_level(logging.WARNING, logger="cashier.private"):
        Store.open(data_dir / "cashier.db", backup_dir=data_dir / "backups").close()
    assert "private to this OS user" in caplog.text and str(data_dir) in caplog.text
    program = [p for p in open_to_others(data_dir) if not p.startswith("hall/mine")]
    assert program == []
    assert stat.S_IMODE((data_dir / "mine").stat().st_mode) == 0o755  # what is not ours is left as it was

    assert main(["--data-dir", str(data_dir), "doctor"]) == 0, capsys.readouterr().out


def test_the_technicians_commands_run_with_a_private_umask(tmp_path):
    assert main(["--data-dir", str(tmp_path / "hall"), "version"]) == 0
    now = os.umask(0o022)
    assert now == 0o077
