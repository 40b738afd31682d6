"""Counting facts as documents stream by, in bounded buffers of 64-bit hashes."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from .dedup import DedupRecorder, DedupRecords
from .summary import table_name
from .table import FactTable, entity_hash, fact_hash

UNITS = ("document", "mention")


class FactLike(Protocol):
    category: str
    entity_key: str
    value: str


@dataclass
class _Buffer:
    keys: array = field(default_factory=lambda: array("Q"))
    entities: array = field(default_factory=lambda: array("Q"))


class FactCounter:
    """Counts facts per category, or per (category, domain) when documents come with a domain (tables named
    :func:`~floor.count.summary.table_name`, holding the same fact keys as the category's own table would).

    ``unit="document"`` (the default of the paper's setting) counts a fact once per document that states it;
    ``unit="mention"`` counts every statement. Mentions wait in compact ``array('Q')`` buffers (16 bytes each)
    and are merged into the sorted tables once the buffers hold a quarter of the table size (at least
    ``min_flush``), so merging stays amortized linear.

    ``sample_rate`` < 1 keeps only facts whose key hash falls below ``sample_rate · 2^64``: the same facts in
    every shard and process, each counted exactly (bounded-memory mode; see :mod:`floor.estimate.sampling`).

    ``dedup`` (``"exact"`` or ``"near"``, with ``dedup_threshold``): also record each document with counted facts
    for duplicate-aware counts (:mod:`floor.count.dedup`); :meth:`take_records` hands the records over.

    ``domain_documents``: the documents that came with a domain (with or without facts), per domain: what a
    domain size in documents is converted through.
    """

    def __init__(self, unit: str = "document", min_flush: int = 1 << 18, sample_rate: float = 1.0,
                 dedup: str | None = None, dedup_threshold: float | None = None):
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
        if not 0 < sample_rate <= 1:
            raise ValueError(f"sample_rate must be in (0, 1], not {sample_rate!r}")
        self.unit = unit
        self._key_limit = min(int(sample_rate * 2**64), 2**64)
        self.min_flush = min_flush
        self.documents = 0
        self.domain_documents: dict[str, int] = {}
        self._tables: dict[str, FactTable] = {}
        self._buffers: dict[str, _Buffer] = {}
        self._buffered = 0
        self._distinct = 0
        self._recorder = DedupRecorder(dedup, dedup_threshold) if dedup is not None else None

    def add_document(self, facts: Iterable[FactLike], domain: str | None = None, text: str | None = None) -> int:
        """Count one document's facts (in ``domain``, if given); returns how many mentions were counted.
        ``text``: the document's text, which a counter with ``dedup`` needs for a document with facts."""
        self.documents += 1
        if domain is not None:
            self.domain_documents[domain] = self.domain_documents.get(domain, 0) + 1
        if not facts:
            return 0  # most documents state no fact: they only count as documents
        seen: set[int] = set()
        added = 0
        recorded = ([], [], []) if self._recorder is not None else None
        for fact in facts:
            value_key = fact.value.casefold()
            key = fact_hash(fact.category, fact.entity_key, value_key)
            if key >= self._key_limit:
                continue
            if self.unit == "document":
                if key in seen:
                    continue
                seen.add(key)
            name = fact.category if domain is None else table_name(fact.category, domain)
            buffer = self._buffers.get(name)
            if buffer is None:
                buffer = self._buffers[name] = _Buffer()
            entity = entity_hash(fact.category, fact.entity_key)
            buffer.keys.append(key)
            buffer.entities.append(entity)
            added += 1
            if recorded is not None:
                for column, value in zip(recorded, (name, key, entity)):
                    column.append(value)
        if recorded is not None and added:
            self._recorder.add(text, *recorded)
        self._buffered += added
        if self._buffered >= max(self.min_flush, self._distinct // 4):
            self.flush()
        return added

    def flush(self) -> None:
        for name, buffer in self._buffers.items():
            if not buffer.keys:
                continue
            batch = FactTable.from_mentions(buffer.keys, buffer.entities)
            self._tables[name] = self._tables.get(name, FactTable.empty()).merge(batch)
        self._buffers.clear()
        self._buffered = 0
        self._distinct = sum(len(t) for t in self._tables.values())

    @property
    def distinct(self) -> int:
        """Distinct facts held (as of the last flush) plus mentions waiting in buffers (plus rows of dedup
        records): a memory gauge."""
        return self._distinct + self._buffered + (self._recorder.rows if self._recorder is not None else 0)

    def tables(self) -> dict[str, FactTable]:
        """The counts so far, one table per category (or per category and domain), in name order."""
        self.flush()
        return dict(sorted(self._tables.items()))

    def take(self) -> dict[str, FactTable]:
        """The counts so far, emptying the counter (to spill them to disk); ``documents`` (and
        ``domain_documents``) keep counting."""
        tables = self.tables()
        self._tables = {}
        self._distinct = 0
        return tables

    def take_records(self) -> DedupRecords | None:
        """The dedup records so far, emptying them (``None`` for a counter without ``dedup``)."""
        return self._recorder.take() if self._recorder is not None else None
