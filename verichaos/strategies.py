"""Hypothesis strategies for exact rationals, networks and piecewise-linear maps.

Public and stable: researchers write ``@given(verichaos.strategies.networks())``
in their own test suites, and verichaos's own property tests use the same
strategies. Every strategy draws exact values (:data:`verichaos.rational.Q`),
never floats, and shrinks toward small, readable counterexamples: few layers
and units, integer or small-denominator weights, few breakpoints.

============================  ==================================================
strategy                      draws
============================  ==================================================
:func:`rationals`             exact rationals p/q of bounded size
:func:`activation_functions`  piecewise-linear activations with exact parameters
:func:`networks`              valid :class:`~verichaos.network.Network` objects
:func:`respellings`           JSON documents of one network, spelled many ways
:func:`network_documents`     JSON documents of random networks
:func:`piecewise_linear_maps` canonical :class:`~verichaos.pwl.PiecewiseLinear`
:func:`maps_with_period3`     a ReLU network with a planted period-3 orbit
:func:`maps_without_period3`  networks that provably have no period-3 point
============================  ==================================================

:func:`relu_network` (not a strategy) writes any piecewise-linear map as a
depth-2 ReLU network; the period-3 strategies use it to turn a planted map
into a network.

Example, a property of every network::

    from hypothesis import given
    from verichaos.pwl import from_network
    from verichaos.strategies import networks, rationals

    @given(networks(depth=(1, 3), width=(1, 4)), rationals())
    def test_exact_map_matches_network(net, x):
        assert from_network(net)(x) == net(x)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import NamedTuple

from hypothesis import strategies as st

from verichaos.dynamics import Orbit
from verichaos.network import FORMAT, VERSION, Activation, Layer, Network, parse_activation
from verichaos.pwl import PiecewiseLinear
from verichaos.rational import Q, canonical, parse_rational

__all__ = [
    "PWL_ACTIVATIONS",
    "MONOTONE_ACTIVATIONS",
    "PlantedOrbit",
    "rationals",
    "activation_functions",
    "networks",
    "respellings",
    "network_documents",
    "piecewise_linear_maps",
    "relu_network",
    "maps_with_period3",
    "maps_without_period3",
    "NO_PERIOD3_REASONS",
]

PWL_ACTIVATIONS = ("relu", "identity", "abs", "leaky_relu", "hardtanh")
"""Every activation the network format accepts (``docs/formats.md``)."""

MONOTONE_ACTIVATIONS = ("relu", "identity", "leaky_relu", "hardtanh")
"""The non-decreasing ones (with :func:`activation_functions`' parameters, α ≥ 0)."""

SizeSpec = int | tuple[int, int]
"""A fixed count ``n`` or an inclusive range ``(lo, hi)``."""


def _range(spec: SizeSpec, name: str) -> tuple[int, int]:
    lo, hi = (spec, spec) if isinstance(spec, int) else spec
    if not 1 <= lo <= hi:
        raise ValueError(f"{name} must be an int or a range (lo, hi) with 1 <= lo <= hi, got {spec!r}")
    return lo, hi


def _as_strategy(choices: object) -> st.SearchStrategy:
    """A strategy as it is, or a strategy sampling a list of choices (or one spelling)."""
    if isinstance(choices, st.SearchStrategy):
        return choices
    return st.sampled_from([choices] if isinstance(choices, (str, Mapping)) else list(choices))


# ------------------------------------------------------------------ numbers


def _nth_rational(n: int, slots: int, lo: Q, hi: Q) -> Q:
    """The n-th rational of [lo, hi] in order of simplicity: ``slots`` places
    for denominator 1, then as many for 2, …; for each denominator q the
    numerators from the one nearest 0 outwards, alternately above and below
    (wrapping around when q has fewer than ``slots``)."""
    q, k = n // slots + 1, n % slots
    a, b = -((-lo.numerator * q) // lo.denominator), (hi.numerator * q) // hi.denominator
    if a > b:  # no multiple of 1/q in [lo, hi]
        return lo
    start = min(max(0, a), b)
    k %= b - a + 1
    both_sides = min(b - start, start - a)
    if k <= 2 * both_sides:
        p = start + (k + 1) // 2 if k % 2 else start - k // 2
    else:
        p = start + (k - both_sides) if b - start > start - a else start - (k - both_sides)
    return Q(p, q)


@st.composite
def _rationals(draw: Callable, denominators: int, lo: Q, hi: Q) -> Q:
    # One integer choice per rational, not two (numerator, denominator):
    # hypothesis's shrinker deletes list elements made of few choices far more
    # reliably, which is what lets a network shrink to few units.
    slots = int((hi - lo) * denominators) + 2
    return _nth_rational(draw(st.integers(0, denominators * slots - 1)), slots, lo, hi)


def rationals(max_bits: int = 4, min_value: object = None, max_value: object = None) -> st.SearchStrategy[Q]:
    """Exact rationals p/q with 1 ≤ q ≤ 2**max_bits.

    Values lie in [min_value, max_value]. A missing bound is ∓2**max_bits, moved
    out to (other bound) ∓ 2**max_bits when the other bound lies beyond it; so
    by default |p/q| ≤ 2**max_bits. When [min_value, max_value] holds no
    multiple of 1/q for the drawn q, the value is min_value itself.
    Bounds are any exact spelling (``"1/3"``, ``Fraction``, ``mpq``, ``int``).

    Shrinks toward 0 (or the bound nearest 0), integers first.

    >>> from hypothesis import find
    >>> find(rationals(), lambda q: q > Q(1, 3))
    mpq(1,1)
    """
    if max_bits < 0:
        raise ValueError("max_bits must be at least 0")
    reach = Q(2) ** max_bits
    lo = None if min_value is None else parse_rational(min_value)
    hi = None if max_value is None else parse_rational(max_value)
    if lo is None:
        lo = -reach if hi is None else min(-reach, hi - reach)
    if hi is None:
        hi = max(reach, lo + reach)
    if lo > hi:
        raise ValueError(f"min_value {lo} is above max_value {hi}")
    return _rationals(int(reach), lo, hi)


def _small_weights() -> st.SearchStrategy[Q]:
    """Default network entries: |w| ≤ 4, denominators ≤ 4."""
    return rationals(max_bits=2)


@st.composite
def _activation(draw: Callable, names: list[str]) -> Activation:
    name = draw(st.sampled_from(names))
    if name == "leaky_relu":
        return parse_activation({"name": name, "alpha": draw(rationals(3, 0, 1))})
    if name == "hardtanh":
        ends = sorted(draw(st.lists(rationals(2), min_size=2, max_size=2, unique=True)))
        return parse_activation({"name": name, "min": ends[0], "max": ends[1]})
    return parse_activation(name)


def activation_functions(names: Iterable[str] = PWL_ACTIVATIONS) -> st.SearchStrategy[Activation]:
    """Activations among ``names`` with exact random parameters: leaky_relu's α
    in [0, 1], hardtanh's min < max in [−4, 4]. Shrinks toward the first name.

    >>> from hypothesis import find
    >>> find(activation_functions(), lambda a: a.name == "hardtanh")
    Activation(name='hardtanh', params=(('max', mpq(1,1)), ('min', mpq(0,1))))
    """
    return _activation(list(names))


# ----------------------------------------------------------------- networks


@st.composite
def _networks(draw: Callable, depth, width, hidden, output, weights, biases) -> Network:
    # Each hidden unit is drawn as one piece holding its incoming row, its bias
    # and, in the last hidden layer, its output weight: deleting the piece
    # deletes the unit, which is how counterexamples shrink to few units.
    # Likewise a hidden layer after the required ones is drawn behind a "one
    # more?" flag, as list elements are, so that shrinking can delete it.
    hidden_layers = depth[0] - 1
    while hidden_layers < depth[1] - 1 and draw(st.booleans()):
        hidden_layers += 1
    layers, fan_in, output_weights = [], 1, None
    for index in range(hidden_layers):
        activation = parse_activation(draw(hidden))
        last = index == hidden_layers - 1
        unit = st.tuples(st.lists(weights, min_size=fan_in, max_size=fan_in), biases, weights if last else st.none())
        # Every drawn unit is deletable (a list with a minimum size pins its
        # first elements, and those are the ones that shrink to dead units);
        # a layer left too narrow is padded with all-zero units instead.
        units = draw(st.lists(unit, max_size=width[1]))
        units += [((0,) * fan_in, 0, 0 if last else None)] * (width[0] - len(units))
        layers.append(Layer(_exact(u[0] for u in units), _exact([[u[1] for u in units]])[0], activation))
        fan_in, output_weights = len(units), [u[2] for u in units]
    if output_weights is None:
        output_weights = [draw(weights)]
    activation = parse_activation(draw(output))
    layers.append(Layer(_exact([output_weights]), _exact([[draw(biases)]])[0], activation))
    return Network(tuple(layers))


def _exact(rows: Iterable[Iterable[object]]) -> tuple[tuple[Q, ...], ...]:
    return tuple(tuple(parse_rational(v) for v in row) for row in rows)


def networks(
    depth: SizeSpec = (1, 3),
    width: SizeSpec = (1, 4),
    activations: Iterable[object] | st.SearchStrategy = ("relu",),
    output_activations: Iterable[object] | st.SearchStrategy = ("identity",),
    weights: st.SearchStrategy | None = None,
    biases: st.SearchStrategy | None = None,
) -> st.SearchStrategy[Network]:
    """Valid one-input, one-output networks.

    * ``depth``: number of layers (≥ 1), an int or a range ``(lo, hi)``;
      depth 1 is an affine map followed by the output activation.
    * ``width``: the width of each hidden layer, drawn per layer.
    * ``activations``: the hidden layers' activation, one per layer, drawn
      from a list of spellings (``"relu"``, ``{"name": "leaky_relu",
      "alpha": "1/10"}``, …) or from a strategy such as
      :func:`activation_functions`.
    * ``output_activations``: the same for the last layer (identity by default).
    * ``weights``, ``biases``: strategies for the entries (anything
      :func:`~verichaos.rational.parse_rational` takes); by default
      rationals with |w| ≤ 4 and denominators ≤ 4. ``biases`` defaults to
      ``weights``.

    Shrinks toward one layer, narrow layers, the first activation, entries 0.

    >>> from hypothesis import find
    >>> find(networks(), lambda net: len(net.layers) == 2).widths
    (1,)
    """
    weights = weights if weights is not None else _small_weights()
    return _networks(
        _range(depth, "depth"),
        _range(width, "width"),
        _as_strategy(activations),
        _as_strategy(output_activations),
        weights,
        biases if biases is not None else weights,
    )


# ---------------------------------------------------------- JSON documents


class _Literal(str):
    """Text written into JSON as a bare number literal, not as a string."""


def _decimal(q: Q) -> tuple[int, int] | None:
    """(N, k) with q = N / 10**k when q has a terminating decimal expansion."""
    twos = fives = 0
    d = int(q.denominator)
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return None
    k = max(twos, fives)
    return int(q * 10**k), k


def _decimal_spellings(q: Q) -> list[str]:
    """Decimal texts of q: point notation, trailing zero, exponent notation."""
    found = _decimal(q)
    if found is None:
        return []
    n, k = found
    sign, digits = ("-" if n < 0 else ""), str(abs(n)).rjust(k + 1, "0")
    point = f"{sign}{digits[:-k]}.{digits[-k:]}" if k else f"{sign}{digits}.0"
    return [point, point + "0", f"{n}e-{k}" if k else f"{n}E+0"]


def _number_spellings(q: Q, text: bool) -> list[object]:
    """Ways to write q in a network file; bare JSON literals only in ``text``
    mode, since a Python float could not carry them exactly."""
    strings = [canonical(q), f"{2 * q.numerator}/{2 * q.denominator}", *_decimal_spellings(q)]
    if q >= 0:
        strings.append("+" + canonical(q))
    literals: list[object] = []
    if q.denominator == 1:
        literals.append(_Literal(canonical(q)) if text else int(q))
    if text:
        literals.extend(_Literal(s) for s in _decimal_spellings(q))
    return literals + strings


def _activation_spellings(activation: Activation) -> list[object]:
    params = dict(activation.params)
    defaults = {"leaky_relu": {"alpha": Q(1, 100)}, "hardtanh": {"min": Q(-1), "max": Q(1)}}
    names = [activation.name, activation.name.upper()] + (["clip"] if activation.name == "hardtanh" else [])
    spellings: list[object] = [{"name": name, **params} for name in names]
    if params == defaults.get(activation.name, {}):
        spellings += names
    return spellings


_METADATA = st.none() | st.dictionaries(st.sampled_from(["name", "seed"]), st.text(max_size=6) | st.integers(0, 99))


@st.composite
def _respelled(draw: Callable, network: Network, text: bool) -> dict | str:
    def number(q: Q) -> object:
        return draw(st.sampled_from(_number_spellings(q, text)))

    def shuffled(entries: Mapping[str, object]) -> dict[str, object]:
        return dict(draw(st.permutations(list(entries.items()))))

    layers = []
    for layer in network.layers:
        activation = draw(st.sampled_from(_activation_spellings(layer.activation)))
        if isinstance(activation, dict):
            activation = shuffled({key: number(v) if isinstance(v, Q) else v for key, v in activation.items()})
        weight = [[number(w) for w in row] for row in layer.weight]
        bias = [number(b) for b in layer.bias]
        layers.append(shuffled({"weight": weight, "bias": bias, "activation": activation}))
    document: dict[str, object] = {"format": FORMAT, "version": VERSION, "layers": layers}
    metadata = draw(_METADATA)
    if metadata is not None:
        document["metadata"] = metadata
    document = shuffled(document)
    if not text:
        return document
    comma = draw(st.sampled_from([",", ", ", ",\n  ", " ,\n\t"]))
    colon = draw(st.sampled_from([":", ": ", " : "]))
    return _dump(document, comma, colon) + draw(st.sampled_from(["", "\n", " \r\n"]))


def _dump(node: object, comma: str, colon: str) -> str:
    """JSON text with the given separators, writing :class:`_Literal` bare."""
    if isinstance(node, _Literal):
        return str(node)
    if isinstance(node, dict):
        return "{" + comma.join(json.dumps(k) + colon + _dump(v, comma, colon) for k, v in node.items()) + "}"
    if isinstance(node, list):
        return "[" + comma.join(_dump(v, comma, colon) for v in node) + "]"
    return json.dumps(node)


def respellings(network: Network, *, text: bool = False) -> st.SearchStrategy[dict | str]:
    """Network documents that all parse to ``network``: every number in a
    random accepted spelling (integers, ``"p/q"``, unreduced ``"6/4"``,
    ``"+3"``, decimals ``"0.125"``, ``"0.1250"``, ``"125e-3"``), activations as
    names or objects in any case (and ``clip`` for hardtanh), shuffled keys and
    optional metadata. With ``text=True``, JSON text instead of a dict, with
    varied white space and bare number literals such as ``0.125`` and
    ``125e-3`` (which the reader takes as their decimal value, never a float).

    >>> from hypothesis import find
    >>> from verichaos.network import parse_network
    >>> tent = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
    >>> parse_network(find(respellings(tent), lambda doc: True)) == tent
    True
    """
    return _respelled(network, text)


def network_documents(
    of: st.SearchStrategy[Network] | None = None, *, text: bool = False
) -> st.SearchStrategy[dict | str]:
    """Documents (dicts, or JSON text with ``text=True``) of networks drawn from
    ``of`` (default :func:`networks`), spelled as :func:`respellings` does."""
    return (of if of is not None else networks()).flatmap(lambda network: respellings(network, text=text))


# ------------------------------------------------------- piecewise-linear maps


@st.composite
def _piecewise_linear(draw: Callable, max_breakpoints: int, coordinates, slopes) -> PiecewiseLinear:
    xs = sorted(draw(st.lists(coordinates, max_size=max_breakpoints, unique=True)))
    pieces = [draw(slopes)]
    for _ in xs:  # adjacent slopes differ, so every knot is a true breakpoint
        pieces.append(draw(slopes.filter(lambda s, previous=pieces[-1]: s != previous)))
    first = draw(coordinates)
    if not xs:
        return PiecewiseLinear.affine(pieces[0], first)
    ys = [first]
    for i in range(1, len(xs)):
        ys.append(ys[-1] + pieces[i] * (xs[i] - xs[i - 1]))
    return PiecewiseLinear.from_knots(xs, ys, pieces[0], pieces[-1])


def piecewise_linear_maps(
    max_breakpoints: int = 4,
    coordinates: st.SearchStrategy[Q] | None = None,
    slopes: st.SearchStrategy[Q] | None = None,
) -> st.SearchStrategy[PiecewiseLinear]:
    """Canonical continuous piecewise-linear maps, built directly (no network).

    Up to ``max_breakpoints`` strictly increasing breakpoints drawn from
    ``coordinates`` (default :func:`rationals`), the value at the first one
    from ``coordinates`` too, and one slope per piece from ``slopes`` (default
    :func:`rationals` with max_bits 2), adjacent slopes different. ``slopes``
    must offer at least two values when breakpoints are wanted. Shrinks toward
    the constant map 0.
    """
    return _piecewise_linear(
        max_breakpoints,
        coordinates if coordinates is not None else rationals(),
        slopes if slopes is not None else rationals(max_bits=2),
    )


def relu_network(f: PiecewiseLinear, metadata: Mapping[str, object] | None = None) -> Network:
    """f as a depth-2 ReLU network with first-layer weights ±1.

    With knots t₁ < … < t_m of f and slopes s₀ (left tail), s₁, …, s_m:

        f(x) = f(t₁) − s₀·relu(t₁ − x) + s₁·relu(x − t₁) + Σ_{i≥2} (s_i − s_{i−1})·relu(x − t_i)

    Left of t₁ only the first unit is active (slope s₀); on [t_i, t_{i+1}] the
    slope is s₁ + Σ_{2≤j≤i}(s_j − s_{j−1}) = s_i. m + 1 hidden units; an affine
    map uses its anchor knot, so it takes 2.

    >>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
    >>> net = relu_network(tent)
    >>> net.widths, [net(x) for x in (Q(2, 7), Q(4, 7), Q(6, 7))]
    ((3,), [mpq(4,7), mpq(6,7), mpq(2,7)])
    """
    t, slopes = f.xs, f.slopes
    output = [-slopes[0], slopes[1], *(b - a for a, b in zip(slopes[1:], slopes[2:]))]
    return Network(
        (
            Layer(((Q(-1),), *((Q(1),) for _ in t)), (t[0], *(-x for x in t)), parse_activation("relu")),
            Layer((tuple(output),), (f.ys[0],), parse_activation("identity")),
        ),
        dict(metadata or {}),
    )


class PlantedOrbit(NamedTuple):
    """A network and the period-3 orbit planted in it (listed from its smallest point)."""

    network: Network
    orbit: Orbit


@st.composite
def _planted(draw: Callable, max_extra_knots: int, coordinates, slopes) -> PlantedOrbit:
    # One unique list, so that extra knots never collide with the orbit.
    drawn = draw(st.lists(coordinates, min_size=3, max_size=3 + max_extra_knots, unique=True))
    x = sorted(drawn[:3])
    cycle = [x[0], x[2], x[1]] if draw(st.booleans()) else x
    knots = {cycle[i]: cycle[(i + 1) % 3] for i in range(3)}
    for extra in drawn[3:]:
        knots[extra] = draw(coordinates)
    xs = sorted(knots)
    f = PiecewiseLinear.from_knots(xs, [knots[t] for t in xs], draw(slopes), draw(slopes))
    orbit = Orbit(tuple(cycle))
    return PlantedOrbit(relu_network(f, {"planted_orbit": [canonical(p) for p in cycle]}), orbit)


def maps_with_period3(
    max_extra_knots: int = 2,
    coordinates: st.SearchStrategy[Q] | None = None,
    slopes: st.SearchStrategy[Q] | None = None,
) -> st.SearchStrategy[PlantedOrbit]:
    """ReLU networks with a planted orbit of minimal period 3.

    Draws x₀ < x₁ < x₂ and a cyclic order, x₀ → x₁ → x₂ → x₀ or
    x₀ → x₂ → x₁ → x₀, up to ``max_extra_knots`` further knots with values from
    ``coordinates`` (default :func:`rationals`), and tail slopes from ``slopes``
    (default :func:`rationals` with max_bits 2). The map is the
    piecewise-linear interpolant of those knots, written by
    :func:`relu_network`. It sends each xᵢ to the next exactly, and three
    distinct points cycled by f have minimal period 3.

    Yields :class:`PlantedOrbit` ``(network, orbit)``; the orbit is also in the
    network's metadata under ``planted_orbit``.
    """
    return _planted(
        max_extra_knots,
        coordinates if coordinates is not None else rationals(),
        slopes if slopes is not None else rationals(max_bits=2),
    )


NO_PERIOD3_REASONS = {
    "non-decreasing": "f is non-decreasing, so every orbit is monotone and only fixed points are periodic",
    "non-increasing": "f is non-increasing, so f∘f is non-decreasing and only periods 1 and 2 occur",
    "constant": "f is constant, so its only periodic point is that constant, of period 1",
}


_LAST_LAYER_WEIGHTS = {"non-decreasing": lambda w: w, "non-increasing": lambda w: -w, "constant": lambda w: Q(0)}


@st.composite
def _without_period3(draw: Callable, monotone, anything) -> Network:
    reason = draw(st.sampled_from(list(NO_PERIOD3_REASONS)))
    network = draw(anything if reason == "constant" else monotone)
    last = network.layers[-1]
    weight = tuple(tuple(_LAST_LAYER_WEIGHTS[reason](w) for w in row) for row in last.weight)
    return Network(
        (*network.layers[:-1], replace(last, weight=weight)), {"no_period3_because": NO_PERIOD3_REASONS[reason]}
    )


def maps_without_period3(
    depth: SizeSpec = (1, 3),
    width: SizeSpec = (1, 3),
    weights: st.SearchStrategy | None = None,
) -> st.SearchStrategy[Network]:
    """Networks that provably have no point of minimal period 3, of three kinds
    (the reason is in the network's metadata under ``no_period3_because``):

    * **non-decreasing**: every weight ≥ 0 (``weights`` drawn, then made
      non-negative) and only non-decreasing activations
      (:data:`MONOTONE_ACTIVATIONS`, α ≥ 0). Each neuron is then a non-negative
      combination of non-decreasing functions of x, passed through a
      non-decreasing activation, so f is non-decreasing. Proof of no period 3:
      if f(x) ≥ x then f²(x) = f(f(x)) ≥ f(x), and by induction the orbit is
      non-decreasing; likewise non-increasing if f(x) ≤ x. A monotone sequence
      returns to x only if it is constant, so every periodic point is fixed.
    * **non-increasing**: the same network with the last layer's weights
      negated (the output activation is the identity), so f = c − g with g
      non-decreasing. Then f∘f is non-decreasing; if f³(x) = x then
      (f∘f)³(x) = f⁶(x) = x, so by the first case f²(x) = x, and then
      x = f³(x) = f(f²(x)) = f(x): x is a fixed point.
    * **constant**: any network (every activation, abs included) whose last
      layer has all weights 0, so f(x) = c for all x; a periodic point lies in
      the image {c}, and f(c) = c.

    Shrinks toward a one-layer non-decreasing net.
    """
    entries = weights if weights is not None else _small_weights()
    non_negative = entries.map(lambda w: abs(parse_rational(w)))
    monotone = networks(depth, width, activation_functions(MONOTONE_ACTIVATIONS), ("identity",), non_negative, entries)
    anything = networks(depth, width, activation_functions(), activation_functions(), entries)
    return _without_period3(monotone, anything)
