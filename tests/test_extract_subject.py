"""Document-subject attribution (floor/extract/subject.py) and the precision traps around it: each rule with
cases that must yield a fact for the right person and cases that must yield nothing."""

from __future__ import annotations

import pytest

from floor.extract import Extractor

EX = Extractor(["birth_year", "death_year", "birth_place", "death_place"])


def years(text: str, title: str | None = None) -> list[tuple[str, str, str, str]]:
    return [(f.category, f.entity, f.value, f.subject) for f in EX.extract(text, title=title)
            if f.category.endswith("_year")]


def lifespan(entity: str, birth: str, death: str, how: str) -> list[tuple[str, str, str, str]]:
    return [("birth_year", entity, birth, how), ("death_year", entity, death, how)]


# -- the heading line and its description ------------------------------------------------------------------------

@pytest.mark.parametrize("text, entity, birth, death", [
    ("Mirela Vasquez\nChilean sculptor and printmaker (1911–1987)\n\nMirela Vasquez was a sculptor.",
     "Mirela Vasquez", "1911", "1987"),
    # a name inside the description is not the subject because it stands before the parenthesis
    ("Rafael Osorio\nExplorer of the Gran Chaco (1801–1866)\n\nRafael Osorio was an explorer.",
     "Rafael Osorio", "1801", "1866"),
    ("Rafael Osorio\nGovernor of Santa Fe and Corrientes (1801–1866)", "Rafael Osorio", "1801", "1866"),
    # a trailing qualifier is dropped; an honorific may precede the name
    ("Tomas Berg (painter)\nSwedish painter (1890 - 1950)", "Tomas Berg", "1890", "1950"),
    ("Dr. Ana Lindo\nPeruvian physician (1850–1921)", "Ana Lindo", "1850", "1921"),
    ("Hugh Calder, 2nd Baron Calder\nScottish judge (1802–1880)", "Hugh Calder, 2nd Baron Calder", "1802", "1880"),
    ("Ptolemy Soter\nMacedonian general (367–282 BC)", "Ptolemy Soter", "-0367", "-0282"),
])
def test_a_description_line_under_a_heading_gives_the_headings_lifespan(text, entity, birth, death):
    assert years(text) == lifespan(entity, birth, death, "heading")


def test_born_and_died_parentheticals_on_a_description_line():
    assert years("Ana Lindo\nPeruvian physician (born 1950)") == [("birth_year", "Ana Lindo", "1950", "heading")]
    assert years("Ana Lindo\nPeruvian physician (died 1921)") == [("death_year", "Ana Lindo", "1921", "heading")]


@pytest.mark.parametrize("text", [
    # the first line is not a name: a sentence, a web page's chrome, a thing
    "The archive of the society\nletters and papers (1911–1987)",
    "Home\nOur founder (1911–1987)",
    "Harbour Lights\nAmerican folk band (1961–1990)",
    "Tang Empire\nChinese imperial dynasty (618–907)",
    "Queen Adela\nOcean liner of the Baltic line (1936–1967)",
    # several spans in one description are terms or periods, not a lifespan
    "Matilda Brandt\nCountess of Flanders (1120–1150); Duchess of Lorraine (1150–1172)",
    "Matilda Brandt\nCountess of Flanders (1120–1150) and of Lorraine (1137–1204)",
    # a relative's name before the span: the subject's dates by convention, the relative's by grammar
    "Ines Calder\nIrish poet, daughter of Hugh Calder (1870–1940)",
    # approximate, alternative and floruit dates
    "Adriaen Kool\nDutch painter (fl. 1620–1650)",
    "Adriaen Kool\nDutch painter (c. 1620 – c. 1680)",
    "Adriaen Kool\nDutch painter (1620/21–1680/81)",
    "Adriaen Kool\nDutch painter (r. 1620–1680)",
])
def test_headings_and_descriptions_that_give_nothing(text):
    assert years(text) == []


def test_the_exact_end_of_a_half_approximate_span_is_kept():
    assert years("Adriaen Kool\nDutch painter (c. 1620–1680)") == [("death_year", "Adriaen Kool", "1680", "heading")]


# -- dictionary entries ------------------------------------------------------------------------------------------

