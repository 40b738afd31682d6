"""Fact counts on disk (schema ``floor.counts/1``): the map/reduce layout shared by every engine.

    DIR/manifest.json                       buckets, unit, scan parameters
    DIR/plan.json                           what the directory is to count: each input with its identity
                                            (:mod:`floor.count.identity`) and splits; written before any part
    DIR/.lock                               locked (flock) while a scan writes the directory
    DIR/parts/NAME/part.json                inputs (with their identities), documents (per domain too, with a
                                            domain option), skipped records of this part
    DIR/parts/NAME/bucket-BBBB-SSSS.parquet facts of bucket BBBB (columns category, key, entity, count),
                                            spill SSSS (a part may spill several times to bound memory)
    DIR/parts/NAME/dedup-bands-SSSS.parquet with --dedup: the band keys of each document with facts (columns
                                            doc, band), with --dedup near its MinHash signature in
                                            dedup-signatures-SSSS.parquet (doc, signature), and its facts in
                                            dedup-facts-SSSS.parquet (doc, category, key, entity, count); see
                                            floor.count.dedup

A part is written under a temporary name and renamed into place when complete, so a part directory that
exists is complete: it is the completion marker of its inputs, and a killed scan resumes by skipping them.
The plan says what is missing: a directory is complete when every planned input is counted, whole or in all of
its splits, by exactly one part; estimates refuse an incomplete one unless asked for a partial estimate, and
then read only the parts of completed inputs. A directory made by a floor that wrote no plan is read as its
parts say, as then (its ``coverage`` says ``complete: null``: nothing to check it against).
Facts are bucketed by entity hash, so reducing bucket by bucket (merging that bucket's files from every
part) gives exact profiles and conflicting-entity counts without ever holding all facts in memory.

Everything read from a directory is checked where it is read, and a problem is a one-line
:class:`~floor.errors.FloorError` naming the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from ..errors import FloorError, SkipLog
from ..outputs import (LOCK_NAME, DirectoryBusy, DirectoryLock, atomic_open, remove_stale_temporaries,
                       staged_directory)
from ..sources.splits import Split
from .counter import UNITS
from .dedup import DEDUP_MODES, NUM_PERM, DedupRecords, combined, dedup_tables
from .identity import InputIdentity
from .summary import (CountSummary, domain_renames, merge_tables, reduce_bucket, summarize, summed_mentions,
                      table_mentions)
from .table import FactTable

COUNTS_SCHEMA = "floor.counts/1"
MANIFEST = "manifest.json"
PLAN = "plan.json"
PART_META = "part.json"
DEFAULT_BUCKETS = 16
MAX_BUCKETS = 9999  # bucket numbers are written with four digits
_TEMP_PREFIX = ".tmp-"
_BUCKET_FILE = re.compile(r"bucket-(\d{4})-(\d{4})\.parquet")
_DEDUP_FILE = re.compile(r"dedup-(bands|signatures|facts)-(\d{4})\.parquet")
# What a scan killed before it wrote its manifest can have left in its directory (besides nothing).
_BEFORE_MANIFEST = re.compile(rf"{re.escape(LOCK_NAME)}|{re.escape(PLAN)}|parts|\.({re.escape(PLAN)}|"
                              rf"{re.escape(MANIFEST)})\.[a-z0-9_]{{8}}\.tmp")
_SHOWN_MISSING = 3  # missing inputs named in an error message


@dataclass
class Counts:
    """Counts held in memory: per-category fact tables and how they were made."""

    tables: dict[str, FactTable]
    unit: str
    documents: int = 0
    inputs: list[str] = field(default_factory=list)
    skips: SkipLog = field(default_factory=SkipLog)
    params: dict = field(default_factory=dict)
    coverage: dict | None = None
    dedup: DedupRecords | None = None  # of counts made with a dedup option
    domain_documents: dict[str, int] | None = None  # documents read per domain (counts made with a domain option)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # files found that are no corpus files

    def summary(self, max_domains: int | None = None) -> CountSummary:
        """Profiles and conflicting entities (per domain too, the ``max_domains`` largest kept, the rest pooled as
        ``other``: :func:`~floor.count.summary.domain_renames`), and the deduplicated ones of counts made with a
        dedup option."""
        rename = domain_renames(table_mentions(self.tables), max_domains)
        summary = summarize(merge_tables([self.tables], rename))
        if self.dedup is not None:
            summary.dedup = summarize(dedup_tables(self.dedup, self.params.get("dedup_threshold"), rename))
        return summary

    def metadata(self) -> dict:
        return {"inputs": sorted(self.inputs), "documents": self.documents, "skips": self.skips,
                "coverage": self.coverage, "domain_documents": self.domain_documents, "left_out": self.left_out}

    def profiles(self):
        return self.summary().profiles

    def conflicting_entities(self):
        return self.summary().conflicting


def coverage(complete: bool | None, planned: int | None, counted: int, missing: Sequence[str] = ()) -> dict:
    """The ``coverage`` of a report: whether every input that the counts were to hold is counted (``None``:
    unknown, a directory without a plan), how many were planned and counted, and which are missing."""
    return {"complete": complete, "inputs_planned": planned, "inputs_counted": counted,
            "missing_inputs": sorted(missing)}


def part_name(inputs: Sequence[str], split: Split | None = None) -> str:
    """A stable name for the part holding ``inputs`` (or one ``split`` of one input): the same inputs always
    map to the same part."""
    key = "\n".join(sorted(inputs)) + ("" if split is None else f"\n@{split.start}-{split.end}")
    return xxhash.xxh3_64_hexdigest(key.encode())


# --- the plan -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlannedInput:
    """One input a directory is to count: its path as given, its identity (``None`` for stdin and what has none)
    and its number of splits (``None``: read whole)."""

    path: str
    identity: InputIdentity | None = None
    splits: int | None = None

    @property
    def key(self) -> tuple:
        return self.identity.key if self.identity is not None else ("path", self.path)

    def as_dict(self) -> dict:
        return {**(self.identity.as_dict() if self.identity else {"path": self.path}), "splits": self.splits}

    def same_input(self, other: "PlannedInput") -> bool:
        if self.identity is not None and other.identity is not None:
            return self.identity.same_input(other.identity)
        return self.path == other.path


@dataclass(frozen=True)
class Plan:
    """What a counts directory is to count: the inputs of a scan (``kind="scan"``), or of the directories a merge
    combined (``kind="merge"``, ``sources``); and the files its inputs turned up that were left out as no corpus
    files, ``(path, reason)`` (:func:`floor.sources.expand_inputs`)."""

    kind: str
    inputs: tuple[PlannedInput, ...]
    sources: tuple[str, ...] = ()
    left_out: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of_tasks(cls, tasks: Sequence, left_out: Sequence[tuple[str, str]] = ()) -> "Plan":
        """The plan of map tasks (:func:`floor.engines.tasks.plan_tasks`): each input once, with its splits."""
        inputs: dict[str, PlannedInput] = {}
        for task in tasks:
            inputs.setdefault(task.path, PlannedInput(task.path, task.source,
                                                      None if task.split is None else task.split.count))
        return cls("scan", tuple(inputs.values()), left_out=tuple(map(tuple, left_out)))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "inputs": [i.as_dict() for i in self.inputs], "sources": list(self.sources),
                "left_out": [list(entry) for entry in self.left_out]}

    @classmethod
    def from_dict(cls, data, where: str) -> "Plan":
        if not isinstance(data, dict) or data.get("kind") not in ("scan", "merge"):
            raise FloorError(f"{where}: not a plan (an object with kind 'scan' or 'merge')")
        entries, sources, left_out = data.get("inputs"), data.get("sources", []), data.get("left_out", [])
        if not isinstance(entries, list) or not _strings(sources):
            raise FloorError(f"{where}: 'inputs' must be a list and 'sources' a list of strings")
        if not isinstance(left_out, list) or not all(isinstance(e, list) and len(e) == 2 and _strings(e)
                                                     for e in left_out):
            raise FloorError(f"{where}: 'left_out' must be a list of [path, reason] pairs of strings")
        inputs = tuple(_planned_input(entry, where) for entry in entries)
        keys: set[tuple] = set()
        for planned in inputs:
            if planned.key in keys:
                raise FloorError(f"{where}: {planned.path} is planned twice")
            keys.add(planned.key)
        return cls(data["kind"], inputs, tuple(sources), tuple(map(tuple, left_out)))

    def same_inputs(self, other: "Plan") -> bool:
        return Counter(i.key for i in self.inputs) == Counter(i.key for i in other.inputs)

    def resume(self, tasks: Sequence, where: Path, started: set[int]) -> tuple["Plan", list[tuple[int, object]]]:
        """The plan for a resumed scan of ``tasks``, and ``(input index, task)`` for each task, carrying its
        input's planned identity.

        The inputs must be the planned ones (by identity, however they are spelled now). One that changed since
        is refused if any of it is counted (its counts would be stale); if none is (its input indices are not
        in ``started``), it is planned anew as it is now.
        """
        if self.kind != "scan":
            raise FloorError(f"{where}: a merged counts directory cannot be resumed; resume the scans it was "
                             f"merged from ({', '.join(self.sources)}) and merge again")
        by_real = {p.identity.real: i for i, p in enumerate(self.inputs) if p.identity is not None}
        by_path = {p.path: i for i, p in enumerate(self.inputs)}
        inputs = list(self.inputs)
        given: dict[int, str] = {}
        out = []
        for task in tasks:
            index = by_real.get(task.source.real) if task.source is not None else None
            index = by_path.get(task.path) if index is None else index
            if index is None:
                raise FloorError(f"{where}: --resume: {task.path} is not among the {len(inputs):,} inputs of the scan "
                                 "it continues; give the same inputs (scan others into another directory and merge)")
            first = given.setdefault(index, task.path)
            if first != task.path:
                raise FloorError(f"{where}: --resume: {first} and {task.path} are the same input of the scan it "
                                 "continues; give it once")
            planned = inputs[index]
            splits = None if task.split is None else task.split.count
            change = _change(planned.identity, task.source)
            if change and index in started:
                raise FloorError(f"{task.path} changed since {where} began counting it ({change}); its counts there "
                                 "would be stale: restore the file, or scan the inputs into a new directory")
            if change:
                source = None if task.source is None else replace(task.source, path=planned.path)
                planned = inputs[index] = PlannedInput(planned.path, source, splits)
            elif splits != planned.splits:
                raise FloorError(f"{where}: --resume: {task.path} would be read in {splits or 1} parts, but the "
                                 f"scan it continues planned {planned.splits or 1}")
            out.append((index, task._replace(source=planned.identity)))
        unmatched = [p.path for i, p in enumerate(inputs) if i not in given]
        if unmatched:
            raise FloorError(f"{where}: --resume: {_listing(unmatched)} {'is' if len(unmatched) == 1 else 'are'} "
                             "among the inputs of the scan it continues but not given now; give the same inputs")
        return replace(self, inputs=tuple(inputs)), out


def _change(then: InputIdentity | None, now: InputIdentity | None) -> str:
    """How an input differs from its planned version, in words ('' if it does not)."""
    if then is None and now is None:
        return ""
    return "it could not be read then" if then is None else "it cannot be read now" if now is None else then.change(now)


def _planned_input(entry, where: str) -> PlannedInput:
    if not isinstance(entry, dict) or type(entry.get("path")) is not str:
        raise FloorError(f"{where}: a planned input must be an object with a 'path', not {entry!r}")
    splits = entry.get("splits")
    if splits is not None and not (type(splits) is int and splits >= 1):
        raise FloorError(f"{where}: {entry['path']}: 'splits' must be a whole number >= 1 or null, not {splits!r}")
    identity = InputIdentity.from_dict(entry, where) if "real" in entry else None
    return PlannedInput(entry["path"], identity, splits)


# --- parts ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """A complete part, as checked when read: its inputs (with their identities: ``None`` in a part written by
    a floor that recorded none), documents (per domain: ``None`` without domains, or in a part written by a floor
    that did not count them), skips, split, and bucket files by bucket."""

    path: Path
    inputs: tuple[str, ...]
    identities: tuple[InputIdentity | None, ...] | None
    documents: int
    skips: SkipLog
    split: Split | None
    files: Mapping[int, tuple[Path, ...]]
    rows: Mapping[str, int] | None = None  # facts per bucket file, by name (None: a part that recorded none)
    dedup_files: Mapping[str, int] = field(default_factory=dict)  # rows per dedup file, by name
    domain_documents: Mapping[str, int] | None = None

    def sources(self) -> list[PlannedInput]:
        identities = self.identities or (None,) * len(self.inputs)
        return [PlannedInput(path, identity) for path, identity in zip(self.inputs, identities)]


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
        self._rows: dict[str, int] = {}
        self._dedup_rows: dict[str, int] = {}

    def write_spill(self, tables: Mapping[str, FactTable], records: DedupRecords | None = None) -> None:
        """Write ``tables`` split into bucket files (only buckets that hold facts get a file, naming only the
        tables it holds facts of), and dedup ``records`` (if any) into two dedup files. The rows of a bucket file
        are in table order, each table's keys sorted."""
        if records is not None and records.band_docs.size:
            self._write_records(records)
        names = list(tables)
        if names:
            codes = np.concatenate([np.full(len(t), code, dtype=np.int32) for code, t in enumerate(tables.values())])
            keys, entities, counts = (np.concatenate([getattr(t, column) for t in tables.values()])
                                      for column in ("keys", "entities", "counts"))
            # One stable sort by bucket for all tables at once (per-domain counts may hold many small tables).
            buckets = (entities % np.uint64(self.buckets)).astype(np.int64)
            order = np.argsort(buckets, kind="stable")
            buckets = buckets[order]
            for start, end in _runs(buckets):
                rows = order[start:end]
                self._write_bucket(int(buckets[start]), codes[rows], names, keys[rows], entities[rows], counts[rows])
        self._spills += 1

    def _write_bucket(self, bucket: int, codes: np.ndarray, names: Sequence[str], keys: np.ndarray,
                      entities: np.ndarray, counts: np.ndarray) -> None:
        present, codes = np.unique(codes, return_inverse=True)
        table = pa.table({
            "category": _category_column(codes.astype(np.int32), [names[c] for c in present]),
            "key": _arrow(keys),
            "entity": _arrow(entities),
            "count": _arrow(counts),
        })
        file = self.tmp / f"bucket-{bucket:04d}-{self._spills:04d}.parquet"
        try:
            pq.write_table(table, file)
        except (OSError, pa.ArrowException) as exc:  # Arrow's message does not say which file (a full disk)
            raise FloorError(f"{file}: cannot write ({exc})") from None
        self._rows[file.name] = table.num_rows

    def _write_records(self, records: DedupRecords) -> None:
        files = {"bands": pa.table({"doc": _arrow(records.band_docs), "band": _arrow(records.band_keys)})}
        if records.signature_docs.size:
            signatures = pa.FixedSizeListArray.from_arrays(_arrow(records.signatures.ravel()), NUM_PERM)
            files["signatures"] = pa.table({"doc": _arrow(records.signature_docs), "signature": signatures})
        files["facts"] = pa.table({"doc": _arrow(records.fact_docs),
                          "category": _category_column(records.fact_names, records.names),
                          "key": _arrow(records.fact_keys), "entity": _arrow(records.fact_entities),
                          "count": _arrow(records.fact_counts)})
        for kind, table in files.items():
            file = self.tmp / f"dedup-{kind}-{self._spills:04d}.parquet"
            try:
                pq.write_table(table, file)
            except (OSError, pa.ArrowException) as exc:
                raise FloorError(f"{file}: cannot write ({exc})") from None
            self._dedup_rows[file.name] = table.num_rows

    def commit(self, inputs: Sequence[PlannedInput], documents: int, skips: SkipLog,
               split: Split | None = None, domain_documents: Mapping[str, int] | None = None) -> None:
        """Write the part's metadata and make it visible: it counts ``inputs`` (whole, or the one ``split``);
        ``domain_documents``: its ``documents`` per domain (counts made with a domain option)."""
        inputs = sorted(inputs, key=lambda i: (i.path, i.key))
        meta = {"inputs": [i.path for i in inputs],
                "identities": [None if i.identity is None else i.identity.as_dict() for i in inputs],
                "documents": documents, "skipped": skips.as_dict(),
                # A bucket file deleted or emptied afterwards would silently drop its facts: readers check this.
                "files": dict(sorted(self._rows.items()))}
        if domain_documents is not None:
            meta["domain_documents"] = dict(sorted(domain_documents.items()))
        if self._dedup_rows:
            meta["dedup_files"] = dict(sorted(self._dedup_rows.items()))
        if split is not None:
            meta["split"] = split._asdict()
        (self.tmp / PART_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if self.target.exists():
            shutil.rmtree(self.target)
        self.tmp.rename(self.target)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


@dataclass
class Survey:
    """The parts of a directory checked against its plan (or, without one, against each other)."""

    plan: Plan
    recorded: bool  # False: no plan.json, the plan is what the parts say
    readable: list[Part]  # the parts of completed inputs
    done: set[tuple[int, int | None]]  # (input index, split index or None)
    complete: list[bool]  # per planned input

    @property
    def is_complete(self) -> bool:
        return all(self.complete)

    def counted(self) -> list[str]:
        return [p.path for p, done in zip(self.plan.inputs, self.complete) if done]

    def missing(self) -> list[str]:
        return [p.path for p, done in zip(self.plan.inputs, self.complete) if not done]

    def coverage(self) -> dict:
        complete = self.is_complete if self.recorded else (None if self.is_complete else False)
        return coverage(complete, len(self.plan.inputs) if self.recorded else None, len(self.counted()),
                        self.missing())

    def progress(self, index: int) -> str:
        """An input not completed, with how many of its splits are done."""
        planned = self.plan.inputs[index]
        if planned.splits is None:
            return planned.path
        done = sum(1 for i, _ in self.done if i == index)
        return f"{planned.path} ({done} of {planned.splits} splits)"


class CountsDir:
    """A counts directory: complete parts plus the manifest that says how they were made and the plan that says
    what they are to hold."""

    def __init__(self, path: str | Path, manifest: dict):
        self.path = Path(path)
        self.manifest = manifest

    # --- creating and opening -----------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, unit: str, params: dict, buckets: int = DEFAULT_BUCKETS,
               resume: bool = False, split_bytes: int | None = None, tasks: Sequence | None = None,
               left_out: Sequence[tuple[str, str]] = ()) -> "CountsDir":
        """A new counts directory at ``path``, or with ``resume`` the existing one (which must match).

        ``tasks``: the map tasks (:func:`floor.engines.tasks.plan_tasks`) of the scan, recorded as the plan
        before the directory becomes a counts directory (its manifest is written last), so a kill at any moment
        leaves no directory, one without a manifest (a new scan or ``--resume`` starts afresh), or one that
        ``--resume`` continues. Without ``tasks`` the first :meth:`pending` records them. ``left_out``: the files
        the inputs turned up that are no corpus files, recorded with the plan. ``split_bytes``: the
        split size its scans plan with. A resumed scan keeps the directory's own (``None`` in a directory made
        before splits: files are read whole), so its splits never overlap the completed ones.
        """
        path = Path(path)
        manifest = _manifest(unit, params, buckets)
        if split_bytes is not None:
            manifest["split_bytes"] = split_bytes
        remove_stale_temporaries(path)
        if not (path / MANIFEST).exists():
            _check_fresh(path)
            path.mkdir(parents=True, exist_ok=True)
            with _writing(path):
                if not (path / MANIFEST).exists():  # nor made meanwhile by another scan
                    _check_fresh(path)
                    plan = Plan.of_tasks(tasks, left_out) if tasks is not None else None
                    return cls._write_new(path, manifest, plan)
        if not resume:
            raise FloorError(f"{path}: counts directory exists; pass --resume to continue it, or choose a new path")
        existing = cls.open(path)
        existing.check_compatible(manifest, what="--resume")
        with existing.writing():  # the temporary parts of a killed scan, unless it (or its workers) still runs
            existing.remove_temporary_parts()
        return existing

    @classmethod
    def _write_new(cls, path: Path, manifest: dict, plan: Plan | None) -> "CountsDir":
        """Write the plan, then the manifest, into ``path`` (clearing what a scan killed before left there)."""
        for leftover in path.iterdir():
            if leftover.name.endswith(".tmp"):
                leftover.unlink()
        if plan is not None:
            _write_json(path / PLAN, plan.as_dict())
            manifest = dict(manifest, plan=PLAN)
        _write_json(path / MANIFEST, manifest)
        return cls(path, manifest)

    @classmethod
    def open(cls, path: str | Path) -> "CountsDir":
        path = Path(path)
        file = path / MANIFEST
        try:
            manifest = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FloorError(f"{path}: not a floor counts directory (no {MANIFEST}); write one with "
                             "'floor scan -o DIR'") from None
        except (OSError, ValueError) as exc:
            raise FloorError(f"{file}: cannot read manifest: {exc}") from None
        _check_manifest(manifest, file)
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

    @contextlib.contextmanager
    def writing(self):
        """Hold the directory's lock while the block writes it: refused while another scan (or workers that a
        killed one left) writes it."""
        with _writing(self.path):
            yield self

    # --- properties -------------------------------------------------------------------------------------------------
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

    @property
    def plan(self) -> Plan | None:
        """What the directory is to count (``None``: made by a floor that recorded no plan)."""
        if "plan" not in self.manifest:
            return None
        file = self.path / PLAN
        return Plan.from_dict(_read_json(file, "plan"), str(file))

    # --- parts ----------------------------------------------------------------------------------------------------
    def part_dirs(self) -> list[Path]:
        if not self.parts_dir.is_dir():
            return []
        parts = []
        for entry in sorted(self.parts_dir.iterdir()):
            if entry.name.startswith("."):
                continue  # temporary parts, and what a file browser leaves
            if not entry.is_dir():
                raise FloorError(f"{entry}: not a part (a directory); a counts directory holds only parts in "
                                 f"{self.parts_dir}")
            parts.append(entry)
        return parts

    def remove_temporary_parts(self) -> None:
        """Remove the parts that killed map tasks left half-written (only while holding :meth:`writing`)."""
        if self.parts_dir.is_dir():
            for tmp in self.parts_dir.glob(f"{_TEMP_PREFIX}*"):
                shutil.rmtree(tmp, ignore_errors=True)

    def part_meta(self, part: Path) -> dict:
        """The metadata of a part, checked (a FloorError naming the file if it is not valid)."""
        return _part_json(part)

    def part(self, part: Path) -> Part:
        """A part as checked when read: its metadata and bucket files."""
        meta = _part_json(part)
        file = str(part / PART_META)
        identities = meta.get("identities")
        files: dict[int, list[Path]] = {}
        dedup_files = meta.get("dedup_files", {})
        for entry in part.iterdir():
            if entry.name == PART_META or entry.name.startswith("."):
                continue
            if _DEDUP_FILE.fullmatch(entry.name) and entry.is_file():
                if entry.name not in dedup_files:
                    raise FloorError(f"{entry}: not a file of this part ({file} does not list it)")
                continue
            match = _BUCKET_FILE.fullmatch(entry.name)
            if match is None or not entry.is_file():
                raise FloorError(f"{entry}: not a file of a counts part (part.json, bucket-BBBB-SSSS.parquet, "
                                 "dedup-bands|facts-SSSS.parquet)")
            bucket = int(match.group(1))
            if bucket >= self.buckets:
                raise FloorError(f"{entry}: bucket {bucket}, but {self.path / MANIFEST} has {self.buckets} buckets")
            files.setdefault(bucket, []).append(entry)
        missing = sorted(name for name in dedup_files if not (part / name).is_file())
        if missing:
            raise FloorError(f"{part / missing[0]}: missing; {file} lists it (the part is damaged: scan its input "
                             "again)")
        rows = meta.get("files")
        if rows is not None:
            present = {f.name for group in files.values() for f in group}
            missing = sorted(set(rows) - present)
            if missing:
                raise FloorError(f"{part / missing[0]}: missing; {file} lists it (the part is damaged: scan its "
                                 "input again)")
            extra = sorted(present - set(rows))
            if extra:
                raise FloorError(f"{part / extra[0]}: not a file of this part ({file} does not list it)")
        return Part(path=part, inputs=tuple(meta["inputs"]),
                    identities=None if identities is None else tuple(
                        None if i is None else InputIdentity.from_dict(i, file) for i in identities),
                    documents=meta["documents"], skips=SkipLog.from_dict(meta["skipped"]),
                    split=None if meta.get("split") is None else Split(**meta["split"]),
                    files={b: tuple(sorted(f)) for b, f in files.items()}, rows=rows, dedup_files=dedup_files,
                    domain_documents=meta.get("domain_documents"))

    def survey(self, plan: Plan | None = None) -> Survey:
        """Every part checked and matched to the plan (``plan``, default: the recorded one, else the inputs of the
        parts): an input or split counted by two parts, or by a part that the plan does not know, is an error."""
        parts = [self.part(p) for p in self.part_dirs()]
        plan = self.plan if plan is None else plan
        recorded = plan is not None
        if plan is None:
            plan = _plan_of_parts(parts)
        by_key = {p.key: i for i, p in enumerate(plan.inputs)}
        by_path: dict[str, list[int]] = {}
        for i, planned in enumerate(plan.inputs):
            by_path.setdefault(planned.path, []).append(i)
        counted_by: dict[tuple[int, int | None], Path] = {}  # (input, split or None) -> the part counting it
        indices = []  # of the inputs of each part
        for part in parts:
            indices.append([_match_part_input(source, plan, by_key, by_path, part.path) for source in part.sources()])
            for index in indices[-1]:
                unit = (index, _split_index(plan.inputs[index], part))
                other = counted_by.setdefault(unit, part.path)
                if other != part.path:
                    raise FloorError(f"{part.path}: counts {plan.inputs[index].path}{_split_label(part.split)}, "
                                     f"which {other} counts too; a counts directory must count each input once")
        done = set(counted_by)
        complete = [(i, None) in done or (p.splits is not None and all((i, s) in done for s in range(p.splits)))
                    for i, p in enumerate(plan.inputs)]
        readable = [part for part, inputs in zip(parts, indices) if all(complete[i] for i in inputs)]
        return Survey(plan, recorded, readable, done, complete)

    def completed_inputs(self) -> set[str]:
        """Inputs counted in full: by a part of their own, or by all of their splits."""
        return set(self.survey().counted())

    def pending(self, tasks: Sequence) -> list:
        """The map tasks (see :func:`floor.engines.tasks.plan_tasks`) not completed; the first scan of a directory
        without a plan records ``tasks`` as its plan.

        The tasks must be those of the plan, by input identity however the inputs are spelled now, and an input
        of which anything is counted unchanged since: its counts would be stale, and splits of it would overlap
        the old ones (see :meth:`Plan.resume`). Each task returned carries its input's planned identity, which
        its part records.
        """
        recorded = self.plan
        survey = self.survey(recorded or Plan.of_tasks(tasks))  # the parts must fit a new plan before it is kept
        plan, resumed = survey.plan.resume(tasks, self.path, {index for index, _ in survey.done})
        if plan != recorded:
            self._record_plan(plan)
        return [task for index, task in resumed
                if (index, None if task.split is None else task.split.index) not in survey.done]

    def _record_plan(self, plan: Plan) -> None:
        _write_json(self.path / PLAN, plan.as_dict())
        self.manifest = dict(self.manifest, plan=PLAN)
        _write_json(self.path / MANIFEST, self.manifest)

    def writer(self, name: str) -> PartWriter:
        return PartWriter(self, name)

    def incomplete_error(self, survey: Survey) -> FloorError:
        """What is missing, and how to complete it."""
        missing = [survey.progress(i) for i, done in enumerate(survey.complete) if not done]
        if survey.plan.kind == "merge":
            how = (f"it was merged from incomplete directories ({', '.join(survey.plan.sources)}): finish their "
                   "scans with 'floor scan ... -o DIR --resume' and merge them again")
        else:
            how = f"finish it with 'floor scan ... -o {self.path} --resume'"
        counted = len(survey.plan.inputs) - len(missing)
        return FloorError(f"{self.path}: incomplete: {counted:,} of {len(survey.plan.inputs):,} inputs counted; "
                          f"missing {_listing(missing)}; {how}, or pass --allow-incomplete for a partial estimate")

    def readable_survey(self, allow_incomplete: bool = False) -> Survey:
        """The survey of a complete directory; of an incomplete one only with ``allow_incomplete``."""
        survey = self.survey()
        if not survey.is_complete and not allow_incomplete:
            raise self.incomplete_error(survey)
        return survey

    # --- reading --------------------------------------------------------------------------------------------------
    def read_bucket(self, bucket: int, parts: Sequence[Part] | None = None) -> Iterator[dict[str, FactTable]]:
        """The tables of ``bucket`` from every part and spill (to be merged by the caller); ``parts``: of these
        only (default: the parts of completed inputs)."""
        for part in self.survey().readable if parts is None else parts:
            for file in part.files.get(bucket, ()):
                yield _read_bucket_file(file, bucket, self.buckets, None if part.rows is None else part.rows[file.name])

    def summary(self, allow_incomplete: bool = False, max_domains: int | None = None) -> CountSummary:
        """Profiles and conflicting entities, reduced bucket by bucket; an incomplete directory is refused,
        unless ``allow_incomplete``: then of the completed inputs only. ``max_domains``: of counts made with
        domains, keep the largest ones and pool the rest as ``other``, chosen from the mentions of the complete
        counts (a first pass over the buckets; :func:`~floor.count.summary.domain_renames`)."""
        parts = self.readable_survey(allow_incomplete).readable
        rename = domain_renames(self._mentions(parts), max_domains) if max_domains is not None else {}
        total = CountSummary()
        for bucket in range(self.buckets):
            total = total + reduce_bucket(self.read_bucket(bucket, parts), rename)
        if self.params.get("dedup"):
            total.dedup = summarize(dedup_tables(self.read_records(parts), self.params.get("dedup_threshold"), rename))
        return total

    def read_records(self, parts: Sequence[Part] | None = None) -> DedupRecords:
        """The dedup records of ``parts`` (default: the parts of completed inputs) as one set, documents numbered
        apart (:func:`~floor.count.dedup.combined`)."""
        parts = self.survey().readable if parts is None else parts
        return combined([_read_records(part) for part in parts])

    def _mentions(self, parts: Sequence[Part]) -> dict[str, int]:
        """Mentions per table name in ``parts``."""
        return summed_mentions(table_mentions(tables) for bucket in range(self.buckets)
                               for tables in self.read_bucket(bucket, parts))

    def metadata(self, allow_incomplete: bool = False) -> dict:
        """Inputs, documents and skipped records of the parts read (see :meth:`summary`), in an order independent
        of how they were made, and the directory's ``coverage``."""
        survey = self.readable_survey(allow_incomplete)
        return _metadata(survey)

    def load(self, allow_incomplete: bool = False) -> Counts:
        """Everything in memory (for small counts and notebooks; estimates use :meth:`summary`)."""
        survey = self.readable_survey(allow_incomplete)
        tables = merge_tables(merge_tables(self.read_bucket(b, survey.readable)) for b in range(self.buckets))
        meta = _metadata(survey)
        return Counts(tables=tables, unit=self.unit, documents=meta["documents"], inputs=meta["inputs"],
                      skips=meta["skips"], params=self.params, coverage=meta["coverage"],
                      dedup=self.read_records(survey.readable) if self.params.get("dedup") else None,
                      domain_documents=meta["domain_documents"], left_out=meta["left_out"])


