"""Means of payment (付款方式) and the two money rules about them both sides apply.

``TenderKind`` is the one list of kinds: the store's check constraint, the wire format, the
counter's keys and the receipts all name tenders by these values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable, Mapping


class TenderKind(StrEnum):
    CASH = "cash"
    BANK_CARD = "bank_card"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    E_BAO = "e_bao"  # 电e宝
    PREPAID_CARD = "prepaid_card"


TENDER_KINDS: tuple[str, ...] = tuple(k.value for k in TenderKind)


@dataclass(frozen=True)
class TenderLine:
    """One means of payment: cash, bank_card, wechat, alipay, e_bao or prepaid_card (with a reference)."""

    kind: str
    amount_fen: int
    reference: str | None = None


def refund_tenders(tenders: list[TenderLine], change_fen: int) -> list[TenderLine]:
    """What a reversal pays back: non-cash goes back the way it came, cash net of the change given (fen).

    The upstream checks a reversal's tenders against this, so both sides apply one rule.
    """
    refund = [TenderLine(x.kind, x.amount_fen, x.reference) for x in tenders if x.kind != TenderKind.CASH]
    cash = sum(x.amount_fen for x in tenders if x.kind == TenderKind.CASH) - change_fen
    if cash > 0:
        refund.append(TenderLine(TenderKind.CASH.value, cash))
    return refund


def net_takings(bodies: Iterable[Mapping]) -> tuple[dict[str, int], int, int]:
    """Net takings by tender (cash net of change, reversals subtracted), payments, reversals.

    ``bodies`` are payment and reversal documents as they go upstream (``kind``, ``tenders``,
    ``change_fen``); the shift's close carries these figures and the upstream recounts them.
    """
    totals: dict[str, int] = {}
    payments = reversals = 0
    for body in bodies:
        sign = -1 if body["kind"] == "reversal" else 1
        payments += body["kind"] == "payment"
        reversals += body["kind"] == "reversal"
        for t in body["tenders"]:
            totals[t["kind"]] = totals.get(t["kind"], 0) + sign * t["amount_fen"]
        if body["change_fen"]:
            totals[TenderKind.CASH.value] = totals.get(TenderKind.CASH.value, 0) - sign * body["change_fen"]
    return {k: v for k, v in sorted(totals.items()) if v}, payments, reversals
