"""Reliability under SIGKILL: a scan or merge killed at a random moment, then resumed or rerun, converges to the
result of an uninterrupted run, and no worker process outlives the scan that started it.

Each trial kills ``floor scan --workers 2`` (its main process alone, as a scheduler or the OOM killer may, or its
whole process group) or ``floor merge`` after a seeded random delay, checks what the kill left (no orphan
worker 5 s after its parent died; a counts directory that estimates either exactly as the uninterrupted run or
not at all; a merge output that is the old one or the new one, whole), then resumes or reruns and compares.
``FLOOR_KILL_TRIALS`` sets the number of trials (default 8; the acceptance run uses 100).

Then: a worker killed alone stops its scan with one line naming its input; a forked worker dies with its
parent; the Ray tasks of a killed driver's own Ray instance write no part after it died.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from floor.cli import main

from .conftest import load_make_sample

TRIALS = int(os.environ.get("FLOOR_KILL_TRIALS", "8"))
KINDS = ("scan-main", "scan-group", "merge-main", "merge-group")
# Without --quiet, so that killed scans run their progress monitor too; runs whose stderr is read add it.
SCAN_ARGS = ("--workers", "2", "--split-mib", "1")
ORPHAN_GRACE_SECONDS = 5.0
RESUME_ATTEMPTS = 3  # a resume may be refused while the killed run's processes still hold the directory
RUN_TIMEOUT_SECONDS = 120

pytestmark = pytest.mark.skipif(not os.path.isdir(f"/proc/{os.getpid()}/task"), reason="needs Linux /proc")


# --- processes --------------------------------------------------------------------------------------------------

def floor_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "floor", *[str(a) for a in args]]


def run_floor(*args) -> subprocess.CompletedProcess:
    return subprocess.run(floor_cmd(*args), capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS)


def start_time(pid: int) -> str | None:
    """The start time of ``pid`` (to tell it from a later process given the same pid), None if it is gone or
    a zombie (dead, not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
    return None if fields[0] in "ZX" else fields[19]


def children(pid: int) -> set[tuple[int, str]]:
    """The live child processes of ``pid`` as (pid, start time)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids = (task / "children").read_text().split()
        except OSError:
            continue
        found.update((int(p), start_time(int(p))) for p in pids)
    return {(p, t) for p, t in found if t is not None}


def alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    return {(p, t) for p, t in processes if start_time(p) == t}


def kill_after(cmd: list[str], delay: float, group: bool) -> set[tuple[int, str]]:
    """Start ``cmd`` in its own process group, SIGKILL its main process (or the whole group) after ``delay``
    seconds; return the child processes it had by then."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    seen: set[tuple[int, str]] = set()
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        seen |= children(proc.pid)
        time.sleep(0.01)
    if proc.poll() is None:
        seen |= children(proc.pid)
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return seen


def assert_no_survivors(processes: set[tuple[int, str]]) -> None:
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    while alive(processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = alive(processes)
    for pid, _ in survivors:  # do not leave them running after the test
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"worker processes {sorted(p for p, _ in survivors)} outlived their parent"


# --- results ----------------------------------------------------------------------------------------------------

def estimate_json(counts: Path):
    """(exit code, JSON report or error) of ``floor estimate COUNTS --json -``."""
    result = CliRunner().invoke(main, ["estimate", str(counts), "--json", "-"])
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def tree(path: Path) -> dict[str, bytes] | None:
    """Every file under ``path`` (relative name -> bytes), None if ``path`` does not exist."""
    if not path.exists():
        return None
    return {str(f.relative_to(path)): f.read_bytes() for f in sorted(path.rglob("*")) if f.is_file()}


def assert_one_line_error(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 2, f"exit {result.returncode}:\n{result.stderr}"
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("floor: error: "), result.stderr


# --- fixtures ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """About 1.5 s of scanning with two workers: a 1.8 MB JSONL file (two splits at --split-mib 1), a gzipped
    JSONL file and a small JSONL file."""
    from floor.errors import SkipLog
    from floor.sources import iter_documents

    base = tmp_path_factory.mktemp("kills")
    load_make_sample().generate(base / "generated", seed=23, docs=7000, heldout=True)
    lines = [json.dumps({"id": d.doc_id, "text": d.text}) + "\n"
             for d in iter_documents([str(base / "generated")], skips=SkipLog())]
    corpus = base / "corpus"
    corpus.mkdir()
    big, gz = int(len(lines) * 0.6), int(len(lines) * 0.85)
    (corpus / "big.jsonl").write_text("".join(lines[:big]), encoding="utf-8")
    with gzip.open(corpus / "shard.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(lines[big:gz])
    (corpus / "small.jsonl").write_text("".join(lines[gz:]), encoding="utf-8")
    assert (corpus / "big.jsonl").stat().st_size > 1 << 20
    return corpus


def timed(*args) -> float:
    start = time.monotonic()
    result = run_floor(*args)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - start


@pytest.fixture(scope="module")
def scan_reference(corpus, tmp_path_factory):
    """The uninterrupted scan: its report and how long it took."""
    out = tmp_path_factory.mktemp("scan-reference") / "counts"
    seconds = timed("scan", corpus, "-o", out, *SCAN_ARGS)
    assert len(list((out / "parts").iterdir())) == 4  # two splits and two whole files
    code, report = estimate_json(out)
    assert code == 0 and json.loads(report)["documents"] == 7000
    return report, seconds


@pytest.fixture(scope="module")
def merge_reference(corpus, tmp_path_factory):
    """Two counts directories to merge, an older output to be replaced (an earlier merge of the same inputs: the
    only kind of directory that merge replaces), the uninterrupted merge and its time."""
    base = tmp_path_factory.mktemp("merge-reference")
    a, b, old, merged = base / "a", base / "b", base / "old", base / "merged"
    assert run_floor("scan", corpus / "big.jsonl", "-o", a, *SCAN_ARGS).returncode == 0
    assert run_floor("scan", corpus / "shard.jsonl.gz", corpus / "small.jsonl", "-o", b, *SCAN_ARGS).returncode == 0
    assert run_floor("merge", a, b, "-o", old).returncode == 0
    seconds = timed("merge", a, b, "-o", merged)
    return a, b, tree(old), tree(merged), seconds


# --- trials -----------------------------------------------------------------------------------------------------

def resume(corpus: Path, out: Path) -> None:
    """Resume until it succeeds; an attempt may only be refused with a one-line error."""
    for _ in range(RESUME_ATTEMPTS):
        result = run_floor("scan", corpus, "-o", out, "--resume", "--quiet", *SCAN_ARGS)
        if result.returncode == 0:
            return
        assert_one_line_error(result)
        time.sleep(1.0)
    pytest.fail(f"--resume failed {RESUME_ATTEMPTS} times: {result.stderr}")


def scan_trial(rng: random.Random, corpus: Path, out: Path, group: bool, reference: str, seconds: float) -> None:
    # One kill, sometimes a second one during the first resume.
    for kill in range(rng.choice([1, 1, 2])):
        args = ("scan", corpus, "-o", out, *SCAN_ARGS) + (("--resume",) if kill else ())
        workers = kill_after(floor_cmd(*args), rng.uniform(0, seconds), group)
        assert_no_survivors(workers)
        code, report = estimate_json(out)
        # A directory the kill left estimates exactly as the whole scan (the kill came after the last part), or
        # is refused (one line, exit 2): never a report of part of the data.
        assert code == 2 or report == reference, "a killed scan's directory estimated to a different report"
    resume(corpus, out)
    code, report = estimate_json(out)
    assert code == 0, report
    assert report == reference


def merge_trial(rng: random.Random, out: Path, group: bool, merge_reference) -> None:
    a, b, old, merged, seconds = merge_reference
    if rng.random() < 0.5:
        for name, data in old.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        before = old
    else:
        before = None
    assert_no_survivors(kill_after(floor_cmd("merge", a, b, "-o", out), rng.uniform(0, seconds), group))
    left = tree(out)
    assert left == before or left == merged, "a killed merge left a partial output"
    result = run_floor("merge", a, b, "-o", out)
    assert result.returncode == 0, result.stderr
    assert tree(out) == merged


@pytest.mark.parametrize("trial", range(TRIALS))
def test_killed_run_converges_to_the_uninterrupted_result(trial, corpus, scan_reference, merge_reference, tmp_path):
    rng = random.Random(trial)
    kind = KINDS[trial % len(KINDS)]
    group = kind.endswith("group")
    if kind.startswith("scan"):
        scan_trial(rng, corpus, tmp_path / "counts", group, *scan_reference)
    else:
        merge_trial(rng, tmp_path / "merged", group, merge_reference)


# --- a worker that dies -----------------------------------------------------------------------------------------

def open_files(pid: int) -> set[str]:
    files = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            files.add(os.readlink(fd))
        except OSError:
            pass
    return files


def test_a_killed_worker_stops_the_scan_with_one_line_naming_its_input(corpus, scan_reference, tmp_path):
    out = tmp_path / "counts"
    # A worker's death is not the input's fault: even a directory the scan created is kept, to be resumed.
    proc = subprocess.Popen(floor_cmd("scan", corpus, "-o", out, "--quiet", *SCAN_ARGS),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    gz = str(corpus / "shard.jsonl.gz")
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    victim, workers = None, set()
    while victim is None and time.monotonic() < deadline and proc.poll() is None:
        workers |= children(proc.pid)
        victim = next((pid for pid, _ in workers if gz in open_files(pid)), None)
        time.sleep(0.005)
    assert victim is not None, "no worker was seen reading the .gz file"
    os.kill(victim, signal.SIGKILL)
    stderr = proc.communicate(timeout=RUN_TIMEOUT_SECONDS)[1]
    assert proc.returncode == 2
    assert stderr == (f"floor: error: worker on {gz} died (killed by signal 9, SIGKILL); "
                      f"continue with 'floor scan ... -o {out} --resume'\n")
    assert_no_survivors(workers)
    assert (out / "plan.json").is_file()
    # The other worker was stopped too, and nothing it or the dead one had written is left.
    parts = sorted((out / "parts").iterdir())
    assert all((part / "part.json").is_file() and not part.name.startswith(".") for part in parts)
    resume(corpus, out)
    assert estimate_json(out) == (0, scan_reference[0])


@pytest.mark.parametrize("exitcode, description", [
    (-9, "killed by signal 9, SIGKILL"), (-15, "killed by signal 15, SIGTERM"), (3, "exited with status 3"),
    (0, "exited"), (-200, "killed by signal 200"),
])
def test_how_a_worker_ended_is_said_in_words(exitcode, description):
    from floor.engines.local import _exit_description
    assert _exit_description(exitcode) == description


# --- a worker outlives no parent --------------------------------------------------------------------------------

FORKING_PARENT = """
import os, sys, time
from floor.engines import local
if {watch_thread}:
    local.arm_parent_death_signal = lambda: False  # as on a platform without prctl
parent = os.getpid()
if os.fork() == 0:
    local._die_with(parent)
    print(os.getpid(), flush=True)
    time.sleep(60)
    os._exit(0)
time.sleep(60)
"""


@pytest.mark.parametrize("watch_thread", [False, True], ids=["death-signal", "watch-thread"])
def test_a_forked_worker_dies_with_its_parent(watch_thread):
    parent = subprocess.Popen([sys.executable, "-c", FORKING_PARENT.format(watch_thread=watch_thread)],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        child_pid = int(parent.stdout.readline())  # printed once the child watches its parent
        child = {(child_pid, start_time(child_pid))}
        assert alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert_no_survivors(child)
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
            parent.wait()


# --- Ray tasks --------------------------------------------------------------------------------------------------

def descendants(pid: int) -> set[tuple[int, str]]:
    found, todo = set(), [pid]
    while todo:
        kids = children(todo.pop())
        found |= kids
        todo.extend(p for p, _ in kids)
    return found


def test_ray_tasks_of_a_killed_driver_write_no_part(corpus, tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "counts"
    proc = subprocess.Popen(floor_cmd("scan", corpus, "-o", out, "--engine", "ray", *SCAN_ARGS),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    started: set[tuple[int, str]] = set()
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        parts = out / "parts"
        while proc.poll() is None and time.monotonic() < deadline:
            started |= descendants(proc.pid)
            names = [p.name for p in parts.iterdir()] if parts.is_dir() else []
            # A part done and another being written: warm workers, whose tasks take well under a second.
            if any(n.startswith(".") for n in names) and any(not n.startswith(".") for n in names):
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the scan ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)  # the driver alone, while its tasks write their parts
        proc.wait()
        complete = sorted(p.name for p in parts.iterdir() if not p.name.startswith("."))
        time.sleep(3)  # a task that outlived the driver would have finished its part by now
        assert sorted(p.name for p in parts.iterdir() if not p.name.startswith(".")) == complete
    finally:
        for pid, _ in alive(started):  # Ray's agents linger a minute after their raylet died
            os.kill(pid, signal.SIGKILL)

