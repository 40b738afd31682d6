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
            "Maren Oakhill was a Danish cartographer. Dr. Oakhill died in 1950.",
            {("death_year", "Maren Oakhill", "1950")},
        ),
        (
            "Maren Oakhill\n\nOakhill (1871–1950) drew coastal charts.",
            {("birth_year", "Maren Oakhill", "1871"), ("death_year", "Maren Oakhill", "1950")},
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
    # not the subject (there is none), but the one full name it shortens (tests/test_extract_lead_forms.py)
    text = "Maren Oakhill and Tobias Quell were cartographers. Quell died in 1933."
    assert facts(text) == {("death_year", "Tobias Quell", "1933")}


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


# -- profile and infobox lines -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Anselm Dorrit\nBorn: 12 August 1899, Ghent, Belgium\nDied: 2 February 1967 (aged 67) Lille\n"
            "Occupation: printer",
            {("birth_date", "Anselm Dorrit", "1899-08-12"), ("birth_year", "Anselm Dorrit", "1899"),
             ("birth_place", "Anselm Dorrit", "Ghent"), ("death_date", "Anselm Dorrit", "1967-02-02"),
             ("death_year", "Anselm Dorrit", "1967"), ("death_place", "Anselm Dorrit", "Lille")},
        ),
        (
            "Kasia Brandt - Weavers of Lodz\n\nBirthplace: Lodz\nNationality: Polish",
            {("birth_place", "Kasia Brandt", "Lodz")},
        ),
        (
            "# Hugo Pell\n\n* Born: Utrecht\n* Died: Leiden\n",
            {("birth_place", "Hugo Pell", "Utrecht"), ("death_place", "Hugo Pell", "Leiden")},
        ),
        (
            "Kasia Brandt\n\nDate of Birth: 30 June 1921\nPlace of birth: Lodz, Poland\nDate of death: 1990\n"
            "Place of Death: Krakow",
            {("birth_date", "Kasia Brandt", "1921-06-30"), ("birth_year", "Kasia Brandt", "1921"),
             ("birth_place", "Kasia Brandt", "Lodz"), ("death_year", "Kasia Brandt", "1990"),
             ("death_place", "Kasia Brandt", "Krakow")},
        ),
        (
            "Hugo Pell\nBorn: March 3, 1711 in Utrecht\nDied: 1798",
            {("birth_date", "Hugo Pell", "1711-03-03"), ("birth_year", "Hugo Pell", "1711"),
             ("birth_place", "Hugo Pell", "Utrecht"), ("death_year", "Hugo Pell", "1798")},
        ),
    ],
)
def test_key_value_lines_of_a_profile_page_are_its_subjects(text, expected):
    assert facts(text) == expected


def test_key_value_lines_with_a_title_field():
    assert facts("Born: 1899\nDied: 1967", title="Anselm Dorrit") == {
        ("birth_year", "Anselm Dorrit", "1899"), ("death_year", "Anselm Dorrit", "1967")}


@pytest.mark.parametrize(
    "text",
    [
        "Born: 12 August 1899, Ghent\nDied: 1967",  # no subject on the page
        "Staff list\n\nBorn: 1899\nDied: 1967",  # a heading that is no name
        "Anselm Dorrit\nBorn: 1899–1905\nDied: around 1967",  # a range, an approximate year
        "Anselm Dorrit\nBorn: Unknown\nDied: yes, in the war",
        "Anselm Dorrit\nHe was Born: 1899 in the text",  # not a line's key
        "Anselm Dorrit\nBorn: 1899 to a family of printers",  # the value does not fill the line
        "Anselm Dorrit\nHis date of birth: 1899\nPlace of birth: unknown",
        "Anselm Dorrit\n\n1. A printer.\n\n2. A typeface.\nBorn: 1899",  # several senses: no single subject
    ],
)
def test_key_value_lines_that_give_nothing(text):
    assert facts(text) == set()


def test_key_value_lines_after_another_persons_fact_give_nothing():
    text = "Anselm Dorrit\n\nHis teacher Mark Ives was born in 1850 in Ghent.\nBorn: 1899\n"
    assert facts(text) == {("birth_year", "Mark Ives", "1850"), ("birth_place", "Mark Ives", "Ghent")}


