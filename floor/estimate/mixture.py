"""The singleton rate at a larger corpus size from a nonparametric Poisson mixture fitted to the whole profile.

Model. At the observed size N each fact i is mentioned Poisson(λ_i) times, the rates λ_i drawn from an unknown
distribution G (any shape: heavy tails, a long thin end of facts too rare to be seen). A corpus u times larger
mentions it Poisson(u λ_i) times, and — the same scaling — a random half of the documents of a corpus is exactly
such a thinning. The expected singleton rate at u·N mentions is therefore

    sr(u) = E[f1(uN)] / (uN) = (1/N) Σ_i λ_i e^(−u λ_i)        (the missing mass at uN, in this model)

a functional of G alone. G is estimated by nonparametric maximum likelihood (NPMLE; Kiefer & Wolfowitz 1956,
Lindsay 1983) from the profile: the mixture Σ_g w_g Pois(k; λ_g) / P(1 ≤ count ≤ 50 | λ_g) fitted to
f_1, …, f_50 on a fixed log-spaced grid of rates. Floor then reports the *ratio* of the model's sr(u) to its
sr(1), times the observed f1/N, so that the prediction at u = 1 is exactly the observed singleton rate and the
curve continues the rarefaction curve below N without a jump:

    ŝr(u) = (f1/N) · R(u),   R(u) = Σ_g S_g λ_g e^(−u λ_g) / Σ_g S_g λ_g e^(−λ_g),   S_g = number of facts at λ_g.

R(u) is a positive mixture of decreasing exponentials, so ŝr is strictly decreasing in u, whatever the fit.

Why this estimator. The Chao–Jost extrapolation (f1/N)·A^(m−N+1) uses f1 and f2 only: it is exact when every
unseen fact has one common probability and falls too fast on heavy tails (6–14% low at 2N from random halves of
floor's generated biographies, 27–41% low at 4N from quarters). The unbiased estimate, Good & Toulmin's
singleton series at t = 1 (2(f1 − 2f2 + 3f3 − …) singletons at 2N), has a standard deviation of 12–57% of sr
there. The NPMLE uses the whole profile and is a regularised, likelihood-based estimate of the same quantity: on 20 random halves each of
floor's sample and two held-out corpora it predicts the whole's singleton rate with a mean error within ±1.5% in
every category (sd 2–5%, up to 12% for the smallest category; much of it the half-sampling noise that any
predictor from a half inherits).

Range. The expected singleton count at 2N is identified by the profile (Good & Toulmin's series at t = 1 is an
unbiased estimate of it), so 1 < u ≤ 2 is the supported range. Beyond 2N the prediction rests increasingly on
facts too rare to have been seen, which the data cannot pin down (Orlitsky, Suresh & Wu 2016 show no estimator
predicts beyond t = u − 1 ∝ ln N); floor warns beyond 2N and does not extrapolate beyond u = 1 + ln N.

Computation. Counts above ``MAX_COUNT`` (50) are left out of the fit (the likelihood is conditioned on
1 ≤ count ≤ 50): such facts have rates near their counts and contribute less than 50·e^(−25) to any sr(u ≥ 1). The
NPMLE over the grid is a concave maximisation in the weights, solved by Wang's (2007) constrained Newton method
(a non-negative least-squares step on the quadratic approximation, with a line search), to a directional
derivative below 1e-9: 10–45 iterations, a few milliseconds (bootstrap replicates start from the profile's
own fit).

References: Kiefer, J. & Wolfowitz, J. (1956) Ann. Math. Statist. 27:887–906; Lindsay, B. G. (1983) Ann.
Statist. 11:86–94; Norris, J. L. & Pollock, K. H. (1998) Environ. Ecol. Stat. 5:391–402 (the zero-truncated
Poisson-mixture NPMLE for species counts); Wang, Y. (2007) J. R. Statist. Soc. B 69:185–198 (computation);
Good, I. J. & Toulmin, G. H. (1956) Biometrika 43:45–63; Orlitsky, A., Suresh, A. T. & Wu, Y. (2016) PNAS
113:13283–13288; Valiant, G. & Valiant, P. (2017) J. ACM 64(6):37 (a linear-programming fit of the same model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..profile import Profile
from ._common import Estimate, basic, check_nonnegative, check_profile, not_estimable

METHOD = "npmle"
EMPTY = "empty profile (no mentions)"
#: Counts above this are left out of the fit (they cannot be singletons at any larger size).
MAX_COUNT = 50
#: Rates on the grid, per fact, in expected mentions at the observed size.
LOWEST_RATE = 1e-4
HIGHEST_RATE = 2.0 * MAX_COUNT
GRID_SIZE = 120
_TOL = 1e-9
_MAX_ITER = 500

BEYOND_2N = ("Poisson-mixture extrapolation beyond 2N rests on facts too rare to have been seen; "
             "treat it as indicative (Orlitsky, Suresh & Wu 2016)")
NO_REPEATS = ("no fact is seen twice: the profile says nothing about how fast the singleton rate falls, "
              "so the prediction stays at the observed rate")


def max_scale(n: float) -> float:
    """Largest multiple of the corpus size floor extrapolates the mixture to: 1 + ln N (t = u − 1 <= ln N, the
    range of Orlitsky, Suresh & Wu 2016; beyond it no estimator of what unseen facts do is reliable)."""
    return 1.0 + math.log(n) if n > 1 else 1.0


def beyond_range(n: float, u: float) -> str:
    return (f"Poisson-mixture extrapolation is limited to 1 + ln N = {max_scale(n):.3g} times N at "
            f"N = {int(n):,} (Orlitsky, Suresh & Wu 2016: nothing predicts unseen facts beyond t ∝ ln N); "
            f"{u:.3g} times N is beyond")


@dataclass(frozen=True)
class PoissonMixture:
    """The fitted mixture: ``facts[g]`` facts (seen or not) with rate ``rates[g]`` at the observed size.

    ``singletons``/``mentions`` are the observed f1 and N the prediction is anchored to; ``converged`` says
    whether the NPMLE's optimality condition was met to ``max_gradient`` (the largest directional derivative of
    the mean log-likelihood over the grid; 0 at the optimum); ``weights`` the grid weights (a warm start for
    bootstrap replicates).
    """

    rates: np.ndarray
    facts: np.ndarray
    weights: np.ndarray
    mentions: float
    singletons: float
    loglik: float
    iterations: int
    converged: bool
    max_gradient: float

    def ratio(self, u: float) -> float:
        """R(u) = Σ S_g λ_g e^(−u λ_g) / Σ S_g λ_g e^(−λ_g): the predicted fall of the singleton rate."""
        mass = self.facts * self.rates
        keep = mass > 0
        if not np.any(keep):
            return 1.0
        lam = self.rates[keep]
        # shift the exponents by the smallest rate so that neither sum underflows
        base = float(lam.min())
        num = float(np.sum(mass[keep] * np.exp(-u * (lam - base))))
        den = float(np.sum(mass[keep] * np.exp(-(lam - base))))
        return math.exp(-(u - 1.0) * base) * num / den

    def singleton_rate(self, u: float) -> float:
        """(f1/N)·R(u): the singleton rate predicted at u·N mentions (u >= 1)."""
        if self.mentions == 0:
            return math.nan
        if self.singletons == 0:
            return 0.0
        return (self.singletons / self.mentions) * self.ratio(u)


def rate_grid() -> np.ndarray:
    """The fixed grid of per-fact rates: ``GRID_SIZE`` log-spaced points from 1e-4 to 100 mentions."""
    return np.exp(np.linspace(math.log(LOWEST_RATE), math.log(HIGHEST_RATE), GRID_SIZE))


def _kernel(ks: np.ndarray, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q[j, g] = P(count = k_j | λ_g, 1 <= count <= MAX_COUNT), and P(1 <= count <= MAX_COUNT | λ_g)."""
    from scipy.special import gammaln
    from scipy.stats import poisson

    inside = -np.expm1(-lam) - poisson.sf(MAX_COUNT, lam)
    logq = ks[:, None] * np.log(lam)[None, :] - lam[None, :] - gammaln(ks + 1.0)[:, None] - np.log(inside)[None, :]
    return np.exp(logq), inside


