"""The estimate stage: pure functions of a :class:`~floor.profile.Profile`.

* :mod:`.missing_mass` — singleton rate, Good–Turing missing mass, Esty / McAllester–Ortiz / bootstrap intervals;
* :mod:`.bounds` — Theorem 2 of Kalai et al. (2025) and Kalai & Vempala's (2024) monofact bound;
* :mod:`.extrapolate` — coverage and singleton rate at other sizes (Chao & Jost 2012 / iNEXT), sizes for a
  target, Good–Toulmin and smoothed Good–Toulmin, entropart's coverage estimators;
* :mod:`.mixture` — the singleton rate at larger sizes from a nonparametric Poisson-mixture fit (NPMLE) of the
  whole profile: floor's primary prediction above the observed size;
* :mod:`.far` — the singleton rate 10–1000 times beyond the observed size from power-law models (Pitman–Yor,
  Engen's extended negative binomial), with prediction intervals;
* :mod:`.backtest` — thinning a profile and predicting back to its size (:func:`~.backtest.backtest`): whether a
  far prediction holds, which method to use, and its interval widened by the error measured;
* :mod:`.spurious` — singletons corrected for extraction noise (Chiu & Chao 2016);
* :mod:`.bootstrap` — iNEXT's estimated community and fast multinomial resampling;
* :mod:`.summary` — :func:`estimate_group` and :func:`predict`, the entry points the pipeline calls.
"""

from ._common import Estimate
from .bootstrap import BootstrapDraw, EstimatedCommunity, bootstrap_draw, estimated_community
from .backtest import Backtest, Choice, choose_method, max_backtest_scale, predict_far_checked, thin
from .bounds import (Bound, monofact_bound, theorem2_finite_sample_term, theorem2_floor_at, theorem2_lower,
                     theorem2_upper)
from .extrapolate import (chao1, chao_jost_a, coverage, expected_distinct, f0_hat, good_toulmin_new_facts,
                          good_toulmin_singleton_rate, predicted_singleton_rate, sample_coverage, sgt_max_t,
                          sgt_parameters, size_for_coverage, size_for_singleton_rate, smoothed_good_toulmin_new_facts,
                          smoothed_good_toulmin_singleton_rate)
from .far import FarPrediction, fit_far, predict_sr_far
from .missing_mass import (BootstrapReplicates, Interval, bootstrap_interval, esty_interval, esty_variance,
                           good_coverage, good_turing_missing_mass, mcallester_ortiz_interval, singleton_rate)
from .mixture import (PoissonMixture, fit_poisson_mixture, mixture_singleton_rate, mixture_singleton_rate_variance,
                      mixture_size_for_singleton_rate)
from .spurious import SpuriousSingletons, chiu_chao_f1, spurious_singletons
from .summary import estimate_group, predict

__all__ = [
    "Estimate", "Interval", "Bound", "BootstrapReplicates", "BootstrapDraw", "EstimatedCommunity",
    "SpuriousSingletons",
    "singleton_rate", "good_turing_missing_mass", "good_coverage", "esty_variance", "esty_interval",
    "mcallester_ortiz_interval", "bootstrap_interval",
    "theorem2_floor_at", "theorem2_lower", "theorem2_upper", "theorem2_finite_sample_term", "monofact_bound",
    "f0_hat", "chao1", "chao_jost_a", "coverage", "predicted_singleton_rate", "expected_distinct",
    "size_for_coverage", "size_for_singleton_rate", "good_toulmin_new_facts", "good_toulmin_singleton_rate",
    "smoothed_good_toulmin_new_facts", "smoothed_good_toulmin_singleton_rate", "sgt_parameters", "sgt_max_t",
    "sample_coverage",
    "PoissonMixture", "fit_poisson_mixture", "mixture_singleton_rate", "mixture_singleton_rate_variance",
    "mixture_size_for_singleton_rate",
    "FarPrediction", "fit_far", "predict_sr_far",
    "Backtest", "Choice", "choose_method", "max_backtest_scale", "predict_far_checked", "thin",
    "chiu_chao_f1", "spurious_singletons",
    "estimated_community", "bootstrap_draw",
    "estimate_group", "predict",
]
