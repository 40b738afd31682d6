"""``floor extract`` output reads back as ``--input-kind triples`` as it is: extract, filter or correct, and count."""

from __future__ import annotations

import json

from click.testing import CliRunner

from floor.cli import main

from .conftest import ROOT


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def groups(path) -> list[dict]:
    return json.loads(path.read_text())["groups"]


def test_extract_then_count_the_facts_gives_the_report_of_the_text(tmp_path):
    shard = ROOT / "data" / "sample" / "part-001.jsonl.gz"
    assert run("extract", shard, "-o", tmp_path / "facts.jsonl").exit_code == 0
    first = json.loads((tmp_path / "facts.jsonl").read_text().splitlines()[0])
    assert "category" in first and "relation" not in first  # floor extract's own column names
    text = run("run", shard, "--json", tmp_path / "text.json")
    facts = run("run", tmp_path / "facts.jsonl", "--input-kind", "triples", "--json", tmp_path / "facts.json")
    assert text.exit_code == 0 and facts.exit_code == 0, facts.output
    assert groups(tmp_path / "facts.json") == groups(tmp_path / "text.json")
    # every document of the sample states a fact; one that states none is not in an extract, and only the
    # report's document count would differ
    assert json.loads((tmp_path / "facts.json").read_text())["documents"] == \
        json.loads((tmp_path / "text.json").read_text())["documents"] == 10_500


def test_a_tsv_of_facts_may_name_the_relation_category(tmp_path):
    rows = ["doc_id\tentity\tcategory\tvalue", "a\tJane Doe\tbirth_year\t1902", "b\tJane Doe\tbirth_year\t1902",
            "c\tJohn Roe\tbirth_year\t1850"]
    (tmp_path / "f.tsv").write_text("\n".join(rows) + "\n")
    result = run("run", tmp_path / "f.tsv", "--input-kind", "triples", "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    [group] = groups(tmp_path / "r.json")
    assert (group["category"], group["mentions"], group["singletons"]) == ("birth_year", 3, 1)


def test_facts_without_a_relation_column_are_refused_naming_both_spellings(tmp_path):
    (tmp_path / "f.tsv").write_text("doc_id\tentity\tvalue\na\tJane Doe\t1902\n")
    result = run("run", tmp_path / "f.tsv", "--input-kind", "triples")
    assert result.exit_code == 2
    assert "no column 'relation' or 'category' (has 'doc_id', 'entity', 'value')" in result.output
