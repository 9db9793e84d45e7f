"""The interval filter proves only what the exact path confirms, and the pipeline's records do not change with it."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.dynamics import core_interval, find_period3_orbit, periodic_orbits
from verichaos.experiments import measure
from verichaos.experiments.families import BUILTIN_NAMES, builtin_family
from verichaos.experiments.filter import FILTER_MIN_WORK, PHI_BELOW, Proof, add, decide_period3, div, mul, prove, sub, total
from verichaos.experiments.measure import Chunk, measure_chunk
from verichaos.experiments.sampling import FloatNetwork, exact_from_arrays, exact_network, network_sha256, sample_arrays, sample_chunk
from verichaos.network import Network
from verichaos.pwl import from_network

PIECEWISE_LINEAR = [name for name in BUILTIN_NAMES if all(layer.activation.is_piecewise_linear for layer in builtin_family(name).layers)]
DEPTH2 = [name for name in PIECEWISE_LINEAR if len(builtin_family(name).layers) == 2]
PHI = (1 + 5**0.5) / 2  # float ok: planted slopes near φ, the nets' exact values are these floats


def exact_answers(net: Network) -> dict[str, object]:
    f = from_network(net)
    core = core_interval(f)
    fixed = f.fixed_points()
    return {
        "period3": find_period3_orbit(f, core) is not None,
        "period2": bool(periodic_orbits(f, 2, core)),
        "fixed_points": len(fixed) if not fixed.intervals else None,
        "lap_f3": f.iterate(3, within=core).lap_number(*core),
    }


def assert_filter_agrees(arrays: list[FloatNetwork], activations: list[object]) -> Proof:
    """Every claim of the filter is the exact answer."""
    proof = prove(arrays, activations)
    for row, sample in enumerate(arrays):
        exact = exact_answers(Network.from_arrays(sample.weights, sample.biases, activations))
        if proof.no_period3[row]:
            assert not exact["period3"], row
        if proof.no_period2[row]:
            assert not exact["period2"], row
        if proof.fixed_points[row] >= 0:
            assert proof.fixed_points[row] == exact["fixed_points"], row
        if proof.lap_f3[row] >= 0:
            assert proof.lap_f3[row] == exact["lap_f3"], row
    return proof


def test_the_float_below_phi_is_below_phi_exactly():
    x = Fraction(PHI_BELOW)
    assert x > Fraction(8, 5) and (2 * x - 1) ** 2 < 5


def encloses(lo: float, hi: float, values: list[Fraction]) -> bool:
    """lo ≤ every value ≤ hi, where an infinite end bounds everything."""
    return (lo == -np.inf or Fraction(lo) <= min(values)) and (hi == np.inf or max(values) <= Fraction(hi))


finite = st.floats(-1e6, 1e6, allow_nan=False) | st.sampled_from([0.0, 1.0, -1.0, 0.1, 2.0**-60, 3.0])


@given(finite, finite, finite, finite)
def test_interval_operations_enclose_the_exact_result(a, b, c, d):
    x, y = (np.array([min(a, b)]), np.array([max(a, b)])), (np.array([min(c, d)]), np.array([max(c, d)]))
    corners_x, corners_y = [Fraction(v) for v in (a, b)], [Fraction(v) for v in (c, d)]
    for operation, exact in ((add, lambda p, q: p + q), (sub, lambda p, q: p - q), (mul, lambda p, q: p * q)):
        lo, hi = operation(x, y)
        assert encloses(lo[0], hi[0], [exact(p, q) for p in corners_x for q in corners_y])
    lo, hi = div(x, y)
    if min(c, d) > 0 or max(c, d) < 0:
        assert encloses(lo[0], hi[0], [p / q for p in corners_x for q in corners_y])
    else:
        assert lo[0] == -np.inf and hi[0] == np.inf


@given(st.lists(finite, min_size=1, max_size=40))
def test_sums_of_many_terms_are_enclosed(terms):
    array = np.array([terms])
    lo, hi = total((array, array), axis=1)
    assert encloses(lo[0], hi[0], [sum(map(Fraction, terms))])


@pytest.mark.parametrize("family", DEPTH2)
@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), width=st.sampled_from([2, 3, 8]))
def test_filter_agrees_with_the_exact_path_on_every_builtin_family(family, seed, width):
    spec = builtin_family(family)
    arrays = [sample_arrays(spec, width, seed, i) for i in range(12)]
    assert_filter_agrees(arrays, [layer.activation for layer in spec.layers])


def test_filter_proves_most_paper_table_nets():
    """Not a timing: a filter that proved nothing would agree with everything."""
    spec = builtin_family("row1")
    proof = assert_filter_agrees([sample_arrays(spec, 2, 7, i) for i in range(60)], ["relu", "identity"])
    assert proof.no_period2.sum() >= 40 and (proof.fixed_points >= 0).sum() >= 40


def test_deeper_nets_are_left_to_the_exact_path():
    spec = builtin_family("row1-depth3")
    proof = prove([sample_arrays(spec, 2, 7, i) for i in range(5)], [layer.activation for layer in spec.layers])
    assert not proof.no_period3.any() and not proof.no_period2.any() and (proof.fixed_points == -1).all()


def depth2(w, b, a, c) -> FloatNetwork:
    return FloatNetwork((np.array(w, float)[:, None], np.array([a], float)), (np.array(b, float), np.array([c], float)))


def near(value: float) -> list[float]:
    return [float(np.nextafter(value, -np.inf)), value, float(np.nextafter(value, np.inf))]


PLANTED = [
    # x ↦ −x: every point but 0 has period 2; its slope is exactly −1
    depth2([1, -1], [0, 0], [-1, 1], 0),
    # tents whose steeper side is within an ulp of φ, with the peak on the diagonal's 3-cycle side
    *[depth2([1, 1], [0, -0.5], [s, -2 * s], 0) for s in near(PHI)],
    *[depth2([1, 1], [0, -0.5], [2, -2 - s], 0) for s in near(PHI)],
    # slopes within an ulp of −1 and of 1
    *[depth2([1, 1], [0, -1], [s, -2 * s], 0.5) for s in near(-1.0) + near(1.0)],
    # fixed points exactly at breakpoints (f(0) = 0) and a tail of slope exactly 1
    depth2([1, 1], [0, -1], [1, -0.5], 0),
    depth2([1, -1], [0, 0], [1, 0.5], 0),
    # two equal breakpoints, and breakpoints one ulp apart
    depth2([1, 1], [0.25, 0.25], [1.5, -3], 0.1),
    depth2([1, 1], [0.25, float(np.nextafter(0.25, 1))], [1.5, -3], 0.1),
    # the hull's end on a breakpoint: f(ℝ) = [0, ∞) with a knot at 0
    depth2([1, 1], [0, -2], [-1, 3], 0),
    # with ReLU output, a core that is the single point 0 next to a piece of slope −2
    depth2([1, -1], [0, 0.1], [-3, 2], -0.5),
]


@pytest.mark.parametrize("output", ["identity", "relu", {"name": "hardtanh", "min": 0, "max": 1}])
def test_filter_never_claims_what_a_near_degenerate_net_does_not_have(output):
    assert_filter_agrees(PLANTED, ["relu", output])


@pytest.mark.parametrize("hidden", ["abs", {"name": "leaky_relu", "alpha": "1/3"}, {"name": "hardtanh", "min": -1, "max": 2}])
@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.5, -0.5, 1.0, -1.0, PHI, -PHI, 2.0, -2.0, 0.25]), min_size=9, max_size=9))
def test_filter_agrees_on_other_activations_and_planted_values(hidden, values):
    w = [v if v else 1.0 for v in values[0:2]] + [values[8] or -1.0]
    net = depth2(w, values[2:5], values[5:8], values[8])
    assert_filter_agrees([net], [hidden, "identity"])


def test_a_core_that_is_one_point_is_proved_free_of_cycles():
    proof = prove([PLANTED[-1]], ["relu", "relu"])
    assert proof.no_period2[0] and proof.lap_f3[0] == 1
    assert proof.fixed_points[0] == -1  # f(0) = 0 at a breakpoint: a zero gap the floats cannot sign


def test_x_to_minus_x_is_not_proved_free_of_period_two():
    proof = prove([PLANTED[0]], ["relu", "identity"])
    assert not proof.no_period2[0] and proof.fixed_points[0] == -1


@pytest.mark.parametrize("family", PIECEWISE_LINEAR)
def test_records_are_the_same_with_and_without_the_filter(family, monkeypatch):
    chunk = Chunk(builtin_family(family), 3, 11, tuple(range(40)))
    filtered = measure_chunk(chunk)
    monkeypatch.setattr(measure, "prove", lambda batch, activations: Proof.nothing(len(batch)))
    exact = measure_chunk(chunk)
    assert json.dumps(filtered[0]) == json.dumps(exact[0])
    assert sorted(filtered[1]) == sorted(exact[1])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**130), indices=st.lists(st.integers(0, 2**33), min_size=1, max_size=6), family=st.sampled_from(BUILTIN_NAMES))
def test_chunk_sampling_draws_what_each_trial_draws_alone(seed, indices, family):
    spec = builtin_family(family)
    for together, alone in zip(sample_chunk(spec, 3, seed, indices), [sample_arrays(spec, 3, seed, i) for i in indices]):
        for a, b in zip(together.weights + together.biases, alone.weights + alone.biases):
            assert np.array_equal(a, b)


@pytest.mark.parametrize(
    "weights, biases",
    [
        ([np.array([[1.0], [np.inf]]), np.array([[1.0, 2.0]])], [np.zeros(2), np.zeros(1)]),  # not finite
        ([np.array([[1.0, 2.0]]), np.array([[1.0]])], [np.zeros(1), np.zeros(1)]),  # first layer takes 2 inputs
        ([np.array([[1.0], [2.0]]), np.array([[1.0, 2.0]])], [np.zeros(3), np.zeros(1)]),  # bias too long
    ],
)
def test_direct_conversion_refuses_what_the_parser_refuses(weights, biases):
    with pytest.raises(Exception) as parsed:
        Network.from_arrays(weights, biases, ["relu", "identity"])
    with pytest.raises(type(parsed.value), match=".+"):
        exact_from_arrays(FloatNetwork(tuple(weights), tuple(biases)), ["relu", "identity"])


def test_chunk_sampling_refuses_a_negative_seed_as_numpy_does():
    with pytest.raises(ValueError):
        sample_chunk(builtin_family("row1"), 2, -5, [0, 1])


def test_fast_exact_network_and_float_hash_match_the_parsed_network():
    for family in PIECEWISE_LINEAR:
        spec = builtin_family(family)
        for index in range(3):
            sample = sample_arrays(spec, 3, 5, index)
            parsed = Network.from_arrays(sample.weights, sample.biases, [layer.activation for layer in spec.layers])
            fast = exact_network(spec, sample)
            assert fast == parsed and fast.canonical_json() == parsed.canonical_json()
            assert exact_from_arrays(sample, [layer.activation.to_json() for layer in spec.layers]) == parsed
            assert network_sha256(spec, sample) == parsed.sha256


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_floats_exact_value_is_its_binary_value(x):
    from gmpy2 import mpq
    from verichaos.experiments.sampling import _exact
    assert _exact(x) == mpq(x) == Fraction(x) and _exact(x).denominator & (_exact(x).denominator - 1) == 0


def test_filtered_period_three_decisions_are_the_exact_ones():
    rng = np.random.default_rng(3)
    nets = [depth2(rng.normal(0, 1.4, 2), rng.normal(0, 1.4, 2), rng.normal(0, 3, 2), rng.normal()) for _ in range(300)] + PLANTED
    exact = [find_period3_orbit(from_network(Network.from_arrays(n.weights, n.biases, ["relu", "identity"]))) is not None for n in nets]
    assert len(nets) * (2 + 12) >= FILTER_MIN_WORK  # the batch filter does run
    assert decide_period3(nets, ["relu", "identity"]) == exact
    assert any(exact) and not all(exact)


def test_sums_that_overflow_keep_a_true_lower_bound():
    big = np.array([np.finfo(np.float64).max])
    with np.errstate(all="ignore"):
        lo, hi = add((big, big), (big, big))
        low, high = add((-big, -big), (-big, -big))
    assert lo[0] <= np.finfo(np.float64).max and hi[0] == np.inf
    assert low[0] == -np.inf and high[0] >= -np.finfo(np.float64).max


def test_nets_of_other_shapes_are_left_to_the_exact_path():
    two_inputs = FloatNetwork((np.ones((2, 2)), np.array([[0.5, -0.5]])), (np.array([0.0, -1.0]), np.zeros(1)))  # gentle if read as one input
    proof = prove([two_inputs], ["relu", "identity"])
    assert not proof.no_period3.any() and not proof.no_period2.any() and (proof.fixed_points == -1).all()
