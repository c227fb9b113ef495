"""First-run set-up of a hall PC (the technician's wizard, Qt-free part).

Everything is collected first and applied at the end, in an order that leaves nothing
half-configured: the settings are validated, the upstream enrollment (if any) is done over
the network before anything is written here, then the database and the first supervisor are
created, and the settings file is written last — its existence is what marks the PC as set
up, so a cancelled or failed set-up simply runs again next time, and an upgrade never shows
it again.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone

from pydantic import ValidationError

from cashier import auth
from cashier.errors import DomainError
from cashier.settings import Paths, Settings, describe_validation_error, save_settings
from cashier.store import Store, schema
from cashier.sync.client import Credentials, Refused, Unreachable, Untrusted, UpstreamClient, save_credentials
from cashier.sync.setup import number_on, terminal_key_of
from cashier.terminal import Terminal

log = logging.getLogger(__name__)  # what was chosen, never the enrollment code or the password


@dataclass
class FirstRunChoices:
    hall_code: str
    hall_name: str
    terminal_id: str
    terminal_name: str
    printer_uri: str
    printer_width: int
    language: str
    supervisor_username: str
    supervisor_name: str
    supervisor_password: str
    upstream_url: str = ""
    enrollment_code: str = ""


def needs_first_run(paths: Paths) -> bool:
    return not paths.config_file.exists()


def existing_users(paths: Paths) -> int:
    """Users already in this PC's database (its settings file was lost, its data was not): the
    wizard keeps them and creates no supervisor. 0 when there is no readable database."""
    import sqlite3

    if not paths.database.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # no users table yet, or damaged: opening the store below says what is wrong


def settings_from(choices: FirstRunChoices) -> Settings:
    """The settings the choices make; a clear error naming the field otherwise."""
    raw = {
        "hall": {"code": choices.hall_code.strip(), "name": choices.hall_name.strip()},
        "terminal": {"id": choices.terminal_id.strip(), "name": choices.terminal_name.strip()},
        "printer": {"uri": choices.printer_uri.strip() or "preview://", "width": choices.printer_width},
        "upstream": {"url": choices.upstream_url.strip()},
        "ui": {"language": choices.language},
    }
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise describe_validation_error(exc, "首次设置 (first-run set-up)") from None


def check_upstream(url: str, verify_tls: bool = True) -> str:
    """Can the upstream be reached? Returns its version; raises DomainError saying why not (plain HTTP to
    another machine is refused before anything is sent; an untrusted certificate is named)."""
    try:
        with UpstreamClient(url, verify_tls=verify_tls, timeout=5) as client:
            return client.health().get("version", "")
    except Untrusted as exc:
        raise DomainError("sync.tls_untrusted", url=url, reason=exc.reason) from None
    except (Unreachable, Refused) as exc:
        raise DomainError("sync.unreachable", url=url, reason=str(exc)) from None


def apply(paths: Paths, choices: FirstRunChoices) -> Settings:
    settings = settings_from(choices)
    log.info("wizard: finishing the set-up of hall %s, terminal %s, upstream %s, printer %s (%d mm), language %s", settings.hall.code, settings.terminal.id, settings.upstream.url or "none", settings.printer.uri, settings.printer.width, settings.ui.language)
    enrolled = None
    if settings.upstream.url and choices.enrollment_code.strip():
        schema.ensure_data_dir(paths.data_dir)
        key = terminal_key_of(paths.data_dir)  # kept before the first attempt: a retry gets the same credentials
        try:
            with UpstreamClient.configured(settings.upstream, timeout=10) as client:
                enrolled = client.enroll(choices.enrollment_code.strip(), key)
            log.info("wizard: enrolled with %s as terminal %s of hall %s", settings.upstream.url, enrolled.terminal_id, enrolled.hall_code)
        except Untrusted as exc:
            raise DomainError("sync.tls_untrusted", url=settings.upstream.url, reason=exc.reason) from None
        except Unreachable as exc:
            raise DomainError("sync.unreachable", url=settings.upstream.url, reason=str(exc)) from None
        except Refused as exc:
            raise DomainError("sync.enroll_refused", reason=exc.message or exc.code) from None
        settings = settings.model_copy(update={
            "hall": settings.hall.model_copy(update={"code": enrolled.hall_code}),
            "terminal": settings.terminal.model_copy(update={"id": enrolled.terminal_id}),
        })
    schema.ensure_data_dir(paths.data_dir)
    pending = paths.config_file.with_name(paths.config_file.name + ".setup")
    save_settings(settings, pending)  # written, not yet in force
    try:
        with Store.open(paths.database, backup_dir=paths.backup_dir) as store:
            if not existing_users(paths):  # a PC whose settings were lost keeps the users it has
                terminal = Terminal.from_settings(store, settings)
                auth.create_user(terminal, None, choices.supervisor_username, choices.supervisor_name.strip()
                                 or choices.supervisor_username, "supervisor", choices.supervisor_password)
            if enrolled is not None:
                with store.transaction() as s:  # a replaced PC numbers on from the upstream's last receipt
                    number_on(s, enrolled, datetime.now(timezone.utc).replace(tzinfo=None))
        if enrolled is not None:
            save_credentials(paths.data_dir, Credentials(settings.upstream.url, enrolled.terminal_id,
                                                         enrolled.hall_code, enrolled.token))
        os.replace(pending, paths.config_file)
        log.info("wizard: set-up done: hall %s, terminal %s, %s, settings in %s", settings.hall.code, settings.terminal.id, f"enrolled with {settings.upstream.url}" if enrolled is not None else "not enrolled", paths.config_file)
    finally:
        pending.unlink(missing_ok=True)
    return settings
