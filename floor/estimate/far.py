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
negative binomial); Favaro, S., Lijoi, A., Mena, R. H. & Prünster, I.
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
METHODS = (PITMAN_YOR, ENGEN)
#: Counts above this are left out of the Engen fit (the likelihood is conditioned on 1 <= count <= this).
ENGEN_MAX_COUNT = 50

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


def fit_far(p: Profile, method: str) -> Fit | None:
    """The fit behind :func:`predict_sr_far` for ``method`` (one of :data:`METHODS`); None when not estimable.
    Fit once and pass it to :func:`predict_sr_far` to predict at several scales."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return fit_pitman_yor(p) if method == PITMAN_YOR else fit_engen(p)


def predict_sr_far(p: Profile, t: float, method: str = PITMAN_YOR, *, confidence: float = 0.95,
                   fit: Fit | None = None, model_sd: float = 0.0) -> FarPrediction:
    """Singleton rate predicted at t·N mentions (t >= 1) by a power-law model, with a prediction interval.

    Formula: ŝr(t) = (f1/N) · sr_model(tN)/sr_model(N) (module docstring): for "pitman_yor"
    sr_model(n) = (θ + α)_(n−1)/(θ + 1)_(n−1); for "engen" the ratio is ((t + b)/(1 + b))^(α − 1). Interval:
    ŝr · exp(±z·sd), sd² = gᵀ Σ g + 1/f1 + 1/(ŝr·tN), g the gradient of the log-ratio in the fit's parameters
    and Σ their covariance (module docstring). References: Pitman (2006); Engen (1974).

    Valid range: any t >= 1 the power law holds to (see :func:`floor.estimate.backtest.backtest`; t = 1 gives
    f1/N). Not estimable, with the reason, for t < 1, an empty profile, no singletons, or only singletons.
    ``fit``: a :func:`fit_far` result for this profile and method, to reuse across scales. ``model_sd``: the
    model's own error, a standard deviation of log(value) added to sd² (e.g. measured by backtest:
    :func:`floor.estimate.backtest.predict_far_checked`); 0 leaves the interval to the fitted model alone.
    """
    p = check_profile(p)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    t = check_nonnegative("t", t)
    confidence = check_confidence(confidence)
    model_sd = check_nonnegative("model_sd", model_sd)
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
    if fit is None:
        fit = fit_far(p, method)
    if fit is None:
        return _not_estimable(method, t, confidence, NO_FIT)
    log_ratio = _pitman_yor_log_ratio(n, t) if method == PITMAN_YOR else _engen_log_ratio(t)
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
