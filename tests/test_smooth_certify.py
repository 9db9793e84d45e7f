"""Interval certificates: known smooth maps, the checker's verdicts, mutations, and a dense mpmath search.

* known maps: a smooth tent-like tanh map with a 3-cycle, a contraction, a decreasing map (no
  period above 2, a theorem), mixed relu/tanh and sigmoid nets; f = tanh (a fixed point with
  f' = 1) is UNDECIDED, never a certificate;
* every certificate written is VERIFIED by the independent checker, and every single-field
  mutation of one is REJECTED or MALFORMED;
* random small tanh nets: wherever a 40-digit dense search is clear-cut, the verdicts agree.
"""

import json
from fractions import Fraction

import mpmath
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verichaos.budget import PiecesExceeded
from verichaos.checker import check_certificate
from verichaos.network import Network
from verichaos.smooth import IntervalCertificate, Undecided, certify_smooth
from verichaos.smooth.trapping import trapping_interval

mpmath.mp.dps = 40

TENT_LIKE = Network.from_arrays([[[4], [4]], [[2, -2]]], [[0, -4], [-1]], ["tanh", "identity"])
DECREASING = Network.from_arrays([[[1], [2]], [[-2, "-1/2"]]], [[0, "-1/2"], ["1/4"]], ["tanh", "identity"])
CONTRACTION = Network.from_arrays([[[2], [-1]], [["1/2", "1/3"]]], [[0, "1/5"], ["1/7"]], ["tanh", "identity"])
MIXED = Network.from_arrays([[[1], [1]], [[2, -4]], [[2]]], [[0, "-1/2"], [0], [0]], ["relu", "tanh", "identity"])
# f(L) - L is about 1e-33 at the trapping interval's start L = -25/4: tanh saturates there
SATURATED = Network.from_arrays([[["23/4"], [-6]], [["9/2", -5]]], [["-7/2", 6], ["13/4"]], ["tanh", "identity"])
SIGMOID_BUMP = Network.from_arrays([[[8], [8]], [[4, -4]]], [[0, -8], [-1]], ["sigmoid", "identity"])


def check(document):
    code, line = check_certificate(json.dumps(document))
    assert "internal error" not in line, line
    return code, line


def certified(network):
    verdict = certify_smooth(network)
    assert isinstance(verdict, IntervalCertificate)
    code, line = check(verdict.document)
    assert code == 0, line
    return verdict


def f_mp(network, x):
    functions = {"tanh": mpmath.tanh, "sigmoid": lambda z: 1 / (1 + mpmath.exp(-z)), "relu": lambda z: max(z, 0),
                 "identity": lambda z: z}
    values = [x]
    for layer in network.layers:
        values = [functions[layer.activation.name](sum((mpmath.mpf(int(w.numerator)) / int(w.denominator) * h
                                                         for w, h in zip(row, values)),
                                                        mpmath.mpf(int(b.numerator)) / int(b.denominator)))
                  for row, b in zip(layer.weight, layer.bias)]
    return values[0]


# ---------------------------------------------------------------- known maps

@pytest.mark.parametrize("network", [TENT_LIKE, MIXED, SIGMOID_BUMP], ids=["tent-like", "relu-tanh", "sigmoid"])
def test_maps_with_a_3_cycle_get_a_li_yorke_witness(network):
    verdict = certified(network)
    assert verdict.has_period3
    ly = verdict.document["witness"]["li_yorke"]
    a = mpmath.mpf(Fraction(ly["a"]).numerator) / Fraction(ly["a"]).denominator
    b = f_mp(network, a)
    c = f_mp(network, b)
    d = f_mp(network, c)
    assert (d < a < b < c) if ly["case"] == "d<a<b<c" else (d > a > b > c)


@pytest.mark.parametrize("network", [DECREASING, CONTRACTION, SATURATED], ids=["decreasing", "contraction", "saturated"])
def test_maps_without_period_3_get_a_cover(network):
    verdict = certified(network)
    proof = verdict.document["proof"]
    assert not verdict.has_period3 and proof["kind"] == "interval"
    assert [Fraction(e) for e in proof["trapping"]] == [Fraction(e) for e in trapping_interval(network)]
    assert sum(Fraction(1, 2**d) for d in proof["depths"]) == 1


