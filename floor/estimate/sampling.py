"""Estimates from a hash sample of facts (``--sample-rate``): scale-up and the extra variance it brings.

In bounded-memory mode each fact is kept when its 64-bit key hash falls below ``rate · 2^64``: a Bernoulli
sample of facts with inclusion probability ``rate``, the same facts in every shard, each kept fact counted
exactly. Totals (f1, f2, distinct facts, mentions N) are Horvitz–Thompson scaled by 1/rate; the singleton rate
is the ratio f1_s / N_s of the sample, whose sampling variance adds to the corpus-level (Esty) variance.
"""

from __future__ import annotations

import math

import numpy as np

from ..profile import Profile
from ._common import check_profile


def check_rate(rate: float) -> float:
    rate = float(rate)
    if not 0 < rate <= 1:
        raise ValueError(f"sample rate must be in (0, 1], got {rate!r}")
    return rate


def scaled_profile(p: Profile, rate: float) -> Profile:
    """The profile of the whole corpus estimated from a fact sample: f_k / rate, rounded to whole facts."""
    p = check_profile(p)
    rate = check_rate(rate)
    return Profile(p.ks, np.rint(p.fs / rate).astype(np.int64))


def fact_sampling_variance(p: Profile, rate: float) -> float:
    """Variance of the singleton rate f1_s/N_s due to keeping each fact with probability ``rate``.

    Linearized variance of a ratio estimator under Bernoulli sampling (Särndal, Swensson & Wretman 1992, Model
    Assisted Survey Sampling, Result 5.6.1 with π = rate), estimated from the sample:

        V = (1 − rate) Σ_i (y_i − r x_i)² / N_s²,   y_i = [x_i = 1],  r = f1_s / N_s,
        Σ_i (y_i − r x_i)² = f1 (1 − r)² + r² Σ_{k≥2} k² f_k.

    Zero at rate = 1; NaN for an empty sample. Valid when the sample holds many facts (normal approximation).
    """
    p = check_profile(p)
    rate = check_rate(rate)
    n = float(p.mentions)
    if n == 0:
        return math.nan
    f1 = float(p.singletons)
    r = f1 / n
    ks = p.ks.astype(np.float64)
    fs = p.fs.astype(np.float64)
    rest = ks > 1
    residuals = f1 * (1.0 - r) ** 2 + r * r * float(np.dot(ks[rest] ** 2, fs[rest]))
    return (1.0 - rate) * residuals / (n * n)


def widen_interval(point: float, low: float, high: float, variance: float, z: float) -> tuple[float, float]:
    """Add an independent normal error of ``variance`` to an interval around ``point``, in quadrature on each side;
    clipped to [0, 1]."""
    if any(v is None or not math.isfinite(v) for v in (point, low, high, variance)):
        return low, high
    extra = (z * z) * variance
    low = point - math.sqrt((point - low) ** 2 + extra)
    high = point + math.sqrt((high - point) ** 2 + extra)
    return max(0.0, low), min(1.0, high)
