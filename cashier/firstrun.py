"""First-run set-up of a hall PC (the technician's wizard, Qt-free part).

A PC is set up when its settings name a hall of its own (not the built-in demo identity that
``cashier-admin init`` writes) and its database has a user; until then the program opens the
wizard at every start, whatever ``init`` did.

Everything is collected first and applied at the end, in an order that leaves nothing
half-configured and spends nothing that cannot be had again: the settings and the first
supervisor are validated (password rules, a user name not taken, a database that opens), the
one-time enrollment code is checked; only then is the code exchanged with the upstream, the
supervisor created, and the settings file written last — its existence with a real hall is
what marks the PC as set up, so a cancelled or failed set-up simply runs again next time, and
an upgrade never shows it again. A set-up that failed after the enrollment (a full disk) keeps
the credentials it got: the next try uses them instead of the spent code.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from pydantic import ValidationError

from cashier import auth
from cashier.errors import ConfigError, DomainError
from cashier.settings import (HallSettings, Paths, Settings, describe_validation_error, load_settings,
                              save_settings)
from cashier.store import Store, schema
from cashier.sync.client import (Credentials, Refused, Unreachable, Untrusted, UpstreamClient, load_credentials,
                                 save_credentials)
from cashier.sync.setup import number_on, terminal_key_of
from cashier.terminal import Terminal

DEMO_HALL_CODE = HallSettings.model_fields["code"].default
DEMO_HALL_NAME = HallSettings.model_fields["name"].default
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
    printer_raster: bool = False
    supervisor_password_again: str | None = None  # None: not asked (the caller compared them)


@dataclass(frozen=True)
class CodeCheck:
    """What the upstream said of the connection and of the code (when one was given)."""

    version: str
    hall_code: str = ""
    terminal_id: str = ""
    expires_at: datetime | None = None


@dataclass(frozen=True)
class SetUp:
    """What the set-up did: the settings in force and what the setup sheet lists."""

    settings: Settings
    paths: Paths
    supervisor: str = ""  # the user name created; empty when the PC kept its users
    kept_users: int = 0
    enrolled: bool = False


def is_demo_identity(settings: Settings) -> bool:
    """The built-in demo hall (what ``cashier-admin init`` writes on a fresh PC): not a hall of its own."""
    return settings.hall.code == DEMO_HALL_CODE or settings.hall.name == DEMO_HALL_NAME


def needs_first_run(paths: Paths) -> bool:
    """Does this PC need the technician's wizard? Yes without a settings file, with the demo hall's identity in it,
    or with a database that has no user to sign in with. A settings file or a database that cannot be read is not
    a reason: the program says what is wrong with it instead (the wizard would set up over it)."""
    if not paths.config_file.exists():
        return True
    try:
        settings = load_settings(paths).settings
    except ConfigError:
        return False
    return is_demo_identity(settings) or _count_users(paths) == 0


def _count_users(paths: Paths) -> int | None:
    """Users in this PC's database; 0 without one (or before its tables), None when it cannot be read."""
    if not paths.database.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        return 0 if "no such table" in str(exc) else None
    except sqlite3.Error:
        return None  # damaged: opening the store says what is wrong


def existing_users(paths: Paths) -> int:
    """Users already in this PC's database (its settings file was lost, its data was not): the
    wizard keeps them and creates no supervisor. 0 when there is no readable database (opening the store at
    完成设置 then says what is wrong with it)."""
    return _count_users(paths) or 0


def base_settings(paths: Paths) -> Settings:
    """The settings the wizard starts from: this PC's file when it has one that reads (``init`` may have been run
    with ``--set``: those stay), the defaults otherwise."""
    if paths.config_file.exists():
        try:
            return load_settings(paths).settings
        except ConfigError:
            pass
    return Settings()


def prefill(paths: Paths) -> Settings | None:
    """What the wizard shows filled in: this PC's own hall when its file names one; None on a fresh PC or one that
    ``init`` gave the demo identity (no demo values on a real hall)."""
    settings = base_settings(paths)
    return None if is_demo_identity(settings) else settings


