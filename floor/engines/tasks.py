"""The map task shared by every engine: one input file (or split of it) in, its fact counts out."""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass, fields
from itertools import groupby
from typing import Iterator, NamedTuple, Sequence

from ..count import CountsDir, FactCounter, part_name
from ..count.dedup import SKETCHES, Signer
from ..count.identity import InputIdentity, identify
from ..count.store import PlannedInput
from ..errors import FloorError, SkipLog
from ..extract import Extractor, Fact, Pack, Prefilter, choose_packs
from ..extract.packs import PackSource
from ..progress import EVERY_DOCUMENTS, Meter, worker_board
from ..sources import STDIN, Position, Split, plan_splits, read_texts, read_triples, remote
from ..sources.domains import DomainRule

INPUT_KINDS = ("text", "triples")
# Distinct facts a map task holds before it spills them to its part. A held fact is 24 bytes in its table, but
# merging a batch into the tables and splitting them into buckets at a spill take several times that for a while:
# measured, the peak RSS of a map task grows by about 95 bytes per fact of this threshold (2 M: ~190 MB), which
# keeps 10 M distinct facts (pre-extracted triples) under 32 bytes per distinct fact + 300 MB (scripts/bench.py
# --memory). More spills cost time: 4 M was ~15% faster there, at ~190 MB more.
DEFAULT_SPILL_FACTS = 2_000_000
# An uncompressed JSONL file larger than this is read as several map tasks (floor.sources.splits), so that one
# big file keeps every worker busy. Large enough that a split's fixed costs vanish in its scan time.
DEFAULT_SPLIT_BYTES = 256 << 20


@dataclass(frozen=True)
class ScanOptions:
    """Everything a map task needs to know; plain data, so it pickles to worker processes and Ray tasks."""

    input_kind: str = "text"
    fmt: str | None = None
    text_field: str = "text"
    id_field: str = "id"
    title_field: str | None = None
    categories: tuple[str, ...] | None = None
    unit: str = "document"
    on_error: str = "fail"
    sample_rate: float = 1.0
    domain: DomainRule | None = None
    dedup: str | None = None  # duplicate-aware counts too: "exact" or "near" (floor.count.dedup)
    dedup_threshold: float | None = None  # the Jaccard threshold of "near"
    packs: tuple[PackSource, ...] | None = None  # None: the built-in biography packs (floor.extract.packs)
    languages: tuple[str, ...] | None = None  # None: every pack, each on the documents in its language

    def as_params(self) -> dict:
        """The options as a counts directory's manifest records them (a domain map by its content's digest, the
        packs by name, source, digest and their categories' answer spaces)."""
        params = {f.name: getattr(self, f.name) for f in fields(self)}
        params["categories"] = list(self.categories) if self.categories else None
        params["domain"] = self.domain.as_params() if self.domain is not None else None
        params["dedup_sketch"] = SKETCHES.get(self.dedup)
        params["packs"] = [pack.as_params() for pack in chosen_packs(self)]
        params["languages"] = list(self.languages) if self.languages else None
        return params


def chosen_packs(options: ScanOptions) -> tuple[Pack, ...]:
    """The packs a scan with ``options`` runs (:func:`floor.extract.choose_packs`)."""
    if options.input_kind != "text":
        return ()
    return choose_packs(None if options.packs is None else [p.load() for p in options.packs], options.languages)


class Task(NamedTuple):
    """One map task: an input file, or one split of it, with the input's identity (``None``: stdin, a pipe, a
    file that cannot be read; the task then reports why)."""

    path: str
    split: Split | None = None
    source: InputIdentity | None = None

    def label(self) -> str:
        return self.path if self.split is None else f"{self.path} [{self.split.index + 1}/{self.split.count}]"

    def size(self) -> int | None:
        if self.split is not None:
            return self.split.end - self.split.start
        return self.source.size if remote.is_url(self.path) and self.source is not None else _file_size(self.path)


def plan_tasks(paths: Sequence[str], options: ScanOptions, split_bytes: int | None = DEFAULT_SPLIT_BYTES) -> list[Task]:
    """The map tasks for ``paths``: one per file, or one per split of a large uncompressed local JSONL text file
    (``split_bytes=None``: never split; a remote file is split alike, its splits read with range requests).

    A file given under several names (spellings, symbolic or hard links: the same device and inode) is read
    once, under the first. Pre-extracted triples are never split: a document's rows must stay in one task to be
    counted once.
    """
    tasks = []
    seen: set[tuple[int, int]] = set()
    for path in paths:
        source = identify(path)
        if source is not None and source.inode != 0:  # 0: a file system without inode numbers
            if (source.device, source.inode) in seen:
                continue
            seen.add((source.device, source.inode))
        size = source.size if source is not None and options.input_kind == "text" and split_bytes is not None \
            else None
        splits = plan_splits(path, size, split_bytes, options.fmt) if size is not None else None
        tasks.extend([Task(path, split, source) for split in splits] if splits else [Task(path, None, source)])
    return tasks


