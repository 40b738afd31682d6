"""Dated lists and chronologies: lines whose date is split across them, and sections that state their relation.

A chronology (a timeline, an "on this day" page, a year page) writes one statement a line, its date split: a
month and day first and the year last (``Mar 3  Jane Doe is born in Cork, 1902``), a year first (``1902 – Jane
Doe, Irish poet, born in Cork``), or only part of the date on the line and the rest on the page -- the year of a
year page (a title or heading ``1902``) under its ``Births`` and ``Deaths`` sections (``March 3 – Jane Doe, Irish
poet (d. 1970)``), the day of an "on this day" page (``March 3``) before a line's year. A line under such a
section needs no verb: the section gives the relation.

Phrases mark the parts with ``{MONTHDAY:...}``, ``{NUMDAY:...}`` and ``{YEAR:...}`` (:mod:`.phrases`); this module
puts them together (:meth:`Chronology.values`), completes them from the page (the nearest heading line above, or
the title, that is a year or a month and day), and turns a section keyword's hit into hits at its lines
(:meth:`Chronology.expand`). Rules:

* two years of one event on one line that differ (``March 3, 1902 – Jane Doe born in Cork, 1903``) contradict:
  the line yields nothing; a month and day without any year yields no fact;
* a numeric prefix is read day first or month first (``03/04``) only as the document's own lines show: a prefix
  with a part above 12 (``13/04``, ``04/13``) shows its document's order; a document without such a prefix, or
  with both orders, has its ambiguous prefixes (two different parts up to 12) read as nothing, and one with both
  orders all of them; a prefix with two equal parts (``03/03``) needs no order;
* a section runs from its heading line to the next heading line (a line of letters only, in Markdown's or a
  wiki's heading markup or before a colon: :data:`HEADING_LINE`) or :data:`MAX_SECTION` characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from . import pattern_cache
from .charclass import U, W
from .dates import DateGrammar, When, days_in_month

DAY_FIRST, MONTH_FIRST, BOTH = "day-month", "month-day", "both"
_YEAR, _DAY = 1, 2
"""Indexes of a heading's year and its month and day in :attr:`Page.headings`."""


HEADING_LINE = r"[ \t]*(?:#+|=+)?[ \t]*{TEXT}[ \t]*=*[ \t]*:?[ \t]*\r?"
"""A heading line (``fullmatch``), ``{TEXT}`` standing for its text: Markdown's ``## Births``, a wiki's ``== Births
==``, or the text and a colon (``Births:``)."""
HEADING_TEXT = rf"{U}{W}*(?:[ \t]+{W}+){{0,4}}"
"""A section heading's text: letters only (a section ends at ``Deaths``, ``See also``, ``Date unknown``, not at
``January–June`` or a year)."""
BULLET = r"(?:[*\u2022-][ \t]*)?"
"""A list bullet that may open a dated line."""
MAX_SECTION = 100_000
"""Longest section, in characters."""


@dataclass(slots=True)
class Page:
    """The dates a document's headings and title give, and the order of its numeric prefixes; worked out on
    first need."""

    text: str
    title: str | None
    headings: list[tuple[int, When | None, tuple[int, int] | None]] | None = None
    """``(line start, year, (month, day))`` of each heading line that is a year or a month and day."""
    starts: list[int] = field(default_factory=list)
    order: str | None = ""
    """:data:`DAY_FIRST`, :data:`MONTH_FIRST`, :data:`BOTH` or ``None`` (no evidence); ``""``: not worked out."""


