"""Duplicate-aware counts: each fact counted once per cluster of duplicate documents, beside the raw counts.

Map side (:class:`DedupRecorder`, fed by :class:`~floor.count.FactCounter`): every document that states a fact
gets *band keys*: ``exact``, one, the hash of its normalized text (NFKC, case-folded, its words joined by
spaces); ``near``, one per LSH band of its MinHash signature (:data:`NUM_PERM` permutations) of its
:data:`SHINGLE_WORDS`-word shingles, with the bands and rows that datasketch's ``MinHashLSH`` chooses for the
Jaccard threshold weighting false negatives 9:1 (:func:`band_shape`), and the signature itself. The signatures
are datasketch's ``MinHash`` (``scheme="affine32"``, seed 1, :func:`shingle_hash` as its hash function), bit for
bit, computed for a batch of documents at once (:func:`signatures`): datasketch signs one document per call and
takes longer to import than the signing costs. A part stores
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
# How a document's keys are made, recorded with the scan options: counts signed another way are not mixed.
SKETCHES = {"exact": "xxh3-utf32", "near": "minhash-affine32-poly64"}
_WORD = re.compile(r"\w")
_MINHASH_SEED = 1  # fixed: signatures of one text are equal in every process and run
_BASE = 0x100000001B3  # odd, so invertible modulo 2**64 (the 64-bit FNV prime)
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)  # MurmurHash3's 32-bit finalizer, as datasketch pre-mixes
_CHUNK_SHINGLES = 16384  # shingles per block of permuted hashes (NUM_PERM x shingles: 8 MB)
_KNOWN_SIGNATURES = 1 << 15  # signatures kept by their text's exact key (Signer): about 32 MB
_BATCH_CHARACTERS = 1 << 18  # texts signed together: few numpy calls per document, a few MB of working memory


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


@dataclass(frozen=True)
class NormalizedTexts:
    """A batch of texts NFKC-normalized and case-folded, the words (runs of ``\\w`` characters) of each joined by
    single spaces: ``codes``, the code points (uint32) of the normalized texts joined by single spaces, and the
    ``lengths`` of each. Built with numpy over the whole batch: a regular expression over each text costs more
    than the signing."""

    codes: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> "NormalizedTexts":
        codes, text_starts = _folded_words([unicodedata.normalize("NFKC", text) for text in texts])
        word = codes != 32
        # where runs of word characters start and end (one past their last character), alternately
        edges = np.flatnonzero(np.diff(word, prepend=False, append=False))
        starts, ends = edges[0::2], edges[1::2]
        # the words of text i are first_word[i] .. first_word[i + 1] - 1 (per text, not per character: cheap)
        first_word = np.searchsorted(starts, text_starts)
        words = np.diff(first_word)
        characters = np.concatenate(([0], np.cumsum(ends - starts)))[first_word]
        keep = word
        keep[text_starts[1:-1] - 1] = True  # the spaces between texts
        # the character after a word becomes the space before the next word of its text
        not_last = np.ones(starts.size, dtype=bool)
        not_last[first_word[1:][words > 0] - 1] = False
        keep[ends[not_last]] = True
        lengths = np.diff(characters) + np.maximum(words - 1, 0)
        return cls(codes[keep], lengths.astype(np.int64))

    def starts(self) -> np.ndarray:
        """Where each text begins in ``codes``."""
        return np.cumsum(self.lengths + 1) - self.lengths - 1

    def select(self, indices: Sequence[int]) -> "NormalizedTexts":
        """The texts at ``indices``, in that order."""
        starts, lengths = self.starts()[list(indices)], self.lengths[list(indices)]
        space = np.array([32], dtype=np.uint32)
        pieces = [piece for start, length in zip(starts.tolist(), lengths.tolist())
                  for piece in (space, self.codes[start:start + length])][1:]
        return NormalizedTexts(np.concatenate(pieces) if pieces else np.empty(0, np.uint32), lengths)

    def keys(self) -> list[int]:
        """Each text's ``exact`` key: the 64-bit xxh3 of its normalized code points."""
        return [xxhash.xxh3_64_intdigest(self.codes[start:start + length].tobytes())
                for start, length in zip(self.starts().tolist(), self.lengths.tolist())]


