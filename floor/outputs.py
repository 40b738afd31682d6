"""Output files: checked before any work is done, written all or none, never left partial.

A path that is a regular file or does not exist yet is written to a temporary file beside it, which is renamed
over it when complete; a symlink to a regular file is followed, so that the link stays a link and its target is
replaced. A device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a named pipe) cannot be replaced: it is
written in place. Every OS error becomes a :class:`FloorError` naming the path as the user gave it.

Directories (counts directories) are built beside their target and replaced whole, or removed, so that a kill
at any moment leaves the old or the new one (see :func:`staged_directory`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, Sequence

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from .errors import FloorError
from .sources.remote import is_url


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary file path beside ``path``; move it into place only if the block succeeds (directories:
    :func:`staged_directory`)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a written file gets the usual mode
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", **kwargs):
    """Open a temporary file for writing that becomes ``path`` only when the block succeeds."""
    with atomic_path(path) as tmp:
        with open(tmp, mode, **kwargs) as handle:
            yield handle


def check_outputs(paths: Sequence[str | os.PathLike], inputs: Sequence[str | os.PathLike] = ()) -> None:
    """Raise a :class:`FloorError` unless every path can be written, no two name the same file, and none would
    replace a file of ``inputs`` (one of them, or an existing file inside one that is a directory)."""
    seen: dict[Path, str] = {}
    for path in paths:
        output = OutputFile(path)
        if output.target in seen:
            raise FloorError(f"two outputs are given the same file ({seen[output.target]} and {output.path}); "
                             "each needs its own")
        seen[output.target] = output.path
        replaced = _input_replaced_by(output, inputs)
        if replaced:
            raise FloorError(f"{output.path}: {replaced} of this command, which writing the output would replace; "
                             "choose another output path")


def _input_replaced_by(output: "OutputFile", inputs: Sequence[str | os.PathLike]) -> str | None:
    """How ``output`` names a file of ``inputs`` (``None``: it does not)."""
    if output.in_place or not output.target.exists():
        return None
    for source in map(os.fspath, inputs):
        if not os.path.exists(source):
            continue
        if os.path.isdir(source):
            if Path(os.path.realpath(source)) in output.target.parents:
                return f"is inside the input {source}"
        elif os.path.samefile(source, output.target):  # under any name, a hard link too
            return "is an input" if os.path.realpath(source) == str(output.target) else f"is the input {source}"
    return None


@contextlib.contextmanager
def output_files(paths: Sequence[str | os.PathLike]) -> Iterator[list["OutputFile"]]:
    """Open every path for writing (:meth:`OutputFile.write`); when the block ends normally all of them are put in
    place, otherwise none is (temporary files and the directories made for them are removed)."""
    files = [OutputFile(path) for path in paths]
    try:
        for output in files:
            output.open()
        yield files
        for output in files:
            output.finish()
        for output in files:
            output.commit()
    except BaseException:
        for output in files:
            output.discard()
        raise


class OutputFile:
    """One output path: checked when made, then :meth:`open`, :meth:`write`, :meth:`finish` (everything written
    and flushed) and :meth:`commit` (renamed into place), or :meth:`discard`."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        if not self.path:
            raise FloorError("an output path is empty; give a file name")
        if is_url(self.path):
            raise FloorError(f"{self.path}: output files are written locally; give a local path")
        self.target, self.in_place = self._locate()
        self._check()
        self._handle = None
        self._tmp: Path | None = None
        self._made: list[Path] = []

    def error(self, exc: OSError | int) -> FloorError:
        code = exc if isinstance(exc, int) else exc.errno
        reason = os.strerror(code) if code else str(exc)
        return FloorError(f"{self.path}: cannot write ({reason})")

    def _locate(self) -> tuple[Path, bool]:
        """Where the bytes go, and whether in place (not a regular file, or a process's file descriptor)."""
        if self.path.endswith(("/", os.sep)):
            raise self.error(errno.EISDIR)  # as the shell says of `> name/`
        if _names_a_descriptor(self.path):
            return Path(self.path), True
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            mode = None  # nothing there yet (a dangling symlink: its target is made)
        except OSError as exc:
            raise self.error(exc) from None
        if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            return Path(self.path), True
        return Path(os.path.realpath(self.path)), False

    def _check(self) -> None:
        if self.target.is_dir():
            raise self.error(errno.EISDIR)
        if self.target.exists():
            if not os.access(self.target, os.W_OK):
                raise self.error(_access_errno(self.target))
        if self.in_place:
            return
        ancestor = self.target.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise self.error(errno.ENOTDIR)
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise self.error(_access_errno(ancestor))

    def open(self) -> None:
        try:
            if self.in_place:
                # appending truncates nothing: behind /dev/stdout may be a file the shell opened with >>
                self._handle = open(self.target, "ab")
                return
            _make_dirs(self.target.parent, self._made)
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
            self._tmp = Path(name)
            self._handle = os.fdopen(fd, "wb")
            # mkstemp makes the file private: give it the mode a replaced file had, else the usual one
            os.fchmod(fd, stat.S_IMODE(self.target.stat().st_mode) if self.target.exists() else 0o666 & ~_umask())
        except OSError as exc:
            raise self.error(exc) from None

    def write(self, data: bytes) -> None:
        try:
            self._handle.write(data)
        except OSError as exc:
            raise self.error(exc) from None

    def finish(self) -> None:
        """Flush and close (again: a no-op): a full disk or a closed pipe shows here at the latest."""
        try:
            self._handle.close()
        except OSError as exc:
            raise self.error(exc) from None

    def commit(self) -> None:
        if self._tmp is not None:
            try:
                os.replace(self._tmp, self.target)
            except OSError as exc:
                raise self.error(exc) from None
            self._tmp = None

    def discard(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None
        for directory in reversed(self._made):
            with contextlib.suppress(OSError):
                directory.rmdir()  # only if still empty


# /proc/<pid>/fd/<n> (where /dev/stdout and /dev/fd/<n> lead on Linux): a symlink to whatever the descriptor holds,
# which may be a regular file the shell opened; renaming over that file would detach it from the descriptor.
_DESCRIPTOR = re.compile(r"/proc/[^/]+/fd/[^/]+")


def _names_a_descriptor(path: str) -> bool:
    """Whether ``path`` leads, through symlinks, to a process's file descriptor."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's limit on symlinks followed
        current = os.path.join(os.path.realpath(os.path.dirname(current)), os.path.basename(current))
        if _DESCRIPTOR.fullmatch(current):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return False


def _access_errno(path: Path) -> int:
    with contextlib.suppress(OSError):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return errno.EROFS
    return errno.EACCES


def _make_dirs(directory: Path, made: list[Path]) -> None:
    """Make ``directory`` and its missing parents, appending each one made to ``made`` (outermost first)."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to remove
        made.append(path)


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
