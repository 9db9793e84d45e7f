"""Issue 12 on the command line: every run ends by itself, with one line and its documented exit code.

Each test is one case of the issue. They assert the outcome and the message,
never a time: a case that ran on would time the test run out instead.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verichaos.cli import app
from verichaos.cli.errors import EXIT_BUDGET, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OUTPUT, EXIT_USAGE, readable

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
VERICHAOS = [sys.executable, "-c", "import sys; from verichaos.cli import app; sys.argv[0] = 'verichaos'; app()"]
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def one_error_line(result) -> str:
    """The error line of a failed command: exactly one line on stderr, no traceback."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("verichaos: error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def tent_net(depth: int) -> dict:
    """The tent map composed ``depth`` times as one network: f has 2^depth linear pieces."""
    layers = [{"weight": [["1"], ["1"]], "bias": ["0", "-1/2"], "activation": "relu"}]
    layers += [{"weight": [["2", "-4"], ["2", "-4"]], "bias": ["0", "-1/2"], "activation": "relu"}] * (depth - 1)
    layers.append({"weight": [["2", "-4"]], "bias": ["0"], "activation": "identity"})
    return {"format": "verichaos-network", "version": 1, "layers": layers}


@pytest.fixture
def tent50(tmp_path) -> Path:
    path = tmp_path / "tent50.json"
    path.write_text(json.dumps(tent_net(50)))
    return path


# ---------------------------------------------------------------- runaway work


@pytest.mark.parametrize("command", ["certify", "breakpoints"])
def test_a_50_layer_tent_net_stops_at_the_piece_budget(tent50, command):
    result = invoke(command, str(tent50), "--max-pieces", "5000")
    assert result.exit_code == EXIT_BUDGET
    assert "could not complete: a map of 5121 linear pieces is needed, more than the budget of 5000 (--max-pieces)" in one_error_line(result)
    assert not tent50.with_suffix(".cert.json").exists()


def test_the_default_budget_applies_without_the_option(tent50):
    result = invoke("breakpoints", str(tent50))
    assert result.exit_code == EXIT_BUDGET and "more than the budget of 100000 (--max-pieces)" in one_error_line(result)


def test_a_larger_budget_lets_more_through(tmp_path):
    path = tmp_path / "tent12.json"
    path.write_text(json.dumps(tent_net(12)))
    assert invoke("breakpoints", str(path), "--max-pieces", "1000").exit_code == EXIT_BUDGET
    result = invoke("breakpoints", str(path), "--max-pieces", "10000")
    assert result.exit_code == 0 and result.stdout.startswith("f has 4097 breakpoints, 4098 linear pieces")


@pytest.mark.parametrize("period", ["20", "64"])
def test_orbits_of_long_periods_stop_at_the_budget(period):
    result = invoke("orbits", "--example", "tent", "--period", period)
    assert result.exit_code == EXIT_BUDGET
    assert f"finding the orbits of period {period} could not complete: a map of 131071 linear pieces" in one_error_line(result)


def test_orbits_period_is_bounded():
    assert invoke("orbits", "--example", "tent", "--period", "65").exit_code == EXIT_USAGE
    assert invoke("orbits", "--example", "contraction", "--period", "64").exit_code == 0  # cheap for a contraction


def test_certify_timeout_is_a_timeout_verdict(tent50, tmp_path):
    output = tmp_path / "never.cert.json"
    result = invoke("certify", str(tent50), "--max-pieces", "100000000", "--timeout", "0.3", "-o", str(output))
    assert result.exit_code == EXIT_BUDGET
    assert result.stdout == "TIMEOUT: no decision within 0.3 s; no certificate written\n"
    assert not output.exists()
    result = invoke("certify", str(tent50), "--max-pieces", "100000000", "--timeout", "0.3", "--json", "-o", str(output))
    assert result.exit_code == EXIT_BUDGET and json.loads(result.stdout)["verdict"] == "TIMEOUT"