def fit_poisson_mixture(p: Profile, *, start: np.ndarray | None = None) -> PoissonMixture | None:
    """NPMLE of the rate distribution (see the module docstring); None for an empty profile.

    ``start``: grid weights to start from (e.g. the fit of the profile a bootstrap replicate was drawn from).
    Degenerate profiles never raise: with no singletons the fit is skipped (the prediction is 0); with every
    counted fact a singleton the NPMLE puts all weight on the lowest rate.
    """
    p = check_profile(p)
    n, _, f1, _ = basic(p)
    lam = rate_grid()
    if n == 0:
        return None
    sel = p.ks <= MAX_COUNT
    ks = p.ks[sel].astype(np.float64)
    fs = p.fs[sel].astype(np.float64)
    if f1 == 0 or ks.size == 0:
        zeros = np.zeros(lam.size)
        return PoissonMixture(lam, zeros, zeros, n, f1, 0.0, 0, True, 0.0)
    total = float(fs.sum())
    share = fs / total  # the fit only needs the shape of the profile
    Q, inside = _kernel(ks, lam)
    w = np.full(lam.size, 1.0 / lam.size)
    if start is not None and start.shape == lam.shape and np.all(start >= 0) and start.sum() > 0:
        # the method adds whatever grid rates the gradient asks for, so a sparse start is fine
        w = start / start.sum()
        if not np.all(Q @ w > 1e-300):
            w = np.full(lam.size, 1.0 / lam.size)
    mix = Q @ w
    ll = float(share @ np.log(mix))
    root = np.sqrt(share)
    # Wang's (2007) constrained Newton method with multiple support points: on the current support plus the local
    # maxima of the gradient function, maximise the quadratic approximation of the log-likelihood,
    # Σ_j share_j (Q_j·w'/mix_j − 2)² over w' >= 0 with Σ w' = 1 (a heavily weighted extra row), then
    # line-search between w and w'. Stops when no grid rate can increase the likelihood: max_g d(λ_g) <= 1e-9.
    from scipy.optimize import nnls

    heavy = 1e3
    gradient = math.inf
    iterations = 0
    for iterations in range(1, _MAX_ITER + 1):
        d = Q.T @ (share / mix) - 1.0
        gradient = float(d.max())
        if gradient <= _TOL:
            break
        peaks = np.flatnonzero((d > 0) & (d >= np.append(-np.inf, d[:-1])) & (d >= np.append(d[1:], -np.inf)))
        active = np.union1d(np.flatnonzero(w > 0), peaks)
        Qa = Q[:, active]
        A = np.vstack([root[:, None] * (Qa / mix[:, None]), np.full((1, active.size), heavy)])
        b = np.append(2.0 * root, heavy)
        sol, _ = nnls(A, b, maxiter=50 * active.size)
        if not sol.sum() > 0:
            break
        target = np.zeros(lam.size)
        target[active] = sol / sol.sum()
        step = 1.0
        slope = float((share / mix) @ (Q @ (target - w)))
        while True:
            trial = w + step * (target - w)
            trial_mix = Q @ trial
            if np.all(trial_mix > 0):
                trial_ll = float(share @ np.log(trial_mix))
                if trial_ll >= ll + 1e-4 * step * slope:
                    break
            step *= 0.5
            if step < 1e-12:
                trial, trial_mix, trial_ll = w, mix, ll
                break
        stalled = trial_ll - ll <= 1e-15 * max(1.0, abs(ll))
        w, mix, ll = trial, trial_mix, trial_ll
        if stalled:
            gradient = float(np.max(Q.T @ (share / mix))) - 1.0
            break
    facts = total * w / inside
    return PoissonMixture(lam, facts, w, n, f1, ll * total, iterations, gradient <= 1e-6, max(gradient, 0.0))


