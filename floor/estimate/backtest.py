"""Does a far prediction hold on this profile? Thin it, predict back to its own size, compare.

A random 1/t of a corpus's mentions is a corpus t times smaller drawn the way the corpus was (each mention kept
independently: each fact's count binomially thinned). Predicting from the thinned profile back to the observed
size is a prediction over the same factor t whose answer is known: the observed singleton rate. Over K
thinnings :func:`backtest` returns the relative errors and how often the prediction interval held the observed
rate, and a verdict; :func:`choose_method` picks, per profile (per group), the method whose backtest holds best.

How far a profile can be backtested: the thinned profile must still show how the rate falls, which needs facts
seen twice; :func:`max_backtest_scale` is the largest t at which the thinned profile keeps an expected
``MIN_DOUBLETONS`` doubletons. A profile that allows only a smaller t than asked is tested at that smaller
factor, and the result says so: success there is evidence, not proof, for the larger factor.

The model's error at the factor asked. A prediction's log error from a misfitted tail exponent grows in
proportion to log t (the log of the singleton rate is (α − 1) log t plus a constant under a power law). The
backtest's root-mean-square log error at t' is projected to t as ``model_sd`` = rms · ln t / ln t'. It holds
the model's error and the noise of predicting from a profile t' times smaller than the observed one, which the
fitted model's interval already counts in part: conservative on purpose, as on simulated Zipf corpora
(scripts/eval_far.py) the fitted interval alone held the truth 58–78% of the time (an error of the model that
differs from corpus to corpus, which it does not see). The
verdict holds when every thinning was estimable and ``model_sd`` <= ln(1 + ``TOLERANCE``); the fitted model's
own intervals are too narrow on real tails (they miss the model's error), so their coverage in the backtest is
reported but not required, and :func:`predict_far_checked` widens the interval by ``model_sd`` instead.

What it cannot see: facts that run out beyond the observed size. A population of facts that follows a power law
down to the rarest facts seen, and stops there, looks the same in the profile as one that goes on; the first
falls faster at larger sizes than any backtest within the profile shows. On Zipf corpora over 10^7 facts
(exponent 1.1–1.3, whose rarest facts are reached near 10^7 mentions) the chosen prediction was 13–32% high at
100x with its interval missing; over 10^8 facts it held.

Which laws the counts allow. A law the profile's own counts reject cannot be trusted to extrapolate them, whatever
its backtest says (on geometric populations with a few famous facts Engen's backtest held while its prediction was
twice the truth). Each law fitted to the counts 1..50 is tested by Pearson's chi-square
(:func:`floor.estimate.far.goodness_of_fit`) and is rejected when p < ``FIT_P_VALUE`` and the misfit is at least
a small effect (Cohen's w >= ``FIT_EFFECT``: with a large shard the p-value alone rejects every law for misfits
that do not matter); Engen's fit speaks for Pitman–Yor's too (its counts follow Engen's law in the limit b → 0).
When every law offered is rejected the prediction is not reliable, and says so.

A finite population, when the profile is a known part 1/t of the corpus (:data:`floor.estimate.far.FINITE_ZETA`
offered with Engen's law; floor offers it where the target is the whole corpus the counts are a sample of: a
corpus or domain size). No backtest tells a population that runs out from one that goes on, so the counts
decide: when they allow both Engen's law and the finite zeta, the prediction is :data:`EITHER`, one interval from
the lower of the two models' lows to the higher of their highs, its value their geometric mean weighted by
their Akaike weights (both have two parameters fitted to the same counts: w = 1/(1 + e^(−gap)), gap = Engen's
log-likelihood minus the finite zeta's; Burnham & Anderson 2002); when they allow the finite zeta alone, the
finite zeta, widened by its backtest (the thinned profile fitted as the 1/(t'·t) sample of the corpus it is);
when they allow the far laws alone, the backtests choose among them as above. Measured (``scripts/eval_far.py``,
the whole corpus from 10% and 1% of its mentions on Zipf laws of exponent 1.1–2.0 over 10^7 facts, and ``--corpora
--seeds 5`` from 10% of the documents): see README.md ("Far predictions").

Reference for the design: the half-sample check of floor's NPMLE (:mod:`.mixture`), here at factor t; Orlitsky,
Suresh & Wu (2016) PNAS 113:13283–13288 for why nothing certifies a prediction beyond what the data span.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from ..profile import Profile
from ._common import basic, check_int, check_nonnegative, check_profile, jsonable
from .far import (ALL_METHODS, ENGEN, FINITE_ZETA, METHODS, FarPrediction, Fit, fit_engen, fit_finite_zeta,
                  goodness_of_fit, predict_sr_far)

#: The thinned profile must keep this many doubletons in expectation (see the module docstring).
MIN_DOUBLETONS = 20
#: Largest factor a backtest thins by.
MAX_SCALE = 1000.0
#: A backtest holds when the model's error projected to the factor asked is at most this (relative).
TOLERANCE = 0.15
#: The profile's counts reject a law when Pearson's chi-square of its fit (:func:`floor.estimate.far.goodness_of_fit`)
#: has a p-value below this and a misfit of at least ``FIT_EFFECT``.
FIT_P_VALUE = 0.001
#: Cohen's w of a small effect (Cohen 1988): with hundreds of thousands of facts the chi-square rejects any law of
#: two parameters for misfits far smaller than what its extrapolation is wrong by.
FIT_EFFECT = 0.1
#: The method of a prediction that spans Engen's and the finite zeta's intervals (the profile cannot tell them
#: apart).
EITHER = "engen_or_finite_zeta"

Predictor = Callable[[Profile, float], FarPrediction]


def thin(p: Profile, fraction: float, rng: np.random.Generator) -> Profile:
    """A uniform sample of the profile's mentions, each kept with probability ``fraction``: each fact's count
    binomially thinned. Facts seen k times are thinned as one multinomial of their f_k facts over the outcomes
    0..k when that is cheaper than one binomial per fact, so the cost is Σ_k min(f_k, k + 1)."""
    p = check_profile(p)
    fraction = float(fraction)
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
    from scipy.stats import binom

    ks, fs = [], []
    per_fact = p.fs <= p.ks + 1
    if np.any(per_fact):
        kept = rng.binomial(np.repeat(p.ks[per_fact], p.fs[per_fact]), fraction)
        ks.append(kept)
        fs.append(np.ones(kept.size, dtype=np.int64))
    for k, f in zip(p.ks[~per_fact], p.fs[~per_fact]):
        outcomes = np.arange(int(k) + 1)
        probabilities = binom.pmf(outcomes, int(k), fraction)
        ks.append(outcomes)
        fs.append(rng.multinomial(int(f), probabilities / probabilities.sum()))
    ks_all = np.concatenate(ks) if ks else np.zeros(0, dtype=np.int64)
    fs_all = np.concatenate(fs) if fs else np.zeros(0, dtype=np.int64)
    seen = ks_all > 0
    return Profile(ks_all[seen], fs_all[seen])


def expected_thinned_doubletons(p: Profile, fraction: float) -> float:
    """E[f2] of :func:`thin` at ``fraction``: Σ_k f_k C(k, 2) r² (1 − r)^(k − 2)."""
    from scipy.stats import binom

    return float(np.dot(p.fs.astype(np.float64), binom.pmf(2, p.ks, fraction)))


def max_backtest_scale(p: Profile) -> float:
    """Largest factor t <= ``MAX_SCALE`` whose thinning (to 1/t of the mentions) keeps ``MIN_DOUBLETONS``
    doubletons in expectation; 1.0 when even the profile itself has fewer. Bisection on log t."""
    p = check_profile(p)
    if expected_thinned_doubletons(p, 1.0) < MIN_DOUBLETONS or p.mentions == 0:
        return 1.0
    if expected_thinned_doubletons(p, 1.0 / MAX_SCALE) >= MIN_DOUBLETONS:
        return MAX_SCALE
    low, high = 0.0, math.log(MAX_SCALE)  # log t: low passes, high fails
    for _ in range(40):
        mid = 0.5 * (low + high)
        if expected_thinned_doubletons(p, math.exp(-mid)) >= MIN_DOUBLETONS:
            low = mid
        else:
            high = mid
    return math.exp(low)


@dataclass(frozen=True)
class Backtest:
    """The result of :func:`backtest`: the factor asked (``scale``) and tested (``tested_scale``), per thinning
    the relative error of the prediction (``errors``: predicted / observed − 1, NaN where not estimable) and
    whether its interval held the observed rate (``covered``), their summaries, ``model_sd`` (the rms log error
    projected to ``scale``: module docstring), and the verdict: ``holds`` with ``verdict`` "holds" or
    "fails: <reason>"; ``warning`` when the tested factor is below the one asked."""

    method: str
    scale: float
    tested_scale: float
    errors: np.ndarray
    covered: np.ndarray
    mean_error: float
    mean_abs_error: float
    coverage: float
    model_sd: float
    holds: bool
    verdict: str
    warning: str | None = None

    def as_dict(self) -> dict:
        return jsonable({k: getattr(self, k) for k in self.__dataclass_fields__})


def _predictor(method: str | Predictor, t: float) -> tuple[str, Predictor]:
    """The method's name and its prediction from a thinned profile back to the observed size. The finite zeta
    is fitted as what the thinned profile is: a 1/(t_back · t) sample of the corpus that the profile is a 1/t
    sample of."""
    if callable(method):
        return getattr(method, "__name__", "custom"), method
    if method not in ALL_METHODS:
        raise ValueError(f"method must be one of {ALL_METHODS} or a function (profile, t) -> FarPrediction, "
                         f"got {method!r}")
    if method == FINITE_ZETA:
        return method, lambda q, t_back: predict_sr_far(q, t_back, method, corpus=t_back * t)
    return method, lambda q, t_back: predict_sr_far(q, t_back, method)


def backtest(p: Profile, t: float, method: str | Predictor, *, thinnings: int = 20, seed: int = 0) -> Backtest:
    """Thin the profile ``thinnings`` times to 1/t' of its mentions (t' = min(t, :func:`max_backtest_scale`)),
    predict each back to the observed size with ``method`` (a name in :data:`floor.estimate.far.METHODS`, or a
    function (profile, t) -> FarPrediction), and compare with the observed singleton rate.

    Verdict: holds when every thinning was estimable and the rms log error projected to t (``model_sd``) is at
    most ln(1 + ``TOLERANCE``); otherwise fails, saying which.
    A profile that cannot be thinned by 2 (fewer than ``MIN_DOUBLETONS`` doubletons at half its size) fails as
    not testable. Seeded: the same seed gives the same thinnings for every method.
    """
    p = check_profile(p)
    t = check_nonnegative("t", t)
    if t < 1.0:
        raise ValueError(f"t must be >= 1, got {t!r}")
    thinnings = check_int("thinnings", thinnings, 1)
    name, predictor = _predictor(method, t)
    n, _, f1, _ = basic(p)
    tested = min(t, max_backtest_scale(p))
    empty = np.zeros(0)
    if n == 0 or f1 == 0 or tested < min(t, 2.0):
        reason = "fails: not testable: " + ("empty profile" if n == 0 else "no singletons" if f1 == 0 else
                                            f"fewer than {MIN_DOUBLETONS} doubletons expected at half the size")
        return Backtest(name, t, tested, empty, empty.astype(bool), math.nan, math.nan, math.nan, math.nan, False,
                        reason)
    observed = f1 / n
    rng = np.random.default_rng(seed)
    errors = np.full(thinnings, math.nan)
    covered = np.zeros(thinnings, dtype=bool)
    for i in range(thinnings):
        q = thin(p, 1.0 / tested, rng)
        if q.mentions == 0:
            continue
        prediction = predictor(q, n / q.mentions)
        if prediction.estimable:
            errors[i] = prediction.value / observed - 1.0
            covered[i] = prediction.low <= observed <= prediction.high
    estimable = np.isfinite(errors)
    mean_error = float(np.mean(errors[estimable])) if estimable.any() else math.nan
    mean_abs = float(np.mean(np.abs(errors[estimable]))) if estimable.any() else math.nan
    coverage = float(covered.mean())
    rms = math.sqrt(float(np.mean(np.log1p(errors[estimable]) ** 2))) if estimable.any() else math.nan
    model_sd = rms * math.log(t) / math.log(tested) if tested > 1.0 else 0.0  # t = 1: nothing to extrapolate
    failures = []
    if not estimable.all():
        failures.append(f"{int((~estimable).sum())} of {thinnings} thinnings not estimable")
    if not model_sd <= math.log1p(TOLERANCE):
        failures.append(f"error {math.expm1(rms):.0%} at {tested:.3g}x (bias {mean_error:+.0%}), a model error "
                        f"of about {math.expm1(model_sd):.0%} at {t:.3g}x, beyond {TOLERANCE:.0%}")
    holds = not failures
    warning = None
    if tested < t * (1.0 - 1e-9):
        warning = (f"tested at {tested:.3g}x, not {t:.3g}x: thinning further leaves fewer than {MIN_DOUBLETONS} "
                   "doubletons")
    return Backtest(name, t, tested, errors, covered, mean_error, mean_abs, coverage, model_sd, holds,
                    "holds" if holds else "fails: " + "; ".join(failures), warning)


@dataclass(frozen=True)
class Choice:
    """The method :func:`choose_method` picked (None when no law may be used: the prediction is not reliable, and
    ``reason`` says why), with every method's backtest, the p-value of each law's fit to the counts
    (``fit_p_values``: Engen's law and, when offered, the finite zeta; NaN when too few counts to test, absent
    when the fit failed), ``likelihood_gap`` (Engen's log-likelihood minus the finite zeta's when both were fitted,
    else NaN), ``rule``: why the method was picked, and the ``fits`` behind them (by method)."""

    method: str | None
    backtests: Mapping[str, Backtest]
    reason: str | None = None
    fit_p_values: Mapping[str, float] = dataclasses.field(default_factory=dict)
    likelihood_gap: float = math.nan
    rule: str | None = None
    fits: Mapping[str, Fit] = dataclasses.field(default_factory=dict)


def _allowed(p: Profile, fit: Fit | None) -> tuple[bool, float]:
    """Whether the counts allow the fitted law (a fit that failed is not allowed; too few counts to test allow
    it; module docstring), and its fit's p-value (NaN when untested)."""
    if fit is None:
        return False, math.nan
    test = goodness_of_fit(p, fit)
    rejected = test.testable and test.p_value < FIT_P_VALUE and test.effect >= FIT_EFFECT
    return not rejected, test.p_value


