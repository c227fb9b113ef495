"""Taking money (收费), reversing it (冲正) and waiving penalties (违约金减免).

Rules (DESIGN.md, Paying): quote on the business date; allocate oldest bill first and, within
a bill, penalty before principal; a partial payment must cover at least the penalty of the
oldest bill it touches, and the rest of that bill's principal accrues again from the next
day; what is left over becomes prepaid balance (预存); change comes from cash only. A
disconnected account whose arrears are cleared gets a reconnection request (复电).

Everything one payment writes — id (UUIDv7), the terminal's next receipt number, tenders,
allocations, bill and account updates, audit entry and outbox entry — is one transaction,
on disk before the call returns. Passing the same ``payment_id`` twice (a double Enter, a
retry after a crash) returns the first payment instead of taking the money again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from cashier import audit, door_to_door, events, scan_refunds
from cashier.auth import Actor, require, use_approval
from cashier.documents import body_digest, build, enqueue, next_seq
from cashier.errors import DomainError
from cashier.ids import uuid7
from cashier.logs import after_commit
from cashier.money import MAX_AMOUNT_FEN, format_fen
from cashier.print_queue import queue_original
from cashier.quote import check_account_no, load_account, quote_loaded
from cashier.reports import expected_cash
from cashier.shifts import open_shift_row, require_own_open_shift
from cashier.sync import exposure
from cashier.sync import protocol as p
from cashier.rules.allocation import allocate
from cashier.rules.tenders import TENDER_KINDS, TenderLine, refund_tenders  # noqa: F401  (callers take them from here)
from cashier.store.models import Account, Allocation, Bill, Payment, Tender
from cashier.terminal import Terminal

log = logging.getLogger(__name__)

MAX_REFERENCE = 64


@dataclass(frozen=True)
class AllocationLine:
    bill_id: int
    period: str
    penalty_fen: int
    penalty_waived_fen: int
    principal_fen: int
    penalty_days: int


@dataclass(frozen=True)
class PaymentResult:
    payment_id: str
    kind: str
    seq: int
    account_no: str
    business_date: date
    created_at: datetime
    amount_fen: int  # applied + prepaid credit
    applied_fen: int
    prepaid_credit_fen: int
    tendered_fen: int
    change_fen: int
    penalty_waived_fen: int
    reconnect_requested: bool
    prepaid_balance_after_fen: int
    tenders: tuple[TenderLine, ...]
    allocations: tuple[AllocationLine, ...]
    reverses_id: str | None = None


def _check_amount(value: int, key: str = "payment.bad_amount") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_AMOUNT_FEN:
        raise DomainError(key, amount=value)
    return value


def _check_tenders(amount_fen: int, tenders: list[TenderLine]) -> tuple[int, int]:
    """Returns (tendered, change); refuses short tenders and change from anything but cash."""
    if not tenders:
        raise DomainError("payment.no_tender")
    for line in tenders:
        if line.kind not in TENDER_KINDS:
            raise DomainError("payment.bad_tender", kind=line.kind)
        _check_amount(line.amount_fen, "payment.bad_tender_amount")
        if line.kind != "cash":
            reference = (line.reference or "").strip()
            if not reference or len(reference) > MAX_REFERENCE:
                raise DomainError("payment.reference_required", kind=line.kind)
    tendered = sum(line.amount_fen for line in tenders)
    if tendered < amount_fen:
        raise DomainError("payment.tender_short", tendered=format_fen(tendered), amount=format_fen(amount_fen))
    non_cash = sum(line.amount_fen for line in tenders if line.kind != "cash")
    if non_cash > amount_fen:
        raise DomainError("payment.change_from_card", non_cash=format_fen(non_cash), amount=format_fen(amount_fen))
    return tendered, tendered - amount_fen


def _result(s: Session, p: Payment) -> PaymentResult:
    account = s.get(Account, p.account_id)
    periods = dict(s.execute(select(Bill.id, Bill.period).where(Bill.id.in_([a.bill_id for a in p.allocations]))).all())
    return PaymentResult(
        payment_id=p.id, kind=p.kind, seq=p.seq, account_no=account.account_no, business_date=p.business_date,
        created_at=p.created_at, amount_fen=p.applied_fen + p.prepaid_credit_fen, applied_fen=p.applied_fen,
        prepaid_credit_fen=p.prepaid_credit_fen, tendered_fen=p.tendered_fen, change_fen=p.change_fen,
        penalty_waived_fen=p.penalty_waived_fen, reconnect_requested=bool(p.reconnect_requested),
        prepaid_balance_after_fen=account.prepaid_balance_fen,
        tenders=tuple(TenderLine(x.kind, x.amount_fen, x.reference) for x in sorted(p.tenders, key=lambda x: x.id)),
        allocations=tuple(AllocationLine(a.bill_id, periods.get(a.bill_id, ""), a.penalty_fen, a.penalty_waived_fen,
                                         a.principal_fen, a.penalty_days) for a in sorted(p.allocations, key=lambda a: a.id)),
        reverses_id=p.reverses_id,
    )


def _same_request(existing: PaymentResult, account_no: str, amount_fen: int, tenders: list[TenderLine]) -> bool:
    return (existing.account_no == account_no and existing.amount_fen == amount_fen
            and sorted((x.kind, x.amount_fen) for x in existing.tenders) == sorted((x.kind, x.amount_fen) for x in tenders))


def take_payment(t: Terminal, actor: Actor, account_no: str, amount_fen: int, tenders: list[TenderLine], *,
                 payment_id: str | None = None, waiver_fen: int = 0, waiver_approval_id: int | None = None,
                 expected_due_fen: int | None = None, reference_approval_id: int | None = None) -> PaymentResult:
    """Take ``amount_fen`` for ``account_no`` with ``tenders`` (their sum minus change is the amount).

    ``reference_approval_id``: on a terminal with scan-to-pay (``t.scan_to_pay``) a WeChat or Alipay tender
    whose reference was typed, not scanned, needs a supervisor's approval (action ``typed_reference``); it
    goes upstream as the payment's approval, marked for reconciliation."""
    require(actor, "payment.take")
    t.store.require_sound()  # a damaged database takes no more money: restore it from a backup first
    number, tenders, tendered, change = check_request(t, account_no, amount_fen, tenders, waiver_fen)
    typed = typed_scan_references(tenders) if t.scan_to_pay else 0
    if typed and waiver_fen:
        raise DomainError("scan.typed_with_waiver")
    now, today = t.clock.now(), t.clock.business_date()
    with t.store.transaction() as s:
        if payment_id is not None:
            existing = already_taken(s, payment_id, number, amount_fen, tenders)
            if existing is not None:
                return existing
        shift = open_shift_row(s, t, actor)
        if t.exposure is not None:
            exposure.check(s, t, shift.id, actor, amount_fen, now)
        approval = None
        if typed:
            approval = use_approval(t, s, reference_approval_id, "typed_reference", number, actor, typed)
        return record_payment(s, t, actor, shift.id, today, now, number, amount_fen, tenders, tendered, change,
                              payment_id=payment_id, waiver_fen=waiver_fen, waiver_approval_id=waiver_approval_id,
                              expected_due_fen=expected_due_fen, approval=approval)


