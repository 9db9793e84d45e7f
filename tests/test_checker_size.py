"""The checker stays small and independent (team plan, non-negotiables).

Small: all its .py files, docstrings, comments and blank lines included, under 1,000 lines, so one person
can read it in an hour. Independent: each file imports only the standard-library modules of the allowed list
and verichaos.checker itself. tests/test_checker.py::test_import_uses_only_the_standard_library checks what
an import loads at run time; this file checks what the source says, which also catches a stdlib module that
is not on the list (bisect) and an import inside a function that a test run never reaches.
"""

import ast
from pathlib import Path

import pytest

CHECKER = Path(__file__).resolve().parents[1] / "verichaos" / "checker"
MAX_LINES = 1_000  # the plan's limit
ALLOWED = {"fractions", "json", "hashlib", "sys", "argparse", "typing", "dataclasses", "math", "decimal", "re",
           "os", "pathlib", "enum", "functools", "itertools", "collections", "io"}


def sources():
    return sorted(CHECKER.glob("*.py"))


def forbidden_imports(source):
    """The modules a source imports that are neither on ALLOWED nor verichaos.checker, and any __import__."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 1:  # "from .reader import ...": the package
            continue
        elif isinstance(node, ast.ImportFrom):
            names = ["." * node.level + (node.module or "")]
        elif isinstance(node, ast.Name) and node.id == "__import__":
            names = ["__import__"]
        else:
            continue
        found += [n for n in names if n.split(".")[0] not in ALLOWED and not (n + ".").startswith("verichaos.checker.")]
    return found


def test_the_checker_is_under_a_thousand_lines():
    counts = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in sources()}
    assert {"__init__.py", "reader.py", "command.py"} <= set(counts)
    assert sum(counts.values()) < MAX_LINES, f"{sum(counts.values())} lines: {counts}"


@pytest.mark.parametrize("path", sources(), ids=lambda path: path.name)
def test_each_checker_file_imports_only_the_allowed_modules(path):
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source,found", [
    ("import bisect", ["bisect"]),                               # stdlib, but not on the list
    ("from bisect import bisect_left", ["bisect"]),
    ("def f():\n    import numpy.linalg", ["numpy.linalg"]),     # inside a function
    ("from verichaos.pwl import from_network", ["verichaos.pwl"]),  # the certifier
    ("from .. import pwl", [".."]),                              # the certifier, relatively
    ("m = __import__('bisect')", ["__import__"]),
    ("import json, os.path\nfrom fractions import Fraction\nfrom . import reader\nfrom .exact import Net\n"
     "import verichaos.checker.reader", []),
])
def test_the_import_rule_itself(source, found):
    assert forbidden_imports(source) == found
