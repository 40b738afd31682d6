"""Labelled cases for the forms of values: alternative years on one end of a lifespan, places after a verb with
something between (a cause, a weekday, an institution), museum labels with a nationality, numeric dates whose
order of day and month is unknown, abbreviated months and ordinals. Each case lists every fact expected
(category, entity, value), so a missing fact and a spurious one both fail."""

from __future__ import annotations

import pytest

from floor.extract import Extractor
from floor.extract.dates import DateGrammar, When
from floor.extract.packs import builtin_pack

from .test_prefilter import BACKENDS, assert_masks_keep_facts

EX = Extractor()
ENGLISH = builtin_pack("biography-en").phrasing
DATES = DateGrammar(ENGLISH.months, ENGLISH.dates)


def facts(text: str, title: str | None = None) -> set[tuple[str, str, str]]:
    return {(f.category, f.entity, f.value) for f in EX.extract(text, title=title)}


def born(entity: str, date: str) -> set[tuple[str, str, str]]:
    return {("birth_date", entity, date), ("birth_year", entity, date[:4])}


def died(entity: str, date: str) -> set[tuple[str, str, str]]:
    return {("death_date", entity, date), ("death_year", entity, date[:4])}


# -- alternative years on one end of a lifespan -------------------------------------------------------------------
# "1726/27" is an Old Style and a New Style year (in England the year began on 25 March until 1752, so a date
# between January and March has two years); "1135/1138", "675/6" are years the sources disagree on. Either way the
# end is uncertain and gives nothing, but the other end of the lifespan is still read.

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Orla Fenwick (14 November 1650 – 2 February 1718/19) was a clockmaker.",
         born("Orla Fenwick", "1650-11-14")),
        ("Orla Fenwick (1642 – 1718/19) was a clockmaker.", {("birth_year", "Orla Fenwick", "1642")}),
        ("Tamsin Greaves (1287/1290–1341) was a chronicler.", {("death_year", "Tamsin Greaves", "1341")}),
        ("Tamsin Greaves (712/3–781) was a chronicler.", {("death_year", "Tamsin Greaves", "0781")}),
        ("Tamsin Greaves (302 BC – AD 17/18) was a chronicler.", {("birth_year", "Tamsin Greaves", "-0302")}),
        # in a "born ...; died ..." parenthesis too
        ("Orla Fenwick (born 14 November 1650; died 2 February 1718/19) was a clockmaker.",
         born("Orla Fenwick", "1650-11-14")),
        # both ends uncertain: nothing
        ("Tamsin Greaves (1287/1290–1341/42) was a chronicler.", set()),
        ("Tamsin Greaves (c. 1287–1341/42) was a chronicler.", set()),
        # an alternative that is no neighbouring year is no date: the span yields nothing
        ("Tamsin Greaves (1287/1190–1341) was a chronicler.", set()),
        ("Tamsin Greaves (1287/70–1341) was a chronicler.", set()),
    ],
)
def test_an_alternative_year_drops_only_its_end_of_the_lifespan(text, expected):
    assert facts(text) == expected


def test_an_alternative_year_alone_is_no_fact():
    assert facts("Orla Fenwick was born in 1718/19 in Galway.") == {("birth_place", "Orla Fenwick", "Galway")}
    assert facts("Orla Fenwick died in 1718/19.") == set()


@pytest.mark.parametrize("text, uncertain", [
    ("1726/27", True), ("2 February 1718/19", True), ("1135/1138", True), ("675/6", True), ("236/235", True),
    ("1699/1700", True), ("1726/15", False), ("1135/1190", False), ("1726", False), ("c. 1726", True),
])
def test_which_dates_are_uncertain(text, uncertain):
    assert DATES.parse(text) is None or not uncertain
    assert DATES.uncertain(text) is uncertain


