"""Stage 3 of extraction: whom a matched phrase is about.

The entity is first read locally: backward from where the glue starts (:meth:`NameReader.backward`) for
``entity="before"`` phrases, or the validated ``{NAME:entity}`` group for ``entity="group"`` phrases. Then the
document's subject may take its place, where the text says the statement is about it:

* the document subject is, in order, the title field (``"title"``), a heading (``"heading"``: the first of the
  first few lines that is short and reads as a name -- ``Jane Doe``, ``Jane Doe (poet)``, a dictionary headword
  ``Doe, Jane`` or ``Kant \\Kant\\ prop. n.``, after a label such as ``In memoriam:`` or ``Remembering``, a
  description after a comma and a title before the name dropped (``Obituary: Dr. Jane Doe, bandleader``) --
  after short label lines such as ``OBITUARIES``, ``About the Author`` or a headline, but not when the next line
  is another name; a ``Name: Jane Doe`` line (or an infobox's ``Born<TAB>Jane Doe``); an old reference work's
  entry opening with its headword in capitals, ``DOE, JANE (1902–1970), Irish poet, was born ...``, whose own
  statements are the headword's), or the person the lead sentence introduces at the start of the text or after
  label lines (``"lead"``: ``Jane Doe (born ...) was ...``, ``Jane Doe was ...``, ``Jane Doe, a poet, ...``, and
  news leads: ``NEW YORK (AP) — Sen. Jane Doe, who ...``, ``Jane Doe, 84, of Cork, ...``, ``Jane Doe died
  Monday``);
* under a title or heading, the first sentence of the text introducing a person by another name (``Jane Mary
  Smith, Countess of Cork (née Roe; 1902–1970) was ...``, ``Jane Maria da Silva (1902–1970), better known as Jane
  Doe, was ...``) gives its parenthetical to the subject;
* the description block (the lines after a heading up to the first blank line, such as ``Irish poet and
  translator (1902–1970)`` or a dictionary sense) describes the subject: a date parenthetical there belongs to
  the subject whatever word stands before the ``(`` (``Irish poet (1902–1970)``, ``King of Poland (1670–1733)``,
  ``Founder of the Ulster Cycle (1902–1970)``) -- unless a relation makes it another person's
  (``daughter of John Doe (1870–1940)`` stays John Doe's) or the description's head is not a person
  (``Chinese imperial dynasty (1368–1644)``). When the block opens with a fuller form of the heading
  (``Kant`` / ``Immanuel Kant, a German philosopher (1724-1804)``), that name is used (``"lead"``);
* anywhere, a parenthetical after a description in a sentence that opens with ``NAME, <description>`` belongs
  to NAME (``Jane Doe, an Irish poet (1902–1970).``);
* a paragraph opening surname first (``Doe, Jane (1902–1970)``, ``DOE, Mary Jane (1902–1970)``) names the
  person in the usual order;
* a sentence-initial pronoun or definite description (``She was born ...``, ``The poet died ...``, ``Born in
  Cork, Munster, she ...``) is the document subject when the document has a single one: not in a dictionary
  entry with several senses, not after a fact about another person; the engine drops such a statement when it
  contradicts what the document says of the subject (:mod:`.facts`);
* in a document without a subject, a pronoun opening the sentence after a fact's is that fact's person when
  that sentence names no one else and shows the pronoun's gender and no other (``My grandfather Jan Novak was
  born in 1881. He died in 1950.``); the engine drops it on a contradiction likewise;
* a key-value line of a profile page (``Born: 3 March 1902, Cork``, ``Birthplace: Cork``) and a possessive's
  birth or death (``her death in 1970``) are about the document's single subject, as a pronoun is;
* a one-word name read next to a statement (``Doe was born ...``, ``Jane died ...``) that is the first or last
  word of the single subject's name is the subject; else of the one full name earlier in the document that it
  shortens (``Jane Doe wrote poems. Doe was born in 1902.`` -> ``Jane Doe``); with several (``John Doe and Mary
  Doe``) it stays as written; a short heading that the description block names in full (``Ibsen`` / ``Henrik
  Ibsen (1828-1906)``) is the subject under that full name;
* an office or a regnal name with bare years before a span (``Governor of Bahia (1840–1861)``, ``Henry VIII
  (1509–1547)``) is a term, about no one;
* a span in a description headed by an office (``Queen of Cork (1558–1603)``) is the subject's lifespan unless the
  document dates the subject otherwise (``Jane Doe (7 September 1533 – 24 March 1603) was ...``): then it is a
  term, dropped as a pronoun's contradicting statement is.

Word lists and patterns are language data (:class:`SubjectLexicon`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from .charclass import APOS, U, W, longest_first
from . import pattern_cache
from .names import NameReader, without_insertions

if TYPE_CHECKING:
    from .phrases import Compiled

LOCAL, TITLE, HEADING, LEAD = "local", "title", "heading", "lead"
_DATE_SPAN = re.compile(r"\([^()\d]*\d[^()]*[-\u2010-\u2015\u2212][^()]*\d[^()]*\)")
_INVERTED = re.compile(
    rf"[ \t]*(?P<sur>{U}{W}*(?:[-{APOS}]{W}+)*),[ \t]+(?P<given>{U}{W}*\.?(?:[ \t]+(?:{U}{W}*\.?|[a-z]{{1,3}})){{0,3}})"
    rf"[ \t]*\Z"
)
_CAPS = rf"[A-Z][A-Z{APOS}-]*[A-Z]"
"""A word in capitals (a reference work's headword surname)."""
_ENTRY_TAIL = re.compile(r"[ \t]*(?:\([^()\n]*\))?[ \t]*,(?P<description>[^.;:()\n]{1,120})(?:,[ \t]*)?")
"""What stands between a headword and its entry's verb: its dates and a description (``(1902–1970), Irish poet,``;
the closing comma may be the verb's glue)."""
_REGNAL = re.compile(r"[IVXL]+\.?|I(?:er|re)")  # French writes the first as "Ier" ("François Ier")
_SPACE = re.compile(r"\s*")
_SENTENCE_GAP = re.compile(r"[^.!?\n]{0,80}?[.!?][\"”’)]?[ \t]+")
"""The rest of a sentence after its statement, up to the next sentence (on the same line)."""
_GENDER_WORD = re.compile(rf"{W}+(?:-{W}+)*\.?")
_CAPITALIZED = re.compile(rf"(?<!{W}){U}{W}*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINE = re.compile(r"(?:\A|\n)\s*(?P<line>\S)")
"""The start of a line that is not blank (its first character)."""
_NAME_TAIL = re.compile(rf"(?:[ \t]+{U}{W}*(?:[-{APOS}]{W}+)*)*")
"""Capitalized words after a name's word on its line: the rest of the name it may end (``Jane`` of ``Jane
Doe``)."""
_FIRST_CLAUSE = re.compile(r"[,;(]|\s(?:of|who|which|from|in|for|with|to)\s")


@dataclass(frozen=True)
class SubjectLexicon:
    """Word lists and switches of one language for finding a document's subject (the forms of headings, leads
    and datelines are floor's own, below)."""

    headword_markup: bool = False
    """A heading line may carry markup around its name: Markdown's ``#``, a dictionary headword's pronunciation
    and part of speech (``Kant \\Kant\\ prop. n.``), a web page title's site or section after a spaced dash,
    bar or colon (``Jane Doe - Encyclopedia``)."""
    numbered_senses: bool = False
    """A document may be a dictionary entry of numbered senses (``2. ...``, ``n 2: ...``): one that has a second
    has no single subject."""
    intro_verbs: frozenset[str] = frozenset()
    """Verbs of a lead sentence introducing its subject (``was`` of ``Jane Doe was an Irish poet``)."""
    intro_articles: frozenset[str] = frozenset()
    """Words starting the description a lead sentence gives (``a``, ``an``, ``the``)."""
    clause_verbs: frozenset[str] = frozenset()
    """Verbs that end an appositive (``Jane Doe, a poet, was ...``): a parenthetical after one is not the
    appositive's."""
    pronouns: frozenset[str] = frozenset()
    """Sentence-initial pronouns that refer to the single subject (``He``, ``She``)."""
    determiners: frozenset[str] = frozenset()
    """Sentence-initial determiners of a definite description (``The`` of ``The poet``)."""
    person_nouns: frozenset[str] = frozenset()
    """Lowercase nouns of people (``poet``, ``man``): a definite description with one of them as its head may
    refer to the subject, and a lone capitalized one before a parenthetical is a description, not a name."""
    relations: frozenset[str] = frozenset()
    """Lowercase nouns that, before ``of NAME``, make NAME another person (``daughter of John Doe``)."""
    of_words: frozenset[str] = frozenset({"of"})
    """Prepositions that join a person or a place to what is theirs (``of``; French ``de``, ``du``, ``d'``): after
    a relation noun (``daughter of``) and in an office (``Governor of Bahia``). A word ending in an apostrophe is
    elided before the next."""
    place_prepositions: frozenset[str] = frozenset()
    """Prepositions after which a name is a place's (``in``, ``at``; Spanish ``en``): its parenthetical is a
    period or an event's (``exhibited in New York (Art Center, 1930)``)."""
    offices: frozenset[str] = frozenset()
    """Capitalized words of offices and titles (``King``, ``Governor``): a name that is one of them, or one of
    them followed by ``of ...``, is an office, and a span after it a term."""
    non_person_heads: frozenset[str] = frozenset()
    """Lowercase nouns of things: a description or a word before a parenthetical headed by one is not about a
    person (``dynasty``, ``war``, ``band``)."""
    heading_words: frozenset[str] = frozenset()
    """Words that reject a name in running text (pronouns) but not after the first word of a heading
    (``Charles I``, ``Zheng He``, ``Lao She``)."""
    honorifics: frozenset[str] = frozenset()
    """Words that may precede a name in a heading (``Dr.``, ``Sir``)."""
    not_headings: frozenset[str] = frozenset()
    """Single words that open web pages and documents without naming anyone (``Home``, ``Contents``)."""
    heading_labels: frozenset[str] = frozenset()
    """Labels of a heading, before a colon or a dash and the name the heading is about (``In memoriam:``,
    ``Obituary –``), in any case."""
    heading_openers: frozenset[str] = frozenset()
    """Words opening a heading right before the name it is about (``Remembering``, ``A tribute to``), in any
    case."""
    name_keys: frozenset[str] = frozenset()
    """Keys of an opening line naming the page's person, before a colon (``Name: Jane Doe``, ``Full name:``), in
    any case."""
    infobox_name_keys: frozenset[str] = frozenset()
    """Keys of an infobox copied as text after which a tab and a value without digits name the page's person
    (``Born<TAB>Jane Doe``, a birth name before the date's line)."""
    datelines: bool = False
    """A news lead may open with a dateline before its name (``NEW YORK (AP) — ``, ``CORK, Ireland — ``)."""
    news_titles: frozenset[str] = frozenset()
    """Abbreviated titles before a lead's name, not part of it (``Sen.`` of ``Sen. Jane Doe, who ...``)."""
    aliases: frozenset[str] = frozenset()
    """Words after a lead's parenthetical giving the name a title has (``known as`` of ``, better known as Jane
    Doe``), a word allowed before them."""
    male: frozenset[str] = frozenset()
    female: frozenset[str] = frozenset()
    """Pronouns and nouns (``grandfather``, ``wife``) of each gender, lowercase: a pronoun after a fact refers to
    its person only if the fact's sentence shows the pronoun's gender and no other."""
    news_verbs: frozenset[str] = frozenset()
    news_times: frozenset[str] = frozenset()
    """Verbs right after a lead's name that introduce an obituary's person, when a word of news time or manner
    follows (``Jane Doe died Monday``, ``Jane Doe passed away peacefully``)."""
    max_heading: int = 80
    """Longest heading line, in characters."""
    opening_lines: int = 3
    """Lines (not blank) at the start of a document where a heading or a lead may stand after label lines
    (``OBITUARIES``, ``About the Author``, a headline)."""
    opening_reach: int = 200
    """Characters from the start of a document within which those lines start."""
    max_description: int = 400
    """Longest description block, in characters."""
    max_appositive: int = 250
    """Longest ``NAME, <description>`` before a parenthetical, in characters."""
    opening_statement: bool = False
    """In a document without a title, heading or lead sentence, the person of the first statement of its first
    sentence is its subject (``Käthe Kollwitz wurde am 8. Juli 1867 in Königsberg geboren. Sie starb ...``), as
    long as no other person is named in a fact."""
    lead_appositive: bool = False
    """A lead sentence may put an appositive between its name and its verb (``Victor Hugo, né le 26 février 1802
    à Besançon, est un poète``): a clause opening with a lowercase word, without a sentence's end."""


@dataclass(frozen=True, slots=True)
class Entity:
    """Who a match is about: ``name`` as written, the span it was read from (``-1, -1`` when it was not read
    in the text, as a title or a heading seen from the description), and ``how`` it was chosen (``"local"``: the words next to the phrase; ``"title"``,
    ``"heading"``, ``"lead"``: the document's or the sentence's subject)."""

    name: str
    start: int
    end: int
    how: str
    referred: bool = False
    """Attributed through a pronoun or a definite description, or a span that may be an office's term: its
    statement is dropped when it contradicts what the document says of the entity otherwise."""


@dataclass(slots=True)
class Document:
    """What the subject stage knows of one document, worked out on first need (most documents have no hit that
    needs it)."""

    text: str
    title: str | None
    resolved: bool = False
    subject: Entity | None = None
    """The title's or heading's person once resolved; the lead sentence's, once a pronoun asked for it."""
    block: tuple[int, int] = (0, 0)
    """The description block ``[start, end)`` (empty without a heading)."""
    spans: int = 0
    """The date spans (``(1902–1970)``) in the description block."""
    body: int = 0
    """Where the text after a title's or heading's line starts."""
    openings: tuple[int, ...] = (0,)
    """Where a lead sentence may open: the start of the text, and of each line after a label line."""
    single_known: bool = False
    single: bool = False
    """The document is about one person: it has a subject and one sense."""
    named: list[str] = field(default_factory=list)
    first: Entity | None = None
    """The entity of the first fact read next to its statement."""
    """The people named as the entity of facts so far."""
    last: tuple[Entity, int, int] | None = None
    """The last of them, read next to its statement, with where the statement's values start and end."""


def _alternatives(words) -> str:
    """A regex alternation of ``words`` (longest first), or one that never matches."""
    return "|".join(sorted(words, key=longest_first)) or "(?!)"


def _phrases(words, fold: bool = True) -> str:
    """A regex alternation of the literal ``words`` (longest first; a space in one stands for spaces or tabs),
    or one that never matches; ``fold``: case-folded, for a case-insensitive group."""
    return _alternatives(re.escape(w.casefold() if fold else w).replace(r"\ ", r"[ \t]+") for w in words)


_HEADWORD = r"(?P<name>[^\n]+)"
"""A heading line, all of it the heading's name."""
_HEADWORD_MARKUP = r"(?:#+\s*)?(?P<name>[^\\/\n]+?)(?:\s*[\\/][^\\/\n]*[\\/].*|\s+[-|\u2013\u2014:]\s+.*)?"
"""A heading's name after Markdown's ``#``, then a dictionary headword's markup -- a pronunciation between
backslashes or slashes, a part of speech (``Kant \\Kant\\ prop. n.``, ``Dostoevski \\Dostoevski\\, ...``) -- or a
web page title's site or section after a spaced dash, bar or colon (``Jane Doe - Encyclopedia``)."""
_QUALIFIER = r"\s*\([^()]*\)"
"""A trailing qualifier of a title, dropped from the name (``Jane Doe (poet)``)."""
_SENTENCE_START = r"[.!?:;]\s+|\n[ \t]*\n"
"""Where a sentence starts (searched backward from a hit, so the last match wins)."""
_SEVERAL_SENSES = r"(?m)^[ \t]*(?:2\.|[a-z]+ 2:)\s"
"""A dictionary entry's second numbered sense: ``2. ...`` (GCIDE, Webster) or ``n 2: ...`` (WordNet)."""
_DATELINE = (r"[A-Z][A-Z.'\- ]*[A-Z.](?:,[ \t]+[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){0,2})?(?:[ \t]*\([^()\n]{1,30}\))?"
             r"[ \t]*(?:--|[-\u2013\u2014])[ \t]*")
"""A news dateline: a place in capitals, an optional region and agency, a dash (``NEW YORK (AP) — ``, ``CORK,
Ireland — ``, ``LONDON (Reuters) - ``)."""


def _in_order(given: str, surname: str) -> str:
    """A surname-first name in the usual order, words in capitals title-cased (``DOE``, ``JANE`` -> ``Jane
    Doe``)."""
    return " ".join(w.title() if w.isupper() and len(w) > 1 else w for w in f"{given} {surname}".split())


def _shortens(short: str, name: str) -> bool:
    """``short`` is the first or last word of ``name``, a name of several words (``Doe`` of ``Jane Doe``)."""
    words = name.split()
    return len(words) > 1 and short in (words[0], words[-1])


def _relation_field(text: str, span: tuple[int, int], relations: frozenset[str]) -> bool:
    """The name opens the value of a tab-separated field whose label is a relation (``Spouse<TAB>Jane Doe
    (1934–1982)``, ``Cónyuge<TAB>...``): its parenthetical is the relation's years (a marriage), not a lifespan.
    Other fields' values keep theirs (``Composer<TAB>Johann Sebastian Bach (1685–1750)``)."""
    line_start = text.rfind("\n", 0, span[0]) + 1
    label, tab, value = text[line_start:span[0]].rpartition("\t")
    return bool(tab) and not value.strip() and any(_is_relation(word, relations) for word in label.lower().split())


def _is_relation(word: str, relations: frozenset[str]) -> bool:
    """A label's or a list's lowercase word is a relation noun, or its plural (``Spouse(s)``, ``daughters:``;
    ``fils`` is one as it stands)."""
    word = word.strip(".,:;()\"'").removesuffix("(s)")
    return word in relations or len(word) > 3 and word.endswith("s") and word[:-1] in relations


PLACE_COMPONENTS = 3
"""Earlier components of a place (``Dawson,`` of ``in Dawson, Georgia``) a name may close."""
PLACE_REACH = 120
"""Characters before a name searched for the place it closes."""

LIST_REACH = 200
"""Characters before a listed name in which its list's relation noun is looked for."""
_SENTENCE_END = re.compile(r"[.!?]\s")
"""Where a list's sentence starts: not at a colon, as a language's ``sentence_start`` may (the relation noun of
``three daughters: ...`` stands before it)."""
_AFTER_LIST_ITEM = re.compile(r"(?::|\)\s*[,;]|\)\s+[^\W\d]{1,3})\s*\Z")


def _listed_given_name(text: str, span: tuple[int, int], relations: frozenset[str]) -> bool:
    """A lone word in a list of relatives, after a colon or another parenthetical, a relation noun before it in
    its sentence (``three daughters: Charlotte (1816–1855), Emily (1818–1848) and Anne (1820–1849)``): a given
    name, no entity that tells who the person is. (``three composers: Beethoven (1770–1827), Mozart (1756–1791)``
    keeps its names.)"""
    if " " in text[span[0]:span[1]] or _AFTER_LIST_ITEM.search(text, max(0, span[0] - 8), span[0]) is None:
        return False
    sentence = _SENTENCE_END.split(text[max(0, span[0] - LIST_REACH):span[0]])[-1]
    return any(_is_relation(word, relations) for word in sentence.lower().split())


_BARE_SPAN = re.compile(r"\((\d{3,4})\s*[-\u2010-\u2015\u2212]\s*(\d{3,4})\)")
SUCCESSION_REACH = 300
"""Characters on either side of a span in which the other spans of its chain are looked for."""
TERM_YEARS = 40
"""The longest span a chain of terms holds: terms are shorter than lifespans, and three lifespans chained by
chance (``Michelangelo (1475–1564)``, ``Galileo (1564–1642)``, ``Newton (1642–1727)``) are longer."""


def _in_succession(text: str, m: re.Match) -> bool:
    """A span of bare years in a chain of three or more nearby, each ending where the next starts and none
    longer than :data:`TERM_YEARS` (``John Smith (1900–1920), Mary Jones (1920–1935), Peter Brown (1935–1950)``,
    a list of office-holders): a succession of terms, not lifespans."""
    own = _BARE_SPAN.search(text, max(0, m.start() - 1), m.end())  # the match may start after its "("
    if own is None:
        return False
    start, end = own.group(1), own.group(2)
    lo, hi = max(0, m.start() - SUCCESSION_REACH), m.end() + SUCCESSION_REACH
    spans = {(s.group(1), s.group(2)) for s in _BARE_SPAN.finditer(text, lo, hi)
             if 0 <= int(s.group(2)) - int(s.group(1)) <= TERM_YEARS}
    if (start, end) not in spans:
        return False  # longer than a term
    starts, ends = {a for a, _ in spans}, {b for _, b in spans}
    before = any(b == start and a in ends for a, b in spans)
    after = any(a == end and b in starts for a, b in spans)
    return (start in ends) + (end in starts) >= 2 or before or after


def _same_person(name: str, other: str) -> bool:
    """Two names of one person, as far as names tell (``Immanuel Kant`` and ``Kant``): they share a word."""
    return not set(name.split()).isdisjoint(other.split())


class SubjectResolver:
    """Chooses the entity of each matched phrase (see the module docstring)."""

    def __init__(self, names: NameReader, lex: SubjectLexicon):
        self.names = names
        self.lex = lex
        self._headword = pattern_cache.regex(_HEADWORD_MARKUP if lex.headword_markup else _HEADWORD)
        self._qualifier = pattern_cache.regex(rf"(?:{_QUALIFIER})\Z")
        self._sentence = pattern_cache.regex(rf"(?:{_SENTENCE_START})(?=\S)")
        self._several = pattern_cache.regex(_SEVERAL_SENSES if lex.numbered_senses else "(?!)")
        keys = _phrases(lex.name_keys)
        infobox = _phrases(lex.infobox_name_keys, fold=False)
        self._name_key = pattern_cache.regex(rf"(?:(?i:{keys})[ \t]*:|(?:{infobox})\t(?=\D+\Z))[ \t]*(?P<name>[^\n]+)")
        labels, openers = _phrases(lex.heading_labels), _phrases(lex.heading_openers)
        self._label = pattern_cache.regex(rf"(?:(?i:{labels})[ \t]*[:\u2013\u2014-]|(?i:{openers}))[ \t]*")
        self._dateline = _DATELINE if lex.datelines else ""
        # What follows the last part of a place rather than a name: ", she ...", " into the nobility, he ..."
        lower = "|".join(sorted(w.lower() for w in lex.pronouns)) or "(?!)"
        self._after_place = pattern_cache.regex(rf",?\s+(?:(?:in|into|on|at|to)\s[^.;:!?\n]{{0,80}}?,\s+)?(?P<w>{lower})\b")
        relations = "|".join(sorted(lex.relations)) or "(?!)"
        of_words = "|".join(sorted((re.escape(w) + ("" if w.endswith(("'", "’")) else r"\s+") for w in lex.of_words),
                                   key=longest_first)) or "(?!)"
        self._relation = pattern_cache.regex(rf"\b(?i:{relations})\s+(?:{of_words})(?:the\s+)?")
        # A place's earlier components after a place preposition, before a name that closes the place: "born in
        # Dawson, Georgia (d. 1967)", "lived in Paris, Ile-de-France (1930–1950)"
        component = rf"{U}{W}*(?:[-.{APOS}]{W}*)*"
        prepositions = "|".join(sorted(map(re.escape, lex.place_prepositions))) or "(?!)"
        self._place_head = pattern_cache.regex(rf"(?<!{W})(?:{prepositions})\s+(?:(?:{component}\s+){{0,3}}"
                                               rf"{component},\s+){{1,{PLACE_COMPONENTS}}}\Z")
        verbs = "|".join(sorted(lex.clause_verbs)) or "(?!)"
        self._clause_verb = pattern_cache.regex(rf"\b(?:{verbs})\b")
        words = "|".join(sorted(lex.pronouns | {f"{d}\\s+[a-z]+" for d in lex.determiners}, key=longest_first))
        self._pronoun = pattern_cache.regex(rf"(?:\A|[.!?]\s+|\n\s*)(?P<w>{words or '(?!)'})\Z")
        # The furthest a description block reaches: a heading line, its line break, the longest block.
        self._block_reach = lex.max_heading + 1 + lex.max_description

    # The two patterns that embed a name are large: compiled on first need, not by every process that extracts.
    @cached_property
    def _lead(self) -> re.Pattern:
        """``Jane Doe (born ...) was an Irish poet``, ``Jane Doe was a poet``, ``Jane Doe, a poet, ...``: the lead
        sentence introduces a person by describing her; so does a news lead (``NEW YORK (AP) — Sen. Jane Doe,
        who ...``, ``Jane Doe, 84, of Cork, ...``, ``Jane Doe died Monday``, not ``Jane Doe died in Cork``)."""
        lex = self.lex
        intro = _alternatives(lex.intro_verbs)
        articles = _alternatives(lex.intro_articles)
        relatives = _alternatives(self.names.lex.relatives)
        verbs = _alternatives(w.replace(" ", r"\s+") for w in lex.news_verbs)
        when = _alternatives(lex.news_times)
        titles = _alternatives(re.escape(t) for t in lex.news_titles)
        appositive = (r"(?:,\s+(?=\w)(?![\d_A-Z\u00c0-\u00d6\u00d8-\u00de])[^\n.;()]{1,200}?,(?=\s))?"
                      if lex.lead_appositive else "")
        return pattern_cache.regex(rf"\s*(?:{self._dateline})?(?:(?:{titles})\s+)?(?P<name>{self.names.name_source()})"
                          rf"(?:\s*\([^()\n]{{1,120}}\))?{appositive}(?:(?:\s+(?:{intro})\s+|,\s+)(?:{articles})\s"
                          rf"|(?P<news>,\s+(?:{relatives})\s|,\s+\d{{1,3}},|\s+(?:{verbs})\s+(?:on\s+)?(?:{when})\b))")

    @cached_property
    def _caps_headword(self) -> re.Pattern:
        """``DOE, JANE (1902–1970), poet, ...``, ``DOE, Jane Mary, poet``: an old reference work's entry opening
        with its headword, the surname in capitals."""
        given = rf"{U}{W}*\.?(?:[ \t]+{U}{W}*\.?){{0,3}}"
        return pattern_cache.regex(rf"(?P<sur>{_CAPS}(?:[ \t]+{_CAPS})?),[ \t]+(?P<given>{given})(?=[ \t]*(?:[(,.;]|$))", re.M)

    @cached_property
    def _appositive(self) -> re.Pattern:
        """``Jane Doe, a poet ...`` (after an optional sense number ``1.``)."""
        return pattern_cache.regex(rf"\s*(?:\d+\.\s+)?(?P<name>{self.names.name_source()}),\s+(?:[a-z]|the\b)")

    @staticmethod
    def document(text: str, title: str | None = None) -> Document:
        """A new document for :meth:`entity` to work out its subject in, on first need."""
        return Document(text, title)

    def entity(self, text: str, pos: int, c: Compiled, m: re.Match, glue: int, doc: Document) -> Entity | None:
        """The entity of phrase ``c`` matched as ``m`` at the hit ``pos``, its glue starting at ``glue``."""
        who = self._entity(text, pos, c, m, glue, doc)
        if who is not None and who.how == LOCAL and " " not in who.name:
            return self._full_name(text, who, doc)
        return who

    def _full_name(self, text: str, who: Entity, doc: Document) -> Entity:
        """A one-word name that is the first or last word of the document's single subject (``Doe`` or ``Jane``
        of ``Jane Doe``) is the subject, under its full name; else of the one full name earlier in the text that
        it shortens (``Jane Doe wrote poems. Doe was born in 1902.``); without such an antecedent, or with
        several (``John Doe and Mary Doe``: ambiguous), it stays as written."""
        subject = self._single(doc)
        if subject is not None and _shortens(who.name, subject.name):
            return Entity(subject.name, who.start, who.end, subject.how)
        earlier = self._earlier_full_names(text, who)
        if len(earlier) != 1:
            return who
        return Entity(earlier.pop(), who.start, who.end, LOCAL)

    def _earlier_full_names(self, text: str, who: Entity) -> set[str]:
        """The names of several words before ``who`` in ``text`` of which ``who`` (one word) is the first or last:
        each occurrence of the word, with the name tokens after it, read backward as a name -- as a clause's
        subject would be, so not after a preposition or determiner (``lived on Doe Street``)."""
        found = set()
        for occurrence in re.finditer(rf"(?<!{W}){re.escape(who.name)}(?!{W}|[{APOS}-])", text[:who.start]):
            end = _NAME_TAIL.match(text, occurrence.end()).end()
            span = self.names.backward(text, end, True)
            if span is not None and span[0] <= occurrence.start() and _shortens(who.name, text[span[0]:span[1]]):
                found.add(" ".join(text[span[0]:span[1]].split()))
        return found

    def _entity(self, text: str, pos: int, c: Compiled, m: re.Match, glue: int, doc: Document) -> Entity | None:
        if c.phrase.entity == "subject":
            return self._described(text, pos, glue, None, doc)
        if c.phrase.entity == "page":
            # "Born: 3 March 1902, Cork" on a profile page: about the page's single subject, as a pronoun would be
            subject = self._single(doc)
            return None if subject is None else Entity(subject.name, -1, -1, subject.how, referred=True)
        if c.entity_group is not None:
            s, e = m.span(c.entity_group)
            after = self._after_place.match(text, e)
            if after is not None:
                # "Born in Yapeyú, Corrientes, he ...": the name was the end of the place; the subject a pronoun
                return self._referred(after.start("w"), after.end("w"), after["w"].capitalize(), doc)
            if text.startswith(",", e) and " " not in text[s:e]:
                return None  # "Born in Sligo, Ireland, the fiddler ...": a lone word before a comma ends the place
            span = self.names.forward(text, s, e)
            return None if span is None else Entity(text[span[0]:span[1]], span[0], span[1], LOCAL)
        # A relative's parenthetical is read through its relation noun (_relative).
        span = self.names.backward(text, glue, c.phrase.subject or not c.phrase.prepositional)
        if c.phrase.subject:
            if span is not None:
                if self._relative_before(text, glue, pos):
                    return None
                return Entity(text[span[0]:span[1]], span[0], span[1], LOCAL)
            return self._referring(text, glue, doc)
        return self._attached(text, pos, glue, span, m, doc)

    # -- attached parentheticals ---------------------------------------------------------------------------------
    def _attached(self, text: str, pos: int, glue: int, span: tuple[int, int] | None, m: re.Match,
                  doc: Document) -> Entity | None:
        """``X (1902–1970)``: X, unless the parenthetical describes the document's or the sentence's subject."""
        other = None if span is None else self._relative(text, span)
        if self._in_description(text, pos, doc):
            named = None if span is None else Entity(text[span[0]:span[1]], span[0], span[1], LEAD)
            return self._described(text, pos, glue, other, doc, named)
        if self._under_a_heading_of_no_one(text, pos, doc):
            return None
        titled = self._titled_lead(text, pos, m, doc)
        if titled is not None:
            return titled
        inverted = self._inverted(text, glue)
        if inverted is not None:
            return inverted
        if other is not None:
            return other
        if span is not None and not self._is_description(text[span[0]:span[1]]):
            relations = self.lex.relations
            if self._is_term(text[span[0]:span[1]], m) or self._object_of_preposition(text, span) \
                    or _relation_field(text, span, relations) or _listed_given_name(text, span, relations) \
                    or _in_succession(text, m):
                return None
            return Entity(text[span[0]:span[1]], span[0], span[1], LOCAL)
        before = text[max(0, glue - 30):glue].split()
        if before and before[-1] in self.lex.non_person_heads:
            return None  # "... founder of the Ming dynasty (1368–1644)"
        return self._sentence_lead(text, pos)

    def _described(self, text: str, pos: int, glue: int, other: Entity | None, doc: Document,
                   named: Entity | None = None) -> Entity | None:
        """The subject of the description block that holds the hit at ``pos``, if the statement is the
        subject's; ``named``: the name right before the statement's parenthetical, if any."""
        if not self._in_description(text, pos, doc):
            return None
        if other is not None or doc.spans > 1 or self._head_is_thing(text[doc.block[0]:glue]):
            # "Wife of John Doe (…)" under a heading: the subject's dates by convention, John Doe's by grammar;
            # several spans in one description are terms or periods; a thing has no lifespan.
            return None
        lead = self._sentence_lead(text, pos)
        if lead is not None and _same_person(lead.name, doc.subject.name):
            return lead
        if named is not None and _shortens(doc.subject.name, named.name):
            # "Ibsen \Ibsen\ prop. n.⏎ Henrik Ibsen (1828-1906)": the block names the subject in full, and so
            # does the rest of the document ("He was born ...")
            doc.subject = Entity(named.name, named.start, named.end, LEAD)
        if self._head_is_office(text[doc.block[0]:glue]):
            # "Queen of Cork (1558–1603)": a lifespan or a reign; a term if the document dates the subject otherwise
            return replace(doc.subject, referred=True)
        return doc.subject

    def _in_description(self, text: str, pos: int, doc: Document) -> bool:
        """``pos`` is in the description block, in a sentence without a clause verb: ``Jane Doe⏎Irish poet
        (1902–1970). She was ...``, not ``Jane Doe⏎Her brother Tom (born 1950) is a farmer.``"""
        if pos > self._block_reach:
            return False  # past any description block: no need to resolve the document
        start, end = self._resolve(doc).block
        if doc.subject is None or not start <= pos < end:
            return False
        stop = text.find(". ", pos, end)
        return self._clause_verb.search(text, start, end if stop < 0 else stop) is None

    def _under_a_heading_of_no_one(self, text: str, pos: int, doc: Document) -> bool:
        """In a language that capitalizes its nouns, ``pos`` is on the line under a short first line that names no
        person (``Berliner Mauer⏎Grenzbefestigung der DDR (1961–1989)``, a page about a wall, a war, a dynasty):
        that line, holding its name and span alone, describes the page's topic, and its span is the topic's
        period. (Where capitals mark names, a name there is a person's: ``Lot 112⏎Attributed to Jane Doe
        (1659–1743)``.)"""
        if not self.names.lex.capitalized_nouns or pos > self._block_reach:
            return False
        if doc.title is not None and self._heading(doc.title) is not None:
            return False
        first_end = text.find("\n")
        if not 0 < first_end <= self.lex.max_heading or pos < first_end or self._heading(text[:first_end]) is not None:
            return False
        second_end = text.find("\n", first_end + 1)
        second_end = len(text) if second_end < 0 else second_end
        # a description line holds its name and span alone ("Anna Weber (1904–1980) war ..." is a sentence)
        return pos < second_end and text[:second_end].rstrip().endswith(")")

    def _titled_lead(self, text: str, pos: int, m: re.Match, doc: Document) -> Entity | None:
        """Under a title or heading, the first sentence of the text introducing a person by another name
        (``Jane Mary Smith, Countess of Cork (née Roe; 1902–1970) was ...``, ``Jane Maria da Silva (1902–1970),
        better known as Jane Doe, was ...``): its parenthetical is the subject's, under the title's name."""
        if pos > self._block_reach:
            return None
        subject = self._resolve(doc).subject
        if subject is None or subject.start >= 0 or pos < doc.body:
            return None
        first = self._first_sentence.fullmatch(text, _SPACE.match(text, doc.body).end(), pos)
        if first is None or self._lead_tail.match(text, m.end()) is None:
            return None
        name = first.span("name")
        if self.names.forward(text, *name) is None or self._single(doc) is None:
            return None
        return Entity(subject.name, name[0], name[1], subject.how)

    @cached_property
    def _first_sentence(self) -> re.Pattern:
        """A name, optionally a comma and a title (``Jane Smith, Countess of Cork``), up to a parenthetical."""
        return pattern_cache.regex(rf"(?P<name>{self.names.name_source()})(?:,[ \t]+[^,;.()\n]{{1,60}}?)?\s*")

    @cached_property
    def _lead_tail(self) -> re.Pattern:
        """What follows a lead's parenthetical: ``was a``, ``, the``, ``, better known as``."""
        lex = self.lex
        articles = _alternatives(lex.intro_articles)
        aliases = _alternatives(w.replace(" ", r"\s+") for w in lex.aliases)
        return pattern_cache.regex(rf"(?:\s+(?:{_alternatives(lex.intro_verbs)})\s+|,\s+)(?:{articles})\s"
                          rf"|,\s+(?:[a-z]+\s+)?(?:{aliases})\s")

    def _inverted(self, text: str, glue: int) -> Entity | None:
        """``Doe, Jane (1902–1970)``, ``DOE, Mary Jane (1902–1970)`` opening a paragraph: a reference work's
        entry, surname first (in capitals when several given names follow); the entity is ``Jane Doe``."""
        start = text.rfind("\n", max(0, glue - 61), glue) + 1
        if start == 0 and glue > 60 or start > 1 and text[start - 2:start] != "\n\n" \
                or text.find(",", start, glue) < 0:
            return None
        m = _INVERTED.match(text, start, glue)
        if m is None or m["sur"] in self.names.lex.strip_leading or m["sur"] in self.names.lex.reject_leading:
            return None
        if not m["sur"].isupper() and " " in m["given"]:
            return None  # "London, Ada Lovelace (…)": without the capitals of a reference work, ambiguous
        name = _in_order(m["given"], m["sur"])
        if not self._is_name(name):
            return None
        return Entity(name, start + m.start("sur") - m.start(), glue, LOCAL)

    def _relative(self, text: str, span: tuple[int, int]) -> Entity | None:
        """``daughter of John Doe (…)``, ``Pupil of John Doe (…)``: the person after a relation noun and ``of``
        (the parenthetical is theirs, wherever it stands), or ``None``."""
        lo = max(0, span[0] - 40)
        if all(text.find(word, lo, span[1]) < 0 for word in self.lex.of_words):
            return None  # no relation (the common case: a cheap test first)
        last = None
        for last in self._relation.finditer(text, lo, span[1]):
            pass
        if last is None:
            return None
        named = self.names.forward(text, last.end(), span[1])
        if named is None:
            return None
        s, e = named  # without a title before the name ("daughter of the Rev. John Doe (…)")
        return Entity(text[s:e], s, e, LOCAL)

    def _is_term(self, name: str, m: re.Match) -> bool:
        """An office (``Governor of Bahia (1840–1861)``, ``President (1901–1909)``) or a regnal name with bare
        years (``Henry VIII (1509–1547)``, most often a reign in running text) before the parenthetical: the
        span is a term, about no one in particular."""
        if self._is_office(name):
            return True
        words = name.split()
        return _REGNAL.fullmatch(words[-1]) is not None and not any(ch.isalpha() for ch in m.group())

    def _object_of_preposition(self, text: str, span: tuple[int, int]) -> bool:
        """A name that is most often a place's, whose span is a period or an event's date: after a
        :attr:`~SubjectLexicon.place_prepositions` word (``lived in New York (1930–1950)``) or closing a place's
        components after one (``born in Dawson, Georgia (d. 1967)``), a lone word after
        an :attr:`~SubjectLexicon.of_words` word (``king of France (1643–1715)``, ``rey de España (1700–1746)``),
        or a lone word after an elided determiner (``l'Angleterre (1337-1453)``).
        A person is named in full after ``of`` (``a portrait of Jane Doe (1902–1970)``) or through a relation
        (``daughter of Byron (1788–1824)``, read before this); a lone name after another preposition is a
        person's (``letters to Goethe (1749–1832)``)."""
        name = text[span[0]:span[1]]
        if " " not in name and self._elided_determiner(name):
            return True  # "entre la France et l'Angleterre (1337-1453)": "the England"
        if self._place_head.search(text, max(0, span[0] - PLACE_REACH), span[0]):
            return True  # "born in Dawson, Georgia (d. 1967)": the name closes the place
        before = text[max(0, span[0] - 40):span[0]].split()
        if not before:
            return False
        return before[-1] in self.lex.place_prepositions or (before[-1] in self.lex.of_words and " " not in name)

    def _elided_determiner(self, word: str) -> bool:
        """``word`` opens with a determiner elided before its apostrophe (French ``l'`` of ``le``, ``la``)."""
        head = re.match(rf"([^\W\d_]+)[{APOS}]", word)
        return head is not None and any(d[:-1] == head[1] and d[-1] in "aeiou"
                                        for d in self.names.lex.determiners if len(d) > 1)

    def _relative_before(self, text: str, glue: int, pos: int) -> bool:
        """The statement's clause ends in a relation noun before the keyword (``Jane Doe, whose father, born in
        1820, ...``; ``Jean Dupont est un peintre dont le père, né à Lyon en 1820, ...``): it is that relative's,
        who is not named."""
        words = text[glue:pos].rstrip(" \t,;").split()
        # after a determiner or a pronoun ("le père", "whose father"), not a name ("Alexandre Dumas père")
        return len(words) > 1 and words[-1].lower() in self.lex.relations and words[-2].islower()

    def _is_office(self, name: str) -> bool:
        """``Governor of Bahia``, ``Prime Minister``: an office, not a person's name."""
        words = name.split()
        offices = self.lex.offices
        return words[0] in offices and (not self.lex.of_words.isdisjoint(words) or all(w in offices for w in words))

    def _is_description(self, name: str) -> bool:
        """A lone capitalized noun of people is a description (``a Swiss psychiatrist and Psychologist(…)``)."""
        return " " not in name and name.lower() in self.lex.person_nouns

    def _head_is_office(self, description: str) -> bool:
        """The description opens with an office (``Queen of Cork``) or its head is one (``Roman emperor``)."""
        words = description.split()
        clause = _FIRST_CLAUSE.split(description, maxsplit=1)[0].split()
        heads = words[:1] + [w.strip(".").capitalize() for w in clause[-1:]]
        return not self.lex.offices.isdisjoint(heads)

    def _head_is_thing(self, description: str) -> bool:
        """The description's head (the last word of its first clause: ``American rock band``, ``Chinese
        imperial dynasty of ...``) is a noun of things."""
        clause = _FIRST_CLAUSE.split(description.lower(), maxsplit=1)[0].split()
        return bool(clause) and clause[-1].strip(".") in self.lex.non_person_heads

    def _sentence_lead(self, text: str, pos: int) -> Entity | None:
        """NAME when the sentence holding ``pos`` opens with ``NAME, <description>``."""
        lo = max(0, pos - self.lex.max_appositive)
        if text.find(",", lo, pos) < 0:
            return None  # no appositive (the common case in running text: a cheap test first)
        start = lo
        for start_m in self._sentence.finditer(text, lo, pos):
            start = start_m.end()
        m = self._appositive.match(text, start, pos)
        if m is None or self._clause_verb.search(text, m.end(), pos):
            return None  # "X, also called Y, was king of Z (…)": the parenthetical is past the appositive
        s, e = m.span("name")
        span = self.names.forward(text, s, e)
        if span is None or self._is_description(text[s:e]):
            return None
        return Entity(text[s:e], s, e, LEAD)

    @staticmethod
    def note(doc: Document, who: Entity, m: re.Match) -> None:
        """``who``, read next to its statement matched as ``m``, is the entity of facts just found: another person
        than the subject makes later pronouns ambiguous (``Ada ... Charles Babbage was born in 1791. He died in
        1871.``); in a document without a subject, a pronoun opening the next sentence may be ``who``."""
        doc.named.append(who.name)
        doc.last = (who, m.start(), m.end())
        if doc.first is None:
            doc.first = who

    # -- pronouns and definite descriptions ----------------------------------------------------------------------
    def _referring(self, text: str, glue: int, doc: Document) -> Entity | None:
        """``She was born ...``, ``The poet died ...``: the single subject of the document, if any."""
        m = self._pronoun.search(text, max(0, glue - 40), glue)
        if m is None:
            return self._entry_statement(text, glue, doc)
        return self._referred(m.start("w"), m.end("w"), m["w"], doc)

    def _entry_statement(self, text: str, glue: int, doc: Document) -> Entity | None:
        """``DOE, JANE (1902–1970), Irish poet, was born ...``: the statement of a reference work's entry whose
        headword (read as the heading, with its place in the text) is the subject, after its dates and a
        description naming no relative."""
        if glue > self._block_reach:
            return None
        subject = self._single(doc)
        if subject is None or subject.how != HEADING or subject.start < 0:
            return None
        m = _ENTRY_TAIL.fullmatch(text, subject.end, glue)
        if m is None or self._relation.search(m["description"]) is not None:
            return None
        return Entity(subject.name, subject.start, subject.end, HEADING)

    def _referred(self, start: int, end: int, words: str, doc: Document) -> Entity | None:
        """The single subject, referred to by the pronoun or definite description ``words`` at ``start``."""
        subject = self._single(doc)
        if subject is None and doc.subject is None and words in self.lex.pronouns:
            return self._previous(start, end, words, doc)
        if subject is None or words not in self.lex.pronouns and not self._names_subject(words.split()[-1], doc):
            return None
        return Entity(subject.name, start, end, subject.how, referred=True)

    def _previous(self, start: int, end: int, pronoun: str, doc: Document) -> Entity | None:
        """In a document without a subject, the pronoun at ``start`` opening the sentence after a fact's is that
        fact's person (``My grandfather Jan Novak was born in 1881 in Plzen. He died in 1950.``) when that sentence
        names no one else and shows the pronoun's gender, and no other."""
        if doc.last is None:
            return None
        who, values, stop = doc.last
        text = doc.text
        if _SENTENCE_GAP.fullmatch(text, stop, start) is None:
            return None
        begin = max(0, who.start - self.lex.max_appositive)
        for sentence in self._sentence.finditer(text, begin, who.start):
            begin = sentence.end()
        outside = (text[begin:who.start], text[who.end:values], text[stop:start])
        if any(self._other_name(part) for part in outside):
            return None
        cues = {w.lower() for w in _GENDER_WORD.findall(text, begin, stop)}
        male, female = self.lex.male, self.lex.female
        gender, other = (male, female) if pronoun in male else (female, male)
        if cues.isdisjoint(gender) or not cues.isdisjoint(other):
            return None  # the text does not show the pronoun's gender, or shows another one too
        return Entity(who.name, start, end, LOCAL, referred=True)

    def _other_name(self, part: str) -> bool:
        """``part`` of a sentence holds a capitalized word that may be a name (not a function word or a month)."""
        lex = self.names.lex
        return any(w not in lex.reject_leading and w not in lex.strip_leading and w not in lex.months
                   for w in _CAPITALIZED.findall(part))

    def _names_subject(self, noun: str, doc: Document) -> bool:
        """A definite description's head noun fits the subject: a noun of people, or a word of its description."""
        if noun in self.lex.person_nouns:
            return True
        s, e = doc.block
        return e > s and re.search(rf"\b{re.escape(noun)}\b", doc.text[s:e]) is not None

    # -- the document's subject ----------------------------------------------------------------------------------
    def _resolve(self, doc: Document) -> Document:
        """The subject a title or heading gives, and the description block after it."""
        if doc.resolved:
            return doc
        doc.resolved = True
        text = doc.text
        first_end = text.find("\n", 0, self.lex.max_heading + 1)
        if first_end < 0:
            first_end = len(text) if len(text) <= self.lex.max_heading else 0
        if doc.title is not None:
            heading = self._heading(text[:first_end])
            name = self._heading(doc.title)  # a web page's title may carry its site: "Jane Doe - Encyclopedia"
            doc.subject = None if name is None else Entity(name, -1, -1, TITLE)
            if heading is None or heading.casefold() != (name or "").casefold():
                first_end = -1  # the text starts with its description, if any
        else:
            doc.subject, first_end = self._opening(text, doc)
        if doc.subject is not None and first_end is not None:
            doc.body = first_end + 1
            doc.block = self._block(text, first_end + 1)
            doc.spans = len(_DATE_SPAN.findall(text, *doc.block))
        return doc

    def _opening(self, text: str, doc: Document) -> tuple[Entity | None, int | None]:
        """The heading among the first lines, and where its line ends (``None``: no description block follows):
        the first line that reads as a name, a ``Name:`` line, or a capitalized headword (``DOE, JANE (1902–
        1970), poet, ...``), after short label lines (``OBITUARIES``, ``About the Author``, a headline) -- but not
        a name line after a label that another name line follows (several people). Where no heading is found,
        ``doc.openings`` are the line starts where a lead sentence may open."""
        openings = []
        lines = self._opening_lines(text)
        for i, (start, end) in enumerate(lines):
            line = text[start:end]
            key = self._name_key.fullmatch(line.strip())
            if key is not None:
                name = self._name_of(key["name"])
                return (None if name is None else Entity(name, -1, -1, HEADING)), None
            heading = self._heading(line)
            if heading is not None and not (i and self._is_office(heading)):
                if i and i + 1 < len(lines) and self._heading(text[slice(*lines[i + 1])]) is not None:
                    return None, None  # "Obituaries⏎Jane Doe⏎John Roe": several people
                return Entity(heading, -1, -1, HEADING), end
            if i == 0:
                caps = self._caps_headword.match(text, start, end)
                name = None if caps is None else _in_order(caps["given"], caps["sur"])
                if name is not None and self._is_name(name):
                    return Entity(name, start, caps.end(), HEADING), None
            openings.append(start)
            if len(line) > self.lex.max_heading:
                break  # a paragraph: the body starts here
        doc.openings = tuple(openings) or (0,)
        return None, None

    def _opening_lines(self, text: str) -> list[tuple[int, int]]:
        """``[start, end)`` of the first few lines that are not blank, starting within the opening reach."""
        lines = []
        for m in _LINE.finditer(text, 0, self.lex.opening_reach):
            if len(lines) == self.lex.opening_lines:
                break
            start = m.start("line")
            end = text.find("\n", start)
            lines.append((start, len(text) if end < 0 else end))
        return lines

    def _single(self, doc: Document) -> Entity | None:
        """The document's single subject (a title, a heading, else the lead sentence's person), or ``None`` when
        it has none or several senses, or another person was the entity of a fact so far."""
        if not doc.single_known:
            doc.single_known = True
            if self._resolve(doc).subject is None:
                doc.subject = self._lead_subject(doc)
            doc.single = doc.subject is not None and self._several.search(doc.text) is None
        if not doc.single:
            return self._opening_statement(doc)
        if not all(_same_person(n, doc.subject.name) for n in doc.named):
            return None
        return doc.subject

    def _opening_statement(self, doc: Document) -> Entity | None:
        """The person of the document's first statement, if it is in its first sentence and the document has no
        other subject (:attr:`SubjectLexicon.opening_statement`)."""
        first = doc.first
        if not self.lex.opening_statement or first is None or doc.subject is not None or self._several.search(
                doc.text) is not None:
            return None
        if self._sentence.search(doc.text, 0, first.start) is not None:
            return None  # a sentence ends before it
        if not all(_same_person(n, first.name) for n in doc.named):
            return None
        return Entity(first.name, first.start, first.end, LEAD)

    def _heading(self, line: str) -> str | None:
        line = line.strip()
        if not line or len(line) > self.lex.max_heading:
            return None
        label = self._label.match(line)
        if label is not None:
            line = line[label.end():]
        m = self._headword.fullmatch(line)
        return None if m is None else self._name_of(m["name"])

    def _name_of(self, raw: str) -> str | None:
        """The person name a heading or title gives (``Doe, Jane`` -> ``Jane Doe``), or ``None``."""
        name = self._qualifier.sub("", without_insertions(raw.strip())).strip()
        if name.count(",") == 1:
            # "Doe, Jane" (a headword), or "Jane Doe, 1st Countess of Cork" (a name and its title: kept whole), or
            # "Jane Doe, bandleader" (a name and a description: the name)
            head, tail = (p.strip() for p in name.split(","))
            if tail[:1].islower():
                return self._name_of(head)
            if self._is_name(tail):
                return f"{tail} {head}" if self._is_name(head) else None
            return name if self._is_name(head) else None
        if name in self.lex.not_headings or not self._is_name(name):
            return None
        return self.names.without_title(name)

    def _is_name(self, name: str) -> bool:
        """``name`` reads as a person's name, an honorific before it allowed (``Dr. Jane Doe``)."""
        first, _, rest = name.partition(" ")
        if first in self.lex.honorifics and rest:
            first, _, rest = rest.partition(" ")
        # Checked without the words a heading may hold after its first (Charles I, Zheng He), with one in their
        # place so the name's last word stays its last.
        words = [first] + ["X" if w in self.lex.heading_words else w for w in rest.split()]
        name = " ".join(words)
        return bool(first) and self.names.forward(name, 0, len(name)) is not None

    def _block(self, text: str, start: int) -> tuple[int, int]:
        """The description block from ``start``: up to the first blank line, if it is short enough."""
        limit = start + self.lex.max_description
        blank = _BLANK_LINE.search(text, start, limit + 1)
        end = blank.start() if blank is not None else len(text)
        return (start, end) if end <= limit else (0, 0)

    def _lead_subject(self, doc: Document) -> Entity | None:
        """The person the lead sentence introduces, at the start of the text or of a line after label lines; a
        news lead's person by a name of several words."""
        for start in doc.openings:
            m = self._lead.match(doc.text, start)
            span = None if m is None else self.names.forward(doc.text, *m.span("name"))
            if span is not None and (m["news"] is None or " " in m["name"]):
                # a news lead's one word is a headline's noun as often as a name ("Harpist dies at 81")
                return Entity(doc.text[span[0]:span[1]], span[0], span[1], LEAD)
        return None
