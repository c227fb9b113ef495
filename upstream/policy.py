"""The penalty policy the upstream applies and distributes: it belongs to the utility, not to a hall PC.

The operator names a TOML file at ``serve --penalty-policy FILE``; without one the supply
rules' numbers apply, labelled ``default``. Every change page and snapshot page carries the
policy (``PenaltyPolicyBody``: the label, the numbers and their digest), terminals quote with
the one they hold and send its digest with each payment; a payment quoted with other numbers
is flagged ``policy_mismatch`` and raises an alarm (it is still applied, with the upstream's
numbers: money is never refused).

The file::

    version = "2026-01"          # your label, shown on terminals and in alarms
    minimum_fen = 100            # the ￥1 minimum penalty, in fen
    minimum_enabled = true
    [rates.commercial]           # ‰ per day; classes left out keep the supply rules' rates
    same_year = "2"
    later_year = "3"
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from cashier.rules.penalty import DEFAULT_POLICY, PenaltyPolicy, policy_digest, policy_document
from cashier.sync import protocol as p

DEFAULT_VERSION = "default"


class PolicyFileError(Exception):
    """A policy file that cannot be used; the message says which line or value and why."""


def policy_body(policy: PenaltyPolicy = DEFAULT_POLICY, version: str = DEFAULT_VERSION) -> p.PenaltyPolicyBody:
    return p.PenaltyPolicyBody(version=version, digest=policy_digest(policy), **policy_document(policy))


DEFAULT_POLICY_BODY = policy_body()


def load_policy_file(path: Path) -> p.PenaltyPolicyBody:
    """The policy in ``path`` (TOML), checked: a known class, rates 0–100 ‰ per day, a version label."""
    from cashier.settings import PenaltySettings

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyFileError(f"{path}: not TOML: {exc}") from None
    version = raw.pop("version", None)
    if not isinstance(version, str) or not version.strip() or len(version) > 64:
        raise PolicyFileError(f"{path}: needs version = \"…\" (1-64 characters), the label terminals show")
    try:
        policy = PenaltySettings.model_validate(raw).policy()
        return policy_body(policy, version.strip())
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise PolicyFileError(f"{path}: {problems}") from None


def check_payment(body: p.PaymentBody, held: p.PenaltyPolicyBody) -> str | None:
    """``policy_mismatch`` when the terminal quoted the payment with other numbers than the upstream's, else None.

    A terminal too old to say which numbers it used is not flagged: nothing is known.
    """
    if body.kind != "payment" or body.policy_digest is None or body.policy_digest == held.digest:
        return None
    return "policy_mismatch"
