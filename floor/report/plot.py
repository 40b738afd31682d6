"""Figures of a ``floor.report/1`` or ``floor.prediction/1`` document (optional extra ``floor[plot]``).

* :func:`plot_report`: one row per group, the singleton rate with its interval and the Theorem 2 floor beside it;
* :func:`plot_prediction`: the predicted singleton rate against corpus size (as a multiple of the measured
  corpus, log scale), one line per category with its interval as a band.

The format follows the file name's suffix (``.png``, ``.pdf``, ``.svg``...); the file is written atomically.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from ..errors import FloorError
from ..outputs import atomic_path


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise FloorError("plots need matplotlib: pip install 'hallucination-floor[plot]'") from None
    matplotlib.use("Agg")  # files only; never a window
    import matplotlib.pyplot as plt

    return plt


# pgf needs a LaTeX installation to render; every other format matplotlib writes by itself.
_NEEDS_TEX = {"pgf"}


def check_figure_path(path: str | os.PathLike) -> str:
    """The figure format that ``path``'s suffix names; a :class:`FloorError` if matplotlib is missing or the
    suffix names no format it writes (checked before any work, so that no other output is written in vain)."""
    _pyplot()
    from matplotlib.backend_bases import FigureCanvasBase

    formats = set(FigureCanvasBase.get_supported_filetypes()) - _NEEDS_TEX
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix not in formats:
        raise FloorError(f"{path}: cannot tell the figure format from its suffix; use one of {', '.join(sorted(formats))}")
    return suffix


def figure_bytes(document: dict, fmt: str) -> bytes:
    """The figure of a ``floor.report/1`` (:func:`report_figure`) or ``floor.prediction/1`` document
    (:func:`prediction_figure`), rendered in format ``fmt`` (``"png"``, ``"pdf"``, ``"svg"``...)."""
    draw = prediction_figure if document.get("schema") == "floor.prediction/1" else report_figure
    return _rendered(draw(document), fmt)


def plot_report(report: dict, path: str | os.PathLike) -> None:
    """Write :func:`report_figure` to ``path``, in the format of its suffix."""
    fmt = check_figure_path(path)
    _write(path, _rendered(report_figure(report), fmt))


def plot_prediction(prediction: dict, path: str | os.PathLike) -> None:
    """Write :func:`prediction_figure` to ``path``, in the format of its suffix."""
    fmt = check_figure_path(path)
    _write(path, _rendered(prediction_figure(prediction), fmt))


def _rendered(fig, fmt: str) -> bytes:
    plt = _pyplot()
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, bbox_inches="tight")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _write(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)


def _label(row: dict) -> str:
    return row["category"] if not row.get("domain") else f"{row['category']} / {row['domain']}"


def report_figure(report: dict):
    """Forest plot of the groups of a ``floor.report/1`` document: sr with its interval, and the Theorem 2 floor
    (a matplotlib ``Figure``)."""
    plt = _pyplot()
    groups = [g for g in report["groups"] if g.get("singleton_rate") is not None]
    if not groups:
        raise FloorError("nothing to plot: no group has a singleton rate")
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(groups) + 1.4))
    ys = list(range(len(groups)))[::-1]
    rates = [g["singleton_rate"] for g in groups]
    low = [g["singleton_rate"] - g["ci_low"] for g in groups]
    high = [g["ci_high"] - g["singleton_rate"] for g in groups]
    ax.errorbar(rates, ys, xerr=[low, high], fmt="o", color="C0", capsize=3, label="singleton rate (sr)")
    floors = [(g["theorem2_floor"], y) for g, y in zip(groups, ys) if g.get("theorem2_floor") is not None]
    if floors:
        ax.scatter([f for f, _ in floors], [y for _, y in floors], marker="x", color="C3", zorder=3,
                   label="Theorem 2 floor")
    ax.set_yticks(ys, [_label(g) for g in groups])
    ax.set_xlim(0, 1.0 if max(g["ci_high"] for g in groups) > 0.5 else 0.5)
    params = report.get("params", {})
    confidence = params.get("confidence")
    interval = f"{confidence:.0%} {params.get('interval')} interval" if confidence else "interval"
    ax.set_xlabel(f"rate (bars: {interval})")
    ax.set_title("Hallucination floor per fact category")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    return fig


def prediction_figure(prediction: dict):
    """Predicted sr against corpus size, one line per (category, domain), from each one's primary method: the
    row marked ``primary`` (in documents without the mark, the first method listed at each scale; see ``floor
    predict``). A scale whose primary row is not estimable (a far row that is not reliable) is left out, not
    filled from another method. A matplotlib ``Figure``."""
    plt = _pyplot()
    series: dict[str, dict[float, dict]] = {}
    for row in prediction["predictions"]:
        if row.get("singleton_rate") is None or row.get("primary") is False:
            continue
        points = series.setdefault(_label(row), {})
        points.setdefault(row["scale"], row)  # the first row at a scale is the primary method
    if not series:
        raise FloorError("nothing to plot: no prediction is estimable")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, (label, points) in enumerate(series.items()):
        rows = [points[s] for s in sorted(points)]
        xs = [r["scale"] for r in rows]
        ax.plot(xs, [r["singleton_rate"] for r in rows], "o-", color=f"C{i % 10}", label=label)
        band = [r for r in rows if r.get("ci_low") is not None and r.get("ci_high") is not None]
        if band:
            ax.fill_between([r["scale"] for r in band], [r["ci_low"] for r in band], [r["ci_high"] for r in band],
                            color=f"C{i % 10}", alpha=0.15, linewidth=0)
    ax.set_xscale("log")
    scales = sorted({s for points in series.values() for s in points})
    ax.set_xticks(scales, [f"{s:g}x" for s in scales])
    ax.minorticks_off()
    ax.set_xlabel("corpus size (multiple of the measured corpus)")
    ax.set_ylabel("predicted singleton rate")
    ax.set_ylim(bottom=0)
    ax.set_title("Predicted hallucination floor at other corpus sizes")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return fig
