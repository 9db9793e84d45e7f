"""verichaos.checker: the independent checker of verichaos certificates.

Trusted: this package (reader.py, verify.py: some 470 lines of code), the Python
standard library (json, fractions, hashlib, re, argparse) and the mathematics
of docs/certificates.md (Sharkovsky, Li and Yorke).  Nothing else of verichaos
is imported: the certifier that wrote the certificate is not trusted.

Checked, for a certificate file (docs/certificates.md, version 1):
  * the file is well-formed: exact numbers only (docs/formats.md grammar and
    limits, canonical spelling, no float, no NaN/Infinity), known format and
    version, no unknown field, network shapes 1 -> ... -> 1, piecewise-linear
    activations only                                  (reader.py, MALFORMED)
  * network_sha256 is the SHA-256 of the network's canonical serialization,
    and equals that of the --network file when one is given;
    statement and consequences are those of the claim (verify.py, REJECTED)
  * claim "period-3": the witness orbit and Li and Yorke's hypothesis, by exact
    evaluation of the network;
    claim "no-period-3": the chain of bounds and, on each final piece, that f,
    f on f(J) and f on f(f(J)) are affine by activation pattern, and that every
    solution of f^3(x) = x there is a fixed point of f  (verify.py, REJECTED)

Use: ``python -m verichaos.checker cert.json [--network net.json]``, or
``check_certificate(cert_obj, network_obj=None) -> (exit_code, line)``.
"""

from .verify import check_certificate, main

__all__ = ["check_certificate", "main"]
