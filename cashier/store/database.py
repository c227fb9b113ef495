"""The local store and its unit of work.

``with store.transaction() as session:`` is the only place anything commits: it begins with
``BEGIN IMMEDIATE`` (one writer at a time, waiting up to the busy timeout), commits when the
block ends normally — on disk, since the store runs WAL with ``synchronous=FULL`` — and rolls
back on any exception. ``store.read()`` gives a session for queries that never commits.

Both turn SQLite's failures (a full disk, a damaged file, busy, read-only) into keyed
``StoreError``s (``cashier.store.faults``), so every caller shows words. A damaged file is
remembered: ``check_integrity()`` (SQLite's quick check, run in the background at start) or any
"malformed" answer marks the store damaged, and payments are refused until it is restored.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from cashier.errors import DatabaseCorrupt, StoreError
from cashier.events import STORE_CHECKED, EventBus
from cashier import private, search_index
from cashier.store import faults, schema
from cashier.store.inuse import InUse

log = logging.getLogger(__name__)


class _UnitOfWorkSession(Session):
    """A session that refuses ``commit()`` from business code: the unit of work commits."""

    _uow_may_commit = False

    def commit(self) -> None:
        if not self._uow_may_commit:
            raise RuntimeError("commit happens only when `with store.transaction():` ends")
        super().commit()


search_index.install_listeners(_UnitOfWorkSession)


class Store:
    """A SQLite database file migrated to the current schema, with its unit of work."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path)
        self.in_use = InUse(self.path)
        self.write_engine: Engine = schema.make_engine(self.path, immediate=True, busy_timeout_ms=busy_timeout_ms)
        self.read_engine: Engine = schema.make_engine(self.path, immediate=False, busy_timeout_ms=busy_timeout_ms)
        self._writer = sessionmaker(self.write_engine, class_=_UnitOfWorkSession, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, class_=_UnitOfWorkSession, autoflush=False)
        self.events = EventBus()  # what changed in this database, announced after each commit
        # None: not checked in this run yet; [] sound; else what SQLite found wrong (the store is damaged).
        self.integrity: list[str] | None = None

    @classmethod
    def open(cls, path: Path, *, backup_dir: Path | None = None, migrate: bool = True) -> "Store":
        """Open ``path``, creating it or upgrading it (after a backup) as needed.

        With ``migrate=False`` an out-of-date database is refused instead of upgraded.
        """
        path = Path(path)
        schema.ensure_data_dir(path.parent)
        # An installation from before folders were 0700 and files 0600: tightened at this start.
        private.tighten_tree(path.parent, private.PROGRAM_FOLDERS)
        if backup_dir is not None and path.parent.absolute() not in Path(backup_dir).absolute().parents:
            private.tighten_tree(Path(backup_dir))
        if migrate:
            result = schema.upgrade(path, backup_dir)
            if result.backup:
                log.info("upgraded %s: schema %s → %s", path, result.from_schema, result.to_schema)
        else:
            state = schema.probe(path)
            if state.revision != schema.head_revision():
                raise StoreError("store.needs_upgrade", file=str(path), schema=state.schema, supported=schema.head_schema())
        return cls(path)

    def check_integrity(self) -> list[str]:
        """SQLite's quick check of the file (seconds on a large hall: run it in the background);
        the outcome is kept in ``integrity`` and announced as ``STORE_CHECKED``."""
        problems = schema.integrity_problems(self.path, quick=True)
        if problems:
            log.error("database %s failed its quick check: %s", self.path, "; ".join(problems[:3]))
        else:
            log.info("database %s passed its quick check", self.path)
        self.integrity = problems
        self.events.publish(STORE_CHECKED, ok=not problems, problems=problems[:3])
        return problems

    @property
    def damaged(self) -> bool:
        return bool(self.integrity)

    def require_sound(self) -> None:
        """Refuse new money on a damaged file: it goes into a database that must be restored anyway."""
        if self.damaged:
            raise DatabaseCorrupt("store.damaged_refused", file=str(self.path))

    def _fault(self, exc: BaseException) -> StoreError | None:
        error = faults.store_error(exc, self.path)
        if isinstance(error, DatabaseCorrupt) and error.key == "store.malformed":
            self.integrity = [str(getattr(exc, "orig", exc))]  # damaged: payments are refused from now on
            self.events.publish(STORE_CHECKED, ok=False, problems=self.integrity)
        return error

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """The unit of work: commit on normal exit, roll back on any exception."""
        session = self._writer()
        announced: list = []
        logged: list = []
        try:
            try:
                yield session
                session._uow_may_commit = True
                session.commit()
                announced = session.info.pop("events", [])
                logged = session.info.pop("logs", [])  # cashier.logs.after_commit
            except (DBAPIError, sqlite3.Error) as exc:
                error = self._fault(exc)
                if error is None:
                    raise
                log.error("transaction on %s failed: %s", self.path, getattr(exc, "orig", exc))
                raise error from exc
        except BaseException:
            try:
                session.rollback()
            except (DBAPIError, sqlite3.Error):  # the file that failed may fail the rollback too
                log.exception("rollback on %s failed", self.path)
            raise
        finally:
            session.close()
        for logger, level, message, args in logged:  # on disk now: say so in the log
            logger.log(level, message, *args)
        for event in announced:  # on disk now: tell the views
            self.events.publish(event.kind, **event.data)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (deferred BEGIN); nothing it does is ever committed."""
        session = self._reader()
        try:
            yield session
        except (DBAPIError, sqlite3.Error) as exc:
            error = self._fault(exc)
            if error is None:
                raise
            raise error from exc
        finally:
            try:
                session.rollback()
            except (DBAPIError, sqlite3.Error):
                log.exception("rollback on %s failed", self.path)
            session.close()

    def close(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()
        self.in_use.release()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
