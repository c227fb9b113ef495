"""Users, sign-in and supervisor authorization; permissions are checked here, not only in the UI.

- Passwords are argon2id hashes; after ``max_failures`` wrong passwords in a row a user is
  locked until a stated time (a successful sign-in starts the count again); a new user must
  change the password at first sign-in.
- No answer tells whether a user name exists, neither its words nor its time: every failure
  says "用户名或密码错误，还可尝试 N 次" about the pair typed, never "no such user". A name that is
  not an active user is counted in memory (per name, per store, the same limit and lockout
  as a real user's, forgotten when the program stops) and its password is verified against a
  dummy argon2 hash with the same parameters. Telling "N attempts left" only for real users
  would name them; saying nothing about attempts would let a cashier lock themselves out
  unwarned.
- A supervisor authorizes one action on the cashier's terminal by typing their own
  credentials: the result is an ``Approval`` row naming who approved what, for whom and why,
  good for one use within a few minutes, and never by the person who asked for it.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cashier import audit
from cashier.errors import DomainError
from cashier.i18n import Phrase
from cashier.passwords import hash_password, verify_nobody, verify_password
from cashier.store import Store
from cashier.store.models import Approval, User
from cashier.terminal import Terminal

log = logging.getLogger(__name__)  # user names only: never a password, a display name or an unknown name typed


class Role(StrEnum):
    CASHIER = "cashier"  # 收费员
    SUPERVISOR = "supervisor"  # 班长 / 营业厅主任
    TECHNICIAN = "technician"


PERMISSIONS: dict[str, frozenset[Role]] = {
    "payment.take": frozenset({Role.CASHIER, Role.SUPERVISOR}),
    "shift.open": frozenset({Role.CASHIER, Role.SUPERVISOR}),
    "shift.cash": frozenset({Role.CASHIER, Role.SUPERVISOR}),
    "shift.close": frozenset({Role.CASHIER, Role.SUPERVISOR}),
    "shift.review": frozenset({Role.SUPERVISOR}),
    "day.settle": frozenset({Role.SUPERVISOR}),
    "approve": frozenset({Role.SUPERVISOR}),
    "users.manage": frozenset({Role.SUPERVISOR, Role.TECHNICIAN}),
    "settings.change": frozenset({Role.TECHNICIAN}),
    "settings.basic": frozenset({Role.SUPERVISOR, Role.TECHNICIAN}),  # printer, upstream address, language
    "receipt.reprint": frozenset({Role.CASHIER, Role.SUPERVISOR}),
    "report.view": frozenset({Role.SUPERVISOR}),  # arrears warning, collection responsibility, notices
}
APPROVAL_ACTIONS = ("reversal", "penalty_waiver", "over_short", "offline_exposure", "held_item", "typed_reference")


@dataclass(frozen=True)
class Actor:
    """Who is signed in at this terminal."""

    user_id: int
    username: str
    display_name: str
    role: Role
    must_change_password: bool = False


def forbidden(user: str, permission: str) -> DomainError:
    """'陈静 无权更改设置：需要技术人员登录' — what was refused and who may do it, in the user's language."""
    who = [r.value for r in Role if r in PERMISSIONS[permission]]
    roles = Phrase(f"roles.{'_'.join(who)}") if len(who) > 1 else Phrase(f"role.{who[0]}")
    return DomainError("auth.forbidden", user=user, action=Phrase(f"permission.{permission}"), roles=roles)


def require(actor: Actor, permission: str) -> None:
    if actor.must_change_password:
        raise DomainError("auth.must_change_password")
    if actor.role not in PERMISSIONS[permission]:
        raise forbidden(actor.display_name, permission)


def can(actor: Actor | None, permission: str) -> bool:
    """Whether ``actor`` may do it (for showing or hiding a screen; the service still checks)."""
    if actor is None:
        return False
    try:
        require(actor, permission)
    except DomainError:
        return False
    return True


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, Role(user.role), bool(user.must_change_password))


def check_password_policy(t: Terminal, password: str) -> None:
    """The rules a new password meets (said to the user as they choose one: ``password_rules``)."""
    if len(password or "") < t.auth.min_password_length:
        raise DomainError("auth.password_too_short", length=t.auth.min_password_length)


def password_rules(t: Terminal) -> str:
    """'新密码至少 6 位，不能与旧密码相同', in the current language: shown where a new password is typed."""
    from cashier.i18n import translate

    return translate("auth.password_rules", length=t.auth.min_password_length)


