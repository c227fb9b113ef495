"""``cashier``: the counter program.

``cashier --demo`` runs on embedded defaults: a demo hall (20,000 customers, demo users shown
on the login screen) in the system's temporary folder, the on-screen preview printer, and a
local upstream (SQLite, its own process) that the terminal is enrolled with and syncs to.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from cashier import __version__
from cashier.errors import CashierError
from cashier.i18n import language_from_environment, set_language, translate
from cashier.logs import log_start, setup_logging
from cashier.settings import Paths, load_settings

DEMO_ACCOUNTS = 20_000


def prepare(args: argparse.Namespace):
    """Settings, logs and the store (seeding the demo hall on first run); no Qt needed here."""
    from cashier.store import Store

    data_dir = args.data_dir or (str(Path(tempfile.gettempdir()) / "hall-cashier-demo") if args.demo else None)
    paths = Paths.resolve(data_dir)
    loaded = load_settings(paths)
    if args.demo:
        demo_customer_side(loaded.settings, paths)
    set_language(loaded.settings.ui.language)
    try:
        cfg = loaded.settings.logging
        setup_logging(paths.log_dir, cfg.level, cfg.max_bytes, cfg.backup_count, loaded.settings.hall.timezone)
    except OSError:
        pass
    if args.demo and not paths.database.exists():
        from cashier.demo.seed import seed_database

        report = seed_database(paths.database, DEMO_ACCOUNTS)
        print(translate("seed.done", accounts=report.accounts, bills=report.bills, arrears=report.accounts_in_arrears,
                        disconnected=report.disconnected, users=report.users, seconds=f"{report.seconds:.1f}",
                        file=str(report.path)))
    store = Store.open(paths.database, backup_dir=paths.backup_dir)
    return paths, loaded.settings, store


def demo_customer_side(settings, paths: Paths) -> None:
    """The demo shows the customer's side: the customer window beside the counter and spoken amounts, unless its
    settings file says otherwise ([customer_display] or [voice] written there)."""
    import tomllib

    try:
        written = tomllib.loads(paths.config_file.read_text(encoding="utf-8")) if paths.config_file.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        written = {}
    if "customer_display" not in written:
        settings.customer_display.mode = "window"
    if "voice" not in written:
        settings.voice.enabled = True
    if "evaluation" not in written:
        settings.evaluation.enabled = True


def start_demo_upstream(ctx) -> None:
    """The demo's local upstream (first run: filled from the demo hall, ~10 s), then sync. Background work."""
    # The entry point may reach the reference upstream: the demo runs one beside the hall.
    from cashier.settings import LoadedSettings
    from demo_upstream.local import start_demo_upstream as start

    process, loaded = start(LoadedSettings(ctx.settings, ctx.paths, True), ctx.store)
    ctx.upstream_process = process
    ctx.settings = loaded.settings
    ctx.terminal.exposure = loaded.settings.sync
    ctx.start_sync()


def wants_first_run(args: argparse.Namespace, paths: Paths) -> bool:
    """The start-up's decision: the technician's wizard before the login (never in the demo)."""
    from cashier.firstrun import needs_first_run

    return not args.demo and needs_first_run(paths)


