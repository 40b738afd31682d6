"""Stage 2 of extraction: the phrases matched at a keyword hit.

At each hit, for each phrase of that keyword, the compiled ``after`` regex is ``.match``-ed right after the
keyword; for ``entity="before"`` phrases the ``before`` glue must end exactly at the keyword (a ``(?:glue)\\Z``
search in a short window ending at the keyword). Who the phrase is about is the next stage's question
(:mod:`floor.extract.subject`): it is asked for each matching phrase, longest match first, and the first phrase
it finds an entity for wins. A phrase anchored at the line (a dated list line) is matched instead from the start
of the keyword's line, within it, and must reach past the keyword; one anchored at a section is matched at a line
start of the section (the engine turns a section keyword's hit into hits at its lines: :mod:`.chronology`).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from ..errors import FloorError
from . import linear
from .phrases import Compiled, Phrase

GLUE_WINDOW = 128
"""Characters before a keyword in which its glue is searched."""
NOT_AFTER_WINDOW = 32
"""Characters before a glue in which what may not precede it is searched."""

EntityOf = Callable[[str, int, Compiled, re.Match, int, object], object]
"""``(text, hit position, phrase, match, glue start, document) -> entity or None`` (the subject stage)."""


class PhraseMatcher:
    """The phrases of the wanted categories, grouped by keyword. Compiling takes a few hundred ms for all of them,
    a per-process cost, so a pattern is compiled only once a hit needs it (a stand-in holds its place until then),
    or in a parent process before it forks its workers (:meth:`compile_all`). A pattern an earlier process compiled
    for Python's ``re`` is read back from the cache (:mod:`.pattern_cache`)."""

    def __init__(self, phrases: Iterable[Phrase], compile: Callable[[Phrase], Compiled],
                 source: Callable[[Phrase], str]):
        self._phrases: dict[str, list[Phrase]] = {}
        line: dict[str, bool] = {}
        for ph in phrases:
            self._phrases.setdefault(ph.keyword, []).append(ph)
            if line.setdefault(ph.keyword, ph.line) != ph.line:
                raise FloorError(f"phrase {ph.name}: the phrases of {ph.keyword!r} must all be matched within "
                                 "their line, or none")
        self.keywords = tuple(self._phrases)
        self.line_keywords = frozenset(k for k, one_line in line.items() if one_line)
        """Keywords whose phrases are matched within the keyword's line."""
        self.section_keywords = frozenset(ph.keyword for phs in self._phrases.values() for ph in phs
                                          if ph.anchor == "section")
        """Keywords that head sections (``Births``): their phrases are matched at the section's lines."""
        self.by_kw = _ByKeyword(self._slots)
        """keyword -> ([after pattern, its anchor, phrases sharing both], ...), the pattern a
        :class:`_Uncompiled` stand-in until first needed."""
        self._compile = compile
        self._source = source

    def _slots(self, kw: str) -> tuple[list, ...]:
        # A pattern is matched once per hit however many phrases use it (e.g. "X was born ..." and "X, born ..."
        # differ only in their glue).
        slots: dict[tuple[str, str], list[Phrase]] = {}
        for ph in self._phrases[kw]:
            slots.setdefault((self._source(ph), ph.anchor), []).append(ph)
        out = []
        for (_, anchor), phs in slots.items():
            slot = [None, anchor, []]
            slot[0] = _Uncompiled(phs, slot, self._compile)
            out.append(slot)
        return tuple(out)

    def derived_guards(self) -> tuple[dict[str, str], dict[str, bytes]]:
        """Guards of the keywords whose phrases are all matched at the keyword, from what their patterns can start
        with (:func:`.linear.start_of`): one character class after the keyword, on the text and on the raw bytes
        (a pack's user writes no guard)."""
        guards, raw_guards = {}, {}
        for kw, phrases in self._phrases.items():
            if not all(ph.anchor == "keyword" for ph in phrases):
                continue
            starts = [linear.start_of(self._source(ph)) for ph in phrases]
            if any(start is None for start in starts):
                continue
            start = starts[0]
            for other in starts[1:]:
                start = start | other
            guards[kw] = start.text_guard()
            raw_guards[kw] = start.raw_guard()
        return guards, raw_guards

    def compile_all(self) -> None:
        """Compile every keyword's phrases now (in a parent process, so that the workers it forks share them)."""
        for kw in self.keywords:
            for slot in self.by_kw[kw]:
                if isinstance(slot[0], _Uncompiled):
                    slot[0].compile()

    def matching(self, text: str, pos: int, kw: str):
        """``(match, phrases)`` for each pattern of ``kw`` that matches at the hit ``pos`` (the phrases sharing
        it; their glue and what must follow are not checked here), in phrase order."""
        at = pos + len(kw)
        end = self._end(text, at, kw)
        for after, anchor, phrases in self.by_kw[kw]:
            m = after.match(text, at, end) if anchor == "keyword" else _line_match(text, pos, at, after, anchor)
            if m is not None:
                yield m, phrases

    def _end(self, text: str, at: int, kw: str) -> int:
        """Where a match after the keyword ending at ``at`` must end: the line's end for a line keyword."""
        if kw in self.line_keywords:
            return text.find("\n", at) % (len(text) + 1)  # the line's end, or the text's
        return len(text)

    def best(self, text: str, pos: int, kw: str, entity_of: EntityOf, doc: object):
        """``(phrase, match, entity)`` of the longest phrase matching at the hit ``pos`` of ``kw`` for which
        ``entity_of`` finds an entity in ``doc``, or ``None``."""
        # The loop of :meth:`matching`, inlined: this runs at every hit, and most patterns fail there.
        best = None
        best_end = -1
        at = pos + len(kw)
        end = self._end(text, at, kw)
        for after, anchor, phrases in self.by_kw[kw]:
            m = after.match(text, at, end) if anchor == "keyword" else _line_match(text, pos, at, after, anchor)
            if m is None:
                continue
            m_end = m.end()
            if m_end <= best_end:
                continue
            for c in phrases:  # phrases sharing this pattern differ only in their glue and what must follow
                if c.follow is not None and c.follow.match(text, m_end + c.follow_at) is None:
                    continue
                if c.excluding is not None and _holds_excluded(text, m, c):
                    continue
                start = pos if c.before is None else glue_start(text, pos, c)
                if start is None:
                    continue
                entity = entity_of(text, pos, c, m, start, doc)
                if entity is not None:
                    best, best_end = (c, m, entity), m_end
                    break
        return best


