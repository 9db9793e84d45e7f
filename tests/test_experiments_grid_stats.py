"""The emulated grid test (as published, f^4, and corrected, f^3) and Wilson intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from verichaos.experiments.families import builtin_family
from verichaos.experiments.grid import GRID_POINTS, count_sign_changes, grid, sign_change_counts, verdicts
from verichaos.experiments.measure import exact_columns
from verichaos.experiments.sampling import FloatNetwork, sample_arrays
from verichaos.experiments.stats import Z95, wilson_interval
from verichaos.network import Network

TENT = FloatNetwork((np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])), (np.array([0.0, -0.5]), np.array([0.0])))
# f(x) = clip(-3x/2, -1, 1): decreasing, so no period 3, but {-1, 1} is a period-2 orbit.
FLIP = FloatNetwork((np.array([[-1.5]]), np.array([[1.0]])), (np.array([0.0]), np.array([0.0])))
FLIP_ACTIVATIONS = [{"name": "hardtanh", "min": -1, "max": 1}, "identity"]


def test_the_grid_is_the_notebooks_grid():
    assert GRID_POINTS == 163
    assert grid(1.0)[0] == -1.0 and grid(1.0)[-1] == 1.0 and np.allclose(np.diff(grid(2.0)), 4 / 162)


def test_tent_map_hand_count():
    # T has 2^n fixed points of T^n, all in [0, 1]: 2, 8, 16 for f, f^3, f^4. The one at 0 is a grid
    # point where x - T^n(x) touches 0 from below on both sides, which the notebooks' loop does not count.
    counts = sign_change_counts([TENT], ["relu", "identity"])
    assert counts["w1"].tolist() == [[1, 7, 15]]
    assert counts["w2"].tolist() == [[1, 7, 15]]
    assert verdicts([1, 7, 15]) == (True, True)


def test_the_published_f4_quirk_calls_a_period_2_map_period_3():
    counts = sign_change_counts([FLIP], FLIP_ACTIVATIONS)
    fixed, cube, fourth = counts["w2"][0].tolist()
    assert cube == fixed and fourth > fixed
    assert verdicts(counts["w2"][0].tolist()) == (True, False)  # published says yes, corrected says no
    # On [-1, 1] the orbit {-1, 1} sits on the two end points, which the notebooks' loop never looks at.
    assert counts["w1"][0].tolist() == [1, 1, 1]
    net = Network.from_arrays(FLIP.weights, FLIP.biases, FLIP_ACTIVATIONS)
    columns, certificate = exact_columns(net)
    assert (columns["period3"], columns["period2"], certificate) == (False, True, None)


def test_sign_changes_count_flips_and_crossing_zeros_once_each():
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    assert count_sign_changes(x, x - np.array([1.0, -1.0, 1.0, 1.0, 1.0])).tolist() == 2  # + - + + +
    assert count_sign_changes(x, x - np.array([1.0, 0.0, -1.0, -1.0, 1.0])).tolist() == 1  # + 0 - - +: the last pair is never looked at
    assert count_sign_changes(x, x - np.array([np.nan, 1.0, 1.0, 1.0, 1.0])).tolist() == 0  # overflow counts nothing


@pytest.mark.parametrize(("family", "width"), [("row2", 2), ("random-walk", 256)])
def test_a_nets_counts_do_not_depend_on_the_rest_of_its_batch(family, width):
    chosen = builtin_family(family).with_parameters({"s": 64}) if family == "random-walk" else builtin_family(family)
    activations = [spec.activation for spec in chosen.layers]
    batch = [sample_arrays(chosen, width, 9, index) for index in range(40)]
    together = sign_change_counts(batch, activations)
    assert together["w2"][:, 2].max() > 2  # crossings to get wrong, not just flat maps
    for index in (0, 17, 39):
        alone = sign_change_counts([batch[index]], activations)
        for window in together:
            assert np.array_equal(together[window][index], alone[window][0])


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [  # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_published_values(successes, trials, low, high):
    got = wilson_interval(successes, trials)
    assert got[0] == pytest.approx(low, abs=5e-5) and got[1] == pytest.approx(high, abs=5e-5)


def test_wilson_interval_closed_forms_and_edges():
    assert wilson_interval(0, 10) == (0.0, pytest.approx(Z95**2 / (10 + Z95**2)))
    assert wilson_interval(10, 10) == (pytest.approx(10 / (10 + Z95**2)), 1.0)
    low, high = wilson_interval(50, 100)
    assert low == pytest.approx(1 - high) and high - low < 2 * Z95 * math.sqrt(0.25 / 100)
    with pytest.raises(ValueError):
        wilson_interval(0, 0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
