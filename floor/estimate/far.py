"""The singleton rate far beyond the observed size (10–1000 times N) from two-parameter power-law models.

Why. Beyond about 2N the singleton rate depends on facts too rare to have been seen, which a nonparametric fit
cannot pin down: the NPMLE of :mod:`.mixture` puts the unseen mass on its lowest grid rate and its curve goes
flat, and the Chao–Jost extrapolation, which assumes one common rate for the unseen facts, falls too fast. Fact
frequencies in text are heavy-tailed: the number of facts with rate above λ grows like λ^(−α) as λ → 0. A model
with such a tail, fitted to the whole profile, fixes the shape of the unseen part by the seen part, so its
prediction is a *model* extrapolation: right when the tail goes on as a power law, wrong (high) when the facts
run out (a finite population whose rarest facts have all been seen). :mod:`.backtest` measures which holds for
a given profile.

Two models, each a pure function of the profile:

* "pitman_yor" — the mentions are the first N draws of a two-parameter Poisson–Dirichlet (Pitman–Yor) sequence
  with discount α ∈ [0, 1) and concentration θ > −α, fitted by maximum likelihood of the observed partition's
  exchangeable partition probability function (EPPF; Pitman 1995). The expected singleton rate at n draws is

      sr_PY(n) = E[f1(n)] / n = (θ + α)_(n−1) / (θ + 1)_(n−1)           ((x)_m = Γ(x + m) / Γ(x), rising)

  (the expected number of facts seen once, checked against the Chinese restaurant process in floor's tests),
  which falls like n^(α − 1).
* "engen" — each fact is mentioned Poisson(λ) times with λ drawn from the improper gamma law
  λ^(−1−α) e^(−bλ) dλ, α < 1, b > 0: Engen's (1974) extended negative binomial, f_k ∝ Γ(k − α)/k! · q^k with
  q = 1/(1 + b), fitted by maximum likelihood to the counts 1..``ENGEN_MAX_COUNT`` (conditioned on that range,
  as the NPMLE is). A corpus u times larger multiplies every rate by u, so

      sr(u) / sr(1) = ((u + b) / (1 + b))^(α − 1).

Both predictions are anchored, as the NPMLE's is, to the observed rate: ŝr(t) = (f1/N) · sr_model(tN) /
sr_model(N), so that t = 1 gives f1/N exactly.

A third model (:data:`ALL_METHODS`; floor weighs it where the target is the whole corpus the profile is a sample
of, :func:`floor.estimate.backtest.choose_method` letting the counts decide) is for a profile that is a known part
1/t of a corpus whose facts run out:

* "finite_zeta" — the corpus's facts are a finite population, each mentioned c >= 1 times with
  π_c ∝ c^(−β) q^c (a discrete power law with an exponential cut-off, 0 < q < 1; geometric counts at β = 0),
  and the profile is its binomial thinning to r = 1/t (each mention kept with probability r: a uniform sample
  of the documents, a fact counted once per document). The profile's counts 1..``ENGEN_MAX_COUNT`` are fitted
  by maximum likelihood of P(k) ∝ Σ_c π_c C(c, k) r^k (1 − r)^(c − k), and

      sr(corpus) = (f1/N) · w1,   w1 = π_1 r / Σ_c π_c c r (1 − r)^(c − 1)

  (w1: the chance that a fact seen once in the profile is mentioned once in the whole corpus; N/r of its
  mentions are the corpus's). Engen's law is closed under the same thinning (its prediction is the thinning's
  too) but holds rates down to 0: facts so rare that most are not in the corpus at all, whose corpus
  singletons keep the rate up; the finite zeta has none below one mention in the corpus. From 10% of the
  shipped sample's documents (a finite population with Zipf counts) Engen's law was 17% high, the finite
  zeta 11% low (``scripts/eval_far.py --corpora sample --seeds 5``). No law of two parameters fits a population that mixes
  kinds of facts: on geometric populations with a few famous facts both were 2–4 times the truth.

Interval. A 95% (``confidence``) prediction interval for the singleton rate *measured* on one corpus of t·N
mentions, log-normal around the point, with three independent variances of the log:

* the fitted parameters' (delta method: the gradient of log[sr_model(tN)/sr_model(N)] in the fit's unconstrained
  parameters, with the inverse observed information, a numerical Hessian of the log-likelihood);
* the anchor's: the observed f1 as an estimate of its expectation, 1/f1 (Poisson);
* the target corpus's own: 1/E[f1(tN)] (Poisson), its singletons being a count too.

It covers the fitted model's uncertainty, not the model's error: on simulated Zipf corpora (scripts/eval_far.py)
it held the truth 58–78% of the time at 10x and 100x. :func:`floor.estimate.backtest.predict_far_checked` adds the
error the model made in backtests on the profile itself (``model_sd``) and reports "not reliable" when that error
is too large.

References: Pitman, J. (1995) Probab. Theory Relat. Fields 102:145–158; Pitman, J. & Yor, M. (1997) Ann.
Probab. 25:855–900; Pitman, J. (2006) Combinatorial Stochastic Processes, LNM 1875, Springer; Engen, S. (1974)
Biometrika 61:263–270 and Engen, S. (1978) Stochastic Abundance Models, Chapman & Hall (the extended
negative binomial); Good, I. J. & Toulmin, G. H. (1956) Biometrika 43:45–63 and Orlitsky, A., Suresh, A. T. &
Wu, Y. (2016) PNAS 113:13283–13288 (a sample as a binomial thinning of the larger one); Favaro, S., Lijoi, A.,
Mena, R. H. & Prünster, I.
(2009) J. R. Statist. Soc. B 71:993–1008 (Pitman–Yor species prediction).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np

from ..profile import Profile
from ._common import (basic, check_confidence, check_nonnegative, check_profile, json_number, jsonable,
                      lgamma_delta, normal_quantile)

PITMAN_YOR = "pitman_yor"
ENGEN = "engen"
FINITE_ZETA = "finite_zeta"
#: The models floor chooses among at a plain scale: both assume the supply of new facts goes on.
METHODS = (PITMAN_YOR, ENGEN)
#: Every model, the finite population (weighed at a corpus or domain size) among them.
ALL_METHODS = (PITMAN_YOR, ENGEN, FINITE_ZETA)
#: Counts above this are left out of the Engen and finite-zeta fits (their likelihoods are conditioned on
#: 1 <= count <= this).
ENGEN_MAX_COUNT = 50
#: Corpus counts of the finite-zeta model summed one by one up to this, in log-spaced bins beyond.
ZETA_EXACT_COUNTS = 200
ZETA_TAIL_BINS = 200

EMPTY = "empty profile (no mentions)"
ALL_SINGLETONS = ("every fact is a singleton: the profile says nothing about how fast the singleton rate "
                  "falls")
NO_SINGLETONS = "no singletons: the observed rate is 0 and the tail of rare facts is not seen"
BELOW_N = "far prediction is for t >= 1 (larger corpora); below the observed size use rarefaction"
NO_FIT = "the maximum-likelihood fit did not converge to an interior optimum"


@dataclass(frozen=True)
class Fit:
    """A fitted two-parameter model: ``parameters`` by name, ``x`` the unconstrained point the optimiser found,
    ``covariance`` the inverse observed information in ``x`` (NaN when the Hessian is not positive definite),
    ``loglik`` the maximised log-likelihood."""

    method: str
    parameters: dict[str, float]
    x: np.ndarray
    covariance: np.ndarray
    loglik: float


@dataclass(frozen=True)
class FarPrediction:
    """The singleton rate predicted at ``scale`` times the observed size, with a prediction interval.

    ``value``, ``low`` and ``high`` are NaN exactly when ``reason`` says why; ``parameters`` are the fitted
    model's; ``log_sd`` the standard deviation of log(value) behind the interval.
    """

    value: float
    low: float
    high: float
    method: str
    scale: float
    confidence: float
    parameters: dict[str, float] = field(default_factory=dict)
    log_sd: float = math.nan
    reason: str | None = None
    warning: str | None = None

    @property
    def estimable(self) -> bool:
        return self.reason is None and not math.isnan(self.value)

    def as_dict(self) -> dict[str, Any]:
        out = {k: json_number(v) for k, v in asdict(self).items() if k != "parameters"}
        out["parameters"] = jsonable(self.parameters)
        return out


def _not_estimable(method: str, t: float, confidence: float, reason: str) -> FarPrediction:
    return FarPrediction(math.nan, math.nan, math.nan, method, t, confidence, reason=reason)


# ---------------------------------------------------------------------------------------------------------------
# Pitman–Yor
# ---------------------------------------------------------------------------------------------------------------

def pitman_yor_singleton_rate(theta: float, alpha: float, n: float | np.ndarray) -> float | np.ndarray:
    """Expected singleton rate E[f1(n)]/n of n draws from a Pitman–Yor(α, θ) sequence.

    Formula: (θ + α)_(n−1) / (θ + 1)_(n−1), rising factorials through log-gamma differences (accurate for n up
    to 2^53): E[M_l,n] = C(n, l) (1 − α)_(l−1) (θ + α)_(n−l) / (θ + 1)_(n−1), the expected number of facts seen
    l times (Pitman 2006, ch. 3; Favaro et al. 2009), at l = 1.
    Valid range: 0 <= α < 1, θ > −α, n >= 1 (1 at n = 1).
    """
    n = np.asarray(n, dtype=np.float64)
    # Γ(θ+α+n−1)/Γ(θ+n) · Γ(θ+1)/Γ(θ+α), each ratio a log-gamma difference over 1 − α, which stays accurate
    # relative to the result for large n (two lgamma(n) values subtracted would lose eps·n·ln n)
    out = np.exp(lgamma_delta(theta + alpha, 1.0 - alpha) - lgamma_delta(theta + alpha + n - 1.0, 1.0 - alpha))
    return float(out) if out.ndim == 0 else out


def pitman_yor_expected_distinct(theta: float, alpha: float, n: float) -> float:
    """Expected number of distinct facts E[K_n] in n draws from a Pitman–Yor(α, θ) sequence.

    Formula: (θ/α) [(θ + α)_n / (θ)_n − 1] for α > 0; θ [ψ(θ + n) − ψ(θ)] at α = 0 (Ewens). Pitman (2006),
    ch. 3. Valid range: 0 <= α < 1, θ > −α (θ > 0 at α = 0), n >= 1.
    """
    if alpha == 0.0:
        from scipy.special import digamma

        return float(theta * (digamma(theta + n) - digamma(theta)))
    # (θ/α)[(θ + α)_n/(θ)_n − 1] with (θ)_n = θ (θ + 1)_(n−1): no division by θ, and every rising factorial
    # positive, also for −α < θ <= 0
    rising = np.exp(lgamma_delta(theta + n, alpha) + lgamma_delta(theta + alpha, 1.0 - alpha))
    return float((rising - theta) / alpha)


def _pitman_yor_parameters(x: np.ndarray) -> tuple[float, float]:
    """(θ, α) from the unconstrained point: α = logistic(x0) ∈ (0, 1), θ = e^(x1) − α > −α."""
    alpha = 1.0 / (1.0 + math.exp(-x[0]))
    return math.exp(x[1]) - alpha, alpha


def pitman_yor_loglik(p: Profile, theta: float, alpha: float) -> float:
    """Log-EPPF of the observed partition (one fixed sequence of labels):

        Σ_(i=1)^(K−1) log(θ + iα) − log (θ + 1)_(N−1) + Σ_k f_k log (1 − α)_(k−1)

    with K distinct facts (Pitman 1995). Valid range: 0 < α < 1, θ > −α, a non-empty profile.
    """
    n, s, _, _ = basic(p)
    ks = p.ks.astype(np.float64)
    fs = p.fs.astype(np.float64)
    tables = (s - 1.0) * math.log(alpha) + float(lgamma_delta(theta / alpha + 1.0, s - 1.0))
    seats = float(np.dot(fs, lgamma_delta(np.full(ks.shape, 1.0 - alpha), ks - 1.0)))
    return tables - float(lgamma_delta(theta + 1.0, n - 1.0)) + seats


def fit_pitman_yor(p: Profile) -> Fit | None:
    """Maximum-likelihood (θ, α) of a Pitman–Yor sequence for the profile's partition; None when the profile has
    no singletons or only singletons (the likelihood then has no interior maximum)."""
    p = check_profile(p)
    n, s, f1, _ = basic(p)
    if n == 0 or f1 == 0 or f1 == s:
        return None

    def negative(x):
        theta, alpha = _pitman_yor_parameters(x)
        return -pitman_yor_loglik(p, theta, alpha)

    return _fit(PITMAN_YOR, negative, [(0.0, 0.0), (2.0, 2.0), (-1.0, 5.0)],
                lambda x: dict(zip(("theta", "alpha"), _pitman_yor_parameters(x))))


def _pitman_yor_log_ratio(n: float, t: float) -> Callable[[np.ndarray], float]:
    def log_ratio(x):
        theta, alpha = _pitman_yor_parameters(x)
        return math.log(pitman_yor_singleton_rate(theta, alpha, t * n) / pitman_yor_singleton_rate(theta, alpha, n))
    return log_ratio


# ---------------------------------------------------------------------------------------------------------------
# Engen's extended negative binomial
# ---------------------------------------------------------------------------------------------------------------

def _engen_parameters(x: np.ndarray) -> tuple[float, float]:
    """(α, b) from the unconstrained point: α = 1 − e^(x0) < 1, b = e^(x1) > 0."""
    return 1.0 - math.exp(x[0]), math.exp(x[1])


def engen_log_shares(alpha: float, b: float, ks: np.ndarray, max_count: int = ENGEN_MAX_COUNT) -> np.ndarray:
    """log P(count = k | 1 <= count <= max_count) under Engen's extended negative binomial:
    Γ(k − α)/k! · q^k normalised over 1..max_count, q = 1/(1 + b). Valid range: α < 1, b > 0."""
    from scipy.special import gammaln

    support = np.arange(1, max_count + 1, dtype=np.float64)
    log_q = -math.log1p(b)
    terms = gammaln(support - alpha) - gammaln(support + 1.0) + support * log_q
    top = float(terms.max())
    log_total = top + math.log(float(np.exp(terms - top).sum()))
    ks = np.asarray(ks, dtype=np.float64)
    return gammaln(ks - alpha) - gammaln(ks + 1.0) + ks * log_q - log_total


def engen_singleton_ratio(alpha: float, b: float, u: float) -> float:
    """sr(u)/sr(1) = ((u + b)/(1 + b))^(α − 1) for Engen's rate law λ^(−1−α) e^(−bλ): the singleton rate at u
    times the size over that at the size (∫ λ e^(−uλ) λ^(−1−α) e^(−bλ) dλ = Γ(1 − α)(u + b)^(α − 1))."""
    return math.exp((alpha - 1.0) * (math.log(u + b) - math.log1p(b)))


def fit_engen(p: Profile) -> Fit | None:
    """Maximum-likelihood (α, b) of Engen's extended negative binomial for the counts 1..``ENGEN_MAX_COUNT``;
    None when the profile has no singletons or only singletons."""
    p = check_profile(p)
    n, s, f1, _ = basic(p)
    if n == 0 or f1 == 0 or f1 == s:
        return None
    keep = p.ks <= ENGEN_MAX_COUNT
    ks = p.ks[keep].astype(np.float64)
    fs = p.fs[keep].astype(np.float64)
    if ks.size < 2:
        return None

    def negative(x):
        alpha, b = _engen_parameters(x)
        return -float(np.dot(fs, engen_log_shares(alpha, b, ks)))

    return _fit(ENGEN, negative, [(math.log(0.5), -5.0), (0.0, -2.0), (math.log(0.2), -8.0)],
                lambda x: dict(zip(("alpha", "b"), _engen_parameters(x))))


def _engen_log_ratio(t: float) -> Callable[[np.ndarray], float]:
    def log_ratio(x):
        alpha, b = _engen_parameters(x)
        return math.log(engen_singleton_ratio(alpha, b, t))
    return log_ratio


# ---------------------------------------------------------------------------------------------------------------
# A finite population seen through a 1/t sample: the finite zeta
# ---------------------------------------------------------------------------------------------------------------

def _finite_zeta_parameters(x: np.ndarray) -> tuple[float, float]:
    """(β, q) from the unconstrained point: β = x0 (any real), q = exp(−e^(x1)) ∈ (0, 1)."""
    return float(x[0]), math.exp(-math.exp(x[1]))


def corpus_count_grid(t: float) -> tuple[np.ndarray, np.ndarray]:
    """The corpus counts c the finite-zeta sums run over, and how many whole counts each stands for: 1 ..
    ``ZETA_EXACT_COUNTS`` one by one, then ``ZETA_TAIL_BINS`` log-spaced bins (at their geometric midpoints) up
    to 3 · ``ENGEN_MAX_COUNT`` · t, beyond which a fact is almost never seen at most ``ENGEN_MAX_COUNT`` times in
    a 1/t sample (binomial mean 150, sd < 13)."""
    top = max(3.0 * ENGEN_MAX_COUNT * t, 2.0 * ZETA_EXACT_COUNTS)
    edges = np.exp(np.linspace(math.log(ZETA_EXACT_COUNTS + 0.5), math.log(top), ZETA_TAIL_BINS + 1))
    counts = np.concatenate([np.arange(1, ZETA_EXACT_COUNTS + 1, dtype=np.float64), np.sqrt(edges[:-1] * edges[1:])])
    return counts, np.concatenate([np.ones(ZETA_EXACT_COUNTS), np.diff(edges)])


def thinning_kernel(ks: np.ndarray, counts: np.ndarray, fraction: float) -> np.ndarray:
    """P(k | c) = C(c, k) r^k (1 − r)^(c − k), r = ``fraction``: a fact mentioned c times in the corpus is
    mentioned k times in a sample of each mention with probability r (binomial thinning; Γ for non-whole c, 0
    for c < k). Rows k = ``ks``, columns c = ``counts``."""
    from scipy.special import gammaln, xlog1py, xlogy

    k = np.asarray(ks, dtype=np.float64)[:, None]
    c = np.asarray(counts, dtype=np.float64)[None, :]
    with np.errstate(all="ignore"):
        log_p = (gammaln(c + 1.0) - gammaln(k + 1.0) - gammaln(c - k + 1.0) + xlogy(k, fraction)
                 + xlog1py(c - k, -fraction))
    return np.where(k <= c, np.exp(log_p), 0.0)


class _FiniteZeta:
    """The finite zeta for a profile that is a 1/``corpus`` sample of a corpus: the corpus's count shares
    π_c ∝ c^(−β) q^c on :func:`corpus_count_grid`, the sample-count shares Σ_c π_c P(k | c) over
    k = 1..``ENGEN_MAX_COUNT`` (:func:`thinning_kernel`), and the singletons of a sample t times the profile."""

    def __init__(self, corpus: float, t: float):
        self.counts, widths = corpus_count_grid(corpus)
        self.log_widths = np.log(widths)
        self.kernel = thinning_kernel(np.arange(1, ENGEN_MAX_COUNT + 1), self.counts, 1.0 / corpus)
        self.target_once = thinning_kernel(np.ones(1), self.counts, t / corpus)[0]
        self.t = t

    def weights(self, beta: float, q: float) -> np.ndarray:
        """π_c up to a constant factor (the largest is 1)."""
        log_w = -beta * np.log(self.counts) + self.counts * math.log(q) + self.log_widths
        return np.exp(log_w - log_w.max())

    def log_shares(self, beta: float, q: float, ks: np.ndarray) -> np.ndarray:
        """log P(sample count = k | 1 <= sample count <= ``ENGEN_MAX_COUNT``) for ``ks`` in that range."""
        expected = self.kernel @ self.weights(beta, q)
        with np.errstate(divide="ignore"):
            return np.log(expected[np.asarray(ks, dtype=np.int64) - 1]) - math.log(float(expected.sum()))

    def singleton_share(self, beta: float, q: float) -> float:
        """w = Σ_c π_c P_t(1 | c) / (t Σ_c π_c P(1 | c)): the singletons of the sample t times larger per
        singleton of this one, per t (sr there = (f1/N) · w). At t = corpus, P_t(1 | c) = 1[c = 1] and w is
        the chance that a fact seen once in the sample is mentioned once in the whole corpus."""
        w = self.weights(beta, q)
        return float((self.target_once @ w) / (self.t * (self.kernel[0] @ w)))


def finite_zeta_singleton_share(beta: float, q: float, t: float, corpus: float | None = None) -> float:
    """The finite zeta's sr(tN)/sr(N) for a 1/``corpus`` sample (``corpus`` defaults to t: the whole corpus).

    Formula: w = Σ_c π_c c r_t (1 − r_t)^(c − 1) / (t Σ_c π_c c r (1 − r)^(c − 1)), r = 1/corpus,
    r_t = t/corpus, π_c ∝ c^(−β) q^c (c >= 1); at t = corpus, w = π_1 r / Σ_c π_c c r (1 − r)^(c − 1). Valid
    range: any real β, 0 < q < 1 (q = 1 needs β > 2 for the sums to settle within the grid),
    1 <= t <= corpus (1 at t = 1)."""
    return _FiniteZeta(t if corpus is None else corpus, t).singleton_share(beta, q)


def fit_finite_zeta(p: Profile, corpus: float) -> Fit | None:
    """Maximum-likelihood (β, q) of the finite zeta for the profile as a 1/``corpus`` sample of a corpus, from
    its counts 1..``ENGEN_MAX_COUNT`` (conditioned on that range); None when the profile has no singletons or
    only singletons. ``parameters`` adds the sample fraction 1/corpus the fit is for."""
    p = check_profile(p)
    corpus = check_nonnegative("corpus", corpus)
    if corpus < 1.0:
        raise ValueError(f"corpus must be >= 1 (the profile is a part of it), got {corpus!r}")
    n, s, f1, _ = basic(p)
    if n == 0 or f1 == 0 or f1 == s:
        return None
    keep = p.ks <= ENGEN_MAX_COUNT
    ks = p.ks[keep]
    fs = p.fs[keep].astype(np.float64)
    if ks.size < 2:
        return None
    model = _FiniteZeta(corpus, corpus)

    def negative(x):
        return -float(np.dot(fs, model.log_shares(*_finite_zeta_parameters(x), ks)))

    def parameters(x):
        beta, q = _finite_zeta_parameters(x)
        return {"beta": beta, "q": q, "sample_fraction": 1.0 / corpus}

    return _fit(FINITE_ZETA, negative, [(2.0, 0.0), (1.0, -3.0), (0.0, 1.0), (2.5, -6.0)], parameters)


def _finite_zeta_log_ratio(t: float, corpus: float) -> Callable[[np.ndarray], float]:
    model = _FiniteZeta(corpus, t)

    def log_ratio(x):
        return math.log(model.singleton_share(*_finite_zeta_parameters(x)))
    return log_ratio


# ---------------------------------------------------------------------------------------------------------------
# Does the fitted law describe the counts?
# ---------------------------------------------------------------------------------------------------------------

#: Pearson's chi-square needs an expected count of about this many per cell (Cochran's rule): the highest counts
#: are pooled into one cell until it holds as many.
MIN_EXPECTED = 5.0


@dataclass(frozen=True)
class GoodnessOfFit:
    """Pearson's chi-square of a fitted law against the profile's counts 1..``ENGEN_MAX_COUNT``: ``statistic``,
    degrees of freedom ``df``, ``p_value`` (the chance of a statistic this large if the law were right) and
    ``effect``, Cohen's w = √(X²/n) over the n facts tested (the size of the misfit, which unlike the p-value does
    not grow with the number of facts); NaN statistic, p-value and effect, df 0, when the profile has too few
    cells to test a law of two parameters."""

    statistic: float
    df: int
    p_value: float
    effect: float

    @property
    def testable(self) -> bool:
        return self.df > 0


def goodness_of_fit(p: Profile, fit: Fit) -> GoodnessOfFit:
    """How well ``fit`` (Engen's law or the finite zeta, fitted to ``p`` by :func:`fit_far`) describes the counts
    it was fitted to.

    Formula: X² = Σ_cells (O − E)² / E over the counts k = 1..``ENGEN_MAX_COUNT``, O the facts seen k times and
    E = n₅₀ · P(k | 1 <= k <= 50) under the fit (n₅₀ the facts seen at most 50 times); from k = 50 down, counts
    are pooled into one cell until its E reaches ``MIN_EXPECTED`` (Cochran 1954), what is left at the
    lowest counts joining the cell above it. df = cells − 1 − 2 (two fitted parameters); p = P(χ²_df >= X²);
    w = √(X²/n₅₀). Not testable (df 0) with fewer than four cells. References: Pearson, K. (1900) Phil. Mag.
    50:157–175; Cochran, W. G. (1954) Biometrics 10:417–451; Cohen, J. (1988) Statistical Power Analysis for the
    Behavioral Sciences, 2nd ed., ch. 7 (w).
    Valid for the models fitted to those counts: "engen" and "finite_zeta" (Pitman–Yor is fitted to the whole
    partition; its counts follow Engen's law with b → 0, so Engen's fit speaks for it)."""
    from scipy.stats import chi2

    p = check_profile(p)
    ks = np.arange(1, ENGEN_MAX_COUNT + 1)
    if fit.method == ENGEN:
        log_shares = engen_log_shares(fit.parameters["alpha"], fit.parameters["b"], ks)
    elif fit.method == FINITE_ZETA:
        corpus = 1.0 / fit.parameters["sample_fraction"]
        log_shares = _FiniteZeta(corpus, corpus).log_shares(fit.parameters["beta"], fit.parameters["q"], ks)
    else:
        raise ValueError(f"goodness of fit is for the laws fitted to the counts 1..{ENGEN_MAX_COUNT} ({ENGEN}, "
                         f"{FINITE_ZETA}), not {fit.method!r}")
    observed = np.zeros(ENGEN_MAX_COUNT)
    keep = p.ks <= ENGEN_MAX_COUNT
    observed[p.ks[keep] - 1] = p.fs[keep]
    expected = observed.sum() * np.exp(log_shares)
    cells_observed, cells_expected = [], []
    pooled_observed = pooled_expected = 0.0
    for o, e in zip(observed[::-1], expected[::-1]):
        pooled_observed += o
        pooled_expected += e
        if pooled_expected >= MIN_EXPECTED:
            cells_observed.append(pooled_observed)
            cells_expected.append(pooled_expected)
            pooled_observed = pooled_expected = 0.0
    if cells_observed:
        cells_observed[-1] += pooled_observed
        cells_expected[-1] += pooled_expected
    df = len(cells_observed) - 3
    if df < 1:
        return GoodnessOfFit(math.nan, 0, math.nan, math.nan)
    o, e = np.array(cells_observed), np.array(cells_expected)
    statistic = float(np.sum((o - e) ** 2 / e))
    return GoodnessOfFit(statistic, df, float(chi2.sf(statistic, df)), math.sqrt(statistic / observed.sum()))


# ---------------------------------------------------------------------------------------------------------------
# Fitting and the prediction
# ---------------------------------------------------------------------------------------------------------------

_STEP = 1e-4


def _fit(method: str, negative: Callable[[np.ndarray], float], starts, parameters) -> Fit | None:
    """Minimise ``negative`` (a negative log-likelihood in two unconstrained parameters) by Nelder–Mead from a few
    starts; the covariance is the inverse of its numerical Hessian at the minimum."""
    from scipy.optimize import minimize

    best = None
    for start in starts:
        with np.errstate(all="ignore"):
            result = minimize(negative, np.asarray(start, dtype=np.float64), method="Nelder-Mead",
                              options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
        if math.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    if best is None:
        return None
    x = best.x
    with np.errstate(all="ignore"):
        hessian = _hessian(negative, x)
    try:
        covariance = np.linalg.inv(hessian)
        if not np.all(np.isfinite(covariance)) or np.any(np.linalg.eigvalsh(covariance) <= 0):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        covariance = np.full((2, 2), math.nan)
    return Fit(method, parameters(x), x, covariance, -float(best.fun))


def _hessian(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Central-difference Hessian of f at x."""
    h = _STEP * np.maximum(1.0, np.abs(x))
    out = np.empty((x.size, x.size))
    for i in range(x.size):
        for j in range(i, x.size):
            ei = np.zeros(x.size)
            ej = np.zeros(x.size)
            ei[i] = h[i]
            ej[j] = h[j]
            value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4.0 * h[i] * h[j])
            out[i, j] = out[j, i] = value
    return out


