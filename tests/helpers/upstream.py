"""A terminal of the UI tests enrolled with a real upstream (SQLite) on a loopback port."""

from __future__ import annotations

from pathlib import Path

from cashier.settings import LoadedSettings, load_settings
from cashier.sync.setup import enroll_terminal
from upstream import server, terminals
from upstream.db import Database
from upstream.importer import rows_from_store, write


def enroll_with_local_upstream(ctx, folder: Path):
    """Fill an upstream from the terminal's own store, enroll the terminal, sync once; returns (db, running)."""
    db = Database(str(folder / "upstream.db"))
    write(db, *rows_from_store(ctx.paths.database))
    up = server.start(db)
    code = terminals.create_enrollment_code(db, "DEMO01", "T01")
    enroll_terminal(LoadedSettings(ctx.settings, ctx.paths, False), ctx.store, up.url, code)
    ctx.settings = load_settings(ctx.paths).settings
    ctx.start_sync(start_worker=False)
    ctx.syncer.run_once()
    return db, up
