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
for all patterns, and one without it (``bytes.find``, and RE2 for a raw guard, record by record; keyword and raw
guard only: a raw context is a larger automaton, searched record by record at a cost hyperscan's one scan avoids).
Raw patterns are a pack's data: both run them in time linear in the record. The hyperscan masks are a subset of the
fallback's; a hyperscan match may also run from the end of one record into the next and set a bit there (more
bits, never fewer; JSON lines cannot produce one). Either way the facts are the same.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

from ..errors import FloorError
from . import linear, pattern_cache

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


def raw_pattern(keyword: str, raw_guard: bytes = b"") -> bytes:
    """The byte pattern of ``keyword`` (its UTF-8 bytes) with its raw guard right after it, a group of its own
    (``born`` and ``\\t|,``: a tab or a comma after ``born``, not a comma anywhere)."""
    literal = re.escape(keyword.encode("utf-8"))
    return literal + b"(?:" + raw_guard + b")" if raw_guard else literal


def raw_problem(pattern: bytes) -> str | None:
    """Why the prefilter cannot run the byte ``pattern`` (:func:`raw_pattern`, or a raw context), or ``None``: what
    RE2 refuses on bytes, or hyperscan, where it loads (a pattern that can be empty or never match, a start
    anchor after the keyword, ``\\x{100}``). The verdict is kept across processes, as RE2's on a text pattern."""
    stamp = f"raw check 1|{linear._re2_version()}|{_hyperscan_version()}"
    return pattern_cache.remembered("raw check", stamp, pattern.decode("latin-1"), lambda: _raw_refusal(pattern))


def _raw_refusal(pattern: bytes) -> str | None:
    problem = linear.bytes_check(pattern)
    if problem is not None or not hyperscan_available():
        return problem
    import hyperscan

    try:
        hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(expressions=[pattern], ids=[0], elements=1,
                                                                 flags=[_hyperscan_flags()])
    except hyperscan.error as exc:
        return f"is no pattern hyperscan runs ({exc})"
    return None


def _hyperscan_version() -> str | None:
    if not hyperscan_available():
        return None
    import hyperscan

    return getattr(hyperscan, "__version__", "unknown")


