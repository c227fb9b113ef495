"""Service evaluations (服务评价) as terminals uploaded them: counted per cashier and per day.

Each evaluation is a document of kind ``evaluation`` (upstream/push.py checks it rates an accepted payment of
the same terminal). Counts are by the payment's business date and the cashier named in the evaluation;
``unrated`` (nobody answered) is counted apart and never as satisfied; the satisfaction rate is
(非常满意 + 满意) / rated.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from upstream.db import Database
from upstream.models import Document, Terminal

RATINGS = ("very_satisfied", "satisfied", "unsatisfied", "unrated")


@dataclass
class CashierDay:
    business_date: str
    hall_code: str
    cashier: str
    very_satisfied: int = 0
    satisfied: int = 0
    unsatisfied: int = 0
    unrated: int = 0

    @property
    def rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.unsatisfied

    def rate_permille(self) -> int | None:
        """Satisfied share of the rated, in tenths of a percent (rounded half up); None when nobody rated."""
        if not self.rated:
            return None
        return ((self.very_satisfied + self.satisfied) * 2000 + self.rated) // (2 * self.rated)

    def as_dict(self) -> dict:
        rate = self.rate_permille()
        return asdict(self) | {"rated": self.rated, "satisfied_rate": None if rate is None else f"{rate / 10:.1f}%"}


def counts(db: Database, day: date, hall_code: str | None = None) -> list[CashierDay]:
    """Each cashier's ratings on ``day`` (of one hall, or every hall), by hall then cashier."""
    rows: dict[tuple[str, str], CashierDay] = {}
    with db.sessions() as s:
        halls = dict(s.execute(select(Terminal.id, Terminal.hall_code)).all())
        for terminal_id, body in s.execute(select(Document.terminal_id, Document.body).where(
                Document.kind == "evaluation", Document.status == "accepted", Document.business_date == day)):
            hall = halls.get(terminal_id) or ""
            if hall_code is not None and hall != hall_code:
                continue
            doc = json.loads(body)
            key = (hall, doc["cashier"])
            row = rows.setdefault(key, CashierDay(day.isoformat(), hall, doc["cashier"]))
            setattr(row, doc["rating"], getattr(row, doc["rating"]) + 1)
    return [rows[k] for k in sorted(rows)]
