"""The estimate stage's entry points: estimate_group and predict."""

from __future__ import annotations

import json
import math

import pytest

from floor.estimate import estimate_group, predict, predicted_singleton_rate, size_for_singleton_rate
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
    rows = predict(p, [0.5, 1.0, 1.5, 3.0, 10.0], target_floor=0.01, replicates=50, seed=2)
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
    target = rows[-1]
    assert target["kind"] == "target" and target["size"] == 661 and target["method"] == "chao_jost"
    assert target["scale"] == pytest.approx(661 / 168)
    assert target["singleton_rate"] <= 0.01
    assert target["scale_ci_low"] <= target["scale"] <= target["scale_ci_high"]


def test_predict_is_seeded_and_replicates_optional():
    p = Profile.from_counts(GIRDLED)
    assert predict(p, [0.5, 2.0], seed=1, replicates=30) == predict(p, [0.5, 2.0], seed=1, replicates=30)
    rows = predict(p, [0.5, 2.0], replicates=0)
    assert all(r["ci_low"] is None for r in rows)


def test_predict_target_not_estimable():
    rows = predict(Profile.from_counts(GIRDLED), [2.0], target_floor=0.0, replicates=0)
    assert rows[-1]["kind"] == "target" and rows[-1]["size"] is None
    assert rows[-1]["warning"].startswith("not estimable")


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
    rows = predict(p, [0.01, 1.0, 2.0, 100.0], target_floor=1e-4, replicates=20)
    for r in rows:
        if r["kind"] == "prediction" and r["method"] in ("rarefaction", "chao_jost"):
            assert r["singleton_rate"] == pytest.approx(predicted_singleton_rate(p, r["size"]), rel=1e-12)
            assert r["size"] == round(r["scale"] * n)
    est = size_for_singleton_rate(p, 1e-4)
    assert rows[-1]["size"] == est.value and not math.isnan(est.value)
