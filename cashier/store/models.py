"""The local store's tables (SQLAlchemy 2.x); migrations in ``migrations/versions`` create them.

Money columns end in ``_fen`` and are integers. Business dates are ``Date`` in the hall's
time zone; timestamps (``*_at``) are UTC. Payment, shift and cash-movement ids are UUIDv7
strings: their identity everywhere, upstream included.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from cashier.rules.tenders import TENDER_KINDS  # the one list of kinds


class Base(DeclarativeBase):
    pass


CUSTOMER_CLASSES = ("residential", "commercial", "industrial", "agricultural")
SUPPLY_STATUSES = ("normal", "disconnected", "reconnect_pending")
SPECIAL_GROUPS = ("dibao", "wubao", "elderly_alone", "disabled")
ROLES = ("cashier", "supervisor", "technician")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Account(Base):
    """A customer account (户), keyed by its account number (户号)."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[Optional[str]] = mapped_column(String(20))
    phone_rev: Mapped[Optional[str]] = mapped_column(String(20))  # digits reversed: "last 4" search
    meter_no: Mapped[Optional[str]] = mapped_column(String(32), index=True)
    customer_class: Mapped[str] = mapped_column(String(16))
    prepaid_meter: Mapped[bool] = mapped_column(Boolean, default=False)  # 费控
    supply_status: Mapped[str] = mapped_column(String(20), default="normal")
    special_group: Mapped[Optional[str]] = mapped_column(String(20))  # 低保/五保/独居老人/残疾
    station: Mapped[Optional[str]] = mapped_column(String(50))  # 供电所
    transformer_area: Mapped[Optional[str]] = mapped_column(String(50))  # 台区
    collector: Mapped[Optional[str]] = mapped_column(String(50))  # responsible collector
    prepaid_balance_fen: Mapped[int] = mapped_column(Integer, default=0)  # 预存电费
    version: Mapped[int] = mapped_column(Integer, default=0)  # upstream change number
    updated_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # Set when a refetch's snapshot no longer holds the account (closed, moved to another hall): it stays for the
    # payments that refer to it, but is neither found nor payable; the upstream sending it again clears it.
    gone_at: Mapped[Optional[datetime]] = mapped_column(DateTime)

    bills: Mapped[list["Bill"]] = relationship(back_populates="account", order_by="Bill.due_date")

    __table_args__ = (
        CheckConstraint(_in("customer_class", CUSTOMER_CLASSES), name="ck_accounts_class"),
        CheckConstraint(_in("supply_status", SUPPLY_STATUSES), name="ck_accounts_supply"),
        CheckConstraint(
            "special_group IS NULL OR " + _in("special_group", SPECIAL_GROUPS), name="ck_accounts_special"
        ),
        CheckConstraint("prepaid_balance_fen >= 0", name="ck_accounts_balance"),
        Index("ix_accounts_collector", "collector"),
        Index("ix_accounts_phone_rev", "phone_rev"),
    )


