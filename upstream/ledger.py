"""The upstream's services: enrollment, push (exactly once), change feed, snapshot, account dues.

Payments are applied to bills here with the terminal's own rules (``cashier.quote.quote_rows``
and ``cashier.payments.allocate``), on the payment's business date. Money is never refused:
if the bills moved since the terminal quoted them (a customer also paid through 95598), what
cannot go to a bill goes to the prepaid balance.

Lock order, the same in every writing transaction, so terminals never deadlock: the
terminal's row, then accounts by account number, then the ``change`` counter last (held only
from handing out numbers to commit).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator

from sqlalchemy import BigInteger, Integer, String, any_, bindparam, cast, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cashier.errors import DomainError
from cashier.payments import TenderLine, allocate, refund_tenders
from cashier.penalty import DEFAULT_POLICY, PenaltyPolicy
from cashier.quote import quote_rows
from cashier.sync import protocol as p
from upstream.db import Database
from upstream.models import Account, Alarm, Bill, Conflict, Counter, Document, DocumentAllocation, EnrollmentCode, Terminal

log = logging.getLogger(__name__)
_IDENT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


class LedgerError(Exception):
    """A refusal with an HTTP status and a stable code; ``message`` is for the person reading it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _normal_code(code: str) -> str:
    return code.replace("-", "").strip().upper()


# --- enrollment and authentication ------------------------------------------------------------

def create_enrollment_code(db: Database, hall_code: str, terminal_id: str, valid_hours: int = 72) -> str:
    """A one-time code that enrolls ``terminal_id`` of ``hall_code`` (creating the terminal if new)."""
    for label, value, most in (("hall", hall_code, 32), ("terminal", terminal_id, 16)):
        if not _IDENT.match(value or "") or len(value) > most:
            raise LedgerError(422, "bad_ident", f"{label} code {value!r}: 1-{most} letters, digits, - or _")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = utcnow()
    with db.transaction() as s:
        term = s.get(Terminal, terminal_id)
        if term is None:
            s.add(Terminal(id=terminal_id, hall_code=hall_code, contiguous_seq=0, max_seq=0))
        elif term.hall_code != hall_code:
            raise LedgerError(409, "terminal_other_hall",
                              f"terminal {terminal_id} belongs to hall {term.hall_code}, not {hall_code}")
        s.add(EnrollmentCode(code_hash=_sha(raw), hall_code=hall_code, terminal_id=terminal_id, created_at=now,
                             expires_at=now + timedelta(hours=valid_hours)))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def enroll(db: Database, code: str) -> p.EnrollResponse:
    """Exchange a one-time code for the terminal's credentials; the code works once."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    with db.transaction() as s:
        row = s.get(EnrollmentCode, _sha(_normal_code(code)))
        if row is None:
            raise LedgerError(403, "code_unknown", "enrollment code not recognised")
        if row.expires_at < now:
            raise LedgerError(403, "code_expired", "enrollment code expired; ask for a new one")
        # Claimed by a conditional update, so two terminals racing with one code cannot both win.
        claimed = s.execute(update(EnrollmentCode).where(EnrollmentCode.code_hash == row.code_hash,
                                                         EnrollmentCode.used_at.is_(None)).values(used_at=now))
        if claimed.rowcount != 1:
            raise LedgerError(403, "code_used", "enrollment code already used")
        term = s.get(Terminal, row.terminal_id, with_for_update=True)
        term.token_hash, term.enrolled_at, term.revoked_at = _sha(token), now, None
        return p.EnrollResponse(terminal_id=term.id, hall_code=term.hall_code, token=token)


def revoke(db: Database, terminal_id: str) -> None:
    with db.transaction() as s:
        term = s.get(Terminal, terminal_id)
        if term is None:
            raise LedgerError(404, "terminal_unknown", f"no terminal {terminal_id}")
        term.revoked_at = utcnow()
        term.token_hash = None


@dataclass(frozen=True)
class Caller:
    terminal_id: str
    hall_code: str


def authenticate(db: Database, token: str | None) -> Caller:
    if not token:
        raise LedgerError(401, "unauthenticated", "credentials required")
    with db.sessions() as s:
        term = s.scalar(select(Terminal).where(Terminal.token_hash == _sha(token)))
    if term is None or term.revoked_at is not None:
        raise LedgerError(401, "bad_credentials", "credentials not recognised or revoked")
    return Caller(term.id, term.hall_code)


def _in(s: Session, column, values):
    """``column IN values``; on PostgreSQL ``= ANY(array)``: one statement text whatever the count, parsed once."""
    values = list(values)
    if s.bind.dialect.name == "postgresql":
        kind = ARRAY(BigInteger) if isinstance(column.type, (BigInteger, Integer)) else ARRAY(String)
        return column == any_(cast(literal(values, kind), kind))
    return column.in_(values)


# --- change numbers ---------------------------------------------------------------------------

_BUMP = text("UPDATE counters SET value = value + :n WHERE name = 'change' RETURNING value")
_STAMP_ACCOUNT = update(Account.__table__).where(Account.__table__.c.id == bindparam("r_id")).values(
    change_no=bindparam("c_no"))
_STAMP_BILL = update(Bill.__table__).where(Bill.__table__.c.id == bindparam("r_id")).values(
    change_no=bindparam("c_no"))


def stamp_changes(s: Session, account_ids: Iterable[int], bill_ids: Iterable[int]) -> None:
    """Give every touched row a new change number. Call last: the counter's row lock is held to commit."""
    accounts, bills = sorted(set(account_ids)), sorted(set(bill_ids))
    n = len(accounts) + len(bills)
    if not n:
        return
    first = int(s.execute(_BUMP, {"n": n}).scalar_one()) - n + 1
    if accounts:
        s.execute(_STAMP_ACCOUNT, [{"r_id": a, "c_no": first + i} for i, a in enumerate(accounts)])
    if bills:
        s.execute(_STAMP_BILL, [{"r_id": b, "c_no": first + len(accounts) + i} for i, b in enumerate(bills)])


