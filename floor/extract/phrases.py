"""Phrasings as data (:class:`Phrase`, :class:`Language`) and their compilation to regexes.

Phrase patterns are regex sources in the RE2 subset of regular expressions (no lookaround, no backreference:
:mod:`.linear`), with placeholders expanded at compile time into the slots' RE2 forms:

* ``{DATE:<category>}`` -- a date, month-year or year (``{FULLDATE:...}``: full dates only), captured for
  ``<category>`` (a date- or year-kind category); a full date of a date-kind category also yields its
  ``implies`` category; a year-precision value of a date-kind category yields only the implied year category;
  an approximate value (``c. 1815``) yields nothing;
* ``{PLACE:<category>}`` -- a place (place-kind category);
* ``{NAME:entity}`` -- the entity, for ``entity="group"`` phrases;
* ``{MONTHDAY:<category>}``, ``{NUMDAY:<category>}``, ``{YEAR:<category>}`` -- the parts of a date split across
  a chronology's line (``March 3``, ``03/03``, ``1902``) for a date-kind ``<category>``, put together, or
  completed from the page, by :mod:`.chronology`;
* ``{SP}`` (whitespace with at most one line break), ``{DASH}``, ``{STOP}`` (where the engine checks that a value
  is not followed by an alternative or a range: ``or 1816``, ``-1820``; :class:`~.linear.Checks`),
  ``{U}``/``{L}``/``{W}`` (upper/lower letter, letter-or-mark), ``{INSTITUTION}`` (a hospital, a school: by the
  language's :class:`~.places.PlaceLexicon`). A pack's own macros are written out when it is read (:mod:`.packs`).

What a lookaround would check is restated: what must follow the match as an ``ahead`` group (below) or
:attr:`Phrase.follow`, what may not precede its glue as :attr:`Phrase.not_after`, what a part of it may not hold
as :attr:`Phrase.excluding`.

A group named ``ahead`` (``(?P<ahead>[);,])``), closing the pattern or one of its alternatives, is what must follow
the match without being part of it: the match ends where the group starts. It is a lookahead restated in the
RE2 subset of regular expressions (:mod:`.linear`): the engine tries the pattern's choices in the same order and
takes the first for which the group matches, as it would with ``(?=[);,])``.

The same category may appear several times in one pattern (e.g. in alternatives): group names are made unique
as ``<category>__<n>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import FloorError
from . import linear
from .categories import CATEGORIES
from .dates import DateForms, DateGrammar
from .linear import Checks
from .names import NameLexicon, NameReader
from .places import PlaceLexicon, institution_source, place_source
from .subject import SubjectLexicon

_PLACEHOLDER = re.compile(r"(?<!\\[pPx])\{([A-Z][A-Z_]*)(?::([a-z_][a-z0-9_]*))?\}")
_MARKED = re.compile(r"\(\?P<(ahead|free)>")
_GROUP_NAME = re.compile(r"\(\?P<(\w+)>")


@dataclass(frozen=True)
class Phrase:
    """One phrasing, as data.

    ``keyword``: the literal anchor (case-sensitive) the engine searches for.
    ``after``: regex source matched (``re.match``) immediately after the keyword, with placeholders.
    ``entity``: ``"before"`` (read backward from the glue), ``"group"`` (the ``{NAME:entity}`` group) or
    ``"subject"`` (a subjectless statement, ``Born 1907, died 1973.``, about the subject a description block
    describes: :mod:`floor.extract.subject`) or ``"page"`` (about the document's single subject, as a pronoun is:
    a key-value line of a profile page, ``Born: 3 March 1902, Cork``, or a possessive's ``her birth in 1902``).
    ``before``: regex source for the glue that must end exactly at the keyword (``r"\\s+was\\s+"``); for
    ``"group"``, ``"subject"`` and ``"page"`` phrases, a context the keyword must follow (e.g. a sentence or line
    start); empty = no requirement. It may hold ``{SP}``, ``{U}``, ``{L}``, ``{W}`` and ``{DASH}``.
    ``subject``: for ``"before"`` phrases, the entity is a clause subject (``X was born``), so a preposition or
    determiner right before it rejects it (``the son of X died``); False for attached parentheticals
    (``daughter of Lord Byron (1788–1824)``).
    """

    name: str
    keyword: str
    after: str
    entity: str = "before"
    before: str = ""
    subject: bool = True
    prepositional: bool = True
    """For an attached parenthetical (``subject=False``): a name right after a preposition may be its entity
    (``a portrait of Jane Doe (1902–1970)``); if not, the name is read as a clause's subject is (``la guerre de
    Cent Ans (1337-1453)`` names no one)."""
    line: bool = False
    """``after`` is matched within the keyword's line (a key-value line, whose value must not run into the next);
    all phrases of one keyword must agree."""
    follow: str = ""
    """Regex source that must ``.match`` right after the match of ``after`` (empty = no requirement). A lookahead
    kept out of ``after``, so that phrases differing only in it share one compiled pattern (compiling is a
    per-process cost); unlike a lookahead it does not make ``after`` backtrack to a shorter match. One that opens
    with ``{LAST}`` is matched from the match's last character instead: a lookbehind of one character restated
    (``{LAST}\\.\\s``: the match ends with a full stop, and a space follows it)."""
    not_after: str = ""
    """Regex source that may not match ending where the ``before`` glue starts (empty = no requirement): a
    lookbehind kept out of the glue (``until`` before ``his death in 899``), in the RE2 subset (:mod:`.linear`)."""
    excluding: str = ""
    """Regex source (placeholders allowed) that may not match within the text of the pattern's groups named
    ``free``: a tempered repeat (``(?:(?!and).)*``) restated in the RE2 subset, the group matched freely and its
    text checked (a description that names no other person)."""
    anchor: str = "keyword"
    """Where ``after`` is matched: ``"keyword"``, right after the keyword; ``"line"``, from the start of the
    keyword's line, within it, reaching past the keyword (a dated list line, whose date and name come before its
    verb: ``Mar 3  Jane Doe is born in Cork, 1902``); ``"section"``, the keyword being a section heading
    (``Births``), from the start of each line of the section, within it, each line a statement of its own
    (:mod:`.chronology`)."""


@dataclass(frozen=True)
class Language:
    code: str
    phrases: tuple[Phrase, ...]
    months: dict[str, int]
    names: NameLexicon
    places: PlaceLexicon
    subjects: SubjectLexicon = field(default_factory=SubjectLexicon)
    """Word lists and switches for finding a document's subject (:mod:`floor.extract.subject`)."""
    guards: dict[str, str] = field(default_factory=dict)
    """Optional per-keyword regex source (the RE2 subset, run on the pack's engine: :func:`.linear.guard`) that must
    match right after the keyword for a hit to be tried (a necessary condition of every phrase of that keyword).
    Lets the scan skip most ``(`` in code or math text in C instead of trying each phrase from Python."""
    raw_guards: dict[str, bytes] = field(default_factory=dict)
    """Optional per-keyword byte pattern (the RE2 subset, run by hyperscan or RE2) that must match right after the
    keyword in the ENCODED record (a JSON line, or UTF-8) whenever the keyword's guard matches in the decoded text:
    an over-approximation of the guard for the raw-bytes prefilter (:mod:`floor.extract.prefilter`). Escapes and
    multi-byte characters must be allowed for: a whitespace may be ``\\n`` or a non-ASCII byte sequence. A raw
    pattern that needs one of the HTML-safe characters ``&'<=>`` spells it literally (see
    :data:`~floor.extract.prefilter.HTML_SAFE`)."""
    dates: DateForms = field(default_factory=DateForms)
    """How the language writes dates beyond its month names (ordinals, connecting words, eras)."""
    checks: Checks = field(default_factory=Checks)
    """What the engine checks after a phrase's match (:mod:`.linear`)."""
    common_words: tuple[str, ...] = ()
    """Frequent lowercase words of the language that other languages seldom use, most frequent first: an opening
    holding several of them is taken to be in the language without asking the identifier
    (:mod:`floor.extract.language`)."""
    markers: tuple[str, ...] = ()
    """Words of which a document must hold one (between spaces) for a pack of another language than English to
    read it at all: a test the prefilter makes on the raw bytes, before the language gate's (empty: the common
    words)."""
    raw_contexts: dict[str, bytes] = field(default_factory=dict)
    """Optional per-keyword byte pattern (hyperscan syntax) that must match in the ENCODED record, around and
    including the keyword, wherever some phrase of that keyword matches the decoded text there: its glue before
    the keyword and the shape of what follows (a date starts with a digit, a lifespan holds a dash between two
    digits before its closing parenthesis). Much tighter than the raw guard, so most records that merely
    contain a keyword are never decoded and searched. Used by the hyperscan prefilter only: hyperscan runs
    patterns as automata, where ``re`` would backtrack on the nested repeats these need."""


