"""``verichaos experiment persistence`` and ``verichaos experiment scramble``.

Both write their figure (PNG, SVG) and the data behind it (``.data.json``,
``.data.csv``) into ``--out``, show a progress bar on stderr, and keep what
they finished when interrupted (exit 130, results marked incomplete).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer

from verichaos.cli.common import ExampleOpt, JobsOpt, JsonOpt, NetworkArg, SeedOpt, echo, exact_option, exact_work, read_network
from verichaos.cli.errors import EXIT_EXPERIMENT, EXIT_INTERRUPTED, EXIT_OUTPUT, EXIT_USAGE, fail


@contextmanager
def _progress(total: int, description: str) -> Iterator[Callable[[], None]]:
    """The experiments' progress bar (stderr, silent off a terminal); yields the function that advances it by one."""
    from verichaos.experiments.runner import progress_bar

    with progress_bar() as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


def _save(picture, stem: Path) -> list[str]:
    from verichaos.plots import save_picture

    try:
        stem.parent.mkdir(parents=True, exist_ok=True)
        return [str(path) for path in save_picture(picture, stem, size=(10, 5.5))]
    except OSError as error:
        fail(f"cannot write {stem}.*: {error.strerror or error}", EXIT_OUTPUT)


def persistence(
    sigma: Optional[List[float]] = typer.Option(None, "--sigma", help="Noise std on every parameter; repeat for several levels [default: 0.1]."),
    depth: int = typer.Option(10, "--depth", min=1, max=16, help="Largest depth d; counts are reported for 1 … d."),
    trials: int = typer.Option(100, "--trials", min=1, help="Noisy nets per noise level."),
    seed: int = SeedOpt,
    jobs: Optional[int] = JobsOpt,
    out: Path = typer.Option(Path("persistence"), "--out", "-o", help="Folder for the figure and its data files."),
    as_json: bool = JsonOpt,
) -> None:
    """Noisy tent map: exact linear pieces and laps on [0, 1] of an RNN (one noisy
    copy iterated d times) and a feed-forward net (d independent noisy copies).

    Writes OUT/persistence.png, .svg, .data.json (every trial's counts) and
    .data.csv (median and quartiles per depth, model and noise level).

    Example: verichaos experiment persistence --sigma 0.05 --sigma 0.1 --trials 200 --jobs 2
    """
    from verichaos.experiments.persistence import run_persistence

    sigmas = tuple(dict.fromkeys(sigma or [0.1]))
    if not all(math.isfinite(s) and s >= 0 for s in sigmas):
        fail("--sigma must be finite and non-negative", EXIT_USAGE)
    if jobs is not None and jobs < 1:
        fail(f"--jobs must be at least 1, got {jobs}", EXIT_USAGE)
    try:
        with _progress(len(sigmas) * trials, "persistence trials") as advance:
            result = run_persistence(sigmas, depth, trials, seed, jobs, advance)
    except Exception as error:  # a worker process died or raised: say so in one line
        fail(f"persistence experiment failed: {type(error).__name__}: {error}", EXIT_EXPERIMENT)
    files = _save(result, out / "persistence")
    summary = result.summary()
    if as_json:
        echo(json.dumps({**summary, "files": files}, indent=2))
    else:
        echo(summary["headline"] + ("" if result.complete else " (INCOMPLETE: interrupted)"))
        for key, value in summary["medians_at_max_depth"].items():
            echo(f"  {key}: {value}")
        echo("wrote " + ", ".join(files))
    if not result.complete:
        raise typer.Exit(EXIT_INTERRUPTED)


def scramble(
    network: Optional[Path] = NetworkArg,
    example: Optional[str] = ExampleOpt,
    x: str = typer.Option("0.175421", "--x", help="Start of the figure's pair, exact."),
    gap: str = typer.Option("1e-7", "--gap",  # float ok: text, parsed exactly as 1/10^7
                             help="y − x, for the figure and for every random pair."),
    steps: int = typer.Option(150, "--steps", min=1, max=100_000, help="Steps T."),
    pairs: int = typer.Option(1000, "--pairs", min=1, help="Random start pairs for the return statistic."),
    epsilon: str = typer.Option("1/1000", "--epsilon", help="A pair returns when its distance drops below epsilon ..."),
    delta: str = typer.Option("1/10", "--delta", help="... after having exceeded delta."),
    seed: int = SeedOpt,
    out: Path = typer.Option(Path("scramble"), "--out", "-o", help="Folder for the figures and their data files."),
    as_json: bool = JsonOpt,
) -> None:
    """The seed's scrambling figure, exactly, and how often random nearby pairs
    separate beyond delta and return below epsilon (exact comparisons).

    Without a network, the seed's net f(x) = 1.9999 relu(x + 0.00001) − 4 relu(x − 0.502).
    Writes OUT/scramble-seed.* (the figure) and OUT/scramble-returns.* (the statistic).

    Example: verichaos experiment scramble --pairs 1000 --steps 150
    """
    from verichaos.experiments.scramble import SEED_NETWORK, return_statistic
    from verichaos.plots import scramble as scramble_pair

    net = SEED_NETWORK if network is None and example is None else read_network(network, example)
    start, spacing = exact_option(x, "--x"), exact_option(gap, "--gap")
    small, large = exact_option(epsilon, "--epsilon"), exact_option(delta, "--delta")
    try:
        with exact_work(None, what="experiment scramble"):
            figure = scramble_pair(net, start, start + spacing, steps)
            with _progress(pairs, "scrambling pairs") as advance:
                statistic = return_statistic(net, pairs, steps, small, large, spacing, seed, advance)
    except ValueError as error:
        fail(str(error), EXIT_USAGE)
    except KeyboardInterrupt:
        fail("interrupted before the statistic was complete; nothing written", EXIT_INTERRUPTED)
    files = _save(figure, out / "scramble-seed") + _save(statistic, out / "scramble-returns")
    summary = {"figure": figure.summary(), "returns": statistic.summary(), "files": files}
    if as_json:
        echo(json.dumps(summary, indent=2))
    else:
        echo(summary["figure"]["headline"])
        echo(summary["returns"]["headline"])
        echo("wrote " + ", ".join(files))


def register(experiment_app: typer.Typer) -> None:
    """Attach the picture experiments to ``verichaos experiment``."""
    experiment_app.command("persistence")(persistence)
    experiment_app.command("scramble")(scramble)
