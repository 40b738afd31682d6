"""The extraction audit: a random sample of extracted fact mentions to check by hand, and what the checked sheet
says about precision and the singleton rate.

``floor extract --sample N`` writes the sheet (:class:`MentionSample`, :func:`format_sheet`); ``floor audit``
reads it back (:func:`read_sheet`) and summarizes it (:func:`summarize`). The estimators are pure functions, one
a job: :func:`wilson_interval`, :func:`corrected_singleton_rate`, :func:`corrected_interval`.

A mention is one fact as floor counts it in one document: under ``unit="document"`` a fact stated twice in a
document is one mention, under ``unit="mention"`` two.
"""

from __future__ import annotations

import csv
import heapq
import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import xxhash

from .count.table import KEY_SEPARATOR, fact_hash
from .errors import FloorError, InputError
from .estimate._common import normal_quantile
from .extract import Fact
from .extract.categories import pooled
from .report.build import OVERALL

SCHEMA = "floor.audit/1"
SHEET_COLUMNS = ("category", "entity", "value", "subject", "doc_id", "input", "context", "fact_mentions",
                 "category_mentions", "category_singletons", "correct")
CONTEXT_CHARS = 150
"""Characters of the document shown on either side of a fact's span on the sheet."""
DEFAULT_REPLICATES = 2000
"""Bootstrap replicates behind the interval of the corrected singleton rate."""

_TRUE = frozenset({"y", "yes", "1", "true"})
_FALSE = frozenset({"n", "no", "0", "false"})


# --- the sample: floor extract --sample -------------------------------------------------------------------------

class MentionSample:
    """A uniform random sample of ``size`` fact mentions, and the count of every fact, over documents added one
    at a time.

    Bottom-k sampling: every mention gets a priority, an xxh3 hash keyed by ``seed`` of where it is (input, doc
    id, occurrence) and what it is (category, entity, value), and the ``size`` smallest are kept in a heap. The
    sample so depends only on the seed and the mentions, not on the order in which documents are added (nor on
    how they would be shared among workers); memory for the sample is O(size). The context of a mention is cut
    from its document only when it enters the heap. Counting needs a counter of every distinct fact: memory
    grows with the distinct facts of the inputs.
    """

    def __init__(self, size: int, seed: int = 0, unit: str = "document"):
        if not (isinstance(size, int) and size >= 1):
            raise FloorError(f"sample size must be a whole number >= 1, not {size!r}")
        if not (isinstance(seed, int) and 0 <= seed < 2**64):
            raise FloorError(f"seed must be a whole number from 0 to 2^64 - 1, not {seed!r}")
        self.size = size
        self.seed = seed
        self.unit = unit
        self._heap: list[tuple[int, tuple]] = []  # (-priority, sheet row without counts): the largest on top
        self._counts: dict[str, Counter] = defaultdict(Counter)  # category -> fact key -> mentions

    def add_document(self, source: str, doc_id: str, text: str | None, facts: Sequence[Fact]) -> None:
        """Add the facts of one document of input ``source``; ``text``: the document, for the context column."""
        seen: Counter = Counter()
        for fact in facts:
            key = fact_hash(fact.category, fact.entity_key, fact.value.casefold())
            if self.unit == "document" and seen[key]:
                continue  # counted once per document, as floor counts it; the first statement stands for it
            occurrence = seen[key]
            seen[key] += 1
            self._counts[fact.category][key] += 1
            priority = mention_priority(self.seed, source, doc_id, fact, occurrence)
            if len(self._heap) < self.size or priority < -self._heap[0][0]:
                row = (fact.category, fact.entity, fact.value, fact.subject, doc_id, source, key,
                       context(text, fact.start, fact.end) if text is not None else fact.text)
                push = heapq.heappush if len(self._heap) < self.size else heapq.heapreplace
                push(self._heap, (-priority, row))

    @property
    def mentions(self) -> int:
        """Mentions seen in all documents added."""
        return sum(sum(counts.values()) for counts in self._counts.values())

    def rows(self) -> list[dict]:
        """The sheet's rows, in the random order of their priorities (so that any first rows are a uniform
        sample too), ``correct`` empty."""
        totals = {category: (sum(counts.values()), sum(1 for n in counts.values() if n == 1))
                  for category, counts in self._counts.items()}
        out = []
        for _, (category, entity, value, subject, doc_id, source, key, window) in sorted(self._heap, reverse=True):
            mentions, singletons = totals[category]
            out.append(dict(category=category, entity=entity, value=value, subject=subject, doc_id=doc_id,
                            input=source, context=window, fact_mentions=self._counts[category][key],
                            category_mentions=mentions, category_singletons=singletons, correct=""))
        return out


