"""The estimate stage's entry points: estimate_group and predict."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from floor.estimate import (bootstrap_draw, estimate_group, fit_poisson_mixture, mixture_singleton_rate,
                            mixture_size_for_singleton_rate, predict, predicted_singleton_rate)
from floor.estimate.mixture import BEYOND_2N as MIXTURE_BEYOND_2N
from floor.profile import Profile

GIRDLED = [46, 22, 17, 15, 15, 9, 8, 6, 6, 4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

REQUIRED = {"mentions", "distinct_facts", "singletons", "doubletons", "singleton_rate", "good_turing_missing_mass",
            "ci_low", "ci_high", "confidence", "interval", "theorem2_floor", "theorem2", "answer_space", "delta",
            "spurious_singletons", "coverage"}


def test_estimate_group_spider():
    p = Profile.from_counts(GIRDLED)
    out = estimate_group(p, answer_space=364)
    assert REQUIRED <= set(out)
    json.dumps(out, allow_nan=False)
    assert (out["mentions"], out["distinct_facts"], out["singletons"], out["doubletons"]) == (168, 26, 12, 4)
    assert out["singleton_rate"] == out["good_turing_missing_mass"] == pytest.approx(12 / 168)
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((0.0203848666035, 0.122472276254), rel=1e-8)
    assert out["interval"] == "esty" and out["confidence"] == 0.95
    assert out["coverage"] == pytest.approx(0.928855438795797, rel=1e-12)  # iNEXT Chat.Ind at m = n
    assert out["answer_space"] == 364 and out["theorem2"]["inputs"]["error_set_size"] == 364 and out["delta"] == 0.0
    t2 = out["theorem2"]
    assert out["theorem2_floor"] == t2["floor"] == 0.0
    assert t2["dominant_term"] == "finite_sample" and "exceeds sr" in t2["note"]
    assert t2["terms"]["calibration"] == pytest.approx(2 / 364)
    assert out["spurious_singletons"]["f1_observed"] == 12


@pytest.mark.parametrize("interval", ["esty", "mcallester-ortiz", "bootstrap"])
def test_estimate_group_intervals(interval):
    p = Profile.from_counts(GIRDLED)
    out = estimate_group(p, answer_space=365, interval=interval, confidence=0.9, seed=4)
    assert out["interval"] == interval and out["confidence"] == 0.9
    assert 0 <= out["ci_low"] <= out["singleton_rate"] <= out["ci_high"] <= 1


def test_estimate_group_validates():
    p = Profile.from_counts(GIRDLED)
    with pytest.raises(TypeError):
        estimate_group(p)  # answer_space is required
    with pytest.raises(ValueError):
        estimate_group(p, answer_space=0)
    with pytest.raises(ValueError):
        estimate_group(p, answer_space=365, interval="wald")
    with pytest.raises(ValueError):
        estimate_group(p, answer_space=365, confidence=1.0)


def test_estimate_group_empty_uses_none_not_nan():
    out = estimate_group(Profile([], []), answer_space=365)
    text = json.dumps(out, allow_nan=False)
    assert "NaN" not in text
    assert out["singleton_rate"] is None and out["ci_low"] is None and out["theorem2_floor"] is None
    assert out["interval_reason"] and "not estimable" in out["theorem2"]["note"]


def test_predict_methods_and_warnings():
    p = Profile.from_counts(GIRDLED)
    rows = predict(p, [0.5, 1.0, 1.5, 3.0, 10.0], target_sr=0.01, replicates=50, seed=2)
    json.dumps(rows, allow_nan=False)
    by = {(r["scale"], r["method"]): r for r in rows if r["kind"] == "prediction"}
    assert by[(0.5, "rarefaction")]["singleton_rate"] == pytest.approx(1 - 0.899514053593065, rel=1e-9)
    assert by[(0.5, "rarefaction")]["new_facts"] is None
    assert by[(1.0, "chao_jost")]["singleton_rate"] == pytest.approx(1 - 0.928855438795797, rel=1e-9)
    assert by[(1.0, "good_toulmin")]["singleton_rate"] == pytest.approx(12 / 168)
    assert by[(1.5, "chao_jost")]["warning"] is None
    assert by[(3.0, "chao_jost")]["warning"] == "Chao–Jost extrapolation beyond 2N is unreliable (iNEXT)"
    assert by[(3.0, "chao_jost")]["singleton_rate"] == pytest.approx(1 - 0.981345886377216, rel=1e-9)
    assert by[(3.0, "good_toulmin")]["singleton_rate"] is None
    assert "Good–Toulmin diverges for t > 1" in by[(3.0, "good_toulmin")]["warning"]
    assert by[(3.0, "sgt")]["new_facts"] == pytest.approx(13.0)  # hand value, see test_estimate_small
    assert by[(10.0, "sgt")]["warning"].startswith("not estimable: smoothed Good–Toulmin")
    for r in rows:
        if r["ci_low"] is not None:
            assert r["ci_low"] <= r["singleton_rate"] <= r["ci_high"]
    # floor's primary prediction, first at each scale: the Poisson-mixture NPMLE from N to 2N, the far row beyond
    # (168 mentions with 13 doubletons cannot be thinned by 2 and keep 20: no backtest holds, not reliable)
    firsts = [r for i, r in enumerate(rows)
              if r["kind"] == "prediction" and (i == 0 or rows[i - 1]["scale"] != r["scale"])]
    assert [r["method"] for r in firsts] == ["rarefaction", "npmle", "npmle", "far", "far"]
    assert [r["method"] for r in rows if r["kind"] == "prediction" and r["primary"]] == [r["method"] for r in firsts]
    for far in firsts[3:]:
        assert far["singleton_rate"] is None and far["ci_low"] is None
        assert far["warning"].startswith(f"not estimable: not reliable at {far['scale']:.3g}x: no method's backtest")
        assert [(b["method"], b["chosen"]) for b in far["backtest"]] == [("pitman_yor", False), ("engen", False)]
        assert all(b["verdict"] == "fails: not testable: fewer than 20 doubletons expected at half the size"
                   for b in far["backtest"])
    assert all(r["backtest"] is None for r in rows if r["kind"] == "prediction" and r["method"] != "far")
    assert by[(1.0, "npmle")]["singleton_rate"] == pytest.approx(12 / 168, rel=1e-12)  # anchored at f1/N
    assert by[(1.5, "npmle")]["warning"] is None
    assert by[(3.0, "npmle")]["warning"] == MIXTURE_BEYOND_2N
    assert (by[(1.0, "npmle")]["singleton_rate"] > by[(1.5, "npmle")]["singleton_rate"]
            > by[(3.0, "npmle")]["singleton_rate"] > 0)
    assert by[(1.5, "npmle")]["singleton_rate"] == pytest.approx(mixture_singleton_rate(p, 252).value, rel=1e-12)
    assert by[(10.0, "npmle")]["singleton_rate"] is None  # 1 + ln 168 = 6.1 times N at most
    assert by[(10.0, "npmle")]["warning"].startswith("not estimable: Poisson-mixture extrapolation is limited")
    target = rows[-1]
    assert target["kind"] == "target" and target["method"] == "npmle"
    assert target["size"] == mixture_size_for_singleton_rate(p, 0.01).value
    fit = fit_poisson_mixture(p)
    assert fit.singleton_rate(target["size"] / 168) <= 0.01 < fit.singleton_rate((target["size"] - 1) / 168)
    assert target["scale"] == pytest.approx(target["size"] / 168)
    assert target["singleton_rate"] <= 0.01
    assert target["scale_ci_low"] <= target["scale"] <= target["scale_ci_high"]


def test_predict_is_seeded_and_replicates_optional():
    p = Profile.from_counts(GIRDLED)
    assert predict(p, [0.5, 2.0], seed=1, replicates=30) == predict(p, [0.5, 2.0], seed=1, replicates=30)
    rows = predict(p, [0.5, 2.0], replicates=0)
    assert all(r["ci_low"] is None for r in rows)


def test_predict_target_not_estimable():
    rows = predict(Profile.from_counts(GIRDLED), [2.0], target_sr=0.0, replicates=0)
    assert rows[-1]["kind"] == "target" and rows[-1]["size"] is None
    assert rows[-1]["warning"].startswith("not estimable")
    # a floor the mixture does not reach by (1 + ln N)·N is not estimable either, with the rate it does reach
    rows = predict(Profile.from_counts(GIRDLED), [2.0], target_sr=1e-4, replicates=0)
    assert rows[-1]["size"] is None and "largest size floor extrapolates to" in rows[-1]["warning"]


def test_predict_returns_replicates():
    p = Profile.from_counts(GIRDLED)
    plain = predict(p, [0.5, 2.0], target_sr=0.05, replicates=30, seed=5)
    rows = predict(p, [0.5, 2.0], target_sr=0.05, replicates=30, seed=5, return_replicates=True)
    json.dumps(rows, allow_nan=False)
    replicate_keys = {"replicates", "replicate_singletons", "replicate_doubletons"}
    for a, b in zip(plain, rows):
        assert {k: v for k, v in b.items() if k not in replicate_keys} == a  # the same rows, plus the replicates
    draw = bootstrap_draw(p, 30, 5, profiles=True).profiles
    for r in rows[:-1]:
        if r["singleton_rate"] is not None:
            assert len(r["replicates"]) == 30
            assert r["replicate_singletons"] == [q.singletons for q in draw]
            assert r["replicate_doubletons"] == [q.doubletons for q in draw]
            # the bootstrap variance of the estimate plus the variance of the rate measured at that size
            var = float(np.var([x for x in r["replicates"] if x is not None], ddof=1)) + r["corpus_variance"]
            half = 1.959963984540054 * math.sqrt(var)
            assert r["ci_high"] == pytest.approx(min(1.0, r["singleton_rate"] + half), rel=1e-9)
            assert r["ci_low"] == pytest.approx(max(0.0, r["singleton_rate"] - half), rel=1e-9, abs=1e-15)
        else:
            assert r["replicates"] is None
    assert len(rows[-1]["replicates"]) == 30  # the target's scale in each replicate (None where not reached)
    assert all(r["replicates"] is None for r in predict(p, [2.0], replicates=0, return_replicates=True))


def test_estimate_group_returns_replicates():
    p = Profile.from_counts(GIRDLED)
    out = estimate_group(p, answer_space=364, interval="bootstrap", replicates=40, seed=3, return_replicates=True)
    reps = out["bootstrap_replicates"]
    assert len(reps["singleton_rate"]) == len(reps["missing_mass"]) == 40
    same = estimate_group(p, answer_space=364, interval="bootstrap", replicates=40, seed=3)
    assert (same["ci_low"], same["ci_high"]) == (out["ci_low"], out["ci_high"]) and "bootstrap_replicates" not in same
    esty = estimate_group(p, answer_space=364, replicates=40, seed=3, return_replicates=True)
    assert esty["interval"] == "esty" and esty["bootstrap_replicates"] == reps
    assert estimate_group(Profile([], []), answer_space=364, return_replicates=True)["bootstrap_replicates"] is None


def test_estimate_group_monofact():
    p = Profile.from_counts(GIRDLED)
    out = estimate_group(p, answer_space=364)
    mono = out["monofact"]
    # arbitrary-facts reading: |possible hallucinations| = |Facts| · |E|, so the facts term is 300/|E| > sr
    assert mono["name"] == "monofact" and mono["inputs"]["possible_hallucinations_source"] == "facts × answer_space"
    assert mono["terms"]["facts_ratio"] == pytest.approx(300 / 364)
    assert mono["dominant_term"] == "facts_ratio" and mono["floor"] == 0.0 and "exceeds sr" in mono["note"]
    assert mono["terms"]["finite_sample"] == pytest.approx(7 / math.sqrt(168))
    given = estimate_group(p, answer_space=364, delta=0.01, possible_hallucinations=1e12)["monofact"]
    assert given["inputs"]["possible_hallucinations_source"] == "given"
    assert given["inputs"]["miscalibration"] == 0.01
    assert given["raw"] == pytest.approx(12 / 168 - 0.01 - 300 * out["chao1"] / 1e12 - 7 / math.sqrt(168))
    assert estimate_group(Profile([], []), answer_space=364)["monofact"]["floor"] is None


def test_predict_validates():
    p = Profile.from_counts(GIRDLED)
    with pytest.raises(ValueError):
        predict(p, [0.0])
    with pytest.raises(ValueError):
        predict(p, [-1.0])
    with pytest.raises(ValueError):
        predict(p, [1.0], replicates=-1)


def test_predict_large_corpus_consistent_with_functions():
    p = Profile.from_mapping({1: 2_000_000, 2: 600_000, 3: 300_000, 50: 100_000, 10**6: 5000})
    n = p.mentions
    rows = predict(p, [0.01, 1.0, 2.0, 100.0], target_sr=1e-4, replicates=20)
    for r in rows:
        if r["kind"] == "prediction" and r["method"] in ("rarefaction", "chao_jost"):
            assert r["singleton_rate"] == pytest.approx(predicted_singleton_rate(p, r["size"]), rel=1e-12)
            assert r["size"] == round(r["scale"] * n)
    est = mixture_size_for_singleton_rate(p, 1e-4)
    assert rows[-1]["size"] == est.value and not math.isnan(est.value)
    for r in rows:
        if r["kind"] == "prediction" and r["method"] == "npmle" and r["singleton_rate"] is not None:
            assert r["singleton_rate"] == pytest.approx(mixture_singleton_rate(p, r["size"]).value, rel=1e-12)
