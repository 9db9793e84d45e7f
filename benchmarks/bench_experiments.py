"""Benchmark: the experiments end to end, against the numpy grid they replace.

In one run, on the same machine state:

1. **paper table**: ``experiment paper-table`` as the command runs it (rows
   1–5, width 2, N nets each, every column: exact period 3 and period 2,
   fixed points, lap number of f³, both grid variants at W = 1 and 2,
   certificates, results files), on the local process pool;
2. **numpy-grid baseline** for the same nets: what the notebooks computed,
   i.e. drawing the same float64 nets and running the 163-point grid test,
   vectorized over each row (no exact column, no files);
3. **width sweep** k = 2, 4, …, 1024 (``experiment sweep-width`` on row 1),
   wall time per width, with the same numpy-grid baseline per width;
4. the per-net cost of each exact step at k = 2 (one process), to show
   where the time goes.

Run: ``python benchmarks/bench_experiments.py [--trials 10000] [--sweep-trials 200] [--jobs J]``.
Prints Markdown tables with the ratios, for docs/performance.md. Wall-clock
times depend on whatever else the machine runs: the load average is printed
with them.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from verichaos.dynamics import core_interval, find_period3_orbit, periodic_orbits
from verichaos.experiments import paper_table
from verichaos.experiments.families import builtin_family
from verichaos.experiments.grid import sign_change_counts
from verichaos.experiments.runner import LocalBackend, default_jobs
from verichaos.experiments.sampling import exact_network, sample_arrays
from verichaos.experiments.sweeps import WIDTHS, sweep_width
from verichaos.pwl import from_network


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def grid_baseline(family_name: str, width: int, trials: int, seed: int) -> float:
    """Seconds to draw ``trials`` nets and run the grid test on them, in one process."""
    family = builtin_family(family_name)
    activations = [spec.activation for spec in family.layers]

    def work() -> None:
        for start in range(0, trials, 1000):
            batch = [sample_arrays(family, width, seed, i) for i in range(start, min(trials, start + 1000))]
            sign_change_counts(batch, activations)

    return timed(work)[0]


def per_step_costs(trials: int, seed: int) -> dict[str, float]:
    """Microseconds per net for each step of the exact columns, row 1, k = 2."""
    family = builtin_family("row1")
    arrays = [sample_arrays(family, 2, seed, i) for i in range(trials)]
    steps: dict[str, float] = {}
    steps["sample (SeedSequence + draws)"], _ = timed(lambda: [sample_arrays(family, 2, seed, i) for i in range(trials)])
    steps["Network.from_arrays (exact conversion)"], nets = timed(lambda: [exact_network(family, a) for a in arrays])
    steps["Network.sha256"], _ = timed(lambda: [net.sha256 for net in nets])
    steps["from_network"], maps = timed(lambda: [from_network(net) for net in nets])
    steps["find_period3_orbit"], _ = timed(lambda: [find_period3_orbit(f) for f in maps])
    steps["periodic_orbits(f, 2)"], _ = timed(lambda: [periodic_orbits(f, 2) for f in maps])
    steps["core_interval"], cores = timed(lambda: [core_interval(f) for f in maps])
    steps["f.iterate(3, core).lap_number"], _ = timed(lambda: [f.iterate(3, within=c).lap_number(*c) for f, c in zip(maps, cores)])
    steps["f.fixed_points()"], _ = timed(lambda: [f.fixed_points() for f in maps])
    steps["grid test (batched)"], _ = timed(lambda: sign_change_counts(arrays, [s.activation for s in family.layers]))
    return {name: 1e6 * seconds / trials for name, seconds in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=paper_table.DEFAULT_TRIALS, help="nets per paper-table row")
    parser.add_argument("--sweep-trials", type=int, default=200, help="nets per width in the width sweep")
    parser.add_argument("--max-width", type=int, default=1024)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--seed", type=int, default=paper_table.DEFAULT_SEED)
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {options.jobs} jobs, load average before: {os.getloadavg()[0]:.2f}")

    with tempfile.TemporaryDirectory() as folder, LocalBackend(options.jobs) as backend:
        table_seconds, _ = timed(lambda: paper_table.run_tables(paper_table.TABLES[:1], options.trials, options.seed, Path(folder) / "table", backend))
        baseline = sum(grid_baseline(f"row{row}", 2, options.trials, options.seed) for row in range(1, 6))
        print(f"\n### paper table: 5 rows x {options.trials} nets, width 2 (load average after: {os.getloadavg()[0]:.2f})\n")
        print("| what | wall time | per net |")
        print("|---|---:|---:|")
        print(f"| `experiment paper-table`, all columns, {options.jobs} processes | {table_seconds:.1f} s | {1e6 * table_seconds / (5 * options.trials):.0f} µs |")
        print(f"| numpy-grid baseline (draw + 163-point test), 1 process | {baseline:.2f} s | {1e6 * baseline / (5 * options.trials):.0f} µs |")
        print(f"| ratio exact / grid | {table_seconds / baseline:.1f}x | |")

        widths = [k for k in WIDTHS if k <= options.max_width]
        print(f"\n### width sweep, row 1, {options.sweep_trials} nets per width\n")
        print("| k | `sweep-width` wall time | per net | numpy grid per net | ratio |")
        print("|---:|---:|---:|---:|---:|")
        total = 0.0
        for width in widths:
            seconds, _ = timed(
                lambda k=width: sweep_width(builtin_family("row1"), [k], options.sweep_trials, options.seed, Path(folder) / "sweep", backend)
            )
            total += seconds
            grid = grid_baseline("row1", width, options.sweep_trials, options.seed)
            print(
                f"| {width} | {seconds:.1f} s | {1e3 * seconds / options.sweep_trials:.2f} ms | "
                f"{1e3 * grid / options.sweep_trials:.3f} ms | {seconds / grid:.0f}x |"
            )
        print(f"| all | {total:.1f} s | | | |")

    print("\n### exact per-net cost by step, row 1, k = 2, one process\n")
    print("| step | µs per net |")
    print("|---|---:|")
    for name, micros in per_step_costs(min(options.trials, 5000), options.seed).items():
        print(f"| {name} | {micros:.0f} |")


if __name__ == "__main__":
    main()
