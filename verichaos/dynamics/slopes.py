"""Periods excluded by slopes alone: no composition of fⁿ, only the slopes of an iterate already at hand.

Let H be an interval that holds every periodic orbit of f of minimal period
≥ 2 (the cycle hull, :func:`~verichaos.dynamics.trapping.cycle_hull`) and let
P be a continuous piecewise-linear map that agrees with f^m on every such
orbit (:class:`~verichaos.dynamics.orbits.Powers` composes f restricted to H,
which does: those orbits never leave H). Read the slopes of P on the pieces
that meet H, exactly.

A point of minimal period 2m of f is a point of minimal period 2 of f^m
(f^m(x) ≠ x, f^{2m}(x) = x), and one of minimal period 3m is a point of
minimal period 3 of f^m; its orbit under f^m is part of an f-orbit of period
≥ 2, so it lies in H, and P moves it as f^m does. So:

* *No 2-cycle of P when every slope of P on H is > −1.* On a 2-cycle x < y
  the chord of P from x to y has slope (x − y)/(y − x) = −1, so some piece
  meeting [x, y] ⊆ H has slope ≤ −1.
* *No 3-cycle of P when every |slope| on H is < φ = (1+√5)/2.* On a 3-cycle
  x < y < z, with a = y − x, b = z − y and P L-Lipschitz on [x, z], the
  covering relations give b ≤ L·a and a + b ≤ L·b (or a + b ≤ L·a and
  a ≤ L·b), so L² − L − 1 ≥ 0, i.e. L ≥ φ. Compared exactly:
  |s| < φ ⟺ s² < |s| + 1.
* *No 3-cycle when P is monotone on H.* Nondecreasing: from the least point
  x of a cycle, x < P(x) ≤ P²(x) ≤ P³(x) = x is impossible. Nonincreasing
  (every slope of the restricted map ≤ 0, so P is nonincreasing on ℝ): P∘P is
  nondecreasing and has the same 3-cycle, traversed the other way.
* *Nothing of period ≥ 2 when H has at most one point.*

The same tests, in rigorous float intervals over a whole batch, are the
interval filter of :mod:`verichaos.experiments.filter`; here they run on the
exact rationals and let the searches of :mod:`~verichaos.dynamics.orbits`
skip composing fⁿ (the covering argument is the one behind Li and Yorke's
theorem; Block and Coppel, *Dynamics in One Dimension*, 1992, ch. I–II).

>>> from verichaos.pwl import PiecewiseLinear
>>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
>>> excludes(tent, (0, 1), 2), excludes(tent, (0, 1), 3)   # slopes 2 and -2 on [0, 1]
(False, False)
>>> gentle = PiecewiseLinear.from_knots([0, "1/2"], [0, "3/4"], left_slope=0, right_slope="-3/2")
>>> excludes(gentle, (0, "3/4"), 3)                          # |slopes| 3/2 < φ: no 3-cycle
True
"""

from __future__ import annotations

from verichaos.pwl import Bound, PiecewiseLinear
from verichaos.rational import parse_rational

__all__ = ["excludes"]


def excludes(power: PiecewiseLinear, hull: tuple[Bound, Bound], cycle: int) -> bool:
    """True when the slopes of ``power`` on ``hull`` prove it has no ``cycle``-cycle there (2 or 3;
    module docstring); False when they prove nothing."""
    lo, hi = (None if end is None else parse_rational(end) for end in hull)
    if lo is not None and hi is not None and lo >= hi:
        return True
    slopes = power.restricted(lo, hi).slopes
    if cycle == 2:
        return all(s > -1 for s in slopes)
    if cycle == 3:
        return all(s >= 0 for s in slopes) or all(s <= 0 for s in slopes) or all(s * s < abs(s) + 1 for s in slopes)
    raise ValueError("the slope tests exclude 2-cycles and 3-cycles only")