def settings_from(choices: FirstRunChoices, base: Settings | None = None) -> Settings:
    """The settings the choices make over ``base`` (its other sections kept); a clear error naming the field
    otherwise. The demo hall's code and name are refused: they would leave the PC looking unconfigured."""
    base = base or Settings()
    raw = base.model_dump(mode="json")
    raw["hall"].update(code=choices.hall_code.strip(), name=choices.hall_name.strip())
    raw["terminal"].update(id=choices.terminal_id.strip(), name=choices.terminal_name.strip())
    raw["printer"].update(uri=choices.printer_uri.strip() or "preview://", width=choices.printer_width,
                          raster=bool(choices.printer_raster))
    raw["upstream"].update(url=choices.upstream_url.strip())
    raw["ui"].update(language=choices.language)
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise describe_validation_error(exc, "首次设置 (first-run set-up)") from None
    if is_demo_identity(settings):
        raise DomainError("setup.demo_identity", code=DEMO_HALL_CODE, name=DEMO_HALL_NAME)
    return settings


def check_supervisor(settings: Settings, choices: FirstRunChoices) -> None:
    """The first supervisor as typed: a user name, the password rules of ``[auth]``, the same password twice."""
    username = choices.supervisor_username.strip()
    if not username or len(username) > 32:
        raise DomainError("auth.bad_username", username=username)
    if len(choices.supervisor_password or "") < settings.auth.min_password_length:
        raise DomainError("auth.password_too_short", length=settings.auth.min_password_length)
    if choices.supervisor_password_again is not None and choices.supervisor_password_again != choices.supervisor_password:
        raise DomainError("setup.password_mismatch")


def _client(url: str, settings: Settings | None, timeout: float) -> UpstreamClient:
    upstream = (settings or Settings()).upstream
    return UpstreamClient.configured(upstream, url=url, timeout=timeout)


def _code_refused(exc: Refused) -> DomainError:
    if exc.code in ("code_unknown", "code_used", "code_expired"):
        return DomainError(f"setup.{exc.code}")
    return DomainError("sync.enroll_refused", reason=exc.message or exc.code)


def check_upstream(url: str, code: str = "", settings: Settings | None = None) -> CodeCheck:
    """Can the upstream be reached, and what would ``code`` enroll? The code is checked, never used. Raises
    DomainError saying why not (plain HTTP to another machine is refused before anything is sent; an untrusted
    certificate is named; a wrong, used or expired code is said as such)."""
    url = url.strip().rstrip("/")
    try:
        with _client(url, settings, 5) as client:
            try:
                version = client.health().get("version", "")
            except Refused as exc:  # some web server, not the upstream (no /v1/health)
                raise DomainError("setup.not_upstream", url=url, status=exc.status) from None
            if not code.strip():
                return CodeCheck(version)
            try:
                answer = client.check_code(code.strip())
            except Refused as exc:
                if exc.status == 404:  # an upstream from before /v1/enroll/check: the enrollment checks the code
                    return CodeCheck(version)
                raise _code_refused(exc) from None
    except Untrusted as exc:
        raise DomainError("sync.tls_untrusted", url=url, reason=exc.reason) from None
    except Unreachable as exc:
        raise DomainError("sync.unreachable", url=url, reason=str(exc)) from None
    return CodeCheck(version, answer.hall_code, answer.terminal_id, answer.expires_at)


def _kept_credentials(paths: Paths, url: str) -> Credentials | None:
    """Credentials a failed earlier try got from this upstream (the code is spent; they are not)."""
    try:
        creds = load_credentials(paths.data_dir)
    except Exception:  # noqa: BLE001 - unreadable: enroll again
        return None
    return creds if creds is not None and creds.url.rstrip("/") == url.rstrip("/") else None


def validate(paths: Paths, choices: FirstRunChoices) -> tuple[Settings, int]:
    """Everything that can be checked here, before the upstream is asked for anything: the settings, the first
    supervisor by the rules ``auth`` applies, the database (it opens, is created or upgraded). Returns the settings and how
    many users the database already has (kept; then no supervisor is created)."""
    settings = settings_from(choices, base_settings(paths))
    if choices.enrollment_code.strip() and not settings.upstream.url:
        raise DomainError("setup.code_needs_url")
    kept = existing_users(paths)
    if not kept:
        check_supervisor(settings, choices)
    schema.ensure_data_dir(paths.data_dir)
    with Store.open(paths.database, backup_dir=paths.backup_dir) as store:  # created or upgraded; damage is said
        kept = existing_users(paths)
        if not kept:
            auth_terminal = Terminal.from_settings(store, settings)
            auth.check_password_policy(auth_terminal, choices.supervisor_password)  # the rules auth applies
    return settings, kept


