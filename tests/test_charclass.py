"""Regex building blocks of the phrase patterns (floor/extract/charclass.py): word lists as tries, character
classes written to compile cheaply, each matching what its plain form matches."""

from __future__ import annotations

import importlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

# floor.extract is also a function of the floor package, which shadows the subpackage as an attribute.
charclass = importlib.import_module("floor.extract.charclass")
dates = importlib.import_module("floor.extract.dates")
packs = importlib.import_module("floor.extract.packs")

_WORD = st.text(alphabet="abAB.+", min_size=1, max_size=5)


def _plain(words, ends=None) -> str:
    """The longest-first alternation a trie stands for."""
    ends = ends or {}
    return "|".join(re.escape(w) + ends.get(w, "") for w in sorted(words, key=charclass.longest_first))


def _first_match(alternatives: str, text: str):
    # What follows the list makes the engine backtrack into it: the same words must be tried in the same order.
    m = re.match(rf"(?:{alternatives})(.*?)X", text)
    return m and (m.span(), m.group(1))


@settings(max_examples=300, deadline=None)
@given(st.sets(_WORD, min_size=1, max_size=8), st.text(alphabet="abAB.+X", max_size=10))
def test_a_trie_matches_as_the_longest_first_alternation(words, text):
    assert _first_match(charclass.alternation(words), text) == _first_match(_plain(words), text)


@settings(max_examples=300, deadline=None)
@given(st.sets(_WORD, min_size=1, max_size=8), st.text(alphabet="abAB.+X", max_size=10), st.data())
def test_a_word_end_source_follows_its_word(words, text, data):
    ends = dict.fromkeys(data.draw(st.sets(st.sampled_from(sorted(words)))), r"\.?")
    assert _first_match(charclass.alternation(words, ends), text) == _first_match(_plain(words, ends), text)


def test_a_trie_shares_prefixes_and_writes_single_characters_as_classes():
    assert charclass.alternation({"Irish", "Iraqi", "Ir"}) == "Ir(?:aqi|ish)?"
    assert charclass.alternation({"da", "de", "das"}) == "d(?:as?|e)"
    assert charclass.alternation({"ab", "ac", "ad"}) == "a[bcd]"
    assert charclass.alternation({"sep", "sept"}, {"sep": r"\.?", "sept": r"\.?"}) == r"sep(?:t\.?|\.?)"


def test_no_words_match_nothing():
    assert charclass.alternation(()) == "(?!)"
    assert re.match(charclass.alternation(()), "") is None


def test_month_names_match_any_case_with_an_abbreviation_period():
    month = re.compile(dates.month_regex(packs.builtin_pack("biography-en").phrasing.months))
    found = [m and m.group() for m in map(month.match, ["Sept. 3", "SEPTEMBER", "sep 3", "May.", "Mar.", "Marc"])]
    assert found == ["Sept.", "SEPTEMBER", "sep", "May", "Mar.", None]


def test_the_letter_or_mark_class_is_a_letter_or_a_combining_mark():
    w = re.compile(charclass.W)
    marks = re.compile(f"[{charclass.MARK_CHARS}]")
    letter = re.compile(r"[^\W\d_]")
    for cp in range(0x10000):
        c = chr(cp)
        assert bool(w.fullmatch(c)) == bool(letter.fullmatch(c) or marks.fullmatch(c)), hex(cp)
