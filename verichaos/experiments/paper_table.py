"""The published "Pr[period 3]" tables, rerun: published number, faithful grid, corrected grid, exact answer.

Chatziafratis et al. (NeurIPS 2022) report, for five initialization rows at
width 2 and 10,000 random nets per row, the fraction of nets their notebooks
called "period 3" (../shared/docs/paper-notes.md). Extra tables in the
notebooks use the same method with the output clipped to [0, 1], width 4,
width 64 and depth 3. For each row this module runs the row's built-in family
(:mod:`verichaos.experiments.families`) and puts side by side

* the published percentage;
* the faithful emulation of the notebooks' grid test (f⁴, W = 1 and W = 2),
  with Wilson 95% intervals, and whether the published number lies inside;
* the corrected grid test (f³);
* the exact rates of period 3 and of minimal period 2.

Every row is an ordinary resumable run in its own folder
(``<out>/<table>/<row>/``), so any net can be recreated with
``verichaos experiment net --family <row> --width <k> --seed <seed> --index <i>``.

>>> [table.key for table in TABLES]
['main', 'clipped', 'width4', 'width64', 'depth3']
>>> TABLES[0].family(1), TABLES[4].family(5), TABLES[2].width
('row1', 'row5-depth3', 4)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.progress import Progress
from rich.table import Table

from verichaos.experiments.families import builtin_family
from verichaos.experiments.results import OutputError, RunSpec
from verichaos.experiments.runner import Backend, run
from verichaos.experiments.summary import Summary, interval_text, percent
from verichaos.output import write_text_atomic

__all__ = ["PublishedTable", "TABLES", "DEFAULT_SEED", "DEFAULT_TRIALS", "RowResult", "run_tables", "report", "render", "markdown", "write_reports"]

DEFAULT_SEED = 20221005
"""Fixed seed of ``experiment paper-table`` (the paper's arXiv number is 2210.05212)."""
DEFAULT_TRIALS = 10_000


@dataclass(frozen=True)
class PublishedTable:
    key: str
    title: str
    suffix: str  # appended to "rowN" to name the family
    width: int
    published: tuple[float, ...]  # percent, rows 1..5

    def family(self, row: int) -> str:
        return f"row{row}{self.suffix}"


TABLES = (
    PublishedTable("main", "published table: width 2", "", 2, (13.77, 7.49, 4.51, 4.45, 2.28)),
    PublishedTable("clipped", "extra table: output clipped to [0, 1], width 2", "-clipped", 2, (4.7, 5.4, 1.6, 3.9, 2.3)),
    PublishedTable("width4", "extra table: width 4", "", 4, (7.8, 8.3, 7.2, 10.6, 4.0)),
    PublishedTable("width64", "extra table: width 64", "", 64, (15.8, 14.8, 12.4, 21.9, 10.9)),
    PublishedTable("depth3", "extra table: depth 3 (two hidden layers), width 2", "-depth3", 2, (0.8, 0.7, 0.2, 2.3, 2.6)),
)


@dataclass(frozen=True)
class RowResult:
    table: PublishedTable
    row: int
    summary: Summary

    @property
    def published(self) -> float:
        return self.table.published[self.row - 1] / 100  # float ok: a published percentage, compared with a reported interval

    def inside(self, column: str) -> bool:
        low, high = self.summary.interval(column)
        return low <= self.published <= high


def run_tables(
    tables: Iterable[PublishedTable],
    trials: int,
    seed: int,
    out: Path,
    backend: Backend,
    *,
    resume: bool = False,
    progress: Progress | None = None,
) -> list[RowResult]:
    results = []
    for table in tables:
        for row in range(1, len(table.published) + 1):
            spec = RunSpec(builtin_family(table.family(row)), table.width, seed, trials)
            summary = run(spec, out / table.key / table.family(row), backend, resume=resume, progress=progress)
            results.append(RowResult(table, row, summary))
    return results


_HEADINGS = (
    "row",
    "published",
    "grid f^4 W=1 (faithful)",
    "grid f^4 W=2 (faithful)",
    "published inside CI (W=1 / W=2)",
    "grid f^3 W=1 (corrected)",
    "grid f^3 W=2 (corrected)",
    "exact period 3",
    "exact period 2",
)

_COLUMNS = ("grid_published_w1", "grid_published_w2", None, "grid_corrected_w1", "grid_corrected_w2", "period3", "period2")
FAITHFUL = ("grid_published_w1", "grid_published_w2")


def report(results: list[RowResult], seed: int) -> dict[str, Any]:
    """The JSON report (``paper-table.json``); the tables are rendered from it."""
    return {
        "seed": seed,
        "rows": [
            {
                "table": result.table.key,
                "title": result.table.title,
                "row": result.row,
                "family": result.table.family(result.row),
                "width": result.table.width,
                "published_percent": result.table.published[result.row - 1],
                "published_inside_wilson95": {column: result.inside(column) for column in FAITHFUL},
                "summary": result.summary.to_json(),
            }
            for result in results
        ],
    }


def _cells(row: dict[str, Any]) -> list[str]:
    columns = row["summary"]["columns"]
    cells = [f"{row['row']} ({row['family']})", f"{row['published_percent']:g}%"]
    for column in _COLUMNS:
        if column is None:
            cells.append(" / ".join("yes" if row["published_inside_wilson95"][c] else "no" for c in FAITHFUL))
        else:
            cells.append(f"{percent(columns[column]['rate'])} {interval_text(columns[column]['wilson95'])}")
    return cells


def _groups(document: dict[str, Any]) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in document["rows"]:
        groups.setdefault(row["table"], []).append(row)
    return list(groups.values())


def render(document: dict[str, Any]) -> list[Table]:
    """One rich table per published table."""
    tables = []
    for rows in _groups(document):
        table = Table(title=f"{rows[0]['title']}: {rows[0]['summary']['n']} nets per row, rates with Wilson 95% CI")
        for heading in _HEADINGS:
            table.add_column(heading, justify="left" if heading == "row" else "right")
        for row in rows:
            table.add_row(*_cells(row))
        tables.append(table)
    return tables


def markdown(document: dict[str, Any]) -> str:
    """The tables as Markdown, one section per published table."""
    lines = []
    for rows in _groups(document):
        first = rows[0]
        lines += [
            f"### {first['title']}",
            "",
            f"{first['summary']['n']} nets per row, seed {document['seed']}, width {first['width']}; rates with Wilson 95% intervals.",
            "",
        ]
        lines += ["| " + " | ".join(_HEADINGS) + " |", "|---|" + "---:|" * (len(_HEADINGS) - 1)]
        lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def write_reports(document: dict[str, Any], out: Path) -> None:
    """paper-table.md and paper-table.json in ``out``."""
    try:
        write_text_atomic(out / "paper-table.md", markdown(document))
        write_text_atomic(out / "paper-table.json", json.dumps(document, indent=2) + "\n")
    except OSError as error:
        raise OutputError(f"cannot write the paper-table report in {out}: {error.strerror or error}") from None
