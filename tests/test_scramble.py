"""Scrambling: exact trajectories of the seed's figure and the return statistic (verichaos.experiments.scramble)."""

from __future__ import annotations

import json
import time
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from verichaos.budget import BudgetExceeded, DeadlineExceeded, budget
from verichaos.cli import app
from verichaos.experiments.scramble import SEED_NETWORK, return_statistic, seed_figure
from verichaos.network import Network
from verichaos.rational import Q, to_fraction


def seed_map(x: Fraction) -> Fraction:
    """The seed's net written out by hand with fractions.Fraction, decimals read exactly."""
    relu = lambda z: max(z, Fraction(0))  # noqa: E731
    return Fraction("1.9999") * relu(x + Fraction("0.00001")) - 4 * relu(x - Fraction("0.502"))


def fraction_orbit(x: Fraction, steps: int) -> list[Fraction]:
    orbit = [x]
    for _ in range(steps):
        orbit.append(seed_map(orbit[-1]))
    return orbit


def test_seed_figure_distances_are_the_exact_fraction_distances(tmp_path):
    result = CliRunner().invoke(app, ["experiment", "scramble", "--pairs", "5", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "scramble-seed.data.json").read_text())
    x = Fraction("0.175421")
    xs, ys = fraction_orbit(x, 150), fraction_orbit(x + Fraction(1, 10**7), 150)
    assert [Fraction(d) for d in data["distance"]] == [abs(a - b) for a, b in zip(xs, ys)]
    assert [Fraction(v) for v in data["trajectory_x"]] == xs
    assert (tmp_path / "scramble-seed.png").stat().st_size > 5000
    assert (tmp_path / "scramble-returns.svg").stat().st_size > 5000


def test_seed_figure_is_fast_and_float64_goes_wrong_at_step_52():
    start = time.perf_counter()
    picture = seed_figure(150)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5, f"T = 150 took {elapsed:.2f} s"
    assert picture.departures == {"x": 53, "y": 52, "distance": 52}
    # the same step from the definition, recomputed with fractions: the float64
    # distance is off by at least one unit of the exact distance's leading digit
    exact = [to_fraction(d) for d in picture.distances]
    wrong = []
    for d, approximate in zip(exact, picture.float_distances):
        unit = Fraction(10) ** (len(str(int(d * 10**60))) - 61)  # 10^e with 10^e <= d < 10^(e+1), for d > 1e-60
        wrong.append(abs(Fraction(approximate) - d) >= unit)
    assert wrong.index(True) == 52
    assert picture.bits[-1] > 1500 and picture.bits == sorted(picture.bits)


def test_return_events_match_fraction_trajectories():
    stats = return_statistic(SEED_NETWORK, pairs=6, steps=80, epsilon=Q(1, 100), delta=Q(1, 2), seed=4)
    for pair in stats.pairs:
        x = to_fraction(pair.x)
        distances = [abs(a - b) for a, b in zip(fraction_orbit(x, 80), fraction_orbit(x + Fraction(1, 10**7), 80))]
        separated = next((t for t, d in enumerate(distances) if d > Fraction(1, 2)), None)
        returned = None
        if separated is not None:
            returned = next((t for t in range(separated + 1, 81) if distances[t] < Fraction(1, 100)), None)
        assert (pair.separated, pair.returned, pair.merged) == (separated, returned, None)
    assert stats.count("returned") == sum(p.returned is not None for p in stats.pairs)
    assert stats.by_step("separated")[-1] == stats.count("separated")


def test_pairs_that_land_on_a_flat_piece_merge_exactly():
    # f doubles [0, 1/2] and is constant 1 beyond: every pair ends at 1, together
    net = Network.from_arrays([[[1], [1]], [[2, -2]]], [[0, "-1/2"], [0]], ["relu", "identity"])
    stats = return_statistic(net, pairs=10, steps=200, seed=1)
    assert stats.count("merged") == 10 and stats.count("separated") == 0
    for pair in stats.pairs:
        x, y = to_fraction(pair.x), to_fraction(pair.x) + Fraction(1, 10**7)
        t = 0
        while x != y:
            x, y = (min(2 * max(v, Fraction(0)), Fraction(1)) for v in (x, y))
            t += 1
        assert pair.merged == t


def test_statistic_is_reproducible_and_validates_its_thresholds(tmp_path):
    first = return_statistic(SEED_NETWORK, pairs=4, steps=30, seed=9)
    assert first.pairs == return_statistic(SEED_NETWORK, pairs=4, steps=30, seed=9).pairs
    result = CliRunner().invoke(app, ["experiment", "scramble", "--epsilon", "0.5", "--delta", "0.1", "--pairs", "2", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "epsilon" in result.output


def test_statistic_stops_where_exact_iterates_outgrow_their_budget():
    # the first pair's iterates pass 65536 bits near step 4900, in about 2 s; unguarded, the run went on for hours
    with pytest.raises(BudgetExceeded, match=r"^the exact iterate at step \d+ has \d+ bits, more than 65536 "):
        return_statistic(SEED_NETWORK, pairs=1000, steps=100_000)


def test_statistic_stops_at_the_budget_deadline():
    with budget(seconds=0.5), pytest.raises(DeadlineExceeded, match="not done after 0.5 s"):
        return_statistic(SEED_NETWORK, pairs=10**7, steps=150)
