"""The document's subject in layouts other than an encyclopedia article's: label lines before the name, news and
obituary leads, profile pages' ``Name:`` lines, old reference works' capitalized headwords, a lead naming the
title's person differently, a pronoun after a fact in a text without a subject, and a description's span that is
an office's term. Each case lists every fact expected (category, entity, value), so a missing fact and a spurious
one both fail."""

from __future__ import annotations

import pytest

from floor.extract import Extractor

from .test_prefilter import BACKENDS, assert_masks_keep_facts

EX = Extractor()


def facts(text: str, title: str | None = None) -> set[tuple[str, str, str]]:
    return {(f.category, f.entity, f.value) for f in EX.extract(text, title=title)}


def born(entity: str, date: str, place: str | None = None) -> set[tuple[str, str, str]]:
    out = {("birth_date", entity, date), ("birth_year", entity, date[:4])}
    return out | ({("birth_place", entity, place)} if place else set())


def died(entity: str, date: str, place: str | None = None) -> set[tuple[str, str, str]]:
    out = {("death_date", entity, date), ("death_year", entity, date[:4])}
    return out | ({("death_place", entity, place)} if place else set())


BODY = "She was born on June 2, 1938, in Decatur. She died in Macon on May 3, 2020."
ORLA = born("Orla Pennick", "1938-06-02", "Decatur") | died("Orla Pennick", "2020-05-03", "Macon")


# -- 1. label lines before the subject ---------------------------------------------------------------------------

@pytest.mark.parametrize("label", [
    "OBITUARIES", "Local news", "Biography", "About the Author", "Meet our founder", "Player profile",
    "Curriculum vitae", "Harpist dies at 81",
])
def test_a_label_line_before_the_name_line(label):
    assert facts(f"{label}\nOrla Pennick\n{BODY}") == ORLA
    assert facts(f"{label}\n\nOrla Pennick\n\n{BODY}") == ORLA


def test_two_label_lines_then_the_lead_sentence():
    text = f"Arts and culture\nHarpist dies at 81\n\nOrla Pennick, who taught harp for fifty years, died Sunday. {BODY}"
    assert facts(text) == ORLA


@pytest.mark.parametrize("text", [
    # several people named in the first lines
    f"OBITUARIES\nOrla Pennick\nDesmond Hale\n\n{BODY}",
    # the name comes too late: no heading, no lead
    f"Local news\nWeather\nSports\nOrla Pennick\n\n{BODY}",
    # the lead is no introduction
    f"Meet our founder\n\nThe bakery opened in 1960. {BODY}",
    # an office on the line after a label is no name
    f"Local news\nGovernor of Ulster\n\n{BODY}",
])
def test_label_lines_without_a_single_subject(text):
    assert facts(text) == set()


def test_a_name_line_then_a_text_about_someone_else_is_as_before():
    text = "Orla Pennick\nDesmond Hale was born on 4 May 1911 in Ennis. He died on 9 June 1980."
    assert facts(text) == born("Desmond Hale", "1911-05-04", "Ennis")


# -- 2. news and obituary leads ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lead", [
    "Orla Pennick, 81, of Galway, passed away on Sunday.",
    "Orla Pennick died Sunday at her home in Galway.",
    "Orla Pennick, the harpist whose recordings revived old airs, has died.",
    "GALWAY (AP) — Orla Pennick, the harpist, has died.",
    "LONDON, England -- Orla Pennick, a harpist, has died at 81.",
    "Sen. Orla Pennick, who served four terms, died Sunday.",
])
def test_a_news_lead_introduces_the_subject(lead):
    assert facts(f"{lead} {BODY}") == ORLA


def test_a_plain_died_statement_opening_a_text_is_no_lead():
    text = "Orla Pennick died in Galway on 3 May 2020. She was born on June 2, 1938, in Decatur."
    assert facts(text) == died("Orla Pennick", "2020-05-03", "Galway")


def test_a_born_clause_and_a_short_form_after_a_news_lead():
    text = "DUBLIN (Reuters) — Orla Pennick, the harpist, has died. Born in Cork in 1938, Pennick toured widely."
    assert facts(text) == {("birth_year", "Orla Pennick", "1938"), ("birth_place", "Orla Pennick", "Cork")}


