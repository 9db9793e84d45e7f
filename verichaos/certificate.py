"""Writing certificates: the proof producer.

``certify(network, claim=...)`` decides a claim exactly and returns a
certificate in the format of ``docs/certificates.md``, with the hints that
make checking local. Claims: ``"period-N"`` (N >= 1; ``"period-3"`` is the
default) and ``"chaos"``.

* **period N**: one exact orbit of minimal period N, listed from its smallest
  point (for N = 3 with its Li–Yorke point), N network evaluations to check;
* **no period N**: the trapping chain I₁ ⊇ I₂ ⊇ … ⊇ I_m (each step cut where some
  neuron crosses a threshold of its activation, so f is affine on each cut
  piece and the image is the hull of the piece ends), then a partition of I_m
  at Z ∪ f⁻¹(Z) ∪ … ∪ f^−(N−1)(Z), where Z is the set of those crossing points
  and f⁻ⁿ keeps only the points where fⁿ crosses a point of Z (see
  :func:`verichaos.pwl.crossings`). Every cut is thereby justified: some
  neuron sits exactly on a threshold at c, f(c), …, or f^(N−1)(c). On each
  piece J no neuron changes piece on J, f(J), …, f^(N−1)(J), so f^N is affine
  on J and the checker solves f^N(x) = x there;
* **chaos** (:func:`verichaos.dynamics.entropy.decide_chaos`): positive
  entropy, an orbit of minimal period m not a power of 2 and a Collatz–Wielandt
  hint for its Markov graph (:func:`markov_hint`); zero entropy, an orbit of
  minimal period 2^K and the proof of no period 2^(K+1); undecided raises
  :class:`Undecided` and writes nothing.

This module never checks its own output; :mod:`verichaos.checker` does that,
independently.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verichaos import __version__
from verichaos.dynamics.orbits import find_orbit
from verichaos.dynamics.period3 import CONSEQUENCES, li_yorke_witness
from verichaos.dynamics.sharkovsky import forced_periods_text
from verichaos.dynamics.trapping import chain_end, trapping_chain
from verichaos.network import Network
from verichaos.pwl import Bound, PiecewiseLinear, crossings, from_network, pattern_breakpoints
from verichaos.rational import Q, canonical

__all__ = ["FORMAT", "VERSION", "Certificate", "Undecided", "certify", "valid_claim", "statement", "consequences", "markov_hint"]

FORMAT = "verichaos-certificate"
VERSION = 1
MAX_PERIOD = 256
"""The largest N of a period-N claim the checker accepts (its reader's MAX_PERIOD)."""
MAX_HINT_STEPS = 64
"""The most steps of a Markov hint the checker accepts (its reader's MAX_STEPS)."""
HINT_STEPS = 16
"""Steps a Markov hint takes once its ratio exceeds 1: r is then within a small fraction of λ."""
ZERO_ENTROPY = "the topological entropy of f is 0 (Misiurewicz 1979; Block and Coppel 1992)"
LI_YORKE = "f has an uncountable scrambled set: f is Li-Yorke chaotic (Block and Coppel 1992)"
CLAIM = re.compile(r"period-([1-9][0-9]*)|chaos")


def valid_claim(claim: str) -> bool:
    """Whether ``certify`` takes this claim: "chaos", or "period-N" with 1 <= N <= MAX_PERIOD."""
    found = CLAIM.fullmatch(claim)
    return bool(found) and (claim == "chaos" or int(found[1]) <= MAX_PERIOD)


class Undecided(Exception):
    """The claim cannot be decided for this network (the reason is the message); no certificate."""


def _is_power_of_two(n: int) -> bool:
    return n & (n - 1) == 0


def statement(claim: str) -> str:
    """The statement of a certificate's claim (docs/certificates.md)."""
    if claim.endswith("entropy"):
        return f"f has {claim.split('-')[0]} topological entropy"
    negative, n = claim.startswith("no-"), claim.rsplit("-", 1)[1]
    return f"f has {'no' if negative else 'a'} point of minimal period {n}"


def _periods(m: int, entropy: str = "is positive (Misiurewicz 1979; Block and Coppel 1992)") -> list[str]:
    """What a point of minimal period m gives: Sharkovsky's forced periods, and chaos when m is no power of 2."""
    forced = [f"f has periodic points of {forced_periods_text(m)} (Sharkovsky 1964)"]
    return forced if _is_power_of_two(m) else [*forced, LI_YORKE, f"the topological entropy of f {entropy}"]


def _only_powers(n: int) -> list[str]:
    """What no point of minimal period n = 2^(K+1) gives: the periods are among 1, ..., 2^K, and h(f) = 0."""
    if n == 1:
        return ["f has no periodic point", ZERO_ENTROPY]
    return [f"every period of f is one of {forced_periods_text(n // 2).removeprefix('the periods ')} "
            "(Sharkovsky 1964)", ZERO_ENTROPY]


def consequences(claim: str, orbit_length: int = 0, ratio: Q | None = None) -> list[str]:
    """The consequences of a claim; for the entropy claims, of its witness orbit (and Markov ratio)."""
    if claim == "positive-entropy":
        return _periods(orbit_length, f"is at least log({canonical(ratio)}) "
                                      "(Block, Guckenheimer, Misiurewicz and Young 1980)")
    if claim == "zero-entropy":
        return _only_powers(2 * orbit_length or 1)
    n = int(claim.rsplit("-", 1)[1])
    if claim.startswith("no-"):
        return _only_powers(n) if _is_power_of_two(n) else []
    return list(CONSEQUENCES) if n == 3 else _periods(n)


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

    def save(self, path: str | Path) -> None:
        """Write the certificate as JSON to ``path``, atomically (whole or not at all)."""
        from verichaos.output import write_text_atomic

        write_text_atomic(path, json.dumps(self.document, indent=1) + "\n")

    @property
    def summary(self) -> str:
        """One line for people."""
        doc = self.document
        digest = doc["network_sha256"][:16]
        found = [f"orbit {' -> '.join(doc['witness']['orbit'])}"] if doc.get("witness", {}).get("orbit") else []
        if "proof" in doc:
            pieces = len(doc["proof"]["cuts"]) + 1
            found.append(f"{pieces} {'piece' if pieces == 1 else 'pieces'} checked")
        if "markov" in doc.get("witness", {}):
            found.append(f"h(f) >= log({doc['witness']['markov']['ratio']})")
        return f"{self.claim.upper().replace('-', ' ')}: {doc['statement']}; {'; '.join(found)} (network {digest})"


def _bound(x: Bound) -> str | None:
    return None if x is None else canonical(x)


def _strictly_inside(points: Iterable[Q], lo: Bound, hi: Bound) -> list[str]:
    return [canonical(x) for x in sorted(set(points)) if (lo is None or lo < x) and (hi is None or x < hi)]


def _negative_proof(
    f: PiecewiseLinear, chain: list[tuple[Bound, Bound]], pattern: Sequence[Q], period: int = 3
) -> dict[str, Any]:
    """The proof of no point of minimal period ``period``: the chain, and the final cuts at the
    pattern points and their pull-backs by f, ..., f^(period - 1) inside I_m."""
    steps, previous = [], (None, None)
    for bound in chain:
        steps.append({"cuts": _strictly_inside(pattern, *previous), "bound": [_bound(bound[0]), _bound(bound[1])]})
        previous = bound
    cuts, targets = set(pattern), sorted(set(pattern))
    for n in range(1, period):
        cuts.update(crossings(f.iterate(n, within=previous), targets))
    return {"chain": steps, "cuts": _strictly_inside(cuts, *previous)}


def _orbit(points: Sequence[Q]) -> list[str]:
    return [canonical(x) for x in points]


def _reachable(matrix: Sequence[Sequence[int]], start: int, forward: bool) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        i = todo.pop()
        for j in range(len(matrix)):
            if (matrix[i][j] if forward else matrix[j][i]) and j not in seen:
                seen.add(j)
                todo.append(j)
    return seen


def markov_hint(matrix: Sequence[Sequence[int]], start: int) -> tuple[int, Q]:
    """(t, r): the Collatz–Wielandt bound r ≤ λ(M) of the strongly connected class S of interval
    ``start`` (docs/certificates.md): v = (I + M_S)^t·1 and r = min over S of (M_S v)_i / v_i,
    t the first step at which that minimum reaches its value after :data:`HINT_STEPS` steps past
    the first ratio above 1 (the ratios never decrease). ``start`` must be the smallest index of S."""
    members = sorted(_reachable(matrix, start, True) & _reachable(matrix, start, False))
    vector, ratios = [1] * len(members), []
    while len(ratios) <= MAX_HINT_STEPS:
        image = [sum(matrix[i][j] * v for j, v in zip(members, vector)) for i in members]
        ratios.append(min(Q(w, v) for w, v in zip(image, vector)))
        over = [t for t, r in enumerate(ratios) if r > 1]
        if over and len(ratios) > min(over[0] + HINT_STEPS, MAX_HINT_STEPS):
            break
        vector = [v + w for v, w in zip(vector, image)]
    if ratios[-1] <= 1:
        raise Undecided(f"no Collatz-Wielandt ratio above 1 in {MAX_HINT_STEPS} steps for the Markov graph")
    return ratios.index(ratios[-1]), ratios[-1]


def _positive_entropy(verdict: Any) -> tuple[dict[str, Any], Q]:
    """The positive-entropy witness: the orbit, and the hint of the Markov class with the best ratio."""
    matrix, hints = verdict.markov.matrix, []
    for start in range(len(matrix)):
        members = _reachable(matrix, start, True) & _reachable(matrix, start, False)
        if min(members) == start and any(sum(matrix[i][j] for j in members) > 1 for i in members):
            hints.append((*markov_hint(matrix, start), start))  # a class that is not a cycle: λ > 1
    if not hints:  # never for a period that is not a power of 2 (BGMY 1980): a bug upstream, not a guess
        raise Undecided("the Markov graph of the orbit has no class with spectral radius above 1")
    steps, ratio, start = max(hints, key=lambda hint: (hint[1], -hint[2]))
    return {"orbit": _orbit(verdict.orbit.points),
            "markov": {"interval": start, "steps": steps, "ratio": canonical(ratio)}}, ratio


def _decide(f: PiecewiseLinear, network: Network, claim: str, chain: list[tuple[Bound, Bound]]) -> dict[str, Any]:
    """The claim, witness and proof of a certificate."""
    if claim == "chaos":
        from verichaos.dynamics import entropy  # flint and sympy are slow to import: only for this claim

        verdict = entropy.decide_chaos(f, core=chain_end(chain))
        if verdict.chaos == "undecided":
            raise Undecided(verdict.reason)
        if verdict.chaos == "positive":
            witness, ratio = _positive_entropy(verdict)
            return {"claim": "positive-entropy", "witness": witness, "ratio": ratio}
        points = verdict.power_orbit.points if verdict.power_orbit is not None else ()
        return {"claim": "zero-entropy", "witness": {"orbit": _orbit(points)},
                "proof": _negative_proof(f, chain, pattern_breakpoints(network), 2 * len(points) or 1)}
    n = int(claim.removeprefix("period-"))
    orbit = find_orbit(f, n, chain_end(chain))
    if orbit is None:
        return {"claim": f"no-period-{n}", "proof": _negative_proof(f, chain, pattern_breakpoints(network), n)}
    witness: dict[str, Any] = {"orbit": _orbit(orbit.points)}
    if n == 3:
        li_yorke = li_yorke_witness(f, orbit)
        witness["li_yorke"] = {"a": canonical(li_yorke.a), "case": li_yorke.case}
    return {"claim": claim, "witness": witness}


def certify(network: Network, f: PiecewiseLinear | None = None, claim: str = "period-3") -> Certificate:
    """Decide ``claim`` ("period-N" for N >= 1, or "chaos") exactly and write the certificate for
    the answer; :class:`Undecided` when the entropy decision is undecided."""
    if not valid_claim(claim):
        raise ValueError(f"unknown claim {claim!r}: expected 'period-N' (1 <= N <= {MAX_PERIOD}) or 'chaos'")
    started = time.perf_counter()
    f = f if f is not None else from_network(network)
    chain = trapping_chain(f)  # shared: the decision searches inside it, a negative proof writes it out
    parts = _decide(f, network, claim, chain)
    decided = time.perf_counter()
    claim, ratio = parts.pop("claim"), parts.pop("ratio", None)
    orbit_length = len(parts.get("witness", {}).get("orbit", ()))
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "network": network.to_json(),
        "network_sha256": network.sha256,
        "claim": claim,
        "statement": statement(claim),
        "consequences": consequences(claim, orbit_length, ratio),
        **parts,
    }
    document["tool"] = {"name": "verichaos", "version": __version__}
    document["statistics"] = {
        "breakpoints_of_f": len(f.breakpoints),
        "decide_seconds": round(decided - started, 6),
        "write_seconds": round(time.perf_counter() - decided, 6),
    }
    return Certificate(document)
