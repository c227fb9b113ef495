"""What the customer sees and hears (客户侧): one small state model the counter feeds, that the customer
display window, the LED pole display and the voice follow. Qt-free.

Stages: ``idle`` (nobody at the counter: notices and channels only) → ``selected`` (户号, masked name,
each open bill and penalty, total due) → ``tendered`` (received, change) → ``password`` (a scan payment
waits for the customer's password) → ``paid`` (received, change, prepaid balance, the receipt's QR)
→ ``rating`` (the service evaluation asks; the evaluation panel is another room's) → ``idle``.

Privacy (``cashier.privacy``): the name is masked here, once; the phone and address never reach the
customer's side. ``idle()`` makes a view that carries nothing of the customer who left: every field
back to its default, so nothing of one customer can be shown to the next.

Each view carries ``say``: the phrase to speak on entering it ("" says nothing), so the voice follows
the same feed as the screen and never says an amount the screen does not show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Callable

from cashier.privacy import mask_name
from cashier.speech import PASSWORD_PHRASE, paid_phrase, pay_phrase

log = logging.getLogger(__name__)


class Stage(StrEnum):
    IDLE = "idle"
    SELECTED = "selected"  # 已选客户
    TENDERED = "tendered"  # 已收款（未确认）
    PASSWORD = "password"  # 请顾客输入支付密码
    PAID = "paid"  # 收费成功
    RATING = "rating"  # 服务评价


@dataclass(frozen=True)
class BillLine:
    """One open bill as the customer sees it (fen)."""

    period: str  # YYYYMM
    kwh: int
    outstanding_fen: int
    penalty_fen: int


@dataclass(frozen=True)
class CustomerView:
    stage: Stage = Stage.IDLE
    elderly: bool = False  # 关爱模式: larger type, slower speech said twice
    account_no: str = ""
    masked_name: str = ""
    bills: tuple[BillLine, ...] = ()
    penalty_fen: int = 0
    waiver_fen: int = 0
    due_fen: int = 0  # 应缴合计 (after an approved waiver)
    paid_fen: int = 0  # 本次交费: what the payment applied and credited (once paid)
    received_fen: int = 0  # 实收
    change_fen: int = 0  # 找零
    cash: bool = True  # cash is among what was handed over: only cash makes change (a scan payment shows no 找零)
    prepaid_balance_fen: int = 0  # 预存余额 (after the payment, once paid)
    prepaid_credit_fen: int = 0  # 存入预存
    receipt_qr: str = ""  # what the receipt's QR carries (receipts.builders.qr_payload)
    receipt_no: str = ""
    say: str = ""  # the phrase to speak on entering this view


Listener = Callable[[CustomerView], None]


class CustomerSide:
    """The feed: the counter calls the stage methods, listeners get each new view (on the caller's thread)."""

    def __init__(self) -> None:
        self.listeners: list[Listener] = []
        self._view = CustomerView()

    @property
    def view(self) -> CustomerView:
        return self._view

    @property
    def elderly(self) -> bool:
        return self._view.elderly

    def _set(self, view: CustomerView) -> None:
        if view == self._view and not view.say:
            return  # nothing new (a keystroke that left the change as it was)
        self._view = view
        for listener in list(self.listeners):
            try:
                listener(view)
            except Exception:  # noqa: BLE001 - a display's bug must not stop the counter or the other displays
                log.exception("customer-side listener failed")

    def announce(self) -> None:
        """Hand the current view to every listener again (a display just attached, a pole display reconnected)."""
        view = replace(self._view, say="")
        for listener in list(self.listeners):
            try:
                listener(view)
            except Exception:  # noqa: BLE001
                log.exception("customer-side listener failed")

    # --- stages ------------------------------------------------------------------------------
    def idle(self) -> None:
        """Nobody at the counter: a fresh view, nothing of the last customer kept (only the elderly flag)."""
        self._set(CustomerView(Stage.IDLE, self.elderly))

    def selected(self, quote, due_fen: int, waiver_fen: int = 0, *, speak: bool = True) -> None:
        """The cashier opened ``quote`` (an ``AccountQuote``): who, each open bill, the total due."""
        bills = tuple(BillLine(b.period, b.kwh, b.outstanding_fen, b.penalty_fen) for b in quote.bills)
        self._set(CustomerView(
            Stage.SELECTED, self.elderly, account_no=quote.account_no, masked_name=mask_name(quote.name), bills=bills,
            penalty_fen=quote.penalty_fen, waiver_fen=waiver_fen, due_fen=due_fen,
            prepaid_balance_fen=quote.prepaid_balance_fen,
            say=pay_phrase(due_fen) if speak and due_fen else ""))

    def tendered(self, received_fen: int, change_fen: int, cash: bool = True) -> None:
        """What the customer handed over so far and the change it makes (nothing said: it changes per key);
        ``cash``: cash is among it (without cash there is no change to show)."""
        view = self._view
        if view.stage not in (Stage.SELECTED, Stage.TENDERED, Stage.PASSWORD):
            return
        stage = Stage.TENDERED if received_fen else Stage.SELECTED
        self._set(replace(view, stage=stage, received_fen=received_fen, change_fen=change_fen, cash=cash, say=""))

    def waiting_for_password(self) -> None:
        """A scan payment waits for the customer's password: 请输入支付密码 (said 请输入密码). Nothing is received
        yet: no 实收, no 找零 — the amount due stays."""
        self._set(replace(self._view, stage=Stage.PASSWORD, received_fen=0, change_fen=0, cash=False,
                          say=PASSWORD_PHRASE))

    def back_to_due(self) -> None:
        """A payment attempt failed, was declined or cancelled: back to the amount due, nothing received (the
        same view as on selecting the customer, nothing said again)."""
        view = self._view
        if view.stage not in (Stage.SELECTED, Stage.TENDERED, Stage.PASSWORD):
            return
        self._set(replace(view, stage=Stage.SELECTED, received_fen=0, change_fen=0, cash=True, say=""))

    def paid(self, result, receipt_qr: str, receipt_no: str = "") -> None:
        """The payment committed (``result``: a ``PaymentResult``): received, change, balance, the receipt's QR."""
        view = self._view
        if view.account_no != result.account_no:  # the counter moved on: show this payment's figures, no one's bills
            view = CustomerView(Stage.PAID, self.elderly, account_no=result.account_no)
        self._set(replace(
            view, stage=Stage.PAID, paid_fen=result.amount_fen, received_fen=result.tendered_fen, change_fen=result.change_fen,
            cash=any(x.kind == "cash" for x in result.tenders),
            prepaid_balance_fen=result.prepaid_balance_after_fen, prepaid_credit_fen=result.prepaid_credit_fen,
            receipt_qr=receipt_qr, receipt_no=receipt_no,
            say=paid_phrase(result.tendered_fen, result.change_fen)))

    def rating(self) -> None:
        """The service evaluation asks: the customer's figures leave the screen."""
        self._set(CustomerView(Stage.RATING, self.elderly))

    def set_elderly(self, on: bool) -> None:
        """关爱模式 on or off: the same view again, larger (nothing said anew)."""
        self._set(replace(self._view, elderly=on, say=""))
