"""Periodic orbits, period three, Li–Yorke witnesses and Sharkovsky's order (verichaos.dynamics)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.dynamics import (
    CONSEQUENCES,
    Orbit,
    core_interval,
    find_period3_orbit,
    forces,
    has_period3,
    li_yorke_witness,
    minimal_period,
    periodic_orbits,
    sharkovsky_key,
)
from verichaos.dynamics.sharkovsky import forced_periods_text
from verichaos.network import Network
from verichaos.pwl import PiecewiseLinear, from_network
from verichaos.rational import Q
from verichaos.strategies import (
    activation_functions,
    maps_with_period3,
    maps_without_period3,
    networks,
    piecewise_linear_maps,
    rationals,
    relu_network,
)
from verichaos.testing import assert_orbit

PROPERTY = settings(max_examples=50, deadline=None)
NETS = networks(depth=(1, 4), width=(1, 5), activations=activation_functions())
# Random small nets have period 3 about one time in eight; planted ones always.
NETS_AND_PLANTED = st.one_of(NETS, maps_with_period3().map(lambda planted: planted.network))

TENT = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])


def orbit(*points: str) -> Orbit:
    return Orbit(tuple(Q(p) for p in points))


# ------------------------------------------------------------------ the tent map


def test_tent_map_period3_orbits_worked_out_by_hand():
    """T(x) = 2·relu(x) − 4·relu(x − 1/2) is 0 left of 0, 2x on [0, 1/2],
    2 − 2x right of 1/2. T(x) < x for x < 0 and x > 1, so every periodic point
    lies in [0, 1], and there T³ has 8 monotone pieces (one per itinerary in
    {L, R}³, L = [0, 1/2], R = [1/2, 1]), each mapping its piece onto [0, 1]
    with slope ±8: exactly one fixed point of T³ per piece.

    LLL: 8x = x → 0, and RRR: 2 − 2x = x → 2/3 are the fixed points of T.
    LRR: x → 2x → 2 − 4x → 2 − 2(2 − 4x) = 8x − 2 = x → x = 2/7: 2/7 → 4/7 → 6/7 → 2/7.
    LLR: x → 2x → 4x → 2 − 8x = x → x = 2/9: 2/9 → 4/9 → 8/9 → 2/9.
    The other four itineraries (LRL, RLL, RLR, RRL) are rotations of these two.
    So the period-3 orbits are exactly {2/7, 4/7, 6/7} and {2/9, 4/9, 8/9}."""
    f = from_network(TENT)
    found = periodic_orbits(f, 3)
    assert found.orbits == (orbit("2/9", "4/9", "8/9"), orbit("2/7", "4/7", "6/7"))
    assert found.families == ()
    assert has_period3(f)
    assert find_period3_orbit(f) in found.orbits
    cube_fixed = f.iterate(3).fixed_points()
    assert cube_fixed.points == tuple(Q(p) for p in ["0", "2/9", "2/7", "4/9", "4/7", "2/3", "6/7", "8/9"])
    assert cube_fixed.intervals == ()


def test_tent_map_periods_1_and_2_by_hand():
    """Fixed points 0 and 2/3; period 2 (itinerary LR): 2 − 4x = x → 2/5 → 4/5."""
    f = from_network(TENT)
    assert periodic_orbits(f, 1).orbits == (orbit("0"), orbit("2/3"))
    assert periodic_orbits(f, 2).orbits == (orbit("2/5", "4/5"),)
    assert core_interval(f) == (Q(0), Q(1))


def test_tent_map_li_yorke_witness():
    f = from_network(TENT)
    witness = li_yorke_witness(f, orbit("2/7", "4/7", "6/7"))
    assert (witness.a, witness.case) == (Q(2, 7), "d<=a<b<c")
    assert witness.holds(f)


# ------------------------------------------------------------ degenerate maps


IDENTITY_NETS = [
    Network.from_arrays([[[1]]], [[0]], ["identity"]),
    Network.from_arrays([[[1], [-1]], [[1, -1]]], [[0, 0], [0]], ["relu", "identity"]),  # relu(x) − relu(−x)
]


@pytest.mark.parametrize("net", IDENTITY_NETS, ids=["affine", "relu-pair"])
def test_identity_map_every_point_fixed_nothing_else(net):
    f = from_network(net)
    fixed = periodic_orbits(f, 1)
    assert fixed.orbits == ()
    assert [(family.lo, family.hi) for family in fixed.families] == [(None, None)]
    assert net(fixed.families[0].representative.points[0]) == fixed.families[0].representative.points[0]
    for n in (2, 3, 4):
        assert not periodic_orbits(f, n)
    assert not has_period3(f)


@PROPERTY
@given(rationals(max_bits=6), st.integers(2, 4))
def test_constant_maps_have_one_fixed_point_and_no_other_period(c, n):
    f = PiecewiseLinear.affine(0, c)
    assert periodic_orbits(f, 1).orbits == (Orbit((c,)),)
    assert periodic_orbits(f, 1).families == ()
    assert not periodic_orbits(f, n)
    assert not has_period3(f)


def test_one_minus_x_has_period_2_everywhere_but_one_half():
    f = from_network(Network.from_arrays([[[-1]]], [[1]], ["identity"]))
    assert periodic_orbits(f, 1).orbits == (orbit("1/2"),)
    twos = periodic_orbits(f, 2)
    assert twos.orbits == ()
    assert [(family.lo, family.hi) for family in twos.families] == [(None, None)]
    x, y = twos.families[0].representative.points
    assert x != Q(1, 2) and f(x) == y and f(y) == x
    assert not periodic_orbits(f, 3)
    assert not has_period3(f)


# Continuous maps permuting A = [0, 1], B = [2, 3], C = [4, 5] cyclically by
# affine maps of slope ±1, joined by steeper pieces, constant tails:
# * reversing twice: A → B by 3 − x, B → C by 7 − x, C → A by x − 4;
# * preserving: A → B → C by x + 2, C → A by x − 4.
# Either way f³(x) = x on A (and on B and C), and f has no fixed point in A,
# so all of A has minimal period 3.
THREE_INTERVAL_CYCLES = {
    "two-reversals": PiecewiseLinear.from_knots([0, 1, 2, 3, 4, 5], [3, 2, 5, 4, 0, 1], 0, 0),
    "orientation-preserving": PiecewiseLinear.from_knots([0, 3, 4, 5], [2, 5, 0, 1], 0, 0),
}


@pytest.mark.parametrize("name", sorted(THREE_INTERVAL_CYCLES))
def test_maps_with_cube_the_identity_on_an_interval(name):
    f = THREE_INTERVAL_CYCLES[name]
    cube = f.iterate(3)
    assert (Q(0), Q(1)) in cube.fixed_points().intervals
    threes = periodic_orbits(f, 3)
    families = [(family.lo, family.hi) for family in threes.families]
    assert (Q(0), Q(1)) in families
    assert (Q(2), Q(3)) not in families and (Q(4), Q(5)) not in families, "one family per cycle of intervals"
    a, b, c = next(fam for fam in threes.families if (fam.lo, fam.hi) == (Q(0), Q(1))).representative.points
    assert Q(0) <= a <= 1 and {Q(2) <= p <= 3 for p in (b, c)} == {True, False}
    for k in range(11):
        x = Q(k, 10)
        assert minimal_period(f, x, 3) == 3
    assert has_period3(f)
    assert_orbit(relu_network(f), threes.families[0].representative.points)


# ---------------------------------------------------------- maps without period 3


@PROPERTY
@given(piecewise_linear_maps(max_breakpoints=6, slopes=rationals(max_bits=3, min_value=-8, max_value=0)))
def test_non_increasing_maps_never_have_period_3(f):
    assert not has_period3(f)
    assert not periodic_orbits(f, 3)
    assert find_period3_orbit(f) is None


@PROPERTY
@given(maps_without_period3(depth=(1, 4), width=(1, 4)))
def test_maps_without_period3_have_none(net):
    f = from_network(net)
    assert not has_period3(f)
    assert not periodic_orbits(f, 3)


# -------------------------------------------------------------- random networks


@PROPERTY
@given(NETS_AND_PLANTED, st.integers(1, 4))
def test_every_reported_orbit_is_exact_with_minimal_period_n(net, n):
    f = from_network(net)
    found = periodic_orbits(f, n)
    for each in found.all_orbits():
        assert each.period == n and each.points[0] == min(each.points)
        assert_orbit(net, each.points)
        assert minimal_period(net, each.points[0], n) == n  # by the network's own evaluator
    for family in found.families:
        x = family.representative.points[0]
        assert (family.lo is None or family.lo <= x) and (family.hi is None or x <= family.hi)


@PROPERTY
@given(NETS_AND_PLANTED, st.integers(1, 3))
def test_isolated_periodic_points_are_all_found(net, n):
    """Against the fixed points of fⁿ on all of ℝ, without the trapping interval."""
    f = from_network(net)
    found = periodic_orbits(f, n)
    everywhere = f.iterate(n).fixed_points()
    expected = {x for x in everywhere.points if minimal_period(net, x, n) == n}
    assert {x for each in found.orbits for x in each.points} == expected


@PROPERTY
@given(maps_with_period3(max_extra_knots=3))
def test_planted_orbits_are_found(planted):
    net, planted_orbit = planted
    f = from_network(net)
    found = periodic_orbits(f, 3)
    in_a_family = any(
        (fam.lo is None or fam.lo <= p) and (fam.hi is None or p <= fam.hi)
        for fam in found.families
        for p in planted_orbit.points
    )
    assert planted_orbit in found.orbits or in_a_family
    assert has_period3(f)
    assert find_period3_orbit(f) is not None


@PROPERTY
@given(NETS_AND_PLANTED)
def test_li_yorke_witness_inequalities(net):
    f = from_network(net)
    for each in periodic_orbits(f, 3).all_orbits():
        witness = li_yorke_witness(f, each)
        a = witness.a
        b, c, d = net(a), net(net(a)), net(net(net(a)))
        assert a in each.points
        if witness.case == "d<=a<b<c":
            assert d <= a < b < c
        else:
            assert witness.case == "d>=a>b>c" and d >= a > b > c


# ---------------------------------------------------------------- Sharkovsky


def test_sharkovsky_order_of_the_first_periods():
    assert sorted(range(1, 17), key=sharkovsky_key) == [3, 5, 7, 9, 11, 13, 15, 6, 10, 14, 12, 16, 8, 4, 2, 1]


@pytest.mark.parametrize(
    ("m", "n", "expected"),
    [
        (3, 1000, True),
        (3, 5, True),
        (5, 3, False),
        (7, 6, True),
        (6, 7, False),
        (12, 96, True),
        (4, 2, True),
        (2, 4, False),
        (1, 2, False),
        (2**10, 3 * 2**20, False),
    ],
)
def test_what_a_period_forces(m, n, expected):
    assert forces(m, n) is expected


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 200), st.integers(1, 200), st.integers(1, 200))
def test_sharkovsky_is_a_total_order_with_3_first_and_1_last(a, b, c):
    assert forces(3, a) and forces(a, 1) and forces(a, a)
    assert forces(a, b) or forces(b, a)
    if forces(a, b) and forces(b, a):
        assert a == b
    if forces(a, b) and forces(b, c):
        assert forces(a, c)


def test_period_3_consequences_are_stated():
    assert forced_periods_text(3) == "every period n >= 1"
    assert any("Li-Yorke chaotic" in line for line in CONSEQUENCES)
    assert any("log((1+sqrt(5))/2)" in line for line in CONSEQUENCES)
