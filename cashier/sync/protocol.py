"""The sync protocol's messages, shared by the terminal (``cashier.sync``) and the upstream.

Every amount is integer fen; every date ISO; every timestamp UTC (an offset is converted); every id a
UUID string. The models are strict
(unknown fields refused, bounded strings without control characters) so that a malformed or
hostile request is answered 422 before it reaches a database.

Push: the terminal uploads its outbox in sequence order; each item is answered ``accepted``,
``duplicate`` (same id, same body: already there), ``rejected`` (with a reason) or
``conflict`` (same id or same sequence number, different body: kept for a human, never
applied). Pull: changes since a cursor, paged, or a snapshot for a new terminal; a cursor the
server no longer covers answers 410 with ``refetch``.

Versions: a terminal says which protocol it speaks in the ``X-Cashier-Protocol`` header; the fields
added in version 2 (``last_seq`` in the push and enrollment answers) are sent only to terminals that
say 2 or more, so a terminal of version 1, whose models refuse unknown fields, keeps working. A
request field added in version 2 (``terminal_key``) is optional. Version 3 adds a bill's meter readings
(``BillRow.reading_start`` / ``reading_end``, 起码/止码): the changes, the snapshot and an account's dues carry
them only to terminals that say 3 or more (``BILL_FIELDS_OF_3``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from typing import Annotated, Literal, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints, TypeAdapter,
                      field_validator, model_serializer, model_validator)

from cashier.money import MAX_AMOUNT_FEN
from cashier.rules.penalty import policy_digest, policy_from_document
from cashier.rules.tenders import TENDER_KINDS

API_PREFIX = "/v1"
PROTOCOL_HEADER = "X-Cashier-Protocol"
PROTOCOL_VERSION = 3
MAX_BATCH = 500
MAX_PAGE = 5000

# Printable text only: PostgreSQL refuses NUL and no field of ours has a control character.
Text = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
ShortText = Annotated[str, StringConstraints(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")]
Uuid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
Ident = Annotated[str, StringConstraints(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$")]
HallCode = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
AccountNo = Annotated[str, StringConstraints(min_length=6, max_length=20, pattern=r"^[0-9]+$")]
Period = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(0[1-9]|1[0-2])$")]
Fen = Annotated[int, Field(ge=0, le=MAX_AMOUNT_FEN)]
# What a terminal pushes is typed exactly: "100" and true are not amounts (rows from an import file may be coerced).
PushedFen = Annotated[int, Field(ge=0, le=MAX_AMOUNT_FEN, strict=True)]
PushedCount = Annotated[int, Field(ge=0, le=10**7, strict=True)]
PushedId = Annotated[int, Field(ge=0, le=2**63 - 1, strict=True)]
PushedTotal = Annotated[int, Field(ge=-MAX_AMOUNT_FEN * 1000, le=MAX_AMOUNT_FEN * 1000, strict=True)]
Seq = Annotated[int, Field(ge=1, le=2**31 - 1, strict=True)]
TenderKind = Literal[TENDER_KINDS]  # the values of cashier.rules.tenders.TenderKind, checked strictly on the wire
CustomerClassName = Literal["residential", "commercial", "industrial", "agricultural"]
SupplyStatus = Literal["normal", "disconnected", "reconnect_pending"]
SpecialGroup = Literal["dibao", "wubao", "elderly_alone", "disabled"]


def as_utc(stamp: datetime) -> datetime:
    """Naive UTC, as terminals stamp times; a stamp with an offset ("…+08:00", "…Z") is the same instant in UTC."""
    return stamp if stamp.tzinfo is None else stamp.astimezone(timezone.utc).replace(tzinfo=None)


# A pushed timestamp: stored and hashed as naive UTC, so one instant is one document however it was written.
UtcStamp = Annotated[datetime, AfterValidator(as_utc)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TenderBody(_Strict):
    kind: TenderKind
    amount_fen: Annotated[int, Field(ge=1, le=MAX_AMOUNT_FEN, strict=True)]
    reference: ShortText | None = None


class AllocationBody(_Strict):
    bill_id: PushedId
    period: Period | Literal[""]
    penalty_fen: PushedFen
    penalty_waived_fen: PushedFen
    principal_fen: PushedFen


PolicyDigest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
PerMille = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}(\.[0-9]{1,6})?$")]


class PenaltyRatesBody(_Strict):
    same_year: PerMille  # ‰ per day for days in the due date's year
    later_year: PerMille  # ‰ per day for days in later years


class PenaltyPolicyBody(_Strict):
    """The penalty policy in force upstream, as the feed and snapshot hand it to terminals.

    ``version`` is the operator's label; ``digest`` is the identity of the numbers themselves
    (``cashier.rules.penalty.policy_digest``) and is checked against them on arrival.
    """

    version: ShortText
    digest: PolicyDigest
    minimum_fen: Annotated[int, Field(ge=0, le=100_000, strict=True)]
    minimum_enabled: StrictBool
    rates: dict[CustomerClassName, PenaltyRatesBody]

    @model_validator(mode="after")
    def _digest_matches(self) -> "PenaltyPolicyBody":
        from decimal import Decimal

        if any(Decimal(r.same_year) > 100 or Decimal(r.later_year) > 100 for r in self.rates.values()):
            raise ValueError("a rate above 100 ‰ per day is no penalty policy")  # the bounds of [penalty] too
        if policy_digest(self.policy()) != self.digest:
            raise ValueError("the digest does not match the policy's numbers")
        return self

    def policy(self):
        """The ``PenaltyPolicy`` these numbers describe."""
        return policy_from_document(self.model_dump(include={"minimum_fen", "minimum_enabled", "rates"}))


class ApprovalBody(_Strict):
    id: PushedId
    approved_by: PushedId
    reason: Text


class PaymentBody(_Strict):
    """A payment (收费) or a reversal (冲正) as the terminal committed it."""

    id: Uuid
    kind: Literal["payment", "reversal"]
    terminal_id: Ident
    hall_code: HallCode
    seq: Seq
    shift_id: Uuid
    account_no: AccountNo
    business_date: date
    created_at: UtcStamp
    cashier: ShortText
    amount_fen: PushedFen
    applied_fen: PushedFen
    prepaid_credit_fen: PushedFen
    tendered_fen: PushedFen
    change_fen: PushedFen
    penalty_waived_fen: PushedFen
    reconnect_requested: StrictBool
    reverses_id: Uuid | None = None
    prepaid_balance_after_fen: PushedFen
    approval: ApprovalBody | None = None
    tenders: Annotated[list[TenderBody], Field(min_length=1, max_length=12)]
    allocations: Annotated[list[AllocationBody], Field(max_length=240)]
    # Fields added after the first release are left out of the JSON when absent, so a document an
    # older terminal pushed keeps its body and its hash (a retry of it stays a duplicate).
    policy_digest: PolicyDigest | None = None  # the penalty rules the terminal quoted with
    # A payment taken by scan-to-pay names its scan intent (the upstream's order with the provider, whose
    # transaction id is the wechat/alipay tender's reference); a reversal of one names the scan refund.
    scan_intent_id: Uuid | None = None
    scan_refund_id: Uuid | None = None

    @model_serializer(mode="wrap")
    def _omit_absent_later_fields(self, handler):
        data = handler(self)
        if isinstance(data, dict):
            for name in ("policy_digest", "scan_intent_id", "scan_refund_id"):
                if data.get(name) is None:
                    data.pop(name, None)
        return data

    @model_validator(mode="after")
    def _balanced(self) -> "PaymentBody":
        if self.amount_fen == 0 and self.kind == "payment":
            raise ValueError("a payment has an amount")
        if self.applied_fen + self.prepaid_credit_fen != self.amount_fen:
            raise ValueError("applied + prepaid credit must equal the amount")
        if sum(t.amount_fen for t in self.tenders) != self.tendered_fen:
            raise ValueError("the tenders must add up to tendered_fen")
        if self.kind == "payment" and self.tendered_fen - self.change_fen != self.amount_fen:
            raise ValueError("tendered - change must equal the amount")
        if self.change_fen > sum(t.amount_fen for t in self.tenders if t.kind == "cash"):
            raise ValueError("change comes from cash only")
        if (self.kind == "reversal") != (self.reverses_id is not None):
            raise ValueError("a reversal, and only a reversal, names the payment it reverses")
        return self


class CashMovementBody(_Strict):
    id: Uuid
    terminal_id: Ident
    seq: Seq
    shift_id: Uuid
    direction: Literal["in", "out"]
    purpose: Literal["float_top_up", "turn_in", "bank_pickup", "other"]
    amount_fen: Annotated[int, Field(ge=1, le=MAX_AMOUNT_FEN, strict=True)]
    reason: Text
    at: UtcStamp


class ShiftCloseBody(_Strict):
    id: Uuid
    terminal_id: Ident
    business_date: date
    closed_at: UtcStamp
    by_tender: dict[TenderKind, PushedTotal]
    payments: PushedCount
    reversals: PushedCount
    expected_cash_fen: PushedTotal
    counted_cash_fen: Annotated[int, Field(ge=0, le=MAX_AMOUNT_FEN * 1000, strict=True)]
    over_short_fen: PushedTotal


class EvaluationBody(_Strict):
    """The customer's rating of one payment (服务评价): ``unrated`` when nobody answered, never satisfied.

    Takes no sequence number (not a receipt): the outbox's order sends it after its payment."""

    id: Uuid
    terminal_id: Ident
    payment_id: Uuid
    cashier: ShortText
    business_date: date
    rated_at: UtcStamp
    rating: Literal["very_satisfied", "satisfied", "unsatisfied", "unrated"]