def test_a_surname_first_headword_is_the_subject_of_its_sense():
    text = ("Okafor, Ngozi\n  n 1: Nigerian novelist remembered for her stories of the Niger Delta (1931-1999)"
            " [syn: Ngozi Okafor]")
    assert years(text) == lifespan("Ngozi Okafor", "1931", "1999", "heading")


def test_a_sense_opening_with_a_fuller_name_of_the_headword_gives_that_name():
    text = "Lindqvist \\Lind\"qvist\\ prop. n.\n   Astrid Lindqvist, a Swedish botanist (1820-1889).\n\n   Syn: x"
    assert years(text) == lifespan("Astrid Lindqvist", "1820", "1889", "lead")
    assert years("Lindqvist \\Lindqvist\\ n.\n   A Swedish botanist (1820-1889).\n") == \
        lifespan("Lindqvist", "1820", "1889", "heading")


def test_a_revision_stamp_closing_an_entry_is_not_a_fact():
    assert years("Okafor, Ngozi\n  n 1: Nigerian novelist [syn: Ngozi Okafor]\n  (2007-05-21)") == []


def test_a_sentence_opening_with_a_name_and_a_description_gives_that_name():
    text = "Notes.\n\nMarta Ruiz, a Catalan weaver who revived the looms of her valley (1888–1961), taught many."
    assert years(text) == lifespan("Marta Ruiz", "1888", "1961", "lead")
    # ... but not past the appositive, nor for a thing
    assert years("Notes.\n\nMarta Ruiz, known as Tia, was head of the guild (1920–1961).") == []
    assert years("Notes.\n\nZhu Wen, founder of the Later Liang dynasty (907–923), died.") == []


# -- lifespans about someone else stay theirs ---------------------------------------------------------------------

def test_a_relatives_lifespan_in_the_text_stays_the_relatives():
    text = "Ines Calder\nIrish poet (1902–1970)\n\nShe was the daughter of Hugh Calder (1870–1940), a judge."
    assert years(text) == lifespan("Ines Calder", "1902", "1970", "heading") + \
        lifespan("Hugh Calder", "1870", "1940", "local")


# -- pronouns and definite descriptions --------------------------------------------------------------------------

def facts(text: str, title: str | None = None) -> list[tuple[str, str, str, str]]:
    return [(f.category, f.entity, f.value, f.subject) for f in EX.extract(text, title=title)]


def test_pronouns_and_definite_descriptions_refer_to_the_single_subject():
    text = ("Mirela Vasquez\nChilean sculptor (1911–1987)\n\nShe was born in Valparaíso on 3 March 1911. "
            "The sculptor died in Santiago in 1987.")
    assert facts(text) == lifespan("Mirela Vasquez", "1911", "1987", "heading") + [
        ("birth_place", "Mirela Vasquez", "Valparaíso", "heading"),
        ("birth_year", "Mirela Vasquez", "1911", "heading"),
        ("death_place", "Mirela Vasquez", "Santiago", "heading"),
        ("death_year", "Mirela Vasquez", "1987", "heading"),
    ]


def test_the_lead_sentence_gives_the_subject_without_a_heading():
    text = "Kofi Mensah (born 1950) is a Ghanaian economist. He was born in Kumasi on 12 June 1950."
    assert facts(text) == [("birth_year", "Kofi Mensah", "1950", "local"),
                           ("birth_place", "Kofi Mensah", "Kumasi", "lead"),
                           ("birth_year", "Kofi Mensah", "1950", "lead")]


def test_the_title_field_gives_the_subject():
    text = "Ghanaian economist (1920–1990)\n\nHe was born in Kumasi on 12 June 1920."
    assert facts(text, title="Kofi Mensah (economist)") == lifespan("Kofi Mensah", "1920", "1990", "title") + [
        ("birth_place", "Kofi Mensah", "Kumasi", "title"), ("birth_year", "Kofi Mensah", "1920", "title")]
    assert facts(text, title="Ghana Railway") == []


