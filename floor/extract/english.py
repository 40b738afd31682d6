"""English phrasings and word lists, as data for :mod:`floor.extract.engine`.

Phrasings (every date form: ``10 December 1815``, ``December 10, 1815``, ``1815-12-10``, abbreviated months,
month-year, year, BC/AD years; ``{DASH}`` is an en/em dash, hyphen or ``--``, spaces optional):

* ``X was born [on [the]|in] DATE [in|at PLACE]``, ``X was born in|at PLACE [on|in DATE]``, each optionally
  continued by ``and died ...`` / ``, died ...`` with the same tails; right after the verb a weekday may
  precede the date (``died Tuesday, May 9, 1970``);
* ``X, born ... [, died ...]``, also after a lowercase appositive or with a semicolon (``X, a poet, born ...``,
  ``X; born ...``);
* ``X, who was born ...``, ``X, who died ...``: the same tails after a relative clause's antecedent;
* ``X died|passed away [HOW] [on|in] DATE [in|at PLACE]``, ``X died|passed away [HOW] in|at PLACE [on|in DATE]``,
  where HOW says how (``peacefully``, ``at home``, ``following a stroke``, ``of pneumonia``; ``of`` and up to three
  words ending in a cause: ``of a sudden heart attack``, ``of old age``);
* in these tails, a weekday may stand before ``in|at PLACE`` (``died on Sunday in Dublin``), and an institution
  may stand for the place or before it (``at St. Mary's Hospital [in Dublin]``, ``at a nursing home in Dublin``):
  capitalized words ending in an institution's head noun (``Hospital``, ``School``: :data:`PLACES_EN`), or a
  determiner, up to two words and the head noun (``a nursing home``, ``her home``) -- never the place itself;
* ``X (born ...)``, ``X (b. ...)``, optionally ``; died ...`` / ``– d. ...`` inside; ``X (died ...)``, ``X (d. ...)``;
  there a date may be followed by a place without ``in`` (``(born March 3, 1902, Cork, Ireland—died May 9, 1970,
  Dublin)``), as after ``X, born`` when a verb follows (``X, born April 2, 1965, Sacramento, Calif., is ...``);
* before the dates of a parenthesis, a pronunciation or native spelling (``(/ˈdoʊ/; Irish: Síne Ní Dhubhda; ...``,
  ``(Russian: Иван Петров; born ...``, ``(listen; ...``, ``(pronounced ...; ...``), or a museum label's
  nationality (``(Irish, 1902–1970)``, ``(American, born 1962)``, ``(Irish-American, b. 1950)``);
* ``X (DATE – DATE)`` lifespans, optionally ``(born Full Name; DATE – DATE)``, each date optionally followed by
  ``in PLACE`` (``(3 March 1902 in Cork – 9 May 1970 in Dublin)``); years have 3-4 digits (or an
  era: ``(63 BC – AD 14)``; ``(427–347 BC)``, ``(65–8 BC)``: a trailing BC covers both), birth <= death, lifespan
  15 to 120 years;
* ``Born [on|in] DATE [in PLACE], X ...`` / ``Born in PLACE [on DATE], X ...`` at a sentence start, the entity
  FORWARD after the comma (it must be followed by a lowercase word or ``(``, so ``Born in London, England, Ada
  ...`` reads the place as London, England and the entity as Ada ...);
* ``Born ..., she|he ...``: the pronoun's single subject;
* ``Her|his birth|death [on|in] DATE [in PLACE]``: the document's single subject, as a pronoun is (not after
  ``until``, ``till``, ``to``: ``from 871 until his death in 899`` ends a reign or term);
* ``Born DATE[, died DATE].`` without a subject, in a description block: the document's subject
  (:mod:`floor.extract.subject`, whose word lists are :data:`SUBJECTS_EN`);
* dated lines of a chronology, the date split across the line: ``Mar 3  X is born in PLACE, 1902``, ``03/03<TAB>X
  born ...``, ``May 9  poet X dies at 68 in PLACE, 1970``, ``1902 – X, Irish poet, born in PLACE``, ``1902: born in
  PLACE`` (the page's single subject); lines under a ``Births`` or ``Deaths`` heading without a verb, ``March 3 – X,
  Irish poet (d. 1970)``, the year (or the day) from the page's title or nearest heading (:mod:`.chronology`);
* key-value lines of a profile or memorial page, ``Born: DATE[, PLACE]``, ``Died: DATE (aged N) PLACE``, ``Born:
  PLACE``, ``Birth: DATE, PLACE, COUNTY, STATE, COUNTRY``, ``Death: ...``, ``Birthplace: PLACE``, ``Date of birth:
  DATE``, ``Place of death: PLACE``, ``Birth date: DATE``, ``Death place: PLACE`` (``Birth``/``Death``/``Date``/
  ``Place`` capitalized or not where they follow another word), the value filling the line: the page's single
  subject; so is an infobox copied as text, ``Born<TAB>[NAME⏎]DATE[⏎PLACE]``, ``Died<TAB>DATE (aged N)[⏎PLACE]``,
  each value filling its line (the name after ``Born`` is a birth name; without a heading it names the page's
  subject);
* a genealogy's abbreviations outside parentheses, ``X, b. DATE[, PLACE][; d. DATE[, PLACE]].`` (the tails of
  ``(b. ...; d. ...)``), the statement ending its sentence or line; not ``X, d. DATE`` alone;
* an encyclopedia's parenthesis after a comma, ``X, (born DATE, PLACE [now COUNTRY]—died DATE, PLACE), ...``: a
  bracketed note may follow a place without ``in``;
* a title before a given name and a surname is no part of the entity (``Sir X Y``, ``Dr. X Y``, ``Capt. X Y``,
  ``Professor X Y`` are ``X Y``); before a lone word it is kept (``Lord Byron``); a heading may open with a
  label (``In memoriam: X``, ``Obituary: X, bandleader``, ``Remembering X``), its name what follows.

Decisions (precision over recall):

* approximate values (``c. 1815``, ``ca.``, ``circa``, ``about``, ``around``, ``1815?``) yield no fact, but the
  other, exact end of the same lifespan still does (``(c. 1815–1852)`` -> death_year 1852 only); so with
  alternative years (``(1642 – 1726/27)``, an Old and a New Style year; ``(1135/1138–1204)``), at most 10 years
  apart (:mod:`.dates`); ``(fl. 1815–1852)`` and ``(r. 1815–1852)`` are not lifespans;
* a numeric date is a full date only when its order is plain (``13/04/1991``; ``04/04/1991``), else its year
  (``04/11/1985``: day-month and month-day are both in use);
* a two-digit death year is read within the century of the birth year (``(1902–70)`` -> 1970; ``(1890–03)``,
  across a century, yields nothing); a lifespan of fewer than 15 years (``(1830–33)``) yields nothing; so does
  a span after an office (``Governor of Bahia (1840–1861)``) or after a regnal name with bare years (``Henry
  VIII (1509–1547)``), and several spans in one description;
* month-year (``born in May 1815``) yields the year only;
* right after a verb (``was born``, ``died``) a value without ``on``/``in`` must be a full date
  (``was born 10 December 1815``, not ``was born 1815``); in apposition or parentheses bare years are fine;
* a value followed by an alternative or range (``1815 or 1816``, ``born 1815–1820``) or by a unit (``died in
  200 years``) yields nothing; a place followed by ``or`` likewise;
* a weekday alone is no date (``died on Tuesday``); not matched: ``died of wounds received on DATE`` (only the
  listed ways of dying may stand before the date); allowed between the subject and ``was born``/``died``: a
  parenthetical (``X (née Byron) was born``), a lowercase-initial appositive without inner commas (``X, a poet,
  was born``, ``X, who met Babbage, was born``, ``X, aged 36, died``), an obituary's age and town (``X, 83, of
  Knoxville, Iowa, died``), or the comma closing a name in apposition to the subject (``Ada's father, Lord Byron,
  was born``: Lord Byron's birth; not after ``of``: ``The son of Ada Lovelace, died``).
"""