def create_user(t: Terminal, by: Actor | None, username: str, display_name: str, role: str, password: str) -> Actor:
    """Add a user who must change the password at first sign-in. ``by`` None: first-run set-up only."""
    if by is not None:
        require(by, "users.manage")
    role = Role(role)
    username = (username or "").strip()
    if not username or len(username) > 32:
        raise DomainError("auth.bad_username", username=username)
    check_password_policy(t, password)
    now = t.clock.now()
    with t.store.transaction() as s:
        if by is None and s.scalar(select(func.count()).select_from(User)):
            raise forbidden("-", "users.manage")
        if s.scalar(select(User).where(User.username == username)):
            raise DomainError("auth.user_exists", username=username)
        user = User(username=username, display_name=display_name, role=role.value, password_hash=hash_password(password),
                    must_change_password=True, failed_attempts=0, active=True, created_at=now)
        s.add(user)
        s.flush()
        audit.record(s, now, by.user_id if by else None, "user.create", username, role=role.value)
        return _actor(user)


@dataclass
class _Failures:
    count: int = 0
    locked_until: datetime | None = None


# Failed sign-ins of names that are not active users: in memory only, so that they answer like real users.
_strangers: "weakref.WeakKeyDictionary[Store, dict[str, _Failures]]" = weakref.WeakKeyDictionary()
_strangers_lock = threading.Lock()
_STRANGERS_KEPT = 1000  # names remembered per store; the oldest are forgotten first


def _stranger(store: Store, username: str) -> _Failures:
    with _strangers_lock:
        names = _strangers.setdefault(store, {})
        record = names.pop(username, None) or _Failures()
        names[username] = record  # the most recent last
        while len(names) > _STRANGERS_KEPT:
            names.pop(next(iter(names)))
        return record


def _count_failure(t: Terminal, failures: int, now: datetime) -> tuple[int, datetime | None, DomainError]:
    """(failures after this one, locked until or None, the error to show)."""
    failures += 1
    if failures >= t.auth.max_failures:
        until = now + timedelta(minutes=t.auth.lockout_minutes)
        return 0, until, DomainError("auth.locked", until=_local(t, until))
    return failures, None, DomainError("auth.bad_credentials", left=t.auth.max_failures - failures)


def _check_credentials(t: Terminal, s: Session, username: str, password: str, action: str) -> User:
    """Verify inside the caller's transaction; failures count towards the lockout and are audited."""
    now = t.clock.now()
    name = (username or "").strip()
    user = s.scalar(select(User).where(User.username == name))
    if user is None or not user.active:
        record = _stranger(t.store, name[:64])
        if record.locked_until and record.locked_until > now:
            log.warning("%s refused: unknown user name (%d characters), locked out until %s UTC", action, len(name), record.locked_until)
            audit.record(s, now, None, f"{action}.failed", (username or "")[:64], reason="unknown user")
            raise DomainError("auth.locked", until=_local(t, record.locked_until))
        verify_nobody(password or "")  # the same cost as a real user's wrong password
        record.count, record.locked_until, error = _count_failure(t, record.count, now)
        log.warning("%s failed: unknown user name (%d characters)%s", action, len(name), f", locked out until {record.locked_until} UTC" if record.locked_until else "")
        audit.record(s, now, None, f"{action}.failed", (username or "")[:64], reason="unknown user")
        raise error
    if user.locked_until and user.locked_until > now:
        log.warning("%s refused: %s is locked out until %s UTC", action, user.username, user.locked_until)
        audit.record(s, now, user.id, f"{action}.refused", user.username, reason="locked")
        raise DomainError("auth.locked", until=_local(t, user.locked_until))
    if not verify_password(user.password_hash, password or ""):
        user.failed_attempts, locked_until, error = _count_failure(t, user.failed_attempts or 0, now)
        detail = {"failures": user.failed_attempts or t.auth.max_failures}
        if locked_until is not None:
            user.locked_until = locked_until
            detail["locked_until"] = locked_until.isoformat()
        audit.record(s, now, user.id, f"{action}.failed", user.username, **detail)
        log.warning("%s failed: %s (wrong password, %s)", action, user.username, f"locked out until {locked_until} UTC" if locked_until else f"{user.failed_attempts} in a row")
        raise error
    user.failed_attempts = 0
    user.locked_until = None
    return user


