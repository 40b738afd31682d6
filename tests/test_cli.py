"""The command line end to end: outputs, exit status 2 with one-line errors, no partial files, skips."""

import gzip
import json
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from floor.cli import main

BIO = "Ada Lovelace (10 December 1815 – 27 November 1852) was a mathematician."
BIO2 = "Ada Lovelace was born on 10 December 1815 in London. Charles Babbage (b. 1791) met her."


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(tmp_path / "c.jsonl", [{"id": "d1", "text": BIO}, {"id": "d2", "text": BIO2}])


def groups(report):
    return {g["category"]: g for g in report["groups"]}


def test_run_writes_report_json_with_schema_keys(corpus, tmp_path):
    result = invoke("run", corpus, "--json", tmp_path / "r.json", "--csv", tmp_path / "r.csv")
    assert result.exit_code == 0, result.output
    assert "birth_date" in result.output and "sr" in result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["schema"] == "floor.report/1"
    for key in ("groups", "skipped", "inputs", "params", "version"):
        assert key in report
    g = groups(report)
    # birth_date 1815-12-10 stated in both documents; death_date only in d1
    assert g["birth_date"]["profile"] == {"2": 1}
    assert g["birth_date"]["singleton_rate"] == 0.0
    assert g["death_date"]["profile"] == {"1": 1}
    assert g["birth_year"]["profile"] == {"1": 1, "2": 1}  # ada 1815 twice, babbage 1791 once
    assert g["birth_year"]["singleton_rate"] == pytest.approx(1 / 3)
    assert g["birth_place"]["profile"] == {"1": 1}
    for group in report["groups"]:
        for key in ("category", "domain", "mentions", "distinct_facts", "singletons", "doubletons",
                    "singleton_rate", "ci_low", "ci_high", "confidence", "theorem2_floor", "answer_space",
                    "conflicting_entities", "profile"):
            assert key in group, key
        assert group["domain"] is None
        assert 0 <= group["ci_low"] <= group["singleton_rate"] <= group["ci_high"] <= 1
    csv_lines = (tmp_path / "r.csv").read_text().splitlines()
    assert csv_lines[0].startswith("category,domain,mentions")
    assert len(csv_lines) == 1 + len(report["groups"])


def test_unit_mention_counts_every_statement(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": BIO + " Ada Lovelace (b. 1815) again."}])
    report = json.loads(invoke("run", corpus, "--unit", "mention", "--json", "-").output)
    assert groups(report)["birth_year"]["profile"] == {"2": 1}
    report = json.loads(invoke("run", corpus, "--json", "-").output)
    assert groups(report)["birth_year"]["profile"] == {"1": 1}


def test_scan_then_estimate_equals_run(corpus, tmp_path):
    direct = json.loads(invoke("run", corpus, "--json", "-").output)
    assert invoke("scan", corpus, "-o", tmp_path / "counts").exit_code == 0
    staged = json.loads(invoke("estimate", tmp_path / "counts", "--json", "-").output)
    assert staged == direct


def test_extract_writes_every_fact_with_span(corpus, tmp_path):
    result = invoke("extract", corpus, "-o", tmp_path / "facts.jsonl")
    assert result.exit_code == 0
    facts = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text().splitlines()]
    found = {(f["doc_id"], f["category"], f["entity"], f["value"]) for f in facts}
    assert ("d1", "death_date", "Ada Lovelace", "1852-11-27") in found
    assert ("d2", "birth_place", "Ada Lovelace", "London") in found
    assert ("d2", "birth_year", "Charles Babbage", "1791") in found
    text = {"d1": BIO, "d2": BIO2}
    for f in facts:
        assert text[f["doc_id"]][f["start"]:f["end"]] == f["text"]


def test_triples_input_round_trips_extract_output(corpus, tmp_path):
    invoke("extract", corpus, "-o", tmp_path / "facts.jsonl")
    facts = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text().splitlines()]
    write_jsonl(tmp_path / "triples.jsonl", [{"doc_id": f["doc_id"], "entity": f["entity"],
                                             "relation": f["category"], "value": f["value"]} for f in facts])
    from_text = json.loads(invoke("run", corpus, "--json", "-").output)
    from_triples = json.loads(invoke("run", tmp_path / "triples.jsonl", "--input-kind", "triples",
                                     "--json", "-").output)
    assert groups(from_triples) == {k: v for k, v in groups(from_text).items()}


