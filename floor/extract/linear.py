"""Patterns that run in linear time: the RE2 subset of regular expressions, run on RE2 (``google-re2``).

A pack's patterns (:mod:`.packs`) are written by users and run over corpora nobody has read: a pattern that
backtracks (``(a+)+b``, ``(\\w+\\s?)+$``) could take hours on one document. RE2 matches in time linear in the text
whatever the pattern, and refuses what it cannot run so (backreferences, lookarounds, atomic groups, possessive
quantifiers); the same subset is what Rust's ``regex`` crate and other automata engines accept, so a pack runs
unchanged on a compiled matcher.

Every phrasing is written in this subset, floor's own included. What a lookaround would check -- that a value
ends at a word's end, that it is not followed by an alternative (``1815 or 1816``) -- the engine checks after the
match, from data (:class:`Checks`; :mod:`.phrases` for what must follow a match or may not precede it).

A pattern is matched within :data:`REACH` characters after its keyword (and a glue within
:data:`~.match.GLUE_WINDOW` before it): a fact is stated in a sentence, and the window bounds the text RE2 is
handed at each keyword hit (it reads its input as UTF-8, so a whole long document would be encoded per hit).

floor's own packs run on Python's ``re`` instead (:func:`compile`), from a translation of the same source that
matches what RE2 matches (:func:`python_source`), in the same window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..errors import FloorError
from . import pattern_cache
from .charclass import APOS
from .dates import NEVER

REACH = 1000
"""Characters after a keyword within which a pack's pattern is matched."""
MAX_MEMORY = 64 << 20
"""Bytes RE2 may use for one compiled pattern (its default, 8 MB, is too little for a phrase with a few dates and
places in it; a pattern that needs more is refused as too large)."""
MAX_PATTERN = 20_000
"""Longest pattern a pack may give, as written."""

SPACE = r"[\s\x{a0}\x{202f}]+"
"""What a space in a pack's pattern stands for: any run of whitespace (a line break, a no-break space)."""
# Compact classes, as floor's own phrasings use (:mod:`.charclass`): whole Latin, Greek and Cyrillic blocks (the
# matched names and places are checked letter by letter afterwards); RE2 compiles a pattern with Unicode's full
# letter classes in it a dozen times over several times slower.
U = r"[A-Z\x{c0}-\x{d6}\x{d8}-\x{de}\x{100}-\x{24f}\x{370}-\x{3ff}\x{400}-\x{4ff}\x{1e00}-\x{1eff}]"
W = (r"[A-Za-z\x{aa}\x{b5}\x{ba}\x{c0}-\x{d6}\x{d8}-\x{f6}\x{f8}-\x{24f}\x{300}-\x{36f}\x{370}-\x{3ff}"
     r"\x{400}-\x{4ff}\x{1e00}-\x{1eff}]")
L = r"[a-z\x{df}-\x{f6}\x{f8}-\x{ff}]"
"""A lowercase letter of English text (ASCII's and Latin-1's)."""
DASH = r"(?:[\s\x{a0}]*(?:--|[-\x{2010}-\x{2015}\x{2212}])[\s\x{a0}]*)"
SP = r"(?:[ \t\x{a0}]+(?:\r?\n[ \t\x{a0}]*)?|\r?\n[ \t\x{a0}]*)"
"""Whitespace with at most one line break (``{SP}``), for RE2."""


@cache
def _re2():
    try:
        import re2
    except ImportError:  # pragma: no cover - a core dependency
        raise FloorError("pack patterns need the google-re2 package: pip install google-re2") from None
    return re2


@cache
def _options(latin1: bool = False):
    """RE2's options for floor's patterns (``latin1``: for bytes, each byte a character)."""
    options = _re2().Options()
    options.log_errors = False  # a refused pattern is reported once, as floor's error
    options.max_mem = MAX_MEMORY
    if latin1:
        options.encoding = options.Encoding.LATIN1
    return options


