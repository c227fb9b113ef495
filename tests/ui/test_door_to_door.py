"""Door-to-door collection (走收): a collector's laptop, offline for days, cash only, its assigned
special-group and elderly customers; back at the hall its payments sync exactly once."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from cashier import shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, take_payment
from cashier.settings import PrinterSettings
from cashier.store.models import OutboxEntry, Payment
from receipts.printing import Printer
from tests.helpers.db import snapshot
from tests.helpers.hall import add_account
from tests.helpers.upstream import enroll_with_local_upstream, start_for
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from upstream.models import Alarm, Document

COLLECTOR = "刘建国"


@pytest.fixture
def laptop(ctx, tmp_path):
    """A laptop enrolled at the hall and synced once before leaving; then the network is gone."""
    store = ctx.store
    add_account(store, "3101000011", name="孙秀兰", special_group="elderly_alone", collector=COLLECTOR,
                station="城关供电所", transformer_area="幸福村1号台区",
                bills=[("202601", 12345, date(2026, 2, 25))])
    add_account(store, "3101000012", name="周大山", special_group="dibao", collector=COLLECTOR,
                station="城关供电所", transformer_area="幸福村2号台区",
                bills=[("202512", 8000, date(2026, 1, 25)), ("202601", 7000, date(2026, 2, 25))])
    add_account(store, "3101000013", name="吴平", special_group="disabled", collector=COLLECTOR, station="城关供电所")
    add_account(store, "3101000014", name="郑强", collector=COLLECTOR, bills=[("202601", 5000, date(2026, 2, 25))])
    add_account(store, "3101000015", name="冯梅", special_group="elderly_alone", collector="别人",
                bills=[("202601", 5000, date(2026, 2, 25))])
    db, up = enroll_with_local_upstream(ctx, tmp_path)
    # Switched to door-to-door for 刘建国, receipts saved as PDF (no printer in the bag).
    ctx.terminal.door_to_door = COLLECTOR
    ctx.terminal.exposure = ctx.settings.sync
    receipts = tmp_path / "receipts"
    ctx.printer = Printer(PrinterSettings(uri=f"pdf://{receipts}"), tmp_path / "previews")
    port = int(up.url.rsplit(":", 1)[1])
    up.stop()
    ctx.hall_fixture.clock.advance(days=4)  # four days out: past the 72-hour cap, which 走收 does not have
    ctx.actor = ctx.hall_fixture.cashier
    shifts.open_shift(ctx.terminal, ctx.actor, {1000: 10})
    yield ctx, db, port, receipts
    ctx.syncer.client.close()
    db.dispose()


def _pay(qtbot, window, number: str, cash: str) -> None:
    qtbot.keyClicks(window.search_box, number)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.quote is not None and window.quote.account_no == number, window.message.text()
    window.tendered.insert(cash)
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)


def test_door_to_door_offline_cash_receipts_then_exactly_once_at_the_hall(qtbot, laptop):
    ctx, db, port, receipts = laptop
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    assert "走收" in window.windowTitle() and COLLECTOR in window.windowTitle()
    # The list: only the assigned special-group customers, owing first.
    listed = [window.results.item(r, 0).text() for r in range(window.results.rowCount())]
    assert listed == ["3101000011", "3101000012", "3101000013"]
    assert window.results.item(0, 1).text() == "孙秀兰【独居老人】"
    assert window.tender_kind.count() == 1 and window.tender_kind.currentData() == "cash"
    assert window.offline_banner.isVisible() and "走收模式" in window.offline_banner.text()

    # Someone not on the list is turned away, with the reason.
    qtbot.keyClicks(window.search_box, "3101000014")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.quote is None and "走收客户清单" in window.search_message.text()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    settle(qtbot)

    _pay(qtbot, window, "3101000011", "200")
    assert "收费成功" in window.message.text(), window.message.text()
    settle(qtbot)
    pdf = window.last_saved_receipt
    assert pdf.parent == receipts and pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "3101000011" in text and "现金" in text
    assert "PDF" in window.status.printer.text()
    _pay(qtbot, window, "3101000012", "160")
    assert "收费成功" in window.message.text(), window.message.text()

    # The core says the same to anything that is not the screen: cash only, the list only.
    before = snapshot(ctx.store.path)
    with pytest.raises(DomainError) as card:
        take_payment(ctx.terminal, ctx.actor, "3101000013", 1000, [TenderLine("bank_card", 1000, "R1")])
    with pytest.raises(DomainError) as other:
        take_payment(ctx.terminal, ctx.actor, "3101000015", 1000, [TenderLine("cash", 1000)])
    assert (card.value.key, other.value.key) == ("door.cash_only", "door.not_assigned")
    assert snapshot(ctx.store.path) == before

    with ctx.store.read() as s:
        local = s.execute(select(func.count(), func.sum(Payment.applied_fen + Payment.prepaid_credit_fen))).one()
        expected = shifts.expected_cash(s, shifts.open_shift_of(s, ctx.terminal))
    shifts.close_shift(ctx.terminal, ctx.actor, {1000: expected // 1000, 1: expected % 1000})
    window.status.refresh()
    settle(qtbot)
    assert "待上传 3 笔" in window.offline_banner.text()  # two payments and the shift close

    # Ctrl+U while still away: a clear message, nothing lost.
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert "无法连接上级系统" in window.message.text(), window.message.text()

    # Back at the hall: the same upstream answers again; Ctrl+U twice, the payments arrive once.
    up = start_for(ctx, db, port=port)
    try:
        for _ in range(2):
            qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
            settle(qtbot)
        ctx.syncer.run_once()
    finally:
        up.stop()
    window.status.refresh()
    settle(qtbot)
    assert "待上传 0 笔" in window.offline_banner.text()
    with ctx.store.read() as s:
        assert set(s.scalars(select(OutboxEntry.status))) == {"accepted"}
    with db.sessions() as s:
        up_count, up_sum = s.execute(select(func.count(), func.sum(Document.amount_fen))
                                     .where(Document.kind == "payment", Document.terminal_id == "T01")).one()
        closes = s.scalar(select(func.count()).select_from(Document).where(Document.kind == "shift_close"))
        alarms = s.scalar(select(func.count()).select_from(Alarm).where(Alarm.cleared_at.is_(None)))
    assert (up_count, up_sum) == tuple(local) and up_count == 2
    assert (closes, alarms) == (1, 0)  # the shift's totals agree with the payments the upstream holds
