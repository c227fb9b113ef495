"""The technician's first-run wizard: nothing half-configured, the code checked before it is spent, enrollment,
the first supervisor, Qt's own buttons in Chinese, the keyboard, and the setup sheet."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import select

from cashier.firstrun import needs_first_run
from cashier.settings import Paths, load_settings
from cashier.store import Store
from cashier.store.models import User
from tests.ui.conftest import settle
from ui.app import wants_first_run
from ui.first_run import HALL, PEOPLE, PRINTER, SUMMARY, UPSTREAM, FirstRunWizard
from upstream import server, terminals
from upstream.db import Database
from upstream.models import EnrollmentCode

COMMIT = QWizard.WizardButton.CommitButton


def _fill(wizard: FirstRunWizard, url: str = "", code: str = "", password: str = "Sup3r-pass",
          password2: str | None = None, printer: str = "preview://") -> None:
    wizard.hall_code.setText("3201001")
    wizard.hall_name.setText("城关供电营业厅")
    wizard.terminal_id.setText("T03")
    wizard.terminal_name.setText("3号窗口")
    wizard.upstream.setText(url)
    wizard.code.setText(code)
    wizard.printer_uri.setText(printer)
    wizard.supervisor.setText("banzhang")
    wizard.supervisor_name.insert("陈静")
    wizard.password.setText(password)
    wizard.password2.setText(password if password2 is None else password2)


def _next_to_end(qtbot, wizard: FirstRunWizard) -> None:
    for _ in range(3):
        wizard.next()
        settle(qtbot)


def _wizard(qtbot, paths: Paths) -> FirstRunWizard:
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    settle(qtbot)
    return wizard


@pytest.fixture
def upstream(tmp_path):
    db = Database(str(tmp_path / "up.db"))
    up = server.start(db)
    yield up
    up.stop()


def _code_used(up, code: str) -> bool:
    with up.db.sessions() as s:
        row = s.get(EnrollmentCode, terminals.sha256_hex(code.replace("-", "")))
        return row.used_at is not None


def test_cancelled_wizard_writes_nothing(qtbot, tmp_path):
    paths = Paths.resolve(tmp_path / "pc")
    wizard = _wizard(qtbot, paths)
    _fill(wizard)
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PRINTER
    wizard.test_print.click()  # a test print before cancelling leaves nothing in the data folder either
    settle(qtbot)
    assert "测试页已发送" in wizard.printer_message.text()
    wizard.next()
    settle(qtbot)
    wizard.reject()
    assert needs_first_run(paths)
    assert not (tmp_path / "pc").exists() or not any((tmp_path / "pc").iterdir())


def test_bad_hall_code_and_mismatched_passwords_stop_the_wizard(qtbot, tmp_path):
    paths = Paths.resolve(tmp_path / "pc")
    wizard = _wizard(qtbot, paths)
    _fill(wizard, password2="other")
    wizard.terminal_id.setText("窗口 1")
    wizard.next()
    wizard.next()
    assert wizard.currentId() == HALL and "terminal.id" in wizard.hall_message.text()
    wizard.terminal_id.setText("T03")
    wizard.next()
    wizard.next()
    wizard.button(COMMIT).click()
    settle(qtbot)
    assert "两次输入的密码不一致" in wizard.last_message.text() and wizard.currentId() == PEOPLE
    assert needs_first_run(paths)


def test_the_demo_hall_is_not_a_hall_of_its_own(qtbot, tmp_path):
    wizard = _wizard(qtbot, Paths.resolve(tmp_path / "pc"))
    _fill(wizard)
    wizard.hall_code.setText("DEMO01")
    wizard.next()
    wizard.next()
    assert wizard.currentId() == HALL and "演示营业厅" in wizard.hall_message.text()


def test_complete_set_up_with_enrollment_a_test_print_and_the_summary(qtbot, tmp_path, upstream):
    code = terminals.create_enrollment_code(upstream.db, "3201001", "T03")
    paths = Paths.resolve(tmp_path / "pc")
    wizard = _wizard(qtbot, paths)
    _fill(wizard, upstream.url, code)
    wizard.test_connection.click()
    settle(qtbot)
    assert wizard.upstream_message.text().startswith("连接成功")
    wizard.next()
    wizard.next()
    wizard.test_print.click()
    settle(qtbot)
    assert "测试页已发送" in wizard.printer_message.text()
    wizard.next()
    wizard.button(COMMIT).click()
    qtbot.waitUntil(lambda: wizard.currentId() == SUMMARY, timeout=15000)
    assert not needs_first_run(paths)
    settings = load_settings(paths).settings
    assert (settings.hall.code, settings.terminal.id, settings.upstream.url) == ("3201001", "T03", upstream.url)
    assert json.loads((paths.data_dir / "upstream.json").read_text())["terminal_id"] == "T03"
    with Store.open(paths.database) as store, store.read() as s:
        user = s.scalar(select(User))
        assert (user.username, user.display_name, user.role, user.must_change_password) == \
            ("banzhang", "陈静", "supervisor", True)
    summary = wizard.summary.text()
    for what in ("城关供电营业厅", "T03", upstream.url, "已注册", "preview://", "banzhang", str(paths.data_dir),
                 str(paths.log_dir), str(paths.backup_dir)):
        assert what in summary
    assert "Sup3r-pass" not in summary and code not in summary
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()  # applied: no way back into it
    with qtbot.waitSignal(wizard.accepted, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.settings.hall.code == "3201001"


def test_a_short_password_at_finish_leaves_the_code_unused_and_a_corrected_finish_enrolls(qtbot, tmp_path, upstream):
    """The supervisor's password is checked before the one-time code is spent (issue 17, point 5)."""
    code = terminals.create_enrollment_code(upstream.db, "3201001", "T03")
    paths = Paths.resolve(tmp_path / "pc")
    wizard = _wizard(qtbot, paths)
    _fill(wizard, upstream.url, code, password="1234")
    _next_to_end(qtbot, wizard)
    wizard.button(COMMIT).click()
    settle(qtbot)
    assert "密码至少需要 6 位" in wizard.last_message.text() and wizard.currentId() == PEOPLE
    assert not _code_used(upstream, code) and needs_first_run(paths)
    assert not (paths.data_dir / "upstream.json").exists()
    wizard.password.setText("Sup3r-pass")
    wizard.password2.setText("Sup3r-pass")
    wizard.button(COMMIT).click()
    qtbot.waitUntil(lambda: wizard.currentId() == SUMMARY, timeout=15000)
    assert _code_used(upstream, code) and not needs_first_run(paths)
    assert json.loads((paths.data_dir / "upstream.json").read_text())["terminal_id"] == "T03"


