"""docs/reproduction.md quotes only what the runs behind it show (their data is kept in docs/figures)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from verichaos.experiments.families import load_family
from verichaos.experiments.paper_table import TABLES, markdown
from verichaos.experiments.summary import interval_text, percent

DOCS = Path(__file__).resolve().parents[1] / "docs"
FIGURES = DOCS / "figures"


@pytest.fixture(scope="module")
def page() -> str:
    return (DOCS / "reproduction.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def prose(page) -> str:
    """The page with every run of white space made one space, so sentences may wrap anywhere."""
    return " ".join(page.split())


@pytest.fixture(scope="module")
def tables() -> dict:
    return json.loads((FIGURES / "paper-table.json").read_text(encoding="utf-8"))


def test_every_table_is_the_rendering_of_the_kept_data(page, tables):
    assert {row["table"] for row in tables["rows"]} == {table.key for table in TABLES}
    ran = [row for row in tables["rows"] if "summary" in row]
    assert all(row["summary"]["status"] == "complete" and row["summary"]["n"] == 10_000 for row in ran)
    assert {row["table"] for row in tables["rows"] if row not in ran} == {"clipped-tanh", "width4", "width64"}
    for section in markdown(tables).strip().split("\n\n### "):
        assert section.strip().lstrip("#").strip() in page


def test_counts_quoted_in_the_text(prose, tables):
    ran = [row for row in tables["rows"] if "summary" in row]

    def period3(table: str) -> int:
        return sum(row["summary"]["columns"]["period3"]["count"] for row in ran if row["table"] == table)

    def chaotic(table: str) -> int:
        return sum(row["summary"]["columns"]["chaos"]["count"] for row in ran if row["table"] == table)

    assert f"out of 50,000 nets of width 2, {period3('main')} have a point of period 3" in prose
    assert f"and {chaotic('main')} are chaotic" in prose and f"the other {chaotic('main') - period3('main')} have a period 3·2^K" in prose
    assert f"and {chaotic('clipped') + chaotic('depth3')} are chaotic." in prose
    assert all(row["summary"]["columns"]["chaos"]["undecided"] == 0 for row in ran) and "was `\"undecided\"`" in prose
    assert f"Of the 100,000 nets of the two ReLU extra tables, {period3('clipped') + period3('depth3')} have period 3 exactly" in prose
    certificates = sum(row["summary"]["certificates"] for row in ran)
    assert f"All {certificates} certificates of the three ReLU tables" in prose
    pairs = [row["summary"]["grid_agreement"] for row in ran]
    assert all(p[g]["period2"]["grid_only"] == 0 for p in pairs for g in ("grid_published_w1", "grid_published_w2"))
    assert all(p[g]["period3"]["grid_only"] == 0 for p in pairs for g in ("grid_corrected_w1", "grid_corrected_w2"))
    missed = sum(p[g]["period3"]["exact_only"] for p in pairs for g in ("grid_corrected_w1", "grid_corrected_w2"))
    assert f"({missed} net-column pairs" in prose
    inside = [(row["table"], row["row"]) for row in ran if row["table"] != "main" and any(row["published_inside_wilson95"].values())]
    assert inside == [("clipped", 2), ("clipped", 5)] and "for 2 of the 10 ReLU rows" in prose


def test_alternative_readings_table(page):
    kept = json.loads((FIGURES / "alternative-readings.json").read_text(encoding="utf-8"))
    for entry in kept["runs"]:
        load_family(FIGURES / entry["family_file"])  # the family files themselves are valid
        columns = entry["summary"]["columns"]
        cells = [f"{percent(columns[c]['rate'])} {interval_text(columns[c]['wilson95'])}" for c in ("grid_published_w1", "grid_published_w2", "period3", "period2")]
        assert f"| {entry['family_file']} | {entry['width']} | " + " | ".join(cells) + " |" in page


def figure_rows(name: str) -> list[dict]:
    with (FIGURES / f"{name}.csv").open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_width_sweep_numbers(prose):
    rows = figure_rows("sweep-width-row1")
    period3 = [r for r in rows if r["series"] == "exact: period 3"]
    assert [int(r["x"]) for r in period3] == [2**j for j in range(1, 12)]
    assert all(r["successes"] == "0" and r["trials"] == "1000" for r in period3)
    chaotic = {int(r["x"]): int(r["successes"]) for r in rows if r["series"].startswith("exact: chaos")}
    assert sum(chaotic.values()) == 5 and {k for k, n in chaotic.items() if n} == {2, 128, 256, 1024} and chaotic[2] == 2
    assert "5 of the 11,000 nets are chaotic (2 at k = 2, one each at k = 128, 256 and 1024" in prose
    period2 = [float(r["rate"]) for r in rows if r["series"] == "exact: minimal period 2"]
    assert f"stays between {100 * min(period2):.1f}% and {100 * max(period2):.1f}%" in prose


def test_variance_sweep_numbers(prose):
    rows = figure_rows("sweep-variance-random-walk")
    exact = {(r["series"], float(r["x"])): int(r["successes"]) for r in rows if "exact: period 3" in r["panel"]}
    assert all(count == 0 for (_, s), count in exact.items() if s <= 4)
    quoted = re.search(r"at s = 256, (\d+)% \(k = 8\), (\d+)% \(k = 64\), (\d+)% \(k = 512\)", prose).groups()
    assert [round(100 * exact[f"k = {k}", 256.0] / 500) for k in (8, 64, 512)] == [int(q) for q in quoted]
    chaos = {(r["series"], float(r["x"])): int(r["successes"]) for r in rows if "chaos" in r["panel"]}
    assert all(count == 0 for (_, s), count in chaos.items() if s <= 2)
    assert sorted(chaos[f"k = {k}", 4.0] for k in (8, 64, 512)) == [3, 4, 5] and "3 to 5 of 500 at s = 4" in prose
    quoted = re.search(r"s = 256 (\d+)% \(k = 8\), (\d+)% \(k = 64\), (\d+)% \(k = 512\)\. At most", prose).groups()
    assert [round(100 * chaos[f"k = {k}", 256.0] / 500) for k in (8, 64, 512)] == [int(q) for q in quoted]
