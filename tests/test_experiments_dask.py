"""The Dask backend on a LocalCluster gives the local backend's files byte for byte.

Needs dask.distributed (the optional extra ``verichaos[dask]``); skipped, with
the reason, when it is not installed.
"""

from __future__ import annotations

import pytest

pytest.importorskip("distributed", reason="the Dask backend needs dask.distributed: pip install 'verichaos[dask]'")

from verichaos.experiments.dask_backend import DaskBackend  # noqa: E402
from verichaos.experiments.families import builtin_family  # noqa: E402
from verichaos.experiments.results import RunSpec  # noqa: E402
from verichaos.experiments.runner import LocalBackend, run  # noqa: E402


def test_dask_local_cluster_is_bit_identical_to_local(tmp_path):
    spec = RunSpec(builtin_family("row2"), 2, 20221005, 20)
    run(spec, tmp_path / "local", LocalBackend(1))
    with DaskBackend("local") as backend:
        assert backend.workers == 2
        summary = run(spec, tmp_path / "dask", backend, chunk=3)
    assert summary.complete
    for name in ("results.jsonl", "results.csv", "summary.json"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
