"""Networks: the file format, parsing, validation, direct evaluation and hash.

A network is a stack of dense layers ``z = W·h + b`` each followed by an
activation, with one input and one output. With piecewise-linear activations
only it is a continuous piecewise-linear map f: ℝ → ℝ; a ``tanh`` or
``sigmoid`` in any layer makes f smooth there (:attr:`Network.is_piecewise_linear`
is then false). The format is specified in ``docs/formats.md``; this module is
its reference implementation.

Everything here is exact: weights are :data:`verichaos.rational.Q`, a JSON
number literal means its decimal text, and evaluation (:meth:`Network.__call__`)
is the plain layer-by-layer formula, written independently of
:mod:`verichaos.pwl` so that each can test the other. A smooth network has no
exact rational values (tanh of a nonzero rational is irrational), so calling it
raises :class:`NotPiecewiseLinearError`; its values are known only through
rigorous enclosures (:mod:`verichaos.smooth.enclosure`).

>>> tent = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
>>> tent(Q(2, 7)), tent(Q(4, 7)), tent(Q(6, 7))
(mpq(4,7), mpq(6,7), mpq(2,7))
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path

from verichaos.rational import Q, RationalError, canonical, from_float, parse_rational

__all__ = [
    "FORMAT",
    "VERSION",
    "MAX_FILE_BYTES",
    "NetworkFormatError",
    "NotPiecewiseLinearError",
    "SMOOTH_ACTIVATIONS",
    "Activation",
    "Layer",
    "Network",
    "parse_activation",
    "parse_network",
    "loads_exact",
    "load_network",
]

FORMAT = "verichaos-network"
VERSION = 1
MAX_FILE_BYTES = 64 * 2**20

SMOOTH_ACTIVATIONS = frozenset({"tanh", "sigmoid"})
"""Smooth activations of the format: parameterless, certified by enclosures only."""

# Activations that exist in the frameworks but are neither piecewise linear nor
# supported smooth ones: named so the refusal can say why, not "unknown activation".
_UNSUPPORTED_SMOOTH = {"gelu", "softplus", "elu", "selu", "celu", "silu", "swish", "mish", "softsign", "logsigmoid", "hardswish"}  # hardsigmoid = clip(x/6 + 1/2, 0, 1) is piecewise linear: "unknown", not "smooth"


class NetworkFormatError(ValueError):
    """A network file or object that breaks the format; the message says where."""


class NotPiecewiseLinearError(ValueError):
    """An exact (piecewise-linear) operation asked of a network with a smooth activation."""


@dataclass(frozen=True)
class _Kind:
    """What the format needs to know about one activation family."""

    params: tuple[tuple[str, Q], ...]  # parameter names with their defaults
    formula: Callable[..., Q]
    shape: Callable[..., tuple[tuple[Q, ...], tuple[Q, ...], Q, Q]]  # knots xs, ys, left and right slope
    validate: Callable[..., str | None] = lambda **_: None


_KINDS: dict[str, _Kind] = {
    "relu": _Kind((), lambda z: z if z > 0 else Q(0), lambda: ((Q(0),), (Q(0),), Q(0), Q(1))),
    "identity": _Kind((), lambda z: z, lambda: ((), (), Q(1), Q(1))),
    "abs": _Kind((), abs, lambda: ((Q(0),), (Q(0),), Q(-1), Q(1))),
    "leaky_relu": _Kind(
        (("alpha", Q(1, 100)),),
        lambda z, alpha: z if z >= 0 else alpha * z,
        lambda alpha: ((Q(0),), (Q(0),), alpha, Q(1)),
    ),
    "hardtanh": _Kind(
        (("min", Q(-1)), ("max", Q(1))),
        lambda z, min, max: min if z < min else max if z > max else z,  # noqa: A002
        lambda min, max: ((min, max), (min, max), Q(0), Q(0)),  # noqa: A002
        lambda min, max: None if min < max else f"needs min < max, got min={min}, max={max}",  # noqa: A002
    ),
}
_SYNONYMS = {"clip": "hardtanh"}


@dataclass(frozen=True)
class Activation:
    """An activation with exact parameters: piecewise linear, or ``tanh``/``sigmoid``.

    >>> Activation("hardtanh", (("max", Q(1)), ("min", Q(0))))(Q(3))
    mpq(1,1)
    """

    name: str
    params: tuple[tuple[str, Q], ...] = ()  # sorted by name

    def _kwargs(self) -> dict[str, Q]:
        return dict(self.params)

    @property
    def is_piecewise_linear(self) -> bool:
        return self.name not in SMOOTH_ACTIVATIONS

    def _piecewise_linear(self) -> _Kind:
        if not self.is_piecewise_linear:
            raise NotPiecewiseLinearError(
                f"{self.name} is not piecewise linear: its values at rationals are irrational, "
                "so they are known only through enclosures (verichaos.smooth)"
            )
        return _KINDS[self.name]

    def __call__(self, z: Q) -> Q:
        return self._piecewise_linear().formula(z, **self._kwargs())

    @property
    def shape(self) -> tuple[tuple[Q, ...], tuple[Q, ...], Q, Q]:
        """Knots ``xs``, values ``ys`` and the two tail slopes, for :mod:`verichaos.pwl`."""
        return self._piecewise_linear().shape(**self._kwargs())

    @property
    def thresholds(self) -> tuple[Q, ...]:
        """The inputs at which the activation changes slope."""
        return self.shape[0]

    def to_json(self) -> str | dict[str, str]:
        """Canonical form: a bare name when parameterless, else an object."""
        if not self.params:
            return self.name
        return {"name": self.name, **{key: canonical(value) for key, value in self.params}}

    def __str__(self) -> str:
        if not self.params:
            return self.name
        return f"{self.name}(" + ", ".join(f"{k}={v}" for k, v in self.params) + ")"


def parse_activation(spec: object, where: str = "activation") -> Activation:
    """An :class:`Activation` from its JSON spelling (``docs/formats.md``)."""
    if isinstance(spec, str):
        name, given = spec, {}
    elif isinstance(spec, Mapping):
        name, given = spec.get("name"), {k: v for k, v in spec.items() if k != "name"}
        if not isinstance(name, str):
            raise NetworkFormatError(f"{where}: an activation object needs a string 'name'")
    elif isinstance(spec, Activation):
        return spec
    else:
        raise NetworkFormatError(f"{where}: expected a name or an object, got {_json_kind(spec)}")
    name = _SYNONYMS.get(name.lower(), name.lower())
    if name in SMOOTH_ACTIVATIONS:
        if given:
            raise NetworkFormatError(f"{where}: {name} has no parameter {sorted(given)[0]!r}")
        return Activation(name)
    if name in _UNSUPPORTED_SMOOTH:
        raise NetworkFormatError(
            f"{where}: '{name}' is not piecewise linear, so f would not be a piecewise-linear "
            "map with rational breakpoints and exact certification does not apply; "
            f"supported: {', '.join(sorted([*_KINDS, *SMOOTH_ACTIVATIONS]))}"
        )
    kind = _KINDS.get(name)
    if kind is None:
        raise NetworkFormatError(
            f"{where}: unknown activation {name!r}; supported: {', '.join(sorted([*_KINDS, *SMOOTH_ACTIVATIONS]))}"
        )
    defaults = dict(kind.params)
    unknown = set(given) - set(defaults)
    if unknown:
        raise NetworkFormatError(f"{where}: {name} has no parameter {sorted(unknown)[0]!r}")
    values = {}
    for key, default in defaults.items():
        try:
            values[key] = parse_rational(given[key]) if key in given else default
        except RationalError as error:
            raise NetworkFormatError(f"{where}: {name} parameter {key!r}: {error}") from None
    problem = kind.validate(**values)
    if problem:
        raise NetworkFormatError(f"{where}: {name} {problem}")
    return Activation(name, tuple(sorted(values.items())))


@dataclass(frozen=True)
class Layer:
    """``z = weight · h + bias``, then ``activation`` elementwise."""

    weight: tuple[tuple[Q, ...], ...]  # out × in, as torch.nn.Linear
    bias: tuple[Q, ...]
    activation: Activation

    @property
    def fan_in(self) -> int:
        return len(self.weight[0])

    @property
    def fan_out(self) -> int:
        return len(self.weight)

    def __call__(self, inputs: Sequence[Q]) -> list[Q]:
        act = self.activation
        return [act(sum((w * h for w, h in zip(row, inputs)), b)) for row, b in zip(self.weight, self.bias)]

    def to_json(self) -> dict[str, object]:
        return {
            "weight": [[canonical(w) for w in row] for row in self.weight],
            "bias": [canonical(b) for b in self.bias],
            "activation": self.activation.to_json(),
        }


@dataclass(frozen=True)
class Network:
    """A validated one-input, one-output network. Equality ignores metadata."""

    layers: tuple[Layer, ...]
    metadata: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_piecewise_linear(self) -> bool:
        """Whether every activation is piecewise linear (then f is, and is exact)."""
        return all(layer.activation.is_piecewise_linear for layer in self.layers)

    @property
    def smooth_activations(self) -> tuple[str, ...]:
        """The smooth activations used, sorted: ``()`` for a piecewise-linear net."""
        return tuple(sorted({layer.activation.name for layer in self.layers} & SMOOTH_ACTIVATIONS))

    def require_piecewise_linear(self, operation: str) -> None:
        """Raise :class:`NotPiecewiseLinearError` naming ``operation`` unless f is piecewise linear."""
        if not self.is_piecewise_linear:
            raise NotPiecewiseLinearError(
                f"{operation} needs a piecewise-linear network, but this one uses "
                f"{', '.join(self.smooth_activations)}: f is smooth there and has no exact values; "
                "use the interval certifier (verichaos.smooth)"
            )

    def __call__(self, x: Q | int | str) -> Q:
        """f(x), exactly, by the layer-by-layer formula (piecewise-linear networks only)."""
        self.require_piecewise_linear("exact evaluation")
        values = [parse_rational(x)]
        for layer in self.layers:
            values = layer(values)
        return values[0]

    def iterate(self, x: Q, steps: int) -> list[Q]:
        """The orbit ``[x, f(x), ..., f^steps(x)]``."""
        orbit = [parse_rational(x)]
        for _ in range(steps):
            orbit.append(self(orbit[-1]))
        return orbit

    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden widths, input to output: ``(2,)`` for the tent map."""
        return tuple(layer.fan_out for layer in self.layers[:-1])

    @property
    def neuron_count(self) -> int:
        return sum(layer.fan_out for layer in self.layers)

    def to_json(self, *, metadata: bool = True) -> dict[str, object]:
        """The network file, canonical spelling, as a JSON-ready dict."""
        document: dict[str, object] = {
            "format": FORMAT,
            "version": VERSION,
            "layers": [layer.to_json() for layer in self.layers],
        }
        if metadata and self.metadata:
            document["metadata"] = dict(self.metadata)
        return document

    def canonical_json(self) -> str:
        """The canonical serialization of ``docs/formats.md`` (no metadata)."""
        return json.dumps(self.to_json(metadata=False), sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of :meth:`canonical_json`: same network, same hash."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def from_arrays(
        cls,
        weights: Iterable[object],
        biases: Iterable[object],
        activations: Iterable[object],
        metadata: Mapping[str, object] | None = None,
    ) -> Network:
        """Build from per-layer arrays. Floats (Python, numpy) are taken at their
        exact binary value; ints, strings, ``Fraction`` and ``mpq`` exactly."""

        def exact(value: object) -> object:
            kind = getattr(getattr(value, "dtype", None), "kind", None)
            if isinstance(value, float) or kind == "f":
                return from_float(value)
            return int(value) if kind in ("i", "u") else value

        layers = []
        for weight, bias, activation in zip(weights, biases, activations, strict=True):
            layers.append(
                {
                    "weight": [[exact(w) for w in row] for row in weight],
                    "bias": [exact(b) for b in bias],
                    "activation": activation,
                }
            )
        return parse_network({"format": FORMAT, "version": VERSION, "layers": layers, "metadata": dict(metadata or {})})