from __future__ import annotations

from .dates import MONTHS_EN
from .linear import Checks
from .phrases import Language, Phrase
from .names import NameLexicon
from .places import PlaceLexicon, institution_source
from .subject import SubjectLexicon
from .charclass import U, W, alternation, longest_first

_MONTH_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())

# Occupational descriptors that are not also common given names or surnames (no Mason, Carter, Taylor ...).
_OCCUPATIONS = frozenset(
    """Poet Writer Novelist Author Painter Composer Scientist Mathematician Physicist Chemist Biologist
    Philosopher Historian Economist Astronomer Engineer Inventor Explorer Playwright Politician Statesman
    Actor Actress Singer Musician Pianist Violinist Conductor Artist Sculptor Architect Journalist
    Photographer Filmmaker Businessman Businesswoman Entrepreneur Activist Lawyer Physician Surgeon
    Theologian Linguist Botanist Geologist Cartographer Navigator Aviator Athlete Footballer Cricketer
    Boxer Soldier Sailor Merchant Banker Industrialist Philanthropist Diplomat Reformer Revolutionary
    Psychologist Psychiatrist Sociologist Anthropologist Archaeologist Zoologist Physiologist Philologist
    Dramatist Essayist Translator Scholar Critic Dancer Comedian Director Producer Priest Monk Nun Saint
    Missionary Preacher Mystic Prophet General Admiral Commander Officer Warrior Pilot Astronaut
    Astrologer Alchemist Polymath Naturalist Educator Teacher Professor Nurse Doctor Judge Jurist""".split()
)

# Nationalities, as a museum or catalogue label gives them before a lifespan ("Jane Doe (Irish, 1902–1970)").
_DEMONYMS = frozenset(
    """Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian Australian Austrian
    Azerbaijani Bahamian Bangladeshi Barbadian Belarusian Belgian Beninese Bolivian Bosnian Brazilian British
    Bulgarian Burmese Cambodian Cameroonian Canadian Catalan Chadian Chilean Chinese Colombian Congolese
    Croatian Cuban Cypriot Czech Danish Dominican Dutch Ecuadorian Egyptian English Eritrean Estonian Ethiopian
    Fijian Filipino Finnish Flemish French Gambian Georgian German Ghanaian Greek Guatemalan Guinean Guyanese
    Haitian Honduran Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian
    Jamaican Japanese Jordanian Kazakh Kenyan Korean Kosovar Kuwaiti Kyrgyz Latvian Lebanese Liberian Libyan
    Lithuanian Luxembourgish Macedonian Malagasy Malawian Malaysian Malian Maltese Mauritian Mexican
    Moldovan Mongolian Montenegrin Moroccan Mozambican Namibian Nepalese Nigerian Nigerien Norwegian Omani
    Pakistani Palestinian Panamanian Paraguayan Persian Peruvian Polish Portuguese Prussian Qatari
    Romanian Russian Rwandan Salvadoran Samoan Saudi Scottish Senegalese Serbian Singaporean Slovak Slovakian
    Slovenian Somali Soviet Spanish Sudanese Swedish Swiss Syrian Taiwanese Tajik Tanzanian Thai
    Tibetan Togolese Tongan Trinidadian Tunisian Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek
    Venezuelan Vietnamese Welsh Yemeni Yugoslav Zambian Zimbabwean African Asian European""".split()
) | frozenset(("Puerto Rican", "Costa Rican", "Sri Lankan", "South African", "South Korean", "North Korean",
               "New Zealand", "Saudi Arabian"))

NAMES_EN = NameLexicon(
    particles=frozenset(
        "van von de da del della dei degli di du des le la bin bint ibn ben al el y of der den ten ter the "
        "dos das do zu zum zur vom af av".split()
    ),
    leading_particles=frozenset(
        "van von de da del della dei degli di du des der den ten ter bin ibn al dos das do zu vom".split()
    ),
    elisions=frozenset("d l de del al el ad an ar as ash at az".split()),
    suffixes=frozenset("Jr. Jr Sr. Sr Jnr. Jnr Snr. Snr".split()),
    strip_leading=frozenset(
        """Then When After Before Later Afterwards Afterward Eventually Finally Meanwhile Subsequently Soon
        Shortly Thereafter Thus Hence However Moreover Furthermore Also And But So Yet Or Nor Although Though
        While Whilst Whereas Because Since Until Till Once If As Unless Where Whereupon Sadly Tragically
        Unfortunately Fortunately Famously Notably Reportedly Apparently Allegedly Indeed Nevertheless
        Nonetheless Accordingly Consequently Today Yesterday Now Ultimately Initially Originally Previously
        Earlier Recently Likewise Similarly Additionally Instead Perhaps Maybe Presumably Evidently Clearly
        Interestingly Curiously Remarkably Surprisingly Ironically Historically Traditionally Officially
        Only That Whether Reputedly Supposedly Probably Possibly Certainly Undoubtedly Actually
        Mr Mrs Ms Miss Dr Prof Professor Rev Revd Emeritus Emerita""".split()
    )
    # Sentence-initial occupational descriptors ("Poet Ada Lovelace was born ..."), stripped only from the start
    # of a longer run.
    | _OCCUPATIONS,
    reject_leading=frozenset(
        """The A An This These Those His Her Their Its Our My Your Whose Every Each Some Any No All Many Most
        Several Few Such Another Other In At On From Near By With Of For To Into Onto Upon Under Over Across
        Inside Outside Within Throughout Around Beyond Behind Beside Between Among Against Along During Despite
        Without Like Unlike Via Per Toward Towards Through About Dear""".split()
    )
    # Articles of other languages that capitalize nouns or write them after an article ("Die Firma (1902–1970)"),
    # none of them also an English given name.
    | frozenset("Die Der Das Dem Den Het Een Ein Eine Einer Los Las Gli Il".split()),
    non_names=frozenset(
        """He She It They We I You Him Them Us Me Who Whom Which What There Here Nobody Somebody Someone Anyone
        Anybody Everyone Everybody None Nothing Something Everything One Neither Either Both Others Thousands
        Millions Hundreds Dozens Scores Tens Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Twenty
        Fifty Hundred Thousand Million Untitled Anonymous""".split()
    ),
    reject_preceding=frozenset(
        """of the a an by to for with from at in on into onto upon than about under over against between among
        like unlike via toward towards through this these those his her their its our my your whose every each
        no some any""".split()
    ),
    months=_MONTH_WORDS,
    determiners=frozenset({"the"}),
    # Not surnames as well (no Church, Park, Temple, Street, Castle ...).
    non_person=frozenset(
        """War Wars Battle Revolution Empire Dynasty Republic Kingdom Company Corporation Corp. Inc. Inc Ltd Ltd.
        Party Army Navy University College Society Museum Festival Olympics Treaty Era Crisis Movement Council
        Congress Parliament Government Ministry Department Railway Railroad Series Album Edition Chapter Table
        Figure Section Period Administration Presidency Tournament Championship League Expedition Campaign
        Siege Rebellion Uprising Conflict Crusade Plague Famine Depression Recession Program Programme Project
        Agreement Conference Exhibition Exposition Team Band Orchestra Club School Institute Foundation
        Association Union Federation Commission Committee Airlines Records Studios Pictures Games Magazine
        Journal Gazette Hospital Cathedral Airport Avenue Theatre Theater God Windows Software Version State
        Airways""".split()
    ),
    relatives=frozenset("who whom which that whose".split()),
    alone_non_names=_DEMONYMS,
    # Before a given name and a surname; kept before a lone word (Lord Byron, Lady Gaga).
    titles=frozenset(
        """Sir Dame Lady Lord Madame Mme. Dr. Dr Mr. Mr Mrs. Mrs Ms. Ms Miss Prof. Prof Professor Rev. Revd Rev
        Reverend Fr. Sr. Hon. Sen. Rep. Gov. Gen. Lt. Col. Maj. Capt. Sgt. Adm. Cmdr. Msgr. Captain Colonel
        Lieutenant Sergeant Senator""".split()
    ),
    max_tokens=6,
)

