"""The Ray engine gives exactly what the local engine gives: same parts, same summary, same errors, same resume.

One local Ray instance (2 CPUs) is shared by the module; the engine uses it as is and must leave it running.
"""

from __future__ import annotations

import filecmp
import importlib.util
import io
import logging
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from floor import api  # noqa: E402
from floor.count import CountsDir, merge_tables  # noqa: E402
from floor.engines import ray as ray_engine  # noqa: E402
from floor.engines.local import scan_to_dir  # noqa: E402
from floor.engines.ray import scan_to_dir_ray, summarize_ray  # noqa: E402
from floor.engines.tasks import ScanOptions, Task, scan_file_to_dir  # noqa: E402
from floor.errors import FloorError, InputError  # noqa: E402
from floor.sources import expand_inputs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_sample", ROOT / "scripts" / "make_sample.py")
make_sample = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("make_sample", make_sample)
_spec.loader.exec_module(make_sample)

BAD_LINE = "{not json\n"


@pytest.fixture(scope="module", autouse=True)
def ray_instance():
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    yield
    assert ray.is_initialized(), "the engine shut down a Ray instance it did not start"
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """Three shards (JSONL.zst, JSONL.gz, Parquet) of generated biographies, plus a hand-written JSONL shard."""
    out = tmp_path_factory.mktemp("corpus")
    make_sample.generate(out / "gen", seed=7, docs=2000)
    extra = out / "extra.jsonl"
    extra.write_text('{"id": "x1", "text": "Ada Lovelace (born 10 December 1815) was a mathematician."}\n'
                     '{"id": "x2", "text": "Ada Lovelace was born on December 10, 1815 in London."}\n',
                     encoding="utf-8")
    return expand_inputs([str(out / "gen"), str(extra)])


def _new_dir(path: Path, options: ScanOptions, **kw) -> CountsDir:
    return CountsDir.create(path, unit=options.unit, params=options.as_params(), **kw)


def _local_dir(paths, options, path: Path) -> CountsDir:
    counts_dir = _new_dir(path, options)
    scan_to_dir(paths, options, counts_dir, workers=1)
    return counts_dir


