"""Sweeps over the width k and over the variance scale s, with their figures.

**Width sweep** (Theorem 1 of Chatziafratis et al.: with He initialization
the chance of Li–Yorke chaos stays at least some δ > 0 as k grows): one run
per k = 2, 4, …, 2048 of a family (row 1 by default), plotting against k the
exact rate of chaos (positive entropy, :mod:`verichaos.dynamics.entropy`:
what the theorem is about) beside the exact rates of period 3 (a sufficient
condition for it) and of minimal period 2, and the grid verdicts.

**Variance sweep** (Theorem 2, order to chaos): the ``random-walk`` family
f(x) = Σ a_i ReLU(x + b_i) + c with a_i, c ~ N(0, s/k), one run per (k, s).
The theorem's regimes are s ≈ Θ(1)/(4 log k) (chaos with probability at most
1/k), s = 2 (a constant probability) and s ≫ 1 (probability → 1 as k → ∞).
The default scales span 1/16 … 256 and each k also gets the point
s = 1/(4 ln k).

Both sweeps plot P(chaos) beside P(period 3); the runs' summaries also count
the nets whose chaos is undecided.

Each run is an ordinary resumable run in ``<out>/runs/<label>/``; the figures
(PNG, SVG) and the data behind them (CSV, JSON) are written by
:mod:`verichaos.experiments.figures`.

>>> [round(s, 4) for s in scales_for(8, (1.0, 2.0))]
[0.1202, 1.0, 2.0]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress

from verichaos.experiments.families import Family
from verichaos.experiments.figures import Panel, Point, Series, write_figure
from verichaos.experiments.results import RunSpec
from verichaos.experiments.runner import Backend, run
from verichaos.experiments.summary import CHAOS_LABEL, Summary, chaos_key

__all__ = [
    "WIDTHS",
    "VARIANCE_WIDTHS",
    "SCALES",
    "SweepPoint",
    "theorem_scale",
    "scales_for",
    "sweep_width",
    "sweep_variance",
    "width_figure",
    "variance_figure",
]

WIDTHS = tuple(2**j for j in range(1, 12))
VARIANCE_WIDTHS = (8, 64, 512)
SCALES = (1 / 16, 1 / 4, 1.0, 2.0, 4.0, 16.0, 64.0, 256.0)

CHAOS = chaos_key("positive")

WIDTH_SERIES = {
    CHAOS: CHAOS_LABEL,
    "period3": "exact: period 3",
    "period2": "exact: minimal period 2",
    "grid_published_w1": "grid as published (f^4), W=1",
    "grid_published_w2": "grid as published (f^4), W=2",
    "grid_corrected_w1": "grid corrected (f^3), W=1",
}


@dataclass(frozen=True)
class SweepPoint:
    width: int
    scale: float | None
    summary: Summary


def theorem_scale(width: int) -> float:
    """s = 1/(4 ln k): Theorem 2's first regime, a_i ~ N(0, 1/(4 k ln k))."""
    return 1 / (4 * math.log(width))  # float ok: a parameter of a float64 distribution


def scales_for(width: int, scales: Iterable[float]) -> list[float]:
    return sorted({*scales, theorem_scale(width)})


def _run_all(specs: Sequence[RunSpec], out: Path, backend: Backend, resume: bool, progress: Progress | None) -> list[Summary]:
    """The runs' summaries; a smooth family is refused (ValueError): the sweeps plot exact columns it does not have."""
    refusal = specs[0].family.refusal(exact_only=True) if specs else None
    if refusal:
        raise ValueError(refusal)
    return [run(spec, out / "runs" / spec.label, backend, resume=resume, progress=progress) for spec in specs]


def sweep_width(
    family: Family, widths: Sequence[int], trials: int, seed: int, out: Path, backend: Backend,
    *, resume: bool = False, progress: Progress | None = None,
) -> list[SweepPoint]:
    specs = [RunSpec(family, width, seed, trials) for width in widths]
    return [SweepPoint(spec.width, None, summary) for spec, summary in zip(specs, _run_all(specs, out, backend, resume, progress))]


def sweep_variance(
    family: Family, parameter: str, widths: Sequence[int], scales: Sequence[float], trials: int, seed: int,
    out: Path, backend: Backend, *, resume: bool = False, progress: Progress | None = None,
) -> list[SweepPoint]:
    specs = [
        RunSpec(family.with_parameters({parameter: scale}), width, seed, trials)
        for width in widths
        for scale in scales_for(width, scales)
    ]
    summaries = _run_all(specs, out, backend, resume, progress)
    return [SweepPoint(spec.width, spec.family.parameters[parameter], summary) for spec, summary in zip(specs, summaries)]


def width_figure(points: Sequence[SweepPoint], stem: Path, family_name: str) -> list[Path]:
    series = [
        Series(label, [Point(p.width, p.summary.counts[column], p.summary.n) for p in points], marker="." if column.startswith("grid") else "o")
        for column, label in WIDTH_SERIES.items()
    ]
    n = points[0].summary.n if points else 0
    return write_figure(stem, [Panel(f"{family_name}: rates against width ({n} nets per k)", "width k", series)])


def variance_figure(points: Sequence[SweepPoint], stem: Path, family_name: str) -> list[Path]:
    widths = sorted({p.width for p in points})
    panels = []
    for column, title in ((CHAOS, CHAOS_LABEL), ("period3", "exact: period 3"), ("grid_published_w1", "grid as published (f^4), W=1")):
        series = [
            Series(f"k = {width}", [Point(p.scale, p.summary.counts[column], p.summary.n) for p in points if p.width == width])
            for width in widths
        ]
        notes = [(2.0, "s = 2 (He)")] + [(theorem_scale(width), f"1/(4 ln {width})") for width in widths]
        panels.append(Panel(f"{family_name}: {title}", "variance scale s (Var a_i = s/k)", series, notes=notes))
    n = points[0].summary.n if points else 0
    return write_figure(stem, panels, title=f"rates against s, {n} nets per point")
