"""The ``plot`` command: exact pictures of a network's dynamics (:mod:`verichaos.plots`)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional, Tuple

import typer

from verichaos.cli.common import STDOUT, ExampleOpt, JsonOpt, MaxPiecesOpt, NetworkArg, echo, exact_option, exact_work, read_network
from verichaos.cli.errors import EXIT_OUTPUT, EXIT_USAGE, fail
from verichaos.rational import Q


class Kind(str, Enum):
    iterates = "iterates"
    cobweb = "cobweb"
    scramble = "scramble"


# Which options make sense for which kind: anything else is a usage error, not silently ignored.
_OPTION_KINDS = {
    "--n": {Kind.iterates},
    "--x": {Kind.scramble},
    "--y": {Kind.scramble},
    "--start": {Kind.cobweb},
    "--xlim": {Kind.iterates, Kind.cobweb},
    "--steps": {Kind.cobweb, Kind.scramble},
}


def plot(
    network: Optional[Path] = NetworkArg,
    example: Optional[str] = ExampleOpt,
    kind: Kind = typer.Option(..., "--kind", "-k", help="iterates: f and fⁿ against y = x; cobweb: an orbit; scramble: |fᵗ(x) − fᵗ(y)|."),
    n: Optional[int] = typer.Option(None, "--n", min=1, max=16, help="iterates: the power n of fⁿ drawn with f [default: 3]."),
    x: Optional[str] = typer.Option(None, "--x", help="scramble: the first start point, exact (0.175421 means 175421/10⁶)."),
    y: Optional[str] = typer.Option(None, "--y", help="scramble: the second start point [default: x + 1e-7]."),
    steps: Optional[int] = typer.Option(None, "--steps", min=1, max=100_000, help="scramble: T [default: 150]; cobweb: steps [default: 3 around a period-3 orbit, else 30]."),
    start: Optional[str] = typer.Option(None, "--start", help="cobweb: the start point [default: a point of period 3 if f has one]."),
    xlim: Optional[Tuple[str, str]] = typer.Option(None, "--xlim", help="iterates, cobweb: the x range LO HI [default: the core interval]."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Image path; writes STEM.png, STEM.svg, STEM.data.json, STEM.data.csv [default: NAME-KIND.png]."),
    max_pieces: int = MaxPiecesOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Draw f's dynamics exactly and write PNG, SVG and the exact data behind them.

    iterates is the paper's Figure 7 done exactly: the fixed points of fⁿ are
    marked and the period-3 orbits coloured; the title says whether f has
    period 3. scramble computes exact rational trajectories, overlays float64,
    and reports the first step at which float64 has the leading digit wrong.

    Examples: verichaos plot --example tent --kind iterates;
    verichaos plot NET.json --kind scramble --x 0.175421 --steps 150
    """
    from verichaos import plots

    given = {"--n": n, "--x": x, "--y": y, "--start": start, "--xlim": xlim, "--steps": steps}
    for option, value in given.items():
        if value is not None and kind not in _OPTION_KINDS[option]:
            fail(f"{option} does not apply to --kind {kind.value}", EXIT_USAGE)
    if output == STDOUT:
        fail("plot writes four files (PNG, SVG, data JSON and CSV): give -o a file stem, not -", EXIT_USAGE)
    net = read_network(network, example)
    limits = None
    if xlim is not None:
        limits = (exact_option(xlim[0], "--xlim"), exact_option(xlim[1], "--xlim"))
    try:
        with exact_work(max_pieces, what=f"plot --kind {kind.value}"):
            if kind is Kind.iterates:
                picture = plots.iterates(net, 3 if n is None else n, limits)
            elif kind is Kind.cobweb:
                picture = plots.cobweb(net, exact_option(start, "--start"), steps, limits)
            else:
                if x is None:
                    fail("--kind scramble needs --x", EXIT_USAGE)
                first = exact_option(x, "--x")
                second = exact_option(y, "--y") if y is not None else first + Q(1, 10**7)
                picture = plots.scramble(net, first, second, 150 if steps is None else steps)
    except ValueError as error:
        fail(str(error), EXIT_USAGE)
    name = example if network is None else network.stem
    stem = plots.output_stem(output if output is not None else Path(f"{name}-{kind.value}.png"))
    try:
        files = plots.save_picture(picture, stem)
    except OSError as error:
        fail(f"cannot write {stem}.*: {error.strerror or error}", EXIT_OUTPUT)
    summary = picture.summary()
    if as_json:
        echo(json.dumps({"kind": kind.value, "network_sha256": net.sha256, **summary, "files": [str(p) for p in files]}, indent=2))
    else:
        echo(summary["headline"])
        echo("wrote " + ", ".join(str(p) for p in files))


def register(app: typer.Typer) -> None:
    """Attach ``plot`` to the main app."""
    app.command("plot")(plot)
