"""One sync round per data folder at a time, across processes: an OS file lock on ``<database>.sync``.

The counter's worker, its Ctrl+U and a ``cashier-admin sync`` started by a technician are
separate processes on one database; two pulls at once can write an older page after a newer
one (the cursor moves backwards, a paid bill shows owing again). The lock is the OS's own
(``flock`` on POSIX, ``msvcrt.locking`` on Windows), held by an open file: it goes when the
file is closed, and the OS closes it when the process dies, so a crash never leaves it taken.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

POLL_SECONDS = 0.05


def lock_file(database: Path) -> Path:
    return Path(str(database) + ".sync")


def _try(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError:
        return False


class RoundLock:
    """The data folder's sync-round lock; ``acquire`` and ``release`` from one thread at a time."""

    def __init__(self, database: Path) -> None:
        self.path = lock_file(Path(database))
        self.fd: int | None = None

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock; ``timeout`` None waits as long as it takes, else gives up (False) after that many seconds."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if timeout is None and fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:
                deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
                while not _try(fd):
                    if deadline is not None and time.monotonic() >= deadline:
                        os.close(fd)
                        return False
                    time.sleep(POLL_SECONDS)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        return True

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is None:
            return
        if fcntl is None:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            except OSError:
                pass  # closing the file releases it too
        os.close(fd)


class RoundBusy(Exception):
    """Another sync round on this data folder (the counter's or another command's) is running."""
