"""The map task shared by every engine: one input file in, its fact counts out."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Iterator

from ..count import Counts, CountsDir, FactCounter, part_name
from ..errors import SkipLog
from ..extract import Extractor, Fact
from ..sources import read_documents, read_triples

INPUT_KINDS = ("text", "triples")
# Distinct facts a map task holds before it spills them to its part (24 bytes each: ~100 MB).
DEFAULT_SPILL_FACTS = 4_000_000


@dataclass(frozen=True)
class ScanOptions:
    """Everything a map task needs to know; plain data, so it pickles to worker processes and Ray tasks."""

    input_kind: str = "text"
    fmt: str | None = None
    text_field: str = "text"
    id_field: str = "id"
    categories: tuple[str, ...] | None = None
    unit: str = "document"
    on_error: str = "fail"

    def as_params(self) -> dict:
        params = asdict(self)
        params["categories"] = list(self.categories) if self.categories else None
        return params


def document_facts(path: str, options: ScanOptions, skips: SkipLog) -> Iterator[tuple[str, list[Fact]]]:
    """``(doc_id, facts)`` for each document of one input: extracted from text, or grouped pre-extracted triples."""
    if options.input_kind == "triples":
        triples = read_triples(path, fmt=options.fmt, skips=skips)
        # Triples of one document are contiguous (as `floor extract` writes them); a row without a doc_id
        # has its file:line as id, so it is a document of its own.
        for doc_id, group in groupby(triples, key=lambda t: t.doc_id):
            yield doc_id, [_triple_fact(t) for t in group]
        return
    extractor = _extractor(options.categories)
    documents = read_documents(path, fmt=options.fmt, text_field=options.text_field, id_field=options.id_field,
                               skips=skips)
    for document in documents:
        yield document.doc_id, extractor.extract(document.text)


def count_file(path: str, options: ScanOptions, spill=None, spill_facts: int = DEFAULT_SPILL_FACTS):
    """Count one input; hand the tables to ``spill`` whenever they hold ``spill_facts`` distinct facts.

    Returns the counter (its remaining tables, documents) and the skip log.
    """
    skips = SkipLog(on_error=options.on_error)
    counter = FactCounter(unit=options.unit)
    for _, facts in document_facts(path, options, skips):
        counter.add_document(facts)
        if spill is not None and counter.distinct >= spill_facts:
            spill(counter.take())
    return counter, skips


def scan_file(path: str, options: ScanOptions) -> Counts:
    """Count the facts of one input file in memory (the map task of the Ray engine)."""
    counter, skips = count_file(path, options)
    return Counts(tables=counter.tables(), unit=options.unit, documents=counter.documents, inputs=[path],
                  skips=skips, params=options.as_params())


def scan_file_to_dir(path: str, options: ScanOptions, counts_path: str,
                     spill_facts: int = DEFAULT_SPILL_FACTS) -> int:
    """Count one input into its own part of a counts directory; returns the documents read.

    The part becomes visible only when complete, so a killed task leaves nothing that a resumed scan would
    mistake for finished work.
    """
    writer = CountsDir.open(counts_path).writer(part_name([path]))
    try:
        counter, skips = count_file(path, options, spill=writer.write_spill, spill_facts=spill_facts)
        writer.write_spill(counter.take())
        writer.commit([path], counter.documents, skips)
    except BaseException:
        writer.abort()
        raise
    return counter.documents


_EXTRACTORS: dict[tuple[str, ...] | None, Extractor] = {}


def _extractor(categories: tuple[str, ...] | None) -> Extractor:
    # Compiling the pattern registry is worth doing once per process, not once per file.
    if categories not in _EXTRACTORS:
        _EXTRACTORS[categories] = Extractor(categories)
    return _EXTRACTORS[categories]


def _triple_fact(triple) -> Fact:
    entity = _normal_text(triple.entity)
    value = _normal_text(triple.value)
    return Fact(category=triple.relation, entity=entity, entity_key=entity.casefold(), value=value,
                start=0, end=0, text="")


def _normal_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())