def _gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    h = _STEP * np.maximum(1.0, np.abs(x))
    return np.array([(f(x + h[i] * np.eye(x.size)[i]) - f(x - h[i] * np.eye(x.size)[i])) / (2.0 * h[i])
                     for i in range(x.size)])


def fit_far(p: Profile, method: str, corpus: float | None = None) -> Fit | None:
    """The fit behind :func:`predict_sr_far` for ``method`` (one of :data:`ALL_METHODS`); None when not
    estimable. Fit once and pass it to :func:`predict_sr_far` to predict at several scales. The finite zeta is
    fitted through the thinning of a corpus ``corpus`` times the profile's size to the profile, so it needs
    that factor and its fit holds for that corpus only."""
    _check_method(method)
    if method == FINITE_ZETA:
        if corpus is None:
            raise ValueError(f"{FINITE_ZETA} is fitted for the corpus the profile is a sample of: pass corpus")
        return fit_finite_zeta(p, corpus)
    return fit_pitman_yor(p) if method == PITMAN_YOR else fit_engen(p)


def _check_method(method: str) -> None:
    if method not in ALL_METHODS:
        raise ValueError(f"method must be one of {ALL_METHODS}, got {method!r}")


def _log_ratio(method: str, n: float, t: float, corpus: float) -> Callable[[np.ndarray], float]:
    if method == PITMAN_YOR:
        return _pitman_yor_log_ratio(n, t)
    return _engen_log_ratio(t) if method == ENGEN else _finite_zeta_log_ratio(t, corpus)


