"""Hand-computed small cases for each estimator of floor.estimate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from floor.estimate import (Bound, bootstrap_draw, bootstrap_interval, chao_jost_a, chiu_chao_f1, coverage,
                            esty_interval, esty_variance, estimated_community, expected_distinct, f0_hat,
                            good_toulmin_new_facts, good_toulmin_singleton_rate, mcallester_ortiz_interval,
                            monofact_bound, predicted_singleton_rate, sample_coverage, sgt_max_t, sgt_parameters,
                            singleton_rate, size_for_coverage, size_for_singleton_rate,
                            smoothed_good_toulmin_new_facts, smoothed_good_toulmin_singleton_rate,
                            spurious_singletons, theorem2_finite_sample_term, theorem2_lower, theorem2_upper)
from floor.profile import Profile

GIRDLED = [46, 22, 17, 15, 15, 9, 8, 6, 6, 4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]


def prof(counts):
    return Profile.from_counts(counts)


# --- singleton rate and intervals ---------------------------------------------------------------------------------

def test_singleton_rate_divides_by_mentions_not_facts():
    p = Profile.from_mapping({1: 3, 10: 1})  # 4 facts, 13 mentions
    assert singleton_rate(p) == 3 / 13


def test_esty_hand():
    p = Profile.from_mapping({1: 3, 2: 2, 5: 1})  # N = 12
    w = (3 * 9 + 2 * 12 * 2) / 12 ** 3
    assert esty_variance(p) == pytest.approx(w, rel=1e-15)
    raw = esty_interval(p, 0.9, clip=False)
    assert raw.low == pytest.approx(0.25 - 1.6448536269514722 * math.sqrt(w), rel=1e-12)
    assert raw.high == pytest.approx(0.25 + 1.6448536269514722 * math.sqrt(w), rel=1e-12)
    ci = esty_interval(p, 0.9)
    assert ci.low == 0.0 and ci.high == raw.high  # clipped at 0
    assert (ci.method, ci.confidence, ci.point) == ("esty", 0.9, 0.25)


def test_mcallester_ortiz_hand():
    p = Profile.from_mapping({1: 50, 3: 50})  # N = 200, sr = 0.25
    half = 1 / 200 + 2.42 * math.sqrt(math.log(4 / 0.05) / 200)
    ci = mcallester_ortiz_interval(p, 0.95)
    assert ci.low == pytest.approx(max(0.0, 0.25 - half)) and ci.high == pytest.approx(0.25 + half)


def test_intervals_validate_arguments():
    p = prof(GIRDLED)
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError):
            esty_interval(p, bad)
    with pytest.raises(TypeError):
        esty_interval([1, 2, 3])
    with pytest.raises(ValueError):
        bootstrap_interval(p, replicates=0)


def test_bootstrap_interval_seeded_and_contains_point():
    p = prof(GIRDLED)
    a = bootstrap_interval(p, seed=3)
    b = bootstrap_interval(p, seed=3)
    assert a == b and a.low <= a.point <= a.high and a.method == "bootstrap"
    ci, reps = bootstrap_interval(p, replicates=50, seed=1, return_replicates=True)
    assert reps.singleton_rates.shape == (50,) and reps.missing_masses.shape == (50,)


# --- estimated community (iNEXT EstiBootComm.Ind) ------------------------------------------------------------------

def _inext_community(x):
    """A line-by-line numpy transcription of iNEXT's EstiBootComm.Ind, on expanded counts."""
    x = np.asarray(x, dtype=float)
    n = x.sum()
    f1, f2 = (x == 1).sum(), (x == 2).sum()
    f0 = (n - 1) / n * f1 * (f1 - 1) / 2 if f2 == 0 else (n - 1) / n * f1 ** 2 / 2 / f2
    a_ = n * f0 / (n * f0 + f1) if f1 > 0 else 1.0
    a = f1 / n * a_
    b = np.sum(x / n * (1 - x / n) ** n)
    w = 0.0 if f0 == 0 else a / b
    seen = x / n * (1 - w * (1 - x / n) ** n)
    unseen = np.repeat(a / math.ceil(f0), math.ceil(f0)) if f0 > 0 else np.zeros(0)
    return np.sort(np.concatenate([seen, unseen]))[::-1]


@pytest.mark.parametrize("counts", [GIRDLED, [1, 1, 1, 2, 7], [3, 3, 1], [1, 2, 2, 2, 9, 9]])
def test_estimated_community_matches_inext(counts):
    c = estimated_community(prof(counts))
    ours = np.sort(np.repeat(c.probs, c.sizes.astype(int)))[::-1]
    np.testing.assert_allclose(ours, _inext_community(counts), rtol=1e-12)
    assert c.masses.sum() == pytest.approx(1.0, rel=1e-14)


