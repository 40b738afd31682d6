"""Labelled cases for the forms of reference, memorial and genealogy pages: titles before a name, ``Birth:`` /
``Death:`` key-value lines, ``b.``/``d.`` abbreviations outside parentheses, encyclopedia parentheses after a comma,
labelled headings. Each case lists every fact expected (category, entity, value), so a missing fact and a spurious
one both fail."""

from __future__ import annotations

import pytest

from floor.extract import Extractor

from .test_extract_value_forms import born, died, facts
from .test_prefilter import BACKENDS, assert_covers

EX = Extractor()


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
        ("Professor Emeritus Tobias Quenby died on March 14, 2021, in Palo Alto, California.",
         died("Tobias Quenby", "2021-03-14") | {("death_place", "Tobias Quenby", "Palo Alto")}),
        # a relative's name after a relation noun, a title before it
        ("Marla was the third daughter of the Rev. Tobias Quenby (1777–1861), curate of Haworth.",
         lifespan("Tobias Quenby", "1777", "1861")),
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


# -- a nickname or a birth name inside a name ----------------------------------------------------------------------
# Obituaries and encyclopedias write a nickname in quotes or a birth name in brackets between the given names and
# the surname: part of how the text names the person, no part of the name, so every form counts as one person.

@pytest.mark.parametrize(
    "text, expected",
    [
        ('Marla Ann "Peggy" Quenby was born on May 3, 1936, in Dayton.',
         born("Marla Ann Quenby", "1936-05-03") | {("birth_place", "Marla Ann Quenby", "Dayton")}),
        ("Marla Ann “Peggy” Quenby, 87, of Kettering, passed away on Sunday, Sept. 10, 2023.",
         died("Marla Ann Quenby", "2023-09-10")),
        ("Tobias „Toby“ Quenby died on 3 May 1977 in Hull.",
         died("Tobias Quenby", "1977-05-03") | {("death_place", "Tobias Quenby", "Hull")}),
        ("Marla Frances (Hagan) Quenby was born on 3 May 1921 in Cork.",
         born("Marla Frances Quenby", "1921-05-03") | {("birth_place", "Marla Frances Quenby", "Cork")}),
        ('Marla "Peggy" Quenby (1901–1977) was a chemist. Marla Quenby died in 1977.',
         lifespan("Marla Quenby", "1901", "1977")),
        ('Marla Ann "Peggy" Quenby\n\nShe was born in 1936 in Dayton.',
         {("birth_year", "Marla Ann Quenby", "1936"), ("birth_place", "Marla Ann Quenby", "Dayton")}),
        # a quoted word before the name is no part of it; a quoted phrase or a lowercase one is no nickname
        ('The band "Queen" Tobias Quenby was born on 5 September 1946 in Zanzibar.',
         born("Tobias Quenby", "1946-09-05") | {("birth_place", "Tobias Quenby", "Zanzibar")}),
        ('Marla "the Hammer" Quenby was born in 1936 in Dayton.',
         {("birth_year", "Quenby", "1936"), ("birth_place", "Quenby", "Dayton")}),
    ],
)
def test_a_nickname_or_birth_name_inside_a_name_is_no_part_of_it(text, expected):
    assert facts(text) == expected


# -- an obituary's words for a death --------------------------------------------------------------------------------

EUPHEMISMS = [
    ("Marla Quenby, 88, of Kettering, went home to be with the Lord on Saturday, January 7, 2023.",
     died("Marla Quenby", "2023-01-07")),
    ("Tobias Quenby entered into rest August 22, 2023, in Dayton.",
     died("Tobias Quenby", "2023-08-22") | {("death_place", "Tobias Quenby", "Dayton")}),
    ("Marla Quenby entered into eternal rest on March 1, 2023.", died("Marla Quenby", "2023-03-01")),
    ("Marla Quenby passed from this life on Wednesday, March 1, 2023 at her home in Xenia.",
     died("Marla Quenby", "2023-03-01") | {("death_place", "Marla Quenby", "Xenia")}),
    # no person, no date after the words, or words that may mean something else
    ("The team went home to be with the Lord after the game.", set()),
    ("Tobias Quenby was called home on March 1, 2023.", set()),
]


