"""cashier.rules.penalty: late-payment penalty (电费违约金), checked against hand-computed cases."""

from datetime import date
from decimal import Decimal

import pytest

from cashier.rules.penalty import (
    DEFAULT_POLICY,
    ClassRates,
    CustomerClass,
    PenaltyPolicy,
    late_fee,
    penalty_breakdown,
)

NO_MINIMUM = PenaltyPolicy(minimum_enabled=False)
D = date


@pytest.mark.parametrize(
    "principal, due, paid, cls, expected, why",
    [
        (10000, D(2026, 3, 25), D(2026, 4, 4), "residential", 100, "10 days x 1‰ of ￥100 = ￥1.00"),
        (11683, D(2025, 12, 25), D(2026, 3, 1), "residential", 771, "66 days x 1‰ = 771.078, residential has no later-year rate"),
        (98400, D(2026, 2, 25), D(2026, 3, 1), "commercial", 787, "4 days x 2‰ = 787.2"),
        (100000, D(2025, 12, 20), D(2026, 1, 10), "commercial", 5200, "11 days x 2‰ + 10 days x 3‰ = 52‰"),
        (50000, D(2024, 11, 30), D(2026, 2, 1), "industrial", 62650, "31 x 2‰ + (365 + 32) x 3‰ = 1253‰, two year ends"),
        (123457, D(2024, 12, 31), D(2026, 1, 2), "agricultural", 135926, "due 31 Dec: all 367 days in later years, x 3‰ = 135926.157"),
        (10000, D(2023, 12, 31), D(2024, 12, 31), "commercial", 10980, "leap year 2024: 366 days x 3‰"),
        (20000, D(2024, 2, 27), D(2024, 3, 1), "residential", 100, "28, 29 Feb and 1 Mar: 60 fen, charged at the ￥1 minimum"),
        (20000, D(2026, 3, 25), D(2026, 3, 25), "residential", 0, "paid on the due date"),
        (20000, D(2026, 3, 25), D(2026, 3, 1), "commercial", 0, "paid before the due date"),
        (0, D(2025, 1, 1), D(2026, 1, 1), "commercial", 0, "nothing outstanding"),
        (99_999_999_999, D(2026, 1, 1), D(2026, 1, 31), "commercial", 6_000_000_000, "30 x 2‰ of the largest amount = 5999999999.94"),
    ],
)
def test_late_fee_hand_computed(principal, due, paid, cls, expected, why):
    assert late_fee(principal, due, paid, cls) == expected, why


@pytest.mark.parametrize(
    "principal, due, paid, cls, expected, why",
    [
        (20000, D(2024, 2, 27), D(2024, 3, 1), "residential", 60, "leap day counts: 3 days x 1‰"),
        (1000, D(2026, 1, 10), D(2026, 1, 11), "residential", 1, "1 fen, no minimum"),
        (1500, D(2026, 1, 10), D(2026, 1, 11), "residential", 2, "1.5 rounds half up"),
        (2500, D(2026, 1, 10), D(2026, 1, 11), "residential", 3, "2.5 rounds half up, not to even"),
        (250, D(2025, 12, 30), D(2026, 1, 1), "commercial", 1, "0.5 + 0.75 = 1.25: summed exactly, rounded once"),
        (400, D(2026, 1, 10), D(2026, 1, 11), "residential", 0, "0.4 rounds to 0"),
    ],
)
def test_late_fee_without_minimum(principal, due, paid, cls, expected, why):
    assert late_fee(principal, due, paid, cls, NO_MINIMUM) == expected, why


def test_minimum_applies_only_to_a_penalty_above_zero():
    assert late_fee(1000, D(2026, 1, 10), D(2026, 1, 11), "residential") == 100
    assert late_fee(400, D(2026, 1, 10), D(2026, 1, 11), "residential") == 0  # 0.4 fen rounds to 0: no minimum
    assert late_fee(1000, D(2026, 1, 10), D(2026, 1, 10), "residential") == 0
    assert late_fee(200000, D(2026, 1, 10), D(2026, 1, 11), "residential") == 200  # above the minimum
    assert late_fee(1000, D(2026, 1, 10), D(2026, 1, 11), "residential", PenaltyPolicy(minimum_fen=50)) == 50


