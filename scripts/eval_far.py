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
floor.estimate.backtest.predict_far_checked as floor predicts at the whole corpus's size (``--corpus-size``):
among the laws the sample's counts allow (the finite zeta offered too), the one the backtest picks, or both
("not reliable" when none may be used, counted apart as not estimable); "far laws", the same with the far laws
alone (as at a plain ``--scale``); and the
existing predictions of floor.estimate.summary.predict ("npmle", "chao_jost", "good_toulmin", "sgt", with their
bootstrap intervals; rows that predict reports as not estimable are counted apart). "npmle-curve" is the NPMLE's
curve read beyond the range predict reports it in (no interval).

    python scripts/eval_far.py --corpora            # a 10% document sample to its whole corpus (a few minutes)

With ``--corpora``: corpora of documents, each fact counted once per document, and a 10% uniform sample of the
documents, predicted at the whole corpus's size, per family: "power" (Zipf laws 1.2 and 1.5 that go on:
200,000 statements in 20,000 documents, as in tests/test_predict_corpus.py), "finite" (8,000 people per
category, each written about c >= 1 times: geometric with mean 2 or 3 or 1 + negative binomial with mean 5,
3% of them famous with 10·Pareto(1.2) mentions; and geometric with mean 4 alone), "sample" (the shipped
sample's birth_date, birth_place and death_date, several samples of its documents) and "biography" (the same
categories of a biography corpus of about a million fact mentions made as the shipped sample is, 350,000
documents, a new corpus per seed; about a minute each to make and read). Methods: the models'
own intervals ("pitman_yor", "engen", "finite_zeta"), "chosen" and "far laws" (as above).
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
from floor.estimate.far import ALL_METHODS, FINITE_ZETA, METHODS, predict_sr_far  # noqa: E402
from floor.estimate.mixture import fit_poisson_mixture  # noqa: E402
from floor.estimate.summary import predict  # noqa: E402
from floor.profile import Profile  # noqa: E402


# floor's choice at the whole corpus's size (a corpus or domain size: the finite zeta offered), and with the far
# laws alone (at a plain --scale)
CHOICES = (("chosen", ALL_METHODS), ("far laws", METHODS))


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
    """Append (relative error, covered, relative half-width) to ``results[key]``."""
    if value is None or not math.isfinite(value):
        results[key].append((math.nan, math.nan, math.nan))
        return
    if low is None or high is None:
        results[key].append((value / truth - 1.0, math.nan, math.nan))
        return
    results[key].append((value / truth - 1.0, float(low <= truth <= high), (high - low) / (2.0 * truth)))


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
                    choices = {}
                    for name, methods in CHOICES:
                        r, choices[name] = predict_far_checked(sample, t, methods, thinnings=thinnings, seed=seed)
                        score(results, (name, label, exponent, size), r.value, r.low, r.high, truth)
                    if existing:
                        fit = fit_poisson_mixture(sample)
                        score(results, ("npmle-curve", label, exponent, size), fit.singleton_rate(t), None, None,
                              truth)
                        for row in predict(sample, [t], replicates=50, seed=seed):
                            score(results, (row["method"], label, exponent, size), row["singleton_rate"],
                                  row["ci_low"], row["ci_high"], truth)
                    if log:
                        log(f"s={exponent} M={size:.0e} seed={seed} {label}: sr={truth:.4g} "
                            f"chosen={choices['chosen'].method} ({time.time() - started:.1f}s)")
    return results


