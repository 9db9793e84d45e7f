"""pytest plugin of verichaos, registered by the ``pytest11`` entry point.

Installing verichaos makes it active in every pytest run. It gives

* the fixture ``verichaos_certificates``: a temporary folder for the
  certificates written by :func:`verichaos.testing.assert_period3` and
  :func:`~verichaos.testing.assert_no_period3` when it is passed as their
  ``folder``. It is session-scoped, so that hypothesis tests
  (``@given``) may use it: hypothesis refuses function-scoped fixtures, which
  would not be reset between examples. Files are named by network hash and
  claim, so tests do not overwrite each other's certificates.
* on a failing test whose error came from one of those assertions, a report
  section "verichaos certificate" with the saved certificate's path, to open
  or to re-check with ``verichaos check``.

Example::

    from verichaos.testing import assert_period3

    def test_tent_is_chaotic(verichaos_certificates):
        assert_period3("tent.json", folder=verichaos_certificates)

This module imports nothing heavy, so it costs nothing in test runs that do
not use verichaos.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SECTION = "verichaos certificate"


@pytest.fixture(scope="session")
def verichaos_certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder for the certificates of one test session."""
    return tmp_path_factory.mktemp("verichaos-certificates")


def _raised(error: BaseException) -> Iterator[BaseException]:
    """The error and those it groups or chains (hypothesis may report several)."""
    pending, seen = [error], set()
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        pending.extend(getattr(error, "exceptions", ()))
        pending.extend(e for e in (error.__cause__, error.__context__) if e is not None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    testing = sys.modules.get("verichaos.testing")  # not imported: no certificate assertion ran
    if call.excinfo is None or testing is None:
        return
    paths = [
        str(e.certificate_path) for e in _raised(call.excinfo.value) if isinstance(e, testing.CertificateAssertionError)
    ]
    if paths:
        outcome.get_result().sections.append((SECTION, "\n".join(dict.fromkeys(paths)) + "\n"))
