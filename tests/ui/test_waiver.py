"""Penalty waiver at the counter: a supervisor's credentials, then the payment carries it."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cashier.store.models import Payment
from tests.helpers.hall import PASSWORD
from tests.ui.conftest import settle
from ui.authorize import WaiverDialog
from ui.counter import CounterWindow


def test_waive_the_penalty_then_pay_the_principal(qtbot, with_shift):
    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClicks(window.search_box, "3101000001")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, WaiverDialog) and w.isVisible())
    assert dialog.amount.text() == "5.21"
    qtbot.keyClicks(dialog.reason, "dibao")
    qtbot.keyClicks(dialog.supervisor, "c2")  # a cashier cannot approve
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert "不是班长" in dialog.message.text()
    dialog.supervisor.clear()
    qtbot.keyClicks(dialog.supervisor, "super1")
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.amount.text() == "287.33" and "应缴 ￥287.33" in window.message.text()
    qtbot.keyClicks(window.tendered, "300")
    qtbot.keyClick(window.tendered, Qt.Key.Key_Return)
    settle(qtbot)
    assert "收费成功 ￥287.33，找零 ￥12.67" in window.message.text()
    with with_shift.store.read() as s:
        p = s.query(Payment).one()
        assert (p.penalty_waived_fen, p.approved_by) == (521, with_shift.hall_fixture.supervisor.user_id)


def test_enter_walks_the_waiver_form_and_a_half_filled_form_never_reaches_the_password_check(qtbot, with_shift):
    from sqlalchemy import select

    from cashier.store.models import AuditEntry, User

    window = CounterWindow(with_shift)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.search_box, "3101000001")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    settle(qtbot)
    window.waive()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, WaiverDialog) and w.isVisible())
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # nothing typed: said, and the cursor stays
    assert "请填写原因" in dialog.message.text() and dialog.focusWidget() is dialog.reason
    qtbot.keyClicks(dialog.reason, "dibao")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.supervisor
    qtbot.keyClicks(dialog.supervisor, "super1")
    qtbot.keyClick(dialog.supervisor, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # no password yet: not sent
    settle(qtbot)
    assert "密码" in dialog.message.text() and dialog.isVisible()
    with with_shift.store.read() as s:
        assert s.scalar(select(User.failed_attempts).where(User.username == "super1")) == 0
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action.like("%failed%"))).all()
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.due_label.text().endswith("￥287.33") and "（已减免违约金 ￥5.21）" in window.badges.text()
