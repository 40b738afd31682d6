"""Packs (floor.extract.packs): a user's kinds of fact as a TOML file, checked when read (one line naming the file,
line and key for each problem), run on RE2 in linear time through the engine that runs floor's own phrasings,
and carried through scans, workers, counts directories and reports like the built-in categories."""

import json
import re
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import floor
from floor import api
from floor.cli import main
from floor.errors import FloorError
from floor.extract import Extractor, linear
from floor.extract.packs import PackError, builtin_names, builtin_pack, check_pack, load_pack, read_pack
from floor.extract.prefilter import hyperscan_available

SHIPS = textwrap.dedent("""\
    # Ships: when they were launched and where.
    [pack]
    name = "ships"
    language = "en"
    description = "Launch years and shipyards of ships"

    [[category]]
    name = "launch_year"
    value = "year"
    answer_space = 149
    reason = "a century and a half of plausible launch years, one right"

    [[category]]
    name = "shipyard"
    value = "place"
    answer_space = 299
    reason = "about three hundred shipyards, one right"

    [[category]]
    name = "pennant"
    value = "pattern"
    pattern = "(?i:[a-z])\\\\d{2,3}"
    normalize = "upper"
    answer_space = 999
    reason = "a letter and two or three digits"

    [names]
    non_person = []
    reject_leading = ["A", "An", "The", "In", "On"]

    [[phrase]]
    keyword = "launched"
    pattern = "{subject} was launched in {launch_year}{STOP}(?: at {shipyard})?"

    [[phrase]]
    name = "pennant_number"
    keyword = "pennant number"
    pattern = "{subject} (?:had|carried) (?:the )?pennant number {pennant}"

    [[example]]
    text = "HMS Belfast was launched in 1938 at Belfast. HMS Belfast carried pennant number C35."
    facts = [["launch_year", "HMS Belfast", "1938"], ["shipyard", "HMS Belfast", "Belfast"],
             ["pennant", "HMS Belfast", "C35"]]

    [[example]]
    text = "The ship was launched in 1938 or 1939."
    facts = []
    """)

SHIP_TEXTS = [
    "HMS Belfast was launched in 1938 at Belfast.",
    "SS Great Britain was launched in 1843 at Bristol. SS Great Britain had pennant number x12.",
    "RMS Titanic was launched in 1911 at Belfast.",
    "The liner was launched in 1911.",  # no name: nothing
    "Queen Mary was launched in 1934 or 1935.",  # uncertain: nothing
]


@pytest.fixture
def ships(tmp_path):
    path = tmp_path / "ships.toml"
    path.write_text(SHIPS, encoding="utf-8")
    return path


def facts(extractor, text):
    return sorted((f.category, f.entity, f.value) for f in extractor.extract(text))


def test_a_users_pack_extracts_its_own_kinds_of_fact(ships):
    pack = load_pack(str(ships))
    assert pack.gives == ("launch_year", "shipyard", "pennant")
    assert check_pack(pack) == []
    ex = Extractor(packs=[pack])
    assert [facts(ex, t) for t in SHIP_TEXTS] == [
        [("launch_year", "HMS Belfast", "1938"), ("shipyard", "HMS Belfast", "Belfast")],
        [("launch_year", "SS Great Britain", "1843"), ("pennant", "SS Great Britain", "X12"),
         ("shipyard", "SS Great Britain", "Bristol")],
        [("launch_year", "RMS Titanic", "1911"), ("shipyard", "RMS Titanic", "Belfast")],
        [],
        [],
    ]


def test_a_stop_the_match_did_not_reach_checks_nothing(ships):
    """A ``{STOP}`` in an alternative the match did not take has no position: the text's start is not checked."""
    path = ships.parent / "either.toml"
    path.write_text(SHIPS.replace('"{subject} was launched in {launch_year}{STOP}(?: at {shipyard})?"',
                                  '"{subject} was launched (?:in {launch_year}{STOP}|on {launch_year})"'))
    ex = Extractor(packs=[str(path)])
    assert facts(ex, "- 5 ships. HMS Belfast was launched on 17 March 1938.") == [
        ("launch_year", "HMS Belfast", "1938")]


def test_a_pack_phrase_reads_across_line_breaks_and_doubled_spaces(ships):
    ex = Extractor(packs=[str(ships)])
    assert facts(ex, "HMS Belfast  was\nlaunched in 1938.") == [("launch_year", "HMS Belfast", "1938")]


def test_a_users_pack_categories_reach_every_report(ships, tmp_path):
    corpus = tmp_path / "ships.jsonl"
    corpus.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(SHIP_TEXTS)))
    report = floor.run([str(corpus)], packs=[str(ships)])
    groups = {g["category"]: g for g in report["groups"] if g["domain"] is None}
    # three facts, one mention each (1911 is two ships' year: two facts)
    assert groups["launch_year"]["answer_space"] == 149 and groups["launch_year"]["mentions"] == 3
    assert groups["launch_year"]["singletons"] == 3
    assert groups["shipyard"]["answer_space"] == 299
    # a counts directory read by another process knows the pack's answer spaces from its manifest
    counts = tmp_path / "counts"
    api.scan([str(corpus)], output=counts, packs=[str(ships)], workers=2)
    manifest = json.loads((counts / "manifest.json").read_text())
    [recorded] = manifest["params"]["packs"]
    assert recorded["name"] == "ships" and recorded["answer_spaces"]["pennant"] == 999
    code = ("import json, sys; import floor; r = floor.estimate(sys.argv[1]); "
            "print(json.dumps({g['category']: g['answer_space'] for g in r['groups']}))")
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", code, str(counts)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["launch_year"] == 149
    assert floor.estimate(str(counts))["groups"] == report["groups"]


def test_resume_refuses_counts_made_with_another_version_of_a_pack(ships, tmp_path):
    corpus = tmp_path / "ships.jsonl"
    corpus.write_text(json.dumps({"text": SHIP_TEXTS[0]}) + "\n")
    counts = tmp_path / "counts"
    api.scan([str(corpus)], output=counts, packs=[str(ships)])
    ships.write_text(SHIPS.replace("answer_space = 149", "answer_space = 150"), encoding="utf-8")
    with pytest.raises(FloorError, match="different scan options"):
        api.scan([str(corpus)], output=counts, packs=[str(ships)], resume=True)


