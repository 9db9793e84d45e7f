"""Scrambling: the seed's "kiss and separate" figure, exactly, and how often nearby pairs return.

Li and Yorke call x and y *proximal* when liminf |fᵗx − fᵗy| = 0 and
*asymptotic* when limsup |fᵗx − fᵗy| = 0; a scrambled set has every pair
proximal but not asymptotic. A finite trajectory cannot decide a liminf, but
it shows its face: the distance of a scrambled pair exceeds some δ and later
returns below ε, again and again.

The seed's figure (Chatziafratis et al., NeurIPS 2022; paper notes): the net

    f(x) = 1.9999·ReLU(x + 0.00001) − 4·ReLU(x − 0.502),

a slightly perturbed tent map, with x = 0.175421 and y = x + 10⁻⁷, every
decimal meaning exactly what it says, for t ≤ 150. The exact rational
trajectories are drawn by :func:`verichaos.plots.scramble`, with float64
overlaid: float64 has the leading digit of the distance wrong from t = 52 on.

The statistic (:func:`return_statistic`): random starts x uniform on the
default domain of :func:`verichaos.plots.default_domain` (float64 draws taken
exactly), y = x + gap, exact trajectories for T steps. A pair *separates* at
the first t with distance > δ and *returns* at the first later t with
distance < ε; it has *merged* when the distance becomes exactly 0 (then it is
0 forever: the pair is asymptotic). All comparisons are exact. Each pair's
iterates are guarded like the figure's (:func:`verichaos.plots.exact_step`):
an iterate of more than 65,536 bits, or the deadline of an enclosing
:func:`verichaos.budget.budget`, stops the statistic with BudgetExceeded.

>>> stats = return_statistic(SEED_NETWORK, pairs=20, steps=150, seed=0)
>>> stats.count("separated"), stats.count("merged")
(20, 0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from verichaos.network import Network
from verichaos.plots import Scramble, default_domain, exact_step, network_name, scramble
from verichaos.pwl import from_network
from verichaos.rational import Q, canonical, from_float, parse_rational

__all__ = [
    "SEED_NETWORK",
    "SEED_X",
    "SEED_GAP",
    "PairReturn",
    "ReturnStatistic",
    "seed_figure",
    "return_statistic",
]

SEED_NETWORK = Network.from_arrays(
    [[[1], [1]], [["1.9999", "-4"]]],
    [["0.00001", "-0.502"], [0]],
    ["relu", "identity"],
    {"name": "seed scrambling net", "source": "paper-notes: scrambling figure"},
)
SEED_X = parse_rational("0.175421")
SEED_GAP = Q(1, 10**7)
DEFAULT_EPSILON = Q(1, 1000)
DEFAULT_DELTA = Q(1, 10)


def seed_figure(steps: int = 150) -> Scramble:
    """The seed's scrambling pair, exactly: x = 0.175421, y = x + 10⁻⁷."""
    return scramble(SEED_NETWORK, SEED_X, SEED_X + SEED_GAP, steps)


@dataclass(frozen=True)
class PairReturn:
    """One pair's story: when it first exceeded δ, when it first came back below ε after that."""

    x: Q
    separated: int | None
    returned: int | None
    merged: int | None  # first t with fᵗ(x) = fᵗ(y) exactly

    def event(self, name: str) -> int | None:
        return {"separated": self.separated, "returned": self.returned, "merged": self.merged}[name]


def _story(f, x: Q, gap: Q, steps: int, epsilon: Q, delta: Q) -> PairReturn:
    separated = returned = merged = None
    a, b = x, x + gap
    for t in range(steps + 1):
        if t:  # the figure's guard: iterates that outgrow MAX_ITERATE_BITS stop the statistic too
            a, b = exact_step(f, a, t), exact_step(f, b, t)
        distance = abs(a - b)
        if not distance and merged is None:
            merged = t
            break  # equal points stay equal: nothing else can happen
        if separated is None and distance > delta:
            separated = t
        elif separated is not None and returned is None and distance < epsilon:
            returned = t
    return PairReturn(x, separated, returned, merged)


