"""Import and export of trained models (issue 6), and every piecewise-linear activation end to end.

Each imported model is compared with the framework's own forward pass, within
a rounding bound computed exactly from the weights (Higham's γₙ bound for
dot products), then certified and re-checked by the independent checker.
Tests that need PyTorch or ONNX skip where those optional extras are missing.
"""

from __future__ import annotations

import json
import pickle
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from verichaos.certificate import certify
from verichaos.checker import check_certificate
from verichaos.cli import app
from verichaos.convert import ConversionError, export, load_any
from verichaos.convert.chain import parse_activations
from verichaos.convert.floats import exact_values, nearest
from verichaos.convert.npz_io import read_npz
from verichaos.network import Network, NetworkFormatError, loads_exact, parse_activation, parse_network
from verichaos.pwl import from_network
from verichaos.rational import Q, from_float
from verichaos.strategies import networks

TENT = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
TENT_ORBIT = (Q(2, 7), Q(4, 7), Q(6, 7))
ACTIVATIONS = [
    "relu",
    "identity",
    "abs",
    {"name": "leaky_relu", "alpha": "1/8"},
    "leaky_relu",
    {"name": "hardtanh", "min": 0, "max": 1},
    {"name": "clip", "min": "-1/2", "max": "3/4"},
    "hardtanh",
]
# Parameters that float32 holds exactly, so that exports round-trip.
DYADIC_ACTIVATIONS = ["relu", "identity", "abs", {"name": "leaky_relu", "alpha": "1/8"}, {"name": "hardtanh", "min": "-1/2", "max": 1}]
DYADIC = st.integers(-64, 64).map(lambda n: Q(n, 16))
SAMPLES = [Q(n, 7) for n in range(-14, 15)]
runner = CliRunner()


def checked_claim(net: Network) -> str:
    """Certify, save as JSON text, re-check independently; the claim, once VERIFIED."""
    certificate = certify(net)
    code, line = check_certificate(json.dumps(certificate.document))
    assert code == 0, line
    return certificate.claim


def rounding_bound(net: Network, x: Q, unit: Fraction) -> Q:
    """A bound on |float forward pass − exact value| at x, with unit roundoff ``unit``.

    Weights and x are taken as exact floats; each dot product of n terms plus
    a bias has error at most γ_{n+1}·Σ|w||h| (Higham, Accuracy and Stability
    of Numerical Algorithms, §3.1), errors propagate through |W|, activations
    are max(1, |α|)-Lipschitz, and leaky_relu's product rounds once more.
    """
    u = Q(unit.numerator, unit.denominator)
    magnitude, error = [abs(x)], [Q(0)]
    for layer in net.layers:
        n = layer.fan_in + 1
        gamma = n * u / (1 - n * u)
        sums = [sum((abs(w) * m for w, m in zip(row, magnitude)), abs(b)) for row, b in zip(layer.weight, layer.bias)]
        propagated = [sum(abs(w) * e for w, e in zip(row, error)) for row in layer.weight]
        params = dict(layer.activation.params)
        lipschitz = max(Q(1), abs(params.get("alpha", Q(1))))
        extra = u if layer.activation.name == "leaky_relu" else Q(0)
        error = [lipschitz * (p + gamma * s) + extra * lipschitz * s for p, s in zip(propagated, sums)]
        magnitude = [lipschitz * s for s in sums]
    return error[0]


# ------------------------------------------------------- activations, no extras


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=json.dumps)
def test_every_activation_round_trips_format_pwl_certificate_and_checker(activation):
    for hidden, output in ((activation, "identity"), ("relu", activation)):
        document = {"format": "verichaos-network", "version": 1, "layers": [
            {"weight": [[1], [1]], "bias": [0, "-1/2"], "activation": hidden},
            {"weight": [[2, -4]], "bias": [0], "activation": output},
        ]}
        net = parse_network(loads_exact(json.dumps(document)))
        assert parse_network(loads_exact(json.dumps(net.to_json()))) == net  # canonical spelling re-reads
        f = from_network(net)
        for x in SAMPLES:
            assert f(x) == net(x)
        claim = checked_claim(net)
        orbit_survives = all(net(TENT_ORBIT[i]) == TENT_ORBIT[(i + 1) % 3] for i in range(3))
        if orbit_survives:
            assert claim == "period-3"