class PaymentItem(_Strict):
    kind: Literal["payment"]
    body: PaymentBody


class ReversalItem(_Strict):
    kind: Literal["reversal"]
    body: PaymentBody


class CashMovementItem(_Strict):
    kind: Literal["cash_movement"]
    body: CashMovementBody


class ShiftCloseItem(_Strict):
    kind: Literal["shift_close"]
    body: ShiftCloseBody


class EvaluationItem(_Strict):
    kind: Literal["evaluation"]
    body: EvaluationBody


# Kinds that carry no sequence number (the terminal's receipt numbering is the others').
UNNUMBERED = ("shift_close", "evaluation")

PushItem = Annotated[Union[PaymentItem, ReversalItem, CashMovementItem, ShiftCloseItem, EvaluationItem],
                     Field(discriminator="kind")]


_ITEM = TypeAdapter(PushItem)


def parse_item(kind: str, payload: str) -> PaymentItem | ReversalItem | CashMovementItem | ShiftCloseItem | EvaluationItem:
    """An outbox entry read back as its protocol model; ``ValueError`` (pydantic's) when it does not validate."""
    return _ITEM.validate_python({"kind": kind, "body": json.loads(payload)})


class AuditHead(_Strict):
    """A terminal's audit chain head: the newest entry's number and hash (``cashier.audit``)."""

    seq: Annotated[int, Field(ge=1, le=2**63 - 1, strict=True)]
    hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class PushRequest(_Strict):
    items: Annotated[list[PushItem], Field(min_length=1, max_length=MAX_BATCH)]
    # Anchors the terminal's audit chain outside the PC; absent from terminals older than the anchor.
    audit_head: AuditHead | None = None


