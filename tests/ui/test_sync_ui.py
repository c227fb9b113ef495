"""The counter with an upstream: the dues check, the pending count, the offline banner."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from cashier.store.models import OutboxEntry
from tests.helpers.upstream import enroll_with_local_upstream
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from upstream import accounts


@pytest.fixture
def online(with_shift, tmp_path):
    ctx = with_shift
    _db, up = enroll_with_local_upstream(ctx, tmp_path)
    yield ctx, up
    ctx.syncer.client.close()
    if up.thread.is_alive():
        up.stop()


def _open(qtbot, window, number: str) -> None:
    qtbot.keyClicks(window.search_box, number)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)


def test_dues_are_checked_with_the_upstream_before_paying(qtbot, online):
    ctx, up = online
    # The customer paid ￥100 of it through 95598 this morning: the counter must see it.
    accounts.pay_other_channel(up.db, "3101000001", 10000, "95598", date(2026, 3, 2))
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    assert "在线 · 待上传 0 笔" in window.status.online.text()
    _open(qtbot, window, "3101000001")
    assert window.data_source.text() == "✔ 已与上级系统核对应缴金额"
    assert window.due_label.text().endswith("￥192.54")  # 292.54 before the 95598 payment
    window.tendered.insert("200")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功 ￥192.54" in window.message.text()
    window.status.refresh()
    settle(qtbot)
    assert "待上传 1 笔" in window.status.online.text()
    ctx.syncer.run_once()
    window.status.refresh()
    settle(qtbot)
    assert "在线 · 待上传 0 笔" in window.status.online.text()
    assert not window.offline_banner.isVisible()
    assert ctx.syncer.client.account("3101000001").total_due_fen == 0


def test_offline_banner_pending_count_and_cached_quote(qtbot, online):
    ctx, up = online
    up.stop()
    with pytest.raises(Exception):
        ctx.syncer.run_once()
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    assert window.offline_banner.isVisible()
    assert "离线收费中" in window.offline_banner.text() and "待上传 0 笔" in window.offline_banner.text()
    assert window.status.online.text().startswith("离线 · 待上传 0 笔 · 数据截至 03-02 10:00")
    _open(qtbot, window, "3101000004")
    assert window.data_source.text().startswith("离线：按本地数据收费（数据截至 03-02 10:00")
    window.tendered.insert("201")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功 ￥201.00" in window.message.text()
    window.status.refresh()
    settle(qtbot)
    assert "待上传 1 笔 ￥201.00" in window.offline_banner.text()
    with ctx.store.read() as s:
        assert s.scalar(select(OutboxEntry.status)) == "pending"


def test_past_the_offline_cap_a_supervisor_authorizes_and_the_payment_goes_through(qtbot, with_shift):
    from PySide6.QtWidgets import QApplication

    from cashier.settings import SyncSettings
    from cashier.store.models import Payment
    from cashier.sync.engine import set_state
    from tests.helpers.hall import PASSWORD
    from ui.authorize import ExposureDialog

    ctx = with_shift
    ctx.terminal.exposure = SyncSettings(max_offline_hours=1, max_unsynced_fen=100_000)
    with ctx.store.transaction() as s:
        set_state(s, last_success_at=ctx.terminal.clock.now().replace(hour=0))  # two hours ago
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    _open(qtbot, window, "3101000004")
    window.tendered.insert("201")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "继续收费需班长授权" in window.message.text()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ExposureDialog) and w.isVisible())
    dialog.reason.insert("光缆被挖断，已报修")
    qtbot.keyClicks(dialog.supervisor, "super1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert not dialog.isVisible()
    assert "收费成功 ￥201.00" in window.message.text()
    with ctx.store.read() as s:
        assert len(s.scalars(select(Payment)).all()) == 1


def test_an_account_the_upstream_does_not_know_is_said_so_not_called_offline(qtbot, online):
    from datetime import date as _date

    from tests.helpers.hall import add_account

    ctx, _up = online
    add_account(ctx.store, "3101000099", name="新户", bills=[("202601", 5000, _date(2026, 2, 25))])  # here only
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    _open(qtbot, window, "3101000099")
    assert window.data_source.text().startswith("上级系统中没有这个户号")
    assert "离线" not in window.data_source.text() and window.quote.account_no == "3101000099"


def test_a_restored_counter_says_it_cannot_take_money_until_it_has_numbered_on_past_the_upstream(qtbot, online):
    """Issue 15, point 7: the status bar says the numbering waits for the upstream, then says where it moved."""
    from sqlalchemy import text

    from cashier import documents
    from cashier.payments import TenderLine, take_payment

    ctx, _up = online
    take_payment(ctx.terminal, ctx.actor, "3101000003", 1000, [TenderLine("cash", 1000)])
    ctx.syncer.run_once()  # the upstream holds number 1
    with ctx.store.transaction() as s:  # as `cashier-admin restore` of a backup from before that payment leaves it
        s.execute(text("UPDATE terminal_sequences SET last_seq = 0"))
        documents.mark_unconfirmed(s, ctx.terminal.clock.now())
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    assert "收据号待与上级系统核对，暂不能收费" in window.status.online.text()
    ctx.syncer.run_once()
    settle(qtbot)
    assert window.status.currentMessage() == "本机收据号只到 0，上级系统已有到 1 的记录（从较早的备份恢复？）：下一张收据号为 2"
    assert "收据号待" not in window.status.online.text()
    assert take_payment(ctx.terminal, ctx.actor, "3101000003", 500, [TenderLine("cash", 500)]).seq == 2
