"""Shared pieces of the estimate stage: argument checks, result types and numerically careful helpers.

Every estimator is a pure function of a :class:`~floor.profile.Profile`. Arguments are checked here, at the
boundary (a wrong type or an out-of-range confidence raises ``TypeError``/``ValueError``); a *degenerate profile*
(empty, one fact, all singletons, no doubletons, huge counts) never raises: estimators return NaN or a result
that says why the quantity is not estimable.

All arithmetic is float64. Integer products such as ``N**3`` or ``n * f1`` are never formed in int64; counts are
converted to float first. Results are exact to the last few ulps for N up to 2**53 (about 9e15).

SciPy is imported inside the functions that need it, never at module level: ``import floor`` loads this package,
and so does every worker process of a scan, which must not pay the 0.3–0.8 s that SciPy's import costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

# MAX_MENTIONS: the largest number of mentions for which float64 holds N exactly; larger profiles are refused at
# the boundary (and a profile file that exceeds it, at its line).
from ..profile import MAX_MENTIONS, Profile


@dataclass(frozen=True)
class Estimate:
    """A number with a reason when it cannot be estimated.

    ``value`` is NaN exactly when ``reason`` says why the quantity is not estimable; ``method`` names the estimator
    actually used; ``warning`` is a caveat about an estimable value (e.g. an extrapolation beyond 2N).
    """

    value: float
    method: str
    reason: str | None = None
    warning: str | None = None

    @property
    def estimable(self) -> bool:
        return self.reason is None and not math.isnan(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def as_dict(self) -> dict[str, Any]:
        return {"value": json_number(self.value), "method": self.method, "reason": self.reason,
                "warning": self.warning}


def not_estimable(method: str, reason: str) -> Estimate:
    return Estimate(math.nan, method, reason)


def check_profile(p: Any) -> Profile:
    """Return ``p`` if it is a usable :class:`Profile`, else raise ``TypeError``/``ValueError``."""
    if not isinstance(p, Profile):
        raise TypeError(f"expected a floor.profile.Profile, got {type(p).__name__}")
    if p.float_counts[0] > MAX_MENTIONS:
        raise ValueError(f"profile has more than 2**53 mentions; float64 cannot represent N exactly")
    return p


def check_confidence(confidence: Any) -> float:
    """A confidence level strictly between 0 and 1."""
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise TypeError(f"confidence must be a number in (0, 1), got {confidence!r}") from None
    if not (0.0 < c < 1.0):
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    return c


def check_nonnegative(name: str, value: Any, *, allow_inf: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}") from None
    if math.isnan(v) or v < 0 or (math.isinf(v) and not allow_inf):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return v


def check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def normal_quantile(confidence: float) -> float:
    """z such that a standard normal lies in [−z, z] with probability ``confidence`` (1.95996… at 0.95)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def basic(p: Profile) -> tuple[float, float, float, float]:
    """``(N, S, f1, f2)`` as floats."""
    return p.float_counts


def json_number(x: Any) -> Any:
    """A JSON-safe scalar: NaN/inf become ``None``, numpy scalars become Python numbers."""
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        return x if math.isfinite(x) else None
    return x


def jsonable(obj: Any) -> Any:
    """Recursively replace NaN/inf with ``None`` and numpy types with Python ones."""
    kind = type(obj)
    if kind is float:  # the common cases first: a report holds thousands of numbers per group
        return obj if math.isfinite(obj) else None
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    return json_number(obj)


def log1p_minus_x(u: np.ndarray) -> np.ndarray:
    """``log1p(u) - u`` without cancellation for small ``|u|`` (u > -1)."""
    u = np.asarray(u, dtype=np.float64)
    small = np.abs(u) < 0.01
    if not small.any():
        return np.log1p(u) - u
    out = np.empty_like(u)
    us = u[small]
    # -u^2/2 + u^3/3 - u^4/4 + ... ; 9 terms are ample for |u| < 0.01
    acc = np.zeros_like(us)
    power = us * us
    for j in range(2, 12):
        acc += (-1) ** (j + 1) * power / j
        power = power * us
    out[small] = acc
    big = ~small
    out[big] = np.log1p(u[big]) - u[big]
    return out