def test_a_set_up_that_failed_after_enrolling_uses_the_credentials_it_kept(qtbot, tmp_path, upstream):
    """The code is spent and the credentials are kept; whatever failed after, the next try needs no new code."""
    from cashier import firstrun
    from cashier.sync.client import Credentials, save_credentials

    code = terminals.create_enrollment_code(upstream.db, "3201001", "T03")
    enrolled = terminals.enroll(upstream.db, code)  # as the failed try did
    paths = Paths.resolve(tmp_path / "pc")
    save_credentials(paths.data_dir, Credentials(upstream.url, enrolled.terminal_id, enrolled.hall_code,
                                                 enrolled.token))
    wizard = _wizard(qtbot, paths)
    choices = (_fill(wizard, upstream.url, code), wizard.choices())[1]
    setup = firstrun.apply(paths, choices)
    assert setup.enrolled and json.loads((paths.data_dir / "upstream.json").read_text())["token"] == enrolled.token


@pytest.mark.parametrize("state, expected", [
    ("wrong", "注册码无效"), ("used", "注册码已被使用过"), ("expired", "注册码已过期")])
def test_the_connection_test_checks_the_code_without_using_it(qtbot, tmp_path, upstream, state, expected):
    code = terminals.create_enrollment_code(upstream.db, "3201001", "T03", valid_hours=-1 if state == "expired" else 72)
    if state == "used":
        terminals.enroll(upstream.db, code)
    wizard = _wizard(qtbot, Paths.resolve(tmp_path / "pc"))
    _fill(wizard, upstream.url, "ABCD-EFGH-JKLM" if state == "wrong" else code)
    wizard.test_connection.click()
    settle(qtbot)
    assert expected in wizard.upstream_message.text()


def test_a_valid_code_names_its_hall_and_terminal_and_stays_unused(qtbot, tmp_path, upstream):
    code = terminals.create_enrollment_code(upstream.db, "3201009", "T07")
    wizard = _wizard(qtbot, Paths.resolve(tmp_path / "pc"))
    _fill(wizard, upstream.url, code)
    wizard.test_connection.click()
    settle(qtbot)
    text = wizard.upstream_message.text()
    assert "注册码有效" in text and "3201009" in text and "T07" in text
    assert (wizard.hall_code.text(), wizard.terminal_id.text()) == ("3201009", "T07")  # what it will enroll as
    assert not _code_used(upstream, code)