# -- reference and obituary prose --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Greta Lindqvist was a Swedish botanist.\n\nBorn in Uppsala on 14 April 1911, she studied mosses.",
            {("birth_place", "Greta Lindqvist", "Uppsala"), ("birth_date", "Greta Lindqvist", "1911-04-14"),
             ("birth_year", "Greta Lindqvist", "1911")},
        ),
        (
            "Colm Farrow was an Irish fiddler. He died following a stroke on 1984-11-02.",
            {("death_date", "Colm Farrow", "1984-11-02"), ("death_year", "Colm Farrow", "1984")},
        ),
        (
            "Colm Farrow\n\nIrish fiddler. Born 1921-06-30, died 1984-11-02.",
            {("birth_date", "Colm Farrow", "1921-06-30"), ("birth_year", "Colm Farrow", "1921"),
             ("death_date", "Colm Farrow", "1984-11-02"), ("death_year", "Colm Farrow", "1984")},
        ),
        ("Colm Farrow was born at Sligo.", {("birth_place", "Colm Farrow", "Sligo")}),
        ("Colm Farrow died at Galway on 2 November 1984.",
         {("death_place", "Colm Farrow", "Galway"), ("death_date", "Colm Farrow", "1984-11-02"),
          ("death_year", "Colm Farrow", "1984")}),
        ("Colm Farrow was born in 1921 in Sligo.",
         {("birth_year", "Colm Farrow", "1921"), ("birth_place", "Colm Farrow", "Sligo")}),
        ("Colm Farrow passed away on 2 November 1984.",
         {("death_date", "Colm Farrow", "1984-11-02"), ("death_year", "Colm Farrow", "1984")}),
        ("Colm Farrow passed away peacefully in Galway, Ireland.", {("death_place", "Colm Farrow", "Galway")}),
        ("Colm Farrow died Friday, November 2, 1984.",
         {("death_date", "Colm Farrow", "1984-11-02"), ("death_year", "Colm Farrow", "1984")}),
        ("Colm Farrow died on Friday, 2 November 1984, at his home.",
         {("death_date", "Colm Farrow", "1984-11-02"), ("death_year", "Colm Farrow", "1984")}),
        ("Colm Farrow died at home in 1984.", {("death_year", "Colm Farrow", "1984")}),
        ("Colm Farrow died of pneumonia in Galway in 1984.",
         {("death_place", "Colm Farrow", "Galway"), ("death_year", "Colm Farrow", "1984")}),
    ],
)
def test_reference_and_obituary_prose(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Colm Farrow died on Tuesday.",  # a relative date is no date
        "Colm Farrow died Tuesday.",
        "Colm Farrow passed away last week.",
        "Colm Farrow passed away on Friday after a short illness.",
        "The bill was passed away from the chamber on 2 November 1984.",
        "Colm Farrow died at Christmas.",
        "Colm Farrow died at Sea in 1984 or 1985.",
        "Colm Farrow died of wounds received on 2 November 1916.",  # the date of the wounds, not of the death
        "Born in Sligo, Ireland, the fiddler moved to Galway.",  # no pronoun, no name
        "Colm Farrow and Greta Lindqvist met in 1950.\n\nBorn in Sligo in 1921, he played the fiddle.",
    ],
)
def test_obituary_phrasings_that_give_nothing(text):
    assert facts(text) == set()


def test_a_relative_death_date_gives_nothing_after_a_who_clause():
    # the death has no date (a weekday alone is none); the birth is read (tests/test_extract_lead_forms.py)
    assert not {f for f in facts("Greta Lindqvist, who was born in Uppsala in 1911, died on Tuesday.")
                if f[0].startswith("death")}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Colm Farrow, 63, of Sligo, died Friday, November 2, 1984, at his home.",
         {("death_date", "Colm Farrow", "1984-11-02"), ("death_year", "Colm Farrow", "1984")}),
        ("Colm Farrow, 63, died on 2 November 1984 in Galway.",
         {("death_date", "Colm Farrow", "1984-11-02"), ("death_year", "Colm Farrow", "1984"),
          ("death_place", "Colm Farrow", "Galway")}),
        ("Colm Farrow, 1921, died on 2 November 1984.", set()),  # a year is no age: not an obituary's lead
    ],
)
def test_an_obituary_lead_with_the_age(text, expected):
    assert facts(text) == expected