def high_water(s: Session) -> int:
    return int(s.scalar(select(Counter.value).where(Counter.name == "change")) or 0)


# --- the account and bill rows being worked on ------------------------------------------------

class _Acc:
    """An account row being worked on: the attributes ``quote_rows`` reads, plus what we change."""

    __slots__ = ("id", "account_no", "name", "address", "phone", "customer_class", "prepaid_balance_fen",
                 "supply_status", "prepaid_meter", "special_group", "version", "bills", "dirty")

    def __init__(self, row) -> None:
        for name in ("id", "account_no", "name", "address", "phone", "customer_class", "prepaid_balance_fen",
                     "supply_status", "prepaid_meter", "special_group"):
            setattr(self, name, getattr(row, name))
        self.version = row.change_no
        self.bills: dict[int, _Bill] = {}
        self.dirty = False


class _Bill:
    __slots__ = ("id", "bill_no", "period", "kwh", "principal_fen", "outstanding_fen", "due_date",
                 "penalty_settled_through", "dirty")

    def __init__(self, row) -> None:
        for name in self.__slots__[:-1]:
            setattr(self, name, getattr(row, name))
        self.dirty = False

    @property
    def sort_key(self):
        return (self.due_date, self.period, self.id)


_ACCOUNT_COLS = (Account.id, Account.account_no, Account.name, Account.address, Account.phone, Account.customer_class,
                 Account.prepaid_balance_fen, Account.supply_status, Account.prepaid_meter, Account.special_group,
                 Account.change_no)
_BILL_COLS = (Bill.id, Bill.account_id, Bill.bill_no, Bill.period, Bill.kwh, Bill.principal_fen, Bill.outstanding_fen,
              Bill.due_date, Bill.penalty_settled_through)


def _load_accounts(s: Session, numbers: set[str], extra_bill_ids: set[int]) -> dict[str, _Acc]:
    if not numbers:
        return {}
    query = select(*_ACCOUNT_COLS).where(_in(s, Account.account_no, sorted(numbers))).order_by(Account.account_no)
    if s.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    accounts = {row.account_no: _Acc(row) for row in s.execute(query)}
    by_id = {a.id: a for a in accounts.values()}
    if by_id:
        open_bills = (_in(s, Bill.account_id, by_id) & (Bill.outstanding_fen > 0) & Bill.cancelled.is_(False))
        where = open_bills | _in(s, Bill.id, sorted(extra_bill_ids)) if extra_bill_ids else open_bills
        for row in s.execute(select(*_BILL_COLS).where(where)):
            owner = by_id.get(row.account_id)
            if owner is not None:
                owner.bills[row.id] = _Bill(row)
    return accounts


def _open_bills(acc: _Acc) -> list[_Bill]:
    return sorted((b for b in acc.bills.values() if b.outstanding_fen > 0), key=lambda b: b.sort_key)


