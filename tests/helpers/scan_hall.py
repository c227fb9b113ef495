"""A counter and a real upstream whose payment providers are the simulator (issue 18), on a loopback port.

The terminal, the upstream and the simulator all keep real time here (the simulator's "user paying" is a delay),
so the counter runs on the real clock; waits are short (``FAST``) so a test takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from cashier import scan_pay, shifts
from cashier.clock import Clock
from cashier.store.models import Payment, ScanIntent
from cashier.sync.client import UpstreamClient
from cashier.sync.engine import Syncer
from tests.helpers.hall import Hall, make_hall, standard_accounts
from upstream import server, terminals
from upstream.db import Database
from upstream.importer import rows_from_store, write
from upstream.models import SimulatorOrder
from upstream.payments import providers_from_setting
from upstream.scan import ScanRules

FAST = scan_pay.ScanTimings(first_poll=0.05, poll=0.1, wait=2.0, give_up=5.0)
# The upstream's waits, short: a pay call holds 0.3 s on "user paying"; a code ending in 6 is paid after 0.8 s.
RULES = ScanRules(hold=0.3, poll_interval=0.1, max_wait=30.0, grace=30.0)
PAYING_DELAY = 0.8
COUNTS = {10000: 20, 1000: 10}


def code(provider: str, last: int, n: int = 0) -> str:
    """A payment code of ``provider`` ending in ``last`` (what the simulator does), ``n`` telling codes apart."""
    if provider == "wechat":
        return f"13{n:015d}{last}"
    if provider == "alipay":
        return f"28{n:015d}{last}"
    return f"62{n:016d}{last}"


@dataclass
class ScanHall:
    hall: Hall
    db: Database
    up: server.RunningUpstream
    client: UpstreamClient
    syncer: Syncer

    @property
    def terminal(self):
        return self.hall.terminal

    def flow(self, account_no: str, amount_fen: int, the_code: str, timings=FAST, client=None) -> scan_pay.ScanFlow:
        sale = scan_pay.ScanSale(account_no, amount_fen, amount_fen)
        return scan_pay.ScanFlow(self.terminal, client or self.client, self.hall.cashier, sale, the_code, timings)

    def payments_of(self, intent_id: str) -> int:
        with self.hall.store.read() as s:
            linked = s.scalar(select(ScanIntent.payment_id).where(ScanIntent.id == intent_id))
            return s.scalar(select(func.count()).select_from(Payment).where(Payment.id == linked)) if linked else 0

    def charges_of(self, intent_id: str) -> int:
        """Charges that stand at the simulated provider for this order (a cancelled one was given back)."""
        with self.db.sessions() as s:
            rows = s.execute(select(SimulatorOrder.charged, SimulatorOrder.status)
                             .where(SimulatorOrder.order_no == intent_id.replace("-", ""))).all()
        assert all(charged in (0, 1) for charged, _ in rows), rows  # never charged twice
        return sum(1 for charged, status in rows if charged and status == "paid")

    def open_intents(self) -> int:
        with self.hall.store.read() as s:
            return len(scan_pay.open_intents(s))

    def close(self) -> None:
        self.client.close()
        self.up.stop()
        self.hall.store.close()


def start_scan_hall(folder: Path, *, db: Database | None = None, payments: str = "simulate",
                    paying_delay: float = PAYING_DELAY, rules: ScanRules = RULES) -> ScanHall:
    hall = make_hall(folder, clock=Clock(timezone="Asia/Shanghai"))
    standard_accounts(hall.store)
    shifts.open_shift(hall.terminal, hall.cashier, COUNTS)
    hall.terminal.scan_to_pay = True
    db = db or Database(str(folder / "upstream.db"))
    write(db, *rows_from_store(hall.store.path), hall_code="DEMO01")
    providers = providers_from_setting(payments, db, paying_delay=paying_delay) if payments == "simulate" else {}
    up = server.start(db, payments=providers, scan_rules=rules)
    enrolled = terminals.enroll(db, terminals.create_enrollment_code(db, "DEMO01", "T01"))
    client = UpstreamClient(up.url, enrolled.token)
    syncer = Syncer(hall.store, client, clock=hall.terminal.clock)
    syncer.scan_terminal = hall.terminal
    return ScanHall(hall, db, up, client, syncer)
