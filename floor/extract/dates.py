"""Dates and years: regex sources for embedding in phrase patterns, and a hand-written parser/normalizer.

No dateparser/strptime: the phrase regex already delimits the date text, so parsing is one anchored match on a
short string plus a table look-up. Normal forms:

* full date  -> ISO ``YYYY-MM-DD`` (year zero-padded to 4 digits; BC years negative: ``-0044-03-15``)
* year       -> ``YYYY`` zero-padded (``0850``); BC -> ``-0427``

Accepted forms: day-month-year ``10 December 1815`` / ``10th Dec. 1815`` / ``10 of December, 1815``;
month-day-year ``December 10, 1815`` / ``Dec. 10th 1815`` / ``Sept.3, 1902``; ISO ``1815-12-10``; numeric
day and month ``13/04/1991`` (a full date only when the order is plain: one number above 12 is the day, or both
are equal; ``04/11/1985`` is read as its year only, day-month and month-day orders being both in use);
month-year ``December 1815`` (year precision only: the month is dropped); years ``1815``, ``427 BC`` /
``427 B.C.`` / ``427 BCE``, ``AD 14`` / ``14 AD`` / ``14 CE``.

Rejected (parse returns ``None``): uncertain dates -- approximate ones (``c. 1815``, ``ca.``, ``circa``,
``about``, ``around``, ``approx.``, a trailing ``?``) and alternative years (``1726/27``, ``1135/1138``,
``675/6``: an Old and a New Style year, the calendar year having begun on 25 March in England until 1752, or
two years the sources disagree on) --, impossible days (``31 February 1900``; leap years follow the proleptic
Gregorian rule, applied to the astronomical year for BC dates), years without an era marker that have fewer than
3 digits or a leading zero, year 0, AD years after :data:`MAX_YEAR`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import pattern_cache
from .charclass import alternation

MAX_YEAR = 2100
"""Latest AD year accepted as a birth or death year."""

_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# An alternative year after a year (``1726/27``, ``1135/1138``): not the first part of a numeric date (``04/11/1985``).
ALTERNATIVE = r"/\d{1,4}(?![^\W_])(?![/.,]\d)"
MAX_ALTERNATIVE_GAP = 10
"""Most years between a year and its alternative (``1135/1138``); a wider pair is no date."""


NEVER = r"\b\B"
"""A regex source that matches nowhere, in ``re`` and RE2 alike (RE2 has no ``(?!)``)."""


def is_leap(astronomical_year: int) -> bool:
    y = astronomical_year
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_month(month: int, year: int) -> int:
    """Days in ``month`` of signed ``year`` (negative = BC; 1 BC is astronomical year 0)."""
    if month == 2:
        return 29 if is_leap(year if year > 0 else year + 1) else 28
    return _DAYS_IN_MONTH[month]


def format_year(year: int) -> str:
    return f"{year:04d}" if year > 0 else f"-{-year:04d}"


@dataclass(frozen=True, slots=True)
class When:
    """A parsed date: ``day``/``month`` are 0 when only the year is known. ``year`` is signed (BC negative)."""

    year: int
    month: int = 0
    day: int = 0
    era: bool = False  # an explicit era marker (BC/AD/...) was written

    @property
    def is_date(self) -> bool:
        return self.day > 0

    @property
    def year_value(self) -> str:
        return format_year(self.year)

    @property
    def date_value(self) -> str:
        return f"{format_year(self.year)}-{self.month:02d}-{self.day:02d}"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day)


def month_regex(months: dict[str, int], linear: bool = False) -> str:
    """Regex source matching any month name or abbreviation (abbreviations may carry a period), any case;
    ``linear``: without the lookahead that ends it at a word's end (for RE2, :mod:`.linear`)."""
    # An abbreviation is a prefix of a longer name of its month (jan, sept), and may carry a period.
    abbreviations = {n for n in months if any(o != n and o.startswith(n) and months[o] == months[n] for o in months)}
    return r"(?i:" + alternation(months, dict.fromkeys(abbreviations, r"\.?")) + r")" + ("" if linear else r"(?![^\W\d_])")


