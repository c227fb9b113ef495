"""The hall's day for the supervisor: per counter, net takings by tender, counts, hours, over/short."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime

from sqlalchemy import select

from cashier.rules.tenders import net_takings
from cashier.sync import protocol as p
from upstream.db import Database
from upstream.models import Document, Terminal
from upstream.sql import read_only
from upstream.terminals import Caller

log = logging.getLogger(__name__)


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
    with read_only(db) as s:
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
        by_tender, payments, reversals = net_takings(money)
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
