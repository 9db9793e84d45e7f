"""verichaos: exact certificates of chaos for recurrent ReLU networks.

This module stays free of third-party imports so that the independent
checker (``verichaos.checker``) can be imported with the standard library
alone. Import the working modules directly::

    from verichaos.network import load_network
    from verichaos.pwl import PiecewiseLinear
"""

__version__ = "0.1.0"
