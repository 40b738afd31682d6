"""Tests of scripts/make_sample.py: determinism, ground-truth consistency, phrasing coverage, traps.

The strongest check is :func:`reference_facts`: a small regex extractor written here from the documented
grammar only (not from the generator's bookkeeping). It must reproduce the generator's truth EXACTLY, which
shows the truth is unambiguous and recoverable from the text, and that the filler traps yield nothing.
It is test scaffolding, not floor's extractor.
"""

from __future__ import annotations

import collections
import gzip
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_sample.py"
SHIPPED = ROOT / "data" / "sample"

_spec = importlib.util.spec_from_file_location("make_sample", SCRIPT)
ms = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_sample", ms)
_spec.loader.exec_module(ms)

CATEGORIES = ("birth_date", "birth_year", "death_date", "death_year", "birth_place", "death_place")

# ---------------------------------------------------------------------------------------------------------------
# A reference extractor for the documented grammar
# ---------------------------------------------------------------------------------------------------------------

_UPPER = "".join(ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper())
CAP = rf"[{_UPPER}][^\W\d_]*(?:['-][{_UPPER}]?[^\W\d_]+)*"
NAME = rf"(?=[{_UPPER}])(?<![\w'-]){CAP}(?: (?:(?:van|de|von) )?{CAP})+"   # (the lookahead is for speed)
CAPS = rf"{CAP}(?: {CAP}){{0,3}}"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_MONTH = "|".join(MONTHS) + "|" + "|".join(m[:3] for m in MONTHS)
DATE = rf"(?:\d{{1,2}} (?:{_MONTH}) \d{{4}}|(?:{_MONTH})\.? \d{{1,2}}, \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
YEAR = r"(?:\d{1,4} BC|\d{4})"
PLACE = rf"(?P<place>{CAPS})(?:, (?P<country>{CAPS}))?"

# What may follow a name (matched right at the end of each name found); groups: bd/dd (dates), by/dy (years),
# place. "Born on DATE in PLACE, X" is the one phrasing that does not start with the name.
SUFFIXES = {
    "born_paren": rf" \(born (?P<bd>{DATE})\)",
    "b_paren": rf" \(b\. (?P<by>{YEAR})\)",
    "dates_paren": rf" \((?P<bd>{DATE}) – (?P<dd>{DATE})\)",
    "years_endash": r" \((?P<by>\d{4})–(?P<dy>\d{4})\)",
    "years_hyphen": r" \((?P<by>\d{4})-(?P<dy>\d{4})\)",
    "years_bc": r" \((?P<by>\d{1,4} BC) – (?P<dy>\d{1,4} BC)\)",
    "born_on": rf" was born on (?P<bd>{DATE})(?! in )",
    "born_on_in": rf" was born on (?P<bd>{DATE}) in {PLACE}(?![\w'-])",
    "born_in_on": rf" was born in {PLACE} on (?P<bd>{DATE})",
    "born_in_in": rf" was born in {PLACE} in (?P<by>{YEAR})",
    "died_on": rf" died on (?P<dd>{DATE})",
    "died_in_on": rf" died in {PLACE} on (?P<dd>{DATE})",
    "born_died": rf", born (?P<by>{YEAR}), died (?P<dy>{YEAR})",
}
SUFFIX_RX = {name: re.compile(p) for name, p in SUFFIXES.items()}
# Dispatch on the two characters after a name (a speed-up only: every suffix starts with one of these).
BY_LEAD = {lead: [(n, rx) for n, rx in SUFFIX_RX.items() if SUFFIXES[n].replace("\\", "").startswith(lead)]
           for lead in (" (", " w", " d", ", ")}
assert sum(map(len, BY_LEAD.values())) == len(SUFFIX_RX)
NAME_RX = re.compile(NAME)
BORN_LEAD_RX = re.compile(rf"Born on (?P<bd>{DATE}) in (?P<place>{CAPS}), (?P<x>{NAME}) [a-z]")
_MONTH_NUMBER = {m.casefold(): i + 1 for i, m in enumerate(MONTHS)} | {m[:3].casefold(): i + 1 for i, m in enumerate(MONTHS)}


