"""Printing never loses money: refused, stalled, dropped or paper-out printers leave the payment
committed and the receipt in the reprint queue with a clear status; a reprint says 重打."""

import pytest
from sqlalchemy import func, select


from admin.cli import main
from cashier.settings import PrinterSettings
from cashier.payments import TenderLine, take_payment
from cashier.store.models import Payment
from receipts.builders import Hall
from cashier.printing import print_receipt, reprint, waiting_jobs
from receipts.printing import Printer, ReceiptRenderer
from tests.helpers.db import snapshot
from tests.helpers.escpos_decode import decode
from tests.helpers import fake_printer as fp
from tests.helpers.fake_printer import FakePrinter

HALL = Hall("城关供电营业厅", "T01", "1号窗口")


@pytest.fixture
def printer_factory():
    made = []

    def make(mode):
        fake = FakePrinter(mode)
        made.append(fake)
        return fake

    yield make
    for fake in made:
        fake.close()


def printer_for(uri, tmp_path, width=58):
    return Printer(PrinterSettings(uri=uri, width=width), tmp_path / "previews", timeout=1.0)


def pay(hall):
    return take_payment(hall.terminal, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])


def test_a_working_network_printer_prints_the_receipt(hall, printer_factory, tmp_path):
    fake = printer_factory("ok")
    paid = pay(hall)
    outcome = print_receipt(hall.terminal, ReceiptRenderer(printer_for(fake.uri, tmp_path), HALL), "payment", paid.payment_id)
    assert outcome.printed and outcome.message == "凭证已打印"
    job = decode(bytes(fake.received))
    assert "T01-00000001" in "\n".join(line.text for line in job.lines) and job.kicks == 1
    assert waiting_jobs(hall.store) == []


@pytest.mark.parametrize("mode, key", [("refused", "printer.refused"), ("stall", "printer.unconfirmed"),
                                       ("drop", "printer.dropped"), ("paper_out", "printer.paper_out")])
def test_a_failing_printer_never_costs_the_payment(hall, printer_factory, tmp_path, mode, key):
    if mode == "refused":
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        uri = f"tcp://127.0.0.1:{s.getsockname()[1]}"
        s.close()
    else:
        uri = printer_factory(mode).uri
    paid = pay(hall)
    before = [line for line in snapshot(hall.store.path) if not line.startswith("print_jobs")]
    outcome = print_receipt(hall.terminal, ReceiptRenderer(printer_for(uri, tmp_path), HALL), "payment", paid.payment_id)
    assert not outcome.printed and outcome.error_key == key
    assert "收费已成功" in outcome.message and "补打队列" in outcome.message
    after = [line for line in snapshot(hall.store.path) if not line.startswith("print_jobs")]
    assert after == before  # the payment and everything else exactly as committed
    queued = waiting_jobs(hall.store)
    assert [(j.entity_id, j.status, j.last_error) for j in queued] == [(paid.payment_id, "failed", key)]
    with hall.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1


def test_reprint_from_the_queue_once_the_printer_is_back(hall, printer_factory, tmp_path):
    out = printer_factory("paper_out")
    paid = pay(hall)
    assert not print_receipt(hall.terminal, ReceiptRenderer(printer_for(out.uri, tmp_path), HALL), "payment", paid.payment_id).printed
    good = printer_factory("ok")
    outcome = reprint(hall.terminal, hall.cashier, ReceiptRenderer(printer_for(good.uri, tmp_path), HALL), paid.payment_id)
    assert outcome.printed and outcome.reprint == 0  # the first paper that came out is the original
    assert "重打" not in "\n".join(line.text for line in decode(bytes(good.received)).lines)
    assert waiting_jobs(hall.store) == []
    with hall.store.read() as s:
        assert s.get(Payment, paid.payment_id).reprint_count == 0
    again = printer_factory("ok")
    assert reprint(hall.terminal, hall.cashier, ReceiptRenderer(printer_for(again.uri, tmp_path), HALL), paid.payment_id).reprint == 1
    assert "重打 第1次" in "\n".join(line.text for line in decode(bytes(again.received)).lines)
    with hall.store.read() as s:
        assert s.get(Payment, paid.payment_id).reprint_count == 1


def test_preview_printer_draws_the_receipt(hall, tmp_path):
    paid = pay(hall)
    outcome = print_receipt(hall.terminal, ReceiptRenderer(printer_for("preview://", tmp_path), HALL), "payment", paid.payment_id)
    assert outcome.printed and outcome.preview.exists() and outcome.preview.suffix == ".png"


