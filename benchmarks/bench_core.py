"""Benchmark: network -> f^3 -> exact period-3 decision, against the numpy grid.

For depth-2 nets with He-random weights (layer 1: weights and biases N(0, 2);
layer 2: N(0, 2/k); identity output) at widths k = 2 ... 2048, time per net:

* exact: ``from_network`` (the exact breakpoint list) then
  ``find_period3_orbit`` (f^3 on the trapping interval, fixed points, exact);
* grid: the notebooks' 163-point test as the experiments emulate it
  (``verichaos.experiments.grid.sign_change_counts`` on one net: f, f^3 and
  f^4 on the windows W = 1 and W = 2), the method a user would otherwise pick;
* grid, batched: the same test vectorized over all sampled nets at once,
  per net — the fastest float baseline.

Run: ``python benchmarks/bench_core.py [--quick]``. Prints a Markdown table
with the ratios; paste it into docs/performance.md. Timing is wall clock on
whatever else the machine is doing, so run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from verichaos.dynamics import find_period3_orbit
from verichaos.experiments.grid import sign_change_counts
from verichaos.experiments.sampling import FloatNetwork
from verichaos.network import Network
from verichaos.pwl import from_network

ACTIVATIONS = ("relu", "identity")


def he_depth2(rng: np.random.Generator, k: int) -> FloatNetwork:
    return FloatNetwork(
        (rng.normal(0, np.sqrt(2), (k, 1)), rng.normal(0, np.sqrt(2 / k), (1, k))),
        (rng.normal(0, np.sqrt(2), k), rng.normal(0, np.sqrt(2 / k), 1)),
    )


def best_of(repeats: int, action) -> float:
    """Least wall time of ``repeats`` runs: the run least disturbed by the machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(k: int, nets: int, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    arrays = [he_depth2(rng, k) for _ in range(nets)]
    exact_nets = [Network.from_arrays(a.weights, a.biases, ACTIVATIONS) for a in arrays]
    chaotic = [find_period3_orbit(from_network(net)) is not None for net in exact_nets]
    repeats = 3 if k <= 512 else 1
    exact = best_of(repeats, lambda: [find_period3_orbit(from_network(net)) for net in exact_nets]) / nets
    grid = best_of(repeats, lambda: [sign_change_counts([a], ACTIVATIONS) for a in arrays]) / nets
    batched = best_of(repeats, lambda: sign_change_counts(arrays, ACTIVATIONS)) / nets
    return {"k": k, "nets": nets, "period3": sum(chaotic), "exact": exact, "grid": grid, "batched": batched}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer nets per width")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    widths = (2, 8, 32, 128, 512, 2048)
    print("| k | nets | with period 3 | exact ms/net | grid ms/net | exact / grid | batched grid ms/net | exact / batched |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in widths:
        nets = max(4, (20 if args.quick else 200) // max(1, k // 32))
        row = measure(k, nets, args.seed + k)
        print(
            f"| {k} | {row['nets']} | {row['period3']} | {1e3 * row['exact']:.3f} | {1e3 * row['grid']:.3f} "
            f"| {row['exact'] / row['grid']:.1f}x | {1e3 * row['batched']:.3f} | {row['exact'] / row['batched']:.0f}x |",
            flush=True,
        )


if __name__ == "__main__":
    main()
