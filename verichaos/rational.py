"""The one rational type of verichaos, and its exact spellings.

Every number verichaos decides with is a ``gmpy2.mpq``. This module is the
only door numbers come in by:

* text (from JSON files): the grammar of ``docs/formats.md``: integers,
  ``"p/q"``, decimals with an optional exponent. ``"0.1"`` is 1/10 exactly;
  nothing ever passes through a float.
* floats (from numpy or PyTorch): their exact binary value, so ``0.1`` as a
  float64 is 3602879701896397/36028797018963968.

Edge cases, named:

* ``NaN`` and infinities are refused, from text and from floats.
* Text longer than :data:`MAX_DIGITS` digits, or with a decimal exponent
  beyond :data:`MAX_EXPONENT`, is refused *before* conversion, so a hostile
  10⁶-digit number costs a length check, not a bignum parse.
* ``"1/0"`` is refused; ``"-0"`` is 0; ``"6/4"`` is 3/2.

Note: ``mpq`` compares equal to ``int`` and ``mpq`` but not to
``fractions.Fraction``; convert at the boundary with :func:`to_fraction`.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from gmpy2 import mpq, mpz

__all__ = [
    "Q",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "RationalError",
    "parse_rational",
    "from_float",
    "canonical",
    "to_fraction",
    "exact_json",
]

Q = mpq
"""The rational type. ``Q(3, 4)``, ``Q("3/4")``."""

MAX_DIGITS = 10_000
MAX_EXPONENT = 10_000

_INTEGER = re.compile(r"[+-]?[0-9]+")
_RATIO = re.compile(r"([+-]?[0-9]+)/([0-9]+)")
_DECIMAL = re.compile(r"([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?")
_NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


class RationalError(ValueError):
    """A number that is not an exact finite rational in an accepted spelling."""


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def parse_rational(value: object) -> mpq:
    """The exact rational a JSON value spells.

    Accepts ``int`` (not ``bool``), ``mpq``, ``Fraction``, and ``str`` in the
    grammar of ``docs/formats.md``. Floats are refused here on purpose: a float
    read from a JSON file has already lost the decimal text (use
    :func:`from_float` for numbers that really are binary floats).

    >>> parse_rational("0.1"), parse_rational("-6/4"), parse_rational(7)
    (mpq(1,10), mpq(-3,2), mpq(7,1))
    """
    if isinstance(value, bool):
        raise RationalError(f"{value!r} is a boolean, not a number")
    if isinstance(value, int):
        return mpq(value)
    if isinstance(value, (mpq, Fraction)):
        return mpq(value)
    if isinstance(value, float):
        raise RationalError(
            f"{value!r} is a binary float; spell it as text or convert it with from_float"
        )
    if not isinstance(value, str):
        raise RationalError(f"expected a number, got {type(value).__name__}")
    text = value
    if text.strip().lower() in _NON_FINITE:
        raise RationalError(f"{text!r} is not finite; only finite rationals are allowed")
    if len(text) > 2 * MAX_DIGITS + 8 or _digits(text) > MAX_DIGITS:
        raise RationalError(
            f"number with {_digits(text)} digits exceeds the limit of {MAX_DIGITS} digits"
        )
    if _INTEGER.fullmatch(text):
        # mpz, not int: Python's int() refuses text over 4300 digits (sys.get_int_max_str_digits)
        return mpq(mpz(text))
    ratio = _RATIO.fullmatch(text)
    if ratio:
        denominator = mpz(ratio.group(2))
        if denominator == 0:
            raise RationalError(f"{text!r} has a zero denominator")
        return mpq(mpz(ratio.group(1)), denominator)
    decimal = _DECIMAL.fullmatch(text)
    if decimal:
        sign, mantissa, exponent_text = decimal.groups()
        exponent = mpz(exponent_text) if exponent_text else 0
        if abs(exponent) > MAX_EXPONENT:
            raise RationalError(
                f"{text!r} has exponent {exponent}, beyond the limit of ±{MAX_EXPONENT}"
            )
        whole, _, fraction = mantissa.partition(".")
        numerator = mpz((whole or "0") + fraction)
        exponent -= len(fraction)
        scaled = mpq(numerator * 10**exponent) if exponent >= 0 else mpq(numerator, 10**-exponent)
        return -scaled if sign == "-" else scaled
    raise RationalError(
        f"{text!r} is not a number (expected an integer, 'p/q' or a decimal such as '0.125')"
    )


def from_float(value: float) -> mpq:
    """The exact value of a binary float (float64, or float32 widened).

    >>> from_float(0.5), from_float(0.1) == Q(1, 10)
    (mpq(1,2), False)
    """
    value = float(value)  # float ok: numpy scalars and float32 widen to float64 exactly
    if not math.isfinite(value):
        raise RationalError(f"{value!r} is not finite; only finite rationals are allowed")
    return mpq(value)


def canonical(q: mpq) -> str:
    """The canonical spelling: ``"p"`` for integers, else reduced ``"p/q"``."""
    return str(mpq(q))


def to_fraction(q: mpq) -> Fraction:
    """The same rational as a ``fractions.Fraction``."""
    return Fraction(int(q.numerator), int(q.denominator))


def exact_json(value: object) -> object:
    """``value`` ready for ``json.dumps`` with every rational exact: the one way verichaos serializes numbers.

    Rationals (``mpq``, ``Fraction``, integers other than bool) become their
    canonical text (:func:`canonical`), tuples become lists, containers are
    converted all the way down; strings, booleans and ``None`` stay. A float
    is refused: it is not an exact value.

    >>> import json
    >>> json.dumps(exact_json({"orbit": (Q(2, 9), Q(4, 9)), "bound": [None, Q(-3)], "ok": True}))
    '{"orbit": ["2/9", "4/9"], "bound": [null, "-3"], "ok": true}'
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, Fraction)) or type(value) is type(mpq()):
        return canonical(mpq(value))
    if isinstance(value, dict):
        return {str(key): exact_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [exact_json(item) for item in value]
    if isinstance(value, float):
        raise RationalError(f"{value!r} is a binary float, not an exact value; convert it with from_float first")
    raise TypeError(f"cannot serialize {type(value).__name__} exactly")

