"""Red-team attacks on the one-net interval filter (scalar_filter) and on the slope exclusions of the orbit searches.

The filter is checked piece by piece against exact rationals (every enclosure it builds holds the
exact value, at extreme magnitudes too), and end to end against the exact decision and a brute force
on all of ℝ; the slope exclusions against the same searches without them and the same brute force.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from test_filter import depth2
from verichaos.dynamics import core_interval, minimal_period
from verichaos.dynamics import orbits
from verichaos.dynamics.entropy import decide_chaos
from verichaos.dynamics.orbits import Powers, find_orbit, periodic_orbits
from verichaos.experiments.sampling import FloatNetwork
from verichaos.experiments.scalar_filter import _Map, proves_no_period3
from verichaos.network import Network
from verichaos.pwl import PiecewiseLinear, from_network
from verichaos.rational import Q
from verichaos.strategies import piecewise_linear_maps, rationals

RELU = ["relu", "identity"]
MAX = 1.7976931348623157e308
PHI = (1 + 5**0.5) / 2  # float ok: planted values, the nets' exact values are these floats
SPECIAL = [0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, PHI, -PHI, math.nextafter(PHI, 2), math.nextafter(-1.0, -2),
           math.nextafter(1.0, 2), 5e-324, -5e-324, 1e-323, -1e-323, 2.2250738585072014e-308, 1e-300, -1e-300,
           1e300, -1e300, 1e308, -1e308, MAX, -MAX]
FLOATS = st.sampled_from(SPECIAL) | st.floats(allow_nan=False, allow_infinity=False) | st.floats(-4, 4)


def exact_map(net: FloatNetwork) -> PiecewiseLinear:
    return from_network(Network.from_arrays(net.weights, net.biases, RELU))


def has_minimal_period(f: PiecewiseLinear, n: int) -> bool:
    """Brute force on all of ℝ, no hull and no slopes (intervals of fixed points of fⁿ: a few of their points)."""
    fixed = f.iterate(n).fixed_points()
    candidates = list(fixed.points)
    for lo, hi in fixed.intervals:
        ends = [x for x in (lo, hi) if x is not None]
        candidates += [lo, hi, (lo + hi) / 2] if len(ends) == 2 else [ends[0] - 1, ends[0] + 1] if ends else [Q(0), Q(1), Q(-1), Q(7, 3)]
    return any(minimal_period(f, x, n) == n for x in candidates)


def encloses(pair: tuple[float, float], exact) -> bool:
    """lo ≤ exact ≤ hi, an infinite end bounding everything and a NaN nothing."""
    lo, hi = pair
    return (lo == -math.inf or (lo == lo and lo != math.inf and Fraction(lo) <= exact)) and (
        hi == math.inf or (hi == hi and hi != -math.inf and exact <= Fraction(hi)))


def the_map(net: FloatNetwork) -> _Map:
    w, b = net.weights[0][:, 0].tolist(), net.biases[0].tolist()
    return _Map(w, b, net.weights[1][0].tolist(), float(net.biases[1][0]))


def hull(g: _Map) -> tuple[float, float]:
    """H as proves_no_period3 computes it (it holds every orbit of period ≥ 2)."""
    lo, hi = g.shrink(*g.image(-math.inf, math.inf))
    return (lo, hi) if lo >= hi else g.shrink(*g.tail_bounds(lo, hi))


# ------------------------------------------------------------ findings, fixed in scalar_filter.py


def test_the_value_far_left_of_the_first_breakpoint_is_enclosed():
    """g(x) = −1e−323·relu(1e308 − x): the left tail's slope 1e−323 gets the enclosure [0, 2e−323], and at
    p = −MAX the offset p − t₀ overflows to −∞, so 0·(−∞) made g's enclosure at p NaN, which image()
    silently dropped (min/max skip NaN): image([−MAX, 5e307]) claimed g ≥ −1.98e−15, but g(−MAX) = −2.76e−15."""
    g = _Map([-1.0], [1e308], [-1e-323], 0.0)
    exact = Fraction(-1e-323) * (Fraction(1e308) + Fraction(MAX))
    assert encloses(g.at(-MAX), exact)
    assert encloses(g.image(-MAX, 5e307), exact)


def test_nets_that_are_not_one_input_one_output_are_not_proved():
    """Only column 0 of a 2-input net was read (and "proved", though the exact path rejects the net);
    a 2-output net raised ValueError. The docstring promises False for every other kind of net."""
    two_inputs = FloatNetwork((np.array([[1.0, 5.0], [1.0, 0.0]]), np.array([[0.5, -0.25]])), (np.array([0.0, -0.5]), np.array([0.1])))
    two_outputs = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[0.5, -0.25], [1.0, 1.0]])), (np.array([0.0, -0.5]), np.array([0.1, 0.0])))
    assert proves_no_period3(depth2([1.0, 1.0], [0.0, -0.5], [0.5, -0.25], 0.1))  # the same net with one input: proved
    assert proves_no_period3(two_inputs) is False
    assert proves_no_period3(two_outputs) is False