# -- Bad packs: one line naming the file, the line and the key -----------------------------------------------------
BAD = {
    "syntax": ("[pack\nname = 'x'\n", r"bad\.toml: not valid TOML: .*\(at line 1, column 6\)"),
    "unknown key": ("[pack]\nname = 'x'\nlanguage = 'en'\ncolour = 'red'\n",
                    r"bad\.toml:4: pack\.colour: unknown key \(known: name, language, description, version\)"),
    "missing key": ("[pack]\nname = 'x'\n", r"bad\.toml:1: pack: needs the key 'language'"),
    "value kind": (SHIPS.replace('value = "place"', 'value = "town"'),
                   r"bad\.toml:15: category\[2\]\.value: must be one of date, year, place, name, number, pattern"),
    "answer space": (SHIPS.replace("answer_space = 149", "answer_space = 0"),
                     r"bad\.toml:10: category\[1\]\.answer_space: must be at least 1"),
    "undeclared slot": (SHIPS.replace("{launch_year}{STOP}", "{launch_date}{STOP}"),
                        r"bad\.toml:33: phrase\[1\]\.pattern: \{launch_date\} is no category or macro of the pack"),
    "lookaround": (SHIPS.replace("{subject} was launched", "{subject} (?<!not )was launched"),
                   r"bad\.toml:33: phrase\[1\]\.pattern: is not in the RE2 subset.*lookarounds are not allowed"),
    "backreference": (SHIPS.replace("pattern = \"(?i:[a-z])\\\\d{2,3}\"", "pattern = \"([A-Z])\\\\1\""),
                      r"bad\.toml:22: category\[3\]\.pattern: is not in the RE2 subset.*backreferences"),
    "keyword": (SHIPS.replace('keyword = "launched"', 'keyword = "sailed"'),
                r"bad\.toml:33: phrase\[1\]\.pattern: must hold the keyword 'sailed'"),
    "value before keyword": (SHIPS.replace("{subject} was launched in {launch_year}",
                                           "{subject} in {launch_year} was launched"),
                             r"bad\.toml:33: phrase\[1\]\.pattern: values come after the keyword"),
    "keyword in a group": (SHIPS.replace("{subject} was launched in", "{subject} was (?i:launched) in"),
                           r"bad\.toml:33: phrase\[1\]\.pattern: the keyword 'launched' stands inside a group"),
    "keyword only in a slot's name": (SHIPS.replace('keyword = "launched"', 'keyword = "launch_year"'),
                                      r"bad\.toml:33: phrase\[1\]\.pattern: must hold the keyword 'launch_year'"),
    "too long": (SHIPS.replace("(?: at {shipyard})?", "(?:" + "|".join(f"w{i}" for i in range(5000)) + ")"),
                 r"bad\.toml:33: phrase\[1\]\.pattern: is 2\d,\d{3} characters long \(at most 20,000\)"),
    "lookahead in a follow": (SHIPS.replace('keyword = "launched"\n', 'keyword = "launched"\nfollow = "(?!,)"\n'),
                              r"bad\.toml:33: phrase\[1\]\.follow: is not in the RE2 subset.*lookarounds"),
    "excluding without a free group": (
        SHIPS.replace('keyword = "launched"\n', 'keyword = "launched"\nexcluding = "after"\n'),
        r"bad\.toml:33: phrase\[1\]\.excluding: needs a group \(\?P<free>\.\.\.\) in the pattern"),
}


def _with(table: str, *lines: str) -> str:
    """SHIPS with one more table (its first line at line 49, its keys after it)."""
    return SHIPS + f"\n{table}\n" + "\n".join(lines) + "\n"


