"""Benchmark: the exact period-3 decision from float weights, against the lean numpy grid.

For depth-2 nets with He-random weights (layer 1: weights and biases N(0, 2);
layer 2: N(0, 2/k); identity output) at widths k = 2 ... 2048, per net, all
in one process, actions interleaved round by round (``baselines.interleaved``):

* **lean grid** (``baselines.lean_grid``): one window, f and f³, the first
  layer as an outer product, one net at a time: what a user writes per net;
* **lean grid, vectorized** (``baselines.lean_grid_batched``): the same over
  all nets at once, in memory-bounded chunks;
* **exact**: end to end from the float64 arrays: exact conversion
  (``sampling.exact_from_arrays``, the same network as ``Network.from_arrays``
  without its parsing), ``from_network``, ``find_period3_orbit``;
* **filtered**: ``verichaos.experiments.filter.decide_period3`` on all nets
  at once: the rigorous interval filter, then the exact decision (with its
  conversion) for the nets the filter cannot prove; and the same one net at
  a time ("filtered, per net"), where the filter is the one-net Python
  version (``scalar_filter``) below about 600 neurons.

Ratios are of the minimum over rounds and of the median over rounds; per-net
times are minima. The filtered and exact decisions are compared first. A
last table repeats the vectorized comparison at k = 2 for 400, 2,000 and
10,000 nets.

Run: ``python benchmarks/bench_core.py [--quick] [--rounds R]``. Prints a
Markdown table for docs/performance.md, with the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # time this checkout, not an installed copy

from baselines import interleaved, lean_grid, lean_grid_batched  # noqa: E402

from verichaos.dynamics import find_period3_orbit  # noqa: E402
from verichaos.experiments.filter import decide_period3  # noqa: E402
from verichaos.experiments.sampling import FloatNetwork, exact_from_arrays  # noqa: E402
from verichaos.pwl import from_network  # noqa: E402

ACTIVATIONS = ("relu", "identity")
WIDTHS = (2, 8, 32, 128, 512, 2048)


def he_depth2(rng: np.random.Generator, k: int) -> FloatNetwork:
    return FloatNetwork(
        (rng.normal(0, np.sqrt(2), (k, 1)), rng.normal(0, np.sqrt(2 / k), (1, k))),
        (rng.normal(0, np.sqrt(2), k), rng.normal(0, np.sqrt(2 / k), 1)),
    )


def he_nets(k: int, count: int, seed: int) -> list[FloatNetwork]:
    """``count`` He nets of width k, drawn in turn from one generator seeded with ``seed``."""
    rng = np.random.default_rng(seed)
    return [he_depth2(rng, k) for _ in range(count)]


def exact_decisions(arrays: list[FloatNetwork]) -> list[bool]:
    return [find_period3_orbit(from_network(exact_from_arrays(a, ACTIVATIONS))) is not None for a in arrays]


def actions(arrays: list[FloatNetwork]) -> dict[str, object]:
    return {
        "grid": lambda: lean_grid(arrays, ACTIVATIONS),
        "batched": lambda: lean_grid_batched(arrays, ACTIVATIONS),
        "exact": lambda: exact_decisions(arrays),
        "filtered": lambda: decide_period3(arrays, ACTIVATIONS),
        "filtered, per net": lambda: [decide_period3([a], ACTIVATIONS) for a in arrays],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer nets per width")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}; {args.rounds} interleaved rounds; ratios min / median")
    print()
    print("| k | nets | period 3 | lean grid ms/net | exact ms/net | exact / grid | vectorized grid ms/net | exact / vectorized | filtered (batch) ms/net | filtered / vectorized | filtered per net ms/net | filtered per net / grid |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in WIDTHS:
        nets = max(4, (40 if args.quick else 400) // max(1, k // 16))
        arrays = he_nets(k, nets, args.seed + k)
        found = sum(exact_decisions(arrays))
        if decide_period3(arrays, ACTIVATIONS) != exact_decisions(arrays):
            raise AssertionError(f"k={k}: filtered and exact decisions differ")
        rounds = args.rounds if k <= 512 else max(2, args.rounds // 2)
        timing = interleaved(rounds, actions(arrays))
        per_net = {name: f"{1e3 * timing.low(name) / nets:.3f}" for name in timing}
        cells = [
            str(k), str(nets), str(found),
            per_net["grid"], per_net["exact"], timing.ratio("exact", "grid"),
            per_net["batched"], timing.ratio("exact", "batched"),
            per_net["filtered"], timing.ratio("filtered", "batched"),
            per_net["filtered, per net"], timing.ratio("filtered, per net", "grid"),
        ]
        print("| " + " | ".join(cells) + " |", flush=True)
    print()
    print("Vectorized at k = 2 over more nets (the filter's fixed cost spread thinner):")
    print()
    print("| nets | vectorized grid ms/net | filtered (batch) ms/net | filtered / vectorized |")
    print("|---:|---:|---:|---:|")
    for nets in (400, 2000, 10000):
        arrays = he_nets(2, nets, args.seed)
        timing = interleaved(args.rounds, {name: action for name, action in actions(arrays).items() if name in ("batched", "filtered")})
        print(f"| {nets} | {1e3 * timing.low('batched') / nets:.4f} | {1e3 * timing.low('filtered') / nets:.4f} | {timing.ratio('filtered', 'batched')} |", flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
