"""Entropy lower bounds from a periodic orbit: the Markov graph, its spectral
radius as an exact algebraic number, and a rational Collatz–Wielandt bound.

**The Markov graph** (Block, Guckenheimer, Misiurewicz and Young 1980;
Alsedà, Llibre and Misiurewicz, *Combinatorial Dynamics and Entropy in
Dimension One*, on Markov graphs and entropy). Let P = {p₁ < … < p_m} be a periodic
orbit of a continuous f, and I_i = [p_i, p_{i+1}] for i = 1, …, m − 1. I_i
*f-covers* I_j when f(I_i) ⊇ I_j. By continuity f(I_i) contains the interval
between f(p_i) and f(p_{i+1}), both points of P, so

    M[i][j] = 1  when  min(f(p_i), f(p_{i+1})) ≤ p_j  and  p_{j+1} ≤ max(f(p_i), f(p_{i+1}))

is read off P's own values: the P-linear map (the map joining the points
(p_i, f(p_i)) by segments) has exactly these coverings, and every map with
the orbit P has at least them. BGMY: h(f) ≥ log λ, λ = ρ(M) the spectral
radius. The covering paths live in the compact interval [p₁, p_m], so this
holds for f: ℝ → ℝ as for a map of a compact interval (the points whose
orbits follow the paths form a compact invariant subset of [p₁, p_m]). If the
period m is not a power of 2, λ > 1 (BGMY 1980; Alsedà–Llibre–Misiurewicz).

**The exact λ.** M is a 0/1 matrix, so λ, its Perron root (Perron–Frobenius:
ρ(M) is itself an eigenvalue, the largest real one), is a real algebraic
integer: the largest real root of the characteristic polynomial. python-flint
computes that polynomial (``fmpz_mat.charpoly``), factors it over ℤ
(``fmpz_poly.factor``) and isolates the roots of each factor rigorously
(``fmpz_poly.complex_roots``: arb balls, real roots with an exactly zero
imaginary part); the factor holding the largest real root is the minimal
polynomial of λ. sympy names λ exactly (``rootof``, with radicals up to
degree 2), and the arb ball gives a rigorous rational enclosure.

**A rational certificate r ≤ λ** (Collatz–Wielandt). If v ≥ 0, v ≠ 0 and
(Mv)_i ≥ r·v_i for every i, then ρ(M) ≥ r: Mⁿv ≥ rⁿv, so ‖Mⁿ‖ ≥ rⁿ and
ρ(M) = lim ‖Mⁿ‖^{1/n} ≥ r. The vector v may vanish off the strongly connected
class that carries λ, and must be allowed to: the period-6 orbit of the
doubled period-3 map has a closed class of three intervals permuted
cyclically (ρ = 1), so no strictly positive v gives r > 1 there. v is found
in floats (the Perron vector of the dominant class), rounded to integers
below 10⁶, and r = min over v_i > 0 of (Mv)_i / v_i is then computed exactly:
how v was found does not matter, only the inequality, which anyone can check
with integers.

>>> from verichaos.pwl import PiecewiseLinear
>>> from verichaos.dynamics.orbits import Orbit
>>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
>>> bound = markov_bound(tent, Orbit((Q(2, 7), Q(4, 7), Q(6, 7))))
>>> bound.matrix, bound.minimal_polynomial, bound.spectral_radius
(((0, 1), (1, 1)), (-1, -1, 1), '1/2 + sqrt(5)/2')
>>> bound.vector, bound.ratio
((618034, 1000000), mpq(500000,309017))
>>> lo, hi = bound.enclosure
>>> 1 < bound.ratio < lo < hi < Q(16181, 10000)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import flint
import numpy as np

from verichaos.dynamics.orbits import Orbit
from verichaos.pwl import PiecewiseLinear
from verichaos.rational import Q, canonical

__all__ = ["MarkovBound", "markov_matrix", "markov_bound", "collatz_wielandt_ratio", "spectral_radius"]

VECTOR_SCALES = (10**6, 10**9, 10**12)
"""Largest entry of v tried in turn; the first gives r within about 10⁻⁶ of λ."""

ENCLOSURE_BITS = 64
"""Working precision of λ's enclosure: its width is about 2⁻⁶⁰·λ."""