_ENGINE_PHRASE = ("keyword = 'launched'", "before = '\\s+was\\s+'")
BAD.update({
    # a phrase in the engine's own form
    "pattern and after": (_with("[[phrase]]", *_ENGINE_PHRASE, "pattern = '{subject} was launched in {launch_year}'",
                                "after = ' in {DATE:launch_year}'"),
                          r"bad\.toml:49: phrase\[3\]: needs a 'pattern' \(or, in the engine's own form, 'after'\)"),
    "an engine key beside a pattern": (
        _with("[[phrase]]", "keyword = 'launched'", "pattern = '{subject} was launched in {launch_year}'",
              "entity = 'page'"),
        r"bad\.toml:52: phrase\[3\]\.entity: belongs to a phrase in the engine's form"),
    "entity": (_with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {DATE:launch_year}'", "entity = 'ship'"),
               r"bad\.toml:53: phrase\[3\]\.entity: must be one of before, group, subject, page"),
    "anchor": (_with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {DATE:launch_year}'", "anchor = 'paragraph'"),
               r"bad\.toml:53: phrase\[3\]\.anchor: must be one of keyword, line, section"),
    "no glue": (_with("[[phrase]]", "keyword = 'launched'", "after = ' in {DATE:launch_year}'"),
                r"bad\.toml:49: phrase\[3\]: needs a 'before' glue"),
    "unknown placeholder": (_with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {WHEN:launch_year}'"),
                            r"bad\.toml:52: phrase\[3\]\.after: \{WHEN:launch_year\} is no placeholder of the engine"),
    "unknown category": (_with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {DATE:launch_day}'"),
                         r"bad\.toml:52: phrase\[3\]\.after: \{DATE:launch_day\}: 'launch_day' is no category"),
    "a category of another kind": (_with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {PLACE:launch_year}'"),
                                   r"bad\.toml:52: phrase\[3\]\.after: \{PLACE:launch_year\} needs a category of "
                                   r"value place, and 'launch_year' is year"),
    "unknown macro": (_with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {when}{DATE:launch_year}'"),
                      r"bad\.toml:52: phrase\[3\]\.after: \{when\} is no macro of the pack nor a placeholder"),
    "an entity without its group": (
        _with("[[phrase]]", *_ENGINE_PHRASE, "entity = 'group'", "after = ' in {DATE:launch_year}'"),
        r"bad\.toml:53: phrase\[3\]\.after: holds \{NAME:entity\} exactly when the phrase's entity is 'group'"),
    "no value": (_with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in 1938'"),
                 r"bad\.toml:52: phrase\[3\]\.after: needs a value placeholder"),
    "lookbehind in the glue": (_with("[[phrase]]", "keyword = 'launched'", "before = '(?<=x)\\s+'",
                                     "after = ' in {DATE:launch_year}'"),
                               r"bad\.toml:51: phrase\[3\]\.before: is not in the RE2 subset.*lookarounds"),
    "a placeholder in a follow": (
        SHIPS.replace('keyword = "launched"\n', 'keyword = "launched"\nfollow = "{SP}[.;]"\n'),
        r"bad\.toml:33: phrase\[1\]\.follow: \{SP\} is no macro of the pack \(a follow may open with \{LAST\}\)"),
    # macros
    "an empty list of words": (_with("[macros]", "yards = []"),
                               r"bad\.toml:50: macros\.yards: must be a pattern, or a list of words"),
    "no such word list": (_with("[macros]", "yards = '{places.shipyards}'"),
                          r"bad\.toml:50: macros\.yards: \{places\.shipyards\} is no word list the pack has"),
    # the keyword prefilter
    "a guard outside the subset": (_with("[prefilter.guards]", "launched = '(?= in)'"),
                                   r"bad\.toml:50: prefilter\.guards\.launched: is not in the RE2 subset"),
    "a guard of no keyword": (_with("[prefilter.guards]", "sailed = '\\s'"),
                              r"bad\.toml:50: prefilter\.guards\.sailed: is no keyword of the pack's phrases"),
    "a raw pattern beyond ASCII": (_with("[prefilter.raw_guards]", "launched = ' é'"),
                                   r"bad\.toml:50: prefilter\.raw_guards\.launched: must be ASCII"),
    "an unknown prefilter table": (_with("[prefilter.lookups]", "launched = ' '"),
                                   r"bad\.toml:\d+: prefilter\.lookups: unknown key "
                                   r"\(known: guards, raw_guards, raw_contexts\)"),
    # what would read, and then fail or never match
    "a value in a glue": (_with("[[phrase]]", "keyword = 'launched'", "before = '\\s+{NAME:entity}\\s+'",
                                "after = ' in {DATE:launch_year}'"),
                          r"bad\.toml:51: phrase\[3\]\.before: \{NAME:entity\}: a glue reads no value, and may hold "
                          r"\{SP\}, \{U\}, \{L\}, \{W\}, \{DASH\}"),
    "a named group": (SHIPS.replace("{launch_year}{STOP}", "{launch_year}(?P<era> AD)?{STOP}"),
                      r"bad\.toml:33: phrase\[1\]\.pattern: names a group \(\?P<era>\.\.\.\): only "
                      r"\(\?P<ahead>\.\.\.\) and \(\?P<free>\.\.\.\) may be named"),
    "a named group in the engine's form": (
        _with("[macros]", "era = '(?<era> AD)?'", "[[phrase]]", *_ENGINE_PHRASE,
              "after = ' in {DATE:launch_year}{era}'"),
        r"bad\.toml:\d+: phrase\[3\]\.after: names a group \(\?<era>\.\.\.\)"),
    "a placeholder in a character class": (
        _with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {DATE:launch_year}[{SP},]'"),
        r"bad\.toml:52: phrase\[3\]\.after: \{SP\} stands inside the character class \[\{SP\},\]"),
    "a word list outside a macro": (
        _with("[[phrase]]", *_ENGINE_PHRASE, "after = '{SP}(?:{names.reject_leading}{SP})?{DATE:launch_year}'"),
        r"bad\.toml:52: phrase\[3\]\.after: \{names\.reject_leading\}: a word list is named in a macro"),
    "a word list of no table": (_with("[macros]", "months = '{dates.months}'"),
                                r"bad\.toml:50: macros\.months: \{dates\.months\} is no word list the pack has"),
    "one keyword's phrases within their line and not": (
        _with("[[phrase]]", *_ENGINE_PHRASE, "after = ' in {DATE:launch_year}'", "within_line = true"),
        r"bad\.toml:53: phrase\[3\]\.within_line: the phrases of 'launched' must all be matched within their line, "
        r"or none \(phrase\[1\] is not\)"),
    "a byte of a character": (SHIPS.replace("{launch_year}{STOP}", "{launch_year}\\\\C?{STOP}"),
                              r"bad\.toml:33: phrase\[1\]\.pattern: holds \\C, one byte of a character's UTF-8"),
    "a placeholder in a guard": (_with("[prefilter.guards]", "launched = '{SP}in'"),
                                 r"bad\.toml:50: prefilter\.guards\.launched: \{SP\} is no macro of the pack"),
    "a raw guard RE2 refuses on bytes": (_with("[prefilter.raw_guards]", "launched = ' \\x{100}?'"),
                                         r"bad\.toml:50: prefilter\.raw_guards\.launched: is not in the RE2 subset of "
                                         r"regular expressions on bytes"),
})
BAD_ON_HYPERSCAN = {
    "a raw context that can be empty": (_with("[prefilter.raw_contexts]", "launched = '(?:launched)?'"),
                                        r"bad\.toml:50: prefilter\.raw_contexts\.launched: is no pattern hyperscan "
                                        r"runs \(Pattern matches empty buffer"),
    "a start anchor after a keyword": (_with("[prefilter.raw_guards]", "launched = '(?m)^'"),
                                       r"bad\.toml:50: prefilter\.raw_guards\.launched: is no pattern hyperscan runs "
                                       r"\(Embedded start anchors not supported"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_pack_is_refused_in_one_line_naming_file_line_and_key(case, tmp_path, monkeypatch):
    _refused_in_one_line(*BAD[case], tmp_path, monkeypatch)


@pytest.mark.skipif(not hyperscan_available(), reason="the hyperscan package cannot be loaded here")
@pytest.mark.parametrize("case", sorted(BAD_ON_HYPERSCAN))
def test_a_raw_pattern_hyperscan_refuses_is_refused_in_one_line(case, tmp_path, monkeypatch):
    _refused_in_one_line(*BAD_ON_HYPERSCAN[case], tmp_path, monkeypatch)


def _refused_in_one_line(text, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PackError, match=message):
        load_pack("bad.toml")
    result = CliRunner().invoke(main, ["packs", "check", "bad.toml"])
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith("floor: error: bad.toml:") and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["run", "--pack", "bad.toml", str(tmp_path)])
    assert result.exit_code == 2 and result.output.startswith("floor: error: bad.toml")


def test_a_phrase_too_large_once_its_slots_are_expanded_is_refused_before_any_input_is_read(tmp_path):
    """A slot under a large repeat reads as a short pattern, and RE2 refuses it once the slot's grammar is written
    out: refused when the pack is read (naming its file and line), not at its keyword's first hit in a long run."""
    path = tmp_path / "huge.toml"
    path.write_text(SHIPS.replace("{launch_year}{STOP}(?: at {shipyard})?", "(?:{launch_year} ){1000}"),
                    encoding="utf-8")
    with pytest.raises(PackError, match=rf"^{re.escape(str(path))}:31: phrase 'phrase-1': bad pattern: .*"):
        load_pack(str(path))
    (tmp_path / "docs.jsonl").write_text('{"text": "HMS Belfast was launched in 1938."}\n', encoding="utf-8")
    for args in (["packs", "check", str(path)],
                 ["extract", str(tmp_path / "docs.jsonl"), "--pack", str(path), "-o", str(tmp_path / "facts.jsonl")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and result.output.startswith(f"floor: error: {path}:31: phrase 'phrase-1'")
        assert len(result.output.splitlines()) == 1
    assert not (tmp_path / "facts.jsonl").exists()


def test_an_example_whose_facts_do_not_match_is_named_with_its_line(tmp_path):
    path = tmp_path / "ships.toml"
    path.write_text(SHIPS.replace('["shipyard", "HMS Belfast", "Belfast"]', '["shipyard", "HMS Belfast", "Derry"]'))
    problems = check_pack(load_pack(str(path)))
    assert problems == [f'{path}:40: example[1]: missing ["shipyard", "HMS Belfast", "Derry"]; '
                        'unexpected ["shipyard", "HMS Belfast", "Belfast"]']
    result = CliRunner().invoke(main, ["packs", "check", str(path)])
    assert result.exit_code == 1 and result.output.strip() == problems[0]


def test_an_example_naming_categories_the_pack_does_not_give_is_named(tmp_path):
    path = tmp_path / "ships.toml"
    path.write_text(SHIPS.replace('facts = []', 'facts = [["tonnage", "X", "1"], ["crew", "X", "2"]]'))
    assert check_pack(load_pack(str(path))) == [
        f"{path}:45: example[2].facts: crew, tonnage are no categories the pack gives (launch_year, shipyard, pennant)"]
    path.write_text(SHIPS.replace('facts = []', 'facts = [["tonnage", "X", "1"]]'))
    assert check_pack(load_pack(str(path)))[0].endswith("example[2].facts: tonnage is no category the pack gives "
                                                        "(launch_year, shipyard, pennant)")


def test_a_category_declared_twice_differently_is_refused(ships, tmp_path):
    load_pack(str(ships))
    other = tmp_path / "other.toml"
    other.write_text(SHIPS.replace('name = "ships"', 'name = "boats"').replace("answer_space = 149",
                                                                                "answer_space = 99"))
    with pytest.raises(FloorError, match="category 'launch_year' is declared by pack 'ships' already"):
        load_pack(str(other))


# -- Linear time --------------------------------------------------------------------------------------------------
PATHOLOGICAL = [
    # nested quantifiers: a backtracking engine tries 2^n ways to split the run of a's before it fails
    "{subject} was launched in {launch_year} (a+)+b",
    "{subject} was launched in {launch_year} (a|aa)*b",
    "{subject} was launched in {launch_year} (\\w+\\s?)+$",
    "{subject} was launched in {launch_year} (.*a){12}b",
]


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_patterns_that_backtrack_exponentially_run_in_linear_time(pattern, tmp_path):
    path = tmp_path / "slow.toml"
    path.write_text(SHIPS.replace('"{subject} was launched in {launch_year}{STOP}(?: at {shipyard})?"',
                                  json.dumps(pattern)), encoding="utf-8")
    ex = Extractor(packs=[str(path)])
    text = "HMS Belfast was launched in 1938 " + "a" * 5_000 + "!"
    started = time.perf_counter()
    for _ in range(20):
        assert ex.extract(text) == []
    # Python's re would take longer than the age of the universe on one of these; RE2 reads each window once.
    assert time.perf_counter() - started < 20


def test_a_huge_alternation_compiles_and_matches():
    words = [f"w{i:05d}" for i in range(2_000)]
    pattern = f"(?:{'|'.join(words)})"
    assert linear.check(pattern) is None
    compiled = linear.compile(pattern)
    assert compiled.match("x w01999 y", 2).end() == 8
    assert linear.check("(?:" + "|".join(f"w{i}" for i in range(5_000)) + ")").startswith("is 28,893 characters")


def test_the_keyword_guard_never_drops_a_match(ships):
    """A pack's keywords get guards from what their patterns can start with: the facts are the same without."""
    pack = load_pack(str(ships))
    start = linear.start_of(r"[\s\x{a0}]+was[\s\x{a0}]+launched")
    assert start is not None and start.ascii == frozenset(map(ord, " \t\n\r\f\v\x1c\x1d\x1e\x1f")) and start.other
    assert linear.start_of(r"(?:x)?") is None  # may be empty: no guard
    assert linear.start_of(r"\b\B|(?i:é)") == linear.Start(frozenset(), True)
    ex = Extractor(packs=[pack])
    for text in SHIP_TEXTS:
        assert ex.extract(text, mask=None) == ex.extract(text, mask=ex.prefilter("python").mask(
            json.dumps({"text": text}).encode()))


def test_a_packs_own_guards_run_on_its_engine_and_packs_check_finds_one_that_turns_facts_away(tmp_path):
    """A pack may give its keywords' guards ([prefilter]); one that does not allow what its phrases match loses
    facts, and `floor packs check` says so: on the text (the example's facts are missing) and on the raw bytes (the
    prefilter turns them away, named with its backend)."""
    path = tmp_path / "ships.toml"
    path.write_text(_with("[prefilter.guards]", "launched = '\\s+in\\s'", "[prefilter.raw_guards]",
                          "launched = ' in '"), encoding="utf-8")
    assert check_pack(load_pack(str(path))) == []
    path.write_text(_with("[prefilter.guards]", "launched = '\\s+at\\s'"), encoding="utf-8")
    lost = '["launch_year", "HMS Belfast", "1938"], ["shipyard", "HMS Belfast", "Belfast"]'
    assert check_pack(load_pack(str(path))) == [
        f"{path}:40: example[1]: missing {lost}; the pack's [prefilter.guards] turn away {lost}: a guard does not "
        "allow what its keyword's phrases match"]
    path.write_text(_with("[prefilter.raw_guards]", "launched = ' at '"), encoding="utf-8")
    assert check_pack(load_pack(str(path))) == [
        f'{path}:40: example[1]: the prefilter (python) turns away ["launch_year", "HMS Belfast", "1938"], '
        '["shipyard", "HMS Belfast", "Belfast"]: a [prefilter] pattern does not allow what its keyword\'s phrases '
        'match']


@pytest.mark.parametrize("table", ["guards", "raw_guards", "raw_contexts"])
def test_a_packs_prefilter_patterns_that_would_backtrack_run_in_linear_time(table, tmp_path, monkeypatch):
    path = tmp_path / "slow.toml"
    path.write_text(_with(f"[prefilter.{table}]", "launched = '\\s(?:a+)+b'"), encoding="utf-8")
    ex = Extractor(packs=[str(path)])
    text = "HMS Belfast was launched " + "a" * 5_000 + "!"
    record = json.dumps({"text": text}).encode()
    started = time.perf_counter()
    for _ in range(20):
        for backend in ("python", "hyperscan") if hyperscan_available() else ("python",):
            assert ex.extract(text, ex.prefilter(backend).mask(record)) == []
    # Python's re would try 2^5000 ways to split the a's; RE2 and hyperscan read them once.
    assert time.perf_counter() - started < 20


def test_a_phrase_in_the_engines_form_with_a_list_of_words(tmp_path):
    """What `pattern` cannot say: a key-value line about the page's subject, matched within its line; a macro
    that is a list of words; a macro naming one of the pack's word lists."""
    path = tmp_path / "ships.toml"
    path.write_text(_with("[macros]", 'weekdays = ["Monday", "Saturday"]', "", "[[phrase]]", "name = 'key_launched'",
                          "keyword = 'Launched:'", "entity = 'page'",
                          "before = '(?:^|\\n)'", "after = '[ \\t]*(?:(?:{weekdays}),?[ \\t]+)?{DATE:launch_year}'",
                          "follow = '[ \\t]*(?:\\r?\\n|\\z)'", "within_line = true"), encoding="utf-8")
    pack = load_pack(str(path))
    assert pack.phrasing.phrases[-1].after == r"[ \t]*(?:(?:(?:(?:Monday|Saturday))),?[ \t]+)?{DATE:launch_year}"
    ex = Extractor(packs=[pack])
    page = "HMS Belfast\nLaunched: Saturday, 17 March 1938\nFate: museum ship"
    assert facts(ex, page) == [("launch_year", "HMS Belfast", "1938")]
    assert facts(ex, page.replace("\nFate", " at Belfast\nFate")) == []  # the value fills its line
    assert facts(ex, "HMS Belfast\nLaunched: Sunday, 17 March 1938") == []  # no weekday of the list
    # a word list of the pack, any one of its words
    assert read_pack(_with("[macros]", "article = '{names.reject_leading}'",
                           "[[phrase]]", *_ENGINE_PHRASE, "after = '{SP}(?:{article}{SP})?{DATE:launch_year}'")
                     ).phrasing.phrases[-1].after == "{SP}(?:(?:(?:(?:An?|In|On|The))){SP})?{DATE:launch_year}"


def test_a_glue_in_the_engines_form_may_hold_the_engines_classes():
    """`before` is matched with its {SP} written out, as `after` is (a glue of the literal text `{SP}` matched
    nothing)."""
    pack = read_pack(_with("[[phrase]]", "keyword = 'christened'", "before = '{SP}was{SP}'",
                           "after = '{SP}in{SP}{DATE:launch_year}'"))
    assert facts(Extractor(packs=[pack]), "HMS Belfast was\n christened in 1938.") == [
        ("launch_year", "HMS Belfast", "1938")]


@pytest.mark.parametrize("after", ["(?:\\b\\B){DATE:launch_year}", "{SAME:shipyard}{SP}{DATE:launch_year}"])
def test_a_keyword_whose_phrases_can_match_nowhere_gives_nothing(after):
    """The guard floor derives for such a keyword (it can be followed by nothing: English has no words for "the
    same place") is a pattern that matches nowhere, not an empty character class, which no engine compiles."""
    pack = read_pack(_with("[[phrase]]", "keyword = 'christened'", "before = '\\s+was\\s+'", f"after = '{after}'"))
    extractor = Extractor(packs=[pack])
    assert check_pack(pack) == []
    assert facts(extractor, "HMS Belfast was christened in 1938. HMS Belfast was launched in 1938.") == [
        ("launch_year", "HMS Belfast", "1938")]


def test_a_raw_guard_follows_its_keyword_whatever_it_holds():
    """A raw guard with a choice (` |,`) is what must follow the keyword, either way: not a comma anywhere in the
    record, which would let every record with a comma through."""
    extractor = Extractor(packs=[read_pack(_with("[prefilter.raw_guards]", "launched = ' |,'"))])
    for backend in ("python", "hyperscan") if hyperscan_available() else ("python",):
        prefilter = extractor.prefilter(backend)
        launched = 1 << prefilter.keywords.index("launched")
        assert prefilter.mask(b'{"text": "HMS Belfast, launched in 1938"}') & launched
        assert prefilter.mask(b'{"text": "HMS Belfast was launched, in 1938"}') & launched
        assert not prefilter.mask(b'{"text": "HMS Belfast, a cruiser: launched."}') & launched


# -- Built-in packs ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", builtin_names())
def test_every_built_in_pack_passes_its_own_check(name):
    assert check_pack(builtin_pack(name)) == []


def test_floor_packs_lists_the_built_in_packs():
    result = CliRunner().invoke(main, ["packs", "--json"])
    listed = json.loads(result.output)
    assert [p["name"] for p in listed] == ["biography-en", "biography-de", "biography-es", "biography-fr",
                                           "organizations-en"]
    assert listed[-1]["categories"]["founding_year"] == {"value": "year", "answer_space": 199}
    assert CliRunner().invoke(main, ["packs", "check", "organizations-en"]).exit_code == 0


def test_read_pack_accepts_text_in_memory():
    pack = read_pack(SHIPS.replace('name = "ships"', 'name = "ships-in-memory"'), "<notebook>")
    assert pack.source == "<notebook>" and pack.gives == ("launch_year", "shipyard", "pennant")


def test_floor_packs_show_prints_a_built_in_packs_file():
    result = CliRunner().invoke(main, ["packs", "show", "biography-fr"])
    assert result.exit_code == 0 and result.output == builtin_pack("biography-fr").text
    assert 'name = "biography-fr"' in result.output
    result = CliRunner().invoke(main, ["packs", "show", "biography-en"])
    assert result.exit_code == 0 and result.output == builtin_pack("biography-en").text
    assert 'name = "biography-en"' in result.output


def test_a_keyword_with_regex_characters_must_be_written_escaped(tmp_path):
    path = tmp_path / "paren.toml"
    path.write_text(SHIPS.replace('keyword = "launched"', 'keyword = "(launched"').replace(
        '"{subject} was launched in', '"{subject} (?:was )?\\\\(launched in'), encoding="utf-8")
    assert load_pack(str(path)).phrasing.phrases[0].keyword == "(launched"
    path.write_text(SHIPS.replace('keyword = "launched"', 'keyword = "("').replace(
        '"{subject} was launched in', '"{subject} (?:was) launched in'), encoding="utf-8")
    with pytest.raises(PackError, match=r"phrase\[1\]\.pattern: must hold the keyword '\(' as a literal"):
        load_pack(str(path))


RELEASES = textwrap.dedent("""\
    [pack]
    name = "releases-{one}"
    language = "en"

    [[category]]
    name = "release_{one}"
    value = "year"
    answer_space = 49
    reason = "half a century of years"
    one_value = {one}

    [names]
    non_person = []

    [[phrase]]
    keyword = "released"
    pattern = "{{subject}} was released in {{release_{one}}}"

    [[phrase]]
    name = "it_was_released"
    keyword = "released"
    pattern = "[.!?] It was released again in {{release_{one}}}"
    """)


@pytest.mark.parametrize("one", ["true", "false"])
def test_a_category_of_many_values_keeps_each_a_document_gives(one, tmp_path):
    path = tmp_path / f"releases-{one}.toml"
    path.write_text(RELEASES.format(one=one), encoding="utf-8")
    pack = load_pack(str(path))
    text = "Gadget\nA program.\n\nGadget was released in 1999. It was released again in 2004."
    values = sorted(f.value for f in Extractor(packs=[pack]).extract(text))
    # one value an entity: the second, read through "It", contradicts the first and is dropped
    assert values == (["1999"] if one == "true" else ["1999", "2004"])


def test_an_entity_of_another_shape_is_read_by_the_packs_own_pattern(tmp_path):
    """``[names] pattern``: a program and its version, read backward from "was released" as the longest match
    that ends there, and after "changes in"; a person-like name is not asked for."""
    path = tmp_path / "releases.toml"
    path.write_text(textwrap.dedent("""\
        [pack]
        name = "program-releases"
        language = "en"

        [[category]]
        name = "program_release_date"
        value = "date"
        answer_space = 364
        reason = "a day of the year"

        [names]
        pattern = "(?:GNU )?[A-Za-z][\\\\w+-]* [0-9]+(?:\\\\.[0-9]+)+"

        [[phrase]]
        keyword = "released"
        pattern = "{subject} was released on {program_release_date}"

        [[phrase]]
        name = "changes_in"
        keyword = "changes in"
        pattern = "changes in (?:release |version )?{subject} \\\\({program_release_date}\\\\)"
        """), encoding="utf-8")
    ex = Extractor(packs=[str(path)])
    text = ("The new coreutils 9.1 was released on 2022-04-15, and GNU tar 1.34 was released on 13 February 2021. "
            "Noteworthy changes in release xz 5.4.1 (2023-01-11). The manual was released on 2022-05-01.")
    assert facts(ex, text) == [("program_release_date", "GNU tar 1.34", "2021-02-13"),
                               ("program_release_date", "coreutils 9.1", "2022-04-15"),
                               ("program_release_date", "xz 5.4.1", "2023-01-11")]
    bad = path.read_text().replace("[0-9]+(?:", "[0-9]+(?<!x)(?:")
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(PackError, match=r"releases\.toml:12: names\.pattern: is not in the RE2 subset"):
        load_pack(str(path))


def test_a_users_pack_runs_on_ray_as_locally(ships, tmp_path):
    """Ray tasks get the pack's text with the scan's options (its file need not exist on the workers' nodes)."""
    ray = pytest.importorskip("ray")
    corpus = tmp_path / "ships.jsonl"
    corpus.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(SHIP_TEXTS)))
    local = floor.run([str(corpus)], packs=[str(ships)], domain_from="language", workers=1)
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = floor.run([str(corpus)], packs=[str(ships)], domain_from="language", engine="ray")
    finally:
        if started:
            ray.shutdown()
    assert on_ray["groups"] == local["groups"]
    assert {g["category"] for g in on_ray["groups"]} >= {"launch_year", "shipyard", "pennant"}


# -- Whatever a pack file holds: a pack, or one line naming what is wrong (never a traceback) -------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SCALARS = st.one_of(st.text(max_size=12), st.integers(-3, 2000), st.booleans(), st.floats(allow_nan=False),
                     st.lists(st.text(max_size=6), max_size=3), st.just("{subject} was launched in {launch_year}"),
                     st.just("(?<!x)y"), st.just("{nothing}"), st.just("year"), st.just("place"))
