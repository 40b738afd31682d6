"""Labelled cases for forms of real text beyond encyclopedia summaries: reference and obituary prose, profile and
infobox lines, one person under several names. Each case lists every fact expected (category, entity, value), so
a missing fact and a spurious one both fail."""

from __future__ import annotations

import pytest

from floor.extract import Extractor

EX = Extractor()


def facts(text: str, title: str | None = None) -> set[tuple[str, str, str]]:
    return {(f.category, f.entity, f.value) for f in EX.extract(text, title=title)}


# -- one person, several names ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Maren Oakhill was a Danish cartographer. Oakhill was born on 4 June 1871 in Aarhus, the daughter of a "
            "ferryman.",
            {("birth_date", "Maren Oakhill", "1871-06-04"), ("birth_year", "Maren Oakhill", "1871"),
             ("birth_place", "Maren Oakhill", "Aarhus")},
        ),
        (
            "Tobias Quell\n\nTobias Quell was a glassblower from Leith. Quell died in 1933.",
            {("death_year", "Tobias Quell", "1933")},
        ),
        (
            "Ines Varga was a Hungarian chemist. Ines died in Szeged in 1988.",
            {("death_year", "Ines Varga", "1988"), ("death_place", "Ines Varga", "Szeged")},
        ),
        (
            "Quell (1840–1901) was a glassblower.",  # no full-name antecedent: kept as written
            {("birth_year", "Quell", "1840"), ("death_year", "Quell", "1901")},
        ),
        (
            # a one-word name that is not the subject's stays its own
            "Maren Oakhill was a Danish cartographer. Lund died in 1950.",
            {("death_year", "Lund", "1950")},
        ),
    ],
)
def test_a_short_form_of_the_subjects_name_is_the_subject(text, expected):
    assert facts(text) == expected


def test_a_short_name_is_not_the_subject_without_a_single_subject():
    text = "Maren Oakhill and Tobias Quell were cartographers. Quell died in 1933."
    assert facts(text) == {("death_year", "Quell", "1933")}


# -- abbreviated lifespans ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, birth, death",
    [
        ("Anselm Dorrit (1902–70) was a printer.", "1902", "1970"),
        ("Kasia Brandt (1805-75), a weaver, lived in Lodz.", "1805", "1875"),
        ("Hugo Pell (1711 – 98) wrote hymns.", "1711", "1798"),
    ],
)
def test_a_two_digit_death_year_is_read_in_the_birth_years_century(text, birth, death):
    entity = text.split(" (")[0]
    assert facts(text) == {("birth_year", entity, birth), ("death_year", entity, death)}


@pytest.mark.parametrize(
    "text",
    [
        "Kasia Brandt (1830–33) was a weaver.",  # a run of three years, not a lifespan
        "Kasia Brandt (1890–03) was a weaver.",  # across a century: ambiguous
        "Kasia Brandt (1905–05) was a weaver.",
        "Kasia Brandt (1950–2) was a weaver.",  # one digit
        "Kasia Brandt (died 70) was a weaver.",  # no birth year to read it by
        "Kasia Brandt (427–47 BC) was a weaver.",
    ],
)
def test_abbreviated_spans_that_are_not_lifespans_give_nothing(text):
    assert facts(text) == set()