def norm_date(text: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return text
    m = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", text)
    if m:
        day, month, year = int(m[1]), _MONTH_NUMBER[m[2].casefold()], int(m[3])
    else:
        m = re.fullmatch(r"(\w+)\.? (\d{1,2}), (\d{4})", text)
        assert m, text
        day, month, year = int(m[2]), _MONTH_NUMBER[m[1].casefold()], int(m[3])
    return f"{year:04d}-{month:02d}-{day:02d}"


def norm_year(text: str) -> str:
    if text.endswith(" BC"):
        return f"-{int(text[:-3]):04d}"
    return f"{int(text):04d}"


def _facts(phrasing: str, g: dict) -> dict:
    facts = {}
    if g.get("bd"):
        facts["birth_date"] = norm_date(g["bd"])
        facts["birth_year"] = facts["birth_date"][:4]
    if g.get("dd"):
        facts["death_date"] = norm_date(g["dd"])
        facts["death_year"] = facts["death_date"][:4]
    if g.get("by"):
        facts["birth_year"] = norm_year(g["by"])
    if g.get("dy"):
        facts["death_year"] = norm_year(g["dy"])
    if g.get("place"):
        facts["death_place" if phrasing == "died_in_on" else "birth_place"] = g["place"]
    return facts


def statements(text: str):
    """(phrasing, {category: value}, entity) for every statement in ``text``."""
    for name in NAME_RX.finditer(text):
        for phrasing, rx in BY_LEAD.get(text[name.end():name.end() + 2], ()):
            m = rx.match(text, name.end())
            if m:
                yield phrasing, _facts(phrasing, m.groupdict()), name.group()
    for m in BORN_LEAD_RX.finditer(text):
        yield "born_lead", _facts("born_lead", m.groupdict()), m["x"]


def reference_facts(documents):
    """{(category, entity, value): documents stating it}, plus phrasing use counts."""
    counts: collections.Counter = collections.Counter()
    uses: collections.Counter = collections.Counter()
    for _, text in documents:
        found = []
        for phrasing, facts, entity in statements(text):
            uses[phrasing] += 1
            found.extend((category, entity, value) for category, value in facts.items())
        counts.update(set(found))
        uses["(facts stated more than once in a document)"] += len(found) - len(set(found))
    return counts, uses


def read_truth_facts(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        assert header == ["category", "entity", "value", "count"]
        return {(c, e, v): int(n) for c, e, v, n in (line.rstrip("\n").split("\t") for line in handle)}


def read_truth_profile(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "category\tcount\tfacts"
    profile: dict[str, dict[int, int]] = {}
    for line in lines[1:]:
        category, count, facts = line.split("\t")
        assert int(count) not in profile.get(category, {}), "one row per count"
        profile.setdefault(category, {})[int(count)] = int(facts)
    for rows in profile.values():
        assert list(rows) == sorted(rows), "rows sorted by count"
    return profile


# ---------------------------------------------------------------------------------------------------------------
# Fixtures: small corpora, generated once per session
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("small") / "corpus"
    return ms.generate(out, seed=3, docs=2000)


@pytest.fixture(scope="session")
def heldout(tmp_path_factory):
    out = tmp_path_factory.mktemp("heldout") / "corpus"
    return ms.generate(out, seed=11, docs=2000, heldout=True)


def _texts(result):
    return [t for _, t in ms.iter_documents(result.out)]


# ---------------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------------

def _all_bytes(out: Path) -> dict[str, bytes]:
    files = sorted(out.iterdir()) + sorted(out.parent.glob(out.name + "-truth*"))
    return {p.name: p.read_bytes() for p in files}


def test_deterministic_bytes(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")   # the same command line in two places (it is recorded in s-truth.json)
    a = ms.generate("s", seed=5, docs=300)
    monkeypatch.chdir(tmp_path / "b")
    b = ms.generate(tmp_path / "b" / "s", seed=5, docs=300)
    first, second = _all_bytes(a.out), _all_bytes(b.out)
    assert sorted(first) == ["part-000.jsonl.zst", "part-001.jsonl.gz", "part-002.parquet", "s-truth-facts.tsv.gz",
                             "s-truth.json", "s-truth.tsv"]
    assert first == second
    assert json.loads(first["s-truth.json"])["command"] == "python scripts/make_sample.py --out s --seed 5 --docs 300"
    c = ms.generate(tmp_path / "c" / "s", seed=6, docs=300)
    assert _all_bytes(c.out)["part-001.jsonl.gz"] != first["part-001.jsonl.gz"]


def test_cli_prints_summary_and_truth_prefix(tmp_path):
    proc = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path / "x"), "--docs", "40", "--seed", "1",
                           "--truth-prefix", str(tmp_path / "t" / "gt")], capture_output=True, text=True, check=True)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and re.search(r"40 docs, .* facts, .* MB", lines[0])
    assert (tmp_path / "t" / "gt-truth.tsv").is_file() and (tmp_path / "t" / "gt-truth-facts.tsv.gz").is_file()
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == list(ms.CORPUS_FILES)


def test_documents_are_well_formed(small):
    docs = list(ms.iter_documents(small.out))
    assert len(docs) == small.docs == 2000
    ids = [i for i, _ in docs]
    assert len(set(ids)) == len(ids) and all(isinstance(i, str) for i in ids)
    import pyarrow.parquet as pq
    meta = pq.ParquetFile(small.out / "part-002.parquet").metadata
    assert meta.num_row_groups == 2 and meta.schema.names == ["id", "text"]
    raw = gzip.decompress((small.out / "part-001.jsonl.gz").read_bytes()).decode("utf-8")
    assert set(json.loads(raw.splitlines()[0])) == {"id", "text"}


@pytest.mark.parametrize("which", ["small", "heldout"])
def test_truth_profile_is_consistent(which, request):
    result = request.getfixturevalue(which)
    profile_path, facts_path, summary_path = result.truth_files
    profile = read_truth_profile(profile_path)
    facts = read_truth_facts(facts_path)
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert list(profile) == list(CATEGORIES)
    for category in CATEGORIES:
        n = sum(k * f for k, f in profile[category].items())
        assert n == result.mentions[category] == summary["categories"][category]["recorded_mentions"]
        assert n == sum(c for (cat, _, _), c in facts.items() if cat == category)
        assert sum(profile[category].values()) == sum(1 for cat, _, _ in facts if cat == category)
        stats = summary["categories"][category]
        assert stats["N"] == n and stats["f1"] == profile[category].get(1, 0)
    n = {c: result.mentions[c] for c in CATEGORIES}
    assert n["birth_year"] >= n["birth_date"] and n["death_year"] >= n["death_date"]
    by_entity = {(c, e): k for (c, e, _), k in facts.items()}
    for (category, entity), k in by_entity.items():   # per fact, too: a date mention is a year mention
        if category in ("birth_date", "death_date"):
            assert by_entity[(category.replace("date", "year"), entity)] >= k
    assert summary["docs"] == result.docs and summary["unit"] == "document"


@pytest.mark.parametrize("which", ["small", "heldout"])
def test_reference_extractor_reproduces_truth_exactly(which, request):
    result = request.getfixturevalue(which)
    counts, uses = reference_facts(ms.iter_documents(result.out))
    truth = read_truth_facts(result.truth_files[1])
    missing = {k: v for k, v in truth.items() if counts.get(k) != v}
    extra = {k: v for k, v in counts.items() if k not in truth}
    assert not missing and not extra, (list(missing.items())[:5], list(extra.items())[:5])
    repeated = uses.pop("(facts stated more than once in a document)")
    assert uses == result.phrasing_uses   # every statement is found once, by its own pattern, and traps by none
    assert repeated > 50                  # ... and the once-per-document rule matters


@pytest.mark.parametrize("which", ["small", "heldout"])
def test_every_phrasing_and_rendering_present(which, request):
    result = request.getfixturevalue(which)
    text = "\n".join(_texts(result))
    required = {
        "X (born DATE)": rf"{NAME} \(born {DATE}\)",
        "X (b. YEAR)": rf"{NAME} \(b\. \d{{4}}\)",
        "X (b. N BC)": rf"{NAME} \(b\. \d{{1,3}} BC\)",
        "X (DATE – DATE)": rf"{NAME} \({DATE} – {DATE}\)",
        "X (YYYY–YYYY)": rf"{NAME} \(\d{{4}}–\d{{4}}\)",
        "X (YYYY-YYYY)": rf"{NAME} \(\d{{4}}-\d{{4}}\)",
        "X (N BC – M BC)": rf"{NAME} \(\d{{1,3}} BC – \d{{1,3}} BC\)",
        "X was born on DATE.": rf"{NAME} was born on {DATE}[.,]",
        "X was born on DATE and": rf"{NAME} was born on {DATE} and [a-z]",
        "X was born on DATE in PLACE": rf"{NAME} was born on {DATE} in {CAPS}",
        "X was born on DATE in PLACE and": rf"{NAME} was born on {DATE} in {CAPS} and [a-z]",
        "X was born in PLACE on DATE": rf"{NAME} was born in {CAPS} on {DATE}",
        "X was born in PLACE in YEAR": rf"{NAME} was born in {CAPS} in \d{{4}}",
        "X was born in PLACE in N BC": rf"{NAME} was born in {CAPS}(?:, {CAPS})? in \d{{1,3}} BC",
        "Born on DATE in PLACE, X": rf"(?:^|\. )Born on {DATE} in {CAPS}, {NAME} [a-z]",
        "X died on DATE": rf"{NAME} died on {DATE}",
        "X died in PLACE on DATE": rf"{NAME} died in {CAPS} on {DATE}",
        "X, born YEAR, died YEAR": rf"{NAME}, born \d{{4}}, died \d{{4}}",
        "X, born N BC, died M BC": rf"{NAME}, born \d{{1,3}} BC, died \d{{1,3}} BC",
        "X (…) was a …": rf"{NAME} \([^)]*\d\) (?:was|is) [a-z]",
        "place with country": rf"{NAME} was born (?:on {DATE} )?in {CAPS}, {CAPS} (?:on|in|and) ",
        "died in place with country": rf"{NAME} died in {CAPS}, {CAPS} on {DATE}",
        # date renderings
        "10 December 1815": rf"\b\d{{1,2}} (?:{'|'.join(MONTHS)}) \d{{4}}\b",
        "December 10, 1815": rf"\b(?:{'|'.join(MONTHS)}) \d{{1,2}}, \d{{4}}\b",
        "1815-12-10": r"\(born \d{4}-\d{2}-\d{2}\)",
        "10 Dec 1815": r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b",
        "Dec. 10, 1815": r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\. \d{1,2}, \d{4}\b",
    }
    missing = [label for label, rx in required.items() if not re.search(rx, text)]
    assert not missing, missing
    assert set(result.phrasing_uses) == set(ms.PHRASING_BY_NAME)
    # names of every kind (they are in the text: the reference extractor recovers every one)
    names = {e for _, e, _ in read_truth_facts(result.truth_files[1])}
    kinds = {
        "accents": lambda n: any(ord(ch) > 127 for ch in n),
        "accented initial": lambda n: any(ord(w[0]) > 127 for w in n.split()),
        "hyphenated first name": lambda n: "-" in n.split()[0],
        "hyphenated last name": lambda n: "-" in n.split()[-1],
        "apostrophe": lambda n: "'" in n,
        "particle": lambda n: any(w in ("van", "de", "von") for w in n.split()),
        "middle name": lambda n: len([w for w in n.split() if w[0].isupper()]) >= 3,
    }
    absent = [kind for kind, test in kinds.items() if not any(map(test, names))]
    assert not absent, absent


def test_traps_present(small, heldout):
    text = "\n".join(_texts(small))
    for trap in ("(UK)", "born-again", "the fire died down in 1900", "He was born on 3 May 1920",
                 "the company was born in 1999", "prices died down", "the treaty (1815)",
                 "a tradition born of necessity", "Nobody died in 1901", "(see page ", "(pp. ", "ISBN 978-",
                 "(10:30)", "She died in ", "She was born in ", "engine died on "):
        assert trap in text, trap
    assert re.search(r"\(pp\. \d+–\d+\)", text) and re.search(r"the war \(\d{4}–\d{4}\)", text)
    assert re.search(r"ISBN 978-\d+-\d+-\d+-\d\b", text) and re.search(r"\(\d{2}:\d{2}\)", text)
    held = "\n".join(_texts(heldout))
    for trap in ("(US)", "born-again", "died down", "born of frustration", "Nobody died", "(see page ", "(pp. ",
                 "ISBN 978-", "He died in ", "She was born on "):
        assert trap in held, trap


def test_names_unique_under_normalization(small, heldout):
    for result in (small, heldout):
        facts = read_truth_facts(result.truth_files[1])
        names = {e for _, e, _ in facts}
        keys = {ms.name_key(n) for n in names}
        assert len(keys) == len(names)
        assert all(len(n.split()) >= 2 for n in names)


def test_heldout_uses_a_different_vocabulary(small, heldout):
    def vocab(result):
        facts = read_truth_facts(result.truth_files[1])
        first = {e.split()[0] for _, e, _ in facts}
        places = {v for c, _, v in facts if c.endswith("_place")}
        return first, places

    s_first, s_places = vocab(small)
    h_first, h_places = vocab(heldout)
    assert not s_first & h_first and not s_places & h_places
    s_text, h_text = set(_texts(small)[0].split(". ")), set(_texts(heldout)[0].split(". "))
    assert ms.SAMPLE.filler != ms.HELDOUT.filler and not set(ms.SAMPLE.filler) & set(ms.HELDOUT.filler)
    assert s_text != h_text


# --- the shipped sample ------------------------------------------------------------------------------------------

shipped = pytest.mark.skipif(not (SHIPPED / "part-000.jsonl.zst").is_file(), reason="data/sample not generated")


@shipped
def test_shipped_sample_truth_and_size():
    profile_path, facts_path, summary_path = ms.truth_paths(SHIPPED)
    profile = read_truth_profile(profile_path)
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert summary["command"] == "python scripts/make_sample.py --out data/sample --seed 0"
    assert 20000 <= summary["docs"] <= 40000
    total = sum(p.stat().st_size for p in (ROOT / "data").rglob("*") if p.is_file())
    assert total <= 5_000_000
    assert sorted(p.name for p in SHIPPED.iterdir()) == list(ms.CORPUS_FILES)
    for category in CATEGORIES:
        rows = profile[category]
        assert rows.get(1, 0) > 0 and rows.get(2, 0) > 0
        assert summary["categories"][category]["N"] == sum(k * f for k, f in rows.items())
    assert max(profile["birth_year"]) >= 50 and sum(f for k, f in profile["birth_year"].items() if k >= 50) >= 10
    assert sum(sum(rows.values()) for rows in profile.values()) >= 20000   # tens of thousands of facts
    facts = read_truth_facts(facts_path)
    assert len(facts) == sum(sum(rows.values()) for rows in profile.values())


@shipped
def test_shipped_sample_matches_its_truth():
    documents = list(ms.iter_documents(SHIPPED))
    summary = json.loads(ms.truth_paths(SHIPPED)[2].read_text(encoding="utf-8"))
    assert len(documents) == summary["docs"]
    counts, _ = reference_facts(documents)
    assert counts == collections.Counter(read_truth_facts(ms.truth_paths(SHIPPED)[1]))
