"""A terminal of the UI tests enrolled with a real upstream (SQLite) on a loopback port."""

from __future__ import annotations

from pathlib import Path

from cashier.settings import LoadedSettings, load_settings
from cashier.sync.setup import enroll_terminal
from upstream import server, terminals
from upstream.checks import Plausibility
from upstream.db import Database
from upstream.importer import rows_from_store, write


def start_for(ctx, db: Database, **kwargs) -> server.RunningUpstream:
    """The upstream on a loopback port, its clock the terminal's (the tests' fixed clock): the upstream checks
    a payment's date against its own clock (upstream/checks.py)."""
    clock = ctx.terminal.clock
    return server.start(db, plausible=Plausibility(timezone_name=clock.timezone, clock=lambda: clock.now()), **kwargs)


def enroll_with_local_upstream(ctx, folder: Path):
    """Fill an upstream from the terminal's own store, enroll the terminal, sync once; returns (db, running)."""
    db = Database(str(folder / "upstream.db"))
    write(db, *rows_from_store(ctx.paths.database), hall_code="DEMO01")
    up = start_for(ctx, db)
    code = terminals.create_enrollment_code(db, "DEMO01", "T01")
    enroll_terminal(LoadedSettings(ctx.settings, ctx.paths, False), ctx.store, up.url, code)
    ctx.settings = load_settings(ctx.paths).settings
    ctx.start_sync(start_worker=False)
    ctx.syncer.run_once()
    return db, up
