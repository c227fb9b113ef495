"""Files a person asked for (reports, exports, receipts as PDF): a folder that cannot take them is
a clear error naming the folder, never a traceback."""

from __future__ import annotations

from pathlib import Path

from cashier import private
from cashier.errors import DomainError
from cashier.store.faults import os_reason


def writable_file(folder: Path, name: str) -> Path:
    """``folder/name`` after making sure the folder exists and takes files; else a clear error."""
    folder = Path(folder)
    probe = folder / f".write-test-{name}"
    try:
        private.make_dir(folder)
        try:
            probe.write_bytes(b"ok")
        finally:
            try:
                probe.unlink(missing_ok=True)
            except OSError:
                pass
    except OSError as exc:
        raise DomainError("export.unwritable", folder=str(folder), reason=os_reason(exc)) from None
    return folder / name