def mention_priority(seed: int, source: str, doc_id: str, fact: Fact, occurrence: int = 0) -> int:
    """The 64-bit sampling priority of a mention: xxh3 keyed by ``seed`` of its input, doc id, occurrence in the
    document and its fact's counting identity (category, entity key, casefolded value)."""
    fields = (source, str(doc_id), str(occurrence), fact.category, fact.entity_key, fact.value.casefold())
    return xxhash.xxh3_64_intdigest(KEY_SEPARATOR.join(fields).encode("utf-8", "surrogatepass"), seed=seed)


def context(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> str:
    """``chars`` characters either side of ``text[start:end]``, the span marked ``[[ ]]``, a cut end marked
    ``…``, and line breaks shown as ``⏎`` (a sheet row stays one line)."""
    before, after = max(0, start - chars), min(len(text), end + chars)
    window = (("…" if before else "") + text[before:start] + "[[" + text[start:end] + "]]" + text[end:after]
              + ("…" if after < len(text) else ""))
    return window.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")


def format_sheet(rows: Iterable[dict]) -> str:
    """The sheet as CSV text (header :data:`SHEET_COLUMNS`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SHEET_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# --- the checked sheet: floor audit -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """One row of a sheet as the audit needs it: ``correct`` is ``None`` when not reviewed."""

    category: str
    fact_mentions: int
    category_mentions: int
    category_singletons: int
    correct: bool | None


def parse_correct(text: str) -> bool | None:
    """y/yes/1/true -> True, n/no/0/false -> False (any case, surrounding spaces), blank -> None (not reviewed);
    anything else is a ValueError."""
    word = text.strip().casefold()
    if not word:
        return None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"correct must be y/n/yes/no/1/0/true/false or blank (not reviewed), not {text!r}")


def read_sheet(path: str) -> list[Checked]:
    """The rows of a sheet that ``floor extract --sample`` wrote and a person filled in; a malformed sheet is an
    :class:`InputError` naming its line."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise FloorError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")  # a spreadsheet may save a byte order mark
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, line, "not UTF-8 text; save the sheet as UTF-8 CSV") from None
    return parse_sheet(text, path)


def parse_sheet(text: str, path: str = "<sheet>") -> list[Checked]:
    """The rows of a sheet's CSV ``text`` (see :func:`read_sheet`); blank lines are passed over."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Checked] = []
    totals: dict[str, tuple[tuple[int, int], int]] = {}  # category -> ((N, f1), first line stating them)
    header = None
    line = 1  # where the next record starts
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(path, line, f"malformed CSV ({exc})") from None
        start, line = line, reader.line_num + 1
        if not any(field.strip() for field in record):
            continue
        if header is None:
            header = _columns(record, path, start)
            continue
        if len(record) != len(header):
            raise InputError(path, start, f"{len(record)} fields where the header has {len(header)}")
        row = _checked(dict(zip(header, record)), path, start)
        stated, first = totals.setdefault(row.category, ((row.category_mentions, row.category_singletons), start))
        if stated != (row.category_mentions, row.category_singletons):
            raise InputError(path, start, f"category_mentions and category_singletons of {row.category} differ from "
                                          f"line {first} ({stated[0]}, {stated[1]}); every row of a category states "
                                          "the same counts")
        rows.append(row)
    if header is None:
        raise InputError(path, 1, f"empty sheet: expected a CSV header with columns {', '.join(SHEET_COLUMNS)}")
    return rows


def _columns(record: list[str], path: str, line: int) -> list[str]:
    names = [name.strip() for name in record]
    needed = ("category", "fact_mentions", "category_mentions", "category_singletons", "correct")
    missing = [name for name in needed if name not in names]
    if missing:
        raise InputError(path, line, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                                     "(a sheet that floor extract --sample wrote has them, comma-separated)")
    return names


def _checked(fields: dict[str, str], path: str, line: int) -> Checked:
    try:
        correct = parse_correct(fields["correct"])
    except ValueError as exc:
        raise InputError(path, line, str(exc)) from None
    category = fields["category"].strip()
    if not category:
        raise InputError(path, line, "empty category")
    fact_mentions, mentions, singletons = (_count(fields, name, path, line) for name in
                                           ("fact_mentions", "category_mentions", "category_singletons"))
    if not 1 <= fact_mentions <= mentions or singletons > mentions or (fact_mentions == 1 and singletons == 0):
        raise InputError(path, line, f"counts that cannot hold together: fact_mentions {fact_mentions}, "
                                     f"category_mentions {mentions}, category_singletons {singletons}")
    return Checked(category, fact_mentions, mentions, singletons, correct)


def _count(fields: dict[str, str], name: str, path: str, line: int) -> int:
    text = fields[name].strip()
    if not text.isascii() or not text.isdigit():
        raise InputError(path, line, f"{name} must be a whole number, not {fields[name]!r}")
    return int(text)


# --- the estimators ---------------------------------------------------------------------------------------------

def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a binomial proportion (Wilson, E. B. 1927, "Probable inference, the law of
    succession, and statistical inference", JASA 22(158):209-212).

    With ``p = successes/trials``, ``n = trials`` and ``z`` the normal quantile of ``confidence`` (1.96 at 0.95)::

        centre    = (p + z²/(2n)) / (1 + z²/n)
        halfwidth = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/(4n²))

    Unlike the Wald interval it stays within [0, 1] and is not empty at p = 0 or 1. ``trials`` must be >= 1.
    """
    if not (0 <= successes <= trials and trials >= 1):
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1, got {successes} of {trials}")
    z = normal_quantile(confidence)
    p, n = successes / trials, trials
    scale = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / scale
    halfwidth = z / scale * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - halfwidth), min(1.0, centre + halfwidth)


