"""The technician's maintenance: online backup, restore, and a zip of logs for support.

Backup copies the live database with SQLite's backup API inside one read transaction, then
checks the copy (full integrity check) and compares its row counts with the source's at that
same moment. Restore refuses a file that is not a sound database of ours or that a newer
version wrote, keeps a copy of the current database first, and swaps files only when no
program has the database open. Exported logs have secrets masked, the terminal's upstream
token removed wherever it appears, and the doctor's report included.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import tomllib
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from cashier import __version__, private
from cashier.errors import DomainError, StoreError
from cashier.i18n import Phrase
from cashier.logs import redact
from cashier.store import faults, schema
from cashier.store.inuse import nobody_else
from cashier.store.schema import DatabaseState

COUNTED = ("accounts", "bills", "payments", "shifts", "outbox", "audit_log", "users")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@:]+:[^/\s@]+@")


@dataclass(frozen=True)
class BackupReport:
    path: Path
    counts: dict[str, int]
    bytes: int
    settings_included: bool = False


MANIFEST, DB_MEMBER, SETTINGS_MEMBER = "manifest.json", "cashier.db", "cashier.toml"
FORMAT, FORMAT_VERSION = "hall-cashier-backup", 1
# The terminal's upstream credentials (upstream.json) stay out of every backup on purpose: a backup
# travels (a USB stick, another PC, a support ticket) and the token in it would let whoever holds a
# copy upload payments as this terminal; restored onto a second PC it would also give two terminals
# one identity and one receipt sequence. A restored PC enrolls again with a new one-time code.
CREDENTIALS_NOTE = "upstream credentials are not included: enroll again after restoring on another PC"


def _stamp(zone: str | None = None) -> str:
    """A file-name time: the hall's local time when its zone is known (what the technician reads)."""
    if zone:
        return datetime.now(ZoneInfo(zone)).strftime("%Y%m%d-%H%M%S")
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED if t in tables}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def _open_source(database: Path) -> sqlite3.Connection:
    return schema.connect_read_only(database)  # also from a read-only folder


def _destination(database: Path, destination: Path | None, backup_dir: Path | None, name: str) -> Path:
    if destination is None or destination.is_dir() or not destination.suffix:
        return (destination or backup_dir or database.parent / "backups") / name
    if destination.suffix.lower() != ".zip":
        raise StoreError("backup.bad_name", file=str(destination))
    return destination


def backup(database: Path, destination: Path | None = None, backup_dir: Path | None = None, *,
           config_file: Path | None = None, zone: str | None = None, hall: str = "", terminal: str = "",
           name_prefix: str = "cashier-backup") -> BackupReport:
    """Online backup of a live database (payments may be taken meanwhile) and its settings, verified.

    The result is one zip: ``cashier.db`` (SQLite's online backup, full integrity check, row counts
    compared with the source at the same moment), ``cashier.toml`` when there is one, and
    ``manifest.json`` (program and schema version, hall, terminal, time, sha256 of each file). Its
    name carries the hall's local time. Nothing but the finished zip is left behind, whatever fails.
    """
    if not database.exists():
        raise StoreError("maint.no_database", file=str(database))
    schema.check_header(database)  # empty, not SQLite, truncated: refused before a copy is made
    state = schema.probe(database)
    if state.revision is None:
        raise StoreError("store.not_ours", file=str(database))
    label = "-".join(part for part in (name_prefix, hall, terminal, _stamp(zone)) if part)
    destination = _destination(database, destination, backup_dir, f"{label}.zip")
    folder = destination.parent
    copy = destination.with_name(destination.name + ".db.partial")
    partial = destination.with_name(destination.name + ".partial")
    try:
        try:
            private.make_dir(folder)
            _remove(copy, partial)
            private.create_file(copy)  # 0600 before the first customer's row
        except OSError as exc:
            raise faults.os_error("backup", exc, folder) from None
        try:
            src = _open_source(database)
        except sqlite3.Error as exc:
            raise faults.store_error(exc, database) or exc from None
        try:
            try:
                src.execute("BEGIN")  # one snapshot: the counts and the copy are of the same moment
                source_counts = _counts(src)
            except sqlite3.Error as exc:
                raise faults.store_error(exc, database) or exc from None
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                copy_counts = _counts(dst)
            except sqlite3.Error as exc:
                if faults.sqlite_code(exc) in (faults.SQLITE_FULL, faults.SQLITE_IOERR, faults.SQLITE_CANTOPEN,
                                               faults.SQLITE_READONLY):
                    raise StoreError("backup.disk_full" if faults.sqlite_code(exc) == faults.SQLITE_FULL
                                     else "backup.io_error", file=str(folder), reason=str(exc)) from None
                raise faults.store_error(exc, database) or exc from None
            finally:
                dst.close()
            src.rollback()
        finally:
            src.close()
        problems = schema.integrity_problems(copy)
        if problems:
            raise StoreError("backup.source_damaged", file=str(database), reason=schema.problems_phrase(problems))
        if copy_counts != source_counts:
            raise StoreError("backup.counts_differ", file=str(database), source=source_counts, copy=copy_counts)
        settings_text = None
        if config_file is not None and config_file.is_file():
            try:
                settings_text = config_file.read_bytes()
            except OSError as exc:
                raise StoreError("backup.settings_unreadable", file=str(config_file),
                                 reason=faults.os_reason(exc)) from None
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "program_version": __version__,
            "schema": state.schema, "revision": state.revision, "hall": hall, "terminal": terminal,
            "created_at": datetime.now(ZoneInfo(zone)).isoformat(timespec="seconds") if zone
            else datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "time_zone": zone or "UTC", "counts": copy_counts, "credentials_included": False,
            "credentials_note": CREDENTIALS_NOTE,
            "files": {DB_MEMBER: {"sha256": _sha256(copy), "bytes": copy.stat().st_size}},
        }
        if settings_text is not None:
            manifest["files"][SETTINGS_MEMBER] = {"sha256": hashlib.sha256(settings_text).hexdigest(),
                                                  "bytes": len(settings_text)}
        try:
            with zipfile.ZipFile(private.create_file(partial), "w", compression=zipfile.ZIP_DEFLATED,
                                 compresslevel=1) as zf:
                zf.write(copy, DB_MEMBER)
                if settings_text is not None:
                    zf.writestr(SETTINGS_MEMBER, settings_text)
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, destination)
        except OSError as exc:
            raise faults.os_error("backup", exc, folder) from None
    finally:
        _remove(copy, partial)
    return BackupReport(destination, copy_counts, destination.stat().st_size, settings_text is not None)


