"""The single extraction mechanism: keyword-anchored phrase matching driven by :class:`Language` data.

For one document, in stages, each in a module of its own:

1. keyword hits (:mod:`.hits`): every occurrence of every keyword literal that passes its guard; a reader that
   scanned the document's raw bytes first (:mod:`.prefilter`) passes a mask of the keywords that may occur, and a
   document with none is skipped outright -- the facts are the same, since every fact starts at a hit; the hit of
   a section heading (``Births``) stands for hits at its section's lines (:mod:`.chronology`);
2. phrase match (:mod:`.match`): at each hit, each phrase of that keyword is matched after it, its glue before it;
3. subject (:mod:`.subject`): whom a matching phrase is about -- the name next to it, or the document's
   subject (title, heading, lead sentence); the longest match with an entity wins;
4. normalization and consistency (:mod:`.facts`): its values are parsed and normalized -- a date split across a
   chronology's line put together and completed from the page (:mod:`.chronology`) -- and checked (birth <=
   death, lifespan :data:`~.facts.MIN_AGE` to :data:`~.facts.MAX_AGE` years); if a check fails, the hit yields
   nothing;
5. keyword hits inside an accepted match are skipped;
6. document language (:mod:`.language`): a document with facts that is in another language than the
   engine's gives none;
7. document-level consistency (:mod:`.facts`): a statement attributed indirectly (through a pronoun, or a span
   under an office that may be a term) that contradicts what the document says of the same person otherwise is
   dropped, and a local lifespan equal to the subject's takes the subject's name.

Phrases are data (:class:`Phrase`, compiled by :mod:`.phrases`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Iterable, Mapping

from . import linear
from .categories import Fact
from .chronology import Chronology
from .dates import DateGrammar
from .facts import FactBuilder
from .hits import KeywordHits
from .language import LanguageGate
from .match import PhraseMatcher
from .names import NameReader
from .phrases import Compiled, Language, Phrase, PhraseCompiler
from .prefilter import Prefilter
from .subject import LOCAL, SubjectResolver

__all__ = ["Engine", "Language", "Phrase"]

_CACHE: dict[tuple[int, bool], tuple[Language, PhraseCompiler, dict[Phrase, Compiled]]] = {}
"""Per language object and engine: its phrase compiler and the phrases compiled so far (compiling takes a few hundred ms;
do it once per process, only for the patterns a keyword hit needs (:mod:`.match`), and read back what an earlier
process compiled (:mod:`.pattern_cache`))."""


class Engine:
    """Compiled phrases of one language, restricted to the categories asked for."""

    def __init__(self, language: Language, categories: Iterable[str],
                 foreign: Mapping[str, tuple[str, ...]] | None = None, backtracking: bool = False):
        """``foreign``: the other languages floor reads, each with its marker words
        (:class:`~.language.LanguageGate`); ``backtracking``: the phrases run on Python's ``re`` rather than RE2
        (a pack floor ships: :func:`.linear.compile`)."""
        self.language = language
        self._backtracking = backtracking
        self.categories = tuple(categories)
        wanted = frozenset(self.categories)
        dates = DateGrammar(language.months, language.dates)
        names = NameReader(language.names)
        cached = _CACHE.get((id(language), backtracking))
        if cached is None or cached[0] is not language:
            compiler = PhraseCompiler(names, language, backtracking)
            cached = _CACHE[id(language), backtracking] = (language, compiler, {})
        _, compiler, compiled = cached

        def compile_phrase(ph: Phrase) -> Compiled:
            c = compiled.get(ph)
            if c is None:
                c = compiled[ph] = compiler.compile(ph)
            return c

        self._compile = compile_phrase
        self._matcher = PhraseMatcher((ph for ph in language.phrases if compiler.emits(ph) & wanted),
                                      compile_phrase, compiler.source)
        self._by_kw = self._matcher.by_kw
        self.keywords = self._matcher.keywords
        self._gate = LanguageGate(language.code, language.common_words, language.markers, foreign)
        guards, raw_guards = language.guards, language.raw_guards
        # A pack's own guards run on its engine (RE2 for a user's); those floor derives, one character class each,
        # cannot backtrack and run on Python's re.
        guards_on_re = backtracking
        if not guards and not raw_guards:
            guards, raw_guards = self._matcher.derived_guards()
            guards_on_re = True
        matchers = {kw: linear.guard(source, guards_on_re) for kw, source in guards.items()}
        self._hits = KeywordHits(self.keywords, matchers, raw_guards, language.raw_contexts, self._gate.markers)
        self._names = names
        self._subjects = SubjectResolver(names, language.subjects)
        self._facts = FactBuilder(dates, language.places, wanted, language.checks)
        self._chronology = Chronology(dates)
        self._sections = self._matcher.section_keywords
        self._unknown = 1 << len(self.keywords)

    def compile(self, linear: bool = False) -> None:
        """Compile every phrase now rather than when a keyword hit first needs it, if they run on Python's ``re``
        (their compiled patterns are read back from floor's cache) or ``linear`` (on RE2: :meth:`.Extractor.compile`)."""
        if linear or self._backtracking:
            self._matcher.compile_all()

    def compile_phrase(self, name: str) -> None:
        """Compile the phrase ``name`` now, on RE2 whatever engine it runs on (to report a pattern outside the RE2
        subset before any document needs it)."""
        for ph in self.language.phrases:
            if ph.name == name:
                self._compile(ph)
                if self._backtracking:
                    self._re2_compiler.compile(ph)

    @cached_property
    def _re2_compiler(self) -> PhraseCompiler:
        """The phrases compiled for RE2, to check that a pack run on Python's ``re`` obeys a user's pack's rule."""
        return PhraseCompiler(self._names, self.language)

    def prefilter(self, backend: str = "auto") -> Prefilter:
        """The raw-bytes prefilter for this engine's keywords (built once per process and backend)."""
        return self._hits.prefilter(backend)

    def hits(self, text: str, mask: int | None = None) -> list[tuple[int, str]]:
        """``(position, keyword)`` of every keyword occurrence (passing its guard), in text order; ``mask`` as for
        :meth:`extract`."""
        return self._hits.hits(text, mask)

    def extract(self, text: str, mask: int | None = None, title: str | None = None) -> list[Fact]:
        """The facts of one document. ``mask``: its prefilter mask (:mod:`floor.extract.prefilter`), if known;
        ``title``: its title field, if it has one (the document's subject, :mod:`.subject`)."""
        return self.read(text, mask, title)[0]

    def read(self, text: str, mask: int | None = None, title: str | None = None) -> tuple[list[Fact], bool]:
        """:meth:`extract`'s facts, and whether the document stated some that the language gate refused (it is in
        another language than the engine's: :meth:`likeliest` says which)."""
        if mask is not None:
            if not mask:
                return [], False  # no keyword, so no hit: nothing to extract
            if mask & self._unknown:
                mask = None
        if mask is None and not self._gate.may_read(text):
            return [], False  # the prefilter's test, on the text
        facts: list[Fact] = []
        referred: list[list[Fact]] = []
        local: list[list[Fact]] = []
        of_subject = False  # a fact about the document's subject was found (not only local ones)
        consumed = 0
        hits = self._hits.hits(text, mask)
        if not hits:
            return facts, False  # a keyword the prefilter saw, but no hit past its guard (one document in six)
        if self._sections and not self._sections.isdisjoint(kw for _, kw in hits):
            hits = self._chronology.expand(text, hits, self._sections)
        best = self._matcher.best
        entity_of = self._subjects.entity
        build = self._facts.facts
        doc = self._subjects.document(text, title)
        page = None  # the dates the page gives a chronology's lines (.chronology), on first need
        for pos, kw in hits:
            if pos < consumed:
                continue
            found = best(text, pos, kw, entity_of, doc)
            if found is None:
                continue
            c, m, who = found
            dated = ()
            if c.parts:
                if page is None:
                    page = self._chronology.page(text, title)
                dated = self._chronology.values(text, c.parts, m, page)
                if dated is None:
                    continue
            new = build(text, pos, c, m, who, dated)
            if new:
                facts.extend(new)
                consumed = m.end()
                if who.how == LOCAL:
                    local.append(new)
                    self._subjects.note(doc, who, m)
                else:
                    of_subject = True
                if who.referred:
                    referred.append(new)
        if not facts:
            return facts, False
        if not self._gate.keeps(text):
            return [], True
        if referred:
            facts = self._facts.without(facts, self._facts.contradicting(facts, referred))
        if local and of_subject:
            facts = self._facts.with_aliases(facts, local)
        facts.sort(key=lambda f: f.start)
        return facts, False

    def likeliest(self, text: str) -> str:
        """The language the identifier finds likeliest for ``text`` (of a document the gate refused)."""
        return self._gate.likeliest(text)
