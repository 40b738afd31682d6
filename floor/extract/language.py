"""The document-language gate: a document written in another language than the extractor's gives no facts.

A language's phrasings read only text in that language; run over another, its patterns still fire on what looks
alike (a lifespan parenthetical, a capitalized word before it) and read wrong entities (``calife de Cordoue
(912-961)``). So once a document has given facts -- the gate runs on no other, which keeps its cost on the few
documents that hold candidates -- its opening (:data:`WINDOW` characters) is checked:

1. a screen: when the opening holds enough of the language's common words (``the``, ``of``, ``was`` ...:
   :attr:`~.phrases.Language.common_words`; :data:`MIN_COMMON` distinct ones, fewer in a short opening), the
   document is in the language. Most
   documents with facts pass here, in a few microseconds, and the identifier is never loaded (loading its model
   takes about half a second, a per-process cost);
2. otherwise the offline identifier ``py3langid`` (its model ships in the package) ranks the languages of the
   opening. For English, the language floor reads by default, the document gives nothing only when another
   language is at least :data:`MIN_ODDS` times likelier: short or mixed text (``Jane Doe (1902–1970)``, a
   dictionary headword, an English sentence full of foreign names) leaves the identifier unsure, and the facts
   are kept -- unless the opening holds :data:`MIN_WORDS_UNSURE` words besides names, not one of the common
   words, and a marker word of another language floor reads; or so few words besides names that the identifier
   is asked of the names too, and finds another language floor reads :data:`MIN_ODDS` times likelier. A pack of
   another language reads a document only when the identifier finds that language the likeliest: a lifespan or a
   date is written alike in many languages, and English text must not give a French pack's facts.

The opening, not the whole document: a document's language shows in its first sentences, the identifier's cost
grows with the text's length, and 2000 characters are a few sentences more than it needs to be sure.
"""

from __future__ import annotations

from functools import cache
from typing import Mapping

WINDOW = 2000
"""Characters at the start of a document that the gate reads."""
MIN_COMMON = 4
"""Distinct common words of the language in the window that make the document the language's without asking
the identifier; a shorter window needs two, and one more per :data:`CHARS_PER_COMMON` characters."""
CHARS_PER_COMMON = 250
MIN_WORDS_UNSURE = 6
"""Words (not names) in an opening without any of the language's common words that make it long enough to hold
one: when it also holds a marker word of another language floor has a pack for, the identifier must find the
language the likeliest, as for a pack of another language than English (``Carlos III, rey de España
(1759-1788), impulsó numerosas reformas ilustradas en Madrid``); lists and legal notes in English, which hold
few common words and may read as anything to the identifier, keep the lenient test."""
MIN_ODDS = 100.0
"""How many times likelier than the extractor's language another must be for a document to give nothing."""


@cache
def _identifier():
    """py3langid's identifier with probabilities, loaded on first need (about half a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class LanguageGate:
    """Tells whether a document is in the language ``code`` (an ISO 639-1 code, as the identifier's labels)."""

    def __init__(self, code: str, common_words: tuple[str, ...], markers: tuple[str, ...] = (),
                 foreign: Mapping[str, tuple[str, ...]] | None = None):
        self.code = code
        self.strict = code != "en"
        foreign = foreign or {}
        self._foreign = tuple(sorted({f" {w} " for words in foreign.values() for w in words}))
        """Marker words of the other languages floor has packs for (``foreign``: each language's code and its
        words): an unsure opening holding one, and no common word of this language, is judged strictly."""
        self._foreign_codes = frozenset(foreign)
        self.markers = tuple(f" {w} " for w in markers or common_words) if self.strict else ()
        """A pack of another language than English reads only documents that hold one of these (its marker
        words, or else its common words, between spaces): checked on the raw bytes by the prefilter, and here on
        the text without it."""
        # Space-delimited, so that "the" is not found in "other"; most frequent first, so the screen stops early.
        self._common = tuple(f" {w} " for w in common_words)

    def may_read(self, text: str) -> bool:
        """``text`` holds one of the :attr:`markers` (or the gate has none)."""
        return not self.markers or any(m in text for m in self.markers)

    def keeps(self, text: str) -> bool:
        """``text`` may be in the language: it is, or the identifier is unsure."""
        window = text[:WINDOW]
        needed = min(MIN_COMMON, 2 + len(window) // CHARS_PER_COMMON)
        found = 0
        for word in self._common:
            if word in window:
                found += 1
                if found >= needed:
                    return True
        rest = _without_names(window)
        words = sum(w[:1].isalpha() for w in rest.split())
        if self.strict or found == 0 and words >= MIN_WORDS_UNSURE and any(word in window for word in self._foreign):
            return self.odds_against(rest) <= 1.0
        if self.odds_against(rest) >= MIN_ODDS:
            return False
        if found or words >= MIN_WORDS_UNSURE:
            return True
        # Too few words besides the capitalized ones to tell: those judged too, as they are the nouns of a
        # language floor has a pack for in German ("Humboldt, Alexander Freiherr von, Naturforscher, * 14.9.1769
        # Berlin ... Genealogie"), where in English they are names (of any script: "Ζωή Παππά died in 1852").
        ranked = _identifier().rank(window)
        return ranked[0][0] not in self._foreign_codes or self._odds(ranked) < MIN_ODDS

    def likeliest(self, text: str) -> str:
        """The language the identifier finds likeliest for ``text``'s opening (its names left out)."""
        return _identifier().rank(_without_names(text[:WINDOW]))[0][0]

    def odds_against(self, window: str) -> float:
        """How many times likelier the identifier finds the likeliest language of ``window`` than the gate's
        (1.0 when it is the gate's; 0.0 for a language the identifier does not know, which it cannot judge)."""
        return self._odds(_identifier().rank(window))

    def _odds(self, ranked: list[tuple[str, float]]) -> float:
        probabilities = dict(ranked)
        if self.code not in probabilities:
            return 0.0
        mine = probabilities[self.code]
        top = ranked[0][1]
        return top / mine if mine > 0 else float("inf")


_OPENERS = "\"'([{“‘«„"


def _without_names(window: str) -> str:
    """``window`` without its capitalized words: names are no evidence of the language around them, and a
    short English sentence about ``Ζωή Παππά`` or ``Łukasz Żółć`` reads as Greek or Polish with them."""
    return " ".join(w for w in window.split() if not w.lstrip(_OPENERS)[:1].isupper())
