"""Periodic orbits of a given minimal period, exactly.

A point x has minimal period n when fⁿ(x) = x and f^d(x) ≠ x for 0 < d < n.
Such points are the fixed points of fⁿ that are not fixed points of any f^d
with d a proper divisor of n. Every periodic point lies in the core interval
of the trapping chain (:mod:`verichaos.dynamics.trapping`), so fⁿ is composed
there only.

The fixed points of fⁿ are isolated rationals and closed intervals on which
fⁿ is the identity (degenerate maps, e.g. f(x) = 1 − x gives period 2 on all of
ℝ but 1/2). Isolated points are grouped into orbits; for each interval a
representative point of minimal period n is found exactly (or the interval is
dropped when it holds none), and the interval is reported as a family.

>>> from verichaos.pwl import PiecewiseLinear
>>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
>>> [orbit.points for orbit in periodic_orbits(tent, 3).orbits]
[(mpq(2,9), mpq(4,9), mpq(8,9)), (mpq(2,7), mpq(4,7), mpq(6,7))]
"""

from __future__ import annotations

from dataclasses import dataclass

from verichaos.budget import PiecesExceeded
from verichaos.dynamics.slopes import excludes
from verichaos.dynamics.trapping import HULL_STEPS, QUICK_HULL_STEPS, core_interval, cycle_hull
from verichaos.pwl import FixedPoints
from verichaos.pwl import Bound, PiecewiseLinear
from verichaos.rational import Q

__all__ = [
    "Orbit",
    "OrbitFamily",
    "PeriodicOrbits",
    "PieceBudgetExceeded",
    "Powers",
    "find_orbit",
    "minimal_period",
    "periodic_orbits",
    "power_fixed_points",
    "representative",
]


@dataclass(frozen=True, order=True)
class Orbit:
    """A periodic orbit x₀ → x₁ → … → x_{n−1} → x₀, listed from its smallest point."""

    points: tuple[Q, ...]

    @property
    def period(self) -> int:
        return len(self.points)

    @classmethod
    def through(cls, f: PiecewiseLinear, x: Q, period: int) -> Orbit:
        points = [x]
        for _ in range(period - 1):
            points.append(f(points[-1]))
        start = points.index(min(points))
        return cls(tuple(points[start:] + points[:start]))


@dataclass(frozen=True)
class OrbitFamily:
    """A closed interval [lo, hi] on which fⁿ is the identity, with one orbit of
    minimal period n through it (every point of the interval but finitely many
    subintervals has minimal period n)."""

    lo: Bound
    hi: Bound
    representative: Orbit


@dataclass(frozen=True)
class PeriodicOrbits:
    period: int
    orbits: tuple[Orbit, ...]
    families: tuple[OrbitFamily, ...]
    core: tuple[Bound, Bound]

    def __bool__(self) -> bool:
        return bool(self.orbits or self.families)

    def all_orbits(self) -> tuple[Orbit, ...]:
        """The isolated orbits, then one representative per family."""
        return self.orbits + tuple(family.representative for family in self.families)


class PieceBudgetExceeded(PiecesExceeded):
    """Composing fⁿ needed more linear pieces than the search's own budget
    allows (a :class:`verichaos.budget.PiecesExceeded`, like the command line's
    ``--max-pieces``)."""

    def __init__(self, n: int, step: int, pieces: int, limit: int):
        super().__init__(f"f^{n} exceeds the budget of {limit} pieces (f^{step} already has {pieces})")
        self.n, self.step, self.pieces, self.limit = n, step, pieces, limit