_KEYS = {
    "pack": ["name", "language", "description", "colour"],
    "category": ["name", "value", "answer_space", "reason", "pattern", "normalize", "implies", "one_value"],
    "phrase": ["keyword", "pattern", "name", "within_line"],
    "names": ["non_person", "pattern", "max_tokens", "acronyms", "colour"],
    "dates": ["ordinals", "day_month", "numeric", "month_first"],
    "words": ["common", "same_place", "markers"],
    "example": ["text", "facts", "title"],
}


@st.composite
def pack_data(draw):
    data = {}
    for table, keys in _KEYS.items():
        if draw(st.booleans()):
            entry = {key: draw(_SCALARS) for key in draw(st.lists(st.sampled_from(keys), unique=True, max_size=5))}
            data[table] = [entry] if table in ("category", "phrase", "example") and draw(st.booleans()) else entry
    return data


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def _document(data: dict) -> str:
    lines = []
    for table, entry in data.items():
        for one in entry if isinstance(entry, list) else [entry]:
            lines.append(f"[[{table}]]" if isinstance(entry, list) else f"[{table}]")
            lines.extend(f"{key} = {_toml(value)}" for key, value in one.items())
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack_data(), st.integers(0, 40))
def test_any_pack_file_reads_or_is_refused_in_one_line(data, cut):
    text = _document(data)
    for candidate in (text, text[:-cut] if cut else text):  # and the same file cut short
        try:
            pack = read_pack(candidate, "fuzz.toml")
        except FloorError as exc:
            message = str(exc)
            assert message.startswith("fuzz.toml") and "\n" not in message.strip()
        else:
            check_pack(pack)  # a pack that reads can be checked: problems are lines, not exceptions


