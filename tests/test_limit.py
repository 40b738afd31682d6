"""--limit N: a quick look at the first N documents of the inputs, marked as such in the report."""

from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

import floor
from floor.cli import main

from .conftest import ROOT

SHARD = ROOT / "data" / "sample" / "part-001.jsonl.gz"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def first_lines(n: int) -> list[str]:
    with gzip.open(SHARD, "rt", encoding="utf-8") as handle:
        return [next(handle) for _ in range(n)]


def test_a_quick_look_is_the_report_of_the_first_documents(tmp_path):
    (tmp_path / "head.jsonl").write_text("".join(first_lines(300)), encoding="utf-8")
    look = run("run", SHARD, "--limit", 300, "--json", tmp_path / "look.json")
    head = run("run", tmp_path / "head.jsonl", "--json", tmp_path / "head.json")
    assert look.exit_code == 0 and head.exit_code == 0, look.output
    look_report, head_report = (json.loads((tmp_path / n).read_text()) for n in ("look.json", "head.json"))
    assert look_report["groups"] == head_report["groups"] and look_report["documents"] == 300
    assert look_report["coverage"] == {"complete": False, "inputs_planned": 1, "inputs_counted": 1,
                                       "missing_inputs": [], "limit": 300}
    assert "PARTIAL: a quick look at the first 300 documents of the inputs (--limit), 1 of 1 inputs read" in \
        look.output


def test_a_quick_look_runs_on_across_files_in_order(tmp_path):
    lines = first_lines(20)
    for name, part in (("a.jsonl", lines[:10]), ("b.jsonl", lines[10:]), ("c.jsonl", lines[:5])):
        (tmp_path / name).write_text("".join(part), encoding="utf-8")
    report = floor.run([str(tmp_path / n) for n in ("a.jsonl", "b.jsonl", "c.jsonl")], limit=15)
    assert report["documents"] == 15
    assert report["coverage"]["inputs_counted"] == 2 and report["coverage"]["missing_inputs"] == [
        str(tmp_path / "c.jsonl")]
    whole = floor.run([str(tmp_path / n) for n in ("a.jsonl", "b.jsonl")])
    assert report["groups"] != whole["groups"]  # five documents of b.jsonl were not read


def test_extract_a_quick_look(tmp_path):
    result = run("extract", SHARD, "--limit", 4, "-o", tmp_path / "facts.jsonl")
    assert result.exit_code == 0, result.output
    facts = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text().splitlines()]
    ids = {json.loads(line)["id"] for line in first_lines(4)}
    assert facts and {f["doc_id"] for f in facts} <= ids


def test_what_a_quick_look_is_not_for(tmp_path):
    assert "--limit is a quick look" in run("extract", SHARD, "--limit", 4, "--sample", 3, "-o", tmp_path / "s.csv"
                                            ).output
    assert "No such option '--limit'" in run("scan", SHARD, "--limit", 4, "-o", tmp_path / "c").output
    assert run("run", SHARD, "--limit", 0).exit_code == 2
    ray = run("run", SHARD, "--limit", 4, "--engine", "ray")
    assert ray.exit_code == 2 and "it is for the local engine" in ray.output