def _metadata(survey: Survey) -> dict:
    skips = SkipLog(on_error="skip")
    for part in survey.readable:
        skips.merge(part.skips)
    return {"inputs": sorted(survey.counted()), "documents": sum(p.documents for p in survey.readable),
            "skips": skips, "coverage": survey.coverage(),
            "domain_documents": summed_documents(p.domain_documents for p in survey.readable),
            "left_out": sorted(survey.plan.left_out)}


def summed_documents(of_parts: Iterable[Mapping[str, int] | None]) -> dict[str, int] | None:
    """Documents per domain summed over parts; ``None`` if any part did not count them (a part without domains,
    or written by a floor that did not count documents per domain)."""
    total: dict[str, int] = {}
    for documents in of_parts:
        if documents is None:
            return None
        for domain, number in documents.items():
            total[domain] = total.get(domain, 0) + number
    return dict(sorted(total.items()))


def _plan_of_parts(parts: Sequence[Part]) -> Plan:
    """The plan of a directory that recorded none: the inputs its parts count."""
    inputs: dict[tuple, PlannedInput] = {}
    for part in parts:
        for source in part.sources():
            splits = None if part.split is None else part.split.count
            inputs.setdefault(source.key, PlannedInput(source.path, source.identity, splits))
    return Plan("scan", tuple(inputs.values()))


