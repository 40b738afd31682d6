"""The Python API: what the CLI does, as functions that return plain objects.

    >>> import floor
    >>> report = floor.run(["data/sample"])                 # scan + estimate -> floor.report/1 dict
    >>> counts = floor.scan(["shard-*.jsonl.zst"])           # per-category fact tables, in memory
    >>> counts = floor.scan(["shard-*.jsonl.zst"], output="counts/", workers=2)   # on disk, resumable
    >>> report = floor.estimate(counts, confidence=0.99)
    >>> report = floor.estimate(floor.read_profile("profile.tsv"))
"""

from __future__ import annotations

import inspect
import math
import contextlib
import os
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from .count import DEFAULT_BUCKETS, UNITS, Counts, CountsDir, CountSummary, coverage, merge_counts_dirs
from .count import remote_counts
from .count.dedup import check_dedup
from .engines.local import WorkerDied, scan_to_dir
from .audit import DEFAULT_REPLICATES, MentionSample, read_sheet, summarize
from .engines.tasks import (DEFAULT_SPLIT_BYTES, INPUT_KINDS, ScanOptions, chosen_packs, document_facts,
                            domain_documents, new_counter, plan_tasks)
from .errors import FloorError, FloorWarning, SkipLog
from .estimate._common import normal_quantile
from .estimate.summary import INTERVALS
from .extract import AUTO, CATEGORIES, Pack, categories_of, choose_packs, language_codes
from .extract.packs import builtin_names, builtin_pack, check_pack, load_pack, pack_source
from .outputs import discard_directory
from .profile import MAX_MENTIONS, Profile, read_profile_tsv
from .progress import for_call as progress_for_call
from .report import build_prediction, build_report
from .report.document import Prediction, Report
from .report.build import OVERALL
from .sources import expand_inputs, remote
from .sources.memory import MEMORY, is_paths, write_data
from .sources.domains import domain_rule

# |E| for categories the registry does not know (e.g. relations of pre-extracted triples).
DEFAULT_ANSWER_SPACE = 100
ENGINES = ("local", "ray")
# More domains than this in a report without --max-domains earn a warning: estimating them all takes a while.
MANY_DOMAINS = 1000


def scan_options(
    *,
    input_kind: str = "text",
    format: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str | None = None,
    categories: Sequence[str] | None = None,
    unit: str = "document",
    on_error: str = "fail",
    sample_rate: float = 1.0,
    domain_field: str | None = None,
    domain_from: str | None = None,
    domain_map: str | None = None,
    dedup: str | None = None,
    dedup_threshold: float | None = None,
    packs: Sequence[str | Pack] | None = None,
    languages: str | Sequence[str] | None = AUTO,
) -> ScanOptions:
    """Validated scan options (the one place where scan arguments are checked).

    Domains (per-domain floors): ``domain_field`` names a field (dotted for nested ones, ``metadata.source``),
    or ``domain_from="url"`` (``"url=FIELD"``) takes the registered domain of a URL field, ``"path"`` the first
    directory under the input root; ``domain_map``: a TSV of ``raw<TAB>domain`` lines renaming them (see
    :mod:`floor.sources.domains`).

    Duplicate-aware counts: ``dedup="exact"`` (equal normalized texts) or ``"near"`` (MinHash LSH over word
    shingles, Jaccard ``dedup_threshold``, default 0.8) counts each fact once per cluster of duplicate documents
    too, reported beside the raw counts (:mod:`floor.count.dedup`); text input only.

    What is extracted: ``packs`` (built-in pack names, pack files, :class:`~floor.extract.Pack` objects;
    default: the built-in biography packs, English, French, German and Spanish) restricted to ``languages``
    (``"auto"``: every pack, each reading the documents in its language; ``"en,fr"`` or ``["en", "fr"]``: those
    languages' packs only), and of their categories ``categories`` (default: all).
    """
    if input_kind not in INPUT_KINDS:
        raise FloorError(f"input kind must be one of {', '.join(INPUT_KINDS)}, not {input_kind!r}")
    if unit not in UNITS:
        raise FloorError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    sources = None if packs is None else tuple(pack_source(p) for p in packs)
    chosen = choose_packs(None if sources is None else [p.load() for p in sources], languages)
    codes = language_codes(languages)
    if categories and input_kind == "text":
        known = categories_of(chosen)
        unknown = sorted(set(categories) - set(known))
        if unknown:
            raise FloorError(f"unknown categories {', '.join(unknown)}; known: {', '.join(known)}")
    if not 0 < sample_rate <= 1:
        raise FloorError(f"sample rate must be in (0, 1], not {sample_rate}")
    if title_field is not None and input_kind != "text":
        raise FloorError("a title field is for text input: pre-extracted triples name their entities")
    SkipLog(on_error=on_error)  # validates the choice
    domain = domain_rule(domain_field=domain_field, domain_from=domain_from, domain_map=domain_map)
    if domain is not None and input_kind != "text":
        raise FloorError("domains are read from text records: pre-extracted triples have no domain field")
    try:
        dedup_threshold = check_dedup(dedup, dedup_threshold)
    except ValueError as exc:
        raise FloorError(str(exc)) from None
    if dedup is not None and input_kind != "text":
        raise FloorError("--dedup compares document texts: pre-extracted triples carry none")
    return ScanOptions(input_kind=input_kind, fmt=format, text_field=text_field, id_field=id_field,
                       title_field=title_field or None,
                       categories=tuple(categories) if categories else None, unit=unit, on_error=on_error,
                       sample_rate=float(sample_rate), domain=domain, dedup=dedup, dedup_threshold=dedup_threshold,
                       packs=sources if input_kind == "text" else None,
                       languages=codes if input_kind == "text" else None)