@dataclass(frozen=True)
class ReturnStatistic:
    """Per-pair events over random starts, and the settings that produced them."""

    network: Network
    domain: tuple[Q, Q]
    steps: int
    epsilon: Q
    delta: Q
    gap: Q
    seed: int
    pairs: tuple[PairReturn, ...]

    kind = "scramble-returns"

    def count(self, event: str) -> int:
        return sum(pair.event(event) is not None for pair in self.pairs)

    def by_step(self, event: str) -> list[int]:
        """How many pairs had the event at or before each step t = 0 … T."""
        times = [pair.event(event) for pair in self.pairs]
        return [sum(time is not None and time <= t for time in times) for t in range(self.steps + 1)]

    def summary(self) -> dict[str, object]:
        total = len(self.pairs)
        separated, returned, merged = (self.count(e) for e in ("separated", "returned", "merged"))
        return {
            "headline": (
                f"{returned} of {total} pairs returned below {canonical(self.epsilon)} after exceeding "
                f"{canonical(self.delta)} within {self.steps} steps ({separated} separated, {merged} merged exactly)"
            ),
            "pairs": total,
            "separated": separated,
            "returned": returned,
            "merged": merged,
        }

    def draw(self, figure: Figure) -> None:
        axes = figure.subplots()
        steps = list(range(self.steps + 1))
        total = len(self.pairs)
        for event, colour, label in (
            ("separated", "tab:blue", f"distance exceeded δ = {float(self.delta):g}"),  # float ok: a legend label
            ("returned", "tab:red", f"then returned below ε = {float(self.epsilon):g}"),  # float ok: a legend label
            ("merged", "0.4", "merged exactly (asymptotic)"),
        ):
            axes.plot(steps, [count / total for count in self.by_step(event)], color=colour, label=label)
        axes.set_xlabel("t")
        axes.set_ylabel("fraction of pairs, by step t")
        axes.set_ylim(-0.02, 1.02)
        axes.legend(fontsize="small", loc="center right")
        axes.set_title(
            f"{network_name(self.network)}: {total} random pairs, y = x + {float(self.gap):.3g}", fontsize="medium"  # float ok: a title
        )

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "network_sha256": self.network.sha256,
            "config": {
                "domain": [canonical(self.domain[0]), canonical(self.domain[1])],
                "steps": self.steps,
                "epsilon": canonical(self.epsilon),
                "delta": canonical(self.delta),
                "gap": canonical(self.gap),
                "seed": self.seed,
            },
            "summary": self.summary(),
            "pairs": [
                {"x": canonical(p.x), "separated": p.separated, "returned": p.returned, "merged": p.merged}
                for p in self.pairs
            ],
        }

    def csv_table(self) -> tuple[list[str], list[list[object]]]:
        rows = [[canonical(p.x), p.separated, p.returned, p.merged] for p in self.pairs]
        return ["x", "separated_at", "returned_at", "merged_at"], rows


def return_statistic(
    net: Network,
    pairs: int = 1000,
    steps: int = 150,
    epsilon: Q = DEFAULT_EPSILON,
    delta: Q = DEFAULT_DELTA,
    gap: Q = SEED_GAP,
    seed: int = 0,
    advance: Callable[[], None] = lambda: None,
) -> ReturnStatistic:
    """Exact separation and return events for ``pairs`` random starts (see the module docstring)."""
    if pairs < 1 or steps < 1:
        raise ValueError("pairs and steps must be at least 1")
    if not 0 < epsilon <= delta:
        raise ValueError("need 0 < epsilon <= delta")
    if gap <= 0:
        raise ValueError("the gap y - x must be positive")
    f = from_network(net)
    lo, hi = default_domain(f)
    rng = np.random.default_rng(seed)
    stories = []
    for _ in range(pairs):
        x = from_float(rng.uniform(float(lo), float(hi)))  # float ok: a random start, then exact
        stories.append(_story(f, x, gap, steps, epsilon, delta))
        advance()
    return ReturnStatistic(net, (lo, hi), steps, epsilon, delta, gap, seed, tuple(stories))