def check(source: str, written: bool = True) -> str | None:
    """Why ``source`` is no pattern a pack may give (outside the RE2 subset, or, as ``written`` by a user, too
    long, or matching a byte where floor reads characters), or ``None``."""
    if written and len(source) > MAX_PATTERN:
        return f"is {len(source):,} characters long (at most {MAX_PATTERN:,})"
    # RE2 takes \C, but a match ending inside a character's UTF-8 bytes has no place in the text.
    if any(token[0] == "\\C" for token in _CLASS_OR_ESCAPE.finditer(source)):
        return "holds \\C, one byte of a character's UTF-8 encoding: write . for any character"
    # RE2's verdict on a source is kept across processes: compiling every pattern of every pack to check it is a
    # large share of a run's start.
    return pattern_cache.remembered("re2 check", f"re2 check 1|{_re2_version()}", source, lambda: _refusal(source))


def _refusal(source: str) -> str | None:
    try:
        _re2().compile(unicode_classes(source), _options())
    except Exception as exc:  # noqa: BLE001 - RE2's error says why
        return f"is not in the RE2 subset of regular expressions ({_reason(exc)}){_hint(source)}"
    return None


def _reason(exc: Exception) -> str:
    """RE2's reason for refusing a pattern (its error carries the parser's reason as bytes)."""
    return exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)


@cache
def _re2_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("google-re2")
    except PackageNotFoundError:  # pragma: no cover - a core dependency
        return "unknown"


def _hint(source: str) -> str:
    if re.search(r"\(\?<?[=!]", source):
        return ": lookarounds are not allowed; match the context, or leave the check to the engine"
    if re.search(r"\\[1-9]", source):
        return ": backreferences are not allowed"
    if "(?>" in source or re.search(r"[*+?}]\+", source):
        return ": atomic groups and possessive quantifiers are not allowed"
    return ""


_PYTHON_ESCAPE = re.compile(r"\\\\|\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(Z))")


def re2_escapes(source: str) -> str:
    """``source`` with Python's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes written as RE2's ``\\x{...}``, and its
    ``\\Z`` (the end of the text) as RE2's ``\\z``."""
    if "\\u" not in source and "\\U" not in source and "\\Z" not in source:
        return source
    return _PYTHON_ESCAPE.sub(_re2_escape, source)


def _re2_escape(m: re.Match) -> str:
    if m[3]:
        return "\\z"
    if m[1] or m[2]:
        return f"\\x{{{(m[1] or m[2]).lstrip('0') or '0'}}}"
    return m[0]  # an escaped backslash


_SPACE_BODY = r"\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_CLASS_BODIES = {"s": _SPACE_BODY, "w": W[1:-1] + "0-9_"}


def unicode_classes(source: str) -> str:
    """``source`` with its classes ``\\s`` and ``\\w`` (and ``\\S``, ``\\W`` outside a character class) reaching
    past ASCII, where RE2 reads them as ASCII's: ``\\s`` is any whitespace of Unicode, as in Python (a date written
    ``10\u00a0December 1815`` is a date), ``\\w`` a letter or mark of the Latin, Greek or Cyrillic scripts
    (:data:`W`), a digit or an underscore. ``\\d`` stays ASCII's ``[0-9]``, the digits dates are written in:
    Unicode's letter and digit classes would make every pattern several times slower to compile."""
    return _CLASS_OR_ESCAPE.sub(_unicode_class, source)


_CLASS = r"\[\^?\]?(?:\\.|[^\]\\])*\]"
"""A character class, a ``]`` first in it a member."""
_CLASS_OR_ESCAPE = re.compile(rf"{_CLASS}|\\.", re.DOTALL)
_PERL_CLASS = re.compile(r"\\(?:([sw])|([SW])|.)", re.DOTALL)


