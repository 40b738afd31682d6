#!/usr/bin/env python3
"""Generate floor's synthetic biography corpus together with its exact ground truth.

    python scripts/make_sample.py --out data/sample --seed 0            # the shipped sample (byte for byte)
    python scripts/make_sample.py --out /tmp/heldout --heldout --docs 3000   # fresh text the tests never saw

What is written
---------------
``OUT/`` holds the corpus, split over three readers' formats (documents are ``{"id": str, "text": str}``):

* ``part-000.jsonl.zst`` -- JSON Lines, zstandard (level 15, single frame, content size recorded)
* ``part-001.jsonl.gz``  -- JSON Lines, gzip (level 9, ``mtime=0``, no file name in the header)
* ``part-002.parquet``   -- Parquet (pyarrow), string columns ``id`` and ``text``, two row groups

Beside it (outside the directory floor reads; ``--truth-prefix`` changes the stem, default ``OUT`` itself):

* ``OUT-truth.tsv``           -- the frequency-of-frequencies profile ``category<TAB>count<TAB>facts`` (floor's
  profile TSV format), categories in the order below, counts ascending
* ``OUT-truth-facts.tsv.gz``  -- every fact: ``category<TAB>entity<TAB>value<TAB>count``, for debugging mismatches
* ``OUT-truth.json``          -- per-category N, S, f1, f2, sr, the generator's own mention tally, and the
  conventions below

The truth is the generator's own bookkeeping of what it wrote; it never runs floor.

Ground-truth conventions
------------------------
* A fact is (entity, category, value); the entity is the person's full name exactly as written in the text
  (every mention spells it the same way).
* Facts are counted once per DOCUMENT that states them, however many statements in it do (about 6% of the
  documents state some person's facts twice, in two phrasings).
* A statement of a full date is also a statement of the year: ``X was born on 10 December 1815`` counts for
  ``birth_date=1815-12-10`` AND ``birth_year=1815``; ``X (1815–1852)`` counts for the two years only.
* Values: dates ``YYYY-MM-DD``; years ``YYYY`` zero-padded to four digits. A year BC is a minus sign and the BC
  number zero-padded to four digits: ``427 BC`` -> ``-0427`` (NOT astronomical numbering, where 427 BC would
  be -426). BC years are only ever stated at year level (no BC dates exist in the text).
* Places: the place name only. About a third of the people have their places written ``Place, Country``
  (e.g. ``Port Elvane, Norland``) in EVERY statement, the others always plain ``Place``; the fact value is
  ``Place`` without the country in both cases. Because the rendering is fixed per person, an extractor that
  keeps the ``, Country`` suffix produces exactly the same counts (and profile), just different value strings.
* Every person has exactly one value per category (no conflicting values), a birth date (or a BC birth year)
  and a birth place; some have a death date (or BC death year) and some of those a death place.
* Distinct people have distinct names under any reasonable normalization: names are unique after Unicode
  NFKD, dropping combining marks, case folding and dropping everything but letters and digits.
* Names have at least two capitalized words (first [middle] [van|de|von] last); they contain accents,
  hyphens (``Jean-Luc``) and apostrophes (``O'Connor``); the word before a name is never capitalized
  (names start a sentence or follow a comma or a lowercase word), and the word after a place or a name in a
  statement is never capitalized (except the name after ``Born on DATE in PLACE,``, which is never written
  with a country).

Statement phrasings (chosen at random per mention among those the person's facts allow)::

    X (born DATE)                     X was born on DATE               X died on DATE
    X (b. YEAR)                       X was born on DATE in PLACE      X died in PLACE on DATE
    X (DATE – DATE)                   X was born in PLACE on DATE      X, born YEAR, died YEAR
    X (YYYY–YYYY)  X (YYYY-YYYY)      X was born in PLACE in YEAR      Born on DATE in PLACE, X ...
    X (427 BC – 347 BC)

DATE is ``10 December 1815``, ``December 10, 1815``, ``1815-12-10``, ``10 Dec 1815`` or ``Dec. 10, 1815``;
YEAR is ``1815`` or ``427 BC``. The filler prose around the statements contains traps that a careful extractor
must not match (pronoun subjects, lowercase subjects of "died"/"born", years and ranges in parentheses after
non-names, page numbers and ranges, ISBNs, times, "born-again", "(UK)", "Nobody died in 1901").

``--heldout`` switches every lexical resource (name and place syllables, first names, countries, filler
sentences, statement continuations) to a second, disjoint bank and changes the mixing proportions and the
seed stream, so tests can check floor on text it was never tuned on.

AD years are 1050..2023 (always four digits); BC years are 30..780 BC. Names use Latin-1 letters and a few
from Latin Extended-A (``Łucja``, ``Jiří``, ``Zdeněk``), so an extractor must not limit capitals to A-Z.

Only the standard library plus zstandard and pyarrow (for two of the output formats) are used; all randomness
comes from :class:`random.Random` seeded with a string, whose stream Python keeps stable across versions. The
text is therefore the same everywhere; the compressed bytes of the .zst and .parquet files also depend on the
zstandard and pyarrow versions, which ``OUT-truth.json`` records (the shipped sample: see that file).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gzip
import io
import json
import os
import random
import string
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ("birth_date", "birth_year", "death_date", "death_year", "birth_place", "death_place")
BD, BY, DD, DY, BP, DP = CATEGORIES

CORPUS_FILES = ("part-000.jsonl.zst", "part-001.jsonl.gz", "part-002.parquet")
FILE_SHARES = (0.40, 0.35)  # the parquet file takes the rest
DEFAULT_DOCS = 30000

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_STYLES = ("dmy", "mdy", "iso", "dmy_abbr", "mdy_abbr")

# Words a generated name or place word must never be: the grammar of the statements, and English function
# words, pronouns, titles and weekdays that an extractor may rightly refuse as (part of) a name.
RESERVED = {w.casefold() for w in MONTHS + MONTH_ABBR} | set("""
    born died bc ad bce ce uk us isbn see pp page van de von saint st port new old nobody somebody anybody
    everybody someone anyone everyone none he she it they we you i me him her his hers its our ours their theirs
    them us your yours who whom whose which what this that these those there here then than when where while
    why how after before during since until upon into onto over under above below about among between against
    through without within the a an in on of and or but nor not no yes so as at by for from to with was were is
    are be been being has had have do does did will would shall should can could may might must also only
    just even still very mr mrs ms dr sir lord lady king queen prince princess duke pope saint monday tuesday
    wednesday thursday friday saturday sunday today tomorrow yesterday north south east west one two three
    """.split())


# ---------------------------------------------------------------------------------------------------------------
# Lexical banks: "sample" for the shipped corpus, "heldout" for fresh text. They share no syllable inventories,
# first names, countries, filler sentences or statement continuations.
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bank:
    name: str
    first_names: tuple[str, ...]
    onsets: tuple[str, ...]
    nuclei: tuple[str, ...]
    codas: tuple[str, ...]
    endings: tuple[str, ...]           # last-name endings
    place_roots: tuple[str, ...]       # extra syllables for place names
    place_prefixes: tuple[str, ...]    # "Port", "Saint-" (a trailing hyphen joins), ...
    place_suffixes: tuple[str, ...]    # "Bay", "Crossing", ...
    countries: tuple[str, ...]
    filler: tuple[str, ...]            # templates with {slots}
    traps: tuple[str, ...]
    subject_leads: tuple[str, ...]     # before "X was born ...", "X died ...", "X (…)" at a sentence start
    object_leads: tuple[str, ...]      # "Among the founders was X (…)" ...
    object_ends: tuple[str, ...]
    paren_preds: tuple[str, ...]       # after "X (…)"
    born_on_ends: tuple[str, ...]      # after "X was born on DATE" (never " in ...")
    born_place_ends: tuple[str, ...]   # after a statement ending with a place or a year
    born_lead_preds: tuple[str, ...]   # after "Born on DATE in PLACE, X"
    died_ends: tuple[str, ...]         # after "X died on DATE" / "X died in PLACE on DATE" (never " in ...")
    born_died_ends: tuple[str, ...]    # after "X, born YEAR, died YEAR"
    phrasing_weights: dict
    date_style_weights: tuple[float, ...]
    zipf_exponent: float
    zipf_cap: int
    statements_per_doc: tuple[float, float, float]
    filler_range: tuple[int, int]
    trap_rate: float
    repeat_rate: float               # documents that state a person's facts twice
    bc_share: float
    country_share: float
    death_share: float
    death_place_share: float
    middle_share: float
    particle_share: float
    apostrophe_share: float
    double_last_share: float


SAMPLE = Bank(
    name="sample",
    first_names=(
        "Ada", "Albert", "Alice", "Amelia", "Anna", "Anton", "Arthur", "Beatrix", "Benedikt", "Bruno", "Camille",
        "Carl", "Cecilia", "Clara", "Conrad", "Dora", "Edith", "Edmund", "Elena", "Elias", "Eliza", "Emil",
        "Ernest", "Esther", "Felix", "Flora", "Franz", "Greta", "Gustav", "Hannah", "Harriet", "Heinrich",
        "Helena", "Henrik", "Hugo", "Ida", "Irene", "Isaac", "Jakob", "Johanna", "Jonas", "Julius", "Karl",
        "Klara", "Leonora", "Leopold", "Lina", "Lorenz", "Louisa", "Ludwig", "Lydia", "Magnus", "Margarethe",
        "Martha", "Matthias", "Maximilian", "Miriam", "Nora", "Oskar", "Otto", "Paula", "Philipp", "Rosa",
        "Rudolf", "Sophia", "Theodor", "Thomas", "Ulrike", "Viktor", "Walter", "Wilhelmina", "Xavier",
        "Frédéric", "Émile", "Élodie", "Zoë", "Søren", "Inés", "José", "Renée", "Björn", "Ángel", "Åsa",
        "Jürgen", "Agnès", "Hélène", "François", "Noémie", "Mårten", "Antonín", "Tomáš", "Jiří", "Łucja",
        "Jean-Luc", "Anne-Marie", "Marie-Claire", "Karl-Heinz", "Hans-Peter", "Jean-Baptiste", "Eva-Maria"),
    onsets=("b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pr", "r", "s",
            "st", "t", "tr", "v", "w", "z", ""),
    nuclei=("a", "e", "i", "o", "u", "au", "ei", "oo", "é", "ö", "ä", "ø"),
    codas=("", "", "n", "r", "l", "s", "rn", "ld", "nd", "ck", "tt", "m"),
    endings=("", "", "er", "man", "berg", "stein", "ov", "ini", "ez", "ard", "hoff", "sen", "ley", "ton"),
    place_roots=("elv", "mar", "brin", "cor", "dun", "fal", "hav", "kel", "lorn", "mor", "ost", "rav",
                 "sel", "tor", "vane", "wick", "ec", "ane", "ford", "ham"),
    place_prefixes=("Port", "New", "Old", "Upper", "Lower", "East", "West", "North", "South", "Saint-", "San",
                    "Fort", "Mount", "Great", "Little"),
    place_suffixes=("Bay", "Falls", "Harbour", "Crossing", "Springs", "Ford", "Hill", "Creek", "Haven",
                    "Market"),
    countries=("Norland", "Castavia", "Veloria", "Ostmark", "Brenica", "Aldmere", "Sarovia", "Tellgard",
               "Quessany", "Morvane", "Lusitra", "Dravonia", "Kelthar", "Ysmere", "Fennick", "New Calder",
               "Port Aurel", "Gallowmere", "Istrava", "Carmody"),
    filler=(
        "The council in {town} voted to repair the {thing} before the winter.",
        "Rainfall in the region was {pct} percent below the long-term average.",
        "A new timetable added {n2} trains a day between {town} and {town2}.",
        "Most of the orchards were replanted with hardier varieties of apple.",
        "The library extended its opening hours on weekdays.",
        "Local bakers complained that the price of flour had doubled.",
        "The harbour was dredged again in {year}, at considerable cost.",
        "Visitors are advised to book the guided tour in advance.",
        "The museum holds a small collection of maps, coins and letters.",
        "A footbridge now links the market square to the railway station.",
        "Wool from the upland farms was sold at the autumn fair in {town}.",
        "The recipe calls for two cups of barley and a pinch of salt.",
        "Attendance at the evening classes rose steadily over the decade.",
        "The river usually freezes for a few weeks in late winter.",
        "Several streets in {town} were renamed after the reform of {year}.",
        "The choir performs every second Sunday in the old chapel.",
        "The mill closed in {year}, and the building now houses a school.",
        "On {date} the first tram ran along the coast road.",
        "The report lists {n} bridges, of which only a few are still in use.",
        "Fishing quotas were cut by a third after a poor season.",
        "Tickets cost {n} pence in the early years of the service.",
        "A survey of the parish counted {n} households and {n2} workshops.",
        "The guidebook recommends the walk along the northern cliffs.",
        "Heavy snow closed the mountain pass for most of {month}.",
        "The town hall clock was restored by volunteers in {year}.",
        "Merchants from {town} traded salt, timber and dried fish.",
        "The garden is best visited in early summer, when the roses bloom.",
        "A storm damaged part of the warehouse district in {year}.",
        "The village school taught arithmetic, geography and needlework.",
        "The newspaper printed its last edition on {date}.",
        "Road tolls were abolished in {year} after years of protest.",
        "The pamphlet sold {n} copies in its first month.",
        "The {thing} was painted green to match the railings.",
        "In {year} the population of {town} passed {n} thousand.",
        "Grain prices fell sharply after the bumper harvest of {year}.",
        "The ferry to {town} runs twice a day in summer and once in winter.",
    ),
    traps=(
        "Sales in the United Kingdom (UK) rose by {pct} percent that year.",
        "Her born-again enthusiasm for rail travel surprised her colleagues.",
        "Witnesses said the fire died down in 1900 only after the rain came.",
        "By dawn the fire died down in {town}, and the crowd went home.",
        "He was born on 3 May 1920 and never left the valley.",
        "He was born on {date} and never left the valley.",
        "She was born in {town} in {year}, or so the family claimed.",
        "She died in {town} on {date}, according to a neighbour.",
        "In a sense the company was born in 1999, when two engineers rented a garage.",
        "The company was born in {year} in a rented garage.",
        "After the harvest, prices died down again.",
        "Historians still argue about the treaty (1815) and its consequences.",
        "Historians still argue about the treaty ({year}) and its consequences.",
        "Families still speak of the war ({year}–{year2}), which emptied the villages.",
        "The bridge ({year}-{year2}) was the longest in the province.",
        "It was a tradition born of necessity.",
        "The old engine died on {date} and was never repaired.",
        "Nobody died in 1901, the register says.",
        "Nobody died in {year}, the register says.",
        "The figures are discussed at length elsewhere (see page {page}).",
        "The argument is summarised in the second chapter (pp. {page}–{page2}).",
        "The handbook (ISBN {isbn}) is still in print.",
        "The ferry leaves at half past ten (10:30) on weekdays.",
        "The meeting began at noon ({hh}:{mm}) and ran late.",
        "The exhibition in {town} ({year}) drew large crowds.",
    ),
    subject_leads=("", "", "", "", "According to the parish register, ", "Local records note that ",
                   "As the archive shows, ", "It is recorded that "),
    object_leads=("Among the founders was ", "The collection includes letters by ",
                  "The committee later honoured ", "The first catalogue lists a portrait of ",
                  "The society's early members included "),
    object_ends=(".", ", among others.", " and two of the apprentices.", ", as the minutes record."),
    paren_preds=(" was a painter.", " wrote on tides and harbours.", ", a cartographer, mapped the northern coast.",
                 " served on the town council for a decade.", " is remembered for a treatise on bridges.",
                 " was a noted botanist.", " taught mathematics at the academy.", " kept the lighthouse log.",
                 ", a physician, founded the first clinic in the district."),
    born_on_ends=(".", " and studied law.", " and spent a childhood near the sea.", ", the youngest of five children.",
                  " to a family of weavers.", ", according to the baptismal record."),
    born_place_ends=(".", " and studied law.", ", where the family kept a mill.", " to a family of weavers.",
                     " and later moved to the capital.", ", the eldest of three children."),
    born_lead_preds=("trained as a surveyor.", "later moved to the capital.", "studied music and law.",
                     "spent forty years at sea.", "became a schoolteacher.", "wrote a history of the valley."),
    died_ends=(".", " after a short illness.", " and was buried the following week.", ", leaving no will.",
               " at home.", ", aged over eighty."),
    born_died_ends=(".", ", and left a small library to the town.", " without publishing the manuscript.",
                    ", and is buried near the old mill."),
    phrasing_weights={"born_paren": 1.0, "b_paren": 1.0, "dates_paren": 1.0, "years_endash": 1.0,
                      "years_hyphen": 0.6, "years_bc": 1.0, "born_on": 1.0, "born_on_in": 1.0, "born_in_on": 1.0,
                      "born_in_in": 1.0, "born_lead": 0.8, "died_on": 1.0, "died_in_on": 1.0, "born_died": 0.8},
    date_style_weights=(0.35, 0.25, 0.20, 0.10, 0.10),
    zipf_exponent=2.0,
    zipf_cap=600,
    statements_per_doc=(0.45, 0.35, 0.20),
    filler_range=(2, 5),
    trap_rate=0.45,
    repeat_rate=0.06,
    bc_share=0.015,
    country_share=0.33,
    death_share=0.75,
    death_place_share=0.8,
    middle_share=0.25,
    particle_share=0.10,
    apostrophe_share=0.05,
    double_last_share=0.03,
)

HELDOUT = Bank(
    name="heldout",
    first_names=(
        "Agatha", "Alonso", "Ambrose", "Aurelia", "Barnaby", "Benedetta", "Bertram", "Casimir", "Cornelia",
        "Cosimo", "Dagny", "Desmond", "Eberhard", "Edwina", "Eleanor", "Enzo", "Eudora", "Fabian", "Fenella",
        "Gideon", "Giselle", "Godfrey", "Hester", "Horatio", "Imogen", "Ingmar", "Jasper", "Josephine",
        "Kasimir", "Lavinia", "Lorcan", "Lucian", "Mabel", "Malachy", "Marisol", "Mathilde", "Ottilie",
        "Percival", "Petronella", "Quentin", "Rosalind", "Rupert", "Seraphina", "Silas", "Tabitha", "Tobias",
        "Ursula", "Valentin", "Winifred", "Zacharias", "Céleste", "Mirjam", "Ségolène", "Dorothée", "Ørjan",
        "Ödön", "Íñigo", "Léonie", "Göran", "Bartholomé", "Ángela", "Grégoire", "Siân", "Zdeněk", "Bořek",
        "Marie-Hélène", "Jean-Pierre", "Paul-Émile", "Ann-Sofie", "Lise-Lotte"),
    onsets=("bl", "cl", "fl", "gl", "j", "kr", "pl", "qu", "sk", "sl", "sp", "th", "vr", "y", "x", "ph", "sh"),
    nuclei=("ae", "ia", "oa", "y", "ou", "ie", "è", "ü", "å", "ó"),
    codas=("", "x", "sk", "th", "nk", "lt", "mp", "st", "ph", "v"),
    endings=("", "", "quist", "wright", "ova", "ello", "aux", "ski", "dottir", "ham", "well", "mond"),
    place_roots=("qua", "zel", "phor", "thyl", "oxa", "yrn", "ulm", "ilva", "esk", "tarr", "glen", "ryn", "abb",
                 "cair", "umbra", "vesk"),
    place_prefixes=("Cape", "Glen", "Lake", "Santa", "Sainte-", "Bad", "Isle", "High", "Nether", "Royal"),
    place_suffixes=("Quay", "Moor", "Wells", "Heights", "Point", "Vale", "Cove", "Junction"),
    countries=("Zembla", "Qualstan", "Thessary", "Orvieta", "Mauricania", "Blyth", "Sandomir", "Esterhold",
               "Ulvania", "Corvesse", "Lake Ardent", "Pelagia", "Varnholm", "Sycorax", "Ilyria"),
    filler=(
        "The observatory recorded {n} clear nights during the autumn.",
        "Members of the chess club met on Thursdays above the bakery.",
        "The cargo consisted mainly of cotton, indigo and copper wire.",
        "Gardeners were urged to plant beans after the last frost.",
        "The weather station in {town} logged a gust of {n} knots.",
        "A second loom was installed to keep up with orders.",
        "The lecture on comets filled the hall to the last seat.",
        "Freight rates rose by {pct} percent over the winter.",
        "The orchard produced a record crop of pears in {year}.",
        "Two lighthouses guard the approach to {town}.",
        "The dye works released a stream of blue water into the canal.",
        "The telescope was rebuilt with a larger mirror.",
        "Shipping agents in {town} reported delays at the locks.",
        "The seed catalogue listed {n} varieties of tomato.",
        "A crate of oranges cost more than a week's wages.",
        "The tournament ended in a draw after {n} rounds.",
        "The canal was widened in {year} to admit larger barges.",
        "Apprentices were paid in bread, beer and lodging.",
        "The almanac predicted a mild spring and a wet summer.",
        "The night watch reported a faint aurora on {date}.",
        "Importers of tea lobbied for lower duties in {year}.",
        "The greenhouse was heated by a coal stove in {month}.",
        "The spinning mill employed {n} workers at its peak.",
        "A new pier opened at {town2} with a brass band.",
        "The club's library holds rare opening manuals and endgame studies.",
        "Salt marshes along the estuary flood twice a month.",
        "The tariff schedule was revised on {date}.",
        "Weavers in {town} went on strike for shorter hours.",
    ),
    traps=(
        "Exports to the United States (US) grew by {pct} percent.",
        "A born-again interest in sail training swept the coast.",
        "The storm died down in 1911 after three days.",
        "By evening the storm died down in {town}, and the boats went out.",
        "She was born on 14 July 1931 in the old quarter.",
        "She was born on {date} and moved away young.",
        "He was born in {town} in {year}, the family bible says.",
        "He died in {town} on {date}, the parish clerk wrote.",
        "The startup was born in 2004 in a student flat.",
        "The cooperative was born in {year} during the slump.",
        "Towards evening the winds died down.",
        "The armistice ({year}) ended the blockade.",
        "The canal project ({year}–{year2}) nearly bankrupted the town.",
        "The strike ({year}-{year2}) closed every mill.",
        "It was an idea born of frustration.",
        "The generator died on {date} and the lights went out.",
        "Nobody died in 1888, the sexton noted.",
        "Nobody died on the crossing in {year}.",
        "The table is reproduced in the appendix (see page {page}).",
        "The method is described in detail (pp. {page}–{page2}).",
        "A revised edition (ISBN {isbn}) appeared later.",
        "The tide turns at a quarter to three (14:45) today.",
        "The train leaves at ({hh}:{mm}) sharp.",
        "The regatta at {town} ({year}) was cancelled for fog.",
    ),
    subject_leads=("", "", "", "Parish books confirm that ", "The family bible states that ",
                   "By all accounts, ", "Contemporary sources say that "),
    object_leads=("The exhibition featured ", "Letters were exchanged with ", "The guild elected ",
                  "A plaque commemorates "),
    object_ends=(".", " in the end.", ", to general surprise.", " and a nephew."),
    paren_preds=(" was an astronomer.", " designed canal locks.", ", a weaver, led the strike committee.",
                 " collected folk songs.", " ran the ferry for thirty years.", " bred a new variety of pear."),
    born_on_ends=(".", " and trained as an engraver.", ", the second of seven children.",
                  " and grew up above a shop."),
    born_place_ends=(".", " and trained as an engraver.", ", where a plaque now marks the house.",
                     " and grew up above a shop."),
    born_lead_preds=("became a ship's doctor.", "ran a small press.", "taught the harp.", "mapped the river delta."),
    died_ends=(".", " of a fever.", ", having outlived every sibling.", " during a heat wave."),
    born_died_ends=(".", ", and was much mourned.", " after a long career at sea."),
    phrasing_weights={"born_paren": 0.6, "b_paren": 1.6, "dates_paren": 0.7, "years_endash": 1.8,
                      "years_hyphen": 0.3, "years_bc": 1.0, "born_on": 0.5, "born_on_in": 1.4, "born_in_on": 0.6,
                      "born_in_in": 1.2, "born_lead": 0.4, "died_on": 1.3, "died_in_on": 0.5, "born_died": 1.5},
    date_style_weights=(0.20, 0.40, 0.10, 0.15, 0.15),
    zipf_exponent=1.8,
    zipf_cap=400,
    statements_per_doc=(0.30, 0.40, 0.30),
    filler_range=(2, 4),
    trap_rate=0.6,
    repeat_rate=0.10,
    bc_share=0.03,
    country_share=0.5,
    death_share=0.6,
    death_place_share=0.6,
    middle_share=0.4,
    particle_share=0.15,
    apostrophe_share=0.08,
    double_last_share=0.06,
)

BANKS = {"sample": SAMPLE, "heldout": HELDOUT}


# ---------------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Person:
    name: str
    bc: bool
    birth: object                 # dt.date, or int (BC year number) when bc
    death: object | None
    birth_place: str
    death_place: str | None
    birth_country: str | None     # rendered after the place when set (fixed for the person)
    death_country: str | None
    facts: dict = field(default_factory=dict)   # category -> normalized value


def name_key(name: str) -> str:
    """The uniqueness key: NFKD, combining marks dropped, case folded, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped.casefold() if ch.isalnum())


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _ok_word(word: str) -> bool:
    return len(word) >= 3 and word.casefold() not in RESERVED


