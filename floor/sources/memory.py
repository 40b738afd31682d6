"""Corpora held in memory (a notebook's): written to files once, then read as any input is.

``floor.run`` takes, besides paths, a pyarrow ``Table``, ``RecordBatchReader`` or iterable of ``RecordBatch``es,
anything with a ``to_parquet(path)`` method (a Hugging Face ``datasets.Dataset``, a pandas ``DataFrame``), an
iterable of dicts (records, as JSON lines hold them: a ``datasets.IterableDataset`` is one), or an iterable of
texts that is not a list or tuple (those name files): a generator, ``iter(texts)``. The data is written
to a temporary Parquet or JSON Lines file, so extraction, counting and the report are exactly those of the same
rows in a file.
"""

from __future__ import annotations

import itertools
import os
from typing import Any, Iterable

import orjson

from ..errors import FloorError

MEMORY = "<memory>"
"""How a report names an input that was held in memory."""


def is_paths(inputs: Any) -> bool:
    """``inputs`` names files (a path, or a list or tuple of paths), as opposed to data held in memory."""
    if isinstance(inputs, (str, os.PathLike)):
        return True
    return isinstance(inputs, (list, tuple)) and all(isinstance(item, (str, os.PathLike)) for item in inputs)


def write_data(data: Any, folder: str, text_field: str = "text") -> str:
    """Write in-memory ``data`` (see the module docstring) to a file in ``folder``; its path. An iterable of
    strings (not a list or tuple, which name files) is of texts, each a record with ``text_field``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = os.path.join(folder, "memory.parquet")
    if isinstance(data, pa.Table):
        pq.write_table(data, parquet)
        return parquet
    if isinstance(data, pa.RecordBatchReader):
        data = iter(data)
    elif hasattr(data, "to_parquet"):
        data.to_parquet(parquet)
        return parquet
    if isinstance(data, (str, bytes, dict)) or not isinstance(data, Iterable):
        raise FloorError(f"cannot read {type(data).__name__} as a corpus: give paths, a pyarrow Table or record "
                         "batches, a datasets.Dataset or DataFrame, or an iterable of dicts")
    items = iter(data)
    first = next(items, None)
    if first is None:
        raise FloorError("the in-memory corpus holds no records")
    items = itertools.chain([first], items)
    if isinstance(first, pa.RecordBatch):
        with pq.ParquetWriter(parquet, first.schema) as writer:
            for batch in items:
                writer.write_batch(batch)
        return parquet
    if isinstance(first, str):
        items = (_text_record(item, number, text_field) for number, item in enumerate(items, 1))
    elif not isinstance(first, dict):
        raise FloorError(f"an in-memory corpus is an iterable of dicts (records) or of texts, not of "
                         f"{type(first).__name__}")
    return _write_records(items, os.path.join(folder, "memory.jsonl"))


def _text_record(text: Any, number: int, field: str) -> dict:
    if not isinstance(text, str):
        raise FloorError(f"{MEMORY}: record {number} is a {type(text).__name__}, not a text like the records before it")
    return {field: text}


def _write_records(records: Iterable[dict], path: str) -> str:
    with open(path, "wb") as handle:
        for number, record in enumerate(records, 1):
            if not isinstance(record, dict):
                raise FloorError(f"{MEMORY}: record {number} is a {type(record).__name__}, not a dict")
            try:
                handle.write(orjson.dumps(record) + b"\n")
            except TypeError as exc:
                raise FloorError(f"{MEMORY}: record {number} cannot be written as JSON: {exc}") from None
    return path
