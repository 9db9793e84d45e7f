"""A filtered exact kernel: rigorous float64 interval bounds for many nets at once, exact rationals for the rest.

In the style of CGAL's filtered predicates: a cheap computation that is
*proved* to enclose the exact answer decides every net it can, and the exact
path (:mod:`verichaos.pwl`, :mod:`verichaos.dynamics`) decides the others.
Nothing here is a tolerance: every float is the end of an interval that holds
the exact rational, and an answer is given only when the enclosures prove it.

**Rounding.** Every interval operation rounds its ends outward: a sum is
computed with Knuth's TwoSum, whose error term says on which side of the
exact sum the rounded one lies (exact sums, such as x + 0, stay exact); a
product or quotient, correctly rounded to nearest, is within half an ulp of
the exact value, so the neighbouring float on the outer side bounds it
(:func:`~verichaos.experiments.rounding.below` computes a float at or beyond it more cheaply than
``np.nextafter``), except that a product with an exact zero is exactly zero,
and an overflow to ±∞ keeps the largest float as its inner bound.
Activations that are x ↦ min(max(x, lo), hi) with float lo, hi (ReLU,
identity, hardtanh(0, 1)) are evaluated exactly on floats.
Sums of many terms use the recursive-summation bound
|fl(Σxᵢ) − Σxᵢ| ≤ γ_{n−1}·Σ|xᵢ| with γ_n = n·u/(1 − n·u), u = 2⁻⁵³
(Higham, *Accuracy and Stability of Numerical Algorithms*, §4.2), inflated
to 3·n·u·fl(Σ|xᵢ|) and rounded outward. The weights and biases of a sampled
net *are* the rationals of its exact network (:mod:`verichaos.experiments.sampling`),
so every computation starts from exact data. A NaN anywhere a proof needs a
number makes every test below false (an interval end that comes out NaN is
taken as unbounded), so such a net goes to the exact path.

**Scope.** Depth-2 nets f(x) = σ_out(g(x)), g(x) = Σᵢ aᵢ·σ(wᵢx + bᵢ) + c, with
any piecewise-linear activations σ (with at least one threshold) and σ_out;
nets of depth 3 or more, with a zero first-layer weight or with a smooth
activation (tanh, sigmoid) go to the exact path. The breakpoints of g are
tᵢⱼ = (τⱼ − bᵢ)/wᵢ for the thresholds τⱼ of σ, and its slope jumps by
aᵢ·|wᵢ|·(sⱼ₊₁ − sⱼ) at tᵢⱼ. The enclosures of the breakpoints are
sorted; a net whose neighbouring enclosures overlap (an
order the floats cannot prove, e.g. two equal breakpoints) goes to the exact
path. Then every piece of g has an enclosure Sⱼ of its slope (partial sums of
the jumps from the left tail's slope) and every breakpoint an enclosure Gⱼ
of g there (partial sums of slope times length); g at any other point is
read off the line of its piece through a neighbouring breakpoint (both
lines through a breakpoint whose enclosure holds the point). A piece on
which every neuron sits on a flat piece of σ has slope exactly 0, found by
counting neurons with integers. On a piece of g, f has slopes
σ_out'(·)·Sⱼ ⊆ [min σ_out', max σ_out']·Sⱼ.

**Where the periodic points are.** f(ℝ) holds every periodic point, and so
does f(E) ∩ E for any E that holds them: each periodic point is the image of
one. The filter starts from E = (an enclosure of) f(ℝ) and intersects it with
(an enclosure of) its image a few times; this E holds the core interval of
:func:`verichaos.dynamics.core_interval` (which is f⁸(ℝ)). Then, for orbits of
period ≥ 2 only, ends still unbounded are bounded by the tails exactly as in
:func:`verichaos.dynamics.trapping.cycle_hull` (identity output only), and E
shrinks again to E ∩ f(E): the result H holds every orbit of period ≥ 2.

**The tests** (L = the largest |slope| of f among the pieces meeting H, m and
M the least and largest slope there):

1. *No 3-cycle when L < φ = (1+√5)/2.* Let x < y < z be a 3-cycle and
   a = y − x, b = z − y; f is L-Lipschitz on [x, z] ⊆ H. If f(x) = y, f(y) = z,
   f(z) = x then b = |f(y) − f(x)| ≤ L·a and a + b = |f(z) − f(y)| ≤ L·b, so
   a ≤ (L − 1)·b ≤ (L − 1)·L·a and L² − L − 1 ≥ 0, i.e. L ≥ φ. The other
   orientation (f(x) = z, f(z) = y, f(y) = x) gives a + b ≤ L·a and a ≤ L·b,
   so b ≤ (L − 1)·a and again L ≥ φ. The float φ⁻ used is checked below φ
   exactly, with integers, when this module is imported.
2. *No 3-cycle when f is monotone on H* (m ≥ 0 or M ≤ 0). If f is
   nondecreasing on the orbit's hull and x is the least point of a cycle of
   period ≥ 2, then x < f(x) ≤ f²(x) ≤ … so fⁿ(x) ≠ x: no cycle of period ≥ 2.
   If f is nonincreasing there, f² is nondecreasing on the orbit, and a 3-cycle
   of f is a 3-cycle of f².
3. *No 2-cycle when m > −1.* On a 2-cycle x < y the chord of f from x to y has
   slope (x − y)/(y − x) = −1, so some piece meeting [x, y] has slope ≤ −1.
   An H with at most one point (lower end ≥ upper end) holds no orbit of
   period ≥ 2 at all: such an orbit has two distinct points.

No period 2 means no period other than 1 (Sharkovsky: every period n > 1
forces period 2), hence zero topological entropy (Misiurewicz: positive
entropy exactly when some period is not a power of 2) and no period 3; the
periods are {1} when a fixed point exists (the count below is proved
positive) and none otherwise.

**Other columns**, for nets proved to have no period 2 (the experiments'
record, :mod:`verichaos.experiments.measure`):

* *chaos*: ``"zero"``, largest period 1 or 0 (see :func:`proved_columns`
  for why this is also the verdict of the exact path).
* *fixed points*: the breakpoints of f are those of g and the points where
  g crosses a threshold of σ_out; the latter are located piece by piece
  from the signs of Gⱼ − τ (both signs proved, else exact path). If f(p) − p
  has a proved nonzero sign at every breakpoint p, and the slopes of the two
  tails are proved ≠ 1, then {f = x} has no interval, one point between two
  breakpoints where the sign flips, and one on a tail where the sign at the
  end knot differs from the sign at infinity.
* *lap number of f³ on the core*: 1 when f is monotone on E (E holds the
  core, f maps the core into itself, so f³ is monotone there) or when E is a
  single point (so is the core, and f³ has one lap there); otherwise it
  is computed exactly (:func:`lap_f3_of`), which costs a few compositions,
  not the period searches.

>>> import numpy as np
>>> from verichaos.experiments.sampling import FloatNetwork
>>> tent = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])), (np.array([0.0, -0.5]), np.array([0.0])))
>>> contraction = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[0.5, -0.25]])), (np.array([0.0, -0.5]), np.array([0.1])))
>>> proof = prove([tent, contraction], ["relu", "identity"])
>>> proof.no_period2.tolist(), proof.fixed_points.tolist(), proof.lap_f3.tolist()
([False, True], [-1, 1], [-1, 1])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from verichaos.dynamics import core_interval, find_period3_orbit
from verichaos.experiments.rounding import LARGEST, above, below
from verichaos.experiments.sampling import FloatNetwork, exact_from_arrays
from verichaos.experiments.scalar_filter import PHI_BELOW, one_hidden_layer, proves_no_period3
from verichaos.network import Activation, Network, parse_activation
from verichaos.pwl import from_network
from verichaos.rational import Q

__all__ = ["PHI_BELOW", "COVER_MIN_WIDTH", "Proof", "prove", "proved_columns", "lap_f3_of", "decide_period3"]

INF = np.inf
UNIT = 2.0**-53
IMAGE_STEPS, HULL_STEPS = 4, 2
"""Images taken towards the core (f(ℝ) and E ∩ f(E) thrice), then shrinking steps of the hull. Any
number is sound; more only tighten E and H, and 8 and 4 proved 0.1 % more nets of the paper table's
rows at 1.5× this cost (docs/performance.md)."""
PERIOD3_STEPS = 1, 0
"""The same for "no period 3" alone (:func:`decide_period3`): f(ℝ) and the tail bounds only. More
steps proved 8 more of 16,332 nets (He nets at k = 2 … 128, paper rows 1–5) at 1.1–1.9× the cost."""
FILTER_MIN_WORK = 1200
"""Nets × (width + 12) below which :func:`decide_period3` proves net by net in Python floats
(:mod:`~verichaos.experiments.scalar_filter`, about (25 + 1.8·width) µs a net) rather than pay this
filter's fixed 1.5–2 ms (measured on this machine: the two cost the same there, within 30 %)."""

