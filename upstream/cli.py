"""``cashier-upstream``: run and administer the reference upstream service.

    cashier-upstream serve --db URL [--host 127.0.0.1] [--port 8740] [--max-body-mib 24] [--penalty-policy FILE]
                           [--tls-cert CERT.pem --tls-key KEY.pem [--tls-key-password-file FILE]] [--insecure-http]
                           [--max-clock-skew-minutes 10] [--offline-window-days 7] [--payments off|simulate|CONFIG]
    cashier-upstream import --db URL [--hall H] FILE [FILE ...]
    cashier-upstream import-demo --db URL --accounts N --hall H [--seed S] [--as-of YYYY-MM-DD]
    cashier-upstream enroll-code --db URL --hall H --terminal T [--valid-hours 72]
    cashier-upstream revoke --db URL --terminal T
    cashier-upstream pay --db URL --account NO --amount 12.34 [--channel 95598]
    cashier-upstream alarms [list [--terminal T] [--kind K] [--open] | show ID | clear ID --note TEXT] --db URL
    cashier-upstream conflicts [list [--terminal T] [--open] | show ID | resolve ID --note TEXT] --db URL
    cashier-upstream refused [list [--terminal T] | reopen DOCUMENT_ID --note TEXT] --db URL
    cashier-upstream cross-hall --db URL [--terminal T] [--limit 200]
    cashier-upstream reconcile --db URL --date YYYY-MM-DD [--provider wechat|alipay|bank|all] [--statement FILE]
                               [--payments FILE.toml] [--json]
    cashier-upstream openapi

``--db`` is a PostgreSQL URL (``postgresql://user@host/db``) or a SQLite file path; the
default is ``upstream.db`` in the current folder (the embedded default).

``serve`` speaks HTTPS with ``--tls-cert``/``--tls-key`` (checked before it starts: readable, PEM, the key
the certificate's). Without them it serves plain HTTP on a loopback address only (127.0.0.1, ::1,
localhost: behind a reverse proxy that speaks HTTPS, or for the demo); plain HTTP on any other address
is refused unless ``--insecure-http`` is given, and then said on the console at every start.

``serve --payments`` says who takes scan-to-pay (付款码) payments: ``off`` (the default: the scan endpoints answer
503 scan_unavailable), ``simulate`` (the payment simulator, upstream/payments/simulator.py: a code's last digit
chooses what happens) or a TOML file naming the provider adapters (``upstream.payments.providers_from_setting``).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import re
import ssl
import sys
from pathlib import Path

from cashier.dates import business_today, parse_date
from cashier.errors import CashierError
from cashier.i18n import language_from_environment, translate
from cashier.money import parse_amount

DEFAULT_DB = "upstream.db"
DEFAULT_PORT = 8740
MAX_VALID_HOURS = 30 * 24  # an enrollment code is a secret on paper: it should not lie around longer than a month
MAX_BODY_MIB = 1024
DEFAULT_SKEW_MINUTES = 10  # upstream/checks.py: how far ahead of the upstream's clock a terminal's may run
MAX_SKEW_MINUTES = 24 * 60
DEFAULT_OFFLINE_DAYS = 7  # the oldest payment taken: the terminal's offline cap (72 h by default) and then some
MAX_OFFLINE_DAYS = 366


def _whole_number(low: int, high: int, key: str):
    """An argparse type: an integer from ``low`` to ``high``, else message ``key`` (exit 2, no traceback)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(translate(key, language_from_environment(), text=text, low=low,
                                                       high=high, days=high // 24))
        return value

    return parse


def _db(url: str):
    from upstream.db import Database, UpstreamDbError

    try:
        return Database(url)
    except UpstreamDbError as exc:
        raise SystemExit(f"cashier-upstream: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a database that cannot be reached: say which and why
        raise SystemExit(f"cashier-upstream: cannot open {url}: {exc.__class__.__name__}: {exc}") from None


def _loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: a listening address only this machine reaches (names are not looked up)."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _tls_options(args) -> dict:
    """uvicorn's TLS arguments for ``serve``, after checking them; refuses plain HTTP off loopback unless
    ``--insecure-http``. Every refusal is a message and exit status 2, never a traceback."""
    lang = language_from_environment()

    def refuse(message: str, **params: object):
        print(f"cashier-upstream: {translate(message, lang, **params)}", file=sys.stderr)
        raise SystemExit(2)

    if bool(args.tls_cert) != bool(args.tls_key):
        refuse("cli.upstream_tls_pair")
    if args.tls_key_password_file and not args.tls_key:
        refuse("cli.upstream_tls_password_alone")
    if not args.tls_cert:
        if not _loopback_host(args.host):
            if not args.insecure_http:
                refuse("cli.upstream_plain_refused", host=args.host)
            print("cashier-upstream: " + translate("cli.upstream_plain_warning", lang, host=args.host), file=sys.stderr,
                  flush=True)
        return {}
    texts: dict[str, bytes] = {}
    for option, file in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key),
                         ("--tls-key-password-file", args.tls_key_password_file)):
        if not file:
            continue
        try:
            texts[option] = Path(file).read_bytes()
        except OSError as exc:
            refuse("cli.upstream_tls_file", option=option, file=file, reason=exc.strerror or str(exc))
    if b"-----BEGIN CERTIFICATE-----" not in texts["--tls-cert"]:
        refuse("cli.upstream_tls_not_pem", option="--tls-cert", file=args.tls_cert, what="CERTIFICATE")
    if not re.search(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----", texts["--tls-key"]):
        refuse("cli.upstream_tls_not_pem", option="--tls-key", file=args.tls_key, what="PRIVATE KEY")
    encrypted = b"ENCRYPTED" in texts["--tls-key"]  # PKCS#8 "ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED"
    password = None
    if "--tls-key-password-file" in texts:
        lines = texts["--tls-key-password-file"].decode("utf-8", "replace").splitlines()
        password = lines[0] if lines else ""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:  # what uvicorn will do, done first: a callable password never prompts on the terminal
        context.load_cert_chain(args.tls_cert, args.tls_key, password=lambda: (password or "").encode("utf-8"))
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            refuse("cli.upstream_tls_mismatch", key_file=args.tls_key, cert=args.tls_cert)
        if encrypted:
            refuse("cli.upstream_tls_passphrase", key_file=args.tls_key)
        refuse("cli.upstream_tls_bad", cert=args.tls_cert, key_file=args.tls_key, reason=exc.reason or str(exc))
    except (OSError, ValueError) as exc:
        refuse("cli.upstream_tls_bad", cert=args.tls_cert, key_file=args.tls_key, reason=str(exc) or type(exc).__name__)
    options = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key}
    if password is not None:
        options["ssl_keyfile_password"] = password
    return options


def _serve(args) -> int:
    import uvicorn

    from upstream.app import DEFAULT_MAX_BODY, create_app

    tls = _tls_options(args)
    if args.exit_with_parent:
        _watch_parent(args.exit_with_parent)
    max_body = args.max_body_mib * 1024 * 1024 if args.max_body_mib else DEFAULT_MAX_BODY
    policy = _policy(args.penalty_policy)  # read before serving: a bad file stops here, with its reason
    if args.workers > 1:  # each worker process opens the database itself
        import os

        os.environ["CASHIER_UPSTREAM_DB"] = args.db
        os.environ["CASHIER_UPSTREAM_MAX_BODY"] = str(max_body)
        if args.penalty_policy:
            os.environ["CASHIER_UPSTREAM_POLICY"] = str(Path(args.penalty_policy).resolve())
        os.environ["CASHIER_UPSTREAM_SKEW_MINUTES"] = str(args.max_clock_skew_minutes)
        os.environ["CASHIER_UPSTREAM_OFFLINE_DAYS"] = str(args.offline_window_days)
        os.environ["CASHIER_UPSTREAM_PAYMENTS"] = args.payments
        _db(args.db).dispose()  # migrate once, before the workers start
        uvicorn.run("upstream.cli:worker_app", factory=True, host=args.host, port=args.port, log_level="info",
                    workers=args.workers, access_log=False, **tls)
        return 0
    db = _db(args.db)
    uvicorn.run(create_app(db, max_body=max_body, policy=policy,
                           plausible=_plausible(args.max_clock_skew_minutes, args.offline_window_days),
                           payments=_payments(args.payments, db)),
                host=args.host, port=args.port, log_level="info", **tls)
    return 0


def _payments(value: str, db):
    """The payment providers ``--payments`` names (upstream/payments/__init__.py); a bad value stops here."""
    from upstream.payments import PaymentsSettingError, providers_from_setting

    try:
        return providers_from_setting(value, db)
    except PaymentsSettingError as exc:
        raise SystemExit(f"cashier-upstream: payments: {exc}") from None


def _policy(path: str | None):
    """The penalty policy to apply and distribute: the file's, or the supply rules' (``default``)."""
    from upstream.policy import DEFAULT_POLICY_BODY, PolicyFileError, load_policy_file

    if not path:
        return DEFAULT_POLICY_BODY
    try:
        return load_policy_file(Path(path))
    except PolicyFileError as exc:
        raise SystemExit(f"cashier-upstream: penalty policy: {exc}") from None


def _plausible(skew_minutes: int, window_days: int):
    """The date checks of a pushed payment (upstream/checks.py)."""
    from datetime import timedelta

    from upstream.checks import Plausibility

    return Plausibility(max_clock_skew=timedelta(minutes=skew_minutes), offline_window=timedelta(days=window_days))


def worker_app():
    """The app of one of several server processes (``serve --workers N``)."""
    import os

    from upstream.app import DEFAULT_MAX_BODY, create_app
    from upstream.db import Database

    db = Database(os.environ["CASHIER_UPSTREAM_DB"], migrate=False)
    return create_app(db, payments=_payments(os.environ.get("CASHIER_UPSTREAM_PAYMENTS", "off"), db),
                      max_body=int(os.environ.get("CASHIER_UPSTREAM_MAX_BODY", DEFAULT_MAX_BODY)),
                      policy=_policy(os.environ.get("CASHIER_UPSTREAM_POLICY")),
                      plausible=_plausible(int(os.environ.get("CASHIER_UPSTREAM_SKEW_MINUTES", DEFAULT_SKEW_MINUTES)),
                                           int(os.environ.get("CASHIER_UPSTREAM_OFFLINE_DAYS", DEFAULT_OFFLINE_DAYS))))


def _watch_parent(pid: int) -> None:
    """The demo's upstream ends with the program that started it, however that program ended."""
    import os
    import threading
    import time

    def watch() -> None:
        while os.getppid() == pid:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _import(args) -> int:
    from upstream.importer import ImportError_, import_files

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"cashier-upstream: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.hall is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", args.hall):
        print(f"cashier-upstream: hall code {args.hall!r}: 1-32 letters, digits, - or _", file=sys.stderr)
        return 2
    try:
        report = import_files(_db(args.db), [Path(f) for f in args.files], hall_code=args.hall)
    except ImportError_ as exc:
        print("nothing imported; fix these rows first:", file=sys.stderr)
        for line in exc.errors:
            print("  " + line, file=sys.stderr)
        return 1
    print(f"imported {report.accounts} accounts and {report.bills} bills")
    if report.without_hall:
        print(f"warning: {report.without_hall} accounts have no hall: no terminal sees them until an import names "
              "their hall (a hall_code column, or --hall)", file=sys.stderr)
    return 0