def test_trapping_interval_is_the_bound_of_bounded_activations():
    assert trapping_interval(TENT_LIKE) == (-5, 3)  # -1 -+ (2 + 2)
    assert trapping_interval(SIGMOID_BUMP) == (-5, 3)  # sigmoid in [0, 1]: -1 + [-4, 4]
    assert trapping_interval(MIXED) == (-2, 2)


def test_a_fixed_point_with_derivative_1_is_undecided():
    with pytest.raises(Undecided, match="undecided pieces"):
        certify_smooth(Network.from_arrays([[[1]]], [[0]], ["tanh"]), budget=3000)


def test_an_exhausted_budget_is_budget_exceeded_with_its_reason():
    with pytest.raises(PiecesExceeded, match="needs more than 2 pieces"):
        certify_smooth(DECREASING, budget=2)


# ---------------------------------------------------------------- the checker's verdicts

def test_a_claim_flipped_by_hand_is_rejected():
    positive = certified(TENT_LIKE).document
    forged = {k: v for k, v in positive.items() if k != "witness"}
    lo, hi = trapping_interval(TENT_LIKE)
    forged.update(claim="no-period-3", statement="f has no point of minimal period 3", consequences=[],
                  proof={"kind": "interval", "trapping": [str(lo), str(hi)], "depths": [3] * 8})
    code, line = check(forged)
    assert code == 1 and "is proved nonzero" in line


def test_interval_certificates_prove_period_3_only():
    document = certified(DECREASING).document
    forged = {**document, "claim": "no-period-5", "statement": "f has no point of minimal period 5"}
    code, line = check(forged)
    assert code == 1 and "proves period-3 by a witness, no-period-3 by a proof: not no-period-5" in line, line


def test_interval_kind_needs_a_smooth_network_and_exact_kind_refuses_tanh():
    tent = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
    document = certified(TENT_LIKE).document
    code, line = check({**document, "network": tent.to_json(), "network_sha256": tent.sha256})
    assert code == 1 and "for a network with a tanh or sigmoid activation" in line, line
    exact = {**document, "witness": {"orbit": ["0", "1", "2"], "li_yorke": {"a": "0", "case": "d<=a<b<c"}}}
    code, line = check(exact)
    assert code == 3 and "'tanh' is not piecewise linear" in line, line


def test_the_given_network_file_may_be_smooth():
    document = certified(TENT_LIKE).document
    assert check_certificate(json.dumps(document), json.dumps(TENT_LIKE.to_json()))[0] == 0
    assert check_certificate(json.dumps(document), json.dumps(DECREASING.to_json()))[0] == 1


def leaves(node, path=()):
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path, node


def mutations(value):
    """Single-field changes of one leaf."""
    if isinstance(value, bool) or value is None:
        yield "0"
    elif isinstance(value, int):
        yield from (value + 1, value - 1)
    elif isinstance(value, str) and value in ("d<a<b<c", "d>a>b>c"):
        yield "d>a>b>c" if value == "d<a<b<c" else "d<a<b<c"
    elif isinstance(value, str) and value in ("period-3", "no-period-3"):
        yield "no-period-3" if value == "period-3" else "period-3"
    elif isinstance(value, str) and value.lstrip("-").replace("/", "", 1).isdigit():
        yield from (str(Fraction(value) + Fraction(1, 10**9)), str(Fraction(value) - Fraction(1, 10**9)))
    elif isinstance(value, str):
        yield from (value + ".", value[:-1])
    else:
        yield "x"


def replaced(document, path, value):
    copy = json.loads(json.dumps(document))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


