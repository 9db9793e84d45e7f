"""How a conversion fails: one error type, and the optional packages it may need.

A model file that cannot become a verichaos network (an unsupported layer, a
smooth activation, two inputs, an unsafe pickle, a missing optional package)
raises :class:`ConversionError`. It is a
:class:`~verichaos.network.NetworkFormatError`, so every command that reads a
network reports it as one line with exit code 3, like any malformed input.

ONNX and PyTorch are optional extras: :func:`optional_import` imports them
only when a file of theirs is read or written, and says which extra to install.

>>> optional_import("json", "json").__name__
'json'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from verichaos.network import NetworkFormatError

__all__ = ["ConversionError", "optional_import"]


class ConversionError(NetworkFormatError):
    """A model that cannot be converted exactly; the message says which part and why."""


def optional_import(module: str, extra: str) -> ModuleType:
    """Import ``module``, or explain that the ``verichaos[extra]`` extra provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConversionError(
            f"this needs the optional package {module.split('.')[0]!r}: install verichaos[{extra}]"
        ) from None
