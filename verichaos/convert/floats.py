"""Binary floats and exact rationals, both ways, keeping account of every bit.

**Reading** (import). A float32 or float64 weight *is* a dyadic rational, and
that value is taken exactly: float16 and float32 arrays are first widened to
float64 (exact: each of them is a float64), then
:func:`verichaos.rational.from_float` gives the binary value. Nothing is
rounded, so the imported network is the trained one, bit for bit.

**Writing** (export). A rational such as 1/3 is no float. :func:`nearest`
returns the float of the target dtype nearest to it (ties to even, as IEEE 754
round-to-nearest) and the exact error |q − fl(q)|. A float conversion only
proposes a candidate; the nearest float is then chosen among the candidate and
its two neighbours by exact rational comparison, so the double rounding of
``float32(float64(q))`` cannot creep in. :class:`Rounding` keeps the count and
the largest error of a whole export.

>>> value, error = nearest(Q(1, 3), "float32")
>>> from_float(value), error
(mpq(11184811,33554432), mpq(1,100663296))
>>> exact_values(np.array([0.1], dtype=np.float32), "w")
[mpq(13421773,134217728)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from verichaos.convert.errors import ConversionError
from verichaos.network import Layer
from verichaos.rational import Q, RationalError, canonical, from_float, to_fraction

__all__ = ["DTYPES", "dtype_label", "exact_values", "exact_matrix", "nearest", "Rounding"]

DTYPES = {"float32": np.float32, "float64": np.float64}
"""The export dtypes, by name."""

_UNSIGNED = {np.dtype(np.float32): np.uint32, np.dtype(np.float64): np.uint64}


def dtype_label(dtypes: Iterable[object]) -> str:
    """``"float32"``, or ``"float32+float64"`` for a model that mixes them."""
    names = sorted({d if isinstance(d, str) else np.dtype(d).name for d in dtypes})
    return "+".join(names) if names else "none"


def exact_values(array: object, where: str) -> list[Q]:
    """The exact values of a numeric array, flattened in row-major order."""
    array = np.asarray(array)
    if array.dtype.kind == "f":
        # every float16/float32 is exactly a float64, so widening loses nothing
        values = array.astype(np.float64).ravel().tolist()
        try:
            return [from_float(v) for v in values]
        except RationalError as error:
            raise ConversionError(f"{where}: {error}") from None
    if array.dtype.kind in "iu":
        return [Q(int(v)) for v in array.ravel().tolist()]
    raise ConversionError(f"{where}: has dtype {array.dtype}, expected floating point numbers")


def exact_matrix(array: object, where: str) -> list[list[Q]]:
    """The exact values of a 2-D array, row by row."""
    array = np.asarray(array)
    if array.ndim != 2:
        raise ConversionError(f"{where}: expected a matrix, got shape {list(array.shape)}")
    values = exact_values(array, where)
    columns = array.shape[1]
    return [values[r * columns : (r + 1) * columns] for r in range(array.shape[0])]


def _is_even(value: np.floating) -> bool:
    return int(value.view(_UNSIGNED[value.dtype])) % 2 == 0


def nearest(q: Q, dtype: str) -> tuple[np.floating, Q]:
    """The ``dtype`` float nearest to ``q`` and the exact error ``|q − float|``.

    Raises :class:`ConversionError` when ``|q|`` exceeds the largest finite float.
    """
    kind = np.dtype(DTYPES[dtype])
    largest = from_float(np.finfo(kind).max)
    if abs(q) > largest:
        raise ConversionError(f"{canonical(q)} is beyond the largest {dtype} ({np.finfo(kind).max})")
    guess = kind.type(float(to_fraction(q)))  # float ok: only proposes candidates; exact comparison below decides
    candidates = (guess, np.nextafter(guess, kind.type(np.inf)), np.nextafter(guess, kind.type(-np.inf)))
    finite = [c for c in candidates if np.isfinite(c)]
    best = min(finite, key=lambda c: (abs(q - from_float(c)), not _is_even(c)))
    return best, abs(q - from_float(best))


@dataclass
class Rounding:
    """The account of an export: how many values, how many rounded, the worst error."""

    count: int = 0
    inexact: int = 0
    worst: Q = Q(0)
    worst_where: str = ""

    def __call__(self, q: Q, dtype: str, where: str) -> np.floating:
        """``q`` as the nearest ``dtype`` float, with its error accounted."""
        try:
            value, error = nearest(q, dtype)
        except ConversionError as problem:
            raise ConversionError(f"{where}: {problem}") from None
        self.count += 1
        if error:
            self.inexact += 1
            if error > self.worst:
                self.worst, self.worst_where = error, where
        return value

    def layer_arrays(self, layer: Layer, index: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
        """A layer's weight (out × in) and bias as ``dtype`` arrays, every value accounted."""
        weight = [[self(w, dtype, f"layer {index} weight[{r}][{c}]") for c, w in enumerate(row)] for r, row in enumerate(layer.weight)]
        bias = [self(b, dtype, f"layer {index} bias[{r}]") for r, b in enumerate(layer.bias)]
        return np.array(weight, dtype=DTYPES[dtype]), np.array(bias, dtype=DTYPES[dtype])

    @property
    def exact(self) -> bool:
        return self.inexact == 0

    def require_exact(self) -> None:
        """Refuse (``--strict``) unless every value was representable."""
        if not self.exact:
            raise ConversionError(f"--strict: {self.summary()}; nothing written")

    def summary(self) -> str:
        """One line: exact, or how many values were rounded and the largest error."""
        if self.exact:
            return f"all {self.count} values exact"
        approx = f"{float(to_fraction(self.worst)):.3g}"  # float ok: display only
        return (
            f"{self.inexact} of {self.count} values rounded; largest rounding error "
            f"{canonical(self.worst)} (about {approx}) at {self.worst_where}"
        )
