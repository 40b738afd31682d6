"""Dated lists and chronologies (floor/extract/chronology.py): the date split across a line (a month and day first,
the year last or first), completed from the page (a year page's Births and Deaths sections, an "on this day" page),
verbs in the historical present or none. Each case lists every fact expected (category, entity, value), so a
missing fact and a spurious one both fail."""

from __future__ import annotations

import json

import pytest

from dataclasses import replace

from floor.errors import FloorError
from floor.extract import Extractor, Phrase
from floor.extract.engine import Engine
from floor.extract.packs import builtin_pack
from floor.extract.prefilter import hyperscan_available

ENGLISH = builtin_pack("biography-en").phrasing

EX = Extractor()
BACKENDS = ["python"] + (["hyperscan"] if hyperscan_available() else [])


def facts(text: str, title: str | None = None) -> set[tuple[str, str, str]]:
    return {(f.category, f.entity, f.value) for f in EX.extract(text, title=title)}


def born(entity: str, date: str | None = None, year: str | None = None, place: str | None = None) -> set:
    return _event("birth", entity, date, year, place)


def died(entity: str, date: str | None = None, year: str | None = None, place: str | None = None) -> set:
    return _event("death", entity, date, year, place)


def _event(event: str, entity: str, date: str | None, year: str | None, place: str | None) -> set:
    out = set()
    if date is not None:
        out |= {(f"{event}_date", entity, date), (f"{event}_year", entity, date[:4])}
    if year is not None:
        out.add((f"{event}_year", entity, year))
    if place is not None:
        out.add((f"{event}_place", entity, place))
    return out


# -- a dated line: the date split between a prefix and the line's end ---------------------------------------------

DATED_LINES = [
    ("03/03\tJane Doe born in Cork, 1902", born("Jane Doe", "1902-03-03", place="Cork")),
    ("Mar 3  Jane Doe is born in Cork, Ireland, 1902", born("Jane Doe", "1902-03-03", place="Cork")),
    ("May 9  poet Jane Doe dies at 68 in Dublin, 1970", died("Jane Doe", "1970-05-09", place="Dublin")),
    ("1902 – Jane Doe, Irish poet, born in Cork", born("Jane Doe", year="1902", place="Cork")),
    # other names, places, dates, separators and verb forms
    ("Sept. 21 - Tomas Berg was born at Uppsala, 1871.", born("Tomas Berg", "1871-09-21", place="Uppsala")),
    ("21 September: Tomas Berg born in Uppsala, Sweden, 1871", born("Tomas Berg", "1871-09-21", place="Uppsala")),
    ("* Dec 31  American actor Hugo van Pell dies, 1999", died("Hugo van Pell", "1999-12-31")),
    ("Feb 29  Ana Lindo dies aged 71 in Lima, 1920", died("Ana Lindo", "1920-02-29", place="Lima")),
    ("August 2, 1788 – Kasia Brandt, a painter, born in Lodz", born("Kasia Brandt", "1788-08-02", place="Lodz")),
    ("1650 – Adriaen Kool died in Delft", died("Adriaen Kool", year="1650", place="Delft")),
    # the year in the prefix and at the end agree
    ("March 3, 1902 – Jane Doe born in Cork, 1902", born("Jane Doe", "1902-03-03", place="Cork")),
    # a parenthetical between the name and the verb is read for what it says
    ("May 9  Jane Doe (b. 1902) dies in Dublin, 1970",
     died("Jane Doe", "1970-05-09", place="Dublin") | born("Jane Doe", year="1902")),
    # a list's number is no year: the line is read as prose
    ("2 Jane Doe died in Cork, 1970", died("Jane Doe", place="Cork")),
    ("44 BC – Gaius Julius died in Rome", died("Gaius Julius", year="-0044", place="Rome")),
    # a timeline: every line its own statement
    ("1902 – Jane Doe born in Cork\n1931 – John Roe dies in Leeds",
     born("Jane Doe", year="1902", place="Cork") | died("John Roe", year="1931", place="Leeds")),
]


@pytest.mark.parametrize("text, expected", DATED_LINES)
def test_a_dated_line_gives_its_facts(text, expected):
    assert facts(text) == expected


# -- a person's own timeline: the lines name no one, the page's single subject is meant ----------------------------

