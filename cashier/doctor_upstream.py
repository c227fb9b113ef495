"""``cashier-admin doctor``'s upstream checks: the link as the terminal uses it.

``/v1/health`` must be the protocol's answer (a web server that is not the upstream is a FAIL saying what
answered); this PC's clock against the upstream's; the terminal's credentials on an authenticated call;
the last successful sync and the uploads waiting, from the database; the audit chain heads the upstream
keeps against the local chain.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from cashier.clock import Clock
from cashier.doctor import Check, _read_only
from cashier.i18n import translate
from cashier.settings import Settings


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
    fail_at = max(limit, 2)  # the upstream's time has whole seconds, and the call takes some
    words = dict(skew=duration_text(skew), server=_hall_time(health.server_time, zone),
                 limit=duration_text(limit),
                 direction=translate("doctor.clock_ahead" if skew > 0 else "doctor.clock_behind"))
    if abs(skew) > fail_at:
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
