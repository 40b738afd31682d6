import math

import numpy as np
import pytest

from floor.estimate.sampling import fact_sampling_variance, scaled_profile, widen_interval
from floor.profile import Profile


def test_variance_by_hand():
    # counts 1,1,1,2,3: N = 8, f1 = 3, r = 3/8; residuals 3(5/8)^2 + (3/8)^2 (4 + 9)
    p = Profile.from_counts([1, 1, 1, 2, 3])
    r = 3 / 8
    expected = 0.75 * (3 * (1 - r) ** 2 + r * r * 13) / 64
    assert fact_sampling_variance(p, 0.25) == pytest.approx(expected, rel=1e-15)
    assert fact_sampling_variance(p, 1.0) == 0.0
    assert math.isnan(fact_sampling_variance(Profile([], []), 0.5))


def test_scaled_profile_rounds_fact_numbers():
    assert scaled_profile(Profile([1, 2], [3, 5]), 0.5) == Profile([1, 2], [6, 10])


def test_variance_matches_repeated_fact_sampling():
    # The sampling distribution of f1_s/N_s over many Bernoulli samples of the same facts.
    rng = np.random.default_rng(1)
    counts = np.minimum(rng.zipf(1.8, 40_000), 10_000)
    full_sr = np.count_nonzero(counts == 1) / counts.sum()
    rate = 0.1
    ratios, covered = [], 0
    for _ in range(400):
        kept = counts[rng.random(counts.size) < rate]
        sample = Profile.from_counts(kept)
        ratio = sample.singletons / sample.mentions
        ratios.append(ratio)
        covered += abs(ratio - full_sr) <= 1.96 * math.sqrt(fact_sampling_variance(sample, rate))
    predicted_sd = math.sqrt(fact_sampling_variance(Profile.from_counts(counts[: counts.size // 10]), rate))
    assert np.std(ratios) == pytest.approx(predicted_sd, rel=0.25)
    assert covered / 400 >= 0.9


def test_widen_interval_in_quadrature_and_clipped():
    low, high = widen_interval(0.5, 0.4, 0.6, variance=0.01, z=1.0)
    assert (low, high) == pytest.approx((0.5 - math.sqrt(0.02), 0.5 + math.sqrt(0.02)))
    assert widen_interval(0.01, 0.0, 0.02, variance=1.0, z=2.0) == (0.0, 1.0)