def typed_scan_references(tenders: list[TenderLine]) -> int:
    """Fen paid by WeChat or Alipay with a typed reference (a scanned one never reaches ``take_payment``)."""
    return sum(x.amount_fen for x in tenders if x.kind in ("wechat", "alipay"))


def check_request(t: Terminal, account_no: str, amount_fen: int, tenders: list[TenderLine],
                  waiver_fen: int) -> tuple[str, list[TenderLine], int, int]:
    """What can be checked before the store is opened: (account number, tenders, tendered, change)."""
    number = check_account_no(account_no, t.account_number_length)
    _check_amount(amount_fen)
    tenders = list(tenders)
    if t.door_to_door is not None:
        door_to_door.require_cash(tenders)
    tendered, change = _check_tenders(amount_fen, tenders)
    if isinstance(waiver_fen, bool) or not isinstance(waiver_fen, int) or waiver_fen < 0:
        raise DomainError("payment.bad_amount", amount=waiver_fen)
    return number, tenders, tendered, change


def already_taken(s: Session, payment_id: str, number: str, amount_fen: int,
                  tenders: list[TenderLine]) -> PaymentResult | None:
    """The payment already committed under ``payment_id`` (a retry), or None; another request under it is refused."""
    existing = s.get(Payment, payment_id)
    if existing is None:
        return None
    result = _result(s, existing)
    if not _same_request(result, number, amount_fen, tenders):
        raise DomainError("payment.id_conflict", id=payment_id)
    return result


