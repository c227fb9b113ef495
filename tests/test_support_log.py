"""The log file as support reads it (issue 17, point 8): a start line, the counter's events with ids and amounts,
never a secret or a customer's name, no library chatter, and each time in UTC and in the hall's local time."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from admin.cli import main
from cashier import auth, shifts
from cashier.errors import DomainError
from cashier.logs import LOG_FILE_NAME, setup_logging
from cashier.payments import TenderLine, reverse_payment, take_payment
from cashier.printing import print_receipt
from cashier.store import schema
from receipts.builders import Hall
from receipts.printing import ReceiptRenderer
from tests.helpers.hall import PASSWORD, make_hall, standard_accounts
from tests.helpers.printers import dead_printer, file_printer

DATA = Path(__file__).parent / "data"
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(\d\d:\d\d:\d\d \+08:00\)"


def log_text(data_dir: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return (data_dir / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _log_level():
    """The admin CLI sets the root logger's level from the settings; put it back for the other tests."""
    root = logging.getLogger()
    level = root.level
    yield
    root.setLevel(level)


def test_every_admin_command_starts_with_a_line_saying_version_folders_and_schema(tmp_path, capsys):
    data_dir = tmp_path / "hall"
    assert main(["--data-dir", str(data_dir), "init"]) == 0
    assert main(["--data-dir", str(data_dir), "version"]) == 0
    capsys.readouterr()
    lines = log_text(data_dir).splitlines()
    starts = [line for line in lines if " cashier.start: " in line]
    assert len(starts) == 2, lines
    assert re.fullmatch(
        STAMP + r" INFO cashier\.start: cashier-admin \d+\.\d+\.\d+ init: data folder " + re.escape(str(data_dir))
        + r", settings .*cashier\.toml \(not found, defaults\), logs .*logs, database .*cashier\.db "
          r"\(not created yet; this program: schema \d+\)", starts[0]), starts[0]
    assert "cashier-admin" in starts[1] and " version: " in starts[1] and "(read)" in starts[1]
    assert re.search(r"database .* \(schema (\d+); this program: schema \1\)", starts[1]), starts[1]
    assert any(re.search(r"INFO cashier\.store\.schema: database .*cashier\.db created at schema \d+$", line)
               for line in lines), lines


def test_a_no_op_command_logs_no_alembic_and_an_upgrade_one_line(tmp_path, capsys):
    data_dir = tmp_path / "hall"
    data_dir.mkdir()
    shutil.copy(DATA / "schema_v1.db", data_dir / "cashier.db")
    assert main(["--data-dir", str(data_dir), "init"]) == 0  # the upgrade from schema 1
    assert main(["--data-dir", str(data_dir), "init"]) == 0  # nothing to do
    assert main(["--data-dir", str(data_dir), "doctor"]) in (0, 1)
    capsys.readouterr()
    text = log_text(data_dir)
    assert "alembic" not in text, text
    upgraded = [line for line in text.splitlines() if "upgraded from schema" in line]
    assert len(upgraded) == 1 and upgraded[0].endswith(f"upgraded from schema 1 to {schema.head_schema()}"), text


def test_logins_payments_reversals_and_prints_are_logged_with_ids_and_amounts_never_names(tmp_path):
    hall = make_hall(tmp_path)
    standard_accounts(hall.store)
    setup_logging(tmp_path / "logs", "INFO", zone="Asia/Shanghai")
    t = hall.terminal
    with pytest.raises(DomainError):
        auth.login(t, "c1", "not-the-password")
    with pytest.raises(DomainError):
        auth.login(t, "somebody-typed-this", "x")
    actor = auth.login(t, "c1", PASSWORD)
    shifts.open_shift(t, actor, {10000: 5, 1000: 10, 100: 20})
    paid = take_payment(t, actor, "3101000001", 29254, [TenderLine("cash", 30000)])
    assert not print_receipt(t, ReceiptRenderer(dead_printer(tmp_path), Hall("城关供电营业厅", "T01", "1号窗口")),
                             "payment", paid.payment_id).printed
    approval = auth.authorize(t, actor, "super1", PASSWORD, "reversal", paid.payment_id, "客户重复缴费")
    reversal = reverse_payment(t, actor, paid.payment_id, approval, "客户重复缴费")
    assert print_receipt(t, ReceiptRenderer(file_printer(tmp_path / "r.bin"), Hall("城关供电营业厅", "T01", "1号窗口")),
                         "reversal", reversal.payment_id).printed
    hall.store.close()
    text = log_text(tmp_path)
    lines = text.splitlines()
    assert all(re.match(STAMP + " (INFO|WARNING) ", line) for line in lines), lines

    def one(pattern: str) -> str:
        found = [line for line in lines if re.search(pattern, line)]
        assert len(found) == 1, (pattern, lines)
        return found[0]

    one(r"WARNING cashier\.auth: login failed: c1 \(wrong password, 1 in a row\)$")
    one(r"WARNING cashier\.auth: login failed: unknown user name \(19 characters\)$")
    one(r"INFO cashier\.auth: login: c1 \(cashier\) on terminal T01$")
    payment = one(r"INFO cashier\.payments: payment taken: ")
    assert (f"payment taken: {paid.payment_id} receipt T01-{paid.seq:08d} account 3101000001 amount 29254 fen"
            in payment), payment
    assert "tenders cash:30000" in payment and "change 746" in payment and "cashier c1" in payment
    one(rf"WARNING cashier\.printing: print job \d+ \(payment {paid.payment_id}, receipt T01-{paid.seq:08d}, "
        r"original\) failed, waits in the reprint queue: printer\.")
    one(rf"INFO cashier\.payments: reversal: {reversal.payment_id} receipt T01-{reversal.seq:08d} reverses "
        rf"{paid.payment_id} \(receipt T01-{paid.seq:08d}\) account 3101000001 refund 29254 fen tenders cash:29254 approved by user id \d+ cashier c1$")
    one(rf"INFO cashier\.printing: print job \d+ \(reversal {reversal.payment_id}, receipt "
        rf"T01-{reversal.seq:08d}, original\) printed$")
    for secret in (PASSWORD, "not-the-password", "somebody-typed-this", "张三明", "李娜", "陈静", "客户重复缴费"):
        assert secret not in text, secret


def test_the_counter_program_starts_its_log_with_version_folders_and_schema(tmp_path):
    """The real ``cashier`` program (its smoke test: login window and store opened), offscreen."""
    import os
    import subprocess
    import sys

    (tmp_path / "cashier.toml").write_text('[hall]\ncode = "HALL01"\nname = "城关营业厅"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CASHIER_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    exe = Path(sys.executable).with_name("cashier")
    run = subprocess.run([str(exe), "--data-dir", str(tmp_path), "--smoke-test"], env=env, capture_output=True,
                         text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    lines = (tmp_path / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(STAMP + r" INFO cashier\.start: cashier \d+\.\d+\.\d+: data folder " + re.escape(str(tmp_path))
                        + r", settings .*cashier\.toml \(read\), logs .*, database .*cashier\.db \(not created yet; "
                          r"this program: schema \d+\)", lines[0]), lines
    assert any(line.endswith(f"database {tmp_path / 'cashier.db'} created at schema {schema.head_schema()}")
               for line in lines), lines
    assert not any("alembic" in line for line in lines), lines
