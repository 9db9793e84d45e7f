"""Pictures of exact dynamics: iterates against the diagonal, cobwebs, and scrambling pairs.

Every picture is computed exactly first and drawn second. A picture object
holds rationals (knots of f and fⁿ, fixed points, orbits, exact trajectories);
only :meth:`draw` turns them into floats, so a corner of fⁿ is drawn at its
exact breakpoint and a marked fixed point is the exact solution of fⁿ(x) = x.
:func:`save_picture` writes four files with one stem: ``STEM.png`` and
``STEM.svg`` (matplotlib, non-interactive canvases, no pyplot state), and the
data behind them, ``STEM.data.json`` (exact rationals as ``"p/q"`` strings) and
``STEM.data.csv``.

* :func:`iterates`: f and fⁿ against y = x, the fixed points of fⁿ marked and
  the orbits through them coloured (Figure 7 of Chatziafratis et al., NeurIPS
  2022, with n = 3); the title says whether f has a point of period 3.
* :func:`cobweb`: the cobweb diagram of an exact orbit.
* :func:`scramble`: |fᵗ(x) − fᵗ(y)| for t ≤ T from exact rational
  trajectories, with the float64 trajectories of the same network overlaid,
  the first step at which float64 is off by a unit in the leading digit, and
  the bit sizes of the exact iterates.

Default axes: the core interval of the trapping chain
(:func:`verichaos.dynamics.core_interval`, mapped into itself by f and holding
every periodic point) when it is bounded and not a point; otherwise the span
of the breakpoints and the orbits drawn.

>>> from verichaos.network import load_network
>>> from verichaos.cli.common import example_path
>>> picture = iterates(load_network(example_path("tent")), 3)
>>> [canonical(x) for x in picture.fixed.points]
['0', '2/9', '2/7', '4/9', '4/7', '2/3', '6/7', '8/9']
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import matplotlib
from matplotlib.figure import Figure

from verichaos.budget import BudgetExceeded, check_deadline
from verichaos.dynamics import Orbit, PeriodicOrbits, core_interval, minimal_period, periodic_orbits
from verichaos.network import Network
from verichaos.output import atomic_path, write_text_atomic
from verichaos.pwl import Bound, FixedPoints, PiecewiseLinear, compose_on, from_network
from verichaos.rational import Q, canonical, from_float

__all__ = [
    "Picture",
    "Iterates",
    "Cobweb",
    "Scramble",
    "iterates",
    "cobweb",
    "scramble",
    "default_domain",
    "float_evaluator",
    "decimal_exponent",
    "wrong_leading_digit",
    "height_bits",
    "network_name",
    "output_stem",
    "save_picture",
]

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_COLOURS = ("tab:red", "tab:green", "tab:purple", "tab:brown", "tab:pink", "tab:olive", "tab:cyan", "tab:orange")
_LABELLED_ORBITS = 6
_STABLE_SAVE = {"svg.hashsalt": "verichaos", "svg.fonttype": "path"}  # same data, same SVG bytes
MAX_ITERATE_BITS = 65_536
"""Exact trajectories stop (BudgetExceeded) at an iterate of more bits: for most maps the bits of
fᵗ(x) grow linearly in t, so storing T of them costs memory and time quadratic in T."""
MAX_MARKED_POINTS = 10_000
"""Most fixed points of fⁿ an iterates picture marks and sorts into orbits."""


class Picture(Protocol):
    """What :func:`save_picture` needs: a drawing and the exact data behind it."""

    kind: str

    def draw(self, figure: Figure) -> None: ...

    def summary(self) -> dict[str, object]:
        """The headline (key ``"headline"``, one line of text) and the key numbers, JSON-ready."""
        ...

    def to_json(self) -> dict[str, object]: ...

    def csv_table(self) -> tuple[list[str], list[list[object]]]: ...


# ------------------------------------------------------------------ helpers


def network_name(net: Network) -> str:
    """The name in the network's metadata, else the start of its hash."""
    name = net.metadata.get("name")
    return str(name) if name else f"network {net.sha256[:8]}"


def _power_label(n: int) -> str:
    return "f" + str(n).translate(_SUPERSCRIPTS) if n != 1 else "f"


def _short(q: Q) -> str:
    """A label: the exact fraction when it is short, else 4 significant digits."""
    text = canonical(q)
    return text if len(text) <= 9 else f"{float(q):.4g}"