def test_certify_within_its_timeout_writes_the_certificate(tmp_path):
    output = tmp_path / "tent.cert.json"
    result = invoke("certify", "--example", "tent", "--timeout", "60", "-o", str(output))
    assert result.exit_code == 0 and result.stdout.startswith("PERIOD 3") and output.is_file()


def test_plot_iterates_n_16_is_refused_with_its_reason(tmp_path):
    result = invoke("plot", "--example", "tent", "--kind", "iterates", "--n", "16", "-o", str(tmp_path / "p.png"))
    assert result.exit_code == EXIT_BUDGET
    assert "f¹⁶ has 65536 fixed points in the domain, more than the 10000 a picture marks" in one_error_line(result)
    assert list(tmp_path.iterdir()) == []


def test_plot_scramble_with_100000_steps_stops_where_exact_iterates_outgrow_their_budget(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"format": "verichaos-network", "version": 1, "layers": [
        {"weight": [["1"], ["1"]], "bias": ["1/100000", "-0.502"], "activation": "relu"},
        {"weight": [["1.9999", "-4"]], "bias": ["0"], "activation": "identity"}]}))
    result = invoke("plot", str(seed), "--kind", "scramble", "--x", "0.175421", "--steps", "100000", "-o", str(tmp_path / "s"))
    assert result.exit_code == EXIT_BUDGET
    line = one_error_line(result)
    assert "plot --kind scramble could not complete: the exact iterate at step" in line and "or fewer" in line


def test_experiment_scramble_stops_the_same_way(tmp_path):
    result = invoke("experiment", "scramble", "--steps", "100000", "--pairs", "2", "--out", str(tmp_path))
    assert result.exit_code == EXIT_BUDGET and "experiment scramble could not complete: the exact iterate" in one_error_line(result)


def test_experiment_scramble_random_pairs_stop_on_their_own_guard(tmp_path):
    # the figure's pair is the seed net's period-2 orbit, whose iterates never grow: only the
    # random pairs, whose iterates grow by about 13 bits a step, can outgrow the bit budget
    from verichaos.dynamics import periodic_orbits
    from verichaos.experiments.scramble import SEED_NETWORK
    from verichaos.pwl import from_network
    from verichaos.rational import canonical

    x, y = periodic_orbits(from_network(SEED_NETWORK), 2).all_orbits()[0].points
    result = invoke("experiment", "scramble", "--x", canonical(x), "--gap", canonical(y - x),
                    "--steps", "10000", "--pairs", "1000", "--out", str(tmp_path / "out"))
    assert result.exit_code == EXIT_BUDGET
    line = one_error_line(result)
    assert "experiment scramble could not complete: the exact iterate at step" in line and "or fewer" in line
    assert not (tmp_path / "out").exists()


def test_plot_scramble_of_a_bounded_orbit_runs_all_steps(tmp_path):
    result = invoke("plot", "--example", "tent", "--kind", "scramble", "--x", "1/7", "--steps", "20000", "-o", str(tmp_path / "s"))
    assert result.exit_code == 0 and "wrote" in result.stdout


def test_sigterm_is_like_ctrl_c_for_experiments(tmp_path):
    command = [*VERICHAOS, "experiment", "persistence", "--trials", "100000", "--depth", "12", "-j", "1", "--out", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    time.sleep(3)  # let it start: a SIGTERM before the handler is installed would just kill it (exit -15)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "INCOMPLETE" in stdout
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["persistence.png", "persistence.svg", "persistence.data.json", "persistence.data.csv"]
    )
    assert not any(".tmp" in path.name for path in tmp_path.iterdir())


def test_sigterm_during_experiment_run_leaves_an_incomplete_resumable_run(tmp_path):
    command = [*VERICHAOS, "experiment", "run", "-f", "row1", "-n", "200000", "-j", "2", "-o", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    results = tmp_path / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not results.exists() or results.read_text().count("\n") < 3):
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "INCOMPLETE" in stderr and "--resume" in stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["status"] == "INCOMPLETE" and 0 < summary["n"] < 200000
    assert not any(".tmp" in path.name for path in tmp_path.iterdir())


