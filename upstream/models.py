"""The upstream's tables (SQLAlchemy 2.x), portable between PostgreSQL and SQLite.

Accounts and bills carry ``change_no``: the number of the change that last touched them,
handed out from the ``counters`` row under its row lock at the end of the writing
transaction, so numbers become visible in commit order and a reader that saw number N has
seen every change up to N (a transaction committing late can never be skipped).
Documents (payments, reversals, cash movements, shift closes) are keyed by the terminal's
UUID: the idempotency key of the push.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class Counter(Base):
    """Named counters: ``change`` (last change number handed out), ``feed_floor`` (oldest cursor served)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Terminal(Base):
    __tablename__ = "terminals"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    contiguous_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # every seq up to here is held
    max_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class EnrollmentCode(Base):
    __tablename__ = "enrollment_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # A retry with the same code and the same terminal key gets the same credentials back (the answer may have
    # been lost): the key's hash, and the token sealed under the key, which only the terminal holds.
    key_hash: Mapped[Optional[str]] = mapped_column(String(64))
    sealed_token: Mapped[Optional[str]] = mapped_column(String(128))


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    account_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(64))
    meter_no: Mapped[Optional[str]] = mapped_column(String(64))
    customer_class: Mapped[str] = mapped_column(String(16))
    prepaid_meter: Mapped[bool] = mapped_column(Boolean, default=False)
    supply_status: Mapped[str] = mapped_column(String(20), default="normal")
    special_group: Mapped[Optional[str]] = mapped_column(String(20))
    station: Mapped[Optional[str]] = mapped_column(String(64))
    transformer_area: Mapped[Optional[str]] = mapped_column(String(64))
    collector: Mapped[Optional[str]] = mapped_column(String(64))
    prepaid_balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    change_no: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    # The service hall whose terminals hold and see the account (upstream/scope.py); None: no hall's yet.
    hall_code: Mapped[Optional[str]] = mapped_column(String(32))

    __table_args__ = (Index("ix_accounts_hall_no", "hall_code", "account_no"),
                      Index("ix_accounts_hall_change", "hall_code", "change_no"))


class Bill(Base):
    __tablename__ = "bills"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    bill_no: Mapped[str] = mapped_column(String(32), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    period: Mapped[str] = mapped_column(String(6))
    kwh: Mapped[int] = mapped_column(BigInteger)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    due_date: Mapped[date] = mapped_column(Date)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger)
    penalty_settled_through: Mapped[Optional[date]] = mapped_column(Date)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    change_no: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    # The meter readings (起码, 止码) as text of a decimal, both or neither (cashier.sync.protocol.meter_reading).
    reading_start: Mapped[Optional[str]] = mapped_column(String(20))
    reading_end: Mapped[Optional[str]] = mapped_column(String(20))

    __table_args__ = (Index("ix_bills_account_due", "account_id", "due_date"),)


class Document(Base):
    """A payment, reversal, cash movement or shift close as a terminal (or another channel) sent it."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # payment, reversal, cash_movement, shift_close, channel
    terminal_id: Mapped[Optional[str]] = mapped_column(String(16))
    seq: Mapped[Optional[int]] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12), default="accepted")  # accepted | rejected
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    flags: Mapped[Optional[str]] = mapped_column(String(200))  # the answer's flags, comma separated: a replay says them
    body_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    account_no: Mapped[Optional[str]] = mapped_column(String(20))
    shift_id: Mapped[Optional[str]] = mapped_column(String(36), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    business_date: Mapped[Optional[date]] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    after_shift_close: Mapped[bool] = mapped_column(Boolean, default=False)  # flagged for the supervisor
    reverses_id: Mapped[Optional[str]] = mapped_column(String(36), unique=True)  # a payment is reversed once

    __table_args__ = (
        UniqueConstraint("terminal_id", "seq", name="uq_documents_terminal_seq"),
        Index("ix_documents_account", "account_no"),
        Index("ix_documents_day", "business_date"),  # the hall's day for its supervisor
    )


class DocumentAllocation(Base):
    """What the upstream applied of a payment to one bill, so its reversal can undo exactly that."""

    __tablename__ = "document_allocations"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    penalty_fen: Mapped[int] = mapped_column(BigInteger)
    penalty_waived_fen: Mapped[int] = mapped_column(BigInteger)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    prev_settled_through: Mapped[Optional[date]] = mapped_column(Date)


class Conflict(Base):
    """The same id (or sequence number) sent with a different body: kept for a human, never applied."""

    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(36))
    terminal_id: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    body_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("document_id", "body_hash", name="uq_conflicts_body"),)


class Alarm(Base):
    """Something a person must look at: a sequence gap, a shift whose totals differ, a late payment."""

    __tablename__ = "alarms"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    terminal_id: Mapped[Optional[str]] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # reconcile_charged_not_recorded is 30
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    cleared_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class AuditAnchor(Base):
    """A terminal's audit chain head as one of its pushes carried it (``upstream.anchors``)."""

    __tablename__ = "audit_anchors"
    terminal_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime)


