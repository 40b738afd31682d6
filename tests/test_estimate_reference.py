"""Reproduce peer software's values (scikit-bio, iNEXT, entropart, Sampson's SGT) and exact hand computations.

The reference values are copied from shared/reference-values.csv (tool, commit and source noted beside each);
nothing is read from shared/ at test time.
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import pytest

from floor.estimate import (chao1, coverage, esty_interval, esty_variance, good_coverage, good_turing_missing_mass,
                            predicted_singleton_rate,
                            sample_coverage, singleton_rate, size_for_coverage)
from floor.estimate._common import log_hypergeometric_zero
from floor.profile import Profile

# iNEXT data/spider.rda (Ellison et al. 2010 / Sackett et al. 2011)
GIRDLED = [46, 22, 17, 15, 15, 9, 8, 6, 6, 4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
LOGGED = [88, 22, 16, 15, 13, 10, 8, 8, 7, 7, 7, 5, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1,
          1, 1, 1, 1, 1]


def prof(counts):
    return Profile.from_counts(counts)


# --- scikit-bio 2068527a, skbio/diversity/alpha/tests/test_base.py (test-asserted) ---------------------------------

def test_skbio_goods_coverage():
    assert good_coverage(prof([1] * 75 + [2] * 6 + [3, 4, 4])) == pytest.approx(0.23469387755, rel=1e-10)


def test_skbio_robbins_is_good_turing():
    p = prof([1, 2, 3, 0, 1])
    assert good_turing_missing_mass(p) == pytest.approx(2 / 7, rel=1e-15)
    assert singleton_rate(p) == pytest.approx(2 / 7, rel=1e-15)


ESTY_LOWER = [1, -1.38590382, -0.73353593, -0.17434465, -0.15060902, -0.04386191, -0.33042054, -0.29041008,
              -0.43554755, -0.33385652]
ESTY_UPPER = [1, 1.38590382, 1.40020259, 0.67434465, 0.55060902, 0.71052858, 0.61613483, 0.54041008, 0.43554755,
              0.53385652]


@pytest.mark.parametrize("i", range(10))
def test_skbio_esty_ci_prefix_windows(i):
    taxa = [1, 1, 2, 1, 1, 3, 2, 1, 3, 4][: i + 1]
    counts = np.bincount(taxa)
    raw = esty_interval(prof(counts), 0.95, clip=False)
    assert raw.low == pytest.approx(ESTY_LOWER[i], abs=1e-8)
    assert raw.high == pytest.approx(ESTY_UPPER[i], abs=1e-8)
    clipped = esty_interval(prof(counts), 0.95)
    assert clipped.low == pytest.approx(max(0.0, ESTY_LOWER[i]), abs=1e-8)
    assert clipped.high == pytest.approx(min(1.0, ESTY_UPPER[i]), abs=1e-8)


def test_skbio_empty_counts_give_nan():
    p = prof([0, 0])
    assert math.isnan(good_coverage(p)) and math.isnan(good_turing_missing_mass(p))
    ci = esty_interval(p)
    assert math.isnan(ci.low) and math.isnan(ci.high) and ci.reason


def test_skbio_chao1():
    # skbio test_chao1.py::test_chao1 (test-asserted) and spider_girdled (ran-locally, 0.7.4)
    p = prof([0, 1, 1, 4, 2, 5, 2, 4, 1, 2])
    assert chao1(p) == pytest.approx(9.75) and chao1(p, bias_corrected=False) == pytest.approx(10.5)
    assert chao1(prof(GIRDLED)) == pytest.approx(39.2) and chao1(prof(GIRDLED), False) == pytest.approx(44.0)


def test_skbio_spider_ran_locally():
    g = prof(GIRDLED)
    assert good_coverage(g) == pytest.approx(0.928571428571, rel=1e-11)
    assert good_turing_missing_mass(g) == pytest.approx(0.0714285714286, rel=1e-11)
    # skbio hard-codes z = 1.959963985; ours is the exact quantile: agreement to ~1e-9 relative
    ci = esty_interval(g)
    assert (ci.low, ci.high) == pytest.approx((0.0203848666035, 0.122472276254), rel=1e-8)
    ci = esty_interval(prof(LOGGED))
    assert (ci.low, ci.high) == pytest.approx((0.0197258714464, 0.0913852396647), rel=1e-8)


# --- iNEXT 27ac0343 Chat.Ind (ran-locally) --------------------------------------------------------------------------

INEXT = {
    "girdled": (GIRDLED, [1, 10, 84, 167, 168, 169, 336, 504],
                [0.122326775021318, 0.596930843692364, 0.899514053593065, 0.928571428571429, 0.928855438795797,
                 0.929138319754859, 0.963570084705749, 0.981345886377216]),
    "logged": (LOGGED, [1, 10, 126, 251, 252, 253, 504, 756],
               [0.144501359640873, 0.532319778396898, 0.908156186881083, 0.944444444444444, 0.944570635371317,
                0.944696539663489, 0.968748843519258, 0.982380552475637]),
}


@pytest.mark.parametrize("name", sorted(INEXT))
def test_inext_chat_ind(name):
    counts, ms, expected = INEXT[name]
    got = coverage(prof(counts), ms)
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    for m, e in zip(ms, expected):  # scalar calls agree
        assert coverage(prof(counts), m) == pytest.approx(e, rel=1e-9)


def test_inext_f2_zero_branch():
    # f2 = 0: A = (n−1)(f1−1)/((n−1)(f1−1)+2); hand value for counts [1,1,1,3,5]: n = 11, f1 = 3
    p = prof([1, 1, 1, 3, 5])
    a = 10 * 2 / (10 * 2 + 2)
    assert coverage(p, 11) == pytest.approx(1 - 3 / 11 * a, rel=1e-14)
    assert coverage(p, 20) == pytest.approx(1 - 3 / 11 * a ** 10, rel=1e-14)
    # f1 = 1, f2 = 0: f̂0 = 0, A = 0, so coverage is 1 at and beyond n (iNEXT: A <- n f0 / (n f0 + f1))
    q = prof([1, 3, 5])
    assert coverage(q, 9) == 1.0 and coverage(q, 30) == 1.0
    # f1 = 0: A = 1 and coverage 1
    assert coverage(prof([2, 3]), 5) == 1.0 and coverage(prof([2, 3]), 50) == 1.0


# --- entropart 24afa204 R/Coverage.R (ran-locally) ------------------------------------------------------------------

def test_entropart_coverage_estimators():
    p = prof([1, 2, 3, 4, 5])
    assert sample_coverage(p, "ZhangHuang").value == pytest.approx(0.941058941059, rel=1e-11)
    assert sample_coverage(p, "Chao").value == pytest.approx(0.941666666667, rel=1e-11)
    assert sample_coverage(p, "Turing").value == pytest.approx(0.933333333333, rel=1e-11)
    assert sample_coverage(p, "Best").value == sample_coverage(p, "ZhangHuang").value


def test_entropart_coverage2size():
    # entropart rounds (R's round) the extrapolated size: 660.49 -> 660, 1005.08 -> 1005
    assert size_for_coverage(prof(GIRDLED), 0.99).value == 660
    assert size_for_coverage(prof(LOGGED), 0.99).value == 1005
    raw = size_for_coverage(prof(GIRDLED), 0.99, rounding="none").value
    assert 660 < raw < 660.5
    assert size_for_coverage(prof(GIRDLED), 0.99, rounding="ceil").value == 661


def test_coverage2size_interpolation_matches_curve():
    p = prof(GIRDLED)
    est = size_for_coverage(p, 0.9, rounding="none")
    assert est.method == "rarefaction"
    assert coverage(p, est.value) == pytest.approx(0.9, abs=1e-9)
    m = size_for_coverage(p, 0.9).value
    assert coverage(p, m - 1) < 0.9 + 1e-3 and abs(coverage(p, m) - 0.9) < abs(coverage(p, m + 1) - 0.9) + 1e-3


# --- Sampson's Simple Good-Turing (nltk issue #175) -----------------------------------------------------------------

def test_sampson_sgt_p0():
    hist = {1: 2, 2: 1, 3: 1, 4: 3, 5: 2, 6: 3, 7: 2, 8: 1, 9: 1, 10: 1}
    p = Profile.from_mapping(hist)
    assert p.mentions == 88
    assert good_turing_missing_mass(p) == pytest.approx(2 / 88, rel=1e-15)
    assert round(good_turing_missing_mass(p), 5) == 0.02273


# --- cross-checks against scikit-bio at runtime ---------------------------------------------------------------------

def test_runtime_crosscheck_skbio():
    alpha = pytest.importorskip("skbio.diversity.alpha")
    rng = np.random.default_rng(7)
    for _ in range(40):
        size = int(rng.integers(1, 300))
        counts = rng.zipf(1.6, size=size).clip(max=10_000)
        counts[rng.random(size) < 0.1] = 0
        if counts.sum() == 0:
            continue
        p = prof(counts)
        assert good_coverage(p) == pytest.approx(alpha.goods_coverage(counts), rel=1e-12, abs=1e-15)
        assert singleton_rate(p) == pytest.approx(alpha.robbins(counts), rel=1e-12, abs=1e-15)
        lo, hi = alpha.esty_ci(counts)
        raw = esty_interval(p, 0.95, clip=False)
        assert (raw.low, raw.high) == pytest.approx((lo, hi), rel=1e-8, abs=1e-9)
        assert chao1(p) == pytest.approx(alpha.chao1(counts), rel=1e-12)
        assert chao1(p, False) == pytest.approx(alpha.chao1(counts, bias_corrected=False), rel=1e-12)


# --- Esty where scikit-bio overflows: exact arithmetic ---------------------------------------------------------------

def _exact_esty(n: int, f1: int, f2: int, z: Decimal) -> tuple[Decimal, Decimal]:
    getcontext().prec = 60
    w = Fraction(f1 * (n - f1) + 2 * n * f2, n ** 3)
    half = z * (Decimal(w.numerator) / Decimal(w.denominator)).sqrt()
    point = Decimal(f1) / Decimal(n)
    return point - half, point + half


Z95 = Decimal("1.95996398454005423552")  # Φ^{-1}(0.975)


@pytest.mark.parametrize("mapping", [
    {1: 100_000, 2: 50_000, 2_800_000: 1},                          # N = 3e6
    {1: 10_000_000_000, 2: 1_000_000_000, 1_000_000: 988_000},      # N = 1e12
    {1: 3, 2: 1, 999_999_999_995: 1},                               # N = 1e12, tiny sr
])
def test_esty_exact_at_large_n(mapping):
    p = Profile.from_mapping(mapping)
    n, f1, f2 = p.mentions, p.singletons, p.doubletons
    lo, hi = _exact_esty(n, f1, f2, Z95)
    ci = esty_interval(p, 0.95, clip=False)
    assert ci.low == pytest.approx(float(lo), rel=1e-12, abs=1e-300)
    assert ci.high == pytest.approx(float(hi), rel=1e-12)
    w = Fraction(f1 * (n - f1) + 2 * n * f2, n ** 3)
    assert esty_variance(p) == pytest.approx(float(w), rel=1e-13)


def test_skbio_overflows_where_we_do_not():
    alpha = pytest.importorskip("skbio.diversity.alpha")
    counts = np.array([1] * 100_000 + [2] * 50_000 + [2_800_000], dtype=np.int64)  # N = 3e6
    p = prof(counts)
    lo, hi = _exact_esty(p.mentions, p.singletons, p.doubletons, Z95)
    ours = esty_interval(p, 0.95, clip=False)
    assert ours.high == pytest.approx(float(hi), rel=1e-12)
    with np.errstate(all="ignore"):
        theirs = alpha.esty_ci(counts)
    if not theirs[1] == pytest.approx(float(hi), rel=1e-6):
        assert p.mentions ** 3 > 2 ** 63  # explained by int64 overflow of N**3


# --- binomial ratios at n = 1e12, against exact rational products ----------------------------------------------------

@pytest.mark.parametrize("n,m,d", [
    (10**12, 10**9, 5), (10**12, 10**9, 100), (10**12, 10**9, 1500), (10**12, 3 * 10**11, 40),
    (10**7, 5 * 10**6, 3), (10**6, 999_000, 2), (168, 84, 45), (10**12, 7, 3000),
])
def test_log_hypergeometric_zero_exact(n, m, d):
    # C(n−1−d, m)/C(n−1, m) = Π_{i=1}^{d} (n − i − m)/(n − i)
    exact = Fraction(1)
    for i in range(1, d + 1):
        exact *= Fraction(n - i - m, n - i)
    ours = float(np.exp(log_hypergeometric_zero(float(n), float(m), np.array([float(d)]))[0]))
    assert ours == pytest.approx(float(exact), rel=1e-11)


def test_rarefaction_exact_at_large_n():
    mapping = {1: 1_000_000, 2: 500_000, 3: 100_000, 30: 1000, 100_000_000_000: 5}
    p = Profile.from_mapping(mapping)
    n = p.mentions
    for m in (n // 3, n // 1000, 10**6):
        # 1 − C(m) = Σ f_x (x/n) Π_{i=1}^{x−1} (n − i − m)/(n − i); the x = 1e11 term is below 1e-(10^9)
        exact = Fraction(0)
        for x, f in mapping.items():
            if x > 100:
                continue
            r = Fraction(1)
            for i in range(1, x):
                r *= Fraction(n - i - m, n - i)
            exact += f * Fraction(x, n) * r
        assert predicted_singleton_rate(p, m) == pytest.approx(float(exact), rel=1e-11)
