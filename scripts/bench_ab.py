#!/usr/bin/env python3
"""This checkout of floor against another one, run by turns on the same corpus: is a change faster or slower?

    python scripts/bench_ab.py ../floor-before                    # 8 rounds, 1 and 2 workers, bench.py's corpus
    python scripts/bench_ab.py ../floor-before --rounds 12 --workers 1 --corpus DIR

The other checkout is the baseline (A), this one the change (B); make A with ``git worktree add ../floor-before
<commit>``. A round runs ``floor.api.scan`` (what ``floor run`` does before it estimates) over the corpus in a
fresh interpreter with A's package, then with B's, for each worker count: taking turns puts both under the same
load, where a shared machine's speed drifts by a fifth from one minute to the next (``scripts/bench.py`` runs its
rows one after the other, so two of its runs, minutes apart, do not compare to 5%). Both checkouts' pattern caches
are filled first, as an earlier run on the machine would have. Prints each side's minimum, median and mean scan
time and B/A of each (below 1: the change is faster).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402 - the corpus generator of the throughput benchmark

DRIVER = """
import json, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from floor import api
files = json.loads(sys.argv[2])
with tempfile.TemporaryDirectory(prefix="floor-bench-ab-") as tmp:
    started = time.perf_counter()
    api.scan(files, output=tmp + "/counts", workers=int(sys.argv[3]))
    print(time.perf_counter() - started)
"""

WARM = "import sys; sys.path.insert(0, sys.argv[1]); from floor.extract import Extractor; x = Extractor(); " \
       "x.compile(); x.prefilter()"


def scan_seconds(tree: Path, files: list[str], workers: int) -> float:
    out = subprocess.run([sys.executable, "-c", DRIVER, str(tree), json.dumps(files), str(workers)], check=True,
                         capture_output=True, text=True, cwd=tree)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("baseline", help="the other checkout (A): a directory holding floor/")
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--corpus", help="existing corpus directory (*.jsonl shards); default: bench.py's 200 MB one")
    p.add_argument("--work", default=str(bench.DEFAULT_WORK), help="where a generated corpus goes")
    args = p.parse_args()

    trees = {"A": Path(args.baseline).resolve(), "B": HERE.parent}
    for name, tree in trees.items():
        if not (tree / "floor" / "__init__.py").is_file():
            sys.exit(f"bench_ab: {tree} holds no floor/ package ({name})")
    if args.corpus:
        corpus = Path(args.corpus)
    else:
        corpus = Path(args.work) / bench.corpus_name(200, 4, 0, 0.2)
        if not (corpus / "corpus.json").exists():
            bench.generate_corpus(corpus, mb=200, shards=4)
    files = sorted(str(f) for f in corpus.glob("*.jsonl"))
    if not files:
        sys.exit(f"bench_ab: no *.jsonl shards in {corpus}")
    for tree in trees.values():
        subprocess.run([sys.executable, "-c", WARM, str(tree)], check=True, cwd=tree)

    times: dict[tuple[str, int], list[float]] = {}
    for round_ in range(args.rounds):
        for workers in args.workers:
            for name, tree in trees.items():
                times.setdefault((name, workers), []).append(scan_seconds(tree, files, workers))
        print(f"bench_ab: round {round_ + 1}/{args.rounds}", file=sys.stderr)

    print(f"corpus: {corpus} ({len(files)} shards); A = {trees['A']}; B = {trees['B']}; {args.rounds} rounds")
    print(f"{'workers':>7}  {'A min':>6} {'A med':>6} {'A mean':>6}  {'B min':>6} {'B med':>6} {'B mean':>6}  "
          f"{'B/A min':>7} {'med':>5} {'mean':>5}")
    for workers in args.workers:
        a, b = times["A", workers], times["B", workers]
        stats_a = (min(a), statistics.median(a), statistics.mean(a))
        stats_b = (min(b), statistics.median(b), statistics.mean(b))
        ratios = [y / x for x, y in zip(stats_a, stats_b)]
        print(f"{workers:>7}  " + " ".join(f"{v:6.2f}" for v in stats_a) + "  "
              + " ".join(f"{v:6.2f}" for v in stats_b) + f"  {ratios[0]:7.2f} {ratios[1]:5.2f} {ratios[2]:5.2f}")


if __name__ == "__main__":
    main()
