"""The main table's families against an independent implementation of the notebooks (tests/notebook_reference.py).

Three checks. The counting rule is the notebooks' loop on any array
(hypothesis). On the very same nets (verichaos's draws fed to the
reference), the grid counts and the exact minimal-period-2 answer agree net
for net. And on each implementation's own draws, every cell of the main
table (exact P(period 2), faithful f⁴ at W = 1 and W = 2) agrees within
sampling error: a two-proportion z-test at |z| ≤ 4 per cell (a false alarm
has probability about 6e-5 per cell, under 1e-3 for the fifteen cells), with
fixed seeds so the verdict is deterministic. The same comparison rejects the
earlier reading of row 4 (std 1/k in the output layer too), so it can fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import notebook_reference as reference
from verichaos.experiments.families import builtin_family, parse_family
from verichaos.experiments.grid import WINDOWS, count_sign_changes, sign_change_counts
from verichaos.experiments.measure import Chunk, measure_chunk
from verichaos.experiments.sampling import FloatNetwork, sample_arrays

NETS_PER_ROW = 3000
SEED = 20221005
Z_MARGIN = 4.0
COLUMNS = {"period2": None, "grid_published_w1": 1.0, "grid_published_w2": 2.0}  # column: window of the grid test


def as_notebook_net(arrays: FloatNetwork, output: str) -> reference.Net:
    """verichaos's (n_out, n_in) layers in the notebooks' (n_inputs, n_neurons) layout."""
    (w1, w2), (b1, b2) = arrays.weights, arrays.biases
    return reference.Net(w1.T, b1[None, :], w2.T, b2[None, :], output)


def output_activation(family) -> str:
    return family.layers[-1].activation.name


def proportions_agree(ours: int, theirs: int, n: int) -> bool:
    pooled = (ours + theirs) / (2 * n)  # float ok: a sampling-error margin between two estimates, not a verdict on a net
    if pooled in (0, 1):
        return ours == theirs
    return abs(ours - theirs) / n <= Z_MARGIN * math.sqrt(pooled * (1 - pooled) * 2 / n)


values = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-200, -1e-200, 1e200, -1e200, math.inf, -math.inf, math.nan]),
    st.floats(-3, 3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(values, values), min_size=3, max_size=12))
def test_the_counting_rule_is_the_notebooks_loop_as_written(pairs):
    x, f = (np.array(column) for column in zip(*pairs))
    assert count_sign_changes(x, f) == reference.count_points(x.tolist(), f.tolist())


def test_the_counting_rule_skips_the_last_pair_and_touching_zeros():
    x = np.zeros(6)
    assert count_sign_changes(x, -np.array([1.0, -1.0, 1.0, 1.0, 1.0, -1.0])) == 2  # the flip in the last pair is not counted
    assert count_sign_changes(x, -np.array([1.0, 0.0, 1.0, 1.0, 1.0, 0.0])) == 0  # a touching zero; a zero at the last point
    assert count_sign_changes(x, -np.array([1.0, 1.0, 1.0, 1.0, 0.0, -1.0])) == 1  # a zero next to the last point crossing once
    assert count_sign_changes(x, -np.array([1.0, 0.0, -1.0, -1.0, -1.0, -1.0])) == 1  # a crossing through a grid point, once
    assert count_sign_changes(x, -np.array([1e-200] + [-1e-200] * 5)) == 0  # the product underflows to -0, not < 0


@pytest.mark.parametrize("row", range(1, 6))
def test_on_the_same_nets_the_grid_counts_and_exact_period_2_agree_net_for_net(row):
    family = builtin_family(f"row{row}")
    indices = tuple(range(150))
    arrays = [sample_arrays(family, 2, SEED, index) for index in indices]
    counts = sign_change_counts(arrays, [spec.activation for spec in family.layers])
    records, _ = measure_chunk(Chunk(family, 2, SEED, indices))
    for position, (sample, record) in enumerate(zip(arrays, records)):
        net = as_notebook_net(sample, output_activation(family))
        assert record["period2"] == reference.has_minimal_period_2(net), position
        for window, width in WINDOWS.items():
            test_X, F0, F3 = reference.grid_series(net, width)
            fixed, _, fourth = counts[window][position].tolist()
            assert (fixed, fourth) == (reference.count_points(test_X, F0), reference.count_points(test_X, F3)), (position, window)
    assert sum(record["period2"] for record in records) > 0 or row == 4  # something to agree on


def reference_counts(row: int) -> dict[str, int]:
    rng = np.random.RandomState(SEED + row)
    nets = [reference.draw(rng, row) for _ in range(NETS_PER_ROW)]
    counts = {"period2": sum(reference.has_minimal_period_2(net) for net in nets)}
    for column, window in COLUMNS.items():
        if window is not None:
            counts[column] = sum(reference.chaos_verdict(net, window) for net in nets)
    return counts


def verichaos_counts(family) -> dict[str, int]:
    records, _ = measure_chunk(Chunk(family, 2, SEED, tuple(range(NETS_PER_ROW))))
    return {column: sum(record[column] for record in records) for column in COLUMNS}


@pytest.fixture(scope="module")
def row4_reference() -> dict[str, int]:
    return reference_counts(4)


@pytest.mark.parametrize("row", range(1, 6))
def test_every_cell_of_the_main_table_agrees_with_the_notebooks_within_sampling_error(row, row4_reference):
    theirs = row4_reference if row == 4 else reference_counts(row)
    ours = verichaos_counts(builtin_family(f"row{row}"))
    for column in COLUMNS:
        assert proportions_agree(ours[column], theirs[column], NETS_PER_ROW), (column, ours, theirs)


def test_the_comparison_rejects_the_earlier_reading_of_row_4(row4_reference):
    document = builtin_family("row4").to_json()
    document["layers"][1]["weight"] = {"kind": "normal", "std": 1, "per": "k"}  # std 1/k in the output layer
    earlier = verichaos_counts(parse_family(document))
    assert not proportions_agree(earlier["period2"], row4_reference["period2"], NETS_PER_ROW), (earlier, row4_reference)
