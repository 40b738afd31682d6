"""Counting stage: how often each fact appears, as numpy tables of 64-bit fact hashes."""

from .counter import UNITS, FactCounter
from .store import Counts, is_counts_dir, read_counts, write_counts
from .table import FactTable, entity_hash, fact_hash

__all__ = [
    "UNITS", "FactCounter", "Counts", "is_counts_dir", "read_counts", "write_counts",
    "FactTable", "entity_hash", "fact_hash",
]
