"""Random families and sampling: the table rows' exact semantics, family files, per-index determinism."""

from __future__ import annotations

import json
import math
from importlib import resources

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.experiments.families import BUILTIN_NAMES, FamilyError, builtin_family, load_family, parse_family
from verichaos.experiments.sampling import sample_arrays, sample_network, trial_generator
from verichaos.rational import from_float

SEED = 1234
SAMPLEABLE = [name for name in BUILTIN_NAMES if builtin_family(name).refusal() is None]


def schema() -> dict:
    return json.loads(resources.files("verichaos.schemas").joinpath("family-v1.schema.json").read_text(encoding="utf-8"))


def drawn(family: str, width: int = 2, index: int = 5):
    arrays = sample_arrays(builtin_family(family), width, SEED, index)
    return arrays.weights, arrays.biases


def test_row1_is_unit_input_weights_and_he_everywhere_else():
    (w1, w2), (b1, b2) = drawn("row1", width=3)
    rng = trial_generator(SEED, 5)  # constant weights draw nothing: b1, then a, then c
    assert np.array_equal(w1, np.ones((3, 1)))
    assert np.array_equal(b1, rng.standard_normal(3) * math.sqrt(2 / 1))
    assert np.array_equal(w2, rng.standard_normal((1, 3)) * math.sqrt(2 / 3))
    assert np.array_equal(b2, rng.standard_normal(1) * math.sqrt(2 / 3))


def test_row3_biases_are_numpy_uniform_on_zero_one():
    (w1, w2), (b1, b2) = drawn("row3")
    rng = trial_generator(SEED, 5)
    assert np.array_equal(w1, rng.standard_normal((2, 1)) * math.sqrt(2))
    assert np.array_equal(b1, rng.uniform(0, 1, 2))
    assert np.array_equal(w2, rng.standard_normal((1, 2)) * math.sqrt(1))
    assert np.array_equal(b2, rng.uniform(0, 1, 1))


def test_row4_weights_are_normal_k_one_over_the_layers_outputs_and_biases_are_truncated_normals():
    family = builtin_family("row4")
    (w1, _), _ = drawn("row4", width=4)
    rng = trial_generator(SEED, 5)
    assert np.array_equal(w1, rng.standard_normal((4, 1)) * 0.25)  # (1/n_neurons) * randn, n_neurons = 4
    trials = [sample_arrays(family, 4, SEED, i) for i in range(400)]
    biases = np.concatenate([t.biases[0] for t in trials] + [t.biases[1] for t in trials])
    assert biases.min() > -1 and biases.max() < 1
    # N(0,1) conditioned on (-1, 1) has variance 1 - 2*phi(1)/(2*Phi(1) - 1) = 0.2911
    assert abs(biases.var() - 0.2911) < 0.05
    output_weights = np.concatenate([t.weights[1].ravel() for t in trials])
    assert abs(output_weights.std() - 1) < 0.1  # the output layer has one neuron: std 1/1, not 1/k


def test_row5_is_the_run_that_printed_2_28_percent():
    family = builtin_family("row5")
    (w1, w2), (b1, b2) = drawn("row5", width=2)
    rng = trial_generator(SEED, 5)
    for array in (w1, b1, w2):
        assert np.array_equal(array, rng.standard_normal(array.shape) * (2 / 3))
    assert np.array_equal(b2, [0.0])
    assert [str(spec.activation) for spec in family.layers] == ["relu", "identity"]


def test_row5_glorot_is_the_august_notebooks_glorot_with_a_relu_output():
    (w1, w2), (b1, b2) = drawn("row5-glorot", width=3)
    rng = trial_generator(SEED, 5)
    for array, fans in ((w1, 1 + 3), (b1, 1 + 3), (w2, 3 + 1), (b2, 3 + 1)):
        assert np.array_equal(array, rng.standard_normal(array.shape) * math.sqrt(2 / fans))
    assert [str(spec.activation) for spec in builtin_family("row5-glorot").layers] == ["relu", "relu"]


def test_tanh_families_sample_smooth_networks_that_only_the_exact_experiments_refuse():
    plain, clipped = builtin_family("row2-tanh"), builtin_family("row2-tanh-clipped")
    assert [str(spec.activation) for spec in plain.layers] == ["tanh", "tanh"]
    # tanh(clip(z, 0, 1)): the notebook clips in Layer_Dense_Out.forward, then applies the tanh
    assert [str(spec.activation) for spec in clipped.layers] == ["tanh", "hardtanh(max=1, min=0)", "tanh"]
    assert clipped.layer_shapes(4) == [(4, 1), (1, 4), (1, 1)]
    assert [str(spec.activation) for spec in builtin_family("row1-tanh-clipped").layers] == ["tanh", "hardtanh(max=1, min=0)"]
    assert builtin_family("row2").refusal(exact_only=True) is None and plain.refusal() is None
    assert plain.is_smooth and not builtin_family("row2").is_smooth
    assert "uses tanh" in plain.refusal(exact_only=True) and "not piecewise linear" in plain.refusal(exact_only=True)
    net = sample_network(clipped, 2, SEED, 0)
    assert net.widths == (2, 1) and not net.is_piecewise_linear
    assert parse_family(json.loads(json.dumps(clipped.to_json()))) == clipped


def test_variants_clip_the_output_or_add_a_hidden_layer():
    clipped = builtin_family("row1-clipped")
    assert str(clipped.layers[-1].activation) == "hardtanh(max=1, min=0)"
    deep = sample_network(builtin_family("row2-depth3"), 2, SEED, 0)
    assert deep.widths == (2, 2)
    assert [layer.activation.name for layer in deep.layers] == ["relu", "relu", "relu"]


