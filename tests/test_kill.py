"""Power cut at the counter: a process taking payments is SIGKILLed at random moments, over and over.

After every restart, each payment the process reported as committed exists exactly once, no
half-written payment exists (every one has its tenders, allocations, outbox and audit entry),
receipt numbers have no gaps and the audit chain verifies.
"""

import os
import random
import select
import signal
import sqlite3
import time
from datetime import date

import pytest

from cashier import audit, shifts
from cashier.clock import Clock
from cashier.ids import uuid7
from cashier.payments import TenderLine, take_payment
from cashier.store import Store
from cashier.terminal import Terminal
from tests.helpers.hall import add_account, make_hall

KILLS = 100
ACCOUNTS = [f"31010000{i:02d}" for i in range(1, 21)]


def payer(db_path, cashier, write_fd, seed):
    """The child: take payments forever, reporting each id once take_payment has returned."""
    rng = random.Random(seed)
    store = Store(db_path)
    terminal = Terminal(store=store, clock=Clock())
    while True:
        account = rng.choice(ACCOUNTS)
        amount = rng.randint(100, 30000)
        kind = rng.choice(["cash", "cash", "wechat"])
        tender = TenderLine(kind, amount + (rng.randint(0, 500) if kind == "cash" else 0), None if kind == "cash" else "WX1")
        result = take_payment(terminal, cashier, account, amount, [tender], payment_id=uuid7())
        os.write(write_fd, (result.payment_id + "\n").encode())


def check(db_path, reported):
    conn = sqlite3.connect(db_path)
    try:
        ids = {r[0] for r in conn.execute("SELECT id FROM payments")}
        missing = [pid for pid in reported if pid not in ids]
        assert missing == [], f"{len(missing)} reported payments lost"
        assert conn.execute("SELECT count(*) FROM payments").fetchone()[0] == len(ids)
        half = conn.execute(
            "SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM tenders t WHERE t.payment_id = p.id) "
            "OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = p.id) "
            "OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = p.id AND a.action = 'payment') "
            "OR p.tendered_fen != (SELECT sum(amount_fen) FROM tenders t WHERE t.payment_id = p.id) "
            "OR p.tendered_fen - p.change_fen != p.prepaid_credit_fen + "
            "   (SELECT coalesce(sum(penalty_fen + principal_fen), 0) FROM allocations a WHERE a.payment_id = p.id)"
        ).fetchone()[0]
        assert half == 0
        seqs = [r[0] for r in conn.execute("SELECT seq FROM payments ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1))
        assert conn.execute("SELECT coalesce(max(last_seq), 0) FROM terminal_sequences").fetchone()[0] == len(seqs)
        assert conn.execute("SELECT count(*) FROM bills WHERE outstanding_fen < 0").fetchone()[0] == 0
    finally:
        conn.close()
    store = Store(db_path)
    try:
        with store.read() as s:
            assert audit.verify(s).ok
    finally:
        store.close()
    return len(ids)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_payments_survive_sigkill_at_random_moments(tmp_path):
    hall = make_hall(tmp_path)
    for i, account_no in enumerate(ACCOUNTS):
        bills = [("202601", 5000 + 997 * i, date(2026, 2, 25)), ("202602", 3000 + 313 * i, date(2026, 3, 25))]
        add_account(hall.store, account_no, bills=bills if i % 3 else [])
    hall.terminal.clock = Clock()
    shifts.open_shift(hall.terminal, hall.cashier, {10000: 10})
    db_path, cashier = hall.store.path, hall.cashier
    hall.store.close()

    rng = random.Random(20261127)
    reported: list[str] = []
    killed_with_work = 0
    for round_no in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            try:
                payer(db_path, cashier, write_fd, round_no)
            finally:
                os._exit(1)
        os.close(write_fd)
        time.sleep(rng.uniform(0.02, 0.25))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        chunks = []
        while select.select([read_fd], [], [], 0)[0]:
            data = os.read(read_fd, 65536)
            if not data:
                break
            chunks.append(data)
        os.close(read_fd)
        lines = b"".join(chunks).decode().split("\n")
        new = [line for line in lines[:-1] if line]  # the last piece may be cut mid-write
        killed_with_work += bool(new)
        reported += new
        assert len(reported) == len(set(reported))
        total = check(db_path, reported)
        assert total >= len(reported)
    assert killed_with_work > KILLS // 2, "the child should usually have committed something before the kill"
