"""Duplicate-aware counts (--dedup exact|near): hand-computed deduplicated profiles of a corpus with planted
copies, the planted clusters found and unrelated documents never merged, per-domain dedup numbers, identical
reports however the counts were made (workers, shard merges in any order, kill and resume, Ray), option checks,
and the invariant: deduplicated counts never exceed raw ones, and equal them when no two documents are copies."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
import unicodedata

import numpy as np
import pytest
import xxhash
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import floor
from floor.cli import main
from floor.count import FactCounter
from floor.count.dedup import (NUM_PERM, DedupRecorder, NormalizedTexts, Signer, band_shape, clusters,
                               collision_probability, dedup_tables, permutations, shingle_hash, signatures)
from floor.count.dedup import _first_equal_rows, _joined
from floor.count.summary import summarize
from floor.errors import FloorError
from floor.extract import Fact
from floor.report import format_csv, format_table
from floor.sources import iter_documents

from .conftest import load_make_sample
from .test_cli import write_jsonl
from .test_domains import assert_killed_and_resumed_scan_gives, by_domain

BIRTH = ["birth_year"]
ADA, ALAN, GRACE = ("Ada Lovelace (1815\u20131852) was a mathematician.", "Alan Turing (1912\u20131954) was a scientist.",
                    "Grace Hopper (1906\u20131992) was an admiral.")
# Common lowercase English words (the language gate reads the text as English): they state no fact, and random
# runs of them share a 5-word shingle with a probability of about 300^2 / 120^5 per pair of documents.
VOCABULARY = """the of and to in that it with as for was on are by this be from or have an they which one you were
all we when there can been has more if will would about their what so out up into some could them other then its
now only two also time may over these first like after new years way made where just most people many well
water house river garden morning window letter village market summer winter train road evening church school
table paper music night field mountain bridge island forest kitchen doctor teacher farmer writer painter friend
quiet small large early late green white old long short warm cold bright dark open closed simple careful
walked talked moved opened closed carried painted wrote read sang played built kept""".split()


def filler(seed: int, words: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def changed_words(text: str, seed: int, count: int = 3) -> str:
    """``text`` with ``count`` of its words replaced (a near-copy: Jaccard of 5-word shingles about 0.9)."""
    words = text.split(" ")
    rng = random.Random(seed)
    for index in rng.sample(range(len(words) // 4, len(words)), count):
        words[index] = "changed"
    return " ".join(words)


# --- hand-computed numbers --------------------------------------------------------------------------------------

@pytest.fixture
def planted(tmp_path) -> Path:
    # d1 states Ada's birth year; d2 is an exact copy, d3 a copy under a header line, d4 a copy with 3 words
    # changed; d5 and d8 state Alan's in unrelated texts, d6 Grace's, d7 Ada's in an unrelated text.
    #   raw:   Ada 5 (d1 d2 d3 d4 d7), Alan 2, Grace 1              -> N = 8, f1 = 1, sr = 1/8
    #   exact: Ada 4 ({d1 d2} d3 d4 d7), Alan 2, Grace 1            -> N = 7, f1 = 1, sr = 1/7
    #   near:  Ada 2 ({d1 d2 d3 d4} d7), Alan 2, Grace 1            -> N = 5, f1 = 1, sr = 1/5
    d1 = f"{ADA} {filler(1)}"
    texts = [d1, d1, f"Reprinted from the Gazette.\n{d1}", changed_words(d1, 0), f"{ALAN} {filler(5)}",
             f"{GRACE} {filler(6)}", f"{ADA} {filler(7)}", f"{ALAN} {filler(8)}"]
    sources = ["a", "b", "a", "a", "a", "b", "b", "b"]
    return write_jsonl(tmp_path / "planted.jsonl", [{"id": f"d{i + 1}", "source": s, "text": t}
                                                   for i, (t, s) in enumerate(zip(texts, sources))])


@pytest.mark.parametrize("mode, mentions, distinct, profile", [("exact", 7, 3, {"1": 1, "2": 1, "4": 1}),
                                                               ("near", 5, 3, {"1": 1, "2": 2})])
def test_hand_computed_deduplicated_profile(planted, mode, mentions, distinct, profile):
    report = floor.run([str(planted)], categories=BIRTH, dedup=mode, workers=1)
    group = by_domain(report)[None]
    assert (group["mentions"], group["singletons"], group["singleton_rate"]) == (8, 1, 1 / 8)
    dedup = group["dedup"]
    assert (dedup["mentions"], dedup["distinct_facts"], dedup["singletons"]) == (mentions, distinct, 1)
    assert dedup["singleton_rate"] == pytest.approx(1 / mentions)
    assert dedup["profile"] == profile
    assert dedup["interval"] == group["interval"] == "esty" and dedup["ci_low"] <= dedup["singleton_rate"]
    assert report["params"]["dedup"] == mode
    assert report["params"]["dedup_threshold"] == (0.8 if mode == "near" else None)


def test_a_cluster_counts_the_most_mentions_of_one_of_its_documents(tmp_path):
    # --unit mention: d1 states Ada's birth year twice, its exact copy d2 twice, its near-copy d3 (a header line)
    # once more, in a third sentence: raw 2 + 2 + 3 = 7 mentions; one cluster, whose largest document makes 3.
    text = f"{ADA} {filler(1)} {ADA} {filler(2)}"
    path = write_jsonl(tmp_path / "m.jsonl", [{"text": text}, {"text": text},
                                              {"text": f"Reprinted.\n{text} {ADA}"}])
    report = floor.run([str(path)], categories=BIRTH, unit="mention", dedup="near", workers=1)
    group = by_domain(report)[None]
    assert (group["mentions"], group["dedup"]["mentions"], group["dedup"]["profile"]) == (7, 3, {"3": 1})


def test_without_dedup_every_group_has_a_null_dedup_block(planted):
    report = floor.run([str(planted)], categories=BIRTH, workers=1)
    assert [g["dedup"] for g in report["groups"]] == [None]
    assert "dedup" not in format_table(report) and "dedup" not in format_csv(report)


def test_per_domain_dedup_numbers(planted):
    # Domain a: d1 d3 d4 (Ada, one near cluster) and d5 (Alan); domain b: d2 (Ada, in d1's cluster), d6 (Grace),
    # d7 (Ada), d8 (Alan). Near dedup: a counts Ada 1, Alan 1 (N = 2, f1 = 2); b counts Ada 2 (d2's cluster, d7),
    # Grace 1, Alan 1 (N = 4, f1 = 2); pooled: the cluster spanning a and b counts once (N = 5).
    report = floor.run([str(planted)], categories=BIRTH, dedup="near", domain_field="source", workers=1)
    per_domain = by_domain(report)
    assert {d: (g["mentions"], g["dedup"]["mentions"], g["dedup"]["singletons"]) for d, g in per_domain.items()} == {
        None: (8, 5, 1), "a": (4, 2, 2), "b": (4, 4, 2)}
    # the pooled group is that of a report without domains
    assert per_domain[None] == by_domain(floor.run([str(planted)], categories=BIRTH, dedup="near", workers=1))[None]


def test_table_and_csv_show_both_numbers(planted):
    report = floor.run([str(planted)], categories=BIRTH, dedup="near", workers=1)
    text = format_table(report)
    header, _, row = text.splitlines()[:3]
    assert header.endswith("conflicts  N dedup  f1 dedup  sr dedup")
    assert row.split()[-3:] == ["5", "1", "0.2000"]
    assert "dedup: each fact counted once per cluster" in text
    lines = format_csv(report).splitlines()
    assert lines[0].endswith(",dedup_mentions,dedup_distinct_facts,dedup_singletons,dedup_doubletons,"
                             "dedup_singleton_rate,dedup_ci_low,dedup_ci_high,dedup_theorem2_floor")
    assert lines[1].split(",")[-8:-4] == ["5", "3", "1", "2"]


# --- clusters ---------------------------------------------------------------------------------------------------

def test_planted_clusters_are_found_and_unrelated_documents_never_merged():
    # 40 originals, each with an exact copy, a copy under a header line and a copy with 3 words changed
    # (Jaccard ~0.9 of 5-word shingles: found with probability > 0.99 per pair at threshold 0.8), and 40
    # unrelated documents that share their first line with an original (Jaccard ~0).
    texts, planted = [], []
    for i in range(40):
        original = f"{ADA} {filler(100 + i)}"
        members = [original, original, f"Page {i} of the archive.\n{original}", changed_words(original, i)]
        planted.append(list(range(len(texts), len(texts) + len(members))))
        texts.extend(members)
    unrelated = list(range(len(texts), len(texts) + 40))
    texts.extend(f"{ADA} {filler(1000 + i)}" for i in range(40))
    recorder = DedupRecorder("near", 0.8)
    for text in texts:
        recorder.add(text, ["birth_year"], [1], [1])
    labels = clusters(recorder.take(), 0.8)
    assert [sorted(set(labels[members])) for members in planted] == [[members[0]] for members in planted]
    assert sorted(labels[unrelated]) == unrelated  # each its own cluster, labelled by itself
    exact = Signer("exact", None)
    keys, _ = exact.sign([texts[0], texts[1], "  " + texts[0].upper(), texts[2]])
    assert keys[0] == keys[1] == keys[2] != keys[3]


def test_candidates_with_dissimilar_signatures_are_not_merged():
    recorder = DedupRecorder("near", 0.8)
    for seed in (1, 2):
        recorder.add(f"{ADA} {filler(seed)}", ["birth_year"], [1], [1])
    records = recorder.take()
    assert list(clusters(records, 0.8)) == [0, 1]
    # the two share a band key now: candidates, but their signatures agree in few positions
    keys = records.band_keys.copy()
    keys[records.band_docs == 1] = keys[0]
    candidates = dataclasses.replace(records, band_keys=keys)
    assert list(clusters(candidates, 0.8)) == [0, 1]
    assert list(clusters(dataclasses.replace(candidates, signatures=candidates.signatures[[0, 0]]), 0.8)) == [0, 0]


def test_recall_weighted_bands_make_near_copies_candidates():
    assert collision_probability(0.9, 0.8) > 0.998 and collision_probability(0.85, 0.8) > 0.97
    assert collision_probability(0.3, 0.8) < 1e-3



# --- the signatures and bands are datasketch's ---------------------------------------------------------------------

def normalized(text: str) -> str:
    """The definition that :class:`NormalizedTexts` computes with numpy, as a regular expression."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def _datasketch_signature(text: str):
    """datasketch's MinHash of a text's normalized 5-word shingles, one document at a time."""
    from datasketch import MinHash

    words = normalized(text).split(" ")
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=shingle_hash)
    minhash.update_batch([" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))])
    return minhash.hashvalues


def test_permutations_are_datasketchs():
    from datasketch import MinHash

    a, b = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations
    assert (permutations()[0] == a).all() and (permutations()[1] == b).all()


def test_shingle_hash_is_the_hand_computed_polynomial():
    # "ab": (97 + 98 * B) mod 2**64, top 32 bits; B = 0x100000001B3
    assert shingle_hash("ab") == ((97 + 98 * 0x100000001B3) % 2**64) >> 32
    assert shingle_hash("") == 0 and shingle_hash(b"ab") == shingle_hash("ab")


TEXTS = st.lists(st.text(st.sampled_from(list("ab ,.-_1\n\tΣΟΦύßﬁİ日本Ü\u0301\ud800😀𝐀𐐀")), max_size=60)
                 | st.lists(st.sampled_from(["ada", "b", "ΣΟΦΙΑ", "straße", "日本", "x_1", "42", "ﬁne", "Ünï"]),
                            max_size=40).map(" ".join), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_normalized_texts_are_the_words_joined_by_single_spaces(texts):
    batch = NormalizedTexts.of(texts)
    assert batch.codes.tobytes().decode("utf-32-le", "surrogatepass") == " ".join(normalized(t) for t in texts)
    assert list(batch.lengths) == [len(normalized(t)) for t in texts]
    assert batch.keys() == [xxhash.xxh3_64_intdigest(normalized(t).encode("utf-32-le", "surrogatepass"))
                            for t in texts]


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_batched_signatures_equal_datasketchs_one_document_at_a_time(texts):
    batched = signatures(NormalizedTexts.of(texts))
    assert batched.shape == (len(texts), NUM_PERM) and batched.dtype == "uint32"
    for text, signature in zip(texts, batched):
        assert (signature == _datasketch_signature(text)).all()


def test_a_batch_spanning_several_blocks_signs_each_document_as_alone():
    long = " ".join(filler(seed) for seed in range(60))  # more shingles than one block holds
    texts = [f"{ADA} {filler(1)}", long, f"{ADA} {filler(2)}", "", "!!", f"{ADA} {filler(3)}"]
    batched = signatures(NormalizedTexts.of(texts))
    for text, signature in zip(texts, batched):
        assert (signature == signatures(NormalizedTexts.of([text]))[0]).all()
        assert (signature == _datasketch_signature(text)).all()


def test_copies_take_the_signature_already_made_and_the_kept_ones_are_bounded(monkeypatch):
    from floor.count import dedup

    texts = [f"{ADA} {filler(seed)}" for seed in range(6)]
    fresh_keys, fresh = Signer("near", 0.8).sign(texts)
    monkeypatch.setattr(dedup, "_KNOWN_SIGNATURES", 4)
    signer = Signer("near", 0.8)
    calls = []
    monkeypatch.setattr(dedup, "signatures", lambda batch: calls.append(batch.lengths.size) or signatures(batch))
    keys, signed = signer.sign([texts[0], texts[1], texts[0].upper(), texts[1]])  # copies, within the batch
    assert calls == [2] and (signed == fresh[[0, 1, 0, 1]]).all() and keys == [fresh_keys[i] for i in (0, 1, 0, 1)]
    keys, signed = signer.sign(texts)  # copies of earlier batches too, the rest signed anew
    assert calls == [2, 4] and (signed == fresh).all() and keys == fresh_keys
    assert len(signer._known) == 4  # the oldest left


def test_a_selection_of_normalized_texts():
    batch = NormalizedTexts.of(["Ada  was", "", "born, in 1815"])
    chosen = batch.select([2, 0, 1])
    assert chosen.codes.tobytes().decode("utf-32-le") == "born in 1815 ada was " and list(chosen.lengths) == [12, 7, 0]
    assert batch.select([]).lengths.size == 0


def test_normalized_text_hand_examples():
    batch = NormalizedTexts.of(["  Hello,  WORLD!\n ﬁne--Straße_1 ", "!!", "x"])
    assert batch.codes.tobytes().decode("utf-32-le") == "hello world fine strasse_1  x"
    assert list(batch.lengths) == [26, 0, 1]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1),
                                                                                     st.integers(0, n - 1))))))
