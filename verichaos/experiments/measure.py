"""What is recorded for every sampled network: exact columns, grid verdicts, certificates.

Exact columns, decided with rationals only (:mod:`verichaos.pwl`,
:mod:`verichaos.dynamics`):

* ``chaos``: ``"positive"``, ``"zero"`` or ``"undecided"``, the verdict of
  :func:`~verichaos.dynamics.entropy.decide_chaos` with its defaults
  (``max_doublings`` = 6, ``max_pieces`` = 20,000 for every fⁿ with n ≥ 3
  that the loop composes; both are part of the record's definition, since
  they decide when it says ``"undecided"``).
  ``"positive"``: f has a point of minimal period 3·2^K for some K ≥ 0, so
  h(f) > 0 and f is Li–Yorke chaotic. ``"zero"``: f has no point of minimal
  period 2^(K+1) for some K, so its periods are exactly {1, 2, …, 2^K} (or
  none) and h(f) = 0. ``"undecided"``: the loop reached K = 6 or the budget
  (its maps are at the period-doubling boundary, or f^n grew too large).
* ``largest_power_of_two_period``: an integer or null. ``"zero"``: 2^K, the
  largest period (0 when f has no periodic point). ``"positive"``: null,
  because every power of 2 is then a period. ``"undecided"``: the largest
  power of 2 shown to be a period (a lower bound).
* ``period3``: f has a point of minimal period 3; ``orbit`` is one such orbit
  (the first :func:`~verichaos.dynamics.orbits.find_orbit` finds), in
  canonical spelling.
* ``period2``: f has a point of minimal period 2.

``period3`` and ``period2`` are read off the chaos verdict's searches when
they settle them (a net without period 2 has no period 3, by Sharkovsky),
and searched for without a budget otherwise, so they are exact for every net.
* ``fixed_points``: the number of connected components of {x : f(x) = x} on
  ℝ: each isolated fixed point counts 1 and each maximal interval of fixed
  points counts 1; ``fixed_intervals`` says how many of them are intervals.
* ``lap_f3``: the lap number (maximal monotone pieces, constant stretches
  joined to a neighbour) of f³ on the core interval I of the trapping chain
  (:func:`core_interval`): the last of the nested images I₁ = f(ℝ) ⊇ I₂ = f(I₁) ⊇ …,
  which f maps into itself and which holds every periodic point. It is
  taken on ℝ when I = ℝ, and is 1 when I is a single point.

Grid verdicts (:mod:`verichaos.experiments.grid`, float64, windows W = 1, 2):
``grid_published_w1``/``_w2`` (the notebooks' test, f⁴) and
``grid_corrected_w1``/``_w2`` (the same with f³), with the raw sign-change
counts in ``grid_counts``.

For every network with ``period3`` the chunk also returns its certificate
(:func:`verichaos.certificate.certify`), re-checkable with ``verichaos check``;
the runner writes it to ``certificates/trial-<index>.cert.json`` and
``certificate`` names that file. Records never hold timings, so the same
trial always gives the same record.

>>> from verichaos.experiments.families import builtin_family
>>> [record], certificates = measure_chunk(Chunk(builtin_family("row1"), 2, 7, (3,)))
>>> record["index"], record["chaos"], record["largest_power_of_two_period"], record["period3"], record["certificate"]
(3, 'zero', 1, False, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from verichaos.certificate import certify
from verichaos.dynamics import core_interval, find_period3_orbit, periodic_orbits
from verichaos.dynamics.entropy import decide_chaos
from verichaos.dynamics.periods import period_set
from verichaos.experiments.families import Family
from verichaos.experiments.grid import WINDOWS, sign_change_counts, verdicts
from verichaos.experiments.filter import lap_f3_of, prove, proved_columns
from verichaos.experiments.sampling import exact_network, network_sha256, provenance, sample_chunk
from verichaos.network import Network
from verichaos.pwl import from_network
from verichaos.rational import canonical

__all__ = ["BOOLEAN_COLUMNS", "COUNT_COLUMNS", "CHAOS_COLUMN", "Chunk", "exact_columns", "certificate_name", "grid_columns", "measure_chunk", "with_certificate"]

BOOLEAN_COLUMNS = {
    "period3": "exact: period 3",
    "period2": "exact: minimal period 2",
    "grid_published_w1": "grid as published (f^4), W=1",
    "grid_published_w2": "grid as published (f^4), W=2",
    "grid_corrected_w1": "grid corrected (f^3), W=1",
    "grid_corrected_w2": "grid corrected (f^3), W=2",
}
"""Yes/no columns of a record, with their table headings."""

CHAOS_COLUMN = "chaos"
"""The three-valued column (:data:`~verichaos.dynamics.entropy.CHAOS_VALUES`)."""

COUNT_COLUMNS = {
    "fixed_points": "exact: fixed points (an interval counts 1)",
    "lap_f3": "exact: lap number of f^3 on the core",
}
"""Integer columns of a record, with their table headings."""


@dataclass(frozen=True)
class Chunk:
    """A unit of work: some trial indices of one run."""

    family: Family
    width: int
    seed: int
    indices: tuple[int, ...]


def certificate_name(index: int) -> str:
    return f"certificates/trial-{index:08d}.cert.json"


def exact_columns(net: Network) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The exact columns of one network, and its certificate document when it has period 3."""
    f = from_network(net)
    core = core_interval(f)
    verdict = decide_chaos(f, core=core)
    periods = period_set(f, verdict, max_period=0)
    period2, period3 = periods.contains(2), periods.contains(3)
    if period3 is None:
        orbit = find_period3_orbit(f, core)
    else:
        orbit = verdict.orbit if period3 else None  # only the positive verdict at K = 0 has period 3
    fixed = f.fixed_points()
    columns = {
        "chaos": verdict.chaos,
        "largest_power_of_two_period": verdict.largest_power_of_two_period,
        "period3": orbit is not None,
        "period2": bool(periodic_orbits(f, 2, core)) if period2 is None else period2,
        "fixed_points": len(fixed),
        "fixed_intervals": len(fixed.intervals),
        "lap_f3": f.iterate(3, within=core).lap_number(*core),
        "orbit": None if orbit is None else [canonical(x) for x in orbit.points],
    }
    return columns, None if orbit is None else certify(net, f).document