def mixture_singleton_rate(p: Profile, m: float, *, fit: PoissonMixture | None = None) -> Estimate:
    """Singleton rate predicted at ``m`` >= N mentions by the Poisson-mixture NPMLE (method "npmle").

    Formula: (f1/N)·R(m/N), R(u) = Σ_g S_g λ_g e^(−u λ_g) / Σ_g S_g λ_g e^(−λ_g), with (λ_g, S_g) the NPMLE of
    the rate distribution (module docstring). Reference: Norris & Pollock (1998); Wang (2007); Orlitsky, Suresh &
    Wu (2016) for the range. Valid range: N <= m <= 2N; ``warning`` beyond 2N; not estimable beyond (1 + ln N)·N
    or below N (use rarefaction there), or for an empty profile. Pass ``fit`` to reuse a fitted mixture.
    """
    p = check_profile(p)
    m = check_nonnegative("m", m)
    n, s, f1, _ = basic(p)
    if n == 0:
        return not_estimable(METHOD, EMPTY)
    u = m / n
    if u < 1.0:
        return not_estimable(METHOD, "the mixture extrapolates above the observed size; below it use rarefaction")
    if u > max_scale(n) * (1 + 1e-12):
        return not_estimable(METHOD, beyond_range(n, u))
    if fit is None:
        fit = fit_poisson_mixture(p)
    warnings = []
    if u > 2.0:
        warnings.append(BEYOND_2N)
    if f1 > 0 and f1 == s:
        warnings.append(NO_REPEATS)
    return Estimate(fit.singleton_rate(u), METHOD, None, "; ".join(warnings) if warnings else None)


