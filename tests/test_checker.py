"""Tests of the independent checker, with hand-written certificates only.

Every orbit, bound and cut below was worked out by hand (see the comments);
hashes are computed here from hand-written canonical JSON, not by the checker.
"""

import copy
import hashlib
import json
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verichaos.checker import check_certificate, main
from verichaos.checker.reader import (Malformed, canon, network_sha256, parse_network,
                                      rational_from_text)
from verichaos.checker.exact import Net


def evaluate(layers, x):
    return Net(layers).f(x)

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

PERIOD3 = "f has a point of minimal period 3"
NO_PERIOD3 = "f has no point of minimal period 3"
CONSEQUENCES = [
    "f has periodic points of every period n >= 1 (Sharkovsky 1964)",
    "f has an uncountable scrambled set: f is Li-Yorke chaotic (Li and Yorke 1975)",
    "the topological entropy of f is at least log((1+sqrt(5))/2) "
    "(Block, Guckenheimer, Misiurewicz and Young 1980)",
]


def net(*layers, metadata=None):
    doc = {"format": "verichaos-network", "version": 1,
           "layers": [{"weight": w, "bias": b, "activation": a} for w, b, a in layers]}
    if metadata is not None:
        doc["metadata"] = metadata
    return doc


def sha(network):
    """Hash of a network written in canonical spelling: its own JSON, sorted, minus metadata."""
    body = {k: v for k, v in network.items() if k != "metadata"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def positive(network, orbit, a, case):
    return {"format": "verichaos-certificate", "version": 1, "network": network,
            "network_sha256": sha(network), "claim": "period-3", "statement": PERIOD3,
            "consequences": list(CONSEQUENCES),
            "witness": {"orbit": orbit, "li_yorke": {"a": a, "case": case}},
            "tool": {"name": "verichaos", "version": "0.1.0"}, "statistics": {"seconds": 0.25}}


def negative(network, chain, cuts):
    return {"format": "verichaos-certificate", "version": 1, "network": network,
            "network_sha256": sha(network), "claim": "no-period-3", "statement": NO_PERIOD3,
            "consequences": [],
            "proof": {"chain": [{"cuts": c, "bound": b} for c, b in chain], "cuts": cuts}}


# T(x) = 2 relu(x) - 4 relu(x - 1/2): 0 on (-inf, 0], 2x on [0, 1/2], 2 - 2x on [1/2, inf).
TENT = net(([["1"], ["1"]], ["0", "-1/2"], "relu"), ([["2", "-4"]], ["0"], "identity"),
           metadata={"name": "tent map"})
TENT_CANONICAL = ('{"format":"verichaos-network","layers":[{"activation":"relu","bias":["0","-1/2"],'
                  '"weight":[["1"],["1"]]},{"activation":"identity","bias":["0"],"weight":[["2","-4"]]}],'
                  '"version":1}')
# T(2/7) = 4/7, T(4/7) = 8/7 - 4/14 = 6/7, T(6/7) = 12/7 - 10/7 = 2/7.
# Li-Yorke with a = 2/7: b = 4/7, c = 6/7, d = 2/7: d <= a < b < c.
TENT_POS = positive(TENT, ["2/7", "4/7", "6/7"], "2/7", "d<=a<b<c")

# g(x) = -T(-x): orbit -6/7 -> -2/7 -> -4/7 -> -6/7; a = -2/7: b = -4/7, c = -6/7, d = -2/7.
FLIPPED = net(([["-1"], ["-1"]], ["0", "-1/2"], "relu"), ([["-2", "4"]], ["0"], "identity"))
FLIPPED_POS = positive(FLIPPED, ["-6/7", "-2/7", "-4/7"], "-2/7", "d>=a>b>c")

# f(x) = x/2, one identity layer: affine on R, f^3(x) = x/8, only fixed point 0.
HALF = net(([["1/2"]], ["0"], "identity"))
HALF_NEG = negative(HALF, [], [])
# The same f with relu layers, relu(x)/2 - relu(-x)/2: the pattern changes at 0, so cut there.
HALF_RELU = net(([["1"], ["-1"]], ["0", "0"], "relu"), ([["1/2", "-1/2"]], ["0"], "identity"))
HALF_RELU_NEG = negative(HALF_RELU, [], ["0"])

# f(x) = (relu(x) - relu(x - 1))/2: 0 on (-inf, 0], x/2 on [0, 1], 1/2 on [1, inf).
# Chain: f(R) = [0, 1/2] (a chain may stop early: f([0, 1/2]) = [0, 1/4] is smaller still).
# On [0, 1/2], f^3(x) = x/8, fixed point 0 = f(0); no neuron reaches 0 or 1 inside, so no cut.
SQUASH = net(([["1"], ["1"]], ["0", "-1"], "relu"), ([["1/2", "-1/2"]], ["0"], "identity"))
SQUASH_NEG = negative(SQUASH, [(["0", "1"], ["0", "1/2"])], [])

# f(x) = |x|/2 - 1/4, a contraction: f(R) = [-1/4, inf). Final cuts so that f, f on K
# and f on f(K) are affine: [-1/4, 0] -> [-1/4, -1/8]; [0, 1/2] -> [-1/4, 0] -> [-1/4, -1/8];
# [1/2, 3/2] -> [0, 1/2] -> [-1/4, 0]; [3/2, inf) -> [1/2, inf) -> [0, inf).
# Fixed point -1/6 lies in [-1/4, 0]: f(-1/6) = 1/12 - 1/4 = -1/6.
ABS = net(([["1"]], ["0"], "abs"), ([["1/2"]], ["-1/4"], "identity"))
ABS_NEG = negative(ABS, [(["0"], ["-1/4", None])], ["0", "1/2", "3/2"])

# f(x) = clip(x, 0, 1): identity on [0, 1], so f^3 = f = identity there.
CLIP = net(([["1"]], ["0"], {"max": "1", "min": "0", "name": "hardtanh"}))
CLIP_NEG = negative(CLIP, [(["0", "1"], ["0", "1"])], [])

# f(x) = leaky_relu(x, 1/4)/2: slopes 1/8 and 1/2, only fixed point 0.
LEAKY = net(([["1"]], ["0"], {"alpha": "1/4", "name": "leaky_relu"}), ([["1/2"]], ["0"], "identity"))
LEAKY_NEG = negative(LEAKY, [], ["0"])

# f = clip(x + 2 - 6 relu(x - 3) + 6 relu(x - 4), 0, 5), x + 2 written relu(x+2) - relu(-x-2):
# x + 2 on [-2, 3], 5 -> 0 on [3, 4], x - 4 on [4, 9]; f(R) = [0, 5].
# [0, 1] -> [2, 3] -> [4, 5] -> [0, 1] by translations: every point of [0, 1] has period 3.
ROTATE = net(([["1"], ["-1"], ["1"], ["1"]], ["2", "-2", "-3", "-4"], "relu"),
             ([["1", "-1", "-6", "6"]], ["0"], {"max": "5", "min": "0", "name": "hardtanh"}))
ROTATE_POS = positive(ROTATE, ["0", "2", "4"], "0", "d<=a<b<c")
ROTATE_NEG = negative(ROTATE, [(["-2", "3", "4", "9"], ["0", "5"])], ["1", "2", "3", "4"])

# A wrong negative certificate for the tent map: f(R) is in (-inf, 1], then in [0, 1];
# on [1/8, 1/4], f^3(x) = 2 - 8x, whose fixed point 2/9 has T(2/9) = 4/9.
TENT_NEG = negative(TENT, [(["0", "1/2"], [None, "1"]), (["0", "1/2"], ["0", "1"])],
                    ["1/8", "1/4", "3/8", "1/2", "5/8", "3/4", "7/8"])

GOOD = {"tent": TENT_POS, "flipped": FLIPPED_POS, "half": HALF_NEG, "half_relu": HALF_RELU_NEG,
        "squash": SQUASH_NEG, "abs": ABS_NEG, "clip": CLIP_NEG, "leaky": LEAKY_NEG, "rotate": ROTATE_POS}


def check(cert, network=None):
    return check_certificate(json.dumps(cert), None if network is None else json.dumps(network))


def edited(cert, path, value):
    """A deep copy of cert with the entry at path (a list of keys) set to value."""
    cert = copy.deepcopy(cert)
    target = cert
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return cert


def assert_rejected(cert, *fragments, network=None):
    code, line = check(cert, network)
    assert code == 1 and line.startswith("REJECTED: "), line
    for fragment in fragments:
        assert fragment in line, line


def assert_malformed(text, *fragments, network=None):
    code, line = check_certificate(text, network)
    assert code == 3 and line.startswith("MALFORMED: "), line
    for fragment in fragments:
        assert fragment in line, line


# ---------------------------------------------------------------- VERIFIED

@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_certificates_verify(name):
    cert = GOOD[name]
    code, line = check(cert)
    assert (code, line) == (0, f"VERIFIED: {cert['statement']} (network sha256 {cert['network_sha256'][:16]})")


def test_canonical_serialization_and_hash_of_the_tent_map():
    layers = parse_network(TENT, "network", canonical=True)
    assert network_sha256(layers) == hashlib.sha256(TENT_CANONICAL.encode()).hexdigest() == sha(TENT)


def test_tent_map_values_by_hand():
    layers = parse_network(TENT, "network", canonical=True)
    for x, y in [("2/7", "4/7"), ("4/7", "6/7"), ("6/7", "2/7"), ("-3", "0"), ("5", "-8"), ("1/2", "1")]:
        assert evaluate(layers, Fraction(x)) == Fraction(y)


def test_network_file_in_any_spelling_matches():
    # The tent map again: JSON literals, decimals, other key order and white space, metadata.
    text = ('{ "layers": [ {"activation": "relu", "bias": [0, -0.5], "weight": [[1.0], ["1"]]},\n'
            '  {"bias": ["0.0"], "weight": [[2e0, "-4/1"]], "activation": "identity"} ],\n'
            '  "version": 1, "format": "verichaos-network", "metadata": {"x": [1.5, null]} }')
    assert check_certificate(json.dumps(TENT_POS), text)[0] == 0


def test_network_file_activation_spellings():
    # "clip" and bare "hardtanh" are hardtanh(-1, 1); bare "leaky_relu" has alpha 1/100.
    clip = net(([["1"]], ["0"], {"max": "1", "min": "-1", "name": "hardtanh"}))
    cert = negative(clip, [(["-1", "1"], ["-1", "1"])], [])
    assert check(cert)[0] == 0
    for spelling in ["clip", "hardtanh", {"name": "clip", "min": -1, "max": "1.0"}, {"name": "hardtanh"},
                     {"name": "hardtanh", "min": "-1"}]:
        assert check(cert, net(([[1]], [0], spelling)))[0] == 0, spelling
    leaky = net(([["1"]], ["0"], {"alpha": "1/100", "name": "leaky_relu"}))
    cert = negative(leaky, [], ["0"])
    assert check(cert)[0] == 0
    for spelling in ["leaky_relu", {"name": "leaky_relu", "alpha": 0.01}]:
        assert check(cert, net(([[1]], [0], spelling)))[0] == 0, spelling


def test_constant_map_with_a_point_bound():
    # f(x) = 3: f(R) = {3}; the last bound is the point [3, 3], a single piece with f(3) = 3.
    const = net(([["0"]], ["3"], "identity"))
    assert check(negative(const, [([], ["3", "3"])], []))[0] == 0
    assert_rejected(negative(const, [([], ["3", "3"])], ["3"]), "cut 3 at index 0 is not strictly inside [3, 3]")
    assert_rejected(negative(const, [([], ["2", "5/2"])], []), "the bound [2, 5/2] is not the image [3, 3]")


# ---------------------------------------------------------------- REJECTED

def test_wrong_orbit():
    assert_rejected(edited(TENT_POS, ["witness", "orbit"], ["2/7", "4/7", "5/7"]),
                    "f(x1) = 6/7, not x2 = 5/7")


def test_swapped_orbit_order():
    assert_rejected(edited(TENT_POS, ["witness", "orbit"], ["2/7", "6/7", "4/7"]),
                    "f(x0) = 4/7, not x1 = 6/7")


def test_orbit_not_starting_at_its_smallest_point():
    assert_rejected(edited(TENT_POS, ["witness", "orbit"], ["4/7", "6/7", "2/7"]),
                    "x0 = 4/7 is not the smallest")


def test_fixed_point_is_not_an_orbit():
    # T(2/3) = 2/3.
    assert_rejected(edited(TENT_POS, ["witness", "orbit"], ["2/3", "2/3", "2/3"]), "not pairwise distinct")


def test_wrong_li_yorke_case():
    assert_rejected(edited(TENT_POS, ["witness", "li_yorke", "case"], "d>=a>b>c"),
                    "Li-Yorke case d>=a>b>c fails", "d = f(c) = 2/7")
    assert_rejected(edited(FLIPPED_POS, ["witness", "li_yorke", "case"], "d<=a<b<c"), "Li-Yorke")
    # a = 4/7: b = 6/7, c = 2/7: not increasing.
    assert_rejected(edited(TENT_POS, ["witness", "li_yorke", "a"], "4/7"), "Li-Yorke")


def test_wrong_hash():
    cert = edited(TENT_POS, ["network_sha256"], "0" * 64)
    assert_rejected(cert, f"network_sha256 does not match the network (recomputed {sha(TENT)})")


def test_changed_network_is_caught_by_the_hash():
    cert = edited(TENT_POS, ["network", "layers", 1, "weight"], [["2", "-3"]])
    assert_rejected(cert, "network_sha256 does not match")


def test_metadata_is_not_part_of_the_identity():
    assert check(edited(TENT_POS, ["network", "metadata"], {"name": "other", "n": 3.5}))[0] == 0


def test_mismatched_network_file():
    assert_rejected(TENT_POS, f"the certificate is about network {sha(TENT)}, not about the given "
                    f"network file (sha256 {sha(FLIPPED)})", network=FLIPPED)


def test_removed_chain_cut_breaks_affineness():
    cert = edited(SQUASH_NEG, ["proof", "chain", 0, "cuts"], ["0"])
    assert_rejected(cert, "chain step 1, piece [0, +inf): neuron 2 of layer 1 changes activation piece "
                    "(pre-activation ranges over [-1, +inf))")


def test_shifted_chain_cut_breaks_affineness():
    cert = edited(SQUASH_NEG, ["proof", "chain", 0, "cuts"], ["0", "2"])
    assert_rejected(cert, "chain step 1, piece [0, 2]: neuron 2 of layer 1 changes activation piece "
                    "(pre-activation ranges over [-1, 1])")


def test_shifted_final_cut_breaks_affineness_on_the_image():
    # [1/3, 3/2] -> f(J) = [-1/12, 1/2], on which |x| has a kink.
    cert = edited(ABS_NEG, ["proof", "cuts"], ["0", "1/3", "3/2"])
    assert_rejected(cert, "piece [1/3, 3/2]: on f(J) = [-1/12, 1/2]: neuron 1 of layer 1 changes "
                    "activation piece (pre-activation ranges over [-1/12, 1/2])")


def test_removed_final_cut_breaks_affineness_on_the_second_image():
    # [1/2, inf) -> f(J) = [0, inf) -> f^2(J) = [-1/4, inf).
    cert = edited(ABS_NEG, ["proof", "cuts"], ["0", "1/2"])
    assert_rejected(cert, "piece [1/2, +inf): on f^2(J) = [-1/4, +inf): neuron 1 of layer 1")


def test_relu_half_needs_a_cut_at_zero():
    assert_rejected(edited(HALF_RELU_NEG, ["proof", "cuts"], []),
                    "piece (-inf, +inf): neuron 1 of layer 1 changes activation piece "
                    "(pre-activation ranges over (-inf, +inf))")


def test_bound_that_does_not_contain_the_image():
    cert = edited(SQUASH_NEG, ["proof", "chain", 0, "bound"], ["0", "1/4"])
    assert_rejected(cert, "chain step 1: the bound [0, 1/4] is not the image [0, 1/2] of the previous interval")
    cert = edited(ABS_NEG, ["proof", "chain", 0, "bound"], ["0", None])
    assert_rejected(cert, "the bound [0, +inf) is not the image [-1/4, +inf)")
    cert = edited(SQUASH_NEG, ["proof", "chain", 0, "bound"], ["1/2", "0"])
    assert_rejected(cert, "chain step 1: the bound [1/2, 0] is not the image [0, 1/2]")


def test_bound_that_holds_the_image_but_is_larger():
    # Sound, but not the certificate: a bound is the exact image (tightness).
    assert_rejected(edited(SQUASH_NEG, ["proof", "chain", 0, "bound"], ["-1", "1/2"]),
                    "chain step 1: the bound [-1, 1/2] is not the image [0, 1/2] of the previous interval")
    assert_rejected(edited(ABS_NEG, ["proof", "chain", 0, "bound"], [None, None]),
                    "the bound (-inf, +inf) is not the image [-1/4, +inf)")


def test_chain_stops_before_a_repeat():
    # clip(x, 0, 1) maps [0, 1] onto itself; x/2 maps R onto itself.
    cert = edited(CLIP_NEG, ["proof", "chain"], [*CLIP_NEG["proof"]["chain"], {"cuts": [], "bound": ["0", "1"]}])
    assert_rejected(cert, "chain step 2: the bound repeats the previous interval")
    cert = edited(HALF_NEG, ["proof", "chain"], [{"cuts": [], "bound": [None, None]}])
    assert_rejected(cert, "chain step 1: the bound repeats the previous interval")


def test_cuts_must_be_justified():
    # x = 1/2: the pre-activations of SQUASH are 1/2 and -1/2, neither a threshold.
    assert_rejected(edited(SQUASH_NEG, ["proof", "chain", 0, "cuts"], ["0", "1/2", "1"]),
                    "chain step 1: cut 1/2 is not justified")
    # 1, f(1) = 1/2, f(1/2) = 1/4: no neuron of HALF_RELU at 0 there.
    assert_rejected(edited(HALF_RELU_NEG, ["proof", "cuts"], ["0", "1"]),
                    "final cut 1 is not justified: no neuron crosses a threshold there at c or f(c) or f^2(c)")
    # ABS_NEG's cut 3/2 is justified two steps on: f(3/2) = 1/2, f(1/2) = 0, a kink of |x|.
    assert check(ABS_NEG)[0] == 0


# f(x) = relu(relu(x))/2: the second relu's pre-activation rests on 0 all over (-inf, 0].
RESTING = net(([["1"]], ["0"], "relu"), ([["1"]], ["0"], "relu"), ([["1/2"]], ["0"], "identity"))
RESTING_NEG = negative(RESTING, [(["0"], ["0", None])], [])


def test_a_neuron_resting_on_its_threshold_justifies_no_cut():
    assert check(RESTING_NEG)[0] == 0
    # At -1 the second neuron is on 0, but on 0 on both sides too: it crosses nothing there.
    assert_rejected(edited(RESTING_NEG, ["proof", "chain", 0, "cuts"], ["-1", "0"]),
                    "chain step 1: cut -1 is not justified: no neuron crosses a threshold there at c")


def test_li_yorke_point_is_a_point_of_the_orbit():
    # a = 1/4: b = 1/2, c = 1, d = 0 satisfies d <= a < b < c, but a is not on the orbit (tightness).
    assert_rejected(edited(TENT_POS, ["witness", "li_yorke", "a"], "1/4"),
                    "the Li-Yorke point a = 1/4 is not a point of the orbit")


def test_cuts_must_increase_strictly_inside_the_bound():
    cert = edited(ABS_NEG, ["proof", "cuts"], ["0", "1/2", "1/2", "3/2"])
    assert_rejected(cert, "REJECTED: cuts of the final partition are not strictly increasing at index 2")
    assert_rejected(edited(ABS_NEG, ["proof", "cuts"], ["-1/4", "1/2"]),
                    "cut -1/4 at index 0 is not strictly inside [-1/4, +inf)")
    assert_rejected(edited(SQUASH_NEG, ["proof", "chain", 0, "cuts"], ["1", "0"]),
                    "chain step 1: cuts are not strictly increasing at index 1")


def test_wrong_negative_certificate_for_the_tent_map():
    assert_rejected(TENT_NEG, "piece [1/8, 1/4]: f^3(x) = x at x = 2/9 but f(x) = 4/9, "
                    "so x has minimal period 3")


def test_interval_of_period_3_points_is_caught():
    assert_rejected(ROTATE_NEG, "piece [0, 1]: f^3 is the identity on the piece but f is not (f(x) = 1*x + 2 there)")


def test_wrong_statement_or_consequences():
    assert_rejected(edited(TENT_POS, ["statement"], NO_PERIOD3), "statement is not the statement of claim period-3")
    assert_rejected(edited(TENT_POS, ["statement"], PERIOD3 + "."), "statement")
    assert_rejected(edited(TENT_POS, ["consequences"], CONSEQUENCES[:2]), "consequences")
    assert_rejected(edited(HALF_NEG, ["consequences"], CONSEQUENCES), "consequences")


def test_claim_flipped():
    assert_rejected(edited(TENT_POS, ["claim"], "no-period-3"), "statement")
    cert = edited(edited(TENT_POS, ["claim"], "no-period-3"), ["statement"], NO_PERIOD3)
    assert_rejected(edited(cert, ["consequences"], []), "claim no-period-3 needs a proof")
    cert = edited(edited(HALF_NEG, ["claim"], "period-3"), ["statement"], PERIOD3)
    assert_rejected(edited(cert, ["consequences"], CONSEQUENCES), "claim period-3 needs a witness")


# ---------------------------------------------------------------- MALFORMED

def test_not_json():
    assert_malformed("hello", "not valid JSON")
    assert_malformed(json.dumps(TENT_POS)[:-20], "not valid JSON")
    assert_malformed(b"\xff\xfe{}", "not UTF-8")
    assert_malformed(b"\xef\xbb\xbf" + json.dumps(TENT_POS).encode(), "not valid JSON")
    assert_malformed("[]", "expected a JSON object, got a list")
    assert_malformed("[" * 100_000 + "]" * 100_000, "nested too deeply")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity(constant):
    text = json.dumps(TENT_POS).replace('"statistics": {"seconds": 0.25}', f'"statistics": {constant}')
    assert constant in text
    assert_malformed(text, "refused")
    text = json.dumps(TENT_POS).replace('"-1/2"', f'"{constant}"')
    assert_malformed(text, "network.layers[0].bias[1]", "refused")


def test_million_digit_numbers_are_refused_fast():
    big = "7" * 10**6
    texts = [json.dumps(TENT_POS).replace('"-1/2"', big),         # a JSON literal
             json.dumps(TENT_POS).replace('"-1/2"', f'"{big}"'),  # a string
             json.dumps(TENT_POS).replace('"2/7"', f'"1/{big}"', 1),
             json.dumps(TENT_POS).replace('"2/7"', f'"{big}.5e3"', 1)]
    for text in texts:
        start = time.perf_counter()
        assert_malformed(text, "10000 digits")
        assert time.perf_counter() - start < 0.5
    start = time.perf_counter()
    assert_malformed(json.dumps(TENT_POS), "more than 10000 digits", network=json.dumps(TENT).replace('"1"', big))
    assert time.perf_counter() - start < 0.5


def test_number_limits_are_exact():
    assert rational_from_text("9" * 10_000, "x") == 10**10_000 - 1
    with pytest.raises(Malformed, match="more than 10000 digits"):
        rational_from_text("9" * 10_001, "x")
    assert rational_from_text("1e10000", "x") == 10**10_000
    assert rational_from_text("-1e-10000", "x") == Fraction(-1, 10**10_000)
    assert rational_from_text("1e+0000000010000", "x") == 10**10_000
    with pytest.raises(Malformed, match="exponent"):
        rational_from_text("1e10001", "x")


@pytest.mark.parametrize("text,value", [
    ("3", 3), ("-12", -12), ("+4", 4), ("0.1", Fraction(1, 10)), ("-1e-3", Fraction(-1, 1000)),
    ("2.5E2", 250), (".5", Fraction(1, 2)), ("5.", 5), ("-7/2", Fraction(-7, 2)), ("6/4", Fraction(3, 2)),
    ("-0", 0), ("007", 7), ("1/3", Fraction(1, 3))])
def test_number_grammar_accepts(text, value):
    assert rational_from_text(text, "x") == value


@pytest.mark.parametrize("text", ["", "1/0", "1/-3", "-1/-3", "1_000", "0x10", " 1", "1 ", "1\n", "\u0661",
                                  "1/2.5", ".", "e5", "1e", "1.2.3", "inf", "-Infinity", "NaN", "nan", "1//2"])
def test_number_grammar_refuses(text):
    with pytest.raises(Malformed):
        rational_from_text(text, "x")


@given(st.fractions(max_denominator=10**30))
def test_canonical_spelling_round_trip(r):
    assert rational_from_text(canon(r), "x") == r
    assert canon(r) == (str(r.numerator) if r.denominator == 1 else f"{r.numerator}/{r.denominator}")


def test_canonical_spelling_of_numbers_beyond_int_str_limit():
    r = Fraction(-(10**9000) - 7, 3 * 10**900 + 1)
    text = canon(r)
    assert text.startswith("-1000") and text.endswith("0001") and rational_from_text(text, "x") == r


@pytest.mark.parametrize("value,expected", [
    (1, "literal 1 is not in canonical spelling (expected the string '1')"), ("2/4", "expected the string '1/2'"),
    ("0.5", "'1/2'"), ("+1", "'1'"), ("-0", "'0'"), ("1/1", "'1'"), ("01", "'1'"), (0.5, "'1/2'")])
def test_certificate_numbers_must_be_canonical(value, expected):
    text = json.dumps(edited(TENT_POS, ["witness", "li_yorke", "a"], value))
    assert_malformed(text, "witness.li_yorke.a", expected)
    text = json.dumps(edited(TENT_POS, ["network", "layers", 0, "bias", 0], value))
    assert_malformed(text, "network.layers[0].bias[0]", expected)


@pytest.mark.parametrize("activation,fragment", [
    ("clip", "canonical name of clip is 'hardtanh'"), ("hardtanh", "canonical form of hardtanh"),
    ("leaky_relu", "canonical form of leaky_relu"), ({"name": "relu"}, "the canonical form of relu is 'relu'"),
    ({"name": "hardtanh", "min": "0", "max": "1", "slope": "1"}, "canonical form of hardtanh"),
    ({"name": "hardtanh", "min": "1", "max": "1"}, "min < max")])
def test_certificate_activations_must_be_canonical(activation, fragment):
    assert_malformed(json.dumps(edited(TENT_POS, ["network", "layers", 0, "activation"], activation)), fragment)


@pytest.mark.parametrize("path,value,fragment", [
    (["network", "layers", 0, "weight"], [["1", "0"], ["1", "0"]], "network.layers[0].weight[0]: expected 1 entries"),
    (["network", "layers", 0, "weight"], [], "a layer needs at least one neuron"),
    (["network", "layers", 0, "weight"], "1", "expected a list"),
    (["network", "layers", 0, "bias"], ["0"], "network.layers[0].bias: expected 2 entries, got 1"),
    (["network", "layers", 1], {"weight": [["2", "-4"], ["1", "1"]], "bias": ["0", "0"], "activation": "relu"},
     "the last layer has 2 outputs, not 1"),
    (["network", "layers", 1, "weight"], [["2"]], "network.layers[1].weight[0]: expected 2 entries"),
    (["network", "layers"], [], "at least one layer"),
    (["network", "layers", 0, "weight", 0, 0], True, "expected a number, got a boolean"),
    (["network", "layers", 0, "weight", 0, 0], None, "expected a number, got null"),
    (["network", "layers", 0, "dropout"], "0", "unknown field 'dropout'"),
    (["network", "layers", 0, "activation"], "relu6", "unknown activation 'relu6'"),
    (["network", "layers", 0, "activation"], "tanh", "not piecewise linear"),
    (["network", "layers", 0, "activation"], {"name": "sigmoid"}, "not piecewise linear"),
    (["network", "layers", 0, "activation"], ["relu"], "expected an activation name or an object"),
    (["network", "version"], 2, "network: unknown version"),
    (["network", "format"], "onnx", "not a verichaos network"),
    (["network", "extra"], 1, "unknown field 'extra'"),
    (["version"], 2, "certificate: unknown version"),
    (["version"], "1", "certificate: unknown version"),
    (["format"], "verichaos-certificate-v2", "not a verichaos certificate"),
    (["signature"], "abc", "unknown field 'signature'"),
    (["network_sha256"], sha(TENT).upper(), "64 lowercase hex"),
    (["claim"], "chaos", "claim: expected"),
    (["claim"], ["period-3"], "claim: expected"),
    (["statement"], 3, "statement: expected a string"),
    (["consequences"], [1], "list of strings"),
    (["witness", "orbit"], ["2/7", "4/7"], "witness.orbit: expected 3 entries"),
    (["witness", "orbit", 1], None, "expected a number, got null"),
    (["witness", "li_yorke", "case"], "d<a<b<c", "witness.li_yorke.case"),
    (["witness", "li_yorke", "b"], "4/7", "unknown field 'b'"),
    (["proof"], {"chain": [], "cuts": []}, "exactly one of 'witness' and 'proof'"),
])
def test_malformed_fields(path, value, fragment):
    assert_malformed(json.dumps(edited(TENT_POS, path, value)), fragment)


@pytest.mark.parametrize("path,value,fragment", [
    (["proof", "chain", 0, "bound"], ["0"], "proof.chain[0].bound: expected 2 entries"),
    (["proof", "chain", 0, "bound", 1], "x", "not a number"),
    (["proof", "chain", 0, "cuts"], "0", "proof.chain[0].cuts: expected a list"),
    (["proof", "chain", 0, "next"], [], "unknown field 'next'"),
    (["proof", "cuts"], [None], "proof.cuts[0]: expected a number, got null"),
    (["proof", "chain"], {}, "proof.chain: expected a list"),
])
def test_malformed_proofs(path, value, fragment):
    assert_malformed(json.dumps(edited(SQUASH_NEG, path, value)), fragment)


def test_missing_fields_and_duplicate_keys():
    for key in ["network", "network_sha256", "claim", "statement", "consequences"]:
        cert = {k: v for k, v in TENT_POS.items() if k != key}
        assert_malformed(json.dumps(cert), f"missing field {key!r}")
    assert_malformed(json.dumps({k: v for k, v in TENT_POS.items() if k != "witness"}), "exactly one")
    text = json.dumps(TENT_POS).replace('"claim": "period-3"', '"claim": "no-period-3", "claim": "period-3"')
    assert_malformed(text, "duplicate key 'claim'")


def test_malformed_network_file():
    assert_malformed(json.dumps(TENT_POS), "network file", "unknown activation", network=json.dumps(
        net(([[1], [1]], [0, -0.5], "ReLU"), ([[2, -4]], [0], "identity"))))
    assert_malformed(json.dumps(TENT_POS), "network file is not valid JSON", network="{")
    assert_malformed(json.dumps(TENT_POS), "network file", "0.5.", network=json.dumps(
        net(([[1], [1]], [0, "0.5."], "relu"), ([[2, -4]], [0], "identity"))))


def test_python_objects_are_accepted_but_floats_are_not():
    assert check_certificate(copy.deepcopy(TENT_POS))[0] == 0
    assert check_certificate(TENT_POS, net(([[1], [1]], [0, "-1/2"], "relu"), ([[2, -4]], [0], "identity")))[0] == 0
    code, line = check_certificate(TENT_POS, net(([[1], [1]], [0, -0.5], "relu"), ([[2, -4]], [0], "identity")))
    assert code == 3 and "binary float" in line


# ---------------------------------------------------------------- properties

@settings(max_examples=60, deadline=None)
@given(a=st.fractions(max_denominator=50, min_value=-9, max_value=9),
       b=st.fractions(max_denominator=50, min_value=-9, max_value=9),
       cuts=st.sets(st.fractions(max_denominator=20, min_value=-5, max_value=5), max_size=5))
def test_affine_maps_never_have_period_3(a, b, cuts):
    # f(x) = a x + b: f^3(x) = x has one solution, a fixed point, unless a = 1 (then b = 0 is the identity).
    # An identity layer has no threshold, so no cut is justified.
    network = net(([[canon(a)]], [canon(b)], "identity"))
    assert check(negative(network, [], []))[0] == 0
    if cuts:
        assert_rejected(negative(network, [], [canon(c) for c in sorted(cuts)]), "is not justified")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chain=st.lists(st.tuples(st.lists(st.fractions(max_denominator=8, min_value=-3, max_value=3), max_size=4),
                                st.tuples(st.none() | st.fractions(max_denominator=8, min_value=-3, max_value=0),
                                          st.none() | st.fractions(max_denominator=8, min_value=0, max_value=3))),
                      max_size=3),
       cuts=st.lists(st.fractions(max_denominator=64, min_value=-2, max_value=2), max_size=40))
