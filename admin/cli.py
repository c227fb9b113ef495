"""``cashier-admin``: the technician's command line (技术人员工具).

Every command takes ``--data-dir`` (where the database, settings and logs live),
``--config`` and ``--set section.key=value`` overrides, and ``--lang zh|en``.
Exit status: 0 success, 1 a check failed, 2 bad command line, 3 an error explained on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from typing import Callable, Sequence

from sqlalchemy.exc import DBAPIError

from cashier import __version__, private
from cashier.errors import CashierError
from cashier.i18n import language_from_environment, set_language, translate
from cashier.logs import log_start, setup_logging
from cashier.penalty_policy import policy_in_force
from cashier.settings import LoadedSettings, Paths, load_settings, save_settings

log = logging.getLogger(__name__)

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3


def _common_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default,
        help="数据目录：数据库、配置、日志、备份都在这里 (data folder; default: the platform's folders)",
    )
    parser.add_argument(
        "--config", metavar="FILE", default=default,
        help="配置文件 (settings file; default DIR/cashier.toml or the platform config folder)",
    )
    parser.add_argument(
        "--set", metavar="KEY=VALUE", action="append", dest="overrides", default=argparse.SUPPRESS if suppress else [],
        help="临时覆盖一项配置，可重复，例如 --set printer.width=58 (override one setting; repeatable)",
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default=default, help="输出语言 (language of the output)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cashier-admin",
        description="供电营业厅收费柜台 — 技术人员工具 (counter cashier: technician tools)",
        epilog="例 (example): cashier-admin --data-dir /var/lib/cashier init && cashier-admin --data-dir /var/lib/cashier doctor",
    )
    _common_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str, func: Callable[[argparse.Namespace, Paths], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _common_options(sub, suppress=True)
        sub.set_defaults(func=func)
        return sub

    add("init", "创建或升级数据库，写入默认配置 (create or upgrade the database; write default settings)", cmd_init)
    doctor = add("doctor", "逐项检查：配置、数据目录、数据库、磁盘、打印机、上级系统 (check this installation)", cmd_doctor)
    doctor.add_argument("--json", action="store_true", help="以 JSON 输出 (machine-readable output)")
    add("version", "显示版本和数据库结构版本 (show program and schema versions)", cmd_version)
    seed = add("demo-seed", "生成演示/测试用的营业厅数据 (create deterministic demo data in an empty data folder)", cmd_demo_seed)
    seed.add_argument("--accounts", type=int, default=2000, metavar="N", help="客户数 (number of accounts; default 2000)")
    seed.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子，同一种子数据相同 (same seed, same data)")
    seed.add_argument("--as-of", metavar="YYYY-MM-DD", help="数据截止日期，默认今天 (data as of this date; default today)")
    quote = add("quote", "查询某户在某日应缴的电费和违约金 (what an account owes on a date)", cmd_quote)
    quote.add_argument("account", metavar="ACCOUNT", help="户号 (account number)")
    quote.add_argument("--on", metavar="YYYY-MM-DD", help="缴费日期，默认今天 (payment date; default today)")
    quote.add_argument("--json", action="store_true", help="以 JSON 输出，金额单位为分 (JSON, amounts in fen)")
    verify = add("audit-verify", "校验审计日志的哈希链和每笔收费、冲正、缴取款、交班的内容，指出被改动、插入或删除的记录 "
                 "(verify the audit chain and every money record against it)", cmd_audit_verify)
    verify.add_argument("--upstream", action="store_true",
                        help="再与上级系统保存的审计链锚点比对，发现截断或整条重算的链 "
                             "(also compare with the chain heads the upstream holds: truncation, a rewritten chain)")
    test_print = add("print-test", "打印测试页：中文、大写金额、二维码、开钱箱 (print a sample receipt)", cmd_print_test)
    test_print.add_argument("--printer", metavar="URI",
                            help="打印机地址，默认取配置 (tcp://host:9100, usb://VID:PID, serial:///dev/ttyS0?baud=9600, "
                                 "win32://名称, cups://名称, file:///路径, preview://)")
    test_print.add_argument("--width", type=int, choices=(58, 80), help="纸宽 mm (paper width)")
    test_print.add_argument("--raster", action="store_true", help="图像模式，用于没有中文字库的打印机 (raster mode)")
    find = add("search", "按户号、条码、姓名、地址、电话、表号或拼音首字母查找客户 (find customers)", cmd_search)
    find.add_argument("query", metavar="QUERY", help="查询内容 (what the cashier would type)")
    find.add_argument("--limit", type=int, default=20, help="最多显示条数 (at most this many)")
    enroll = add("enroll", "用一次性注册码把本终端注册到上级系统 (enroll this terminal with a one-time code)", cmd_enroll)
    enroll.add_argument("--upstream", required=True, metavar="URL", help="上级系统地址 (upstream URL, https://…)")
    enroll.add_argument("--code", required=True, metavar="CODE", help="一次性注册码 (one-time enrollment code)")
    bk = add("backup", "在线备份数据库并校验（收费中也可以做）(online backup, verified)", cmd_backup)
    bk.add_argument("--to", metavar="PATH", help="备份文件或目录，默认 DIR/backups (file or folder)")
    rs = add("restore", "从备份恢复数据库（先另存当前数据库）(restore a verified backup)", cmd_restore)
    rs.add_argument("file", metavar="BACKUP", help="备份文件 (backup file)")
    rs.add_argument("--yes", action="store_true", help="确认替换 (confirm)")
    ex = add("export-logs", "导出日志和自检报告的压缩包，去除密码和凭据 (zip of logs for support)", cmd_export_logs)
    ex.add_argument("--to", metavar="PATH", default=".", help="zip 文件或目录，默认当前目录 (zip file or folder)")
    report = add("report", "欠费预警和电费回收统计 (arrears warning and collection figures)", cmd_report)
    report.add_argument("kind", choices=("arrears", "collection"), help="arrears: 欠费账龄和停电候选；collection: 回收率")
    report.add_argument("--on", metavar="YYYY-MM-DD", help="arrears 的统计日，默认今天 (arrears as of; default today)")
    report.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="collection 的起始日 (period start)")
    report.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="collection 的截止日 (period end)")
    report.add_argument("--collector", metavar="NAME", help="collection 只统计这位责任收费员 (one collector only)")
    report.add_argument("--json", action="store_true", help="以 JSON 输出，金额单位为分 (JSON, amounts in fen)")
    door = add("door-to-door", "走收笔记本：设定收费员、关闭、列出走收客户清单 (door-to-door laptop: set up, switch off, list)",
               cmd_door_to_door)
    door.add_argument("--collector", metavar="NAME", help="开启走收模式，服务这位收费员的特殊群体客户 (switch on for NAME)")
    door.add_argument("--off", action="store_true", help="关闭走收模式 (switch off)")
    door.add_argument("--list", action="store_true", help="列出走收客户清单和应缴金额 (print the route list)")
    sync = add("sync", "立即同步一轮：上传收费，下载客户和账单变化 (run one sync round and show what moved)", cmd_sync)
    sync.add_argument("--refetch", action="store_true",
                      help="重新下载全部客户和账单，替换本机数据；未上传的收费保留 "
                           "(replace the local accounts and bills with a whole new snapshot; what waits to go up stays)")
    held = add("conflicts", "上级系统拒收或冲突、待班长处理的上传：列出、查看、处理 (uploads held for a supervisor)",
               cmd_conflicts)
    verbs = held.add_subparsers(dest="verb", metavar="list|show|resolve", required=True)
    listed = verbs.add_parser("list", help="列出待处理的上传 (list held uploads)")
    listed.add_argument("--all", action="store_true", help="连同已处理的 (with the resolved ones)")
    listed.add_argument("--json", action="store_true", help="以 JSON 输出，金额单位为分 (JSON, amounts in fen)")
    shown = verbs.add_parser("show", help="一笔上传的全部情况：本机记录、上传内容、上级系统答复、处理记录 (one in full)")
    shown.add_argument("id", type=int, metavar="ID", help="上传编号，见 list (the number list shows)")
    shown.add_argument("--json", action="store_true", help="以 JSON 输出 (JSON)")
    settle = verbs.add_parser("resolve", help="班长处理一笔：重新上传、以上级系统为准或不再上传 (a supervisor settles one)")
    settle.add_argument("id", type=int, metavar="ID", help="上传编号 (the number list shows)")
    settle.add_argument("--action", required=True, metavar="retry|accept-upstream|dismiss",
                        help="retry 重新上传（原因已在上级系统解决）；accept-upstream 以上级系统为准；dismiss 不再上传。"
                             "本机收费记录都保留，金额仍计入班次 (the local record and its money always stay)")
    settle.add_argument("--reason", required=True, help="处理原因，记入审计 (why; audited)")
    settle.add_argument("--supervisor", metavar="USER",
                        help="班长用户名；密码在提示时输入，或放在环境变量 CASHIER_SUPERVISOR_PASSWORD "
                             "(supervisor's user name; password asked for or from CASHIER_SUPERVISOR_PASSWORD)")
    for verb in (listed, shown, settle):
        _common_options(verb, suppress=True)
    scan = add("scan-pay", "扫码收款，与柜台完全相同（含收据），用于安装后检查支付通道；收费记入本机开着的班次 "
                           "(take a scan-to-pay payment exactly as the counter does, receipt included; it goes into "
                           "the open shift, as its cashier unless --cashier)", cmd_scan_pay)
    scan.add_argument("--account", required=True, metavar="ACCOUNT", help="户号 (account number)")
    scan.add_argument("--amount", required=True, metavar="YUAN", help="金额，元 (amount in yuan, e.g. 12.50)")
    scan.add_argument("--code", required=True, metavar="CODE", help="顾客付款码 (the customer's payment code)")
    scan.add_argument("--cashier", metavar="USER",
                      help="记在谁名下：默认当前班次的收费员；只能是该收费员或班长 (whose payment; default the open "
                           "shift's cashier; must be that cashier or a supervisor)")
    scan.add_argument("--wait", type=float, metavar="SECONDS",
                      help="等待顾客输密码的上限，超时撤销，默认 45 (bounded wait before cancelling; default 45)")
    scan.add_argument("--json", action="store_true", help="以 JSON 输出 (JSON: payment_id, status, provider, provider_txn_id)")
    look = add("lookup", "向上级系统查询某户并存入本机（--other-hall：其他营业厅的客户，上级系统记录本次查询）"
                         " (ask the upstream for an account now; --other-hall: another hall's customer, logged upstream)",
               cmd_lookup)
    look.add_argument("account", metavar="ACCOUNT", help="户号 (account number)")
    look.add_argument("--other-hall", action="store_true",
                      help="跨厅查询其他营业厅的客户 (a customer of another hall paying here; the upstream logs it)")
    look.add_argument("--json", action="store_true", help="以 JSON 输出，金额单位为分 (JSON, amounts in fen)")
    people = add("users", "人员账号：列出、新增、重置密码、解锁、停用；在本机有数据目录权限即可执行，无需登录 "
                 "(staff accounts: list, add, reset a password, unlock, deactivate; whoever can run this with the "
                 "data folder's files may, as for init)", cmd_users)
    user_verbs = people.add_subparsers(dest="verb", metavar="list|add|reset-password|unlock|deactivate", required=True)
    u_list = user_verbs.add_parser("list", help="列出全部用户和状态 (every account and its state)")
    u_list.add_argument("--json", action="store_true", help="以 JSON 输出 (JSON)")
    u_add = user_verbs.add_parser("add", help="新增用户，初始密码只显示这一次，首次登录须修改 "
                                              "(add a user; the initial password is shown once and must be changed)")
    u_add.add_argument("username", metavar="USERNAME", help="用户名，登录时输入 (the name typed to sign in)")
    u_add.add_argument("--name", default="", help="姓名，默认同用户名 (display name; default the user name)")
    u_add.add_argument("--role", required=True, choices=("cashier", "supervisor", "technician"),
                       help="cashier 收费员, supervisor 班长, technician 技术人员")
    u_reset = user_verbs.add_parser("reset-password", help="重置忘记的密码，新密码只显示这一次，下次登录须修改；同时解锁 "
                                                           "(a new password, shown once; to be changed at next sign-in)")
    u_reset.add_argument("username", metavar="USERNAME")
    u_unlock = user_verbs.add_parser("unlock", help="解除密码错误过多的锁定，密码不变 (lift a lockout; the password stays)")
    u_unlock.add_argument("username", metavar="USERNAME")
    u_off = user_verbs.add_parser("deactivate", help="停用账号：不能再登录，记录保留 (no more sign-ins; records stay)")
    u_off.add_argument("username", metavar="USERNAME")
    u_off.add_argument("--yes", action="store_true", help="确认停用 (confirm)")
    for verb in (u_list, u_add, u_reset, u_unlock, u_off):
        _common_options(verb, suppress=True)
    return parser


def _load(args: argparse.Namespace, paths: Paths) -> LoadedSettings:
    loaded = load_settings(paths, tuple(args.overrides))
    if not args.lang:
        set_language(loaded.settings.ui.language)
    return loaded


def cmd_init(args: argparse.Namespace, paths: Paths) -> int:
    from cashier.store import schema

    schema.ensure_data_dir(paths.data_dir)
    loaded = _load(args, paths)
    _start_logging(loaded)
    private.tighten_tree(paths.data_dir, private.PROGRAM_FOLDERS)  # an installation from before 0700/0600
    _refuse_unsound_database(paths)  # before anything is written: a damaged file is refused, nothing else changes
    if not loaded.from_file and not paths.config_file.exists():
        save_settings(loaded.settings, paths.config_file)
        print(translate("cli.config_written", file=str(paths.config_file)))
    result = schema.upgrade(paths.database, paths.backup_dir)
    if result.from_schema is None:
        print(translate("cli.init_created", file=str(paths.database), schema=result.to_schema))
    elif result.backup is not None:
        print(translate("cli.init_upgraded", file=str(paths.database), old=result.from_schema,
                        schema=result.to_schema, backup=str(result.backup)))
    else:
        print(translate("cli.init_current", file=str(paths.database), schema=result.to_schema))
    from cashier.firstrun import needs_first_run

    if needs_first_run(paths):  # no hall of its own or nobody to sign in: the wizard is what comes next
        print(translate("setup.pending"))
    return EXIT_OK


def _refuse_unsound_database(paths: Paths) -> None:
    """What init would say "up to date" about: a damaged, foreign or newer file is refused first."""
    from cashier.store import schema

    if paths.database.exists():
        schema.refuse_newer(schema.probe(paths.database))
        schema.require_sound(paths.database)


def cmd_doctor(args: argparse.Namespace, paths: Paths) -> int:
    from cashier.doctor import run_checks

    try:
        _load(args, paths)
    except CashierError:
        pass  # the settings check below reports it as a FAIL line
    checks = run_checks(paths, tuple(args.overrides))
    failed = sum(check.failed for check in checks)
    if args.json:
        print(json.dumps([{"status": c.status, "message": c.message} for c in checks], ensure_ascii=False, indent=2))
    else:
        for check in checks:
            print(check.line())
        print(translate("cli.doctor_failed", count=failed) if failed else translate("cli.doctor_passed"))
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def cmd_version(args: argparse.Namespace, paths: Paths) -> int:
    from cashier.store import schema

    print(f"cashier {__version__}")
    print(f"schema {schema.head_schema()}")
    return EXIT_OK


def cmd_demo_seed(args: argparse.Namespace, paths: Paths) -> int:
    from cashier.dates import business_today, parse_date
    from cashier.demo.seed import seed_database
    from cashier.store import schema

    schema.ensure_data_dir(paths.data_dir)
    loaded = _load(args, paths)
    _start_logging(loaded)
    as_of = parse_date(args.as_of) if args.as_of is not None else business_today(loaded.settings.hall.timezone)
    report = seed_database(paths.database, args.accounts, args.seed, as_of)
    print(translate("seed.done", accounts=report.accounts, bills=report.bills, arrears=report.accounts_in_arrears,
                    disconnected=report.disconnected, users=report.users, seconds=f"{report.seconds:.1f}",
                    file=str(report.path)))
    return EXIT_OK


def _open_store(loaded: LoadedSettings):
    from cashier.store import Store

    return Store.open(loaded.paths.database, backup_dir=loaded.paths.backup_dir)


def cmd_quote(args: argparse.Namespace, paths: Paths) -> int:
    from admin.views import quote_text
    from cashier.dates import business_today, parse_date
    from cashier.quote import check_account_no, quote_account

    loaded = _load(args, paths)
    settings = loaded.settings
    number = check_account_no(args.account, settings.hall.account_number_length)
    on = parse_date(args.on) if args.on is not None else business_today(settings.hall.timezone)  # "" is a mistake, not today
    with _open_store(loaded) as store, store.read() as session:
        quote = quote_account(session, number, on, policy_in_force(session, settings.penalty.policy()).policy,
                              account_number_length=settings.hall.account_number_length)
    if args.json:
        print(json.dumps(quote.to_json(), ensure_ascii=False, indent=2))
    else:
        print(quote_text(quote))
    return EXIT_OK


def cmd_search(args: argparse.Namespace, paths: Paths) -> int:
    from admin.views import search_text
    from cashier.search import search

    loaded = _load(args, paths)
    with _open_store(loaded) as store, store.read() as session:
        result = search(session, args.query, limit=max(1, min(args.limit, 200)),
                        account_number_length=loaded.settings.hall.account_number_length)
    print(search_text(result))
    return EXIT_OK if result.hits else EXIT_CHECK_FAILED


def cmd_print_test(args: argparse.Namespace, paths: Paths) -> int:
    # The CLI is an entry point like the GUI: it may use receipts/ (the core modules may not).
    from receipts.builders import Hall
    from receipts.printing import print_test_page

    settings = _load(args, paths).settings
    uri = args.printer or settings.printer.uri
    width = args.width or settings.printer.width
    raster = args.raster or settings.printer.raster
    hall = Hall(settings.hall.name, settings.terminal.id, settings.terminal.name, settings.hall.timezone)
    page = print_test_page(uri, width, raster, hall, paths.data_dir / "previews")
    if page.preview is not None:
        print(translate("cli.print_test_preview", file=str(page.preview)))
        return EXIT_OK
    print(translate("cli.print_test_sent", bytes=page.bytes_sent, uri=uri, width=width,
                    mode=translate("cli.mode_raster" if raster else "cli.mode_text")))
    for warning in page.warnings:
        print(translate(warning))
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace, paths: Paths) -> int:
    from cashier import audit, records
    from cashier.money import format_fen

    loaded = _load(args, paths)
    anchors = comparison = None
    with _open_store(loaded) as store:
        if args.upstream:
            anchors, comparison = _against_upstream(loaded, store)
        with store.read() as session:
            check = audit.verify(session)
            problems = records.verify(session)
            anchored = records.check_anchors(session, anchors) if anchors is not None else []
    failed = False
    if check.ok:
        print(translate("audit.ok", count=check.entries))
    else:
        failed = True
        print(translate("audit.broken", id=check.first_bad_id, problem=translate(f"audit.{check.problem}"),
                        count=check.entries))
    for problem in problems:
        failed = True
        print(translate(f"records.{problem.problem}", kind=translate(f"records.kind_{problem.kind}"),
                        id=problem.entity_id))
    if not problems:
        print(translate("records.ok"))
    if anchors is not None:
        for bad in anchored:
            failed = True
            print(translate(f"audit.anchor_{bad.problem}", seq=bad.seq))
        if not anchored:
            print(translate("audit.anchors_ok", count=len(anchors)))
    if comparison is not None:
        for d in comparison.differences:
            failed = True
            if d.bill_no is None:
                print(translate("records.balance_differs", account=d.account_no, local=format_fen(d.local_fen),
                                expected=format_fen(d.expected_fen)))
            else:
                print(translate("records.bill_differs", account=d.account_no, bill=d.bill_no,
                                local=format_fen(d.local_fen), expected=format_fen(d.expected_fen)))
        if not comparison.differences:
            print(translate("records.upstream_ok", accounts=comparison.accounts, bills=comparison.bills,
                            stale=comparison.stale))
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _against_upstream(loaded: LoadedSettings, store):
    """The chain heads this terminal's pushes left at the upstream, and the store's bills and balances
    compared with the upstream's rows (``cashier.sync.compare``)."""
    from cashier.errors import DomainError
    from cashier.sync.client import Refused, Unreachable, UpstreamClient, load_credentials
    from cashier.sync.compare import compare_with_upstream

    creds = load_credentials(loaded.paths.data_dir)
    settings = loaded.settings
    if creds is None or not settings.upstream.url:
        raise DomainError("sync.not_enrolled")
    try:
        with UpstreamClient.configured(settings.upstream, token=creds.token) as client:  # ca_file, plain HTTP as set
            return client.audit_anchors().anchors, compare_with_upstream(store, client)
    except Unreachable as exc:
        raise DomainError("sync.unreachable", url=settings.upstream.url, reason=str(exc)) from None
    except Refused as exc:
        raise DomainError("sync.refused", reason=exc.message or exc.code) from None


