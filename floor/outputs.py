"""Output files: checked before any work is done, written all or none, never left partial.

A path that is a regular file or does not exist yet is written to a temporary file beside it, which is renamed
over it when complete; a symlink to a regular file is followed, so that the link stays a link and its target is
replaced. A device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a named pipe) cannot be replaced: it is
written in place. Every OS error becomes a :class:`FloorError` naming the path as the user gave it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

from .errors import FloorError


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


def check_outputs(paths: Sequence[str | os.PathLike]) -> None:
    """Raise a :class:`FloorError` unless every path can be written and no two name the same file."""
    seen: dict[Path, str] = {}
    for path in paths:
        output = OutputFile(path)
        if output.target in seen:
            raise FloorError(f"two outputs are given the same file ({seen[output.target]} and {output.path}); "
                             "each needs its own")
        seen[output.target] = output.path


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
