"""The one-net interval filter (verichaos.experiments.scalar_filter): it never claims what the exact path denies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_filter import PHI, PLANTED, depth2
from verichaos.dynamics import find_period3_orbit
from verichaos.experiments.filter import decide_period3, prove
from verichaos.experiments.sampling import FloatNetwork
from verichaos.experiments.scalar_filter import proves_no_period3
from verichaos.network import Network
from verichaos.pwl import from_network

RELU = ["relu", "identity"]


def has_period3(net) -> bool:
    return find_period3_orbit(from_network(Network.from_arrays(net.weights, net.biases, RELU))) is not None


def he(rng: np.random.Generator, k: int):
    return depth2(rng.normal(0, 2**0.5, k), rng.normal(0, 2**0.5, k), rng.normal(0, (2 / k) ** 0.5, k), rng.normal(0, (2 / k) ** 0.5))


@pytest.mark.parametrize("net", PLANTED, ids=range(len(PLANTED)))
def test_near_degenerate_nets_are_never_wrongly_proved(net):
    if proves_no_period3(net):
        assert not has_period3(net)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.5, -0.5, 1.0, -1.0, PHI, -PHI, 2.0, -2.0, 0.25, -3.0]), min_size=10, max_size=10))
def test_planted_values_are_never_wrongly_proved(values):
    net = depth2(values[0:3], values[3:6], values[6:9], values[9])
    if proves_no_period3(net):
        assert not has_period3(net)


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1, 2, 3, 5, 8, 16, 40]), st.sampled_from([0.7, 1.4, 3.0]))
def test_random_nets_are_never_wrongly_proved(seed, k, spread):
    rng = np.random.default_rng(seed)
    net = depth2(rng.normal(0, spread, k), rng.normal(0, spread, k), rng.normal(0, spread, k), rng.normal())
    if proves_no_period3(net):
        assert not has_period3(net)


def test_it_proves_what_the_batch_filter_proves_on_he_nets():
    """Not vacuous: the same tests as the batch filter, so about as many proofs (all of them here)."""
    rng = np.random.default_rng(11)
    for k in (2, 8, 32):
        nets = [he(rng, k) for _ in range(150)]
        batch = prove(nets, RELU, counts=False).no_period3.tolist()
        scalar = [proves_no_period3(net) for net in nets]
        assert sum(scalar) >= 0.97 * sum(batch) and sum(batch) >= 0.8 * len(nets)


def test_the_tent_and_x_to_minus_x_are_not_proved():
    tent = depth2([1, 1], [0, -0.5], [2, -4], 0)
    assert has_period3(tent) and not proves_no_period3(tent)
    assert not proves_no_period3(PLANTED[0])  # x ↦ −x: slopes exactly −1


@pytest.mark.parametrize("activations", [["abs", "identity"], ["relu", "relu"], ["relu", {"name": "hardtanh", "min": 0, "max": 1}]])
def test_other_activations_are_left_to_the_exact_path(activations):
    assert not proves_no_period3(depth2([1, 1], [0, -0.5], [0.5, -0.5], 0), activations)


def test_other_shapes_prove_nothing():
    two_outputs = FloatNetwork((np.ones((2, 1)), np.ones((2, 2))), (np.zeros(2), np.zeros(2)))
    two_inputs = FloatNetwork((np.ones((2, 2)), np.ones((1, 2))), (np.zeros(2), np.zeros(1)))
    assert not proves_no_period3(two_outputs) and not proves_no_period3(two_inputs)


def test_non_finite_weights_prove_nothing():
    assert not proves_no_period3(depth2([1, np.inf], [0, 0], [0.5, 0.5], 0))
    assert not proves_no_period3(depth2([1, 1], [0, np.nan], [0.5, 0.5], 0))


def test_a_constant_net_has_no_period_3():
    assert proves_no_period3(depth2([0, 0], [1, -1], [2, 3], 0.5))


def test_small_batches_decide_net_by_net_and_agree_with_the_exact_path():
    rng = np.random.default_rng(5)
    nets = [he(rng, 4) for _ in range(30)] + PLANTED
    assert decide_period3(nets, RELU) == [has_period3(net) for net in nets]


@pytest.mark.parametrize("family", ["row1", "row5", "random-walk"])
def test_decisions_with_the_cover_are_the_exact_ones_on_built_in_families(family):
    """From COVER_MIN_WIDTH neurons decide_period3 tries the f³ cover, in batches (after the batch filter) and
    net by net; on the built-in ReLU-then-identity families both agree with the exact decision (rows 1 and
    random-walk: one net of the 60 is left by the slope tests and proved by the cover)."""
    from verichaos.experiments.filter import COVER_MIN_WIDTH
    from verichaos.experiments.families import builtin_family
    from verichaos.experiments.sampling import sample_chunk

    arrays = sample_chunk(builtin_family(family), COVER_MIN_WIDTH, 2022, range(60))
    exact = [has_period3(net) for net in arrays]
    by_cover = sum(proves_no_period3(net) and not proves_no_period3(net, cover=False) for net in arrays)
    assert by_cover >= (0 if family == "row5" else 1)
    assert decide_period3(arrays, RELU) == exact
    assert [decide_period3([net], RELU)[0] for net in arrays[:20]] == exact[:20]
