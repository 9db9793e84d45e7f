"""The documentation site: it builds strictly, its pages exist, its examples run, its numbers are the data's."""

from __future__ import annotations

import csv
import doctest
import importlib.util
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from verichaos.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FIGURES = DOCS / "figures"


def nav_pages() -> list[str]:
    """The .md files named in mkdocs.yml's nav (read without YAML: one `- Title: page.md` per line)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text.split("\nnav:\n", 1)[1]
    return re.findall(r"^\s+-\s+[^:\n]+:\s+(\S+\.md)\s*$", nav.split("\n\n")[0], flags=re.MULTILINE)


def test_every_nav_page_exists():
    pages = nav_pages()
    assert {"index.md", "concepts.md", "cli.md", "api.md", "pictures.md", "formats.md", "certificates.md"} <= set(pages)
    missing = [page for page in pages if not (DOCS / page).is_file()]
    assert not missing, f"pages in mkdocs.yml nav but not in docs/: {missing}"


def test_mkdocs_build_strict(tmp_path):
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[test]' installs it); cannot build the docs site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "pictures" / "index.html").is_file()
    assert (tmp_path / "site" / "figures" / "pic-seed-scramble.png").is_file()


def command_paths(typer_app, prefix: str = "verichaos") -> list[str]:
    """Every leaf command of a typer app, from typer's own registry (not from the generator of cli.md)."""
    paths = []
    for command in typer_app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        paths.append(f"{prefix} {name}")
    for group in typer_app.registered_groups:
        paths += command_paths(group.typer_instance, f"{prefix} {group.name}")
    return paths


def test_every_command_is_in_the_cli_reference():
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    paths = command_paths(app)
    assert {"verichaos plot", "verichaos experiment persistence", "verichaos experiment scramble", "verichaos certify"} <= set(paths)
    missing = [path for path in paths if f"## `{path}`" not in reference]
    assert not missing, f"commands missing from docs/cli.md (run python docs/generate_cli.py): {missing}"


@pytest.mark.parametrize("page", ["api.md", "concepts.md"])
def test_examples_in_the_docs_run(page):
    failures, attempted = doctest.testfile(str(DOCS / page), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert attempted > 3 and failures == 0


def test_numbers_quoted_in_pictures_are_those_of_the_figure_data():
    text = (DOCS / "pictures.md").read_text(encoding="utf-8")
    seed = json.loads((FIGURES / "pic-seed-scramble.data.json").read_text())
    assert seed["first_float64_departure"] == {"x": 53, "y": 52, "distance": 52}
    assert "wrong from t = 52 on" in text and f"{seed['max_bits']} bits at t = 150" in text
    returns = json.loads((FIGURES / "pic-scramble-returns.data.json").read_text())["summary"]
    assert f"{returns['returned']} of {returns['pairs']} pairs" in text
    with (FIGURES / "pic-persistence.data.csv").open(newline="") as handle:
        rows = {(r["sigma"], r["model"], r["measure"]): r for r in csv.DictReader(handle) if r["depth"] == "10"}
    table = re.findall(r"^\| (0\.\d+) \| (.+) \| (.+) \| (.+) \| (.+) \|$", text, flags=re.MULTILINE)
    assert len(table) == 3
    for sigma, *cells in table:
        for cell, key in zip(cells, [("rnn", "pieces"), ("feedforward", "pieces"), ("rnn", "laps"), ("feedforward", "laps")]):
            row = rows[(sigma, *key)]
            quoted = [math.floor(float(row[name]) + 0.5) for name in ("median", "q1", "q3")]  # rounded half up
            assert cell == "{} ({}–{})".format(*quoted), (sigma, key)
