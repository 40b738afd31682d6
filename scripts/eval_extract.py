#!/usr/bin/env python3
"""Measure floor's extraction against labelled facts: precision, recall, entity accuracy, singleton rate, errors.

    python scripts/eval_extract.py CORPUS TRUTH                          # table + the most frequent errors
    python scripts/eval_extract.py CORPUS TRUTH --json /tmp/eval.json    # also every number and error, as JSON
    python scripts/eval_extract.py data/sample data/sample-truth-facts.tsv.gz     # a facts-table truth

CORPUS is any input floor reads (files, directories, globs); floor's facts are those of ``floor.extract``.
TRUTH is one of:

* mention lines (JSONL), one fact stated in one document a line:
  ``{"doc_id", "entity", "surface", "relation", "value", "evidence"}`` (``surface`` and ``evidence`` optional).
  Values are floor's (``YYYY``, ``YYYY-MM-DD``, a place), except that a year may be written ``427 BC`` (floor's
  ``-0427``), ``AD 14`` or with fewer than four digits (``870``: floor's ``0870``);
* a facts table (TSV with a header, gzip allowed): ``category<TAB>entity<TAB>value<TAB>count``, the count being
  the documents that state the fact (``scripts/make_sample.py`` writes one). It names no documents, so facts
  are matched by (category, folded entity, value) and counted: a fact found in 3 documents and labelled in 2
  is 2 true positives and 1 false positive. There is no separate entity accuracy then.

Per category labelled in the truth, and pooled over those categories:

* precision: of floor's facts -- its distinct (document, category, entity, value), as floor counts them -- the
  fraction whose (document, category, value) a truth line states. The entity is judged apart:
* entity accuracy: of those true positives, the fraction whose entity equals the truth line's entity or
  surface, both folded (case folded, NFKD, combining marks and everything but letters and digits dropped),
  with or without a trailing parenthetical qualifier (``Nirvana (band)``: ``Nirvana``);
* recall: of the truth lines, the fraction whose (document, category, value) floor found;
* sr: the singleton rate f1/N of floor's facts and of the truth's, a fact keyed by (folded entity, value),
  N the documents stating each fact summed, f1 the facts stated in exactly one document; gap = floor - truth.

Year categories compare floor's year facts only (floor derives them from full dates too). Categories floor
finds that the truth does not label are reported as "unlabelled" counts, not as false positives.

Errors -- false positives, misses, and true positives with the wrong entity -- are listed with their document
and a window of text around the match (floor's span; for a miss, the truth's evidence), ``[[`` ``]]`` marking
the span, and grouped by a coarse form: how the error relates to the labels, where in the document it sits
(its first or second line, or the body), and the shape of the text (digits as ``N``, month names as ``M``,
floor's entity as ``X``). Everything is sorted, so two runs print the same; only the timing differs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import floor
from floor.errors import FloorError, SkipLog
from floor.extract import CATEGORIES
from floor.sources import iter_documents

WINDOW = 60
SHAPE_CHARS = 48
_ERA_YEAR = re.compile(
    r"(?:(?P<pre>AD|A\.D\.|CE|C\.E\.)\s*)?(?P<year>\d{1,4})"
    r"(?:\s*(?P<post>BCE|BC|B\.C\.E\.|B\.C\.|AD|A\.D\.|CE|C\.E\.))?"
)
_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_RANGE = re.compile(r"(?<=N) ?[-–] ?(?=N|c\.)")  # "N - N", "N-N", "N – c. N": one range form
_CIRCA = re.compile(r"\bc\. ?")
_FACTS_HEADER = ("category", "entity", "value", "count")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")  # "Nirvana (band)": a title's qualifier, not part of the name


class TruthError(FloorError):
    """A truth line that cannot be read: ``path:line: reason``."""


@dataclass(frozen=True)
class Label:
    """One truth line: a fact stated in a document (``doc_id`` None and ``count`` documents for a facts table)."""

    doc_id: str | None
    category: str
    entity: str
    surface: str
    value: str
    evidence: str = ""
    count: int = 1


@dataclass(frozen=True)
class Found:
    """One of floor's facts as floor counts it: first occurrence of (document, category, entity, value)."""

    doc_id: str
    category: str
    entity: str
    value: str
    start: int
    end: int


# --------------------------------------------------------------------------------------------------------------
# Normalization
# --------------------------------------------------------------------------------------------------------------