@dataclass(frozen=True)
class RestoreReport:
    restored_from: Path
    previous_saved_as: Path | None
    schema_from: int | None
    schema_now: int
    counts: dict[str, int]
    settings_restored: bool = False
    enroll_again: bool = False  # the restored hall/terminal has no credentials on this PC


@dataclass(frozen=True)
class BackupContents:
    """A verified backup: a zip (database and settings) or an old single-file database."""

    schema: int | None
    manifest: dict | None = None
    settings_text: bytes | None = None


def check_backup(path: Path, unpack_to: Path | None = None) -> BackupContents:
    """Verify a backup before anything is touched; a clear error for anything that is not one.

    A zip's manifest is read and every file's sha256 compared; its database is unpacked (to
    ``unpack_to``, or a temporary file next to ``path`` removed afterwards) and checked like an old
    single-file backup: SQLite header, full integrity check, a schema this program knows."""
    if not path.is_file():
        raise StoreError("maint.no_backup", file=str(path))
    if not zipfile.is_zipfile(path):
        return BackupContents(_check_database(path, path))
    if unpack_to is not None:
        manifest, settings_text = _unpack(path, unpack_to)
        return BackupContents(_check_database(unpack_to, path), manifest, settings_text)
    with tempfile.TemporaryDirectory(prefix="cashier-check-") as folder:  # the backup's medium may be read-only
        target = Path(folder) / DB_MEMBER
        manifest, settings_text = _unpack(path, target)
        return BackupContents(_check_database(target, path), manifest, settings_text)


def _unpack(path: Path, target: Path) -> tuple[dict, bytes | None]:
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            except (KeyError, ValueError):
                raise StoreError("backup.no_manifest", file=str(path)) from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
                    or not isinstance(manifest.get("files"), dict) or DB_MEMBER not in manifest["files"]:
                raise StoreError("backup.no_manifest", file=str(path))
            if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
                raise StoreError("backup.format_too_new", file=str(path), version=manifest.get("format_version"))
            for member, expected in manifest["files"].items():
                if member not in (DB_MEMBER, SETTINGS_MEMBER):
                    continue
                try:
                    info = zf.getinfo(member)
                except KeyError:
                    raise StoreError("backup.member_missing", file=str(path), member=member) from None
                digest = hashlib.sha256()
                out = open(private.create_file(target), "wb") if member == DB_MEMBER else None
                data = bytearray()
                try:
                    with zf.open(info) as handle:
                        for block in iter(lambda: handle.read(1 << 20), b""):
                            digest.update(block)
                            if out is not None:
                                out.write(block)
                            else:
                                data += block
                finally:
                    if out is not None:
                        out.close()
                if digest.hexdigest() != expected.get("sha256"):
                    raise StoreError("backup.hash_mismatch", file=str(path), member=member)
                if member == SETTINGS_MEMBER:
                    settings_text = bytes(data)
                    _check_settings(settings_text, path)
            return manifest, (settings_text if SETTINGS_MEMBER in manifest["files"] else None)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise StoreError("maint.backup_damaged", file=str(path), reason=Phrase("backup.zip_damaged", text=str(exc))) \
            from None
    except OSError as exc:
        raise faults.os_error("restore", exc, target.parent) from None


