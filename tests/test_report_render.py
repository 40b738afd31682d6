"""Tables of reports and predictions: terminal text, Markdown, LaTeX and CSV carry the document's numbers."""

from __future__ import annotations

import csv
import io

import pytest

from floor.errors import FloorError
from floor.report import format_csv, format_table
from floor.report.render import latex_escape

REPORT = {
    "schema": "floor.report/1",
    "unit": "document",
    "params": {"confidence": 0.95, "interval": "esty", "delta": 0.0},
    "groups": [
        {"category": "birth_date", "domain": None, "mentions": 27963, "distinct_facts": 7753, "singletons": 5071,
         "doubletons": 1111, "singleton_rate": 0.18134677, "ci_low": 0.1758, "ci_high": 0.18689,
         "theorem2_floor": 0.0, "answer_space": 364, "conflicting_entities": None,
         "theorem2": {"note": "the finite-sample term 0.577 exceeds sr 0.181 at N = 27,963, so the floor is 0"}},
    ],
    "skipped": {"total": 3, "by_reason": {"malformed_json": 3}},
}

PREDICTION = {
    "schema": "floor.prediction/1",
    "predictions": [
        {"category": "birth_place", "domain": None, "scale": 2.0, "size": 38690.0, "method": "npmle",
         "singleton_rate": 0.14721, "coverage": 0.85279, "new_facts": 3395.2, "distinct_facts": 9431.2,
         "ci_low": 0.1373, "ci_high": 0.1571, "confidence": 0.95, "warning": None},
        {"category": "birth_place", "domain": None, "scale": 10.0, "size": 193450.0, "method": "good_toulmin",
         "singleton_rate": None, "coverage": None, "new_facts": None, "distinct_facts": None, "ci_low": None,
         "ci_high": None, "confidence": 0.95, "warning": "not estimable: Good–Toulmin diverges for t > 1"},
    ],
    "targets": [{"category": "birth_place", "target_floor": 0.05, "scale": 31.4, "size": 607000.0}],
}


def test_markdown_table_of_a_report():
    assert format_table(REPORT, "markdown").splitlines() == [
        "| category | N | distinct | f1 | f2 | sr | 95% CI | Thm. 2 floor | \\|E\\| | conflicts |",
        "|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| birth_date | 27,963 | 7,753 | 5,071 | 1,111 | 0.1813 | [0.1758, 0.1869] | 0.0000 | 364 | - |",
        "",
        "- sr = f1 / N (facts seen in exactly one document / all mentions); 95% esty interval; "
        "thm2_floor = max(0, sr - 2/|E| - (35 + 6 ln N)/sqrt(N) - delta), delta = 0.0.",
        "- birth_date: the finite-sample term 0.577 exceeds sr 0.181 at N = 27,963, so the floor is 0",
        "- skipped 3 records: malformed_json 3",
    ]


def test_latex_table_of_a_prediction():
    lines = format_table(PREDICTION, "latex").splitlines()
    assert lines[:4] == [
        r"\begin{tabular}{lrlrrrrl}",
        r"\toprule",
        r"category & scale & method & $N$ & sr & 95\% CI & new facts & warning \\",
        r"\midrule",
    ]
    assert lines[4] == r"birth\_place & 2 & npmle & 38,690 & 0.1472 & [0.1373, 0.1571] & 3,395 & - \\"
    assert lines[5] == (r"birth\_place & 10 & good\_toulmin & 193,450 & - & - & - & "
                        r"not estimable: Good–Toulmin diverges for t \textgreater{} 1 \\")
    assert lines[6:] == [r"\bottomrule", r"\end{tabular}",
                         "% birth_place: sr <= 0.05 at about 31.4x the corpus (607,000 mentions)"]


def test_text_table_aligns_numbers_right():
    lines = format_table(PREDICTION).splitlines()
    header, rule, first, second = lines[:4]
    assert header.split() == ["category", "scale", "method", "mentions", "sr", "ci_low", "ci_high", "new_facts",
                              "warning"]
    assert first.split()[:5] == ["birth_place", "2", "npmle", "38,690", "0.1472"]
    assert first.index("38,690") + len("38,690") == second.index("193,450") + len("193,450")


def test_domain_groups_get_a_table_of_their_own():
    pooled = REPORT["groups"][0]
    with_domain = {**REPORT, "groups": [pooled, {**pooled, "domain": "wiki", "pooled_singleton_share": 0.25}]}
    lines = format_table(with_domain, "markdown").splitlines()
    assert lines[0].startswith("| category | N |") and lines[2].startswith(f"| {pooled['category']} |")
    assert lines[4].startswith("| category | domain | N |") and lines[6].startswith(f"| {pooled['category']} | wiki |")
    assert "| 25.0% |" in lines[6]
    assert "domain" not in format_table(REPORT, "markdown")