# -- places after a verb, with something between ------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Brona Kettle died of pneumonia in Galway at the age of 71.", {("death_place", "Brona Kettle", "Galway")}),
        ("Brona Kettle died of a sudden heart attack in Galway in 1981.",
         {("death_place", "Brona Kettle", "Galway"), ("death_year", "Brona Kettle", "1981")}),
        ("Brona Kettle died of Bright's disease in Galway.", {("death_place", "Brona Kettle", "Galway")}),
        ("Brona Kettle died on Tuesday in Galway.", {("death_place", "Brona Kettle", "Galway")}),
        ("Brona Kettle was born on a Friday in Limerick.", {("birth_place", "Brona Kettle", "Limerick")}),
        ("Brona Kettle died at a care home in Galway, Ireland.", {("death_place", "Brona Kettle", "Galway")}),
        ("Brona Kettle died at her home in Galway in 1981.",
         {("death_place", "Brona Kettle", "Galway"), ("death_year", "Brona Kettle", "1981")}),
        ("Brona Kettle died at Galway on 4 June 1981.",
         died("Brona Kettle", "1981-06-04") | {("death_place", "Brona Kettle", "Galway")}),
        ("Brona Kettle was born at Limerick on the 2nd of April 1910.",
         born("Brona Kettle", "1910-04-02") | {("birth_place", "Brona Kettle", "Limerick")}),
        ("Brona Kettle died in Tampere in 1981.",
         {("death_place", "Brona Kettle", "Tampere"), ("death_year", "Brona Kettle", "1981")}),
        # an institution is not the place; the place after it is
        ("Brona Kettle died at Merrion Infirmary in Galway.", {("death_place", "Brona Kettle", "Galway")}),
        ("Brona Kettle was born at the Rotherby Clinic, in Limerick, on 2 April 1910.",
         born("Brona Kettle", "1910-04-02") | {("birth_place", "Brona Kettle", "Limerick")}),
        ("Brona Kettle died on 4 June 1981 at St. Ethel's Hospice in Galway.",
         died("Brona Kettle", "1981-06-04") | {("death_place", "Brona Kettle", "Galway")}),
        ("Brona Kettle died at St. Ethel's Hospice on 4 June 1981.", died("Brona Kettle", "1981-06-04")),
        ("Brona Kettle died at St. Ethel's Hospice in June 1981.", {("death_year", "Brona Kettle", "1981")}),
    ],
)
def test_a_place_after_a_cause_a_weekday_or_an_institution(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Brona Kettle died at Merrion Infirmary.",
        "Brona Kettle was born at the Palace of Rennick.",  # an institution's "of" is not a place
        "Brona Kettle died in Kilbride Prison.",
        "Brona Kettle died at a convent school.",
        "Brona Kettle died of a chill contracted in Galway.",  # where the illness began, not where she died
        "Brona Kettle died of wounds received in Flanders.",
        "Brona Kettle died in combat.",
        "Brona Kettle died in exile.",
        "Brona Kettle died in obscurity.",
        "Brona Kettle died in the arms of her sister.",
        "Brona Kettle died on Tuesday.",
    ],
)
def test_no_place_where_none_is_given(text):
    assert {f for f in facts(text) if f[0].endswith("_place")} == set()


# -- museum and catalogue labels ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Painter: Ivo Marchetti (Italian, 1911–1988)",
         {("birth_year", "Ivo Marchetti", "1911"), ("death_year", "Ivo Marchetti", "1988")}),
        ("Ivo Marchetti (Italian, 1911 - 1988), Harbour at Dusk, oil on canvas.",
         {("birth_year", "Ivo Marchetti", "1911"), ("death_year", "Ivo Marchetti", "1988")}),
        ("Ivo Marchetti (Canadian, born 1967)", {("birth_year", "Ivo Marchetti", "1967")}),
        ("Ivo Marchetti (Swiss, b. 1940)", {("birth_year", "Ivo Marchetti", "1940")}),
        ("Ivo Marchetti (Italian-American, b. 1940)", {("birth_year", "Ivo Marchetti", "1940")}),
        ("Ivo Marchetti (Swiss-born Italian, 1911–1988)",
         {("birth_year", "Ivo Marchetti", "1911"), ("death_year", "Ivo Marchetti", "1988")}),
        ("Ivo Marchetti (South African, 1911–1988)",
         {("birth_year", "Ivo Marchetti", "1911"), ("death_year", "Ivo Marchetti", "1988")}),
        # not a person: a state, a company, a work
        ("The Hollin State (Italian, 1911–1988) issued stamps.", set()),
        ("Hollin State (Italian, 1911–1988) issued stamps.", set()),
        ("Tarrow Airways (Swiss, 1931–1988) flew north.", set()),
        ("Untitled (Italian, 1911–1988), oil on canvas.", set()),
        # not a nationality: a city before the dates is no label
        ("Ivo Marchetti (Verona, 1911–1988)", set()),
        # a nationality does not make a short span a lifespan
        ("Ivo Marchetti (Italian, 1911–1919)", set()),
        # nor is it a name alone, though it may be part of one
        ("The catalogue (Italian, born 1911) lists prints.", set()),
        ("Mabel English died in Tampere in 1960.",
         {("death_place", "Mabel English", "Tampere"), ("death_year", "Mabel English", "1960")}),
    ],
)
def test_a_museum_labels_nationality_before_the_dates(text, expected):
    assert facts(text) == expected


