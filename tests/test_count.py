from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from floor.count import Counts, FactCounter, FactTable, read_counts, write_counts
from floor.profile import Profile


def fact(category, entity, value):
    return SimpleNamespace(category=category, entity_key=entity, value=value)


DOCS = [
    [fact("birth_year", "ada", "1815"), fact("birth_year", "ada", "1815"), fact("death_year", "ada", "1852")],
    [fact("birth_year", "ada", "1815"), fact("birth_year", "bob", "1900")],
    [fact("birth_year", "bob", "1901"), fact("birth_year", "cy", "1700")],
]


@pytest.mark.parametrize("unit, expected", [
    # document: ada-1815 in 2 docs, bob-1900, bob-1901, cy-1700 once each
    ("document", {"birth_year": {"1": 3, "2": 1}, "death_year": {"1": 1}}),
    # mention: ada-1815 stated 3 times
    ("mention", {"birth_year": {"1": 3, "3": 1}, "death_year": {"1": 1}}),
])
def test_counter_units(unit, expected):
    counter = FactCounter(unit=unit, min_flush=2)  # force several flushes and merges
    for doc in DOCS:
        counter.add_document(doc)
    tables = counter.tables()
    assert {c: t.profile().as_dict() for c, t in tables.items()} == expected
    assert tables["birth_year"].conflicting_entities() == 1  # bob: 1900 and 1901
    assert counter.documents == 3


def test_counter_value_key_is_case_insensitive():
    counter = FactCounter()
    counter.add_document([fact("birth_place", "ada", "London")])
    counter.add_document([fact("birth_place", "ada", "LONDON")])
    assert counter.tables()["birth_place"].profile() == Profile([2], [1])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3)), max_size=8), max_size=60),
       st.integers(1, 50))
def test_counter_matches_a_dict_count_for_any_flush_size(docs, flush):
    counter = FactCounter(unit="document", min_flush=flush)
    expected = {}
    for doc in docs:
        facts = [fact("c", f"e{e}", f"v{v}") for e, v in doc]
        counter.add_document(facts)
        for key in {(e, v) for e, v in doc}:
            expected[key] = expected.get(key, 0) + 1
    table = counter.tables().get("c", FactTable.empty())
    assert table.profile() == Profile.from_counts(list(expected.values()))
    assert sorted(table.counts.tolist()) == sorted(expected.values())


def test_table_merge_adds_counts_of_equal_keys():
    a = FactTable(np.array([1, 5], np.uint64), np.array([10, 50], np.uint64), np.array([2, 1]))
    b = FactTable(np.array([5, 7], np.uint64), np.array([50, 70], np.uint64), np.array([3, 1]))
    merged = a.merge(b)
    assert merged.keys.tolist() == [1, 5, 7]
    assert merged.counts.tolist() == [2, 4, 1]
    assert merged.nbytes == 3 * 24


def test_bucket_split_keeps_entities_together_and_profiles_add():
    rng = np.random.default_rng(0)
    entities = rng.integers(0, 2**63, 200, dtype=np.uint64)
    keys = entities ^ rng.integers(0, 3, 200).astype(np.uint64)  # up to 3 values per entity
    table = FactTable.from_mentions(np.repeat(keys, 2)[:300], np.repeat(entities, 2)[:300])
    parts = table.split(8)
    assert sum((p.profile() for p in parts), Profile([], [])) == table.profile()
    assert sum(p.conflicting_entities() for p in parts) == table.conflicting_entities()
    for i, part in enumerate(parts):
        assert np.all(part.entities % np.uint64(8) == i)


def test_counts_directory_round_trip(tmp_path):
    counter = FactCounter()
    for doc in DOCS:
        counter.add_document(doc)
    counts = Counts(tables=counter.tables(), unit="document", documents=3, inputs=["a.jsonl"])
    write_counts(counts, tmp_path / "counts", buckets=4)
    back = read_counts(tmp_path / "counts")
    assert back.profiles() == counts.profiles()
    assert back.conflicting_entities() == counts.conflicting_entities()
    assert (back.unit, back.documents, back.inputs) == ("document", 3, ["a.jsonl"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp leftovers


def test_sample_rate_keeps_the_same_facts_with_exact_counts():
    docs = [[fact("birth_year", f"e{i % 400}", str(1800 + i % 400))] for i in range(2000)]
    full, half = FactCounter(), FactCounter(sample_rate=0.5)
    for doc in docs:
        full.add_document(doc)
        half.add_document(doc)
    full_table, half_table = full.tables()["birth_year"], half.tables()["birth_year"]
    kept = np.isin(full_table.keys, half_table.keys)
    assert np.all(half_table.keys < np.uint64(2**63))
    assert np.array_equal(full_table.counts[kept], half_table.counts)  # kept facts counted exactly
    assert 150 < len(half_table) < 250  # about half of the 400 facts
