"""Enrolling a terminal with the upstream and opening the syncer of an enrolled one."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from cashier.errors import DomainError
from cashier.settings import LoadedSettings, save_settings
from cashier.store import Store
from cashier.store.models import Payment
from cashier import documents
from cashier.sync.client import (Credentials, Refused, SyncError, Unreachable, Untrusted, UpstreamClient,
                                 load_credentials, save_credentials, terminal_key)
from cashier.sync.engine import RoundReport, Syncer, SyncStatus, read_status
from cashier.sync.round_lock import RoundBusy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Enrollment:
    terminal_id: str
    hall_code: str
    credentials_file: str
    warnings: tuple[str, ...] = ()  # what is weak about the link (plain HTTP allowed, certificate unchecked)
    sequence_moved: tuple[int, int] | None = None  # (local last, upstream's last) when this PC was behind


def enroll_terminal(loaded: LoadedSettings, store: Store, url: str, code: str, *, verify_tls: bool | None = None) -> Enrollment:
    """Exchange a one-time code for credentials; set the hall, terminal and upstream in the settings.

    The link is ``[upstream]``'s (``ca_file``, ``allow_plain_http``): plain HTTP to another machine is refused
    (InsecureLink) before the code is sent, and a certificate the terminal does not trust says so.

    The data folder's terminal key goes with the code, so running this again after an answer was lost (a
    timeout, a dropped connection) gets the same credentials while the code is valid. The counter then
    numbers on from past the upstream's last number for this terminal (a PC replaced or restored).
    """
    url = url.rstrip("/")
    settings = loaded.settings
    upstream = settings.upstream if verify_tls is None else settings.upstream.model_copy(update={"verify_tls": verify_tls})
    key = terminal_key_of(loaded.paths.data_dir)
    try:
        with UpstreamClient.configured(upstream, url=url) as client:
            warnings = tuple(client.warnings)
            answer = client.enroll(code.strip(), key)
    except Untrusted as exc:
        raise DomainError("sync.tls_untrusted", url=url, reason=exc.reason) from None
    except Unreachable as exc:
        raise DomainError("sync.unreachable", url=url, reason=str(exc)) from None
    except Refused as exc:
        raise DomainError("sync.enroll_refused", reason=exc.message or exc.code) from None
    with store.read() as s:
        other = s.scalar(select(func.count()).select_from(Payment).where(Payment.terminal_id != answer.terminal_id))
    if other:
        raise DomainError("sync.enroll_other_terminal", terminal=answer.terminal_id, local=settings.terminal.id)
    path = save_credentials(loaded.paths.data_dir, Credentials(url, answer.terminal_id, answer.hall_code, answer.token))
    log.info("enrolled with %s: terminal %s, hall %s (credentials kept in %s)", url, answer.terminal_id, answer.hall_code, path)
    from datetime import datetime, timezone

    from cashier.sync.engine import set_state

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with store.transaction() as s:  # the offline clock starts here until the first successful round
        set_state(s, enrolled_at=now)
        moved = number_on(s, answer, now)
    changed = settings.model_copy(update={
        "upstream": upstream.model_copy(update={"url": url}),
        "terminal": settings.terminal.model_copy(update={"id": answer.terminal_id}),
        "hall": settings.hall.model_copy(update={"code": answer.hall_code}),
    })
    save_settings(changed, loaded.paths.config_file)
    return Enrollment(answer.terminal_id, answer.hall_code, str(path), warnings, moved)


def terminal_key_of(data_dir) -> str:
    """The data folder's terminal key (made once); a DomainError when it cannot be read."""
    try:
        return terminal_key(data_dir)
    except SyncError as exc:
        raise DomainError("sync.terminal_key_unreadable", reason=str(exc)) from None


def number_on(s, answer, at) -> tuple[int, int] | None:
    """Number on from past the upstream's last number for the enrolled terminal; (was, now) when it moved."""
    if answer.last_seq is None:  # an upstream of protocol 1 does not say
        return None
    was = documents.catch_up(s, answer.terminal_id, answer.last_seq, at)
    return None if was is None else (was, answer.last_seq)


