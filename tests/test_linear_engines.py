"""Patterns in the RE2 subset on RE2 and on Python's re (floor/extract/linear.py): the same matches on both.

Every pack's phrasings are in the RE2 subset. A user's pack runs on RE2, which cannot backtrack; floor's own packs
run on Python's ``re`` from a translation of the same sources (``python_source``), so the two engines must agree:
on hand-picked constructs whose meanings differ between them (``\\b``, ``\\d``, ``$``, Unicode's classes), on random
texts, and on the built-in packs' facts over the shipped sample and real text.
"""

from __future__ import annotations

import gzip
import importlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floor.extract import CATEGORIES
from floor.extract.packs import builtin_pack, load_pack

ENGLISH = builtin_pack("biography-en").phrasing

linear = importlib.import_module("floor.extract.linear")
engine = importlib.import_module("floor.extract.engine")

ROOT = Path(__file__).resolve().parent.parent
REALTEXT = ROOT.parent / "shared" / "realtext" / "bio_dev.jsonl"

PATTERNS = [
    r"\s+was\s+born",  # \s: any whitespace of Unicode on both
    r"\bto\s",  # \b: ASCII's word boundary on both
    r"\d{1,4}\b",  # \d: ASCII digits on both
    r"[\w-]+",  # \w: Latin, Greek and Cyrillic letters, digits, underscore on both
    r"\W+\S",
    r"(?i:fév(?:rier)?)\.?",  # case folding beyond ASCII on both
    r"\p{Lu}[\p{L}\p{M}'’-]*",  # Unicode's categories on both
    r"[^\p{Lu};.()\n]{1,20}",
    r"\x{a0}|\x{2013}",
    r"(?:a|ab)(?:c|bcd)(?P<rest>d*)",  # leftmost-first, not leftmost-longest, on both
    r"x?$",  # the end of the window, not before a line break
    r"(?:\n|\z)",
    r"(?P<word>\w+)(?P<ahead>\s)",
]
TEXTS = st.text(alphabet=st.sampled_from(list("ab cd\nxX1٣_-ÉéfévrierFÉVRIER'’\u00a0\u2009\u2013toTO;.")), max_size=40)


def engines(pattern: str):
    return linear.compile(pattern), linear.compile(pattern, backtracking=True)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_both_engines_compile_every_construct_floors_packs_use(pattern):
    on_re2, on_re = engines(pattern)
    assert isinstance(on_re2, linear.LinearPattern) and isinstance(on_re, linear.BacktrackingPattern)
    assert on_re2.groupindex == dict(on_re.groupindex)


@settings(max_examples=60, deadline=None)
@given(text=TEXTS)
@pytest.mark.parametrize("pattern", PATTERNS)
def test_both_engines_match_the_same_text_at_every_position(pattern, text):
    on_re2, on_re = engines(pattern)
    for pos in range(len(text) + 1):
        for end in {len(text), (pos + len(text)) // 2}:
            a, b = on_re2.match(text, pos, end), on_re.match(text, pos, end)
            assert (a is None) == (b is None), (pos, end)
            if a is not None:
                assert [a.span(i) for i in range(on_re2.groups + 1)] == [b.span(i) for i in range(on_re.groups + 1)]
        a, b = on_re2.search(text, 0, pos), on_re.search(text, 0, pos)
        assert (a is None and b is None) or a.span() == b.span()


def test_unicode_classes_are_spelt_for_re2():
    assert linear.unicode_classes(r"\s") == f"[{linear._SPACE_BODY}]"
    assert linear.unicode_classes(r"[\w-]") == f"[{linear.W[1:-1]}0-9_-]"
    assert linear.unicode_classes(r"[^;\d]\d") == r"[^;\d]\d"  # digits stay ASCII's
    assert linear.unicode_classes(r"\\s") == r"\\s"  # an escaped backslash, then "s"
    with pytest.raises(Exception, match="inside a character class"):
        linear.unicode_classes(r"[\S]")
    assert linear.compile(r"\s").match("\u2009", 0) is not None  # a thin space is a space on RE2 too
    assert linear.compile(r"\d").match("\u0663", 0) is None


def test_what_python_cannot_spell_as_re2_reads_it_stays_on_re2():
    for pattern in (r"(?s:.)", r"[\D]", r"a{,3}", r"(?m:^x$)"):
        assert linear.python_source(pattern) is None
        assert isinstance(linear.compile(pattern, backtracking=True), linear.LinearPattern)


def test_offsets_are_characters_after_characters_of_several_bytes():
    pattern = linear.compile(r"(?P<name>\p{Lu}\w+) \((?P<born>\d{4})")
    text = "Ærøskøbing ☃ 𝔘 Ørsted (1777–1851)"
    at = text.index("Ørsted")
    m = pattern.match(text, at)
    assert m.span() == (at, text.index("1777") + 4)
    assert m.group(1) == "Ørsted" and m.span(2) == (text.index("1777"), text.index("1777") + 4)
    glue = linear.compile(r"☃\s+(?:𝔘\s+)?$").search(text, 0, at)
    assert glue.span() == (text.index("☃"), at)
    lone = "\ud800 Jane Doe (1902"  # a lone surrogate, as a JSON escape can leave one
    assert linear.compile(r"\((?P<y>\d+)").match(lone, lone.index("(")).group(1) == "1902"


def _documents(path: Path, limit: int):
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")) as f:
        for line, _ in zip(f, range(limit)):
            record = json.loads(line)
            yield record["text"], record.get("title")


@pytest.mark.parametrize("source", ["sample", "realtext"])
def test_the_english_pack_read_as_a_users_gives_the_same_facts(source, tmp_path):
    """The built-in English pack has no code path of its own: its file, copied and read as a user's pack (run on
    RE2, its prefilter patterns too), gives the facts the built-in pack gives (on Python's re)."""
    if source == "realtext" and not REALTEXT.exists():
        pytest.skip("../shared/realtext is not beside the checkout")
    path = REALTEXT if source == "realtext" else sorted((ROOT / "data" / "sample").glob("*.jsonl.gz"))[0]
    copy = tmp_path / "my-english.toml"
    copy.write_text(builtin_pack("biography-en").text, encoding="utf-8")
    users = load_pack(str(copy))
    assert not users.builtin and users.phrasing == ENGLISH
    cats = tuple(c for c in CATEGORIES if CATEGORIES[c].pack is None)
    on_re2 = engine.Engine(users.phrasing, cats, backtracking=users.builtin)
    on_re = engine.Engine(ENGLISH, cats, backtracking=True)
    found = 0
    for text, title in _documents(path, 1500):
        facts = on_re.extract(text, None, title)
        assert on_re2.extract(text, None, title) == facts
        found += len(facts)
    assert found > 500


def test_every_phrase_of_every_built_in_pack_is_in_the_re2_subset():
    """floor's own packs obey the rule a user's pack does, whatever engine they run on."""
    from floor.extract.names import NameReader
    from floor.extract.packs import builtin_names, builtin_pack
    from floor.extract.phrases import PhraseCompiler

    compiled = 0
    for name in builtin_names():
        phrasing = builtin_pack(name).phrasing
        compiler = PhraseCompiler(NameReader(phrasing.names), phrasing, backtracking=False)
        for phrase in phrasing.phrases:
            c = compiler.compile(phrase)
            patterns = (c.after, c.before, c.follow, c.not_after, c.excluding)
            assert not any(isinstance(p, linear.BacktrackingPattern) for p in patterns)
            compiled += 1
    assert compiled > 100
