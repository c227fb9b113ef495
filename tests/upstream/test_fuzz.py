"""Fuzz the upstream's API from its own OpenAPI document: no 5xx, and nothing malformed stored."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import select

from cashier.sync import protocol as p
from tests.helpers import pg
from upstream import terminals
from upstream.app import create_app
from upstream.db import Database
from upstream.importer import write
from upstream.models import Account, Bill, Document
from upstream.payments import providers_from_setting
from upstream.scan import ScanRules
from tests.upstream.conftest import seed_rows


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_db(request, tmp_path_factory):
    url = str(tmp_path_factory.mktemp("fuzz") / "up.db") if request.param == "sqlite" else pg.create_database()
    db = Database(url)
    write(db, *seed_rows(), hall_code="DEMO01")
    code = terminals.create_enrollment_code(db, "DEMO01", "T01")
    db.token = terminals.enroll(db, code).token
    yield db
    db.dispose()
    if request.param == "postgresql":
        pg.drop_database(url)


def _operations():
    class _NoDb:  # the document alone
        pass

    doc = schemathesis.openapi.from_asgi("/openapi.json", create_app(_NoDb()))  # type: ignore[arg-type]
    return [r.ok().label for r in doc.get_all_operations()]


@pytest.mark.parametrize("label", _operations())
def test_no_server_errors(fuzz_db, label):
    # Scan-to-pay with the simulator as the provider (without one the scan routes answer 503 by design).
    api = schemathesis.openapi.from_asgi("/openapi.json", create_app(
        fuzz_db, payments=providers_from_setting("simulate", fuzz_db), scan_rules=ScanRules(hold=0)))
    operation = next(r.ok() for r in api.get_all_operations() if r.ok().label == label)
    headers = {"Authorization": f"Bearer {fuzz_db.token}"}

    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def fuzz(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    fuzz()


def test_nothing_malformed_was_stored(fuzz_db):
    """Runs after the fuzzing of the same database: whatever was stored still reads as the protocol."""
    with fuzz_db.sessions() as s:
        for doc in s.scalars(select(Document)):
            body = json.loads(doc.body)
            model = {"payment": p.PaymentBody, "reversal": p.PaymentBody, "cash_movement": p.CashMovementBody,
                     "shift_close": p.ShiftCloseBody}.get(doc.kind)
            if model is not None:
                model.model_validate(body)
        for acc in s.scalars(select(Account)):
            assert acc.prepaid_balance_fen >= 0
        for bill in s.scalars(select(Bill)):
            assert 0 <= bill.outstanding_fen <= bill.principal_fen