# A pack in the engine's own form, with macros and a prefilter: parts that read and parts that do not, of every
# kind the reader checks (placeholders with odd arguments, groups, classes, word lists, patterns RE2 or hyperscan
# refuses, values of the wrong type).
_FUZZ_HEAD = textwrap.dedent("""\
    [pack]
    name = "fuzz"
    language = "en"

    [[category]]
    name = "fuzz_year"
    value = "year"
    answer_space = 99
    reason = "a century"

    [[category]]
    name = "fuzz_date"
    value = "date"
    implies = "fuzz_year"
    answer_space = 999
    reason = "days of a century"

    [[category]]
    name = "fuzz_yard"
    value = "place"
    answer_space = 99
    reason = "a hundred yards"
    """)
_PARTS = st.sampled_from([
    "{SP}", "in", "on", " ", "\\s+", ",", "{DATE:fuzz_year}", "{DATE:fuzz_date}", "{FULLDATE:fuzz_date}",
    "{YEAR:fuzz_date}", "{MONTHDAY:fuzz_date}", "{NUMDAY:fuzz_date}", "{YEAR:fuzz_year}", "{PLACE:fuzz_yard}",
    "{SAME:fuzz_yard}", "{NAME:entity}", "{DATE:entity}", "{NAME:fuzz_date}", "{STOP}", "{STOP:x}", "{LAST}",
    "{subject}", "{fuzz_year}", "{U}", "{L}", "{W}", "{DASH}", "{INSTITUTION}", "{m}", "{n}", "{SP:x}",
    "{subject.person_nouns}", "{dates.months}", "(?P<ahead>[.;])", "(?P<free>[^.]{0,20})", "(?P<x>a)", "(?<y>b)",
    "[{SP},]", "\\C", "(?:\\b\\B)", "(?:", ")", "|", "?", "{1000}", "x*", "(?i:at)", "é", "(?<!x)", "\\", "$", "^",
    "\\z", "[\\S]", "(?U)", "\\p{Greek}"])
