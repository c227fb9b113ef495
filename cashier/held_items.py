"""Uploads the upstream held (待班长处理): what it refused (``rejected``) or found in conflict, seen and
settled by a supervisor.

An outbox entry the upstream answers ``rejected`` or ``conflict`` is held: it is not sent again by
itself and the status bar counts it. Here a supervisor sees each one with the local record it
carries (the payment, reversal, cash movement or shift close), the upstream's reason in words,
and settles it with their credentials and a reason:

- ``retry``: back to ``pending``, sent at the next sync round: for a cause fixed upstream (an
  account that now exists, a refused document the upstream reopened). A conflict cannot be
  retried: the upstream holds other content under that id or receipt number, so it would
  conflict again.
- ``accept_upstream``: the upstream's answer stands; ``dismiss``: it is not sent again. Either way
  the outbox entry becomes ``resolved``.

Resolving never deletes nor changes a payment: the local record and its money stay counted in
the shift's totals, and the resolution (who, why, what the upstream had said) is kept in
``held_resolutions``, the approval and the audit log; it is announced on the event bus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cashier import audit, auth, events
from cashier.auth import Actor
from cashier.errors import DomainError
from cashier.i18n import Phrase, translate
from cashier.money import format_fen
from cashier.store.models import (
    Account, Approval, CashMovement, HELD_ACTIONS, HeldResolution, OutboxEntry, Payment, Shift, User,
)
from cashier.terminal import Terminal

HELD_STATUSES = ("rejected", "conflict")
REASON_LIMIT = 500
MALFORMED = "malformed:"


def reason_text(note: str | None, lang: str | None = None) -> str:
    """The upstream's reason in words: every known code translated, ``malformed: …`` with its detail,
    an unknown code verbatim (a newer upstream may say things this program does not know yet)."""
    if not note:
        return "-"
    if note.startswith(MALFORMED):
        return translate("sync.rejected.malformed", lang, detail=note[len(MALFORMED):].strip())
    key = f"sync.rejected.{note.strip()}"
    from cashier.messages import MESSAGES

    return translate(key, lang) if key in MESSAGES else note


def reason_code(note: str | None) -> str | None:
    """The code of a note (``malformed`` for ``malformed: …``)."""
    if not note:
        return None
    return "malformed" if note.startswith(MALFORMED) else note.strip()


def normal_action(action: str) -> str:
    """``accept-upstream`` as typed on a command line is ``accept_upstream``."""
    value = (action or "").strip().lower().replace("-", "_")
    if value not in HELD_ACTIONS:
        raise DomainError("held.bad_action", action=action)
    return value


@dataclass(frozen=True)
class LocalRecord:
    """The local document an outbox entry carries, as the supervisor knows it."""

    kind: str
    entity_id: str
    number: str  # receipt number (seq) or the shift's business date
    account_no: str | None
    amount_fen: int | None  # what it moved: applied + prepaid credit, refund, cash moved, counted cash
    counts_in_shift: bool  # its money is in this PC's shift totals (payments, reversals, cash movements)
    at: datetime | None
    words: dict[str, str]  # the parameters of its held.record.* message

    def describe(self, lang: str | None = None) -> str:
        if not self.words:
            return translate("held.record.missing", lang, kind=translate(f"held.kind.{self.kind}", lang),
                             id=self.entity_id)
        words = dict(self.words)
        if "direction" in words:
            words["direction"] = translate(f"held.direction.{words['direction']}", lang)
        return translate(f"held.record.{self.kind}", lang, **words)


@dataclass(frozen=True)
class HeldItem:
    outbox_id: int
    kind: str  # payment, reversal, cash_movement, shift_close, evaluation
    entity_id: str
    seq: int | None
    status: str  # rejected, conflict (held) or resolved
    note: str | None  # the upstream's reason as it answered (a code, or malformed: …)
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    record: LocalRecord

    @property
    def account_no(self) -> str | None:
        return self.record.account_no

    @property
    def amount_fen(self) -> int | None:
        return self.record.amount_fen

    @property
    def code(self) -> str | None:
        return reason_code(self.note)

    def reason(self, lang: str | None = None) -> str:
        return reason_text(self.note, lang)

    def kept(self, lang: str | None = None) -> str:
        """What stays of it here whatever the supervisor decides."""
        if self.record.counts_in_shift and self.record.amount_fen is not None:
            return translate("held.kept_money", lang, amount=format_fen(self.record.amount_fen))
        return translate("held.kept_record", lang)


@dataclass(frozen=True)
class Resolution:
    id: int
    action: str
    reason: str
    held_status: str
    upstream_note: str | None
    resolved_by: str
    resolved_at: datetime


@dataclass(frozen=True)
class HeldDetail:
    """``show``: the item, the body this PC sent, and every decision taken on it so far."""

    item: HeldItem
    payload: dict
    resolutions: list[Resolution]


_COLUMNS = (OutboxEntry.id, OutboxEntry.kind, OutboxEntry.entity_id, OutboxEntry.seq, OutboxEntry.status,
            OutboxEntry.last_error, OutboxEntry.attempts, OutboxEntry.created_at, OutboxEntry.sent_at,
            OutboxEntry.payload)


def _records(s: Session, rows, zone: str | None) -> dict[tuple[str, str], LocalRecord]:
    """The local record of each row, read in one query per kind."""
    names = dict(s.execute(select(User.id, User.display_name)).all())
    found: dict[tuple[str, str], LocalRecord] = {}
    money = [r.entity_id for r in rows if r.kind in ("payment", "reversal")]
    if money:
        payments = s.execute(
            select(Payment.id, Payment.kind, Payment.seq, Account.account_no, Payment.applied_fen + Payment.prepaid_credit_fen,
                   Payment.cashier_id, Payment.created_at, Payment.reverses_id)
            .join(Account, Account.id == Payment.account_id).where(Payment.id.in_(money))).all()
        originals = dict(s.execute(select(Payment.id, Payment.seq).where(
            Payment.id.in_([p.reverses_id for p in payments if p.reverses_id]))).all()) if payments else {}
        for p in payments:
            words = {"number": f"{p.seq:08d}", "account": p.account_no, "amount": format_fen(p[4]),
                     "cashier": names.get(p.cashier_id, str(p.cashier_id)), "at": local_stamp(p.created_at, zone)}
            if p.kind == "reversal":
                original = originals.get(p.reverses_id)
                words["original"] = f"{original:08d}" if original is not None else str(p.reverses_id)
            found[(p.kind, p.id)] = LocalRecord(p.kind, p.id, f"{p.seq:08d}", p.account_no, int(p[4]), True,
                                                p.created_at, words)
    moves = [r.entity_id for r in rows if r.kind == "cash_movement"]
    for m in s.scalars(select(CashMovement).where(CashMovement.id.in_(moves))) if moves else ():
        words = {"direction": m.direction, "number": f"{m.seq:08d}", "amount": format_fen(m.amount_fen),
                 "reason": m.reason, "at": local_stamp(m.created_at, zone)}
        found[("cash_movement", m.id)] = LocalRecord("cash_movement", m.id, f"{m.seq:08d}", None, m.amount_fen,
                                                     True, m.created_at, words)
    closes = [r.entity_id for r in rows if r.kind == "shift_close"]
    for sh in s.scalars(select(Shift).where(Shift.id.in_(closes))) if closes else ():
        words = {"date": sh.business_date.isoformat(), "cashier": names.get(sh.cashier_id, str(sh.cashier_id)),
                 "counted": format_fen(sh.counted_cash_fen or 0), "over_short": format_fen(sh.over_short_fen or 0)}
        found[("shift_close", sh.id)] = LocalRecord("shift_close", sh.id, sh.business_date.isoformat(), None,
                                                    sh.counted_cash_fen, False, sh.closed_at, words)
    rated = [r.entity_id for r in rows if r.kind == "evaluation"]
    if rated:
        from cashier.evaluations import RATINGS  # noqa: F401 - the ratings the words below name
        from cashier.store.models import Evaluation

        for ev, seq in s.execute(select(Evaluation, Payment.seq).join(Payment, Payment.id == Evaluation.payment_id)
                                 .where(Evaluation.id.in_(rated))):
            words = {"number": f"{seq:08d}", "rating": translate(f"evaluation.rating.{ev.rating}"),
                     "cashier": names.get(ev.cashier_id, str(ev.cashier_id)), "at": local_stamp(ev.created_at, zone)}
            found[("evaluation", ev.id)] = LocalRecord("evaluation", ev.id, f"{seq:08d}", None, None, False,
                                                       ev.created_at, words)
    return found


def local_stamp(at: datetime | None, zone: str | None = None) -> str:
    """A UTC stamp in the hall's time (or marked UTC when the zone is not known)."""
    if at is None:
        return "-"
    if zone is None:
        return at.strftime("%Y-%m-%d %H:%M") + " UTC"
    from datetime import timezone
    from zoneinfo import ZoneInfo

    return at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _items(s: Session, rows, zone: str | None) -> list[HeldItem]:
    records = _records(s, rows, zone)
    out = []
    for r in rows:
        record = records.get((r.kind, r.entity_id)) or LocalRecord(r.kind, r.entity_id, str(r.seq or "-"), None,
                                                                   None, False, None, {})
        if not record.words:  # no local row: take what the body says
            body = _body(r.payload)
            record = LocalRecord(r.kind, r.entity_id, str(r.seq or "-"), body.get("account_no"),
                                 body.get("amount_fen"), False, None, {})
        out.append(HeldItem(r.id, r.kind, r.entity_id, r.seq, r.status, r.last_error, r.attempts, r.created_at,
                            r.sent_at, record))
    return out


