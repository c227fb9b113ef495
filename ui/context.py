"""Everything a window of the counter program needs, opened once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from cashier.auth import Actor
from cashier.settings import Paths, Settings
from cashier.store import Store
from cashier.terminal import Terminal
from receipts.builders import Hall
from receipts.printing import Printer


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

    @classmethod
    def open(cls, paths: Paths, settings: Settings, store: Store, clock=None) -> "AppContext":
        terminal = Terminal.from_settings(store, settings, clock)
        hall = Hall(settings.hall.name, settings.terminal.id, settings.terminal.name, settings.hall.timezone)
        printer = Printer(settings.printer, paths.data_dir / "previews")
        return cls(paths, settings, store, terminal, printer, hall)