def test_joined_groups_are_named_by_the_smallest_node_they_reach(graph):
    count, edges = graph
    neighbours = {node: set() for node in range(count)}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    expected = []
    for node in range(count):  # the smallest node reachable, by a walk
        seen, stack = {node}, [node]
        while stack:
            for other in neighbours[stack.pop()] - seen:
                seen.add(other)
                stack.append(other)
        expected.append(min(seen))
    assert list(_joined(np.arange(count), edges)) == expected


def test_each_signature_points_to_the_first_equal_one(monkeypatch):
    from floor.count import dedup

    rng = np.random.default_rng(5)
    distinct = rng.integers(0, 2**32, (6, NUM_PERM), dtype=np.uint32)
    rows = distinct[[3, 1, 3, 0, 1, 5, 3]]
    assert list(_first_equal_rows(rows)) == [0, 1, 0, 3, 1, 5, 0]
    # rows that share a hash (weights all 1: equal sums) but differ are told apart row by row
    monkeypatch.setattr(dedup, "permutations", lambda: (np.ones(NUM_PERM, np.uint32), None))
    swapped = rows[0].copy()
    swapped[[0, 1]] = swapped[[1, 0]]
    assert list(_first_equal_rows(np.vstack([rows[0], swapped, rows[0]]))) == ([0, 1, 0] if swapped[0] != rows[0][0]
                                                                              else [0, 0, 0])