def test_csv_of_a_prediction_has_one_row_per_prediction():
    rows = list(csv.DictReader(io.StringIO(format_csv(PREDICTION))))
    assert [(r["category"], r["scale"], r["method"], r["singleton_rate"]) for r in rows] == [
        ("birth_place", "2.0", "npmle", "0.14721"), ("birth_place", "10.0", "good_toulmin", "")]
    assert rows[1]["warning"].startswith("not estimable")


def test_csv_of_a_report_has_one_row_per_group():
    (row,) = csv.DictReader(io.StringIO(format_csv(REPORT)))
    assert (row["category"], row["singleton_rate"], row["conflicting_entities"]) == ("birth_date", "0.18134677", "")


def test_latex_escape_prints_every_special_character_literally():
    assert latex_escape(r"a_b & 50% $x #1 {y} ~ ^ \ |E| <>") == (
        r"a\_b \& 50\% \$x \#1 \{y\} \textasciitilde{} \textasciicircum{} \textbackslash{} "
        r"\textbar{}E\textbar{} \textless{}\textgreater{}")


def test_unknown_style_or_schema_is_a_clear_error():
    with pytest.raises(FloorError, match="table style must be one of text, markdown, latex, html"):
        format_table(REPORT, "rst")
    with pytest.raises(FloorError, match="cannot tabulate a 'floor.counts/1' document"):
        format_table({"schema": "floor.counts/1"})


def test_cells_that_would_break_a_table_are_made_safe():
    report = {**REPORT, "groups": [{**REPORT["groups"][0], "category": "[2pt] rel\nnext"}]}
    latex = format_table(report, "latex").splitlines()
    assert latex[4].startswith(r"{}[2pt] rel next & 27,963 &")  # not read as the row spacing of \\midrule
    markdown = format_table(report, "markdown").splitlines()
    assert markdown[2].startswith("| [2pt] rel next | 27,963 |")
    assert "- [2pt] rel next: the finite-sample term" in format_table(report, "markdown")


def test_a_paper_table_takes_a_caption_a_label_and_a_choice_of_columns():
    latex = format_table(REPORT, "latex", columns=["category", "mentions", "sr", "ci_low", "ci_high", "|E|"],
                         caption="Singleton rates (sample)", label="tab:sr").splitlines()
    assert latex[:9] == [
        r"\begin{table}[t]", r"\centering", r"\caption{Singleton rates (sample)}", r"\label{tab:sr}",
        r"\begin{tabular}{lrrrr}", r"\toprule", r"category & $N$ & sr & 95\% CI & $|E|$ \\", r"\midrule",
        r"birth\_date & 27,963 & 0.1813 & [0.1758, 0.1869] & 364 \\"]
    assert latex[9:12] == [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    markdown = format_table(REPORT, "markdown", columns=["sr", "category"], caption="Rates", label="tbl:sr")
    assert markdown.splitlines()[:5] == ["| category | sr |", "|:---|---:|", "| birth_date | 0.1813 |", "",
                                         "Table: Rates {#tbl:sr}"]
    # the terminal table keeps its own headers, the interval in two columns
    assert format_table(REPORT, columns=["sr", "ci_low", "ci_high"]).splitlines()[0].split() == \
        ["sr", "ci_low", "ci_high"]
    with pytest.raises(FloorError, match=r"unknown table column 'N'; the columns are category, domain, mentions"):
        format_table(REPORT, "latex", columns=["N"])
    with pytest.raises(FloorError, match="a caption or label is for a Markdown or LaTeX table"):
        format_table(REPORT, "text", caption="x")


def test_sampled_and_deduplicated_numbers_are_noted():
    sampled = dict(REPORT, params=dict(REPORT["params"], sample_rate=0.25),
                   groups=[dict(REPORT["groups"][0], sampled={"rate": 0.25})])
    assert "- sampled: facts kept at rate 0.25 (by the hash of their key); N, f1, f2 and distinct facts scaled" \
        in format_table(sampled, "markdown")
    deduplicated = dict(REPORT, params=dict(REPORT["params"], dedup="near", dedup_threshold=0.8),
                        groups=[dict(REPORT["groups"][0], dedup={"mentions": 20000, "singletons": 4000,
                                                                 "singleton_rate": 0.2})])
    text = format_table(deduplicated, "latex")
    assert r"& $N$ dedup & $f_1$ dedup & sr dedup \\" in text and "% dedup: each fact counted once per cluster" in text
