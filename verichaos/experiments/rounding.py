"""Outward rounding of float64 arrays, by arithmetic: the one primitive both interval filters build on.

If y is the round-to-nearest float of a real r, then r lies within half the
spacing of the floats at y. With t = fl(fl(|y|·2⁻⁵²) + 2⁻¹⁰⁷⁴) — at least that
spacing: the product is exact, or rounds onto the subnormal grid, which holds
the spacing there, and the sum rounds up from a float — y − t lies at or below
the next float down, and rounding is monotone, so :func:`below` is at most r;
:func:`above` is the mirror image. This costs four cheap operations, where
``numpy.nextafter`` costs as much as twenty multiplications. An overflow to
+∞ came from a real above the largest float, which then bounds it from below
(and −∞ mirrors that); a NaN stays a NaN, and no comparison with it is true.

>>> import numpy as np
>>> from fractions import Fraction
>>> y = np.array([0.1 * 3])
>>> Fraction(float(below(y)[0])) < Fraction(3, 10) < Fraction(float(above(y)[0]))
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["below", "above", "LARGEST"]

RELATIVE = 2.0**-52
TINIEST = 2.0**-1074
LARGEST = float(np.finfo(np.float64).max)  # float ok: an end of outward-rounded intervals


def below(y: np.ndarray) -> np.ndarray:
    """A float at most every real whose round-to-nearest float is y (module docstring)."""
    q = np.minimum(y, LARGEST)
    return q - (np.abs(q) * RELATIVE + TINIEST)


def above(y: np.ndarray) -> np.ndarray:
    """A float at least every real whose round-to-nearest float is y."""
    q = np.maximum(y, -LARGEST)
    return q + (np.abs(q) * RELATIVE + TINIEST)
