"""Which files to read, and in which format: input expansion and format detection."""

from __future__ import annotations

import fnmatch
import glob
import io
import itertools
import os
import stat
from collections.abc import Sequence

import orjson

from floor.errors import FloorError
from floor.sources import remote

FORMATS = ("jsonl", "parquet", "arrow", "text", "tsv")
COLUMNAR = {"parquet": "Parquet", "arrow": "Arrow"}
"""Formats read as Arrow record batches from a seekable file (never decompressed by floor, never from stdin), and
how messages name them."""
STDIN = "-"

EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".arrow": "arrow",
    ".txt": "text",
    ".tsv": "tsv",
}
COMPRESSIONS = {".gz": "gzip", ".zst": "zstd", ".bz2": "bz2", ".xz": "xz"}


def split_compression(path: str) -> tuple[str, str | None]:
    """``("a.jsonl", "zstd")`` for ``a.jsonl.zst``; ``(path, None)`` when the name has no compression suffix."""
    stem, ext = os.path.splitext(path)
    compression = COMPRESSIONS.get(ext.lower())
    return (stem, compression) if compression else (path, None)


def detect_format(path: str, override: str | None = None) -> str:
    """The format of ``path``: ``override`` when given, else from the extension (compression suffix stripped)."""
    if override is not None:
        if override not in FORMATS:
            raise FloorError(f"unknown format {override!r}; choose one of {', '.join(FORMATS)}")
        return override
    if path == STDIN:
        return "jsonl"
    stem, _ = split_compression(path)
    fmt = EXTENSIONS.get(os.path.splitext(stem)[1].lower())
    if fmt is None:
        raise FloorError(f"cannot tell the format of {path} from its extension; pass --format ({'|'.join(FORMATS)})")
    return fmt


def _has_known_extension(name: str) -> bool:
    stem, _ = split_compression(name)
    return os.path.splitext(stem)[1].lower() in EXTENSIONS


def _raise_walk_error(exc: OSError) -> None:
    raise FloorError(f"cannot read directory {exc.filename}: {exc.strerror}")


def _is_special(path: str) -> bool:
    """A FIFO, socket or device: reading one may block forever. (A path that cannot be stat'ed is not: reading
    it reports why.)"""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _walk(directory: str, ignored: list[tuple[str, str]], chosen: "_Selection") -> list[str]:
    """Files with a known extension below ``directory`` that the patterns keep, hidden files and directories
    skipped, in tree order; those that are no corpus files (:func:`_regular`) or of no known extension are
    appended to ``ignored`` instead."""
    found = []
    for root, dirs, files in os.walk(directory, onerror=_raise_walk_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(root, f) for f in files if not f.startswith("."))
    return _known(chosen.keep(sorted(found, key=lambda p: p.split(os.sep)), directory), ignored)


def _listed(urls: list[str], root: str, ignored: list[tuple[str, str]], chosen: "_Selection") -> list[str]:
    """:func:`_walk` of a remote directory ``root``, given the URLs of every file below it."""
    found = [url for url in urls if not any(part.startswith(".") for part in url[len(root):].lstrip("/").split("/"))]
    return _known(chosen.keep(sorted(found, key=lambda p: p.split("/")), root), ignored)


def _known(paths: list[str], ignored: list[tuple[str, str]]) -> list[str]:
    """The corpus files among ``paths`` found in a directory (:func:`_regular`); the files of no known extension
    go to ``ignored``."""
    for path in paths:
        if not _has_known_extension(path):
            ignored.append((path, UNKNOWN_FORMAT))
    return _regular([path for path in paths if _has_known_extension(path)], ignored)


SPECIAL = "a FIFO, socket or device (reading one may block forever)"
UNKNOWN_FORMAT = "of no format floor reads, by the extension"
JSON_DOCUMENT = "one JSON document, not JSON lines (a dataset's metadata, such as state.json)"
JSON_DOCUMENT_MAX_BYTES = 16 << 20
"""A larger ``.json`` file is taken for JSON lines without a look (metadata files are small)."""


def _regular(paths: list[str], ignored: list[tuple[str, str]]) -> list[str]:
    """``paths`` without the files that are no corpus files, which go to ``ignored`` with the reason: special
    files, and ``.json`` files that hold one JSON document rather than JSON lines."""
    kept: list[str] = []
    for path in paths:
        reason = SPECIAL if _is_special(path) else JSON_DOCUMENT if _is_json_document(path) else None
        if reason is None:
            kept.append(path)
        else:
            ignored.append((path, reason))
    return kept


def _is_json_document(path: str) -> bool:
    """An uncompressed ``.json`` file whose first line is no JSON object while the whole file is one JSON value
    (a pretty-printed object): not JSON lines. A file that is neither is left to the reader, which names its bad
    line."""
    if not path.lower().endswith(".json"):
        return False
    try:
        if _size(path) > JSON_DOCUMENT_MAX_BYTES:
            return False
        with (io.BufferedReader(remote.open_file(path)) if remote.is_url(path) else open(path, "rb")) as handle:
            first = handle.readline()
            while first and first.isspace():
                first = handle.readline()
            try:
                if isinstance(orjson.loads(first), dict):
                    return False  # JSON lines: the rest is not read here
            except orjson.JSONDecodeError:
                pass
            rest = handle.read()
    except OSError:
        return False  # the reader reports why it cannot be read
    try:
        orjson.loads(first + rest)
    except orjson.JSONDecodeError:
        return False
    return True


def _size(path: str) -> int:
    if remote.is_url(path):
        size = remote.info(path).get("size")
        return size if isinstance(size, int) else 0
    return os.path.getsize(path)


