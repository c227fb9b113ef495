"""Managing the staff's accounts (人员管理): add, reset a forgotten password, unlock, deactivate.

- Who may: a supervisor manages cashiers; a technician manages everyone; so does ``cashier-admin``
  run on this PC (``Console``): whoever can run it with the data folder's files could change the
  database itself, exactly as for ``init`` or ``restore``, so it asks no password — and this is how
  a fresh hall gets its first technician. Nobody resets or deactivates their own account here (their
  own password is changed with ``auth.change_password``, Ctrl+Shift+P at the counter).
- A new or reset password is made here (``passwords.generate_password``), returned once for the
  screen or the terminal, and never stored, logged or audited in clear; its owner must change it at
  the next sign-in.
- Every change is one unit of work with its audit entry (``user.add``, ``user.reset_password``,
  ``user.unlock``, ``user.deactivate``). Nothing is deleted: a deactivated user keeps their
  payments and shifts and can no longer sign in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier import audit
from cashier.auth import Actor, Role, check_password_policy, require
from cashier.errors import DomainError
from cashier.i18n import Phrase
from cashier.passwords import generate_password, hash_password
from cashier.store.models import User
from cashier.terminal import Terminal

MAX_USERNAME, MAX_DISPLAY_NAME = 32, 50
_USERNAME = re.compile(r"^[^\s\x00-\x1f\x7f]+$")  # no spaces, no control characters: typed at a login box


@dataclass(frozen=True)
class Console:
    """``cashier-admin`` on this PC: whoever runs it with access to the data folder (as for init or restore)."""

    os_user: str


Manager = Actor | Console


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    active: bool
    must_change_password: bool
    locked_until: datetime | None  # UTC; None when not locked now
    failed_attempts: int
    created_at: datetime

    @property
    def state(self) -> str:
        """One word for a list: ``inactive``, ``locked``, ``must_change`` or ``active`` (users.state.* messages)."""
        if not self.active:
            return "inactive"
        if self.locked_until is not None:
            return "locked"
        return "must_change" if self.must_change_password else "active"


@dataclass(frozen=True)
class NewPassword:
    """A password to hand to its owner once; they must change it at their next sign-in."""

    username: str
    display_name: str
    role: Role
    password: str

    def __repr__(self) -> str:  # never in a log line or a traceback by accident
        return f"NewPassword(username={self.username!r}, role={self.role.value!r}, password='***')"


def may_manage(by: Manager | None, role: Role | str) -> bool:
    """Whether ``by`` may manage accounts of ``role`` (for showing a choice; the actions check again)."""
    try:
        check_manager(by, Role(role))
    except (DomainError, ValueError):
        return False
    return True


def check_manager(by: Manager | None, role: Role, username: str | None = None) -> None:
    """Refuse, in words, a manager who may not manage this account (``username``: not their own)."""
    if isinstance(by, Console):
        return
    if by is None:
        raise DomainError("users.sign_in_first")
    require(by, "users.manage")
    if by.role != Role.TECHNICIAN and role != Role.CASHIER:
        raise DomainError("users.cashiers_only", user=by.display_name, role=Phrase(f"role.{role.value}"))
    if username is not None and username == by.username:
        raise DomainError("users.not_yourself")


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise DomainError("users.bad_role", role=str(value), roles=", ".join(r.value for r in Role)) from None


def _who(by: Manager) -> tuple[int | None, dict]:
    """The audit entry's user id and the detail naming who did it."""
    if isinstance(by, Console):
        return None, {"via": "cashier-admin", "os_user": by.os_user}
    return by.user_id, {"by": by.username}


def _info(user: User, now: datetime) -> UserInfo:
    locked = user.locked_until if user.locked_until and user.locked_until > now else None
    return UserInfo(user.username, user.display_name, Role(user.role), bool(user.active),
                    bool(user.must_change_password), locked, user.failed_attempts or 0, user.created_at)


