"""Far predictions of the singleton rate (floor.estimate.far) and their backtest (floor.estimate.backtest):
closed forms against simulation and hand computation, recovery of known parameters, degenerate profiles,
thinning, and a reduced version of scripts/eval_far.py's accuracy targets."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import binom

from floor.estimate.backtest import (MIN_DOUBLETONS, TOLERANCE, backtest, choose_method,
                                     expected_thinned_doubletons, max_backtest_scale, predict_far_checked, thin)
from floor.estimate.far import (ALL_SINGLETONS, BELOW_N, EMPTY, ENGEN, METHODS, NO_SINGLETONS, PITMAN_YOR,
                                FarPrediction,
                                engen_log_shares, engen_singleton_ratio, fit_engen, fit_far, fit_pitman_yor,
                                pitman_yor_expected_distinct, pitman_yor_singleton_rate, predict_sr_far)
from floor.profile import Profile

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("eval_far", ROOT / "scripts" / "eval_far.py")
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)


# ---------------------------------------------------------------------------------------------------------------
# Pitman–Yor closed forms
# ---------------------------------------------------------------------------------------------------------------

def crp_counts_of_counts(theta: float, alpha: float, n: int, replicates: int, rng) -> np.ndarray:
    """``replicates`` Chinese restaurant processes of n customers, vectorized: row r holds m[r, k], the number of
    tables with k customers. Customer i + 1 opens a table with probability (θ + Kα)/(i + θ), else joins a table
    of k customers with probability ∝ m_k (k − α)."""
    m = np.zeros((replicates, n + 2))
    rows = np.arange(replicates)
    sizes = np.arange(n + 2, dtype=np.float64)
    for i in range(n):
        tables = m.sum(axis=1)
        new = (rng.random(replicates) * (i + theta) < theta + tables * alpha) | (tables == 0)
        cum = np.cumsum(m * (sizes - alpha), axis=1)
        joined = (cum < rng.random(replicates)[:, None] * cum[:, -1:]).sum(axis=1)
        k = np.where(new, 0, joined)
        m[rows, k] -= ~new
        m[rows, k + 1] += 1
    return m


@pytest.mark.parametrize("theta, alpha, n", [(1.0, 0.5, 100), (5.0, 0.3, 60), (0.5, 0.0, 60), (-0.2, 0.4, 60)])
def test_pitman_yor_closed_forms_match_the_chinese_restaurant_process(theta, alpha, n):
    replicates = 3000
    m = crp_counts_of_counts(theta, alpha, n, replicates, np.random.default_rng([7, n]))
    assert np.all((m * np.arange(n + 2)).sum(axis=1) == n)
    singletons, tables = m[:, 1], m.sum(axis=1)
    # within 4 standard errors of the simulated means
    se_rate = singletons.std() / n / math.sqrt(replicates)
    assert abs(singletons.mean() / n - pitman_yor_singleton_rate(theta, alpha, n)) < 4 * se_rate
    se_tables = tables.std() / math.sqrt(replicates)
    assert abs(tables.mean() - pitman_yor_expected_distinct(theta, alpha, n)) < 4 * se_tables


@pytest.mark.parametrize("theta, alpha", [(1.0, 0.5), (3.0, 0.2), (-0.1, 0.6), (2.0, 0.0)])
def test_pitman_yor_small_n_by_hand(theta, alpha):
    a = (theta + alpha) / (theta + 1)  # customer 2 opens a table
    # n = 3: from two single tables, customer 3 opens a third (3 singletons) or joins one (1); from one table of
    # two, customer 3 opens one (1 singleton) or joins (0)
    f1_3 = (a * (3 * (theta + 2 * alpha) + (2 - 2 * alpha)) + (1 - a) * (theta + alpha)) / (theta + 2)
    assert pitman_yor_singleton_rate(theta, alpha, 1) == pytest.approx(1.0, rel=1e-13)
    assert pitman_yor_singleton_rate(theta, alpha, 2) == pytest.approx(a, rel=1e-13)
    assert pitman_yor_singleton_rate(theta, alpha, 3) == pytest.approx(f1_3 / 3, rel=1e-12)
    assert pitman_yor_expected_distinct(theta, alpha, 2) == pytest.approx(1 + a, rel=1e-12)


def test_pitman_yor_ewens_case_and_power_law_decay():
    # α = 0 (Ewens): the (n+1)-th draw is new with probability θ/(θ + n), and E f1(n)/n = θ/(θ + n − 1)
    assert pitman_yor_singleton_rate(4.0, 0.0, 101) == pytest.approx(4.0 / 104.0, rel=1e-12)
    # α > 0: sr(n) ~ C n^(α − 1), so 10x the size divides the rate by 10^(1 − α) at large n
    ratio = pitman_yor_singleton_rate(1.0, 0.6, 1e10) / pitman_yor_singleton_rate(1.0, 0.6, 1e9)
    assert ratio == pytest.approx(10 ** (0.6 - 1), rel=1e-6)


def stick_breaking_profile(theta: float, alpha: float, n: int, rng, sticks: int = 2_000_000) -> Profile:
    """n draws from a Pitman–Yor random distribution: V_j ~ Beta(1 − α, θ + jα), p_j = V_j Π_(i<j)(1 − V_i),
    truncated after ``sticks`` sticks: the rest of the mass, about sticks^(−(1−α)/α) (1e-4 at α = 0.6), goes to
    one more fact."""
    j = np.arange(1, sticks + 1)
    v = rng.beta(1 - alpha, theta + j * alpha)
    log_rest = np.concatenate([[0.0], np.cumsum(np.log1p(-v))])
    p = np.append(v * np.exp(log_rest[:-1]), np.exp(log_rest[-1]))
    return Profile.from_counts(rng.multinomial(n, p / p.sum()))


def test_pitman_yor_fit_recovers_known_parameters():
    p = stick_breaking_profile(10.0, 0.6, 200_000, np.random.default_rng(3))
    fit = fit_pitman_yor(p)
    assert fit.parameters["alpha"] == pytest.approx(0.6, abs=0.02)
    assert fit.parameters["theta"] == pytest.approx(10.0, rel=0.5)
    sd = np.sqrt(np.diag(fit.covariance))
    assert np.all(np.isfinite(sd)) and np.all(sd > 0)


# ---------------------------------------------------------------------------------------------------------------
# Engen's extended negative binomial
# ---------------------------------------------------------------------------------------------------------------

def test_engen_ratio_matches_the_mixture_integral():
    # sr(u)/sr(1) = ∫ λ e^(−uλ) g(λ) dλ / ∫ λ e^(−λ) g(λ) dλ for g(λ) = λ^(−1−α) e^(−bλ)
    for alpha, b, u in [(0.5, 0.01, 30.0), (-0.5, 0.2, 4.0), (0.0, 1.0, 3.0)]:
        def moment(v):
            return integrate.quad(lambda lam: lam ** (-alpha) * math.exp(-(v + b) * lam), 0, np.inf, limit=200)[0]
        assert engen_singleton_ratio(alpha, b, u) == pytest.approx(moment(u) / moment(1.0), rel=1e-7)
    assert engen_singleton_ratio(0.0, 1.0, 3.0) == pytest.approx(0.5, rel=1e-14)  # ((3 + 1)/2)^(−1)


def test_engen_shares_by_hand():
    # α = 0 is the log-series: P(k) ∝ q^k / k; with 2 counts and q = 1/2: (1/2, 1/8)/(5/8) = (4/5, 1/5)
    shares = np.exp(engen_log_shares(0.0, 1.0, np.array([1, 2]), max_count=2))
    np.testing.assert_allclose(shares, [0.8, 0.2], rtol=1e-13)


def test_engen_fit_recovers_a_gamma_mixture():
    rng = np.random.default_rng(5)
    # α = −0.5, b = 0.05: rates Gamma(shape 0.5, scale 20)
    counts = rng.poisson(rng.gamma(0.5, 20.0, size=400_000))
    fit = fit_engen(Profile.from_counts(counts))
    assert fit.parameters["alpha"] == pytest.approx(-0.5, abs=0.05)
    assert fit.parameters["b"] == pytest.approx(0.05, rel=0.15)


# ---------------------------------------------------------------------------------------------------------------
# predict_sr_far
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_prediction_is_anchored_and_falls(method):
    p = stick_breaking_profile(5.0, 0.5, 50_000, np.random.default_rng(11))
    fit = fit_far(p, method)
    at_one = predict_sr_far(p, 1.0, method, fit=fit)
    assert at_one.value == pytest.approx(p.singletons / p.mentions, rel=1e-12)
    values = [predict_sr_far(p, t, method, fit=fit) for t in (1.0, 10.0, 100.0, 1000.0)]
    assert all(a.value > b.value for a, b in zip(values, values[1:]))
    assert all(v.low <= v.value <= v.high for v in values)
    # wider the further: the parameters' uncertainty grows with the factor
    assert values[-1].log_sd > values[1].log_sd


def test_pitman_yor_prediction_tracks_a_pitman_yor_corpus():
    """Predict a Pitman–Yor corpus's rate at 100x from its first 1% (exchangeable: a uniform subsample)."""
    rng = np.random.default_rng(4)
    whole = stick_breaking_profile(20.0, 0.5, 2_000_000, rng)
    sample = thin(whole, 0.01, rng)
    prediction = predict_sr_far(sample, whole.mentions / sample.mentions, PITMAN_YOR)
    truth = whole.singletons / whole.mentions
    assert prediction.low <= truth <= prediction.high
    assert prediction.value == pytest.approx(truth, rel=0.1)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("profile, t, reason", [
    (Profile([], []), 10.0, EMPTY),
    (Profile.from_mapping({1: 12}), 10.0, ALL_SINGLETONS),
    (Profile.from_mapping({2: 5, 3: 1}), 10.0, NO_SINGLETONS),
    (Profile.from_mapping({1: 5, 2: 3}), 0.5, BELOW_N),
])
def test_not_estimable_profiles_say_why(method, profile, t, reason):
    prediction = predict_sr_far(profile, t, method)
    assert not prediction.estimable and prediction.reason == reason
    assert math.isnan(prediction.value) and math.isnan(prediction.low) and math.isnan(prediction.high)
    assert prediction.as_dict()["value"] is None