def apply_amount(acc: _Acc, amount_fen: int, waiver_fen: int, paid_on: date, policy: PenaltyPolicy,
                 reconnect: bool) -> list[tuple[_Bill, int, int, int, date | None]]:
    """Apply money to the account's bills; returns (bill, penalty, waived, principal, prev settled-through)."""
    bills = _open_bills(acc)
    quote = quote_rows(acc, bills, paid_on, policy)
    lines = []
    for waiver in dict.fromkeys((min(waiver_fen, quote.penalty_fen), 0)):
        try:
            lines = allocate(quote, amount_fen, waiver)
            break
        except DomainError:
            lines = []  # below the oldest penalty here: the money goes to the prepaid balance
    by_id = {b.id: b for b in bills}
    applied, out = 0, []
    for q, penalty, waived, principal in lines:
        bill = by_id[q.bill_id]
        prev = bill.penalty_settled_through
        bill.outstanding_fen -= principal
        if paid_on > bill.due_date:
            bill.penalty_settled_through = paid_on
        bill.dirty = True
        applied += penalty + principal
        out.append((bill, penalty, waived, principal, prev))
    acc.prepaid_balance_fen += amount_fen - applied
    if reconnect and acc.supply_status == "disconnected" and not _open_bills(acc):
        acc.supply_status = "reconnect_pending"
    acc.dirty = True
    return out




_PG_ARRAY = {"BigInteger": "bigint", "Integer": "bigint", "String": "text", "Text": "text", "Boolean": "boolean",
             "Date": "date", "DateTime": "timestamp"}


def _pg_type(column) -> str:
    kind = type(column.type).__name__
    if kind == "Variant" or kind not in _PG_ARRAY:
        kind = type(getattr(column.type, "impl", column.type)).__name__
    return _PG_ARRAY.get(kind, "text")


def _recordset(table, cols: list[str]) -> str:
    return "json_to_recordset(CAST(:rows AS json)) AS v(" + ", ".join(f"{c} {_pg_type(table.c[c])}" for c in cols) + ")"


def _rows_json(rows: list[dict], cols: list[str]) -> str:
    # One parameter, serialized by the json module in C: far cheaper than one array per column.
    return json.dumps([{c: r[c] for c in cols} for r in rows], ensure_ascii=False, default=str)


def bulk_insert(s: Session, table, rows: list[dict], *, skip_conflicts: bool = False) -> None:
    """Many rows in one statement: PostgreSQL gets one INSERT … SELECT FROM json_to_recordset, SQLite executemany."""
    if not rows:
        return
    if s.bind.dialect.name != "postgresql":
        stmt = _insert(s, table)
        s.execute(stmt.on_conflict_do_nothing() if skip_conflicts else stmt, rows)
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {_recordset(table, cols)}"
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    s.execute(text(sql), {"rows": _rows_json(rows, cols)})


def bulk_update(s: Session, table, key: str, rows: list[dict]) -> None:
    """Update many rows by ``key`` in one statement (PostgreSQL: UPDATE … FROM json_to_recordset), else executemany."""
    if not rows:
        return
    cols = [c for c in rows[0] if c != key]
    if s.bind.dialect.name != "postgresql":
        stmt = update(table).where(table.c[key] == bindparam("k__")).values({c: bindparam("v__" + c) for c in cols})
        s.execute(stmt, [{"k__": r[key], **{"v__" + c: r[c] for c in cols}} for r in rows])
        return
    names = [key] + cols
    sets = ", ".join(f"{c} = v.{c}" for c in cols)
    sql = f"UPDATE {table.name} AS t SET {sets} FROM {_recordset(table, names)} WHERE t.{key} = v.{key}"
    s.execute(text(sql), {"rows": _rows_json(rows, names)})


def _write_back(s: Session, accounts: Iterable[_Acc]) -> None:
    """Write the changed accounts and bills with their new change numbers. Call last: it takes the counter."""
    accs, bills = [], []
    for acc in accounts:
        if acc.dirty:
            accs.append(acc)
        bills.extend(b for b in acc.bills.values() if b.dirty)
    n = len(accs) + len(bills)
    if not n:
        return
    first = int(s.execute(_BUMP, {"n": n}).scalar_one()) - n + 1
    accs.sort(key=lambda a: a.id)
    bills.sort(key=lambda b: b.id)
    bulk_update(s, Account.__table__, "id", [
        {"id": a.id, "prepaid_balance_fen": a.prepaid_balance_fen, "supply_status": a.supply_status,
         "change_no": first + i} for i, a in enumerate(accs)])
    bulk_update(s, Bill.__table__, "id", [
        {"id": b.id, "outstanding_fen": b.outstanding_fen, "penalty_settled_through": b.penalty_settled_through,
         "change_no": first + len(accs) + i} for i, b in enumerate(bills)])


# --- push -------------------------------------------------------------------------------------

def _insert(s: Session, table):
    dialect = postgresql if s.bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _net_tenders(bodies: Iterable[dict]) -> tuple[dict[str, int], int, int]:
    """Net takings by tender (cash net of change, reversals subtracted), payments, reversals: as the terminal counts."""
    totals: dict[str, int] = {}
    payments = reversals = 0
    for body in bodies:
        sign = -1 if body["kind"] == "reversal" else 1
        payments += body["kind"] == "payment"
        reversals += body["kind"] == "reversal"
        for t in body["tenders"]:
            totals[t["kind"]] = totals.get(t["kind"], 0) + sign * t["amount_fen"]
        if body["change_fen"]:
            totals["cash"] = totals.get("cash", 0) - sign * body["change_fen"]
    return {k: v for k, v in sorted(totals.items()) if v}, payments, reversals


