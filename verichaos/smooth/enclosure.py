"""Rigorous enclosures of a network, its iterates and its derivative, in arb balls.

An *enclosure* of a set S ⊂ ℝ is a ball B (python-flint's ``arb``: a midpoint
and a radius, every operation rounded outward by Arb, Johansson 2017) with
S ⊆ B. For a network f with activations σ and an interval X this module
computes

* ``value(X)`` ⊇ f(X), layer by layer: the affine part in ball arithmetic, and
  each activation's exact range over its input ball: a monotone σ (tanh,
  sigmoid) at the two ends, a piecewise-linear σ at the two ends and at its
  knots inside (its extremes are there);
* ``jet(X)`` = (⊇ f(X), ⊇ ∂f(X)), forward mode. For a smooth net ∂f(x) is
  {f′(x)}: tanh′ = 1 − tanh², sigmoid′ = σ(1 − σ) = 1/4 − (σ − 1/2)², each
  over the range of σ. For a net that also has piecewise-linear activations, f
  is only Lipschitz and ∂f is Clarke's generalized derivative: a knot touched
  by the input ball contributes the hull of the slopes on its two sides, and
  the chain rule ∂(g∘h)(x) ⊆ co(∂g(h(x))·∂h(x)) (Clarke 1983, Thm. 2.3.9)
  makes the product of the layer factors an enclosure;
* ``cube(X)`` = (⊇ f³(X), ⊇ ∂(f³)(X)), from the jets over X, ⊇f(X), ⊇f²(X);
* ``cube_minus_identity(J)`` ⊇ {f³(x) − x : x ∈ J}: the intersection of the
  naive enclosure f³(J) − J and the mean-value form
  g(m) + (∂(f³)(J) − 1)·(J − m), g = f³ − id, m the midpoint. For Lipschitz g
  Lebourg's mean value theorem (Clarke 1983, Thm. 2.3.7) gives
  g(x) − g(m) ∈ ∂g(ξ)·(x − m) for some ξ between m and x, so the form holds.

Lebourg's theorem also gives what the certifier uses a derivative enclosure
for: if ∂g(J) excludes 0 then g is strictly monotone on J and has at most one
zero there.

Every decision taken from an enclosure asks it to clear zero by
:data:`MARGIN`, so that the independent checker, whose interval arithmetic is
tighter up to its rounding of 2⁻⁹⁶, reaches the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

from flint import arb, ctx, fmpq

from verichaos.network import Activation, Network
from verichaos.rational import Q

__all__ = ["PRECISION", "MARGIN", "point", "interval", "lower", "upper", "sign", "SmoothMap", "precision"]

PRECISION = 128
"""Bits of Arb's working precision inside :mod:`verichaos.smooth`."""

MARGIN = arb(2) ** -64
"""How far an enclosure must clear zero before a decision is taken from it."""


def precision():
    """The context in which every enclosure of :mod:`verichaos.smooth` is computed."""
    return ctx.workprec(PRECISION)


def point(q: object) -> arb:
    """The exact ball of a rational (exact when dyadic, else a tight ball around it)."""
    q = Q(q)
    return arb(fmpq(int(q.numerator), int(q.denominator)))


def interval(lo: object, hi: object) -> arb:
    """A ball holding the closed interval [lo, hi]."""
    return arb.union(point(lo), point(hi))


def _rational(x: arb) -> Q:
    mantissa, exponent = x.man_exp()
    return Q(int(mantissa)) * Q(2) ** int(exponent)


def lower(ball: arb) -> Q:
    """A rational at or below every point of ``ball`` (Arb rounds the end at the working precision)."""
    with precision():
        return _rational(ball.lower())


def upper(ball: arb) -> Q:
    """A rational at or above every point of ``ball``."""
    with precision():
        return _rational(ball.upper())


def sign(ball: arb) -> int:
    """+1 or −1 when every point of ``ball`` is beyond ±MARGIN, else 0 (undecided)."""
    return 1 if ball.lower() > MARGIN else -1 if ball.upper() < -MARGIN else 0


def _hull(balls: Sequence[arb]) -> arb:
    return reduce(arb.union, balls)


def _square(ball: arb) -> arb:
    """The exact range of x² over the ball (not the wider ball product)."""
    lo, hi = ball.lower(), ball.upper()
    if lo >= 0 or hi <= 0:
        return arb.union(lo * lo, hi * hi)
    return arb.union(arb(0), (lo * lo).max(hi * hi))


def _sigmoid(x: arb) -> arb:
    return 1 / (1 + (-x).exp())


