#!/usr/bin/env python3
"""Measure far predictions of the singleton rate (10x and 100x) on simulated Zipf corpora.

    python scripts/eval_far.py                      # the full grid (a few minutes)
    python scripts/eval_far.py --exponents 1.5 --sizes 1e6 --seeds 1

Each corpus: a Zipf law p_i ∝ i^(−s) over ``--support`` facts, and a corpus of M mentions drawn as independent
Poisson(M p_i) counts (the multinomial's counts up to the randomness of the total). The sample is a binomial
thinning of the corpus to 10% and 1% of its mentions, exactly what a random sample of the corpus's mentions is;
each method predicts, from the sample, the singleton rate of the whole corpus (10x, 100x) and its 95% interval,
and is scored against the corpus's measured rate: relative error predicted/measured − 1, and whether the
interval held the measured rate.

Methods: floor.estimate.far's "pitman_yor" and "engen" (the fitted model's intervals); "chosen",
floor.estimate.backtest.predict_far_checked: the method the backtest on the sample picks, its interval widened by
the backtest's error ("not reliable" when no method's backtest holds, counted apart as not estimable); and the
existing predictions of floor.estimate.summary.predict ("npmle", "chao_jost", "good_toulmin", "sgt", with their
bootstrap intervals; rows that predict reports as not estimable are counted apart). "npmle-curve" is the NPMLE's
curve read beyond the range predict reports it in (no interval).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from floor.estimate.backtest import predict_far_checked  # noqa: E402
from floor.estimate.far import METHODS, predict_sr_far  # noqa: E402
from floor.estimate.mixture import fit_poisson_mixture  # noqa: E402
from floor.estimate.summary import predict  # noqa: E402
from floor.profile import Profile  # noqa: E402


def zipf_law(exponent: float, support: int) -> np.ndarray:
    """p_i ∝ i^(−exponent), i = 1..support."""
    p = np.arange(1, support + 1, dtype=np.float64) ** -exponent
    return p / p.sum()


def profile_of(counts: np.ndarray) -> Profile:
    """The profile of per-fact counts, by bincount (counts are small; np.unique would sort 1e7 values)."""
    fk = np.bincount(counts)
    ks = np.flatnonzero(fk)
    ks = ks[ks > 0]
    return Profile(ks, fk[ks])


def score(results: dict, key: tuple, value: float, low: float, high: float, truth: float) -> None:
    if value is None or not math.isfinite(value):
        results[key].append((math.nan, math.nan))
        return
    covered = math.nan if low is None or high is None else float(low <= truth <= high)
    results[key].append((value / truth - 1.0, covered))


def evaluate(exponents, sizes, fractions, seeds, support, *, existing=True, thinnings=10, log=None) -> dict:
    """{(method, scale label, exponent, size): [(relative error, covered), ...]} over the grid; NaN error = not
    estimable (or "not reliable" for "chosen"), NaN covered = no interval."""
    results: dict = defaultdict(list)
    for exponent in exponents:
        law = zipf_law(exponent, support)
        for size in sizes:
            for seed in range(seeds):
                rng = np.random.default_rng([seed, int(size), int(exponent * 1000)])
                corpus = rng.poisson(size * law)
                whole = profile_of(corpus)
                truth = whole.singletons / whole.mentions
                for fraction in fractions:
                    sample = profile_of(rng.binomial(corpus, fraction))
                    t = whole.mentions / sample.mentions
                    label = f"{round(1 / fraction)}x"
                    started = time.time()
                    for method in METHODS:
                        r = predict_sr_far(sample, t, method)
                        score(results, (method, label, exponent, size), r.value, r.low, r.high, truth)
                    r, choice = predict_far_checked(sample, t, thinnings=thinnings, seed=seed)
                    score(results, ("chosen", label, exponent, size), r.value, r.low, r.high, truth)
                    if existing:
                        fit = fit_poisson_mixture(sample)
                        score(results, ("npmle-curve", label, exponent, size), fit.singleton_rate(t), None, None,
                              truth)
                        for row in predict(sample, [t], replicates=50, seed=seed):
                            score(results, (row["method"], label, exponent, size), row["singleton_rate"],
                                  row["ci_low"], row["ci_high"], truth)
                    if log:
                        log(f"s={exponent} M={size:.0e} seed={seed} {label}: sr={truth:.4g} "
                            f"chosen={choice.method} ({time.time() - started:.1f}s)")
    return results


def summarize(results: dict) -> list[dict]:
    """Per (method, scale): mean relative error, mean |error|, coverage, and how many were estimable."""
    pooled: dict = defaultdict(list)
    for (method, label, _, _), rows in results.items():
        pooled[(method, label)].extend(rows)
    out = []
    for (method, label), rows in sorted(pooled.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        errors = np.array([e for e, _ in rows])
        covered = np.array([c for _, c in rows])
        ok = np.isfinite(errors)
        with_interval = ok & np.isfinite(covered)
        out.append({"method": method, "scale": label, "runs": len(rows), "estimable": int(ok.sum()),
                    "mean_error": float(np.mean(errors[ok])) if ok.any() else math.nan,
                    "mean_abs_error": float(np.mean(np.abs(errors[ok]))) if ok.any() else math.nan,
                    "coverage": float(np.mean(covered[with_interval])) if with_interval.any() else math.nan})
    return out


def format_table(rows: list[dict]) -> str:
    lines = ["| scale | method | estimable/runs | mean rel. error | mean abs. rel. error | 95% coverage |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        cov = "—" if math.isnan(r["coverage"]) else f"{r['coverage']:.2f}"
        err = "—" if math.isnan(r["mean_error"]) else f"{r['mean_error']:+.1%}"
        abs_err = "—" if math.isnan(r["mean_abs_error"]) else f"{r['mean_abs_error']:.1%}"
        lines.append(f"| {r['scale']} | {r['method']} | {r['estimable']}/{r['runs']} | {err} | {abs_err} | {cov} |")
    return "\n".join(lines)


def breakdown_table(results: dict, method: str, by: str) -> str:
    """One method's mean |error| and coverage per scale and ``by`` ("exponent" or "size")."""
    position = {"exponent": 2, "size": 3}[by]
    pooled: dict = defaultdict(list)
    for key, rows in results.items():
        if key[0] == method:
            pooled[(key[1], key[position])].extend(rows)
    lines = [f"| scale | {by} | {method}: estimable/runs | mean abs. rel. error | coverage |",
             "|---|---|---|---|---|"]
    for (label, value), rows in sorted(pooled.items()):
        errors = np.array([e for e, _ in rows])
        covered = np.array([c for _, c in rows])
        ok = np.isfinite(errors)
        abs_err = f"{np.mean(np.abs(errors[ok])):.1%}" if ok.any() else "—"
        cov = f"{np.mean(covered[ok]):.2f}" if ok.any() else "—"
        lines.append(f"| {label} | {value:g} | {int(ok.sum())}/{len(rows)} | {abs_err} | {cov} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--exponents", type=float, nargs="+", default=[1.1, 1.3, 1.5, 1.7, 2.0])
    p.add_argument("--sizes", type=float, nargs="+", default=[1e5, 1e6, 1e7], help="corpus mentions")
    p.add_argument("--fractions", type=float, nargs="+", default=[0.1, 0.01])
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--support", type=int, default=10**7, help="facts in the Zipf law")
    p.add_argument("--thinnings", type=int, default=10, help="backtest thinnings for the chosen method")
    p.add_argument("--no-existing", action="store_true", help="skip npmle/chao_jost/sgt (their bootstrap)")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    log = None if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    results = evaluate(args.exponents, args.sizes, args.fractions, args.seeds, args.support,
                       existing=not args.no_existing, thinnings=args.thinnings, log=log)
    print(format_table(summarize(results)))
    for method, by in (("chosen", "exponent"), ("chosen", "size"), ("pitman_yor", "exponent")):
        print()
        print(breakdown_table(results, method, by))
    return 0


if __name__ == "__main__":
    sys.exit(main())
