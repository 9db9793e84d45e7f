"""The f³ cover: "no period 3" proved in floats for nets whose slopes alone cannot settle it.

The slope tests of :mod:`verichaos.experiments.scalar_filter` fail on about a
fifth of He-initialized nets: on the cycle hull H their slopes are steeper than
φ with both signs. Most of them still have no 3-cycle, and the exact path would
compose f³ to show it. This module shows it instead with a finite cover of H by
closed blocks B, each of which is proved, in outward-rounded float intervals,
to hold no point of period 3.

**The blocks.** f, f² and f³ are composed approximately in floats (each
composition adds the points where the inner map meets a breakpoint of f), and
every approximate breakpoint t of f³ on H gets a gap [t − ε, t + ε]; the blocks
are the consecutive pairs of the sorted gap ends, so they cover [min H − ε,
max H + ε] whatever the floats got wrong. Between two gaps f³ is affine if the
approximate breakpoints are within ε of the true ones; if they are not, a test
below fails and the net goes to the exact path. The floats choose the blocks;
they decide nothing.

**The tests**, on a block B = [u, v] with enclosures of f(u), f²(u), f³(u)
(and the same at v), and enclosures S₀, S₁, S₂ of the slopes of f on B, on
R₁ ⊇ f(B) and on R₂ ⊇ f²(B). R₁ is the hull of the enclosures of f(u) and
f(v) when only one piece of f may meet B (f is affine there), else the
enclosure of f(u) widened by max|S₀|·(v − u) (a Lipschitz bound); R₂ likewise.
Every slope of f³ on B then lies in D = S₀·S₁·S₂ (chain rule, almost
everywhere; f³ is piecewise linear and continuous), and |slope| ≤ Λ = max|D|.

* **disjoint**: f³(B) ⊆ f³(u) ± Λ·(v − u) misses B, so f³ has no fixed point in B;
* **monotone**: 1 ∉ D, so f³ − id is strictly monotone on B and has at most one
  zero there. None when f³(u) − u and f³(v) − v have one strict sign; and when
  f(u) − u and f(v) − v have strict opposite signs, f has a fixed point in B,
  which is then the only fixed point of f³ in B.

Either way B holds no point of minimal period 3 (such a point is a fixed point
of f³ that f does not fix). Since H holds every orbit of period ≥ 2, a cover
whose blocks all pass proves that f has no point of period 3. A block fails
near a 3-cycle (as it must), where a fixed point of f³ comes within about ε of
a breakpoint of f³, or where f³ has slope 1; the net then goes to the exact
path, so the cover never decides what it cannot prove.

**The enclosures** are those of the one-net filter's map (its breakpoints,
slopes and breakpoint values, as intervals), read here in numpy over all block
ends at once: g over [p, q] on the line of the one piece that may meet it,
through a breakpoint; where more than one may, the hull of g at p and q (on
both lines of a breakpoint whose enclosure holds the point) and of the values
at the breakpoints between (a sparse table gives the minimum and maximum of a
run in two lookups).

**Rounding.** Every operation is rounded outward with
:mod:`~verichaos.experiments.rounding` (by arithmetic: a twentieth of the cost
of ``numpy.nextafter``). A result that is not finite proves nothing (no
comparison with a NaN is true).

>>> import numpy as np
>>> from verichaos.experiments.sampling import FloatNetwork
>>> from verichaos.experiments.scalar_filter import proves_no_period3
>>> two_cycle = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[3.0, -2.0]])), (np.array([-1.0, 0.0]), np.array([1.0])))
>>> proves_no_period3(two_cycle)  # 1 left of 0, then 1 − 2x, then x − 2: the 2-cycle {−1, 1}, a slope −2; no 3-cycle
True
"""

from __future__ import annotations

from functools import cached_property
from typing import Protocol

import numpy as np

from verichaos.experiments.rounding import above, below

__all__ = ["EnclosedMap", "covers_without_period3", "GAP_SCALE", "MAX_BREAKPOINTS_PER_KNOT"]

