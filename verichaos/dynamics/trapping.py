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

__all__ = ["trapping_chain", "core_interval"]

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
