"""What is recorded for a sampled smooth (tanh, sigmoid) network: a rigorous period-3 verdict and the grid.

A net with a smooth layer is not piecewise linear, so it has none of the
exact columns of :mod:`verichaos.experiments.measure` (chaos, period 2,
fixed points, lap numbers): its record does not carry them, rather than
carry a value it does not have. It carries instead

* ``period3_interval``: ``"yes"``, ``"no"`` or ``"undecided"``, the verdict of
  :func:`verichaos.smooth.certify_smooth` (docs/smooth.md) with its default
  piece budget. ``"yes"``: enclosures prove the Li–Yorke inequalities
  f³(a) < a < f(a) < f²(a) (or the mirror) at a rational a, so f has a point
  of period 3. ``"no"``: a cover of the trapping interval proves that every
  zero of f³(x) − x is a fixed point of f. ``"undecided"``: neither could be
  proved (a tangency, a period-3 point without a witness, or more pieces than
  the budget); ``undecided_reason`` says which, and is null otherwise. Never
  a guess: an undecided net counts neither way.
* the grid columns, exactly as for piecewise-linear nets
  (:func:`~verichaos.experiments.measure.grid_columns`: the notebooks' f⁴ test
  and the corrected f³ test, in float64 with ``np.tanh``, as the notebooks ran
  them), and ``grid_counts``;
* ``certificate``: for a ``"yes"`` net, its interval certificate
  (``certificates/trial-<index>.cert.json``, re-checked by ``verichaos check``
  with its own rational enclosures), as exact records name theirs; null
  otherwise (``verichaos experiment net ... | verichaos certify -`` rebuilds the
  certificate of a ``"no"``).

The verdict depends only on the net: no deadline, no timing. (The certifier's
fast path proposes Li–Yorke points from a float grid and proves each; a
different libm could, rarely, turn a ``"yes"`` found that way into
``"undecided"`` on another machine, never into ``"no"``.)

:func:`valid_smooth_record` is the results file's test of such a record
(:mod:`verichaos.experiments.results`); the summaries are in
:mod:`verichaos.experiments.smooth_summary`.

>>> from verichaos.experiments.families import builtin_family
>>> [record], certificates = measure_smooth_chunk(Chunk(builtin_family("row2-tanh"), 4, 20221005, (0,)))
>>> record["period3_interval"], record["undecided_reason"], record["grid_published_w1"], "chaos" in record
('no', None, False, False)
"""

from __future__ import annotations

from typing import Any

from verichaos.budget import PiecesExceeded
from verichaos.experiments.grid import sign_change_counts
from verichaos.experiments.measure import BOOLEAN_COLUMNS, CHAOS_COLUMN, COUNT_COLUMNS, Chunk, grid_columns, with_certificate
from verichaos.experiments.sampling import exact_network, provenance, sample_chunk
from verichaos.network import Network
from verichaos.smooth import Undecided, certify_smooth

__all__ = [
    "VERDICT_COLUMN",
    "VERDICTS",
    "GRID_COLUMNS",
    "SMOOTH_REQUIRED",
    "SMOOTH_CSV_COLUMNS",
    "EXACT_ONLY",
    "rigorous_period3",
    "measure_smooth_chunk",
    "is_smooth_record",
    "valid_smooth_record",
]

VERDICT_COLUMN = "period3_interval"
VERDICTS = ("yes", "no", "undecided")

GRID_COLUMNS = tuple(name for name in BOOLEAN_COLUMNS if name.startswith("grid_"))
SMOOTH_REQUIRED = ("index", "network_sha256", VERDICT_COLUMN, "undecided_reason", *GRID_COLUMNS, "grid_counts", "certificate")
SMOOTH_CSV_COLUMNS = tuple(name for name in SMOOTH_REQUIRED if name != "grid_counts")
EXACT_ONLY = tuple(name for name in (CHAOS_COLUMN, "largest_power_of_two_period", *BOOLEAN_COLUMNS, *COUNT_COLUMNS, "fixed_intervals", "orbit")
                   if name not in GRID_COLUMNS)
"""Fields a smooth record must not have: each would claim an exact value."""


def rigorous_period3(net: Network) -> tuple[str, str | None, dict[str, Any] | None]:
    """(verdict, why undecided or None, the certificate document of a ``"yes"`` or None)."""
    try:
        certificate = certify_smooth(net)
    except (Undecided, PiecesExceeded) as error:
        return "undecided", str(error), None
    verdict = "yes" if certificate.has_period3 else "no"
    return verdict, None, certificate.document if verdict == "yes" else None


def measure_smooth_chunk(chunk: Chunk) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Records of the chunk's trials, in index order, and the certificates to write, by file name."""
    family, activations = chunk.family, [spec.activation for spec in chunk.family.layers]
    arrays = sample_chunk(family, chunk.width, chunk.seed, chunk.indices)
    counts = sign_change_counts(arrays, activations)
    records, certificates = [], {}
    for row, (index, sample) in enumerate(zip(chunk.indices, arrays)):
        net = exact_network(family, sample, provenance(family, chunk.width, chunk.seed, index))
        verdict, reason, certificate = rigorous_period3(net)
        record: dict[str, Any] = {"index": index, "network_sha256": net.sha256, VERDICT_COLUMN: verdict, "undecided_reason": reason}
        record.update(grid_columns(counts, row))
        records.append(with_certificate(record, certificate, certificates))
    return records, certificates


def is_smooth_record(record: object) -> bool:
    """Whether a parsed results line is a smooth net's record (it has the verdict field)."""
    return isinstance(record, dict) and VERDICT_COLUMN in record


def valid_smooth_record(record: dict[str, Any]) -> bool:
    """A complete smooth record: every field, of its type, and none of the exact-only ones."""
    reason = record.get("undecided_reason")
    return (
        all(key in record for key in SMOOTH_REQUIRED)
        and not any(key in record for key in EXACT_ONLY)
        and isinstance(record["index"], int)
        and not isinstance(record["index"], bool)
        and record["index"] >= 0
        and record[VERDICT_COLUMN] in VERDICTS
        and (isinstance(reason, str) if record[VERDICT_COLUMN] == "undecided" else reason is None)
        and all(isinstance(record[key], bool) for key in GRID_COLUMNS)
        and (isinstance(record["certificate"], str) if record[VERDICT_COLUMN] == "yes" else record["certificate"] is None)
    )
