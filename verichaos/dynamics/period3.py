"""Period three: the exact decision, every orbit, and a Li–Yorke witness.

Li and Yorke (1975), "Period three implies chaos": if a continuous F: J → J
has a point a with b = F(a), c = F²(a), d = F³(a) and

    d ≤ a < b < c   or   d ≥ a > b > c,

then F has points of every period and an uncountable scrambled set. For a
period-3 orbit x < y < z one of the two holds: if f(x) = y the first with
a = x, if f(x) = z the second with a = z. So "has a point of minimal period 3"
and "has a Li–Yorke point" are the same question.

Consequences stated with every positive answer: Sharkovsky (1964), every
period; Li–Yorke, an uncountable scrambled set; Block, Guckenheimer,
Misiurewicz and Young (1980), topological entropy ≥ log((1+√5)/2).

The decision is exact both ways: f³ is composed on the cycle hull (inside the
core interval of the trapping chain; :mod:`verichaos.dynamics.trapping`), and
each of its fixed points is confirmed or discarded by iterating f exactly. A period-3 point, when one exists, is a fixed point of f³ in the
core that f does not fix: an isolated rational, or any point of an interval
where f³ is the identity and f is not.

>>> from verichaos.pwl import Bound, PiecewiseLinear
>>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
>>> has_period3(tent), has_period3(PiecewiseLinear.affine(-1, 0))
(True, False)
>>> li_yorke_witness(tent, Orbit((Q(2, 7), Q(4, 7), Q(6, 7))))
LiYorkeWitness(a=mpq(2,7), case='d<=a<b<c')
"""

from __future__ import annotations

from dataclasses import dataclass

from verichaos.dynamics.orbits import Orbit, PeriodicOrbits, find_orbit, periodic_orbits
from verichaos.pwl import Bound, PiecewiseLinear
from verichaos.rational import Q

__all__ = [
    "LiYorkeWitness",
    "CONSEQUENCES",
    "has_period3",
    "find_period3_orbit",
    "period3_orbits",
    "li_yorke_witness",
]

CONSEQUENCES = (
    "f has periodic points of every period n >= 1 (Sharkovsky 1964)",
    "f has an uncountable scrambled set: f is Li-Yorke chaotic (Li and Yorke 1975)",
    "the topological entropy of f is at least log((1+sqrt(5))/2) (Block, Guckenheimer, Misiurewicz and Young 1980)",
)


@dataclass(frozen=True)
class LiYorkeWitness:
    """A point a and which of Li and Yorke's two orderings its iterates satisfy."""

    a: Q
    case: str  # "d<=a<b<c" or "d>=a>b>c"

    def holds(self, f: PiecewiseLinear) -> bool:
        a = self.a
        b = f(a)
        c = f(b)
        d = f(c)
        return d <= a < b < c if self.case == "d<=a<b<c" else d >= a > b > c


def li_yorke_witness(f: PiecewiseLinear, orbit: Orbit) -> LiYorkeWitness:
    """The Li–Yorke point of a period-3 orbit (listed from its smallest point)."""
    low = orbit.points[0]
    if f(low) < f(f(low)):
        return LiYorkeWitness(low, "d<=a<b<c")
    return LiYorkeWitness(max(orbit.points), "d>=a>b>c")


def find_period3_orbit(f: PiecewiseLinear, core: tuple[Bound, Bound] | None = None) -> Orbit | None:
    """One period-3 orbit, or None when f has none; stops at the first found.
    ``core`` (from :func:`~verichaos.dynamics.core_interval`) may be passed to share it."""
    return find_orbit(f, 3, core)


def has_period3(f: PiecewiseLinear) -> bool:
    """Exactly whether f has a point of minimal period 3."""
    return find_period3_orbit(f) is not None


def period3_orbits(f: PiecewiseLinear) -> PeriodicOrbits:
    """Every period-3 orbit (and family of them) of f."""
    return periodic_orbits(f, 3)
