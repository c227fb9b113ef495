"""The technician's commands fed hostile files and disks: a read-only folder, a full disk, a damaged
or empty database, a setting too long. Each failure is a clear message in words (no traceback), a
non-zero exit code, and no ``.seeding``, ``.partial``, ``.tmp`` or ``.write-test`` file left behind.

Read-only folders and full disks are real: small tmpfs mounts (the tests run as root, whom chmod
does not stop). Where mounting is not permitted the test is skipped and says why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from admin.cli import main
from cashier import shifts
from cashier.errors import DatabaseCorrupt, StoreError
from cashier.payments import TenderLine, take_payment
from cashier.store import Store
from tests.helpers.hall import make_hall, standard_accounts

LEFTOVERS = (".seeding", ".partial", ".tmp", ".write-test", ".restoring", ".checking")


def _mount(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root and mount rights): {done.stderr.strip()}")


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB file system of its own: filled by the test to make the disk full."""
    folder = tmp_path / "small"
    _mount(folder, "1m")
    yield folder
    _umount(folder)


@pytest.fixture
def read_only_folder(tmp_path):
    """``make(fill)``: a folder filled by ``fill(folder)`` and then mounted read-only."""
    mounted = []

    def make(fill=lambda folder: None, size: str = "8m") -> Path:
        folder = tmp_path / f"ro{len(mounted)}"
        _mount(folder, size)
        mounted.append(folder)
        fill(folder)
        done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {done.stderr.strip()}")
        return folder

    yield make
    for folder in mounted:
        _umount(folder)


def _fill(folder: Path) -> None:
    """Write until the disk says it is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def _no_leftovers(*folders: Path) -> None:
    for folder in folders:
        if folder.exists():
            left = [p.name for p in folder.rglob("*") if any(mark in p.name for mark in LEFTOVERS)]
            assert not left, f"left behind in {folder}: {left}"


def _failed_in_words(capsys, code: int, *needles: str) -> str:
    out = capsys.readouterr()
    assert code == 3, (code, out.out, out.err)
    assert out.err.startswith("错误："), out.err
    assert "Traceback" not in out.err + out.out and "Error:" not in out.err
    for needle in needles:
        assert needle in out.err, (needle, out.err)
    return out.err


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A small demo hall (its database and settings) to copy from."""
    folder = tmp_path_factory.mktemp("seeded") / "hall"
    assert main(["--data-dir", str(folder), "demo-seed", "--accounts", "300"]) == 0
    assert main(["--data-dir", str(folder), "init"]) == 0  # writes cashier.toml
    return folder


