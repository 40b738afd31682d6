"""Render a ``floor.report/1`` or ``floor.prediction/1`` document: a table (terminal text, Markdown, LaTeX),
CSV, JSON, and the bootstrap replicates behind its intervals as CSV."""

from __future__ import annotations

import csv
import html
import io
import json
import math
from dataclasses import dataclass
from typing import Callable

from ..errors import FloorError
from ..estimate.summary import FAR_FROM

# (header, group key, format)
TABLE_COLUMNS = (
    ("category", "category", "{}"),
    ("domain", "domain", "{}"),
    ("mentions", "mentions", "{:,}"),
    ("distinct", "distinct_facts", "{:,}"),
    ("f1", "singletons", "{:,}"),
    ("f2", "doubletons", "{:,}"),
    ("sr", "singleton_rate", "{:.4f}"),
    ("ci_low", "ci_low", "{:.4f}"),
    ("ci_high", "ci_high", "{:.4f}"),
    ("thm2_floor", "theorem2_floor", "{:.4f}"),
    ("|E|", "answer_space", "{:,}"),
    ("conflicts", "conflicting_entities", "{:,}"),
)

# The deduplicated numbers beside the raw ones (counts made with --dedup; keys of a group's dedup block).
DEDUP_COLUMNS = (
    ("N dedup", "dedup.mentions", "{:,}"),
    ("f1 dedup", "dedup.singletons", "{:,}"),
    ("sr dedup", "dedup.singleton_rate", "{:.4f}"),
)
DEDUP_CSV_FIELDS = ("dedup.mentions", "dedup.distinct_facts", "dedup.singletons", "dedup.doubletons",
                    "dedup.singleton_rate", "dedup.ci_low", "dedup.ci_high", "dedup.theorem2_floor")

# The per-domain table, under the table of the pooled groups, when the counts were made per domain.
DOMAIN_COLUMNS = (
    ("category", "category", "{}"),
    ("domain", "domain", "{}"),
    ("mentions", "mentions", "{:,}"),
    ("distinct", "distinct_facts", "{:,}"),
    ("f1", "singletons", "{:,}"),
    ("sr", "singleton_rate", "{:.4f}"),
    ("ci_low", "ci_low", "{:.4f}"),
    ("ci_high", "ci_high", "{:.4f}"),
    ("thm2_floor", "theorem2_floor", "{:.4f}"),
    ("f1_share", "pooled_singleton_share", "{:.1%}"),
    ("only_here", "facts_in_no_other_domain", "{:,}"),
    ("sr_without", "pooled_sr_without_domain", "{:.4f}"),
)

CSV_FIELDS = (
    "category", "domain", "mentions", "distinct_facts", "singletons", "doubletons", "singleton_rate",
    "good_turing_missing_mass", "ci_low", "ci_high", "confidence", "interval", "theorem2_floor", "answer_space",
    "delta", "conflicting_entities", "pooled_singleton_share", "facts_in_no_other_domain", "pooled_sr_without_domain",
)


PREDICTION_COLUMNS = (
    ("category", "category", "{}"),
    ("domain", "domain", "{}"),
    ("scale", "scale", "{:g}"),
    ("method", "method", "{}"),
    ("mentions", "size", "{:,.0f}"),
    ("sr", "singleton_rate", "{:.4f}"),
    ("ci_low", "ci_low", "{:.4f}"),
    ("ci_high", "ci_high", "{:.4f}"),
    ("thm2_floor", "theorem2_floor", "{:.4f}"),
    ("new_facts", "new_facts", "{:,.0f}"),
    ("warning", "warning", "{}"),
)


PREDICTION_CSV_FIELDS = (
    "category", "domain", "scale", "size", "method", "singleton_rate", "coverage", "new_facts", "distinct_facts",
    "ci_low", "ci_high", "confidence", "corpus_variance", "theorem2_floor", "theorem2_floor_low",
    "theorem2_floor_high", "warning", "primary",
)

# --replicates-out: one row per bootstrap replicate of each group (report) or prediction row (prediction)
REPORT_REPLICATE_FIELDS = (
    "category", "domain", "method", "seed", "replicate", "singletons", "doubletons", "singleton_rate", "missing_mass",
)
PREDICTION_REPLICATE_FIELDS = (
    "category", "domain", "scale", "size", "method", "seed", "replicate", "singletons", "doubletons",
    "predicted_singleton_rate", "corpus_variance",
)