def _alarm(s: Session, terminal_id: str | None, kind: str, subject: str, at: datetime, **detail) -> None:
    s.add(Alarm(terminal_id=terminal_id, kind=kind, subject=subject, created_at=at,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)))


def push(db: Database, caller: Caller, request: p.PushRequest, policy: PenaltyPolicy = DEFAULT_POLICY) -> p.PushResponse:
    """Store and apply a batch of documents exactly once; answer each item."""
    now = utcnow()
    # The body as stored and hashed: the model's own JSON (fixed field order), made in pydantic's Rust core.
    items = [(it.kind, it.body, it.body.model_dump_json()) for it in request.items]
    for kind, body, _ in items:
        if body.terminal_id != caller.terminal_id:
            raise LedgerError(403, "other_terminal", f"document {body.id} belongs to terminal {body.terminal_id}")
        if kind in ("payment", "reversal") and body.kind != kind:
            raise LedgerError(422, "kind_mismatch", f"document {body.id} is a {body.kind}, sent as {kind}")
        if kind in ("payment", "reversal") and body.hall_code != caller.hall_code:
            raise LedgerError(403, "other_hall", f"document {body.id} belongs to hall {body.hall_code}")
    with db.transaction() as s:
        term = s.get(Terminal, caller.terminal_id, with_for_update=True)
        if term is None or term.revoked_at is not None:
            raise LedgerError(401, "bad_credentials", "credentials not recognised or revoked")
        ids = [body.id for _, body, _ in items]
        existing = {r.id: r for r in s.execute(
            select(Document.id, Document.kind, Document.body_hash, Document.status, Document.reason,
                   Document.terminal_id).where(_in(s, Document.id, ids)))}
        seqs = [body.seq for kind, body, _ in items if kind != "shift_close"]
        seq_owner = dict(s.execute(select(Document.seq, Document.id).where(
            Document.terminal_id == caller.terminal_id, _in(s, Document.seq, seqs))).all()) if seqs else {}

        results: dict[str, p.ItemResult] = {}
        fresh: list[tuple[str, object, dict, str]] = []
        batch_hash: dict[str, str] = {}
        for kind, body, raw in items:
            digest = p.body_hash(raw)
            known = existing.get(body.id)
            if body.id in batch_hash:
                status = "duplicate" if batch_hash[body.id] == digest else "conflict"
                results.setdefault(body.id, p.ItemResult(id=body.id, status=status))
                continue
            batch_hash[body.id] = digest
            if known is not None:
                if known.body_hash == digest and known.kind == kind:
                    status = "duplicate" if known.status == "accepted" else "rejected"
                    results[body.id] = p.ItemResult(id=body.id, status=status, reason=known.reason)
                else:
                    results[body.id] = _conflict(s, caller, kind, body, raw, digest, now, "id_reused")
                continue
            seq = getattr(body, "seq", None) if kind != "shift_close" else None
            if seq is not None and seq in seq_owner and seq_owner[seq] != body.id:
                results[body.id] = _conflict(s, caller, kind, body, raw, digest, now, "sequence_reused")
                continue
            if seq is not None:
                seq_owner[seq] = body.id
            fresh.append((kind, body, raw, digest))

        accounts = _load_accounts(
            s, {b.account_no for k, b, _, _ in fresh if k in ("payment", "reversal")},
            _reversed_bill_ids(s, [b.reverses_id for k, b, _, _ in fresh if k == "reversal"]))
        docs, allocs = [], []
        batch_allocs: dict[str, list] = {}
        shift_ids = {b.shift_id for k, b, _, _ in fresh if k != "shift_close"}
        closes = list(s.scalars(select(Document.id).where(Document.kind == "shift_close",
                                                          _in(s, Document.id, shift_ids)))) if shift_ids else []
        for kind, body, raw, digest in fresh:
            flags: list[str] = []
            status, reason = "accepted", None
            if kind in ("payment", "reversal"):
                acc = accounts.get(body.account_no)
                if acc is None:
                    status, reason = "rejected", "unknown_account"
                elif kind == "payment":
                    lines = apply_amount(acc, body.amount_fen, body.penalty_waived_fen, body.business_date, policy,
                                         body.reconnect_requested)
                    batch_allocs[body.id] = [(b.id, pen, w, pr, prev) for b, pen, w, pr, prev in lines]
                    allocs.extend({"document_id": body.id, "bill_id": b.id, "penalty_fen": pen,
                                   "penalty_waived_fen": w, "principal_fen": pr, "prev_settled_through": prev}
                                  for b, pen, w, pr, prev in lines)
                else:
                    status, reason = _apply_reversal(s, acc, body, batch_allocs, docs, now, caller)
                if status == "accepted" and body.shift_id in closes:
                    flags.append("after_shift_close")
                    _alarm(s, caller.terminal_id, "after_shift_close", body.id, now, shift_id=body.shift_id,
                           amount_fen=body.amount_fen)
            elif kind == "cash_movement" and body.shift_id in closes:
                flags.append("after_shift_close")
            docs.append({
                "id": body.id, "kind": kind, "terminal_id": caller.terminal_id,
                "seq": None if kind == "shift_close" else body.seq, "status": status, "reason": reason,
                "body_hash": digest, "body": raw,
                "account_no": getattr(body, "account_no", None),
                "shift_id": body.id if kind == "shift_close" else body.shift_id,
                "amount_fen": getattr(body, "amount_fen", 0), "business_date": getattr(body, "business_date", None),
                "received_at": now, "after_shift_close": bool(flags),
                "reverses_id": body.reverses_id if kind == "reversal" and status == "accepted" else None,
            })
            if kind == "shift_close":
                closes.append(body.id)
                flags.extend(_check_close(s, caller, body, docs, now))
            results[body.id] = p.ItemResult(id=body.id, status=status, reason=reason, flags=flags)

        if docs:
            bulk_insert(s, Document.__table__, docs, skip_conflicts=True)
            inserted = s.scalar(select(func.count()).select_from(Document).where(
                _in(s, Document.id, [d["id"] for d in docs]), Document.received_at == now))
            if inserted != len(docs):  # cannot happen while the terminal's row is locked; refuse rather than half-apply
                raise LedgerError(409, "concurrent_push", "documents arrived twice at once; retry")
        bulk_insert(s, DocumentAllocation.__table__, allocs)
        _advance_sequence(s, term, now)
        term.last_seen_at = now
        s.flush()
        _write_back(s, accounts.values())
        contiguous = term.contiguous_seq
    return p.PushResponse(results=[results[i] for i in dict.fromkeys(ids)], contiguous_seq=contiguous,
                          server_time=now.replace(tzinfo=timezone.utc))