@pytest.mark.parametrize("name", ["gelu", "softplus", "silu", "elu"])
def test_smooth_activations_are_refused_with_the_reason(name):
    with pytest.raises(NetworkFormatError, match=f"'{name}' is not piecewise linear.*exact certification does not apply"):
        parse_activation(name)


@settings(max_examples=25, deadline=None)
@given(networks(depth=(1, 3), width=(1, 3), activations=st.sampled_from(ACTIVATIONS), output_activations=st.sampled_from(ACTIVATIONS)))
def test_random_networks_of_every_activation_are_certified_and_checked(net):
    f = from_network(net)
    assert all(f(x) == net(x) for x in SAMPLES[::4])
    checked_claim(net)


def test_arch_lists_read_framework_spellings():
    alpha_double = from_float(0.1)
    assert [str(a) for a in parse_activations("ReLU, LeakyReLU(0.1), relu6, clip(0,1), identity, abs")] == [
        "relu",
        f"leaky_relu(alpha={alpha_double})",
        "hardtanh(max=6, min=0)",
        "hardtanh(max=1, min=0)",
        "identity",
        "abs",
    ]
    assert str(parse_activations("leaky_relu(1/10)")[0]) == "leaky_relu(alpha=1/10)"
    assert [str(a) for a in parse_activations("Tanh, sigmoid")] == ["tanh", "sigmoid"]
    with pytest.raises(ConversionError, match="'gelu' is not piecewise linear"):
        parse_activations("relu,gelu")
    with pytest.raises(ConversionError, match="at most 1 parameters"):
        parse_activations("leaky_relu(1, 2)")


# ----------------------------------------------------------- floats, exactly


def test_float32_weights_are_their_exact_binary_values():
    assert exact_values(np.array([0.1], dtype=np.float32), "w") == [Q(13421773, 134217728)]
    assert exact_values(np.array([0.1]), "w") == [Q(3602879701896397, 36028797018963968)]
    with pytest.raises(ConversionError, match="not finite"):
        exact_values(np.array([np.nan], dtype=np.float32), "w")


def test_nearest_avoids_double_rounding_and_reports_the_exact_error():
    # 1 + 2^-24 + 2^-60 rounds to the float64 midpoint 1 + 2^-24, which then ties to 1.0 in
    # float32; the float32 nearest to the rational itself is 1 + 2^-23.
    q = 1 + Q(1, 2**24) + Q(1, 2**60)
    value, error = nearest(q, "float32")
    assert from_float(value) == 1 + Q(1, 2**23)
    assert error == Q(1, 2**24) - Q(1, 2**60)
    assert nearest(Q(1, 3), "float64") == (1 / 3, abs(Q(1, 3) - from_float(1 / 3)))
    assert nearest(Q(1, 2**30) + Q(1, 2**31), "float32")[1] == 0
    with pytest.raises(ConversionError, match="beyond the largest float32"):
        nearest(Q(2) ** 200, "float32")


@settings(max_examples=60, deadline=None)
@given(st.fractions(max_denominator=10**9).filter(lambda f: abs(f) < 10**6), st.sampled_from(["float32", "float64"]))
def test_nearest_is_nearest(fraction, dtype):
    q = Q(fraction)
    value, error = nearest(q, dtype)
    assert error == abs(q - from_float(value))
    for neighbour in (np.nextafter(value, value.dtype.type(np.inf)), np.nextafter(value, value.dtype.type(-np.inf))):
        assert abs(q - from_float(neighbour)) >= error


