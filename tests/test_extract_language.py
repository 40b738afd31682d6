"""The document-language gate (floor.extract.language): text in another language gives the English pack no facts;
English text, however many foreign names it holds, and text too short to tell keep theirs."""

import pytest

from floor.extract import Extractor
from floor.extract.language import WINDOW, LanguageGate

EX = Extractor(languages="en")


def keys(text: str) -> list[tuple[str, str, str]]:
    return [f.key for f in EX.extract(text)]


LIFESPAN = [("birth_year", "jean dupont", "1902"), ("death_year", "jean dupont", "1970")]


@pytest.mark.parametrize(
    "text",
    [
        "Jean Dupont (1902–1970) était un poète français.",
        "Jean Dupont (1902–1970) fue un poeta español nacido en Madrid.",
        "Jean Dupont (1902–1970) war ein deutscher Dichter und Übersetzer.",
        "Jean Dupont (1902–1970) è stato un poeta italiano.",
        "Jean Dupont (1902–1970) foi um poeta português.",
        "Jean Dupont (1902–1970) was een Nederlandse dichter.",
    ],
    ids=["fr", "es", "de", "it", "pt", "nl"],
)
def test_a_biography_in_another_language_gives_nothing(text):
    assert keys(text) == []


def test_a_longer_foreign_document_gives_nothing():
    text = ("Jean Dupont\nPoète français (1902–1970)\n\nJean Dupont, né le 3 mars 1902 à Lyon et mort le 9 mai 1970 "
            "à Paris, est un poète et traducteur français. Il a publié une vingtaine de recueils.")
    assert keys(text) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Jean Dupont (1902–1970) was a French poet.", LIFESPAN),
        # names and places of another language or script are no evidence of the language around them
        ("Ζωή Παππά died in 1852.", [("death_year", "ζωή παππά", "1852")]),
        ("Иван Петров died in 1852.", [("death_year", "иван петров", "1852")]),
        ("Łukasz Żółć was born in 1902.", [("birth_year", "łukasz żółć", "1902")]),
        ("José María Aznar López was born on 25 February 1953 in Madrid.",
         [("birth_date", "josé maría aznar lópez", "1953-02-25"), ("birth_place", "josé maría aznar lópez", "madrid"),
          ("birth_year", "josé maría aznar lópez", "1953")]),
        # an English summary full of foreign names, places and titles
        ("Abd al-Rahman ibn Muawiya ibn Hisham (731–788), known as al-Dakhil, founded the Emirate of Córdoba. "
         "Born in Dayr Hafir near al-Raqqa, he fled to al-Andalus via Ifriqiya; the Mezquita de Córdoba and the "
         "Alcázar de los Reyes Cristianos stand where his palace stood.",
         [("birth_year", "abd al-rahman ibn muawiya ibn hisham", "0731"),
          ("death_year", "abd al-rahman ibn muawiya ibn hisham", "0788")]),
        # an English document quoting another language
        ("Jean Dupont (1902–1970) was a French poet whose motto, « la poésie est un art de vivre », is carved on "
         "his grave.", LIFESPAN),
        # too short to tell: the facts stay
        ("Jane Doe (1902–1970)", [("birth_year", "jane doe", "1902"), ("death_year", "jane doe", "1970")]),
    ],
)
def test_english_text_keeps_its_facts(text, expected):
    assert sorted(keys(text)) == sorted(expected)


def test_only_the_opening_is_read():
    """A document's language is that of its opening: a French quotation past the window changes nothing."""
    english = "Jean Dupont (1902–1970) was a French poet. " + "He wrote of the sea and the war. " * 70
    assert len(english) > WINDOW
    french = " Il a publié une vingtaine de recueils et il est mort à Paris." * 100
    assert keys(english + french) == LIFESPAN


def test_screen_and_identifier():
    gate = LanguageGate("en", ("the", "of", "and", "was"))
    # enough common words: English, whatever else the text holds
    assert gate.keeps("était un poète the of and was")
    # otherwise the identifier decides, on the text without its capitalized words
    assert not gate.keeps("Jean Dupont (1902–1970) était un poète français.")
    assert gate.keeps("Jane Doe (1902–1970)")
    assert gate.odds_against("(1902–1970) était un poète français.") > 1000
    assert gate.odds_against("died in 1852.") == 1.0


def test_a_language_the_identifier_does_not_know_keeps_everything():
    gate = LanguageGate("xx", ())
    assert gate.odds_against("(1902–1970) était un poète français.") == 0.0
    assert gate.keeps("Jean Dupont (1902–1970) était un poète français.")


def test_an_opening_without_english_words_is_judged_strictly_only_with_another_languages_words():
    """No English common word in 6+ words: with a word of a language floor has a pack for, the identifier must
    find English the likeliest; an English list or legal note keeps the lenient test."""
    spanish = "Carlos III, rey de España (1759-1788), impulsó numerosas reformas ilustradas en Madrid."
    assert keys(spanish) == []
    notice = ("Files: *\nCopyright: 1997-2000 Roland Rosenfeld\n           2000-2014 Marc Haber\nLicense: GPL-2+\n"
              " Jean Dupont (1902–1970) wrote parts.")
    assert keys(notice) == LIFESPAN


def test_a_short_opening_is_judged_with_its_capitalized_words_too():
    """Too few words besides the capitalized ones to tell (a reference work's entry of abbreviations and nouns):
    those are judged too -- German capitalizes its nouns -- while a short English entry about a foreign name,
    whose capitalized words are names, keeps its facts."""
    german = ("Humboldt, Alexander Freiherr von, Naturforscher, * 14.9.1769 Berlin, † 6.5.1859 Berlin. (lutherisch)\n"
              "Genealogie\nV Alexander Georg (1720–79), Kammerherr, Major; M Maria Elisabeth Colomb (1741–96), "
              "verw. v. Hollwede; B Wilhelm (1767–1835), Gelehrter, Staatsmann; – ledig.")
    assert keys(german) == []
    for english, entity in [("Hans Müller\nGerman painter (1902–1970)", "hans müller"),
                            ("José María García Fernández\nSpanish footballer (1950–2010)",
                             "josé maría garcía fernández"),
                            ("Friedrich Wilhelm von Steuben (1730–1794), Prussian officer.",
                             "friedrich wilhelm von steuben")]:
        assert {entity} == {e for _, e, _ in keys(english)}, english