def test_no_negative_certificate_for_the_tent_map_verifies(chain, cuts):
    # T has a period-3 orbit, so a sound checker rejects every negative certificate for it.
    cert = negative(TENT, [([canon(c) for c in sorted(set(cs))], [None if e is None else canon(e) for e in bound])
                           for cs, bound in chain], [canon(c) for c in sorted(set(cuts))])
    code, line = check(cert)
    assert code == 1 and line.startswith("REJECTED: "), line


def _reference(network, x):
    """Naive exact evaluation, written independently of the checker."""
    h = [x]
    for layer in network["layers"]:
        z = [sum(Fraction(w) * v for w, v in zip(row, h)) + Fraction(b) for row, b in zip(layer["weight"], layer["bias"])]
        act = layer["activation"]
        if act == "relu":
            h = [max(Fraction(0), v) for v in z]
        elif act == "abs":
            h = [abs(v) for v in z]
        elif act == "identity":
            h = z
        elif act["name"] == "leaky_relu":
            h = [v if v >= 0 else Fraction(act["alpha"]) * v for v in z]
        else:
            h = [min(Fraction(act["max"]), max(Fraction(act["min"]), v)) for v in z]
    return h[0]


_rational = st.fractions(max_denominator=30, min_value=-5, max_value=5).map(canon)
_activation = st.sampled_from(["relu", "abs", "identity"]) | st.builds(
    lambda a: {"alpha": a, "name": "leaky_relu"}, _rational) | st.builds(
    lambda m, d: {"max": canon(Fraction(m) + d), "min": m, "name": "hardtanh"}, _rational,
    st.fractions(min_value=Fraction(1, 10), max_value=3, max_denominator=10))


