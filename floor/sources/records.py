"""Records of one input: one reader per format yielding ``(location, record)``, and the mapping of failures.

A record is a dict holding at least the fields the caller needs when the format has a schema (Parquet, TSV),
or whatever the JSON line holds (JSONL). The location is the 1-based line (JSONL, TSV; the TSV header is
line 1), the 1-based row (Parquet), or ``None`` for a text file, which is one record.

Problems confined to one record are passed to ``skips.handle`` by the reader, which then goes on with the next
record; problems with the file as a whole are raised as :class:`InputError` and end the file. :func:`iter_records`
is the one place where exceptions from the file system, the decompressors and pyarrow become ``InputError``.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, NamedTuple

import orjson
import pyarrow
import pyarrow.ipc
import pyarrow.parquet as pq

from floor.errors import InputError, SkipLog
from floor.sources.paths import COLUMNAR, STDIN, split_compression
from floor.sources.splits import Split, SplitLine, SplitLines
from floor.sources import remote
from floor.sources.streams import BUFFER_SIZE, CompressedDataError, Position, open_binary

Location = int | SplitLine | None
Record = tuple[Location, dict]

_PARQUET_BATCH_BYTES = 8 << 20  # aim for about this much column data per Parquet batch
_PARQUET_MAX_BATCH_ROWS = 8192  # rows become dicts of Python objects: bound them for narrow tables too
_MAX_DETAIL = 200
_BLOCK_SIZE = 1 << 20  # bytes read at a time by the scanning JSONL reader


class Fields(NamedTuple):
    """The fields a caller needs: ``required`` ones must exist as columns in Parquet and TSV, under their name or
    one of their ``aliases`` (``(name, alias)`` pairs: ``relation`` may be ``category``, as ``floor extract``
    writes it)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.required + self.optional + tuple(alias for _, alias in self.aliases)))

    def spellings(self, name: str) -> tuple[str, ...]:
        """``name`` and its aliases."""
        return (name,) + tuple(alias for of, alias in self.aliases if of == name)


def display_path(path: str) -> str:
    """How an input is named in messages."""
    return "<stdin>" if path == STDIN else path


def json_type(value: Any) -> str:
    """``'null'``, ``'a number'``, ``'an array'``... for messages about a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 3] + "..."


def _skip_bom(stream: BinaryIO, split: SplitLines | None = None) -> None:
    if split is not None:
        return  # a split's reader has skipped it (floor.sources.splits.SplitReader)
    peek = getattr(stream, "peek", None)
    if peek is not None and peek(3)[:3] == codecs.BOM_UTF8:
        stream.read(3)


def _utf8_error(where: str, location: Location, line: bytes, exc: UnicodeDecodeError) -> InputError:
    byte = line[exc.start]
    at = f"column {exc.start + 1}" if location is not None else f"offset {exc.start}"
    return InputError(where, location, f"invalid UTF-8 (byte 0x{byte:02x} at {at})", kind="invalid_utf8")


# A carriage return with more text after it on the line: JSON allows none inside a string, so the line is
# several lines that end with CR alone (classic Mac line endings), or broken.
_CR_INSIDE = re.compile(rb"\r\s*\S")
_CR_REASON = "text after a carriage return (CR): lines must end with LF or CRLF, not with CR alone (old Mac files)"


def _json_error(where: str, lineno: int, line: bytes, exc: orjson.JSONDecodeError) -> InputError:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return _utf8_error(where, lineno, line, bad)
    if _CR_INSIDE.search(line):
        return InputError(where, lineno, _CR_REASON, kind="cr_line_endings")
    return InputError(where, lineno, f"malformed JSON ({exc.msg} at column {exc.colno})", kind="malformed_json")


def jsonl_records(stream: BinaryIO, where: str, fields: Fields, skips: SkipLog,
                  lines: SplitLines | None = None) -> Iterator[Record]:
    """One JSON object per line; blank lines are ignored; a UTF-8 byte order mark is allowed.

    ``lines``: the stream is a split of the file (:mod:`floor.sources.splits`) whose line numbers these give.
    """
    _skip_bom(stream, lines)
    lineno = blank = 0
    for lineno, line in enumerate(stream, 1):
        location = lineno if lines is None else lines(lineno)
        record = _line_record(line, location, where, skips)
        if record is _BLANK:
            blank += 1
        elif record is not None:
            yield location, record
    _check_not_empty(where, lineno, blank, lines)


_BLANK = object()


def _line_record(line: bytes, lineno: Location, where: str, skips: SkipLog):
    """The JSON object on one line; ``_BLANK`` for a blank line; None for a bad line (handed to ``skips``)."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        if line.isspace():
            return _BLANK
        skips.handle(_json_error(where, lineno, line, exc))
        return None
    if type(record) is not dict:
        reason = f"expected a JSON object, got {json_type(record)}"
        skips.handle(InputError(where, lineno, reason, kind="not_an_object"))
        return None
    return record