COVER_MIN_WIDTH = 16
"""Neurons from which :func:`decide_period3` tries the f³ cover on the nets the slope tests leave: below,
the exact composition of f³ costs less than the cover's few hundred numpy calls (He nets the slope tests
leave, per net: k = 8, cover 1.0 ms, exact 0.7; k = 16, 1.0 and 1.1; k = 64, 0.8 and 2.2)."""


# ------------------------------------------------------------ interval arithmetic
# An interval is a pair (lo, hi) of float64 arrays of one shape with lo ≤ exact ≤ hi.


def _sum_down(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A lower bound of x + y: the rounded sum, lowered only when TwoSum says it rounded up."""
    s = x + y
    t = s - x
    error = (x - (s - t)) + (y - t)
    return np.where(error < 0, below(s), np.minimum(s, LARGEST))  # an overflow to +inf: the sum is at least the largest float


def _sum_up(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    s = x + y
    t = s - x
    error = (x - (s - t)) + (y - t)
    return np.where(error > 0, above(s), np.maximum(s, -LARGEST))


def add(a, b):
    return _sum_down(a[0], b[0]), _sum_up(a[1], b[1])


def sub(a, b):
    return _sum_down(a[0], -b[1]), _sum_up(a[1], -b[0])


def _product_bounds(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = x * y
    exact = (x == 0) | (y == 0)
    return np.where(exact, 0.0, below(p)), np.where(exact, 0.0, above(p))


def mul(a, b):
    if a[0] is a[1]:  # a point: two products, not four
        a, b = b, a
    if b[0] is b[1]:
        ends = [_product_bounds(x, b[0]) for x in a]
    else:
        ends = [_product_bounds(x, y) for x in a for y in b]
    return np.minimum.reduce([lo for lo, _ in ends]), np.maximum.reduce([hi for _, hi in ends])


def div(a, b):
    """a / b; an interval of b that holds 0 gives (−∞, ∞)."""
    safe = (b[0] > 0) | (b[1] < 0)
    with np.errstate(all="ignore"):
        quotients = [x / y for x in a for y in b]
    lo = below(np.minimum.reduce(quotients))
    hi = above(np.maximum.reduce(quotients))
    zero = (a[0] == 0) & (a[1] == 0)
    lo, hi = np.where(zero, 0.0, lo), np.where(zero, 0.0, hi)
    return np.where(safe, lo, -INF), np.where(safe, hi, INF)


def point(x) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    return x, x


def _rational(q: Q) -> tuple[float, float]:
    """The tightest float interval around an exact rational."""
    nearest = float(q)  # float ok: checked against q exactly below
    exact = Q(nearest)
    if exact == q:
        return nearest, nearest
    outward = float(np.nextafter(nearest, INF if exact < q else -INF))  # float ok: one ulp outward, on the side of the exact value
    return (nearest, outward) if exact < q else (outward, nearest)


def _cumsum_error(terms: np.ndarray, axis: int) -> np.ndarray:
    n = terms.shape[axis]
    magnitude = np.cumsum(np.abs(terms), axis=axis)
    return above(3.0 * n * UNIT * magnitude)


def cumsum(a, axis: int = -1):
    """Enclosures of every partial sum along ``axis``."""
    lo, hi = np.cumsum(a[0], axis=axis), np.cumsum(a[1], axis=axis)
    return below(lo - _cumsum_error(a[0], axis)), above(hi + _cumsum_error(a[1], axis))


def total(a, axis: int = -1):
    """An enclosure of the sum along ``axis`` (any summation order obeys the γ_{n−1} bound)."""
    n = a[0].shape[axis]
    error = [above(3.0 * n * UNIT * np.sum(np.abs(end), axis=axis)) for end in a]
    return below(np.sum(a[0], axis=axis) - error[0]), above(np.sum(a[1], axis=axis) + error[1])


def hull(*intervals):
    return np.minimum.reduce([i[0] for i in intervals]), np.maximum.reduce([i[1] for i in intervals])


# ------------------------------------------------------------ activations


@dataclass(frozen=True)
class _Shape:
    """An activation as float intervals: thresholds τ, values there, and per piece
    (left tail, between thresholds, right tail) its slope and intercept."""

    taus: tuple[tuple[float, float], ...]
    values: tuple[tuple[float, float], ...]
    slopes: tuple[tuple[float, float], ...]
    intercepts: tuple[tuple[float, float], ...]
    clip: tuple[float, float] | None  # σ(z) = min(max(z, lo), hi) with float lo, hi: exact on floats

    @classmethod
    def of(cls, activation: Activation) -> _Shape:
        taus, values, left, right = activation.shape
        slopes = [left, *((values[j + 1] - values[j]) / (taus[j + 1] - taus[j]) for j in range(len(taus) - 1)), right]
        if not taus:  # σ(z) = left·z: one piece
            slopes = [left]
        anchors = [0, *range(len(taus))]  # piece p is anchored at threshold max(p − 1, 0)
        intercepts = [values[anchors[p]] - slopes[p] * taus[anchors[p]] if taus else Q(0) for p in range(len(slopes))]
        floats = all(Q(float(t)) == t for t in taus)  # float ok: checked exactly
        ends = [float(t) for t in taus]  # float ok: exact, checked on the line above
        clip = None
        if floats and list(values) == list(taus):  # σ(τ) = τ: ReLU, identity, hardtanh and the like
            clip = {(1,): (-INF, INF), (0, 1): (*ends, INF), (1, 0): (-INF, *ends), (0, 1, 0): tuple(ends)}.get(tuple(slopes))
        return cls(
            tuple(_rational(t) for t in taus),
            tuple(_rational(v) for v in values),
            tuple(_rational(s) for s in slopes),
            tuple(_rational(c) for c in intercepts),
            clip,
        )

    def slope_range(self) -> tuple[float, float]:
        return min(s[0] for s in self.slopes), max(s[1] for s in self.slopes)

    def __call__(self, z):
        """An enclosure of σ over the interval z: each piece's line on the part of z it may meet."""
        if self.clip is not None:  # nondecreasing and exact on floats: the ends map to the ends
            return np.clip(z[0], *self.clip), np.clip(z[1], *self.clip)
        lows, highs = [], []
        for p, (slope, intercept) in enumerate(zip(self.slopes, self.intercepts)):
            start = self.taus[p - 1][0] if p > 0 else -INF
            end = self.taus[p][1] if p < len(self.taus) else INF
            meets = (z[0] <= end) & (z[1] >= start)
            part = (np.clip(z[0], start, end), np.clip(z[1], start, end))
            value = add(mul(slope, part), intercept)
            lows.append(np.where(meets, value[0], INF))
            highs.append(np.where(meets, value[1], -INF))
        return np.minimum.reduce(lows), np.maximum.reduce(highs)


# ------------------------------------------------------------ the proof


@dataclass
class Proof:
    """What the filter proved, per net (arrays over the batch).

    ``no_period3``/``no_period2``: proved (False means "not proved", never
    "has"). ``fixed_points``, ``lap_f3``: the exact count, or −1 where not
    proved (a proved count of 0 fixed points proves there is none)."""

    no_period3: np.ndarray
    no_period2: np.ndarray
    fixed_points: np.ndarray
    lap_f3: np.ndarray

    @classmethod
    def nothing(cls, size: int) -> Proof:
        return cls(np.zeros(size, bool), np.zeros(size, bool), np.full(size, -1), np.full(size, -1))


def _column(a):
    return a[0][:, None], a[1][:, None]


def _take(a, index):
    return a[0][:, index], a[1][:, index]


def _unbounded_where_nan(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An interval end that came out NaN (∞ − ∞) proves nothing: it becomes unbounded."""
    return np.where(np.isnan(lo), -INF, lo), np.where(np.isnan(hi), INF, hi)


def _choose(condition: np.ndarray, a, b):
    return np.where(condition, a[0], b[0]), np.where(condition, a[1], b[1])


def _sign(a) -> np.ndarray:
    """+1 or −1 where the interval proves the sign, 0 where it holds 0 (or is NaN)."""
    return np.where(a[0] > 0, 1, np.where(a[1] < 0, -1, 0))


class _Depth2:
    """The enclosures of one batch of depth-2 nets (see the module docstring)."""

    def __init__(self, batch: Sequence[FloatNetwork], hidden: Activation, output: Activation):
        self.w = np.stack([net.weights[0][:, 0] for net in batch])  # (B, k)
        self.b = np.stack([net.biases[0] for net in batch])
        self.a = np.stack([net.weights[1][0] for net in batch])
        self.c = np.array([net.biases[1][0] for net in batch])
        self.sigma, self.out = _Shape.of(hidden), _Shape.of(output)
        finite = np.isfinite(self.w) & np.isfinite(self.b) & np.isfinite(self.a)
        self.valid = np.all(finite & (self.w != 0), axis=1) & np.isfinite(self.c) & bool(self.sigma.taus)
        with np.errstate(all="ignore"):
            self._pieces()

    def _pieces(self) -> None:
        sigma, w, b, a = self.sigma, self.w, self.b, self.a
        a_abs_w = mul(point(a), point(np.abs(w)))
        knots = [div(sub(tau, point(b)), point(w)) for tau in sigma.taus]
        changes = [mul(a_abs_w, sub(sigma.slopes[j + 1], sigma.slopes[j])) for j in range(len(sigma.taus))]
        lo, hi = np.concatenate([k[0] for k in knots], axis=1), np.concatenate([k[1] for k in knots], axis=1)
        order = np.argsort(0.5 * lo + 0.5 * hi, axis=1, kind="stable")
        self.x = (np.take_along_axis(lo, order, 1), np.take_along_axis(hi, order, 1))  # (B, K) breakpoints of g
        jumps = [np.take_along_axis(np.concatenate([c[end] for c in changes], axis=1), order, 1) for end in (0, 1)]
        self.valid &= np.all(self.x[1][:, :-1] < self.x[0][:, 1:], axis=1)
        # left tail of a·σ(w·x + b): σ's left piece when w > 0, its right piece when w < 0
        tail_slope = tuple(np.where(w > 0, sigma.slopes[0][end], sigma.slopes[-1][end]) for end in (0, 1))
        tail_intercept = tuple(np.where(w > 0, sigma.intercepts[0][end], sigma.intercepts[-1][end]) for end in (0, 1))
        left_slope = total(mul(point(a), mul(tail_slope, point(w))), axis=1)
        left_intercept = add(total(mul(point(a), add(mul(tail_slope, point(b)), tail_intercept)), axis=1), point(self.c))
        slopes = cumsum(tuple(np.concatenate([left_slope[end][:, None], jumps[end]], axis=1) for end in (0, 1)), axis=1)
        # A piece on which every neuron sits on a flat piece of σ (or has a = 0) has slope exactly 0:
        # count those neurons exactly, with integers, so that a flat piece is not a float near 0.
        sloped = np.array([lo != 0 or hi != 0 for lo, hi in sigma.slopes], dtype=np.int64)
        counts = (a != 0).astype(np.int64)
        turning_on = [counts * np.where(w > 0, sloped[j + 1] - sloped[j], sloped[j] - sloped[j + 1]) for j in range(len(sigma.taus))]
        left_count = np.sum(counts * np.where(w > 0, sloped[0], sloped[-1]), axis=1)
        changes_count = np.take_along_axis(np.concatenate(turning_on, axis=1), order, 1)
        flat = (left_count[:, None] + np.concatenate([np.zeros((len(w), 1), np.int64), np.cumsum(changes_count, axis=1)], axis=1)) == 0
        self.s = tuple(np.where(flat, 0.0, end) for end in slopes)  # (B, K + 1): left tail, pieces, right tail
        left_slope = _take(self.s, slice(0, 1))
        first = add(mul(left_slope, _take(self.x, slice(0, 1))), _column(left_intercept))
        rises = mul(_take(self.s, slice(1, -1)), sub(_take(self.x, slice(1, None)), _take(self.x, slice(0, -1))))
        self.g = cumsum(tuple(np.concatenate([first[end], rises[end]], axis=1) for end in (0, 1)), axis=1)  # (B, K)
        for array in (*self.x, *self.s, *self.g):
            self.valid &= np.all(np.isfinite(array), axis=1)
        self.f_slopes = mul(self.s, self.out.slope_range())

    # -------------------------------------------------------- evaluation

    def g_at(self, p: np.ndarray):
        """An enclosure of g at the points p, shape (B,) or (B, m), from the breakpoints.

        With j the number of breakpoints certainly left of p: if p lies in the
        enclosure of breakpoint j, g(p) is on one of the two lines through it
        (the enclosures are disjoint, so no other breakpoint is in between);
        else p is in piece j, on the line of slope Sⱼ through breakpoint j − 1
        (through breakpoint 0 when j = 0). Infinite p gives garbage, masked by callers."""
        column = p.ndim == 1
        q = np.where(np.isfinite(p), p, 0.0)
        q = q[:, None] if column else q
        j = np.sum(self.x[1][:, None, :] < q[..., None], axis=-1)  # (B, m)
        last = self.x[0].shape[1] - 1
        inside = (j <= last) & (np.take_along_axis(self.x[0], np.minimum(j, last), 1) <= q)
        m = np.where(inside, j, np.maximum(j - 1, 0))

        def at(array, index):
            return np.take_along_axis(array[0], index, 1), np.take_along_axis(array[1], index, 1)

        offset = sub(point(q), at(self.x, m))
        knot = at(self.g, m)
        before, after = add(knot, mul(at(self.s, m), offset)), add(knot, mul(at(self.s, m + 1), offset))
        value = _choose(inside, hull(before, after), _choose(j == 0, before, after))
        return (value[0][:, 0], value[1][:, 0]) if column else value

    def g_image(self, lo: np.ndarray, hi: np.ndarray):
        """An enclosure of g([lo, hi]); lo may be −∞ and hi +∞."""
        inside = (self.x[1] >= lo[:, None]) & (self.x[0] <= hi[:, None])
        low = np.min(np.where(inside, self.g[0], INF), axis=1)
        high = np.max(np.where(inside, self.g[1], -INF), axis=1)
        ends = np.stack([lo, hi], axis=1)
        values = self.g_at(ends)
        finite = np.isfinite(ends)
        low = np.minimum(low, np.min(np.where(finite, values[0], INF), axis=1))
        high = np.maximum(high, np.max(np.where(finite, values[1], -INF), axis=1))
        left, right = _take(self.s, 0), _take(self.s, -1)
        unbounded_left, unbounded_right = lo == -INF, hi == INF
        low = np.where((unbounded_left & (left[1] > 0)) | (unbounded_right & (right[0] < 0)), -INF, low)
        high = np.where((unbounded_left & (left[0] < 0)) | (unbounded_right & (right[1] > 0)), INF, high)
        return low, high

    def image(self, lo: np.ndarray, hi: np.ndarray):
        return _unbounded_where_nan(*self.out(self.g_image(lo, hi)))

    def shrink(self, lo: np.ndarray, hi: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
        """E ∩ f(E), ``steps`` times: still holds whatever periodic points E held."""
        for _ in range(steps):
            low, high = self.image(lo, hi)
            low, high = np.maximum(lo, low), np.minimum(hi, high)
            if np.array_equal(low, lo) and np.array_equal(high, hi):  # a fixed point of the step: more changes nothing
                break
            lo, hi = low, high
        return lo, hi

    def tail_bounds(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cycle-hull bounds of unbounded ends (identity output: f = g)."""
        if self.out.taus or self.out.slopes[0] != (1.0, 1.0):
            return lo, hi
        left, right = _take(self.s, 0), _take(self.s, -1)
        lowest_knot, highest_knot = np.min(self.g[0], axis=1), np.max(self.g[1], axis=1)
        # the upper end: envelope K over the knots and the finite left end (or the left tail)
        at_lo = self.g_at(lo)
        envelope = np.where(np.isfinite(lo), np.maximum(highest_knot, at_lo[1]), np.where(left[0] < 0, INF, highest_knot))
        hi = np.where(hi == INF, envelope, hi)  # p ≤ K whatever the tail's slope (cycle_hull's docstring)
        at_hi = self.g_at(hi)
        envelope = np.where(np.isfinite(hi), np.minimum(lowest_knot, at_hi[0]), np.where(right[0] < 0, -INF, lowest_knot))
        lo = np.where(lo == -INF, envelope, lo)
        return _unbounded_where_nan(lo, hi)

    def slopes_on(self, lo: np.ndarray, hi: np.ndarray):
        """(least, largest, largest absolute) slope of f over the pieces that may meet [lo, hi]."""
        starts = np.concatenate([np.full((len(lo), 1), -INF), self.x[0]], axis=1)
        ends = np.concatenate([self.x[1], np.full((len(lo), 1), INF)], axis=1)
        meets = ~((starts >= hi[:, None]) | (ends <= lo[:, None]))
        least = np.min(np.where(meets, self.f_slopes[0], INF), axis=1)
        largest = np.max(np.where(meets, self.f_slopes[1], -INF), axis=1)
        steepest = np.maximum(np.abs(least), np.abs(largest))
        return least, largest, steepest

    # -------------------------------------------------------- fixed points

    def fixed_point_count(self) -> np.ndarray:
        """The number of fixed points where proved (module docstring), else −1."""
        out, s, g, x = self.out, self.s, self.g, self.x
        pieces = s[0].shape[1]
        left, right = _take(s, 0), _take(s, -1)
        left_flat = (left[0] == 0) & (left[1] == 0)
        right_flat = (right[0] == 0) & (right[1] == 0)
        proved = self.valid.copy()
        positions_lo, positions_hi, values_lo, values_hi, present = [], [], [], [], []
        for t, (tau, value) in enumerate(zip(out.taus, out.values)):
            side = _sign(sub(g, tau))  # (B, K): the sign of g − τ at the breakpoints
            at_minus = np.where(left_flat, side[:, 0], np.where(left[0] > 0, -1, np.where(left[1] < 0, 1, 0)))
            at_plus = np.where(right_flat, side[:, -1], np.where(right[0] > 0, 1, np.where(right[1] < 0, -1, 0)))
            ends_left = np.concatenate([at_minus[:, None], side], axis=1)  # sign at each piece's left end
            ends_right = np.concatenate([side, at_plus[:, None]], axis=1)
            proved &= np.all((ends_left != 0) & (ends_right != 0), axis=1)
            crosses = ends_left * ends_right < 0
            anchor_x = np.concatenate([x[0][:, :1], x[0]], axis=1), np.concatenate([x[1][:, :1], x[1]], axis=1)
            anchor_g = np.concatenate([g[0][:, :1], g[0]], axis=1), np.concatenate([g[1][:, :1], g[1]], axis=1)
            where = add(anchor_x, div(sub(tau, anchor_g), s))
            positions_lo.append(where[0]), positions_hi.append(where[1])
            values_lo.append(np.full(where[0].shape, value[0])), values_hi.append(np.full(where[0].shape, value[1]))
            present.append(crosses)
        # slots per piece: its crossings (in the order g passes them), then its right breakpoint
        falling = s[1] < 0
        if out.taus:
            def ordered(arrays):
                stacked = np.stack(arrays, axis=2)  # (B, pieces, T)
                return np.where(falling[:, :, None], stacked[:, :, ::-1], stacked)

            slots = [ordered(a) for a in (positions_lo, positions_hi, values_lo, values_hi, present)]
        else:
            slots = [np.zeros((len(self.c), pieces, 0))] * 4 + [np.zeros((len(self.c), pieces, 0), bool)]
        knot_values = out(g)
        pad = np.full((len(self.c), 1), np.nan)
        knots = [np.concatenate([arr, pad], axis=1)[:, :, None] for arr in (x[0], x[1], knot_values[0], knot_values[1])]
        knot_present = np.concatenate([np.ones_like(x[0], bool), np.zeros((len(self.c), 1), bool)], axis=1)[:, :, None]
        flat = [np.concatenate([slot, knot], axis=2).reshape(len(self.c), -1) for slot, knot in zip(slots, [*knots, knot_present])]
        p_lo, p_hi, v_lo, v_hi, here = flat
        gap = _sign(sub((v_lo, v_hi), (p_lo, p_hi)))
        proved &= np.all(~here | (gap != 0), axis=1)
        gap = np.where(here, gap, 0)
        index = np.where(here, np.arange(here.shape[1]), -1)
        previous = np.maximum.accumulate(index, axis=1)
        previous = np.concatenate([np.full((len(self.c), 1), -1), previous[:, :-1]], axis=1)
        before = np.take_along_axis(gap, np.maximum(previous, 0), axis=1)
        flips = np.sum(here & (previous >= 0) & (gap * before < 0), axis=1)
        first = np.take_along_axis(gap, np.argmax(here, axis=1)[:, None], axis=1)[:, 0]
        last = np.take_along_axis(gap, (here.shape[1] - 1 - np.argmax(here[:, ::-1], axis=1))[:, None], axis=1)[:, 0]
        # slopes of f on its tails, and the sign of f(x) − x at −∞ and +∞
        low_slopes, high_slopes = out.slopes[0], out.slopes[-1]
        either = hull(mul(left, low_slopes), mul(left, high_slopes))
        tail_left = _choose(left_flat, (0.0, 0.0), _choose(left[0] > 0, mul(left, low_slopes), _choose(left[1] < 0, mul(left, high_slopes), either)))
        either = hull(mul(right, low_slopes), mul(right, high_slopes))
        tail_right = _choose(right_flat, (0.0, 0.0), _choose(right[0] > 0, mul(right, high_slopes), _choose(right[1] < 0, mul(right, low_slopes), either)))
        minus_inf = _sign(sub((1.0, 1.0), tail_left))
        plus_inf = _sign(sub(tail_right, (1.0, 1.0)))
        proved &= (minus_inf != 0) & (plus_inf != 0)
        count = flips + (first * minus_inf < 0) + (last * plus_inf < 0)
        return np.where(proved, count, -1)


def prove(batch: Sequence[FloatNetwork], activations: Sequence[object], *, counts: bool = True) -> Proof:
    """What the interval filter proves about each net of ``batch`` (same layer shapes);
    with ``counts=False`` only the period columns (fixed points and lap numbers −1)."""
    shapes = [parse_activation(a) for a in activations]
    if not batch or len(shapes) != 2 or not all(a.is_piecewise_linear for a in shapes) or not all(map(one_hidden_layer, batch)):
        return Proof.nothing(len(batch))
    net = _Depth2(batch, *shapes)
    everything = np.full(len(batch), INF)
    with np.errstate(all="ignore"):
        images, shrinks = (IMAGE_STEPS, HULL_STEPS) if counts else PERIOD3_STEPS
        core = net.shrink(*net.image(-everything, everything), images - 1)  # holds the core f⁸(ℝ) ⊆ fⁱ(ℝ)
        hull_ = net.shrink(*net.tail_bounds(*core), shrinks)  # holds every orbit of period ≥ 2
        empty = hull_[0] >= hull_[1]  # a cycle of period ≥ 2 needs two distinct points
        least, largest, steepest = net.slopes_on(*hull_)
        no_period2 = net.valid & (empty | (least > -1))
        no_period3 = net.valid & (no_period2 | (steepest < PHI_BELOW) | (least >= 0) | (largest <= 0))
        unknown = np.full(len(batch), -1)
        core_least, core_largest, _ = net.slopes_on(*core) if counts else (unknown, unknown, None)
        point_core = core[0] >= core[1]  # the core is nonempty, so it is then that single point
        monotone_on_core = net.valid & ((core_least >= 0) | (core_largest <= 0) | point_core) & counts
        fixed_points = net.fixed_point_count() if counts else unknown
    return Proof(no_period3, no_period2, fixed_points, np.where(monotone_on_core, 1, -1))


def proved_columns(proof: Proof, row: int, exact_lap_f3: Callable[[], int]) -> dict[str, object] | None:
    """The exact columns of net ``row`` (:func:`verichaos.experiments.measure.exact_columns`,
    same fields in the same order) when the filter proved no period 2 and the
    fixed points, else None.

    No period 2 settles the chaos verdict of :func:`~verichaos.dynamics.entropy.decide_chaos`:
    its first searches are period 1, then period 2, which finds nothing (f and
    f² are never charged to its piece budget), so the periods are {1} or none
    (every period n > 1 forces 2): ``"zero"``, with largest period 1 exactly
    when f has a fixed point. The lap number comes from the filter when it
    proved it, else from ``exact_lap_f3()``: a few compositions, far less than
    the period searches."""
    if not (proof.no_period2[row] and proof.fixed_points[row] >= 0):
        return None
    fixed = int(proof.fixed_points[row])
    return {
        "chaos": "zero",
        "largest_power_of_two_period": 1 if fixed else 0,
        "period3": False,
        "period2": False,
        "fixed_points": fixed,
        "fixed_intervals": 0,
        "lap_f3": int(proof.lap_f3[row]) if proof.lap_f3[row] >= 0 else exact_lap_f3(),
        "orbit": None,
    }


def lap_f3_of(net: Network) -> int:
    """The lap number of f³ on the core, exactly (the ``lap_f3`` column)."""
    f = from_network(net)
    core = core_interval(f)
    return f.iterate(3, within=core).lap_number(*core)


def decide_period3(batch: Sequence[FloatNetwork], activations: Sequence[object]) -> list[bool]:
    """Exactly whether each net has a point of period 3: the filter where it
    proves "no", the exact decision (conversion included) for the rest. A batch
    too small to pay this filter's fixed cost (a few thousand numpy calls,
    :data:`FILTER_MIN_WORK`) is proved net by net by the same tests in Python
    floats (:func:`~verichaos.experiments.scalar_filter.proves_no_period3`).
    Either way, from :data:`COVER_MIN_WIDTH` neurons, a net whose slopes settle
    nothing (steep, of both signs, on its hull) gets the f³ cover
    (:mod:`~verichaos.experiments.cover_filter`) before the exact path."""
    width = batch[0].weights[0].shape[0] if batch else 0
    cover = width >= COVER_MIN_WIDTH
    if len(batch) * (width + 12) >= FILTER_MIN_WORK:
        proved = prove(batch, activations, counts=False).no_period3.tolist()
        if cover:
            proved = [no or proves_no_period3(net, activations) for net, no in zip(batch, proved)]
    else:
        proved = [proves_no_period3(net, activations, cover=cover) for net in batch]
    return [
        False if no else find_period3_orbit(from_network(exact_from_arrays(net, activations))) is not None
        for net, no in zip(batch, proved)
    ]
