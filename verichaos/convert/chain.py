"""The chain of layers every importer builds, and how users name activations.

Model formats spell a dense network as a sequence of operations: ONNX as
``Gemm, Relu, MatMul, Add, Clip``, PyTorch as ``Linear, ReLU, Linear``, npz as
``W1, b1, W2, b2``. :class:`ChainBuilder` takes them one at a time and makes
the verichaos layers ``h ↦ activation(W·h + b)``, exactly:

* an affine operation followed by an activation is one layer;
* two affine operations in a row get the identity activation between them
  (kept as two layers, as in the file, rather than multiplied out);
* an activation with no affine operation before it gets the identity matrix;
* a bias added after an affine operation (ONNX ``MatMul`` then ``Add``) joins
  that operation's bias;
* a trailing affine operation gets the identity activation.

:func:`parse_activations` reads the ``--arch`` list that a state dict or an
npz file needs, since neither stores its activations:

>>> [str(a) for a in parse_activations("leaky_relu(1/8), clip(0, 1)")]
['leaky_relu(alpha=1/8)', 'hardtanh(max=1, min=0)']

Decimals in that list are read as Python reads them, as the nearest double,
because that is the value ``nn.LeakyReLU(0.1)`` or numpy's ``0.1 * z``
stores; write ``1/10`` for the exact rational.

>>> net = from_layers([([[1], [1]], [0, -0.5]), ([[2, -4]], None)], None, {})
>>> [str(layer.activation) for layer in net.layers], net(Q(1, 4))
(['relu', 'identity'], mpq(1,2))
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from verichaos.convert.errors import ConversionError
from verichaos.convert.floats import exact_matrix, exact_values
from verichaos.network import Activation, Network, NetworkFormatError, parse_activation, parse_network
from verichaos.rational import Q, RationalError, from_float, parse_rational

__all__ = ["IDENTITY", "ChainBuilder", "parse_activations", "default_activations", "from_layers"]

IDENTITY = parse_activation("identity")

# Spellings users bring from PyTorch and numpy: the activation, the parameters
# it takes in order, and the ones the spelling fixes.
_ARCH_NAMES = {
    "relu": ("relu", (), {}),
    "leakyrelu": ("leaky_relu", ("alpha",), {}),
    "hardtanh": ("hardtanh", ("min", "max"), {}),
    "clip": ("hardtanh", ("min", "max"), {}),
    "clamp": ("hardtanh", ("min", "max"), {}),
    "relu6": ("hardtanh", (), {"min": Q(0), "max": Q(6)}),
    "identity": ("identity", (), {}),
    "abs": ("abs", (), {}),
    "tanh": ("tanh", (), {}),
    "sigmoid": ("sigmoid", (), {}),
}
_ARCH_ITEM = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^()]*)\))?\s*(?:,|$)")


class ChainBuilder:
    """Collects affine operations and activations, in order, into layers."""

    def __init__(self) -> None:
        self._layers: list[dict[str, object]] = []
        self._pending: tuple[list[list[Q]], list[Q]] | None = None
        self.width = 1  # features of the running value: the input is one number

    def affine(self, weight: Sequence[Sequence[Q]], bias: Sequence[Q] | None, where: str) -> None:
        """Apply ``h ↦ weight·h + bias`` (weight is out × in, as torch.nn.Linear)."""
        fan_in = len(weight[0]) if weight else 0
        if fan_in != self.width:
            source = "the network's input is one number" if not self._layers and self._pending is None else f"the values reaching it have {self.width} features"
            raise ConversionError(f"{where}: takes {fan_in} inputs, but {source}")
        if bias is not None and len(bias) != len(weight):
            raise ConversionError(f"{where}: has {len(bias)} biases for {len(weight)} outputs")
        if self._pending is not None:
            self._close(IDENTITY)
        self._pending = ([list(row) for row in weight], list(bias) if bias is not None else [Q(0)] * len(weight))
        self.width = len(weight)

    def add_bias(self, bias: Sequence[Q], where: str) -> None:
        """Add a constant vector (or one constant to every feature)."""
        bias = list(bias) * self.width if len(bias) == 1 else list(bias)
        if len(bias) != self.width:
            raise ConversionError(f"{where}: adds {len(bias)} values to {self.width} features")
        weight, current = self._pending if self._pending is not None else self._identity()
        self._pending = (weight, [c + b for c, b in zip(current, bias)])

    def activate(self, activation: Activation) -> None:
        """Apply ``activation`` to every feature, closing the current layer."""
        if self._pending is None:
            self._pending = self._identity()
        self._close(activation)

    def _identity(self) -> tuple[list[list[Q]], list[Q]]:
        n = self.width
        return [[Q(int(r == c)) for c in range(n)] for r in range(n)], [Q(0)] * n

    def _close(self, activation: Activation) -> None:
        weight, bias = self._pending
        self._layers.append({"weight": weight, "bias": bias, "activation": activation})
        self._pending = None

    def network(self, metadata: Mapping[str, object]) -> Network:
        """The finished network; refused unless it has exactly one output."""
        if self.width != 1:
            raise ConversionError(f"the model has {self.width} outputs; a verichaos network has one output")
        if self._pending is not None or not self._layers:
            self.activate(IDENTITY)
        try:
            return parse_network({"format": "verichaos-network", "version": 1, "layers": self._layers, "metadata": dict(metadata)})
        except NetworkFormatError as error:
            raise ConversionError(str(error)) from None


def _arch_number(text: str, where: str) -> Q:
    text = text.strip()
    try:
        if "/" in text:
            return parse_rational(text)
        return from_float(float(text))  # float ok: a decimal here means the double a Python framework stores
    except (ValueError, RationalError):
        raise ConversionError(f"{where}: {text!r} is not a number") from None


def parse_activations(text: str) -> list[Activation]:
    """The activation of each layer, from a list such as ``"relu, relu, identity"``."""
    activations, position = [], 0
    while position < len(text):
        match = _ARCH_ITEM.match(text, position)
        if match is None or match.end() == position:
            raise ConversionError(f"--arch: cannot read {text[position:]!r}; expected e.g. 'relu,leaky_relu(0.1),clip(0,1)'")
        position = match.end()
        name, arguments = match.group(1), match.group(2)
        where = f"--arch item {len(activations) + 1} ({name})"
        canonical, parameters, fixed = _ARCH_NAMES.get(name.lower().replace("_", ""), (name, (), {}))
        values = [_arch_number(a, where) for a in arguments.split(",")] if arguments and arguments.strip() else []
        if len(values) > len(parameters):
            raise ConversionError(f"{where}: takes at most {len(parameters)} parameters, got {len(values)}")
        try:
            activations.append(parse_activation({"name": canonical, **fixed, **dict(zip(parameters, values))}, where))
        except NetworkFormatError as error:
            raise ConversionError(str(error)) from None
    if not activations:
        raise ConversionError("--arch: no activation given")
    return activations


def default_activations(layers: int) -> list[Activation]:
    """ReLU on every hidden layer, identity on the output: the paper's networks."""
    return [parse_activation("relu")] * (layers - 1) + [IDENTITY]


def from_layers(
    layers: Sequence[tuple[object, object | None]],
    activations: Sequence[Activation] | None,
    metadata: Mapping[str, object],
    names: Sequence[str] | None = None,
) -> Network:
    """A network from per-layer ``(weight, bias)`` arrays (out × in; bias may be None)."""
    activations = list(activations) if activations is not None else default_activations(len(layers))
    if len(activations) != len(layers):
        raise ConversionError(f"the model has {len(layers)} layers but {len(activations)} activations were given")
    chain = ChainBuilder()
    for index, ((weight, bias), activation) in enumerate(zip(layers, activations)):
        where = names[index] if names else f"layer {index + 1}"
        bias_values = None if bias is None else exact_values(np.asarray(bias), f"{where} bias")
        chain.affine(exact_matrix(np.asarray(weight), f"{where} weight"), bias_values, where)
        chain.activate(activation)
    return chain.network(metadata)
