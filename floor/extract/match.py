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
from .phrases import Compiled, Phrase

GLUE_WINDOW = 128
"""Characters before a keyword in which its glue is searched."""

EntityOf = Callable[[str, int, Compiled, re.Match, int, object], object]
"""``(text, hit position, phrase, match, glue start, document) -> entity or None`` (the subject stage)."""


class PhraseMatcher:
    """The phrases of the wanted categories, grouped by keyword; each keyword's phrases are compiled when it is
    first met (compiling takes a few hundred ms for all of them, a per-process cost)."""

    def __init__(self, phrases: Iterable[Phrase], compile: Callable[[Phrase], Compiled]):
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
        self.by_kw = _ByKeyword(self._compiled)
        """keyword -> ((after pattern, its anchor, phrases sharing both), ...), compiled on first access."""
        self._compile = compile

    def _compiled(self, kw: str) -> tuple[tuple[re.Pattern, tuple[Compiled, ...]], ...]:
        # A pattern is matched once per hit however many phrases use it (e.g. "X was born ..." and "X, born ..."
        # differ only in their glue).
        slots: dict[tuple[str, str], tuple[re.Pattern, str, list[Compiled]]] = {}
        for ph in self._phrases[kw]:
            c = self._compile(ph)
            slots.setdefault((c.after.pattern, ph.anchor), (c.after, ph.anchor, []))[2].append(c)
        return tuple((p, anchor, tuple(cs)) for p, anchor, cs in slots.values())

    def compile_all(self) -> None:
        """Compile every keyword's phrases now (in a parent process, so that the workers it forks share them)."""
        for kw in self.keywords:
            self.by_kw[kw]

    def matching(self, text: str, pos: int, kw: str):
        """``(match, phrases)`` for each pattern of ``kw`` that matches at the hit ``pos`` (the phrases sharing
        it; their glue and what must follow are not checked here), in phrase order."""
        at = pos + len(kw)
        end = len(text)
        if kw in self.line_keywords:
            end = text.find("\n", at) % (end + 1)  # the line's end, or the text's
        for after, anchor, phrases in self.by_kw[kw]:
            if anchor == "keyword":
                m = after.match(text, at, end)
            else:
                # A dated line (from its start; the verb, at the keyword, is part of the match) or a section's line
                # (``pos`` is its start): within the line.
                start = pos if anchor == "section" else text.rfind("\n", 0, pos) + 1
                m = after.match(text, start, text.find("\n", pos) % (len(text) + 1))
                if m is not None and anchor == "line" and m.end() < at:
                    m = None
            if m is not None:
                yield m, phrases

    def best(self, text: str, pos: int, kw: str, entity_of: EntityOf, doc: object):
        """``(phrase, match, entity)`` of the longest phrase matching at the hit ``pos`` of ``kw`` for which
        ``entity_of`` finds an entity in ``doc``, or ``None``."""
        best = None
        best_end = -1
        for m, phrases in self.matching(text, pos, kw):
            if m.end() <= best_end:
                continue
            for c in phrases:  # phrases sharing this pattern differ only in their glue and what must follow
                if c.follow is not None and c.follow.match(text, m.end()) is None:
                    continue
                start = pos if c.before is None else glue_start(text, pos, c)
                if start is None:
                    continue
                entity = entity_of(text, pos, c, m, start, doc)
                if entity is not None:
                    best, best_end = (c, m, entity), m.end()
                    break
        return best


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
    without glue), or ``None`` when it does not match there."""
    if c.before is None:
        return pos
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
