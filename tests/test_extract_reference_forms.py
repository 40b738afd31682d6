"""Labelled cases for the forms of reference, memorial and genealogy pages: titles before a name, ``Birth:`` /
``Death:`` key-value lines, ``b.``/``d.`` abbreviations outside parentheses, encyclopedia parentheses after a comma,
labelled headings. Each case lists every fact expected (category, entity, value), so a missing fact and a spurious
one both fail."""

from __future__ import annotations

import pytest

from floor.extract import Extractor

EX = Extractor()


def facts(text: str, title: str | None = None) -> set[tuple[str, str, str]]:
    return {(f.category, f.entity, f.value) for f in EX.extract(text, title=title)}


def born(entity: str, date: str) -> set[tuple[str, str, str]]:
    return {("birth_date", entity, date), ("birth_year", entity, date[:4])}


def died(entity: str, date: str) -> set[tuple[str, str, str]]:
    return {("death_date", entity, date), ("death_year", entity, date[:4])}


def lifespan(entity: str, birth: str, death: str) -> set[tuple[str, str, str]]:
    return {("birth_year", entity, birth), ("death_year", entity, death)}


# -- titles before a name -----------------------------------------------------------------------------------------
# A title before a given name and a surname is no part of the name, so "Sir Marla Quenby" and "Marla Quenby" are one
# entity and one person's facts count once; before a lone word it is how the person is named ("Lord Brinsley").

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sir Marla Quenby (1901–1977) was a chemist.", lifespan("Marla Quenby", "1901", "1977")),
        ("Dame Marla Quenby (1901–1977) was a chemist.", lifespan("Marla Quenby", "1901", "1977")),
        ("Lady Marla Quenby (1901–1977) was a patron.", lifespan("Marla Quenby", "1901", "1977")),
        ("Rev. Tobias Quenby (1812-1889) was a vicar.", lifespan("Tobias Quenby", "1812", "1889")),
        ("Dr. Marla Quenby was born on 3 May 1901 in Leeds.",
         born("Marla Quenby", "1901-05-03") | {("birth_place", "Marla Quenby", "Leeds")}),
        ("Professor Marla Quenby, the geologist, died on 3 May 1977.", died("Marla Quenby", "1977-05-03")),
        ("Capt. Tobias Quenby died on 3 May 1977 in Hull.",
         died("Tobias Quenby", "1977-05-03") | {("death_place", "Tobias Quenby", "Hull")}),
        ("Senator Tobias Quenby was born on 3 May 1901 in Hull.",
         born("Tobias Quenby", "1901-05-03") | {("birth_place", "Tobias Quenby", "Hull")}),
        # forward names and leads
        ("Born in Leeds in 1901, Sir Marla Quenby was a geologist.",
         {("birth_year", "Marla Quenby", "1901"), ("birth_place", "Marla Quenby", "Leeds")}),
        ("Professor Marla Quenby was a geologist. She was born in 1901 in Leeds.",
         {("birth_year", "Marla Quenby", "1901"), ("birth_place", "Marla Quenby", "Leeds")}),
        ("Dame Marla Quenby\n\nShe was born in 1901 in Leeds.",
         {("birth_year", "Marla Quenby", "1901"), ("birth_place", "Marla Quenby", "Leeds")}),
        # one person under both forms: one fact
        ("Sir Marla Quenby (1901–1977) was a chemist. Marla Quenby died in 1977.",
         lifespan("Marla Quenby", "1901", "1977")),
        # a title before a lone word stays: it is the name
        ("Lord Brinsley (1788–1824) was a poet.", lifespan("Lord Brinsley", "1788", "1824")),
        ("Lady Vantry\n\nShe was born in 1788 in Leeds.",
         {("birth_year", "Lady Vantry", "1788"), ("birth_place", "Lady Vantry", "Leeds")}),
        # an office is no title: a regnal name keeps it
        ("King Osric III (1509–1547) ruled long.", set()),
    ],
)
def test_a_title_before_a_name_is_no_part_of_it(text, expected):
    assert facts(text) == expected


def test_a_title_in_a_page_title_is_dropped():
    assert facts("She was born in 1901 in Leeds.", title="Dr. Marla Quenby") == {
        ("birth_year", "Marla Quenby", "1901"), ("birth_place", "Marla Quenby", "Leeds")}