def _match_part_input(source: PlannedInput, plan: Plan, by_key: dict, by_path: dict, part: Path) -> int:
    """The index of the planned input that a part counts (by identity; by path in a part that recorded none)."""
    if source.identity is not None:
        index = by_key.get(source.key)
        if index is not None and plan.inputs[index].identity.same_version(source.identity):
            return index
    else:
        candidates = by_path.get(source.path, [])
        if len(candidates) == 1:
            return candidates[0]
    raise FloorError(f"{part / PART_META}: counts {source.path}, which its counts directory was not asked to count "
                     f"(it is not in {PLAN}, or not in this version)")


def _split_index(planned: PlannedInput, part: Part) -> int | None:
    """What a part counts of a planned input: all of it (``None``), or the split of this index, which must be one
    of its planned splits."""
    where = part.path / PART_META
    if part.split is None:
        if planned.splits is not None:
            raise FloorError(f"{where}: counts {planned.path} whole, but it is planned in {planned.splits} splits")
        return None
    split = part.split
    size = planned.identity.size if planned.identity is not None else split.size
    expected = (size * split.index // split.count, size * (split.index + 1) // split.count)
    if (split.count, split.size) != (planned.splits, size) or (split.start, split.end) != expected:
        raise FloorError(f"{where}: split {split.index + 1} of {split.count} of {planned.path} (bytes "
                         f"{split.start}-{split.end} of {split.size}) is not one of its {planned.splits or 1} planned "
                         "splits")
    return split.index


def _split_label(split: Split | None) -> str:
    return "" if split is None else f" (split {split.index + 1} of {split.count})"


def _listing(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_SHOWN_MISSING])
    return shown + (f" and {len(items) - _SHOWN_MISSING:,} more" if len(items) > _SHOWN_MISSING else "")


