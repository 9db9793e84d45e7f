"""Write the example networks of this folder and their certificates.

Each example is a network file ``NAME.json`` and the certificate
``NAME.cert.json`` that ``verichaos certify NAME.json`` writes for it. Run from
anywhere:

    python certificates/make_examples.py

The networks are exact (written with integers, "p/q" strings and, for the
random one, numpy floats taken at their exact binary value), so the
certificates come out the same on every machine; only their informational
``statistics`` (timings) change from run to run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from verichaos.network import Network
from verichaos.pwl import PiecewiseLinear
from verichaos.rational import Q
from verichaos.smooth import certify_network
from verichaos.strategies import relu_network

HERE = Path(__file__).resolve().parent
HE_WIDTH, HE_SEED = 16, 7  # seed 7: a negative certificate with both a chain and final cuts


def he_random(width: int, seed: int, output_gain: float = 1) -> Network:
    """A depth-2 net x -> a . relu(w x + b) + c with He initialization, N(0, 2 / fan_in) for
    weights and biases alike (the paper's depth-2 model, identity output); ``output_gain``
    scales the standard deviation of a and c (benchmarks/bench_certificates.py)."""
    rng = np.random.default_rng(seed)
    std = output_gain * np.sqrt(2 / width)
    w, b = rng.normal(0, np.sqrt(2), (width, 1)), rng.normal(0, np.sqrt(2), width)
    a, c = rng.normal(0, std, (1, width)), rng.normal(0, std, 1)
    gain = "" if output_gain == 1 else f"{output_gain}^2 * "
    return Network.from_arrays([w, a], [b, c], ["relu", "identity"], {
        "name": f"He-random depth-2 net, k = {width}",
        "recipe": f"numpy.random.default_rng({seed}): w, b ~ N(0, 2); a, c ~ N(0, {gain}2/{width}), "
                  "drawn in that order"})


def doubled(f: PiecewiseLinear) -> PiecewiseLinear:
    """The period-doubling operator on maps of [0, 1] (Block and Coppel 1992, Chapter I): f(3x)/3 + 2/3
    on [0, 1/3], a line from (1/3, f(1)/3 + 2/3) down to (2/3, 0), then x - 2/3; constant outside
    [0, 1]. Its periods are 1 and twice those of f on [0, 1]."""
    third = Q(1, 3)
    knots = {t * third: f(t) * third + 2 * third for t in f.breakpoints if 0 < t < 1}
    knots |= {Q(0): f(Q(0)) * third + 2 * third, third: f(Q(1)) * third + 2 * third, 2 * third: Q(0), Q(1): third}
    xs = sorted(knots)
    return PiecewiseLinear.from_knots(xs, [knots[x] for x in xs], 0, 0)


def p_linear(orbit: dict[int, int]) -> PiecewiseLinear:
    """The map through the points (x, orbit[x]) joined by segments, constant beyond them."""
    xs = sorted(orbit)
    return PiecewiseLinear.from_knots(xs, [orbit[x] for x in xs], 0, 0)


EXAMPLES = {
    # T(x) = 2 relu(x) - 4 relu(x - 1/2): the orbit 2/7 -> 4/7 -> 6/7.
    "tent": Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"], {
        "name": "tent map", "formula": "T(x) = 2 relu(x) - 4 relu(x - 1/2)", "claim": "period 3"}),
    # A tent of slope 3/2 < (1 + sqrt 5)/2: periods 1 and 2, no period 3.
    "gentle-tent": Network.from_arrays([[[1], [1]], [["3/2", -3]]], [[0, "-1/2"], [0]], ["relu", "identity"], {
        "name": "tent of slope 3/2", "formula": "f(x) = 3/2 relu(x) - 3 relu(x - 1/2)", "claim": "no period 3"}),
    # Constant on (-inf, 0] and [1, 2], the identity on [0, 1] = f(f(R)): f^3 = f = id there.
    "degenerate": Network.from_arrays([[[1], [1], [1]], [[1, -1, "-1/2"]]], [[0, -1, -2], [0]], ["relu", "identity"], {
        "name": "flat pieces and an interval of fixed points",
        "formula": "f(x) = relu(x) - relu(x - 1) - relu(x - 2)/2", "claim": "no period 3"}),
    # clip(x + 2 - 6 relu(x - 3) + 6 relu(x - 4), 0, 5): [0, 1] -> [2, 3] -> [4, 5] -> [0, 1] by
    # translations, so f^3 is the identity on [0, 1] and every point there has period 3.
    "rotation": Network.from_arrays(
        [[[1], [-1], [1], [1]], [[1, -1, -6, 6]]], [[2, -2, -3, -4], [0]],
        ["relu", {"name": "hardtanh", "min": 0, "max": 5}], {
            "name": "three intervals rotated", "formula": "f(x) = clip(x + 2 - 6 relu(x - 3) + 6 relu(x - 4), 0, 5)",
            "claim": "period 3 (f^3 is the identity on [0, 1])"}),
    f"he-{HE_WIDTH}": he_random(HE_WIDTH, HE_SEED),
    # The weights printed beside Figure 7 of the paper (4 digits of the January notebook's
    # cells 7-8), with that notebook's model: no output bias, output before its activation.
    "figure7": Network.from_arrays(
        [[["-1.8627"], ["0.3760"]], [["0.7913", "-1.0071"]]], [["0.8274", "-0.8103"], [0]], ["relu", "identity"], {
            "name": "Figure 7 of Chatziafratis et al. (NeurIPS 2022)",
            "formula": "f(x) = 0.7913 relu(-1.8627 x + 0.8274) - 1.0071 relu(0.3760 x - 0.8103)",
            "source": "steliostavroulakis/Chaos_RNNs, RNNs_and_Chaos_Period_3_Probability_RNNs.ipynb, cells 6-8",
            "claim": "no period 3: one fixed point and the 2-cycle {0, 32736081/50000000}; the figure's 'f^3' is f^4"}),
    # Smooth nets get interval certificates (docs/smooth.md).
    "tanh-period3": Network.from_arrays([[[4], [4]], [[2, -2]]], [[0, -4], [-1]], ["tanh", "identity"], {
        "name": "smooth tent-like bump", "formula": "f(x) = 2 tanh(4x) - 2 tanh(4x - 4) - 1", "claim": "period 3"}),
    "tanh-no-period3": Network.from_arrays([[[1], [2]], [[-2, "-1/2"]]], [[0, "-1/2"], ["1/4"]], ["tanh", "identity"], {
        "name": "decreasing tanh map", "formula": "f(x) = -2 tanh(x) - tanh(2x - 1/2)/2 + 1/4",
        "claim": "no period 3 (a decreasing map has no period above 2)"}),
}
EXAMPLES["tent-5"] = EXAMPLES["tent"]  # the tent map has every period: 2/33 -> 4/33 -> ... -> 32/33
EXAMPLES["gentle-tent-5"] = EXAMPLES["gentle-tent"]  # periods 1, 2, 4, 6, 8, ...: no period 5
# The P-linear map of the Stefan 5-cycle 1 -> 3 -> 4 -> 2 -> 5 -> 1: period 5 but no period 3; positive entropy.
EXAMPLES["stefan-5"] = relu_network(p_linear({1: 3, 2: 5, 3: 4, 4: 2, 5: 1}), {
    "name": "P-linear map of the Stefan 5-cycle", "claim": "positive entropy, no period 3"})
# Twice doubled: periods exactly 1, 2, 4; zero entropy.
EXAMPLES["doubled-4"] = relu_network(doubled(doubled(PiecewiseLinear.affine(0, 0))), {
    "name": "the zero map of [0, 1] doubled twice (type 4)", "claim": "zero entropy, periods 1, 2, 4"})
# The doubled tent: period 6, no odd period but 1; its 6-cycle's Markov graph has a class of three
# intervals permuted cyclically (radius 1), so the hint names the other class.
EXAMPLES["doubled-tent"] = relu_network(doubled(PiecewiseLinear.from_knots([0, "1/2", 1], [0, 1, 0], 0, 0)), {
    "name": "the tent map of [0, 1] doubled", "claim": "positive entropy, period 6, no odd period but 1"})
CLAIMS = {"tent-5": "period-5", "gentle-tent-5": "period-5", "stefan-5": "chaos", "doubled-4": "chaos",
          "doubled-tent": "chaos"}
"""The claim each example is certified for (period-3 when not named)."""


def write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    for name, network in EXAMPLES.items():
        certificate = certify_network(network, claim=CLAIMS.get(name, "period-3"))
        write_json(HERE / f"{name}.json", network.to_json())
        write_json(HERE / f"{name}.cert.json", certificate.document)
        print(f"{name}: {certificate.summary}")


if __name__ == "__main__":
    main()
