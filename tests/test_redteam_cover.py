"""Red-team attacks on the f³ cover (verichaos.experiments.cover_filter) and on the hull it is given
(scalar_filter's tail_bounds and _Map.radius, the f² path for falling tails included).

The strongest check here is local. Each block the cover passes claims on its own that it holds no point of
minimal period 3; the hull only decides which blocks are built. So ``covers_without_period3(g, W)`` must be
False for every window W that holds an exact period-3 point, even a window that is not a hull and a net that
would never reach the cover. The windows are a few ulps, 2⁻³⁰·|x| (the gap half-width) and 2⁻²⁰·|x| around each
exact 3-cycle point, and they cross whole families of them (f³ = id on an interval, f ≠ id). The rest is checked
end to end against the exact decision: nets a few ulps and 2⁻ʲ from a border collision, planted 3-cycles next to
breakpoints, conjugation by powers of two, 200 neurons around a planted tent, and the radius against every exact
2- and 3-cycle where it is tight to a few ulps (the 2-cycles out on both falling tails).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from test_scalar_filter import has_period3, he
from test_filter import depth2
import test_redteam_filters
from test_redteam_filters import exact_map as exact
from test_redteam_filters import hull, planted, planted_period3, scaled, the_map
from verichaos.dynamics import minimal_period
from verichaos.experiments.cover_filter import _Arrays, _RunExtremes, covers_without_period3
from verichaos.experiments.scalar_filter import proves_no_period3
from verichaos.rational import Q


def assert_sound(net) -> None:
    """:func:`test_redteam_filters.assert_sound` (every exact 2- and 3-cycle in H, no wrong proof) outside Hypothesis."""
    saved = test_redteam_filters.event
    test_redteam_filters.event = lambda *_: None
    try:
        test_redteam_filters.assert_sound(net)
    finally:
        test_redteam_filters.event = saved


def finite_net(net) -> bool:
    return all(np.isfinite(array).all() for array in (*net.weights, *net.biases))


def period3_points(f):
    """The exact points of minimal period 3 of f that are isolated fixed points of f³, and the intervals on which
    f³ is the identity (every point there has minimal period 3 but the fixed points of f)."""
    fixed = f.iterate(3).fixed_points()
    return [x for x in fixed.points if minimal_period(f, x, 3) == 3], list(fixed.intervals)


def holds_period3(f, points, intervals, lo: float, hi: float) -> bool:
    """Whether [lo, hi] holds a point of minimal period 3: an isolated one, or one of a family (the ends and the
    middle of the overlap with an interval where f³ = id, at least one of which f does not fix unless f = id there)."""
    low, high = Q(lo), Q(hi)
    if any(low <= x <= high for x in points):
        return True
    for a, b in intervals:
        start, end = max(low, a) if a is not None else low, min(high, b) if b is not None else high
        if start <= end and any(minimal_period(f, x, 3) == 3 for x in (start, end, (start + end) / 2)):
            return True
    return False


def windows_around(x) -> list[tuple[float, float]]:
    """Closed float windows holding x: its float neighbours, then ±ulps, ±2⁻³⁰·|x| (the gap) and ±2⁻²⁰·|x|, lopsided too."""
    y = float(x)
    lo = y if Fraction(y) <= x else math.nextafter(y, -math.inf)
    hi = y if Fraction(y) >= x else math.nextafter(y, math.inf)
    if lo == hi:
        lo, hi = math.nextafter(lo, -math.inf), math.nextafter(hi, math.inf)
    m = max(abs(y), 2.0**-1000)
    out = [(lo, hi)]
    for d in (m * 2.0**-52, m * 2.0**-30, m * 2.0**-20):
        out += [(lo - d, hi + d), (lo - d, hi), (lo, hi + 3 * d)]
    return out


def assert_windows_sound(net, extra: list[tuple[float, float]] = ()) -> int:
    """No window around an exact period-3 point is passed, nor any ``extra`` window that holds one; returns the
    number of period-3 points found (for non-vacuity)."""
    g = the_map(net)
    if not (g.lo and g.ordered and g.finite):
        return 0
    f = exact(net)
    points, intervals = period3_points(f)
    for x in points:
        for window in windows_around(x):
            assert not covers_without_period3(g, window), (float(x), window)
    for lo, hi in extra:
        if lo < hi and covers_without_period3(g, (lo, hi)):
            assert not holds_period3(f, points, intervals, lo, hi), (lo, hi)
    return len(points) + len(intervals)


# ------------------------------------------------------------ local claims: windows around exact 3-cycle points


@settings(max_examples=40, deadline=None)
@given(planted_period3())
def test_windows_around_planted_3_cycles_at_every_scale_are_never_passed(net):
    """The planted cycles sit exactly on breakpoints of f (so of f³), conjugated by 2^±900 and rescaled per neuron."""
    if finite_net(net):
        event(f"period-3 points: {assert_windows_sound(net) > 0}")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3, 4, 6]), st.sampled_from([1.0, 1.4, 2.5]))
def test_windows_around_the_3_cycles_of_random_nets_are_never_passed(seed, k, spread):
    """The first of a few random nets with period 3 (most have it), windows around its cycles and across its hull."""
    rng = np.random.default_rng(seed)
    for _ in range(30):
        net = depth2(rng.normal(0, spread, k), rng.normal(0, spread, k), rng.normal(0, 2 * spread, k), rng.normal())
        if exact(net).piece_count <= 8 and has_period3(net):
            break
    else:
        return
    g = the_map(net)
    lo, hi = hull(g) if g.lo and g.ordered and g.finite else (-1.0, 1.0)
    extra = [(float(u), float(v)) for u, v in np.sort(rng.uniform(-3, 3, (4, 2)), axis=1)]
    if math.isfinite(lo) and math.isfinite(hi):
        extra += [(lo, hi), (lo, (lo + hi) / 2), ((lo + hi) / 2, hi)]
    event(f"period-3 points: {assert_windows_sound(net, extra) > 0}")


FAMILY = ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 5.0, 4.0, 1.0, 0.0])
"""[0, 1] → [2, 3] by x + 2, → [4, 5] by 7 − x, → [0, 1] by 5 − x: f³ = id on [0, 1] (slopes 1, −1, −1), f ≠ id."""


@pytest.mark.parametrize("exponent, rescale", [(0, 0), (-1000, 0), (1000, 0), (600, -300), (-1040, -20)])
def test_a_family_of_3_cycles_with_slopes_of_both_signs_is_never_passed(exponent, rescale):
    net = planted(*FAMILY, 0.0, 0.0, exponent, [rescale] * 8)
    if not finite_net(net):
        pytest.skip("out of the float range")
    f = exact(net)
    points, intervals = period3_points(f)
    assert intervals and has_period3(net) and not proves_no_period3(net)
    g = the_map(net)
    s = 2.0**exponent
    for lo, hi in [(0.25, 0.75), (0.5, 0.5 + 2**-40), (-0.5, 0.0), (1.0, 1.5), (2.4, 2.6), (4.5, 4.5 + 2**-30), (-1.0, 6.0)]:
        lo, hi = lo * s, hi * s
        if lo < hi:
            assert holds_period3(f, points, intervals, lo, hi) and not covers_without_period3(g, (lo, hi)), (lo, hi)


@pytest.mark.parametrize("delta", [2.0**-60, 2.0**-30, 2.0**-10, 0.25])
def test_f_cubed_a_translation_with_slope_1_is_decided_soundly(delta):
    """The family pushed off by δ: f³ = x + δ on most of [0, 1], slope exactly 1 with no fixed point there."""
    xs, ys = FAMILY
    net = planted(xs, [*ys[:4], 1.0 + delta, delta], 0.0, 0.0, 0, [0] * 8)
    assert_sound(net)
    g, f = the_map(net), exact(net)
    points, intervals = period3_points(f)
    for lo, hi in [(0.0, 1.0), (0.25, 0.75), (0.5 - delta, 0.5 + delta), hull(g)]:
        if covers_without_period3(g, (lo, hi)):
            assert not holds_period3(f, points, intervals, lo, hi)


TENT = planted([0.0, 0.5, 1.0], [0.0, 1.0, 0.0], 0.0, -2.0, 0, [0] * 5)
"""The full tent, slopes ±2: the 3-cycles {2/7, 4/7, 6/7} and {2/9, 4/9, 8/9}, transversal (f³ has slope ±8)."""


def with_neurons(net, w, b, a):
    return depth2([*net.weights[0][:, 0], *w], [*net.biases[0], *b], [*net.weights[1][0], *a], float(net.biases[1][0]))


@pytest.mark.parametrize("point", [Fraction(2, 7), Fraction(4, 7), Fraction(6, 7), Fraction(4, 9)])
@pytest.mark.parametrize("offset", [0.0, 2.0**-52, -(2.0**-52), 2.0**-31, -(2.0**-30), 2.0**-29, 2.0**-20])
@pytest.mark.parametrize("jump", [1e-9, -3.0])
def test_3_cycles_within_the_gap_of_a_breakpoint_of_f_are_never_proved_absent(point, offset, jump):
    """A neuron breaks f within ±2⁻³⁰·|H| of a 3-cycle point of the tent (so f³ within about that of the cycle),
    with a slope change tiny or large: the cycle survives (checked exactly) and the net is never proved free of it."""
    t = float(point) + offset
    for sign in (1.0, -1.0):
        net = with_neurons(TENT, [sign], [-sign * t], [jump])
        if has_period3(net):
            assert not proves_no_period3(net)
        assert_windows_sound(net)


# ------------------------------------------------------------ end to end, near borders, at scale, wide


def _moved(base, where, value):
    w, b, a, c = (list(base[0]), list(base[1]), list(base[2]), base[3])
    if where[0] == 3:
        c = value
    else:
        (w, b, a)[where[0]][where[1]] = value
    return depth2(w, b, a, c)


def _border_case(seed: int):
    """A He net (8 or 16 neurons) that the cover proves, one of its weights, and the float where moving that
    weight first gives period 3 (bisected to the last float with the exact decision)."""
    rng = np.random.default_rng(seed)
    while True:
        k = int(rng.choice([8, 16]))
        base = [list(rng.normal(0, 2**0.5, k)), list(rng.normal(0, 2**0.5, k)), list(rng.normal(0, 2 * (2 / k) ** 0.5, k)), float(rng.normal(0, (2 / k) ** 0.5))]
        net = depth2(*base)
        if proves_no_period3(net, cover=False) or not proves_no_period3(net):
            continue
        where = (int(rng.integers(0, 4)), int(rng.integers(0, k)))
        start = base[3] if where[0] == 3 else base[where[0]][where[1]]
        for step in rng.normal(0, 0.5, 6):
            if has_period3(_moved(base, where, start + step)):
                low, high = start, start + step  # low: no period 3; high: period 3
                while (middle := (low + high) / 2) not in (low, high):
                    low, high = (low, middle) if has_period3(_moved(base, where, middle)) else (middle, high)
                return base, where, low, high


@pytest.mark.parametrize("seed", range(5))
def test_nets_a_few_ulps_and_powers_of_two_from_a_border_collision_are_decided_soundly(seed):
    """Within 12 ulps of the border on both sides, then at 2⁻ʲ of the weight from it on the side without period 3:
    never a wrong proof, and (not vacuous) the cover does prove nets within 2⁻¹⁸ of the weight from the border."""
    base, where, low, high = _border_case(seed)
    toward = math.copysign(math.inf, high - low)
    x = low
    for _ in range(12):
        x = math.nextafter(x, -toward)
    for _ in range(25):
        net = _moved(base, where, x)
        if proves_no_period3(net):
            assert not has_period3(net), x.hex()
        x = math.nextafter(x, toward)
    closest = None
    for j in range(52, 0, -1):
        x = low - (high - low) / abs(high - low) * 2.0**-j * max(abs(low), 1.0)
        net = _moved(base, where, x)
        if proves_no_period3(net):
            assert not has_period3(net), x.hex()
            closest = j if closest is None else closest
    assert closest is not None and closest >= 18, closest


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([3, 5, 16, 40]), st.integers(-1074, 1020), st.integers(-60, 60), st.booleans())
def test_he_nets_that_reach_the_cover_conjugated_by_powers_of_two(seed, k, exponent, rescale, per_neuron):
    """The same maps, tiny (subnormal breakpoints and values) or huge, or with neurons rescaled apart: the exact
    decision of each float net is the truth, whatever the scaling did to it."""
    rng = np.random.default_rng(seed)
    for _ in range(20):  # the first that the slope tests leave to the cover (about a fifth do)
        w, b, a, c = rng.normal(0, 2**0.5, k), rng.normal(0, 2**0.5, k), rng.normal(0, 2 * (2 / k) ** 0.5, k), rng.normal(0, (2 / k) ** 0.5)
        if not proves_no_period3(depth2(w, b, a, c), cover=False):
            break
    else:
        return
    shifts = list(rng.integers(-rescale, rescale + 1, k)) if per_neuron and rescale > 0 else [rescale] * k
    with np.errstate(all="ignore"):
        net = scaled(list(w), list(b), list(a), float(c), exponent, shifts)
    if not finite_net(net):
        return
    proved, has = proves_no_period3(net), has_period3(net)
    event(f"proved: {proved}, period 3: {has}")
    assert not (proved and has)


@pytest.mark.parametrize("exponent", [0, -1000, 900])
def test_200_he_neurons_around_a_planted_tent_never_hide_its_3_cycle(exponent):
    """The tent plus 200 He neurons with small output weights (the 3-cycles persist, checked exactly): every
    window around them fails and the net is never proved; the same 200 neurons without the tent are decided soundly."""
    rng = np.random.default_rng(7)
    k = 200
    w, b, a = rng.normal(0, 2**0.5, k), rng.normal(0, 2**0.5, k), rng.normal(0, 1e-3 / k, k)
    tent = with_neurons(TENT, w, b, a)
    net = scaled(list(tent.weights[0][:, 0]), list(tent.biases[0]), list(tent.weights[1][0]), float(tent.biases[1][0]), exponent, [0] * (k + 5))
    assert finite_net(net) and has_period3(net) and not proves_no_period3(net)
    g = the_map(net)
    lo, hi = hull(g)
    assert covers_without_period3(g, (lo, hi)) is False
    s = 2.0**exponent
    for x in (2 / 7, 4 / 7, 6 / 7):  # the tent's cycle moved by at most ~1e-3: windows of ±2⁻⁸ hold it
        assert not covers_without_period3(g, ((x - 2**-8) * s, (x + 2**-8) * s))
    for seed in range(6):
        other = he(np.random.default_rng(seed), k)
        if proves_no_period3(other):
            assert not has_period3(other)


def test_a_fixed_point_at_a_knot_at_the_end_of_the_hull():
    """The tent's fixed point 0 is a knot and the hull's lower end, and 2/3 a fixed point on the falling side;
    with c moved by a subnormal or 2⁻⁶⁰, the hull end lands on the fixed point or just beside it."""
    for c in (0.0, 5e-324, -5e-324, 2.0**-60, -(2.0**-60)):
        net = depth2(list(TENT.weights[0][:, 0]), list(TENT.biases[0]), list(TENT.weights[1][0]), c)
        if has_period3(net):
            assert not proves_no_period3(net)
        assert_windows_sound(net, [(0.0, 2.0**-30), (-(2.0**-30), 0.0), (2 / 3 - 2**-30, 2 / 3 + 2**-30)])


@pytest.mark.parametrize("slope", [-1.0, math.nextafter(-1.0, 0.0), math.nextafter(-1.0, -2.0), 1.0, math.nextafter(1.0, 2.0)])
def test_tails_within_ulps_of_plus_or_minus_1_keep_every_cycle_in_the_hull(slope):
    """A tent whose right tail has slope within an ulp of ±1 (−1: a family of 2-cycles out on the tail, none of 3)."""
    for right_value in (0.0, -0.5, 0.75):
        net = planted([0.0, 0.5, 1.0, 2.0], [0.0, 1.0, right_value, right_value + 0.5], 0.0, slope, 0, [0] * 6)
        assert_sound(net)
        g = the_map(net)
        lo, hi = hull(g)
        f = exact(net)
        for lo2, hi2 in f.iterate(2).fixed_points().intervals:  # families of 2-cycles: inside H
            for x in (lo2, hi2):
                if x is not None and minimal_period(f, x, 2) == 2:
                    assert Q(lo) <= x <= Q(hi)


def test_flat_pieces_and_breakpoints_without_a_slope_change():
    """Neurons with a = 0 add breakpoints where nothing changes; pieces with no neuron on are exactly flat. The
    tent with a flat top, with and without such breakpoints, at the fixed point and on the flat piece itself."""
    for top in (1.0, math.nextafter(1.0, 0.0), 0.8):
        flat = planted([0.0, 0.4, 0.6, 1.0], [0.0, top, top, 0.0], 0.0, -2.5, 0, [0] * 6)
        for extra in ([], [0.5], [0.5, 2 / 3, float(Fraction(5, 7))]):
            net = with_neurons(flat, [1.0] * len(extra), [-t for t in extra], [0.0] * len(extra))
            assert_sound(net)
            assert_windows_sound(net, [(0.4, 0.6), (0.45, 0.55), hull(the_map(net))])


@pytest.mark.parametrize("ys", [[0.0, 2.0, 1.0, 1.5, -0.5], [0.0, 1.75, 1.0, 1.5, 0.0], [1.5, 0.0, 1.0, 1.5, 0.25], [0.0, 2.0, 1.0, 1.5, 0.0]])
@pytest.mark.parametrize("exponent", [0, -1050, 1000])
def test_an_interval_of_fixed_points_beside_steep_pieces(ys, exponent):
    """f = id on [1, 3/2] (dyadic slopes, so exactly), steep pieces of both signs around it: fixed points of f³ that
    are not of minimal period 3 fill an interval, next to 3-cycles or not."""
    net = planted([0.0, 0.5, 1.0, 1.5, 2.0], ys, 0.0, -2.0, exponent, [exponent // 2] * 7)
    if not finite_net(net):
        pytest.skip("out of the float range")
    assert exact(net).fixed_points().intervals
    assert_sound(net)
    s = 2.0**exponent
    assert_windows_sound(net, [(1.0 * s, 1.5 * s), (1.1 * s, 1.4 * s), (0.9 * s, 1.6 * s), hull(the_map(net))])


# ------------------------------------------------------------ the radius and the tail bounds, tight


def two_cycle_on_falling_tails(p: float, q: float, ys: list[float], sigma: float | None):
    """f(−1) = f(0) = ys[0], f(1/2) = ys[1], f(1) = ys[2], tails through the 2-cycle {p, q} (p < −1, q > 1), so
    both fall; with ``sigma``, the right slope is instead sigma / the left (s_l·s_r within ulps of sigma)."""
    left, right = (q - ys[0]) / (p + 1.0), (p - ys[2]) / (q - 1.0)
    if sigma is not None:
        right = sigma / left
    if not (left < 0 and right < 0):
        return None
    m2, m3 = (ys[1] - ys[0]) / 0.5, (ys[2] - ys[1]) / 0.5
    return depth2([-1.0, 1.0, 1.0, 1.0], [-1.0, 0.0, -0.5, -1.0], [-left, m2, m3 - m2, right - m3], ys[0])


def assert_radius_holds_the_cycles(net) -> float:
    """Every exact 2- and 3-cycle point x has |x| ≤ R and lies in H; an unbounded family of them forces R = ∞ and an
    unbounded H. Returns the least R / |x| (1 means tight)."""
    g = the_map(net)
    if not (g.lo and g.ordered and g.finite):
        return math.inf
    f = exact(net)
    radius, (lo, hi) = g.radius(), hull(g)
    tightest = math.inf
    for n in (2, 3):
        fixed = f.iterate(n).fixed_points()
        for x in fixed.points:
            if minimal_period(f, x, n) == n:
                assert lo < hi and (lo == -math.inf or Q(lo) <= x) and (hi == math.inf or x <= Q(hi)), (n, x)
                if radius < math.inf:
                    assert abs(x) <= Q(radius), (n, x, radius)
                    ratio = Q(radius) / abs(x) if x else None
                    tightest = min(tightest, float(ratio) if ratio is not None and ratio < 2**1000 else math.inf)  # a tiny x: far from tight
        for a, b in fixed.intervals:
            if a is None or b is None:
                assert radius == math.inf and (lo == -math.inf or hi == math.inf)
            else:
                for x in (a, b):
                    if radius < math.inf and minimal_period(f, x, n) == n:
                        assert abs(x) <= Q(radius)
    if proves_no_period3(net):
        assert not has_period3(net)
    return tightest


SIGMA = st.sampled_from([None, None, 1.0, math.nextafter(1.0, 2.0), math.nextafter(1.0, 0.0), 1 + 2.0**-40, 1 - 2.0**-40, 4.0, 0.25])


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([1.5, 3.0, 10.0, 1e3, 1e6, 1e15, 1e150]), st.floats(0.5, 2.0), st.floats(0.5, 2.0),
    st.lists(st.floats(-1.0, 1.0), min_size=3, max_size=3), SIGMA,
)
def test_2_cycles_out_on_both_falling_tails_are_inside_the_f_squared_radius(size, left_scale, right_scale, ys, sigma):
    """The 2-cycle {p, q} is the fixed point a/(1 − σ) of f²'s tails, exactly the bound the f² radius computes, so
    R holds it only by its outward rounding (R/|x| − 1 is a few dozen ulps); σ within ulps of 1 must give R = ∞."""
    net = two_cycle_on_falling_tails(-size * left_scale, size * right_scale, ys, sigma)
    if net is None:
        return
    tightest = assert_radius_holds_the_cycles(net)
    event(f"radius tight to 2^-40: {tightest < 1 + 2**-40}")


def test_the_f_squared_radius_is_tight_to_a_few_ulps_and_still_holds_the_2_cycle():
    """Not vacuous: the bound is as tight as its roundings, and a 2-cycle sits right at it; σ = 1 (in floats) gives
    no radius (the enclosure of s_l·s_r holds 1)."""
    net = two_cycle_on_falling_tails(-40.0, 3.0, [0.2, -0.3, 0.4], None)
    g = the_map(net)
    left, right = g.S[0], g.S[-1]
    assert left[1] < 0 and right[1] < 0 and left[1] * right[1] > 1  # both fall, σ > 1: the f² path
    assert 1 <= assert_radius_holds_the_cycles(net) < 1 + 2.0**-44  # R is within a few dozen ulps of the cycle's −40
    with_sigma_1 = two_cycle_on_falling_tails(-40.0, 3.0, [0.2, -0.3, 0.4], 1.0)
    assert the_map(with_sigma_1).radius() == math.inf
    assert_radius_holds_the_cycles(with_sigma_1)


@settings(max_examples=120, deadline=None)
@given(
    st.integers(2, 6), st.integers(0, 2**32 - 1),
    st.sampled_from([1.0, math.nextafter(1.0, 2.0), math.nextafter(1.0, 0.0), 1 + 2.0**-40, 2.0, 0.5, 3.0, 1 / 3]),
    st.sampled_from([1.0, 2.0, 0.5, 4.0]), st.sampled_from([1.0, 1e-5, 1e5]), st.booleans(),
)
def test_the_radius_holds_every_2_and_3_cycle_for_tails_near_the_thresholds(k, seed, magnitude, split, spread, falling):
    """Tail slopes ∓m·split and ∓m'/split (products within ulps of 1, or of 2 and ½), random knots and middle slopes."""
    rng = np.random.default_rng(seed)
    knots = np.sort(rng.normal(0, 2, k)) * spread
    if len(set(knots.tolist())) < k:
        return
    sign = -1.0 if falling else 1.0
    slopes = [sign * magnitude * split, *rng.normal(0, 2, k - 1), sign * float(rng.choice([1.0, magnitude])) / split]
    w = [-1.0] + [1.0] * (k - 1)
    b = [float(knots[0])] + [float(-x) for x in knots[1:]]
    a = [-slopes[0]] + [float(slopes[j + 1] - slopes[j]) for j in range(1, k)]
    net = depth2(w, b, a, float(rng.normal(0, 2) * spread))
    event(f"radius finite: {the_map(net).radius() < math.inf}")
    assert_radius_holds_the_cycles(net)


