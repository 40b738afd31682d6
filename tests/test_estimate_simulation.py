"""Simulation: do the missing-mass intervals cover the true missing mass at their nominal level?

Samples are multinomial draws of N mentions from Zipf-like laws p_i ∝ i^(−s) over S facts; the true missing mass of
a sample is the total probability of the facts it did not draw. Seeded and vectorized.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from floor.estimate import bootstrap_draw, bootstrap_interval, esty_interval, mcallester_ortiz_interval
from floor.estimate.bootstrap import _occupancy, _spread_balls, _spread_multinomial
from floor.profile import Profile

# (facts S, Zipf exponent s, mentions N, draws): 600 samples in all
CONFIGS = [(2000, 1.0, 1000, 200), (5000, 1.1, 2000, 200), (20000, 1.2, 5000, 200)]


def _zipf(S: int, s: float) -> np.ndarray:
    w = np.arange(1, S + 1, dtype=np.float64) ** -s
    return w / w.sum()


@pytest.fixture(scope="module")
def coverage_counts():
    rng = np.random.default_rng(20251122)
    hits = {"esty": 0, "bootstrap": 0, "mcallester_ortiz": 0}
    total = 0
    for S, s, N, draws in CONFIGS:
        law = _zipf(S, s)
        samples = rng.multinomial(N, law, size=draws)  # (draws, S)
        missing = (samples == 0) @ law  # true missing mass of each sample
        for i in range(draws):
            p = Profile.from_counts(samples[i])
            m = missing[i]
            for name, ci in (("esty", esty_interval(p, 0.95)),
                             ("mcallester_ortiz", mcallester_ortiz_interval(p, 0.95)),
                             ("bootstrap", bootstrap_interval(p, 0.95, replicates=200, seed=total))):
                assert ci.low <= ci.point <= ci.high and 0.0 <= ci.low and ci.high <= 1.0
                hits[name] += ci.low <= m <= ci.high
            total += 1
    return {k: v / total for k, v in hits.items()}, total


def test_at_least_500_samples(coverage_counts):
    assert coverage_counts[1] >= 500


def test_esty_covers(coverage_counts):
    # measured: 0.945 (600 samples)
    assert coverage_counts[0]["esty"] >= 0.93


def test_bootstrap_covers(coverage_counts):
    # measured: 0.945 (600 samples, 200 replicates each)
    assert coverage_counts[0]["bootstrap"] >= 0.93


def test_mcallester_ortiz_covers(coverage_counts):
    # distribution-free and conservative: measured 1.000
    assert coverage_counts[0]["mcallester_ortiz"] >= 0.95


@pytest.mark.parametrize("size,lam", [(20000, 0.05), (20000, 0.5), (20000, 3.0), (6000, 25.0)])
def test_large_class_occupancy_matches_exact(size, lam):
    """The approximate occupancy draw for large classes has the exact draw's f1, f2 and occupied-fact law."""
    rng = np.random.default_rng(1)
    R = 600
    totals = rng.poisson(lam * size, size=R)
    exact = (_spread_balls if lam < 1 else _spread_multinomial)(totals, size, rng)
    approx = _occupancy(totals, float(size), rng)
    stats = []
    for r, v, k in (exact, approx):
        assert np.array_equal(np.bincount(r, weights=k * v, minlength=R), totals)  # every mention placed
        f1 = np.bincount(r[v == 1], weights=k[v == 1], minlength=R)
        f2 = np.bincount(r[v == 2], weights=k[v == 2], minlength=R)
        occ = np.bincount(r, weights=k, minlength=R)
        stats.append([(x.mean(), x.std()) for x in (f1, f2, occ)])
    for (m_e, s_e), (m_a, s_a) in zip(*stats):
        se = max(s_e, 1.0) / np.sqrt(R)
        assert abs(m_a - m_e) <= 5 * se + 1e-9
        assert s_a == pytest.approx(s_e, rel=0.15, abs=0.5)


def test_bootstrap_fast_for_a_huge_corpus():
    """N ≈ 1e12 mentions, ~1.3e7 distinct facts, ~1e10 estimated unseen facts: still well under a second or two."""
    p = Profile.from_mapping({1: 8_000_000, 2: 3_000_000, 3: 1_500_000, 7: 400_000, 1000: 50_000,
                              10**6: 20_000, 10**9: 950})
    start = time.perf_counter()
    d = bootstrap_draw(p, 200, seed=0)
    ci = bootstrap_interval(p, replicates=200, seed=0)
    elapsed = time.perf_counter() - start
    assert elapsed < 10.0
    assert d.singletons.shape == (200,) and np.all(d.singletons > 0)
    assert ci.low <= ci.point <= ci.high
    assert ci.high - ci.low < 1e-3  # f1 = 8e6 pins the missing mass down
