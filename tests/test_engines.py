"""The report is the same for any worker count, shard split, merge order, and after a kill and resume."""

import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import floor
from floor.count import CountsDir


@pytest.fixture(scope="module")
def reference(sharded_corpus):
    return floor.run([str(sharded_corpus)], workers=1)


def test_one_and_two_workers_give_identical_reports(sharded_corpus, reference):
    assert floor.run([str(sharded_corpus)], workers=2) == reference
    assert reference["documents"] == 3000
    assert len(reference["inputs"]) == 6


def test_shards_scanned_separately_and_merged_in_any_order(sharded_corpus, reference, tmp_path):
    shards = sorted(str(p) for p in sharded_corpus.iterdir())
    groups = [shards[0:2], shards[2:3], shards[3:6]]
    dirs = []
    for i, group in enumerate(groups):
        floor.scan(group, output=tmp_path / f"counts-{i}", workers=1)
        dirs.append(tmp_path / f"counts-{i}")
    for n, order in enumerate(itertools.permutations(dirs)):
        merged = floor.api.merge(list(order), tmp_path / f"merged-{n}")
        assert floor.estimate(merged) == reference
    # merging merged directories is the same reduction again
    floor.api.merge([dirs[0], dirs[1]], tmp_path / "m01")
    floor.api.merge([tmp_path / "m01", dirs[2]], tmp_path / "m012")
    assert floor.estimate(tmp_path / "m012") == reference


def test_merge_refuses_overlapping_inputs(sharded_corpus, tmp_path):
    shard = str(sorted(sharded_corpus.iterdir())[0])
    floor.scan([shard], output=tmp_path / "a", workers=1)
    floor.scan([shard], output=tmp_path / "b", workers=1)
    with pytest.raises(floor.api.FloorError, match="counted in both"):
        floor.api.merge([tmp_path / "a", tmp_path / "b"], tmp_path / "ab")
    assert not (tmp_path / "ab").exists()


def test_scan_refuses_existing_directory_without_resume(sharded_corpus, tmp_path):
    floor.scan([str(sharded_corpus)], output=tmp_path / "c", workers=1)
    with pytest.raises(floor.api.FloorError, match="--resume"):
        floor.scan([str(sharded_corpus)], output=tmp_path / "c", workers=1)
    with pytest.raises(floor.api.FloorError, match="unit is 'document' here, not 'mention'"):
        floor.scan([str(sharded_corpus)], output=tmp_path / "c", resume=True, unit="mention")
    with pytest.raises(floor.api.FloorError, match=r"different scan options \(categories\)"):
        floor.scan([str(sharded_corpus)], output=tmp_path / "c", resume=True, categories=["birth_date"])


def test_spilling_gives_the_same_counts(sharded_corpus, reference, tmp_path):
    from floor.engines.local import scan_to_dir
    options = floor.api.scan_options()
    counts_dir = CountsDir.create(tmp_path / "c", unit=options.unit, params=options.as_params())
    paths = [str(p) for p in sorted(sharded_corpus.iterdir())]
    scan_to_dir(paths, options, counts_dir, workers=2, spill_facts=50)
    assert len(list(counts_dir.part_dirs()[0].glob("bucket-*"))) > 16  # it did spill
    assert floor.estimate(counts_dir) == reference


def test_killed_scan_resumes_to_the_same_result(sharded_corpus, reference, tmp_path):
    out = tmp_path / "counts"
    cmd = [sys.executable, "-m", "floor", "scan", str(sharded_corpus), "-o", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    parts = out / "parts"
    while time.time() < deadline and proc.poll() is None:
        done = [p for p in parts.iterdir() if not p.name.startswith(".")] if parts.is_dir() else []
        if len(done) >= 2:
            break
        time.sleep(0.005)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    completed = CountsDir.open(out).completed_inputs()
    assert 0 < len(completed) < 6
    # What the killed scan left is not estimated as the whole corpus, unless asked for, and then it says so.
    estimate = [sys.executable, "-m", "floor", "estimate", str(out)]
    refused = subprocess.run(estimate, capture_output=True, text=True)
    assert refused.returncode == 2
    assert f"incomplete: {len(completed)} of 6 inputs counted; missing " in refused.stderr
    assert f"finish it with 'floor scan ... -o {out} --resume'" in refused.stderr
    partial = subprocess.run(estimate + ["--allow-incomplete"], capture_output=True, text=True)
    assert partial.returncode == 0 and f"PARTIAL: {len(completed)} of 6 inputs counted" in partial.stdout
    result = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert floor.estimate(out) == reference
    assert not [p for p in parts.iterdir() if p.name.startswith(".")]  # no half-written parts left


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent, ..., start time at [19])."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int) -> list[tuple[int, str]]:
    """The child processes of ``pid``, each with its start time (a pid may be reused once it ends)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(entry.name))
        if fields is not None and int(fields[1]) == pid:
            found.append((int(entry.name), fields[19]))
    return found


def _running(process: tuple[int, str]) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_resume_while_workers_of_a_killed_scan_run_is_refused_not_crashed(sharded_corpus, reference, tmp_path):
    out = tmp_path / "counts"
    cmd = [sys.executable, "-m", "floor", "scan", str(sharded_corpus), "-o", str(out), "--workers", "2", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts, workers = out / "parts", []
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and parts.is_dir() and any(not p.name.startswith(".") for p in parts.iterdir()):
            break
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers live on
    proc.wait()
    try:
        result = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
        if any(_running(w) for w in workers):  # they held the directory all along
            assert result.returncode == 2, result.stderr
            assert "another floor scan is writing this counts directory (or workers of a killed one still run)" \
                in result.stderr
        else:
            assert result.returncode in (0, 2), result.stderr
    finally:
        for worker in workers:
            if _running(worker):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker[0], signal.SIGKILL)
    deadline = time.time() + 30
    while any(_running(w) for w in workers) and time.time() < deadline:
        time.sleep(0.01)
    result = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert floor.estimate(out) == reference


def test_sample_rate_scales_up_and_says_so(sharded_corpus, reference):
    sampled = floor.run([str(sharded_corpus)], workers=1, sample_rate=0.5)
    assert sampled["params"]["sample_rate"] == 0.5
    full = {g["category"]: g for g in reference["groups"]}
    for group in sampled["groups"]:
        whole = full[group["category"]]
        assert group["sampled"]["rate"] == 0.5
        assert group["conflicting_entities"] is None
        # About half the facts are kept, counted exactly, and scaled back up (mention totals vary more: a
        # single heavy fact kept or not moves them by hundreds).
        kept = sum(group["sampled"]["observed_profile"].values())
        assert kept == pytest.approx(whole["distinct_facts"] / 2, rel=0.15)
        assert group["distinct_facts"] == pytest.approx(whole["distinct_facts"], rel=0.15)
        assert group["ci_high"] - group["ci_low"] > whole["ci_high"] - whole["ci_low"]
        assert group["ci_low"] <= whole["singleton_rate"] <= group["ci_high"]
