"""Managing the staff's accounts (cashier.users): who may manage whom, passwords shown once and
changed at the next sign-in, lockouts lifted, people deactivated, every change audited."""

import json

import pytest
from sqlalchemy import select

from cashier import auth, users
from cashier.errors import DomainError
from cashier.passwords import READABLE, generate_password
from cashier.store.models import AuditEntry
from tests.helpers.hall import PASSWORD, make_hall


@pytest.fixture
def hall(tmp_path):
    h = make_hall(tmp_path)
    yield h
    h.store.close()


def _last_audit(hall) -> AuditEntry:
    with hall.store.read() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        s.expunge(entry)
        return entry


def test_generated_passwords_are_readable_and_differ():
    made = {generate_password() for _ in range(200)}
    assert len(made) == 200
    assert all(len(p) == 10 and set(p) <= set(READABLE) for p in made)
    assert not set("0Oo1lIi") & set(READABLE)


def test_a_supervisor_adds_a_cashier_who_must_change_the_shown_password(hall):
    made = users.add_user(hall.terminal, hall.supervisor, "c9", "周敏", "cashier")
    assert made.role == auth.Role.CASHIER and "***" in repr(made) and made.password not in repr(made)
    entry = _last_audit(hall)
    assert (entry.action, entry.subject, entry.user_id) == ("user.add", "c9", hall.supervisor.user_id)
    assert made.password not in entry.detail and json.loads(entry.detail)["role"] == "cashier"
    actor = auth.login(hall.terminal, "c9", made.password)
    assert actor.must_change_password
    with pytest.raises(DomainError) as info:
        auth.require(actor, "payment.take")
    assert info.value.key == "auth.must_change_password"


@pytest.mark.parametrize("role", ["supervisor", "technician"])
def test_a_supervisor_manages_cashiers_only(hall, role):
    with pytest.raises(DomainError) as info:
        users.add_user(hall.terminal, hall.supervisor, "x9", "某人", role)
    assert info.value.key == "users.cashiers_only"
    target = {"supervisor": "super2", "technician": "tech1"}[role]
    for action in (users.reset_password, users.unlock, users.deactivate):
        with pytest.raises(DomainError) as info:
            action(hall.terminal, hall.supervisor, target)
        assert info.value.key == "users.cashiers_only"
    assert users.may_manage(hall.supervisor, "cashier") and not users.may_manage(hall.supervisor, role)


def test_a_cashier_manages_nobody(hall):
    with pytest.raises(DomainError) as info:
        users.add_user(hall.terminal, hall.cashier, "c9", "周敏", "cashier")
    assert info.value.key == "auth.forbidden"
    with pytest.raises(DomainError):
        users.list_users(hall.terminal, hall.cashier)


def test_a_technician_manages_everyone_but_not_their_own_account(hall):
    made = users.add_user(hall.terminal, hall.technician, "super9", "吴班长", "supervisor")
    assert made.role == auth.Role.SUPERVISOR
    users.reset_password(hall.terminal, hall.technician, "super1")
    with pytest.raises(DomainError) as info:
        users.deactivate(hall.terminal, hall.technician, "tech1")
    assert info.value.key == "users.not_yourself"
    with pytest.raises(DomainError) as info:
        users.reset_password(hall.terminal, hall.supervisor, "super1")
    assert info.value.key == "users.cashiers_only"


def test_a_reset_password_replaces_the_old_lifts_the_lock_and_must_be_changed(hall):
    for _ in range(3):
        with pytest.raises(DomainError):
            auth.login(hall.terminal, "c1", "wrong")
    assert [u.state for u in users.list_users(hall.terminal, hall.supervisor) if u.username == "c1"] == ["locked"]
    made = users.reset_password(hall.terminal, hall.supervisor, "c1")
    entry = _last_audit(hall)
    assert (entry.action, entry.subject) == ("user.reset_password", "c1") and made.password not in entry.detail
    with pytest.raises(DomainError):
        auth.login(hall.terminal, "c1", PASSWORD)
    actor = auth.login(hall.terminal, "c1", made.password)
    assert actor.must_change_password
    changed = auth.change_password(hall.terminal, "c1", made.password, "my-own-pass")
    assert not changed.must_change_password


def test_unlock_keeps_the_password(hall):
    for _ in range(3):
        with pytest.raises(DomainError):
            auth.login(hall.terminal, "c2", "wrong")
    with pytest.raises(DomainError) as info:
        auth.login(hall.terminal, "c2", PASSWORD)
    assert info.value.key == "auth.locked"
    info = users.unlock(hall.terminal, hall.supervisor, "c2")
    assert info.state == "active"
    entry = _last_audit(hall)
    assert entry.action == "user.unlock" and json.loads(entry.detail)["was_locked_until"]
    assert not auth.login(hall.terminal, "c2", PASSWORD).must_change_password


def test_a_deactivated_user_cannot_sign_in_and_is_listed_last(hall):
    users.deactivate(hall.terminal, hall.supervisor, "c2")
    assert _last_audit(hall).action == "user.deactivate"
    with pytest.raises(DomainError) as info:
        auth.login(hall.terminal, "c2", PASSWORD)
    assert info.value.key == "auth.bad_credentials"  # as for any name that is not an active user
    listed = users.list_users(hall.terminal, hall.supervisor)
    assert listed[-1].username == "c2" and listed[-1].state == "inactive"
    with pytest.raises(DomainError) as info:
        users.reset_password(hall.terminal, hall.supervisor, "c2")
    assert info.value.key == "users.inactive"


def test_the_console_manages_everyone_and_is_named_in_the_audit(hall):
    by = users.Console("tech-os")
    made = users.add_user(hall.terminal, by, "tech2", "周工", "technician")
    entry = _last_audit(hall)
    assert entry.user_id is None
    assert json.loads(entry.detail) == {"role": "technician", "via": "cashier-admin", "os_user": "tech-os"}
    assert auth.login(hall.terminal, "tech2", made.password).role == auth.Role.TECHNICIAN


@pytest.mark.parametrize("name", ["", "   ", "a b", "x" * 33, "tab\there"])
def test_a_bad_user_name_is_refused(hall, name):
    with pytest.raises(DomainError) as info:
        users.add_user(hall.terminal, hall.supervisor, name, "某人", "cashier")
    assert info.value.key == "auth.bad_username"


def test_an_existing_user_name_is_refused(hall):
    with pytest.raises(DomainError) as info:
        users.add_user(hall.terminal, hall.supervisor, "c1", "李娜", "cashier")
    assert info.value.key == "auth.user_exists"
