"""Plots of rates with Wilson 95% bands, and the data behind each plot.

A figure is a few panels; a panel is a few series; a series is a list of
points (x, successes, trials). Every figure is written as PNG and SVG
(matplotlib, Agg backend), next to a CSV and a JSON file holding exactly the
plotted numbers: one row per point with its rate and Wilson interval.
Floats here are for drawing only.

>>> import tempfile
>>> series = Series("exact period 3", [Point(2, 1, 100), Point(4, 3, 100)])
>>> with tempfile.TemporaryDirectory() as folder:
...     paths = write_figure(Path(folder) / "demo", [Panel("demo", "width k", [series])])
...     sorted(path.suffix for path in paths)
['.csv', '.json', '.png', '.svg']
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from verichaos.experiments.results import OutputError
from verichaos.experiments.stats import wilson_interval
from verichaos.output import atomic_path, write_text_atomic

__all__ = ["Point", "Series", "Panel", "write_figure"]


@dataclass(frozen=True)
class Point:
    x: float
    successes: int
    trials: int


@dataclass(frozen=True)
class Series:
    label: str
    points: list[Point]
    marker: str = "o"


@dataclass(frozen=True)
class Panel:
    title: str
    xlabel: str
    series: list[Series]
    log_x: bool = True
    notes: list[tuple[float, str]] = field(default_factory=list)  # vertical reference lines


def _rows(panels: list[Panel]) -> list[dict[str, object]]:
    rows = []
    for panel in panels:
        for series in panel.series:
            for point in series.points:
                low, high = wilson_interval(point.successes, point.trials)
                rows.append(
                    {
                        "panel": panel.title,
                        "series": series.label,
                        "x": point.x,
                        "successes": point.successes,
                        "trials": point.trials,
                        "rate": point.successes / point.trials,
                        "wilson95_low": low,
                        "wilson95_high": high,
                    }
                )
    return rows


def write_figure(stem: Path, panels: list[Panel], title: str = "") -> list[Path]:
    """``stem``.png, .svg, .csv and .json; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = _rows(panels)
    figure, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 3.8), squeeze=False)
    for axis, panel in zip(axes[0], panels):
        for series in panel.series:
            xs = [p.x for p in series.points]
            bands = [wilson_interval(p.successes, p.trials) for p in series.points]
            (line,) = axis.plot(xs, [p.successes / p.trials for p in series.points], marker=series.marker, ms=4, label=series.label)
            axis.fill_between(xs, [b[0] for b in bands], [b[1] for b in bands], color=line.get_color(), alpha=0.18, lw=0)
        for x, label in panel.notes:
            axis.axvline(x, color="grey", lw=0.8, ls=":")
            axis.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), rotation=90, va="top", ha="right", fontsize=7, color="grey")
        if panel.log_x:
            axis.set_xscale("log", base=2)
        axis.set_xlabel(panel.xlabel)
        axis.set_ylabel("rate (Wilson 95% band)")
        axis.set_ylim(bottom=0)
        axis.set_title(panel.title, fontsize=10)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=7)
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    paths = [stem.with_suffix(suffix) for suffix in (".png", ".svg", ".csv", ".json")]
    try:
        stem.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(paths[0]) as temporary:  # every file whole or absent (verichaos.output)
            figure.savefig(temporary, dpi=110)
        with matplotlib.rc_context({"svg.hashsalt": "verichaos"}), atomic_path(paths[1]) as temporary:  # stable ids
            figure.savefig(temporary, metadata={"Date": None})
        with atomic_path(paths[2]) as temporary, temporary.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]) if rows else ["panel"])
            writer.writeheader()
            writer.writerows(rows)
        write_text_atomic(paths[3], json.dumps({"title": title, "points": rows}, indent=1) + "\n")
    except OSError as error:
        raise OutputError(f"cannot write figure {stem}: {error.strerror or error}") from None
    finally:
        plt.close(figure)
    return paths
