"""SQLite's and the file system's failures in words: a full disk, a damaged file, a busy or read-only
database reach the cashier and the technician as a keyed ``StoreError``, never as driver text.

SQLite names its failures by result code (``sqlite_errorcode``, the extended code whose low byte
is the primary one); SQLAlchemy wraps the driver's exception in ``.orig``. The file system's are
``OSError`` with an ``errno``. Anything not recognised keeps the driver's text as the reason of a
general message, so nothing is hidden.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from cashier.errors import DatabaseCorrupt, StoreError
from cashier.i18n import Phrase

# SQLite primary result codes (https://sqlite.org/rescode.html)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26

# The driver's exceptions that describe the program's statement, not the file or the disk.
_OUR_MISTAKES = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.DataError,
                 sqlite3.NotSupportedError)
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def _driver_error(exc: BaseException) -> BaseException:
    orig = getattr(exc, "orig", None)  # sqlalchemy.exc.DBAPIError wraps the driver's exception
    return orig if isinstance(orig, BaseException) else exc


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (or of the driver error it wraps); None if unknown."""
    code = getattr(_driver_error(exc), "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_malformed(exc: BaseException) -> bool:
    driver = _driver_error(exc)
    return sqlite_code(driver) in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in str(driver)


def store_error(exc: BaseException, file: Path | str) -> StoreError | None:
    """The keyed error for a database failure on ``file``; None when ``exc`` is not one."""
    if isinstance(exc, StoreError):
        return exc
    driver = _driver_error(exc)
    file = str(file)
    if isinstance(driver, OSError):
        return os_error("store", driver, file)
    if not isinstance(driver, sqlite3.Error):
        return None
    if isinstance(driver, _OUR_MISTAKES) and not is_malformed(driver):
        return None  # a constraint or a statement of ours: a bug to see in full, not a state of the disk
    code, text = sqlite_code(driver), str(driver).lower()
    if code == SQLITE_FULL or "disk is full" in text:
        return StoreError("store.disk_full", file=file)
    if is_malformed(driver):
        return DatabaseCorrupt("store.malformed", file=file)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return StoreError("store.busy", file=file)
    if code == SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return StoreError("store.read_only", file=file)
    if code == SQLITE_CANTOPEN or "unable to open" in text:
        return StoreError("store.cant_open", file=file)
    return StoreError("store.io_error", file=file, reason=str(driver))


def os_error(room: str, exc: OSError, file: Path | str) -> StoreError:
    """A file-system failure on ``file`` as ``{room}.disk_full`` / ``.read_only`` / ``.io_error``."""
    if exc.errno in _FULL_ERRNOS:
        return StoreError(f"{room}.disk_full", file=str(file))
    if exc.errno in _READ_ONLY_ERRNOS:
        return StoreError(f"{room}.read_only", file=str(file))
    return StoreError(f"{room}.io_error", file=str(file), reason=exc.strerror or str(exc))


_REASONS = {errno.ENOSPC: "os.no_space", errno.EROFS: "os.read_only", errno.EACCES: "os.denied",
            errno.EPERM: "os.denied", errno.ENOENT: "os.not_found", errno.ENOTDIR: "os.not_a_folder",
            errno.EISDIR: "os.is_a_folder", errno.EEXIST: "os.exists"}


def os_reason(exc: OSError) -> Phrase:
    """Why the file system refused, in the sentence's language (never the C library's English)."""
    key = _REASONS.get(exc.errno or 0)
    if key is None and exc.errno in _FULL_ERRNOS:
        key = "os.no_space"
    return Phrase(key) if key else Phrase("os.other", errno=exc.errno, text=exc.strerror or str(exc))