@dataclass(frozen=True)
class SpectralRadius:
    """λ as an exact algebraic number: its minimal polynomial over ℤ
    (coefficients from the constant term up), which of that polynomial's real
    roots it is (0 = smallest), sympy's exact name for it, and a rigorous
    rational enclosure lo ≤ λ ≤ hi (lo = hi only when λ is an integer)."""

    minimal_polynomial: tuple[int, ...]
    real_root_index: int
    text: str
    enclosure: tuple[Q, Q]


@dataclass(frozen=True)
class MarkovBound:
    """h(f) ≥ log λ ≥ log r from an orbit (see the module docstring).

    * ``matrix``: M[i][j] = 1 when I_i f-covers I_j, I_i = [p_i, p_{i+1}].
    * ``vector``: integers v_i ≥ 0, not all 0 (positive on the class carrying λ).
    * ``ratio``: r = min over v_i > 0 of (Mv)_i / v_i, exactly; (Mv)_i ≥ r·v_i for all i.
    * ``minimal_polynomial``: integer coefficients of λ's minimal polynomial,
      constant term first; ``spectral_radius``: λ spelled exactly (sympy);
      ``enclosure``: rationals lo ≤ λ ≤ hi (python-flint arb; equal only for an integer λ).
    """

    orbit: Orbit
    matrix: tuple[tuple[int, ...], ...]
    vector: tuple[int, ...]
    ratio: Q
    minimal_polynomial: tuple[int, ...]
    real_root_index: int
    spectral_radius: str
    enclosure: tuple[Q, Q]

    @cached_property
    def algebraic(self):
        """λ as a sympy number (CRootOf or radicals), for exact arithmetic."""
        return _sympy_root(self.minimal_polynomial, self.real_root_index)

    def entropy_text(self) -> str:
        low = float(self.enclosure[0])  # float ok: a printed approximation of an exact bound
        return f"h(f) >= log(lambda) = {math.log(low):.6f}..., lambda = {self.spectral_radius} (about {low:.6f}); certified h(f) >= log({self.ratio})"

    def to_json(self) -> dict[str, object]:
        """Exact values, rationals in canonical spelling."""
        return {
            "orbit": [canonical(x) for x in sorted(self.orbit.points)],
            "matrix": [list(row) for row in self.matrix],
            "vector": list(self.vector),
            "ratio": canonical(self.ratio),
            "lambda": self.spectral_radius,
            "minimal_polynomial": list(self.minimal_polynomial),
            "real_root_index": self.real_root_index,
            "lambda_enclosure": [canonical(x) for x in self.enclosure],
        }


def markov_matrix(f: PiecewiseLinear, orbit: Orbit) -> tuple[tuple[int, ...], ...]:
    """The 0/1 covering matrix of the orbit's intervals, from f's values on the orbit."""
    points = sorted(orbit.points)
    values = [f(p) for p in points]
    rows = []
    for i in range(len(points) - 1):
        low, high = sorted((values[i], values[i + 1]))
        rows.append(tuple(int(low <= points[j] and points[j + 1] <= high) for j in range(len(points) - 1)))
    return tuple(rows)


def collatz_wielandt_ratio(matrix: tuple[tuple[int, ...], ...], vector: tuple[int, ...]) -> Q:
    """min over v_i > 0 of (Mv)_i / v_i, exactly (v ≥ 0 with some v_i > 0)."""
    return min(Q(sum(a * b for a, b in zip(row, vector)), v) for row, v in zip(matrix, vector) if v > 0)


def _dominant_class(matrix: np.ndarray) -> list[int]:
    """The strongly connected class of largest spectral radius (indices).

    Classes are found from the transitive closure (boolean matrix powers);
    their radii are compared in floats only to *choose* a class: the bound
    certified from it is exact whichever class is chosen."""
    size = len(matrix)
    reach = (matrix + np.eye(size, dtype=np.int64)) > 0
    for _ in range(max(1, size).bit_length()):
        reach = (reach.astype(np.int64) @ reach.astype(np.int64)) > 0
    classes: dict[tuple[bool, ...], list[int]] = {}
    for i in range(size):
        key = tuple(reach[i] & reach[:, i])
        classes.setdefault(key, []).append(i)
    best, best_radius = [0], -1.0
    for members in classes.values():
        block = matrix[np.ix_(members, members)].astype(float)  # float ok: choosing a class, not deciding
        radius = max(abs(np.linalg.eigvals(block))) if block.any() else 0.0
        if radius > best_radius + 1e-9:  # float ok: ties between classes, either choice is checked exactly
            best, best_radius = members, radius
    return best


