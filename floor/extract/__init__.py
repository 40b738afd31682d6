"""Fact extraction: (entity, relation, value) facts such as birth dates and birthplaces from document text.

Extractors are a registry: one mechanism (:mod:`.engine`), each category declared as data (:data:`CATEGORIES`)
and each pack's phrasings declared as data (:mod:`.packs`: TOML files, floor's own in ``floor/packs``), so
categories and languages are added without new code paths.

>>> [f.key for f in Extractor().extract("Ada Lovelace (10 December 1815 – 27 November 1852) was a writer.")]
... # doctest: +NORMALIZE_WHITESPACE
[('birth_date', 'ada lovelace', '1815-12-10'), ('birth_year', 'ada lovelace', '1815'),
 ('death_date', 'ada lovelace', '1852-11-27'), ('death_year', 'ada lovelace', '1852')]
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ..errors import FloorError
from .categories import CATEGORIES, Category, Fact
from .engine import Engine, Language, Phrase
from .packs import Pack, default_packs, load_pack
from .prefilter import Prefilter

__all__ = ["AUTO", "OTHER_LANGUAGE", "CATEGORIES", "Category", "Extractor", "Fact", "Language", "Pack", "Phrase", "Prefilter",
           "categories_of", "choose_packs", "language_codes", "load_pack"]

AUTO = "auto"
"""``languages=AUTO``: every chosen pack, each reading the documents in its language."""
OTHER_LANGUAGE = "other"
"""The language of a document in which packs found statements but whose language no chosen pack reads."""


def choose_packs(packs: Iterable[Pack | str] | None = None, languages: str | Sequence[str] | None = AUTO
                 ) -> tuple[Pack, ...]:
    """The packs a scan runs: ``packs`` (built-in names, TOML paths or :class:`Pack` objects; default: the
    built-in biography packs, one a language), restricted to ``languages`` (codes such as ``["en", "fr"]`` or
    ``"en,fr"``; ``"auto"`` or ``None``: all of them)."""
    chosen = default_packs() if packs is None else tuple(p if isinstance(p, Pack) else load_pack(p) for p in packs)
    if not chosen:
        raise FloorError("no packs chosen")
    names = [p.name for p in chosen]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise FloorError(f"pack {', '.join(map(repr, twice))} chosen twice")
    codes = language_codes(languages)
    if codes is None:
        return chosen
    have = {p.language for p in chosen}
    missing = [c for c in codes if c not in have]
    if missing:
        raise FloorError(f"no chosen pack reads {', '.join(map(repr, missing))}; the packs read "
                         f"{', '.join(sorted(have))}")
    return tuple(p for p in chosen if p.language in codes)


def language_codes(languages: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``languages`` as codes (``"en,fr"`` -> ``("en", "fr")``); ``None`` for ``"auto"`` (every pack)."""
    if languages is None or languages == AUTO:
        return None
    codes = [c.strip() for c in (languages.split(",") if isinstance(languages, str) else languages)]
    if not codes or not all(codes) or AUTO in codes:
        raise FloorError(f"languages must be {AUTO!r} or language codes such as 'en,fr', not {languages!r}")
    return tuple(dict.fromkeys(codes))


def categories_of(packs: Iterable[Pack]) -> tuple[str, ...]:
    """The categories ``packs`` give, in registry order (built-in ones first)."""
    given = {c for p in packs for c in p.gives}
    return tuple(c for c in CATEGORIES if c in given)