TABLE_STYLES = ("text", "markdown", "latex", "html")
_PAPER_STYLES = {"markdown", "latex"}
# How a paper names a column (Markdown; LaTeX in _LATEX_HEADERS); the interval's two columns become one.
_PAPER_HEADERS = {"mentions": "N", "thm2_floor": "Thm. 2 floor", "N dedup": "N dedup", "f1_share": "f1 share",
                  "only_here": "only here", "sr_without": "sr without", "new_facts": "new facts"}
_LATEX_HEADERS = {"mentions": "$N$", "f1": "$f_1$", "f2": "$f_2$", "|E|": "$|E|$", "thm2_floor": "Thm.~2 floor",
                  "N dedup": "$N$ dedup", "f1 dedup": "$f_1$ dedup", "f1_share": "$f_1$ share",
                  "only_here": "only here", "sr_without": "sr without", "new_facts": "new facts"}
_LEFT = {"category", "domain", "method", "warning"}  # text columns; numbers are right-aligned


def _cell(value, fmt: str) -> str:
    """``value`` formatted (a tuple: its values, as a column made of several), ``-`` for a missing one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = fmt.format(*value) if isinstance(value, tuple) else fmt.format(value)
    return " ".join(text.splitlines())  # a line break would end a table row


def _value(row: dict, key: str | tuple):
    """``row[key]``, or for ``block.key`` the key of a nested block (``None`` where there is none); for a tuple
    of keys, the tuple of their values (``None`` if one is missing)."""
    if isinstance(key, tuple):
        values = tuple(_value(row, k) for k in key)
        return None if None in values else values
    block, _, inner = key.rpartition(".")
    return (row.get(block) or {}).get(inner) if block else row.get(key)



def _paper_columns(columns: list, confidence: float | None) -> list:
    """``columns`` as a paper shows them: the interval's two columns as one (``95% CI``: [low, high])."""
    keys = [key for _, key, _ in columns]
    out = []
    for header, key, fmt in columns:
        if key == "ci_low" and "ci_high" in keys:
            level = f"{confidence:.0%} CI" if confidence else "CI"
            out.append((level, ("ci_low", "ci_high"), "[" + fmt + ", " + fmt + "]"))
        elif key != "ci_high" or "ci_low" not in keys:
            out.append((header, key, fmt))
    return out


def select_columns(columns: tuple, wanted: list[str] | None) -> tuple:
    """The ``columns`` whose headers are ``wanted``, in the order of ``columns`` (all without a choice)."""
    return columns if wanted is None else tuple(c for c in columns if c[0] in wanted)


def check_columns(schema: str, wanted: list[str] | None) -> None:
    """A :class:`FloorError` naming the known columns when one of ``wanted`` is not a table column of a document
    of ``schema``."""
    if wanted is None:
        return
    layout = _layout({"schema": schema})
    known = [header for header, _, _ in layout.columns + (layout.domain_columns or ()) + DEDUP_COLUMNS]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise FloorError(f"unknown table column {', '.join(map(repr, unknown))}; the columns are "
                         f"{', '.join(dict.fromkeys(known))}")


def _with_dedup(rows: list[dict], columns: tuple) -> tuple:
    """``columns`` followed by the dedup columns of the same style when a row has a dedup block."""
    if not any(row.get("dedup") for row in rows):
        return columns
    return columns + (DEDUP_CSV_FIELDS if isinstance(columns[0], str) else DEDUP_COLUMNS)


def _cells(rows: list[dict], columns, wanted: list[str] | None = None, paper: bool = False,
           confidence: float | None = None) -> tuple[list, list[list[str]]]:
    """The columns shown (domain only when some row has one, the floor when the rows have it: a prediction made
    without answer spaces has none, dedup ones when some row has a dedup block; of those, the ``wanted`` ones;
    for a paper, the interval as one column) and the header + body cells."""
    columns = [c for c in select_columns(_with_dedup(rows, columns), wanted)
               if (c[1] != "domain" or any(row.get("domain") for row in rows))
               and (c[1] != "theorem2_floor" or any("theorem2_floor" in row for row in rows))]
    if paper:
        columns = _paper_columns(columns, confidence)
    cells = [[header for header, _, _ in columns]]
    cells += [[_cell(_value(row, key), fmt) for _, key, fmt in columns] for row in rows]
    return columns, cells


