"""Fact counts on disk (schema ``floor.counts/1``): the map/reduce layout shared by every engine.

    DIR/manifest.json                       buckets, unit, scan parameters
    DIR/parts/NAME/part.json                inputs, documents, skipped records of this part
    DIR/parts/NAME/bucket-BBBB-SSSS.parquet facts of bucket BBBB (columns category, key, entity, count),
                                            spill SSSS (a part may spill several times to bound memory)

A part is written under a temporary name and renamed into place when complete, so a part directory that
exists is complete: it is the completion marker of its inputs, and a killed scan resumes by skipping them.
Facts are bucketed by entity hash, so reducing bucket by bucket (merging that bucket's files from every
part) gives exact profiles and conflicting-entity counts without ever holding all facts in memory.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from ..errors import FloorError, SkipLog
from ..outputs import atomic_open, atomic_path
from ..sources.splits import Split
from .summary import CountSummary, merge_tables, reduce_bucket, summarize
from .table import FactTable

COUNTS_SCHEMA = "floor.counts/1"
MANIFEST = "manifest.json"
PART_META = "part.json"
DEFAULT_BUCKETS = 16
_TEMP_PREFIX = ".tmp-"


@dataclass
class Counts:
    """Counts held in memory: per-category fact tables and how they were made."""

    tables: dict[str, FactTable]
    unit: str
    documents: int = 0
    inputs: list[str] = field(default_factory=list)
    skips: SkipLog = field(default_factory=SkipLog)
    params: dict = field(default_factory=dict)

    def summary(self) -> CountSummary:
        return summarize(self.tables)

    def metadata(self) -> dict:
        return {"inputs": sorted(self.inputs), "documents": self.documents, "skips": self.skips}

    def profiles(self):
        return self.summary().profiles

    def conflicting_entities(self):
        return self.summary().conflicting


def part_name(inputs: Sequence[str], split: Split | None = None) -> str:
    """A stable name for the part holding ``inputs`` (or one ``split`` of one input): the same inputs always
    map to the same part."""
    key = "\n".join(sorted(inputs)) + ("" if split is None else f"\n@{split.start}-{split.end}")
    return xxhash.xxh3_64_hexdigest(key.encode())


class PartWriter:
    """Writes one part: spills of bucketed tables, then its metadata; the part appears only on :meth:`commit`."""

    def __init__(self, counts_dir: "CountsDir", name: str):
        self.target = counts_dir.parts_dir / name
        self.tmp = counts_dir.parts_dir / f"{_TEMP_PREFIX}{name}"
        self.buckets = counts_dir.buckets
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        self._spills = 0

    def write_spill(self, tables: Mapping[str, FactTable]) -> None:
        """Write ``tables`` split into bucket files (only buckets that hold facts get a file)."""
        names = list(tables)
        columns: dict[int, dict[str, list]] = {}
        for code, (category, table) in enumerate(tables.items()):
            ids = table.bucket_ids(self.buckets)
            for bucket in np.unique(ids):
                part = table.select(ids == bucket)
                cols = columns.setdefault(int(bucket), {"category": [], "key": [], "entity": [], "count": []})
                cols["category"].append(np.full(len(part), code, dtype=np.int32))
                cols["key"].append(part.keys)
                cols["entity"].append(part.entities)
                cols["count"].append(part.counts)
        for bucket, cols in columns.items():
            table = pa.table({
                "category": _category_column(np.concatenate(cols["category"]), names),
                "key": _arrow(np.concatenate(cols["key"])),
                "entity": _arrow(np.concatenate(cols["entity"])),
                "count": _arrow(np.concatenate(cols["count"])),
            })
            pq.write_table(table, self.tmp / f"bucket-{bucket:04d}-{self._spills:04d}.parquet")
        self._spills += 1

    def commit(self, inputs: Sequence[str], documents: int, skips: SkipLog, split: Split | None = None) -> None:
        meta = {"inputs": sorted(inputs), "documents": documents, "skipped": skips.as_dict()}
        if split is not None:
            meta["split"] = split._asdict()
        (self.tmp / PART_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if self.target.exists():
            shutil.rmtree(self.target)
        self.tmp.rename(self.target)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


class CountsDir:
    """A counts directory: complete parts plus the manifest that says how they were made."""

    def __init__(self, path: str | Path, manifest: dict):
        self.path = Path(path)
        self.manifest = manifest

    # --- creating and opening -----------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, unit: str, params: dict, buckets: int = DEFAULT_BUCKETS,
               resume: bool = False, split_bytes: int | None = None) -> "CountsDir":
        """A new counts directory at ``path``, or with ``resume`` the existing one (which must match).

        ``split_bytes``: the split size its scans plan with (:func:`floor.engines.tasks.plan_tasks`). A resumed
        scan keeps the directory's own (``None`` in a directory made before splits: files are read whole), so
        its splits never overlap the completed ones.
        """
        path = Path(path)
        manifest = {"schema": COUNTS_SCHEMA, "buckets": buckets, "unit": unit, "params": params}
        if split_bytes is not None:
            manifest["split_bytes"] = split_bytes
        if (path / MANIFEST).exists():
            if not resume:
                raise FloorError(f"{path}: counts directory exists; pass --resume to continue it, or choose a new path")
            existing = cls.open(path)
            existing.check_compatible(manifest, what="--resume")
            existing.remove_temporary_parts()
            return existing
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise FloorError(f"{path}: exists and is not a floor counts directory")
        path.mkdir(parents=True, exist_ok=True)
        with atomic_open(path / MANIFEST, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, indent=2) + "\n")
        return cls(path, manifest)

    @classmethod
    def open(cls, path: str | Path) -> "CountsDir":
        path = Path(path)
        file = path / MANIFEST
        try:
            manifest = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FloorError(f"{path}: not a floor counts directory (no {MANIFEST}); write one with 'floor scan -o DIR'") from None
        except (OSError, ValueError) as exc:
            raise FloorError(f"{file}: cannot read manifest: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("schema") != COUNTS_SCHEMA:
            raise FloorError(f"{file}: not a {COUNTS_SCHEMA} manifest")
        return cls(path, manifest)

    def check_compatible(self, manifest: Mapping, what: str) -> None:
        """Counts can only be combined if they were made the same way."""
        for key in ("buckets", "unit"):
            if self.manifest.get(key) != manifest.get(key):
                raise FloorError(f"{self.path}: {what}: {key} is {self.manifest.get(key)!r} here, "
                                 f"not {manifest.get(key)!r}")
        mine, theirs = _scan_identity(self.manifest.get("params", {})), _scan_identity(manifest.get("params", {}))
        differing = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k))
        if differing:
            raise FloorError(f"{self.path}: {what}: made with different scan options ({', '.join(differing)})")

    # --- parts ----------------------------------------------------------------------------------------------------
    @property
    def buckets(self) -> int:
        return int(self.manifest["buckets"])

    @property
    def unit(self) -> str:
        return self.manifest["unit"]

    @property
    def params(self) -> dict:
        return self.manifest.get("params", {})

    @property
    def split_bytes(self) -> int | None:
        """The split size of scans into this directory (``None``: files are read whole)."""
        return self.manifest.get("split_bytes")

    @property
    def parts_dir(self) -> Path:
        return self.path / "parts"

    def part_dirs(self) -> list[Path]:
        if not self.parts_dir.is_dir():
            return []
        return sorted(p for p in self.parts_dir.iterdir() if p.is_dir() and not p.name.startswith(_TEMP_PREFIX))

    def remove_temporary_parts(self) -> None:
        if self.parts_dir.is_dir():
            for tmp in self.parts_dir.glob(f"{_TEMP_PREFIX}*"):
                shutil.rmtree(tmp, ignore_errors=True)

    def part_meta(self, part: Path) -> dict:
        try:
            return json.loads((part / PART_META).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FloorError(f"{part}: cannot read part metadata: {exc}") from None

    def _metas(self) -> list[dict]:
        return [self.part_meta(part) for part in self.part_dirs()]

    def _done(self, metas: list[dict]) -> tuple[set[str], dict[str, tuple[int, int, set[tuple[int, int]]]]]:
        """The inputs counted whole, and per input read in splits: its split count, its size when it was split
        and the ``(start, end)`` of the splits completed."""
        whole: set[str] = set()
        splits: dict[str, tuple[int, int, set[tuple[int, int]]]] = {}
        for meta in metas:
            split = meta.get("split")
            for path in meta["inputs"]:
                if split is None:
                    whole.add(path)
                    continue
                count, size, done = splits.setdefault(path, (split["count"], split["size"], set()))
                if (count, size) != (split["count"], split["size"]):
                    raise FloorError(f"{self.path}: {path} changed while it was scanned in splits (sizes {size} and "
                                     f"{split['size']} bytes); scan it again into a new directory")
                done.add((split["start"], split["end"]))
        return whole, splits

    def completed_inputs(self) -> set[str]:
        """Inputs counted in full: by a part of their own, or by all of their splits."""
        whole, splits = self._done(self._metas())
        return whole | {path for path, (count, _, done) in splits.items() if len(done) == count}

    def pending(self, tasks: Sequence) -> list:
        """The map tasks (``(path, split)`` pairs, see :func:`floor.engines.tasks.plan_tasks`) not completed.

        A file partly scanned in splits must be as it was: splits of a changed file would overlap the old ones.
        """
        whole, splits = self._done(self._metas())
        todo = []
        for task in tasks:
            if task.split is None:
                if task.path not in whole:
                    todo.append(task)
                continue
            count, size, done = splits.get(task.path, (task.split.count, task.split.size, set()))
            if (count, size) != (task.split.count, task.split.size):
                raise FloorError(f"{self.path}: {task.path} is {task.split.size} bytes now, {size} when it was partly "
                                 "scanned; scan it again into a new directory")
            if (task.split.start, task.split.end) not in done:
                todo.append(task)
        return todo

    def _check_complete(self, metas: list[dict]) -> None:
        for path, (count, _, done) in sorted(self._done(metas)[1].items()):
            if len(done) < count:
                raise FloorError(f"{self.path}: {path} was only partly scanned ({len(done)} of {count} splits); "
                                 "finish it with 'floor scan ... -o DIR --resume'")

    def writer(self, name: str) -> PartWriter:
        return PartWriter(self, name)

    # --- reading --------------------------------------------------------------------------------------------------
    def read_bucket(self, bucket: int) -> Iterator[dict[str, FactTable]]:
        """The tables of ``bucket`` from every part and spill (to be merged by the caller)."""
        for part in self.part_dirs():
            for file in sorted(part.glob(f"bucket-{bucket:04d}-*.parquet")):
                yield _read_bucket_file(file)

    def summary(self) -> CountSummary:
        """Profiles and conflicting entities, reduced bucket by bucket."""
        self._check_complete(self._metas())
        total = CountSummary()
        for bucket in range(self.buckets):
            total = total + reduce_bucket(self.read_bucket(bucket))
        return total

    def metadata(self) -> dict:
        """Inputs, documents and skipped records of all parts, in an order independent of how they were made."""
        skips = SkipLog(on_error="skip")
        inputs: set[str] = set()
        documents = 0
        metas = self._metas()
        self._check_complete(metas)
        for meta in metas:
            inputs.update(meta["inputs"])
            documents += meta["documents"]
            skips.merge(SkipLog.from_dict(meta.get("skipped", {})))
        return {"inputs": sorted(inputs), "documents": documents, "skips": skips}

    def load(self) -> Counts:
        """Everything in memory (for small counts and notebooks; estimates use :meth:`summary`)."""
        tables = merge_tables(merge_tables(self.read_bucket(b)) for b in range(self.buckets))
        meta = self.metadata()
        return Counts(tables=tables, unit=self.unit, documents=meta["documents"], inputs=meta["inputs"],
                      skips=meta["skips"], params=self.params)


def _scan_identity(params: Mapping) -> dict:
    """The scan options that change what is counted (not how errors are handled)."""
    return {k: v for k, v in params.items() if k != "on_error"}


def _read_bucket_file(file: Path) -> dict[str, FactTable]:
    try:
        table = pq.ParquetFile(file).read()
    except (OSError, pa.ArrowException) as exc:
        raise FloorError(f"{file}: cannot read counts bucket: {exc}") from None
    try:
        categories = table.column("category").combine_chunks()
        if not isinstance(categories, pa.DictionaryArray):
            categories = categories.dictionary_encode()
        names = categories.dictionary.to_pylist()
        codes = _numpy(categories.indices, np.int32)
        keys = _numpy(table.column("key"), np.uint64)
        entities = _numpy(table.column("entity"), np.uint64)
        counts = _numpy(table.column("count"), np.int64)
    except (KeyError, ValueError) as exc:
        raise FloorError(f"{file}: not a counts bucket: {exc}") from None
    tables = {}
    for code, name in enumerate(names):
        mask = codes == code
        if mask.any():
            # Rows of one category in one file are sorted and unique (written from a FactTable).
            tables[name] = FactTable(keys[mask], entities[mask], counts[mask])
    return tables


# Arrow arrays go to and from numpy through their buffers, and files are read with ParquetFile: pa.array(),
# to_numpy() and pq.read_table() import pandas (~0.4 s), once in every worker process.
def _arrow(values: np.ndarray) -> pa.Array:
    """A zero-copy Arrow array of a 1-D numpy array of fixed-width numbers."""
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), len(values), [None, pa.py_buffer(values)])


def _numpy(column: pa.Array | pa.ChunkedArray, dtype) -> np.ndarray:
    """A zero-copy numpy view of a column of fixed-width numbers without nulls."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if array.type != pa.from_numpy_dtype(dtype):
        raise ValueError(f"expected a {np.dtype(dtype).name} column, got {array.type}")
    if array.null_count:
        raise ValueError(f"{array.null_count} null values in a {array.type} column")
    itemsize = np.dtype(dtype).itemsize
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * itemsize)