def test_bad_arguments_raise():
    p = Profile.from_mapping({1: 5, 2: 3})
    with pytest.raises(ValueError):
        predict_sr_far(p, 10.0, "npmle")
    with pytest.raises(ValueError):
        predict_sr_far(p, -1.0)
    with pytest.raises(TypeError):
        predict_sr_far({1: 5}, 10.0)
    with pytest.raises(ValueError):
        backtest(p, 0.5, PITMAN_YOR)
    with pytest.raises(ValueError):
        thin(p, 0.0, np.random.default_rng(0))


# ---------------------------------------------------------------------------------------------------------------
# Thinning and the backtest
# ---------------------------------------------------------------------------------------------------------------

def test_thinning_keeps_everything_at_one_and_matches_binomial_expectations():
    # k = 1, 2: many facts (one multinomial per count); k = 40, 300: few facts (one binomial per fact)
    p = Profile.from_mapping({1: 5000, 2: 3000, 40: 3, 300: 1})
    rng = np.random.default_rng(0)
    assert thin(p, 1.0, rng) == p
    draws = [thin(p, 0.3, rng) for _ in range(300)]
    ks, fs = p.ks.astype(float), p.fs.astype(float)
    for k in (1, 2, 12, 90):
        expected = float(np.dot(fs, binom.pmf(k, ks, 0.3)))
        observed = np.array([q.f(k) for q in draws])
        assert abs(observed.mean() - expected) < 4 * max(observed.std(), 0.3) / math.sqrt(len(draws)) + 1e-9
    assert expected_thinned_doubletons(p, 0.3) == pytest.approx(float(np.dot(fs, binom.pmf(2, ks, 0.3))))
    mentions = np.array([q.mentions for q in draws])
    assert abs(mentions.mean() - 0.3 * p.mentions) < 4 * mentions.std() / math.sqrt(len(draws))