def _p_value_text(p_value: float) -> str:
    return "untested (too few counts)" if math.isnan(p_value) else f"p = {p_value:.2g}"


def choose_method(p: Profile, t: float, methods: Sequence[str] = METHODS, *, thinnings: int = 20,
                  seed: int = 0) -> Choice:
    """The method to predict with at factor t (module docstring): first the laws the profile's counts allow
    (Pearson's chi-square: not p < ``FIT_P_VALUE`` with w >= ``FIT_EFFECT``; Engen's fit speaks for the far laws),
    then, among the far laws allowed, the one whose backtest holds with the smallest projected error
    (``model_sd``). With :data:`floor.estimate.far.FINITE_ZETA` among ``methods`` (with Engen's law): the counts
    allowing both, the method is :data:`EITHER`, a prediction spanning both; allowing the finite zeta alone, the
    finite zeta. None, with the reason, when the counts allow no law offered or no allowed far law's backtest
    holds. Every method sees the same thinnings (one ``seed``)."""
    if not methods:
        raise ValueError("methods must name at least one method")
    if FINITE_ZETA in methods and ENGEN not in methods:
        raise ValueError(f"{FINITE_ZETA} is weighed against {ENGEN}: name both")
    results = {name: backtest(p, t, name, thinnings=thinnings, seed=seed) for name in methods}
    engen = fit_engen(p)
    far_allowed, far_p = _allowed(p, engen)
    p_values = {ENGEN: far_p} if engen is not None else {}
    fits = {ENGEN: engen} if engen is not None else {}
    gap = math.nan
    said = f"{ENGEN}'s fit to the counts {_p_value_text(far_p)}"
    if FINITE_ZETA in methods:
        finite = fit_finite_zeta(p, t)
        finite_allowed, finite_p = _allowed(p, finite)
        if finite is not None:
            p_values[FINITE_ZETA] = finite_p
            fits[FINITE_ZETA] = finite
        if engen is not None and finite is not None:
            gap = engen.loglik - finite.loglik
        said += f", {FINITE_ZETA}'s {_p_value_text(finite_p)}"
        if finite_allowed and far_allowed:
            return Choice(EITHER, results, None, p_values, gap,
                          f"{said}: the counts allow a far law and a finite population alike", fits)
        if finite_allowed:
            return Choice(FINITE_ZETA, results, None, p_values, gap,
                          f"{said}: the counts allow a finite population, not a far law", fits)
    if engen is not None and not far_allowed:  # (no fit at all: the backtests below say why)
        return Choice(None, results, f"not reliable at {t:.3g}x: the counts reject every law offered ({said}, "
                                     f"below {FIT_P_VALUE:g})", p_values, gap, None, fits)
    far_laws = [r for name, r in results.items() if name != FINITE_ZETA]
    holding = [r for r in far_laws if r.holds]
    if not holding:
        detail = "; ".join(f"{r.method}: {r.verdict.removeprefix('fails: ')}" for r in far_laws)
        return Choice(None, results, f"not reliable at {t:.3g}x: no method's backtest holds ({detail})", p_values,
                      gap, None, fits)
    best = min(holding, key=lambda r: r.model_sd)
    return Choice(best.method, results, None, p_values, gap, f"{said}: the backtests chose", fits)