def _body(payload: str) -> dict:
    try:
        body = json.loads(payload)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def held_items(s: Session, *, include_resolved: bool = False, zone: str | None = None) -> list[HeldItem]:
    """Uploads held for a supervisor (and, asked, those already resolved), oldest first; times in ``zone``."""
    statuses = HELD_STATUSES + (("resolved",) if include_resolved else ())
    rows = s.execute(select(*_COLUMNS).where(OutboxEntry.status.in_(statuses)).order_by(OutboxEntry.id)).all()
    return _items(s, rows, zone)


def held_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status.in_(HELD_STATUSES))))


def _row(s: Session, outbox_id: int):
    row = s.execute(select(*_COLUMNS).where(OutboxEntry.id == outbox_id)).first()
    if row is None:
        raise DomainError("held.not_found", id=outbox_id)
    return row


def held_detail(s: Session, outbox_id: int, zone: str | None = None) -> HeldDetail:
    """One upload, held or not: its local record, the body sent, the upstream's answer and its resolutions."""
    row = _row(s, outbox_id)
    names = dict(s.execute(select(User.id, User.display_name)).all())
    resolutions = [Resolution(r.id, r.action, r.reason, r.held_status, r.upstream_note,
                              names.get(r.resolved_by, str(r.resolved_by)), r.resolved_at)
                   for r in s.scalars(select(HeldResolution).where(HeldResolution.outbox_id == outbox_id)
                                      .order_by(HeldResolution.id))]
    return HeldDetail(_items(s, [row], zone)[0], _body(row.payload), resolutions)


