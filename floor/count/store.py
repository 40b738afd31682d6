"""Fact counts on disk: a directory of Parquet buckets plus a JSON manifest (schema ``floor.counts/1``).

Facts are bucketed by entity hash, so every quantity the estimate stage needs (profiles, conflicting
entities) is computed bucket by bucket and added: no global group-by is ever needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import FloorError, SkipLog
from ..outputs import atomic_path
from ..profile import Profile
from .table import FactTable

COUNTS_SCHEMA = "floor.counts/1"
MANIFEST = "manifest.json"
DEFAULT_BUCKETS = 16


@dataclass
class Counts:
    """What a scan produced: per-category fact tables and how they were made."""

    tables: dict[str, FactTable]
    unit: str
    documents: int = 0
    inputs: list[str] = field(default_factory=list)
    skips: SkipLog = field(default_factory=SkipLog)
    params: dict = field(default_factory=dict)

    def profiles(self) -> dict[str, Profile]:
        return {category: table.profile() for category, table in self.tables.items()}

    def conflicting_entities(self) -> dict[str, int]:
        return {category: table.conflicting_entities() for category, table in self.tables.items()}


def write_counts(counts: Counts, path: str | Path, buckets: int = DEFAULT_BUCKETS) -> None:
    """Write ``counts`` as a directory, atomically (a failed write leaves nothing at ``path``)."""
    with atomic_path(path, directory=True) as tmp:
        for bucket in range(buckets):
            columns = {"category": [], "key": [], "entity": [], "count": []}
            for category, table in counts.tables.items():
                part = table.select(table.bucket_ids(buckets) == bucket)
                columns["category"].append(np.full(len(part), category, dtype=object))
                columns["key"].append(part.keys)
                columns["entity"].append(part.entities)
                columns["count"].append(part.counts)
            arrays = {
                "category": pa.array(_concat(columns["category"], object), pa.string()).dictionary_encode(),
                "key": pa.array(_concat(columns["key"], np.uint64)),
                "entity": pa.array(_concat(columns["entity"], np.uint64)),
                "count": pa.array(_concat(columns["count"], np.int64)),
            }
            pq.write_table(pa.table(arrays), tmp / f"bucket-{bucket:04d}.parquet")
        manifest = {
            "schema": COUNTS_SCHEMA,
            "unit": counts.unit,
            "documents": counts.documents,
            "buckets": buckets,
            "categories": sorted(counts.tables),
            "inputs": counts.inputs,
            "skipped": counts.skips.as_dict(),
            "params": counts.params,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_counts(path: str | Path) -> Counts:
    """Read a counts directory written by :func:`write_counts`."""
    path = Path(path)
    manifest = _read_manifest(path)
    tables: dict[str, FactTable] = {category: FactTable.empty() for category in manifest["categories"]}
    for bucket in range(manifest["buckets"]):
        file = path / f"bucket-{bucket:04d}.parquet"
        try:
            table = pq.read_table(file)
        except (OSError, pa.ArrowException) as exc:
            raise FloorError(f"{file}: cannot read counts bucket: {exc}") from None
        categories = table.column("category").to_numpy(zero_copy_only=False).astype(str)
        keys = table.column("key").to_numpy()
        entities = table.column("entity").to_numpy()
        values = table.column("count").to_numpy()
        for category in np.unique(categories):
            mask = categories == category
            part = FactTable(keys[mask], entities[mask], values[mask])
            tables[category] = tables.get(category, FactTable.empty()).merge(part)
    skips = SkipLog(on_error="skip")
    skipped = manifest.get("skipped", {})
    skips.counts.update(skipped.get("by_reason", {}))
    skips.examples.update(skipped.get("examples", {}))
    return Counts(
        tables=dict(sorted(tables.items())),
        unit=manifest["unit"],
        documents=manifest.get("documents", 0),
        inputs=manifest.get("inputs", []),
        skips=skips,
        params=manifest.get("params", {}),
    )


def is_counts_dir(path: str | Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


def _read_manifest(path: Path) -> dict:
    file = path / MANIFEST
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FloorError(f"{path}: not a floor counts directory (no {MANIFEST}); write one with 'floor scan -o DIR'") from None
    except (OSError, ValueError) as exc:
        raise FloorError(f"{file}: cannot read manifest: {exc}") from None
    if manifest.get("schema") != COUNTS_SCHEMA:
        raise FloorError(f"{file}: schema {manifest.get('schema')!r} is not {COUNTS_SCHEMA!r}")
    return manifest


def _concat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