# ---------------------------------------------------------------- tracebacks and exit codes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--family", "row1", "--dask", "foo", "-n", "3"], "--dask expects 'local' or a scheduler address like tcp://host:8786, got 'foo'"),
        (["sweep-variance", "--scales", "nan", "-n", "2"], "--scales needs finite positive numbers, got 'nan'"),
        (["sweep-variance", "--scales", "inf", "-n", "2"], "--scales needs finite positive numbers, got 'inf'"),
        (["sweep-variance", "--scales", "1e400", "-n", "2"], "--scales needs finite positive numbers, got '1e400'"),
        (["sweep-variance", "--widths", "1", "-n", "2"], "--widths needs widths of at least 2, got '1'"),
        (["run", "--family", "random-walk", "-p", "s=-1", "-n", "4"], "family 'random-walk' cannot draw a network with these parameters"),
        (["net", "--family", "random-walk", "-p", "s=-1", "-i", "0"], "family 'random-walk' cannot draw a network with these parameters"),
    ],
)
def test_experiment_usage_errors_are_one_line_exit_2(tmp_path, args, message):
    result = invoke("experiment", *args, *(["-o", str(tmp_path / "out")] if args[0] != "net" else []))
    assert result.exit_code == EXIT_USAGE
    assert message in one_error_line(result)


def test_piping_into_head_is_not_an_error():
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before the first line, as with `| head -0`
    result = subprocess.run([*VERICHAOS, "breakpoints", "--example", "tent"], stdout=writing, stderr=subprocess.PIPE, env=ENV, timeout=60)
    os.close(writing)
    assert result.returncode == 0 and result.stderr == b""


def test_piping_into_head_keeps_the_commands_own_exit_code(tmp_path):
    reading, writing = os.pipe()
    os.close(reading)
    cert = tmp_path / "bad.cert.json"
    cert.write_text("{}")
    result = subprocess.run([*VERICHAOS, "check", str(cert)], stdout=writing, stderr=subprocess.PIPE, env=ENV, timeout=60)
    os.close(writing)
    assert result.returncode == 3 and result.stderr == b""


@pytest.mark.parametrize("command", [["breakpoints"], ["certify"], ["import"], ["plot", "--kind", "cobweb"]])
def test_a_directory_is_reported_as_a_directory(tmp_path, command):
    result = invoke(*command[:1], str(tmp_path), *command[1:])
    assert result.exit_code == EXIT_INPUT
    assert f"{tmp_path} is a directory, not a" in one_error_line(result)


def test_a_missing_file_is_reported_as_missing(tmp_path):
    result = invoke("breakpoints", str(tmp_path / "nothing.json"))
    assert result.exit_code == EXIT_INPUT and "no such file" in one_error_line(result)


def test_internal_class_names_never_reach_a_message(tmp_path):
    path = tmp_path / "net.json"
    path.write_text('{"format": "verichaos-network", "version": 1, "layers": [{"weight": 5, "bias": [0], "activation": "relu"}]}')
    result = invoke("breakpoints", str(path))
    line = one_error_line(result)
    assert result.exit_code == EXIT_INPUT and "expected a list, got a number" in line and "_NumberLiteral" not in line


# ---------------------------------------------------------------- help and conventions


def test_certify_dash_o_writes_the_certificate_to_stdout():
    result = invoke("certify", "--example", "tent", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["claim"] == "period-3"
    assert result.stderr.startswith("PERIOD 3")


def test_import_dash_o_writes_the_network_to_stdout():
    from verichaos.cli.common import example_path

    result = invoke("import", str(example_path("tent")), "-o", "-")
    assert result.exit_code == 0 and json.loads(result.stdout)["format"] == "verichaos-network"
    assert "written to -" in result.stderr


def test_experiment_net_dash_o_writes_to_stdout():
    result = invoke("experiment", "net", "--family", "row1", "--index", "3", "-o", "-")
    assert result.exit_code == 0 and json.loads(result.stdout)["format"] == "verichaos-network"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["certify", "--example", "tent", "--json", "-o", "-"], "--json and -o - both want stdout"),
        (["plot", "--example", "tent", "--kind", "cobweb", "-o", "-"], "plot writes four files"),
        (["export", "x.json", "--to", "onnx", "-o", "-"], "export writes a binary model file"),
    ],
)
def test_dash_o_where_stdout_cannot_hold_the_output(args, message):
    result = invoke(*args)
    assert result.exit_code == EXIT_USAGE and message in one_error_line(result)