PLACES_EN = PlaceLexicon(
    particles=frozenset(
        "of de la le du des di da del della dei upon am an der den sur y el al do dos das im bei en aan op".split()
    ),
    abbreviations=frozenset("St. Ste. Mt. Ft. Pt.".split()),
    articles=frozenset({"The"}),
    not_places=_MONTH_WORDS
    | _WEEKDAYS
    | frozenset(
        """Spring Summer Autumn Fall Winter The A An World War Battle Office Hospital Prison Exile Infancy
        Childhood Childbirth Action Combat Captivity Obscurity Poverty Christ Peace Hiding Transit Custody
        Service He She It They We I His Her Their This That These Those Its My Our Your Some Every Each Year
        Age Early Late Middle Mid Part Chapter Volume Section Act Book Episode Season Series AD BC
        Anytown Anyville Anycity Anyplace Someplace Sometown Unknown Home Sea Christmas Easter Dawn Noon
        Midnight""".split()
    ),
    # Heads of institutions and buildings where people are born or die; not those that also end town names
    # (Castle: Barnard Castle; Court: Hampton Court; Hall: Mill Hall).
    institutions=frozenset(
        """Hospital Hospice Home Infirmary Clinic Center Centre Sanatorium Sanitarium Asylum Church Cathedral
        Chapel Abbey Monastery Convent Priory Mosque Synagogue Seminary School College University Academy
        Institute Hotel Inn Prison Jail Gaol Penitentiary Palace House Residence Theatre Theater Museum Library
        Airport""".split()
    ),
    determiners=frozenset("a an the his her their its".split()),
    # "Paducah, McCracken County, Kentucky, USA": a memorial page's place names its county too.
    max_extra_components=3,
)


# "died" in other words, read as "died" is: "passed away", and an obituary's words for a death ("Jane Doe went home
# to be with the Lord on Saturday, January 7, 2023", "entered into rest August 22, 2023"); not the words that may
# mean something else ("was called home", "went to her reward").
_PASSED_AWAY = ("passed away", "went home to be with the Lord", "went to be with the Lord", "entered into rest",
                "entered into eternal rest", "entered eternal rest", "passed from this life")

SUBJECTS_EN = SubjectLexicon(
    headword_markup=True,
    numbered_senses=True,
    intro_verbs=frozenset("is was".split()),
    intro_articles=frozenset("a an the".split()),
    clause_verbs=frozenset("is was are were has had became".split()),
    pronouns=frozenset("He She".split()),
    determiners=frozenset({"The"}),
    person_nouns=frozenset(w.lower() for w in _OCCUPATIONS)
    | frozenset(
        """man woman boy girl child person king queen emperor empress prince princess duke duchess pope sultan
        ruler leader founder monarch pharaoh chief saint hero heroine lady lord""".split()
    ),
    place_prepositions=frozenset({"in", "at"}),
    relations=frozenset(
        """daughter son wife husband spouse partner widow widower mother father brother sister child children
        grandson granddaughter grandfather grandmother nephew niece cousin uncle aunt consort mistress heir successor
        predecessor
        student pupil teacher disciple""".split()
    ),
    offices=frozenset(
        """King Queen Emperor Empress President Vice Pope Antipope Caliph Sultan Governor Chancellor Prime Minister
        Premier Secretary Senator Mayor Prince Princess Grand Duke Duchess Archduke Archduchess Count Countess Earl
        Marquess Marquis Viscount Baron Baroness Lord Elector Margrave Landgrave Regent Viceroy Consul Doge Khan
        Tsar Czar Tsarina Shah Emir Amir Vizier Pharaoh Bishop Archbishop Cardinal Patriarch Abbot Abbess Prior
        Dean Chairman Chairwoman Chair Speaker Chief Director Head Leader Commander Captain Ambassador Dey Bey
        Nawab Maharaja Raja Rani Shogun Daimyo Ruler Monarch Sovereign Co-Emperor Co-Regent""".split()
    ),
    # Heads of descriptions that are not of a person: works, groups, institutions, events and periods.
    non_person_heads=frozenset(
        """dynasty dynasties war wars empire kingdom period era age reign rule regime presidency tenure term
        administration government conflict revolution rebellion uprising battle siege campaign expedition
        crusade movement band group company firm corporation brand system software program programme series
        film movie novel book album song game show play opera building church temple cathedral castle palace
        bridge tower product family party team club school college university magazine newspaper journal
        festival exhibition treaty crisis famine plague pandemic epidemic parliament council tournament
        championship season league competition site website page hotel restaurant ship liner vessel boat
        locomotive car aircraft airplane station street road railway line mine factory brewery bank shop store
        airline label studio theatre theater museum library park garden monument statue painting
        sculpture poem story symphony work works newspaper radio television channel network organization
        organisation institution association society union agency franchise character""".split()
    ),
    heading_words=frozenset("I He She".split()),
    # A heading's label before the name it is about: "In memoriam: Jane Doe", "Obituary – Jane Doe", "Remembering
    # Jane Doe", "A tribute to Jane Doe".
    heading_labels=frozenset(["in memoriam", "obituary", "tribute", "tribute to", "farewell", "farewell to",
                              "remembrance"]),
    heading_openers=frozenset(["in memory of", "remembering", "celebrating", "a tribute to", "tribute to",
                               "farewell to"]),
    # A profile or CV page's line naming its person: "Name: Jane Doe", "Full name: Jane Doe"; an infobox copied as
    # text names its person after "Born" ("Born<TAB>Jane Doe", a birth name; the infobox block below).
    name_keys=frozenset(["name", "full name"]),
    infobox_name_keys=frozenset(["Born"]),
    datelines=True,
    news_titles=frozenset("Sen. Rep. Gov. Gen. Lt. Col. Maj. Capt. Sgt. Adm. Cmdr. Hon. Rev. Msgr.".split()),
    aliases=frozenset(["known as"]),
    # Words that show a person's gender in a fact's sentence ("My great-grandfather Jan Novak was born ...").
    male=frozenset(
        """He he him his himself man boy father grandfather great-grandfather son grandson brother husband widower
        uncle nephew king prince duke emperor mr mr. sir lord monk""".split()
    ),
    female=frozenset(
        """She she her hers herself woman girl mother grandmother great-grandmother daughter granddaughter sister
        wife widow aunt niece queen princess duchess empress mrs mrs. miss ms ms. lady dame nun""".split()
    ),
    news_verbs=frozenset(["died", "dies", "has died", "has passed away", *_PASSED_AWAY]),
    news_times=_WEEKDAYS | frozenset("peacefully suddenly unexpectedly yesterday today overnight".split()),
    honorifics=frozenset("Dr. Dr Mr. Mr Mrs. Mrs Ms. Ms Sir Dame Lady Lord Saint St. Sr. Fr. Rev. Prof.".split()),
    not_headings=frozenset(
        """Home Contents Menu Search Index Navigation Welcome Introduction Abstract Summary Overview Login
        Notes References Biography Profile About News Blog Archive Help""".split()
    )
    # an obituary page's label lines
    | frozenset("Obituary Obituaries Tribute Tributes Remembrance Memorial Memorials Eulogy Condolences".split())
    # chronologies (the chronology block below)
    | frozenset("Timeline Chronology Events Births Deaths".split()),
)


