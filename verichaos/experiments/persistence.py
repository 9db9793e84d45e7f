"""Persistence of chaos under noise: a recurrent net keeps its linear regions, a feed-forward net loses them.

The experiment of Chatziafratis et al. (NeurIPS 2022) as the paper notes
describe it. The base map is the tent map

    T(x) = 2·ReLU(x) − 4·ReLU(x − 1/2)

(weights (1, 1), biases (0, −1/2), output weights (2, −4), output bias 0).
A noisy copy adds independent N(0, σ²) noise to each of its 7 parameters.
For depth d on the domain [0, 1]:

* **RNN**: one noisy copy g, composed with itself: g^d;
* **feed-forward**: d independent noisy copies, composed: g_d∘…∘g₁.

Without noise both are T^d, which has exactly 2^d linear pieces and 2^d
monotone laps on [0, 1]. The claim is that under noise the RNN keeps about
2^d while the feed-forward composite loses them (Hanin and Rolnick: regions
of a feed-forward net along a line grow only linearly in its neurons).

Everything counted is exact. Noise is drawn in float64 (numpy ``Generator``)
and each draw is taken at its exact binary value by
:meth:`verichaos.network.Network.from_arrays`. Composites are built with
:func:`verichaos.pwl.compose_on`, which restricts each factor to the exact
image of [0, 1] under the factors before it; a noisy copy need not map [0, 1]
into itself, so restricting every factor to [0, 1] would be wrong. Pieces and
laps are :meth:`~verichaos.pwl.PiecewiseLinear.piece_count_on` and
:meth:`~verichaos.pwl.PiecewiseLinear.lap_number` on [0, 1].

Reproducibility: trial i draws a (depth × 7) array of standard normals from
``numpy.random.default_rng([seed, i])``; the RNN copy uses row 0 and the
feed-forward copies rows 0 … d−1, each scaled by σ. So trial i is the same
whatever the number of trials, jobs or noise levels, and the noise levels
share their draws (common random numbers).

>>> counts = trial_counts(sigma=0.0, trial=0, depth=4, seed=0)
>>> counts["rnn"]["pieces"], counts["feedforward"]["laps"]
([2, 4, 8, 16], [2, 4, 8, 16])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from matplotlib.figure import Figure

from verichaos.experiments.runner import LocalBackend
from verichaos.network import Network
from verichaos.pwl import compose_on, from_network
from verichaos.rational import Q

__all__ = [
    "MODELS",
    "TENT_PARAMETERS",
    "PersistenceResult",
    "noisy_tent",
    "quartiles",
    "run_persistence",
    "trial_counts",
]

# w₁, w₂ (input weights), b₁, b₂ (hidden biases), a₁, a₂ (output weights), c (output bias)
TENT_PARAMETERS = np.array([1.0, 1.0, 0.0, -0.5, 2.0, -4.0, 0.0])
MODELS = ("rnn", "feedforward")
MEASURES = ("pieces", "laps")
DOMAIN = (Q(0), Q(1))


def noisy_tent(noise: np.ndarray) -> Network:
    """The tent map with ``noise`` (7 float64 values, in the order of
    :data:`TENT_PARAMETERS`) added to its parameters, taken exactly."""
    w1, w2, b1, b2, a1, a2, c = TENT_PARAMETERS + noise  # float ok: the sampled parameters are these doubles, taken exactly below
    return Network.from_arrays([[[w1], [w2]], [[a1, a2]]], [[b1, b2], [c]], ["relu", "identity"])


def _counts(maps: Sequence) -> dict[str, list[int]]:
    composites = compose_on(maps, *DOMAIN)
    return {
        "pieces": [g.piece_count_on(*DOMAIN) for g in composites],
        "laps": [g.lap_number(*DOMAIN) for g in composites],
    }


def trial_counts(sigma: float, trial: int, depth: int, seed: int) -> dict[str, dict[str, list[int]]]:
    """Exact pieces and laps on [0, 1] at depths 1 … ``depth`` for both models of one trial."""
    draws = np.random.default_rng([seed, trial]).standard_normal((depth, len(TENT_PARAMETERS)))
    copies = [from_network(noisy_tent(sigma * row)) for row in draws]  # float ok: noise is sampled in float64 by design
    return {"rnn": _counts([copies[0]] * depth), "feedforward": _counts(copies)}


def quartiles(values: Iterable[int]) -> tuple[Fraction, Fraction, Fraction]:
    """(first quartile, median, third quartile), exactly, by linear
    interpolation between order statistics (numpy's default method)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")

    def at(p: Fraction) -> Fraction:
        position = p * (len(ordered) - 1)
        below = int(position)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (position - below) * (ordered[above] - ordered[below])

    return at(Fraction(1, 4)), at(Fraction(1, 2)), at(Fraction(3, 4))


def _number(value: Fraction) -> int | float:
    # float ok: quartiles of integer counts are multiples of 1/4, exact in binary
    return int(value) if value.denominator == 1 else float(value)  # float ok: see above


@dataclass
class PersistenceResult:
    """Counts per noise level and trial, and their quartiles per depth."""

    sigmas: tuple[float, ...]
    depth: int
    trials: int
    seed: int
    counts: dict[float, dict[int, dict]] = field(default_factory=dict)  # sigma -> trial -> trial_counts
    complete: bool = True

    kind = "persistence"

    def summary_rows(self) -> list[dict[str, object]]:
        """One row per noise level, model, measure and depth: quartiles over the finished trials."""
        rows = []
        for sigma in self.sigmas:
            finished = list(self.counts.get(sigma, {}).values())
            if not finished:
                continue
            for model in MODELS:
                for measure in MEASURES:
                    for d in range(1, self.depth + 1):
                        low, median, high = quartiles(trial[model][measure][d - 1] for trial in finished)
                        rows.append(
                            {
                                "sigma": sigma,
                                "model": model,
                                "measure": measure,
                                "depth": d,
                                "trials": len(finished),
                                "q1": _number(low),
                                "median": _number(median),
                                "q3": _number(high),
                                "noise_free": 2**d,
                            }
                        )
        return rows

    def summary(self) -> dict[str, object]:
        """Headline: medians at the largest depth, per noise level and model."""
        last = {
            f"sigma={row['sigma']} {row['model']} {row['measure']}": row["median"]
            for row in self.summary_rows()
            if row["depth"] == self.depth
        }
        return {
            "headline": f"median pieces and laps on [0, 1] at depth {self.depth} (noise-free: {2**self.depth})",
            "medians_at_max_depth": last,
            "complete": self.complete,
        }

    def draw(self, figure: Figure) -> None:
        axes_by_measure = dict(zip(MEASURES, figure.subplots(1, 2, sharey=True)))
        depths = list(range(1, self.depth + 1))
        rows = self.summary_rows()
        colours = ("tab:blue", "tab:red", "tab:green", "tab:purple", "tab:brown", "tab:orange")
        for measure, axes in axes_by_measure.items():
            axes.set_yscale("log", base=2)
            axes.plot(depths, [2**d for d in depths], color="black", linestyle=":", label="noise-free 2ᵈ")
            for sigma, colour in zip(self.sigmas, colours * len(self.sigmas)):
                for model, style in zip(MODELS, ("-", "--")):
                    mine = [r for r in rows if (r["sigma"], r["model"], r["measure"]) == (sigma, model, measure)]
                    if not mine:
                        continue
                    axes.plot(depths, [r["median"] for r in mine], color=colour, linestyle=style, marker="o", markersize=3, label=f"{model}, σ = {sigma:g}")
                    axes.fill_between(depths, [r["q1"] for r in mine], [r["q3"] for r in mine], color=colour, alpha=0.15)
            axes.set_xlabel("depth d")
            axes.set_title(f"linear {measure} on [0, 1]" if measure == "pieces" else "monotone laps on [0, 1]", fontsize="medium")
        axes_by_measure["pieces"].set_ylabel("count (median, quartile band)")
        figure.legend(*axes_by_measure["pieces"].get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize="small")
        trials = min((len(self.counts.get(s, {})) for s in self.sigmas), default=0)
        figure.suptitle(f"Noisy tent map: RNN (one copy iterated) vs feed-forward (independent copies), {trials} trials", fontsize="medium")

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "complete": self.complete,
            "config": {"sigmas": list(self.sigmas), "depth": self.depth, "trials": self.trials, "seed": self.seed},
            "summary": self.summary_rows(),
            "trials": {
                str(sigma): {str(trial): counts for trial, counts in sorted(by_trial.items())}
                for sigma, by_trial in self.counts.items()
            },
        }

    def csv_table(self) -> tuple[list[str], list[list[object]]]:
        header = ["sigma", "model", "measure", "depth", "trials", "q1", "median", "q3", "noise_free"]
        return header, [[row[key] for key in header] for row in self.summary_rows()]