class AuditAnchors(_Strict):
    """The audit heads the upstream was given by the calling terminal, oldest first."""

    anchors: list[AuditHead]


class ItemResult(_Strict):
    id: str
    status: Literal["accepted", "duplicate", "rejected", "conflict"]
    reason: str | None = None
    flags: list[str] = []


class PushResponse(_Strict):
    results: list[ItemResult]
    contiguous_seq: int
    server_time: datetime
    # The highest sequence number the upstream holds of this terminal (Replicache's lastMutationID): a terminal
    # whose own counter is below it was restored from an old backup and must number on from here. Version 2.
    last_seq: int | None = None


class TerminalState(_Strict):
    """What the upstream holds of the calling terminal: asked once after a restore, before taking money."""

    terminal_id: str
    hall_code: str
    last_seq: int  # the highest sequence number held
    contiguous_seq: int  # every number up to here is held


class HourCount(_Strict):
    at: datetime  # the hour's start, as the terminals stamp times (UTC)
    payments: int
    net_fen: int


class HallTerminalDay(_Strict):
    """One counter's day as the upstream holds it: net takings by tender, counts, per hour."""

    terminal_id: str
    by_tender: dict[str, int]
    payments: int
    reversals: int
    by_hour: list[HourCount]
    shifts_closed: int
    over_short_fen: int


