"""Counts directories on an object store (``floor scan ... -o s3://bucket/counts``, ``floor estimate s3://...``).

A counts directory is written and read on a local filesystem, where it has its lock and its atomic renames; on a
store it is the same files under a prefix. A scan to a URL works in a *working copy* on this machine
(:func:`working_copy`: ``remote-counts/<digest of the URL>`` in floor's cache folder), which a resumed scan first
fills with what the store holds (:func:`pull`), and puts the directory on the store once the scan has completed
(:func:`push`): every other file first, each part's ``part.json`` after its data, ``manifest.json`` last. A store
puts each object whole, so a reader never sees half a file, and sees a part only with its data. A killed scan's
completed parts stay in the working copy, where ``--resume`` on the same machine continues from them; elsewhere a
resume starts from what the store holds. Reading a URL (:func:`downloaded`) copies the directory into a temporary
one first. Not supported: two scans of one URL at once (a store has no lock), and the Ray engine (its workers
write on their own nodes).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from ..errors import FloorError
from ..extract.pattern_cache import cache_dir
from ..sources import remote
from ..outputs import LOCK_NAME
from .store import MANIFEST, PART_META

_LAST = (PART_META, MANIFEST)  # completion markers: put after the files they vouch for, the manifest last


def working_copy(url: str) -> Path:
    """Where a scan to ``url`` keeps its counts directory on this machine."""
    base = cache_dir() or Path(tempfile.gettempdir()) / "floor"
    return base / "remote-counts" / hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:24]


def stored(url: str) -> dict[str, int]:
    """The files of the counts directory at ``url``, by path under it, with their sizes ({} when there is none)."""
    fs, root = remote.filesystem(url)
    root = root.rstrip("/")
    try:
        with remote.as_os_error():
            fs.invalidate_cache(root)
            found = fs.find(root, detail=True)
    except OSError as exc:
        raise remote.failure(url, "list", exc) from None
    return {path[len(root) + 1:]: int(info.get("size") or 0) for path, info in found.items()
            if path.startswith(root + "/")}


def pull(url: str, local: Path, files: dict[str, int] | None = None) -> None:
    """Copy into ``local`` the files of ``url`` that it lacks or holds in another size."""
    fs, root = remote.filesystem(url)
    for name, size in sorted((files if files is not None else stored(url)).items()):
        target = local / name
        if target.is_file() and target.stat().st_size == size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".download")
        try:
            with remote.as_os_error():
                fs.get_file(f"{root.rstrip('/')}/{name}", str(partial))
        except OSError as exc:
            raise remote.failure(f"{url.rstrip('/')}/{name}", "read", exc) from None
        os.replace(partial, target)


def push(local: Path, url: str) -> None:
    """Put the counts directory ``local`` on the store at ``url`` (what the store already holds in the same size
    is not put again), its completion markers after the files they vouch for."""
    fs, root = remote.filesystem(url)
    there = stored(url)
    files = sorted(p for p in local.rglob("*") if p.is_file() and p.name != LOCK_NAME
                   and not any(part.startswith(".") or part.endswith(".tmp") for part in p.relative_to(local).parts))
    order = sorted(files, key=lambda p: (p.name == MANIFEST, p.name in _LAST, str(p)))
    for path in order:
        name = path.relative_to(local).as_posix()
        if there.get(name) == path.stat().st_size and path.name not in _LAST:
            continue
        try:
            with remote.as_os_error():
                fs.put_file(str(path), f"{root.rstrip('/')}/{name}")
        except OSError as exc:
            raise remote.failure(f"{url.rstrip('/')}/{name}", "write", exc) from None


def prepare_scan(url: str, resume: bool) -> Path:
    """The working copy a scan to ``url`` writes: what the store holds, with ``resume``; a fresh one without
    (a counts directory already on the store is refused then, as a local one is)."""
    local = working_copy(url)
    files = stored(url)
    if not resume:
        if MANIFEST in files:
            raise FloorError(f"{url}: counts directory exists; pass --resume to continue it, or choose a new path")
        shutil.rmtree(local, ignore_errors=True)
        return local
    if MANIFEST in files or not local.exists():
        pull(url, local, files)
    return local


@contextlib.contextmanager
def downloaded(url: str) -> Iterator[Path]:
    """A temporary copy of the counts directory at ``url``, for reading."""
    files = stored(url)
    if MANIFEST not in files:
        raise FloorError(f"{url}: not a counts directory (no {MANIFEST} there)")
    with tempfile.TemporaryDirectory(prefix="floor-counts-") as tmp:
        pull(url, Path(tmp), files)
        yield Path(tmp)
