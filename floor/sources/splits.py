"""Splits: byte ranges of one large uncompressed JSONL file, read as separate tasks.

A split ``[start, end)`` holds the lines that *start* inside it (the rule of Hadoop's line reader): it skips the
line it begins inside of, which belongs to the split before, and reads its own last line to the end even past
``end``. The splits of a file therefore partition its lines exactly, whatever the line lengths. A UTF-8 byte
order mark at the start of the file is skipped, as when the file is read whole.

Line numbers inside a split count from its first line. They are made absolute -- by counting the line feeds
before the split, a read of everything before it -- only when one is shown (an error message, a default
document id), so a clean split costs nothing extra.
"""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO, NamedTuple

from floor.sources import remote
from floor.sources.paths import STDIN, detect_format, split_compression

_CHUNK = 1 << 20


class Split(NamedTuple):
    """Bytes ``[start, end)`` of a file of ``size`` bytes: split ``index`` of ``count``."""

    start: int
    end: int
    index: int
    count: int
    size: int


def plan_splits(path: str, size: int, split_bytes: int, fmt: str | None = None) -> list[Split] | None:
    """The splits of ``path`` (``size`` bytes), about ``split_bytes`` each, or ``None`` when it is read whole:
    stdin, compressed files and formats other than JSONL cannot be entered in the middle."""
    if split_bytes < 1:
        raise ValueError("split_bytes must be >= 1")
    if path == STDIN or split_compression(path)[1] is not None or detect_format(path, fmt) != "jsonl":
        return None
    if size <= split_bytes:
        return None
    count = -(-size // split_bytes)
    bounds = [size * i // count for i in range(count + 1)]
    return [Split(bounds[i], bounds[i + 1], i, count, size) for i in range(count)]


class SplitReader(io.RawIOBase):
    """Raw stream of the lines of ``raw`` (a seekable binary file) that start in ``[start, end)``."""

    def __init__(self, raw: BinaryIO, start: int, end: int):
        self._raw = raw
        self._end = end
        self._done = False
        self._tail = False  # past ``end``: finishing the split's last line
        if start > 0:
            raw.seek(start - 1)
            self._skip_line()  # the byte before ``start`` ends the previous split's last line, or is inside it
        else:
            raw.seek(0)
            if raw.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:  # a byte order mark can only start the file
                raw.seek(0)
        self.first = raw.tell()  # where the split's first line starts (its text: behind a byte order mark)
        self._pos = self.first
        if self._pos >= end:
            if start == 0:
                self._tail = True  # the file's first line starts at 0 and is ours, though the mark reaches ``end``
            else:
                self._done = True  # a line that started before ``start`` runs through the whole split

    def _skip_line(self) -> None:
        while True:
            chunk = self._raw.read(_CHUNK)
            if not chunk:
                return
            cut = chunk.find(b"\n")
            if cut >= 0:
                self._raw.seek(cut + 1 - len(chunk), io.SEEK_CUR)
                return

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._done:
            return 0
        if not self._tail:
            data = self._raw.read(min(len(buffer), self._end - self._pos))
            if not data:
                self._done = True
                return 0
            self._pos += len(data)
            if self._pos >= self._end:
                # The line that ``end`` cuts is ours to finish, unless ``end`` falls just after a line feed.
                self._tail = not data.endswith(b"\n")
                self._done = not self._tail
        else:
            data = self._raw.read(len(buffer))
            cut = data.find(b"\n")
            if cut >= 0 or not data:
                data = data[: cut + 1] if cut >= 0 else data
                self._done = True
        buffer[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def _opened(path: str) -> BinaryIO:
    """``path`` opened for reading (a URL through its filesystem)."""
    return io.BufferedReader(remote.open_file(path), _CHUNK) if remote.is_url(path) else open(path, "rb")


class SplitLines:
    """Line numbers of a split: ``lines(relative)`` for the split's ``relative``-th line (1-based)."""

    __slots__ = ("path", "first", "start", "_before")

    def __init__(self, path: str, first: int, start: int):
        self.path = path
        self.first = first  # byte offset of the split's first line
        self.start = start  # where the split begins (0: the file's first split)
        self._before: int | None = None

    def file_is_blank(self) -> bool:
        """Whether the whole file holds nothing but whitespace (read up to its first other byte)."""
        with _opened(self.path) as handle:
            while chunk := handle.read(_CHUNK):
                if not chunk.isspace():
                    return False
        return True

    def before(self) -> int:
        """Lines before the split (counted once, on first use)."""
        if self._before is None:
            count = 0
            with _opened(self.path) as handle:
                left = self.first
                while left > 0:
                    chunk = handle.read(min(_CHUNK, left))
                    if not chunk:
                        break
                    count += chunk.count(b"\n")
                    left -= len(chunk)
            self._before = count
        return self._before

    def __call__(self, relative: int) -> "SplitLine":
        return SplitLine(self, relative)


class SplitLine:
    """A line number in a split that becomes absolute when it is shown or converted with ``int()``."""

    __slots__ = ("lines", "relative")

    def __init__(self, lines: SplitLines, relative: int):
        self.lines = lines
        self.relative = relative

    def __index__(self) -> int:
        return self.lines.before() + self.relative

    __int__ = __index__

    def __str__(self) -> str:
        return str(int(self))

    def __format__(self, spec: str) -> str:
        return format(int(self), spec)

    def __repr__(self) -> str:
        return f"SplitLine({self.relative} after line {self.lines._before})"