@st.composite
def _networks(draw):
    widths = [1] + draw(st.lists(st.integers(1, 4), max_size=3)) + [1]
    return net(*[([[draw(_rational) for _ in range(n_in)] for _ in range(n_out)],
                  [draw(_rational) for _ in range(n_out)], draw(_activation))
                 for n_in, n_out in zip(widths, widths[1:])])


@settings(max_examples=100, deadline=None)
@given(network=_networks(), x=st.fractions(max_denominator=100, min_value=-10, max_value=10))
def test_evaluation_matches_a_naive_reference(network, x):
    assert evaluate(parse_network(network, "network", canonical=True), x) == _reference(network, x)
    assert network_sha256(parse_network(network, "network", canonical=True)) == sha(network)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(sorted(GOOD) + ["tent_neg", "rotate_neg"]), data=st.data())
def test_mutated_certificates_give_one_line_and_never_crash(name, data):
    text = json.dumps({**GOOD, "tent_neg": TENT_NEG, "rotate_neg": ROTATE_NEG}[name])
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text) - 1))
        text = text[:i] + data.draw(st.sampled_from(list('0123456789-/.,:"[]{}e ') + ["null", ""])) + text[i + 1:]
    code, line = check_certificate(text)
    assert code in (0, 1, 3) and "\n" not in line
    assert line.split(":")[0] == {0: "VERIFIED", 1: "REJECTED", 3: "MALFORMED"}[code]


