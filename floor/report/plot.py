"""Figures of a ``floor.report/1`` or ``floor.prediction/1`` document (optional extra ``floor[plot]``).

* :func:`plot_report`: one row per group, the singleton rate with its interval and the Theorem 2 floor beside it;
* :func:`plot_prediction`: the predicted singleton rate against corpus size (as a multiple of the measured
  corpus, log scale), one curve per group from its primary method through the measured point, its interval as
  a band, solid where the method was checked and dashed beyond.

The format follows the file name's suffix (``.png``, ``.pdf``, ``.svg``...); the file is written atomically.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

from ..errors import FloorError
from ..estimate.summary import FAR_FROM
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


def figure_bytes(document: dict, fmt: str, dpi: float | None = None) -> bytes:
    """The figure of a ``floor.report/1`` (:func:`report_figure`) or ``floor.prediction/1`` document
    (:func:`prediction_figure`), rendered in format ``fmt`` (``"png"``, ``"pdf"``, ``"svg"``...) at ``dpi`` dots
    per inch (matplotlib's default when None; it sizes raster formats)."""
    draw = prediction_figure if document.get("schema") == "floor.prediction/1" else report_figure
    return _rendered(draw(document), fmt, dpi)


def plot_report(report: dict, path: str | os.PathLike, dpi: float | None = None) -> None:
    """Write :func:`report_figure` to ``path``, in the format of its suffix."""
    fmt = check_figure_path(path)
    _write(path, _rendered(report_figure(report), fmt, dpi))


def plot_prediction(prediction: dict, path: str | os.PathLike, dpi: float | None = None) -> None:
    """Write :func:`prediction_figure` to ``path``, in the format of its suffix."""
    fmt = check_figure_path(path)
    _write(path, _rendered(prediction_figure(prediction), fmt, dpi))


def _rendered(fig, fmt: str, dpi: float | None = None) -> bytes:
    plt = _pyplot()
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, bbox_inches="tight", dpi=dpi or "figure")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _write(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)


def _label(row: dict) -> str:
    """A group's name as a reader writes it: ``birth year``, ``birth place / wikipedia.org``."""
    name = row["category"].replace("_", " ")
    return name if not row.get("domain") else f"{name} / {row['domain']}"


def report_figure(report: dict):
    """Forest plot of the groups of a ``floor.report/1`` document: sr with its interval, and the Theorem 2 floor
    (a matplotlib ``Figure``)."""
    plt = _pyplot()
    groups = [g for g in report["groups"] if g.get("singleton_rate") is not None]
    if not groups:
        raise FloorError("nothing to plot: no group has a singleton rate")
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(groups) + 1.6))
    ys = list(range(len(groups)))[::-1]
    rates = [g["singleton_rate"] for g in groups]
    low = [g["singleton_rate"] - g["ci_low"] for g in groups]
    high = [g["ci_high"] - g["singleton_rate"] for g in groups]
    params = report.get("params", {})
    confidence = params.get("confidence")
    interval = f"{confidence:.0%} {params.get('interval')} interval" if confidence else "interval"
    ax.errorbar(rates, ys, xerr=[low, high], fmt="o", color="C0", capsize=3, clip_on=False,
                label=f"singleton rate sr, {interval}")
    floors = [(g["theorem2_floor"], y) for g, y in zip(groups, ys) if g.get("theorem2_floor") is not None]
    if floors:
        ax.scatter([f for f, _ in floors], [y for _, y in floors], marker="x", color="C3", zorder=3, clip_on=False,
                   label="Theorem 2 floor")
    ax.set_yticks(ys, [_label(g) for g in groups])
    right = 1.0 if max(g["ci_high"] for g in groups) > 0.5 else 0.5
    ax.set_xlim(-0.02 * right, right)  # a floor of 0 sits on the axis, drawn whole
    ax.set_ylim(-0.6, len(groups) - 0.4)
    ax.set_xlabel("rate (share of fact mentions)")
    with_domains = any(g.get("domain") for g in groups)
    ax.set_title(f"Singleton rate and Theorem 2 floor per fact category{' and domain' if with_domains else ''}")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / (len(groups) + 3)), ncol=2, fontsize="small",
              frameon=False)
    return fig


# How a method is named in a figure's legend.
_METHOD_NAMES = {"pitman_yor": "Pitman–Yor", "engen": "Engen", "finite_zeta": "finite population",
                 "engen_or_finite_zeta": "Engen or finite population", "npmle": "npmle", "rarefaction": "rarefaction",
                 "chao_jost": "Chao–Jost", "good_toulmin": "Good–Toulmin", "sgt": "smoothed Good–Toulmin"}


