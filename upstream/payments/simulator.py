"""A payment provider that behaves like WeChat Pay / Alipay / UnionPay, for the demo and for tests.

``cashier-upstream serve --payments simulate`` puts one simulator behind each provider name. What a code does
is chosen by its last digit:

====  =====================================================================================================
0-5   paid at once
6     "user paying" (the customer enters a password): USER_PAYING, paid ``paying_delay`` (3 s) later, which
      the next query after that sees; its refunds are PENDING until queried
7     "user paying", then the customer gives up: never paid; a cancel closes it (CANCELLED)
8     declined: FAILED, insufficient balance, in the provider's code and words (NOTENOUGH / 余额不足)
9     the first pay call gets no answer (``ProviderUnreachable``) but the customer IS charged: a query says PAID
====  =====================================================================================================

The simulator is another system than the upstream: its books are its own tables (``simulator_orders``,
``simulator_refunds``) written in their own transactions, committed before it answers, so an upstream that dies
after the simulator's "paid" finds the charge there when it comes back (and a pay call repeated with the same
order number never charges twice). Full codes are never stored: first 4 + last 4 digits.

Time is the injected ``clock`` (naive UTC), so a test moves it instead of sleeping.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date, datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cashier.sync.protocol import mask_code
from upstream.db import Database
from upstream.models import SimulatorOrder, SimulatorRefund
from upstream.payments.base import (Outcome, ProviderAnswer, ProviderUnreachable, RefundAnswer, RefundOutcome,
                                    StatementLine)
from upstream.sql import utcnow

DEFAULT_PAYING_DELAY = 3.0  # seconds between "user paying" and paid, for codes ending in 6

# The providers' own codes and words for the answers the simulator gives.
_WORDS = {
    "wechat": {"declined": ("NOTENOUGH", "余额不足"), "paying": ("USERPAYING", "需要用户输入支付密码"),
               "closed": ("ORDERREVERSED", "当前订单已经被撤销"), "missing": ("ORDERNOTEXIST", "此交易订单号不存在"),
               "not_paid": ("TRADE_STATE_ERROR", "订单状态错误"), "too_much": ("INVALID_REQUEST", "退款金额超过可退金额"),
               "no_refund": ("REFUNDNOTEXIST", "退款订单查询失败"), "busy": ("SYSTEMERROR", "系统超时，请立即调用被扫订单结果查询API")},
    "alipay": {"declined": ("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"), "paying": ("10003", "等待用户付款"),
               "closed": ("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"), "missing": ("ACQ.TRADE_NOT_EXIST", "交易不存在"),
               "not_paid": ("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"), "too_much": ("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
                                                                                 "退款金额超限"),
               "no_refund": ("ACQ.TRADE_NOT_EXIST", "退款不存在"), "busy": ("ACQ.SYSTEM_ERROR", "系统错误")},
    "unionpay": {"declined": ("51", "余额不足"), "paying": ("USERPAYING", "等待用户输入密码"),
                 "closed": ("12", "交易已撤销"), "missing": ("34", "查无此交易"), "not_paid": ("12", "交易状态错误"),
                 "too_much": ("13", "退货金额超限"), "no_refund": ("34", "查无此交易"), "busy": ("96", "系统异常")},
}
# StatementLine.provider for each simulated provider: UnionPay QuickPass settles through the acquiring bank.
_STATEMENT_PROVIDER = {"wechat": "wechat", "alipay": "alipay", "unionpay": "bank"}


def _digits(seed: str, n: int) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:n].rjust(n, "0")


class Simulator:
    """One simulated provider (``name``: wechat, alipay or unionpay) keeping its books in ``db``.

    ``paying_delay``: seconds until a code ending in 6 is paid; ``clock``: naive UTC now;
    ``cancel_failures``: the first this many cancel calls answer UNKNOWN (the provider's "call again"),
    to exercise the upstream's cancelling path; ``timezone_name``: the statement's local time."""

    def __init__(self, name: str, db: Database, *, paying_delay: float = DEFAULT_PAYING_DELAY,
                 clock: Callable[[], datetime] = utcnow, cancel_failures: int = 0,
                 timezone_name: str = "Asia/Shanghai") -> None:
        if name not in _WORDS:
            raise ValueError(f"no simulated provider {name!r}")
        self.name, self.db, self.clock = name, db, clock
        self.paying_delay = timedelta(seconds=paying_delay)
        self.cancel_failures = cancel_failures
        self.zone = ZoneInfo(timezone_name)
        self._guard = threading.Lock()

    # --- helpers ---------------------------------------------------------------------------------

    def _words(self, what: str) -> tuple[str, str]:
        return _WORDS[self.name][what]

    def _txn_id(self, order_no: str, at: datetime) -> str:
        seed = f"{self.name}:{order_no}"
        if self.name == "wechat":
            return f"4200{at:%Y%m%d}{_digits(seed, 16)}"  # transaction_id, 28 digits
        if self.name == "alipay":
            return f"{at:%Y%m%d}2200{_digits(seed, 16)}"  # trade_no, 28 digits
        return f"{at:%Y%m%d}{_digits(seed, 13)}"  # UnionPay's queryId-like reference

    def _get(self, s, order_no: str) -> SimulatorOrder | None:
        return s.get(SimulatorOrder, (self.name, order_no), with_for_update=True)

    def _settle(self, order: SimulatorOrder, now: datetime) -> None:
        """A code ending in 6 is paid once its delay has passed."""
        if order.status == "user_paying" and order.behaviour == 6 and now >= order.created_at + self.paying_delay:
            order.status, order.paid_at = "paid", order.created_at + self.paying_delay
            order.charged += 1

    def _answer(self, order: SimulatorOrder | None) -> ProviderAnswer:
        if order is None:
            code, words = self._words("missing")
            return ProviderAnswer(Outcome.NOT_FOUND, reason_code=code, reason=words, raw={"state": "NOTEXIST"})
        raw = {"order_no": order.order_no, "state": order.status, "code": order.code_masked}
        if order.status == "paid":
            return ProviderAnswer(Outcome.PAID, provider_txn_id=order.txn_id, amount_fen=order.amount_fen,
                                  paid_at=order.paid_at, raw=raw)
        if order.status == "user_paying":
            code, words = self._words("paying")
            return ProviderAnswer(Outcome.USER_PAYING, reason_code=code, reason=words, raw=raw)
        if order.status == "failed":
            code, words = self._words("declined")
            return ProviderAnswer(Outcome.FAILED, reason_code=code, reason=words, raw=raw)
        code, words = self._words("closed")
        return ProviderAnswer(Outcome.CANCELLED, reason_code=code, reason=words, raw=raw)

    # --- the Provider interface -------------------------------------------------------------------

    def pay(self, order_no: str, code: str, amount_fen: int, subject: str) -> ProviderAnswer:
        now = self.clock()
        behaviour = int(code[-1])
        with self.db.transaction() as s:
            order = self._get(s, order_no)
            if order is not None:  # the same order number again: its state, never a second charge
                order.pay_calls += 1
                self._settle(order, now)
                if order.status == "cancelled":
                    code_, words = self._words("closed")
                    return ProviderAnswer(Outcome.FAILED, reason_code=code_, reason=words,
                                          raw={"order_no": order_no, "state": "closed"})
                return self._answer(order)
        order = SimulatorOrder(provider=self.name, order_no=order_no, code_masked=mask_code(code), behaviour=behaviour,
                               amount_fen=amount_fen, status="paid", txn_id=self._txn_id(order_no, now), charged=0,
                               created_at=now, pay_calls=1)
        if behaviour <= 5 or behaviour == 9:
            order.status, order.paid_at, order.charged = "paid", now, 1
        elif behaviour in (6, 7):
            order.status = "user_paying"
        else:
            order.status = "failed"
        try:
            with self.db.transaction() as s:
                s.add(order)
        except IntegrityError:  # the same order number at the same moment: the first one stands
            return self.query(order_no)
        if behaviour == 9:
            raise ProviderUnreachable(f"{self.name} simulator: no answer to the pay call (the customer was charged)")
        return self._answer(order)

    def query(self, order_no: str) -> ProviderAnswer:
        now = self.clock()
        with self.db.transaction() as s:
            order = self._get(s, order_no)
            if order is not None:
                self._settle(order, now)
            return self._answer(order)

    def cancel(self, order_no: str) -> ProviderAnswer:
        now = self.clock()
        with self._guard:
            if self.cancel_failures > 0:
                self.cancel_failures -= 1
                code, words = self._words("busy")
                return ProviderAnswer(Outcome.UNKNOWN, reason_code=code, reason=words, raw={"recall": "Y"})
        with self.db.transaction() as s:
            order = self._get(s, order_no)
            if order is None:  # closes the number: a pay arriving late is refused
                s.add(SimulatorOrder(provider=self.name, order_no=order_no, code_masked="", behaviour=-1, amount_fen=0,
                                     status="cancelled", txn_id="", charged=0, created_at=now, cancelled_at=now,
                                     pay_calls=0))
            else:
                self._settle(order, now)
                if order.status != "cancelled":  # a paid order is reversed: its money goes back
                    order.status, order.cancelled_at = "cancelled", now
        code, words = self._words("closed")
        return ProviderAnswer(Outcome.CANCELLED, reason_code=code, reason=words,
                              raw={"order_no": order_no, "recall": "N"})

    def refund(self, order_no: str, refund_no: str, amount_fen: int, total_fen: int, reason: str) -> RefundAnswer:
        now = self.clock()
        with self.db.transaction() as s:
            known = s.get(SimulatorRefund, (self.name, refund_no), with_for_update=True)
            if known is not None:
                return self._refund_answer(known)
            order = self._get(s, order_no)
            if order is not None:
                self._settle(order, now)
            if order is None or order.status != "paid":
                code, words = self._words("not_paid")
                return RefundAnswer(RefundOutcome.FAILED, reason_code=code, reason=words)
            refunded = s.scalar(select(func.coalesce(func.sum(SimulatorRefund.amount_fen), 0)).where(
                SimulatorRefund.provider == self.name, SimulatorRefund.order_no == order_no)) or 0
            if amount_fen > order.amount_fen - refunded or total_fen != order.amount_fen:
                code, words = self._words("too_much")
                return RefundAnswer(RefundOutcome.FAILED, reason_code=code, reason=words)
            row = SimulatorRefund(provider=self.name, refund_no=refund_no, order_no=order_no, amount_fen=amount_fen,
                                  status="pending" if order.behaviour == 6 else "refunded",
                                  refund_txn_id=f"50{_digits(self.name + refund_no, 26)}", created_at=now,
                                  refunded_at=None if order.behaviour == 6 else now)
            s.add(row)
        return self._refund_answer(row)

    def refund_query(self, order_no: str, refund_no: str) -> RefundAnswer:
        now = self.clock()
        with self.db.transaction() as s:
            row = s.get(SimulatorRefund, (self.name, refund_no), with_for_update=True)
            if row is None or row.order_no != order_no:
                code, words = self._words("no_refund")
                return RefundAnswer(RefundOutcome.FAILED, reason_code=code, reason=words)
            if row.status == "pending":  # processed by the time anyone asks
                row.status, row.refunded_at = "refunded", now
            return self._refund_answer(row)

    @staticmethod
    def _refund_answer(row: SimulatorRefund) -> RefundAnswer:
        outcome = RefundOutcome.REFUNDED if row.status == "refunded" else RefundOutcome.PENDING
        return RefundAnswer(outcome, provider_refund_id=row.refund_txn_id, amount_fen=row.amount_fen,
                            raw={"refund_no": row.refund_no, "state": row.status})

    # --- statements -------------------------------------------------------------------------------

    def _local(self, stamp: datetime) -> datetime:
        return stamp.replace(tzinfo=timezone.utc).astimezone(self.zone).replace(tzinfo=None)

    def lines(self, day: date) -> list[StatementLine]:
        """The day's charges and refunds (reversals included) as statement lines, local time, oldest first."""
        kind = _STATEMENT_PROVIDER[self.name]
        out: list[StatementLine] = []
        with self.db.sessions() as s:
            orders = list(s.scalars(select(SimulatorOrder).where(SimulatorOrder.provider == self.name,
                                                                 SimulatorOrder.charged > 0)))
            refunds = list(s.scalars(select(SimulatorRefund).where(SimulatorRefund.provider == self.name,
                                                                   SimulatorRefund.status == "refunded")))
        by_no = {o.order_no: o for o in orders}
        for o in orders:
            if o.paid_at is not None and self._local(o.paid_at).date() == day:
                out.append(StatementLine(kind, "payment", o.txn_id, o.order_no, o.amount_fen, self._local(o.paid_at)))
            if o.cancelled_at is not None and self._local(o.cancelled_at).date() == day:  # a reversed charge
                out.append(StatementLine(kind, "refund", o.txn_id, o.order_no, o.amount_fen,
                                         self._local(o.cancelled_at), provider_refund_id=f"R{o.txn_id}"))
        for r in refunds:
            if r.refunded_at is not None and self._local(r.refunded_at).date() == day:
                order = by_no.get(r.order_no)
                out.append(StatementLine(kind, "refund", order.txn_id if order else "", r.order_no, r.amount_fen,
                                         self._local(r.refunded_at), refund_no=r.refund_no,
                                         provider_refund_id=r.refund_txn_id))
        return sorted(out, key=lambda line: (line.at, line.kind, line.provider_txn_id))

    def statement(self, day: date) -> bytes:
        """The day's statement file in the provider's published layout (UnionPay's in the bank settlement
        file's default layout, as its acquiring bank would hand it)."""
        from upstream.payments.statements import write_statement

        return write_statement("bank" if self.name == "unionpay" else self.name, self.lines(day))