def test_bootstrap_draw_keeps_n_and_is_seeded():
    p = prof(GIRDLED)
    d = bootstrap_draw(p, 30, seed=5, profiles=True)
    assert all(q.mentions == p.mentions for q in d.profiles)
    assert np.array_equal(d.singletons, [q.singletons for q in d.profiles])
    assert np.array_equal(d.doubletons, [q.doubletons for q in d.profiles])
    assert np.all((d.missing_mass >= 0) & (d.missing_mass <= 1))
    e = bootstrap_draw(p, 30, seed=5)
    assert np.array_equal(d.singletons, e.singletons) and np.array_equal(d.missing_mass, e.missing_mass)


# --- Theorem 2 and the monofact bound ------------------------------------------------------------------------------

@pytest.mark.parametrize("n,value", [(1e6, 0.118), (1e8, 0.0146), (1e9, 0.0050)])
def test_theorem2_finite_sample_term(n, value):
    assert round(theorem2_finite_sample_term(n), 4 if value < 0.1 else 3) == value


def test_theorem2_general_gamma_form():
    n = 1e8
    assert theorem2_finite_sample_term(n, 0.95) == pytest.approx(6 * math.log(3 * n / 0.05) / math.sqrt(n))
    # at γ = 0.01 the general form is the 99% form up to the constant (6 ln 300 = 34.2 < 35)
    general = theorem2_finite_sample_term(n, 0.99, "general")
    assert general < theorem2_finite_sample_term(n, 0.99) and general == pytest.approx(
        (6 * math.log(300) + 6 * math.log(n)) / math.sqrt(n))
    with pytest.raises(ValueError):
        theorem2_finite_sample_term(n, 0.95, "99")


def test_theorem2_lower_note_when_finite_sample_term_dominates():
    p = Profile.from_mapping({1: 52_000, 10: 94_800})  # N = 1,000,000, sr = 0.052
    b = theorem2_lower(p, error_set_size=364)
    assert isinstance(b, Bound) and b.floor == 0.0 and b.value == 0.0
    assert b.raw == pytest.approx(0.052 - 2 / 364 - theorem2_finite_sample_term(1e6))
    assert b.dominant_term == "finite_sample"
    assert b.terms["finite_sample"] == pytest.approx(0.11789306334778564)
    assert b.note.startswith("the finite-sample term 0.118 exceeds sr 0.052 at N = 1,000,000")
    d = b.as_dict()
    assert d["floor"] == 0.0 and d["terms"]["calibration"] == pytest.approx(2 / 364)


def test_theorem2_lower_positive_floor_and_delta():
    p = Profile.from_mapping({1: 300_000_000, 5: 140_000_000})  # N = 1e9, sr = 0.3
    b = theorem2_lower(p, error_set_size=364, delta=0.01)
    expected = 0.3 - 2 / 364 - (35 + 6 * math.log(1e9)) / math.sqrt(1e9) - 0.01
    assert b.floor == pytest.approx(expected) and b.raw == b.floor
    assert b.dominant_term == "delta"  # 0.01 > 0.00549 > 0.00504
    assert b.note.startswith(f"the floor is {expected:.3g}")
    small_e = theorem2_lower(p, error_set_size=10)
    assert small_e.dominant_term == "calibration"


def test_theorem2_upper():
    p = Profile.from_mapping({1: 300_000_000, 5: 140_000_000})
    u = theorem2_upper(p, error_set_size=364)
    assert u.value == pytest.approx(0.3 - 0.3 / 365 + 13 / math.sqrt(1e9))
    g = theorem2_upper(p, error_set_size=364, confidence=0.9)
    assert g.value == pytest.approx(0.3 - 0.3 / 365 + 5 * math.sqrt(math.log(5 / 0.1) / 1e9))
    assert "floor" not in u.as_dict()


def test_monofact_bound_hand():
    p = Profile.from_mapping({1: 400_000, 2: 300_000})  # N = 1e6, sr = 0.4
    b = monofact_bound(p, facts=700_000, possible_hallucinations=700_000 * 364 * 1000, miscalibration=0.02)
    terms = 300 * 700_000 / (700_000 * 364 * 1000)
    assert b.floor == pytest.approx(0.4 - 0.02 - terms - 7 / 1000)
    assert b.dominant_term == "miscalibration"


def test_bounds_empty_profile_not_estimable():
    b = theorem2_lower(Profile([], []), error_set_size=364)
    assert math.isnan(b.value) and b.dominant_term is None and "not estimable" in b.note
    assert b.as_dict()["floor"] is None


def test_bounds_validate():
    p = prof(GIRDLED)
    with pytest.raises(ValueError):
        theorem2_lower(p, error_set_size=0)
    with pytest.raises(ValueError):
        theorem2_lower(p, error_set_size=364, delta=-1)


# --- Chao–Jost extrapolation ----------------------------------------------------------------------------------------

