"""`verichaos experiment ...`: outputs, recreating nets, and every bad input's message and exit code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from verichaos.cli import app
from verichaos.cli.errors import EXIT_EXPERIMENT, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OUTPUT, EXIT_USAGE
from verichaos.network import load_network

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["experiment", *args])


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    result = invoke("run", "-f", "row2", "-k", "2", "-n", "30", "-s", "7", "-j", "1", "-o", str(folder), "--json")
    assert result.exit_code == 0, result.output
    return folder, json.loads(result.stdout)


def test_run_writes_results_and_reports_every_column_with_wilson_intervals(small_run):
    folder, report = small_run
    assert report["status"] == "complete" and report["n"] == 30
    for name, column in report["columns"].items():
        if "count" in column:
            low, high = column["wilson95"]
            assert low <= column["rate"] <= high, name
    assert {p.name for p in folder.iterdir()} >= {"results.jsonl", "results.csv", "summary.json", "summary.md", "certificates"}
    assert "Wilson 95% CI" in (folder / "summary.md").read_text()


def test_net_recreates_any_sampled_network(small_run, tmp_path):
    folder, _ = small_run
    record = json.loads((folder / "results.jsonl").read_text().splitlines()[1 + 13])
    target = tmp_path / "net.json"
    result = invoke("net", "-f", "row2", "-k", "2", "-s", "7", "-i", "13", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert load_network(target).sha256 == record["network_sha256"]
    assert record["network_sha256"] in result.stdout


def test_table_output_names_the_run(tmp_path):
    result = invoke("run", "-f", "random-walk", "-p", "s=8", "-k", "4", "-n", "6", "-j", "1", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "random-walk, s=8, width 4" in result.stdout and "Wilson 95% CI" in result.stdout


def test_paper_table_with_extra_tables(tmp_path):
    result = invoke("paper-table", "--trials", "6", "-j", "1", "--extra", "-o", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(r["table"], r["row"]) for r in report["rows"]][:6] == [("main", i) for i in range(1, 6)] + [("clipped", 1)]
    assert len(report["rows"]) == 30
    first = report["rows"][0]
    assert first["published_percent"] == 13.77 and set(first["published_inside_wilson95"]) == {"grid_published_w1", "grid_published_w2"}
    assert "detects period 2" in report["columns"]["grid_published_w1"] and "f^4" in report["faithful_test"]
    assert "ORIGINAL TABLE" in first["published_numbers_from"] and "cell 2" in first["follows"]
    tanh = [r for r in report["rows"] if r["activation"] == "tanh"]
    assert {r["table"] for r in tanh} == {"clipped-tanh", "width4", "width64"}
    assert all(r["status"] == "run" and r["summary"]["columns"]["period3_interval"]["count"] >= 0 for r in tanh)
    assert all("period3" not in r["summary"]["columns"] for r in tanh)
    assert all(r["status"] == "run" for r in report["rows"] if r["activation"] == "ReLU")
    text = (tmp_path / "paper-table.md").read_text()
    assert "13.77%" in text and "WIDTH = 64 (without clipping, tanh activation)" in text and "EXTRA TABLE 1" in text


def test_paper_table_terminal_output_says_what_the_faithful_columns_detect(tmp_path):
    result = invoke("paper-table", "--trials", "4", "-j", "1", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # the caption wraps between words
    assert "(faithful:" in text and "that detects an orbit of period 2, not period 3" in text and "ORIGINAL TABLE" in text


def test_sweeps_write_figures_and_their_data(tmp_path):
    result = invoke("sweep-width", "--widths", "2,4", "-n", "6", "-j", "1", "-o", str(tmp_path / "w"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "w").glob("sweep-width-row1.*")) == [f"sweep-width-row1.{s}" for s in ("csv", "json", "png", "svg")]
    data = json.loads((tmp_path / "w" / "sweep-width-row1.json").read_text())
    assert {(p["series"], p["x"]) for p in data["points"]} >= {("exact: period 3", 2), ("exact: period 3", 4)}
    result = invoke("sweep-variance", "--widths", "4", "--scales", "1,4", "-n", "5", "-j", "1", "-o", str(tmp_path / "v"), "--figures", str(tmp_path / "figs"))
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "figs" / "sweep-variance-random-walk.json").read_text())
    assert sorted({p["x"] for p in data["points"]}) == pytest.approx([1 / (4 * 1.3862943611198906), 1, 4])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", "-f", "row7", "-n", "3"], EXIT_USAGE, "unknown family 'row7'"),
        (["run", "-f", "row1", "-k", "-2", "-n", "3"], EXIT_USAGE, "--width must be at least 1, got -2"),
        (["run", "-f", "row1", "-n", "0"], EXIT_USAGE, "--trials must be at least 1, got 0"),
        (["run", "-f", "row1", "-n", "3", "-j", "0"], EXIT_USAGE, "--jobs must be at least 1"),
        (["run", "-f", "random-walk", "-p", "s=abc", "-n", "3"], EXIT_USAGE, "--param expects NAME=VALUE"),
        (["run", "-f", "random-walk", "-p", "t=1", "-n", "3"], EXIT_USAGE, "has no parameter 't'"),
        (["net", "-f", "row1", "-i", "-1"], EXIT_USAGE, "--index must be at least 0"),
        (["sweep-width", "--widths", "2,x"], EXIT_USAGE, "--widths expects comma-separated integers"),
        (["sweep-variance", "-f", "row1"], EXIT_USAGE, "has no parameter 's'"),
        (["families", "--show", "nope"], EXIT_USAGE, "unknown family 'nope'"),
        (["sweep-width", "-f", "row5-glorot-tanh-clipped", "--widths", "2"], EXIT_USAGE, "uses tanh: its nets are not piecewise linear"),
    ],
)
def test_bad_options(args, code, message):
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_malformed_family_file_unwritable_output_existing_and_corrupt_results(small_run, tmp_path):
    bad = tmp_path / "family.json"
    bad.write_text(json.dumps({"format": "verichaos-family", "version": 1, "name": "b", "layers": []}))
    result = invoke("run", "-f", str(bad), "-n", "3")
    assert result.exit_code == EXIT_INPUT and "at least 2 layers" in result.stderr

    blocker = tmp_path / "file"
    blocker.write_text("")
    result = invoke("run", "-f", "row1", "-n", "3", "-j", "1", "-o", str(blocker / "out"))
    assert result.exit_code == EXIT_OUTPUT and "cannot write to output folder" in result.stderr

    folder, _ = small_run
    result = invoke("run", "-f", "row2", "-k", "2", "-n", "30", "-s", "7", "-j", "1", "-o", str(folder))
    assert result.exit_code == EXIT_USAGE and "--resume" in result.stderr

    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    lines = (folder / "results.jsonl").read_text().splitlines(keepends=True)
    (corrupt / "results.jsonl").write_text("".join(lines[:4]) + "not json\n")
    result = invoke("run", "-f", "row2", "-k", "2", "-n", "30", "-s", "7", "-j", "1", "-o", str(corrupt), "--resume")
    assert result.exit_code == EXIT_EXPERIMENT and "line 5: not valid JSON" in result.stderr


def test_ctrl_c_exits_130_and_says_incomplete(tmp_path):
    command = [sys.executable, "-c", "from verichaos.cli import app; app()", "experiment", "run", "-f", "row1", "-n", "200000", "-j", "2", "-o", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = tmp_path / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not results.exists() or results.read_text().count("\n") < 3):
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "INCOMPLETE" in stderr and "--resume" in stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["status"] == "INCOMPLETE" and 0 < summary["n"] < 200000
