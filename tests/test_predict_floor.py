"""Theorem 2's floor at a predicted size: the finite-sample term shrinks with the corpus, so a floor that is 0 on
a shard can be positive for the corpus it is part of."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

import floor
from floor.cli import main
from floor.estimate import theorem2_floor_at, theorem2_finite_sample_term
from floor.profile import Profile


def test_the_floor_at_a_size_by_hand():
    # sr 0.3 at N' = 1e8 with |E| = 99: 0.3 - 2/99 - (35 + 6 ln 1e8)/1e4
    expected = 0.3 - 2 / 99 - (35 + 6 * math.log(1e8)) / 1e4
    assert theorem2_floor_at(0.3, 1e8, error_set_size=99) == pytest.approx(expected)
    assert expected == pytest.approx(0.26525, abs=1e-5)
    assert theorem2_floor_at(0.3, 1e8, error_set_size=99, delta=0.1) == pytest.approx(expected - 0.1)
    # the same rate at N' = 1e5: the finite-sample term (0.329) swamps it
    assert theorem2_floor_at(0.3, 1e5, error_set_size=99) == 0.0
    assert math.isnan(theorem2_floor_at(math.nan, 1e8, error_set_size=99))
    # the general form at another confidence
    assert theorem2_floor_at(0.3, 1e8, error_set_size=99, confidence=0.95) == pytest.approx(
        0.3 - 2 / 99 - theorem2_finite_sample_term(1e8, 0.95))


def profile():
    """A heavy-tailed profile of N = 16,000 mentions, sr 0.5: its floor on the shard is 0."""
    counts = {1: 8000, 2: 1500, 3: 600, 5: 300, 10: 100, 50: 14}
    return Profile.from_mapping(counts)


def test_every_prediction_row_gives_the_floor_at_its_size():
    p = profile()
    assert (p.mentions, p.singletons) == (16_000, 8_000)
    report = floor.estimate({"birth_year": p})
    assert report["groups"][0]["theorem2_floor"] == 0.0
    prediction = floor.predict({"birth_year": p}, [0.5, 2], replicates=30, answer_space={"birth_year": 50},
                               delta=0.01)
    rows = [r for r in prediction["predictions"] if r["singleton_rate"] is not None]
    assert {r["scale"] for r in rows} == {0.5, 2}
    for r in rows:
        term = theorem2_finite_sample_term(r["size"])
        assert r["theorem2_floor"] == pytest.approx(max(0.0, r["singleton_rate"] - 2 / 50 - term - 0.01))
        if r["ci_low"] is not None:
            assert r["theorem2_floor_low"] == pytest.approx(max(0.0, r["ci_low"] - 2 / 50 - term - 0.01))
            assert r["theorem2_floor_high"] == pytest.approx(max(0.0, r["ci_high"] - 2 / 50 - term - 0.01))
            assert r["theorem2_floor_low"] <= r["theorem2_floor"] <= r["theorem2_floor_high"]
    assert prediction["params"]["answer_space"] == {"birth_year": 50} and prediction["params"]["delta"] == 0.01


def test_a_floor_of_0_on_a_shard_is_positive_for_its_corpus():
    """A shard of 200,000 mentions from a Zipf law of exponent 1.1: sr 0.2 but a finite-sample term of 0.24, so
    the shard's floor is 0; at 100 times the size the far model predicts sr 0.08 and the term is 0.03."""
    rng = np.random.default_rng(3)
    weights = np.arange(1, 5_000_001, dtype=float) ** -1.1
    counts = rng.multinomial(200_000, weights / weights.sum())
    p = Profile.from_counts(counts[counts > 0].tolist())
    spaces = {"birth_year": 999}
    assert floor.estimate({"birth_year": p}, answer_space=spaces)["groups"][0]["theorem2_floor"] == 0.0
    row = next(r for r in floor.predict({"birth_year": p}, [100], replicates=0, answer_space=spaces)["predictions"]
               if r["primary"])
    assert row["method"] in ("pitman_yor", "engen") and row["singleton_rate"] == pytest.approx(0.08, abs=0.01)
    assert row["theorem2_floor"] == pytest.approx(
        row["singleton_rate"] - 2 / 999 - theorem2_finite_sample_term(20_000_000)) and row["theorem2_floor"] > 0.04