@pytest.mark.parametrize("text", [
    # no subject at all
    "Notes from the archive.\nShe was born in Oslo on 1 May 1950.",
    "Biography\n\nShe was born in Oslo on 1 May 1950.",
    # a dictionary entry with several senses has no single subject
    "Berg \\Berg\\ n.\n   1. Alban Berg, a composer.\n\n   2. Tomas Berg, a painter.\n\n   He was born in Oslo on 1 May 1950.",
    # another person was the subject of a statement
    "Kofi Mensah is a Ghanaian economist. Ama Owusu was born in Accra in 1951. She died in Accra on 2 May 2001.",
    # a pronoun's statement that contradicts the subject's own is about someone else
    "Kofi Mensah (born 1950) is a Ghanaian economist. He was born in Kumasi on 12 June 1890.",
    # a definite description whose noun does not fit the subject
    "Mirela Vasquez\nChilean sculptor (1911–1987)\n\nThe company was born in Valparaíso on 3 March 1950.",
])
def test_pronouns_without_a_single_subject_refer_to_nothing(text):
    assert [f for f in facts(text) if f[3] != "local" and f[2] not in ("1911", "1987", "1950")] == []


# -- terms, offices, works, things ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "He later served as Governor of Bahia (1840–1861) and retired.",
    "The office of President (1901–1929) was then created.",
    "During the reign of Rudolf III (1508–1547) the town grew.",
    "Louis the Pious (r. 814–840) was emperor.",
    "He fought in World War II (1939–1945).",
    "She taught at Los Angeles (1936–1944).",
    "He wrote Principles of Navigation (1830–33) in two parts.",
    "He shipped Microsoft Windows (1985–2001).",
    "Born in Anytown, USA, on 1 January 1980, Jane Roe grew up on a farm.",
    "Die Firma (1902–1970) war ein Unternehmen in Berlin.",
    "Der Verein (1902–1970) wurde aufgelöst.",
    # a lone name after a preposition is a place or a thing; so is a name after a noun of things and a preposition
    "The court moved to Versailles under the king of France (1643–1715) and stayed.",
    "He painted for the court of Spain (1650–1700) in Madrid.",
    "The treaty ended the war of Independence (1775–1783) between them.",
    # a tab-separated field's parenthetical is the field's (a marriage, a term)
    "Spouse\tJane Doe (1934–1982)\nChildren\t2",
    # given names in a list are relatives', no entity that tells who they are
    "Patrick Roe had three daughters: Charlotte (1816–1855), Emily (1818–1848) and Anne (1820–1849).",
    # spans that join end to start are a succession of terms
    "Mayors of the town: John Smith (1900–1920), Mary Jones (1920–1935), Peter Brown (1935–1950).",
    "Presidents\nPorfirio Díaz (1884–1911)\nFrancisco I. Madero (1911–1913)\n",
    # a place's period; a relative's birth, the relative unnamed
    "He lived in New York (1930–1950) before moving to Boston.",
    "Jane Doe, whose father, born in 1820 in Cork, was a sailor, wrote poems.",
    # a name that closes a place's components after a place preposition is the place's
    "He lived in Paris, Ile-de-France (1930–1950) before moving to Boston.",
    "1941 – Jane Roe, American soul singer, is born in Dawson, Georgia (d. 1967).",
    "The family settled in Cork, County Cork, Munster (1850–1870).",
])
def test_precision_traps_give_nothing(text):
    assert EX.extract(text) == []


