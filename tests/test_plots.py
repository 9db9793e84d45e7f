"""Pictures: the files exist and the data behind them is exact (verichaos.plots, verichaos plot)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from typer.testing import CliRunner

from verichaos import plots
from verichaos.cli import app
from verichaos.cli.common import example_path
from verichaos.network import Network, load_network
from verichaos.pwl import from_network
from verichaos.rational import Q, canonical, parse_rational
from verichaos.strategies import networks

TENT = load_network(example_path("tent"))
CONTRACTION = load_network(example_path("contraction"))
TENT_CUBE_FIXED = {"0", "2/3", "2/7", "4/7", "6/7", "2/9", "4/9", "8/9"}
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def assert_picture_files(stem: Path) -> dict:
    png, svg, data, table = (stem.with_name(stem.name + s) for s in (".png", ".svg", ".data.json", ".data.csv"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert b"<svg" in svg.read_bytes()[:2000] and svg.stat().st_size > 5000
    assert len(table.read_text().splitlines()) > 2
    return json.loads(data.read_text())


def test_tent_iterates_command_marks_exactly_the_fixed_points_of_f_cubed(tmp_path):
    result = run("plot", "--example", "tent", "--kind", "iterates", "-o", str(tmp_path / "tent.png"), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    data = assert_picture_files(tmp_path / "tent")
    assert set(data["fixed_points_of_f^n"]) == TENT_CUBE_FIXED == set(summary["fixed_points_of_f^n"])
    assert data["has_period3"] and sorted(data["period3_orbits"]) == [["2/7", "4/7", "6/7"], ["2/9", "4/9", "8/9"]]
    assert data["domain"] == ["0", "1"]
    # f³ is drawn through its exact corners: the knots k/8 with values 0, 1, 0, 1, ...
    assert data["f^n"] == [[canonical(Q(k, 8)), str(k % 2)] for k in range(9)]
    assert {orbit["period"] for orbit in data["orbits"]} == {1, 3}


def test_title_says_when_there_is_no_period_three():
    picture = plots.iterates(CONTRACTION, 3)
    figure = Figure()
    picture.draw(figure)
    assert "no period-3 orbit" in figure.axes[0].get_title()
    assert not picture.to_json()["has_period3"]
    chaotic = Figure()
    plots.iterates(TENT, 3).draw(chaotic)
    assert "2 period-3 orbits" in chaotic.axes[0].get_title()


def test_xlim_overrides_the_domain_and_fn_is_exact_there():
    picture = plots.iterates(TENT, 2, (Q(-1), Q(2)))
    assert picture.domain == (Q(-1), Q(2))
    for x, y in picture.to_json()["f^n"]:
        assert TENT(TENT(parse_rational(x))) == parse_rational(y)


@settings(max_examples=25, deadline=None)
@given(networks(depth=(1, 2), width=(1, 3)), st.integers(1, 3))
def test_iterates_marks_every_fixed_point_of_fn_and_only_those(net, n):
    picture = plots.iterates(net, n)
    lo, hi = picture.domain
    for x in picture.fixed.points:
        assert lo <= x <= hi and net.iterate(x, n)[-1] == x
    for x, y in picture.to_json()["f^n"]:
        assert net.iterate(parse_rational(x), n)[-1] == parse_rational(y)
    # the same fixed points from fⁿ composed on all of ℝ, with no restriction trick
    assert picture.fixed == from_network(net).iterate(n).fixed_points(lo, hi)


def test_cobweb_follows_the_exact_orbit(tmp_path):
    picture = plots.cobweb(TENT, Q(1, 10), 6)
    assert list(picture.orbit) == TENT.iterate(Q(1, 10), 6)
    assert picture.path[:3] == [(Q(1, 10), Q(1, 10)), (Q(1, 10), Q(1, 5)), (Q(1, 5), Q(1, 5))]
    default = plots.cobweb(TENT)  # once around a period-3 orbit
    assert default.period == 3 and default.orbit[0] == default.orbit[-1]
    result = run("plot", "--example", "tent", "--kind", "cobweb", "--start", "1/10", "--steps", "6", "-o", str(tmp_path / "c.svg"))
    assert result.exit_code == 0, result.output
    assert assert_picture_files(tmp_path / "c")["orbit"] == [canonical(x) for x in picture.orbit]


def test_scramble_command_writes_exact_distances(tmp_path):
    result = run("plot", "--example", "tent", "--kind", "scramble", "--x", "1/3", "--y", "0.3334", "--steps", "40", "-o", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    data = assert_picture_files(tmp_path / "s")
    x, y = Fraction(1, 3), Fraction("0.3334")
    for t, distance in enumerate(data["distance"]):
        assert Fraction(distance) == abs(x - y), t
        x, y = (2 * min(v, 1 - v) for v in (x, y))  # the tent map on [0, 1]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "iterates", "--x", "1"], "--x does not apply"),
        (["--kind", "scramble"], "needs --x"),
        (["--kind", "iterates", "--xlim", "1", "0"], "lo < hi"),
        (["--kind", "cobweb", "--start", "one"], "not a number"),
        (["--kind", "cobweb", "--start", "nan"], "not finite"),
    ],
)
def test_bad_options_are_usage_errors(args, message):
    result = run("plot", "--example", "tent", *args)
    assert result.exit_code == 2 and message in result.output


def test_unwritable_output_is_exit_4(tmp_path):
    result = run("plot", "--example", "tent", "--kind", "iterates", "-o", str(tmp_path / "missing" / "x.png"))
    assert result.exit_code == 4 and "cannot write" in result.output


@settings(max_examples=100, deadline=None)
@given(st.fractions().filter(bool))
def test_decimal_exponent_places_the_first_significant_digit(q):
    e = plots.decimal_exponent(Q(q))
    assert Fraction(10) ** e <= abs(q) < Fraction(10) ** (e + 1)


def test_wrong_leading_digit_means_off_by_a_unit_of_the_leading_digit():
    assert not plots.wrong_leading_digit(Q(1, 10**7), 9.9999999994e-08)  # 0.99999… vs 1: same value to a unit
    assert plots.wrong_leading_digit(Q(3, 100), 0.04)  # off by exactly one unit of 10⁻²
    assert not plots.wrong_leading_digit(Q(3, 100), 0.0399)
    assert plots.wrong_leading_digit(Q(0), 1e-300) and not plots.wrong_leading_digit(Q(0), 0.0)


def test_float_evaluator_is_numpy_float64():
    net = Network.from_arrays([[[1], [1]], [["1.9999", "-4"]]], [["0.00001", "-0.502"], [0]], ["relu", "identity"])
    w1, b1 = np.array([[1.0], [1.0]]), np.array([0.00001, -0.502])
    w2, b2 = np.array([[1.9999, -4.0]]), np.array([0.0])
    f = plots.float_evaluator(net)
    x = y = 0.175421
    for _ in range(100):
        x = float((w2 @ np.maximum(w1 @ np.array([x]) + b1, 0.0) + b2)[0])
        y = f(y)
        assert x == y