def record_payment(s: Session, t: Terminal, actor: Actor, shift_id: str, today: date, now: datetime, number: str,
                   amount_fen: int, tenders: list[TenderLine], tendered: int, change: int, *,
                   payment_id: str | None = None, waiver_fen: int = 0, waiver_approval_id: int | None = None,
                   expected_due_fen: int | None = None, approval=None, waiver_approval=None,
                   scan_intent_id: str | None = None, note: str | None = None) -> PaymentResult:
    """Write one checked payment inside the caller's unit of work, quoted on ``today``, in shift ``shift_id``.

    ``approval``: an approval the caller already used (a typed reference's); ``waiver_approval``: a waiver's
    approval used earlier (a scan payment's, used when its intent was committed), else ``waiver_approval_id``
    is used here. ``scan_intent_id``: the scan intent this payment finishes (it goes upstream in the body).
    ``note``: said in the audit entry (a scan payment committed after its shift closed)."""
    account = load_account(s, number)
    if account is None:
        raise DomainError("quote.unknown_account", account=number)
    if t.door_to_door is not None:
        door_to_door.require_assigned(s, account.id, t.door_to_door, number)
    rules = t.penalty_policy(s)
    quote = quote_loaded(s, account, today, rules.policy)
    if expected_due_fen is not None and expected_due_fen != quote.total_due_fen:
        raise DomainError("payment.quote_changed", before=format_fen(expected_due_fen),
                          now=format_fen(quote.total_due_fen))
    if waiver_fen:
        if waiver_approval is None and waiver_fen > quote.penalty_fen:
            raise DomainError("payment.waiver_too_large", waiver=format_fen(waiver_fen),
                              penalty=format_fen(quote.penalty_fen))
        # A scan payment's waiver was approved before the customer was charged: the money is taken, so the
        # waiver shrinks to the penalty now owed rather than refuse it.
        waiver_fen = min(waiver_fen, quote.penalty_fen)
        approval = waiver_approval or use_approval(t, s, waiver_approval_id, "penalty_waiver", number, actor,
                                                   waiver_fen)

    lines = allocate(quote, amount_fen, waiver_fen)
    applied = sum(p + c for _, p, _, c in lines)
    credit = amount_fen - applied
    # Arrears cleared by this payment: a disconnected account asks for reconnection (复电).
    reconnect = account.supply_status == "disconnected" and sum(c for *_, c in lines) == quote.principal_fen
    balance_after = account.prepaid_balance_fen + credit
    tender_lines = tuple(TenderLine(x.kind, x.amount_fen, (x.reference or "").strip() or None) for x in tenders)
    pid, seq = payment_id or uuid7(), next_seq(s, t.terminal_id)

    # Plain INSERT/UPDATE statements: the hot path of the counter carries no ORM bookkeeping.
    s.execute(_INSERT_PAYMENT, {
        "id": pid, "terminal_id": t.terminal_id, "seq": seq, "kind": "payment", "reverses_id": None,
        "shift_id": shift_id, "account_id": account.id, "cashier_id": actor.user_id, "business_date": today,
        "created_at": now, "due_fen": quote.total_due_fen, "tendered_fen": tendered, "change_fen": change,
        "applied_fen": applied, "prepaid_credit_fen": credit, "penalty_waived_fen": waiver_fen,
        "reconnect_requested": reconnect, "reason": approval.reason if approval else None,
        "approved_by": approval.approved_by if approval else None, "reprint_count": 0,
    })
    s.execute(_INSERT_TENDER, [
        {"payment_id": pid, "kind": x.kind, "amount_fen": x.amount_fen, "reference": x.reference}
        for x in tender_lines
    ])
    if lines:
        s.execute(_INSERT_ALLOCATION, [
            {"payment_id": pid, "bill_id": q.bill_id, "penalty_fen": p, "penalty_waived_fen": w, "principal_fen": c,
             "penalty_days": q.overdue_days, "prev_settled_through": q.settled_through}
            for q, p, w, c in lines
        ])
        # A touched overdue bill has its penalty through today paid (or waived).
        s.execute(_UPDATE_BILL, [
            {"b_id": q.bill_id, "out": q.outstanding_fen - c, "st": today if today > q.due_date else q.settled_through}
            for q, _, _, c in lines
        ])
    s.execute(_UPDATE_ACCOUNT, {"a_id": account.id, "balance": balance_after,
                                "status": "reconnect_pending" if reconnect else account.supply_status})
    result = PaymentResult(
        payment_id=pid, kind="payment", seq=seq, account_no=number, business_date=today,
        created_at=now, amount_fen=amount_fen, applied_fen=applied, prepaid_credit_fen=credit,
        tendered_fen=tendered, change_fen=change, penalty_waived_fen=waiver_fen, reconnect_requested=reconnect,
        prepaid_balance_after_fen=balance_after, tenders=tender_lines,
        allocations=tuple(AllocationLine(q.bill_id, q.period, p, w, c, q.overdue_days) for q, p, w, c in lines),
    )
    body = payment_body(t.terminal_id, t.hall_code, result, shift_id, actor.username, _approval(approval),
                        policy_digest=rules.digest, scan_intent_id=scan_intent_id)
    extra = {"scan_intent": scan_intent_id} if scan_intent_id else {}
    if note:
        extra["note"] = note
    audit.record(s, now, actor.user_id, "payment", pid, seq=seq, account=number,
                 amount_fen=amount_fen, tendered_fen=tendered, change_fen=change, waived_fen=waiver_fen,
                 approval=approval.id if approval else None, body_sha256=body_digest(body), **extra)
    enqueue(s, "payment", pid, seq, body, now)
    queue_original(s, "payment", pid, now)
    events.announce(s, events.PAYMENT_TAKEN, account_no=number, payment_id=pid)
    after_commit(s, log, "payment taken: %s receipt %s-%08d account %s amount %d fen (applied %d, prepaid %d, waived %d; tendered %d, change %d) tenders %s shift %s cashier %s", pid, t.terminal_id, seq, number, amount_fen, applied, credit, waiver_fen, tendered, change, ",".join(f"{x.kind}:{x.amount_fen}" for x in tender_lines), shift_id, actor.username)
    return result