def test_max_backtest_scale_by_hand():
    # 40 facts seen twice: E f2 = 40 r^2 >= 20 down to r = 1/√2
    assert max_backtest_scale(Profile.from_mapping({2: 40})) == pytest.approx(math.sqrt(2), rel=1e-9)
    assert max_backtest_scale(Profile.from_mapping({2: MIN_DOUBLETONS - 1, 1: 100})) == 1.0
    assert max_backtest_scale(Profile([], [])) == 1.0


def test_backtest_holds_on_a_power_law_and_fails_when_the_facts_run_out():
    rng = np.random.default_rng(8)
    power_law = stick_breaking_profile(10.0, 0.6, 200_000, rng)
    result = backtest(power_law, 10.0, PITMAN_YOR, thinnings=10, seed=1)
    assert result.holds and result.verdict == "holds" and result.tested_scale == 10.0
    assert result.mean_abs_error < 0.1 and result.model_sd < math.log1p(TOLERANCE)
    # 3,000 equally common facts seen ~30 times each: the singleton rate collapses as the facts run out, which a
    # power law thinned to a tenth cannot foresee
    finite = Profile.from_counts(rng.poisson(30.0, size=3000))
    failed = backtest(finite, 10.0, PITMAN_YOR, thinnings=10, seed=1)
    assert not failed.holds and failed.verdict.startswith("fails: ")
    choice = choose_method(finite, 10.0, thinnings=10, seed=1)
    assert choice.method is None and choice.reason.startswith("not reliable at 10x")
    assert set(choice.backtests) == set(METHODS)


