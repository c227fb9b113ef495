"""Scan-to-pay (付款码收款): the customer's WeChat, Alipay or UnionPay QuickPass payment code, scanned at the
counter, charged by the provider through the upstream (which alone holds merchant credentials).

Crash-safe, in this order (issue 18):
1. the scan intent is committed locally (its UUIDv7 is the merchant order number; the code is kept masked);
2. the upstream is asked to pay (idempotent on the intent id);
3. while the provider says "user paying" (the customer types a password) or nothing certain, the order is
   queried at intervals up to a bounded wait, then cancelled; the cashier may cancel earlier (Esc);
4. only on the provider's "paid" is the payment committed — in one unit of work with the intent marked paid
   and linked — the tender WeChat/Alipay (UnionPay → bank card) with the provider's transaction id as its
   reference and the intent's id in the payment document. "failed"/"cancelled" close the intent with the
   provider's reason in words.
A crash anywhere leaves an open intent: ``resolve_open_intents`` (every sync round — so at every start of
the counter, ``cashier-admin sync`` and ``scan-pay``) asks the upstream and finishes it, exactly once: the
commit re-reads the intent inside its transaction and the payment id is fixed when the intent is made.

Business date of a payment committed late (the counter crashed, the sync resolved it later): the day the
provider charged, in the intent's own shift while that shift is open; once that shift is closed, the terminal's
open shift and today's date, with a note in the intent and the payment's audit entry; with no shift open the
intent waits (the customer's money is recorded as soon as a shift opens: the next round commits it).

A code is never logged nor stored in full: ``mask`` keeps its first and last four digits.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cashier import audit
from cashier.auth import Actor, Role, require, use_approval
from cashier.errors import DomainError
from cashier.i18n import translate
from cashier.ids import uuid7
from cashier.logs import after_commit
from cashier.money import format_fen
from cashier.payments import (PaymentResult, TenderLine, _result, check_request, record_payment)
from cashier.quote import load_account, quote_loaded
from cashier.rules.allocation import allocate
from cashier.shifts import open_shift_of, open_shift_row
from cashier.store.models import Approval, Payment, ScanIntent, Shift, User
from cashier.sync import protocol as p
from cashier.sync.client import NotSent, Refused, ScanUnavailable, Unreachable
from cashier.terminal import Terminal

log = logging.getLogger(__name__)

PROVIDERS = ("wechat", "alipay", "unionpay")
TENDER_OF = {"wechat": "wechat", "alipay": "alipay", "unionpay": "bank_card"}  # QuickPass is a bank card payment
SCAN_MIN_DIGITS = 16  # longer than any amount a cashier types: a run of digits this long is a code
WAITING = ("user_paying", "unknown", "cancelling")
NEVER_PLACED_AFTER = timedelta(minutes=2)  # an intent the upstream does not know after this was never placed

# The providers' codes for a refusal, in our words; anything else is said in the provider's words.
REASONS = {
    "NOTENOUGH": "scan.reason.balance", "ACQ.BUYER_BALANCE_NOT_ENOUGH": "scan.reason.balance",
    "INSUFFICIENT_BALANCE": "scan.reason.balance", "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH": "scan.reason.balance",
    "AUTHCODEEXPIRE": "scan.reason.code_expired", "ACQ.PAYMENT_AUTH_CODE_INVALID": "scan.reason.code_invalid",
    "AUTH_CODE_INVALID": "scan.reason.code_invalid", "AUTH_CODE_ERROR": "scan.reason.code_invalid",
    "USERPAYING_TIMEOUT": "scan.reason.gave_up", "USER_CANCELLED": "scan.reason.gave_up",
    "ORDERREVERSED": "scan.reason.cancelled", "ORDERCLOSED": "scan.reason.cancelled",
    "ACQ.TRADE_HAS_CLOSE": "scan.reason.cancelled", "TRADE_CLOSED": "scan.reason.cancelled",
    "BUYER_MISMATCH": "scan.reason.buyer", "ACQ.BUYER_ENABLE_STATUS_FORBID": "scan.reason.buyer",
    "ACQ.PAYMENT_REQUEST_HAS_RISK": "scan.reason.risk", "ACQ.TRADE_BUYER_NOT_MATCH": "scan.reason.buyer",
    "51": "scan.reason.balance",  # UnionPay (ISO 8583): insufficient funds
    "offline": "scan.reason.offline", "unavailable": "scan.reason.unavailable",
    "never_placed": "scan.reason.never_placed", "refused": "scan.reason.refused",
}


# --- the code ---------------------------------------------------------------------------------------

def mask(code: str) -> str:
    """1012********3456: the first and last four digits, never more (short strings are all stars); the
    protocol's one rule (``protocol.mask_code``), the upstream's too."""
    return p.mask_code((code or "").strip())


def looks_like_scan(text: str) -> bool:
    """A run of ASCII digits at least ``SCAN_MIN_DIGITS`` long: a scanned payment code, never an amount."""
    text = (text or "").strip()
    return len(text) >= SCAN_MIN_DIGITS and text.isascii() and text.isdigit()


def classify(code: str) -> str:
    """The provider of a payment code: WeChat (18 digits, 10–15…), Alipay (16–24 digits, 25–30…), UnionPay
    QuickPass (19 digits, 62…) — ``protocol.scan_provider_of``, which the upstream applies again; anything else
    is refused (scan.bad_code) naming what was read, masked."""
    code = (code or "").strip()
    provider = p.scan_provider_of(code)
    if provider is None:
        raise DomainError("scan.bad_code", code=mask(code), length=len(code))
    return provider


def reason_text(reason_code: str | None, reason: str | None) -> str:
    """The provider's reason in the user's language: ours for the codes we know, else the provider's words."""
    key = REASONS.get(reason_code or "")
    if key:
        return translate(key)
    return (reason or "").strip() or (reason_code or "") or translate("scan.reason.none")


