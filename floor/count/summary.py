"""What the estimate stage needs from counts: per-category profiles and conflicting-entity counts.

Summaries of disjoint fact sets add, and buckets partition facts by entity, so a summary is computed one
bucket at a time and summed: memory is bounded by the largest bucket, never by the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..profile import Profile
from .table import FactTable


@dataclass
class CountSummary:
    profiles: dict[str, Profile] = field(default_factory=dict)
    conflicting: dict[str, int] = field(default_factory=dict)

    def __add__(self, other: "CountSummary") -> "CountSummary":
        profiles = dict(self.profiles)
        for category, profile in other.profiles.items():
            profiles[category] = profiles[category] + profile if category in profiles else profile
        conflicting = dict(self.conflicting)
        for category, number in other.conflicting.items():
            conflicting[category] = conflicting.get(category, 0) + number
        return CountSummary(dict(sorted(profiles.items())), dict(sorted(conflicting.items())))


def merge_tables(parts: Iterable[Mapping[str, FactTable]]) -> dict[str, FactTable]:
    """Sum per-category tables of several parts (e.g. the same bucket of every input)."""
    merged: dict[str, FactTable] = {}
    for tables in parts:
        for category, table in tables.items():
            merged[category] = merged[category].merge(table) if category in merged else table
    return dict(sorted(merged.items()))


def summarize(tables: Mapping[str, FactTable]) -> CountSummary:
    """The summary of complete (fully merged) tables of one bucket, or of everything."""
    return CountSummary(
        profiles={category: table.profile() for category, table in sorted(tables.items())},
        conflicting={category: table.conflicting_entities() for category, table in sorted(tables.items())},
    )


def reduce_bucket(parts: Iterable[Mapping[str, FactTable]]) -> CountSummary:
    """The reduce step: merge one bucket's tables from every part, then summarize."""
    return summarize(merge_tables(parts))
