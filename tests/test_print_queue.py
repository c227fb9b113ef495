"""The reprint queue empties: a receipt that never came out prints as its original from the queue,
only a print after one that came out says 重打 with its count, a failing printer keeps the job
waiting with its error, and every change of a job's status is announced after its commit."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from cashier import events
from cashier.payments import TenderLine, take_payment
from cashier.print_queue import print_queue
from cashier.settings import PrinterSettings
from cashier.store.models import Payment, PrintJob
from receipts.builders import Hall
from cashier.printing import print_receipt, print_waiting, reprint
from receipts.printing import Printer, ReceiptRenderer
from tests.helpers.fake_printer import FakePrinter
from tests.helpers.printers import dead_printer, file_printer, paper

HALL = Hall("城关供电营业厅", "T01", "1号窗口")
ROOT = Path(__file__).resolve().parents[1]

# The counter process: takes a payment, then prints to a printer that never answers; it is killed there.
COUNTER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from cashier.auth import Actor, Role
    from cashier.clock import FixedClock
    from cashier.payments import TenderLine, take_payment
    from cashier.settings import PrinterSettings
    from cashier.store import Store
    from cashier.terminal import Terminal
    from receipts.builders import Hall
    from cashier.printing import print_receipt
    from receipts.printing import Printer, ReceiptRenderer
    from tests.helpers.hall import START

    db, uri, user_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
    t = Terminal(store=Store(Path(db)), clock=FixedClock(timezone="Asia/Shanghai", at=START))
    cashier = Actor(user_id, "c1", "李娜", Role.CASHIER)
    paid = take_payment(t, cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    print(paid.payment_id, flush=True)
    print_receipt(t, ReceiptRenderer(Printer(PrinterSettings(uri=uri), Path(db).parent / "previews", timeout=120), Hall()), "payment",
                  paid.payment_id)
""")




def pay(hall):
    return take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])


def reprint_count(hall, payment_id) -> int:
    with hall.store.read() as s:
        return s.get(Payment, payment_id).reprint_count


def test_payment_survives_kill_while_printing_and_the_queue_prints_its_original(hall, tmp_path):
    silent = FakePrinter("stall")  # takes the bytes, never answers: the counter waits there
    try:
        child = subprocess.Popen([sys.executable, "-c", COUNTER, str(hall.store.path), silent.uri,
                                  str(hall.cashier.user_id)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        payment_id = child.stdout.readline().strip()
        deadline = time.monotonic() + 30
        while silent.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert silent.connections == 1, "the counter should be printing when the power goes"
        child.kill()  # SIGKILL: between the payment's commit and the receipt coming out
        child.wait()
        child.stdout.close()
    finally:
        silent.close()

    queue = print_queue(hall.store)
    assert queue.count == 1
    (job,) = queue.jobs
    assert (job.entity_id, job.status, job.reprint) == (payment_id, "pending", 0)
    assert (job.terminal_id, job.seq, job.account_no, job.amount_fen) == ("T01", 1, "3101000001", 29254)

    first = tmp_path / "first.bin"
    outcome = print_waiting(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(first), HALL), job.id)
    assert outcome.printed and outcome.message == "凭证已打印"
    assert print_queue(hall.store).count == 0 and print_queue(hall.store).jobs == ()
    assert "T01-00000001" in paper(first) and "重打" not in paper(first)
    assert reprint_count(hall, payment_id) == 0

    second = tmp_path / "second.bin"
    outcome = reprint(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(second), HALL), payment_id)
    assert outcome.printed and outcome.message == "凭证已重打（第1次）"
    assert "重打 第1次" in paper(second)
    assert reprint_count(hall, payment_id) == 1 and print_queue(hall.store).count == 0


def test_a_failing_printer_keeps_the_job_waiting_with_its_error(hall, tmp_path):
    paid = pay(hall)
    assert not print_receipt(hall.terminal, ReceiptRenderer(dead_printer(tmp_path), HALL), "payment", paid.payment_id).printed
    (job,) = print_queue(hall.store).jobs
    outcome = print_waiting(hall.terminal, hall.cashier, ReceiptRenderer(dead_printer(tmp_path), HALL), job.id)
    assert not outcome.printed and outcome.error_key == "printer.unreachable"
    assert "仍未打出" in outcome.message and "补打队列" in outcome.message
    queue = print_queue(hall.store)
    assert queue.count == 1
    assert [(j.id, j.status, j.last_error, j.attempts, j.reprint) for j in queue.jobs] == [
        (job.id, "failed", "printer.unreachable", 2, 0)]
    assert reprint_count(hall, paid.payment_id) == 0  # nothing came out: nothing to count

    done = tmp_path / "done.bin"
    assert print_waiting(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(done), HALL), job.id).printed
    assert "重打" not in paper(done) and print_queue(hall.store).count == 0


def test_a_reprint_that_fails_keeps_its_count_for_the_next_try(hall, tmp_path):
    paid = pay(hall)
    assert print_receipt(hall.terminal, ReceiptRenderer(file_printer(tmp_path / "original.bin"), HALL), "payment", paid.payment_id).printed
    failed = reprint(hall.terminal, hall.cashier, ReceiptRenderer(dead_printer(tmp_path), HALL), paid.payment_id)
    assert not failed.printed and failed.reprint == 1
    (job,) = print_queue(hall.store).jobs
    assert (job.status, job.reprint) == ("failed", 1)
    copy = tmp_path / "copy.bin"
    assert print_waiting(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(copy), HALL), job.id).printed
    assert "重打 第1次" in paper(copy)  # one reprint came out: 第1次, not 第2次
    assert reprint_count(hall, paid.payment_id) == 1 and print_queue(hall.store).count == 0