def cmd_enroll(args: argparse.Namespace, paths: Paths) -> int:
    from cashier.store import schema
    from cashier.sync.setup import describe_move, enroll_terminal

    loaded = _load(args, paths)
    _start_logging(loaded)
    schema.ensure_data_dir(paths.data_dir)
    with _open_store(loaded) as store:
        done = enroll_terminal(loaded, store, args.upstream, args.code)
    print(translate("cli.enrolled", hall=done.hall_code, terminal=done.terminal_id, file=done.credentials_file))
    for warning in done.warnings:  # plain HTTP allowed, certificate unchecked: said every time
        print(warning, file=sys.stderr)
    if done.sequence_moved:
        print(describe_move(done.sequence_moved))
    return EXIT_OK


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def cmd_backup(args: argparse.Namespace, paths: Paths) -> int:
    from pathlib import Path

    from cashier.maintenance import backup

    loaded = _load(args, paths)
    _start_logging(loaded)
    settings = loaded.settings
    report = backup(paths.database, Path(args.to) if args.to else None, paths.backup_dir,
                    config_file=paths.config_file, zone=settings.hall.timezone, hall=settings.hall.code,
                    terminal=settings.terminal.id)
    log.info("backup written to %s", report.path)
    print(translate("cli.backup_done", file=str(report.path), size=f"{report.bytes / 1e6:.1f} MB",
                    counts=_counts_text(report.counts),
                    settings=translate("cli.backup_settings" if report.settings_included else "cli.backup_no_settings")))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, paths: Paths) -> int:
    from pathlib import Path

    from cashier.maintenance import check_backup, restore
    from cashier.sync.client import SyncError, load_credentials

    try:  # a damaged settings file is what a restore may be for: the backup's settings replace it
        loaded = _load(args, paths)
        zone = loaded.settings.hall.timezone
        _start_logging(loaded)
    except CashierError:
        zone = None
    source = Path(args.file)
    try:
        enrolled = load_credentials(paths.data_dir) is not None
    except SyncError:  # credentials there but unreadable: enrolled all the same
        enrolled = True
    if not args.yes:
        check_backup(source)
        print(translate("cli.restore_confirm", file=str(source)), file=sys.stderr)
        if enrolled:
            print(translate("cli.restore_sequence_warning"), file=sys.stderr)
        return EXIT_USAGE
    report = restore(paths.database, source, paths.backup_dir, config_file=paths.config_file, zone=zone,
                     enrolled=enrolled)
    log.info("restored from %s, previous saved as %s", source, report.previous_saved_as)
    print(translate("cli.restore_done", file=str(source), old=report.schema_from, new=report.schema_now,
                    counts=_counts_text(report.counts), saved=str(report.previous_saved_as or "-")))
    print(translate("cli.restore_settings", file=str(paths.config_file)) if report.settings_restored
          else translate("cli.restore_no_settings"))
    restored = load_settings(paths).settings if report.enroll_again else None
    if restored is not None and restored.upstream.url:  # a hall with an upstream: its terminal enrolls again
        print(translate("cli.restore_enroll_again", hall=restored.hall.code, terminal=restored.terminal.id))
    if enrolled:
        print(translate("cli.restore_sequence_warning"), file=sys.stderr)
    return EXIT_OK


