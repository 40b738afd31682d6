"""The ``floor`` command line: a thin layer over :mod:`floor.api`."""

from __future__ import annotations

import errno
import glob
import functools
import math
import os
import re
import sys
import warnings
from collections.abc import Sequence

import click
import orjson

from . import __version__, api, progress
from .audit import DEFAULT_REPLICATES, format_audit, format_sheet
from .count import UNITS
from .count.dedup import DEDUP_MODES, DEFAULT_THRESHOLD
from .engines.tasks import DEFAULT_SPLIT_BYTES, INPUT_KINDS
from .errors import FloorError, FloorWarning, SkipLog
from .outputs import check_outputs, discard_directory, output_files
from .report import format_csv, format_json, format_replicates_csv, format_table
from .report.render import check_columns
from .report.plot import check_figure_path, figure_bytes

FORMAT_CHOICES = ("jsonl", "parquet", "arrow", "text", "tsv")


def _split_list(_ctx, _param, value):
    if not value:
        return None
    items = [item.strip() for chunk in value for item in chunk.split(",") if item.strip()]
    return items or None


def _parse_answer_space(_ctx, _param, value):
    spaces = {}
    for chunk in value:
        for item in filter(None, (part.strip() for part in chunk.split(","))):
            category, sep, size = (part.strip() for part in item.partition("="))
            if not (category and sep and re.fullmatch(r"[0-9]+", size, re.ASCII) and int(size) >= 1):
                raise click.BadParameter(f"expected CATEGORY=SIZE with SIZE a whole number >= 1, got {item!r}")
            spaces[category] = int(size)
    return spaces


class _UsageError(click.UsageError):
    """A usage error shown as one line, like every other error of floor."""

    def show(self, file=None):
        where = f" (see '{self.ctx.command_path} -h')" if self.ctx is not None else ""
        click.echo(f"floor: error: {self.format_message()}{where}", err=True)


class _Command(click.Command):
    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            if isinstance(exc, _UsageError):
                raise
            raise _UsageError(exc.format_message(), exc.ctx) from None


class _Group(click.Group):
    command_class = _Command


_QUIET = click.option("-q", "--quiet", is_flag=True,
                      help="No progress on stderr (default: bars on a terminal, else a log line every 10 s).")