def test_a_long_chain_is_one_component():
    order = np.random.default_rng(3).permutation(200_000).tolist()
    assert set(_joined(np.arange(200_000), zip(order[:-1], order[1:]))) == {0}


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95])
def test_band_shape_is_datasketchs_choice(threshold):
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=(0.1, 0.9))
    assert band_shape(threshold) == (lsh.b, lsh.r)

# --- identical reports however the counts were made -------------------------------------------------------------

@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> list[Path]:
    """Three JSONL shards of generated biographies with a source, plus copies planted across shards: every
    tenth document again in another shard, under a header line, and every fifteenth with words changed."""
    base = tmp_path_factory.mktemp("dedup")
    load_make_sample().generate(base / "generated", seed=13, docs=900)
    documents = list(iter_documents([str(base / "generated")], skips=floor.errors.SkipLog()))
    records: list[list[dict]] = [[], [], []]
    for i, d in enumerate(documents):
        record = {"id": d.doc_id, "text": d.text, "source": ("wiki", "news", "blog")[i % 3]}
        records[i % 3].append(record)
        if i % 10 == 0:
            records[(i + 1) % 3].append(dict(record, id=f"{d.doc_id}-copy", text=f"Archived copy.\n{d.text}"))
        if i % 15 == 0:
            records[(i + 2) % 3].append(dict(record, id=f"{d.doc_id}-edit", text=changed_words(d.text, i, 2)))
    return [write_jsonl(base / f"shard-{s}.jsonl", r) for s, r in enumerate(records)]