def cmd_export_logs(args: argparse.Namespace, paths: Paths) -> int:
    from pathlib import Path

    from cashier.doctor import run_checks
    from cashier.maintenance import export_logs

    try:
        _load(args, paths)
    except CashierError:
        pass  # the doctor's report in the zip says what is wrong
    checks = run_checks(paths, tuple(args.overrides))
    out = export_logs(paths, Path(args.to), [c.line() for c in checks],
                      [{"status": c.status, "message": c.message} for c in checks])
    print(translate("cli.logs_exported", file=str(out)))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, paths: Paths) -> int:
    from cashier import collection
    from cashier.dates import business_today, parse_date
    from cashier.errors import DomainError
    from cashier.money import format_fen

    loaded = _load(args, paths)
    hall = loaded.settings.hall
    today = business_today(hall.timezone)
    with _open_store(loaded) as store, store.read() as s:
        if args.kind == "arrears":
            on = parse_date(args.on) if args.on is not None else today
            policy = policy_in_force(s, loaded.settings.penalty.policy()).policy
            result = collection.arrears(s, on, policy, to_day=collection.day_of(hall.timezone))
            data = result.to_json()
        else:
            if not args.start or not args.end:
                raise DomainError("date.invalid", text="--from / --to")
            result = collection.collection(s, parse_date(args.start), parse_date(args.end), today,
                                           collector=args.collector)
            data = result.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    if args.kind == "arrears":
        print(f"{data['on']}  欠费 {data['accounts_in_arrears']} 户  本金 {format_fen(data['principal_fen'])}"
              f"  违约金 {format_fen(data['penalty_fen'])}")
        for label, b in data["buckets"].items():
            print(f"  逾期 {label:>6} 天  {b['accounts']:6d} 户  {format_fen(b['principal_fen']):>16}")
        print(f"  停电候选 {len(data['disconnection_candidates'])} 户")
    else:
        if not data["total"]["billed_fen"]:
            print(translate("report.empty_period", start=data["from"], end=data["to"]))
        for title, lines in (("收费员", data["by_collector"]), ("供电所", data["by_area"])):
            print(f"{title}: 应收 / 实收 / 回收率 / 欠费")
            for x in lines:
                print(f"  {x['key']:<10} {format_fen(x['billed_fen']):>16} {format_fen(x['collected_fen']):>16}"
                      f" {x['rate_percent']:>7}% {format_fen(x['arrears_fen']):>14}")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, paths: Paths) -> int:
    from cashier.errors import DomainError
    from cashier.sync.setup import open_syncer, run_round

    loaded = _load(args, paths)
    _start_logging(loaded)
    with _open_store(loaded) as store:
        syncer = open_syncer(loaded, store)
        if syncer is None:
            raise DomainError("sync.not_enrolled")
        try:
            done = run_round(syncer, loaded.settings.upstream.url, refetch=args.refetch)
        finally:
            syncer.client.close()
    print(done.describe())
    if done.status.held:
        print(translate("held.hint", n=done.status.held))
    return EXIT_OK if not done.status.held else EXIT_CHECK_FAILED


