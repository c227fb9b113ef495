"""Shared test set-up: Qt offscreen, Chinese by default, a fresh data dir per test."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CASHIER_DATA_DIR", None)
os.environ.pop("CASHIER_LANG", None)

from cashier.i18n import set_language  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _chinese_by_default():
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "hall"


@pytest.fixture
def hall(tmp_path):
    """A hall with the standard accounts and c1's shift open (a test file may define its own ``hall``)."""
    from cashier import shifts
    from tests.helpers.hall import make_hall, standard_accounts

    h = make_hall(tmp_path)
    standard_accounts(h.store)
    shifts.open_shift(h.terminal, h.cashier, {10000: 5})
    yield h
    h.store.close()
