"""verichaos.testing (certify, save, check) and the pytest plugin, run through pytester."""

from __future__ import annotations

import json
import re
import sys
from importlib.metadata import entry_points
from pathlib import Path

# hypothesis and verichaos.strategies are imported here, once: pytester's
# in-process runs forget the modules they import themselves, and would import
# (and assertion-rewrite) them again on every run, seconds each.
import hypothesis  # noqa: F401
import pytest

import verichaos.pytest_plugin
import verichaos.strategies  # noqa: F401
import verichaos.testing
from verichaos.certificate import Certificate, certify
from verichaos.checker import check_certificate
from verichaos.network import Network
from verichaos.pwl import PiecewiseLinear
from verichaos.testing import (
    CertificateAssertionError,
    assert_no_period3,
    assert_orbit,
    assert_period3,
)

pytest_plugins = ["pytester"]

TENT = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
SHIFT = Network.from_arrays([[[1]]], [["1/2"]], ["identity"])  # f(x) = x + 1/2: no periodic point at all
DOCS = Path(__file__).resolve().parents[1] / "docs" / "testing.md"


# --------------------------------------------------------------- assertions


def test_assert_period3_saves_a_verified_certificate(tmp_path):
    checked = assert_period3(TENT, folder=tmp_path)
    assert checked.path == tmp_path / f"{TENT.sha256[:16]}-period-3.json"
    assert checked.verdict == f"VERIFIED: f has a point of minimal period 3 (network sha256 {TENT.sha256[:16]})"
    assert check_certificate(checked.path.read_text()) == (0, checked.verdict)
    assert checked.certificate.has_period3


def test_assert_no_period3_accepts_documents_and_paths(tmp_path):
    TENT.save(tmp_path / "tent.json")
    assert assert_period3(tmp_path / "tent.json", folder=tmp_path).certificate.has_period3
    checked = assert_no_period3(SHIFT.to_json(), folder=tmp_path)
    assert checked.path.name.endswith("-no-period-3.json") and checked.verdict.startswith("VERIFIED")


def test_default_folder_is_one_temporary_folder():
    first, second = assert_period3(TENT), assert_no_period3(SHIFT)
    assert first.path.parent == second.path.parent
    assert first.path.parent.name.startswith("verichaos-certificates-")


def test_a_wrong_claim_fails_with_the_verdict_and_the_path(tmp_path):
    with pytest.raises(CertificateAssertionError) as failure:
        assert_no_period3(TENT, folder=tmp_path)
    error = failure.value
    assert error.certificate_path == tmp_path / f"{TENT.sha256[:16]}-period-3.json"
    assert error.certificate_path.is_file()
    assert error.verdict.startswith("VERIFIED: f has a point of minimal period 3")
    message = str(error)
    assert message.startswith("expected no period 3, but the certifier proved period 3: PERIOD 3:")
    assert f"checker: {error.verdict}" in message and f"certificate: {error.certificate_path}" in message


def test_a_certificate_the_checker_rejects_fails_the_assertion(tmp_path, monkeypatch):
    """A certifier bug (here: a forged orbit) is caught by the independent checker."""

    def forged(network: Network) -> Certificate:
        document = certify(TENT).document
        document["witness"]["orbit"] = ["1/7", "2/7", "4/7"]
        return Certificate(document)

    monkeypatch.setattr(verichaos.testing, "certify", forged)
    with pytest.raises(CertificateAssertionError, match="did not verify") as failure:
        assert_period3(TENT, folder=tmp_path)
    assert failure.value.verdict.startswith("REJECTED")
    assert json.loads(failure.value.certificate_path.read_text())["witness"]["orbit"][0] == "1/7"


def test_assert_orbit():
    assert_orbit(TENT, ["2/7", "4/7", "6/7"])
    assert_orbit(TENT, ["4/7", "6/7", "2/7"])
    assert_orbit(TENT, ["2/3"])
    assert_orbit(PiecewiseLinear.from_knots([0, "1/2"], [0, 1], 0, -2), ["2/5", "4/5"])
    with pytest.raises(AssertionError, match=re.escape("f(4/7) = 6/7, but the orbit needs f(x0) = x1 = 2/7")):
        assert_orbit(TENT, ["4/7", "2/7", "6/7"])
    with pytest.raises(AssertionError, match="repeat"):
        assert_orbit(TENT, ["0", "0"])
    with pytest.raises(AssertionError, match=re.escape("f(2/7) = 4/7, but the orbit needs f(x0) = x0 = 2/7")):
        assert_orbit(TENT, ["2/7"])
    with pytest.raises(AssertionError, match="at least one point"):
        assert_orbit(TENT, [])


