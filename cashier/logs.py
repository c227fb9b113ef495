"""Logging: one logger per module, rotating UTC-stamped files in the platform log folder.

Secrets never reach a log file: ``RedactSecrets`` masks anything that looks like a
password, token, credential or card number before a record is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import time
from pathlib import Path

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


class _UtcFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + f".{int(record.msecs):03d}Z"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file it opens, the first and every one after a rollover, is 0600 on POSIX."""

    def _open(self):  # type: ignore[no-untyped-def]
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private.opener)


_handler: logging.Handler | None = None


def setup_logging(log_dir: Path, level: str = "INFO", max_bytes: int = 5_000_000, backup_count: int = 10) -> Path:
    """Send the ``cashier``/``ui``/``receipts``/``upstream`` loggers to a rotating file; idempotent."""
    global _handler
    private.make_dir(log_dir)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = _PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    handler.setFormatter(_UtcFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(getattr(logging, level, logging.INFO))
    _handler = handler
    private.tighten_tree(log_dir)  # logs written before they were private; said in the new log
    return path