OPTIONS = dict(dedup="near", domain_field="source")


@pytest.fixture(scope="module")
def reference(shards) -> dict:
    return floor.run([str(s) for s in shards], workers=1, **OPTIONS)


def test_copies_lower_the_deduplicated_counts(reference):
    for group in reference["groups"]:
        assert group["dedup"]["mentions"] <= group["mentions"]
    pooled = by_domain(reference)[None]
    assert pooled["dedup"]["mentions"] < pooled["mentions"]


def test_two_workers_and_merges_in_any_order_give_the_same_report(shards, reference, tmp_path):
    assert floor.run([str(s) for s in shards], workers=2, split_bytes=64 << 10, **OPTIONS)["groups"] == \
        reference["groups"]
    dirs = [floor.scan([str(s)], output=tmp_path / f"s{i}", workers=1, **OPTIONS) for i, s in enumerate(shards)]
    for order, name in (((0, 1, 2), "m1"), ((2, 0, 1), "m2")):
        merged = floor.merge([dirs[i].path for i in order], tmp_path / name)
        assert floor.estimate(merged)["groups"] == reference["groups"]
    first = floor.merge([dirs[1].path, dirs[2].path], tmp_path / "m12")
    assert floor.estimate(floor.merge([first.path, dirs[0].path], tmp_path / "m3"))["groups"] == reference["groups"]
    # in memory, and written back from memory
    counts = floor.scan([str(s) for s in shards], workers=1, **OPTIONS)
    assert floor.estimate(counts)["groups"] == reference["groups"]
    assert floor.estimate(floor.count.write_counts(counts, tmp_path / "w"))["groups"] == reference["groups"]


