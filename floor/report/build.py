"""Assemble the ``floor.report/1`` document from per-category profiles."""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from .. import __version__
from ..estimate import estimate_group, predict, theorem2_floor_at
from ..estimate._common import normal_quantile
from ..estimate.sampling import fact_sampling_variance, scaled_profile, widen_interval
from ..count.summary import OTHER_DOMAIN, CountSummary, DomainSummary
from ..extract.categories import pooled
from ..profile import Profile

REPORT_SCHEMA = "floor.report/1"
OVERALL = "all"


def build_report(
    profiles: Mapping[str, Profile],
    *,
    answer_spaces: Mapping[str, int],
    conflicting: Mapping[str, int] | None = None,
    confidence: float = 0.95,
    interval: str = "esty",
    delta: float = 0.0,
    seed: int = 0,
    provenance: Mapping | None = None,
    return_replicates: bool = False,
    domains: Mapping[str, Mapping[str, DomainSummary]] | None = None,
    dedup: CountSummary | None = None,
) -> dict:
    """One group per category, plus an ``all`` group pooling the categories when there are several.

    The pooled group counts every mention once: a full date, also counted as its year, is there as its year (its
    ``pools`` key lists the categories it sums). It uses the smallest answer space of those categories, as
    Theorem 2's 2/min|E_c| term does.
    ``domains`` (per category, per domain; :class:`~floor.count.summary.DomainSummary`): each category's pooled
    group (``domain`` null) is followed by one group per domain, largest first (``other`` last), with what the
    domain adds to its pooled category (:func:`_domain_keys`); ``all`` too, its domains summed over categories.
    ``provenance`` says where the profiles come from (see :func:`_provenance`); when its scan parameters have a
    ``sample_rate`` < 1, the profiles are of a hash sample of facts (see :func:`_sampled_group`).
    ``dedup``: the summary of the counts with each fact counted once per cluster of duplicate documents; every
    group then has a ``dedup`` block (:func:`_dedup_block`), else ``dedup`` is null.
    """
    about = _provenance(provenance)
    sample_rate = about["params"].get("sample_rate") or 1.0
    estimate_options = dict(confidence=confidence, interval=interval, delta=delta, seed=seed,
                            return_replicates=return_replicates)
    domains = dict(domains or {})
    groups = []
    pools = pooled(profiles)
    for category, profile in _groups(profiles):
        pooled_all = category == OVERALL and category not in profiles
        if pooled_all:
            # Theorem 2's 2/min|E_c| term: the pooled group takes the smallest answer space.
            space = min(answer_spaces[c] for c in pools)
            conflicts = sum(conflicting.get(c, 0) for c in pools) if conflicting is not None else None
        else:
            space, conflicts = answer_spaces[category], (conflicting or {}).get(category)
        deduplicated = _dedup_profiles(dedup, category, pools if pooled_all else None)
        block = dict(space=space, options=estimate_options, sample_rate=sample_rate)
        groups.append(dict(_estimated(category, None, profile, space, conflicts, estimate_options, sample_rate),
                           dedup=_dedup_block(category, deduplicated.get(None), **block),
                           **({"pools": list(pools)} if pooled_all else {})))
        of_domains = _all_domains(domains, pools) if pooled_all else domains.get(category, {})
        for domain, summary in _domain_order(of_domains):
            group = _estimated(category, domain, summary.profile, space, summary.conflicting, estimate_options,
                               sample_rate)
            groups.append(dict(group, **_domain_keys(summary, profile, sample_rate),
                               dedup=_dedup_block(category, deduplicated.get(domain), **block)))
    return {
        "schema": REPORT_SCHEMA,
        "version": __version__,
        "unit": about["unit"],
        "documents": about["documents"],
        "groups": groups,
        "skipped": about["skipped"],
        "inputs": about["inputs"],
        "inputs_left_out": about["inputs_left_out"],
        "coverage": about["coverage"],
        "params": dict(about["params"], confidence=confidence, interval=interval, delta=delta, seed=seed,
                       answer_space=dict(sorted(answer_spaces.items()))),
    }


#: The files a report lists one by one among ``inputs_left_out`` (the rest are counted by reason).
LEFT_OUT_LISTED = 100


