"""The counter and a customer of another hall (issue 15, point 4): the search finds nothing here, the counter
offers the cross-hall lookup (Ctrl+K), the upstream answers and logs it, and the payment goes up flagged."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from cashier.sync.protocol import AccountRow, BillRow
from tests.helpers.upstream import enroll_with_local_upstream
from tests.ui.conftest import settle
from ui.counter import CounterWindow
from upstream.importer import write
from upstream.models import CrossHallAccess

THEIRS = "3102000001"


@pytest.fixture
def online(with_shift, tmp_path):
    ctx = with_shift
    db, up = enroll_with_local_upstream(ctx, tmp_path)
    write(db, [AccountRow(account_no=THEIRS, name="王五", address="河东街道1号", customer_class="residential")],
          [BillRow(bill_no=f"B{THEIRS}202602", account_no=THEIRS, period="202602", kwh=100, principal_fen=5500,
                   due_date=date(2026, 3, 25), outstanding_fen=5500)], hall_code="OTHER9")
    yield ctx, up
    ctx.syncer.client.close()
    up.stop()


def _search(qtbot, window, text: str) -> None:
    window.search_box.setText(text)  # keyClicks types Latin-1 only
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)


def _log(up) -> list[tuple[str, str, str]]:
    with up.db.sessions() as s:
        return [(r.account_no, r.account_hall, r.action) for r in s.scalars(select(CrossHallAccess).order_by(CrossHallAccess.id))]


def test_another_halls_customer_is_looked_up_on_request_and_paid(qtbot, online):
    ctx, up = online
    ctx.syncer.run_once()
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    _search(qtbot, window, "张")  # not an account number: nothing to look up elsewhere
    _search(qtbot, window, "王五")
    assert not window.cross_hall_button.isVisible()
    _search(qtbot, window, THEIRS)  # not this hall's: the pull never brought it
    assert window.cross_hall_button.isVisible()
    assert "Ctrl+K" in window.search_message.text()
    assert window.sale is None and _log(up) == []  # nothing asked of the upstream yet

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    settle(qtbot)
    assert window.sale is not None and window.sale.account_no == THEIRS
    assert window.account_label.text().startswith(f"{THEIRS}  王五")
    assert "其他营业厅的客户" in window.data_source.text()  # its dues were checked across halls, not "unknown"
    assert not window.cross_hall_button.isVisible()
    assert window.due_label.text().endswith("￥55.00")

    window.tendered.insert("60")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功 ￥55.00" in window.message.text()
    assert ctx.syncer.run_once().pushed == {"accepted": 1}
    assert ctx.syncer.client.account(THEIRS, cross_hall=True).total_due_fen == 0
    assert [a for _, _, a in _log(up)][:3] == ["lookup", "lookup", "payment"]  # the lookup, the dues check, the payment
    assert {(n, h) for n, h, _ in _log(up)} == {(THEIRS, "OTHER9")}


def test_an_unknown_number_looked_up_across_halls_says_so(qtbot, online):
    ctx, up = online
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    _search(qtbot, window, "3109999999")
    window.cross_hall_button.click()
    settle(qtbot)
    assert "上级系统中没有户号 3109999999" in window.search_message.text()
    assert window.sale is None