def cmd_conflicts(args: argparse.Namespace, paths: Paths) -> int:
    import os

    from cashier import held_items
    from admin.held_views import held_detail_json, held_detail_text, held_item_json, held_list_text
    from cashier.errors import DomainError
    from cashier.terminal import Terminal

    loaded = _load(args, paths)
    zone = loaded.settings.hall.timezone
    with _open_store(loaded) as store:
        if args.verb == "list":
            with store.read() as s:
                items = held_items.held_items(s, include_resolved=args.all, zone=zone)
            if args.json:
                print(json.dumps([held_item_json(i) for i in items], ensure_ascii=False, indent=2))
            else:
                print(held_list_text(items))
            return EXIT_CHECK_FAILED if any(i.status in held_items.HELD_STATUSES for i in items) else EXIT_OK
        if args.verb == "show":
            with store.read() as s:
                detail = held_items.held_detail(s, args.id, zone=zone)
            print(json.dumps(held_detail_json(detail), ensure_ascii=False, indent=2) if args.json
                  else held_detail_text(detail, zone))
            return EXIT_OK
        _start_logging(loaded)
        if not (args.supervisor or "").strip():
            raise DomainError("held.supervisor_required")
        password = os.environ.get("CASHIER_SUPERVISOR_PASSWORD")
        if password is None:
            import getpass

            password = getpass.getpass(translate("held.password_prompt", user=args.supervisor))
        terminal = Terminal.from_settings(store, loaded.settings)
        item = held_items.resolve(terminal, args.id, args.action, args.reason, args.supervisor, password)
        action = held_items.normal_action(args.action)
        log.info("held upload %s resolved: %s", args.id, action)
        print(translate("held.resolved", id=item.outbox_id, record=item.record.describe(),
                        action=translate(f"held.action.{action}"), effect=translate(f"held.effect.{action}")))
    return EXIT_OK