class Prefilter:
    """Per-record keyword masks for ``keywords`` (bit ``i`` = ``keywords[i]``; :attr:`unknown` = check all)."""

    def __init__(self, keywords: Sequence[str], raw_guards: dict[str, bytes] | None = None, backend: str = "auto",
                 raw_contexts: dict[str, bytes] | None = None, markers: Sequence[str] = ()):
        if backend not in BACKENDS:
            raise FloorError(f"prefilter backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        if backend == "hyperscan" and not hyperscan_available():
            raise FloorError("the hyperscan prefilter needs the hyperscan package, which cannot be loaded here")
        raw_guards = raw_guards or {}
        if backend == "auto":
            backend = "hyperscan" if hyperscan_available() else "python"
        contexts = (raw_contexts or {}) if backend == "hyperscan" else {}
        patterns = tuple(contexts.get(kw) or raw_pattern(kw, raw_guards.get(kw, b"")) for kw in keywords)
        gates = (((1 << len(keywords)) - 1, tuple(markers)),) if markers else ()
        self._build(tuple(keywords), patterns, tuple(kw not in raw_guards for kw in keywords), backend, gates)

    @classmethod
    def union(cls, parts: Sequence["Prefilter"]) -> "Prefilter":
        """One prefilter for the keywords of ``parts`` (of one backend), in order: bit ``i`` of the first part's
        masks is bit ``i`` here, the second's follow, and so on; a keyword of several parts keeps each part's
        raw guard or context at each of its bits."""
        union = cls.__new__(cls)
        gates, offset = [], 0
        for p in parts:
            gates.extend((bits << offset, markers) for bits, markers in p.gates)
            offset += len(p.keywords)
        union._build(tuple(kw for p in parts for kw in p.keywords),
                     tuple(pattern for p in parts for pattern in p.patterns[:-1]),
                     tuple(literal for p in parts for literal in p._literals), parts[0].backend, tuple(gates))
        return union

    def _build(self, keywords: tuple[str, ...], patterns: tuple[bytes, ...], literals: tuple[bool, ...],
               backend: str, gates: tuple[tuple[int, tuple[str, ...]], ...] = ()) -> None:
        """``patterns``: one a keyword (its literal, with its raw guard or context); ``literals``: which are the
        keyword alone (found with ``bytes.find`` by the standard-library backend); ``gates``: ``(keyword bits,
        marker words)``, the bits cleared in a record holding none of the words (a pack of another language than
        English reads only documents with one of its marker words: :mod:`.language`)."""
        self.keywords = keywords
        self.unknown = 1 << len(self.keywords)
        self.all = (self.unknown << 1) - 1
        self.backend = backend
        self.gates = gates
        self._literals = literals
        words = tuple(word for _, gate_words in gates for word in gate_words)
        self.patterns: tuple[bytes, ...] = patterns + (_escape_pattern(self.keywords + words, patterns),)
        # One bit a gate above the unknown bit: set when one of its marker words occurs.
        self._gate_bits = tuple((self.unknown << (1 + g), bits) for g, (bits, _) in enumerate(gates))
        markers = [(self.unknown << (1 + g), re.escape(word.encode("utf-8"))) for g, (_, words) in enumerate(gates)
                   for word in words]
        gated = 0
        for bits, _ in gates:
            gated |= bits
        # The keywords of a gate are looked for only in the records that hold one of its marker words: a corpus
        # in one language pays nothing for the packs of others.
        first = [(1 << i, pattern, i < len(keywords) and literals[i])
                 for i, pattern in enumerate(self.patterns) if not gated >> i & 1]
        second = [(1 << i, pattern, literals[i]) for i, pattern in enumerate(patterns) if gated >> i & 1]
        # One scan finds a gate's marker words with the other keywords; its own keywords are looked for only in
        # the records that hold one of the words.
        scanner = _HyperscanScanner if backend == "hyperscan" else _PythonScanner
        self._first = scanner(first + [(bit, word, True) for bit, word in markers])
        self._second = scanner(second) if second else None

    def __getstate__(self):
        raise TypeError("Prefilter holds a compiled database; build it in each process")

    def masks(self, block: bytes, ends: Sequence[int]) -> list[int]:
        """One mask per record: record ``i`` is ``block[ends[i-1]:ends[i]]`` (the first starts at 0)."""
        out = self._first.masks(block, ends)
        if not self.gates:
            return out
        unknown, full, second = self.unknown, self.all, self._second
        for i, mask in enumerate(out):
            if not mask & unknown:
                opened = 0
                for marker, bits in self._gate_bits:
                    if mask & marker:
                        opened |= bits
                if opened and second is not None:
                    start = ends[i - 1] if i else 0
                    mask |= second.masks(block[start:ends[i]], (ends[i] - start,))[0] & opened
            out[i] = mask & full
        return out

    def mask(self, record: bytes) -> int:
        """The mask of one record."""
        return self.masks(record, (len(record),))[0]


class _HyperscanScanner:
    """Masks from one hyperscan scan of a block, for ``(bit, pattern, literal)`` items."""

    def __init__(self, items):
        # A pattern's id is its index: hyperscan's ids have 32 bits, and the masks of several packs more.
        self._bits = [bit for bit, _, _ in items]
        self._db = _hyperscan_db(tuple(pattern for _, pattern, _ in items))

    def masks(self, block: bytes, ends: Sequence[int]) -> list[int]:
        found: list[tuple[int, int]] = []
        add = found.append
        self._db.scan(block, match_event_handler=lambda index, _start, end, _flags, _ctx: add((end, index)))
        out = [0] * len(ends)
        if found:
            bits = self._bits
            last = len(ends) - 1
            for end, index in found:
                i = bisect_left(ends, end)
                out[i if i <= last else last] |= bits[index]
        return out


class _PythonScanner:
    """Masks without hyperscan, record by record: a literal with ``bytes.find`` (fast search in C), a pattern with
    a guard with RE2 (:func:`.linear.bytes_search`); the words of one bit between spaces (a gate's marker words)
    by the record's set of words, made once a record (a word between spaces is one of its whitespace-split
    words)."""

    def __init__(self, items):
        words: dict[int, set[bytes]] = {}
        finders = []
        for bit, pattern, literal in items:
            text = _unescaped(pattern) if literal else None
            if text is not None and len(text) > 2 and text[:1] == text[-1:] == b" " and b" " not in text[1:-1]:
                words.setdefault(bit, set()).add(text[1:-1])
            else:
                finders.append((bit, text, None if literal else linear.bytes_search(pattern)))
        self._finders = tuple(finders)
        self._words = tuple((bit, frozenset(ws)) for bit, ws in words.items())

    def masks(self, block: bytes, ends: Sequence[int]) -> list[int]:
        out = []
        finders, words = self._finders, self._words
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
            if words:
                present = set(block[start:end].split())
                for bit, marker_words in words:
                    if not marker_words.isdisjoint(present):
                        mask |= bit
            out.append(mask)
            start = end
        return out


def _unescaped(pattern: bytes) -> bytes:
    """The literal a ``re.escape``-d pattern spells."""
    return re.sub(rb"\\(.)", rb"\1", pattern, flags=re.DOTALL)


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
    return pattern_cache.hyperscan_database(patterns, list(range(len(patterns))),
                                            [_hyperscan_flags()] * len(patterns))


def _hyperscan_flags() -> int:
    """hyperscan's flags for each pattern: DOTALL, a guard's class never stops at a line feed (there is none inside
    a JSON line; a Parquet value may hold one)."""
    import hyperscan

    return hyperscan.HS_FLAG_DOTALL
