"""Outward rounding by arithmetic (verichaos.experiments.rounding), which both interval filters build on."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.experiments.rounding import LARGEST, above, below

TINY_OR_ANY = st.floats(allow_nan=False, allow_infinity=False) | st.floats(-1e-300, 1e-300) | st.sampled_from([5e-324, -5e-324, 0.0, 2.0**-1022, 1.0, 2.0**53])


@settings(max_examples=500, deadline=None)
@given(TINY_OR_ANY, TINY_OR_ANY, st.sampled_from(["+", "-", "*", "/"]))
def test_outward_rounding_by_arithmetic_brackets_the_exact_result(x, y, operation):
    """below and above the rounded result of each operation bracket the exact one, subnormals included."""
    if operation == "/" and y == 0:
        return
    with np.errstate(all="ignore"):
        a, b = np.array([x]), np.array([y])
        rounded = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[operation]
        low, high = below(rounded)[0], above(rounded)[0]
    exact = {"+": Fraction(x) + Fraction(y), "-": Fraction(x) - Fraction(y), "*": Fraction(x) * Fraction(y), "/": Fraction(x) / Fraction(y) if y else 0}[operation]
    if math.isfinite(low) and math.isfinite(high):
        assert Fraction(low) <= exact <= Fraction(high)
        assert low < high


def test_an_overflow_keeps_the_largest_float_as_its_inner_bound():
    with np.errstate(over="ignore"):
        huge = np.array([LARGEST]) * 2
    assert below(huge)[0] <= LARGEST and above(huge)[0] == math.inf
    assert below(-huge)[0] == -math.inf and above(-huge)[0] >= -LARGEST
