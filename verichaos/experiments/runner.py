"""Running an experiment: chunks of trials on a backend, results streamed to disk in index order.

A run (:class:`~verichaos.experiments.results.RunSpec`) is cut into chunks of
consecutive trial indices that are not yet on disk. Chunks go to a backend,
at most a small window of them at a time, so memory does not grow with the
number of trials; finished chunks are written in index order (a finished
chunk waits for the ones before it), so the results file of a run is the
same byte for byte whatever the backend, the number of workers, the chunk
size, and whether it was interrupted and resumed. Every trial's record
depends only on (family, width, seed, index)
(:mod:`verichaos.experiments.sampling`).

Backends: :class:`LocalBackend` (the calling process for ``jobs = 1``, else
a pool of worker processes that ignore Ctrl-C, so that the main process
decides what is kept) and :class:`verichaos.experiments.dask_backend.DaskBackend`.

Ctrl-C stops submitting, lets the running chunks finish or be cancelled,
keeps every record already written, and marks the summary INCOMPLETE. A
failing chunk stops the run with :class:`WorkerError`.

>>> import tempfile
>>> from verichaos.experiments.families import builtin_family
>>> with tempfile.TemporaryDirectory() as folder:
...     summary = run(RunSpec(builtin_family("row2"), 2, 1, 3), Path(folder), LocalBackend(1))
>>> summary.n, summary.status
(3, 'complete')
"""

from __future__ import annotations

import math
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from verichaos.experiments.measure import Chunk, measure_chunk
from verichaos.experiments.results import (
    CSV_COLUMNS,
    RESULTS_NAME,
    CsvWriter,
    IndexBitmap,
    ResultsExistError,
    ResultsWriter,
    RunSpec,
    prepare_output,
    scan_results,
)
from verichaos.experiments.smooth_measure import SMOOTH_CSV_COLUMNS, measure_smooth_chunk
from verichaos.experiments.smooth_summary import SmoothSummary
from verichaos.experiments.summary import Summary

__all__ = ["Backend", "LocalBackend", "WorkerError", "RunInterrupted", "run", "chunk_size", "progress_bar", "default_jobs"]


