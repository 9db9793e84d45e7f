"""Where an imported network came from, recorded in its metadata.

Metadata is not part of a network's identity (its SHA-256 ignores it), so
recording the source changes no certificate; it lets a reader of the JSON file
trace it back to the exact model file:

>>> import tempfile, pathlib
>>> model = pathlib.Path(tempfile.mkdtemp()) / "m.npz"
>>> _ = model.write_bytes(b"abc")
>>> source_metadata(model, "npz", ["float64"])["imported_from"]["sha256"][:12]
'ba7816bf8f01'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from verichaos.convert.floats import dtype_label

__all__ = ["source_metadata"]


def source_metadata(path: Path, format: str, dtypes: Iterable[object], **details: object) -> dict[str, object]:
    """``{"imported_from": {format, file, sha256, dtype, ...}}`` for a model file."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return {"imported_from": {"format": format, "file": Path(path).name, "sha256": digest, "dtype": dtype_label(dtypes), **details}}
