"""verichaos.checker: the independent checker of verichaos certificates (docs/certificates.md).

Trusted: this package, the Python standard library and the mathematics of docs/certificates.md
(Sharkovsky, Li and Yorke); nothing else of verichaos is imported. reader.py: is the file well formed?
If not: MALFORMED, exit 3. exact.py (exact evaluation, local checks) and one module per claim kind
(periods.py, entropy.py, interval.py): does the claim hold? If not: REJECTED, exit 1. command.py:
the verdict line and the command line, ``python -m verichaos.checker cert.json [--network net.json]``,
or ``check_certificate(cert_obj, network_obj=None) -> (exit_code, line)``.
"""

from .command import check_certificate, main

__all__ = ["check_certificate", "main"]
