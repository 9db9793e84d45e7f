"""verichaos.checker: the independent checker of certificates (docs/certificates.md). It trusts itself, the
Python standard library and the mathematics of docs/certificates.md, and imports nothing else of verichaos.

reader.py: is the file well formed (else MALFORMED, exit 3)? exact.py and one module per claim kind (periods.py,
entropy.py, interval.py): does the claim hold (else REJECTED, exit 1)? command.py: every check in order, the verdict, the command
line, ``python -m verichaos.checker cert.json [--network net.json]`` or ``check_certificate(cert, network=None)``.
"""

from .command import check_certificate, main

__all__ = ["check_certificate", "main"]