def _perron_vector(matrix: np.ndarray, members: list[int]) -> np.ndarray:
    """Nonnegative floats, the Perron vector of the class, 0 elsewhere."""
    block = matrix[np.ix_(members, members)].astype(float)  # float ok: finding v; r is computed exactly
    values, vectors = np.linalg.eig(block)
    leading = vectors[:, int(np.argmax(values.real))].real
    full = np.zeros(len(matrix))
    full[members] = np.abs(leading) / np.abs(leading).max()
    return full


def _integer_vector(perron: np.ndarray, scale: int) -> tuple[int, ...]:
    return tuple(int(round(x * scale)) if x > 0 else 0 for x in perron)  # float ok: v is only a hint


def _exact_dyadic(ball: flint.arb) -> tuple[Q, Q]:
    mantissa, exponent = ball.mid().man_exp()
    rad_mantissa, rad_exponent = flint.arb(ball.rad()).mid().man_exp()
    middle, radius = Q(int(mantissa)) * Q(2) ** int(exponent), Q(int(rad_mantissa)) * Q(2) ** int(rad_exponent)
    return middle - radius, middle + radius


def _real_roots(factor: flint.fmpz_poly) -> list[flint.arb]:
    return [root.real for root, _ in factor.complex_roots() if root.imag == 0]


def spectral_radius(matrix: tuple[tuple[int, ...], ...]) -> SpectralRadius:
    """ρ(M) of a nonnegative integer matrix, exactly (module docstring)."""
    charpoly = flint.fmpz_mat([list(row) for row in matrix]).charpoly()
    factors = [factor for factor, _ in charpoly.factor()[1]]
    saved = flint.ctx.prec
    try:
        flint.ctx.prec = ENCLOSURE_BITS
        while True:
            candidates = [(roots[-1], index, len(roots) - 1) for index, roots in enumerate(map(_real_roots, factors)) if roots]
            top = max(candidates, key=lambda c: float(c[0].mid()))  # float ok: a guess, confirmed just below
            if all(top[0] > other[0] for other in candidates if other is not top):
                break
            flint.ctx.prec *= 2  # two factors' largest roots not yet separated: they differ, so refine
        ball, index, root_index = top
        enclosure = _exact_dyadic(ball)
    finally:
        flint.ctx.prec = saved
    coefficients = tuple(int(c) for c in factors[index].coeffs())
    return SpectralRadius(coefficients, root_index, str(_sympy_root(coefficients, root_index)), enclosure)


def _sympy_root(coefficients: tuple[int, ...], real_root_index: int):
    """The real root of that index of the polynomial, as sympy names it exactly."""
    import sympy  # here, not at the top: loading sympy takes 0.7 s and most callers never need it

    polynomial = sympy.Poly(list(reversed(coefficients)), sympy.Symbol("x"))
    return sympy.rootof(polynomial, real_root_index, radicals=True)


def markov_bound(f: PiecewiseLinear, orbit: Orbit) -> MarkovBound:
    """The Markov matrix of ``orbit`` under f, λ exactly, and a certified r ≤ λ.

    r > 1 whenever the orbit's period is not a power of 2 (BGMY); the vector
    is rounded at the scales of :data:`VECTOR_SCALES` until r > 1 (or r reaches
    λ's lower end, or the last scale: r ≤ 1 is still a true, if useless, bound)."""
    if orbit.period < 2:
        raise ValueError("a Markov graph needs an orbit of at least 2 points")
    matrix = markov_matrix(f, orbit)
    radius = spectral_radius(matrix)
    array = np.array(matrix, dtype=np.int64)
    perron = _perron_vector(array, _dominant_class(array))
    for scale in VECTOR_SCALES:
        vector = _integer_vector(perron, scale)
        ratio = collatz_wielandt_ratio(matrix, vector)
        if ratio > 1 or ratio >= radius.enclosure[0]:
            break
    return MarkovBound(
        orbit, matrix, vector, ratio, radius.minimal_polynomial, radius.real_root_index, radius.text, radius.enclosure
    )