def left_out_files(left_out: Sequence[tuple[str, str]]) -> dict:
    """``inputs_left_out`` of a document: the files that the inputs (directories, globs, prefixes) turned up and
    that were not read as no corpus files: how many, how many for each reason, and the first
    :data:`LEFT_OUT_LISTED` (path, reason) in path order."""
    by_reason: dict[str, int] = {}
    for _, reason in left_out:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    listed = sorted(left_out)[:LEFT_OUT_LISTED]
    return {"total": len(left_out), "by_reason": dict(sorted(by_reason.items())),
            "files": [{"path": path, "reason": reason} for path, reason in listed]}


def _provenance(provenance: Mapping | None) -> dict:
    """``unit``, ``documents``, ``inputs``, ``inputs_left_out``, ``skipped``, scan ``params`` and ``coverage`` of
    the counts (empty for bare profiles). ``coverage`` (:func:`floor.count.coverage`) says whether the counts hold every input they
    were to hold: ``complete`` false for a partial estimate of an incomplete counts directory."""
    about = dict(provenance or {})
    return {
        "unit": about.get("unit"),
        "documents": about.get("documents"),
        "inputs": list(about.get("inputs") or []),
        "inputs_left_out": left_out_files(about.get("left_out") or []),
        "skipped": about.get("skipped") or {"total": 0, "by_reason": {}, "examples": {}},
        "params": dict(about.get("params") or {}),
        "coverage": about.get("coverage"),
    }


SAMPLING_METHOD = ("facts kept when their 64-bit key hash < rate * 2^64 (the same facts in every shard), counted "
                   "exactly; f1, f2, distinct facts and mentions scaled by 1/rate; the interval widened by the "
                   "fact-sampling variance (1 - rate) * sum_i (y_i - sr x_i)^2 / N_s^2")


def _sampled_group(category: str, sample: Profile, answer_space: int, conflicting: int | None, options: dict,
                   rate: float) -> dict:
    """A group estimated from a fact sample: whole-corpus totals scaled by 1/rate, sr the sample's ratio."""
    group = _group(category, scaled_profile(sample, rate), answer_space, None, options)
    if sample.mentions:
        sr = sample.singletons / sample.mentions
        z = normal_quantile(options["confidence"])
        variance = fact_sampling_variance(sample, rate)
        group["singleton_rate"] = group["good_turing_missing_mass"] = sr
        group["ci_low"], group["ci_high"] = widen_interval(sr, min(group["ci_low"], sr), max(group["ci_high"], sr),
                                                           variance, z)
    else:
        variance = None
    group["sampled"] = {"rate": rate, "method": SAMPLING_METHOD, "sampling_variance": variance,
                        "observed_profile": sample.as_dict(), "observed_mentions": sample.mentions,
                        "conflicting_entities_observed": conflicting}
    return group


def _group(category: str, profile: Profile, answer_space: int, conflicting: int | None, options: dict) -> dict:
    group = {"category": category, "domain": None}
    group.update(estimate_group(profile, answer_space=answer_space, **options))
    group["conflicting_entities"] = conflicting
    group["profile"] = profile.as_dict()
    group.update(dict.fromkeys(DOMAIN_KEYS))
    return group


def _estimated(category: str, domain: str | None, profile: Profile, space: int, conflicts: int | None,
               options: dict, sample_rate: float) -> dict:
    if sample_rate < 1:
        group = _sampled_group(category, profile, space, conflicts, options, sample_rate)
    else:
        group = _group(category, profile, space, conflicts, options)
    group["domain"] = domain
    return group


# What a domain group says of its domain within the pooled group of its category (null in a pooled group).
DOMAIN_KEYS = ("pooled_singleton_share", "facts_in_no_other_domain", "pooled_sr_without_domain")


def _domain_keys(domain: DomainSummary, pooled: Profile, sample_rate: float) -> dict:
    """``pooled_singleton_share``: the domain's share of the pooled singletons (each is stated in one domain);
    ``facts_in_no_other_domain``: its facts that no other domain states; ``pooled_sr_without_domain``: f1/N of
    the pooled counts with this domain's mentions taken out (its pooled singletons go, and facts it shares that
    the others state once become singletons). From a fact sample, the facts are scaled by 1/rate, as
    ``distinct_facts`` is; the two rates are ratios of the sample."""
    f1, mentions = pooled.singletons, pooled.mentions
    rest = mentions - domain.profile.mentions
    return {
        "pooled_singleton_share": domain.pooled_singletons / f1 if f1 else None,
        "facts_in_no_other_domain": int(round(domain.exclusive_facts / sample_rate)),
        "pooled_sr_without_domain": (f1 - domain.pooled_singletons + domain.new_singletons) / rest if rest else None,
    }