class _NumberLiteral(str):
    """The text of a JSON number literal, kept as text so no float intervenes."""


def _json_kind(value: object) -> str:
    """The type of a value for a message: a JSON number literal is "a number", never the internal _NumberLiteral."""
    return "a number" if isinstance(value, _NumberLiteral) else type(value).__name__


def _refuse_constant(name: str) -> None:
    raise NetworkFormatError(f"the file contains {name}; only finite rationals are allowed")


def loads_exact(text: str) -> object:
    """``json.loads`` that keeps number literals as their text and refuses NaN/Infinity."""
    try:
        return json.loads(text, parse_int=_NumberLiteral, parse_float=_NumberLiteral, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise NetworkFormatError(f"not valid JSON: {error}") from None
    except RecursionError:
        raise NetworkFormatError("not valid JSON: nested too deeply") from None


def load_network(source: str | Path | Mapping[str, object]) -> Network:
    """Read and validate a network: a file path, or a network document already parsed (a dict).

    >>> load_network({"format": "verichaos-network", "version": 1,
    ...               "layers": [{"weight": [[2]], "bias": ["-1/2"], "activation": "identity"}]})(1)
    mpq(3,2)
    """
    if isinstance(source, Mapping):
        return parse_network(source)
    path = Path(source)
    if path.is_dir():
        raise NetworkFormatError(f"{path} is a directory, not a network file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise NetworkFormatError(f"{path}: {size} bytes is over the {MAX_FILE_BYTES}-byte limit")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise NetworkFormatError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise NetworkFormatError(f"{path}: not UTF-8 text") from None
    try:
        return parse_network(loads_exact(text))
    except NetworkFormatError as error:
        raise NetworkFormatError(f"{path}: {error}") from None


def _as_vector(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise NetworkFormatError(f"{where}: expected a list, got {_json_kind(value)}")
    return value


def _number(value: object, where: str) -> Q:
    if isinstance(value, float):
        raise NetworkFormatError(
            f"{where}: {value!r} is a binary float; pass text, a Fraction, or use Network.from_arrays"
        )
    try:
        return parse_rational(value)
    except RationalError as error:
        raise NetworkFormatError(f"{where}: {error}") from None


def _parse_layer(index: int, spec: object, fan_in: int) -> Layer:
    where = f"layer {index}"
    if not isinstance(spec, Mapping):
        raise NetworkFormatError(f"{where}: expected an object with weight, bias, activation")
    missing = {"weight", "bias", "activation"} - set(spec)
    if missing:
        raise NetworkFormatError(f"{where}: missing {', '.join(sorted(missing))}")
    extra = set(spec) - {"weight", "bias", "activation"}
    if extra:
        raise NetworkFormatError(f"{where}: unknown field {sorted(extra)[0]!r}")
    rows = _as_vector(spec["weight"], f"{where}, weight")
    if not rows:
        raise NetworkFormatError(f"{where}, weight: has no rows (a layer needs at least one neuron)")
    weight = []
    for r, row in enumerate(rows):
        row = _as_vector(row, f"{where}, weight row {r}")
        if len(row) != fan_in:
            raise NetworkFormatError(
                f"{where}, weight row {r}: has {len(row)} columns, expected {fan_in} "
                + ("(the input dimension is 1)" if index == 0 else f"(layer {index - 1} has {fan_in} outputs)")
            )
        weight.append(tuple(_number(w, f"{where}, weight row {r}, column {c}") for c, w in enumerate(row)))
    bias = _as_vector(spec["bias"], f"{where}, bias")
    if len(bias) != len(weight):
        raise NetworkFormatError(f"{where}, bias: has {len(bias)} entries, expected {len(weight)} (one per weight row)")
    return Layer(
        tuple(weight),
        tuple(_number(b, f"{where}, bias entry {r}") for r, b in enumerate(bias)),
        parse_activation(spec["activation"], f"{where}, activation"),
    )


def parse_network(document: object) -> Network:
    """Validate a network document (parsed JSON, or a dict built in Python)."""
    if isinstance(document, Network):
        return document
    if not isinstance(document, Mapping):
        raise NetworkFormatError(f"expected a JSON object, got {_json_kind(document)}")
    if document.get("format") != FORMAT:
        raise NetworkFormatError(f"'format' must be {FORMAT!r}, got {document.get('format')!r}")
    version = document.get("version")
    if isinstance(version, bool) or str(version) != str(VERSION):
        raise NetworkFormatError(f"unsupported network version {version!r} (this reader knows version {VERSION})")
    extra = set(document) - {"format", "version", "layers", "metadata"}
    if extra:
        raise NetworkFormatError(f"unknown top-level field {sorted(extra)[0]!r}")
    specs = _as_vector(document.get("layers"), "layers")
    if not specs:
        raise NetworkFormatError("layers: a network needs at least one layer")
    layers, fan_in = [], 1
    for index, spec in enumerate(specs):
        layer = _parse_layer(index, spec, fan_in)
        layers.append(layer)
        fan_in = layer.fan_out
    if fan_in != 1:
        raise NetworkFormatError(f"layer {len(layers) - 1}: has {fan_in} outputs, but the output dimension must be 1")
    metadata = document.get("metadata", {})
    if not isinstance(metadata, Mapping):
        raise NetworkFormatError("metadata: expected an object")
    return Network(tuple(layers), _plain(metadata))


def _plain(value: object) -> object:
    """Metadata with number literals turned back into JSON numbers."""
    if isinstance(value, _NumberLiteral):
        return int(value) if value.lstrip("-").isdigit() and len(value) < 100 else str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (Q, Fraction)):
        return canonical(Q(value))
    return value