def _bound_text(x: Bound) -> str | None:
    return None if x is None else canonical(x)


def height_bits(q: Q) -> int:
    """The logarithmic height of p/q in bits: max(bits of p, bits of q)."""
    return max(int(abs(q.numerator)).bit_length(), int(q.denominator).bit_length())


def decimal_exponent(q: Q) -> int:
    """The e with 10^e ≤ |q| < 10^(e+1), exactly (q ≠ 0): the place of q's
    first significant digit.

    >>> decimal_exponent(Q(-3, 400)), decimal_exponent(Q(1)), decimal_exponent(Q(999, 1000))
    (-3, 0, -1)
    """
    if not q:
        raise ValueError("0 has no significant digit")
    p, d = int(abs(q.numerator)), int(q.denominator)
    # p has Lp digits and d has Ld digits, so 10^(Lp-Ld-1) < |q| < 10^(Lp-Ld+1)
    exponent = len(str(p)) - len(str(d))
    return exponent if abs(q) >= _power_of_ten(exponent) else exponent - 1


def _power_of_ten(e: int) -> Q:
    return Q(10**e) if e >= 0 else Q(1, 10**-e)


def wrong_leading_digit(exact: Q, approximate: float) -> bool:
    """Whether the float is off by at least one unit in the exact value's first
    significant digit, |approximate − exact| ≥ 10^e with 10^e ≤ |exact| < 10^(e+1)
    (for exact = 0: whether the float is not 0). Decided exactly.

    >>> wrong_leading_digit(Q(1, 10**7), 9.9999999994e-08), wrong_leading_digit(Q(3, 100), 0.041)
    (False, True)
    """
    error = abs(from_float(approximate) - exact)
    if not exact:
        return bool(error)
    return error >= _power_of_ten(decimal_exponent(exact))


def float_evaluator(net: Network) -> Callable[[float], float]:
    """The network evaluated in float64, as numpy or PyTorch would: every
    parameter rounded to the nearest double, then W·h + b layer by layer."""
    layers = [
        ([[float(w) for w in row] for row in layer.weight], [float(b) for b in layer.bias], layer.activation)
        for layer in net.layers
    ]

    def f(x: float) -> float:
        values = [x]
        for weight, bias, activation in layers:
            # The exact activation formulas applied to floats give the float
            # results (leaky_relu's exact alpha·z is rounded once, as mpfr).
            values = [float(activation(sum(w * h for w, h in zip(row, values)) + b)) for row, b in zip(weight, bias)]
        return values[0]

    return f


def default_domain(f: PiecewiseLinear, points: Callable[[], Sequence[Q]] = tuple) -> tuple[Q, Q]:
    """The core interval when it is bounded and not a single point, else the
    span of the breakpoints, the ``points()`` to show and the core's finite
    ends, padded by a tenth of its width (by 1 when it is a single point)."""
    lo, hi = core_interval(f)
    if lo is not None and hi is not None and lo < hi:
        return lo, hi
    span = [*f.breakpoints, *points(), *(x for x in (lo, hi) if x is not None)] or [Q(0)]
    low, high = min(span), max(span)
    pad = (high - low) / 10 if high > low else Q(1)
    return low - pad, high + pad


def _domain(f: PiecewiseLinear, xlim: tuple[Q, Q] | None, points: Callable[[], Sequence[Q]] = tuple) -> tuple[Q, Q]:
    if xlim is None:
        return default_domain(f, points)
    lo, hi = xlim
    if not lo < hi:
        raise ValueError(f"the x range needs lo < hi, got {canonical(lo)} and {canonical(hi)}")
    return lo, hi


def _polyline(g: PiecewiseLinear, lo: Q, hi: Q) -> list[tuple[Q, Q]]:
    """The graph of g on [lo, hi] through every breakpoint: drawn exactly, no corner cut."""
    return [(x, g(x)) for x in (lo, *(x for x in g.breakpoints if lo < x < hi), hi)]


def _floats(points: Sequence[tuple[Q, Q]]) -> tuple[list[float], list[float]]:
    return [float(x) for x, _ in points], [float(y) for _, y in points]


def _pairs(points: Sequence[tuple[Q, Q]]) -> list[list[str]]:
    return [[canonical(x), canonical(y)] for x, y in points]