def test_enter_after_the_connection_test_and_the_test_print_goes_on_not_back(qtbot, tmp_path, upstream):
    code = terminals.create_enrollment_code(upstream.db, "3201001", "T03")
    wizard = _wizard(qtbot, Paths.resolve(tmp_path / "pc"))
    _fill(wizard, upstream.url, code)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    back, cancel = wizard.button(QWizard.WizardButton.BackButton), wizard.button(QWizard.WizardButton.CancelButton)
    assert wizard.currentId() == UPSTREAM
    wizard.test_connection.setFocus()
    qtbot.keyClick(wizard.test_connection, Qt.Key.Key_Space)  # pressed from the keyboard, as a technician does
    settle(qtbot)
    assert wizard.upstream_message.text().startswith("连接成功")
    assert QApplication.focusWidget() not in (back, cancel)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == HALL
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == PRINTER
    wizard.test_print.setFocus()
    qtbot.keyClick(wizard.test_print, Qt.Key.Key_Space)
    settle(qtbot)
    assert "测试页已发送" in wizard.printer_message.text()
    assert QApplication.focusWidget() not in (back, cancel)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == PEOPLE


def test_no_demo_values_after_init_on_a_fresh_pc(qtbot, tmp_path):
    from admin.cli import main as admin

    assert admin(["--data-dir", str(tmp_path / "pc"), "init"]) == 0
    paths = Paths.resolve(tmp_path / "pc")
    assert needs_first_run(paths)  # init wrote the demo defaults and no user: not a set-up hall
    wizard = _wizard(qtbot, paths)
    for field in (wizard.hall_code, wizard.hall_name, wizard.terminal_id, wizard.terminal_name, wizard.upstream,
                  wizard.printer_uri):
        assert field.text() == "", field.objectName()
    assert wizard.hall_code.placeholderText()  # said what goes there instead


def test_qt_s_own_buttons_read_chinese(qtbot, tmp_path):
    from ui.translation import apply_language

    apply_language("zh")
    try:
        wizard = _wizard(qtbot, Paths.resolve(tmp_path / "pc"))
        texts = [wizard.button(b).text() for b in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                                                   QWizard.WizardButton.CancelButton)]
        assert "上一步" in texts[0] and "下一步" in texts[1] and texts[2] == "取消"
    finally:
        apply_language("zh")


def test_the_raster_choice_is_saved(qtbot, tmp_path):
    paths = Paths.resolve(tmp_path / "pc")
    wizard = _wizard(qtbot, paths)
    _fill(wizard)
    wizard.raster.setChecked(True)
    _next_to_end(qtbot, wizard)
    wizard.button(COMMIT).click()
    qtbot.waitUntil(lambda: wizard.currentId() == SUMMARY, timeout=15000)
    assert load_settings(paths).settings.printer.raster is True
    assert "图像模式" in wizard.summary.text()


def test_the_setup_sheet_prints_on_the_configured_printer_and_saves_as_pdf(qtbot, tmp_path):
    paper = tmp_path / "printer.bin"
    paths = Paths.resolve(tmp_path / "pc")
    wizard = _wizard(qtbot, paths)
    _fill(wizard, printer=f"file://{paper}")
    _next_to_end(qtbot, wizard)
    wizard.button(COMMIT).click()
    qtbot.waitUntil(lambda: wizard.currentId() == SUMMARY, timeout=15000)
    wizard.print_sheet.click()
    settle(qtbot)
    assert "设置单已发送" in wizard.summary_message.text()
    printed = paper.read_bytes().decode("gb18030", errors="ignore")
    for what in ("收费终端设置单", "城关供电营业厅", "3201001", "T03", "banzhang", "数据目录", "日志目录", "备份目录"):
        assert what in printed, what
    assert "Sup3r-pass" not in printed
    wizard.save_sheet.click()
    settle(qtbot)
    pdf = Path(wizard.summary_message.text().split("PDF：", 1)[1])
    assert pdf.parent == paths.data_dir / "reports" and pdf.exists()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for what in ("收费终端设置单", "城关供电营业厅", "".join(str(paths.log_dir).split()),
                 "".join(str(paths.backup_dir).split())):
        assert what in flat, what


