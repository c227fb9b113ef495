"""Reversals (冲正) checked against their original payment, then undone on the upstream's own bills.

A payment is reversed only by the terminal that took it, on the same business day, for exactly
its amounts, allocations and tenders (``cashier.rules.tenders.refund_tenders``).
"""

from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import select

from cashier.rules.tenders import TenderLine, refund_tenders
from cashier.sync import protocol as p
from upstream.accounts import WorkAccount, open_bills
from upstream.alarms import raise_alarm
from upstream.models import Document, DocumentAllocation, Terminal


def _money_lines(allocations: Iterable[dict]) -> list[tuple[int, int, int, int]]:
    """(bill, penalty, waived, principal) in a fixed order; the period is the bill's label, not money."""
    return sorted((a["bill_id"], a["penalty_fen"], a["penalty_waived_fen"], a["principal_fen"]) for a in allocations)


def _tender_lines(tenders: Iterable) -> list[tuple[str, int, str]]:
    return sorted((t.kind, t.amount_fen, t.reference or "") for t in tenders)


def reversal_mismatch(body: p.PaymentBody, original: dict) -> str | None:
    """Why a reversal does not undo exactly its original as the terminal reverses it, or None.

    The terminal's rule (``cashier.payments.reverse_payment``): the same business day, amounts and
    allocations; non-cash back the way it came, cash net of the change given, no change of its own.
    """
    if original["business_date"] != body.business_date.isoformat():
        return "reversal_other_day"
    if any(getattr(body, k) != original[k]
           for k in ("amount_fen", "applied_fen", "prepaid_credit_fen", "penalty_waived_fen")):
        return "reversal_amounts_differ"
    if _money_lines(a.model_dump() for a in body.allocations) != _money_lines(original["allocations"]):
        return "reversal_allocations_differ"
    refund = refund_tenders([TenderLine(t["kind"], t["amount_fen"], t["reference"]) for t in original["tenders"]],
                            original["change_fen"])
    if body.change_fen or _tender_lines(body.tenders) != _tender_lines(refund):
        return "reversal_tenders_differ"
    return None


def apply_reversal(s, acc: WorkAccount, body, batch_allocs, docs, now, caller) -> tuple[str, str | None]:
    """Undo what the upstream applied of the original, once every check passes; else (rejected, why).

    A payment is reversed only by the terminal that took it (DESIGN.md, Paying: same business day,
    by the cashier at that counter with a supervisor's approval): another hall's terminal and
    another terminal of the same hall are refused alike, each with its own reason.
    """
    original = s.execute(select(Document.kind, Document.status, Document.terminal_id, Terminal.hall_code,
                                Document.account_no, Document.body)
                         .outerjoin(Terminal, Terminal.id == Document.terminal_id)
                         .where(Document.id == body.reverses_id)).first()
    in_batch = next((d for d in docs if d["id"] == body.reverses_id), None)
    if in_batch is not None:
        original = (in_batch["kind"], in_batch["status"], in_batch["terminal_id"], caller.hall_code,
                    in_batch["account_no"], in_batch["body"])
    if original is None:
        return "rejected", "unknown_original"
    kind, status, terminal_id, hall_code, account_no, raw = original
    if kind != "payment":
        return "rejected", "original_not_a_payment"
    if hall_code != caller.hall_code:
        return "rejected", "original_other_hall"
    if terminal_id != caller.terminal_id:
        return "rejected", "original_other_terminal"
    if status != "accepted":
        return "rejected", "original_rejected"
    if account_no != body.account_no:
        return "rejected", "original_other_account"
    already = s.scalar(select(Document.id).where(Document.reverses_id == body.reverses_id)) or any(
        d.get("reverses_id") == body.reverses_id for d in docs)
    if already:
        return "rejected", "already_reversed"
    why = reversal_mismatch(body, json.loads(raw))
    if why is not None:
        return "rejected", why
    lines = batch_allocs.get(body.reverses_id)
    if lines is None:
        lines = [(r.bill_id, r.penalty_fen, r.penalty_waived_fen, r.principal_fen, r.prev_settled_through)
                 for r in s.execute(select(DocumentAllocation).where(
                     DocumentAllocation.document_id == body.reverses_id)).scalars()]
    applied = 0
    for bill_id, penalty, _waived, principal, prev in lines:
        bill = acc.bills[bill_id]
        bill.outstanding_fen = min(bill.principal_fen, bill.outstanding_fen + principal)
        bill.penalty_settled_through = prev
        bill.dirty = True
        applied += penalty + principal
    credit = body.amount_fen - applied
    if acc.prepaid_balance_fen < credit:
        raise_alarm(s, caller.terminal_id, "reversal_balance", body.id, now, credit_fen=credit,
               balance_fen=acc.prepaid_balance_fen)
    acc.prepaid_balance_fen = max(0, acc.prepaid_balance_fen - credit)
    if acc.supply_status == "reconnect_pending" and open_bills(acc):
        acc.supply_status = "disconnected"
    acc.dirty = True
    return "accepted", None