def _check_settings(text: bytes, path: Path) -> None:
    from cashier.settings import Settings, describe_validation_error

    try:
        Settings.model_validate(tomllib.loads(text.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError("backup.settings_bad", file=str(path), reason=str(exc)) from None
    except ValidationError as exc:
        raise describe_validation_error(exc, f"{path}:{SETTINGS_MEMBER}") from None


def _check_database(database: Path, named: Path) -> int | None:
    try:
        schema.check_header(database)  # empty, not SQLite, truncated → DatabaseCorrupt
    except StoreError as exc:
        if database == named:
            raise
        raise StoreError("maint.backup_damaged", file=str(named), reason=exc.message()) from None
    problems = schema.integrity_problems(database)
    if problems:
        raise StoreError("maint.backup_damaged", file=str(named), reason=schema.problems_phrase(problems))
    state = schema.probe(database)
    if state.revision is None:
        raise StoreError("store.not_ours", file=str(named))
    schema.refuse_newer(DatabaseState(named, state.exists, state.has_tables, state.revision, state.user_version))
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


def restore(database: Path, source: Path, backup_dir: Path | None = None, *, config_file: Path | None = None,
            zone: str | None = None, enrolled: bool = False) -> RestoreReport:
    """Replace the database (and, from a zip, the settings) with a verified backup.

    Everything is checked before anything is touched; the current database and settings are kept
    first as a ``before-restore`` backup. Credentials are never in a backup: when this PC holds none
    for the restored hall and terminal, the report says to enroll again. For a terminal ``enrolled``
    with an upstream, the restored counter takes no money until the upstream has told it its last
    receipt number (``cashier.documents``): the backup does not know the numbers used since."""
    from cashier.sync.client import load_credentials

    incoming = database.with_name(database.name + ".restoring")
    try:
        private.make_dir(database.parent)  # a new PC: the data folder may not exist yet
    except OSError as exc:
        raise faults.os_error("restore", exc, database.parent) from None
    _remove(incoming)
    try:
        contents = check_backup(source, unpack_to=incoming if zipfile.is_zipfile(source) else None)
        _ensure_unused(database)
        saved = None
        if database.exists():
            saved = backup(database, backup_dir or database.parent / "backups", config_file=config_file, zone=zone,
                           name_prefix="before-restore").path
        try:
            if contents.manifest is None:
                shutil.copyfile(source, private.create_file(incoming))  # the copy keeps the 0600 of the file it fills
            with open(incoming, "rb") as handle:
                os.fsync(handle.fileno())
            for suffix in ("-wal", "-shm"):  # the old database's WAL must never be replayed onto the new one
                Path(str(database) + suffix).unlink(missing_ok=True)
            os.replace(incoming, database)
        except OSError as exc:
            raise faults.os_error("restore", exc, database.parent) from None
    finally:
        _remove(incoming)
    settings_restored = False
    if contents.settings_text is not None and config_file is not None:
        from cashier.settings import write_settings_text

        write_settings_text(contents.settings_text.decode("utf-8"), config_file)
        settings_restored = True
    result = schema.upgrade(database, backup_dir)
    if enrolled:
        _numbering_unconfirmed(database)
    conn = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    try:
        counts = _counts(conn)
    finally:
        conn.close()
    enroll_again = False
    if contents.manifest is not None and contents.manifest.get("hall"):
        try:
            creds = load_credentials(database.parent)
        except Exception:  # noqa: BLE001 - unreadable credentials: enrolling again is the fix either way
            creds = None
        enroll_again = creds is None or (creds.hall_code, creds.terminal_id) != (
            contents.manifest.get("hall"), contents.manifest.get("terminal"))
    return RestoreReport(source, saved, contents.schema, result.to_schema, counts, settings_restored, enroll_again)


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
    partial = destination.with_name(destination.name + ".partial")
    try:
        try:
            private.make_dir(destination.parent)
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
        except OSError as exc:
            raise DomainError("export.unwritable", folder=str(destination.parent), reason=faults.os_reason(exc)) \
                from None
    finally:
        _remove(partial)
    return destination