# --- the sale and the outcome -----------------------------------------------------------------------

@dataclass(frozen=True)
class ScanSale:
    """What the scan pays: ``scan_fen`` of a payment of ``amount_fen`` (the rest in ``other_tenders``)."""

    account_no: str
    amount_fen: int
    scan_fen: int
    other_tenders: tuple[TenderLine, ...] = ()
    payment_id: str = field(default_factory=uuid7)
    waiver_fen: int = 0
    waiver_approval_id: int | None = None
    expected_due_fen: int | None = None


@dataclass(frozen=True)
class ScanOutcome:
    intent_id: str
    state: str  # paid | failed | cancelled | waiting (the provider has not said) | held (paid, not yet recorded)
    provider: str
    provider_status: str | None = None
    payment: PaymentResult | None = None
    reason: str | None = None  # in words, for failed, cancelled and held
    provider_txn_id: str | None = None

    @property
    def final(self) -> bool:
        return self.state in ("paid", "failed", "cancelled")

    def describe(self) -> str:
        if self.state == "paid" and self.payment is not None:
            return translate("scan.paid", amount=format_fen(self.payment.amount_fen), txn=self.provider_txn_id or "")
        if self.state in ("failed", "cancelled"):
            return translate(f"scan.{self.state}", reason=self.reason or translate("scan.reason.none"))
        if self.state == "held":
            return translate("scan.held", reason=self.reason or "")
        return translate("scan.unknown" if self.provider_status != "user_paying" else "scan.waiting_password")


@dataclass(frozen=True)
class ScanTimings:
    """How long the terminal waits for the provider (seconds): polls, then cancels after ``wait``, then keeps
    asking about the cancel up to ``give_up`` more before leaving the intent to ``resolve_open_intents``."""

    first_poll: float = 0.5
    poll: float = 2.0
    wait: float = 45.0
    give_up: float = 30.0


# --- the store side ---------------------------------------------------------------------------------