@pytest.mark.parametrize("text", [
    # a lead about a thing, or a verb that introduces no one
    f"Galway Harp Festival, 81 years on, has closed. {BODY}",
    f"Orla Pennick said the hall was full. {BODY}",
    # two people in the lead
    f"Orla Pennick and Desmond Hale died Sunday. {BODY}",
])
def test_leads_that_introduce_no_single_person(text):
    assert facts(text) == set()


# -- 3. a Name: line on a profile page -------------------------------------------------------------------------------

def test_a_name_line_makes_the_key_value_lines_the_persons():
    text = "Player profile\nName: Tobias Arrieta\nBorn: 12 April 1991\nBirthplace: Rosario, Argentina\nClub: Rosario FC"
    assert facts(text) == born("Tobias Arrieta", "1991-04-12", "Rosario")
    assert facts("Full name: Tobias Arrieta\nPlace of birth: Chennai, India") == \
        {("birth_place", "Tobias Arrieta", "Chennai")}


def test_a_name_line_gives_no_description_block():
    # a dated line under a Name: line is a job's span, not a lifespan
    assert facts("Name: Tobias Arrieta\nEmployer: the town mill (1990–2010)") == set()
    assert facts("Name: the team\nBorn: 12 April 1991") == set()


# -- 4. old reference works' capitalized headwords -----------------------------------------------------------------

@pytest.mark.parametrize("headword, entity", [
    ("KELLAGHAN, NUALA", "Nuala Kellaghan"),
    ("KELLAGHAN, NUALA MAIRE", "Nuala Maire Kellaghan"),
    ("KELLAGHAN, Nuala", "Nuala Kellaghan"),
])
def test_a_capitalized_headword_is_the_subject_of_its_entry(headword, entity):
    text = (f"{headword} (1902–1970), Irish poet, was born at Cork on 3 March 1902. "
            "She died at Dublin on 9 May 1970.")
    assert facts(text) == born(entity, "1902-03-03", "Cork") | died(entity, "1970-05-09", "Dublin")


def test_a_headwords_entry_about_a_relative_is_not_the_headwords():
    text = "KELLAGHAN, NUALA (1902–1970), daughter of Tom Roe, was born at Cork on 3 March 1880."
    assert facts(text) == {("birth_year", "Nuala Kellaghan", "1902"), ("death_year", "Nuala Kellaghan", "1970")}


# -- 5. a lead naming the title's person differently ---------------------------------------------------------------

@pytest.mark.parametrize("lead", [
    "Nuala Maire Roe, Countess of Kinsale (née Hart; 3 March 1902 – 9 May 1970) was an Irish poet.",
    "Nuala Maria da Silva (3 March 1902 – 9 May 1970), better known as Nuala Kellaghan, was a poet.",
])
def test_the_lead_of_a_titled_text_gives_the_subjects_dates(lead):
    expected = born("Nuala Kellaghan", "1902-03-03") | died("Nuala Kellaghan", "1970-05-09")
    assert facts(f"Nuala Kellaghan\n\n{lead}") == expected
    assert facts(lead, title="Nuala Kellaghan") == expected


@pytest.mark.parametrize("lead", [
    "Her father Tom Kellaghan (1870–1940) was a judge.",
    "Tom Kellaghan (1870–1940) was her father.",
])
def test_a_first_sentence_about_someone_else_keeps_its_dates(lead):
    assert facts(f"Nuala Kellaghan\n\n{lead}") == {("birth_year", "Tom Kellaghan", "1870"),
                                                   ("death_year", "Tom Kellaghan", "1940")}


# -- 6. a pronoun after a fact, without a subject --------------------------------------------------------------