def cmd_scan_pay(args: argparse.Namespace, paths: Paths) -> int:
    """扫码收款 from the command line: the counter's own service (``cashier.scan_pay``), the receipt printed
    as the counter prints it. Who: the open shift's cashier (the drawer the payment belongs to) unless
    ``--cashier`` names that cashier or a supervisor; like ``users``, running this with the data folder's files
    is the technician's right, and the audit entry of the intent says it came from here. Exit 0 when paid,
    1 when the provider declined or the order was cancelled (the reason printed), 3 on an error."""
    from cashier import scan_pay
    from cashier.auth import Actor, Role
    from cashier.errors import DomainError
    from cashier.money import parse_amount
    from cashier.printing import print_receipt
    from cashier.shifts import open_shift_of
    from cashier.store.models import User
    from cashier.sync.setup import open_syncer
    from cashier.terminal import Terminal
    from receipts.builders import Hall
    from receipts.printing import Printer, ReceiptRenderer

    loaded = _load(args, paths)
    _start_logging(loaded)
    amount = parse_amount(args.amount)
    scan_pay.classify(args.code)  # a code that is none is said before anything is opened
    settings = loaded.settings
    with _open_store(loaded) as store:
        syncer = open_syncer(loaded, store)
        if syncer is None:
            raise DomainError("scan.not_enrolled")
        t = syncer.scan_terminal
        if t.door_to_door is not None:
            raise DomainError("scan.door_to_door")
        with store.read() as s:
            shift = open_shift_of(s, t)
            if shift is None:
                raise DomainError("cli.scan_no_cashier")
            user = s.get(User, shift.cashier_id) if not args.cashier else \
                s.scalar(select_user(args.cashier.strip()))
            if user is None or not user.active:
                raise DomainError("cli.scan_not_shift_cashier", user=args.cashier)
            actor = Actor(user.id, user.username, user.display_name, Role(user.role))
            if actor.user_id != shift.cashier_id and actor.role != Role.SUPERVISOR:
                raise DomainError("cli.scan_not_shift_cashier", user=actor.username)
        try:
            scan_pay.resolve_open_intents(t, syncer.client)  # what a crash left open is finished first
            timings = scan_pay.ScanTimings(wait=args.wait) if args.wait else None
            sale = scan_pay.ScanSale(args.account.strip(), amount, amount)
            flow = scan_pay.ScanFlow(t, syncer.client, actor, sale, args.code, timings)
            said = []

            def waiting(out) -> None:  # once, on stderr: what the counter shows over its payment panel
                if out.provider_status == "user_paying" and not said:
                    said.append(out)
                    print(translate("scan.waiting_password"), file=sys.stderr, flush=True)

            out = scan_pay.pay_and_wait(flow, on_wait=waiting)
        finally:
            syncer.client.close()
        if out.state == "paid" and out.payment is not None:
            hall = Hall(settings.hall.name, settings.terminal.id, settings.terminal.name, settings.hall.timezone)
            render = ReceiptRenderer(Printer(settings.printer, paths.data_dir / "previews"), hall)
            printed = print_receipt(t, render, "payment", out.payment.payment_id)
            log.info("scan-pay receipt of %s: %s", out.payment.payment_id, printed.message)
    if args.json:
        print(json.dumps({"payment_id": out.payment.payment_id if out.payment else None, "status": out.state,
                          "provider": out.provider, "provider_txn_id": out.provider_txn_id,
                          "intent_id": out.intent_id, "reason": out.reason}, ensure_ascii=False))
    elif out.state == "paid":
        print(translate("cli.scan_paid", amount=format_fen_cli(out.payment.amount_fen), provider=out.provider,
                        txn=out.provider_txn_id, payment=out.payment.payment_id))
    else:
        print(out.describe() if out.final else translate("scan.left_open"))
    return EXIT_OK if out.state == "paid" else EXIT_CHECK_FAILED