def test_a_killed_and_resumed_scan_gives_the_same_report(shards, reference, tmp_path):
    assert_killed_and_resumed_scan_gives(reference, shards, tmp_path / "counts", "--domain-field", "source",
                                         "--dedup", "near")


def test_ray_gives_the_local_report(shards, reference, tmp_path):
    ray = pytest.importorskip("ray")
    inputs = [str(s) for s in shards]
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        assert floor.run(inputs, engine="ray", **OPTIONS)["groups"] == reference["groups"]
        counts = floor.scan(inputs, output=tmp_path / "counts", engine="ray", **OPTIONS)
    finally:
        if started:
            ray.shutdown()
    assert floor.estimate(counts)["groups"] == reference["groups"]


def test_max_domains_pools_domains_before_clustering(tmp_path):
    # Domain a states Alan twice and Grace once (3 mentions); b and c state Ada once each, in one text: with
    # --max-domains 1 they are pooled as 'other', where Ada's copies are one cluster: raw N = 2 (f1 = 0), dedup
    # N = 1 (f1 = 1). Summing the deduplicated tables of b and c instead would count the cluster twice.
    ada = f"{ADA} {filler(1)}"
    path = write_jsonl(tmp_path / "c.jsonl", [
        {"source": "b", "text": ada}, {"source": "c", "text": ada}, {"source": "a", "text": f"{ALAN} {filler(2)}"},
        {"source": "a", "text": f"{GRACE} {filler(3)}"}, {"source": "a", "text": f"{ALAN} {filler(4)}"}])
    report = floor.run([str(path)], categories=BIRTH, dedup="exact", domain_field="source", workers=1,
                       max_domains=1)
    assert {d: (g["mentions"], g["singletons"], g["dedup"]["mentions"], g["dedup"]["singletons"])
            for d, g in by_domain(report).items()} == {None: (5, 1, 4, 2), "a": (3, 1, 3, 1), "other": (2, 0, 1, 1)}