@dataclass(frozen=True)
class Compiled:
    phrase: Phrase
    after: re.Pattern
    before: re.Pattern | None
    follow: re.Pattern | None
    groups: tuple[tuple[str, str], ...]  # (group name, category)
    values: tuple[tuple[int, str, str], ...]  # (group index, category, value kind) of the value groups
    entity_group: int | None  # group index of {NAME:entity}, for entity="group" phrases
    parts: tuple[tuple[int, str, str], ...] = ()  # (group index, category, part) of split-date parts
    stops: tuple[int, ...] = ()  # group indices of the {STOP}s (the engine checks what follows)
    not_after: re.Pattern | None = None  # what may not end where the glue starts
    excluding: re.Pattern | None = None  # what the free groups may not hold
    free: tuple[int, ...] = ()  # group indices of the free groups
    follow_at: int = 0  # where ``follow`` is matched, from the match's end (-1: from its last character)


class PhraseCompiler:
    """Expands a language's phrase patterns (placeholders) and compiles them."""

    def __init__(self, names: NameReader, language: Language, backtracking: bool = False):
        self._names = names
        self._language = language
        self._sources: dict[Phrase, str] = {}
        self._backtracking = backtracking
        """The phrases run on Python's ``re`` rather than RE2 (:func:`.linear.compile`)."""

    @cached_property
    def _dates(self) -> DateGrammar:
        return DateGrammar(self._language.months, self._language.dates, linear=True)

    @cached_property
    def _slots(self) -> dict[str, str]:
        lang = self._language
        return {
            "DATE": self._dates.source,
            "FULLDATE": self._dates.full_source,
            "PLACE": place_source(lang.places),
            "NAME": self._names.name_source(linear=True),
            "NUMBER": linear.NUMBER,
            "SAME": linear.words_source(lang.checks.same_place),
        }

    def _expand(self, src: str, counter: list[int]) -> str:
        slots = self._slots

        def sub(m: re.Match) -> str:
            kind, arg = m.group(1), m.group(2)
            if kind in _PARTS:
                if arg is None:
                    raise FloorError(f"placeholder {{{kind}}} needs a group name, e.g. {{{kind}:birth_date}}")
                counter[0] += 1
                return f"(?P<{arg}__{kind.lower()}__{counter[0]}>{getattr(self._dates, _PARTS[kind])})"
            if kind in slots or kind == "VALUE":
                if arg is None:
                    raise FloorError(f"placeholder {{{kind}}} needs a group name, e.g. {{{kind}:birth_date}}")
                counter[0] += 1
                inner = slots[kind] if kind in slots else _value_pattern(arg)
                return f"(?P<{arg}__{counter[0]}>{inner})"
            if arg is not None:
                raise FloorError(f"placeholder {{{kind}:{arg}}} takes no group name")
            if kind == "STOP":
                counter[0] += 1
                return f"(?P<{STOP_GROUP}__{counter[0]}>)"
            if kind == "INSTITUTION":
                return "(?:" + self._expand(institution_source(self._language.places), counter) + ")"
            if kind in _BUILTINS:
                return _BUILTINS[kind]
            raise FloorError(f"unknown placeholder {{{kind}}} in a phrase pattern")

        return _PLACEHOLDER.sub(sub, src)

    def emits(self, ph: Phrase) -> frozenset[str]:
        """The categories phrase ``ph`` yields (implied ones included), read from its expanded pattern without
        compiling it, so an engine compiles only the phrases of the keywords it meets (:mod:`.match`); checks what
        can be checked without compiling (placeholders, group names, the entity's source)."""
        if ph.entity not in ENTITIES:
            raise FloorError(
                f"phrase {ph.name}: entity must be 'before', 'group', 'subject' or 'page', not {ph.entity!r}"
            )
        names = [g for g in _GROUP_NAME.findall(self.source(ph)) if g.split("__", 1)[0] not in _MARKS]
        cats = [g.split("__", 1)[0] for g in names]
        for cat in cats:
            if cat != "entity" and cat not in CATEGORIES:
                raise FloorError(f"phrase {ph.name}: unknown category {cat!r} in a group name")
        for g in names:
            if g.count("__") == 2 and CATEGORIES[g.split("__", 1)[0]].value_kind != "date":
                raise FloorError(f"phrase {ph.name}: a date part ({{{g.split('__')[1].upper()}:...}}) needs a "
                                 "date category")
        if (ph.entity == "group") != ("entity" in cats):
            raise FloorError(f"phrase {ph.name}: {{NAME:entity}} is required exactly when entity='group'")
        if ph.anchor not in ANCHORS:
            raise FloorError(f"phrase {ph.name}: anchor must be 'keyword', 'line' or 'section', not {ph.anchor!r}")
        if ph.entity == "before" and not ph.before:
            raise FloorError(f"phrase {ph.name}: entity='before' needs a 'before' glue pattern")
        out = set()
        for cat in cats:
            if cat != "entity":
                out.add(cat)
                if CATEGORIES[cat].implies:
                    out.add(CATEGORIES[cat].implies)
        return frozenset(out)

    def source(self, ph: Phrase) -> str:
        """The regex source of ``ph.after``, its placeholders expanded."""
        src = self._sources.get(ph)
        if src is None:
            counter = [0]
            src = self._expand(ph.after, counter)
            src = _MARKED.sub(lambda m: f"(?P<{m[1]}__{_next(counter)}>", src)
            self._sources[ph] = src = linear.re2_escapes(src)
        return src

    def compile(self, ph: Phrase) -> Compiled:
        """The compiled phrase (after :meth:`emits` has checked it)."""
        follow_at = -1 if ph.follow.startswith(LAST) else 0
        follow_source = ph.follow.removeprefix(LAST)

        def compiled(source: str):
            return linear.compile(linear.re2_escapes(source), self._backtracking) if source else None

        try:
            after = linear.compile(self.source(ph), self._backtracking)  # its escapes are RE2's already
            before = compiled(ph.before and f"(?:{self._expand(ph.before, [0])})$")
            not_after = compiled(ph.not_after and f"(?:{ph.not_after})$")
            follow = compiled(follow_source)
            excluding = compiled(ph.excluding and self._expand(ph.excluding, [0]))
        except (re.error, FloorError) as e:
            raise FloorError(f"phrase {ph.name}: bad pattern: {e}") from None
        groups = [(g, g.split("__", 1)[0]) for g in after.groupindex]
        groups.sort(key=lambda gc: after.groupindex[gc[0]])
        stops = tuple(after.groupindex[g] for g, cat in groups if cat == STOP_GROUP)
        aheads = tuple(after.groupindex[g] for g, cat in groups if cat == AHEAD_GROUP)
        free = tuple(after.groupindex[g] for g, cat in groups if cat == FREE_GROUP)
        if aheads:
            after = AheadPattern(after, aheads)
        groups = [(g, cat) for g, cat in groups if cat not in _MARKS]
        parts = tuple((after.groupindex[g], cat, g.split("__")[1]) for g, cat in groups if g.count("__") == 2)
        values = tuple(
            (after.groupindex[g], cat, CATEGORIES[cat].value_kind) for g, cat in groups
            if cat != "entity" and g.count("__") == 1
        )
        entity_group = next((after.groupindex[g] for g, cat in groups if cat == "entity"), None)
        return Compiled(ph, after, before, follow, tuple(groups), values, entity_group, parts, stops, not_after,
                        excluding, free, follow_at)