@pytest.mark.parametrize("text, expected", EUPHEMISMS)
def test_an_obituarys_words_for_a_death(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_prefilter_keeps_an_obituarys_words_for_a_death(backend):
    for text, _ in EUPHEMISMS:
        assert_covers(text, backend)


def test_a_title_in_a_page_title_is_dropped():
    assert facts("She was born in 1901 in Leeds.", title="Dr. Marla Quenby") == {
        ("birth_year", "Marla Quenby", "1901"), ("birth_place", "Marla Quenby", "Leeds")}


# -- "Birth:" / "Death:" key-value lines of memorial and genealogy pages -----------------------------------------

MEMORIAL = ("Find a memorial\n\nEdna Varlow\n"
            "Birth: 11 Jan 1903, Paducah, McCracken County, Kentucky, USA\n"
            "Death: 2 Sep 1988, Evansville, Vanderburgh County, Indiana, USA\n")


@pytest.mark.parametrize(
    "text, expected",
    [
        (MEMORIAL, born("Edna Varlow", "1903-01-11") | died("Edna Varlow", "1988-09-02")
         | {("birth_place", "Edna Varlow", "Paducah"), ("death_place", "Edna Varlow", "Evansville")}),
        ("Edna Varlow\nBirth date: 11 Jan 1903\nBirth place: Paducah\nDeath Date: 2 Sep 1988\n"
         "Death Place: Evansville, Indiana\n",
         born("Edna Varlow", "1903-01-11") | died("Edna Varlow", "1988-09-02")
         | {("birth_place", "Edna Varlow", "Paducah"), ("death_place", "Edna Varlow", "Evansville")}),
        ("Edna Varlow\n* Birth: 1903\n* Death: 1988 (aged 85)\n", lifespan("Edna Varlow", "1903", "1988")),
        ("Edna Varlow\nBirth: Paducah, Kentucky\n", {("birth_place", "Edna Varlow", "Paducah")}),
        ("Edna Varlow\nDate of death: 2 Sep 1988\n", died("Edna Varlow", "1988-09-02")),
    ],
)
def test_birth_and_death_lines_of_a_memorial_page_are_its_subjects(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Birth: 11 Jan 1903, Paducah\nDeath: 1988",  # no subject on the page
        "Find a memorial\n\nEdna Varlow\nOrrin Varlow\nBirth: 1903\n",  # two names: no single subject
        "Edna Varlow\nBirth: 1903 to a family of printers\n",  # the value does not fill the line
        "Edna Varlow\nDeath: unknown\n",
        "Edna Varlow\nThe Death: 1988 edition\n",  # not a line's key
        "Edna Varlow\nDeath Penalty: abolished 1965\n",
        "Edna Varlow\nBirth date: 1903–1905\n",  # a range
    ],
)
def test_birth_and_death_lines_that_give_nothing(text):
    assert facts(text) == set()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_prefilter_keeps_birth_and_death_lines(backend):
    for text in (MEMORIAL, "Edna Varlow\nBirth\tdate:\t11 Jan 1903\nDeath\u00a0place: Evansville\n",
                 "Edna Varlow\nBirth place:Paducah\nDeath:\t1988\n"):
        assert_covers(text, backend)


# -- a genealogy's abbreviations outside parentheses ---------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hester Pellow, b. 1790, Wiltshire; d. 1861.",
         lifespan("Hester Pellow", "1790", "1861") | {("birth_place", "Hester Pellow", "Wiltshire")}),
        ("Amos Pellow, b. 1822; d. 1899, Bath.",
         lifespan("Amos Pellow", "1822", "1899") | {("death_place", "Amos Pellow", "Bath")}),
        ("1. Hester Pellow, b. 1825.\n2. Amos Pellow, b. 12 Mar 1827, Frome, Somerset\n",
         {("birth_year", "Hester Pellow", "1825"), ("birth_place", "Amos Pellow", "Frome")}
         | born("Amos Pellow", "1827-03-12")),
        ("Tobias Quenby, a weaver, b. 1822, d. 1899.", lifespan("Tobias Quenby", "1822", "1899")),
        ("Hester Pellow, b. in Wiltshire.", {("birth_place", "Hester Pellow", "Wiltshire")}),
        ("Hester Pellow (b. 1790, d. 1861) was a weaver.", lifespan("Hester Pellow", "1790", "1861")),
        # approximate: nothing
        ("Hester Pellow, b. c. 1790; d. 1861.", {("death_year", "Hester Pellow", "1861")}),
        # a list's next name is no place: the statement must end its sentence
        ("Hester Pellow, b. 1790, Amos Pellow, b. 1792.", {("birth_year", "Amos Pellow", "1792")}),
        ("Hester Pellow, b. 1790, was a weaver.", set()),
        # letters of a list, volumes and pages
        ("Options: a. 1990, b. 2000.", set()),
        ("See Vol. 2, b. 3, pp. 12, d. 4.", set()),
        ("The answers: a. Leeds, b. York.", set()),
        ("Hester Pellow, b. abt 1790, Wiltshire, d. 1861.", set()),
    ],
)
def test_abbreviations_outside_parentheses(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_prefilter_keeps_abbreviated_statements(backend):
    for text in ("Hester Pellow, b.\\u00a01790", "Hester Pellow,\\tb.\\n1790, Wiltshire; d. 1861.",
                 "Hester Pellow, b.\\u2003Mar 1790."):
        assert_covers(text.encode().decode("unicode_escape"), backend)


# -- an encyclopedia's parenthesis after a comma, with month-year dates and bracketed notes -----------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kwesi Mantey, (born September 1909, Nkroful, Gold Coast [now Ghana]—died April 27, 1972, Bucharest, "
         "Romania), Ghanaian leader.",
         {("birth_year", "Kwesi Mantey", "1909"), ("birth_place", "Kwesi Mantey", "Nkroful"),
          ("death_place", "Kwesi Mantey", "Bucharest")} | died("Kwesi Mantey", "1972-04-27")),
        ("Kwesi Mantey (born September 21, 1909, Nkroful, Gold Coast [now Ghana]—died April 27, 1972, Bucharest), "
         "Ghanaian leader.",
         born("Kwesi Mantey", "1909-09-21") | died("Kwesi Mantey", "1972-04-27")
         | {("birth_place", "Kwesi Mantey", "Nkroful"), ("death_place", "Kwesi Mantey", "Bucharest")}),
        ("Kwesi Mantey, (died April 27, 1972, Bucharest [then in Romania]), Ghanaian leader.",
         died("Kwesi Mantey", "1972-04-27") | {("death_place", "Kwesi Mantey", "Bucharest")}),
        # not a person's
        ("He joined the party, (born 1909) as it was.", set()),
        # an approximate date gives nothing, its place still does
        ("Kwesi Mantey, (born c. 1909, Nkroful), Ghanaian leader.", {("birth_place", "Kwesi Mantey", "Nkroful")}),
    ],
)
def test_encyclopedia_parentheses(text, expected):
    assert facts(text) == expected