def mixture_size_for_theorem2_floor(p: Profile, target: float, *, error_set_size: float, delta: float = 0.0,
                                    fit: PoissonMixture | None = None, rtol: float = 0.0) -> Estimate:
    """Smallest corpus size m >= N (mentions) from which on Theorem 2's floor predicted at m stays at or below
    ``target``, up to the largest size the mixture extrapolates to ((1 + ln N)·N).

    Formula: floor(m) = max(0, ŝr(m) − 2/|E| − (35 + 6 ln m)/√m − δ) (:func:`floor.estimate.bounds.
    theorem2_floor_at`), ŝr(m) = (f1/N)·R(m/N) the mixture's prediction (:func:`mixture_singleton_rate`). The
    floor is not monotone in m: the finite-sample term shrinks as m grows (the floor of a small corpus is 0 because
    the bound says nothing there), and the singleton rate falls; so the size sought is where the floor falls to
    ``target`` past its highest point. N itself (``value`` N) when the floor is at most ``target`` at every size
    from N to (1 + ln N)·N, with a warning saying so; not estimable when it is still above ``target`` at
    (1 + ln N)·N or for an empty profile. Reference: Kalai et al. (2025), Theorem 2.
    """
    from scipy.optimize import brentq

    from .bounds import theorem2_floor_at

    p = check_profile(p)
    target = check_nonnegative("target", target)
    n, _, f1, _ = basic(p)
    if n == 0:
        return not_estimable(METHOD, EMPTY)
    if fit is None:
        fit = fit_poisson_mixture(p)
    top = max_scale(n)

    def excess(u: float) -> float:
        return theorem2_floor_at(fit.singleton_rate(u), u * n, error_set_size=error_set_size, delta=delta) - target

    scales = np.geomspace(1.0, top, 400)
    above = np.flatnonzero([excess(u) > 0 for u in scales])
    if not above.size:
        return Estimate(n, METHOD, None, f"the floor is at most {target:g} at every size from N to {top:.3g} times N")
    last = int(above[-1])
    if last == scales.size - 1:
        return not_estimable(METHOD, f"the predicted floor is still {excess(top) + target:.3g} at {top:.3g} times N, "
                                     "the largest size floor extrapolates to (1 + ln N)")
    u = brentq(excess, scales[last], scales[last + 1], xtol=1e-12, rtol=max(rtol, 1e-15), maxiter=500)
    m = float(math.ceil(u * n))
    while excess(m / n) > 0:  # the rounding of u·N settled up to the first whole size at or below the target
        m += 1.0
    return Estimate(m, METHOD, None, BEYOND_2N if m > 2 * n else None)


