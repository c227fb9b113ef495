"""The terminal's HTTP client of the upstream, and where its credentials live.

Failures come out as two kinds: ``Unreachable`` (network down, timeout, 5xx, a response cut
short or not what the protocol says: try again later) and ``Refused`` (the upstream answered
and said no: bad credentials, a malformed document, a used code). Credentials are kept in
``upstream.json`` in the data folder, readable by the owner only, and never logged.

The link itself: ``https://`` with the certificate checked (the system's CAs, or the hall's own CA
from ``[upstream] ca_file``); plain ``http://`` only to this machine (127.0.0.0/8, ::1, localhost),
unless ``[upstream] allow_plain_http`` says otherwise, and then every client made says so in the log.
A certificate the terminal does not trust is ``Untrusted`` (an ``Unreachable`` that names the cause).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import secrets
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from cashier import private
from cashier.errors import DomainError
from cashier.i18n import translate
from cashier.sync import protocol as p

CREDENTIALS_FILE = "upstream.json"
TERMINAL_KEY_FILE = "terminal.key"
M = TypeVar("M", bound=BaseModel)
SCAN_PAY_TIMEOUT = 12.0  # the upstream waits on the provider's answer to a pay call (a few seconds at most)
SCAN_QUERY_TIMEOUT = 6.0
log = logging.getLogger(__name__)


class SyncError(Exception):
    pass


class Unreachable(SyncError):
    """No usable answer: try again later."""


class Refused(SyncError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class Refetch(Refused):
    """The pull cursor is older than the upstream keeps: take a new snapshot."""


class NotSent(Unreachable):
    """The connection was never made (refused, no route, connect timeout): the request did not leave this PC."""


class ScanUnavailable(Refused):
    """The upstream answered 503 scan_unavailable: it has no payment provider; nothing was charged."""


class Untrusted(Unreachable):
    """The upstream's certificate is not trusted (self-signed, another CA, another name, expired)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"untrusted certificate: {reason}")
        self.reason = reason


class InsecureLink(DomainError, SyncError):
    """The upstream link as configured is refused before anything is sent (plain HTTP to another
    machine, a CA file that cannot be read); the message says which and what to set."""


def is_loopback(url: str) -> bool:
    """Does ``url`` name this machine (127.0.0.0/8, ::1, localhost)? Names are not looked up."""
    try:
        host = httpx.URL(url).host.rstrip(".").lower()
    except (httpx.InvalidURL, TypeError):
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http(url: str) -> bool:
    """Unencrypted HTTP to another machine: what ``allow_plain_http`` must allow."""
    return url.strip().lower().startswith("http://") and not is_loopback(url)


def link_warnings(url: str, *, verify_tls: bool = True, allow_plain_http: bool = False,
                  lang: str | None = None) -> list[str]:
    """What is weak about this link as configured, in ``lang`` (default the user's; empty when nothing is).
    A refused link (plain HTTP not allowed) is not a warning: ``UpstreamClient`` refuses it."""
    if not url:
        return []
    warnings = []
    if plain_http(url) and allow_plain_http:
        warnings.append(translate("sync.plain_http_allowed", lang, url=url))
    if url.lower().startswith("https://") and not verify_tls:
        warnings.append(translate("sync.tls_unverified", lang, url=url))
    return warnings


def tls_verify(*, verify_tls: bool = True, ca_file: str = "") -> bool | ssl.SSLContext:
    """What httpx's ``verify=`` gets: the system's CAs, the hall's CA (``ca_file``, PEM), or nothing."""
    if not verify_tls:
        return False
    if not ca_file:
        return True
    path = os.path.expanduser(ca_file)
    try:
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc) or type(exc).__name__
        raise InsecureLink("sync.ca_file_unreadable", file=path, reason=reason) from None


