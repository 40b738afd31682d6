"""Phrase matching (floor/extract/match.py): a pattern is compiled at its keyword's first hit; what must follow a
match restated without a lookahead."""

from __future__ import annotations

import dataclasses
import importlib
import re

import pytest

from floor.extract import CATEGORIES, Extractor
from floor.extract.packs import builtin_pack

ENGLISH = builtin_pack("biography-en").phrasing

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
    assert importlib.import_module("floor.extract.linear")._top_level_ends(source) == ends


def test_a_pattern_is_compiled_at_its_keywords_first_hit_or_before_workers_are_forked():
    text = "Jane Doe was born in Cork in 1902."
    cats = tuple(CATEGORIES)
    # A language object of its own: compiled phrases are shared by every engine of one language in a process.
    lazy = engine.Engine(dataclasses.replace(ENGLISH), cats, backtracking=True)
    assert all(isinstance(after, _Uncompiled) for after, _, _ in lazy._by_kw["born"])
    facts = lazy.extract(text, None, None)
    assert facts != []
    assert not any(isinstance(after, _Uncompiled) for after, _, _ in lazy._by_kw["born"])
    assert all(isinstance(after, _Uncompiled) for after, _, _ in lazy._by_kw["("])  # no "(" met
    # A built-in pack's patterns (on Python's re, read back from floor's cache) are all compiled in the parent; a
    # user's (on RE2, compiled anew in each process) only when asked.
    on_re = engine.Engine(dataclasses.replace(ENGLISH), cats, backtracking=True)
    on_re.compile()
    assert not any(isinstance(after, _Uncompiled) for slots in on_re._by_kw.values() for after, _, _ in slots)
    on_re2 = engine.Engine(dataclasses.replace(ENGLISH), cats)
    on_re2.compile()
    assert all(isinstance(after, _Uncompiled) for after, _, _ in on_re2._by_kw["born"])
    on_re2.compile(linear=True)
    assert not any(isinstance(after, _Uncompiled) for after, _, _ in on_re2._by_kw["born"])
    assert on_re.extract(text, None, None) == on_re2.extract(text, None, None) == facts


@pytest.mark.parametrize("after", [r"\s+({DATE:birth_date}", r"\s+{DATE:birth_date}[0-9", "\\s+{DATE:birth_date}\\"])
def test_a_bad_phrase_pattern_is_reported_when_its_keyword_is_met(after):
    """Its prefix, however malformed the pattern, is no error of its own: compiling the pattern reports it."""
    from floor.errors import FloorError
    from floor.extract import Language, Phrase

    base = ENGLISH
    language = Language(**{**base.__dict__, "phrases": (Phrase("broken", "born", after, before=r"\s+was\s+"),)})
    with pytest.raises(FloorError, match="phrase broken: bad pattern"):
        engine.Engine(language, ["birth_year"]).extract("Jane Doe was born 1902.")


@pytest.mark.parametrize("backtracking", [False, True])
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
def test_an_ahead_group_ends_the_match_as_a_lookahead_would(after, text, backtracking):
    from floor.extract.phrases import Phrase
    from tests.test_pattern_cache import phrase_compiler

    linear = importlib.import_module("floor.extract.linear")
    ahead = phrase_compiler(ENGLISH, backtracking).compile(Phrase("ahead", "born", after)).after
    source = phrase_compiler(ENGLISH).source(Phrase("peer", "born", after))
    lookahead = re.compile(re.sub(r"\(\?P<ahead__\d+>", "(?=", linear.python_source(source)))
    at = text.index("born") + len("born")
    m, peer = ahead.match(text, at), lookahead.match(text, at)
    assert (m is None) == (peer is None)
    if peer is not None:
        assert m.span() == peer.span() and m.group() == peer.group()
        for name, index in peer.re.groupindex.items():
            if not name.startswith("ahead"):
                assert m.span(ahead.groupindex[name]) == peer.span(index), name
