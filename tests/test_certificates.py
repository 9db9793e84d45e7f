"""Certificates end to end: the certifier writes them, the independent checker reads them.

* round trip: what ``certify`` writes, ``check_certificate`` verifies, for
  random, planted-orbit, monotone and degenerate networks;
* mutations: every single-value change of a correct certificate (every leaf
  but the informational ones) is REJECTED or MALFORMED, never VERIFIED;
* fuzzing: random JSON, truncated files and garbage give exit 1 or 3 (2 on the
  command line) and one line, never a traceback;
* cross-check: the certifier's decision and the checker's verdict agree, and
  a certificate claiming the opposite, built by hand, is rejected.

The example certificates are those committed in ``certificates/``.
"""

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from verichaos.certificate import Undecided, _negative_proof, certify
from verichaos.checker import check_certificate
from verichaos.dynamics.trapping import trapping_chain
from verichaos.network import Network
from verichaos.pwl import PiecewiseLinear, from_network, pattern_breakpoints
from verichaos.rational import Q, canonical
from verichaos.strategies import (activation_functions, maps_with_period3, maps_without_period3, networks,
                                  piecewise_linear_maps, rationals, relu_network)

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "certificates"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
EXAMPLES = {path.name.removesuffix(".cert.json"): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(FOLDER.glob("*.cert.json"))
            if '"kind": "interval"' not in path.read_text(encoding="utf-8")}  # exact ones; interval: test_smooth_certify.py
NETWORKS = {name: (FOLDER / f"{name}.json").read_text(encoding="utf-8") for name in EXAMPLES}
INFORMATIONAL = {("tool",), ("statistics",), ("network", "metadata")}  # never checked, so never mutated
EPSILON = Fraction(1, 10**9)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(document, network=None):
    """The checker's (code, line) for a certificate document, as the JSON text a file would hold."""
    code, line = check_certificate(json.dumps(document), network)
    assert "\n" not in line and "internal error" not in line, line
    assert line.split(":")[0] == {0: "VERIFIED", 1: "REJECTED", 3: "MALFORMED"}[code], line
    return code, line


def round_trip(network):
    """Certify, check what was written; the certificate."""
    certificate = certify(network)
    code, line = check(certificate.document)
    assert code == 0, (line, network.to_json())
    return certificate


# ---------------------------------------------------------------- round trip

@SETTINGS
@given(networks(depth=(1, 3), width=(1, 4), activations=activation_functions(),
                output_activations=activation_functions()))
def test_round_trip_random_networks(network):
    round_trip(network)


@SETTINGS
@given(maps_with_period3(max_extra_knots=3))
def test_round_trip_planted_orbits_with_breakpoints_at_the_orbit(planted):
    # The planted orbit's points are knots of f: breakpoints exactly at orbit points.
    assert round_trip(planted.network).has_period3


@SETTINGS
@given(maps_without_period3())
def test_round_trip_networks_without_period_3(network):
    assert not round_trip(network).has_period3


@SETTINGS
@given(piecewise_linear_maps(max_breakpoints=5, coordinates=rationals(3),
                             slopes=st.sampled_from([Q(0), Q(1), Q(-1), Q(2), Q(-2), Q(1, 2)])))
def test_round_trip_constant_and_slope_one_pieces(f):
    round_trip(relu_network(f))


@SETTINGS
@given(st.lists(st.integers(-4, 4), min_size=3, max_size=3, unique=True), rationals(2, "1/4", 1),
       st.sampled_from([Q(-2), Q(0), Q(1), Q(3)]), st.sampled_from([Q(-3), Q(0), Q(1, 2)]))
def test_round_trip_f_cubed_is_the_identity_on_an_interval(starts, width, left, right):
    # [x0, x0+w] -> [x1, x1+w] -> [x2, x2+w] -> [x0, x0+w] by translations: f^3 = id there,
    # every point of those intervals has period 3 (isolated orbits may come first).
    x = sorted(Q(3 * s) for s in starts)  # gaps >= 3 > w keep the intervals apart
    knots = {}
    for i in range(3):
        knots[x[i]], knots[x[i] + width] = x[(i + 1) % 3], x[(i + 1) % 3] + width
    f = PiecewiseLinear.from_knots(sorted(knots), [knots[t] for t in sorted(knots)], left, right)
    assert round_trip(relu_network(f)).has_period3


