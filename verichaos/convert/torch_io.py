"""PyTorch models in and out, loaded safely and converted exactly.

**Import** (:func:`read_torch`) reads a file written by ``torch.save``:

* a saved ``nn.Sequential`` of ``Linear``, ``ReLU``, ``LeakyReLU``,
  ``Hardtanh`` (and ``ReLU6``), ``Tanh``, ``Sigmoid``, ``Identity`` and ``Flatten``: the activations
  are read from the modules, their parameters at the exact value of the
  Python float they store;
* a ``state_dict`` (or a checkpoint dict holding one under ``state_dict``,
  ``model_state_dict`` or ``model``) plus the activation of each layer
  (``--arch``): the entries are the ``Linear`` layers' ``weight`` and ``bias``
  in the dict's order.

``nn.Tanh`` and ``nn.Sigmoid`` become the smooth activations ``tanh`` and
``sigmoid`` (certified by enclosures, :mod:`verichaos.smooth`); another smooth
one (``nn.GELU``, ``nn.SiLU``, …) is refused with the reason: f would not be
piecewise linear. Any other module is refused
by name.

Loading is safe: only ``torch.load(..., weights_only=True)``, PyTorch's
restricted unpickler, which builds tensors and containers and the module
classes named above, and refuses anything else *before* running it. A pickle
that would call ``os.system`` or a class of its own on load is refused with an
explanation; nothing from the file runs. (``.safetensors`` files are read by
:mod:`verichaos.convert.safetensors_io` without PyTorch.)

**Export** (:func:`encode_torch`) saves an ``nn.Sequential`` with ``torch.save``,
every value rounded to the chosen dtype and accounted
(:class:`~verichaos.convert.floats.Rounding`); activation parameters are
Python floats, so they are rounded to float64. PyTorch has no module for
``abs``, so a network using it is refused (export it to ONNX).

PyTorch is an optional extra (``pip install verichaos[torch]``); this module
imports without it and says so when a function needs it.

Example (needs ``verichaos[torch]``)::

    model = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    torch.save(model, "model.pt")
    net = read_torch("model.pt")            # exact binary values of the float32 weights
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from verichaos.convert.chain import ChainBuilder, from_layers
from verichaos.convert.errors import ConversionError, optional_import
from verichaos.convert.floats import Rounding, exact_matrix, exact_values
from verichaos.convert.provenance import source_metadata
from verichaos.network import Activation, Network, NetworkFormatError, parse_activation
from verichaos.rational import from_float

__all__ = ["SUPPORTED_MODULES", "read_torch", "state_dict_layers", "encode_torch"]

SUPPORTED_MODULES = ("Sequential", "Linear", "ReLU", "LeakyReLU", "Hardtanh", "ReLU6", "Tanh", "Sigmoid", "Identity", "Flatten")
# Smooth activations are allowed to *load* (they are plain torch classes) so
# that the refusal can name them and say why, instead of "unsupported global".
_SMOOTH_MODULES = ("GELU", "Softplus", "ELU", "SELU", "CELU", "SiLU", "Mish", "Softsign", "LogSigmoid", "Hardswish")
_CHECKPOINT_KEYS = ("state_dict", "model_state_dict", "model")
_GLOBAL = re.compile(r"GLOBAL ([\w.]+)")
_UNPICKLER_REASON = re.compile(r"WeightsUnpickler error:\s*([^\n]+)")


def _torch():
    return optional_import("torch", "torch")


def _array(tensor) -> np.ndarray:
    """A tensor's values as numpy, exactly (bfloat16 widens exactly to float32)."""
    tensor = tensor.detach().cpu()
    if tensor.dtype == _torch().bfloat16:
        tensor = tensor.float()  # float ok: bfloat16 widens to float32 exactly
    return tensor.numpy()


def _dtype_name(tensor) -> str:
    return str(tensor.dtype).removeprefix("torch.")