def _widened(p: Profile, t: float, method: str, result: Backtest, confidence: float,
             fit: Fit | None = None) -> FarPrediction:
    """The method's prediction at t (from ``fit`` when given), its interval widened by its backtest's projected
    error (none when the backtest had nothing to measure it with), with the backtest's warning."""
    model_sd = result.model_sd if math.isfinite(result.model_sd) else 0.0
    prediction = predict_sr_far(p, t, method, confidence=confidence, model_sd=model_sd, fit=fit)
    if result.warning:
        warning = "; ".join(w for w in (prediction.warning, result.warning) if w)
        prediction = dataclasses.replace(prediction, warning=warning)
    return prediction


def _either(engen: FarPrediction, finite: FarPrediction, gap: float, rule: str) -> FarPrediction:
    """Engen's and the finite zeta's predictions as one: their geometric mean weighted by their Akaike weights
    (w = 1/(1 + e^(−gap)) for Engen's, ``gap`` its log-likelihood minus the finite zeta's), the interval from the
    lower low to the higher high."""
    from scipy.special import expit

    weight = float(expit(gap))  # both laws were fitted, so their gap is a number
    value = math.exp(weight * math.log(engen.value) + (1.0 - weight) * math.log(finite.value))
    parameters = {f"{m}.{k}": v for m, x in ((ENGEN, engen), (FINITE_ZETA, finite)) for k, v in x.parameters.items()}
    warnings = [w for w in (rule + ": the interval spans both", engen.warning, finite.warning) if w]
    return FarPrediction(value, min(engen.low, finite.low), max(engen.high, finite.high), EITHER, engen.scale,
                         engen.confidence, parameters, warning="; ".join(warnings))


