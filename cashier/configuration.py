"""Changing settings at a terminal, written atomically, every change audited.

What a hall changes most — the printer, the upstream's address, the language (``BASIC_KEYS``) — a
supervisor or a technician may change; everything else only a technician.
"""

from __future__ import annotations

from pathlib import Path

from cashier import audit
from cashier.auth import Actor, can, require
from cashier.errors import DomainError
from cashier.settings import Settings, save_settings
from cashier.terminal import Terminal

_SECRET_WORDS = ("password", "secret", "token", "credential", "code")
BASIC_KEYS = frozenset({"printer.uri", "printer.width", "printer.raster", "upstream.url", "ui.language"})


def _flatten(data: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def change_settings(t: Terminal, actor: Actor, config_file: Path, old: Settings, new: Settings,
                    data_dir: Path | None = None) -> dict[str, tuple]:
    """Save ``new`` over ``old``; the audit log records each changed key (secrets masked).

    A terminal enrolled with the upstream (credentials in ``data_dir``) keeps the hall code and
    terminal id it enrolled as: the upstream would refuse every upload under another name.
    """
    require(actor, "settings.basic")
    if data_dir is not None:
        from cashier.sync.client import SyncError, load_credentials

        try:
            creds = load_credentials(data_dir)
        except SyncError:
            creds = None  # unreadable: enrolling again is the way out, and the doctor says so
        if creds is not None and (new.terminal.id, new.hall.code) != (creds.terminal_id, creds.hall_code):
            raise DomainError("settings.enrolled_identity", terminal=creds.terminal_id, hall=creds.hall_code)
    before, after = _flatten(old.model_dump(mode="json")), _flatten(new.model_dump(mode="json"))
    changes = {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}
    if not changes:
        return {}
    beyond = sorted(set(changes) - BASIC_KEYS)
    if beyond and not can(actor, "settings.change"):
        raise DomainError("settings.technician_only", user=actor.display_name, keys=", ".join(beyond))
    shown = {k: ("***", "***") if any(w in k for w in _SECRET_WORDS) else v for k, v in changes.items()}
    with t.store.transaction() as s:
        audit.record(s, t.clock.now(), actor.user_id, "settings.change", str(config_file), changes=shown)
        save_settings(new, config_file)  # inside the unit of work: a file that cannot be written leaves no entry
    return changes
