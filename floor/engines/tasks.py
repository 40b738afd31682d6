"""The map task shared by every engine: one input file in, its fact counts out."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from itertools import groupby
from typing import Iterator

from ..count import Counts, FactCounter
from ..errors import SkipLog
from ..extract import Extractor, Fact
from ..sources import read_documents, read_triples

INPUT_KINDS = ("text", "triples")


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
    documents = read_documents(path, fmt=options.fmt, text_field=options.text_field, id_field=options.id_field, skips=skips)
    for document in documents:
        yield document.doc_id, extractor.extract(document.text)


def scan_file(path: str, options: ScanOptions) -> Counts:
    """Count the facts of one input file (the map task)."""
    skips = SkipLog(on_error=options.on_error)
    counter = FactCounter(unit=options.unit)
    for _, facts in document_facts(path, options, skips):
        counter.add_document(facts)
    return Counts(
        tables=counter.tables(), unit=options.unit, documents=counter.documents, inputs=[path], skips=skips,
        params=options.as_params(),
    )


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
