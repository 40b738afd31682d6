"""End to end on generated biographies: the shipped sample exactly, held-out text within 0.02 per category."""

from pathlib import Path

import pytest

import floor
from floor.profile import read_profile_tsv

from .conftest import ROOT, load_make_sample


def observed(report):
    return {g["category"]: g for g in report["groups"] if g["category"] != "all"}


def test_shipped_sample_reproduces_its_ground_truth_profile_exactly():
    truth = read_profile_tsv(str(ROOT / "data" / "sample-truth.tsv"))
    groups = observed(floor.run([str(ROOT / "data" / "sample")]))
    assert set(groups) == set(truth)
    for category, profile in truth.items():
        assert groups[category]["profile"] == profile.as_dict(), category
        assert groups[category]["singleton_rate"] == pytest.approx(profile.singletons / profile.mentions, abs=1e-15)


@pytest.mark.parametrize("seed", [11, 12])
def test_heldout_text_singleton_rate_within_two_points(tmp_path, seed):
    # Names, places, filler and mixing proportions that the extractor was never tuned on.
    load_make_sample().generate(tmp_path / "corpus", seed=seed, docs=4000, heldout=True)
    truth = read_profile_tsv(str(tmp_path / "corpus-truth.tsv"))
    groups = observed(floor.run([str(tmp_path / "corpus")]))
    for category, profile in truth.items():
        true_sr = profile.singletons / profile.mentions
        assert groups[category]["singleton_rate"] == pytest.approx(true_sr, abs=0.02), category
        assert groups[category]["mentions"] == pytest.approx(profile.mentions, rel=0.02), category
