"""Atomic outputs: a run that fails leaves no partial file behind, and a directory is replaced whole."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, directory: bool = False):
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    With ``directory=True`` the temporary path is a fresh directory that replaces ``path`` as a whole.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if directory:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a written file gets the usual mode
    try:
        yield tmp
        if directory and target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", **kwargs):
    """Open a temporary file for writing that becomes ``path`` only when the block succeeds."""
    with atomic_path(path) as tmp:
        with open(tmp, mode, **kwargs) as handle:
            yield handle


# --- directories that floor replaces or removes -----------------------------------------------------------------
# A directory is built under a temporary name beside its target (``.NAME.XXXXXXXX.tmp``, locked by its builder
# through its ``.lock`` file) and moved into place only when complete; an old target is exchanged with the new
# one in one step, so a kill at any moment leaves the old or the new directory whole at the target. Temporaries
# that a killed run left are recognized by that name and a lock that nobody holds, and cleaned by the next run.

LOCK_NAME = ".lock"
_OLD_SUFFIX = ".old.tmp"
# A temporary without its lock file may be one that another run has only just made.
_UNLOCKED_GRACE_SECONDS = 60


class DirectoryBusy(Exception):
    """Another process (or a process forked from it) holds the directory's lock."""


class DirectoryLock:
    """An exclusive advisory lock on ``DIR/.lock`` (``flock``), held until :meth:`release`.

    Processes forked while it is held share it, so it stays held until they all exit: workers left running by a
    killed parent keep their directory locked. Where ``fcntl`` does not exist (Windows) nothing is locked.
    """

    def __init__(self, directory: str | os.PathLike):
        self._file = open(Path(directory) / LOCK_NAME, "a+b")
        if fcntl is not None:
            try:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._file.close()
                raise DirectoryBusy(str(directory)) from None

    def release(self) -> None:
        self._file.close()

    def __enter__(self) -> "DirectoryLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


@contextlib.contextmanager
def staged_directory(path: str | os.PathLike):
    """Yield a fresh locked directory beside ``path`` that replaces ``path`` (by :func:`replace_directory`) only if
    the block succeeds; on failure it is removed. Stale temporaries of ``path`` are cleaned first."""
    target = Path(os.path.abspath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    lock = DirectoryLock(tmp)
    try:
        yield tmp
        replace_directory(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        lock.release()


def replace_directory(source: Path, target: Path) -> None:
    """Move the directory ``source`` to ``target``, replacing an existing ``target`` (whose old content is then
    removed): exchanged atomically where the system can (Linux ``renameat2``), else renamed aside first, in
    which case a kill between the two renames leaves the old directory aside, and the next run restores it."""
    if not os.path.lexists(target):
        os.rename(source, target)
        return
    if _exchange(source, target):
        shutil.rmtree(source)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_OLD_SUFFIX, dir=target.parent))
    os.replace(target, aside)
    os.rename(source, target)
    shutil.rmtree(aside)


def discard_directory(path: str | os.PathLike) -> None:
    """Remove a directory that floor made, renaming it aside first so that a kill leaves it whole or gone."""
    target = Path(os.path.abspath(path))
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    os.replace(target, aside)
    shutil.rmtree(aside)


def remove_stale_temporaries(path: str | os.PathLike) -> None:
    """Remove the temporaries of ``path`` that killed runs left (see above), and put back an old directory that
    a kill left aside while it was being replaced."""
    target = Path(os.path.abspath(path))
    if not target.parent.is_dir():
        return
    # mkdtemp's names: the prefix, 8 characters of [a-z0-9_], the suffix (not a temporary of "NAME.x").
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}({re.escape(_OLD_SUFFIX)}|\.tmp)")
    for tmp in sorted(p for p in target.parent.iterdir() if pattern.fullmatch(p.name)):
        if not tmp.is_dir() or tmp.is_symlink():
            continue
        if tmp.name.endswith(_OLD_SUFFIX) and not os.path.lexists(target):
            os.rename(tmp, target)  # killed between the two renames of replace_directory
        elif not (tmp / LOCK_NAME).exists():
            if time.time() - tmp.stat().st_mtime > _UNLOCKED_GRACE_SECONDS:
                with contextlib.suppress(OSError):
                    tmp.rmdir()  # made, then killed before it was locked: empty, else not floor's
        else:
            try:
                lock = DirectoryLock(tmp)
            except DirectoryBusy:
                continue  # being built now
            with lock:
                shutil.rmtree(tmp, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step; False where the system or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@functools.cache
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