@pytest.mark.parametrize("network", [TENT_LIKE, DECREASING], ids=["period-3", "no-period-3"])
def test_every_single_field_mutation_is_refused(network):
    document = certified(network).document
    tried = 0
    for path, value in leaves(document):
        if path[0] in ("tool", "statistics") or path[:2] == ("network", "metadata"):
            continue
        for new in mutations(value):
            tried += 1
            code, line = check(replaced(document, path, new))
            assert code in (1, 3), (path, value, new, line)
    if "proof" in document:  # a piece added or removed
        depths = document["proof"]["depths"]
        for changed in (depths[1:], depths + [depths[-1]], [d + 1 for d in depths]):
            assert check(replaced(document, ("proof", "depths"), changed))[0] == 1
    assert tried > 20


# ---------------------------------------------------------------- against a dense mpmath search

def dense_verdict(network, points=600):
    """'period-3', 'no-period-3', or None when the dense search is not clear-cut."""
    lo, hi = (mpmath.mpf(int(e.numerator)) / int(e.denominator) for e in trapping_interval(network))
    if lo == hi:  # a constant map
        return None
    xs = [lo + (hi - lo) * i / points for i in range(points + 1)]
    orbits = []
    for x in xs:
        b = f_mp(network, x)
        c = f_mp(network, b)
        orbits.append((x, b, c, f_mp(network, c)))
    if any(min(a - d, b - a, c - b) > 1e-6 or min(d - a, a - b, b - c) > 1e-6 for a, b, c, d in orbits):
        return "period-3"
    g = [d - a for a, _, _, d in orbits]
    h = [b - a for a, b, _, _ in orbits]
    bends = [0] + [abs(g[i + 1] - 2 * g[i] + g[i - 1]) for i in range(1, points)] + [0]
    for i in range(points):
        bend = max(bends[max(i - 1, 0):i + 3])  # a local estimate of the curvature: hence "clear-cut" only
        if g[i] * g[i + 1] > 0 and min(abs(g[i]), abs(g[i + 1])) > 4 * bend + 1e-12:
            continue  # g keeps its sign across the cell: no zero of f^3(x) - x in it
        if g[i] * g[i + 1] < 0 and h[i] * h[i + 1] < 0 and min(abs(g[i]), abs(g[i + 1])) > 1e-9:
            continue  # one crossing of f^3(x) = x in the cell, where f(x) = x crosses too: a fixed point
        return None
    return "no-period-3"


small = st.integers(-24, 24).map(lambda n: Fraction(n, 4))


@st.composite
def tanh_networks(draw):
    width = draw(st.integers(1, 3))
    w1 = [[str(draw(small))] for _ in range(width)]
    b1 = [str(draw(small)) for _ in range(width)]
    w2 = [[str(draw(small)) for _ in range(width)]]
    return Network.from_arrays([w1, w2], [b1, [str(draw(small))]], ["tanh", "identity"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tanh_networks())
def test_random_tanh_nets_agree_with_a_dense_search_where_it_is_clear_cut(network):
    expected = dense_verdict(network)
    try:
        verdict = certify_smooth(network, budget=4000)
    except Undecided:
        claim = None
    else:
        assert check(verdict.document)[0] == 0
        claim = verdict.claim
    if expected is not None:
        assert claim == expected, (expected, verdict.summary, network.to_json())


def test_a_proof_beyond_the_work_limit_is_refused_before_any_enclosure():
    document = certified(DECREASING).document
    code, line = check(replaced(document, ("proof", "depths"), [16] * 2**16))
    assert code == 3 and "work limit" in line, line


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 3), st.sampled_from(["tanh", "sigmoid", "relu", "abs"]), st.sampled_from(["tanh", "sigmoid", "identity"]),
       st.lists(small, min_size=16, max_size=16))
def test_every_certificate_of_a_random_mixed_net_is_verified(width, first, second, values):
    if "tanh" not in (first, second) and "sigmoid" not in (first, second):
        second = "sigmoid"
    pick = iter(values)
    network = Network.from_arrays([[[str(next(pick))] for _ in range(width)], [[str(next(pick)) for _ in range(width)]]],
                                  [[str(next(pick)) for _ in range(width)], [str(next(pick))]], [first, second])
    try:
        verdict = certify_smooth(network, budget=2000)
    except Undecided:
        return
    code, line = check(verdict.document)
    assert code == 0, (line, network.to_json())