def _task(arguments: tuple[float, int, int, int]) -> tuple[float, int, dict]:
    sigma, trial, depth, seed = arguments
    return sigma, trial, trial_counts(sigma, trial, depth, seed)


def run_persistence(
    sigmas: Sequence[float],
    depth: int = 10,
    trials: int = 100,
    seed: int = 0,
    jobs: int | None = 1,
    advance: Callable[[], None] = lambda: None,
) -> PersistenceResult:
    """Every (noise level, trial) pair on ``jobs`` processes (None: every core;
    :class:`verichaos.experiments.runner.LocalBackend`); ``advance`` is called
    once per finished trial (a progress bar). On Ctrl-C the trials finished so
    far are returned, marked incomplete. A failing trial raises its error."""
    if depth < 1 or trials < 1 or (jobs is not None and jobs < 1):
        raise ValueError("depth, trials and jobs must be at least 1")
    if any(sigma < 0 for sigma in sigmas):
        raise ValueError("noise levels must be non-negative")
    result = PersistenceResult(tuple(sigmas), depth, trials, seed, {sigma: {} for sigma in sigmas})

    def record(finished: set) -> None:
        for future in finished:
            sigma, trial, counts = future.result()
            result.counts[sigma][trial] = counts
            advance()

    with LocalBackend(jobs) as backend:
        window = 2 * backend.workers + 2  # tasks in flight: enough to keep every worker busy
        pending: set = set()

        def settle(limit: int) -> None:
            while len(pending) > limit:
                finished = backend.wait_first(pending)
                pending.difference_update(finished)
                record(finished)

        try:
            for task in ((sigma, trial, depth, seed) for sigma in sigmas for trial in range(trials)):
                pending.add(backend.submit(_task, task))
                settle(window)
            settle(0)
        except KeyboardInterrupt:
            backend.cancel(pending)
            record({f for f in pending if f.done() and not f.cancelled() and f.exception() is None})
            result.complete = False
    return result