def _copy_hall(seeded: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("cashier.db", "cashier.toml"):
        shutil.copyfile(seeded / name, folder / name)
    return folder


def _damage_middle(database: Path) -> None:
    """Scribble over pages in the middle of a real database; its header stays intact."""
    data = bytearray(database.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    for offset in range(middle, middle + 3 * 4096):
        data[offset] = 0x5A
    database.write_bytes(bytes(data))


def _damage_table(database: Path, table: str) -> None:
    """Scribble over a table's root page: the schema (sqlite_master) stays readable, the table's rows do not."""
    conn = sqlite3.connect(database)
    try:
        root, = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        page_size, = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    data = bytearray(database.read_bytes())
    for offset in range((root - 1) * page_size, root * page_size):
        data[offset] = 0x5A
    database.write_bytes(bytes(data))


# -- backup ---------------------------------------------------------------------------------------


def test_backup_of_an_empty_database_is_refused_and_writes_nothing(tmp_path, capsys):
    d = tmp_path / "hall"
    d.mkdir()
    (d / "cashier.db").write_bytes(b"")
    err = _failed_in_words(capsys, main(["--data-dir", str(d), "backup"]), "为空")
    assert "完整性检查通过" not in err
    assert not (d / "backups").exists() or not any((d / "backups").iterdir())


def test_backup_of_a_database_damaged_in_the_middle_is_refused_in_words(seeded, tmp_path, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    _damage_middle(d / "cashier.db")
    _failed_in_words(capsys, main(["--data-dir", str(d), "backup"]), "已损坏", "cashier-admin restore")
    assert not (d / "backups").exists() or not any((d / "backups").iterdir())
    _no_leftovers(d)


def test_backup_to_a_read_only_folder_says_so(seeded, tmp_path, read_only_folder, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    target = read_only_folder()
    _failed_in_words(capsys, main(["--data-dir", str(d), "backup", "--to", str(target)]), str(target), "不能写入")
    _no_leftovers(d, tmp_path)


def test_backup_onto_a_full_disk_says_so_and_leaves_nothing(seeded, tmp_path, small_disk, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    _fill(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * 600_000)  # room for a start, not for the copy
    _failed_in_words(capsys, main(["--data-dir", str(d), "backup", "--to", str(small_disk)]), "磁盘已满")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_backup_from_a_read_only_folder_works(seeded, read_only_folder, tmp_path, capsys):
    d = read_only_folder(lambda folder: _copy_hall(seeded, folder))
    out = tmp_path / "out"
    assert main(["--data-dir", str(d), "backup", "--to", str(out)]) == 0, capsys.readouterr().err
    archive = next(out.glob("cashier-backup-*.zip"))
    with zipfile.ZipFile(archive) as zf:
        assert {"cashier.db", "cashier.toml", "manifest.json"} <= set(zf.namelist())
    _no_leftovers(out)


# -- backup and restore round trip -------------------------------------------------------------------


def test_backup_restore_round_trip_brings_back_the_settings_and_says_to_enroll(seeded, tmp_path, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    config = d / "cashier.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('url = ""', 'url = "https://up.example"')
                      .replace("width = 80", "width = 58"), encoding="utf-8")
    (d / "upstream.json").write_text('{"url": "https://up.example", "terminal_id": "T01", "hall_code": "DEMO01", '
                                     '"token": "tok_secret_never_in_a_backup"}', encoding="utf-8")
    assert main(["--data-dir", str(d), "backup"]) == 0
    out = capsys.readouterr().out
    assert "含配置文件" in out
    archive = next((d / "backups").glob("cashier-backup-DEMO01-T01-*.zip"))
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == ["cashier.db", "cashier.toml", "manifest.json"]
        blob = b"".join(zf.read(n) for n in zf.namelist())
    assert b"tok_secret_never_in_a_backup" not in blob
    # A new PC: nothing but the backup.
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "restore", str(archive), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "配置已从备份恢复" in out and "重新注册" in out
    restored = (fresh / "cashier.toml").read_text(encoding="utf-8")
    assert "width = 58" in restored and "https://up.example" in restored
    assert sqlite3.connect(fresh / "cashier.db").execute("SELECT count(*) FROM accounts").fetchone()[0] == 300
    _no_leftovers(d, fresh)


def test_restore_refuses_a_backup_whose_file_does_not_match_its_manifest(seeded, tmp_path, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    assert main(["--data-dir", str(d), "backup", "--to", str(tmp_path / "b.zip")]) == 0
    capsys.readouterr()
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["cashier.toml"] = members["cashier.toml"].replace(b"width = 80", b"width = 58")
    with zipfile.ZipFile(tmp_path / "edited.zip", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    config_before = (d / "cashier.toml").read_bytes()
    db_before = (d / "cashier.db").read_bytes()
    _failed_in_words(capsys, main(["--data-dir", str(d), "restore", str(tmp_path / "edited.zip"), "--yes"]),
                     "sha256")
    assert (d / "cashier.toml").read_bytes() == config_before and (d / "cashier.db").read_bytes() == db_before
    _no_leftovers(d)


# -- damaged database: init, the counter -----------------------------------------------------------


def test_init_refuses_a_damaged_database_before_writing_settings(seeded, tmp_path, capsys):
    d = tmp_path / "hall"
    d.mkdir()
    shutil.copyfile(seeded / "cashier.db", d / "cashier.db")
    _damage_middle(d / "cashier.db")
    _failed_in_words(capsys, main(["--data-dir", str(d), "init"]), "检查未通过", "cashier-admin restore")
    assert not (d / "cashier.toml").exists()


def test_an_unknown_schema_revision_is_named_not_called_the_same_schema(seeded, tmp_path, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    conn = sqlite3.connect(d / "cashier.db")
    conn.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
    conn.commit()
    conn.close()
    err = _failed_in_words(capsys, main(["--data-dir", str(d), "init"]), "f00dcafe")
    from cashier.store.schema import HEAD_SCHEMA

    assert f"结构版本 {HEAD_SCHEMA}，本程序最高支持 {HEAD_SCHEMA}" not in err


def test_the_counter_refuses_payments_on_a_store_its_start_check_found_damaged(tmp_path):
    h = make_hall(tmp_path / "hall")
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    take_payment(h.terminal, h.cashier, "3101000003", 100, [TenderLine("cash", 100)])
    assert h.store.check_integrity() == [] and not h.store.damaged
    h.store.close()
    _damage_table(tmp_path / "hall" / "cashier.db", "payments")
    store = Store.open(tmp_path / "hall" / "cashier.db")  # the header and the schema are intact: it opens
    seen = []
    store.events.subscribe(seen.append)
    assert store.check_integrity()  # what the program's start runs in the background
    assert seen and seen[-1].kind == "store_checked" and seen[-1]["ok"] is False
    h.terminal.store = store
    with pytest.raises(DatabaseCorrupt) as info:
        take_payment(h.terminal, h.cashier, "3101000003", 100, [TenderLine("cash", 100)])
    assert info.value.key == "store.damaged_refused"
    assert "cashier-admin restore" in str(info.value) and "cashier-admin restore" in info.value.message("en")
    store.close()


def test_a_full_disk_reaches_the_counter_in_words(small_disk):
    h = make_hall(small_disk / "hall")
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    _fill(small_disk)
    with pytest.raises(StoreError) as info:
        for _ in range(200):  # the WAL grows until the disk refuses
            take_payment(h.terminal, h.cashier, "3101000003", 100, [TenderLine("cash", 100)])
    assert info.value.key == "store.disk_full", info.value.key
    assert "磁盘已满" in str(info.value) and "disk is full" in info.value.message("en")
    h.store.close()


# -- settings, door-to-door, export-logs, demo-seed --------------------------------------------------


def test_a_collector_name_too_long_is_refused_and_the_file_stays_usable(seeded, tmp_path, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    before = (d / "cashier.toml").read_bytes()
    err = _failed_in_words(capsys, main(["--data-dir", str(d), "door-to-door", "--collector", "张" * 51]),
                           "door_to_door.collector", "最多 50 个字符")
    assert "String should" not in err  # pydantic's English is not shown
    assert (d / "cashier.toml").read_bytes() == before
    assert main(["--data-dir", str(d), "door-to-door", "--off"]) == 0
    _no_leftovers(d)


def test_door_to_door_on_a_read_only_folder_says_so(seeded, read_only_folder, capsys):
    d = read_only_folder(lambda folder: _copy_hall(seeded, folder))
    _failed_in_words(capsys, main(["--data-dir", str(d), "door-to-door", "--collector", "李娜"]), "无法写入", "只读")


def test_door_to_door_on_a_full_disk_says_so_and_leaves_no_temp_file(seeded, small_disk, capsys):
    d = small_disk / "hall"
    d.mkdir()
    shutil.copyfile(seeded / "cashier.toml", d / "cashier.toml")
    _fill(small_disk)
    _failed_in_words(capsys, main(["--data-dir", str(d), "door-to-door", "--collector", "李娜"]), "磁盘已满")
    _no_leftovers(d)


def test_export_logs_to_an_unwritable_path_says_so(seeded, tmp_path, read_only_folder, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    target = read_only_folder()
    _failed_in_words(capsys, main(["--data-dir", str(d), "export-logs", "--to", str(target / "logs.zip")]),
                     str(target))
    _no_leftovers(d)


def test_demo_seed_on_a_full_disk_says_so_and_leaves_no_half_database(small_disk, capsys):
    d = small_disk / "hall"
    code = main(["--data-dir", str(d), "demo-seed", "--accounts", "2000"])
    _failed_in_words(capsys, code, "磁盘已满")
    assert not (d / "cashier.db").exists()
    _no_leftovers(small_disk)


def test_a_date_given_empty_is_an_error_not_today(seeded, tmp_path, capsys):
    d = _copy_hall(seeded, tmp_path / "hall")
    account = sqlite3.connect(d / "cashier.db").execute("SELECT account_no FROM accounts LIMIT 1").fetchone()[0]
    assert main(["--data-dir", str(d), "quote", account]) == 0  # the account is there: only the date is wrong
    capsys.readouterr()
    _failed_in_words(capsys, main(["--data-dir", str(d), "quote", account, "--on", ""]), "日期")
