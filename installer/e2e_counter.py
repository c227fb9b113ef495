"""The steps of installer/test-deb.sh that a person does in the counter program's windows, done with the
same core calls those windows make, on the installed package's data folder.

Why not the installed program itself: the PyInstaller build carries its own Python, which runs only the
three programs, and the wizard, the login's forced change and a payment are windows (a cashier takes
money at the counter; ``cashier-admin`` has, on purpose, no payment command). So these steps run with
the repository's interpreter (``.venv``, or ``PYTHON=``) over the same version of ``cashier/`` that the
package was built from, and everything around them — the upstream, enrollment's other end, ``users
add``, sync, lookup, backup, restore, upgrade, doctor, audit-verify, the GUI's start on the set-up
folder — is the installed package's. The files each side writes are read by the other: that is the point.

    e2e_counter.py wizard  --data-dir D --upstream URL --code CODE --supervisor USER --password PW
    e2e_counter.py sign-in --data-dir D --user USER --password ONE_TIME --new-password NEW
    e2e_counter.py pay     --data-dir D --user USER --password PW --account NO
    e2e_counter.py upstream-has --db UPSTREAM.db --payment ID --account NO

Each step prints one line saying what it did, and exits non-zero with the reason when something is not
as the path expects.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fail(text: str) -> None:
    print(f"e2e: {text}", file=sys.stderr)
    raise SystemExit(1)


def _terminal(data_dir: str):
    from cashier.settings import Paths, load_settings
    from cashier.store import Store
    from cashier.terminal import Terminal

    loaded = load_settings(Paths.resolve(data_dir))
    if not loaded.from_file:
        fail(f"{data_dir}: no settings file: the wizard did not finish")
    paths = loaded.paths
    store = Store.open(paths.database, backup_dir=paths.backup_dir)
    return loaded.settings, store, Terminal.from_settings(store, loaded.settings)


def wizard(args) -> None:
    """The wizard's Finish: hall, terminal, upstream and its one-time code, printer, language, first supervisor."""
    from cashier.firstrun import FirstRunChoices, apply, needs_first_run
    from cashier.settings import Paths

    paths = Paths.resolve(args.data_dir)
    if not needs_first_run(paths):
        fail(f"{args.data_dir}: the program would not open the wizard here")
    choices = FirstRunChoices(
        hall_code=args.hall, hall_name="城关供电营业厅", terminal_id=args.terminal, terminal_name="1号窗口",
        printer_uri="pdf://", printer_width=80, language="zh",
        supervisor_username=args.supervisor, supervisor_name="周海燕", supervisor_password=args.password,
        upstream_url=args.upstream, enrollment_code=args.code)
    apply(paths, choices)
    if needs_first_run(paths):
        fail("the wizard finished but the PC still needs its first run")
    print(f"wizard: hall {args.hall}, terminal {args.terminal}, enrolled with {args.upstream}, supervisor {args.supervisor}")


def sign_in(args) -> None:
    """The login dialog: the password handed over works once, the forced change, then the new password."""
    from cashier import auth
    from cashier.errors import DomainError

    _settings, store, t = _terminal(args.data_dir)
    with store:
        actor = auth.login(t, args.user, args.password)
        if not actor.must_change_password:
            fail(f"{args.user}: a first sign-in that does not ask for a new password")
        try:
            auth.require(actor, "payment.take" if actor.role.value == "cashier" else "shift.review")
        except DomainError as exc:
            if exc.key != "auth.must_change_password":
                raise
        else:
            fail(f"{args.user}: could work before changing the password")
        auth.change_password(t, args.user, args.password, args.new_password)
        try:
            auth.login(t, args.user, args.password)
        except DomainError:
            pass
        else:
            fail(f"{args.user}: the old password still signs in")
        actor = auth.login(t, args.user, args.new_password)
        if actor.must_change_password:
            fail(f"{args.user}: still asked to change the password after changing it")
    print(f"sign-in: {args.user} ({actor.role.value}) changed the first password and signed in with the new one")


def pay(args) -> None:
    """At the counter: open the shift with a float, find the account, take what it owes in cash (with change)."""
    from cashier import auth, shifts
    from cashier.payments import TenderLine, take_payment
    from cashier.quote import quote_account

    _settings, store, t = _terminal(args.data_dir)
    with store:
        actor = auth.login(t, args.user, args.password)
        shifts.open_shift(t, actor, {10000: 2, 1000: 10, 100: 20})  # ￥320 float
        with store.read() as s:
            q = quote_account(s, args.account, t.clock.business_date(), t.penalty_policy(s).policy,
                              account_number_length=t.account_number_length)
        due = q.total_due_fen
        if due <= 0:
            fail(f"account {args.account} owes nothing: pick one in arrears")
        handed = (due // 10000 + 1) * 10000  # whole hundred-yuan notes
        r = take_payment(t, actor, args.account, due, [TenderLine("cash", handed)], expected_due_fen=due)
        with store.read() as s:
            after = quote_account(s, args.account, t.clock.business_date(), t.penalty_policy(s).policy,
                                  account_number_length=t.account_number_length)
        if after.total_due_fen != 0 or r.amount_fen != due or r.change_fen != handed - due:
            fail(f"payment {r.payment_id}: {after.total_due_fen} fen still owed, change {r.change_fen}")
    print(f"pay: receipt {r.seq} payment {r.payment_id} account {args.account} {due} fen, "
          f"handed {handed}, change {r.change_fen}")


def upstream_has(args) -> None:
    """The upstream holds the payment, accepted, and the account owes nothing there either."""
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT status, amount_fen, account_no FROM documents WHERE id = ? AND kind = 'payment'",
                           (args.payment,)).fetchone()
        owed = conn.execute("SELECT coalesce(sum(b.outstanding_fen), 0) FROM bills b JOIN accounts a ON a.id = b.account_id"
                            " WHERE a.account_no = ? AND NOT b.cancelled", (args.account,)).fetchone()[0]
    finally:
        conn.close()
    if row is None:
        fail(f"the upstream has no payment {args.payment}")
    if row[0] != "accepted" or row[2] != args.account or owed != 0:
        fail(f"upstream: payment {args.payment} {row[0]} for {row[2]}, account {args.account} still owes {owed} fen")
    print(f"upstream-has: payment {args.payment} accepted, {row[1]} fen, account {args.account} owes nothing")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="e2e_counter.py")
    sub = parser.add_subparsers(dest="step", required=True)
    w = sub.add_parser("wizard")
    w.add_argument("--data-dir", required=True)
    w.add_argument("--upstream", required=True)
    w.add_argument("--code", required=True)
    w.add_argument("--hall", default="3201001")
    w.add_argument("--terminal", default="T01")
    w.add_argument("--supervisor", required=True)
    w.add_argument("--password", required=True)
    w.set_defaults(run=wizard)
    si = sub.add_parser("sign-in")
    si.add_argument("--data-dir", required=True)
    si.add_argument("--user", required=True)
    si.add_argument("--password", required=True)
    si.add_argument("--new-password", required=True)
    si.set_defaults(run=sign_in)
    p = sub.add_parser("pay")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--account", required=True)
    p.set_defaults(run=pay)
    u = sub.add_parser("upstream-has")
    u.add_argument("--db", required=True)
    u.add_argument("--payment", required=True)
    u.add_argument("--account", required=True)
    u.set_defaults(run=upstream_has)
    args = parser.parse_args(argv)
    args.run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
