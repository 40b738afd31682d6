"""Render a ``floor.report/1`` document: terminal table, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
import math

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


def _cell(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return fmt.format(value)


def _table(rows: list[dict], columns) -> list[str]:
    """Aligned text rows (numbers right-aligned); the domain column only when some row has a domain."""
    columns = [c for c in columns if c[1] != "domain" or any(row.get("domain") for row in rows)]
    cells = [[header for header, _, _ in columns]]
    cells += [[_cell(row.get(key), fmt) for _, key, fmt in columns] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    left = {"category", "domain", "method", "warning"}
    lines = ["  ".join(cell.ljust(w) if columns[i][1] in left else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(r, widths))).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def format_table(report: dict) -> str:
    """A plain-text table with one row per group, then the notes a reader must not miss."""
    lines = _table(report["groups"], TABLE_COLUMNS)
    confidence = report["params"].get("confidence")
    lines.append("")
    lines.append(f"sr = f1 / N (facts seen in exactly one {report.get('unit') or 'unit'} / all mentions); "
                 f"{confidence:.0%} {report['params'].get('interval')} interval; "
                 f"thm2_floor = max(0, sr - 2/|E| - (35 + 6 ln N)/sqrt(N) - delta), delta = {report['params'].get('delta')}.")
    for group in report["groups"]:
        note = (group.get("theorem2") or {}).get("note")
        if note:
            lines.append(f"{group['category']}: {note}")
    lines.extend(_skipped_lines(report))
    return "\n".join(lines) + "\n"


def format_prediction_table(prediction: dict) -> str:
    lines = _table(prediction["predictions"], PREDICTION_COLUMNS)
    for target in prediction.get("targets", []):
        if target.get("scale") is not None:
            lines.append(f"{target['category']}: sr <= {target['target_floor']:g} at about "
                         f"{target['scale']:,.3g}x the corpus ({target['size']:,.0f} mentions)")
        else:
            lines.append(f"{target['category']}: target sr <= {target['target_floor']:g}: {target.get('warning')}")
    lines.extend(_skipped_lines(prediction))
    return "\n".join(lines) + "\n"


def _skipped_lines(document: dict) -> list[str]:
    skipped = document.get("skipped") or {}
    if not skipped.get("total"):
        return []
    reasons = ", ".join(f"{k} {v:,}" for k, v in skipped["by_reason"].items())
    return [f"skipped {skipped['total']:,} records: {reasons}"]


def format_csv(report: dict) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for group in report["groups"]:
        writer.writerow({k: ("" if group.get(k) is None else group.get(k)) for k in CSV_FIELDS})
    return buffer.getvalue()


def format_json(report: dict) -> str:
    return json.dumps(report, indent=2, allow_nan=False) + "\n"
