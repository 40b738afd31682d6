"""Counting stage: how often each fact appears, as numpy tables of 64-bit fact hashes, reduced by bucket."""

from .counter import UNITS, FactCounter
from .identity import InputIdentity, identify
from .store import (COUNTS_SCHEMA, DEFAULT_BUCKETS, Counts, CountsDir, Plan, PlannedInput, coverage, merge_counts_dirs,
                    part_name, read_counts, write_counts)
from .summary import CountSummary, merge_tables, reduce_bucket, summarize
from .table import FactTable, entity_hash, fact_hash

__all__ = [
    "UNITS", "FactCounter", "COUNTS_SCHEMA", "DEFAULT_BUCKETS", "Counts", "CountsDir", "InputIdentity", "Plan",
    "PlannedInput", "coverage", "identify", "merge_counts_dirs", "part_name", "read_counts", "write_counts",
    "CountSummary", "merge_tables", "reduce_bucket", "summarize", "FactTable", "entity_hash", "fact_hash",
]