# Nouns that end a cause of death ("of cancer", "of a heart attack", "of natural causes", "of old age"): after
# "died of", up to three words ending in one may stand between the verb and its place or date.
_CAUSES_OF_DEATH = frozenset(
    """cancer pneumonia tuberculosis consumption cholera typhus typhoid fever smallpox influenza flu malaria
    leukemia leukaemia dysentery plague apoplexy dropsy stroke attack failure disease illness causes
    complications injuries wounds tumour tumor haemorrhage hemorrhage sepsis septicemia diabetes cirrhosis
    emphysema asthma meningitis diphtheria measles syphilis infection overdose exhaustion starvation age
    AIDS""".split()
)
_WEEKDAY = "|".join(sorted(_WEEKDAYS))
_DEMONYM_ALT = alternation(_DEMONYMS)
_DEMONYM = rf"(?:{_DEMONYM_ALT})(?:-born)?"


def _tail(event: str, bare: str) -> str:
    """``[on|in] DATE [in PLACE]`` or ``in PLACE [on|in DATE]``; ``bare`` is the placeholder allowed without a
    preposition (``FULLDATE`` after a verb: ``was born 10 December 1815`` but not ``was born 1815``)."""
    # The two date-first forms share their tail, and with bare DATE their date too: written once, the pattern
    # matches the same text in the same order of preference and compiles faster (compiling is a per-process cost).
    prep = r"(?:on(?:{SP}the)?|in){SP}"
    # After a verb, a weekday before a date ("died Tuesday, May 9, 1970", "died on Friday, 2 November 1984"); a
    # weekday alone is no date ("died on Tuesday"). Only there: every alternative costs compile time.
    day = rf"(?:(?:{_WEEKDAY}),?{{SP}})?"
    date = rf"(?:{prep})?{{DATE:{event}_date}}" if bare == "DATE" else \
        rf"(?:{prep}{day}{{DATE:{event}_date}}|{day}{{{bare}:{event}_date}})"
    # The place, or an institution (not a place) and its place if it follows: "at St. Mary's Hospital in Dublin",
    # "at a nursing home in Dublin", "at St. Mary's Hospital" (no place). After the institution, a date before a
    # place: "at St. Mary's Hospital, in May 1970" ("in May" is no place).
    place = rf"{{PLACE:{event}_place}}"
    where = rf"(?:in|at){{SP}}(?:{{INSTITUTION}}(?:,?{{SP}}in{{SP}}{place})?|{place})"
    later = rf"(?:,?{{SP}}{prep}{{DATE:{event}_date}}{{STOP}})"
    where_then_date = rf"(?:in|at){{SP}}(?:{{INSTITUTION}}(?:{later}|,?{{SP}}in{{SP}}{place}{later}?)?|{place}{later}?)"
    # A weekday without its date before the place ("died on Sunday in Dublin").
    weekday = rf"(?:on{{SP}}(?:a{{SP}})?(?:{_WEEKDAY}){{SP}})?"
    return rf"{date}{{STOP}}(?:,?{{SP}}{where})?|{weekday}{where_then_date}"


MACROS_EN = {
    # A dash between two dates, or "to" ("(1815 to 1852)").
    "DASH": r"(?:\s*(?:--|[-\u2010-\u2015\u2212])\s*|\s+to\s+)",
    # After a verb ("was born", "died"): a bare value must be a full date.
    "BIRTH_V": _tail("birth", "FULLDATE"),
    "DEATH_V": _tail("death", "FULLDATE"),
    # In apposition or parentheses ("X, born 1815, died 1852", "(b. 1815)"): bare years too.
    "BIRTH_A": _tail("birth", "DATE"),
    "DEATH_A": _tail("death", "DATE"),
    # How someone died, between the verb and its tail ("died following a stroke on ...", "died peacefully in ...").
    "DEATH_HOW": r"(?:peacefully|suddenly|unexpectedly|at{SP}home|in{SP}(?:hospital|(?:his|her){SP}sleep)"
                 r"|(?:following|after){SP}(?:a{SP})?(?:(?:short|long|brief){SP})?(?:illness|stroke|heart{SP}attack)"
                 r"|of{SP}(?:(?:a|an|the){SP})?(?:(?:{L}(?:{W}|-)*|{U}{W}*['’]s){SP}){0,2}(?:"
                 + "|".join(sorted(_CAUSES_OF_DEATH)) + r")),?{SP}",
    "INSTITUTION": institution_source(PLACES_EN),
    # "... and died ...", ", died ..." after a birth clause (same subject).
    "DEATH_CONT_V": r"\s*[,;]?{SP}(?:and{SP})?died{SP}(?:{DEATH_V})",
    "DEATH_CONT_A": r"\s*[,;]?{SP}(?:and{SP})?died{SP}(?:{DEATH_A})",
    # A date, a comma and a place without a preposition (encyclopedia and news style: "born March 3, 1902, Cork,
    # Ireland", "born April 2, 1965, Sacramento, Calif."): read only where what follows ends the place (a closing
    # parenthesis, a "died" part, a verb), since in a list the next item is a name ("X, born 1965, Y, born 1967").
    # A bracketed note may follow the place ("Nkroful, Gold Coast [now Ghana]").
    "BIRTH_BARE": r"{DATE:birth_date}{STOP},{SP}{PLACE:birth_place}\.?(?:\s*\[[^\[\]()\n]{1,60}\])?",
    "DEATH_BARE": r"{DATE:death_date}{STOP},{SP}{PLACE:death_place}\.?(?:\s*\[[^\[\]()\n]{1,60}\])?",
    # Inside parentheses: "(born 1815; died 1852)", "(b. 1815 – d. 1852)", "(born March 3, 1902, Cork—died ...)".
    "PAREN_DEATH": r"(?:\s*[;,]\s*|{DASH})(?:died|d\.){SP}(?:{DEATH_BARE}|{DEATH_A})",
    "PAREN_END": r"\s*(?P<ahead>[);,])",
    # What a lead's parenthesis may hold before the dates, each part followed by ";" or ",": a pronunciation
    # ("/ˈdoʊ/ DOH", "[ameˈdɛːo]", "listen", "ⓘ", "pronounced ..."), a native spelling ("Irish: Síne Ní
    # Dhubhda", "Russian: Иван Петров"), "also", or nothing left of a part a text export dropped ("(, also, ...").
    "PAREN_LEAD": r"(?:(?:/[^/()\n]{1,60}/[^;,()\d\n]{0,40}|\[[^\[\]()\n]{1,60}\]|listen|\u24d8|also"
                  r"|pronounced{SP}[^;,()\d\n]{1,60}|{U}{W}+(?:{SP}{U}{W}+){0,2}:[^;()\d\n]{1,80}|{DEMONYM})?"
                  r"\s*[;,]\s*){1,4}",
    # A museum or catalogue label's nationality before the dates, "(Irish, 1902–1970)", "(Irish-American, born
    # 1962)", "(American-born British, b. 1950)".
    "DEMONYM": rf"{_DEMONYM}(?:[- ]?{_DEMONYM}){{0,2}}",
}

