"""The single extraction mechanism: keyword-anchored phrase matching driven by :class:`Language` data.

For one document:

1. find every occurrence of every keyword literal (``str.find`` loops; where the language gives a guard, a hit
   counts only if the guard ``.match``-es right after the literal, as ``finditer`` of ``kw(?=guard)`` would).
   A reader that scanned the document's raw bytes first (:mod:`floor.extract.prefilter`, hyperscan or
   ``bytes.find``) passes a mask of the keywords that may occur: the others are not searched for, and a document
   with none is skipped outright -- the facts are the same, since every fact starts at a hit;
2. at each hit, for each phrase of that keyword, ``.match`` the compiled ``after`` regex right after the keyword;
3. for ``entity="before"`` phrases, check that the ``before`` glue ends exactly at the keyword (a ``(?:glue)\\Z``
   search in a short window ending at the keyword), then read the entity backward from where the glue starts
   (:class:`~floor.extract.names.NameReader`); for ``entity="group"`` phrases the ``{NAME}`` group is validated;
4. the longest successful phrase match at a hit wins; its value groups are parsed and normalized; a consistency
   check runs (birth <= death, lifespan <= :data:`MAX_AGE` years); if it fails, the hit yields nothing;
5. keyword hits inside an accepted match are skipped.

Phrase patterns are regex sources with placeholders, expanded at compile time:

* ``{DATE:<category>}`` -- a date, month-year or year (``{FULLDATE:...}``: full dates only), captured for
  ``<category>`` (a date- or year-kind category); a full date of a date-kind category also yields its
  ``implies`` category; a year-precision value of a date-kind category yields only the implied year category;
  an approximate value (``c. 1815``) yields nothing;
* ``{PLACE:<category>}`` -- a place (place-kind category);
* ``{NAME:entity}`` -- the entity, for ``entity="group"`` phrases;
* ``{SP}`` (whitespace with at most one line break), ``{DASH}``, ``{STOP}`` (not followed by an alternative or a
  range: ``or 1816``, ``-1820``, ``years``), ``{U}``/``{L}``/``{W}`` (upper/lower letter, letter-or-mark), and any
  macro the language defines (expanded recursively, so shared tails are written once).

The same category may appear several times in one pattern (e.g. in alternatives): group names are made unique
as ``<category>__<n>``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from ..errors import FloorError
from . import charclass
from .categories import CATEGORIES, EVENTS, Fact
from .dates import DateGrammar, When
from .names import NameLexicon, NameReader
from .places import PlaceLexicon, normalize_place, place_source, valid_place
from .prefilter import Prefilter

MAX_AGE = 120
"""Longest plausible lifespan in years; a match whose death is later than this after birth yields nothing."""

_GLUE_WINDOW = 128
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z_]*)(?::([a-z_]+))?\}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Phrase:
    """One phrasing, as data.

    ``keyword``: the literal anchor (case-sensitive) the engine searches for.
    ``after``: regex source matched (``re.match``) immediately after the keyword, with placeholders.
    ``entity``: ``"before"`` (read backward from the glue) or ``"group"`` (the ``{NAME:entity}`` group).
    ``before``: regex source for the glue that must end exactly at the keyword (``r"\\s+was\\s+"``); for
    ``"group"`` phrases, a context the keyword must follow (e.g. a sentence start); empty = no requirement.
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


@dataclass(frozen=True)
class Language:
    code: str
    phrases: tuple[Phrase, ...]
    months: dict[str, int]
    names: NameLexicon
    places: PlaceLexicon
    macros: dict[str, str] = field(default_factory=dict)
    guards: dict[str, str] = field(default_factory=dict)
    """Optional per-keyword regex source that must match right after the keyword for a hit to be tried (a
    necessary condition of every phrase of that keyword). Lets the scan skip most ``(`` in code or math text in C
    instead of trying each phrase from Python."""
    raw_guards: dict[str, bytes] = field(default_factory=dict)
    """Optional per-keyword byte pattern (hyperscan and ``re`` syntax) that must match right after the keyword in
    the ENCODED record (a JSON line, or UTF-8) whenever the keyword's guard matches in the decoded text: an
    over-approximation of the guard for the raw-bytes prefilter (:mod:`floor.extract.prefilter`). Escapes and
    multi-byte characters must be allowed for: a whitespace may be ``\\n`` or a non-ASCII byte sequence. A raw
    pattern that needs one of the HTML-safe characters ``&'<=>`` spells it literally (see
    :data:`~floor.extract.prefilter.HTML_SAFE`)."""
    raw_contexts: dict[str, bytes] = field(default_factory=dict)
    """Optional per-keyword byte pattern (hyperscan syntax) that must match in the ENCODED record, around and
    including the keyword, wherever some phrase of that keyword matches the decoded text there: its glue before
    the keyword and the shape of what follows (a date starts with a digit, a lifespan holds a dash between two
    digits before its closing parenthesis). Much tighter than the raw guard, so most records that merely
    contain a keyword are never decoded and searched. Used by the hyperscan prefilter only: hyperscan runs
    patterns as automata, where ``re`` would backtrack on the nested repeats these need."""


