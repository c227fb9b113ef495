"""Real widgets, offscreen, on a real store; any Qt warning fails the test."""

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from cashier import shifts
from cashier.settings import Paths, Settings
from receipts.builders import Hall
from receipts.printing import Printer
from tests.helpers.hall import make_hall, standard_accounts
from ui.context import AppContext
from ui.ops import Op

_warnings: list[str] = []
# The offscreen platform itself says this for every top-level window: noise, not our bug.
_PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)


@pytest.fixture(autouse=True)
def qt_warnings_fail():
    def handler(kind, _context, message):
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) and \
                message not in _PLATFORM_NOISE:
            _warnings.append(message)

    previous = qInstallMessageHandler(handler)
    _warnings.clear()
    yield
    qInstallMessageHandler(previous)
    assert _warnings == []


@pytest.fixture
def ctx(tmp_path):
    hall = make_hall(tmp_path)
    standard_accounts(hall.store)
    settings = Settings()
    paths = Paths.resolve(tmp_path)
    context = AppContext(paths, settings, hall.store, hall.terminal,
                         Printer(settings.printer, tmp_path / "previews"), Hall(settings.hall.name, "T01", "1号窗口"))
    context.hall_fixture = hall
    yield context
    hall.store.close()


@pytest.fixture
def with_shift(ctx):
    ctx.actor = ctx.hall_fixture.cashier
    shifts.open_shift(ctx.terminal, ctx.actor, {10000: 5})
    return ctx


def settle(qtbot):
    """Wait for every background op to hand its result to the GUI thread."""
    qtbot.waitUntil(lambda: Op.running == 0, timeout=10000)
