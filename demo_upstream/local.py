"""The demo's local upstream: a SQLite upstream beside the demo hall, in its own process.

First run: the upstream is filled from the demo hall's own accounts and bills (as a utility's
export would fill it), the terminal enrolls with a one-time code, and its pull cursor starts
at the upstream's current change number (both sides hold the same rows). Each start runs the
upstream on a free loopback port and points the terminal at it, so the online indicator, the
uploads and the dues check are all real; scan-to-pay goes to the payment simulator
(``serve --payments simulate``: a code's last digit chooses what the provider does).
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import update

from cashier.settings import LoadedSettings, load_settings, save_settings
from cashier.store import Store
from cashier.sync.client import load_credentials, save_credentials
from cashier.sync.engine import set_state
from cashier.sync.setup import enroll_terminal
from upstream import feed, terminals
from upstream.db import Database
from upstream.models import Account
from upstream.importer import rows_from_store, write
from upstream.server import UpstreamProcess, spawn

DB_FILE = "demo-upstream.db"


def start_demo_upstream(loaded: LoadedSettings, store: Store) -> tuple[UpstreamProcess, LoadedSettings]:
    paths, settings = loaded.paths, loaded.settings
    db_file = paths.data_dir / DB_FILE
    code = None
    if not db_file.exists() or load_credentials(paths.data_dir) is None:
        db_file.unlink(missing_ok=True)
        db = Database(str(db_file))
        try:
            write(db, *rows_from_store(paths.database), hall_code=settings.hall.code)  # the demo hall's customers
            code = terminals.create_enrollment_code(db, settings.hall.code, settings.terminal.id)
            with db.sessions() as s:
                top = feed.high_water(s)
        finally:
            db.dispose()
    else:  # a demo upstream from before accounts had a hall: its accounts are the demo hall's
        db = Database(str(db_file))
        try:
            with db.transaction() as s:
                s.execute(update(Account).where(Account.hall_code.is_(None)).values(hall_code=settings.hall.code))
        finally:
            db.dispose()
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    log_file = open(paths.log_dir / "demo-upstream.log", "ab")  # noqa: SIM115 - the child process keeps it
    process = spawn(str(db_file), log_file=log_file, extra_args=("--payments", "simulate"))  # scan-to-pay too
    log_file.close()
    if code is not None:
        enroll_terminal(loaded, store, process.url, code)
        with store.transaction() as s:
            set_state(s, cursor=top, snapshot_after=None, snapshot_as_of=None)
    else:
        creds = load_credentials(paths.data_dir)
        save_credentials(paths.data_dir, dataclasses.replace(creds, url=process.url))
        changed = settings.model_copy(update={"upstream": settings.upstream.model_copy(update={"url": process.url})})
        save_settings(changed, paths.config_file)
    return process, load_settings(paths)
