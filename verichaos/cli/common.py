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
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import typer

from verichaos.cli.errors import EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE, fail
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
