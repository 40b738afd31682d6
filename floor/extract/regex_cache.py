"""Compiled regexes kept across processes, as Python keeps compiled bytecode in ``__pycache__``.

floor's phrase patterns are tens of thousands of characters each (a date, a place or a name is spelt out wherever
a phrase takes one), and ``re`` spends about half a second of every process on compiling the ones a corpus
needs: a large share of a run over one shard. ``re`` compiles in two steps, a parse and a code generator written
in Python, whose result, a list of integers, the C matcher ``_sre.compile`` turns into a pattern object.
:func:`compile` keeps that list on disk under the source's hash and feeds it back to ``_sre.compile`` in the next
process, which takes well under a millisecond.

The list is the interpreter's internal format, so an entry is keyed by the interpreter's exact version and the
matcher's ``MAGIC`` as well as by the source and flags, and read back only when all of them match; ``_sre``
validates the code it is given. Anything unexpected (no cache directory, a read-only one, a damaged entry, an
interpreter whose internals differ) falls back to plain :func:`re.compile`: the cache changes how long a pattern
takes to build, never what it matches.

Where: ``$FLOOR_CACHE_DIR`` if set (empty: no cache), else ``$XDG_CACHE_HOME/floor``, else ``~/.cache/floor``;
entries go in its ``re/`` folder, a few hundred KB in all, and may be deleted at any time.
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

ENV = "FLOOR_CACHE_DIR"

try:  # the stages of re.compile (Python >= 3.11); without them, patterns are compiled as usual
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter
    _sre = None

_STAMP = f"{sys.version}|{getattr(_sre, 'MAGIC', None)}|{getattr(_sre, 'CODESIZE', None)}"
"""What the stored code depends on besides the source: the interpreter's build and its matcher's code format."""


def cache_dir() -> Path | None:
    """The folder of the regex cache, or ``None`` when caching is turned off (``FLOOR_CACHE_DIR=""``)."""
    root = os.environ.get(ENV)
    if root is None:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = os.path.join(xdg, "floor") if xdg else os.path.join(os.path.expanduser("~"), ".cache", "floor")
    return Path(root) / "re" if root else None


@functools.lru_cache(maxsize=512)
def compile(source: str, flags: int = 0) -> re.Pattern:
    """``re.compile(source, flags)``, from the cache when an earlier process has compiled the same source."""
    flags = int(flags)
    folder = cache_dir()
    if _sre is None or folder is None:
        return re.compile(source, flags)
    key = hashlib.sha256(f"{_STAMP}|{flags}|{source}".encode("utf-8", "surrogatepass")).hexdigest()
    path = folder / f"{key[:40]}.marshal"
    stored = _load(path, source, flags)
    if stored is not None:
        return stored
    try:
        args = _code(source, flags)
        pattern = _sre.compile(source, *args)
    except re.error:  # a bad pattern: as re.compile reports it
        raise
    except Exception:  # internals not as expected: compile as usual, store nothing
        return re.compile(source, flags)
    _store(path, (_STAMP, source, flags, args))
    return pattern


def _code(source: str, flags: int) -> tuple:
    """The arguments ``re._compiler.compile`` passes to ``_sre.compile`` after the source (same steps)."""
    parsed = _parser.parse(source, flags)
    code = list(map(int, _compiler._code(parsed, flags)))  # opcodes are an int subclass marshal does not take
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(groupindex), tuple(indexgroup)


def _load(path: Path, source: str, flags: int) -> re.Pattern | None:
    try:
        stamp, stored_source, stored_flags, args = marshal.loads(path.read_bytes())
        if stamp != _STAMP or stored_source != source or stored_flags != flags:
            return None
        return _sre.compile(source, *args)
    except Exception:  # no entry, or a damaged one (which _sre.compile's validation also rejects)
        return None


def _store(path: Path, entry: tuple) -> None:
    """Write ``entry`` atomically (a concurrent reader sees the whole entry or none); any OS error is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps(entry))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
