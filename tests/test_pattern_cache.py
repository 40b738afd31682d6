"""The regex cache (floor/extract/pattern_cache.py): a pattern read back from disk is the pattern re.compile builds."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from floor.extract.packs import builtin_pack

ENGLISH = builtin_pack("biography-en").phrasing

ROOT = Path(__file__).resolve().parent.parent
pattern_cache = importlib.import_module("floor.extract.pattern_cache")
phrases = importlib.import_module("floor.extract.phrases")

TEXTS = [
    "Jane Doe (born 3 March 1902, Cork, Ireland—died May 9, 1970, Dublin) was an Irish poet.",
    "She was born on 3 March 1902 in Cork, the daughter of John Doe (1870–1940).",
    "ÉMILE (1801-1870) and née Smith; Dr. Who b. 1990",
    "",
]


def phrase_compiler(language, backtracking: bool = False):
    from floor.extract.names import NameReader
    return phrases.PhraseCompiler(NameReader(language.names), language, backtracking)


def compile_uncached(source: str, flags: int = 0) -> re.Pattern:
    """One call of the cache's compile, past its in-process memo (as a new process makes it)."""
    return pattern_cache.regex.__wrapped__(source, flags)


def same_pattern(a: re.Pattern, b: re.Pattern, texts=TEXTS) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in texts:
        for pos in range(len(text) + 1):
            ma, mb = a.match(text, pos), b.match(text, pos)
            assert (ma and (ma.span(), ma.groups())) == (mb and (mb.span(), mb.groups())), (text, pos)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(pattern_cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "re"


def entries(folder) -> list:
    return sorted(p for p in folder.iterdir() if p.suffix == ".marshal") if folder.exists() else []


@pytest.mark.parametrize("source, flags", [
    (r"(?P<year>\d{4})(?:-(?P<end>\d{2,4}))?", 0),
    (r"(?i:born)\s+(?P<place>[A-Z]\w+)|died", re.MULTILINE),
    (r"(?P<name>[^\W\d_]+)\s*\((?:b\.|born)\s*(?P<y>\d+)\)", re.IGNORECASE),
])
def test_a_pattern_read_back_from_the_cache_is_the_one_re_compile_builds(cache, monkeypatch, source, flags):
    cold = compile_uncached(source, flags)
    assert len(entries(cache)) == 1
    monkeypatch.setattr(pattern_cache, "_code", lambda *a: pytest.fail("compiled again instead of read back"))
    warm = compile_uncached(source, flags)
    reference = re.compile(source, flags)
    same_pattern(cold, reference)
    same_pattern(warm, reference)


def test_the_largest_phrase_pattern_reads_back_the_same(cache):
    language = ENGLISH
    compiler = phrase_compiler(language)
    linear = importlib.import_module("floor.extract.linear")
    source = linear.python_source(max((compiler.source(ph) for ph in language.phrases), key=len))
    assert len(source) > 10_000  # what the cache is for
    compile_uncached(source)
    same_pattern(compile_uncached(source), re.compile(source))


def test_a_damaged_entry_is_compiled_again_and_replaced(cache):
    source = r"(?P<y>\d{4})–(?P<z>\d{4})"
    compile_uncached(source)
    [entry] = entries(cache)
    for damage in (b"", b"not marshal", entry.read_bytes()[:40]):
        entry.write_bytes(damage)
        same_pattern(compile_uncached(source), re.compile(source))
        assert entry.read_bytes() not in (b"", b"not marshal")  # rewritten whole
    assert entries(cache) == [entry]


def test_code_that_the_matcher_rejects_is_compiled_again(cache):
    import marshal
    source = r"(?P<a>x+)y"
    compile_uncached(source)
    [entry] = entries(cache)
    stamp, key, (fl, code, groups, groupindex, indexgroup) = marshal.loads(entry.read_bytes())
    entry.write_bytes(marshal.dumps((stamp, key, (fl, [99999] + code, groups, groupindex, indexgroup))))
    same_pattern(compile_uncached(source), re.compile(source), ["xxy", "y", "xx"])


def test_an_entry_of_another_interpreter_is_not_read(cache, monkeypatch):
    source = r"(?P<y>\d+)"
    compile_uncached(source)
    monkeypatch.setattr(pattern_cache, "_RE_STAMP", "another interpreter")
    calls = []
    real_code = pattern_cache._code
    monkeypatch.setattr(pattern_cache, "_code", lambda *a: calls.append(a) or real_code(*a))
    same_pattern(compile_uncached(source), re.compile(source))
    assert calls, "the entry of another interpreter was used"


def test_an_empty_cache_dir_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(pattern_cache.ENV, "")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert pattern_cache.cache_dir() is None
    same_pattern(compile_uncached(r"a(?P<b>b)"), re.compile(r"a(?P<b>b)"))
    assert list(tmp_path.iterdir()) == []


def test_the_default_cache_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv(pattern_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert pattern_cache.cache_dir() == tmp_path / "xdg" / "floor"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert pattern_cache.cache_dir() == tmp_path / "home" / ".cache" / "floor"


def test_a_cache_dir_that_cannot_be_written_only_costs_time(read_only_dir, monkeypatch):
    monkeypatch.setenv(pattern_cache.ENV, str(read_only_dir))
    same_pattern(compile_uncached(r"(?P<d>\d\d)"), re.compile(r"(?P<d>\d\d)"))
    assert list(read_only_dir.iterdir()) == []


def test_a_cache_dir_that_is_a_file_only_costs_time(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv(pattern_cache.ENV, str(tmp_path / "file"))
    same_pattern(compile_uncached(r"(?P<d>\d\d)"), re.compile(r"(?P<d>\d\d)"))


def test_a_bad_pattern_is_reported_as_re_reports_it(cache):
    with pytest.raises(re.error) as ours:
        compile_uncached(r"(?P<a>x")
    with pytest.raises(re.error) as theirs:
        re.compile(r"(?P<a>x")
    assert str(ours.value) == str(theirs.value)
    assert entries(cache) == []


def test_phrase_sources_do_not_depend_on_the_hash_seed():
    """The cache is keyed by the source: a source built in set order would miss in every new process."""
    script = (
        "import hashlib\n"
        "from floor.extract.packs import default_packs\n"
        "from tests.test_pattern_cache import phrase_compiler\n"
        "for pack in default_packs():\n"
        "    compiler = phrase_compiler(pack.phrasing)\n"
        "    for ph in pack.phrasing.phrases:\n"
        "        print(pack.name, ph.name, hashlib.sha256(compiler.source(ph).encode()).hexdigest())\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and next(iter(outputs)).count("\n") >= 40


hyperscan = pytest.importorskip("hyperscan")
prefilter = importlib.import_module("floor.extract.prefilter")

RECORDS = [b'{"text": "Jane Doe (1902\\u20131970) was a poet."}', b'{"text": "nothing here"}',
           b'{"text": "He was born in Cork."}', b'{"text": "(born 3 March 1902)"}']


def masks(pf) -> list[int]:
    block = b"\n".join(RECORDS) + b"\n"
    ends, end = [], 0
    for record in RECORDS:
        end += len(record) + 1
        ends.append(end)
    return pf.masks(block, ends)


def test_the_prefilter_database_read_back_gives_the_same_masks(tmp_path, monkeypatch):
    language = ENGLISH
    keywords = sorted({ph.keyword for ph in language.phrases})
    build = lambda: prefilter.Prefilter(keywords, language.raw_guards, "hyperscan", language.raw_contexts)
    monkeypatch.setenv(pattern_cache.ENV, "")
    uncached = masks(build())
    monkeypatch.setenv(pattern_cache.ENV, str(tmp_path))
    cold = masks(build())
    [entry] = entries(tmp_path / "hyperscan")
    monkeypatch.setattr(hyperscan, "Database", lambda *a, **k: pytest.fail("compiled again"))
    warm = masks(build())
    assert uncached == cold == warm
    assert uncached[1] == 0 and all(uncached[i] for i in (0, 2, 3))
    monkeypatch.undo()
    monkeypatch.setenv(pattern_cache.ENV, str(tmp_path))
    entry.write_bytes(entry.read_bytes()[:100])  # damaged: compiled again
    assert masks(build()) == uncached