_GOOD_PARTS = st.sampled_from(["{SP}", "in", " ", "\\s+", ",", "{DATE:fuzz_year}", "{PLACE:fuzz_yard}", "{STOP}",
                               "(?i:at)", "x*", "(?P<ahead>[.;])", "[a-z]+", "\\(", "{U}"])
_PATTERNS = st.lists(st.integers(0, 2).flatmap(lambda k: _PARTS if k == 0 else _GOOD_PARTS), min_size=1,
                     max_size=6).map("".join)
_WRONG = st.one_of(st.integers(-1, 2), st.booleans(), st.lists(st.sampled_from(["a", "", "{SP}"]), max_size=2),
                   st.just({"a": 1}))


def _or_wrong(*strategies):
    """One of ``strategies``, or one time in eight a value of the wrong type."""
    return st.integers(0, 7).flatmap(lambda k: _WRONG if k == 0 else st.one_of(*strategies))


_PHRASE_KEYS = {
    **dict.fromkeys(("before", "after", "pattern", "follow", "not_after", "excluding"),
                    _or_wrong(_PATTERNS, st.sampled_from(["", "launched", "\\s+was\\s+"]))),
    "name": st.sampled_from(["a", "b", ""]),
    "entity": _or_wrong(st.sampled_from(["before", "group", "subject", "page", "ship"])),
    "anchor": _or_wrong(st.sampled_from(["keyword", "line", "section", "paragraph"])),
    "within_line": _or_wrong(st.booleans()), "subject": _or_wrong(st.booleans()), "prepositional": st.booleans()}
