"""Duplicate-aware counts: each fact counted once per cluster of duplicate documents, beside the raw counts.

Map side (:class:`DedupRecorder`, fed by :class:`~floor.count.FactCounter`): every document that states a fact
gets *band keys*: ``exact``, one, the hash of its normalized text (NFKC, case-folded, its words joined by
spaces); ``near``, one per LSH band of its MinHash signature (:data:`NUM_PERM` permutations, datasketch) of its
:data:`SHINGLE_WORDS`-word shingles, with the bands and rows that datasketch's ``MinHashLSH`` chooses for the
Jaccard threshold weighting false negatives 9:1 (:func:`band_shape`), and the signature itself. A part stores
its documents' band keys, signatures and facts (table name, key, entity, mentions) (:class:`DedupRecords`);
documents without facts cost nothing.

Reduce (:func:`dedup_tables`, at estimate time, over every part of every shard at once): documents sharing a
band key are candidates; ``near`` candidates are kept when their signatures agree in at least ``threshold`` of
their positions (the MinHash estimate of their Jaccard similarity), which removes the many false candidates of
recall-weighted bands. Clusters are the connected components of the kept pairs (single linkage), so they do not
depend on the order in which documents or parts come. Each fact then counts once per cluster in each table
(category, and category and domain) that a document of the cluster states it in; with ``unit="mention"`` a
cluster counts the most mentions one of its documents makes. A cluster of one document counts as the raw counts
do, so deduplicated counts never exceed raw ones and equal them when no two documents are duplicates.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import xxhash

from .summary import split_name
from .table import FactTable

DEDUP_MODES = ("exact", "near")
DEFAULT_THRESHOLD = 0.8
NUM_PERM = 128
SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+")
_MINHASH_SEED = 1  # fixed: signatures of one text are equal in every process and run


def check_dedup(mode: str | None, threshold: float | None) -> float | None:
    """The threshold a ``mode`` uses (``None`` for ``exact`` and no dedup); a ValueError for a bad choice."""
    if mode is None:
        if threshold is not None:
            raise ValueError("a dedup threshold needs dedup 'near'")
        return None
    if mode not in DEDUP_MODES:
        raise ValueError(f"dedup must be one of {', '.join(DEDUP_MODES)}, not {mode!r}")
    if mode == "exact":
        if threshold is not None:
            raise ValueError("a dedup threshold is for dedup 'near' (exact duplicates are equal texts)")
        return None
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if not (isinstance(threshold, (int, float)) and 0 < threshold < 1):
        raise ValueError(f"dedup threshold must be a Jaccard similarity between 0 and 1 (exclusive), not {threshold!r}")
    return float(threshold)


def normalized_words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@functools.cache
def empty_minhash():
    """An empty MinHash, copied for each text: datasketch (about 1 s to import) is loaded and its permutations
    drawn once per process, or once before the local engine forks its workers (:func:`floor.engines.tasks.warm_up`)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_MINHASH_SEED, hashfunc=xxhash.xxh32_intdigest)


# Weights of false positives and false negatives when choosing the bands: candidates are verified by their
# signatures, so a false candidate costs only a comparison, while a missed one is a duplicate left uncounted.
_BAND_WEIGHTS = (0.1, 0.9)


