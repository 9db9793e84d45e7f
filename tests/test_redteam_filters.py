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


# ------------------------------------------------------------ the filter's enclosures, exactly


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.tuples(*[st.lists(FLOATS, min_size=k, max_size=k)] * 3)), FLOATS, st.lists(FLOATS, max_size=4))
def test_every_enclosure_holds_the_exact_value(layers, c, points):
    w, b, a = layers
    net = depth2(w, b, a, c)
    g = the_map(net)
    event(f"enclosures built: {bool(g.lo and g.ordered and g.finite)}")
    if not (g.lo and g.ordered and g.finite):
        return
    exact = exact_map(net)
    knots = sorted({-Fraction(bi) / Fraction(wi) for wi, bi in zip(w, b) if wi != 0})
    assert len(knots) == len(g.lo)
    for j, t in enumerate(knots):
        assert encloses((g.lo[j], g.hi[j]), t) and encloses(g.G[j], exact(t))
    inner = [(exact(right) - exact(left)) / (right - left) for left, right in zip(knots, knots[1:])]
    for piece, slope in zip(g.S, [exact.slopes[0], *inner, exact.slopes[-1]], strict=True):  # tails, then between knots
        assert encloses(piece, slope)
    probes = [p for p in [*points, 0.0, MAX, -MAX, *(float(t) for t in knots if abs(t) < MAX)] if math.isfinite(p)]
    for p in probes:
        assert encloses(g.at(p), exact(Fraction(p))), p
    ends = [-math.inf, math.inf, *probes]
    for lo in ends:
        for hi in ends:
            if lo < hi:
                low, high = exact.image(None if lo == -math.inf else Fraction(lo), None if hi == math.inf else Fraction(hi))
                image = g.image(lo, hi)
                assert (image[0] == -math.inf if low is None else encloses((image[0], math.inf), low)), (lo, hi)
                assert (image[1] == math.inf if high is None else encloses((-math.inf, image[1]), high)), (lo, hi)


def random_net(seed: int, kind: int) -> FloatNetwork:
    """Kind 0: normal weights at independent random scales; 1: specials in a third of the entries;
    2: breakpoints of equal slope sign one ulp apart or equal."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 5))
    spread = rng.choice([0.7, 1.5, 3.0])
    w, b, a, c = rng.normal(0, spread, k), rng.normal(0, spread, k), rng.normal(0, spread, k), rng.normal()
    if kind == 0:
        e = rng.integers(-300, 300)
        b, a, c = b * 10.0**e, a * rng.choice([1, 10.0**-e]), c * 10.0**e
        w = w * rng.choice([1, 10.0 ** rng.integers(-300, 300)])
    elif kind == 1:
        for array in (w, b, a):
            chosen = rng.random(k) < 0.3
            array[chosen] = rng.choice(SPECIAL, chosen.sum())
    else:
        w = rng.choice([1.0, -1.0, 0.5], k)
        for i in range(1, k):
            if rng.random() < 0.5:
                w[i] = w[i - 1]
                b[i] = rng.choice([b[i - 1], np.nextafter(b[i - 1], np.inf), np.nextafter(np.nextafter(b[i - 1], np.inf), np.inf)])
    return depth2(w, b, a, c)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 1, 2]))
def test_the_hull_holds_every_2_and_3_cycle(seed, kind):
    """H (the filter's) against the exact cycles found by brute force; an empty H means there are none."""
    with np.errstate(over="ignore"):
        net = random_net(seed, kind)
    if not all(np.isfinite(array).all() for array in (*net.weights, *net.biases)):
        return
    assert_sound(net)


@settings(max_examples=150, deadline=None)
@given(
    st.floats(-3, -0.05), st.floats(-3, -0.05), st.lists(st.floats(-2, 2), min_size=3, max_size=3),
    st.lists(st.floats(-3, 3), min_size=1, max_size=1), st.floats(-2, 2),
)
def test_falling_tails_are_bounded_through_f_squared(left, right, knots, middle, c):
    """Both tails fall, so neither envelope bounds H and the radius comes from f², whose tails have the slope
    left·right (above or below 1, mixed magnitudes included): every exact 2- and 3-cycle must still be inside."""
    knots = sorted(knots)
    if not knots[0] < knots[1] < knots[2]:
        return
    # slope `left` left of the first knot (the one neuron with w < 0), 0, then middle[0], then `right`
    w = [-1.0, 1.0, 1.0]
    b = [knots[0], -knots[1], -knots[2]]
    a = [-left, middle[0], right - middle[0]]
    net = depth2(w, b, a, c)
    g = the_map(net)
    event(f"radius finite: {g.radius() < math.inf}")
    assert_sound(net)


def assert_sound(net: FloatNetwork) -> None:
    """H holds every exact 2- and 3-cycle (brute force on ℝ), and "no period 3" is only proved when true."""
    g = the_map(net)
    if not (g.lo and g.ordered and g.finite):
        return
    f = exact_map(net)
    if f.piece_count > 8:
        return
    lo, hi = hull(g)
    for n in (2, 3):
        cycles = [x for x in f.iterate(n).fixed_points().points if minimal_period(f, x, n) == n]
        event(f"{n}-cycles: {bool(cycles)}")
        for x in cycles:
            assert lo < hi and encloses((lo, hi), x), (n, x)
    event(f"proved: {proves_no_period3(net)}")
    if proves_no_period3(net):
        assert not has_minimal_period(f, 3)


@pytest.mark.parametrize("w, a", [(-3.0, 1e300), (3.0, 1e300), (-3.0, -1e300), (3.0, -1e300)])
def test_at_the_floats_around_a_breakpoint_both_lines_count(w, a):
    """Breakpoint 1/3 (not a float) between a slope of ±3e300 and an exact 0: near it, only the line of
    the right side encloses g, and which side a float is on only the exact value knows."""
    g = _Map([w], [-w / 3], [a], 0.0)
    exact = lambda p: Fraction(a) * max(Fraction(w) * Fraction(p) - Fraction(w) / 3, 0)  # noqa: E731
    for p in (g.lo[0], float(Fraction(1, 3)), g.hi[0]):
        assert encloses(g.at(p), exact(p)), p


# ------------------------------------------------------------ planted period 3, near the thresholds and at every scale


def planted(xs, ys, left, right, exponent: int, rescale: list[int]) -> FloatNetwork:
    """The interpolant of (xs, ys), slope ``left`` on [x₀ − 1, x₀] and ``right`` beyond the last knot, as a
    ReLU net with distinct breakpoints (constant on [x₀ − 2, x₀ − 1], slope ``left`` again further left),
    then :func:`scaled`."""
    slopes = [left, *((ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j]) for j in range(len(xs) - 1)), right]
    w = [1.0, -1.0] + [1.0] * len(xs)
    b = [1 - xs[0], xs[0] - 2] + [-x for x in xs]
    a = [left, -left, *(slopes[j + 1] - slopes[j] for j in range(len(xs)))]
    return scaled(w, b, a, ys[0] - left, exponent, rescale)