def _check_not_empty(where: str, lines: int, blank: int, split: SplitLines | None = None) -> None:
    # A split may hold only blank lines while others hold records: the first split says whether the file has none.
    if lines == blank and (split is None or split.start == 0 and split.file_is_blank()):
        raise InputError(where, None, "no records (only blank lines)" if lines else "empty file", kind="empty_file")


def jsonl_scanned_records(
    stream: BinaryIO, where: str, fields: Fields, skips: SkipLog, prefilter, lines: SplitLines | None = None
) -> Iterator[tuple[Location, dict, int]]:
    """:func:`jsonl_records` with each record's mask from ``prefilter`` (a
    :class:`~floor.extract.prefilter.Prefilter`), computed on the raw line before it is parsed.

    Reads blocks of whole lines (the same lines, byte for byte, as iterating over the stream) and scans each
    block once. A failing read loses only the line it cuts, as with line iteration.
    """
    _skip_bom(stream, lines)
    read = getattr(stream, "read1", None) or stream.read
    masks_of = prefilter.masks
    lineno = blank = 0
    pending: list[bytes] = []  # the start of a line that is not complete yet
    while True:
        data = read(_BLOCK_SIZE)
        if data:
            cut = data.rfind(b"\n") + 1
            if not cut:
                pending.append(data)
                continue
            if pending:
                pending.append(data[:cut])
                block = b"".join(pending)
                pending = []
            else:
                block = data if cut == len(data) else data[:cut]
            if cut < len(data):
                pending.append(data[cut:])
        elif pending:
            block = b"".join(pending)  # the last line, without a line feed
            pending = []
        else:
            break
        size = len(block)
        ends = []
        find = block.find
        pos = 0
        while pos < size:
            pos = find(b"\n", pos) + 1 or size
            ends.append(pos)
        start = 0
        for end, mask in zip(ends, masks_of(block, ends)):
            line = block[start:end]
            start = end
            lineno += 1
            location = lineno if lines is None else lines(lineno)
            record = _line_record(line, location, where, skips)
            if record is _BLANK:
                blank += 1
            elif record is not None:
                yield location, record, mask
    _check_not_empty(where, lineno, blank, lines)


def _missing_columns(where: str, fields: Fields, columns: list[str]) -> None:
    missing = [name for name in fields.required if not any(n in columns for n in fields.spellings(name))]
    if missing:
        have = ", ".join(map(repr, columns[:20])) + (", ..." if len(columns) > 20 else "")
        noun = "column" if len(missing) == 1 else "columns"
        named = ", ".join(" or ".join(map(repr, fields.spellings(name))) for name in missing)
        reason = f"no {noun} {named} (has {have or 'none'})"
        raise InputError(where, None, reason, kind="missing_column")


def tsv_records(stream: BinaryIO, where: str, fields: Fields, skips: SkipLog) -> Iterator[Record]:
    """Tab-separated values with a header row; fields are taken literally (no quoting or escapes)."""
    _skip_bom(stream)
    header_line = stream.readline()
    if not header_line.strip():
        raise InputError(where, None, "empty file" if not header_line else "no header row", kind="empty_file")
    if _CR_INSIDE.search(header_line):
        raise InputError(where, 1, _CR_REASON, kind="cr_line_endings")
    try:
        header = header_line.decode("utf-8").rstrip("\r\n").split("\t")
    except UnicodeDecodeError as exc:
        raise _utf8_error(where, 1, header_line, exc) from None
    _missing_columns(where, fields, header)
    wanted = [(name, header.index(name)) for name in fields.all if name in header]
    width = len(header)
    lineno = 1
    rows = 0
    for lineno, line in enumerate(stream, 2):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            skips.handle(_utf8_error(where, lineno, line, exc))
            rows += 1
            continue
        text = text.rstrip("\r\n")
        if not text:
            continue
        rows += 1
        values = text.split("\t")
        if len(values) != width:
            reason = f"row has {len(values)} fields, header has {width}"
            skips.handle(InputError(where, lineno, reason, kind="malformed_tsv"))
            continue
        yield lineno, {name: values[i] for name, i in wanted}
    if not rows:
        raise InputError(where, None, "no records (header only)", kind="empty_file")