def _value_pattern(category: str) -> str:
    """The value pattern of a ``pattern``-kind category (a ``{VALUE:...}`` slot)."""
    declared = CATEGORIES.get(category)
    if declared is None or declared.value_pattern is None:
        raise FloorError(f"{{VALUE:{category}}} needs a category with a value pattern")
    return declared.value_pattern


STOP_GROUP = "stop"
"""The group name of a ``{STOP}`` (an empty group: where the engine checks what follows)."""
AHEAD_GROUP = "ahead"
"""The group name of what must follow a match without being part of it (the module's docstring)."""
LAST = "{LAST}"
"""Opens a :attr:`Phrase.follow` matched from the match's last character."""
FREE_GROUP = "free"
"""The group name of a part of a match that :attr:`Phrase.excluding` checks."""
_MARKS = (STOP_GROUP, AHEAD_GROUP, FREE_GROUP)


def _next(counter: list[int]) -> int:
    counter[0] += 1
    return counter[0]


class AheadPattern:
    """A compiled phrase pattern with ``ahead`` groups: its matches end where the group that matched starts."""

    def __init__(self, pattern, aheads: tuple[int, ...]):
        self._pattern = pattern
        self._aheads = aheads
        self.pattern = pattern.pattern
        self.groupindex = pattern.groupindex
        self.groups = pattern.groups

    def match(self, text: str, *span: int) -> "AheadMatch | None":
        m = self._pattern.match(text, *span)
        if m is None:
            return None
        return AheadMatch(m, next(m.start(i) for i in self._aheads if m.start(i) >= 0))


