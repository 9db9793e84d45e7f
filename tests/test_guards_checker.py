"""Hostile files for the independent checker (issue 12): each is refused by a limit, before the work it bounds.

Every file is regenerated here as the red team built it. Each must end with
MALFORMED (exit 3) and the line that names its limit: a hang would time the
test run out, a late refusal would show as another message (an evaluation's
REJECTED, or an internal error), so the outcome and the message are the test.
"""

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from verichaos.checker import check_certificate, main
from verichaos.checker import reader
from verichaos.checker.reader import Malformed, parse_network, require_work

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def network(*layers):
    return {"format": "verichaos-network", "version": 1,
            "layers": [{"weight": w, "bias": b, "activation": a} for w, b, a in layers]}


def certificate(net, **claim):
    """A certificate around net; the hash is a placeholder, since every file here must fail before it is compared."""
    body = claim or {"witness": {"orbit": ["0", "1", "2"], "li_yorke": {"a": "0", "case": "d<=a<b<c"}}}
    return {"format": "verichaos-certificate", "version": 1, "network": net, "network_sha256": "0" * 64,
            "claim": "no-period-3" if "proof" in body else "period-3", "statement": "", "consequences": [], **body}


def wide_relu_net(width):
    """f(x) = sum_i relu(x - i): one threshold per neuron, so a chain step may cut at each of 0 … width-1."""
    return network(([["1"]] * width, [str(-i) for i in range(width)], "relu"), ([["1"] * width], ["0"], "identity"))


def assert_refused(document, message, network_file=None):
    text = json.dumps(document)
    code, line = check_certificate(text, network_file)
    assert (code, line.split(": ")[0]) == (3, "MALFORMED"), line[:300]
    assert message in line, line[:300]


def big_denominators(count):
    """count different odd denominators of 9,999 digits (so that "1/q" is within the 10,000-digit limit), as text."""
    return ["1" + str(2 * i + 1).rjust(9998, "0") for i in range(count)]


def test_one_layer_of_100_different_10000_digit_denominators():
    weights = [[f"1/{q}"] for q in big_denominators(100)]
    net = network((weights, ["0"] * 100, "relu"), ([["1"] * 100], ["0"], "identity"))
    assert len(json.dumps(net)) > 2**20 - 10**5  # the red team's 1 MiB file
    assert_refused(certificate(net), "network.layers[0]: the common denominator of its weights and biases has more than 10000 digits")


def test_1000_layers_of_large_denominators():
    layers = [([[f"1/{q}"]], ["0"], "identity") for q in big_denominators(1000)]
    assert_refused(certificate(network(*layers)), "an evaluation's integers would grow by more than 131072 bits")


@pytest.mark.parametrize("width", [10_000, 30_000])
def test_a_proof_for_a_wide_network_asking_too_much_work(width):
    # A chain of width pieces is cheap since evaluation searches layer 1's events (exact.py; checked in
    # tests/test_checker_claims.py); a proof about f^256 on as many pieces asks 256 evaluations a piece.
    document = certificate(wide_relu_net(width), proof={"chain": [], "cuts": [str(i) for i in range(width)]})
    assert_refused({**document, "claim": "no-period-256"}, "the proof asks for about")


def test_a_million_large_literals_in_statistics():
    text = json.dumps(certificate(wide_relu_net(2)))[:-1] + ', "statistics": [' + ",".join(["1e10000"] * 10**6) + "]}"
    assert len(text) > 7 * 2**20
    code, line = check_certificate(text)
    assert code == 3 and line.startswith("MALFORMED: certificate: its numbers have") and "exponents expanded" in line


@pytest.mark.parametrize("field", ["statistics", "tool"])
def test_unchecked_fields_hold_a_bounded_number_of_values(field):
    document = certificate(wide_relu_net(2))
    document[field] = {"counts": list(range(20_000))}
    assert_refused(document, f"{field}: an unchecked field may hold at most 10000 JSON values")


def test_network_metadata_is_bounded_like_the_unchecked_fields():
    net = wide_relu_net(2)
    net["metadata"] = {"history": [{"step": i} for i in range(6_000)]}
    assert_refused(certificate(net), "network.metadata: an unchecked field may hold at most 10000 JSON values")


def test_a_network_file_of_10000_weights_written_1e10000(tmp_path):
    net = '{"format": "verichaos-network", "version": 1, "layers": [{"weight": [[1e10000]], "bias": [0], "activation": "relu"}' \
        + ', {"weight": [[1e10000]], "bias": [0], "activation": "relu"}' * 9_999 + "]}"
    assert 100_000 < len(net) < 700_000
    code, line = check_certificate(json.dumps(certificate(wide_relu_net(2))), net)
    assert code == 3 and line.startswith("MALFORMED: network file: its numbers have 100070001 digits with exponents expanded, more than 20000000")


