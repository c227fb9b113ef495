"""Schema versions: probe a database file, back it up, migrate it forward, refuse a newer one.

A database file is never touched before we know what it is: the probe opens it read-only,
checks the SQLite header (magic, page count against the file size, so a truncated copy is
caught) and reads the Alembic revision. An older schema is copied with SQLite's online
backup API to ``backups/`` first and then upgraded in one transaction; a newer one, a damaged
one or one that is not ours is refused with a clear error and left as it was.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event

from cashier import private
from cashier.errors import DatabaseCorrupt, DatabaseTooNew, DataDirError, StoreError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision and its schema number, so a current database opens without loading
# Alembic (a third of a second at every start); a test keeps these equal to the scripts' head.
HEAD_REVISION, HEAD_SCHEMA = "0011", 11
_MAGIC = b"SQLite format 3\x00"


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_directory():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def schema_number(revision: str) -> int:
    """The human schema number of an Alembic revision (its SCHEMA_VERSION)."""
    return int(script_directory().get_revision(revision).module.SCHEMA_VERSION)


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def head_schema() -> int:
    return schema_number(head_revision())


@dataclass(frozen=True)
class DatabaseState:
    """What a database file holds, as far as the schema is concerned."""

    path: Path
    exists: bool
    has_tables: bool = False
    revision: str | None = None
    user_version: int = 0

    @property
    def schema(self) -> int | None:
        if self.revision is None:
            return None
        try:
            return max(schema_number(self.revision), self.user_version)
        except Exception:  # an unknown revision: a newer program wrote it
            return self.user_version or None


def check_header(path: Path) -> None:
    """Refuse files that are empty, not SQLite, or shorter than their header says."""
    size = path.stat().st_size
    if size == 0:
        raise DatabaseCorrupt("store.empty_file", file=str(path))
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise DatabaseCorrupt("store.not_sqlite", file=str(path))
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    if page_count and valid_for == change_counter and page_count * page_size > size:
        raise DatabaseCorrupt(
            "store.truncated", file=str(path), expected=page_count * page_size, actual=size
        )


def connect_read_only(path: Path) -> sqlite3.Connection:
    """``path`` opened read-only. In a read-only folder SQLite cannot make a WAL database's shared-memory
    file; with no WAL content waiting the file alone is the whole database, and is read as immutable."""
    uri = path.absolute().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        conn.close()
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        wal = Path(str(path) + "-wal")
        if code not in (8, 14) or (wal.exists() and wal.stat().st_size > 0):  # SQLITE_READONLY, SQLITE_CANTOPEN
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)


def probe(path: Path) -> DatabaseState:
    """Read the schema state of ``path`` without writing to it."""
    if not path.exists():
        return DatabaseState(path, exists=False)
    check_header(path)
    try:
        conn = connect_read_only(path)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        from cashier.store.faults import is_malformed, store_error

        if not is_malformed(exc):  # cannot open, busy, I/O: said as what it is, not as damage
            said = store_error(exc, path)
            if said is not None and said.key != "store.io_error":
                raise said from None
        raise DatabaseCorrupt("store.corrupt", file=str(path), reason=str(exc)) from None
    return DatabaseState(path, True, bool(tables), revision, user_version)


def refuse_newer(state: DatabaseState) -> None:
    """A revision this program does not know, or a newer schema number: a newer program wrote it."""
    if state.revision is None:
        return
    if state.user_version > head_schema():  # a newer program stamps its schema number: say it
        raise DatabaseTooNew("store.too_new", file=str(state.path), schema=state.user_version, supported=head_schema())
    known = {rev.revision for rev in script_directory().walk_revisions()}
    if state.revision not in known:  # no number to go by: name the revision, never "schema 7; supports up to 7"
        raise DatabaseTooNew("store.unknown_revision", file=str(state.path), revision=state.revision,
                             supported=head_schema())


def require_sound(path: Path) -> None:
    """SQLite's quick check of an existing file; a damaged one is refused, untouched."""
    if not path.exists():
        return
    check_header(path)
    problems = integrity_problems(path, quick=True)
    if problems:
        raise DatabaseCorrupt("store.quick_check_failed", file=str(path), reason=problems_phrase(problems))


def problems_phrase(problems: list[str]):
    """SQLite's findings (its own English, kept for support) introduced in the sentence's language."""
    from cashier.i18n import Phrase

    return Phrase("store.sqlite_found", n=len(problems), first=problems[0][:200])


def integrity_problems(path: Path, quick: bool = False) -> list[str]:
    """SQLite's own integrity (or quick) check plus foreign keys; empty list means sound."""
    try:
        conn = connect_read_only(path)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)")]
            problems = [] if rows == ["ok"] else rows
            fk = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
            problems += [f"foreign key: {r[0]} row {r[1]} → {r[2]}" for r in fk]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return problems


def online_backup(source: Path, destination: Path) -> Path:
    """Copy a live database with SQLite's backup API, then check and fsync the copy."""
    from cashier.store.faults import os_error, store_error

    tmp = destination.with_name(destination.name + ".partial")
    try:
        try:
            private.make_dir(destination.parent)
            tmp.unlink(missing_ok=True)
            src = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(private.create_file(tmp))  # an empty file is a new database to SQLite
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
            finally:
                src.close()
            problems = integrity_problems(tmp, quick=True)
            if problems:
                raise StoreError("store.backup_failed", file=str(source), reason=problems_phrase(problems))
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, destination)
        except OSError as exc:
            raise os_error("backup", exc, destination.parent) from None
        except sqlite3.Error as exc:
            raise store_error(exc, destination.parent) or exc from None
    finally:
        _remove_quietly(tmp)
    return destination


