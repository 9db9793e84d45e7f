"""The `verichaos experiment ...` command group."""

from __future__ import annotations

import typer

experiment_app = typer.Typer(
    help="Random-initialization experiments of Chatziafratis et al. (NeurIPS 2022), decided exactly.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the main app."""
    app.add_typer(experiment_app, name="experiment")
