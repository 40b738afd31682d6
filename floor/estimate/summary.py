"""The estimate stage's two entry points: one group's estimates, and predictions at other corpus sizes.

Both return plain JSON-able Python (dicts, lists, numbers, strings, ``None``): undefined numbers are ``None``,
never NaN. Both are pure functions of a profile (plus a seed for the bootstrap).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Collection, Sequence

import numpy as np

from ..profile import Profile
from ._common import Estimate, check_confidence, check_int, check_nonnegative, check_profile, jsonable, normal_quantile
from .backtest import Backtest, predict_far_checked
from .far import ALL_METHODS, METHODS as FAR_METHODS
from .bootstrap import bootstrap_draw
from .bounds import monofact_bound, theorem2_floor_at, theorem2_lower, theorem2_upper
from .extrapolate import (_deficit, chao1, chao_jost_a, expected_distinct, f0_hat, good_toulmin_new_facts,
                          good_toulmin_singleton_rate, smoothed_good_toulmin_new_facts,
                          smoothed_good_toulmin_singleton_rate)
from .missing_mass import (bootstrap_interval, esty_interval, good_coverage, mcallester_ortiz_interval,
                           singleton_rate, unquotable_reason)
from .mixture import (METHOD as NPMLE, PoissonMixture, fit_poisson_mixture, mixture_singleton_rate,
                      mixture_singleton_rate_variance, mixture_size_for_singleton_rate,
                      mixture_size_for_theorem2_floor)
from .spurious import spurious_singletons

INTERVALS = ("esty", "mcallester-ortiz", "bootstrap")
BEYOND_2N = "Chao–Jost extrapolation beyond 2N is unreliable (iNEXT)"
#: Beyond this multiple of N the primary prediction is the far one (:mod:`.backtest`): the nonparametric
#: methods rest there on facts too rare to have been seen.
FAR_FROM = 2.0
#: The method of a far row when no far method's backtest holds (the row then says why it is not reliable).
FAR = "far"
EMPTY = "not estimable: empty profile (no mentions)"


def estimate_group(p: Profile, *, confidence: float = 0.95, interval: str = "esty", answer_space: int,
                   delta: float = 0.0, seed: int = 0, replicates: int = 200,
                   theorem_confidence: float = 0.99, possible_hallucinations: float | None = None,
                   return_replicates: bool = False) -> dict[str, Any]:
    """Every estimate for one group (category) of facts, as a flat JSON-able dict.

    Parameters
    ----------
    p : the group's profile.
    confidence : level of the missing-mass interval (``ci_low``, ``ci_high``).
    interval : "esty" (normal, Esty 1983), "mcallester-ortiz" (distribution-free) or "bootstrap" (iNEXT-style,
        ``replicates`` draws, ``seed``).
    answer_space : |E|, the number of plausible wrong answers per prompt (Theorem 2's min|E_c| = max|E_c|;
        birthdays without a year: 364).
    delta : Theorem 2's miscalibration δ (unknown from data; 0 by default, and reported).
    theorem_confidence : confidence of Theorem 2 (0.99 is the paper's stated form, (35 + 6 ln N)/√N).
    possible_hallucinations : |possible hallucinations| of Kalai & Vempala's (2024) monofact bound. Default: the
        arbitrary-facts reading, one true and ``answer_space`` false answers per fact, so |possible
        hallucinations| = |Facts| · answer_space with |Facts| the Chao1 estimate (the facts term is then
        300/answer_space, and the bound is 0 whenever answer_space <= 300 — Kalai & Vempala's bound needs
        hallucinations to outnumber facts by far more than 300 to 1). Give the number for a sparser domain.
    return_replicates : also return the bootstrap replicates (``replicates`` draws, ``seed``) under
        ``bootstrap_replicates``: ``{"singleton_rate": [sr*...], "missing_mass": [M*...], "singletons": [f1*...],
        "doubletons": [f2*...]}`` (None for an empty profile). They are drawn whatever ``interval`` is; with
        ``interval="bootstrap"`` they are the draws behind ``ci_low``/``ci_high``, which are
        ``sr + quantiles of (M* − sr*)`` (:func:`floor.estimate.missing_mass.bootstrap_interval`).

    Keys: mentions, distinct_facts, singletons, doubletons, singleton_rate, good_turing_missing_mass,
    good_coverage, coverage (Chao–Jost Ĉ(n)), chao_jost_a, f0_hat, chao1, ci_low, ci_high, confidence, interval,
    interval_reason, quotable and quotable_reason (:func:`~.missing_mass.unquotable_reason`), theorem2_floor,
    theorem2 (terms, dominant term, note), theorem2_upper, monofact (Kalai & Vempala 2024: terms,
    dominant term, note, inputs), answer_space, delta, spurious_singletons (corrected f1 and sr); and
    bootstrap_replicates when asked.
    """
    p = check_profile(p)
    confidence = check_confidence(confidence)
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}, got {interval!r}")
    answer_space = check_int("answer_space", answer_space, 1)
    delta = check_nonnegative("delta", delta)
    draws = None
    if interval == "bootstrap" or return_replicates:
        boot, draws = bootstrap_interval(p, confidence, replicates=check_int("replicates", replicates, 1), seed=seed,
                                         return_replicates=True)
    if interval == "esty":
        ci = esty_interval(p, confidence)
    elif interval == "mcallester-ortiz":
        ci = mcallester_ortiz_interval(p, confidence)
    else:
        ci = boot
    unquotable = unquotable_reason(p, ci)
    lower = theorem2_lower(p, error_set_size=answer_space, delta=delta, confidence=theorem_confidence)
    upper = theorem2_upper(p, error_set_size=answer_space, confidence=theorem_confidence)
    n = p.mentions
    facts = chao1(p)
    derived = possible_hallucinations is None
    if derived:
        possible_hallucinations = facts * answer_space if n else 1.0
    else:
        possible_hallucinations = check_nonnegative("possible_hallucinations", possible_hallucinations, allow_inf=True)
    mono = monofact_bound(p, facts=facts if n else 0.0, possible_hallucinations=possible_hallucinations,
                          miscalibration=delta).as_dict()
    mono["inputs"]["possible_hallucinations_source"] = "facts × answer_space" if derived else "given"
    out = {
        "mentions": n,
        "distinct_facts": p.distinct,
        "singletons": p.singletons,
        "doubletons": p.doubletons,
        "singleton_rate": singleton_rate(p),
        "good_turing_missing_mass": singleton_rate(p),
        "good_coverage": good_coverage(p),
        "coverage": 1.0 - _deficit(p, float(n)) if n else math.nan,
        "chao_jost_a": chao_jost_a(p),
        "f0_hat": f0_hat(p),
        "chao1": chao1(p),
        "ci_low": ci.low,
        "ci_high": ci.high,
        "confidence": confidence,
        "interval": interval,
        "interval_reason": ci.reason,
        "quotable": unquotable is None,
        "quotable_reason": unquotable,
        "theorem2_floor": lower.value,
        "theorem2": lower.as_dict(),
        "theorem2_upper": upper.as_dict(),
        "monofact": mono,
        "answer_space": answer_space,
        "delta": delta,
        "spurious_singletons": spurious_singletons(p).as_dict(),
    }
    if return_replicates:
        out["bootstrap_replicates"] = ({"singleton_rate": draws.singleton_rates, "missing_mass": draws.missing_masses,
                                        "singletons": np.rint(draws.singletons).astype(np.int64),
                                        "doubletons": np.rint(draws.doubletons).astype(np.int64)} if n else None)
    return jsonable(out)


# ---------------------------------------------------------------------------------------------------------------
# Predictions at other corpus sizes
# ---------------------------------------------------------------------------------------------------------------

def _chao_jost_stats(q: Profile, m: float) -> tuple[float, float | None, float]:
    """(singleton rate, new facts, expected distinct) at size m from rarefaction / Chao–Jost extrapolation."""
    n = float(q.mentions)
    sr = _deficit(q, m)
    distinct = expected_distinct(q, m)
    new = distinct - q.distinct if m >= n else None
    return sr, new, distinct


def _gt_stats(kind: str, t: float) -> Callable[[Profile], tuple[float, float | None, float | None]]:
    def stats(q: Profile):
        if kind == "good_toulmin":
            u, d = good_toulmin_new_facts(q, t), good_toulmin_singleton_rate(q, t)
        else:
            u, d = smoothed_good_toulmin_new_facts(q, t), smoothed_good_toulmin_singleton_rate(q, t)
        distinct = q.distinct + u.value if u.estimable else math.nan
        return d.value, u.value, distinct
    return stats


def _ci(point: float, values: np.ndarray, z: float, corpus_variance: float) -> tuple[float | None, float | None]:
    """Prediction interval: point ± z·sqrt(sd² + corpus_variance), sd over the bootstrap replicates (iNEXT's
    interval when corpus_variance = 0), clipped to [0, 1] and containing the point.

    The two variances add because they are independent: the replicates' spread is the estimate's uncertainty
    about the expected rate at that size, and ``corpus_variance`` is the spread of the rate one corpus of that
    size measures around that expectation."""
    values = values[np.isfinite(values)]
    if not math.isfinite(point) or values.size < 2:
        return None, None
    half = z * math.sqrt(float(np.var(values, ddof=1)) + corpus_variance)
    lo = min(max(point - half, 0.0), min(point, 1.0))
    hi = max(min(point + half, 1.0), max(point, 0.0))
    return lo, hi


def _mixture_stats(fits: "_Fits", u: float) -> Callable[[Profile], tuple[float, float | None, float]]:
    """(singleton rate, new facts, expected distinct) at u·N from the Poisson-mixture NPMLE of a profile."""
    def stats(q: Profile):
        fit = fits.get(q)
        if fit is None:
            return math.nan, None, math.nan
        sr = fit.singleton_rate(u)
        new = float(np.sum(fit.facts * (np.exp(-fit.rates) - np.exp(-u * fit.rates))))
        return sr, new, q.distinct + new
    return stats


class _Fits:
    """Poisson-mixture fits of the profile and of its bootstrap replicates, each fitted once for all scales;
    replicates start from the profile's own fit."""

    def __init__(self, p: Profile):
        self.p = p
        self.main = fit_poisson_mixture(p)
        self._cache: dict[int, PoissonMixture | None] = {id(p): self.main}

    def get(self, q: Profile) -> PoissonMixture | None:
        key = id(q)
        if key not in self._cache:
            start = self.main.weights if self.main is not None and self.main.weights.sum() > 0 else None
            self._cache[key] = fit_poisson_mixture(q, start=start)
        return self._cache[key]


def _empty_row(scale: float, size: float | None, method: str, primary: bool, confidence: float,
               corpus_variance: float | None, keep_replicates: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": "prediction", "scale": scale, "size": size, "method": method, "primary": primary,
                           "singleton_rate": None, "coverage": None, "new_facts": None, "distinct_facts": None,
                           "ci_low": None, "ci_high": None, "confidence": confidence,
                           "corpus_variance": corpus_variance, "backtest": None, "rule": None}
    if keep_replicates:
        row.update(replicates=None, replicate_singletons=None, replicate_doubletons=None)
    return row


def _row(scale: float, size: float, method: str, stats, p: Profile, replicate_profiles, z: float,
         confidence: float, warnings: list[str], reason: str | None, corpus_variance: float | None,
         keep_replicates: bool = False, primary: bool = False) -> dict[str, Any]:
    row = _empty_row(scale, size, method, primary, confidence, corpus_variance, keep_replicates)
    if reason is None:
        sr, new, distinct = stats(p)
        if sr is None or not math.isfinite(sr):
            reason = "not estimable"
        else:
            if sr < 0.0 or sr > 1.0:
                warnings.append(f"estimate {sr:.3g} outside [0, 1] clipped: the alternating series is unstable here")
                sr = min(max(sr, 0.0), 1.0)
            row.update(singleton_rate=sr, coverage=1.0 - sr, new_facts=new, distinct_facts=distinct)
            if replicate_profiles:
                reps = np.clip(np.array([_finite(stats(q)[0]) for q in replicate_profiles]), 0.0, 1.0)
                row["ci_low"], row["ci_high"] = _ci(sr, reps, z, corpus_variance)
                if keep_replicates:
                    row.update(replicates=reps, replicate_singletons=[q.singletons for q in replicate_profiles],
                               replicate_doubletons=[q.doubletons for q in replicate_profiles])
    if reason is not None:
        warnings.insert(0, reason if reason.startswith("not estimable") else f"not estimable: {reason}")
    row["warning"] = "; ".join(warnings) if warnings else None
    return row


def _backtest_summary(result: Backtest, chosen: bool, fit_p_value: float | None) -> dict[str, Any]:
    return {"method": result.method, "chosen": chosen, "scale_tested": result.tested_scale,
            "mean_abs_error": result.mean_abs_error, "mean_error": result.mean_error, "coverage": result.coverage,
            "model_sd": result.model_sd, "verdict": result.verdict, "fit_p_value": fit_p_value}


def _far_row(p: Profile, scale: float, size: float, confidence: float, seed: int, corpus_variance: float,
             keep_replicates: bool, finite_population: bool = False) -> dict[str, Any]:
    """The far prediction at u = size/N (:func:`floor.estimate.backtest.predict_far_checked`): among the laws the
    counts allow, the method whose backtest on this profile holds best, its interval widened by the backtest's
    error; method ``far`` and not estimable, with the reason, when none may be used. ``finite_population``: the
    finite zeta is offered too (:data:`floor.estimate.far.ALL_METHODS`). ``rule`` says why the method was
    picked; each backtest entry carries its law's ``fit_p_value`` (None for Pitman–Yor, whose counts Engen's fit
    speaks for)."""
    methods = ALL_METHODS if finite_population else FAR_METHODS
    prediction, choice = predict_far_checked(p, size / p.mentions, methods, confidence=confidence, seed=seed)
    row = _empty_row(scale, size, choice.method or FAR, True, confidence, corpus_variance, keep_replicates)
    row["backtest"] = [_backtest_summary(r, r.method == choice.method, choice.fit_p_values.get(r.method))
                       for r in choice.backtests.values()]
    row["rule"] = choice.rule
    if prediction.estimable:
        row.update(singleton_rate=prediction.value, coverage=1.0 - prediction.value, ci_low=prediction.low,
                   ci_high=prediction.high)
        row["warning"] = prediction.warning
    else:
        row["warning"] = f"not estimable: {prediction.reason}"
    return row


def _finite(x) -> float:
    return float(x) if x is not None and math.isfinite(x) else math.nan


def predict(p: Profile, scales: Sequence[float], *, target_sr: float | None = None,
            target_theorem2_floor: float | None = None, error_set_size: float | None = None, delta: float = 0.0,
            confidence: float = 0.95, replicates: int = 200, seed: int = 0, return_replicates: bool = False,
            far_predictions: bool = True, finite_population: bool = False,
            corpus_scales: Collection[float] = ()) -> list[dict[str, Any]]:
    """Predicted singleton rate (and coverage, new facts) if the corpus were ``scale`` times its size.

    For each scale s, with m = round(s·N) mentions (at least 1), rows of ``method``, the primary one first:

    * "rarefaction" (m < N, the only row): exact expected missing mass of a random sub-corpus (Chao & Jost 2012,
      iNEXT);
    * the far row (m > ``FAR_FROM``·N, primary; with ``far_predictions``): among the laws the profile's counts
      allow (a chi-square test of each fit), the power-law model chosen by a backtest on the profile itself
      (:func:`floor.estimate.backtest.predict_far_checked`, ``seed``), its method "pitman_yor" or "engen", its
      interval the model's widened by the backtest's error; method "far" and not estimable, with the reason "not
      reliable at ...", when the counts reject the laws or no model's backtest holds. ``backtest``: each
      model's backtest (method, chosen, scale_tested, mean_abs_error, mean_error, coverage, model_sd, verdict,
      fit_p_value);
      None in the other rows; ``rule``, why the method was picked. At the scales in ``corpus_scales`` (the whole
      corpus the profile is a uniform sample of: a corpus or domain size), or at every scale with
      ``finite_population``, the finite zeta is offered too (:func:`floor.estimate.backtest.predict_far_checked`).
      It has no bootstrap interval and no ``new_facts``;
    * "npmle" (m >= N, primary up to ``FAR_FROM``·N): (f1/N)·R(m/N) from the nonparametric maximum-likelihood
      Poisson mixture fitted to the whole profile (:mod:`floor.estimate.mixture`); supported up to 2N, warns
      beyond, not estimable beyond (1 + ln N)·N;
    * "chao_jost" (m >= N): Ĉ(N) and the extrapolation (f1/N) A^(m−N+1); warns beyond 2N, as iNEXT does. It uses
      f1 and f2 only and falls too fast on heavy-tailed profiles (kept for comparison with iNEXT);
    * "good_toulmin" (s >= 1, t = s − 1): U(t) new facts and the series for the singleton rate; not estimable
      for t > 1 ("Good–Toulmin diverges for t > 1");
    * "sgt" (s >= 1): smoothed Good–Toulmin (Orlitsky, Suresh & Wu 2016); not estimable beyond t = ln N.

    The primary rows (``primary`` true, first at each scale: rarefaction below N, npmle from N to 2N, the far row
    beyond) are floor's prediction; rarefaction and npmle's singleton rate is non-increasing in scale and equals
    f1/N at s = 1. ``ci_low``/``ci_high`` are a prediction interval for the singleton rate *measured* on a corpus
    of m mentions from the same population:
    point ± z·sqrt(sd² + corpus_variance), clipped to [0, 1] and containing the point, where sd is the spread of
    the row's method re-estimated on ``replicates`` bootstrap profiles from iNEXT's estimated community (iNEXT's
    own interval is point ± z·sd) and ``corpus_variance`` is the variance of the rate one such corpus measures
    around its expectation (:func:`floor.estimate.mixture.mixture_singleton_rate_variance`; the same for every
    method at a size, since they predict the same target). For a corpus independent of this one the two add
    exactly; for one that contains this one (m > N) or is a random part of it (m < N) the interval is
    conservative, as the two share this corpus's noise. ``replicates=0`` skips the intervals. ``new_facts`` is
    None for rarefaction (m < N); ``distinct_facts`` is the expected number of distinct facts at that size.

    With ``target_sr``, a row of ``kind`` "target" gives the smallest corpus (``size``, ``scale``) whose
    predicted singleton rate is at most ``target_sr`` (rarefaction below N, the npmle curve above, beyond 2N
    too, where the far row is primary: :func:`floor.estimate.mixture.mixture_size_for_singleton_rate`), with a
    bootstrap percentile range of that scale (``scale_ci_low``, ``scale_ci_high``), or None and the reason; the
    target is in ``target_sr`` and, as before the floor target existed, ``target_floor``. With
    ``target_theorem2_floor`` (and ``error_set_size`` |E|, ``delta``), a row of ``kind`` "floor_target" the same
    for Theorem 2's floor: the smallest size >= N from which on the floor predicted on the npmle curve stays at or
    below it (:func:`floor.estimate.mixture.mixture_size_for_theorem2_floor`), with ``theorem2_floor`` there.
    Each row's ``warning`` is None or a sentence.

    ``return_replicates=True`` adds to every prediction row ``replicates``: the replicates' singleton rates behind
    its interval (a list, None when there are none), with the replicates' singletons and doubletons at the observed
    size (``replicate_singletons``, ``replicate_doubletons``); and to the target row the replicates' scales.
    """
    p = check_profile(p)
    confidence = check_confidence(confidence)
    replicates = check_int("replicates", replicates, 0)
    scale_list = [check_nonnegative("scale", s) for s in scales]
    if any(s == 0 for s in scale_list):
        raise ValueError("scales must be > 0")
    if target_sr is not None:
        target_sr = check_nonnegative("target_sr", target_sr)
    if target_theorem2_floor is not None:
        target_theorem2_floor = check_nonnegative("target_theorem2_floor", target_theorem2_floor)
        if error_set_size is None:
            raise ValueError("a target Theorem 2 floor needs the error set size |E|")
    z = normal_quantile(confidence)
    n = float(p.mentions)
    reps = None
    if n > 0 and replicates > 0:
        reps = bootstrap_draw(p, replicates, seed, profiles=True).profiles
    fits = _Fits(p) if n > 0 else None
    keep = bool(return_replicates)

    rows: list[dict[str, Any]] = []
    for s in scale_list:
        m = max(1.0, float(round(s * n))) if n > 0 else math.nan
        if n == 0:
            method = "rarefaction" if s < 1 else NPMLE
            rows.append(_row(s, None, method, None, p, None, z, confidence, [], EMPTY, None, keep, primary=True))
            continue
        # every method at this size predicts the same target, so they share the measured rate's variance, from
        # the mixture (the whole profile's best description of the facts not yet seen)
        variance = mixture_singleton_rate_variance(p, m, fit=fits.main)
        if m < n:
            rows.append(_row(s, m, "rarefaction", lambda q, m=m: _chao_jost_stats(q, m), p, reps, z, confidence,
                             [], None, variance, keep, primary=True))
            continue
        u = m / n
        far = far_predictions and m > FAR_FROM * n
        if far:
            rows.append(_far_row(p, s, m, confidence, seed, variance, keep,
                                 finite_population or s in corpus_scales))
        npmle = mixture_singleton_rate(p, m, fit=fits.main)
        warnings = [npmle.warning] if npmle.warning else []
        rows.append(_row(s, m, NPMLE, _mixture_stats(fits, u), p, reps, z, confidence, warnings,
                         None if npmle.estimable else npmle.reason, variance, keep, primary=not far))
        warnings = [BEYOND_2N] if m > 2 * n else []
        rows.append(_row(s, m, "chao_jost", lambda q, m=m: _chao_jost_stats(q, m), p, reps, z, confidence,
                         warnings, None, variance, keep))
        t = u - 1.0
        gt = good_toulmin_new_facts(p, t)
        rows.append(_row(s, m, "good_toulmin", _gt_stats("good_toulmin", t), p, reps, z, confidence, [],
                         None if gt.estimable else gt.reason, variance, keep))
        sgt = smoothed_good_toulmin_new_facts(p, t)
        rows.append(_row(s, m, "sgt", _gt_stats("sgt", t), p, reps, z, confidence, [],
                         None if sgt.estimable else sgt.reason, variance, keep))

    if target_sr is not None:
        rows.append(_target_row(p, _SingletonRateTarget(target_sr), reps, confidence, fits, keep))
    if target_theorem2_floor is not None:
        target = _FloorTarget(target_theorem2_floor, error_set_size, delta)
        rows.append(_target_row(p, target, reps, confidence, fits, keep))
    return jsonable(rows)


class _SingletonRateTarget:
    """The corpus size at which the predicted singleton rate falls to ``value``."""
    kind = "target"

    def __init__(self, value: float):
        self.value = value

    def labels(self) -> dict[str, Any]:
        return {"target_sr": self.value, "target_floor": self.value}

    def size(self, q: Profile, fit: PoissonMixture | None, rtol: float = 0.0) -> Estimate:
        return mixture_size_for_singleton_rate(q, self.value, fit=fit, rtol=rtol)

    def at_size(self, sr: float, m: float) -> dict[str, Any]:
        return {}


class _FloorTarget(_SingletonRateTarget):
    """The corpus size from which on Theorem 2's predicted floor stays at or below ``value``."""
    kind = "floor_target"

    def __init__(self, value: float, error_set_size: float, delta: float):
        super().__init__(value)
        self.error_set_size, self.delta = error_set_size, delta

    def labels(self) -> dict[str, Any]:
        return {"target_theorem2_floor": self.value, "error_set_size": self.error_set_size, "delta": self.delta,
                "theorem2_floor": None}

    def size(self, q: Profile, fit: PoissonMixture | None, rtol: float = 0.0) -> Estimate:
        return mixture_size_for_theorem2_floor(q, self.value, error_set_size=self.error_set_size, delta=self.delta,
                                               fit=fit, rtol=rtol)

    def at_size(self, sr: float, m: float) -> dict[str, Any]:
        return {"theorem2_floor": theorem2_floor_at(sr, m, error_set_size=self.error_set_size, delta=self.delta)}


def _target_row(p: Profile, target: _SingletonRateTarget, reps, confidence: float, fits: _Fits | None,
                keep_replicates: bool = False) -> dict[str, Any]:
    n = float(p.mentions)
    row: dict[str, Any] = {"kind": target.kind, **target.labels(), "scale": None, "size": None,
                           "method": NPMLE, "singleton_rate": None, "coverage": None, "new_facts": None,
                           "distinct_facts": None, "ci_low": None, "ci_high": None, "confidence": confidence,
                           "scale_ci_low": None, "scale_ci_high": None, "warning": None}
    if keep_replicates:
        row["replicates"] = None
    if n == 0:
        row["warning"] = EMPTY
        return row
    est = target.size(p, fits.main)
    row["method"] = est.method
    if not est.estimable:
        row["warning"] = f"not estimable: {est.reason}"
        return row
    m = est.value
    if m < n:
        sr = _deficit(p, m)
        row.update(scale=m / n, size=m, singleton_rate=sr, coverage=1.0 - sr, warning=est.warning)
    else:
        sr, new, distinct = _mixture_stats(fits, m / n)(p)
        row.update(scale=m / n, size=m, singleton_rate=sr, coverage=1.0 - sr, new_facts=new,
                   distinct_facts=distinct, warning=est.warning)
    row.update(target.at_size(sr, m))
    if reps:
        sizes = [target.size(q, fits.get(q), rtol=1e-3) if q.mentions else None for q in reps]
        vals = np.array([e.value if e is not None and e.estimable else math.nan for e in sizes], dtype=np.float64)
        if keep_replicates:
            row["replicates"] = vals / n
        ok = np.isfinite(vals)
        if ok.mean() >= 0.5:
            alpha = 1.0 - confidence
            lo, hi = np.quantile(vals[ok] / n, [alpha / 2.0, 1.0 - alpha / 2.0])
            row["scale_ci_low"], row["scale_ci_high"] = min(float(lo), m / n), max(float(hi), m / n)
    return row
