"""The penalty policy in force at this counter: the upstream's once it has sent one, else this PC's settings.

The policy belongs to the utility: the upstream hands it out with every change and snapshot
page, the sync module keeps the newest here (``sync_state``), and every quote and payment uses
it. A hall without an upstream computes with its ``[penalty]`` settings. Each payment carries
the digest of the numbers it was quoted with, so the upstream can tell when a counter computed
with other numbers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier.rules.penalty import PenaltyPolicy, policy_digest
from cashier.store.models import SyncState
from cashier.sync import protocol as p

log = logging.getLogger(__name__)
STATE_KEY = "penalty_policy"


@dataclass(frozen=True)
class PolicyInForce:
    policy: PenaltyPolicy
    digest: str
    version: str | None  # the upstream's label; None when this PC's own settings are in force

    @property
    def from_upstream(self) -> bool:
        return self.version is not None


_parsed: dict[str, PolicyInForce] = {}  # stored JSON → parsed: a quote reads one row, parses only on change


def _read(s: Session) -> str | None:
    return s.scalar(select(SyncState.value).where(SyncState.key == STATE_KEY))


def held_policy(s: Session) -> PolicyInForce | None:
    """The policy the upstream last sent, or None if it never sent one."""
    raw = _read(s)
    if raw is None:
        return None
    held = _parsed.get(raw)
    if held is None:
        body = p.PenaltyPolicyBody.model_validate_json(raw)
        held = PolicyInForce(body.policy(), body.digest, body.version)
        _parsed.clear()
        _parsed[raw] = held
    return held


def policy_in_force(s: Session, local: PenaltyPolicy) -> PolicyInForce:
    """What quotes and payments compute with now: the upstream's policy, or ``local`` (the settings')."""
    return held_policy(s) or PolicyInForce(local, policy_digest(local), None)


def hold(s: Session, body: p.PenaltyPolicyBody) -> bool:
    """Keep the policy a page brought; True when it differs from the one held (said in the log)."""
    raw = body.model_dump_json()
    before = _read(s)
    if before == raw:
        return False
    row = s.get(SyncState, STATE_KEY)
    if row is None:
        s.add(SyncState(key=STATE_KEY, value=raw))
    else:
        row.value = raw
    log.warning("penalty policy from the upstream: version %s (%s) now in force", body.version, body.digest)
    return True
