"""The upstream's database: PostgreSQL (psycopg 3) in production, a SQLite file as the embedded default."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class UpstreamDbError(Exception):
    """The database URL cannot be used; the message says why."""


def normalize_url(url: str) -> str:
    """Accept a plain path for SQLite and ``postgresql://`` for psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy's message names the problem
        raise UpstreamDbError(f"bad database URL: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # transactions are begun below
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            # One writer at a time, decided at BEGIN rather than half way through.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if parsed.get_backend_name() != "postgresql":
        raise UpstreamDbError(f"unsupported database {parsed.get_backend_name()!r}: use postgresql:// or a SQLite path")
    # Batches go as psycopg pipelined executemany: one parsed statement, not a huge VALUES list per batch.
    return create_engine(url, pool_size=12, max_overflow=24, pool_pre_ping=True, use_insertmanyvalues=False)


def alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Create or bring the schema to the newest revision, in one transaction."""
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.execute(text("INSERT INTO counters (name, value) SELECT 'change', 0 WHERE NOT EXISTS "
                          "(SELECT 1 FROM counters WHERE name = 'change')"))
        conn.execute(text("INSERT INTO counters (name, value) SELECT 'feed_floor', 0 WHERE NOT EXISTS "
                          "(SELECT 1 FROM counters WHERE name = 'feed_floor')"))


class Database:
    """An engine with its session factory; ``with db.transaction() as s:`` commits or rolls back."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            upgrade(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions() as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()