def open_syncer(loaded: LoadedSettings, store: Store, clock=None) -> Syncer | None:
    """The syncer of an enrolled terminal, or None when this terminal works without an upstream; an upstream
    link that ``[upstream]`` does not allow (plain HTTP to another machine) is refused (InsecureLink)."""
    creds = load_credentials(loaded.paths.data_dir)
    settings = loaded.settings
    if creds is None or not settings.upstream.url:
        return None
    client = UpstreamClient.configured(settings.upstream, token=creds.token)
    syncer = Syncer(store, client, clock=clock, batch_size=settings.sync.batch_size)
    from cashier.terminal import Terminal

    syncer.scan_terminal = Terminal.from_settings(store, settings, clock)  # each round resolves open scan intents
    return syncer


@dataclass(frozen=True)
class Round:
    report: RoundReport
    status: SyncStatus
    warnings: tuple[str, ...] = ()  # what is weak about the link, said after every round

    def describe(self) -> str:
        """What moved, in the user's language (the same line ``cashier-admin sync`` prints)."""
        from cashier.i18n import translate

        pushed = ", ".join(f"{k} {v}" for k, v in sorted(self.report.pushed.items())) or translate("cli.sync_nothing")
        done = translate("cli.sync_done", pushed=pushed, accounts=self.report.accounts, bills=self.report.bills,
                         snapshot=translate("cli.sync_snapshot") if self.report.snapshot else "",
                         pending=self.status.pending, held=self.status.held)
        if self.report.scan:
            done += " " + translate("sync.scan_done", what=", ".join(
                f"{translate('scan.state.' + k)} {v}" for k, v in sorted(self.report.scan.items())))
        moved = describe_move(self.report.sequence_moved)
        return " ".join([moved, done, *self.warnings] if moved else [done, *self.warnings])


def describe_move(moved: tuple[int, int] | None) -> str:
    """The numbering moved past the upstream's last number, said in the user's language ('' when it did not)."""
    from cashier.i18n import translate

    if moved is None:
        return ""
    return translate("sync.sequence_moved", was=moved[0], last=moved[1], next=moved[1] + 1)


def run_round(syncer: Syncer, url: str, *, wait: float = 2.0, refetch: bool = False) -> Round:
    """One sync round now; an unreachable or refusing upstream is a DomainError saying which.

    A round of another process on this data folder (the counter's worker, another ``cashier-admin sync``)
    is waited for ``wait`` seconds at most, then said (sync.busy) rather than waited for.
    """
    try:
        report = syncer.run_once(wait=wait, refetch=refetch)
    except RoundBusy:
        raise DomainError("sync.busy") from None
    except Untrusted as exc:
        raise DomainError("sync.tls_untrusted", url=url, reason=exc.reason) from None
    except Unreachable as exc:
        raise DomainError("sync.unreachable", url=url, reason=str(exc)) from None
    except Refused as exc:
        raise DomainError("sync.refused", reason=exc.message or exc.code) from None
    with syncer.store.read() as s:
        return Round(report, read_status(s, configured=True), tuple(getattr(syncer.client, "warnings", ())))


def look_up_account(syncer: Syncer, url: str, account_no: str, *, cross_hall: bool = False,
                    timeout: float | None = None, wait: float = 2.0):
    """Ask the upstream for an account now and keep it in the local store; returns its ``AccountDues``.

    An account of another hall is not this terminal's (404) unless ``cross_hall``: the explicit lookup of a
    customer of another hall paying here, which the upstream logs (who, when, which account).
    """
    try:
        dues = syncer.refresh_account(account_no, timeout=timeout, wait_for_round=wait, cross_hall=cross_hall)
    except Unreachable as exc:
        raise DomainError("sync.unreachable", url=url, reason=str(exc)) from None
    except Refused as exc:
        if exc.status == 404:
            raise DomainError("lookup.unknown" if cross_hall else "lookup.not_in_hall", account=account_no) from None
        raise DomainError("sync.refused", reason=exc.message or exc.code) from None
    if dues is None:
        raise DomainError("sync.busy")
    return dues
