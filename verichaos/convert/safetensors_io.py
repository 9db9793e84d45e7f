"""safetensors state dicts, read without PyTorch and without running anything.

A ``.safetensors`` file is an 8-byte little-endian header length, a JSON
header ``{name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}`` and
the raw little-endian tensor bytes. It holds no code, so reading it is safe by
construction; this module parses it with the standard library and numpy, so
neither PyTorch nor the ``safetensors`` package is needed.

The file does not keep the order of its tensors, so the layers are ordered by
their names, which must be ``nn.Sequential`` indices (``0.weight``,
``2.weight``, ``net.4.weight``, …), compared as numbers. Activations are not
stored either: they come from ``--arch``, as for a PyTorch state dict.

Example::

    net = read_safetensors("model.safetensors", parse_activations("relu,identity"))
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verichaos.convert.chain import from_layers
from verichaos.convert.errors import ConversionError
from verichaos.convert.provenance import source_metadata
from verichaos.convert.torch_io import state_dict_layers
from verichaos.network import Activation, Network

__all__ = ["read_safetensors_arrays", "read_safetensors"]

MAX_HEADER_BYTES = 100 * 2**20  # the safetensors format's own limit
_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1"}
_NAMES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16"}


def _tensor(body: bytes, name: str, info: object) -> np.ndarray:
    if not isinstance(info, dict) or info.get("dtype") not in _DTYPES:
        raise ConversionError(f"tensor {name!r}: dtype {info.get('dtype') if isinstance(info, dict) else info!r} is not supported")
    shape, offsets = info.get("shape"), info.get("data_offsets")
    if not (isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape)):
        raise ConversionError(f"tensor {name!r}: malformed shape {shape!r}")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets) and 0 <= offsets[0] <= offsets[1] <= len(body)):
        raise ConversionError(f"tensor {name!r}: data offsets {offsets!r} are outside the file")
    dtype = np.dtype(_DTYPES[info["dtype"]])
    if offsets[1] - offsets[0] != math.prod(shape) * dtype.itemsize:
        raise ConversionError(f"tensor {name!r}: {offsets[1] - offsets[0]} bytes do not hold shape {shape} of {info['dtype']}")
    array = np.frombuffer(body[offsets[0] : offsets[1]], dtype=dtype).reshape(shape)
    if info["dtype"] == "BF16":  # bfloat16 is the top half of a float32: widening is exact
        array = (array.astype("<u4") << 16).view("<f4")
    return array


def _layer_order(name: str) -> tuple[int, ...]:
    prefix = name.rpartition(".")[0]
    index = prefix.rpartition(".")[2]
    if not index.isdigit():
        raise ConversionError(
            f"tensor {name!r}: safetensors does not keep the order of layers, so names must end in "
            "nn.Sequential indices (0.weight, 2.weight, ...)"
        )
    return tuple(int(part) if part.isdigit() else -1 for part in prefix.split("."))


def read_safetensors_arrays(path: str | Path) -> tuple[dict[str, np.ndarray], list[str]]:
    """The tensors of a safetensors file in layer order, and the dtype of each."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConversionError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        size = int.from_bytes(data[:8], "little")
        if len(data) < 8 or size > min(MAX_HEADER_BYTES, len(data) - 8):
            raise ConversionError("not a safetensors file (bad header length)")
        try:
            header = json.loads(data[8 : 8 + size])
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ConversionError("not a safetensors file (header is not JSON)") from None
        if not isinstance(header, dict):
            raise ConversionError("not a safetensors file (header is not an object)")
        header.pop("__metadata__", None)
        body = data[8 + size :]
        names = sorted(header, key=_layer_order)
        return {name: _tensor(body, name, header[name]) for name in names}, [_NAMES.get(header[n]["dtype"], header[n]["dtype"].lower()) for n in names]
    except ConversionError as error:
        raise ConversionError(f"{path}: {error}") from None


def read_safetensors(path: str | Path, activations: Sequence[Activation] | None) -> Network:
    """The exact network of a safetensors state dict, with the activation of each layer."""
    path = Path(path)
    arrays, dtypes = read_safetensors_arrays(path)
    if activations is None:
        raise ConversionError(f"{path}: a safetensors file does not say which activations the model uses; give them with --arch, e.g. verichaos import MODEL --arch relu,identity")
    try:
        layers, names = state_dict_layers(arrays)
        return from_layers(layers, activations, source_metadata(path, "safetensors", dtypes), names)
    except ConversionError as error:
        raise ConversionError(f"{path}: {error}") from None
