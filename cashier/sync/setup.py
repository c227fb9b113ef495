"""Enrolling a terminal with the upstream and opening the syncer of an enrolled one."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from cashier.errors import DomainError
from cashier.settings import LoadedSettings, save_settings
from cashier.store import Store
from cashier.store.models import Payment
from cashier.sync.client import (Credentials, Refused, Unreachable, Untrusted, UpstreamClient, load_credentials,
                                 save_credentials)
from cashier.sync.engine import RoundReport, Syncer, SyncStatus, read_status
from cashier.sync.round_lock import RoundBusy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Enrollment:
    terminal_id: str
    hall_code: str
    credentials_file: str
    warnings: tuple[str, ...] = ()  # what is weak about the link (plain HTTP allowed, certificate unchecked)


def enroll_terminal(loaded: LoadedSettings, store: Store, url: str, code: str, *, verify_tls: bool | None = None) -> Enrollment:
    """Exchange a one-time code for credentials; set the hall, terminal and upstream in the settings.

    The link is ``[upstream]``'s (``ca_file``, ``allow_plain_http``): plain HTTP to another machine is refused
    (InsecureLink) before the code is sent, and a certificate the terminal does not trust says so."""
    url = url.rstrip("/")
    settings = loaded.settings
    upstream = settings.upstream if verify_tls is None else settings.upstream.model_copy(update={"verify_tls": verify_tls})
    try:
        with UpstreamClient.configured(upstream, url=url) as client:
            warnings = tuple(client.warnings)
            answer = client.enroll(code.strip())
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

    with store.transaction() as s:  # the offline clock starts here until the first successful round
        set_state(s, enrolled_at=datetime.now(timezone.utc).replace(tzinfo=None))
    changed = settings.model_copy(update={
        "upstream": upstream.model_copy(update={"url": url}),
        "terminal": settings.terminal.model_copy(update={"id": answer.terminal_id}),
        "hall": settings.hall.model_copy(update={"code": answer.hall_code}),
    })
    save_settings(changed, loaded.paths.config_file)
    return Enrollment(answer.terminal_id, answer.hall_code, str(path), warnings)


def open_syncer(loaded: LoadedSettings, store: Store, clock=None) -> Syncer | None:
    """The syncer of an enrolled terminal, or None when this terminal works without an upstream; an upstream
    link that ``[upstream]`` does not allow (plain HTTP to another machine) is refused (InsecureLink)."""
    creds = load_credentials(loaded.paths.data_dir)
    settings = loaded.settings
    if creds is None or not settings.upstream.url:
        return None
    client = UpstreamClient.configured(settings.upstream, token=creds.token)
    return Syncer(store, client, clock=clock, batch_size=settings.sync.batch_size)


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
        return " ".join([done, *self.warnings])


def run_round(syncer: Syncer, url: str, *, wait: float = 2.0) -> Round:
    """One sync round now; an unreachable or refusing upstream is a DomainError saying which.

    A round of another process on this data folder (the counter's worker, another ``cashier-admin sync``)
    is waited for ``wait`` seconds at most, then said (sync.busy) rather than waited for.
    """
    try:
        report = syncer.run_once(wait=wait)
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
