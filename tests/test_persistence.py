"""Persistence of chaos under noise: exact piece and lap counts (verichaos.experiments.persistence)."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from verichaos.cli import app
from verichaos.experiments.persistence import TENT_PARAMETERS, noisy_tent, quartiles, run_persistence, trial_counts
from verichaos.pwl import compose_on
from verichaos.rational import Q, from_float
from verichaos.strategies import piecewise_linear_maps, rationals


@pytest.mark.parametrize("trial", [0, 7])
def test_without_noise_both_models_have_exactly_two_to_the_d_pieces_and_laps(trial):
    counts = trial_counts(sigma=0.0, trial=trial, depth=10, seed=3)
    powers = [2**d for d in range(1, 11)]
    for model in ("rnn", "feedforward"):
        assert counts[model] == {"pieces": powers, "laps": powers}


def dense_counts(composite, grid: int) -> tuple[int, int]:
    """Pieces and laps of a continuous piecewise-linear function on [0, 1] from
    its exact values on the grid k/grid alone. A grid cell holding one corner
    has a slope strictly between its neighbours' (a weighted mean), so it is
    one corner, not a piece; the grid must be fine enough for one corner per cell."""
    values = [composite(Fraction(k, grid)) for k in range(grid + 1)]
    slopes = [(b - a) * grid for a, b in zip(values, values[1:])]
    runs: list[list] = []  # [slope, number of cells]
    for slope in slopes:
        if runs and runs[-1][0] == slope:
            runs[-1][1] += 1
        else:
            runs.append([slope, 1])
    mixed = sum(length == 1 and min(a[0], c[0]) < b < max(a[0], c[0]) for a, (b, length), c in zip(runs, runs[1:], runs[2:]))
    signs = [s > 0 for s in slopes if s]
    return len(runs) - mixed, 1 + sum(a != b for a, b in zip(signs, signs[1:]))


def direct(nets):
    """x ↦ net_d(…net_1(x)), evaluated layer by layer with fractions.Fraction: no pwl code involved."""
    layers = [
        [([Fraction(str(w)) for w in row], Fraction(str(b)), layer.activation.name) for row, b in zip(layer.weight, layer.bias)]
        for net in nets
        for layer in net.layers
    ]

    def evaluate(x: Fraction) -> Fraction:
        values = [x]
        for layer in layers:
            values = [
                (lambda z, kind: max(z, Fraction(0)) if kind == "relu" else z)(sum(w * v for w, v in zip(row, values)) + b, kind)
                for row, b, kind in layer
            ]
        return values[0]

    return evaluate


@pytest.mark.parametrize("trial", [0, 1, 2])
def test_exact_counts_agree_with_dense_exact_evaluation(trial):
    depth, sigma, seed = 3, 0.1, 11
    draws = np.random.default_rng([seed, trial]).standard_normal((depth, len(TENT_PARAMETERS)))
    copies = [noisy_tent(sigma * row) for row in draws]
    counts = trial_counts(sigma, trial, depth, seed)
    for d in range(1, depth + 1):
        for model, nets in (("rnn", [copies[0]] * d), ("feedforward", copies[:d])):
            pieces, laps = dense_counts(direct(nets), 2**10)
            assert (counts[model]["pieces"][d - 1], counts[model]["laps"][d - 1]) == (pieces, laps), (model, d)


def test_trials_are_reproducible_whatever_the_jobs_and_trial_count():
    serial = run_persistence([0.1], depth=4, trials=3, seed=5, jobs=1)
    parallel = run_persistence([0.1], depth=4, trials=3, seed=5, jobs=2)
    assert serial.counts == parallel.counts
    assert serial.counts[0.1][2] == trial_counts(0.1, 2, 4, 5)
    assert run_persistence([0.1], depth=4, trials=1, seed=6).counts[0.1][0] != serial.counts[0.1][0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=1, max_size=30))
def test_quartiles_are_exact_and_match_numpy(values):
    exact = quartiles(values)
    assert all(isinstance(q, Fraction) and q.denominator in (1, 2, 4) for q in exact)
    assert [float(q) for q in exact] == list(np.percentile(values, [25, 50, 75]))


@settings(max_examples=40, deadline=None)
@given(st.lists(piecewise_linear_maps(), min_size=1, max_size=3), rationals(), rationals(), st.lists(rationals(), max_size=5))
def test_compose_on_agrees_with_the_composite_on_the_interval(maps, a, b, points):
    lo, hi = min(a, b), max(a, b)
    composite = compose_on(maps, lo, hi)[-1]
    inside = [x for x in (lo, hi, (lo + hi) / 2, *points) if lo <= x <= hi]
    inside += [x for x in composite.breakpoints if lo <= x <= hi]
    for x in inside:
        y = x
        for f in maps:
            y = f(y)
        assert composite(x) == y


def test_persistence_command_writes_figure_and_exact_summary(tmp_path):
    result = CliRunner().invoke(
        app, ["experiment", "persistence", "--sigma", "0", "--depth", "5", "--trials", "2", "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{") :])
    assert summary["medians_at_max_depth"]["sigma=0.0 rnn pieces"] == 32
    assert (tmp_path / "persistence.png").stat().st_size > 5000
    data = json.loads((tmp_path / "persistence.data.json").read_text())
    assert [row["median"] for row in data["summary"] if row["model"] == "feedforward" and row["measure"] == "laps"] == [2, 4, 8, 16, 32]
    assert (tmp_path / "persistence.data.csv").read_text().startswith("sigma,model,measure,depth")


def test_negative_noise_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["experiment", "persistence", "--sigma", "-1", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "non-negative" in result.output


def test_noisy_copy_takes_each_float64_draw_exactly():
    noise = np.array([0.1, 0.0, 0.0, 0.0, 0.0, 0.0, -0.25])
    net = noisy_tent(noise)
    assert net.layers[0].weight[0][0] == from_float(1.0 + 0.1) != Q(11, 10)
    assert net.layers[1].bias[0] == Q(-1, 4)