def corrected_singleton_rate(singletons: int, mentions: int, false_share: float,
                             false_singleton_share: float) -> float | None:
    """The singleton rate of the true facts: ``(f1 - N·q1) / (N·(1 - q))`` clamped to [0, 1].

    ``q`` (``false_share``) is the share of mentions that are false, ``q1`` (``false_singleton_share``) the share
    that are false and singletons (a fact with one mention), both estimated from a checked sample. Removing the
    false mentions leaves ``N(1-q)`` mentions and ``f1 - N·q1`` singletons, if removing a false mention leaves
    the counts of the true facts unchanged (a false fact does not share a key with a true one): this measures,
    rather than assumes, how many false facts are singletons. ``None`` when every mention is false (q = 1).
    """
    if false_share >= 1:
        return None
    rate = (singletons - mentions * false_singleton_share) / (mentions * (1 - false_share))
    return min(1.0, max(0.0, rate))


def corrected_interval(singletons: int, mentions: int, right: int, false_singletons: int, false_others: int,
                       confidence: float = 0.95, replicates: int = DEFAULT_REPLICATES,
                       seed: int = 0) -> tuple[float, float] | None:
    """A seeded percentile bootstrap interval for :func:`corrected_singleton_rate`.

    The checked rows (``right`` correct, ``false_singletons`` false singletons, ``false_others`` other false
    ones) are resampled with replacement ``replicates`` times (a multinomial draw of the three kinds with their
    observed shares, which is the same as resampling rows); each replicate gives q and q1 and so a corrected
    rate; the interval is their ``(1-confidence)/2`` and ``(1+confidence)/2`` quantiles. N and f1 are the
    counts of the whole corpus and held fixed: the interval is the uncertainty of the checked sample. A
    replicate in which every row is false has no corrected rate and is left out; ``None`` if all are. Like every
    percentile bootstrap it is too narrow on a few rows (all of one kind: a single point); check dozens.
    """
    reviewed = right + false_singletons + false_others
    if reviewed == 0:
        return None
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(reviewed, np.array([right, false_singletons, false_others]) / reviewed, size=replicates)
    false_share = (draws[:, 1] + draws[:, 2]) / reviewed
    defined = false_share < 1
    if not defined.any():
        return None
    q, q1 = false_share[defined], draws[defined, 1] / reviewed
    rates = np.clip((singletons - mentions * q1) / (mentions * (1 - q)), 0.0, 1.0)
    low, high = np.quantile(rates, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)


# --- the summary ------------------------------------------------------------------------------------------------

