"""Benchmark: interval certificates of tanh nets, certify and check, against the lean float grid.

The nets are those of the notebooks' tanh tables (``verichaos.experiments.families``): rows
1-5 with ``-tanh-clipped`` at width 2 (extra table 2) and ``-tanh`` at widths 4 and 64, the
rows taken in turn, trial i of row r drawn with the experiments' seed. Per net: the lean
grid (``baselines.lean_grid``: 163 points of [-1, 1], f and f^3, sign changes; a float
heuristic, no proof), ``certify_smooth`` (enclosures: the certificate, or UNDECIDED) and the
checker (``check_certificate`` on the JSON text). Reports the mean and the maximum time per
net, the verdicts, and how often the grid's guess agrees with the proved verdict.

With ``--rates N`` it prints instead, for every row of those three tables, the notebooks'
published percentage, the faithful emulation of their grid test (f^4, windows W = 1 and 2:
``verichaos.experiments.grid``) and the rigorous verdicts of trials 0 ... N-1 (period 3 / none
/ UNDECIDED), each proved by enclosures: the records of ``experiment paper-table --extra``
(``verichaos.experiments.smooth_measure``).

Run: ``python benchmarks/bench_smooth.py [--nets N | --rates N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import lean_grid  # noqa: E402

from verichaos.checker import check_certificate  # noqa: E402
from verichaos.experiments.families import builtin_family  # noqa: E402
from verichaos.experiments.measure import Chunk  # noqa: E402
from verichaos.experiments.paper_table import DEFAULT_SEED, TABLES as PAPER_TABLES  # noqa: E402
from verichaos.experiments.sampling import sample_arrays  # noqa: E402
from verichaos.experiments.smooth_measure import VERDICTS, measure_smooth_chunk  # noqa: E402
from verichaos.experiments.smooth_summary import SmoothSummary, verdict_key  # noqa: E402
from verichaos.network import Network  # noqa: E402
from verichaos.smooth import Undecided, certify_smooth  # noqa: E402

TABLES = (("-tanh-clipped", 2), ("-tanh", 4), ("-tanh", 64))
ROWS = ("row1", "row2", "row3", "row4", "row5-glorot")  # the extra tables read row 5 as Glorot


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def rates(trials: int) -> None:
    """Published, faithful grid (f^4) and proved verdicts for every row of the tanh tables: the
    records of ``experiment paper-table --extra`` (``measure_smooth_chunk``), without the files."""
    print(f"{trials} trials per row (indices 0 ... {trials - 1}), seed {DEFAULT_SEED}\n")
    print("| family | k | published | faithful grid W=1 / W=2 | proved period 3 / none / UNDECIDED |")
    print("|---|---|---|---|---|")
    for table in (table for table in PAPER_TABLES if table.activation == "tanh"):
        for name, number in zip(table.families, table.published):
            records, _ = measure_smooth_chunk(Chunk(builtin_family(name), table.width, DEFAULT_SEED, tuple(range(trials))))
            summary = SmoothSummary(name, table.width, DEFAULT_SEED, {}, trials).add_all(records)
            yes, no, undecided = (summary.counts[verdict_key(v)] for v in VERDICTS)
            print(f"| {name} | {table.width} | {number}% | {100 * summary.rate('grid_published_w1'):.1f}% / "
                  f"{100 * summary.rate('grid_published_w2'):.1f}% | {yes} / {no} / {undecided} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nets", type=int, default=25, help="nets per width, rows 1-5 in turn (default 25)")
    parser.add_argument("--rates", type=int, metavar="N", help="the tanh tables' rates over N trials per row instead")
    args = parser.parse_args()
    if args.rates:
        rates(args.rates)
        return
    print(f"load average {os.getloadavg()[0]:.2f}; {args.nets} nets per width, seed {DEFAULT_SEED}\n")
    print("| family | k | grid ms/net | certify ms/net (mean, max) | check ms/net (mean, max) | period-3 / none / UNDECIDED | grid agrees |")
    print("|---|---|---|---|---|---|---|")
    for suffix, k in TABLES:
        grid_times, certify_times, check_times, verdicts, agree = [], [], [], [], 0
        for i in range(args.nets):
            family = builtin_family(ROWS[i % 5] + suffix)
            activations = [layer.activation for layer in family.layers]
            arrays = sample_arrays(family, k, DEFAULT_SEED, i // 5)
            seconds, (guess,) = timed(lambda: lean_grid([arrays], activations))
            grid_times.append(seconds)
            net = Network.from_arrays(arrays.weights, arrays.biases, activations)
            start = time.perf_counter()
            try:
                verdict = certify_smooth(net)
            except Undecided:
                verdict = None
            certify_times.append(time.perf_counter() - start)
            if verdict is None:
                verdicts.append("undecided")
                continue
            text = json.dumps(verdict.document)
            seconds, (code, line) = timed(lambda: check_certificate(text))
            assert code == 0, line
            check_times.append(seconds)
            verdicts.append(verdict.claim)
            agree += guess == verdict.has_period3

        def ms(values):
            return f"{1000 * statistics.mean(values):.1f}, {1000 * max(values):.1f}" if values else "-"

        print(f"| rowN{suffix} | {k} | {1000 * statistics.mean(grid_times):.2f} | {ms(certify_times)} | {ms(check_times)} | "
              f"{verdicts.count('period-3')} / {verdicts.count('no-period-3')} / {verdicts.count('undecided')} | "
              f"{agree}/{len(check_times)} |", flush=True)


if __name__ == "__main__":
    main()