# Optional insertion between a subject and its verb: a parenthetical ("X (née Byron) was born", "X (1815–1852)
# died") or a lowercase-initial appositive without inner commas ("X, a poet, was born", "X, aged 36, died"),
# after an obituary's age or instead of it ("X, 68, of Cork, died", "X, age 68, died", "X, 83, of rural Knoxville,
# Iowa, died": the town and its state after the age); or the comma that closes a name in apposition to the
# subject ("My grandmother, Zofia Nowak, was born", "His wife, Christina, died"): the name is the subject's.
_INSERT = (r"(?:\s*\([^()\n]{1,80}\)|,\s+(?:(?:aged?\s+)?\d{1,3},\s+)?[a-z][^,.;:!?()\[\]\n\"“”]{0,80},"
           r"|,\s+(?:aged?\s+)?\d{1,3},(?:\s+of\s+[^,.;:!?()\[\]\n\"“”]{1,60},\s+[^,.;:!?()\[\]\n\"“”]{1,40},)?|,)?")

# An optional lowercase-initial appositive between a subject and an attached ", born" ("X, a poet, born 1815").
_APPOSITIVE = r"(?:,\s+[a-z][^,.;:!?()\[\]\n\"“”]{0,80})?"



def _abbreviated(event: str) -> str:
    """A genealogy's ``DATE[,] [in] PLACE`` or ``in PLACE`` after ``b.`` or ``d.``: smaller than the tails of
    ``born`` (one date, no institution; compiling is a per-process cost), the statement's end checked after it."""
    place = rf"{{PLACE:{event}_place}}(?:\s*\[[^\[\]()\n]{{1,60}}\])?"
    return rf"{{SP}}(?:{{DATE:{event}_date}}{{STOP}}(?:,?{{SP}}(?:in{{SP}})?{place})?|in{{SP}}{place})"


# The end of a genealogy's abbreviated statement: of its sentence (a full stop, which its place may have taken:
# "Washington, D.C."), a semicolon, or its line; read from the statement's last character.
_ABBREVIATED_END = r"{LAST}(?:\.(?:\s|\Z)|.\s*(?:[.;](?:\s|\Z)|\r?\n|\Z))"

PHRASES_EN: tuple[Phrase, ...] = (
    # "X, born April 2, 1965, Sacramento, Calif., is a writer."
    Phrase("comma_born_place", "born", r"{SP}(?:{BIRTH_BARE})", before=_APPOSITIVE + r"\s*[,;]\s*",
           follow=r",?\s+(?:is|was|has|had|became|lives|lived|died)\b"),
    Phrase("was_born", "born", r"{SP}(?:{BIRTH_V})(?:{DEATH_CONT_V})?", before=_INSERT + r"\s+was\s+"),
    # "X, born ...", "X, a poet, born ...", "X; born ...", "X, a poet and critic; born ..."
    Phrase("comma_born", "born", r"{SP}(?:{BIRTH_A})(?:{DEATH_CONT_A})?", before=_APPOSITIVE + r"\s*[,;]\s*"),
    Phrase("died", "died", r"{SP}(?:{DEATH_HOW})?(?:{DEATH_V})", before=_INSERT + r"\s+"),
    # A genealogy's or reference list's abbreviations outside parentheses: "X, b. 1790, Wiltshire; d. 1861.", "X,
    # b. 1822; d. 1899, Bath." (the tails of "(b. ...; d. ...)"), the statement ending its sentence or line, so a
    # list's next name is not read as a place ("X, b. 1790, Y, b. 1792" gives nothing). Not "X, d. 1861" alone:
    # where a birth is no statement ("X, b. abt. 1790, Wiltshire, d. 1861") the place would be read as a name.
    Phrase("comma_b", "b.", _abbreviated("birth") + r"(?:\s*[;,]\s*d\." + _abbreviated("death") + ")?",
           before=_APPOSITIVE + r"\s*[,;]\s*", follow=_ABBREVIATED_END),
    # A relative clause right after its antecedent: "X, who was born in Cork in 1902, ...", "X, who died in ..."
    # (same patterns as "X was born", "X died": the glue alone differs).
    Phrase("who_was_born", "born", r"{SP}(?:{BIRTH_V})(?:{DEATH_CONT_V})?", before=r",\s+who\s+was\s+"),
    Phrase("who_died", "died", r"{SP}(?:{DEATH_HOW})?(?:{DEATH_V})", before=r",\s+who\s+"),
    *(Phrase(words.replace(" ", "_"), words, r"{SP}(?:{DEATH_HOW})?(?:{DEATH_V})", before=_INSERT + r"\s+")
      for words in _PASSED_AWAY),
    # "X (born ...)", "X (died ...)"; an encyclopedia's "X, (born ...—died ...), Ghanaian leader" after a comma (the
    # same patterns: the glue alone differs).
) + tuple(
    Phrase(name + suffix, "(", after, before=glue, subject=False)
    for suffix, glue in (("", r"\s*"), ("_comma", r"\s*,\s*"))
    for name, after in (
        ("paren_born", r"\s*(?:{PAREN_LEAD})?(?:born|b\.){SP}(?:{BIRTH_BARE}|{BIRTH_A})(?:{PAREN_DEATH})?{PAREN_END}"),
        ("paren_died", r"\s*(?:{PAREN_LEAD})?(?:died|d\.){SP}(?:{DEATH_BARE}|{DEATH_A}){PAREN_END}"),
    )
) + (
    Phrase(
        "lifespan",
        "(",
        r"\s*(?:{PAREN_LEAD})?(?:(?:born|née|né)\s+[^;()\d\n]{1,80};\s*)?"
        r"{DATE:birth_date}(?:,?{SP}in{SP}{PLACE:birth_place})?"
        r"{DASH}{DATE:death_date}(?:,?{SP}in{SP}{PLACE:death_place})?\s*\)",
        before=r"\s*",
        subject=False,
    ),
    # A subjectless "Born 1907, died 1973." in a description block: about the subject it describes.
    Phrase(
        "born_subjectless",
        "Born",
        r"{SP}(?:{BIRTH_A})(?:{DEATH_CONT_A})?",
        entity="subject",
        before=r"(?:^|[.!?:;\n])\s*",
        follow=r"\s*[.;]",
    ),
    # "Born in Cork on 3 March 1902, she ...": the pronoun's single subject (shares comma_born's pattern).
    Phrase(
        "born_pronoun",
        "Born",
        r"{SP}(?:{BIRTH_A})(?:{DEATH_CONT_A})?",
        entity="page",
        before=r"(?:^|[.!?:;\"“”'’()\[\]\n])\s*",
        follow=r",\s+(?:she|he)\s",
    ),
    Phrase(
        "born_forward",
        "Born",
        r"{SP}(?:{BIRTH_A}),{SP}{NAME:entity}(?P<ahead>,?\s+{L}|\s*\()",
        entity="group",
        before=r"(?:^|[.!?:;\"“”'’()\[\]\n])\s*",
    ),
)

