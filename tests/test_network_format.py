"""The network file format (docs/formats.md): exact numbers, validation messages, canonical hash."""

from __future__ import annotations

import json
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verichaos.network import Network, NetworkFormatError, load_network, loads_exact, parse_network
from verichaos.rational import Q, from_float
from verichaos.strategies import activation_functions, networks, respellings

NETS = networks(
    depth=(1, 3), width=(1, 3), activations=activation_functions(), output_activations=activation_functions()
)
SPELLED = NETS.flatmap(lambda net: st.tuples(st.just(net), respellings(net)))
# The tent map's hash, pinned so that the canonical serialization cannot drift silently.
TENT_SHA256 = "b007aefb1da7a0403686ce1d2e504c7826309a490522c4a9484f5b3018a50dc4"
SPELLED_TEXT = NETS.flatmap(lambda net: st.tuples(st.just(net), respellings(net, text=True)))


def document(*layers: dict) -> dict:
    return {"format": "verichaos-network", "version": 1, "layers": list(layers)}


def layer(weight, bias, activation="identity") -> dict:
    return {"weight": weight, "bias": bias, "activation": activation}


def refusal(doc_or_text: dict | str) -> str:
    """The message of the NetworkFormatError that reading the input raises."""
    with pytest.raises(NetworkFormatError) as error:
        parse_network(loads_exact(doc_or_text) if isinstance(doc_or_text, str) else doc_or_text)
    return str(error.value)


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("spelling", "value"),
    [
        (3, Fraction(3)),
        (-12, Fraction(-12)),
        ("3", Fraction(3)),
        ("+3", Fraction(3)),
        ("-0", Fraction(0)),
        ("1/3", Fraction(1, 3)),
        ("-7/2", Fraction(-7, 2)),
        ("6/4", Fraction(3, 2)),
        ("0.125", Fraction(1, 8)),
        ("0.1", Fraction(1, 10)),
        ("-1e-3", Fraction(-1, 1000)),
        ("2.5E2", Fraction(250)),
        (".5", Fraction(1, 2)),
        ("5.", Fraction(5)),
        (Fraction(2, 3), Fraction(2, 3)),
    ],
)
def test_every_number_spelling_in_a_document(spelling, value):
    net = parse_network(document(layer([[spelling]], [spelling])))
    assert net.layers[0].weight[0][0] == Q(value)
    assert net.layers[0].bias[0] == Q(value)


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("0.1", Fraction(1, 10)),
        ("-1e-3", Fraction(-1, 1000)),
        ("2.5E2", Fraction(250)),
        ("0.30000000000000004", Fraction(30000000000000004, 10**17)),
        ("12345678901234567890123", Fraction(12345678901234567890123)),
        ("1e999", Fraction(10**999)),  # finite and exact, never the float overflow to infinity
    ],
)
def test_json_number_literals_mean_their_decimal_text(literal, value):
    text = '{"format": "verichaos-network", "version": 1, "layers": [{"weight": [[%s]], "bias": [0], "activation": "identity"}]}'
    net = parse_network(loads_exact(text % literal))
    assert net.layers[0].weight[0][0] == Q(value)


def test_literal_one_tenth_is_not_the_float_nearest_to_it():
    net = parse_network(
        loads_exact(json.dumps(document(layer([[1]], [0]))).replace('"weight": [[1]]', '"weight": [[0.1]]'))
    )
    assert net.layers[0].weight[0][0] == Q(1, 10)
    assert net.layers[0].weight[0][0] != from_float(0.1)


def test_python_floats_are_refused_in_documents_but_exact_in_from_arrays():
    assert "binary float" in refusal(document(layer([[0.5]], [0])))
    net = Network.from_arrays([[[0.1]]], [[0]], ["identity"])
    assert net.layers[0].weight[0][0] == from_float(0.1) == Q(3602879701896397, 2**55)