@dataclass(frozen=True)
class _Compiled:
    phrase: Phrase
    after: re.Pattern
    before: re.Pattern | None
    groups: tuple[tuple[str, str], ...]  # (group name, category)
    values: tuple[tuple[int, str, bool], ...]  # (group index, category, is a place) of the value groups
    entity_group: int | None  # group index of {NAME:entity}, for entity="group" phrases


_CACHE: dict[int, tuple[Language, tuple[_Compiled, ...]]] = {}
"""Compiled phrases per language object (compiling takes a few hundred ms; do it once per process)."""


class Engine:
    """Compiled phrases of one language, restricted to the categories asked for."""

    def __init__(self, language: Language, categories: Iterable[str]):
        self.language = language
        self.categories = tuple(categories)
        self._wanted = frozenset(self.categories)
        self.dates = DateGrammar(language.months)
        self.names = NameReader(language.names)
        self._place_src = place_source(language.places)
        cached = _CACHE.get(id(language))
        if cached is None or cached[0] is not language:
            cached = (language, tuple(self._compile(ph) for ph in language.phrases))
            _CACHE[id(language)] = cached
        # keyword -> [(after pattern, phrases sharing it)]: a pattern is matched once per hit however many
        # phrases use it (e.g. "X was born ..." and "X, born ..." differ only in their glue).
        by_kw: dict[str, dict[str, tuple[re.Pattern, list[_Compiled]]]] = {}
        for c in cached[1]:
            if self._emits(c) & self._wanted:
                slot = by_kw.setdefault(c.phrase.keyword, {}).setdefault(c.after.pattern, (c.after, []))
                slot[1].append(c)
        self._by_kw = {k: tuple((p, tuple(cs)) for p, cs in v.values()) for k, v in by_kw.items()}
        self._parse_date = lru_cache(maxsize=1 << 16)(self.dates.parse)
        self._place = lru_cache(maxsize=1 << 16)(self._place_value)
        self._entity_norm = _normalize_entity
        self.keywords = tuple(self._by_kw)
        self._unknown = 1 << len(self.keywords)
        self._prefilters: dict[str, Prefilter] = {}
        self._guards = {k: re.compile(language.guards[k]) for k in self.keywords if k in language.guards}
        self._plans: dict[int | None, tuple] = {}

    # -- compilation ---------------------------------------------------------------------------------------------
    def _expand(self, src: str, counter: list[int], depth: int = 0) -> str:
        if depth > 10:
            raise FloorError("phrase macros nest too deeply (a macro refers to itself?)")

        def sub(m: re.Match) -> str:
            kind, arg = m.group(1), m.group(2)
            if kind in ("DATE", "FULLDATE", "PLACE", "NAME"):
                if arg is None:
                    raise FloorError(f"placeholder {{{kind}}} needs a group name, e.g. {{{kind}:birth_date}}")
                counter[0] += 1
                inner = {
                    "DATE": self.dates.source,
                    "FULLDATE": self.dates.full_source,
                    "PLACE": self._place_src,
                    "NAME": self.names.name_source(),
                }[kind]
                return f"(?P<{arg}__{counter[0]}>{inner})"
            if arg is not None:
                raise FloorError(f"placeholder {{{kind}:{arg}}} takes no group name")
            builtin = {
                "SP": charclass.SP,
                "U": charclass.U,
                "L": charclass.L,
                "W": charclass.W,
                "DASH": r"(?:\s*(?:--|[-\u2010-\u2015\u2212])\s*|\s+to\s+)",
                "STOP": STOP,
            }
            if kind in builtin:
                return builtin[kind]
            if kind in self.language.macros:
                return "(?:" + self._expand(self.language.macros[kind], counter, depth + 1) + ")"
            raise FloorError(f"unknown placeholder {{{kind}}} in a phrase pattern")

        return _PLACEHOLDER.sub(sub, src)

    def _compile(self, ph: Phrase) -> _Compiled:
        if ph.entity not in ("before", "group"):
            raise FloorError(f"phrase {ph.name}: entity must be 'before' or 'group', not {ph.entity!r}")
        try:
            after = re.compile(self._expand(ph.after, [0]))
            before = re.compile(f"(?:{ph.before})\\Z") if ph.before else None
        except re.error as e:
            raise FloorError(f"phrase {ph.name}: bad pattern: {e}") from None
        groups = []
        for g in after.groupindex:
            cat = g.split("__", 1)[0]
            if cat != "entity" and cat not in CATEGORIES:
                raise FloorError(f"phrase {ph.name}: unknown category {cat!r} in a group name")
            groups.append((g, cat))
        has_entity = any(c == "entity" for _, c in groups)
        if (ph.entity == "group") != has_entity:
            raise FloorError(f"phrase {ph.name}: {{NAME:entity}} is required exactly when entity='group'")
        if ph.entity == "before" and before is None:
            raise FloorError(f"phrase {ph.name}: entity='before' needs a 'before' glue pattern")
        groups.sort(key=lambda gc: after.groupindex[gc[0]])
        values = tuple(
            (after.groupindex[g], cat, CATEGORIES[cat].value_kind == "place") for g, cat in groups if cat != "entity"
        )
        entity_group = next((after.groupindex[g] for g, cat in groups if cat == "entity"), None)
        return _Compiled(ph, after, before, tuple(groups), values, entity_group)

    def _place_value(self, s: str) -> str | None:
        """The normalized value of a matched place, or ``None`` if it fails the procedural check."""
        if not valid_place(s, self.language.places):
            return None
        return normalize_place(s)

    @staticmethod
    def _emits(c: _Compiled) -> set[str]:
        out = set()
        for _, cat in c.groups:
            if cat != "entity":
                out.add(cat)
                if CATEGORIES[cat].implies:
                    out.add(CATEGORIES[cat].implies)
        return out

    # -- extraction ----------------------------------------------------------------------------------------------
    def prefilter(self, backend: str = "auto") -> Prefilter:
        """The raw-bytes prefilter for this engine's keywords (built once per process and backend)."""
        pf = self._prefilters.get(backend)
        if pf is None:
            pf = self._prefilters[backend] = Prefilter(self.keywords, self.language.raw_guards, backend,
                                                          self.language.raw_contexts)
        return pf

    def hits(self, text: str, mask: int | None = None) -> list[tuple[int, str]]:
        """``(position, keyword)`` of every keyword occurrence (passing its guard), in text order.

        ``mask``: a prefilter mask (bit ``i`` for ``keywords[i]``); keywords whose bit is clear are known to be
        absent and are not searched for.
        """
        plan = self._plans.get(mask)
        if plan is None:
            plan = self._plan(mask)
        out: list[tuple[int, str]] = []
        find = text.find
        for kw, width, guard in plan:
            i = find(kw)
            if guard is None:
                while i >= 0:
                    out.append((i, kw))
                    i = find(kw, i + 1)
            else:
                # As finditer of kw(?=guard) would: after a hit the search goes on past the keyword.
                while i >= 0:
                    if guard(text, i + width) is None:
                        i = find(kw, i + 1)
                    else:
                        out.append((i, kw))
                        i = find(kw, i + width)
        if len(plan) > 1:
            out.sort()
        return out

    def _plan(self, mask: int | None) -> tuple[tuple[str, int, object], ...]:
        """The keywords to search for under ``mask``, each with its length and its guard's ``match``."""
        keywords = [kw for i, kw in enumerate(self.keywords) if mask is None or mask >> i & 1]
        plan = tuple((kw, len(kw), self._guards[kw].match if kw in self._guards else None) for kw in keywords)
        self._plans[mask] = plan
        return plan

    def extract(self, text: str, mask: int | None = None) -> list[Fact]:
        """The facts of one document. ``mask``: its prefilter mask (:mod:`floor.extract.prefilter`), if known."""
        if mask is not None:
            if not mask:
                return []  # no keyword, so no hit: nothing to extract
            if mask & self._unknown:
                mask = None
        facts: list[Fact] = []
        consumed = 0
        by_kw = self._by_kw
        for pos, kw in self.hits(text, mask):
            if pos < consumed:
                continue
            best = None
            best_end = -1
            at = pos + len(kw)
            for after, phrases in by_kw[kw]:
                m = after.match(text, at)
                if m is None or m.end() <= best_end:
                    continue
                for c in phrases:  # phrases sharing this pattern differ only in their glue
                    span = self._entity(text, pos, c, m)
                    if span is not None:
                        best, best_end = (c, m, span), m.end()
                        break
            if best is None:
                continue
            c, m, span = best
            new = self._facts(text, pos, c, m, span)
            if new:
                facts.extend(new)
                consumed = m.end()
        facts.sort(key=lambda f: f.start)
        return facts

    def _entity(self, text: str, pos: int, c: _Compiled, m: re.Match) -> tuple[int, int] | None:
        if c.before is not None:
            lo = max(0, pos - _GLUE_WINDOW)
            glue = c.phrase.before
            # The two most common glues without a regex: str.rstrip() strips exactly what \s matches, so these
            # give the same (leftmost) start as the search.
            if glue == r"\s*":
                start = lo + len(text[lo:pos].rstrip())
            elif glue == r"\s*,\s*":
                head = text[lo:pos].rstrip()
                if not head.endswith(","):
                    return None
                start = lo + len(head[:-1].rstrip())
            else:
                g = c.before.search(text, lo, pos)
                if g is None:
                    return None
                start = g.start()
        if c.entity_group is None:
            return self.names.backward(text, start, c.phrase.subject)
        s, e = m.span(c.entity_group)
        return self.names.forward(text, s, e)

    def _facts(self, text: str, pos: int, c: _Compiled, m: re.Match, span: tuple[int, int]) -> list[Fact]:
        values: list[tuple[int, str, object]] = []  # (group start, category, When | place value)
        regs = m.regs
        for idx, cat, is_place in c.values:
            gs, ge = regs[idx]
            if gs < 0:
                continue
            if is_place:
                v = self._place(text[gs:ge])
                if v is None:
                    return []
                values.append((gs, cat, v))
            else:
                w = self._parse_date(text[gs:ge])
                if w is not None:
                    values.append((gs, cat, w))
        if not values or not _consistent(values):
            return []
        es, ee = span
        entity, key = self._entity_norm(text[es:ee])
        start = min(es, pos)
        end = max(ee, m.end())
        snippet = text[start:end]
        out: list[Fact] = []
        seen = set()
        wanted = self._wanted
        if len(values) > 1:
            values.sort(key=lambda t: t[0])
        for _, cat, v in values:
            category = CATEGORIES[cat]
            if isinstance(v, When):
                if category.value_kind == "date":
                    if v.is_date:
                        emits = [(cat, v.date_value)]
                    else:
                        emits = []
                    if category.implies:
                        emits.append((category.implies, v.year_value))
                else:
                    emits = [(cat, v.year_value)]
                for ecat, value in emits:
                    if ecat in wanted and (ecat, value) not in seen:
                        seen.add((ecat, value))
                        out.append(Fact(ecat, entity, key, value, start, end, snippet))
            elif cat in wanted and (cat, v) not in seen:
                seen.add((cat, v))
                out.append(Fact(cat, entity, key, v, start, end, snippet))
        return out


