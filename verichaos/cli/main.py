"""The ``verichaos`` app: assembled here from the command modules, nothing else.

Each module attaches its commands with ``register``; they share their
options and helpers through :mod:`verichaos.cli.common` and their exit codes
through :mod:`verichaos.cli.errors`, so no command module imports another.
"""

from __future__ import annotations

import signal
import threading

import typer

from verichaos.cli import convert, core, experiment, pictures, plot
from verichaos.cli.common import new_app
from verichaos.cli.errors import EXIT_CODES_HELP

app = new_app(
    "Exact, independently checked certificates of period three (Li-Yorke chaos) "
    "for one-input one-output ReLU networks iterated as x -> f(x).\n\n" + EXIT_CODES_HELP,
    name="verichaos",
)


def _print_version(value: bool) -> None:
    if value:
        from verichaos import __version__

        typer.echo(f"verichaos {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Exact, independently checked certificates of period three for recurrent ReLU networks."""
    _terminate_like_ctrl_c()


def _terminate_like_ctrl_c() -> None:
    """SIGTERM (kill, a batch system's time limit) stops a command the way Ctrl-C does: experiments
    write their INCOMPLETE summary and keep resumable results, and every output file is either
    complete or absent (they are written atomically)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


core.register(app)
experiment.register(app)
pictures.register(experiment.experiment_app)
plot.register(app)
convert.register(app)
