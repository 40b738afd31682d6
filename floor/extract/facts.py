"""Stage 4 of extraction: a match's values parsed and normalized into facts, and checked for consistency.

Dates are parsed by :class:`~floor.extract.dates.DateGrammar`, places checked and normalized by
:mod:`floor.extract.places`; within one match a birth may not come after a death nor less than :data:`MIN_AGE` or
more than :data:`MAX_AGE` years before it, and a trailing BC marks the whole range (a birth year of one or two
digits included: ``(65–8 BC)``, and an approximate death's BC too: ``(460 – c. 370 BC)``); a two-digit death
year is read within the century of the birth year (``(1902–70)``); an uncertain value (approximate, ``c. 1815``,
or with an alternative year, ``1726/27``) yields nothing but does not stop the rest of the match; a value that
is neither a date nor an uncertain one is not one. A failed check yields nothing for the match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from .categories import CATEGORIES, EVENTS, Category, Fact
from .dates import DateGrammar, When, parse_normal
from .linear import Checks
from .names import without_insertions
from .phrases import Compiled
from .places import PlaceLexicon, normalize_place, valid_place
from .subject import Entity

MAX_AGE = 120
"""Longest plausible lifespan in years; a match whose death is later than this after birth yields nothing."""
MIN_AGE = 15
"""Shortest lifespan read from one match: a span of fewer years after a name is a term, a run or a period
(``Chancellor (1834–1835)``, ``Middlemarch (1871–1872)``, ``Los Angeles (1936–1944)``), and yields nothing."""

_SPACES = re.compile(r"\s+")
_LIFESPAN = ("birth_year", "death_year")


class FactBuilder:
    """Turns one match into facts of the wanted categories."""

    def __init__(self, dates: DateGrammar, places: PlaceLexicon, wanted: frozenset[str], checks: Checks = Checks()):
        self._places = places
        self._stop = re.compile(checks.stop_source())
        self._alternative_after = re.compile(checks.alternative_source())
        self._same_place = frozenset(checks.same_place)
        self._wanted = wanted
        self._parse_date = lru_cache(maxsize=1 << 16)(dates.parse)
        self._uncertain = dates.uncertain
        self._marked_bc = dates.marked_bc
        self._place = lru_cache(maxsize=1 << 16)(self._place_value)

    def _place_value(self, s: str) -> str | None:
        """The normalized value of a matched place, or ``None`` if it fails the procedural check."""
        if not valid_place(s, self._places):
            return None
        return normalize_place(s)

    def facts(self, text: str, pos: int, c: Compiled, m: re.Match, who: Entity,
              dated: list[tuple[int, str, When]] | tuple = ()) -> list[Fact]:
        """The facts of match ``m`` of phrase ``c`` (keyword at ``pos``) about ``who``; empty if it fails a check.
        ``dated``: the dates put together from its split-date parts (:mod:`.chronology`)."""
        values: list[tuple[int, str, object]] = list(dated)  # (group start, category, When | place value)
        short: tuple[int, str, int] | None = None  # an abbreviated death year: (group start, category, 2 digits)
        small: list[tuple[int, str, When]] = []  # a birth year of one or two digits, a year only in a BC range
        marked_bc = False  # an approximate value marked BC ("c. 370 BC"): the range is BC
        regs = m.regs
        # "1815 or 1816", "1815–1820": no single value. Where a {STOP} says so, that value alone gives
        # nothing: the statement's other values are certain ("747 oder 748; † 28. Januar 814 in Aachen").
        uncertain = {regs[idx][1] for idx in c.stops if regs[idx][1] >= 0 and self._stop.match(text, regs[idx][1])}
        for idx, cat, kind in c.values:
            gs, ge = regs[idx]
            if gs < 0 or ge in uncertain:
                continue
            if text[ge:ge + 1].isalnum():
                return []  # a value must end at a word's end (its slot has no lookahead)
            if kind == "place":
                if text[gs:ge] in self._same_place:
                    # "ebenda": the place the statement gave before (none before: no place)
                    v = next((p for _, c, p in reversed(values) if isinstance(p, str) and c != cat), None)
                    if v is not None:
                        values.append((gs, cat, v))
                    continue
                v = self._place(text[gs:ge])
                if v is None:
                    return []
                if self._alternative_after.match(text, ge):
                    continue  # "Gotarrendura o Ávila": no single place, the statement's dates still count
                values.append((gs, cat, v))
            elif kind not in ("date", "year"):
                v = normalize_value(text[gs:ge], CATEGORIES[cat])
                if v is None:
                    return []
                values.append((gs, cat, v))
            else:
                w = self._parse_date(text[gs:ge])
                if w is not None:
                    values.append((gs, cat, w))
                elif ge - gs <= 2 and EVENTS.get(cat) == "birth" and text[gs:ge].isdecimal():
                    small.append((gs, cat, When(int(text[gs:ge]))))
                elif ge - gs == 2 and EVENTS.get(cat) == "death" and text[gs:ge].isdecimal():
                    short = (gs, cat, int(text[gs:ge]))
                elif self._uncertain(text[gs:ge]):
                    marked_bc = marked_bc or EVENTS.get(cat) == "death" and self._marked_bc(text[gs:ge])
                else:
                    return []  # not a date after all: the match is not what it seemed
        if short is not None and not _expand_short(values, short):
            return []
        if not _read_trailing_bc(values, small, marked_bc):
            return []
        if not values or not consistent(values):
            return []
        entity, key = normalize_entity(who.name)
        # A subject not read at the statement (a title or heading) spans nothing here.
        start = pos if who.start < 0 else min(who.start, pos)
        end = max(who.end, m.end())
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
                        out.append(Fact(ecat, entity, key, value, start, end, snippet, who.how))
            elif cat in wanted and (cat, v) not in seen:
                seen.add((cat, v))
                out.append(Fact(cat, entity, key, v, start, end, snippet, who.how))
        return out


    @staticmethod
    def without(facts: list[Fact], groups: list[list[Fact]]) -> list[Fact]:
        """``facts`` without those of ``groups`` (each the facts of one match)."""
        drop = {id(f) for group in groups for f in group}
        return [f for f in facts if id(f) not in drop]

    @staticmethod
    def with_aliases(facts: list[Fact], local: list[list[Fact]]) -> list[Fact]:
        """``facts`` where a local lifespan that equals the subject's, both years, names the subject under another
        name (``Abu al-Qasim ... (940–1025), better known by his pen name Ferdowsi``) and so takes its entity."""
        subject = [f for f in facts if f.subject != "local" and f.category in _LIFESPAN]
        lifespan = {(f.category, f.value) for f in subject}
        if {c for c, _ in lifespan} != set(_LIFESPAN) or len(lifespan) != len(_LIFESPAN):
            return facts  # no single lifespan of the subject
        renamed = {}
        for group in local:
            if {(f.category, f.value) for f in group if f.category in _LIFESPAN} == lifespan:
                renamed.update((id(f), f) for f in group)
        if not renamed:
            return facts
        who = subject[0]
        return [replace(f, entity=who.entity, entity_key=who.entity_key, subject=who.subject) if id(f) in renamed
                else f for f in facts]

    @staticmethod
    def contradicting(facts: list[Fact], groups: list[list[Fact]]) -> list[list[Fact]]:
        """The ``groups`` (facts of one match each) that contradict another fact of the same entity in
        ``facts``: another value of the same category, or a birth and a death that no lifespan joins. A pronoun's
        statement that contradicts what the document says of its subject is about someone else."""
        out = []
        for group in groups:
            mine = {id(f) for f in group}
            others = [f for f in facts if id(f) not in mine and f.entity_key == group[0].entity_key]
            if any(_contradict(f, g) for f in group for g in others):
                out.append(group)
        return out


def _contradict(f: Fact, g: Fact) -> bool:
    """Two facts of one entity that cannot both hold: two values of a category an entity has one value of, or a
    birth and a death further apart than a lifespan (or in the wrong order)."""
    if f.category == g.category:
        return f.value != g.value and CATEGORIES[f.category].one_value
    events = (EVENTS.get(f.category), EVENTS.get(g.category))
    if events == ("death", "birth"):
        f, g = g, f
    elif events != ("birth", "death"):
        return False
    return not 0 <= parse_normal(g.value).year - parse_normal(f.value).year <= MAX_AGE


def _expand_short(values: list[tuple[int, str, object]], short: tuple[int, str, int]) -> bool:
    """Expand an abbreviated death year within the century of the birth year of the same match (``(1902–70)`` ->
    1970, ``(1805–75)`` -> 1875) and add it to ``values``; ``False`` when no birth year of that century can take
    it (``(1890–03)`` is ambiguous, a lone ``70`` is no year). :func:`consistent` then checks the lifespan, so a
    short run (``(1830–33)``) still yields nothing."""
    births = [v for _, cat, v in values if isinstance(v, When) and EVENTS.get(cat) == "birth"]
    if len(births) != 1 or births[0].era or not 100 <= births[0].year:
        return False
    birth = births[0].year
    year = birth - birth % 100 + short[2]
    if year <= birth:
        return False
    values.append((short[0], short[1], When(year)))
    return True


def normalize_value(raw: str, category: Category) -> str | None:
    """The value of a ``name``, ``number`` or ``pattern`` category as matched (``None``: no value): a name's
    display form; a number's digits without grouping or leading zeros; a pattern's value by the category's
    normalizer (:data:`~floor.extract.categories.NORMALIZERS`)."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()
    if category.value_kind == "number":
        digits = "".join(ch for ch in text if ch.isdecimal())
        return str(int(digits)) if digits else None
    normalize = "text" if category.value_kind == "name" else category.normalize
    if normalize == "casefold":
        text = text.casefold()
    elif normalize == "upper":
        text = text.upper()
    elif normalize == "digits":
        text = "".join(ch for ch in text if ch.isdecimal())
    return text or None