@functools.cache
def band_shape(threshold: float) -> tuple[int, int]:
    """``(bands, rows)`` of the LSH index for a Jaccard ``threshold`` (datasketch's ``MinHashLSH`` choice)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=_BAND_WEIGHTS)
    return lsh.b, lsh.r


def collision_probability(jaccard: float, threshold: float) -> float:
    """The probability that two documents of this Jaccard similarity share a band key (are candidates)."""
    bands, rows = band_shape(threshold)
    return 1 - (1 - jaccard**rows) ** bands


class Signer:
    """The band keys and signature of a text under a dedup mode (see module docstring)."""

    def __init__(self, mode: str, threshold: float | None):
        self.mode = mode
        self.shape = band_shape(threshold) if mode == "near" else (1, 0)

    def sign(self, text: str) -> tuple[list[int], np.ndarray | None]:
        """The band keys of ``text``, and its MinHash signature (``None`` for ``exact``)."""
        words = normalized_words(text)
        if self.mode == "exact":
            return [xxhash.xxh3_64_intdigest(" ".join(words).encode())], None
        signature = self._signature(words)
        bands, rows = self.shape
        keys = [xxhash.xxh3_64_intdigest(band.to_bytes(2, "little") + signature[band * rows:(band + 1) * rows].tobytes())
                for band in range(bands)]
        return keys, signature

    def _signature(self, words: list[str]) -> np.ndarray:
        minhash = empty_minhash().copy()
        shingles = [" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]
        minhash.update_batch([s.encode() for s in shingles])
        return np.asarray(minhash.hashvalues).astype(np.uint32)  # 32-bit hash values: 512 bytes per document


@dataclass(frozen=True)
class DedupRecords:
    """Documents with facts, by a document number unique within its part: ``band_docs``/``band_keys`` (one row
    per band key of a document), ``signature_docs``/``signatures`` (one row per document, ``near`` only) and
    ``fact_docs``/``fact_names``/``fact_keys``/``fact_entities``/``fact_counts`` (one row per fact of a document:
    its table, given by ``names[fact_names]``, and its mentions there)."""

    band_docs: np.ndarray  # int64
    band_keys: np.ndarray  # uint64
    signature_docs: np.ndarray  # int64
    signatures: np.ndarray  # uint32, (documents, NUM_PERM)
    names: tuple[str, ...]
    fact_docs: np.ndarray  # int64
    fact_names: np.ndarray  # int32, into names
    fact_keys: np.ndarray  # uint64
    fact_entities: np.ndarray  # uint64
    fact_counts: np.ndarray  # int64, >= 1

    @classmethod
    def empty(cls) -> "DedupRecords":
        ints, hashes = np.empty(0, np.int64), np.empty(0, np.uint64)
        return cls(ints, hashes, ints, _no_signatures(), (), ints, np.empty(0, np.int32), hashes, hashes, ints)

    @property
    def documents(self) -> int:
        """One more than the largest document number (0 if none): where the next part's numbers may start."""
        return int(self.band_docs.max()) + 1 if self.band_docs.size else 0

    def shifted(self, offset: int) -> "DedupRecords":
        return DedupRecords(self.band_docs + offset, self.band_keys, self.signature_docs + offset, self.signatures,
                            self.names, self.fact_docs + offset, self.fact_names, self.fact_keys, self.fact_entities,
                            self.fact_counts)

    @classmethod
    def concat(cls, records: Sequence["DedupRecords"]) -> "DedupRecords":
        """One set of records from several whose document numbers do not overlap (see :func:`combined`)."""
        if not records:
            return cls.empty()
        names = tuple(sorted({n for r in records for n in r.names}))
        code = {n: i for i, n in enumerate(names)}
        recoded = [np.asarray([code[n] for n in r.names], dtype=np.int32)[r.fact_names] if r.names else r.fact_names
                   for r in records]
        return cls(*(np.concatenate([getattr(r, f) for r in records])
                     for f in ("band_docs", "band_keys", "signature_docs", "signatures")), names,
                   np.concatenate([r.fact_docs for r in records]), np.concatenate(recoded).astype(np.int32),
                   *(np.concatenate([getattr(r, f) for r in records])
                     for f in ("fact_keys", "fact_entities", "fact_counts")))


def combined(groups: Iterable[Sequence[DedupRecords]]) -> DedupRecords:
    """The records of several parts (each a sequence of its spills, numbered within the part) as one set, the
    document numbers of each part shifted past those of the parts before it."""
    shifted, offset = [], 0
    for spills in groups:
        part = DedupRecords.concat(list(spills))
        shifted.append(part.shifted(offset))
        offset += part.documents
    return DedupRecords.concat(shifted)


