"""The fact type and the category registry.

``answer_space`` is |E|, the number of plausible wrong answers to "what is X's <category>?" in Kalai et al.'s
Theorem 2 (a model that must guess among |E|+1 equally plausible answers). Defaults, documented per category:

* dates: 364 -- the paper's birthday example (365 days, one right);
* years: 99 -- a century of plausible years for a person of unknown era, one right;
* places: 999 -- about a thousand plausible towns and cities, one right (a deliberately round order of
  magnitude; the lead may tune it per corpus).
"""

from __future__ import annotations

from typing import Iterable
from dataclasses import dataclass

from ..errors import FloorError


@dataclass(frozen=True, slots=True)
class Fact:
    """One extracted fact occurrence.

    ``entity`` is the display form (NFC, whitespace collapsed), ``entity_key`` its casefolded counting key;
    ``value`` the normalized value: ISO date ``YYYY-MM-DD``, year ``YYYY`` zero-padded (BC negative: ``-0427``),
    or a place's display form (first comma component, NFC, whitespace collapsed; counting casefolds it);
    ``start``/``end``/``text`` the matched document span (``text == document[start:end]``), for auditing;
    ``subject`` how the entity was chosen: ``"local"`` (the name next to the statement), ``"title"`` (the
    document's title field), ``"heading"`` (its heading line) or ``"lead"`` (the person its lead sentence, or the
    statement's sentence, introduces). A fact's counting identity is :attr:`key`.
    """

    category: str
    entity: str
    entity_key: str
    value: str
    start: int
    end: int
    text: str
    subject: str = "local"

    @property
    def key(self) -> tuple[str, str, str]:
        """``(category, entity_key, casefolded value)``."""
        return (self.category, self.entity_key, self.value.casefold())


VALUE_KINDS = ("date", "year", "place", "name", "number", "pattern")
"""What a category's values are: a full date (ISO), a year, a place (its first comma component), a name (a
person's or an organization's, as the name reader reads it), a whole number (digits, grouping dropped), or text
matched by the category's own ``value_pattern`` and normalized by one of :data:`NORMALIZERS`."""

NORMALIZERS = ("text", "casefold", "upper", "digits")
"""How a ``pattern`` value is normalized: ``text`` (NFC, whitespace collapsed, case kept for display; counting
casefolds every value), ``casefold``, ``upper``, ``digits`` (the digits alone: ``ISBN 0-19-852663-6`` ->
``0198526636``)."""


@dataclass(frozen=True)
class Category:
    name: str
    value_kind: str  # one of VALUE_KINDS
    answer_space: int
    description: str
    implies: str | None = None
    value_pattern: str | None = None
    """For ``value_kind="pattern"``: the RE2 pattern of a value."""
    normalize: str = "text"
    """For ``value_kind="pattern"``: one of :data:`NORMALIZERS`."""
    pack: str | None = None
    """The pack that declares the category (``None``: built in)."""
    one_value: bool = True
    """An entity has one value of it (a birth date): a second value a document gives through a pronoun or its
    subject contradicts the first, and that statement is dropped as someone else's. False for a category of many
    values an entity (the releases of a program, the books of an author)."""


_DATE_E = "answer_space 364: the paper's birthday example (365 days, one right)."
_YEAR_E = "answer_space 99: a century of plausible years, one right."
_PLACE_E = "answer_space 999: about a thousand plausible towns and cities, one right."

CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category(
            "birth_date", "date", 364,
            "Full date of birth (ISO YYYY-MM-DD; BC years negative). Implies birth_year. " + _DATE_E,
            "birth_year",
        ),
        Category(
            "birth_year", "year", 99,
            "Year of birth (YYYY zero-padded; BC as -YYYY), from a full date, month-year or year. " + _YEAR_E,
        ),
        Category(
            "death_date", "date", 364,
            "Full date of death (ISO YYYY-MM-DD; BC years negative). Implies death_year. " + _DATE_E,
            "death_year",
        ),
        Category(
            "death_year", "year", 99,
            "Year of death (YYYY zero-padded; BC as -YYYY), from a full date, month-year or year. " + _YEAR_E,
        ),
        Category(
            "birth_place", "place", 999,
            "Place of birth: first comma component (Paris, France -> Paris), NFC, whitespace collapsed. " + _PLACE_E,
        ),
        Category(
            "death_place", "place", 999,
            "Place of death: first comma component (Paris, France -> Paris), NFC, whitespace collapsed. " + _PLACE_E,
        ),
    )
}  # fmt: skip

BUILT_IN = frozenset(CATEGORIES)


def _meaning(category: Category) -> tuple:
    """What makes two declarations one category: its values and their answer space (not its words)."""
    return (category.value_kind, category.answer_space, category.implies, category.value_pattern, category.normalize,
            category.one_value)


def register(category: Category) -> None:
    """Make a pack's ``category`` known (to extraction, reports and answer spaces) in this process; the same
    declaration again (by another pack too) is a no-op, another one under a known name an error but by the pack that
    declared it (read again after an edit: its new declaration holds)."""
    known = CATEGORIES.get(category.name)
    if known is None or known.pack is not None and known.pack == category.pack:
        CATEGORIES[category.name] = category  # new, or the same pack read again (edited, in a notebook)
    elif _meaning(known) != _meaning(category):
        where = "built in" if known.pack is None else f"declared by pack {known.pack!r}"
        raise FloorError(f"category {category.name!r} is {where} already; a pack may use it, not declare it again "
                         "(choose another name)")


EVENTS: dict[str, str] = {
    "birth_date": "birth",
    "birth_year": "birth",
    "death_date": "death",
    "death_year": "death",
}
"""The life event a time-valued category dates; within one matched statement a birth may not come after a death
(nor more than ``facts.MAX_AGE`` years before it)."""


def pooled(categories: Iterable[str]) -> tuple[str, ...]:
    """The categories a pooled group sums, so that it counts every mention once: all of ``categories`` but one
    whose implied category is among them too (a full date is also counted as a mention of its year: pooled, the
    year stands for it). Categories that are not built in (pre-extracted relations) are pooled as they are."""
    present = set(categories)
    return tuple(sorted(c for c in present if c not in CATEGORIES or CATEGORIES[c].implies not in present))