# Letters and digits; not modifier letters (Lm: the ʼ of Baháʼí), which are apostrophes in practice.
_KEPT = frozenset({"Lu", "Ll", "Lt", "Lo", "Nd", "Nl", "No"})


def fold(name: str) -> str:
    """A name for comparison: case folded, NFKD, combining marks and all but letters and digits dropped."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) in _KEPT)


def floor_value(value: str) -> str:
    """A truth value in floor's form: years zero-padded to four digits, BC negative (``427 BC`` -> ``-0427``);
    anything that is not a year (a date, a place) as written."""
    value = " ".join(value.split())
    m = _ERA_YEAR.fullmatch(value)
    if m is None or (m["pre"] and m["post"]):
        return value
    year = int(m["year"])
    bc = (m["post"] or "").startswith("B")
    return f"-{year:04d}" if bc else f"{year:04d}"


def value_key(value: str) -> str:
    """Values compare as floor counts them: case-insensitively (places)."""
    return value.casefold()


# --------------------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------------------

def read_truth(path: str) -> tuple[str, list[Label]]:
    """``("mentions" | "facts", labels)`` of a truth file (JSONL mention lines or a facts TSV)."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise FloorError(f"{path}: cannot read the truth: {exc}") from None
    first = next((line for line in lines if line.strip()), "")
    if first.lstrip().startswith("{"):
        return "mentions", _mention_labels(path, lines)
    if tuple(first.split("\t")[:4]) == _FACTS_HEADER:
        return "facts", _fact_labels(path, lines)
    raise FloorError(f"{path}: not a truth file: expected JSONL mention lines or a TSV with header "
                     f"{chr(9).join(_FACTS_HEADER)}")


def _mention_labels(path: str, lines: list[str]) -> list[Label]:
    labels = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TruthError(f"{path}:{number}: not JSON: {exc.msg}") from None
        if not isinstance(record, dict):
            raise TruthError(f"{path}:{number}: a truth line must be a JSON object")
        fields = {}
        for name in ("doc_id", "entity", "relation", "value", "surface", "evidence"):
            field = record.get(name)
            if field in (None, "") and name in ("surface", "evidence"):
                continue  # optional: the entity is its own surface; without evidence a miss shows its year
            if not isinstance(field, str) or not field.strip():
                raise TruthError(f"{path}:{number}: field {name!r} must be a non-empty string")
            fields[name] = field
        labels.append(Label(fields["doc_id"], fields["relation"], fields["entity"],
                            fields.get("surface", fields["entity"]), floor_value(fields["value"]),
                            fields.get("evidence", "")))
    return labels


def _fact_labels(path: str, lines: list[str]) -> list[Label]:
    labels = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 4 or not all(c.strip() for c in cells) or not cells[3].isdigit() or int(cells[3]) < 1:
            raise TruthError(f"{path}:{number}: expected category<TAB>entity<TAB>value<TAB>count (count >= 1)")
        category, entity, value, count = cells
        labels.append(Label(None, category, entity, entity, floor_value(value), count=int(count)))
    return labels


def read_found(corpus: list[str], categories: list[str] | None, reader: dict) -> list[Found]:
    """floor's facts, one per (document, category, entity as floor counts it, value), first occurrence kept."""
    seen: dict[tuple, Found] = {}
    options = {k: v for k, v in reader.items() if k in ("format", "text_field", "id_field", "packs", "languages")}
    for fact in floor.extract(corpus, categories=categories, **options):
        key = (fact["doc_id"], fact["category"], fact["entity"].casefold(), value_key(fact["value"]))
        if key not in seen:
            seen[key] = Found(fact["doc_id"], fact["category"], fact["entity"], fact["value"], fact["start"],
                              fact["end"])
    return list(seen.values())


