"""Trapping chains: nested intervals that hold every periodic point.

Let I₀ = ℝ and I_{j+1} = f(I_j), computed exactly from the knots and tails.
Because f(ℝ) ⊆ ℝ, induction gives I_{j+1} ⊆ I_j, so f maps each I_j into
itself, and a periodic point x = f^{nt}(x) lies in f^{nt}(ℝ) ⊆ I_m for every m.
Restricting f to I_m before composing is what keeps f³ small: a random net's
breakpoints far outside the attracting region never enter the computation.

The same chain, with the activation-pattern cuts of each step, is the first
half of a negative certificate (``docs/certificates.md``).

>>> from verichaos.pwl import PiecewiseLinear
>>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
>>> trapping_chain(tent)
[(None, mpq(1,1)), (mpq(0,1), mpq(1,1))]
"""

from __future__ import annotations

from verichaos.pwl import Bound, PiecewiseLinear

__all__ = ["trapping_chain", "core_interval", "cycle_hull"]

DEFAULT_STEPS = 8


def trapping_chain(f: PiecewiseLinear, max_steps: int = DEFAULT_STEPS) -> list[tuple[Bound, Bound]]:
    """[I₁, I₂, …, I_m] with I_{j+1} = f(I_j), ending before the first repeat
    (so consecutive intervals differ, and the chain is empty when f(ℝ) = ℝ)."""
    chain: list[tuple[Bound, Bound]] = []
    current: tuple[Bound, Bound] = (None, None)
    for _ in range(max_steps):
        image = f.image(*current)
        if image == current:
            break
        chain.append(image)
        current = image
    return chain


def core_interval(f: PiecewiseLinear, max_steps: int = DEFAULT_STEPS) -> tuple[Bound, Bound]:
    """The last interval of the trapping chain: f maps it into itself and it holds every periodic point."""
    chain = trapping_chain(f, max_steps)
    return chain[-1] if chain else (None, None)


def cycle_hull(f: PiecewiseLinear, core: tuple[Bound, Bound]) -> tuple[Bound, Bound]:
    """A closed interval inside ``core`` holding every periodic orbit of minimal
    period at least 2, bounded where the tails of f allow it.

    When the core is unbounded above, let T be the last knot of f, so that
    f(x) = a + s·x for x ≥ T, and let K = sup f on the core left of T. Take an
    orbit of period ≥ 2 with largest point p = f(r), r < p an orbit point.
    If r ≤ T then p ≤ K. Otherwise p = a + s·r with T < r < p, and

    * s > 1: f(p) = a + s·p ≤ p (p is the largest), so p ≤ a / (1 − s);
    * s = 1: then a = p − r > 0 and f(p) = p + a > p, impossible;
    * 0 ≤ s < 1: p = a + s·r ≤ a + s·p, so again p ≤ a / (1 − s);
    * s < 0: p < a + s·T = f(T) ≤ K.

    So p ≤ max(K, a / (1 − s)), the second term only when 0 ≤ s ≠ 1. The lower
    end is the mirror image. Fixed points are not covered: f need not map the
    hull into itself, so a fixed point of fⁿ found there is only a candidate,
    to be confirmed with f itself.

    >>> right = PiecewiseLinear.from_knots([0], [0], 0, 2)     # 0 for x ≤ 0, 2x beyond
    >>> cycle_hull(right, core_interval(right))
    (mpq(0,1), mpq(0,1))
    """
    lo, hi = core
    if f.is_affine:
        return core
    first, last = f.xs[0], f.xs[-1]
    if hi is None:  # the envelope is taken over [min(lo, T), T] ⊇ core ∩ (−∞, T], which still bounds p
        highest = f.image(None if lo is None else min(lo, last), last)[1]
        if highest is not None:
            hi = _tail_bound(highest, f.ys[-1] - f.right_slope * last, f.right_slope, max)
    if lo is None:
        lowest = f.image(first, None if core[1] is None else max(core[1], first))[0]
        if lowest is not None:
            lo = _tail_bound(lowest, f.ys[0] - f.left_slope * first, f.left_slope, min)
    if lo is not None and hi is not None and lo > hi:
        lo = hi  # no orbit of period ≥ 2 at all; keep a point so the interval stays well formed
    return lo, hi


def _tail_bound(envelope, intercept, slope, pick):
    """The bound from the module's case analysis: the envelope, or the tail line's fixed point."""
    if slope >= 0 and slope != 1:
        return pick(envelope, intercept / (1 - slope))
    return envelope
