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
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from cashier import private
from cashier.clock import Clock
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


def _read_only(path: Path):
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true")


def check_audit(path: Path) -> Check:
    """What ``audit-verify`` checks: the chain, then every money record against it. A FAIL names the first problem
    (the entry, or the record's kind and id, and what was done to it) and how many there are in all."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from cashier import audit, records

    engine = _read_only(path)
    try:
        with Session(engine) as session:
            chain = audit.verify(session)
            problems = records.verify(session)
    except (SQLAlchemyError, ValueError) as exc:  # a row the chain cannot even be read from
        return Check("FAIL", translate("doctor.audit_broken", problem=str(exc).splitlines()[0], count=1))
    finally:
        engine.dispose()
    found = [translate("audit.broken", id=chain.first_bad_id, problem=translate(f"audit.{chain.problem}"),
                       count=chain.entries)] if not chain.ok else []
    found += [translate(f"records.{p.problem}", kind=translate(f"records.kind_{p.kind}"), id=p.entity_id)
              for p in problems]
    if found:
        return Check("FAIL", translate("doctor.audit_broken", problem=found[0], count=len(found)))
    return Check("OK", translate("doctor.audit_ok", count=chain.entries))


def check_anchors(database: Path, anchors) -> Check:
    """The chain heads the upstream keeps for this terminal must all be in the local chain (``audit-verify --upstream``)."""
    from sqlalchemy.orm import Session

    from cashier import records

    engine = _read_only(database)
    try:
        with Session(engine) as session:
            bad = records.check_anchors(session, anchors)
    finally:
        engine.dispose()
    if bad:
        return Check("FAIL", translate("doctor.audit_broken", problem=translate(
            f"audit.anchor_{bad[0].problem}", seq=bad[0].seq), count=len(bad)))
    return Check("OK", translate("audit.anchors_ok", count=len(anchors)))


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


def duration_text(seconds: float) -> str:
    """A span for a person, two units at most: ``3 min 5 s``, ``2 h 10 min``, ``4 d 3 h`` (in the user's language)."""
    seconds = int(abs(seconds))
    parts = [("days", seconds // 86400), ("hours", seconds % 86400 // 3600), ("minutes", seconds % 3600 // 60),
             ("seconds", seconds % 60)]
    while len(parts) > 1 and parts[0][1] == 0:
        parts.pop(0)
    return " ".join(translate(f"duration.{unit}", n=n) for unit, n in parts[:2] if n or unit == parts[0][0])


def _hall_time(at: datetime, zone: str) -> str:
    """A naive-UTC or aware time as the hall reads it: ``2026-11-28 10:10:00 +08:00``."""
    local = (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:5]}"


def _answer_text(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
    return f"HTTP {response.status_code}, {kind}"


def check_upstream(settings: Settings, data_dir: Path | None = None, database: Path | None = None,
                   clock: Clock | None = None) -> list[Check]:
    """The upstream as the terminal uses it: the protocol's ``/v1/health`` (not just any web server), the clock
    against the upstream's, this terminal's credentials on an authenticated call, and the sync state (last
    successful round, uploads waiting, held ones) from the database in ``data_dir``."""
    from cashier.sync import protocol as p
    from cashier.sync.client import InsecureLink, UpstreamClient, untrusted_cause

    upstream = settings.upstream
    url = upstream.url.rstrip("/")
    if not url:
        return [Check("SKIP", translate("doctor.upstream_none"))]
    clock = clock or Clock(settings.hall.timezone)
    try:
        client = UpstreamClient.configured(upstream, url=url)
    except InsecureLink as exc:  # the terminal refuses this link: so does doctor
        return [Check("FAIL", str(exc))]
    path = p.API_PREFIX + "/health"
    with client:
        before = clock.now()
        try:
            response = client.http.get("/health")
        except httpx.HTTPError as exc:
            untrusted = untrusted_cause(exc)
            if untrusted is not None:
                return [Check("FAIL", translate("sync.tls_untrusted", url=url,
                                                reason=untrusted.verify_message or str(untrusted)))]
            return [Check("FAIL", translate("doctor.upstream_fail", url=url, reason=str(exc) or type(exc).__name__))]
        after = clock.now()
    if response.status_code >= 500:
        return [Check("FAIL", translate("doctor.upstream_fail", url=url, reason=f"HTTP {response.status_code}"))]
    try:
        if response.status_code != 200:
            raise ValueError(response.status_code)
        health = p.Health.model_validate_json(response.content)
    except ValueError:
        return [Check("FAIL", translate("doctor.upstream_not_protocol", url=url, path=path,
                                        answer=_answer_text(response)))]
    checks = [Check("OK", translate("doctor.upstream_ok", url=url, version=health.version)),
              check_clock(health, before + (after - before) / 2, settings.hall.timezone)]
    if data_dir is not None:
        checks += check_credentials(settings, data_dir, database)
    return checks


CLOCK_WARN_SECONDS = 120


def check_clock(health, local_now: datetime, zone: str) -> Check:
    """This PC's clock (naive UTC, taken halfway through the health call) against the upstream's ``server_time``:
    WARN past 2 minutes (or half the upstream's tolerance if that is smaller), FAIL past the tolerance."""
    server = health.server_time.astimezone(timezone.utc).replace(tzinfo=None)
    skew = (local_now - server).total_seconds()
    limit = health.max_clock_skew_seconds
    warn_at = min(CLOCK_WARN_SECONDS, limit / 2)
    words = dict(skew=duration_text(skew), server=_hall_time(health.server_time, zone),
                 limit=duration_text(limit),
                 direction=translate("doctor.clock_ahead" if skew > 0 else "doctor.clock_behind"))
    if abs(skew) > limit:
        return Check("FAIL", translate("doctor.clock_fail", **words))
    if abs(skew) > warn_at:
        return Check("WARN", translate("doctor.clock_warn", **words))
    return Check("OK", translate("doctor.clock_ok", **words))


def _sync_state(database: Path | None):
    """(read_status, pull cursor) from the database, read only; (None, 0) when it cannot be read."""
    if database is None or not database.is_file():
        return None, 0
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from cashier.sync.engine import get_state, read_status

    engine = create_engine(f"sqlite:///file:{database.as_posix()}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            return read_status(session, configured=True), int(get_state(session, "cursor") or 0)
    except (SQLAlchemyError, ValueError):
        return None, 0  # the database check says what is wrong with the file
    finally:
        engine.dispose()


def check_credentials(settings: Settings, data_dir: Path, database: Path | None) -> list[Check]:
    """An authenticated call with this terminal's credentials (one change from its cursor), then the sync state."""
    from cashier.sync.client import Refetch, Refused, SyncError, Unreachable, UpstreamClient, load_credentials

    url = settings.upstream.url.rstrip("/")
    try:
        creds = load_credentials(data_dir)
    except SyncError as exc:
        return [Check("FAIL", translate("doctor.credentials_unreadable", reason=str(exc)))]
    if creds is None:
        return [Check("FAIL", translate("doctor.not_enrolled", url=url))]
    status, cursor = _sync_state(database)
    checks = []
    anchors = None
    try:
        with UpstreamClient.configured(settings.upstream, url=url, token=creds.token) as client:
            try:
                client.changes(cursor, 1)
            except Refetch:
                pass  # the credentials were accepted: the cursor is older than the upstream keeps (next round refetches)
            try:
                anchors = client.audit_anchors().anchors
            except Refused as exc:
                if exc.status != 404:
                    raise
                anchors = None  # an upstream older than the anchors: nothing to compare with
    except Refused as exc:
        if exc.status in (401, 403):
            return [Check("FAIL", translate("doctor.credentials_refused", terminal=creds.terminal_id,
                                            hall=creds.hall_code, reason=f"HTTP {exc.status} {exc.code}"))]
        return [Check("FAIL", translate("doctor.upstream_fail", url=url, reason=str(exc)))]
    except Unreachable as exc:
        return [Check("FAIL", translate("doctor.upstream_fail", url=url, reason=str(exc)))]
    checks.append(Check("OK", translate("doctor.credentials_ok", terminal=creds.terminal_id, hall=creds.hall_code)))
    if (creds.terminal_id, creds.hall_code) != (settings.terminal.id, settings.hall.code):
        checks.append(Check("WARN", translate("doctor.credentials_other", terminal=creds.terminal_id,
                                              hall=creds.hall_code, local_terminal=settings.terminal.id,
                                              local_hall=settings.hall.code)))
    if status is not None:
        checks += check_sync(status, settings)
        if anchors is not None:
            checks.append(check_anchors(database, anchors))
    return checks


def check_sync(status, settings: Settings, now: datetime | None = None) -> list[Check]:
    """The last successful round's age and the uploads waiting: FAIL past the offline cap (the counter needs a
    supervisor's approval then), WARN when the last round failed or never succeeded, or uploads are held."""
    from cashier.money import format_fen

    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    zone = settings.hall.timezone
    cap = settings.sync
    error = translate("doctor.sync_last_error", error=status.last_error) if status.last_error else ""
    last = _hall_time(status.last_success_at, zone) if status.last_success_at else translate("doctor.never")
    words = dict(last=last, pending=status.pending, amount=format_fen(status.pending_fen), error=error)
    age = (now - status.last_success_at).total_seconds() if status.last_success_at else None
    checks = []
    if (age is not None and age > cap.max_offline_hours * 3600) or status.pending_fen > cap.max_unsynced_fen:
        checks.append(Check("FAIL", translate("doctor.sync_exposed", max_hours=cap.max_offline_hours,
                                              max_amount=format_fen(cap.max_unsynced_fen), **words)))
    elif age is None:
        checks.append(Check("WARN", translate("doctor.sync_never", **words)))
    elif status.last_error:
        checks.append(Check("WARN", translate("doctor.sync_failing", age=duration_text(age),
                                              **{**words, "error": status.last_error})))
    else:
        checks.append(Check("OK", translate("doctor.sync_ok", age=duration_text(age), **words)))
    if status.held:
        checks.append(Check("WARN", translate("doctor.sync_held", held=status.held)))
    return checks


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


def run_checks(paths: Paths, overrides: tuple[str, ...] = (), clock: Clock | None = None) -> list[Check]:
    """Every check in order; ``clock`` is this PC's (a ``FixedClock`` in tests of the skew check)."""
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
        *check_upstream(settings, paths.data_dir, paths.database if not database.failed else None, clock),
        check_penalty_policy(paths.database, settings),
        *check_upstream_link(settings),
    ]
