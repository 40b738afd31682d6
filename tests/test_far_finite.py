"""The finite zeta (floor.estimate.far, "finite_zeta"): a finite population of facts seen through a known
1/t sample of its corpus, by hand-computed cases of the thinning and the singleton share, recovery of the
population's parameters, its boundaries; Pearson's chi-square of a fitted law against scipy's; and how
floor.estimate.backtest lets the counts decide between it and the far laws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scipy.stats import chisquare

from floor.estimate.backtest import EITHER, FIT_EFFECT, FIT_P_VALUE, choose_method, predict_far_checked
from floor.estimate.far import (ALL_METHODS, ENGEN, FINITE_ZETA, METHODS, NO_SINGLETONS, PITMAN_YOR,
                                engen_log_shares, finite_zeta_singleton_share, fit_far, fit_finite_zeta,
                                goodness_of_fit, predict_sr_far, thinning_kernel)
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
    assert set(METHODS) < set(ALL_METHODS) and FINITE_ZETA not in METHODS  # the far laws alone at a plain scale


def test_goodness_of_fit_is_pearsons_chi_square():
    p = Profile.from_mapping({1: 600, 2: 150, 3: 60, 4: 25, 5: 10, 6: 5, 8: 3, 12: 2})
    fit = fit_far(p, ENGEN)
    test = goodness_of_fit(p, fit)
    # by hand: expected counts over 1..50, cells from k = 50 down each closed once it expects >= 5
    facts = int(p.fs.sum())  # all seen at most 50 times
    expected = facts * np.exp(engen_log_shares(fit.parameters["alpha"], fit.parameters["b"], np.arange(1, 51)))
    observed = np.zeros(50)
    observed[p.ks - 1] = p.fs
    edges, total = [50], 0.0
    for k in range(50, 0, -1):
        total += expected[k - 1]
        if total >= 5.0:
            edges.append(k - 1)
            total = 0.0
    cells = [(lo, hi) for hi, lo in zip(edges, edges[1:])]  # k in (lo, hi]
    if edges[-1] > 0:  # what is left at the lowest counts joins the cell above it
        cells[-1] = (0, cells[-1][1])
    o = np.array([observed[lo:hi].sum() for lo, hi in cells])
    e = np.array([expected[lo:hi].sum() for lo, hi in cells])
    reference = chisquare(o, e, ddof=2)
    assert test.df == len(cells) - 3
    assert test.statistic == pytest.approx(reference.statistic, rel=1e-9)
    assert test.p_value == pytest.approx(reference.pvalue, rel=1e-9)
    assert test.effect == pytest.approx(math.sqrt(reference.statistic / facts), rel=1e-9)
    # too few cells to test a law of two parameters
    few = Profile.from_mapping({1: 8, 2: 2})
    assert not goodness_of_fit(few, fit_far(few, ENGEN)).testable
    with pytest.raises(ValueError, match="goodness of fit"):
        goodness_of_fit(p, fit_far(p, PITMAN_YOR))


# A tenth of the documents of populations whose people are written about a geometric number of times (mean 3,
# mean 2), 3% of them famous (Pareto-many mentions): scripts/eval_far.py's finite family, seed 2000, sample seed
# 0. The whole corpora's sr were 0.074 and 0.167; every law fitted to these counts predicts 2 to 3 times that.
GEOMETRIC_3_WITH_FAMOUS = {1: 1681, 2: 316, 3: 79, 4: 24, 5: 14, 6: 7, 7: 10, 8: 1, 9: 1, 10: 2, 11: 2, 13: 3,
                           15: 2, 16: 1, 17: 1, 21: 1, 26: 1, 29: 1, 167: 1, 197: 1}
GEOMETRIC_2_WITH_FAMOUS = {1: 1377, 2: 158, 3: 42, 4: 14, 5: 10, 6: 8, 7: 2, 8: 1, 9: 2, 10: 2, 11: 2, 12: 1,
                           13: 1, 14: 2, 19: 1, 20: 2, 21: 1, 24: 2, 25: 1, 34: 1, 37: 1}
TENTH = 9.91541639486845


def test_counts_that_reject_every_law_are_not_reliable():
    p = Profile.from_mapping(GEOMETRIC_3_WITH_FAMOUS)
    prediction, choice = predict_far_checked(p, TENTH, ALL_METHODS, thinnings=4)
    assert choice.method is None and not prediction.estimable
    assert prediction.reason.startswith("not reliable at 9.92x: the counts reject every law offered")
    for method in (ENGEN, FINITE_ZETA):
        test = goodness_of_fit(p, choice.fits[method])
        assert choice.fit_p_values[method] == test.p_value < FIT_P_VALUE and test.effect >= FIT_EFFECT
    # the far laws alone are rejected too, whatever their backtests
    assert predict_far_checked(p, TENTH, METHODS, thinnings=4)[1].method is None


def test_the_counts_decide_between_a_law_that_goes_on_and_a_finite_population():
    rng = np.random.default_rng(5)
    # 200,000 mentions of facts drawn from a Zipf law (exponent 1.2) that goes on, and a tenth of them: the
    # counts reject the finite zeta (p ~ 1e-19, w 0.16), the backtests choose among the far laws
    law = Profile.from_counts(rng.binomial(np.unique(rng.zipf(1.2, 200_000), return_counts=True)[1], 0.1))
    prediction, choice = predict_far_checked(law, 10.0, (ENGEN, FINITE_ZETA), thinnings=4)
    assert choice.method == ENGEN == prediction.method and choice.rule.endswith("the backtests chose")
    assert choice.fit_p_values[FINITE_ZETA] < FIT_P_VALUE < choice.fit_p_values[ENGEN]
    assert set(choice.backtests) == {ENGEN, FINITE_ZETA}  # every model's backtest is reported
    # the counts reject Engen's law (p 9e-4, w 0.12) and not the finite zeta: the finite zeta, widened by its
    # backtest (here 2 times the whole's sr 0.167: no law of two parameters describes famous and rare alike)
    p = Profile.from_mapping(GEOMETRIC_2_WITH_FAMOUS)
    prediction, choice = predict_far_checked(p, TENTH, ALL_METHODS, thinnings=4)
    assert choice.method == FINITE_ZETA == prediction.method
    assert choice.rule.endswith("the counts allow a finite population, not a far law")
    assert choice.fit_p_values[ENGEN] < FIT_P_VALUE < choice.fit_p_values[FINITE_ZETA]


def test_counts_that_allow_both_laws_span_both_models():
    # a population with Zipf counts (β = 2.5) and a cut-off, a tenth of it: Engen's chi-square p is 1e-8 over
    # 20,000 facts, but its misfit is no small effect (w 0.06), so the counts allow both
    _, finite = thinned_population(2.5, 0.995, 100_000, 0.1, np.random.default_rng(5))
    engen_test = goodness_of_fit(finite, fit_far(finite, ENGEN))
    assert engen_test.p_value < FIT_P_VALUE and engen_test.effect < FIT_EFFECT
    prediction, choice = predict_far_checked(finite, 10.0, (ENGEN, FINITE_ZETA), thinnings=4)
    assert choice.method == EITHER == prediction.method
    # the point is the Akaike-weighted geometric mean: the finite zeta fits far better, so the point is its
    engen = predict_sr_far(finite, 10.0, ENGEN)
    fz = predict_sr_far(finite, 10.0, FINITE_ZETA)
    assert choice.likelihood_gap < -20
    assert prediction.value == pytest.approx(fz.value, rel=1e-6)
    assert (prediction.low, prediction.high) == (min(engen.low, fz.low), max(engen.high, fz.high))


def test_an_ambiguous_profile_spans_both_models():
    p = Profile.from_mapping({1: 1146, 2: 189, 3: 60, 4: 30, 5: 18, 6: 12, 7: 9, 8: 7, 10: 5, 12: 4, 15: 3, 20: 2})
    prediction, choice = predict_far_checked(p, 10.0, (ENGEN, FINITE_ZETA), thinnings=4)
    engen = predict_sr_far(p, 10.0, ENGEN)
    finite = predict_sr_far(p, 10.0, FINITE_ZETA)
    assert choice.method == EITHER == prediction.method
    gap = choice.likelihood_gap
    assert gap == pytest.approx(fit_far(p, ENGEN).loglik - fit_far(p, FINITE_ZETA, 10.0).loglik, abs=1e-9)
    weight = 1.0 / (1.0 + math.exp(-gap))
    assert prediction.value == pytest.approx(engen.value ** weight * finite.value ** (1.0 - weight), rel=1e-12)
    assert (prediction.low, prediction.high) == (min(engen.low, finite.low), max(engen.high, finite.high))
    assert prediction.warning.startswith("engen's fit to the counts p = 0.56, finite_zeta's p = 0.88: the counts "
                                         "allow a far law and a finite population alike")