def test_too_many_layers_and_neurons_are_refused_before_their_numbers():
    deep = network(*[([["1"]], ["0"], "relu")] * 1_001)
    assert_refused(certificate(deep), "network.layers: 1001 layers, more than the limit of 1000")
    wide = network(([["1"]] * 50_001, ["0"] * 50_001, "relu"), ([["1"] * 50_001], ["0"], "identity"))
    assert_refused(certificate(wide), "network.layers[0]: the network has more than 50000 neurons or 2000000 weights")
    square = network(([["1"]] * 1_500, ["0"] * 1_500, "relu"), ([["0"] * 1_500] * 1_500, ["0"] * 1_500, "relu"),
                     ([["1"] * 1_500], ["0"], "identity"))
    assert_refused(certificate(square), "network.layers[1]: the network has more than 50000 neurons or 2000000 weights")


def test_require_work_counts_evaluations_times_the_cost_of_one():
    layers = parse_network(wide_relu_net(1_000), "network", canonical=True)
    require_work(10, layers, "ten evaluations")  # 10 x ~3,000 word multiplications: far below the limit
    with pytest.raises(Malformed, match=r"^the proof asks for about 100000 evaluations of f at a cost of \d+ each, more than the work limit"):
        require_work(100_000, layers, "the proof")
    # the same count of evaluations at 10,000-digit points costs more than at small ones
    require_work(2_000, layers, "small points")
    with pytest.raises(Malformed):
        require_work(2_000, layers, "large points", [Fraction(1, 10**9999)])


def test_legitimate_certificates_are_within_every_limit():
    for path in sorted((ROOT / "certificates").glob("*.cert.json")):
        assert check_certificate(path.read_bytes())[0] == 0, path.name


def test_limits_are_the_ones_formats_md_documents():
    table = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for name in ("MAX_FILE_BYTES", "MAX_DIGITS", "MAX_EXPONENT", "MAX_TOTAL_DIGITS", "MAX_LAYERS", "MAX_NEURONS", "MAX_WEIGHTS",
                 "MAX_DENOMINATOR_DIGITS", "MAX_GROWTH_BITS", "MAX_WORK", "MAX_UNCHECKED_VALUES"):
        assert f"`{name}`" in table and f"{getattr(reader, name):,}" in table, name


# ---------------------------------------------------------------- the command line

def run_checker(*args):
    return subprocess.run([sys.executable, "-m", "verichaos.checker", *args], capture_output=True, text=True, env=ENV, timeout=120)


def test_check_json_prints_one_json_object(tmp_path):
    cert = tmp_path / "c.json"
    cert.write_text(json.dumps(certificate(wide_relu_net(2))))
    result = run_checker(str(cert), "--json")
    verdict = json.loads(result.stdout)
    assert result.returncode == 1 and verdict["verdict"] == "REJECTED" and verdict["exit_code"] == 1
    assert verdict["reason"].startswith("network_sha256 does not match")


def test_check_h_is_help():
    result = run_checker("-h")
    assert result.returncode == 0 and "MALFORMED" in result.stdout and "--json" in result.stdout


@pytest.mark.parametrize("suffix", [".onnx", ".pt", ".safetensors", ".npz"])
def test_check_network_model_file_says_to_import_it_first(tmp_path, suffix):
    cert, model = tmp_path / "c.json", tmp_path / f"model{suffix}"
    cert.write_text("{}")
    model.write_bytes(b"\x08\x01binary")
    result = run_checker(str(cert), "--network", str(model))
    assert result.returncode == 2
    assert result.stdout == f"USAGE: {model} is a model file; run `verichaos import {model} -o net.json` first and pass net.json\n"


def test_check_directory_is_reported_as_a_directory(tmp_path):
    result = run_checker(str(tmp_path))
    assert result.returncode == 3 and "Is a directory" in result.stdout


def test_a_closed_stdout_keeps_the_verdict_code(tmp_path):
    cert = tmp_path / "c.json"
    cert.write_text(json.dumps(certificate(wide_relu_net(2))))
    reading, writing = os.pipe()
    os.close(reading)
    result = subprocess.run([sys.executable, "-m", "verichaos.checker", str(cert)], stdout=writing, stderr=subprocess.PIPE, env=ENV, timeout=60)
    os.close(writing)
    assert result.returncode == 1 and result.stderr == b""


def test_main_json_mode_in_process(tmp_path, capsys):
    assert main(["--json", str(tmp_path / "missing.json")]) == 3
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["verdict"] == "MALFORMED" and "cannot read certificate" in verdict["reason"]


def test_hash_helper_is_not_what_refuses():
    # the placeholder hash would be REJECTED, never MALFORMED: a MALFORMED above is the limit's doing
    code, line = check_certificate(json.dumps(certificate(wide_relu_net(2))))
    assert code == 1 and "network_sha256 does not match" in line