class Extractor:
    """Extracts the facts of the chosen ``categories`` (default: all that the packs give, in registry order)
    from one document at a time, with the chosen ``packs`` and ``languages`` (:func:`choose_packs`). Year-level
    facts implied by a full date (birth_date -> birth_year) are included with the same span. Each pack reads the
    documents in its language only (:mod:`.language`)."""

    def __init__(self, categories: Iterable[str] | None = None, packs: Iterable[Pack | str] | None = None,
                 languages: str | Sequence[str] | None = AUTO):
        self.packs = choose_packs(packs, languages)
        known = categories_of(self.packs)
        if categories is None:
            cats = known
        else:
            if isinstance(categories, str):
                categories = [categories]
            asked = list(dict.fromkeys(categories))
            unknown = [c for c in asked if c not in known]
            if unknown:
                raise FloorError(
                    f"unknown fact categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(map(repr, unknown))}; "
                    f"known: {', '.join(known)}"
                )
            if not asked:
                raise FloorError(f"no fact categories chosen; known: {', '.join(known)}")
            cats = tuple(c for c in known if c in asked)
        self.categories: tuple[str, ...] = cats
        foreign = {p.language: p.phrasing.markers or p.phrasing.common_words for p in default_packs()}
        self._engines = tuple(
            Engine(p.phrasing, [c for c in cats if c in p.gives],
                   {code: tuple(words) for code, words in foreign.items() if code != p.language}, p.builtin)
            for p in self.packs if any(c in p.gives for c in cats))
        offsets, offset = [], 0
        for engine in self._engines:
            offsets.append((offset, (1 << len(engine.keywords)) - 1))
            offset += len(engine.keywords)
        self._offsets = tuple(offsets)
        self._unknown = 1 << offset
        self._prefilters: dict[str, Prefilter] = {}
        self._languages = frozenset(p.language for p in self.packs)

    @property
    def keywords(self) -> tuple[str, ...]:
        """The literal anchors searched for (for a multi-literal prefilter), each pack's in turn."""
        return tuple(kw for engine in self._engines for kw in engine.keywords)

    def compile(self, linear: bool = False) -> None:
        """Compile every phrase now (phrases are otherwise compiled when a keyword hit first needs them): done before
        worker processes are forked, so that they share the work; a user's pack's phrases (run on RE2, which
        compiles them anew in each process, in tenths of a second each) only if ``linear``: a worker compiles one
        when a document first needs it, and most corpora are mostly in one language."""
        for engine in self._engines:
            engine.compile(linear)

    def extract(self, text: str, mask: int | None = None, title: str | None = None) -> list[Fact]:
        """All facts in one document, in text order; none from a pack whose language the document is not in
        (:mod:`floor.extract.language`).

        ``mask``: the document's mask from :meth:`prefilter` (computed on its raw bytes by a reader), which lets
        the search skip keywords known to be absent; the facts are the same with or without it.
        ``title``: the document's title field, if it has one: its subject (each fact's ``subject`` says how its
        entity was chosen).
        """
        engines = self._engines
        if len(engines) == 1:
            return engines[0].extract(text, mask, title)
        return self._read(text, mask, title)[0]

    def read(self, text: str, mask: int | None = None, title: str | None = None) -> tuple[list[Fact], str | None]:
        """:meth:`extract`'s facts, and the document's language as extraction saw it: that of the pack that gave
        the most of its facts (the first on a tie); for a document whose statements a pack's language gate refused,
        the language the identifier finds likeliest if a chosen pack reads it (that pack found nothing), else
        :data:`OTHER_LANGUAGE`; ``None`` when no pack found a statement."""
        facts, language, refused = self._read(text, mask, title)
        if language is not None or refused is None:
            return facts, language
        likeliest = refused.likeliest(text)
        return facts, likeliest if likeliest in self._languages else OTHER_LANGUAGE

    def _read(self, text: str, mask: int | None, title: str | None) -> tuple[list[Fact], str | None, Engine | None]:
        """The facts of every engine, the language of the one that gave the most (``None``: none gave any), and
        the first engine whose gate refused the document's statements (``None``: none)."""
        if mask is not None:
            if not mask:
                return [], None, None
            if mask & self._unknown:
                mask = None
        facts: list[Fact] = []
        found: list[tuple[int, int, str]] = []
        refused = None
        for order, (engine, (offset, width)) in enumerate(zip(self._engines, self._offsets)):
            part = None if mask is None else mask >> offset & width
            if part == 0:
                continue
            new, gated = engine.read(text, part, title)
            if gated and refused is None:
                refused = engine
            if new:
                facts.extend(new)
                found.append((-len(new), order, engine.language.code))
        if len(found) > 1:
            facts.sort(key=lambda f: f.start)
        return facts, (min(found)[2] if found else None), refused

    def prefilter(self, backend: str = "auto") -> Prefilter:
        """The raw-bytes keyword prefilter matching :attr:`keywords` (:mod:`floor.extract.prefilter`);
        ``backend``: ``"hyperscan"``, ``"python"`` or ``"auto"`` (hyperscan when it is installed)."""
        if len(self._engines) == 1:
            return self._engines[0].prefilter(backend)
        union = self._prefilters.get(backend)
        if union is None:
            union = self._prefilters[backend] = Prefilter.union([e.prefilter(backend) for e in self._engines])
        return union
