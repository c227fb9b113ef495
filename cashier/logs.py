"""Logging: one logger per module, rotating files in the platform log folder (``cashier.log``).

Each line is stamped in UTC and, beside it, in the hall's local time, which is what the people at
the counter quote to support: ``2026-11-28T02:10:00.123Z (10:10:00 +08:00) INFO cashier.payments: …``.
Libraries that talk a lot at INFO (Alembic's plugin and migration steps, httpx's every request) are
kept to warnings; the store says in one line when a migration actually ran.
Secrets never reach a log file: ``RedactSecrets`` masks anything that looks like a
password, token, credential or card number before a record is written. Names and phone numbers
are not logged at all: log lines carry ids, receipt and account numbers and amounts in fen.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from cashier import private

LOG_FILE_NAME = "cashier.log"

_SECRET_RE = re.compile(
    r"(?i)\b(password|passwd|pwd|secret|token|credential|api[_-]?key|terminal[_-]?key|enroll(?:ment)?[_-]?code)"
    r"(\s*[=:]\s*|\"\s*:\s*\"?|\s+)([^\s,;\"'}]+)"
)
_AUTH_RE = re.compile(r"(?i)\b(authorization\s*[:=]\s*)(?:(bearer|basic|token)\s+)?[^\s,;\"'}]+")
_CARD_RE = re.compile(r"\b(\d{6})\d{3,9}(\d{4})\b")


def redact(text: str) -> str:
    """Mask secrets (``password=…`` → ``password=***``) and long card-like numbers (6…4)."""
    text = _AUTH_RE.sub(lambda m: f"{m.group(1)}{m.group(2) + ' ' if m.group(2) else ''}***", text)
    text = _SECRET_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    return _CARD_RE.sub(lambda m: f"{m.group(1)}******{m.group(2)}", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# Loggers of libraries whose INFO lines say nothing a technician needs (Alembic: seven plugin lines on every
# import, each migration step; httpx: every request of every sync round).
QUIET = ("alembic", "httpx", "httpcore")


class HallTimeFormatter(logging.Formatter):
    """UTC time, then the hall's local time and offset in brackets."""

    converter = time.gmtime

    def __init__(self, fmt: str, zone: str = "Asia/Shanghai") -> None:
        super().__init__(fmt)
        try:
            self.zone = ZoneInfo(zone)
        except (KeyError, ValueError):  # settings validate the zone; an odd one must not stop logging
            self.zone = ZoneInfo("UTC")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        utc = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + f".{int(record.msecs):03d}Z"
        local = datetime.fromtimestamp(record.created, timezone.utc).astimezone(self.zone)
        offset = local.strftime("%z")
        return f"{utc} ({local:%H:%M:%S} {offset[:3]}:{offset[3:5]})"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file it opens, the first and every one after a rollover, is 0600 on POSIX."""

    def _open(self):  # type: ignore[no-untyped-def]
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private.opener)


_handler: logging.Handler | None = None


def after_commit(session, logger: logging.Logger, message: str, *args: object, level: int = logging.INFO) -> None:
    """Log ``message`` once the unit of work on ``session`` has committed (a rolled-back one logs nothing), so a
    line saying "payment taken" is never about a payment that is not on disk."""
    session.info.setdefault("logs", []).append((logger, level, message, args))


def setup_logging(log_dir: Path, level: str = "INFO", max_bytes: int = 5_000_000, backup_count: int = 10,
                  zone: str = "Asia/Shanghai") -> Path:
    """Send the ``cashier``/``ui``/``receipts``/``upstream`` loggers to a rotating file, times in UTC and in the
    hall's ``zone``; idempotent. The chatty libraries (``QUIET``) keep only warnings unless ``level`` is DEBUG."""
    global _handler
    # A log that cannot be written (a full disk) is not the technician's problem to read as a traceback on
    # stderr: the command says what failed in words, the log line is lost.
    logging.raiseExceptions = False
    private.make_dir(log_dir)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = _PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    handler.setFormatter(HallTimeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", zone))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(getattr(logging, level, logging.INFO))
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    _handler = handler
    private.tighten_tree(log_dir)  # logs written before they were private; said in the new log
    return path


def log_start(program: str, paths, from_file: bool | None, what: str = "") -> None:
    """The first line of a run, for support: program and version, what it was asked to do, the data folder, the
    settings file (read, or defaults), the log folder and the database's schema against this program's."""
    from cashier import __version__
    from cashier.store import schema

    try:
        state = schema.probe(paths.database)
        database = f"schema {state.schema}" if state.has_tables else "not created yet"
    except Exception as exc:  # noqa: BLE001 - a damaged file is for doctor to explain; the start line just says so
        database = f"unreadable ({type(exc).__name__})"
    settings = "read" if from_file else "not found, defaults" if from_file is not None else "unreadable"
    logging.getLogger("cashier.start").info(
        "%s %s%s: data folder %s, settings %s (%s), logs %s, database %s (%s; this program: schema %s)",
        program, __version__, f" {what}" if what else "", paths.data_dir, paths.config_file, settings,
        paths.log_dir, paths.database, database, schema.HEAD_SCHEMA)
