"""The interface between the upstream and a payment provider, and the lines of a provider's statement.

Every call answers a ``ProviderAnswer`` in the provider's terms mapped onto a few outcomes; an
adapter never raises for an answer the provider gave (a decline is an answer). It raises
``ProviderUnreachable`` when there was no answer at all (timeout, connection refused, a reply that
cannot be read or whose signature is wrong): the caller must then query, never assume.

Amounts are integer fen. ``order_no`` is the merchant order number: the terminal's scan intent id
(a UUIDv7) with its dashes removed, 32 characters, which both providers accept as out_trade_no.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    PAID = "paid"  # the provider charged the customer (final)
    USER_PAYING = "user_paying"  # the customer is entering a password: query again later
    FAILED = "failed"  # declined or closed without a charge (final): reason says why
    CANCELLED = "cancelled"  # cancelled/reversed: no charge stands (final)
    UNKNOWN = "unknown"  # a system error answer: query, never assume
    NOT_FOUND = "not_found"  # a query for an order the provider never received


class RefundOutcome(StrEnum):
    REFUNDED = "refunded"  # the provider confirms the money went back (final)
    PENDING = "pending"  # accepted, still processing: query again later
    FAILED = "failed"  # refused (final): reason says why
    UNKNOWN = "unknown"  # a system error answer: query, never assume


class ProviderUnreachable(Exception):
    """No usable answer: timeout, connection error, unreadable or badly signed reply."""


@dataclass(frozen=True)
class ProviderAnswer:
    outcome: Outcome
    provider_txn_id: str | None = None  # WeChat transaction_id / Alipay trade_no, when charged
    amount_fen: int | None = None  # what the provider says it charged
    paid_at: datetime | None = None  # naive UTC
    reason_code: str | None = None  # the provider's own code (err_code / sub_code), kept verbatim
    reason: str | None = None  # the provider's own words
    raw: dict = field(default_factory=dict)  # the parsed answer, for the log (no secrets, no full codes)


@dataclass(frozen=True)
class RefundAnswer:
    outcome: RefundOutcome
    provider_refund_id: str | None = None
    amount_fen: int | None = None
    reason_code: str | None = None
    reason: str | None = None
    raw: dict = field(default_factory=dict)


class Provider(Protocol):
    """One payment provider. Each method is one call to the provider (the caller owns retries)."""

    name: str  # "wechat" | "alipay" | "unionpay" | "simulate"

    def pay(self, order_no: str, code: str, amount_fen: int, subject: str) -> ProviderAnswer:
        """Charge a scanned payment code (WeChat micropay / Alipay trade.pay scene=bar_code)."""

    def query(self, order_no: str) -> ProviderAnswer:
        """The order's state now (WeChat orderquery / alipay.trade.query)."""

    def cancel(self, order_no: str) -> ProviderAnswer:
        """Cancel an order not (or not yet) paid; a paid one is reversed and its money returned
        (WeChat reverse / alipay.trade.cancel). Answers CANCELLED, or UNKNOWN when the provider
        asks to call again (recall=Y / retry_flag=Y)."""

    def refund(self, order_no: str, refund_no: str, amount_fen: int, total_fen: int, reason: str) -> RefundAnswer:
        """Refund (part of) a paid order; ``refund_no`` is idempotent on the provider's side."""

    def refund_query(self, order_no: str, refund_no: str) -> RefundAnswer:
        """The refund's state now."""

    def statement(self, day: date) -> bytes:
        """The day's statement file as the provider publishes it (its CSV layout)."""


@dataclass(frozen=True)
class StatementLine:
    """One line of a provider's daily statement, whatever its layout."""

    provider: str  # "wechat" | "alipay" | "bank"
    kind: str  # "payment" | "refund"
    provider_txn_id: str  # transaction_id / trade_no / the bank's reference (检索参考号)
    order_no: str | None  # merchant order number (out_trade_no), when the statement has it
    amount_fen: int  # positive; a refund line's refunded amount
    at: datetime  # local time as printed on the statement
    refund_no: str | None = None  # merchant refund number (out_refund_no), refund lines
    provider_refund_id: str | None = None
    terminal: str | None = None  # device/terminal column when the statement has one
