"""What every command module shares: the app factory, common options, reading and writing.

The command modules (core, plot, pictures, experiment, convert) import this
module and :mod:`verichaos.cli.errors`, never each other or the entry module
:mod:`verichaos.cli.main`, which only assembles the app.

Conventions kept here so that each command gets them for free:

* a network is a file argument or ``--example NAME`` (exactly one);
* a directory, a missing file and a malformed file each have their own line (exit 3);
* ``-o -`` writes to stdout; every other output is written atomically
  (:mod:`verichaos.output`), or the command exits 4;
* stdout closed early (``verichaos ... | head``) is not an error: the command
  finishes its work and exits with its own code.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import typer

from verichaos.budget import DEFAULT_MAX_PIECES
from verichaos.cli.errors import EXIT_BUDGET, EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE, approximation, fail
from verichaos.network import Network, NetworkFormatError
from verichaos.rational import Q, RationalError, parse_rational

EXAMPLES = ("tent", "contraction")
STDOUT = Path("-")


def new_app(help: str, **settings) -> typer.Typer:
    """A typer app or command group with the conventions of every verichaos command.

    Help is plain click text (``rich_markup_mode=None``): rich markup would eat
    every ``[...]`` in a help text (``[default: 3]``, ``Pr[period 3]``) and
    print boolean flags as ``--json <bool>``.
    """
    return typer.Typer(help=help, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None, **settings)


def flag(name: str, help: str) -> Any:
    """A boolean option that is a flag: ``--json``, not ``--json true``."""
    return typer.Option(False, name, help=help, show_default=False)


NetworkArg = typer.Argument(None, help="Network file (verichaos-network JSON) or a model file (.onnx, .pt/.pth, .safetensors, .npz). Omit with --example.", show_default=False)
ExampleOpt = typer.Option(None, "--example", "-e", help=f"Use an embedded example network: {', '.join(EXAMPLES)}.")
JsonOpt = flag("--json", "Machine-readable JSON on stdout.")
SeedOpt = typer.Option(20221005, "--seed", "-s", help="Seed S: trial i always draws the same network for the same S.")
JobsOpt = typer.Option(None, "--jobs", "-j", help="Worker processes on this machine (default: every core).")


def example_path(name: str) -> Path:
    """The file of an embedded example network, or a usage error."""
    if name not in EXAMPLES:
        fail(f"unknown example {name!r}; choose one of {', '.join(EXAMPLES)}", EXIT_USAGE)
    return Path(str(resources.files("verichaos.examples").joinpath(f"{name}.json")))


def readable_file(path: Path, what: str) -> Path:
    """``path`` if it is a file; a directory or a missing file is exit 3, each with its own line."""
    if path.is_dir():
        fail(f"{path} is a directory, not a {what}", EXIT_INPUT)
    if not path.exists():
        fail(f"cannot read {path}: no such file", EXIT_INPUT)
    return path


def read_network(path: Optional[Path], example: Optional[str]) -> Network:
    """The network named on the command line, or a clear exit 2/3."""
    from verichaos.convert import load_any

    if (path is None) == (example is None):
        fail("give exactly one of a network file or --example NAME", EXIT_USAGE)
    source = readable_file(path, "network file") if path is not None else example_path(example)
    try:
        return load_any(source)
    except NetworkFormatError as error:
        fail(str(error), EXIT_INPUT)


def exact_option(text: Optional[str], option: str) -> Optional[Q]:
    """An exact rational from an option's text ("0.175421" is 175421/10⁶), or a usage error."""
    if text is None:
        return None
    try:
        return parse_rational(text)
    except RationalError as error:
        fail(f"{option}: {error}", EXIT_USAGE)


def echo(text: str = "", nl: bool = True) -> None:
    """Print to stdout; a reader that went away (``| head``) silences the rest instead of failing."""
    try:
        typer.echo(text, nl=nl)
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    """Point stdout at the null device, so that later prints and the final flush cannot fail."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test runner's stream)
        sys.stdout = open(os.devnull, "w", encoding="utf-8")


def write_text(path: Path, text: str) -> None:
    """Write an output file atomically (``-`` is stdout), or exit 4."""
    from verichaos.output import write_text_atomic

    if path == STDOUT:
        echo(text, nl=False)
        return
    if path.is_dir():
        fail(f"cannot write {path}: it is a directory", EXIT_OUTPUT)
    try:
        write_text_atomic(path, text)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}", EXIT_OUTPUT)


MaxPiecesOpt = typer.Option(
    DEFAULT_MAX_PIECES,
    "--max-pieces",
    min=1,
    help="Stop (exit 6) rather than build an exact map of more linear pieces than this; raise it for bigger work.",
)
PROGRESS_DELAY = 2.0
"""Seconds of single-network work after which a progress display appears (on a terminal)."""


@contextmanager
def exact_work(max_pieces: Optional[int], seconds: Optional[float] = None, what: str = "exact work") -> Iterator[None]:
    """Run exact builders within a budget (:mod:`verichaos.budget`), with a progress display after
    :data:`PROGRESS_DELAY` seconds; a budget exceeded is one line and exit 6."""
    from verichaos.budget import BudgetExceeded, DeadlineExceeded, budget

    with budget(max_pieces, seconds) as state, _delayed_progress(state, what):
        try:
            yield
        except DeadlineExceeded:  # the command's own verdict (TIMEOUT)
            raise
        except BudgetExceeded as reason:
            fail(f"{what} could not complete: {reason}", EXIT_BUDGET)


@contextmanager
def hard_deadline(seconds: Optional[float]) -> Iterator[None]:
    """Raise :class:`~verichaos.budget.DeadlineExceeded` in the block after ``seconds``, whatever the
    work does meanwhile (SIGALRM; without it, only the builders' own deadline checks apply)."""
    import signal

    from verichaos.budget import DeadlineExceeded

    if seconds is None or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        # Python ignores an exception raised in a gc callback or a __del__: fire again soon, in case
        # this one lands there (leaving the block disarms the timer).
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise DeadlineExceeded(f"not done after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def exact_text(q: Optional[Q], longest: int = 24) -> str:
    """A rational as its exact canonical text, with a decimal approximation beside it when long:
    ``1234567890123456789012345/3 (≈ 4.11523e+23)``. ``None`` (an unbounded end) is ``unbounded``."""
    if q is None:
        return "unbounded"
    from verichaos.rational import canonical

    text = canonical(q)
    return text if len(text) <= longest else f"{text} (≈ {approximation(int(q.numerator), int(q.denominator))})"


@contextmanager
def _delayed_progress(state, what: str, delay: float = PROGRESS_DELAY, console=None) -> Iterator[None]:
    """A spinner on stderr, shown only once the work has run ``delay`` seconds and only on a terminal:
    what runs, for how long, and the largest exact map built so far."""
    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class Largest(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"largest exact map so far: {state.largest:,} pieces")

    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    progress = Progress(SpinnerColumn(), TextColumn(what), TimeElapsedColumn(), Largest(), console=console, transient=True)
    progress.add_task(what, total=None)
    timer = threading.Timer(delay, progress.start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()  # a start already under way finishes before the stop
        progress.stop()
