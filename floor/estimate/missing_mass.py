"""The singleton rate, the Good–Turing missing mass, and intervals for the missing mass.

The singleton rate sr = f1 / N (Kalai et al. 2025, Def. 2; the "monofact rate" of Kalai & Vempala 2024) divides
by all *mentions* N, not by the number of distinct facts. It is also Good's (1953) estimate of the missing mass M —
the probability that the next mention is of a fact not yet seen — with bias E[f1/N] − E[M] in [0, 1/N].

Intervals are for M (what the floor is about), returned as :class:`Interval`. Every interval is ordered,
clipped to [0, 1] and contains the point estimate; an empty profile gives NaN bounds and a reason.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..profile import Profile
from ._common import basic, check_confidence, check_int, check_profile, json_number, normal_quantile
from .bootstrap import bootstrap_draw

EMPTY = "empty profile (no mentions)"


@dataclass(frozen=True)
class Interval:
    """A confidence interval ``[low, high]`` for the missing mass, from ``method`` at level ``confidence``.

    ``point`` is the estimate it surrounds (the singleton rate); ``reason`` says why the bounds are NaN.
    """

    low: float
    high: float
    method: str
    confidence: float
    point: float = math.nan
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: json_number(v) for k, v in asdict(self).items()}


def _empty(method: str, confidence: float) -> Interval:
    return Interval(math.nan, math.nan, method, confidence, math.nan, EMPTY)


def _finish(point: float, low: float, high: float, method: str, confidence: float) -> Interval:
    """Order, clip to [0, 1] and stretch to contain the point."""
    low, high = float(min(low, high)), float(max(low, high))
    low = min(max(low, 0.0), point)
    high = max(min(high, 1.0), point)
    return Interval(low, high, method, confidence, point)


MIN_COUNT = 10
"""f1 and f2 below which an interval resting on their sampling distribution (Esty's normal approximation, the
bootstrap's resampled profile) is not trusted: asymptotic results need them in the tens."""


def unquotable_reason(p: Profile, interval: Interval) -> str | None:
    """Why a group's sr and ``interval`` are too uncertain to quote, or ``None``: an empty profile; an interval of
    no width (Esty's variance is 0 when every mention is a singleton, f1 = N, or none is: no certainty, but no
    estimate of the spread); f1 or f2 below :data:`MIN_COUNT` for an interval that rests on their sampling
    distribution. The distribution-free McAllester–Ortiz interval holds at any N, and is only checked for width."""
    p = check_profile(p)
    n, _, f1, f2 = basic(p)
    if n == 0:
        return EMPTY
    if interval.low == interval.high:
        return (f"the {interval.method} interval has no width at N = {n:,.0f} (f1 = {f1:,.0f}, f2 = {f2:,.0f}): "
                "no estimate of its spread")
    if interval.method != "mcallester_ortiz" and min(f1, f2) < MIN_COUNT:
        return (f"f1 = {f1:,.0f} and f2 = {f2:,.0f} are too few for the {interval.method} interval (it needs both "
                "in the tens)")
    return None


def singleton_rate(p: Profile) -> float:
    """Singleton rate sr = f1 / N: the share of all mentions that are of facts mentioned exactly once.

    Formula: f1 / N with N = Σ_k k f_k (mentions, not distinct facts). Reference: Kalai, Nachum, Vempala & Zhang
    (2025) "Why Language Models Hallucinate", arXiv 2509.04664, Def. 2. Valid range: any profile; NaN when N = 0.
    """
    p = check_profile(p)
    n, _, f1, _ = basic(p)
    return f1 / n if n else math.nan


def good_turing_missing_mass(p: Profile) -> float:
    """Good–Turing estimate of the missing mass M (probability that the next mention is of an unseen fact).

    Formula: f1 / N — the same number as :func:`singleton_rate`; scikit-bio calls it ``robbins``; Sampson's
    Simple Good–Turing reports it as P0. Reference: Good, I. J. (1953) Biometrika 40:237–264. Bias:
    E[f1/N] − E[M] ∈ [0, 1/N]. Valid range: any profile; NaN when N = 0.
    """
    return singleton_rate(p)


def good_coverage(p: Profile) -> float:
    """Good's sample coverage 1 − f1/N (scikit-bio ``goods_coverage``). Reference: Good (1953).
    Valid range: any profile; NaN when N = 0."""
    return 1.0 - singleton_rate(p)


def esty_variance(p: Profile) -> float:
    """Esty's (1983) variance W of f1/N − M.

    Formula: W = [f1 (N − f1) + 2 N f2] / N³, evaluated as (s (1 − s) + 2 f2/N) / N with s = f1/N so that no
    cube of N is formed (scikit-bio computes N**3 in int64 and overflows past N ≈ 2.1e6). Reference: Esty, W. W.
    (1983) Ann. Statist. 11:905–912. Valid range: any profile; NaN when N = 0.
    """
    p = check_profile(p)
    n, _, f1, f2 = basic(p)
    if n == 0:
        return math.nan
    s = f1 / n
    return (s * (1.0 - s) + 2.0 * (f2 / n)) / n


def esty_interval(p: Profile, confidence: float = 0.95, *, clip: bool = True) -> Interval:
    """Esty's normal interval for the missing mass: sr ± z √W (W from :func:`esty_variance`).

    z is the standard normal quantile for ``confidence`` (1.95996… at 0.95). Reference: Esty (1983); scikit-bio
    ``esty_ci`` (which hard-codes 95% and does not clip). With ``clip=True`` (default) the interval is clipped to
    [0, 1]; ``clip=False`` returns the raw normal interval, as scikit-bio does. Valid range: asymptotic in f1 and
    N; any profile gives a result; NaN bounds when N = 0.
    """
    p = check_profile(p)
    confidence = check_confidence(confidence)
    method = "esty"
    n = p.mentions
    if n == 0:
        return _empty(method, confidence)
    point = singleton_rate(p)
    half = normal_quantile(confidence) * math.sqrt(esty_variance(p))
    if not clip:
        return Interval(float(point - half), float(point + half), method, confidence, point)
    return _finish(point, point - half, point + half, method, confidence)


def mcallester_ortiz_interval(p: Profile, confidence: float = 0.95) -> Interval:
    """Distribution-free interval: |M − f1/N| <= 1/N + 2.42 √(ln(4/γ)/N) with probability >= 1 − γ.

    γ = 1 − confidence. Reference: McAllester & Ortiz (2003) JMLR 4:895–911, as stated in Kalai et al. (2025),
    Appendix B, Corollary 3. Valid range: any N >= 1 (conservative: holds for every distribution); clipped to
    [0, 1]; NaN bounds when N = 0.
    """
    p = check_profile(p)
    confidence = check_confidence(confidence)
    method = "mcallester_ortiz"
    n = float(p.mentions)
    if n == 0:
        return _empty(method, confidence)
    gamma = 1.0 - confidence
    point = singleton_rate(p)
    half = 1.0 / n + 2.42 * math.sqrt(math.log(4.0 / gamma) / n)
    return _finish(point, point - half, point + half, method, confidence)


@dataclass(frozen=True)
class BootstrapReplicates:
    """Per-replicate singleton rates sr* = f1*/N and missing masses M* behind a bootstrap interval, and the
    replicates' singletons f1* and doubletons f2*."""

    singleton_rates: np.ndarray
    missing_masses: np.ndarray
    singletons: np.ndarray
    doubletons: np.ndarray


def bootstrap_interval(p: Profile, confidence: float = 0.95, replicates: int = 200, seed: int = 0,
                       return_replicates: bool = False) -> Interval | tuple[Interval, BootstrapReplicates]:
    """Bootstrap interval for the missing mass from iNEXT's estimated community (Chao & Jost 2012).

    Method: draw ``replicates`` multinomial samples of N mentions from the estimated community (iNEXT
    ``EstiBootComm.Ind``; see :mod:`floor.estimate.bootstrap` for how this stays fast at N = 1e12 and with
    millions of facts). In each replicate the true missing mass M* is known (the community probability of the
    facts the replicate missed), so the bootstrap gives the distribution of the *error* M* − sr*, and the
    percentile interval is::

        [ sr + q_(γ/2)(M* − sr*),  sr + q_(1−γ/2)(M* − sr*) ]

    then ordered, clipped to [0, 1] and stretched to contain sr. The quantiles are the (R+1)·α/2-th and
    (R+1)·(1−α/2)-th order statistics (Davison & Hinkley 1997, Bootstrap Methods, §5.2; numpy's "weibull"
    method): numpy's default interpolation sits too far inside the tails at R = 100–200 and cost about two
    points of coverage in floor's simulations.

    Why the error and not sr* itself: the estimated community reproduces the variance of M − sr well, but not
    the level of sr (its replicates have fewer singletons than the sample: unseen facts are all given one
    probability), so a percentile interval of sr* is off-centre and covered M in only about half of simulated
    Zipf samples; the error M* − sr* carries both the spread of M and the bias. Seeded: the same seed gives the
    same interval.

    Reference: Chao & Jost (2012) Ecology 93:2533; Chao et al. (2014) Ecol. Monogr. 84:45–67; iNEXT.
    Valid range: any profile; NaN bounds when N = 0. With ``return_replicates=True`` also returns the replicates.
    """
    p = check_profile(p)
    confidence = check_confidence(confidence)
    replicates = check_int("replicates", replicates, 1)
    method = "bootstrap"
    n = p.mentions
    if n == 0:
        out = _empty(method, confidence)
        reps = BootstrapReplicates(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
        return (out, reps) if return_replicates else out
    draw = bootstrap_draw(p, replicates, seed)
    sr_star = draw.singleton_rates
    m_star = draw.missing_mass
    point = singleton_rate(p)
    alpha = 1.0 - confidence
    err = m_star - sr_star
    # the (R+1)·α-th order statistics (Davison & Hinkley 1997, §5.2), not numpy's default (R−1)·α + 1
    lo_q, hi_q = np.quantile(err, [alpha / 2.0, 1.0 - alpha / 2.0], method="weibull")
    out = _finish(point, point + float(lo_q), point + float(hi_q), method, confidence)
    if return_replicates:
        return out, BootstrapReplicates(sr_star, m_star, draw.singletons, draw.doubletons)
    return out
