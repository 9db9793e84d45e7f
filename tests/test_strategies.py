"""Meta-tests of verichaos.strategies: what they draw is what they promise,
against the certifier and the independent checker, and they shrink small."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from verichaos.dynamics import has_period3
from verichaos.network import Network, loads_exact, parse_network
from verichaos.pwl import PiecewiseLinear, from_network
from verichaos.rational import Q
from verichaos.strategies import (
    MONOTONE_ACTIVATIONS,
    NO_PERIOD3_REASONS,
    activation_functions,
    maps_with_period3,
    maps_without_period3,
    network_documents,
    networks,
    piecewise_linear_maps,
    rationals,
    relu_network,
)
from verichaos.testing import assert_no_period3, assert_orbit, assert_period3

CERTIFIED = settings(max_examples=30, deadline=None)
CONTRACT = settings(max_examples=60, deadline=None)
# find() runs: reproducible (random=Random(0) at each call), no example database, no explain phase.
SHRINK = settings(
    database=None,
    max_examples=1000,
    phases=[Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow],
)


def hidden_units(net: Network) -> int:
    return sum(net.widths)


def entries(net: Network) -> list[Q]:
    return [v for layer in net.layers for row in layer.weight for v in (*row, *layer.bias)]


# ------------------------------------------- planted orbits, certifier and checker


@CERTIFIED
@given(maps_with_period3(max_extra_knots=3))
def test_planted_orbits_are_certified_and_checked(verichaos_certificates, planted):
    net, orbit = planted
    assert orbit.period == 3 and orbit.points[0] == min(orbit.points)
    assert net.metadata["planted_orbit"] == [str(x) for x in orbit.points]
    assert_orbit(net, orbit.points)
    checked = assert_period3(net, folder=verichaos_certificates)
    assert checked.verdict.startswith("VERIFIED") and checked.path.parent == verichaos_certificates
    assert_orbit(net, checked.certificate.document["witness"]["orbit"])


@CERTIFIED
@given(
    maps_without_period3(depth=(1, 4), width=(1, 4)),
    st.lists(rationals(max_bits=5), min_size=2, max_size=6, unique=True),
)
def test_maps_without_period3_are_certified_and_checked(verichaos_certificates, net, xs):
    checked = assert_no_period3(net, folder=verichaos_certificates)
    assert checked.verdict.startswith("VERIFIED")
    # The reason the strategy gives holds on sample points.
    values = [net(x) for x in sorted(xs)]
    reason = net.metadata["no_period3_because"]
    if reason == NO_PERIOD3_REASONS["non-decreasing"]:
        assert values == sorted(values)
    elif reason == NO_PERIOD3_REASONS["non-increasing"]:
        assert values == sorted(values, reverse=True)
    else:
        assert reason == NO_PERIOD3_REASONS["constant"] and len(set(values)) == 1


@CERTIFIED
@given(
    st.sampled_from(list(NO_PERIOD3_REASONS)).flatmap(
        lambda reason: maps_without_period3().filter(
            lambda net: net.metadata["no_period3_because"] == NO_PERIOD3_REASONS[reason]
        )
    )
)
def test_every_kind_of_map_without_period3_is_drawn(net):
    assert not has_period3(from_network(net))


@CERTIFIED
@given(piecewise_linear_maps(slopes=rationals(max_bits=2, min_value=-4, max_value=0)))
def test_non_increasing_maps_as_relu_networks_are_certified_and_checked(verichaos_certificates, f):
    assert_no_period3(relu_network(f), folder=verichaos_certificates)


# ---------------------------------------------------------------- contracts


@CONTRACT
@given(st.integers(0, 6), st.data())
def test_rationals_respect_size_and_bounds(bits, data):
    lo = data.draw(st.none() | rationals(max_bits=3), label="min_value")
    hi = data.draw(st.none() | rationals(max_bits=3, min_value=lo), label="max_value")
    q = data.draw(rationals(max_bits=bits, min_value=lo, max_value=hi), label="q")
    assert isinstance(q, Q)
    assert (lo is None or lo <= q) and (hi is None or q <= hi)
    if lo is None and hi is None:
        assert abs(q) <= 2**bits and q.denominator <= 2**bits
    elif q != lo:  # the fallback when no multiple of 1/q fits is the bound itself
        assert q.denominator <= 2**bits


@pytest.mark.parametrize("target", [Q(0), Q(-4), Q(4), Q(7, 4), Q(-1, 3), Q(-15, 4)])
def test_rationals_reach_every_value_of_their_range(target):
    assert find(rationals(max_bits=2), lambda q: q == target, settings=SHRINK, random=random.Random(0)) == target


def test_rationals_refuse_an_empty_range():
    with pytest.raises(ValueError, match="above max_value"):
        rationals(min_value=2, max_value=1)
    with pytest.raises(ValueError, match="depth must be"):
        networks(depth=0)


@CONTRACT
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_networks_have_the_requested_shape(depth_lo, width_hi, data):
    depth = (depth_lo, depth_lo + 1)
    net = data.draw(
        networks(depth=depth, width=(1, width_hi), activations=("relu", "abs"), output_activations=("hardtanh",)),
        label="net",
    )
    assert depth[0] <= len(net.layers) <= depth[1]
    assert all(1 <= w <= width_hi for w in net.widths)
    assert {layer.activation.name for layer in net.layers[:-1]} <= {"relu", "abs"}
    assert net.layers[-1].activation.name == "hardtanh"
    assert parse_network(net.to_json()) == net


@CONTRACT
@given(activation_functions(MONOTONE_ACTIVATIONS))
def test_activation_functions_draw_valid_parameters(activation):
    assert activation.name in MONOTONE_ACTIVATIONS
    params = dict(activation.params)
    if activation.name == "leaky_relu":
        assert 0 <= params["alpha"] <= 1
    if activation.name == "hardtanh":
        assert params["min"] < params["max"]


@CONTRACT
@given(network_documents(networks(activations=activation_functions()), text=True))
def test_network_documents_are_valid_json_text(text):
    net = parse_network(loads_exact(text))
    assert parse_network(loads_exact(net.canonical_json())) == net


@CONTRACT
@given(piecewise_linear_maps(max_breakpoints=3, slopes=st.sampled_from([Q(-1), Q(0), Q(2)])))
def test_piecewise_linear_maps_are_canonical_with_the_given_slopes(f):
    assert len(f.breakpoints) <= 3
    assert set(f.slopes) <= {Q(-1), Q(0), Q(2)}
    assert PiecewiseLinear.from_knots(f.xs, f.ys, f.left_slope, f.right_slope) == f
    assert len(f.breakpoints) == len(f.slopes) - 1 or f.is_affine


# ------------------------------------------------------------------ shrinking


def test_shrinking_a_period3_network_gives_two_hidden_units_and_integers():
    net = find(
        networks(depth=2, width=(1, 5), weights=rationals(max_bits=4)),
        lambda net: has_period3(from_network(net)),
        settings=SHRINK,
        random=random.Random(0),
    )
    assert hidden_units(net) == 2  # one ReLU unit gives a monotone map
    assert all(v.denominator == 1 and abs(v) <= 4 for v in entries(net))


def test_shrinking_with_abs_gives_one_hidden_unit():
    net = find(
        networks(depth=(1, 3), width=(1, 4), activations=("relu", "abs")),
        lambda net: has_period3(from_network(net)),
        settings=SHRINK,
        random=random.Random(0),
    )
    assert net.widths == (1,) and net.layers[0].activation.name == "abs"  # a tent: c − a·|x − b|


def test_shrinking_a_planted_orbit_gives_small_integers():
    planted = find(maps_with_period3(), lambda planted: True, settings=SHRINK, random=random.Random(0))
    assert planted.network.widths == (4,)  # three knots, no extra one
    assert all(x.denominator == 1 and abs(x) <= 2 for x in planted.orbit.points)


def test_shrinking_piecewise_linear_maps_and_maps_without_period3():
    f = find(piecewise_linear_maps(), lambda f: len(f.breakpoints) >= 2, settings=SHRINK, random=random.Random(0))
    assert len(f.breakpoints) == 2 and all(v.denominator == 1 for v in (*f.xs, *f.ys))
    net = find(
        maps_without_period3(),
        lambda net: len(net.layers) >= 2 and net.metadata["no_period3_because"] == NO_PERIOD3_REASONS["non-increasing"],
        settings=SHRINK,
        random=random.Random(0),
    )
    assert net.widths == (1,)
