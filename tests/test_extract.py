"""Tests for floor.extract: phrasings x date forms, negatives, normalization, spans, API, and fuzzing."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floor.errors import FloorError
from floor.extract import CATEGORIES, Category, Extractor, Fact
from floor.extract.dates import DateGrammar, parse_normal
from floor.extract.packs import builtin_pack

EX = Extractor()


def keys(text: str, extractor: Extractor = EX) -> set[tuple[str, str, str]]:
    """(category, entity, value) of every fact, checking the span invariant on the way."""
    facts = extractor.extract(text)
    for f in facts:
        assert text[f.start : f.end] == f.text
    return {(f.category, f.entity, f.value) for f in facts}


def expect(entity: str, **values: str) -> set[tuple[str, str, str]]:
    return {(cat, entity, v) for cat, v in values.items()}


# --------------------------------------------------------------------------------------------------------------
# Date forms

BIRTH_DATES = [
    "10 December 1815",
    "10 Dec 1815",
    "10 Dec. 1815",
    "10th December 1815",
    "10 December, 1815",
    "December 10, 1815",
    "December 10 1815",
    "Dec. 10, 1815",
    "December 10th, 1815",
    "1815-12-10",
]
DEATH_DATES = ["27 November 1852", "27 Nov. 1852", "November 27, 1852", "Nov 27, 1852", "1852-11-27"]
BD, DD = "1815-12-10", "1852-11-27"
# Pairs of (birth, death) date texts exercising every form on both sides.
DATE_PAIRS = list(zip(BIRTH_DATES, DEATH_DATES * 2))

N = "Ada Lovelace"

FULL_DATE_TEMPLATES = [
    # (template, expected categories -> value); {B} birth date, {D} death date
    ("{N} (born {B}) was an English mathematician.", dict(birth_date=BD, birth_year="1815")),
    ("{N} (born {B} in London) was a writer.", dict(birth_date=BD, birth_year="1815", birth_place="London")),
    ("{N} (b. {B}) was a writer.", dict(birth_date=BD, birth_year="1815")),
    ("{N} ({B} – {D}) was a writer.", dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852")),
    ("{N} ({B}–{D}) was a writer.", dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852")),
    ("{N} ({B} — {D}) was a writer.", dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852")),
    ("{N} ({B} - {D}) was a writer.", dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852")),
    ("{N} ({B} -- {D}) was a writer.", dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852")),
    ("{N} was born on {B}.", dict(birth_date=BD, birth_year="1815")),
    ("{N} was born {B}.", dict(birth_date=BD, birth_year="1815")),
    ("{N} was born on {B} in London.", dict(birth_date=BD, birth_year="1815", birth_place="London")),
    ("{N} was born in London on {B}.", dict(birth_date=BD, birth_year="1815", birth_place="London")),
    ("{N} was born in London, England, on {B}.", dict(birth_date=BD, birth_year="1815", birth_place="London")),
    ("Born on {B} in London, {N} was a writer.", dict(birth_date=BD, birth_year="1815", birth_place="London")),
    (
        "Born on {B} in London, England, {N} was a writer.",
        dict(birth_date=BD, birth_year="1815", birth_place="London"),
    ),
    ("Born in London on {B}, {N} was a writer.", dict(birth_date=BD, birth_year="1815", birth_place="London")),
    ("Born {B} in London, {N} was a writer.", dict(birth_date=BD, birth_year="1815", birth_place="London")),
    ("Born on {B}, {N} was a writer.", dict(birth_date=BD, birth_year="1815")),
    ("{N} died on {D}.", dict(death_date=DD, death_year="1852")),
    ("{N} died {D}.", dict(death_date=DD, death_year="1852")),
    ("{N} died in Marylebone on {D}.", dict(death_date=DD, death_year="1852", death_place="Marylebone")),
    ("{N} died on {D} in Marylebone.", dict(death_date=DD, death_year="1852", death_place="Marylebone")),
    (
        "{N}, born {B}, died {D}.",
        dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852"),
    ),
    (
        "{N} was born on {B} and died on {D}.",
        dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852"),
    ),
    (
        "{N} (born {B}; died {D}) was a writer.",
        dict(birth_date=BD, birth_year="1815", death_date=DD, death_year="1852"),
    ),
]


@pytest.mark.parametrize("template,values", FULL_DATE_TEMPLATES, ids=[t for t, _ in FULL_DATE_TEMPLATES])
@pytest.mark.parametrize("b,d", DATE_PAIRS, ids=[b for b, _ in DATE_PAIRS])
def test_full_date_phrasings(template, values, b, d):
    text = template.format(N=N, B=b, D=d)
    assert keys(text) == expect(N, **values)


YEAR_FORMS = [("1815", "1852", "1815", "1852"), ("427 BC", "347 BC", "-0427", "-0347"),
              ("427 B.C.", "347 B.C.", "-0427", "-0347"), ("427 BCE", "347 BCE", "-0427", "-0347")]  # fmt: skip

YEAR_TEMPLATES = [
    ("{N} (born {Y}) was a writer.", ("birth_year",)),
    ("{N} (b. {Y}) was a writer.", ("birth_year",)),
    ("{N} ({Y}–{Z}) was a writer.", ("birth_year", "death_year")),
    ("{N} ({Y} – {Z}) was a writer.", ("birth_year", "death_year")),
    ("{N} ({Y}-{Z}) was a writer.", ("birth_year", "death_year")),
    ("{N} was born in {Y}.", ("birth_year",)),
    ("{N} was born in London in {Y}.", ("birth_year", "birth_place")),
    ("{N} died in {Z}.", ("death_year",)),
    ("{N} died in Marylebone in {Z}.", ("death_year", "death_place")),
    ("{N}, born {Y}, died {Z}.", ("birth_year", "death_year")),
    ("{N} was born in {Y} and died in {Z}.", ("birth_year", "death_year")),
    ("Born in {Y}, {N} was a writer.", ("birth_year",)),
]


@pytest.mark.parametrize("template,cats", YEAR_TEMPLATES, ids=[t for t, _ in YEAR_TEMPLATES])
@pytest.mark.parametrize("y,z,yv,zv", YEAR_FORMS, ids=[f[0] for f in YEAR_FORMS])
def test_year_phrasings(template, cats, y, z, yv, zv):
    text = template.format(N=N, Y=y, Z=z)
    value = {"birth_year": yv, "death_year": zv, "birth_place": "London", "death_place": "Marylebone"}
    assert keys(text) == {(c, N, value[c]) for c in cats}


def test_trailing_bc_covers_range():
    assert keys("Plato (427–347 BC) was a philosopher.") == expect("Plato", birth_year="-0427", death_year="-0347")


def test_bc_to_ad_and_bc_full_date():
    assert keys("Augustus (63 BC – AD 14) was an emperor.") == expect(
        "Augustus", birth_year="-0063", death_year="0014"
    )
    assert keys("Julius Caesar (100 BC – 15 March 44 BC) was a general.") == expect(
        "Julius Caesar", birth_year="-0100", death_date="-0044-03-15", death_year="-0044"
    )


@pytest.mark.parametrize(
    "text,values",
    [
        ("Ada Lovelace was born in May 1815.", dict(birth_year="1815")),  # month-year: the year only
        ("Ada Lovelace was born in Dec. 1815 in London.", dict(birth_year="1815", birth_place="London")),
        ("Ada Lovelace died in November 1852.", dict(death_year="1852")),
        ("Ada Lovelace (December 1815 – November 1852) was.", dict(birth_year="1815", death_year="1852")),
        ("Ada Lovelace (born 850 AD) was.", dict(birth_year="0850")),
        ("Ada Lovelace was born in 850.", dict(birth_year="0850")),
        ("Ada Lovelace (850–910) was.", dict(birth_year="0850", death_year="0910")),
        ("Ada Lovelace (991–1083) was.", dict(birth_year="0991", death_year="1083")),
        ("Ada Lovelace (11 April 238 – 27 May 299) was.", dict(birth_date="0238-04-11", birth_year="0238",
                                                              death_date="0299-05-27", death_year="0299")),
        ("Ada Lovelace (c. 1815–1852) was.", dict(death_year="1852")),  # circa end skipped, exact end kept
        ("Ada Lovelace (1815 – c. 1852) was.", dict(birth_year="1815")),
        ("Ada Lovelace (born c. 1815 in London) was.", dict(birth_place="London")),
        ("Ada Lovelace was born on 29 February 1816.", dict(birth_date="1816-02-29", birth_year="1816")),
        ("Ada Lovelace was born on 29 February 2000.", dict(birth_date="2000-02-29", birth_year="2000")),
        ("Ada Lovelace was born on 10 Sept. 1815.", dict(birth_date="1815-09-10", birth_year="1815")),
        ("Ada Lovelace was born on Sept 10, 1815.", dict(birth_date="1815-09-10", birth_year="1815")),
        ("Ada Lovelace was born on 10 december 1815.", dict(birth_date="1815-12-10", birth_year="1815")),
        ("Ada Lovelace was born on the 10th of December, 1815.", dict(birth_date="1815-12-10", birth_year="1815")),
        ("Ada Lovelace was born in London on the 10th of December 1815.",
         dict(birth_date="1815-12-10", birth_year="1815", birth_place="London")),
    ],
)
def test_date_decisions(text, values):
    assert keys(text) == expect(N, **values)


# --------------------------------------------------------------------------------------------------------------
# Places

PLACES = [
    ("London", "London"),
    ("Paris, France", "Paris"),
    ("Springfield, Illinois, USA", "Springfield"),
    ("Stratford-upon-Avon", "Stratford-upon-Avon"),
    ("New York City", "New York City"),
    ("Saint-Marec", "Saint-Marec"),
    ("Port Elvane", "Port Elvane"),
    ("São Paulo", "São Paulo"),
    ("Rio de Janeiro", "Rio de Janeiro"),
    ("Isle of Man", "Isle of Man"),
    ("Washington, D.C.", "Washington"),
    ("St. Louis", "St. Louis"),
    ("The Hague", "The Hague"),
    ("Kraków", "Kraków"),
    ("N’Djamena", "N’Djamena"),
]


@pytest.mark.parametrize("place,value", PLACES, ids=[p for p, _ in PLACES])
@pytest.mark.parametrize(
    "template,cat",
    [
        ("{N} was born in {P}.", "birth_place"),
        ("{N} was born in {P} in 1815.", "birth_place"),
        ("{N} was born in {P}, on 10 December 1815.", "birth_place"),
        ("{N} died in {P}.", "death_place"),
        ("{N} died in {P} on 27 November 1852.", "death_place"),
        ("Born in {P}, {N} was a writer.", "birth_place"),
    ],
)
def test_places(place, value, template, cat):
    text = template.format(N=N, P=place)
    facts = [f for f in EX.extract(text) if f.category == cat]
    assert [(f.entity, f.value) for f in facts] == [(N, value)]
    assert facts[0].key == (cat, "ada lovelace", value.casefold())


def test_place_followed_by_country_then_date():
    assert keys("Jean Marc was born in Paris, France, on 5 May 1900.") == expect(
        "Jean Marc", birth_place="Paris", birth_date="1900-05-05", birth_year="1900"
    )


# --------------------------------------------------------------------------------------------------------------
# Names

NAMES = [
    "Ada Lovelace",
    "Plato",
    "Ludwig van Beethoven",
    "Leonardo da Vinci",
    "Vincent van Gogh",
    "J. R. R. Tolkien",
    "J.R.R. Tolkien",
    "Jean-Luc Picard",
    "Seán O'Connor",
    "Seán O’Connor",
    "Ángel Rodríguez",
    "Łukasz Nowak",
    "Søren Kierkegaard",
    "Catherine of Aragon",
    "Muhammad ibn Musa al-Khwarizmi",
    "José Ortega y Gasset",
    "Martin Luther King Jr.",
    "Jean le Rond d'Alembert",
    "Alexander the Great",
    "Pope John Paul II",
    "Nguyễn Văn An",
    "Ζωή Παππά",
    "Иван Петров",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "template,cat",
    [
        ("{X} was born in 1815.", "birth_year"),
        # a full date: after a regnal name (Pope John Paul II) bare years are read as a reign
        ("{X} (10 December 1815 – 1852) was a writer.", "birth_year"),
        ("{X} (born 1815) was a writer.", "birth_year"),
        ("{X} died in 1852.", "death_year"),
        ("{X}, born 1815, died 1852.", "birth_year"),
        ("Born in 1815, {X} was a writer.", "birth_year"),
        ("It rained. {X} died in 1852.", "death_year"),
        ("In 1830, {X} was born in 1815.", "birth_year"),
    ],
)
def test_names(name, template, cat):
    facts = [f for f in EX.extract(template.format(X=name)) if f.category == cat]
    assert [f.entity for f in facts] == [name]


@pytest.mark.parametrize(
    "text,entity",
    [
        ("Then Ada Lovelace died in 1852.", N),
        ("Later Ada Lovelace died in 1852.", N),
        ("When Ada Lovelace was born in 1815, Byron left.", N),
        ("After Ada Lovelace died in 1852, Babbage wept.", N),
        ("However, Ada Lovelace died in 1852.", N),
        ("Meanwhile Ada Lovelace died in 1852.", N),
        ("Dr. Ada Lovelace died in 1852.", N),
        ("Mr Ada Lovelace died in 1852.", N),
        ("On 10 May Ada Lovelace died in 1852.", N),
        ("the mathematician Ada Lovelace died in 1852.", N),
        ("It is known that Ada Lovelace died in 1852.", N),
        ("Ada Lovelace and Charles Babbage (1791–1871) met.", "Charles Babbage"),
        ("She was the daughter of Lord Byron (1788–1824).", "Lord Byron"),
        ("June Carter was born in 1929.", "June Carter"),
        ("Poet Ada Lovelace was born in 1815.", N),
        ("Alonzo Church (1903–1995) was a logician.", "Alonzo Church"),
        ("Byron left and Ada Lovelace died in 1852.", N),
        ("Sales rose that year. Ada Lovelace was born in 1815.", N),
        ("It rained that day, Ada Lovelace died in 1852.", N),
        ("Charles Babbage and Ada Lovelace died in 1852.", N),
        ("Byron lived in London and Ada Lovelace died in 1852.", N),
        ("In 1830 mathematician Ada Lovelace died in 1852.", N),
        ("Early Life\nAda Lovelace was born in 1815.", N),
        ("## Early life\n\nAda Lovelace was born in 1815.", N),
        ("Ada Lovelace, a poet, was born in 1815.", N),
        ("Ada Lovelace, who met Babbage, was born in 1815.", N),
        ("Ada Lovelace (née Byron) was born in 1815.", N),
        ("Ada Lovelace, aged 36, died in 1852.", N),
        # an obituary's age, and its town and state
        ("Ada Lovelace, age 36, of Marylebone, died in 1852.", N),
        ("Ada Lovelace, 36, of rural Marylebone, Middlesex, died in 1852.", N),
        # a name in apposition to the subject is the subject's
        ("Ada's father, Lord Byron, was born in 1788.", "Lord Byron"),
        ("“Ada Lovelace was born in 1815,” she said.", N),
        ("(Ada Lovelace was born in 1815.)", N),
    ],
)
def test_entity_boundaries(text, entity):
    assert {f.entity for f in EX.extract(text)} == {entity}


def test_name_wrapped_across_long_line():
    text = "x" * 60 + " and a long line of text that goes on and on until it wraps near Ada\nLovelace was born in 1815."
    assert {f.entity for f in EX.extract(text)} == {N}


# --------------------------------------------------------------------------------------------------------------
# Negatives: no facts at all

NEGATIVES = [
    "The United Kingdom (UK) is an island country.",
    "He was born-again in 1900.",
    "Smith said the fire died down in 1900.",
    "He was born on 3 May 1920.",
    "She died in 1901.",
    "They died in 1901 in London.",
    "I was born in 1990.",
    "the company was born in 1999.",
    "The company was born in 1999.",
    "Prices died down after the war.",
    "It was a tradition born of necessity.",
    "Nobody died in 1901.",
    "Everyone died in 1901.",
    "Thousands died in 1918.",
    "Three died in 1918.",
    "The treaty (1815) was signed.",
    "Smith (see page 12) wrote it.",
    "Smith (pp. 12–15) wrote it.",
    "The meeting (10:30) began.",
    "Smith (12–15) wrote it.",
    "the war (1999–2003) ended.",
    "Ada Lovelace (1852–1815) was a writer.",
    "Ada Lovelace (1815–1999) was a writer.",
    "Ada Lovelace was born in 1852 and died in 1815.",
    "Ada Lovelace was born on 31 February 1900.",
    "Ada Lovelace was born on 29 February 1900.",
    "Ada Lovelace was born on 31 April 1900.",
    "Ada Lovelace was born on 0 May 1900.",
    "born in 1999",
    "He was born in 1999 in London.",
    "the king died in 1900.",
    "In 1815 Napoleon died.",
    "A child born 10 December 1815 was found.",
    "Ada Lovelace born 10 December 1815 was found.",
    "The son of Ada Lovelace died in 1900.",
    "The Duke of Wellington died in 1852.",
    "In London Ada Lovelace died in 1852.",
    "His Majesty King George died in 1820.",
    "A friend of Ada Lovelace was born in 1815.",
    "The son of Ada Lovelace, a poet, died in 1900.",
    "Ada Lovelace was born in 1815 or 1816.",
    "Ada Lovelace (born 1815 or 1816) was a writer.",
    "Ada Lovelace was born in London or Paris.",
    "Ada Lovelace (born 1815–1816) was a writer.",
    "Ada Lovelace was born in the 1810s.",
    "Ada Lovelace was born in 1815s.",
    "Ada Lovelace was born in about 1815.",
    "Ada Lovelace was born around 1815.",
    "Ada Lovelace was born c. 1815.",
    "Ada Lovelace was born circa 1815.",
    "Ada Lovelace was born in 1815?",
    "Ada Lovelace (c. 1815 – c. 1852) was.",
    "Ada Lovelace (fl. 1815–1852) was.",
    "Ada Lovelace (r. 1815–1852) was.",
    "Ada Lovelace died in 200 years.",
    "Ada Lovelace died 1852.",
    "Ada Lovelace was born 1815.",
    "Ada Lovelace was born in May.",
    "Ada Lovelace was born in Spring 1815.",
    "Ada Lovelace died in World War II.",
    "Ada Lovelace died in battle.",
    "Ada Lovelace died in the war.",
    "Ada Lovelace studied in Paris in 1830.",
    "Ada Lovelace was reborn in 1830.",
    "Osborn in London in 1830.",
    "Smith (1,815–1,852) wrote it.",
    "Smith (1815.5–1852) wrote it.",
    "The Emperor (1815–1852) ruled.",
    "World War II (1939–1945) was a war.",
    "IBM (1911–2020) was a company.",
    "NASA was born in 1958.",
    "The man who shot Lincoln died in 1865.",
    "ADA was born.",
    "Ada Lovelace was born.",
    "Ada Lovelace died.",
    "Born in London, he was a writer.",
    "born in London, Ada Lovelace was a writer.",
    "She was Born in London, Ada Lovelace was a writer.",
    "Ada Lovelace was born in 2500.",
    "Ada Lovelace was born in 0.",
    "Ada Lovelace was born on 1815-13-10.",
    "Ada Lovelace was born on 1815-02-30.",
    "",
    "(",
    "born",
    "died in 1852",
    "(1815–1852)",
    "Born on 10 December 1815 in London",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives(text):
    assert EX.extract(text) == []


# --------------------------------------------------------------------------------------------------------------
# Normalization

def test_nfc_entity_and_key():
    decomposed = "Fre\u0301de\u0301ric Chopin was born in 1810."
    composed = "Frédéric Chopin was born in 1810."
    a, b = EX.extract(decomposed), EX.extract(composed)
    assert [f.entity for f in a] == [f.entity for f in b] == ["Frédéric Chopin"]
    assert unicodedata.is_normalized("NFC", a[0].entity)
    assert a[0].entity_key == b[0].entity_key == "frédéric chopin"
    assert a[0].text == decomposed[: len("Fre\u0301de\u0301ric Chopin was born in 1810")]


def test_nfc_place():
    a = EX.extract("Ada Lovelace was born in Ko\u0308ln.")
    assert [f.value for f in a] == ["Köln"]
    assert unicodedata.is_normalized("NFC", a[0].value)


def test_whitespace_collapsed():
    facts = EX.extract("Ada \t Lovelace was born in New  York   City.")
    assert [(f.entity, f.value) for f in facts] == [(N, "New York City")]


def test_key_case_insensitive():
    a = EX.extract("ADA LOVELACE was born in LONDON.")
    b = EX.extract("Ada Lovelace was born in London.")
    assert a[0].entity == "ADA LOVELACE" and a[0].entity_key == b[0].entity_key == "ada lovelace"
    assert a[0].key == b[0].key == ("birth_place", "ada lovelace", "london")


def test_year_zero_padding():
    assert keys("Ada Lovelace (born 850 AD) was.") == expect(N, birth_year="0850")
    assert keys("Ada Lovelace (born AD 14) was.") == expect(N, birth_year="0014")


# --------------------------------------------------------------------------------------------------------------
# Spans, ordering, implied facts, multiple facts

def test_spans_and_implied_year():
    text = "Intro. Ada Lovelace was born on 10 December 1815 in London. She wrote."
    facts = EX.extract(text)
    assert [f.category for f in facts] == ["birth_date", "birth_year", "birth_place"]
    assert {(f.start, f.end, f.text) for f in facts} == {
        (7, 58, "Ada Lovelace was born on 10 December 1815 in London")
    }
    for f in facts:
        assert text[f.start : f.end] == f.text


def test_multiple_facts_in_text_order():
    text = (
        "Ada Lovelace (10 December 1815 – 27 November 1852) was a mathematician. "
        "Her father, Lord Byron, was a poet. Charles Babbage was born in London in 1791. "
        "He died in 1871. Mary Somerville died in Naples on 29 November 1872."
    )
    facts = EX.extract(text)
    assert [(f.category, f.entity, f.value) for f in facts] == [
        ("birth_date", N, "1815-12-10"),
        ("birth_year", N, "1815"),
        ("death_date", N, "1852-11-27"),
        ("death_year", N, "1852"),
        ("birth_place", "Charles Babbage", "London"),
        ("birth_year", "Charles Babbage", "1791"),
        ("death_place", "Mary Somerville", "Naples"),
        ("death_date", "Mary Somerville", "1872-11-29"),
        ("death_year", "Mary Somerville", "1872"),
    ]
    assert [f.start for f in facts] == sorted(f.start for f in facts)


def test_repeated_fact_reported_per_occurrence():
    text = "Ada Lovelace (1815–1852) wrote. Ada Lovelace was born in 1815."
    facts = [f for f in EX.extract(text) if f.category == "birth_year"]
    assert len(facts) == 2 and facts[0].start < facts[1].start and facts[0].key == facts[1].key


def test_born_and_died_in_one_sentence_consumed_once():
    facts = EX.extract("Ada Lovelace was born in London in 1815 and died in Marylebone in 1852.")
    assert sorted(f.category for f in facts) == sorted(
        ["birth_place", "birth_year", "death_place", "death_year"]
    )


# --------------------------------------------------------------------------------------------------------------
# API

def test_registry():
    assert set(CATEGORIES) == {"birth_date", "birth_year", "death_date", "death_year", "birth_place", "death_place"}
    for c in CATEGORIES.values():
        assert isinstance(c, Category) and c.value_kind in ("date", "year", "place") and c.answer_space > 0
        assert str(c.answer_space) in c.description
        if c.implies:
            assert CATEGORIES[c.implies].value_kind == "year"
    assert CATEGORIES["birth_date"].answer_space == 364 and CATEGORIES["birth_date"].implies == "birth_year"
    assert CATEGORIES["death_date"].implies == "death_year"


def test_category_selection():
    text = "Ada Lovelace was born on 10 December 1815 in London."
    assert keys(text, Extractor(["birth_year"])) == {("birth_year", N, "1815")}
    assert keys(text, Extractor(["birth_date"])) == {("birth_date", N, "1815-12-10")}
    assert keys(text, Extractor(["death_year"])) == set()
    ex = Extractor(["birth_place", "birth_year"])
    assert ex.categories == ("birth_year", "birth_place")
    assert Extractor().categories == tuple(CATEGORIES)


def test_unknown_category_and_language():
    with pytest.raises(FloorError, match="known: birth_date, birth_year"):
        Extractor(["shoe_size"])
    with pytest.raises(FloorError, match="no chosen pack reads 'xx'; the packs read de, en, es, fr"):
        Extractor(languages="xx")


def test_fact_is_frozen():
    f = EX.extract("Ada Lovelace died in 1852.")[0]
    assert isinstance(f, Fact)
    with pytest.raises(AttributeError):
        f.value = "x"  # type: ignore[misc]


def test_keywords_are_data():
    assert set(Extractor(languages="en").keywords) == {"born", "Born", "died", "(", "Born:", "Died:", "Birthplace:", "passed away",
                                "of birth:", "of Birth:", "of death:", "of Death:", "dies", "Births", "Deaths", "b.",
                                "birth", "death", "Birth", "Death", "Died", "assassinated", "murdered", "killed",
                                "hanged", "beheaded", "guillotined", "burned", "went home to be with the Lord",
                                "went to be with the Lord", "entered into rest", "entered into eternal rest",
                                "entered eternal rest", "passed from this life"}


# --------------------------------------------------------------------------------------------------------------
# Date grammar directly

ENGLISH = builtin_pack("biography-en").phrasing
GRAMMAR = DateGrammar(ENGLISH.months, ENGLISH.dates)


@pytest.mark.parametrize(
    "text,value",
    [
        ("10 December 1815", "1815-12-10"),
        ("1815-12-10", "1815-12-10"),
        ("May 1815", "1815"),
        ("427 B.C.", "-0427"),
        ("427 BCE", "-0427"),
        ("14 CE", "0014"),
        ("A.D. 14", "0014"),
        ("29 Feb 1600", "1600-02-29"),
        ("29 Feb 1700", None),
        ("c. 1815", None),
        ("1815?", None),
        ("12", None),
        ("0815", None),
        ("2101", None),
    ],
)
def test_date_grammar(text, value):
    w = GRAMMAR.parse(text)
    got = None if w is None else (w.date_value if w.is_date else w.year_value)
    assert got == value


@pytest.mark.parametrize("month", ["Apr\u0130l", "Apr\u0131l", "APR\u0130L", "\u017fep", "\u017fept."])
def test_month_case_variants_that_casefold_does_not_map_back(month):
    """The month pattern matches in any case the regex engine knows, including the dotted capital I and the
    dotless i (whose casefold is not "i"): the month is the one the pattern matched."""
    w = GRAMMAR.parse(f"10 {month} 1815")
    assert w.date_value == ("1815-04-10" if month.lower().startswith("apr") else "1815-09-10")
    assert [f.key for f in EX.extract(f"Ada was born 10 {month} 1815.")][0] == \
        ("birth_date", "ada", w.date_value)


# --------------------------------------------------------------------------------------------------------------
# Fuzzing

_FRAGMENTS = [
    "Ada", "Lovelace", "van", "of", "the", "The", "He", "was", "born", "Born", "died", "in", "on", "and", "(", ")",
    "b.", "d.", "c.", "–", "-", "--", ",", ";", ".", "\n", "\n\n", "London", "Paris, France", "10", "December",
    "Dec.", "1815", "1852", "427", "BC", "AD", "1815-12-10", "31 February 1900", "May", "or", "?", "O’Connor",
    "Jean-Luc", "J.", "Fre\u0301de\u0301ric", "É", "\u0301", "'", "ibn", "al-", "St.", "1815–1852",
]


def _check(text: str) -> None:
    for f in EX.extract(text):
        assert text[f.start : f.end] == f.text
        assert f.category in CATEGORIES
        assert f.entity and f.entity == unicodedata.normalize("NFC", f.entity)
        assert f.entity == " ".join(f.entity.split())
        assert f.entity_key == f.entity.casefold()
        kind = CATEGORIES[f.category].value_kind
        if kind == "place":
            assert f.value and f.value == unicodedata.normalize("NFC", f.value) == " ".join(f.value.split())
            assert "," not in f.value
        else:
            w = parse_normal(f.value)
            assert w is not None
            assert (w.date_value if kind == "date" else w.year_value) == f.value
            assert w.is_date == (kind == "date")
            assert re.fullmatch(r"-?\d{4}(-\d{2}-\d{2})?", f.value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_fuzz_arbitrary_text(text):
    _check(text)


_SUBSET = Extractor(["birth_year", "death_place"])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40), st.lists(st.sampled_from([" ", "", "  "]), max_size=40))
def test_fuzz_fragments(frags, seps):
    text = "".join(f + (seps[i] if i < len(seps) else " ") for i, f in enumerate(frags))
    _check(text)
    full = [f for f in EX.extract(text) if f.category in _SUBSET.categories]
    assert _SUBSET.extract(text) == full