# --- options ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("options, problem", [
    (dict(dedup="near", dedup_threshold=1.0), "between 0 and 1"),
    (dict(dedup="near", dedup_threshold=0), "between 0 and 1"),
    (dict(dedup="near", dedup_threshold="0.5"), "between 0 and 1"),
    (dict(dedup="exact", dedup_threshold=0.9), "is for dedup 'near'"),
    (dict(dedup_threshold=0.9), "needs dedup 'near'"),
    (dict(dedup="fuzzy"), "dedup must be one of exact, near"),
    (dict(dedup="exact", input_kind="triples"), "pre-extracted triples carry none"),
])
def test_bad_dedup_options(planted, options, problem):
    with pytest.raises(FloorError, match=problem):
        floor.run([str(planted)], workers=1, **options)


def test_dedup_options_on_the_command_line(planted, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(main, ["run", str(planted), "--dedup", "near", "--dedup-threshold", "1", "-q"])
    assert bad.exit_code == 2 and "--dedup-threshold" in bad.output
    result = runner.invoke(main, ["run", str(planted), "--categories", "birth_year", "--dedup", "near",
                                  "--dedup-threshold", "0.7", "-q", "--workers", "1", "--json", "-"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["params"]["dedup_threshold"] == 0.7 and by_domain(report)[None]["dedup"]["mentions"] == 5


def test_counts_made_with_other_dedup_options_are_not_mixed(planted, tmp_path):
    near = floor.scan([str(planted)], output=tmp_path / "near", dedup="near", workers=1)
    plain = floor.scan([str(planted)], output=tmp_path / "plain", workers=1)
    with pytest.raises(FloorError, match=r"different scan options \(dedup, dedup_sketch, dedup_threshold\)"):
        floor.scan([str(planted)], output=near.path, resume=True, workers=1)
    # near counts whose signatures were made another way (before the sketch was recorded) are not mixed either
    manifest = json.loads((near.path / "manifest.json").read_text())
    old = tmp_path / "old-near"
    shutil.copytree(near.path, old)
    del manifest["params"]["dedup_sketch"]
    (old / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(FloorError, match=r"different scan options \(dedup_sketch\)"):
        floor.scan([str(planted)], output=old, resume=True, dedup="near", workers=1)
    with pytest.raises(FloorError, match=r"different scan options \(dedup_threshold\)"):
        floor.scan([str(planted)], output=near.path, resume=True, dedup="near", dedup_threshold=0.9, workers=1)
    other = write_jsonl(tmp_path / "other.jsonl", [{"text": ADA}])
    exact = floor.scan([str(other)], output=tmp_path / "exact", dedup="exact", workers=1)
    for sources in ([near.path, exact.path], [plain.path, exact.path]):
        with pytest.raises(FloorError, match="different scan options"):
            floor.merge(sources, tmp_path / "merged")


def test_a_missing_dedup_file_is_a_one_line_error(planted, tmp_path):
    counts = floor.scan([str(planted)], output=tmp_path / "c", dedup="exact", workers=1)
    victim = next((tmp_path / "c" / "parts").glob("*/dedup-bands-0000.parquet"))
    victim.unlink()
    with pytest.raises(FloorError, match=r"dedup-bands-0000\.parquet: missing; .*part\.json lists it"):
        floor.estimate(counts)


@pytest.mark.parametrize("params, problem", [
    ({"dedup": "fuzzy"}, "'params.dedup' must be one of exact, near or null, not 'fuzzy'"),
    ({"dedup": "near", "dedup_threshold": None}, "'params.dedup_threshold' must be a number between 0 and 1"),
    ({"dedup": "near", "dedup_threshold": 1.5}, "'params.dedup_threshold' must be a number between 0 and 1"),
])
def test_a_manifest_with_bad_dedup_params_is_a_one_line_error(planted, tmp_path, params, problem):
    counts = floor.scan([str(planted)], output=tmp_path / "c", dedup="near", workers=1)
    manifest = json.loads((counts.path / "manifest.json").read_text())
    manifest["params"].update(params)
    (counts.path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(FloorError, match=re.escape(problem)):
        floor.estimate(counts.path)


# --- the invariant ----------------------------------------------------------------------------------------------

_fact = st.tuples(st.sampled_from(["birth_year", "death_year"]), st.sampled_from(["ada", "alan", "grace"]),
                  st.sampled_from(["1815", "1912", "1906"]))
# (text choice, domain, facts): texts drawn from a few, so that documents repeat
_doc = st.tuples(st.integers(0, 3), st.sampled_from([None, "a", "b"]), st.lists(_fact, min_size=1, max_size=4))


def _summaries(docs, unit: str, mode: str, distinct_texts: bool):
    counter = FactCounter(unit=unit, min_flush=3, dedup=mode, dedup_threshold=counter_threshold(mode))
    for index, (choice, domain, facts) in enumerate(docs):
        text = f"document {index}" if distinct_texts else f"text {choice}"
        counter.add_document([Fact(c, e, e, v, 0, 0, "") for c, e, v in facts], domain, text)
    return summarize(counter.tables()), summarize(dedup_tables(counter.take_records(), counter_threshold(mode)))


def counter_threshold(mode: str) -> float | None:
    return 0.8 if mode == "near" else None


@settings(max_examples=150, deadline=None)
@given(st.lists(_doc, max_size=25), st.sampled_from(["document", "mention"]), st.sampled_from(["exact", "near"]),
       st.booleans())
def test_dedup_counts_never_exceed_raw_counts_and_equal_them_without_copies(docs, unit, mode, distinct_texts):
    docs = [(c, None, f) for c, _, f in docs] if not any(d for _, d, _ in docs) else \
        [(c, d or "a", f) for c, d, f in docs]  # every document in a domain, or none
    raw, dedup = _summaries(docs, unit, mode, distinct_texts)
    assert set(dedup.profiles) == set(raw.profiles)
    for category, profile in raw.profiles.items():
        deduplicated = dedup.profiles[category]
        assert deduplicated.mentions <= profile.mentions
        assert deduplicated.distinct == profile.distinct  # every fact is kept, only its copies go
        if distinct_texts:
            assert deduplicated == profile
        for domain, summary in raw.domains.get(category, {}).items():
            assert dedup.domains[category][domain].profile.mentions <= summary.profile.mentions
            if distinct_texts:
                assert dedup.domains[category][domain].profile == summary.profile
