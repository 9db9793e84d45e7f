"""Import and export of trained models: ONNX, PyTorch, safetensors, numpy.

Researchers keep their networks in PyTorch or ONNX; this package turns such a
file into the exact verichaos network it computes, and back.

* **Exact in.** Every float32/float64 weight becomes its exact binary rational
  (:mod:`~verichaos.convert.floats`); the certificate is about the very model
  that was trained, not an approximation of it. The network's metadata
  records the source format, file hash and dtype
  (:mod:`~verichaos.convert.provenance`).
* **Honest out.** Export rounds each rational to the nearest float of the
  target dtype and reports the largest rounding error, computed exactly;
  ``strict=True`` refuses instead of rounding.
* **Refusals that explain.** Anything that is not a one-input, one-output
  chain of affine layers and piecewise-linear activations is refused with the
  layer's name and the reason (:class:`~verichaos.convert.errors.ConversionError`).

========================  ==================  ===========================================
format                    module              suffixes
========================  ==================  ===========================================
verichaos network JSON    verichaos.network   .json
ONNX                      onnx_io             .onnx            (extra: verichaos[onnx])
PyTorch ``torch.save``    torch_io            .pt .pth .pkl .pickle .bin .ckpt (extra: verichaos[torch])
safetensors state dict    safetensors_io      .safetensors
numpy ``W1, b1, …``       npz_io              .npz
========================  ==================  ===========================================

>>> from importlib import resources
>>> load_any(str(resources.files("verichaos.examples").joinpath("tent.json"))).widths
(2,)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from verichaos.convert.errors import ConversionError
from verichaos.network import Network, load_network
from verichaos.output import atomic_path

if TYPE_CHECKING:
    from verichaos.convert.floats import Rounding

# The format modules (and numpy) are imported when a model file is read, so
# that reading a JSON network through load_any costs the CLI nothing at startup.

__all__ = ["FORMATS", "ConversionError", "detect_format", "load_any", "export"]

FORMATS = ("json", "onnx", "torch", "safetensors", "npz")
_SUFFIXES = {
    ".json": "json",
    ".onnx": "onnx",
    ".pt": "torch",
    ".pth": "torch",
    ".pkl": "torch",
    ".pickle": "torch",
    ".bin": "torch",
    ".ckpt": "torch",
    ".safetensors": "safetensors",
    ".npz": "npz",
}


def detect_format(path: Path) -> str:
    """The format a file's suffix names."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ConversionError(
            f"{path}: cannot tell the model format from the suffix {path.suffix!r}; "
            f"use --format ({', '.join(FORMATS)}) or one of {', '.join(_SUFFIXES)}"
        )
    return fmt


def load_any(path: str | Path, format: str = "auto", arch: str | None = None) -> Network:
    """The exact network in a JSON network file or a model file.

    ``arch`` lists the activation of each layer (``"relu,identity"``), for
    formats that do not store them: a state dict, safetensors, npz.
    """
    path = Path(path)
    fmt = detect_format(path) if format == "auto" else format
    if fmt not in FORMATS:
        raise ConversionError(f"unknown format {fmt!r}; choose one of auto, {', '.join(FORMATS)}")
    if not path.is_file():
        raise ConversionError(f"cannot read {path}: no such file")
    if fmt == "json" and arch is None:
        return load_network(path)
    if arch is not None and fmt in ("json", "onnx"):
        raise ConversionError(f"--arch is for state dicts and npz files; a {fmt} file names its own activations")
    from verichaos.convert.chain import parse_activations
    from verichaos.convert.npz_io import read_npz
    from verichaos.convert.onnx_io import read_onnx
    from verichaos.convert.safetensors_io import read_safetensors
    from verichaos.convert.torch_io import read_torch

    activations = parse_activations(arch) if arch is not None else None
    readers = {
        "onnx": lambda: read_onnx(path),
        "torch": lambda: read_torch(path, activations),
        "safetensors": lambda: read_safetensors(path, activations),
        "npz": lambda: read_npz(path, activations),
    }
    return readers[fmt]()


def export(network: Network, path: str | Path, to: str, dtype: str = "float32", strict: bool = False) -> Rounding:
    """Write ``network`` as an ONNX or PyTorch file (atomically: :mod:`verichaos.output`) and account for the rounding;
    with ``strict``, refuse (writing nothing) unless every value is exact."""
    from verichaos.convert.floats import DTYPES
    from verichaos.convert.onnx_io import encode_onnx
    from verichaos.convert.torch_io import encode_torch

    encoders = {"onnx": encode_onnx, "torch": encode_torch}
    if to not in encoders:
        raise ConversionError(f"cannot export to {to!r}; choose one of {', '.join(encoders)}")
    if dtype not in DTYPES:
        raise ConversionError(f"cannot export as {dtype!r}; choose one of {', '.join(DTYPES)}")
    data, rounding = encoders[to](network, dtype)
    if strict:
        rounding.require_exact()
    with atomic_path(path) as temporary:  # a killed export leaves the previous file or none, never half a model
        temporary.write_bytes(data)
    return rounding
