"""Random network families: declarative specs, the paper's built-in rows, family files.

A *family* says how to draw a random one-input one-output network of hidden
width k: for every layer a weight initializer, a bias initializer and an
activation. Every layer but the last has k outputs, and the last has one,
unless a layer says ``"outputs": 1``: an output layer with a 1→1 layer after
it composes a second activation onto the output, as the notebooks' clipped
tanh runs do, tanh(clip(z, 0, 1)). So a family with two layers is the
paper's depth-2 net

    f(x) = σ_out( Σ_{i=1..k} a_i · σ(w_i·x + b_i) + c ),

and a family with three layers has two hidden layers of width k.

Initializers (n_in, n_out are the layer's fan-in and fan-out, k the width):

* ``constant(value)``: every entry is ``value``; draws no random numbers.
* ``normal(std | variance, per, truncate)``: N(0, σ²) with σ = std/D or
  σ = √(variance/D), where D is 1, n_in, n_out, n_in + n_out or k (``per``).
  With ``truncate = (lo, hi)`` entries outside the open interval are redrawn
  (rejection sampling), so the law is the normal conditioned on (lo, hi).
* ``uniform(low, high)``: numpy's ``Generator.uniform``, U[low, high).

The built-in families follow the authors' notebooks (repository
``steliostavroulakis/Chaos_RNNs``; cells are numbered from 0 in file order;
docs/reproduction.md quotes them). The initializers are those of the
``Layer_Dense_*`` classes of ``Depth_2_RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb``
cell 2 (n_inputs, n_neurons are the layer's fan-in and fan-out):

* **He** (``'he'``) is ``normal(variance=2, per=n_in)``, for weights and biases
  alike: N(0, 2) in layer 1, N(0, 2/k) in layer 2.
* **Glorot** (``'glorot'``) is ``normal(variance=2, per=n_in+n_out)``, for weights
  and biases, with the ReLU output: ``row5-glorot``, the August 2022 reading of
  row 5 used by the extra tables.
* **U** (``'uniform'``) is ``uniform(0, 1)``, numpy's ``uniform()``.
* **N(0,1/k)** (``'normal_k'``) is ``(1/n_neurons) * randn``, n_neurons the layer's
  number of *outputs*: ``normal(std=1, per=n_out)``, std 1/k in a hidden layer
  and std **1** in the output layer (one output).
* **TR(−1,1)**: no code survives; we use the standard normal truncated to the
  open interval (−1, 1): ``normal(std=1, truncate=(-1, 1))``.
* Row 5 of the main table, ``row5``, is the run that printed 2.28% (January
  ``RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb``, cells 2, 4 and 5): std
  2/(n_in + n_out) = 2/(k+1) for every weight and bias, no output bias, output
  pre-activation (identity).

Variants for the extra tables (rows 1–4 and ``row5-glorot``): ``-clipped``
clips the output to [0, 1] (``Layer_Dense_Out.forward`` with ``clip``) before
the output activation; with a ReLU output that is hardtanh(0, 1). ``-depth3``
(``Depth_3_...ipynb`` cell 4) inserts a second hidden layer of width k between
the two layers of the row, with the row's layer-2 weight rule, its layer-1
bias rule and its layer-1 activation, each at that layer's own fans (n_in =
n_out = k). ``-tanh`` replaces every ReLU by tanh (``ACTIVATION = 'tanh'`` sets
both activations), and ``-tanh-clipped`` adds the clipping before the tanh
output through a 1→1 layer. tanh is not piecewise linear: those families
sample smooth networks (:mod:`verichaos.network`), whose runs decide period 3
by interval arithmetic (:mod:`verichaos.experiments.smooth_measure`) and have
no exact columns; :meth:`Family.refusal` refuses them for the experiments
that need those (the sweeps).

``random-walk`` is row 1 with the output variance as a parameter s:
f(x) = Σ a_i ReLU(x + b_i) + c with b_i ~ N(0, 2), a_i, c ~ N(0, s/k); at
s = 2 it draws exactly the networks of row 1.

Family files (JSON, ``docs/formats.md``, "Family file") spell the same specs.

>>> family = builtin_family("row1")
>>> [layer.weight.describe() for layer in family.layers]
['constant 1', 'normal std sqrt(2/n_in)']
>>> builtin_family("random-walk").with_parameters({"s": 0.5}).describe()[1]
'layer 2: weight normal std sqrt(s/k), s=0.5; bias normal std sqrt(s/k), s=0.5; identity'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from verichaos.network import Activation, NetworkFormatError, parse_activation

__all__ = [
    "FORMAT",
    "VERSION",
    "FamilyError",
    "Initializer",
    "LayerSpec",
    "Family",
    "BUILTIN_NAMES",
    "builtin_family",
    "parse_family",
    "load_family",
]

FORMAT = "verichaos-family"
VERSION = 1

DIVISORS = ("1", "n_in", "n_out", "n_in+n_out", "k")
"""What a normal initializer's std or variance is divided by (``per``)."""

