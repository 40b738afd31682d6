"""Opening inputs: the one place that reads bytes from disk or stdin and decompresses them."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import sys
from collections.abc import Iterator
from typing import BinaryIO

import zstandard

from floor.sources.paths import STDIN, split_compression
from floor.sources.splits import Split, SplitReader

BUFFER_SIZE = 1 << 20  # bytes of decompressed data buffered per stream
_ZSTD_CHUNK = 1 << 17  # compressed bytes fed to the zstd decoder at a time


class ZstdReader(io.RawIOBase):
    """Raw stream of the decompressed frames of a zstd file, including concatenated and skippable frames.

    Unlike ``zstandard``'s ``stream_reader``, which stops silently when the input ends inside a frame, this
    raises :class:`EOFError` then, so a truncated ``.zst`` is reported rather than quietly read short.
    """

    def __init__(self, source: BinaryIO):
        self._source = source
        self._dctx = zstandard.ZstdDecompressor()
        self._frame = None  # decompressobj of the current frame
        self._out = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._out:
            data = self._source.read(_ZSTD_CHUNK)
            if not data:
                if self._frame is not None and not self._frame.eof:
                    raise EOFError("zstd stream ends inside a frame")
                return 0
            self._out = memoryview(self._decompress(data))
        n = min(len(buffer), len(self._out))
        buffer[:n] = self._out[:n]
        self._out = self._out[n:]
        return n

    def _decompress(self, data: bytes) -> bytes:
        parts = []
        while data:
            if self._frame is None or self._frame.eof:
                self._frame = self._dctx.decompressobj()
            parts.append(self._frame.decompress(data))
            data = self._frame.unused_data if self._frame.eof else b""
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            self._source.close()
        super().close()


class PartialReader(io.RawIOBase):
    """Raw view of a stdlib decompressing file (gzip, bz2, lzma) that returns what is decoded so far.

    Their ``read(n)`` insists on ``n`` bytes, so a buffer filled through it loses the data decoded before a
    truncation; ``read1`` returns after one step of decoding, and the records before the damage get through.
    """

    def __init__(self, stream: BinaryIO):
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


def _stdin() -> BinaryIO:
    return getattr(sys.stdin, "buffer", sys.stdin)


class Position:
    """How far an open input has been read, in bytes of the file as stored (compressed bytes for a compressed
    file): for progress reports. Calling it gives ``None`` when unknown (stdin, or before the file is open)."""

    __slots__ = ("_raw", "_start", "_size")

    def __init__(self) -> None:
        self._raw = None
        self._start = 0  # where a split begins: bytes before it are not this input's
        self._size: int | None = None  # a split's size: reading its last line to the end goes past it

    def __call__(self) -> int | None:
        raw = self._raw
        if raw is None:
            return None
        try:
            done = max(0, raw.tell() - self._start)
        except (OSError, ValueError):
            return None
        return done if self._size is None else min(done, self._size)


_DECOMPRESSORS = {
    "gzip": lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    "bz2": lambda raw: bz2.BZ2File(raw, "rb"),
    "xz": lambda raw: lzma.LZMAFile(raw, "rb"),
}


@contextlib.contextmanager
def open_binary(path: str, *, decompress: bool = True, position: Position | None = None,
                split: Split | None = None) -> Iterator[BinaryIO]:
    """Yield a buffered binary stream of ``path`` (``"-"``: stdin, left open), decompressed by its suffix.

    Opening errors are the plain :class:`OSError` of ``open``; a truncated or corrupt compressed stream raises
    while it is read (``EOFError``, ``OSError`` without errno, ``zlib.error``, ``lzma.LZMAError`` or
    ``zstandard.ZstdError``). With ``decompress=False`` the file is returned as is (for Parquet, which needs
    to seek). ``position``, if given, follows the bytes read from the file itself while it is open. ``split``:
    only the lines that start in that byte range of an uncompressed file (:mod:`floor.sources.splits`).
    """
    if path == STDIN:
        yield _stdin()
        return
    compression = split_compression(path)[1] if decompress else None
    if split is not None:
        if compression is not None:
            raise ValueError("a compressed file cannot be read in splits")
        raw = open(path, "rb", buffering=0)
        try:
            stream = io.BufferedReader(SplitReader(raw, split.start, split.end), BUFFER_SIZE)
        except BaseException:
            raw.close()
            raise
        if position is not None:
            position._start, position._size = split.start, split.end - split.start
    elif compression is None:
        stream = open(path, "rb", buffering=BUFFER_SIZE)
        raw = stream.raw
    else:
        raw = open(path, "rb", buffering=0)
        try:
            if compression == "zstd":
                stream = io.BufferedReader(ZstdReader(raw), BUFFER_SIZE)
            else:
                # The decompressor reads the raw file we opened (so its position can be followed) and leaves it
                # open on close: the ExitStack below closes it.
                stream = io.BufferedReader(PartialReader(_DECOMPRESSORS[compression](raw)), BUFFER_SIZE)
        except BaseException:
            raw.close()
            raise
    if position is not None:
        position._raw = raw
    try:
        with contextlib.ExitStack() as stack:
            stack.callback(raw.close)
            with stream:
                yield stream
    finally:
        if position is not None:
            position._raw = None