def _unicode_class(m: re.Match) -> str:
    token = m[0]
    if not token.startswith("["):
        body = _CLASS_BODIES.get(token[1].lower())
        if body is None:
            return token
        return f"[^{body}]" if token[1].isupper() else f"[{body}]"

    def inside(e: re.Match) -> str:
        if e[2]:
            raise FloorError(f"pattern has \\{e[2]} inside a character class, which RE2 reads as ASCII's; write "
                             "the characters it should stand for")
        return _CLASS_BODIES[e[1]] if e[1] else e[0]

    return _PERL_CLASS.sub(inside, token)


def compile(source: str, backtracking: bool = False) -> "LinearPattern | BacktrackingPattern":
    """``source`` (its slots expanded) compiled for RE2 (refused as :func:`check` refuses it); ``backtracking``:
    for Python's ``re`` instead, matching what RE2 matches (:func:`python_source`), where the source allows it.

    RE2 is what makes a pattern safe to run on any text. floor's own packs are reviewed, tested, and checked to
    give the same facts on both engines; they run on ``re`` because a phrase is matched at every keyword hit,
    where RE2's call through Python costs several times ``re``'s, and because ``re``'s compiled patterns are
    kept across processes (:mod:`.pattern_cache`) where RE2 compiles them anew in each (tenths of a second)."""
    if backtracking:
        python = _python_pattern(source)
        if python is not None:
            return BacktrackingPattern(source, python)
    try:
        compiled = _re2().compile(unicode_classes(source), _options())
    except Exception:  # noqa: BLE001 - check() says why
        raise FloorError(f"pattern {check(source, written=False)}") from None
    return LinearPattern(source, compiled)


def bytes_search(pattern: bytes):
    """The ``search(data, pos, endpos)`` of a byte ``pattern`` (a raw guard of the prefilter) on RE2, each byte a
    character (Latin-1): in time linear in the data, where ``re`` could backtrack on a pack's pattern."""
    try:
        return _re2().compile(pattern, _options(latin1=True)).search
    except Exception:  # noqa: BLE001 - what RE2 refuses, reading the pack refused first
        raise FloorError(f"raw pattern {pattern!r} {bytes_check(pattern)}") from None


def bytes_check(pattern: bytes) -> str | None:
    """Why RE2 refuses the byte ``pattern`` (each byte a character), or ``None``."""
    try:
        _re2().compile(pattern, _options(latin1=True))
    except Exception as exc:  # noqa: BLE001 - RE2's error says why
        return f"is not in the RE2 subset of regular expressions on bytes ({_reason(exc)})"
    return None


def guard(source: str, backtracking: bool = False):
    """The ``match(text, pos)`` of a keyword's guard ``source`` (the RE2 subset): on Python's ``re`` for floor's own
    packs and the guards floor derives (as :func:`compile` chooses), else on RE2 within :data:`REACH` characters."""
    source = re2_escapes(source)
    if backtracking:
        python = _python_pattern(source)
        if python is not None:
            return python.match
    return compile(source).match


@lru_cache(maxsize=1024)
def _python_pattern(source: str) -> re.Pattern | None:
    # The translation takes longer than reading the compiled pattern back: it is kept too.
    python = pattern_cache.remembered("python source", _PYTHON_SOURCE_VERSION, source, lambda: python_source(source))
    return None if python is None else pattern_cache.regex(python)