def _holds_excluded(text: str, m, c: Compiled) -> bool:
    """Whether a free group of the match holds what the phrase excludes there (:attr:`.Phrase.excluding`)."""
    for index in c.free:
        start, end = m.span(index)
        if start >= 0 and c.excluding.search(text, start, end) is not None:
            return True
    return False


def _line_match(text: str, pos: int, at: int, after: re.Pattern, anchor: str) -> re.Match | None:
    """The match of a phrase anchored at a line: a dated line's, from its start (the verb, at the keyword, is part
    of the match; the match must reach past it), or a section's line (``pos`` is its start); within the line."""
    start = pos if anchor == "section" else text.rfind("\n", 0, pos) + 1
    m = after.match(text, start, text.find("\n", pos) % (len(text) + 1))
    if m is not None and anchor == "line" and m.end() < at:
        return None
    return m


class _Uncompiled:
    """The stand-in for a pattern not compiled yet, in its slot ``[pattern, anchor, phrases]``: at its first hit it
    compiles the pattern and the slot's phrases into the slot, and matches the pattern."""

    def __init__(self, phrases: list[Phrase], slot: list, compile: Callable[[Phrase], Compiled]):
        self.phrases = phrases
        self._slot = slot
        self._compile = compile

    def match(self, text: str, start: int, end: int):
        return self.compile().match(text, start, end)

    def compile(self):
        compiled = [self._compile(ph) for ph in self.phrases]
        self._slot[2][:] = compiled  # in place: a caller holding the slot's phrase list sees them
        self._slot[0] = compiled[0].after
        return compiled[0].after


class _ByKeyword(dict):
    """keyword -> its compiled phrases, compiled on first access."""

    def __init__(self, compile_keyword: Callable[[str], tuple]):
        super().__init__()
        self._compile_keyword = compile_keyword

    def __missing__(self, kw: str) -> tuple:
        value = self[kw] = self._compile_keyword(kw)
        return value


def glue_start(text: str, pos: int, c: Compiled) -> int | None:
    """Where the phrase's ``before`` glue starts when it ends exactly at ``pos`` (``pos`` itself for phrases
    without glue), or ``None`` when it does not match there or what may not precede it does."""
    if c.before is None:
        return pos
    start = _glue_start(text, pos, c)
    if start is None or c.not_after is None:
        return start
    return None if c.not_after.search(text, max(0, start - NOT_AFTER_WINDOW), start) else start


def _glue_start(text: str, pos: int, c: Compiled) -> int | None:
    lo = max(0, pos - GLUE_WINDOW)
    glue = c.phrase.before
    # The two most common glues without a regex: str.rstrip() strips exactly what \s matches, so these give the
    # same (leftmost) start as the search.
    if glue == r"\s*":
        return lo + len(text[lo:pos].rstrip())
    if glue == r"\s*,\s*":
        head = text[lo:pos].rstrip()
        if not head.endswith(","):
            return None
        return lo + len(head[:-1].rstrip())
    g = c.before.search(text, lo, pos)
    return None if g is None else g.start()