def untrusted_cause(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate failure under an httpx error, if that is what it was."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


@dataclass(frozen=True)
class Credentials:
    url: str
    terminal_id: str
    hall_code: str
    token: str

    def __repr__(self) -> str:  # never print the token
        return f"Credentials(url={self.url!r}, terminal_id={self.terminal_id!r}, hall_code={self.hall_code!r})"


def load_credentials(data_dir: Path) -> Credentials | None:
    path = data_dir / CREDENTIALS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Credentials(raw["url"], raw["terminal_id"], raw["hall_code"], raw["token"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SyncError(f"{path}: unreadable credentials ({exc.__class__.__name__}); enroll again") from None


def save_credentials(data_dir: Path, creds: Credentials) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CREDENTIALS_FILE
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"url": creds.url, "terminal_id": creds.terminal_id, "hall_code": creds.hall_code,
                   "token": creds.token}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def terminal_key(data_dir: Path) -> str:
    """This data folder's terminal key, made once (random, owner-only) before the first enrollment attempt.

    Sent with the enrollment code, it lets a retry get the same credentials when an answer was lost.
    """
    path = data_dir / TERMINAL_KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        raise SyncError(f"{path}: unreadable terminal key ({exc.__class__.__name__})") from None
    private.make_dir(data_dir)
    key = secrets.token_urlsafe(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return key


class UpstreamClient:
    """The upstream's API. Plain ``http://`` to another machine is refused here (``InsecureLink``) unless
    ``allow_plain_http``; a weak link that is allowed (that, or ``verify_tls=False``) is logged as a warning."""

    def __init__(self, url: str, token: str | None = None, *, verify_tls: bool = True, ca_file: str = "",
                 allow_plain_http: bool = False, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        headers = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.url = url.rstrip("/")
        if plain_http(self.url) and not allow_plain_http:
            raise InsecureLink("sync.plain_http_refused", url=self.url)
        verify = tls_verify(verify_tls=verify_tls, ca_file=ca_file)
        for warning in link_warnings(self.url, verify_tls=verify_tls, allow_plain_http=allow_plain_http, lang="en"):
            log.warning("%s", warning)
        self.warnings = link_warnings(self.url, verify_tls=verify_tls, allow_plain_http=allow_plain_http)
        self.http = httpx.Client(base_url=self.url + p.API_PREFIX, headers=headers, verify=verify,
                                 timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)), transport=transport)

    @classmethod
    def configured(cls, upstream, url: str | None = None, token: str | None = None,
                   timeout: float | None = None) -> "UpstreamClient":
        """A client as ``[upstream]`` says (``cashier.settings.UpstreamSettings``); ``url`` instead of its own."""
        return cls(url or upstream.url, token, verify_tls=upstream.verify_tls, ca_file=upstream.ca_file,
                   allow_plain_http=upstream.allow_plain_http,
                   timeout=upstream.timeout_seconds if timeout is None else timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "UpstreamClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, model: type[M], **kwargs) -> M:
        return self._read(model, self._send(method, path, **kwargs).content)

    @staticmethod
    def _read(model: type[M], content: bytes) -> M:
        try:
            return model.model_validate_json(content)
        except ValidationError as exc:  # a body cut short or not the protocol: nothing was learnt
            raise Unreachable(f"unreadable answer ({exc.error_count()} problems)") from None

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:  # connect, read, timeouts, a connection cut mid-body
            untrusted = untrusted_cause(exc)
            if untrusted is not None:
                raise Untrusted(untrusted.verify_message or str(untrusted)) from None
            if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                raise NotSent(f"{exc.__class__.__name__}: {exc}") from None
            raise Unreachable(f"{exc.__class__.__name__}: {exc}") from None
        if response.status_code == 503 and _detail_code(response) == "scan_unavailable":
            raise ScanUnavailable(503, "scan_unavailable", "the upstream has no payment provider")
        if response.status_code >= 500 or response.status_code in (408, 409, 429):
            raise Unreachable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail")
            except ValueError:
                detail = None
            if isinstance(detail, dict) and "code" in detail:
                code, message = str(detail["code"]), str(detail.get("message", ""))
            else:
                code, message = "http_%d" % response.status_code, json.dumps(detail, ensure_ascii=False)[:500]
            raise (Refetch if response.status_code == 410 else Refused)(response.status_code, code, message)
        return response

    def health(self) -> dict:
        """The upstream's ``/v1/health`` (``protocol.Health``) as a dict; a server that is not the cashier's
        upstream (no such path, another JSON) is ``Refused`` (404) or ``Unreachable`` (unreadable answer)."""
        return self._call("GET", "/health", p.Health).model_dump()

    def enroll(self, code: str, terminal_key: str | None = None) -> p.EnrollResponse:
        """The credentials for a one-time code; with ``terminal_key``, a retry after a lost answer gets them again.

        An upstream of protocol version 1 refuses the key as an unknown field (422, before the code is looked
        at): the code is then sent alone, as such an upstream expects it.
        """
        if terminal_key is None:
            return self._call("POST", "/enroll", p.EnrollResponse, json={"code": code})
        try:
            return self._call("POST", "/enroll", p.EnrollResponse, json={"code": code, "terminal_key": terminal_key})
        except Refused as exc:
            if exc.status != 422 or "terminal_key" not in exc.message:
                raise
        return self._call("POST", "/enroll", p.EnrollResponse, json={"code": code})

    def terminal_state(self) -> p.TerminalState:
        """What the upstream holds of this terminal: its last sequence number (asked after a restore)."""
        return self._call("GET", "/terminal", p.TerminalState)

    def check_code(self, code: str) -> p.EnrollCheck:
        """What a one-time code would enroll (hall, terminal, until when), without using it; ``Refused`` with
        code_unknown, code_used or code_expired otherwise."""
        return self._call("POST", "/enroll/check", p.EnrollCheck, json={"code": code})

    def push(self, items: list[dict], audit_head: p.AuditHead | None = None) -> p.PushResponse:
        body: dict = {"items": items}
        if audit_head is not None:
            body["audit_head"] = audit_head.model_dump()
        return self._call("POST", "/push", p.PushResponse, json=body)

    def audit_anchors(self) -> p.AuditAnchors:
        """The audit chain heads this terminal's pushes anchored at the upstream."""
        return self._call("GET", "/audit/head", p.AuditAnchors)

    def hall_day(self, business_date, timeout: float | None = None) -> p.HallDay:
        """Every counter of this terminal's hall on one business date (the supervisor's view)."""
        extra = {"timeout": httpx.Timeout(timeout, connect=min(timeout, 1.0))} if timeout else {}
        return self._call("GET", "/hall/day", p.HallDay, params={"date": business_date.isoformat()}, **extra)

    def reconciliation(self, business_date, timeout: float | None = None) -> p.ReconcileDay:
        """The day's reconciliation with each payment provider, for this terminal's hall (the supervisor's view)."""
        extra = {"timeout": httpx.Timeout(timeout, connect=min(timeout, 1.0))} if timeout else {}
        return self._call("GET", "/reconcile", p.ReconcileDay, params={"date": business_date.isoformat()}, **extra)

    def changes(self, cursor: int, limit: int) -> p.ChangesPage:
        return self._call("GET", "/changes", p.ChangesPage, params={"cursor": cursor, "limit": limit})

    def snapshot(self, after: str | None, limit: int, as_of: int | None) -> p.SnapshotPage:
        return self.read_snapshot(self.snapshot_raw(after, limit, as_of))

    def snapshot_raw(self, after: str | None, limit: int, as_of: int | None) -> bytes:
        """A snapshot page's body, not yet read (``read_snapshot``): a snapshot asks for the next page
        while it reads this one."""
        params: dict = {"limit": limit}
        if after:
            params["after"] = after
        if as_of is not None:
            params["as_of"] = as_of
        return self._send("GET", "/snapshot", params=params).content

    @classmethod
    def read_snapshot(cls, content: bytes) -> p.SnapshotPage:
        return cls._read(p.SnapshotPage, content)

    def account(self, account_no: str, timeout: float | None = None, *, cross_hall: bool = False) -> p.AccountDues:
        """The dues of an account of this terminal's hall (another hall's answers 404); ``cross_hall``: of any
        hall, for a customer of another hall at this counter (the upstream logs who asked)."""
        extra = {"timeout": httpx.Timeout(timeout, connect=min(timeout, 1.0))} if timeout else {}
        if cross_hall:
            extra["params"] = {"cross_hall": 1}
        return self._call("GET", f"/accounts/{account_no}", p.AccountDues, **extra)

    # --- scan-to-pay (付款码): short timeouts; a timeout is "unknown" to the caller (Unreachable), never "failed" ---

    def scan_pay(self, request: p.ScanPayRequest, timeout: float = SCAN_PAY_TIMEOUT) -> p.ScanStatus:
        """Hand a scanned code to the upstream (idempotent on the intent id). The code is never logged."""
        return self._call("POST", "/scan/pay", p.ScanStatus, content=request.model_dump_json(),
                          headers={"Content-Type": "application/json"}, timeout=_short(timeout))

    def scan_status(self, intent_id: str, timeout: float = SCAN_QUERY_TIMEOUT) -> p.ScanStatus:
        """The order's state; the upstream asks the provider when it is not final. 404: never placed."""
        return self._call("GET", f"/scan/{intent_id}", p.ScanStatus, timeout=_short(timeout))

    def scan_cancel(self, intent_id: str, timeout: float = SCAN_QUERY_TIMEOUT) -> p.ScanStatus:
        """Cancel (reverse) an order not paid: "cancelling" while the provider's cancel has not gone through."""
        return self._call("POST", f"/scan/{intent_id}/cancel", p.ScanStatus, timeout=_short(timeout))

    def scan_refund(self, request: p.ScanRefundRequest, timeout: float = SCAN_QUERY_TIMEOUT) -> p.ScanRefundStatus:
        """Refund a scan payment through its provider (idempotent on the refund id)."""
        return self._call("POST", "/scan/refund", p.ScanRefundStatus, content=request.model_dump_json(),
                          headers={"Content-Type": "application/json"}, timeout=_short(timeout))

    def scan_refund_status(self, refund_id: str, timeout: float = SCAN_QUERY_TIMEOUT) -> p.ScanRefundStatus:
        return self._call("GET", f"/scan/refund/{refund_id}", p.ScanRefundStatus, timeout=_short(timeout))



def _short(timeout: float) -> httpx.Timeout:
    return httpx.Timeout(timeout, connect=min(timeout, 3.0))


def _detail_code(response: httpx.Response) -> str | None:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return None
    return str(detail.get("code")) if isinstance(detail, dict) else None
