"""Render a ``floor.report/1`` or ``floor.prediction/1`` document: a table (terminal text, Markdown, LaTeX),
CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import Callable

from ..errors import FloorError

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

CSV_FIELDS = (
    "category", "domain", "mentions", "distinct_facts", "singletons", "doubletons", "singleton_rate",
    "good_turing_missing_mass", "ci_low", "ci_high", "confidence", "interval", "theorem2_floor", "answer_space",
    "delta", "conflicting_entities",
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
    ("new_facts", "new_facts", "{:,.0f}"),
    ("warning", "warning", "{}"),
)


PREDICTION_CSV_FIELDS = (
    "category", "domain", "scale", "size", "method", "singleton_rate", "coverage", "new_facts", "distinct_facts",
    "ci_low", "ci_high", "confidence", "warning",
)

TABLE_STYLES = ("text", "markdown", "latex")
_LEFT = {"category", "domain", "method", "warning"}  # text columns; numbers are right-aligned


def _cell(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return fmt.format(value)


def _cells(rows: list[dict], columns) -> tuple[list, list[list[str]]]:
    """The columns shown (domain only when some row has one) and the header + body cells."""
    columns = [c for c in columns if c[1] != "domain" or any(row.get("domain") for row in rows)]
    cells = [[header for header, _, _ in columns]]
    cells += [[_cell(row.get(key), fmt) for _, key, fmt in columns] for row in rows]
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
    return [row(cells[0]), rule] + [row(r) for r in cells[1:]]


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "|": r"\textbar{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def latex_escape(text: str) -> str:
    """``text`` as LaTeX source that prints it literally."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def _latex_table(columns, cells: list[list[str]]) -> list[str]:
    def row(values):
        return " & ".join(latex_escape(v) for v in values) + r" \\"

    spec = "".join("l" if key in _LEFT else "r" for _, key, _ in columns)
    # booktabs rules: the usual look of a table in a paper
    return [rf"\begin{{tabular}}{{{spec}}}", r"\toprule", row(cells[0]), r"\midrule"] + \
        [row(r) for r in cells[1:]] + [r"\bottomrule", r"\end{tabular}"]


_TABLES = {"text": _text_table, "markdown": _markdown_table, "latex": _latex_table}


def _notes(lines: list[str], style: str) -> list[str]:
    """The notes under a table: plain lines, a Markdown list, or LaTeX comments."""
    if not lines:
        return []
    if style == "markdown":
        return [""] + [f"- {line}" for line in lines]
    if style == "latex":
        return [f"% {line}" for line in lines]
    return [""] + lines


def _report_notes(report: dict) -> list[str]:
    params = report["params"]
    confidence = params.get("confidence")
    notes = [f"sr = f1 / N (facts seen in exactly one {report.get('unit') or 'unit'} / all mentions); "
             f"{confidence:.0%} {params.get('interval')} interval; "
             f"thm2_floor = max(0, sr - 2/|E| - (35 + 6 ln N)/sqrt(N) - delta), delta = {params.get('delta')}."]
    for group in report["groups"]:
        note = (group.get("theorem2") or {}).get("note")
        if note:
            notes.append(f"{group['category']}: {note}")
    return notes + _skipped_notes(report)


def _prediction_notes(prediction: dict) -> list[str]:
    notes = []
    for target in prediction.get("targets", []):
        if target.get("scale") is not None:
            notes.append(f"{target['category']}: sr <= {target['target_floor']:g} at about "
                         f"{target['scale']:,.3g}x the corpus ({target['size']:,.0f} mentions)")
        else:
            notes.append(f"{target['category']}: target sr <= {target['target_floor']:g}: {target.get('warning')}")
    return notes + _skipped_notes(prediction)


def _skipped_notes(document: dict) -> list[str]:
    skipped = document.get("skipped") or {}
    if not skipped.get("total"):
        return []
    reasons = ", ".join(f"{k} {v:,}" for k, v in skipped["by_reason"].items())
    return [f"skipped {skipped['total']:,} records: {reasons}"]


@dataclass(frozen=True)
class _Layout:
    """How one kind of document is tabulated: its rows, table columns, CSV fields and notes."""

    rows: str
    columns: tuple
    csv_fields: tuple
    notes: Callable[[dict], list[str]]


_LAYOUTS = {
    "floor.report/1": _Layout("groups", TABLE_COLUMNS, CSV_FIELDS, _report_notes),
    "floor.prediction/1": _Layout("predictions", PREDICTION_COLUMNS, PREDICTION_CSV_FIELDS, _prediction_notes),
}


def _layout(document: dict) -> _Layout:
    schema = document.get("schema", "floor.report/1")
    if schema not in _LAYOUTS:
        raise FloorError(f"cannot tabulate a {schema!r} document; known: {', '.join(_LAYOUTS)}")
    return _LAYOUTS[schema]


def format_table(document: dict, style: str = "text") -> str:
    """A ``floor.report/1`` or ``floor.prediction/1`` document as a table with the notes a reader must not miss:
    aligned plain text for a terminal, or a Markdown or LaTeX (booktabs) table for a paper."""
    if style not in _TABLES:
        raise FloorError(f"table style must be one of {', '.join(TABLE_STYLES)}, not {style!r}")
    layout = _layout(document)
    columns, cells = _cells(document[layout.rows], layout.columns)
    return "\n".join(_TABLES[style](columns, cells) + _notes(layout.notes(document), style)) + "\n"


def format_csv(document: dict) -> str:
    """One CSV row per group (report) or per prediction."""
    layout = _layout(document)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=layout.csv_fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in document[layout.rows]:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in layout.csv_fields})
    return buffer.getvalue()


def format_json(document: dict) -> str:
    return json.dumps(document, indent=2, allow_nan=False) + "\n"