class HallDay(_Strict):
    """The caller's hall on one business date: every counter's uploaded payments and shift closes."""

    hall_code: str
    business_date: date
    terminals: list[HallTerminalDay]


class AccountRow(_Strict):
    account_no: AccountNo
    name: Text
    address: Text
    phone: ShortText | None = None
    meter_no: ShortText | None = None
    customer_class: CustomerClassName
    prepaid_meter: bool = False
    supply_status: SupplyStatus = "normal"
    special_group: SpecialGroup | None = None
    station: ShortText | None = None
    transformer_area: ShortText | None = None
    collector: ShortText | None = None
    prepaid_balance_fen: Fen = 0
    change_no: int = 0


MAX_READING_DIGITS = 10  # before the point: no meter register has more
MAX_READING_DECIMALS = 3  # after it: electronic meters show 2, a few 3


def meter_reading(value: str) -> str:
    """A meter reading (表码) as the meter shows it: digits, at most 3 after the point, never negative.

    Kept as the text of a decimal, not a number: exact (no float), with the decimals the meter shows
    ("4521" for a mechanical register, "4521.30" for an electronic one), so the receipt prints what the
    customer reads on the meter. Leading zeros of the register ("04521") are dropped: one value, one text."""
    whole, point, fraction = value.partition(".")
    if not (whole.isascii() and whole.isdigit()) or (point and not (fraction.isascii() and fraction.isdigit())):
        raise ValueError(f"a meter reading is digits with at most {MAX_READING_DECIMALS} decimals (e.g. 4521.37), "
                         f"not {value!r}")
    if len(fraction) > MAX_READING_DECIMALS:
        raise ValueError(f"a meter reading has at most {MAX_READING_DECIMALS} decimals, not {value!r}")
    if len(whole) > MAX_READING_DIGITS:
        raise ValueError(f"a meter reading has at most {MAX_READING_DIGITS} digits before the point, not {value!r}")
    return whole.lstrip("0").rjust(1, "0") + point + fraction


MeterReading = Annotated[str, StringConstraints(max_length=20), AfterValidator(meter_reading)]
# Fields of BillRow sent only to terminals of protocol version 3 or more (older ones refuse unknown fields).
BILL_FIELDS_OF_3 = frozenset({"reading_start", "reading_end"})


class BillRow(_Strict):
    bill_no: Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]
    account_no: AccountNo
    period: Period
    kwh: Annotated[int, Field(ge=0, le=10**9)]
    principal_fen: Fen
    due_date: date
    outstanding_fen: Fen
    penalty_settled_through: date | None = None
    cancelled: bool = False
    change_no: int = 0
    # The meter readings the bill was computed from (起码, 止码), both or neither. Version 3. The end may be
    # below the start (the register rolled over, or a meter was changed): ``kwh`` is the billed consumption.
    reading_start: MeterReading | None = None
    reading_end: MeterReading | None = None

    @model_validator(mode="after")
    def _outstanding(self) -> "BillRow":
        if self.outstanding_fen > self.principal_fen:
            raise ValueError("outstanding cannot exceed the principal")
        if (self.reading_start is None) != (self.reading_end is None):
            raise ValueError("meter readings come in pairs: reading_start and reading_end, or neither")
        return self


