"""Settings are the technician's: a cashier's credentials save nothing, bad values are named,
a technician's save writes the file and the audit log."""

from PySide6.QtCore import Qt

from cashier.settings import load_settings
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.settings_dialog import SettingsDialog


def test_only_a_technician_saves_settings(qtbot, with_shift):
    ctx = with_shift
    dialog = SettingsDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.printer_uri.setText("lpt1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "printer.uri" in dialog.message.text()
    dialog.printer_uri.setText("tcp://127.0.0.1:9100")
    dialog.printer_width.setCurrentText("58")
    dialog.username.setText("c1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "无权" in dialog.message.text() and not ctx.paths.config_file.exists()
    dialog.username.setText("tech1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    saved = load_settings(ctx.paths).settings
    assert (saved.printer.uri, saved.printer.width) == ("tcp://127.0.0.1:9100", 58)
    assert dialog.changes["printer.width"] == (80, 58) and ctx.printer.settings.width == 58


def test_an_enrolled_terminal_keeps_its_terminal_id(qtbot, with_shift):
    from cashier.sync.client import Credentials, save_credentials

    ctx = with_shift
    save_credentials(ctx.paths.data_dir, Credentials("http://127.0.0.1:1", "T01", ctx.settings.hall.code, "tok"))
    dialog = SettingsDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.terminal_id.setText("T09")
    dialog.username.setText("tech1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "重新注册" in dialog.message.text() and "T01" in dialog.message.text()
    assert not ctx.paths.config_file.exists()
    dialog.terminal_id.setText("T01")
    dialog.printer_width.setCurrentText("58")
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert load_settings(ctx.paths).settings.printer.width == 58


def test_a_plain_http_upstream_on_another_machine_is_not_saved(qtbot, with_shift):
    ctx = with_shift
    dialog = SettingsDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.upstream.setText("http://192.0.2.10:8740")
    dialog.username.setText("tech1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "allow_plain_http" in dialog.message.text() and not ctx.paths.config_file.exists()
    dialog.upstream.setText("https://192.0.2.10:8740")  # the password typed is still there
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert load_settings(ctx.paths).settings.upstream.url == "https://192.0.2.10:8740"