_PYTHON_SOURCE_VERSION = "python source 2"
"""The version of :func:`python_source`: a kept translation of another is made again."""
_RE2_ESCAPE = r"\\x\{[0-9A-Fa-f]+\}|\\[pP](?:\{\w+\}|\w)|\\."
"""An escape of RE2's: a code point, a Unicode class, or one character."""
_RE2_TOKEN = re.compile(rf"{_CLASS}|{_RE2_ESCAPE}|\$|\(\?[a-zA-Z]*[ms]|\{{,", re.DOTALL)
_RE2_CLASS_ESCAPE = re.compile(_RE2_ESCAPE, re.DOTALL)
_ASCII_WORD = "[0-9A-Za-z_]"
_PYTHON_WORD = re.sub(r"\\x\{([0-9A-Fa-f]+)\}", lambda m: "\\U%08x" % int(m[1], 16), _CLASS_BODIES["w"])
_PYTHON_ESCAPES = {
    "z": r"\Z", "d": "[0-9]", "D": "[^0-9]", "w": f"[{_PYTHON_WORD}]", "W": f"[^{_PYTHON_WORD}]",
    "b": rf"(?:(?<={_ASCII_WORD})(?!{_ASCII_WORD})|(?<!{_ASCII_WORD})(?={_ASCII_WORD}))",
    "B": rf"(?:(?<={_ASCII_WORD})(?={_ASCII_WORD})|(?<!{_ASCII_WORD})(?!{_ASCII_WORD}))",
}


def python_source(source: str) -> str | None:
    """RE2 ``source`` written for Python's ``re``, to match what RE2 matches it with (:func:`unicode_classes`):
    RE2's ``\\x{...}``, ``\\z``, ``$`` (the text's end), ``\\w``, ASCII ``\\d`` and ``\\b``, and Unicode's classes
    ``\\p{...}`` spelt in Python's terms (``\\s`` is Python's already); ``None`` for what has no such spelling here
    (a negated class inside a class, a multi-line or dot-all flag, ``\\Q``, ``{,n}``)."""
    pieces = []
    pos = 0
    for m in _RE2_TOKEN.finditer(source):
        pieces.append(source[pos:m.start()])
        token = m[0]
        if token.startswith("["):
            inner = _python_class(token)
            if inner is None:
                return None
            pieces.append(inner)
        else:
            one = _python_token(token, False)
            if one is None:
                return None
            pieces.append(one)
        pos = m.end()
    pieces.append(source[pos:])
    return "".join(pieces)


def _python_token(token: str, in_class: bool) -> str | None:
    if token == "$":
        return "$" if in_class else r"\Z"
    if token.startswith("(?") or token == "{,":
        return None  # a flag that changes "$" or ".", or a quantifier Python reads otherwise
    if token.startswith("\\x{"):
        return "\\U%08x" % int(token[3:-1], 16)
    if token[:2] in ("\\p", "\\P"):
        name = token[3:-1] if token[2:3] == "{" else token[2:]
        members = unicode_category(name)
        if members is None or in_class and token[1] == "P":
            return None
        return members if in_class else f"[{'^' if token[1] == 'P' else ''}{members}]"
    if token == "\\Q":
        return None
    escaped = _PYTHON_ESCAPES.get(token[1:])
    if escaped is None:
        return None if in_class and token == "\\S" else token
    if in_class:
        return {"\\d": "0-9", "\\w": _PYTHON_WORD}.get(token)
    return escaped


def _python_class(token: str) -> str | None:
    pieces, pos = [], 0
    head = len("[^" if token.startswith("[^") else "[")
    body = token[head:-1]
    for m in _RE2_CLASS_ESCAPE.finditer(body):
        pieces.append(body[pos:m.start()])
        one = _python_token(m[0], True)
        if one is None:
            return None
        pieces.append(one)
        pos = m.end()
    pieces.append(body[pos:])
    return token[:head] + "".join(pieces) + "]"


@cache
def unicode_category(name: str) -> str | None:
    """The members of Unicode's general category ``name`` (``Lu``, ``L``, ``Nd``) as a Python class body, from
    the interpreter's Unicode tables, or ``None`` for another name."""
    import unicodedata

    if not re.fullmatch(r"[A-Z][a-z]?", name):
        return None
    ranges: list[list[int]] = []
    for code in (*range(0x40000), *range(0xE0000, 0xE0200)):
        if unicodedata.category(chr(code)).startswith(name):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    if not ranges:
        return None
    return "".join("\\U%08x" % a if a == b else "\\U%08x-\\U%08x" % (a, b) for a, b in ranges)


