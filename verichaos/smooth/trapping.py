"""The trapping interval of a smooth network: where every periodic point lies.

A bounded activation bounds f on all of ℝ. Take the last layer whose
activation is tanh (values in [−1, 1]) or sigmoid (values in [0, 1]); each
later layer maps a box of exact rational intervals to a box, by interval
arithmetic that is exact for an affine map (the range of b + Σ wᵢhᵢ over a box
is b + Σ wᵢ·[lo, hi]ᵢ) and for a piecewise-linear activation (its range over
an interval is the hull of its values at the ends and at the knots inside).
The output interval I = [L, U] then holds f(ℝ); for a depth-2 net with output
c + Σ aᵢ tanh(·) it is c ± Σ|aᵢ|. Every periodic point x = f^p(x) lies in
f(ℝ) ⊆ I, so a search for period-3 points may stay in I.

Everything here is exact rational arithmetic, so the checker recomputes the
same I and the certificate can demand equality.

The bisection (:mod:`verichaos.smooth.cover`) tiles the slightly larger
T = [L, U + (U − L)/2²⁰] ⊇ I: its cut points L + (U − L)(1 + 2⁻²⁰)·k/2^d are
then dyadic fractions of I only for k/2^d a multiple of 2²⁰ + 1 = 17·61681,
so they miss the simple points (the centre of a symmetric I, which a network
without biases maps to itself) where a cut would sit on a fixed point of f and
no piece next to it could be decided.
"""

from __future__ import annotations

from verichaos.network import SMOOTH_ACTIVATIONS, Activation, Network
from verichaos.rational import Q

__all__ = ["trapping_interval", "tiled_interval"]

_RANGES = {"tanh": (Q(-1), Q(1)), "sigmoid": (Q(0), Q(1))}


def _activation_range(activation: Activation, lo: Q, hi: Q) -> tuple[Q, Q]:
    values = [activation(lo), activation(hi), *(activation(t) for t in activation.thresholds if lo < t < hi)]
    return min(values), max(values)


def trapping_interval(network: Network) -> tuple[Q, Q]:
    """[L, U] ⊇ f(ℝ) for a network with a smooth activation (module docstring)."""
    last = max(i for i, layer in enumerate(network.layers) if layer.activation.name in SMOOTH_ACTIVATIONS)
    box = [_RANGES[network.layers[last].activation.name]] * network.layers[last].fan_out
    for layer in network.layers[last + 1:]:
        out = []
        for row, bias in zip(layer.weight, layer.bias):
            lo = bias + sum(w * (a if w >= 0 else b) for w, (a, b) in zip(row, box))
            hi = bias + sum(w * (b if w >= 0 else a) for w, (a, b) in zip(row, box))
            out.append(_activation_range(layer.activation, lo, hi))
        box = out
    return box[0]


def tiled_interval(network: Network) -> tuple[Q, Q]:
    """T = [L, U + (U − L)/2²⁰], the interval the cover tiles (module docstring)."""
    lo, hi = trapping_interval(network)
    return lo, hi + (hi - lo) / 2**20
