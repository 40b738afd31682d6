"""Phrase matching (floor/extract/match.py): a pattern is compiled only once the prefix it starts with matches."""

from __future__ import annotations

import dataclasses
import importlib
import re

import pytest

from floor.extract import CATEGORIES, Extractor
from floor.extract.english import ENGLISH

# floor.extract is also a function of the floor package, which shadows the subpackage as an attribute.
match = importlib.import_module("floor.extract.match")
engine = importlib.import_module("floor.extract.engine")
pattern_cache = importlib.import_module("floor.extract.pattern_cache")
_Uncompiled = match._Uncompiled


@pytest.mark.parametrize(
    "source, ends",
    [
        (r"a+b(?:c|d)e", [2, 3, 10, 11]),
        (r"\u00a0x{2,3}[]a\]]y", [6, 12, 18, 19]),  # a 6-character escape; "]" first in a class is a literal
        (r"(?P<n>\d{1,4})??\s*+(?=x)", [16, 20, 25]),  # lazy and possessive quantifiers stay with their item
        (r"x{a}", [1, 2, 3, 4]),  # "{a}" is no quantifier: literals
        (r"ab|c", None),  # a top-level alternation has no prefix that must match
        (r"(?:ab|c)d", [8, 9]),
    ],
)
def test_top_level_items_of_a_pattern(source, ends):
    assert match._top_level_ends(source) == ends


def test_the_precheck_is_the_longest_prefix_of_whole_items_within_the_size():
    assert match.precheck_source(r"a+b(?:c|d)e", size=10) == "a+b(?:c|d)"
    assert match.precheck_source(r"a+b(?:c|d)e", size=9) == "a+b"
    assert match.precheck_source(r"a+b(?:c|d)e", size=1) is None  # the first item is longer
    assert match.precheck_source(r"a+b", size=10) == "a+"  # never the whole pattern: it would be compiled twice
    assert match.precheck_source(r"ab|c", size=10) is None


def _sources():
    """The expanded ``after`` source of every English phrase."""
    Extractor()  # builds the English phrase compiler
    language = ENGLISH
    _, compiler, _ = engine._CACHE[id(language)]
    return {compiler.source(ph) for ph in language.phrases}


def test_every_prefix_of_every_phrase_pattern_is_a_pattern_that_matches_where_it_does():
    texts = ["Jane Doe (born 3 March 1902 in Cork; died 1970) wrote.", "Jane Doe (1902–1970) wrote.",
             "Jane Doe was born in Cork on 3 March 1902 and died in 1970.", "1902 – Jane Doe, poet, born in Cork",
             "Born in Cork in 1902, she wrote."]
    for source in _sources():
        ends = match._top_level_ends(source)
        assert ends is not None and ends[-1] == len(source)
        full = re.compile(source)
        for end in ends:
            prefix = re.compile(source[:end])
            for text in texts:
                for i in range(len(text)):
                    if full.match(text, i) is not None:
                        assert prefix.match(text, i) is not None


def test_a_pattern_whose_prefix_never_matches_is_not_compiled(tmp_path, monkeypatch):
    # As in a new process on a new machine: no pattern compiled before, in this process or in the cache.
    monkeypatch.setenv("FLOOR_CACHE_DIR", str(tmp_path))
    pattern_cache.regex.cache_clear()
    text = "Jane Doe was born in Cork in 1902."
    # A language object of its own: compiled phrases are shared by every engine of one language in a process.
    lazy = engine.Engine(dataclasses.replace(ENGLISH), tuple(CATEGORIES))
    facts = lazy.extract(text, None, None)
    eager = Extractor(languages="en")
    eager.compile()
    assert facts == eager.extract(text) != []
    compiled = {(anchor, not isinstance(after, _Uncompiled)) for after, anchor, _ in lazy._by_kw["born"]}
    # The dated-line patterns start with a date at the line's start: prose never compiles them.
    assert compiled == {("keyword", True), ("line", False)}
    assert not any(isinstance(after, _Uncompiled) for slots in eager._engines[0]._by_kw.values()
                   for after, _, _ in slots)
    # Once an earlier process has compiled them, a new engine reads them back when their keyword is first met.
    pattern_cache.regex.cache_clear()
    engine.Engine(dataclasses.replace(ENGLISH), tuple(CATEGORIES)).compile()  # the earlier process
    warm = engine.Engine(dataclasses.replace(ENGLISH), tuple(CATEGORIES))
    assert not any(isinstance(after, _Uncompiled) for after, _, _ in warm._by_kw["born"])
    assert warm.extract(text, None, None) == facts


@pytest.mark.parametrize("after", [r"\s+({DATE:birth_date}", r"\s+{DATE:birth_date}[0-9", "\\s+{DATE:birth_date}\\"])
def test_a_bad_phrase_pattern_is_reported_when_its_keyword_is_met(after):
    """Its prefix, however malformed the pattern, is no error of its own: compiling the pattern reports it."""
    from floor.errors import FloorError
    from floor.extract import Language, Phrase

    base = ENGLISH
    language = Language(**{**base.__dict__, "phrases": (Phrase("broken", "born", after, before=r"\s+was\s+"),)})
    with pytest.raises(FloorError, match="phrase broken: bad pattern"):
        engine.Engine(language, ["birth_year"]).extract("Jane Doe was born 1902.")


@pytest.mark.parametrize("linear_phrase", [False, True])
@pytest.mark.parametrize("after, text", [
    # The optional death part is given up when what must follow does not follow it, as with (?=[);,]).
    (r"\s+{DATE:birth_date}(?:;\s+died\s+{DATE:death_date}(?:\s+in\s+{PLACE:death_place})?)?\s*(?P<ahead>[);,])",
     "(born 1902; died 1970 in Cork and Dublin)"),
    (r"\s+{DATE:birth_date}(?:;\s+died\s+{DATE:death_date}(?:\s+in\s+{PLACE:death_place})?)?\s*(?P<ahead>[);,])",
     "(born 1902; died 1970 in Cork)"),
    # Alternatives, each closed by a group of its own: the first that matches sets the end.
    (r"\s+{DATE:birth_date}(?:\n{PLACE:birth_place}(?P<ahead>\n)|(?P<ahead>[ \t]*(?:\n|$)))",
     "(born 3 May 1902\nCork\nIreland)"),
    (r"\s+{DATE:birth_date}(?:\n{PLACE:birth_place}(?P<ahead>\n)|(?P<ahead>[ \t]*(?:\n|$)))",
     "(born 3 May 1902  \nCork Ireland"),
    (r"\s+{DATE:birth_date}\s*(?P<ahead>[);,])", "(born 1902 in Cork)"),
])
def test_an_ahead_group_ends_the_match_as_a_lookahead_would(after, text, linear_phrase):
    from floor.extract.phrases import Phrase, PhraseCompiler
    from tests.test_pattern_cache import phrase_compiler

    compiler: PhraseCompiler = phrase_compiler(ENGLISH)
    ahead = compiler.compile(Phrase("ahead", "born", after, linear=linear_phrase)).after
    lookahead = re.compile(re.sub(r"\(\?P<ahead__\d+>", "(?=", compiler.source(Phrase("peer", "born", after))))
    at = text.index("born") + len("born")
    m, peer = ahead.match(text, at), lookahead.match(text, at)
    assert (m is None) == (peer is None)
    if peer is not None:
        assert m.span() == peer.span() and m.group() == peer.group()
        for name, index in peer.re.groupindex.items():
            if not name.startswith("ahead"):
                assert m.span(ahead.groupindex[name]) == peer.span(index), name
