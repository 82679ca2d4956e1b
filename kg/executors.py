"""Where reports are extracted: in this process, in a pool of local processes, or on a Dask
distributed cluster. Each runs the same picklable function over independent tasks and hands
every result to `on_result` as soon as it arrives (in completion order; callers sort)."""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any

from .errors import KgError, UsageError

EXECUTORS = ("local", "dask")


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def settle_worker() -> None:
    """Tune the garbage collector of a worker process once it has loaded what every task uses.
    Everything alive then (the vocabulary, the compiled shapes and, forked, the parent's objects)
    lives as long as the process: frozen, the collector's full collections stop walking it for
    every task. A task's own objects (tokens, quads, the validator's index: hundreds of
    thousands) are freed by reference counting, so collecting every 700 allocations (the default)
    mostly finds nothing. Parsing and validation took ~30% longer before (bench/worker.py). Only
    for processes of our own pool: a caller's process, where a single task runs, is left as it is."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _worker_start(initializer: Callable | None, initargs: tuple) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and ends the workers, which
    # must not each print a traceback meanwhile
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a forked worker inherits the CLI's SIGTERM handler, which would turn the parent's
    # terminate() into an exception the pool catches, and the worker would go on working
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if initializer:
        initializer(*initargs)
    settle_worker()


def run_local(fn: Callable, tasks: Sequence[tuple], jobs: int, on_result: Callable[[Any], None],
              initializer: Callable | None = None, initargs: tuple = ()) -> None:
    """Run `fn(*task)` for every task on `jobs` processes (in this process when jobs is 1 or
    there is a single task). The first error cancels the tasks not started and is raised."""
    if jobs <= 1 or len(tasks) <= 1:
        if initializer:
            initializer(*initargs)
        for task in tasks:
            on_result(fn(*task))
        return
    # multiprocessing.Pool rather than concurrent.futures: its terminate() ends the workers and
    # their queues at once, where an interrupted ProcessPoolExecutor could hang the exit
    # Ctrl-C or SIGTERM while the pool is being made would leave it half-made and the workers
    # running: the signals wait (blocked, and the workers start with them blocked) until it exists
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        pool = multiprocessing.Pool(min(jobs, len(tasks)), initializer=_worker_start, initargs=(initializer, initargs))
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
    try:
        # each result is handed on (and its memory freed) as soon as it arrives
        for result in pool.imap_unordered(_apply, [(fn, task) for task in tasks]):
            on_result(result)
    except BaseException:
        # an error or an interrupt stops the build at once: the workers are ended, not waited for
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


def _apply(call: tuple[Callable, tuple]):
    fn, task = call
    return fn(*task)


def run_dask(fn: Callable, tasks: Sequence[tuple], scheduler: str, on_result: Callable[[Any], None],
             timeout: float = 10) -> None:
    """Run `fn(*task)` for every task on the Dask distributed cluster whose scheduler is at
    `scheduler` ("tcp://host:8786"). The workers must be able to import `kg` (same version).
    The first error cancels the rest and is raised."""
    try:
        from distributed import Client, as_completed
    except ImportError as e:  # declared in pyproject.toml; a trimmed install may lack it
        raise UsageError("--executor dask needs the 'distributed' package (pip install distributed)") from e
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise KgError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e
    try:
        futures = [client.submit(fn, *task, pure=False) for task in tasks]
        try:
            with client.as_current():   # as_completed looks for the current client
                for future in as_completed(futures):
                    on_result(future.result())
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()


def run(fn: Callable, tasks: Sequence[tuple], on_result: Callable[[Any], None], *, executor: str = "local",
        jobs: int | None = None, scheduler: str | None = None, initializer: Callable | None = None,
        initargs: tuple = ()) -> None:
    """Run the tasks on the chosen executor ("local" with `jobs` processes, or "dask" at `scheduler`)."""
    if executor == "local":
        run_local(fn, tasks, jobs or default_jobs(), on_result, initializer, initargs)
    elif executor == "dask":
        if not scheduler:
            raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        run_dask(fn, tasks, scheduler, on_result)
    else:
        raise UsageError(f"unknown executor {executor!r} (choose from {', '.join(EXECUTORS)})")