def start_intent(t: Terminal, actor: Actor, sale: ScanSale, code: str) -> tuple[str, str]:
    """Check the sale as ``take_payment`` would and commit its scan intent; returns (intent id, provider).

    Nothing is charged yet. A waiver's approval is used here: it is good for minutes, the commit may come later."""
    require(actor, "payment.take")
    t.store.require_sound()
    provider = classify(code)
    if isinstance(sale.scan_fen, bool) or not isinstance(sale.scan_fen, int) or sale.scan_fen <= 0:
        raise DomainError("payment.bad_tender_amount", amount=sale.scan_fen)
    tenders = [*sale.other_tenders, TenderLine(TENDER_OF[provider], sale.scan_fen, "scan")]
    number, tenders, _tendered, _change = check_request(t, sale.account_no, sale.amount_fen, tenders, sale.waiver_fen)
    now = t.clock.now()
    intent_id = uuid7()
    with t.store.transaction() as s:
        if s.get(Payment, sale.payment_id) is not None:
            raise DomainError("sale.already_paid")
        if s.scalar(select(ScanIntent.id).where(ScanIntent.status == "open",
                                                ScanIntent.request.like(f'%"{sale.payment_id}"%'))):
            raise DomainError("scan.in_progress")
        shift = open_shift_row(s, t, actor)
        account = load_account(s, number)
        if account is None:
            raise DomainError("quote.unknown_account", account=number)
        # Everything the commit will check, checked before the customer is charged: money taken must be recordable.
        quote = quote_loaded(s, account, t.clock.business_date(), t.penalty_policy(s).policy)
        if sale.expected_due_fen is not None and quote.total_due_fen != sale.expected_due_fen:
            raise DomainError("payment.quote_changed", before=format_fen(sale.expected_due_fen),
                              now=format_fen(quote.total_due_fen))
        if sale.waiver_fen > quote.penalty_fen:
            raise DomainError("payment.waiver_too_large", waiver=format_fen(sale.waiver_fen),
                              penalty=format_fen(quote.penalty_fen))
        allocate(quote, sale.amount_fen, sale.waiver_fen)  # a partial payment covers the oldest bill's penalty
        if sale.waiver_fen:
            use_approval(t, s, sale.waiver_approval_id, "penalty_waiver", number, actor, sale.waiver_fen)
        request = {"payment_id": sale.payment_id, "amount_fen": sale.amount_fen,
                   "other_tenders": [[x.kind, x.amount_fen, x.reference] for x in sale.other_tenders],
                   "waiver_fen": sale.waiver_fen, "waiver_approval_id": sale.waiver_approval_id}
        s.add(ScanIntent(id=intent_id, account_no=number, amount_fen=sale.scan_fen, provider=provider,
                         code_masked=mask(code), status="open", cashier_id=actor.user_id, shift_id=shift.id,
                         request=json.dumps(request, sort_keys=True), created_at=now, updated_at=now))
        audit.record(s, now, actor.user_id, "scan.intent", intent_id, account=number, amount_fen=sale.scan_fen,
                     provider=provider, code=mask(code), payment=sale.payment_id)
        after_commit(s, log, "scan intent %s: %s code %s, %d fen for account %s (payment %s) cashier %s",
                     intent_id, provider, mask(code), sale.scan_fen, number, sale.payment_id, actor.username)
    return intent_id, provider


def _actor_of(s, user_id: int) -> Actor:
    user = s.get(User, user_id)
    return Actor(user.id, user.username, user.display_name, Role(user.role))


def _local_date(t: Terminal, at: datetime):
    return at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(t.clock.timezone)).date()


