"""Per-domain floors: hand-computed per-domain and pooled numbers, the domain sources (field, URL, map), the
(none) and other rules, and identical reports however the counts were made (workers, merges, kills, Ray)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import floor
from floor.api import scan_options
from floor.cli import main
from floor.count import CountsDir, FactCounter
from floor.count.store import read_counts
from floor.count.summary import NO_DOMAIN, OTHER_DOMAIN, summarize
from floor.engines.ray import summarize_ray
from floor.errors import FloorError
from floor.extract import Fact
from floor.report import format_csv, format_table
from floor.report.build import DOMAIN_KEYS
from floor.sources import iter_documents
from floor.sources.domains import _host, _suffix_list, domain_rule, read_domain_map, registered_domain

from .conftest import load_make_sample
from .test_cli import write_jsonl

BIRTH = ["birth_year"]
# Five people; each line states one birth_year fact (and a death year, left out with --categories birth_year).
F1, F2, F3, F4 = ("Ada Lovelace (1815\u20131852) was a mathematician.", "Alan Turing (1912\u20131954) was a scientist.",
                  "Grace Hopper (1906\u20131992) was an admiral.", "Emmy Noether (1882\u20131935) was an algebraist.")


def by_domain(report: dict, category: str = "birth_year") -> dict:
    return {g["domain"]: g for g in report["groups"] if g["category"] == category}


# --- hand-computed numbers --------------------------------------------------------------------------------------

@pytest.fixture
def two_domains(tmp_path) -> Path:
    # Domain a states F1 once, F2 once, F4 twice; domain b states F1 once, F3 once:
    #   a: counts F1:1 F2:1 F4:2 -> N = 4, f1 = 2, sr = 2/4 = 0.5
    #   b: counts F1:1 F3:1      -> N = 2, f1 = 2, sr = 2/2 = 1.0
    #   pooled: F1:2 F2:1 F3:1 F4:2 -> N = 6, f1 = 2 (F2, F3), sr = 2/6; F1 is one fact seen in both domains.
    records = [{"source": "a", "text": t} for t in (F1, F2, F4, F4)] + [{"source": "b", "text": t} for t in (F1, F3)]
    return write_jsonl(tmp_path / "c.jsonl", records)


def test_hand_computed_per_domain_and_pooled_numbers(two_domains):
    groups = by_domain(floor.run([str(two_domains)], categories=BIRTH, domain_field="source", workers=1))
    assert list(groups) == [None, "a", "b"]  # the pooled group, then the domains by mentions
    pooled, a, b = groups[None], groups["a"], groups["b"]
    assert (pooled["mentions"], pooled["singletons"], pooled["distinct_facts"]) == (6, 2, 4)
    assert pooled["singleton_rate"] == pytest.approx(2 / 6)
    assert (a["mentions"], a["singletons"], a["singleton_rate"]) == (4, 2, 0.5)
    assert (b["mentions"], b["singletons"], b["singleton_rate"]) == (2, 2, 1.0)
    # Pooled singletons: F2 is a's, F3 is b's -> shares 1/2 and 1/2.
    assert a["pooled_singleton_share"] == b["pooled_singleton_share"] == 0.5
    # Facts no other domain states: a has F2, F4; b has F3.
    assert (a["facts_in_no_other_domain"], b["facts_in_no_other_domain"]) == (2, 1)
    # Without a: F1:1 F3:1 -> 2/2 = 1.0. Without b: F1:1 F2:1 F4:2 -> 2/4 = 0.5.
    assert a["pooled_sr_without_domain"] == 1.0 and b["pooled_sr_without_domain"] == 0.5
    assert all(pooled[key] is None for key in DOMAIN_KEYS)
    assert a["ci_low"] <= a["singleton_rate"] <= a["ci_high"]


def test_no_domain_and_all_groups(tmp_path):
    # F1 in a, F1 without a source, F2 with a null one, F3 with an empty one: (none) holds F1:1, F2:1, F3:1.
    path = write_jsonl(tmp_path / "c.jsonl", [{"source": "a", "text": F1}, {"text": F1}, {"source": None, "text": F2},
                                              {"source": "", "text": F3}])
    report = floor.run([str(path)], domain_field="source", workers=1)
    none = by_domain(report)[NO_DOMAIN]
    assert (none["mentions"], none["singletons"], none["facts_in_no_other_domain"]) == (3, 3, 2)
    # The all group's domains sum over birth_year and death_year (each line states one of each).
    assert [(g["domain"], g["mentions"]) for g in report["groups"] if g["category"] == "all"] == \
        [(None, 8), (NO_DOMAIN, 6), ("a", 2)]
    # Without (none), all holds a's F1 birth and death years, once each: sr 2/2.
    assert by_domain(report, "all")[NO_DOMAIN]["pooled_sr_without_domain"] == 1.0


def test_non_string_domain_is_a_one_line_error_or_a_counted_skip(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"source": "a", "text": F1}, {"source": 3, "text": F2}])
    result = CliRunner().invoke(main, ["run", str(path), "--domain-field", "source", "-q", "--workers", "1"])
    assert result.exit_code == 2
    assert result.output.strip() == (f"floor: error: {path}:2: domain field 'source' is a number, not a string")
    report = floor.run([str(path)], domain_field="source", on_error="skip", workers=1, categories=BIRTH)
    assert report["skipped"]["by_reason"] == {"bad_domain": 1}
    assert by_domain(report)[None]["mentions"] == 1


def test_nested_field_in_jsonl_and_parquet(tmp_path):
    records = [{"metadata": {"source": "a"}, "text": F1}, {"metadata": {"source": "b"}, "text": F1},
               {"metadata": None, "text": F2}, {"metadata": {"other": "x"}, "text": F3}]
    jsonl = write_jsonl(tmp_path / "c.jsonl", records)
    parquet = tmp_path / "c.parquet"
    pq.write_table(pa.Table.from_pylist(records), parquet)
    for path in (jsonl, parquet):
        groups = by_domain(floor.run([str(path)], domain_field="metadata.source", categories=BIRTH, workers=1))
        assert {d: g["mentions"] for d, g in groups.items()} == {None: 4, "a": 1, "b": 1, NO_DOMAIN: 2}


def test_a_parquet_file_without_the_domain_column_is_an_error(tmp_path):
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [F1]}), path)
    with pytest.raises(FloorError, match="no column 'source'"):
        floor.run([str(path)], domain_field="source", workers=1)


# --- URL domains ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, domain", [
    ("https://en.wikipedia.org/wiki/X", "wikipedia.org"),      # a subdomain
    ("https://de.m.wikipedia.org/wiki/X", "wikipedia.org"),
    ("http://news.bbc.co.uk/1/hi", "bbc.co.uk"),               # a two-label public suffix
    ("https://WWW.Example.COM./a?b#c", "example.com"),         # case and a trailing dot
    ("http://user:pw@a.b.example.org:8080/", "example.org"),   # user info and port
    ("en.wikipedia.org/wiki/X", "wikipedia.org"),              # no scheme
    ("https://foo.blogspot.com/p", "blogspot.com"),            # the ICANN section only: private suffixes are sites
    ("http://192.168.0.1:8080/x", "192.168.0.1"),              # an IP address is its own domain
    ("http://[2001:db8::1]/x", "2001:db8::1"),
    ("http://localhost:8000/", "localhost"),                   # a host under no known suffix is itself
    ("http://co.uk/", None),                                   # a public suffix alone
    ("not a url", None), ("mailto:ada@example.com", None), ("http://[::1", None), ("http:///path", None),
])
def test_registered_domain(url, domain):
    assert registered_domain(_host(url)) == domain


_url_piece = st.sampled_from(["/", "//", "://", ".", "?", "#", "@", ":", ":8080", " ", "\t", "[", "]", "::1", "a", "co",
                              "uk", "example", "com", "www", "x-y", "\u00e9"])
# A scheme (or none, or a broken one), a host, what may end it, and the rest, each made of odd pieces too.
_url = st.tuples(st.sampled_from(["", "http://", "https://", "//", "http:x://", " https://"]),
                 st.sampled_from(["example.com", "www.example.co.uk", "a", "[::1]", "co.uk", ""]),
                 st.sampled_from(["", " ", "\t", ":8080", "?q=/", "#f", "@b.com", "."]),
                 st.lists(_url_piece, max_size=6).map("".join)).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_url, min_size=1, max_size=8))
def test_a_url_domain_is_its_hosts_however_its_name_was_remembered(urls):
    # A rule remembers names by the start of each URL up to its host (the domain of every document is named):
    # each URL's name is still that of its own host, whichever URLs of the same site came before.
    rule = domain_rule(domain_from="url")
    for url in urls:
        assert rule.name(url) == (registered_domain(_host(url)) or NO_DOMAIN), url


def test_url_domains_end_to_end_without_network(tmp_path, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the public suffix list must be read from the package, not fetched")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    _suffix_list.cache_clear()  # the list is loaded anew, under the watch
    records = [{"url": "https://en.wikipedia.org/a", "text": F1}, {"url": "https://de.wikipedia.org/b", "text": F2},
               {"url": "http://news.bbc.co.uk/c", "text": F1}, {"url": "garbage", "text": F3}, {"text": F4}]
    path = write_jsonl(tmp_path / "c.jsonl", records)
    groups = by_domain(floor.run([str(path)], domain_from="url", categories=BIRTH, workers=1))
    assert {d: g["mentions"] for d, g in groups.items()} == {None: 5, "wikipedia.org": 2, NO_DOMAIN: 2, "bbc.co.uk": 1}
    other_field = write_jsonl(tmp_path / "d.jsonl", [{"link": r.get("url"), "text": r["text"]} for r in records])
    again = by_domain(floor.run([str(other_field)], domain_from="url=link", categories=BIRTH, workers=1))
    assert {d: g["mentions"] for d, g in again.items()} == {d: g["mentions"] for d, g in groups.items()}


# --- path domains -----------------------------------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path) -> Path:
    """documents/wiki/2024/a.jsonl (F1, F2), documents/news/b.jsonl (F1), documents/top.jsonl (F3)."""
    root = tmp_path / "documents"
    (root / "wiki" / "2024").mkdir(parents=True)
    (root / "news").mkdir()
    write_jsonl(root / "wiki" / "2024" / "a.jsonl", [{"text": F1}, {"text": F2}])
    write_jsonl(root / "news" / "b.jsonl", [{"text": F1}])
    write_jsonl(root / "top.jsonl", [{"text": F3}])
    return root


def _mentions(inputs, **kw) -> dict:
    report = floor.run([str(i) for i in inputs], domain_from="path", categories=BIRTH, workers=1, **kw)
    return {d: g["mentions"] for d, g in by_domain(report).items()}


def test_path_domains_are_the_first_directory_under_the_input_root(tree, monkeypatch):
    # The first directory under the root, however deep the file lies; a file in the root itself is in (none).
    assert _mentions([tree]) == {None: 4, "wiki": 2, "news": 1, NO_DOMAIN: 1}
    monkeypatch.chdir(tree.parent)  # the same domains however the root is spelled
    assert _mentions(["documents"]) == _mentions(["./documents/"]) == _mentions([tree])
    # A glob's root is its part before the first wildcard.
    assert _mentions(["documents/*/"]) == {None: 3, "wiki": 2, "news": 1}
    # A directory named as the input is the root: its files lie one level lower.
    assert _mentions(["documents/wiki"]) == {None: 2, "2024": 2}
    # A file named alone lies in its root, and so does stdin.
    assert _mentions(["documents/news/b.jsonl"]) == {None: 1, NO_DOMAIN: 1}
    assert _mentions([tree], engine="local", split_bytes=1) == _mentions([tree])


def test_counts_record_the_root_of_path_domains(tree, tmp_path, monkeypatch):
    # news/b.jsonl is in domain news under the root documents, but in (none) when named alone (its own root):
    # counts made under one root are neither continued nor merged with counts made under another.
    monkeypatch.chdir(tree.parent)
    options = dict(domain_from="path", categories=BIRTH, workers=1)
    news = floor.scan(["documents/*/b.jsonl"], output=tmp_path / "news", **options)
    assert news.params["domain"]["roots"] == [str(tree)]
    assert news.metadata()["domain_documents"] == {"news": 1}
    with pytest.raises(FloorError, match=r"news: --resume: made with different scan options \(domain\)"):
        floor.scan(["documents/news/b.jsonl"], output=news.path, resume=True, **options)
    wiki = floor.scan(["documents/*/2024/a.jsonl"], output=tmp_path / "wiki", **options)  # the root: documents
    merged = floor.merge([news.path, wiki.path], tmp_path / "merged")
    assert merged.metadata()["domain_documents"] == {"news": 1, "wiki": 2}
    elsewhere = floor.scan(["documents/wiki"], output=tmp_path / "elsewhere", **options)  # the root: wiki
    with pytest.raises(FloorError, match=r"elsewhere: merge: made with different scan options \(domain\)"):
        floor.merge([news.path, elsewhere.path], tmp_path / "refused")


# --- domain maps ------------------------------------------------------------------------------------------------

def test_domain_map_groups_sites(tmp_path):
    mapping = tmp_path / "map.tsv"
    mapping.write_text("# site\tgroup\nwikipedia.org\treference\nbritannica.com\treference\n\nbbc.co.uk\tnews\n")
    records = [{"url": "https://en.wikipedia.org/a", "text": F1}, {"url": "https://britannica.com/b", "text": F2},
               {"url": "https://bbc.co.uk/c", "text": F1}, {"url": "https://example.net/d", "text": F3}]
    path = write_jsonl(tmp_path / "c.jsonl", records)
    report = floor.run([str(path)], domain_from="url", domain_map=str(mapping), categories=BIRTH, workers=1)
    groups = by_domain(report)
    # Unmapped domains keep their name.
    assert {d: g["mentions"] for d, g in groups.items()} == {None: 4, "reference": 2, "example.net": 1, "news": 1}
    assert report["params"]["domain"] == {"by": "url", "field": "url", "map": read_domain_map(str(mapping))[1]}


@pytest.mark.parametrize("text, line, problem", [
    ("a\tx\nb x\n", 2, "expected 'raw value<TAB>domain name'"),
    ("a\tx\nb\tx\tz\n", 2, "expected"),
    ("a\tx\n\ta\n", 2, "expected"),
    ("a\tx\na\ty\n", 2, "'a' is mapped twice"),
    ("# nothing\n", None, "has no"),
])
def test_bad_domain_map_lines_are_one_line_errors(tmp_path, text, line, problem):
    mapping = tmp_path / "map.tsv"
    mapping.write_text(text)
    where = f"{mapping}:{line}: " if line else f"{mapping}: "
    with pytest.raises(FloorError) as error:
        domain_rule(domain_field="source", domain_map=str(mapping))
    assert str(error.value).startswith(where) and problem in str(error.value)


@pytest.mark.parametrize("options, problem", [
    (dict(domain_field="source", domain_from="url"), "not both"),
    (dict(domain_from="path=x"), "url, url=FIELD, path or language"),
    (dict(domain_from="host"), "url, url=FIELD, path or language"),
    (dict(domain_field="a..b"), "dotted path"),
    (dict(domain_map="m.tsv"), "give --domain-field or --domain-from too"),
])
def test_bad_domain_options(options, problem):
    with pytest.raises(FloorError, match=problem):
        domain_rule(**options)


def test_domain_options_on_the_command_line(two_domains, tmp_path):
    def floor_cli(*args):
        return CliRunner().invoke(main, [*map(str, args), "-q"])

    mapping = tmp_path / "map.tsv"
    mapping.write_text("a\tfirst\nb second\n")
    result = floor_cli("run", two_domains, "--domain-field", "source", "--domain-map", mapping)
    assert (result.exit_code, result.output) == (2, f"floor: error: {mapping}:2: expected 'raw value<TAB>domain "
                                                    "name', got 'b second'\n")
    result = floor_cli("run", two_domains, "--max-domains", "1")
    assert (result.exit_code, result.output) == (2, "floor: error: --max-domains needs --domain-field or "
                                                    "--domain-from\n")
    result = floor_cli("run", two_domains, "--input-kind", "triples", "--domain-field", "source")
    assert result.exit_code == 2 and "pre-extracted triples have no domain field" in result.output
    assert floor_cli("scan", two_domains, "-o", tmp_path / "counts", "--domain-field", "source",
                     "--categories", "birth_year").exit_code == 0
    result = floor_cli("estimate", tmp_path / "counts", "--max-domains", "1", "--csv", "-")
    assert result.exit_code == 0
    assert [line.split(",")[:3] for line in result.output.splitlines()[1:]] == \
        [["birth_year", "", "6"], ["birth_year", "a", "4"], ["birth_year", OTHER_DOMAIN, "2"]]


# --- counts made per domain -------------------------------------------------------------------------------------

def test_a_triple_relation_holding_the_table_name_separator_is_refused(tmp_path):
    # Count tables are named category<US>domain: such a relation would read as a category with a domain.
    path = write_jsonl(tmp_path / "t.jsonl", [{"entity": "ada", "relation": "born\x1fx", "value": "1815"}])
    with pytest.raises(FloorError, match=r":1: triple relation holds the unit separator U\+001F"):
        floor.run([str(path)], input_kind="triples", workers=1)


def _counter_tables(docs, with_domains: bool):
    counter = FactCounter(min_flush=3)  # flushes often: tables merge along the way
    for domain, facts in docs:
        counter.add_document([Fact(c, e, e, v, 0, 0, "") for c, e, v in facts], domain if with_domains else None)
    return counter.tables()


_fact = st.tuples(st.sampled_from(["birth_year", "death_year"]), st.sampled_from(["ada", "alan", "grace"]),
                  st.sampled_from(["1815", "1912", "1906"]))
_doc = st.tuples(st.sampled_from(["a", "b", "c", NO_DOMAIN]), st.lists(_fact, max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.lists(_doc, max_size=30), st.integers(1, 3))
def test_pooled_counts_equal_counts_without_domains(docs, max_domains):
    plain = summarize(_counter_tables(docs, False))
    tables = _counter_tables(docs, True)
    capped = floor.count.Counts(tables, "document").summary(max_domains)
    for summary in (summarize(tables), capped):
        assert summary.profiles == plain.profiles and summary.conflicting == plain.conflicting
        for category, domains in summary.domains.items():
            pooled = summary.profiles[category]
            assert sum(d.profile.mentions for d in domains.values()) == pooled.mentions
            assert sum(d.pooled_singletons for d in domains.values()) == pooled.singletons
    # K domains and other at most, the same in every category
    assert len(set().union(*capped.domains.values())) <= max_domains + 1


def test_directories_made_with_other_domain_options_are_not_mixed(two_domains, tmp_path):
    a = floor.scan([str(two_domains)], output=tmp_path / "a", domain_field="source", workers=1)
    b = floor.scan([str(two_domains)], output=tmp_path / "b", workers=1)
    with pytest.raises(FloorError, match=r"different scan options \(domain\)"):
        floor.scan([str(two_domains)], output=a.path, resume=True, domain_field="other", workers=1)
    other = write_jsonl(tmp_path / "other.jsonl", [{"source": "a", "text": F1}])
    c = floor.scan([str(other)], output=tmp_path / "c", domain_field="source", workers=1)
    with pytest.raises(FloorError, match=r"different scan options \(domain\)"):
        floor.merge([b.path, c.path], tmp_path / "m")
    merged = floor.merge([a.path, c.path], tmp_path / "m")
    assert by_domain(floor.estimate(merged, confidence=0.9))["a"]["mentions"] == 5


def test_documents_per_domain_must_add_up_to_the_parts_documents(two_domains, tmp_path):
    counts = floor.scan([str(two_domains)], output=tmp_path / "counts", domain_field="source", workers=1)
    (file,) = (tmp_path / "counts" / "parts").glob("*/part.json")
    meta = json.loads(file.read_text(encoding="utf-8"))
    assert (meta["documents"], meta["domain_documents"]) == (6, {"a": 4, "b": 2})
    file.write_text(json.dumps(dict(meta, domain_documents={"a": 4, "b": 1})), encoding="utf-8")
    with pytest.raises(FloorError, match=rf"^{file}: 'domain_documents' must map domain names to whole numbers >= 0 "
                                         r"that add up to its 'documents' \(6\)$"):
        counts.metadata()


def test_a_bucket_file_names_only_the_tables_it_holds(two_domains, tmp_path):
    counts = floor.scan([str(two_domains)], output=tmp_path / "counts", domain_field="source", workers=1)
    files = sorted((tmp_path / "counts" / "parts").glob("*/bucket-*.parquet"))
    assert len(files) > 1
    for file in files:
        column = pq.ParquetFile(file).read().column("category").combine_chunks()
        assert sorted(column.dictionary.to_pylist()) == sorted(set(column.to_pylist()))
    assert floor.estimate(counts)["groups"] == floor.run([str(two_domains)], domain_field="source", workers=1)["groups"]


# --- --max-domains ----------------------------------------------------------------------------------------------

def test_max_domains_is_decided_from_the_complete_counts(tmp_path):
    # Shard 1: x states F1 once, y states F2, F3, F4 (3 mentions). Shard 2: x states F1, F2, F3, F4, F4 (5 more).
    # Overall x has 6 mentions and y 3, z 2: with K = 1, x is kept although y was larger in the first shard, and
    # y and z pool as other: y's F2 and z's F2 are one fact of other seen twice.
    one = write_jsonl(tmp_path / "1.jsonl", [{"s": "x", "text": F1}] + [{"s": "y", "text": t} for t in (F2, F3, F4)])
    two = write_jsonl(tmp_path / "2.jsonl", [{"s": "x", "text": t} for t in (F1, F2, F3, F4, F4)] +
                      [{"s": "z", "text": t} for t in (F2, F1)])
    report = floor.run([str(one), str(two)], domain_field="s", categories=BIRTH, max_domains=1, workers=1)
    groups = by_domain(report)
    assert list(groups) == [None, "x", OTHER_DOMAIN]
    other = groups[OTHER_DOMAIN]
    # other: F2 (y, z) 2, F3 1, F4 1, F1 (z) 1 -> N = 5, f1 = 3
    assert (other["mentions"], other["singletons"], other["distinct_facts"]) == (5, 3, 4)
    assert report["params"]["max_domains"] == 1
    counts = floor.scan([str(one), str(two)], output=tmp_path / "counts", domain_field="s", categories=BIRTH,
                        workers=1)
    assert floor.estimate(counts, max_domains=1)["groups"] == report["groups"]
    assert [g["domain"] for g in floor.estimate(counts, max_domains=3)["groups"]] == [None, "x", "y", "z"]
    with pytest.raises(FloorError, match="made without domains"):
        floor.estimate(floor.scan([str(one)], output=tmp_path / "plain", workers=1), max_domains=1)


def test_many_domains_without_max_domains_earn_a_warning(two_domains, monkeypatch):
    from floor import api
    from floor.errors import FloorWarning

    monkeypatch.setattr(api, "MANY_DOMAINS", 1)
    with pytest.warns(FloorWarning, match="2 domains counted: .* --max-domains K reports the K largest"):
        floor.run([str(two_domains)], domain_field="source", categories=BIRTH, workers=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        floor.run([str(two_domains)], domain_field="source", categories=BIRTH, workers=1, max_domains=1)


# --- identical reports however the counts were made -------------------------------------------------------------

SOURCES = ["wiki", "news", "blog", "forum", None]


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> list[Path]:
    """Three JSONL shards of generated biographies, each document with a source (one in five has none)."""
    base = tmp_path_factory.mktemp("domains")
    load_make_sample().generate(base / "generated", seed=11, docs=1500)
    documents = list(iter_documents([str(base / "generated")], skips=floor.errors.SkipLog()))
    out = []
    for shard in range(3):
        records = [{"id": d.doc_id, "text": d.text, **({"source": s} if (s := SOURCES[i % 5]) else {})}
                   for i, d in enumerate(documents) if i % 3 == shard]
        out.append(write_jsonl(base / f"shard-{shard}.jsonl", records))
    return out


@pytest.fixture(scope="module")
def reference(shards) -> dict:
    return floor.run([str(s) for s in shards], domain_field="source", workers=1)


@pytest.fixture(scope="module")
def domain_documents(shards) -> dict:
    """The documents of each source in the shards, every one read whether or not it states a fact."""
    documents: dict[str, int] = {}
    for shard in shards:
        for record in map(json.loads, shard.read_text(encoding="utf-8").splitlines()):
            domain = record.get("source", NO_DOMAIN)
            documents[domain] = documents.get(domain, 0) + 1
    assert sum(documents.values()) == 1500 and documents["wiki"] == 300  # one in five of each source
    return documents


def test_pooled_groups_equal_the_report_without_domains(shards, reference):
    plain = floor.run([str(s) for s in shards], workers=1)
    pooled = [{k: v for k, v in g.items()} for g in reference["groups"] if g["domain"] is None]
    assert pooled == plain["groups"]
    assert {g["domain"] for g in reference["groups"]} == {None, "wiki", "news", "blog", "forum", NO_DOMAIN}


def test_two_workers_and_merges_in_any_order_give_the_same_report(shards, reference, domain_documents, tmp_path):
    assert floor.run([str(s) for s in shards], domain_field="source", workers=2)["groups"] == reference["groups"]
    dirs = [floor.scan([str(s)], output=tmp_path / f"s{i}", domain_field="source", workers=1)
            for i, s in enumerate(shards)]
    for order, name in (((0, 1, 2), "m1"), ((2, 0, 1), "m2")):
        merged = floor.merge([dirs[i].path for i in order], tmp_path / name)
        assert floor.estimate(merged)["groups"] == reference["groups"]
        assert merged.metadata()["domain_documents"] == domain_documents
    # a merge of a merge
    first = floor.merge([dirs[1].path, dirs[2].path], tmp_path / "m12")
    assert floor.estimate(floor.merge([first.path, dirs[0].path], tmp_path / "m3"))["groups"] == reference["groups"]
    assert CountsDir.open(tmp_path / "m3").metadata()["domain_documents"] == domain_documents


def test_documents_per_domain_are_the_same_however_the_scan_ran(shards, domain_documents, tmp_path):
    inputs = [str(s) for s in shards]
    one = floor.scan(inputs, output=tmp_path / "one", domain_field="source", workers=1)
    two = floor.scan(inputs, output=tmp_path / "two", domain_field="source", workers=2, split_bytes=50_000)
    assert len(two.part_dirs()) > len(shards)  # the shards were read in splits, each a part of its own
    in_memory = floor.scan(inputs, domain_field="source", workers=1)
    assert one.metadata()["domain_documents"] == two.metadata()["domain_documents"] == \
        in_memory.domain_documents == read_counts(two.path).domain_documents == domain_documents
    # a counts directory without domains records none
    assert floor.scan(inputs[:1], output=tmp_path / "plain", workers=1).metadata()["domain_documents"] is None


def assert_killed_and_resumed_scan_gives(reference, shards, out, *options, domain_documents=None):
    """A scan of the three ``shards`` killed once its first part is complete, then resumed, gives ``reference``
    (and its documents per domain ``domain_documents``, if given)."""
    cmd = [sys.executable, "-m", "floor", "scan", *map(str, shards), "-o", str(out), *options,
           "--workers", "1", "--quiet"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    # Killed once the first of the three parts is complete, before the last one is.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and \
            len([p for p in (out / "parts").glob("[!.]*")] if (out / "parts").is_dir() else []) < 1:
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    assert len(list((out / "parts").glob("[!.]*"))) in (1, 2)
    with pytest.raises(FloorError, match="incomplete"):
        floor.estimate(out)
    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, env=env, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert floor.estimate(out)["groups"] == reference["groups"]
    if domain_documents is not None:
        assert CountsDir.open(out).metadata()["domain_documents"] == domain_documents


def test_a_killed_and_resumed_scan_gives_the_same_report(shards, reference, domain_documents, tmp_path):
    assert_killed_and_resumed_scan_gives(reference, shards, tmp_path / "counts", "--domain-field", "source",
                                         domain_documents=domain_documents)


def test_ray_gives_the_local_report(shards, reference, domain_documents, tmp_path):
    ray = pytest.importorskip("ray")
    inputs = [str(s) for s in shards]
    local_capped = floor.run(inputs, domain_field="source", workers=1, max_domains=2)
    domains = [g["domain"] for g in local_capped["groups"] if g["category"] == "birth_year"]
    assert len(domains) == 4 and domains[0] is None and domains[3] == OTHER_DOMAIN
    started = not ray.is_initialized()
    if started:  # one instance for both runs and the scan (floor leaves an instance it did not start running)
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        assert floor.run(inputs, domain_field="source", engine="ray")["groups"] == reference["groups"]
        capped = floor.run(inputs, domain_field="source", engine="ray", max_domains=2)
        counts = floor.scan(inputs, output=tmp_path / "counts", domain_field="source", engine="ray")
        _, meta = summarize_ray(inputs, scan_options(domain_field="source"), max_domains=2)
    finally:
        if started:
            ray.shutdown()
    assert capped["groups"] == local_capped["groups"]
    assert floor.estimate(counts)["groups"] == reference["groups"]
    assert counts.metadata()["domain_documents"] == meta["domain_documents"] == domain_documents


# --- outputs ----------------------------------------------------------------------------------------------------

def test_every_output_has_the_domain_groups(two_domains, tmp_path):
    report = floor.run([str(two_domains)], categories=BIRTH, domain_field="source", workers=1)
    assert all(set(DOMAIN_KEYS) <= set(g) for g in report["groups"])
    csv_lines = format_csv(report).splitlines()
    assert csv_lines[0].endswith("pooled_singleton_share,facts_in_no_other_domain,pooled_sr_without_domain")
    assert csv_lines[2].startswith("birth_year,a,4,3,2,") and csv_lines[2].endswith(",0.5,2,1.0")
    text = format_table(report)
    assert "f1_share  only_here  sr_without" in text and "50.0%" in text
    latex = format_table(report, "latex")
    assert latex.count(r"\begin{tabular}") == 2 and r"50.0\%" in latex
    result = CliRunner().invoke(main, ["run", str(two_domains), "--categories", "birth_year", "--domain-field",
                                       "source", "-q", "--workers", "1", "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["groups"] == json.loads(json.dumps(report["groups"]))
    pytest.importorskip("matplotlib")
    from floor.report.plot import report_figure

    figure = report_figure(report)
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["birth year", "birth year / a",
                                                                        "birth year / b"]


def test_path_domains_under_a_url_glob_are_the_directories_under_its_prefix():
    from floor.sources.domains import DomainRule

    rule = DomainRule(by="path", field=None).for_inputs(["s3://bucket/corpus/*/*.jsonl"])
    assert rule.roots == ("s3://bucket/corpus",) and rule.as_params()["roots"] == ["s3://bucket/corpus"]
    assert rule.file_domain("s3://bucket/corpus/wiki/a.jsonl") == "wiki"
    assert rule.file_domain("s3://bucket/corpus/a.jsonl") is None
    assert rule.file_domain("s3://bucket/other/wiki/a.jsonl") is None