class Powers:
    """fⁿ on one interval (as :meth:`PiecewiseLinear.iterate` composes it,
    ``within`` that interval) for a rising sequence of n, each from the
    nearest one asked for before: asking for f^m and then fⁿ, m < n, composes
    n times, not m + n, and f^m stays at hand (:meth:`known`). With
    ``max_pieces``, :class:`PieceBudgetExceeded` stops as soon as an iterate
    after the first ``free`` has more pieces than that. Made by
    :meth:`on_cycle_hull`, it remembers the core whose cycle hull it is, so
    that searches sharing it do not compute the hull again."""

    def __init__(self, f: PiecewiseLinear, domain: tuple[Bound, Bound], max_pieces: int | None = None, free: int = 0):
        self.domain, self.max_pieces, self.free = domain, max_pieces, free
        self.on_cycle_hull_of: tuple[Bound, Bound] | None = None
        self._base = f.restricted(*domain)
        self._known = {0: PiecewiseLinear.affine(1, 0), 1: self._base}  # the powers asked for, and f itself

    def known(self, n: int) -> PiecewiseLinear | None:
        """fⁿ if it has been composed and kept, else None: never composes."""
        return self._known.get(n)

    @classmethod
    def on_cycle_hull(cls, f: PiecewiseLinear, core: tuple[Bound, Bound], max_pieces: int | None = None, free: int = 0) -> Powers:
        """Powers of f on the cycle hull inside ``core`` (:func:`cycle_hull`)."""
        powers = cls(f, cycle_hull(f, core), max_pieces, free)
        powers.on_cycle_hull_of = core
        return powers

    def __call__(self, n: int) -> PiecewiseLinear:
        if n not in self._known:
            step = max(m for m in self._known if m < n)
            power = self._known[step]
            while step < n:
                power = self._base.compose(power).restricted(*self.domain)
                step += 1
                if self.max_pieces is not None and step > self.free and power.piece_count > self.max_pieces:
                    raise PieceBudgetExceeded(n, step, power.piece_count, self.max_pieces)
            self._known[n] = power
        return self._known[n]


def minimal_period(f: PiecewiseLinear, x: Q, limit: int) -> int | None:
    """The least d ≤ limit with f^d(x) = x, or None."""
    y = x
    for d in range(1, limit + 1):
        y = f(y)
        if y == x:
            return d
    return None


def _proper_divisors(n: int) -> list[int]:
    return [d for d in range(1, n) if n % d == 0]


def representative(f: PiecewiseLinear, n: int, lo: Bound, hi: Bound, core: tuple[Bound, Bound]) -> Q | None:
    """A rational in [lo, hi] of minimal period n, if any.

    The points of smaller period there are fixed points of f^d for proper
    divisors d: finitely many points and intervals. If some point has minimal
    period n, a whole open gap between consecutive ends of those sets does, so
    trying the midpoint of every gap (and a point beyond each unbounded end)
    decides it."""
    ends: set[Q] = {x for x in (lo, hi) if x is not None}
    for d in _proper_divisors(n):
        fixed = f.iterate(d, within=core).fixed_points(lo, hi)
        ends.update(fixed.points)
        ends.update(x for interval in fixed.intervals for x in interval if x is not None)
    ordered = sorted(ends) or [Q(0)]
    candidates = [(a + b) / 2 for a, b in zip(ordered, ordered[1:])]
    candidates += [ordered[0] - 1, ordered[-1] + 1, *ordered]
    for x in candidates:
        if (lo is None or lo <= x) and (hi is None or x <= hi) and minimal_period(f, x, n) == n:
            return x
    return None


def _interval_key(lo: Bound, hi: Bound) -> tuple:
    """Order intervals by left end, then right end, with −∞ first and +∞ last."""
    return (lo is not None, lo if lo is not None else 0, hi is None, hi if hi is not None else 0)


def _leftmost_of_its_cycle(f: PiecewiseLinear, n: int, lo: Bound, hi: Bound) -> bool:
    """fⁿ = id on [lo, hi] makes f injective there, so the images f^t([lo, hi])
    are intervals of the same kind; report each cycle of them once."""
    key = _interval_key(lo, hi)
    for _ in range(n - 1):
        lo, hi = f.image(lo, hi)
        if _interval_key(lo, hi) < key:
            return False
    return True


