"""Smooth activations in the network format: parsing, identity, honest refusals, import and export."""

import json
from pathlib import Path

import numpy as np
import pytest

from verichaos.network import NetworkFormatError, NotPiecewiseLinearError, Network, load_network, parse_activation
from verichaos.pwl import from_network
from verichaos.rational import Q

CERTIFICATES = Path(__file__).parent.parent / "certificates"


def mixed():
    return Network.from_arrays([[[1], [2]], [[1, 1], [3, -1]], [[2, "1/2"]]], [[0, -1], [0, "1/3"], [0]],
                               ["tanh", "relu", "sigmoid"])


def test_smooth_activations_parse_in_any_layer_and_round_trip():
    net = mixed()
    assert [str(layer.activation) for layer in net.layers] == ["tanh", "relu", "sigmoid"]
    assert not net.is_piecewise_linear and net.smooth_activations == ("sigmoid", "tanh")
    again = Network.from_arrays([[[1], [2]], [[1, 1], [3, -1]], [[2, "1/2"]]], [[0, -1], [0, "1/3"], [0]],
                                ["Tanh", "relu", {"name": "sigmoid"}])
    assert again == net and again.sha256 == net.sha256
    assert json.loads(net.canonical_json())["layers"][0]["activation"] == "tanh"


def test_smooth_activations_take_no_parameters():
    with pytest.raises(NetworkFormatError, match="tanh has no parameter 'alpha'"):
        parse_activation({"name": "tanh", "alpha": 1})


@pytest.mark.parametrize("name", ["tent", "he-16", "rotation"])
def test_the_hash_of_piecewise_linear_networks_is_unchanged(name):
    net = load_network(CERTIFICATES / f"{name}.json")
    certificate = json.loads((CERTIFICATES / f"{name}.cert.json").read_text())
    assert net.is_piecewise_linear and net.smooth_activations == ()
    assert net.sha256 == certificate["network_sha256"]


def test_a_smooth_network_has_no_exact_values_and_no_piecewise_linear_map():
    net = mixed()
    with pytest.raises(NotPiecewiseLinearError, match="exact evaluation needs a piecewise-linear network.*sigmoid, tanh"):
        net(Q(1, 2))
    with pytest.raises(NotPiecewiseLinearError, match="building the exact piecewise-linear map"):
        from_network(net)
    with pytest.raises(NotPiecewiseLinearError, match="tanh is not piecewise linear"):
        net.layers[0].activation.thresholds


def test_onnx_round_trip_of_tanh_and_sigmoid(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx.reference import ReferenceEvaluator

    from verichaos.convert.onnx_io import encode_onnx, read_onnx
    net = Network.from_arrays([[[1], [2]], [[1, 1], [3, -1]], [[2, 0.5]]], [[0, -1], [0, 0.25], [0]],
                              ["tanh", "relu", "sigmoid"])
    data, rounding = encode_onnx(net, "float64")
    (tmp_path / "m.onnx").write_bytes(data)
    model = onnx.load(str(tmp_path / "m.onnx"))
    assert [node.op_type for node in model.graph.node] == ["Gemm", "Tanh", "Gemm", "Relu", "Gemm", "Sigmoid"]
    assert read_onnx(tmp_path / "m.onnx") == net
    x = 0.3
    (y,) = ReferenceEvaluator(model).run(None, {"x": np.array([[x]])})
    h = np.tanh([x, 2 * x - 1])
    expected = 1 / (1 + np.exp(-(2 * max(h[0] + h[1], 0) + 0.5 * max(3 * h[0] - h[1] + 0.25, 0))))
    assert abs(float(y[0, 0]) - expected) < 1e-12  # float ok: checks the exported graph's meaning


def test_torch_import_of_tanh_and_sigmoid(tmp_path):
    torch = pytest.importorskip("torch")
    from verichaos.convert.torch_io import read_torch
    model = torch.nn.Sequential(torch.nn.Linear(1, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1), torch.nn.Sigmoid())
    torch.save(model, tmp_path / "m.pt")
    net = read_torch(tmp_path / "m.pt")
    assert [str(layer.activation) for layer in net.layers] == ["tanh", "sigmoid"]