def select_user(username: str):
    from sqlalchemy import select

    from cashier.store.models import User

    return select(User).where(User.username == username)


def format_fen_cli(fen: int) -> str:
    from cashier.money import format_fen

    return format_fen(fen)


def cmd_lookup(args: argparse.Namespace, paths: Paths) -> int:
    from admin.views import quote_text
    from cashier.dates import business_today
    from cashier.errors import DomainError
    from cashier.quote import check_account_no, quote_account
    from cashier.sync.setup import look_up_account, open_syncer

    loaded = _load(args, paths)
    _start_logging(loaded)
    settings = loaded.settings
    number = check_account_no(args.account, settings.hall.account_number_length)
    with _open_store(loaded) as store:
        syncer = open_syncer(loaded, store)
        if syncer is None:
            raise DomainError("sync.not_enrolled")
        try:
            look_up_account(syncer, settings.upstream.url, number, cross_hall=args.other_hall)
        finally:
            syncer.client.close()
        with store.read() as session:
            quote = quote_account(session, number, business_today(settings.hall.timezone),
                                  policy_in_force(session, settings.penalty.policy()).policy,
                                  account_number_length=settings.hall.account_number_length)
    if args.json:
        print(json.dumps(quote.to_json(), ensure_ascii=False, indent=2))
    else:
        print(quote_text(quote))
    return EXIT_OK