def _same_tree(a: Path, b: Path) -> None:
    """Same files with the same bytes (parquet included: same writer, same data, same spills)."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(p) for p in files_a], shallow=False)
    assert not mismatch and not errors


def _same_buckets(a: CountsDir, b: CountsDir) -> None:
    for bucket in range(a.buckets):
        ta, tb = merge_tables(a.read_bucket(bucket)), merge_tables(b.read_bucket(bucket))
        assert list(ta) == list(tb)
        for category in ta:
            for field in ("keys", "entities", "counts"):
                assert getattr(ta[category], field).tolist() == getattr(tb[category], field).tolist()


def _same_summary(a, b) -> None:
    assert list(a.profiles) == list(b.profiles)
    for category in a.profiles:
        assert a.profiles[category].ks.tolist() == b.profiles[category].ks.tolist()
        assert a.profiles[category].fs.tolist() == b.profiles[category].fs.tolist()
    assert a.conflicting == b.conflicting


def _same_meta(a: dict, b: dict) -> None:
    assert a["inputs"] == b["inputs"] and a["documents"] == b["documents"]
    assert a["skips"].as_dict() == b["skips"].as_dict()


def test_scan_to_dir_matches_local_byte_for_byte(corpus, tmp_path):
    options = ScanOptions()
    local = _local_dir(corpus, options, tmp_path / "local")
    on_ray = _new_dir(tmp_path / "ray", options)
    scan_to_dir_ray(corpus, options, on_ray, spill_facts=500)  # several spills per part ...
    small = _new_dir(tmp_path / "local-spills", options)
    scan_to_dir(corpus, options, small, workers=1, spill_facts=500)  # ... exactly like the local engine's
    _same_tree(small.path, on_ray.path)
    _same_buckets(local, on_ray)
    assert api.estimate(on_ray) == api.estimate(local)
    assert api.estimate(local)["documents"] == 2002


def test_summarize_matches_local(corpus, tmp_path):
    options = ScanOptions(unit="mention")
    local = _local_dir(corpus, options, tmp_path / "local")
    summary, meta = summarize_ray(corpus, options, buckets=5)  # the bucket count never changes the result
    _same_summary(summary, local.summary())
    _same_meta(meta, local.metadata())
    assert api.estimate(summary.profiles) == api.estimate(local.summary().profiles)


def test_api_run_reports_are_identical(corpus):
    assert api.run(corpus, engine="ray") == api.run(corpus)


def test_splits_of_a_large_file_match_local(corpus, tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_bytes(b"".join(Path(p).read_bytes() for p in corpus if p.endswith(".jsonl")) * 200)
    whole = api.run([str(big)], split_bytes=10**12)
    assert api.run([str(big)], engine="ray", split_bytes=20_000) == whole
    counts = api.scan([str(big)], output=tmp_path / "ray", engine="ray", split_bytes=20_000)
    assert len(counts.part_dirs()) == counts.part_meta(counts.part_dirs()[0])["split"]["count"] > 1
    local = api.scan([str(big)], output=tmp_path / "local", workers=1, split_bytes=20_000)
    _same_tree(local.path, counts.path)
    assert api.estimate(counts) == whole


def test_relative_paths_and_skips_match_local(corpus, tmp_path, monkeypatch):
    # The workers started in another directory; relative inputs must still mean the driver's files, and
    # part names, skip examples and the report must keep them as given.
    bad = tmp_path / "data" / "bad.jsonl"
    bad.parent.mkdir()
    bad.write_text('{"id": "b1", "text": "Alan Turing (born 23 June 1912) was a mathematician."}\n' + BAD_LINE,
                   encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    paths = ["data/bad.jsonl", *corpus]
    options = ScanOptions(on_error="skip")
    local = _local_dir(paths, options, tmp_path / "local")
    on_ray = _new_dir(tmp_path / "ray", options)
    scan_to_dir_ray(paths, options, on_ray)
    _same_tree(local.path, on_ray.path)
    report = api.estimate(on_ray)
    assert report == api.estimate(local)
    assert report["skipped"]["total"] == 1 and report["skipped"]["examples"]["malformed_json"][0].startswith("data/bad.jsonl:2: ")
    summary, meta = summarize_ray(paths, options)
    _same_summary(summary, local.summary())
    _same_meta(meta, local.metadata())


def test_stdin_is_read_by_the_driver(corpus, tmp_path, monkeypatch):
    text = '{"id": "s1", "text": "Ada Lovelace (born 10 December 1815) was a mathematician."}\n'
    options = ScanOptions()
    paths = ["-", corpus[-1]]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    local = _local_dir(paths, options, tmp_path / "local")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    on_ray = _new_dir(tmp_path / "ray", options)
    scan_to_dir_ray(paths, options, on_ray)
    _same_tree(local.path, on_ray.path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    summary, meta = summarize_ray(paths, options)
    _same_summary(summary, local.summary())
    _same_meta(meta, local.metadata())


def test_bad_input_is_one_line_floor_error(corpus, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b1", "text": "nothing here"}\n' + BAD_LINE, encoding="utf-8")
    paths = [*corpus, str(bad)]
    with pytest.raises(InputError) as scanned:
        scan_to_dir_ray(paths, ScanOptions(), _new_dir(tmp_path / "ray", ScanOptions()))
    with pytest.raises(InputError) as summarized:
        summarize_ray(paths, ScanOptions())
    for error in (scanned.value, summarized.value):
        assert not isinstance(error, ray.exceptions.RayError)  # the task's own error, not Ray's wrapper
        message = str(error)
        assert message.startswith(f"{bad}:2: malformed JSON") and "\n" not in message
    # No temporary part is left behind by the cancelled or failed tasks.
    assert not list((tmp_path / "ray" / "parts").glob(".tmp-*"))


def test_resume_skips_completed_inputs(corpus, tmp_path):
    options = ScanOptions()
    first, rest = corpus[0], corpus[1:]
    # A killed run: one input completed, another left a temporary part.
    counts_dir = _new_dir(tmp_path / "ray", options)
    scan_file_to_dir(Task(first), options, str(counts_dir.path))
    done = next(counts_dir.parts_dir.iterdir())
    stamp = (done / "part.json").stat().st_mtime_ns
    counts_dir.writer("unfinished").write_spill({})

    resumed = _new_dir(tmp_path / "ray", options, resume=True)
    assert resumed.completed_inputs() == {first}
    scan_to_dir_ray(corpus, options, resumed)
    assert (done / "part.json").stat().st_mtime_ns == stamp  # the completed input was not counted again
    parts = {p.name: resumed.part_meta(p)["inputs"] for p in resumed.part_dirs()}
    assert sorted(map(tuple, parts.values())) == sorted((p,) for p in corpus)
    assert not list(resumed.parts_dir.glob(".tmp-*"))

    uninterrupted = _local_dir(corpus, options, tmp_path / "local")
    _same_tree(uninterrupted.path, resumed.path)
    assert api.estimate(resumed) == api.estimate(uninterrupted)
    scan_to_dir_ray(corpus, options, resumed)  # nothing left to do: no Ray task at all
    assert len(resumed.part_dirs()) == len(corpus)


def test_counts_dir_not_visible_on_node(corpus, tmp_path):
    # What a task sees on a node without the shared filesystem: it says so in one line.
    task = ray.remote(ray_engine._scan_part).remote(corpus[0], ScanOptions(), str(tmp_path / "nowhere"), 1000,
                                                    str(tmp_path))
    with pytest.raises(FloorError, match="filesystem shared by every node"):
        ray_engine._get(ray, task)


def test_without_ray_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(FloorError, match=r"pip install 'hallucination-floor\[ray\]'"):
        summarize_ray([], ScanOptions())