class BacktrackingPattern:
    """A pattern in the RE2 subset compiled for Python's ``re`` (:func:`compile`), matched as a
    :class:`LinearPattern` is: within :data:`REACH` characters of where it starts, a glue in its window."""

    def __init__(self, pattern: str, compiled: re.Pattern):
        self.pattern = pattern
        self._compiled = compiled
        self._match = compiled.match
        self.groupindex = compiled.groupindex
        self.groups = compiled.groups

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        end = len(text) if endpos is None or endpos > len(text) else endpos
        hi = pos + REACH
        if end <= hi:
            return self._match(text, pos, end)
        m = self._match(text, pos, hi)
        return None if m is None or m.end() == hi else m  # as LinearPattern.match

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> "LinearMatch | None":
        end = len(text) if endpos is None else min(endpos, len(text))
        window = text[pos:end]  # as RE2 is given it: "^" is the window's start
        m = self._compiled.search(window)
        # offsets of characters: the window stands for its own "bytes"
        return None if m is None else LinearMatch([m.span(i) for i in range(self.groups + 1)], pos, window, window)


class LinearPattern:
    """An RE2 pattern with the part of ``re.Pattern``'s interface the engine uses: :meth:`match` within
    :data:`REACH` characters of where it starts, :meth:`search` for a glue ending at ``endpos``, ``groupindex``.

    The window is handed to RE2's matcher as UTF-8 bytes, past the ``re``-like wrapper of ``google-re2`` (whose
    conversions cost several times the match at each keyword hit); offsets come back as characters."""

    def __init__(self, pattern: str, compiled):
        self.pattern = pattern
        self._regexp = compiled._regexp
        self.groupindex = dict(compiled.groupindex)
        self.groups = compiled.groups

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> "LinearMatch | None":
        end = len(text) if endpos is None else min(endpos, len(text))
        lo = max(0, pos - 1)  # one character of context, for a word boundary at the start
        hi = min(end, pos + REACH)
        window = text[lo:hi]
        data = window.encode("utf-8", "surrogatepass")
        start = pos - lo if len(data) == len(window) else len(window[:pos - lo].encode("utf-8", "surrogatepass"))
        spans = self._regexp.Match(_anchor_start(), data, start, len(data))
        if spans[0][0] < 0 or hi < end and spans[0][1] == len(data):
            return None  # none, or it ran into the window's end: it would have read on (or "$" took the cut)
        return LinearMatch(spans, lo, window, data)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> "LinearMatch | None":
        end = len(text) if endpos is None else min(endpos, len(text))
        window = text[pos:end]
        data = window.encode("utf-8", "surrogatepass")
        spans = self._regexp.Match(_unanchored(), data, 0, len(data))
        return None if spans[0][0] < 0 else LinearMatch(spans, pos, window, data)


@cache
def _anchor_start():
    return _re2()._re2.RE2.Anchor.ANCHOR_START


@cache
def _unanchored():
    return _re2()._re2.RE2.Anchor.UNANCHORED


class Spans:
    """The offsets of a match and its groups in the whole text, read as ``re.Match`` gives them (``regs``,
    ``span``, ``start``, ``end``)."""

    __slots__ = ("regs",)

    def span(self, group: int = 0) -> tuple[int, int]:
        return self.regs[group]

    def start(self, group: int = 0) -> int:
        return self.regs[group][0]

    def end(self, group: int = 0) -> int:
        return self.regs[group][1]


