"""Benchmark: interval certificates of tanh nets, certify and check, against the lean float grid.

Depth-2 nets x -> clip(a . tanh(w x + b) + c, 0, 1) (the notebooks' tanh runs: clipped
output) with He-random weights (w, b ~ N(0, 2); a, c ~ N(0, 2/k)) at widths k = 2, 4, 64.
Per net: the lean grid (``baselines.lean_grid``: 163 points of [-1, 1], f and f^3, sign
changes; a float heuristic, no proof), ``certify_smooth`` (enclosures, the certificate or
UNDECIDED) and the checker (``check_certificate`` on the JSON text). Reports the mean and
the maximum time per net, the verdicts, and how often the grid's guess agrees with the
proved verdict.

Run: ``python benchmarks/bench_smooth.py [--nets N]`` (about a minute with the default).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import lean_grid  # noqa: E402

from verichaos.checker import check_certificate  # noqa: E402
from verichaos.experiments.sampling import FloatNetwork  # noqa: E402
from verichaos.network import Network  # noqa: E402
from verichaos.smooth import IntervalCertificate, certify_smooth  # noqa: E402

CLIPPED = {"name": "hardtanh", "min": 0, "max": 1}
ACTIVATIONS = ("tanh", "hardtanh")
WIDTHS = (2, 4, 64)


def he_depth2(rng: np.random.Generator, k: int) -> FloatNetwork:
    return FloatNetwork(
        (rng.normal(0, np.sqrt(2), (k, 1)), rng.normal(0, np.sqrt(2 / k), (1, k))),
        (rng.normal(0, np.sqrt(2), k), rng.normal(0, np.sqrt(2 / k), 1)),
    )


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nets", type=int, default=12, help="nets per width (default 12)")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"load average {os.getloadavg()[0]:.2f}; {args.nets} nets per width, seed {args.seed}\n")
    print("| k | grid ms/net | certify ms/net (mean, max) | check ms/net (mean, max) | period-3 / none / UNDECIDED | grid agrees |")
    print("|---|---|---|---|---|---|")
    for k in WIDTHS:
        arrays = [he_depth2(rng, k) for _ in range(args.nets)]
        grid_times, certify_times, check_times, verdicts, agree = [], [], [], [], 0
        for a in arrays:
            seconds, (guess,) = timed(lambda: lean_grid([a], ACTIVATIONS))
            grid_times.append(seconds)
            net = Network.from_arrays(a.weights, a.biases, ["tanh", CLIPPED])
            seconds, verdict = timed(lambda: certify_smooth(net))
            certify_times.append(seconds)
            if isinstance(verdict, IntervalCertificate):
                text = json.dumps(verdict.document)
                seconds, (code, line) = timed(lambda: check_certificate(text))
                assert code == 0, line
                check_times.append(seconds)
                verdicts.append(verdict.claim)
                agree += guess == verdict.has_period3
            else:
                verdicts.append("undecided")
        decided = len(check_times)

        def ms(values):
            return f"{1000 * statistics.mean(values):.1f}, {1000 * max(values):.1f}" if values else "-"

        print(f"| {k} | {1000 * statistics.mean(grid_times):.2f} | {ms(certify_times)} | {ms(check_times)} | "
              f"{verdicts.count('period-3')} / {verdicts.count('no-period-3')} / {verdicts.count('undecided')} | "
              f"{agree}/{decided} |")


if __name__ == "__main__":
    main()
