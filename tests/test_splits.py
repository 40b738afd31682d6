"""A large uncompressed JSONL file is read as several map tasks (splits): the same documents, facts, errors and
report as reading it whole, for any split size, worker count and engine, and after a kill and resume."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import floor
from floor.count import CountsDir
from floor.errors import FloorError, InputError, SkipLog
from floor.extract import Extractor
from floor.sources import plan_splits, read_texts
from floor.sources.splits import Split

PREFILTER = Extractor().prefilter()


def _texts(path, split=None, prefilter=PREFILTER, **kw):
    return [(doc_id, text) for doc_id, text, _, _, _ in
            read_texts(str(path), skips=SkipLog(**kw), prefilter=prefilter, split=split, ids=split is None)]


def _split_texts(path, split_bytes, prefilter=PREFILTER):
    splits = plan_splits(str(path), os.path.getsize(path), split_bytes)
    assert splits is not None and len(splits) > 1
    return [text for split in splits for _, text in _texts(path, split, prefilter)]


line = st.one_of(
    st.just(""),  # a blank line
    st.text(alphabet="ab é\u00a0\u2028x", min_size=0, max_size=40).map(lambda t: json.dumps({"text": t})),
)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(line, min_size=2, max_size=40), split_bytes=st.integers(1, 200),
       crlf=st.booleans(), final_newline=st.booleans(), bom=st.booleans())
def test_splits_partition_the_documents(tmp_path_factory, lines, split_bytes, crlf, final_newline, bom):
    if not any(lines):
        lines = lines + [json.dumps({"text": "one"})]
    end = "\r\n" if crlf else "\n"
    path = tmp_path_factory.mktemp("split") / "docs.jsonl"
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") +
                     (end.join(lines) + (end if final_newline else "")).encode("utf-8"))
    if os.path.getsize(path) <= split_bytes:
        split_bytes = max(1, os.path.getsize(path) // 2)
    whole = [text for _, text in _texts(path)]
    assert _split_texts(path, split_bytes) == whole
    assert _split_texts(path, split_bytes, prefilter=None) == whole


def test_a_byte_order_mark_is_skipped_only_at_the_start_of_the_file(tmp_path):
    path = tmp_path / "bom.jsonl"
    line = json.dumps({"text": "x" * 50})
    path.write_bytes(b"\xef\xbb\xbf" + f"{line}\n".encode() + (b"\xef\xbb\xbf" + f"{line}\n".encode()) * 3)
    whole = floor.run([str(path)], on_error="skip", workers=1)
    assert whole["skipped"]["by_reason"] == {"malformed_json": 3} and whole["documents"] == 1
    assert floor.run([str(path)], on_error="skip", workers=1, split_bytes=60) == whole


def test_plan_covers_the_file_in_nearly_equal_splits():
    splits = plan_splits("big.jsonl", 1000, 300)
    assert splits == [Split(0, 250, 0, 4, 1000), Split(250, 500, 1, 4, 1000), Split(500, 750, 2, 4, 1000),
                      Split(750, 1000, 3, 4, 1000)]
    assert plan_splits("big.jsonl", 300, 300) is None  # small enough to read whole
    for name in ("big.jsonl.zst", "big.jsonl.gz", "big.parquet", "big.txt", "-"):
        assert plan_splits(name, 10**9, 300) is None  # cannot be entered in the middle


@pytest.fixture()
def bad_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps({"text": f"Ada Lovelace{i} was born on 10 December 1815."}) for i in range(600)]
    lines[450] = '{"text": broken'
    lines[520] = json.dumps({"id": ["not", "an", "id"], "text": "x"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_errors_in_a_split_name_the_line_of_the_file(bad_file):
    splits = plan_splits(str(bad_file), os.path.getsize(bad_file), 2000)
    messages = []
    for split in splits:
        try:
            _texts(bad_file, split)
        except InputError as exc:
            messages.append((split.index, str(exc), exc.location))
    # each found in a later split, yet numbered from the start of the file
    assert [(m, loc) for index, m, loc in messages if index > 0] == [
        (f"{bad_file}:451: malformed JSON (unexpected character, expected a JSON value at column 10)", 451),
        (f"{bad_file}:521: id field 'id' must be a string or an integer, not an array", 521)]


def test_skipped_records_are_reported_alike_whole_and_split(bad_file):
    whole = floor.run([str(bad_file)], on_error="skip", workers=1)
    split = floor.run([str(bad_file)], on_error="skip", workers=2, split_bytes=2000)
    assert split == whole
    assert whole["skipped"]["by_reason"] == {"bad_id": 1, "malformed_json": 1}
    assert any(":521: id field 'id' must be a string or an integer" in e
               for e in whole["skipped"]["examples"]["bad_id"])
    assert whole["documents"] == 598


def test_default_ids_of_a_split_are_the_file_lines(tmp_path):
    path = tmp_path / "noid.jsonl"
    path.write_text("".join(json.dumps({"text": f"doc {i}"}) + "\n" for i in range(100)), encoding="utf-8")
    splits = plan_splits(str(path), os.path.getsize(path), 500)
    ids = [doc_id for split in splits
           for doc_id, _, _, _, _ in read_texts(str(path), skips=SkipLog(), prefilter=None, split=split)]
    assert ids == [f"{path}:{i}" for i in range(1, 101)]


@pytest.fixture(scope="module")
def one_big_file(sharded_corpus, tmp_path_factory):
    """The sharded corpus as one JSONL file (the case splits are for)."""
    path = tmp_path_factory.mktemp("big") / "all.jsonl"
    with open(path, "wb") as out:
        for shard in sorted(sharded_corpus.iterdir()):
            out.write(shard.read_bytes())
    return path


@pytest.fixture(scope="module")
def whole_report(one_big_file):
    report = floor.run([str(one_big_file)], workers=1, split_bytes=10**12)
    assert report["documents"] == 3000
    return report


@pytest.mark.parametrize("workers, split_bytes", [(1, 50_000), (2, 50_000), (2, 333_333), (2, 9_999)])
def test_any_split_size_gives_the_same_report(one_big_file, whole_report, workers, split_bytes):
    assert floor.run([str(one_big_file)], workers=workers, split_bytes=split_bytes) == whole_report


def test_split_parts_resume_and_refuse_partial_estimates(one_big_file, whole_report, tmp_path):
    out = tmp_path / "counts"
    counts = floor.scan([str(one_big_file)], output=out, workers=2, split_bytes=200_000)
    parts = counts.part_dirs()
    metas = [counts.part_meta(p) for p in parts]
    assert len(parts) == metas[0]["split"]["count"] > 2
    assert sorted(m["split"]["index"] for m in metas) == list(range(len(parts)))
    # A killed scan: one split never completed.
    lost = parts[1]
    for file in lost.iterdir():
        file.unlink()
    lost.rmdir()
    assert counts.completed_inputs() == set()
    with pytest.raises(FloorError, match=rf"counts: incomplete: 0 of 1 inputs counted; missing \S+all\.jsonl "
                                         rf"\({len(parts) - 1} of {len(parts)} splits\); finish it with 'floor scan "
                                         rf"\.\.\. -o {out} --resume', or pass --allow-incomplete"):
        floor.estimate(out)
    stamps = {p.name: (p / "part.json").stat().st_mtime_ns for p in counts.part_dirs()}
    # the directory's own split size wins: other splits would overlap the completed ones
    floor.scan([str(one_big_file)], output=out, resume=True, workers=1, split_bytes=100_000)
    assert {p.name: (p / "part.json").stat().st_mtime_ns for p in CountsDir.open(out).part_dirs()
            if p.name in stamps} == stamps  # only the lost split was scanned again
    assert floor.estimate(out) == whole_report
    assert CountsDir.open(out).completed_inputs() == {str(one_big_file)}


def test_a_file_changed_since_it_was_partly_scanned_is_refused(tmp_path):
    path = tmp_path / "growing.jsonl"
    line = json.dumps({"text": "Ada Lovelace was born on 10 December 1815."}) + "\n"
    path.write_text(line * 200, encoding="utf-8")
    counts = floor.scan([str(path)], output=tmp_path / "c", workers=1, split_bytes=2_000)
    lost = counts.part_dirs()[0]
    for file in lost.iterdir():
        file.unlink()
    lost.rmdir()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line * 50)
    with pytest.raises(FloorError, match=r"growing\.jsonl changed since \S+/c began counting it \(11,000 bytes "
                                         r"then, 13,750 now\); its counts there would be stale: restore the file, or "
                                         "scan the inputs into a new directory"):
        floor.scan([str(path)], output=tmp_path / "c", resume=True, workers=1, split_bytes=2_000)


def test_a_directory_made_before_splits_resumes_reading_files_whole(one_big_file, whole_report, tmp_path):
    out = tmp_path / "old"
    counts = floor.scan([str(one_big_file)], output=out, workers=1, split_bytes=10**12)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["split_bytes"]  # as written before splits existed
    (out / "manifest.json").write_text(json.dumps(manifest))
    for part in counts.part_dirs():
        for file in part.iterdir():
            file.unlink()
        part.rmdir()
    floor.scan([str(one_big_file)], output=out, resume=True, workers=2)
    assert [CountsDir.open(out).part_meta(p).get("split") for p in CountsDir.open(out).part_dirs()] == [None]
    assert floor.estimate(out) == whole_report


@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_a_file_of_blank_lines_is_empty_whole_or_split(tmp_path, on_error):
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n \n\t\r\n" * 40)
    if on_error == "fail":
        for split_bytes in (10**12, 10):
            with pytest.raises(FloorError, match=r"blank\.jsonl: no records \(only blank lines\)"):
                floor.run([str(path)], workers=2, split_bytes=split_bytes)
    else:
        whole = floor.run([str(path)], workers=1, on_error="skip", split_bytes=10**12)
        assert whole["skipped"]["by_reason"] == {"empty_file": 1}
        assert floor.run([str(path)], workers=2, on_error="skip", split_bytes=10) == whole


def test_progress_of_a_split_counts_its_own_bytes(tmp_path):
    from floor.sources import Position

    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps({"text": "x" * 90}) + "\n" for _ in range(100)), encoding="utf-8")
    second = plan_splits(str(path), os.path.getsize(path), 2_600)[1]
    position = Position()
    seen = [position() for _ in read_texts(str(path), skips=SkipLog(), prefilter=PREFILTER, split=second, ids=False,
                                           position=position)]
    assert seen and all(0 < done <= second.end - second.start for done in seen)
    assert seen[-1] == second.end - second.start  # its last line runs past the split's end: shown as all of it