# ------------------------------------------------------------ the vectorized enclosures, wide and heavy-tailed


def test_the_sparse_table_gives_the_minimum_and_maximum_of_every_run():
    rng = np.random.default_rng(3)
    for n in [*range(1, 20), 31, 32, 33, 64, 65, 201]:
        values = rng.normal(size=n)
        least, most = _RunExtremes(values, np.minimum, np.inf), _RunExtremes(values, np.maximum, -np.inf)
        a, b = (np.array(column) for column in zip(*[(i, j) for i in range(n + 1) for j in range(i, n + 1)]))
        for i, j, low, high in zip(a, b, least(a, b), most(a, b)):
            assert low == (values[i:j].min() if j > i else np.inf) and high == (values[i:j].max() if j > i else -np.inf)


@pytest.mark.parametrize("seed", range(6))
def test_the_vectorized_enclosures_of_200_neuron_heavy_tailed_nets_hold_the_exact_values(seed):
    """Intervals across dozens of breakpoints (the sparse-table paths) and points on and next to every breakpoint."""
    rng = np.random.default_rng(seed)
    k = 200
    scale = 10.0 ** int(rng.integers(-150, 150))
    net = depth2(rng.standard_cauchy(k), rng.standard_cauchy(k) * scale, rng.standard_cauchy(k), rng.normal() * scale)
    g = the_map(net)
    assert g.lo and g.ordered and g.finite
    f, arrays = exact(net), _Arrays(g)
    starts = rng.normal(0, 3, 40) * scale
    widths = np.abs(rng.normal(0, 3, 40)) * scale * rng.choice([0.0, 1e-12, 1.0, 10.0], 40)
    with np.errstate(all="ignore"):
        image = arrays.image(starts, starts + widths)
        (least, greatest), single = arrays.slopes(starts, starts + widths)
        points = np.concatenate((starts, g.lo, g.hi))
        values = arrays.image(points, points)
    assert (least <= greatest).all() and (greatest - least > 0).any()
    for i, (low, high) in enumerate(zip(starts, starts + widths)):
        exact_low, exact_high = f.image(Q(float(low)), Q(float(high)))
        assert Q(float(image[0][i])) <= exact_low and exact_high <= Q(float(image[1][i]))
        if low < high:
            inside = set(f.restricted(Q(float(low)), Q(float(high))).slopes)
            assert all(Q(float(least[i])) <= s <= Q(float(greatest[i])) for s in inside)
            assert not single[i] or len(inside) == 1
    for p, low, high in zip(points, *values):
        assert Q(float(low)) <= f(Q(float(p))) <= Q(float(high))