class LinearMatch(Spans):
    """A match of a :class:`LinearPattern` (:class:`Spans`, and ``group``)."""

    __slots__ = ("_text",)

    def __init__(self, spans: list[tuple[int, int]], offset: int, window: str, data: bytes):
        if len(data) == len(window):  # ASCII: a byte is a character
            self.regs = tuple((s + offset, e + offset) if s >= 0 else (-1, -1) for s, e in spans)
        else:
            chars = {-1: -1}
            for bound in sorted({b for span in spans for b in span} - {-1}):
                chars[bound] = len(data[:bound].decode("utf-8", "surrogatepass")) + offset
            self.regs = tuple((chars[s], chars[e]) for s, e in spans)
        self._text = (window, offset)

    def group(self, group: int = 0) -> str | None:
        s, e = self.regs[group]
        window, offset = self._text
        return None if s < 0 else window[s - offset:e - offset]


@dataclass(frozen=True)
class Checks:
    """What the engine checks after a phrase's match, where a lookaround would have checked it in the pattern:
    ``alternatives``, words that join a value to another it may be instead (``1815 or 1816``, ``London or
    Paris``), and ``ranges``, words that join it to the end of a range (``1815 to 1820``). A value followed by
    either and a number, at a ``{STOP}`` of the pattern, is no single value; a place followed by an alternative
    is uncertain."""

    alternatives: tuple[str, ...] = ()
    ranges: tuple[str, ...] = ()
    same_place: tuple[str, ...] = ()
    """Words that name the place given before in the same statement (German ``ebenda``, French ``dans la même
    ville``): a ``{SAME:<place category>}`` slot matches one, and its value is that place."""
    units: tuple[str, ...] = ()
    """Words that make a number before them a quantity, not a year (``died in 200 years``, ``1,200 people``): a
    value they follow at a ``{STOP}`` is none."""

    def stop_source(self) -> str:
        """Python regex source: what may not follow a value at a ``{STOP}``."""
        words = "|".join(sorted((re.escape(w) for w in (*self.alternatives, *self.ranges)), key=len, reverse=True))
        units = "|".join(sorted((re.escape(w) for w in self.units), key=len, reverse=True))
        return (rf"\s*(?:(?:{words or NEVER})\s|&|/|--|[-\u2010-\u2015\u2212])\s*(?:c\.|ca\.|circa|\d)"
                rf"|\s+(?:{units or NEVER})(?![^\W_])")

    def alternative_source(self) -> str:
        """Python regex source: an alternative after a place."""
        words = "|".join(sorted((re.escape(w) for w in self.alternatives), key=len, reverse=True))
        return rf"\s+(?:{words or NEVER})\b"


NUMBER = r"\d{1,3}(?:[,.\x{a0}\x{202f} ']\d{3})+|\d+"
"""A whole number, its thousands grouped or not (``1,200``, ``1.200``, ``1 200``, ``1200``)."""


def words_source(words) -> str:
    """RE2 source matching any of ``words`` (longest first), a space in one any run of whitespace."""
    return "(?:" + "|".join(spaces_to_runs(w) for w in sorted((re.escape(w).replace("\\ ", " ") for w in words),
                                                            key=lambda w: (-len(w), w))) + ")" if words else NEVER


def spaces_to_runs(pattern: str) -> str:
    """``pattern`` with each run of literal spaces outside a character class made :data:`SPACE` (a pack's
    patterns are written as the text reads; its line breaks and doubled spaces are not the writer's concern); a
    quantifier after the run applies to the whole run (``né ?à``)."""
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        elif c == "[":
            end = _class_end(pattern, i)
            out.append(pattern[i:end])
            i = end
        elif c == " ":
            while i < n and pattern[i] == " ":
                i += 1
            quantified = pattern[i:i + 1] in ("?", "*", "+") or re.match(r"\{\d", pattern[i:i + 2])
            out.append(f"(?:{SPACE})" if quantified else SPACE)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _class_end(pattern: str, i: int) -> int:
    """The offset after the character class opening at ``pattern[i] == "["`` (a ``]`` first in it is a member)."""
    j = i + 1 + pattern.startswith("^", i + 1)
    j += pattern.startswith("]", j)
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