def make_engine(path: Path, *, immediate: bool = True, busy_timeout_ms: int = 5000, foreign_keys: bool = True) -> Engine:
    """An engine with the store's pragmas; ``immediate`` makes every transaction BEGIN IMMEDIATE."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Autocommit at the driver: transactions are begun explicitly below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        relaxed = getattr(_commits, "relaxed", False)
        info = conn.connection.info
        if info.get("relaxed", False) != relaxed:  # set outside the transaction (SQLite refuses it inside)
            conn.exec_driver_sql(f"PRAGMA synchronous = {'NORMAL' if relaxed else 'FULL'}")
            info["relaxed"] = relaxed
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


_commits = threading.local()


@contextmanager
def relaxed_commits() -> Iterator[None]:
    """Transactions this thread begins inside commit without waiting for the disk (WAL ``synchronous=NORMAL``).

    Only for work that may be lost on a power cut and done again: a snapshot's staged pages (each commits its
    rows with the position after them, so a lost page is fetched again; the swap that makes them the picture
    commits in full). A commit of such a transaction is atomic all the same, and any later ``FULL`` commit
    puts it on disk with its own. Every other transaction, on any connection, begins with ``FULL`` again."""
    was = getattr(_commits, "relaxed", False)
    _commits.relaxed = True
    try:
        yield
    finally:
        _commits.relaxed = was


@dataclass(frozen=True)
class MigrationResult:
    from_schema: int | None
    to_schema: int
    backup: Path | None


def ensure_data_dir(directory: Path) -> None:
    """Create the data dir (0700 on POSIX) and prove it is writable, or explain why not."""
    from cashier.store.faults import os_reason

    probe_file = directory / ".write-test"
    try:
        private.make_dir(directory)
        try:
            with open(probe_file, "w") as handle:
                handle.write("ok")
                handle.flush()
                os.fsync(handle.fileno())  # a full disk answers here, not at open
        finally:
            _remove_quietly(probe_file)
    except OSError as exc:
        raise DataDirError("store.data_dir_unwritable", dir=str(directory), reason=os_reason(exc)) from None


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


COVER_PENDING = "records_cover_pending"  # set by migration 0006


def _cover_records(conn) -> None:
    """Schema 6's work, done at the head: chain the body digest of every money record made before it
    (``cashier.records.cover_unchained``), with the ORM that matches the tables only now."""
    if conn.exec_driver_sql("SELECT 1 FROM sync_state WHERE key = ?", (COVER_PENDING,)).first() is None:
        return
    from sqlalchemy.orm import Session

    from cashier.records import cover_unchained

    with Session(bind=conn) as session:
        covered = cover_unchained(session, datetime.now(timezone.utc).replace(tzinfo=None))
        session.flush()
    conn.exec_driver_sql("DELETE FROM sync_state WHERE key = ?", (COVER_PENDING,))
    log.info("schema 6's audit cover: %d money records made before it chained", covered)


def upgrade(path: Path, backup_dir: Path | None = None, *, revision: str = "head") -> MigrationResult:
    """Bring ``path`` to ``revision`` (create it if missing), backing up an existing older file first."""
    state = probe(path)
    if revision == "head" and state.revision == HEAD_REVISION and state.user_version == HEAD_SCHEMA:
        return MigrationResult(HEAD_SCHEMA, HEAD_SCHEMA, None)  # the common case: nothing to do
    if state.has_tables and state.revision is None:
        raise DatabaseCorrupt("store.not_ours", file=str(path))
    head = head_revision()
    target_revision = head if revision == "head" else revision
    target = schema_number(target_revision)
    refuse_newer(state)
    if state.revision == target_revision:
        return MigrationResult(state.schema, target, None)
    backup_path = None
    if not state.exists:  # SQLite gives its -wal and -shm the database file's mode: 0600 from the first byte
        private.create_file(path)
    if state.has_tables:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        backup_path = online_backup(
            path, (backup_dir or path.parent / "backups") / f"{path.stem}-{stamp}-schema{state.schema}.db"
        )
        log.info("backed up %s (schema %s) to %s before upgrading", path, state.schema, backup_path)
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.connect() as conn:
            with conn.begin():
                config = alembic_config()
                config.attributes["connection"] = conn
                from alembic import command

                command.upgrade(config, target_revision)
                if target_revision == head:
                    _cover_records(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError("store.migration_failed", file=str(path), reason=f"foreign keys: {broken[:3]}")
    except StoreError:
        raise
    except Exception as exc:
        log.exception("migration of %s failed", path)
        from cashier.store.faults import store_error

        said = store_error(exc, path)  # a full disk, a read-only folder: in words, and nothing was changed
        if said is not None and said.key != "store.io_error":
            raise said from exc
        raise StoreError("store.migration_failed", file=str(path), reason=str(exc)) from exc
    finally:
        engine.dispose()
        if not state.exists and path.exists() and path.stat().st_size == 0:
            path.unlink()  # nothing was written: the next start creates it again
    if state.has_tables:
        log.info("database %s upgraded from schema %s to %s", path, state.schema, target)
    else:
        log.info("database %s created at schema %s", path, target)
    return MigrationResult(state.schema, target, backup_path)
