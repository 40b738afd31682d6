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


def _cell(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return fmt.format(value)


def format_table(report: dict) -> str:
    """A plain-text table with one row per group, then the notes a reader must not miss."""
    columns = [c for c in TABLE_COLUMNS if c[0] != "domain" or any(g.get("domain") for g in report["groups"])]
    rows = [[header for header, _, _ in columns]]
    rows += [[_cell(group.get(key), fmt) for _, key, fmt in columns] for group in report["groups"]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    confidence = report["params"].get("confidence")
    lines.append("")
    lines.append(f"sr = f1 / N (facts seen in exactly one {report.get('unit') or 'unit'} / all mentions); "
                 f"{confidence:.0%} {report['params'].get('interval')} interval; "
                 f"thm2_floor = max(0, sr - 2/|E| - (35 + 6 ln N)/sqrt(N) - delta), delta = {report['params'].get('delta')}.")
    for group in report["groups"]:
        note = (group.get("theorem2") or {}).get("note")
        if note:
            lines.append(f"{group['category']}: {note}")
    skipped = report.get("skipped") or {}
    if skipped.get("total"):
        reasons = ", ".join(f"{k} {v:,}" for k, v in skipped["by_reason"].items())
        lines.append(f"skipped {skipped['total']:,} records: {reasons}")
    return "\n".join(lines) + "\n"


def format_csv(report: dict) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for group in report["groups"]:
        writer.writerow({k: ("" if group.get(k) is None else group.get(k)) for k in CSV_FIELDS})
    return buffer.getvalue()


def format_json(report: dict) -> str:
    return json.dumps(report, indent=2, allow_nan=False) + "\n"