def _graph_rows(series: str, points: Sequence[tuple[Q, Q]]) -> list[list[object]]:
    return [[series, canonical(x), canonical(y), float(x), float(y)] for x, y in points]


def _graph_axes(figure: Figure, f: PiecewiseLinear, lo: Q, hi: Q):
    """Square axes on [lo, hi]² with the diagonal y = x and the exact graph of f."""
    axes = figure.subplots()
    low, high = float(lo), float(hi)
    axes.plot([low, high], [low, high], color="0.6", linestyle="--", linewidth=0.8, label="y = x")
    axes.plot(*_floats(_polyline(f, lo, hi)), color="tab:blue", linewidth=1.4, label="f")
    margin = (high - low) / 20
    axes.set_xlim(low - margin, high + margin)
    axes.set_ylim(low - margin, high + margin)
    axes.set_aspect("equal")
    axes.set_xlabel("x")
    return axes


def _graph_json(kind: str, net: Network, f: PiecewiseLinear, lo: Q, hi: Q) -> dict[str, object]:
    """The fields every picture of f's graph starts with."""
    return {
        "kind": kind,
        "network_sha256": net.sha256,
        "domain": [canonical(lo), canonical(hi)],
        "f": _pairs(_polyline(f, lo, hi)),
    }


# ----------------------------------------------------------------- iterates


@dataclass(frozen=True)
class Iterates:
    """f and fⁿ on [lo, hi], the fixed points of fⁿ there, the orbits through
    them, and f's period-3 orbits (decided on all of ℝ)."""

    network: Network
    n: int
    domain: tuple[Q, Q]
    f: PiecewiseLinear
    power: PiecewiseLinear  # agrees with fⁿ on the domain
    fixed: FixedPoints  # of fⁿ, in the domain
    orbits: tuple[Orbit, ...]  # through the isolated fixed points of fⁿ, by period then position
    period3: PeriodicOrbits

    kind = "iterates"

    def draw(self, figure: Figure) -> None:
        lo, hi = self.domain
        axes = _graph_axes(figure, self.f, lo, hi)
        if self.n != 1:
            axes.plot(*_floats(_polyline(self.power, lo, hi)), color="tab:orange", linewidth=1.0, label=_power_label(self.n))
        for index, (a, b) in enumerate(self.fixed.intervals):
            ends = [float(a if a is not None else lo), float(b if b is not None else hi)]
            label = f"{_power_label(self.n)} = id" if index == 0 else None
            axes.plot(ends, ends, color="black", linewidth=4, alpha=0.5, label=label)
        still = [x for orbit in self.orbits if orbit.period == 1 for x in orbit.points]
        if still:
            values = [float(x) for x in still]
            axes.scatter(values, values, s=36, facecolors="white", edgecolors="black", zorder=3, label="fixed points of f")
        cycles = [orbit for orbit in self.orbits if orbit.period > 1]
        for index, orbit in enumerate(cycles):
            values = [float(x) for x in orbit.points if lo <= x <= hi]
            label = None
            if index < _LABELLED_ORBITS:
                label = f"period {orbit.period}: " + " → ".join(_short(x) for x in orbit.points)
            elif index == _LABELLED_ORBITS:
                label = f"… and {len(cycles) - _LABELLED_ORBITS} more orbits"
            axes.scatter(values, values, s=28, color=_COLOURS[index % len(_COLOURS)], zorder=4, label=label)
        figure.legend(fontsize="small", loc="outside lower center", ncols=2)
        axes.set_title(f"{network_name(self.network)}: f and {_power_label(self.n)}\n{self.verdict}", fontsize="medium")

    @property
    def verdict(self) -> str:
        """The title's second line: f's period-3 orbits, or that it has none."""
        count = len(self.period3.orbits) + len(self.period3.families)
        if not count:
            return "no period-3 orbit: period three does not certify chaos"
        noun = "orbit" if count == 1 else "orbits"
        return f"{count} period-3 {noun}: Li–Yorke chaotic"

    def summary(self) -> dict[str, object]:
        lo, hi = self.domain
        count = len(self.fixed.points) + len(self.fixed.intervals)
        data = self.to_json()
        return {
            "headline": f"{network_name(self.network)}: {self.verdict}; {_power_label(self.n)} has {count} fixed point(s) or interval(s) on [{canonical(lo)}, {canonical(hi)}]",
            **{key: data[key] for key in ("has_period3", "period3_orbits", "fixed_points_of_f^n")},
        }

    def to_json(self) -> dict[str, object]:
        lo, hi = self.domain
        return {
            **_graph_json(self.kind, self.network, self.f, lo, hi),
            "n": self.n,
            "f^n": _pairs(_polyline(self.power, lo, hi)),
            "fixed_points_of_f^n": [canonical(x) for x in self.fixed.points],
            "fixed_intervals_of_f^n": [[_bound_text(a), _bound_text(b)] for a, b in self.fixed.intervals],
            "orbits": [{"period": orbit.period, "points": [canonical(x) for x in orbit.points]} for orbit in self.orbits],
            "has_period3": bool(self.period3),
            "period3_orbits": [[canonical(x) for x in orbit.points] for orbit in self.period3.all_orbits()],
        }

    def csv_table(self) -> tuple[list[str], list[list[object]]]:
        lo, hi = self.domain
        rows = _graph_rows("f", _polyline(self.f, lo, hi))
        rows += _graph_rows(_power_label(self.n), _polyline(self.power, lo, hi))
        rows += _graph_rows("fixed point", [(x, x) for x in self.fixed.points])
        return ["series", "x", "y", "x_float", "y_float"], rows