def test_the_command_takes_answer_spaces_and_delta(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("category\tk\tf_k\n" + "".join(f"birth_year\t{k}\t{f}\n" for k, f in
                                                    {1: 8000, 2: 1500, 3: 600, 5: 300, 10: 100, 50: 14}.items()))
    result = CliRunner().invoke(main, ["predict", "--profile", str(path), "--scale", "2", "--replicates", "0",
                                       "--answer-space", "birth_year=50", "--delta", "0.01", "--json", "-"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    row = next(r for r in document["predictions"] if r["primary"])
    term = theorem2_finite_sample_term(row["size"])
    assert row["theorem2_floor"] == pytest.approx(max(0.0, row["singleton_rate"] - 2 / 50 - term - 0.01))
    bad = CliRunner().invoke(main, ["predict", "--profile", str(path), "--scale", "2", "--delta", "2"])
    assert bad.exit_code == 2 and "delta must be between 0 and 1" in bad.output


# --- the corpus size at which the floor falls to a target (--target-floor) ----------------------------------------

def _single_rate_profile(facts: int = 5_000_000, rate: float = 0.3) -> Profile:
    """The expected profile of ``facts`` facts each mentioned Poisson(``rate``) times: its mixture is one rate,
    so the singleton rate at u times its size is e^(-rate (u - 1)) f1/N exactly."""
    from scipy.stats import poisson

    ks = np.arange(1, 40)
    fk = np.round(facts * poisson.pmf(ks, rate)).astype(int)
    return Profile(ks[fk > 0], fk[fk > 0])


def test_the_size_where_the_floor_falls_to_a_target_by_hand():
    from scipy.optimize import brentq

    p = _single_rate_profile()
    n, sr = p.mentions, p.singletons / p.mentions  # 1,499,998 mentions, sr 0.741

    def exact(u):
        return theorem2_floor_at(math.exp(-0.3 * (u - 1)) * sr, u * n, error_set_size=1000)

    assert exact(1) == pytest.approx(0.6406, abs=1e-4)
    prediction = floor.predict({"birth_year": p}, [2], target_floor=0.3, answer_space={"birth_year": 1000},
                               replicates=0)
    (target,) = prediction["targets"]
    assert target["kind"] == "floor_target" and target["target_theorem2_floor"] == 0.3
    expected = brentq(lambda u: exact(u) - 0.3, 1, 10) * n  # 5,130,827 mentions
    assert target["size"] == pytest.approx(expected, rel=1e-3) and target["scale"] == pytest.approx(expected / n, rel=1e-3)
    assert target["theorem2_floor"] == pytest.approx(0.3, abs=1e-4)
    assert prediction["params"]["target_theorem2_floor"] == 0.3 and prediction["params"]["target_sr"] is None


def test_the_floor_target_is_past_the_floors_highest_point():
    """A shard whose floor is 0 (the finite-sample term exceeds sr) rises above the target as the corpus grows
    and falls below it later: the size reported is the later crossing, and the floor there is the target."""
    p = _single_rate_profile(facts=400_000, rate=0.05)  # N 20,000: sr 0.95, term 0.67, floor 0.28
    n = p.mentions
    prediction = floor.predict({"birth_year": p}, [2], target_floor=0.4, answer_space={"birth_year": 10_000},
                               replicates=0)
    (target,) = prediction["targets"]
    assert target["scale"] > 4 and target["theorem2_floor"] == pytest.approx(0.4, abs=1e-3)
    sizes = np.geomspace(n, target["size"], 50)[:-1]
    rates = [math.exp(-0.05 * (m / n - 1)) * p.singletons / n for m in sizes]
    floors = [theorem2_floor_at(r, m, error_set_size=10_000) for r, m in zip(rates, sizes)]
    assert floors[0] < 0.4 < max(floors)


def test_a_floor_already_below_the_target_and_one_that_never_falls():
    p = _single_rate_profile()
    low = floor.predict({"birth_year": p}, [2], target_floor=0.9, answer_space={"birth_year": 1000}, replicates=0)
    (row,) = low["targets"]
    assert row["scale"] == 1.0 and "at most 0.9 at every size" in row["warning"]
    slow = _single_rate_profile(facts=5_000_000, rate=0.01)  # sr stays near 0.99 over the range
    never = floor.predict({"birth_year": slow}, [2], target_floor=0.1, answer_space={"birth_year": 1000},
                          replicates=0)
    (row,) = never["targets"]
    assert row["scale"] is None and row["warning"].startswith("not estimable: the predicted floor is still")


def test_target_sr_and_target_floor_on_the_command_line(tmp_path):
    path = tmp_path / "p.tsv"
    p = _single_rate_profile()
    path.write_text("category\tk\tf_k\n" + "".join(f"birth_year\t{k}\t{f}\n" for k, f in zip(p.ks, p.fs)))
    result = CliRunner().invoke(main, ["predict", "--profile", str(path), "--scale", "2", "--replicates", "0",
                                       "--answer-space", "birth_year=1000", "--target-floor", "0.3",
                                       "--target-sr", "0.2"])
    assert result.exit_code == 0, result.output
    assert "Theorem 2 floor <= 0.3 (|E| 1,000) from about 3.42x the corpus" in result.output
    assert "sr <= 0.2 at about" in result.output
