"""The certificates committed in certificates/ still check, and verichaos still writes them.

A change of the format, of the checker or of the certifier that breaks an
existing certificate, or that makes verichaos write a different proof for the
same network, fails here (regenerate with ``python certificates/make_examples.py``
when the change is meant).
"""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from verichaos.checker import check_certificate
from verichaos.network import load_network
from verichaos.smooth import certify_network

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "certificates"
NAMES = sorted(path.name.removesuffix(".cert.json") for path in FOLDER.glob("*.cert.json"))


def certify_claim(claim):
    """The claim verichaos certify was asked for, from the claim of the certificate it wrote."""
    return "chaos" if claim.endswith("entropy") else claim.removeprefix("no-")


def test_the_examples_are_there():
    assert {"tent", "gentle-tent", "degenerate", "rotation", "he-16", "tent-5", "gentle-tent-5", "stefan-5",
            "doubled-4", "doubled-tent", "tanh-period3", "tanh-no-period3"} <= set(NAMES)
    assert sorted(path.name.removesuffix(".json") for path in FOLDER.glob("*.json")
                  if not path.name.endswith(".cert.json")) == NAMES  # one network per certificate


@pytest.mark.parametrize("name", NAMES)
def test_committed_certificate_verifies(name):
    certificate, network = (FOLDER / f"{name}.cert.json").read_bytes(), (FOLDER / f"{name}.json").read_bytes()
    statement = json.loads(certificate)["statement"]
    assert check_certificate(certificate) == check_certificate(certificate, network)
    code, line = check_certificate(certificate, network)
    assert code == 0 and line.startswith(f"VERIFIED: {statement} (network sha256 "), line


def test_committed_certificates_verify_on_the_command_line():
    # One interpreter per certificate would cost a second each: one shell loop instead.
    script = "; ".join(shlex.join([sys.executable, "-m", "verichaos.checker", f"{FOLDER / n}.cert.json",
                                   "--network", f"{FOLDER / n}.json"]) for n in NAMES)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(["sh", "-ec", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(NAMES) and all(line.startswith("VERIFIED: ") for line in lines), lines


@pytest.mark.parametrize("name", NAMES)
def test_recertifying_reproduces_the_committed_certificate(name):
    committed = json.loads((FOLDER / f"{name}.cert.json").read_text(encoding="utf-8"))
    claim = certify_claim(committed["claim"])
    fresh = json.loads(json.dumps(certify_network(load_network(FOLDER / f"{name}.json"), claim=claim).document))
    informational = {"tool", "statistics"}
    assert {k: v for k, v in fresh.items() if k not in informational} == \
        {k: v for k, v in committed.items() if k not in informational}