@lru_cache(maxsize=1 << 16)
def _normalize_entity(raw: str) -> tuple[str, str]:
    entity = _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()
    return entity, entity.casefold()


def _consistent(values: list[tuple[int, str, object]]) -> bool:
    """Birth before death and a plausible lifespan when one match gives both (events per
    :data:`~floor.extract.categories.EVENTS`). A trailing BC marks the whole range: ``(427–347 BC)`` reads an
    era-less birth YEAR as BC too. May rewrite ``values`` accordingly."""
    births = [(i, v) for i, (_, cat, v) in enumerate(values) if isinstance(v, When) and EVENTS.get(cat) == "birth"]
    deaths = [(i, v) for i, (_, cat, v) in enumerate(values) if isinstance(v, When) and EVENTS.get(cat) == "death"]
    if not births or not deaths:
        return True
    if any(d.year < 0 and d.era for _, d in deaths):
        for i, b in births:
            if not b.era and b.year > 0 and not b.is_date:
                s, cat, _ = values[i]
                values[i] = (s, cat, When(-b.year, 0, 0, True))
        births = [(i, values[i][2]) for i, _ in births]
    for _, b in births:
        for _, d in deaths:
            if b.is_date and d.is_date:
                if b.sort_key() > d.sort_key():
                    return False
            elif b.year > d.year:
                return False
            if d.year - b.year > MAX_AGE:
                return False
    return True


STOP = (
    r"(?!\s*(?:or|to|and|&|/|--|[-\u2010-\u2015\u2212])\s*(?:c\.|ca\.|circa|\d))"
    r"(?!\s+(?:years?|yrs?|months?|weeks?|days?|hours?|minutes?|times|people|persons|men|women|children|soldiers"
    r"|others|miles|km|kilomet(?:er|re)s|metres|meters|feet|pounds|dollars|euros|percent|per\b|%))"
)