# Key-value lines of a profile page or an infobox ("Born: 3 March 1902, Cork, Ireland", "Died: 9 May 1970 (aged 68)
# Dublin", "Birthplace: Cork"): the key opens a line (a list bullet allowed) and the value fills the rest of it, a
# parenthetical such as "(aged 68)" allowed; a date, a place, or a date then a place.
_KEY = r"(?:^|\n)[ \t]*(?:[*\u2022-][ \t]*)?"
_KEY_END = r"[ \t]*(?:\([^()\n]{0,40}\)[ \t]*)?(?:\r?\n|\Z)"


def _key_value(event: str) -> str:
    # No whitespace before the optional parts: an empty match must not stop the line from being read.
    return (rf"(?:[ \t]*{{DATE:{event}_date}}{{STOP}}(?:[ \t]*\([^()\n]{{1,40}}\))?)?"
            rf"(?:(?:,[ \t]*|[ \t]+)(?:in[ \t]+)?{{PLACE:{event}_place}})?")


PHRASES_EN += (
    Phrase("key_born", "Born:", _key_value("birth"), entity="page", before=_KEY, line=True,
           follow=_KEY_END),
    Phrase("key_died", "Died:", _key_value("death"), entity="page", before=_KEY, line=True,
           follow=_KEY_END),
    Phrase("key_birthplace", "Birthplace:", r"[ \t]*{PLACE:birth_place}", entity="page", before=_KEY, line=True,
           follow=_KEY_END),
) + tuple(
    # "Date of birth: 3 March 1902", "Place of Death: Dublin"
    Phrase(f"key_{kind}_of_{event}", f"of {initial}{event[1:]}:", rf"[ \t]*{{{kind.upper()}:{event}_{kind}}}",
           entity="page", before=_KEY + kind.capitalize() + r"[ \t]+", line=True, follow=_KEY_END)
    for event in ("birth", "death") for initial in (event[0], event[0].upper()) for kind in ("date", "place")
) + tuple(
    # A memorial or genealogy page's "Birth: 11 Jan 1903, Paducah, McCracken County, Kentucky, USA", "Death: ...",
    # "Birth date: 11 Jan 1903", "Death place: Evansville" (one keyword and one pattern for the forms of an event:
    # the value is read by its form, as after "Born:").
    Phrase(f"key_{event}", event.capitalize(), r"(?:[ \t]+(?:[Dd]ate|[Pp]lace))?:" + _key_value(event),
           entity="page", before=_KEY, line=True, follow=_KEY_END)
    for event in ("birth", "death")
)



def _infobox(event: str) -> str:
    """An infobox copied as text, its key and value tab-separated, the value's parts on lines of their own: ``Born
    <TAB>Jane Doe⏎12 October 1932⏎Szeged, Hungary``, ``Died<TAB>3 May 2011 (aged 78)⏎Budapest, Hungary``: an
    optional name (a birth name; without digits), the date and its parentheticals filling a line, the place
    filling the next if it does (a line without a tab: ``Nationality<TAB>Hungarian`` is the next key)."""
    return (rf"\t[ \t]*(?:[^\n\d]{{1,60}}\r?\n[ \t]*)?{{DATE:{event}_date}}{{STOP}}(?:[ \t]*\([^()\n]{{1,40}}\))*"
            rf"(?:\r?\n[ \t]*{{PLACE:{event}_place}})?(?P<ahead>[ \t]*(?:\r?\n|\Z))")


PHRASES_EN += (
    Phrase("infobox_born", "Born", _infobox("birth"), entity="page", before=_KEY),
    Phrase("infobox_died", "Died", _infobox("death"), entity="page", before=_KEY),
)

# -- Dated lists and chronologies (floor/extract/chronology.py) ---------------------------------------------------
# One statement a line, the date split across it: "Mar 3  Jane Doe is born in Cork, 1902", "03/03<TAB>Jane Doe born
# in Cork, 1902", "1902 – Jane Doe, Irish poet, born in Cork", "May 9  poet Jane Doe dies at 68 in Dublin, 1970";
# under a Births or Deaths heading without a verb, the rest of the date from the page: "March 3 – Jane Doe, Irish
# poet (d. 1970)" on a page headed 1902. The name follows the date prefix, after an optional descriptor ending in a
# noun of people ("poet", "American actor"); an appositive after it must hold one too (or a relation: "wife of
# X"), so "Jane Doe, John Roe, born ..." (two people) is not read as one.
_CHRON_BULLET = r"(?:[*\u2022-][ \t]*)?"
_CHRON_WORDS = "|".join(sorted(SUBJECTS_EN.person_nouns, key=longest_first))
# A word ends at a character that is no word's (nor a hyphen's); written as such where the noun may be followed by
# more of a description ("poet" in "poet and critic", not in "poetess").
_WORD_END = r"[^\w,;\n()-]"
_CHRON_NOUN = rf"(?:{_CHRON_WORDS})"
_CHRON_RELATION = rf"(?:{'|'.join(sorted(SUBJECTS_EN.relations, key=longest_first))})"
_CHRON_DESCRIPTOR = r"(?:(?:{U}[\w-]*[ \t]+){0,2}(?:[a-z][\w-]*[ \t]+){0,2}" + _CHRON_NOUN + r"[ \t]+)?"
_CHRON_APPOSITIVE = (r"(?:,[ \t]+(?:[^,;\n()]*[ \t])?(?:" + _CHRON_NOUN + "|" + _CHRON_RELATION
                     + rf")(?:{_WORD_END}[^,;\n()]*)?,|[ \t]*\([^()\n]{{1,60}}\))?")
