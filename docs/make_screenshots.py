"""Screenshots for the README: the counter during a payment, the blind shift close, the counter
offline, and the supervisor's workspace (shift review, the day, arrears warning, collection).

    xvfb-run -a .venv/bin/python docs/make_screenshots.py

Builds a small demo hall in a temporary folder, signs in as cashier1, opens a shift, looks up
a customer in arrears and types what the customer hands over; then counts the drawer short;
then two cashiers work an afternoon and super1 opens the workspace.
"""

import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cashier import auth, shifts  # noqa: E402
from cashier.clock import FixedClock  # noqa: E402
from cashier.demo.seed import seed_database  # noqa: E402
from cashier.settings import LoadedSettings, Paths, Settings  # noqa: E402
from cashier.store import Store  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.counter import CounterWindow  # noqa: E402
from ui.ops import Op  # noqa: E402
from ui.shift_dialogs import CloseShiftDialog  # noqa: E402
from demo_upstream.local import start_demo_upstream  # noqa: E402

OUT = Path(__file__).resolve().parent


def wait(app, until, limit=200):
    for _ in range(limit):
        app.processEvents()
        if until():
            return
        QTimer.singleShot(20, lambda: None)
        app.processEvents()
        import time

        time.sleep(0.02)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp())
    seed_database(folder / "cashier.db", 2000, seed=5, as_of=datetime(2026, 11, 27).date())
    store = Store.open(folder / "cashier.db")
    clock = FixedClock(at=datetime(2026, 11, 27, 2, 30))
    # A local upstream, as in the demo: the status bar is online and the dues are checked.
    paths = Paths.resolve(folder)
    process, loaded = start_demo_upstream(LoadedSettings(Settings(), paths, False), store)
    ctx = AppContext.open(paths, loaded.settings, store, clock)
    ctx.upstream_process = process
    ctx.start_sync(start_worker=False)
    ctx.syncer.run_once()
    ctx.actor = auth.login(ctx.terminal, "cashier1", "1234")
    shifts.open_shift(ctx.terminal, ctx.actor, {10000: 5, 1000: 10, 100: 20})
    conn = sqlite3.connect(folder / "cashier.db")
    account_no = conn.execute(
        "SELECT a.account_no FROM accounts a JOIN bills b ON b.account_id = a.id WHERE b.outstanding_fen > 0 "
        "AND a.customer_class = 'residential' GROUP BY a.id HAVING count(*) >= 2 LIMIT 1").fetchone()[0]
    conn.close()

    window = CounterWindow(ctx)
    window.resize(1280, 800)
    window.show()
    window.search_box.setText(account_no)
    window.run_search()
    wait(app, lambda: Op.running == 0 and window.quote is not None)
    due = window.quote.total_due_fen
    window.tendered.setText(str((due // 10000 + 1) * 100))
    wait(app, lambda: Op.running == 0)
    window.status.refresh()
    wait(app, lambda: Op.running == 0)
    window.grab().save(str(OUT / "counter.png"))

    # A slip of the hand: ￥10,000 typed for the bill. The counter asks first, the amounts large.
    window.tendered.setText("10000")
    window.take_payment()
    wait(app, lambda: getattr(window, "confirm_dialog", None) is not None)
    confirm = window.confirm_dialog
    confirm.adjustSize()
    app.processEvents()
    confirm.grab().save(str(OUT / "confirm-change.png"))
    confirm.reject()  # back to the amount: nothing was paid
    wait(app, lambda: Op.running == 0)
    window.cancel()

    dialog = CloseShiftDialog(window, ctx, lambda: None)
    dialog.show()
    dialog.grid.set_counts({10000: 5, 1000: 9, 100: 19})
    dialog.submit()  # the count, confirmed on a large figure first
    wait(app, lambda: dialog.confirmation is not None and dialog.confirmation.isVisible())
    dialog.confirmation.accept()
    wait(app, lambda: Op.running == 0 and dialog.reason.isEnabled())
    dialog.reason.setText("找零时多找了 11 元")
    app.processEvents()
    dialog.grab().save(str(OUT / "shift-close.png"))
    dialog.submit()  # with the reason: the shift closes (the same count: not asked again)
    wait(app, lambda: Op.running == 0 and not dialog.isVisible())
    if dialog.report is not None:  # the 交班单 window
        dialog.report.close()

    # The network goes down: the counter says so, with the data's age, and keeps taking money.
    shifts.open_shift(ctx.terminal, ctx.actor, {10000: 5})
    process.stop()
    clock.advance(hours=3)
    try:
        ctx.syncer.run_once()
    except Exception:  # noqa: BLE001 - unreachable, as intended
        pass
    window.search_box.setText(account_no)
    window.run_search()
    wait(app, lambda: Op.running == 0 and window.quote is not None)
    window.tendered.setText(str((window.quote.total_due_fen // 10000 + 1) * 100))
    window.take_payment()
    wait(app, lambda: Op.running == 0)
    window.search_box.setText(account_no)
    window.run_search()
    wait(app, lambda: Op.running == 0 and window.quote is not None)
    window.status.refresh()
    wait(app, lambda: Op.running == 0 and window.offline_banner.isVisible())
    window.grab().save(str(OUT / "offline.png"))
    print("wrote", OUT / "counter.png", OUT / "confirm-change.png", OUT / "shift-close.png", OUT / "offline.png")
    supervisor_views(app, ctx, clock, folder)
    ctx.upstream_process = None
    ctx.close()


def supervisor_views(app, ctx, clock, folder: Path) -> None:
    """A busy afternoon by two cashiers, then the supervisor's workspace, tab by tab."""
    import random

    from cashier.payments import TenderLine, take_payment
    from ui.supervisor import SupervisorWindow

    rng = random.Random(7)
    conn = sqlite3.connect(folder / "cashier.db")
    owing = [r[0] for r in conn.execute(
        "SELECT a.account_no FROM accounts a JOIN bills b ON b.account_id = a.id WHERE b.outstanding_fen > 0 "
        "GROUP BY a.id ORDER BY a.id LIMIT 80")]
    conn.close()
    ctx.terminal.exposure = None  # the screenshots' upstream is gone; not what these pictures are about
    ctx.syncer.client.close()
    ctx.syncer = None
    first = ctx.actor
    second = auth.login(ctx.terminal, "cashier2", "1234")
    for who, accounts in ((first, owing[:40]), (second, owing[40:])):
        with ctx.store.read() as s:
            open_now = shifts.open_shift_of(s, ctx.terminal)
        if open_now is None:
            shifts.open_shift(ctx.terminal, who, {10000: 5, 1000: 10})
        for number in accounts:
            with ctx.store.read() as s:
                from cashier.quote import quote_account

                q = quote_account(s, number, ctx.terminal.clock.business_date(), ctx.terminal.policy)
            if not q.total_due_fen:
                continue
            kind = rng.choice(["cash", "cash", "cash", "wechat", "alipay", "bank_card", "e_bao"])
            tendered = (q.total_due_fen // 10000 + 1) * 10000 if kind == "cash" else q.total_due_fen
            take_payment(ctx.terminal, who, number, q.total_due_fen,
                         [TenderLine(kind, tendered, None if kind == "cash" else f"R{rng.randrange(10**8)}")])
            clock.advance(minutes=rng.randrange(2, 7))
        with ctx.store.read() as s:
            expected = shifts.expected_cash(s, shifts.open_shift_of(s, ctx.terminal))
        counted = expected - (1000 if who is first else 0)
        shifts.close_shift(ctx.terminal, who, {10000: counted // 10000, 1: counted % 10000},
                           reason="找零多付 10 元" if who is first else None)
    ctx.actor = auth.login(ctx.terminal, "super1", "1234")
    window = SupervisorWindow(ctx)
    window.resize(1280, 820)
    window.show()
    wait(app, lambda: Op.running == 0 and window.review.list.rowCount() > 0)
    window.review.list.selectRow(window.review.list.rowCount() - 1)
    app.processEvents()
    window.grab().save(str(OUT / "supervisor-review.png"))
    window.tabs.setCurrentIndex(1)
    wait(app, lambda: Op.running == 0 and window.day.overview is not None)
    window.grab().save(str(OUT / "supervisor-day.png"))
    window.tabs.setCurrentIndex(2)
    wait(app, lambda: Op.running == 0 and window.arrears.report is not None, limit=1000)
    window.grab().save(str(OUT / "arrears-warning.png"))
    window.tabs.setCurrentIndex(3)
    wait(app, lambda: Op.running == 0 and window.collection.report is not None, limit=1000)
    window.grab().save(str(OUT / "collection.png"))
    print("wrote", *(OUT / n for n in ("supervisor-review.png", "supervisor-day.png", "arrears-warning.png",
                                       "collection.png")))


if __name__ == "__main__":
    main()
