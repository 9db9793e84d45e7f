"""Bisection of the trapping interval into pieces on which f³(x) = x is decided.

Let g(x) = f³(x) − x on the trapping interval I = [L, U]
(:mod:`verichaos.smooth.trapping`), which holds every periodic point. I is
bisected; a piece J = [a, b] is a leaf of one of three kinds, each proved by
enclosures (:mod:`verichaos.smooth.enclosure`):

* ``empty``: an enclosure of g(J) excludes 0, so f³ has no fixed point in J;
* ``fixed``: J = {c} with f(c) = c exactly (a constant map); or an enclosure of ∂g(J) = ∂(f³)(J) − 1 excludes 0, so g is strictly
  monotone on J (Lebourg's mean value theorem) and has at most one zero there;
  and f(x) − x has strictly opposite signs at a and b (or a = L, where
  f(a) ≥ a as f(ℝ) ⊆ [L, U], and f(b) < b), so f has a fixed point in J
  (intermediate values), which is a zero of g: the only one. No point of
  J has minimal period 3;
* ``period-3``: ∂g(J) excludes 0, g has strictly opposite signs at a and b,
  and an enclosure of f(J) − J excludes 0: g has exactly one zero x* in J, and
  f(x*) ≠ x*, so x* has minimal period 3 (its period divides 3).

A piece that is none of these is halved, down to :data:`MAX_DEPTH` halvings;
past that it stays *undecided*. That happens at the degenerate points: a
tangency of f³ with the diagonal, or a fixed point of f³ where (f³)′ = 1. Once
a leaf is undecided no negative certificate can follow, so the bisection goes
on for at most :data:`AFTER_UNDECIDED` more pieces (looking for a period-3
leaf) and stops. It also stops when its budget of pieces is spent
(``exhausted``), and checks the deadline of :mod:`verichaos.budget` at every
piece. When every leaf is ``empty`` or ``fixed``,
f has no point of minimal period 3, and the leaves' depths in order
(the piece at depth d has width (U − L)/2^d) are the negative certificate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verichaos.budget import check_deadline
from verichaos.rational import Q
from verichaos.smooth.enclosure import SmoothMap, interval, point, precision, sign

__all__ = ["MAX_DEPTH", "DEFAULT_BUDGET", "AFTER_UNDECIDED", "Cover", "cover"]

MAX_DEPTH = 56
DEFAULT_BUDGET = 20_000
AFTER_UNDECIDED = 2_000


@dataclass
class Cover:
    """The leaves of the bisection, in order, and what was found."""

    lo: Q
    hi: Q
    depths: list[int] = field(default_factory=list)  # every leaf, in order
    kinds: list[str] = field(default_factory=list)  # "empty", "fixed", "period-3" or "undecided"
    pieces: int = 0  # pieces examined
    undecided: list[tuple[Q, Q, str]] = field(default_factory=list)
    complete: bool = False  # every piece of [lo, hi] is a leaf
    exhausted: bool = False  # stopped because the budget was spent

    def leaves(self, kind: str) -> list[tuple[Q, Q]]:
        """The leaves of one kind, as intervals."""
        width, start, out = self.hi - self.lo, self.lo, []
        for depth, leaf in zip(self.depths, self.kinds):
            end = start + width / 2**depth
            if leaf == kind:
                out.append((start, end))
            start = end
        return out

    @property
    def proves_no_period3(self) -> bool:
        return self.complete and set(self.kinds) <= {"empty", "fixed"}


def _classify(f: SmoothMap, lo: Q, hi: Q, at_start: bool) -> str | None:
    """The kind of the leaf [lo, hi] (module docstring), or None: halve it. At the start L of the
    trapping interval f(L) − L ≥ 0 is known (f(ℝ) ⊆ [L, U]), which is enough for intermediate values."""
    g, slope = f.cube_minus_identity(lo, hi)
    if sign(g):
        return "empty"
    if lo == hi and point(lo).is_exact() and f.value(point(lo)) == point(lo):  # f(c) = c exactly
        return "fixed"
    if not sign(slope):
        return None
    a, b = point(lo), point(hi)
    left, right = sign(f.value(a) - a), sign(f.value(b) - b)
    if left * right < 0 or (at_start and right < 0):
        return "fixed"
    if sign(f.iterate(a, 3)[3] - a) * sign(f.iterate(b, 3)[3] - b) < 0:
        piece = interval(lo, hi)
        if sign(f.value(piece) - piece):
            return "period-3"
    return None


def _reason(f: SmoothMap, lo: Q, hi: Q) -> str:
    _, slope = f.cube_minus_identity(lo, hi)
    where = f"[{float(lo):.9g}, {float(hi):.9g}]"  # float ok: a message
    if not sign(slope):
        return f"(f^3)' - 1 encloses 0 on {where}: a tangency of f^3 with the diagonal or a fixed point of f^3 with (f^3)' = 1"
    return f"f^3(x) - x could not be separated from 0 on {where}"


def cover(f: SmoothMap, lo: Q, hi: Q, *, budget: int = DEFAULT_BUDGET, stop_at_period3: bool = False) -> Cover:
    """Bisect [lo, hi] (module docstring) until every leaf is decided, the budget is
    spent, an undecided leaf has had its :data:`AFTER_UNDECIDED` more pieces, or
    (``stop_at_period3``) a period-3 leaf is found."""
    result = Cover(lo, hi)
    width = hi - lo
    stack = [(lo, 0)]  # (left end, depth), leftmost on top
    stop = budget
    with precision():
        while stack:
            if result.pieces >= stop:
                result.exhausted = not result.undecided
                return result
            check_deadline()
            start, depth = stack.pop()
            end = start + width / 2**depth
            result.pieces += 1
            kind = _classify(f, start, end, start == lo)
            if kind is None and depth < MAX_DEPTH:
                stack += [((start + end) / 2, depth + 1), (start, depth + 1)]
                continue
            if kind is None:
                kind = "undecided"
                result.undecided.append((start, end, _reason(f, start, end)))
                stop = min(stop, result.pieces + AFTER_UNDECIDED)
            result.depths.append(depth)
            result.kinds.append(kind)
            if kind == "period-3" and stop_at_period3:
                return result
    result.complete = True
    return result