def list_users(t: Terminal, by: Manager) -> list[UserInfo]:
    """Every account, active first, then by role and user name."""
    if not isinstance(by, Console):
        require(by, "users.manage")
    now = t.clock.now()
    with t.store.read() as s:
        users = [_info(u, now) for u in s.scalars(select(User))]
    order = {role: i for i, role in enumerate(Role)}
    return sorted(users, key=lambda u: (not u.active, order[u.role], u.username))


def check_username(username: str) -> str:
    name = (username or "").strip()
    if not name or len(name) > MAX_USERNAME or not _USERNAME.match(name):
        raise DomainError("auth.bad_username", username=name[:MAX_USERNAME + 8])
    return name


def add_user(t: Terminal, by: Manager, username: str, display_name: str, role: Role | str) -> NewPassword:
    """A new account with a generated password that must be changed at the first sign-in."""
    role = _role(role)
    check_manager(by, role)
    username = check_username(username)
    display_name = (display_name or "").strip() or username
    if len(display_name) > MAX_DISPLAY_NAME:
        raise DomainError("users.name_too_long", length=MAX_DISPLAY_NAME)
    password = _new_password(t)
    now = t.clock.now()
    user_id, who = _who(by)
    with t.store.transaction() as s:
        if s.scalar(select(User).where(User.username == username)):
            raise DomainError("auth.user_exists", username=username)
        s.add(User(username=username, display_name=display_name, role=role.value, password_hash=hash_password(password),
                   must_change_password=True, failed_attempts=0, active=True, created_at=now))
        audit.record(s, now, user_id, "user.add", username, role=role.value, **who)
    return NewPassword(username, display_name, role, password)


def _new_password(t: Terminal) -> str:
    password = generate_password(max(10, t.auth.min_password_length))
    check_password_policy(t, password)
    return password


def _managed_user(s: Session, by: Manager, username: str, *, self_allowed: bool = False) -> User:
    name = (username or "").strip()
    user = s.scalar(select(User).where(User.username == name))
    if user is None:
        raise DomainError("users.unknown", username=name[:MAX_USERNAME + 8])
    check_manager(by, Role(user.role), None if self_allowed else user.username)
    if not user.active:
        raise DomainError("users.inactive", username=user.username)
    return user


def reset_password(t: Terminal, by: Manager, username: str) -> NewPassword:
    """A forgotten password: a new one, shown once, to be changed at the next sign-in; a lock is lifted too."""
    password = _new_password(t)
    now = t.clock.now()
    user_id, who = _who(by)
    with t.store.transaction() as s:
        user = _managed_user(s, by, username)
        user.password_hash = hash_password(password)
        user.must_change_password = True
        user.failed_attempts = 0
        user.locked_until = None
        audit.record(s, now, user_id, "user.reset_password", user.username, **who)
        return NewPassword(user.username, user.display_name, Role(user.role), password)


def unlock(t: Terminal, by: Manager, username: str) -> UserInfo:
    """Lift a lockout after too many wrong passwords; the password stays as it was."""
    now = t.clock.now()
    user_id, who = _who(by)
    with t.store.transaction() as s:
        user = _managed_user(s, by, username, self_allowed=True)
        was = user.locked_until.isoformat() if user.locked_until and user.locked_until > now else None
        user.failed_attempts = 0
        user.locked_until = None
        audit.record(s, now, user_id, "user.unlock", user.username, was_locked_until=was, **who)
        return _info(user, now)


def deactivate(t: Terminal, by: Manager, username: str) -> UserInfo:
    """The person left or must not sign in any more; their records stay."""
    now = t.clock.now()
    user_id, who = _who(by)
    with t.store.transaction() as s:
        user = _managed_user(s, by, username)
        user.active = False
        audit.record(s, now, user_id, "user.deactivate", user.username, role=user.role, **who)
        return _info(user, now)


__all__ = ["Console", "Manager", "NewPassword", "UserInfo", "add_user", "check_manager", "check_username", "deactivate", "list_users",
           "may_manage", "reset_password", "unlock"]