class _Selection:
    """``--glob``/``--exclude`` patterns (see :func:`expand_inputs`)."""

    def __init__(self, include: tuple[str, ...], exclude: tuple[str, ...]):
        self.include, self.exclude = include, exclude

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def keep(self, paths: list[str], root: str | None) -> list[str]:
        """``paths`` found under ``root`` (a walked directory; ``None``: glob matches) that the patterns keep."""
        if not self:
            return paths
        return [path for path in paths if self._keeps(path, root)]

    def _keeps(self, path: str, root: str | None) -> bool:
        relative = os.path.relpath(path, root) if root is not None else path
        relative = relative.replace(os.sep, "/")

        def matches(pattern: str) -> bool:
            return fnmatch.fnmatchcase(relative if "/" in pattern else os.path.basename(path), pattern)

        return (not self.include or any(map(matches, self.include))) and not any(map(matches, self.exclude))

    def said(self) -> str:
        """How the selection is spelt, for a message."""
        parts = [f"--glob {p}" for p in self.include] + [f"--exclude {p}" for p in self.exclude]
        return f" after {' '.join(parts)}" if parts else ""


def _expand_url(url: str, ignored: list[tuple[str, str]], chosen: _Selection) -> list[str]:
    """:func:`_expand_one` of a URL: the same selection, over what its filesystem lists."""
    listed = remote.list_files(url)
    pattern = remote.is_pattern(url)
    if listed == [(url, None)] and not pattern:
        return [url]  # a file named explicitly
    files: list[str] = []
    before = len(ignored)
    for root, group in itertools.groupby(listed, key=lambda entry: entry[1]):
        urls = [entry[0] for entry in group]
        files.extend(_regular(chosen.keep(urls, None), ignored) if root is None
                     else _listed(urls, root, ignored, chosen))
    if files:
        return files
    if pattern:
        raise FloorError(f"glob matched no files: {url}{chosen.said()}")
    if not listed:
        raise FloorError(f"no such file or directory: {url}")
    left = len(ignored) - before
    left_out = f"; left out {left} files that are no corpus files" if left else ""
    raise FloorError(f"no input files in directory: {url} (looked for {', '.join(EXTENSIONS)}"
                     f"{chosen.said()}{left_out})")


def _expand_one(item: str, ignored: list[tuple[str, str]], chosen: _Selection) -> list[str]:
    if item == STDIN:
        return [STDIN]
    item = remote.local_path(item)
    if remote.is_url(item):
        return _expand_url(item, ignored, chosen)
    if os.path.isdir(item):
        before = len(ignored)
        files = _walk(item, ignored, chosen)
        if not files:
            special = len(ignored) - before
            left_out = f"; left out {special} files that are no corpus files" if special else ""
            raise FloorError(f"no input files in directory: {item} (looked for {', '.join(EXTENSIONS)}"
                             f"{chosen.said()}{left_out})")
        return files
    if os.path.lexists(item):
        return [item]  # an explicit file is taken whatever its name or kind (a FIFO from <(zcat f) included)
    if any(c in item for c in "*?["):
        files = []
        for match in sorted(glob.glob(item, recursive=True)):
            files.extend(_walk(match, ignored, chosen) if os.path.isdir(match)
                         else _regular(chosen.keep([match], None), ignored))
        if not files:
            raise FloorError(f"glob matched no files: {item}{chosen.said()}")
        return files
    raise FloorError(f"no such file or directory: {item}")


def expand_inputs(inputs: Sequence[str], ignored: list[tuple[str, str]] | None = None, *, include: Sequence[str] = (),
                  exclude: Sequence[str] = ()) -> list[str]:
    """Turn files, directories and globs into a deterministic list of files to read; ``"-"`` is stdin.

    Inputs keep the order given; a directory becomes its files with a known extension (recursive, sorted,
    hidden files and directories skipped); a glob becomes its matches, sorted (matched directories are walked
    like directories, matched files are kept whatever their extension). A file named twice is read once.
    A URL (``s3://``, ``hf://``, ``https://``...; :mod:`floor.sources.remote`) is expanded alike, over what its
    filesystem lists (a prefix is a directory); an HTTP(S) URL names one file. ``file://`` URLs are local paths.

    ``include``/``exclude``: shell patterns (``fnmatch``) that select among the files directories and globs turn
    up: a file is kept when it matches some ``include`` pattern (if any are given) and no ``exclude`` pattern. A
    pattern with a ``/`` is matched against the file's path under the directory given (for a glob, its path as
    matched), one without against its name. A file named explicitly is always read.

    Files that a directory or a glob turns up and that are no corpus files are left out: special files (FIFOs,
    sockets, devices), since reading one may block forever, and ``.json`` files that hold one JSON document
    (a dataset's ``state.json``) rather than JSON lines; each is appended once to ``ignored``, as ``(path,
    reason)``, when a list is given, so that the caller can report them. A file named explicitly is read
    whatever it is (``<(zcat shard.jsonl.gz)`` is a FIFO).
    """
    if isinstance(inputs, str):
        inputs = [inputs]
    out: list[str] = []
    seen: set[str] = set()
    special: list[tuple[str, str]] = []
    chosen = _Selection(tuple(include), tuple(exclude))
    for item in inputs:
        for path in _expand_one(os.fspath(item), special, chosen):
            key = path if path == STDIN or remote.is_url(path) else os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                out.append(path)
    if ignored is not None:
        for path, reason in special:
            key = path if remote.is_url(path) else os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                ignored.append((path, reason))
    return out
