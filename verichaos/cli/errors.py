"""Exit codes shared by every command, and the one way commands fail.

| code | meaning |
|---|---|
| 0 | success (for ``check``: VERIFIED) |
| 1 | a certificate was REJECTED |
| 2 | usage error (bad options or arguments) |
| 3 | unreadable or malformed input file |
| 4 | an output file or folder cannot be written |
| 5 | an experiment could not complete (corrupt resume file, worker failure) |
| 6 | the work could not complete within its budget (``--max-pieces`` exceeded, or ``--timeout``: TIMEOUT) |
| 7 | UNDECIDED: the method cannot decide this input (no guess is printed) |
| 130 | interrupted (Ctrl-C); partial results are kept and marked incomplete |
"""

from __future__ import annotations

from typing import NoReturn

import typer

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_EXPERIMENT = 5
EXIT_BUDGET = 6
EXIT_UNDECIDED = 7
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = (
    "Exit codes: 0 success, 1 certificate rejected, 2 usage error, 3 unreadable or malformed input, "
    "4 output not writable, 5 experiment could not complete, 6 budget exceeded or TIMEOUT, 7 UNDECIDED, "
    "130 interrupted."
)


def fail(message: str, code: int) -> NoReturn:
    """Print one clear line to stderr and exit with ``code``; never a traceback."""
    typer.echo(f"verichaos: error: {message}", err=True)
    raise typer.Exit(code)