_INSERT_PAYMENT = insert(Payment.__table__)
_INSERT_TENDER = insert(Tender.__table__)
_INSERT_ALLOCATION = insert(Allocation.__table__)
_UPDATE_ACCOUNT = (
    update(Account.__table__)
    .where(Account.__table__.c.id == bindparam("a_id"))
    .values(prepaid_balance_fen=bindparam("balance"), supply_status=bindparam("status"))
)
_UPDATE_BILL = (
    update(Bill.__table__)
    .where(Bill.__table__.c.id == bindparam("b_id"))
    .values(outstanding_fen=bindparam("out"), penalty_settled_through=bindparam("st"))
)


def payment_body(terminal_id: str, hall_code: str, r: PaymentResult, shift_id: str, cashier: str,
                 approval: dict | None, *, policy_digest: str | None = None, scan_intent_id: str | None = None,
                 scan_refund_id: str | None = None) -> p.PaymentBody:
    """The payment or reversal as it goes upstream (and into the audit chain): the protocol model.

    ``policy_digest``: the penalty rules a payment was quoted with (a reversal quotes nothing)."""
    return build(
        p.PaymentBody, id=r.payment_id, kind=r.kind, terminal_id=terminal_id, hall_code=hall_code, seq=r.seq,
        shift_id=shift_id, account_no=r.account_no, business_date=r.business_date, created_at=r.created_at,
        cashier=cashier, amount_fen=r.amount_fen, applied_fen=r.applied_fen, prepaid_credit_fen=r.prepaid_credit_fen,
        tendered_fen=r.tendered_fen, change_fen=r.change_fen, penalty_waived_fen=r.penalty_waived_fen,
        reconnect_requested=r.reconnect_requested, reverses_id=r.reverses_id,
        prepaid_balance_after_fen=r.prepaid_balance_after_fen, approval=approval,
        tenders=[p.TenderBody(kind=x.kind, amount_fen=x.amount_fen, reference=x.reference) for x in r.tenders],
        allocations=[p.AllocationBody(bill_id=a.bill_id, period=a.period, penalty_fen=a.penalty_fen,
                                      penalty_waived_fen=a.penalty_waived_fen, principal_fen=a.principal_fen)
                     for a in r.allocations],
        policy_digest=policy_digest, scan_intent_id=scan_intent_id, scan_refund_id=scan_refund_id,
    )


def _approval(approval) -> dict | None:
    return {"id": approval.id, "approved_by": approval.approved_by, "reason": approval.reason} if approval else None


