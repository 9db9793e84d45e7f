"""The `verichaos experiment ...` command group.

Commands: ``run``, ``paper-table``, ``net``, ``sweep-width``,
``sweep-variance`` and ``families`` (random families of
:mod:`verichaos.experiments`). Exit codes are those of
:mod:`verichaos.cli.errors`: 2 bad options (unknown family, width < 1,
trials < 1, results already present without --resume), 3 malformed family
file, 4 output folder not writable, 5 the experiment could not complete
(corrupt resume file, worker failure, Dask unreachable), 130 Ctrl-C (what
was finished is kept and reported INCOMPLETE; --resume continues it).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Optional, TypeVar

import typer

from verichaos.cli.common import STDOUT, JobsOpt, JsonOpt, SeedOpt, echo, flag, new_app, write_text
from verichaos.cli.errors import (
    EXIT_EXPERIMENT,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_USAGE,
    fail,
)

experiment_app = new_app("Random-initialization experiments of Chatziafratis et al. (NeurIPS 2022), decided exactly.")

T = TypeVar("T")

FamilyOpt = typer.Option(..., "--family", "-f", help="A built-in family (see `verichaos experiment families`) or a family file (.json).")
WidthOpt = typer.Option(2, "--width", "-k", help="Hidden width k (every hidden layer has k neurons).")
ResumeOpt = flag("--resume", "Continue the results already in the output folder; finished trials are not recomputed.")
DaskOpt = typer.Option(None, "--dask", help="Run on Dask: a scheduler address tcp://host:port, or 'local' for a 2-worker LocalCluster.")
ParamOpt = typer.Option(None, "--param", "-p", help="Set a family parameter, NAME=VALUE (repeatable), e.g. -p s=0.5 for random-walk.")
FiguresOpt = typer.Option(None, "--figures", help="Folder for the figure and its data (default: --out).")


# --------------------------------------------------------------- helpers


def _positive(value: Optional[int], name: str, minimum: int = 1) -> None:
    if value is not None and value < minimum:
        fail(f"{name} must be at least {minimum}, got {value}", EXIT_USAGE)


def _family(name: str, params: Optional[list[str]], *, exact_only: bool = False):
    """A built-in family (unknown name: exit 2) or a family file (malformed: exit 3), with --param overrides;
    ``exact_only``: one with exact columns (a smooth family: exit 2)."""
    from verichaos.experiments.families import FamilyError, builtin_family, load_family

    is_file = name.endswith(".json") or Path(name).is_file()
    try:
        family = load_family(name) if is_file else builtin_family(name)
    except FamilyError as error:
        fail(str(error), EXIT_INPUT if is_file else EXIT_USAGE)
    overrides = {}
    for item in params or []:
        key, _, value = item.partition("=")
        try:
            overrides[key] = float(value)  # float ok: family parameters are float64 by design
        except ValueError:
            fail(f"--param expects NAME=VALUE with a number, got {item!r}", EXIT_USAGE)
    try:
        family = family.with_parameters(overrides)
    except FamilyError as error:
        fail(str(error), EXIT_USAGE)
    refusal = family.refusal(exact_only=exact_only)
    if refusal:
        fail(refusal, EXIT_USAGE)
    return family


_DASK_ADDRESS = re.compile(r"local|(?:[a-z]+://)?[^\s:/]+:[0-9]{1,5}")


def _check_dask(address: Optional[str]) -> None:
    """'local' or a scheduler address with a port; anything else is a usage error, before any connection."""
    if address is not None and not _DASK_ADDRESS.fullmatch(address):
        fail(f"--dask expects 'local' or a scheduler address like tcp://host:8786, got {address!r}", EXIT_USAGE)


def _probe(family, width: int, seed: int) -> None:
    """Draw trial 0 here, so that parameters no network can be drawn with (-p s=-1) are a usage
    error now rather than a worker's failure later."""
    from verichaos.experiments.sampling import sample_network

    try:
        sample_network(family, width, seed, 0)
    except (ValueError, ArithmeticError) as error:
        fail(f"family {family.name!r} cannot draw a network with these parameters ({family.parameters}): {error}", EXIT_USAGE)


