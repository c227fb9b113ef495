"""The technician's maintenance: online backup, restore, and a zip of logs for support.

Backup copies the live database with SQLite's backup API inside one read transaction, then
checks the copy (full integrity check) and compares its row counts with the source's at that
same moment. Restore refuses a file that is not a sound database of ours or that a newer
version wrote, keeps a copy of the current database first, and swaps files only when no
program has the database open. Exported logs have secrets masked, the terminal's upstream
token removed wherever it appears, and the doctor's report included.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cashier import private
from cashier.errors import StoreError
from cashier.logs import redact
from cashier.store import schema
from cashier.store.inuse import nobody_else

COUNTED = ("accounts", "bills", "payments", "shifts", "outbox", "audit_log", "users")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@:]+:[^/\s@]+@")


@dataclass(frozen=True)
class BackupReport:
    path: Path
    counts: dict[str, int]
    bytes: int


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED if t in tables}


def backup(database: Path, destination: Path | None = None, backup_dir: Path | None = None) -> BackupReport:
    """Online backup of a live database (payments may be taken meanwhile), verified."""
    if not database.exists():
        raise StoreError("maint.no_database", file=str(database))
    if destination is None or destination.is_dir():
        folder = destination or backup_dir or database.parent / "backups"
        destination = folder / f"{database.stem}-{_stamp()}.db"
    private.make_dir(destination.parent)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    try:
        src.execute("BEGIN")  # one snapshot: the counts and the copy are of the same moment
        source_counts = _counts(src)
        dst = sqlite3.connect(private.create_file(partial))  # 0600 before the first customer's row
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            copy_counts = _counts(dst)
        finally:
            dst.close()
        src.rollback()
    finally:
        src.close()
    problems = schema.integrity_problems(partial)
    if not problems and copy_counts != source_counts:
        problems = [f"row counts differ: source {source_counts}, copy {copy_counts}"]
    if problems:
        partial.unlink(missing_ok=True)
        raise StoreError("store.backup_failed", file=str(database), reason="; ".join(problems[:3]))
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, destination)
    return BackupReport(destination, copy_counts, destination.stat().st_size)


@dataclass(frozen=True)
class RestoreReport:
    restored_from: Path
    previous_saved_as: Path | None
    schema_from: int | None
    schema_now: int
    counts: dict[str, int]


def check_backup(path: Path) -> int | None:
    """The schema of a restorable backup; a clear error for anything that is not one."""
    if not path.is_file():
        raise StoreError("maint.no_backup", file=str(path))
    schema.check_header(path)  # empty, not SQLite, truncated → DatabaseCorrupt
    problems = schema.integrity_problems(path)
    if problems:
        raise StoreError("maint.backup_damaged", file=str(path), reason="; ".join(problems[:3]))
    state = schema.probe(path)
    if state.revision is None:
        raise StoreError("store.not_ours", file=str(path))
    known = {rev.revision for rev in schema.script_directory().walk_revisions()}
    if state.revision not in known or state.user_version > schema.HEAD_SCHEMA:
        raise StoreError("store.too_new", file=str(path), schema=state.schema or "?", supported=schema.HEAD_SCHEMA)
    return state.schema


def _ensure_unused(database: Path) -> None:
    """No program may have the database open while it is replaced."""
    if not database.exists():
        return
    if not nobody_else(database):
        raise StoreError("maint.in_use", file=str(database))
    conn = sqlite3.connect(database, timeout=0.5)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.rollback()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        raise StoreError("maint.in_use", file=str(database)) from None
    finally:
        conn.close()


def restore(database: Path, source: Path, backup_dir: Path | None = None, *, enrolled: bool = False) -> RestoreReport:
    """Replace the database with a verified backup; the current one is kept beside the backups.

    For a terminal ``enrolled`` with an upstream, the restored counter takes no money until the upstream has
    told it its last receipt number (``cashier.documents``): the backup does not know the numbers used since.
    """
    old_schema = check_backup(source)
    _ensure_unused(database)
    saved = None
    if database.exists():
        saved = backup(database, (backup_dir or database.parent / "backups") / f"before-restore-{_stamp()}.db").path
    incoming = database.with_name(database.name + ".restoring")
    incoming.unlink(missing_ok=True)
    shutil.copyfile(source, private.create_file(incoming))  # the copy keeps the 0600 of the file it fills
    with open(incoming, "rb") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):  # the old database's WAL must never be replayed onto the new one
        Path(str(database) + suffix).unlink(missing_ok=True)
    os.replace(incoming, database)
    result = schema.upgrade(database, backup_dir)
    if enrolled:
        _numbering_unconfirmed(database)
    conn = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    try:
        counts = _counts(conn)
    finally:
        conn.close()
    return RestoreReport(source, saved, old_schema, result.to_schema, counts)


def _numbering_unconfirmed(database: Path) -> None:
    from cashier.documents import UNCONFIRMED

    conn = sqlite3.connect(database)
    try:
        with conn:
            conn.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                         "value = excluded.value", (UNCONFIRMED, datetime.now(timezone.utc).replace(tzinfo=None)
                                                    .isoformat()))
    finally:
        conn.close()


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _URL_USERINFO.sub(r"\1***@", redact(text))


def export_logs(paths, destination: Path, doctor_lines: list[str], doctor_json: list[dict]) -> Path:
    """A zip for support: the logs, the settings and the doctor's report, secrets removed."""
    from cashier.sync.client import CREDENTIALS_FILE, TERMINAL_KEY_FILE

    secrets: list[str] = []
    creds = paths.data_dir / CREDENTIALS_FILE
    if creds.exists():
        try:
            secrets.append(json.loads(creds.read_text(encoding="utf-8")).get("token", ""))
        except (OSError, ValueError):
            pass
    try:  # the key that gets the same credentials again with a valid code
        secrets.append((paths.data_dir / TERMINAL_KEY_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    if destination.is_dir() or not destination.suffix:
        destination = destination / f"cashier-logs-{_stamp()}.zip"
    private.make_dir(destination.parent)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    with zipfile.ZipFile(private.create_file(partial), "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if paths.log_dir.is_dir():
            for log in sorted(paths.log_dir.iterdir()):
                if log.is_file():
                    text = log.read_bytes().decode("utf-8", errors="replace")
                    zf.writestr(f"logs/{log.name}", scrub(text, secrets))
        if paths.config_file.exists():
            zf.writestr("cashier.toml", scrub(paths.config_file.read_text(encoding="utf-8"), secrets))
        zf.writestr("doctor.txt", scrub("\n".join(doctor_lines) + "\n", secrets))
        zf.writestr("doctor.json", scrub(json.dumps(doctor_json, ensure_ascii=False, indent=2), secrets))
    os.replace(partial, destination)
    return destination