def reverse_payment(t: Terminal, actor: Actor, payment_id: str, approval_id: int | None, reason: str) -> PaymentResult:
    """Reverse a payment of today with a supervisor's approval: a new linked record, nothing edited away."""
    require(actor, "payment.take")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("auth.reason_required")
    now, today = t.clock.now(), t.clock.business_date()
    with t.store.transaction() as s:
        original = s.get(Payment, payment_id)
        if original is None:
            raise DomainError("reversal.unknown", id=payment_id)
        if original.kind != "payment":
            raise DomainError("reversal.not_a_payment")
        if s.scalar(select(Payment.id).where(Payment.reverses_id == original.id)):
            raise DomainError("reversal.already")
        if original.business_date != today:
            raise DomainError("reversal.not_today", date=original.business_date.isoformat())
        shift = require_own_open_shift(s, t, actor)
        bill_ids = [a.bill_id for a in original.allocations]
        later = s.scalar(
            select(Payment.id).join(Allocation, Allocation.payment_id == Payment.id)
            # Order by receipt number: clocks stand still or jump back, sequence numbers do not.
            .where(Allocation.bill_id.in_(bill_ids), Payment.terminal_id == original.terminal_id,
                   Payment.seq > original.seq, Payment.kind == "payment",
                   ~Payment.id.in_(select(Payment.reverses_id).where(Payment.reverses_id.is_not(None))))
            .limit(1)
        ) if bill_ids else None
        if later:
            raise DomainError("reversal.later_payment")
        approval = use_approval(t, s, approval_id, "reversal", original.id, actor)
        account = s.get(Account, original.account_id)
        if account.prepaid_balance_fen < original.prepaid_credit_fen:
            raise DomainError("reversal.balance_used", credit=format_fen(original.prepaid_credit_fen))
        refund = refund_tenders([TenderLine(x.kind, x.amount_fen, x.reference) for x in original.tenders],
                                original.change_fen)
        cash = sum(r.amount_fen for r in refund if r.kind == "cash")
        if cash > expected_cash(s, shift):
            raise DomainError("cash.not_enough", amount=format_fen(cash))
        reversal = Payment(
            id=uuid7(), terminal_id=t.terminal_id, seq=next_seq(s, t.terminal_id), kind="reversal",
            reverses_id=original.id, shift_id=shift.id, account_id=account.id, cashier_id=actor.user_id,
            business_date=today, created_at=now, due_fen=original.due_fen,
            tendered_fen=sum(r.amount_fen for r in refund), change_fen=0, applied_fen=original.applied_fen,
            prepaid_credit_fen=original.prepaid_credit_fen, penalty_waived_fen=original.penalty_waived_fen,
            reconnect_requested=False, reason=reason, approved_by=approval.approved_by,
        )
        s.add(reversal)
        for r in refund:
            s.add(Tender(payment=reversal, kind=r.kind, amount_fen=r.amount_fen, reference=r.reference))
        for a in original.allocations:
            bill = s.get(Bill, a.bill_id)
            bill.outstanding_fen += a.principal_fen
            bill.penalty_settled_through = a.prev_settled_through
            s.add(Allocation(payment=reversal, bill_id=a.bill_id, penalty_fen=a.penalty_fen,
                             penalty_waived_fen=a.penalty_waived_fen, principal_fen=a.principal_fen,
                             penalty_days=a.penalty_days, prev_settled_through=a.prev_settled_through))
        account.prepaid_balance_fen -= original.prepaid_credit_fen
        if original.reconnect_requested and account.supply_status == "reconnect_pending":
            account.supply_status = "disconnected"
        s.flush()
        result = _result(s, reversal)
        refund_id = scan_refunds.plan(s, original.id, reversal.id, now, actor.user_id)
        body = payment_body(t.terminal_id, t.hall_code, result, shift.id, actor.username, _approval(approval),
                            scan_refund_id=refund_id)
        audit.record(s, now, actor.user_id, "reversal", reversal.id, seq=reversal.seq, reverses=original.id,
                     reason=reason, approval=approval.id, refund_fen=result.tendered_fen,
                     body_sha256=body_digest(body))
        enqueue(s, "reversal", reversal.id, reversal.seq, body, now)
        queue_original(s, "reversal", reversal.id, now)
        events.announce(s, events.REVERSAL, account_no=account.account_no, payment_id=reversal.id,
                        reverses_id=original.id)
        after_commit(s, log, "reversal: %s receipt %s-%08d reverses %s (receipt %s-%08d) account %s refund %d fen tenders %s approved by user id %s cashier %s", reversal.id, t.terminal_id, reversal.seq, original.id, original.terminal_id, original.seq, account.account_no, result.tendered_fen, ",".join(f"{x.kind}:{x.amount_fen}" for x in refund), approval.approved_by, actor.username)
        return result


def count_reprint(s: Session, actor: Actor, payment_id: str, now) -> int:
    """Count a reprint (重打) of a receipt inside the caller's unit of work; returns how many it has had."""
    require(actor, "receipt.reprint")
    payment = s.get(Payment, payment_id)
    if payment is None:
        raise DomainError("reversal.unknown", id=payment_id)
    payment.reprint_count += 1
    audit.record(s, now, actor.user_id, "receipt.reprint", payment.id, count=payment.reprint_count)
    return payment.reprint_count


def record_reprint(t: Terminal, actor: Actor, payment_id: str) -> int:
    """Count a reprint (重打) of a receipt in its own transaction; returns how many reprints it has had."""
    require(actor, "receipt.reprint")
    with t.store.transaction() as s:
        return count_reprint(s, actor, payment_id, t.clock.now())