def resolve(t: Terminal, outbox_id: int, action: str, reason: str, supervisor_username: str,
            supervisor_password: str, signed_in: Actor | None = None) -> HeldItem:
    """A supervisor settles one held upload with their credentials and a reason; returns it as it is now.

    The credentials are checked as for any approval (a failure counts towards the supervisor's lockout);
    the resolution, its approval and audit entry and the outbox change are one transaction.
    """
    action = normal_action(action)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("auth.reason_required")
    if len(reason) > REASON_LIMIT:
        raise DomainError("held.reason_too_long", limit=REASON_LIMIT)
    with t.store.read() as s:
        _check_held(_row(s, outbox_id), action)
    # Who settles it is the supervisor whose password was typed, whoever is signed in (a supervisor may
    # settle from their own workspace: this is their decision, not an approval of someone else's request).
    approval_id = auth.authorize(t, None, supervisor_username, supervisor_password, "held_item", str(outbox_id),
                                 reason)
    now = t.clock.now()
    with t.store.transaction() as s:
        entry = s.get(OutboxEntry, outbox_id)
        _check_held(entry, action)  # another supervisor may have settled it in between
        approval = s.get(Approval, approval_id)
        approval.used_at = now
        held_status, note = entry.status, entry.last_error
        s.add(HeldResolution(outbox_id=entry.id, action=action, reason=reason, held_status=held_status,
                             upstream_note=note, resolved_by=approval.approved_by, approval_id=approval_id,
                             resolved_at=now))
        if action == "retry":
            entry.status, entry.last_error = "pending", None
        else:
            entry.status = "resolved"
        audit.record(s, now, approval.approved_by, "held.resolve", entry.entity_id, outbox=entry.id, kind=entry.kind,
                     seq=entry.seq, action=action, reason=reason, held_status=held_status, upstream=note,
                     approval=approval_id, signed_in=signed_in.user_id if signed_in else None)
        events.announce(s, events.HELD_RESOLVED, outbox_id=entry.id, entity_id=entry.entity_id, action=action)
    with t.store.read() as s:
        return held_detail(s, outbox_id, t.clock.timezone).item


def _check_held(row, action: str) -> None:
    if row.status not in HELD_STATUSES:
        raise DomainError("held.not_held", id=row.id, status=Phrase(f"held.status.{row.status}"))
    if action == "retry" and row.status == "conflict":
        raise DomainError("held.retry_conflict")