TIMELINES = [
    ("Jane Doe\n\nTimeline\n\n1902: born in Cork\nMay 9, 1970 – dies in Dublin\n",
     born("Jane Doe", year="1902", place="Cork") | died("Jane Doe", "1970-05-09", place="Dublin")),
    ("Tomas Berg\n\n21 Sept 1871 – Born in Uppsala, Sweden\n", born("Tomas Berg", "1871-09-21", place="Uppsala")),
    # no single subject: a timeline heading is no name, and another person named before makes it ambiguous
    ("Timeline\n\n1902: born in Cork\n", set()),
    # the verb must stand apart from the date (as the raw-bytes prefilter expects it)
    ("Jane Doe\n\n1902:born in Cork\n1970–died in Dublin\n", set()),
    ("Jane Doe\n\n1931 – John Roe dies in Leeds\n1970 – dies in Dublin\n",
     died("John Roe", year="1931", place="Leeds")),
]


@pytest.mark.parametrize("text, expected", TIMELINES)
def test_a_timeline_without_names_is_its_pages_subjects(text, expected):
    assert facts(text) == expected


# -- numeric prefixes: day first or month first, as the document shows ------------------------------------------
# Chosen: an ambiguous prefix (two different parts up to 12) is read only in the order the document's other numeric
# prefixes show (one with a part above 12); without such evidence, or with evidence of both orders, it gives nothing.

NUMERIC = [
    ("04/03\tJane Doe born in Cork, 1902", set()),  # 3 April or 4 March: unknown
    ("04/03\tJane Doe born in Cork, 1902\n25/12\tJohn Roe born in Leeds, 1910",
     born("Jane Doe", "1902-03-04", place="Cork") | born("John Roe", "1910-12-25", place="Leeds")),
    ("04/03\tJane Doe born in Cork, 1902\n12/25\tJohn Roe born in Leeds, 1910",
     born("Jane Doe", "1902-04-03", place="Cork") | born("John Roe", "1910-12-25", place="Leeds")),
    ("12/25\tJohn Roe born in Leeds, 1910", born("John Roe", "1910-12-25", place="Leeds")),
    # both orders in one document: no numeric prefix is read, not even the unambiguous ones
    ("04/03\tJane Doe born in Cork, 1902\n12/25\tJohn Roe born in Leeds, 1910\n25/12\tAda Roe born in Leeds, 1911",
     set()),
    ("31/02\tJane Doe born in Cork, 1902", set()),  # no such day
]


@pytest.mark.parametrize("text, expected", NUMERIC)
def test_a_numeric_prefix_is_read_in_the_documents_order(text, expected):
    assert facts(text) == expected


# -- sections of a year page or an "on this day" page ---------------------------------------------------------------

YEAR_PAGE = """1902

Events

March 1 – The Cork bridge opens.

Births

January–June
March 3 – Jane Doe, Irish poet (d. 1970)
June 14 – Tomas Berg
Date unknown

Ines Calder, a printer (d. 1960)

Deaths

May 9 – Hugo Pell, English painter (b. 1850)
See also
July 1 – Ana Lindo (b. 1820)
"""

SECTIONS = [
    (YEAR_PAGE, None,
     born("Jane Doe", "1902-03-03") | died("Jane Doe", year="1970") | born("Tomas Berg", "1902-06-14")
     # past "Date unknown": no date on the line, but its parenthetical still says what it says
     | died("Ines Calder", year="1960")
     | died("Hugo Pell", "1902-05-09") | born("Hugo Pell", year="1850")
     # past "See also": not a Deaths line; the parenthetical is still read
     | born("Ana Lindo", year="1820")),
    # the year from the title; wiki and Markdown headings, list bullets
    ("== Births ==\n* March 3 – Jane Doe, Irish poet (d. 1970)\n== Deaths ==\n* 9 May – Tom Ash (b. 1850)", "1902",
     born("Jane Doe", "1902-03-03") | died("Jane Doe", year="1970") | died("Tom Ash", "1902-05-09")
     | born("Tom Ash", year="1850")),
    ("# 1970\n\n## Deaths\n\nMay 9 – Jane Doe, Irish poet (b. 1902)\n", None,
     died("Jane Doe", "1970-05-09") | born("Jane Doe", year="1902")),
    # a decade page: the year on the line
    ("1900s\n\nBirths\n\n1902 – Jane Doe, Irish poet (d. 1970)\n", None,
     born("Jane Doe", year="1902") | died("Jane Doe", year="1970")),
    # an "on this day" page: the day from the page, the year from the line
    ("March 3\n\nBirths\n\n1902 – Jane Doe, Irish poet (d. 1970)\n\nDeaths\n\n1970 – Tom Ash, English painter "
     "(b. 1901)\n", None,
     born("Jane Doe", "1902-03-03") | died("Jane Doe", year="1970") | died("Tom Ash", "1970-03-03")
     | born("Tom Ash", year="1901")),
    # a year heading inside the page is the nearest year
    ("Timeline\n\n1902\n\nBirths\nMarch 3 – Jane Doe\n\n1903\n\nBirths\nMay 9 – John Roe\n", None,
     born("Jane Doe", "1902-03-03") | born("John Roe", "1903-05-09")),
    # without a year anywhere a month and day is no fact
    ("Births\n\nMarch 3 – Jane Doe, poet (d. 1970)", None, died("Jane Doe", year="1970")),
]