def _import_demo(args) -> int:
    from upstream.import_demo import NotEmpty, import_demo

    lang = language_from_environment()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", args.hall):
        print(f"cashier-upstream: {translate('cli.upstream_demo_hall', lang, hall=args.hall)}", file=sys.stderr)
        return 2
    try:
        as_of = parse_date(args.as_of) if args.as_of else business_today()
    except CashierError as exc:
        print(f"cashier-upstream: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    db = _db(args.db)
    try:
        report = import_demo(db, args.accounts, args.hall, seed=args.seed, as_of=as_of)
    except NotEmpty as exc:
        print(f"cashier-upstream: {translate('cli.upstream_demo_not_empty', lang, accounts=exc.accounts)}",
              file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(translate("cli.upstream_demo_done", lang, hall=args.hall, accounts=report.accounts, bills=report.bills,
                    seed=args.seed, as_of=as_of.isoformat()))
    return 0


def _enroll_code(args) -> int:
    from upstream.errors import Refusal
    from upstream.terminals import create_enrollment_code

    try:
        code = create_enrollment_code(_db(args.db), args.hall, args.terminal, args.valid_hours)
    except Refusal as exc:
        print(f"cashier-upstream: {exc.message}", file=sys.stderr)
        return 1
    print(code)
    print(f"one-time code for terminal {args.terminal} of hall {args.hall}, valid {args.valid_hours} h", file=sys.stderr)
    return 0


def _revoke(args) -> int:
    from upstream.errors import Refusal
    from upstream.terminals import revoke

    try:
        revoke(_db(args.db), args.terminal)
    except Refusal as exc:
        print(f"cashier-upstream: {exc.message}", file=sys.stderr)
        return 1
    print(f"terminal {args.terminal}: credentials revoked")
    return 0


def _pay(args) -> int:
    from upstream.errors import Refusal
    from upstream.accounts import pay_other_channel

    try:
        amount = parse_amount(args.amount)
        paid_on = parse_date(args.on) if args.on else business_today()
        doc = pay_other_channel(_db(args.db), args.account, amount, args.channel, paid_on)
    except (Refusal, CashierError) as exc:
        print(f"cashier-upstream: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    print(doc)
    return 0


def _print_detail(detail: dict, indent: str = "  ") -> None:
    for key, value in detail.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        print(f"{indent}{key}: {text}")


def _why(code: str | None) -> str:
    """A reason code with its words (the terminal's messages), or the code as it is."""
    from cashier.held_items import reason_text

    if not code:
        return "-"
    words = reason_text(code, language_from_environment())
    return code if words == code else f"{code} ({words})"


def _desk(args, job) -> int:
    from upstream.alarms import DeskError

    db = _db(args.db)
    try:
        return job(db)
    except DeskError as exc:
        print(f"cashier-upstream: {exc.message}", file=sys.stderr)
        return 1
    finally:
        db.dispose()


def _alarms(args) -> int:
    from upstream import alarms

    def job(db) -> int:
        action = getattr(args, "action", None) or "list"
        if action == "list":  # bare ``alarms``, as before: the open ones
            open_only = args.open or getattr(args, "action", None) is None
            rows = alarms.list_alarms(db, terminal=args.terminal, kind=args.kind, open_only=open_only)
            for a in rows:
                state = "open" if a.open else f"cleared {a.cleared_at:%Y-%m-%d %H:%M}"
                detail = json.dumps(a.detail, ensure_ascii=False, sort_keys=True)
                print(f"{a.id:6d}  {a.created_at:%Y-%m-%d %H:%M:%S}  {a.terminal_id or '-':8} {a.kind:18} "
                      f"{a.subject}  [{state}]  {detail}")
            opened = sum(a.open for a in rows)
            print(f"{len(rows)} alarm(s), {opened} open", file=sys.stderr)
            return 0
        if action == "show":
            a = alarms.get_alarm(db, args.id)
            print(f"alarm {a.id}: {a.kind} on {a.subject}")
            print(f"  terminal: {a.terminal_id or '-'}")
            print(f"  raised:   {a.created_at:%Y-%m-%d %H:%M:%S} UTC")
            print(f"  state:    {'open' if a.open else f'cleared {a.cleared_at:%Y-%m-%d %H:%M:%S} UTC'}")
            if a.kind == "conflict":
                print(f"  why:      {_why(a.detail.get('why'))}")
            _print_detail(a.detail)
            return 0
        a = alarms.clear_alarm(db, args.id, args.note)
        print(f"alarm {a.id} ({a.kind} {a.subject}) cleared: {args.note.strip()}")
        return 0

    return _desk(args, job)


def _conflicts(args) -> int:
    from upstream import alarms

    def job(db) -> int:
        action = getattr(args, "action", None) or "list"
        if action == "list":
            rows = alarms.list_conflicts(db, terminal=args.terminal, open_only=args.open)
            for c in rows:
                state = "open" if c.resolved_at is None else f"settled {c.resolved_at:%Y-%m-%d %H:%M}"
                print(f"{c.id:6d}  {c.received_at:%Y-%m-%d %H:%M:%S}  {c.terminal_id:8} {c.kind:14} {c.document_id}  "
                      f"{c.why}  kept {c.kept_id or '-'}  [{state}]")
            print(f"{len(rows)} conflict(s), {sum(c.resolved_at is None for c in rows)} open", file=sys.stderr)
            return 0
        c = alarms.get_conflict(db, args.id) if action == "show" else alarms.resolve_conflict(db, args.id, args.note)
        print(f"conflict {c.id}: {c.kind} {c.document_id} from terminal {c.terminal_id}")
        print(f"  why:      {_why(c.why)}")
        print(f"  received: {c.received_at:%Y-%m-%d %H:%M:%S} UTC (held, never applied)")
        print(f"  kept:     {c.kept_id or '-'} ({c.kept_status or 'nothing under this id'})")
        print(f"  differs:  {', '.join(c.differs) or '-'}")
        if c.resolved_at:
            print(f"  settled:  {c.resolved_at:%Y-%m-%d %H:%M:%S} UTC  {c.note or ''}")
        for key in c.differs:
            held = json.dumps(c.body.get(key), ensure_ascii=False, sort_keys=True)
            kept = json.dumps((c.kept or {}).get(key), ensure_ascii=False, sort_keys=True)
            print(f"    {key}: held {held}  |  kept {kept}")
        return 0

    return _desk(args, job)


def _refused(args) -> int:
    from upstream import alarms

    def job(db) -> int:
        action = getattr(args, "action", None) or "list"
        if action == "list":
            rows = alarms.list_refused(db, terminal=args.terminal)
            for d in rows:
                print(f"{d.received_at:%Y-%m-%d %H:%M:%S}  {d.terminal_id or '-':8} {d.kind:14} seq {d.seq or '-':>8}  "
                      f"{d.id}  {d.account_no or '-'}  {d.amount_fen}  {_why(d.reason)}")
            print(f"{len(rows)} refused document(s)", file=sys.stderr)
            return 0
        record = alarms.reopen_refused(db, args.document, args.note)
        print(f"document {args.document} reopened (was refused: {_why(record.detail.get('reason'))}); "
              f"the terminal's next send is judged afresh. Kept as record {record.id} (kind reopened).")
        return 0

    return _desk(args, job)


def _cross_hall(args) -> int:
    from upstream.scope import access_log

    rows = access_log(_db(args.db), args.terminal, args.limit)
    for r in rows:
        print(f"{r.at:%Y-%m-%d %H:%M:%S}  {r.terminal_id:8} {r.hall_code:10} {r.action:9} {r.account_no:20} "
              f"of {r.account_hall or '(no hall)'}  {r.document_id or ''}".rstrip())
    print(f"{len(rows)} cross-hall read(s) and payment(s), newest first", file=sys.stderr)
    return 0


def _openapi(_args) -> int:
    from upstream.app import create_app

    class _NoDb:  # the document does not need a database
        pass

    print(json.dumps(create_app(_NoDb()).openapi(), ensure_ascii=False, indent=2))  # type: ignore[arg-type]
    return 0


def _evaluations(args) -> int:
    from upstream import evaluations

    lang = language_from_environment()
    try:
        day = parse_date(args.date)
    except (CashierError, ValueError):
        raise SystemExit(translate("reconcile.bad_date", lang, text=args.date)) from None
    db = _db(args.db)
    try:
        rows = evaluations.counts(db, day, args.hall)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({"date": day.isoformat(), "hall": args.hall, "cashiers": [r.as_dict() for r in rows]},
                         ensure_ascii=False, indent=2))
        return 0
    print(translate("evaluations.header", lang, day=day.isoformat()))
    for r in rows:
        rate = r.rate_permille()
        print(translate("evaluations.row", lang, hall=r.hall_code, cashier=r.cashier, very=r.very_satisfied,
                        satisfied=r.satisfied, unsatisfied=r.unsatisfied, unrated=r.unrated,
                        rate="—" if rate is None else f"{rate / 10:.1f}%"))
    if not rows:
        print(translate("evaluations.none", lang))
    return 0


def _reconcile(args) -> int:
    lang = language_from_environment()
    try:
        day = parse_date(args.date)
    except (CashierError, ValueError):
        raise SystemExit(translate("reconcile.bad_date", lang, text=args.date)) from None
    db = _db(args.db)
    try:
        return _reconcile_with(args, lang, day, db)
    finally:
        db.dispose()


def _reconcile_with(args, lang: str, day, db) -> int:
    from upstream import reconcile
    from upstream.payments.base import ProviderUnreachable
    from upstream.payments.statements import StatementError, read_statement

    config = None
    if args.payments == "simulate":  # the demo's simulator: its own books, in the upstream's database
        from upstream.payments.config import PaymentsConfig
        from upstream.payments.simulator import Simulator

        config = PaymentsConfig(providers={provider: Simulator("unionpay" if provider == "bank" else provider, db)
                                           for provider in reconcile.PROVIDERS})
    elif args.payments:
        from upstream.payments.config import PaymentsConfigError, load_payments_config

        try:
            config = load_payments_config(args.payments)
        except PaymentsConfigError as exc:
            raise SystemExit(translate("reconcile.bad_config", lang, reason=str(exc))) from None
    if args.statement and args.provider == "all":
        raise SystemExit(translate("reconcile.file_needs_provider", lang))
    if args.provider != "all":
        providers = [args.provider]
    elif config is not None:
        providers = [p for p in reconcile.PROVIDERS if p in config.providers]
    else:
        raise SystemExit(translate("reconcile.no_source", lang))
    results = []
    for provider in providers:
        if args.statement:
            try:
                data = Path(args.statement).read_bytes()
            except OSError as exc:
                raise SystemExit(translate("reconcile.unreadable", lang, file=args.statement,
                                           reason=exc.strerror or exc)) from None
        elif config is not None and provider in config.providers:
            try:
                data = config.providers[provider].statement(day)
            except ProviderUnreachable as exc:
                raise SystemExit(translate("reconcile.download_failed", lang, provider=provider,
                                           reason=str(exc))) from None
        else:
            raise SystemExit(translate("reconcile.no_source_for", lang, provider=provider))
        try:
            lines = read_statement(provider, data, config.bank_layout if config else None)
        except StatementError as exc:
            raise SystemExit(translate("reconcile.bad_statement", lang, provider=provider, reason=str(exc))) \
                from None
        results.append(reconcile.reconcile(db, day, provider, lines))
    if args.json:
        payload = [r.as_json() for r in results]
        print(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
    else:
        for r in results:
            _print_reconciliation(r, lang)
    return 0 if all(r.reconciled for r in results) else 1


def _print_reconciliation(r, lang: str) -> None:
    from upstream.payments.statements import fen_to_yuan

    print(translate("reconcile.head", lang, provider=translate(f"reconcile.provider_{r.provider}", lang),
                    date=r.date.isoformat()))
    print(translate("reconcile.figures", lang, lines=r.statement_lines, statement=fen_to_yuan(r.statement_fen),
                    refunds=fen_to_yuan(r.statement_refund_fen), payments=r.ledger_payments,
                    ledger=fen_to_yuan(r.ledger_fen), ledger_refunds=fen_to_yuan(r.ledger_refund_fen),
                    matched=r.matched))
    if r.reconciled:
        print(translate("reconcile.ok", lang))
        return
    print(translate("reconcile.mismatches", lang, count=len(r.mismatches), new=r.new_alarms))
    print(translate("reconcile.columns", lang))
    for m in r.mismatches:
        amount = lambda fen: "-" if fen is None else fen_to_yuan(fen)  # noqa: E731
        print(f"  {translate('reconcile.kind_' + m.kind, lang):<14} {m.reference or '-':<32} "
              f"{amount(m.statement_fen):>12} {amount(m.ledger_fen):>12}  {m.terminal_id or '-':<8} "
              f"{m.cashier or '-':<10} {m.document_id or '-'}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cashier-upstream", description="Reference upstream service of the counter cashier")
    sub = parser.add_subparsers(dest="command", required=True)

    def cmd(name: str, handler, help_text: str, db: bool = True) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text)
        if db:
            sp.add_argument("--db", default=DEFAULT_DB, help="postgresql://… URL or SQLite file (default %(default)s)")
        sp.set_defaults(handler=handler)
        return sp

    sp = cmd("serve", _serve, "run the HTTP API (HTTPS with --tls-cert and --tls-key)")
    sp.add_argument("--host", default="127.0.0.1",
                    help="listening address (default %(default)s); any but a loopback one needs TLS or --insecure-http")
    sp.add_argument("--port", type=int, default=DEFAULT_PORT)
    sp.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL; default 1)")
    sp.add_argument("--max-body-mib", type=_whole_number(1, MAX_BODY_MIB, "cli.upstream_max_body"),
                    help="largest request body taken from an authenticated terminal, in MiB (default 24: "
                         "the largest push batch the protocol allows fits)")
    sp.add_argument("--penalty-policy", metavar="FILE",
                    help="TOML file with the penalty policy to apply and hand to terminals (version label, "
                         "minimum, rates per class); default: the supply rules' numbers, labelled 'default'")
    sp.add_argument("--tls-cert", metavar="CERT.pem", help="serve HTTPS with this certificate (PEM, with its chain)")
    sp.add_argument("--tls-key", metavar="KEY.pem", help="the certificate's private key (PEM)")
    sp.add_argument("--tls-key-password-file", metavar="FILE",
                    help="a file whose first line is the passphrase of an encrypted --tls-key")
    sp.add_argument("--insecure-http", action="store_true",
                    help="serve plain HTTP on a non-loopback --host (credentials and payments in clear; "
                         "a closed test network only)")
    sp.add_argument("--max-clock-skew-minutes", type=_whole_number(0, MAX_SKEW_MINUTES, "cli.upstream_skew"),
                    default=DEFAULT_SKEW_MINUTES,
                    help="a payment dated later than the upstream's clock by more than this is rejected "
                         "(date_in_future); one older is flagged offline_late (default %(default)s)")
    sp.add_argument("--offline-window-days", type=_whole_number(1, MAX_OFFLINE_DAYS, "cli.upstream_offline_days"),
                    default=DEFAULT_OFFLINE_DAYS,
                    help="a payment older than this is rejected (date_too_old) and held on the terminal for its "
                         "supervisor; keep it above the terminals' [sync] max_offline_hours (default %(default)s)")
    sp.add_argument("--payments", default="off", metavar="off|simulate|CONFIG",
                    help="scan-to-pay providers: off (default), simulate (the payment simulator) or a TOML file")
    sp.add_argument("--exit-with-parent", type=int, metavar="PID", help=argparse.SUPPRESS)
    sp = cmd("import", _import, "import accounts and bills (CSV or JSON)")
    sp.add_argument("--hall", help="the hall whose terminals see the imported accounts that have no hall_code column")
    sp.add_argument("files", nargs="+")
    sp = cmd("import-demo", _import_demo, "fill an empty upstream with a made-up trial hall: realistic customers and a "
                                          "year of bills (no CSV needed)")
    sp.add_argument("--accounts", required=True, type=_whole_number(1, 200_000, "cli.upstream_limit"),
                    help="how many customers, 1 to 200000 (12 bills each)")
    sp.add_argument("--hall", required=True, help="the hall whose terminals see them (the code its enrollment codes name)")
    sp.add_argument("--seed", type=_whole_number(0, 2**31 - 1, "cli.upstream_limit"), default=1,
                    help="the same seed makes the same hall (default %(default)s)")
    sp.add_argument("--as-of", help="the day the year of bills ends before (default today)")
    sp = cmd("enroll-code", _enroll_code, "make a one-time enrollment code for a terminal")
    sp.add_argument("--hall", required=True)
    sp.add_argument("--terminal", required=True)
    sp.add_argument("--valid-hours", type=_whole_number(1, MAX_VALID_HOURS, "cli.upstream_valid_hours"), default=72,
                    help=f"how long the code works, 1 to {MAX_VALID_HOURS} hours (default %(default)s)")
    sp = cmd("revoke", _revoke, "revoke a terminal's credentials")
    sp.add_argument("--terminal", required=True)
    sp = cmd("pay", _pay, "record a payment made through another channel (95598, app, bank)")
    sp.add_argument("--account", required=True)
    sp.add_argument("--amount", required=True)
    sp.add_argument("--channel", default="95598")
    sp.add_argument("--on", help="payment date (default today)")
    _desk_commands(sub)
    sp = cmd("cross-hall", _cross_hall, "list terminals' reads and payments of other halls' accounts")
    sp.add_argument("--terminal", help="one terminal only")
    sp.add_argument("--limit", type=_whole_number(1, 100000, "cli.upstream_limit"), default=200)
    sp = cmd("reconcile", _reconcile, "compare a day's provider statement with the ledger's payments (对账); "
                                      "exit 1 when they differ")
    sp.add_argument("--date", required=True, help="the business day, YYYY-MM-DD")
    sp.add_argument("--provider", choices=("wechat", "alipay", "bank", "all"), default="all")
    sp.add_argument("--statement", metavar="FILE", help="the statement file in the provider's layout (default: "
                                                          "download it from the provider of --payments)")
    sp.add_argument("--payments", metavar="FILE.toml|simulate",
                    help="the payments settings: provider credentials and the bank's statement columns; `simulate`: "
                         "the statements of the simulator that `serve --payments simulate` (the demo) pays with")
    sp.add_argument("--json", action="store_true", help="print the result as JSON")
    sp = cmd("evaluations", _evaluations, "service evaluations (服务评价) of a day, counted per cashier")
    sp.add_argument("--date", required=True, help="the business day, YYYY-MM-DD")
    sp.add_argument("--hall", help="one hall only")
    sp.add_argument("--json", action="store_true", help="print the counts as JSON")
    cmd("openapi", _openapi, "print the OpenAPI document", db=False)
    return parser


def _desk_commands(sub) -> None:
    """alarms / conflicts / refused, each with actions; ``--db`` before or after the action."""

    def group(name: str, handler, help_text: str):
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.add_argument("--db", default=DEFAULT_DB, help="postgresql://… URL or SQLite file (default %(default)s)")
        sp.set_defaults(handler=handler, action=None, terminal=None, kind=None, open=False)
        actions = sp.add_subparsers(dest="action", metavar="ACTION")

        def action(verb: str, help_text: str):
            ap = actions.add_parser(verb, help=help_text, description=help_text)
            ap.add_argument("--db", default=argparse.SUPPRESS, help="as above")
            return ap

        return sp, action

    sp, action = group("alarms", _alarms, "alarms: sequence gaps, conflicts, shift differences, late payments "
                                           "(no action: the open ones)")
    ap = action("list", "list alarms, oldest first")
    ap.add_argument("--terminal", help="only this terminal")
    ap.add_argument("--kind", help="only this kind (sequence_gap, conflict, shift_difference, after_shift_close, …)")
    ap.add_argument("--open", action="store_true", help="only alarms not cleared")
    ap = action("show", "one alarm in full")
    ap.add_argument("id", type=int)
    ap = action("clear", "clear an alarm, saying what was checked or done")
    ap.add_argument("id", type=int)
    ap.add_argument("--note", required=True)
    sp, action = group("conflicts", _conflicts, "bodies sent under an id or receipt number held with other content "
                                                 "(no action: list)")
    ap = action("list", "list conflicts, oldest first")
    ap.add_argument("--terminal", help="only this terminal")
    ap.add_argument("--open", action="store_true", help="only conflicts not settled")
    ap = action("show", "a conflict: the held body against the document kept")
    ap.add_argument("id", type=int)
    ap = action("resolve", "settle a conflict (the held body is never applied); clears its alarm")
    ap.add_argument("id", type=int)
    ap.add_argument("--note", required=True)
    sp, action = group("refused", _refused, "documents the push refused, with their reason (no action: list)")
    ap = action("list", "list refused documents")
    ap.add_argument("--terminal", help="only this terminal")
    ap = action("reopen", "forget a refusal whose cause is fixed, so the terminal's retry is judged afresh")
    ap.add_argument("document", metavar="DOCUMENT_ID")
    ap.add_argument("--note", required=True)


def main(argv: list[str] | None = None) -> int:
    from cashier.private import restrict_umask

    restrict_umask()  # the upstream's database holds every customer: its files are the service user's alone
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