def _execute(jobs: Optional[int], dask: Optional[str], work: Callable[[object, object], T], *, progress: bool = True) -> T:
    """Start the backend and a progress bar, run ``work(backend, progress)``, and
    turn every expected failure (and Ctrl-C) into its documented exit code."""
    from verichaos.experiments.dask_backend import DaskBackend, DaskUnavailableError
    from verichaos.experiments.results import CorruptResultsError, OutputError, ResultsExistError
    from verichaos.experiments.runner import LocalBackend, RunInterrupted, WorkerError, progress_bar

    _positive(jobs, "--jobs")
    _check_dask(dask)
    try:
        with (DaskBackend(dask) if dask is not None else LocalBackend(jobs)) as backend, progress_bar(progress) as bar:
            return work(backend, bar)
    except RunInterrupted as stop:
        typer.echo(stop.summary.markdown(), err=True)
        fail(
            f"interrupted: INCOMPLETE, {stop.summary.n} of {stop.summary.trials} trials of {stop.summary.family} "
            "have results; rerun with --resume to finish",
            EXIT_INTERRUPTED,
        )
    except KeyboardInterrupt:
        fail("interrupted: INCOMPLETE; results written so far are kept, rerun with --resume to finish", EXIT_INTERRUPTED)
    except DaskUnavailableError as error:
        fail(str(error), EXIT_EXPERIMENT)
    except ResultsExistError as error:
        fail(str(error), EXIT_USAGE)
    except OutputError as error:
        fail(str(error), EXIT_OUTPUT)
    except (CorruptResultsError, WorkerError) as error:
        fail(str(error), EXIT_EXPERIMENT)


def _write(action: Callable[[], T]) -> T:
    """Write reports or figures, or exit 4."""
    from verichaos.experiments.results import OutputError

    try:
        return action()
    except OutputError as error:
        fail(str(error), EXIT_OUTPUT)


def _print(renderable: object) -> None:
    from rich.console import Console

    Console(width=240).print(renderable)  # wide enough for the paper table's ten columns unwrapped


def _widths(text: str, option: str, smallest: int = 1) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        fail(f"{option} expects comma-separated integers, got {text!r}", EXIT_USAGE)
    if not values or min(values) < smallest:
        fail(f"{option} needs widths of at least {smallest}, got {text!r}", EXIT_USAGE)
    return values


def _scales(text: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",") if part.strip()]  # float ok: variance scales of float64 draws
    except ValueError:
        fail(f"--scales expects comma-separated numbers, got {text!r}", EXIT_USAGE)
    if not values or not all(math.isfinite(value) and value > 0 for value in values):
        fail(f"--scales needs finite positive numbers, got {text!r}", EXIT_USAGE)
    return values


# -------------------------------------------------------------- commands


