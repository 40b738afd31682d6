"""A counts directory never reports part of the data as the whole, never counts a file twice, and floor never
deletes what it did not make: input identities, the recorded plan, the lock, checks of what is read, and merge
outputs replaced only whole."""

from __future__ import annotations

import errno
import fcntl
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import floor
from floor.cli import main
from floor.count import CountsDir
from floor.errors import FloorError

FIRST = ["Ada", "Alan", "Grace", "Emmy", "Carl", "Marie", "Niels", "Kurt", "Rosalind", "Enrico"]
LAST = ["Lovelace", "Turing", "Hopper", "Noether", "Gauss", "Curie", "Bohr", "Godel", "Franklin", "Fermi"]


def _write(path: Path, start: int, docs: int) -> Path:
    """``docs`` biographies of distinct people (numbered from ``start``), one birth date each."""
    lines = [json.dumps({"id": f"d{i}", "text": f"{FIRST[i % 10]} {chr(65 + i // 100 % 26)}. {LAST[i // 10 % 10]} "
                                                f"(born {i % 28 + 1} March {1800 + i % 200}) was a scientist."}) + "\n"
             for i in range(start, start + docs)]
    data = "".join(lines).encode()
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    return path


@pytest.fixture()
def corpus(tmp_path) -> list[Path]:
    """Three shards of 10, 20 and 30 documents."""
    (tmp_path / "corpus").mkdir()
    return [_write(tmp_path / "corpus" / f"s{i}.jsonl", 100 * i, 10 * (i + 1)) for i in range(3)]


def _drop_part(counts_dir: CountsDir, input_name: str) -> None:
    """What a kill before that input's part was renamed into place leaves: no part of it."""
    for part in counts_dir.part_dirs():
        if any(Path(p).name == input_name for p in counts_dir.part_meta(part)["inputs"]):
            shutil.rmtree(part)


def _cli(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


# --- merge never deletes what floor did not make ------------------------------------------------------------------

@pytest.fixture()
def scanned(corpus, tmp_path) -> list[Path]:
    """Two counts directories: the first shard, and the other two."""
    floor.scan([str(corpus[0])], output=tmp_path / "A", workers=1)
    floor.scan([str(c) for c in corpus[1:]], output=tmp_path / "B", workers=1)
    return [tmp_path / "A", tmp_path / "B"]


def test_merge_refuses_an_existing_directory_it_did_not_make(corpus, scanned, tmp_path):
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "thesis.tex").write_text("years of work")
    code, output = _cli("merge", *scanned, "-o", keep)
    assert code == 2
    assert "keep: exists and is not a floor counts directory merged from these same inputs" in output
    assert (keep / "thesis.tex").read_text() == "years of work"
    # nor a scan's directory, or a merge of other inputs
    floor.scan([str(corpus[0])], output=tmp_path / "scan-A", workers=1)
    floor.api.merge([scanned[0]], tmp_path / "merged-A")
    for target in ("scan-A", "merged-A"):
        with pytest.raises(FloorError, match="exists and is not a floor counts directory merged from these same"):
            floor.api.merge(scanned, tmp_path / target)
        assert floor.estimate(tmp_path / target)["documents"] == 10