# -- numeric dates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        # 7 and 10 may each be the day or the month: the year alone
        ("Selma Rook\n\nDate of birth: 07/10/1979\n", {("birth_year", "Selma Rook", "1979")}),
        ("Selma Rook was born 07/10/1979.", {("birth_year", "Selma Rook", "1979")}),
        # 28 can only be a day, in either order
        ("Selma Rook\n\nBorn: 28/02/1979\n", born("Selma Rook", "1979-02-28")),
        ("Selma Rook (born 02/28/1979) is a cellist.", born("Selma Rook", "1979-02-28")),
        # the same number twice reads the same either way
        ("Selma Rook\n\nBorn: 05/05/1979\n", born("Selma Rook", "1979-05-05")),
        ("Selma Rook was born on 28/02/1979 in Tampere.",
         born("Selma Rook", "1979-02-28") | {("birth_place", "Selma Rook", "Tampere")}),
        ("Selma Rook was born 1979-10-07.", born("Selma Rook", "1979-10-07")),
        # no reading is a date
        ("Selma Rook\n\nBorn: 30/02/1979\n", set()),
        ("Selma Rook\n\nBorn: 13/13/1979\n", set()),
    ],
)
def test_a_numeric_date_is_full_only_when_its_order_is_plain(text, expected):
    assert facts(text, title="Selma Rook") == expected


@pytest.mark.parametrize("text, when", [
    ("07/10/1979", When(1979)), ("28/02/1979", When(1979, 2, 28)), ("02/28/1979", When(1979, 2, 28)),
    ("5/5/1979", When(1979, 5, 5)), ("29/02/1981", None), ("29/02/1980", When(1980, 2, 29)), ("31/04/1979", None),
])
def test_numeric_dates_parse(text, when):
    assert DATES.parse(text) == when


# -- abbreviated months and ordinals ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Edda Vint was born Aug. 21, 1931.", born("Edda Vint", "1931-08-21")),
        ("Edda Vint was born Aug 21, 1931.", born("Edda Vint", "1931-08-21")),
        ("Edda Vint died Sept. 5, 1999.", died("Edda Vint", "1999-09-05")),
        ("Edda Vint died Sept.5, 1999.", died("Edda Vint", "1999-09-05")),
        ("Edda Vint was born on the 21st of August 1931.", born("Edda Vint", "1931-08-21")),
        ("Edda Vint was born August 21st, 1931.", born("Edda Vint", "1931-08-21")),
        ("Edda Vint died 5th September 1999.", died("Edda Vint", "1999-09-05")),
        ("Edda Vint died on 22nd of Nov., 1999.", died("Edda Vint", "1999-11-22")),
        ("Edda Vint (Aug. 21, 1931 – Sept. 5, 1999) was a typesetter.",
         born("Edda Vint", "1931-08-21") | died("Edda Vint", "1999-09-05")),
        # no such day
        ("Edda Vint was born Feb. 29, 1931.", set()),
    ],
)
def test_abbreviated_months_and_ordinals(text, expected):
    assert facts(text) == expected


FORMS = [
    "Orla Fenwick (14 November 1650 – 2 February 1718/19) was a clockmaker.",
    "Tamsin Greaves (712/3–781) was a chronicler.",
    "Brona Kettle died of pneumonia in Galway at the age of 71.",
    "Brona Kettle died on Tuesday in Galway.",
    "Brona Kettle died at a care home in Galway, Ireland.",
    "Brona Kettle died at St. Ethel's Hospice in Galway.",
    "Painter: Ivo Marchetti (Italian, 1911–1988)",
    "Ivo Marchetti (Canadian, born 1967)",
    "Ivo Marchetti (Swiss, b. 1940)",
    "Selma Rook\n\nBorn: 28/02/1979\n",
    "Selma Rook was born 07/10/1979.",
    "Edda Vint died Sept.5, 1999.",
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_prefilter_masks_keep_the_facts_of_every_form(backend):
    assert_masks_keep_facts(EX, FORMS, backend)