def scaled(w, b, a, c, exponent: int, rescale: list[int]) -> FloatNetwork:
    """The net conjugated by x ↦ 2^exponent·x, with neuron i rescaled by 2^rescale[i] (a·relu(z) = 2^−r·a·relu(2^r·z)):
    the same map in floats but where a value leaves the float range or loses bits among the subnormals."""
    r = np.array(rescale)
    with np.errstate(over="ignore", under="ignore"):
        return depth2(np.ldexp(w, r - exponent), np.ldexp(b, r), np.ldexp(a, exponent - r), np.ldexp(c, exponent))


@st.composite
def planted_period3(draw):
    gaps = draw(st.lists(st.sampled_from([1, 2, 4, 8]), min_size=2, max_size=4))  # powers of 2: the slopes are exact floats
    xs = [draw(st.integers(-32, 32))]
    for gap in gaps:
        xs.append(xs[-1] + gap)
    cycle = sorted(draw(st.lists(st.sampled_from(xs), min_size=3, max_size=3, unique=True)))
    if draw(st.booleans()):
        cycle = [cycle[0], cycle[2], cycle[1]]
    ys = {x: draw(st.integers(-48, 48)) for x in xs}
    ys.update(zip(cycle, cycle[1:] + cycle[:1]))
    tails = st.sampled_from([0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1 - 2**-40, -1 - 2**-40])
    exponent = draw(st.integers(-900, 900))
    rescale = draw(st.lists(st.integers(-100, 100), min_size=len(xs) + 2, max_size=len(xs) + 2))
    return planted([x / 16 for x in xs], [ys[x] / 16 for x in xs], draw(tails), draw(tails), exponent, rescale)


@settings(max_examples=150, deadline=None)
@given(planted_period3())
def test_planted_3_cycles_at_every_scale_are_never_proved_absent(net):
    if all(np.isfinite(array).all() for array in (*net.weights, *net.biases)):
        assert_sound(net)


@pytest.mark.parametrize("exponent, rescale", [(0, 0), (-1000, 0), (1000, 1000)])
@pytest.mark.parametrize("cycle, left, right", [
    ([(0, 1), (1, 1.5), (1.5, 0)], 0.0, -3.0),    # rises by at most 1/2, falls by 3: largest slope 1/2, least -3
    ([(0, 1.5), (1, 0), (1.5, 1)], 0.0, 2.0),     # the other orientation: falls by 3/2, rises by 2
])
def test_lopsided_3_cycles(cycle, left, right, exponent, rescale):
    xs, ys = zip(*cycle)
    net = planted(list(xs), list(ys), left, right, exponent, [rescale] * 5)
    assert find_orbit(exact_map(net), 3) is not None and not proves_no_period3(net)


SCALES = [(0, 0), (-1000, 0), (1000, 0), (1000, 1000), (-1060, -1060), (500, -500)]
"""(exponent, rescale of every neuron): tiny or huge first-layer weights, output weights, biases (subnormal at −1060)."""