def test_numbers_between_4300_and_10000_digits_are_read_exactly():
    # Python's int() refuses text beyond 4300 digits; the format allows 10,000.
    big = "7" * 5000
    net = parse_network(document(layer([[big]], [f"1/{big}"])))
    assert net.layers[0].weight[0][0] == Q(7 * (10**5000 - 1) // 9)
    assert net.layers[0].bias[0] * net.layers[0].weight[0][0] == 1


def _huge(digits: int) -> str:
    return "9" * digits


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("-Infinity", "finite"),
        ('"NaN"', "finite"),
        ('"inf"', "finite"),
        ('"-Infinity"', "finite"),
        ("1e100001", "exponent"),
        ('"1e-100001"', "exponent"),
        (_huge(10**6), "digits"),
        (f'"{_huge(10**6)}"', "digits"),
        (f'"1/{_huge(10**6)}"', "digits"),
        (f'"0.{_huge(10**6)}"', "digits"),
    ],
    ids=[
        "NaN",
        "Infinity",
        "-Infinity",
        "NaN-string",
        "inf-string",
        "-Infinity-string",
        "exponent",
        "exponent-string",
        "million-digit-literal",
        "million-digit-string",
        "million-digit-denominator",
        "million-digit-decimal",
    ],
)
def test_non_finite_and_absurd_numbers_are_refused_quickly(entry, message):
    text = '{"format": "verichaos-network", "version": 1, "layers": [{"weight": [[%s]], "bias": [0], "activation": "identity"}]}'
    started = time.perf_counter()
    refused = refusal(text % entry)
    assert time.perf_counter() - started < 1
    assert message in refused
    assert len(refused) < 300, "a refusal is one readable line, not an echo of the input"


def test_a_huge_number_in_a_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document(layer([[1]], [_huge(10**6)]))))
    started = time.perf_counter()
    with pytest.raises(NetworkFormatError, match="layer 0, bias entry 0: number with 1000000 digits"):
        load_network(path)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        (document(layer([["1/0"]], [0])), "layer 0, weight row 0, column 0: '1/0' has a zero denominator"),
        (
            document(layer([[1], [1]], [0, 0], "relu"), layer([[1, "-3/0"]], [0])),
            "layer 1, weight row 0, column 1: '-3/0' has a zero denominator",
        ),
        (document(layer([[1]], ["2/0"])), "layer 0, bias entry 0: '2/0' has a zero denominator"),
    ],
)
def test_zero_denominators_are_refused_with_their_place(doc, where):
    assert where in refusal(doc)


# ------------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        (
            document(layer([[1], [1]], [0, 0], "relu"), layer([[1, 2, 3]], [0])),
            "layer 1, weight row 0: has 3 columns, expected 2 (layer 0 has 2 outputs)",
        ),
        (
            document(layer([[1], [1, 2]], [0, 0], "relu"), layer([[1, 2]], [0])),
            "layer 0, weight row 1: has 2 columns, expected 1",
        ),
        (document(layer([[1], [1]], [0], "relu"), layer([[1, 2]], [0])), "layer 0, bias: has 1 entries, expected 2"),
        (document(layer([], [], "relu")), "layer 0, weight: has no rows"),
        (
            document(layer([[1], [1]], [0, 0], "relu"), layer([[1, [2]]], [0])),
            "layer 1, weight row 0, column 1: expected a number, got list",
        ),
        (
            document(layer([[1], [1]], [0, 0], "relu"), layer([[1, "two"]], [0])),
            "layer 1, weight row 0, column 1: 'two' is not a number",
        ),
        (
            document(layer([[1], [1]], [0, True], "relu"), layer([[1, 1]], [0])),
            "layer 0, bias entry 1: True is a boolean",
        ),
        (document(layer([1], [0])), "layer 0, weight row 0: expected a list, got int"),
        (document({"weight": [[1]], "bias": [0]}), "layer 0: missing activation"),
        (
            document({"weight": [[1]], "bias": [0], "activation": "relu", "dropout": 0}),
            "layer 0: unknown field 'dropout'",
        ),
        (document(), "a network needs at least one layer"),
        ({"format": "verichaos-network", "version": 2, "layers": []}, "unsupported network version 2"),
        ({"format": "onnx", "version": 1, "layers": []}, "'format' must be 'verichaos-network'"),
    ],
)
def test_wrong_shapes_name_layer_row_and_column(doc, where):
    assert where in refusal(doc)


def test_input_dimension_must_be_1():
    assert "layer 0, weight row 0: has 2 columns, expected 1 (the input dimension is 1)" in refusal(
        document(layer([[1, 1]], [0]))
    )


def test_output_dimension_must_be_1():
    message = refusal(document(layer([[1], [2]], [0, 0])))
    assert "layer 0: has 2 outputs, but the output dimension must be 1" in message


# -------------------------------------------------------------- activations