@lru_cache(maxsize=1 << 16)
def normalize_entity(raw: str) -> tuple[str, str]:
    """The display form (NFC, whitespace collapsed, without a nickname or birth name inserted in it:
    :func:`~floor.extract.names.without_insertions`) and the counting key (casefolded) of an entity."""
    entity = _SPACES.sub(" ", without_insertions(unicodedata.normalize("NFC", raw))).strip()
    return entity, entity.casefold()


def _read_trailing_bc(values: list[tuple[int, str, object]], small: list[tuple[int, str, When]],
                      marked_bc: bool) -> bool:
    """A trailing BC marks the whole range: ``(427–347 BC)``, ``(65–8 BC)``, ``(460 – c. 370 BC)`` read an
    era-less birth YEAR as BC too (rewriting ``values``); ``marked_bc``: an approximate death was marked BC. A
    birth year of one or two digits (``small``) is a year only so; ``False`` when one is left without an era."""
    bc = marked_bc or any(isinstance(v, When) and v.era and v.year < 0 and EVENTS.get(cat) == "death"
                          for _, cat, v in values)
    if not bc:
        return not small
    values.extend(small)
    for i, (s, cat, v) in enumerate(values):
        if isinstance(v, When) and EVENTS.get(cat) == "birth" and not v.era and v.year > 0 and not v.is_date:
            values[i] = (s, cat, When(-v.year, 0, 0, True))
    return True


def consistent(values: list[tuple[int, str, object]]) -> bool:
    """Birth before death and a plausible lifespan (:data:`MIN_AGE` to :data:`MAX_AGE` years) when one match gives
    both (events per :data:`~floor.extract.categories.EVENTS`)."""
    births = [v for _, cat, v in values if isinstance(v, When) and EVENTS.get(cat) == "birth"]
    deaths = [v for _, cat, v in values if isinstance(v, When) and EVENTS.get(cat) == "death"]
    for b in births:
        for d in deaths:
            if b.is_date and d.is_date:
                if b.sort_key() > d.sort_key():
                    return False
            elif b.year > d.year:
                return False
            if not MIN_AGE <= d.year - b.year <= MAX_AGE:
                return False
    return True
