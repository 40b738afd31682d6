"""The local engine: map tasks over input files in this process (or a pool of processes), merged in input order."""

from __future__ import annotations

from typing import Sequence

from ..count import Counts
from ..errors import SkipLog
from ..sources import expand_inputs
from .tasks import ScanOptions, scan_file


def merge_counts(parts: Sequence[Counts], options: ScanOptions) -> Counts:
    """Sum the counts of disjoint inputs (fact tables add; documents add; skips add)."""
    tables = {}
    skips = SkipLog(on_error=options.on_error)
    documents = 0
    inputs: list[str] = []
    for part in parts:
        for category, table in part.tables.items():
            tables[category] = tables[category].merge(table) if category in tables else table
        skips.merge(part.skips)
        documents += part.documents
        inputs.extend(part.inputs)
    return Counts(tables=dict(sorted(tables.items())), unit=options.unit, documents=documents, inputs=inputs,
                  skips=skips, params=options.as_params())


def scan_local(inputs: Sequence[str], options: ScanOptions) -> Counts:
    paths = expand_inputs(inputs)
    return merge_counts([scan_file(path, options) for path in paths], options)