def test_a_print_that_comes_out_completes_every_waiting_copy_of_that_receipt(hall, tmp_path):
    paid = pay(hall)
    other = take_payment(hall.terminal, hall.cashier, "3101000004", 20000, [TenderLine("cash", 20000)])
    for entity in (paid.payment_id, other.payment_id):
        print_receipt(hall.terminal, ReceiptRenderer(dead_printer(tmp_path), HALL), "payment", entity)
    with hall.store.transaction() as s:  # a stale second copy, as old versions left them
        s.add(PrintJob(kind="payment", entity_id=paid.payment_id, reprint=0, status="failed", attempts=1,
                       created_at=hall.clock.now()))
    assert print_queue(hall.store).count == 3
    assert reprint(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(tmp_path / "r.bin"), HALL), paid.payment_id).printed
    assert [j.entity_id for j in print_queue(hall.store).jobs] == [other.payment_id]
    with hall.store.read() as s:
        statuses = s.scalars(select(PrintJob.status).where(PrintJob.entity_id == paid.payment_id)).all()
    assert statuses == ["printed", "printed"]


def test_every_change_of_a_job_status_is_announced_after_its_commit(hall, tmp_path):
    seen = []

    def listener(event):
        with hall.store.read() as s:  # the event arrives once the change is on disk
            on_disk = s.get(PrintJob, event["job_id"]).status
        seen.append((event["entity_id"], event["kind"], event["status"], on_disk, event["message"]))

    hall.store.events.subscribe(listener, events.PRINT_JOB)
    paid = pay(hall)  # the original is queued with the payment, in its transaction
    print_receipt(hall.terminal, ReceiptRenderer(dead_printer(tmp_path), HALL), "payment", paid.payment_id)
    (job,) = print_queue(hall.store).jobs
    print_waiting(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(tmp_path / "ok.bin"), HALL), job.id)
    pid = paid.payment_id
    assert [s[:4] for s in seen] == [(pid, "payment", "pending", "pending"), (pid, "payment", "failed", "failed"),
                                     (pid, "payment", "printed", "printed")]
    assert seen[0][4] == "正在打印凭证…" and "补打队列" in seen[1][4] and seen[2][4] == "凭证已打印"


def test_a_job_no_longer_in_the_queue_is_refused_not_reprinted(hall, tmp_path):
    from cashier.errors import DomainError

    paid = pay(hall)
    print_receipt(hall.terminal, ReceiptRenderer(dead_printer(tmp_path), HALL), "payment", paid.payment_id)
    (job,) = print_queue(hall.store).jobs
    assert reprint(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(tmp_path / "f11.bin"), HALL), paid.payment_id).printed
    for stale in (job.id, 999):  # the queue's row printed meanwhile by F11; a row that never was
        with pytest.raises(DomainError) as raised:
            print_waiting(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(tmp_path / "x.bin"), HALL), stale)
        assert raised.value.key == "print.unknown_job"
    assert not (tmp_path / "x.bin").exists() and reprint_count(hall, paid.payment_id) == 0


def test_a_payment_queues_its_receipt_in_its_own_transaction(hall, tmp_path):
    """A crash between the commit and the first print attempt still leaves the receipt in the queue."""
    paid = pay(hall)  # committed; the program dies before print_receipt is called
    (job,) = print_queue(hall.store).jobs
    assert (job.entity_id, job.kind, job.reprint, job.attempts) == (paid.payment_id, "payment", 0, 0)
    out = tmp_path / "first.bin"
    assert print_receipt(hall.terminal, ReceiptRenderer(file_printer(out), HALL), "payment", paid.payment_id).printed  # uses that job
    assert "重打" not in paper(out) and print_queue(hall.store).count == 0
    with hall.store.read() as s:
        assert s.scalars(select(PrintJob.status).where(PrintJob.entity_id == paid.payment_id)).all() == ["printed"]


def test_f11_while_the_original_is_still_printing_waits_and_prints_a_counted_reprint(hall, tmp_path):
    """Two prints of one receipt never both come out as the original (a slow printer, an impatient F11)."""
    import threading

    paid = pay(hall)
    slow = FakePrinter("slow")
    try:
        printer = Printer(PrinterSettings(uri=slow.uri, width=58), tmp_path / "previews", timeout=5.0)
        first: list = []
        original = threading.Thread(target=lambda: first.append(
            print_receipt(hall.terminal, ReceiptRenderer(printer, HALL), "payment", paid.payment_id)))
        original.start()
        time.sleep(0.2)  # the original is on its way to the printer
        again = reprint(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(tmp_path / "f11.bin"), HALL), paid.payment_id)
        original.join(10)
    finally:
        slow.close()
    assert first[0].printed and first[0].reprint == 0
    assert again.printed and again.reprint == 1 and "重打 第1次" in paper(tmp_path / "f11.bin")
    assert reprint_count(hall, paid.payment_id) == 1
    # And the original's own call, when the queue printed it first, does not print a second original.
    other = take_payment(hall.terminal, hall.cashier, "3101000004", 20100, [TenderLine("cash", 20100)])
    (job,) = [j for j in print_queue(hall.store).jobs if j.entity_id == other.payment_id]
    assert print_waiting(hall.terminal, hall.cashier, ReceiptRenderer(file_printer(tmp_path / "q.bin"), HALL), job.id).printed
    late = print_receipt(hall.terminal, ReceiptRenderer(file_printer(tmp_path / "late.bin"), HALL), "payment", other.payment_id)
    assert late.printed and not (tmp_path / "late.bin").exists()