def _with_scan_options(function):
    """Show ``function``'s ``**options`` as the keyword arguments of :func:`scan_options` (names, types, defaults)
    in its signature, which ``help()``, notebooks and editors read: one list of scan options, spelt out."""
    own = inspect.signature(function)
    options = [p for p in inspect.signature(scan_options).parameters.values()]
    parameters = [p for p in own.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    known = {p.name for p in parameters}
    function.__signature__ = own.replace(parameters=parameters + [p for p in options if p.name not in known])
    return function


def _for_inputs(opts: ScanOptions, inputs: Sequence[str]) -> ScanOptions:
    """``opts`` for a scan of ``inputs``: domains by path are relative to the inputs' roots."""
    return opts if opts.domain is None else replace(opts, domain=opts.domain.for_inputs(inputs))


def check_engine(engine: str, address: str | None = None) -> None:
    if engine not in ENGINES:
        raise FloorError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if address and engine != "ray":
        raise FloorError("--address is for --engine ray")


@_with_scan_options
def scan(inputs: Sequence[str], *, output: str | Path | None = None, resume: bool = False,
         workers: int | None = None, buckets: int = DEFAULT_BUCKETS, engine: str = "local",
         address: str | None = None, split_bytes: int = DEFAULT_SPLIT_BYTES, glob: Sequence[str] = (),
         exclude: Sequence[str] = (), progress: bool | None = None, **options) -> Counts | CountsDir:
    """Read ``inputs`` (files, directories, globs, URLs, ``-``), extract facts and count them per category.

    Without ``output`` the counts come back in memory. With ``output`` they are written there as a counts
    directory that records its plan (every input with its identity, :mod:`floor.count.identity`) first, then
    one part per input file as it completes; ``resume=True`` continues a directory that a killed scan left,
    skipping the inputs it completed (the planned inputs, however spelled; one changed since it was counted is
    refused). A file named twice (another spelling, a symbolic or hard link) is counted once. A scan that stops
    on bad input removes a directory it made; a resumed one stays, incomplete and resumable. ``engine="ray"``
    runs the map tasks on Ray (``address``: the cluster; default: a local instance with ``workers`` CPUs); on a
    multi-node cluster ``output`` must be on a filesystem every node shares. An uncompressed JSONL file larger
    than ``split_bytes`` is read as several map tasks (splits of whole lines), so that one big file keeps every
    worker busy. ``glob``/``exclude``: patterns selecting among the files of directories and globs
    (:func:`floor.sources.expand_inputs`). ``progress``: as for :func:`run`. An ``output`` URL (``s3://...``) puts
    the counts directory on a store once the scan completes, from a working copy that ``resume`` continues
    (:mod:`floor.count.remote_counts`).
    """
    url = os.fspath(output) if output is not None and remote.is_url(os.fspath(output)) else None
    if url is not None and engine == "ray":
        raise FloorError(f"{url}: a counts directory on a store is written by the local engine (Ray's workers write "
                         "on their own nodes); with Ray, scan into a filesystem every node shares")
    check_engine(engine, address)
    opts = _for_inputs(scan_options(**options), inputs)
    _check_split_bytes(split_bytes)
    # a counts directory on a store is written in a working copy here, then put there (floor.count.remote_counts)
    local = remote_counts.prepare_scan(url, resume) if url is not None else None
    left_out: list[tuple[str, str]] = []
    paths = _expand(inputs, glob, exclude, left_out)
    how = dict(workers=workers, buckets=buckets, engine=engine, address=address, split_bytes=split_bytes,
               left_out=left_out)
    with progress_for_call(progress):
        if output is None:
            with tempfile.TemporaryDirectory(prefix="floor-scan-") as tmp:
                return _scan_into(paths, opts, Path(tmp) / "counts", resume=False, **how).load()
        try:
            if url is None:
                return _scan_into(paths, opts, Path(output), resume=resume, **how)
            counts_dir = _scan_into(paths, opts, local, resume=resume, **how)
            remote_counts.push(counts_dir.path, url)
            return counts_dir
        except WorkerDied as exc:
            raise WorkerDied(f"{exc}; continue with 'floor scan ... -o {output} --resume'") from None


def _expand(inputs: Sequence[str], glob: Sequence[str] = (), exclude: Sequence[str] = (),
            left_out: list[tuple[str, str]] | None = None) -> list[str]:
    """The files of ``inputs`` (:func:`floor.sources.expand_inputs`, ``glob`` its ``include``), with a
    :class:`FloorWarning` for each kind of file that directories or globs turned up and that is left out as no
    corpus file (of no known extension, special files, JSON documents such as a dataset's ``state.json``);
    those go to ``left_out`` too, as ``(path, reason)``, when a list is given."""
    if not is_paths(inputs):
        raise FloorError(f"{type(inputs).__name__}: a corpus held in memory is read by floor.run; for a counts "
                         "directory or extracted facts, write it to files first")
    left_out = [] if left_out is None else left_out
    paths = expand_inputs(inputs, ignored=left_out, include=_patterns(glob), exclude=_patterns(exclude))
    by_reason: dict[str, list[str]] = {}
    for path, reason in left_out:
        by_reason.setdefault(reason, []).append(path)
    for reason, left in by_reason.items():
        more = f" and {len(left) - 3} more" if len(left) > 3 else ""
        warnings.warn(f"left out {len(left)} file{'s' if len(left) > 1 else ''} found among the inputs, {reason}: "
                      f"{', '.join(left[:3])}{more}", FloorWarning, stacklevel=3)
    return paths


def _named_memory(report: Report, path: str) -> Report:
    """``report`` with the temporary file that held an in-memory corpus named ``<memory>``."""
    report["inputs"] = [MEMORY if p == path else p for p in report["inputs"]]
    coverage = report.get("coverage")
    if coverage and coverage.get("missing_inputs"):
        coverage["missing_inputs"] = [MEMORY if p == path else p for p in coverage["missing_inputs"]]
    return report


def _patterns(patterns: Sequence[str] | str) -> tuple[str, ...]:
    """Patterns given as a sequence of strings (a lone string is one pattern, not its characters)."""
    patterns = (patterns,) if isinstance(patterns, str) else tuple(patterns)
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern:
            raise FloorError(f"a --glob or --exclude pattern must be a non-empty string, not {pattern!r}")
    return patterns


def _check_split_bytes(split_bytes) -> None:
    if not (isinstance(split_bytes, int) and split_bytes >= 1):
        raise FloorError(f"split size must be a whole number of bytes >= 1, not {split_bytes!r}")


def _scan_into(paths: list[str], opts: ScanOptions, output: Path, *, resume: bool, workers: int | None,
               buckets: int, engine: str = "local", address: str | None = None,
               split_bytes: int = DEFAULT_SPLIT_BYTES, left_out: Sequence[tuple[str, str]] = ()) -> CountsDir:
    created = not output.exists()
    counts_dir = CountsDir.create(output, unit=opts.unit, params=opts.as_params(), buckets=buckets, resume=resume,
                                  split_bytes=split_bytes, tasks=plan_tasks(paths, opts, split_bytes),
                                  left_out=left_out)
    # The lock is held for the whole scan, by its forked workers too: no second scan writes the directory meanwhile.
    with counts_dir.writing():
        try:
            if engine == "ray":
                from .engines.ray import scan_to_dir_ray  # Ray is an optional extra
                scan_to_dir_ray(paths, opts, counts_dir, address=address, num_cpus=workers)
            else:
                scan_to_dir(paths, opts, counts_dir, workers=workers)
        except WorkerDied:
            raise  # not the input's fault: the parts completed so far are sound, and a resume continues from them
        except FloorError:
            # A scan that stopped on bad input leaves nothing behind, unless it continues earlier work.
            if created:
                discard_directory(output)
            raise
    return counts_dir


def merge(sources: Sequence[str | Path], output: str | Path, *, allow_incomplete: bool = False) -> CountsDir:
    """Reduce counts directories of disjoint inputs into one, bucket by bucket (a source may be the URL of one on a
    store, read through a local copy).

    An incomplete source is refused unless ``allow_incomplete`` (then the output is incomplete too). ``output``
    must lie apart from the sources, and not exist, or be empty, or be an earlier merge of the same inputs,
    which is replaced only once the new one is complete (see :func:`floor.count.merge_counts_dirs`).
    """
    if remote.is_url(os.fspath(output)):
        raise FloorError(f"{os.fspath(output)}: merge writes a local counts directory (its sources may be on a store)")
    with contextlib.ExitStack() as stack:
        local = [stack.enter_context(remote_counts.downloaded(source))
                 if isinstance(source, str) and remote.is_url(source) else source for source in sources]
        return merge_counts_dirs(local, output, allow_incomplete=allow_incomplete)


@_with_scan_options
def extract(inputs: Sequence[str], *, skips: SkipLog | None = None, glob: Sequence[str] = (),
            exclude: Sequence[str] = (), limit: int | None = None, **options) -> Iterator[dict]:
    """Every extracted fact with its document id and matched text, for auditing precision.

    Pass a ``SkipLog`` to see what was skipped under ``on_error="skip"``; ``glob``, ``exclude``: as for
    :func:`scan`; ``limit``: the first ``limit`` documents of the inputs only (as for :func:`run`).
    """
    opts = scan_options(**options)
    _check_limit(limit)
    skips = skips if skips is not None else SkipLog(on_error=opts.on_error)
    for path, (doc_id, facts, _) in _first_documents(_expand(inputs, glob, exclude), opts, skips, limit):
        for fact in facts:
            yield {"doc_id": doc_id, "category": fact.category, "entity": fact.entity, "value": fact.value,
                   "text": fact.text, "start": fact.start, "end": fact.end, "subject": fact.subject, "source": path}


def _first_documents(paths: Sequence[str], opts: ScanOptions, skips: SkipLog, limit: int | None,
                     counting: bool = False) -> Iterator[tuple[str, tuple]]:
    """``(path, item)`` for the documents of ``paths`` in order (items of :func:`document_facts`; ``counting``:
    as a count reads them, with their texts and without made-up ids), the first ``limit`` of them only when
    ``limit`` is given."""
    left = limit
    for path in paths:
        for item in document_facts(path, opts, skips, ids=not counting, with_text=counting):
            yield path, item
            if left is not None:
                left -= 1
                if left <= 0:
                    return


def _check_limit(limit) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise FloorError(f"limit must be a whole number of documents >= 1, not {limit!r}")


def _look(paths: list[str], opts: ScanOptions, limit: int, left_out: Sequence[tuple[str, str]] = ()) -> Counts:
    """Counts of the first ``limit`` documents of ``paths``, read in order in this process: a quick look. Their
    ``coverage`` says so (``complete`` false, ``limit``), with the inputs not reached as missing."""
    counter = new_counter(opts)
    skips = SkipLog(on_error=opts.on_error)
    read: list[str] = []
    for path, (_, facts, domain, text) in _first_documents(paths, opts, skips, limit, counting=True):
        if not read or read[-1] != path:
            read.append(path)
        counter.add_document(facts, domain, text)
    missing = [path for path in paths if path not in read]
    return Counts(tables=counter.take(), unit=opts.unit, documents=counter.documents, inputs=read, skips=skips,
                  params=opts.as_params(), dedup=counter.take_records(),
                  domain_documents=domain_documents(counter, opts), left_out=sorted(left_out),
                  coverage=dict(coverage(False, len(paths), len(read), missing), limit=limit))


@_with_scan_options
def sample_mentions(inputs: Sequence[str], size: int, *, seed: int = 0, skips: SkipLog | None = None,
                    glob: Sequence[str] = (), exclude: Sequence[str] = (), **options) -> MentionSample:
    """A uniform random sample of ``size`` extracted fact mentions (a mention: one fact as floor counts it in one
    document), to check extraction by hand before quoting a number: ``.rows()`` are the rows of the audit sheet
    (:func:`floor.audit.format_sheet` writes it as CSV), ``.mentions`` the mentions found.

    The sample depends only on ``seed`` and the mentions (bottom-k by a keyed hash), not on the order of the
    inputs. Every fact is counted, for its ``fact_mentions`` and its category's N and f1, so memory grows with
    the distinct facts of the inputs; a ``sample_rate`` below 1, which counts only some facts, is refused.
    Pass a ``SkipLog`` to see what was skipped under ``on_error="skip"``; ``glob``, ``exclude``: as for
    :func:`scan`.
    """
    opts = scan_options(**options)
    if opts.sample_rate < 1:
        raise FloorError("an audit sample counts every fact; --sample-rate, which counts only some, is not for it")
    _check_seed(seed)
    sample = MentionSample(size, seed, opts.unit)
    skips = skips if skips is not None else SkipLog(on_error=opts.on_error)
    for path in _expand(inputs, glob, exclude):
        for doc_id, facts, _, text in document_facts(path, opts, skips, with_text=True):
            if facts:
                sample.add_document(path, doc_id, text, facts)
    return sample


def audit(sheet: str | Path, *, confidence: float = 0.95, replicates: int = DEFAULT_REPLICATES,
          seed: int = 0) -> dict:
    """The ``floor.audit/1`` document of an audit sheet (written by :func:`sample_mentions`, checked by hand):
    precision with its Wilson interval and the singleton rate corrected for false facts, per category and pooled
    (see :func:`floor.audit.summarize`). ``seed`` and ``replicates``: of the corrected rate's bootstrap."""
    _check_confidence(confidence)
    _check_seed(seed)
    if not _is_whole(replicates) or replicates < 1:
        raise FloorError(f"replicates must be a whole number >= 1, not {replicates!r}")
    return summarize(read_sheet(str(sheet)), confidence=confidence, replicates=replicates, seed=seed,
                     sheet=str(sheet))


def packs() -> list[dict]:
    """floor's built-in packs, each as ``{name, language, description, source, digest, categories: {name:
    {value, answer_space}}}``; the biography packs are what a scan extracts by default."""
    return [builtin_pack(name).describe() for name in builtin_names()]


def pack_text(name: str) -> str:
    """The TOML text of the built-in pack ``name`` (a start for a user's own)."""
    return builtin_pack(name).text


def check_packs(refs: Sequence[str]) -> list[str]:
    """Read each pack (a TOML file or a built-in pack's name), compile its phrases and run its examples; the
    problems found, one line each naming the file and line (none: the packs are good). A pack that cannot be
    read at all is refused with a :class:`~floor.errors.FloorError` naming its file, line and key."""
    if not refs:
        raise FloorError("name at least one pack to check")
    return [problem for ref in refs for problem in check_pack(load_pack(ref))]


def read_profile(path: str) -> dict[str, Profile]:
    """Read a frequency-of-frequencies TSV (``[category<TAB>]count<TAB>facts``)."""
    return read_profile_tsv(path)


def answer_spaces(categories: Sequence[str], overrides: Mapping[str, int] | None = None,
                  provenance: Mapping | None = None) -> dict[str, int]:
    """|E| per category: the user's value, else the pack's that declared it (as the counts' ``provenance``
    records it, or the registry of this process), else DEFAULT_ANSWER_SPACE.

    An override for a category that is neither known nor one of ``categories`` is an error, not ignored.
    """
    overrides = dict(overrides or {})
    _check_answer_space(overrides, known=[*CATEGORIES, *categories])
    recorded = {c: n for pack in ((provenance or {}).get("params") or {}).get("packs") or ()
                for c, n in pack.get("answer_spaces", {}).items()}
    spaces = {}
    for category in categories:
        default = recorded.get(category) or (CATEGORIES[category].answer_space if category in CATEGORIES
                                             else DEFAULT_ANSWER_SPACE)
        spaces[category] = overrides.get(category, default)
    return spaces


def _check_answer_space(answer_space: Mapping[str, int], known: Sequence[str] | None = None) -> None:
    """Sizes are whole numbers >= 1, and, when the ``known`` categories are given, every category is one of them."""
    for category, size in answer_space.items():
        if not isinstance(category, str) or not category.strip():
            raise FloorError(f"an answer space needs a category name, got {category!r}")
        if not _is_whole(size) or size < 1:
            raise FloorError(f"answer space for {category} must be a whole number >= 1, not {size!r}")
    unknown = sorted(set(answer_space) - set(known)) if known is not None else []
    if unknown:
        pooled = (f" (the pooled group {OVERALL!r} takes the smallest answer space of its categories)"
                  if OVERALL in unknown else "")
        raise FloorError(f"answer space given for unknown {'category' if len(unknown) == 1 else 'categories'} "
                         f"{', '.join(unknown)}; known: {', '.join(sorted(set(known)))}{pooled}")


def _is_whole(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_confidence(confidence: float) -> None:
    try:
        # the quantile at 0.5 + confidence/2 must exist: above 1 - 2^-52 float64 rounds that to 1
        usable = 0 < confidence < 1 and math.isfinite(normal_quantile(confidence))
    except (TypeError, ValueError):
        usable = False
    if not usable:
        raise FloorError(f"confidence must be between 0 and 1 (at most 1 - 2^-52 = {1 - 2**-52!r}, where float64 "
                         f"still tells the tail from 0), not {confidence!r}")


def _check_seed(seed) -> None:
    if not _is_whole(seed) or seed < 0:
        raise FloorError(f"seed must be a whole number >= 0, not {seed!r}")


def _check_delta(delta: float) -> None:
    if not 0 <= delta <= 1:
        raise FloorError(f"delta must be between 0 and 1, not {delta}")


def check_estimate_options(*, confidence: float, interval: str, delta: float,
                           answer_space: Mapping[str, int] | None, seed: int = 0,
                           categories: Sequence[str] | None = None) -> None:
    """Reject bad estimate options before any corpus is read.

    ``categories``: every category the counts can hold, when that is known before reading them (text extracts
    only the built-in ones); then an answer space for any other category is refused here.
    """
    _check_confidence(confidence)
    _check_delta(delta)
    if interval not in INTERVALS:
        raise FloorError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}")
    _check_seed(seed)
    _check_answer_space(dict(answer_space or {}), known=categories)


def estimate(
    source: Counts | CountsDir | Mapping[str, Profile] | str | Path,
    *,
    answer_space: Mapping[str, int] | None = None,
    confidence: float = 0.95,
    interval: str = "esty",
    delta: float = 0.0,
    seed: int = 0,
    return_replicates: bool = False,
    allow_incomplete: bool = False,
    max_domains: int | None = None,
) -> Report:
    """The ``floor.report/1`` document for counts, a counts directory, a profile TSV, or ``{category: Profile}``.

    ``return_replicates=True`` adds each group's seeded bootstrap replicates (``bootstrap_replicates``: their
    singleton rates, missing masses, singletons and doubletons). An incomplete counts directory is refused,
    unless ``allow_incomplete``: then the report is of its completed inputs, and its ``coverage`` says so.
    Counts made with a domain option give a group per (category, domain) besides each pooled category;
    ``max_domains`` keeps the largest domains (by mentions over all categories) and pools the rest as ``other``.
    """
    check_estimate_options(confidence=confidence, interval=interval, delta=delta, answer_space=answer_space, seed=seed)
    _check_max_domains(max_domains)
    with _readable(source) as source:
        summary, provenance = _open_summary(source, allow_incomplete, max_domains)
    return _report(summary, provenance, answer_space=answer_space, confidence=confidence, interval=interval,
                   delta=delta, seed=seed, return_replicates=return_replicates, max_domains=max_domains)


def _check_max_domains(max_domains) -> None:
    if max_domains is not None and (not _is_whole(max_domains) or max_domains < 1):
        raise FloorError(f"max domains must be a whole number >= 1, not {max_domains!r}")


def _report(summary: CountSummary, provenance: dict, *, answer_space, confidence, interval, delta, seed,
            return_replicates: bool = False, max_domains: int | None = None) -> Report:
    domains = len(set().union(*summary.domains.values())) if summary.domains else 0
    if domains > MANY_DOMAINS and max_domains is None:
        warnings.warn(f"{domains:,} domains counted: each is estimated and reported in every category (a few ms "
                      "each); --max-domains K reports the K largest and pools the rest as 'other'", FloorWarning,
                      stacklevel=3)
    report = build_report(summary.profiles,
                          answer_spaces=answer_spaces(list(summary.profiles), answer_space, provenance),
                          conflicting=summary.conflicting, confidence=confidence, interval=interval, delta=delta,
                          seed=seed, provenance=provenance, return_replicates=return_replicates,
                          domains=summary.domains, dedup=summary.dedup)
    if max_domains is not None:
        report["params"]["max_domains"] = max_domains
    return Report(report)


def predict(
    source: Counts | CountsDir | Mapping[str, Profile] | str | Path,
    scales: Sequence[float],
    *,
    target_sr: float | None = None,
    target_floor: float | None = None,
    confidence: float = 0.95,
    replicates: int = 200,
    seed: int = 0,
    return_replicates: bool = False,
    allow_incomplete: bool = False,
    corpus_size: float | None = None,
    domain_sizes: Mapping[str, float] | None = None,
    size_unit: str = "documents",
    answer_space: Mapping[str, int] | None = None,
    delta: float = 0.0,
    finite_population: bool = False,
) -> Prediction:
    """The ``floor.prediction/1`` document: the singleton rate predicted at ``scale × N`` mentions, and Theorem
    2's floor at that size (``answer_space`` and ``delta`` as for :func:`estimate`).

    Targets (rows in ``targets``, per category and pooled): ``target_sr``, the corpus size at which the predicted
    singleton rate falls to it (kind "target"); ``target_floor``, the size from which on Theorem 2's floor
    predicted there stays at or below it (kind "floor_target": the floor first rises with the corpus, as the
    finite-sample term shrinks, then falls with the singleton rate).

    ``return_replicates=True`` adds to each row the bootstrap replicates behind its interval: their predicted
    singleton rates (``replicates``), singletons and doubletons (``replicate_singletons``, ``replicate_doubletons``).
    ``allow_incomplete``: as for :func:`estimate`.

    The corpus the counts are a shard of: ``corpus_size`` (in ``size_unit``: one of :data:`SIZE_UNITS`) is
    converted to a scale through the counts' own size in that unit (documents and mentions counted, input files'
    bytes), and every pooled group is predicted there too; ``domain_sizes`` (in documents or mentions, through
    each domain's own documents read or mentions counted; not in bytes, which are known per input file, not per
    domain) the same per domain, for counts made with a domain option.
    Both assume the counts are a uniform random sample of the corpus's documents (of each domain's).
    At those sizes (the whole corpus the counts are a sample of) the far rows also weigh a model of the corpus's
    facts as a finite population seen through that sampling (``finite_zeta``; :mod:`floor.estimate.far`) against
    the far laws, by how well each fits the counts (:mod:`floor.estimate.backtest`); ``finite_population``: at
    every scale too. The document's ``corpus`` says what was converted how (null without them).
    """
    if any(not 0 < s < math.inf for s in scales):
        raise FloorError(f"scales must be positive finite numbers, got {list(scales)}")
    if not scales and corpus_size is None and not domain_sizes:
        raise FloorError("nothing to predict: give scales, a corpus size or domain sizes")
    for what, target in (("target singleton rate", target_sr), ("target floor", target_floor)):
        if target is not None and not 0 < target < 1:
            raise FloorError(f"{what} must be between 0 and 1, not {target}")
    _check_confidence(confidence)
    if not _is_whole(replicates) or replicates < 0:
        raise FloorError(f"replicates must be a whole number >= 0, not {replicates!r}")
    _check_seed(seed)
    _check_corpus_sizes(corpus_size, domain_sizes, size_unit)
    _check_delta(delta)
    _check_answer_space(dict(answer_space or {}))
    with _readable(source) as source:
        summary, provenance = _open_summary(source, allow_incomplete)
        profiles = summary.profiles
        corpus = None
        if corpus_size is not None or domain_sizes:
            corpus = _corpus(source, summary, provenance, corpus_size, dict(domain_sizes or {}), size_unit,
                             allow_incomplete)
    _check_sizes(list(scales) + ([corpus["scale"]] if corpus and corpus["scale"] else []), profiles, provenance)
    return Prediction(build_prediction(profiles, list(scales), target_sr=target_sr, target_floor=target_floor,
                                       confidence=confidence, replicates=replicates, seed=seed,
                                       provenance=provenance, return_replicates=return_replicates, corpus=corpus,
                                       domains=summary.domains,
                                       answer_spaces=answer_spaces(sorted(profiles), answer_space, provenance),
                                       delta=delta,
                                       finite_population=finite_population))


#: Units of ``corpus_size`` (:func:`predict`), and of ``domain_sizes``.
SIZE_UNITS = ("documents", "mentions", "bytes")
DOMAIN_SIZE_UNITS = ("documents", "mentions")
UNIFORM_SAMPLE = ("the counts are a uniform random sample of the corpus's documents (a hash-sharded corpus's "
                  "shard is; a shard by time or by source is not)")


def _check_corpus_sizes(corpus_size, domain_sizes, size_unit: str) -> None:
    if size_unit not in SIZE_UNITS:
        raise FloorError(f"corpus size unit must be one of {', '.join(SIZE_UNITS)}, not {size_unit!r}")
    sizes = ([("corpus size", corpus_size)] if corpus_size is not None else []) + [
        (f"size of domain {name!r}", size) for name, size in (domain_sizes or {}).items()]
    for what, size in sizes:
        if isinstance(size, bool) or not isinstance(size, (int, float)) or not 0 < size < math.inf:
            raise FloorError(f"{what} must be a positive finite number, not {size!r}")
    if domain_sizes and size_unit not in DOMAIN_SIZE_UNITS:
        raise FloorError(f"domain sizes must be in {' or '.join(DOMAIN_SIZE_UNITS)}, not {size_unit}: input bytes "
                         "are known per file, not per domain")


def _corpus(source, summary: CountSummary, provenance: dict, corpus_size: float | None,
            domain_sizes: dict[str, float], unit: str, allow_incomplete: bool) -> dict:
    """``corpus`` of :func:`predict`: the counts' own sizes (``observed``), the corpus size and its multiple of
    them (``scale``), and per domain its size, its own in the unit (``observed_documents`` read or
    ``observed_mentions`` counted) and their ratio."""
    rate = provenance.get("params", {}).get("sample_rate") or 1.0
    observed = {"documents": provenance.get("documents"),
                "mentions": sum(p.mentions for p in summary.profiles.values()) / rate,
                "bytes": _input_bytes(source, allow_incomplete)}
    scale = None
    if corpus_size is not None:
        have = observed[unit]
        if have is None:
            raise FloorError(f"a corpus size in {unit} needs counts that record their {unit} "
                             f"({'a counts directory made by floor scan' if unit == 'bytes' else 'not a profile'})")
        if not have:
            raise FloorError(f"a corpus size in {unit} needs counts with some: these counted 0 {unit}")
        scale = corpus_size / have
    domains = {}
    if domain_sizes:
        mentions = _domain_mentions(summary, rate)
        if not mentions:
            raise FloorError("--domain-size is for counts made with --domain-field or --domain-from; these were "
                             "made without domains")
        counted = mentions if unit == "mentions" else _documents_read_per_domain(source, allow_incomplete)
        for name, size in domain_sizes.items():
            if name not in mentions:
                known = sorted(mentions)
                raise FloorError(f"unknown domain {name!r} in the domain sizes; the counts have "
                                 f"{', '.join(known[:10])}{' ...' if len(known) > 10 else ''}")
            have = counted.get(name, 0)
            if not mentions[name] or not have:
                raise FloorError(f"domain {name!r} has no {'mentions' if have else unit} in the counts: nothing to "
                                 "scale up")
            domains[name] = {"size": size, f"observed_{unit}": have, "scale": size / have}
    return {"unit": unit, "size": corpus_size, "observed": observed, "scale": scale, "domains": domains,
            "assumption": UNIFORM_SAMPLE}


def _domain_mentions(summary: CountSummary, rate: float) -> dict[str, float]:
    """Each domain's mentions over every category (scaled up from a fact sample)."""
    total: dict[str, float] = {}
    for of_category in summary.domains.values():
        for name, domain in of_category.items():
            total[name] = total.get(name, 0.0) + domain.profile.mentions / rate
    return total


def _documents_read_per_domain(source, allow_incomplete: bool) -> dict[str, int]:
    """The documents read per domain, of counts that recorded them (made with a domain option by a floor that
    counts them)."""
    if isinstance(source, CountsDir):
        documents = source.metadata(allow_incomplete)["domain_documents"]
    else:
        documents = source.domain_documents
    if documents is None:
        raise FloorError(f"{getattr(source, 'path', 'the counts')}: domain sizes in documents need counts that "
                         "record each domain's documents, and these predate that: scan the inputs again, or give "
                         "the domain sizes in mentions")
    return documents


def _input_bytes(source, allow_incomplete: bool) -> int | None:
    """The bytes of the input files counted, as their identities recorded them (one per input, however many
    splits counted it); None when unknown (counts in memory, profiles, parts written without identities)."""
    if not isinstance(source, CountsDir):
        return None
    sizes = {}
    for part in source.readable_survey(allow_incomplete).readable:
        if part.identities is None or any(i is None for i in part.identities):
            return None
        sizes.update((identity.key, identity.size) for identity in part.identities)
    return sum(sizes.values())


def _check_sizes(scales: Sequence[float], profiles: Mapping[str, Profile], provenance: dict) -> None:
    """Every size predicted at, scale × N (N of the pooled group, scaled up from a fact sample), is a float64."""
    mentions = sum(p.mentions for p in profiles.values()) / (provenance.get("params", {}).get("sample_rate") or 1.0)
    for scale in scales:
        if not math.isfinite(scale * mentions):
            raise FloorError(f"scale {scale!r} times the {mentions:,.0f} mentions counted is beyond float64's range")


@contextlib.contextmanager
def _readable(source):
    """``source``, a counts directory named by its path opened, or by the URL of one on a store a local copy of
    it opened (other sources as they are)."""
    if isinstance(source, str) and remote.is_url(source):
        with remote_counts.downloaded(source) as local:
            yield CountsDir.open(local)
    elif isinstance(source, (str, Path)) and Path(source).is_dir():
        yield CountsDir.open(source)
    else:
        yield source


def _open_summary(source, allow_incomplete: bool = False, max_domains: int | None = None,
                  ) -> tuple[CountSummary, dict]:
    """The summary (bare profiles: no conflicting-entity counts, ``conflicting`` None) and provenance of any count
    source (an incomplete counts directory only with ``allow_incomplete``); ``max_domains``: see :func:`estimate`,
    for counts made with a domain option only."""
    if isinstance(source, (str, Path)):  # a directory or URL was opened by _readable
        source = read_profile_tsv(str(source))
    if not isinstance(source, (CountsDir, Counts)):
        if max_domains is not None:
            raise FloorError("--max-domains is for counts made with --domain-field or --domain-from, not profiles")
        return CountSummary(dict(source), None), {}
    if max_domains is not None and not source.params.get("domain"):
        raise FloorError(f"{getattr(source, 'path', 'the counts')}: --max-domains is for counts made with "
                         "--domain-field or --domain-from; these were made without domains")
    if isinstance(source, CountsDir):
        summary, meta = source.summary(allow_incomplete, max_domains), source.metadata(allow_incomplete)
    else:
        summary, meta = source.summary(max_domains), source.metadata()
    mentions = sum(p.mentions for p in summary.profiles.values())
    if mentions > MAX_MENTIONS:  # only a damaged counts directory holds so many
        raise FloorError(f"{getattr(source, 'path', 'the counts')}: counts {mentions:,} mentions, beyond 2^53 = "
                         f"{MAX_MENTIONS:,}, the largest N floor estimates from")
    return summary, _provenance(meta, source.unit, source.params)


def _provenance(meta: dict, unit: str, params: dict) -> dict:
    return dict(documents=meta["documents"], unit=unit, inputs=meta["inputs"], skipped=meta["skips"].as_dict(),
                params=params, coverage=meta.get("coverage"), left_out=meta.get("left_out") or [])


@_with_scan_options
def run(inputs: Sequence[str] | Any, *, answer_space: Mapping[str, int] | None = None, confidence: float = 0.95,
        interval: str = "esty", delta: float = 0.0, seed: int = 0, workers: int | None = None,
        engine: str = "local", address: str | None = None, split_bytes: int = DEFAULT_SPLIT_BYTES,
        return_replicates: bool = False, max_domains: int | None = None, glob: Sequence[str] = (),
        exclude: Sequence[str] = (), limit: int | None = None, progress: bool | None = None,
        **scan_kwargs) -> Report:
    """Scan ``inputs`` and estimate: the whole job, returning the ``floor.report/1`` document.

    ``engine="ray"`` map-reduces on Ray (``address``: the cluster; default: a local instance with ``workers``
    CPUs) without writing counts anywhere; the report is identical to the local engine's. ``split_bytes``: as
    for :func:`scan`, and ``glob``, ``exclude``. ``return_replicates``, ``max_domains``: as for :func:`estimate`.
    ``limit``: a quick look at the first ``limit`` documents of the inputs, read in order in this process (no
    workers, no Ray); the report's ``coverage`` says so (``complete`` false, ``limit``): its numbers are not
    the inputs' numbers. ``progress``: ``None`` shows bars in a Jupyter notebook (and what the command line
    shows there), ``False`` nothing, ``True`` bars or log lines on stderr (:func:`floor.progress.for_call`).

    ``inputs`` may also be a corpus held in memory (:mod:`floor.sources.memory`: a pyarrow Table or record
    batches, a ``datasets.Dataset`` or ``DataFrame``, an iterable of dicts, a generator of texts): it is written to
    a temporary file and read as that file would be; the report names it ``<memory>``.
    """
    if not is_paths(inputs):
        with tempfile.TemporaryDirectory(prefix="floor-memory-") as tmp:
            path = write_data(inputs, tmp, scan_kwargs.get("text_field") or "text")
            report = run([path], answer_space=answer_space, confidence=confidence, interval=interval, delta=delta,
                         seed=seed, workers=workers, engine=engine, address=address, split_bytes=split_bytes,
                         return_replicates=return_replicates, max_domains=max_domains, limit=limit,
                         progress=progress, **scan_kwargs)
        return _named_memory(report, path)
    check_engine(engine, address)
    opts = _for_inputs(scan_options(**scan_kwargs), inputs)
    check_estimate_options(confidence=confidence, interval=interval, delta=delta, answer_space=answer_space, seed=seed,
                           categories=categories_of(chosen_packs(opts)) if opts.input_kind == "text" else None)
    _check_max_domains(max_domains)
    if max_domains is not None and opts.domain is None:
        raise FloorError("--max-domains needs --domain-field or --domain-from")
    _check_split_bytes(split_bytes)
    _check_limit(limit)
    left_out: list[tuple[str, str]] = []
    paths = _expand(inputs, glob, exclude, left_out)
    with progress_for_call(progress):
        if limit is not None:
            return estimate(_look(paths, opts, limit, left_out), answer_space=answer_space, confidence=confidence,
                            interval=interval, delta=delta, seed=seed, return_replicates=return_replicates,
                            max_domains=max_domains, allow_incomplete=True)
        if engine == "ray":
            from .engines.ray import summarize_ray  # Ray is an optional extra
            summary, meta = summarize_ray(paths, opts, address=address, num_cpus=workers, buckets=DEFAULT_BUCKETS,
                                          split_bytes=split_bytes, max_domains=max_domains)
            meta = dict(meta, left_out=sorted(left_out))
            return _report(summary, _provenance(meta, opts.unit, opts.as_params()), answer_space=answer_space,
                           confidence=confidence, interval=interval, delta=delta, seed=seed,
                           return_replicates=return_replicates, max_domains=max_domains)
        with tempfile.TemporaryDirectory(prefix="floor-run-") as tmp:
            counts_dir = _scan_into(paths, opts, Path(tmp) / "counts", resume=False, workers=workers,
                                    buckets=DEFAULT_BUCKETS, split_bytes=split_bytes, left_out=left_out)
            return estimate(counts_dir, answer_space=answer_space, confidence=confidence, interval=interval,
                            delta=delta, seed=seed, return_replicates=return_replicates, max_domains=max_domains)