def grid_columns(counts: dict[str, Any], row: int) -> dict[str, Any]:
    """The grid verdicts of net ``row`` of a batch's :func:`~verichaos.experiments.grid.sign_change_counts`, and its raw counts."""
    columns: dict[str, Any] = {}
    for window in WINDOWS:
        published, corrected = verdicts(counts[window][row].tolist())
        columns[f"grid_published_{window}"] = published
        columns[f"grid_corrected_{window}"] = corrected
    columns["grid_counts"] = {window: counts[window][row].tolist() for window in WINDOWS}
    return columns


def measure_chunk(chunk: Chunk) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Records of the chunk's trials, in index order, and the certificates to write, by file name."""
    family, activations = chunk.family, [spec.activation for spec in chunk.family.layers]
    arrays = sample_chunk(family, chunk.width, chunk.seed, chunk.indices)
    counts = sign_change_counts(arrays, activations)
    proof = prove(arrays, activations)  # rigorous interval bounds: most nets need no rationals at all
    records, certificates = [], {}
    for row, (index, sample) in enumerate(zip(chunk.indices, arrays)):
        columns, certificate = proved_columns(proof, row, lambda: lap_f3_of(exact_network(family, sample))), None
        if columns is None:
            net = exact_network(family, sample, provenance(family, chunk.width, chunk.seed, index))
            columns, certificate = exact_columns(net)
            sha256 = net.sha256
        else:  # the filter proved no period 2, which settles the chaos fields too (see proved_columns)
            sha256 = network_sha256(family, sample)
        record: dict[str, Any] = {"index": index, "network_sha256": sha256, **columns, **grid_columns(counts, row)}
        records.append(with_certificate(record, certificate, certificates))
    return records, certificates


def with_certificate(record: dict[str, Any], certificate: dict[str, Any] | None, certificates: dict[str, Any]) -> dict[str, Any]:
    """The record with its last field, ``certificate``: the file name of its certificate, which joins
    ``certificates``, or None."""
    record["certificate"] = None if certificate is None else certificate_name(record["index"])
    if certificate is not None:
        certificates[record["certificate"]] = certificate
    return record