_UNUSUAL = np.uint32(0xFFFFFFFF)  # a character that case-folds to several, or outside the plane


@functools.cache
def _folding_plane() -> np.ndarray:
    """Each character of the Basic Multilingual Plane case-folded, or a space if that is not a word character
    (``\\w``), or :data:`_UNUSUAL`; and, last, :data:`_UNUSUAL` for every character past the plane (256 KB,
    built once per process)."""
    folded = [chr(code).casefold() for code in range(0x10000)]
    return np.array([(ord(f) if _WORD.fullmatch(f) else 32) if len(f) == 1 else _UNUSUAL for f in folded]
                    + [_UNUSUAL], dtype=np.uint32)


def _folded_words(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of ``texts`` case-folded, every non-word character a space, joined by spaces; and where
    each text starts (and, last, one past the end). Folded through a table, but for texts with a character
    that folds to several or lies outside the plane (few), which ``str.casefold`` folds."""
    raw = np.frombuffer(" ".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = np.take(_folding_plane(), raw, mode="clip")  # past the plane: the table's last entry
    text_starts = np.cumsum([0] + [len(text) + 1 for text in texts])
    if not codes.size or codes.max() != _UNUSUAL:
        return codes, text_starts
    unusual = np.flatnonzero(codes == _UNUSUAL)
    refold = set((np.searchsorted(text_starts, unusual, "right") - 1).tolist())
    pieces = []
    for index, text in enumerate(texts):
        if index in refold:
            folded = np.frombuffer(text.casefold().encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            pieces.append(np.where(_word_characters(folded), folded, np.uint32(32)))
        else:
            pieces.append(codes[text_starts[index]:text_starts[index + 1] - 1])
        pieces.append(np.array([32], dtype=np.uint32))
    codes = np.concatenate(pieces[:-1])
    return codes, np.cumsum([0] + [piece.size for piece in pieces[::2]]) + np.arange(len(texts) + 1)


def _word_characters(codes: np.ndarray) -> np.ndarray:
    distinct, inverse = np.unique(codes, return_inverse=True)
    return np.array([_WORD.fullmatch(chr(code)) is not None for code in distinct.tolist()],
                    dtype=bool)[inverse.ravel()]


def shingle_hash(shingle: str | bytes) -> int:
    """The 32-bit hash of a shingle (words joined by single spaces): the top half of the polynomial
    ``sum(c[j] * _BASE**j) mod 2**64`` over its code points ``c``. A polynomial, so that the hashes of every
    shingle of a batch of texts come from one prefix sum (:func:`signatures`); given as ``hashfunc``, it makes
    datasketch's ``MinHash`` compute floor's signatures (the tests check that they agree)."""
    if isinstance(shingle, bytes):
        shingle = shingle.decode()
    value = 0
    for char in reversed(shingle):
        value = (value * _BASE + ord(char)) % (1 << 64)
    return value >> 32


@functools.cache
def permutations(num_perm: int = NUM_PERM, seed: int = _MINHASH_SEED) -> tuple[np.ndarray, np.ndarray]:
    """``(a, b)`` of the ``num_perm`` affine permutations ``h -> a*h + b mod 2**32`` that datasketch's
    ``MinHash(num_perm, seed, scheme="affine32")`` draws (odd ``a``, so each is a bijection)."""
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    values = values ^ (values >> np.uint32(s1))
    values = values * np.uint32(m1)
    values = values ^ (values >> np.uint32(s2))
    values = values * np.uint32(m2)
    return values ^ (values >> np.uint32(s3))


@functools.lru_cache(maxsize=2)
def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """``_BASE**j`` and ``_BASE**-j`` mod 2**64 for ``j < size`` (unsigned products wrap), kept for the next batch."""
    return tuple(np.cumprod(np.concatenate(([np.uint64(1)], np.full(size - 1, base, dtype=np.uint64))))
                 for base in (_BASE, _BASE_INVERSE))


def signatures(texts: NormalizedTexts) -> np.ndarray:
    """The MinHash signatures (texts x :data:`NUM_PERM`, uint32) of normalized texts: over each text's
    :data:`SHINGLE_WORDS`-word shingles (one shingle of all its words if it has fewer), hashed by
    :func:`shingle_hash`, pre-mixed and permuted as datasketch's ``affine32`` scheme does. What datasketch
    computes one document at a time, computed here for a batch: one prefix sum gives every shingle's hash, one
    block of permutations serves many documents."""
    count = texts.lengths.size
    out = np.full((count, NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not count:
        return out
    codes = texts.codes
    powers, inverse = _powers(1 << int(codes.size).bit_length())
    prefix = np.zeros(codes.size + 1, dtype=np.uint64)
    np.multiply(codes, powers[:codes.size], out=prefix[1:])
    np.cumsum(prefix[1:], out=prefix[1:])
    spaces = np.flatnonzero(codes == 32)
    word_starts = np.concatenate(([0], spaces + 1))
    word_ends = np.concatenate((spaces, [codes.size]))
    starts = texts.starts()
    first_word = np.searchsorted(spaces, starts)
    words = np.searchsorted(spaces, starts + texts.lengths) - first_word + 1
    shingles = np.maximum(1, words - (SHINGLE_WORDS - 1))
    text_of = np.repeat(np.arange(count), shingles)
    offset = np.arange(text_of.size) - np.repeat(np.cumsum(shingles) - shingles, shingles)
    start = word_starts[first_word[text_of] + offset]
    end = word_ends[first_word[text_of] + np.minimum(offset + SHINGLE_WORDS - 1, words[text_of] - 1)]
    hashes = ((prefix[end] - prefix[start]) * inverse[start]) >> np.uint64(32)
    hashes = _fmix32(hashes.astype(np.uint32))
    a, b = permutations()
    a, b = a[:, None], b[:, None]
    block = np.empty((NUM_PERM, min(_CHUNK_SHINGLES, hashes.size)), dtype=np.uint32)
    minima = out.T  # permutations by texts, so that each minimum runs along contiguous memory
    for low in range(0, hashes.size, _CHUNK_SHINGLES):
        chunk = hashes[low:low + _CHUNK_SHINGLES]
        permuted = block[:, :chunk.size]
        np.multiply(a, chunk[None, :], out=permuted)
        np.add(permuted, b, out=permuted)
        owners = text_of[low:low + _CHUNK_SHINGLES]
        firsts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        rows = owners[firsts]
        minima[:, rows] = np.minimum(minima[:, rows], np.minimum.reduceat(permuted, firsts, axis=1))
    return out


# Weights of false positives and false negatives when choosing the bands: candidates are verified by their
# signatures, so a false candidate costs only a comparison, while a missed one is a duplicate left uncounted.
_BAND_WEIGHTS = (0.1, 0.9)


@functools.cache
def band_shape(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """``(bands, rows)`` of the LSH index for a Jaccard ``threshold``: the shape that datasketch's ``MinHashLSH``
    chooses, minimizing the weighted areas under the collision curve ``1 - (1 - s**r)**b`` below the threshold
    (false positives) and above its complement past it (false negatives). Both integrands are polynomials of
    degree at most ``num_perm``, so Gauss-Legendre quadrature with ``num_perm // 2 + 1`` nodes integrates them
    exactly (datasketch integrates adaptively through scipy, which takes longer to load than a scan of this)."""
    shapes = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=float)
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def area(low: float, high: float, below: bool) -> np.ndarray:
        s = (high - low) / 2 * nodes + (high + low) / 2
        collide = 1 - (1 - s[None, :] ** shapes[:, 1:2]) ** shapes[:, 0:1]
        return (high - low) / 2 * ((collide if below else 1 - collide) @ weights)

    error = _BAND_WEIGHTS[0] * area(0.0, threshold, True) + _BAND_WEIGHTS[1] * area(threshold, 1.0, False)
    b, r = shapes[int(np.argmin(error))]
    return int(b), int(r)


def collision_probability(jaccard: float, threshold: float) -> float:
    """The probability that two documents of this Jaccard similarity share a band key (are candidates)."""
    bands, rows = band_shape(threshold)
    return 1 - (1 - jaccard**rows) ** bands


class Signer:
    """The band keys and signatures of a batch of texts under a dedup mode (see module docstring). Built before
    the local engine forks its workers (:func:`floor.engines.tasks.warm_up`), it leaves its tables to them.

    A text whose normalized form was signed before (an exact copy, as crawled corpora hold many) takes the
    signature already made: the last :data:`_KNOWN_SIGNATURES` signatures are kept by their ``exact`` key (about
    32 MB)."""

    def __init__(self, mode: str, threshold: float | None):
        self.mode = mode
        self.shape = band_shape(threshold) if mode == "near" else (1, 0)
        self._known: dict[int, tuple[list[int], np.ndarray]] = {}
        _folding_plane()
        if mode == "near":
            permutations()

    def sign(self, texts: Sequence[str]) -> tuple[list[list[int]], np.ndarray | None]:
        """The band keys of each text, and their MinHash signatures (``None`` for ``exact``)."""
        normalized = NormalizedTexts.of(texts)
        keys = normalized.keys()
        if self.mode == "exact":
            return [[key] for key in keys], None
        first: dict[int, int] = {}  # the first text of each key not signed before
        for i, key in enumerate(keys):
            if key not in self._known:
                first.setdefault(key, i)
        new = list(first.values())
        bands, rows = self.shape
        unsigned = normalized if len(new) == len(keys) else normalized.select(new)
        for i, signature in zip(new, signatures(unsigned)):
            band_keys = [xxhash.xxh3_64_intdigest(band.to_bytes(2, "little") +
                                                  signature[band * rows:(band + 1) * rows].tobytes())
                         for band in range(bands)]
            self._known[keys[i]] = (band_keys, signature)
        known = [self._known[key] for key in keys]
        while len(self._known) > _KNOWN_SIGNATURES:
            del self._known[next(iter(self._known))]  # the oldest
        return [band_keys for band_keys, _ in known], np.vstack([signature for _, signature in known])


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
    """Collects the records of the documents a counter counts (each document's facts as the counter kept them).
    Texts wait in a batch of :data:`_BATCH_CHARACTERS` characters before they are signed together."""

    def __init__(self, mode: str, threshold: float | None):
        self.signer = Signer(mode, threshold)
        self._next_doc = 0
        self._clear()

    def _clear(self) -> None:
        self._pending_docs: list[int] = []
        self._pending_texts: list[str] = []
        self._pending_characters = 0
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
        return len(self._band_docs) + len(self._fact_docs) + (len(self._signature_docs) + len(self._pending_docs)) * 16

    def add(self, text: str, names: Sequence[str], keys: Sequence[int], entities: Sequence[int]) -> None:
        """One document's text and its counted mentions (a key repeated for each mention counted)."""
        doc = self._next_doc
        self._next_doc += 1
        self._pending_docs.append(doc)
        self._pending_texts.append(text)
        self._pending_characters += len(text)
        if self._pending_characters >= _BATCH_CHARACTERS:
            self._sign_pending()
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

    def _sign_pending(self) -> None:
        if not self._pending_docs:
            return
        keys, signed = self.signer.sign(self._pending_texts)
        for doc, bands in zip(self._pending_docs, keys):
            self._band_docs.extend([doc] * len(bands))
            self._band_keys.extend(bands)
        if signed is not None:
            self._signature_docs.extend(self._pending_docs)
            self._signatures.append(signed)
        self._pending_docs, self._pending_texts, self._pending_characters = [], [], 0

    def take(self) -> DedupRecords:
        """The records so far, emptying the recorder (document numbers go on counting)."""
        self._sign_pending()
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
    representative, pairs = _verified_pairs(records, threshold)
    labels = _joined(representative, pairs)
    return _smallest(np.arange(documents), np.arange(documents), labels)


def _joined(labels: np.ndarray, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """``labels`` (a group per node, each group named by one of its nodes) with the groups of each pair joined,
    each joined group named by the smallest name among it: union-find over the pairs, which are few beside the
    documents (each document already points to the first document of its signature)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        top = node
        while parent.get(top, top) != top:
            top = parent[top]
        while node != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    if not parent:
        return labels
    names = np.arange(labels.size)
    nodes = np.fromiter(parent, dtype=np.int64, count=len(parent))
    names[nodes] = [root(int(node)) for node in nodes]
    return names[labels]


def _smallest(numbers: np.ndarray, docs: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``numbers`` (each document's own number) with ``numbers[docs]`` replaced by the smallest document of its
    group in ``groups`` (one group label per entry of ``docs``)."""
    smallest = np.full(int(groups.max()) + 1 if groups.size else 0, numbers.size, dtype=np.int64)
    np.minimum.at(smallest, groups, docs)
    numbers[docs] = smallest[groups]
    return numbers


def _first_equal_rows(rows: np.ndarray) -> np.ndarray:
    """For each row, the first row equal to it: rows grouped by a 64-bit linear hash (a sort of numbers, where
    ``np.unique(axis=0)`` sorts rows field by field), the groups checked whole, and grouped row by row in the
    (vanishingly rare) case where two different rows share a hash."""
    weights = permutations()[0].astype(np.uint64)  # odd numbers, fixed
    keys = rows.astype(np.uint64) @ weights  # wraps modulo 2**64
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    found = first[inverse.ravel()]
    if not (rows == rows[found]).all():
        _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        found = first[inverse.ravel()]
    return found


def _verified_pairs(records: DedupRecords, threshold: float) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The first document of each document's signature (equal signatures: equal shingle sets as far as MinHash
    can tell), and the pairs of such first documents whose signatures share a band key and agree in at least
    ``threshold`` of their positions."""
    signatures = np.empty((records.documents, NUM_PERM), np.uint32)
    signatures[records.signature_docs] = records.signatures
    representative = _first_equal_rows(signatures)
    # the distinct signatures under each band key, sorted by key
    bands, firsts = records.band_keys, representative[records.band_docs]
    order = np.lexsort((firsts, bands))
    bands, firsts = bands[order], firsts[order]
    new = np.concatenate(([True], (bands[1:] != bands[:-1]) | (firsts[1:] != firsts[:-1])))
    bands, firsts = bands[new], firsts[new]
    starts = np.flatnonzero(np.concatenate(([True], bands[1:] != bands[:-1], [True])))
    needed = int(np.ceil(threshold * NUM_PERM - 1e-9))
    checked: set[tuple[int, int]] = set()
    verified: list[tuple[int, int]] = []
    for start, end in zip(starts[:-1], starts[1:]):
        if end - start < 2:
            continue
        docs = firsts[start:end].tolist()
        for i, a in enumerate(docs[:-1]):
            for b in docs[i + 1:]:
                if (a, b) in checked:
                    continue
                checked.add((a, b))
                if np.count_nonzero(signatures[a] == signatures[b]) >= needed:
                    verified.append((a, b))
    return representative, verified


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