# ---------------------------------------------------------------- command line

def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "verichaos.checker", *args], capture_output=True,
                          text=True, env=ENV, cwd=cwd, timeout=60)


def test_cli_verified_rejected_malformed(tmp_path):
    good, net_file, bad, junk = (tmp_path / n for n in ["good.json", "net.json", "bad.json", "junk.json"])
    good.write_text(json.dumps(TENT_POS, indent=2))
    net_file.write_text(json.dumps(FLIPPED))
    bad.write_text(json.dumps(TENT_NEG))
    junk.write_text("{")
    result = run_cli(str(good))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"VERIFIED: {PERIOD3} (network sha256 {sha(TENT)[:16]})\n", "")
    result = run_cli(str(good), "--network", str(net_file))
    assert result.returncode == 1 and result.stdout.startswith("REJECTED: the certificate is about network")
    result = run_cli(str(bad))
    assert result.returncode == 1 and result.stdout.count("\n") == 1 and "2/9" in result.stdout
    for args in [[str(junk)], [str(tmp_path / "missing.json")], [str(tmp_path)], [str(good), "--network", str(junk)]]:
        result = run_cli(*args)
        assert result.returncode == 3 and result.stdout.startswith("MALFORMED: ") and result.stdout.count("\n") == 1
        assert result.stderr == ""