def _local(t: Terminal, at: datetime) -> str:
    from datetime import timezone
    from zoneinfo import ZoneInfo

    return at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(t.clock.timezone)).strftime("%Y-%m-%d %H:%M")


def _commit_then_raise(t: Terminal, username: str, password: str, action: str) -> User:
    """Failed attempts must be remembered even though the caller gets an error."""
    failure: DomainError | None = None
    with t.store.transaction() as s:
        try:
            user = _check_credentials(t, s, username, password, action)
            s.flush()  # the reset of the failure count, before the row leaves the session
            s.expunge(user)
        except DomainError as exc:
            failure = exc
    if failure is not None:
        raise failure
    return user


def login(t: Terminal, username: str, password: str) -> Actor:
    """Sign in; the returned actor says whether the password must be changed first."""
    user = _commit_then_raise(t, username, password, "login")
    with t.store.transaction() as s:
        audit.record(s, t.clock.now(), user.id, "login", user.username, terminal=t.terminal_id)
    log.info("login: %s (%s) on terminal %s%s", user.username, user.role, t.terminal_id, " (must change the password)" if user.must_change_password else "")
    return _actor(user)


def change_password(t: Terminal, username: str, old_password: str, new_password: str) -> Actor:
    """Their own password, by its owner (the forced change at first sign-in, Ctrl+Shift+P): the old one
    proves who they are, and counts towards the lockout when wrong."""
    check_password_policy(t, new_password)
    if new_password == old_password:
        raise DomainError("auth.password_unchanged")
    user = _commit_then_raise(t, username, old_password, "password")
    with t.store.transaction() as s:
        row = s.get(User, user.id)
        row.password_hash = hash_password(new_password)
        row.must_change_password = False
        audit.record(s, t.clock.now(), user.id, "password.change", user.username)
        log.info("%s changed their password", user.username)
        return _actor(row)


def authorize(t: Terminal, requested_by: Actor | None, supervisor_username: str, supervisor_password: str,
              action: str, subject: str, reason: str, amount_fen: int | None = None) -> int:
    """A supervisor approves one action here and now; returns the approval's id."""
    if action not in APPROVAL_ACTIONS:
        raise ValueError(f"unknown approval action {action!r}")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("auth.reason_required")
    user = _commit_then_raise(t, supervisor_username, supervisor_password, "approve")
    if Role(user.role) not in PERMISSIONS["approve"]:
        raise DomainError("auth.not_supervisor", user=user.display_name)
    if requested_by is not None and requested_by.user_id == user.id:
        raise DomainError("auth.self_approval")
    now = t.clock.now()
    with t.store.transaction() as s:
        approval = Approval(action=action, subject=str(subject), reason=reason, amount_fen=amount_fen,
                            requested_by=requested_by.user_id if requested_by else None, approved_by=user.id,
                            terminal_id=t.terminal_id, created_at=now)
        s.add(approval)
        s.flush()
        audit.record(s, now, user.id, "approve", str(subject), approval=approval.id, action=action, reason=reason,
                     amount_fen=amount_fen, requested_by=requested_by.user_id if requested_by else None)
        return approval.id


def use_approval(t: Terminal, s: Session, approval_id: int | None, action: str, subject: str,
                 requested_by: Actor, amount_fen: int | None = None) -> Approval:
    """Inside the action's transaction: the approval must fit this action exactly, once."""
    approval = s.get(Approval, approval_id) if approval_id else None
    now = t.clock.now()
    if (approval is None or approval.action != action or approval.subject != str(subject)
            or approval.terminal_id != t.terminal_id):
        raise DomainError("auth.approval_required", action=action)
    if approval.used_at is not None:
        raise DomainError("auth.approval_used")
    if approval.created_at + timedelta(minutes=t.auth.approval_valid_minutes) < now:
        raise DomainError("auth.approval_expired")
    if approval.approved_by == requested_by.user_id:
        raise DomainError("auth.self_approval")
    if approval.requested_by not in (None, requested_by.user_id):
        raise DomainError("auth.approval_other")
    if amount_fen is not None and approval.amount_fen is not None and amount_fen > approval.amount_fen:
        raise DomainError("auth.approval_amount", approved=approval.amount_fen, asked=amount_fen)
    approval.used_at = now
    return approval
