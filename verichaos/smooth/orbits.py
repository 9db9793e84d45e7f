"""The period-3 orbits of a smooth network, each enclosed rigorously.

A full cover of the tiled trapping interval (:mod:`verichaos.smooth.cover`)
puts each period-3 point x* in a ``period-3`` leaf J that holds no other zero
of f³ − id; interval Newton (:mod:`verichaos.smooth.newton`) shrinks J around
x*, and J, ⊇f(J), ⊇f²(J) enclose its orbit. Each orbit is listed once, from
the leaf of its smallest point (the one whose images both lie strictly above
it). When every leaf is decided the list is complete; otherwise the orbits
found are listed and the undecided pieces counted: more may hide there.
"""

from __future__ import annotations

from dataclasses import dataclass

from verichaos.network import Network
from verichaos.rational import Q
from verichaos.smooth.cover import DEFAULT_BUDGET, cover
from verichaos.smooth.enclosure import SmoothMap
from verichaos.smooth.newton import orbit_enclosure, refine
from verichaos.smooth.trapping import tiled_interval

__all__ = ["Period3Orbits", "period3_orbits"]

Interval = tuple[Q, Q]


@dataclass(frozen=True)
class Period3Orbits:
    """The enclosed orbits, smallest point first, and what is left undecided."""

    orbits: tuple[tuple[Interval, Interval, Interval], ...]
    reason: str | None  # why the list may be incomplete; None when it is complete

    @property
    def complete(self) -> bool:
        return self.reason is None


def period3_orbits(network: Network, *, budget: int = DEFAULT_BUDGET) -> Period3Orbits:
    """Every period-3 orbit of f, enclosed (module docstring)."""
    f = SmoothMap(network)
    leaves = cover(f, *tiled_interval(network), budget=budget)
    orbits = []
    for leaf in leaves.leaves("period-3"):
        first, second, third = orbit_enclosure(f, *refine(f, *leaf))
        if second[0] > first[1] and third[0] > first[1]:
            orbits.append((first, second, third))
    if leaves.complete and not leaves.undecided:
        reason = None
    elif leaves.undecided:
        reason = f"{leaves.undecided[0][2]} ({len(leaves.undecided)} undecided pieces)"
    else:
        reason = f"the budget of {budget} pieces is spent"
    return Period3Orbits(tuple(sorted(orbits)), reason)
