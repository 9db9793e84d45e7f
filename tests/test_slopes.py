"""Periods excluded by slopes (verichaos.dynamics.slopes) and the searches that use them (orbits.Powers)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.dynamics import core_interval, minimal_period
from verichaos.dynamics import orbits
from verichaos.dynamics.entropy import decide_chaos
from verichaos.dynamics.orbits import Powers, find_orbit
from verichaos.dynamics.slopes import excludes
from verichaos.pwl import PiecewiseLinear, from_network
from verichaos.strategies import activation_functions, networks, piecewise_linear_maps, rationals

PROPERTY = settings(max_examples=80, deadline=None)
# Slopes around the tests' thresholds (-1, 1, ±φ), so that both answers are common.
MAPS = piecewise_linear_maps(max_breakpoints=5, slopes=rationals(max_bits=3, min_value=-3, max_value=3))
TENT = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)


def has_minimal_period(f: PiecewiseLinear, n: int) -> bool:
    """Brute force on all of ℝ, no hull and no slopes: an isolated fixed point of fⁿ of minimal period n,
    or an interval of fixed points of fⁿ whose midpoint (or a point of it) has minimal period n."""
    fixed = f.iterate(n).fixed_points()
    candidates = list(fixed.points)
    for lo, hi in fixed.intervals:
        ends = [x for x in (lo, hi) if x is not None]
        candidates += [(lo + hi) / 2] if len(ends) == 2 else [ends[0] - 1, ends[0] + 1] if ends else [0]
    return any(minimal_period(f, x, n) == n for x in candidates)


@pytest.mark.parametrize("f, hull, cycle, expected", [
    (TENT, (0, 1), 2, False),                                               # slope -2 on the hull
    (TENT, (0, 1), 3, False),                                               # the tent has period 3
    (PiecewiseLinear.affine(-1, 1), (None, None), 2, False),                # slope exactly -1: 2-cycles everywhere
    (PiecewiseLinear.affine(-2, 0), (None, None), 3, True),                 # |slope| 2 > φ, but nonincreasing
    (PiecewiseLinear.from_knots([0], [0], "3/2", "-3/2"), (None, None), 3, True),   # |slopes| 3/2 < φ
    (PiecewiseLinear.from_knots([0], [0], "17/10", "-17/10"), (None, None), 3, False),  # 17/10 > φ: no proof
    (PiecewiseLinear.from_knots([0], [0], 2, "-1/2"), (None, None), 2, True),   # slopes > -1
    (TENT, (1, 1), 2, True),                                                # one point: no orbit of period >= 2
])
def test_known_maps(f, hull, cycle, expected):
    assert excludes(f, hull, cycle) is expected


def test_only_2_and_3_cycles():
    with pytest.raises(ValueError, match="2-cycles and 3-cycles only"):
        excludes(TENT, (0, 1), 5)


@PROPERTY
@given(MAPS, st.sampled_from([2, 3, 4, 6]))
def test_an_excluded_period_is_absent_by_brute_force(f, n):
    """The claim the searches rely on: excluded from the slopes of f^m on the cycle hull means no minimal period n."""
    core = core_interval(f)
    powers = Powers.on_cycle_hull(f, core)
    powers(n // 2 if n % 2 == 0 else n // 3)  # f^m at hand, as in a rising search
    if orbits._excluded_by_slopes(powers, n):
        assert not has_minimal_period(f, n)


@PROPERTY
@given(MAPS)
def test_the_exclusions_fire_on_these_maps(f):
    """Guards the test above against vacuity: on maps whose slopes all lie in (-1, φ), period 2 is excluded."""
    core = core_interval(f)
    gentle = all(-1 < s and s * s < s + 1 for s in f.slopes)
    if gentle:
        assert orbits._excluded_by_slopes(Powers.on_cycle_hull(f, core), 2)


@settings(max_examples=40, deadline=None)
@given(networks(depth=(2, 3), width=(1, 4), activations=activation_functions()))
def test_chaos_verdicts_are_the_same_without_the_shortcut(net):
    f = from_network(net)
    with_slopes = decide_chaos(f)
    saved = orbits._excluded_by_slopes
    orbits._excluded_by_slopes = lambda powers, n: False
    try:
        without = decide_chaos(f)
    finally:
        orbits._excluded_by_slopes = saved
    assert (with_slopes.chaos, with_slopes.largest_power_of_two_period, with_slopes.orbit) == (
        without.chaos, without.largest_power_of_two_period, without.orbit)


def test_a_rising_search_keeps_the_powers_it_was_asked_for():
    powers = Powers.on_cycle_hull(TENT, core_interval(TENT))
    fourth = powers(4)
    assert powers.known(4) is fourth and powers.known(2) is None and powers.known(1) is not None
    assert powers(2) == TENT.iterate(2, within=powers.domain).restricted(*powers.domain)
    assert find_orbit(TENT, 3, powers=powers) is not None