def _file_size(path: str) -> int | None:
    """The size of a regular file; ``None`` for stdin, pipes and paths that cannot be read (reported later)."""
    if path == STDIN:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def document_facts(path: str, options: ScanOptions, skips: SkipLog, position: Position | None = None,
                   split: Split | None = None, ids: bool = True, with_text: bool = False,
                   ) -> Iterator[tuple]:
    """``(doc_id, facts, domain)`` for each document of one input: extracted from text, or grouped pre-extracted
    triples. ``domain``: the document's domain name under ``options.domain`` (``None`` without a domain rule),
    of every document: the documents read per domain are counted too. ``with_text``: ``(doc_id, facts,
    domain, text)``, the text of a document that states a fact (``None`` for the others, and for triples).

    Text is prefiltered on its raw bytes (:mod:`floor.extract.prefilter`): a document in which no keyword can
    match is counted but not searched (nor, in Parquet, decoded). ``position``, if given, follows the bytes read
    (for progress). ``split``: only that split of the file; ``ids=False``: a missing id stays ``None`` (for
    counting).
    """
    if options.input_kind == "triples":
        triples = read_triples(path, fmt=options.fmt, skips=skips, position=position)
        # Triples of one document are contiguous (as `floor extract` writes them); a row without a doc_id
        # has its file:line as id, so it is a document of its own.
        for doc_id, group in groupby(triples, key=lambda t: t.doc_id):
            facts = [_triple_fact(t) for t in group]
            yield (doc_id, facts, None, None) if with_text else (doc_id, facts, None)
        return
    rule = options.domain
    by_path = rule is not None and rule.by == "path"
    by_language = rule is not None and rule.by == "language"
    file_domain = rule.name(rule.file_domain(path)) if by_path else None  # the domain of every record of the file
    extractor, texts = _texts(path, options, skips, position, split, ids)
    extract, read = extractor.extract, extractor.read
    for doc_id, text, mask, title, raw_domain in texts:
        if by_language:
            facts, language = ([], None) if text is None else read(text, mask, title)
            domain = rule.name(language)
        else:
            facts = [] if text is None else extract(text, mask, title)
            domain = file_domain if by_path or rule is None else rule.name(raw_domain)
        if with_text:
            yield doc_id, facts, domain, text if facts else None
        else:
            yield doc_id, facts, domain


def _texts(path: str, options: ScanOptions, skips: SkipLog, position: Position | None = None,
           split: Split | None = None, ids: bool = True):
    """The extractor for ``options`` and the ``(doc_id, text, mask, title, raw domain)`` of one text input, a
    document in which no keyword can match with text ``None`` (:func:`floor.sources.read_texts`)."""
    extractor = _extractor(options)
    texts = read_texts(path, fmt=options.fmt, text_field=options.text_field, id_field=options.id_field,
                       title_field=options.title_field, domain=options.domain, skips=skips,
                       prefilter=_prefilter(extractor), position=position, split=split, ids=ids,
                       unmatched_texts=False)
    return extractor, texts


def new_counter(options: ScanOptions) -> FactCounter:
    """An empty counter of the unit, sample rate and dedup mode of ``options``."""
    return FactCounter(unit=options.unit, sample_rate=options.sample_rate, dedup=options.dedup,
                       dedup_threshold=options.dedup_threshold)


def domain_documents(counter: FactCounter, options: ScanOptions) -> dict[str, int] | None:
    """The documents ``counter`` read per domain, as counts record them: of a scan with a domain option, where
    every document has one (``None`` without)."""
    return counter.domain_documents if options.domain is not None else None