KINDS = ("constant", "normal", "uniform", "he", "glorot")


class FamilyError(ValueError):
    """A family spec or file that breaks the format; the message says where."""


Number = float | str  # a value, or the name of a family parameter


@dataclass(frozen=True)
class Initializer:
    """How to draw one weight matrix or bias vector (see the module docstring)."""

    kind: str  # constant, normal or uniform (he and glorot are spellings of normal)
    value: Number = 0.0  # constant
    std: Number | None = None  # normal: std/D ...
    variance: Number | None = None  # ... or sqrt(variance/D)
    per: str = "1"
    truncate: tuple[float, float] | None = None
    low: Number = 0.0  # uniform
    high: Number = 1.0

    def describe(self, parameters: Mapping[str, float] | None = None) -> str:
        """A short human description, naming the parameters it uses."""
        if self.kind == "constant":
            return f"constant {_text(self.value)}"
        if self.kind == "uniform":
            return f"uniform [{_text(self.low)}, {_text(self.high)})"
        divisor = "" if self.per == "1" else f"/{self.per}"
        spread = f"std {_text(self.std)}{divisor}" if self.std is not None else f"std sqrt({_text(self.variance)}{divisor})"
        if self.std is None and self.per == "1":
            spread = f"variance {_text(self.variance)}"
        text = f"normal {spread}"
        if self.truncate:
            text += f" truncated to ({_text(self.truncate[0])}, {_text(self.truncate[1])})"
        used = [name for name in (self.std, self.variance) if isinstance(name, str)]
        if used and parameters:
            text += ", " + ", ".join(f"{name}={_text(parameters[name])}" for name in used)
        return text

    def parameter_names(self) -> set[str]:
        return {v for v in (self.value, self.std, self.variance, self.low, self.high) if isinstance(v, str)}

    def to_json(self) -> dict[str, object]:
        if self.kind == "constant":
            return {"kind": "constant", "value": self.value}
        if self.kind == "uniform":
            return {"kind": "uniform", "low": self.low, "high": self.high}
        spec: dict[str, object] = {"kind": "normal"}
        spec["std" if self.std is not None else "variance"] = self.std if self.std is not None else self.variance
        spec["per"] = self.per
        if self.truncate:
            spec["truncate"] = list(self.truncate)
        return spec

    def constant(self, parameters: Mapping[str, float]) -> float:
        """The value of a constant initializer."""
        return _value(self.value, parameters)

    def normal_scale(self, fans: Mapping[str, int], parameters: Mapping[str, float]) -> float:
        """σ of a normal initializer: its samples are numpy's standard normals times σ."""
        divisor = fans[self.per]
        # float ok: the notebooks drew float64 samples; the network takes their exact binary values
        return _value(self.std, parameters) / divisor if self.std is not None else math.sqrt(_value(self.variance, parameters) / divisor)

    def draw(self, rng: np.random.Generator, shape: tuple[int, ...], fans: Mapping[str, int], parameters: Mapping[str, float]) -> np.ndarray:
        """Float64 samples of the given shape, drawn from ``rng`` in C order."""
        if self.kind == "constant":
            return np.full(shape, self.constant(parameters), dtype=np.float64)
        if self.kind == "uniform":
            return rng.uniform(_value(self.low, parameters), _value(self.high, parameters), size=shape)
        sigma = self.normal_scale(fans, parameters)
        sample = rng.standard_normal(size=shape) * sigma
        if self.truncate:
            lo, hi = self.truncate
            outside = (sample <= lo) | (sample >= hi)
            while outside.any():
                sample[outside] = rng.standard_normal(size=int(outside.sum())) * sigma
                outside = (sample <= lo) | (sample >= hi)
        return sample