def test_backtest_tests_at_the_largest_factor_the_profile_allows():
    p = stick_breaking_profile(10.0, 0.6, 20_000, np.random.default_rng(9))
    limit = max_backtest_scale(p)
    assert 2.0 < limit < 1000.0
    result = backtest(p, 1000.0, ENGEN, thinnings=3, seed=0)
    assert result.tested_scale == pytest.approx(limit)
    assert result.warning.startswith(f"tested at {limit:.3g}x, not 1e+03x")
    assert not backtest(Profile.from_mapping({1: 30, 2: 5}), 10.0, PITMAN_YOR).holds


def test_model_error_is_the_excess_error_projected_in_log_t():
    """A predictor 10% high with no interval of its own: its whole log error is model error, ln(1.1) at the
    tested factor, ln(1.1) · ln t / ln t' at the factor asked."""
    p = stick_breaking_profile(10.0, 0.6, 20_000, np.random.default_rng(9))
    observed = p.singletons / p.mentions

    def ten_percent_high(q, t):
        return FarPrediction(1.1 * observed, 1.0 * observed, 1.2 * observed, "high", t, 0.95, log_sd=0.0)

    result = backtest(p, 1000.0, ten_percent_high, thinnings=3, seed=0)
    assert result.method == "ten_percent_high"
    np.testing.assert_allclose(result.errors, 0.1, rtol=1e-12)
    assert result.coverage == 1.0
    assert result.model_sd == pytest.approx(math.log(1.1) * math.log(1000.0) / math.log(result.tested_scale))
    assert not result.holds and "beyond 15%" in result.verdict
    at_tested = backtest(p, result.tested_scale, ten_percent_high, thinnings=3, seed=0)
    assert at_tested.model_sd == pytest.approx(math.log(1.1)) and at_tested.holds and at_tested.warning is None


def test_backtest_at_the_observed_size_is_exact():
    p = stick_breaking_profile(10.0, 0.6, 20_000, np.random.default_rng(9))
    result = backtest(p, 1.0, PITMAN_YOR, thinnings=2, seed=0)
    np.testing.assert_allclose(result.errors, 0.0, atol=1e-12)
    assert result.model_sd == 0.0 and result.holds


def test_checked_prediction_widens_by_the_model_error_or_says_not_reliable():
    rng = np.random.default_rng(8)
    power_law = stick_breaking_profile(10.0, 0.6, 200_000, rng)
    prediction, choice = predict_far_checked(power_law, 10.0, thinnings=10, seed=1)
    assert prediction.estimable and prediction.method == choice.method
    chosen = choice.backtests[choice.method]
    assert chosen.holds and chosen.model_sd <= math.log1p(TOLERANCE)
    plain = predict_sr_far(power_law, 10.0, choice.method)
    assert prediction.value == plain.value
    assert prediction.log_sd == pytest.approx(math.hypot(plain.log_sd, chosen.model_sd), rel=1e-12)
    finite = Profile.from_counts(rng.poisson(30.0, size=3000))
    unreliable, choice = predict_far_checked(finite, 10.0, thinnings=10, seed=1)
    assert not unreliable.estimable and unreliable.reason == choice.reason
    assert unreliable.reason.startswith("not reliable at 10x")


# ---------------------------------------------------------------------------------------------------------------
# The simulation check, reduced
# ---------------------------------------------------------------------------------------------------------------

def test_simulated_zipf_corpora_meet_the_accuracy_targets():
    """scripts/eval_far.py on a reduced grid: Zipf laws of exponent 1.1, 1.5 and 2.0 over 10^7 facts (at 1.1 the
    rarest facts are reached near 10^7 mentions), corpora of 10^5 and 10^6 mentions, the whole predicted from 10%
    and 1% of its mentions as floor predicts at a corpus size."""
    results = ev.evaluate([1.1, 1.5, 2.0], [1e5, 1e6], [0.1, 0.01], seeds=1, support=10**7, existing=False,
                          thinnings=5)
    rows = {(r["method"], r["scale"]): r for r in ev.summarize(results)}
    # measured: every prediction estimable and its interval holding the whole's sr at both scales; at 10x mean
    # error +0.1% (mean |error| 8.8%); at 100x, from samples of 10^3 and 10^4 mentions, −28% (35%): the 15% target
    # is met at 10x, not at 100x, where the interval spans both laws
    for scale in ("10x", "100x"):
        chosen = rows[("chosen", scale)]
        assert chosen["estimable"] == 6 and chosen["coverage"] >= 0.9, chosen
    assert rows[("chosen", "10x")]["mean_abs_error"] <= 0.15
    assert abs(rows[("chosen", "100x")]["mean_error"]) <= 0.35
