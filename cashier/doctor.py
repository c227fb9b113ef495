"""``cashier-admin doctor``: one line per check, OK / FAIL with the reason, or SKIP.

Checks: settings file, data directory, database integrity and schema version, the audit chain and
the money records against it, who may read them, free disk, printer reachability, upstream
reachability (when configured) and the penalty policy in force. A WARN line is not a failure but
must be read: an upstream link that is allowed although weak (plain HTTP to another machine, a
certificate left unchecked).
"""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import httpx

from cashier import private
from cashier.errors import CashierError
from cashier.i18n import translate
from cashier.printer_uri import parse_printer_uri
from cashier.settings import LoadedSettings, Paths, Settings, load_settings
from cashier.store import schema

MIN_FREE_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class Check:
    status: str  # "OK", "FAIL", "WARN" or "SKIP"
    message: str

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"

    def line(self) -> str:
        return f"{self.status:<4} {self.message}"


def _human_bytes(count: int) -> str:
    """Bytes for a person: one decimal in the largest fitting unit, integer arithmetic only."""
    units = ("B", "KB", "MB", "GB", "TB")
    power = 0
    while power < len(units) - 1 and count >= 1024 ** (power + 1):
        power += 1
    if power == 0:
        return f"{count} B"
    tenths = count * 10 // 1024**power
    return f"{tenths // 10}.{tenths % 10} {units[power]}"


def check_settings(paths: Paths, overrides: tuple[str, ...]) -> tuple[Check, Settings]:
    try:
        loaded: LoadedSettings = load_settings(paths, overrides)
    except CashierError as exc:
        return Check("FAIL", str(exc)), Settings()
    key = "doctor.config_ok" if loaded.from_file else "doctor.config_defaults"
    return Check("OK", translate(key, file=str(paths.config_file))), loaded.settings


def check_data_dir(paths: Paths) -> Check:
    if not paths.data_dir.is_dir():
        return Check("FAIL", translate("doctor.data_dir_missing", dir=str(paths.data_dir)))
    try:
        schema.ensure_data_dir(paths.data_dir)
    except CashierError as exc:
        return Check("FAIL", str(exc))
    return Check("OK", translate("doctor.data_dir_ok", dir=str(paths.data_dir)))


def check_private(paths: Paths) -> Check:
    """Customer data readable by other OS users is a FAIL (POSIX); doctor itself changes no mode."""
    if not private.POSIX:
        return Check("OK", translate("doctor.private_windows", dir=str(paths.data_dir)))
    database = paths.database
    candidates = [paths.data_dir, database, Path(f"{database}-wal"), Path(f"{database}-shm"), paths.backup_dir,
                  paths.log_dir]
    open_ = [str(p) for p in candidates if p.exists() and private.open_to_others(p)]
    if open_:
        return Check("FAIL", translate("doctor.private_open", paths="、".join(open_), dir=str(paths.data_dir)))
    return Check("OK", translate("doctor.private_ok", dir=str(paths.data_dir)))


def check_database(path: Path) -> Check:
    try:
        state = schema.probe(path)
    except CashierError as exc:
        return Check("FAIL", str(exc))
    if not state.exists:
        return Check("FAIL", translate("doctor.db_missing", file=str(path)))
    problems = schema.integrity_problems(path)
    if problems:
        return Check("FAIL", translate("doctor.db_integrity", reason="; ".join(problems[:3])))
    supported = schema.head_schema()
    known = {rev.revision for rev in schema.script_directory().walk_revisions()}
    if state.revision is None:
        return Check("FAIL", translate("store.not_ours", file=str(path)))
    if state.revision not in known or state.user_version > supported:
        return Check("FAIL", translate("store.too_new", file=str(path), schema=state.schema, supported=supported))
    if state.revision != schema.head_revision():
        return Check("FAIL", translate("doctor.db_outdated", schema=state.schema, supported=supported))
    return Check("OK", translate("doctor.db_ok", schema=state.schema, supported=supported))