def _holds(row: dict) -> bool:
    """Whether a prediction lies where its method was checked: rarefaction (exact in expectation), npmle up to
    its supported 2x, a far model up to the scale its backtest held at."""
    if row["method"] == "rarefaction":
        return True
    chosen = next((b for b in row.get("backtest") or [] if b.get("chosen")), None)
    if chosen is not None:
        return chosen["verdict"].startswith("holds") and chosen["scale_tested"] >= row["scale"] * (1 - 1e-9)
    return row["scale"] <= FAR_FROM


def _ticks(scales: list[float]) -> list[float]:
    """The scales to label, thinned so that no two labels overlap on a log axis (1x always kept)."""
    kept: list[float] = []
    for scale in sorted(set(scales), key=lambda s: (s != 1.0, s)):
        if all(abs(math.log10(scale / other)) >= 0.15 for other in kept):
            kept.append(scale)
    return sorted(kept)


def prediction_figure(prediction: dict):
    """Predicted sr against corpus size, one curve per (category, domain) from its primary method: the row
    marked ``primary`` (in documents without the mark, the first method listed at each scale; see ``floor
    predict``), through the measured point at 1x (``observed``). A segment is solid where the prediction at its
    end lies where its method was checked (:func:`_holds`) and dashed beyond; the legend names the methods of
    each curve and the scales where no method is reliable (left out, not filled from another method). A
    matplotlib ``Figure``."""
    plt = _pyplot()
    from matplotlib.lines import Line2D

    series: dict[str, dict[float, dict]] = {}
    unreliable: dict[str, list[float]] = {}
    for row in prediction["predictions"]:
        if row.get("primary") is False:
            continue
        label = _label(row)
        if row.get("singleton_rate") is None:
            if row.get("primary"):
                unreliable.setdefault(label, []).append(row["scale"])
            continue
        series.setdefault(label, {}).setdefault(row["scale"], row)  # the first row at a scale is the primary one
    if not series:
        raise FloorError("nothing to plot: no prediction is estimable")
    measured = {_label(o): o for o in prediction.get("observed", []) if o.get("singleton_rate") is not None}
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for i, (label, points) in enumerate(series.items()):
        color = f"C{i % 10}"
        rows = [points[s] for s in sorted(points)]
        if label in measured and 1.0 not in points:
            rows = sorted(rows + [{"scale": 1.0, "method": "rarefaction", "singleton_rate":
                                   measured[label]["singleton_rate"], "measured": True}], key=lambda r: r["scale"])
        for before, after in zip(rows, rows[1:]):
            ax.plot([before["scale"], after["scale"]], [before["singleton_rate"], after["singleton_rate"]],
                    "-" if _holds(after) else "--", color=color, linewidth=1.6)
        predicted = [r for r in rows if not r.get("measured")]
        ax.plot([r["scale"] for r in predicted], [r["singleton_rate"] for r in predicted], "o", color=color,
                clip_on=False)
        if label in measured:
            ax.plot([1.0], [measured[label]["singleton_rate"]], "D", color=color, markeredgecolor="black",
                    zorder=4, clip_on=False)
        band = [r for r in rows if r.get("ci_low") is not None and r.get("ci_high") is not None]
        if len(band) > 1:
            ax.fill_between([r["scale"] for r in band], [r["ci_low"] for r in band], [r["ci_high"] for r in band],
                            color=color, alpha=0.15, linewidth=0)
        methods = list(dict.fromkeys(_METHOD_NAMES.get(r["method"], r["method"]) for r in predicted))
        name = f"{label}: {', '.join(methods)}"
        if unreliable.get(label):
            name += f"; not reliable at {', '.join(f'{s:.3g}x' for s in sorted(unreliable[label]))}"
        ax.plot([], [], "o-", color=color, label=name)
    ax.set_xscale("log")
    scales = [s for points in series.values() for s in points] + [1.0]
    ax.set_xticks(_ticks(scales), [f"{s:.3g}x" for s in _ticks(scales)])
    ax.minorticks_off()
    ax.set_xlabel("corpus size (multiple of the measured corpus)")
    confidence = next((r.get("confidence") for p in series.values() for r in p.values() if r.get("confidence")), None)
    band = f"band: {confidence:.0%} prediction interval" if confidence else "band: prediction interval"
    ax.set_ylabel(f"predicted singleton rate sr ({band})")
    ax.set_ylim(bottom=0)
    ax.set_title("Predicted singleton rate at other corpus sizes")
    ax.grid(alpha=0.3)
    handles, _ = ax.get_legend_handles_labels()
    handles += [Line2D([], [], color="gray", linestyle="-", label="solid: where the method was checked"),
                Line2D([], [], color="gray", linestyle="--", label="dashed: beyond it (indicative)")]
    if measured:
        handles.append(Line2D([], [], marker="D", color="gray", markeredgecolor="black", linestyle="none",
                              label="measured (1x)"))
    ax.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return fig
