"""Coverage and the singleton rate at other corpus sizes: Chao & Jost (2012), Good & Toulmin (1956),
Orlitsky, Suresh & Wu (2016), and entropart's coverage estimators.

Sample coverage C(m) is the probability that the next mention is of a fact already seen in a corpus of m
mentions; its complement 1 − C(m) is the missing mass, which the singleton rate f1/m estimates. So the
*predicted singleton rate at size m* is 1 − C(m): exact rarefaction below the observed size n, Chao & Jost's
extrapolation above it. Every function here is a pure function of a profile; degenerate profiles give NaN or a
not-estimable :class:`Estimate` with a reason, never an exception.

Numerics: float64 throughout; binomial-coefficient ratios go through log-gamma differences that stay accurate for
n up to 1e12 (see :func:`floor.estimate._common.log_hypergeometric_zero`); powers A^(m−n+1) are computed as
exp((m−n+1)·log1p(−(1−A))) with 1 − A formed directly, so A = 1 − 1e-20 is not rounded to 1.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..profile import Profile
from ._common import (Estimate, basic, check_nonnegative, check_profile, lgamma_delta, log_hypergeometric_zero,
                      not_estimable)

EMPTY = "empty profile (no mentions)"
_UNDERFLOW = -760.0  # exp() of anything below this is 0 in float64


# ---------------------------------------------------------------------------------------------------------------
# Chao1 unseen-fact estimate and Chao & Jost's A
# ---------------------------------------------------------------------------------------------------------------

def f0_hat(p: Profile) -> float:
    """Estimated number of facts never seen (Chao 1984/1987 bias-corrected form used by iNEXT).

    Formula (iNEXT ``Chat.Ind``/``EstiBootComm.Ind``)::

        f̂0 = (n−1)/n · f1² / (2 f2)        if f2 > 0
        f̂0 = (n−1)/n · f1 (f1 − 1) / 2     if f2 = 0

    Reference: Chao, A. (1987) Biometrics 43:783–791; Chao & Jost (2012) Ecology 93:2533–2547.
    Valid range: any profile; 0 when f1 = 0; NaN for an empty profile.
    """
    p = check_profile(p)
    n, _, f1, f2 = basic(p)
    if n == 0:
        return math.nan
    if f2 > 0:
        return (n - 1.0) / n * f1 * f1 / (2.0 * f2)
    return (n - 1.0) / n * f1 * (f1 - 1.0) / 2.0


def chao1(p: Profile, bias_corrected: bool = True) -> float:
    """Chao1 estimate of the total number of distinct facts, scikit-bio's convention.

    Formula: S + f1(f1−1)/(2(f2+1)) (bias-corrected), or S + f1²/(2 f2) when ``bias_corrected`` is False *and*
    f1, f2 > 0 (otherwise the bias-corrected form). Reference: Chao, A. (1984) Scand. J. Statist. 11:265–270;
    scikit-bio ``skbio.diversity.alpha.chao1``. Valid range: any profile; NaN for an empty one.
    """
    p = check_profile(p)
    n, s, f1, f2 = basic(p)
    if n == 0:
        return math.nan
    if not bias_corrected and f1 and f2:
        return s + f1 * f1 / (2.0 * f2)
    return s + f1 * (f1 - 1.0) / (2.0 * (f2 + 1.0))


def chao_jost_one_minus_a(p: Profile) -> float:
    """1 − A, formed directly (see :func:`chao_jost_a`): f1 / (n f̂0 + f1); 0 when f1 = 0."""
    p = check_profile(p)
    n, _, f1, f2 = basic(p)
    if n == 0:
        return math.nan
    if f1 == 0:
        return 0.0
    if f2 > 0:
        n_f0 = (n - 1.0) * f1 * f1 / (2.0 * f2)
    else:
        n_f0 = (n - 1.0) * f1 * (f1 - 1.0) / 2.0
    return f1 / (n_f0 + f1)


def chao_jost_a(p: Profile) -> float:
    """Chao & Jost's A: the factor by which each further mention shrinks the missing mass.

    Formula (iNEXT ``Chat.Ind``: ``A = n f̂0 / (n f̂0 + f1)`` if f1 > 0, else 1), which equals::

        A = (n−1) f1 / ((n−1) f1 + 2 f2)               if f2 > 0
        A = (n−1)(f1−1) / ((n−1)(f1−1) + 2)            if f2 = 0   (so A = 0 when f1 = 1, f2 = 0)

    Reference: Chao & Jost (2012) Ecology 93:2533–2547 (coverage-based rarefaction and extrapolation); iNEXT
    R/iNEXT.r ``Chat.Ind``.
    Valid range: any profile; 1 when f1 = 0; NaN for an empty profile.
    """
    oma = chao_jost_one_minus_a(p)
    return 1.0 - oma


# ---------------------------------------------------------------------------------------------------------------
# Coverage at any size (iNEXT Chat.Ind)
# ---------------------------------------------------------------------------------------------------------------

def _deficit(p: Profile, m: float) -> float:
    """1 − Ĉ(m), computed directly (no 1 − (1 − x) cancellation)."""
    n, _, f1, _ = basic(p)
    if n == 0:
        return math.nan
    if m < n:
        ks = p.ks.astype(np.float64)
        fs = p.fs.astype(np.float64)
        sel = (n - ks) >= m
        if 0 < m < n - 1:
            # log of the ratio is at most (x − 1)·log1p(−m/(n−1)); skip terms that underflow to 0 anyway
            sel &= (ks - 1.0) * math.log1p(-m / (n - 1.0)) > _UNDERFLOW
        if not np.any(sel):
            return 0.0
        logr = log_hypergeometric_zero(n, m, ks[sel] - 1.0)
        return float(np.sum(fs[sel] * (ks[sel] / n) * np.exp(logr)))
    if f1 == 0:
        return 0.0
    oma = chao_jost_one_minus_a(p)
    if m == n:
        return (f1 / n) * (1.0 - oma)
    if oma >= 1.0:
        return 0.0
    return (f1 / n) * math.exp((m - n + 1.0) * math.log1p(-oma))


def _check_size(m) -> float:
    return check_nonnegative("m", m)


def coverage(p: Profile, m: float | Sequence[float] | np.ndarray) -> float | np.ndarray:
    """Estimated sample coverage of a corpus of ``m`` mentions (iNEXT ``Chat.Ind``, reproduced exactly).

    With n mentions observed, f1 singletons and A from :func:`chao_jost_a`::

        m < n:  Ĉ(m) = 1 − Σ_{x_i ≤ n−m} (x_i/n) · C(n − x_i, m) / C(n − 1, m)      (rarefaction, exact)
        m = n:  Ĉ(n) = 1 − (f1/n) A
        m > n:  Ĉ(m) = 1 − (f1/n) A^(m − n + 1)                                   (extrapolation)

    Reference: Chao & Jost (2012) Ecology 93:2533–2547; iNEXT ``Chat.Ind`` (binomial ratios via
    log-gamma, here in a form that stays accurate for n up to 1e12). Valid range: m >= 0 (fractional m is allowed,
    as entropart's interpolation uses); iNEXT considers extrapolation reliable up to m = 2n. NaN for an empty
    profile. Returns an array when ``m`` is a sequence.
    """
    p = check_profile(p)
    if np.ndim(m):
        return np.array([1.0 - _deficit(p, _check_size(x)) for x in np.asarray(m, dtype=np.float64).ravel()])
    return 1.0 - _deficit(p, _check_size(m))


def predicted_singleton_rate(p: Profile, m: float | Sequence[float] | np.ndarray) -> float | np.ndarray:
    """Predicted singleton rate (= missing mass) of a corpus of ``m`` mentions: 1 − Ĉ(m).

    Beyond the observed size this is (f1/n) A^(m − n + 1); below it, exact rarefaction (see :func:`coverage`).
    Non-increasing in m. Reference: Chao & Jost (2012). Valid range: m >= 0; NaN for an empty profile.
    """
    p = check_profile(p)
    if np.ndim(m):
        return np.array([_deficit(p, _check_size(x)) for x in np.asarray(m, dtype=np.float64).ravel()])
    return _deficit(p, _check_size(m))


def expected_distinct(p: Profile, m: float) -> float:
    """Expected number of distinct facts in a corpus of ``m`` mentions (iNEXT ``D0.hat``, q = 0).

    m <= n: S(m) = Σ_i [1 − C(n − x_i, m)/C(n, m)];  m > n: S + f̂0 (1 − (1 − f1/(n f̂0 + f1))^(m−n)).
    Reference: Colwell et al. (2012) J. Plant Ecol. 5:3–21; Chao & Jost (2012); iNEXT ``Dqhat.Ind``.
    Valid range: m >= 0; NaN for an empty profile.
    """
    p = check_profile(p)
    m = _check_size(m)
    n, s, f1, _ = basic(p)
    if n == 0:
        return math.nan
    if m <= n:
        ks = p.ks.astype(np.float64)
        fs = p.fs.astype(np.float64)
        sel = ks <= n - m
        # C(n−x, m)/C(n, m) = C(n'−1−d, m)/C(n'−1, m) with n' = n + 1, d = x
        miss = np.exp(log_hypergeometric_zero(n + 1.0, m, ks[sel])) if np.any(sel) else np.zeros(0)
        return float(s - np.dot(fs[sel], miss))
    f0 = f0_hat(p)
    if f1 == 0 or f0 == 0:
        return s
    oma = chao_jost_one_minus_a(p)
    if oma >= 1.0:
        return s + f0
    return s + f0 * -math.expm1((m - n) * math.log1p(-oma))


# ---------------------------------------------------------------------------------------------------------------
# Sizes for a target
# ---------------------------------------------------------------------------------------------------------------

_ROUNDINGS = ("round", "ceil", "none")


def size_for_coverage(p: Profile, target: float, *, rounding: str = "round") -> Estimate:
    """Corpus size (mentions) at which the estimated coverage reaches ``target`` (entropart ``Coverage2Size``).

    Formula: if target >= Ĉ(n) (Chao's coverage at the observed size), extrapolate::

        m* = n + (ln(n/f1) + ln(1 − target)) / ln(A) − 1

    otherwise solve Ĉ(m) = target on the rarefaction curve. entropart then applies R's ``round()`` (half to
    even), which ``rounding="round"`` reproduces (660 and 1005 for the spider data at 0.99); ``"ceil"`` gives the
    smallest size whose coverage is at least ``target``; ``"none"`` the unrounded solution. Between n − 1 and n
    the rarefaction curve jumps (Ĉ(n−1) = 1 − f1/n < Ĉ(n)); a target in that gap gives n.

    Reference: Chao & Jost (2012); entropart R/Coverage.R ``Coverage2Size``. Valid range:
    0 < target < 1. Not estimable for an empty profile or when every fact is a singleton (coverage 0).
    """
    p = check_profile(p)
    target = float(target)
    if not (0.0 < target < 1.0):
        raise ValueError(f"target coverage must be in (0, 1), got {target!r}")
    if rounding not in _ROUNDINGS:
        raise ValueError(f"rounding must be one of {_ROUNDINGS}, got {rounding!r}")
    method = "chao_jost"
    n, _, f1, _ = basic(p)
    if n == 0:
        return not_estimable(method, EMPTY)
    if f1 == n:
        return not_estimable(method, "every fact is a singleton: estimated coverage is 0 and cannot be extrapolated")
    c_n = 1.0 if f1 == 0 else 1.0 - (f1 / n) * chao_jost_a(p)
    warning = None
    if target >= c_n:
        oma = chao_jost_one_minus_a(p)
        raw = n + (math.log(n / f1) + math.log1p(-target)) / math.log1p(-oma) - 1.0
        if raw > 2 * n:
            warning = "Chao–Jost extrapolation beyond 2N is unreliable (iNEXT)"
    else:
        method = "rarefaction"
        if target <= 1.0 - _deficit(p, 1.0):
            raw = 1.0
        elif target > 1.0 - _deficit(p, n - 1.0):
            raw = n
        else:
            from scipy.optimize import brentq

            raw = brentq(lambda m: (1.0 - _deficit(p, m)) - target, 1.0, n - 1.0, xtol=1e-6, rtol=1e-13,
                         maxiter=2000, disp=False)
    return Estimate(_round(raw, rounding), method, None, warning)


def _round(x: float, rounding: str) -> float:
    if rounding == "round":
        return float(round(x))  # half to even, as R's round()
    if rounding == "ceil":
        return float(math.ceil(x))
    return float(x)


def _bisect_size(p: Profile, target: float, n: float, rtol: float) -> float:
    """Smallest integer m in [1, n] with deficit(m) <= target (deficit(n) <= target < deficit(0) = 1), to within
    a relative ``rtol`` (0: exact). Bisects on log m first, then on integers."""
    lo, hi = 0.0, n  # deficit(lo) > target >= deficit(hi)
    if _deficit(p, 1.0) <= target:
        return 1.0
    lo = 1.0
    while hi / lo > 1.0 + max(rtol, 1e-3) and hi - lo > 1:
        mid = math.floor(math.sqrt(lo * hi))
        if mid <= lo or mid >= hi:
            break
        if _deficit(p, mid) <= target:
            hi = mid
        else:
            lo = mid
    while hi - lo > max(1.0, rtol * hi):
        mid = math.floor((lo + hi) / 2)
        if _deficit(p, mid) <= target:
            hi = mid
        else:
            lo = mid
    return hi


def size_for_singleton_rate(p: Profile, target: float, *, rtol: float = 0.0) -> Estimate:
    """Smallest corpus size m (mentions) whose predicted singleton rate 1 − Ĉ(m) is at most ``target``.

    Beyond n: m = n − 1 + ⌈ln(target · n / f1) / ln A⌉ (from (f1/n) A^(m−n+1) <= target); at or below n: a bisection
    on the (non-increasing) rarefaction curve. Reference: Chao & Jost (2012). Valid range: target >= 0 (a target
    >= 1 gives 0). Not estimable for an empty profile, or for target 0 when the predicted rate never reaches 0.
    ``method`` says whether the size lies on the rarefaction or the extrapolation part; ``warning`` flags sizes
    beyond 2n, where iNEXT considers extrapolation unreliable. ``rtol`` > 0 stops the search on the rarefaction
    part once the size is known to that relative precision (for bootstrap replicates); the default is exact.
    """
    p = check_profile(p)
    target = check_nonnegative("target", target)
    n, _, f1, _ = basic(p)
    if n == 0:
        return not_estimable("chao_jost", EMPTY)
    if target >= 1.0:
        return Estimate(0.0, "rarefaction")
    if _deficit(p, n) <= target:
        hi = _bisect_size(p, target, n, rtol)
        return Estimate(float(hi), "rarefaction" if hi < n else "chao_jost")
    oma = chao_jost_one_minus_a(p)
    if target <= 0.0:
        return not_estimable("chao_jost", "the predicted singleton rate (f1/n)·A^(m−n+1) reaches 0 only as m → ∞")
    steps = math.log(target * n / f1) / math.log1p(-oma)  # > 1 here
    j = float(math.ceil(steps))
    # guard the ceiling against rounding in the logs (one step either way is all float64 can resolve)
    if j > 1 and (f1 / n) * math.exp((j - 1) * math.log1p(-oma)) <= target:
        j -= 1
    elif (f1 / n) * math.exp(j * math.log1p(-oma)) > target:
        j += 1
    m = n - 1.0 + j
    warning = "Chao–Jost extrapolation beyond 2N is unreliable (iNEXT)" if m > 2 * n else None
    return Estimate(float(m), "chao_jost", None, warning)


# ---------------------------------------------------------------------------------------------------------------
# Good–Toulmin and smoothed Good–Toulmin
# ---------------------------------------------------------------------------------------------------------------

def _gt_terms(p: Profile, t: float, weights: np.ndarray | None):
    w = np.ones(p.ks.size) if weights is None else np.asarray(weights, dtype=np.float64)
    keep = w > 0
    ks = p.ks[keep].astype(np.float64)
    fs = p.fs[keep].astype(np.float64)
    w = w[keep]
    sign = np.where((p.ks[keep] % 2) == 1, 1.0, -1.0)
    with np.errstate(over="ignore", under="ignore"):
        tk = np.power(t, ks)
        tk1 = np.power(t, ks - 1.0)
    # U = −Σ (−t)^k w_k f_k = Σ (−1)^(k+1) t^k w_k f_k
    u = float(np.sum(sign * tk * w * fs))
    # dU/dt = Σ (−t)^(k−1) k w_k f_k
    du = float(np.sum(sign * tk1 * ks * w * fs))
    return u, du


def _check_t(t) -> float:
    return check_nonnegative("t", t)


GT_DIVERGES = "Good–Toulmin diverges for t > 1 (its terms grow like t^k); use the smoothed estimator"


def good_toulmin_new_facts(p: Profile, t: float) -> Estimate:
    """Expected number of new facts in t·n further mentions (Good & Toulmin 1956).

    Formula: U(t) = −Σ_k (−t)^k f_k. Reference: Good, I. J. & Toulmin, G. H. (1956) Biometrika 43:45–63.
    Valid range: 0 <= t <= 1 (nearly unbiased, error O(√n t)); beyond, the alternating series diverges and the
    result is not estimable. The value can be negative for irregular profiles near t = 1.
    """
    p = check_profile(p)
    t = _check_t(t)
    if p.mentions == 0:
        return not_estimable("good_toulmin", EMPTY)
    if t > 1:
        return not_estimable("good_toulmin", GT_DIVERGES)
    return Estimate(_gt_terms(p, t, None)[0], "good_toulmin")


def good_toulmin_singleton_rate(p: Profile, t: float) -> Estimate:
    """Predicted singleton rate of a corpus of (1 + t)·n mentions, from the Good–Toulmin series.

    The missing mass at size (1 + t) n is the rate at which new facts appear, dE[U]/d(tn) = U'(t)/n, so::

        sr(t) = Σ_k (−t)^(k−1) k f_k / n                    (t = 0 gives f1/n)

    which is also Good & Toulmin's (1956) series for the expected number of singletons, E f1((1+t)n) =
    (1 + t) Σ_j (−t)^j (j+1) f_(j+1), divided by (1 + t) n. Valid range: 0 <= t <= 1; not estimable beyond.
    """
    p = check_profile(p)
    t = _check_t(t)
    n = float(p.mentions)
    if n == 0:
        return not_estimable("good_toulmin", EMPTY)
    if t > 1:
        return not_estimable("good_toulmin", GT_DIVERGES)
    return Estimate(_gt_terms(p, t, None)[1] / n, "good_toulmin")


def sgt_parameters(n: float, t: float) -> tuple[int, float]:
    """Binomial smoothing parameters of Orlitsky, Suresh & Wu (2016) for t > 1: ``(k, q)`` with
    k = ⌈½ log₃(n t² / (t − 1))⌉ and q = 2 / (t + 2)."""
    if not t > 1:
        raise ValueError("smoothing parameters are defined for t > 1")
    k = math.ceil(0.5 * math.log(n * t * t / (t - 1.0)) / math.log(3.0))
    return max(int(k), 1), 2.0 / (t + 2.0)


def sgt_max_t(n: float) -> float:
    """Largest t for which floor reports the smoothed Good–Toulmin estimate: ln n.

    Orlitsky, Suresh & Wu prove NMSE <= n^(−1/t) (binomial smoothing, up to constants) and that no estimator
    predicts U beyond t ∝ ln n; at t = ln n their bound is already e^(−1), so floor stops there.
    """
    return math.log(n) if n > 1 else 0.0


def _sgt(p: Profile, t: float) -> tuple[Estimate, Estimate]:
    n = float(p.mentions)
    if n == 0:
        return not_estimable("sgt", EMPTY), not_estimable("sgt", EMPTY)
    if t <= 1:
        u, du = _gt_terms(p, t, None)
        return Estimate(u, "sgt"), Estimate(du / n, "sgt")
    limit = sgt_max_t(n)
    if t > limit:
        reason = (f"smoothed Good–Toulmin is valid for t up to about ln n = {limit:.3g} at n = {int(n):,} "
                  f"(error bound n^(−1/t)); t = {t:.3g} is beyond")
        return not_estimable("sgt", reason), not_estimable("sgt", reason)
    from scipy.stats import binom

    k, q = sgt_parameters(n, t)
    ks = p.ks.astype(np.float64)
    weights = np.where(ks <= k, binom.sf(ks - 1.0, k, q), 0.0)  # P(L >= i), L ~ Bin(k, q)
    u, du = _gt_terms(p, t, weights)
    return Estimate(u, "sgt"), Estimate(du / n, "sgt")


def smoothed_good_toulmin_new_facts(p: Profile, t: float) -> Estimate:
    """Expected number of new facts in t·n further mentions, smoothed Good–Toulmin (SGT).

    Formula (Orlitsky, Suresh & Wu 2016, PNAS 113:13283–13288, the estimator U^L with binomial smoothing)::

        U^L(t) = −Σ_i (−t)^i P(L >= i) f_i,   L ~ Bin(k, q),  q = 2/(t + 2),  k = ⌈½ log₃(n t² / (t − 1))⌉

    Variant and why: the paper's *binomial* smoothing with q = 2/(t+2) (their recommended choice, better than
    the q = 1/(t+1), log₂ variant that reproduces Efron–Thisted), with the tail probability P(L >= i) — not
    P(L > i) — and the *ceiling* in k, exactly as stated in the paper (some public code uses floor; a smaller k
    truncates the series one term earlier). For t <= 1 the paper's k is undefined and plain Good–Toulmin is
    already accurate, so the plain estimate is returned.

    Valid range: 0 <= t <= ln n (NMSE <= n^(−1/t) up to constants; no estimator works beyond t ∝ ln n);
    not estimable beyond, with the reason.
    """
    p = check_profile(p)
    return _sgt(p, _check_t(t))[0]


def smoothed_good_toulmin_singleton_rate(p: Profile, t: float) -> Estimate:
    """Predicted singleton rate at (1 + t)·n mentions from the smoothed series: Σ_i (−t)^(i−1) i P(L >= i) f_i / n.

    This is the derivative in t of U^L with the smoothing weights held at their values for this t — the same
    construction as :func:`good_toulmin_singleton_rate`, truncated by the same binomial tail. It is floor's
    extension (the paper analyses U only); treat it as a cross-check on the Chao–Jost prediction.
    Valid range: as :func:`smoothed_good_toulmin_new_facts`.
    """
    p = check_profile(p)
    return _sgt(p, _check_t(t))[1]


# ---------------------------------------------------------------------------------------------------------------
# entropart's coverage estimators at the observed size
# ---------------------------------------------------------------------------------------------------------------

_COVERAGE_ESTIMATORS = ("ZhangHuang", "Chao", "Turing", "Best")


def sample_coverage(p: Profile, estimator: str = "ZhangHuang") -> Estimate:
    """Sample coverage at the observed size, as entropart's ``Coverage()`` computes it.

    Formulas::

        Turing      1 − f1/n                                          (Good 1953)
        Chao        1 − (f1/n) A                                       (Chao & Jost 2012; A from chao_jost_a)
        ZhangHuang  1 − Σ_k (−1)^(k+1) f_k / C(n, k)                   (Zhang & Huang 2007)

    "Best" means ZhangHuang. As in entropart: no singletons gives 1, only singletons gives 0, and ZhangHuang falls
    back to Chao when some fact has probability >= 1/2 (``method`` then says "Chao" and ``warning`` why).
    Reference: entropart R/Coverage.R; Zhang, Z. & Huang, H. (2007) "Turing's formula revisited", J. Quant.
    Linguistics 14:222–241.
    Valid range: any non-empty profile.
    """
    p = check_profile(p)
    if estimator not in _COVERAGE_ESTIMATORS:
        raise ValueError(f"estimator must be one of {_COVERAGE_ESTIMATORS}, got {estimator!r}")
    if estimator == "Best":
        estimator = "ZhangHuang"
    n, _, f1, _ = basic(p)
    if n == 0:
        return not_estimable(estimator, EMPTY)
    if f1 == 0:
        return Estimate(1.0, estimator, None, "no singletons: coverage is 1")
    if f1 == n:
        return Estimate(0.0, estimator, None, "only singletons: coverage is 0")
    warning = None
    if estimator == "ZhangHuang":
        if float(p.ks.max()) / n >= 0.5:
            estimator = "Chao"
            warning = "Zhang–Huang coverage needs every fact's share below 1/2; Chao's estimator is returned"
        else:
            from scipy.special import gammaln

            ks = p.ks.astype(np.float64)
            fs = p.fs.astype(np.float64)
            # log C(n, k) = lgamma(n+1) − lgamma(n−k+1) − lgamma(k+1), the first difference taken stably
            lchoose = lgamma_delta(n - ks + 1.0, ks) - gammaln(ks + 1.0)
            sign = np.where(p.ks % 2 == 1, 1.0, -1.0)
            return Estimate(1.0 - float(np.sum(sign * fs * np.exp(-lchoose))), estimator)
    if estimator == "Chao":
        return Estimate(1.0 - (f1 / n) * chao_jost_a(p), estimator, None, warning)
    return Estimate(1.0 - f1 / n, estimator)
