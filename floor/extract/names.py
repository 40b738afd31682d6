"""Entity (person-name) matching next to a phrase anchor, procedurally over whitespace-split tokens.

No regex that starts with a name is ever run over a document: the engine finds a keyword, matches the phrase
after it, checks the glue before it, and only then calls :meth:`NameReader.backward` from the glue start. That
walks left token by token collecting a run of name tokens, then cleans the run's start:

* name tokens: capitalized words incl. hyphens (``Jean-Luc``), apostrophes (``O'Connor``, ``O’Connor``),
  non-ASCII capitals (``Ángel``, ``Łukasz``, ``Søren``), decomposed accents; initials (``J.``, ``J.R.R.``);
  suffixes (``Jr.``, ``III``); elided particles (``d'Alembert``, ``al-Razi``); lowercase particles inside a run
  (``van``, ``de``, ``of`` ...), a few of which may also start one (``van Gogh``).
* the token nearest the anchor must be a name token (not a particle or initial);
* a leading particle that may not start a name (``of``, ``the``, ``y``) rejects the run for subject phrases
  (``the son of Ada died``); for attached parentheticals it is trimmed (``daughter of Lord Byron (1788–1824)``)
  unless it is a determiner (``the Duke (1769–1852)``);
* a nickname in quotes or a birth name in brackets between name words (``Margaret Ann "Peggy" Hollister``, ``Mary
  Frances (Hagan) O'Neill``) does not end the run; the entity leaves it out (:func:`without_insertions`);
* leading sentence-initial words (``Then``, ``When``, ``After``, ``Later`` ...) are stripped; a month name right
  after a day number is stripped (``On 10 May Ada ...``);
* a title before a given name and a surname is no part of the name (``Sir Jane Doe``, ``Professor Jane Doe``,
  ``Capt. Jane Doe`` are ``Jane Doe``, so one person's facts count once), but it stays before a lone word, where
  it is part of how the person is named (``Lord Byron``, ``Lady Gaga``); an abbreviated title (``Dr.``,
  ``Capt.``) is no name token, so backward it ends the run anyway;
* a leading determiner or preposition (``The``, ``His``, ``In``, ``At`` ...) rejects the run: ``His Majesty
  King George``, ``In London Ada died`` are ambiguous, and precision matters more than recall;
* a pronoun or other non-name anywhere in the run (``He``, ``She``, ``Nobody`` ...), or a word of institutions
  and events (``War``, ``University``), or a lone acronym (``NASA``), rejects it;
* for subject phrases, ``who <verb> X`` rejects it (X is an object); ``A and X died`` keeps X (X did die);
* for subject phrases (``X was born``, ``X died``, ``X, born``), a lowercase determiner/preposition right
  before the run (``of``, ``the``, ``by`` ...) rejects it (the name is an object, not the subject);
* a line break ends the run after a short line (a heading such as ``Early Life``); after a long line it is
  taken as hard wrapping and the name continues;
* more than ``max_tokens`` name tokens, or a run that never ends within the look-back window, rejects it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import linear as linear_classes
from . import pattern_cache
from .charclass import APOS, U, U_EXACT, W, W_EXACT, longest_first

_OPENERS = "\"“‘'([{«„‚"
_NUMERIC = re.compile(r"\d{1,2}(?:st|nd|rd|th)?,?")
# A nickname in quotes or a birth name in brackets inside a name (``Margaret Ann "Peggy" Hollister``, ``Anton
# „Toni“ Sailer``, ``Mary Frances (Hagan) O'Neill``): one word between an opener and a closer. Part of how the
# text names the person, no part of the name: the run goes on across it, and the entity leaves it out.
_INSERTION_OPENERS = "\"“„«(‘'"
_INSERTION_CLOSERS = "\"”“»)’'"
_INSERTION = re.compile(rf"[ \t\u00a0]+[{_INSERTION_OPENERS}][^\s{_INSERTION_OPENERS}{_INSERTION_CLOSERS}]+"
                        rf"[{_INSERTION_CLOSERS}](?=[ \t\u00a0]+\S)")


def without_insertions(name: str) -> str:
    """``name`` without the nicknames and birth names inserted in it (``Margaret Ann "Peggy" Hollister`` ->
    ``Margaret Ann Hollister``)."""
    return _INSERTION.sub("", name) if any(c in name for c in _INSERTION_OPENERS) else name

LOOKBACK = 256
"""Characters examined to the left of an anchor."""
SHORT_LINE = 50
"""A name does not continue across a line break after a line shorter than this (a heading)."""



@dataclass(frozen=True)
class NameLexicon:
    """Word lists that drive name matching for one language (all case-sensitive as written)."""

    particles: frozenset[str]
    """Lowercase words allowed inside a name (``van``, ``de``, ``of`` ...)."""
    leading_particles: frozenset[str]
    """The particles that may also start a name (``van Gogh``)."""
    elisions: frozenset[str]
    """Lowercase prefixes joined by an apostrophe or hyphen to a capitalized part (``d'Alembert``, ``al-Razi``)."""
    suffixes: frozenset[str]
    """Tokens ending a name that do not look like name words (``Jr.``, ``Sr.``)."""
    strip_leading: frozenset[str]
    """Capitalized sentence-initial words removed from the start of a run (``Then``, ``Later``)."""
    reject_leading: frozenset[str]
    """Capitalized words that, starting a run, mean it is not a bare person name (``The``, ``His``, ``In``)."""
    non_names: frozenset[str]
    """Words that are never part of a person name; their presence rejects the run (``He``, ``Nobody``)."""
    reject_preceding: frozenset[str]
    """Lowercase words that, right before the run, make it an object rather than the subject (``of``, ``by``)."""
    months: frozenset[str]
    """Capitalized month names, stripped from the start of a run that follows a day number."""
    determiners: frozenset[str] = frozenset()
    """Particles that are determiners (``the``): a run they start is a common noun phrase (``the Duke``)."""
    non_person: frozenset[str] = frozenset()
    """Capitalized words of institutions, events and works (``War``, ``University``): a run containing one is
    not a person (``World War II (1939–1945)``)."""
    relatives: frozenset[str] = frozenset()
    """Relative pronouns: ``who <verb> X died`` makes X an object (``the man who shot Lincoln died``)."""
    alone_non_names: frozenset[str] = frozenset()
    """Words that are no name alone though they may be part of one: nationalities (``(American, born 1962)``
    after a thing; ``Dawn French``)."""
    titles: frozenset[str] = frozenset()
    """Titles before a name that are no part of it when two name words follow (``Sir``, ``Lady``, ``Dr.``,
    ``Capt.``): ``Sir Jane Doe`` is ``Jane Doe``, ``Lord Byron`` stays whole."""
    max_tokens: int = 6
    elided_articles: frozenset[str] = frozenset()
    """Capitalized articles elided before an apostrophe (French ``L``, ``D``): with a lowercase word after the
    apostrophe the token is a common noun, not a name (``L'acteur``), with a capitalized one it may be one
    (``D'Artagnan``)."""
    pattern: str = ""
    """The shape of an entity that is no person's name, in the RE2 subset (a pack's: ``[a-z][\\w.+-]*
    [0-9][\\w.]*`` for a program and its version): read backward from a statement as the longest match that
    ends there, matched after a keyword, and a title or heading that matches it whole names the document's
    subject. Empty: names of people (the rest of this lexicon)."""
    acronyms: bool = False
    """A lone all-capitals word may be a name (``IBM``, of a pack about organizations); for people it is no
    name (``NASA was born ...``)."""
    capitalized_nouns: bool = False
    """The language capitalizes its nouns (German): capitals do not mark a name, so a line holding a capitalized
    run and a span alone, under a first line that names no one, describes a thing (``Berliner Mauer⏎
    Grenzbefestigung der DDR (1961–1989)``; :mod:`.subject`)."""


class NameReader:
    """Reads entity names backward from an anchor (:meth:`backward`) or validates a forward span
    (:meth:`forward`)."""

    PARTICLE, NAME, INITIAL = 1, 2, 3

    def __init__(self, lex: NameLexicon):
        self.lex = lex
        if lex.pattern:
            from . import linear

            self._ending = linear.compile(f"(?:{lex.pattern})$")
            self._whole = linear.compile(f"(?:{lex.pattern})")
        u, w = U_EXACT, W_EXACT
        self._name = pattern_cache.regex(rf"{u}{w}*(?:[-{APOS}]{w}+)*")
        self._initials = pattern_cache.regex(rf"(?:{u}\.)+")
        elis = "|".join(sorted((re.escape(e) for e in lex.elisions), key=longest_first)) or "(?!)"
        self._elided = pattern_cache.regex(rf"(?:{elis})[-{APOS}]{u}{w}*(?:[-{APOS}]{w}+)*")

    def classify(self, tok: str) -> int:
        """``PARTICLE``/``NAME``/``INITIAL``, or 0 for a token that cannot be part of a name."""
        if tok in self.lex.particles:
            return self.PARTICLE
        if tok in self.lex.suffixes:
            return self.NAME
        if self.lex.elided_articles and tok[1:2] in APOS and tok[:1] in self.lex.elided_articles \
                and tok[2:3].islower():
            return 0
        if self._name.fullmatch(tok):
            return self.NAME
        if self._initials.fullmatch(tok):
            return self.INITIAL
        if self._elided.fullmatch(tok):
            return self.NAME
        return 0

    def backward(self, text: str, end: int, subject: bool = True) -> tuple[int, int] | None:
        """Span ``(start, end)`` of the name ending exactly at ``end``, or ``None``.

        ``subject``: the name must be a clause subject (``X was born``, ``X died``), so a preposition or
        determiner right before it rejects it (``the son of X died``); False for attached parentheticals
        (``daughter of Lord Byron (1788–1824)``), which describe the name whatever precedes it.
        """
        if self.lex.pattern:
            found = self._ending.search(text, max(0, end - LOOKBACK), end)
            return None if found is None or found.start() == found.end() else (found.start(), end)
        lo = max(0, end - LOOKBACK)
        window = text[lo:end]
        limit = self.lex.max_tokens * 2 + 4
        # The loop below reads at most limit + 3 tokens from the end (the run, the token before it and the one
        # before that): split off no more. When the split stops short, the first item holds the rest of the
        # window, spaces and all, and is never read.
        toks = window.rsplit(None, limit + 3)
        if not toks:
            return None
        # The first token may be cut by the window edge; it can only serve as a boundary if lo == 0.
        partial_first = lo > 0 and not window[0].isspace()
        run: list[tuple[int, str, int]] = []  # (start, token, kind), nearest first
        prev: str | None = None  # the token just before the run, None at a boundary
        prev2: str | None = None  # the token before that
        p = len(window)
        rfind = window.rfind
        for ti in range(len(toks) - 1, -1, -1):
            tok = toks[ti]
            k = rfind(tok, 0, p)
            gap = window[k + len(tok) : p]
            if run and gap.strip("\t") == "" and gap:
                break  # tabs alone separate fields ("Spouse<TAB>Jane Doe (…)"), not the words of a name
            if "\n" in gap:
                if gap.count("\n") >= 2:
                    break  # paragraph boundary
                if run:
                    # A line break inside a name is hard wrapping; after a short line it is a heading.
                    line_start = window.rfind("\n", 0, k) + 1
                    if (line_start > 0 or lo == 0) and k + len(tok) - line_start < SHORT_LINE:
                        break
            if ti == 0 and partial_first:
                return None  # ran off the look-back window: run too long to trust
            if run and self._inserted(tok):
                p = k
                continue  # "Margaret Ann "Peggy" Hollister": the name goes on before the nickname
            core = tok.lstrip(_OPENERS)
            kind = self.classify(core) if core else 0
            if not kind:
                if not run:
                    return None
                prev = tok
                if ti > 0 and not (ti == 1 and partial_first):
                    k2 = rfind(toks[ti - 1], 0, k)
                    if window.count("\n", k2, k) < 2:
                        prev2 = toks[ti - 1]
                break
            if not run and kind != self.NAME:
                return None  # the token next to the anchor must be a name word
            run.append((lo + k + len(tok) - len(core), core, kind))
            if len(run) > limit:
                return None
            if len(core) != len(tok):
                break  # an opening quote/bracket starts the run
            p = k
        if not run:
            return None
        run.reverse()
        return self._clean(run, prev, prev2, end, subject)

    def _inserted(self, tok: str) -> bool:
        """``tok`` is one name word between an opener and a closer: a nickname or a birth name inside a name."""
        return (len(tok) > 2 and tok[0] in _INSERTION_OPENERS and tok[-1] in _INSERTION_CLOSERS
                and self.classify(tok[1:-1]) == self.NAME)

    def _clean(
        self, run: list[tuple[int, str, int]], prev: str | None, prev2: str | None, end: int, subject: bool
    ) -> tuple[int, int] | None:
        lex = self.lex
        if subject and prev is not None and prev.isalpha() and prev.islower() and prev2 is not None:
            if prev2 in lex.relatives:
                return None  # "the man who shot Lincoln died": Lincoln is an object
        while run[0][2] == self.PARTICLE and run[0][1] not in lex.leading_particles:
            if subject or run[0][1] in lex.determiners:
                return None  # "the son of Ada died", "the Duke (1769–1852)"
            prev = run.pop(0)[1]  # "daughter of Lord Byron (1788–1824)"
        while run and run[0][1] in lex.strip_leading:
            prev = run.pop(0)[1]
        if run and self._titled([t for _, t, _ in run]):
            prev = run.pop(0)[1]
        if run and run[0][1] in lex.months and len(run) > 1 and prev is not None and _NUMERIC.fullmatch(prev):
            prev = run.pop(0)[1]
        if not run or run[0][1] in lex.reject_leading:
            return None
        if run[0][2] == self.PARTICLE and run[0][1] not in lex.leading_particles:
            return None
        if any(t in lex.non_names or t in lex.non_person for _, t, _ in run):
            return None
        if len(run) == 1 and (not lex.acronyms and len(run[0][1]) > 1 and run[0][1].isupper()
                              or run[0][1] in lex.alone_non_names):
            return None  # a lone acronym: "NASA was born in 1958", "IBM (1911–2020)"; a nationality
        if sum(1 for _, _, k in run if k != self.PARTICLE) > lex.max_tokens:
            return None
        if subject and prev is not None and prev.islower() and prev in lex.reject_preceding:
            return None
        return run[0][0], end

    def forward(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Validate the candidate name ``text[start:end]`` (captured by a phrase regex); its span or ``None``."""
        if self.lex.pattern:
            found = self._whole.match(text, start, end)
            return (start, end) if found is not None and found.end() == end and end > start else None
        toks = text[start:end].split()
        if not toks:
            return None
        if self._titled(toks):
            start = text.index(toks[1], start + len(toks[0]))
            toks = toks[1:]
        kinds = [self.classify(t) for t in toks]
        if not all(kinds) or kinds[-1] != self.NAME:
            return None
        lex = self.lex
        if kinds[0] == self.PARTICLE and toks[0] not in lex.leading_particles:
            return None
        if toks[0] in lex.strip_leading or toks[0] in lex.reject_leading:
            return None
        if any(t in lex.non_names or t in lex.non_person for t in toks):
            return None
        if len(toks) == 1 and (not lex.acronyms and len(toks[0]) > 1 and toks[0].isupper()
                               or toks[0] in lex.alone_non_names):
            return None
        if sum(1 for k in kinds if k != self.PARTICLE) > lex.max_tokens:
            return None
        return start, end

    def _titled(self, toks: list[str]) -> bool:
        """``toks`` open with a title that is no part of the name: two name words follow (``Sir Jane Doe``)."""
        return toks[0] in self.lex.titles and sum(1 for t in toks[1:] if self.classify(t) != self.PARTICLE) >= 2

    def without_title(self, name: str) -> str:
        """``name`` without a leading title that is no part of it (``Dr. Jane Doe`` -> ``Jane Doe``)."""
        toks = name.split()
        return " ".join(toks[1:]) if toks and self._titled(toks) else name

    def name_source(self, linear: bool = False) -> str:
        """Regex source for a forward candidate name (validated afterwards by :meth:`forward`); ``linear``: its RE2
        form (:mod:`.linear`): no atomic group or lookahead, and no full stop but an initial's or a suffix's
        (``Martin Luther King Jr.``; "Jane Doe. Acme ..." ends a name at the sentence's end), or the lexicon's own
        :attr:`~NameLexicon.pattern`."""
        if linear and self.lex.pattern:
            return self.lex.pattern
        never = linear_classes.NEVER if linear else "(?!)"
        parts = "|".join(sorted((re.escape(p) for p in self.lex.particles), key=longest_first)) or never
        elis = "|".join(sorted((re.escape(e) for e in self.lex.elisions), key=longest_first)) or never
        if linear:
            u, w = linear_classes.U, linear_classes.W
            word = rf"{u}{w}*(?:[-{APOS}]{w}+)*"
            dotted = "|".join(sorted((re.escape(x) for x in self.lex.suffixes if x.endswith(".")), key=longest_first))
            tok = rf"(?:(?:{u}\.)+|{dotted + '|' if dotted else ''}(?:(?:{elis})[-{APOS}])?{word})"
            space = r"[ \t\x{a0}]+"
        else:
            word = rf"{U}{W}*(?:[-{APOS}]{W}+)*"
            tok = rf"(?>(?:{U}\.)+|(?:(?:{elis})[-{APOS}])?{word}\.?)(?!{W}|[{APOS}-])"
            space = r"[ \t\u00a0]+"
        return rf"{tok}(?:{space}(?:(?:{parts}){space})*{tok}){{0,{self.lex.max_tokens + 2}}}"
