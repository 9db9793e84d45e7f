"""Benchmark: how often the interval filter proves each column, per family and width, checked exactly.

For every built-in depth-2 family (``verichaos.experiments.families``) and
widths 2, 4 and 64, draws N nets of the paper-table seed and reports, next to
the exact answers (all nets also go through the exact path here, so every
claim of the filter is checked; a wrong claim stops the run):

* no period 3 proved, of the nets that have none; and the same when the nets
  the batch filter leaves go on to the one-net filter and its f³ cover
  (``decide_period3``'s path from 16 neurons; ReLU-then-identity nets only);
* no period 2 proved, of the nets that have none;
* fixed points counted, lap number of f³ given (of all nets);
* no period search: no period 2 and the fixed points proved, so the record
  needs no exact period search (only the lap number, when not proved);
* no rationals at all: the lap number proved too, so ``measure_chunk``
  never converts the net (its hash comes from the floats);
* filter µs per net (the whole batch at once).

Run: ``python benchmarks/bench_filter.py [--nets N]``. Prints a Markdown
table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # time this checkout, not an installed copy

from verichaos.dynamics import core_interval, find_period3_orbit, periodic_orbits  # noqa: E402
from verichaos.experiments.families import BUILTIN_NAMES, builtin_family  # noqa: E402
from verichaos.experiments.filter import prove  # noqa: E402
from verichaos.experiments.paper_table import DEFAULT_SEED  # noqa: E402
from verichaos.experiments.sampling import exact_network, sample_chunk  # noqa: E402
from verichaos.experiments.scalar_filter import proves_no_period3  # noqa: E402
from verichaos.pwl import from_network  # noqa: E402


def row(family_name: str, width: int, nets: int) -> str:
    family = builtin_family(family_name)
    activations = [spec.activation for spec in family.layers]
    arrays = sample_chunk(family, width, DEFAULT_SEED, range(nets))
    start = time.perf_counter()
    proof = prove(arrays, activations)
    seconds = time.perf_counter() - start
    covered = [no or proves_no_period3(sample, activations) for sample, no in zip(arrays, proof.no_period3)]
    without3 = without2 = 0
    for i, sample in enumerate(arrays):
        f = from_network(exact_network(family, sample))
        core = core_interval(f)
        has3, has2 = find_period3_orbit(f, core) is not None, bool(periodic_orbits(f, 2, core))
        fixed = f.fixed_points()
        if (proof.no_period3[i] and has3) or (proof.no_period2[i] and has2) or (covered[i] and has3):
            raise AssertionError(f"{family_name} k={width} net {i}: the filter contradicts the exact path")
        if proof.fixed_points[i] >= 0 and (fixed.intervals or proof.fixed_points[i] != len(fixed)):
            raise AssertionError(f"{family_name} k={width} net {i}: wrong fixed-point count")
        if proof.lap_f3[i] >= 0 and proof.lap_f3[i] != f.iterate(3, within=core).lap_number(*core):
            raise AssertionError(f"{family_name} k={width} net {i}: wrong lap number")
        without3 += not has3
        without2 += not has2
    searches_spared = proof.no_period2 & (proof.fixed_points >= 0)
    decided = searches_spared & (proof.lap_f3 >= 0)
    cells = [
        family_name, str(width), str(nets),
        f"{proof.no_period3.sum()} / {without3}", f"{sum(covered)} / {without3}", f"{proof.no_period2.sum()} / {without2}",
        f"{(proof.fixed_points >= 0).sum()}", f"{(proof.lap_f3 >= 0).sum()}",
        f"{searches_spared.sum()} ({100 * searches_spared.mean():.0f}%)", f"{decided.sum()} ({100 * decided.mean():.0f}%)",
        f"{1e6 * seconds / nets:.1f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nets", type=int, default=1000)
    parser.add_argument("--widths", default="2,4,64")
    parser.add_argument("--families", default=",".join(BUILTIN_NAMES))
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}; seed {DEFAULT_SEED}\n")
    print("| family | k | nets | no period 3 proved / none exactly | with the f³ cover | no period 2 proved / none exactly | fixed points counted | lap f³ given | no period search | no rationals at all | filter µs/net |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in options.families.split(","):
        family = builtin_family(name)
        if len(family.layers) != 2 or not all(layer.activation.is_piecewise_linear for layer in family.layers):
            continue
        for width in (int(w) for w in options.widths.split(",")):
            print(row(name, width, options.nets if width < 64 else max(50, options.nets // 5)), flush=True)
    print(f"\nDepth-3 and smooth families are not filtered (every net takes the exact path). Load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
