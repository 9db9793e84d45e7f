"""Interval Newton refinement of a period-3 point, and the orbit it encloses.

Let g = f³ − id and J = [a, b] a piece on which an enclosure G′ of ∂g(J)
excludes 0. For the midpoint m, the interval Newton operator
N(J) = m − g(m)/G′ holds every zero of g in J (Moore 1966: by the mean value
theorem g(x*) − g(m) = g′(ξ)(x* − m), so x* = m − g(m)/g′(ξ) ∈ N(J); for
Lipschitz g Lebourg's theorem puts a generalized derivative there). So
J ∩ N(J) still holds the zero, and near a simple zero of a smooth g the width
shrinks quadratically. :func:`refine` iterates until the width is below
2⁻¹⁰⁰ or stops shrinking; :func:`orbit_enclosure` adds f(J) and f²(J).
"""

from __future__ import annotations

from verichaos.rational import Q
from verichaos.smooth.enclosure import SmoothMap, interval, lower, point, precision, sign, upper

__all__ = ["refine", "orbit_enclosure"]

_TARGET = Q(1, 2**100)


def refine(f: SmoothMap, lo: Q, hi: Q, steps: int = 40) -> tuple[Q, Q]:
    """A sub-interval of [lo, hi] holding the zero of f³ − x there (module docstring)."""
    with precision():
        for _ in range(steps):
            if hi - lo < _TARGET:
                break
            middle = (lo + hi) / 2
            _, derivative = f.cube(interval(lo, hi))
            slope = derivative - 1
            if not sign(slope):
                break
            m = point(middle)
            newton = m - (f.iterate(m, 3)[3] - m) / slope
            new_lo, new_hi = max(lo, lower(newton)), min(hi, upper(newton))
            if new_hi - new_lo > (hi - lo) * Q(9, 10):
                break
            lo, hi = new_lo, new_hi
    return lo, hi


def orbit_enclosure(f: SmoothMap, lo: Q, hi: Q) -> list[tuple[Q, Q]]:
    """[J, ⊇f(J), ⊇f²(J)] as rational intervals."""
    with precision():
        balls = f.iterate(interval(lo, hi), 2)
        return [(lo, hi), *((lower(b), upper(b)) for b in balls[1:])]
