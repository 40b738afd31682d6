"""Labelled cases for the forms of a biography's lead and body: one person under several names, a lead's
parenthesis with a pronunciation or a native spelling, encyclopedia parentheses with places, relative clauses,
nominal forms (``her birth in 1902``), BC lifespans, and spans that are reigns or terms. Each case lists every
fact expected (category, entity, value), so a missing fact and a spurious one both fail."""

from __future__ import annotations

import pytest

from floor.extract import Extractor

from .test_prefilter import BACKENDS, assert_masks_keep_facts

EX = Extractor()


def facts(text: str, title: str | None = None) -> set[tuple[str, str, str]]:
    return {(f.category, f.entity_key, f.value) for f in EX.extract(text, title=title)}


def lifespan(entity: str, birth: str, death: str) -> set[tuple[str, str, str]]:
    """Birth and death dates (ISO) with their years."""
    return {("birth_date", entity, birth), ("birth_year", entity, birth[:4]),
            ("death_date", entity, death), ("death_year", entity, death[:4])}


# -- one person, several names -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, title, expected",
    [
        ("Jane Doe wrote poems. Later Doe moved to Paris. Doe was born in 1902.", None,
         {("birth_year", "jane doe", "1902")}),
        ("Tomas Rell kept bees near Graz. Rell died in Vienna in 1931.", None,
         {("death_year", "tomas rell", "1931"), ("death_place", "tomas rell", "Vienna")}),
        # the first name as the short form
        ("Ines Marlo painted. Later Ines moved to Lyon. Ines died on 2 May 1950.", None,
         {("death_date", "ines marlo", "1950-05-02"), ("death_year", "ines marlo", "1950")}),
        # the full name said twice is one antecedent
        ("Jane Doe wrote poems. Jane Doe moved to Paris. Doe died in 1970.", None,
         {("death_year", "jane doe", "1970")}),
        # the document's subject, from its title
        ("Einstein was born in Ulm in 1879.", "Albert Einstein",
         {("birth_year", "albert einstein", "1879"), ("birth_place", "albert einstein", "Ulm")}),
        # a heading's short name that the description block gives in full: the full name, for the whole document
        ("Ibsen \\Ibsen\\ prop. n.\n   Henrik Ibsen (1828-1906), Norwegian poet and dramatist.", None,
         {("birth_year", "henrik ibsen", "1828"), ("death_year", "henrik ibsen", "1906")}),
    ],
)
def test_a_short_form_is_keyed_by_the_full_name_it_shortens(text, title, expected):
    assert facts(text, title) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # two people share the surname: ambiguous, so the short form stays as written (never the wrong full name)
        ("John Doe and his wife Mary Doe moved to Paris. Doe was born in 1902.", {("birth_year", "doe", "1902")}),
        ("Marie Curie and Pierre Curie worked together. Curie died in 1934.", {("death_year", "curie", "1934")}),
        # no earlier full name: as written
        ("Doe was born in 1902. Jane Doe wrote poems.", {("birth_year", "doe", "1902")}),
        ("Later Doe moved to Paris. Doe was born in 1902.", {("birth_year", "doe", "1902")}),
        # the word inside a longer name of a thing is no antecedent
        ("The Doe Foundation paid for it. Doe was born in 1902.", {("birth_year", "doe", "1902")}),
        ("She lived on Doe Street in Cork. Doe was born in 1902.", {("birth_year", "doe", "1902")}),
        # the word in the middle of a name
        ("Jane Doe Smith wrote poems. Doe was born in 1902.", {("birth_year", "doe", "1902")}),
    ],
)
def test_a_short_form_without_one_antecedent_stays_as_written(text, expected):
    assert facts(text) == expected


def test_names_are_not_joined_across_documents():
    assert facts("Jane Doe wrote poems.") == set()
    assert facts("Doe was born in 1902.") == {("birth_year", "doe", "1902")}