class Lexicon:
    def __init__(self, bank: Bank, rng: random.Random):
        self.bank, self.rng = bank, rng

    def syllable(self) -> str:
        b, r = self.bank, self.rng
        return r.choice(b.onsets) + r.choice(b.nuclei) + r.choice(b.codas)

    def last_name(self) -> str:
        b, r = self.bank, self.rng
        while True:
            word = "".join(self.syllable() for _ in range(r.choice((1, 2, 2)))) + r.choice(b.endings)
            word = _cap(word)
            if len(word) >= 4 and _ok_word(word):
                break
        if r.random() < b.apostrophe_share:
            word = r.choice(("O'", "D'", "M'")) + _cap(word)
        return word

    def place_word(self) -> str:
        b, r = self.bank, self.rng
        while True:
            parts = [r.choice(b.place_roots)] + [r.choice((r.choice(b.place_roots), self.syllable()))
                                                 for _ in range(r.choice((0, 1, 1, 2)))]
            word = _cap("".join(parts))
            if _ok_word(word):
                return word

    def place(self) -> str:
        b, r = self.bank, self.rng
        root = self.place_word()
        form = r.random()
        if form < 0.35:
            return root
        if form < 0.65:
            prefix = r.choice(b.place_prefixes)
            return prefix + root if prefix.endswith("-") else f"{prefix} {root}"
        if form < 0.85:
            return f"{root} {r.choice(b.place_suffixes)}"
        prefix = r.choice(b.place_prefixes)
        head = prefix + root if prefix.endswith("-") else f"{prefix} {root}"
        return f"{head} {r.choice(b.place_suffixes)}"