def test_a_pronoun_after_a_fact_about_one_person_is_that_person():
    text = "Notes.\n\nMy great-grandfather Vaclav Marek was born 14 Feb 1881 in Plzen. He died in Chicago in 1950."
    assert facts(text) == born("Vaclav Marek", "1881-02-14", "Plzen") | {
        ("death_year", "Vaclav Marek", "1950"), ("death_place", "Vaclav Marek", "Chicago")}
    text = "Our mother Lenka Marek was born in 1884 in Brno. She died in Chicago on 2 May 1960."
    assert facts(text) == {("birth_year", "Lenka Marek", "1884"), ("birth_place", "Lenka Marek", "Brno")} | \
        died("Lenka Marek", "1960-05-02", "Chicago")


def test_a_pronouns_statement_that_contradicts_the_persons_is_dropped():
    text = "My grandfather Vaclav Marek was born in 1881 in Plzen. He was born in 1920 in Brno."
    assert facts(text) == {("birth_year", "Vaclav Marek", "1881"), ("birth_place", "Vaclav Marek", "Plzen")}


@pytest.mark.parametrize("text, person", [
    # two people in the fact's sentence
    ("Notes.\n\nVaclav Marek, son of Karel Marek, was born in 1881 in Plzen. He died in 1950.", "Vaclav Marek"),
    # the gender the text shows differs, or the text does not show one
    ("Notes.\n\nMy grandfather Vaclav Marek was born in 1881 in Plzen. She died in 1950.", "Vaclav Marek"),
    ("Notes.\n\nHer husband Vaclav Marek was born in 1881 in Plzen. He died in 1950.", "Vaclav Marek"),
    ("Notes.\n\nMary Marek was born in 1881 in Plzen. He died in 1950.", "Mary Marek"),
    ("Notes.\n\nVaclav Marek was born in 1881 in Plzen. He died in 1950.", "Vaclav Marek"),
    # another name in between
    ("Notes.\n\nMy grandfather Vaclav Marek was born in 1881 in Plzen. Karel Kos moved to Brno. He died in 1950.",
     "Vaclav Marek"),
])
def test_a_pronoun_after_a_fact_that_does_not_refer_to_its_person(text, person):
    assert facts(text) == {("birth_year", person, "1881"), ("birth_place", person, "Plzen")}


# -- 7. a description's span that is a term --------------------------------------------------------------------

def test_an_offices_span_that_conflicts_with_the_lead_is_a_term():
    text = ("Isolde Varr\nQueen of Leinster (1558–1603)\n\n"
            "Isolde Varr (7 September 1533 – 24 March 1603) was Queen of Leinster.")
    assert facts(text) == born("Isolde Varr", "1533-09-07") | died("Isolde Varr", "1603-03-24")


@pytest.mark.parametrize("description", ["Queen of Leinster (1533–1603)", "Irish queen (1533–1603)"])
def test_an_offices_span_without_a_conflict_stays_a_lifespan(description):
    text = f"Isolde Varr\n{description}\n\nIsolde Varr was Queen of Leinster."
    assert facts(text) == {("birth_year", "Isolde Varr", "1533"), ("death_year", "Isolde Varr", "1603")}
    text = f"Isolde Varr\n{description}\n\nIsolde Varr (7 September 1533 – 24 March 1603) was Queen of Leinster."
    assert facts(text) == born("Isolde Varr", "1533-09-07") | died("Isolde Varr", "1603-03-24")


# -- the prefilter keeps the facts of every layout ----------------------------------------------------------------

LAYOUTS = [
    f"OBITUARIES\nOrla Pennick\n{BODY}",
    f"GALWAY (AP) \u2014 Orla Pennick, the harpist, has died. {BODY}",
    "Player profile\nName: Tobias Arrieta\nBorn: 12 April 1991\nBirthplace: Rosario, Argentina",
    "KELLAGHAN, NUALA (1902\u20131970), Irish poet, was born at Cork on 3 March 1902. She died on 9 May 1970.",
    "Nuala Kellaghan\n\nNuala Maria da Silva (3 March 1902 \u2013 9 May 1970), better known as Nuala Kellaghan, was.",
    "My great-grandfather Vaclav Marek was born 14 Feb 1881 in Plzen. He died in Chicago in 1950.",
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_prefilter_masks_keep_the_facts_of_every_layout(backend):
    assert_masks_keep_facts(EX, LAYOUTS, backend)
