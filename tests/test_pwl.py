"""Exact piecewise-linear maps (verichaos.pwl) against direct evaluation and a second arithmetic.

Two independent evaluators stand against ``pwl``: the network's own
layer-by-layer formula (``Network.__call__``, gmpy2) and a tiny evaluator
below written with ``fractions.Fraction`` and its own activation formulas.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.network import Network
from verichaos.pwl import PiecewiseLinear, from_network, pattern_breakpoints
from verichaos.rational import Q, to_fraction
from verichaos.strategies import activation_functions, networks, piecewise_linear_maps, rationals, relu_network

ALL_ACTIVATIONS = activation_functions(("identity", "relu", "abs", "leaky_relu", "hardtanh"))
NETS = networks(depth=(1, 4), width=(1, 5), activations=ALL_ACTIVATIONS, output_activations=ALL_ACTIVATIONS)
SMALL_NETS = networks(depth=(1, 3), width=(1, 3), activations=ALL_ACTIVATIONS)
MAPS = piecewise_linear_maps(max_breakpoints=5)
POINTS = rationals(max_bits=6)
FRACTIONS_OF_A_GAP = st.lists(
    rationals(max_bits=6, min_value=Fraction(1, 64), max_value=Fraction(63, 64)), min_size=1, max_size=4
)
PROPERTY = settings(max_examples=60, deadline=None)


# ------------------------------------------------------- the second arithmetic


def _activate(name: str, params: dict[str, Fraction], z: Fraction) -> Fraction:
    if name == "identity":
        return z
    if name == "relu":
        return max(z, Fraction(0))
    if name == "abs":
        return abs(z)
    if name == "leaky_relu":
        return z if z >= 0 else params["alpha"] * z
    if name == "hardtanh":
        return min(params["max"], max(params["min"], z))
    raise AssertionError(f"unknown activation {name}")


def fraction_layers(net: Network, x: Fraction) -> list[list[tuple[Fraction, tuple[Fraction, ...]]]]:
    """Per layer, per neuron: (pre-activation at x, the activation's thresholds), in Fractions."""
    values, layers = [x], []
    for layer in net.layers:
        params = {k: to_fraction(v) for k, v in layer.activation.params}
        cuts = {"identity": (), "hardtanh": (params.get("min"), params.get("max"))}.get(layer.activation.name, (0,))
        pre = [
            sum((to_fraction(w) * h for w, h in zip(row, values)), to_fraction(b))
            for row, b in zip(layer.weight, layer.bias)
        ]
        layers.append([(z, tuple(Fraction(c) for c in cuts)) for z in pre])
        values = [_activate(layer.activation.name, params, z) for z in pre]
    return layers + [[(values[0], ())]]


def fraction_eval(net: Network, x: Fraction) -> Fraction:
    return fraction_layers(net, x)[-1][0][0]


def gap_points(lo: Q | None, hi: Q | None, fractions: list[Q]) -> list[Q]:
    """Points strictly inside (lo, hi), at the given fractions of it (or that far
    beyond a finite end when the other is infinite)."""
    if lo is not None and hi is not None:
        return [lo + (hi - lo) * t for t in fractions]
    if lo is None and hi is None:
        return [Q(0), *(1 / t for t in fractions), *(-1 / t for t in fractions)]
    return [hi - 1 / t for t in fractions] if lo is None else [lo + 1 / t for t in fractions]


def assert_canonical(f: PiecewiseLinear) -> None:
    assert all(a < b for a, b in zip(f.xs, f.xs[1:])), "knots strictly increase"
    assert len(f.slopes) == len(f.xs) + 1
    if f.is_affine:
        assert f.breakpoints == () and f.xs == (Q(0),)
    else:
        assert all(a != b for a, b in zip(f.slopes, f.slopes[1:])), "adjacent slopes differ"
    assert PiecewiseLinear.from_knots(f.xs, f.ys, f.left_slope, f.right_slope) == f


def interval(bounds: list[Q]) -> tuple[Q, Q]:
    lo, hi = sorted(bounds)
    return lo, hi


BOUNDS = st.lists(POINTS, min_size=2, max_size=2, unique=True).map(interval)


# ------------------------------------------------------------------ evaluation


@PROPERTY
@given(NETS, st.lists(POINTS, min_size=1, max_size=8))
def test_exact_map_equals_direct_evaluation(net, xs):
    f = from_network(net)
    assert_canonical(f)
    for x in xs:
        assert f(x) == net(x)


@PROPERTY
@given(NETS, st.lists(POINTS, min_size=1, max_size=8))
def test_a_second_arithmetic_agrees(net, xs):
    f = from_network(net)
    for x in [*xs, *f.breakpoints]:
        assert to_fraction(f(x)) == fraction_eval(net, to_fraction(x))


@PROPERTY
@given(MAPS)
def test_relu_network_realizes_any_map(f):
    assert from_network(relu_network(f)) == f


# ------------------------------------------------------------------ composition


@PROPERTY
@given(SMALL_NETS, SMALL_NETS, st.lists(POINTS, min_size=1, max_size=6))
def test_composition_is_applying_one_after_the_other(outer, inner, xs):
    f, g = from_network(outer), from_network(inner)
    both = f.compose(g)
    assert_canonical(both)
    for x in [*xs, *g.breakpoints, *both.breakpoints]:
        assert both(x) == f(g(x)) == outer(inner(x))


@PROPERTY
@given(SMALL_NETS, st.integers(0, 4), st.lists(POINTS, min_size=1, max_size=4))
def test_iterates_agree_with_repeated_direct_evaluation(net, n, xs):
    f = from_network(net)
    power = f.iterate(n)
    assert_canonical(power)
    for x in xs:
        assert power(x) == net.iterate(x, n)[-1]


@PROPERTY
@given(SMALL_NETS, st.integers(1, 4), FRACTIONS_OF_A_GAP)
def test_iterates_within_an_invariant_interval(net, n, fractions):
    f = from_network(net)
    lo, hi = f.image(*f.image())  # f(f(R)) is mapped into itself
    power = f.iterate(n, within=(lo, hi))
    for x in [x for x in (lo, hi) if x is not None] + gap_points(lo, hi, fractions):
        assert power(x) == net.iterate(x, n)[-1]


# ----------------------------------------------------- sums and restrictions


@PROPERTY
@given(
    st.lists(st.tuples(rationals(max_bits=3), MAPS), max_size=3),
    rationals(max_bits=3),
    st.lists(POINTS, min_size=1, max_size=6),
)
def test_linear_combinations_agree_pointwise(terms, constant, xs):
    total = PiecewiseLinear.linear_combination(terms, constant)
    assert_canonical(total)
    for x in [*xs, *(b for _, f in terms for b in f.breakpoints)]:
        assert total(x) == sum((c * f(x) for c, f in terms), constant)


@PROPERTY
@given(MAPS, BOUNDS, FRACTIONS_OF_A_GAP)
def test_restricted_map_agrees_inside_and_is_affine_outside(f, bounds, fractions):
    lo, hi = bounds
    g = f.restricted(lo, hi)
    for x in [lo, hi, *gap_points(lo, hi, fractions), *(b for b in f.breakpoints if lo <= b <= hi)]:
        assert g(x) == f(x)
    assert all(lo < b < hi for b in g.breakpoints)


# ----------------------------------------------------------------------- image


@PROPERTY
@given(MAPS, BOUNDS, FRACTIONS_OF_A_GAP)
def test_image_of_a_bounded_interval(f, bounds, fractions):
    lo, hi = bounds
    low, high = f.image(lo, hi)
    candidates = {f(x) for x in [lo, hi, *(b for b in f.breakpoints if lo < b < hi)]}
    assert low in candidates and high in candidates, "the ends of the image are attained"
    for x in gap_points(lo, hi, fractions):
        assert low <= f(x) <= high


@PROPERTY
@given(MAPS, POINTS, st.booleans(), FRACTIONS_OF_A_GAP)
def test_image_of_a_ray(f, end, leftward, fractions):
    lo, hi = (None, end) if leftward else (end, None)
    low, high = f.image(lo, hi)
    tail = -f.left_slope if leftward else f.right_slope  # the slope as the ray runs off to infinity
    assert (low is None) == (tail < 0)
    assert (high is None) == (tail > 0)
    for x in [end, *gap_points(lo, hi, fractions), *(b for b in f.breakpoints if (b <= end) == leftward)]:
        assert (low is None or low <= f(x)) and (high is None or f(x) <= high)
    finite = {f(x) for x in [end, *(b for b in f.breakpoints if (b <= end) == leftward)]}
    assert all(v is None or v in finite for v in (low, high)), "finite ends are attained"


# ---------------------------------------------------------------- fixed points


def assert_fixed_points_exact_and_complete(f: PiecewiseLinear, fractions: list[Q], lo=None, hi=None) -> None:
    fixed = f.fixed_points(lo, hi)
    for x in fixed.points:
        assert f(x) == x
        assert (lo is None or lo <= x) and (hi is None or x <= hi)
    for a, b in fixed.intervals:
        assert a is None or b is None or a < b
        for x in [*(e for e in (a, b) if e is not None), *gap_points(a, b, fractions)]:
            assert f(x) == x
    # Between consecutive solutions f(x) - x has no zero, so by continuity one
    # constant nonzero sign; a missed solution shows up as a sign change or a zero.
    ends = sorted({*fixed.points, *(e for i in fixed.intervals for e in i if e is not None)})
    bounds = [lo, *ends, hi]
    for a, b in zip(bounds, bounds[1:]):
        if (a, b) in fixed.intervals or (a is not None and b is not None and a >= b):
            continue
        signs = {(f(x) > x) - (f(x) < x) for x in gap_points(a, b, fractions)}
        assert signs in ({1}, {-1}), f"f(x) - x changes sign or vanishes in ({a}, {b}): {signs}"


@PROPERTY
@given(MAPS, FRACTIONS_OF_A_GAP)
def test_fixed_points_of_maps_are_exact_and_complete(f, fractions):
    assert_fixed_points_exact_and_complete(f, fractions)


@PROPERTY
@given(SMALL_NETS, st.integers(1, 3), FRACTIONS_OF_A_GAP)
def test_fixed_points_of_iterates_are_exact_and_complete(net, n, fractions):
    assert_fixed_points_exact_and_complete(from_network(net).iterate(n), fractions)


@PROPERTY
@given(MAPS, BOUNDS, FRACTIONS_OF_A_GAP)
def test_fixed_points_on_an_interval(f, bounds, fractions):
    assert_fixed_points_exact_and_complete(f, fractions, *bounds)


KNOT_PLACES = {
    "diagonal": lambda x, previous: x,
    "above": lambda x, previous: x + 1,
    "below": lambda x, previous: x - 1,
    "flat": lambda x, previous: previous,
}


@PROPERTY
@given(st.lists(POINTS, min_size=1, max_size=5, unique=True), st.data(), FRACTIONS_OF_A_GAP)
def test_fixed_points_with_identity_runs_and_constant_pieces(xs, data, fractions):
    """Knots on the diagonal, beside it or level with the previous knot give
    pieces of slope exactly 1 (identity runs, parallel shifts) and constant
    pieces; tails of slope 1 and 0 too."""
    xs = sorted(xs)
    ys: list[Q] = []
    for x in xs:
        place = data.draw(st.sampled_from(sorted(KNOT_PLACES)), label="knot")
        ys.append(KNOT_PLACES[place](x, ys[-1] if ys else x))
    left, right = (data.draw(st.sampled_from([Q(0), Q(1), Q(2), Q(-1)]), label="tail") for _ in range(2))
    assert_fixed_points_exact_and_complete(PiecewiseLinear.from_knots(xs, ys, left, right), fractions)


# ---------------------------------------------------------- laps and pieces


def brute_slopes(f: PiecewiseLinear, lo: Q | None, hi: Q | None) -> list[Q]:
    """Slopes of f on (lo, hi), piece by piece, from values only."""
    inside = [b for b in f.breakpoints if (lo is None or lo < b) and (hi is None or b < hi)]
    anchors = inside or [lo if lo is not None else hi if hi is not None else Q(0)]
    points = [lo if lo is not None else anchors[0] - 1, *inside, hi if hi is not None else anchors[-1] + 1]
    points = sorted(set(points))
    return [(f(b) - f(a)) / (b - a) for a, b in zip(points, points[1:])]


@PROPERTY
@given(MAPS, st.one_of(st.just((None, None)), BOUNDS, POINTS.map(lambda x: (x, None)), POINTS.map(lambda x: (None, x))))
def test_lap_number_and_piece_count_by_brute_force(f, bounds):
    slopes = brute_slopes(f, *bounds)
    assert f.piece_count_on(*bounds) == 1 + sum(a != b for a, b in zip(slopes, slopes[1:]))
    signs = [s > 0 for s in slopes if s]
    assert f.lap_number(*bounds) == 1 + sum(a != b for a, b in zip(signs, signs[1:]))


# ------------------------------------------------------- activation patterns


@PROPERTY
@given(NETS, FRACTIONS_OF_A_GAP)
def test_pattern_breakpoints_are_where_neurons_meet_thresholds(net, fractions):
    pattern = pattern_breakpoints(net)
    assert all(a < b for a, b in zip(pattern, pattern[1:]))
    for p in pattern:
        neurons = [n for layer in fraction_layers(net, to_fraction(p)) for n in layer]
        assert any(z == t for z, cuts in neurons for t in cuts), f"no neuron meets a threshold at {p}"

    def side_of_every_threshold(x: Q) -> list[int]:
        return [(z > t) - (z < t) for layer in fraction_layers(net, to_fraction(x)) for z, cuts in layer for t in cuts]

    # Between consecutive pattern points no neuron crosses a threshold.
    for a, b in zip([None, *pattern], [*pattern, None]):
        sides = {tuple(side_of_every_threshold(x)) for x in gap_points(a, b, fractions)}
        assert len(sides) == 1, f"a neuron changes piece inside ({a}, {b})"
    assert set(from_network(net).breakpoints) <= set(pattern), "f only bends where a neuron does"
