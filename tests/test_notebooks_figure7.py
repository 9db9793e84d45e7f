"""Figure 7 of the paper, committed as certificates/figure7.json: exact facts, and why its "f³" is f⁴."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import notebook_reference as reference
from verichaos.dynamics import core_interval, find_period3_orbit, periodic_orbits
from verichaos.network import load_network
from verichaos.pwl import from_network
from verichaos.rational import Q

ROOT = Path(__file__).resolve().parents[1]
NETWORK = ROOT / "certificates" / "figure7.json"
CYCLE = (Q(0), Q(32736081, 50000000))  # f(0) = 0.7913 * 0.8274
FIXED = Q(65472162, 247395451)


def test_the_printed_weights_with_the_january_model():
    net = load_network(NETWORK)
    first, second = net.layers
    assert [row[0] for row in first.weight] == [Q(-18627, 10000), Q(376, 1000)] and list(first.bias) == [Q(8274, 10000), Q(-8103, 10000)]
    assert list(second.weight[0]) == [Q(7913, 10000), Q(-10071, 10000)] and list(second.bias) == [0]
    assert [layer.activation.name for layer in net.layers] == ["relu", "identity"]


def test_exactly_one_fixed_point_one_2_cycle_and_no_period_3():
    net = load_network(NETWORK)
    f = from_network(net)
    core = core_interval(f)
    assert f.fixed_points().points == (FIXED,) and not f.fixed_points().intervals
    [cycle] = periodic_orbits(f, 2, core).orbits
    assert tuple(cycle.points) == CYCLE and net(CYCLE[0]) == CYCLE[1] and net(CYCLE[1]) == CYCLE[0]
    assert find_period3_orbit(f, core) is None
    certificate = json.loads((ROOT / "certificates" / "figure7.cert.json").read_text(encoding="utf-8"))
    assert certificate["claim"] == "no-period-3" and certificate["network_sha256"] == net.sha256


def test_the_notebooks_test_counts_it_because_its_f3_is_f4():
    # As the notebook draws it: F3 = f(f(f(F0))) crosses the diagonal at 0, the fixed point and 0.6547,
    # three times where f crosses once; f^3 itself crosses only at the fixed point.
    net = reference.Net(np.array([[-1.8627, 0.3760]]), np.array([[0.8274, -0.8103]]), np.array([[0.7913], [-1.0071]]), np.zeros((1, 1)), "identity")
    test_X, F0, F3 = reference.grid_series(net, 2.0)
    assert (reference.count_points(test_X, F0), reference.count_points(test_X, F3)) == (1, 3)
    assert reference.chaos_verdict(net, 1.0) and reference.chaos_verdict(net, 2.0)
    F_cubed = net.rnn_pass(net.rnn_pass(np.array(F0)[:, None]))[:, 0].tolist()
    assert reference.count_points(test_X, F_cubed) == 1
    data = json.loads((ROOT / "docs" / "figures" / "pic-figure7-f4.data.json").read_text(encoding="utf-8"))
    assert data["n"] == 4 and data["fixed_points_of_f^n"] == ["0", "65472162/247395451", "32736081/50000000"]
    assert data["network_sha256"] == load_network(NETWORK).sha256 and data["has_period3"] is False