GAP_SCALE = 2.0**-30
"""ε, the half-width of each gap, relative to the larger of H's width and its ends' magnitudes: far above the
float errors of the approximate breakpoints (about 2⁻⁵⁰ of that scale), far below the distance at which fixed points
of f³ usually sit from them."""

MAX_BREAKPOINTS_PER_KNOT = 64
"""The cover gives up (the exact path decides) when f³ has more than this many breakpoints on H per knot of f:
its cost stays in proportion to the exact composition it replaces."""

SHORT_RUN = 3
"""Runs of pieces up to this long are scanned directly rather than through a sparse table."""

Interval = tuple[np.ndarray, np.ndarray]


class EnclosedMap(Protocol):
    """What the cover reads of :class:`~verichaos.experiments.scalar_filter._Map`: sorted, disjoint breakpoint
    enclosures ``lo[j] ≤ tⱼ ≤ hi[j]``, slope enclosures ``S[j]`` of piece j (between t_{j−1} and tⱼ; piece 0 is
    the left tail) and value enclosures ``G[j]`` of g(tⱼ)."""

    lo: list[float]
    hi: list[float]
    S: list[tuple[float, float]]
    G: list[tuple[float, float]]


def _product(a: Interval, b: Interval) -> Interval:
    products = np.stack((a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]))
    return below(products.min(axis=0)), above(products.max(axis=0))


class _RunExtremes:
    """Minimum (or maximum) of values[a:b] for arrays of a < b in two lookups: a sparse table, built on the
    first lookup (the runs the cover reads are mostly empty or a few breakpoints long, and need none)."""

    def __init__(self, values: np.ndarray, reduce: np.ufunc, empty: float):
        self.values, self.reduce, self.empty, self.size = values, reduce, empty, len(values)

    @cached_property
    def table(self) -> np.ndarray:
        """Row l, entry i: over values[i : i + 2^l], rows one after another (only full windows are read)."""
        rows = [self.values]
        width = 1
        while 2 * width <= self.size:
            previous = rows[-1]
            rows.append(np.concatenate((self.reduce(previous[:-width], previous[width:]), np.full(width, self.empty))))
            width *= 2
        return np.concatenate(rows)

    @cached_property
    def level(self) -> np.ndarray:
        """⌊log₂ length⌋ for every length up to the size."""
        level = np.zeros(self.size + 1, dtype=np.intp)
        level[2:] = np.frexp(np.arange(2, self.size + 1))[1] - 1
        return level

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        length = np.maximum(b - a, 0)
        level = self.level[length]
        row = level * self.size
        found = self.reduce(self.table[row + np.minimum(a, self.size - 1)], self.table[row + np.maximum(b - (1 << level), 0)])
        return np.where(length > 0, found, self.empty)


