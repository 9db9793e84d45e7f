"""verichaos.checker: the independent checker of verichaos certificates (docs/certificates.md).

Trusted: this package, the Python standard library and the mathematics of
docs/certificates.md (Sharkovsky, Li and Yorke). Nothing else of verichaos is
imported: the certifier that wrote the certificate is not trusted.

* reader.py: is the file well formed (exact numbers, known format and version,
  no unknown field, networks 1 -> ... -> 1 with piecewise-linear activations)?
  If not: MALFORMED, exit 3.
* exact.py, periods.py, entropy.py: does the claim hold? Exact evaluation and
  the local checks (exact.py), the period claims and the entropy claims, every
  value recomputed from the network. If not: REJECTED, exit 1.
* command.py: the verdict line and the command line.

Use: ``python -m verichaos.checker cert.json [--network net.json]``, or
``check_certificate(cert_obj, network_obj=None) -> (exit_code, line)``.
"""

from .command import check_certificate, main

__all__ = ["check_certificate", "main"]