def test_cli_usage_errors():
    for args in [[], ["--frobnicate", "x.json"], ["a.json", "b.json"], ["a.json", "--network"]]:
        result = run_cli(*args)
        assert result.returncode == 2 and result.stdout.startswith("USAGE: ") and result.stdout.count("\n") == 1, args
        assert result.stderr == ""


def test_cli_help():
    result = run_cli("--help")
    assert result.returncode == 0 and "MALFORMED" in result.stdout and "--network" in result.stdout


def test_main_returns_codes_and_prints_one_line(tmp_path, capsys):
    cert = tmp_path / "c.json"
    cert.write_text(json.dumps(HALF_NEG))
    assert main([str(cert)]) == 0
    assert main([]) == 2
    assert main(["--help"]) == 0
    capsys.readouterr()
    assert main([str(cert), "--network", str(cert)]) == 3
    assert capsys.readouterr().out.startswith("MALFORMED: network file")


def test_files_over_64_mib_are_refused_unparsed(tmp_path):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(64 * 2**20 + 1)
    assert main([str(huge)]) == 3


def test_import_uses_only_the_standard_library():
    # With -S no site hook has loaded anything: every module must be stdlib or the checker.
    # Without -S, the modules that the import adds must be.
    code = ("import sys; before = set(sys.modules); import verichaos.checker\n"
            "mods = set(sys.modules) if sys.flags.no_site else set(sys.modules) - before\n"
            "print(sorted(n for n in mods if n.split('.')[0] not in sys.stdlib_module_names\n"
            "             and n not in ('__main__', 'verichaos') and not n.startswith('verichaos.checker')))")
    for flags in (["-S"], []):
        result = subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True, env=ENV)
        assert result.returncode == 0 and result.stdout == "[]\n", (result.stdout, result.stderr)


# ---------------------------------------------------------------- schemas

def test_good_certificates_match_the_schemas():
    jsonschema = pytest.importorskip("jsonschema")
    schemas = ROOT / "verichaos" / "schemas"
    cert_schema = json.loads((schemas / "certificate-v1.schema.json").read_text())
    net_schema = json.loads((schemas / "network-v1.schema.json").read_text())
    for schema in (cert_schema, net_schema):
        jsonschema.Draft202012Validator.check_schema(schema)
    for cert in [*GOOD.values(), TENT_NEG, ROTATE_NEG]:
        jsonschema.validate(cert, cert_schema)
        jsonschema.validate(cert["network"], net_schema)
    jsonschema.validate(json.loads('{"format": "verichaos-network", "version": 1, "layers": [{"weight": [[1.5]],'
                                   ' "bias": [".5"], "activation": "clip"}]}'), net_schema)
    for path, value in [(["version"], 2), (["extra"], 1), (["witness", "orbit", 0], "2/1"),
                        (["witness", "orbit", 0], "0.5"), (["network", "layers", 0, "bias", 0], 0),
                        (["network", "layers", 0, "activation"], "clip"), (["proof"], {"chain": [], "cuts": []})]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(edited(TENT_POS, path, value), cert_schema)