# -- What a pattern can start with: the keyword guards of a pack's phrases ---------------------------------------
_ASCII = frozenset(range(128))
_CLASSES = {  # RE2's classes (ASCII) and the Unicode ones a pack may name, for Python's parser
    r"\p{Lu}": "A-Z\u00c0", r"\p{Lt}": "\u01c5", r"\p{Ll}": "a-z\u00e0", r"\p{L}": "A-Za-z\u00c0",
    r"\p{M}": "\u0300", r"\p{N}": "0-9\u0660",
}


@dataclass(frozen=True)
class Start:
    """The characters a match can start with: ASCII ones, and whether any beyond ASCII (``None`` as a whole:
    any character, or an empty match)."""

    ascii: frozenset[int]
    other: bool

    def __or__(self, other: "Start") -> "Start":
        return Start(self.ascii | other.ascii, self.other or other.other)

    def text_guard(self) -> str:
        """Regex source (the RE2 subset) of one such character (on decoded text): none, for phrases that can match
        nowhere (``\\b\\B``, a word list left empty), where an empty class would be no pattern at all."""
        if not self.ascii and not self.other:
            return NEVER
        members = "".join(re.escape(chr(c)) for c in sorted(self.ascii))
        return f"[{members}\\x{{80}}-\\x{{10ffff}}]" if self.other else f"[{members}]"

    def raw_guard(self) -> bytes:
        """Byte pattern of one such character as a JSON line may encode it: itself, an escape (``\\n``,
        ``\\u00e9``), or a byte of a multi-byte UTF-8 sequence."""
        members = b"".join(re.escape(bytes([c])) for c in sorted(self.ascii - {ord("\\")}))
        return b"[" + members + rb"\\\x80-\xff]"


def start_of(pattern: str) -> Start | None:
    """What a match of RE2 ``pattern`` can start with (:class:`Start`), or ``None`` when it can be empty or
    start with almost anything; conservative: never fewer characters than RE2 can match first. Worked out once
    (a few ms a phrase) and kept in floor's cache (:mod:`.pattern_cache`)."""
    found = pattern_cache.remembered("start", _START_VERSION, pattern, lambda: _encoded(_start_of(pattern)))
    return None if found is None else Start(frozenset(found[0]), found[1])


_START_VERSION = "start 2"
"""The version of :func:`_start_of`: a cached result of another is computed again."""


def _encoded(start: Start | None):
    return None if start is None else (tuple(sorted(start.ascii)), start.other)


_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|N\{[^}]*\}|0[0-7]{0,2}|[1-9]\d?|.?)",
                     re.DOTALL)
_QUANTIFIER = re.compile(r"(?:[*+?]|\{(?:\d+(?:,\d*)?|,\d+)\})[?+]?")


def _top_level_ends(source: str) -> list[int] | None:
    """The end offsets of the top-level items of regex ``source`` (each with its quantifier), or ``None`` if it
    is a top-level alternation."""
    ends = []
    depth = 0
    i = 0
    n = len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i = _ESCAPE.match(source, i).end()
        elif c == "[":
            i = _class_end(source, i)
        else:
            i += 1
            if c == "(":
                depth += 1
                continue
            if c == ")":
                depth -= 1
            elif c == "|" and depth == 0:
                return None
        if depth == 0:
            q = _QUANTIFIER.match(source, i)
            if q is not None:
                i = q.end()
            ends.append(i)
    return ends


def _start_of(pattern: str) -> Start | None:
    """:func:`start_of`, computed: the pattern's top-level items are read one at a time, up to the first that
    cannot be empty (a pattern's slots make it long)."""
    source = re.sub(r"\\x\{([0-9A-Fa-f]{1,6})\}", lambda m: "\\U%08x" % int(m[1], 16), pattern)
    for name, members in _CLASSES.items():
        source = source.replace(f"[{name}]", f"[{members}]").replace(name, f"[{members}]")
    source = source.replace("[[", "[").replace("]]", "]")
    ends = _top_level_ends(source) or [len(source)]
    found, begin = Start(frozenset(), False), 0
    for end in ends:
        start, nullable = _parsed_start(source[begin:end])
        if start is None:
            return None
        found, begin = found | start, end
        if not nullable:
            return found if len(found.ascii) <= 96 else None
    return None  # the whole pattern can match the empty string