def main(argv: Sequence[str] | None = None) -> int:
    if "--speech-worker" in (sys.argv[1:] if argv is None else argv):  # the frozen build's speech worker
        from ui.speaker import serve

        return serve()
    from cashier.private import restrict_umask  # customer data: files 0600, folders 0700 (POSIX)
    restrict_umask()
    set_language(language_from_environment())
    parser = argparse.ArgumentParser(prog="cashier", description="供电营业厅收费柜台 (counter cashier)")
    parser.add_argument("--demo", action="store_true", help="演示模式 (demo on embedded defaults)")
    parser.add_argument("--data-dir", metavar="DIR", help="数据目录 (data folder)")
    parser.add_argument("--no-upstream", action="store_true",
                        help="演示模式不启动本地上级系统 (demo without its local upstream)")
    parser.add_argument("--version", action="version", version=f"cashier {__version__}")
    parser.add_argument("--smoke-test", action="store_true",
                        help="打开登录窗口和数据库后即退出，用于安装检查 (open the login window and the store, then quit)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or (str(Path(tempfile.gettempdir()) / "hall-cashier-demo") if args.demo else None)
    paths = Paths.resolve(data_dir)
    try:
        loaded = load_settings(paths)
    except CashierError as exc:
        print(translate("cli.error", message=str(exc)), file=sys.stderr)
        return 3
    settings = loaded.settings
    try:  # from the first moment, so that the wizard's steps are in the log too
        cfg = settings.logging
        setup_logging(paths.log_dir, cfg.level, cfg.max_bytes, cfg.backup_count, settings.hall.timezone)
        log_start("cashier", paths, loaded.from_file, "--demo" if args.demo else "")
    except OSError:
        pass

    from PySide6.QtWidgets import QApplication

    from ui.login import LoginDialog
    from ui.ops import Op
    from ui.translation import SCALE_ENV, apply_language, scale_factor_for

    if factor := scale_factor_for(settings, os.environ):  # large print: Qt reads it when the app is made
        os.environ[SCALE_ENV] = factor
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_language(settings.ui.language)
    if wants_first_run(args, paths):
        # A PC without a hall of its own or anyone to sign in (a fresh one, or one `cashier-admin init` gave the
        # demo defaults): the technician's wizard first; cancelled, nothing is written and it comes back next time.
        from ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(paths)
        if args.smoke_test:  # the build's check: the wizard can be made; the login and the store are checked below
            print("smoke test: this PC is not set up; the first-run wizard would open", flush=True)
            wizard.deleteLater()
        elif wizard.exec() != FirstRunWizard.DialogCode.Accepted:
            return 0
        else:
            settings = wizard.settings
            apply_language(settings.ui.language)
    if args.smoke_test and settings.ui.language == "zh":
        from ui.translation import qt_translation_loaded

        if not qt_translation_loaded():
            print("smoke test: Qt's own Chinese (qtbase_zh_CN.qm) is missing from this build", file=sys.stderr)
            return 4
    demo_users = []
    if args.demo:
        from cashier.demo.vocabulary import DEMO_USERS

        demo_users = [(u, name, password) for u, name, _role, password in DEMO_USERS]
    # The window first, the store (SQLAlchemy, migrations, the demo seed) behind it.
    login = LoginDialog(hall_name=settings.hall.name, terminal=f"{settings.terminal.name}  {settings.terminal.id}",
                        demo_users=demo_users)
    from ui.session import SessionController

    session = SessionController(login)  # sign-in, sign-out (Ctrl+Shift+L) and switch user, until the login closes
    opened: dict = {}

    def open_store():
        from cashier.passwords import dummy_hash
        from ui.context import AppContext

        dummy_hash()  # made now, so that the first unknown user name costs what a known one does
        paths_, settings_, store = prepare(args)
        ctx = AppContext.open(paths_, settings_, store)
        ctx.demo_users = demo_users
        opened["ctx"] = ctx
        if not args.demo:
            ctx.start_sync()
        return ctx

    def store_opened(ctx) -> None:
        session.attach(ctx)
        from ui.status import check_store_in_background

        check_store_in_background(ctx, app)  # quick, in the background; the status bar says when it is done
        if args.smoke_test:
            try:  # the supervisor's screens load their libraries lazily: make sure this build carries them
                import openpyxl  # noqa: F401 - XLSX exports

                from ui.charts import ChartPanel
                from ui.supervisor import SupervisorWindow  # noqa: F401

                ChartPanel("smoke", "n").set_data(["a", "b"], [1, 2])
            except Exception as exc:  # noqa: BLE001 - reported, and the smoke test fails
                opened["smoke_failed"] = True
                print(f"smoke test: the supervisor's screens cannot load: {exc!r}", file=sys.stderr, flush=True)
            else:
                print(f"smoke test: login window shown, database open ({ctx.paths.database}), charts drawn",
                      flush=True)
            login.reject()
            return
        if args.demo and not args.no_upstream:
            Op(app, lambda: start_demo_upstream(ctx)) \
                .failure(lambda exc: print(f"demo upstream: {exc}", file=sys.stderr)).run_in_background()

    Op(login, open_store).success(store_opened) \
        .failure(lambda exc: login.startup_failed(str(exc))).run_in_background()
    session.start()
    code = app.exec()
    while Op.running:  # e.g. the demo upstream still starting: let it finish, then stop it
        app.processEvents()
    if "ctx" in opened:
        opened["ctx"].close()
    return 4 if opened.get("smoke_failed") else code


if __name__ == "__main__":
    sys.exit(main())