def skew_tent(bits: int, exponent: int, rescale: int) -> FloatNetwork:
    """1 − 2^bits·relu(c − x) − (1 + 4c)·relu(x − 2c), c = 2^−bits: 0 at 0, 1 on [c, 2c], below 0 at 1, so
    period 3 (Li and Yorke: a = c/2^bits ↦ c ↦ 1 ↦ f(1) < a), though its only negative slope is −1 − 2^(2−bits)."""
    c = 2.0**-bits
    return scaled([-1.0, 1.0], [c, -2 * c], [-(2.0**bits), -(1 + 4 * c)], 1.0, exponent, [rescale] * 2)


@pytest.mark.parametrize("bits", [3, 8, 30, 52])  # c < 1/4, so f(1) = −2c + 8c² < 0
@pytest.mark.parametrize("exponent, rescale", SCALES)
def test_skew_tents_whose_only_descent_is_within_4_ulps_of_minus_1(bits, exponent, rescale):
    net = skew_tent(bits, exponent, rescale)
    if not all(np.isfinite(array).all() for array in (*net.weights, *net.biases)):
        return
    assert find_orbit(exact_map(net), 3) is not None and not proves_no_period3(net)


@pytest.mark.parametrize("slope", [math.nextafter(PHI, 0), PHI, math.nextafter(PHI, 2), 1.62, 2.0])
@pytest.mark.parametrize("exponent, rescale", SCALES)
def test_tents_near_phi_at_extreme_scales(slope, exponent, rescale):
    """Tents with slopes s and −s and peak s/2 at 1/2: period 3 exactly when s ≥ φ, and float(φ) > φ."""
    net = planted([0.0, 0.5, 1.0], [0.0, slope / 2, 0.0], 0.0, -slope, exponent, [rescale] * 5)
    assert (find_orbit(exact_map(net), 3) is not None) == (slope >= PHI)
    if slope >= PHI:
        assert not proves_no_period3(net)


# ------------------------------------------------------------ slope exclusions in the orbit searches


def without_shortcut(function, *args, **kwargs):
    saved = orbits._excluded_by_slopes
    orbits._excluded_by_slopes = lambda powers, n: False
    try:
        return function(*args, **kwargs)
    finally:
        orbits._excluded_by_slopes = saved


# Slopes on both sides of the thresholds −1 and φ: 8/5 < 21/13 < φ < 34/21 < 13/8.
NEAR_THRESHOLDS = st.sampled_from([Q(v) for v in ("0", "1", "-1", "2", "-2", "1/2", "-1/2", "3/2", "-3/2", "8/5", "-8/5",
                                                   "13/8", "-13/8", "21/13", "-21/13", "34/21", "-34/21", "-17/16",
                                                   "-15/16", "-3", "3")])
MAPS = piecewise_linear_maps(max_breakpoints=4, coordinates=rationals(max_bits=3, min_value=-4, max_value=4), slopes=NEAR_THRESHOLDS)

FAMILIES = [
    PiecewiseLinear.affine(-1, 1),                                        # 1 − x: period 2 on ℝ but 1/2
    PiecewiseLinear.from_knots([0], [0], -2, "-1/2"),                     # −2x / −x/2: period 2 everywhere, no slope −1
    PiecewiseLinear.from_knots([0, 1, 3, 4, 5], [2, 3, 5, 0, 1], 0, 0),   # [0,1] → [2,3] → [4,5] → [0,1]: a family of period 3
    PiecewiseLinear.from_knots([0, 1, 2, 3], [1, 1, 0, 0], 0, 0),         # flat pieces
    PiecewiseLinear.from_knots([0, "1/2"], [0, 1], 0, -2),                # the tent
    PiecewiseLinear.from_knots([-1, 1], [1, 1], -1, -1),                  # slope exactly −1 on both tails, flat between
    PiecewiseLinear.from_knots([0, 1], [1, 0], "-1/2", "-3"),
]


def check_searches(f: PiecewiseLinear):
    core = core_interval(f)
    powers = Powers.on_cycle_hull(f, core)
    for n in (2, 3, 4, 6):
        brute = has_minimal_period(f, n)
        assert (find_orbit(f, n, core, powers=powers) is not None) == brute, n  # rising, each power from the last
        if n <= 3:
            assert (find_orbit(f, n) is not None) == bool(periodic_orbits(f, n)) == brute, n
    verdicts = [decide_chaos(f, max_pieces=2000), without_shortcut(decide_chaos, f, max_pieces=2000)]
    keys = [(v.chaos, v.largest_power_of_two_period, v.orbit, v.power_orbit, [(n, o is not None) for n, o in v.searched]) for v in verdicts]
    if "undecided" not in (verdicts[0].chaos, verdicts[1].chaos):
        assert keys[0] == keys[1]


@pytest.mark.parametrize("f", FAMILIES, ids=range(len(FAMILIES)))
def test_searches_on_maps_with_families_and_flat_pieces(f):
    check_searches(f)


@settings(max_examples=80, deadline=None)
@given(MAPS)
def test_searches_with_slopes_near_the_thresholds_agree_with_brute_force(f):
    event(f"period 2 excluded by slopes: {orbits._excluded_by_slopes(Powers.on_cycle_hull(f, core_interval(f)), 2)}")
    if f.piece_count <= 5:
        check_searches(f)
