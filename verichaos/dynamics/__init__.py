"""Dynamics of exact piecewise-linear maps: trapping chains, periodic orbits,
period three with its Li–Yorke witness, Sharkovsky's order, and (imported
from their modules, which load sympy and python-flint) chaos decided by
entropy (:mod:`~verichaos.dynamics.entropy`), Markov bounds
(:mod:`~verichaos.dynamics.markov`) and sets of periods
(:mod:`~verichaos.dynamics.periods`).

One algorithm per module; each docstring states the mathematics."""

from verichaos.dynamics.orbits import Orbit, OrbitFamily, PeriodicOrbits, find_orbit, minimal_period, periodic_orbits
from verichaos.dynamics.period3 import (
    CONSEQUENCES,
    LiYorkeWitness,
    find_period3_orbit,
    has_period3,
    li_yorke_witness,
    period3_orbits,
)
from verichaos.dynamics.sharkovsky import forces, sharkovsky_key
from verichaos.dynamics.trapping import core_interval, trapping_chain

__all__ = [
    "CONSEQUENCES",
    "LiYorkeWitness",
    "Orbit",
    "OrbitFamily",
    "PeriodicOrbits",
    "core_interval",
    "find_orbit",
    "find_period3_orbit",
    "forces",
    "has_period3",
    "li_yorke_witness",
    "minimal_period",
    "period3_orbits",
    "periodic_orbits",
    "sharkovsky_key",
    "trapping_chain",
]