@pytest.mark.parametrize(
    "principal, rounded, charged",
    [
        (1, 0, 0),
        (499, 0, 0),  # 0.499 fen rounds to 0: nothing to charge, so no ￥1 minimum
        (500, 1, 100),  # 0.5 fen rounds half up to 1 fen: the minimum applies
        (99_000, 99, 100),
        (99_499, 99, 100),  # 99.499 fen
        (99_500, 100, 100),  # 99.5 fen rounds to 100: the penalty itself, not the minimum
        (100_499, 100, 100),
        (100_500, 101, 101),
    ],
)
def test_minimum_applies_to_a_penalty_that_rounds_to_1_fen_or_more_and_never_to_0(principal, rounded, charged):
    """DESIGN.md: a rounded penalty of 1 to 99 fen is charged as ￥1; one that rounds to 0 fen is 0."""
    one_day = (D(2026, 1, 10), D(2026, 1, 11), "residential")  # 1‰ of the principal: principal / 1000 fen
    assert late_fee(principal, *one_day, NO_MINIMUM) == rounded
    b = penalty_breakdown(principal, *one_day)
    assert b.amount_fen == charged == late_fee(principal, *one_day)
    assert b.minimum_applied == (0 < rounded < 100)


def test_breakdown_shows_days_and_rates_per_segment():
    b = penalty_breakdown(100000, D(2025, 12, 20), D(2026, 1, 10), CustomerClass.COMMERCIAL)
    assert b.days == 21
    assert [(s.days, s.per_mille) for s in b.segments] == [(11, Decimal(2)), (10, Decimal(3))]
    assert b.exact_fen == Decimal(5200) and b.amount_fen == 5200 and not b.minimum_applied
    small = penalty_breakdown(20000, D(2024, 2, 27), D(2024, 3, 1), "residential")
    assert small.minimum_applied and small.amount_fen == 100 and small.exact_fen == Decimal(60)


def test_partial_payment_restarts_accrual_after_settled_date():
    # 17050 fen left after a payment on 1 March; 10 more days at 1‰ = 170.5 → 171.
    assert late_fee(17050, D(2026, 2, 25), D(2026, 3, 11), "residential", settled_through=D(2026, 3, 1)) == 171
    # Settled into the next year: the later-year rate still counts from the due date's year.
    b = penalty_breakdown(100000, D(2025, 12, 1), D(2026, 1, 15), "commercial", settled_through=D(2026, 1, 5))
    assert [(s.days, s.per_mille) for s in b.segments] == [(10, Decimal(3))]
    assert b.amount_fen == 3000
    # A settled date before the due date changes nothing.
    assert late_fee(10000, D(2026, 3, 25), D(2026, 4, 4), "residential", settled_through=D(2026, 3, 1)) == 100


def test_policy_numbers_are_configurable():
    half = PenaltyPolicy(rates={**DEFAULT_POLICY.rates, CustomerClass.RESIDENTIAL: ClassRates(Decimal("0.5"), Decimal("0.5"))})
    assert late_fee(10000, D(2026, 3, 25), D(2026, 4, 4), "residential", half) == 100  # 50 fen → minimum
    assert late_fee(100000, D(2026, 3, 25), D(2026, 4, 4), "residential", half) == 500


def test_customer_class_accepts_plain_strings_and_refuses_unknown():
    assert late_fee(98400, D(2026, 2, 25), D(2026, 3, 1), CustomerClass.COMMERCIAL) == late_fee(
        98400, D(2026, 2, 25), D(2026, 3, 1), "commercial"
    )
    with pytest.raises(ValueError):
        late_fee(100, D(2026, 1, 1), D(2026, 2, 1), "household")


def test_principal_must_be_integer_fen():
    with pytest.raises(TypeError):
        late_fee(100.0, D(2026, 1, 1), D(2026, 2, 1), "residential")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        late_fee(-1, D(2026, 1, 1), D(2026, 2, 1), "residential")
