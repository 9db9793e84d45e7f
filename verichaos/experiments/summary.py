"""Summaries of a run: counts, rates with Wilson intervals, and how the grid agrees with the exact answer.

A summary is computed by streaming the results file
(:mod:`verichaos.experiments.results`), so it is a pure function of the
records on disk and its memory does not grow with the number of trials.
A summary with fewer records than requested trials is INCOMPLETE, and says
so in every rendering.

For each yes/no column: the count, the rate and its Wilson 95% interval
(:mod:`verichaos.experiments.stats`). For the three-valued ``chaos`` column:
P(chaos), the rate of ``"positive"`` with its Wilson interval (shown next to
P(period 3)), and the counts of ``"zero"`` and ``"undecided"``, so that
P(chaos) is bracketed by positive/n and (positive + undecided)/n; and the
histogram of ``largest_power_of_two_period`` over the ``"zero"`` nets. For each integer column: the mean and
the full histogram. For each grid column: its agreement with the exact
period-3 and minimal-period-2 columns (both yes, grid only, exact only).

>>> summary = Summary("row1", 2, 7, {}, trials=4)
>>> for yes in (True, False, False, False):
...     chaos = {"chaos": "positive" if yes else "zero", "largest_power_of_two_period": None if yes else 2}
...     summary.add({**dict.fromkeys(BOOLEAN_COLUMNS, yes), **chaos, "fixed_points": 1, "lap_f3": 2, "certificate": None})
>>> summary.status, summary.counts["period3"], summary.counts["chaos_positive"], summary.mean("lap_f3")
('complete', 1, 1, 2.0)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from verichaos.dynamics.entropy import CHAOS_VALUES
from verichaos.experiments.measure import BOOLEAN_COLUMNS, CHAOS_COLUMN, COUNT_COLUMNS
from verichaos.experiments.results import OutputError
from verichaos.experiments.stats import wilson_interval
from verichaos.output import write_text_atomic

__all__ = ["Summary", "GRID_COLUMNS", "EXACT_COLUMNS", "CHAOS_LABEL", "chaos_key", "percent", "interval_text"]

EXACT_COLUMNS = ("period3", "period2")
GRID_COLUMNS = tuple(name for name in BOOLEAN_COLUMNS if name.startswith("grid_"))
CHAOS_LABEL = "exact: chaos (h > 0, Li-Yorke)"
POWER_HISTOGRAM = "largest_power_of_two_period"


def chaos_key(value: str) -> str:
    """The key under which :attr:`Summary.counts` counts a chaos verdict."""
    return f"{CHAOS_COLUMN}_{value}"


def percent(value: float) -> str:
    return f"{100 * value:.2f}%"


def interval_text(interval: tuple[float, float]) -> str:
    return f"[{100 * interval[0]:.2f}, {100 * interval[1]:.2f}]%"


@dataclass
class Summary:
    """Running totals over the records of one run."""

    family: str
    width: int
    seed: int
    parameters: Mapping[str, float]
    trials: int
    description: list[str] = field(default_factory=list)
    n: int = 0
    counts: Counter = field(default_factory=Counter)
    histograms: dict[str, Counter] = field(default_factory=lambda: {name: Counter() for name in COUNT_COLUMNS})
    agreement: Counter = field(default_factory=Counter)
    certificates: int = 0
    powers: Counter = field(default_factory=Counter)  # largest_power_of_two_period of the "zero" nets

    def add(self, record: Mapping[str, Any]) -> None:
        self.n += 1
        self.counts[chaos_key(record[CHAOS_COLUMN])] += 1
        if record[CHAOS_COLUMN] == "zero":
            self.powers[record[POWER_HISTOGRAM]] += 1
        for name in BOOLEAN_COLUMNS:
            self.counts[name] += record[name]
        for name in COUNT_COLUMNS:
            self.histograms[name][record[name]] += 1
        for grid in GRID_COLUMNS:
            for exact in EXACT_COLUMNS:
                self.agreement[grid, exact, record[grid], record[exact]] += 1
        self.certificates += record["certificate"] is not None

    def add_all(self, records: Iterable[Mapping[str, Any]]) -> Summary:
        for record in records:
            self.add(record)
        return self

    @property
    def complete(self) -> bool:
        return self.n == self.trials

    @property
    def status(self) -> str:
        return "complete" if self.complete else "INCOMPLETE"

    def interval(self, name: str) -> tuple[float, float]:
        return wilson_interval(self.counts[name], self.n)

    def rate(self, name: str) -> float:
        return self.counts[name] / self.n  # float ok: a reported rate

    def mean(self, name: str) -> float:
        return sum(value * count for value, count in self.histograms[name].items()) / self.n  # float ok: a reported mean

    # ---------------------------------------------------------- renderings

    def to_json(self) -> dict[str, Any]:
        positive = chaos_key("positive")
        columns: dict[str, Any] = {
            CHAOS_COLUMN: {
                "label": CHAOS_LABEL,
                "count": self.counts[positive],
                **{value: self.counts[chaos_key(value)] for value in CHAOS_VALUES},
                f"{POWER_HISTOGRAM}_of_zero": {str(v): c for v, c in sorted(self.powers.items())},
            }
        }
        if self.n:
            low, high = self.interval(positive)
            columns[CHAOS_COLUMN].update(rate=self.rate(positive), wilson95=[low, high])
        for name, label in BOOLEAN_COLUMNS.items():
            entry: dict[str, Any] = {"label": label, "count": self.counts[name]}
            if self.n:
                low, high = self.interval(name)
                entry.update(rate=self.rate(name), wilson95=[low, high])
            columns[name] = entry
        for name, label in COUNT_COLUMNS.items():
            entry = {"label": label, "histogram": {str(v): c for v, c in sorted(self.histograms[name].items())}}
            if self.n:
                entry["mean"] = self.mean(name)
            columns[name] = entry
        agreement = {
            grid: {
                exact: {
                    "both": self.agreement[grid, exact, True, True],
                    "grid_only": self.agreement[grid, exact, True, False],
                    "exact_only": self.agreement[grid, exact, False, True],
                }
                for exact in EXACT_COLUMNS
            }
            for grid in GRID_COLUMNS
        }
        return {**self.run_fields(), "columns": columns, "grid_agreement": agreement, "certificates": self.certificates}

    def run_fields(self) -> dict[str, Any]:
        """What run this summarizes and how far it got: the first fields of :meth:`to_json`."""
        return {
            "status": self.status,
            "family": self.family,
            "family_layers": self.description,
            "parameters": dict(self.parameters),
            "width": self.width,
            "seed": self.seed,
            "trials_requested": self.trials,
            "n": self.n,
        }

    def title(self) -> str:
        parameters = "".join(f", {k}={v:g}" for k, v in sorted(self.parameters.items()))
        return f"{self.family}{parameters}, width {self.width}, seed {self.seed}: n = {self.n} of {self.trials} ({self.status})"

    def _rate_row(self, name: str, label: str) -> tuple[str, str, str, str]:
        if self.n:
            return (label, str(self.counts[name]), percent(self.rate(name)), interval_text(self.interval(name)))
        return (label, "0", "-", "-")

    def _rows(self) -> list[tuple[str, str, str, str]]:
        rows = [
            self._rate_row(chaos_key("positive"), CHAOS_LABEL),
            self._rate_row(chaos_key("undecided"), "exact: chaos undecided"),
        ]
        rows += [self._rate_row(name, label) for name, label in BOOLEAN_COLUMNS.items()]
        for name, label in COUNT_COLUMNS.items():
            histogram = self.histograms[name]
            spread = f"min {min(histogram)}, max {max(histogram)}" if histogram else "-"
            rows.append((label, "-", f"mean {self.mean(name):.3f}" if self.n else "-", spread))
        return rows

    def table(self) -> Table:
        """A rich table for the terminal."""
        table = Table(title=self.title())
        for heading in ("column", "count", "rate", "Wilson 95% CI"):
            table.add_column(heading, justify="left" if heading == "column" else "right")
        for row in self._rows():
            table.add_row(*row)
        return table

    def _markdown_head(self) -> list[str]:
        """The title, the INCOMPLETE warning when it applies, and the family's description."""
        lines = [f"# {self.title()}", ""]
        if not self.complete:
            lines += [f"**INCOMPLETE**: {self.n} of {self.trials} trials have results; rates below are not final.", ""]
        return lines + [f"- {line}" for line in self.description] + [""]

    def markdown(self) -> str:
        lines = self._markdown_head()
        lines += ["| column | count | rate | Wilson 95% CI |", "|---|---:|---:|---:|"]
        lines += [f"| {' | '.join(row)} |" for row in self._rows()]
        lines += ["", "Grid verdict against the exact answer (nets):", ""]
        lines += ["| grid column | vs | both | grid only | exact only |", "|---|---|---:|---:|---:|"]
        for grid in GRID_COLUMNS:
            for exact in EXACT_COLUMNS:
                cells = (self.agreement[grid, exact, True, True], self.agreement[grid, exact, True, False], self.agreement[grid, exact, False, True])
                lines.append(f"| {grid} | {exact} | {cells[0]} | {cells[1]} | {cells[2]} |")
        if self.powers:
            spread = ", ".join(f"{power}: {count}" for power, count in sorted(self.powers.items()))
            lines += ["", f"Zero-entropy nets by largest period (0: no periodic point): {spread}."]
        lines += ["", f"Certificates written (one per exact period-3 net): {self.certificates}.", ""]
        return "\n".join(lines)

    def write(self, folder: Path) -> None:
        """summary.json and summary.md in ``folder``."""
        try:
            write_text_atomic(folder / "summary.json", json.dumps(self.to_json(), indent=2) + "\n")
            write_text_atomic(folder / "summary.md", self.markdown())
        except OSError as error:
            raise OutputError(f"cannot write the summary in {folder}: {error.strerror or error}") from None