_RAW = st.lists(st.sampled_from([
    "\\s", "[\\t ,]", "x?", "", "^", "(?m)^", "(?:\\b\\B)", "{SP}", "{m}", "\\x{100}", "\\xff", "é", "(?U)a", "a|b",
    "(?P<x>a)(?P<x>b)", "\\C", "x{1,1000}", "launched", "\\(", " in ", "(?:launched)?", "[^\\x00-\\xff]"]),
    min_size=1, max_size=3).map("".join)


@st.composite
def engine_packs(draw) -> str:
    lines = [_FUZZ_HEAD]
    if draw(st.booleans()):
        lines.append("[macros]")
        for name in draw(st.lists(st.sampled_from(["m", "n", "ahead", "n2", "SP"]), unique=True, max_size=2)):
            value = draw(_or_wrong(_PATTERNS, st.sampled_from(["{subject.person_nouns}", "{names.pattern}"]),
                                   st.lists(st.sampled_from(["a", "b c", "(", "é", "{SP}", "x|y", ""]), min_size=1,
                                            max_size=3)))
            lines.append(f"{name} = {_toml(value)}")
    for _ in range(draw(st.integers(1, 2))):
        # a phrase in the engine's form that reads, a few of its keys changed
        phrase = {"keyword": draw(st.sampled_from(["launched", "launched", "(", "Births"])), "before": "\\s+was\\s+",
                  "after": draw(st.sampled_from(["{SP}in{SP}{DATE:fuzz_year}", "{SP}{DATE:fuzz_date}"]))}
        for key in draw(st.lists(st.sampled_from(sorted(_PHRASE_KEYS)), unique=True, max_size=3)):
            phrase[key] = draw(_PHRASE_KEYS[key])
        if "pattern" in phrase and draw(st.booleans()):  # in the pattern's form
            phrase = {key: value for key, value in phrase.items() if key not in ("after", "before")}
        lines += ["[[phrase]]"] + [f"{key} = {_toml(value)}" for key, value in phrase.items()]
    for table in draw(st.lists(st.sampled_from(["guards", "raw_guards", "raw_contexts"]), unique=True, max_size=2)):
        lines.append(f"[prefilter.{table}]")
        for keyword in draw(st.lists(st.sampled_from(["launched", "(", "sailed"]), unique=True, min_size=1,
                                     max_size=2)):
            lines.append(f"{_toml(keyword)} = {_toml(draw(_or_wrong(_RAW)))}")
    return "\n".join(lines) + "\n"