def _why_refused(path: Path, error: Exception) -> str:
    text = str(error)
    found = _GLOBAL.search(text)
    if found is None:
        reason = _UNPICKLER_REASON.search(text)
        detail = reason.group(1).strip() if reason else (text.strip().splitlines() or [type(error).__name__])[0][:200]
        if not zipfile.is_zipfile(path):
            return (
                f"it is not a zip-format torch.save checkpoint ({detail}): it may be a plain pickle, which can "
                "run any code on load, or a module saved in PyTorch's legacy format"
            )
        return f"it is not a checkpoint that PyTorch's safe loader can read ({detail})"
    name = found.group(1)
    module, _, cls = name.rpartition(".")
    if module.startswith("torch.nn.modules") and cls in SUPPORTED_MODULES:  # only where torch has no safe_globals
        return "this PyTorch cannot load a saved module safely (that needs torch >= 2.5); save model.state_dict() and give --arch"
    if module.startswith("torch.nn.modules"):
        return f"module {cls} is not supported; verichaos imports an nn.Sequential of {', '.join(SUPPORTED_MODULES[1:])}"
    return (
        f"loading it would call {name}, and a pickle can use such a call to run arbitrary code; "
        "save the weights instead (torch.save(model.state_dict(), ...) or safetensors)"
    )