def _parsed_start(source: str) -> tuple[Start | None, bool]:
    try:
        import re._parser as parser

        tree = parser.parse(source)
    except Exception:  # noqa: BLE001 - what Python cannot parse is left without a guard
        return None, False
    return _start(list(tree), False)


def _start(items: list, fold: bool) -> tuple[Start | None, bool]:
    """(first characters, can be empty) of a sequence of parsed items; ``fold``: case-insensitive."""
    import re._constants as c

    found = Start(frozenset(), False)
    boundaries = {c.AT_BOUNDARY, c.AT_NON_BOUNDARY}
    for i, (op, arg) in enumerate(items):
        if op is c.AT and arg in boundaries and i + 1 < len(items) and items[i + 1][0] is c.AT and \
                {arg, items[i + 1][1]} == boundaries:
            return found, False  # NEVER (a boundary and no boundary at once): nothing follows
        if op is c.LITERAL:
            one = _literal(arg, fold)
            return found | one, False
        if op is c.NOT_LITERAL or op is c.ANY:
            return None, False
        if op is c.IN:
            one = _class(arg, fold)
            return (None if one is None else found | one), False
        if op is c.AT:
            continue  # an anchor takes no character
        if op is c.BRANCH:
            nullable = False
            for branch in arg[1]:
                one, empty = _start(list(branch), fold)
                if one is None:
                    return None, False
                found, nullable = found | one, nullable or empty
            if not nullable:
                return found, False
            continue
        if op is c.SUBPATTERN:
            flags = arg[1]
            one, empty = _start(list(arg[3]), fold or bool(flags & c.SRE_FLAG_IGNORECASE))
            if one is None:
                return None, False
            found = found | one
            if not empty:
                return found, False
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _, body = arg
            one, empty = _start(list(body), fold)
            if one is None:
                return None, False
            found = found | one
            if low > 0 and not empty:
                return found, False
            continue
        return None, False  # anything else (a lookaround RE2 would have refused): no guard
    return found, True


def _literal(code: int, fold: bool) -> Start:
    chars = {chr(code), chr(code).lower(), chr(code).upper()} if fold else {chr(code)}
    return Start(frozenset(ord(ch) for ch in chars if ord(ch) < 128),
                 any(ord(ch) >= 128 for ch in chars) or fold and chr(code).isalpha())


def _class(items: list, fold: bool) -> Start | None:
    import re._constants as c

    ascii_members: set[int] = set()
    other = False
    negate = False
    for op, arg in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            one = _literal(arg, fold)
            ascii_members |= one.ascii
            other = other or one.other
        elif op is c.RANGE:
            low, high = arg
            ascii_members |= set(range(low, min(high, 127) + 1))
            other = other or high >= 128 or fold
            if fold:
                ascii_members |= {ord(chr(x).swapcase()) for x in range(low, min(high, 127) + 1)
                                  if chr(x).isalpha()}
        elif op is c.CATEGORY:
            members = {c.CATEGORY_DIGIT: "0123456789", c.CATEGORY_SPACE: " \t\n\r\f\v\x1c\x1d\x1e\x1f",
                       c.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"}.get(arg)
            if members is None:
                return None  # a negated category: almost anything
            ascii_members |= {ord(ch) for ch in members}
            other = other or arg is not c.CATEGORY_DIGIT  # \s and \w reach past ASCII (unicode_classes)
        else:
            return None
    if negate:
        return Start(frozenset(_ASCII - ascii_members), True)
    return Start(frozenset(ascii_members), other)
