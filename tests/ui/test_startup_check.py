"""The start's quick check of the database: in the background, the status bar told when it is done
or what is wrong, and a damaged store takes no money."""

from pathlib import Path

from cashier.settings import Paths, Settings
from cashier.store import Store
from receipts.builders import Hall
from receipts.printing import Printer
from tests.helpers.hall import make_hall, standard_accounts
from tests.ui.conftest import settle
from ui.context import AppContext
from ui.status import StatusBar, check_store_in_background


def _damage_middle(database: Path) -> None:
    data = bytearray(database.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    for offset in range(middle, middle + 3 * 4096):
        data[offset] = 0x5A
    database.write_bytes(bytes(data))


def _context(tmp_path: Path, store: Store, terminal) -> AppContext:
    settings = Settings()
    return AppContext(Paths.resolve(tmp_path), settings, store, terminal,
                      Printer(settings.printer, tmp_path / "previews"), Hall(settings.hall.name, "T01", "1号窗口"))


def test_the_status_bar_says_when_the_start_check_is_done(qtbot, ctx):
    bar = StatusBar(ctx)
    qtbot.addWidget(bar)
    assert bar.currentMessage() == "正在检查数据库…"
    check_store_in_background(ctx, bar)
    settle(qtbot)
    assert bar.currentMessage() == "数据库检查完成"
    assert bar.integrity.isHidden()


def test_the_status_bar_names_a_damaged_database_and_what_to_do(qtbot, tmp_path):
    hall = make_hall(tmp_path)
    standard_accounts(hall.store)
    for n in range(300):  # enough pages that the middle of the file is b-tree pages
        from tests.helpers.hall import add_account

        add_account(hall.store, f"32010{n:05d}", name=f"客户{n}", address=f"南湖镇{n}号")
    hall.store.close()
    _damage_middle(tmp_path / "cashier.db")
    store = Store.open(tmp_path / "cashier.db")
    hall.terminal.store = store
    context = _context(tmp_path, store, hall.terminal)
    try:
        bar = StatusBar(context)
        qtbot.addWidget(bar)
        check_store_in_background(context, bar)
        settle(qtbot)
        assert bar.integrity.isVisibleTo(bar) and bar.integrity.text() == "数据库已损坏，暂停收费"
        assert "cashier-admin restore" in bar.currentMessage() and "cashier-admin restore" in bar.integrity.toolTip()
        assert store.damaged
    finally:
        store.close()