@pytest.mark.parametrize("text, entity", [
    ("His teacher Rudolf Brandt (1808–1877) was a painter.", "Rudolf Brandt"),
    ("She met Prince Albert (1819–1861) in London.", "Prince Albert"),
    ("The king, Rudolf III (5 May 1508 – 1 June 1567), died young.", "Rudolf III"),
    ("The first catalogue lists a portrait of Lorenz Brandt (1636–1727), among others.", "Lorenz Brandt"),
    ("She was the daughter of Byron (1788–1824) and a poet.", "Byron"),
    ("John Keats (1795–1821) and Percy Shelley (1792–1822) met in London.", {"John Keats", "Percy Shelley"}),
    # one death year that is another's birth year is no succession
    ("Galileo Galilei (1564–1642) and Isaac Newton (1642–1727) changed physics.",
     {"Galileo Galilei", "Isaac Newton"}),
    # three lifespans chained by chance are no succession of terms (terms are short)
    ("Galileo Galilei (1564–1642) was born in the year Michelangelo Buonarroti (1475–1564) died, and died in the "
     "year Isaac Newton (1642–1727) was born.", {"Galileo Galilei", "Michelangelo Buonarroti", "Isaac Newton"}),
    # a lone name after a preposition other than "of" or "in" is a person's; so is a full name after "of"
    ("The book was influenced by Kant (1724–1804) and others.", "Kant"),
    ("She wrote letters to Goethe (1749–1832) for years.", "Goethe"),
    ("He studied the works of William Blake (1757–1827) closely.", "William Blake"),
    # names in a list without a relation noun are not given names; a field that is no relation keeps its value's
    ("The three composers: Beethoven (1770–1827), Mozart (1756–1791) and Haydn (1732–1809).",
     {"Beethoven", "Mozart", "Haydn"}),
    ("Cantata BWV 140\nComposer\tJohann Sebastian Bach (1685–1750)\nYear\t1731", "Johann Sebastian Bach"),
    ("\tJohn Keats (1795–1821) was an English poet of the second generation of Romantic poets.", "John Keats"),
    # a name after a place and a comma, the place not after a place preposition, or a year after one
    ("In London, Jane Doe (1902–1970) met the painter.", "Jane Doe"),
    ("The painter met, in 1930, Jane Doe (1902–1970).", "Jane Doe"),
])
def test_people_next_to_the_trap_words_keep_their_lifespans(text, entity):
    assert {f.entity for f in EX.extract(text)} == (entity if isinstance(entity, set) else {entity})


# -- dictionary senses: "Name, description, born N, died N" and a subjectless "Born N, died N." ---------------

@pytest.mark.parametrize("text, entity", [
    ("Marta Ruiz, a Catalan weaver, born 1888, died 1961.", "Marta Ruiz"),
    ("Marta Ruiz, weaver and dyer; born 1888,\n   died 1961.", "Marta Ruiz"),
    ("Catalan weaver Marta Ruiz; born 1888, died 1961.", "Marta Ruiz"),
])
def test_an_appositive_or_a_semicolon_before_born(text, entity):
    assert years(text) == lifespan(entity, "1888", "1961", "local")


@pytest.mark.parametrize("text, entity", [
    # a name in apposition to the subject, closed by a comma before the verb, is the subject's
    ("My grandmother, Marta Ruiz, was born in 1888 in Vic. She died in 1961.", "Marta Ruiz"),
    ("Her rival, Marta Ruiz, was born in 1888 and died in 1961.", "Marta Ruiz"),
    ("His uncle, Ruiz, was murdered in 1961. Ruiz had been born in 1888.", "Ruiz"),
    # an entry's headword, dates and description, then its verb
    ("RUIZ, MARTA (1888–1961), Catalan weaver, was born at Vic on 3 May 1888.", "Marta Ruiz"),
])
def test_a_name_in_apposition_before_the_verb(text, entity):
    assert {f.entity for f in EX.extract(text)} == {entity}


def test_a_name_after_of_before_the_verb_is_no_subject():
    assert EX.extract("The wife of Tomas Ruiz, died in 1961 in Vic.") == []


def test_a_subjectless_born_clause_in_a_description_is_the_subjects():
    text = "Ruiz \\Ruiz\\ n.\n   A Catalan weaver of the Pyrenees. Born 1888, died 1961.\n\n   Syn: Marta Ruiz"
    assert years(text) == lifespan("Ruiz", "1888", "1961", "heading")
    # outside a description block, or with a name after it, it is not
    assert years("Notes on weaving.\n\nBorn 1888, died 1961.") == []
    assert years("Ruiz\nA Catalan weaver.\n\nThe looms were old. Born 1888, died 1961.") == []


# -- the prefilter still finds every new form ------------------------------------------------------------------

NEW_FORMS = [
    "Mirela Vasquez\nChilean sculptor and printmaker (1911–1987)",
    "Ana Lindo\nPeruvian physician (born 1950)",
    "Okafor, Ngozi\n  n 1: Nigerian novelist (1931-1999) [syn: Ngozi Okafor]",
    "Mirela Vasquez\nChilean sculptor (1911–1987)\n\nShe was born in Valparaíso on 3 March 1911.",
    "Marta Ruiz, a Catalan weaver, born 1888, died 1961.",
    "Marta Ruiz;born 1888, died 1961.",
    "Ruiz \\Ruiz\\ n.\n   A Catalan weaver. Born 1888, died 1961.",
]