def _category_column(codes: np.ndarray, names: Sequence[str]) -> pa.DictionaryArray:
    """Dictionary-encoded category names: ``names[codes[i]]`` in row ``i``."""
    encoded = [name.encode("utf-8") for name in names]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    dictionary = pa.Array.from_buffers(pa.string(), len(encoded),
                                       [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])
    return pa.DictionaryArray.from_arrays(_arrow(codes), dictionary)


def write_counts(counts: Counts, path: str | Path, buckets: int = DEFAULT_BUCKETS) -> CountsDir:
    """Write in-memory ``counts`` as a new counts directory with one part, atomically."""
    with atomic_path(path, directory=True) as tmp:
        counts_dir = CountsDir.create(tmp, unit=counts.unit, params=counts.params, buckets=buckets)
        writer = counts_dir.writer(part_name(counts.inputs))
        writer.write_spill(counts.tables)
        writer.commit(counts.inputs, counts.documents, counts.skips)
    return CountsDir.open(path)


def read_counts(path: str | Path) -> Counts:
    return CountsDir.open(path).load()


def merge_counts_dirs(sources: Sequence[str | Path], output: str | Path) -> CountsDir:
    """Reduce several counts directories of disjoint inputs into one, bucket by bucket (one part)."""
    dirs = [CountsDir.open(s) for s in sources]
    if not dirs:
        raise FloorError("merge needs at least one counts directory")
    first = dirs[0]
    seen: dict[str, Path] = {}
    for counts_dir in dirs:
        counts_dir.check_compatible(first.manifest, what="merge")
        for path in counts_dir.completed_inputs():
            if path in seen:
                raise FloorError(f"{path} is counted in both {seen[path]} and {counts_dir.path}; "
                                 "merging would count it twice")
            seen[path] = counts_dir.path
    with atomic_path(output, directory=True) as tmp:
        merged = CountsDir.create(tmp, unit=first.unit, params=first.params, buckets=first.buckets)
        metas = [d.metadata() for d in dirs]
        inputs = sorted(p for m in metas for p in m["inputs"])
        writer = merged.writer(part_name(inputs))
        for bucket in range(first.buckets):
            writer.write_spill(merge_tables(t for d in dirs for t in d.read_bucket(bucket)))
        skips = SkipLog(on_error="skip")
        for meta in metas:
            skips.merge(meta["skips"])
        writer.commit(inputs, sum(m["documents"] for m in metas), skips)
    return CountsDir.open(output)
