"""Opening inputs: the one place that reads bytes from disk or stdin and decompresses them."""

from __future__ import annotations

import bz2
import contextlib
import io
import lzma
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple, Protocol

import zstandard

from floor.sources import remote
from floor.sources.paths import STDIN, split_compression
from floor.sources.splits import Split, SplitReader

BUFFER_SIZE = 1 << 20  # bytes of decompressed data buffered per stream
_CHUNK = 1 << 17  # compressed bytes read from the file at a time
_MAX_OUTPUT = BUFFER_SIZE  # decompressed bytes asked of a decompressor at a time (zstd cannot bound them)
# What the decompressors raise on data they cannot decode (bz2: OSError).
_DECODE_ERRORS = (OSError, zlib.error, lzma.LZMAError, zstandard.ZstdError)


class CompressedDataError(Exception):
    """A compressed input that is truncated (``kind`` ``"truncated_compressed"``) or corrupt
    (``"corrupt_compressed"``: bad data, or bytes after the last stream that do not start another)."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind


class Decompressor(Protocol):
    """One stream's decompressor, as ``bz2.BZ2Decompressor`` and ``lzma.LZMADecompressor`` are."""

    eof: bool  # the end of the stream was reached (and its checksum verified)
    unused_data: bytes  # input after the end of the stream
    needs_input: bool  # False: more output is pending; call decompress(b"", ...) for it

    def decompress(self, data: bytes, max_length: int) -> bytes: ...


class _Adapted:
    """A decompressor object of one stream (zlib's, zstandard's) seen through the interface of bz2's."""

    __slots__ = ("_inner",)

    def __init__(self, inner) -> None:
        self._inner = inner

    @property
    def eof(self) -> bool:
        return self._inner.eof

    @property
    def unused_data(self) -> bytes:
        return self._inner.unused_data


class _GzipMember(_Adapted):
    """One gzip member through zlib (which checks its CRC and length)."""

    __slots__ = ("needs_input",)

    def __init__(self) -> None:
        super().__init__(zlib.decompressobj(wbits=31))
        self.needs_input = True

    def decompress(self, data: bytes, max_length: int) -> bytes:
        tail = self._inner.unconsumed_tail
        out = self._inner.decompress(tail + data if tail else data, max_length)
        # Output cut at max_length leaves input unconsumed, or output pending inside zlib: ask again before
        # reading more.
        self.needs_input = len(out) < max_length and not self._inner.unconsumed_tail
        return out


class _ZstdFrame(_Adapted):
    """One zstd frame (or skippable frame); its output is unbounded."""

    __slots__ = ()
    needs_input = True

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return self._inner.decompress(data)


def _zstd_frames() -> Callable[[], Decompressor]:
    context = zstandard.ZstdDecompressor()  # one per file: its frames are read one after the other
    return lambda: _ZstdFrame(context.decompressobj())


class Codec(NamedTuple):
    name: str  # as messages call it
    unit: str  # what the format calls one of the streams a file may hold one after the other
    padding: int  # zero bytes may follow a stream in runs of a multiple of this many; 0: not at all
    decompressors: Callable[[], Callable[[], Decompressor]]  # per file: a maker of one decompressor per stream


# Zero bytes after a gzip member are padding to gzip and to Python's gzip module (tape blocks); xz allows
# stream padding in multiples of four bytes. bzip2 and zstd have none: there they are an error.
CODECS = {
    "gzip": Codec("gzip", "member", 1, lambda: _GzipMember),
    "bz2": Codec("bz2", "stream", 0, lambda: bz2.BZ2Decompressor),
    "xz": Codec("xz", "stream", 4, lambda: lzma.LZMADecompressor),
    "zstd": Codec("zstd", "frame", 0, _zstd_frames),
}