def input_options(command):
    """Options shared by every command that reads a corpus."""
    decorators = [
        click.argument("inputs", nargs=-1, required=True),
        click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES), default=None,
                     help="Input format (default: from each file's extension; stdin defaults to jsonl)."),
        click.option("--input-kind", type=click.Choice(INPUT_KINDS), default="text", show_default=True,
                     help="'text': documents to extract facts from; 'triples': pre-extracted entity/relation/value rows."),
        click.option("--text-field", default="text", show_default=True, help="JSON field or Parquet column holding the text."),
        click.option("--id-field", default="id", show_default=True, help="Field holding the document id (else file:line)."),
        click.option("--title-field", default=None, metavar="FIELD",
                     help="Field (Parquet column) holding each document's title: the subject of a page about one "
                          "person, as in Wikipedia dumps (default: a heading line or the lead sentence)."),
        click.option("--glob", "glob_", multiple=True, metavar="PATTERN",
                     help="Read only the files of directories and globs that match a pattern (repeatable; with a "
                          "'/', matched against the path under the directory, else the file name)."),
        click.option("--exclude", multiple=True, metavar="PATTERN",
                     help="Leave out the files of directories and globs that match a pattern (repeatable; as "
                          "--glob). Files named explicitly are always read."),
        click.option("--pack", "packs", multiple=True, metavar="FILE|NAME",
                     help="A pack of fact categories and phrasings to extract with: a TOML file, or a built-in "
                          "pack's name (repeatable; default: the built-in biography packs; 'floor packs' lists "
                          "them)."),
        click.option("--language", "languages", default="auto", show_default=True, metavar="auto|CODES",
                     help="'auto': every pack reads the documents in its language; or comma-separated language "
                          "codes (en,fr): only those languages' packs."),
        click.option("--categories", multiple=True, callback=_split_list,
                     help="Comma-separated fact categories to extract (default: all the packs give)."),
        click.option("--unit", type=click.Choice(UNITS), default="document", show_default=True,
                     help="Count a fact once per document that states it, or once per mention."),
        click.option("--on-error", type=click.Choice(["fail", "skip"]), default="fail", show_default=True,
                     help="On a bad record: stop with an error, or skip it and count the skip in the report."),
        click.option("--sample-rate", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
                     help="Bounded memory: count only this fraction of facts (chosen by key hash, the same in every "
                          "shard) and scale up; the report says so and widens the interval."),
        click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Worker processes, one input file (or 256 MiB split of a JSONL file) each at a time "
                          "(default: all cores; with --engine ray: CPUs of the local Ray instance)."),
        _QUIET,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def domain_options(command):
    """Per-domain floors: where run and scan read each document's domain."""
    decorators = [
        click.option("--domain-field", metavar="FIELD", default=None,
                     help="Count per domain too: the domain is this field (a Parquet column; a dotted path such as "
                          "metadata.source reaches into nested objects); a record without it is in '(none)'."),
        click.option("--domain-from", metavar="url[=FIELD]|path|language", default=None,
                     help="Count per domain too: the registered domain of a URL field (default field: url), e.g. "
                          "https://en.wikipedia.org/wiki/X -> wikipedia.org; or 'path': the first directory under "
                          "the input (documents/<domain>/...); or 'language': the language of the pack that read "
                          "each document ('other': a language no chosen pack reads)."),
        click.option("--domain-map", metavar="FILE", default=None,
                     help="TSV of 'raw value<TAB>domain name' lines renaming domains (to group many sites into few)."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def dedup_options(command):
    """Duplicate-aware counts: run and scan count each fact once per cluster of duplicate documents too."""
    decorators = [
        click.option("--dedup", type=click.Choice(DEDUP_MODES), default=None,
                     help="Report beside the raw numbers the numbers with each fact counted once per cluster of "
                          "duplicate documents: 'exact' (equal normalized texts) or 'near' (MinHash LSH over 5-word "
                          "shingles)."),
        click.option("--dedup-threshold", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=None,
                     metavar="J", help=f"With --dedup near: the Jaccard similarity from which documents are "
                                       f"duplicates (default {DEFAULT_THRESHOLD})."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


_MAX_DOMAINS = click.option(
    "--max-domains", type=click.IntRange(min=1), default=None, metavar="K",
    help="With counts made per domain: report the K domains with the most mentions and pool the rest as 'other'.")


def engine_options(command):
    """Where run and scan execute their map and reduce tasks."""
    decorators = [
        click.option("--engine", type=click.Choice(api.ENGINES), default="local", show_default=True,
                     help="'local': worker processes on this machine; 'ray': a Ray cluster (pip install 'hallucination-floor[ray]')."),
        click.option("--address", metavar="ADDR", default=None,
                     help="With --engine ray: the cluster (HOST:PORT, ray://HOST:PORT, or 'auto': RAY_ADDRESS or "
                          "the cluster started on this node); default: a new local Ray instance."),
        click.option("--split-mib", type=click.IntRange(min=1), default=DEFAULT_SPLIT_BYTES >> 20, show_default=True,
                     help="Read an uncompressed JSONL file larger than this many MiB as several map tasks (a resumed "
                          "scan keeps the size its directory records)."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def estimate_options(command):
    decorators = [
        click.option("--confidence", type=float, default=0.95, show_default=True, help="Confidence level of intervals."),
        click.option("--interval", type=click.Choice(api.INTERVALS), default="esty", show_default=True,
                     help="Interval for the singleton rate."),
        click.option("--delta", type=float, default=0.0, show_default=True,
                     help="Model miscalibration delta in Theorem 2 (unknown from data; 0 assumes calibration)."),
        click.option("--answer-space", multiple=True, callback=_parse_answer_space, metavar="CATEGORY=SIZE",
                     help="|E|, the number of plausible wrong answers per category (repeatable or comma-separated)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed for the bootstrap."),
        _MAX_DOMAINS,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return output_options("floor.report/1", "group", "With --interval bootstrap: write the bootstrap replicates "
                          "behind each group's interval here")(command)


def _parse_columns(schema: str, _ctx, _param, value):
    """--columns, checked against the table columns of a ``schema`` document before any work is done."""
    if value is None:
        return None
    columns = [c.strip() for c in value.split(",") if c.strip()]
    if not columns:
        raise click.BadParameter("expected comma-separated column names")
    try:
        check_columns(schema, columns)
    except FloorError as exc:
        raise click.BadParameter(str(exc)) from None
    return columns


def output_options(schema: str, row: str, replicates_help: str):
    """Where a command writes its document (``schema``, one ``row`` per table row) besides the terminal table."""
    def decorate(command):
        decorators = [
            click.option("--json", "json_path", metavar="PATH", help=f"Write the {schema} JSON here ('-' for stdout)."),
            click.option("--csv", "csv_path", metavar="PATH", help=f"Write one CSV row per {row} here ('-' for stdout)."),
            click.option("--markdown", "markdown_path", metavar="PATH",
                         help="Write the table and its notes as Markdown here ('-' for stdout)."),
            click.option("--latex", "latex_path", metavar="PATH",
                         help="Write the table as a LaTeX tabular (booktabs) here, notes as comments ('-' for stdout)."),
            click.option("--plot", "plot_path", metavar="PATH",
                         help="Draw the figure into PATH (.png, .pdf, .svg...; pip install 'hallucination-floor[plot]')."),
            click.option("--dpi", type=click.FloatRange(min=10, max=2400), default=None,
                         help="Dots per inch of a raster --plot (.png) [default: matplotlib's, 100]."),
            click.option("--columns", "table_columns", metavar="LIST",
                         callback=functools.partial(_parse_columns, schema),
                         help="Comma-separated columns of the tables (terminal, --markdown, --latex), by the "
                              "terminal table's headers, e.g. category,mentions,sr,ci_low,ci_high,thm2_floor."),
            click.option("--caption", metavar="TEXT",
                         help="Caption of the --latex table (a table float) or the --markdown table."),
            click.option("--label", metavar="KEY", help="\\label of the --latex table ({#KEY} in --markdown)."),
            click.option("--replicates-out", "replicates_path", metavar="PATH",
                         help=f"{replicates_help}, one CSV row per replicate ('-' for stdout)."),
        ]
        for decorator in reversed(decorators):
            command = decorator(command)
        return command
    return decorate


# Renderings of a document as text, by the parameter and the option naming their file; tables take the table
# options (--columns, --caption, --label).
_RENDERERS = {
    "json_path": ("--json", format_json),
    "csv_path": ("--csv", format_csv),
    "markdown_path": ("--markdown", functools.partial(format_table, style="markdown")),
    "latex_path": ("--latex", functools.partial(format_table, style="latex")),
    "replicates_path": ("--replicates-out", format_replicates_csv),
}
_TABLE_RENDERERS = {"markdown_path", "latex_path"}


def _scan_kwargs(kw: dict) -> dict:
    return dict(input_kind=kw["input_kind"], format=kw["format_"], text_field=kw["text_field"],
                id_field=kw["id_field"], title_field=kw["title_field"], categories=kw["categories"],
                packs=kw["packs"] or None, languages=kw["languages"], unit=kw["unit"], on_error=kw["on_error"],
                sample_rate=kw["sample_rate"], glob=kw["glob_"], exclude=kw["exclude"],
                **{name: kw[name] for name in _RUN_SCAN_OPTIONS if name in kw})


# Options of run and scan only (not of extract).
_RUN_SCAN_OPTIONS = ("domain_field", "domain_from", "domain_map", "dedup", "dedup_threshold")


def _estimate_kwargs(kw: dict, inputs: Sequence[str]) -> dict:
    _check_outputs(kw, inputs)
    if kw["replicates_path"] and kw["interval"] != "bootstrap":
        raise FloorError(f"--replicates-out needs --interval bootstrap: the replicates are the draws behind a "
                         f"bootstrap interval, and the {kw['interval']} interval has none")
    return dict(answer_space=kw["answer_space"], confidence=kw["confidence"], interval=kw["interval"],
                delta=kw["delta"], seed=kw["seed"], return_replicates=bool(kw["replicates_path"]),
                max_domains=kw["max_domains"])


def _progress(kw: dict):
    """Progress of the scans inside the block, rendered on stderr unless --quiet (see floor.progress)."""
    return progress.use(progress.sink_for(sys.stderr, quiet=kw.get("quiet", False)))


def _check_outputs(kw: dict, inputs: Sequence[str]) -> None:
    """Refuse what cannot be written, or would replace one of ``inputs``, before any work is done (and before
    any input is read)."""
    options = {name: option for name, (option, _) in _RENDERERS.items()} | {"plot_path": "--plot"}
    for name, option in options.items():
        _check_named(option, kw.get(name))
    if kw.get("plot_path") == "-":
        raise FloorError("--plot needs a file name: a figure is not written to stdout")
    if kw.get("plot_path"):
        check_figure_path(kw["plot_path"])
    elif kw.get("dpi") is not None:
        raise FloorError("--dpi is for the figure: give --plot PATH too")
    if (kw.get("caption") is not None or kw.get("label") is not None) and not (
            kw.get("markdown_path") or kw.get("latex_path")):
        raise FloorError("--caption and --label are for a table in a paper: give --latex or --markdown too")
    to_stdout = [option for name, option in options.items() if kw.get(name) == "-"]
    if len(to_stdout) > 1:
        raise FloorError(f"only one output can go to stdout, not {' and '.join(to_stdout)}")
    check_outputs([kw[name] for name in options if kw.get(name) not in (None, "-")], _input_paths(inputs))


def _input_paths(inputs: Sequence[str]) -> list[str]:
    """The paths that ``inputs`` name, globs expanded (as far as outputs must keep clear of them)."""
    return [path for spelled in inputs if spelled not in (None, "-")
            for path in (glob.glob(spelled, recursive=True) if glob.has_magic(spelled) else [spelled])]


def _check_named(option: str, path: str | None, kind: str = "file name ('-' for stdout)") -> None:
    if path == "":
        raise FloorError(f"{option} needs a {kind}, not an empty one")


def _emit(document: dict, kw: dict) -> None:
    """Render ``document`` for every output asked for, then write them all, or none if one cannot be written;
    print the table unless another output goes to stdout."""
    _check_counted(document)
    table = dict(columns=kw.get("table_columns"))
    texts = [(kw[name], render(document, **table, caption=kw.get("caption"), label=kw.get("label"))
              if name in _TABLE_RENDERERS else render(document))
             for name, (_, render) in _RENDERERS.items() if kw.get(name)]
    files = [(path, text.encode("utf-8")) for path, text in texts if path != "-"]
    if kw.get("plot_path"):
        files.append((kw["plot_path"], figure_bytes(document, check_figure_path(kw["plot_path"]), kw.get("dpi"))))
    stdout = next((text for path, text in texts if path == "-"), None)
    with output_files([path for path, _ in files]) as outputs:
        # files first, each flushed to its temporary file; devices and pipes, which cannot take anything back, last
        for output, (_, data) in sorted(zip(outputs, files), key=lambda pair: pair[0].in_place):
            output.write(data)
            output.finish()
        # inside the block: if stdout cannot take the table, no file is put in place either
        _write_stdout((format_table(document, **table) if stdout is None else stdout).encode("utf-8"))


class _StdoutClosed(Exception):
    """The reader of stdout went away (EPIPE): floor stops quietly, as a program killed by SIGPIPE does."""


SIGPIPE_STATUS = 141  # 128 + SIGPIPE, the status a shell reports for `floor extract -o - | head`


def _write_stdout(data: bytes) -> None:
    """Write and flush ``data`` to stdout: a full disk is a one-line error, a closed pipe a quiet stop."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise FloorError(f"stdout: cannot write ({os.strerror(errno.EBADF)})")
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise _StdoutClosed() from None
    except OSError as exc:
        _silence_stdout()
        raise FloorError(f"stdout: cannot write ({exc.strerror or exc})") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what could not be written stays quiet
    (no "Exception ignored ... BrokenPipeError" on exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (e.g. under click's CliRunner)
        pass


def _check_counted(document: dict) -> None:
    """Refuse a result from counts in which no document was counted; warn about one in which none stated a fact.

    A bare profile says nothing about documents (``documents`` is null) and passes.
    """
    documents = document.get("documents")
    if documents is None:
        return
    skipped = document.get("skipped") or {}
    if documents == 0:
        raise FloorError(f"no document was counted{_skip_summary(skipped)}")
    if "groups" in document:
        found = any(group["mentions"] for group in document["groups"])
    else:
        found = bool(document.get("predictions"))
    if not found:
        rate = (document.get("params") or {}).get("sample_rate") or 1.0
        sampled = f" (--sample-rate {rate:g} counts only that fraction of facts)" if rate < 1 else ""
        click.echo(f"floor: warning: no fact was found in {_count(documents, 'document')}{sampled}"
                   f"{_skip_summary(skipped)}", err=True)


def _skip_summary(skipped: dict) -> str:
    """``: N records were skipped, most (K) for REASON, e.g. EXAMPLE``, or nothing when none was."""
    total, by_reason = skipped.get("total", 0), skipped.get("by_reason") or {}
    if not total:
        return ""
    reason, count = max(by_reason.items(), key=lambda item: (item[1], item[0]))
    share = f"all for {reason}" if count == total else f"most ({count:,}) for {reason}"
    examples = (skipped.get("examples") or {}).get(reason) or []
    example = f", e.g. {examples[0]}" if examples else ""
    return f": {_count(total, 'record')} {'was' if total == 1 else 'were'} skipped, {share}{example}"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _count_source(counts: str | None, profile_path: str | None):
    if bool(counts) == bool(profile_path):
        raise FloorError("give either a COUNTS directory or --profile FILE")
    return api.read_profile(profile_path) if profile_path else counts


_show_python_warning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None):
    if issubclass(category, FloorWarning):
        click.echo(f"floor: warning: {message}", err=True)
    else:
        _show_python_warning(message, category, filename, lineno, file, line)


def handle_errors(command):
    """Turn user-facing errors into one line on stderr and exit status 2, never a traceback.

    An OS error that escapes the places that name what they were writing is still one line, with its file. A
    closed stdout pipe ends the command quietly with status 141.
    """
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", FloorWarning)
                warnings.showwarning = _show_warning
                return command(*args, **kwargs)
        except FloorError as exc:
            click.echo(f"floor: error: {exc}", err=True)
        except _StdoutClosed:
            _silence_stdout()
            sys.exit(SIGPIPE_STATUS)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename is not None else ""
            click.echo(f"floor: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(2)
    return wrapper


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="floor")
def main():
    """floor: the singleton-rate floor on how often a model trained on a corpus must hallucinate arbitrary facts."""


_LIMIT = click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
                      help="A quick look: the first N documents of the inputs only, in order (one process); the "
                           "report says it is not the inputs' numbers.")


@main.command()
@input_options
@domain_options
@dedup_options
@engine_options
@estimate_options
@_LIMIT
@handle_errors
def run(inputs, limit, **kw):
    """Scan INPUTS (files, directories, globs, URLs, '-') and report the singleton rate per fact category."""
    estimate_kwargs = _estimate_kwargs(kw, inputs)  # checked before any input is read
    if limit is not None and kw["engine"] != "local":
        raise FloorError("--limit reads the first documents in this process: it is for the local engine")
    with _progress(kw):
        report = api.run(list(inputs), workers=kw["workers"], engine=kw["engine"], address=kw["address"],
                         split_bytes=kw["split_mib"] << 20, limit=limit,
                         **_scan_kwargs(kw), **estimate_kwargs)
    _emit(report, kw)


@main.command()
@input_options
@domain_options
@dedup_options
@engine_options
@click.option("-o", "--output", required=True, metavar="DIR",
              help="Counts directory to write (with --engine ray on several nodes: on a filesystem they all share).")
@click.option("--resume", is_flag=True, help="Continue DIR, skipping the input files it already completed.")
@handle_errors
def scan(inputs, output, resume, **kw):
    """Scan INPUTS and write their fact counts to DIR (one part per input file), for estimate, merge or predict."""
    _check_named("-o", output, "directory name")
    created = not os.path.lexists(output)
    with _progress(kw):
        counts_dir = api.scan(list(inputs), output=output, resume=resume, workers=kw["workers"],
                              split_bytes=kw["split_mib"] << 20,
                              engine=kw["engine"], address=kw["address"], **_scan_kwargs(kw))
    meta = counts_dir.metadata()
    if meta["documents"] == 0:
        if created:  # a scan that counted nothing leaves nothing behind, unless it continues earlier work
            discard_directory(output)
        raise FloorError(f"no document was counted{_skip_summary(meta['skips'].as_dict())}")
    click.echo(f"{meta['documents']:,} documents from {len(meta['inputs']):,} inputs -> {output}", err=True)


_ALLOW_INCOMPLETE = click.option(
    "--allow-incomplete", is_flag=True,
    help="Use an incomplete counts directory (a scan killed or stopped before it counted every input): only its "
         "completed inputs, and the output says it is partial.")


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="DIR",
              help="Merged counts directory to write (new, empty, or an earlier merge of the same inputs).")
@_ALLOW_INCOMPLETE
@_QUIET
@handle_errors
def merge(sources, output, allow_incomplete, quiet):
    """Merge counts directories of disjoint inputs (e.g. shards scanned on different machines) into DIR."""
    _check_named("-o", output, "directory name")
    api.merge(list(sources), output, allow_incomplete=allow_incomplete)


@main.command()
@click.argument("counts", required=False)
@click.option("--profile", "profile_path", metavar="FILE",
              help="Read a frequency-of-frequencies TSV ([category<TAB>]count<TAB>facts) instead of counts.")
@_ALLOW_INCOMPLETE
@estimate_options
@_QUIET
@handle_errors
def estimate(counts, profile_path, allow_incomplete, **kw):
    """Estimate from a COUNTS directory written by 'floor scan', or from --profile FILE."""
    estimate_kwargs = _estimate_kwargs(kw, [counts, profile_path])
    _emit(api.estimate(_count_source(counts, profile_path), allow_incomplete=allow_incomplete, **estimate_kwargs), kw)


def _parse_scales(_ctx, _param, value):
    if value is None:
        return None
    try:
        scales = [float(item) for item in value.split(",") if item.strip()]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated numbers, got {value!r}") from None
    if not scales or any(not 0 < s < math.inf for s in scales):
        raise click.BadParameter(f"scales must be positive finite numbers, got {value!r}")
    return scales


# A size's suffix: its unit and multiplier (bytes in decimal and binary multiples).
_SIZE_SUFFIXES = {
    **dict.fromkeys(("documents", "document", "docs", "doc"), ("documents", 1)),
    **dict.fromkeys(("mentions", "mention"), ("mentions", 1)),
    **dict.fromkeys(("bytes", "byte", "b"), ("bytes", 1)),
    **{f"{p}b": ("bytes", 1000 ** (i + 1)) for i, p in enumerate("kmgtp")},
    **{f"{p}ib": ("bytes", 1024 ** (i + 1)) for i, p in enumerate("kmgtp")},
}
DEFAULT_SCALES = "0.5,2,10"


def _parse_size(text: str) -> tuple[float, str | None]:
    """``3e6``, ``3e6docs``, ``5e7 mentions``, ``40GB``: the number and the unit its suffix names (None: none)."""
    match = re.fullmatch(r"\s*([0-9.]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    suffix = match and match.group(2).lower()
    if not match or (suffix and suffix not in _SIZE_SUFFIXES):
        raise click.BadParameter(f"expected a size such as 3e6, 3e6docs, 5e7mentions or 40GB, got {text!r}")
    unit, multiple = _SIZE_SUFFIXES[suffix] if suffix else (None, 1)
    try:
        value = float(match.group(1)) * multiple
    except ValueError:
        raise click.BadParameter(f"expected a size such as 3e6, 3e6docs, 5e7mentions or 40GB, got {text!r}") from None
    if not 0 < value < math.inf:
        raise click.BadParameter(f"a size must be a positive finite number, got {text!r}")
    return value, unit


def _parse_corpus_size(_ctx, _param, value):
    return None if value is None else _parse_size(value)


def _parse_domain_sizes(_ctx, _param, value):
    sizes = {}
    for item in value:
        domain, sep, size = item.rpartition("=")
        if not (domain and sep):
            raise click.BadParameter(f"expected DOMAIN=SIZE, got {item!r}")
        sizes[domain] = _parse_size(size)
    return sizes


def _size_unit(corpus_unit: str | None, sizes: list[tuple[float, str | None]]) -> str:
    """The one unit of every size: --corpus-unit, or the suffixes' (they must agree), documents by default."""
    units = {unit for _, unit in sizes if unit is not None} | ({corpus_unit} if corpus_unit else set())
    if len(units) > 1:
        raise FloorError(f"corpus and domain sizes must be in one unit, got {', '.join(sorted(units))}")
    return units.pop() if units else "documents"


@main.command()
@click.argument("counts", required=False)
@click.option("--profile", "profile_path", metavar="FILE", help="Read a frequency-of-frequencies TSV instead of counts.")
@click.option("--scale", "scales", default=None, callback=_parse_scales,
              help=f"Comma-separated multiples of the corpus size N to predict at (< 1: a sub-corpus) "
                   f"[default: {DEFAULT_SCALES}, none with --corpus-size or --domain-size].")
@click.option("--corpus-size", callback=_parse_corpus_size, metavar="SIZE",
              help="Predict the whole corpus these counts are a uniform random sample of: SIZE documents, "
                   "mentions or bytes (a suffix: 3e6docs, 5e7mentions, 40GB; or --corpus-unit).")
@click.option("--corpus-unit", type=click.Choice(("documents", "mentions", "bytes")), default=None,
              help="The unit of sizes without a suffix [default: documents].")
@click.option("--domain-size", "domain_sizes", multiple=True, callback=_parse_domain_sizes, metavar="DOMAIN=SIZE",
              help="Predict DOMAIN at its full SIZE in documents or mentions (3e9docs, 4e7mentions; or "
                   "--corpus-unit), through that domain's own documents read or mentions counted (repeatable; "
                   "counts made with domains).")
@click.option("--target-floor", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=None,
              help="Also find the corpus size from which on Theorem 2's predicted floor stays at or below this "
                   "value (with --answer-space and --delta).")
@click.option("--target-sr", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=None,
              help="Also find the corpus size at which the predicted singleton rate falls to this value.")
@click.option("--answer-space", multiple=True, callback=_parse_answer_space, metavar="CATEGORY=SIZE",
              help="|E| per category, for Theorem 2's floor at each predicted size (as for estimate).")
@click.option("--delta", type=float, default=0.0, show_default=True,
              help="Model miscalibration delta in Theorem 2's floor at each predicted size.")
@click.option("--finite-population", is_flag=True,
              help="Beyond 2x, at every --scale too, weigh a model of the corpus's facts as a finite population "
                   "(finite_zeta) against the far laws, as at --corpus-size and --domain-size, where the counts are "
                   "a known sample of the corpus.")
@click.option("--confidence", type=float, default=0.95, show_default=True, help="Confidence level of intervals.")
@click.option("--replicates", type=click.IntRange(min=0), default=200, show_default=True,
              help="Bootstrap replicates for prediction intervals (0: no intervals).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the bootstrap.")
@_ALLOW_INCOMPLETE
@output_options("floor.prediction/1", "prediction", "Write the bootstrap replicates behind each prediction interval here")
@_QUIET
@handle_errors
def predict(counts, profile_path, scales, corpus_size, corpus_unit, domain_sizes, target_floor, target_sr, answer_space,
            delta, finite_population, confidence, replicates, seed, allow_incomplete, **kw):
    """Predict the singleton rate at other corpus sizes from a COUNTS directory or --profile FILE."""
    _check_outputs(kw, [counts, profile_path])
    if kw["replicates_path"] and replicates == 0:
        raise FloorError("--replicates-out needs --replicates >= 1: with 0 there are no replicates to write")
    unit = _size_unit(corpus_unit, ([corpus_size] if corpus_size else []) + list(domain_sizes.values()))
    if scales is None:
        scales = [] if corpus_size or domain_sizes else _parse_scales(None, None, DEFAULT_SCALES)
    prediction = api.predict(_count_source(counts, profile_path), scales, target_sr=target_sr, target_floor=target_floor,
                             confidence=confidence, replicates=replicates, seed=seed,
                             return_replicates=bool(kw["replicates_path"]), allow_incomplete=allow_incomplete,
                             corpus_size=corpus_size[0] if corpus_size else None,
                             domain_sizes={name: size for name, (size, _) in domain_sizes.items()}, size_unit=unit,
                             answer_space=answer_space, delta=delta, finite_population=finite_population)
    _emit(prediction, kw)


@main.command()
@input_options
@click.option("-o", "--output", required=True, metavar="PATH",
              help="JSONL file of facts, or with --sample the CSV audit sheet ('-' for stdout).")
@click.option("--sample", "sample_size", type=click.IntRange(min=1), default=None, metavar="N",
              help="Write a uniform random sample of N fact mentions as a CSV sheet to check by hand (then "
                   "'floor audit SHEET'), with each fact's context and counts.")
@click.option("--seed", type=click.IntRange(min=0), default=None, metavar="S",
              help="With --sample: its seed (default 0).")
@_LIMIT
@handle_errors
def extract(inputs, output, sample_size, seed, limit, **kw):
    """Write every fact extracted from INPUTS with its document id and matched text (to audit precision), or
    with --sample a random sample of them as a sheet to check by hand."""
    _check_named("-o", output)
    if seed is not None and sample_size is None:
        raise FloorError("--seed is the seed of --sample; give --sample N too")
    if limit is not None and sample_size is not None:
        raise FloorError("--limit is a quick look at the first documents; a --sample is drawn from all of them")
    if output != "-":
        check_outputs([output], _input_paths(inputs))  # before any input is read
    skips = SkipLog(on_error=kw["on_error"])
    if sample_size is None:
        records = api.extract(list(inputs), skips=skips, limit=limit, **_scan_kwargs(kw))
        _write_output(output, lambda write: _write_records(write, records))
    else:
        sample = api.sample_mentions(list(inputs), sample_size, seed=seed or 0, skips=skips, **_scan_kwargs(kw))
        rows = sample.rows()
        sheet = format_sheet(rows).encode("utf-8")
        _write_output(output, lambda write: write(sheet))
        found = (f"all {sample.mentions:,} mentions found, fewer than the {sample_size:,} asked for"
                 if len(rows) < sample_size else f"{len(rows):,} of {sample.mentions:,} mentions")
        click.echo(f"sampled {found} -> {'stdout' if output == '-' else output}; mark each row y or n in its "
                   "correct column, then run 'floor audit SHEET'", err=True)
    if skips.counts:
        click.echo(f"skipped {sum(skips.counts.values()):,} records: {dict(skips.counts)}", err=True)


def _write_output(output: str, write_to) -> None:
    """Call ``write_to(write)`` with the writer of ``output``: stdout for '-', else a file put in place only when
    everything is written."""
    if output == "-":
        write_to(_write_stdout)
        return
    with output_files([output]) as (file,):
        write_to(file.write)


@main.command()
@click.argument("sheet")
@click.option("--json", "json_path", metavar="PATH", help="Write the floor.audit/1 JSON here ('-' for stdout).")
@click.option("--confidence", type=float, default=0.95, show_default=True, help="Confidence level of intervals.")
@click.option("--replicates", type=click.IntRange(min=1), default=DEFAULT_REPLICATES, show_default=True,
              help="Bootstrap replicates behind the corrected sr's interval.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed for the bootstrap.")
@handle_errors
def audit(sheet, json_path, confidence, replicates, seed):
    """Precision and the sr corrected for false facts, from an audit SHEET (written by 'floor extract --sample N'
    and checked by hand: y or n in its correct column, blank for a row not reviewed)."""
    document = api.audit(sheet, confidence=confidence, replicates=replicates, seed=seed)
    if json_path is not None:
        _write_output(json_path, lambda write: write(format_json(document).encode("utf-8")))
    if json_path != "-":
        _write_stdout(format_audit(document).encode("utf-8"))


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Write the list as JSON.")
@click.pass_context
@handle_errors
def packs(ctx, as_json):
    """List floor's built-in packs of fact categories and phrasings: language, categories, answer spaces |E|.
    The biography packs are what run, scan and extract use unless --pack names others."""
    if ctx.invoked_subcommand is not None:
        return
    listed = api.packs()
    if as_json:
        _write_stdout(format_json(listed).encode("utf-8"))
        return
    lines = []
    for pack in listed:
        lines.append(f"{pack['name']}  [{pack['language']}]  {pack['description']}")
        lines.extend(f"    {name:<16} {spec['value']:<7} |E| = {spec['answer_space']:,}"
                     for name, spec in pack["categories"].items())
    _write_stdout(("\n".join(lines) + "\n").encode("utf-8"))


@packs.command("show")
@click.argument("name")
@handle_errors
def packs_show(name):
    """Print the TOML file of the built-in pack NAME (to read how one is written, or to start your own from it)."""
    _write_stdout(api.pack_text(name).encode("utf-8"))


@packs.command("check")
@click.argument("packs_", metavar="PACK...", nargs=-1, required=True)
@handle_errors
def packs_check(packs_):
    """Check each PACK (a TOML file or a built-in pack's name): read it, compile its phrases, run its examples.
    Each problem is a line naming the file and line; the exit status is 1 when there is one."""
    problems = api.check_packs(list(packs_))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{len(packs_)} pack{'s' if len(packs_) > 1 else ''} checked: no problems", err=True)


_CHUNK_BYTES = 1 << 20


def _write_records(write, records) -> None:
    """One JSON line per record, handed to ``write`` in chunks of about a MiB."""
    chunk = bytearray()
    for record in records:
        chunk += orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        if len(chunk) >= _CHUNK_BYTES:
            write(chunk)
            chunk.clear()
    write(chunk)


if __name__ == "__main__":
    main()
