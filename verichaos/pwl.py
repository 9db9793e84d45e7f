"""Exact continuous piecewise-linear maps of the real line.

A :class:`PiecewiseLinear` is stored as *knots* ``(xs[i], ys[i])`` with
strictly increasing rational ``xs`` and exact values ``ys``, joined by
segments, and the ``slopes`` of all its pieces, the two unbounded tails
included (kept, not recomputed: evaluation needs them). Canonical form: every
knot is a true breakpoint (the slopes on its two sides differ), except that an
affine map keeps a single anchor knot at x = 0 so that it has a value. Two
canonical maps are equal exactly when they are the same function.

Operations and their costs (n knots of the inner map, c crossings created):

* evaluation: O(log n) by bisection;
* composition ``outer.compose(inner)``, i.e. outer∘inner: O((n + c) log m) —
  each segment of ``inner`` is pulled back through the knots of ``outer`` it
  crosses, and the values there are ``outer``'s own knot values, so nothing is
  re-evaluated;
* sums and linear combinations: O(B log B) in the total number of breakpoints
  B, by merging slope changes, never by evaluating every term at every point;
* fixed points, images of intervals, lap numbers, piece counts: linear.

Building a network (:func:`from_network`) is one linear combination and one
composition with the activation per neuron, so a depth-2 net of width k costs
O(k log k).

>>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
>>> tent(Q(1, 5)), tent.compose(tent).breakpoints
(mpq(2,5), (mpq(0,1), mpq(1,4), mpq(1,2), mpq(3,4), mpq(1,1)))
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from verichaos.budget import charge
from verichaos.network import Layer, Network
from verichaos.rational import Q, parse_rational

__all__ = ["PiecewiseLinear", "FixedPoints", "Bound", "compose_on", "from_network", "pattern_breakpoints", "crossings"]

Bound = Q | None
"""An interval end; ``None`` is −∞ on the left and +∞ on the right."""

SlopeChanges = tuple[Q, Q, list[tuple[Q, Q]]]
"""A map as its left tail (slope, intercept) and the slope change at each breakpoint."""


@dataclass(frozen=True)
class FixedPoints:
    """Solutions of f(x) = x: isolated points and closed intervals (ends may be ``None``)."""

    points: tuple[Q, ...]
    intervals: tuple[tuple[Bound, Bound], ...]

    def __len__(self) -> int:
        return len(self.points) + len(self.intervals)

    def contains(self, x: Q) -> bool:
        return x in self.points or any(_inside(x, lo, hi) for lo, hi in self.intervals)


def _inside(x: Q, lo: Bound, hi: Bound) -> bool:
    return (lo is None or lo <= x) and (hi is None or x <= hi)


class PiecewiseLinear:
    """An exact continuous piecewise-linear map ℝ → ℝ (see the module docstring)."""

    __slots__ = ("xs", "ys", "slopes")

    def __init__(self, xs: tuple[Q, ...], ys: tuple[Q, ...], slopes: tuple[Q, ...]):
        """Trusting constructor: knots ``(xs[i], ys[i])`` already canonical, and
        ``slopes`` the slopes of the pieces left to right (the left tail, each
        segment, the right tail). Use :meth:`from_knots` or :meth:`affine` for
        anything else."""
        self.xs = xs
        self.ys = ys
        self.slopes = slopes

    # ----------------------------------------------------------- construction

    @classmethod
    def affine(cls, slope: object = 1, intercept: object = 0) -> PiecewiseLinear:
        """x ↦ slope·x + intercept."""
        slope = _exact(slope)
        return cls((Q(0),), (_exact(intercept),), (slope, slope))

    @classmethod
    def from_knots(
        cls, xs: Iterable[object], ys: Iterable[object], left_slope: object, right_slope: object
    ) -> PiecewiseLinear:
        """The map through the given knots with the given tail slopes, in canonical form.

        ``xs`` must be strictly increasing; an empty knot list is not allowed
        (use :meth:`affine`)."""
        xs = tuple(parse_rational(x) for x in xs)
        ys = tuple(parse_rational(y) for y in ys)
        if not xs or len(xs) != len(ys):
            raise ValueError("need as many values as knots, and at least one knot")
        if any(a >= b for a, b in zip(xs, xs[1:])):
            raise ValueError("knots must be strictly increasing")
        return cls._canonical(xs, ys, parse_rational(left_slope), parse_rational(right_slope))

    @classmethod
    def _canonical(cls, xs: Sequence[Q], ys: Sequence[Q], left: Q, right: Q) -> PiecewiseLinear:
        return cls._without_false_knots(xs, ys, [left, *_segment_slopes(xs, ys), right])

    @classmethod
    def _without_false_knots(cls, xs: Sequence[Q], ys: Sequence[Q], slopes: Sequence[Q]) -> PiecewiseLinear:
        """Canonical form of the map with knots (xs, ys) and piece slopes ``slopes``: knots
        with the same slope on both sides dropped (an affine map keeps an anchor at 0)."""
        left = slopes[0]
        keep = [i for i in range(len(xs)) if slopes[i] != slopes[i + 1]]
        if not keep:
            return cls((Q(0),), (ys[0] - left * xs[0],), (left, left))
        if len(keep) == len(xs):
            return cls(tuple(xs), tuple(ys), tuple(slopes))
        return cls(
            tuple(xs[i] for i in keep), tuple(ys[i] for i in keep), (left, *(slopes[i + 1] for i in keep))
        )

    # ------------------------------------------------------------- inspection

    @property
    def left_slope(self) -> Q:
        return self.slopes[0]

    @property
    def right_slope(self) -> Q:
        return self.slopes[-1]

    @property
    def is_affine(self) -> bool:
        return len(self.xs) == 1 and self.left_slope == self.right_slope

    @property
    def breakpoints(self) -> tuple[Q, ...]:
        """Where the slope changes, increasing. Empty for an affine map."""
        return () if self.is_affine else self.xs

    @property
    def piece_count(self) -> int:
        """Number of maximal linear pieces on ℝ."""
        return len(self.breakpoints) + 1

    def __call__(self, x: object) -> Q:
        return self._value(x if isinstance(x, Q) else parse_rational(x))

    def _value(self, x: Q) -> Q:
        return self._value_on(bisect_right(self.xs, x), x)

    def _value_on(self, piece: int, x: Q) -> Q:
        """f(x) for x in the closure of piece ``piece`` (0 is the left tail), by its line."""
        if piece == 0:
            return self.ys[0] + self.slopes[0] * (x - self.xs[0])
        return self.ys[piece - 1] + self.slopes[piece] * (x - self.xs[piece - 1])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PiecewiseLinear):
            return NotImplemented
        return (self.xs, self.ys, self.slopes) == (other.xs, other.ys, other.slopes)

    def __hash__(self) -> int:
        return hash((self.xs, self.ys, self.slopes))

    def __repr__(self) -> str:
        if self.is_affine:
            return f"PiecewiseLinear.affine({self.left_slope}, {self.ys[0]})"
        knots = ", ".join(f"({x}, {y})" for x, y in zip(self.xs, self.ys))
        return f"PiecewiseLinear(left_slope={self.left_slope}, knots=[{knots}], right_slope={self.right_slope})"

    # ------------------------------------------------------------- arithmetic

    def _slope_changes(self) -> SlopeChanges:
        """The left tail as (slope, intercept) and the slope change at each breakpoint."""
        slopes = self.slopes
        changes = [(x, slopes[i + 1] - slopes[i]) for i, x in enumerate(self.xs) if slopes[i + 1] != slopes[i]]
        return self.left_slope, self.ys[0] - self.left_slope * self.xs[0], changes

    @classmethod
    def linear_combination(
        cls, terms: Iterable[tuple[object, PiecewiseLinear]], constant: object = 0
    ) -> PiecewiseLinear:
        """Σ cᵢ·fᵢ + constant, by merging slope changes: O(B log B)."""
        return cls._combine(
            ((parse_rational(coefficient), term._slope_changes()) for coefficient, term in terms),
            parse_rational(constant),
        )

    @classmethod
    def _combine(cls, terms: Iterable[tuple[Q, SlopeChanges]], constant: Q) -> PiecewiseLinear:
        """Σ cᵢ·fᵢ + constant for maps given in slope-change form."""
        slope, intercept = Q(0), constant
        changes: list[tuple[Q, Q]] = []
        for coefficient, (term_slope, term_intercept, term_changes) in terms:
            if not coefficient:
                continue
            slope += coefficient * term_slope
            intercept += coefficient * term_intercept
            changes.extend((x, coefficient * delta) for x, delta in term_changes)
        charge(len(changes))  # the work budget (verichaos.budget): stop before sorting a runaway sum
        changes.sort(key=lambda change: change[0])
        xs: list[Q] = []
        ys: list[Q] = []
        slopes = [slope]
        i = 0
        while i < len(changes):
            x, delta = changes[i]
            i += 1
            while i < len(changes) and changes[i][0] == x:
                delta += changes[i][1]
                i += 1
            if not delta:  # terms' breakpoints that cancel are not breakpoints of the sum
                continue
            y = slope * x + intercept
            xs.append(x)
            ys.append(y)
            slope += delta
            slopes.append(slope)
            intercept = y - slope * x
        if not xs:
            return cls((Q(0),), (intercept,), (slope, slope))
        return cls(tuple(xs), tuple(ys), tuple(slopes))

    def __add__(self, other: PiecewiseLinear) -> PiecewiseLinear:
        return PiecewiseLinear.linear_combination([(1, self), (1, other)])

    def __sub__(self, other: PiecewiseLinear) -> PiecewiseLinear:
        return PiecewiseLinear.linear_combination([(1, self), (-1, other)])

    def scaled(self, factor: object, offset: object = 0) -> PiecewiseLinear:
        """x ↦ factor·f(x) + offset."""
        factor, offset = _exact(factor), _exact(offset)
        if not factor:
            return PiecewiseLinear.affine(0, offset)
        return PiecewiseLinear(
            self.xs, tuple(factor * y + offset for y in self.ys), tuple(factor * slope for slope in self.slopes)
        )

    # ------------------------------------------------------------ composition

    def _pull_back(self, targets: Sequence[Q]) -> list[tuple[Q, int | None, int]]:
        """This map's knots (tagged ``None``) merged, in increasing x, with every
        point strictly inside a piece where the map crosses ``targets[j]``
        (tagged ``j``); each comes with the gap between targets that the map's
        values run through just right of it (0 below ``targets[0]``,
        ``len(targets)`` above the last), whose closure holds the map's value
        there. ``targets`` must be strictly increasing."""
        xs, ys, slopes = self.xs, self.ys, self.slopes
        merged: list[tuple[Q, int | None, int]] = []

        def crossings(x0: Q, y0: Q, slope: Q, indices: range, rising: bool) -> None:
            inverse = 1 / slope
            if rising:  # past targets[j] going up, the values are in gap j + 1
                merged.extend((x0 + (targets[j] - y0) * inverse, j, j + 1) for j in indices)
            else:
                merged.extend((x0 + (targets[j] - y0) * inverse, j, j) for j in reversed(indices))

        if slopes[0] > 0:
            crossings(xs[0], ys[0], slopes[0], range(bisect_left(targets, ys[0])), True)
        elif slopes[0] < 0:
            crossings(xs[0], ys[0], slopes[0], range(bisect_right(targets, ys[0]), len(targets)), False)
        append = merged.append
        last = len(xs) - 1
        for i, x in enumerate(xs):
            y, slope = ys[i], slopes[i + 1]  # the piece right of knot i: a segment, or the right tail
            if slope > 0:
                start = bisect_right(targets, y)
                append((x, None, start))
                stop = bisect_left(targets, ys[i + 1]) if i < last else len(targets)
                if start < stop:  # most segments cross nothing: skip the call
                    crossings(x, y, slope, range(start, stop), True)
            elif slope < 0:
                stop = bisect_left(targets, y)
                append((x, None, stop))
                start = bisect_right(targets, ys[i + 1]) if i < last else 0
                if start < stop:
                    crossings(x, y, slope, range(start, stop), False)
            else:
                append((x, None, bisect_right(targets, y)))
        return merged

    def compose(self, inner: PiecewiseLinear) -> PiecewiseLinear:
        """self∘inner, exactly: x ↦ self(inner(x))."""
        if self.is_affine:
            return inner.scaled(self.left_slope, self.ys[0])
        if inner.is_affine:
            # x ↦ self(a·x + b): the knots move to (t − b)/a, slopes scale by a; still canonical.
            slope, intercept = inner.left_slope, inner.ys[0] - inner.left_slope * inner.xs[0]
            if not slope:
                return PiecewiseLinear.affine(0, self._value(intercept))
            inverse = 1 / slope
            xs = tuple((x - intercept) * inverse for x in self.xs)
            slopes = tuple(s * slope for s in self.slopes)
            if slope < 0:
                return PiecewiseLinear(xs[::-1], self.ys[::-1], slopes[::-1])
            return PiecewiseLinear(xs, self.ys, slopes)
        # Each piece of the composite lies in one piece of inner and one piece of
        # self, so its slope is a product of stored slopes: no division.
        outer_ys, outer_slopes, inner_slopes = self.ys, self.slopes, inner.slopes
        xs, ys = [], []
        # Far out along the left tail, inner has passed every knot of self: self's own tail applies.
        inner_left = inner.left_slope
        slopes = [inner_left * (self.left_slope if inner_left > 0 else self.right_slope)]
        inner_ys = iter(inner.ys)
        inner_piece = 0
        # self's line on piece p as y = s·x + c: two operations per value, not three, on inner's long values
        intercepts = [self.ys[0] - outer_slopes[0] * self.xs[0]]
        intercepts += [y - s * x for x, y, s in zip(self.xs, outer_ys, outer_slopes[1:])]
        for x, j, gap in inner._pull_back(self.xs):
            xs.append(x)
            if j is None:  # self is continuous: its line on the gap gives its value at the gap's ends too
                ys.append(outer_slopes[gap] * next(inner_ys) + intercepts[gap])
                inner_piece += 1
            else:
                ys.append(outer_ys[j])
            slopes.append(inner_slopes[inner_piece] * outer_slopes[gap])
        charge(len(xs))  # the work budget (verichaos.budget): a runaway composition stops here
        return PiecewiseLinear._without_false_knots(xs, ys, slopes)

    def __matmul__(self, inner: PiecewiseLinear) -> PiecewiseLinear:
        """``f @ g`` is f∘g."""
        return self.compose(inner)

    def iterate(self, n: int, within: tuple[Bound, Bound] = (None, None)) -> PiecewiseLinear:
        """fⁿ; with ``within = (lo, hi)``, gⁿ on [lo, hi] for g = f restricted
        there (see :meth:`restricted`), which is fⁿ on [lo, hi] when f maps
        [lo, hi] into itself."""
        if n < 0:
            raise ValueError("n must be at least 0")
        base = self.restricted(*within)
        power = PiecewiseLinear.affine(1, 0)
        for _ in range(n):
            power = base.compose(power).restricted(*within)
        return power

    # ----------------------------------------------------------- restriction

    def restricted(self, lo: Bound = None, hi: Bound = None) -> PiecewiseLinear:
        """The map that equals f on [lo, hi] and is affine beyond each end.

        This is how a map on an interval is represented: everything
        downstream (composition, fixed points) is then read on [lo, hi] only.
        """
        xs, ys, slopes = self.xs, self.ys, self.slopes
        start = 0 if lo is None else bisect_right(xs, lo)
        stop = len(xs) if hi is None else bisect_left(xs, hi)
        if start == 0 and stop == len(xs):
            return self
        if start >= stop:
            slope = slopes[start] if lo is not None else slopes[stop]
            anchor = lo if lo is not None else hi
            return PiecewiseLinear.affine(slope, self._value(anchor) - slope * anchor)
        return PiecewiseLinear(xs[start:stop], ys[start:stop], slopes[start : stop + 1])

    def _pieces(self, lo: Bound, hi: Bound) -> list[tuple[Bound, Bound, Q]]:
        """The linear pieces meeting the open interval (lo, hi), as (start, end, slope)."""
        xs, slopes = self.breakpoints, self.slopes if not self.is_affine else (self.left_slope,)
        first = 0 if lo is None else bisect_right(xs, lo)
        last = len(xs) if hi is None else bisect_left(xs, hi)
        ends = [lo, *xs[first:last], hi]
        return [(ends[i], ends[i + 1], slopes[first + i]) for i in range(last - first + 1)]

    def image(self, lo: Bound = None, hi: Bound = None) -> tuple[Bound, Bound]:
        """f([lo, hi]) as (min, max); ``None`` where it is unbounded."""
        unbounded_low = unbounded_high = False
        first = 0 if lo is None else bisect_left(self.xs, lo)
        last = len(self.xs) if hi is None else bisect_right(self.xs, hi)
        # the knots inside, whose values are stored, and the finite ends: never empty
        values = [*self.ys[first:last], *(self._value(x) for x in (lo, hi) if x is not None)]
        if lo is None and self.left_slope:
            unbounded_low |= self.left_slope > 0
            unbounded_high |= self.left_slope < 0
        if hi is None and self.right_slope:
            unbounded_high |= self.right_slope > 0
            unbounded_low |= self.right_slope < 0
        return (None if unbounded_low else min(values), None if unbounded_high else max(values))

    def lap_number(self, lo: Bound = None, hi: Bound = None) -> int:
        """Maximal monotone pieces on [lo, hi] (ℝ by default); constant stretches join a neighbour."""
        signs = [slope > 0 for _, _, slope in self._pieces(lo, hi) if slope]
        return 1 + sum(a != b for a, b in zip(signs, signs[1:]))

    def piece_count_on(self, lo: Bound = None, hi: Bound = None) -> int:
        """Maximal linear pieces meeting (lo, hi)."""
        return len(self._pieces(lo, hi))

    # ----------------------------------------------------------- fixed points

    def fixed_points(self, lo: Bound = None, hi: Bound = None) -> FixedPoints:
        """Every x in [lo, hi] with f(x) = x: isolated rationals, and the closed
        intervals on which f is the identity. Exact on every piece: slope 1
        (either no solution or the whole piece), constant pieces and the
        unbounded tails included.

        Between two knots f(x) − x is linear, so a root there shows as a sign
        change of f(x) − x at the knots: one subtraction per knot, and a
        division only where a root is."""
        g = self.restricted(lo, hi)
        if g.is_affine:
            slope, intercept = g.left_slope, g.ys[0] - g.left_slope * g.xs[0]
            if slope == 1:
                return FixedPoints((), ((lo, hi),) if not intercept else ())
            x = intercept / (1 - slope)
            return FixedPoints((x,) if _inside(x, lo, hi) else (), ())
        xs, ys, slopes = g.xs, g.ys, g.slopes
        gaps = [y - x for x, y in zip(xs, ys)]
        points: list[Q] = []
        intervals: list[tuple[Bound, Bound]] = []

        def add_interval(start: Bound, end: Bound) -> None:
            if intervals and intervals[-1][1] == start:
                intervals[-1] = (intervals[-1][0], end)
            else:
                intervals.append((start, end))

        def tail(anchor: Q, gap: Q, slope: Q, start: Bound, end: Bound) -> None:
            # f(x) − x = gap + (slope − 1)(x − anchor) beyond the outermost knot
            if slope == 1:
                if not gap:
                    add_interval(start, end)
            elif gap:
                x = anchor - gap / (slope - 1)
                if _inside(x, start, end):
                    points.append(x)

        tail(xs[0], gaps[0], slopes[0], lo, xs[0])
        for i, (x, gap) in enumerate(zip(xs, gaps)):
            if not gap:
                points.append(x)
            if i + 1 == len(xs):
                break
            next_gap = gaps[i + 1]
            if not gap and not next_gap:
                add_interval(x, xs[i + 1])
            elif (gap < 0 < next_gap) or (next_gap < 0 < gap):
                points.append(x + gap * (xs[i + 1] - x) / (gap - next_gap))
        tail(xs[-1], gaps[-1], slopes[-1], xs[-1], hi)
        if intervals:
            points = [x for x in points if not any(_inside(x, a, b) for a, b in intervals)]
        return FixedPoints(tuple(points), tuple(intervals))


def _exact(value: object) -> Q:
    """``parse_rational``, without its checks for what already is a rational (most calls here)."""
    return value if type(value) is Q else parse_rational(value)


def _segment_slopes(xs: Sequence[Q], ys: Sequence[Q]) -> list[Q]:
    return [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]


# ----------------------------------------------------------------- networks


def _activation_map(activation) -> PiecewiseLinear:
    xs, ys, left, right = activation.shape
    if not xs:
        return PiecewiseLinear.affine(left, 0)
    return PiecewiseLinear.from_knots(xs, ys, left, right)


def _first_layer(layer: Layer, pattern: list[Q] | None) -> list[SlopeChanges]:
    """Each neuron x ↦ activation(w·x + b) in slope-change form, straight from
    the activation's knots: its thresholds τ move to (τ − b)/w, in reverse
    order when w < 0, and every one is crossed."""
    activation = layer.activation
    taus, values, left, right = activation.shape
    slopes = (left, *_segment_slopes(taus, values), right)
    jumps = [slopes[j + 1] - slopes[j] for j in range(len(taus))]
    forms: list[SlopeChanges] = []
    for (weight,), bias in zip(layer.weight, layer.bias):
        if not weight:
            forms.append((Q(0), activation(bias), []))
            continue
        if not taus:  # identity-shaped: σ·z through the origin
            forms.append((left * weight, left * bias, []))
            continue
        inverse = 1 / weight
        knots = [(tau - bias) * inverse for tau in taus]
        if pattern is not None:
            pattern.extend(knots)
        if weight > 0:
            changes = [(x, weight * jump) for x, jump in zip(knots, jumps)]
            forms.append((left * weight, values[0] + left * (bias - taus[0]), changes))
        else:
            changes = [(x, -weight * jump) for x, jump in zip(reversed(knots), reversed(jumps))]
            forms.append((right * weight, values[-1] + right * (bias - taus[-1]), changes))
    return forms


def _build(network: Network, pattern: list[Q] | None) -> PiecewiseLinear:
    network.require_piecewise_linear("building the exact piecewise-linear map")
    first, *rest = network.layers
    forms = _first_layer(first, pattern)
    outputs: list[PiecewiseLinear] = []
    for layer in rest:
        activation = _activation_map(layer.activation)
        thresholds = layer.activation.thresholds
        outputs = []
        for row, bias in zip(layer.weight, layer.bias):
            pre = PiecewiseLinear._combine(zip(row, forms), bias)
            if pattern is not None and thresholds:
                pattern.extend(crossings(pre, thresholds))
            outputs.append(activation.compose(pre))
        if layer is not rest[-1]:
            forms = [output._slope_changes() for output in outputs]
    return outputs[0] if rest else PiecewiseLinear._combine([(Q(1), forms[0])], Q(0))


def crossings(f: PiecewiseLinear, targets: Sequence[Q]) -> list[Q]:
    """Every x at which f passes from one side of a target to the other,
    increasing: f(x) = t and the sign of f − t just left of x differs from its
    sign just right of x. Points where f only touches t are left out; where f
    rests on t over an interval, both ends are kept. ``targets`` must be
    strictly increasing.

    >>> crossings(PiecewiseLinear.from_knots([0], [0], -1, 1), [0, 1])  # |x|
    [mpq(-1,1), mpq(1,1)]
    """
    hits = set(targets)
    found = []
    knot = -1
    for x, j, _ in f._pull_back(targets):
        if j is not None:
            found.append(x)  # inside a piece of nonzero slope: a genuine crossing
            continue
        knot += 1
        if f.ys[knot] in hits:
            left, right = f.slopes[knot], f.slopes[knot + 1]
            if (left > 0) - (left < 0) != (right < 0) - (right > 0):  # side before ≠ side after
                found.append(x)
    return found


def from_network(network: Network) -> PiecewiseLinear:
    """The exact piecewise-linear map computed by ``network``, in canonical form.

    A network with a ``tanh`` or ``sigmoid`` is refused with
    :class:`~verichaos.network.NotPiecewiseLinearError` (use :mod:`verichaos.smooth`).

    >>> from verichaos.network import Layer, Network
    >>> net = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
    >>> from_network(net)
    PiecewiseLinear(left_slope=0, knots=[(0, 0), (1/2, 1)], right_slope=-2)
    """
    return _build(network, None)


def pattern_breakpoints(network: Network) -> tuple[Q, ...]:
    """Every x at which some neuron's pre-activation crosses a threshold of its
    activation (:func:`crossings`), increasing. Between two consecutive such points every neuron
    stays in one closed piece of its activation — the partition the
    certificate checker verifies neuron by neuron. It can hold more points
    than :attr:`PiecewiseLinear.breakpoints` (slope changes can cancel)."""
    pattern: list[Q] = []
    _build(network, pattern)
    return tuple(sorted(set(pattern)))


def compose_on(maps: Iterable[PiecewiseLinear], lo: Bound, hi: Bound) -> list[PiecewiseLinear]:
    """The composites g₁ = f₁, g₂ = f₂∘f₁, …, each a map that agrees with
    f_j∘…∘f₁ on [lo, hi] and is affine beyond it.

    Unlike :meth:`PiecewiseLinear.iterate` this needs no invariant interval:
    f_j is restricted to g_{j−1}([lo, hi]), the exact set it is applied to,
    so breakpoints that points of [lo, hi] never reach are never composed.

    >>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
    >>> [g.piece_count_on(0, 1) for g in compose_on([tent] * 3, Q(0), Q(1))]
    [2, 4, 8]
    """
    composite = PiecewiseLinear.affine(1, 0)
    composites = []
    for f in maps:
        composite = f.restricted(*composite.image(lo, hi)).compose(composite).restricted(lo, hi)
        composites.append(composite)
    return composites
