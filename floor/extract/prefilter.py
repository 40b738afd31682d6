"""Keyword prefilter on raw bytes: which keyword literals MAY occur in each record, before any text is decoded.

Readers hand a block of raw records (JSON lines, or the concatenated UTF-8 values of a Parquet text column) and
the end offset of each record to :meth:`Prefilter.masks`; it returns one bit mask per record. Bit ``i`` set:
keyword ``i`` may occur in the record's text; bit ``i`` clear: it certainly does not. The extractor then scans
the decoded text only for the keywords whose bit is set, and skips a record whose mask is 0 entirely: a fact
always starts at a keyword hit, so the output is exactly what a full scan gives.

Why a clear bit is a proof of absence:

* a JSON string holds its text as UTF-8, with escapes ``\\n``, ``\\"``, ``\\\\``, ``\\/``, ``\\b``, ``\\f``,
  ``\\r``, ``\\t`` and ``\\uXXXX``. None of the short escapes decodes to a letter or a parenthesis, so a
  keyword in the text is the same bytes in the record -- unless one of its characters is written as a
  ``\\uXXXX`` escape (for ASCII keywords, a ``\\u00XX`` escape of an ASCII character). A record holding such
  an escape (the pattern :data:`ASCII_ESCAPE`; any ``\\u`` escape, :data:`ANY_ESCAPE`, when a keyword is not
  ASCII) gets the :attr:`Prefilter.unknown` bit, and the extractor checks every keyword. The escapes of
  :data:`HTML_SAFE` characters, which some encoders write everywhere, are exempt while no keyword or raw
  pattern holds such a character: where a pattern needs a particular character (a letter, a digit, a space, a
  parenthesis, a dash), the text has that character there, never an HTML-safe one, and an escape holds no
  parenthesis for a ``[^()]`` to stop at;
* a keyword's raw pattern may add a *raw guard*: bytes that must follow the keyword in the record whenever the
  language's guard (on decoded text) matches. Raw guards are language data (``Language.raw_guards``) and
  must over-approximate: they work on the encoded bytes, where a whitespace may be written ``\\n`` or as a
  multi-byte UTF-8 sequence, and a letter may have non-ASCII case variants (``ſ`` matches ``s`` under
  ``re.IGNORECASE``);
* with hyperscan, a keyword may instead have a *raw context* (``Language.raw_contexts``): bytes around the
  keyword that must match wherever one of its phrases matches, such as the glue before ``born`` and the first
  character of a date after it. A clear bit then says more: the keyword may occur, but none of its phrases
  matches, so no fact starts there either.

Two implementations: hyperscan (a dependency; ``auto`` falls back when it cannot be loaded), one scan per block
for all patterns, and the standard library (``bytes.find`` and ``re``, record by record, keyword and raw guard
only: ``re`` would backtrack on the nested repeats of a raw context). The hyperscan masks are a subset of the
fallback's; a hyperscan match may also run from the end of one record into the next and set a bit there (more
bits, never fewer; JSON lines cannot produce one). Either way the facts are the same.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

from ..errors import FloorError
from . import pattern_cache

ASCII_ESCAPE = rb"\\u00[2-7][0-9A-Fa-f]"
"""A JSON ``\\uXXXX`` escape of a printable ASCII character: it could spell (part of) a keyword."""
HTML_SAFE = "&'<=>"
"""Characters some JSON encoders always escape, for HTML safety (Go's ``encoding/json`` writes ``\\u003c``,
``\\u003e`` and ``\\u0026``; Java's Gson also ``\\u003d`` and ``\\u0027``). Unless a keyword or a raw pattern
holds one of them, their escapes cannot spell anything a mask depends on, so they do not set the unknown bit:
such corpora keep the prefilter."""
ASCII_ESCAPE_NOT_HTML_SAFE = rb"\\u00(?:2[0-58-9A-Fa-f]|3[0-9ABFabf]|[4-7][0-9A-Fa-f])"
""":data:`ASCII_ESCAPE` without the escapes of :data:`HTML_SAFE`."""
ANY_ESCAPE = rb"\\u[0-9A-Fa-f]{4}"
"""Any JSON ``\\uXXXX`` escape: the unknown-bit trigger when a keyword has a non-ASCII character."""

BACKENDS = ("auto", "hyperscan", "python")


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except Exception:  # ImportError, or a wheel whose native library does not load
        return False
    return True


class Prefilter:
    """Per-record keyword masks for ``keywords`` (bit ``i`` = ``keywords[i]``; :attr:`unknown` = check all)."""

    def __init__(self, keywords: Sequence[str], raw_guards: dict[str, bytes] | None = None, backend: str = "auto",
                 raw_contexts: dict[str, bytes] | None = None):
        if backend not in BACKENDS:
            raise FloorError(f"prefilter backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        if backend == "hyperscan" and not hyperscan_available():
            raise FloorError("the hyperscan prefilter needs the hyperscan package, which cannot be loaded here")
        raw_guards = raw_guards or {}
        self.keywords = tuple(keywords)
        self.unknown = 1 << len(self.keywords)
        self.all = (self.unknown << 1) - 1
        if backend == "auto":
            backend = "hyperscan" if hyperscan_available() else "python"
        self.backend = backend
        contexts = (raw_contexts or {}) if backend == "hyperscan" else {}
        patterns = tuple(
            contexts.get(kw) or re.escape(kw.encode("utf-8")) + raw_guards.get(kw, b"") for kw in self.keywords
        )
        self.patterns: tuple[bytes, ...] = patterns + (_escape_pattern(self.keywords, patterns),)
        if backend == "hyperscan":
            self._db = _hyperscan_db(self.patterns)
            self.masks = self._masks_hyperscan
        else:
            # A literal is found with bytes.find (fast search in C); a pattern with a guard with re.
            self._finders = tuple(
                (1 << i, kw.encode("utf-8") if kw not in raw_guards else None, re.compile(p).search)
                for i, (kw, p) in enumerate(zip(self.keywords, self.patterns))
            ) + ((self.unknown, None, re.compile(self.patterns[-1]).search),)
            self.masks = self._masks_python

    def __getstate__(self):
        raise TypeError("Prefilter holds a compiled database; build it in each process")

    def _masks_hyperscan(self, block: bytes, ends: Sequence[int]) -> list[int]:
        """One mask per record: record ``i`` is ``block[ends[i-1]:ends[i]]`` (the first starts at 0)."""
        found: list[tuple[int, int]] = []
        add = found.append
        self._db.scan(block, match_event_handler=lambda bit, _start, end, _flags, _ctx: add((end, bit)))
        out = [0] * len(ends)
        if found:
            last = len(ends) - 1
            for end, bit in found:
                i = bisect_left(ends, end)
                out[i if i <= last else last] |= bit
        return out

    def _masks_python(self, block: bytes, ends: Sequence[int]) -> list[int]:
        out = []
        finders = self._finders
        find = block.find
        start = 0
        for end in ends:
            mask = 0
            for bit, literal, search in finders:
                if literal is not None:
                    if find(literal, start, end) >= 0:
                        mask |= bit
                elif search(block, start, end) is not None:
                    mask |= bit
            out.append(mask)
            start = end
        return out

    def mask(self, record: bytes) -> int:
        """The mask of one record."""
        return self.masks(record, (len(record),))[0]


def _escape_pattern(keywords: Sequence[str], patterns: Sequence[bytes]) -> bytes:
    """The escapes that set the unknown bit: any ``\\uXXXX`` when a keyword has a non-ASCII character (it could be
    spelt with any escape), else those of printable ASCII characters, but for :data:`HTML_SAFE` ones where no
    keyword or pattern holds one. A pattern that needs one of those characters must therefore spell it literally
    (``&``, not ``\\x26`` or a range such as ``[!-/]``)."""
    if not all(kw.isascii() for kw in keywords):
        return ANY_ESCAPE
    if any(c in kw for c in HTML_SAFE for kw in keywords) or any(c.encode() in p for c in HTML_SAFE for p in patterns):
        return ASCII_ESCAPE
    return ASCII_ESCAPE_NOT_HTML_SAFE


def _hyperscan_db(patterns: Sequence[bytes]):
    import hyperscan

    # Pattern ids are the mask bits, so the match handler ORs them in directly. DOTALL: a guard's class never
    # stops at a line feed (there is none inside a JSON line; a Parquet value may hold one).
    return pattern_cache.hyperscan_database(patterns, [1 << i for i in range(len(patterns))],
                                            [hyperscan.HS_FLAG_DOTALL] * len(patterns))
