"""The cli package's shape and its help texts: no import circle, nothing eaten by markup, flags are flags."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verichaos.cli import app
from verichaos.cli import errors

CLI = Path(__file__).resolve().parents[1] / "verichaos" / "cli"
COMMAND_MODULES = ("core", "plot", "pictures", "experiment", "convert")
runner = CliRunner()


def imported_cli_modules(module: str) -> set[str]:
    """The verichaos.cli modules that ``module`` imports, anywhere in its body."""
    tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("verichaos.cli"):
            found |= {node.module.removeprefix("verichaos.cli").lstrip(".") or alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_command_modules_import_only_the_shared_modules(module):
    assert imported_cli_modules(module) <= {"common", "errors"}


def test_shared_modules_import_no_command_module():
    assert imported_cli_modules("common") == {"errors"}
    assert imported_cli_modules("errors") == set()


@pytest.mark.parametrize(
    ("command", "kept"),
    [(["plot"], "[default: 3]"), (["experiment", "paper-table"], "Pr[period 3]"), (["plot"], "[default: the core interval]")],
)
def test_help_keeps_square_brackets(command, kept):
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert kept in result.output


@pytest.mark.parametrize("command", [["plot"], ["certify"], ["experiment", "run"], ["experiment", "paper-table"], ["export"]])
def test_boolean_options_are_flags(command):
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert "<bool>" not in result.output
    assert "--json" in result.output or "--strict" in result.output


def test_new_exit_codes_are_documented():
    assert (errors.EXIT_BUDGET, errors.EXIT_UNDECIDED) == (6, 7)
    assert "| 6 |" in errors.__doc__ and "| 7 |" in errors.__doc__
    assert "6 budget exceeded or TIMEOUT, 7 UNDECIDED" in errors.EXIT_CODES_HELP