class Bill(Base):
    """A monthly electricity bill (电费账单) and what of it is still owed."""

    __tablename__ = "bills"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_no: Mapped[str] = mapped_column(String(32), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    period: Mapped[str] = mapped_column(String(6))  # YYYYMM
    kwh: Mapped[int] = mapped_column(Integer)
    principal_fen: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    outstanding_fen: Mapped[int] = mapped_column(Integer)
    penalty_settled_through: Mapped[Optional[date]] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # The meter readings the bill was computed from (起码, 止码), as the upstream sends them: the text of a
    # decimal as the meter shows it (cashier.sync.protocol.meter_reading), both or neither (schema 9).
    reading_start: Mapped[Optional[str]] = mapped_column(String(20))
    reading_end: Mapped[Optional[str]] = mapped_column(String(20))

    account: Mapped[Account] = relationship(back_populates="bills")

    __table_args__ = (
        UniqueConstraint("account_id", "period", name="uq_bills_account_period"),
        CheckConstraint("principal_fen >= 0", name="ck_bills_principal"),
        CheckConstraint("outstanding_fen >= 0 AND outstanding_fen <= principal_fen", name="ck_bills_outstanding"),
        CheckConstraint("kwh >= 0", name="ck_bills_kwh"),
        Index("ix_bills_open", "account_id", "due_date", sqlite_where=text("outstanding_fen > 0")),
    )


class User(Base):
    """A person who signs in: cashier (收费员), supervisor (班长), technician."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (CheckConstraint(_in("role", ROLES), name="ck_users_role"),)


class Shift(Base):
    """A cashier's shift (班次) at one terminal, from opening float to sign-off."""

    __tablename__ = "shifts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(16))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    business_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    opening_float_fen: Mapped[int] = mapped_column(Integer)
    opening_counts: Mapped[str] = mapped_column(Text)  # JSON {denomination_fen: count}
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    expected_cash_fen: Mapped[Optional[int]] = mapped_column(Integer)
    counted_cash_fen: Mapped[Optional[int]] = mapped_column(Integer)
    closing_counts: Mapped[Optional[str]] = mapped_column(Text)
    over_short_fen: Mapped[Optional[int]] = mapped_column(Integer)  # 长短款: counted - expected
    over_short_reason: Mapped[Optional[str]] = mapped_column(Text)
    over_short_approved_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    review_comment: Mapped[Optional[str]] = mapped_column(Text)
    settlement_id: Mapped[Optional[str]] = mapped_column(ForeignKey("day_settlements.id"))

    __table_args__ = (
        CheckConstraint(_in("status", ("open", "closed", "signed_off", "settled")), name="ck_shifts_status"),
        CheckConstraint("opening_float_fen >= 0", name="ck_shifts_float"),
        # One open shift per terminal, enforced by the database itself.
        Index("ux_shifts_one_open", "terminal_id", unique=True, sqlite_where=text("status = 'open'")),
    )


class Payment(Base):
    """A payment (收费) or its reversal (冲正), with the terminal's gap-free receipt number."""

    __tablename__ = "payments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUIDv7
    terminal_id: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default="payment")
    reverses_id: Mapped[Optional[str]] = mapped_column(ForeignKey("payments.id"), unique=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    business_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    due_fen: Mapped[int] = mapped_column(Integer)  # arrears + penalty quoted
    tendered_fen: Mapped[int] = mapped_column(Integer)
    change_fen: Mapped[int] = mapped_column(Integer, default=0)
    applied_fen: Mapped[int] = mapped_column(Integer)  # to bills: penalty + principal
    prepaid_credit_fen: Mapped[int] = mapped_column(Integer, default=0)
    penalty_waived_fen: Mapped[int] = mapped_column(Integer, default=0)
    reconnect_requested: Mapped[bool] = mapped_column(Boolean, default=False)  # 复电
    reason: Mapped[Optional[str]] = mapped_column(Text)
    approved_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reprint_count: Mapped[int] = mapped_column(Integer, default=0)

    tenders: Mapped[list["Tender"]] = relationship(back_populates="payment")
    allocations: Mapped[list["Allocation"]] = relationship(back_populates="payment")

    __table_args__ = (
        UniqueConstraint("terminal_id", "seq", name="uq_payments_terminal_seq"),
        CheckConstraint(_in("kind", ("payment", "reversal")), name="ck_payments_kind"),
        CheckConstraint("change_fen >= 0 AND prepaid_credit_fen >= 0", name="ck_payments_nonneg"),
        Index("ix_payments_shift", "shift_id"),
        Index("ix_payments_account", "account_id"),
    )


class Tender(Base):
    """One means of payment inside a payment (现金, 银行卡, 微信, 支付宝, 电e宝, 充值卡)."""

    __tablename__ = "tenders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Integer)
    reference: Mapped[Optional[str]] = mapped_column(String(64))

    payment: Mapped[Payment] = relationship(back_populates="tenders")

    __table_args__ = (CheckConstraint(_in("kind", TENDER_KINDS), name="ck_tenders_kind"),)


class Allocation(Base):
    """What a payment settled on one bill: penalty first, then principal."""

    __tablename__ = "allocations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    penalty_fen: Mapped[int] = mapped_column(Integer, default=0)
    principal_fen: Mapped[int] = mapped_column(Integer, default=0)
    penalty_days: Mapped[int] = mapped_column(Integer, default=0)
    penalty_waived_fen: Mapped[int] = mapped_column(Integer, default=0)  # 减免, with approval
    # The bill's settled-through date before this payment, so a reversal can restore it.
    prev_settled_through: Mapped[Optional[date]] = mapped_column(Date)

    payment: Mapped[Payment] = relationship(back_populates="allocations")


class CashMovement(Base):
    """Cash put into or taken out of a drawer during a shift (turn-in 交款, bank pickup 解款)."""

    __tablename__ = "cash_movements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    purpose: Mapped[str] = mapped_column(String(16), default="other")  # float_top_up, turn_in, bank_pickup
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("terminal_id", "seq", name="uq_cash_movements_terminal_seq"),
        CheckConstraint(_in("direction", ("in", "out")), name="ck_cash_movements_direction"),
        CheckConstraint("amount_fen > 0", name="ck_cash_movements_amount"),
    )


