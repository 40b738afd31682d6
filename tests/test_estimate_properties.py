"""Hypothesis invariants of floor.estimate: ordered intervals inside [0, 1] that contain the point, a predicted
singleton rate that never rises with corpus size (Chao–Jost's curve and floor's primary prediction: rarefaction,
then the Poisson-mixture NPMLE), and no exception for any degenerate profile up to N = 1e12."""

from __future__ import annotations

import json
import math
import os

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from floor.estimate import (bootstrap_interval, coverage, esty_interval, estimate_group, good_toulmin_new_facts,
                            mcallester_ortiz_interval, predict, predicted_singleton_rate, sample_coverage,
                            size_for_coverage, size_for_singleton_rate, smoothed_good_toulmin_new_facts,
                            spurious_singletons, theorem2_lower)
from floor.estimate.mixture import max_scale
from floor.profile import Profile

SETTINGS = settings(max_examples=int(os.environ.get("FLOOR_HYPOTHESIS_EXAMPLES", "40")), deadline=None, database=None,
                    derandomize=os.environ.get("FLOOR_HYPOTHESIS_RANDOM") is None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def profiles(draw, max_classes: int = 7):
    """Profiles from empty to N ≈ 1e12: small and huge counts, few and many facts."""
    mapping: dict[int, int] = {}
    for _ in range(draw(st.integers(0, max_classes))):
        k = draw(st.one_of(st.integers(1, 6), st.integers(7, 5000), st.integers(5001, 10**12)))
        f = draw(st.integers(1, max(1, min(10**6, 10**12 // k))))
        mapping[k] = mapping.get(k, 0) + f
    return Profile.from_mapping(mapping)


DEGENERATE = [
    {}, {1: 1}, {1: 7}, {2: 3}, {5: 1}, {1: 3, 3: 1}, {1: 1, 2: 1}, {10**12: 1}, {1: 10**12},
    {1: 5, 10**12: 1}, {2: 10**6, 10**6: 10**6}, {1: 10**6, 3: 10**5, 4: 10**4},
]


def _check_interval(ci, p):
    if p.mentions == 0:
        assert math.isnan(ci.low) and math.isnan(ci.high) and ci.reason
        return
    assert 0.0 <= ci.low <= ci.point <= ci.high <= 1.0, ci


def _with_degenerate(test):
    for mapping in DEGENERATE:
        test = example(Profile.from_mapping(mapping))(test)
    return test


@SETTINGS
@given(profiles())
@_with_degenerate
def test_intervals_ordered_clipped_and_contain_point(p):
    for confidence in (0.5, 0.95, 0.999):
        _check_interval(esty_interval(p, confidence), p)
        _check_interval(mcallester_ortiz_interval(p, confidence), p)
    _check_interval(bootstrap_interval(p, 0.95, replicates=20, seed=1), p)


@SETTINGS
@given(profiles())
@_with_degenerate
def test_predicted_singleton_rate_non_increasing(p):
    n = p.mentions
    if n == 0:
        assert math.isnan(predicted_singleton_rate(p, 10))
        return
    grid = sorted({0.0, 1.0, max(0, n // 10), max(0, n // 2), max(0, n - 1), n, n + 1, 2 * n, 10 * n,
                   1000 * n, 10**6 * n})
    rates = predicted_singleton_rate(p, grid)
    assert np.all(np.isfinite(rates)) and np.all(rates >= 0) and np.all(rates <= 1 + 1e-12)
    assert np.all(np.diff(rates) <= 1e-12 * np.maximum(rates[:-1], 1e-300)), (grid, rates)
    cov = coverage(p, grid)
    assert np.all((cov >= -1e-12) & (cov <= 1.0))


def _with_degenerate_and_scales(test):
    for mapping in DEGENERATE:
        test = example(Profile.from_mapping(mapping), [0.3, 1.0, 1.7, 4.0, 40.0])(test)
    return test


@SETTINGS
@given(profiles(), st.lists(st.floats(0.01, 50.0), min_size=1, max_size=6))
@_with_degenerate_and_scales
def test_predict_rows(p, scales):
    # the far rows (a backtest each, seconds on large profiles) are tested in test_predict_corpus.py
    rows = predict(p, scales, target_sr=0.01, replicates=8, seed=3, far_predictions=False)
    json.dumps(rows, allow_nan=False)
    primary = [r for r in rows if r["kind"] == "prediction" and r["method"] in ("rarefaction", "npmle")]
    assert len(primary) == len(scales)
    # the primary row comes first at each scale
    firsts = [r for i, r in enumerate(rows)
              if r["kind"] == "prediction" and (i == 0 or rows[i - 1]["scale"] != r["scale"])]
    assert all(r["method"] in ("rarefaction", "npmle") for r in firsts)
    assert primary == [r for r in rows if r["kind"] == "prediction" and r["primary"]]
    ordered = sorted(primary, key=lambda r: r["scale"])
    rates = [r["singleton_rate"] for r in ordered]
    if p.mentions == 0:
        assert all(r is None for r in rates) and all(r["warning"] for r in ordered)
    else:
        n = p.mentions
        for r in ordered:  # estimable up to (1 + ln N)·N; beyond, not estimable with the reason
            within = r["size"] <= max_scale(n) * n * (1 + 1e-12)
            assert (r["singleton_rate"] is not None) == within, r
            if not within:
                assert r["warning"].startswith("not estimable: Poisson-mixture extrapolation is limited")
        rates = [x for x in rates if x is not None]
        assert all(b <= a + 1e-12 * max(a, 1e-300) for a, b in zip(rates, rates[1:])), rates
    for r in rows:
        assert r["warning"] is None or isinstance(r["warning"], str)
        if r["singleton_rate"] is not None:
            assert 0.0 <= r["singleton_rate"] <= 1.0
        if r["ci_low"] is not None:
            assert 0.0 <= r["ci_low"] <= r["singleton_rate"] <= r["ci_high"] <= 1.0
        assert r["method"] in ("npmle", "chao_jost", "good_toulmin", "sgt", "rarefaction")
    assert rows[-1]["kind"] == "target"
    if rows[-1]["size"] is not None:
        assert rows[-1]["singleton_rate"] <= 0.01 * (1 + 1e-9)
        assert rows[-1]["size"] <= max_scale(p.mentions) * p.mentions + 1
    else:
        assert rows[-1]["warning"]


@SETTINGS
@given(profiles())
@_with_degenerate
def test_estimates_never_raise(p):
    for interval in ("esty", "mcallester-ortiz", "bootstrap"):
        out = estimate_group(p, answer_space=365, interval=interval, replicates=10)
        json.dumps(out, allow_nan=False)
        assert out["mentions"] == p.mentions
        if p.mentions:
            assert 0.0 <= out["ci_low"] <= out["singleton_rate"] <= out["ci_high"] <= 1.0
            assert 0.0 <= out["theorem2_floor"] <= out["singleton_rate"]
    for t in (0.0, 0.5, 1.0, 2.0, 30.0):
        good_toulmin_new_facts(p, t)
        smoothed_good_toulmin_new_facts(p, t)
    for c in (0.5, 0.99):
        size_for_coverage(p, c)
    for target in (0.0, 1e-9, 0.05, 0.5, 1.0):
        est = size_for_singleton_rate(p, target)
        if est.estimable and p.mentions:
            assert predicted_singleton_rate(p, est.value) <= target * (1 + 1e-9)
    sample_coverage(p)
    spurious_singletons(p)
    theorem2_lower(p, error_set_size=364)
