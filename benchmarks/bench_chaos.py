"""Benchmark: the cost of the chaos column, per net, against period 3 alone.

For each setting (a family at a width, one process), the same nets are built
once (:func:`verichaos.pwl.from_network`, not timed) and three exact
computations are timed per net, interleaved net by net so that load from
other processes hits all three alike:

* **period 3**: ``core_interval`` + ``find_period3_orbit`` (the period-3 column alone);
* **period 3 + 2**: the same and ``periodic_orbits(f, 2)``, the two exact
  columns a record held before the chaos column;
* **chaos**: ``core_interval`` + ``decide_chaos`` (positive / zero /
  undecided, with the Markov bound of a positive verdict); the records read
  period 3 and period 2 off its searches, so this is all a record now pays.

Prints a Markdown table: mean and median milliseconds per net, the largest,
the ratio chaos / period 3 of the means, and the verdicts.

Run: ``python benchmarks/bench_chaos.py [--nets 200] [--seed 1]`` (about a minute at the defaults).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable

from verichaos.dynamics import core_interval, find_period3_orbit, periodic_orbits
from verichaos.dynamics.entropy import decide_chaos
from verichaos.experiments.families import builtin_family
from verichaos.experiments.sampling import sample_network
from verichaos.pwl import PiecewiseLinear, from_network

SETTINGS = [
    *((f"row{r}", 2, {}) for r in range(1, 6)),
    *(("row1", k, {}) for k in (8, 64, 512, 2048)),
    *(("random-walk", k, {"s": s}) for s in (16.0, 256.0) for k in (8, 512)),
]


def period3(f: PiecewiseLinear) -> object:
    return find_period3_orbit(f, core_interval(f))


def period3_and_2(f: PiecewiseLinear) -> object:
    core = core_interval(f)
    return find_period3_orbit(f, core), periodic_orbits(f, 2, core)


def chaos(f: PiecewiseLinear) -> object:
    return decide_chaos(f, core=core_interval(f))


ACTIONS: dict[str, Callable[[PiecewiseLinear], object]] = {"period 3": period3, "period 3 + 2": period3_and_2, "chaos": chaos}


def measure(family: str, width: int, parameters: dict[str, float], nets: int, seed: int) -> tuple[dict[str, list[float]], Counter]:
    chosen = builtin_family(family).with_parameters(parameters) if parameters else builtin_family(family)
    maps = [from_network(sample_network(chosen, width, seed, index)) for index in range(nets)]
    times: dict[str, list[float]] = {name: [] for name in ACTIONS}
    verdicts: Counter = Counter()
    for f in maps:
        for name, action in ACTIONS.items():
            start = time.perf_counter()
            result = action(f)
            times[name].append(time.perf_counter() - start)
        verdicts[result.chaos] += 1
    return times, verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nets", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    chaos(PiecewiseLinear.from_knots([0, "1/2"], [0, 1], 0, -2))  # load sympy and flint before timing
    print(f"{options.nets} nets per setting, seed {options.seed}; milliseconds per net (mean / median / max)\n")
    print("| family | k | period 3 | period 3 + 2 | chaos | chaos / period 3 (means) | verdicts |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for family, width, parameters in SETTINGS:
        times, verdicts = measure(family, width, parameters, options.nets, options.seed)
        cells = [
            f"{1000 * statistics.fmean(t):.2f} / {1000 * statistics.median(t):.2f} / {1000 * max(t):.0f}" for t in times.values()
        ]
        ratio = statistics.fmean(times["chaos"]) / statistics.fmean(times["period 3"])
        label = family + "".join(f", {k}={v:g}" for k, v in parameters.items())
        counts = ", ".join(f"{value} {verdicts[value]}" for value in ("positive", "zero", "undecided") if verdicts[value])
        print(f"| {label} | {width} | {' | '.join(cells)} | {ratio:.2f} | {counts} |", flush=True)


if __name__ == "__main__":
    main()