def test_merge_into_the_current_directory_deletes_nothing(scanned, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("keep me")
    monkeypatch.chdir(work)
    code, output = _cli("merge", "../A", "../B", "-o", ".")
    assert code == 2 and "floor: error: merge -o " in output
    assert (work / "notes.txt").read_text() == "keep me"
    assert floor.estimate(scanned[0])["documents"] == 10


@pytest.mark.parametrize("where, relation", [("A", "is"), ("A/merged", "is inside"), (".", "contains")])
def test_merge_output_must_lie_apart_from_its_inputs(scanned, tmp_path, where, relation):
    with pytest.raises(FloorError, match=rf"merge -o \S+: {relation} the counts directory \S+A it merges"):
        floor.api.merge(scanned, tmp_path / where)
    assert floor.estimate(scanned[0])["documents"] == 10 and floor.estimate(scanned[1])["documents"] == 50


def test_merge_replaces_its_own_earlier_merge_of_the_same_inputs(scanned, tmp_path):
    out = tmp_path / "merged"
    first = floor.api.merge(scanned, out)
    stamp = (first.part_dirs()[0] / "part.json").stat().st_ino
    floor.api.merge(list(reversed(scanned)), out)  # the same inputs: replaced
    assert (CountsDir.open(out).part_dirs()[0] / "part.json").stat().st_ino != stamp
    assert floor.estimate(out)["documents"] == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A", "B", "corpus", "merged"]  # no temporaries left


@pytest.mark.parametrize("saved", ["report.json", "parts/notes.txt", "parts/.hidden", "parts/{part}/report.json"])
def test_merge_keeps_its_earlier_merge_that_holds_a_file_it_did_not_write(scanned, tmp_path, saved):
    out = tmp_path / "merged"
    floor.api.merge(scanned, out)
    user_file = out / saved.format(part=CountsDir.open(out).part_dirs()[0].name)
    user_file.write_text("a report saved beside the counts")
    code, output = _cli("merge", *scanned, "-o", out)
    assert code == 2 and output.count("\n") == 1
    assert f"merged: an earlier merge of these inputs, but it holds {user_file}, which floor did not write" in output
    assert user_file.read_text() == "a report saved beside the counts"
    user_file.unlink()
    assert floor.estimate(out)["documents"] == 60  # the earlier merge is whole


_KILL_DURING_REPLACE = textwrap.dedent("""
    import os, signal, sys
    import floor.api, floor.outputs as outputs

    moment = sys.argv[3]
    exchange, replace = outputs._exchange, os.replace

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def exchange_then(a, b):
        if moment == "before-exchange":
            die()
        if moment == "between-renames":
            return False  # a file system without an atomic exchange
        exchange(a, b)
        die()

    def replace_then(src, dst):
        replace(src, dst)
        if moment == "between-renames" and os.path.basename(str(src)) == "merged":
            die()

    outputs._exchange = exchange_then
    os.replace = replace_then
    floor.api.merge(sys.argv[1].split(","), sys.argv[2])
""")


@pytest.mark.parametrize("moment", ["before-exchange", "after-exchange", "between-renames"])
def test_a_kill_while_merge_replaces_its_output_leaves_a_whole_directory(scanned, tmp_path, moment):
    out = tmp_path / "merged"
    floor.api.merge(scanned, out)
    before = floor.estimate(out)
    proc = subprocess.run([sys.executable, "-c", _KILL_DURING_REPLACE, ",".join(map(str, scanned)), str(out), moment])
    assert proc.returncode == -signal.SIGKILL
    if moment == "between-renames":
        assert not out.exists()  # the old one is aside: the next run puts it back
        floor.outputs.remove_stale_temporaries(out)
    assert floor.estimate(out) == before  # the old or the new one, whole (they are equal)
    floor.api.merge(scanned, out)  # and the next merge cleans what the kill left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A", "B", "corpus", "merged"]
    assert floor.estimate(out) == before


def test_stale_temporaries_are_cleaned_and_live_ones_kept(scanned, tmp_path):
    stale, live = tmp_path / ".merged.abcd1234.tmp", tmp_path / ".merged.live5678.tmp"
    for tmp in (stale, live):
        tmp.mkdir()
        (tmp / ".lock").touch()
        (tmp / "manifest.json").write_text("{}")
    mine = tmp_path / ".merged.notmine.tmp"  # not a name floor makes (8 characters of [a-z0-9_])
    mine.mkdir()
    with open(live / ".lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        floor.api.merge(scanned, tmp_path / "merged")
    assert not stale.exists() and live.exists() and mine.exists()


# --- one file, one count, however it is spelled -------------------------------------------------------------------

@pytest.mark.parametrize("link", ["spelling", "symlink", "hardlink"])
def test_a_file_named_twice_is_counted_once(corpus, tmp_path, monkeypatch, link):
    monkeypatch.chdir(tmp_path)
    other = {"spelling": "./corpus/../corpus/s1.jsonl", "symlink": "alias.jsonl", "hardlink": "copy.jsonl"}[link]
    if link == "symlink":
        os.symlink(corpus[1], other)
    elif link == "hardlink":
        os.link(corpus[1], other)
    report = floor.run([str(corpus[1]), other], workers=2)
    assert report["documents"] == 20 and report["inputs"] == [str(corpus[1])]


def test_resume_under_another_spelling_counts_each_file_once(corpus, tmp_path, monkeypatch):
    out = tmp_path / "counts"
    floor.scan([str(c) for c in corpus], output=out, workers=1)
    _drop_part(CountsDir.open(out), "s2.jsonl")
    monkeypatch.chdir(tmp_path / "corpus")
    floor.scan(["./s0.jsonl", "s1.jsonl", "../corpus/s2.jsonl"], output=out, resume=True, workers=1)
    report = floor.estimate(out)
    assert report["documents"] == 60
    assert report["inputs"] == [str(c) for c in corpus]  # named as the scan that planned them named them


def test_merge_refuses_the_same_file_under_two_spellings(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.symlink(tmp_path / "corpus", tmp_path / "alias")
    floor.scan([str(corpus[0])], output=tmp_path / "a", workers=1)
    floor.scan(["alias/s0.jsonl", str(corpus[1])], output=tmp_path / "b", workers=1)
    with pytest.raises(FloorError, match=r"s0\.jsonl is counted in both \S+a and \S+b \(as alias/s0\.jsonl\); "
                                         "merging would count it twice"):
        floor.api.merge([tmp_path / "a", tmp_path / "b"], tmp_path / "ab")
    assert not (tmp_path / "ab").exists()


def test_merge_refuses_one_directory_given_twice(scanned, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FloorError, match=rf"s0\.jsonl is counted in both A and {tmp_path}/A; merging would count "
                                         "it twice"):
        floor.api.merge(["A", tmp_path / "A"], "twice")


# --- an incomplete directory is not estimated as complete ------------------------------------------------------------

def test_an_incomplete_directory_is_refused_with_what_is_missing(corpus, tmp_path):
    out = tmp_path / "counts"
    counts_dir = floor.scan([str(c) for c in corpus], output=out, workers=1)
    _drop_part(counts_dir, "s1.jsonl")
    _drop_part(counts_dir, "s2.jsonl")
    message = (rf"counts: incomplete: 1 of 3 inputs counted; missing \S+s1\.jsonl, \S+s2\.jsonl; finish it with "
               rf"'floor scan \.\.\. -o {out} --resume', or pass --allow-incomplete for a partial estimate")
    for use in (floor.estimate, lambda d: floor.predict(d, [2]), lambda d: floor.api.merge([d], tmp_path / "m")):
        with pytest.raises(FloorError, match=message):
            use(out)
    _drop_part(counts_dir, "s0.jsonl")  # killed before any part: no documents is not an answer either
    with pytest.raises(FloorError, match="incomplete: 0 of 3 inputs counted"):
        floor.estimate(out)


def test_allow_incomplete_gives_a_partial_report_that_says_so_everywhere(corpus, tmp_path):
    out = tmp_path / "counts"
    _drop_part(floor.scan([str(c) for c in corpus], output=out, workers=1), "s2.jsonl")
    report = floor.estimate(out, allow_incomplete=True)
    assert report["documents"] == 30
    assert report["coverage"] == {"complete": False, "inputs_planned": 3, "inputs_counted": 2,
                                  "missing_inputs": [str(corpus[2])]}
    assert floor.predict(out, [2], replicates=0, allow_incomplete=True)["coverage"] == report["coverage"]
    line = f"PARTIAL: 2 of 3 inputs counted; missing 1: {corpus[2]}"
    for option in ("--csv", "--markdown", "--latex", None):
        code, output = _cli("estimate", out, "--allow-incomplete", *([option, "-"] if option else []))
        assert code == 0 and line in output, option
    assert _cli("estimate", out, "--csv", "-", "--allow-incomplete")[1].startswith(f"# {line}\n")
    code, output = _cli("predict", out, "--allow-incomplete", "--replicates", 0)
    assert code == 0 and line in output
    assert floor.estimate(out, allow_incomplete=True) == report
    # a merge of it is incomplete too, and says where to finish it
    floor.api.merge([out], tmp_path / "m", allow_incomplete=True)
    with pytest.raises(FloorError, match=r"m: incomplete: 2 of 3 inputs counted; missing \S+s2\.jsonl; it was merged "
                                         r"from incomplete directories \(\S+counts\): finish their scans"):
        floor.estimate(tmp_path / "m")
    assert floor.estimate(tmp_path / "m", allow_incomplete=True)["coverage"] == report["coverage"]
    # a complete one says so too
    floor.scan([str(c) for c in corpus], output=out, resume=True, workers=1)
    assert floor.estimate(out)["coverage"] == {"complete": True, "inputs_planned": 3, "inputs_counted": 3,
                                               "missing_inputs": []}


def test_a_resumed_scan_that_fails_stays_incomplete_and_resumable(corpus, tmp_path):
    out = tmp_path / "counts"
    bad = tmp_path / "corpus" / "s1.jsonl"
    good = bad.read_text()
    bad.write_text(good + "{broken\n")
    with pytest.raises(FloorError, match="s1.jsonl:21: malformed JSON"):
        floor.scan([str(c) for c in corpus], output=out, workers=1)
    assert not out.exists()  # a new directory that failed is removed
    # A resumed scan that fails keeps what it had, and is refused as incomplete, not estimated as what it holds.
    counts_dir = floor.scan([str(c) for c in corpus], output=out, workers=1, on_error="skip")
    _drop_part(counts_dir, "s1.jsonl")
    _drop_part(counts_dir, "s2.jsonl")
    with pytest.raises(FloorError, match="s1.jsonl:21: malformed JSON"):
        floor.scan([str(c) for c in corpus], output=out, resume=True, workers=1)
    with pytest.raises(FloorError, match=r"incomplete: [12] of 3 inputs counted"):
        floor.estimate(out)
    bad.write_text(good)  # fixed: nothing of it was counted, so it is planned anew as it is now
    floor.scan([str(c) for c in corpus], output=out, resume=True, workers=1)
    assert floor.estimate(out)["documents"] == 60


def test_a_directory_without_a_plan_is_read_as_its_parts_say(corpus, tmp_path):
    """As a floor that recorded no plan and no identities wrote it."""
    out = tmp_path / "old"
    counts_dir = floor.scan([str(c) for c in corpus], output=out, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["plan"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "plan.json").unlink()
    for part in counts_dir.part_dirs():
        meta = json.loads((part / "part.json").read_text())
        del meta["identities"]
        (part / "part.json").write_text(json.dumps(meta))
    report = floor.estimate(out)
    assert report["documents"] == 60
    assert report["coverage"] == {"complete": None, "inputs_planned": None, "inputs_counted": 3, "missing_inputs": []}
    _drop_part(CountsDir.open(out), "s2.jsonl")  # nothing says it is missing: read as before
    assert floor.estimate(out)["documents"] == 30
    floor.scan([str(c) for c in corpus], output=out, resume=True, workers=1)  # resumed by path, then planned
    assert floor.estimate(out)["coverage"]["complete"] is True and floor.estimate(out)["documents"] == 60


# --- an input changed since it was counted ---------------------------------------------------------------------------

def test_a_replaced_input_whose_part_is_complete_is_refused_on_resume(tmp_path):
    shards = [_write(tmp_path / f"s{i}.jsonl.gz", 100 * i, 10) for i in range(2)]
    out = tmp_path / "counts"
    counts_dir = floor.scan([str(s) for s in shards], output=out, workers=1)
    _drop_part(counts_dir, "s1.jsonl.gz")
    replacement = _write(tmp_path / "new.jsonl.gz", 500, 12)
    os.replace(replacement, shards[0])
    with pytest.raises(FloorError, match=rf"{shards[0]} changed since {out} began counting it \(\S+ bytes then, \S+ "
                                         r"now\); its counts there would be stale: restore the file, or scan the "
                                         "inputs into a new directory"):
        floor.scan([str(s) for s in shards], output=out, resume=True, workers=1)


@pytest.mark.parametrize("where, change", [("start", "its content differs"), ("middle", "it was modified since")])
def test_a_split_file_edited_in_place_is_refused_on_resume(tmp_path, where, change):
    path = _write(tmp_path / "big.jsonl", 0, 3000)  # about 220 KB: more than the 2 x 64 KiB the fingerprint reads
    out = tmp_path / "counts"
    counts_dir = floor.scan([str(path)], output=out, workers=1, split_bytes=50_000)
    assert len(counts_dir.part_dirs()) == 5
    shutil.rmtree(counts_dir.part_dirs()[-1])
    data = path.read_bytes()
    info = os.stat(path)
    at = data.index(b"Curie", 1000 if where == "start" else len(data) // 2)
    path.write_bytes(data[:at] + b"Bohrs" + data[at + 5:])  # the same size
    if where == "start":
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # the same time: the fingerprint tells
    with pytest.raises(FloorError, match=rf"big\.jsonl changed since \S+ began counting it \({change}\)"):
        floor.scan([str(path)], output=out, resume=True, workers=1, split_bytes=50_000)


def test_a_file_that_changes_while_it_is_read_fails_its_task(corpus, tmp_path, monkeypatch):
    from floor.engines import tasks

    count_file = tasks.count_file

    def count_then_append(path, *args, **kwargs):
        counted = count_file(path, *args, **kwargs)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"text": "a record written meanwhile"}) + "\n")
        return counted

    monkeypatch.setattr(tasks, "count_file", count_then_append)
    with pytest.raises(FloorError, match=r"s0\.jsonl changed while it was scanned; scan it again once it no longer "
                                         "changes"):
        floor.scan([str(corpus[0])], output=tmp_path / "counts", workers=1)
    assert not (tmp_path / "counts").exists()


# --- one scan at a time; a kill at any moment leaves a resumable directory -------------------------------------------

def test_resume_is_refused_while_another_scan_writes_the_directory(corpus, tmp_path):
    out = tmp_path / "counts"
    counts_dir = floor.scan([str(c) for c in corpus], output=out, workers=1)
    _drop_part(counts_dir, "s2.jsonl")
    writing = counts_dir.writer("being-written")  # a map task of the scan that holds the lock
    writing.write_spill({})
    with open(out / ".lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, output = _cli("scan", *corpus, "-o", out, "--resume", "-q")
        assert code == 2
        assert output == (f"floor: error: {out}: another floor scan is writing this counts directory (or workers "
                          "of a killed one still run); wait for it to finish, or stop it\n")
        assert writing.tmp.is_dir()  # its temporary part is left alone
    floor.scan([str(c) for c in corpus], output=out, resume=True, workers=1)
    assert floor.estimate(out)["documents"] == 60 and not writing.tmp.exists()


_KILL_BEFORE_MANIFEST = textwrap.dedent("""
    import os, signal, sys
    import floor

    replace = os.replace

    def replace_then(src, dst):
        if os.path.basename(str(dst)) == "manifest.json":
            os.kill(os.getpid(), signal.SIGKILL)
        replace(src, dst)

    os.replace = replace_then
    floor.scan(sys.argv[2:], output=sys.argv[1], workers=1)
""")


@pytest.mark.parametrize("resume", [True, False])
def test_a_scan_killed_before_its_manifest_starts_afresh(corpus, tmp_path, resume):
    out = tmp_path / "counts"
    proc = subprocess.run([sys.executable, "-c", _KILL_BEFORE_MANIFEST, str(out), *map(str, corpus)])
    assert proc.returncode == -signal.SIGKILL and out.is_dir() and not (out / "manifest.json").exists()
    code, output = _cli("scan", *corpus, "-o", out, "-q", *(["--resume"] if resume else []))
    assert code == 0, output
    assert floor.estimate(out)["documents"] == 60
    assert sorted(p.name for p in out.iterdir()) == [".lock", "manifest.json", "parts", "plan.json"]


# --- what is read is checked -----------------------------------------------------------------------------------------

def _edit_json(file: Path, edit) -> None:
    data = json.loads(file.read_text())
    file.write_text(json.dumps(edit(data)))


def _first_part(out: Path) -> Path:
    return sorted(p for p in (out / "parts").iterdir())[0]


def _bucket_files(out: Path) -> list[Path]:
    return sorted(_first_part(out).glob("bucket-*.parquet"))


def _rewrite_bucket(file: Path, column: str, values) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(file)
    table = table.set_column(table.schema.get_field_index(column), column, pa.array(values(table[column].to_numpy()),
                                                                                    table.schema.field(column).type))
    pq.write_table(table, file)


def _rewrite_rows(file: Path, rows) -> None:
    import pyarrow.parquet as pq

    pq.write_table(rows(pq.read_table(file)), file)


TAMPERINGS = {
    "buckets null": (lambda out: _edit_json(out / "manifest.json", lambda m: {**m, "buckets": None}),
                     "manifest.json: 'buckets' must be a whole number from 1 to 9999, not None"),
    "unit unknown": (lambda out: _edit_json(out / "manifest.json", lambda m: {**m, "unit": "word"}),
                     "manifest.json: 'unit' must be one of document, mention, not 'word'"),
    "part.json a list": (lambda out: _edit_json(_first_part(out) / "part.json", lambda m: [m]),
                         "part.json: part metadata must be an object, not list"),
    "documents a string": (lambda out: _edit_json(_first_part(out) / "part.json", lambda m: {**m, "documents": "10"}),
                           "part.json: 'documents' must be a whole number >= 0, not '10'"),
    "documents negative": (lambda out: _edit_json(_first_part(out) / "part.json", lambda m: {**m, "documents": -5}),
                           "part.json: 'documents' must be a whole number >= 0, not -5"),
    "skips not counts": (lambda out: _edit_json(_first_part(out) / "part.json",
                                                lambda m: {**m, "skipped": {"by_reason": {"x": "many"}}}),
                         "part.json: 'skipped' must be an object with counts"),
    "negative count": (lambda out: _rewrite_bucket(_bucket_files(out)[0], "count", lambda c: -c),
                       "not a valid counts bucket: a count is -"),
    "bucket renamed": (lambda out: os.rename(_bucket_files(out)[0], _bucket_files(out)[0].with_name(
                           "bucket-0015-0009.parquet")),
                       ".parquet: missing; "),
    "bucket deleted": (lambda out: _bucket_files(out)[0].unlink(), "part.json lists it (the part is damaged"),
    "bucket emptied": (lambda out: _rewrite_rows(_bucket_files(out)[0], lambda table: table.slice(0, 0)),
                       "not a valid counts bucket: 0 facts, where its part.json records "),
    "bucket cut short": (lambda out: _rewrite_rows(_bucket_files(out)[0], lambda table: table.slice(1)),
                         "facts, where its part.json records "),
    "bucket file added": (lambda out: shutil.copy(_bucket_files(out)[0], _first_part(out) / "bucket-0000-0099.parquet"),
                          "bucket-0000-0099.parquet: not a file of this part"),
    "bucket beyond the manifest": (lambda out: os.rename(_bucket_files(out)[0], _bucket_files(out)[0].with_name(
                                       "bucket-0016-0000.parquet")),
                                   "bucket-0016-0000.parquet: bucket 16, but"),
    "stray copy": (lambda out: shutil.copy(_bucket_files(out)[0], _bucket_files(out)[0].with_name("copy.parquet")),
                   "copy.parquet: not a file of a counts part"),
    "part copied": (lambda out: shutil.copytree(_first_part(out), out / "parts" / "zz-copy"),
                    "counts too; a counts directory must count each input once"),
    "plan null": (lambda out: (out / "plan.json").write_text("null"),
                  "plan.json: not a plan"),
    "input not planned": (lambda out: _edit_json(out / "plan.json", lambda p: {**p, "inputs": p["inputs"][1:]}),
                          "which its counts directory was not asked to count"),
    "identity tampered": (lambda out: _edit_json(_first_part(out) / "part.json", lambda m: {
                              **m, "identities": [{**m["identities"][0], "size": "big"}]}),
                          "part.json: input identity field 'size' must be a whole number >= 0, not 'big'"),
    "sample rate negative": (lambda out: _edit_json(out / "manifest.json", lambda m: {
                                 **m, "params": {**m["params"], "sample_rate": -1}}),
                             "manifest.json: 'params.sample_rate' must be a number in (0, 1], not -1"),
    "sample rate a string": (lambda out: _edit_json(out / "manifest.json", lambda m: {
                                 **m, "params": {**m["params"], "sample_rate": "1"}}),
                             "manifest.json: 'params.sample_rate' must be a number in (0, 1], not '1'"),
    "unit of the params differs": (lambda out: _edit_json(out / "manifest.json", lambda m: {**m, "unit": "mention"}),
                                   "manifest.json: 'params.unit' 'document' differs from 'unit' 'mention'"),
    "count beyond 2^53 mentions": (lambda out: _rewrite_bucket(_bucket_files(out)[0], "count", lambda c: c + 2**62),
                                   "mentions, beyond 2^53"),
    "split overlapping": (lambda out: _edit_json(_first_part(out) / "part.json", lambda m: {
                              **m, "split": {"start": 0, "end": 10, "index": 0, "count": 2, "size": 10}}),
                          "is not one of its 1 planned splits"),
}


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_a_tampered_directory_is_a_one_line_error_naming_the_file(corpus, tmp_path, name):
    tamper, message = TAMPERINGS[name]
    out = tmp_path / "counts"
    floor.scan([str(c) for c in corpus], output=out, workers=1)
    tamper(out)
    result = subprocess.run([sys.executable, "-m", "floor", "estimate", str(out)], capture_output=True, text=True)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith(f"floor: error: {out}") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def test_a_full_disk_while_writing_a_part_names_the_file(corpus, tmp_path, monkeypatch):
    import floor.count.store as store

    def full(table, where, **kw):  # what pyarrow raises: its message names no file
        raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")

    monkeypatch.setattr(store.pq, "write_table", full)
    with pytest.raises(FloorError, match=r"counts/parts/\.tmp-\w+/bucket-\d{4}-0000\.parquet: cannot write "
                                         r"\(.*No space left on device\)"):
        floor.scan([str(corpus[0])], output=tmp_path / "counts", workers=1)
    assert not (tmp_path / "counts").exists()  # a fresh scan that stops removes its directory
