"""A small hall for counter-core tests: a store, a terminal with a fixed clock, users, accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cashier import auth
from cashier.clock import Clock, FixedClock
from cashier.passwords import hash_password
from cashier.search import bill_barcode
from cashier.settings import AuthSettings, ShiftSettings
from cashier.store import Store
from cashier.store.models import Account, Bill, User
from cashier.terminal import Terminal

PASSWORD = "secret-1"
# 2 March 2026, 10:00 in Shanghai.
START = datetime(2026, 3, 2, 2, 0, 0)

_HASH = None


def _hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


@dataclass
class Hall:
    terminal: Terminal
    clock: FixedClock
    cashier: auth.Actor
    cashier2: auth.Actor
    supervisor: auth.Actor
    supervisor2: auth.Actor
    technician: auth.Actor

    @property
    def store(self) -> Store:
        return self.terminal.store

    def approve(self, action: str, subject: str, reason: str = "核实无误", amount_fen: int | None = None,
                by: str = "super1", for_actor: auth.Actor | None = None) -> int:
        return auth.authorize(self.terminal, for_actor or self.cashier, by, PASSWORD, action, subject, reason, amount_fen)


def add_account(store: Store, account_no: str, *, customer_class: str = "residential", bills=(), **fields) -> int:
    """bills: (period, principal_fen, due_date[, outstanding_fen]) tuples."""
    with store.transaction() as s:
        account = Account(account_no=account_no, name=fields.pop("name", "张三明"),
                          address=fields.pop("address", "城关镇人民路3栋501室"), customer_class=customer_class,
                          updated_at=START, **fields)
        s.add(account)
        s.flush()
        for bill in bills:
            period, principal, due = bill[:3]
            outstanding = bill[3] if len(bill) > 3 else principal
            s.add(Bill(bill_no=bill_barcode(account_no, period), account_id=account.id, period=period,
                       kwh=principal // 55, principal_fen=principal, due_date=due, outstanding_fen=outstanding))
        return account.id


def make_hall(folder: Path, *, over_short_limit_fen: int = 5000, terminal_id: str = "T01",
              clock: Clock | None = None) -> Hall:
    """``clock``: shared with an upstream (the world's time) or others; by default the hall's own, at START."""
    store = Store.open(folder / "cashier.db")
    clock = clock if clock is not None else FixedClock(timezone="Asia/Shanghai", at=START)
    terminal = Terminal(store=store, terminal_id=terminal_id, clock=clock,
                        auth=AuthSettings(max_failures=3, lockout_minutes=15),
                        shift=ShiftSettings(over_short_limit_fen=over_short_limit_fen))
    people = {}
    with store.transaction() as s:
        for username, name, role in [("c1", "李娜", "cashier"), ("c2", "王强", "cashier"), ("super1", "陈静", "supervisor"),
                                     ("super2", "赵敏", "supervisor"), ("tech1", "刘伟", "technician")]:
            user = User(username=username, display_name=name, role=role, password_hash=_hash(),
                        must_change_password=False, failed_attempts=0, active=True, created_at=START)
            s.add(user)
            s.flush()
            people[username] = auth.Actor(user.id, username, name, auth.Role(role))
    return Hall(terminal, clock, people["c1"], people["c2"], people["super1"], people["super2"], people["tech1"])


def standard_accounts(store: Store) -> None:
    """Accounts the payment tests lean on (business date 2 March 2026)."""
    add_account(store, "3101000001", bills=[("202512", 11683, date(2026, 1, 25)), ("202601", 17050, date(2026, 2, 25))])
    add_account(store, "3101000002", name="兴盛五金店", customer_class="commercial", prepaid_meter=True,
                supply_status="disconnected", bills=[("202512", 100000, date(2026, 1, 20))])
    add_account(store, "3101000003", name="王芳", address="南湖镇大河村3组8号", prepaid_balance_fen=5000)
    add_account(store, "3101000004", name="单雪", bills=[("202601", 20000, date(2026, 2, 25))])
