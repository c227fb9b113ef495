"""The sale in progress at the counter (当前收费): one customer's quote, the amount to take, the
tenders handed over, and the guards against slips of the hand. Qt-free: the counter screen only
shows it and hands it what the cashier typed; it is re-checked here, and again by
``payments.take_payment`` when it commits.

Rules:
- a sale belongs to exactly one quote of one account; it is paid once (one payment id for its
  whole life, so a double Enter or a retry after a crash pays once);
- nothing is charged without a tender the cashier typed or kept: an empty 实收 never means "exact
  amount", so the Enter that finished the search cannot pay;
- cash change above ``SaleSettings.confirm_change_above_fen`` and any amount going to the prepaid
  balance (预存) need the cashier's explicit confirmation of exactly those amounts
  (``Confirm``); a changed tender or amount asks again;
- change comes from cash only; a non-cash tender needs its reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cashier.errors import DomainError
from cashier.ids import uuid7
from cashier.money import format_fen, parse_amount
from cashier.payments import MAX_REFERENCE, PaymentResult, TenderLine
from cashier.quote import AccountQuote
from cashier.settings import SaleSettings
from cashier.tenders import TENDER_KINDS, tender_label


class Guard(StrEnum):
    """What a cashier must confirm before the payment commits."""

    CHANGE = "change"  # 大额找零
    PREPAID = "prepaid"  # 多收转预存


class SaleState(StrEnum):
    OPEN = "open"
    COMMITTING = "committing"  # handed to take_payment, not answered yet
    PAID = "paid"


@dataclass(frozen=True)
class Totals:
    """What the screen shows while the cashier types (fen)."""

    due_fen: int  # 应缴: the quote less any approved waiver
    amount_fen: int | None  # 本次金额 (None: not a valid amount)
    kept_fen: int  # tenders kept with Ctrl+Enter
    tendered_fen: int  # kept + the one being typed
    remaining_fen: int  # still to be handed over (0 when covered)
    change_fen: int  # 找零
    prepaid_fen: int  # the part of the amount that goes to the prepaid balance (预存)


@dataclass(frozen=True)
class Confirm:
    """The payment waits for the cashier to confirm these amounts (shown large)."""

    guards: frozenset[Guard]
    totals: Totals


@dataclass(frozen=True)
class Checkout:
    """A fully checked sale, ready for ``payments.take_payment``."""

    account_no: str
    amount_fen: int
    tenders: tuple[TenderLine, ...]
    payment_id: str
    expected_due_fen: int
    waiver_fen: int
    waiver_approval_id: int | None
    totals: Totals


class Sale:
    def __init__(self, quote: AccountQuote, settings: SaleSettings | None = None, *, cash_only: bool = False) -> None:
        self.quote = quote
        self.settings = settings or SaleSettings()
        self.cash_only = cash_only  # 走收: cash only
        self.payment_id = uuid7()
        self.waiver_fen = 0
        self.waiver_approval_id: int | None = None
        self.amount_fen: int | None = quote.total_due_fen or None
        self.lines: list[TenderLine] = []
        self.state = SaleState.OPEN
        self.result: PaymentResult | None = None
        self._confirmed: Confirm | None = None

    # --- what is owed and what is typed ------------------------------------------------------
    @property
    def account_no(self) -> str:
        return self.quote.account_no

    @property
    def due_fen(self) -> int:
        return self.quote.total_due_fen - self.waiver_fen

    def set_amount(self, text: str) -> int:
        """本次金额 as typed; raises AmountError (the amount stays unset) on anything but a valid amount."""
        self.amount_fen = None
        self.amount_fen = parse_amount(text)
        return self.amount_fen

    def waive(self, waiver_fen: int, approval_id: int) -> None:
        """A supervisor approved waiving ``waiver_fen`` of the penalty: the amount becomes the new due."""
        self._require_open()
        if isinstance(waiver_fen, bool) or not isinstance(waiver_fen, int) or not 0 < waiver_fen <= self.quote.penalty_fen:
            raise DomainError("payment.waiver_too_large", waiver=format_fen(waiver_fen),
                              penalty=format_fen(self.quote.penalty_fen))
        self.waiver_fen, self.waiver_approval_id = waiver_fen, approval_id
        self.amount_fen = self.due_fen or None

    def tender(self, kind: str, text: str, reference: str = "") -> TenderLine | None:
        """The tender being typed (None when its amount is empty); raises on a bad amount or kind."""
        if kind not in TENDER_KINDS or (self.cash_only and kind != "cash"):
            raise DomainError("payment.bad_tender", kind=tender_label(kind))
        if not (text or "").strip():
            return None
        return TenderLine(kind, parse_amount(text), (reference or "").strip() or None)

    def keep(self, line: TenderLine) -> None:
        """Ctrl+Enter: keep this tender and take another (a card for part, cash for the rest)."""
        self._require_open()
        self._check_reference(line)
        self.lines.append(line)

    def totals(self, current: TenderLine | None = None) -> Totals:
        kept = sum(x.amount_fen for x in self.lines)
        tendered = kept + (current.amount_fen if current else 0)
        amount = self.amount_fen
        if amount is None:
            return Totals(self.due_fen, None, kept, tendered, 0, 0, 0)
        return Totals(self.due_fen, amount, kept, tendered, max(0, amount - tendered), max(0, tendered - amount),
                      max(0, amount - self.due_fen))

    def remaining_fen(self) -> int:
        return self.totals().remaining_fen

    # --- committing ------------------------------------------------------------------------------
    def confirm(self, asked: Confirm) -> None:
        """The cashier saw ``asked`` (its amounts, large) and said yes: good for exactly those amounts."""
        self._require_open()
        self._confirmed = asked

    def checkout(self, current: TenderLine | None) -> Checkout | Confirm:
        """Check the whole sale; ``Confirm`` when a guard needs the cashier's yes for exactly these amounts."""
        self._require_open()
        if self.amount_fen is None:
            raise DomainError("sale.amount_required")
        lines = self.lines + ([current] if current else [])
        if not lines:
            raise DomainError("sale.tendered_required", amount=format_fen(self.amount_fen))
        for line in lines:
            self._check_reference(line)
        totals = self.totals(current)
        if totals.remaining_fen:
            raise DomainError("payment.tender_short", tendered=format_fen(totals.tendered_fen),
                              amount=format_fen(self.amount_fen))
        non_cash = sum(x.amount_fen for x in lines if x.kind != "cash")
        if non_cash > self.amount_fen:
            raise DomainError("payment.change_from_card", non_cash=format_fen(non_cash), amount=format_fen(self.amount_fen))
        guards = set()
        if totals.prepaid_fen:
            guards.add(Guard.PREPAID)
        if totals.change_fen > self.settings.confirm_change_above_fen:
            guards.add(Guard.CHANGE)
        asked = Confirm(frozenset(guards), totals)
        if guards and self._confirmed != asked:  # a yes to other amounts (the tender was retyped) does not count
            return asked
        return Checkout(self.account_no, self.amount_fen, tuple(lines), self.payment_id, self.quote.total_due_fen,
                        self.waiver_fen, self.waiver_approval_id, totals)

    def committing(self) -> None:
        self._require_open()
        self.state = SaleState.COMMITTING

    def failed(self) -> None:
        """The commit was refused (nothing written): the cashier may correct and try again, same id."""
        if self.state is SaleState.COMMITTING:
            self.state = SaleState.OPEN

    def paid(self, result: PaymentResult) -> None:
        if result.payment_id != self.payment_id:
            raise DomainError("payment.id_conflict", id=result.payment_id)
        self.state, self.result = SaleState.PAID, result

    # --- helpers ---------------------------------------------------------------------------------
    def _require_open(self) -> None:
        if self.state is SaleState.PAID:
            raise DomainError("sale.already_paid")
        if self.state is SaleState.COMMITTING:
            raise DomainError("sale.committing")

    def _check_reference(self, line: TenderLine) -> None:
        if self.cash_only and line.kind != "cash":
            raise DomainError("payment.bad_tender", kind=tender_label(line.kind))
        if line.kind != "cash" and not (line.reference and len(line.reference) <= MAX_REFERENCE):
            raise DomainError("payment.reference_required", kind=tender_label(line.kind))