class DedupRecorder:
    """Collects the records of the documents a counter counts (each document's facts as the counter kept them)."""

    def __init__(self, mode: str, threshold: float | None):
        self.signer = Signer(mode, threshold)
        self._next_doc = 0
        self._clear()

    def _clear(self) -> None:
        self._band_docs: list[int] = []
        self._band_keys: list[int] = []
        self._signature_docs: list[int] = []
        self._signatures: list[np.ndarray] = []
        self._names: dict[str, int] = {}
        self._fact_docs: list[int] = []
        self._fact_names: list[int] = []
        self._fact_keys: list[int] = []
        self._fact_entities: list[int] = []
        self._fact_counts: list[int] = []

    @property
    def rows(self) -> int:
        # a signature (512 bytes) weighs about as much as 16 rows of band keys or facts (~32 bytes each)
        return len(self._band_docs) + len(self._fact_docs) + len(self._signatures) * 16

    def add(self, text: str, names: Sequence[str], keys: Sequence[int], entities: Sequence[int]) -> None:
        """One document's text and its counted mentions (a key repeated for each mention counted)."""
        doc = self._next_doc
        self._next_doc += 1
        bands, signature = self.signer.sign(text)
        self._band_docs.extend([doc] * len(bands))
        self._band_keys.extend(bands)
        if signature is not None:
            self._signature_docs.append(doc)
            self._signatures.append(signature)
        mentions: dict[tuple[str, int], list[int]] = {}
        for name, key, entity in zip(names, keys, entities):
            seen = mentions.setdefault((name, key), [entity, 0])
            seen[1] += 1
        for (name, key), (entity, count) in mentions.items():
            self._fact_docs.append(doc)
            self._fact_names.append(self._names.setdefault(name, len(self._names)))
            self._fact_keys.append(key)
            self._fact_entities.append(entity)
            self._fact_counts.append(count)

    def take(self) -> DedupRecords:
        """The records so far, emptying the recorder (document numbers go on counting)."""
        records = DedupRecords(np.asarray(self._band_docs, np.int64), np.asarray(self._band_keys, np.uint64),
                               np.asarray(self._signature_docs, np.int64),
                               np.vstack(self._signatures) if self._signatures else _no_signatures(),
                               tuple(self._names), np.asarray(self._fact_docs, np.int64),
                               np.asarray(self._fact_names, np.int32), np.asarray(self._fact_keys, np.uint64),
                               np.asarray(self._fact_entities, np.uint64), np.asarray(self._fact_counts, np.int64))
        self._clear()
        return records


def _no_signatures() -> np.ndarray:
    return np.empty((0, NUM_PERM), np.uint32)


def clusters(records: DedupRecords, threshold: float | None = None) -> np.ndarray:
    """The cluster of each document number (``0 .. band_docs.max()``), labelled by its smallest document number:
    documents sharing a band key are one cluster, directly or through others; with signatures (``near``), only
    when their signatures agree in at least ``threshold`` of their positions."""
    documents = records.documents
    if not documents:
        return np.empty(0, np.int64)
    if not records.signature_docs.size:
        # exact: a document has one band key, the hash of its text, and its cluster is the documents sharing it
        # (no graph to walk; scipy.sparse would take longer to load than this takes)
        _, band_ids = np.unique(records.band_keys, return_inverse=True)
        return _smallest(np.arange(documents), records.band_docs, band_ids.ravel())
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    sources, targets = _verified_pairs(records, threshold)
    graph = coo_matrix((np.ones(sources.size, np.int8), (sources, targets)), shape=(documents, documents))
    _, labels = connected_components(graph, directed=False)
    return _smallest(np.arange(documents), np.arange(documents), labels)


