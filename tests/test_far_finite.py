"""The finite zeta (floor.estimate.far, "finite_zeta"): a finite population of facts seen through a known
1/t sample of its corpus, by hand-computed cases of the thinning and the singleton share, recovery of the
population's parameters, its boundaries, and how floor.estimate.backtest weighs it against Engen's law."""

from __future__ import annotations

import math

import numpy as np
import pytest

from floor.estimate.backtest import EITHER, LIKELIHOOD_MARGIN, choose_method, likelihood_gap, predict_far_checked
from floor.estimate.far import (ALL_METHODS, ENGEN, FINITE_ZETA, METHODS, NO_SINGLETONS, finite_zeta_singleton_share,
                                fit_far, fit_finite_zeta, predict_sr_far, thinning_kernel)
from floor.profile import Profile


def test_thinning_kernel_by_hand():
    # a fact mentioned 3 times, each mention kept with probability 1/2: k = 1, 2, 3 with 3/8, 3/8, 1/8
    kernel = thinning_kernel(np.array([1, 2, 3]), np.array([1.0, 3.0]), 0.5)
    assert kernel == pytest.approx(np.array([[0.5, 0.375], [0.0, 0.375], [0.0, 0.125]]), abs=1e-15)
    # the whole corpus (fraction 1) keeps every count as it is
    assert thinning_kernel(np.array([1, 2]), np.array([1.0, 2.0, 5.0]), 1.0) == pytest.approx(
        np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))


@pytest.mark.parametrize("q, t, corpus, expected", [
    # geometric counts (β = 0), which a 1/t sample cannot tell from Engen's law (their likelihoods agree):
    # Σ_c c x^c = x/(1 − x)², so w1 = (1 − q(1 − r))² at the corpus, r = 1/corpus
    (0.1, 2.0, None, 0.95 ** 2),
    (0.5, 10.0, None, 0.55 ** 2),
    # to a sample t of the way (r_t = t r): w = ((1 − q(1 − r)) / (1 − q(1 − r_t)))²
    (0.5, 4.0, 10.0, (0.55 / 0.7) ** 2),
])
def test_singleton_share_of_geometric_counts_by_hand(q, t, corpus, expected):
    assert finite_zeta_singleton_share(0.0, q, t, corpus) == pytest.approx(expected, rel=1e-9)


def thinned_population(beta: float, q: float, people: int, fraction: float, rng) -> tuple[Profile, Profile]:
    """A population whose counts c >= 1 follow π_c ∝ c^(−β) q^c (up to 5,000), and its binomial thinning."""
    support = np.arange(1, 5001, dtype=np.float64)
    shares = support ** -beta * q ** support
    counts = rng.choice(support.astype(np.int64), size=people, p=shares / shares.sum())
    return Profile.from_counts(counts), Profile.from_counts(rng.binomial(counts, fraction))


def test_the_fit_recovers_a_thinned_population_and_its_singleton_rate():
    whole, part = thinned_population(1.5, 0.99, 200_000, 0.1, np.random.default_rng(5))
    t = whole.mentions / part.mentions
    fit = fit_finite_zeta(part, t)
    assert fit.parameters["beta"] == pytest.approx(1.5, abs=0.1)
    assert fit.parameters["q"] == pytest.approx(0.99, abs=0.005)
    assert fit.parameters["sample_fraction"] == 1.0 / t
    prediction = predict_sr_far(part, t, FINITE_ZETA, fit=fit)
    truth = whole.singletons / whole.mentions
    assert prediction.value == pytest.approx(truth, rel=0.03)
    assert prediction.low <= truth <= prediction.high


def test_boundaries():
    p = Profile.from_mapping({1: 30, 2: 8, 3: 3, 5: 1})
    assert predict_sr_far(p, 1.0, FINITE_ZETA).value == pytest.approx(30 / p.mentions, rel=1e-12)
    assert predict_sr_far(Profile.from_mapping({2: 5, 3: 1}), 5.0, FINITE_ZETA).reason == NO_SINGLETONS
    with pytest.raises(ValueError, match="corpus must be >= t"):
        predict_sr_far(p, 5.0, FINITE_ZETA, corpus=4.0)
    with pytest.raises(ValueError, match="not a finite_zeta fit for this corpus"):
        predict_sr_far(p, 5.0, FINITE_ZETA, fit=fit_finite_zeta(p, 4.0))
    with pytest.raises(ValueError, match="pass corpus"):
        fit_far(p, FINITE_ZETA)
    with pytest.raises(ValueError, match="corpus must be >= 1"):
        fit_finite_zeta(p, 0.5)
    with pytest.raises(ValueError, match="name both"):
        choose_method(p, 5.0, (FINITE_ZETA,))
    assert set(METHODS) < set(ALL_METHODS) and FINITE_ZETA not in METHODS  # opt-in


def test_the_likelihood_tells_a_finite_population_from_a_law_that_goes_on():
    rng = np.random.default_rng(5)
    _, finite = thinned_population(2.0, 0.999, 100_000, 0.1, rng)  # Zipf counts from 1 on, as the sample's
    gap = likelihood_gap(finite, 10.0)
    assert gap < -LIKELIHOOD_MARGIN
    prediction, choice = predict_far_checked(finite, 10.0, (ENGEN, FINITE_ZETA), thinnings=4)
    assert choice.method == FINITE_ZETA == prediction.method and choice.likelihood_gap == gap
    assert "finite population" in choice.rule
    assert set(choice.backtests) == {ENGEN, FINITE_ZETA}  # every model's backtest is reported
    # 200,000 mentions of facts drawn from a Zipf law (exponent 1.2) that goes on, and a tenth of them
    law = Profile.from_counts(rng.binomial(np.unique(rng.zipf(1.2, 200_000), return_counts=True)[1], 0.1))
    assert likelihood_gap(law, 10.0) > LIKELIHOOD_MARGIN
    prediction, choice = predict_far_checked(law, 10.0, (ENGEN, FINITE_ZETA), thinnings=4)
    assert choice.method == ENGEN == prediction.method and "ruled out" in choice.rule


def test_an_ambiguous_profile_spans_both_models():
    p = Profile.from_mapping({1: 1146, 2: 189, 3: 60, 4: 30, 5: 18, 6: 12, 7: 9, 8: 7, 10: 5, 12: 4, 15: 3, 20: 2})
    gap = likelihood_gap(p, 10.0)
    assert abs(gap) <= LIKELIHOOD_MARGIN, gap
    prediction, choice = predict_far_checked(p, 10.0, (ENGEN, FINITE_ZETA), thinnings=4)
    engen = predict_sr_far(p, 10.0, ENGEN)
    finite = predict_sr_far(p, 10.0, FINITE_ZETA)
    assert choice.method == EITHER == prediction.method
    assert prediction.value == pytest.approx(math.sqrt(engen.value * finite.value), rel=1e-12)
    assert (prediction.low, prediction.high) == (min(engen.low, finite.low), max(engen.high, finite.high))
    assert prediction.warning.startswith("log-likelihood of engen minus finite_zeta")
