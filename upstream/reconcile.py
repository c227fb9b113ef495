"""Daily reconciliation (对账): a provider's statement of a day against the ledger's payments and reversals.

The ledger side is every accepted payment and reversal of the business day with a tender of the provider's
kind (wechat, alipay; bank → bank_card): a payment's tender reference is the provider's transaction id (a
scan payment's is set by the provider's answer; a typed one by the cashier), and a reversal's tender keeps
the reference of the payment it pays back, so refunds are compared per original transaction.

Mismatch kinds:

- ``charged_not_recorded``: on the statement, no payment in the ledger: the customer's money was taken
  and not applied (apply it or refund it);
- ``reference_unknown``: a payment whose reference the provider does not have (mistyped or invented), or a
  non-cash tender with no reference at all;
- ``amount_differs``: both have the transaction, with other amounts;
- ``refund_differs``: a refund on the statement the ledger has no reversal for, a reversal whose refund is
  not on the statement, or the two with other amounts.

Each run is stored (``reconciliations``, one row per day and provider, replaced by a rerun) with its
mismatches (``reconciliation_mismatches``, one per day, provider, kind and reference); a mismatch's alarm
(``reconcile_<kind>``) is raised when it is first found, so a second run of the same day raises none again.
A mismatch a later run no longer finds is marked resolved.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import select

from upstream.alarms import raise_alarm
from upstream.db import Database
from upstream.models import Document, Reconciliation, ReconciliationMismatch, ScanOrder, Terminal
from upstream.payments.base import StatementLine

PROVIDERS = ("wechat", "alipay", "bank")
TENDER_OF = {"wechat": "wechat", "alipay": "alipay", "bank": "bank_card"}
KINDS = ("charged_not_recorded", "reference_unknown", "amount_differs", "refund_differs")


@dataclass
class Mismatch:
    kind: str
    reference: str | None
    order_no: str | None = None
    statement_fen: int | None = None
    ledger_fen: int | None = None
    terminal_id: str | None = None
    cashier: str | None = None
    document_id: str | None = None
    hall_code: str | None = field(default=None, repr=False)

    @property
    def ref_key(self) -> str:
        return self.reference if self.reference else f"doc:{self.document_id}"

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("hall_code")
        return data


@dataclass
class Result:
    date: date
    provider: str
    statement_lines: int
    ledger_payments: int
    matched: int
    statement_fen: int
    statement_refund_fen: int
    ledger_fen: int
    ledger_refund_fen: int
    mismatches: list[Mismatch]
    new_alarms: int = 0

    @property
    def reconciled(self) -> bool:
        return not self.mismatches

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "provider": self.provider, "statement_lines": self.statement_lines,
                "ledger_payments": self.ledger_payments, "matched": self.matched,
                "statement_fen": self.statement_fen, "statement_refund_fen": self.statement_refund_fen,
                "ledger_fen": self.ledger_fen, "ledger_refund_fen": self.ledger_refund_fen,
                "mismatches": [m.as_json() for m in self.mismatches]}


@dataclass
class _Entry:
    fen: int = 0
    document_id: str | None = None
    terminal_id: str | None = None
    cashier: str | None = None
    hall_code: str | None = None
    order_no: str | None = None


def _ledger(db: Database, day: date, provider: str):
    """(payments by reference, refunds by original reference, tenders without a reference, payment count)."""
    kind = TENDER_OF[provider]
    payments: dict[str, _Entry] = {}
    refunds: dict[str, _Entry] = {}
    unreferenced: list[Mismatch] = []
    count = 0
    with db.sessions() as s:
        halls = dict(s.execute(select(Terminal.id, Terminal.hall_code)).all())
        rows = s.execute(select(Document.id, Document.kind, Document.terminal_id, Document.body)
                         .where(Document.business_date == day, Document.status == "accepted",
                                Document.kind.in_(("payment", "reversal")))
                         .execution_options(yield_per=5000))
        for doc_id, doc_kind, terminal_id, body_text in rows:
            if f'"{kind}"' not in body_text:  # no tender of this kind: skip the JSON parse
                continue
            body = json.loads(body_text)
            tenders = [t for t in body.get("tenders", ()) if t.get("kind") == kind]
            if not tenders:
                continue
            count += doc_kind == "payment"
            order_no = (body.get("scan_intent_id") or "").replace("-", "") or None
            for t in tenders:
                reference = (t.get("reference") or "").strip() or None
                info = dict(document_id=doc_id, terminal_id=terminal_id, cashier=body.get("cashier"),
                            hall_code=halls.get(terminal_id))
                if reference is None:
                    if doc_kind == "payment":
                        unreferenced.append(Mismatch("reference_unknown", None, ledger_fen=t["amount_fen"], **info))
                    continue
                into = payments if doc_kind == "payment" else refunds
                entry = into.get(reference)
                if entry is None:
                    entry = into[reference] = _Entry(order_no=order_no, **info)
                entry.fen += t["amount_fen"]
    return payments, refunds, unreferenced, count, halls


def _scan_order_terminals(db: Database, order_nos: set[str]) -> dict[str, str]:
    """The terminal that asked for each scan order (merchant order number = the intent id without dashes)."""
    ids = {}
    for no in order_nos:
        if len(no) == 32 and all(c in "0123456789abcdef" for c in no):
            ids[f"{no[:8]}-{no[8:12]}-{no[12:16]}-{no[16:20]}-{no[20:]}"] = no
    found: dict[str, str] = {}
    with db.sessions() as s:
        keys = list(ids)
        for i in range(0, len(keys), 500):
            for intent_id, terminal_id in s.execute(select(ScanOrder.intent_id, ScanOrder.terminal_id)
                                                    .where(ScanOrder.intent_id.in_(keys[i:i + 500]))):
                found[ids[intent_id]] = terminal_id
    return found


def compare(db: Database, day: date, provider: str, lines: list[StatementLine]) -> Result:
    """The day's mismatches between ``lines`` (the provider's statement) and the ledger; nothing is written."""
    if provider not in PROVIDERS:
        raise ValueError(f"provider is one of {', '.join(PROVIDERS)}")
    payments, refunds, unreferenced, count, halls = _ledger(db, day, provider)
    stated: dict[str, StatementLine] = {}
    stated_fen: dict[str, int] = {}
    stated_refunds: dict[str, int] = {}
    refund_lines: dict[str, StatementLine] = {}
    for x in lines:
        if x.kind == "payment":
            stated.setdefault(x.provider_txn_id, x)
            stated_fen[x.provider_txn_id] = stated_fen.get(x.provider_txn_id, 0) + x.amount_fen
        else:
            refund_lines.setdefault(x.provider_txn_id, x)
            stated_refunds[x.provider_txn_id] = stated_refunds.get(x.provider_txn_id, 0) + x.amount_fen
    mismatches: list[Mismatch] = list(unreferenced)
    matched = 0
    ordered_by = _scan_order_terminals(db, {x.order_no for x in lines if x.order_no and x.provider_txn_id not in payments})
    refund_total = sum(stated_refunds.values())

    def who(e: _Entry) -> dict:
        return dict(terminal_id=e.terminal_id, cashier=e.cashier, document_id=e.document_id, hall_code=e.hall_code)

    for reference, fen in stated_fen.items():
        entry = payments.get(reference)
        line = stated[reference]
        if entry is None and reference not in refunds and stated_refunds.get(reference) == fen:
            # charged and given back in full the same day (a cancel/reverse after the charge, as Alipay states
            # it; WeChat leaves such an order out as REVOKED): nothing stands, nothing to record
            matched += 1
            del stated_refunds[reference]
            continue
        if entry is None:
            # whose customer was charged: the scan order the upstream placed (its merchant order number), else the
            # statement's own device/terminal column when it names one of ours
            terminal = ordered_by.get(line.order_no or "") or (line.terminal if line.terminal in halls else None)
            mismatches.append(Mismatch("charged_not_recorded", reference, line.order_no, fen, None, terminal,
                                       hall_code=halls.get(terminal) if terminal else None))
        elif entry.fen != fen:
            mismatches.append(Mismatch("amount_differs", reference, line.order_no or entry.order_no, fen, entry.fen,
                                       **who(entry)))
        else:
            matched += 1
    for reference, entry in payments.items():
        if reference not in stated_fen:
            mismatches.append(Mismatch("reference_unknown", reference, entry.order_no, None, entry.fen, **who(entry)))
    for reference in sorted(set(stated_refunds) | set(refunds)):
        entry, fen = refunds.get(reference), stated_refunds.get(reference)
        if entry is not None and fen == entry.fen:
            matched += 1
            continue
        line = refund_lines.get(reference)
        if entry is None:
            terminal = line.terminal if line is not None and line.terminal in halls else None
            mismatches.append(Mismatch("refund_differs", reference, line.order_no if line else None, fen, None,
                                       terminal, hall_code=halls.get(terminal) if terminal else None))
        else:
            mismatches.append(Mismatch("refund_differs", reference, (line.order_no if line else None) or entry.order_no,
                                       fen, entry.fen, **who(entry)))
    mismatches.sort(key=lambda m: (KINDS.index(m.kind), m.reference or "", m.document_id or ""))
    return Result(day, provider, len(lines), count, matched, sum(stated_fen.values()), refund_total,
                  sum(e.fen for e in payments.values()) + sum(m.ledger_fen or 0 for m in unreferenced),
                  sum(e.fen for e in refunds.values()), mismatches)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def record(db: Database, result: Result) -> Result:
    """Store the run (replacing the day's earlier run of this provider) and raise each new mismatch's alarm once."""
    now = _now()
    with db.transaction() as s:
        run = s.scalar(select(Reconciliation).where(Reconciliation.business_date == result.date,
                                                    Reconciliation.provider == result.provider).with_for_update())
        if run is None:
            run = Reconciliation(business_date=result.date, provider=result.provider)
            s.add(run)
        run.run_at = now
        run.statement_lines, run.statement_fen = result.statement_lines, result.statement_fen
        run.statement_refund_fen, run.ledger_payments = result.statement_refund_fen, result.ledger_payments
        run.ledger_fen, run.ledger_refund_fen = result.ledger_fen, result.ledger_refund_fen
        run.matched, run.mismatches = result.matched, len(result.mismatches)
        held = {(m.kind, m.ref_key): m for m in s.scalars(
            select(ReconciliationMismatch).where(ReconciliationMismatch.business_date == result.date,
                                                 ReconciliationMismatch.provider == result.provider))}
        seen = set()
        new = 0
        for m in result.mismatches:
            key = (m.kind, m.ref_key)
            seen.add(key)
            row = held.get(key)
            if row is None:
                row = ReconciliationMismatch(business_date=result.date, provider=result.provider, kind=m.kind,
                                             ref_key=m.ref_key, first_seen_at=now)
                s.add(row)
                new += 1
                raise_alarm(s, m.terminal_id, f"reconcile_{m.kind}", f"{result.provider}:{m.ref_key}"[:64], now,
                            date=result.date.isoformat(), provider=result.provider,
                            **{k: v for k, v in m.as_json().items() if k not in ("kind", "terminal_id")})
            row.reference, row.order_no = m.reference, m.order_no
            row.statement_fen, row.ledger_fen = m.statement_fen, m.ledger_fen
            row.terminal_id, row.hall_code, row.cashier, row.document_id = m.terminal_id, m.hall_code, m.cashier, \
                m.document_id
            row.last_seen_at, row.resolved_at = now, None
        for key, row in held.items():
            if key not in seen and row.resolved_at is None:
                row.resolved_at = now
        s.flush()
    result.new_alarms = new
    return result


def reconcile(db: Database, day: date, provider: str, lines: list[StatementLine]) -> Result:
    """Compare and store: the run's result, its new alarms counted in ``new_alarms``."""
    return record(db, compare(db, day, provider, lines))


def hall_day(db: Database, caller, day: date):
    """``ReconcileDay``: per provider, the day's run (statement figures), the caller's hall's payments with that
    provider's tenders, and the mismatches of the hall's terminals."""
    from cashier.sync import protocol as p
    from upstream.sql import read_only

    with read_only(db) as s:
        terminals = set(s.scalars(select(Terminal.id).where(Terminal.hall_code == caller.hall_code)))
        runs = {r.provider: r for r in s.scalars(select(Reconciliation).where(Reconciliation.business_date == day))}
        rows = s.scalars(select(ReconciliationMismatch).where(
            ReconciliationMismatch.business_date == day, ReconciliationMismatch.hall_code == caller.hall_code)
            .order_by(ReconciliationMismatch.resolved_at.is_not(None), ReconciliationMismatch.id)).all()
        held = [(m.provider, p.ReconcileMismatch(
            kind=m.kind, reference=m.reference, order_no=m.order_no, statement_fen=m.statement_fen, ledger_fen=m.ledger_fen,
            terminal_id=m.terminal_id, cashier=m.cashier, document_id=m.document_id, resolved=m.resolved_at is not None))
            for m in rows]
        runs = {k: (r.run_at, r.statement_lines, r.statement_fen, r.statement_refund_fen) for k, r in runs.items()}
        bodies = s.execute(select(Document.kind, Document.body).where(
            Document.business_date == day, Document.status == "accepted",
            Document.kind.in_(("payment", "reversal")), Document.terminal_id.in_(terminals))).all() \
            if terminals else []
    figures = {name: [0, 0, 0] for name in PROVIDERS}
    for kind, text in bodies:
        b = json.loads(text)
        for name in PROVIDERS:
            fen = sum(t["amount_fen"] for t in b.get("tenders", ()) if t.get("kind") == TENDER_OF[name])
            if fen:
                f = figures[name]
                if kind == "payment":
                    f[0] += 1
                    f[1] += fen
                else:
                    f[2] += fen
    providers = []
    for name in PROVIDERS:
        run = runs.get(name)
        run_at, lines, fen, refund_fen = run if run else (None, 0, 0, 0)
        f = figures[name]
        providers.append(p.ReconcileProvider(
            provider=name, reconciled_at=run_at, statement_lines=lines, statement_fen=fen,
            statement_refund_fen=refund_fen, hall_payments=f[0], hall_fen=f[1], hall_refund_fen=f[2],
            mismatches=[m for provider, m in held if provider == name]))
    return p.ReconcileDay(hall_code=caller.hall_code, business_date=day, providers=providers)