class AheadMatch(linear.Spans):
    """A match ending where its ``ahead`` group starts (:class:`~.linear.Spans`, and ``group``)."""

    __slots__ = ("_match",)

    def __init__(self, m, end: int):
        self._match = m
        self.regs = ((m.start(), end), *m.regs[1:])

    def group(self, group: int = 0) -> str | None:
        found = self._match.group(group)
        return found[:self.end() - self.start()] if group == 0 else found

_BUILTINS = {"SP": linear.SP, "U": linear.U, "L": linear.L, "W": linear.W, "DASH": linear.DASH}
BUILTINS = frozenset({*_BUILTINS, "STOP", "INSTITUTION"})
"""The placeholders without a category: ``{SP}``, ``{U}``, ``{L}``, ``{W}``, ``{DASH}``, ``{STOP}`` and
``{INSTITUTION}`` (a named institution or a common one, ``St Mary's Hospital``, ``a nursing home``, by the
language's :class:`~.places.PlaceLexicon`)."""
SLOT_KINDS = {"DATE": ("date", "year"), "FULLDATE": ("date",), "PLACE": ("place",), "NAME": ("name",),
              "NUMBER": ("number",), "VALUE": ("pattern",), "SAME": ("place",), "MONTHDAY": ("date",),
              "NUMDAY": ("date",), "YEAR": ("date",)}
"""The placeholders with a category (``{DATE:birth_date}``) and the value kinds of the categories each takes
(``{NAME:entity}`` reads the entity)."""
ENTITIES = ("before", "group", "subject", "page")
"""Where a phrase's entity comes from (:attr:`Phrase.entity`)."""
ANCHORS = ("keyword", "line", "section")
"""Where a phrase's pattern is matched (:attr:`Phrase.anchor`)."""

_PARTS = {"MONTHDAY": "month_day_source", "NUMDAY": "numeric_day_source", "YEAR": "year_source"}
"""Split-date placeholders and the :class:`~.dates.DateGrammar` source each stands for."""