def mixture_singleton_rate_variance(p: Profile, m: float, *, fit: PoissonMixture | None = None) -> float:
    """Variance of the singleton rate *measured* on one corpus of ``m`` mentions drawn from the population the
    profile was drawn from: the spread of that corpus's f1/m around its expectation. A prediction's target is
    such a measured rate, so this noise comes on top of the prediction's own uncertainty.

    Model: the fitted mixture (module docstring) for the facts counted up to ``MAX_COUNT`` times and the unseen
    ones, its facts scaled by f1 / Σ_g S_g λ_g e^(−λ_g) (1 up to rounding: the NPMLE reproduces f1) as the
    prediction is anchored; every other observed fact (counted more than ``MAX_COUNT`` times, or any fact when
    there is no singleton to fit) at its observed count as its rate. With u = m/N, a fact of rate λ is seen
    Poisson(μ = uλ) times in the corpus: once with probability p = μ e^(−μ), and Cov(1[X = 1], X) = p (1 − μ).
    The corpus has exactly m mentions, so f1 is taken conditionally on the Poisson total (variance m), to first
    order — the regression form of conditioning a sample on its size, as in Esty (1983)::

        Var(f1/m) = [ Σ_c S_c p_c (1 − p_c) − (Σ_c S_c p_c (1 − μ_c))² / m ] / m²
                  = [ f1' − Σ_c S_c p_c² − (f1' − 2 f2')² / m ] / m²        (f1', f2' expected at size m)

    This is not Esty's (f1' + 2 f2' − f1'²/m)/m²: that is the variance of f1/m − M, the Good–Turing estimate's
    error about the missing mass M, which exceeds the spread of f1/m itself by about (2 f2' + Σ_c S_c p_c²)/m².

    Reference: Esty, W. W. (1983) Ann. Statist. 11:905–912 (the conditioning); Norris & Pollock (1998) (the
    mixture). Valid range: any m > 0, as reliable as the mixture's prediction at m (:func:`mixture_singleton_rate`);
    NaN for an empty profile. Pass ``fit`` to reuse a fitted mixture.
    """
    p = check_profile(p)
    m = check_nonnegative("m", m)
    n = float(p.mentions)
    if n == 0 or m == 0:
        return math.nan
    if fit is None:
        fit = fit_poisson_mixture(p)
    seen_once = float(np.sum(fit.facts * fit.rates * np.exp(-fit.rates)))
    fitted = fit.singletons > 0 and seen_once > 0
    rest = p.ks > MAX_COUNT if fitted else np.ones(p.ks.size, dtype=bool)
    rates = np.concatenate([fit.rates, p.ks[rest].astype(np.float64)])
    facts = np.concatenate([fit.facts * (fit.singletons / seen_once) if fitted else np.zeros(fit.rates.size),
                            p.fs[rest].astype(np.float64)])
    mu = (m / n) * rates
    once = mu * np.exp(-mu)
    var = float(np.sum(facts * once * (1.0 - once)))
    cov = float(np.sum(facts * once * (1.0 - mu)))
    return max(var - cov * cov / m, 0.0) / (m * m)


def mixture_size_for_singleton_rate(p: Profile, target: float, *, fit: PoissonMixture | None = None,
                                    rtol: float = 0.0) -> Estimate:
    """Smallest corpus size m (mentions) whose predicted singleton rate is at most ``target``.

    At or below N the rarefaction curve (exact), whose value at N − 1 is f1/N; above N the mixture's
    (f1/N)·R(m/N), solved for m and rounded up. Not estimable when the target is below the rate predicted at
    (1 + ln N)·N (the limit of :func:`mixture_singleton_rate`) or for an empty profile; ``warning`` beyond 2N.
    ``method`` is "rarefaction" or "npmle" by the part of the curve the size falls on.
    """
    from .extrapolate import _bisect_size  # the rarefaction search, shared with Chao–Jost's

    p = check_profile(p)
    target = check_nonnegative("target", target)
    n, _, f1, _ = basic(p)
    if n == 0:
        return not_estimable(METHOD, EMPTY)
    if target >= 1.0:
        return Estimate(0.0, "rarefaction")
    if f1 / n <= target:
        size = _bisect_size(p, target, n, rtol)
        return Estimate(float(size), "rarefaction" if size < n else METHOD)
    if fit is None:
        fit = fit_poisson_mixture(p)
    top = max_scale(n)
    if fit.singleton_rate(top) > target:
        return not_estimable(METHOD, f"the predicted singleton rate is still {fit.singleton_rate(top):.3g} at "
                                     f"{top:.3g} times N, the largest size floor extrapolates to (1 + ln N)")

    from scipy.optimize import brentq

    def gap(u: float) -> float:
        return fit.singleton_rate(u) - target

    u = brentq(gap, 1.0, top, xtol=1e-12, rtol=max(rtol, 1e-15), maxiter=500)
    m = float(math.ceil(u * n))
    # settle the rounding of u·N to the smallest whole size (a few steps at most; on a curve too flat for float64
    # to resolve one mention, the solution is as good as it can be)
    for _ in range(4):
        if m > n and fit.singleton_rate((m - 1.0) / n) <= target:
            m -= 1.0
        elif fit.singleton_rate(m / n) > target:
            m += 1.0
        else:
            break
    return Estimate(m, METHOD, None, BEYOND_2N if m > 2 * n else None)