def make_places(lex: Lexicon, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (place, country) pairs."""
    seen: dict[str, None] = {}
    out = []
    while len(out) < count:
        place = lex.place()
        key = name_key(place)
        if key in seen:
            continue
        seen[key] = None
        out.append((place, lex.rng.choice(lex.bank.countries)))
    return out


def _random_date(rng: random.Random, year: int) -> dt.date:
    start = dt.date(year, 1, 1).toordinal()
    end = dt.date(year, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def make_person(lex: Lexicon, names: dict, places: list, place_cum: list) -> Person:
    b, r = lex.bank, lex.rng
    while True:
        parts = [r.choice(b.first_names)]
        if r.random() < b.middle_share:
            middle = r.choice(b.first_names)
            if middle != parts[0]:
                parts.append(middle)
        if r.random() < b.particle_share:
            parts.append(r.choice(("van", "de", "von")))
        last = lex.last_name()
        if r.random() < b.double_last_share:
            last = f"{last}-{lex.last_name()}"
        parts.append(last)
        name = " ".join(parts)
        key = name_key(name)
        if key not in names:
            names[key] = None
            break

    def pick_place():
        return places[bisect.bisect_right(place_cum, r.random() * place_cum[-1])]

    bp, bcountry = pick_place()
    with_country = r.random() < b.country_share
    bc = r.random() < b.bc_share
    if bc:
        birth = r.randint(120, 780)
        death = birth - r.randint(25, 90) if r.random() < 0.85 else None
        if death is not None and death < 1:
            death = None
        person = Person(name, True, birth, death, bp, None, bcountry if with_country else None, None)
        person.facts = {BY: f"-{birth:04d}", BP: bp}
        if death is not None:
            person.facts[DY] = f"-{death:04d}"
        return person
    # AD: mostly modern, a few medieval.
    year = int(1000 + 990 * (r.random() ** 0.45)) if r.random() < 0.9 else r.randint(1050, 1500)
    birth = _random_date(r, min(year, 1995))
    death = dp = dcountry = None
    if r.random() < b.death_share:
        death_year = min(birth.year + r.randint(18, 96), 2023)
        death = _random_date(r, death_year)
        if death <= birth:
            death = birth + dt.timedelta(days=r.randint(7000, 30000))
        if r.random() < b.death_place_share:
            dp, dcountry = pick_place()
    person = Person(name, False, birth, death, bp, dp, bcountry if with_country else None,
                    dcountry if (with_country and dp) else None)
    person.facts = {BD: birth.isoformat(), BY: f"{birth.year:04d}", BP: bp}
    if death is not None:
        person.facts.update({DD: death.isoformat(), DY: f"{death.year:04d}"})
    if dp is not None:
        person.facts[DP] = dp
    return person


# ---------------------------------------------------------------------------------------------------------------
# Rendering statements
# ---------------------------------------------------------------------------------------------------------------

def render_date(d: dt.date, style: str) -> str:
    if style == "dmy":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == "mdy":
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "dmy_abbr":
        return f"{d.day} {MONTH_ABBR[d.month - 1]} {d.year}"
    if style == "mdy_abbr":
        abbr = MONTH_ABBR[d.month - 1]
        return f"{abbr}{'' if abbr == 'May' else '.'} {d.day}, {d.year}"
    raise ValueError(style)


def render_year(value) -> str:
    """A year of the text: an int BC number is rendered "427 BC", a date its year."""
    return f"{value} BC" if isinstance(value, int) else str(value.year)


@dataclass(frozen=True)
class Phrasing:
    name: str
    states: tuple[str, ...]        # categories a mention states (full dates include the year)
    needs: tuple[str, ...]         # categories the person must have
    ad: bool | None                # True: AD people only; False: BC only; None: both
    plain_birth_place: bool = False  # never with a country suffix (Born on DATE in PLACE, X ...)


PHRASINGS = (
    Phrasing("born_paren", (BD, BY), (BD,), True),
    Phrasing("b_paren", (BY,), (BY,), None),
    Phrasing("dates_paren", (BD, BY, DD, DY), (BD, DD), True),
    Phrasing("years_endash", (BY, DY), (BY, DY), True),
    Phrasing("years_hyphen", (BY, DY), (BY, DY), True),
    Phrasing("years_bc", (BY, DY), (BY, DY), False),
    Phrasing("born_on", (BD, BY), (BD,), True),
    Phrasing("born_on_in", (BD, BY, BP), (BD, BP), True),
    Phrasing("born_in_on", (BP, BD, BY), (BD, BP), True),
    Phrasing("born_in_in", (BP, BY), (BP, BY), None),
    Phrasing("born_lead", (BD, BY, BP), (BD, BP), True, plain_birth_place=True),
    Phrasing("died_on", (DD, DY), (DD,), True),
    Phrasing("died_in_on", (DP, DD, DY), (DD, DP), True),
    Phrasing("born_died", (BY, DY), (BY, DY), None),
)
PHRASING_BY_NAME = {p.name: p for p in PHRASINGS}


def eligible(person: Person, phrasing: Phrasing) -> bool:
    if phrasing.ad is not None and phrasing.ad == person.bc:
        return False
    if phrasing.plain_birth_place and person.birth_country:
        return False
    return all(c in person.facts for c in phrasing.needs)


class Renderer:
    def __init__(self, bank: Bank, rng: random.Random):
        self.bank, self.rng = bank, rng

    def date(self, d: dt.date, style: str | None = None) -> str:
        style = style or self.rng.choices(DATE_STYLES, self.bank.date_style_weights)[0]
        return render_date(d, style)

    def statement(self, p: Person, phrasing: str) -> str:
        b, r = self.bank, self.rng
        x = p.name
        bplace = p.birth_place + (f", {p.birth_country}" if p.birth_country else "")
        dplace = (p.death_place or "") + (f", {p.death_country}" if p.death_country else "")
        style = r.choices(DATE_STYLES, b.date_style_weights)[0]

        def paren(inner: str) -> str:
            if r.random() < 0.7:
                return f"{r.choice(b.subject_leads)}{x} ({inner}){r.choice(b.paren_preds)}"
            return f"{r.choice(b.object_leads)}{x} ({inner}){r.choice(b.object_ends)}"

        lead = r.choice(b.subject_leads)
        if phrasing == "born_paren":
            return paren(f"born {render_date(p.birth, style)}")
        if phrasing == "b_paren":
            return paren(f"b. {render_year(p.birth)}")
        if phrasing == "dates_paren":
            return paren(f"{render_date(p.birth, style)} – {render_date(p.death, style)}")
        if phrasing == "years_endash":
            return paren(f"{p.birth.year}–{p.death.year}")
        if phrasing == "years_hyphen":
            return paren(f"{p.birth.year}-{p.death.year}")
        if phrasing == "years_bc":
            return paren(f"{render_year(p.birth)} – {render_year(p.death)}")
        if phrasing == "born_on":
            return f"{lead}{x} was born on {render_date(p.birth, style)}{r.choice(b.born_on_ends)}"
        if phrasing == "born_on_in":
            return f"{lead}{x} was born on {render_date(p.birth, style)} in {bplace}{r.choice(b.born_place_ends)}"
        if phrasing == "born_in_on":
            return f"{lead}{x} was born in {bplace} on {render_date(p.birth, style)}{r.choice(b.born_on_ends)}"
        if phrasing == "born_in_in":
            return f"{lead}{x} was born in {bplace} in {render_year(p.birth)}{r.choice(b.born_place_ends)}"
        if phrasing == "born_lead":
            return f"Born on {render_date(p.birth, style)} in {p.birth_place}, {x} {r.choice(b.born_lead_preds)}"
        if phrasing == "died_on":
            return f"{lead}{x} died on {render_date(p.death, style)}{r.choice(b.died_ends)}"
        if phrasing == "died_in_on":
            return f"{lead}{x} died in {dplace} on {render_date(p.death, style)}{r.choice(b.died_ends)}"
        if phrasing == "born_died":
            return f"{lead}{x}, born {render_year(p.birth)}, died {render_year(p.death)}{r.choice(b.born_died_ends)}"
        raise ValueError(phrasing)


def isbn13(rng: random.Random) -> str:
    group, publisher = str(rng.choice((0, 1, 3, 88))), str(rng.randint(10, 9999))
    title_len = 9 - len(group) - len(publisher)
    title = str(rng.randint(10 ** (title_len - 1), 10 ** title_len - 1))
    digits = "978" + group + publisher + title
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10) % 10
    return f"978-{group}-{publisher}-{title}-{check}"


class Filler:
    def __init__(self, bank: Bank, rng: random.Random, towns: list[str]):
        self.bank, self.rng, self.towns = bank, rng, towns
        self.things = ("bridge", "bandstand", "sea wall", "church roof", "school gate", "fountain", "pier")
        self._fields: dict[str, list[str]] = {}

    def fill(self, template: str) -> str:
        """Fill only the slots ``template`` uses, in the order they appear (so the stream stays stable)."""
        fields = self._fields.get(template)
        if fields is None:
            fields = self._fields[template] = [f for _, f, _, _ in string.Formatter().parse(template) if f]
        values: dict = {}
        for name in fields:
            if name not in values:
                values[name] = self._slot(name, values)
        return template.format(**values)

    def _slot(self, name: str, values: dict):
        r = self.rng
        if name in ("town", "town2"):
            return r.choice(self.towns)
        if name == "thing":
            return r.choice(self.things)
        if name == "pct":
            return r.randint(2, 40)
        if name == "n":
            return r.randint(3, 950)
        if name == "n2":
            return r.randint(2, 90)
        if name == "year":
            return r.randint(1700, 2015)
        if name == "year2":
            return values["year"] + r.randint(1, 12)
        if name == "month":
            return r.choice(MONTHS)
        if name == "date":
            style = r.choices(DATE_STYLES, self.bank.date_style_weights)[0]
            return render_date(_random_date(r, r.randint(1750, 2015)), style)
        if name == "page":
            return r.randint(2, 480)
        if name == "page2":
            return values["page"] + r.randint(1, 30)
        if name == "isbn":
            return isbn13(r)
        if name == "hh":
            return f"{r.randint(6, 22):02d}"
        if name == "mm":
            return r.choice(("00", "15", "30", "45", "05", "50"))
        raise KeyError(name)

    def sentence(self) -> str:
        return self.fill(self.rng.choice(self.bank.filler))

    def trap(self) -> str:
        return self.fill(self.rng.choice(self.bank.traps))


# ---------------------------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Result:
    out: Path
    docs: int
    people: int
    statements: int
    files: list[Path]
    truth_files: list[Path]
    counts: dict          # category -> {entity: count}
    mentions: dict        # category -> mentions tallied while writing (document unit)
    phrasing_uses: Counter

    def profile(self, category: str) -> dict[int, int]:
        return dict(sorted(Counter(self.counts[category].values()).items()))

    def stats(self, category: str) -> dict:
        prof = self.profile(category)
        n = sum(k * f for k, f in prof.items())
        s = sum(prof.values())
        f1 = prof.get(1, 0)
        return {"N": n, "S": s, "f1": f1, "f2": prof.get(2, 0), "sr": round(f1 / n, 6) if n else 0.0}


def _zipf_cdf(exponent: float, cap: int) -> list[float]:
    cum, total = [], 0.0
    for k in range(1, cap + 1):
        total += k ** -exponent
        cum.append(total)
    return cum


def build(seed: int, docs: int, bank: Bank, stated_in: list | None = None):
    """Plan and render the corpus: (documents, people, counts, mentions, phrasing uses). ``stated_in``, a list,
    gets each document's facts: a tuple of (category, person index) per document, in document order."""
    rng = random.Random(f"floor-make-sample:{bank.name}:{seed}")
    lex = Lexicon(bank, rng)
    renderer = Renderer(bank, rng)

    # How many statements each document carries.
    per_doc = rng.choices((1, 2, 3), bank.statements_per_doc, k=docs)
    total = sum(per_doc)

    # Places with a heavy-tailed popularity; a separate small pool for filler towns.
    places = make_places(lex, 2500)
    place_cum, acc = [], 0.0
    for i in range(len(places)):
        acc += 1.0 / (i + 1) ** 0.8
        place_cum.append(acc)
    towns = [p for p, _ in places[:300]]

    # People and how many statements mention each (truncated Zipf), until the statements are used up.
    zipf = _zipf_cdf(bank.zipf_exponent, bank.zipf_cap)
    names: dict[str, None] = {}
    people: list[Person] = []
    mentions_of: list[int] = []
    remaining = total
    while remaining > 0:
        m = bisect.bisect_right(zipf, rng.random() * zipf[-1]) + 1
        m = min(m, bank.zipf_cap, remaining)
        people.append(make_person(lex, names, places, place_cum))
        mentions_of.append(m)
        remaining -= m
    slots = [i for i, m in enumerate(mentions_of) for _ in range(m)]
    rng.shuffle(slots)

    weights = bank.phrasing_weights
    options = []
    for p in people:
        ok = [ph.name for ph in PHRASINGS if eligible(p, ph)]
        options.append((ok, [weights[n] for n in ok]))

    filler = Filler(bank, rng, towns)
    counts: dict[str, dict[str, int]] = {c: {} for c in CATEGORIES}
    mentions = {c: 0 for c in CATEGORIES}
    uses: Counter = Counter()
    documents = []
    pos = 0
    for index, k in enumerate(per_doc):
        statements = []
        stated: dict[tuple[str, int], None] = {}
        chosen = slots[pos:pos + k]
        if rng.random() < bank.repeat_rate:   # a second statement about someone already mentioned here
            chosen = chosen + [rng.choice(chosen)]
        for person_index in chosen:
            person = people[person_index]
            names_ok, wts = options[person_index]
            phrasing = rng.choices(names_ok, wts)[0]
            uses[phrasing] += 1
            statements.append(renderer.statement(person, phrasing))
            for category in PHRASING_BY_NAME[phrasing].states:
                stated[(category, person_index)] = None
        pos += k
        if stated_in is not None:
            stated_in.append(tuple(stated))
        for category, person_index in stated:   # once per document
            person = people[person_index]
            table = counts[category]
            table[person.name] = table.get(person.name, 0) + 1
            mentions[category] += 1
        sentences = [filler.sentence() for _ in range(rng.randint(*bank.filler_range))]
        for _ in range(2 if rng.random() < 0.1 else 1):
            if rng.random() < bank.trap_rate:
                sentences.insert(rng.randint(0, len(sentences)), filler.trap())
        for statement in statements:
            sentences.insert(rng.randint(0, len(sentences)), statement)
        paragraphs = []
        while sentences:
            take = rng.randint(2, 5)
            paragraphs.append(" ".join(sentences[:take]))
            sentences = sentences[take:]
        documents.append((f"{bank.name}-{index:06d}", "\n\n".join(paragraphs)))
    return documents, people, counts, mentions, uses


def _jsonl(documents) -> bytes:
    return "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
                   for i, t in documents).encode("utf-8")


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as handle:
        handle.write(data)
    return buffer.getvalue()