# -- a lead's parenthesis with a pronunciation or a native spelling --------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jane Doe (/ˈdoʊ/; Irish: Síne Ní Dhubhda; 3 March 1902 – 9 May 1970) was an Irish poet.",
         lifespan("jane doe", "1902-03-03", "1970-05-09")),
        ("Jane Doe (/ˈdoʊ/ DOH; 3 March 1902 – 9 May 1970) was an Irish poet.",
         lifespan("jane doe", "1902-03-03", "1970-05-09")),
        ("Ivan Petrov (Russian: Иван Петров; born 3 March 1902) was a poet.",
         {("birth_date", "ivan petrov", "1902-03-03"), ("birth_year", "ivan petrov", "1902")}),
        ("Jane Doe (listen; 3 March 1902 – 9 May 1970) was an Irish poet.",
         lifespan("jane doe", "1902-03-03", "1970-05-09")),
        ("Jane Doe (pronounced DOH; died 9 May 1970) was an Irish poet.",
         {("death_date", "jane doe", "1970-05-09"), ("death_year", "jane doe", "1970")}),
        ("Li Wei (Chinese: 李伟; 1902–1970) was a painter.",
         {("birth_year", "li wei", "1902"), ("death_year", "li wei", "1970")}),
        # a text export that dropped the pronunciation and kept its separators
        ("Amedeo Rossi (, also, Italian: [ameˈdɛːo]; 9 August 1776 – 9 July 1856) was a chemist.",
         lifespan("amedeo rossi", "1776-08-09", "1856-07-09")),
    ],
)
def test_a_leads_parenthesis_with_a_pronunciation_or_native_spelling(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Jane Doe (Irish: Síne Ní Dhubhda; 1902) was an Irish poet.",  # a single year is no lifespan
        "Jane Doe (Irish: Síne Ní Dhubhda; c. 1902) was an Irish poet.",
        "The Doe Press (Irish: Cló Dhubhda; 1902–1970) printed books.",  # not a person
        "Jane Doe (Irish: Síne; 1902 or 1903 – 1970) was an Irish poet.",
    ],
)
def test_a_leads_parenthesis_without_a_lifespan_gives_nothing(text):
    assert facts(text) == set()


# -- encyclopedia parentheses with places ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jane Doe (born March 3, 1902, Cork, Ireland—died May 9, 1970, Dublin) was a poet.",
         lifespan("jane doe", "1902-03-03", "1970-05-09")
         | {("birth_place", "jane doe", "Cork"), ("death_place", "jane doe", "Dublin")}),
        ("Mark Ives (born April 2, 1965, Sacramento, Calif.) is a writer.",
         {("birth_date", "mark ives", "1965-04-02"), ("birth_year", "mark ives", "1965"),
          ("birth_place", "mark ives", "Sacramento")}),
        ("Mark Ives, born April 2, 1965, Sacramento, Calif., is a writer.",
         {("birth_date", "mark ives", "1965-04-02"), ("birth_year", "mark ives", "1965"),
          ("birth_place", "mark ives", "Sacramento")}),
        ("Jane Doe (b. 1902, Cork; d. 1970, Dublin) was a poet.",
         {("birth_year", "jane doe", "1902"), ("birth_place", "jane doe", "Cork"),
          ("death_year", "jane doe", "1970"), ("death_place", "jane doe", "Dublin")}),
        ("Jane Doe (died May 9, 1970, Dublin) was a poet.",
         {("death_date", "jane doe", "1970-05-09"), ("death_year", "jane doe", "1970"),
          ("death_place", "jane doe", "Dublin")}),
        # in a list the next item is a name, not a place
        ("Mark Ives, born 1965, Ada Ives, born 1967, and Tom Ives wrote it.",
         {("birth_year", "mark ives", "1965"), ("birth_year", "ada ives", "1967")}),
        ("Mark Ives, born April 2, 1965, Ada Ives, and Tom Ives wrote it.",
         {("birth_date", "mark ives", "1965-04-02"), ("birth_year", "mark ives", "1965")}),
        # a lowercase word after the comma is no place, nor is an uncertain one: the date alone
        ("Jane Doe (born March 3, 1902, probably in Cork) was a poet.",
         {("birth_date", "jane doe", "1902-03-03"), ("birth_year", "jane doe", "1902")}),
        ("Jane Doe (born March 3, 1902, Cork or Sligo) was a poet.",
         {("birth_date", "jane doe", "1902-03-03"), ("birth_year", "jane doe", "1902")}),
    ],
)
def test_a_date_then_a_place_without_a_preposition(text, expected):
    assert facts(text) == expected


