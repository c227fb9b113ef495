"""The sign-in dialog: tries left before the lock, a lockout message that stays readable, and an
Enter pressed while the store is still opening that signs in once it is open."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.login import LoginDialog


def _type_and_enter(qtbot, dialog, username, password):
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)


def test_enter_while_the_store_opens_signs_in_once_it_is_open(qtbot, ctx):
    dialog = LoginDialog(hall_name="营业厅", terminal="1号窗口 T01")  # the store still opening
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "c1")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.text() == "正在打开数据库…"
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signal:
        dialog.set_context(ctx)  # the background open finished
    settle(qtbot)
    assert signal.args[0].username == "c1" and ctx.actor.username == "c1"
    assert not dialog.isVisible()


def test_each_wrong_password_says_the_tries_left_the_same_for_an_unknown_name(qtbot, ctx):
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_and_enter(qtbot, dialog, "c1", "wrong")
    assert dialog.message.text() == "用户名或密码错误，还可尝试 2 次" and dialog.isVisible()
    _type_and_enter(qtbot, dialog, "nobody", "wrong")
    assert dialog.message.text() == "用户名或密码错误，还可尝试 2 次"


def test_the_lockout_message_wraps_in_its_own_row_above_the_demo_users(qtbot, ctx):
    """As at start-up: the dialog sized while the store opens, the two-line lockout message later."""
    demo_users = [("cashier1", "李娜", "1234"), ("cashier2", "王强", "1234"), ("super1", "陈静", "1234"),
                  ("tech1", "刘伟", "1234")]
    dialog = LoginDialog(hall_name="演示供电营业厅", terminal="1号窗口  T01", demo_users=demo_users)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(50)
    dialog.set_context(ctx)
    for _ in range(3):
        _type_and_enter(qtbot, dialog, "c1", "wrong")
    assert "账号已锁定至 2026-03-02 10:15" in dialog.message.text()
    qtbot.wait(50)  # the layout settles
    demo = dialog.findChild(QLabel, "demo_users")
    message = dialog.message.geometry()
    assert message.height() >= dialog.message.heightForWidth(message.width())  # every wrapped line shown
    assert message.bottom() < dialog.button.geometry().top()
    assert dialog.button.geometry().bottom() < demo.geometry().top()
    assert demo.height() >= demo.sizeHint().height()  # the dialog grew: the demo users are whole
    assert demo.geometry().bottom() <= dialog.height()