def predict_sr_far(p: Profile, t: float, method: str = PITMAN_YOR, *, confidence: float = 0.95,
                   fit: Fit | None = None, model_sd: float = 0.0, corpus: float | None = None) -> FarPrediction:
    """Singleton rate predicted at t·N mentions (t >= 1) by a power-law model, with a prediction interval.

    Formula: ŝr(t) = (f1/N) · sr_model(tN)/sr_model(N) (module docstring): for "pitman_yor"
    sr_model(n) = (θ + α)_(n−1)/(θ + 1)_(n−1); for "engen" the ratio is ((t + b)/(1 + b))^(α − 1); for
    "finite_zeta", the profile a 1/``corpus`` sample of a corpus (``corpus`` defaults to t, the target then the
    whole corpus), the ratio is :func:`finite_zeta_singleton_share`. Interval: ŝr · exp(±z·sd),
    sd² = gᵀ Σ g + 1/f1 + 1/(ŝr·tN), g the gradient of the log-ratio in the fit's parameters and Σ their
    covariance (module docstring). References: Pitman (2006); Engen (1974); for the thinning, Good & Toulmin
    (1956) and Orlitsky, Suresh & Wu (2016).

    Valid range: any t >= 1 the model holds to (see :func:`floor.estimate.backtest.backtest`; t = 1 gives
    f1/N). Not estimable, with the reason, for t < 1, an empty profile, no singletons, or only singletons.
    ``corpus`` < t, or a ``fit`` of another method or corpus, is a ``ValueError``.
    ``fit``: a :func:`fit_far` result for this profile and method, to reuse across scales. ``model_sd``: the
    model's own error, a standard deviation of log(value) added to sd² (e.g. measured by backtest:
    :func:`floor.estimate.backtest.predict_far_checked`); 0 leaves the interval to the fitted model alone.
    """
    p = check_profile(p)
    _check_method(method)
    t = check_nonnegative("t", t)
    confidence = check_confidence(confidence)
    model_sd = check_nonnegative("model_sd", model_sd)
    if corpus is not None and check_nonnegative("corpus", corpus) < t:
        raise ValueError(f"corpus must be >= t (the target is a part of the corpus), got {corpus!r} < {t!r}")
    n, s, f1, _ = basic(p)
    reason = None
    if t < 1.0:
        reason = BELOW_N
    elif n == 0:
        reason = EMPTY
    elif f1 == 0:
        reason = NO_SINGLETONS
    elif f1 == s:
        reason = ALL_SINGLETONS
    if reason is not None:
        return _not_estimable(method, t, confidence, reason)
    corpus = t if corpus is None else check_nonnegative("corpus", corpus)
    if fit is not None and (fit.method != method or fit.parameters.get("sample_fraction", 1 / corpus) != 1 / corpus):
        raise ValueError(f"the fit passed is not a {method} fit for this corpus")
    if fit is None:
        fit = fit_far(p, method, corpus)
    if fit is None:
        return _not_estimable(method, t, confidence, NO_FIT)
    log_ratio = _log_ratio(method, n, t, corpus)
    value = (f1 / n) * math.exp(log_ratio(fit.x))
    warning = None
    if np.all(np.isfinite(fit.covariance)):
        g = _gradient(log_ratio, fit.x)
        parameter_variance = max(float(g @ fit.covariance @ g), 0.0)
    else:
        parameter_variance = 0.0
        warning = "the fit's information matrix is singular: the interval leaves out the parameters' uncertainty"
    log_sd = math.sqrt(parameter_variance + 1.0 / f1 + 1.0 / max(value * t * n, 1.0) + model_sd * model_sd)
    z = normal_quantile(confidence)
    low, high = value * math.exp(-z * log_sd), min(value * math.exp(z * log_sd), 1.0)
    return FarPrediction(value, low, high, method, t, confidence, dict(fit.parameters), log_sd, None, warning)
