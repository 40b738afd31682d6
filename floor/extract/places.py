"""Place matching (a regex source embedded after ``in``) and place normalization.

A place is a run of capitalized tokens (``New York City``, ``Port Elvane``) with hyphenated or apostrophe'd
tokens (``Stratford-upon-Avon``, ``Saint-Marec``), lowercase particles between capitalized tokens (``Isle of
Man``, ``Rio de Janeiro``, ``Frankfurt am Main``), a few abbreviations (``St. Louis``), dotted initials
(``D.C.``), and an optional leading article before a capitalized token (``The Hague``). It may be followed by up
to two comma components (``Paris, France``; ``Springfield, Illinois, USA``) which are matched but are NOT part of
the value: a place normalizes to its first comma component (NFC, whitespace collapsed, case kept: the display
form; counting casefolds values). Its first token must not be a month, weekday,
season or other capitalized non-place (``born in May 1815``, ``died in World War II``), nor its last an
institution's head noun (``St. Mary's Hospital``): an institution (:func:`institution_source`) says where someone
was, not the place; its place may follow it (``died at St. Mary's Hospital in Dublin``).

Deliberately not particles: ``on`` (``London on Christmas Day``) and ``and`` (``born in London and died``); the
hyphenated forms (``Southend-on-Sea``) are single tokens anyway. A place followed by ``or`` is uncertain
(``born in London or Paris``) and fails the match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import linear as linear_classes
from .charclass import APOS, longest_first

_SPACES = re.compile(r"\s+")



@dataclass(frozen=True)
class PlaceLexicon:
    particles: frozenset[str]
    """Lowercase words allowed between capitalized place tokens."""
    abbreviations: frozenset[str]
    """Dotted abbreviations allowed as place tokens (``St.``, ``Mt.``)."""
    articles: frozenset[str]
    """Capitalized articles allowed before the first capitalized token (``The Hague``)."""
    not_places: frozenset[str]
    """Capitalized words that cannot start a place (months, weekdays, ``World`` ...)."""
    institutions: frozenset[str] = frozenset()
    """Capitalized head nouns of institutions and buildings (``Hospital``, ``School``): a run of place tokens
    ending in one is an institution, not a place."""
    determiners: frozenset[str] = frozenset()
    """Lowercase words before a common noun of an institution (``a``, ``the``, ``her``: ``at a nursing home``)."""
    max_tokens: int = 6
    max_extra_components: int = 2


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=longest_first)) or linear_classes.NEVER


_SPACE = r"(?:[ \x{a0}]+(?:\r?\n[ \x{a0}]*)?|\r?\n[ \x{a0}]*)"
"""The space between a place's words: at most one line break, and no tab (a tab separates fields, as an
infobox's key from its value: ``Died<TAB>3 May 2011⏎Nationality<TAB>Hungarian`` names no place)."""


def place_source(lex: PlaceLexicon) -> str:
    """RE2 source (no capturing groups) for a place with optional ``, Country`` components. What a lookaround
    would check -- a token's end, an ``or`` after the place -- the engine checks after the match (:mod:`.linear`)."""
    u, w = linear_classes.U, linear_classes.W
    sp = _SPACE
    word = rf"{u}{w}*(?:[-{APOS}]{w}+)*"
    tok = rf"(?:(?:{_alt(lex.abbreviations)})|(?:{u}\.){{2,}}|{word})"
    glue = rf"{sp}(?:(?:{_alt(lex.particles)}){sp})*"
    component = rf"{tok}(?:{glue}{tok}){{0,{lex.max_tokens - 1}}}"
    first = rf"(?:(?:{_alt(lex.articles)}){sp})?{component}"
    return rf"{first}(?:,{sp}{component}){{0,{lex.max_extra_components}}}"


def institution_source(lex: PlaceLexicon) -> str:
    """Phrase source (no capturing groups; the placeholders ``{U}``, ``{W}``, ``{L}``, ``{SP}`` of
    :mod:`.phrases`) for an institution: up to :attr:`~PlaceLexicon.max_tokens` capitalized words (a possessive,
    a dotted abbreviation, ``of``, ``the`` between) ending in a head noun (``St. Mary's Hospital``, ``the Mayo
    Clinic``), or a determiner, up to two lowercase words and the head noun in lowercase (``a nursing home``,
    ``her home``), at a word's end. Its tokens are looser than a place's, and cheaper to compile."""
    named = (rf"(?:(?:{{U}}{{W}}*(?:[{APOS}]s|\.)?|of|the){{SP}}){{0,{lex.max_tokens - 1}}}"
             rf"(?:{_alt(lex.institutions)})")
    common = (rf"(?:{_alt(lex.determiners)}){{SP}}(?:{{L}}(?:{{W}}|-)*{{SP}}){{0,2}}"
              rf"(?:{_alt(h.lower() for h in lex.institutions)})")
    return rf"(?:{named}|{common})\b"


def valid_place(s: str, lex: PlaceLexicon) -> bool:
    """Procedural check of a matched place: no component starts with a non-place word (``May``, ``World``), its
    first does not end with an institution's head noun (``St. Mary's Hospital``), and every token that is not a
    particle, article or abbreviation starts with a true uppercase letter (the pattern's uppercase class is
    approximate)."""
    for i, comp in enumerate(s.split(",")):
        toks = comp.split()
        if i == 0 and len(toks) > 1 and toks[0] in lex.articles:
            toks = toks[1:]
        if not toks or toks[0] in lex.not_places or i == 0 and toks[-1] in lex.institutions:
            return False
        for tok in toks:
            if tok in lex.particles or tok in lex.abbreviations:
                continue
            if not (tok[0].isupper() or tok[0].istitle()):
                return False
    return True


def normalize_place(s: str) -> str:
    """The value of a matched place: its first comma component, NFC, whitespace collapsed (the display form;
    counting keys it casefolded)."""
    first = s.split(",", 1)[0]
    return _SPACES.sub(" ", unicodedata.normalize("NFC", first)).strip()