def write_corpus(out: Path, documents) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("part-*"):
        stale.unlink()
    n = len(documents)
    a = round(n * FILE_SHARES[0])
    b = a + round(n * FILE_SHARES[1])
    chunks = (documents[:a], documents[a:b], documents[b:])
    paths = [out / name for name in CORPUS_FILES]
    paths[0].write_bytes(zstandard.ZstdCompressor(level=15, threads=0).compress(_jsonl(chunks[0])))
    paths[1].write_bytes(_gzip(_jsonl(chunks[1])))
    table = pa.table({"id": pa.array([i for i, _ in chunks[2]], pa.string()),
                      "text": pa.array([t for _, t in chunks[2]], pa.string())})
    pq.write_table(table, paths[2], row_group_size=max(1, -(-len(chunks[2]) // 2)), compression="zstd",
                   compression_level=9)
    return paths


def iter_documents(out: str | os.PathLike):
    """Yield (id, text) for every document of a generated directory, in file order (for tests)."""
    import pyarrow.parquet as pq
    import zstandard

    out = Path(out)
    for name in CORPUS_FILES:
        path = out / name
        if name.endswith(".parquet"):
            table = pq.read_table(path)
            yield from zip(table.column("id").to_pylist(), table.column("text").to_pylist())
            continue
        raw = path.read_bytes()
        data = zstandard.ZstdDecompressor().decompress(raw) if name.endswith(".zst") else gzip.decompress(raw)
        for line in data.decode("utf-8").splitlines():
            record = json.loads(line)
            yield record["id"], record["text"]


def truth_paths(prefix: Path) -> tuple[Path, Path, Path]:
    return (prefix.with_name(prefix.name + "-truth.tsv"), prefix.with_name(prefix.name + "-truth-facts.tsv.gz"),
            prefix.with_name(prefix.name + "-truth.json"))


def write_truth(prefix: Path, result: Result, people: list[Person], seed: int, bank: Bank) -> list[Path]:
    profile_path, facts_path, summary_path = truth_paths(prefix)
    profile_path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["category\tcount\tfacts"]
    for category in CATEGORIES:
        lines.extend(f"{category}\t{k}\t{f}" for k, f in result.profile(category).items())
    profile_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    by_name = {p.name: p for p in people}
    rows = ["category\tentity\tvalue\tcount"]
    for category in CATEGORIES:
        for entity in sorted(result.counts[category]):
            rows.append(f"{category}\t{entity}\t{by_name[entity].facts[category]}\t{result.counts[category][entity]}")
    facts_path.write_bytes(_gzip(("\n".join(rows) + "\n").encode("utf-8")))

    corpus_bytes = sum(p.stat().st_size for p in result.files)
    summary = {
        "generator": "scripts/make_sample.py",
        "command": command_line(result.out, seed, result.docs, bank.name == "heldout"),
        "seed": seed,
        "bank": bank.name,
        "docs": result.docs,
        "people": result.people,
        "statements": result.statements,
        "files": {p.name: p.stat().st_size for p in result.files},
        "corpus_bytes": corpus_bytes,
        "unit": "document",
        "written_with": {"zstandard": _version("zstandard"), "pyarrow": _version("pyarrow")},
        "categories": {c: dict(result.stats(c), recorded_mentions=result.mentions[c]) for c in CATEGORIES},
        "phrasings": dict(sorted(result.phrasing_uses.items())),
        "conventions": {
            "date": "YYYY-MM-DD",
            "year": "YYYY zero-padded to 4 digits; BC years as '-' + 4-digit BC number (427 BC -> -0427)",
            "place": "place name without the ', Country' suffix; each person's places are always rendered "
                     "the same way (with or without the suffix)",
            "year_from_date": "a full-date statement is also a statement of the year",
            "count": "documents stating the fact (once per document)",
        },
    }
    summary_path.write_text(json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return [profile_path, facts_path, summary_path]


def _version(module: str) -> str:
    return str(getattr(__import__(module), "__version__", "unknown"))


def command_line(out: Path, seed: int, docs: int, heldout: bool) -> str:
    """The command that reproduces these files (run from the repository root; recorded in OUT-truth.json)."""
    shown = Path(os.path.relpath(Path(out).resolve())) if Path(out).resolve().is_relative_to(Path.cwd()) else out
    parts = ["python", "scripts/make_sample.py", "--out", shown.as_posix(), "--seed", str(seed)]
    if docs != DEFAULT_DOCS:
        parts += ["--docs", str(docs)]
    if heldout:
        parts.append("--heldout")
    return " ".join(parts)


def generate(out: str | os.PathLike, *, seed: int = 0, docs: int = DEFAULT_DOCS, heldout: bool = False,
             truth_prefix: str | os.PathLike | None = None) -> Result:
    """Write the corpus to ``out`` and its truth files beside it; return what was written."""
    if docs < 1:
        raise ValueError("docs must be >= 1")
    bank = HELDOUT if heldout else SAMPLE
    out = Path(out)
    documents, people, counts, mentions, uses = build(seed, docs, bank)
    files = write_corpus(out, documents)
    result = Result(out=out, docs=len(documents), people=len(people), statements=sum(uses.values()), files=files,
                    truth_files=[], counts=counts, mentions=mentions, phrasing_uses=uses)
    prefix = Path(truth_prefix) if truth_prefix is not None else out
    result.truth_files = write_truth(prefix, result, people, seed, bank)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="corpus directory to write (part-* files are replaced)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help=f"number of documents (default {DEFAULT_DOCS})")
    parser.add_argument("--heldout", action="store_true",
                        help="use the held-out bank (different names, places, filler and proportions)")
    parser.add_argument("--truth-prefix", default=None,
                        help="stem of the truth files (default: OUT, giving OUT-truth.tsv, ...)")
    args = parser.parse_args(argv)
    try:
        result = generate(args.out, seed=args.seed, docs=args.docs, heldout=args.heldout,
                          truth_prefix=args.truth_prefix)
    except ValueError as exc:
        parser.error(str(exc))
    facts = sum(len(result.counts[c]) for c in CATEGORIES)
    mentions = sum(result.mentions.values())
    size = sum(p.stat().st_size for p in result.files + result.truth_files)
    print(f"make_sample: {result.docs} docs, {result.people} people, {facts} facts, {mentions} mentions, "
          f"{size / 1e6:.2f} MB -> {result.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