# ------------------------------------------------------------------------ npz


def test_npz_tent_imports_exactly_with_default_activations(tmp_path):
    path = tmp_path / "tent.npz"
    np.savez(path, W1=np.array([1.0, 1.0]), b1=np.array([0.0, -0.5]), W2=np.array([[2.0, -4.0]]), b2=np.array(0.0))
    net = read_npz(path)
    assert net == TENT
    assert net.metadata["imported_from"]["format"] == "npz"
    assert net.metadata["imported_from"]["dtype"] == "float64"
    assert checked_claim(net) == "period-3"
    clipped = load_any(path, arch="relu, clip(0, 1)")
    assert str(clipped.layers[-1].activation) == "hardtanh(max=1, min=0)"


def test_npz_refusals(tmp_path):
    gap = tmp_path / "gap.npz"
    np.savez(gap, W1=np.ones((2, 1)), b1=np.zeros(2), W3=np.ones((1, 2)), b3=np.zeros(1))
    with pytest.raises(ConversionError, match="missing array W2"):
        read_npz(gap)
    wide = tmp_path / "wide.npz"
    np.savez(wide, W1=np.ones((2, 3)), b1=np.zeros(2), W2=np.ones((1, 2)), b2=np.zeros(1))
    with pytest.raises(ConversionError, match="takes 3 inputs, but the network's input is one number"):
        read_npz(wide)
    with pytest.raises(ConversionError, match="2 layers but 1 activations"):
        load_any(gap.with_name("wide.npz"), arch="relu")


class Payload:
    """Unpickling this runs ``open(marker, "w")``: the code a hostile model file would run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_npz_with_a_pickled_payload_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.npz"
    np.savez(path, W1=np.array([Payload(marker)], dtype=object), b1=np.zeros(1))
    with pytest.raises(ConversionError, match="object array.*refused"):
        read_npz(path)
    assert not marker.exists()


# ---------------------------------------------------------------------- torch


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def torch_model(torch, seed: int, kind: str):
    nn = torch.nn
    generator = torch.Generator().manual_seed(seed)
    if kind == "tent":
        model = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
        with torch.no_grad():
            model[0].weight.copy_(torch.tensor([[1.0], [1.0]]))
            model[0].bias.copy_(torch.tensor([0.0, -0.5]))
            model[2].weight.copy_(torch.tensor([[2.0, -4.0]]))
            model[2].bias.zero_()
        return model
    layers = {
        "random": [nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 6), nn.LeakyReLU(0.2), nn.Linear(6, 1)],
        "clipped": [nn.Linear(1, 4), nn.ReLU6(), nn.Linear(4, 4), nn.Identity(), nn.Linear(4, 1), nn.Hardtanh(0.0, 1.0)],
    }[kind]
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 1.5)
    return model


def assert_matches_forward(net: Network, forward, dtype: str) -> None:
    """Exact evaluation agrees with a framework forward pass within that dtype's rounding."""
    unit = Fraction(1, 2**24) if dtype == "float32" else Fraction(1, 2**53)
    xs = np.linspace(-3, 3, 25, dtype=dtype)
    outputs = forward(xs.reshape(-1, 1)).reshape(-1)
    for x, y in zip(xs, outputs):
        exact = net(from_float(x))
        assert abs(exact - from_float(y)) <= rounding_bound(net, from_float(x), unit), (x, y)


def torch_forward(torch, model):
    def forward(xs: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(xs)).numpy()

    return forward