def test_a_web_page_title_with_its_site_gives_the_subject():
    text = "She was born in Uppsala in 1911. She died in 1990."
    expected = {("birth_place", "Greta Lindqvist", "Uppsala"), ("birth_year", "Greta Lindqvist", "1911"),
                ("death_year", "Greta Lindqvist", "1990")}
    assert facts(text, title="Greta Lindqvist - Swedish Botanists") == expected
    assert facts(text, title="Greta Lindqvist | Herbarium") == expected
    assert facts(text, title="A survey of the mosses - Herbarium") == set()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Anselm Dorrit (12 August 1899 in Ghent – 2 February 1967 in Lille) was a printer.",
         {("birth_date", "Anselm Dorrit", "1899-08-12"), ("birth_year", "Anselm Dorrit", "1899"),
          ("birth_place", "Anselm Dorrit", "Ghent"), ("death_date", "Anselm Dorrit", "1967-02-02"),
          ("death_year", "Anselm Dorrit", "1967"), ("death_place", "Anselm Dorrit", "Lille")}),
        ("Anselm Dorrit (1899 in Ghent, Belgium – 1967) was a printer.",
         {("birth_year", "Anselm Dorrit", "1899"), ("birth_place", "Anselm Dorrit", "Ghent"),
          ("death_year", "Anselm Dorrit", "1967")}),
        ("Anselm Dorrit (1899 in Ghent or Bruges – 1967) was a printer.", set()),
        ("The Ghent Press (1899 in Ghent – 1967 in Lille) printed maps.", set()),
    ],
)
def test_a_lifespan_with_places(text, expected):
    assert facts(text) == expected


def test_a_place_after_a_bare_dated_born_is_read_before_a_verb_only():
    # "born DATE, PLACE" (news style) is read as a birthplace only when a verb follows: in a list the next item
    # is a name ("Mark Ives, born 1965, Ada Ives, born 1967"); the date is read either way.
    assert facts("Mark Ives, born April 2, 1965, Sacramento, Calif., is a writer.") == {
        ("birth_date", "Mark Ives", "1965-04-02"), ("birth_year", "Mark Ives", "1965"),
        ("birth_place", "Mark Ives", "Sacramento")}
    assert facts("Mark Ives, born April 2, 1965, Sacramento, Calif., and Ada Ives wrote it.") == {
        ("birth_date", "Mark Ives", "1965-04-02"), ("birth_year", "Mark Ives", "1965")}
    assert facts("Mark Ives, born April 2, 1965, in Sacramento, Calif., is a writer.") == {
        ("birth_date", "Mark Ives", "1965-04-02"), ("birth_year", "Mark Ives", "1965"),
        ("birth_place", "Mark Ives", "Sacramento")}


def test_compiling_every_phrase_up_front_gives_the_same_facts():
    """Workers forked after Extractor.compile() share its patterns; the facts are those of lazy compiling."""
    from floor.extract import Extractor
    text = "Jane Doe\nIrish poet (1902–1970)\n\nShe was born in Cork on 3 March 1902 and died in Dublin in 1970."
    lazy = Extractor()
    eager = Extractor(languages="en")
    eager.compile()
    assert set(eager._engines[0]._by_kw) == set(eager.keywords)  # every keyword compiled, none met yet
    assert eager.extract(text) == lazy.extract(text) != []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jack Farrow was assassinated on November 22, 1963, in Dallas, Texas.",
         {("death_date", "Jack Farrow", "1963-11-22"), ("death_year", "Jack Farrow", "1963"),
          ("death_place", "Jack Farrow", "Dallas")}),
        ("Abel Linn was assassinated by John Booth on April 14, 1865.",
         {("death_date", "Abel Linn", "1865-04-14"), ("death_year", "Abel Linn", "1865")}),
        ("Joan Arcy was burned at the stake on 30 May 1431 in Rouen.",
         {("death_date", "Joan Arcy", "1431-05-30"), ("death_year", "Joan Arcy", "1431"),
          ("death_place", "Joan Arcy", "Rouen")}),
        ("Wilfred Oak was killed in action on 4 November 1918 in France.",
         {("death_date", "Wilfred Oak", "1918-11-04"), ("death_year", "Wilfred Oak", "1918"),
          ("death_place", "Wilfred Oak", "France")}),
        # "executed" alone is no death (a contract is executed too); nor is a bill killed
        ("Thomas Mohr was executed on 6 July 1535 in London.", set()),
        ("The bill was killed in committee on 3 May 2001.", set()),
    ],
)
def test_a_violent_death_in_the_passive(text, expected):
    assert facts(text) == expected
