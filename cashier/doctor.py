"""``cashier-admin doctor``: one line per check, OK / FAIL with the reason, or SKIP.

Checks: settings file, data directory, database integrity and schema version, the audit chain and
the money records against it, who may read them, free disk, printer reachability, the upstream
(when configured: ``cashier.doctor_upstream`` — the protocol's health answer, the clock, the
terminal's credentials, the sync backlog, the chain heads it keeps), the penalty policy in force,
the Chinese font receipts and PDFs are drawn with, and the fallback font for the rare characters of
names. A WARN line is not a failure but must be read: an upstream link that is allowed although weak
(plain HTTP to another machine, a certificate left unchecked), a clock a few minutes off, a failing sync.
"""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

from cashier import fonts, private
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


def check_cjk_font(candidates=None) -> Check:
    """The Chinese font receipt pictures, previews and PDFs are drawn with."""
    main = fonts.main_font(candidates)
    if main is None:
        return Check("FAIL", translate("doctor.font_none", package=fonts.package(fonts.MAIN_PACKAGE)))
    return Check("OK", translate("doctor.font_ok", font=str(main[0])))


def check_rare_font(candidates=None, fallbacks=None) -> Check:
    """A font for the rare characters of names (𠀾, 䶮): without one they print as □."""
    main = fonts.main_font(candidates)
    found = fonts.rare_coverage(main, fonts.FALLBACK_CANDIDATES if fallbacks is None else fallbacks)
    missing = [ch for ch, font in found.items() if font is None]
    if missing:
        return Check("FAIL", translate("doctor.font_rare_missing", chars=" ".join(missing),
                                       package=fonts.package(fonts.FALLBACK_PACKAGE)))
    names = dict.fromkeys(font[0].name for font in found.values())
    return Check("OK", translate("doctor.font_rare_ok", chars=" ".join(found), fonts="、".join(names)))


def check_voice(voice, command: list[str] | None = None, timeout: float = 30.0) -> Check:
    """Spoken amounts need an offline voice whose locale is Chinese. The doctor is Qt-free, so it asks a
    subprocess (``python -m ui.speaker --check``, the counter's own way of choosing a voice) and reads its one
    JSON line; a frozen build has no ``-m`` and answers SKIP (the counter logs which voice it chose). No voice is a
    WARN, not a FAIL: the counter takes payments as well in silence."""
    import json
    import subprocess
    import sys

    if not voice.enabled:
        return Check("SKIP", translate("doctor.voice_off"))
    if command is None:
        if getattr(sys, "frozen", False):
            return Check("SKIP", translate("doctor.voice_unchecked"))
        command = [sys.executable, "-m", "ui.speaker", "--check"]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, encoding="utf-8")
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as exc:
        return Check("WARN", translate("doctor.voice_none", what=type(exc).__name__))
    if not answer.get("ok"):
        return Check("WARN", translate("doctor.voice_none", what=answer.get("what", "")))
    return Check("OK", translate("doctor.voice_ok", what=answer.get("what", "")))


def __getattr__(name: str):  # the upstream's checks have their own room: cashier.doctor_upstream
    if name in ("check_upstream", "check_clock", "check_credentials", "check_sync", "check_anchors", "duration_text"):
        from cashier import doctor_upstream

        return getattr(doctor_upstream, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_checks(paths: Paths, overrides: tuple[str, ...] = (), clock: Clock | None = None) -> list[Check]:
    """Every check in order; ``clock`` is this PC's (a ``FixedClock`` in tests of the skew check)."""
    from cashier.doctor_upstream import check_upstream

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
        check_cjk_font(),
        check_rare_font(),
        check_voice(settings.voice),
        *check_upstream_link(settings),
    ]