def commit_paid(t: Terminal, intent_id: str, st: p.ScanStatus) -> ScanOutcome:
    """The provider charged: commit the payment with the intent marked paid and linked, exactly once."""
    now = t.clock.now()
    with t.store.transaction() as s:
        intent = s.get(ScanIntent, intent_id)
        if intent is None:
            raise DomainError("scan.unknown_intent", id=intent_id)
        if intent.status == "paid":  # another process (or an earlier round) recorded it
            return ScanOutcome(intent.id, "paid", intent.provider, "paid", _result(s, s.get(Payment, intent.payment_id)),
                               provider_txn_id=intent.provider_txn_id)
        if intent.status != "open":  # closed on an earlier answer: the charge still gets its payment
            log.error("scan intent %s was %s and is paid after all (%s): recording the payment",
                      intent.id, intent.status, st.provider_txn_id)
        if st.amount_fen != intent.amount_fen:
            log.error("scan intent %s: the provider charged %d fen, the intent is for %d fen",
                      intent.id, st.amount_fen, intent.amount_fen)
        txn = (st.provider_txn_id or "").strip()[:64] or intent.id
        paid_at = st.paid_at.astimezone(timezone.utc).replace(tzinfo=None) if st.paid_at and st.paid_at.tzinfo \
            else (st.paid_at or now)
        intent.provider_status, intent.provider_txn_id, intent.paid_at, intent.updated_at = "paid", txn, paid_at, now
        shift = s.get(Shift, intent.shift_id)
        note = None
        if shift is not None and shift.status == "open":
            shift_id, actor, today = shift.id, _actor_of(s, intent.cashier_id), _local_date(t, paid_at)
        else:
            current = open_shift_of(s, t)
            if current is None:  # recorded when a shift opens: the next round commits it
                intent.reason_code, intent.reason = "no_shift", None
                after_commit(s, log, "scan intent %s paid (%s) but no shift is open: waiting for one", intent.id, txn)
                return ScanOutcome(intent.id, "held", intent.provider, "paid", reason=translate("scan.no_shift"),
                                   provider_txn_id=txn)
            shift_id, actor, today = current.id, _actor_of(s, current.cashier_id), t.clock.business_date()
            note = (f"paid {_local_date(t, paid_at).isoformat()} in shift {intent.shift_id} (closed since); "
                    f"recorded in shift {current.id} on {today.isoformat()}")
        request = json.loads(intent.request)
        tenders = [TenderLine(kind, amount, ref) for kind, amount, ref in request["other_tenders"]]
        tenders.append(TenderLine(TENDER_OF[intent.provider], intent.amount_fen, txn))
        number, tenders, tendered, change = check_request(t, intent.account_no, request["amount_fen"], tenders,
                                                          request["waiver_fen"])
        waiver_approval = s.get(Approval, request["waiver_approval_id"]) if request["waiver_fen"] else None
        result = record_payment(s, t, actor, shift_id, today, now, number, request["amount_fen"], tenders, tendered,
                                change, payment_id=request["payment_id"], waiver_fen=request["waiver_fen"],
                                waiver_approval=waiver_approval, scan_intent_id=intent.id, note=note)
        intent.status, intent.payment_id, intent.resolved_at, intent.note = "paid", result.payment_id, now, note
        intent.reason_code = intent.reason = None
        after_commit(s, log, "scan intent %s paid: %s %s, payment %s%s", intent.id, intent.provider, txn,
                     result.payment_id, f" ({note})" if note else "")
        return ScanOutcome(intent.id, "paid", intent.provider, "paid", result, provider_txn_id=txn)


def close_intent(t: Terminal, intent_id: str, status: str, reason_code: str | None, reason: str | None) -> ScanOutcome:
    """The provider did not charge (failed) or the order was cancelled: the intent says so, with why."""
    now = t.clock.now()
    with t.store.transaction() as s:
        intent = s.get(ScanIntent, intent_id)
        if intent is None:
            raise DomainError("scan.unknown_intent", id=intent_id)
        if intent.status == "paid":
            return ScanOutcome(intent.id, "paid", intent.provider, "paid", _result(s, s.get(Payment, intent.payment_id)),
                               provider_txn_id=intent.provider_txn_id)
        if intent.status == "open":
            intent.status, intent.provider_status, intent.resolved_at, intent.updated_at = status, status, now, now
            intent.reason_code, intent.reason = (reason_code or None), (reason or None)
            audit.record(s, now, intent.cashier_id, f"scan.{status}", intent.id, reason_code=reason_code,
                         reason=reason)
            after_commit(s, log, "scan intent %s %s: %s %s", intent.id, status, reason_code or "-", reason or "")
        return ScanOutcome(intent.id, intent.status, intent.provider, intent.provider_status,
                           reason=reason_text(intent.reason_code, intent.reason))


def hold(t: Terminal, intent_id: str, provider: str, st: p.ScanStatus, exc: DomainError) -> ScanOutcome:
    """The provider charged but the payment cannot be recorded as the sale stands (the account's bills changed
    since the scan): the intent stays open, paid, with why — the status bar counts it and every round tries
    again; a supervisor takes it up. The charge is never dropped."""
    now = t.clock.now()
    with t.store.transaction() as s:
        intent = s.get(ScanIntent, intent_id)
        if intent.status == "open":
            intent.provider_status, intent.provider_txn_id, intent.updated_at = "paid", st.provider_txn_id, now
            intent.reason_code, intent.reason = "not_recorded", exc.message("zh")
            after_commit(s, log, "scan intent %s paid (%s) but not recorded: %s", intent_id, st.provider_txn_id,
                         exc.message("en"), level=logging.ERROR)
    return ScanOutcome(intent_id, "held", provider, "paid", reason=str(exc), provider_txn_id=st.provider_txn_id)


