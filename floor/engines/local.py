"""The local engine: one map task per input file on a pool of worker processes, each writing its own part."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Sequence

from .. import progress as progress_mod
from ..count import CountsDir
from ..sources import STDIN
from .tasks import DEFAULT_SPILL_FACTS, ScanOptions, plan_tasks, scan_file_to_dir, warm_up

# Forked workers inherit the compiled patterns and the prefilter database that warm_up() builds in the parent
# (about 0.35 s of compiling per process otherwise). Where fork is unavailable they build their own.
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def scan_to_dir(paths: Sequence[str], options: ScanOptions, counts_dir: CountsDir, *, workers: int | None = None,
                spill_facts: int = DEFAULT_SPILL_FACTS, progress: progress_mod.Sink | None = None) -> None:
    """Count every input not yet completed in ``counts_dir``, ``workers`` map tasks at a time (one task per
    file, or per split of a large uncompressed JSONL file, as the directory's manifest says).

    ``progress``: a sink (:mod:`floor.progress`) fed with the scan's progress from a monitor thread; default:
    the ambient one (:func:`floor.progress.use`), if any.
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
    initargs = (monitor.board.array, len(todo)) if monitor is not None else (None, 0)
    warm_up(options)
    with ProcessPoolExecutor(max_workers=workers, initializer=progress_mod.init_worker, initargs=initargs,
                             mp_context=_FORK) as pool:
        futures = [pool.submit(scan_file_to_dir, task, options, str(counts_dir.path), spill_facts, slot)
                   for task, slot in zip(todo, slots)]
        # The monitor thread starts once the workers are forked.
        with monitor or contextlib.nullcontext():
            finished, pending = wait(futures, return_when=FIRST_EXCEPTION)
            for future in pending:
                future.cancel()
            for future in futures:
                if future.done() and not future.cancelled() and future.exception() is not None:
                    raise future.exception()


def remove_dir(path: str | Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
