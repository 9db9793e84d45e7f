"""Smooth (tanh) families in the experiments: rigorous three-valued period-3 records, summaries and the paper table.

A smooth net has no exact columns, so its record must not carry any; its
verdict is proved by interval arithmetic or left undecided, and the summaries
and the paper table count the undecided nets instead of guessing them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from verichaos.checker import check_certificate
from verichaos.cli import app
from verichaos.experiments.families import builtin_family, parse_family
from verichaos.experiments.filter import prove
from verichaos.experiments.grid import WINDOWS, grid, sign_change_counts
from verichaos.experiments.measure import Chunk, measure_chunk
from verichaos.experiments.paper_table import TABLES
from verichaos.experiments.results import CorruptResultsError, RunSpec
from verichaos.experiments import runner
from verichaos.experiments.runner import LocalBackend, RunInterrupted, run
from verichaos.experiments.sampling import sample_arrays, sample_chunk, sample_network
from verichaos.experiments.smooth_measure import EXACT_ONLY, SMOOTH_CSV_COLUMNS, SMOOTH_REQUIRED, measure_smooth_chunk
from verichaos.experiments.smooth_summary import SmoothSummary, paper_cell
from verichaos.experiments.sweeps import sweep_width
from verichaos.experiments.stats import wilson_interval
from verichaos.experiments.summary import interval_text, percent
from verichaos.smooth import certify_smooth

cli = CliRunner()
CONSTANT = {"one": {"kind": "constant", "value": 1}, "zero": {"kind": "constant", "value": 0}}


def family(name: str, first: dict, second: dict) -> dict:
    return {"format": "verichaos-family", "version": 1, "name": name, "layers": [first, second]}


# f(x) = sum a_i tanh(w_i x + b_i) + c with large weights; trial 23 of seed 1 at width 3 has period 3.
WIDE = parse_family(family(
    "wide-tanh",
    {"weight": {"kind": "normal", "std": 2}, "bias": {"kind": "normal", "std": 2}, "activation": "tanh"},
    {"weight": {"kind": "normal", "std": 2}, "bias": {"kind": "normal", "std": 1}, "activation": "identity"},
))
WIDE_SPEC = RunSpec(WIDE, 3, 1, 24)
# f(x) = tanh(x): f^3(x) - x has a triple zero at 0, where (f^3)' = 1; the method cannot decide it.
TANGENT = family(
    "tangent-tanh",
    {"weight": CONSTANT["one"], "bias": CONSTANT["zero"], "activation": "tanh"},
    {"weight": CONSTANT["one"], "bias": CONSTANT["zero"], "activation": "identity"},
)


EXACT_RECORD = {**measure_chunk(Chunk(builtin_family("row2"), 2, 1, (1,)))[0][0], "index": 1}


def lines(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "results.jsonl").read_text().splitlines()[1:]]


@pytest.fixture(scope="module")
def wide_run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wide")
    run(WIDE_SPEC, folder, LocalBackend(1), chunk=5)
    return folder


def test_smooth_records_hold_the_rigorous_verdict_and_no_exact_field(wide_run):
    records = lines(wide_run)
    assert [r["index"] for r in records] == list(range(24))
    assert all(set(r) == set(SMOOTH_REQUIRED) and not set(EXACT_ONLY) & set(r) for r in records)
    assert [r["index"] for r in records if r["period3_interval"] == "yes"] == [23]
    assert {r["period3_interval"] for r in records[:23]} == {"no"} and all(r["undecided_reason"] is None for r in records)
    proved = records[23]
    certificate = json.loads((wide_run / proved["certificate"]).read_text())
    assert certificate["network_sha256"] == proved["network_sha256"] and certificate["claim"] == "period-3"
    assert check_certificate(json.dumps(certificate))[0] == 0
    for record in records[:3]:  # each "no" is a proof the independent checker accepts
        negative = certify_smooth(sample_network(WIDE, 3, 1, record["index"]))
        assert negative.claim == "no-period-3" and negative.document["network_sha256"] == record["network_sha256"]
        assert check_certificate(json.dumps(negative.document))[0] == 0
    summary = json.loads((wide_run / "summary.json").read_text())
    assert (summary["columns"]["period3_interval"]["yes"], summary["columns"]["period3_interval"]["no"]) == (1, 23)
    assert "chaos" not in summary["columns"] and "period3" not in summary["columns"] and summary["certificates"] == 1
    assert (wide_run / "results.csv").read_text().splitlines()[0] == ",".join(SMOOTH_CSV_COLUMNS)


def test_smooth_runs_do_not_depend_on_workers_chunks_or_resumption(wide_run, tmp_path, monkeypatch):
    def files(folder: Path) -> tuple[bytes, bytes, bytes]:
        return tuple((folder / name).read_bytes() for name in ("results.jsonl", "results.csv", "summary.json"))

    with LocalBackend(2) as pool:
        run(WIDE_SPEC, tmp_path / "pool", pool)
    assert files(tmp_path / "pool") == files(wide_run)
    calls = []

    def interrupted(chunk):  # Ctrl-C while the fifth chunk is measured
        calls.append(chunk)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return measure_smooth_chunk(chunk)

    monkeypatch.setattr(runner, "measure_smooth_chunk", interrupted)
    with pytest.raises(RunInterrupted) as stop:
        run(RunSpec(WIDE, 3, 1, 10), tmp_path / "extended", LocalBackend(1), chunk=1)
    monkeypatch.undo()
    assert stop.value.summary.status == "INCOMPLETE" and 0 < stop.value.summary.n < 10
    assert "INCOMPLETE" in (tmp_path / "extended" / "summary.md").read_text()
    run(RunSpec(WIDE, 3, 1, 10), tmp_path / "extended", LocalBackend(1), resume=True)
    path = tmp_path / "extended" / "results.jsonl"
    path.write_bytes(path.read_bytes()[:-7])  # a write torn by a hard kill
    run(WIDE_SPEC, tmp_path / "extended", LocalBackend(1), resume=True)
    assert files(tmp_path / "extended") == files(wide_run)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda r: {**r, "period3": False}, "not a complete trial record"),  # an exact-only field
        (lambda r: {**r, "chaos": "zero"}, "not a complete trial record"),
        (lambda r: {**r, "period3_interval": "maybe"}, "not a complete trial record"),
        (lambda r: {**r, "period3_interval": "yes"}, "not a complete trial record"),  # "yes" without its certificate
        (lambda r: {**r, "period3_interval": "undecided"}, "not a complete trial record"),  # undecided without a reason
        (lambda r: {k: v for k, v in r.items() if k != "undecided_reason"}, "not a complete trial record"),
        (lambda r: EXACT_RECORD, "a piecewise-linear net's record in a run of a smooth family"),
    ],
)
def test_a_smooth_record_that_claims_what_it_does_not_have_is_refused(wide_run, tmp_path, damage, message):
    text = (wide_run / "results.jsonl").read_text().splitlines()
    text[2] = json.dumps(damage(json.loads(text[2])))
    (tmp_path / "results.jsonl").write_text("\n".join(text) + "\n")
    with pytest.raises(CorruptResultsError, match="line 3: " + message):
        run(WIDE_SPEC, tmp_path, LocalBackend(1), resume=True)


def test_undecided_nets_are_counted_never_guessed(tmp_path):
    (tmp_path / "tangent.json").write_text(json.dumps(TANGENT))
    result = cli.invoke(app, ["experiment", "run", "-f", str(tmp_path / "tangent.json"), "-k", "1", "-n", "2", "-j", "1", "-o", str(tmp_path / "run"), "--json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)["columns"]["period3_interval"]
    assert (verdict["yes"], verdict["no"], verdict["undecided"], verdict["rate"], verdict["bounds"]) == (0, 0, 2, 0.0, [0.0, 1.0])
    assert verdict["wilson95_undecided_either_way"] == [0.0, wilson_interval(2, 2)[1]]
    assert all(r["period3_interval"] == "undecided" and "could not be separated from 0" in r["undecided_reason"] for r in lines(tmp_path / "run"))
    assert paper_cell(json.loads(result.stdout)["columns"], "undecided") == "2"
    assert "| rigorous: undecided | 2 | 100.00% |" in (tmp_path / "run" / "summary.md").read_text()


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_the_interval_of_p_period_3_holds_whatever_the_undecided_nets_are(yes, no, undecided):
    summary = SmoothSummary("f", 2, 1, {}, trials=yes + no + undecided)
    grid_columns = dict.fromkeys(("grid_published_w1", "grid_published_w2", "grid_corrected_w1", "grid_corrected_w2"), True)
    for verdict, count in (("yes", yes), ("no", no), ("undecided", undecided)):
        for _ in range(count):
            summary.add({**grid_columns, "period3_interval": verdict, "certificate": "c" if verdict == "yes" else None})
    if not summary.n:
        return
    low, high = summary.interval_either_way()
    assert low <= yes / summary.n <= (yes + undecided) / summary.n <= high
    assert (low, high) == (wilson_interval(yes, summary.n)[0], wilson_interval(yes + undecided, summary.n)[1])
    if not undecided:
        assert (low, high) == summary.interval("period3_interval_yes")
    assert summary.to_json()["grid_agreement"]["grid_published_w1"] == {"both": yes, "grid_only": no, "rigorous_only": 0, "grid_on_undecided": undecided}


def test_piecewise_linear_records_are_those_of_the_exact_measure(tmp_path):
    spec = RunSpec(builtin_family("row2"), 2, 20221005, 40)
    run(spec, tmp_path, LocalBackend(1))
    records, _ = measure_chunk(Chunk(spec.family, 2, spec.seed, tuple(range(40))))
    written = (tmp_path / "results.jsonl").read_text().splitlines()[1:]
    assert written == [json.dumps(record, separators=(",", ":")) for record in records]
    assert all("period3_interval" not in record and isinstance(record["period3"], bool) for record in records)


def test_the_filter_never_decides_a_smooth_net():
    for name, width in (("row2-tanh", 4), ("row2-tanh-clipped", 2)):
        tanh = builtin_family(name)
        proof = prove(sample_chunk(tanh, width, 1, range(20)), [layer.activation for layer in tanh.layers])
        assert not proof.no_period3.any() and not proof.no_period2.any() and (proof.fixed_points == -1).all()


def test_the_grid_evaluates_tanh_in_float64_as_the_notebook_does():
    """Depth_2_... cell 4 (np.tanh), cell 5 (the loop over the grid, net by net, scalar by scalar)."""
    tanh = builtin_family("row3-tanh")
    activations = [layer.activation for layer in tanh.layers]
    for index in range(6):
        net = sample_arrays(tanh, 4, 20221005, index)

        def f(x: float) -> float:
            hidden = np.tanh(np.dot([x], net.weights[0].T) + net.biases[0])
            return float(np.tanh(np.dot(hidden, net.weights[1].T) + net.biases[1])[0])

        counts = sign_change_counts([net], activations)
        for window, width in WINDOWS.items():
            x = grid(width)
            f1 = np.array([f(v) for v in x])
            f4 = np.array([f(f(f(v))) for v in f1])
            d1, d4 = x - f1, x - f4
            loop = [sum(d[i - 1] * d[i] < 0 or (d[i] == 0 and d[i - 1] * d[i + 1] < 0) for i in range(1, len(x) - 1)) for d in (d1, d4)]
            assert [counts[window][0][0], counts[window][0][2]] == loop


def test_paper_table_extra_shows_the_tanh_tables_with_rigorous_columns(tmp_path):
    result = cli.invoke(app, ["experiment", "paper-table", "--extra", "--trials", "4", "-j", "1", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "rigorous P(period 3)" in result.stdout and "undecided (nets)" in result.stdout
    document = json.loads((tmp_path / "paper-table.json").read_text())
    tanh = [row for row in document["rows"] if row["activation"] == "tanh"]
    assert [(row["table"], row["family"]) for row in tanh] == [(t.key, t.family(r)) for t in TABLES if t.activation == "tanh" for r in range(1, 6)]
    for row in tanh:
        verdict = row["summary"]["columns"]["period3_interval"]
        assert row["status"] == "run" and verdict["yes"] + verdict["no"] + verdict["undecided"] == 4
        assert set(row["published_inside_wilson95"]) == {"grid_published_w1", "grid_published_w2"}
    assert "exact P(chaos)" in document["columns"].values() and "rigorous P(period 3)" in document["smooth_columns"].values()
    text = (tmp_path / "paper-table.md").read_text()
    width64 = text[text.index("### WIDTH = 64"):text.index("### DEPTH = 3")]
    assert "| row | published | grid f^4 W=1 (faithful: detects period 2) |" in width64 and "| rigorous P(period 3) | undecided (nets) |" in width64
    assert "| 4 (row4-tanh) | 21.9% |" in width64 and "exact P(" not in width64 and "Rigorous = proved or refuted net by net" in width64
    assert "exact P(chaos)" in text[: text.index("### extra table 2")]


def test_reproduction_quotes_the_kept_tanh_data():
    """docs/reproduction.md, "The tanh tables": every row and every number quoted is that of figures/paper-table-tanh.json."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    page = (docs / "reproduction.md").read_text(encoding="utf-8")
    prose = " ".join(page.split())
    document = json.loads((docs / "figures" / "paper-table-tanh.json").read_text(encoding="utf-8"))
    labels = {"clipped-tanh": "'EXTRA TABLE 2' (clipping, width 2)", "width4": "'WIDTH = 4'", "width64": "'WIDTH = 64'"}
    assert [row["table"] for row in document["rows"]] == [key for key in labels for _ in range(5)]
    for row in document["rows"]:
        columns = row["summary"]["columns"]
        assert row["summary"]["status"] == "complete" and row["summary"]["n"] == 400
        assert labels[row["table"]].split(" (")[0] in row["published_numbers_from"] and "cell 3" in row["published_numbers_from"]
        grid = [f"{percent(columns[c]['rate'])} {interval_text(columns[c]['wilson95'])}" for c in ("grid_published_w1", "grid_published_w2")]
        line = f"| {labels[row['table']]} | {row['row']} ({row['family']}) | {row['published_percent']:g}% | {' | '.join(grid)} | "
        assert line + f"{paper_cell(columns, 'period3_interval')} | {paper_cell(columns, 'undecided')} |" in page
    verdicts = [row["summary"]["columns"]["period3_interval"] for row in document["rows"]]
    assert sum(v["yes"] for v in verdicts) == 0 and sum(v["undecided"] for v in verdicts) == 0
    assert "None of the 6,000 tanh nets has a point of period 3, and none was left undecided." in prose
    said = sum(row["summary"]["columns"]["grid_published_w1"]["count"] for row in document["rows"])
    inside = sum(row["published_inside_wilson95"]["grid_published_w1"] for row in document["rows"])
    assert f'The faithful grid said "period 3" for {said} of them at W = 1; the published number lies inside its interval in {inside} of the 15 rows.' in prose


def test_a_sigmoid_family_runs_and_the_sweeps_refuse_smooth_families(tmp_path):
    sigmoid = parse_family(family(
        "sigmoid",
        {"weight": {"kind": "normal", "std": 4}, "bias": {"kind": "normal", "std": 4}, "activation": "sigmoid"},
        {"weight": {"kind": "normal", "std": 4}, "bias": {"kind": "normal", "std": 1}, "activation": "identity"},
    ))
    summary = run(RunSpec(sigmoid, 3, 1, 6), tmp_path / "run", LocalBackend(1))
    verdict = summary.to_json()["columns"]["period3_interval"]
    assert summary.complete and verdict["yes"] + verdict["no"] + verdict["undecided"] == 6
    with pytest.raises(ValueError, match="uses sigmoid: its nets are not piecewise linear"):
        sweep_width(sigmoid, [2], 3, 1, tmp_path / "sweep", LocalBackend(1))
    assert not (tmp_path / "sweep").exists()
