"""Terminals: one-time enrollment codes, enrollment, revocation and authenticating a terminal's token."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from cashier.sync import protocol as p
from upstream.db import Database
from upstream.errors import Refusal
from upstream.models import EnrollmentCode, Terminal
from upstream.sql import utcnow

_IDENT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _normal_code(code: str) -> str:
    return code.replace("-", "").strip().upper()


# --- enrollment and authentication ------------------------------------------------------------

def create_enrollment_code(db: Database, hall_code: str, terminal_id: str, valid_hours: int = 72) -> str:
    """A one-time code that enrolls ``terminal_id`` of ``hall_code`` (creating the terminal if new)."""
    for label, value, most in (("hall", hall_code, 32), ("terminal", terminal_id, 16)):
        if not _IDENT.match(value or "") or len(value) > most:
            raise Refusal(422, "bad_ident", f"{label} code {value!r}: 1-{most} letters, digits, - or _")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = utcnow()
    with db.transaction() as s:
        term = s.get(Terminal, terminal_id)
        if term is None:
            s.add(Terminal(id=terminal_id, hall_code=hall_code, contiguous_seq=0, max_seq=0))
        elif term.hall_code != hall_code:
            raise Refusal(409, "terminal_other_hall",
                              f"terminal {terminal_id} belongs to hall {term.hall_code}, not {hall_code}")
        s.add(EnrollmentCode(code_hash=sha256_hex(raw), hall_code=hall_code, terminal_id=terminal_id, created_at=now,
                             expires_at=now + timedelta(hours=valid_hours)))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def enroll(db: Database, code: str) -> p.EnrollResponse:
    """Exchange a one-time code for the terminal's credentials; the code works once."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    with db.transaction() as s:
        row = s.get(EnrollmentCode, sha256_hex(_normal_code(code)))
        if row is None:
            raise Refusal(403, "code_unknown", "enrollment code not recognised")
        if row.expires_at < now:
            raise Refusal(403, "code_expired", "enrollment code expired; ask for a new one")
        # Claimed by a conditional update, so two terminals racing with one code cannot both win.
        claimed = s.execute(update(EnrollmentCode).where(EnrollmentCode.code_hash == row.code_hash,
                                                         EnrollmentCode.used_at.is_(None)).values(used_at=now))
        if claimed.rowcount != 1:
            raise Refusal(403, "code_used", "enrollment code already used")
        term = s.get(Terminal, row.terminal_id, with_for_update=True)
        term.token_hash, term.enrolled_at, term.revoked_at = sha256_hex(token), now, None
        return p.EnrollResponse(terminal_id=term.id, hall_code=term.hall_code, token=token)


def check_code(db: Database, code: str) -> p.EnrollCheck:
    """What ``code`` would enroll (hall, terminal, until when), refused as ``enroll`` would refuse it; the code is
    read, never used: the technician's wizard checks it before anything else is set up."""
    with db.sessions() as s:
        row = s.get(EnrollmentCode, sha256_hex(_normal_code(code)))
        if row is None:
            raise Refusal(403, "code_unknown", "enrollment code not recognised")
        if row.used_at is not None:
            raise Refusal(403, "code_used", "enrollment code already used")
        if row.expires_at < utcnow():
            raise Refusal(403, "code_expired", "enrollment code expired; ask for a new one")
        return p.EnrollCheck(hall_code=row.hall_code, terminal_id=row.terminal_id, expires_at=row.expires_at)


def revoke(db: Database, terminal_id: str) -> None:
    with db.transaction() as s:
        term = s.get(Terminal, terminal_id)
        if term is None:
            raise Refusal(404, "terminal_unknown", f"no terminal {terminal_id}")
        term.revoked_at = utcnow()
        term.token_hash = None


@dataclass(frozen=True)
class Caller:
    terminal_id: str
    hall_code: str


def authenticate(db: Database, token: str | None) -> Caller:
    if not token:
        raise Refusal(401, "unauthenticated", "credentials required")
    with db.sessions() as s:
        term = s.scalar(select(Terminal).where(Terminal.token_hash == sha256_hex(token)))
    if term is None or term.revoked_at is not None:
        raise Refusal(401, "bad_credentials", "credentials not recognised or revoked")
    return Caller(term.id, term.hall_code)
