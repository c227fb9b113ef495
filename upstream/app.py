"""The upstream's HTTP API (FastAPI): the server side of the sync protocol.

Every route but ``/v1/health`` and ``/v1/enroll`` needs the terminal's bearer token. Errors
are ``{"detail": {"code": ..., "message": ...}}`` with a meaningful status: 401 bad or revoked
credentials, 403 another terminal's documents or a used code, 404 unknown account, 410
refetch (cursor too old), 422 a malformed request. The OpenAPI document is at
``/openapi.json``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cashier import __version__
from cashier.dates import business_today
from cashier.penalty import DEFAULT_POLICY, PenaltyPolicy
from cashier.sync import protocol as p
from upstream import ledger
from upstream.db import Database

log = logging.getLogger("upstream")

_ERROR = {"content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}}
AUTH_ERRORS = {401: {"description": "missing, unknown or revoked credentials", **_ERROR}}
_bearer = HTTPBearer(auto_error=False, description="the terminal's token from /v1/enroll")


def _caller(request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> ledger.Caller:
    return ledger.authenticate(request.app.state.db, credentials.credentials if credentials else None)


Caller = Annotated[ledger.Caller, Depends(_caller)]


def create_app(db: Database, *, policy: PenaltyPolicy = DEFAULT_POLICY, timezone_name: str = "Asia/Shanghai") -> FastAPI:
    app = FastAPI(title="Counter cashier upstream", version=__version__,
                  description="Reference upstream of the hall counter cashier: enrollment, push, change feed.")
    app.state.db = db

    @app.exception_handler(ledger.LedgerError)
    def _refused(_request: Request, exc: ledger.LedgerError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": {"code": exc.code, "message": exc.message}}, status_code=exc.status,
                            headers=headers)

    @app.get(f"{p.API_PREFIX}/health")
    def health() -> dict:
        return {"status": "ok", "version": __version__,
                "server_time": datetime.now(timezone.utc).isoformat(timespec="seconds")}

    @app.post(f"{p.API_PREFIX}/enroll", responses={403: {"description": "unknown, used or expired code", **_ERROR}})
    def enroll(request: p.EnrollRequest) -> p.EnrollResponse:
        return ledger.enroll(db, request.code)

    @app.post(f"{p.API_PREFIX}/push", responses={**AUTH_ERRORS, 403: {"description": "another terminal's documents",
                                                                       **_ERROR}, 409: {"description": "retry", **_ERROR}})
    def push(request: p.PushRequest, who: Caller) -> p.PushResponse:
        response = ledger.push(db, who, request, policy)
        counts: dict[str, int] = {}
        for r in response.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        log.info("push from %s: %s, contiguous seq %d", who.terminal_id, counts, response.contiguous_seq)
        return response

    @app.get(f"{p.API_PREFIX}/changes", responses={**AUTH_ERRORS, 410: {"description": "refetch", **_ERROR}})
    def changes(who: Caller, cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
                limit: Annotated[int, Query(ge=1, le=p.MAX_PAGE)] = 1000) -> p.ChangesPage:
        return ledger.changes(db, cursor, limit)

    @app.get(f"{p.API_PREFIX}/snapshot", responses=AUTH_ERRORS, response_model=p.SnapshotPage)
    def snapshot(who: Caller, after: Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$")] = None,
                 limit: Annotated[int, Query(ge=1, le=p.MAX_PAGE)] = 2000,
                 as_of: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> Response:
        # Serialized once from plain rows (the model documents it; the client validates it).
        return Response(ledger.snapshot_json(db, after, limit, as_of), media_type="application/json")

    @app.get(f"{p.API_PREFIX}/accounts/{{account_no}}",
             responses={**AUTH_ERRORS, 404: {"description": "no such account", **_ERROR}})
    def account(who: Caller, account_no: Annotated[str, Path(pattern=r"^[0-9]{6,20}$")],
                on: date | None = None) -> p.AccountDues:
        return ledger.account_dues(db, account_no, on or business_today(timezone_name), policy)

    @app.get(f"{p.API_PREFIX}/hall/day", responses=AUTH_ERRORS)
    def hall_day(who: Caller, business_date: Annotated[date, Query(alias="date")]) -> p.HallDay:
        return ledger.hall_day(db, who, business_date)

    return app
