"""Benchmark: the experiments end to end, against the lean numpy grid on the same nets and cores.

In one run, on the same machine state, with the same number of processes on
both sides (``--jobs``, default 1: the exact side gets no more cores than
the baseline):

1. **paper table**: ``experiment paper-table`` as the command runs it (rows
   1–5 of the main table, width 2, N nets each, every column, certificates
   and results files), against the **vectorized lean grid**
   (``baselines.lean_grid_batched``) on the same nets, drawn beforehand
   (so the draw is not charged to the baseline). Rows are interleaved: row 1
   exact, row 1 grid, row 2 exact, …; ``--rounds`` repeats the whole table.
2. **width sweep** k = 2, 4, …, 1024 (``experiment sweep-width`` on row 1),
   against the vectorized lean grid per width, interleaved the same way.
3. the per-net cost of each step of a record at k = 2 (one process), to
   show where the time goes.

Run: ``python benchmarks/bench_experiments.py [--trials 10000] [--sweep-trials 200] [--rounds R] [--jobs J]``.
Prints Markdown tables with min and median and their ratios, and the load
average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # time this checkout, not an installed copy

from baselines import lean_grid_batched  # noqa: E402

from verichaos.dynamics import core_interval  # noqa: E402
from verichaos.dynamics.entropy import decide_chaos  # noqa: E402
from verichaos.dynamics.markov import markov_bound  # noqa: E402
from verichaos.experiments import paper_table  # noqa: E402
from verichaos.experiments.families import builtin_family  # noqa: E402
from verichaos.experiments.grid import sign_change_counts  # noqa: E402
from verichaos.experiments import measure  # noqa: E402
from verichaos.experiments.filter import Proof, prove, proved_columns  # noqa: E402
from verichaos.experiments.measure import Chunk, exact_columns, measure_chunk  # noqa: E402
from verichaos.experiments.results import RunSpec  # noqa: E402
from verichaos.experiments.runner import LocalBackend, run  # noqa: E402
from verichaos.experiments.sampling import exact_network, network_sha256, sample_arrays, sample_chunk  # noqa: E402
from verichaos.network import Network  # noqa: E402
from verichaos.pwl import from_network  # noqa: E402


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def activations(family_name: str) -> list[object]:
    return [spec.activation for spec in builtin_family(family_name).layers]


def row_versus_grid(
    family_name: str, width: int, trials: int, seed: int, folder: Path, backend: LocalBackend, unfiltered: bool = False
) -> tuple[float, float, float]:
    """Seconds of the exact run, of the vectorized lean grid, and (with ``unfiltered``)
    of the exact run with the interval filter switched off (else 0), one after the other."""
    family = builtin_family(family_name)
    arrays = [sample_arrays(family, width, seed, i) for i in range(trials)]
    exact, _ = timed(lambda: run(RunSpec(family, width, seed, trials), folder, backend))
    grid, _ = timed(lambda: lean_grid_batched(arrays, activations(family_name)))
    without = 0.0
    if unfiltered:
        filtering = measure.prove
        measure.prove = lambda batch, activations, **_: Proof.nothing(len(batch))  # in-process backend only
        try:
            without, _ = timed(lambda: run(RunSpec(family, width, seed, trials), folder.with_name(folder.name + "-unfiltered"), backend))
        finally:
            measure.prove = filtering
    return exact, grid, without


def per_step_costs(trials: int, seed: int) -> dict[str, float]:
    """Microseconds per net for each step of a record, row 1, k = 2, one process."""
    family = builtin_family("row1")
    indices = range(trials)
    steps: dict[str, float] = {}
    steps["sample, one SeedSequence per trial (sample_arrays)"], arrays = timed(lambda: [sample_arrays(family, 2, seed, i) for i in indices])
    steps["sample, run constants mixed once (sample_chunk)"], _ = timed(lambda: sample_chunk(family, 2, seed, indices))
    steps["grid columns (both windows, f, f^3, f^4), vectorized"], _ = timed(lambda: sign_change_counts(arrays, activations("row1")))
    steps["lean grid (one window, f, f^3), vectorized"], _ = timed(lambda: lean_grid_batched(arrays, activations("row1")))
    steps["interval filter (prove), whole batch"], proof = timed(lambda: prove(arrays, activations("row1")))
    steps["hash from the floats (network_sha256)"], _ = timed(lambda: [network_sha256(family, a) for a in arrays])
    steps["Network.from_arrays (parsed exact conversion)"], _ = timed(lambda: [Network.from_arrays(a.weights, a.biases, activations("row1")) for a in arrays])
    steps["exact_network (direct exact conversion)"], nets = timed(lambda: [exact_network(family, a) for a in arrays])
    steps["Network.sha256"], _ = timed(lambda: [net.sha256 for net in nets])
    steps["from_network"], maps = timed(lambda: [from_network(net) for net in nets])
    steps["core_interval"], cores = timed(lambda: [core_interval(f) for f in maps])
    steps["decide_chaos(f, core)"], _ = timed(lambda: [decide_chaos(f, core=c) for f, c in zip(maps, cores)])
    steps["f.iterate(3, core).lap_number"], _ = timed(lambda: [f.iterate(3, within=c).lap_number(*c) for f, c in zip(maps, cores)])
    steps["exact_columns (every exact column, one net at a time)"], _ = timed(lambda: [exact_columns(net) for net in nets])
    verdicts = [decide_chaos(f, core=c) for f, c in zip(maps, cores)]
    positive = [(f, v.orbit) for f, v in zip(maps, verdicts) if v.chaos == "positive"]
    steps[f"of which markov_bound on the {len(positive)} positive nets"], _ = timed(lambda: [markov_bound(f, orbit) for f, orbit in positive])
    chunks = [Chunk(family, 2, seed, tuple(range(start, min(trials, start + 1000)))) for start in range(0, trials, 1000)]
    steps["measure_chunk (every column, filtered, one record per net)"], _ = timed(lambda: [measure_chunk(chunk) for chunk in chunks])
    decided = sum(proved_columns(proof, row, lambda: 0) is not None for row in range(trials))
    print(f"\nfilter: {decided} of {trials} row-1 nets get every exact column without the period searches")
    return {name: 1e6 * seconds / trials for name, seconds in steps.items()}


def summary_line(label: str, exact: list[float], grid: list[float], nets: int) -> str:
    low, mid = min(exact) / min(grid), statistics.median(exact) / statistics.median(grid)
    return (
        f"| {label} | {min(exact):.2f} s / {statistics.median(exact):.2f} s | {1e6 * min(exact) / nets:.0f} µs "
        f"| {min(grid):.3f} s / {statistics.median(grid):.3f} s | {1e6 * min(grid) / nets:.1f} µs | {low:.1f}x / {mid:.1f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=paper_table.DEFAULT_TRIALS, help="nets per paper-table row")
    parser.add_argument("--sweep-trials", type=int, default=200, help="nets per width in the width sweep")
    parser.add_argument("--max-width", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=paper_table.DEFAULT_SEED)
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--unfiltered", action="store_true", help="also time the paper table with the filter off (needs --jobs 1)")
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {options.jobs} job(s) on both sides, load average before: {os.getloadavg()[0]:.2f}")
    header = "| what | exact: min / median | per net (min) | lean grid, vectorized: min / median | per net (min) | exact / grid: min / median |"
    rule = "|---|---:|---:|---:|---:|---:|"

    with tempfile.TemporaryDirectory() as folder, LocalBackend(options.jobs) as backend:
        exact_totals, grid_totals, unfiltered_totals = [], [], []
        for round_ in range(options.rounds):
            totals = [0.0, 0.0, 0.0]
            for row in range(1, 6):
                times = row_versus_grid(
                    paper_table.TABLES[0].family(row), paper_table.TABLES[0].width, options.trials, options.seed,
                    Path(folder) / f"table{round_}-{row}", backend, unfiltered=options.unfiltered,
                )
                totals = [a + b for a, b in zip(totals, times)]
            exact_totals.append(totals[0])
            grid_totals.append(totals[1])
            unfiltered_totals.append(totals[2])
        print(f"\n### paper table: 5 rows x {options.trials} nets, width 2 (load average after: {os.getloadavg()[0]:.2f})\n")
        print(header)
        print(rule)
        print(summary_line("paper table, every column", exact_totals, grid_totals, 5 * options.trials))
        if options.unfiltered:
            print(summary_line("paper table, every column, filter off", unfiltered_totals, grid_totals, 5 * options.trials))

        if not options.skip_sweep:
            print(f"\n### width sweep, row 1, {options.sweep_trials} nets per width\n")
            print(header)
            print(rule)
            for width in [k for k in (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024) if k <= options.max_width]:
                pairs = [
                    row_versus_grid("row1", width, options.sweep_trials, options.seed, Path(folder) / f"sweep{width}-{r}", backend)
                    for r in range(max(1, options.rounds))
                ]  # the first two of (exact, grid, 0)
                print(summary_line(f"k = {width}", [p[0] for p in pairs], [p[1] for p in pairs], options.sweep_trials), flush=True)

    print("\n### exact per-net cost by step, row 1, k = 2, one process\n")
    print("| step | µs per net |")
    print("|---|---:|")
    for name, micros in per_step_costs(min(options.trials, 5000), options.seed).items():
        print(f"| {name} | {micros:.1f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
