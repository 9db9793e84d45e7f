"""numpy ``.npz`` archives of ``W1, b1, W2, b2, …``, read exactly and safely.

The paper's notebooks keep their networks as numpy arrays; ``np.savez`` of
them is the plainest way to bring one in. Layer i is ``W{i}`` (out × in, as
``torch.nn.Linear``) and ``b{i}`` (length out), for i = 1 … n without gaps. A
1-D ``W1`` is read as a column (the input is one number) and a 1-D ``Wn`` as a
row (the output is one number), the shapes the notebooks use. The archive
does not store activations: they are an argument, by default ReLU on every
hidden layer and the identity on the output (the paper's f(x) = Σ aᵢ
ReLU(wᵢx + bᵢ) + c).

The archive is opened with ``allow_pickle=False``: an object array, which
would unpickle code, is refused.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tent.npz"
>>> np.savez(path, W1=[1.0, 1.0], b1=[0.0, -0.5], W2=[2.0, -4.0], b2=[0.0])
>>> from verichaos.rational import Q
>>> read_npz(path)(Q(2, 7))
mpq(4,7)
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verichaos.convert.chain import from_layers
from verichaos.convert.errors import ConversionError
from verichaos.convert.provenance import source_metadata
from verichaos.network import Activation, Network

__all__ = ["read_npz"]

_NAME = re.compile(r"([Wb])([1-9][0-9]*)")


def _load(path: Path) -> dict[str, np.ndarray]:
    # np.load unpickles a file that is neither .npy nor .npz; look for the zip first
    if path.is_file() and not zipfile.is_zipfile(path):
        raise ConversionError(f"{path}: not an .npz archive (np.savez writes a zip file)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except OSError as error:
        raise ConversionError(f"cannot read {path}: {error.strerror or error}") from None
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise ConversionError(f"{path}: holds an object array, which would need unpickling (running code from the file) to load; refused") from None
        raise ConversionError(f"{path}: not a readable .npz archive ({error})") from None
    except (zipfile.BadZipFile, EOFError) as error:
        raise ConversionError(f"{path}: not a readable .npz archive ({error})") from None


def _oriented(weight: np.ndarray, index: int, count: int) -> np.ndarray:
    if weight.ndim == 2:
        return weight
    if weight.ndim == 1 and index == 1:
        return weight.reshape(-1, 1)
    if weight.ndim == 1 and index == count:
        return weight.reshape(1, -1)
    raise ConversionError(f"W{index} has shape {list(weight.shape)}; expected a matrix (out × in)")


def read_npz(path: str | Path, activations: Sequence[Activation] | None = None) -> Network:
    """The exact network of an npz archive; ``activations`` default to ReLU hidden, identity output."""
    path = Path(path)
    arrays = _load(path)
    try:
        strangers = sorted(name for name in arrays if not _NAME.fullmatch(name))
        if strangers:
            raise ConversionError(f"unexpected array {strangers[0]!r}; expected W1, b1, W2, b2, ...")
        count = max((int(_NAME.fullmatch(name).group(2)) for name in arrays), default=0)
        missing = [f"{kind}{i}" for i in range(1, count + 1) for kind in "Wb" if f"{kind}{i}" not in arrays]
        if count == 0 or missing:
            raise ConversionError(f"missing array {missing[0] if missing else 'W1'}; expected W1, b1, W2, b2, ... without gaps")
        layers = [(_oriented(arrays[f"W{i}"], i, count), arrays[f"b{i}"].ravel()) for i in range(1, count + 1)]
        dtypes = [array.dtype for array in arrays.values()]
        return from_layers(layers, activations, source_metadata(path, "npz", dtypes), [f"W{i}, b{i}" for i in range(1, count + 1)])
    except ConversionError as error:
        raise ConversionError(f"{path}: {error}") from None