def test_f0_and_a_hand():
    p = prof(GIRDLED)  # n = 168, f1 = 12, f2 = 4
    assert f0_hat(p) == pytest.approx(167 / 168 * 144 / 8)
    assert chao_jost_a(p) == pytest.approx(167 * 12 / (167 * 12 + 8))
    assert f0_hat(prof([1, 1, 1, 3])) == pytest.approx(5 / 6 * 3)  # f2 = 0: (n−1)/n f1(f1−1)/2
    assert chao_jost_a(prof([2, 3])) == 1.0


def test_rarefaction_hand():
    p = prof([1, 2, 3])  # n = 6, m = 2: 1 − [1/6 + (2/6)(6/10) + (3/6)(3/10)]
    assert coverage(p, 2) == pytest.approx(1 - (1 / 6 + 2 / 6 * 0.6 + 3 / 6 * 0.3), rel=1e-14)
    assert coverage(p, 0) == pytest.approx(0.0, abs=1e-15)
    assert predicted_singleton_rate(p, 5) == pytest.approx(1 / 6)  # m = n − 1 gives f1/n
    assert expected_distinct(p, 2) == pytest.approx(26 / 15, rel=1e-14)
    assert expected_distinct(p, 6) == pytest.approx(3)


def test_extrapolation_hand():
    p = prof(GIRDLED)
    a = 167 * 12 / (167 * 12 + 8)
    assert predicted_singleton_rate(p, 500) == pytest.approx(12 / 168 * a ** 333, rel=1e-12)
    f0 = 167 / 168 * 18
    assert expected_distinct(p, 300) == pytest.approx(26 + f0 * (1 - (1 - 12 / (168 * f0 + 12)) ** 132), rel=1e-12)


def test_size_for_singleton_rate_hand():
    p = prof(GIRDLED)
    est = size_for_singleton_rate(p, 0.01)
    assert est.value == 661 and est.method == "chao_jost" and est.warning
    assert predicted_singleton_rate(p, 661) <= 0.01 < predicted_singleton_rate(p, 660)
    low = size_for_singleton_rate(p, 0.2)
    assert low.method == "rarefaction"
    m = low.value
    assert predicted_singleton_rate(p, m) <= 0.2 < predicted_singleton_rate(p, m - 1)
    assert not size_for_singleton_rate(p, 0.0).estimable
    assert not size_for_singleton_rate(Profile([], []), 0.01).estimable


def test_size_for_coverage_degenerate():
    assert not size_for_coverage(prof([1, 1, 1]), 0.9).estimable  # only singletons: coverage 0 (entropart stops)
    assert not size_for_coverage(Profile([], []), 0.9).estimable
    with pytest.raises(ValueError):
        size_for_coverage(prof(GIRDLED), 1.0)


# --- Good–Toulmin and smoothed Good–Toulmin -------------------------------------------------------------------------

def test_good_toulmin_hand():
    p = Profile.from_mapping({1: 10, 2: 4, 3: 2})  # n = 24
    assert good_toulmin_new_facts(p, 0.5).value == pytest.approx(10 * 0.5 - 4 * 0.25 + 2 * 0.125)
    assert good_toulmin_singleton_rate(p, 0.5).value == pytest.approx((10 - 0.5 * 2 * 4 + 0.25 * 3 * 2) / 24)
    assert good_toulmin_singleton_rate(p, 0).value == pytest.approx(10 / 24)
    assert good_toulmin_new_facts(p, 1).value == pytest.approx(10 - 4 + 2)
    beyond = good_toulmin_new_facts(p, 1.01)
    assert not beyond.estimable and "diverges for t > 1" in beyond.reason


def test_sgt_follows_the_paper():
    # spider girdled: n = 168, f1 = 12, f2 = 4, f3 = 0; t = 2: k = ⌈½ log₃(168·4/1)⌉ = ⌈2.96⌉ = 3, q = 1/2
    p = prof(GIRDLED)
    assert sgt_parameters(168, 2.0) == (3, 0.5)
    # P(L ≥ 1) = 7/8, P(L ≥ 2) = 1/2, P(L ≥ 3) = 1/8:  U = −[(−2)(7/8)12 + 4(1/2)4 + (−8)(1/8)·0] = 13
    assert smoothed_good_toulmin_new_facts(p, 2.0).value == pytest.approx(13.0, rel=1e-14)
    # (floor(k) = 2 would give 14; P(L > i) would give 10: the test pins the paper's variant)
    sr = smoothed_good_toulmin_singleton_rate(p, 2.0).value
    assert sr == pytest.approx((12 * 7 / 8 - 2 * 2 * 4 * 0.5) / 168, rel=1e-14)
    # t <= 1: plain Good–Toulmin
    assert smoothed_good_toulmin_new_facts(p, 0.7).value == good_toulmin_new_facts(p, 0.7).value
    # beyond t = ln n: not estimable, with the reason
    assert sgt_max_t(168) == pytest.approx(math.log(168))
    far = smoothed_good_toulmin_new_facts(p, 6.0)
    assert not far.estimable and "ln n" in far.reason


