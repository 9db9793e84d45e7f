"""The results file of a run: append-only JSON Lines, resumable, streamed.

``results.jsonl`` holds one header line, then one record per finished trial
(:mod:`verichaos.experiments.measure`; for a smooth family
:mod:`verichaos.experiments.smooth_measure`), each a complete JSON object on its own
line; a chunk's records are written in one write and one flush. The header
names the run:

    {"format": "verichaos-experiment-results", "version": 1,
     "family": {...the family file...}, "width": 2, "seed": 20221005}

The trial count is not part of the header, so a run can be extended (the
records of trials 0…N−1 do not depend on N); a summary counts the records
with index < trials.

Resuming reads the file once, line by line, keeping only a bitmap of the
indices present (memory: one bit per trial) and passing each record on to
the run's summary and ``results.csv`` (:class:`CsvWriter`), which then take
the new records as they are written: the file is never read a second time. A last line without its
newline is a write torn by a hard kill: it is cut off and that trial is
recomputed. Anything else that is not a valid record of this run (bad JSON,
a missing field, a duplicated index, a header for another run, a record of
the other kind of net) is a
:class:`CorruptResultsError`, never silently skipped.

>>> done = IndexBitmap(10)
>>> done.add(3); done.add(3)
>>> 3 in done, 4 in done, done.count
(True, False, 1)
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from verichaos.experiments.families import Family
from verichaos.dynamics.entropy import CHAOS_VALUES
from verichaos.experiments.measure import BOOLEAN_COLUMNS, CHAOS_COLUMN, COUNT_COLUMNS
from verichaos.experiments.smooth_measure import is_smooth_record, valid_smooth_record
from verichaos.output import atomic_path

__all__ = [
    "HEADER_FORMAT",
    "RESULTS_NAME",
    "RunSpec",
    "CorruptResultsError",
    "OutputError",
    "ResultsExistError",
    "IndexBitmap",
    "prepare_output",
    "scan_results",
    "ResultsWriter",
    "CSV_COLUMNS",
    "CsvWriter",
]

HEADER_FORMAT = "verichaos-experiment-results"
HEADER_VERSION = 1
RESULTS_NAME = "results.jsonl"
CHAOS_FIELDS = (CHAOS_COLUMN, "largest_power_of_two_period")
REQUIRED = ("index", "network_sha256", *CHAOS_FIELDS, *BOOLEAN_COLUMNS, *COUNT_COLUMNS, "fixed_intervals", "orbit", "grid_counts", "certificate")


class CorruptResultsError(ValueError):
    """A results file that cannot be resumed; the message says which line and why."""


class OutputError(OSError):
    """An output folder or file that cannot be written."""


class ResultsExistError(FileExistsError):
    """Results already exist where a fresh run would write them."""


@dataclass(frozen=True)
class RunSpec:
    """What a run samples and how many trials it wants."""

    family: Family
    width: int
    seed: int
    trials: int

    def header(self) -> dict[str, Any]:
        return {
            "format": HEADER_FORMAT,
            "version": HEADER_VERSION,
            "family": self.family.to_json(),
            "width": self.width,
            "seed": self.seed,
        }

    @property
    def label(self) -> str:
        parameters = "".join(f"-{k}{v:g}" for k, v in sorted(self.family.parameters.items()))
        return f"{self.family.name}{parameters}-k{self.width}-seed{self.seed}"


class IndexBitmap:
    """A set of trial indices in [0, size), one bit each."""

    def __init__(self, size: int):
        self.size = size
        self._bits = bytearray((size + 7) // 8)
        self.count = 0

    def __contains__(self, index: int) -> bool:
        return 0 <= index < self.size and bool(self._bits[index >> 3] & (1 << (index & 7)))

    def add(self, index: int) -> None:
        if index not in self:
            self._bits[index >> 3] |= 1 << (index & 7)
            self.count += 1


def prepare_output(folder: Path) -> None:
    """Create ``folder`` (and its certificates/ subfolder) and make sure it is writable."""
    try:
        (folder / "certificates").mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as error:
        raise OutputError(f"cannot write to output folder {folder}: {error.strerror or error}") from None


def _valid_record(record: object) -> bool:
    if is_smooth_record(record):
        return valid_smooth_record(record)
    return (
        isinstance(record, dict)
        and all(key in record for key in REQUIRED)
        and isinstance(record["index"], int)
        and not isinstance(record["index"], bool)
        and record["index"] >= 0
        and all(isinstance(record[key], bool) for key in BOOLEAN_COLUMNS)
        and all(isinstance(record[key], int) and not isinstance(record[key], bool) for key in COUNT_COLUMNS)
        and record[CHAOS_COLUMN] in CHAOS_VALUES
    )


def _parse_record(path: Path, number: int, text: str) -> dict[str, Any]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise CorruptResultsError(f"{path}, line {number}: not valid JSON ({error.msg})") from None
    if not _valid_record(record):
        raise CorruptResultsError(f"{path}, line {number}: not a complete trial record")
    return record


def _lines(path: Path) -> Iterator[tuple[int, int, str]]:
    """(line number, byte offset after the line, text) of every newline-terminated line."""
    offset = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.endswith(b"\n"):
                return  # torn final write
            offset += len(raw)
            try:
                yield number, offset, raw.decode("utf-8")
            except UnicodeDecodeError:
                raise CorruptResultsError(f"{path}, line {number}: not UTF-8 text") from None


def _check_header(path: Path, text: str, spec: RunSpec | None) -> dict[str, Any]:
    try:
        header = json.loads(text)
    except json.JSONDecodeError as error:
        raise CorruptResultsError(f"{path}, line 1: the header is not valid JSON ({error.msg})") from None
    if not isinstance(header, dict) or header.get("format") != HEADER_FORMAT or header.get("version") != HEADER_VERSION:
        raise CorruptResultsError(f"{path}, line 1: not a {HEADER_FORMAT} version {HEADER_VERSION} header")
    if spec is not None and header != spec.header():
        differing = sorted(key for key in set(header) | set(spec.header()) if header.get(key) != spec.header().get(key))
        raise CorruptResultsError(
            f"{path} holds another run ({', '.join(differing)} differ{'s' if len(differing) == 1 else ''}); "
            "choose another --out or the same family, width, parameters and seed"
        )
    return header


def scan_results(path: Path, spec: RunSpec, take: Callable[[dict[str, Any]], None] = lambda record: None) -> IndexBitmap:
    """The indices < spec.trials already in ``path``, each record of them passed to ``take`` in file
    order; cuts off a torn last line."""
    done = IndexBitmap(spec.trials)
    seen_beyond: set[int] = set()  # indices >= trials: a smaller rerun of a longer run; rare and few
    complete_bytes = 0
    for number, offset, text in _lines(path):
        complete_bytes = offset
        if number == 1:
            _check_header(path, text, spec)
            continue
        record = _parse_record(path, number, text)
        if is_smooth_record(record) != spec.family.is_smooth:
            kind = {True: "smooth", False: "piecewise-linear"}
            raise CorruptResultsError(f"{path}, line {number}: a {kind[is_smooth_record(record)]} net's record in a run of a {kind[spec.family.is_smooth]} family")
        index = record["index"]
        if index in done or index in seen_beyond:
            raise CorruptResultsError(f"{path}, line {number}: trial {index} appears twice")
        if index < spec.trials:
            done.add(index)
            take(record)
        else:
            seen_beyond.add(index)
    if complete_bytes == 0:
        raise CorruptResultsError(f"{path}: no complete header line")
    if path.stat().st_size != complete_bytes:
        with path.open("r+b") as stream:
            stream.truncate(complete_bytes)
    return done


class ResultsWriter:
    """Appends records (and writes certificates) for one run, a chunk's lines in one write and one flush:
    a kill mid-write tears at most the last line, which :func:`scan_results` cuts off on resume."""

    def __init__(self, folder: Path, spec: RunSpec, *, fresh: bool):
        self.folder = folder
        path = folder / RESULTS_NAME
        try:
            self._stream: IO[str] = path.open("w" if fresh else "a", encoding="utf-8")
            if fresh:
                self._write_lines([spec.header()])
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None

    def _write_lines(self, documents: list[dict[str, Any]]) -> None:
        self._stream.write("".join(json.dumps(document, separators=(",", ":")) + "\n" for document in documents))
        self._stream.flush()

    def append(self, records: list[dict[str, Any]], certificates: dict[str, dict[str, Any]]) -> None:
        """Certificates first, so a record never names a certificate that is not on disk."""
        try:
            for name, document in certificates.items():
                target = self.folder / name
                partial = target.with_suffix(".partial")
                partial.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
                os.replace(partial, target)
            self._write_lines(records)
        except OSError as error:
            raise OutputError(f"cannot write results in {self.folder}: {error.strerror or error}") from None

    def close(self) -> None:
        self._stream.close()


CSV_COLUMNS = ("index", "network_sha256", *CHAOS_FIELDS, *BOOLEAN_COLUMNS, *COUNT_COLUMNS, "fixed_intervals", "orbit", "certificate")


class CsvWriter:
    """``results.csv``, a row per record as the run takes it (booleans as 0/1, the orbit space-separated),
    so the finished run needs no second reading of ``results.jsonl``; a context manager that writes
    to a temporary file and renames it on a clean exit (removes it on an error). ``columns``:
    :data:`CSV_COLUMNS`, or :data:`~verichaos.experiments.smooth_measure.SMOOTH_CSV_COLUMNS` for a smooth run."""

    def __init__(self, target: Path, columns: tuple[str, ...] = CSV_COLUMNS):
        self.target, self.columns, self._files = target, columns, ExitStack()

    def __enter__(self) -> CsvWriter:
        try:
            temporary = self._files.enter_context(atomic_path(self.target))
            self._writer = csv.writer(self._files.enter_context(temporary.open("w", encoding="utf-8", newline="")))
            self._writer.writerow(self.columns)
        except OSError as error:
            self._files.close()
            raise OutputError(f"cannot write {self.target}: {error.strerror or error}") from None
        return self

    def add(self, record: dict[str, Any]) -> None:
        row = []
        for key in self.columns:
            value = record[key]
            if isinstance(value, bool):
                value = int(value)
            elif key == "orbit":
                value = " ".join(value or ())
            elif value is None:
                value = ""
            row.append(value)
        try:
            self._writer.writerow(row)
        except OSError as error:
            raise OutputError(f"cannot write {self.target}: {error.strerror or error}") from None

    def __exit__(self, *exception: object) -> None:
        try:
            self._files.__exit__(*exception)
        except OSError as error:
            raise OutputError(f"cannot write {self.target}: {error.strerror or error}") from None
