"""The ``verichaos`` command line (typer). Each command group lives in its own module."""

from verichaos.cli.main import app

__all__ = ["app"]