def iterates(net: Network, n: int = 3, xlim: tuple[Q, Q] | None = None) -> Iterates:
    """f and fⁿ on the default domain (or ``xlim``), with everything exact."""
    if n < 1:
        raise ValueError("n must be at least 1")
    f = from_network(net)
    period3 = periodic_orbits(f, 3)

    def periodic_points() -> list[Q]:  # fixed points of fⁿ, and the finite ends of intervals of them
        fixed = f.iterate(n).fixed_points()
        return [*fixed.points, *(x for interval in fixed.intervals for x in interval if x is not None)]

    lo, hi = _domain(f, xlim, periodic_points)
    power = compose_on([f] * n, lo, hi)[-1]
    fixed = power.fixed_points(lo, hi)
    if len(fixed.points) > MAX_MARKED_POINTS:
        raise BudgetExceeded(f"{_power_label(n)} has {len(fixed.points)} fixed points in the domain, more than the "
                             f"{MAX_MARKED_POINTS} a picture marks; use a smaller --n or a narrower --xlim")
    orbits = {Orbit.through(f, x, minimal_period(f, x, n)) for x in fixed.points}
    ordered = tuple(sorted(orbits, key=lambda orbit: (orbit.period, orbit.points)))
    return Iterates(net, n, (lo, hi), f, power, fixed, ordered, period3)


# ------------------------------------------------------------------- cobweb


@dataclass(frozen=True)
class Cobweb:
    """The exact orbit x₀, f(x₀), …, f^T(x₀) and the graph of f around it."""

    network: Network
    domain: tuple[Q, Q]
    f: PiecewiseLinear
    orbit: tuple[Q, ...]
    period: int | None  # the minimal period of x₀ when the orbit closes within T steps

    kind = "cobweb"

    @property
    def path(self) -> list[tuple[Q, Q]]:
        """(x₀, x₀) → (x₀, x₁) → (x₁, x₁) → (x₁, x₂) → …: up to the graph, across to the diagonal."""
        points = [(self.orbit[0], self.orbit[0])]
        for x, image in zip(self.orbit, self.orbit[1:]):
            points += [(x, image), (image, image)]
        return points

    def draw(self, figure: Figure) -> None:
        lo, hi = self.domain
        axes = _graph_axes(figure, self.f, lo, hi)
        axes.plot(*_floats(self.path), color="tab:red", linewidth=0.9, label="orbit")
        start = float(self.orbit[0])
        axes.scatter([start], [start], color="tab:red", zorder=4, label=f"x₀ = {_short(self.orbit[0])}")
        figure.legend(fontsize="small", loc="outside lower center", ncols=4)
        closes = f"periodic, minimal period {self.period}" if self.period else f"{len(self.orbit) - 1} steps"
        axes.set_title(f"{network_name(self.network)}: cobweb ({closes})", fontsize="medium")

    def summary(self) -> dict[str, object]:
        closes = f", periodic with minimal period {self.period}" if self.period else ""
        return {
            "headline": f"{network_name(self.network)}: orbit of {_short(self.orbit[0])} for {len(self.orbit) - 1} steps{closes}",
            "start": canonical(self.orbit[0]),
            "end": canonical(self.orbit[-1]),
            "period": self.period,
        }

    def to_json(self) -> dict[str, object]:
        return {
            **_graph_json(self.kind, self.network, self.f, *self.domain),
            "orbit": [canonical(x) for x in self.orbit],
            "period": self.period,
        }

    def csv_table(self) -> tuple[list[str], list[list[object]]]:
        rows = [[t, canonical(x), float(x)] for t, x in enumerate(self.orbit)]
        return ["t", "x_t", "x_t_float"], rows