def _load(path: Path):
    torch = _torch()
    allowed = [getattr(torch.nn, name) for name in SUPPORTED_MODULES + _SMOOTH_MODULES if hasattr(torch.nn, name)]
    allow = getattr(torch.serialization, "safe_globals", None)
    try:
        with allow(allowed) if allow else contextlib.nullcontext(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the refusal below says all there is to say, in one line
            return torch.load(path, map_location="cpu", weights_only=True)
    except OSError as error:
        raise ConversionError(f"cannot read {path}: {error.strerror or error}") from None
    except Exception as error:  # the restricted unpickler and the zip reader raise many types
        raise ConversionError(
            f"{path}: refused: {_why_refused(path, error)}. verichaos loads PyTorch files only with "
            "torch.load(weights_only=True), which never runs code from the file"
        ) from None


def state_dict_layers(arrays: Mapping[str, np.ndarray]) -> tuple[list[tuple[np.ndarray, np.ndarray | None]], list[str]]:
    """The ``(weight, bias)`` of each ``Linear`` in a state dict, in the dict's order, and their names."""
    groups: dict[str, dict[str, np.ndarray]] = {}
    for key, value in arrays.items():
        prefix, _, leaf = key.rpartition(".")
        if leaf not in ("weight", "bias"):
            raise ConversionError(f"state dict entry {key!r} is not a Linear weight or bias; verichaos reads nn.Sequential of Linear layers")
        groups.setdefault(prefix, {})[leaf] = value
    layers = []
    for prefix, entry in groups.items():
        if "weight" not in entry:
            raise ConversionError(f"state dict has {prefix}.bias but no {prefix}.weight")
        weight = entry["weight"]
        if weight.ndim != 2:
            raise ConversionError(f"state dict entry {prefix}.weight has shape {list(weight.shape)}: not a Linear layer (a convolution?); only Linear layers are supported")
        layers.append((weight, entry.get("bias")))
    if not layers:
        raise ConversionError("the state dict has no layers")
    return layers, [f"{prefix or 'root'} (Linear)" for prefix in groups]


def _from_state_dict(path: Path, tensors: Mapping[str, object], activations: Sequence[Activation] | None) -> Network:
    torch = _torch()
    bad = next((key for key, value in tensors.items() if not isinstance(value, torch.Tensor)), None)
    if bad is not None:
        raise ConversionError(f"{path}: entry {bad!r} is a {type(tensors[bad]).__name__}, not a tensor")
    if activations is None:
        raise ConversionError(f"{path}: a state_dict does not say which activations the model uses; give them with --arch, e.g. verichaos import MODEL --arch relu,identity")
    layers, names = state_dict_layers({key: _array(value) for key, value in tensors.items()})
    metadata = source_metadata(path, "torch", [_dtype_name(t) for t in tensors.values()], kind="state_dict")
    return from_layers(layers, activations, metadata, names)


def _activation(spec: object, where: str) -> Activation:
    try:
        return parse_activation(spec, where)
    except NetworkFormatError as error:
        raise ConversionError(str(error)) from None


def _from_module(path: Path, module) -> Network:
    nn = _torch().nn
    chain, dtypes = ChainBuilder(), set()

    def walk(prefix: str, part) -> None:
        if isinstance(part, nn.Sequential):
            for name, child in part.named_children():
                walk(f"{prefix}.{name}" if prefix else name, child)
            return
        where = f"module {prefix or 'root'} ({type(part).__name__})"
        if isinstance(part, nn.Linear):
            dtypes.add(_dtype_name(part.weight))
            bias = None if part.bias is None else exact_values(_array(part.bias), f"{where} bias")
            chain.affine(exact_matrix(_array(part.weight), f"{where} weight"), bias, where)
        elif isinstance(part, nn.Hardtanh):  # ReLU6 is Hardtanh(0, 6)
            chain.activate(_activation({"name": "hardtanh", "min": from_float(part.min_val), "max": from_float(part.max_val)}, where))
        elif isinstance(part, nn.LeakyReLU):
            chain.activate(_activation({"name": "leaky_relu", "alpha": from_float(part.negative_slope)}, where))
        elif isinstance(part, nn.ReLU):
            chain.activate(_activation("relu", where))
        elif isinstance(part, (nn.Tanh, nn.Sigmoid)):
            chain.activate(_activation(type(part).__name__.lower(), where))
        elif isinstance(part, nn.Identity) or (isinstance(part, nn.Flatten) and part.start_dim == 1 and part.end_dim == -1):
            pass  # the running value is (batch, features): nothing changes
        elif type(part).__name__ in _SMOOTH_MODULES:
            _activation(type(part).__name__.lower(), where)  # raises, with the reason
        else:
            raise ConversionError(f"{where}: not supported; verichaos imports an nn.Sequential of {', '.join(SUPPORTED_MODULES[1:])}")

    try:
        walk("", module)
        return chain.network(source_metadata(path, "torch", dtypes, kind="module"))
    except ConversionError as error:
        raise ConversionError(f"{path}: {error}") from None


def read_torch(path: str | Path, activations: Sequence[Activation] | None = None) -> Network:
    """The exact network of a ``torch.save`` file: a saved module, or a state dict with ``activations``."""
    torch = _torch()
    path = Path(path)
    loaded = _load(path)
    if isinstance(loaded, Mapping) and not any(isinstance(v, torch.Tensor) for v in loaded.values()):
        loaded = next((loaded[key] for key in _CHECKPOINT_KEYS if isinstance(loaded.get(key), (Mapping, torch.nn.Module))), loaded)
    if isinstance(loaded, torch.nn.Module):
        if activations is not None:
            raise ConversionError(f"{path}: a saved module names its own activations; --arch is for state dicts")
        return _from_module(path, loaded)
    if isinstance(loaded, Mapping):
        return _from_state_dict(path, loaded, activations)
    raise ConversionError(f"{path}: holds a {type(loaded).__name__}; expected an nn.Sequential or a state_dict")


def encode_torch(network: Network, dtype: str = "float32") -> tuple[bytes, Rounding]:
    """The ``torch.save`` file of ``network`` as an ``nn.Sequential`` in ``dtype``, and its :class:`Rounding`."""
    torch = _torch()
    nn = torch.nn
    rounding, modules = Rounding(), []
    for index, layer in enumerate(network.layers):
        weight, bias = rounding.layer_arrays(layer, index, dtype)
        linear = nn.Linear(layer.fan_in, layer.fan_out, dtype=getattr(torch, dtype))
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weight))
            linear.bias.copy_(torch.from_numpy(bias))
        modules.append(linear)
        activation, params = layer.activation, dict(layer.activation.params)
        where = f"layer {index} {activation.name}"
        # export writes the float64 nearest each rational, chosen exactly by rounding()
        stored = {key: float(rounding(value, "float64", f"{where} {key}")) for key, value in params.items()}  # float ok
        if activation.name == "relu":
            modules.append(nn.ReLU())
        elif activation.name == "leaky_relu":
            modules.append(nn.LeakyReLU(stored["alpha"]))
        elif activation.name == "hardtanh":
            modules.append(nn.Hardtanh(stored["min"], stored["max"]))
        elif activation.name == "tanh":
            modules.append(nn.Tanh())
        elif activation.name == "sigmoid":
            modules.append(nn.Sigmoid())
        elif activation.name == "abs":
            raise ConversionError(f"{where}: PyTorch has no module for abs; export this network to ONNX instead")
    buffer = io.BytesIO()
    torch.save(nn.Sequential(*modules), buffer)
    return buffer.getvalue(), rounding