class DecompressedReader(io.RawIOBase):
    """Raw stream of the decompressed data of a compressed file: every stream it holds (gzip members, bz2 and
    xz streams, zstd frames, one after the other), each decoded to its end and checked.

    Damage raises :class:`CompressedDataError` once all the data decoded before it has been read: a file
    that ends inside a stream, data a decompressor rejects (a bad checksum included), and bytes after a stream
    that neither start another nor are padding the format allows. (The decompressors of the standard library
    take the latter for the end of the file, silently.) The output of each decompressor call is returned before
    the next call, so a stream that fails loses nothing of the streams before it.
    """

    def __init__(self, source: BinaryIO, codec: Codec):
        self._source = source
        self._codec = codec
        self._new_stream = codec.decompressors()
        self._stream: Decompressor | None = None  # None between streams
        self._input = b""  # compressed bytes read and not yet given to a decompressor
        self._out = memoryview(b"")  # decompressed bytes not yet returned
        self._read = 0  # bytes read from the source
        self.decompressed = 0
        """Bytes of decompressed data returned so far (for progress)."""
        self._streams = 0  # streams started
        self._start = 0  # where the current stream starts in the file

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        out = self._out
        while not out:
            data = self._decode()
            if data is None:
                return 0
            out = memoryview(data)
        n = min(len(buffer), len(out))
        buffer[:n] = out[:n]
        self._out = out[n:]
        self.decompressed += n
        return n

    def _decode(self) -> bytes | None:
        """The output of one decompressor call (maybe empty); ``None`` at the end of the file."""
        if self._stream is None and not self._next_stream():
            return None
        stream = self._stream
        data = b""
        exhausted = False  # the file has no more input for a stream that asked for some
        if stream.needs_input:
            data = self._input or self._read_chunk()
            self._input = b""
            exhausted = not data
        try:
            # At the file's end too: bz2 says it needs input while output decoded from the input it holds is still
            # pending (its needs_input only tells that every input byte was taken), so it is drained first.
            out = stream.decompress(data, _MAX_OUTPUT)
        except _DECODE_ERRORS as exc:
            raise self._error("corrupt_compressed", f"is corrupt ({' '.join(str(exc).split())})") from None
        if stream.eof:
            self._input = stream.unused_data
            self._stream = None
        elif exhausted and not out:
            raise self._error("truncated_compressed", "is truncated: the file ends inside it")
        return out

    def _next_stream(self) -> bool:
        """Start the next stream; False when the file ends first (after any padding the format allows)."""
        if not self._input:
            self._input = self._read_chunk()
        if self._streams and self._codec.padding and self._input[:1] == b"\0":
            self._skip_padding()
        if not self._input:
            return False
        self._streams += 1
        self._start = self._read - len(self._input)
        self._stream = self._new_stream()
        return True

    def _skip_padding(self) -> None:
        """Drop the zero bytes that follow a stream, which must come in runs the format allows as padding."""
        zeros = 0
        while self._input[:1] == b"\0":
            rest = self._input.lstrip(b"\0")
            zeros += len(self._input) - len(rest)
            self._input = rest or self._read_chunk()
        if zeros % self._codec.padding:
            codec = self._codec
            reason = f"{codec.name} {codec.unit} {self._streams} is followed by {zeros} zero bytes, which is not " \
                     f"padding (that comes in multiples of {codec.padding})"
            raise CompressedDataError("corrupt_compressed", reason)

    def _read_chunk(self) -> bytes:
        data = self._source.read(_CHUNK)
        self._read += len(data)
        return data

    def _error(self, kind: str, problem: str) -> CompressedDataError:
        codec = self._codec
        where = f"{codec.name} {codec.unit} {self._streams} (from byte {self._start})"
        return CompressedDataError(kind, f"{where} {problem}")

    def close(self) -> None:
        if not self.closed:
            self._source.close()
        super().close()


def _stdin() -> BinaryIO:
    return getattr(sys.stdin, "buffer", sys.stdin)


class Position:
    """How far an open input has been read, in bytes of the file as stored (compressed bytes for a compressed
    file): for progress reports. Calling it gives ``None`` when unknown (stdin, or before the file is open);
    :meth:`text` gives the bytes of text read (decompressed)."""

    __slots__ = ("_raw", "_start", "_size", "_decompressed", "_read")

    def __init__(self) -> None:
        self._raw = None
        self._start = 0  # where a split begins: bytes before it are not this input's
        self._size: int | None = None  # a split's size: reading its last line to the end goes past it
        self._decompressed = None  # the decompressing reader of a compressed file; False: no text (Parquet)
        self._read: int | None = None  # the bytes read once the file is closed

    def text(self) -> int | None:
        """Bytes of text read so far (also once the file is closed): decompressed bytes for a compressed file,
        the bytes read for another; ``None`` where unknown (Parquet's pages are not text, stdin)."""
        reader = self._decompressed
        if reader is False:
            return None
        if reader is not None:
            return reader.decompressed
        return self() if self._raw is not None else self._read

    def __call__(self) -> int | None:
        raw = self._raw
        if raw is None:
            return None
        try:
            done = max(0, raw.tell() - self._start)
        except (OSError, ValueError):
            return None
        return done if self._size is None else min(done, self._size)


def _open_raw(path: str, seekable: bool = False) -> BinaryIO:
    """The file at ``path``, unbuffered; a URL (:mod:`floor.sources.remote`) as its filesystem buffers it,
    ``seekable`` or read as one stream."""
    return remote.open_file(path, seekable) if remote.is_url(path) else open(path, "rb", buffering=0)


@contextlib.contextmanager
def open_binary(path: str, *, decompress: bool = True, position: Position | None = None,
                split: Split | None = None) -> Iterator[BinaryIO]:
    """Yield a buffered binary stream of ``path`` (``"-"``: stdin, left open; a URL: read through fsspec),
    decompressed by its suffix.

    Opening errors are the plain :class:`OSError` of ``open``; a truncated or corrupt compressed file raises
    :class:`CompressedDataError` while it is read, after the data decoded before the damage. With ``decompress=False`` the file is returned as is (for Parquet, which needs
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
        raw = _open_raw(path, seekable=True)  # a split starts by seeking to its byte range
        try:
            stream = io.BufferedReader(SplitReader(raw, split.start, split.end), BUFFER_SIZE)
        except BaseException:
            raw.close()
            raise
        if position is not None:
            position._start, position._size = split.start, split.end - split.start
    elif compression is None:
        raw = _open_raw(path, seekable=not decompress)
        stream = io.BufferedReader(raw, BUFFER_SIZE)
    else:
        raw = _open_raw(path)  # read by the decompressor, so that its position can be followed
        try:
            reader = DecompressedReader(raw, CODECS[compression])
            stream = io.BufferedReader(reader, BUFFER_SIZE)
        except BaseException:
            raw.close()
            raise
        if position is not None:
            position._decompressed = reader
    if position is not None:
        position._raw = raw
        if not decompress:
            position._decompressed = False
    try:
        with contextlib.ExitStack() as stack:
            stack.callback(raw.close)
            with stream:
                try:
                    yield stream
                finally:
                    if position is not None:
                        position._read = position()  # while the file is still open
    finally:
        if position is not None:
            position._raw = None