# What a group's dedup block holds: the group's numbers with each fact counted once per cluster of duplicates.
DEDUP_KEYS = ("mentions", "distinct_facts", "singletons", "doubletons", "singleton_rate", "ci_low", "ci_high",
              "confidence", "interval", "theorem2_floor", "profile")


def _dedup_profiles(dedup: CountSummary | None, category: str, pools: tuple[str, ...] | None
                    ) -> dict[str | None, Profile]:
    """The deduplicated profiles of a category's groups: its own (``None``) and each domain's; of the pooled
    ``all`` group (``pools``: the categories it sums, :func:`~floor.extract.categories.pooled`), summed over
    them. Empty without dedup."""
    if dedup is None:
        return {}
    if pools is None:
        of_domains = dedup.domains.get(category, {})
        return {None: dedup.profiles.get(category, Profile([], [])), **{d: s.profile for d, s in of_domains.items()}}
    of_domains = _all_domains(dedup.domains, pools)
    summed = sum((dedup.profiles[c] for c in pools if c in dedup.profiles), Profile([], []))
    return {None: summed, **{d: s.profile for d, s in of_domains.items()}}


def _dedup_block(category: str, profile: Profile | None, *, space: int, options: dict, sample_rate: float,
                 ) -> dict | None:
    """A group's numbers from its deduplicated ``profile``, estimated as the group is (the same interval method;
    scaled from a fact sample); ``None`` without dedup. A domain without facts in the deduplicated counts cannot
    be: every fact of a domain's raw counts is in them."""
    if profile is None:
        return None
    group = _estimated(category, None, profile, space, None, dict(options, return_replicates=False), sample_rate)
    return {key: group[key] for key in DEDUP_KEYS}


def _all_domains(domains: Mapping[str, Mapping[str, DomainSummary]], pools: tuple[str, ...],
                 ) -> dict[str, DomainSummary]:
    """Each domain summed over the categories the pooled ``all`` group sums (``pools``; their facts are
    disjoint): its part of that group."""
    total: dict[str, DomainSummary] = {}
    for of_category in (domains[c] for c in pools if c in domains):
        for domain, summary in of_category.items():
            total[domain] = total[domain] + summary if domain in total else summary
    return total


def _domain_order(domains: Mapping[str, DomainSummary]) -> list[tuple[str, DomainSummary]]:
    """Largest first (by mentions, then name), the pooled rest (``other``) last."""
    return sorted(domains.items(), key=lambda item: (item[0] == OTHER_DOMAIN, -item[1].profile.mentions, item[0]))


PREDICTION_SCHEMA = "floor.prediction/1"
TARGET_KINDS = ("target", "floor_target")


