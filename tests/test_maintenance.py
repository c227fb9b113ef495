"""Technician maintenance: online backup and restore, exported logs without secrets."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import threading
import zipfile
from pathlib import Path


from cashier import shifts
from admin.cli import main
from cashier.payments import TenderLine, take_payment
from tests.helpers.hall import make_hall, standard_accounts

DATA = Path(__file__).parent / "data"


def _database_in(archive: Path, folder: Path) -> Path:
    """The database a backup zip holds, unpacked to ``folder``."""
    with zipfile.ZipFile(archive) as zf:
        return Path(zf.extract("cashier.db", folder))


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_backup_while_paying_then_restore_round_trips(tmp_path: Path, capsys):
    d = tmp_path / "hall"
    assert main(["--data-dir", str(d), "demo-seed", "--accounts", "300"]) == 0
    h_dir = tmp_path / "h"
    h = make_hall(h_dir)
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    stop = threading.Event()

    def pay():  # payments keep coming while the backup runs
        while not stop.is_set():
            take_payment(h.terminal, h.cashier, "3101000003", 100, [TenderLine("cash", 100)])

    worker = threading.Thread(target=pay)
    worker.start()
    try:
        assert main(["--data-dir", str(h_dir), "backup"]) == 0
    finally:
        stop.set()
        worker.join()
    out = capsys.readouterr().out
    assert "完整性检查通过" in out
    backup_file = next((h_dir / "backups").glob("cashier-backup-*.zip"))
    copy = _database_in(backup_file, tmp_path / "unpacked")
    paid_in_backup = _count(copy, "payments")
    assert paid_in_backup == _count(copy, "outbox")  # each payment with its outbox entry: a consistent moment
    take_payment(h.terminal, h.cashier, "3101000003", 100, [TenderLine("cash", 100)])
    total_now = _count(h_dir / "cashier.db", "payments")
    # Restoring while the counter has the database open is refused.
    assert main(["--data-dir", str(h_dir), "restore", str(backup_file), "--yes"]) == 3
    assert "正被收费程序使用" in capsys.readouterr().err
    h.store.close()
    assert main(["--data-dir", str(h_dir), "restore", str(backup_file)]) == 2  # asks for --yes
    assert main(["--data-dir", str(h_dir), "restore", str(backup_file), "--yes"]) == 0
    assert "恢复前的数据库保存在" in capsys.readouterr().out
    assert _count(h_dir / "cashier.db", "payments") == paid_in_backup
    saved = next((h_dir / "backups").glob("before-restore-*.zip"))
    assert _count(_database_in(saved, tmp_path / "saved"), "payments") == total_now  # nothing is lost by restoring


def test_restore_refuses_damaged_truncated_foreign_and_newer_files(tmp_path: Path, capsys):
    d = tmp_path / "hall"
    assert main(["--data-dir", str(d), "demo-seed", "--accounts", "200"]) == 0
    assert main(["--data-dir", str(d), "backup", "--to", str(tmp_path / "good.zip")]) == 0
    original = (d / "cashier.db").read_bytes()
    good = _database_in(tmp_path / "good.zip", tmp_path / "unpacked").read_bytes()
    (tmp_path / "good.db").write_bytes(good)  # an old single-file backup
    damaged = bytearray(good)
    for offset in range(4096 * 3, 4096 * 3 + 2000):  # scribble over a page in the middle
        damaged[offset] = 0x5A
    cases = {
        "damaged.db": bytes(damaged),
        "truncated.db": good[: len(good) // 2],
        "empty.db": b"",
        "text.db": b"not a database at all" * 10,
    }
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.db"
    shutil.copyfile(tmp_path / "good.db", newer)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    for name in [*cases, "foreign.db", "newer.db", "missing.db"]:
        assert main(["--data-dir", str(d), "restore", str(tmp_path / name), "--yes"]) == 3, name
        assert capsys.readouterr().err.startswith("错误："), name
        assert (d / "cashier.db").read_bytes() == original, name  # untouched


def test_exported_logs_hold_no_passwords_or_credentials(tmp_path: Path):
    d = tmp_path / "hall"
    assert main(["--data-dir", str(d), "init"]) == 0
    token = "tok_5UPER-secret_value_123456"
    (d / "upstream.json").write_text(json.dumps({"url": "https://u.example", "terminal_id": "T01",
                                                 "hall_code": "H", "token": token}))
    config = (d / "cashier.toml").read_text(encoding="utf-8")
    (d / "cashier.toml").write_text(config.replace('url = ""', 'url = "https://ops:hunter2@u.example"'),
                                    encoding="utf-8")
    log_file = d / "logs" / "cashier.log"
    with open(log_file, "a", encoding="utf-8") as f:  # planted by hand: what a careless line could leave
        f.write("2026-11-27T01:00:00Z ERROR x: login password=s3cretPw! for c1\n")
        f.write(f"2026-11-27T01:00:01Z ERROR x: sent Authorization: Bearer {token}\n")
        f.write(f"2026-11-27T01:00:02Z ERROR x: retry with {token} after 502\n")
        f.write("2026-11-27T01:00:03Z INFO x: card 6222021234567890123 paid\n")
    logging.getLogger("cashier.test").info("after the plant")
    assert main(["--data-dir", str(d), "export-logs", "--to", str(tmp_path / "out")]) == 0
    archive = next((tmp_path / "out").glob("cashier-logs-*.zip"))
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        text = "\n".join(zf.read(n).decode("utf-8") for n in names)
    assert {"logs/cashier.log", "cashier.toml", "doctor.txt", "doctor.json"} <= set(names)
    assert "upstream.json" not in names
    for secret in ("s3cretPw!", token, "hunter2", "6222021234567890123"):
        assert secret not in text, secret
    assert "password=***" in text and "https://***@u.example" in text and "622202******0123" in text
    assert "数据库" in text  # the doctor's report is there