def test_print_test_cli_against_a_network_printer(printer_factory, data_dir, capsys):
    fake = printer_factory("ok")
    assert main(["--data-dir", str(data_dir), "print-test", "--printer", fake.uri, "--width", "58"]) == 0
    assert "测试页已发送" in capsys.readouterr().out
    job = decode(bytes(fake.received))
    text = "".join(line.text.strip() for line in job.lines)
    assert "打印测试" in text and "人民币（大写）叁佰元整" in text
    assert job.qr and job.qr[0].startswith("HC1|test|") and job.kicks == 1 and job.cuts == 1


@pytest.mark.parametrize("uri", ["lpt1", "tcp://", "tcp://host:99999", "usb://zz:1", "serial:///dev/ttyS0?baud=7",
                                 "cups://", "ftp://x"])
def test_print_test_explains_a_bad_printer_uri(data_dir, capsys, uri):
    assert main(["--data-dir", str(data_dir), "print-test", "--printer", uri]) == 3
    assert "打印机地址" in capsys.readouterr().err


@pytest.mark.parametrize("status, key", [
    ({1: fp.OFFLINE}, "printer.offline"),
    ({1: fp.OFFLINE, 2: fp.COVER_OPEN}, "printer.cover_open"),
    ({1: fp.OFFLINE, 2: fp.PAPER_STOP, 4: fp.PAPER_END}, "printer.paper_out"),
    ({1: fp.OFFLINE, 3: fp.CUTTER}, "printer.cutter_error"),
    ({1: fp.OFFLINE, 3: fp.UNRECOVERABLE}, "printer.unrecoverable"),
])
def test_a_printer_that_says_it_cannot_print_gets_no_job_and_the_receipt_waits(hall, tmp_path, status, key):
    fake = fp.FakePrinter("ok", status=status)
    try:
        paid = pay(hall)
        outcome = print_receipt(hall.terminal, ReceiptRenderer(printer_for(fake.uri, tmp_path), HALL), "payment", paid.payment_id)
        assert not outcome.printed and outcome.error_key == key
        assert bytes(fake.received) == b""  # nothing was sent to a printer that said it could not print
        assert [(j.entity_id, j.last_error) for j in waiting_jobs(hall.store)] == [(paid.payment_id, key)]
        with hall.store.read() as s:
            assert s.get(Payment, paid.payment_id) is not None
    finally:
        fake.close()


@pytest.mark.parametrize("after, key", [({1: fp.OFFLINE, 2: fp.COVER_OPEN}, "printer.cover_open"),
                                        ({1: fp.OFFLINE, 2: fp.PAPER_STOP, 4: fp.PAPER_END}, "printer.paper_out")])
def test_a_printer_that_stops_during_the_job_leaves_the_receipt_in_the_queue(hall, tmp_path, after, key):
    fake = fp.FakePrinter("ok", after_job=after)
    try:
        paid = pay(hall)
        outcome = print_receipt(hall.terminal, ReceiptRenderer(printer_for(fake.uri, tmp_path), HALL), "payment", paid.payment_id)
        assert not outcome.printed and outcome.error_key == key and bytes(fake.received)
        assert [j.entity_id for j in waiting_jobs(hall.store)] == [paid.payment_id]
    finally:
        fake.close()


def test_paper_near_end_prints_and_warns(hall, tmp_path):
    fake = fp.FakePrinter("ok", status={4: fp.NEAR_END})
    try:
        paid = pay(hall)
        outcome = print_receipt(hall.terminal, ReceiptRenderer(printer_for(fake.uri, tmp_path), HALL), "payment", paid.payment_id)
        assert outcome.printed and outcome.warnings == ("printer.paper_near_end",)
        assert outcome.message == "凭证已打印；打印机纸将用完，请准备换纸"
        assert waiting_jobs(hall.store) == []
    finally:
        fake.close()


def test_a_peer_that_is_not_a_printer_is_not_believed(hall, tmp_path, capsys):
    proxy = fp.FakePrinter("http")
    try:
        paid = pay(hall)
        outcome = print_receipt(hall.terminal, ReceiptRenderer(printer_for(proxy.uri, tmp_path), HALL), "payment", paid.payment_id)
        assert not outcome.printed and outcome.error_key == "printer.not_a_printer"
        assert [j.entity_id for j in waiting_jobs(hall.store)] == [paid.payment_id]
        code = main(["--data-dir", str(tmp_path / "hall"), "print-test", "--printer", proxy.uri])
        out, err = capsys.readouterr()
        assert code != 0 and "不是小票打印机的状态" in out + err and "测试页已发送" not in out + err
    finally:
        proxy.close()