def build_prediction(
    profiles: Mapping[str, Profile],
    scales: list[float],
    *,
    target_sr: float | None = None,
    target_floor: float | None = None,
    confidence: float = 0.95,
    replicates: int = 200,
    seed: int = 0,
    provenance: Mapping | None = None,
    return_replicates: bool = False,
    corpus: Mapping | None = None,
    domains: Mapping[str, Mapping[str, DomainSummary]] | None = None,
    answer_spaces: Mapping[str, int] | None = None,
    delta: float = 0.0,
    finite_population: bool = False,
) -> dict:
    """The ``floor.prediction/1`` document: predictions at ``scale × N`` per category (and pooled).

    With ``answer_spaces`` (|E| per category; the pooled group takes the smallest of its categories'), each row
    also gives Theorem 2's floor at its size (:func:`_with_floor`), with miscalibration ``delta``.

    Targets, for each pooled group: ``target_sr``, the corpus size at which the predicted singleton rate falls to
    it; ``target_floor``, the size from which on Theorem 2's predicted floor stays at or below it (it needs
    ``answer_spaces``); their rows are in ``targets``.

    From a fact sample (``sample_rate`` < 1) the predictions start from the whole-corpus profile it estimates.
    ``corpus`` (see :func:`floor.api.predict`): its ``scale`` is predicted for every pooled group besides
    ``scales``, and each of its ``domains`` at its own ``scale`` in every category that has it (``domains``: the
    counts' per-domain summaries) and in ``all``; it is kept in the document as ``corpus``. At these sizes, the
    whole corpus the counts are a sample of, the far rows weigh the finite zeta too (``finite_population``: at
    ``scales`` as well). ``observed``: each group's own size and singleton rate, where its curve starts (1x).
    """
    about = _provenance(provenance)
    sample_rate = about["params"].get("sample_rate") or 1.0
    corpus = dict(corpus) if corpus else None
    corpus_scales = [corpus["scale"]] if corpus and corpus.get("scale") is not None else []
    pooled_scales = list(scales) + corpus_scales
    domain_scales = {name: d["scale"] for name, d in (corpus or {}).get("domains", {}).items()}
    domains = dict(domains or {})
    options = dict(confidence=confidence, replicates=replicates, seed=seed, return_replicates=return_replicates,
                   finite_population=finite_population)
    predictions, targets, observed = [], [], []
    pools = pooled(profiles)
    for category, profile in _groups(profiles):
        pooled_all = category == OVERALL and category not in profiles
        targeted = target_sr is not None or target_floor is not None
        groups = [(None, profile, pooled_scales, corpus_scales)] if pooled_scales or targeted else []
        of_domains = _all_domains(domains, pools) if pooled_all else domains.get(category, {})
        groups += [(name, of_domains[name].profile, [scale], [scale]) for name, scale in domain_scales.items()
                   if name in of_domains]
        space = None if answer_spaces is None else min(answer_spaces[c] for c in (pools if pooled_all else [category]))
        for domain, group_profile, group_scales, whole_scales in groups:
            if sample_rate < 1:
                group_profile = scaled_profile(group_profile, sample_rate)
            observed.append({"category": category, "domain": domain, "mentions": group_profile.mentions,
                             "singletons": group_profile.singletons,
                             "singleton_rate": group_profile.singletons / group_profile.mentions
                             if group_profile.mentions else None})
            group_targets = dict(target_sr=target_sr, target_theorem2_floor=target_floor, error_set_size=space,
                                 delta=delta) if domain is None else {}
            for row in predict(group_profile, group_scales, **group_targets, **options, corpus_scales=whole_scales):
                if space is not None and row.get("kind") not in TARGET_KINDS:
                    row = _with_floor(row, space, delta)
                labelled = {"category": category, "domain": domain, **row}
                (targets if row.get("kind") in TARGET_KINDS else predictions).append(labelled)
    return {
        "schema": PREDICTION_SCHEMA,
        "version": __version__,
        "unit": about["unit"],
        "documents": about["documents"],
        "predictions": predictions,
        "targets": targets,
        "observed": observed,
        "corpus": corpus,
        "skipped": about["skipped"],
        "inputs": about["inputs"],
        "inputs_left_out": about["inputs_left_out"],
        "coverage": about["coverage"],
        # params' target_floor is the singleton-rate target, as it was before the floor target existed
        "params": dict(about["params"], scales=list(scales), target_floor=target_sr, target_sr=target_sr,
                       target_theorem2_floor=target_floor, confidence=confidence,
                       replicates=replicates, seed=seed, delta=delta, finite_population=finite_population,
                       answer_space=None if answer_spaces is None else dict(sorted(answer_spaces.items()))),
    }


def _with_floor(row: dict, space: int, delta: float) -> dict:
    """``row`` with Theorem 2's floor at its size (``theorem2_floor``; null where the rate is not estimable) and
    at the ends of its interval (``theorem2_floor_low``, ``theorem2_floor_high``: the floor rises with the
    rate, so these bound it as the interval bounds the rate)."""
    def at(rate):
        value = None if rate is None else theorem2_floor_at(rate, row["size"], error_set_size=space, delta=delta)
        return None if value is None or math.isnan(value) else value

    return dict(row, theorem2_floor=at(row.get("singleton_rate")), theorem2_floor_low=at(row.get("ci_low")),
                theorem2_floor_high=at(row.get("ci_high")))


def _groups(profiles: Mapping[str, Profile]):
    """Each category, then the pooled ``all`` group when there are several: it sums the categories that count
    every mention once (:func:`~floor.extract.categories.pooled`: a full date is there as its year)."""
    groups = sorted(profiles.items())
    if len(profiles) > 1:
        groups.append((OVERALL, sum((profiles[c] for c in pooled(profiles)), Profile([], []))))
    return groups