def _smallest(numbers: np.ndarray, docs: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``numbers`` (each document's own number) with ``numbers[docs]`` replaced by the smallest document of its
    group in ``groups`` (one group label per entry of ``docs``)."""
    smallest = np.full(int(groups.max()) + 1 if groups.size else 0, numbers.size, dtype=np.int64)
    np.minimum.at(smallest, groups, docs)
    numbers[docs] = smallest[groups]
    return numbers


def _verified_pairs(records: DedupRecords, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Edges of the cluster graph of ``near`` records: each document to the first document of its signature
    (equal signatures: equal shingle sets as far as MinHash can tell), and between the first documents of two
    signatures that share a band key and agree in at least ``threshold`` of their positions."""
    signatures = np.empty((records.documents, NUM_PERM), np.uint32)
    signatures[records.signature_docs] = records.signatures
    _, first, of_doc = np.unique(signatures, axis=0, return_index=True, return_inverse=True)
    of_doc = of_doc.ravel()
    sources, targets = [np.arange(records.documents)], [first[of_doc]]
    # the distinct signatures under each band key
    pairs = np.unique(np.stack([records.band_keys, first[of_doc[records.band_docs]].astype(np.uint64)], axis=1),
                      axis=0)
    starts = np.flatnonzero(np.concatenate(([True], pairs[1:, 0] != pairs[:-1, 0], [True])))
    needed = int(np.ceil(threshold * NUM_PERM - 1e-9))
    checked: set[tuple[int, int]] = set()
    for start, end in zip(starts[:-1], starts[1:]):
        if end - start < 2:
            continue
        docs = pairs[start:end, 1].astype(np.int64)
        for i, a in enumerate(docs[:-1]):
            for b in docs[i + 1:]:
                if (a, b) in checked:
                    continue
                checked.add((a, b))
                if np.count_nonzero(signatures[a] == signatures[b]) >= needed:
                    sources.append(np.array([a]))
                    targets.append(np.array([b]))
    return np.concatenate(sources), np.concatenate(targets)


def dedup_tables(records: DedupRecords, threshold: float | None = None, rename: Mapping[str, str] | None = None,
                 ) -> dict[str, FactTable]:
    """Tables counting each fact once per cluster of duplicate documents (the most mentions of one document of
    the cluster, with ``unit="mention"``). Counts made with domains give each category's pooled table too (a
    cluster spanning domains counts once there); ``rename``: as for :func:`~floor.count.summary.merge_tables`,
    applied before counting, so a cluster pooled into ``other`` from two domains counts once."""
    if not records.fact_docs.size:
        return {}
    cluster = clusters(records, threshold)[records.fact_docs]
    names = [rename.get(n, n) if rename else n for n in records.names]
    tables = sorted(set(names) | {split_name(n)[0] for n in names})
    code = {n: i for i, n in enumerate(tables)}
    own = np.asarray([code[n] for n in names], dtype=np.int64)[records.fact_names]
    pooled = np.asarray([code[split_name(n)[0]] for n in names], dtype=np.int64)[records.fact_names]
    with_domain = own != pooled
    table_codes = np.concatenate([own, pooled[with_domain]])
    pick = np.concatenate([np.arange(own.size), np.flatnonzero(with_domain)])
    keys, entities = records.fact_keys[pick], records.fact_entities[pick]
    starts, counts = _max_per_group((table_codes, keys, cluster[pick]), records.fact_counts[pick])
    table_codes, keys, entities = table_codes[starts], keys[starts], entities[starts]
    out: dict[str, FactTable] = {}
    for index in np.unique(table_codes):
        rows = table_codes == index
        out[tables[index]] = FactTable.from_mentions(keys[rows], entities[rows], counts[rows])
    return out


def _max_per_group(columns: tuple[np.ndarray, ...], values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row (in sorted order, as indices into the columns) and the largest value of each group of equal
    ``columns``."""
    order = np.lexsort(columns[::-1])
    sorted_columns = [c[order] for c in columns]
    change = np.zeros(order.size, dtype=bool)
    change[0] = True
    for column in sorted_columns:
        change[1:] |= column[1:] != column[:-1]
    starts = np.flatnonzero(change)
    return order[starts], np.maximum.reduceat(values[order], starts)

