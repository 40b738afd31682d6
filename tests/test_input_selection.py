"""--glob and --exclude: which files of directories and globs are read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from floor.cli import main
from floor.errors import FloorError, FloorWarning
from floor.sources import expand_inputs


@pytest.fixture
def tree(tmp_path):
    """corpus/a.jsonl, corpus/b.jsonl.gz, corpus/sub/c.jsonl, corpus/sub/d.parquet, corpus/state.json."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    for name in ("a.jsonl", "b.jsonl.gz", "sub/c.jsonl", "sub/d.parquet", "state.json"):
        (root / name).write_bytes(b"")
    return root


def names(paths, root) -> list[str]:
    return [str(p.relative_to(root)) for p in map(type(root), paths)]


@pytest.mark.parametrize("include, exclude, expected", [
    ((), (), ["a.jsonl", "b.jsonl.gz", "state.json", "sub/c.jsonl", "sub/d.parquet"]),
    ((), ("state.json",), ["a.jsonl", "b.jsonl.gz", "sub/c.jsonl", "sub/d.parquet"]),
    (("*.jsonl",), (), ["a.jsonl", "sub/c.jsonl"]),  # no '/': the file name, at any depth
    (("sub/*",), (), ["sub/c.jsonl", "sub/d.parquet"]),  # with a '/': the path under the directory
    (("*.jsonl", "*.gz"), ("sub/*",), ["a.jsonl", "b.jsonl.gz"]),
    (("*.JSONL",), (), None),  # case matters
])
def test_patterns_select_among_a_directorys_files(tree, include, exclude, expected):
    if expected is None:
        with pytest.raises(FloorError, match=r"no input files in directory: .* after --glob \*\.JSONL"):
            expand_inputs([str(tree)], include=include, exclude=exclude)
        return
    assert names(expand_inputs([str(tree)], include=include, exclude=exclude), tree) == expected


def test_patterns_select_among_a_globs_matches_but_not_files_named(tree):
    matched = expand_inputs([str(tree / "*")], exclude=("*.json",))
    assert names(matched, tree) == ["a.jsonl", "b.jsonl.gz", "sub/c.jsonl", "sub/d.parquet"]
    named = expand_inputs([str(tree / "state.json")], exclude=("*.json",))
    assert names(named, tree) == ["state.json"]  # named explicitly: always read
    with pytest.raises(FloorError, match=r"glob matched no files: .*\* after --exclude \*"):
        expand_inputs([str(tree / "*")], exclude=("*",))


def test_stray_files_of_a_corpus_folder_do_not_stop_a_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "part-0.jsonl").write_text(json.dumps({"id": "a", "text": "Jane Doe was born in 1902."}) + "\n")
    (corpus / "state.json").write_text('{\n  "_data_files": []\n}\n')  # a JSON document, not JSON lines
    (corpus / "notes.json").write_text('{"text": "Jane Doe was born in 1902."}\n{"text": "John Roe was')  # lines
    (corpus / "README.md").write_text("# a corpus\n")
    (corpus / ".DS_Store").write_bytes(b"\0\1")
    stopped = CliRunner().invoke(main, ["run", str(corpus)])  # notes.json is JSON lines, with a bad last line
    assert stopped.exit_code == 2 and "notes.json:2: malformed JSON" in stopped.output
    result = CliRunner().invoke(main, ["run", str(corpus), "--exclude", "notes.json", "--json", "-"])
    assert result.exit_code == 0, result.output
    assert "left out 1 file found among the inputs, one JSON document, not JSON lines" in result.output
    assert str(corpus / "state.json") in result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["documents"] == 1 and report["inputs"] == [str(corpus / "part-0.jsonl")]


def _corpus_with_strays(root, shards=("part-0.jsonl",)):
    root.mkdir(parents=True)
    for i, shard in enumerate(shards):
        (root / shard).write_text(json.dumps({"id": str(i), "text": "Jane Doe was born in 1902."}) + "\n")
    (root / "state.json").write_text('{\n  "_data_files": []\n}\n')
    (root / "README.md").write_text("# a corpus\n")
    (root / "LICENSE").write_text("MIT\n")
    (root / ".DS_Store").write_bytes(b"\0\1")  # hidden: neither read nor listed
    return root


LEFT_OUT = {"of no format floor reads, by the extension": 2,
            "one JSON document, not JSON lines (a dataset's metadata, such as state.json)": 1}


def test_the_report_lists_the_files_left_out(tmp_path):
    import floor

    corpus = _corpus_with_strays(tmp_path / "corpus")
    with pytest.warns(FloorWarning):
        report = floor.run([str(corpus)], workers=1)
    left_out = report["inputs_left_out"]
    assert left_out["total"] == 3 and left_out["by_reason"] == LEFT_OUT
    assert [f["path"] for f in left_out["files"]] == [str(corpus / n) for n in ("LICENSE", "README.md", "state.json")]
    # kept by a scan's counts directory, for every estimate and prediction from it
    with pytest.warns(FloorWarning):
        counts = floor.scan([str(corpus)], output=tmp_path / "counts", workers=1)
    assert floor.estimate(counts)["inputs_left_out"] == left_out
    assert floor.predict(counts, [2], replicates=0)["inputs_left_out"] == left_out
    result = CliRunner().invoke(main, ["estimate", str(tmp_path / "counts")])
    assert f"left out 3 files found among the inputs, not read: {corpus / 'LICENSE'}: of no format floor reads" \
        in result.output
    # a quick look (--limit) lists them too; files not asked for (--glob) are not "left out"
    with pytest.warns(FloorWarning):
        assert floor.run([str(corpus)], limit=1)["inputs_left_out"] == left_out
    assert floor.run([str(corpus)], glob=["*.jsonl"], workers=1)["inputs_left_out"]["total"] == 0


def test_a_merge_lists_what_each_scan_left_out(tmp_path):
    import floor

    scans = []
    for name in ("a", "b"):
        corpus = _corpus_with_strays(tmp_path / name, shards=(f"{name}.jsonl",))
        with pytest.warns(FloorWarning):
            scans.append(floor.scan([str(corpus)], output=tmp_path / f"counts-{name}", workers=1))
    merged = floor.merge([s.path for s in scans], tmp_path / "merged")
    left_out = floor.estimate(merged)["inputs_left_out"]
    assert left_out["total"] == 6 and {k: v // 2 for k, v in left_out["by_reason"].items()} == LEFT_OUT
