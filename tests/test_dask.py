"""`kg build --executor dask` on a real local Dask cluster (scheduler and worker processes on
127.0.0.1): the output equals the local build, and no process is left behind."""
from __future__ import annotations

import subprocess
import sys

import psutil
import pytest

from kg.pipeline import CORPUS_DIR, build
from kg.store import open_store

distributed = pytest.importorskip("distributed", reason="declared in the test extras; CI installs it")


def _tracker(p: psutil.Process) -> bool:
    """multiprocessing's resource tracker: one per test process, it exits with it."""
    try:
        return "multiprocessing.resource_tracker" in " ".join(p.cmdline())
    except psutil.Error:
        return False


def test_dask_build_equals_local_build(tmp_path):
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    local = tmp_path / "local"
    build([CORPUS_DIR], local, jobs=1, use_cache=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster:
        workers = {p.pid for p in me.children(recursive=True) if not _tracker(p)} - before
        assert workers, "the cluster should run its worker in a separate process"
        out = tmp_path / "dask"
        summary = build([CORPUS_DIR], out, executor="dask", scheduler=cluster.scheduler_address, use_cache=False)
        assert summary.extracted == ["wic-2017-internet-development-trends", "wic-2018-wuzhen-outlook"]
        # through the command line too
        done = subprocess.run([sys.executable, "-m", "kg", "build", "--out", str(tmp_path / "cli"), "--quiet",
                               "--executor", "dask", "--scheduler", cluster.scheduler_address],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html"):
        assert (out / name).read_bytes() == (local / name).read_bytes(), name
        assert (tmp_path / "cli" / name).read_bytes() == (local / name).read_bytes(), name
    assert set(open_store(out / "store")) == set(open_store(local / "store"))
    psutil.wait_procs([psutil.Process(p) for p in workers if psutil.pid_exists(p)], timeout=20)
    left = [p for p in me.children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE and not _tracker(p)]
    assert [p.cmdline() for p in left] == []
    assert not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in workers)


def test_unreachable_scheduler_is_a_one_line_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kg", "build", "--out", str(tmp_path / "o"), "--executor", "dask",
                           "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert done.stderr.startswith("kg: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in done.stderr
