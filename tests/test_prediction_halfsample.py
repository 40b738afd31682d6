"""Half-sample check on the shipped sample: predict the singleton rate at twice a random half of the documents and
compare it with the rate measured on the whole.

The issue's acceptance: "predicting sr at scale 2 from a random half lands within the interval of the sr measured
on the whole". A random half of the documents is a binomial thinning of the whole's counts (a fact in k documents
is in Bin(k, ½) of the half), the setting a prediction at scale 2 must handle. Two parts:

* The half the issue was reported on (seed 0), scanned by floor itself and predicted with floor's primary method
  (npmle) and its 200-replicate interval: the whole's rate lies in the prediction's own interval in every group
  (as it did for 404 of 420 (half, group) pairs over 60 random halves: 93–98% per group).
* 20 seeded random halves, made by selecting documents from the per-document fact keys read once (the same
  counting as a scan, checked against it), each predicted at scale 2 and compared with the whole's Esty interval.

Why the acceptance is stated over halves, not for each (half, group): the whole's interval measures only the
whole's own sampling error (±1.4–5.8% of sr here), while a prediction from a half also carries which facts the
half drew. Over 400 random halves the npmle prediction's mean error was −0.45% to +0.16% of the whole's sr per
group (no bias), but its sd was 1.7–4.8% (2.8–3.9% for most categories); the irreducible part, from an oracle that
knows which of the half's singletons are singletons of the whole, is 1.2–2.3%. So a single prediction lands
inside the whole's interval in 59–78% of halves per group (68% of all predictions), and the test asserts: the mean
prediction over the halves lies within the whole's interval in every group, and at least 55% of the (half, group)
predictions do (see :data:`INSIDE_SHARE`).
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

import floor
from floor.errors import SkipLog
from floor.profile import Profile
from floor.sources import iter_documents

from .conftest import ROOT

SEED = 0


@pytest.fixture(scope="module")
def halfsample(tmp_path_factory):
    sample = str(ROOT / "data" / "sample")
    documents = list(iter_documents([sample], skips=SkipLog()))
    rng = random.Random(SEED)
    half = [d for d in documents if rng.random() < 0.5]
    path = tmp_path_factory.mktemp("half") / "half.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for d in half:
            handle.write(json.dumps({"id": d.doc_id, "text": d.text}) + "\n")
    whole = {g["category"]: g for g in floor.run([sample])["groups"]}
    prediction = floor.predict(floor.scan([str(path)]), [2.0], replicates=200, seed=SEED)
    rows = {}
    for row in prediction["predictions"]:
        rows.setdefault(row["category"], {})[row["method"]] = row
    first = {}
    for row in prediction["predictions"]:
        first.setdefault(row["category"], row["method"])
    return whole, rows, first, len(half), len(documents)


def test_the_half_is_a_half(halfsample):
    _, _, _, half, total = halfsample
    assert abs(half - total / 2) < 3 * (total ** 0.5) / 2


def test_primary_prediction_is_the_poisson_mixture(halfsample):
    whole, rows, first, _, _ = halfsample
    assert set(rows) == set(whole)  # every category and the pooled group
    assert all(method == "npmle" for method in first.values())


def test_whole_singleton_rate_lies_in_the_prediction_interval(halfsample):
    whole, rows, _, _, _ = halfsample
    for category, group in whole.items():
        row = rows[category]["npmle"]
        assert row["warning"] is None, category
        assert row["ci_low"] <= group["singleton_rate"] <= row["ci_high"], (category, row, group["singleton_rate"])


def test_chao_jost_bias_is_gone(halfsample):
    # Chao–Jost (f1, f2 only) predicted 8–9% low in every category; the mixture is closer in every one
    whole, rows, _, _, _ = halfsample
    for category, group in whole.items():
        truth = group["singleton_rate"]
        chao_jost = rows[category]["chao_jost"]["singleton_rate"]
        npmle = rows[category]["npmle"]["singleton_rate"]
        assert chao_jost < truth * 0.95, category  # the reported bias, still there in the comparison row
        assert abs(npmle - truth) < abs(chao_jost - truth), category


# --- many random halves ---------------------------------------------------------------------------------------------

HALVES = range(1, 21)
#: Share of (half, group) predictions that must land inside the whole's interval. Measured: 0.68 of 2800 (400
#: halves × 7 groups), 0.636 for the 20 halves below; over 20 disjoint sets of 20 halves the share was 0.61–0.74
#: (sd 0.04). 0.55 is below every set measured (3.5 sd below the mean), and far above what a biased prediction
#: achieves: Chao–Jost's (6–14% low) lands inside in 8% of the 2800 (0.04–0.12 per set).
INSIDE_SHARE = 0.55


@pytest.fixture(scope="module")
def document_facts():
    """Each document's distinct fact keys, read once with floor's extractor and counted as a scan counts them
    (once per document; key: category, case-folded entity and value): (document index, fact index) pairs and
    each fact's category. A random half of the documents is then a mask, not a scan."""
    documents, facts, pairs = {}, {}, set()
    for fact in floor.extract([str(ROOT / "data" / "sample")]):
        doc = documents.setdefault((fact["source"], fact["doc_id"]), len(documents))
        key = (fact["category"], fact["entity"].casefold(), fact["value"].casefold())
        pairs.add((doc, facts.setdefault(key, len(facts))))
    doc_index, fact_index = np.array(sorted(pairs)).T
    categories = np.array([category for category, _, _ in facts])
    return len(documents), doc_index, fact_index, categories


def _profiles(document_facts, chosen) -> dict[str, Profile]:
    _, doc_index, fact_index, categories = document_facts
    counts = np.bincount(fact_index[chosen[doc_index]], minlength=categories.size)
    return {c: Profile.from_counts(counts[categories == c]) for c in np.unique(categories)}


@pytest.fixture(scope="module")
def halves(halfsample, document_facts):
    """The npmle prediction at scale 2 of each seeded half, per group (the categories and the pooled group)."""
    whole, _, _, _, _ = halfsample
    predictions = {category: [] for category in whole}
    for seed in HALVES:
        chosen = np.random.default_rng(seed).random(document_facts[0]) < 0.5
        for row in floor.predict(_profiles(document_facts, chosen), [2.0], replicates=0)["predictions"]:
            if row["method"] == "npmle":
                predictions[row["category"]].append(row["singleton_rate"])
    return whole, {category: np.array(rates) for category, rates in predictions.items()}


def test_document_facts_count_as_a_scan(halfsample, document_facts):
    whole, _, _, _, _ = halfsample
    everything = np.ones(document_facts[0], dtype=bool)
    for category, profile in _profiles(document_facts, everything).items():
        assert profile.as_dict() == whole[category]["profile"], category


def test_mean_prediction_lies_in_the_whole_interval(halves):
    # measured mean error over these 20 halves: −1.3% to +0.6% of sr, at most 0.34 of the interval's half-width;
    # over 20 disjoint sets of 20 halves the mean stayed within 0.65 of the half-width in every group
    whole, predictions = halves
    for category, group in whole.items():
        assert len(predictions[category]) == len(HALVES)
        mean = float(predictions[category].mean())
        assert group["ci_low"] <= mean <= group["ci_high"], (category, mean, group["singleton_rate"])


def test_most_predictions_lie_in_the_whole_interval(halves):
    whole, predictions = halves
    inside = [group["ci_low"] <= rate <= group["ci_high"]
              for category, group in whole.items() for rate in predictions[category]]
    assert len(inside) == len(HALVES) * len(whole)
    assert np.mean(inside) >= INSIDE_SHARE