def _conflict(s, caller, kind, body, raw, digest, now, why) -> p.ItemResult:
    stmt = _insert(s, Conflict.__table__).values(
        document_id=body.id, terminal_id=caller.terminal_id, kind=kind, body_hash=digest,
        body=raw, received_at=now).on_conflict_do_nothing()
    if s.execute(stmt).rowcount:
        _alarm(s, caller.terminal_id, "conflict", body.id, now, why=why)
    return p.ItemResult(id=body.id, status="conflict", reason=why)


def _reversed_bill_ids(s: Session, originals: list[str]) -> set[int]:
    if not originals:
        return set()
    return set(s.scalars(select(DocumentAllocation.bill_id).where(_in(s, DocumentAllocation.document_id, originals))))


def _money_lines(allocations: Iterable[dict]) -> list[tuple[int, int, int, int]]:
    """(bill, penalty, waived, principal) in a fixed order; the period is the bill's label, not money."""
    return sorted((a["bill_id"], a["penalty_fen"], a["penalty_waived_fen"], a["principal_fen"]) for a in allocations)


def _tender_lines(tenders: Iterable) -> list[tuple[str, int, str]]:
    return sorted((t.kind, t.amount_fen, t.reference or "") for t in tenders)


def _reversal_mismatch(body: p.PaymentBody, original: dict) -> str | None:
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


def _apply_reversal(s, acc: _Acc, body, batch_allocs, docs, now, caller) -> tuple[str, str | None]:
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
    why = _reversal_mismatch(body, json.loads(raw))
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
        _alarm(s, caller.terminal_id, "reversal_balance", body.id, now, credit_fen=credit,
               balance_fen=acc.prepaid_balance_fen)
    acc.prepaid_balance_fen = max(0, acc.prepaid_balance_fen - credit)
    if acc.supply_status == "reconnect_pending" and _open_bills(acc):
        acc.supply_status = "disconnected"
    acc.dirty = True
    return "accepted", None