def read_texts(corpus: list[str], reader: dict, wanted: set[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Every document id with its position in the corpus, and the texts of the ``wanted`` ones."""
    order: dict[str, int] = {}
    texts: dict[str, str] = {}
    for doc in iter_documents(corpus, fmt=reader["format"], text_field=reader["text_field"],
                              id_field=reader["id_field"], skips=SkipLog()):
        order.setdefault(doc.doc_id, len(order))
        if doc.doc_id in wanted:
            texts.setdefault(doc.doc_id, doc.text)
    return order, texts


# --------------------------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------------------------

def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def singleton_rate(documents_per_fact: Counter) -> dict:
    """N (documents stating each fact, summed), S (facts), f1 (facts in exactly one document) and sr = f1/N."""
    n = sum(documents_per_fact.values())
    f1 = sum(1 for c in documents_per_fact.values() if c == 1)
    return {"N": n, "S": len(documents_per_fact), "f1": f1, "sr": ratio(f1, n)}


def measures(found: int, labelled: int, true_positives: int, matched: int, entity_checked: int | None,
             entity_correct: int | None, sr_found: Counter, sr_truth: Counter) -> dict:
    found_sr, truth_sr = singleton_rate(sr_found), singleton_rate(sr_truth)
    gap = None if found_sr["sr"] is None or truth_sr["sr"] is None else found_sr["sr"] - truth_sr["sr"]
    return {
        "found": found, "labelled": labelled, "true_positives": true_positives, "matched_labels": matched,
        "precision": ratio(true_positives, found), "recall": ratio(matched, labelled),
        "entity_checked": entity_checked, "entity_correct": entity_correct,
        "entity_accuracy": None if entity_checked is None else ratio(entity_correct, entity_checked),
        "sr_found": found_sr, "sr_truth": truth_sr, "sr_gap": gap,
    }


@dataclass
class Tally:
    """The counts behind :func:`measures` for one category (summed for the pooled row)."""

    found: int = 0
    labelled: int = 0
    true_positives: int = 0
    matched: int = 0
    entity_checked: int | None = 0
    entity_correct: int | None = 0

    def add(self, other: Tally) -> None:
        for name in ("found", "labelled", "true_positives", "matched"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if self.entity_checked is not None and other.entity_checked is not None:
            self.entity_checked += other.entity_checked
            self.entity_correct += other.entity_correct
        else:
            self.entity_checked = self.entity_correct = None


@dataclass(frozen=True)
class Error:
    """One false positive, miss or entity error. ``relation`` is how it relates to the labels; the text around
    it (:func:`describe`) completes its form."""

    kind: str  # "false_positive" | "entity_error" | "miss"
    relation: str
    doc_id: str | None
    category: str
    entity: str
    value: str
    truth_entity: str = ""
    start: int = -1
    end: int = -1
    evidence: str = ""
    count: int = 1


def evaluate_mentions(found: list[Found], labels: list[Label], categories: list[str]
                      ) -> tuple[dict[str, Tally], dict[str, tuple[Counter, Counter]], list[Error]]:
    """Per-document matching of floor's facts against mention lines."""
    labels_at: dict[tuple, list[Label]] = defaultdict(list)
    labelled_in: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for label in labels:
        labels_at[(label.doc_id, label.category, value_key(label.value))].append(label)
        labelled_in[label.doc_id].add((label.category, value_key(label.value)))
    found_in: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for fact in found:
        found_in[fact.doc_id].add((fact.category, value_key(fact.value)))
    tallies = {c: Tally() for c in categories}
    srs = {c: (Counter(), Counter()) for c in categories}
    errors: list[Error] = []
    for fact in found:
        if fact.category not in tallies:
            continue
        tally = tallies[fact.category]
        tally.found += 1
        matches = labels_at.get((fact.doc_id, fact.category, value_key(fact.value)))
        if not matches:
            relation = _relation(labelled_in[fact.doc_id], fact.category, fact.value,
                                 ("value labelled as", "another value labelled",
                                  "no label for this category in the document"))
            errors.append(Error("false_positive", relation, fact.doc_id, fact.category, fact.entity, fact.value,
                                start=fact.start, end=fact.end))
            continue
        tally.true_positives += 1
        tally.entity_checked += 1
        names = [n for label in matches for n in (label.entity, label.surface)]
        if fold(fact.entity) in {fold(m) for n in names for m in (n, _QUALIFIER.sub("", n))}:
            tally.entity_correct += 1
        else:
            errors.append(Error("entity_error", _entity_relation(fact.entity, names), fact.doc_id, fact.category,
                                fact.entity, fact.value, truth_entity=matches[0].entity, start=fact.start,
                                end=fact.end))
    for _, category, entity, value in {(f.doc_id, f.category, fold(f.entity), value_key(f.value)) for f in found}:
        if category in srs:
            srs[category][0][(entity, value)] += 1
    stated = set()
    for label in labels:
        if label.category not in tallies:
            continue
        stated.add((label.doc_id, label.category, fold(label.entity), value_key(label.value)))
        tallies[label.category].labelled += 1
        if (label.category, value_key(label.value)) in found_in[label.doc_id]:
            tallies[label.category].matched += 1
        else:
            relation = _relation(found_in[label.doc_id], label.category, label.value,
                                 ("found as", "another value found", "nothing found"))
            errors.append(Error("miss", relation, label.doc_id, label.category, label.entity, label.value,
                                truth_entity=label.entity, evidence=label.evidence))
    for _, category, entity, value in stated:
        srs[category][1][(entity, value)] += 1
    return tallies, srs, errors


def _relation(other_side: set[tuple[str, str]], category: str, value: str, says: tuple[str, str, str]) -> str:
    """How an unmatched fact relates to the other side's facts of its document: the same value under another
    category, another value of its category, or nothing of its category."""
    value = value_key(value)
    elsewhere = sorted(c for c, v in other_side if v == value and c != category)
    if elsewhere:
        return f"{says[0]} {elsewhere[0]}"
    return says[1] if any(c == category for c, _ in other_side) else says[2]


def _entity_relation(entity: str, truth_names: list[str]) -> str:
    words = {fold(w) for w in entity.split()} - {""}
    truth_words = {fold(w) for n in truth_names for w in n.split()} - {""}
    return "another form of the name" if words & truth_words else "an unrelated name"


def evaluate_facts(found: list[Found], labels: list[Label], categories: list[str]
                   ) -> tuple[dict[str, Tally], dict[str, tuple[Counter, Counter]], list[Error]]:
    """Matching by (category, folded entity, value) and document counts, for a truth that names no documents."""
    docs: dict[tuple, set] = defaultdict(set)
    first: dict[tuple, Found] = {}
    for fact in found:
        if fact.category in categories:
            key = (fact.category, fold(fact.entity), value_key(fact.value))
            docs[key].add(fact.doc_id)
            first.setdefault(key, fact)
    truth: Counter = Counter()
    named: dict[tuple, str] = {}
    for label in labels:
        if label.category in categories:
            key = (label.category, fold(label.entity), value_key(label.value))
            truth[key] += label.count
            named.setdefault(key, label.entity)
    found_entities = {(c, e) for c, e, _ in docs}
    truth_entities = {(c, e) for c, e, _ in truth}
    tallies = {c: Tally(entity_checked=None, entity_correct=None) for c in categories}
    srs = {c: (Counter(), Counter()) for c in categories}
    errors: list[Error] = []
    for key in sorted(set(docs) | set(truth)):
        category, entity, _ = key
        n_found, n_truth = len(docs.get(key, ())), truth.get(key, 0)
        tally = tallies[category]
        tally.found += n_found
        tally.labelled += n_truth
        tally.true_positives += min(n_found, n_truth)
        tally.matched += min(n_found, n_truth)
        if n_found:
            srs[category][0][key[1:]] = n_found
        if n_truth:
            srs[category][1][key[1:]] = n_truth
        if n_found > n_truth:
            fact = first[key]
            relation = ("more documents than labelled" if n_truth else
                        "entity labelled with another value" if (category, entity) in truth_entities else
                        "entity not in the truth")
            errors.append(Error("false_positive", relation, fact.doc_id, category, fact.entity, fact.value,
                                start=fact.start, end=fact.end, count=n_found - n_truth))
        elif n_truth > n_found:
            relation = ("fewer documents than labelled" if n_found else
                        "entity found with another value" if (category, entity) in found_entities else
                        "entity not found in this category")
            errors.append(Error("miss", relation, None, category, named[key], key[2], truth_entity=named[key],
                                count=n_truth - n_found))
    return tallies, srs, errors


# --------------------------------------------------------------------------------------------------------------
# Error forms and windows
# --------------------------------------------------------------------------------------------------------------

def shape(text: str) -> str:
    """The form of a piece of text: digits as N, month names as M, dashes as –, whitespace collapsed."""
    text = _MONTHS.sub("M", text)
    text = _DASHES.sub("–", re.sub(r"\d+", "N", text))
    text = _CIRCA.sub("c. ", _RANGE.sub("–", " ".join(text.split())))
    return text if len(text) <= SHAPE_CHARS else text[: SHAPE_CHARS - 1] + "…"


def where(text: str, start: int) -> str:
    line = text.count("\n", 0, start)
    return ("first line", "second line")[line] if line < 2 else "body"


def preceding(text: str, start: int) -> str:
    """What comes right before a span: a lowercase or capitalized word, a number, punctuation, a line start."""
    head = text[:start].rstrip(" \t")
    if not head or head.endswith("\n"):
        return "at a line start"
    last = head.split()[-1]
    if last[-1].isalpha():
        return "after a capitalized word" if last[0].isupper() else "after a lowercase word"
    if last[-1].isdigit():
        return "after a number"
    return f"after {last[-1]!r}"


def find_evidence(text: str, evidence: str, value: str) -> tuple[int, int]:
    """The span of a label's evidence in its document (else of its year's digits; else (-1, -1))."""
    for needle in (evidence, value.lstrip("-0")):
        if needle:
            i = text.find(needle)
            if i >= 0:
                return i, i + len(needle)
    return -1, -1


def window(text: str, start: int, end: int, chars: int = WINDOW) -> str:
    """``chars`` characters either side of ``text[start:end]``, the span in ``[[ ]]``, line breaks as ⏎."""
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    shown = (("…" if lo else "") + text[lo:start] + "[[" + text[start:end] + "]]" + text[end:hi]
             + ("…" if hi < len(text) else ""))
    return shown.replace("\n", "⏎")


def describe(error: Error, text: str | None) -> dict:
    """An error as JSON, its form completed from its text: where it sits and the shape of the matched text
    (floor's entity as X), or for a miss the shape of the evidence and what precedes it."""
    entry = {k: v for k, v in asdict(error).items() if k != "relation" and v not in ("", -1)}
    start, end = error.start, error.end
    if error.kind == "miss" and text is not None:
        start, end = find_evidence(text, error.evidence, error.value)
    if text is None or start < 0:
        detail = "evidence not in the document" if error.doc_id is not None and error.kind == "miss" else ""
    elif error.kind == "miss":
        detail = f"{where(text, start)}: {shape(text[start:end])} {preceding(text, start)}"
    else:
        detail = f"{where(text, start)}: {shape(text[start:end].replace(error.entity, 'X', 1))}"
    entry["form"] = f"{error.relation}; {detail}" if detail else error.relation
    if text is not None and start >= 0:
        entry["window"] = window(text, start, end)
    return entry


def grouped(entries: list[dict]) -> list[dict]:
    """Errors grouped by form, the largest group first; each group's entries in corpus order."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        groups[entry["form"]].append(entry)
    out = [{"form": form, "count": sum(e["count"] for e in items), "errors": items}
           for form, items in groups.items()]
    out.sort(key=lambda g: (-g["count"], g["form"]))
    return out


# --------------------------------------------------------------------------------------------------------------
# The whole evaluation
# --------------------------------------------------------------------------------------------------------------

KINDS = ("false_positive", "entity_error", "miss")


def registry_order(category: str) -> tuple[int, str]:
    """floor's categories in its registry's order, then any other relation by name."""
    return (list(CATEGORIES).index(category) if category in CATEGORIES else len(CATEGORIES), category)


def evaluate(corpus: list[str], truth: str, *, categories: list[str] | None = None, fmt: str | None = None,
             text_field: str = "text", id_field: str = "id", packs: list[str] | None = None,
             languages: str = "auto") -> dict:
    """Every number and error of one evaluation, as a JSON-ready dict (see the module docstring); ``packs`` and
    ``languages`` as for ``floor extract``."""
    mode, labels = read_truth(truth)
    reader = {"format": fmt, "text_field": text_field, "id_field": id_field, "packs": packs, "languages": languages}
    started = time.perf_counter()
    found = read_found(corpus, categories, reader)
    extract_s = time.perf_counter() - started
    labelled = sorted({label.category for label in labels}, key=registry_order)
    evaluated = [c for c in labelled if categories is None or c in categories]
    evaluate_truth = evaluate_mentions if mode == "mentions" else evaluate_facts
    tallies, srs, errors = evaluate_truth(found, labels, evaluated)
    order, texts = read_texts(corpus, reader, {e.doc_id for e in errors if e.doc_id is not None})
    pooled = Tally(entity_checked=None, entity_correct=None) if mode == "facts" else Tally()
    pooled_found, pooled_truth = Counter(), Counter()
    per_category = {}
    for category in evaluated:
        per_category[category] = measures(**asdict(tallies[category]), sr_found=srs[category][0],
                                          sr_truth=srs[category][1])
        pooled.add(tallies[category])
        pooled_found.update({(category, *k): v for k, v in srs[category][0].items()})
        pooled_truth.update({(category, *k): v for k, v in srs[category][1].items()})
    unlabelled = Counter(f.category for f in found if f.category not in labelled)
    errors.sort(key=lambda e: (KINDS.index(e.kind), order.get(e.doc_id, len(order)), e.doc_id or "", e.start,
                               e.category, e.value, e.entity))
    entries = [describe(e, texts.get(e.doc_id)) for e in errors]
    absent = {label.doc_id for label in labels if label.doc_id is not None} - set(order)
    return {
        "corpus": corpus, "truth": truth, "truth_kind": mode, "documents": len(order), "truth_lines": len(labels),
        "truth_documents_not_in_corpus": len(absent), "categories": per_category,
        "pooled": measures(**asdict(pooled), sr_found=pooled_found, sr_truth=pooled_truth),
        "unlabelled": {c: unlabelled[c] for c in sorted(unlabelled, key=registry_order)},
        "groups": {kind: grouped([e for e in entries if e["kind"] == kind]) for kind in KINDS},
        "timing": {"extract_s": round(extract_s, 3)},
    }


# --------------------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------------------

def _num(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x:+.3f}" if signed else f"{x:.3f}"


def print_report(result: dict, top: int, examples: int, out=None) -> None:
    say = lambda s="": print(s, file=out or sys.stdout)  # noqa: E731
    say(f"corpus: {' '.join(result['corpus'])} ({result['documents']:,} documents); truth: {result['truth']} "
        f"({result['truth_lines']:,} {'mention lines' if result['truth_kind'] == 'mentions' else 'facts'})")
    if result["truth_documents_not_in_corpus"]:
        say(f"note: {result['truth_documents_not_in_corpus']} documents of the truth are not in the corpus "
            f"(another id field?)")
    say(f"extraction: {result['timing']['extract_s']:.2f} s (floor.extract over the corpus, compiling its patterns "
        f"included)\n")
    say(f"{'category':<12} {'found':>6} {'labelled':>8} {'TP':>6} {'precision':>9} {'recall':>7} {'entity acc':>10} "
        f"{'sr floor':>8} {'sr truth':>8} {'sr gap':>7}")
    rows = [*result["categories"].items(), ("pooled", result["pooled"])]
    for name, m in rows:
        say(f"{name:<12} {m['found']:>6} {m['labelled']:>8} {m['true_positives']:>6} {_num(m['precision']):>9} "
            f"{_num(m['recall']):>7} {_num(m['entity_accuracy']):>10} {_num(m['sr_found']['sr']):>8} "
            f"{_num(m['sr_truth']['sr']):>8} {_num(m['sr_gap'], True):>7}")
    if result["unlabelled"]:
        say("unlabelled: " + ", ".join(f"{c} {n} found" for c, n in result["unlabelled"].items()))
    titles = {"false_positive": "false positives", "entity_error": "true positives with the wrong entity",
              "miss": "misses"}
    for kind, groups in result["groups"].items():
        total = sum(g["count"] for g in groups)
        shown = f" (the {top} largest)" if len(groups) > top else ""
        say(f"\n{titles[kind]}: {total} in {len(groups)} forms{shown}")
        for group in groups[:top]:
            say(f"  {group['count']:>5}  {group['form']}")
            for e in group["errors"][:examples]:
                truth = f" (truth: {e['truth_entity']})" if kind == "entity_error" else ""
                say(f"           {e.get('doc_id') or '-'}  {e['category']}={e['value']}  {e['entity']!r}{truth}")
                if "window" in e:
                    say(f"             {e['window']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", help="what floor reads: a file, directory or glob")
    p.add_argument("truth", help="JSONL mention lines, or a facts TSV (category, entity, value, count)")
    p.add_argument("--json", help="write every number and error here")
    p.add_argument("--categories", nargs="+", help="extract and evaluate only these categories")
    p.add_argument("--top", type=int, default=10, help="error forms printed per kind (default 10)")
    p.add_argument("--examples", type=int, default=3, help="errors printed per form (default 3)")
    p.add_argument("--format", help="corpus format, when its extension does not tell")
    p.add_argument("--text-field", default="text")
    p.add_argument("--id-field", default="id")
    p.add_argument("--pack", action="append", dest="packs", help="a pack to extract with (repeatable; default: "
                   "the built-in biography packs)")
    p.add_argument("--language", default="auto", help="'auto' or language codes, as floor's --language")
    args = p.parse_args(argv)
    if args.top < 0 or args.examples < 0:
        p.error("--top and --examples must be >= 0")
    try:
        result = evaluate([args.corpus], args.truth, categories=args.categories, fmt=args.format,
                          text_field=args.text_field, id_field=args.id_field, packs=args.packs,
                          languages=args.language)
    except FloorError as exc:
        print(f"eval_extract: error: {exc}", file=sys.stderr)
        return 2
    print_report(result, args.top, args.examples)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
