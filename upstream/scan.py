"""Scan-to-pay (付款码) on the upstream: the orders it places with the payment providers for the terminals.

The counter sends the scanned code with its scan intent (a UUIDv7, committed on the terminal first); the upstream
places the order with the provider the code belongs to (merchant credentials never sit on a hall PC) and answers
its state. Crash-safe: the order row is committed (``pending``) before the provider is called, and every answer of
the provider is committed after it; an order left open by a crash is resolved by querying, never by assuming.

The providers' rules for uncertain outcomes, followed exactly:

* "user paying" (the customer is entering a password) → query every ``poll_interval`` while the pay request holds
  (``hold``), then answer ``user_paying`` (the terminal asks again with GET, each GET queries once); once the order
  is ``max_wait`` old and still not paid → cancel (WeChat reverse / Alipay cancel);
* a system error or no answer → query, never assume (a pay call is never repeated: only a query or a cancel);
* a query the provider does not know (the pay never arrived) → cancel once the order is ``grace`` old, which also
  closes the order number against a pay arriving late;
* a cancel that fails → ``cancelling`` and an alarm (``scan_cancel_failed``); later GETs and cancel calls query
  and cancel again until the provider confirms.

Only the terminal that created an intent may read, cancel or refund it (another terminal's intent answers 404,
as unknown). The customer's code is kept and logged only masked (first 4 + last 4 digits).

A refund (the reversal of a scan payment) goes through the same provider under the terminal's refund id, which
is idempotent at the provider too; it is tracked until the provider says refunded (each GET asks it).

``payment_problem`` is the push's check of a payment naming its scan intent (upstream/push.py).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cashier.sync import protocol as p
from upstream import scope
from upstream.alarms import raise_alarm
from upstream.db import Database
from upstream.errors import Refusal
from upstream.models import Account, ScanOrder, ScanRefund
from upstream.payments.base import Outcome, Provider, ProviderAnswer, RefundAnswer, RefundOutcome
from upstream.sql import utcnow
from upstream.terminals import Caller

log = logging.getLogger("upstream.scan")

FINAL = frozenset({"paid", "failed", "cancelled"})
REFUND_FINAL = frozenset({"refunded", "failed"})
# The tender a scan payment is pushed under: UnionPay QuickPass is a bank card payment.
TENDER_OF = {"wechat": "wechat", "alipay": "alipay", "unionpay": "bank_card"}
FAULT_ENV = "CASHIER_UPSTREAM_FAULT"  # "scan_after_provider_paid": the process dies before committing "paid"
FAULT_EXIT = 86


@dataclass(frozen=True)
class ScanRules:
    """How long the upstream waits on a provider (seconds) and its clock; tests give a clock they move and a
    ``sleep`` that moves it."""

    hold: float = 8.0  # how long a pay request waits on "user paying" before answering user_paying
    poll_interval: float = 2.0  # between queries while it waits
    max_wait: float = 30.0  # an order not paid this long after it was placed is cancelled
    grace: float = 30.0  # an order the provider does not know is cancelled (its number closed) after this
    clock: Callable[[], datetime] = field(default=utcnow, compare=False)  # naive UTC
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


def order_no(intent_id: str) -> str:
    """The merchant order number (out_trade_no): the intent's UUID without dashes."""
    return intent_id.replace("-", "")


def _unavailable(message: str = "scan-to-pay is not enabled on this upstream (cashier-upstream serve --payments)"):
    return Refusal(503, "scan_unavailable", message)


def _utc(stamp: datetime | None) -> datetime | None:
    return None if stamp is None else stamp.replace(tzinfo=timezone.utc)


def status_of(row: ScanOrder) -> p.ScanStatus:
    """The order as the terminal sees it (``pending``, not answered yet, is ``unknown`` to it)."""
    return p.ScanStatus(intent_id=row.intent_id, provider=row.provider,
                        status="unknown" if row.status == "pending" else row.status, amount_fen=row.amount_fen,
                        provider_txn_id=row.provider_txn_id, paid_at=_utc(row.paid_at), reason_code=row.reason_code,
                        reason=row.reason)


def refund_status_of(row: ScanRefund) -> p.ScanRefundStatus:
    return p.ScanRefundStatus(refund_id=row.refund_id, intent_id=row.intent_id,
                              status="unknown" if row.status == "requested" else row.status,
                              amount_fen=row.amount_fen, provider_refund_id=row.provider_refund_id,
                              reason_code=row.reason_code, reason=row.reason)