def _check_close(s: Session, caller: Caller, body: p.ShiftCloseBody, docs: list[dict], now) -> list[str]:
    """Compare the shift's totals as the terminal closed it with the payments held here."""
    held = [json.loads(b) for b in s.scalars(select(Document.body).where(
        Document.shift_id == body.id, Document.kind.in_(("payment", "reversal")), Document.status == "accepted"))]
    held += [json.loads(d["body"]) for d in docs
             if d["shift_id"] == body.id and d["kind"] in ("payment", "reversal") and d["status"] == "accepted"]
    by_tender, payments, reversals = _net_tenders(held)
    theirs = {k: v for k, v in sorted(body.by_tender.items()) if v}
    if (by_tender, payments, reversals) == (theirs, body.payments, body.reversals):
        return []
    _alarm(s, caller.terminal_id, "shift_difference", body.id, now,
           terminal={"by_tender": theirs, "payments": body.payments, "reversals": body.reversals},
           upstream={"by_tender": by_tender, "payments": payments, "reversals": reversals})
    return ["totals_differ"]


def _advance_sequence(s: Session, term: Terminal, now: datetime) -> None:
    held = list(s.scalars(select(Document.seq).where(Document.terminal_id == term.id,
                                                      Document.seq > term.contiguous_seq).order_by(Document.seq)))
    contiguous = term.contiguous_seq
    for seq in held:
        if seq != contiguous + 1:
            break
        contiguous = seq
    if held:
        term.max_seq = max(term.max_seq, held[-1])
    term.contiguous_seq = contiguous
    open_gap = s.scalar(select(Alarm).where(Alarm.terminal_id == term.id, Alarm.kind == "sequence_gap",
                                            Alarm.cleared_at.is_(None)))
    if term.max_seq > contiguous and open_gap is None:
        _alarm(s, term.id, "sequence_gap", str(contiguous + 1), now, missing_from=contiguous + 1,
               highest=term.max_seq)
    elif term.max_seq == contiguous and open_gap is not None:
        open_gap.cleared_at = now


# --- pull -------------------------------------------------------------------------------------

def _account_row(r) -> p.AccountRow:
    return p.AccountRow(
        account_no=r.account_no, name=r.name, address=r.address, phone=r.phone, meter_no=r.meter_no,
        customer_class=r.customer_class, prepaid_meter=r.prepaid_meter, supply_status=r.supply_status,
        special_group=r.special_group, station=r.station, transformer_area=r.transformer_area, collector=r.collector,
        prepaid_balance_fen=r.prepaid_balance_fen, change_no=r.change_no)


def _bill_row(r, account_no: str) -> p.BillRow:
    return p.BillRow(bill_no=r.bill_no, account_no=account_no, period=r.period, kwh=r.kwh,
                     principal_fen=r.principal_fen, due_date=r.due_date, outstanding_fen=r.outstanding_fen,
                     penalty_settled_through=r.penalty_settled_through, cancelled=r.cancelled, change_no=r.change_no)


@contextmanager
def _read(db: Database) -> Iterator[Session]:
    """A read-only transaction with one snapshot for all its statements."""
    with db.sessions() as s:
        if db.engine.dialect.name == "postgresql":
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield s
        finally:
            s.rollback()


def changes(db: Database, cursor: int, limit: int) -> p.ChangesPage:
    """Accounts and bills changed after ``cursor``, at most ``limit`` rows, in change order."""
    with _read(db) as s:
        floor = int(s.scalar(select(Counter.value).where(Counter.name == "feed_floor")) or 0)
        if cursor < floor:
            raise LedgerError(410, "refetch", f"cursor {cursor} is older than {floor}: take a new snapshot")
        top = high_water(s)  # every number up to here is committed
        window = (cursor, top)
        accounts = s.execute(select(Account).where(Account.change_no > window[0], Account.change_no <= window[1])
                             .order_by(Account.change_no).limit(limit)).scalars().all()
        bills = s.execute(select(Bill, Account.account_no).join(Account, Account.id == Bill.account_id)
                          .where(Bill.change_no > window[0], Bill.change_no <= window[1])
                          .order_by(Bill.change_no).limit(limit)).all()
        merged = sorted([(a.change_no, 0, a) for a in accounts] + [(b.change_no, 1, (b, no)) for b, no in bills],
                        key=lambda x: x[0])[:limit]
        # Rows may be left only when a list came back full; otherwise everything up to ``top`` was seen.
        more = len(accounts) == limit or len(bills) == limit
        next_cursor = merged[-1][0] if more else max(cursor, top)
        return p.ChangesPage(
            accounts=[_account_row(x) for _, k, x in merged if k == 0],
            bills=[_bill_row(x[0], x[1]) for _, k, x in merged if k == 1],
            next_cursor=next_cursor, more=more)


_SNAP_ACCOUNT = [c for c in p.AccountRow.model_fields]
_SNAP_BILL = [c for c in p.BillRow.model_fields if c != "account_no"]