class CrossHallAccess(Base):
    """A terminal reading or paying an account of another hall: who, when, which account (upstream/scope.py)."""

    __tablename__ = "cross_hall_access"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(16), index=True)
    hall_code: Mapped[str] = mapped_column(String(32))  # the terminal's hall
    account_no: Mapped[str] = mapped_column(String(20), index=True)
    account_hall: Mapped[Optional[str]] = mapped_column(String(32))  # the account's hall
    action: Mapped[str] = mapped_column(String(16))  # lookup | payment | reversal
    document_id: Mapped[Optional[str]] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(DateTime)


class ScanOrder(Base):
    """A scan-to-pay order (付款码) the upstream placed with a provider for a terminal (upstream/scan.py).

    Committed (``pending``) before the provider is called and after each of its answers. ``code_masked`` is
    the customer's code as first 4 + last 4 digits: the full code is never stored.
    """

    __tablename__ = "scan_orders"
    intent_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the terminal's scan intent
    terminal_id: Mapped[str] = mapped_column(String(16), index=True)
    hall_code: Mapped[str] = mapped_column(String(32))
    account_no: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    provider: Mapped[str] = mapped_column(String(16))
    code_masked: Mapped[str] = mapped_column(String(24))
    # pending (not answered yet) | user_paying | unknown | paid | failed | cancelled | cancelling
    status: Mapped[str] = mapped_column(String(12))
    provider_txn_id: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    paid_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    reason_code: Mapped[Optional[str]] = mapped_column(String(64))
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # calls made to the provider for it
    payment_id: Mapped[Optional[str]] = mapped_column(String(36), unique=True)  # the one payment it backs


class ScanRefund(Base):
    """A refund of a scan payment through its provider, tracked until the provider confirms (upstream/scan.py)."""

    __tablename__ = "scan_refunds"
    refund_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    intent_id: Mapped[str] = mapped_column(ForeignKey("scan_orders.intent_id"), index=True)
    terminal_id: Mapped[str] = mapped_column(String(16))
    reversal_id: Mapped[str] = mapped_column(String(36))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    # requested (no answer yet) | pending | refunded | failed | unknown
    status: Mapped[str] = mapped_column(String(12))
    provider_refund_id: Mapped[Optional[str]] = mapped_column(String(64))
    reason_code: Mapped[Optional[str]] = mapped_column(String(64))
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class SimulatorOrder(Base):
    """The payment simulator's own books (upstream/payments/simulator.py): a provider is another system, so its
    rows are written in their own transactions, never inside the upstream's."""

    __tablename__ = "simulator_orders"
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    code_masked: Mapped[str] = mapped_column(String(24))
    behaviour: Mapped[int] = mapped_column(Integer)  # the code's last digit
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))  # user_paying | paid | failed | cancelled
    txn_id: Mapped[str] = mapped_column(String(64))
    charged: Mapped[int] = mapped_column(Integer, default=0)  # times the customer was charged (must be 0 or 1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    paid_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    pay_calls: Mapped[int] = mapped_column(Integer, default=0)


class SimulatorRefund(Base):
    __tablename__ = "simulator_refunds"
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    refund_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))  # pending | refunded
    refund_txn_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    refunded_at: Mapped[Optional[datetime]] = mapped_column(DateTime)



class Reconciliation(Base):
    """One provider's statement of one day compared with the ledger (``upstream.reconcile``); a rerun replaces it."""

    __tablename__ = "reconciliations"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    business_date: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(16))  # wechat | alipay | bank
    run_at: Mapped[datetime] = mapped_column(DateTime)
    statement_lines: Mapped[int] = mapped_column(Integer)
    statement_fen: Mapped[int] = mapped_column(BigInteger)  # payments on the statement
    statement_refund_fen: Mapped[int] = mapped_column(BigInteger)
    ledger_payments: Mapped[int] = mapped_column(Integer)
    ledger_fen: Mapped[int] = mapped_column(BigInteger)  # the provider's tenders of the day's payments
    ledger_refund_fen: Mapped[int] = mapped_column(BigInteger)
    matched: Mapped[int] = mapped_column(Integer)
    mismatches: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("business_date", "provider", name="uq_reconciliations_day_provider"),)


class ReconciliationMismatch(Base):
    """A difference a reconciliation found; kept once per day, provider, kind and reference (its alarm is raised
    once). ``resolved_at``: a later run of the same day no longer found it."""

    __tablename__ = "reconciliation_mismatches"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    business_date: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24))  # charged_not_recorded | reference_unknown | amount_differs | refund_differs
    ref_key: Mapped[str] = mapped_column(String(80))  # the reference, or doc:<id> for a tender without one
    reference: Mapped[Optional[str]] = mapped_column(String(64))
    order_no: Mapped[Optional[str]] = mapped_column(String(64))
    statement_fen: Mapped[Optional[int]] = mapped_column(BigInteger)
    ledger_fen: Mapped[Optional[int]] = mapped_column(BigInteger)
    terminal_id: Mapped[Optional[str]] = mapped_column(String(16))
    hall_code: Mapped[Optional[str]] = mapped_column(String(32))
    cashier: Mapped[Optional[str]] = mapped_column(String(64))
    document_id: Mapped[Optional[str]] = mapped_column(String(36))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("business_date", "provider", "kind", "ref_key", name="uq_reconciliation_mismatch"),
                      Index("ix_reconciliation_mismatches_day_hall", "business_date", "hall_code"))