# -------------------------------------------------------------- the plugin


def test_the_plugin_is_registered_by_its_entry_point(pytester):
    assert "verichaos.pytest_plugin" in {ep.value for ep in entry_points(group="pytest11") if ep.name == "verichaos"}
    config = pytester.parseconfig()
    assert config.pluginmanager.get_plugin("verichaos") is verichaos.pytest_plugin


def certificate_section(output: str) -> list[Path]:
    """The paths listed under the plugin's report section."""
    found = re.search(r"-+ verichaos certificate -+\n((?:.+\n)+?)(?:[-=_]{5,}|$)", output)
    assert found, f"no verichaos certificate section in:\n{output}"
    return [Path(line.strip()) for line in found.group(1).splitlines() if line.strip()]


def test_a_failing_assertion_reports_its_certificate(pytester):
    pytester.makepyfile(
        test_failing_plugin="""
        from verichaos.network import Network
        from verichaos.testing import assert_period3

        def test_shift_is_not_chaotic(verichaos_certificates):
            shift = Network.from_arrays([[[1]]], [["1/2"]], ["identity"])
            assert_period3(shift, folder=verichaos_certificates)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    [path] = certificate_section(output)
    assert path.is_file() and path.parent.name.startswith("verichaos-certificates")
    assert "expected period 3, but the certifier proved no period 3" in output
    assert f"certificate: {path}" in output
    assert check_certificate(path.read_text())[0] == 0
    assert json.loads(path.read_text())["claim"] == "no-period-3"


def test_a_failing_hypothesis_test_reports_the_certificate_of_the_minimal_example(pytester):
    pytester.makepyfile(
        test_failing_given="""
        from hypothesis import Phase, given, settings
        from verichaos.strategies import maps_with_period3
        from verichaos.testing import assert_no_period3

        @settings(max_examples=5, deadline=None, database=None, phases=[Phase.generate, Phase.shrink])
        @given(maps_with_period3())
        def test_planted_maps_are_not_chaotic(verichaos_certificates, planted):
            assert_no_period3(planted.network, folder=verichaos_certificates)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    [path] = certificate_section(output)
    assert "Failing test case" in output or "Falsifying example" in output
    assert json.loads(path.read_text())["claim"] == "period-3"
    assert f"certificate: {path}" in output, "the section names the minimal example's certificate"


def test_passing_and_unrelated_failures_print_no_certificate(pytester):
    pytester.makepyfile(
        test_quiet_plugin="""
        from verichaos.network import Network
        from verichaos.testing import assert_period3

        def test_tent(verichaos_certificates):
            tent = Network.from_arrays([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "identity"])
            assert_period3(tent, folder=verichaos_certificates)

        def test_unrelated():
            assert 1 == 2
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    assert "verichaos certificate" not in result.stdout.str()


def test_the_docs_example_runs(pytester):
    """docs/testing.md's complete example is the first python block; it must pass."""
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    pytester.makepyfile(test_rescaling=code)
    result = pytester.runpytest()
    result.assert_outcomes(passed=len(re.findall(r"^def test_", code, re.M)))


@pytest.mark.skipif(sys.version_info < (3, 11), reason="ExceptionGroup is built in from Python 3.11")
def test_grouped_and_chained_failures_report_every_certificate(pytester):
    pytester.makepyfile(
        test_grouped_plugin="""
        from verichaos.network import Network
        from verichaos.testing import CertificateAssertionError, assert_period3

        def failure(bias):
            try:
                assert_period3(Network.from_arrays([[[1]]], [[bias]], ["identity"]))
            except CertificateAssertionError as error:
                return error

        def test_grouped():
            raise ExceptionGroup("two failures", [failure("1/2"), failure("1/3")])

        def test_chained():
            raise RuntimeError("while checking") from failure("1/5")
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=2)
    output = result.stdout.str()
    sections = re.findall(r"-+ verichaos certificate -+\n((?:/.+\n)+)", output)
    assert [len(paths.splitlines()) for paths in sections] == [2, 1]


def test_the_plugin_can_be_switched_off(pytester):
    pytester.makepyfile(test_off="def test_uses_fixture(verichaos_certificates):\n    pass\n")
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.runpytest("-p", "no:verichaos").assert_outcomes(errors=1)
