"""The published "Pr[period 3]" tables, rerun as the notebooks ran them: published number, faithful grid, corrected grid, exact answer.

Chatziafratis et al. (NeurIPS 2022) report, for five initialization rows at
width 2 and 10,000 random nets per row, the fraction of nets their notebooks
called "period 3" (repository ``steliostavroulakis/Chaos_RNNs``; cells are
numbered from 0 in file order). The August 2022 notebook
``Depth_2_RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb`` lists, in its cell
3, that table ("ORIGINAL TABLE") and five more, each labelled by clipping,
activation, width and depth. Every table here carries that label, the cell
its numbers come from, and the code its families follow
(:mod:`verichaos.experiments.families`):

* **main**: the published table. Rows 1–4 follow the initializers of
  ``Depth_2_...`` cell 2; row 5 follows the January run that printed 2.28%
  (``RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb`` cells 2, 4, 5).
* **clipped** and **depth3** (ReLU): the August notebooks' reading, with row 5
  as their Glorot (``row5-glorot``); depth 3 follows
  ``Depth_3_RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb`` cells 2–4.
* **clipped-tanh**, **width4**, **width64**: tanh runs ("without clipping, tanh
  activation"; the σ column of these tables still says ReLU, a leftover of
  copying, while the header says tanh). Their nets are smooth, so they have
  no exact columns: their rows show the grid columns beside the rigorous
  P(period 3), proved or refuted net by net by interval arithmetic
  (:mod:`verichaos.experiments.smooth_measure`), and the number of nets left
  undecided (:mod:`verichaos.experiments.smooth_summary`). No ReLU number is
  compared with a tanh number.

For every row that runs, side by side:

* the published percentage;
* the faithful emulation of the notebooks' grid test (f⁴, W = 1 and W = 2;
  :mod:`verichaos.experiments.grid`), with Wilson 95% intervals and whether the
  published number lies inside. Its column heading says what it detects:
  **period 2**, since the notebooks evaluate f⁴ where they meant f³;
* the corrected grid test (f³);
* the exact rates of period 3, of Li–Yorke chaos when the records carry a
  ``chaos`` column, and of minimal period 2 (for tanh rows: the rigorous
  P(period 3) and the undecided count instead).

Every row is an ordinary resumable run in its own folder
(``<out>/<table>/<family>/``), so any net can be recreated with
``verichaos experiment net --family <family> --width <k> --seed <seed> --index <i>``.

>>> [table.key for table in TABLES]
['main', 'clipped', 'clipped-tanh', 'width4', 'width64', 'depth3']
>>> TABLES[0].family(5), TABLES[5].family(5), TABLES[3].family(2), TABLES[3].width
('row5', 'row5-glorot-depth3', 'row2-tanh', 4)
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
from verichaos.experiments.smooth_measure import VERDICT_COLUMN
from verichaos.experiments.smooth_summary import PAPER_COLUMNS, PAPER_NOTE, paper_cell
from verichaos.experiments.summary import Summary, interval_text, percent
from verichaos.output import write_text_atomic

__all__ = [
    "PublishedTable",
    "TABLES",
    "DEFAULT_SEED",
    "DEFAULT_TRIALS",
    "FAITHFUL_NOTE",
    "RowResult",
    "run_tables",
    "report",
    "render",
    "markdown",
    "write_reports",
]

DEFAULT_SEED = 20221005
"""Fixed seed of ``experiment paper-table`` (the paper's arXiv number is 2210.05212)."""
DEFAULT_TRIALS = 10_000

AUGUST = "Depth_2_RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb"
AUGUST_DEPTH3 = "Depth_3_RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb"
JANUARY = "RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb"
_AUGUST_READING = f"{AUGUST} cell 2 (initializers; Glorot std sqrt(2/(n_in+n_out)) for weights and biases, ReLU output), cell 5 (grid test)"

FAITHFUL_NOTE = (
    "faithful = the notebooks' test as written: F3 = f(f(f(F0))) is f^4, so a net counts when f^4 crosses "
    "the diagonal more often than f; that detects an orbit of period 2, not period 3"
)


@dataclass(frozen=True)
class PublishedTable:
    key: str
    title: str  # the notebook's own label
    activation: str  # as the notebook's header says
    width: int
    families: tuple[str, ...]  # rows 1..5
    published: tuple[float, ...]  # percent, rows 1..5
    numbers_from: str  # notebook and cell of the published numbers
    follows: str  # notebook and cells whose code the families follow

    def family(self, row: int) -> str:
        return self.families[row - 1]


def _rows(suffix: str) -> tuple[str, ...]:
    return tuple(f"{name}{suffix}" for name in ("row1", "row2", "row3", "row4", "row5-glorot"))


TABLES = (
    PublishedTable(
        "main", "published table: no clipping, ReLU, width 2, depth 2", "ReLU", 2,
        ("row1", "row2", "row3", "row4", "row5"), (13.77, 7.49, 4.51, 4.45, 2.28),
        f"the paper's table; {AUGUST} cell 3, 'ORIGINAL TABLE' ({JANUARY} cell 0 lists rows 2 and 3 swapped)",
        f"rows 1-4: {AUGUST} cell 2 (initializers); row 5: {JANUARY} cells 2, 4, 5, the run that printed 2.28% "
        "(std 2/(k+1), no output bias, identity output, W = 2)",
    ),
    PublishedTable(
        "clipped", "extra table 1: clipping yes, ReLU, width 2, depth 2", "ReLU", 2,
        _rows("-clipped"), (4.7, 5.4, 1.6, 3.9, 2.3), f"{AUGUST} cell 3, 'EXTRA TABLE 1'",
        f"{_AUGUST_READING}; clipping in Layer_Dense_Out.forward",
    ),
    PublishedTable(
        "clipped-tanh", "extra table 2: clipping yes, tanh, width 2, depth 2", "tanh", 2,
        _rows("-tanh-clipped"), (6.6, 6.2, 9.8, 4.8, 2.8), f"{AUGUST} cell 3, 'EXTRA TABLE 2'",
        f"{_AUGUST_READING}; ACTIVATION = 'tanh' in cell 5; clipping, then the tanh output",
    ),
    PublishedTable(
        "width4", "WIDTH = 4 (without clipping, tanh activation)", "tanh", 4,
        _rows("-tanh"), (7.8, 8.3, 7.2, 10.6, 4.0), f"{AUGUST} cell 3, 'WIDTH = 4'",
        f"{_AUGUST_READING}; ACTIVATION = 'tanh' in cell 5",
    ),
    PublishedTable(
        "width64", "WIDTH = 64 (without clipping, tanh activation)", "tanh", 64,
        _rows("-tanh"), (15.8, 14.8, 12.4, 21.9, 10.9), f"{AUGUST} cell 3, 'WIDTH = 64'",
        f"{_AUGUST_READING}; ACTIVATION = 'tanh' in cell 5",
    ),
    PublishedTable(
        "depth3", "DEPTH = 3 (without clipping, ReLU activation, width = 2)", "ReLU", 2,
        _rows("-depth3"), (0.8, 0.7, 0.2, 2.3, 2.6), f"{AUGUST} cell 3, 'DEPTH = 3'",
        f"{AUGUST_DEPTH3} cell 2 (initializers, Layer_Dense_Mid), cell 3 (RNN_Pass through layer_mid), cell 4 (grid test)",
    ),
)


@dataclass(frozen=True)
class RowResult:
    table: PublishedTable
    row: int
    summary: Summary | None  # None: not run
    refusal: str | None = None  # why not (Family.refusal)

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
    """Run every row whose family can be sampled; the others are returned as not run, with the reason."""
    results = []
    for table in tables:
        for row in range(1, len(table.published) + 1):
            family = builtin_family(table.family(row))
            refusal = family.refusal()
            if refusal is not None:
                results.append(RowResult(table, row, None, refusal))
                continue
            summary = run(RunSpec(family, table.width, seed, trials), out / table.key / family.name, backend, resume=resume, progress=progress)
            results.append(RowResult(table, row, summary))
    return results


FAITHFUL = ("grid_published_w1", "grid_published_w2")
_COLUMNS = {
    "grid_published_w1": "grid f^4 W=1 (faithful: detects period 2)",
    "grid_published_w2": "grid f^4 W=2 (faithful: detects period 2)",
    "inside": "published inside CI (W=1 / W=2)",
    "grid_corrected_w1": "grid f^3 W=1 (corrected)",
    "grid_corrected_w2": "grid f^3 W=2 (corrected)",
    "period3": "exact P(period 3)",
    "chaos": "exact P(chaos)",
    "period2": "exact P(period 2)",
}
"""Columns of a table, in order, with their headings; ``chaos`` only when the records carry it."""
_SMOOTH_COLUMNS = {**{key: heading for key, heading in _COLUMNS.items() if key.startswith("grid_") or key == "inside"}, **PAPER_COLUMNS}
"""Columns of a table of smooth nets: the grid columns, then the rigorous ones."""


def _row_document(result: RowResult) -> dict[str, Any]:
    table = result.table
    document: dict[str, Any] = {
        "table": table.key,
        "title": table.title,
        "activation": table.activation,
        "row": result.row,
        "family": table.family(result.row),
        "width": table.width,
        "published_percent": table.published[result.row - 1],
        "published_numbers_from": table.numbers_from,
        "follows": table.follows,
    }
    if result.summary is None:
        document["status"] = "not run"
        document["reason"] = result.refusal
        return document
    document["status"] = "run"
    document["published_inside_wilson95"] = {column: result.inside(column) for column in FAITHFUL}
    document["summary"] = result.summary.to_json()
    return document


def report(results: list[RowResult], seed: int) -> dict[str, Any]:
    """The JSON report (``paper-table.json``); the tables are rendered from it."""
    rows = [_row_document(result) for result in results]
    document = {"seed": seed, "columns": _present_columns(rows), "faithful_test": FAITHFUL_NOTE, "rows": rows}
    if any(map(_is_smooth, rows)):
        document.update(smooth_columns=_SMOOTH_COLUMNS, rigorous_note=PAPER_NOTE)
    return document


def _is_smooth(row: dict[str, Any]) -> bool:
    """A row of smooth nets, decided by interval arithmetic (its summary has the rigorous verdict)."""
    return "summary" in row and VERDICT_COLUMN in row["summary"]["columns"]


def _columns_of(document: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, str]:
    return document["smooth_columns"] if any(map(_is_smooth, rows)) else document["columns"]


def _present_columns(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The columns of the exact tables: ``chaos`` only when every exact row that ran has it."""
    ran = [row for row in rows if "summary" in row and not _is_smooth(row)]
    has_chaos = bool(ran) and all("chaos" in row["summary"]["columns"] for row in ran)
    return {key: heading for key, heading in _COLUMNS.items() if key != "chaos" or has_chaos}


def _cells(row: dict[str, Any], columns: dict[str, str]) -> list[str]:
    cells = [f"{row['row']} ({row['family']})", f"{row['published_percent']:g}%"]
    if "summary" not in row:
        return cells + ["not run"] * len(columns)
    summary = row["summary"]["columns"]
    for column in columns:
        if column == "inside":
            cells.append(" / ".join("yes" if row["published_inside_wilson95"][c] else "no" for c in FAITHFUL))
        elif column in PAPER_COLUMNS:
            cells.append(paper_cell(summary, column))
        else:
            cells.append(f"{percent(summary[column]['rate'])} {interval_text(summary[column]['wilson95'])}")
    return cells


def _groups(document: dict[str, Any]) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in document["rows"]:
        groups.setdefault(row["table"], []).append(row)
    return list(groups.values())


def _caption(rows: list[dict[str, Any]]) -> str:
    ran = [row for row in rows if "summary" in row]
    size = f"{ran[0]['summary']['n']} nets per row, rates with Wilson 95% CI" if ran else rows[0]["status"]
    return f"{rows[0]['title']}: {size}"


def render(document: dict[str, Any]) -> list[Table]:
    """One rich table per published table; the caption says where the numbers come from and what "faithful" detects."""
    tables = []
    for rows in _groups(document):
        columns = _columns_of(document, rows)
        table = Table(
            title=_caption(rows),
            caption=f"published: {rows[0]['published_numbers_from']}\nfollows: {rows[0]['follows']}\n{document['faithful_test']}{_rigorous_note(document, rows)}",
            caption_justify="left",
        )
        for heading in ("row", "published", *columns.values()):
            table.add_column(heading, justify="left" if heading == "row" else "right")
        for row in rows:
            table.add_row(*_cells(row, columns))
        tables.append(table)
    return tables


def _rigorous_note(document: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    return f"\n{document['rigorous_note']}" if any(map(_is_smooth, rows)) else ""


def markdown(document: dict[str, Any]) -> str:
    """The tables as Markdown, one section per published table."""
    lines = []
    for rows in _groups(document):
        columns = _columns_of(document, rows)
        headings = ["row", "published", *columns.values()]
        first = rows[0]
        ran = [row for row in rows if "summary" in row]
        size = f"{ran[0]['summary']['n']} nets per row, seed {document['seed']}; rates with Wilson 95% intervals" if ran else first["status"]
        lines += [f"### {first['title']}", ""]
        lines += [f"Width {first['width']}, {first['activation']}: {size}.", ""]
        lines += [f"Published numbers: {first['published_numbers_from']}. Our families follow {first['follows']}.", ""]
        lines += ["| " + " | ".join(headings) + " |", "|---|" + "---:|" * (len(headings) - 1)]
        lines += ["| " + " | ".join(_cells(row, columns)) + " |" for row in rows]
        lines += ["", f"{document['faithful_test'][0].upper()}{document['faithful_test'][1:]}.", ""]
        if _rigorous_note(document, rows):
            lines += [f"{document['rigorous_note'][0].upper()}{document['rigorous_note'][1:]}.", ""]
    return "\n".join(lines)


def write_reports(document: dict[str, Any], out: Path) -> None:
    """paper-table.md and paper-table.json in ``out``."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / "paper-table.md", markdown(document))
        write_text_atomic(out / "paper-table.json", json.dumps(document, indent=2) + "\n")
    except OSError as error:
        raise OutputError(f"cannot write the paper-table report in {out}: {error.strerror or error}") from None
