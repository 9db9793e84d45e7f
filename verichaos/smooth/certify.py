"""Interval certificates for smooth networks: the decision and the document.

``certify_smooth(network)`` decides whether f has a point of minimal period 3
with enclosures, and writes the interval certificate of docs/certificates.md
("Interval certificates") or returns :class:`Undecided` with its reason:

1. the fast path: a float grid proposes Li–Yorke points, each confirmed by
   enclosures (:func:`verichaos.smooth.witness.from_grid`);
2. the cover of the trapping interval (:mod:`verichaos.smooth.cover`), which
   stops at the first period-3 leaf; that leaf is refined by interval Newton
   and a Li–Yorke witness is sought next to the orbit it encloses;
3. a cover made of ``empty`` and ``fixed`` leaves only is the negative
   certificate; a cover stopped by its budget raises
   :class:`~verichaos.budget.PiecesExceeded` (exit 6 on the command line);
   anything else (an undecided leaf, a period-3 point without a witness)
   raises :class:`~verichaos.certificate.Undecided` with the reason, and there
   is no certificate: never a guess.

The certificate binds the network by the sha256 of its canonical serialization,
as the exact certificates do (:mod:`verichaos.certificate`).
"""

from __future__ import annotations

import time
from typing import Any

from verichaos import __version__
from verichaos.budget import PiecesExceeded
from verichaos.certificate import FORMAT, VERSION, Certificate, Undecided, certify, consequences, statement
from verichaos.network import Network
from verichaos.rational import canonical
from verichaos.smooth.cover import DEFAULT_BUDGET, cover
from verichaos.smooth.enclosure import SmoothMap
from verichaos.smooth.newton import orbit_enclosure, refine
from verichaos.smooth.trapping import tiled_interval, trapping_interval
from verichaos.smooth.witness import from_grid, near_orbit

__all__ = ["KIND", "Undecided", "IntervalCertificate", "certify_smooth", "certify_network"]

KIND = "interval"


class IntervalCertificate(Certificate):
    """A certificate whose witness or proof is of the interval kind."""

    @property
    def summary(self) -> str:
        doc = self.document
        digest = doc["network_sha256"][:16]
        if self.has_period3:
            ly = doc["witness"]["li_yorke"]
            return f"PERIOD 3: {doc['statement']}; Li-Yorke point a = {ly['a']}, case {ly['case']}, proved by enclosures (network {digest})"
        pieces = len(doc["proof"]["depths"])
        return f"NO PERIOD 3: {doc['statement']}; {pieces} pieces checked by enclosures (network {digest})"


def certify_smooth(network: Network, *, budget: int = DEFAULT_BUDGET) -> IntervalCertificate:
    """The interval certificate of the answer; :class:`Undecided` when there is none (module docstring)."""
    started = time.perf_counter()
    f = SmoothMap(network)
    lo, hi = trapping_interval(network)
    witness, pieces = from_grid(f, lo, hi), 0
    if witness is None:
        leaves = cover(f, *tiled_interval(network), budget=budget, stop_at_period3=True)
        pieces = leaves.pieces
        found = leaves.leaves("period-3")
        if found:
            orbit = orbit_enclosure(f, *refine(f, *found[0]))
            witness = near_orbit(f, orbit, max(hi - lo, 1))
            if witness is None:
                where = f"[{float(orbit[0][0]):.17g}, {float(orbit[0][1]):.17g}]"  # float ok: a message
                raise Undecided(f"a period-3 point is enclosed in {where}, but no Li-Yorke witness was found next to its orbit")
        elif leaves.exhausted:
            raise PiecesExceeded(f"the cover of the trapping interval needs more than {budget} pieces (--max-pieces)")
        elif not leaves.proves_no_period3:
            raise Undecided(leaves.undecided[0][2] + f" ({len(leaves.undecided)} undecided pieces)")
    decided = time.perf_counter()
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "network": network.to_json(),
        "network_sha256": network.sha256,
    }
    if witness is not None:
        a, case = witness
        document.update(claim="period-3", statement=statement("period-3"), consequences=consequences("period-3"),
                        witness={"kind": KIND, "li_yorke": {"a": canonical(a), "case": case}})
    else:
        document.update(claim="no-period-3", statement=statement("no-period-3"), consequences=consequences("no-period-3"),
                        proof={"kind": KIND, "trapping": [canonical(lo), canonical(hi)], "depths": leaves.depths})
    document["tool"] = {"name": "verichaos", "version": __version__}
    document["statistics"] = {
        "pieces_examined": pieces,
        "decide_seconds": round(decided - started, 6),
        "write_seconds": round(time.perf_counter() - decided, 6),
    }
    return IntervalCertificate(document)


def certify_network(network: Network, *, claim: str = "period-3", budget: int = DEFAULT_BUDGET) -> Certificate:
    """The exact certificate of ``claim`` for a piecewise-linear net; for a smooth net the interval
    certificate of period 3 (the only claim it has). :class:`Undecided` when there is none."""
    if network.is_piecewise_linear:
        return certify(network, claim=claim)
    if claim != "period-3":
        raise ValueError(f"claim {claim!r}: a smooth network has interval certificates of period 3 only")
    return certify_smooth(network, budget=budget)