def test_a_pc_that_lost_its_settings_keeps_its_users(qtbot, tmp_path):
    """The settings file is gone, the database is not: the wizard sets the PC up again around its users."""
    from tests.helpers.hall import make_hall

    folder = tmp_path / "pc"
    folder.mkdir()
    make_hall(folder).store.close()  # five users, one of them a supervisor
    paths = Paths.resolve(folder)
    assert needs_first_run(paths)
    wizard = _wizard(qtbot, paths)
    _fill(wizard)
    wizard.supervisor.clear()  # nothing asked for: the fields are off
    assert not wizard.supervisor.isEnabled() and "已有 5 个用户" in wizard.last_message.text()
    _next_to_end(qtbot, wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == SUMMARY, timeout=10000)
    assert not needs_first_run(paths)
    with Store.open(paths.database) as store, store.read() as s:
        assert sorted(u.username for u in s.scalars(select(User))) == ["c1", "c2", "super1", "super2", "tech1"]
    assert load_settings(paths).settings.terminal.id == "T03"
    assert "沿用本机已有的 5 个用户" in wizard.summary.text()


# --- the program's start-up (ui/app.py) ------------------------------------------------------------------------

def _start_and_see(qtbot, argv: list[str]) -> list[str]:
    """Run ``cashier`` with ``argv`` in this process; close the first window it opens; say which it was."""
    from ui.app import main

    seen: list[str] = []

    def close_first() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and type(widget).__name__ in ("FirstRunWizard", "LoginDialog"):
                seen.append(type(widget).__name__)
                widget.reject()
                return
        QTimer.singleShot(20, close_first)

    QTimer.singleShot(20, close_first)
    main(argv)
    return seen


def test_a_pc_that_init_set_up_opens_the_wizard_at_start(qtbot, tmp_path):
    """``cashier-admin init`` on a fresh PC (the README's first command), then ``cashier``: the wizard, not a login
    nobody can pass (issue 17, point 4)."""
    from admin.cli import main as admin

    folder = tmp_path / "pc"
    assert admin(["--data-dir", str(folder), "init"]) == 0
    assert (folder / "cashier.toml").exists()
    assert _start_and_see(qtbot, ["--data-dir", str(folder)]) == ["FirstRunWizard"]


def test_a_set_up_pc_starts_at_the_login(qtbot, tmp_path):
    from tests.helpers.hall import make_hall

    folder = tmp_path / "pc"
    folder.mkdir()
    make_hall(folder).store.close()
    (folder / "cashier.toml").write_text('[hall]\ncode = "3201001"\nname = "城关供电营业厅"\n', encoding="utf-8")
    assert not needs_first_run(Paths.resolve(folder))

    assert not wants_first_run(argparse.Namespace(demo=False), Paths.resolve(folder))
    assert not wants_first_run(argparse.Namespace(demo=True), Paths.resolve(tmp_path / "fresh"))  # the demo: never
    assert wants_first_run(argparse.Namespace(demo=False), Paths.resolve(tmp_path / "fresh"))


def test_setup_sheet_rows_hold_no_secret(tmp_path):
    from cashier.firstrun import SetUp
    from cashier.settings import Settings
    from receipts.setup_sheet import SetupSheet

    settings = Settings.model_validate({"hall": {"code": "H1", "name": "某营业厅"}, "upstream": {"url": "https://up"}})
    rows = dict(SetupSheet(SetUp(settings, Paths.resolve(tmp_path), "boss", 0, True), datetime(2026, 3, 1, 9, 30))
                .rows("en"))
    assert rows["Upstream"] == "https://up (enrolled)" and rows["Set up on"] == "2026-03-01 09:30"


def test_a_web_server_that_is_not_the_upstream_is_said_so(qtbot, tmp_path):
    """Found driving the wizard by hand: another program's web server on the port the technician typed."""
    import threading
    from http.server import HTTPServer, SimpleHTTPRequestHandler

    other = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        wizard = _wizard(qtbot, Paths.resolve(tmp_path / "pc"))
        _fill(wizard, f"http://127.0.0.1:{other.server_port}", "ABCD-EFGH-JKLM")
        wizard.next()
        wizard.test_connection.click()
        settle(qtbot)
        assert "不是收费上级系统（HTTP 404）" in wizard.upstream_message.text()
    finally:
        other.shutdown()
        other.server_close()


def test_a_set_up_pc_with_a_damaged_database_is_not_sent_to_the_wizard(tmp_path):
    """The start-up reports the damage (and what to do); the wizard would set up over the hall's data."""
    folder = tmp_path / "pc"
    folder.mkdir()
    (folder / "cashier.toml").write_text('[hall]\ncode = "3201001"\nname = "城关供电营业厅"\n', encoding="utf-8")
    (folder / "cashier.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert not needs_first_run(Paths.resolve(folder))
    (folder / "cashier.db").unlink()
    assert needs_first_run(Paths.resolve(folder))  # no database at all: nobody to sign in