@experiment_app.command("run")
def run_command(
    family: str = FamilyOpt,
    width: int = WidthOpt,
    trials: int = typer.Option(1000, "--trials", "-n", help="Number of random networks."),
    seed: int = SeedOpt,
    jobs: Optional[int] = JobsOpt,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: experiments/<family>-k<width>-seed<S>)."),
    resume: bool = ResumeOpt,
    dask: Optional[str] = DaskOpt,
    params: Optional[list[str]] = ParamOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Sample N networks of a family, decide every column exactly, and report rates with Wilson 95% CIs.

    Writes results.jsonl (append-only, one record per trial), results.csv,
    summary.json, summary.md and certificates/ (one per period-3 net). A smooth
    (tanh, sigmoid) family has no exact columns: its period 3 is yes, no or
    undecided by interval arithmetic, beside the grid columns.

    Example: verichaos experiment run --family row1 --width 2 --trials 10000 --seed 1
    """
    from verichaos.experiments.results import RunSpec
    from verichaos.experiments.runner import run

    _positive(width, "--width")
    _positive(trials, "--trials")
    _positive(seed, "--seed", 0)
    spec = RunSpec(_family(family, params), width, seed, trials)
    _probe(spec.family, width, seed)
    folder = out if out is not None else Path("experiments") / spec.label
    summary = _execute(jobs, dask, lambda backend, bar: run(spec, folder, backend, resume=resume, progress=bar), progress=not as_json)
    if as_json:
        echo(json.dumps({**summary.to_json(), "folder": str(folder)}, indent=2))
    else:
        _print(summary.table())
        echo(f"results in {folder}/ (results.jsonl, results.csv, summary.md, summary.json, certificates/)")


@experiment_app.command("paper-table")
def paper_table_command(
    trials: int = typer.Option(10_000, "--trials", "-n", help="Networks per row (the paper used 10,000)."),
    seed: int = SeedOpt,
    jobs: Optional[int] = JobsOpt,
    out: Path = typer.Option(Path("paper-table"), "--out", "-o", help="Output folder; each row is a run in <out>/<table>/<family>/."),
    resume: bool = ResumeOpt,
    dask: Optional[str] = DaskOpt,
    extra: bool = flag("--extra", "Also the notebooks' five extra tables: clipped and depth 3 (ReLU, decided exactly); clipped, width 4 and width 64 (tanh, decided by interval arithmetic)."),
    as_json: bool = JsonOpt,
) -> None:
    """Rerun the published "Pr[period 3]" table: published number, faithful grid emulation, corrected grid, exact answer.

    Example: verichaos experiment paper-table --trials 10000
    """
    from verichaos.experiments import paper_table

    _positive(trials, "--trials")
    _positive(seed, "--seed", 0)
    tables = paper_table.TABLES if extra else paper_table.TABLES[:1]
    results = _execute(
        jobs, dask, lambda backend, bar: paper_table.run_tables(tables, trials, seed, out, backend, resume=resume, progress=bar), progress=not as_json
    )
    document = paper_table.report(results, seed)
    _write(lambda: paper_table.write_reports(document, out))
    if as_json:
        echo(json.dumps(document, indent=2))
        return
    for table in paper_table.render(document):
        _print(table)
    echo(f"reports in {out}/paper-table.md and {out}/paper-table.json; per-row results under {out}/")


@experiment_app.command("net")
def net_command(
    family: str = FamilyOpt,
    width: int = WidthOpt,
    seed: int = SeedOpt,
    index: int = typer.Option(..., "--index", "-i", help="Trial index i (0-based) within the run."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Where to write the network (default, or -: stdout)."),
    params: Optional[list[str]] = ParamOpt,
) -> None:
    """Recreate network i of a run exactly, as a verichaos-network file.

    Example: verichaos experiment net --family row1 --width 2 --seed 1 --index 17 -o net.json
    """
    from verichaos.experiments.sampling import sample_network

    _positive(width, "--width")
    _positive(seed, "--seed", 0)
    _positive(index, "--index", 0)
    chosen = _family(family, params)
    _probe(chosen, width, seed)
    net = sample_network(chosen, width, seed, index)
    text = json.dumps(net.to_json(), indent=2) + "\n"
    if output is None or output == STDOUT:
        echo(text, nl=False)
        return
    write_text(output, text)
    echo(f"wrote {output} (network sha256 {net.sha256})")


@experiment_app.command("sweep-width")
def sweep_width_command(
    family: str = typer.Option("row1", "--family", "-f", help="Family (built-in name or family file)."),
    widths: str = typer.Option(",".join(str(2**j) for j in range(1, 12)), "--widths", help="Comma-separated widths k (default 2, 4, ..., 2048)."),
    trials: int = typer.Option(1000, "--trials", "-n", help="Networks per width."),
    seed: int = SeedOpt,
    jobs: Optional[int] = JobsOpt,
    out: Path = typer.Option(Path("sweep-width"), "--out", "-o", help="Output folder; each width is a run in <out>/runs/."),
    figures: Optional[Path] = FiguresOpt,
    resume: bool = ResumeOpt,
    dask: Optional[str] = DaskOpt,
    params: Optional[list[str]] = ParamOpt,
) -> None:
    """Rates against the width k (Theorem 1), with a plot (PNG, SVG) and its data (CSV, JSON).

    Example: verichaos experiment sweep-width --family row1 --trials 1000
    """
    from verichaos.experiments.sweeps import sweep_width, width_figure

    chosen = _family(family, params, exact_only=True)
    sizes = _widths(widths, "--widths")
    _probe(chosen, sizes[0], seed)
    _positive(trials, "--trials")
    _positive(seed, "--seed", 0)
    points = _execute(jobs, dask, lambda backend, bar: sweep_width(chosen, sizes, trials, seed, out, backend, resume=resume, progress=bar))
    paths = _write(lambda: width_figure(points, (figures or out) / f"sweep-width-{chosen.name}", chosen.name))
    for point in points:
        summary = point.summary
        echo(
            f"k = {point.width:5d}: chaos {summary.counts['chaos_positive']}/{summary.n} "
            f"(undecided {summary.counts['chaos_undecided']}), period 3 {summary.counts['period3']}/{summary.n}, "
            f"period 2 {summary.counts['period2']}/{summary.n}, grid (f^4, W=1) {summary.counts['grid_published_w1']}/{summary.n}"
        )
    echo("figure and data: " + ", ".join(map(str, paths)))


@experiment_app.command("sweep-variance")
def sweep_variance_command(
    family: str = typer.Option("random-walk", "--family", "-f", help="Family with a variance parameter (default: random-walk)."),
    parameter: str = typer.Option("s", "--parameter", help="The family parameter to sweep."),
    widths: str = typer.Option("8,64,512", "--widths", help="Comma-separated widths k."),
    scales: str = typer.Option("0.0625,0.25,1,2,4,16,64,256", "--scales", help="Comma-separated scales s (Var = s/k); 1/(4 ln k) is always added."),
    trials: int = typer.Option(500, "--trials", "-n", help="Networks per (k, s)."),
    seed: int = SeedOpt,
    jobs: Optional[int] = JobsOpt,
    out: Path = typer.Option(Path("sweep-variance"), "--out", "-o", help="Output folder; each (k, s) is a run in <out>/runs/."),
    figures: Optional[Path] = FiguresOpt,
    resume: bool = ResumeOpt,
    dask: Optional[str] = DaskOpt,
) -> None:
    """Rates against the variance scale s at several widths (Theorem 2's regimes), with plots and data.

    Example: verichaos experiment sweep-variance --widths 8,64,512 --trials 500
    """
    from verichaos.experiments.sweeps import sweep_variance, variance_figure

    chosen = _family(family, None, exact_only=True)
    if parameter not in chosen.parameters:
        fail(f"family {chosen.name!r} has no parameter {parameter!r} (its parameters: {', '.join(chosen.parameters) or 'none'})", EXIT_USAGE)
    sizes = _widths(widths, "--widths", 2)  # the sweep adds the scale 1/(4 ln k), which needs k >= 2
    values = _scales(scales)
    _positive(trials, "--trials")
    _positive(seed, "--seed", 0)
    points = _execute(
        jobs, dask, lambda backend, bar: sweep_variance(chosen, parameter, sizes, values, trials, seed, out, backend, resume=resume, progress=bar)
    )
    paths = _write(lambda: variance_figure(points, (figures or out) / f"sweep-variance-{chosen.name}", chosen.name))
    for point in points:
        summary = point.summary
        echo(
            f"k = {point.width:5d}, {parameter} = {point.scale:<10.4g}: chaos {summary.counts['chaos_positive']}/{summary.n} "
            f"(undecided {summary.counts['chaos_undecided']}), period 3 {summary.counts['period3']}/{summary.n}, period 2 {summary.counts['period2']}/{summary.n}"
        )
    echo("figure and data: " + ", ".join(map(str, paths)))


@experiment_app.command("families")
def families_command(
    show: Optional[str] = typer.Option(None, "--show", help="Print this family as a family file (a template for your own)."),
) -> None:
    """List the built-in random families, or print one as a family file.

    Example: verichaos experiment families --show row4 > my-family.json
    """
    from verichaos.experiments.families import BUILTIN_NAMES, builtin_family

    if show is not None:
        echo(json.dumps(_family(show, None).to_json(), indent=2))
        return
    for name in BUILTIN_NAMES:
        echo(f"{name:{max(map(len, BUILTIN_NAMES))}s}  {builtin_family(name).description}")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the main app."""
    app.add_typer(experiment_app, name="experiment")