def test_triples_tsv_without_doc_id_counts_each_row(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("entity\trelation\tvalue\nAda\tborn_in\tLondon\nada \tborn_in\tlondon\nBob\tborn_in\tParis\n")
    report = json.loads(invoke("run", path, "--input-kind", "triples", "--json", "-").output)
    g = groups(report)["born_in"]
    assert g["profile"] == {"1": 1, "2": 1}
    assert g["answer_space"] == 100  # the documented default for relations the registry does not know


def test_estimate_from_profile_tsv(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("count\tfacts\n1\t12\n2\t4\n3\t3\n")
    report = json.loads(invoke("estimate", "--profile", path, "--json", "-").output)
    (g,) = report["groups"]
    assert (g["category"], g["mentions"], g["singletons"]) == ("all", 29, 12)
    assert g["singleton_rate"] == pytest.approx(12 / 29)


def test_answer_space_and_delta_enter_theorem2(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("1\t500000000\n2\t250000000\n")  # N = 1e9, sr = 0.5
    report = json.loads(invoke("estimate", "--profile", path, "--answer-space", "all=1000", "--delta", "0.1",
                               "--json", "-").output)
    (g,) = report["groups"]
    import math
    n = 1e9
    expected = 0.5 - 2 / 1000 - (35 + 6 * math.log(n)) / math.sqrt(n) - 0.1
    assert g["theorem2_floor"] == pytest.approx(expected, rel=1e-12)
    assert g["answer_space"] == 1000


# --- bad input: one line naming file and line, exit status 2, no partial output ---------------------------------

BAD_FILES = ["malformed.jsonl", "utf8.jsonl", "missing.jsonl", "nonstring.jsonl", "truncated.jsonl.gz", "empty.jsonl"]


def bad_inputs(tmp_path):
    good = json.dumps({"id": "ok", "text": BIO}) + "\n"
    (tmp_path / "malformed.jsonl").write_text(good + '{"text": "unterminated\n')
    (tmp_path / "utf8.jsonl").write_bytes(good.encode() + b'{"text": "caf\xe9"}\n')
    (tmp_path / "missing.jsonl").write_text(good + json.dumps({"body": "x"}) + "\n")
    (tmp_path / "nonstring.jsonl").write_text(good + json.dumps({"text": 42}) + "\n")
    blob = gzip.compress((good * 200).encode())
    (tmp_path / "truncated.jsonl.gz").write_bytes(blob[: len(blob) // 2])
    (tmp_path / "empty.jsonl").write_text("")
    return {
        "malformed.jsonl": ("malformed.jsonl:2", "malformed_json"),
        "utf8.jsonl": ("utf8.jsonl:2", "invalid_utf8"),
        "missing.jsonl": ("missing.jsonl:2", "missing_text_field"),
        "nonstring.jsonl": ("nonstring.jsonl:2", "non_string_text"),
        "truncated.jsonl.gz": ("truncated.jsonl.gz", "truncated_compressed"),
        "empty.jsonl": ("empty.jsonl", "empty_file"),
    }


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_input_fails_with_one_line_and_no_output(tmp_path, name):
    where, _ = bad_inputs(tmp_path)[name]
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run([sys.executable, "-m", "floor", "run", str(tmp_path / name), "--json", str(out / "r.json"),
                           "--csv", str(out / "r.csv")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith("floor: error: ") and where in lines[0]
    assert list(out.iterdir()) == []


def test_bad_input_skipped_and_counted_by_reason(tmp_path):
    cases = bad_inputs(tmp_path)
    result = invoke("run", *[tmp_path / n for n in cases], "--on-error", "skip", "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    by_reason = report["skipped"]["by_reason"]
    for _, kind in cases.values():
        assert by_reason.get(kind, 0) >= 1, kind
    assert by_reason["malformed_json"] == 1 and by_reason["empty_file"] == 1
    assert "skipped" in result.output
    # the good records still count: the "ok" first line of four files, plus what the truncated file held
    assert groups(report)["birth_date"]["mentions"] >= 4


@pytest.mark.parametrize("command", ["scan", "extract"])
def test_failed_scan_and_extract_leave_no_output(tmp_path, command):
    bad_inputs(tmp_path)
    target = tmp_path / "out" / ("counts" if command == "scan" else "facts.jsonl")
    proc = subprocess.run([sys.executable, "-m", "floor", command, str(tmp_path / "malformed.jsonl"), "-o",
                           str(target)], capture_output=True, text=True)
    assert proc.returncode == 2 and "malformed.jsonl:2" in proc.stderr
    assert not target.exists()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize("args, message", [
    (["run", "nope.jsonl"], "nope.jsonl"),
    (["estimate"], "either a COUNTS directory or --profile"),
    (["estimate", "--profile", "p.tsv", "--confidence", "1.5"], "confidence"),
    (["run", "c.jsonl", "--categories", "birth_date,shoe_size"], "shoe_size"),
    (["estimate", "notcounts"], "not a floor counts directory"),
])
def test_usage_errors_are_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "c.jsonl", [{"text": BIO}])
    (tmp_path / "p.tsv").write_text("1\t2\n")
    (tmp_path / "notcounts").mkdir()
    proc = subprocess.run([sys.executable, "-m", "floor", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_bootstrap_replicates_are_exportable_and_seeded(tmp_path):
    import floor
    from floor.profile import Profile
    profiles = {"all": Profile([1, 2, 3, 5], [30, 10, 6, 2])}
    report = floor.estimate(profiles, interval="bootstrap", seed=3, return_replicates=True)
    (group,) = report["groups"]
    replicates = group["bootstrap_replicates"]
    assert replicates == floor.estimate(profiles, interval="bootstrap", seed=3, return_replicates=True)["groups"][0]["bootstrap_replicates"]
    prediction = floor.predict(profiles, [2.0], replicates=40, seed=3, return_replicates=True)
    row = prediction["predictions"][0]
    assert len(row["replicates"]) == 40
    assert row["ci_low"] <= row["singleton_rate"] <= row["ci_high"]


def test_import_and_scan_do_not_import_scipy(corpus):
    """Every scan worker imports floor; SciPy (0.3–0.8 s to import) is loaded only inside the estimators."""
    code = ("import sys, floor; print('scipy.stats' in sys.modules); "
            f"floor.scan([{str(corpus)!r}], workers=2); print(any(m.split('.')[0] == 'scipy' for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]


# --- bootstrap replicates as CSV (--replicates-out) ----------------------------------------------------------------

PROFILE_TSV = ("category\tcount\tfacts\nbirth_date\t1\t30\nbirth_date\t2\t10\nbirth_date\t3\t6\nbirth_date\t5\t2\n"
               "death_date\t1\t12\ndeath_date\t2\t5\ndeath_date\t4\t3\n")


@pytest.fixture
def profile_tsv(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text(PROFILE_TSV)
    return path


def read_csv(path):
    import csv
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_estimate_replicates_out_reproduces_the_bootstrap_interval(profile_tsv, tmp_path):
    import numpy as np
    out = tmp_path / "out"
    result = invoke("estimate", "--profile", profile_tsv, "--interval", "bootstrap", "--seed", 3, "--confidence", 0.9,
                    "--json", out / "r.json", "--replicates-out", out / "reps.csv")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["r.json", "reps.csv"]  # no temporary file left behind
    report = json.loads((out / "r.json").read_text())
    rows = read_csv(out / "reps.csv")
    assert list(rows[0]) == ["category", "domain", "method", "seed", "replicate", "singletons", "doubletons",
                             "singleton_rate", "missing_mass"]
    for group in report["groups"]:  # birth_date, death_date, all
        mine = [r for r in rows if r["category"] == group["category"]]
        assert len(mine) == 200  # the default number of replicates
        assert [int(r["replicate"]) for r in mine] == list(range(200))
        assert {(r["method"], r["seed"], r["domain"]) for r in mine} == {("bootstrap", "3", "")}
        f1 = np.array([int(r["singletons"]) for r in mine])
        sr_star = np.array([float(r["singleton_rate"]) for r in mine])
        assert np.array_equal(sr_star, f1 / group["mentions"])
        assert all(int(r["doubletons"]) >= 0 for r in mine)
        # the interval is sr + the (R+1)·α/2-th order statistics of M* − sr*, clipped and containing sr
        err = np.array([float(r["missing_mass"]) for r in mine]) - sr_star
        low, high = np.quantile(err, [0.05, 0.95], method="weibull")
        sr = group["singleton_rate"]
        assert group["ci_low"] == max(0.0, min(sr + low, sr))
        assert group["ci_high"] == min(1.0, max(sr + high, sr))


def test_replicates_out_is_seeded(profile_tsv, tmp_path):
    def replicates(seed, name):
        assert invoke("estimate", "--profile", profile_tsv, "--interval", "bootstrap", "--seed", seed,
                      "--replicates-out", tmp_path / name).exit_code == 0
        return (tmp_path / name).read_text()

    assert replicates(7, "a.csv") == replicates(7, "b.csv")
    assert replicates(7, "a.csv") != replicates(8, "c.csv")


def test_run_replicates_out(corpus, tmp_path):
    result = invoke("run", corpus, "--interval", "bootstrap", "--json", tmp_path / "r.json",
                    "--replicates-out", tmp_path / "reps.csv")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    rows = read_csv(tmp_path / "reps.csv")
    # every group of the report has its 200 replicates
    assert sorted({r["category"] for r in rows}) == sorted(g["category"] for g in report["groups"])
    assert len(rows) == 200 * len(report["groups"])


@pytest.mark.parametrize("args", [
    ["estimate", "--profile", "p.tsv", "--replicates-out", "out/reps.csv"],
    ["estimate", "--profile", "p.tsv", "--interval", "mcallester-ortiz", "--replicates-out", "out/reps.csv"],
    ["run", "nope.jsonl", "--replicates-out", "out/reps.csv"],  # refused before any input is read
    ["predict", "--profile", "p.tsv", "--replicates", "0", "--replicates-out", "out/reps.csv"],
])
def test_replicates_out_usage_errors(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.tsv").write_text(PROFILE_TSV)
    proc = subprocess.run([sys.executable, "-m", "floor", *args], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("floor: error: --replicates-out needs --")
    assert not (tmp_path / "out").exists()


def test_predict_replicates_out_reproduces_the_prediction_intervals(profile_tsv, tmp_path):
    import math

    import numpy as np
    result = invoke("predict", "--profile", profile_tsv, "--scale", "0.5,2", "--replicates", 30, "--seed", 4,
                    "--json", tmp_path / "p.json", "--replicates-out", tmp_path / "reps.csv")
    assert result.exit_code == 0, result.output
    prediction = json.loads((tmp_path / "p.json").read_text())
    rows = read_csv(tmp_path / "reps.csv")
    assert list(rows[0]) == ["category", "domain", "scale", "size", "method", "seed", "replicate", "singletons",
                             "doubletons", "predicted_singleton_rate", "corpus_variance"]
    with_interval = [p for p in prediction["predictions"] if p["ci_low"] is not None]
    assert len(rows) == 30 * len(with_interval)
    replicate_profiles = {}
    for p in with_interval:
        mine = [r for r in rows if (r["category"], float(r["scale"]), r["method"]) ==
                (p["category"], p["scale"], p["method"])]
        assert len(mine) == 30 and {r["seed"] for r in mine} == {"4"}
        # one bootstrap draw per category: every row of a category re-estimates the same replicates
        pairs = [(r["singletons"], r["doubletons"]) for r in mine]
        assert replicate_profiles.setdefault(p["category"], pairs) == pairs
        rates = np.array([float(r["predicted_singleton_rate"]) for r in mine])
        variance = float(mine[0]["corpus_variance"])
        assert variance == p["corpus_variance"] > 0
        half = 1.959963984540054 * math.sqrt(float(np.var(rates, ddof=1)) + variance)
        point = p["singleton_rate"]
        assert p["ci_low"] == pytest.approx(max(0.0, point - half), rel=1e-12, abs=1e-15)
        assert p["ci_high"] == pytest.approx(min(1.0, point + half), rel=1e-12)


def test_tables_and_figures_for_papers(profile_tsv, tmp_path):
    out = tmp_path / "out"
    result = invoke("estimate", "--profile", profile_tsv, "--markdown", out / "r.md", "--latex", out / "r.tex",
                    "--plot", out / "r.pdf", "--json", out / "r.json")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "r.json").read_text())
    first = report["groups"][0]
    markdown = (out / "r.md").read_text().splitlines()
    assert markdown[0].startswith("| category | N |") and markdown[1].startswith("|:---|---:|")
    assert markdown[2].startswith(f"| {first['category']} | {first['mentions']:,} |")
    assert f"| {first['singleton_rate']:.4f} | [{first['ci_low']:.4f}, {first['ci_high']:.4f}] |" in markdown[2]
    latex = (out / "r.tex").read_text().splitlines()
    assert latex[0].startswith(r"\begin{tabular}{l") and r"\end{tabular}" in latex
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF")
    result = invoke("predict", "--profile", profile_tsv, "--scale", "2,10", "--replicates", 0, "--markdown", "-",
                    "--plot", out / "p.png")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("| category | scale | method |")  # the Markdown, not the text table
    assert (out / "p.png").read_bytes().startswith(b"\x89PNG")
    result = invoke("estimate", "--profile", profile_tsv, "--latex", "-", "--columns", "category,sr,ci_low,ci_high",
                    "--caption", "Rates", "--label", "tab:rates")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:7] == [r"\begin{table}[t]", r"\centering", r"\caption{Rates}",
                                              r"\label{tab:rates}", r"\begin{tabular}{lrr}", r"\toprule",
                                              r"category & sr & 95\% CI \\"]
    for args, message in ((["--columns", "sr,N"], "unknown table column 'N'"),
                          (["--caption", "Rates"], "--caption and --label are for a table in a paper")):
        bad = invoke("estimate", "--profile", profile_tsv, *args)
        assert bad.exit_code == 2 and message in bad.output


def test_predict_csv_has_one_row_per_prediction(profile_tsv, tmp_path):
    result = invoke("predict", "--profile", profile_tsv, "--scale", "2", "--replicates", 0, "--csv", tmp_path / "p.csv",
                    "--json", tmp_path / "p.json")
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "p.csv").read_text().splitlines()
    predictions = json.loads((tmp_path / "p.json").read_text())["predictions"]
    assert rows[0].startswith("category,domain,scale,size,method,singleton_rate")
    assert len(rows) == 1 + len(predictions)
    assert rows[1].startswith(f"{predictions[0]['category']},,2.0,")


@pytest.mark.parametrize("args, message", [
    (["--json", "-", "--csv", "-"], "only one output can go to stdout, not --json and --csv"),
    (["--plot", "-"], "--plot needs a file name: a figure is not written to stdout"),
    (["--csv", "out/r.csv", "--plot", "out/r.figure"], "out/r.figure: cannot tell the figure format from its suffix"),
    (["--plot", "out/r.pgf"], "out/r.pgf: cannot tell the figure format from its suffix"),  # pgf needs LaTeX
    (["--interval", "bootstrap", "--json", "-", "--replicates-out", "-"],
     "only one output can go to stdout, not --json and --replicates-out"),
    (["--json", "out/r.json", "--markdown", "out/../out/r.json"], "two outputs are given the same file"),
    (["--json", "out/r.json", "--latex", "p.tsv/r.tex"], "p.tsv/r.tex: cannot write (Not a directory)"),
])
def test_bad_output_options_fail_before_writing_anything(profile_tsv, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)  # profile_tsv is p.tsv here
    result = CliRunner().invoke(main, ["estimate", "--profile", str(profile_tsv), *args])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith(f"floor: error: {message}")
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


def test_nothing_to_plot_writes_no_other_output(tmp_path):
    corpus = write_jsonl(tmp_path / "plain.jsonl", [{"text": "No biography here."}])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(corpus), "-q", "--json", str(out / "r.json"), "--markdown",
                                       str(out / "r.md"), "--plot", str(out / "r.png")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == "floor: error: nothing to plot: no group has a singleton rate"
    assert not out.exists() or not list(out.iterdir())


def test_outputs_get_the_usual_file_mode(profile_tsv, tmp_path):
    result = invoke("estimate", "--profile", profile_tsv, "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o666 & ~mask


def test_split_mib_splits_a_large_file_and_changes_nothing_else(tmp_path):
    records = [{"id": f"d{i}", "text": f"{BIO} {BIO2} " + "filler " * 20000} for i in range(30)]
    corpus = write_jsonl(tmp_path / "big.jsonl", records)  # about 4.3 MiB
    whole = invoke("run", corpus, "-q", "--workers", 1, "--json", tmp_path / "whole.json")
    split = invoke("run", corpus, "-q", "--workers", 2, "--split-mib", 1, "--json", tmp_path / "split.json")
    assert whole.exit_code == split.exit_code == 0, split.output
    assert json.loads((tmp_path / "whole.json").read_text()) == json.loads((tmp_path / "split.json").read_text())
    result = invoke("scan", corpus, "-q", "--split-mib", 1, "-o", tmp_path / "counts")
    assert result.exit_code == 0, result.output
    metas = [json.loads(p.read_text()) for p in (tmp_path / "counts" / "parts").glob("*/part.json")]
    assert sorted(m["split"]["index"] for m in metas) == list(range(len(metas))) and len(metas) >= 4


# --- profiles as tools write them --------------------------------------------------------------------------------

def test_estimate_profile_whose_first_row_awk_wrote_keeps_that_row(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("1\t1e+06\n2\t250000\n3\t100000\n")  # awk's print of 1000000
    result = invoke("estimate", "--profile", path, "--json", "-")
    assert result.exit_code == 0, result.output
    (g,) = json.loads(result.output)["groups"]
    assert (g["mentions"], g["singletons"], g["doubletons"]) == (1_800_000, 1_000_000, 250_000)
    assert g["singleton_rate"] == pytest.approx(1_000_000 / 1_800_000, rel=1e-15)


@pytest.mark.parametrize("row", ["1\t500.5", "1\tnan", "1\t-5", "1\t", "1\t1e19"])
def test_estimate_profile_with_a_bad_first_row_names_its_line(tmp_path, row):
    path = tmp_path / "p.tsv"
    path.write_text(f"{row}\n2\t250000\n")
    result = CliRunner().invoke(main, ["estimate", "--profile", str(path)])
    assert result.exit_code == 2 and result.output.startswith(f"floor: error: {path}:1: ")


# --- options: one line, exit status 2, nothing written -----------------------------------------------------------

def one_line_error(result, message):
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("floor: error: ") and message in lines[0], result.output


KNOWN = "known: all, birth_date, birth_place, birth_year, death_date, death_place, death_year"


@pytest.mark.parametrize("args, message", [
    (["estimate", "--profile", "p.tsv", "--answer-space", "birth_dat=5"],
     f"answer space given for unknown category birth_dat; {KNOWN}"),
    (["estimate", "--profile", "p.tsv", "--answer-space", "all=5,brith_year=3,birth_dat=4"],
     "unknown categories birth_dat, brith_year; known"),
    (["estimate", "--profile", "p.tsv", "--answer-space", "=5"], "expected CATEGORY=SIZE"),
    (["estimate", "--profile", "p.tsv", "--answer-space", "all=²"], "expected CATEGORY=SIZE"),
    (["run", "c.jsonl", "--answer-space", "birth_dat=5"], "unknown category birth_dat; known: birth_date,"),
    (["run", "c.jsonl", "--answer-space", "all=5"], "the pooled group 'all' takes the smallest answer space"),
    (["estimate", "--profile", "p.tsv", "--json", ""], "--json needs a file name ('-' for stdout), not an empty one"),
    (["estimate", "--profile", "p.tsv", "--csv", "", "--json", "out/r.json"], "--csv needs a file name"),
    (["predict", "--profile", "p.tsv", "--plot", ""], "--plot needs a file name"),
    (["extract", "c.jsonl", "-o", ""], "-o needs a file name"),
    (["scan", "c.jsonl", "-o", ""], "-o needs a directory name"),
    (["predict", "--profile", "p.tsv", "--scale", "inf"], "scales must be positive finite numbers, got 'inf'"),
    (["predict", "--profile", "p.tsv", "--scale", "2,nan"], "scales must be positive finite numbers"),
    (["predict", "--profile", "p.tsv", "--scale", "1.7e308"], "scale 1.7e+308 times the 68 mentions counted is beyond"),
    (["estimate", "--profile", "p.tsv", "--confidence", "0.9999999999999999"], "confidence must be between 0 and 1"),
    (["predict", "--profile", "p.tsv", "--confidence", "0.9999999999999999"], "confidence must be between 0 and 1"),
    (["estimate", "--profile", "p.tsv", "--confidence", "inf"], "confidence must be between 0 and 1"),
    (["estimate", "--profile", "p.tsv", "--interval", "bootstrap", "--seed", "-1"], "seed must be a whole number >= 0"),
    (["predict", "--profile", "p.tsv", "--seed", "-1"], "seed must be a whole number >= 0"),
    (["run", "c.jsonl", "--interval", "bootstrap", "--seed", "-1"], "seed must be a whole number >= 0"),
])
def test_bad_options_are_one_line_errors(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "c.jsonl", [{"text": BIO}])
    (tmp_path / "p.tsv").write_text("1\t30\n2\t10\n3\t6\n")
    one_line_error(CliRunner().invoke(main, args), message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl", "p.tsv"]


def test_confidence_up_to_the_last_resolvable_level_is_estimated(profile_tsv):
    for command in (["estimate", "--interval", "bootstrap"], ["predict", "--replicates", "20"]):
        result = invoke(*command, "--profile", profile_tsv, "--confidence", 1 - 2**-52, "--json", "-")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["params"]["confidence"] == 1 - 2**-52


def test_answer_space_of_a_relation_in_the_data_is_known(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("entity\trelation\tvalue\nAda\tborn_in\tLondon\nBob\tborn_in\tParis\n")
    result = invoke("run", path, "--input-kind", "triples", "--answer-space", "born_in=7", "--json", "-")
    assert result.exit_code == 0, result.output
    assert groups(json.loads(result.output))["born_in"]["answer_space"] == 7
    result = CliRunner().invoke(main, ["run", str(path), "--input-kind", "triples", "--answer-space", "born_on=7"])
    one_line_error(result, "unknown category born_on; known: birth_date, birth_place, birth_year, born_in, death_date")


def test_every_command_takes_quiet(corpus, profile_tsv, tmp_path):
    assert invoke("scan", corpus, "-q", "-o", tmp_path / "a").exit_code == 0
    for args in (["merge", "-q", tmp_path / "a", "-o", tmp_path / "m"], ["estimate", "-q", tmp_path / "m"],
                 ["predict", "-q", "--profile", profile_tsv, "--replicates", 0],
                 ["extract", "-q", corpus, "-o", tmp_path / "facts.jsonl"], ["run", "-q", corpus]):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)


# --- outputs: checked before work, all or none, devices written in place ----------------------------------------

def test_an_unwritable_output_writes_no_other_and_names_itself(profile_tsv, tmp_path):
    (tmp_path / "d").mkdir()
    result = CliRunner().invoke(main, ["estimate", "--profile", str(profile_tsv), "--csv", str(tmp_path / "out.csv"),
                                       "--json", str(tmp_path / "d")])
    one_line_error(result, f"{tmp_path / 'd'}: cannot write (Is a directory)")
    assert not (tmp_path / "out.csv").exists() and list((tmp_path / "d").iterdir()) == []


def test_outputs_are_checked_before_the_corpus_is_read(tmp_path, monkeypatch):
    import floor.api
    monkeypatch.setattr(floor.api, "_scan_into", lambda *a, **k: pytest.fail("the corpus was read"))
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": BIO}])
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(main, ["run", str(corpus), "--json", str(tmp_path / "file" / "r.json")])
    one_line_error(result, "file/r.json: cannot write (Not a directory)")


@pytest.mark.parametrize("command, output, message", [
    (["run", "c.jsonl"], "--json=c.jsonl", "c.jsonl: is an input of this command"),
    (["run", "."], "--csv=./c.jsonl", "./c.jsonl: is inside the input . of this command"),
    (["run", "*.jsonl"], "--markdown=c.jsonl", "c.jsonl: is an input of this command"),
    (["run", "c.jsonl"], "--latex=hard.txt", "hard.txt: is the input c.jsonl of this command"),
    (["extract", "c.jsonl"], "--output=c.jsonl", "c.jsonl: is an input of this command"),
    (["estimate", "counts"], "--json=counts/manifest.json", "is inside the input counts of this command"),
    (["predict", "counts"], "--csv=counts/plan.json", "is inside the input counts of this command"),
    (["estimate", "--profile", "p.tsv"], "--markdown=p.tsv", "p.tsv: is an input of this command"),
])
def test_an_output_that_would_replace_an_input_is_refused(corpus, tmp_path, monkeypatch, command, output, message):
    monkeypatch.chdir(tmp_path)
    invoke("scan", corpus, "-o", "counts", "-q")
    os.link(corpus, "hard.txt")
    (tmp_path / "p.tsv").write_text("1\t5\n")
    kept = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    one_line_error(CliRunner().invoke(main, [*command, output, "-q"]), message)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == kept
    # a new file beside the counts is no input
    assert invoke("estimate", "counts", "--json", "counts/report.json", "-q").exit_code == 0


def test_a_symlinked_output_stays_a_link(profile_tsv, tmp_path):
    (tmp_path / "r.json").write_text("old")
    (tmp_path / "link.json").symlink_to("r.json")
    assert invoke("estimate", "--profile", profile_tsv, "--json", tmp_path / "link.json").exit_code == 0
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "r.json").read_text())["schema"] == "floor.report/1"


def test_output_through_dev_stdout_goes_to_stdout_and_replaces_nothing(profile_tsv, tmp_path):
    if not os.path.islink("/dev/stdout"):
        pytest.skip("no /dev/stdout symlink here")
    (tmp_path / "out").symlink_to("/dev/stdout")
    proc = subprocess.run([sys.executable, "-m", "floor", "estimate", "--profile", str(profile_tsv), "--json",
                           str(tmp_path / "out"), "--csv", str(tmp_path / "r.csv")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out").is_symlink()
    assert '"schema": "floor.report/1"' in proc.stdout and "thm2_floor" in proc.stdout  # the JSON and the table
    assert (tmp_path / "r.csv").read_text().startswith("category,")


def make_full_device(tmp_path):
    path = tmp_path / "full"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def test_a_full_device_as_output_is_one_error_and_stays_a_device(profile_tsv, corpus, tmp_path):
    full = make_full_device(tmp_path)
    result = CliRunner().invoke(main, ["estimate", "--profile", str(profile_tsv), "--json", str(full),
                                       "--csv", str(tmp_path / "r.csv")])
    one_line_error(result, f"{full}: cannot write (No space left on device)")
    proc = subprocess.run([sys.executable, "-m", "floor", "extract", str(corpus), "-o", str(full)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr == f"floor: error: {full}: cannot write (No space left on device)\n"
    assert stat.S_ISCHR(full.stat().st_mode) and not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("make, reason", [
    (lambda d: (d / "dir").mkdir() or d / "dir", "Is a directory"),
    (lambda d: (d / "file").write_text("x") and d / "file" / "facts.jsonl", "Not a directory"),
])
def test_extract_to_an_unwritable_path_is_one_error(corpus, tmp_path, make, reason):
    target = make(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "floor", "extract", str(corpus), "-o", str(target)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr == f"floor: error: {target}: cannot write ({reason})\n"


def test_extract_into_a_read_only_directory_is_one_error(corpus, read_only_dir):
    proc = subprocess.run([sys.executable, "-m", "floor", "extract", str(corpus), "-o", str(read_only_dir / "f.jsonl")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.endswith("f.jsonl: cannot write (Permission denied)\n")


@pytest.mark.parametrize("args", [["extract", "{corpus}", "-o", "-"], ["run", "{corpus}", "-q"]])
def test_stdout_on_a_full_disk_is_one_error(corpus, args):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "floor", *[a.format(corpus=corpus) for a in args]],
                              stdout=full, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2
    assert proc.stderr == "floor: error: stdout: cannot write (No space left on device)\n"


def test_a_closed_stdout_is_one_error(profile_tsv):
    proc = subprocess.run([sys.executable, "-m", "floor", "estimate", "--profile", str(profile_tsv)],
                          stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2 and proc.stderr == "floor: error: stdout: cannot write (Bad file descriptor)\n"


def test_a_closed_stdout_pipe_stops_extract_quietly(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": f"d{i}", "text": BIO2} for i in range(4000)])  # ~1.6 MB of facts
    proc = subprocess.Popen([sys.executable, "-m", "floor", "extract", str(corpus), "-q", "-o", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100).startswith(b'{"doc_id":"d0"')
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141  # as a shell reports a program stopped by SIGPIPE
    assert stderr == ""


def test_an_os_error_that_escapes_is_one_line(profile_tsv, monkeypatch):
    import errno

    import floor.api

    def failing(*_args, **_kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO), "/mnt/shard.bin")

    monkeypatch.setattr(floor.api, "estimate", failing)
    one_line_error(CliRunner().invoke(main, ["estimate", "--profile", str(profile_tsv)]),
                   "floor: error: /mnt/shard.bin: Input/output error")


# --- runs that counted nothing ------------------------------------------------------------------------------------

def test_a_run_whose_every_record_was_skipped_fails_and_writes_nothing(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": BIO}, {"text": BIO2}, {"body": 3}])
    result = CliRunner().invoke(main, ["run", str(corpus), "-q", "--text-field", "body", "--on-error", "skip",
                                       "--json", str(tmp_path / "r.json")])
    one_line_error(result, "no document was counted: 3 records were skipped, most (2) for missing_text_field, "
                           f"e.g. {corpus}:1: missing text field 'body'")
    assert not (tmp_path / "r.json").exists()
    result = CliRunner().invoke(main, ["scan", str(corpus), "-q", "--text-field", "body", "--on-error", "skip",
                                       "-o", str(tmp_path / "counts")])
    one_line_error(result, "no document was counted: 3 records were skipped")
    assert not (tmp_path / "counts").exists()


def test_a_run_that_found_no_fact_warns_and_reports(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "No biography here."}, {"text": "Nor here."}, {"body": 1}])
    result = CliRunner().invoke(main, ["run", str(corpus), "-q", "--on-error", "skip",
                                       "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert ("floor: warning: no fact was found in 2 documents: 1 record was skipped, all for missing_text_field, "
            f"e.g. {corpus}:3: missing text field 'text'") in result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["documents"], report["groups"], report["skipped"]["total"]) == (2, [], 1)


def test_a_run_with_facts_does_not_warn(corpus):
    result = CliRunner().invoke(main, ["run", str(corpus), "-q"])
    assert result.exit_code == 0 and "warning" not in result.output


def test_merge_never_replaces_a_directory_it_did_not_make(corpus, tmp_path):
    assert invoke("scan", corpus, "-q", "-o", tmp_path / "a").exit_code == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    (tmp_path / "notes.txt").write_text("precious")
    for target in (mine, tmp_path / "notes.txt"):
        one_line_error(CliRunner().invoke(main, ["merge", str(tmp_path / "a"), "-o", str(target)]),
                       f"{target}: exists and is not a floor counts directory")
    assert (mine / "thesis.tex").read_text() == "precious" and (tmp_path / "notes.txt").read_text() == "precious"
    (tmp_path / "empty").mkdir()
    for target in ("m", "m", "empty"):  # a new path, a counts directory made by merge, an empty directory
        assert invoke("merge", tmp_path / "a", "-o", tmp_path / target).exit_code == 0
    merged, scanned = (invoke("estimate", tmp_path / name, "--json", "-").output for name in ("m", "a"))
    assert merged == scanned


def test_special_files_in_an_input_directory_are_left_out_with_a_counted_warning(tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [{"id": "d1", "text": BIO}, {"id": "d2", "text": BIO2}])
    for name in ("pipe-1.jsonl", "pipe-2.jsonl"):
        os.mkfifo(folder / name)  # reading one would block forever
    proc = subprocess.run([sys.executable, "-m", "floor", "run", str(folder), "-q", "--json", str(tmp_path / "r.json")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (f"floor: warning: left out 2 files found among the inputs, a FIFO, socket or device "
                           f"(reading one may block forever): {folder / 'pipe-1.jsonl'}, {folder / 'pipe-2.jsonl'}\n")
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["documents"] == 2 and report["inputs"] == [str(folder / "a.jsonl")]


TITLED = [
    {"id": "a", "title": "Jane Doe", "text": "Irish poet and translator (1902–1970)\n\nShe wrote many poems."},
    {"id": "b", "title": "", "text": "She was born in Cork on 3 March 1911."},
]


def test_title_field_gives_each_document_its_subject(tmp_path):
    import floor
    path = str(write_jsonl(tmp_path / "t.jsonl", TITLED))
    facts = [(f["doc_id"], f["category"], f["entity"], f["value"], f["subject"])
             for f in floor.extract([path], title_field="title")]
    # An empty title is none: "She" then has no subject to refer to.
    assert facts == [("a", "birth_year", "Jane Doe", "1902", "title"), ("a", "death_year", "Jane Doe", "1970", "title")]
    assert list(floor.extract([path])) == []  # a description line alone names nobody
    report = floor.run([path], title_field="title")
    assert report["params"]["title_field"] == "title" and report["documents"] == 2


def test_title_field_that_is_not_a_string_is_a_bad_record(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [TITLED[0], {"id": "c", "title": 7, "text": "x"}])
    result = CliRunner().invoke(main, ["extract", str(path), "--title-field", "title", "-o", str(tmp_path / "f.jsonl")])
    assert result.exit_code == 2 and not (tmp_path / "f.jsonl").exists()
    assert result.output == f"floor: error: {path}:2: title field 'title' is a number, not a string\n"
    result = invoke("run", path, "--title-field", "title", "--on-error", "skip", "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["documents"] == 1 and report["skipped"]["by_reason"] == {"bad_title": 1}


def test_title_field_must_be_a_parquet_column(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": [TITLED[0]["text"]]}), path)
    result = CliRunner().invoke(main, ["run", str(path), "--title-field", "title"])
    assert result.exit_code == 2 and result.output.startswith(f"floor: error: {path}") and "title" in result.output
    assert result.output.count("\n") == 1
