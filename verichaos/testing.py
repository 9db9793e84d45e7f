"""Assertions for test suites: period three, proved and independently checked.

``assert_period3(net)`` and ``assert_no_period3(net)`` do what ``verichaos
certify`` and ``verichaos check`` do on the command line: the certifier
(:func:`verichaos.certificate.certify`) decides period 3 exactly and writes a
certificate, the certificate is saved as JSON, and the independent checker
(:func:`verichaos.checker.check_certificate`) re-reads the saved file and
verifies it. The assertion passes only when the claim is the expected one
*and* the checker says VERIFIED; otherwise it raises
:class:`CertificateAssertionError`, whose message carries the checker's
verdict line and the saved certificate's path (also in its
``certificate_path`` attribute, which the pytest plugin prints).

Certificates go to ``folder`` when given (the ``verichaos_certificates``
fixture of :mod:`verichaos.pytest_plugin` is such a folder), else to one
temporary folder per process.

``assert_orbit(net, points)`` checks by exact evaluation that the points form
one orbit of minimal period ``len(points)``.

>>> from verichaos.network import Network
>>> tent = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
>>> assert_orbit(tent, ["2/7", "4/7", "6/7"])
>>> assert_period3(tent).verdict
'VERIFIED: f has a point of minimal period 3 (network sha256 b007aefb1da7a040)'
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

from verichaos.certificate import Certificate, certify
from verichaos.checker import check_certificate
from verichaos.network import Network, load_network, parse_network
from verichaos.rational import Q, parse_rational

__all__ = ["CertificateAssertionError", "Checked", "assert_period3", "assert_no_period3", "assert_orbit"]

_CLAIM_WORDS = {"period-3": "period 3", "no-period-3": "no period 3"}


class CertificateAssertionError(AssertionError):
    """A period-3 assertion that failed; says where its certificate was saved."""

    def __init__(self, message: str, *, verdict: str, certificate_path: Path):
        super().__init__(f"{message}\n  checker: {verdict}\n  certificate: {certificate_path}")
        self.verdict = verdict
        self.certificate_path = certificate_path


class Checked(NamedTuple):
    """A certificate that passed: the certificate, where it is saved, the checker's line."""

    certificate: Certificate
    path: Path
    verdict: str


@cache
def _default_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="verichaos-certificates-"))


def _as_network(net: Network | Mapping | str | Path) -> Network:
    if isinstance(net, (str, Path)):
        return load_network(net)
    return parse_network(net)


def _assert_claim(net: Network | Mapping | str | Path, expected: str, folder: str | Path | None) -> Checked:
    __tracebackhide__ = True  # pytest shows the caller's line, not these frames
    network = _as_network(net)
    certificate = certify(network)
    folder = Path(folder) if folder is not None else _default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{network.sha256[:16]}-{certificate.claim}.json"
    path.write_text(json.dumps(certificate.document, indent=1) + "\n", encoding="utf-8")
    # The checker reads the saved file, so what passes is what is on disk.
    code, verdict = check_certificate(path.read_text(encoding="utf-8"))
    if certificate.claim != expected:
        raise CertificateAssertionError(
            f"expected {_CLAIM_WORDS[expected]}, but the certifier proved {_CLAIM_WORDS[certificate.claim]}: "
            f"{certificate.summary}",
            verdict=verdict,
            certificate_path=path,
        )
    if code != 0:
        raise CertificateAssertionError(
            f"the certifier claims {_CLAIM_WORDS[expected]}, but the independent checker did not verify it",
            verdict=verdict,
            certificate_path=path,
        )
    return Checked(certificate, path, verdict)


def assert_period3(net: Network | Mapping | str | Path, *, folder: str | Path | None = None) -> Checked:
    """Assert that the network (object, document or file path) has a point of
    minimal period 3, with a verified certificate saved in ``folder``."""
    __tracebackhide__ = True
    return _assert_claim(net, "period-3", folder)


def assert_no_period3(net: Network | Mapping | str | Path, *, folder: str | Path | None = None) -> Checked:
    """Assert that the network has no point of minimal period 3, with a verified
    certificate saved in ``folder``."""
    __tracebackhide__ = True
    return _assert_claim(net, "no-period-3", folder)


def assert_orbit(net: Network | Mapping | str | Path | Callable[[Q], Q], points: Iterable[object]) -> None:
    """Assert f(x₀) = x₁, …, f(x_{n−1}) = x₀ exactly, with x₀, …, x_{n−1}
    distinct, so that each point has minimal period n = len(points).

    ``net`` is a network (object, document or path) or any exact map such as
    a :class:`~verichaos.pwl.PiecewiseLinear`; points are exact spellings."""
    __tracebackhide__ = True
    f = net if callable(net) else _as_network(net)
    orbit = [parse_rational(x) for x in points]
    if not orbit:
        raise AssertionError("an orbit needs at least one point")
    if len(set(orbit)) != len(orbit):
        raise AssertionError(
            f"the points {[str(x) for x in orbit]} repeat, so they are not one orbit of period {len(orbit)}"
        )
    for i, x in enumerate(orbit):
        following = orbit[(i + 1) % len(orbit)]
        image = f(x)
        if image != following:
            raise AssertionError(
                f"f({x}) = {image}, but the orbit needs f(x{i}) = x{(i + 1) % len(orbit)} = {following}"
            )