def cobweb(net: Network, start: Q | None = None, steps: int | None = None, xlim: tuple[Q, Q] | None = None) -> Cobweb:
    """The cobweb of the orbit of ``start`` for ``steps`` steps. Without a
    start: once around f's first period-3 orbit when it has one, else 30 steps
    from the middle of the default domain."""
    f = from_network(net)
    if start is None:
        found = periodic_orbits(f, 3).all_orbits()
        if found:
            start, steps = found[0].points[0], 3 if steps is None else steps
        else:
            low, high = default_domain(f)
            start = (low + high) / 2
    steps = 30 if steps is None else steps
    if steps < 1:
        raise ValueError("steps must be at least 1")
    orbit = exact_orbit(f, start, steps)
    lo, hi = _domain(f, xlim, lambda: orbit)
    if xlim is None:
        lo, hi = min(lo, *orbit), max(hi, *orbit)
    return Cobweb(net, (lo, hi), f, tuple(orbit), minimal_period(f, start, steps))


# ----------------------------------------------------------------- scramble


def _first_departure(exact: Sequence[Q], approximate: Sequence[float]) -> int | None:
    """The first index at which the float gets the exact value's leading digit wrong; None if never."""
    return next((t for t, pair in enumerate(zip(exact, approximate)) if wrong_leading_digit(*pair)), None)


@dataclass(frozen=True)
class Scramble:
    """Two exact trajectories from x and y, and the float64 ones from the nearest doubles."""

    network: Network
    xs: tuple[Q, ...]
    ys: tuple[Q, ...]
    float_xs: tuple[float, ...]
    float_ys: tuple[float, ...]

    kind = "scramble"

    @property
    def distances(self) -> list[Q]:
        return [abs(a - b) for a, b in zip(self.xs, self.ys)]

    @property
    def float_distances(self) -> list[float]:
        return [abs(a - b) for a, b in zip(self.float_xs, self.float_ys)]

    @property
    def departures(self) -> dict[str, int | None]:
        """First step at which float64 gets the leading digit wrong: for fᵗ(x), fᵗ(y), and the distance."""
        return {
            "x": _first_departure(self.xs, self.float_xs),
            "y": _first_departure(self.ys, self.float_ys),
            "distance": _first_departure(self.distances, self.float_distances),
        }

    @property
    def bits(self) -> list[int]:
        """Height in bits of the larger of the two exact iterates at each step."""
        return [max(height_bits(a), height_bits(b)) for a, b in zip(self.xs, self.ys)]

    def draw(self, figure: Figure) -> None:
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
        steps = list(range(len(self.xs)))
        top.set_yscale("log", nonpositive="mask")
        top.plot(steps, [float(d) for d in self.distances], color="tab:blue", linewidth=1.3, label="exact (rational)")
        top.plot(steps, self.float_distances, color="tab:orange", linewidth=0.9, linestyle="--", label="float64")
        departure = self.departures["distance"]
        if departure is not None:
            top.axvline(departure, color="0.4", linestyle=":", label=f"float64 wrong from t = {departure}")
        top.set_ylabel(r"$|f^t(x) - f^t(y)|$")
        top.legend(fontsize="small", loc="lower right")
        x, y = self.xs[0], self.ys[0]
        top.set_title(f"{network_name(self.network)}: x = {float(x):.10g}, y = x + {float(y - x):.4g}", fontsize="medium")
        bottom.plot(steps, self.bits, color="tab:green")
        bottom.set_ylabel("bits")
        bottom.set_xlabel("t")

    def summary(self) -> dict[str, object]:
        departures = self.departures
        when = {key: "never" if t is None else f"from t = {t}" for key, t in departures.items()}
        return {
            "headline": (
                f"float64 has the leading digit of |fᵗ(x) − fᵗ(y)| wrong {when['distance']} (of fᵗ(x) {when['x']}, "
                f"of fᵗ(y) {when['y']}); exact iterates reach {max(self.bits)} bits at t = {len(self.xs) - 1}"
            ),
            "first_float64_departure": departures,
            "max_bits": max(self.bits),
            "steps": len(self.xs) - 1,
        }

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "network_sha256": self.network.sha256,
            "x": canonical(self.xs[0]),
            "y": canonical(self.ys[0]),
            "steps": len(self.xs) - 1,
            "first_float64_departure": self.departures,
            "max_bits": max(self.bits),
            "distance": [canonical(d) for d in self.distances],
            "float64_distance": self.float_distances,
            "bits": self.bits,
            "trajectory_x": [canonical(x) for x in self.xs],
            "trajectory_y": [canonical(y) for y in self.ys],
        }

    def csv_table(self) -> tuple[list[str], list[list[object]]]:
        rows = [
            [t, canonical(d), float(d), approximate, bits]
            for t, (d, approximate, bits) in enumerate(zip(self.distances, self.float_distances, self.bits))
        ]
        return ["t", "distance", "distance_as_float", "float64_distance", "bits"], rows


