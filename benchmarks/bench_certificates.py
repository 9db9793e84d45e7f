"""Benchmark: writing a certificate (``verichaos certify``) against checking it (``python -m verichaos.checker``).

For depth-2 nets with He-random weights (layer 1: weights and biases N(0, 2);
layer 2: N(0, 2/k); identity output; ``certificates/make_examples.py``'s
``he_random``) at widths k = 2 ... 2048, seeds 0, 1, 2, ..., time per net, as
whole commands (a fresh interpreter each, as a user runs them):

* certify: ``verichaos certify NET.json --claim CLAIM -o CERT.json`` (exact map,
  decision, certificate written);
* check: ``python -m verichaos.checker CERT.json`` (parse, hash, every
  evaluation recomputed from the network).

Negative certificates are those the target (issue 10) is about: no-period-3
(``--claim period-3``), no-period-N (``--claim period-N``, ``--period``) and
zero-entropy (``--claim chaos``). Nets whose answer is positive are skipped. With ``--before ROOT``, the
checker of another checkout (e.g. a worktree of an older commit) checks the
no-period-3 certificates too, for a before/after column.

Run: ``python benchmarks/bench_certificates.py [--quick] [--before ROOT] [--widths K ...]``.
Prints a Markdown table (medians); docs/certificates.md, section "Speed",
records one run. Wall clock on whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "certificates"))

from make_examples import he_random, write_json  # noqa: E402

from verichaos.certificate import Undecided, certify  # noqa: E402

SAMPLES = {2: 5, 32: 5, 512: 3, 2048: 2}
QUICK = {2: 2, 32: 2, 512: 1}
MAX_SEEDS = 40
VERICHAOS = [sys.executable, "-c", "import sys; from verichaos.cli import app; sys.argv[0] = 'verichaos'; app()"]


def timed(command: list[str], root: Path) -> float:
    """Seconds of one command run in a fresh interpreter with ``root`` first on the path."""
    start = time.perf_counter()
    # run in root: python -m puts the working directory first on the path
    result = subprocess.run(command, capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed: {result.stdout} {result.stderr}")
    return seconds


def sample(k: int, claim: str, wanted: int, folder: Path, before: Path | None) -> list[dict[str, float]]:
    """Certify and check the first ``wanted`` nets (seeds 0, 1, ...) whose certificate for ``claim`` is negative."""
    rows = []
    for seed in range(MAX_SEEDS):
        if len(rows) == wanted:
            break
        network = he_random(k, seed)
        try:
            document = certify(network, claim=claim).document  # in process, to pick the negative ones
        except Undecided:
            continue
        if "proof" not in document:
            continue
        net, cert = folder / f"net-{k}-{seed}.json", folder / f"cert-{k}-{seed}.json"
        write_json(net, network.to_json())
        row = {"certify": timed([*VERICHAOS, "certify", str(net), "--claim", claim, "-o", str(cert)], ROOT),
               "check": timed([sys.executable, "-m", "verichaos.checker", str(cert)], ROOT),
               "pieces": len(document["proof"]["cuts"]) + 1 + sum(len(s["cuts"]) + 1 for s in document["proof"]["chain"])}
        if before is not None and claim == "period-3":
            row["before"] = timed([sys.executable, "-m", "verichaos.checker", str(cert)], before)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer nets, k <= 512")
    parser.add_argument("--period", type=int, default=5, help="N of the no-period-N rows (default 5)")
    parser.add_argument("--before", type=Path, help="root of a checkout whose checker gives the 'before' column")
    parser.add_argument("--widths", type=int, nargs="+", help="only these k (of 2, 32, 512, 2048)")
    args = parser.parse_args()
    samples = {k: n for k, n in (QUICK if args.quick else SAMPLES).items() if not args.widths or k in args.widths}
    claims = ["period-3", f"period-{args.period}", "chaos"]
    print("| k | certificate | nets | pieces (median) | certify s | check s | check / certify | check s before |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for k, wanted in samples.items():
            for claim in claims:
                rows = sample(k, claim, wanted, Path(folder), args.before)
                name = {"chaos": "zero-entropy"}.get(claim, "no-" + claim)
                if not rows:
                    print(f"| {k} | {name} | 0 | | | | | |", flush=True)
                    continue
                med = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
                before = f"{med['before']:.2f}" if "before" in med else ""
                print(f"| {k} | {name} | {len(rows)} | {med['pieces']:.0f} | {med['certify']:.2f} | {med['check']:.2f} "
                      f"| {med['check'] / med['certify']:.2f}x | {before} |", flush=True)


if __name__ == "__main__":
    main()
