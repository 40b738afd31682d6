"""The Ray engine (extra ``floor[ray]``): the local engine's map and reduce tasks, run on a Ray cluster.

Two entry points:

* :func:`scan_to_dir_ray` (``floor scan -o DIR --engine ray``): one Ray task per input (or split of a large
  uncompressed JSONL input, :mod:`floor.sources.splits`) not yet completed in the counts directory. **Each
  task writes its own part**, with the very function the local engine runs in its worker processes
  (:func:`~floor.engines.tasks.scan_file_to_dir`), so parts are identical to the local engine's (same name,
  same spills, same ``part.json``), the task's memory stays bounded by spilling, no
  counts pass through the driver, and a killed run resumes (with either engine) by skipping completed parts.
  The price: DIR must be on a filesystem that every Ray node mounts at the same path (as the inputs must
  be anyway: tasks read them by path). A task that cannot see DIR fails with a one-line error saying so.
* :func:`summarize_ray` (``floor run --engine ray``, no counts directory): map tasks return their tables split
  by bucket as separate objects (numpy arrays, which Ray moves zero-copy through its object store), one
  reduce task per bucket merges that bucket's tables from every map and returns a small
  :class:`~floor.count.CountSummary`, and the driver adds the summaries. No shared filesystem is needed for
  output. (Ray Data's group-by is deliberately not used: it was measured 50x slower than numpy merges.)

Relative input paths are resolved against the driver's working directory on every node, and names, part
metadata and error messages keep them exactly as given, as the local engine does. ``-`` (stdin) can only be
read by the driver, so its map task runs there. An :class:`~floor.errors.FloorError` raised in a task reaches
the caller as itself (one line), not as a Ray traceback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from typing import Iterator, Sequence

from ..count import DEFAULT_BUCKETS, CountSummary, CountsDir, coverage, reduce_bucket
from ..count.dedup import combined, dedup_tables
from ..count.summary import domain_renames, summarize, summed_mentions, table_mentions
from ..count.store import MANIFEST, summed_documents
from ..errors import FloorError, SkipLog
from ..sources import STDIN
from .local import arm_parent_death_signal
from .tasks import (DEFAULT_SPILL_FACTS, DEFAULT_SPLIT_BYTES, ScanOptions, Task, count_file, domain_documents,
                    plan_tasks, scan_file_to_dir)

RAY_MISSING = "the ray engine needs the 'ray' extra: pip install 'hallucination-floor[ray]'"
# How long a failed scan waits for its other tasks to end before it returns the error. They are not cancelled:
# a cancel that races with its task's completion crashes Ray's driver (a core check, "it !=
# submissible_tasks_.end()", seen with Ray 2.60). A task that outlives the wait writes a complete part or none.
_FAILED_SCAN_GRACE_SECONDS = 10


def import_ray():
    try:
        import ray
    except ImportError:
        raise FloorError(RAY_MISSING) from None
    return ray


@contextlib.contextmanager
def ray_session(address: str | None = None, num_cpus: int | None = None):
    """Ray, connected: to ``address`` if given (``auto``: ``RAY_ADDRESS`` or the cluster started on this node
    with ``ray start``; ``HOST:PORT``; ``ray://HOST:PORT``), else to a new local instance with ``num_cpus`` CPUs.

    If this process is already connected to Ray (a notebook, a test fixture), that connection is used as is
    and left open. Otherwise the connection made here is closed on exit: a local instance started here is
    shut down; for a cluster given by ``address``, ``ray.shutdown()`` only disconnects this driver and the
    cluster keeps running.
    """
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    quiet = dict(log_to_driver=False, logging_level=logging.WARNING)
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            # "local": a new instance even if RAY_ADDRESS is set or a cluster runs on this node ("auto" is for those).
            ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"connect to Ray at {address}" if address else "start a local Ray instance"
        raise FloorError(f"cannot {where}: {_one_line(exc)}") from None
    try:
        yield ray
    finally:
        ray.shutdown()


def scan_to_dir_ray(paths: Sequence[str], options: ScanOptions, counts_dir: CountsDir, *,
                    address: str | None = None, num_cpus: int | None = None,
                    spill_facts: int = DEFAULT_SPILL_FACTS) -> None:
    """Count every input not yet completed in ``counts_dir``, one Ray task per input, each writing its part.

    The contract of :func:`floor.engines.local.scan_to_dir`; ``counts_dir`` must be on a filesystem shared
    by every Ray node.
    """
    todo = counts_dir.pending(plan_tasks(paths, options, counts_dir.split_bytes))
    if not todo:
        return
    counts_path, cwd = os.path.abspath(counts_dir.path), os.getcwd()
    own_instance = not address and not import_ray().is_initialized()
    with ray_session(address, num_cpus) as ray:
        scan_part = ray.remote(_scan_part)
        refs = [scan_part.remote(t, options, counts_path, spill_facts, cwd, own_instance)
                for t in todo if t.path != STDIN]
        try:
            if any(t.path == STDIN for t in todo):
                scan_file_to_dir(Task(STDIN), options, counts_path, spill_facts)
            _wait_all(ray, refs)
        except BaseException:
            if refs:  # the other tasks end before the caller cleans up, if they can do so soon
                ray.wait(refs, num_returns=len(refs), timeout=_FAILED_SCAN_GRACE_SECONDS)
            raise


def summarize_ray(paths: Sequence[str], options: ScanOptions, *, address: str | None = None,
                  num_cpus: int | None = None, buckets: int = DEFAULT_BUCKETS,
                  split_bytes: int | None = DEFAULT_SPLIT_BYTES, max_domains: int | None = None,
                  ) -> tuple[CountSummary, dict]:
    """Profiles and conflicting entities of ``paths``, map-reduced on Ray without a counts directory (one map
    task per file, or per split of a large uncompressed JSONL file). ``max_domains``: as for
    :meth:`~floor.count.CountsDir.summary`, chosen from every map's mentions before the reduce tasks start.

    Returns the summary and ``{"inputs", "documents", "skips", "coverage"}``, as ``CountsDir.summary()`` and
    ``CountsDir.metadata()`` would for the same inputs scanned with the local engine.
    """
    paths = list(paths)
    tasks = plan_tasks(paths, options, split_bytes)
    cwd = os.getcwd()
    with ray_session(address, num_cpus) as ray:
        # Outputs of one map: its tables of bucket 0 .. buckets-1, its dedup records (None without dedup), then
        # (documents, skips, mentions, documents per domain) as the last.
        count = ray.remote(num_returns=buckets + 2)(_count_buckets)
        maps = {t: count.remote(t, options, buckets, cwd) for t in tasks if t.path != STDIN}
        reduce = ray.remote(_reduce)
        if STDIN in paths:
            maps[Task(STDIN)] = [ray.put(out) for out in _count_buckets(Task(STDIN), options, buckets, cwd)]
        outputs = list(maps.values())
        # Fails fast on the first bad input; the other tasks' outputs are never fetched (see
        # _FAILED_SCAN_GRACE_SECONDS for why they are not cancelled).
        metas = _wait_all(ray, [outs[-1] for outs in outputs])
        rename = domain_renames(summed_mentions(mentions for _, _, mentions, _ in metas), max_domains)
        summaries = [reduce.remote(rename, *[outs[b] for outs in outputs]) for b in range(buckets)]
        deduplicated = ray.remote(_reduce_dedup).remote(options.dedup_threshold, rename,
                                                        *[outs[buckets] for outs in outputs]) \
            if options.dedup is not None else None
        total = sum(_wait_all(ray, summaries), CountSummary())
        if deduplicated is not None:
            total.dedup = _wait_all(ray, [deduplicated])[0]
    skips = SkipLog(on_error="skip")
    for _, skipped, _, _ in metas:
        skips.merge(SkipLog.from_dict(skipped))
    inputs = sorted({t.path for t in tasks})
    return total, {"inputs": inputs, "documents": sum(d for d, _, _, _ in metas), "skips": skips,
                   "coverage": coverage(True, len(inputs), len(inputs)),
                   "domain_documents": summed_documents(d for _, _, _, d in metas)}


# --- tasks ------------------------------------------------------------------------------------------------------

def _scan_part(task: Task, options: ScanOptions, counts_path: str, spill_facts: int, cwd: str,
               die_with_raylet: bool = False) -> int:
    """Map task of :func:`scan_to_dir_ray`: the local engine's, on a node that must see the counts directory.

    ``die_with_raylet``: the Ray instance is the driver's own, whose raylet (this worker's parent) Ray kills
    when the driver dies; the worker then dies at once too, rather than finish its part seconds after a killed
    scan, when a resumed one may be writing the same part.
    """
    if die_with_raylet:
        arm_parent_death_signal()
    if not os.path.isfile(os.path.join(counts_path, MANIFEST)):
        raise FloorError(f"{counts_path}: counts directory not found on Ray node {socket.gethostname()}; "
                         "with the ray engine it must be on a filesystem shared by every node")
    with _driver_cwd(task.path, cwd):
        return scan_file_to_dir(task, options, counts_path, spill_facts)


def _count_buckets(task: Task, options: ScanOptions, buckets: int, cwd: str) -> tuple:
    """Map task of :func:`summarize_ray`: one task's tables split by bucket, then ``(documents, skips, mentions
    per table, documents per domain)``."""
    with _driver_cwd(task.path, cwd):
        counter, skips = count_file(task.path, options, split=task.split)
    split: list[dict] = [{} for _ in range(buckets)]
    tables = counter.tables()
    for category, table in tables.items():
        for bucket, part in enumerate(table.split(buckets)):
            if len(part):
                split[bucket][category] = part
    # The skip log travels as written to part.json, so the driver rebuilds it exactly as CountsDir.metadata does.
    return (*split, counter.take_records(),
            (counter.documents, skips.as_dict(), table_mentions(tables), domain_documents(counter, options)))


def _reduce(rename: dict, *tables: dict) -> CountSummary:
    """Reduce task of :func:`summarize_ray`: one bucket's tables of every map (top-level arguments, so Ray
    hands them over as numpy arrays from its object store and fails this task if a map failed), summed under
    the ``rename`` of --max-domains."""
    return reduce_bucket(tables, rename)


def _reduce_dedup(threshold: float | None, rename: dict, *records) -> CountSummary:
    """Reduce task of :func:`summarize_ray` for counts made with dedup: the deduplicated summary of every map's
    records (clusters are found across all of them at once)."""
    return summarize(dedup_tables(combined([r] for r in records), threshold, rename))


@contextlib.contextmanager
def _driver_cwd(path: str, cwd: str) -> Iterator[None]:
    """Run in the driver's working directory if ``path`` is relative to it (workers may start elsewhere)."""
    if path == STDIN or os.path.isabs(path) or _getcwd() == cwd:
        yield
        return
    previous = _getcwd()
    try:
        os.chdir(cwd)
    except OSError:
        raise FloorError(f"{path}: relative input path, but the driver's working directory {cwd} is not on "
                         f"Ray node {socket.gethostname()}; give absolute paths") from None
    try:
        yield
    finally:
        if previous is not None:
            os.chdir(previous)


def _getcwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:
        return None


# --- driver helpers ---------------------------------------------------------------------------------------------

def _wait_all(ray, refs: list) -> list:
    """Values of ``refs`` in order; raises the first error as soon as any task fails (a FloorError as itself)."""
    values = {}
    pending = list(refs)
    while pending:
        # Everything finished so far, polled each second (one wait per result would cost O(inputs^2)).
        ready, pending = ray.wait(pending, num_returns=len(pending), timeout=1.0)
        for ref in ready:
            values[ref] = _get(ray, ref)
    return [values[ref] for ref in refs]


def _get(ray, ref):
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:
        cause = exc
        while isinstance(cause, ray.exceptions.RayTaskError) and cause.cause is not None:
            cause = cause.cause
        if isinstance(cause, FloorError):
            raise cause from None  # bad input: the same one-line error as the local engine
        raise  # a bug: keep Ray's remote traceback


def _one_line(exc: BaseException) -> str:
    """The first line of Ray's message (some carry a whole traceback after it)."""
    lines = str(exc).strip().splitlines()
    return lines[0].strip() if lines else type(exc).__name__
