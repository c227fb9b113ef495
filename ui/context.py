"""Everything a window of the counter program needs, opened once at start-up."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from cashier.auth import Actor
from cashier.settings import LoadedSettings, Paths, Settings
from cashier.store import Store
from cashier.sync.engine import Syncer
from cashier.sync.worker import SyncWorker
from cashier.terminal import Terminal
from receipts.builders import Hall
from receipts.printing import Printer, ReceiptRenderer

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    paths: Paths
    settings: Settings
    store: Store
    terminal: Terminal
    printer: Printer
    hall: Hall
    actor: Actor | None = None
    demo_users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, name, password)
    syncer: Syncer | None = None  # None: this terminal works without an upstream
    sync_worker: SyncWorker | None = None
    upstream_process: object | None = None  # the demo's local upstream
    session: object | None = None  # ui.session.SessionController: sign_out() (Ctrl+Shift+L), lock_now() (Ctrl+L)

    @classmethod
    def open(cls, paths: Paths, settings: Settings, store: Store, clock=None) -> "AppContext":
        terminal = Terminal.from_settings(store, settings, clock)
        hall = Hall(settings.hall.name, settings.terminal.id, settings.terminal.name, settings.hall.timezone)
        printer = Printer(settings.printer, paths.data_dir / "previews")
        return cls(paths, settings, store, terminal, printer, hall)

    @property
    def render(self) -> ReceiptRenderer:
        """What the core's print queue calls to put this hall's receipts on its printer."""
        return ReceiptRenderer(self.printer, self.hall)

    def start_sync(self, *, start_worker: bool = True) -> None:
        """Open the syncer of an enrolled terminal and start its background worker."""
        from cashier.sync.setup import open_syncer

        try:
            self.syncer = open_syncer(LoadedSettings(self.settings, self.paths, True), self.store, self.terminal.clock)
        except Exception:  # noqa: BLE001 - unreadable credentials: the counter still works offline
            log.exception("sync not started")
            return
        if self.syncer is not None and start_worker:
            sync = self.settings.sync
            self.sync_worker = SyncWorker(self.syncer, interval=sync.interval_seconds,
                                          backoff_cap=sync.backoff_cap_seconds)
            self.sync_worker.start()

    def wake_sync(self) -> None:
        if self.sync_worker is not None:
            self.sync_worker.wake()

    def close(self) -> None:
        if self.sync_worker is not None:
            self.sync_worker.stop()
        elif self.syncer is not None:
            self.syncer.client.close()
        if self.upstream_process is not None:
            self.upstream_process.stop()
        self.store.close()
