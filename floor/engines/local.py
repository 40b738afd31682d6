"""The local engine: one map task per input file on a pool of worker processes, each writing its own part.

Worker processes never outlive the scan: each dies with the process that started it, even when that process is
killed outright (``kill -9``, the OOM killer), so no orphan keeps writing into the counts directory. A worker
that dies while the scan runs stops it with a one-line error naming the input it was on.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait as wait_sentinels
from typing import Sequence

from .. import progress as progress_mod
from ..count import CountsDir
from ..errors import FloorError
from ..sources import STDIN
from .tasks import DEFAULT_SPILL_FACTS, ScanOptions, Task, plan_tasks, scan_file_to_dir, warm_up

# Forked workers inherit the compiled patterns and the prefilter database that warm_up() builds in the parent
# (about 0.35 s of compiling per process otherwise). Where fork is unavailable they build their own.
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often a worker without PR_SET_PDEATHSIG looks whether its parent is still alive.
_PARENT_WATCH_SECONDS = 0.5


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def scan_to_dir(paths: Sequence[str], options: ScanOptions, counts_dir: CountsDir, *, workers: int | None = None,
                spill_facts: int = DEFAULT_SPILL_FACTS, progress: progress_mod.Sink | None = None) -> None:
    """Count every input not yet completed in ``counts_dir``, ``workers`` map tasks at a time (one task per
    file, or per split of a large uncompressed JSONL file, as the directory's manifest says).

    ``progress``: a sink (:mod:`floor.progress`) fed with the scan's progress from a monitor thread; default:
    the ambient one (:func:`floor.progress.use`), if any.

    A worker process that dies (killed by a signal, or the OOM killer) raises :class:`WorkerDied` naming the
    input it was on, once the other workers are stopped; completed parts stay, so the scan can be resumed.
    """
    todo = counts_dir.pending(plan_tasks(paths, options, counts_dir.split_bytes))
    workers = max(1, min(workers or default_workers(), len(todo) or 1))
    sink = progress if progress is not None else progress_mod.current()
    monitor = progress_mod.Monitor([t.label() for t in todo], sink, sizes=[t.size() for t in todo]) \
        if sink is not None and todo else None
    slots: list[int | None] = list(range(len(todo))) if monitor is not None else [None] * len(todo)
    if workers == 1 or any(t.path == STDIN for t in todo):
        with monitor or contextlib.nullcontext(), progress_mod.serving(monitor.board if monitor else None):
            for task, slot in zip(todo, slots):
                scan_file_to_dir(task, options, str(counts_dir.path), spill_facts, slot)
        return
    crew = _Crew(todo)
    initargs = (os.getpid(), crew.runners, monitor.board.array if monitor is not None else None, len(todo))
    warm_up(options)
    try:
        # The thread that forks the workers (this one, at the first submit) outlives them: the pool is shut down
        # before this block ends, so a death signal tied to the forking thread only fires when the process dies.
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=initargs,
                                 mp_context=_FORK) as pool:
            futures = [pool.submit(_run_task, index, task, options, str(counts_dir.path), spill_facts, slot)
                       for index, (task, slot) in enumerate(zip(todo, slots))]
            crew.watch(pool, futures)
            # The monitor thread starts once the workers are forked.
            with monitor or contextlib.nullcontext():
                finished, pending = wait(futures, return_when=FIRST_EXCEPTION)
                for future in pending:
                    future.cancel()
                for future in futures:
                    if future.done() and not future.cancelled() and future.exception() is not None:
                        raise future.exception()
    except BrokenProcessPool:
        # Every worker is stopped now; what the killed tasks had written is no part, and only takes space.
        counts_dir.remove_temporary_parts()
        raise crew.death() from None


class WorkerDied(FloorError):
    """A worker process died (killed by a signal, or the OOM killer): not the input's fault, and the parts
    completed so far are sound, so the scan can be resumed."""


class _Crew:
    """The worker processes of one scan and the task each is running, so that a worker that dies can be named
    by its input and the way it died."""

    def __init__(self, todo: Sequence[Task]):
        self.todo = list(todo)
        # runners[i]: the pid of the worker running task i, 0 when none is (shared with the forked workers).
        self.runners = multiprocessing.RawArray("q", max(1, len(self.todo)))
        self.processes: dict = {}
        self.dead: list = []

    def watch(self, pool: ProcessPoolExecutor, futures: Sequence[Future]) -> None:
        # The pool's processes are all started by the first submit (fork) and never replaced. When one dies, the
        # pool fails the pending futures first and only then terminates the other workers, so a callback of the
        # first failed future sees just the process(es) that died of their own.
        self.processes = dict(pool._processes)
        for future in futures:
            future.add_done_callback(self._on_done)

    def _on_done(self, future: Future) -> None:
        if self.dead or future.cancelled() or not isinstance(future.exception(), BrokenProcessPool):
            return
        sentinels = {p.sentinel: p for p in self.processes.values()}
        self.dead = [sentinels[s] for s in wait_sentinels(list(sentinels), timeout=0)]

    def death(self) -> WorkerDied:
        """The error for a broken pool, once its processes are joined: which worker died, on what, and how."""
        if not self.dead:  # the pool broke before it was watched
            return WorkerDied("a worker process died")
        process = self.dead[0]
        how = _exit_description(process.exitcode)
        tasks = [task for task, pid in zip(self.todo, self.runners) if pid == process.pid]
        where = f"worker on {tasks[0].label()}" if tasks else "a worker between inputs"
        return WorkerDied(f"{where} died ({how})")


def _exit_description(exitcode: int | None) -> str:
    """How a process ended, from its ``multiprocessing`` exit code (minus the signal that killed it)."""
    if not exitcode:
        return "exited"
    if exitcode < 0:
        try:
            name = f", {signal.Signals(-exitcode).name}"
        except ValueError:
            name = ""
        return f"killed by signal {-exitcode}{name}"
    return f"exited with status {exitcode}"


# --- worker side ------------------------------------------------------------------------------------------------

_RUNNERS = None  # in a worker: the scan's task -> pid array (see _Crew)


def _init_worker(parent: int, runners, progress_array, inputs: int) -> None:
    """Pool initializer: die with ``parent``; then the scan's shared arrays."""
    global _RUNNERS
    _die_with(parent)
    _RUNNERS = runners
    progress_mod.init_worker(progress_array, inputs)


def _run_task(index: int, task: Task, *args) -> int:
    _RUNNERS[index] = os.getpid()
    try:
        return scan_file_to_dir(task, *args)
    finally:
        _RUNNERS[index] = 0


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` dies (Linux), or else watch it from a daemon thread.

    A worker left running after its parent was killed would hold on to its task forever, or race a resumed scan
    for the same part.
    """
    if not arm_parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), name="floor-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        _orphaned()


def arm_parent_death_signal() -> bool:
    """Have the kernel SIGKILL this process when its parent dies (Linux ``PR_SET_PDEATHSIG``); False where that
    is unavailable. The signal comes when the parent thread that forked this process ends, so the parent must
    fork from a thread that lives as long as it needs the child."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_WATCH_SECONDS)
    _orphaned()


def _orphaned() -> None:
    # At once, without cleanup: whatever this worker has left, the resumed scan cleans up.
    os._exit(1)