def power_fixed_points(
    f: PiecewiseLinear,
    n: int,
    core: tuple[Bound, Bound] | None = None,
    max_pieces: int | None = None,
    powers: Powers | None = None,
) -> tuple[FixedPoints, tuple[Bound, Bound]]:
    """Candidates for minimal period n: (fixed points of fⁿ found, the core interval).

    For n ≥ 2, fⁿ is composed on the cycle hull, usually much smaller than the
    core when the core is unbounded. Every orbit of minimal period n lies in
    the hull, and f agrees there with the restricted map, so every such point
    is among the isolated points returned or inside a returned interval; an
    isolated point may be spurious (its orbit left the hull) and must be
    confirmed with f itself (:func:`minimal_period`). Intervals are only ever
    computed on the core, which f maps into itself, so they are exact. Pass
    ``core`` (from :func:`core_interval`) to share it between calls; with
    ``max_pieces``, :class:`PieceBudgetExceeded` stops a composition that grows
    beyond it. ``powers`` (a :class:`Powers` on the cycle hull) lets a
    sequence of searches for rising n compose each power from the last."""
    core = core_interval(f) if core is None else core
    if n == 1:
        domain = core
    elif powers is not None and powers.on_cycle_hull_of == core:
        domain = powers.domain  # the hull was computed once, when ``powers`` was made
    else:
        domain = cycle_hull(f, core, QUICK_HULL_STEPS if n <= 3 else HULL_STEPS)
    chain = powers if powers is not None and powers.domain == domain else Powers(f, domain, max_pieces)
    if n > 1 and _excluded_by_slopes(chain, n):
        return FixedPoints((), ()), core
    fixed = chain(n).fixed_points(*domain)
    if fixed.intervals and domain != core:
        fixed = Powers(f, core, max_pieces)(n).fixed_points(*core)
    return fixed, core


def _excluded_by_slopes(powers: Powers, n: int) -> bool:
    """No point of minimal period n, proved from the slopes of an f^m at hand on the cycle hull,
    n = 2m or 3m (:mod:`verichaos.dynamics.slopes`): no composition needed."""
    for cycle in (2, 3):
        power = powers.known(n // cycle) if n % cycle == 0 else None
        if power is not None and excludes(power, powers.domain, cycle):
            return True
    return False


def find_orbit(
    f: PiecewiseLinear,
    n: int,
    core: tuple[Bound, Bound] | None = None,
    max_pieces: int | None = None,
    powers: Powers | None = None,
) -> Orbit | None:
    """One orbit of minimal period n, or None when f has none; stops at the
    first found (isolated points first, then one representative per interval).
    ``max_pieces`` and ``powers`` as in :func:`power_fixed_points`."""
    fixed, core = power_fixed_points(f, n, core, max_pieces, powers)
    for x in fixed.points:
        if minimal_period(f, x, n) == n:
            return Orbit.through(f, x, n)
    for lo, hi in fixed.intervals:
        x = representative(f, n, lo, hi, core)
        if x is not None:
            return Orbit.through(f, x, n)
    return None


def periodic_orbits(f: PiecewiseLinear, n: int, core: tuple[Bound, Bound] | None = None) -> PeriodicOrbits:
    """Every orbit of minimal period n: isolated orbits and interval families."""
    if n < 1:
        raise ValueError("the period must be at least 1")
    fixed, core = power_fixed_points(f, n, core)
    orbits = {Orbit.through(f, x, n) for x in fixed.points if minimal_period(f, x, n) == n}
    families = []
    for lo, hi in fixed.intervals:
        x = representative(f, n, lo, hi, core)
        if x is not None and _leftmost_of_its_cycle(f, n, lo, hi):
            families.append(OrbitFamily(lo, hi, Orbit.through(f, x, n)))
    return PeriodicOrbits(n, tuple(sorted(orbits)), tuple(families), core)
