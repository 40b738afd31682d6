"""Spurious singletons: a singleton count corrected for extraction noise (Chiu & Chao 2016).

Extraction errors (a misspelt name, a wrongly parsed date) create facts that are seen once and never again, so
they inflate f1 — and with it the singleton rate and the floor. Chiu & Chao (2016) estimate the number of *true*
singletons from the doubletons, tripletons and quadrupletons, which noise rarely reaches.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from ..profile import Profile
from ._common import check_profile, json_number


@dataclass(frozen=True)
class SpuriousSingletons:
    """Observed and corrected singleton counts and the singleton rates they imply.

    ``f1_estimate`` is Chiu & Chao's estimate as the formula gives it; ``f1_corrected`` = min(f1, max(0, estimate))
    — spurious singletons can only inflate f1, so an estimate above the observed f1 is evidence of no inflation
    and leaves f1 as observed. ``spurious`` = f1 − f1_corrected. ``singleton_rate_corrected`` divides by the
    mentions left once the spurious singletons (one mention each) are removed: f1c / (N − f1 + f1c).
    ``reason`` is set (and the corrected values are NaN) when the correction is not estimable; ``note`` records
    the f3·f4 = 0 fallback.
    """

    f1_observed: int
    f1_estimate: float
    f1_corrected: float
    spurious: float
    singleton_rate_observed: float
    singleton_rate_corrected: float
    method: str = "chiu_chao_2016"
    reason: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: json_number(v) for k, v in asdict(self).items()}


def chiu_chao_f1(f2: float, f3: float, f4: float) -> tuple[float, bool]:
    """Chiu & Chao's (2016) estimate of the true number of singletons, and whether the fallback was used.

    Formula (PeerJ 4:e1634, the singleton estimator of their "Methods", derived from the Good–Turing frequency
    formula)::

        f̂1 = 4 f2² / (3 f3) − f2 f3 / (2 f4)                          if f3 > 0 and f4 > 0
        f̂1 = 4 f2² / (3 (f3 + 1)) − f2 f3 / (2 (f4 + 1))              otherwise

    The fallback for f3·f4 = 0 is the authors' own (``singleton.Est`` in the Chao lab's R code).
    """
    if f3 * f4 > 0:
        return 4.0 * f2 * f2 / (3.0 * f3) - f2 * f3 / (2.0 * f4), False
    return 4.0 * f2 * f2 / (3.0 * (f3 + 1.0)) - f2 * f3 / (2.0 * (f4 + 1.0)), True


def spurious_singletons(p: Profile) -> SpuriousSingletons:
    """Singleton count corrected for spurious (noise) singletons, and the singleton rate it implies.

    Estimator: :func:`chiu_chao_f1` from f2, f3, f4; corrected f1 = min(f1, max(0, f̂1)); corrected
    sr = f1c / (N − f1 + f1c). Reference: Chiu, C.-H. & Chao, A. (2016) "Estimating and comparing microbial
    diversity in the presence of sequencing errors", PeerJ 4:e1634. Valid range: needs doubletons (f2 > 0), since
    the estimate is proportional to f2; with f2 = 0 it is not estimable. It assumes the true counts of rare facts
    follow the smooth (Good–Turing) pattern that f2, f3, f4 reveal; it cannot tell real from spurious
    singletons one by one.
    """
    p = check_profile(p)
    n = p.mentions
    f1, f2, f3, f4 = (float(p.f(k)) for k in (1, 2, 3, 4))
    sr = f1 / n if n else math.nan
    if n == 0:
        return SpuriousSingletons(0, math.nan, math.nan, math.nan, math.nan, math.nan,
                                  reason="empty profile (no mentions)")
    if f2 == 0:
        return SpuriousSingletons(int(f1), math.nan, math.nan, math.nan, sr, math.nan,
                                  reason="no doubletons: Chiu–Chao's estimate is proportional to f2")
    est, fallback = chiu_chao_f1(f2, f3, f4)
    corrected = min(f1, max(0.0, est))
    remaining = n - f1 + corrected
    sr_c = corrected / remaining if remaining > 0 else math.nan
    notes = []
    if fallback:
        notes.append("f3 or f4 is 0: used the (f3 + 1), (f4 + 1) form")
    if est > f1:
        notes.append("the estimate exceeds the observed f1: no sign of spurious singletons")
    elif est < 0:
        notes.append("the estimate is negative: corrected f1 set to 0")
    return SpuriousSingletons(int(f1), est, corrected, f1 - corrected, sr, sr_c,
                              note="; ".join(notes) if notes else None)
