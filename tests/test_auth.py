"""Users and authorization: argon2, lockout with a clear 'locked until', forced password change,
supervisor approvals that name who approved what — and that a wrong password approves nothing."""

import pytest
from sqlalchemy import func, select

from cashier import auth
from cashier.errors import DomainError
from cashier.store.models import Approval, AuditEntry, User
from tests.helpers.hall import PASSWORD, make_hall


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    yield h
    h.store.close()


def count(store, model):
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_login_with_the_right_password_and_it_is_audited(hall):
    actor = auth.login(hall.terminal, "c1", PASSWORD)
    assert (actor.username, actor.role) == ("c1", auth.Role.CASHIER)
    with hall.store.read() as s:
        assert s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "login"
        assert s.scalar(select(User.password_hash).where(User.username == "c1")).startswith("$argon2id$")


def test_repeated_failures_lock_the_user_until_a_stated_time(hall):
    for _ in range(2):
        with pytest.raises(DomainError) as info:
            auth.login(hall.terminal, "c1", "wrong")
        assert info.value.key == "auth.bad_credentials"
    with pytest.raises(DomainError) as info:
        auth.login(hall.terminal, "c1", "wrong")
    assert info.value.key == "auth.locked" and "2026-03-02 10:15" in str(info.value)  # Shanghai time
    with pytest.raises(DomainError) as info:  # the right password does not help while locked
        auth.login(hall.terminal, "c1", PASSWORD)
    assert info.value.key == "auth.locked"
    hall.clock.advance(minutes=16)
    assert auth.login(hall.terminal, "c1", PASSWORD).username == "c1"


def test_unknown_user_and_failures_leave_an_audit_trail(hall):
    with pytest.raises(DomainError):
        auth.login(hall.terminal, "nobody", "x")
    with pytest.raises(DomainError):
        auth.login(hall.terminal, "c2", "x")
    with hall.store.read() as s:
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["login.failed", "login.failed"]


def test_new_user_must_change_password_before_doing_anything(hall):
    new = auth.create_user(hall.terminal, hall.supervisor, "c9", "周敏", "cashier", "initial-1")
    assert new.must_change_password
    actor = auth.login(hall.terminal, "c9", "initial-1")
    with pytest.raises(DomainError) as info:
        auth.require(actor, "payment.take")
    assert info.value.key == "auth.must_change_password"
    with pytest.raises(DomainError) as info:
        auth.change_password(hall.terminal, "c9", "initial-1", "123")
    assert info.value.key == "auth.password_too_short"
    changed = auth.change_password(hall.terminal, "c9", "initial-1", "better-pass")
    assert not changed.must_change_password
    auth.require(auth.login(hall.terminal, "c9", "better-pass"), "payment.take")


def test_only_supervisors_and_technicians_manage_users(hall):
    with pytest.raises(DomainError) as info:
        auth.create_user(hall.terminal, hall.cashier, "c9", "周敏", "supervisor", "initial-1")
    assert info.value.key == "auth.forbidden"
    # Said in words: what was refused and who may do it, never a permission code.
    assert str(info.value) == "李娜 无权管理用户：需要班长或技术人员登录"
    assert info.value.message("en") == "李娜 may not manage users: a supervisor or technician must sign in"
    with pytest.raises(DomainError):
        auth.create_user(hall.terminal, hall.supervisor, "c1", "重名", "cashier", "initial-1")


def test_supervisor_authorization_names_who_approved_what_and_why(hall):
    approval_id = auth.authorize(hall.terminal, hall.cashier, "super1", PASSWORD, "reversal", "P-1", "客户重复缴费")
    with hall.store.read() as s:
        a = s.get(Approval, approval_id)
        assert (a.action, a.subject, a.reason, a.approved_by, a.requested_by) == (
            "reversal", "P-1", "客户重复缴费", hall.supervisor.user_id, hall.cashier.user_id)
        assert s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "approve"


def test_a_wrong_supervisor_password_approves_nothing(hall):
    with pytest.raises(DomainError) as info:
        auth.authorize(hall.terminal, hall.cashier, "super1", "guess", "reversal", "P-1", "试试")
    assert info.value.key == "auth.bad_credentials"
    assert count(hall.store, Approval) == 0


def test_a_cashier_cannot_approve_and_nobody_approves_their_own_request(hall):
    with pytest.raises(DomainError) as info:
        auth.authorize(hall.terminal, hall.cashier, "c2", PASSWORD, "over_short", "S-1", "帮忙")
    assert info.value.key == "auth.not_supervisor"
    with pytest.raises(DomainError) as info:
        auth.authorize(hall.terminal, hall.cashier, "c1", PASSWORD, "over_short", "S-1", "自己批")
    assert info.value.key == "auth.not_supervisor"
    with pytest.raises(DomainError) as info:
        auth.authorize(hall.terminal, hall.supervisor, "super1", PASSWORD, "over_short", "S-1", "自己批")
    assert info.value.key == "auth.self_approval"
    with pytest.raises(DomainError) as info:
        auth.authorize(hall.terminal, hall.cashier, "super1", PASSWORD, "reversal", "P-1", "  ")
    assert info.value.key == "auth.reason_required"
    assert count(hall.store, Approval) == 0