class ChangesPage(_Strict):
    accounts: list[AccountRow]
    bills: list[BillRow]
    next_cursor: int
    more: bool
    policy: PenaltyPolicyBody | None = None  # the penalty policy in force (an older upstream sends none)


class SnapshotPage(_Strict):
    accounts: list[AccountRow]
    bills: list[BillRow]
    as_of: int  # the change cursor to pull from once the snapshot is complete
    next_after: str | None  # account_no to continue after; None when complete
    policy: PenaltyPolicyBody | None = None  # the penalty policy in force (an older upstream sends none)


# How far a terminal's clock may be ahead of the upstream's before its payments are refused (date_in_future):
# each upstream announces its own in /v1/health (the reference one: --max-clock-skew-minutes, default 10);
# this is what a terminal assumes of an upstream that does not say.
MAX_CLOCK_SKEW_SECONDS = 600


class Health(BaseModel):
    """``GET /v1/health``: that this is the cashier's upstream (its version), its clock, and its skew tolerance.

    Extra fields are allowed: a newer upstream may say more."""

    model_config = ConfigDict(frozen=True)
    status: Literal["ok"]
    version: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    server_time: datetime
    max_clock_skew_seconds: Annotated[int, Field(ge=0, le=86_400)] = MAX_CLOCK_SKEW_SECONDS

    @field_validator("server_time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("server_time must carry its offset (UTC)")
        return value.astimezone(timezone.utc)


TerminalKey = Annotated[str, StringConstraints(min_length=32, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class EnrollRequest(_Strict):
    code: Annotated[str, StringConstraints(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]
    # Random, made once by the terminal and kept in its data folder before the first attempt: a retry with
    # the same code and the same key (the first answer was lost) gets the same credentials. Version 2.
    terminal_key: TerminalKey | None = None


class EnrollResponse(_Strict):
    terminal_id: str
    hall_code: str
    token: str
    last_seq: int | None = None  # as in PushResponse: the terminal numbers on from here. Version 2.


class EnrollCheck(_Strict):
    """What a one-time code would enroll, said without using it (``POST /v1/enroll/check``)."""

    hall_code: str
    terminal_id: str
    expires_at: datetime


class AccountDues(_Strict):
    account: AccountRow
    bills: list[BillRow]
    on: date
    penalty_fen: int
    total_due_fen: int


# --- Scan-to-pay (付款码): the counter hands the scanned code to the upstream, which talks to the provider ---
#
# POST /v1/scan/pay                  ScanPayRequest    -> ScanStatus   (idempotent on intent_id: a retry with the
#                                                                       same body answers the order's state; a
#                                                                       different body under the same id is 409)
# GET  /v1/scan/{intent_id}          -                 -> ScanStatus   (the upstream queries the provider when the
#                                                                       order is not final; 404 unknown_intent)
# POST /v1/scan/{intent_id}/cancel   -                 -> ScanStatus   (cancel/reverse; "cancelling" when the
#                                                                       provider's cancel did not go through yet)
# POST /v1/scan/refund               ScanRefundRequest -> ScanRefundStatus (idempotent on refund_id)
# GET  /v1/scan/refund/{refund_id}   -                 -> ScanRefundStatus
# Offline or with no provider configured the upstream cannot be reached or answers 503 scan_unavailable.

ScanProvider = Literal["wechat", "alipay", "unionpay"]
ScanCode = Annotated[str, StringConstraints(min_length=16, max_length=24, pattern=r"^[0-9]+$")]
ScanOrderStatus = Literal["user_paying", "paid", "failed", "cancelled", "cancelling", "unknown"]
# Final for the terminal: paid (commit the payment), failed and cancelled (no charge stands). The others are
# not: the terminal keeps its intent open and asks again (GET) until one of the final three.
SCAN_FINAL = ("paid", "failed", "cancelled")


def scan_provider_of(code: str) -> str | None:
    """The provider a payment code (付款码) belongs to by its published prefix and length, or None:
    WeChat 18 digits starting 10-15, Alipay 16-24 digits starting 25-30, UnionPay QuickPass 19 digits starting 62.
    The counter reads it to show the provider; the upstream reads it again and refuses a request that says otherwise."""
    if not code.isdigit() or not code.isascii():
        return None
    head = int(code[:2]) if len(code) >= 2 else -1
    if len(code) == 18 and 10 <= head <= 15:
        return "wechat"
    if 16 <= len(code) <= 24 and 25 <= head <= 30:
        return "alipay"
    if len(code) == 19 and head == 62:
        return "unionpay"
    return None


def mask_code(code: str) -> str:
    """A payment code as it may be written anywhere (logs, databases, alarms): its first 4 and last 4 digits."""
    if len(code) <= 8:
        return "*" * len(code)
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


class ScanPayRequest(_Strict):
    intent_id: Uuid  # the terminal's scan intent (UUIDv7), committed locally first; the merchant order number
    account_no: AccountNo
    amount_fen: Annotated[int, Field(ge=1, le=MAX_AMOUNT_FEN, strict=True)]
    code: ScanCode  # never logged in full on either side
    provider: ScanProvider  # what the terminal read from the code's prefix; the upstream checks it again


class ScanStatus(_Strict):
    intent_id: Uuid
    provider: ScanProvider
    status: ScanOrderStatus
    amount_fen: int
    provider_txn_id: ShortText | None = None  # set when paid: the tender's reference
    paid_at: datetime | None = None  # UTC
    reason_code: ShortText | None = None  # the provider's code for a failure (e.g. NOTENOUGH)
    reason: Text | None = None  # the provider's words


class ScanRefundRequest(_Strict):
    refund_id: Uuid  # the terminal's own id for this refund (idempotent at the provider too)
    intent_id: Uuid  # the scan payment being refunded
    reversal_id: Uuid  # the reversal document that pays it back
    amount_fen: Annotated[int, Field(ge=1, le=MAX_AMOUNT_FEN, strict=True)]


class ScanRefundStatus(_Strict):
    refund_id: Uuid
    intent_id: Uuid
    status: Literal["pending", "refunded", "failed", "unknown"]
    amount_fen: int
    provider_refund_id: ShortText | None = None
    reason_code: ShortText | None = None
    reason: Text | None = None


# --- Reconciliation (对账): GET /v1/reconcile?date=YYYY-MM-DD -> ReconcileDay (the caller's hall) ---

ReconcileProviderName = Literal["wechat", "alipay", "bank"]
MismatchKind = Literal["charged_not_recorded", "reference_unknown", "amount_differs", "refund_differs"]


class ReconcileMismatch(_Strict):
    """A difference between the provider's statement and the ledger (upstream/reconcile.py says each kind)."""

    kind: MismatchKind
    reference: str | None = None  # the provider's transaction id (or the bank's reference)
    order_no: str | None = None
    statement_fen: int | None = None  # None: not on the statement
    ledger_fen: int | None = None  # None: not in the ledger
    terminal_id: str | None = None
    cashier: str | None = None
    document_id: str | None = None
    resolved: bool = False  # a later run of the day no longer found it


class ReconcileProvider(_Strict):
    """One provider's reconciliation of the day as the caller's hall sees it."""

    provider: ReconcileProviderName
    reconciled_at: datetime | None = None  # UTC; None: the day has not been reconciled with this provider yet
    statement_lines: int = 0  # the whole merchant's statement (every hall)
    statement_fen: int = 0
    statement_refund_fen: int = 0
    hall_payments: int = 0  # this hall's payments with a tender of this provider (now, from the ledger)
    hall_fen: int = 0
    hall_refund_fen: int = 0
    mismatches: list[ReconcileMismatch] = []  # this hall's terminals' (open first)


class ReconcileDay(_Strict):
    hall_code: str
    business_date: date
    providers: list[ReconcileProvider]


def canonical_json(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def body_hash(body: dict | str) -> str:
    """The identity of a document's content: sha256 of its canonical JSON."""
    canonical = body if isinstance(body, str) else canonical_json(body)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