_STIRLING_MIN = 1e4
_DIRECT = 32


def lgamma_delta(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``lgamma(a + d) - lgamma(a)`` for a > 0, d >= 0, accurate relative to the *difference*.

    Subtracting two ``gammaln`` values loses ``eps * lgamma(a)`` absolutely (about 6e-3 at a = 1e12); for large
    ``a`` this uses the Stirling series written in ``log1p`` form, whose error scales with ``d * log(a)`` instead.
    """
    a = np.asarray(a, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    a, d = np.broadcast_arrays(a, d)
    large = a >= _STIRLING_MIN
    if large.all():
        return _stirling_delta(a, d)
    from scipy.special import gammaln

    out = np.empty(a.shape, dtype=np.float64)
    small = ~large
    out[small] = gammaln(a[small] + d[small]) - gammaln(a[small])
    if np.any(large):
        out[large] = _stirling_delta(a[large], d[large])
    return out


def _stirling_delta(a: np.ndarray, d: np.ndarray) -> np.ndarray:
    u = d / a
    b = a + d
    # (b - 1/2) ln b - (a - 1/2) ln a - d  =  d ln a + (d - 1/2) log1p(u) + a (log1p(u) - u)
    main = d * np.log(a) + (d - 0.5) * np.log1p(u) + a * log1p_minus_x(u)
    # 1/(12 z) - 1/(360 z^3) (+ 1/(1260 z^5), below 1e-23 here): differences of these are tiny for z >= 1e4
    series = (1.0 / (12.0 * b) - 1.0 / (360.0 * b**3)) - (1.0 / (12.0 * a) - 1.0 / (360.0 * a**3))
    return main + series


def log_hypergeometric_zero(n: float, m: float, d: np.ndarray) -> np.ndarray:
    """``log[ C(n-1-d, m) / C(n-1, m) ]``: the log-probability that a sample of ``m`` from ``n - 1`` items
    misses ``d`` given items. Requires ``n - 1 - d >= m``; ``m`` may be fractional (entropart interpolates).

    Equals ``lgamma(n-d) + lgamma(n-m) - lgamma(n) - lgamma(n-m-d)``, computed as a difference of
    :func:`lgamma_delta` terms, or as an explicit sum of ``log1p`` terms when ``d`` is small, so that it stays
    accurate for ``n`` up to 1e12 and beyond.
    """
    d = np.asarray(d, dtype=np.float64).reshape(-1)
    out = np.empty_like(d)
    if m == 0:
        out[:] = 0.0
        return out
    if m <= _DIRECT and float(m).is_integer():
        # sum_{j=0}^{m-1} log1p(-d / (n - 1 - j)): exact for a short sample
        j = np.arange(int(m), dtype=np.float64)
        return np.log1p(-d[:, None] / (n - 1.0 - j)[None, :]).sum(axis=1)
    few = d <= _DIRECT
    if np.any(few):
        # sum_{i=1}^{d} log1p(-m / (n - i)): exact for a few missed items
        df = d[few]
        i = np.arange(1, _DIRECT + 1, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.log1p(-m / (n - i))[None, :]
        mask = i[None, :] <= df[:, None]
        out[few] = np.where(mask, terms, 0.0).sum(axis=1)
    many = ~few
    if np.any(many):
        dm = d[many]
        out[many] = lgamma_delta(n - m - dm, dm) - lgamma_delta(n - dm, dm)
    return out


def fmt_count(n: float) -> str:
    """``1,000,000`` style for whole numbers."""
    if not math.isfinite(n):
        return str(n)
    return f"{int(round(n)):,}"


def fmt(x: float) -> str:
    """Three significant digits, for notes."""
    if not math.isfinite(x):
        return str(x)
    return f"{x:.3g}"
