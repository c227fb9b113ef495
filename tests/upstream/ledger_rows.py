"""Payments and reversals written into the upstream's ledger as a push stores them (validated protocol bodies)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from cashier.sync import protocol as p
from upstream.models import Document, Terminal

SHIFT = "0192f000-0000-7000-8000-000000000001"


def terminal(s, terminal_id: str = "T01", hall: str = "DEMO01") -> None:
    s.merge(Terminal(id=terminal_id, hall_code=hall))


def body(kind: str, seq: int, tender: str, fen: int, reference: str | None, day: date, *, terminal_id="T01",
         cashier="王芳", reverses: str | None = None, doc_id: str | None = None, intent: str | None = None) -> dict:
    b = p.PaymentBody(
        id=doc_id or str(uuid.UUID(int=seq)), kind=kind, terminal_id=terminal_id, hall_code="DEMO01", seq=seq,
        shift_id=SHIFT, account_no="3101000001", business_date=day, created_at=datetime(day.year, day.month, day.day, 2),
        cashier=cashier, amount_fen=fen, applied_fen=0, prepaid_credit_fen=fen, tendered_fen=fen, change_fen=0,
        penalty_waived_fen=0, reconnect_requested=False, reverses_id=reverses, prepaid_balance_after_fen=0,
        tenders=[p.TenderBody(kind=tender, amount_fen=fen, reference=reference)], allocations=[],
        scan_intent_id=intent)
    return b.model_dump(mode="json")


def add(s, b: dict) -> None:
    s.add(Document(id=b["id"], kind=b["kind"], terminal_id=b["terminal_id"], seq=b["seq"], status="accepted",
                   body_hash=p.body_hash(b), body=p.canonical_json(b), account_no=b["account_no"],
                   shift_id=b["shift_id"], amount_fen=b["amount_fen"], business_date=date.fromisoformat(b["business_date"]),
                   received_at=datetime.fromisoformat(b["created_at"]), reverses_id=b.get("reverses_id")))