def predict_far_checked(p: Profile, t: float, methods: Sequence[str] = METHODS, *, confidence: float = 0.95,
                        thinnings: int = 20, seed: int = 0) -> tuple[FarPrediction, Choice]:
    """The singleton rate at t·N mentions from the method :func:`choose_method` picks, its interval widened by
    that method's backtest error projected to t (``model_sd``: module docstring); not estimable, with the
    reason "not reliable at ...", when the counts allow no law offered or no allowed far law's backtest holds.
    With the finite zeta offered, the counts may pick it (widened by its backtest), or :data:`EITHER`: Engen's and
    the finite zeta's predictions with their own intervals spanned by one interval, their Akaike-weighted
    geometric mean its value. Returns the prediction and the choice (every method's backtest, the fits' p-values
    and the rule, for the report)."""
    choice = choose_method(p, t, methods, thinnings=thinnings, seed=seed)
    if choice.method is None:
        return FarPrediction(math.nan, math.nan, math.nan, "none", float(t), confidence, reason=choice.reason), choice
    if choice.method == EITHER:
        # the models' own intervals: the gap between the two is the model error here, which neither backtest
        # measures (from 10% of the shipped sample the hull held the whole's sr 15 times in 15, widened ones
        # were twice as wide)
        engen = predict_sr_far(p, t, ENGEN, confidence=confidence, fit=choice.fits[ENGEN])
        finite = predict_sr_far(p, t, FINITE_ZETA, confidence=confidence, fit=choice.fits[FINITE_ZETA])
        return _either(engen, finite, choice.likelihood_gap, choice.rule), choice
    return _widened(p, t, choice.method, choice.backtests[choice.method], confidence,
                    choice.fits.get(choice.method)), choice