# -- labelled headings ---------------------------------------------------------------------------------------------

GRAZ = "\n\nShe was born in 1938 in Graz."


@pytest.mark.parametrize(
    "heading",
    ["In memoriam: Professor Hedda Lorn", "Obituary: Hedda Lorn, bandleader", "Remembering Hedda Lorn",
     "In Memoriam – Hedda Lorn", "A tribute to Hedda Lorn", "Obituary\n\nHedda Lorn", "Hedda Lorn, bandleader"],
)
def test_a_labelled_heading_names_the_documents_subject(heading):
    assert facts(heading + GRAZ) == {("birth_year", "Hedda Lorn", "1938"), ("birth_place", "Hedda Lorn", "Graz")}


def test_a_labelled_title_names_the_documents_subject():
    assert facts(GRAZ.strip(), title="Obituary: Hedda Lorn") == {
        ("birth_year", "Hedda Lorn", "1938"), ("birth_place", "Hedda Lorn", "Graz")}


@pytest.mark.parametrize(
    "heading",
    ["Review: The Long Field", "Interview: Hedda Lorn and Olav Brisk", "Remembering the Flood", "Obituary",
     "Obituary\nHedda Lorn\nOlav Brisk"],
)
def test_a_labelled_heading_without_a_single_person(heading):
    assert facts(heading + GRAZ) == set()


# -- an infobox copied as text --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Born\tHedda Lorn\n12 October 1932\nSzeged, Hungary\nDied\t3 May 2011 (aged 78)\nBudapest, Hungary\n",
         born("Hedda Lorn", "1932-10-12") | died("Hedda Lorn", "2011-05-03")
         | {("birth_place", "Hedda Lorn", "Szeged"), ("death_place", "Hedda Lorn", "Budapest")}),
        # under the page's heading, the name after Born is a birth name
        ("Hedda Lorn\n\nHungarian singer\nBorn\tHedda Maria Lorn\n12 October 1932 (1932-10-12)\nSzeged, Hungary\n"
         "Died\t3 May 2011 (aged 78)\nBudapest, Hungary\nOccupation\tSinger\n",
         born("Hedda Lorn", "1932-10-12") | died("Hedda Lorn", "2011-05-03")
         | {("birth_place", "Hedda Lorn", "Szeged"), ("death_place", "Hedda Lorn", "Budapest")}),
        # no place line: the next key is no place
        ("Hedda Lorn\nBorn\t12 October 1932\nDied\t3 May 2011\nNationality\tHungarian",
         born("Hedda Lorn", "1932-10-12") | died("Hedda Lorn", "2011-05-03")),
        # a table of several people, an alternative year, no subject
        ("Name\tBorn\tDied\nHedda Lorn\t1932\t2011\nOlav Brisk\t1930\t2001", set()),
        ("Hedda Lorn\nBorn\t1932 or 1933\nSzeged", set()),
        ("Staff list\n\nBorn\t1932\nDied\t2011", set()),
    ],
)
def test_an_infobox_copied_as_text(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_prefilter_keeps_an_infobox(backend):
    assert_covers("Born\tHedda Lorn\n12 October 1932\nSzeged\nDied\t3 May 2011\nBudapest\n", backend)