def test_an_unwritable_output_is_exit_4(tmp_path):
    result = invoke("certify", "--example", "tent", "-o", str(tmp_path))
    assert result.exit_code == EXIT_OUTPUT and "it is a directory" in one_error_line(result)


def test_check_takes_json_and_h_like_every_command(tmp_path):
    result = invoke("check", "-h")
    assert result.exit_code == 0 and "--json" in result.stdout
    certify = invoke("certify", "--example", "tent", "-o", str(tmp_path / "t.cert.json"))
    assert certify.exit_code == 0
    result = invoke("check", str(tmp_path / "t.cert.json"), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["verdict"] == "VERIFIED"


def test_check_network_model_file_says_to_import_it_first(tmp_path):
    (tmp_path / "c.json").write_text("{}")
    result = invoke("check", str(tmp_path / "c.json"), "--network", "model.onnx")
    assert result.exit_code == EXIT_USAGE and "run `verichaos import model.onnx -o net.json` first" in result.stdout


def test_long_exact_numbers_print_with_an_approximation(tmp_path):
    big = "1" + "0" * 59
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"format": "verichaos-network", "version": 1, "layers": [
        {"weight": [["1"]], "bias": [f"-1/{big}"], "activation": "relu"},
        {"weight": [["1"]], "bias": ["0"], "activation": "identity"}]}))
    result = invoke("breakpoints", str(path))
    assert result.exit_code == 0 and f"x = 1/{big} (≈ 1e-59)" in result.stdout
    assert json.loads(invoke("breakpoints", str(path), "--json").stdout)["breakpoints"][0]["x"] == f"1/{big}"  # exact stays exact


def test_a_300_digit_number_in_a_message_is_shortened():
    huge = "1" * 300
    result = invoke("plot", "--example", "tent", "--kind", "iterates", "--xlim", huge, "0")
    assert result.exit_code == EXIT_USAGE
    assert one_error_line(result).endswith("got ≈ 1.11111e+299 (a 300-digit rational) and 0")
    assert readable("a\nb " + "2" * 10 + "/3") == "a b 2222222222/3"
    exact = "4541273627328794062280470069957600147914790838556/25420288528168335948506228281646930082814731769511"
    assert readable(f"orbit {exact} -> 2/7", keep_exact=True) == f"orbit {exact} (≈ 0.178648) -> 2/7"  # results stay exact


def test_the_progress_display_appears_after_its_delay_on_a_terminal():
    from rich.console import Console

    from verichaos.budget import budget
    from verichaos.cli.common import _delayed_progress

    screen = StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with budget(max_pieces=10) as state, _delayed_progress(state, "certifying", delay=0.0, console=console):
        state.largest = 4321
        time.sleep(0.5)
    assert "certifying" in screen.getvalue() and "largest exact map so far: 4,321 pieces" in screen.getvalue()
    quiet = StringIO()
    with budget() as state, _delayed_progress(state, "certifying", delay=30.0, console=Console(file=quiet, force_terminal=True)):
        pass
    assert "certifying" not in quiet.getvalue()  # fast work shows nothing


def test_a_hard_deadline_lost_in_a_finalizer_fires_again():
    """A DeadlineExceeded raised inside a gc callback or __del__ is ignored by Python; the timer fires again."""
    from verichaos.budget import DeadlineExceeded
    from verichaos.cli.common import hard_deadline

    start = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        with hard_deadline(0.05):
            try:
                while time.monotonic() - start < 5:
                    pass  # the first alarm lands here ...
            except DeadlineExceeded:
                pass  # ... and is swallowed, as a gc callback would
            while time.monotonic() - start < 5:
                pass  # the second alarm
    assert time.monotonic() - start < 1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # leaving the block disarmed it
