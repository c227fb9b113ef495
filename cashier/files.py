"""Files a person asked for (reports, exports, receipts as PDF): a folder that cannot take them is
a clear error naming the folder, never a traceback."""

from __future__ import annotations

from pathlib import Path

from cashier import private
from cashier.errors import DomainError


def writable_file(folder: Path, name: str) -> Path:
    """``folder/name`` after making sure the folder exists and takes files; else a clear error."""
    folder = Path(folder)
    try:
        private.make_dir(folder)
        probe = folder / f".write-test-{name}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DomainError("export.unwritable", folder=str(folder), reason=exc.strerror or str(exc)) from None
    return folder / name
