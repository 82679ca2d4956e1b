"""The local executor: results of every task, and the worker processes' garbage collector."""
from __future__ import annotations

import gc
import os

from kg.executors import run_local


def _collector_state(_: int) -> tuple[int, tuple[int, int, int], int]:
    return os.getpid(), gc.get_threshold(), gc.get_freeze_count()


def test_pool_workers_freeze_what_they_loaded_and_collect_less_often():
    # a pool worker freezes its long-lived objects (the parent's, inherited) and raises the first
    # threshold: the default (700) made full collections walk them for every report
    found = []
    run_local(_collector_state, [(i,) for i in range(4)], 2, found.append)
    assert len(found) == 4
    assert {pid for pid, _, _ in found} != {os.getpid()}
    assert all(threshold == (10_000, 10, 10) for _, threshold, _ in found)
    assert all(frozen > 1000 for _, _, frozen in found)


def test_a_single_task_runs_here_and_leaves_this_process_collector_alone():
    before = gc.get_threshold(), gc.get_freeze_count()
    found = []
    run_local(_collector_state, [(0,)], 2, found.append)
    assert found == [(os.getpid(), *before)]
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
