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
from .tasks import DEFAULT_SPILL_FACTS, ScanOptions, scan_file_to_dir, warm_up

# Forked workers inherit the compiled patterns and the prefilter database that warm_up() builds in the parent
# (about 0.35 s of compiling per process otherwise). Where fork is unavailable they build their own.
_FORK = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def scan_to_dir(paths: Sequence[str], options: ScanOptions, counts_dir: CountsDir, *, workers: int | None = None,
                spill_facts: int = DEFAULT_SPILL_FACTS, progress: progress_mod.Sink | None = None) -> None:
    """Count every input not yet completed in ``counts_dir``, ``workers`` files at a time.

    ``progress``: a sink (:mod:`floor.progress`) fed with the scan's progress from a monitor thread; default:
    the ambient one (:func:`floor.progress.use`), if any.
    """
    done = counts_dir.completed_inputs()
    todo = [p for p in paths if p not in done]
    workers = max(1, min(workers or default_workers(), len(todo) or 1))
    sink = progress if progress is not None else progress_mod.current()
    monitor = progress_mod.Monitor(todo, sink) if sink is not None and todo else None
    slots: list[int | None] = list(range(len(todo))) if monitor is not None else [None] * len(todo)
    if workers == 1 or "-" in todo:
        with monitor or contextlib.nullcontext(), progress_mod.serving(monitor.board if monitor else None):
            for path, slot in zip(todo, slots):
                scan_file_to_dir(path, options, str(counts_dir.path), spill_facts, slot)
        return
    initargs = (monitor.board.array, len(todo)) if monitor is not None else (None, 0)
    warm_up(options)
    with ProcessPoolExecutor(max_workers=workers, initializer=progress_mod.init_worker, initargs=initargs,
                             mp_context=_FORK) as pool:
        futures = [pool.submit(scan_file_to_dir, p, options, str(counts_dir.path), spill_facts, slot)
                   for p, slot in zip(todo, slots)]
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
