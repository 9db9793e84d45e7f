"""Summaries of a smooth run: P(period 3) by interval arithmetic, the undecided nets counted, beside the grid.

The records of a smooth family (:mod:`verichaos.experiments.smooth_measure`)
carry a three-valued verdict, so the summary counts ``yes``, ``no`` and
``undecided`` and reports, for n nets:

* the rate of proved period 3, yes/n, with its Wilson 95% interval
  (:mod:`verichaos.experiments.stats`);
* the bounds of the rate among these nets whatever the undecided ones are,
  yes/n ≤ P ≤ (yes + undecided)/n, and the interval from the Wilson lower end
  of yes to the Wilson upper end of yes + undecided: each end is a one-sided
  97.5% bound (the first on the rate of proved period 3, which is at most
  P(period 3); the second on the rate of proved or undecided, which is at
  least it), so together they hold P(period 3) with 95% confidence however
  the undecided nets would turn out (Bonferroni). With no undecided net this
  is the Wilson interval of yes/n;
* every grid column as for piecewise-linear runs (count, rate, Wilson
  interval), and its agreement with the verdict.

There are no exact columns (chaos, period 2, fixed points, lap numbers): the
summary does not report them rather than report zeros.

>>> summary = SmoothSummary("row1-tanh", 4, 7, {}, trials=4)
>>> grid = dict.fromkeys(GRID_COLUMNS, False)
>>> for verdict in ("yes", "no", "no", "undecided"):
...     summary.add({**grid, "period3_interval": verdict, "certificate": None})
>>> summary.counts["period3_interval_yes"], summary.counts["period3_interval_undecided"], summary.bounds()
(1, 1, (0.25, 0.5))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from verichaos.experiments.measure import BOOLEAN_COLUMNS
from verichaos.experiments.smooth_measure import GRID_COLUMNS, VERDICT_COLUMN, VERDICTS
from verichaos.experiments.stats import wilson_interval
from verichaos.experiments.summary import Summary, interval_text, percent

__all__ = ["SmoothSummary", "VERDICT_LABEL", "GRID_COLUMNS", "verdict_key", "PAPER_COLUMNS", "PAPER_NOTE", "paper_cell"]

VERDICT_LABEL = "rigorous (interval arithmetic): period 3"
EITHER_WAY = "wilson95_undecided_either_way"


def verdict_key(value: str) -> str:
    """The key under which :attr:`SmoothSummary.counts` counts a verdict."""
    return f"{VERDICT_COLUMN}_{value}"


YES = verdict_key("yes")


@dataclass
class SmoothSummary(Summary):
    """Running totals over the records of one smooth run (module docstring)."""

    def add(self, record: Mapping[str, Any]) -> None:
        self.n += 1
        verdict = record[VERDICT_COLUMN]
        self.counts[verdict_key(verdict)] += 1
        for name in GRID_COLUMNS:
            self.counts[name] += record[name]
            self.agreement[name, record[name], verdict] += 1
        self.certificates += record["certificate"] is not None

    def bounds(self) -> tuple[float, float]:
        """yes/n and (yes + undecided)/n: the rate of period 3 among these nets lies between."""
        yes, undecided = self.counts[YES], self.counts[verdict_key("undecided")]
        return yes / self.n, (yes + undecided) / self.n  # float ok: reported rates

    def interval_either_way(self) -> tuple[float, float]:
        """The 95% interval of P(period 3) that holds whatever the undecided nets are (module docstring)."""
        undecided = self.counts[verdict_key("undecided")]
        return wilson_interval(self.counts[YES], self.n)[0], wilson_interval(self.counts[YES] + undecided, self.n)[1]

    def to_json(self) -> dict[str, Any]:
        verdict: dict[str, Any] = {"label": VERDICT_LABEL, "count": self.counts[YES], **{v: self.counts[verdict_key(v)] for v in VERDICTS}}
        if self.n:
            verdict.update(rate=self.rate(YES), wilson95=list(self.interval(YES)), bounds=list(self.bounds()))
            verdict[EITHER_WAY] = list(self.interval_either_way())
        columns: dict[str, Any] = {VERDICT_COLUMN: verdict}
        for name in GRID_COLUMNS:
            entry: dict[str, Any] = {"label": BOOLEAN_COLUMNS[name], "count": self.counts[name]}
            if self.n:
                entry.update(rate=self.rate(name), wilson95=list(self.interval(name)))
            columns[name] = entry
        agreement = {grid: dict(zip(("both", "grid_only", "rigorous_only", "grid_on_undecided"), self._agreement(grid))) for grid in GRID_COLUMNS}
        return {
            **self.run_fields(),
            "decided_by": "interval arithmetic (smooth nets have no exact columns)",
            "columns": columns,
            "grid_agreement": agreement,
            "certificates": self.certificates,
        }

    def _agreement(self, grid: str) -> tuple[int, int, int, int]:
        """Nets where grid and verdict say yes; grid yes, proved no; grid no, proved yes; grid yes, undecided."""
        return tuple(self.agreement[grid, said, verdict] for said, verdict in ((True, "yes"), (True, "no"), (False, "yes"), (True, "undecided")))

    def _rows(self) -> list[tuple[str, str, str, str]]:
        rows = [self._rate_row(verdict_key(v), f"rigorous: {label}") for v, label in zip(VERDICTS, ("period 3", "no period 3", "undecided"))]
        if self.n:
            low, high = self.bounds()
            rows.append(("rigorous P(period 3), undecided either way", "-", f"{percent(low)} to {percent(high)}", interval_text(self.interval_either_way())))
        return rows + [self._rate_row(name, BOOLEAN_COLUMNS[name]) for name in GRID_COLUMNS]

    def markdown(self) -> str:
        lines = self._markdown_head()
        lines += ["Smooth nets: period 3 is proved or refuted by interval arithmetic (or undecided); there are no exact columns.", ""]
        lines += ["| column | count | rate | Wilson 95% CI |", "|---|---:|---:|---:|"]
        lines += [f"| {' | '.join(row)} |" for row in self._rows()]
        lines += ["", "Grid verdict against the rigorous verdict (nets):", ""]
        lines += ["| grid column | both | grid only (proved no) | rigorous only | grid yes, undecided |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {grid} | {' | '.join(map(str, self._agreement(grid)))} |" for grid in GRID_COLUMNS]
        lines += ["", f"Certificates written (one per proved period-3 net): {self.certificates}.", ""]
        return "\n".join(lines)


PAPER_COLUMNS = {
    VERDICT_COLUMN: "rigorous P(period 3)",
    "undecided": "undecided (nets)",
}
"""The paper table's rigorous columns for a smooth row, with their headings."""

PAPER_NOTE = (
    "rigorous = proved or refuted net by net by interval arithmetic (verichaos.smooth); the 95% interval of P(period 3) "
    "holds however the undecided nets would turn out (Wilson lower end of the proved, upper end of proved + undecided)"
)


def paper_cell(columns: Mapping[str, Any], column: str) -> str:
    """The cell of a :data:`PAPER_COLUMNS` column, from a :meth:`SmoothSummary.to_json` ``columns``."""
    verdict = columns[VERDICT_COLUMN]
    if column == "undecided":
        return str(verdict["undecided"])
    return f"{percent(verdict['rate'])} {interval_text(verdict[EITHER_WAY])}"
