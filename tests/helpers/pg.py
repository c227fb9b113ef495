"""A real PostgreSQL for the upstream's tests: the cluster `.ci/start-postgres` runs, one new database per test."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
_URL: str | None = None


def server_url() -> str:
    """The URL `.ci/start-postgres` printed (it starts the cluster if it is not running)."""
    global _URL
    if _URL is None:
        _URL = os.environ.get("CASHIER_TEST_PG") or subprocess.run(
            [str(ROOT / ".ci" / "start-postgres")], check=True, capture_output=True, text=True).stdout.strip()
    return _URL


def _admin():
    return create_engine(server_url(), isolation_level="AUTOCOMMIT")


def create_database() -> str:
    name = "t_" + uuid.uuid4().hex[:12]
    engine = _admin()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    engine = _admin()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
