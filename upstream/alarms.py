"""Alarms: what the upstream found wrong and a person must look at (conflicts, gaps, differences)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from upstream.models import Alarm


def raise_alarm(s: Session, terminal_id: str | None, kind: str, subject: str, at: datetime, **detail) -> None:
    s.add(Alarm(terminal_id=terminal_id, kind=kind, subject=subject, created_at=at,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)))
