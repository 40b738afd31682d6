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


@pytest.mark.parametrize("header", ["count\tfacts", "COUNT\tFacts", "k\tf_k"])
def test_profile_tsv_header_is_recognized_by_its_names(tmp_path, header):
    path = tmp_path / "p.tsv"
    path.write_text(f"{header}\n1\t10\n2\t3\n")
    assert read_profile_tsv(str(path)) == {"all": Profile([1, 2], [10, 3])}


def test_profile_tsv_reads_its_own_format_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + format_profile_tsv({"birth_date": Profile([1, 3], [4, 1])}).encode())
    assert read_profile_tsv(str(path)) == {"birth_date": Profile([1, 3], [4, 1])}


def test_profile_tsv_first_row_in_awk_notation_is_data_not_a_header(tmp_path):
    # awk prints 1000000 as 1e+06; the singleton row usually comes first and must not be taken for a header
    path = tmp_path / "p.tsv"
    path.write_text("1\t1e+06\n2\t250000\n3\t1.0E5\n4\t500.0\n")
    (p,) = read_profile_tsv(str(path)).values()
    assert p == Profile([1, 2, 3, 4], [1_000_000, 250_000, 100_000, 500])
    assert (p.mentions, p.singletons) == (1_000_000 + 500_000 + 300_000 + 2_000, 1_000_000)


@pytest.mark.parametrize("row, reason", [
    ("1\t500.5", "facts must be a whole number >= 0 (such as 12, 500.0 or 1e+06), got '500.5'"),
    ("1\tnan", "got 'nan'"),
    ("1\tinf", "got 'inf'"),
    ("1\t-5", "got '-5'"),
    ("1\t", "got ''"),
    ("1\t²", "got '²'"),
    ("1\t٣", "got '٣'"),
    ("1\t1_000", "got '1_000'"),
    ("1\t1e-3", "got '1e-3'"),
    ("-1\t5", "count must be a whole number >= 1"),
    ("0.0\t5", "count must be >= 1, got 0.0"),
    ("1\t1e19", "facts 1e19 is beyond 2^63 - 1"),
    ("1e400\t1", "count 1e400 is beyond 2^63 - 1"),
    ("\t1\t5", "the category is empty"),
    ("foo\tbar", "count must be a whole number >= 1 (such as 12, 500.0 or 1e+06), got 'foo'; a header row names its "
                 "columns: count<TAB>facts or category<TAB>count<TAB>facts"),
])
@pytest.mark.parametrize("position", ["first", "later"])
def test_profile_tsv_refuses_what_is_not_a_whole_number_at_its_line(tmp_path, row, reason, position):
    path = tmp_path / "bad.tsv"
    lines = [row, "2\t3"] if position == "first" else ["count\tfacts", "2\t3", row]
    if row.count("\t") == 2:
        lines = [row, "c\t2\t3"] if position == "first" else ["category\tcount\tfacts", "c\t2\t3", row]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        read_profile_tsv(str(path))
    line = 1 if position == "first" else 3
    message = str(err.value)
    if position == "later":  # only a first row can have been meant as a header
        reason = reason.split("; a header")[0]
        assert "header" not in message
    assert message.startswith(f"{path}:{line}: ") and reason in message


def test_profile_tsv_header_is_only_the_first_row(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("count\tfacts\n1\t5\ncount\tfacts\n")
    with pytest.raises(InputError, match=r"p.tsv:3: count must be a whole number >= 1 .* got 'count'"):
        read_profile_tsv(str(path))


def test_profile_tsv_refuses_more_mentions_than_float64_holds_exactly(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text(f"a\t1\t{2**52}\nb\t1\t{2**52}\n")  # N = 2^53 exactly: the largest accepted
    assert sum(p.mentions for p in read_profile_tsv(str(path)).values()) == 2**53
    path.write_text(f"a\t1\t{2**52}\nb\t1\t{2**52}\nb\t2\t1\n")  # the pooled group would reach 2^53 + 2
    with pytest.raises(InputError, match=r"p.tsv:3: the mentions of the rows so far .* reach 9,007,199,254,740,994, "
                                         r"beyond 2\^53"):
        read_profile_tsv(str(path))


@pytest.mark.parametrize("text, line", [
    ("all\t1\t5\nbirth_year\t1\t3\n", 2),
    ("birth_year\t1\t5\nall\t1\t3\n", 2),
    ("birth_year\t1\t5\ndeath_year\t2\t1\nall\t1\t3\n", 3),
])
def test_profile_tsv_refuses_a_category_all_beside_others(tmp_path, text, line):
    # The report pools several categories into 'all': a category of that name would be a second 'all' group.
    path = tmp_path / "p.tsv"
    path.write_text(text)
    with pytest.raises(InputError, match=rf"p.tsv:{line}: the category 'all' names the pooled group"):
        read_profile_tsv(str(path))


def test_profile_tsv_category_all_alone_is_the_plain_profile(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text(format_profile_tsv({"all": Profile([1, 2], [5, 3])}))
    assert read_profile_tsv(str(path)) == {"all": Profile([1, 2], [5, 3])}


def test_mentions_are_exact_beyond_int64():
    """N of counts near 2^62 is their exact sum, never an int64 that wrapped around (and so passed for small)."""
    profile = Profile.from_mapping({2**62 + 1: 3})
    assert profile.mentions == 3 * (2**62 + 1)