RATINGS = ("very_satisfied", "satisfied", "unsatisfied", "unrated")


class Evaluation(Base):
    """The customer's rating of one payment (服务评价): unrated when nobody answered, never satisfied."""

    __tablename__ = "evaluations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUIDv7
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), unique=True)  # one per payment
    terminal_id: Mapped[str] = mapped_column(String(16))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    business_date: Mapped[date] = mapped_column(Date)
    rating: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint(_in("rating", RATINGS), name="ck_evaluations_rating"),
        Index("ix_evaluations_day", "business_date", "cashier_id"),
    )


class Approval(Base):
    """A supervisor's authorization of one action (reversal, penalty waiver, over/short ...)."""

    __tablename__ = "approvals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    amount_fen: Mapped[Optional[int]] = mapped_column(Integer)
    requested_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    terminal_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class DaySettlement(Base):
    """Day-end settlement (日结): the hall's closed shifts of one business date in one deposit."""

    __tablename__ = "day_settlements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[date] = mapped_column(Date)
    settled_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deposit_cash_fen: Mapped[int] = mapped_column(Integer)
    totals: Mapped[str] = mapped_column(Text)  # JSON: by tender, counts, over/short

    __table_args__ = (UniqueConstraint("hall_code", "business_date", name="uq_day_settlements_day"),)


class TerminalSequence(Base):
    """The terminal's last issued document number; the next is always last + 1, no gaps."""

    __tablename__ = "terminal_sequences"
    terminal_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Append-only, hash-chained audit log: each entry holds the hash of the previous one."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[Optional[str]] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


OUTBOX_STATUSES = ("pending", "accepted", "duplicate", "rejected", "conflict", "resolved")