class _PiecewiseLinear:
    """A piecewise-linear activation as knots, values and the slopes of its pieces."""

    def __init__(self, activation: Activation):
        xs, ys, left, right = activation.shape
        self.xs, self.ys = [point(x) for x in xs], [point(y) for y in ys]
        inner = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
        self.slopes = [point(s) for s in (left, *inner, right)]

    def at(self, z: arb) -> arb:
        """The value at an exact point z."""
        if not self.xs:
            return z * self.slopes[0]
        i = sum(1 for x in self.xs if z > x)  # the piece holding z: after i knots
        anchor = max(i - 1, 0)
        return self.ys[anchor] + self.slopes[i] * (z - self.xs[anchor])

    def value(self, z: arb) -> arb:
        lo, hi = z.lower(), z.upper()
        return _hull([self.at(lo), self.at(hi), *(y for x, y in zip(self.xs, self.ys) if lo < x < hi)])

    def derivative(self, z: arb) -> arb:
        """Clarke's derivative over the ball: the hull of the slopes of the pieces it touches."""
        lo, hi = z.lower(), z.upper()
        ends = [None, *self.xs, None]
        touched = [s for s, a, b in zip(self.slopes, ends, ends[1:]) if (a is None or hi >= a) and (b is None or lo <= b)]
        return _hull(touched)


class _Smooth:
    """tanh or sigmoid: increasing, so its range over a ball is the ball of its two end values."""

    def __init__(self, name: str):
        self.function = arb.tanh if name == "tanh" else _sigmoid
        self.is_tanh = name == "tanh"

    def value(self, z: arb) -> arb:
        return arb.union(self.function(z.lower()), self.function(z.upper()))

    def derivative_of(self, value: arb) -> arb:
        """σ′ over a ball z from the range of σ there."""
        return 1 - _square(value) if self.is_tanh else arb(1) / 4 - _square(value - arb(1) / 2)


class SmoothMap:
    """The enclosures of the module docstring for one network, weights converted once."""

    def __init__(self, network: Network):
        self.network = network
        self.layers = []
        with precision():
            for layer in network.layers:
                act = layer.activation
                kind = _PiecewiseLinear(act) if act.is_piecewise_linear else _Smooth(act.name)
                weight = [[point(w) for w in row] for row in layer.weight]
                self.layers.append((weight, [point(b) for b in layer.bias], kind))

    def value(self, x: arb) -> arb:
        """A ball holding f(X)."""
        values = [x]
        for weight, bias, kind in self.layers:
            values = [kind.value(sum((w * h for w, h in zip(row, values)), b)) for row, b in zip(weight, bias)]
        return values[0]

    def jet(self, x: arb) -> tuple[arb, arb]:
        """Balls holding f(X) and ∂f(X)."""
        values, slopes = [x], [arb(1)]
        for weight, bias, kind in self.layers:
            pre = [sum((w * h for w, h in zip(row, values)), b) for row, b in zip(weight, bias)]
            dpre = [sum(w * d for w, d in zip(row, slopes)) for row in weight]
            values = [kind.value(z) for z in pre]
            factors = (
                [kind.derivative(z) for z in pre]
                if isinstance(kind, _PiecewiseLinear)
                else [kind.derivative_of(v) for v in values]
            )
            slopes = [f * d for f, d in zip(factors, dpre)]
        return values[0], slopes[0]

    def cube(self, x: arb) -> tuple[arb, arb]:
        """Balls holding f³(X) and ∂(f³)(X)."""
        once, d1 = self.jet(x)
        twice, d2 = self.jet(once)
        thrice, d3 = self.jet(twice)
        return thrice, d1 * d2 * d3

    def iterate(self, x: arb, steps: int) -> list[arb]:
        """Balls holding X, f(X), ..., f^steps(X)."""
        orbit = [x]
        for _ in range(steps):
            orbit.append(self.value(orbit[-1]))
        return orbit

    def cube_minus_identity(self, lo: Q, hi: Q) -> tuple[arb, arb]:
        """Balls holding {f³(x) − x : x ∈ [lo, hi]} and ∂(f³)([lo, hi]) − 1."""
        piece, middle = interval(lo, hi), point((lo + hi) / 2)
        thrice, derivative = self.cube(piece)
        slope = derivative - 1
        naive = thrice - piece
        mean_value = self.iterate(middle, 3)[3] - middle + slope * (piece - middle)
        low = naive.lower().max(mean_value.lower())
        high = naive.upper().min(mean_value.upper())
        return arb.union(low, high), slope