@SETTINGS
@given(rationals(3), rationals(2, "1/4", 2), st.lists(st.tuples(rationals(3), rationals(3)), max_size=3),
       st.sampled_from([Q(-1), Q(0), Q(1, 2)]), st.sampled_from([Q(-2), Q(0), Q(1, 3)]))
def test_round_trip_f_is_the_identity_on_an_interval(a, width, extra, left, right):
    # f(x) = x on [a, a + w], anything outside: f^3 = f = id there, no period 3 from it.
    knots = {a: a, a + width: a + width}
    for t, y in extra:
        if not a - 1 <= t <= a + width + 1:
            knots[t] = y
    f = PiecewiseLinear.from_knots(sorted(knots), [knots[t] for t in sorted(knots)], left, right)
    round_trip(relu_network(f))


# ---------------------------------------------------------------- mutations

def leaves(node, path=()):
    """(path, value) of every scalar and every empty list or object of a JSON document."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path, node


def informational(path):
    return path[:1] in INFORMATIONAL or path[:2] in INFORMATIONAL


def at(document, path):
    for key in path:
        document = document[key]
    return document


def replaced(document, path, value):
    """A copy of the document with the entry at path set to value."""
    copy = json.loads(json.dumps(document))
    at(copy, path[:-1])[path[-1]] = value
    return copy


def is_rational(value):
    return isinstance(value, str) and value.lstrip("-").replace("/", "", 1).isdigit()


def value_mutations(path, value):
    """Type-appropriate changes of one leaf: (what, new value)."""
    key = path[-1]
    if key == "network_sha256":
        yield "hash", value[:-1] + ("0" if value[-1] != "0" else "1")
    elif key == "claim":
        flipped = {"positive-entropy": "zero-entropy", "zero-entropy": "positive-entropy"}.get(value)
        yield "claim flipped", flipped or (value[3:] if value.startswith("no-") else "no-" + value)
        if not flipped:
            n = int(value.rsplit("-", 1)[1])
            yield "period changed", value.replace(str(n), str(n + 1))
    elif key == "case":
        yield "case flipped", {"d<=a<b<c": "d>=a>b>c", "d>=a>b>c": "d<=a<b<c", "d<a<b<c": "d>a>b>c",
                               "d>a>b>c": "d<a<b<c"}[value]
    elif key == "version":
        yield "version bumped", value + 1
    elif type(value) is int:  # the Markov hint's interval and steps
        yield "integer increased", value + 1
        if value:
            yield "integer decreased", value - 1
    elif is_rational(value):
        for step in (EPSILON, -EPSILON):
            yield f"moved by {step}", str(Fraction(value) + step)
    elif value is None:  # an infinite end of a bound, made finite
        yield "infinite end made finite", "-1000000000" if key == 0 else "1000000000"
    elif value == []:  # consequences of a negative claim, an empty chain, or cuts and orbits: list mutations
        if key == "consequences":
            yield "consequence added", ["f is Li-Yorke chaotic"]
        elif key == "chain":
            yield "chain step added", [{"cuts": [], "bound": [None, None]}]
    elif isinstance(value, str):
        yield "text edited", value + "."
        yield "text shortened", value[:-1]
    else:
        raise AssertionError(f"no mutation for {path}: {value!r}")


def interval_of(document, path):
    """The interval that the cut list at path partitions: I_{j-1} for chain step j, I_m for the final cuts."""
    chain = document["proof"]["chain"]
    j = path[2] if path[1] == "chain" else len(chain)  # chain[j] is step j + 1, the final cuts come after I_m
    return (None, None) if j == 0 else tuple(None if e is None else Fraction(e) for e in chain[j - 1]["bound"])


def list_mutations(document, path, items):
    """Changes of a whole list: points removed, added, swapped."""
    if path[-1] == "orbit":
        for i, j in [(0, 1), (1, 2), (0, 2), (0, len(items) - 1)]:
            if 0 <= j < len(items) and i != j:
                swapped = list(items)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                yield f"orbit points {i} and {j} swapped", swapped
        if items:
            yield "orbit point removed", items[:-1]
        yield "orbit point repeated", items + items[:1] if items else ["0"]
    elif path[-1] == "consequences" and items:
        yield "consequence removed", items[:-1]
    elif path[-1] == "cuts":
        for i in range(len(items)):
            yield f"cut {i} removed", items[:i] + items[i + 1:]
        lo, hi = interval_of(document, path)
        ends = [Fraction(c) for c in items]
        first = ends[0] - 1 if ends and lo is None else (lo if lo is not None else Fraction(0))
        last = ends[-1] + 1 if ends and hi is None else (hi if hi is not None else first + 2)
        points = [first, *ends, last]
        for i, (a, b) in enumerate(zip(points, points[1:])):
            added = sorted({*ends, (a + b) / 2})
            yield f"cut added at position {i}", [str(c) for c in added]


def mutations(document):
    """Every single-value change of a certificate: (path, what, mutated document)."""
    lists = set()
    for path, value in leaves(document):
        if informational(path):
            continue
        for what, new in value_mutations(path, value):
            yield path, what, replaced(document, path, new)
        if path and isinstance(path[-1], int) or value == []:
            lists.add(path[:-1] if value != [] else path)
    for path in sorted(lists, key=str):
        for what, new in list_mutations(document, path, at(document, path)):
            yield path, what, replaced(document, path, new)


def test_examples_are_the_promised_ones():
    promised = {"tent": "period-3", "rotation": "period-3", "gentle-tent": "no-period-3",
                "degenerate": "no-period-3", "he-16": "no-period-3", "tent-5": "period-5",
                "gentle-tent-5": "no-period-5", "stefan-5": "positive-entropy", "doubled-4": "zero-entropy",
                "doubled-tent": "positive-entropy"}
    assert {name: EXAMPLES[name]["claim"] for name in promised} == promised


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_leaf_but_the_informational_ones_is_mutated(name):
    document = EXAMPLES[name]
    all_leaves = {path for path, _ in leaves(document)}
    touched = set()
    for path, _, _ in mutations(document):
        touched |= {leaf for leaf in all_leaves if leaf[:len(path)] == path}
    skipped = all_leaves - touched
    assert all(informational(path) for path in skipped)
    assert {path[:2] if path[0] == "network" else path[:1] for path in skipped} == INFORMATIONAL


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_single_value_mutation_is_refused(name):
    document = EXAMPLES[name]
    assert check(document)[0] == 0
    verified, count = [], 0
    for path, what, mutated in mutations(document):
        assert mutated != document, (path, what)
        code, line = check(mutated)
        count += 1
        if code not in (1, 3):
            verified.append(f"{'.'.join(map(str, path))}: {what}: {line}")
    assert not verified, f"{len(verified)} of {count} mutations were not refused:\n" + "\n".join(verified[:20])
    assert count >= 20


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(depth=(1, 3), width=(1, 3), activations=activation_functions(),
                output_activations=activation_functions()) | maps_with_period3().map(lambda planted: planted.network))
def test_no_single_value_mutation_of_a_random_certificate_verifies(network):
    document = json.loads(json.dumps(certify(network).document))
    for path, what, mutated in mutations(document):
        code, line = check(mutated)
        assert code in (1, 3), (path, what, line)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(depth=(1, 3), width=(1, 3), activations=activation_functions(),
                output_activations=activation_functions()), st.integers(2, 6))
def test_no_single_value_mutation_of_a_random_period_n_certificate_verifies(network, period):
    # Period 1 is left out: a fixed point inside an interval of fixed points may be moved (docs/certificates.md).
    document = json.loads(json.dumps(certify(network, claim=f"period-{period}").document))
    assert check(document)[0] == 0
    for path, what, mutated in mutations(document):
        code, line = check(mutated)
        assert code in (1, 3), (path, what, line)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(depth=(1, 3), width=(1, 3), activations=activation_functions()) |
       maps_with_period3().map(lambda planted: planted.network))
def test_no_single_value_mutation_of_a_random_chaos_certificate_verifies(network):
    try:
        document = json.loads(json.dumps(certify(network, claim="chaos").document))
    except Undecided:
        return
    assert check(document)[0] == 0
    for path, what, mutated in mutations(document):
        if path[:2] == ("witness", "orbit") and len(document["witness"]["orbit"]) == 1:
            continue  # a fixed point inside an interval of fixed points may be moved (docs/certificates.md)
        code, line = check(mutated)
        assert code in (1, 3), (path, what, line)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_certificate_checked_against_another_network_is_rejected(name):
    assert check(EXAMPLES[name], NETWORKS[name])[0] == 0
    for other in sorted(set(EXAMPLES) - {name}):
        if EXAMPLES[other]["network_sha256"] == EXAMPLES[name]["network_sha256"]:  # tent and tent-5: one network
            continue
        code, line = check(EXAMPLES[name], NETWORKS[other])
        assert code == 1 and "not about the given network file" in line, (other, line)


def test_mutations_the_issue_names():
    # A few by name, with the reason the checker gives.
    tent, he = EXAMPLES["tent"], EXAMPLES["he-16"]
    weight = he["network"]["layers"][0]["weight"][3][0]
    cases = [
        (replaced(he, ("network", "layers", 0, "weight", 3, 0), str(Fraction(weight) + EPSILON)), 1,
         "network_sha256 does not match"),
        (replaced(tent, ("witness", "orbit"), tent["witness"]["orbit"][::-1]), 1, "f(x0) ="),
        (replaced(tent, ("witness", "li_yorke", "a"), str(Fraction(tent["witness"]["li_yorke"]["a"]) + EPSILON)), 1,
         "is not a point of the orbit"),
        (replaced(he, ("proof", "chain", 0, "bound", 1), str(Fraction(he["proof"]["chain"][0]["bound"][1]) + EPSILON)),
         1, "chain step 1: the bound"),
        (replaced(he, ("proof", "cuts"), he["proof"]["cuts"] + [str(Fraction(he["proof"]["cuts"][-1]) + EPSILON)]),
         1, "final cut"),
        (replaced(tent, ("claim",), "no-period-3"), 1, "statement"),
        (replaced(tent, ("version",), 2), 3, "unknown version"),
    ]
    for document, expected, fragment in cases:
        code, line = check(document)
        assert code == expected and fragment in line, line


# ---------------------------------------------------------------- fuzzing

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
CERTIFICATE_KEYS = st.sampled_from(["format", "version", "network", "network_sha256", "claim", "statement",
                                    "consequences", "witness", "proof"])


@settings(max_examples=150, deadline=None)
@given(JSON | st.dictionaries(CERTIFICATE_KEYS, JSON))
def test_random_json_is_malformed(document):
    code, line = check_certificate(json.dumps(document))
    assert code == 3 and line.startswith("MALFORMED: ") and "\n" not in line, line


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(EXAMPLES)), st.data(), JSON)
def test_random_json_in_place_of_any_part(name, data, junk):
    document = EXAMPLES[name]
    paths = sorted({path[:n] for path, _ in leaves(document) if not informational(path)
                    for n in range(1, len(path) + 1)}, key=str)
    path = data.draw(st.sampled_from(paths))
    assume(at(document, path) != junk)
    assert check(replaced(document, path, junk))[0] in (1, 3)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_truncated_files_are_malformed(name):
    text = (FOLDER / f"{name}.cert.json").read_text(encoding="utf-8").rstrip()
    for end in range(0, len(text), max(1, len(text) // 60)):
        code, line = check_certificate(text[:end])
        assert code == 3 and line.startswith("MALFORMED: ") and "\n" not in line, (end, line)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200) | st.binary(max_size=50).map(lambda junk: b'{"format": "verichaos-certificate"' + junk))
def test_garbage_bytes_are_malformed(data):
    code, line = check_certificate(data)
    assert code == 3 and line.startswith("MALFORMED: ") and "\n" not in line, line


# ---------------------------------------------------------------- command line

VERICHAOS = [sys.executable, "-c", "import sys; from verichaos.cli import app; sys.argv[0] = 'verichaos'; app()"]
CHECKER = [sys.executable, "-m", "verichaos.checker"]  # stdlib only: starts faster


def assert_command(command, args, code, start):
    result = subprocess.run([*command, *args], capture_output=True, text=True, env=ENV, timeout=120)
    assert (result.returncode, result.stderr) == (code, ""), (args, result.stdout, result.stderr)
    assert result.stdout.startswith(start) and result.stdout.count("\n") == 1, (args, result.stdout)


def test_command_line_verdicts(tmp_path):
    tent = EXAMPLES["tent"]
    files = {"mutated.json": replaced(tent, ("network", "layers", 1, "weight", 0, 0), str(2 + EPSILON)),
             "bumped.json": replaced(tent, ("version",), 2)}
    for file, document in files.items():
        (tmp_path / file).write_text(json.dumps(document))
    (tmp_path / "garbage.json").write_bytes(bytes(range(256)))
    (tmp_path / "truncated.json").write_text(json.dumps(tent)[:100])
    for args, code, start in [
            ([FOLDER / "tent.cert.json"], 0, "VERIFIED: f has a point of minimal period 3"),
            ([FOLDER / "he-16.cert.json", "--network", FOLDER / "he-16.json"], 0, "VERIFIED: "),
            ([tmp_path / "mutated.json"], 1, "REJECTED: network_sha256 does not match"),
            ([FOLDER / "tent.cert.json", "--network", FOLDER / "gentle-tent.json"], 1, "REJECTED: "),
            ([tmp_path / "bumped.json"], 3, "MALFORMED: certificate: unknown version"),
            ([], 2, "USAGE: ")]:
        assert_command([*VERICHAOS, "check"], args, code, start)
    for args, code, start in [
            ([tmp_path / "garbage.json"], 3, "MALFORMED: certificate is not UTF-8"),
            ([tmp_path / "truncated.json"], 3, "MALFORMED: certificate is not valid JSON"),
            ([tmp_path / "missing.json"], 3, "MALFORMED: cannot read certificate")]:
        assert_command(CHECKER, args, code, start)


# ---------------------------------------------------------------- cross-check

def fake_positive(network, f):
    """A period-3 witness for a map without one: three points of an orbit, which does not close."""
    x = [Q(1, 3)]
    for _ in range(2):
        x.append(f(x[-1]))
    start = x.index(min(x))
    orbit = [canonical(p) for p in x[start:] + x[:start]]
    document = certify(network).document
    del document["proof"]
    document.update(claim="period-3", statement="f has a point of minimal period 3",
                    consequences=json.loads(json.dumps(EXAMPLES["tent"]["consequences"])),
                    witness={"orbit": orbit, "li_yorke": {"a": orbit[0], "case": "d<=a<b<c"}})
    return document


def fake_negative(network, f):
    """A proof of no period 3 for a map with one, built exactly as the certifier builds true ones."""
    document = certify(network, f).document
    del document["witness"]
    document.update(claim="no-period-3", statement="f has no point of minimal period 3", consequences=[],
                    proof=_negative_proof(f, trapping_chain(f), pattern_breakpoints(network)))
    return document


@SETTINGS
@given(networks(depth=(1, 3), width=(1, 4), activations=activation_functions()) | maps_with_period3().map(
    lambda planted: planted.network))
def test_certifier_and_checker_agree_and_the_opposite_claim_is_rejected(network):
    f = from_network(network)
    certificate = certify(network, f)
    assert check(certificate.document)[0] == 0
    if certificate.has_period3:
        # Every structural rule holds (exact chain, justified cuts, affine pieces), so only the
        # period-3 points themselves can make the checker refuse it.
        code, line = check(fake_negative(network, f))
        assert code == 1 and ("so x has minimal period 3" in line or "f^3 is the identity" in line), line
    else:
        assert check(fake_positive(network, f))[0] == 1


def test_fake_negative_for_the_tent_map():
    network = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
    code, line = check(fake_negative(network, from_network(network)))
    assert code == 1 and "so x has minimal period 3" in line, line


# ---------------------------------------------------------------- claims and the command line

def test_an_undecided_chaos_verdict_writes_no_certificate(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from verichaos.cli import app

    reason = "f has points of minimal period 1, 2, ..., 128 and none of minimal period 3*2^j for j <= 6"
    monkeypatch.setattr("verichaos.dynamics.entropy.decide_chaos", lambda f, core: SimpleNamespace(chaos="undecided",
                                                                                               reason=reason))
    with pytest.raises(Undecided, match="none of minimal period 3"):
        certify(Network.from_arrays([[[1]]], [[0]], ["relu"]), claim="chaos")
    output = tmp_path / "tent.cert.json"
    result = CliRunner().invoke(app, ["certify", "--example", "tent", "--claim", "chaos", "-o", str(output)])
    assert (result.exit_code, result.output, output.exists()) == (7, f"UNDECIDED: {reason}\n", False)


@pytest.mark.parametrize("claim", ["period-0", "period-257", "period-03", "chaotic", "no-period-3"])
def test_unknown_claims_are_usage_errors(claim):
    from typer.testing import CliRunner

    from verichaos.cli import app

    with pytest.raises(ValueError, match="unknown claim"):
        certify(Network.from_arrays([[[1]]], [[0]], ["relu"]), claim=claim)
    result = CliRunner().invoke(app, ["certify", "--example", "tent", "--claim", claim])
    assert result.exit_code == 2 and "--claim" in result.output and result.output.count("\n") == 1, result.output