class OutboxEntry(Base):
    """A document waiting to go upstream, in the terminal's sequence order."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # payment, reversal, cash_movement, shift_close, evaluation
    entity_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[Optional[int]] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)  # JSON body sent upstream, frozen at commit
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # pending → accepted | duplicate | rejected | conflict; a held one (rejected, conflict) a supervisor
    # settles goes back to pending (retry) or becomes resolved (never sent again; see HeldResolution)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    last_error: Mapped[Optional[str]] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("kind", "entity_id", name="uq_outbox_entity"),
        CheckConstraint(_in("status", OUTBOX_STATUSES), name="ck_outbox_status"),
        Index("ix_outbox_pending", "id", sqlite_where=text("status = 'pending'")),
    )


HELD_ACTIONS = ("retry", "accept_upstream", "dismiss")


class HeldResolution(Base):
    """A supervisor's decision on an outbox entry the upstream held (rejected or in conflict): who, why,
    and what the upstream had said. The local record it carries is never deleted nor changed."""

    __tablename__ = "held_resolutions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # retry, accept_upstream, dismiss
    reason: Mapped[str] = mapped_column(Text)
    held_status: Mapped[str] = mapped_column(String(12))  # rejected or conflict, as it was held
    upstream_note: Mapped[Optional[str]] = mapped_column(Text)  # the upstream's reason, as it was held
    resolved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approval_id: Mapped[Optional[int]] = mapped_column(ForeignKey("approvals.id"))
    resolved_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (CheckConstraint(_in("action", HELD_ACTIONS), name="ck_held_resolutions_action"),)


class PrintJob(Base):
    """A document to print; failed ones wait here for the cashier to reprint (补打队列)."""

    __tablename__ = "print_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # payment, reversal, cash_movement, shift_report
    entity_id: Mapped[str] = mapped_column(String(36))
    reprint: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    printed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint(_in("status", ("pending", "printed", "failed", "dismissed")), name="ck_print_jobs_status"),
        Index("ix_print_jobs_open", "id", sqlite_where=text("status IN ('pending', 'failed')")),
    )


class SyncState(Base):
    """Key/value state of the sync module (pull cursor, last success, last error ...)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


SCAN_INTENT_STATUSES = ("open", "paid", "failed", "cancelled")
SCAN_REFUND_STATUSES = ("pending", "refunded", "failed")


class ScanIntent(Base):
    """A scan-to-pay attempt (扫码收款): committed before the upstream is called; its id (UUIDv7) is the merchant
    order number. ``request`` holds the sale as ``payments.record_payment`` takes it (JSON), so the payment can
    be committed later — by whoever sees the provider's "paid" first — exactly once. The code is kept masked."""

    __tablename__ = "scan_intents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_no: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(Integer)  # charged through the provider
    provider: Mapped[str] = mapped_column(String(10))  # wechat, alipay, unionpay
    code_masked: Mapped[str] = mapped_column(String(32))  # 1012********3456: never the whole code
    status: Mapped[str] = mapped_column(String(10), default="open")
    provider_status: Mapped[Optional[str]] = mapped_column(String(12))  # the last answer: user_paying, unknown …
    provider_txn_id: Mapped[Optional[str]] = mapped_column(String(64))
    paid_at: Mapped[Optional[datetime]] = mapped_column(DateTime)  # UTC, the provider's
    reason_code: Mapped[Optional[str]] = mapped_column(String(64))
    reason: Mapped[Optional[str]] = mapped_column(Text)
    cashier_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"))
    payment_id: Mapped[Optional[str]] = mapped_column(ForeignKey("payments.id"), unique=True)  # once committed
    request: Mapped[str] = mapped_column(Text)  # JSON: the sale to commit on "paid"
    note: Mapped[Optional[str]] = mapped_column(Text)  # e.g. committed into a later shift
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint(_in("status", SCAN_INTENT_STATUSES), name="ck_scan_intents_status"),
        CheckConstraint("amount_fen > 0", name="ck_scan_intents_amount"),
        Index("ix_scan_intents_open", "id", sqlite_where=text("status = 'open'")),
    )


class ScanRefund(Base):
    """The provider's refund of a reversed scan payment (退款), tracked until the provider confirms it. Its id
    (a UUID, stored before the call) makes the refund idempotent upstream and at the provider."""

    __tablename__ = "scan_refunds"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    intent_id: Mapped[str] = mapped_column(ForeignKey("scan_intents.id"), index=True)
    reversal_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), unique=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    provider_refund_id: Mapped[Optional[str]] = mapped_column(String(64))
    reason_code: Mapped[Optional[str]] = mapped_column(String(64))
    reason: Mapped[Optional[str]] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint(_in("status", SCAN_REFUND_STATUSES), name="ck_scan_refunds_status"),
        Index("ix_scan_refunds_pending", "id", sqlite_where=text("status = 'pending'")),
    )
