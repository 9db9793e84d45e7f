"""The exact columns of sampled nets agree with the certifier, the independent checker and direct evaluation."""

from __future__ import annotations

import json

import pytest

from verichaos.certificate import certify
from verichaos.checker import check_certificate
from verichaos.dynamics import periodic_orbits
from verichaos.dynamics.entropy import decide_chaos
from verichaos.experiments.families import builtin_family
from verichaos.experiments.measure import Chunk, exact_columns, measure_chunk
from verichaos.experiments.sampling import sample_network
from verichaos.network import Network
from verichaos.pwl import from_network, pattern_breakpoints
from verichaos.rational import Q, parse_rational

# (family, width, seed, index): two nets the paper-table run found to have period 3, and ordinary ones.
CASES = [
    ("row2", 2, 20221005, 1107),
    ("row2", 2, 20221005, 1832),
    *[(family, 2, 3, index) for family in ("row1", "row5", "row1-clipped", "row3-depth3") for index in range(3)],
    ("random-walk", 16, 5, 0),
]


def isolated_fixed_points_by_direct_evaluation(net: Network) -> int:
    """Zeros of g(x) = net(x) − x, counted from g at the activation-pattern breakpoints
    (g is affine between them and beyond them), with the network's own evaluator."""
    knots = list(pattern_breakpoints(net)) or [Q(0)]
    points = [knots[0] - 1, *knots, knots[-1] + 1]
    g = [net(x) - x for x in points]
    zeros = sum(value == 0 for value in g)
    zeros += sum(a * b < 0 for a, b in zip(g, g[1:]))
    # Affine tails: a zero beyond the ends when g heads towards 0 there.
    zeros += g[0] != 0 and (g[1] - g[0]) * g[0] > 0
    zeros += g[-1] != 0 and (g[-1] - g[-2]) * g[-1] < 0
    return zeros


@pytest.mark.parametrize(("family", "width", "seed", "index"), CASES)
def test_exact_columns_agree_with_certificate_checker_and_direct_evaluation(family, width, seed, index):
    net = sample_network(builtin_family(family), width, seed, index)
    columns, certificate = exact_columns(net)
    independent = certify(net)
    assert columns["period3"] == independent.has_period3 == (certificate is not None)
    code, line = check_certificate(json.loads(json.dumps(certificate or independent.document)))
    assert code == 0, line
    if columns["orbit"]:
        x0, x1, x2 = (parse_rational(x) for x in columns["orbit"])
        assert len({x0, x1, x2}) == 3 and {net(x0), net(x1), net(x2)} == {x0, x1, x2}
    two = periodic_orbits(from_network(net), 2).all_orbits()
    assert columns["period2"] == bool(two)
    for orbit in two:
        x, y = orbit.points
        assert x != y and net(x) == y and net(y) == x
    if columns["fixed_intervals"] == 0:
        assert columns["fixed_points"] == isolated_fixed_points_by_direct_evaluation(net)
    assert columns["lap_f3"] >= 1


def test_lap_number_of_f3_on_the_core():
    tent = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
    flip = Network.from_arrays([[["-3/2"]], [[1]]], [[0], [0]], [{"name": "hardtanh", "min": -1, "max": 1}, "identity"])
    assert exact_columns(tent)[0]["lap_f3"] == 8  # T^3 on the core [0, 1]: 8 monotone laps
    assert exact_columns(flip)[0]["lap_f3"] == 1  # f decreasing on its core [-1, 1], so f^3 is too
    assert exact_columns(flip)[0]["fixed_points"] == 1


def test_a_chunk_returns_records_in_index_order_with_certificates_for_period_3():
    records, certificates = measure_chunk(Chunk(builtin_family("row2"), 2, 20221005, (1106, 1107)))
    assert [r["index"] for r in records] == [1106, 1107]
    assert records[1]["period3"] and records[1]["certificate"] == "certificates/trial-00001107.cert.json"
    assert list(certificates) == [records[1]["certificate"]]
    assert certificates[records[1]["certificate"]]["network"]["metadata"]["index"] == 1107
    assert check_certificate(json.loads(json.dumps(certificates[records[1]["certificate"]])))[0] == 0


# Row 1, width 2, seed 20221005: period 12 without period 3, period 3, and type 8 (periods exactly 1, 2, 4, 8).
CHAOS_CASES = [(111, "positive", None, False), (1949, "positive", None, True), (2041, "zero", 8, False)]


@pytest.mark.parametrize(("index", "chaos", "largest", "period3"), CHAOS_CASES)
def test_chaos_columns_of_known_nets(index, chaos, largest, period3):
    net = sample_network(builtin_family("row1"), 2, 20221005, index)
    columns, _ = exact_columns(net)
    assert (columns["chaos"], columns["largest_power_of_two_period"], columns["period3"]) == (chaos, largest, period3)
    assert columns["period2"]  # every one of them has period 2 (forced by 12, 3 and 8)


@pytest.mark.parametrize(("family", "width", "seed", "index"), CASES)
def test_chaos_columns_agree_with_the_verdict_and_sharkovsky(family, width, seed, index):
    net = sample_network(builtin_family(family), width, seed, index)
    columns, _ = exact_columns(net)
    verdict = decide_chaos(from_network(net))
    assert (columns["chaos"], columns["largest_power_of_two_period"]) == (verdict.chaos, verdict.largest_power_of_two_period)
    if columns["period3"]:
        assert columns["chaos"] == "positive"
    if columns["chaos"] == "zero":
        assert columns["period2"] == (columns["largest_power_of_two_period"] >= 2)