def _writing(path: Path):
    try:
        return DirectoryLock(path)
    except DirectoryBusy:
        raise FloorError(f"{path}: another floor scan is writing this counts directory (or workers of a killed one "
                         "still run); wait for it to finish, or stop it") from None


def _check_fresh(path: Path) -> None:
    """A new counts directory may be made at ``path`` if nothing is there, or nothing but what a scan killed
    before it wrote its manifest left."""
    if not os.path.lexists(path):
        return
    if not path.is_dir() or any(not _BEFORE_MANIFEST.fullmatch(p.name) or (p.name == "parts" and any(p.iterdir()))
                                for p in path.iterdir()):
        raise FloorError(f"{path}: exists and is not a floor counts directory")


# --- checking what is read ------------------------------------------------------------------------------------

def _read_json(file: Path, what: str):
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FloorError(f"{file}: cannot read {what}: {exc}") from None


def _write_json(file: Path, data) -> None:
    with atomic_open(file, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")


def _whole(value, minimum: int = 0) -> bool:
    return type(value) is int and value >= minimum


def _sample_rate(value) -> bool:
    return type(value) in (int, float) and 0 < value <= 1


def _strings(value) -> bool:
    return isinstance(value, list) and all(type(v) is str for v in value)


def _check_manifest(manifest, file: Path) -> None:
    if not isinstance(manifest, dict) or manifest.get("schema") != COUNTS_SCHEMA:
        raise FloorError(f"{file}: not a {COUNTS_SCHEMA} manifest")
    problems = []
    if not (_whole(manifest.get("buckets"), 1) and manifest["buckets"] <= MAX_BUCKETS):
        problems.append(f"'buckets' must be a whole number from 1 to {MAX_BUCKETS}, not {manifest.get('buckets')!r}")
    if manifest.get("unit") not in UNITS:
        problems.append(f"'unit' must be one of {', '.join(UNITS)}, not {manifest.get('unit')!r}")
    params = manifest.get("params", {})
    if not isinstance(params, dict):
        problems.append(f"'params' must be an object, not {params!r}")
    elif not _sample_rate(params.get("sample_rate", 1.0)):
        # estimates scale the counts by 1 / sample_rate
        problems.append(f"'params.sample_rate' must be a number in (0, 1], not {params['sample_rate']!r}")
    elif params.get("unit", manifest.get("unit")) != manifest.get("unit"):
        problems.append(f"'params.unit' {params['unit']!r} differs from 'unit' {manifest.get('unit')!r}")
    if isinstance(params, dict) and params.get("dedup") not in (None, *DEDUP_MODES):
        problems.append(f"'params.dedup' must be one of {', '.join(DEDUP_MODES)} or null, not {params['dedup']!r}")
    elif isinstance(params, dict) and params.get("dedup") == "near" and not (
            type(params.get("dedup_threshold")) is float and 0 < params["dedup_threshold"] < 1):
        problems.append(f"'params.dedup_threshold' must be a number between 0 and 1 with dedup 'near', not "
                        f"{params.get('dedup_threshold')!r}")
    if manifest.get("split_bytes") is not None and not _whole(manifest["split_bytes"], 1):
        problems.append(f"'split_bytes' must be a whole number >= 1, not {manifest['split_bytes']!r}")
    if manifest.get("plan", PLAN) != PLAN:
        problems.append(f"'plan' must be {PLAN!r}, not {manifest['plan']!r}")
    if problems:
        raise FloorError(f"{file}: {problems[0]}")


def _part_json(part: Path) -> dict:
    file = part / PART_META
    meta = _read_json(file, "part metadata")
    if not isinstance(meta, dict):
        raise FloorError(f"{file}: part metadata must be an object, not {type(meta).__name__}")
    inputs, identities, split = meta.get("inputs"), meta.get("identities"), meta.get("split")
    if not (_strings(inputs) and inputs):
        problem = f"'inputs' must be a non-empty list of paths, not {inputs!r}"
    elif identities is not None and not (isinstance(identities, list) and len(identities) == len(inputs)):
        problem = "'identities' must be a list with one entry per input"
    elif not _whole(meta.get("documents")):
        problem = f"'documents' must be a whole number >= 0, not {meta.get('documents')!r}"
    elif "domain_documents" in meta and not _domain_documents(meta["domain_documents"], meta["documents"]):
        problem = ("'domain_documents' must map domain names to whole numbers >= 0 that add up to its "
                   f"'documents' ({meta['documents']})")
    elif not _skip_record(meta.get("skipped")):
        problem = "'skipped' must be an object with counts 'by_reason' and lists of 'examples'"
    elif split is not None and not _split_record(split, len(inputs)):
        problem = f"'split' must describe one split of its one input, not {split!r}"
    elif meta.get("files") is not None and not _file_rows(meta["files"]):
        problem = "'files' must map bucket file names (bucket-BBBB-SSSS.parquet) to their numbers of facts (>= 1)"
    elif not _file_rows(meta.get("dedup_files", {}), _DEDUP_FILE):
        problem = "'dedup_files' must map dedup file names (dedup-bands|facts-SSSS.parquet) to their rows (>= 1)"
    else:
        return meta
    raise FloorError(f"{file}: {problem}")


def _domain_documents(documents, total: int) -> bool:
    """Documents per domain: every document read has a domain, so they add up to the part's documents."""
    return (isinstance(documents, dict) and all(type(k) is str and _whole(v) for k, v in documents.items())
            and sum(documents.values()) == total)


def _skip_record(skipped) -> bool:
    if not isinstance(skipped, dict):
        return False
    reasons, examples = skipped.get("by_reason", {}), skipped.get("examples", {})
    return (isinstance(reasons, dict) and all(type(k) is str and _whole(v) for k, v in reasons.items())
            and isinstance(examples, dict) and all(_strings(v) for v in examples.values()))


def _file_rows(files, pattern: re.Pattern = _BUCKET_FILE) -> bool:
    return isinstance(files, dict) and all(
        pattern.fullmatch(name) is not None and _whole(rows, 1) for name, rows in files.items())


def _read_records(part: Part) -> list[DedupRecords]:
    """The dedup records of each spill of ``part``, checked: the rows its part.json records, and every document
    of a facts file with band keys in its bands file."""
    spills = sorted({_DEDUP_FILE.fullmatch(name).group(2) for name in part.dedup_files})
    return [_read_spill_records(part, spill) for spill in spills]


_DEDUP_COLUMNS = {"bands": ("doc", "band"), "signatures": ("doc", "signature"),
                  "facts": ("doc", "category", "key", "entity", "count")}


def _read_spill_records(part: Part, spill: str) -> DedupRecords:
    columns = {"signature_doc": np.empty(0, np.int64), "signature_signature": np.empty((0, NUM_PERM), np.uint32)}
    for kind, names in _DEDUP_COLUMNS.items():
        file = part.path / f"dedup-{kind}-{spill}.parquet"
        if kind == "signatures" and file.name not in part.dedup_files:
            continue  # exact duplicates have none
        try:
            table = pq.ParquetFile(file).read()
            if table.num_rows != part.dedup_files.get(file.name):
                raise ValueError(f"{table.num_rows} rows, where its part.json records "
                                 f"{part.dedup_files.get(file.name)}")
            for name in names:
                if name == "category":
                    categories = table.column(name).combine_chunks()
                    columns["names"] = tuple(categories.dictionary.to_pylist())
                    columns["fact_names"] = _numpy(categories.indices, np.int32)
                elif name == "signature":
                    lists = table.column(name).combine_chunks()
                    if lists.type != pa.list_(pa.uint32(), NUM_PERM):
                        raise ValueError(f"signatures must be {NUM_PERM} uint32 values, not {lists.type}")
                    if lists.null_count:
                        raise ValueError("a signature is missing")
                    # the child values, not flatten(): that loads pyarrow.compute, longer than this read takes
                    values = lists.values.slice(lists.offset * NUM_PERM, len(lists) * NUM_PERM)
                    columns["signature_signature"] = _numpy(values, np.uint32).reshape(-1, NUM_PERM)
                else:
                    dtype = np.uint64 if name in ("band", "key", "entity") else np.int64
                    columns[f"{kind[:-1]}_{name}"] = _numpy(table.column(name), dtype)
        except (OSError, KeyError, ValueError, AttributeError, pa.ArrowException) as exc:
            raise FloorError(f"{file}: not a valid dedup file: {exc}") from None
    records = DedupRecords(columns["band_doc"], columns["band_band"], columns["signature_doc"],
                           columns["signature_signature"], columns["names"], columns["fact_doc"],
                           columns["fact_names"], columns["fact_key"], columns["fact_entity"], columns["fact_count"])
    with_signatures = records.signature_docs.size and not np.isin(records.band_docs, records.signature_docs).all()
    if with_signatures or not np.isin(records.fact_docs, records.band_docs).all() or (records.fact_counts < 1).any() or \
            (records.fact_names.size and records.fact_names.max() >= len(records.names)):
        raise FloorError(f"{part.path}: dedup-facts-{spill}.parquet: not a valid dedup file: a fact of a document "
                         "without band keys or signature, a count below 1 or a category out of range")
    return records


def _split_record(split, inputs: int) -> bool:
    if not (isinstance(split, dict) and set(split) == set(Split._fields) and all(map(_whole, split.values()))):
        return False
    return inputs == 1 and split["index"] < split["count"] and split["start"] < split["end"] <= split["size"]


def _scan_identity(params: Mapping) -> dict:
    """The scan options that change what is counted (not how errors are handled); an option left unset equals
    one that a directory made before the option existed does not record."""
    return {k: v for k, v in params.items() if k != "on_error" and v is not None}


def _read_bucket_file(file: Path, bucket: int, buckets: int, rows: int | None = None) -> dict[str, FactTable]:
    """The tables of one bucket file, checked: ``rows`` facts (if its part recorded them), facts in the bucket of
    their entity, counts >= 1, and keys sorted and unique per category (as a FactTable writes them)."""
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
    except (KeyError, ValueError, pa.ArrowException) as exc:
        raise FloorError(f"{file}: not a counts bucket: {exc}") from None
    problem = _bucket_problem(names, codes, entities, counts, bucket, buckets)
    if problem is None and rows is not None and table.num_rows != rows:
        problem = f"{table.num_rows} facts, where its part.json records {rows}"
    tables = {}
    if problem is None:
        # Grouped by one stable sort of the codes (a file of per-domain counts may name many tables).
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        for start, end in _runs(sorted_codes):
            rows = order[start:end]
            name = names[sorted_codes[start]]
            table = FactTable(keys[rows], entities[rows], counts[rows])
            if problem is None and np.any(table.keys[1:] <= table.keys[:-1]):
                problem = f"the keys of {name} are not sorted and unique"
            tables[name] = table
    if problem is not None:
        raise FloorError(f"{file}: not a valid counts bucket: {problem}")
    return tables


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of equal values in sorted ``values``."""
    if not values.size:
        return []
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1]))).tolist()
    return list(zip(starts, starts[1:] + [int(values.size)]))


def _bucket_problem(names, codes, entities, counts, bucket: int, buckets: int) -> str | None:
    if not all(type(n) is str for n in names) or len(set(names)) < len(names):
        return "category names must be distinct strings"
    if codes.size and (codes.min() < 0 or codes.max() >= len(names)):
        return "a category code is out of range"
    if counts.size and counts.min() < 1:
        return f"a count is {counts.min()}; counts are >= 1"
    wrong = np.flatnonzero(entities % np.uint64(buckets) != np.uint64(bucket))
    if wrong.size:
        return (f"{wrong.size:,} facts belong to bucket {int(entities[wrong[0]] % np.uint64(buckets))}, not "
                f"{bucket} (by their entity hash)")
    return None


def write_counts(counts: Counts, path: str | Path, buckets: int = DEFAULT_BUCKETS) -> CountsDir:
    """Write in-memory ``counts`` as a new counts directory with one part, atomically (``path`` must not exist, or
    be an empty directory)."""
    _check_fresh_output(Path(path))
    inputs = [PlannedInput(p) for p in sorted(set(counts.inputs))]
    with staged_directory(path) as tmp:
        manifest = _manifest(counts.unit, counts.params, buckets)
        counts_dir = CountsDir._write_new(tmp, manifest, Plan("scan", tuple(inputs)))
        writer = counts_dir.writer(part_name(counts.inputs))
        writer.write_spill(counts.tables, counts.dedup)
        writer.commit(inputs, counts.documents, counts.skips, domain_documents=counts.domain_documents)
    return CountsDir.open(path)


def read_counts(path: str | Path, allow_incomplete: bool = False) -> Counts:
    return CountsDir.open(path).load(allow_incomplete)


def _manifest(unit: str, params: dict, buckets: int) -> dict:
    return {"schema": COUNTS_SCHEMA, "buckets": buckets, "unit": unit, "params": params}


def _check_fresh_output(path: Path) -> None:
    if os.path.lexists(path) and not (path.is_dir() and not path.is_symlink() and not any(path.iterdir())):
        raise FloorError(f"{path}: exists; choose a new path")


def merge_counts_dirs(sources: Sequence[str | Path], output: str | Path, *,
                      allow_incomplete: bool = False) -> CountsDir:
    """Reduce several counts directories of disjoint inputs into one, bucket by bucket (one part).

    Refused: directories that count the same input (:meth:`InputIdentity.same_input`, or the same path where
    no identity is recorded), or that were made with different scan options; an incomplete one, unless
    ``allow_incomplete`` (then the parts of its completed inputs are merged, and the merged directory, whose
    plan holds every input of every source, is incomplete too); an ``output`` that is, is inside or contains a
    source; an existing ``output`` that is not empty or a directory merged before from the same inputs (and
    holding only what floor writes there). An
    earlier merge is replaced only when the new one is complete (:func:`floor.outputs.replace_directory`).
    """
    if not sources:
        raise FloorError("merge needs at least one counts directory")
    output = Path(os.path.abspath(output))
    dirs = [CountsDir.open(s) for s in sources]
    _check_apart(output, dirs)
    first = dirs[0]
    for counts_dir in dirs:
        counts_dir.check_compatible(first.manifest, what="merge")
    surveys = [d.readable_survey(allow_incomplete) for d in dirs]
    _check_disjoint(dirs, surveys)
    # Without the plans of all sources, what the merged directory was to hold is not known either.
    plan = Plan("merge", tuple(sorted((PlannedInput(p.path, p.identity) for s in surveys for p in s.plan.inputs),
                                      key=lambda p: (p.path, p.key))),
                tuple(str(d.path) for d in dirs), tuple(sorted({e for s in surveys for e in s.plan.left_out}))
                ) if all(s.recorded for s in surveys) else None
    remove_stale_temporaries(output)
    _check_replaceable(output, plan)
    counted = [PlannedInput(p.path, p.identity) for s in surveys for p, done in zip(s.plan.inputs, s.complete)
               if done]
    with staged_directory(output) as tmp:
        merged = CountsDir._write_new(tmp, _manifest(first.unit, first.params, first.buckets), plan)
        writer = merged.writer(part_name([p.path for p in counted]))
        for bucket in range(first.buckets):
            writer.write_spill(merge_tables(table for d, survey in zip(dirs, surveys)
                                            for table in d.read_bucket(bucket, survey.readable)))
        if first.params.get("dedup"):
            writer.write_spill({}, combined([d.read_records(survey.readable)] for d, survey in zip(dirs, surveys)))
        metas = [_metadata(survey) for survey in surveys]
        skips = SkipLog(on_error="skip")
        for meta in metas:
            skips.merge(meta["skips"])
        writer.commit(counted, sum(meta["documents"] for meta in metas), skips,
                      domain_documents=summed_documents(meta["domain_documents"] for meta in metas))
    return CountsDir.open(output)


def _check_apart(output: Path, dirs: Sequence[CountsDir]) -> None:
    """The output of a merge must lie apart from its sources (replacing one would lose it) and from the working
    directory."""
    out = Path(os.path.realpath(output))
    for counts_dir in dirs:
        source = Path(os.path.realpath(counts_dir.path))
        if out == source or source in out.parents or out in source.parents:
            relation = "is" if out == source else "is inside" if source in out.parents else "contains"
            raise FloorError(f"merge -o {output}: {relation} the counts directory {counts_dir.path} it merges; "
                             "choose an output apart from its inputs")
    cwd = Path(os.path.realpath(os.getcwd()))
    if out == cwd or out in cwd.parents:
        raise FloorError(f"merge -o {output}: is (or contains) the current directory; choose a new path")


def _check_disjoint(dirs: Sequence[CountsDir], surveys: Sequence[Survey]) -> None:
    """No input may be in two of the directories (:meth:`PlannedInput.same_input`)."""
    seen: dict[tuple | str, list[tuple[PlannedInput, int]]] = {}
    for source, (counts_dir, survey) in enumerate(zip(dirs, surveys)):
        for planned in survey.plan.inputs:
            candidates = (planned.identity.size, planned.identity.fingerprint) if planned.identity else planned.path
            for other, where in seen.get(candidates, []):
                if where != source and planned.same_input(other):
                    spelled = "" if other.path == planned.path else f" (as {planned.path})"
                    raise FloorError(f"{other.path} is counted in both {dirs[where].path} and {counts_dir.path}"
                                     f"{spelled}; merging would count it twice")
            seen.setdefault(candidates, []).append((planned, source))


def _check_replaceable(output: Path, plan: Plan | None) -> None:
    """floor replaces an existing ``output`` only if it is empty, or its own earlier merge of the same inputs."""
    if not os.path.lexists(output):
        return
    if output.is_dir() and not output.is_symlink():
        if not any(output.iterdir()):
            return
        earlier = None
        with contextlib.suppress(FloorError):
            earlier = CountsDir.open(output).plan
        if None not in (earlier, plan) and earlier.kind == "merge" and earlier.same_inputs(plan):
            foreign = _foreign_entry(output)
            if foreign is None:
                return
            raise FloorError(f"{output}: an earlier merge of these inputs, but it holds {foreign}, which floor "
                             "did not write there; move that away, or choose a new path")
    raise FloorError(f"{output}: exists and is not a floor counts directory merged from these same inputs (the "
                     "only kind that merge replaces); choose a new path, or remove it yourself")


def _foreign_entry(path: Path) -> Path | None:
    """The first entry of the counts directory ``path`` that floor does not write (``None``: none), such as a
    report that a user saved into it, which replacing the directory would delete."""
    for entry in path.iterdir():
        if entry.name != MANIFEST and not _BEFORE_MANIFEST.fullmatch(entry.name):
            return entry
    parts = path / "parts"
    for part in parts.iterdir() if parts.is_dir() else ():
        if part.name.startswith(_TEMP_PREFIX):
            continue  # a part that a killed task left half-written
        if not part.is_dir() or part.is_symlink():
            return part
        for entry in part.iterdir():
            if entry.name != PART_META and not _BUCKET_FILE.fullmatch(entry.name) and \
                    not _DEDUP_FILE.fullmatch(entry.name):
                return entry
    return None


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