_FUZZ_TEXTS = ["HMS Belfast was launched in 1938 at Belfast.", "HMS Belfast was launched on 3 March 1938, é😀",
               "Births\nMarch 3 – HMS Belfast, a cruiser\n", "HMS Belfast (launched 1938) was (1938–1971)", "launched"]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engine_packs())
def test_any_pack_in_the_engines_form_reads_or_is_refused_and_one_that_passes_its_check_extracts(text):
    """Whatever a pack file holds: it reads, or is refused in one line; one that reads is checked in lines; one
    that passes its check extracts from any text, through the prefilter of each backend, without an error."""
    try:
        pack = read_pack(text, "fuzz.toml")
    except FloorError as exc:
        assert str(exc).startswith("fuzz.toml:") and "\n" not in str(exc)
        return
    problems = check_pack(pack)
    assert all(problem.startswith("fuzz.toml:") and "\n" not in problem for problem in problems)
    if problems:
        return
    extractor = Extractor(packs=[pack])
    for backend in ("python", "hyperscan") if hyperscan_available() else ("python",):
        prefilter = extractor.prefilter(backend)
        for page in _FUZZ_TEXTS:
            extractor.extract(page, prefilter.mask(json.dumps({"text": page}).encode()), title="HMS Belfast")


def test_the_readmes_pack_reads_and_passes_its_check(tmp_path):
    """The pack README.md shows a new user ("Write your own pack") is one: it reads, and its examples hold."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Write your own pack"):]
    start = section.index("```toml\n") + len("```toml\n")
    pack = read_pack(section[start:section.index("```", start)], "README.md")
    assert pack.gives == ("launch_year", "shipyard") and len(pack.examples) == 2
    assert check_pack(pack) == []


# -- What a lookaround would check, as the engine checks it ---------------------------------------------------------
LAUNCH = SHIPS.split("[[phrase]]")[0] + textwrap.dedent("""\
    [[phrase]]
    keyword = "launched"
    """)


@pytest.mark.parametrize("phrase, stated, not_stated", [
    # what must follow the statement, without being part of it: an ahead group closing the pattern ...
    ('pattern = "{subject} was launched in {launch_year}(?P<ahead>[.;])"',
     "HMS Belfast was launched in 1938.", "HMS Belfast was launched in 1938 at Belfast."),
    # ... or a follow, checked after the match
    ('pattern = "{subject} was launched in {launch_year}"\nfollow = " *[.;]"',
     "HMS Belfast was launched in 1938 .", "HMS Belfast was launched in 1938 at Belfast."),
    # what may not stand before the statement's context (a page's subject: its title)
    ('pattern = "[Ii]ts hull was launched in {launch_year}"\nnot_after = "(?:until|till) "',
     "Its hull was launched in 1938.", "The yard worked until its hull was launched in 1938."),
    # what a part of the statement may not hold (a tempered repeat)
    ('pattern = "{subject} was launched(?P<free>[^.]{0,40}) in {launch_year}"\nexcluding = "after|by"',
     "HMS Belfast was launched at sea in 1938.", "HMS Belfast was launched after a storm in 1938."),
])
def test_a_pack_declares_what_a_lookaround_would_check(phrase, stated, not_stated):
    extractor = Extractor(packs=[read_pack(LAUNCH + phrase + "\n", "launch.toml")])

    def facts(text):
        return {(f.entity, f.value) for f in extractor.extract(text, title="HMS Belfast")}

    assert facts(stated) == {("HMS Belfast", "1938")}
    assert facts(not_stated) == set()