def _value(v: Number, parameters: Mapping[str, float]) -> float:
    return float(parameters[v]) if isinstance(v, str) else float(v)  # float ok: parameters of float64 distributions


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@dataclass(frozen=True)
class LayerSpec:
    weight: Initializer
    bias: Initializer
    activation: Activation
    outputs: int | None = None  # None: k for a hidden layer, 1 for the last

    def to_json(self) -> dict[str, object]:
        document = {"weight": self.weight.to_json(), "bias": self.bias.to_json(), "activation": self.activation.to_json()}
        if self.outputs is not None:
            document["outputs"] = self.outputs
        return document


@dataclass(frozen=True)
class Family:
    """A named random family: one :class:`LayerSpec` per layer, plus parameter values."""

    name: str
    layers: tuple[LayerSpec, ...]
    description: str = ""
    parameters: Mapping[str, float] = field(default_factory=dict)

    def layer_shapes(self, width: int) -> list[tuple[int, int]]:
        """(n_out, n_in) of every layer for hidden width ``width``."""
        last = len(self.layers) - 1
        fans_out = [layer.outputs or (width if i < last else 1) for i, layer in enumerate(self.layers)]
        return list(zip(fans_out, [1] + fans_out[:-1]))

    @property
    def is_smooth(self) -> bool:
        """Some layer is smooth (tanh, sigmoid): runs decide period 3 by interval arithmetic
        (:mod:`verichaos.experiments.smooth_measure`), and there are no exact columns."""
        return bool(self._smooth_names())

    def _smooth_names(self) -> list[str]:
        return sorted({layer.activation.name for layer in self.layers if not layer.activation.is_piecewise_linear})

    def refusal(self, *, exact_only: bool = False) -> str | None:
        """Why the experiments cannot run this family, or None when they can. Every family runs;
        ``exact_only`` (an experiment that needs the exact columns, such as the sweeps' P(chaos))
        refuses the smooth ones."""
        smooth = self._smooth_names()
        if not (exact_only and smooth):
            return None
        return (
            f"family {self.name!r} uses {', '.join(smooth)}: its nets are not piecewise linear, so they have no exact "
            "columns (chaos, period 2, lap numbers) for this experiment; `experiment run` and `paper-table --extra` "
            "decide their period 3 by interval arithmetic"
        )

    def with_parameters(self, overrides: Mapping[str, float]) -> Family:
        """The same family with some parameters set; unknown names are refused."""
        unknown = set(overrides) - set(self.parameters)
        if unknown:
            known = ", ".join(sorted(self.parameters)) or "none"
            raise FamilyError(f"family {self.name!r} has no parameter {sorted(unknown)[0]!r} (its parameters: {known})")
        for name, value in overrides.items():
            _finite(value, f"parameter {name!r}")
        return replace(self, parameters={**self.parameters, **{k: float(v) for k, v in overrides.items()}})  # float ok: distribution parameters

    def to_json(self) -> dict[str, object]:
        """The family file of this family, parameters at their current values."""
        document: dict[str, object] = {"format": FORMAT, "version": VERSION, "name": self.name}
        if self.description:
            document["description"] = self.description
        if self.parameters:
            document["parameters"] = dict(self.parameters)
        document["layers"] = [layer.to_json() for layer in self.layers]
        return document

    def describe(self) -> list[str]:
        """One line per layer, for tables and summaries."""
        return [
            f"layer {i + 1}: weight {layer.weight.describe(self.parameters)}; bias {layer.bias.describe(self.parameters)}; {layer.activation}"
            for i, layer in enumerate(self.layers)
        ]


# ------------------------------------------------------------------ parsing