@pytest.mark.parametrize("kind", ["random", "clipped", "tent"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_saved_torch_modules_import_exactly(torch, tmp_path, kind, dtype):
    model = torch_model(torch, seed=len(kind), kind=kind).to(getattr(torch, dtype))
    torch.save(model, tmp_path / "model.pt")
    net = load_any(tmp_path / "model.pt")
    assert net.metadata["imported_from"] | {"sha256": None} == {"format": "torch", "file": "model.pt", "sha256": None, "dtype": dtype, "kind": "module"}
    first = model[0].weight.detach().numpy().ravel()
    assert [row[0] for row in net.layers[0].weight] == [from_float(w) for w in first]
    assert_matches_forward(net, torch_forward(torch, model), dtype)
    claim = checked_claim(net)
    if kind == "tent":
        assert net == TENT and claim == "period-3"


def test_state_dict_with_arch_equals_the_saved_module(torch, tmp_path):
    model = torch_model(torch, seed=3, kind="clipped")
    torch.save(model, tmp_path / "module.pt")
    torch.save(model.state_dict(), tmp_path / "weights.pt")
    torch.save({"model_state_dict": model.state_dict(), "epoch": 7}, tmp_path / "checkpoint.pth")
    module = load_any(tmp_path / "module.pt")
    arch = "relu6, identity, hardtanh(0, 1)"
    assert load_any(tmp_path / "weights.pt", arch=arch) == module
    assert load_any(tmp_path / "checkpoint.pth", arch=arch) == module
    with pytest.raises(ConversionError, match="give them with --arch"):
        load_any(tmp_path / "weights.pt")
    with pytest.raises(ConversionError, match="3 layers but 2 activations"):
        load_any(tmp_path / "weights.pt", arch="relu, relu")


def test_safetensors_import_without_torch_reader(torch, tmp_path):
    safetensors_torch = pytest.importorskip("safetensors.torch")
    model = torch_model(torch, seed=5, kind="random")
    state = dict(model.state_dict())
    state["0.weight"] = state["0.weight"].to(torch.bfloat16)  # exact widening to float32 on read
    safetensors_torch.save_file(state, str(tmp_path / "model.safetensors"))
    net = load_any(tmp_path / "model.safetensors", arch="relu, leaky_relu(0.2), identity")
    assert [row[0] for row in net.layers[0].weight] == [from_float(w) for w in state["0.weight"].float().numpy().ravel()]
    assert net.metadata["imported_from"]["dtype"] == "bfloat16+float32"
    model[0].weight.data = state["0.weight"].float()
    assert_matches_forward(net, torch_forward(torch, model), "float32")


@pytest.mark.parametrize(
    "modules, message",
    [
        (lambda nn: [nn.Linear(1, 3), nn.GELU(), nn.Linear(3, 1)], r"module 1 \(GELU\): 'gelu' is not piecewise linear.*exact certification does not apply"),
        (lambda nn: [nn.Conv1d(1, 2, 1), nn.ReLU()], r"module Conv1d is not supported"),
        (lambda nn: [nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)], r"module 0 \(Linear\): takes 2 inputs, but the network's input is one number"),
        (lambda nn: [nn.Linear(1, 4), nn.ReLU(), nn.Linear(4, 2)], r"the model has 2 outputs"),
    ],
    ids=["gelu", "conv", "two-inputs", "two-outputs"],
)
def test_torch_refusals_say_what_and_why(torch, tmp_path, modules, message):
    torch.save(torch.nn.Sequential(*modules(torch.nn)), tmp_path / "model.pt")
    with pytest.raises(ConversionError, match=message):
        load_any(tmp_path / "model.pt")


def test_a_state_dict_with_a_convolution_is_refused(torch, tmp_path):
    torch.save(torch.nn.Sequential(torch.nn.Conv1d(1, 2, 3)).state_dict(), tmp_path / "conv.pt")
    with pytest.raises(ConversionError, match=r"0.weight has shape \[2, 1, 3\]: not a Linear layer \(a convolution\?\)"):
        load_any(tmp_path / "conv.pt", arch="relu")


@pytest.mark.parametrize("container", ["torch.save", "pickle"])
def test_a_pickle_with_a_payload_is_refused_and_does_not_run(torch, tmp_path, container):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.pt"
    if container == "torch.save":
        torch.save({"0.weight": torch.ones(1, 1), "payload": Payload(marker)}, path)
    else:
        path.write_bytes(pickle.dumps(Payload(marker)))
    # the payload is live: an unrestricted unpickler would create the marker
    assert not marker.exists()
    with pytest.raises(ConversionError, match=r"refused: .*(would call io\.open|plain pickle, which can run any code).*never runs code from the file"):
        load_any(path)
    assert not marker.exists()
    pickle.loads(pickle.dumps(Payload(marker))).close()
    assert marker.exists()  # proof that the same payload does run when unpickled for real


def test_torch_export_round_trips_and_reports_rounding(torch, tmp_path):
    path = tmp_path / "tent.pt"
    assert export(TENT, path, "torch", "float32", strict=True).exact
    back = load_any(path)
    assert back == TENT and back.sha256 == TENT.sha256
    third = Network.from_arrays([[["1/3"]]], [[0]], [{"name": "leaky_relu", "alpha": "1/10"}])
    rounding = export(third, path, "torch", "float64")
    assert rounding.inexact == 2  # 1/3 (float64) and alpha 1/10 (a Python float)
    assert rounding.worst == max(abs(Q(1, 3) - from_float(1 / 3)), abs(Q(1, 10) - from_float(0.1)))
    with pytest.raises(ConversionError, match="PyTorch has no module for abs"):
        export(Network.from_arrays([[[1]]], [[0]], ["abs"]), path, "torch")


# ----------------------------------------------------------------------- ONNX


@pytest.fixture(scope="module")
def onnx():
    return pytest.importorskip("onnx")


def onnx_forward(onnx, model):
    """onnxruntime when installed, else ONNX's own numpy reference evaluator."""
    try:
        import onnxruntime
    except ImportError:
        from onnx.reference import ReferenceEvaluator

        session = ReferenceEvaluator(model)
        return lambda xs: session.run(None, {model.graph.input[0].name: xs})[0]
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return lambda xs: session.run(None, {model.graph.input[0].name: xs})[0]


def onnx_model(onnx, nodes, initializers, inputs=(("x", ["N", 1]),), outputs=(("y", ["N", 1]),), dtype=np.float32, opset=17):
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    element = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    graph = helper.make_graph(
        [helper.make_node(op, ins, outs, name=name, **attributes) for name, op, ins, outs, attributes in nodes],
        "test",
        [helper.make_tensor_value_info(name, element, shape) for name, shape in inputs],
        [helper.make_tensor_value_info(name, element, shape) for name, shape in outputs],
        [numpy_helper.from_array(np.asarray(value, dtype=dtype if np.asarray(value).dtype.kind == "f" else None), name) for name, value in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def random_weights(seed: int, *shape: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 1.5, shape)


def gemm_model(onnx, dtype=np.float32):
    """Gemm (transB, alpha, beta) + LeakyRelu + Gemm + Abs + Gemm, the layout PyTorch exports."""
    return onnx_model(onnx, [
        ("fc1", "Gemm", ["x", "W1", "b1"], ["h1"], {"transB": 1, "alpha": 0.5, "beta": 2.0}),
        ("act1", "LeakyRelu", ["h1"], ["a1"], {"alpha": 0.2}),
        ("fc2", "Gemm", ["a1", "W2", "b2"], ["h2"], {}),
        ("act2", "Abs", ["h2"], ["a2"], {}),
        ("fc3", "Gemm", ["a2", "W3", "b3"], ["y"], {"transB": 1}),
    ], {"W1": random_weights(1, 6, 1), "b1": random_weights(2, 6), "W2": random_weights(3, 6, 5), "b2": random_weights(4, 1, 5), "W3": random_weights(5, 1, 5), "b3": random_weights(6, 1)}, dtype=dtype)


def matmul_model(onnx, dtype=np.float32):
    """Flatten, MatMul + Add, Relu, Reshape, MatMul + Add, Clip(0, 1) with Constant bounds."""
    return onnx_model(onnx, [
        ("flat", "Flatten", ["x"], ["xf"], {"axis": 1}),
        ("mm1", "MatMul", ["xf", "W1"], ["m1"], {}),
        ("add1", "Add", ["m1", "b1"], ["h1"], {}),
        ("act1", "Relu", ["h1"], ["a1"], {}),
        ("shape", "Reshape", ["a1", "shape"], ["r1"], {}),
        ("mm2", "MatMul", ["r1", "W2"], ["m2"], {}),
        ("add2", "Add", ["b2", "m2"], ["h2"], {}),
        ("low", "Constant", [], ["lo"], {"value": onnx.numpy_helper.from_array(np.array(0, dtype=dtype))}),
        ("high", "Constant", [], ["hi"], {"value": onnx.numpy_helper.from_array(np.array(1, dtype=dtype))}),
        ("clip", "Clip", ["h2", "lo", "hi"], ["c2"], {}),
        ("same", "Identity", ["c2"], ["y"], {}),
    ], {"W1": random_weights(7, 1, 5), "b1": random_weights(8, 5), "shape": np.array([-1, 5], dtype=np.int64), "W2": random_weights(9, 5, 1), "b2": random_weights(10, 1)}, dtype=dtype)


@pytest.mark.parametrize("build", [gemm_model, matmul_model], ids=["gemm", "matmul-add-clip"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_onnx_models_import_exactly_and_match_the_runtime(onnx, tmp_path, build, dtype):
    model = build(onnx, dtype=np.dtype(dtype))
    path = tmp_path / "model.onnx"
    onnx.save(model, str(path))
    net = load_any(path)
    assert net.metadata["imported_from"]["format"] == "onnx"
    assert net.metadata["imported_from"]["dtype"] == dtype
    assert_matches_forward(net, onnx_forward(onnx, model), dtype)
    checked_claim(net)


def test_gemm_attributes_are_applied_exactly(onnx, tmp_path):
    onnx.save(gemm_model(onnx), str(tmp_path / "m.onnx"))
    net = load_any(tmp_path / "m.onnx")
    w1 = random_weights(1, 6, 1).astype(np.float32)
    b1 = random_weights(2, 6).astype(np.float32)
    assert [row[0] for row in net.layers[0].weight] == [Q(1, 2) * from_float(w) for w in w1.ravel()]
    assert list(net.layers[0].bias) == [2 * from_float(b) for b in b1]
    assert net.layers[0].activation == parse_activation({"name": "leaky_relu", "alpha": from_float(np.float32(0.2))})


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the legacy exporter announces its own retirement
def test_torch_exported_onnx_imports(torch, onnx, tmp_path):
    model = torch_model(torch, seed=11, kind="clipped")
    try:
        torch.onnx.export(model, (torch.zeros(2, 1),), str(tmp_path / "m.onnx"), dynamo=False, input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "N"}})
    except Exception as error:  # the legacy exporter may be gone in a later torch
        pytest.skip(f"torch.onnx.export unavailable: {error}")
    torch.save(model, tmp_path / "m.pt")
    assert load_any(tmp_path / "m.onnx") == load_any(tmp_path / "m.pt")  # float parameters 0, 6, 0, 1 are exact either way


@pytest.mark.parametrize(
    "nodes, initializers, inputs, message",
    [
        ([("conv0", "Conv", ["x", "K"], ["y"], {})], {"K": np.ones((1, 1, 1))}, (("x", ["N", 1, 1]),), r"node 'conv0' \(Conv\): operator Conv is not supported"),
        ([("fc", "Gemm", ["x", "W"], ["h"], {"transB": 1}), ("squash", "Softplus", ["h"], ["y"], {})], {"W": np.ones((1, 1))}, (("x", ["N", 1]),), r"node 'squash' \(Softplus\): 'softplus' is not piecewise linear.*exact certification does not apply"),
        ([("sum", "Add", ["x", "z"], ["y"], {})], {}, (("x", ["N", 1]), ("z", ["N", 1])), r"the model has 2 inputs \(x, z\)"),
        ([("fc", "Gemm", ["x", "W"], ["y"], {"transB": 1})], {"W": np.ones((1, 2))}, (("x", ["N", 2]),), r"input 'x' has shape \[\?, 2\], that is 2 input features"),
        ([("act", "Relu", ["x"], ["h"], {}), ("skip", "Add", ["h", "x"], ["y"], {})], {}, (("x", ["N", 1]),), r"node 'skip' \(Add\): uses 'x', which is neither the running value nor a constant"),
        ([("low", "Clip", ["x", "m"], ["y"], {})], {"m": np.array(0.5)}, (("x", ["N", 1]),), r"a one-sided Clip"),
    ],
    ids=["conv", "softplus", "two-inputs", "two-features", "skip-connection", "one-sided-clip"],
)
def test_onnx_refusals_name_the_node_and_the_reason(onnx, tmp_path, nodes, initializers, inputs, message):
    onnx.save(onnx_model(onnx, nodes, initializers, inputs=inputs), str(tmp_path / "m.onnx"))
    with pytest.raises(ConversionError, match=message):
        load_any(tmp_path / "m.onnx")


def test_clip_at_zero_alone_is_relu(onnx, tmp_path):
    model = onnx_model(onnx, [("fc", "Gemm", ["x", "W", "b"], ["h"], {}), ("clip", "Clip", ["h", "zero"], ["y"], {})], {"W": np.ones((1, 1)), "b": np.array([-0.5]), "zero": np.array(0.0)})
    onnx.save(model, str(tmp_path / "m.onnx"))
    assert load_any(tmp_path / "m.onnx").layers[0].activation == parse_activation("relu")


@settings(max_examples=20, deadline=None)
@given(networks(depth=(1, 3), width=(1, 3), activations=st.sampled_from(DYADIC_ACTIVATIONS), output_activations=st.sampled_from(DYADIC_ACTIVATIONS), weights=DYADIC), st.sampled_from(["float32", "float64"]))
def test_json_to_onnx_to_json_is_the_identity_when_values_are_representable(onnx, tmp_path_factory, net, dtype):
    path = tmp_path_factory.mktemp("rt") / "net.onnx"
    assert export(net, path, "onnx", dtype, strict=True).exact
    back = load_any(path)
    assert back == net and back.sha256 == net.sha256


def test_onnx_export_reports_the_largest_rounding_error(onnx, tmp_path):
    net = Network.from_arrays([[["1/3"], ["2/3"]], [[1, "1/10"]]], [[0, 0], [0]], [{"name": "leaky_relu", "alpha": "1/8"}, "identity"])
    rounding = export(net, tmp_path / "n.onnx", "onnx", "float32")
    errors = {q: nearest(q, "float32")[1] for q in (Q(1, 3), Q(2, 3), Q(1, 10))}
    assert rounding.inexact == 3 and rounding.count == 8
    assert rounding.worst == max(errors.values())
    assert rounding.worst_where == "layer 0 weight[1][0]"  # 2/3 rounds with twice the error of 1/3
    model = onnx.load(str(tmp_path / "n.onnx"))
    assert_matches_forward(load_any(tmp_path / "n.onnx"), onnx_forward(onnx, model), "float32")


# ------------------------------------------------------------------------ CLI


def test_cli_import_certify_check_and_export(onnx, tmp_path):
    npz = tmp_path / "tent.npz"
    np.savez(npz, W1=np.array([[1.0], [1.0]]), b1=np.array([0.0, -0.5]), W2=np.array([[2.0, -4.0]]), b2=np.array([0.0]))
    result = runner.invoke(app, ["import", str(npz), "-o", str(tmp_path / "tent.json")])
    assert result.exit_code == 0, result.output
    assert "imported npz model" in result.output and TENT.sha256[:16] in result.output
    result = runner.invoke(app, ["certify", str(npz), "-o", str(tmp_path / "tent.cert.json")])
    assert result.exit_code == 0 and result.output.startswith("PERIOD 3")
    result = runner.invoke(app, ["check", str(tmp_path / "tent.cert.json"), "--network", str(tmp_path / "tent.json")])
    assert result.exit_code == 0 and result.output.startswith("VERIFIED")
    result = runner.invoke(app, ["export", str(tmp_path / "tent.json"), "--to", "onnx", "-o", str(tmp_path / "tent.onnx"), "--strict"])
    assert result.exit_code == 0 and "all 7 values exact" in result.output
    third = tmp_path / "third.json"
    Network.from_arrays([[["1/3"]]], [[0]], ["identity"]).save(third)
    result = runner.invoke(app, ["export", str(third), "--to", "onnx", "-o", str(tmp_path / "third.onnx"), "--strict"])
    assert result.exit_code == 3 and "largest rounding error 1/100663296" in result.output and "nothing written" in result.output
    assert not (tmp_path / "third.onnx").exists()


def test_an_export_that_fails_mid_write_leaves_no_model_file(onnx, tmp_path, monkeypatch):
    """A write cut short (full disk, kill) leaves neither a half model at the target nor a temporary file."""
    network, target = tmp_path / "tent.json", tmp_path / "out" / "tent.onnx"
    TENT.save(network)
    target.parent.mkdir()
    write_bytes = Path.write_bytes

    def write_half_then_fail(path: Path, data: bytes) -> int:
        write_bytes(path, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "write_bytes", write_half_then_fail)
        with pytest.raises(OSError):
            export(TENT, target, "onnx")
        assert list(target.parent.iterdir()) == []
        result = runner.invoke(app, ["export", str(network), "--to", "onnx", "-o", str(target)])
        assert result.exit_code == 4 and result.output.strip() == f"verichaos: error: cannot write {target}: No space left on device"
        assert list(target.parent.iterdir()) == []
    result = runner.invoke(app, ["export", str(network), "--to", "onnx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert list(target.parent.iterdir()) == [target] and load_any(target) == TENT


def test_cli_errors_are_one_line_with_exit_code_3(tmp_path):
    (tmp_path / "model.xyz").write_text("?")
    (tmp_path / "bad.npz").write_text("not a zip")
    for args, message in [
        (["import", str(tmp_path / "model.xyz")], "cannot tell the model format"),
        (["import", str(tmp_path / "bad.npz")], "not an .npz archive"),
        (["certify", str(tmp_path / "missing.onnx")], "no such file"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 3, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output


def test_the_package_works_without_torch_and_onnx_and_says_what_to_install(tmp_path, monkeypatch):
    for name in ("torch", "onnx"):
        monkeypatch.setitem(sys.modules, name, None)  # import of either now fails, as where not installed
    (tmp_path / "model.pt").write_bytes(b"PK")
    (tmp_path / "model.onnx").write_bytes(b"")
    with pytest.raises(ConversionError, match=r"install verichaos\[torch\]"):
        load_any(tmp_path / "model.pt")
    with pytest.raises(ConversionError, match=r"install verichaos\[onnx\]"):
        load_any(tmp_path / "model.onnx")
    with pytest.raises(ConversionError, match=r"install verichaos\[onnx\]"):
        export(TENT, tmp_path / "t.onnx", "onnx")
    np.savez(tmp_path / "tent.npz", W1=np.array([1.0, 1.0]), b1=np.array([0.0, -0.5]), W2=np.array([2.0, -4.0]), b2=np.array([0.0]))
    assert load_any(tmp_path / "tent.npz") == TENT
