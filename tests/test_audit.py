"""The extraction audit: the sample sheet `floor extract --sample` writes, and what `floor audit` makes of it."""

import csv
import io
import json

import numpy as np
import pytest

from floor.extract.categories import pooled as pooled_categories
from scipy.stats import binomtest

import floor
from floor.audit import (SHEET_COLUMNS, Checked, context, corrected_interval, corrected_singleton_rate,
                         parse_correct, parse_sheet, summarize, wilson_interval)
from floor.errors import FloorError, InputError

from .test_cli import BIO, BIO2, invoke, write_jsonl


def sheet(rows, columns=SHEET_COLUMNS):
    """CSV text of a sheet; each row a (category, fact_mentions, N, f1, correct) tuple, other columns filled."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for category, fact_mentions, mentions, singletons, correct in rows:
        values = dict(category=category, entity="Ada Lovelace", value="1815", subject="local", doc_id="d1",
                      input="c.jsonl", context="[[Ada Lovelace (1815]]", fact_mentions=fact_mentions,
                      category_mentions=mentions, category_singletons=singletons, correct=correct)
        writer.writerow([values[c] for c in columns])
    return out.getvalue()


def by_category(document):
    return {g["category"]: g for g in document["groups"]}


# --- the estimators ---------------------------------------------------------------------------------------------

def test_wilson_interval_of_45_of_50_by_hand():
    # p = 0.9, n = 50, z = 1.959963984540054, z² = 3.8414588206941254
    # 1 + z²/n = 1.0768291764138824; p + z²/(2n) = 0.9384145882069412 -> centre = 0.8714609603466565
    # p(1-p)/n + z²/(4n²) = 0.0018 + 0.00038414588206941 = 0.0021841458820694125, sqrt = 0.04673484655018579
    # halfwidth = z/1.0768291764138824 · 0.04673484655018579 = 0.08506327472145307
    low, high = wilson_interval(45, 50)
    assert low == pytest.approx(0.8714609603466565 - 0.08506327472145307, abs=1e-12)  # 0.78639768...
    assert high == pytest.approx(0.8714609603466565 + 0.08506327472145307, abs=1e-12)  # 0.95652423...


@pytest.mark.parametrize("successes, trials", [(45, 50), (0, 1), (1, 1), (0, 20), (20, 20), (3, 7), (512, 1000)])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_interval_agrees_with_scipy(successes, trials, confidence):
    expected = binomtest(successes, trials).proportion_ci(confidence_level=confidence, method="wilson")
    assert wilson_interval(successes, trials, confidence) == pytest.approx((expected.low, expected.high), abs=1e-12)


def test_wilson_interval_needs_a_trial():
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


def test_corrected_singleton_rate_by_hand():
    # N = 100, f1 = 20; 2 of 10 checked mentions false, one of them a singleton: q = 0.2, q1 = 0.1
    # (20 - 100·0.1) / (100·0.8) = 10/80
    assert corrected_singleton_rate(20, 100, 0.2, 0.1) == 0.125
    assert corrected_singleton_rate(20, 100, 0.0, 0.0) == 0.2  # nothing false: the measured rate
    assert corrected_singleton_rate(20, 100, 0.5, 0.5) == 0.0  # more false singletons than f1 leaves: clamped
    assert corrected_singleton_rate(90, 100, 0.5, 0.0) == 1.0  # clamped above
    assert corrected_singleton_rate(20, 100, 1.0, 0.3) is None  # every mention false: no true facts to rate


def test_corrected_interval_of_an_all_correct_sample_is_the_measured_rate():
    assert corrected_interval(20, 100, right=30, false_singletons=0, false_others=0) == (0.2, 0.2)


def test_corrected_interval_matches_a_bootstrap_of_rows():
    # The multinomial draw of the three kinds of rows is a bootstrap of the rows: compare with resampling the
    # rows themselves (another random stream, so the quantiles agree only to Monte Carlo error).
    singletons, mentions = 300, 1000
    rows = np.array([0] * 40 + [1] * 6 + [2] * 4)  # correct, false singleton, false other
    draws = np.random.default_rng(99).choice(rows, size=(20000, rows.size))
    q, q1 = (draws > 0).mean(axis=1), (draws == 1).mean(axis=1)
    rates = np.clip((singletons - mentions * q1) / (mentions * (1 - q)), 0, 1)
    expected = np.quantile(rates, [0.025, 0.975])
    low, high = corrected_interval(singletons, mentions, 40, 6, 4, replicates=20000, seed=5)
    assert (low, high) == pytest.approx(tuple(expected), abs=0.01)
    assert low < corrected_singleton_rate(singletons, mentions, 10 / 50, 6 / 50) < high
    assert corrected_interval(singletons, mentions, 40, 6, 4, seed=5) == corrected_interval(
        singletons, mentions, 40, 6, 4, seed=5)


@pytest.mark.parametrize("text, expected", [("y", True), (" YES ", True), ("1", True), ("True", True),
                                            ("n", False), ("No", False), ("0", False), (" FALSE", False),
                                            ("", None), ("   ", None)])
def test_parse_correct(text, expected):
    assert parse_correct(text) is expected


def test_context_marks_the_span_and_line_breaks():
    assert context("abc\nDEF ghi", 4, 7, chars=2) == "…c⏎[[DEF]] g…"
    assert context("DEF\r\nx", 0, 3) == "[[DEF]]⏎x"


# --- the checked sheet ------------------------------------------------------------------------------------------

HAND_SHEET = [  # birth_year: N = 100, f1 = 20; death_year: N = 50, f1 = 5
    *[("birth_year", 4, 100, 20, "y")] * 8,
    ("birth_year", 1, 100, 20, "n"),   # a false singleton
    ("birth_year", 3, 100, 20, " NO "),  # false, stated thrice
    ("birth_year", 1, 100, 20, ""),    # not reviewed
    ("birth_year", 2, 100, 20, "  "),  # not reviewed
    *[("death_year", 1, 50, 5, "1")] * 5,
]


def test_summary_of_a_hand_computed_sheet():
    document = summarize(parse_sheet(sheet(HAND_SHEET)), seed=1)
    assert document["schema"] == "floor.audit/1"
    groups = by_category(document)
    birth = groups["birth_year"]
    assert (birth["rows"], birth["reviewed"], birth["unreviewed"], birth["correct"]) == (12, 10, 2, 8)
    assert birth["precision"] == 0.8
    assert birth["precision_interval"] == pytest.approx(list(wilson_interval(8, 10)))
    assert (birth["false_share"], birth["false_singleton_share"]) == (0.2, 0.1)
    assert birth["singleton_rate"] == 0.2
    assert birth["corrected_singleton_rate"] == 0.125  # (20 - 100·0.1) / (100·0.8)
    low, high = birth["corrected_interval"]
    assert 0 <= low <= 0.125 <= high <= 1
    assert groups["death_year"]["corrected_singleton_rate"] == 0.1  # all correct: f1/N
    pooled = groups["all"]
    # N = 150, f1 = 25; 15 reviewed, 2 false, 1 false singleton: (25 - 150/15) / (150·13/15) = 15/130
    assert (pooled["mentions"], pooled["singletons"], pooled["reviewed"], pooled["unreviewed"]) == (150, 25, 15, 2)
    assert pooled["precision"] == pytest.approx(13 / 15)
    assert pooled["corrected_singleton_rate"] == pytest.approx(15 / 130)


def test_a_category_with_no_row_reviewed_has_no_estimates():
    document = summarize(parse_sheet(sheet([("birth_year", 1, 10, 2, "y"), ("death_year", 1, 10, 3, "")])))
    death = by_category(document)["death_year"]
    assert (death["reviewed"], death["unreviewed"], death["precision"], death["corrected_interval"]) == (0, 1, None, None)
    assert death["singleton_rate"] == 0.3


def test_a_sheet_with_nothing_reviewed_is_refused():
    with pytest.raises(FloorError, match="no row is checked"):
        summarize(parse_sheet(sheet([("birth_year", 1, 10, 2, "")])))


def test_a_spreadsheet_byte_order_mark_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + sheet([("birth_year", 1, 10, 2, "y")]).replace("\n", "\n\n").encode())
    assert floor.audit(path)["groups"][0]["correct"] == 1


@pytest.mark.parametrize("text, line, message", [
    ("", 1, "empty sheet"),
    (sheet([("birth_year", 1, 10, 2, "y"), ("birth_year", 1, 10, 2, "maybe")]), 3, "correct must be y/n"),
    (sheet([("birth_year", 1, 10, 2, "y")], columns=SHEET_COLUMNS[:-1]), 1, "missing column correct"),
    (sheet([("birth_year", 1, 10, 2, "y")]) + 'birth_year,"Ada" x,1\n', 3, "malformed CSV"),
    (sheet([("birth_year", 1, 10, 2, "y")]) + "birth_year,Ada\n", 3, "2 fields where the header has 11"),
    (sheet([("birth_year", 1, 10, 2, "y"), ("birth_year", "two", 10, 2, "y")]), 3, "fact_mentions must be a whole"),
    (sheet([("birth_year", 1, 10, 2, "y"), ("birth_year", 1, 10, 3, "y")]), 3, "differ from line 2"),
    (sheet([("birth_year", 11, 10, 2, "y")]), 2, "cannot hold together"),
    (sheet([("birth_year", 1, 10, 0, "y")]), 2, "cannot hold together"),  # a singleton in a category with none
])
def test_a_bad_sheet_is_one_error_naming_its_line(tmp_path, text, line, message):
    path = tmp_path / "audit.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        floor.audit(path)
    assert caught.value.location == line
    result = invoke("audit", path)
    assert result.exit_code == 2
    assert result.output.startswith(f"floor: error: {path}:{line}: ") and result.output.count("\n") == 1


def test_a_sheet_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "audit.csv"
    path.write_bytes(sheet([("birth_year", 1, 10, 2, "y")]).encode() + b"birth_year,M\xfcller\n")
    result = invoke("audit", path)
    assert result.exit_code == 2 and f"{path}:3: not UTF-8" in result.output


# --- the sample --------------------------------------------------------------------------------------------------

@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(tmp_path / "c.jsonl", [{"id": "d1", "text": BIO}, {"id": "d2", "text": BIO2}])


def test_sample_holds_every_mention_with_its_counts_when_n_exceeds_them(corpus):
    sample = floor.sample_mentions([str(corpus)], 100)
    rows = sample.rows()
    # d1: birth/death date and year of Ada; d2: Ada's birth date, year and place, Babbage's birth year
    assert sample.mentions == len(rows) == 8
    facts = {(r["category"], r["entity"], r["value"], r["doc_id"]): r for r in rows}
    ada_born = facts[("birth_date", "Ada Lovelace", "1815-12-10", "d2")]
    assert ada_born["fact_mentions"] == 2  # stated in d1 and d2
    assert (ada_born["category_mentions"], ada_born["category_singletons"]) == (2, 0)
    babbage = facts[("birth_year", "Charles Babbage", "1791", "d2")]
    assert (babbage["fact_mentions"], babbage["category_mentions"], babbage["category_singletons"]) == (1, 3, 1)
    assert babbage["context"].count("[[") == 1 and "[[Charles Babbage (b. 1791]]" in babbage["context"]
    assert babbage["subject"] == "local" and babbage["input"] == str(corpus) and babbage["correct"] == ""


def test_a_mention_is_a_fact_as_floor_counts_it_in_a_document(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "d1", "text": "Charles Babbage (b. 1791) met Ada. "
                                                                     "Charles Babbage (b. 1791) built engines."}])
    assert [r["fact_mentions"] for r in floor.sample_mentions([str(path)], 10).rows()] == [1]
    rows = floor.sample_mentions([str(path)], 10, unit="mention").rows()
    assert [r["fact_mentions"] for r in rows] == [2, 2] and rows[0]["context"] != rows[1]["context"]


def test_sample_is_the_first_rows_of_a_larger_one_and_depends_on_the_seed(sharded_corpus):
    shards = sorted(str(p) for p in sharded_corpus.iterdir())
    every = floor.sample_mentions(shards, 10**9, seed=3)
    rows = every.rows()
    assert len(rows) == every.mentions > 1000
    assert floor.sample_mentions(shards, 50, seed=3).rows() == rows[:50]  # bottom-k: the 50 smallest priorities
    assert floor.sample_mentions(shards[::-1], 50, seed=3).rows() == rows[:50]  # in any input order
    other = floor.sample_mentions(shards, 50, seed=4).rows()
    assert len({(r["doc_id"], r["category"], r["entity"], r["value"]) for r in other}
               & {(r["doc_id"], r["category"], r["entity"], r["value"]) for r in rows[:50]}) < 10
    report = floor.run(shards, workers=1)
    counted = {g["category"]: (g["mentions"], g["singletons"]) for g in report["groups"]}
    assert {(r["category"], r["category_mentions"], r["category_singletons"]) for r in rows} == {
        (category, n, f1) for category, (n, f1) in counted.items() if category != "all"}


def test_a_fraction_of_facts_cannot_be_audited(corpus):
    with pytest.raises(FloorError, match="counts every fact"):
        floor.sample_mentions([str(corpus)], 10, sample_rate=0.5)


# --- the commands end to end ------------------------------------------------------------------------------------

def test_extract_sample_then_audit(corpus, tmp_path):
    target = tmp_path / "audit.csv"
    result = invoke("extract", corpus, "--sample", 5, "--seed", 2, "-o", target)
    assert result.exit_code == 0, result.output
    assert "sampled 5 of 8 mentions" in result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 5 and list(rows[0]) == list(SHEET_COLUMNS)
    assert rows == [{k: str(v) for k, v in r.items()} for r in floor.sample_mentions([str(corpus)], 5, seed=2).rows()]
    for i, row in enumerate(rows):
        row["correct"] = "y" if i else "n"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, SHEET_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    table = invoke("audit", target)
    assert table.exit_code == 0 and "Wilson" in table.output and "corrected sr" in table.output
    document = json.loads(invoke("audit", target, "--json", "-").output)
    assert document["schema"] == "floor.audit/1"
    written = invoke("audit", target, "--json", tmp_path / "audit.json")
    assert "Wilson" in written.output and json.loads((tmp_path / "audit.json").read_text()) == document
    pooled = document["groups"][-1]
    # the pooled group reads the rows of the categories it pools (a full date is there as its year)
    pools = pooled_categories({row["category"] for row in rows})
    kept = [row for row in rows if row["category"] in pools]
    right = sum(row["correct"] == "y" for row in kept)
    assert pooled["pools"] == list(pools) and len(kept) < len(rows)
    assert (pooled["reviewed"], pooled["correct"]) == (len(kept), right)
    assert pooled["precision_interval"] == pytest.approx(list(wilson_interval(right, len(kept))))


def test_extract_sample_says_when_it_holds_every_mention(corpus, tmp_path):
    result = invoke("extract", corpus, "--sample", 10, "-o", tmp_path / "audit.csv")
    assert result.exit_code == 0 and "all 8 mentions found, fewer than the 10 asked for" in result.output
    assert len((tmp_path / "audit.csv").read_text(encoding="utf-8").splitlines()) == 9


def test_extract_sample_of_bad_input_leaves_no_sheet(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "d1", "text": BIO}) + "\n{not json\n", encoding="utf-8")
    result = invoke("extract", bad, "--sample", 5, "-o", tmp_path / "audit.csv")
    assert result.exit_code == 2 and f"{bad}:2" in result.output
    assert not (tmp_path / "audit.csv").exists()


def test_seed_without_sample_is_refused(corpus, tmp_path):
    result = invoke("extract", corpus, "--seed", 3, "-o", tmp_path / "f.jsonl")
    assert result.exit_code == 2 and "--seed is the seed of --sample" in result.output