def _text_table(columns, cells: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = ["  ".join(cell.ljust(w) if columns[i][1] in _LEFT else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(r, widths))).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _markdown_table(columns, cells: list[list[str]]) -> list[str]:
    def row(values):
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    rule = "|" + "|".join(":---" if key in _LEFT else "---:" for _, key, _ in columns) + "|"
    return [row([_PAPER_HEADERS.get(h, h) for h in cells[0]]), rule] + [row(r) for r in cells[1:]]


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "|": r"\textbar{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def latex_escape(text: str) -> str:
    """``text`` as LaTeX source that prints it literally."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def _latex_table(columns, cells: list[list[str]]) -> list[str]:
    def row(values):
        # a row starting with "[" would be read as an optional argument of the \\ or rule before it
        return ("{}" if values[0].startswith("[") else "") + " & ".join(latex_escape(v) for v in values) + r" \\"

    spec = "".join("l" if key in _LEFT else "r" for _, key, _ in columns)
    header = " & ".join(_LATEX_HEADERS.get(h, latex_escape(h)) for h in cells[0]) + r" \\"
    # booktabs rules: the usual look of a table in a paper
    return [rf"\begin{{tabular}}{{{spec}}}", r"\toprule", header, r"\midrule"] + \
        [row(r) for r in cells[1:]] + [r"\bottomrule", r"\end{tabular}"]


def _html_table(columns, cells: list[list[str]]) -> list[str]:
    def row(values, tag):
        return "<tr>" + "".join(f'<{tag} style="text-align: {"left" if key in _LEFT else "right"}">'
                                f"{html.escape(v)}</{tag}>" for v, (_, key, _) in zip(values, columns)) + "</tr>"

    return (["<table>", "<thead>", row(cells[0], "th"), "</thead>", "<tbody>"] + [row(r, "td") for r in cells[1:]]
            + ["</tbody>", "</table>"])


_TABLES = {"text": _text_table, "markdown": _markdown_table, "latex": _latex_table, "html": _html_table}


def _notes(lines: list[str], style: str) -> list[str]:
    """The notes under a table: plain lines, a Markdown list, or LaTeX comments."""
    lines = [" ".join(line.splitlines()) for line in lines]
    if not lines:
        return []
    if style == "markdown":
        return [""] + [f"- {line}" for line in lines]
    if style == "latex":
        return [f"% {line}" for line in lines]
    if style == "html":
        return ["<ul>"] + [f"<li>{html.escape(line)}</li>" for line in lines] + ["</ul>"]
    return [""] + lines


def _report_notes(report: dict) -> list[str]:
    params = report["params"]
    confidence = params.get("confidence")
    notes = [f"sr = f1 / N (facts seen in exactly one {report.get('unit') or 'unit'} / all mentions); "
             f"{confidence:.0%} {params.get('interval')} interval; "
             f"thm2_floor = max(0, sr - 2/|E| - (35 + 6 ln N)/sqrt(N) - delta), delta = {params.get('delta')}."]
    for group in report["groups"]:
        pools = group.get("pools")
        if pools is not None and group.get("domain") is None:
            notes.append(f"all = {' + '.join(pools)}: each mention counted once (a full date is counted as its "
                         "year there)." if _folds_dates(report, pools) else f"all = {' + '.join(pools)}.")
        if group.get("quotable") is False and group.get("domain") is None:
            notes.append(f"{group['category']}: too small to quote: {group['quotable_reason']}")
        note = (group.get("theorem2") or {}).get("note")
        if note and group.get("domain") is None:  # a domain's own notes are in the JSON report
            notes.append(f"{group['category']}: {note}")
    sampled = next((g["sampled"] for g in report["groups"] if g.get("sampled")), None)
    if sampled is not None:
        notes.append(f"sampled: facts kept at rate {params.get('sample_rate'):g} (by the hash of their key); N, f1, "
                     "f2 and distinct facts scaled by its inverse, intervals widened by the sampling's variance.")
    if any(group.get("dedup") for group in report["groups"]):
        notes.append(f"dedup: each fact counted once per cluster of duplicate documents ({params.get('dedup')} "
                     f"duplicates{_threshold(params)}): the numbers after deduplication; the raw ones are what a "
                     "model trained on the corpus as it is sees.")
    if any(group.get("domain") is not None for group in report["groups"]):
        notes.append("per domain: f1_share = the domain's share of its pooled category's singletons; only_here = "
                     "its facts that no other domain states; sr_without = the pooled sr without its mentions.")
    return notes + _skipped_notes(report)


def _folds_dates(report: dict, pools: list[str]) -> bool:
    """Some category of the report is left out of the pooled group (a date whose year is pooled)."""
    return any(g["category"] not in pools for g in report["groups"] if g["category"] != "all")


def _threshold(params: dict) -> str:
    threshold = params.get("dedup_threshold")
    return f", Jaccard >= {threshold:g} over 5-word shingles" if threshold is not None else ""


def _prediction_notes(prediction: dict) -> list[str]:
    notes = _corpus_notes(prediction.get("corpus"))
    far = [row for row in prediction["predictions"] if row.get("backtest") is not None]
    if far:
        notes.append(f"primary method (first at each scale): rarefaction below 1x, npmle to {FAR_FROM:g}x, beyond "
                     f"{FAR_FROM:g}x a law the counts do not reject (chi-square): the power-law model "
                     "(pitman_yor or engen) whose backtest on these counts holds best, its interval widened by the "
                     "backtest's error, or at a corpus or domain size the finite population (finite_zeta) or, the "
                     "counts allowing both, engen_or_finite_zeta (its interval spans both); 'far': not reliable. "
                     "The other rows are for comparison.")
    for row in far:
        chosen = next((b for b in row["backtest"] if b["chosen"]), None)
        if chosen is not None:
            notes.append(f"{_label(row)} at {row['scale']:.3g}x: {row['method']} backtested at "
                         f"{chosen['scale_tested']:.3g}x, mean abs error {chosen['mean_abs_error']:.1%}")
        elif row.get("rule"):
            notes.append(f"{_label(row)} at {row['scale']:.3g}x: {row['method']}: {row['rule']}")
    for target in prediction.get("targets", []):
        floor_target = target.get("kind") == "floor_target"
        what = (f"Theorem 2 floor <= {target['target_theorem2_floor']:g} (|E| {target['error_set_size']:,.0f})"
                if floor_target else f"sr <= {target['target_floor']:g}")
        if target.get("scale") is not None:
            reached = "from" if floor_target else "at"
            note = f"{target['category']}: {what} {reached} about {target['scale']:,.3g}x the corpus " \
                   f"({target['size']:,.0f} mentions)"
            notes.append(note + (f": {target['warning']}" if floor_target and target.get("warning") else ""))
        else:
            notes.append(f"{target['category']}: target {what}: {target.get('warning')}")
    return notes + _skipped_notes(prediction)


def _label(row: dict) -> str:
    return row["category"] if row.get("domain") is None else f"{row['category']}/{row['domain']}"


def _corpus_notes(corpus: dict | None) -> list[str]:
    """What a corpus or domain size was converted to, and on what assumption."""
    if not corpus:
        return []
    notes = []
    if corpus.get("scale") is not None:
        unit = corpus["unit"]
        notes.append(f"corpus of {corpus['size']:,.0f} {unit} = {corpus['scale']:.4g}x the "
                     f"{corpus['observed'][unit]:,.0f} counted")
    for name, domain in corpus.get("domains", {}).items():
        unit = corpus["unit"]
        notes.append(f"domain {name} of {domain['size']:,.0f} {unit} = {domain['scale']:.4g}x the "
                     f"{domain[f'observed_{unit}']:,.0f} counted")
    return notes + [f"assumes {corpus['assumption']}"]


def _report_replicates(report: dict) -> list[dict]:
    """Each group's replicates: f1*, f2*, sr* = f1*/N and the missing mass M* (the group's bootstrap interval is
    sr + the quantiles of M* − sr*)."""
    seed = report["params"].get("seed")
    return [{"category": g["category"], "domain": g["domain"], "method": "bootstrap", "seed": seed, "replicate": i,
             "singletons": f1, "doubletons": f2, "singleton_rate": sr, "missing_mass": mm}
            for g in report["groups"] if g.get("bootstrap_replicates")
            for i, (f1, f2, sr, mm) in enumerate(zip(*(g["bootstrap_replicates"][k] for k in (
                "singletons", "doubletons", "singleton_rate", "missing_mass"))))]


def _prediction_replicates(prediction: dict) -> list[dict]:
    """Each prediction row's replicates: f1*, f2* and the row's method re-estimated on the replicate (the row's
    interval is the point ± z·sqrt(their variance + corpus_variance))."""
    seed = prediction["params"].get("seed")
    return [{"category": r["category"], "domain": r["domain"], "scale": r["scale"], "size": r["size"],
             "method": r["method"], "seed": seed, "replicate": i, "singletons": f1, "doubletons": f2,
             "predicted_singleton_rate": rate, "corpus_variance": r["corpus_variance"]}
            for r in prediction["predictions"] if r.get("replicates")
            for i, (f1, f2, rate) in enumerate(zip(r["replicate_singletons"], r["replicate_doubletons"],
                                                   r["replicates"]))]


def _partial_note(document: dict) -> str | None:
    """The line that marks a document estimated from an incomplete counts directory (``None`` for others)."""
    coverage = document.get("coverage") or {}
    if coverage.get("complete") is not False:
        return None
    if coverage.get("limit") is not None:
        return (f"PARTIAL: a quick look at the first {coverage['limit']:,} documents of the inputs (--limit), "
                f"{coverage.get('inputs_counted', 0):,} of {coverage.get('inputs_planned', 0):,} inputs read: not "
                "the inputs' numbers")
    planned = coverage.get("inputs_planned")
    missing = coverage.get("missing_inputs") or []
    of = f" of {planned:,}" if planned is not None else ""
    return (f"PARTIAL: {coverage.get('inputs_counted', 0):,}{of} inputs counted; missing {len(missing):,}: "
            f"{', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}")


def _skipped_notes(document: dict) -> list[str]:
    """What was not read: records skipped, and files found among the inputs that are no corpus files."""
    notes = []
    skipped = document.get("skipped") or {}
    if skipped.get("total"):
        reasons = ", ".join(f"{k} {v:,}" for k, v in skipped["by_reason"].items())
        notes.append(f"skipped {skipped['total']:,} records: {reasons}")
    left_out = document.get("inputs_left_out") or {}
    if left_out.get("total"):
        files = left_out["files"]
        more = f" and {left_out['total'] - 3:,} more (inputs_left_out)" if left_out["total"] > 3 else ""
        listed = "; ".join(f"{f['path']}: {f['reason']}" for f in files[:3])
        notes.append(f"left out {left_out['total']:,} files found among the inputs, not read: {listed}{more}")
    return notes


@dataclass(frozen=True)
class _Layout:
    """How one kind of document is tabulated: its rows, table columns, CSV fields and notes, and the rows and
    fields of its bootstrap replicates."""

    rows: str
    columns: tuple
    csv_fields: tuple
    notes: Callable[[dict], list[str]]
    replicates: Callable[[dict], list[dict]]
    replicate_fields: tuple
    domain_columns: tuple | None = None  # rows with a domain go to a table of their own with these columns


_LAYOUTS = {
    "floor.report/1": _Layout("groups", TABLE_COLUMNS, CSV_FIELDS, _report_notes, _report_replicates,
                              REPORT_REPLICATE_FIELDS, DOMAIN_COLUMNS),
    "floor.prediction/1": _Layout("predictions", PREDICTION_COLUMNS, PREDICTION_CSV_FIELDS, _prediction_notes,
                                  _prediction_replicates, PREDICTION_REPLICATE_FIELDS),
}


def _layout(document: dict) -> _Layout:
    schema = document.get("schema", "floor.report/1")
    if schema not in _LAYOUTS:
        raise FloorError(f"cannot tabulate a {schema!r} document; known: {', '.join(_LAYOUTS)}")
    return _LAYOUTS[schema]


def format_table(document: dict, style: str = "text", *, columns: list[str] | None = None,
                 caption: str | None = None, label: str | None = None) -> str:
    """A ``floor.report/1`` or ``floor.prediction/1`` document as a table with the notes a reader must not miss:
    aligned plain text for a terminal, a Markdown or LaTeX (booktabs) table for a paper, or HTML (a notebook).

    ``columns``: the headers of the columns to show (as the text table names them; all by default). For a paper
    (Markdown, LaTeX) the headers are written as a paper writes them (N, f1, |E| in math in LaTeX) and the
    interval is one column (``95% CI``); ``caption`` and ``label`` put a LaTeX table in a ``table`` float with
    ``\\caption`` and ``\\label``, and give a Markdown table a ``Table:`` caption line (with ``{#label}``, as
    pandoc-crossref reads it)."""
    if style not in _TABLES:
        raise FloorError(f"table style must be one of {', '.join(TABLE_STYLES)}, not {style!r}")
    layout = _layout(document)
    check_columns(document.get("schema", "floor.report/1"), columns)
    rows = document[layout.rows]
    split = layout.domain_columns is not None
    per_domain = [row for row in rows if split and row.get("domain") is not None]
    paper = dict(wanted=columns, paper=style in _PAPER_STYLES, confidence=_confidence(document))
    lines = _TABLES[style](*_cells([row for row in rows if not split or row.get("domain") is None], layout.columns,
                                   **paper))
    if per_domain:
        lines += [""] + _TABLES[style](*_cells(per_domain, layout.domain_columns, **paper))
    lines = _captioned(lines, style, caption, label)
    partial = _partial_note(document)
    notes = layout.notes(document) if partial is None else [partial, *layout.notes(document)]
    return "\n".join(lines + _notes(notes, style)) + "\n"


def _confidence(document: dict) -> float | None:
    """The confidence level of the document's intervals (its params', or its rows' own)."""
    rows = document.get(_layout(document).rows) or [{}]
    confidence = (document.get("params") or {}).get("confidence", rows[0].get("confidence"))
    return confidence if isinstance(confidence, (int, float)) else None


def _captioned(lines: list[str], style: str, caption: str | None, label: str | None) -> list[str]:
    if caption is None and label is None:
        return lines
    if style == "latex":
        float_head = [r"\begin{table}[t]", r"\centering"]
        if caption is not None:
            float_head.append(rf"\caption{{{latex_escape(caption)}}}")
        if label is not None:
            float_head.append(rf"\label{{{label}}}")
        return float_head + lines + [r"\end{table}"]
    if style == "markdown":
        return lines + ["", "Table: " + " ".join(part for part in (caption or "", f"{{#{label}}}" if label else "")
                                                 if part)]
    raise FloorError("a caption or label is for a Markdown or LaTeX table")


def _csv(rows: list[dict], fields: tuple, document: dict) -> str:
    """CSV text with a header row; None is an empty cell, and floats keep every digit (they read back exactly).
    A partial document's CSV starts with its PARTIAL line as a ``#`` comment."""
    buffer = io.StringIO()
    partial = _partial_note(document)
    if partial is not None:
        buffer.write(f"# {partial}\n")
    fields = _with_dedup(rows, fields)
    writer = csv.DictWriter(buffer, fieldnames=[f.replace(".", "_") for f in fields], extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k.replace(".", "_"): ("" if _value(row, k) is None else _value(row, k)) for k in fields})
    return buffer.getvalue()


def format_csv(document: dict) -> str:
    """One CSV row per group (report) or per prediction."""
    layout = _layout(document)
    return _csv(document[layout.rows], layout.csv_fields, document)


def format_replicates_csv(document: dict) -> str:
    """One CSV row per bootstrap replicate of each group (report) or prediction row (prediction), from a document
    made with ``return_replicates=True``; groups and rows without replicates (empty, not estimable) have none."""
    layout = _layout(document)
    return _csv(layout.replicates(document), layout.replicate_fields, document)


def format_json(document: dict) -> str:
    return json.dumps(document, indent=2, allow_nan=False) + "\n"