def scramble(net: Network, x: Q, y: Q, steps: int = 150) -> Scramble:
    """Exact trajectories of x and y for ``steps`` steps, and the float64 ones."""
    if steps < 1:
        raise ValueError("steps must be at least 1")
    f, approximate = from_network(net), float_evaluator(net)
    xs, ys, float_xs, float_ys = exact_orbit(f, x, steps), exact_orbit(f, y, steps), [float(x)], [float(y)]
    for _ in range(steps):
        float_xs.append(approximate(float_xs[-1]))
        float_ys.append(approximate(float_ys[-1]))
    return Scramble(net, tuple(xs), tuple(ys), tuple(float_xs), tuple(float_ys))


def exact_orbit(f: PiecewiseLinear, x: Q, steps: int) -> list[Q]:
    """x, f(x), …, f^steps(x), exactly, each step guarded by :func:`exact_step`."""
    orbit = [x]
    for step in range(1, steps + 1):
        orbit.append(exact_step(f, orbit[-1], step))
    return orbit


def exact_step(f: PiecewiseLinear, point: Q, step: int) -> Q:
    """f(point), the iterate at ``step`` of an exact trajectory. The guard of every exact
    trajectory: BudgetExceeded at an iterate of more than :data:`MAX_ITERATE_BITS` bits, or
    when the budget's deadline passes."""
    image = f(point)
    bits = height_bits(image)
    if bits > MAX_ITERATE_BITS:
        raise BudgetExceeded(
            f"the exact iterate at step {step} has {bits} bits, more than {MAX_ITERATE_BITS} "
            f"(about {bits // step} more bits each step); use --steps {step - 1} or fewer"
        )
    check_deadline()
    return image


# ------------------------------------------------------------------- saving


def output_stem(path: Path) -> Path:
    """``out.png``, ``out.svg`` and ``out`` all name the stem ``out``."""
    return path.with_suffix("") if path.suffix.lower() in (".png", ".svg") else path


def save_picture(picture: Picture, stem: Path, size: tuple[float, float] = (6.4, 6.0)) -> list[Path]:
    """Draw ``picture`` and write STEM.png, STEM.svg, STEM.data.json and STEM.data.csv."""
    figure = Figure(figsize=size, layout="constrained")
    picture.draw(figure)
    paths = [stem.with_name(stem.name + suffix) for suffix in (".png", ".svg", ".data.json", ".data.csv")]
    png, svg, data, table = paths
    # each file is written whole or not at all (verichaos.output): a killed run leaves no half SVG
    with matplotlib.rc_context(_STABLE_SAVE):
        with atomic_path(png) as temporary:
            figure.savefig(temporary, dpi=120, metadata={"Software": None})
        with atomic_path(svg) as temporary:
            figure.savefig(temporary, metadata={"Date": None})
    write_text_atomic(data, json.dumps(picture.to_json(), indent=1) + "\n")
    header, rows = picture.csv_table()
    with atomic_path(table) as temporary, temporary.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return paths