def test_an_approval_fits_one_action_once_and_expires(hall):
    t = hall.terminal
    first = hall.approve("reversal", "P-1")
    with t.store.transaction() as s:
        with pytest.raises(DomainError) as info:
            auth.use_approval(t, s, first, "reversal", "P-2", hall.cashier)
        assert info.value.key == "auth.approval_required"
        with pytest.raises(DomainError) as info:
            auth.use_approval(t, s, first, "reversal", "P-1", hall.cashier2)
        assert info.value.key == "auth.approval_other"
        auth.use_approval(t, s, first, "reversal", "P-1", hall.cashier)
    with t.store.transaction() as s:
        with pytest.raises(DomainError) as info:
            auth.use_approval(t, s, first, "reversal", "P-1", hall.cashier)
        assert info.value.key == "auth.approval_used"
    late = hall.approve("reversal", "P-3")
    hall.clock.advance(minutes=11)
    with t.store.transaction() as s:
        with pytest.raises(DomainError) as info:
            auth.use_approval(t, s, late, "reversal", "P-3", hall.cashier)
        assert info.value.key == "auth.approval_expired"


def test_roles_are_checked_in_the_core(hall):
    for permission in ("shift.review", "day.settle", "approve"):
        with pytest.raises(DomainError):
            auth.require(hall.cashier, permission)
        auth.require(hall.supervisor, permission)
    with pytest.raises(DomainError):
        auth.require(hall.technician, "payment.take")
    with pytest.raises(DomainError):
        auth.require(hall.cashier, "settings.change")
    auth.require(hall.technician, "settings.change")


def test_a_successful_sign_in_starts_the_failure_count_again(hall):
    """Two typos a day for two days must not lock a cashier out."""
    for _day in range(3):
        for _ in range(2):
            with pytest.raises(DomainError) as info:
                auth.login(hall.terminal, "c1", "typo")
            assert info.value.key == "auth.bad_credentials"
        assert auth.login(hall.terminal, "c1", PASSWORD).username == "c1"
    with hall.store.read() as s:
        assert s.scalar(select(User.failed_attempts).where(User.username == "c1")) == 0
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["login.failed", "login.failed", "login"] * 3  # every try still audited


def test_each_wrong_password_says_how_many_tries_are_left(hall):
    with pytest.raises(DomainError) as info:
        auth.login(hall.terminal, "c1", "wrong")
    assert info.value.params == {"left": 2}
    assert str(info.value) == "用户名或密码错误，还可尝试 2 次"
    assert info.value.message("en") == "Wrong user name or password: 2 tries left"
    with pytest.raises(DomainError) as info:
        auth.authorize(hall.terminal, hall.cashier, "super1", "guess", "reversal", "P-1", "试试")
    assert str(info.value) == "用户名或密码错误，还可尝试 2 次"  # counted per user, approvals too


def _answers(hall, username):
    answers = []
    for _ in range(4):
        with pytest.raises(DomainError) as info:
            auth.login(hall.terminal, username, "wrong")
        answers.append((info.value.key, str(info.value)))
    return answers


def test_an_unknown_or_inactive_user_gets_the_same_answers_as_a_real_one(hall):
    """No user enumeration by the words: tries left, then the lock, exactly as for a real name."""
    with hall.store.transaction() as s:
        s.scalar(select(User).where(User.username == "c2")).active = False
    real = _answers(hall, "c1")
    assert [key for key, _ in real] == ["auth.bad_credentials", "auth.bad_credentials", "auth.locked", "auth.locked"]
    assert _answers(hall, "nobody") == real
    assert _answers(hall, "c2") == real
    hall.clock.advance(minutes=16)
    with pytest.raises(DomainError) as info:
        auth.login(hall.terminal, "nobody", "wrong")
    assert str(info.value) == "用户名或密码错误，还可尝试 2 次"  # the lock of an unknown name ends too


def test_an_unknown_user_costs_a_real_argon2_verification(hall):
    """No user enumeration by the time: the unknown name is verified against a dummy hash with our parameters."""
    from argon2 import extract_parameters

    from cashier import passwords

    before = passwords.verifications
    with pytest.raises(DomainError):
        auth.login(hall.terminal, "nobody", "x")
    assert passwords.verifications == before + 1
    with pytest.raises(DomainError):
        auth.login(hall.terminal, "c1", "x")
    assert passwords.verifications == before + 2
    assert extract_parameters(passwords.dummy_hash()) == extract_parameters(passwords.hash_password("x"))
    assert passwords.dummy_hash() is passwords.dummy_hash()  # made once per process