class ScanService:
    """The scan endpoints' work over ``db`` with ``providers`` by name (wechat, alipay, unionpay); none: 503."""

    def __init__(self, db: Database, providers: dict[str, Provider] | None = None,
                 rules: ScanRules | None = None) -> None:
        self.db, self.providers, self.rules = db, dict(providers or {}), rules or ScanRules()
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._cancel_wanted: set[str] = set()

    # --- one caller at a time per order in this process ------------------------------------------

    @contextmanager
    def _exclusive(self, key: str, wait: float | None = None) -> Iterator[bool]:
        """Whether this thread may talk to the provider about ``key`` now; another one doing so answers False
        (its caller answers the state as committed) unless ``wait`` seconds let it finish."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        got = lock.acquire(timeout=wait) if wait else lock.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                lock.release()
                with self._guard:
                    if not lock.locked() and self._locks.get(key) is lock:
                        del self._locks[key]

    def _provider(self, name: str) -> Provider:
        if not self.providers:
            raise _unavailable()
        provider = self.providers.get(name)
        if provider is None:
            raise _unavailable(f"no {name} provider is configured on this upstream")
        return provider

    def _call(self, intent_id: str, what: str, fn, *args):
        """One call to the provider; None when it gave no answer (never assumed to be anything)."""
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - ProviderUnreachable, or an adapter's failure: no answer either way
            log.warning("scan %s: %s gave no answer: %s", intent_id, what, type(exc).__name__)
            return None

    def _load(self, intent_id: str) -> ScanOrder:
        with self.db.sessions() as s:
            return s.get(ScanOrder, intent_id)

    def _own(self, caller: Caller, intent_id: str) -> ScanOrder:
        row = self._load(intent_id)
        if row is None or row.terminal_id != caller.terminal_id:
            raise Refusal(404, "unknown_intent", f"no scan intent {intent_id} of this terminal")
        return row

    # --- pay, query, cancel ------------------------------------------------------------------------

    def pay(self, caller: Caller, request: p.ScanPayRequest, cross_hall: bool = False) -> p.ScanStatus:
        """Place the order (or answer the one placed under this intent); wait up to ``hold`` on "user paying"."""
        if not self.providers:
            raise _unavailable()
        said = p.scan_provider_of(request.code)
        if said is None:
            raise Refusal(422, "unknown_code", "not a payment code of WeChat (18 digits, 10-15…), Alipay (16-24 "
                                               "digits, 25-30…) or UnionPay (19 digits, 62…)")
        if said != request.provider:
            raise Refusal(422, "provider_mismatch", f"the code is a {said} payment code, not {request.provider}")
        provider = self._provider(said)
        masked = p.mask_code(request.code)
        now = self.rules.clock()
        fresh = False
        try:
            with self.db.transaction() as s:
                row = s.get(ScanOrder, request.intent_id)
                if row is None:
                    hall = s.execute(select(Account.hall_code).where(Account.account_no == request.account_no)).first()
                    if hall is None or (hall[0] != caller.hall_code and not cross_hall):
                        raise Refusal(404, "unknown_account", f"no account {request.account_no}")
                    if hall[0] != caller.hall_code:
                        scope.log_access(s, caller, request.account_no, hall[0], "scan_pay", now, request.intent_id)
                    s.add(ScanOrder(intent_id=request.intent_id, terminal_id=caller.terminal_id,
                                    hall_code=caller.hall_code, account_no=request.account_no,
                                    amount_fen=request.amount_fen, provider=said, code_masked=masked, status="pending",
                                    created_at=now, updated_at=now, attempts=0))
                    fresh = True
                elif (row.terminal_id, row.account_no, row.amount_fen, row.provider, row.code_masked) != (
                        caller.terminal_id, request.account_no, request.amount_fen, said, masked):
                    raise Refusal(409, "intent_reused", f"scan intent {request.intent_id} was placed with other details")
        except IntegrityError:  # the same intent twice at once: the other request placed it
            return self.pay(caller, request, cross_hall)
        with self._exclusive(request.intent_id) as mine:
            if not mine:
                return status_of(self._load(request.intent_id))
            if fresh:
                log.info("scan %s: %s pay %d fen, code %s, account %s, terminal %s", request.intent_id, said,
                         request.amount_fen, masked, request.account_no, caller.terminal_id)
                answer = self._call(request.intent_id, f"{said} pay", provider.pay, order_no(request.intent_id),
                                    request.code, request.amount_fen, f"电费 {request.account_no}")
                if answer is not None and answer.outcome is Outcome.PAID and os.environ.get(FAULT_ENV) == \
                        "scan_after_provider_paid":
                    os._exit(FAULT_EXIT)  # a test's kill between the provider's "paid" and our commit
                row = self._record(request.intent_id, answer)
            else:
                row = self._load(request.intent_id)
            asked = fresh
            deadline = self.rules.clock() + timedelta(seconds=self.rules.hold)
            while row.status not in FINAL and request.intent_id not in self._cancel_wanted:
                if self.rules.clock() + timedelta(seconds=self.rules.poll_interval) > deadline:
                    break
                self.rules.sleep(self.rules.poll_interval)
                row, asked = self._step(row, provider), True
            if row.status not in FINAL and not asked:
                row = self._step(row, provider)  # a retry asks the provider at least once
        return status_of(row)

    def status(self, caller: Caller, intent_id: str) -> p.ScanStatus:
        """The order now: one query (or cancel) when it is not final."""
        row = self._own(caller, intent_id)
        if row.status in FINAL:
            return status_of(row)
        provider = self._provider(row.provider)
        with self._exclusive(intent_id) as mine:
            if not mine:
                return status_of(self._load(intent_id))
            return status_of(self._step(self._load(intent_id), provider))

    def cancel(self, caller: Caller, intent_id: str) -> p.ScanStatus:
        """Cancel (reverse) the order at the provider: ``cancelled``, or ``cancelling`` while it does not confirm.
        A final order answers as it is (a paid one is undone by a refund, not here)."""
        row = self._own(caller, intent_id)
        if row.status in FINAL:
            return status_of(row)
        provider = self._provider(row.provider)
        self._cancel_wanted.add(intent_id)  # a pay request waiting on it stops waiting
        try:
            with self._exclusive(intent_id, wait=self.rules.hold + self.rules.poll_interval + 30) as mine:
                row = self._load(intent_id)
                if not mine or row.status in FINAL:
                    return status_of(row)
                if row.status == "cancelling":
                    return status_of(self._step(row, provider))
                return status_of(self._cancel(row, provider, "cancelled at the counter"))
        finally:
            self._cancel_wanted.discard(intent_id)

    def _step(self, row: ScanOrder, provider: Provider) -> ScanOrder:
        """One query of a non-final order, and a cancel when the rules call for one."""
        age = (self.rules.clock() - row.created_at).total_seconds()
        answer = self._call(row.intent_id, f"{row.provider} query", provider.query, order_no(row.intent_id))
        if row.status == "cancelling":
            if answer is not None and answer.outcome in (Outcome.CANCELLED, Outcome.FAILED):
                return self._record(row.intent_id, answer, cancelling=True)
            return self._cancel(row, provider, "cancel retried")
        row = self._record(row.intent_id, answer)
        if row.status in FINAL:
            return row
        if age >= self.rules.max_wait:
            return self._cancel(row, provider, f"not paid within {self.rules.max_wait:g} s")
        if answer is not None and answer.outcome is Outcome.NOT_FOUND and age >= self.rules.grace:
            return self._cancel(row, provider, "the provider never received the order")
        return row

    def _cancel(self, row: ScanOrder, provider: Provider, why: str) -> ScanOrder:
        answer = self._call(row.intent_id, f"{row.provider} cancel", provider.cancel, order_no(row.intent_id))
        if answer is not None and answer.outcome is Outcome.CANCELLED:
            log.info("scan %s: cancelled (%s)", row.intent_id, why)
            return self._record(row.intent_id, answer, cancelling=True)
        now = self.rules.clock()
        with self.db.transaction() as s:
            current = s.get(ScanOrder, row.intent_id, with_for_update=True)
            current.attempts += 1
            current.updated_at = now
            if current.status in FINAL:
                return current
            if current.status != "cancelling":
                current.status = "cancelling"
                raise_alarm(s, current.terminal_id, "scan_cancel_failed", current.intent_id, now,
                            provider=current.provider, code=current.code_masked, amount_fen=current.amount_fen,
                            account_no=current.account_no, why=why,
                            answer=None if answer is None else answer.outcome.value,
                            reason_code=None if answer is None else answer.reason_code,
                            reason=None if answer is None else answer.reason)
                log.warning("scan %s: the cancel at %s did not go through; querying and cancelling again",
                            current.intent_id, current.provider)
            return current

    def _record(self, intent_id: str, answer: ProviderAnswer | None, cancelling: bool = False) -> ScanOrder:
        """Commit what the provider answered (a final state is never changed)."""
        now = self.rules.clock()
        with self.db.transaction() as s:
            row = s.get(ScanOrder, intent_id, with_for_update=True)
            row.attempts += 1
            row.updated_at = now
            if row.status in FINAL:
                return row
            outcome = None if answer is None else answer.outcome
            if outcome is Outcome.PAID and not cancelling:
                row.status, row.provider_txn_id = "paid", answer.provider_txn_id
                row.paid_at = answer.paid_at or now
                row.reason_code = row.reason = None
                if answer.amount_fen is not None and answer.amount_fen != row.amount_fen:
                    raise_alarm(s, row.terminal_id, "scan_amount_differs", row.intent_id, now, provider=row.provider,
                                ordered_fen=row.amount_fen, charged_fen=answer.amount_fen,
                                provider_txn_id=answer.provider_txn_id)
            elif outcome is Outcome.USER_PAYING and not cancelling:
                row.status = "user_paying"
            elif outcome is Outcome.FAILED:
                row.status, row.reason_code, row.reason = "failed", answer.reason_code, answer.reason
            elif outcome is Outcome.CANCELLED:
                row.status, row.reason_code, row.reason = "cancelled", answer.reason_code, answer.reason
            elif row.status == "pending" and outcome is not Outcome.NOT_FOUND:
                row.status = "unknown"  # a system error or no answer: query, never assume
            log.info("scan %s: %s answered %s, order %s", intent_id, row.provider,
                     outcome.value if outcome else "nothing", row.status)
            return row

    # --- refunds -------------------------------------------------------------------------------------

    def refund(self, caller: Caller, request: p.ScanRefundRequest) -> p.ScanRefundStatus:
        """Refund (part of) a paid scan order through its provider; idempotent on ``refund_id``."""
        if not self.providers:
            raise _unavailable()
        now = self.rules.clock()
        try:
            with self.db.transaction() as s:
                row = s.get(ScanRefund, request.refund_id)
                if row is None:
                    order = s.get(ScanOrder, request.intent_id, with_for_update=True)
                    if order is None or order.terminal_id != caller.terminal_id:
                        raise Refusal(404, "unknown_intent", f"no scan intent {request.intent_id} of this terminal")
                    if order.status != "paid":
                        raise Refusal(409, "scan_not_paid", f"scan intent {request.intent_id} is {order.status}, "
                                                            "not paid: there is nothing to refund")
                    taken = s.scalar(select(func.coalesce(func.sum(ScanRefund.amount_fen), 0)).where(
                        ScanRefund.intent_id == order.intent_id, ScanRefund.status != "failed")) or 0
                    if request.amount_fen > order.amount_fen - taken:
                        raise Refusal(422, "refund_too_large", f"at most {order.amount_fen - taken} fen of this payment "
                                                               f"can still be refunded")
                    self._provider(order.provider)
                    row = ScanRefund(refund_id=request.refund_id, intent_id=request.intent_id,
                                     terminal_id=caller.terminal_id, reversal_id=request.reversal_id,
                                     amount_fen=request.amount_fen, status="requested", created_at=now, updated_at=now,
                                     attempts=0)
                    s.add(row)
                elif (row.terminal_id, row.intent_id, row.reversal_id, row.amount_fen) != (
                        caller.terminal_id, request.intent_id, request.reversal_id, request.amount_fen):
                    if row.terminal_id != caller.terminal_id:
                        raise Refusal(409, "refund_reused", f"refund {request.refund_id} is another terminal's")
                    raise Refusal(409, "refund_reused", f"refund {request.refund_id} was asked with other details")
        except IntegrityError:
            return self.refund(caller, request)
        return self._refund_step(row.refund_id)

    def refund_status(self, caller: Caller, refund_id: str) -> p.ScanRefundStatus:
        with self.db.sessions() as s:
            row = s.get(ScanRefund, refund_id)
        if row is None or row.terminal_id != caller.terminal_id:
            raise Refusal(404, "unknown_refund", f"no scan refund {refund_id} of this terminal")
        return self._refund_step(refund_id)

    def _refund_step(self, refund_id: str) -> p.ScanRefundStatus:
        """Ask the provider about a refund not final: send it (again: idempotent) until the provider took it,
        then query it."""
        with self.db.sessions() as s:
            row = s.get(ScanRefund, refund_id)
            order = s.get(ScanOrder, row.intent_id)
        if row.status in REFUND_FINAL:
            return refund_status_of(row)
        provider = self._provider(order.provider)
        with self._exclusive("refund:" + refund_id) as mine:
            if not mine:
                with self.db.sessions() as s:
                    return refund_status_of(s.get(ScanRefund, refund_id))
            no, refund_no = order_no(order.intent_id), order_no(refund_id)
            if row.status == "pending":
                answer = self._call(order.intent_id, f"{order.provider} refund query", provider.refund_query, no,
                                    refund_no)
            else:
                answer = self._call(order.intent_id, f"{order.provider} refund", provider.refund, no, refund_no,
                                    row.amount_fen, order.amount_fen, "冲正退款")
            return refund_status_of(self._record_refund(refund_id, answer))

    def _record_refund(self, refund_id: str, answer: RefundAnswer | None) -> ScanRefund:
        now = self.rules.clock()
        with self.db.transaction() as s:
            row = s.get(ScanRefund, refund_id, with_for_update=True)
            row.attempts += 1
            row.updated_at = now
            if row.status in REFUND_FINAL:
                return row
            outcome = None if answer is None else answer.outcome
            if outcome is RefundOutcome.REFUNDED:
                row.status = "refunded"
            elif outcome is RefundOutcome.PENDING:
                row.status = "pending"
            elif outcome is RefundOutcome.FAILED:
                row.status, row.reason_code, row.reason = "failed", answer.reason_code, answer.reason
            elif row.status == "requested":
                row.status = "unknown"
            if answer is not None and answer.provider_refund_id:
                row.provider_refund_id = answer.provider_refund_id
            log.info("scan refund %s of %s: %s", refund_id, row.intent_id, row.status)
            return row


# --- the push's check of a payment taken by scan --------------------------------------------------------

def payment_problem(s: Session, caller: Caller, body: p.PaymentBody, claimed: set[str]) -> tuple[str | None, list[str]]:
    """(the reason to reject, or None; flags) for a pushed payment's scan intent or its typed references.

    A payment naming its scan intent must match a paid order of the same terminal: its tender of the provider's
    kind carries the provider's transaction id as reference and the order's amount; an intent backs one payment.
    A WeChat/Alipay tender without a scan intent (a typed reference, as old terminals and the offline path push)
    is accepted, flagged ``typed_reference`` for reconciliation, and ``unapproved_reference`` without a
    supervisor's approval."""
    if body.kind != "payment":
        return None, []
    flags: list[str] = []
    matched = None
    if body.scan_intent_id is not None:
        order = s.get(ScanOrder, body.scan_intent_id)
        if order is None or order.terminal_id != caller.terminal_id:
            return "scan_intent_unknown", []
        if order.status != "paid":
            return "scan_not_paid", []
        if body.scan_intent_id in claimed or (order.payment_id is not None and order.payment_id != body.id):
            return "scan_intent_used", []
        kind = TENDER_OF[order.provider]
        same = [t for t in body.tenders if t.kind == kind and t.reference == order.provider_txn_id]
        if len(same) != 1 or same[0].amount_fen != order.amount_fen:
            return "scan_tender_mismatch", []
        matched = same[0]
    typed = [t for t in body.tenders if t.kind in ("wechat", "alipay") and t is not matched]
    if typed:
        flags.append("typed_reference")
        if body.approval is None or not body.approval.reason.strip():
            flags.append("unapproved_reference")
    return None, flags


def claim(s: Session, body: p.PaymentBody, claimed: set[str]) -> None:
    """The accepted payment is the one its scan intent backs."""
    if body.scan_intent_id is not None:
        claimed.add(body.scan_intent_id)
        s.execute(update(ScanOrder).where(ScanOrder.intent_id == body.scan_intent_id).values(payment_id=body.id))
