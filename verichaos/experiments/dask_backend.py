"""A Dask distributed backend, for runs that outgrow one machine.

``DaskBackend("tcp://scheduler:8786")`` connects to a running scheduler;
``DaskBackend("local")`` starts a LocalCluster of two single-threaded worker
processes on this machine. Workers need verichaos installed (they import
:func:`verichaos.experiments.measure.measure_chunk`); they only compute, and
return records and certificates to this process, which alone writes files.
So the results are bit-identical to :class:`~verichaos.experiments.runner.LocalBackend`:
each trial depends only on (family, width, seed, index), and the runner
writes chunks in index order whatever order they finish in.

Needs the optional extra: ``pip install 'verichaos[dask]'``.

Example::

    from verichaos.experiments.dask_backend import DaskBackend
    with DaskBackend("local") as backend:
        summary = run(spec, Path("out"), backend)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["DaskBackend", "DaskUnavailableError", "LOCAL"]

LOCAL = "local"
LOCAL_WORKERS = 2


class DaskUnavailableError(RuntimeError):
    """Dask is not installed, or the scheduler cannot be reached."""


class DaskBackend:
    """Chunks run as Dask futures (``pure=False``: every chunk is computed, never deduplicated)."""

    def __init__(self, address: str):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise DaskUnavailableError("--dask needs dask.distributed: pip install 'verichaos[dask]'") from None
        self._cluster = None
        try:
            if address == LOCAL:
                self._cluster = LocalCluster(
                    n_workers=LOCAL_WORKERS, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as error:
            if self._cluster is not None:
                self._cluster.close()
            raise DaskUnavailableError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        self.workers = max(1, sum(self._client.nthreads().values()))

    def submit(self, function: Callable[[Any], Any], argument: Any) -> Any:
        return self._client.submit(function, argument, pure=False)

    def wait_first(self, pending: set[Any]) -> set[Any]:
        from distributed import wait

        return wait(list(pending), return_when="FIRST_COMPLETED").done

    def cancel(self, pending: Iterable[Any]) -> None:
        pending = list(pending)
        if pending:
            self._client.cancel(pending)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
