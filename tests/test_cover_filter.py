"""The f³ cover (verichaos.experiments.cover_filter): its enclosures hold the exact values, it never proves a
3-cycle absent where one exists (near the border where one is born too), and it proves what it should."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_filter import depth2
from test_redteam_filters import exact_map as exact
from test_redteam_filters import hull, the_map
from test_scalar_filter import has_period3, he
from verichaos.experiments import cover_filter
from verichaos.experiments.cover_filter import _Arrays, covers_without_period3
from verichaos.experiments.scalar_filter import proves_no_period3
from verichaos.rational import Q

WEIGHTS = st.floats(-4, 4) | st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0, -2.0, 1e-300, -1e300, 1e300])


def holds(low: float, high: float, value) -> bool:
    return math.isfinite(low) and math.isfinite(high) and Q(low) <= value <= Q(high)


def slope_tests_fail(net) -> bool:
    """The net reaches the cover: the one-net filter's slope tests do not settle it."""
    return not proves_no_period3(net, cover=False)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5).flatmap(lambda k: st.tuples(*[st.lists(WEIGHTS, min_size=k, max_size=k)] * 3)),
    WEIGHTS,
    st.lists(st.floats(-8, 8) | st.floats(-1e300, 1e300) | st.sampled_from([1e150, -1e150, 3e-310]), min_size=1, max_size=6),
    st.lists(st.floats(0, 3) | st.sampled_from([0.0, 1e-300, 1e100]), min_size=1, max_size=6),
)
def test_the_vectorized_enclosures_hold_the_exact_values(layers, c, starts, widths):
    net = depth2(*layers, c)
    g = the_map(net)
    if not (g.lo and g.ordered and g.finite):
        return
    with np.errstate(all="ignore"):  # overflows give infinities or NaNs, which the assertions skip
        check_enclosures(g, exact(net), starts, widths)


def check_enclosures(g, f, starts, widths):
    arrays = _Arrays(g)
    knots = [x for t in g.lo for x in (t, math.nextafter(t, -math.inf), math.nextafter(t, math.inf))]  # both lines' side
    points = np.array(starts + knots)
    lows, highs = arrays.image(points, points)
    for p, low, high in zip(points, lows, highs):
        if math.isfinite(low) and math.isfinite(high):
            assert holds(low, high, f(Q(float(p))))
    ends = np.array(starts[: len(widths)])
    widths = np.array(widths[: len(ends)])
    low, high = ends, ends + widths
    image = arrays.image(low, high)
    (least, greatest), single = arrays.slopes(low, high)
    for i in range(len(low)):
        if not all(math.isfinite(v) for v in (image[0][i], image[1][i])):
            continue
        exact_low, exact_high = f.image(Q(float(low[i])), Q(float(high[i])))
        assert holds(image[0][i], image[1][i], exact_low) and holds(image[0][i], image[1][i], exact_high)
        inside = f.restricted(Q(float(low[i])), Q(float(high[i])))
        for slope in inside.slopes:
            assert Q(float(least[i])) <= slope <= Q(float(greatest[i]))
        if single[i]:
            assert len(set(inside.slopes)) == 1


def test_the_cover_proves_most_he_nets_the_slope_tests_leave():
    """Not vacuous: of 600 He nets of widths 8, 32 and 128, the ones the slope tests leave (about a fifth) are
    almost all free of period 3, and the cover proves nearly all of those; none wrongly."""
    rng = np.random.default_rng(2026)
    reached = proved = absent = 0
    for k in (8, 32, 128):
        for _ in range(200):
            net = he(rng, k)
            if not slope_tests_fail(net):
                continue
            reached += 1
            no = proves_no_period3(net)
            if has_period3(net):
                assert not no
            else:
                absent += 1
                proved += no
    assert reached >= 60 and proved >= 0.9 * absent, (reached, absent, proved)


def _interpolated(t: float, start, end):
    return depth2(*(list((1 - t) * np.array(s) + t * np.array(e)) for s, e in zip(start[:3], end[:3])), (1 - t) * start[3] + t * end[3])


def _border(start, end) -> float:
    """t where the net between start (no period 3) and end (period 3) first has one, to the last float."""
    low, high = 0.0, 1.0
    while math.nextafter(low, 1.0) < high:
        middle = (low + high) / 2
        if middle in (low, high):
            break
        low, high = (low, middle) if has_period3(_interpolated(middle, start, end)) else (middle, high)
    return high


@pytest.mark.parametrize("seed", range(4))
def test_nets_at_the_border_where_a_3_cycle_is_born_are_never_wrongly_proved(seed):
    """Along a segment of weights from a net without period 3 to one with it, the 3-cycle appears at a border
    collision; the nets within a few ulps of it on both sides are the hardest for the gaps and slopes."""
    rng = np.random.default_rng(seed)
    while True:
        k = 3
        start = [list(rng.normal(0, 1.4, k)), list(rng.normal(0, 1.4, k)), list(rng.normal(0, 1.4, k)), float(rng.normal())]
        end = [list(rng.normal(0, 1.4, k)), list(rng.normal(0, 1.4, k)), list(rng.normal(0, 1.4, k)), float(rng.normal())]
        if not has_period3(_interpolated(0.0, start, end)) and has_period3(_interpolated(1.0, start, end)):
            break
    t = _border(start, end)
    for _ in range(6):
        t = math.nextafter(t, -1.0)
    for _ in range(12):
        net = _interpolated(t, start, end)
        if proves_no_period3(net):
            assert not has_period3(net)
        t = math.nextafter(t, 2.0)


def test_a_fixed_point_on_a_breakpoint_is_decided_soundly():
    """f(x) = 1 − 2·relu(x) + 3·relu(x − 1/3): the fixed point 1/3 is also a breakpoint, where the gaps are weakest."""
    net = depth2([1.0, 1.0], [0.0, -1 / 3], [-2.0, 3.0], 1.0)
    assert proves_no_period3(net) is False or not has_period3(net)


def test_it_gives_up_beyond_its_breakpoint_budget(monkeypatch):
    net = depth2([1.0, 1.0], [-1.0, 0.0], [3.0, -2.0], 1.0)
    g = the_map(net)
    assert covers_without_period3(g, hull(g))
    monkeypatch.setattr(cover_filter, "MAX_BREAKPOINTS_PER_KNOT", 1)
    assert not covers_without_period3(g, hull(g))


def test_an_unbounded_or_empty_hull_proves_nothing():
    g = the_map(depth2([1.0, 1.0], [-1.0, 0.0], [3.0, -2.0], 1.0))
    assert not covers_without_period3(g, (-math.inf, 1.0))
    assert not covers_without_period3(g, (0.5, 0.5))
    assert not covers_without_period3(g, (math.nan, 1.0))
