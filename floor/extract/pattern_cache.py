"""Compiled patterns kept across processes, as Python keeps compiled bytecode in ``__pycache__``.

floor's phrase patterns are tens of thousands of characters each (a date, a place or a name is spelt out wherever
a phrase takes one), and ``re`` spends about half a second of every process on compiling the ones a corpus
needs: a large share of a run over one shard. ``re`` compiles in two steps, a parse and a code generator written
in Python, whose result, a list of integers, the C matcher ``_sre.compile`` turns into a pattern object.
:func:`regex` keeps that list on disk under the source's hash and hands it back to ``_sre.compile`` in the next
process, which takes well under a millisecond. The prefilter's hyperscan database is kept the same way, in
hyperscan's own serialized form (:func:`hyperscan_database`).

The list is the interpreter's internal format, so an entry is keyed by the interpreter's exact version and the
matcher's ``MAGIC`` as well as by the source and flags, and read back only when all of them match; ``_sre``
validates the code it is given, and hyperscan checks a database's version and platform. Anything unexpected (no
cache directory, a read-only one, a damaged entry, an interpreter whose internals differ) falls back to compiling:
the cache changes how long a pattern takes to build, never what it matches.

Where: ``$FLOOR_CACHE_DIR`` if set (empty: no cache), else ``$XDG_CACHE_HOME/floor``, else ``~/.cache/floor``;
a few MB in all, which may be deleted at any time.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Sequence

ENV = "FLOOR_CACHE_DIR"

try:  # the stages of re.compile (Python >= 3.11); without them, patterns are compiled as usual
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter
    _sre = None

_RE_STAMP = f"{sys.version}|{getattr(_sre, 'MAGIC', None)}|{getattr(_sre, 'CODESIZE', None)}"
"""What the stored code depends on besides the source: the interpreter's build and its matcher's code format."""


def cache_dir() -> Path | None:
    """The cache's folder, or ``None`` when caching is turned off (``FLOOR_CACHE_DIR=""``)."""
    root = os.environ.get(ENV)
    if root is None:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = os.path.join(xdg, "floor") if xdg else os.path.join(os.path.expanduser("~"), ".cache", "floor")
    return Path(root) if root else None


@functools.lru_cache(maxsize=512)
def regex(source: str, flags: int = 0) -> re.Pattern:
    """``re.compile(source, flags)``, read back from the cache when an earlier process has compiled it."""
    flags = int(flags)
    path = _regex_entry(source, flags)
    if path is None:
        return re.compile(source, flags)
    args = _read(path, _RE_STAMP, (source, flags))
    if args is not None:
        try:
            return _sre.compile(source, *args)
        except Exception:  # a damaged entry, which _sre.compile's validation rejects: compile again
            pass
    try:
        args = _code(source, flags)
        pattern = _sre.compile(source, *args)
    except re.error:  # a bad pattern: as re.compile reports it
        raise
    except Exception:  # internals not as expected: compile as usual, store nothing
        return re.compile(source, flags)
    _write(path, _RE_STAMP, (source, flags), args)
    return pattern


def _regex_entry(source: str, flags: int) -> Path | None:
    return None if _sre is None else _entry("re", _RE_STAMP, f"{flags}|{source}")


def _code(source: str, flags: int) -> tuple:
    """The arguments ``re._compiler.compile`` passes to ``_sre.compile`` after the source (same steps)."""
    parsed = _parser.parse(source, flags)
    code = list(map(int, _compiler._code(parsed, flags)))  # opcodes are an int subclass marshal does not take
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(groupindex), tuple(indexgroup)


def hyperscan_database(expressions: Sequence[bytes], ids: Sequence[int], flags: Sequence[int]):
    """A block-mode hyperscan database of ``expressions``, read back from the cache when an earlier process has
    compiled the same one."""
    import hyperscan

    stamp = f"hyperscan {getattr(hyperscan, '__version__', None)}"
    key = (tuple(expressions), tuple(ids), tuple(flags))
    path = _entry("hyperscan", stamp, repr(key))
    if path is not None:
        stored = _read(path, stamp, key)
        if stored is not None:
            try:
                db = hyperscan.loadb(stored, hyperscan.HS_MODE_BLOCK)
                db.scratch = hyperscan.Scratch(db)  # a database read back has none yet
                return db
            except Exception:  # damaged, or built for another platform: compile again
                pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=list(expressions), ids=list(ids), elements=len(expressions), flags=list(flags))
    if path is not None:
        _write(path, stamp, key, hyperscan.dumpb(db))
    return db


def remembered(kind: str, stamp: str, key: str, compute):
    """``compute()`` (a value ``marshal`` stores), read back from the cache when an earlier process computed it for
    the same ``kind``, ``stamp`` (the version of what computes it) and ``key``."""
    path = _entry(kind, stamp, key)
    if path is not None:
        stored = _read(path, stamp, key)
        if stored is not None:
            return stored[0]
    value = compute()
    if path is not None:
        _write(path, stamp, key, (value,))
    return value


def _entry(kind: str, stamp: str, key: str) -> Path | None:
    """The cache file of ``key`` among the entries of ``kind``, or ``None`` when there is no cache."""
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{stamp}|{key}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / kind / f"{digest[:40]}.marshal"


def _read(path: Path, stamp: str, key):
    """The payload stored at ``path`` for exactly ``stamp`` and ``key``, or ``None``."""
    try:
        stored_stamp, stored_key, payload = marshal.loads(path.read_bytes())
    except Exception:  # no entry, or a damaged one
        return None
    return payload if stored_stamp == stamp and stored_key == key else None


def _write(path: Path, stamp: str, key, payload) -> None:
    """Store ``payload`` atomically (a concurrent reader sees the whole entry or none); any OS error is ignored:
    the next process compiles again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps((stamp, key, payload)))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
