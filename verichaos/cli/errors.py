"""Exit codes shared by every command, and the one way commands fail.

| code | meaning |
|---|---|
| 0 | success (for ``check``: VERIFIED) |
| 1 | a certificate was REJECTED |
| 2 | usage error (bad options or arguments) |
| 3 | unreadable or malformed input file |
| 4 | an output file or folder cannot be written |
| 5 | an experiment could not complete (corrupt resume file, worker failure) |
| 6 | the work could not complete within its budget (``--max-pieces`` exceeded, or ``--timeout``: TIMEOUT) |
| 7 | UNDECIDED: the method cannot decide this input (no guess is printed) |
| 130 | interrupted (Ctrl-C); partial results are kept and marked incomplete |
"""

from __future__ import annotations

import re
from decimal import Context, Decimal
from typing import NoReturn

import typer

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_EXPERIMENT = 5
EXIT_BUDGET = 6
EXIT_UNDECIDED = 7
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = (
    "Exit codes: 0 success, 1 certificate rejected, 2 usage error, 3 unreadable or malformed input, "
    "4 output not writable, 5 experiment could not complete, 6 budget exceeded or TIMEOUT, 7 UNDECIDED, "
    "130 interrupted."
)


_LONG_RATIONAL = re.compile(r"-?[0-9]{20,}(?:/[0-9]+)?|-?[0-9]+/[0-9]{20,}")
LONGEST_NUMBER = 40
"""Longer numbers in a message are shown by their value to six digits and their length."""


def fail(message: str, code: int) -> NoReturn:
    """Print one clear line to stderr and exit with ``code``; never a traceback.

    The line is one line whatever the message holds, and a rational longer than
    :data:`LONGEST_NUMBER` characters appears as ``≈ 0.273438 (a 301-digit rational)``.
    """
    typer.echo(f"verichaos: error: {readable(message)}", err=True)
    raise typer.Exit(code)


def readable(message: object, keep_exact: bool = False) -> str:
    """``message`` on one line, every long rational shortened to an approximation and its size, or,
    with ``keep_exact`` (results rather than messages), kept with its approximation beside it."""

    def shorten(match: re.Match[str]) -> str:
        text = match[0]
        if len(text) <= LONGEST_NUMBER:
            return text
        numerator, _, denominator = text.partition("/")
        value = approximation(numerator, denominator or 1)
        return f"{text} (≈ {value})" if keep_exact else f"≈ {value} (a {sum(ch.isdigit() for ch in text)}-digit rational)"

    return _LONG_RATIONAL.sub(shorten, " ".join(str(message).split()))


def approximation(numerator: int | str, denominator: int | str) -> str:
    """numerator/denominator to six significant digits, for display only (Decimal: any size, no float)."""
    return f"{Context(prec=6).divide(Decimal(numerator), Decimal(denominator)):.6g}"
