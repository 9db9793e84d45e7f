"""Output files appear whole or not at all.

Every file verichaos writes (certificates, pictures, results summaries,
exported models) is written to a temporary file in the destination's folder
and renamed over the destination only once complete: ``os.replace`` is
atomic on POSIX and Windows within one file system, so a run killed mid-write
(Ctrl-C, SIGTERM, a full disk) leaves the previous file or none, never half
of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomic"]


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it to ``path``, on failure remove it.

    The temporary name keeps ``path``'s suffix, so writers that choose a
    format by suffix (matplotlib) write the same format.
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would make every output private
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