# A line's end: an optional full stop, nothing more.
_CHRON_END = r"[ \t]*\.?[ \t]*\r?\Z"
_CHRON_DASH = r"[ \t]*[-\u2010-\u2015\u2212:]"


def _chron_prefix(event: str) -> str:
    """The date opening a dated line: a month and day (its year optional), a numeric day, or a year (of three or
    four digits, or with an era: a number of one or two is a list's number)."""
    return (rf"[ \t]*{_CHRON_BULLET}(?:{{MONTHDAY:{event}_date}}(?:,?[ \t]+{{YEAR:{event}_date}})?"
            rf"|{{NUMDAY:{event}_date}}|{{YEAR:{event}_date}})")


_CHRON_NAME = _CHRON_DESCRIPTOR + "{NAME:entity}"


def _chron_verb(event: str, verbs: str, named: bool = True) -> str:
    """``[is|was] VERB [at|aged N] [in|at PLACE] [at|aged N] [, YEAR]`` after the date and a dash, a colon or
    spaces: something must follow the verb, and a space precede it (``1902:born`` is no statement; the raw
    contexts of the prefilter expect the space)."""
    age = r",?[ \t]+(?:at|aged)[ \t]+\d{1,3}"
    place = rf",?[ \t]+(?:in|at)[ \t]+{{PLACE:{event}_place}}"
    year = rf",?[ \t]+{{YEAR:{event}_date}}"
    tail = rf"(?:{age}(?:{place})?(?:{age})?(?:{year})?|{place}(?:{age})?(?:{year})?|{year})"
    if named:
        lead = rf"(?:{_CHRON_DASH}[ \t]*|[ \t]+){_CHRON_NAME}{_CHRON_APPOSITIVE}[ \t]+(?:(?:is|was)[ \t]+)?"
    else:
        lead = rf"(?:{_CHRON_DASH}[ \t]*(?:is|was)[ \t]+|{_CHRON_DASH}[ \t]+|[ \t]+(?:(?:is|was)[ \t]+)?)"
    return rf"{_chron_prefix(event)}{lead}(?:{verbs}){tail}{_CHRON_END}"


def _chron_section(event: str, other: str, other_verbs: str) -> str:
    """A line under a Births or Deaths heading: the date, the name, an optional description (not naming another
    person with "and" or "with": :data:`_CHRON_OTHER_PERSON`), and the other event's date in parentheses
    (``(d. 1970)``)."""
    description = r"(?:,[ \t]+(?P<free>(?:[^()\n]|\([^()\n]*\)){1,160}?))?"
    return (rf"{_chron_prefix(event)}(?:{_CHRON_DASH}[ \t]*|[ \t]+){_CHRON_NAME}{description}"
            rf"(?:[ \t]*\((?:{other_verbs})[ \t]*{{DATE:{other}_date}}\))?{_CHRON_END}")


# What a description under a Births or Deaths heading may not hold: another person ("and John Roe", "with John Roe")
# or a list of them.
_CHRON_OTHER_PERSON = r"[;&]|[ \t](?:and|with)[ \t]+{U}"


PHRASES_CHRONOLOGY = (
    Phrase("chron_born", "born", _chron_verb("birth", "born"), entity="group", anchor="line"),
    Phrase("chron_died", "died", _chron_verb("death", "died"), entity="group", anchor="line"),
    Phrase("chron_dies", "dies", _chron_verb("death", "dies"), entity="group", anchor="line"),
    # A person's own timeline, without a name: "1902: born in Cork", "May 9, 1970 – dies in Dublin" (the page's
    # single subject, as a profile page's "Born: ..." line).
    Phrase("chron_born_page", "born", _chron_verb("birth", "born", named=False), entity="page", anchor="line"),
    Phrase("chron_Born_page", "Born", _chron_verb("birth", "Born", named=False), entity="page", anchor="line"),
    Phrase("chron_died_page", "died", _chron_verb("death", "died", named=False), entity="page", anchor="line"),
    Phrase("chron_dies_page", "dies", _chron_verb("death", "dies", named=False), entity="page", anchor="line"),
    Phrase("chron_births", "Births", _chron_section("birth", "death", r"d\.|died"), entity="group",
           anchor="section", excluding=_CHRON_OTHER_PERSON),
    Phrase("chron_deaths", "Deaths", _chron_section("death", "birth", r"b\.|born"), entity="group",
           anchor="section", excluding=_CHRON_OTHER_PERSON),
)

# A violent death in the passive: "John Doe was assassinated on November 22, 1963, in Dallas", "was hanged on 3
# May 1701 at Tyburn", "was killed in action on 4 November 1918", "was burned at the stake on 30 May 1431 in Rouen";
# an agent may stand before the date ("by John Roe", "by a firing squad"). Not "executed" alone: a contract or a
# plan is executed too.
_VIOLENT_MANNER = r"(?:{SP}(?:in{SP}action|at{SP}the{SP}stake|by{SP}(?:a{SP}firing{SP}squad|[A-Z][^,.;:()\n]{0,60}?)))?"
PHRASES_EN += tuple(
    Phrase(f"was_{verb}", verb, _VIOLENT_MANNER + r"{SP}(?:{DEATH_V})", before=_INSERT + r"\s+was\s+")
    for verb in ("assassinated", "murdered", "killed", "hanged", "beheaded", "guillotined", "burned")
)

# A possessive's birth or death, "Her birth in 1902", "his death on 9 May 1970 in Dublin": the document's single
# subject, as a pronoun is ("the birth of her son in 1930", "his death toll of 1,200" do not match). Not after
# until/till/to, the end of a reign or term ("King of Wessex from 871 until his death in 899"): a statement of the
# term, which gives the death in passing; left out until its precision is measured on labelled prose.
PHRASES_EN += tuple(
    Phrase(f"possessive_{event}", event, rf"{{SP}}(?:{{{event.upper()}_A}})", entity="page",
           before=r"[Hh](?:is|er)\s+", not_after=r"\w|until\s|till\s|\bto\s")
    for event in ("birth", "death")
)

_MONTH_PREFIXES = "|".join(sorted({m[:3] for m in MONTHS_EN}))
GUARDS_EN = {
    # What can follow "(" in a paren phrase: born/b./died/d.; or a date (digit, month), circa words, AD/CE, née, a
    # lead's parts, and then, before the next parenthesis, born/b./died/d. (after the lead's parts, which hold
    # none) or the dash of a lifespan (its dates and places hold none either). Lazy and stopped by a parenthesis:
    # linear in the text; no lookaround (the RE2 subset).
    "(": rf"\s*(?:born|b\.|died|d\.|(?:[\d~]|c\.|ca\.|circa|approx|about|around|A|C|n[ée]|(?i:{_MONTH_PREFIXES})"
         r"|[;,/\[\u24d8]|listen|pronounced|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}:|(?:" + _DEMONYM_ALT + r")[-, ])"
         r"[^()]*?(?:born|b\.|died|d\.|[-\u2010-\u2015\u2212]|\sto\s))",
    # A comma too: a dated line's verb may be followed by its year ("Jane Doe dies, 1970", chronology block above).
    "born": r"[\s,]",
    "Born": r"\s",
    "Died": r"\t",
    "died": r"[\s,]",
    **{words: r"\s" for words in _PASSED_AWAY},
    # chronology (the block above)
    "dies": r"[\s,]",
    "Births": r"[ \t]*=*[ \t]*:?[ \t]*\r?(?:\n|\Z)",
    "Deaths": r"[ \t]*=*[ \t]*:?[ \t]*\r?(?:\n|\Z)",
    # a genealogy's abbreviation: a date, a circa word or "in|at PLACE" after "b."
    "b.": rf"\s+(?:[\d~]|c\.|ca\.|circa|about|around|in\s|at\s|on\s|(?i:{_MONTH_PREFIXES}))",
    # key-value lines ("Birth: ...", "Death place: ...")
    "Birth": r"(?:[ \t]+[DdPp][a-z]{3,4})?:",
    "Death": r"(?:[ \t]+[DdPp][a-z]{3,4})?:",
    "birth": r"\s+(?:in|on)\s",
    "death": r"\s+(?:in|on)\s",
}

