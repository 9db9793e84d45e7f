"""The command line on smooth networks: certify, check, orbits, breakpoints, and UNDECIDED's exit code."""

import json
from fractions import Fraction
from pathlib import Path

from typer.testing import CliRunner

from verichaos.cli import app
from verichaos.cli.errors import EXIT_BUDGET, EXIT_UNDECIDED, EXIT_USAGE

ROOT = Path(__file__).resolve().parents[1]
PERIOD3 = ROOT / "certificates" / "tanh-period3.json"
NO_PERIOD3 = ROOT / "certificates" / "tanh-no-period3.json"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], terminal_width=200)


def test_certify_then_check_each_verdict(tmp_path):
    for network, claim in ((PERIOD3, "PERIOD 3: "), (NO_PERIOD3, "NO PERIOD 3: ")):
        output = tmp_path / f"{network.stem}.cert.json"
        result = run("certify", network, "-o", output)
        assert result.exit_code == 0 and result.output.startswith(claim), result.output
        assert json.loads(output.read_text())["witness" if claim == "PERIOD 3: " else "proof"]["kind"] == "interval"
        result = run("check", output, "--network", network)
        assert result.exit_code == 0 and result.output.startswith("VERIFIED: "), result.output


def test_undecided_writes_no_certificate_and_exits_with_its_code(tmp_path):
    network = tmp_path / "tanh.json"
    network.write_text(json.dumps({"format": "verichaos-network", "version": 1,
                                   "layers": [{"weight": [["1"]], "bias": ["0"], "activation": "tanh"}]}))
    result = run("certify", network, "-o", tmp_path / "tanh.cert.json")
    assert result.exit_code == EXIT_UNDECIDED and result.output.startswith("UNDECIDED: "), result.output
    assert not (tmp_path / "tanh.cert.json").exists()
    result = run("orbits", network)
    assert result.exit_code == EXIT_UNDECIDED and "UNDECIDED: the list may be incomplete" in result.output
    result = run("certify", network, "--json")
    assert result.exit_code == EXIT_UNDECIDED and json.loads(result.output)["claim"] is None


def test_smooth_nets_have_period_3_claims_only():
    result = run("certify", PERIOD3, "--claim", "period-5")
    assert result.exit_code == EXIT_USAGE and "interval certificates of period 3 only" in result.output


def test_orbits_lists_the_enclosed_orbits():
    result = run("orbits", PERIOD3, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["complete"] and len(found["orbits"]) == 2 and found["enclosed"]
    for orbit in found["orbits"]:
        (_, b), (c, _), (e, _) = ([Fraction(v) for v in end] for end in orbit)
        assert b < c and b < e  # smallest point first, disjoint enclosures
    assert json.loads(run("orbits", NO_PERIOD3, "--json").output)["orbits"] == []
    assert run("orbits", PERIOD3, "--period", "2").exit_code == EXIT_USAGE


def test_breakpoints_says_the_map_is_not_piecewise_linear():
    result = run("breakpoints", PERIOD3)
    assert result.exit_code == 0 and "not piecewise linear (it uses tanh)" in result.output
    assert json.loads(run("breakpoints", PERIOD3, "--json").output)["piecewise_linear"] is False


def test_a_spent_budget_of_pieces_is_exit_6_with_no_certificate(tmp_path):
    result = run("certify", NO_PERIOD3, "--max-pieces", "2", "-o", tmp_path / "c.json")
    assert result.exit_code == EXIT_BUDGET and "needs more than 2 pieces (--max-pieces)" in result.output, result.output
    assert not (tmp_path / "c.json").exists()
    result = run("orbits", NO_PERIOD3, "--max-pieces", "2")
    assert result.exit_code == EXIT_UNDECIDED and "the budget of 2 pieces is spent" in result.output