@dataclass(frozen=True)
class DateForms:
    """How one language writes dates, beyond its month names: regex sources, or words joined by
    :func:`word_source`. The defaults read none of them (a pack gives its language's: :mod:`.packs`)."""

    ordinals: tuple[str, ...] = ()
    """Suffixes of a day number (``10th``; French ``1er``, German ``22.``, Spanish ``1.º``)."""
    day_month: tuple[str, ...] = ()
    """Words that may stand between the day and the month (``10 of December``, Spanish ``3 de marzo``)."""
    month_year: tuple[str, ...] = ()
    """Words that may stand between the month and the year (Spanish ``marzo de 1902``)."""
    month_first: bool = False
    """Month-day-year is read too (``December 10, 1815``)."""
    era_bc: str = NEVER
    """Words of an era before Christ (``BC``)."""
    era_ad: str = NEVER
    era_ad_first: bool = False
    """An AD marker may precede the year (``AD 14``)."""
    circa: str = NEVER
    """Words of an approximate value (``c.``, ``circa``; French ``vers``)."""
    numeric: str = "/"
    """The separator of a numeric date (``13/04/1991``; German ``13.4.1991``)."""
    day_first: bool = False
    """A numeric date is always day, month, year (German); else its order is read only where it is plain."""


def word_source(words) -> str:
    """A regex source matching any of ``words`` (longest first), a space in one matching an optional space."""
    escaped = (re.escape(w).replace(r"\ ", r"\s?") for w in words)
    return "(?:" + "|".join(sorted(escaped, key=lambda w: (-len(w), w))) + ")" if words else NEVER


def _optional_words(words: tuple[str, ...]) -> str:
    """``(?:WORD\\s+)?`` for the connecting ``words`` (empty: none)."""
    if not words:
        return ""
    return rf"(?:{words[0]}\s+)?" if len(words) == 1 else rf"(?:(?:{'|'.join(words)})\s+)?"