@pytest.mark.parametrize("backend", ["python", "hyperscan"])
@pytest.mark.parametrize("text", NEW_FORMS)
def test_the_prefilter_masks_keep_the_new_forms(text, backend):
    import json

    from floor.extract.prefilter import hyperscan_available

    if backend == "hyperscan" and not hyperscan_available():
        pytest.skip("hyperscan is not installed")
    pf = EX.prefilter(backend)
    expected = EX.extract(text)
    assert expected
    for raw in (json.dumps({"text": text}).encode(), json.dumps({"text": text}, ensure_ascii=False).encode()):
        assert EX.extract(text, pf.mask(raw)) == expected


# -- reference-work entries and web or Markdown headings ---------------------------------------------------------

@pytest.mark.parametrize("text, entity", [
    ("DOE, MARY JANE (1902–1970), poet, was the daughter of a printer.", "Mary Jane Doe"),
    ("Notes\n\nOkafor, Ngozi (1931–1999), Nigerian novelist.", "Ngozi Okafor"),
])
def test_a_surname_first_entry_gives_the_whole_name(text, entity):
    assert years(text) == lifespan(entity, text[text.index("(") + 1:][:4], text[text.index("–") + 1:][:4], "local")


def test_a_comma_before_a_name_in_running_text_is_not_an_inverted_name():
    assert {f.entity for f in EX.extract("London, Ada Lovelace (1815–1852) wrote.")} == {"Ada Lovelace"}
    assert "Jane Doe" not in {f.entity for f in EX.extract("He said: Doe, Jane (1902–1970).")}


@pytest.mark.parametrize("heading", ["# Jane Doe", "Jane Doe - Encyclopedia of Poets", "Jane Doe | Poetry Foundation"])
def test_markdown_and_web_page_headings(heading):
    assert facts(heading + "\nShe was born in Cork on 3 March 1902.") == [
        ("birth_place", "Jane Doe", "Cork", "heading"), ("birth_year", "Jane Doe", "1902", "heading")]


def test_a_born_clause_before_a_pronoun_is_the_subjects_and_its_place_is_whole():
    text = "Jane Doe\nIrish poet (1902–1970)\n\nBorn in Kinsale, County Cork, she wrote poems."
    assert facts(text)[-1] == ("birth_place", "Jane Doe", "Kinsale", "heading")
    text = "Jane Doe\nIrish poet (1902–1970)\n\nBorn in Kinsale, Cork into a family of printers, she wrote."
    assert facts(text)[-1] == ("birth_place", "Jane Doe", "Kinsale", "heading")
    assert facts("Born in Kinsale, Cork, she wrote poems.") == []


def test_the_subjects_lifespan_under_another_name_is_the_subjects():
    text = "Hafez\nPersian poet (1315–1390)\n\nKhwaja Shams-ud-Din Muhammad Hafez-e Shirazi (1315–1390), known as Hafez, wrote."
    assert {(f.entity, f.subject) for f in EX.extract(text)} == {("Hafez", "heading")}
    text = "Hafez\nPersian poet (1315–1390)\n\nHis teacher Attar Nishapuri (1145–1221) wrote."
    assert {f.entity for f in EX.extract(text)} == {"Hafez", "Attar Nishapuri"}


def test_a_first_paragraph_of_prose_is_not_a_description():
    text = "Jane Doe\nHer brother Tom Doe (born 1950) is a farmer."
    assert years(text) == [("birth_year", "Tom Doe", "1950", "local")]
    text = "Rudyard Kent\nEnglish author (1865-1936). He was born at Bombay."
    assert years(text) == lifespan("Rudyard Kent", "1865", "1936", "heading")


@pytest.mark.parametrize("heading", ["Antigonus I Gonatas", "Lao She", "Zheng He"])
def test_a_regnal_i_or_a_pronoun_like_word_after_a_headings_first_word(heading):
    assert years(heading + "\nChinese scholar (1371–1433)") == lifespan(heading, "1371", "1433", "heading")
    assert years("He Lao\nChinese scholar (1371–1433)") == []

