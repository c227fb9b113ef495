"""Means of payment (付款方式): the kinds the store accepts and their names in the user's language.

Receipts are Chinese documents and name tenders in Chinese (``receipts.builders.TENDER_LABELS``);
screens name them in the user's language with ``tender_label``.
"""

from __future__ import annotations

from cashier.i18n import translate
from cashier.rules.tenders import TENDER_KINDS

__all__ = ["TENDER_KINDS", "tender_label"]


def tender_label(kind: str) -> str:
    """现金, 银行卡 … (Cash, Bank card … in English); an unknown kind as it is."""
    return translate(f"tender.{kind}") if kind in TENDER_KINDS else kind