class WorkerError(RuntimeError):
    """A chunk of trials failed in a worker."""


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run; ``summary`` covers the trials already on disk."""

    def __init__(self, summary: Summary):
        super().__init__(summary.title())
        self.summary = summary


class Backend(Protocol):
    """Where chunks run. Futures need only ``.result()``."""

    workers: int

    def submit(self, function: Callable[[Any], Any], argument: Any) -> Any: ...

    def wait_first(self, pending: set[Any]) -> set[Any]: ...

    def cancel(self, pending: Iterable[Any]) -> None: ...

    def close(self) -> None: ...


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalBackend:
    """This machine: in-process for one job, else a process pool of ``jobs`` workers."""

    def __init__(self, jobs: int | None = None):
        self.workers = jobs or default_jobs()
        self._pool: ProcessPoolExecutor | None = None
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_ignore_interrupts)
            # Start the workers now, before any progress-bar thread exists in this process.
            self._pool.submit(int).result()

    def submit(self, function: Callable[[Any], Any], argument: Any) -> Future:
        if self._pool is not None:
            return self._pool.submit(function, argument)
        future: Future = Future()
        try:
            future.set_result(function(argument))
        except Exception as error:  # reported through the future, as a pool would
            future.set_exception(error)
        return future

    def wait_first(self, pending: set[Future]) -> set[Future]:
        return wait(pending, return_when=FIRST_COMPLETED).done

    def cancel(self, pending: Iterable[Future]) -> None:
        for future in pending:
            future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then deliver them to the handlers they had
    (the CLI maps both to KeyboardInterrupt).

    Landing a chunk writes its lines and then adds them to the summary and the CSV; an interrupt
    between the two would leave a summary that misses records the file holds (seen in CI: an
    INCOMPLETE summary with n = 0 beside a results file with a chunk in it)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are delivered to the main thread only: nothing to hold here
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, lambda number, frame: caught.append(number)) for number in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    for number in dict.fromkeys(caught):
        signal.raise_signal(number)


def chunk_size(width: int, pending: int, workers: int) -> int:
    """Trials per chunk: a fraction of a second of work (the exact cost grows like
    k log k; the interval filter, which decides most nets, wants large batches),
    and at least four chunks per worker when the run is small."""
    by_cost = max(1, min(1000, 8000 // max(width, 1)))
    by_balance = max(1, math.ceil(pending / (4 * workers)))
    return min(by_cost, by_balance)


def _chunks(spec: RunSpec, done: IndexBitmap, size: int) -> Iterator[Chunk]:
    batch: list[int] = []
    for index in range(spec.trials):
        if index in done:
            continue
        batch.append(index)
        if len(batch) == size:
            yield Chunk(spec.family, spec.width, spec.seed, tuple(batch))
            batch = []
    if batch:
        yield Chunk(spec.family, spec.width, spec.seed, tuple(batch))


def _in_order(backend: Backend, function: Callable[[Any], Any], tasks: Iterable[Any], window: int) -> Iterator[Any]:
    """``function(task)`` for every task, computed on the backend with at most
    ``window`` tasks submitted or buffered, yielded in task order."""
    tasks = iter(tasks)
    in_flight: dict[Any, int] = {}
    finished: dict[int, Any] = {}
    submitted = delivered = 0

    def fill() -> None:
        nonlocal submitted
        while len(in_flight) + len(finished) < window:
            task = next(tasks, None)
            if task is None:
                return
            in_flight[backend.submit(function, task)] = submitted
            submitted += 1

    try:
        fill()
        while in_flight or finished:
            while delivered in finished:
                yield finished.pop(delivered)
                delivered += 1
                fill()
            if not in_flight:
                continue
            for future in backend.wait_first(set(in_flight)):
                position = in_flight.pop(future)
                try:
                    finished[position] = future.result()
                except Exception as error:
                    raise WorkerError(f"a chunk of trials failed in a worker: {type(error).__name__}: {error}") from error
            fill()
    finally:
        backend.cancel(in_flight)


def progress_bar(enabled: bool = True) -> Progress:
    """A rich progress bar on stderr with rate and ETA; silent when stderr is not a terminal."""
    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
    )


def run(
    spec: RunSpec,
    folder: Path,
    backend: Backend,
    *,
    resume: bool = False,
    progress: Progress | None = None,
    chunk: int | None = None,
) -> Summary:
    """Run (or resume) ``spec`` into ``folder`` and return the summary of what is on disk.

    Writes ``results.jsonl``, ``results.csv``, ``summary.json``, ``summary.md``
    and ``certificates/``. Raises :class:`ResultsExistError` when results are
    already there and ``resume`` is false, and :class:`RunInterrupted` (after
    writing the partial summary) on Ctrl-C."""
    prepare_output(folder)
    path = folder / RESULTS_NAME
    fresh = not (path.exists() and path.stat().st_size > 0)
    if not fresh and not resume:
        raise ResultsExistError(f"{path} already holds results; pass --resume to continue that run, or choose another --out")
    smooth = spec.family.is_smooth  # no exact columns: period 3 by interval arithmetic (smooth_measure)
    summary = (SmoothSummary if smooth else Summary)(spec.family.name, spec.width, spec.seed, spec.family.parameters, spec.trials, spec.family.describe())
    interrupted = False
    with CsvWriter(folder / "results.csv", SMOOTH_CSV_COLUMNS if smooth else CSV_COLUMNS) as table:

        def take(record: dict[str, Any]) -> None:  # every record once, in file order: summary and CSV
            summary.add(record)
            table.add(record)

        done = IndexBitmap(spec.trials) if fresh else scan_results(path, spec, take)
        pending = spec.trials - done.count
        size = chunk or chunk_size(spec.width, pending, backend.workers)
        task = progress.add_task(spec.label, total=spec.trials, completed=done.count) if progress else None
        writer = ResultsWriter(folder, spec, fresh=fresh)
        try:
            measure = measure_smooth_chunk if smooth else measure_chunk
            for records, certificates in _in_order(backend, measure, _chunks(spec, done, size), 2 * backend.workers + 2):
                with _interrupts_deferred():
                    writer.append(records, certificates)
                    for record in records:
                        take(record)
                if progress:
                    progress.advance(task, len(records))
        except KeyboardInterrupt:
            interrupted = True
        finally:
            writer.close()
    summary.write(folder)
    if interrupted:
        raise RunInterrupted(summary)
    return summary
