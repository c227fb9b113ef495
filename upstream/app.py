"""The upstream's HTTP API (FastAPI): the server side of the sync protocol.

Every route but ``/v1/health``, ``/v1/enroll`` and ``/v1/enroll/check`` needs the terminal's bearer token, checked
before a byte of the request's body is read. Errors are ``{"detail": {"code": ..., "message":
...}}`` with a meaningful status: 401 bad or revoked credentials, 403 an unknown, used or
expired enrollment code, 404 unknown account, 410 refetch (cursor too old), 413 a body over
the cap, 422 a malformed request. A push is authorized item by item: a document of another
terminal or hall is answered ``rejected`` with its reason, and the others are processed.
The OpenAPI document is at ``/openapi.json``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from cashier import __version__
from cashier.sync import protocol as p
from upstream import accounts, anchors, checks, errors, feed, scan, scope, terminals
from upstream import hall_day as hall_days
from upstream import push as pushes
from upstream.db import Database
from upstream.policy import DEFAULT_POLICY_BODY

log = logging.getLogger("upstream")

_ERROR = {"content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}}
AUTH_ERRORS = {401: {"description": "missing, unknown or revoked credentials", **_ERROR}}
_bearer = HTTPBearer(auto_error=False, description="the terminal's token from /v1/enroll")

# The largest push a terminal can legitimately send: MAX_BATCH items (500, also the most a terminal's
# sync.batch_size allows), each at every maximum the protocol admits (240 allocations, 12 tenders,
# every text at full length in 4-byte characters), is 18.3 MiB as the terminal's client encodes it
# and 23.5 MiB with Python's default escaping; real batches are about 1 KiB a payment. 24 MiB
# never refuses a valid batch (a 413 would hold the outbox) and bounds what one request can cost.
DEFAULT_MAX_BODY = 24 * 1024 * 1024
PUBLIC_MAX_BODY = 16 * 1024  # the routes without credentials: an enrollment request is under 100 bytes
PUBLIC_PATHS = frozenset({f"{p.API_PREFIX}/health", f"{p.API_PREFIX}/enroll", f"{p.API_PREFIX}/enroll/check",
                          "/openapi.json", "/docs",
                          "/docs/oauth2-redirect", "/redoc"})


def _version(request: Request) -> int:
    """The protocol version the terminal speaks (``X-Cashier-Protocol``); 1 when it does not say."""
    said = request.headers.get(p.PROTOCOL_HEADER, "1").strip()
    return int(said) if said.isdigit() and len(said) < 4 else 1


def _answer(request: Request, model, added_in_2: set[str] | dict = frozenset(),
            added_in_3: dict | None = None) -> Response:
    """The model as JSON, without the fields of a later version than the terminal speaks (its strict models
    refuse them): ``added_in_2`` left out for version 1, ``added_in_3`` (an ``exclude`` of pydantic: nested
    fields such as every bill's readings) for versions 1 and 2."""
    version = _version(request)
    leave_out: dict = {}
    for added, since in ((added_in_2, 2), (added_in_3 or {}, 3)):
        if version < since:
            for name, inner in (added.items() if isinstance(added, dict) else ((n, True) for n in added)):
                leave_out[name] = inner
    return Response(model.model_dump_json(exclude=leave_out or None), media_type="application/json")


# Every bill's meter readings, in an answer that lists bills: version 3 (``p.BILL_FIELDS_OF_3``).
_BILL_READINGS = {"bills": {"__all__": set(p.BILL_FIELDS_OF_3)}}


def _caller(request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> terminals.Caller:
    caller = getattr(request.state, "caller", None)  # the gate checked the credentials before reading the body
    return caller or terminals.authenticate(request.app.state.db, credentials.credentials if credentials else None)


Caller = Annotated[terminals.Caller, Depends(_caller)]
IntentId = Annotated[str, Path(pattern=p.Uuid.__metadata__[0].pattern)]  # a scan intent's or refund's id


class _Gate:
    """Credentials first, then a bounded body: a request is authenticated before its body is read, and a body
    over the cap is answered 413 without being held (a declared Content-Length at once, a chunked body as it
    streams). FastAPI reads a route's body before its dependencies, so this cannot be a dependency."""

    def __init__(self, app: ASGIApp, db: Database, max_body: int) -> None:
        self.app, self.db, self.max_body = app, db, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        has_body = "transfer-encoding" in headers or headers.get("content-length", "0") != "0"
        public = scope["path"] in PUBLIC_PATHS
        cap = PUBLIC_MAX_BODY if public else self.max_body
        if not public:
            scheme, _, token = headers.get("authorization", "").partition(" ")
            try:
                caller = await run_in_threadpool(terminals.authenticate, self.db,
                                                 token.strip() if scheme.lower() == "bearer" else None)
            except errors.Refusal as exc:
                await _refuse(exc, has_body, scope, receive, send)
                return
            scope.setdefault("state", {})["caller"] = caller
        if not has_body:
            await self.app(scope, receive, send)
            return
        too_large = errors.Refusal(413, "body_too_large",
                                       f"request body over the limit of {cap} bytes; push fewer items at a time")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            await _refuse(too_large, True, scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: nobody to answer
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await _refuse(too_large, True, scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body: bytes | None = b"".join(chunks)
        del chunks

        async def replay() -> dict:
            nonlocal body
            if body is None:
                return await receive()
            message, body = {"type": "http.request", "body": body, "more_body": False}, None
            return message

        await self.app(scope, replay, send)


async def _refuse(exc: errors.Refusal, unread_body: bool, scope: Scope, receive: Receive, send: Send) -> None:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
    if unread_body:  # the connection cannot carry another request after a body left unread
        headers["Connection"] = "close"
    await JSONResponse({"detail": {"code": exc.code, "message": exc.message}}, status_code=exc.status,
                       headers=headers)(scope, receive, send)


def _lone_surrogate(value, path: str = "") -> str | None:
    """Where in a parsed JSON body a string (or a key) holds a lone surrogate ("\\ud800"), or None.

    JSON can escape half of a UTF-16 pair; Python reads it as a str that no UTF-8 encoder, database or hash
    accepts. The path is written with such characters escaped, so the answer itself is valid UTF-8."""
    if isinstance(value, str):
        return path if any("\ud800" <= ch <= "\udfff" for ch in value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            found = _lone_surrogate(key, here) or _lone_surrogate(item, here)
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = _lone_surrogate(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    """422 for a malformed request; text that is not Unicode is named by its place, since FastAPI's usual answer
    echoes the input back and cannot encode it (a 500)."""
    where = _lone_surrogate(exc.body)
    if where is None:
        return await request_validation_exception_handler(request, exc)
    where = where.encode("utf-8", "backslashreplace").decode("utf-8")
    return JSONResponse({"detail": {"code": "not_unicode", "message": (
        f"{where or 'the body'}: text with a lone surrogate (half of a UTF-16 pair) is not Unicode; send the "
        "text as UTF-8")}}, status_code=422)


def create_app(db: Database, *, policy: p.PenaltyPolicyBody = DEFAULT_POLICY_BODY,
               timezone_name: str = "Asia/Shanghai", max_body: int = DEFAULT_MAX_BODY,
               plausible: checks.Plausibility | None = None, payments: dict | None = None,
               scan_rules: scan.ScanRules | None = None) -> FastAPI:
    """The API over ``db``; ``max_body`` caps an authenticated request's body in bytes (413 above it).

    ``payments``: the payment providers by name (``upstream.payments.providers_from_setting``); none: the scan
    endpoints answer 503 scan_unavailable. ``scan_rules``: how long scan orders wait on a provider (upstream/scan.py).

    ``policy`` is the penalty policy this upstream applies and hands to terminals with every page;
    ``plausible``: the clock skew and offline window a pushed payment's dates are checked against, and the
    upstream's clock (upstream/checks.py).
    """
    rules = policy.policy()
    policy_json = policy.model_dump_json()
    plausible = plausible or checks.Plausibility(timezone_name=timezone_name)
    app = FastAPI(title="Counter cashier upstream", version=__version__,
                  description="Reference upstream of the hall counter cashier: enrollment, push, change feed.")
    app.state.db = db
    scans = app.state.scan = scan.ScanService(db, payments, scan_rules)
    app.add_middleware(_Gate, db=db, max_body=max_body)

    @app.exception_handler(errors.Refusal)
    def _refused(_request: Request, exc: errors.Refusal) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": {"code": exc.code, "message": exc.message}}, status_code=exc.status,
                            headers=headers)

    app.add_exception_handler(RequestValidationError, _invalid)

    @app.get(f"{p.API_PREFIX}/health")
    def health() -> p.Health:
        """Who answers (the cashier's upstream, its version), its clock and how far a terminal's may differ."""
        return p.Health(status="ok", version=__version__, server_time=plausible.clock().replace(tzinfo=timezone.utc),
                        max_clock_skew_seconds=int(plausible.max_clock_skew.total_seconds()))

    @app.post(f"{p.API_PREFIX}/enroll", responses={403: {"description": "unknown, used or expired code", **_ERROR}})
    def enroll(request: p.EnrollRequest, http: Request) -> p.EnrollResponse:
        return _answer(http, terminals.enroll(db, request.code, request.terminal_key), {"last_seq"})

    @app.post(f"{p.API_PREFIX}/enroll/check",
              responses={403: {"description": "unknown, used or expired code", **_ERROR}})
    def enroll_check(request: p.EnrollRequest) -> p.EnrollCheck:
        """What a code would enroll (hall and terminal only), without using it."""
        return terminals.check_code(db, request.code)

    @app.post(f"{p.API_PREFIX}/push", responses={**AUTH_ERRORS, 409: {"description": "retry", **_ERROR},
                                                 413: {"description": "body over the server's cap", **_ERROR}})
    def push(request: p.PushRequest, who: Caller, http: Request) -> p.PushResponse:
        response = pushes.push(db, who, request, policy, plausible)
        counts: dict[str, int] = {}
        for r in response.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        log.info("push from %s: %s, contiguous seq %d", who.terminal_id, counts, response.contiguous_seq)
        return _answer(http, response, {"last_seq"})

    @app.get(f"{p.API_PREFIX}/terminal", responses=AUTH_ERRORS)
    def terminal(who: Caller) -> p.TerminalState:
        """The calling terminal's sequence as held here: a terminal restored from a backup asks before taking money."""
        return terminals.terminal_state(db, who)

    @app.get(f"{p.API_PREFIX}/changes", responses={**AUTH_ERRORS, 410: {"description": "refetch", **_ERROR}})
    def changes(who: Caller, http: Request, cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
                limit: Annotated[int, Query(ge=1, le=p.MAX_PAGE)] = 1000) -> p.ChangesPage:
        page = feed.changes(db, cursor, limit, who.hall_code).model_copy(update={"policy": policy})
        return _answer(http, page, added_in_3=_BILL_READINGS)

    @app.get(f"{p.API_PREFIX}/snapshot", responses=AUTH_ERRORS, response_model=p.SnapshotPage)
    def snapshot(who: Caller, http: Request, after: Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$")] = None,
                 limit: Annotated[int, Query(ge=1, le=p.MAX_PAGE)] = 2000,
                 as_of: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> Response:
        # Serialized once from plain rows (the model documents it; the client validates it).
        page = feed.snapshot_json(db, after, limit, as_of, who.hall_code, readings=_version(http) >= 3)
        # The page's rows are serialized once, from plain rows; the policy goes in front of them.
        return Response('{"policy":' + policy_json + "," + page[1:], media_type="application/json")

    @app.get(f"{p.API_PREFIX}/accounts/{{account_no}}",
             responses={**AUTH_ERRORS, 404: {"description": "no such account", **_ERROR}})
    def account(who: Caller, http: Request, account_no: Annotated[str, Path(pattern=r"^[0-9]{6,20}$")],
                on: date | None = None, cross_hall: bool = False) -> p.AccountDues:
        """The caller's hall's account (another hall's answers 404); ``cross_hall=1``: any hall's, logged."""
        on = on or plausible.local_date(plausible.clock())
        if cross_hall:
            dues = scope.cross_hall_lookup(db, who, account_no, on, rules)
        else:
            dues = accounts.account_dues(db, account_no, on, rules, who.hall_code)
        return _answer(http, dues, added_in_3=_BILL_READINGS)

    @app.get(f"{p.API_PREFIX}/audit/head", responses=AUTH_ERRORS)
    def audit_head(who: Caller) -> p.AuditAnchors:
        """The audit chain heads the caller's pushes left here: its technician checks the local chain holds them."""
        return anchors.anchors(db, who)

    @app.get(f"{p.API_PREFIX}/hall/day", responses=AUTH_ERRORS)
    def hall_day(who: Caller, business_date: Annotated[date, Query(alias="date")]) -> p.HallDay:
        return hall_days.hall_day(db, who, business_date)

    scan_errors = {**AUTH_ERRORS, 404: {"description": "unknown intent (or another terminal's)", **_ERROR},
                   409: {"description": "the id was used with other details", **_ERROR},
                   422: {"description": "the code is not the provider's, or a malformed request", **_ERROR},
                   503: {"description": "scan_unavailable: no payment provider configured", **_ERROR}}

    @app.post(f"{p.API_PREFIX}/scan/pay", responses=scan_errors)
    def scan_pay(request: p.ScanPayRequest, who: Caller, cross_hall: bool = False) -> p.ScanStatus:
        """Charge a scanned payment code (付款码); idempotent on ``intent_id``. Answers within a few seconds:
        ``user_paying``/``unknown`` mean ask again with GET. ``cross_hall=1``: an account of another hall, logged."""
        return scans.pay(who, request, cross_hall)

    @app.get(f"{p.API_PREFIX}/scan/refund/{{refund_id}}", responses=scan_errors)
    def scan_refund_status(who: Caller, refund_id: IntentId) -> p.ScanRefundStatus:
        return scans.refund_status(who, refund_id)

    @app.get(f"{p.API_PREFIX}/scan/{{intent_id}}", responses=scan_errors)
    def scan_status(who: Caller, intent_id: IntentId) -> p.ScanStatus:
        """The order's state; the provider is queried when it is not final (paid, failed, cancelled)."""
        return scans.status(who, intent_id)

    @app.post(f"{p.API_PREFIX}/scan/{{intent_id}}/cancel", responses=scan_errors)
    def scan_cancel(who: Caller, intent_id: IntentId) -> p.ScanStatus:
        return scans.cancel(who, intent_id)

    @app.post(f"{p.API_PREFIX}/scan/refund", responses=scan_errors)
    def scan_refund(request: p.ScanRefundRequest, who: Caller) -> p.ScanRefundStatus:
        """Refund a paid scan order through its provider; idempotent on ``refund_id``."""
        return scans.refund(who, request)

    @app.get(f"{p.API_PREFIX}/reconcile", responses=AUTH_ERRORS)
    def reconciliation(who: Caller, business_date: Annotated[date, Query(alias="date")]) -> p.ReconcileDay:
        """The day's reconciliation with each payment provider, as the caller's hall sees it (its supervisor)."""
        from upstream import reconcile

        return reconcile.hall_day(db, who, business_date)

    return app
