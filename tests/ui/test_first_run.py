"""The technician's first-run wizard: nothing half-configured, enrollment, the first supervisor."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from cashier.firstrun import needs_first_run
from cashier.settings import Paths, load_settings
from cashier.store import Store
from cashier.store.models import User
from tests.ui.conftest import settle
from ui.first_run import FirstRunWizard
from upstream import server, terminals
from upstream.db import Database


def _fill(wizard: FirstRunWizard, url: str = "", code: str = "", password2: str = "Sup3r-pass") -> None:
    wizard.hall_code.setText("3201001")
    wizard.hall_name.setText("城关供电营业厅")
    wizard.terminal_id.setText("T03")
    wizard.terminal_name.setText("3号窗口")
    wizard.upstream.setText(url)
    wizard.code.setText(code)
    wizard.printer_uri.setText("preview://")
    wizard.supervisor.setText("banzhang")
    wizard.supervisor_name.insert("陈静")
    wizard.password.setText("Sup3r-pass")
    wizard.password2.setText(password2)


def _next_to_end(qtbot, wizard: FirstRunWizard) -> None:
    for _ in range(3):
        wizard.next()
        settle(qtbot)


def test_cancelled_wizard_writes_nothing(qtbot, tmp_path):
    paths = Paths.resolve(tmp_path / "pc")
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill(wizard)
    wizard.next()
    wizard.next()
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
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill(wizard, password2="other")
    wizard.terminal_id.setText("窗口 1")
    wizard.next()
    assert wizard.currentId() == 0 and "terminal.id" in wizard.hall_message.text()
    wizard.terminal_id.setText("T03")
    _next_to_end(qtbot, wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    settle(qtbot)
    assert "两次输入的密码不一致" in wizard.last_message.text()
    assert needs_first_run(paths)


def test_complete_set_up_with_enrollment_and_a_test_print(qtbot, tmp_path):
    db = Database(str(tmp_path / "up.db"))
    up = server.start(db)
    try:
        code = terminals.create_enrollment_code(db, "3201001", "T03")
        paths = Paths.resolve(tmp_path / "pc")
        wizard = FirstRunWizard(paths)
        qtbot.addWidget(wizard)
        wizard.show()
        _fill(wizard, up.url, code)
        wizard.next()
        wizard.test_connection.click()
        settle(qtbot)
        assert wizard.upstream_message.text().startswith("连接成功")
        wizard.next()
        wizard.test_print.click()
        settle(qtbot)
        assert "测试页已发送" in wizard.printer_message.text()
        wizard.next()
        with qtbot.waitSignal(wizard.accepted, timeout=15000):
            wizard.button(QWizard.WizardButton.FinishButton).click()
        settle(qtbot)
        assert not needs_first_run(paths)
        settings = load_settings(paths).settings
        assert (settings.hall.code, settings.terminal.id, settings.upstream.url) == ("3201001", "T03", up.url)
        assert json.loads((paths.data_dir / "upstream.json").read_text())["terminal_id"] == "T03"
        with Store.open(paths.database) as store, store.read() as s:
            user = s.scalar(select(User))
            assert (user.username, user.display_name, user.role, user.must_change_password) == \
                ("banzhang", "陈静", "supervisor", True)
    finally:
        up.stop()


def test_a_pc_that_lost_its_settings_keeps_its_users(qtbot, tmp_path):
    """The settings file is gone, the database is not: the wizard sets the PC up again around its users."""
    from tests.helpers.hall import make_hall

    folder = tmp_path / "pc"
    folder.mkdir()
    make_hall(folder).store.close()  # five users, one of them a supervisor
    paths = Paths.resolve(folder)
    assert needs_first_run(paths)
    wizard = FirstRunWizard(paths)
    qtbot.addWidget(wizard)
    wizard.show()
    settle(qtbot)
    _fill(wizard)
    wizard.supervisor.clear()  # nothing asked for: the fields are off
    assert not wizard.supervisor.isEnabled() and "已有 5 个用户" in wizard.last_message.text()
    with qtbot.waitSignal(wizard.accepted, timeout=10000):
        _next_to_end(qtbot, wizard)
        wizard.next()
        settle(qtbot)
    assert not needs_first_run(paths)
    with Store.open(paths.database) as store, store.read() as s:
        assert sorted(u.username for u in s.scalars(select(User))) == ["c1", "c2", "super1", "super2", "tech1"]
    assert load_settings(paths).settings.terminal.id == "T03"
