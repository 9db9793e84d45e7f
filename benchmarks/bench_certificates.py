"""Benchmark: writing a certificate (certify) against checking it (the stdlib checker).

For depth-2 nets with He-random weights (layer 1: weights and biases N(0, 2);
layer 2: N(0, 2/k); identity output; ``certificates/make_examples.py``'s
``he_random``) at widths k = 2 ... 2048, time per net:

* certify: ``verichaos.certificate.certify`` from the network (exact map,
  period-3 decision, certificate written);
* check: ``verichaos.checker.check_certificate`` on the certificate's JSON
  text (parse, hash, every evaluation from the network), as ``verichaos check``
  does after reading the file.

Negative certificates come from the He nets, seeds 0, 1, 2, ... Positive ones
are rare there (about 1 in 200 nets), so they come from the same recipe with
the output layer's standard deviation scaled by 8 (``output_gain``), which has
period 3 far more often. Fewer nets at large k.

Run: ``python benchmarks/bench_certificates.py [--quick]``. Prints a Markdown
table; paste it into docs/performance.md, section "Certificates". Wall clock
on whatever else the machine is doing, so run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "certificates"))

from make_examples import he_random  # noqa: E402

from verichaos.certificate import certify  # noqa: E402
from verichaos.checker import check_certificate  # noqa: E402

# k: (negative nets, positive nets); the largest widths dominate the run time.
SAMPLES = {2: (10, 10), 8: (10, 10), 32: (8, 8), 128: (6, 6), 512: (4, 4), 2048: (2, 2)}
QUICK = {2: (3, 3), 8: (3, 3), 32: (2, 2), 128: (1, 1), 512: (1, 1)}
GAIN = {"no-period-3": 1, "period-3": 8}
MAX_SEEDS = 200


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def sample(k: int, claim: str, wanted: int) -> list[dict[str, float]]:
    """Certify and check the first ``wanted`` nets (seeds 0, 1, ...) whose certificate claims ``claim``."""
    rows = []
    for seed in range(MAX_SEEDS):
        if len(rows) == wanted:
            break
        certificate, certify_seconds = timed(lambda: certify(he_random(k, seed, GAIN[claim])))
        if certificate.claim != claim:
            continue
        text = json.dumps(certificate.document)
        (code, line), check_seconds = timed(lambda: check_certificate(text))
        if code != 0:
            raise SystemExit(f"k = {k}, seed {seed}: the checker did not verify the certificate: {line}")
        proof = certificate.document.get("proof")  # pieces: those of the chain and the final partition
        pieces = proof and len(proof["cuts"]) + 1 + sum(len(step["cuts"]) + 1 for step in proof["chain"])
        rows.append({"certify": certify_seconds, "check": check_seconds, "pieces": pieces, "bytes": len(text)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer nets, k <= 512")
    samples = QUICK if parser.parse_args().quick else SAMPLES
    print("| k | claim | nets | pieces (median) | certificate KiB (median) | certify ms (median) "
          "| check ms (median) | check ms (max) | check / certify |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for k, counts in samples.items():
        for claim, wanted in zip(("no-period-3", "period-3"), counts):
            rows = sample(k, claim, wanted)
            if not rows:
                print(f"| {k} | {claim} | 0 | | | | | | |")
                continue
            med = {key: statistics.median(row[key] or 0 for row in rows) for key in rows[0]}
            worst = max(row["check"] for row in rows)
            pieces = f"{med['pieces']:.0f}" if claim == "no-period-3" else "-"
            print(f"| {k} | {claim} | {len(rows)} | {pieces} | {med['bytes'] / 1024:.1f} "
                  f"| {1000 * med['certify']:.1f} | {1000 * med['check']:.1f} | {1000 * worst:.1f} "
                  f"| {med['check'] / med['certify']:.1f}x |", flush=True)


if __name__ == "__main__":
    main()