def check_audit(path: Path) -> Check:
    """The audit chain and every money record against it (what ``audit-verify`` checks, first problem only)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from cashier import audit, records

    engine = create_engine(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            chain = audit.verify(session)
            problems = records.verify(session)
    finally:
        engine.dispose()
    if not chain.ok:
        return Check("FAIL", translate("doctor.audit_broken", problem=translate(
            "audit.broken", id=chain.first_bad_id, problem=translate(f"audit.{chain.problem}"), count=chain.entries)))
    if problems:
        first = problems[0]
        return Check("FAIL", translate("doctor.audit_broken", problem=translate(
            f"records.{first.problem}", kind=translate(f"records.kind_{first.kind}"), id=first.entity_id)))
    return Check("OK", translate("doctor.audit_ok", count=chain.entries))


def check_disk(directory: Path) -> Check:
    probe_dir = directory
    while not probe_dir.exists() and probe_dir != probe_dir.parent:
        probe_dir = probe_dir.parent
    free = shutil.disk_usage(probe_dir).free
    if free < MIN_FREE_BYTES:
        return Check("FAIL", translate("doctor.disk_low", free=_human_bytes(free), needed=_human_bytes(MIN_FREE_BYTES)))
    return Check("OK", translate("doctor.disk_ok", free=_human_bytes(free)))


def check_printer(uri: str, timeout: float = 3.0) -> Check:
    try:
        target = parse_printer_uri(uri)
    except CashierError as exc:
        return Check("FAIL", str(exc))
    if target.kind == "preview":
        return Check("OK", translate("doctor.printer_preview"))
    try:
        if target.kind == "tcp":
            with socket.create_connection((target.host, target.port), timeout=timeout):
                pass
        elif target.kind == "pdf":
            if target.path:
                folder = Path(target.path)
                if not folder.is_dir() or not os.access(folder, os.W_OK):
                    raise OSError(f"{folder} is not a writable folder")
            return Check("OK", translate("doctor.printer_pdf", folder=target.path or "receipts/"))
        elif target.kind == "file":
            parent = Path(target.path).parent
            if not parent.is_dir() or not os.access(parent, os.W_OK):
                raise OSError(f"{parent} is not a writable folder")
        elif target.kind == "serial":
            if os.name != "nt" and not Path(target.path).exists():
                raise OSError(f"{target.path} does not exist")
        else:
            return Check("SKIP", translate("doctor.printer_unchecked", uri=uri))
    except OSError as exc:
        return Check("FAIL", translate("doctor.printer_fail", uri=uri, reason=exc.strerror or str(exc)))
    return Check("OK", translate("doctor.printer_ok", uri=uri))


def check_upstream(settings: Settings) -> Check:
    from cashier.sync.client import InsecureLink, plain_http, tls_verify, untrusted_cause

    upstream = settings.upstream
    url = upstream.url
    if not url:
        return Check("SKIP", translate("doctor.upstream_none"))
    if plain_http(url) and not upstream.allow_plain_http:  # the terminal refuses it: so does doctor
        return Check("FAIL", translate("sync.plain_http_refused", url=url))
    try:
        verify = tls_verify(verify_tls=upstream.verify_tls, ca_file=upstream.ca_file)
    except InsecureLink as exc:
        return Check("FAIL", str(exc))
    try:
        response = httpx.get(url + "/", timeout=upstream.timeout_seconds, verify=verify)
    except httpx.HTTPError as exc:
        untrusted = untrusted_cause(exc)
        if untrusted is not None:
            return Check("FAIL", translate("sync.tls_untrusted", url=url,
                                           reason=untrusted.verify_message or str(untrusted)))
        return Check("FAIL", translate("doctor.upstream_fail", url=url, reason=str(exc) or type(exc).__name__))
    if response.status_code >= 500:
        return Check("FAIL", translate("doctor.upstream_fail", url=url, reason=f"HTTP {response.status_code}"))
    return Check("OK", translate("doctor.upstream_ok", url=url, status=response.status_code))


def check_penalty_policy(path: Path, settings: Settings) -> Check:
    """Which penalty numbers quotes use: the upstream's (held since the last pull) or this PC's settings."""
    import sqlite3

    from cashier.rules.penalty import policy_digest
    from cashier.sync import protocol as p

    local = policy_digest(settings.penalty.policy())
    raw = None
    if path.is_file():
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                row = db.execute("SELECT value FROM sync_state WHERE key = 'penalty_policy'").fetchone()
                raw = row[0] if row else None
        except sqlite3.Error:
            raw = None  # the database check says what is wrong with the file
    if raw is None:
        key = "doctor.policy_not_yet" if settings.upstream.url else "doctor.policy_local"
        return Check("OK", translate(key, digest=local))
    try:
        held = p.PenaltyPolicyBody.model_validate_json(raw)
    except ValueError:
        return Check("FAIL", translate("doctor.policy_unreadable"))
    key = "doctor.policy_upstream" if held.digest == local else "doctor.policy_upstream_local_differs"
    return Check("OK", translate(key, version=held.version, digest=held.digest, local=local))


def check_upstream_link(settings: Settings) -> list[Check]:
    """A WARN line for each weakness of an upstream link that the settings allow."""
    from cashier.sync.client import link_warnings

    upstream = settings.upstream
    return [Check("WARN", warning) for warning in
            link_warnings(upstream.url, verify_tls=upstream.verify_tls, allow_plain_http=upstream.allow_plain_http)]


def run_checks(paths: Paths, overrides: tuple[str, ...] = ()) -> list[Check]:
    config_check, settings = check_settings(paths, overrides)
    database = check_database(paths.database)
    return [
        config_check,
        check_data_dir(paths),
        database,
        *([check_audit(paths.database)] if not database.failed else []),
        check_private(paths),
        check_disk(paths.data_dir),
        check_printer(settings.printer.uri),
        check_upstream(settings),
        check_penalty_policy(paths.database, settings),
        *check_upstream_link(settings),
    ]
