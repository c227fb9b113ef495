"""Who has the database open: every Store holds a shared lock on ``<database>.inuse``.

A restore (which replaces the file) takes the exclusive lock without waiting and is refused
while any program — the counter, a ``cashier-admin`` command — still holds the shared one.
POSIX ``flock``; on Windows an open database cannot be renamed, which protects the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def marker(database: Path) -> Path:
    return Path(str(database) + ".inuse")


class InUse:
    def __init__(self, database: Path) -> None:
        self.fd: int | None = None
        if fcntl is None:
            return
        try:
            self.fd = os.open(marker(database), os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_SH)
        except OSError:
            self.release()

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def nobody_else(database: Path) -> bool:
    """True when no program holds the database open (checked with a non-blocking exclusive lock)."""
    if fcntl is None or not database.exists():
        return True
    fd = os.open(marker(database), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
