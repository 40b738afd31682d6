import numpy as np
import pytest
from hypothesis import given, strategies as st

from floor.errors import FloorError, InputError
from floor.profile import Profile, format_profile_tsv, read_profile_tsv


def test_profile_from_counts_matches_hand_count():
    p = Profile.from_counts([1, 1, 2, 5, 1, 0, 2])
    assert p.as_dict() == {"1": 3, "2": 2, "5": 1}
    assert (p.mentions, p.distinct, p.singletons, p.doubletons) == (12, 6, 3, 2)
    assert p.f(3) == 0


def test_profile_merges_repeated_and_unsorted_counts():
    assert Profile([3, 1, 3], [1, 2, 4]) == Profile([1, 3], [2, 5])


def test_profile_stays_exact_at_a_trillion_mentions():
    p = Profile([1, 1_000_000], [10**6, 999_999])
    assert p.mentions == 10**6 + 999_999 * 10**6  # ~1e12, exact in int64


@given(st.lists(st.integers(0, 50), max_size=200))
def test_profile_of_counts_round_trips(counts):
    p = Profile.from_counts(counts)
    assert p.mentions == sum(counts)
    assert p.distinct == sum(1 for c in counts if c > 0)
    assert sorted(p.counts().tolist()) == sorted(c for c in counts if c > 0)


def test_profile_tsv_plain_with_header_and_comments(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("# my profile\ncount\tfacts\n1\t10\n2\t3\n\n7\t1\n")
    assert read_profile_tsv(str(path)) == {"all": Profile([1, 2, 7], [10, 3, 1])}


def test_profile_tsv_with_category_column_round_trips(tmp_path):
    profiles = {"birth_date": Profile([1, 4], [5, 2]), "death_year": Profile([2], [9])}
    path = tmp_path / "p.tsv"
    path.write_text(format_profile_tsv(profiles))
    assert read_profile_tsv(str(path)) == profiles


@pytest.mark.parametrize("text, where", [
    ("1\t2\n2\tx\n", ":2:"),
    ("1\t2\t3\t4\n", ":1:"),
    ("1\t2\nc\t1\t2\n", ":2:"),
    ("0\t5\n", ":1:"),
])
def test_profile_tsv_errors_name_the_line(tmp_path, text, where):
    path = tmp_path / "bad.tsv"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        read_profile_tsv(str(path))
    assert f"bad.tsv{where}" in str(err.value)


def test_profile_tsv_missing_and_empty(tmp_path):
    with pytest.raises(FloorError, match="no such file"):
        read_profile_tsv(str(tmp_path / "nope.tsv"))
    (tmp_path / "empty.tsv").write_text("# nothing\n")
    with pytest.raises(InputError, match="no rows"):
        read_profile_tsv(str(tmp_path / "empty.tsv"))