def summarize(results: dict) -> list[dict]:
    """Per (method, scale or family): mean relative error, mean |error|, coverage, mean relative half-width of
    the interval, and how many were estimable."""
    pooled: dict = defaultdict(list)
    for (method, label, *_), rows in results.items():
        pooled[(method, label)].extend(rows)
    out = []
    for (method, label), rows in sorted(pooled.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        errors, covered, widths = (np.array(column) for column in zip(*rows))
        ok = np.isfinite(errors)
        with_interval = ok & np.isfinite(covered)
        out.append({"method": method, "scale": label, "runs": len(rows), "estimable": int(ok.sum()),
                    "mean_error": float(np.mean(errors[ok])) if ok.any() else math.nan,
                    "mean_abs_error": float(np.mean(np.abs(errors[ok]))) if ok.any() else math.nan,
                    "coverage": float(np.mean(covered[with_interval])) if with_interval.any() else math.nan,
                    "half_width": float(np.mean(widths[with_interval])) if with_interval.any() else math.nan})
    return out


def format_table(rows: list[dict], first: str = "scale") -> str:
    lines = [f"| {first} | method | estimable/runs | mean rel. error | mean abs. rel. error | 95% coverage | "
             "mean rel. half-width |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        cov = "—" if math.isnan(r["coverage"]) else f"{r['coverage']:.2f}"
        err = "—" if math.isnan(r["mean_error"]) else f"{r['mean_error']:+.1%}"
        abs_err = "—" if math.isnan(r["mean_abs_error"]) else f"{r['mean_abs_error']:.1%}"
        width = "—" if math.isnan(r["half_width"]) else f"{r['half_width']:.1%}"
        lines.append(f"| {r['scale']} | {r['method']} | {r['estimable']}/{r['runs']} | {err} | {abs_err} | {cov} | "
                     f"{width} |")
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
        errors, covered, _ = (np.array(column) for column in zip(*rows))
        ok = np.isfinite(errors)
        abs_err = f"{np.mean(np.abs(errors[ok])):.1%}" if ok.any() else "—"
        cov = f"{np.mean(covered[ok]):.2f}" if ok.any() else "—"
        lines.append(f"| {label} | {value:g} | {int(ok.sum())}/{len(rows)} | {abs_err} | {cov} |")
    return "\n".join(lines)


# --- a 10% document sample to its whole corpus ------------------------------------------------------------------

def document_pairs(rng: np.random.Generator, facts_per_mention: np.ndarray, documents: int):
    """(documents, facts) of each mention, in a random one of ``documents`` documents; a fact counted once per
    document (the distinct pairs)."""
    pairs = np.unique(np.stack([rng.integers(0, documents, facts_per_mention.size), facts_per_mention]), axis=1)
    return pairs[0], np.unique(pairs[1], return_inverse=True)[1]


def power_corpus(seed: int, documents: int = 20_000, mentions: int = 200_000) -> tuple[dict, int]:
    """Zipf laws that go on (exponents 1.2 and 1.5), as in tests/test_predict_corpus.py."""
    rng = np.random.default_rng(seed)
    return {f"zipf_{e}": document_pairs(rng, rng.zipf(e, mentions), documents) for e in (1.2, 1.5)}, documents


def finite_corpus(seed: int, people: int = 8_000) -> tuple[dict, int]:
    """Finite populations: each person written about c >= 1 times (module docstring)."""
    rng = np.random.default_rng(seed)
    counts = {}
    for name, famous in (("geom_3", 0.03), ("nb_5", 0.03), ("geom_2", 0.03), ("geom_4_plain", 0.0)):
        mean = float(name.split("_")[1])
        c = (1 + rng.negative_binomial(2.0, 2.0 / (1.0 + mean), people) if name.startswith("nb")
             else rng.geometric(1.0 / mean, people))
        stars = rng.random(people) < famous
        c[stars] = np.minimum(10.0 * (rng.pareto(1.2, stars.sum()) + 1.0), 2_000).astype(np.int64)
        counts[name] = c
    documents = int(sum(c.sum() for c in counts.values()) / 3)
    return {name: document_pairs(rng, np.repeat(np.arange(c.size), c), documents)
            for name, c in counts.items()}, documents


def extracted_corpus(path: str, categories=("birth_date", "birth_place", "death_date")) -> tuple[dict, int]:
    """The distinct (document, fact) pairs floor extracts from a corpus, per category, and how many documents
    state a fact (a uniform sample of those is one of all the documents as far as the facts go)."""
    import floor

    documents, facts, pairs = {}, {}, set()
    for fact in floor.extract([path], categories=list(categories)):
        document = documents.setdefault((fact["source"], fact["doc_id"]), len(documents))
        key = (fact["category"], fact["entity"].casefold(), fact["value"].casefold())
        pairs.add((document, facts.setdefault(key, len(facts))))
    document_index, fact_index = np.array(sorted(pairs)).T
    names = np.array([category for category, _, _ in facts])[fact_index]
    return {c: (document_index[names == c], fact_index[names == c]) for c in np.unique(names)}, len(documents)


def sample_corpus() -> tuple[dict, int]:
    """The shipped sample's documents' distinct (document, fact) pairs for three categories."""
    return extracted_corpus(str(Path(__file__).resolve().parent.parent / "data" / "sample"))


def biography_corpus(seed: int, documents: int = 350_000) -> tuple[dict, int]:
    """A biography corpus made as the shipped sample is (scripts/make_sample.py, another seed), of about a million
    fact mentions, and the pairs floor extracts from it."""
    import tempfile

    from make_sample import generate

    with tempfile.TemporaryDirectory() as directory:
        generate(Path(directory) / "corpus", seed=seed, docs=documents)
        return extracted_corpus(str(Path(directory) / "corpus"))


def document_profiles(corpus: dict, chosen: np.ndarray) -> dict[str, Profile]:
    return {c: profile_of(np.bincount(facts[chosen[docs]])) for c, (docs, facts) in corpus.items()}


def evaluate_corpora(families, seeds: int, fraction: float, thinnings: int, log=None) -> dict:
    """{(method, family, category, seed): [(relative error, covered, half-width)]}: each family's corpora (a new
    corpus per seed; the shipped sample is one corpus, a new sample of its documents per seed), the sample's
    prediction at the whole's size against the whole's measured sr."""
    results: dict = defaultdict(list)
    sample = sample_corpus() if "sample" in families else None
    for family in families:
        for seed in range(seeds):
            corpus, documents = {"power": lambda: power_corpus(1000 + seed), "finite": lambda: finite_corpus(
                2000 + seed), "sample": lambda: sample, "biography": lambda: biography_corpus(3000 + seed)}[family]()
            whole = document_profiles(corpus, np.ones(documents, dtype=bool))
            chosen = np.random.default_rng([seed, 7]).random(documents) < fraction
            part = document_profiles(corpus, chosen)
            t = documents / chosen.sum()
            for category, p in part.items():
                truth = whole[category].singletons / whole[category].mentions
                started = time.time()
                for method in ALL_METHODS:
                    r = predict_sr_far(p, t, method, **({"corpus": t} if method == FINITE_ZETA else {}))
                    score(results, (method, family, category, seed), r.value, r.low, r.high, truth)
                choices = {}
                for name, methods in CHOICES:
                    r, choices[name] = predict_far_checked(p, t, methods, thinnings=thinnings, seed=seed)
                    score(results, (name, family, category, seed), r.value, r.low, r.high, truth)
                if log:
                    choice = choices["chosen"]
                    log(f"{family} seed={seed} {category}: sr={truth:.4g} chosen={choice.method} "
                        f"({choice.rule or choice.reason}; {time.time() - started:.1f}s)")
    return results


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
    p.add_argument("--corpora", nargs="*", choices=("power", "finite", "sample", "biography"), default=None,
                   help="a 10%% document sample to its whole corpus, per family (all three when none is named); "
                        "--seeds samples each")
    args = p.parse_args(argv)
    log = None if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    if args.corpora is not None:
        families = args.corpora or ["power", "finite", "sample", "biography"]
        results = evaluate_corpora(families, args.seeds, 0.1, args.thinnings, log=log)
        print(format_table(summarize(results), "family"))
        return 0
    results = evaluate(args.exponents, args.sizes, args.fractions, args.seeds, args.support,
                       existing=not args.no_existing, thinnings=args.thinnings, log=log)
    print(format_table(summarize(results)))
    for method, by in (("chosen", "exponent"), ("chosen", "size"), ("pitman_yor", "exponent")):
        print()
        print(breakdown_table(results, method, by))
    return 0


if __name__ == "__main__":
    sys.exit(main())