class DateGrammar:
    """Regex sources (``source``: any date, month-year or year; ``full_source``: full dates only; no capturing
    groups, for embedding in phrase patterns) and a parser, for one month table and one language's date forms.
    The sources are deliberately permissive about digit counts; :meth:`parse` does the validation.

    ``linear=True`` (:mod:`.linear`): sources without lookarounds, for RE2; what their lookarounds checked (a
    value's end at a word's end) the engine checks after the match."""

    def __init__(self, months: dict[str, int], forms: DateForms, linear: bool = False):
        self.months = {k.casefold(): v for k, v in months.items()}
        self.forms = forms
        ordinals = "(?:" + "|".join(re.escape(o) for o in forms.ordinals) + ")?" if forms.ordinals else ""
        day_month = _optional_words(tuple(re.escape(w) for w in forms.day_month))
        month_year = _optional_words(tuple(re.escape(w) for w in forms.month_year))
        bc, ad = forms.era_bc, forms.era_ad
        M = month_regex(self.months, linear)
        end = "" if linear else r"(?![^\W_])"
        ad_first = rf"(?:{ad})\s?\d{{1,4}}|" if forms.era_ad_first else ""
        day = rf"[0-3]?\d{ordinals}" + ("" if linear else r"(?!\d)")
        year = rf"(?:{ad_first}\d{{1,4}}(?:\s?(?:{bc}|{ad}))?){end}" + ("" if linear else r"(?![.,]\d)")
        iso = r"\d{4}-[01]\d-[0-3]\d" + ("" if linear else r"(?![^\W_])(?!-\d)")
        sep = re.escape(forms.numeric)
        numeric = rf"[0-3]?\d{sep}[0-3]?\d{sep}\d{{4}}" + ("" if linear else r"(?![^\W_])(?![/.,]\d)")
        alternative = r"/\d{1,4}" if linear else ALTERNATIVE
        dmy = rf"{day}\s+{day_month}{M},?\s+{month_year}{year}"
        # An abbreviated month's period may stand for the space ("Sept.3, 1902").
        after_period = "" if linear else r"(?<=\.)"
        mdy = rf"{M}(?:\s+|{after_period}){day},?\s+{year}" if forms.month_first else NEVER
        my = rf"{M},?\s+{month_year}{year}"
        circa = forms.circa
        self.source = rf"(?:{circa}\s?)?(?:{iso}|{numeric}|(?:{dmy}|{mdy}|{my}|{year})(?:{alternative})?)(?:\s?\?)?"
        self.full_source = rf"(?:{circa}\s?)?(?:{iso}|{numeric}|(?:{dmy}|{mdy})(?:{alternative})?)(?:\s?\?)?"
        # The parts of a date split across a line (a chronology's "March 3 – ... , 1902"), for :mod:`.chronology`.
        # A number of one or two digits without an era is a list's number, not a year ("2 Jane Doe died in ...").
        self.year_source = rf"(?:{ad_first}\d{{3,4}}(?:\s?(?:{bc}|{ad}))?|\d{{1,2}}\s?(?:{bc}|{ad}))" if linear else year
        self.month_day_source = rf"(?:{M}\s+{day}|{day}\s+{day_month}{M})"
        self.numeric_day_source = r"\d{1,2}/\d{1,2}" + ("" if linear else r"(?![/\d])")

        g_year = (
            rf"(?:(?P<{{p}}ad>{ad})\s?(?P<{{p}}y1>\d{{1,4}})"
            rf"|(?P<{{p}}y2>\d{{1,4}})(?:\s?(?:(?P<{{p}}bc>{bc})|(?P<{{p}}ad2>{ad})))?)"
        )
        g_day = rf"(?P<{{p}}d>[0-3]?\d){ordinals}"
        g_month = rf"(?P<{{p}}m>{month_regex(self.months)})"

        def fill(s: str, p: str) -> str:
            return s.replace("{p}", p)

        parse_src = (
            rf"(?P<circa>{circa}\s?)?(?:"
            rf"(?P<iso_y>\d{{4}})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)"
            rf"|(?P<num_1>[0-3]?\d){sep}(?P<num_2>[0-3]?\d){sep}(?P<num_y>\d{{4}})"
            rf"|{fill(g_day, 'a_')}\s+{day_month}{fill(g_month, 'a_')},?\s+{month_year}{fill(g_year, 'a_')}"
            rf"|{fill(g_month, 'b_')}(?:\s+|(?<=\.)){fill(g_day, 'b_')},?\s+{fill(g_year, 'b_')}"
            rf"|{fill(g_month, 'c_')},?\s+{month_year}{fill(g_year, 'c_')}"
            rf"|{fill(g_year, 'e_')}"
            rf")(?P<q>\s?\?)?"
        )
        self._parse = pattern_cache.regex(parse_src)
        self._circa = pattern_cache.regex(circa)
        self._trailing_bc = pattern_cache.regex(rf"{bc}(?:\s?\?)?\Z")
        self._alternative = pattern_cache.regex(r"/(?P<digits>\d{1,4})\Z")
        self._month_day = pattern_cache.regex(rf"(?:{fill(g_month, 'b_')}\s+{fill(g_day, 'b_')}"
                                     rf"|{fill(g_day, 'a_')}\s+{day_month}{fill(g_month, 'a_')})")

    def parse(self, s: str) -> When | None:
        """Parse one date/year as delimited by :attr:`source`; ``None`` if approximate, impossible or not a date."""
        m = self._parse.fullmatch(s.strip())
        if m is None or m["circa"] or m["q"]:
            return None
        g = m.groupdict()
        if g["iso_y"]:
            year, month, day = int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"])
            if year < 1 or year > MAX_YEAR or not 1 <= month <= 12 or not 1 <= day <= days_in_month(month, year):
                return None
            return When(year, month, day)
        if g["num_y"]:
            return _numeric(int(g["num_1"]), int(g["num_2"]), int(g["num_y"]), self.forms.day_first)
        for p in ("a_", "b_", "c_", "e_"):
            y1, y2 = g.get(p + "y1"), g.get(p + "y2")
            if y1 is None and y2 is None:
                continue
            digits = y1 if y1 is not None else y2
            bc = g.get(p + "bc") is not None
            era = bc or g.get(p + "ad") is not None or g.get(p + "ad2") is not None
            if not era and (len(digits) < 3 or digits[0] == "0"):
                return None
            year = int(digits)
            if year == 0 or (not bc and year > MAX_YEAR):
                return None
            if bc:
                year = -year
            month = self._month(g[p + "m"]) if g.get(p + "m") else 0
            day = int(g[p + "d"]) if g.get(p + "d") else 0
            if g.get(p + "d") is not None and not 1 <= day <= days_in_month(month, year):
                return None
            return When(year, month, day, era)
        return None  # pragma: no cover - the alternation always sets one branch

    def parse_month_day(self, s: str) -> tuple[int, int] | None:
        """``(month, day)`` of a month and day without a year (``March 3``, ``3rd of Mar.``), or ``None``."""
        m = self._month_day.fullmatch(s.strip())
        if m is None:
            return None
        p = "a_" if m["a_d"] else "b_"
        month, day = self._month(m[p + "m"]), int(m[p + "d"])
        return (month, day) if 1 <= day <= _DAYS_IN_MONTH[month] + (month == 2) else None

    def uncertain(self, s: str) -> bool:
        """``s`` (as delimited by :attr:`source`) is marked approximate (``c. 1815``, ``1815?``) or gives an
        alternative year (``1726/27``, ``675/6``, at most :data:`MAX_ALTERNATIVE_GAP` years apart): :meth:`parse`
        rejects it by policy, not because it is not a date."""
        s = s.strip()
        if s.endswith("?") or self._circa.match(s) is not None:
            return True
        m = self._alternative.search(s)
        if m is None:
            return False
        base = self.parse(s[:m.start()])
        if base is None:
            return False
        year, width = abs(base.year), len(m["digits"])
        alternative = year - year % 10**width + int(m["digits"])
        return 0 < abs(alternative - year) <= MAX_ALTERNATIVE_GAP

    def marked_bc(self, s: str) -> bool:
        """``s`` (as delimited by :attr:`source`) ends with a BC marker (``c. 370 BC``, ``370 BC?``)."""
        return self._trailing_bc.search(s.strip()) is not None

    def _month(self, name: str) -> int:
        """The number of a month name as matched by the pattern (any case, abbreviations with a period)."""
        name = name.rstrip(".")
        month = self.months.get(name.casefold())
        if month is None:
            # The pattern matched through a case variant that casefold does not map back ("Aprİl": the dotted
            # capital I folds to i + a combining dot): ask the regex engine which name it matched.
            month = next(n for k, n in self.months.items() if re.fullmatch(re.escape(k), name, re.IGNORECASE))
        return month


