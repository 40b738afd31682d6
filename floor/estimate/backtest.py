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

A finite population, when the profile is a known part 1/t of the corpus (opt-in: ``methods`` naming
:data:`floor.estimate.far.FINITE_ZETA` with Engen's law). No backtest tells a population that runs out from one
that goes on, so the profile's own likelihood decides between Engen's law and the finite zeta, which fit the
same counts with two parameters each (:func:`likelihood_gap`): beyond ``LIKELIHOOD_MARGIN`` either way the
other is ruled out; within it the prediction is :data:`EITHER`, one interval from the lower of the two models'
lows to the higher of their highs. The finite zeta's backtest fits a thinned profile as the 1/(t'·t) sample of
the corpus it is and predicts the profile; it is reported, and widens the finite zeta's interval when the
likelihood picks it, but does not decide. Measured from 10% of the documents (``scripts/eval_far.py --corpora
--seeds 3``): on Zipf-law corpora the gap was +33 to +55 at exponent 1.2, +2.4 to +8.8 at 1.5, and 5 of 6
predictions held the whole's sr (one not reliable); on the shipped sample (``--seeds 5``) the gap was −1.4 to
+4.8 and 14 of 15 held it (mean half-width 26%; one not reliable), where the far laws alone are not reliable in
all 15; on geometric populations with a few famous facts the finite zeta wins and misses (every model 2–4 times
the truth).

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
from .far import ALL_METHODS, ENGEN, FINITE_ZETA, METHODS, FarPrediction, fit_engen, fit_finite_zeta, predict_sr_far

#: The thinned profile must keep this many doubletons in expectation (see the module docstring).
MIN_DOUBLETONS = 20
#: Largest factor a backtest thins by.
MAX_SCALE = 1000.0
#: A backtest holds when the model's error projected to the factor asked is at most this (relative).
TOLERANCE = 0.15
#: Engen's law and the finite zeta, two parameters each fitted to the same counts, are told apart when one's
#: log-likelihood exceeds the other's by more than this (a likelihood ratio of e^4 ≈ 55).
LIKELIHOOD_MARGIN = 4.0
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
    """The method :func:`choose_method` picked (None when none holds: the prediction is not reliable, and
    ``reason`` says why), with every method's backtest; with the finite zeta offered, ``likelihood_gap`` (Engen's
    log-likelihood minus the finite zeta's, on the profile's counts 1..50; NaN otherwise or when a fit failed)
    and ``rule``, why the method was picked."""

    method: str | None
    backtests: Mapping[str, Backtest]
    reason: str | None = None
    likelihood_gap: float = math.nan
    rule: str | None = None


def likelihood_gap(p: Profile, t: float) -> float:
    """Engen's maximised log-likelihood minus the finite zeta's (as a 1/t sample), both of the profile's counts
    1..``ENGEN_MAX_COUNT`` conditioned on that range with two parameters: > 0 when the counts look like a power
    law that goes on, < 0 when they look like a finite population thinned. NaN when either fit fails."""
    engen, finite = fit_engen(p), fit_finite_zeta(p, t)
    return math.nan if engen is None or finite is None else engen.loglik - finite.loglik