def count_file(path: str, options: ScanOptions, spill=None, spill_facts: int = DEFAULT_SPILL_FACTS,
               meter: Meter | None = None, split: Split | None = None):
    """Count one input (or one ``split`` of it); hand the tables (and dedup records, ``None`` without dedup) to
    ``spill`` whenever they hold ``spill_facts`` distinct facts (and rows of records).

    ``meter``: where to publish progress (documents, facts, bytes read) every few dozen documents.
    Returns the counter (its remaining tables and records, documents) and the skip log.
    """
    skips = SkipLog(on_error=options.on_error)
    counter = new_counter(options)
    if meter is None or not meter.active:
        for _, facts, domain, text in document_facts(path, options, skips, split=split, ids=False, with_text=True):
            if counter.add_document(facts, domain, text) and spill is not None and counter.distinct >= spill_facts:
                spill(counter.take(), counter.take_records())
        return counter, skips
    meter.position = Position()
    meter.start()
    every = EVERY_DOCUMENTS
    countdown = every
    for _, facts, domain, text in document_facts(path, options, skips, meter.position, split=split, ids=False,
                                                 with_text=True):
        meter.facts += len(facts)
        if counter.add_document(facts, domain, text) and spill is not None and counter.distinct >= spill_facts:
            spill(counter.take(), counter.take_records())
        countdown -= 1
        if not countdown:
            countdown = every
            meter.documents = counter.documents
            meter.publish()
    meter.documents = counter.documents
    meter.publish()
    return counter, skips


def scan_file_to_dir(task: Task, options: ScanOptions, counts_path: str,
                     spill_facts: int = DEFAULT_SPILL_FACTS, progress_slot: int | None = None) -> int:
    """Count one input (or one split of it) into its own part of a counts directory; returns the documents read.

    The part becomes visible only when complete, so a killed task leaves nothing that a resumed scan would
    mistake for finished work. It records the input's identity (``task.source``, as planned; else as it is now),
    and the task fails if the file is not that version when it starts, or changed while it was read.
    ``progress_slot``: this task's slot on the scan's progress board (:mod:`floor.progress`), if the scan has one.
    """
    meter = Meter(worker_board(), progress_slot) if progress_slot is not None else None
    path, split = task.path, task.split
    source = _unchanged_source(task)
    # The part names the input as its plan does, whatever it is called now (a resumed scan may spell it otherwise).
    counted = PlannedInput(path, None) if source is None else PlannedInput(source.path, source)
    writer = CountsDir.open(counts_path).writer(part_name([counted.path], split))
    try:
        counter, skips = count_file(path, options, spill=writer.write_spill, spill_facts=spill_facts, meter=meter,
                                    split=split)
        writer.write_spill(counter.take(), counter.take_records())
        _check_still(task, source)
        writer.commit([counted], counter.documents, skips, split, domain_documents(counter, options))
    except BaseException:
        writer.abort()
        raise
    if meter is not None:
        meter.finish()
    return counter.documents


def _unchanged_source(task: Task) -> InputIdentity | None:
    """The identity of the task's input, as planned; a FloorError if the file changed since it was planned."""
    now = identify(task.path, fresh=True)
    if task.source is None:
        return now
    change = "it cannot be read now" if now is None else task.source.change(now)
    if change:
        raise FloorError(f"{task.path} changed since its scan was planned ({change}); its counts would be stale: "
                         "restore it, or scan it into a new directory")
    return task.source


def _check_still(task: Task, source: InputIdentity | None) -> None:
    """A file that changed while it was read gives counts of no version of it."""
    if source is None:
        return
    if remote.is_url(task.path):
        now = identify(task.path, fresh=True)
        changed = now is None or not source.same_version(now)
    else:
        try:
            info = os.stat(task.path)
            changed = (info.st_size, info.st_mtime_ns) != (source.size, source.mtime_ns)
        except OSError:
            changed = True
    if changed:
        raise FloorError(f"{task.path} changed while it was scanned; scan it again once it no longer changes")


_EXTRACTORS: dict[tuple, Extractor] = {}


def _extractor(options: ScanOptions) -> Extractor:
    # Compiling the pattern registry is worth doing once per process, not once per file.
    key = (options.categories, options.packs, options.languages)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = Extractor(options.categories, chosen_packs(options), options.languages)
    return _EXTRACTORS[key]


def warm_up(options: ScanOptions) -> None:
    """Build what every map task of ``options`` needs (compiled patterns, prefilter, MinHash permutations), so
    that processes forked afterwards share it."""
    if options.input_kind == "text":
        extractor = _extractor(options)
        extractor.compile()
        _prefilter(extractor)
    if options.dedup is not None:
        Signer(options.dedup, options.dedup_threshold)


def _prefilter(extractor: Extractor) -> Prefilter | None:
    """The raw-bytes prefilter (env ``FLOOR_PREFILTER``: ``auto`` (default), ``hyperscan``, ``python`` or
    ``off``, to compare the paths; all give the same facts)."""
    backend = os.environ.get("FLOOR_PREFILTER", "auto")
    return None if backend == "off" else extractor.prefilter(backend)


def _triple_fact(triple) -> Fact:
    entity = _normal_text(triple.entity)
    value = _normal_text(triple.value)
    return Fact(category=triple.relation, entity=entity, entity_key=entity.casefold(), value=value,
                start=0, end=0, text="")


def _normal_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())