# -- relative clauses --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        # a weekday alone is no date: no death
        ("Jane Doe, who was born in Cork in 1902, died on Tuesday.",
         {("birth_place", "jane doe", "Cork"), ("birth_year", "jane doe", "1902")}),
        ("Jane Doe, who was born in 1902, wrote poems.", {("birth_year", "jane doe", "1902")}),
        ("Jane Doe, who died in Dublin in 1970, wrote poems.",
         {("death_place", "jane doe", "Dublin"), ("death_year", "jane doe", "1970")}),
        ("Jane Doe, who was born on 3 March 1902 and died in 1970, wrote poems.",
         {("birth_date", "jane doe", "1902-03-03"), ("birth_year", "jane doe", "1902"),
          ("death_year", "jane doe", "1970")}),
        # the antecedent is the nearest name
        ("Jane Doe met Tom Ives, who died in 1970.", {("death_year", "tom ives", "1970")}),
        # not a subject's name: another person's relative, a relation noun, a bare year after the verb
        ("The son of Jane Doe, who was born in 1902, wrote poems.", set()),
        ("Jane Doe's father, who was born in 1902, wrote poems.", set()),
        ("Jane Doe, who was born 1902, wrote poems.", set()),
        ("Jane Doe, who died on Tuesday, wrote poems.", set()),
    ],
)
def test_a_relative_clause_after_its_antecedent(text, expected):
    assert facts(text) == expected


# -- nominal forms about the document's subject ------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, title, expected",
    [
        ("Jane Doe was an Irish poet. Her birth in 1902 was celebrated. Her death on 9 May 1970 in Dublin shocked "
         "many.", None,
         {("birth_year", "jane doe", "1902"), ("death_date", "jane doe", "1970-05-09"),
          ("death_year", "jane doe", "1970"), ("death_place", "jane doe", "Dublin")}),
        ("Little is known of his death in 1970.", "Tom Ives", {("death_year", "tom ives", "1970")}),
        ("Tom Ives\nIrish poet\n\nAfter his birth in Cork, the family moved.", None,
         {("birth_place", "tom ives", "Cork")}),
        # not the subject's own birth or death
        ("Jane Doe was an Irish poet. She celebrated the birth of her son in 1930.", None, set()),
        ("Jane Doe was an Irish poet. Her son's birth in 1930 changed her.", None, set()),
        ("Tom Ives was a general. His death toll of 1,200 was large.", None, set()),
        ("Tom Ives was a general. His death in battle was mourned.", None, set()),
        # the end of a reign or term
        ("Tom Ives was King of Wessex from 871 until his death in 899.", None, set()),
        ("Tom Ives was King of Wessex from 871 till his death in 899.", None, set()),
        ("Tom Ives was a bishop, from 871 to his death in 899.", None, set()),
        # "to" as a word's end is no "to": "Otto his" is; a letter right before "his" makes no possessive
        ("Tom Ives was a general. Little is known, pace Otto his death in 899 is certain.", None,
         {("death_year", "tom ives", "0899")}),
        ("Tom Ives was a general. This death in 899 is certain.", None, set()),
        # no single subject
        ("Jane Doe and Tom Ives were poets. Her death in 1970 was mourned.", None, set()),
        ("Her death in 1970 was mourned.", None, set()),
    ],
)
def test_a_possessives_birth_or_death_is_the_subjects(text, title, expected):
    assert facts(text, title) == expected