def _console():
    import getpass

    from cashier.users import Console

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a service, a container): the audit still says cashier-admin
        who = "?"
    return Console(who)


def cmd_users(args: argparse.Namespace, paths: Paths) -> int:
    """人员账号. No password is asked: running this with the data folder's files is the technician's right
    (as for init or restore), and the way a fresh hall gets its first technician. A new or reset password
    is printed once on stdout and never logged."""
    from cashier import users
    from cashier.i18n import Phrase
    from cashier.terminal import Terminal

    loaded = _load(args, paths)
    _start_logging(loaded)
    by = _console()
    with _open_store(loaded) as store:
        terminal = Terminal.from_settings(store, loaded.settings)
        if args.verb == "list":
            everyone = users.list_users(terminal, by)
            if args.json:
                print(json.dumps([{"username": u.username, "display_name": u.display_name, "role": u.role.value,
                                   "state": u.state, "active": u.active, "must_change_password": u.must_change_password,
                                   "locked_until": u.locked_until.isoformat() + "Z" if u.locked_until else None,
                                   "failed_attempts": u.failed_attempts} for u in everyone],
                                 ensure_ascii=False, indent=2))
            elif not everyone:
                print(translate("users.none"))
            else:
                print(translate("users.list_head"))
                from cashier.textwidth import pad

                for u in everyone:
                    print(f"  {pad(u.username, 16)} {pad(u.display_name, 12)} {pad(translate('role.' + u.role.value), 10)} "
                          f"{translate('users.state.' + u.state)}")
            return EXIT_OK
        if args.verb == "add":
            made = users.add_user(terminal, by, args.username, args.name, args.role)
            log.info("user %s added (%s) by cashier-admin", made.username, made.role.value)
            print(translate("users.added", role=Phrase("role." + made.role.value), username=made.username,
                            name=made.display_name, password=made.password))
            return EXIT_OK
        if args.verb == "reset-password":
            made = users.reset_password(terminal, by, args.username)
            log.info("user %s reset by cashier-admin: to change at the next sign-in", made.username)
            print(translate("users.reset", username=made.username, name=made.display_name, password=made.password))
            return EXIT_OK
        if args.verb == "unlock":
            info = users.unlock(terminal, by, args.username)
            log.info("user %s unlocked by cashier-admin", info.username)
            print(translate("users.unlocked", username=info.username, name=info.display_name))
            return EXIT_OK
        if not args.yes:
            print(translate("users.deactivate_confirm", username=args.username), file=sys.stderr)
            return EXIT_USAGE
        info = users.deactivate(terminal, by, args.username)
        log.info("user %s deactivated by cashier-admin", info.username)
        print(translate("users.deactivated", username=info.username, name=info.display_name))
    return EXIT_OK