def _numeric(first: int, second: int, year: int, day_first: bool = False) -> When | None:
    """A numeric date: day and month when the language writes the day first, or when their order is plain (a
    number above 12 is the day; equal numbers read
    the same either way), else the year alone; ``None`` when it is no date either way."""
    if not 1 <= year <= MAX_YEAR:
        return None
    orders = ((first, second),) if day_first else ((first, second), (second, first))
    readings = [(month, day) for day, month in orders
                if 1 <= month <= 12 and 1 <= day <= days_in_month(month, year)]
    if not readings:
        return None
    if len(set(readings)) > 1:
        return When(year)
    return When(year, *readings[0])


_NORMAL = re.compile(r"(-?)(\d{4})(?:-(\d{2})-(\d{2}))?")


def parse_normal(value: str) -> When | None:
    """Parse a normalized value (``YYYY``, ``-YYYY``, ``YYYY-MM-DD``, ``-YYYY-MM-DD``); ``None`` if invalid."""
    m = _NORMAL.fullmatch(value)
    if m is None:
        return None
    year = int(m[2]) * (-1 if m[1] else 1)
    if year == 0 or year > MAX_YEAR:
        return None
    if m[3] is None:
        return When(year)
    month, day = int(m[3]), int(m[4])
    if not 1 <= month <= 12 or not 1 <= day <= days_in_month(month, year):
        return None
    return When(year, month, day)
