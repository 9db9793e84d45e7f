"""The Markov graph of a periodic orbit, its exact spectral radius and the Collatz–Wielandt bound
(verichaos.dynamics.markov).

A cyclic permutation θ of {1, …, m} is realised by its P-linear map: the map
through the points (i, θ(i)), constant beyond 1 and m, whose orbit P = {1, …, m}
has exactly the Markov graph of θ (Alsedà–Llibre–Misiurewicz)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.dynamics import Orbit
from verichaos.dynamics.markov import collatz_wielandt_ratio, markov_bound, markov_matrix, spectral_radius
from verichaos.pwl import PiecewiseLinear
from verichaos.rational import Q

X = sympy.Symbol("x")


def p_linear(cycle: list[int]) -> PiecewiseLinear:
    """The P-linear map of the cycle c₀ → c₁ → … → c₀ on points 1, …, m."""
    image = {cycle[i]: cycle[(i + 1) % len(cycle)] for i in range(len(cycle))}
    points = sorted(image)
    return PiecewiseLinear.from_knots(points, [image[p] for p in points], 0, 0)


def orbit_of(f: PiecewiseLinear, m: int) -> Orbit:
    return Orbit.through(f, Q(1), m)


def polynomial(coefficients) -> sympy.Poly:
    return sympy.Poly(list(reversed(coefficients)), X)


def assert_sound(bound) -> None:
    """Every claim of a MarkovBound, re-derived exactly."""
    matrix, vector, ratio = bound.matrix, bound.vector, bound.ratio
    assert all(v >= 0 for v in vector) and any(v > 0 for v in vector) and max(vector) < 10**13
    for row, v in zip(matrix, vector):
        assert sum(a * b for a, b in zip(row, vector)) >= ratio * v  # (Mv)_i >= r v_i, in integers and rationals
    charpoly = sympy.Matrix(matrix).charpoly(X)
    minimal = polynomial(bound.minimal_polynomial)
    assert minimal.is_irreducible and charpoly.rem(minimal).is_zero
    lo, hi = bound.enclosure
    assert lo <= hi and ratio <= hi
    low, high = (sympy.Rational(int(e.numerator), int(e.denominator)) for e in (lo, hi))
    if lo == hi:  # λ rational (an integer): the ball is exact
        assert minimal.eval(low) == 0 and bound.algebraic == low
    else:
        assert minimal.eval(low) * minimal.eval(high) < 0  # a root of the minimal polynomial in (lo, hi)
        assert low < bound.algebraic < high
    eigenvalues = np.linalg.eigvals(np.array(matrix, dtype=float))  # float ok: a cross-check, not a decision
    assert abs(max(abs(eigenvalues)) - float(lo)) < 1e-6


def test_tent_three_cycle_gives_the_golden_ratio():
    tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
    bound = markov_bound(tent, Orbit((Q(2, 7), Q(4, 7), Q(6, 7))))
    assert bound.matrix == ((0, 1), (1, 1))
    assert bound.minimal_polynomial == (-1, -1, 1) and bound.spectral_radius == "1/2 + sqrt(5)/2"
    assert Q(1618, 1000) < bound.ratio < Q(16181, 10000)
    assert_sound(bound)


def test_stefan_five_cycle():
    """Štefan's 5-cycle 3 → 4 → 2 → 5 → 1 → 3: λ ≈ 1.51288 is the largest root of x⁵ − 2x³ − 1."""
    f = p_linear([3, 4, 2, 5, 1])
    bound = markov_bound(f, orbit_of(f, 5))
    # I₁ = [1, 2] → [3, 5] ⊇ I₃, I₄;  I₂ → [4, 5] = I₄;  I₃ → [2, 4] ⊇ I₂, I₃;  I₄ → [1, 2] = I₁
    assert bound.matrix == ((0, 0, 1, 1), (0, 0, 0, 1), (0, 1, 1, 0), (1, 0, 0, 0))
    assert polynomial([-1, 0, 0, -2, 0, 1]).rem(polynomial(bound.minimal_polynomial)).is_zero
    assert Q(15128, 10000) < bound.ratio < bound.enclosure[1] < Q(15129, 10000)
    assert_sound(bound)


def test_doubled_period_3_orbit_needs_zeros_in_the_vector():
    """The period-6 orbit of the doubled tent map: the three small intervals
    inside the pairs of points are permuted cyclically (a closed class with
    ρ = 1), so v must vanish there; λ² is the golden ratio."""
    f = PiecewiseLinear.from_knots([0, "1/6", "2/3", 1], [Q(2, 3), 1, 0, Q(1, 3)], 0, 0)
    orbit = Orbit.through(f, Q(2, 27), 6)
    assert orbit.period == 6
    bound = markov_bound(f, orbit)
    assert bound.minimal_polynomial == (-1, 0, -1, 0, 1)
    assert 0 in bound.vector and bound.ratio > Q(127, 100)
    assert_sound(bound)


def test_spectral_radius_separates_factors_and_handles_nilpotent_and_permutation_matrices():
    assert spectral_radius(((0, 1), (0, 0))).minimal_polynomial == (0, 1)  # λ = 0, minimal polynomial x
    assert spectral_radius(((0, 1), (1, 0))).minimal_polynomial == (-1, 1)  # λ = 1
    radius = spectral_radius(((1, 1, 0), (1, 0, 0), (0, 0, 1)))  # golden ratio beside an isolated 1
    assert radius.minimal_polynomial == (-1, -1, 1)


def test_ratio_is_the_exact_minimum_over_the_support():
    assert collatz_wielandt_ratio(((1, 1), (1, 0)), (3, 2)) == Q(3, 2)
    assert collatz_wielandt_ratio(((1, 1), (0, 1)), (1, 0)) == 1  # the zero entry imposes nothing


@st.composite
def cycles(draw, max_points: int = 9) -> list[int]:
    m = draw(st.integers(3, max_points).filter(lambda n: n & (n - 1)))  # not a power of 2
    return draw(st.permutations(range(1, m + 1)))


@settings(max_examples=60, deadline=None)
@given(cycles())
def test_random_cycles_not_a_power_of_2_give_a_sound_bound_above_1(cycle):
    f = p_linear(cycle)
    orbit = orbit_of(f, len(cycle))
    assert orbit.period == len(cycle)
    bound = markov_bound(f, orbit)
    assert bound.matrix == markov_matrix(f, orbit)
    assert bound.ratio > 1  # BGMY: a period that is not a power of 2 has λ > 1
    assert_sound(bound)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 8).flatmap(lambda m: st.permutations(range(1, m + 1))))
def test_cycles_of_any_period_give_a_true_bound(cycle):
    f = p_linear(list(cycle))
    bound = markov_bound(f, orbit_of(f, len(cycle)))
    assert_sound(bound)


def test_an_orbit_of_one_point_has_no_intervals():
    with pytest.raises(ValueError, match="at least 2 points"):
        markov_bound(PiecewiseLinear.affine(0, 1), Orbit((Q(1),)))