@pytest.mark.parametrize("text, title, expected", SECTIONS)
def test_births_and_deaths_sections_give_the_relation_and_the_page_the_date(text, title, expected):
    assert facts(text, title) == expected


# -- what a chronology states about no one, or about someone else ------------------------------------------------

NEGATIVE = [
    # events
    "Mar 3  Treaty of Cork signed, 1902",
    "1902 – The Cork bridge opens",
    "1902\n\nEvents\n\nMarch 3 – The Cork bridge opens\nMay 9 – Jane Doe marries in Dublin",
    # a verb other than born or died
    "Mar 3  Jane Doe marries in Cork, 1902",
    "May 9  Jane Doe sails from Dublin, 1970",
    # a Births line without a date
    "1902\n\nBirths\n\nJane Doe, Irish poet\n",
    # the prefix and the year contradict: the full date the prefix states and the line's year
    "March 3, 1902 – Jane Doe born in Cork, 1903",
    "* 14 July 1789 – Ada Roe died at Paris, 1850",
    "Feb 30  Jane Doe born in Cork, 1902",
    # another person's birth
    "May 9  Jane Doe's daughter is born, 1970",
    "May 9  daughter of Jane Doe dies in Cork, 1970",
    # two people
    "May 9  Jane Doe and John Roe die in Dublin, 1970",
    "Mar 3  Jane Doe and John Roe born in Cork, 1902",
    "1902\n\nBirths\n\nMarch 3 – Jane Doe and John Roe, Irish poets\n",
    "1902\n\nBirths\n\nMarch 3 – Jane Doe, Irish poet, and John Roe, painter\n",
    "1902\n\nBirths\n\nMarch 3 – Jane Doe with John Roe\n",
    # a Births heading that is no section heading, and prose that merely starts with a date
    "The Births and Deaths Act\nMarch 3 – Jane Doe",
    "May 9 was the day Jane Doe dies in the novel, 1970",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_chronology_lines_that_state_no_birth_or_death_of_the_named_person(text):
    assert facts(text) == set()


def test_a_section_line_that_is_not_dated_is_read_as_prose():
    # not a chronology line: its parenthetical is the name's, as anywhere
    assert facts("1902\n\nBirths\n\nJane Doe, a poet (d. 1970)\n") == died("Jane Doe", year="1970")


# -- the raw-bytes prefilter finds every keyword these facts start at -------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_facts_are_the_same_with_the_prefilter_mask(backend):
    pf = EX.prefilter(backend)
    texts = [t for t, _ in DATED_LINES + TIMELINES + NUMERIC] + [t for t, _, _ in SECTIONS] + NEGATIVE
    for text in texts:
        for raw in (json.dumps({"text": text}).encode(), text.encode()):
            assert EX.extract(text, mask=pf.mask(raw)) == EX.extract(text), (backend, text, raw)


@pytest.mark.parametrize("part", ["MONTHDAY", "NUMDAY", "YEAR"])
def test_a_date_part_of_a_category_that_is_no_date_is_an_error(part):
    bad = Phrase("bad", "born", rf"[ \t]+{{{part}:birth_place}}", entity="group", anchor="line")
    with pytest.raises(FloorError, match=rf"phrase bad: a date part \({{{part}:\.\.\.}}\) needs a date category"):
        Engine(replace(ENGLISH, phrases=(bad,)), ["birth_place"])
