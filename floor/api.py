"""The Python API: what the CLI does, as functions that return plain objects.

    >>> import floor
    >>> report = floor.run(["data/sample"])          # scan + estimate -> floor.report/1 dict
    >>> counts = floor.scan(["shard-*.jsonl.zst"])    # per-category fact tables
    >>> report = floor.estimate(counts, confidence=0.99)
    >>> report = floor.estimate(floor.read_profile("profile.tsv"))
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping, Sequence

from .count import UNITS, Counts, is_counts_dir, read_counts
from .engines.local import scan_local
from .engines.tasks import INPUT_KINDS, ScanOptions, document_facts
from .errors import FloorError, SkipLog
from .extract import CATEGORIES
from .profile import Profile, read_profile_tsv
from .report import build_report
from .sources import expand_inputs

# |E| for categories the registry does not know (e.g. relations of pre-extracted triples).
DEFAULT_ANSWER_SPACE = 100
INTERVALS = ("esty", "mcallester-ortiz", "bootstrap")


def scan_options(
    *,
    input_kind: str = "text",
    format: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    categories: Sequence[str] | None = None,
    unit: str = "document",
    on_error: str = "fail",
) -> ScanOptions:
    """Validated scan options (the one place where scan arguments are checked)."""
    if input_kind not in INPUT_KINDS:
        raise FloorError(f"input kind must be one of {', '.join(INPUT_KINDS)}, not {input_kind!r}")
    if unit not in UNITS:
        raise FloorError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if categories:
        unknown = sorted(set(categories) - set(CATEGORIES))
        if unknown and input_kind == "text":
            raise FloorError(f"unknown categories {', '.join(unknown)}; known: {', '.join(CATEGORIES)}")
    SkipLog(on_error=on_error)  # validates the choice
    return ScanOptions(input_kind=input_kind, fmt=format, text_field=text_field, id_field=id_field,
                       categories=tuple(categories) if categories else None, unit=unit, on_error=on_error)


def scan(inputs: Sequence[str], **options) -> Counts:
    """Read ``inputs`` (files, directories, globs, ``-``), extract facts and count them per category."""
    return scan_local(inputs, scan_options(**options))


def extract(inputs: Sequence[str], *, skips: SkipLog | None = None, **options) -> Iterator[dict]:
    """Every extracted fact with its document id and matched text, for auditing precision.

    Pass a ``SkipLog`` to see what was skipped under ``on_error="skip"``.
    """
    opts = scan_options(**options)
    skips = skips if skips is not None else SkipLog(on_error=opts.on_error)
    for path in expand_inputs(inputs):
        for doc_id, facts in document_facts(path, opts, skips):
            for fact in facts:
                yield {"doc_id": doc_id, "category": fact.category, "entity": fact.entity, "value": fact.value,
                       "text": fact.text, "start": fact.start, "end": fact.end, "source": path}


def read_profile(path: str) -> dict[str, Profile]:
    """Read a frequency-of-frequencies TSV (``[category<TAB>]count<TAB>facts``)."""
    return read_profile_tsv(path)


def answer_spaces(categories: Sequence[str], overrides: Mapping[str, int] | None = None) -> dict[str, int]:
    """|E| per category: the user's value, else the registry's documented default, else DEFAULT_ANSWER_SPACE."""
    overrides = dict(overrides or {})
    for category, size in overrides.items():
        if not isinstance(size, int) or size < 1:
            raise FloorError(f"answer space for {category} must be a whole number >= 1, not {size!r}")
    spaces = {}
    for category in categories:
        default = CATEGORIES[category].answer_space if category in CATEGORIES else DEFAULT_ANSWER_SPACE
        spaces[category] = overrides.get(category, default)
    return spaces


def check_estimate_options(*, confidence: float, interval: str, delta: float,
                           answer_space: Mapping[str, int] | None) -> None:
    """Reject bad estimate options before any corpus is read."""
    if not 0 < confidence < 1:
        raise FloorError(f"confidence must be between 0 and 1, not {confidence}")
    if not 0 <= delta <= 1:
        raise FloorError(f"delta must be between 0 and 1, not {delta}")
    if interval not in INTERVALS:
        raise FloorError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}")
    answer_spaces(list(answer_space or {}), answer_space)


def estimate(
    source: Counts | Mapping[str, Profile] | str | Path,
    *,
    answer_space: Mapping[str, int] | None = None,
    confidence: float = 0.95,
    interval: str = "esty",
    delta: float = 0.0,
    seed: int = 0,
) -> dict:
    """The ``floor.report/1`` document for counts, a counts directory, a profile TSV, or ``{category: Profile}``."""
    check_estimate_options(confidence=confidence, interval=interval, delta=delta, answer_space=answer_space)
    metadata: dict = {}
    if isinstance(source, (str, Path)):
        source = read_counts(source) if is_counts_dir(source) else read_profile_tsv(str(source))
    if isinstance(source, Counts):
        profiles, conflicting = source.profiles(), source.conflicting_entities()
        metadata = dict(documents=source.documents, unit=source.unit, inputs=source.inputs,
                        skipped=source.skips.as_dict(), params=source.params)
    else:
        profiles, conflicting = dict(source), None
    return build_report(profiles, answer_spaces=answer_spaces(list(profiles), answer_space), conflicting=conflicting,
                        confidence=confidence, interval=interval, delta=delta, seed=seed, **metadata)


def run(inputs: Sequence[str], *, answer_space: Mapping[str, int] | None = None, confidence: float = 0.95,
        interval: str = "esty", delta: float = 0.0, seed: int = 0, **scan_kwargs) -> dict:
    """Scan ``inputs`` and estimate: the whole job, returning the ``floor.report/1`` document."""
    check_estimate_options(confidence=confidence, interval=interval, delta=delta, answer_space=answer_space)
    return estimate(scan(inputs, **scan_kwargs), answer_space=answer_space, confidence=confidence,
                    interval=interval, delta=delta, seed=seed)