class _Arrays:
    """The enclosed map as numpy arrays, with vectorized enclosures of g at points and over intervals."""

    def __init__(self, g: EnclosedMap):
        self.lo, self.hi = np.array(g.lo), np.array(g.hi)
        self.s_lo, self.s_hi = (np.array(column) for column in zip(*g.S))
        self.g_lo, self.g_hi = (np.array(column) for column in zip(*g.G))
        self._lowest_value = _RunExtremes(self.g_lo, np.minimum, np.inf)
        self._highest_value = _RunExtremes(self.g_hi, np.maximum, -np.inf)
        self._least_slope = _RunExtremes(self.s_lo, np.minimum, np.inf)
        self._greatest_slope = _RunExtremes(self.s_hi, np.maximum, -np.inf)
        # Plain floats through the middles of the enclosures, only to place the blocks (every block is then
        # proved in intervals):
        self.knots = (self.lo + self.hi) / 2  # float ok: places blocks only
        self._values = (self.g_lo + self.g_hi) / 2  # float ok: places blocks only
        self._tail_slopes = (self.s_lo[0] + self.s_hi[0]) / 2, (self.s_lo[-1] + self.s_hi[-1]) / 2  # float ok: places blocks only

    def _line(self, low: np.ndarray, high: np.ndarray, knot: np.ndarray, piece: np.ndarray) -> Interval:
        """g over [low, high] on the line of piece ``piece`` through breakpoint ``knot``."""
        offset = below(low - self.hi[knot]), above(high - self.lo[knot])
        rise_low, rise_high = _product((self.s_lo[piece], self.s_hi[piece]), offset)
        return below(self.g_lo[knot] + rise_low), above(self.g_hi[knot] + rise_high)

    def _at(self, p: np.ndarray) -> Interval:
        """Enclosures of g(p): on the line of p's piece, through its left breakpoint (breakpoint 0 for the left
        tail); on both lines through breakpoint j when its enclosure holds p."""
        last = len(self.lo) - 1
        j = np.searchsorted(self.hi, p, "left")  # breakpoints certainly left of p
        either_side = (j <= last) & (self.lo[np.minimum(j, last)] <= p)
        knot = np.where(either_side | (j == 0), np.minimum(j, last), j - 1)
        first = self._line(p, p, knot, j)
        second = self._line(p, p, knot, np.where(either_side, j + 1, j))
        return np.minimum(first[0], second[0]), np.maximum(first[1], second[1])

    def runs(self, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each [low, high]: the first breakpoint that may lie in it and one past the last; the pieces that
        may meet it are those numbered from the first to the second, inclusive."""
        return np.searchsorted(self.hi, low, "left"), np.searchsorted(self.lo, high, "right")

    def image(self, low: np.ndarray, high: np.ndarray) -> Interval:
        """Enclosures of g([low, high]) for finite ends (points when low = high). Where only one piece may meet
        every interval (the usual case: the intervals here are blocks between breakpoints and enclosures a few
        ulps wide), g is affine on each and one line gives its image; otherwise the hull of g at the ends and
        at the breakpoints between."""
        first, past = self.runs(low, high)
        if np.array_equal(first, past):
            return self._line(low, high, np.maximum(first - 1, 0), first)
        ends = self._at(np.concatenate((low, high)))
        n = len(low)
        return (
            np.minimum(np.minimum(ends[0][:n], ends[0][n:]), self._lowest_value(first, past)),
            np.maximum(np.maximum(ends[1][:n], ends[1][n:]), self._highest_value(first, past)),
        )

    def slopes(self, low: np.ndarray, high: np.ndarray) -> tuple[Interval, np.ndarray]:
        """Enclosures of every slope of g on [low, high], and whether only one piece may meet it."""
        first, last = self.runs(low, high)  # pieces first ... last
        longest = int((last - first).max(initial=0))
        if longest > SHORT_RUN:
            return (self._least_slope(first, last + 1), self._greatest_slope(first, last + 1)), first == last
        least, greatest = self.s_lo[first], self.s_hi[first]
        for step in range(1, longest + 1):
            piece = np.minimum(first + step, last)
            least, greatest = np.minimum(least, self.s_lo[piece]), np.maximum(greatest, self.s_hi[piece])
        return (least, greatest), first == last

    def approximate(self, x: np.ndarray) -> np.ndarray:
        """g(x) in plain floats, through the middles of the enclosures: only to place the blocks."""
        knots, values = self.knots, self._values
        y = np.interp(x, knots, values)
        left, right = x < knots[0], x > knots[-1]
        y[left] = values[0] + self._tail_slopes[0] * (x[left] - knots[0])  # float ok: places blocks only
        y[right] = values[-1] + self._tail_slopes[1] * (x[right] - knots[-1])  # float ok: places blocks only
        return y


def _with_preimages(points: np.ndarray, values: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """The breakpoints of g∘h on [points[0], points[-1]] for h piecewise linear through (points, values) and g
    breaking at ``knots``: the points, and where h meets a knot inside a segment. Approximate."""
    low, high = np.minimum(values[:-1], values[1:]), np.maximum(values[:-1], values[1:])
    begin, end = np.searchsorted(knots, low, "right"), np.searchsorted(knots, high, "left")
    counts = np.maximum(end - begin, 0)
    segment = np.repeat(np.arange(len(counts)), counts)
    hit = knots[begin[segment] + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)]
    rise = values[segment + 1] - values[segment]
    crossing = points[segment] + (hit - values[segment]) / rise * (points[segment + 1] - points[segment])  # float ok: places blocks only
    return np.unique(np.concatenate((points, crossing)))


def covers_without_period3(g: EnclosedMap, hull: tuple[float, float]) -> bool:
    """True when the blocks over ``hull`` (finite, and holding every orbit of f of period ≥ 2) all pass; False
    when one fails or the cover would be too large (module docstring)."""
    with np.errstate(all="ignore"):  # an overflow or a NaN only fails a test: no comparison with NaN is true
        return _covered(g, hull)


def _covered(g: EnclosedMap, hull: tuple[float, float]) -> bool:
    lo, hi = hull
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi and g.lo):
        return False
    f = _Arrays(g)
    knots = f.knots
    points = np.concatenate(([lo], knots[(knots > lo) & (knots < hi)], [hi]))  # f's breakpoints on H
    limit = MAX_BREAKPOINTS_PER_KNOT * (len(knots) + 1)
    points = _with_preimages(points, f.approximate(points), knots)  # f²'s
    if len(points) > limit:
        return False
    points = _with_preimages(points, f.approximate(f.approximate(points)), knots)  # f³'s
    if len(points) > limit or not np.isfinite(points).all():
        return False
    eps = GAP_SCALE * max(hi - lo, abs(lo), abs(hi))
    ends = np.unique(np.concatenate((points - eps, points + eps)))
    f1 = f.image(ends, ends)
    f2 = f.image(*f1)
    f3 = f.image(*f2)
    if not all(np.isfinite(bound).all() for bound in (*f1, *f2, *f3)):
        return False
    u, v = ends[:-1], ends[1:]
    width = above(v - u)

    def reach(enclosure: Interval, lipschitz: np.ndarray, affine: np.ndarray) -> Interval:
        """g^n(B) from enclosures of g^n(u), g^n(v): their hull where g^n is affine on B, else a Lipschitz ball."""
        (low_u, high_u), (low_v, high_v) = (bound[:-1] for bound in enclosure), (bound[1:] for bound in enclosure)
        spread = above(lipschitz * width)
        return (
            np.where(affine, np.minimum(low_u, low_v), below(low_u - spread)),
            np.where(affine, np.maximum(high_u, high_v), above(high_u + spread)),
        )

    def steepest(slopes: Interval) -> np.ndarray:
        return np.maximum(-slopes[0], slopes[1])

    s0, affine1 = f.slopes(u, v)
    lipschitz1 = steepest(s0)
    s1, one_piece = f.slopes(*reach(f1, lipschitz1, affine1))
    affine2 = affine1 & one_piece
    lipschitz2 = above(lipschitz1 * steepest(s1))
    s2, _ = f.slopes(*reach(f2, lipschitz2, affine2))
    d = _product(_product(s0, s1), s2)
    if not all(np.isfinite(bound).all() for bound in (*s0, *s1, *s2, *d)):
        return False
    spread = above(steepest(d) * width)
    low_u, high_u = f3[0][:-1], f3[1][:-1]
    disjoint = (below(low_u - spread) > v) | (above(high_u + spread) < u)
    monotone = (d[0] > 1) | (d[1] < 1)
    above_u, below_u = below(low_u - u) > 0, above(high_u - u) < 0
    above_v, below_v = below(f3[0][1:] - v) > 0, above(f3[1][1:] - v) < 0
    no_zero = (above_u & above_v) | (below_u & below_v)
    fixed_u_up, fixed_u_down = below(f1[0][:-1] - u) > 0, above(f1[1][:-1] - u) < 0
    fixed_v_up, fixed_v_down = below(f1[0][1:] - v) > 0, above(f1[1][1:] - v) < 0
    fixed_point_inside = (fixed_u_up & fixed_v_down) | (fixed_u_down & fixed_v_up)
    return bool(np.all(disjoint | (monotone & (no_zero | fixed_point_inside))))
