"""The interval filter for one net at a time: "no period 3", proved in Python floats.

:mod:`verichaos.experiments.filter` proves facts about a whole batch in
numpy; its fixed cost (thousands of numpy calls) is more than the exact
decision of one small net. This module proves the same "no period 3" for a
single depth-2 net f(x) = g(x) = Σᵢ aᵢ·relu(wᵢx + bᵢ) + c (ReLU, then the
identity), with a few Python float operations per neuron, so that the per-net
decision costs about a float grid's time. Every other net, and every net it
cannot prove, gets ``False`` ("not proved"): the caller runs the exact path.

**Rounding.** Each interval end is rounded outward after every operation with
``math.nextafter``: a sum, product or quotient of floats is correctly rounded
to nearest, so the exact value lies within half an ulp of the float, hence
between its two neighbours (also on overflow: ``nextafter(inf, -inf)`` is the
largest float, below an exact value that rounded to +∞). A result that is not
finite where a proof needs a number (a NaN, or an overflow) proves nothing.

**The map.** Neuron i with wᵢ ≠ 0 has one breakpoint tᵢ = −bᵢ/wᵢ, and g's
slope jumps there by aᵢ·|wᵢ| (it switches on, going right, when wᵢ > 0, off
when wᵢ < 0); neurons with wᵢ = 0 add the constant aᵢ·relu(bᵢ). The
enclosures of the breakpoints must be disjoint once sorted (else: not proved).
Then the slope Sⱼ of piece j (piece 0 is the left tail, on which exactly the
neurons with wᵢ < 0 are on) and g at breakpoint j, Gⱼ = G_{j−1} + Sⱼ·(tⱼ − t_{j−1}),
are partial sums of enclosures, except that a piece on which no neuron is on
(counted in integers) has slope exactly 0, which sums would only enclose; and g at another point p is read off the line
of its piece (both lines of a breakpoint whose enclosure holds p).

**The proof** is that of the batch filter (its module docstring has the
arguments): E = f(ℝ) holds every periodic point, and so does E ∩ f(E); unbounded
ends of E are bounded by the tails as in
:func:`verichaos.dynamics.trapping.cycle_hull` (and, where both tails fall so
that neither envelope is finite, by :meth:`_Map.radius`); on the resulting H,
which holds every orbit of period ≥ 2, f has no 3-cycle when H has at most one
point, when every slope of a piece meeting H is below φ in absolute value, or
when all those slopes have one sign; nor when they are all above −1, which
leaves no 2-cycle, and period 3 would force period 2 (Sharkovsky). When none
of these holds, the f³ cover of H (:mod:`~verichaos.experiments.cover_filter`)
may still prove that no point of H has period 3.

>>> import numpy as np
>>> from verichaos.experiments.sampling import FloatNetwork
>>> tent = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])), (np.array([0.0, -0.5]), np.array([0.0])))
>>> gentle = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[1.5, -3.0]])), (np.array([0.0, -0.5]), np.array([0.0])))
>>> proves_no_period3(tent), proves_no_period3(gentle)   # slopes 2 and -2; 3/2 and -3/2 < φ
(False, True)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from fractions import Fraction
from math import inf, isfinite, nextafter

from verichaos.experiments.cover_filter import covers_without_period3
from verichaos.experiments.sampling import FloatNetwork
from verichaos.network import parse_activation

__all__ = ["PHI_BELOW", "one_hidden_layer", "proves_no_period3", "SHRINK_STEPS"]

SHRINK_STEPS = 1
"""Steps of E ∩ f(E) before and after the tail bounds (any number is sound; more only tightens H)."""


def _phi_below() -> float:
    """A float strictly below φ, checked with integers: x < φ ⇔ x < 1/2 or (2x − 1)² < 5."""
    candidate = nextafter((1 + 5**0.5) / 2, 0.0)  # float ok: checked exactly on the next line
    two_x_minus_1 = 2 * Fraction(candidate) - 1
    if not (two_x_minus_1 < 0 or two_x_minus_1**2 < 5):
        raise AssertionError("the float bound of the golden ratio is not below it")
    return candidate


PHI_BELOW = _phi_below()
"""The bound the slope test compares with, in this filter and the batch one."""


def _add(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return nextafter(a[0] + b[0], -inf), nextafter(a[1] + b[1], inf)


def _mul(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    products = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
    return nextafter(min(products), -inf), nextafter(max(products), inf)


def _magnitude(a: tuple[float, float]) -> float:
    return max(-a[0], a[1])


def _radius(tails, reach: float, image_of_reach) -> float:
    """:func:`~verichaos.dynamics.trapping._radius` for a map that is aₛ + sₛ·x (enclosures) beyond ±reach:
    both |s| > 1 or both < 1 give a bound (the second needs the map's image of [−reach, reach]); else +∞."""
    least = [0.0 if s[0] <= 0 <= s[1] else min(abs(s[0]), abs(s[1])) for s, _ in tails]
    most = [max(abs(s[0]), abs(s[1])) for s, _ in tails]
    offsets = [_magnitude(a) for _, a in tails]
    if all(x > 1 for x in least):
        return max(reach, *(nextafter(a / nextafter(x - 1, -inf), inf) for x, a in zip(least, offsets)))
    if all(x < 1 for x in most):
        low, high = image_of_reach()
        return max(-low, high, *(nextafter(a / nextafter(1 - x, -inf), inf) for x, a in zip(most, offsets)))
    return inf


class _Map:
    """g of one net as enclosures: sorted breakpoints t (lo, hi), slopes S[0..k], values G[0..k-1]."""

    def __init__(self, w: list[float], b: list[float], a: list[float], c: float):
        # Written out rather than through _add and _mul: this loop is most of the filter's time, and
        # products of two floats need two roundings, not four products.
        slope_lo = slope_hi = 0.0
        intercept_lo = intercept_hi = c
        events, on = [], 0  # on: neurons with a ≠ 0 on over the left tail; a piece with none has slope exactly 0
        for wi, bi, ai in zip(w, b, a):
            if wi < 0 or (wi == 0 and bi > 0):  # on over the left tail (or always): a·(w·x + b) there
                p = ai * bi
                intercept_lo = nextafter(intercept_lo + nextafter(p, -inf), -inf)
                intercept_hi = nextafter(intercept_hi + nextafter(p, inf), inf)
            if wi == 0:
                continue
            if wi < 0:
                on += ai != 0  # a neuron with a = 0 gives no slope, on or off
                p = ai * wi
                slope_lo = nextafter(slope_lo + nextafter(p, -inf), -inf)
                slope_hi = nextafter(slope_hi + nextafter(p, inf), inf)
            events.append((-bi / wi, ai * abs(wi), 0 if ai == 0 else 1 if wi > 0 else -1))
        events.sort()
        self.lo, self.hi, self.S, self.G = [], [], [(slope_lo, slope_hi) if on else (0.0, 0.0)], []
        self.ordered = True
        s_lo, s_hi = self.S[0]
        for t, jump, switch in events:
            tl, th = nextafter(t, -inf), nextafter(t, inf)
            if not self.G:
                g = _add(_mul((s_lo, s_hi), (tl, th)), (intercept_lo, intercept_hi))
            else:
                if not self.hi[-1] < tl:  # enclosures that overlap: an order the floats cannot prove
                    self.ordered = False
                    break
                step_lo, step_hi = nextafter(tl - self.hi[-1], -inf), nextafter(th - self.lo[-1], inf)  # >= 0
                low = s_lo * (step_lo if s_lo >= 0 else step_hi)
                high = s_hi * (step_hi if s_hi >= 0 else step_lo)
                g = (nextafter(g[0] + nextafter(low, -inf), -inf), nextafter(g[1] + nextafter(high, inf), inf))
            self.lo.append(tl)
            self.hi.append(th)
            self.G.append(g)
            on += switch
            if on:
                s_lo, s_hi = nextafter(s_lo + nextafter(jump, -inf), -inf), nextafter(s_hi + nextafter(jump, inf), inf)
            else:
                s_lo = s_hi = 0.0
            self.S.append((s_lo, s_hi))
        self.G_lo, self.G_hi = (list(column) for column in zip(*self.G)) if self.G else ([], [])
        self.finite = isfinite(sum(self.G_lo) + sum(self.G_hi) + sum(map(sum, self.S)))  # a sum is finite only if every term is

    def at(self, p: float) -> tuple[float, float]:
        """An enclosure of g(p), p finite."""
        j = bisect_left(self.hi, p)  # breakpoints certainly left of p: hi < p
        if j < len(self.lo) and self.lo[j] <= p:  # p may be either side of breakpoint j: both lines through it
            lines = [(j, j), (j, j + 1)]
        elif j == 0:
            lines = [(0, 0)]  # the left tail, through breakpoint 0
        else:
            lines = [(j - 1, j)]  # piece j, through breakpoint j - 1
        values = []
        for knot, piece in lines:
            offset = (nextafter(p - self.hi[knot], -inf), nextafter(p - self.lo[knot], inf))
            value = _add(self.G[knot], _mul(self.S[piece], offset))
            if value[0] != value[0] or value[1] != value[1]:  # NaN: a slope end 0 times an offset that overflowed (0·∞) proves nothing
                return -inf, inf
            values.append(value)
        return min(v[0] for v in values), max(v[1] for v in values)

    def image(self, lo: float, hi: float) -> tuple[float, float]:
        """An enclosure of g([lo, hi]), lo may be −∞ and hi +∞: its extremes are at breakpoints that may lie
        in [lo, hi], at finite ends, or out along a tail whose slope may be nonzero."""
        inside = range(bisect_left(self.hi, lo), bisect_right(self.lo, hi))
        low = min(self.G_lo[inside.start : inside.stop], default=inf)
        high = max(self.G_hi[inside.start : inside.stop], default=-inf)
        for end in (lo, hi):
            if isfinite(end):
                value = self.at(end)
                low, high = min(low, value[0]), max(high, value[1])
        left, right = self.S[0], self.S[-1]
        if lo == -inf and left != (0.0, 0.0):  # going left, g falls where the slope may be > 0, rises where < 0
            low, high = (-inf if left[1] > 0 else low), (inf if left[0] < 0 else high)
        if hi == inf and right != (0.0, 0.0):
            low, high = (-inf if right[0] < 0 else low), (inf if right[1] > 0 else high)
        return low, high

    def shrink(self, lo: float, hi: float) -> tuple[float, float]:
        for _ in range(SHRINK_STEPS):
            low, high = self.image(lo, hi)
            lo, hi = max(lo, low), min(hi, high)
            if lo >= hi:
                break
        return lo, hi

    def tail_bounds(self, lo: float, hi: float) -> tuple[float, float]:
        """:func:`~verichaos.dynamics.trapping.cycle_hull`'s bounds of an unbounded end: the envelope K
        of f on the core before the last breakpoint (after the first, for the lower end), whatever the
        tail's slope. The lower end's envelope may stop at the upper bound just found (the point that
        maps to an orbit's lowest point is itself on the orbit), and then the upper end's at the lower
        bound. When neither envelope is finite, :meth:`radius` bounds both."""
        if hi == inf:
            hi = self.image(min(lo, self.lo[-1]), self.hi[-1])[1]
        if lo == -inf:
            lo = self.image(self.lo[0], max(hi, self.hi[0]))[0]
            if hi == inf and lo != -inf:
                hi = self.image(min(lo, self.lo[-1]), self.hi[-1])[1]
        if lo == -inf or hi == inf:
            radius = self.radius()
            lo, hi = max(lo, -radius), min(hi, radius)
        return lo, hi

    def radius(self) -> float:
        """R with every periodic orbit in [−R, R], or +∞: :func:`~verichaos.dynamics.trapping._radius` in
        floats, for f, or, when both tails fall (slopes < 0, so f swaps the far left and the far right), for
        f², whose tails then have the one slope σ = s_left·s_right > 0 (every periodic point of f is one of f²).
        f² is a + σ·x beyond X₂, where x is past f's last breakpoint and f(x) before its first (and the mirror
        image): X₂ = max(X, |a_right − t_first| / |s_right|, |t_last − a_left| / |s_left|)."""
        reach = max(-self.lo[0], self.hi[0], -self.lo[-1], self.hi[-1], 0.0)
        left, right = self.S[0], self.S[-1]
        a_left = _add(self.G[0], _mul((-left[1], -left[0]), (self.lo[0], self.hi[0])))  # f(x) = a + s·x on a tail
        a_right = _add(self.G[-1], _mul((-right[1], -right[0]), (self.lo[-1], self.hi[-1])))
        radius = _radius(((left, a_left), (right, a_right)), reach, lambda: self.image(-reach, reach))
        if radius < inf or not (left[1] < 0 and right[1] < 0):
            return radius
        sigma = _mul(left, right)
        reach2 = max(
            reach,
            _magnitude(_add(a_right, (-self.hi[0], -self.lo[0]))) / -right[1],
            _magnitude(_add(a_left, (-self.hi[-1], -self.lo[-1]))) / -left[1],
        )
        reach2 = nextafter(reach2, inf)
        tails = ((sigma, _add(a_left, _mul(left, a_right))), (sigma, _add(a_right, _mul(right, a_left))))
        return _radius(tails, reach2, lambda: self.image(*self.image(-reach2, reach2)))

    def slopes_meeting(self, lo: float, hi: float) -> list[tuple[float, float]]:
        """The slopes of the pieces that may meet [lo, hi]: piece j spans [t_{j−1}, t_j]."""
        return self.S[bisect_left(self.hi, lo) : bisect_right(self.lo, hi) + 1]


def one_hidden_layer(net: FloatNetwork) -> bool:
    """The arrays are those of a depth-2 net with one input, k hidden units and one output (what both
    filters read; anything else they leave to the exact path, which names the problem)."""
    if len(net.weights) != 2 or len(net.biases) != 2:
        return False
    k = net.weights[0].shape[0] if net.weights[0].ndim else -1
    return net.weights[0].shape == (k, 1) and net.weights[1].shape == (1, k) and net.biases[0].shape == (k,) and net.biases[1].shape == (1,)


def proves_no_period3(net: FloatNetwork, activations: Sequence[object] = ("relu", "identity"), *, cover: bool = True) -> bool:
    """True when the enclosures prove that the depth-2 net, ReLU then the identity, has no point of
    period 3 (module docstring); False when they do not, and for every other kind of net. Where the
    slope tests do not settle it, the f³ cover (:mod:`~verichaos.experiments.cover_filter`) is tried
    unless ``cover`` is false (it pays only from about 16 neurons: :data:`~verichaos.experiments.filter.COVER_MIN_WIDTH`)."""
    if [parse_activation(a).name for a in activations] != ["relu", "identity"] or not one_hidden_layer(net):
        return False
    w, b = net.weights[0][:, 0].tolist(), net.biases[0].tolist()
    a, (c,) = net.weights[1][0].tolist(), net.biases[1].tolist()
    if not isfinite(sum(w) + sum(b) + sum(a) + c):  # a NaN or an infinity anywhere (an overflow only costs the proof)
        return False
    g = _Map(w, b, a, c)
    if not g.lo:
        return True  # f is constant: its one periodic point is a fixed point
    if not (g.ordered and g.finite):
        return False
    lo, hi = g.shrink(*g.image(-inf, inf))  # holds the periodic points
    if lo >= hi:
        return True  # at most one point: no orbit of period >= 2
    lo, hi = g.shrink(*g.tail_bounds(lo, hi))
    if lo >= hi:
        return True
    slopes = g.slopes_meeting(lo, hi)
    least, largest = min(s[0] for s in slopes), max(s[1] for s in slopes)
    steepest = max(max(-s[0], s[1]) for s in slopes)
    if least > -1 or steepest < PHI_BELOW or least >= 0 or largest <= 0:  # no period 2 forces none of 3
        return True
    return cover and covers_without_period3(g, (lo, hi))