def _finite(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise FamilyError(f"{where}: expected a finite number, got {value!r}")
    return float(value)  # float ok: distribution parameters are float64 by design


def _number(value: object, where: str, parameters: Mapping[str, float]) -> Number:
    if isinstance(value, str):
        if value not in parameters:
            known = ", ".join(sorted(parameters)) or "none declared"
            raise FamilyError(f"{where}: {value!r} is not a declared parameter ({known})")
        return value
    return _finite(value, where)


def _fields(spec: Mapping[str, object], where: str, optional: set[str], required: tuple[str, ...] = ()) -> None:
    """Refuse a missing required field or an unknown one, naming it."""
    missing = [key for key in required if key not in spec]
    if missing:
        raise FamilyError(f"{where}: missing {', '.join(missing)}")
    extra = set(spec) - optional - set(required) - {"kind"}
    if extra:
        raise FamilyError(f"{where}: unknown field {sorted(extra)[0]!r}")


def parse_initializer(spec: object, where: str, parameters: Mapping[str, float]) -> Initializer:
    """An :class:`Initializer` from its JSON spelling."""
    if not isinstance(spec, Mapping):
        raise FamilyError(f"{where}: expected an object with a 'kind', got {type(spec).__name__}")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise FamilyError(f"{where}: unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "constant":
        _fields(spec, f"{where}: constant", set(), ("value",))
        return Initializer("constant", value=_number(spec["value"], f"{where}, value", parameters))
    if kind == "uniform":
        _fields(spec, where, {"low", "high"})
        low = _number(spec.get("low", 0.0), f"{where}, low", parameters)
        high = _number(spec.get("high", 1.0), f"{where}, high", parameters)
        if isinstance(low, float) and isinstance(high, float) and not low < high:
            raise FamilyError(f"{where}: uniform needs low < high, got low={low}, high={high}")
        return Initializer("uniform", low=low, high=high)
    if kind in ("he", "glorot"):
        _fields(spec, where, set())
        return Initializer("normal", variance=2.0, per="n_in" if kind == "he" else "n_in+n_out")
    _fields(spec, where, {"std", "variance", "per", "truncate"})
    if ("std" in spec) == ("variance" in spec):
        raise FamilyError(f"{where}: normal needs exactly one of 'std' or 'variance'")
    key = "std" if "std" in spec else "variance"
    amount = _number(spec[key], f"{where}, {key}", parameters)
    if isinstance(amount, float) and amount < 0:
        raise FamilyError(f"{where}: {key} must be at least 0, got {amount}")
    per = spec.get("per", "1")
    if per not in DIVISORS:
        raise FamilyError(f"{where}: 'per' must be one of {', '.join(DIVISORS)}, got {per!r}")
    truncate = spec.get("truncate")
    if truncate is not None:
        if not isinstance(truncate, list) or len(truncate) != 2:
            raise FamilyError(f"{where}: 'truncate' must be a list [lo, hi]")
        lo, hi = (_finite(t, f"{where}, truncate") for t in truncate)
        if not lo < 0 < hi:
            raise FamilyError(f"{where}: 'truncate' must satisfy lo < 0 < hi, got [{lo}, {hi}]")
        truncate = (lo, hi)
    return Initializer(
        "normal",
        std=amount if key == "std" else None,
        variance=amount if key == "variance" else None,
        per=per,
        truncate=truncate,
    )


def parse_family(document: object, where: str = "family") -> Family:
    """A :class:`Family` from a parsed family file (``docs/formats.md``)."""
    if not isinstance(document, Mapping):
        raise FamilyError(f"{where}: expected a JSON object, got {type(document).__name__}")
    if document.get("format") != FORMAT:
        raise FamilyError(f"{where}: 'format' must be {FORMAT!r}, got {document.get('format')!r}")
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        raise FamilyError(f"{where}: unsupported family version {document.get('version')!r} (this reader knows version {VERSION})")
    _fields(document, where, {"description", "parameters"}, ("format", "version", "name", "layers"))
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise FamilyError(f"{where}: 'name' must be a non-empty string")
    description = document.get("description", "")
    if not isinstance(description, str):
        raise FamilyError(f"{where}: 'description' must be a string")
    raw_parameters = document.get("parameters", {})
    if not isinstance(raw_parameters, Mapping):
        raise FamilyError(f"{where}: 'parameters' must be an object of name: default value")
    parameters = {str(k): _finite(v, f"{where}: parameter {k!r}") for k, v in raw_parameters.items()}
    layers = document.get("layers")
    if not isinstance(layers, list) or len(layers) < 2:
        raise FamilyError(f"{where}: 'layers' must be a list of at least 2 layers (input layer and output layer)")
    specs = []
    for i, layer in enumerate(layers):
        at = f"{where}: layer {i}"
        if not isinstance(layer, Mapping):
            raise FamilyError(f"{at}: expected an object with weight, bias, activation")
        _fields(layer, at, {"outputs"}, ("weight", "bias", "activation"))
        outputs = layer.get("outputs")
        if outputs is not None and (isinstance(outputs, bool) or outputs != 1):
            raise FamilyError(f"{at}: 'outputs' can only be 1 (a 1->1 layer composes a second activation), got {outputs!r}")
        specs.append(
            LayerSpec(
                parse_initializer(layer["weight"], f"{at}, weight", parameters),
                parse_initializer(layer["bias"], f"{at}, bias", parameters),
                _activation(layer["activation"], f"{at}, activation"),
                outputs,
            )
        )
    return Family(name, tuple(specs), description, parameters)


def _activation(spec: object, where: str) -> Activation:
    """The activation as a network file spells it."""
    try:
        return parse_activation(spec, where)
    except NetworkFormatError as error:
        raise FamilyError(str(error)) from None


def load_family(path: str | Path) -> Family:
    """Read and validate a family file."""
    path = Path(path)
    try:
        document = json.loads(path.read_bytes().decode("utf-8"), parse_constant=_refuse_constant)
    except OSError as error:
        raise FamilyError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise FamilyError(f"{path}: not UTF-8 text") from None
    except (json.JSONDecodeError, RecursionError) as error:
        raise FamilyError(f"{path}: not valid JSON: {error}") from None
    return parse_family(document, str(path))


def _refuse_constant(name: str) -> None:
    raise FamilyError(f"the file contains {name}; only finite numbers are allowed")


# ---------------------------------------------------------------- built-ins

_HE = {"kind": "he"}
_NORMAL_K = {"kind": "normal", "std": 1, "per": "n_out"}  # the notebooks' normal_k: (1/n_neurons) * randn
_TR = {"kind": "normal", "std": 1, "truncate": [-1, 1]}  # our reading of TR(-1,1)
_ROW5 = {"kind": "normal", "std": 2, "per": "n_in+n_out"}  # std 2/(k+1) in both layers
_GLOROT = {"kind": "glorot"}
_UNIFORM = {"kind": "uniform", "low": 0, "high": 1}


def _row(name: str, description: str, first: tuple, second: tuple, parameters: dict | None = None) -> dict:
    layers = [dict(zip(("weight", "bias", "activation"), first)), dict(zip(("weight", "bias", "activation"), second))]
    document = {"format": FORMAT, "version": VERSION, "name": name, "description": description, "layers": layers}
    if parameters:
        document["parameters"] = parameters
    return document


_ROWS = {
    "row1": _row(
        "row1", "published table row 1 (13.77%): w=1, b He; a, c He; identity output",
        ({"kind": "constant", "value": 1}, _HE, "relu"), (_HE, _HE, "identity"),
    ),
    "row2": _row("row2", "published table row 2 (7.49%): He everywhere; ReLU output", (_HE, _HE, "relu"), (_HE, _HE, "relu")),
    "row3": _row("row3", "published table row 3 (4.51%): weights He, biases U[0,1); ReLU output", (_HE, _UNIFORM, "relu"), (_HE, _UNIFORM, "relu")),
    "row4": _row(
        "row4", "published table row 4 (4.45%): weights normal_k, (1/n_out) * randn: std 1/k, then std 1 for the one output; "
        "biases N(0,1) truncated to (-1,1); ReLU output",
        (_NORMAL_K, _TR, "relu"), (_NORMAL_K, _TR, "relu"),
    ),
    "row5": _row(
        "row5", "published table row 5 (2.28%), the January run that printed it: std 2/(k+1) everywhere, no output bias, identity output",
        (_ROW5, _ROW5, "relu"), (_ROW5, {"kind": "constant", "value": 0}, "identity"),
    ),
}
_AUGUST_ROW5 = _row(
    "row5-glorot", "row 5 as the August 2022 notebooks code Glorot: std sqrt(2/(n_in+n_out)) for every weight and bias, ReLU output",
    (_GLOROT, _GLOROT, "relu"), (_GLOROT, _GLOROT, "relu"),
)
_AUGUST_ROWS = {**{name: _ROWS[name] for name in ("row1", "row2", "row3", "row4")}, "row5-glorot": _AUGUST_ROW5}
"""The rows as the August 2022 notebooks (extra tables) read them."""

_RANDOM_WALK = _row(
    "random-walk",
    "f(x) = sum a_i relu(x + b_i) + c, b_i ~ N(0,2), a_i and c ~ N(0, s/k) (Theorem 2; s = 2 is row 1)",
    ({"kind": "constant", "value": 1}, _HE, "relu"),
    ({"kind": "normal", "variance": "s", "per": "k"}, {"kind": "normal", "variance": "s", "per": "k"}, "identity"),
    parameters={"s": 2.0},
)

_CLIP = {"name": "hardtanh", "min": 0, "max": 1}
_UNIT_LAYER = {"weight": {"kind": "constant", "value": 1}, "bias": {"kind": "constant", "value": 0}, "outputs": 1}


def _variant(row: dict, suffix: str, description: str, layers: list[dict]) -> dict:
    document = json.loads(json.dumps(row))
    document.update(name=f"{row['name']}-{suffix}", description=f"{row['name']} {description}", layers=layers)
    return document


def _clipped(row: dict) -> dict:
    """The output clipped to [0, 1] before the output activation (identity or ReLU: the same map)."""
    *hidden, last = json.loads(json.dumps(row["layers"]))
    last["activation"] = _CLIP
    return _variant(row, "clipped", "with the output clipped to [0, 1] (hardtanh(0, 1) on the output)", [*hidden, last])


def _depth3(row: dict) -> dict:
    first, last = json.loads(json.dumps(row["layers"]))
    middle = {"weight": last["weight"], "bias": first["bias"], "activation": first["activation"]}
    return _variant(row, "depth3", "with a second hidden layer of width k (layer-2 weight rule, layer-1 bias rule and activation)", [first, middle, last])


def _tanh(row: dict, clipped: bool = False) -> dict:
    """Every ReLU replaced by tanh; clipped: tanh(clip(z, 0, 1)) on the output, as Layer_Dense_Out then tanh."""
    layers = json.loads(json.dumps(row["layers"]))
    for layer in layers:
        layer["activation"] = "tanh" if layer["activation"] == "relu" else layer["activation"]
    if not clipped:
        return _variant(row, "tanh", "with tanh in place of every ReLU", layers)
    last = layers[-1]
    tail = [{**_UNIT_LAYER, "activation": last["activation"]}] if last["activation"] != "identity" else []
    last["activation"] = _CLIP
    if tail:
        last["outputs"] = 1  # no longer the last layer, still one output
    return _variant(row, "tanh-clipped", "with tanh in place of every ReLU and the output clipped to [0, 1] before its tanh", [*layers, *tail])


_BUILTINS: dict[str, dict] = {
    **_ROWS,
    "row5-glorot": _AUGUST_ROW5,
    **{f"{name}-clipped": _clipped(row) for name, row in _AUGUST_ROWS.items()},
    **{f"{name}-depth3": _depth3(row) for name, row in _AUGUST_ROWS.items()},
    **{f"{name}-tanh": _tanh(row) for name, row in _AUGUST_ROWS.items()},
    **{f"{name}-tanh-clipped": _tanh(row, clipped=True) for name, row in _AUGUST_ROWS.items()},
    "random-walk": _RANDOM_WALK,
}

BUILTIN_NAMES = tuple(_BUILTINS)


def builtin_family(name: str) -> Family:
    """A built-in family by name (``BUILTIN_NAMES``)."""
    if name not in _BUILTINS:
        raise FamilyError(f"unknown family {name!r}; built-in families: {', '.join(BUILTIN_NAMES)}, or a path to a family file (.json)")
    return parse_family(_BUILTINS[name], f"built-in family {name}")

