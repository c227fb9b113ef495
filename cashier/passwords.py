"""Password hashing with argon2id (argon2-cffi); plain passwords are never stored or logged.

A sign-in with a user name that does not exist is verified against a dummy hash made once per
process with the same parameters, so that it costs what a real one costs: the time an answer
takes never tells whether a user name exists.
"""

from __future__ import annotations

import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_dummy: str | None = None
_dummy_lock = threading.Lock()
verifications = 0  # argon2 verifications done by this process (the unknown-user path is one too)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    global verifications
    verifications += 1
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash() -> str:
    """A hash of a random secret with the current parameters; made on first use (warm it at start-up)."""
    global _dummy
    with _dummy_lock:
        if _dummy is None:
            _dummy = _hasher.hash(secrets.token_urlsafe(24))
        return _dummy


def verify_nobody(password: str) -> bool:
    """Spend a real verification for a user who does not exist (or may not sign in); always False."""
    verify_password(dummy_hash(), password)
    return False


# Read aloud or copied from a slip at the counter: no 0/O/o, 1/l/I/i, and lower case only.
READABLE = "23456789abcdefghjkmnpqrstuvwxyz"


def generate_password(length: int = 10) -> str:
    """A new or reset password, shown once: ``length`` characters from ``READABLE`` (49 bits at 10)."""
    return "".join(secrets.choice(READABLE) for _ in range(length))


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