def test_random_walk_at_s_2_draws_exactly_the_networks_of_row1():
    walk = builtin_family("random-walk")
    for index in range(5):
        assert sample_network(walk, 4, SEED, index) == sample_network(builtin_family("row1"), 4, SEED, index)
    assert sample_network(walk.with_parameters({"s": 0.5}), 4, SEED, 0) != sample_network(walk, 4, SEED, 0)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(SAMPLEABLE),
    width=st.integers(1, 6),
    seed=st.integers(0, 2**63),
    index=st.integers(0, 10**9),
)
def test_a_trial_is_a_pure_function_of_family_width_seed_and_index_converted_exactly(name, width, seed, index):
    family = builtin_family(name)
    net = sample_network(family, width, seed, index)
    assert net == sample_network(family, width, seed, index)
    arrays = sample_arrays(family, width, seed, index)
    for layer, weight, bias in zip(net.layers, arrays.weights, arrays.biases):
        assert [[from_float(w) for w in row] for row in weight.tolist()] == [list(row) for row in layer.weight]
        assert [from_float(b) for b in bias.tolist()] == list(layer.bias)
    assert net.metadata == {"family": name, "width": width, "seed": seed, "index": index, **({"parameters": {"s": 2.0}} if family.parameters else {})}


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_every_builtin_is_a_valid_family_file_that_round_trips(name):
    family = builtin_family(name)
    document = family.to_json()
    jsonschema.validate(document, schema())
    assert parse_family(json.loads(json.dumps(document))) == family


def test_a_user_family_file_with_a_parameter(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "format": "verichaos-family",
                "version": 1,
                "name": "mine",
                "parameters": {"sigma": 0.5},
                "layers": [
                    {"weight": {"kind": "he"}, "bias": {"kind": "uniform", "low": -1, "high": 1}, "activation": "relu"},
                    {"weight": {"kind": "normal", "std": "sigma"}, "bias": {"kind": "constant", "value": 0}, "activation": {"name": "hardtanh", "min": 0, "max": 1}},
                ],
            }
        )
    )
    jsonschema.validate(json.loads(path.read_text()), schema())
    family = load_family(path).with_parameters({"sigma": 3})
    (_, w2), (b1, b2) = sample_arrays(family, 8, SEED, 0).weights, sample_arrays(family, 8, SEED, 0).biases
    assert b1.min() >= -1 and b1.max() < 1 and np.array_equal(b2, [0.0])
    assert w2.shape == (1, 8) and w2.std() > 1  # std 3, not 0.5


LAYER = {"weight": {"kind": "he"}, "bias": {"kind": "he"}, "activation": "relu"}
BASE = {"format": "verichaos-family", "version": 1, "name": "x", "layers": [LAYER, LAYER]}


# (change to a valid file, message, whether the JSON schema alone rejects it too)
BAD_FILES = [
    ({"format": "verichaos-network"}, "'format' must be 'verichaos-family'", True),
    ({"version": 2}, "unsupported family version 2", True),
    ({"name": ""}, "'name' must be a non-empty string", True),
    ({"layers": [LAYER]}, "at least 2 layers", True),
    ({"extra": 1}, "unknown field 'extra'", True),
    ({"layers": [LAYER, {"weight": {"kind": "he"}, "activation": "relu"}]}, "layer 1: missing bias", True),
    ({"layers": [LAYER, {**LAYER, "bias": {"kind": "cauchy"}}]}, "unknown kind 'cauchy'", True),
    ({"layers": [LAYER, {**LAYER, "bias": {"kind": "normal"}}]}, "exactly one of 'std' or 'variance'", True),
    ({"layers": [LAYER, {**LAYER, "bias": {"kind": "normal", "std": 1, "per": "fan_in"}}]}, "'per' must be one of", True),
    ({"layers": [LAYER, {**LAYER, "bias": {"kind": "constant"}}]}, "constant: missing value", True),
    ({"parameters": {"s": "big"}}, "parameter 's': expected a finite number", True),
    ({"layers": [LAYER, {**LAYER, "activation": "gelu"}]}, "not piecewise linear", False),
    ({"layers": [LAYER, {**LAYER, "activation": {"name": "tanh", "scale": 2}}]}, "tanh has no parameter 'scale'", False),
    ({"layers": [{**LAYER, "outputs": 2}, LAYER]}, "'outputs' can only be 1", True),
    ({"layers": [LAYER, {**LAYER, "bias": {"kind": "normal", "std": "s"}}]}, "'s' is not a declared parameter", False),
    ({"layers": [LAYER, {**LAYER, "bias": {"kind": "normal", "std": 1, "truncate": [0.5, 1]}}]}, "lo < 0 < hi", False),
    ({"layers": [LAYER, {**LAYER, "bias": {"kind": "uniform", "low": 1, "high": 0}}]}, "low < high", False),
]


@pytest.mark.parametrize(("change", "message", "schema_rejects"), BAD_FILES)
def test_family_file_errors_say_what_and_where(change, message, schema_rejects):
    document = {**BASE, **change}
    with pytest.raises(FamilyError) as raised:
        parse_family(document)
    assert message in str(raised.value)
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(document))
    assert bool(errors) == schema_rejects


def test_unreadable_or_non_json_family_files(tmp_path):
    with pytest.raises(FamilyError, match="cannot read"):
        load_family(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(FamilyError, match="not valid JSON"):
        load_family(tmp_path / "bad.json")
    with pytest.raises(FamilyError, match="unknown family 'row9'"):
        builtin_family("row9")
    with pytest.raises(FamilyError, match="has no parameter 'q'"):
        builtin_family("random-walk").with_parameters({"q": 1})