def cmd_door_to_door(args: argparse.Namespace, paths: Paths) -> int:
    from cashier.dates import business_today
    from cashier.door_to_door import assigned_customers
    from cashier.errors import DomainError
    from cashier.money import format_fen

    loaded = _load(args, paths)
    settings = loaded.settings
    if args.collector is not None or args.off:
        door = settings.door_to_door.model_copy(update={"enabled": not args.off,
                                                        "collector": (args.collector or "").strip()})
        if door.enabled and not door.collector:
            raise DomainError("door.collector_required")
        saved = load_settings(paths).settings  # the file as it is, without this run's --set overrides
        save_settings(saved.model_copy(update={"door_to_door": door}), paths.config_file)
        settings = settings.model_copy(update={"door_to_door": door})
        print(translate("door.switched_on", collector=door.collector) if door.enabled else translate("door.switched_off"))
    door = settings.door_to_door
    if not door.enabled:
        if args.list:
            raise DomainError("door.not_enabled")
        return EXIT_OK
    today = business_today(settings.hall.timezone)
    with _open_store(loaded) as store, store.read() as s:
        customers = assigned_customers(s, door.collector, today, policy_in_force(s, settings.penalty.policy()).policy,
                                       settings.hall.account_number_length)
    print(translate("door.list_head", collector=door.collector, n=len(customers),
                    owing=sum(1 for c in customers if c.due_fen), due=format_fen(sum(c.due_fen for c in customers))))
    if args.list:
        for c in customers:
            print(f"  {c.account_no}  {c.name:<6} {translate('special.' + c.special_group):<8} {c.phone or '-':<12}"
                  f" {format_fen(c.due_fen):>12}  {c.address}")
    return EXIT_OK


_run = {"command": "", "started": False}  # this process's command, and whether its start line is in the log


def _start_logging(loaded: LoadedSettings) -> None:
    try:
        cfg = loaded.settings.logging
        setup_logging(loaded.paths.log_dir, cfg.level, cfg.max_bytes, cfg.backup_count, loaded.settings.hall.timezone)
    except OSError:
        return  # no log folder must not stop a technician; doctor reports the data dir
    if not _run["started"]:
        _run["started"] = True
        log_start("cashier-admin", loaded.paths, loaded.from_file, _run["command"])


def _log_run(args: argparse.Namespace, paths: Paths) -> None:
    """Start the log for any command on an existing data folder, with the start line (a command that makes the
    folder, such as init, starts it itself). Nothing here may stop the command: a bad settings file is its to say."""
    if not paths.data_dir.is_dir():
        return
    try:
        loaded: LoadedSettings | None = load_settings(paths, tuple(args.overrides))
    except CashierError:
        loaded = None
    if loaded is not None:
        _start_logging(loaded)
        return
    try:
        setup_logging(paths.log_dir)
    except OSError:
        return
    _run["started"] = True
    log_start("cashier-admin", paths, None, args.command)


def main(argv: Sequence[str] | None = None) -> int:
    private.restrict_umask()  # customer data: every file this process makes is its OS user's alone
    # Errors are printed for the technician below; without a log file they go nowhere else.
    logging.getLogger().addHandler(logging.NullHandler())
    set_language(language_from_environment())
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    paths = Paths.resolve(args.data_dir, args.config)
    _run.update(command=args.command, started=False)
    _log_run(args, paths)
    try:
        return args.func(args, paths)
    except CashierError as exc:
        log.error("%s failed: %s", args.command, exc.message("en"))
        print(translate("cli.error", message=str(exc)), file=sys.stderr)
        return EXIT_ERROR
    except (OSError, sqlite3.Error, DBAPIError) as exc:
        # The last net for a disk or a database that failed where no command said it in its own words.
        from cashier.store.faults import os_error, store_error

        said = os_error("store", exc, getattr(exc, "filename", None) or paths.data_dir) if isinstance(exc, OSError) \
            else store_error(exc, paths.database)
        if said is None:
            raise
        log.exception("%s failed", args.command)
        print(translate("cli.error", message=str(said)), file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
