"""Writing certificates: the proof producer.

``certify(network)`` decides exactly whether f has a point of minimal period 3
and returns a certificate in the format of ``docs/certificates.md``, with the
hints that make checking local:

* **positive**: one exact period-3 orbit and its Li–Yorke point, six network
  evaluations to check;
* **negative**: the trapping chain I₁ ⊇ I₂ ⊇ … ⊇ I_m (each step cut where some
  neuron crosses a threshold of its activation, so f is affine on each cut
  piece and the image is the hull of the piece ends), then a partition of I_m
  at Z ∪ f⁻¹(Z) ∪ f⁻²(Z), where Z is the set of those crossing points and
  f⁻¹ keeps only the points where f crosses a point of Z (see
  :func:`verichaos.pwl.crossings`). Every cut is thereby justified: some neuron
  sits exactly on a threshold at c, f(c) or f²(c).
  On each piece J of that partition no neuron changes piece on J, f(J) or
  f²(J), so f³ is affine on J and the checker solves f³(x) = x there.

This module never checks its own output; :mod:`verichaos.checker` does that,
independently.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from verichaos import __version__
from verichaos.dynamics.period3 import CONSEQUENCES, find_period3_orbit, li_yorke_witness
from verichaos.dynamics.trapping import chain_end, trapping_chain
from verichaos.network import Network
from verichaos.pwl import Bound, PiecewiseLinear, crossings, from_network, pattern_breakpoints
from verichaos.rational import Q, canonical

__all__ = ["FORMAT", "VERSION", "STATEMENTS", "Certificate", "certify"]

FORMAT = "verichaos-certificate"
VERSION = 1
STATEMENTS = {
    "period-3": "f has a point of minimal period 3",
    "no-period-3": "f has no point of minimal period 3",
}


@dataclass(frozen=True)
class Certificate:
    """A certificate document and the decision it records."""

    document: dict[str, Any]

    @property
    def claim(self) -> str:
        return self.document["claim"]

    @property
    def has_period3(self) -> bool:
        return self.claim == "period-3"

    @property
    def summary(self) -> str:
        """One line for people."""
        doc = self.document
        digest = doc["network_sha256"][:16]
        if self.has_period3:
            orbit = " -> ".join(doc["witness"]["orbit"])
            return f"PERIOD 3: {doc['statement']}; orbit {orbit} (network {digest})"
        pieces = len(doc["proof"]["cuts"]) + 1
        noun = "piece" if pieces == 1 else "pieces"
        return f"NO PERIOD 3: {doc['statement']}; {pieces} {noun} checked (network {digest})"


def _bound(x: Bound) -> str | None:
    return None if x is None else canonical(x)


def _strictly_inside(points: Iterable[Q], lo: Bound, hi: Bound) -> list[str]:
    return [canonical(x) for x in sorted(set(points)) if (lo is None or lo < x) and (hi is None or x < hi)]


def _negative_proof(f: PiecewiseLinear, chain: list[tuple[Bound, Bound]], pattern: Sequence[Q]) -> dict[str, Any]:
    steps, previous = [], (None, None)
    for bound in chain:
        steps.append({"cuts": _strictly_inside(pattern, *previous), "bound": [_bound(bound[0]), _bound(bound[1])]})
        previous = bound
    lo, hi = previous
    once = f.restricted(lo, hi)
    twice = f.iterate(2, within=(lo, hi))
    cuts = set(pattern) | set(crossings(once, pattern)) | set(crossings(twice, pattern))
    return {"chain": steps, "cuts": _strictly_inside(cuts, lo, hi)}


def certify(network: Network, f: PiecewiseLinear | None = None) -> Certificate:
    """Decide period 3 exactly and write the certificate for the answer."""
    started = time.perf_counter()
    f = f if f is not None else from_network(network)
    chain = trapping_chain(f)  # shared: the decision searches inside it, a negative proof writes it out
    orbit = find_period3_orbit(f, chain_end(chain))
    decided = time.perf_counter()
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "network": network.to_json(),
        "network_sha256": network.sha256,
    }
    if orbit is not None:
        witness = li_yorke_witness(f, orbit)
        document.update(
            claim="period-3",
            statement=STATEMENTS["period-3"],
            consequences=list(CONSEQUENCES),
            witness={
                "orbit": [canonical(x) for x in orbit.points],
                "li_yorke": {"a": canonical(witness.a), "case": witness.case},
            },
        )
    else:
        document.update(
            claim="no-period-3",
            statement=STATEMENTS["no-period-3"],
            consequences=[],
            proof=_negative_proof(f, chain, pattern_breakpoints(network)),
        )
    document["tool"] = {"name": "verichaos", "version": __version__}
    document["statistics"] = {
        "breakpoints_of_f": len(f.breakpoints),
        "decide_seconds": round(decided - started, 6),
        "write_seconds": round(time.perf_counter() - decided, 6),
    }
    return Certificate(document)