@pytest.mark.parametrize("name", ["gelu", "softplus", "GELU"])
def test_unsupported_smooth_activations_are_refused_with_the_reason(name):
    message = refusal(document(layer([[1]], [0], name)))
    assert message.startswith("layer 0, activation:")
    assert "not piecewise linear" in message
    assert "supported: abs, hardtanh, identity, leaky_relu, relu, sigmoid, tanh" in message


@pytest.mark.parametrize(
    ("activation", "message"),
    [
        (
            "relu7",
            "layer 0, activation: unknown activation 'relu7'; supported: abs, hardtanh, identity, leaky_relu, relu",
        ),
        ({"name": "hardtanh", "min": 1, "max": 1}, "layer 0, activation: hardtanh needs min < max"),
        ({"name": "leaky_relu", "slope": "1/10"}, "layer 0, activation: leaky_relu has no parameter 'slope'"),
        ({"name": "leaky_relu", "alpha": "1/0"}, "leaky_relu parameter 'alpha': '1/0' has a zero denominator"),
        ({"alpha": "1/10"}, "layer 0, activation: an activation object needs a string 'name'"),
        (3, "layer 0, activation: expected a name or an object, got int"),
    ],
)
def test_unknown_and_malformed_activations(activation, message):
    assert message in refusal(document(layer([[1]], [0], activation)))


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("ReLU", "relu"),
        ({"name": "clip", "min": 0, "max": 1}, {"max": "1", "min": "0", "name": "hardtanh"}),
        ("hardtanh", {"max": "1", "min": "-1", "name": "hardtanh"}),
        ("leaky_relu", {"alpha": "1/100", "name": "leaky_relu"}),
        ({"name": "leaky_relu", "alpha": "0.2"}, {"alpha": "1/5", "name": "leaky_relu"}),
    ],
)
def test_activation_spellings_have_one_canonical_form(spelling, canonical):
    net = parse_network(document(layer([[1]], [0], spelling)))
    assert net.to_json()["layers"][0]["activation"] == canonical


# ------------------------------------------------------- canonical form, hash


@settings(max_examples=40, deadline=None)
@given(SPELLED)
def test_respelled_documents_parse_to_the_same_network_and_hash(spelled):
    net, doc = spelled
    parsed = parse_network(doc)
    assert parsed == net
    assert parsed.sha256 == net.sha256
    assert parsed.canonical_json() == net.canonical_json()


@settings(max_examples=40, deadline=None)
@given(SPELLED_TEXT)
def test_respelled_json_text_parses_to_the_same_network_and_hash(spelled):
    """White space, key order, metadata and bare literals like 0.125 change nothing."""
    net, text = spelled
    parsed = parse_network(loads_exact(text))
    assert parsed == net
    assert parsed.sha256 == net.sha256


@settings(max_examples=40, deadline=None)
@given(NETS)
def test_canonical_document_round_trips(net):
    assert parse_network(json.loads(json.dumps(net.to_json()))) == net
    assert parse_network(loads_exact(net.canonical_json())).canonical_json() == net.canonical_json()


@settings(max_examples=40, deadline=None)
@given(NETS, st.data())
def test_hash_changes_when_one_weight_moves_by_one_billionth(net, data):
    index = data.draw(st.integers(0, len(net.layers) - 1), label="layer")
    doc = net.to_json()
    row = data.draw(st.integers(0, len(doc["layers"][index]["weight"]) - 1), label="row")
    column = data.draw(st.integers(0, len(doc["layers"][index]["weight"][row]) - 1), label="column")
    weight = doc["layers"][index]["weight"][row]
    weight[column] = str(Q(weight[column]) + Q(1, 10**9))
    moved = parse_network(doc)
    assert moved != net
    assert moved.sha256 != net.sha256


def test_hash_ignores_metadata_and_formatting():
    tent = document(layer([[1], [1]], [0, "-1/2"], "relu"), layer([[2, -4]], [0]))
    same = {
        "metadata": {"name": "tent"},
        "layers": [
            {"activation": "ReLU", "bias": ["0.0", "-0.5"], "weight": [["2/2"], [1]]},
            {"bias": ["-0"], "weight": [["4/2", "-4.0e0"]], "activation": {"name": "identity"}},
        ],
        "version": 1,
        "format": "verichaos-network",
    }
    assert (
        parse_network(tent).sha256
        == parse_network(same).sha256
        == parse_network(loads_exact(json.dumps(same, indent=3))).sha256
    )
    assert parse_network(tent).sha256 == TENT_SHA256