def snapshot_json(db: Database, after: str | None, limit: int, as_of: int | None) -> str:
    """A snapshot page (``SnapshotPage``) as JSON: a new terminal (or one told to refetch) pulls millions of them.

    On PostgreSQL the database writes the page's JSON itself (``_snapshot_json_pg``): building it from rows in
    Python was most of the upstream's time in a snapshot; elsewhere it is built from plain rows."""
    if db.engine.dialect.name == "postgresql":
        return _snapshot_json_pg(db, after, limit, as_of)
    return _snapshot_json_rows(db, after, limit, as_of)


def _pg_snapshot_sql(after: bool) -> str:
    accounts = ", ".join(_SNAP_ACCOUNT)
    bills = ", ".join(("pg.account_no" if c == "account_no" else f"b.{c}") for c in p.BillRow.model_fields)
    return (
        f"WITH pg AS (SELECT id, {accounts} FROM accounts {'WHERE account_no > :after ' if after else ''}"
        f"ORDER BY account_no LIMIT :n) "
        f"SELECT (SELECT coalesce(json_agg(r), '[]')::text FROM (SELECT {accounts} FROM pg ORDER BY account_no) r), "
        f"(SELECT coalesce(json_agg(r), '[]')::text FROM (SELECT {bills} FROM bills b JOIN pg ON pg.id = b.account_id "
        # = ANY(ARRAY(…)): the page's bills probed by account (ix_bills_account_due), never a scan of every bill
        f"WHERE b.account_id = ANY(ARRAY(SELECT id FROM pg)) AND b.outstanding_fen > 0 AND NOT b.cancelled ORDER BY b.account_id, b.due_date) r), "
        f"(SELECT count(*) FROM pg), (SELECT max(account_no) FROM pg)")


_PG_SNAPSHOT = {True: text(_pg_snapshot_sql(True)), False: text(_pg_snapshot_sql(False))}


def _snapshot_json_pg(db: Database, after: str | None, limit: int, as_of: int | None) -> str:
    with _read(db) as s:
        if as_of is None:
            as_of = high_water(s)
        params = {"n": limit, "after": after} if after else {"n": limit}
        accounts, bills, count, last = s.execute(_PG_SNAPSHOT[bool(after)], params).one()
    next_after = last if count == limit else None
    return (f'{{"accounts":{accounts},"bills":{bills},"as_of":{int(as_of)},'
            f'"next_after":{json.dumps(next_after)}}}')


def _snapshot_json_rows(db: Database, after: str | None, limit: int, as_of: int | None) -> str:
    a_cols = [Account.__table__.c[c] for c in _SNAP_ACCOUNT]
    b_cols = [Bill.__table__.c[c] for c in _SNAP_BILL]
    with _read(db) as s:
        if as_of is None:
            as_of = high_water(s)
        query = select(Account.id, *a_cols).order_by(Account.account_no).limit(limit)
        if after:
            query = query.where(Account.account_no > after)
        accounts = s.execute(query).all()
        by_id = {r[0]: r[1 + _SNAP_ACCOUNT.index("account_no")] for r in accounts}
        bills = s.execute(select(Bill.account_id, *b_cols).where(
            _in(s, Bill.account_id, by_id), Bill.outstanding_fen > 0, Bill.cancelled.is_(False))
            .order_by(Bill.account_id, Bill.due_date)).all() if by_id else []
    page = {
        "accounts": [dict(zip(_SNAP_ACCOUNT, r[1:])) for r in accounts],
        "bills": [dict(zip(_SNAP_BILL, r[1:]), account_no=by_id[r[0]]) for r in bills],
        "as_of": as_of,
        "next_after": accounts[-1][1 + _SNAP_ACCOUNT.index("account_no")] if len(accounts) == limit else None,
    }
    return json.dumps(page, ensure_ascii=False, default=str, separators=(",", ":"))


def snapshot(db: Database, after: str | None, limit: int, as_of: int | None) -> p.SnapshotPage:
    """Accounts after ``after`` (by number) with their open bills; ``as_of`` is fixed by the first page."""
    return p.SnapshotPage.model_validate_json(snapshot_json(db, after, limit, as_of))


def account_dues(db: Database, account_no: str, on: date, policy: PenaltyPolicy = DEFAULT_POLICY) -> p.AccountDues:
    with _read(db) as s:
        acc = s.scalar(select(Account).where(Account.account_no == account_no))
        if acc is None:
            raise LedgerError(404, "unknown_account", f"no account {account_no}")
        bills = s.execute(select(Bill).where(Bill.account_id == acc.id, Bill.outstanding_fen > 0,
                                             Bill.cancelled.is_(False))
                          .order_by(Bill.due_date, Bill.period, Bill.id)).scalars().all()
        work = _Acc(acc)
        quote = quote_rows(work, [_Bill(b) for b in bills], on, policy)
        return p.AccountDues(account=_account_row(acc), bills=[_bill_row(b, acc.account_no) for b in bills], on=on,
                             penalty_fen=quote.penalty_fen, total_due_fen=quote.total_due_fen)


