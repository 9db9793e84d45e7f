"""verichaos: exact certificates of chaos for recurrent ReLU networks.

The main entry points, importable from here::

    >>> import verichaos
    >>> net = verichaos.load_network({"format": "verichaos-network", "version": 1, "layers": [
    ...     {"weight": [[1], [1]], "bias": [0, "-1/2"], "activation": "relu"},
    ...     {"weight": [[2, -4]], "bias": [0], "activation": "identity"}]})
    >>> certificate = verichaos.certify(net)
    >>> certificate.claim, verichaos.check_certificate(certificate.document)[0]
    ('period-3', 0)

This module stays free of third-party imports so that the independent
checker (``verichaos.checker``) can be imported with the standard library
alone: each name below is imported from its module on first use.
"""

from importlib import import_module

__version__ = "0.1.0"

_ENTRY_POINTS = {
    "Q": "verichaos.rational",
    "parse_rational": "verichaos.rational",
    "canonical": "verichaos.rational",
    "exact_json": "verichaos.rational",
    "Network": "verichaos.network",
    "load_network": "verichaos.network",
    "PiecewiseLinear": "verichaos.pwl",
    "from_network": "verichaos.pwl",
    "periodic_orbits": "verichaos.dynamics",
    "Certificate": "verichaos.certificate",
    "certify": "verichaos.certificate",
    "check_certificate": "verichaos.checker",
    "BudgetExceeded": "verichaos.budget",
    "load_any": "verichaos.convert",
}

__all__ = ["__version__", *_ENTRY_POINTS]


def __getattr__(name: str) -> object:
    """The entry points, imported lazily (PEP 562)."""
    if name in _ENTRY_POINTS:
        return getattr(import_module(_ENTRY_POINTS[name]), name)
    raise AttributeError(f"module 'verichaos' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_ENTRY_POINTS])
