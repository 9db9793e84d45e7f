"""Benchmark: the one-net interval filter (scalar_filter) against the batch filter on one net, and the grid.

For He-random depth-2 nets (as in bench_core.py) at k = 2 … 2048, one net at a
time, best of ``--rounds``:

* how many nets the one-net filter proves free of period 3 with its slope
  tests alone and with the f³ cover (``cover_filter``) after them, how many
  the batch filter proves (on all of them at once), how many have period 3
  exactly (every net also goes through the exact path; a wrong claim stops the
  run), and how many without period 3 are left to the exact path;
* the one-net filter's cost per net without and with the cover, the batch
  filter's on a batch of one, and the per-net lean grid's (``baselines.lean_grid``).

Run: ``python benchmarks/bench_scalar_filter.py [--rounds R]``. Prints a
Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # time this checkout, not an installed copy

from baselines import lean_grid  # noqa: E402
from bench_core import ACTIVATIONS, WIDTHS, exact_decisions, he_nets  # noqa: E402

from verichaos.experiments.filter import prove  # noqa: E402
from verichaos.experiments.scalar_filter import proves_no_period3  # noqa: E402


def best(rounds: int, action) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}; best of {args.rounds} rounds")
    print()
    print("| k | nets | period 3 (exact) | slope tests prove | with the f³ cover | batch filter proves | left to the exact path (no period 3) | slope tests ms/net | with the cover ms/net | batch filter on one net ms | lean grid ms/net | one-net filter / grid |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in WIDTHS:
        nets = max(6, 2000 // max(1, k // 4)) if k < 512 else (20 if k == 512 else 6)
        arrays = he_nets(k, nets, args.seed + k)
        slopes = [proves_no_period3(a, ACTIVATIONS, cover=False) for a in arrays]
        scalar = [proves_no_period3(a, ACTIVATIONS) for a in arrays]
        batch = prove(arrays, ACTIVATIONS, counts=False).no_period3.tolist()
        exact = exact_decisions(arrays)
        if any(s and e for s, e in zip(scalar, exact)) or any(b and e for b, e in zip(batch, exact)):
            raise AssertionError(f"k={k}: a filter claimed no period 3 for a net that has one")
        left = sum(not s and not e for s, e in zip(scalar, exact))
        bare = best(args.rounds, lambda: [proves_no_period3(a, ACTIVATIONS, cover=False) for a in arrays]) / nets
        one = best(args.rounds, lambda: [proves_no_period3(a, ACTIVATIONS) for a in arrays]) / nets
        alone = best(args.rounds, lambda: [prove([a], ACTIVATIONS, counts=False) for a in arrays[:5]]) / 5
        grid = best(args.rounds, lambda: lean_grid(arrays, ACTIVATIONS)) / nets
        cells = [k, nets, sum(exact), sum(slopes), sum(scalar), sum(batch), left, f"{1e3 * bare:.3f}", f"{1e3 * one:.3f}", f"{1e3 * alone:.3f}", f"{1e3 * grid:.3f}", f"{one / grid:.1f}x"]
        print("| " + " | ".join(map(str, cells)) + " |", flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