def apply_status(t: Terminal, intent_id: str, provider: str, st: p.ScanStatus | None) -> ScanOutcome:
    """What an answer means for the intent: commit on paid, close on failed/cancelled, else keep waiting."""
    if st is None:
        return ScanOutcome(intent_id, "waiting", provider, "unknown")
    if st.status == "paid":
        return commit_paid(t, intent_id, st)
    if st.status in ("failed", "cancelled"):
        return close_intent(t, intent_id, st.status, st.reason_code, st.reason)
    return ScanOutcome(intent_id, "waiting", provider, st.status)


# --- the flow ---------------------------------------------------------------------------------------

_active: set[str] = set()  # intents a flow of this process is driving: the resolver leaves them alone
_active_lock = threading.Lock()


class ScanFlow:
    """One scan payment, step by step: ``start`` once, then ``poll`` after ``next_delay`` seconds until the
    outcome is final or ``over``; ``cancel`` at any time (the cashier's Esc). Each step is one short blocking
    call: the counter runs each in a background operation, the command line in ``pay_and_wait``."""

    def __init__(self, t: Terminal, client, actor: Actor, sale: ScanSale, code: str,
                 timings: ScanTimings | None = None, monotonic=time.monotonic) -> None:
        self.t, self.client, self.actor, self.sale = t, client, actor, sale
        self.timings = timings or ScanTimings()
        self._code: str | None = code.strip()
        self._monotonic = monotonic
        self.provider = classify(self._code)
        self.intent_id: str | None = None
        self.outcome: ScanOutcome | None = None
        self.started_at = 0.0
        self.cancel_sent = False
        self.polls = 0

    def start(self) -> ScanOutcome:
        """Commit the intent, hand the code to the upstream. Offline or no provider: refused (DomainError),
        the intent closed as failed — nothing can have been charged."""
        self.intent_id, self.provider = start_intent(self.t, self.actor, self.sale, self._code)
        with _active_lock:
            _active.add(self.intent_id)
        self.started_at = self._monotonic()
        return self._settle(self._pay())

    def _pay(self) -> ScanOutcome:
        request = p.ScanPayRequest(intent_id=self.intent_id, account_no=self.sale.account_no,
                                   amount_fen=self.sale.scan_fen, code=self._code, provider=self.provider)
        try:
            st = self.client.scan_pay(request)
        except NotSent:
            close_intent(self.t, self.intent_id, "failed", "offline", None)
            self._end()
            raise DomainError("scan.offline") from None
        except ScanUnavailable:
            close_intent(self.t, self.intent_id, "failed", "unavailable", None)
            self._end()
            raise DomainError("scan.unavailable") from None
        except Refused as exc:  # the upstream said no before asking the provider (a code it does not accept …)
            return close_intent(self.t, self.intent_id, "failed", "refused", exc.message or exc.code)
        except Unreachable as exc:  # sent, no answer: it may be charging — ask, never assume
            log.warning("scan intent %s: no answer to the pay call (%s): querying", self.intent_id, exc)
            st = None
        return self._apply(st)

    def poll(self) -> ScanOutcome:
        """Ask the upstream once; past the bounded wait, cancel (the provider's rule for "user paying")."""
        if self.outcome is not None and self.outcome.final:
            return self.outcome
        self.polls += 1
        if not self.cancel_sent and self.elapsed() >= self.timings.wait:
            return self.cancel()
        try:
            st = self.client.scan_status(self.intent_id)
        except Refused as exc:
            if exc.status == 404 and self._code and not self.cancel_sent:  # the pay call never arrived: send again
                return self._settle(self._pay())
            st = None
        except Unreachable:
            st = None
        return self._settle(self._apply(st))

    def cancel(self) -> ScanOutcome:
        """Cancel the order (the cashier's Esc, or the wait is over); "cancelling" is asked again later."""
        if self.outcome is not None and self.outcome.final:
            return self.outcome
        self.cancel_sent = True
        try:
            st = self.client.scan_cancel(self.intent_id)
        except Refused as exc:
            if exc.status == 404:  # never placed: nothing can be charged
                return self._settle(close_intent(self.t, self.intent_id, "cancelled", "never_placed", None))
            st = None
        except Unreachable:
            st = None
        out = self._apply(st)
        if not out.final and out.provider_status != "cancelling":
            out = ScanOutcome(out.intent_id, "waiting", out.provider, "cancelling")
        return self._settle(out)

    def _apply(self, st: p.ScanStatus | None) -> ScanOutcome:
        try:
            return apply_status(self.t, self.intent_id, self.provider, st)
        except DomainError as exc:  # charged, and the payment cannot be recorded as it stands: kept open, said
            return hold(self.t, self.intent_id, self.provider, st, exc)

    def elapsed(self) -> float:
        return self._monotonic() - self.started_at

    def next_delay(self) -> float:
        return self.timings.first_poll if self.polls == 0 else self.timings.poll

    @property
    def over(self) -> bool:
        """Final, or waited past the cancel and its grace: the resolver finishes it later."""
        return (self.outcome is not None and self.outcome.final) or \
            (self.cancel_sent and self.elapsed() >= self.timings.wait + self.timings.give_up)

    def _settle(self, out: ScanOutcome) -> ScanOutcome:
        self.outcome = out
        if out.final or out.state == "held":
            self._end()
        return out

    def _end(self) -> None:
        self._code = None  # the code lives in memory only while it may need sending
        with _active_lock:
            _active.discard(self.intent_id)

    def abandon(self) -> None:
        """Stop driving it (the window closed, the time is up): ``resolve_open_intents`` finishes it."""
        self._end()


