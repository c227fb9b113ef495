"""Passwords and staff accounts at the counter: the wizard's supervisor signs in through the forced
change, anyone changes their own password with Ctrl+Shift+P, a supervisor adds and manages cashiers
(only cashiers) in the workspace's 人员 tab, a technician's workspace manages everyone, and a
supervisor may change the printer, the upstream and the language in the settings — a cashier may not."""

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from cashier import auth
from cashier.errors import DomainError
from cashier.firstrun import FirstRunChoices, apply
from cashier.settings import Paths, load_settings
from cashier.store import Store
from cashier.store.models import AuditEntry
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.context import AppContext
from ui.counter import CounterWindow
from ui.login import LoginDialog
from ui.session import SessionController
from ui.translation import apply_language


def _enter(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    settle(qtbot)


def _active(qtbot, window) -> None:
    """As the window manager does when a window is shown or a dialog over it closes: it has the keyboard."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def _new_password(qtbot, login: LoginDialog, first: str, second: str) -> None:
    """Typed as a person types: the new one, Enter, the same again, Enter."""
    _enter(qtbot, login.new_password.new, first)
    assert login.new_password.again.hasFocus()
    _enter(qtbot, login.new_password.again, second)


@pytest.fixture
def wizard_hall(tmp_path):
    """A PC just set up by the first-run wizard: settings, a database, one supervisor who must change the password."""
    paths = Paths.resolve(tmp_path / "pc")
    apply(paths, FirstRunChoices(hall_code="3201001", hall_name="城关供电营业厅", terminal_id="T03",
                                 terminal_name="3号窗口", printer_uri="preview://", printer_width=80, language="zh",
                                 supervisor_username="banzhang", supervisor_name="陈静",
                                 supervisor_password="Sup3r-pass"))
    store = Store.open(paths.database)
    ctx = AppContext.open(paths, load_settings(paths).settings, store)
    yield ctx
    store.close()


def test_the_wizard_supervisor_changes_the_password_at_sign_in_and_reaches_the_counter(qtbot, wizard_hall):
    ctx = wizard_hall
    login = LoginDialog(ctx)
    qtbot.addWidget(login)
    session = SessionController(login, quit=lambda: None)
    session.start()
    login.username.setText("banzhang")
    _enter(qtbot, login.password, "Sup3r-pass")
    assert login.isVisible() and login.pages.currentIndex() == 1 and ctx.actor is None
    assert login.new_password.rules.text() == "新密码至少 6 位，不能与旧密码相同"
    assert "陈静" in login.change_title.text() and login.new_password.new.hasFocus()

    _new_password(qtbot, login, "Ban-zhang-1", "Ban-zhang-2")
    assert login.message.text() == "两次输入的新密码不一致" and login.new_password.new.hasFocus()
    _new_password(qtbot, login, "abc", "abc")
    assert login.message.text() == "密码至少需要 6 位"
    _new_password(qtbot, login, "Sup3r-pass", "Sup3r-pass")
    assert login.message.text() == "新密码不能与旧密码相同"
    assert login.isVisible() and session.window is None and ctx.actor is None

    login.new_password.new.clear()
    qtbot.keyClicks(login.new_password.new, "Ban-zhang-2026")
    qtbot.keyClick(login.new_password.new, Qt.Key.Key_Return)
    qtbot.keyClicks(login.new_password.again, "Ban-zhang-2026")
    with qtbot.waitSignal(login.signed_in, timeout=10000):
        qtbot.keyClick(login.new_password.again, Qt.Key.Key_Return)
    settle(qtbot)
    try:
        assert isinstance(session.window, CounterWindow) and session.window.isVisible() and not login.isVisible()
        assert ctx.actor.username == "banzhang" and not ctx.actor.must_change_password
        auth.require(ctx.actor, "report.view")  # a supervisor at work
        with pytest.raises(DomainError):
            auth.login(ctx.terminal, "banzhang", "Sup3r-pass")
        assert not auth.login(ctx.terminal, "banzhang", "Ban-zhang-2026").must_change_password
        with ctx.store.read() as s:
            assert "password.change" in s.scalars(select(AuditEntry.action)).all()
    finally:
        session.sign_out()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def test_esc_while_choosing_a_new_password_goes_back_to_the_sign_in(qtbot, wizard_hall):
    login = LoginDialog(wizard_hall)
    qtbot.addWidget(login)
    login.show()
    login.username.setText("banzhang")
    _enter(qtbot, login.password, "Sup3r-pass")
    assert login.pages.currentIndex() == 1
    with qtbot.assertNotEmitted(login.rejected):
        qtbot.keyClick(login.new_password.new, Qt.Key.Key_Escape)
    assert login.isVisible() and login.pages.currentIndex() == 0 and login.username.text() == "banzhang"
    assert login.password.text() == ""


def test_a_cashier_changes_their_own_password_with_ctrl_shift_p(qtbot, with_shift):
    ctx = with_shift
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    _active(qtbot, window)
    qtbot.keyClick(window.search_box, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.password_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(dialog.old.hasFocus, timeout=5000)  # typing goes to the old password first
    assert dialog.fields.rules.text() == "新密码至少 6 位，不能与旧密码相同"
    _enter(qtbot, dialog.old, "wrong")
    _enter(qtbot, dialog.fields.new, "Li-na-2026")
    _enter(qtbot, dialog.fields.again, "Li-na-2026")
    assert dialog.message.text() == "用户名或密码错误，还可尝试 2 次" and dialog.old.hasFocus()
    assert dialog.fields.again.text() == "Li-na-2026"  # kept: only the old password is typed again
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        _enter(qtbot, dialog.old, PASSWORD)
    settle(qtbot)
    assert window.message.text() == "密码已修改"
    with pytest.raises(DomainError):
        auth.login(ctx.terminal, "c1", PASSWORD)
    assert auth.login(ctx.terminal, "c1", "Li-na-2026").username == "c1"


def _workspace(qtbot, ctx, actor):
    from ui.supervisor import SupervisorWindow

    ctx.actor = actor
    window = SupervisorWindow(ctx)
    qtbot.addWidget(window)
    _active(qtbot, window)
    settle(qtbot)
    return window


def _users_tab(qtbot, window, key=Qt.Key.Key_6):
    qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
    settle(qtbot)
    tab = window.users
    assert window.tabs.currentWidget() is tab and tab.people
    return tab


def _choose(tab, username: str) -> None:
    tab.list.selectRow([p.username for p in tab.people].index(username))
    tab.list.setFocus()


def test_a_supervisor_adds_a_cashier_who_signs_in_with_the_shown_password_and_must_change_it(qtbot, ctx):
    window = _workspace(qtbot, ctx, ctx.hall_fixture.supervisor)
    tab = _users_tab(qtbot, window)
    assert [tab.role.itemData(i) for i in range(tab.role.count())] == ["cashier"]
    qtbot.keyClick(tab.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.username.hasFocus()
    qtbot.keyClicks(tab.username, "c9")
    qtbot.keyClick(tab.username, Qt.Key.Key_Return)
    assert tab.display_name.hasFocus()
    tab.display_name.insert("周敏")  # keyClicks types Latin-1 only
    qtbot.keyClick(tab.display_name, Qt.Key.Key_Return)
    settle(qtbot)
    shown = tab.shown
    assert shown is not None and shown.isVisible(), tab.message.text()
    password = shown.password.text()
    assert len(password) == 10
    with qtbot.waitSignal(shown.finished, timeout=5000):
        qtbot.keyClick(shown, Qt.Key.Key_Return)
    settle(qtbot)
    assert "c9" in [p.username for p in tab.people] and tab.current().username == "c9"
    assert tab.current().state == "must_change"
    with ctx.store.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.add")).one()
        assert entry.subject == "c9" and entry.user_id == ctx.hall_fixture.supervisor.user_id
        assert password not in entry.detail

    ctx.actor = None
    login = LoginDialog(ctx)
    qtbot.addWidget(login)
    login.show()
    login.username.setText("c9")
    _enter(qtbot, login.password, password)
    assert login.pages.currentIndex() == 1 and "周敏" in login.change_title.text()
    _new_password(qtbot, login, "Zhou-min-1", "Zhou-min-1")
    assert ctx.actor.username == "c9" and not ctx.actor.must_change_password


def test_a_supervisor_cannot_manage_supervisors_or_technicians(qtbot, ctx):
    window = _workspace(qtbot, ctx, ctx.hall_fixture.supervisor)
    tab = _users_tab(qtbot, window)
    for username in ("super2", "tech1"):
        for key in (Qt.Key.Key_R, Qt.Key.Key_K, Qt.Key.Key_D):
            _choose(tab, username)
            qtbot.keyClick(tab.list, key, Qt.KeyboardModifier.ControlModifier)
            settle(qtbot)
            assert tab.shown is None
            assert "只能管理收费员账号" in tab.message.text() and "需要技术人员管理" in tab.message.text()
    with ctx.store.read() as s:
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action.like("user.%"))).all()


def test_a_supervisor_resets_and_deactivates_a_cashier_each_confirmed_and_audited(qtbot, ctx):
    window = _workspace(qtbot, ctx, ctx.hall_fixture.supervisor)
    tab = _users_tab(qtbot, window)
    _choose(tab, "c1")
    qtbot.keyClick(tab.list, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    confirm = tab.shown
    assert confirm.isVisible() and "李娜" in confirm.text.text()
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    settle(qtbot)
    shown = tab.shown
    password = shown.password.text()
    qtbot.keyClick(shown, Qt.Key.Key_Return)
    settle(qtbot)
    assert auth.login(ctx.terminal, "c1", password).must_change_password
    _active(qtbot, window)
    _choose(tab, "c2")
    qtbot.keyClick(tab.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab.shown, Qt.Key.Key_Escape)  # Esc goes back: nothing happens
    settle(qtbot)
    assert [p.state for p in tab.people if p.username == "c2"] == ["active"]
    _active(qtbot, window)
    qtbot.keyClick(tab.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab.shown, Qt.Key.Key_Return)
    settle(qtbot)
    assert [p.state for p in tab.people if p.username == "c2"] == ["inactive"]
    assert "已停用 c2" in tab.message.text()
    with ctx.store.read() as s:
        done = s.execute(select(AuditEntry.action, AuditEntry.subject).where(AuditEntry.action.like("user.%"))).all()
    assert [tuple(r) for r in done] == [("user.reset_password", "c1"), ("user.deactivate", "c2")]


def test_a_technician_opens_the_staff_tab_from_the_counter_and_manages_supervisors(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.technician
    counter = CounterWindow(ctx)
    qtbot.addWidget(counter)
    _active(qtbot, counter)
    qtbot.keyClick(counter.search_box, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    window = counter.supervisor_window
    qtbot.addWidget(window)
    _active(qtbot, window)
    settle(qtbot)
    assert window.tabs.count() == 1 and window.tabs.currentWidget() is window.users
    tab = _users_tab(qtbot, window, Qt.Key.Key_1)
    assert [tab.role.itemData(i) for i in range(tab.role.count())] == ["cashier", "supervisor", "technician"]
    _choose(tab, "super2")
    qtbot.keyClick(tab.list, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(tab.shown, Qt.Key.Key_Return)
    settle(qtbot)
    password = tab.shown.password.text()
    assert auth.login(ctx.terminal, "super2", password).must_change_password
    qtbot.keyClick(tab.shown, Qt.Key.Key_Return)
    _active(qtbot, window)
    _choose(tab, "tech1")
    qtbot.keyClick(tab.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "不能在这里重置或停用自己的账号" in tab.message.text()
    # Adding with a choice of roles: Enter in 姓名 goes to 角色 (a habitual Enter never makes a cashier of a
    # supervisor); the role is chosen there and Enter adds.
    _active(qtbot, window)
    qtbot.keyClick(tab.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab.username, "s7")
    qtbot.keyClick(tab.username, Qt.Key.Key_Return)
    tab.display_name.insert("赵班长")
    qtbot.keyClick(tab.display_name, Qt.Key.Key_Return)
    settle(qtbot)
    assert tab.role.hasFocus() and "s7" not in [p.username for p in tab.people]
    tab.role.setCurrentIndex(tab.role.findData("supervisor"))
    qtbot.keyClick(tab.role, Qt.Key.Key_Return)
    settle(qtbot)
    assert tab.shown is not None and tab.shown.isVisible(), tab.message.text()
    qtbot.keyClick(tab.shown, Qt.Key.Key_Return)
    settle(qtbot)
    assert {p.username: p.role.value for p in tab.people}["s7"] == "supervisor"


def _settings(qtbot, ctx):
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _save(qtbot, dialog, username: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)


def test_a_supervisor_changes_the_printer_and_the_language_but_not_the_hall(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.supervisor
    dialog = _settings(qtbot, ctx)
    assert dialog.username.text() == "super1"
    dialog.hall_name.setText("别的营业厅")
    dialog.printer_uri.setText("tcp://127.0.0.1:9100")
    _save(qtbot, dialog, "super1")
    assert "需要技术人员" in dialog.message.text() and "hall.name" in dialog.message.text()
    assert not ctx.paths.config_file.exists()
    dialog.hall_name.setText(ctx.settings.hall.name)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    try:
        with qtbot.waitSignal(dialog.accepted, timeout=10000):
            _save(qtbot, dialog, "super1")
        settle(qtbot)
    finally:
        apply_language("zh")
    saved = load_settings(ctx.paths).settings
    assert (saved.printer.uri, saved.ui.language) == ("tcp://127.0.0.1:9100", "en")
    assert dialog.changes == {"printer.uri": ("preview://", "tcp://127.0.0.1:9100"), "ui.language": ("zh", "en")}
    assert ctx.printer.settings.uri == "tcp://127.0.0.1:9100"
    with ctx.store.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "settings.change")).one()
        assert entry.user_id == ctx.hall_fixture.supervisor.user_id and "printer.uri" in entry.detail


def test_a_cashier_cannot_change_the_printer(qtbot, with_shift):
    ctx = with_shift
    dialog = _settings(qtbot, ctx)
    dialog.printer_uri.setText("tcp://127.0.0.1:9100")
    _save(qtbot, dialog, "c1")
    assert dialog.message.text() == "李娜 无权更改打印机、上级系统地址或界面语言：需要班长或技术人员登录"
    assert dialog.isVisible() and not ctx.paths.config_file.exists()


def test_the_settings_keyboard_walks_the_screen_and_enter_without_a_password_spends_no_attempt(qtbot, ctx):
    ctx.actor = ctx.hall_fixture.supervisor
    dialog = _settings(qtbot, ctx)
    _active(qtbot, dialog)
    assert dialog.printer_uri.hasFocus()
    dialog.printer_uri.setText("tcp://127.0.0.1:9100")
    qtbot.keyClick(dialog.printer_uri, Qt.Key.Key_Return)
    settle(qtbot)
    assert dialog.password.hasFocus() and dialog.message.text() == ""  # no "wrong password, 4 tries left"
    with ctx.store.read() as s:
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action.like("settings.%"))).all()
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action.like("login%"))).all()
    seen = [dialog.printer_uri]
    dialog.printer_uri.setFocus()
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    # the supervisor's group first (address, width, raster, upstream, language), then the technician's
    assert seen[1:] == [dialog.printer_width, dialog.printer_raster, dialog.upstream, dialog.language, dialog.hall_code]
