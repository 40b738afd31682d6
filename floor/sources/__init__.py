"""Readers: turn corpus shards into documents, or pre-extracted files into triples, streaming.

Public API::

    expand_inputs(inputs, ignored)   files, directories, globs and URLs -> list of files ("-" is stdin); special
                                     files found in directories and globs are left out (into ``ignored``)
    detect_format(path, override)    "jsonl" | "parquet" | "arrow" | "text" | "tsv"
    read_documents(path, skips=...)  Documents of one input
    read_texts(path, skips=..., prefilter=...)   (doc_id, text, prefilter mask, title, raw domain) of one input,
                                     for extraction
    read_triples(path, skips=...)    Triples of one input (JSONL, Parquet or TSV with entity, relation, value)
    iter_documents(inputs, ...) / iter_triples(inputs, ...)   all inputs, one after the other

Formats: JSONL (``.jsonl``, ``.ndjson``, ``.json``; one object per line), Parquet (``.parquet``, ``.pq``),
text (``.txt``; one document per file, its id the path) and TSV (``.tsv``; header row required). JSONL, text
and TSV may be compressed (``.gz``, ``.zst``, ``.bz2``, ``.xz``). Stdin is read as uncompressed JSONL unless a
format is given; Parquet cannot come from stdin.

Bad input never raises a traceback: each problem becomes an :class:`~floor.errors.InputError` with a stable
``kind`` (``malformed_json``, ``cr_line_endings``, ``invalid_utf8``, ``missing_text_field``, ``non_string_text``,
``not_an_object``, ``bad_id``, ``bad_title``, ``bad_domain``, ``bad_triple``, ``malformed_tsv``, ``truncated_compressed``,
``corrupt_compressed``, ``empty_file``, ``unreadable_file``, ``missing_column``, ``bad_parquet``) handed to
``skips.handle``: with ``SkipLog(on_error="fail")`` it raises, with ``"skip"`` it is counted and reading goes on
with the next record, or the next file when the file itself is bad.

A compressed file is read to its end: every stream it holds (gzip members, bz2 and xz streams, zstd frames),
each checked. It is ``truncated_compressed`` when it ends inside a stream, ``corrupt_compressed`` when a stream
does not decode (a failed checksum included) or bytes follow the last stream that neither start another nor
are padding (zero bytes after a gzip member; after an xz stream, in multiples of four). The records decoded
before the damage are yielded (they are real data) and the error follows them, so with ``--on-error fail`` the
run stops there; records in the step of decoding that meets the damage (at most 1 MiB of data, or what 128 KiB
of zstd input holds) are lost with it. ``cr_line_endings``: a JSON Lines line (or a TSV header) goes on after a
carriage return, as in a file whose lines end with CR alone; such a file is read as one line, and is not split
on CR because byte offsets and line numbers count line feeds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from floor.errors import FloorError, InputError, SkipLog
from floor.count.table import KEY_SEPARATOR
from floor.profile import ALL
from floor.sources.domains import DomainRule
from floor.sources.paths import COLUMNAR, FORMATS, STDIN, detect_format, expand_inputs
from floor.sources.splits import Split, plan_splits
from floor.sources.records import (
    UNREAD, Fields, Location, display_path, iter_records, iter_scanned_records, json_type,
)
from floor.sources.streams import Position

__all__ = [
    "FORMATS",
    "Document",
    "Position",
    "STDIN",
    "Split",
    "Triple",
    "detect_format",
    "expand_inputs",
    "iter_documents",
    "iter_triples",
    "plan_splits",
    "read_documents",
    "read_texts",
    "read_triples",
]

TRIPLE_FIELDS = ("entity", "relation", "value")
TRIPLE_COLUMNS = Fields(TRIPLE_FIELDS, ("doc_id",), aliases=(("relation", "category"),))
"""The columns of pre-extracted facts: ``relation`` may be ``category`` (``floor extract``'s name for it)."""
TRIPLE_FORMATS = ("jsonl", "parquet", "tsv")


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    source: str  # the input path, "-" for stdin


@dataclass(frozen=True, slots=True)
class Triple:
    doc_id: str
    entity: str
    relation: str
    value: str
    source: str


def _record_id(record: dict, field: str, path: str, where: str, location: Location,
               default: bool = True) -> str | None:
    """The record's id as str (strings and integers accepted); ``path:location`` when absent, null or empty
    (``None`` without ``default``: the id is checked but not needed)."""
    value = record.get(field)
    if type(value) is str and value:
        return value
    if value is None or value == "":
        if not default:
            return None
        return path if location is None else f"{path}:{location}"
    if type(value) is int:
        return str(value)
    reason = f"id field {field!r} must be a string or an integer, not {json_type(value)}"
    raise InputError(where, location, reason, kind="bad_id")


def _check_input(path: str, fmt: str) -> None:
    if path == STDIN and fmt in COLUMNAR:
        raise FloorError(f"{COLUMNAR[fmt]} cannot be read from stdin (it needs a seekable file); pass the "
                         "file's path")


def read_documents(
    path: str,
    *,
    fmt: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    skips: SkipLog,
) -> Iterator[Document]:
    """Stream the documents of one input (``"-"``: stdin, JSONL unless ``fmt`` says otherwise).

    The text is the ``text_field`` (a string); the id is the ``id_field`` when present, else ``path:line``
    (JSONL, TSV), ``path:row`` (Parquet, 1-based) or the path itself (a text file). Format and stdin problems
    raise :class:`FloorError` here, at the call; problems with the data go through ``skips`` while iterating.
    Documents read before a compressed stream turns out truncated or corrupt are yielded (they are real); the
    error follows them, so with ``--on-error fail`` the run stops there.
    """
    fmt = detect_format(path, fmt)
    _check_input(path, fmt)
    return _documents(path, fmt, text_field, id_field, skips)


def _documents(path: str, fmt: str, text_field: str, id_field: str, skips: SkipLog) -> Iterator[Document]:
    for doc_id, text, _, _, _ in _texts(path, fmt, text_field, id_field, skips, None, None):
        yield Document(doc_id, text, path)


def read_texts(
    path: str,
    *,
    fmt: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    domain: DomainRule | None = None,
    skips: SkipLog,
    prefilter,
    position: Position | None = None,
    split: Split | None = None,
    ids: bool = True,
    unmatched_texts: bool = True,
) -> Iterator[tuple[str | None, str | None, int | None, str | None, str | None]]:
    """``(doc_id, text, mask, title, domain)`` for each document of one input: the documents of :func:`read_documents`
    (same ids, same errors in the same order), each with its mask from ``prefilter`` (a
    :class:`~floor.extract.prefilter.Prefilter`, or ``None``) computed on the raw bytes, or ``None`` where
    there is none (pass it to ``Extractor.extract``). ``position``, if given, follows the bytes read.

    ``title_field``: a field (a Parquet column, which must exist) holding each document's title, the subject of
    a page about one person (as in Wikipedia dumps); a record without one, or with an empty or null one, has
    title ``None``, and one that is not a string is a ``bad_title`` error.

    ``domain``: where each document's domain is read from (:class:`~floor.sources.domains.DomainRule`; its
    top-level field must be a Parquet column); the raw value comes back (``None``: no domain, no rule, or a rule
    that takes it from the file's path), and one that is not a string is a ``bad_domain`` error.

    ``split``: only the documents of that split of an uncompressed JSONL file (:mod:`floor.sources.splits`).
    ``ids=False``: ids are checked but a missing one is not made up (``None``): counting needs no ids, and a
    default id of a split would cost a read of the file before it.
    ``unmatched_texts=False``: a document whose mask is 0 (no keyword of the prefilter can match in it) comes
    with ``None`` for its text: extraction needs only the others, and a Parquet text is then never decoded.
    """
    fmt = detect_format(path, fmt)
    _check_input(path, fmt)
    return _texts(path, fmt, text_field, id_field, skips, prefilter, position, split, ids, unmatched_texts,
                  title_field, domain)


def _texts(path: str, fmt: str, text_field: str, id_field: str, skips: SkipLog, prefilter,
           position: Position | None, split: Split | None = None, ids: bool = True,
           unmatched_texts: bool = True, title_field: str | None = None, domain: DomainRule | None = None,
           ) -> Iterator[tuple[str | None, str | None, int | None, str | None, str | None]]:
    where = display_path(path)
    missing = object()
    required = (text_field,) + ((title_field,) if title_field is not None else ()) + \
        ((domain.column,) if domain is not None and domain.column is not None else ())
    fields = Fields(tuple(dict.fromkeys(required)), (id_field,))
    for location, record, mask in iter_scanned_records(path, fmt, fields, skips, prefilter, position, split,
                                                       unmatched_texts):
        text = record.get(text_field, missing)
        if text is UNREAD:
            text = None  # a string the reader left undecoded: no keyword can match in it
        elif type(text) is not str:
            if text is missing:
                reason = f"missing text field {text_field!r}"
                skips.handle(InputError(where, location, reason, kind="missing_text_field"))
            else:
                reason = f"text field {text_field!r} is {json_type(text)}, not a string"
                skips.handle(InputError(where, location, reason, kind="non_string_text"))
            continue
        elif mask == 0 and not unmatched_texts:
            text = None
        doc_id = record.get(id_field)
        if type(doc_id) is not str or not doc_id:
            try:
                doc_id = _record_id(record, id_field, path, where, location, default=ids)
            except InputError as exc:
                skips.handle(exc)
                continue
        title = None
        if title_field is not None:
            title = record.get(title_field) or None
            if title is not None and type(title) is not str:
                reason = f"title field {title_field!r} is {json_type(title)}, not a string"
                skips.handle(InputError(where, location, reason, kind="bad_title"))
                continue
        raw_domain = None
        if domain is not None and domain.column is not None:
            try:
                raw_domain = domain.raw(record, where, location)
            except InputError as exc:
                skips.handle(exc)
                continue
        yield doc_id, text, mask, title, raw_domain


def read_triples(path: str, *, fmt: str | None = None, skips: SkipLog,
                 position: Position | None = None) -> Iterator[Triple]:
    """Stream pre-extracted facts of one input: columns ``entity``, ``relation`` (not ``all``; or ``category``,
    as ``floor extract`` writes it, so its output reads back as it is), ``value`` (non-empty strings) and
    optionally ``doc_id`` (else ``path:line`` / ``path:row``). JSONL, Parquet or TSV (header row required).
    ``position``, if given, follows the bytes read from the file.
    """
    fmt = detect_format(path, fmt)
    _check_input(path, fmt)
    if fmt not in TRIPLE_FORMATS:
        raise FloorError(f"triples cannot be read from {fmt} input {path}; use {', '.join(TRIPLE_FORMATS)}")
    return _triples(path, fmt, skips, position)


def _triple_field(record: dict, name: str, where: str, location: Location) -> str:
    value = record.get(name)
    if type(value) is str and value.strip():
        return value
    if name not in record:
        problem = "is missing"
    elif type(value) is str:
        problem = "is empty"
    else:
        problem = f"is {json_type(value)}, not a string"
    raise InputError(where, location, f"triple field {name!r} {problem}", kind="bad_triple")


def _triples(path: str, fmt: str, skips: SkipLog, position: Position | None = None) -> Iterator[Triple]:
    where = display_path(path)
    for location, record in iter_records(path, fmt, TRIPLE_COLUMNS, skips, position):
        try:
            entity = _triple_field(record, "entity", where, location)
            relation = _triple_field(record, "relation" if "relation" in record else "category", where, location)
            if relation == ALL:
                # A relation is a category of the report, which names the group pooling them all 'all'.
                raise InputError(where, location, f"triple relation {ALL!r} is the name of the group that pools "
                                                  "every category; rename it", kind="bad_triple")
            if KEY_SEPARATOR in relation:
                # Count tables are named category<US>domain (floor.count.summary.table_name).
                raise InputError(where, location, "triple relation holds the unit separator U+001F, which "
                                                  "floor reserves", kind="bad_triple")
            value = _triple_field(record, "value", where, location)
            triple = Triple(_record_id(record, "doc_id", path, where, location), entity, relation, value, path)
        except InputError as exc:
            skips.handle(exc)
            continue
        yield triple


def _iter_all(inputs: Sequence[str] | str, read, **kw: Any) -> Iterator[Any]:
    # read_* check name and format at the call and only open the file when iterated, so building every
    # reader first makes a bad input name fail before anything is read.
    return itertools.chain.from_iterable([read(path, **kw) for path in expand_inputs(inputs)])


def iter_documents(inputs: Sequence[str] | str, *, fmt: str | None = None, **kw: Any) -> Iterator[Document]:
    """Documents of all ``inputs`` (expanded with :func:`expand_inputs`), file after file. Input names and
    formats are checked at the call; keywords as for :func:`read_documents`."""
    return _iter_all(inputs, read_documents, fmt=fmt, **kw)


def iter_triples(inputs: Sequence[str] | str, *, fmt: str | None = None, **kw: Any) -> Iterator[Triple]:
    """Triples of all ``inputs``, file after file; keywords as for :func:`read_triples`."""
    return _iter_all(inputs, read_triples, fmt=fmt, **kw)