def _enroll(paths: Paths, settings: Settings, code: str) -> tuple[Credentials, object | None]:
    """The code checked (a wrong, used or expired one is said and nothing is spent), then exchanged with this
    PC's terminal key (kept before the first attempt: a retry after a lost answer gets the same enrollment);
    the credentials are kept at once. A code this PC itself spent in a try that failed later (a full disk) is
    not asked for again: the credentials that try kept are used. Returns them and the upstream's answer (None
    for kept credentials)."""
    url = settings.upstream.url
    key = terminal_key_of(paths.data_dir)
    try:
        check_upstream(url, code, settings)
        with UpstreamClient.configured(settings.upstream, timeout=10) as client:
            enrolled = client.enroll(code, key)
    except DomainError as exc:
        kept = _kept_credentials(paths, url)
        if exc.key == "setup.code_used" and kept is not None:
            return kept, None
        raise
    except Untrusted as exc:
        raise DomainError("sync.tls_untrusted", url=url, reason=exc.reason) from None
    except Unreachable as exc:
        raise DomainError("sync.unreachable", url=url, reason=str(exc)) from None
    except Refused as exc:
        kept = _kept_credentials(paths, url)
        if exc.code == "code_used" and kept is not None:
            return kept, None
        raise _code_refused(exc) from None
    log.info("wizard: enrolled with %s as terminal %s of hall %s", url, enrolled.terminal_id, enrolled.hall_code)
    creds = Credentials(url, enrolled.terminal_id, enrolled.hall_code, enrolled.token)
    save_credentials(paths.data_dir, creds)  # whatever fails below, the next try uses them
    return creds, enrolled


def apply(paths: Paths, choices: FirstRunChoices) -> SetUp:
    """Validate everything, enroll last, create the supervisor, write the settings (in that order)."""
    settings, kept = validate(paths, choices)
    log.info("wizard: finishing the set-up of hall %s, terminal %s, upstream %s, printer %s (%d mm), language %s",
             settings.hall.code, settings.terminal.id, settings.upstream.url or "none", settings.printer.uri,
             settings.printer.width, settings.ui.language)
    code = choices.enrollment_code.strip()
    creds, enrolled = _enroll(paths, settings, code) if settings.upstream.url and code else (None, None)
    if creds is not None:
        settings = settings.model_copy(update={
            "hall": settings.hall.model_copy(update={"code": creds.hall_code}),
            "terminal": settings.terminal.model_copy(update={"id": creds.terminal_id}),
        })
    pending = paths.config_file.with_name(paths.config_file.name + ".setup")
    save_settings(settings, pending)  # written, not yet in force
    supervisor = ""
    try:
        with Store.open(paths.database, backup_dir=paths.backup_dir) as store:
            if not existing_users(paths):  # a PC whose settings were lost keeps the users it has
                terminal = Terminal.from_settings(store, settings)
                supervisor = choices.supervisor_username.strip()
                auth.create_user(terminal, None, supervisor, choices.supervisor_name.strip() or supervisor,
                                 "supervisor", choices.supervisor_password)
            if enrolled is not None:
                with store.transaction() as s:  # a replaced PC numbers on from the upstream's last receipt
                    number_on(s, enrolled, datetime.now(timezone.utc).replace(tzinfo=None))
        os.replace(pending, paths.config_file)
        log.info("wizard: set-up done: hall %s, terminal %s, %s, settings in %s", settings.hall.code, settings.terminal.id, f"enrolled with {settings.upstream.url}" if enrolled is not None else "not enrolled", paths.config_file)
    finally:
        pending.unlink(missing_ok=True)
    return SetUp(settings, paths, supervisor, kept, creds is not None)