def text_records(stream: BinaryIO, where: str, fields: Fields, skips: SkipLog) -> Iterator[Record]:
    """The whole file is one record whose first required field holds its text."""
    data = stream.read()
    if not data:
        raise InputError(where, None, "empty file", kind="empty_file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _utf8_error(where, None, data, exc) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    yield None, {fields.required[0]: text}


def _parquet_batch_rows(parquet: pq.ParquetFile) -> int:
    """Rows per batch so one batch holds at most about ``_PARQUET_BATCH_BYTES`` of column data.

    Counted over all the columns, not only the ones read: pyarrow aborts the process (an uncaught C++ exception)
    when asked for the metadata of one column chunk that is damaged, while reading the file reports it."""
    meta = parquet.metadata
    if meta.num_rows == 0 or meta.num_row_groups == 0:
        return 1024
    total = sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
    per_row = max(1, total // meta.num_rows)
    return max(1, min(_PARQUET_MAX_BATCH_ROWS, _PARQUET_BATCH_BYTES // per_row))


def _columnar_batches(source: BinaryIO, where: str, fields: Fields, fmt: str) -> Iterator[pyarrow.RecordBatch]:
    """Record batches of the needed columns of a Parquet or Arrow file, streamed (never the whole file)."""
    return _parquet_batches(source, where, fields) if fmt == "parquet" else _arrow_batches(source, where, fields)


def _arrow_batches(source: BinaryIO, where: str, fields: Fields) -> Iterator[pyarrow.RecordBatch]:
    """Record batches of an Arrow IPC file: the streaming format (a Hugging Face dataset's ``.arrow`` files) or
    the file format (Feather v2)."""
    try:
        reader = pyarrow.ipc.open_stream(source)
        batches = iter(reader)
    except pyarrow.ArrowInvalid:
        source.seek(0)
        reader = pyarrow.ipc.open_file(source)
        batches = (reader.get_batch(i) for i in range(reader.num_record_batches))
    names = reader.schema.names
    _missing_columns(where, fields, names)
    columns = [name for name in fields.all if name in names]
    first = next((batch for batch in batches if batch.num_rows), None)
    if first is None:
        raise InputError(where, None, "no rows", kind="empty_file")
    return (batch.select(columns) for batch in itertools.chain([first], batches) if batch.num_rows)


def _parquet_batches(source: BinaryIO, where: str, fields: Fields) -> Iterator[pyarrow.RecordBatch]:
    """Record batches of the needed columns, streamed (never the whole file)."""
    # No pre-buffering (it loads every selected column chunk up front) and buffered page reads, so memory is
    # bounded by the batch, not by the row group (pyarrow writes up to 1Mi rows per group by default).
    try:
        parquet = pq.ParquetFile(source, pre_buffer=False, buffer_size=BUFFER_SIZE)
        names = parquet.schema_arrow.names
    except UnicodeDecodeError as exc:  # a damaged footer: pyarrow decodes its names
        raise InputError(where, None, f"not a valid Parquet file ({_one_line(exc)})", kind="bad_parquet") from None
    _missing_columns(where, fields, names)
    columns = [name for name in fields.all if name in names]
    if parquet.metadata.num_rows == 0:
        raise InputError(where, None, "no rows", kind="empty_file")
    return parquet.iter_batches(batch_size=_parquet_batch_rows(parquet), columns=columns)


def columnar_records(source: BinaryIO, where: str, fields: Fields, skips: SkipLog, fmt: str = "parquet"
                     ) -> Iterator[Record]:
    """Rows of the needed columns of a Parquet or Arrow file, streamed batch by batch."""
    row = 0
    for batch in _columnar_batches(source, where, fields, fmt):
        yield from _batch_records(batch, row, where, skips)
        row += batch.num_rows


def _batch_records(batch: pyarrow.RecordBatch, row: int, where: str, skips: SkipLog) -> Iterator[Record]:
    """The rows of one batch as dicts (a repeated column name: the last one wins), numbered after ``row``.

    Parquet does not guarantee valid UTF-8 in string columns: a row holding invalid UTF-8 goes to ``skips``."""
    try:
        records = batch.to_pylist()
    except UnicodeDecodeError:
        records = None
    if records is not None:
        yield from enumerate(records, row + 1)
        return
    for i in range(batch.num_rows):
        try:
            record = batch.slice(i, 1).to_pylist()[0]
        except UnicodeDecodeError as exc:
            reason = f"invalid UTF-8 in a string value (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
            skips.handle(InputError(where, row + i + 1, reason, kind="invalid_utf8"))
            continue
        yield row + i + 1, record


class _Unread:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNREAD"


UNREAD = _Unread()
"""Stands for a text a scanning reader did not decode, because its mask is 0: no keyword can match in it."""


def columnar_scanned_records(source: BinaryIO, where: str, fields: Fields, skips: SkipLog, prefilter,
                             unmatched_texts: bool = True, fmt: str = "parquet"
                             ) -> Iterator[tuple[Location, dict, int | None]]:
    """:func:`columnar_records` with each row's mask from ``prefilter``, computed on the text column's UTF-8 data
    as Arrow holds it (``fields.required[0]`` is the text). ``unmatched_texts=False``: a row whose mask is 0
    gets :data:`UNREAD` for its text, which is never converted to a Python string (unless another field
    needed is that same column).

    A batch whose text column is not a valid string column without nulls, or whose other columns hold invalid
    UTF-8, is read as :func:`columnar_records` reads it, with unknown (``None``) masks, so its rows meet the same
    checks and errors.
    """
    text_field = fields.required[0]
    unread = UNREAD if not unmatched_texts and text_field not in fields.optional else None
    row = 0
    for batch in _columnar_batches(source, where, fields, fmt):
        # Positions, not names: a name may repeat, and then the last column of that name counts, as in to_pylist.
        index = {name: i for i, name in enumerate(batch.schema.names)}
        texts = batch.column(index[text_field])
        masks = _string_masks(texts, prefilter)
        others = None if masks is None else _other_columns(batch, index, text_field)
        if others is None:
            for location, record in _batch_records(batch, row, where, skips):
                yield location, record, None
        else:
            decoded = texts.to_pylist() if unread is None else None  # every text is wanted: decode them at once
            for i, mask in enumerate(masks):
                record = {name: values[i] for name, values in others}
                if decoded is not None:
                    record[text_field] = decoded[i]
                else:
                    record[text_field] = texts[i].as_py() if mask else unread
                yield row + i + 1, record, mask
        row += batch.num_rows


def _other_columns(batch: pyarrow.RecordBatch, index: dict[str, int], text_field: str) -> list | None:
    """``(name, values)`` of the columns besides the text, decoded; ``None`` when one holds invalid UTF-8."""
    try:
        return [(name, batch.column(i).to_pylist()) for name, i in index.items() if name != text_field]
    except UnicodeDecodeError:
        return None


def _string_masks(column: pyarrow.Array, prefilter) -> list[int] | None:
    """The prefilter masks of the values of a string column without nulls and with valid UTF-8 (``None`` for any
    other column)."""
    large = pyarrow.types.is_large_string(column.type)
    if column.null_count or not (large or pyarrow.types.is_string(column.type)):
        return None
    try:
        column.validate(full=True)  # UTF-8 included: a text left undecoded must still be valid
    except pyarrow.ArrowInvalid:
        return None
    _, offsets, data = column.buffers()
    offsets = memoryview(offsets).cast("q" if large else "i")[column.offset : column.offset + len(column) + 1]
    first = offsets[0]
    block = memoryview(data)[first : offsets[-1]].tobytes() if data is not None else b""
    return prefilter.masks(block, [end - first for end in offsets[1:]])


READERS: dict[str, Callable[[BinaryIO, str, Fields, SkipLog], Iterator[Record]]] = {
    "jsonl": jsonl_records,
    "parquet": columnar_records,
    "arrow": functools.partial(columnar_records, fmt="arrow"),
    "text": text_records,
    "tsv": tsv_records,
}

# Everything reading an input may raise besides InputError; all of it becomes an InputError in iter_records().
_READ_ERRORS = (OSError, CompressedDataError, pyarrow.ArrowException)


def as_input_error(exc: BaseException, where: str, fmt: str, last: Location) -> InputError:
    """The :class:`InputError` for an exception raised while opening or reading one input."""
    detail = _one_line(exc)
    if isinstance(exc, OSError) and exc.errno is not None:
        return InputError(where, None, f"cannot read file ({exc.strerror or detail})", kind="unreadable_file")
    after = None if last is None else f"after {'row' if fmt in COLUMNAR else 'line'} {last}"
    if isinstance(exc, CompressedDataError):
        return InputError(where, after, detail, kind=exc.kind)
    if fmt in COLUMNAR:
        return InputError(where, after, f"not a valid {COLUMNAR[fmt]} file ({detail})", kind=f"bad_{fmt}")
    return InputError(where, after, f"cannot read file ({detail})", kind="unreadable_file")


def iter_records(path: str, fmt: str, fields: Fields, skips: SkipLog,
                 position: Position | None = None) -> Iterator[Record]:
    """``(location, record)`` of one input in format ``fmt``; every problem goes through ``skips.handle``.

    Records read before a failure that ends the file (say a truncated ``.gz``) have been yielded already: they
    are real data. With ``on_error="fail"`` the failure then raises and the run stops there; with ``"skip"`` it
    is counted and the input simply ends. ``position``, if given, follows the bytes read from the file.
    """
    return _guarded(path, fmt, skips, lambda stream, where, _: READERS[fmt](stream, where, fields, skips), position)


def iter_scanned_records(
    path: str, fmt: str, fields: Fields, skips: SkipLog, prefilter, position: Position | None = None,
    split: Split | None = None, unmatched_texts: bool = True,
) -> Iterator[tuple[Location, dict, int | None]]:
    """:func:`iter_records` with a third item per record: its ``prefilter`` mask computed on the raw bytes
    (JSONL, or a Parquet text column), or ``None`` where the format has no raw form to scan, or no
    ``prefilter`` is given. ``position`` follows the bytes read. ``split``: only that split of an uncompressed
    JSONL file. ``unmatched_texts=False``: a Parquet text whose mask is 0 is left :data:`UNREAD`."""
    if fmt == "jsonl" and prefilter is not None:
        def scanned(stream, where, lines):
            return jsonl_scanned_records(stream, where, fields, skips, prefilter, lines)

        return _guarded(path, fmt, skips, scanned, position, split)
    if fmt in COLUMNAR and prefilter is not None:
        def scanned_columns(stream, where, _):
            return columnar_scanned_records(stream, where, fields, skips, prefilter, unmatched_texts, fmt)

        return _guarded(path, fmt, skips, scanned_columns, position, split)

    def unscanned(stream, where, lines):
        records = jsonl_records(stream, where, fields, skips, lines) if fmt == "jsonl" else \
            READERS[fmt](stream, where, fields, skips)
        for location, record in records:
            yield location, record, None

    return _guarded(path, fmt, skips, unscanned, position, split)


def _guarded(path: str, fmt: str, skips: SkipLog, reader, position: Position | None = None,
             split: Split | None = None) -> Iterator[Any]:
    where = display_path(path)
    compression = None if path == STDIN else split_compression(path)[1]
    last: Location = None
    try:
        if path != STDIN and _is_empty(path):
            raise InputError(where, None, "empty file (0 bytes)", kind="empty_file")
        if fmt in COLUMNAR and compression is not None:
            reason = f"{compression}-compressed {COLUMNAR[fmt]} is not supported; decompress it first"
            raise InputError(where, None, reason, kind=f"bad_{fmt}")
        if split is not None and (fmt != "jsonl" or compression is not None or path == STDIN):
            raise ValueError(f"{path}: only uncompressed JSONL files are read in splits")
        with open_binary(path, decompress=fmt not in COLUMNAR, position=position, split=split) as stream:
            lines = SplitLines(path, stream.raw.first, split.start) if split is not None else None
            for item in reader(stream, where, lines):
                last = item[0]
                yield item
        return
    except InputError as exc:
        error = exc
    except _READ_ERRORS as exc:
        error = as_input_error(exc, where, fmt, last)
    skips.handle(error)


def _is_empty(path: str) -> bool:
    """A regular file of 0 bytes (a remote one: as its filesystem lists it)."""
    if remote.is_url(path):
        return remote.info(path).get("size") == 0
    info = os.stat(path)
    return stat.S_ISREG(info.st_mode) and info.st_size == 0
