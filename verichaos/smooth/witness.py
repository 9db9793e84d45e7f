"""The Li–Yorke witness: one rational a with f³(a) < a < f(a) < f²(a), or the mirror.

Li and Yorke (1975): for a continuous interval map, a point a with
f³(a) ≤ a < f(a) < f²(a) (or f³(a) ≥ a > f(a) > f²(a)) forces a point of
period 3. The strict version is an open condition, so balls holding f(a),
f²(a), f³(a) that are strictly ordered (each gap clearing
:data:`~verichaos.smooth.enclosure.MARGIN`) prove it; a is a dyadic rational,
which the checker reads exactly.

Where such an a is: if x₀ < x₁ < x₂ is a period-3 orbit with f(x₀) = x₁,
then a = x₀ satisfies a < f(a) < f²(a) with f³(a) = a; moving a off x₀ to the
side where g = f³ − id is negative keeps the three strict inequalities (by
continuity) and makes the fourth strict, which is possible when
(f³)′(x₀) ≠ 1. The mirror orbit (f(x₂) = x₁) gives the mirror case at x₂.
:func:`near_orbit` tries both sides of each point of an enclosed orbit at
distances 2⁻ᵏ; :func:`from_grid` is the fast path: a float grid proposes
points (a filter only), each confirmed by enclosures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verichaos.network import Network
from verichaos.rational import Q, from_float
from verichaos.smooth.enclosure import SmoothMap, point, precision, sign

__all__ = ["CASES", "li_yorke_case", "near_orbit", "from_grid"]

CASES = ("d<a<b<c", "d>a>b>c")
_GRID = 4096


def li_yorke_case(f: SmoothMap, a: Q) -> str | None:
    """The case a satisfies, proved by enclosures, or None."""
    with precision():
        x = point(a)
        b, c, d = f.iterate(x, 3)[1:]
        if sign(x - d) > 0 and sign(b - x) > 0 and sign(c - b) > 0:
            return CASES[0]
        if sign(d - x) > 0 and sign(x - b) > 0 and sign(b - c) > 0:
            return CASES[1]
    return None


def _dyadic(x: Q, bits: int) -> Q:
    scale = Q(2) ** bits
    return Q(int((x * scale).__floor__())) / scale


def near_orbit(f: SmoothMap, orbit: Sequence[tuple[Q, Q]], scale: Q) -> tuple[Q, str] | None:
    """A witness a next to one of the enclosed orbit points, if one is found."""
    for k in range(4, 70):
        for lo, hi in orbit:
            for side in (1, -1):
                a = _dyadic((lo + hi) / 2 + side * scale / 2**k, k + 12)
                case = li_yorke_case(f, a)
                if case:
                    return a, case
    return None


def _float_map(network: Network):
    """f on numpy arrays, in float64: a filter whose every answer is confirmed by enclosures."""
    layers = []
    for layer in network.layers:
        act = layer.activation
        params = {k: float(v) for k, v in act.params}  # float ok: filter only
        weight = np.array([[float(w) for w in row] for row in layer.weight])  # float ok: filter only
        bias = np.array([float(b) for b in layer.bias])  # float ok: filter only
        layers.append((weight, bias, act.name, params))

    def apply(x: np.ndarray) -> np.ndarray:
        h = x[None, :]
        for weight, bias, name, params in layers:
            z = weight @ h + bias[:, None]
            h = {
                "tanh": np.tanh,
                "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
                "relu": lambda v: np.maximum(v, 0),
                "abs": np.abs,
                "identity": lambda v: v,
                "leaky_relu": lambda v: np.where(v >= 0, v, params.get("alpha", 0) * v),
                "hardtanh": lambda v: np.clip(v, params.get("min", -1), params.get("max", 1)),
            }[name](z)
        return h[0]

    return apply


def from_grid(f: SmoothMap, lo: Q, hi: Q, tries: int = 24) -> tuple[Q, str] | None:
    """A witness among grid points of [lo, hi] where floats suggest the strict condition."""
    apply = _float_map(f.network)
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.linspace(float(lo), float(hi), _GRID + 1)  # float ok: filter only
        b = apply(x)
        c = apply(b)
        d = apply(c)
        gap = np.maximum(np.minimum.reduce([x - d, b - x, c - b]), np.minimum.reduce([d - x, x - b, b - c]))
    order = np.argsort(-np.nan_to_num(gap, nan=-np.inf))[:tries]
    for i in order:
        if not gap[i] > 0:
            break
        a = _dyadic(from_float(x[i]), 48)
        case = li_yorke_case(f, a)
        if case:
            return a, case
    return None
