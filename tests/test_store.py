"""cashier.store: pragmas, the unit of work, BEGIN IMMEDIATE, constraints, durability."""

import sqlite3
import threading
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from cashier.errors import StoreError
from cashier.store import Store
from cashier.store.models import Account, Bill, Shift, User


def _account(no="3101000001", **kw):
    fields = {"name": "张三明", "address": "城关区人民路3栋501室", "customer_class": "residential", **kw}
    return Account(account_no=no, **fields)


@pytest.fixture
def store(data_dir):
    s = Store.open(data_dir / "cashier.db")
    yield s
    s.close()


def test_connections_run_wal_full_sync_foreign_keys_and_busy_timeout(store):
    with store.transaction() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_relaxed_commits_hold_only_for_this_thread_inside_the_block(store):
    """A snapshot's staged pages commit with synchronous=NORMAL; nothing else ever does, on any connection."""
    from cashier.store.schema import relaxed_commits

    def level():
        with store.transaction() as session:
            return session.connection().exec_driver_sql("PRAGMA synchronous").scalar()

    seen = {}
    with relaxed_commits():
        seen["inside"] = level()
        other = threading.Thread(target=lambda: seen.update(other_thread=level()))
        other.start()
        other.join()
    seen["after"] = level()
    assert seen == {"inside": 1, "other_thread": 2, "after": 2}  # NORMAL only in the block, FULL again after


def test_transaction_commits_on_success_and_is_visible_to_another_connection(store):
    with store.transaction() as session:
        session.add(_account())
    raw = sqlite3.connect(store.path)
    assert raw.execute("SELECT name FROM accounts").fetchall() == [("张三明",)]


def test_transaction_rolls_back_everything_on_an_exception(store):
    with store.transaction() as session:
        session.add(_account("3101000001"))
    with pytest.raises(RuntimeError):
        with store.transaction() as session:
            session.add(_account("3101000002"))
            session.flush()
            session.execute(text("UPDATE accounts SET name = '李四' WHERE account_no = '3101000001'"))
            raise RuntimeError("power cut in the middle")
    with store.read() as session:
        assert session.scalars(select(Account.name).order_by(Account.id)).all() == ["张三明"]


def test_business_code_cannot_commit_inside_the_unit_of_work(store):
    with pytest.raises(RuntimeError, match="store.transaction"):
        with store.transaction() as session:
            session.add(_account())
            session.commit()
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 0


def test_read_session_never_commits(store):
    with store.read() as session:
        session.add(_account())
        session.flush()
        with pytest.raises(RuntimeError):
            session.commit()
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 0


def test_writers_take_the_lock_at_begin_immediate(data_dir):
    """A second writer waits at BEGIN (not at its first write), then reports busy clearly."""
    first = Store.open(data_dir / "cashier.db")
    second = Store(first.path, busy_timeout_ms=200)
    entered, release = threading.Event(), threading.Event()

    def hold_lock():
        with first.transaction() as session:
            session.connection()  # BEGIN IMMEDIATE happens here
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=hold_lock)
    worker.start()
    assert entered.wait(5)
    try:
        with pytest.raises(StoreError) as info:
            with second.transaction() as session:
                session.connection()
        assert info.value.key == "store.busy"
    finally:
        release.set()
        worker.join()
    with second.transaction() as session:
        session.add(_account())
    first.close()
    second.close()


def test_database_constraints_guard_money_and_states(store):
    with store.transaction() as session:
        session.add(_account())
    with pytest.raises(IntegrityError):
        with store.transaction() as session:
            acc = session.scalar(select(Account))
            session.add(Bill(bill_no="B1", account_id=acc.id, period="202601", kwh=10, principal_fen=100,
                             due_date=date(2026, 2, 25), outstanding_fen=-1))
    with pytest.raises(IntegrityError):  # unknown account: foreign keys are on
        with store.transaction() as session:
            session.add(Bill(bill_no="B2", account_id=999, period="202601", kwh=10, principal_fen=100,
                             due_date=date(2026, 2, 25), outstanding_fen=100))
    with pytest.raises(IntegrityError):
        with store.transaction() as session:
            session.add(_account("3101000009", customer_class="household"))


def test_only_one_open_shift_per_terminal(store):
    now = datetime.now(timezone.utc)
    with store.transaction() as session:
        user = User(username="c1", display_name="收费员", role="cashier", password_hash="x", created_at=now)
        session.add(user)
        session.flush()
        session.add(Shift(id="s1", terminal_id="T01", cashier_id=user.id, business_date=date(2026, 3, 1),
                          opened_at=now, opening_float_fen=50000, opening_counts="{}"))
    with pytest.raises(IntegrityError):
        with store.transaction() as session:
            session.add(Shift(id="s2", terminal_id="T01", cashier_id=1, business_date=date(2026, 3, 1),
                              opened_at=now, opening_float_fen=0, opening_counts="{}"))
    with store.transaction() as session:  # another terminal may open
        session.add(Shift(id="s3", terminal_id="T02", cashier_id=1, business_date=date(2026, 3, 1),
                          opened_at=now, opening_float_fen=0, opening_counts="{}"))
