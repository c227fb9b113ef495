"""``cashier.penalty.late_fee`` as DESIGN.md names it: the rule lives in ``cashier.rules.penalty``.

Kept so the documented interface stays importable; new code imports ``cashier.rules.penalty``.
"""

from cashier.rules.penalty import (  # noqa: F401
    DEFAULT_POLICY, ClassRates, CustomerClass, PenaltyBreakdown, PenaltyPolicy, PenaltySegment, late_fee,
    penalty_breakdown,
)