def summarize(rows: Sequence[Checked], *, confidence: float = 0.95, replicates: int = DEFAULT_REPLICATES,
              seed: int = 0, sheet: str | None = None) -> dict:
    """The ``floor.audit/1`` document of a checked sheet: per category and pooled (``all``), the rows checked,
    precision with its Wilson interval, the measured singleton rate and the rate corrected for false facts with
    its bootstrap interval. The pooled group counts every mention once, as a report's does: its N and f1 and its
    rows are those of the categories :func:`~floor.extract.categories.pooled` keeps (a full date as its year)."""
    if not rows:
        raise FloorError(f"{sheet or 'the sheet'}: no rows to audit")
    if not any(row.correct is not None for row in rows):
        raise FloorError(f"{sheet or 'the sheet'}: no row is checked; fill in its correct column (y or n)")
    by_category: dict[str, list[Checked]] = defaultdict(list)
    for row in rows:
        by_category[row.category].append(row)
    totals = {category: (group[0].category_mentions, group[0].category_singletons)
              for category, group in by_category.items()}
    pools = pooled(by_category)
    how = dict(confidence=confidence, replicates=replicates, seed=seed)
    groups = [_group(category, by_category[category], *totals[category], **how) for category in sorted(by_category)]
    if len(by_category) > 1:
        summed = (sum(totals[c][0] for c in pools), sum(totals[c][1] for c in pools))
        groups.append(dict(_group(OVERALL, [row for row in rows if row.category in pools], *summed, **how),
                           pools=list(pools)))
    return {"schema": SCHEMA, "sheet": sheet, "confidence": confidence, "replicates": replicates, "seed": seed,
            "groups": groups}


def _group(category: str, rows: list[Checked], mentions: int, singletons: int, *, confidence: float,
           replicates: int, seed: int) -> dict:
    checked = [row for row in rows if row.correct is not None]
    right = sum(row.correct for row in checked)
    false_singletons = sum(1 for row in checked if not row.correct and row.fact_mentions == 1)
    false_others = len(checked) - right - false_singletons
    group = {"category": category, "rows": len(rows), "reviewed": len(checked), "unreviewed": len(rows) - len(checked),
             "correct": right, "precision": None, "precision_interval": None, "mentions": mentions,
             "singletons": singletons, "singleton_rate": singletons / mentions, "false_share": None,
             "false_singleton_share": None, "corrected_singleton_rate": None, "corrected_interval": None}
    if checked:
        q, q1 = (false_singletons + false_others) / len(checked), false_singletons / len(checked)
        corrected = corrected_singleton_rate(singletons, mentions, q, q1)
        group.update(precision=right / len(checked), false_share=q, false_singleton_share=q1,
                     precision_interval=list(wilson_interval(right, len(checked), confidence)),
                     corrected_singleton_rate=corrected)
        interval = corrected_interval(singletons, mentions, right, false_singletons, false_others,
                                      confidence=confidence, replicates=replicates, seed=seed)
        group["corrected_interval"] = list(interval) if interval is not None and corrected is not None else None
    return group


def format_audit(document: dict) -> str:
    """The audit as a text table with its notes."""
    header = ("category", "reviewed", "correct", "precision", f"{document['confidence']:.0%} Wilson", "sr",
              "corrected sr", f"{document['confidence']:.0%} bootstrap", "unreviewed")
    lines = [header]
    for g in document["groups"]:
        lines.append((g["category"], f"{g['reviewed']:,}", f"{g['correct']:,}", _number(g["precision"]),
                      _interval(g["precision_interval"]), _number(g["singleton_rate"]),
                      _number(g["corrected_singleton_rate"]), _interval(g["corrected_interval"]),
                      f"{g['unreviewed']:,}"))
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    table = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in lines]
    notes = [
        "precision: share of reviewed mentions marked correct; rows with an empty correct column are not reviewed "
        "and left out.",
        "sr = f1/N of all the mentions extracted (category_mentions, category_singletons); corrected sr = "
        "(f1 - N q1) / (N (1 - q)), q the share of reviewed mentions that are false, q1 the share false and "
        "singletons; it assumes that removing a false mention leaves the counts of the true facts unchanged.",
        f"corrected sr interval: percentile bootstrap of the reviewed rows ({document['replicates']:,} replicates, "
        f"seed {document['seed']}), N and f1 held fixed.",
    ]
    return "\n".join(table) + "\n\n" + "\n".join(f"- {note}" for note in notes) + "\n"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _interval(bounds: list[float] | None) -> str:
    return "—" if bounds is None else f"[{bounds[0]:.3f}, {bounds[1]:.3f}]"
