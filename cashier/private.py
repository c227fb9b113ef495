"""Customer data stays with the OS user who runs the counter (数据目录仅本用户可读).

On POSIX the data, config and log folders are 0700 and every file written there 0600, in two
layers that do not depend on each other:
- the entry points (``cashier``, ``cashier-admin``) set the process umask to 0o077 once at start,
  so every file and folder any code makes — SQLite's ``-wal``/``-shm``, a log rollover, reportlab,
  Pillow, zipfile — is private without each call site having to remember;
- the places that create customer data (the store, backups, logs, the support zip, receipt PDFs
  and previews) also give explicit modes, so the core stays private when another program embeds
  it with its own umask (the demo upstream, tests, a future entry point).
An installation from before this rule is tightened at its next start (``tighten_tree``, said in
the log) and ``cashier-admin doctor`` reports a data folder or database that others can read.

Windows: the data folder is the per-user ``%LOCALAPPDATA%\\hall-cashier`` (``platformdirs``), whose
ACL already admits only that user, SYSTEM and administrators; POSIX modes mean nothing there
and nothing is done.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

POSIX = os.name == "posix"
PRIVATE_UMASK = 0o077
OTHERS = 0o077  # group and others: read, write, search


def restrict_umask() -> None:
    """Everything this process creates from now on is its user's alone (POSIX; once, at start)."""
    if POSIX:
        os.umask(PRIVATE_UMASK)


def open_to_others(path: Path) -> bool:
    """True when group or others have any access to ``path`` (never on Windows)."""
    if not POSIX:
        return False
    try:
        return bool(os.lstat(path).st_mode & OTHERS)
    except OSError:
        return False


def make_dir(path: Path) -> Path:
    """``mkdir -p`` where every folder it creates is 0700 (one already there is ``tighten_tree``'s)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass  # made meanwhile by another process
    path.mkdir(parents=True, exist_ok=True)  # the usual error when a file is in the way
    return path


def secure(path: Path) -> bool:
    """Take group and others' access off one file or folder of ours; True when it changed."""
    if not POSIX:
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode) or not st.st_mode & OTHERS or st.st_uid != os.geteuid():
        return False
    os.chmod(path, stat.S_IMODE(st.st_mode) & ~OTHERS)
    return True


def create_file(path: Path) -> Path:
    """Make sure ``path`` exists as a 0600 file before a library writes it (it keeps the mode)."""
    if POSIX:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        secure(path)
    return Path(path)


def opener(path: str, flags: int) -> int:
    """``open(..., opener=private.opener)``: a file it creates is 0600."""
    return os.open(path, flags, 0o600)


# The folders the program writes inside the data folder: backups (schema upgrades, restore, the
# technician's backups), logs (with --data-dir), receipts (pdf:// printer), previews (preview://),
# reports (shift reports, settlements, arrears notices).
PROGRAM_FOLDERS = ("backups", "logs", "receipts", "previews", "reports")


def tighten_tree(root: Path, subfolders: tuple[str, ...] | None = None) -> list[Path]:
    """Take group and others' access off ``root`` and what of ours is in it; the changed paths.

    ``subfolders=None``: every folder under ``root``; else only the named ones (a data folder may
    also hold the technician's own things, e.g. ``--data-dir ~``: what is not the program's is left
    alone). The files directly in ``root`` are looked at every time (a handful); a subfolder only
    when it was itself open to others — the mark of an installation from before this rule — so a
    receipts folder of 50,000 PDFs costs one stat per start once it is private. Symbolic links are
    neither changed nor followed; an entry we may not change is said in the log."""
    root = Path(root)
    if not POSIX or not root.is_dir():
        return []
    changed: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        if folder != root and not open_to_others(folder):
            continue  # private already: what it holds was made private with it
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if subfolders is None or folder != root or entry.name in subfolders:
                            stack.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mode & OTHERS:
                        if secure(Path(entry.path)):
                            changed.append(Path(entry.path))
            if secure(folder):  # after its files: a start stopped midway finds the folder still open
                changed.append(folder)
        except OSError as exc:
            log.warning("could not make %s private: %s", folder, exc.strerror or exc)
    if changed:
        log.warning("made %d files and folders under %s private to this OS user (group or others could read them): %s",
                    len(changed), root, ", ".join(str(p) for p in changed[:10]) + (" …" if len(changed) > 10 else ""))
    return changed
