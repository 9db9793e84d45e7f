"""The chaos numbers quoted in docs/chaos.md and docs/reproduction.md are those of the kept run data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verichaos.experiments.stats import wilson_interval
from verichaos.experiments.summary import interval_text, percent

DOCS = Path(__file__).resolve().parents[1] / "docs"
RUNS = {run["run"]: run for run in json.loads((DOCS / "figures" / "chaos-summaries.json").read_text())["runs"]}


def prose(name: str) -> str:
    return " ".join((DOCS / name).read_text(encoding="utf-8").split())


def rate(run: dict) -> str:
    positive, n = run["chaos"]["positive"], run["n"]
    return f"{percent(positive / n)} {interval_text(wilson_interval(positive, n))}"


@pytest.mark.parametrize("row", ["row1-k2", "row2-k2", "row3-k2", "row1-clipped-k2", "row2-clipped-k2", "row3-clipped-k2",
                                 "row1-depth3-k2", "row2-depth3-k2", "row3-depth3-k2"])
def test_chaos_page_table_is_the_kept_data(row):
    run = RUNS[row]
    positive, period3 = run["chaos"]["positive"], run["period3"]
    assert run["n"] == 10_000 and run["chaos"]["undecided"] == 0
    assert f"| {rate(run)} | {percent(period3 / run['n'])} | {positive - period3} of {positive} |" in prose("chaos.md")


def width_sweep() -> dict[int, dict]:
    return {run["width"]: run for name, run in RUNS.items() if name.startswith("row1-k") and name.endswith("seed20221005")}


def test_width_sweep_counts_quoted_in_reproduction():
    sweep = width_sweep()
    assert sorted(sweep) == [2**j for j in range(1, 12)] and all(run["n"] == 1000 for run in sweep.values())
    chaotic = {k: run["chaos"]["positive"] for k, run in sweep.items() if run["chaos"]["positive"]}
    undecided = {k: run["chaos"]["undecided"] for k, run in sweep.items() if run["chaos"]["undecided"]}
    assert (chaotic, undecided) == ({2: 2, 128: 1, 256: 1}, {1024: 3})
    assert not any(run["period3"] for run in sweep.values())
    assert "4 chaotic nets in 11,000 (2 at k = 2, 1 at k = 128, 1 at k = 256; 3 undecided at k = 1024)" in prose("reproduction.md")


@pytest.mark.parametrize("scale", ["16", "256"])
def test_variance_sweep_rates_quoted_in_reproduction(scale):
    runs = [RUNS[f"random-walk-s{scale}-k{k}-seed20221005"] for k in (8, 64, 512)]
    chaos = ", ".join(f"{100 * run['chaos']['positive'] / run['n']:.1f}%" for run in runs)
    period3 = ", ".join(f"{100 * run['period3'] / run['n']:.1f}%" for run in runs)
    text = prose("reproduction.md")
    assert f"s = {scale}: P(chaos) {chaos}" in text
    assert f"against P(period 3) {period3}" in text or f"against {period3}" in text