def choose_method(p: Profile, t: float, methods: Sequence[str] = METHODS, *, thinnings: int = 20,
                  seed: int = 0) -> Choice:
    """The method whose backtest at factor t holds with the smallest projected error (``model_sd``); None, with
    the reason, when no method's backtest holds. Every method sees the same thinnings (one ``seed``).

    With :data:`floor.estimate.far.FINITE_ZETA` among ``methods`` (and Engen's law, which it is weighed
    against), the profile's own likelihood decides first, as no backtest can see a finite population run out:
    :func:`likelihood_gap` above ``LIKELIHOOD_MARGIN`` rules the finite population out (the backtests choose
    among the others), below −``LIKELIHOOD_MARGIN`` rules the far laws out (the finite zeta, whatever its
    backtest), and in between the choice is :data:`EITHER`, a prediction spanning both."""
    if not methods:
        raise ValueError("methods must name at least one method")
    if FINITE_ZETA in methods and ENGEN not in methods:
        raise ValueError(f"{FINITE_ZETA} is weighed against {ENGEN}: name both")
    results = {name: backtest(p, t, name, thinnings=thinnings, seed=seed) for name in methods}
    gap, rule = math.nan, None
    if FINITE_ZETA in methods:
        gap = likelihood_gap(p, t)
        said = f"log-likelihood of {ENGEN} minus {FINITE_ZETA}: {gap:+.1f}"
        if gap < -LIKELIHOOD_MARGIN:
            return Choice(FINITE_ZETA, results, None, gap, f"{said}, the counts look like a finite population")
        if abs(gap) <= LIKELIHOOD_MARGIN:
            return Choice(EITHER, results, None, gap, f"{said}, within ±{LIKELIHOOD_MARGIN:g}: the counts "
                                                      "cannot tell a far law from a finite population")
        rule = f"{said}, beyond {LIKELIHOOD_MARGIN:g}: the finite population is ruled out" if gap > 0 else None
    far_laws = [r for name, r in results.items() if name != FINITE_ZETA]
    holding = [r for r in far_laws if r.holds]
    if not holding:
        detail = "; ".join(f"{r.method}: {r.verdict.removeprefix('fails: ')}" for r in far_laws)
        return Choice(None, results, f"not reliable at {t:.3g}x: no method's backtest holds ({detail})", gap, rule)
    best = min(holding, key=lambda r: r.model_sd)
    return Choice(best.method, results, None, gap, rule)


def _widened(p: Profile, t: float, method: str, result: Backtest, confidence: float) -> FarPrediction:
    """The method's prediction at t, its interval widened by its backtest's projected error (none when the
    backtest had nothing to measure it with), with the backtest's warning."""
    model_sd = result.model_sd if math.isfinite(result.model_sd) else 0.0
    prediction = predict_sr_far(p, t, method, confidence=confidence, model_sd=model_sd)
    if result.warning:
        warning = "; ".join(w for w in (prediction.warning, result.warning) if w)
        prediction = dataclasses.replace(prediction, warning=warning)
    return prediction


def _either(engen: FarPrediction, finite: FarPrediction, rule: str) -> FarPrediction:
    """Engen's and the finite zeta's predictions as one: the geometric mean, the interval from the lower low to
    the higher high."""
    parameters = {f"{m}.{k}": v for m, x in ((ENGEN, engen), (FINITE_ZETA, finite)) for k, v in x.parameters.items()}
    warnings = [w for w in (rule + ": the interval spans both", engen.warning, finite.warning) if w]
    return FarPrediction(math.sqrt(engen.value * finite.value), min(engen.low, finite.low),
                         max(engen.high, finite.high), EITHER, engen.scale, engen.confidence, parameters,
                         warning="; ".join(warnings))


def predict_far_checked(p: Profile, t: float, methods: Sequence[str] = METHODS, *, confidence: float = 0.95,
                        thinnings: int = 20, seed: int = 0) -> tuple[FarPrediction, Choice]:
    """The singleton rate at t·N mentions from the method :func:`choose_method` picks, its interval widened by
    that method's backtest error projected to t (``model_sd``: module docstring); not estimable, with the
    reason "not reliable at ...", when no method's backtest holds. With the finite zeta offered, the profile's
    likelihood may pick it (widened by its backtest), or :data:`EITHER`: Engen's and the finite zeta's
    predictions with their own intervals spanned by one interval, their geometric mean its value. Returns the
    prediction and the choice (every method's backtest and the rule, for the report)."""
    choice = choose_method(p, t, methods, thinnings=thinnings, seed=seed)
    if choice.method is None:
        return FarPrediction(math.nan, math.nan, math.nan, "none", float(t), confidence, reason=choice.reason), choice
    if choice.method == EITHER:
        # the models' own intervals: the gap between the two is the model error here, which neither backtest
        # measures (from 10% of the shipped sample the hull held the whole's sr 15 times in 15, widened ones
        # were twice as wide)
        engen = predict_sr_far(p, t, ENGEN, confidence=confidence)
        finite = predict_sr_far(p, t, FINITE_ZETA, confidence=confidence)
        return _either(engen, finite, choice.rule), choice
    return _widened(p, t, choice.method, choice.backtests[choice.method], confidence), choice
