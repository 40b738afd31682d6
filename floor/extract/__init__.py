"""Fact extraction: (entity, relation, value) facts such as birth dates and birthplaces from document text.

Extractors are a registry: one mechanism (:mod:`.engine`), each category declared as data (:data:`CATEGORIES`)
and each language's phrasings declared as data (:mod:`.english`), so categories and languages can be added
without new code paths.

>>> [f.key for f in Extractor().extract("Ada Lovelace (10 December 1815 – 27 November 1852) was a writer.")]
... # doctest: +NORMALIZE_WHITESPACE
[('birth_date', 'ada lovelace', '1815-12-10'), ('birth_year', 'ada lovelace', '1815'),
 ('death_date', 'ada lovelace', '1852-11-27'), ('death_year', 'ada lovelace', '1852')]
"""

from __future__ import annotations

from typing import Iterable

from ..errors import FloorError
from .categories import CATEGORIES, Category, Fact
from .engine import Engine, Language, Phrase
from .english import ENGLISH
from .prefilter import Prefilter

LANGUAGES: dict[str, Language] = {"en": ENGLISH}

__all__ = ["CATEGORIES", "Category", "Extractor", "Fact", "LANGUAGES", "Language", "Phrase", "Prefilter"]


class Extractor:
    """Extracts the facts of the chosen ``categories`` (default: all, in registry order) from one document at
    a time. Year-level facts implied by a full date (birth_date -> birth_year) are included with the same span."""

    def __init__(self, categories: Iterable[str] | None = None, language: str = "en"):
        if categories is None:
            cats = tuple(CATEGORIES)
        else:
            if isinstance(categories, str):
                categories = [categories]
            asked = list(dict.fromkeys(categories))
            unknown = [c for c in asked if c not in CATEGORIES]
            if unknown:
                raise FloorError(
                    f"unknown fact categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(map(repr, unknown))}; "
                    f"known: {', '.join(CATEGORIES)}"
                )
            if not asked:
                raise FloorError(f"no fact categories chosen; known: {', '.join(CATEGORIES)}")
            cats = tuple(c for c in CATEGORIES if c in asked)
        if language not in LANGUAGES:
            raise FloorError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
        self.categories: tuple[str, ...] = cats
        self.language = language
        self._engine = Engine(LANGUAGES[language], cats)

    @property
    def keywords(self) -> tuple[str, ...]:
        """The literal anchors searched for (for a multi-literal prefilter)."""
        return self._engine.keywords

    def compile(self) -> None:
        """Compile every phrase now (phrases are otherwise compiled when a keyword hit first needs them): done before
        worker processes are forked, so that they share the work."""
        self._engine.compile()

    def extract(self, text: str, mask: int | None = None, title: str | None = None) -> list[Fact]:
        """All facts in one document, in text order; none for a document in another language than the
        extractor's (:mod:`floor.extract.language`).

        ``mask``: the document's mask from :meth:`prefilter` (computed on its raw bytes by a reader), which lets
        the search skip keywords known to be absent; the facts are the same with or without it.
        ``title``: the document's title field, if it has one: its subject (each fact's ``subject`` says how its
        entity was chosen).
        """
        return self._engine.extract(text, mask, title)

    def prefilter(self, backend: str = "auto") -> Prefilter:
        """The raw-bytes keyword prefilter matching :attr:`keywords` (:mod:`floor.extract.prefilter`);
        ``backend``: ``"hyperscan"``, ``"python"`` or ``"auto"`` (hyperscan when it is installed)."""
        return self._engine.prefilter(backend)