def _utc_hour(stamp) -> datetime | None:
    """The naive UTC hour of a stored timestamp; one stored with an offset (before pushes were normalised, or by an
    adapter) is the same instant in UTC, so one document never makes the hall's day unreadable."""
    try:
        at = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    return p.as_utc(at).replace(minute=0, second=0, microsecond=0)


def hall_day(db: Database, caller: Caller, business_date: date) -> p.HallDay:
    """The caller's hall on ``business_date``: per counter, net takings by tender, counts, payments per hour
    (the UTC hour of the terminal's stamp) and its closed shifts' over/short; for the supervisor's view."""
    with _read(db) as s:
        rows = s.execute(
            select(Document.terminal_id, Document.kind, Document.body)
            .join(Terminal, Terminal.id == Document.terminal_id)
            .where(Terminal.hall_code == caller.hall_code, Document.business_date == business_date,
                   Document.status == "accepted", Document.kind.in_(("payment", "reversal", "shift_close")))
            .order_by(Document.terminal_id)).all()
    by_terminal: dict[str, list] = {}
    for terminal_id, kind, body in rows:
        by_terminal.setdefault(terminal_id, []).append((kind, json.loads(body)))
    days = []
    for terminal_id, docs in by_terminal.items():
        money = [b for k, b in docs if k in ("payment", "reversal")]
        closes = [b for k, b in docs if k == "shift_close"]
        by_tender, payments, reversals = _net_tenders(money)
        hours: dict[datetime, list[int]] = {}
        for b in money:
            at = _utc_hour(b.get("created_at"))
            if at is None:
                log.warning("document %s: created_at %r is not a timestamp; left out of the hours", b.get("id"),
                            b.get("created_at"))
                continue
            sign = -1 if b["kind"] == "reversal" else 1
            h = hours.setdefault(at, [0, 0])
            h[0] += b["kind"] == "payment"
            h[1] += sign * b["amount_fen"]
        days.append(p.HallTerminalDay(
            terminal_id=terminal_id, by_tender=by_tender, payments=payments, reversals=reversals,
            by_hour=[p.HourCount(at=at, payments=n, net_fen=fen) for at, (n, fen) in sorted(hours.items())],
            shifts_closed=len(closes), over_short_fen=sum(c["over_short_fen"] for c in closes)))
    return p.HallDay(hall_code=caller.hall_code, business_date=business_date, terminals=days)


# --- other channels and housekeeping ---------------------------------------------------------

def pay_other_channel(db: Database, account_no: str, amount_fen: int, channel: str, paid_on: date,
                      policy: PenaltyPolicy = DEFAULT_POLICY) -> str:
    """A payment made through 95598, an app or a bank, applied here like any other."""
    from cashier.ids import uuid7

    now, doc_id = utcnow(), uuid7()
    with db.transaction() as s:
        accounts = _load_accounts(s, {account_no}, set())
        if account_no not in accounts:
            raise LedgerError(404, "unknown_account", f"no account {account_no}")
        lines = apply_amount(accounts[account_no], amount_fen, 0, paid_on, policy, reconnect=True)
        raw = {"id": doc_id, "channel": channel, "account_no": account_no, "amount_fen": amount_fen,
               "paid_on": paid_on.isoformat()}
        s.add(Document(id=doc_id, kind="channel", terminal_id=None, seq=None, status="accepted", reason=channel,
                       body_hash=p.body_hash(raw), body=json.dumps(raw, ensure_ascii=False), account_no=account_no,
                       amount_fen=amount_fen, business_date=paid_on, received_at=now, after_shift_close=False))
        s.flush()
        for bill, penalty, waived, principal, prev in lines:
            s.add(DocumentAllocation(document_id=doc_id, bill_id=bill.id, penalty_fen=penalty,
                                     penalty_waived_fen=waived, principal_fen=principal, prev_settled_through=prev))
        s.flush()
        _write_back(s, accounts.values())
    return doc_id


def compact_feed(db: Database, floor: int) -> int:
    """Forget cancelled bills changed up to ``floor``: terminals with an older cursor are told to refetch."""
    with db.transaction() as s:
        floor = min(floor, high_water(s))
        current = int(s.scalar(select(Counter.value).where(Counter.name == "feed_floor")) or 0)
        if floor <= current:
            return current
        used = select(DocumentAllocation.bill_id)
        s.execute(Bill.__table__.delete().where(Bill.cancelled.is_(True), Bill.change_no <= floor, ~Bill.id.in_(used)))
        s.execute(update(Counter).where(Counter.name == "feed_floor").values(value=floor))
        return floor
