"""Large print (大字模式): ``[ui] scale_percent`` draws the whole program larger through Qt's own
QT_SCALE_FACTOR, set by ``cashier`` before its QApplication exists; a QT_SCALE_FACTOR the user set
wins; the technician's settings dialog offers the steps and saves the choice for the next start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from cashier.settings import SCALE_PERCENTS, Settings, load_settings
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.settings_dialog import SettingsDialog
from ui.translation import scale_factor_for

ROOT = Path(__file__).resolve().parents[2]


def scaled(percent: int) -> Settings:
    settings = Settings()
    settings.ui.scale_percent = percent
    return settings


@pytest.mark.parametrize("percent, environ, factor", [
    (100, {}, None),  # the default leaves Qt alone
    (125, {}, "1.25"),
    (150, {}, "1.5"),
    (175, {}, "1.75"),
    (200, {}, "2"),
    (150, {"QT_SCALE_FACTOR": "1.25"}, None),  # the user's own factor wins
    (150, {"QT_SCALE_FACTOR": ""}, "1.5"),  # an empty variable is no choice
])
def test_scale_factor_follows_the_setting_unless_the_user_set_one(percent, environ, factor):
    assert scale_factor_for(scaled(percent), environ) == factor


_RUN_MAIN = """
import os, sys
from ui.app import main
code = main(["--data-dir", sys.argv[1], "--smoke-test"])
from PySide6.QtGui import QGuiApplication
print("scale", code, os.environ.get("QT_SCALE_FACTOR"), QGuiApplication.instance().devicePixelRatio())
"""


@pytest.mark.parametrize("preset, expected", [(None, "scale 0 1.5 1.5"), ("1.25", "scale 0 1.25 1.25")])
def test_cashier_starts_at_the_configured_scale(tmp_path, preset, expected):
    """``cashier`` itself (its smoke test: login window and store opened) draws at 150 % from the file."""
    (tmp_path / "cashier.toml").write_text("[ui]\nscale_percent = 150\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_SCALE_FACTOR", "CASHIER_DATA_DIR")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if preset:
        env["QT_SCALE_FACTOR"] = preset
    run = subprocess.run([sys.executable, "-c", _RUN_MAIN, str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == expected


def test_the_technician_chooses_large_print_for_the_next_start(qtbot, with_shift):
    ctx = with_shift
    dialog = SettingsDialog(None, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.scale.itemData(i) for i in range(dialog.scale.count())] == list(SCALE_PERCENTS)
    assert dialog.scale.currentData() == 100
    from PySide6.QtWidgets import QGroupBox

    label = dialog.findChild(QGroupBox, "technician_settings").layout().labelForField(dialog.scale)
    assert "下次启动生效" in label.text()  # the scale is read at start: the dialog says so
    dialog.scale.setCurrentIndex(SCALE_PERCENTS.index(150))
    dialog.username.setText("tech1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert load_settings(ctx.paths).settings.ui.scale_percent == 150
    assert dialog.changes["ui.scale_percent"] == (100, 150)
    again = SettingsDialog(None, ctx)
    qtbot.addWidget(again)
    assert again.scale.currentData() == 150
