"""A work budget for the exact builders: at most so many linear pieces, and a deadline.

Exact piecewise-linear maps can be astronomically large: a 50-layer tent net
computes a map of 2⁵⁰ pieces, f²⁰ of the tent map has 2²⁰. Nothing exact can
be promised about such a map in reasonable time, so the builders stop instead
of running on: inside ``with budget(max_pieces=..., seconds=...)``, every map
that :mod:`verichaos.pwl` builds (each composition and each linear combination)
is charged with its size, and a map larger than ``max_pieces``, or work still
running past the deadline, raises :class:`BudgetExceeded` with its reason.
The command line turns that into one line and exit code 6; ``certify
--timeout`` into the verdict TIMEOUT.

Stopping is never a guess: a stopped computation reports nothing about f.

>>> from verichaos.pwl import PiecewiseLinear
>>> tent = PiecewiseLinear.from_knots([0, "1/2"], [0, 1], left_slope=0, right_slope=-2)
>>> with budget(max_pieces=100):
...     tent.iterate(10)
Traceback (most recent call last):
...
verichaos.budget.PiecesExceeded: a map of 129 linear pieces is needed, more than the budget of 100 (--max-pieces)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["DEFAULT_MAX_PIECES", "Budget", "BudgetExceeded", "PiecesExceeded", "DeadlineExceeded", "budget", "charge", "check_deadline"]

DEFAULT_MAX_PIECES = 100_000
"""The command line's default: a 50-layer tent net reaches it in about a second on one core."""


class BudgetExceeded(Exception):
    """The work needs more than its budget allows; nothing is known about the answer."""


class PiecesExceeded(BudgetExceeded):
    """A map larger than ``max_pieces`` was needed."""


class DeadlineExceeded(BudgetExceeded):
    """The deadline passed before the work was done."""


@dataclass
class Budget:
    """The limits of one ``with budget(...)`` block, and the largest map built in it so far."""

    max_pieces: int | None
    deadline: float | None  # time.monotonic() value
    seconds: float | None
    largest: int = 0


_ACTIVE: ContextVar[Budget | None] = ContextVar("verichaos_budget", default=None)


@contextmanager
def budget(max_pieces: int | None = None, seconds: float | None = None) -> Iterator[Budget]:
    """Charge the exact builders inside the block; ``None`` means no limit of that kind.

    Yields the :class:`Budget`, whose ``largest`` a progress display may read from another thread.
    """
    if max_pieces is not None and max_pieces < 1:
        raise ValueError(f"max_pieces must be at least 1, got {max_pieces}")
    if seconds is not None and not seconds > 0:
        raise ValueError(f"seconds must be positive, got {seconds}")
    deadline = None if seconds is None else time.monotonic() + seconds
    state = Budget(max_pieces, deadline, seconds)
    token = _ACTIVE.set(state)
    try:
        yield state
    finally:
        _ACTIVE.reset(token)


def charge(pieces: int) -> None:
    """Record that a map of ``pieces`` pieces was built; raise when the budget is exceeded.

    Called by :mod:`verichaos.pwl` after each composition and combination: a
    no-op outside :func:`budget`.
    """
    active = _ACTIVE.get()
    if active is None:
        return
    active.largest = max(active.largest, pieces)
    if active.max_pieces is not None and pieces > active.max_pieces:
        raise PiecesExceeded(f"a map of {pieces} linear pieces is needed, more than the budget of {active.max_pieces} (--max-pieces)")
    if active.deadline is not None and time.monotonic() > active.deadline:
        raise DeadlineExceeded(f"not done after {active.seconds:g} s")


def check_deadline() -> None:
    """Raise :class:`DeadlineExceeded` when the current budget's deadline has passed (for loops that build no maps)."""
    charge(0)
