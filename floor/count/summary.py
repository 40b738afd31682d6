"""What the estimate stage needs from counts: per-category profiles and conflicting-entity counts, and, for
counts made with a domain option, the same per (category, domain) with what each domain adds to its category.

Summaries of disjoint fact sets add, and buckets partition facts by entity, so a summary is computed one
bucket at a time and summed: memory is bounded by the largest bucket, never by the whole table.

Per-domain counts are tables named ``category<US>domain`` (:func:`table_name`) holding the same fact keys as a
category's table would: the pooled table of a category is the merge of its domain tables (a fact stated in two
domains is one fact seen in both), so its profile is exactly that of a scan without domains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np

from ..profile import Profile
from .table import KEY_SEPARATOR, FactTable

# What --max-domains pools the smaller domains into, and the domain of a document that names none.
OTHER_DOMAIN = "other"
NO_DOMAIN = "(none)"


def table_name(category: str, domain: str | None) -> str:
    """The name of the count table of ``category`` in ``domain`` (``None``: counts made without domains)."""
    return category if domain is None else f"{category}{KEY_SEPARATOR}{domain}"


def split_name(name: str) -> tuple[str, str | None]:
    """``(category, domain)`` of a table name (domain ``None`` for a category's own table)."""
    category, sep, domain = name.partition(KEY_SEPARATOR)
    return (category, domain) if sep else (category, None)


@dataclass(frozen=True)
class DomainSummary:
    """One domain of one category: its own profile and conflicting entities, and against the pooled category:
    ``pooled_singletons`` (pooled singletons it states; a pooled singleton is stated in one domain only),
    ``exclusive_facts`` (facts seen in no other domain) and ``new_singletons`` (facts that would be singletons
    of the pooled category without this domain: seen once in all the others). All add over buckets."""

    profile: Profile
    conflicting: int
    pooled_singletons: int
    exclusive_facts: int
    new_singletons: int

    def __add__(self, other: "DomainSummary") -> "DomainSummary":
        return DomainSummary(self.profile + other.profile, self.conflicting + other.conflicting,
                             self.pooled_singletons + other.pooled_singletons,
                             self.exclusive_facts + other.exclusive_facts, self.new_singletons + other.new_singletons)


@dataclass
class CountSummary:
    profiles: dict[str, Profile] = field(default_factory=dict)
    conflicting: dict[str, int] = field(default_factory=dict)
    domains: dict[str, dict[str, DomainSummary]] = field(default_factory=dict)  # category -> domain -> summary
    # Counts made with a dedup option: the same, each fact counted once per cluster of duplicate documents
    # (floor.count.dedup); computed from all the counts at once once the buckets are summed (a sum has none).
    dedup: "CountSummary | None" = None

    def __add__(self, other: "CountSummary") -> "CountSummary":
        return CountSummary(_add(self.profiles, other.profiles), _add(self.conflicting, other.conflicting),
                            {category: _add(self.domains.get(category, {}), other.domains.get(category, {}))
                             for category in sorted(set(self.domains) | set(other.domains))})


def _add(mine: Mapping, theirs: Mapping) -> dict:
    total = dict(mine)
    for key, value in theirs.items():
        total[key] = total[key] + value if key in total else value
    return dict(sorted(total.items()))


def merge_tables(parts: Iterable[Mapping[str, FactTable]], rename: Mapping[str, str] | None = None,
                 ) -> dict[str, FactTable]:
    """Sum per-category tables of several parts (e.g. the same bucket of every input); ``rename`` maps table names
    to the ones they are summed under (see :func:`domain_renames`)."""
    merged: dict[str, FactTable] = {}
    for tables in parts:
        for name, table in tables.items():
            name = rename.get(name, name) if rename else name
            merged[name] = merged[name].merge(table) if name in merged else table
    return dict(sorted(merged.items()))


def summarize(tables: Mapping[str, FactTable]) -> CountSummary:
    """The summary of complete (fully merged) tables of one bucket, or of everything."""
    by_category: dict[str, dict[str | None, FactTable]] = {}
    for name, table in sorted(tables.items()):
        category, domain = split_name(name)
        by_category.setdefault(category, {})[domain] = table
    summary = CountSummary()
    for category, tables_of in by_category.items():
        domains = {d: t for d, t in tables_of.items() if d is not None}
        pooled = tables_of[None] if None in tables_of else _pooled(domains.values())
        summary.profiles[category] = pooled.profile()
        summary.conflicting[category] = pooled.conflicting_entities()
        if domains:
            summary.domains[category] = {domain: _domain_summary(table, pooled) for domain, table in domains.items()}
    return summary


def _pooled(tables: Iterable[FactTable]) -> FactTable:
    pooled = FactTable.empty()
    for table in tables:
        pooled = pooled.merge(table)
    return pooled


def _domain_summary(table: FactTable, pooled: FactTable) -> DomainSummary:
    # Every key of a domain's table is a key of its pooled table, where its count is the sum over domains.
    pooled_counts = pooled.counts[np.searchsorted(pooled.keys, table.keys)]
    rest = pooled_counts - table.counts
    return DomainSummary(table.profile(), table.conflicting_entities(),
                         pooled_singletons=int(np.count_nonzero(pooled_counts == 1)),
                         exclusive_facts=int(np.count_nonzero(rest == 0)),
                         new_singletons=int(np.count_nonzero(rest == 1)))


def reduce_bucket(parts: Iterable[Mapping[str, FactTable]], rename: Mapping[str, str] | None = None) -> CountSummary:
    """The reduce step: merge one bucket's tables from every part, then summarize."""
    return summarize(merge_tables(parts, rename))


def table_mentions(tables: Mapping[str, FactTable]) -> dict[str, int]:
    """Mentions per table name: what :func:`domain_renames` ranks domains by."""
    return {name: int(table.counts.sum()) for name, table in tables.items()}


def summed_mentions(mentions: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Mentions per table name summed over several parts (or buckets)."""
    total: dict[str, int] = {}
    for of_part in mentions:
        total = _add(total, of_part)
    return total


def domain_renames(mentions: Mapping[str, int], max_domains: int | None) -> dict[str, str]:
    """Table renames that keep the ``max_domains`` domains with the most mentions (over all categories; ties by
    name) and pool the others as :data:`OTHER_DOMAIN`. ``mentions``: per table name, of the complete counts, so
    the choice does not depend on which shard came first. Empty when nothing is to be pooled."""
    if max_domains is None:
        return {}
    totals: dict[str, int] = {}
    for name, number in mentions.items():
        _, domain = split_name(name)
        if domain is not None:
            totals[domain] = totals.get(domain, 0) + number
    if len(totals) <= max_domains:
        return {}
    kept = set(sorted(totals, key=lambda d: (-totals[d], d))[:max_domains])
    return {name: table_name(split_name(name)[0], OTHER_DOMAIN) for name in mentions
            if split_name(name)[1] is not None and split_name(name)[1] not in kept}
