"""What the reversal (冲正) dialog offers: this terminal's payments of today, newest first, each with
enough to tell it apart at the counter (receipt number, account, masked name, time, amount, tenders)
and whether it is already reversed. The reversal itself is ``cashier.payments.reverse_payment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from cashier import scan_refunds
from cashier.privacy import mask_name
from cashier.store.models import Account, Payment, Tender
from cashier.terminal import Terminal


@dataclass(frozen=True)
class ReversiblePayment:
    payment_id: str
    terminal_id: str
    seq: int  # the receipt number's sequence
    account_no: str
    masked_name: str  # 张*明: the cashier confirms with the customer, the screen never shows more
    created_at: datetime  # UTC
    amount_fen: int  # applied to bills plus prepaid credit: what a reversal refunds
    tenders: tuple[str, ...]  # tender kinds, in the order taken
    reversed: bool
    refund: str | None = None  # a reversed scan payment's refund: pending (退款处理中), refunded, failed


def todays_payments(t: Terminal) -> list[ReversiblePayment]:
    """Today's payments (business date) taken at this terminal, newest first, reversed ones marked."""
    with t.store.read() as s:
        rows = s.execute(
            select(Payment.id, Payment.seq, Account.account_no, Account.name, Payment.created_at,
                   Payment.applied_fen + Payment.prepaid_credit_fen)
            .join(Account, Account.id == Payment.account_id)
            .where(Payment.kind == "payment", Payment.business_date == t.clock.business_date(),
                   Payment.terminal_id == t.terminal_id)
            .order_by(Payment.seq.desc())
        ).all()
        ids = [r[0] for r in rows]
        reversed_ids = set(s.scalars(select(Payment.reverses_id).where(Payment.reverses_id.in_(ids)))) if ids else set()
        kinds: dict[str, list[str]] = {}
        if ids:
            for pid, kind in s.execute(select(Tender.payment_id, Tender.kind).where(Tender.payment_id.in_(ids))
                                       .order_by(Tender.id)):
                if kind not in kinds.setdefault(pid, []):
                    kinds[pid].append(kind)
        refunds = scan_refunds.states_of(s, ids)
    return [ReversiblePayment(pid, t.terminal_id, seq, account_no, mask_name(name), at, amount,
                              tuple(kinds.get(pid, ())), pid in reversed_ids, refunds.get(pid))
            for pid, seq, account_no, name, at, amount in rows]
