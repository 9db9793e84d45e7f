"""Runs: byte-identical whatever the workers and chunks, resumable, honest about interruptions and corruption."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verichaos.checker import check_certificate
from verichaos.experiments import runner
from verichaos.experiments.families import builtin_family
from verichaos.experiments.results import CorruptResultsError, ResultsExistError, RunSpec
from verichaos.experiments.runner import LocalBackend, RunInterrupted, WorkerError, run

SPEC = RunSpec(builtin_family("row2"), 2, 20221005, 40)


def files(folder: Path) -> tuple[bytes, bytes]:
    return (folder / "results.jsonl").read_bytes(), (folder / "results.csv").read_bytes()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """SPEC run in this process, one trial per chunk."""
    folder = tmp_path_factory.mktemp("reference")
    run(SPEC, folder, LocalBackend(1), chunk=1)
    return folder


def test_results_do_not_depend_on_workers_or_chunk_size(reference, tmp_path):
    with LocalBackend(2) as pool:
        summary = run(SPEC, tmp_path / "pool", pool, chunk=7)
    assert files(tmp_path / "pool") == files(reference)
    assert summary.to_json() == json.loads((reference / "summary.json").read_text())
    assert summary.complete and summary.n == 40


def test_certificates_of_a_run_are_rechecked_by_the_checker(reference):
    lines = (reference / "results.jsonl").read_text().splitlines()
    positives = [json.loads(line) for line in lines[1:] if json.loads(line)["period3"]]
    assert sorted(path.name for path in (reference / "certificates").iterdir()) == sorted(Path(r["certificate"]).name for r in positives)
    for record in positives:
        certificate = json.loads((reference / record["certificate"]).read_text())
        assert certificate["network_sha256"] == record["network_sha256"]
        assert check_certificate(certificate)[0] == 0


def test_resume_after_a_torn_write_gives_the_same_files(reference, tmp_path):
    folder = tmp_path / "torn"
    folder.mkdir()
    lines = (reference / "results.jsonl").read_bytes().splitlines(keepends=True)
    (folder / "results.jsonl").write_bytes(b"".join(lines[:12]) + lines[12][:30])  # hard kill mid-line
    summary = run(SPEC, folder, LocalBackend(1), resume=True)
    assert summary.complete and files(folder) == files(reference)


def test_a_shorter_run_extended_with_resume_gives_the_same_files(reference, tmp_path):
    run(RunSpec(SPEC.family, SPEC.width, SPEC.seed, 15), tmp_path, LocalBackend(1))
    run(SPEC, tmp_path, LocalBackend(1), resume=True)
    assert files(tmp_path) == files(reference)


class InterruptingBackend(LocalBackend):
    """In-process backend that receives Ctrl-C when the n-th chunk is submitted."""

    def __init__(self, after: int):
        super().__init__(1)
        self.left = after

    def submit(self, function, argument):
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt
        return super().submit(function, argument)


def test_ctrl_c_keeps_finished_trials_reports_incomplete_and_resume_completes(reference, tmp_path):
    with pytest.raises(RunInterrupted) as stop:
        run(SPEC, tmp_path, InterruptingBackend(after=6), chunk=5)
    summary = stop.value.summary
    assert not summary.complete and summary.status == "INCOMPLETE" and 0 < summary.n < 40
    assert "INCOMPLETE" in (tmp_path / "summary.md").read_text()
    assert json.loads((tmp_path / "summary.json").read_text())["status"] == "INCOMPLETE"
    assert run(SPEC, tmp_path, LocalBackend(1), resume=True).complete
    assert files(tmp_path) == files(reference)


def test_an_interrupt_while_a_chunk_lands_still_counts_that_chunk_in_the_summary(tmp_path, monkeypatch):
    """The signal arrives right after a chunk's lines reach the file (the CI failure: n = 0 beside a chunk)."""
    import signal

    from verichaos.experiments.results import ResultsWriter

    write = ResultsWriter.append

    def append_then_interrupt(self, records, certificates):
        write(self, records, certificates)
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(ResultsWriter, "append", append_then_interrupt)
    with pytest.raises(RunInterrupted) as stop:
        run(SPEC, tmp_path, LocalBackend(1), chunk=5)
    on_disk = (tmp_path / "results.jsonl").read_text().count("\n") - 1
    assert stop.value.summary.n == on_disk == 5
    assert json.loads((tmp_path / "summary.json").read_text())["n"] == 5


def test_existing_results_need_resume(reference):
    with pytest.raises(ResultsExistError, match="--resume"):
        run(SPEC, reference, LocalBackend(1))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda lines: lines[:5] + [b"{oops\n"] + lines[5:], "line 6: not valid JSON"),
        (lambda lines: lines[:5] + [b'{"index": 3}\n'] + lines[5:], "line 6: not a complete trial record"),
        (lambda lines: lines + [lines[4]], "appears twice"),
        (lambda lines: [lines[0].replace(b'"seed":20221005', b'"seed":1')] + lines[1:], "holds another run (seed differs)"),
        (lambda lines: [b"garbage\n"] + lines[1:], "line 1: the header is not valid JSON"),
    ],
)
def test_a_corrupt_resume_file_is_refused_with_the_line(reference, tmp_path, damage, message):
    lines = (reference / "results.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "results.jsonl").write_bytes(b"".join(damage(lines)))
    with pytest.raises(CorruptResultsError) as raised:
        run(SPEC, tmp_path, LocalBackend(1), resume=True)
    assert message in str(raised.value)


def test_a_failing_worker_stops_the_run(tmp_path, monkeypatch):
    def broken(chunk):
        raise ArithmeticError("boom")

    monkeypatch.setattr(runner, "measure_chunk", broken)
    with pytest.raises(WorkerError, match="ArithmeticError: boom"):
        run(SPEC, tmp_path, LocalBackend(1))


def test_chunks_are_small_enough_to_balance_and_to_stop_quickly():
    assert runner.chunk_size(width=2, pending=10_000, workers=2) == 1000
    assert runner.chunk_size(width=1024, pending=10_000, workers=2) == 7
    assert runner.chunk_size(width=2, pending=40, workers=2) == 5