class Chronology:
    """Split dates and sections of one language (see the module docstring)."""

    def __init__(self, dates: DateGrammar):
        self._dates = dates
        self._heading = pattern_cache.regex(HEADING_LINE.replace("{TEXT}", "(?P<h>.*?)"))
        self._section_end = pattern_cache.regex(HEADING_TEXT)
        dated = rf"(?:(?P<y>{dates.year_source})|(?P<md>{dates.month_day_source}))"
        self._dated_heading = pattern_cache.regex(r"(?m)^" + HEADING_LINE.replace("{TEXT}", dated) + r"$")
        self._numeric = pattern_cache.regex(rf"(?m)^[ \t]*{BULLET}(\d{{1,2}})/(\d{{1,2}})(?![/\d])")

    # -- sections ------------------------------------------------------------------------------------------------
    def expand(self, text: str, hits: list[tuple[int, str]], sections: frozenset[str]) -> list[tuple[int, str]]:
        """``hits`` with each hit of a section keyword on a heading line replaced by hits at the starts of its
        section's non-blank lines (a hit elsewhere is dropped: no statement starts at it)."""
        out = [h for h in hits if h[1] not in sections]
        for pos, kw in hits:
            if kw in sections:
                out.extend((start, kw) for start in self._section_lines(text, pos, kw))
        out.sort()
        return out

    def _section_lines(self, text: str, pos: int, kw: str) -> list[int]:
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos) % (len(text) + 1)
        m = self._heading.fullmatch(text, start, end)
        if m is None or m["h"] != kw:
            return []
        limit = min(len(text), end + MAX_SECTION)
        lines = []
        while end < limit:
            start = end + 1
            end = text.find("\n", start, limit) % (limit + 1)
            h = self._heading.fullmatch(text, start, end)
            if h is not None and h["h"] and self._section_end.fullmatch(h["h"]):
                break
            if start < end and not text[start:end].isspace():
                lines.append(start)
        return lines

    # -- split dates ---------------------------------------------------------------------------------------------
    @staticmethod
    def page(text: str, title: str | None) -> Page:
        return Page(text, title)

    def values(self, text: str, parts: tuple[tuple[int, str, str], ...], m: re.Match,
               page: Page) -> list[tuple[int, str, When]] | None:
        """``(group start, category, date)`` of each category whose date parts match ``m`` holds, completed from
        the page; ``None`` when they contradict each other or a numeric prefix cannot be read."""
        found: dict[str, tuple[int, list[When], list[tuple[int, int]]]] = {}
        for idx, cat, part in parts:
            gs, ge = m.span(idx)
            if gs < 0:
                continue
            start, years, days = found.setdefault(cat, (gs, [], []))
            if part == "year":
                year = self._dates.parse(text[gs:ge])
                if year is None:
                    return None
                years.append(year)
            else:
                day = self._numeric_day(text[gs:ge], page) if part == "numday" else \
                    self._dates.parse_month_day(text[gs:ge])
                if day is None:
                    return None
                days.append(day)
        out = []
        for cat, (start, years, days) in found.items():
            if len({y.year for y in years}) > 1 or len(set(days)) > 1:
                return None
            year = years[0] if years else self._page_date(page, m.start(), _YEAR)
            day = days[0] if days else self._page_date(page, m.start(), _DAY)
            if year is None:
                continue  # a month and day alone: no fact
            if day is None:
                out.append((start, cat, When(year.year, 0, 0, year.era)))
            elif 1 <= day[1] <= days_in_month(day[0], year.year):
                out.append((start, cat, When(year.year, day[0], day[1], year.era)))
            else:
                return None
        return out

    def _numeric_day(self, s: str, page: Page) -> tuple[int, int] | None:
        """``(month, day)`` of a numeric prefix, in the order the document shows (module docstring)."""
        a, b = map(int, s.split("/"))
        if a == b:
            return (a, a) if 1 <= a <= 12 else None
        order = self._order(page)
        if order == DAY_FIRST and 1 <= b <= 12:
            return b, a
        if order == MONTH_FIRST and 1 <= a <= 12:
            return a, b
        return None

    def _order(self, page: Page) -> str | None:
        if page.order == "":
            seen = set()
            for m in self._numeric.finditer(page.text):
                a, b = int(m[1]), int(m[2])
                if a > 12 >= b:
                    seen.add(DAY_FIRST)
                elif b > 12 >= a:
                    seen.add(MONTH_FIRST)
            page.order = BOTH if len(seen) > 1 else next(iter(seen), None)
        return page.order

    def _page_date(self, page: Page, pos: int, kind: int) -> When | tuple[int, int] | None:
        """The year (``kind`` :data:`_YEAR`) or the month and day (:data:`_DAY`) of the nearest heading line above
        ``pos`` that gives one, else of the title."""
        if page.headings is None:
            page.headings = []
            for m in self._dated_heading.finditer(page.text):
                page.headings.append(self._dated(m, m.start()))
            page.starts = [h[0] for h in page.headings]
            if page.title is not None:
                t = self._dated_heading.fullmatch(page.title.strip())
                if t is not None:
                    page.headings.insert(0, self._dated(t, -1))
                    page.starts.insert(0, -1)
        for i in range(bisect_right(page.starts, pos) - 1, -1, -1):
            value = page.headings[i][kind]
            if value is not None:
                return value
        return None

    def _dated(self, m: re.Match, start: int) -> tuple[int, When | None, tuple[int, int] | None]:
        year = None if m["y"] is None else self._dates.parse(m["y"])
        day = None if m["md"] is None else self._dates.parse_month_day(m["md"])
        return start, year, day