def pay_and_wait(flow: ScanFlow, *, sleep=time.sleep, on_wait=None, should_cancel=None) -> ScanOutcome:
    """Drive ``flow`` to its end in this thread (``cashier-admin scan-pay``, tests, the benchmark)."""
    out = flow.start()
    while not flow.over:
        if on_wait is not None:
            on_wait(out)
        sleep(flow.next_delay())
        out = flow.cancel() if (should_cancel is not None and should_cancel() and not flow.cancel_sent) \
            else flow.poll()
        if out.state == "held":
            break
    if not out.final:
        flow.abandon()
    return out


# --- after a crash ----------------------------------------------------------------------------------

def open_intents(s) -> list[ScanIntent]:
    return list(s.scalars(select(ScanIntent).where(ScanIntent.status == "open").order_by(ScanIntent.id)))


def resolve_open_intents(t: Terminal, client, *, wait: float | None = None) -> list[ScanOutcome]:
    """Ask about every open intent no flow of this process drives and finish it: the payment on "paid",
    closed on "failed"/"cancelled", cancelled when older than the bounded wait; exactly once (``commit_paid``).
    Returns what each came to; an upstream that cannot be reached leaves them open for the next round."""
    wait = ScanTimings().wait if wait is None else wait
    now = t.clock.now()
    with t.store.read() as s:
        rows = [(i.id, i.provider, i.created_at, i.provider_status, i.provider_txn_id, i.paid_at, i.amount_fen)
                for i in open_intents(s)]
    outcomes = []
    for intent_id, provider, created_at, provider_status, txn, paid_at, amount in rows:
        with _active_lock:
            if intent_id in _active:
                continue
        age = now - created_at
        if provider_status == "paid" and txn:  # known paid, waiting for a shift
            st = p.ScanStatus(intent_id=intent_id, provider=provider, status="paid", amount_fen=amount,
                              provider_txn_id=txn, paid_at=paid_at)
            try:
                outcomes.append(apply_status(t, intent_id, provider, st))
            except DomainError as exc:
                outcomes.append(hold(t, intent_id, provider, st, exc))
            continue
        try:
            st = client.scan_status(intent_id)
            if st.status not in p.SCAN_FINAL and age >= timedelta(seconds=wait):
                st = client.scan_cancel(intent_id)
        except Refused as exc:
            if exc.status == 404 and age >= NEVER_PLACED_AFTER:
                outcomes.append(close_intent(t, intent_id, "failed", "never_placed", None))
            continue
        except NotSent:
            break  # offline: the next round tries again
        except Unreachable:
            continue
        try:
            out = apply_status(t, intent_id, provider, st)
        except DomainError as exc:  # charged, but the sale no longer fits (the bills changed): kept, said
            out = hold(t, intent_id, provider, st, exc)
        outcomes.append(out)
        if out.final:
            log.info("scan intent %s left open earlier is %s", intent_id, out.state)
    return outcomes


def pending_count(s) -> int:
    """Scan payments not settled yet (the status bar says so: money may be on its way)."""
    from sqlalchemy import func

    return s.scalar(select(func.count()).select_from(ScanIntent).where(ScanIntent.status == "open")) or 0