def test_sgt_large_n_is_finite():
    p = Profile.from_mapping({1: 10**9, 2: 10**8, 3: 10**7, 5000: 10**5})
    for t in (1.5, 5.0, 20.0):
        u = smoothed_good_toulmin_new_facts(p, t)
        assert u.estimable and math.isfinite(u.value)


# --- entropart coverage estimators: degenerate branches -------------------------------------------------------------

def test_sample_coverage_branches():
    assert sample_coverage(prof([2, 3])).value == 1.0
    assert sample_coverage(prof([1, 1])).value == 0.0
    fallback = sample_coverage(prof([1, 2, 10]))  # one fact holds 10/13 >= 1/2
    assert fallback.method == "Chao" and fallback.warning
    assert not sample_coverage(Profile([], [])).estimable
    big = Profile.from_mapping({1: 10**6, 2: 10**5, 3: 10**4, 10: 10**5})
    n = big.mentions
    zh = 1 - 10**6 / n + 10**5 * 2 / (n * (n - 1)) - 10**4 * 6 / (n * (n - 1) * (n - 2))
    assert sample_coverage(big).value == pytest.approx(zh, rel=1e-12)


# --- Chiu & Chao spurious singletons -------------------------------------------------------------------------------

def test_chiu_chao_hand():
    assert chiu_chao_f1(10, 5, 2) == (pytest.approx(4 * 100 / 15 - 50 / 4), False)
    assert chiu_chao_f1(10, 0, 2) == (pytest.approx(4 * 100 / 3 - 0), True)
    p = Profile.from_mapping({1: 40, 2: 10, 3: 5, 4: 2, 20: 3})  # N = 40+20+15+8+60 = 143
    s = spurious_singletons(p)
    est = 4 * 100 / 15 - 50 / 4
    assert s.f1_estimate == pytest.approx(est) and s.f1_corrected == pytest.approx(est)
    assert s.spurious == pytest.approx(40 - est)
    assert s.singleton_rate_observed == pytest.approx(40 / 143)
    assert s.singleton_rate_corrected == pytest.approx(est / (143 - 40 + est))
    assert s.note is None


def test_chiu_chao_degenerate():
    no_f2 = spurious_singletons(prof([1, 1, 3]))
    assert no_f2.reason and math.isnan(no_f2.f1_corrected) and no_f2.as_dict()["f1_corrected"] is None
    high = spurious_singletons(prof([1, 2, 2, 2, 3]))  # estimate 4·9/3 − 6/2 with fallback > f1 = 1
    assert high.f1_corrected == 1 and "no sign" in high.note and "f3 + 1" in high.note
    assert spurious_singletons(Profile([], [])).reason


# --- when a group is too small to quote -----------------------------------------------------------------------------

def test_an_interval_of_no_width_is_flagged():
    from floor.estimate.missing_mass import unquotable_reason

    p = Profile.from_mapping({1: 9})  # N = 9, f1 = N: Esty's variance is 0 and the interval [1, 1]
    ci = esty_interval(p)
    assert (ci.low, ci.high) == (1.0, 1.0)
    assert unquotable_reason(p, ci) == "the esty interval has no width at N = 9 (f1 = 9, f2 = 0): no estimate of its spread"


@pytest.mark.parametrize("mapping, interval, quotable", [
    ({1: 5, 2: 3, 7: 4}, "esty", False),  # f1 = 5, f2 = 3: too few for a normal approximation
    ({1: 12, 2: 9, 7: 4}, "esty", False),  # f2 = 9
    ({1: 12, 2: 10, 7: 4}, "esty", True),
    ({1: 5, 2: 3, 7: 4}, "mcallester-ortiz", True),  # distribution-free: holds at any N, and has width
    ({1: 5, 2: 3, 7: 4}, "bootstrap", False),
])
def test_few_singletons_or_doubletons_are_flagged_for_the_intervals_that_rest_on_them(mapping, interval, quotable):
    from floor.estimate import estimate_group

    group = estimate_group(Profile.from_mapping(mapping), interval=interval, answer_space=99, replicates=50)
    assert group["quotable"] is quotable
    f1, f2 = mapping[1], mapping[2]
    assert group["quotable_reason"] == (None if quotable else
                                        f"f1 = {f1} and f2 = {f2} are too few for the {interval} interval (it "
                                        "needs both in the tens)")


def test_an_empty_profile_is_not_quotable():
    from floor.estimate import estimate_group

    group = estimate_group(Profile([], []), answer_space=99)
    assert group["quotable"] is False and "empty profile" in group["quotable_reason"]