# The guards over-approximated on encoded bytes (a JSON line or UTF-8), for the raw-bytes prefilter. In a JSON
# line a whitespace is a space, an escape (starting with a backslash) or a multi-byte UTF-8 sequence (lead byte
# >= 0x80); raw control characters cannot occur in a JSON string but can in Parquet text. After "(" and
# whitespace comes the first character of a guard alternative: a digit or "~", a letter starting one of the
# words (months in either case), or an escape or non-ASCII byte (Unicode digits, whitespace, case variants such
# as the long s that (?i:sep) also matches).
_RAW_SPACE = rb"[\t-\r\x1c-\x20\\\x80-\xff]"
_RAW_SPACE_OR_COMMA = rb"[\t-\r\x1c-\x20\\\x80-\xff,]"
RAW_GUARDS_EN = {
    "(": rb"[\t-\r\x1c-\x20]*[0-9~abcdfjlmnopsA-Z,;/\[\\\x80-\xff]",
    "born": _RAW_SPACE_OR_COMMA,
    "Born": _RAW_SPACE,
    "Died": rb"(?:\t|\\t)",
    "died": _RAW_SPACE_OR_COMMA,
    **{words: _RAW_SPACE for words in _PASSED_AWAY},
    "dies": _RAW_SPACE_OR_COMMA,
    # "Birth:", "Birth date:", a space or tab as encoded ("\\t", "\\u00a0") before the word.
    "b.": _RAW_SPACE + rb"+[0-9~A-Za-z\\\x80-\xff]",
    "Birth": rb"[\t-\r -~\x80-\xff]{0,12}:",
    "Death": rb"[\t-\r -~\x80-\xff]{0,12}:",
    "birth": _RAW_SPACE,
    "death": _RAW_SPACE,
}

# Raw contexts (hyperscan only): each over-approximates, on the encoded bytes, every phrase of its keyword.
# One whitespace character as encoded: a raw byte (control characters occur in Parquet text), a short JSON escape,
# a \u escape, or a byte of a multi-byte UTF-8 sequence.
_RAW_WS = rb"(?:[\t-\r\x1c-\x20\x80-\xff]|\\[bfnrt]|\\u[0-9A-Fa-f]{4})"
# The first character of a born/died tail after its whitespace: "on", "in", "at", a digit, a circa word (c. ca.
# circa approx. about around ~), an era (AD, A.D., CE, C.E.), a month in any case, a weekday, a way of dying
# (peacefully, suddenly, unexpectedly, following, after, of), or an escape or non-ASCII byte (a Unicode digit, a
# case variant such as the long s).
_RAW_TAIL_START = rb"[0-9~oiacACjJfFmMsSnNdDOTWpu\\\x80-\xff]"
# Characters that may hold a digit (Unicode digits included) and the dashes of {DASH} ("-", "--", U+2010-2015,
# U+2212, or "to").
_RAW_DIGIT = rb"[0-9\\\x80-\xff]"
_RAW_DASH = rb"(?:[-\\\x80-\xff]|to)"
RAW_CONTEXTS_EN = {
    # "X was born", "X, born", "X; born": whitespace, a comma or a semicolon before the keyword.
    # A dated line's verb may be followed by a comma and its year ("born, 1902", chronology block above).
    "born": rb"(?:" + _RAW_WS + rb"|[,;])born(?:" + _RAW_WS + rb"+" + _RAW_TAIL_START + rb"|,)",
    # "X, b. 1790", "X; b. in Wiltshire": a comma or semicolon before it.
    "b.": rb"[,;]" + _RAW_WS + rb"*b\." + _RAW_WS + rb"+" + _RAW_TAIL_START,
    "died": _RAW_WS + rb"died(?:" + _RAW_WS + rb"+" + _RAW_TAIL_START + rb"|,)",
    "dies": _RAW_WS + rb"dies(?:" + _RAW_WS + rb"|,)",
    **{words: _RAW_WS + words.encode() + _RAW_WS + rb"+" + _RAW_TAIL_START for words in _PASSED_AWAY},
    # An infobox's "Born<TAB>Jane Doe" (the infobox block above): a tab, then anything.
    "Born": rb"Born(?:" + _RAW_WS + rb"+" + _RAW_TAIL_START + rb"|\t|\\t)",
    # "his birth in", "her death on": the possessive is left to the phrase's glue (hyperscan scans several times
    # slower for a pattern that starts with such a short, frequent alternation).
    "birth": rb"birth" + _RAW_WS + rb"+(?:in|on)" + _RAW_WS,
    "death": rb"death" + _RAW_WS + rb"+(?:in|on)" + _RAW_WS,
    # "(born ...", "(b. ...", "(died ...", "(d. ...", or a lifespan: a date, a dash and a date before ")".
    "(": rb"\((?:(?:[^()]*[;,])?" + _RAW_WS + rb"*(?:born|b\.|died|d\.)|[^()]*" + _RAW_DIGIT + rb"[^()]*" + _RAW_DASH
         + rb"[^()]*" + _RAW_DIGIT + rb"[^()]*\))",
}

# Not "in", "is", "an", "to", "as", "at", "he", "her", "by": common words of German, Dutch, Danish, Spanish
# or Portuguese too.
COMMON_WORDS_EN = ("the", "of", "and", "was", "with", "his", "that", "from", "which", "who", "she", "were",
                   "has", "been", "their")

# Words after a number that make it a quantity, not a year ("died in 200 years", "killed 1,200 people").
_UNITS = tuple("""year years yr yrs month months week weeks day days hour hours minute minutes times people persons men
    women children soldiers others miles km kilometers kilometres metres meters feet pounds dollars euros percent per
    %""".split())

ENGLISH = Language(
    code="en",
    common_words=COMMON_WORDS_EN,
    # Chronology phrases first: on a dated line they read the whole line, where another phrase ending at the same
    # place (its place) would read less of it.
    phrases=PHRASES_CHRONOLOGY + PHRASES_EN,
    months=MONTHS_EN,
    names=NAMES_EN,
    places=PLACES_EN,
    macros=MACROS_EN,
    subjects=SUBJECTS_EN,
    guards=GUARDS_EN,
    raw_guards=RAW_GUARDS_EN,
    raw_contexts=RAW_CONTEXTS_EN,
    checks=Checks(units=_UNITS),
)