# -- BC lifespans with one era mark ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Gaius Doe (65–8 BC) was a poet.",
         {("birth_year", "gaius doe", "-0065"), ("death_year", "gaius doe", "-0008")}),
        ("Gaius Doe (99 – 55 B.C.) was a poet.",
         {("birth_year", "gaius doe", "-0099"), ("death_year", "gaius doe", "-0055")}),
        ("Gaius Doe\nRoman lyric poet (65–8 BC)",
         {("birth_year", "gaius doe", "-0065"), ("death_year", "gaius doe", "-0008")}),
        # an approximate end yields nothing, the exact end still does, in the range's era
        ("Gaius Doe (c. 460 – 370 BC) was a poet.", {("death_year", "gaius doe", "-0370")}),
        ("Gaius Doe (460 – c. 370 BC) was a poet.", {("birth_year", "gaius doe", "-0460")}),
        ("Gaius Doe (65 – c. 8 BCE) was a poet.", {("birth_year", "gaius doe", "-0065")}),
        ("Gaius Doe (c. 65–8 BC) was a poet.", {("death_year", "gaius doe", "-0008")}),
        # a one- or two-digit year without an era is no year
        ("Gaius Doe (65–80) was a poet.", set()),
        ("Gaius Doe (c. 63 BC – 14) was a poet.", set()),
        ("Gaius Doe (65 – c. 80) was a poet.", set()),
        # too short a span, or an approximate birth's era alone
        ("Gaius Doe (12–8 BC) was a poet.", set()),
        ("Gaius Doe (c. 65 BC – 80) was a poet.", set()),
    ],
)
def test_a_bc_lifespan_with_one_era_mark(text, expected):
    assert facts(text) == expected


# -- spans after offices and regnal names ------------------------------------------------------------------------
# Under a heading, a description's single bare span is the subject's lifespan whatever noun heads it (the
# convention of encyclopedia short descriptions: "President of Peru and Bolivia (1795–1830)", "King of Poland,
# Elector of Saxony (1670–1733)" are lifespans); a reign or term is written otherwise, and gives nothing.

@pytest.mark.parametrize(
    "text, birth, death",
    [
        ("Louis Quatorze\nFrench king (1638–1715)", "1638", "1715"),
        ("Antonio Sucre\nPresident of Peru and Bolivia (1795–1830)", "1795", "1830"),
        ("Augustus II the Strong\nKing of Poland, Elector of Saxony (1670–1733)", "1670", "1733"),
    ],
)
def test_a_single_bare_span_in_a_description_is_a_lifespan(text, birth, death):
    entity = text.split("\n")[0].lower()
    assert facts(text) == {("birth_year", entity, birth), ("death_year", entity, death)}


@pytest.mark.parametrize(
    "text",
    [
        "Louis XIV\nKing of France from 1643 to 1715",
        "Louis XIV\nKing of France (r. 1643–1715)",
        "Alfred Doe\nKing of Wessex (871–886); King of the Anglo-Saxons (886–899)",
        "Robert Peel\nPrime Minister of the United Kingdom (1834–1835; 1841–1846)",
        # in running text, a regnal name or an office before a bare span is a term
        "The treaty was signed under Henry VIII (1509–1547) and renewed later.",
        "He served as Governor of Bahia (1840–1861) for two decades.",
    ],
)
def test_reigns_and_terms_give_nothing(text):
    assert facts(text) == set()


# -- the raw-bytes prefilter keeps every new form ----------------------------------------------------------------

FORMS = [
    "Jane Doe (/ˈdoʊ/; Irish: Síne Ní Dhubhda; 3 March 1902 – 9 May 1970) was an Irish poet.",
    "Ivan Petrov (Russian: Иван Петров; born 3 March 1902) was a poet.",
    "Jane Doe (ⓘ; died 9 May 1970) was a poet.",
    "Amedeo Rossi (, also, Italian: [ameˈdɛːo]; 9 August 1776 – 9 July 1856) was a chemist.",
    "Jane Doe (born March 3, 1902, Cork, Ireland—died May 9, 1970, Dublin) was a poet.",
    "Mark Ives, born April 2, 1965, Sacramento, Calif., is a writer.",
    "Jane Doe, who was born in Cork in 1902, died on Tuesday.",
    "Jane Doe, who died\nin Dublin in 1970, wrote poems.",
    "Jane Doe was an Irish poet. Her birth in 1902 was celebrated. His\u00a0death\u3000on 9 May 1970 shocked many.",
    "Gaius Doe (65–8 BC) was a poet.",
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_prefilter_masks_keep_the_facts_of_every_form(backend):
    assert_masks_keep_facts(EX, FORMS, backend)
