"""Terminals: one-time enrollment codes, enrollment, revocation and authenticating a terminal's token.

Enrollment can be retried. A terminal sends, with the code, a key it made once and keeps in its data
folder; if the answer is lost, the same code with the same key (while the code is valid) answers the
same credentials again, and any other key is refused as before (``code_used``). The upstream keeps no
token: it keeps the token's hash (to authenticate) and, for the retry, the token sealed under the
terminal's key (XOR with HMAC-SHA256(key, code hash)) and the key's hash. Neither a copy of the
database nor anything on the upstream can produce the token without the key, which only the terminal
holds; and there is no server secret to keep, back up or rotate. A deterministic token derived from a
server secret would have needed one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
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


def _keystream(terminal_key: str, code_hash: str) -> bytes:
    return hmac.new(terminal_key.encode("ascii"), b"cashier-enroll-token:" + code_hash.encode("ascii"),
                    hashlib.sha256).digest()


def _seal(raw_token: bytes, terminal_key: str, code_hash: str) -> str:
    return bytes(a ^ b for a, b in zip(raw_token, _keystream(terminal_key, code_hash))).hex()


def _token_text(raw_token: bytes) -> str:
    return base64.urlsafe_b64encode(raw_token).rstrip(b"=").decode("ascii")  # as secrets.token_urlsafe makes it


def enroll(db: Database, code: str, terminal_key: str | None = None) -> p.EnrollResponse:
    """Exchange a one-time code for the terminal's credentials; the code works once, but for a retry with the same
    ``terminal_key``, which answers the same credentials while the code is valid."""
    now = utcnow()
    raw_token = secrets.token_bytes(32)
    with db.transaction() as s:
        row = s.get(EnrollmentCode, sha256_hex(_normal_code(code)))
        if row is None:
            raise Refusal(403, "code_unknown", "enrollment code not recognised")
        if row.expires_at < now:
            raise Refusal(403, "code_expired", "enrollment code expired; ask for a new one")
        retry = {} if terminal_key is None else {
            "key_hash": sha256_hex(terminal_key), "sealed_token": _seal(raw_token, terminal_key, row.code_hash)}
        # Claimed by a conditional update, so two terminals racing with one code cannot both win.
        claimed = s.execute(update(EnrollmentCode).where(EnrollmentCode.code_hash == row.code_hash,
                                                         EnrollmentCode.used_at.is_(None)).values(used_at=now, **retry))
        if claimed.rowcount != 1:
            return _same_enrollment(s, row.code_hash, terminal_key)
        term = s.get(Terminal, row.terminal_id, with_for_update=True)
        token = _token_text(raw_token)
        term.token_hash, term.enrolled_at, term.revoked_at = sha256_hex(token), now, None
        return p.EnrollResponse(terminal_id=term.id, hall_code=term.hall_code, token=token, last_seq=term.max_seq)


def _same_enrollment(s, code_hash: str, terminal_key: str | None) -> p.EnrollResponse:
    """A used code again: the same credentials for the key that used it, if they are still the terminal's."""
    used = Refusal(403, "code_used", "enrollment code already used")
    if terminal_key is None:
        raise used
    # Read afresh: a racing enrollment with this code may have committed after the code was first read.
    key_hash, sealed, terminal_id = s.execute(select(
        EnrollmentCode.key_hash, EnrollmentCode.sealed_token, EnrollmentCode.terminal_id).where(
        EnrollmentCode.code_hash == code_hash)).one()
    if key_hash is None or sealed is None or not hmac.compare_digest(key_hash, sha256_hex(terminal_key)):
        raise used
    token = _token_text(bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _keystream(terminal_key, code_hash))))
    term = s.get(Terminal, terminal_id)
    if term is None or term.revoked_at is not None or term.token_hash != sha256_hex(token):
        raise used  # revoked or enrolled again since: that enrollment is over
    return p.EnrollResponse(terminal_id=term.id, hall_code=term.hall_code, token=token, last_seq=term.max_seq)


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


def terminal_state(db: Database, caller: Caller) -> p.TerminalState:
    """The calling terminal as the upstream holds it: its highest and its contiguous sequence number."""
    with db.sessions() as s:
        term = s.get(Terminal, caller.terminal_id)
    if term is None:
        raise Refusal(401, "bad_credentials", "credentials not recognised or revoked")
    return p.TerminalState(terminal_id=term.id, hall_code=term.hall_code, last_seq=term.max_seq,
                           contiguous_seq=term.contiguous_seq)


def authenticate(db: Database, token: str | None) -> Caller:
    if not token:
        raise Refusal(401, "unauthenticated", "credentials required")
    with db.sessions() as s:
        term = s.scalar(select(Terminal).where(Terminal.token_hash == sha256_hex(token)))
    if term is None or term.revoked_at is not None:
        raise Refusal(401, "bad_credentials", "credentials not recognised or revoked")
    return Caller(term.id, term.hall_code)
