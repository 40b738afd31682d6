"""Figures: what is drawn is the report's numbers; files are written whole or not at all."""

from __future__ import annotations

import sys

import pytest

from floor.errors import FloorError
from floor.report.plot import plot_prediction, plot_report, prediction_figure, report_figure

pytest.importorskip("matplotlib")

REPORT = {
    "params": {"confidence": 0.95, "interval": "esty"},
    "groups": [
        {"category": "birth_date", "domain": None, "singleton_rate": 0.2, "ci_low": 0.18, "ci_high": 0.23,
         "theorem2_floor": 0.05},
        {"category": "birth_place", "domain": "wiki", "singleton_rate": 0.4, "ci_low": 0.35, "ci_high": 0.44,
         "theorem2_floor": None},
    ],
}

PREDICTION = {
    "predictions": [
        {"category": "birth_date", "domain": None, "scale": 0.5, "method": "rarefaction", "singleton_rate": 0.3,
         "ci_low": 0.28, "ci_high": 0.32},
        {"category": "birth_date", "domain": None, "scale": 2.0, "method": "npmle", "singleton_rate": 0.15,
         "ci_low": 0.12, "ci_high": 0.18},
        {"category": "birth_date", "domain": None, "scale": 2.0, "method": "chao_jost", "singleton_rate": 0.11,
         "ci_low": 0.1, "ci_high": 0.12},
        {"category": "birth_date", "domain": None, "scale": 10.0, "method": "good_toulmin", "singleton_rate": None,
         "ci_low": None, "ci_high": None},
        {"category": "birth_date", "domain": None, "scale": 10.0, "method": "npmle", "singleton_rate": 0.07,
         "ci_low": 0.04, "ci_high": 0.1},
    ],
}


def test_report_figure_draws_each_group_with_its_interval_and_floor():
    ax = report_figure(REPORT).axes[0]
    points = ax.lines[0]  # the errorbar's data line
    assert list(points.get_xdata()) == [0.2, 0.4]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["birth_date", "birth_place / wiki"]
    # the interval bars run from ci_low to ci_high
    bars = ax.collections[0].get_segments()
    assert sorted((round(s[0][0], 9), round(s[1][0], 9)) for s in bars) == [(0.18, 0.23), (0.35, 0.44)]
    floors = ax.collections[-1].get_offsets()
    assert [tuple(map(float, p)) for p in floors] == [(0.05, 1.0)]  # only the group with a floor, at its row


def test_prediction_figure_plots_the_primary_method_per_scale():
    ax = prediction_figure(PREDICTION).axes[0]
    (line,) = ax.get_lines()
    # the first estimable row at each scale: rarefaction at 0.5, npmle at 2 (not chao_jost), npmle at 10
    assert list(line.get_xdata()) == [0.5, 2.0, 10.0]
    assert list(line.get_ydata()) == [0.3, 0.15, 0.07]
    assert line.get_label() == "birth_date"


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<?xml")])
def test_files_in_the_format_of_their_suffix(tmp_path, suffix, magic):
    plot_report(REPORT, tmp_path / f"report{suffix}")
    plot_prediction(PREDICTION, tmp_path / f"prediction{suffix}")
    assert (tmp_path / f"report{suffix}").read_bytes().startswith(magic)
    assert (tmp_path / f"prediction{suffix}").read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"report{suffix}", f"prediction{suffix}"])


def test_unknown_suffix_is_an_error_and_leaves_no_file(tmp_path):
    with pytest.raises(FloorError, match=r"report\.txt: cannot tell the figure format"):
        plot_report(REPORT, tmp_path / "report.txt")
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_plot():
    with pytest.raises(FloorError, match="no prediction is estimable"):
        prediction_figure({"predictions": [PREDICTION["predictions"][3]]})


def test_without_matplotlib_the_error_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(FloorError, match=r"pip install 'hallucination-floor\[plot\]'"):
        plot_report(REPORT, tmp_path / "report.png")
    assert list(tmp_path.iterdir()) == []


def test_prediction_figure_leaves_out_a_scale_whose_primary_row_is_not_reliable():
    rows = [dict(row, primary=row["method"] in ("rarefaction", "npmle") and row["scale"] <= 2.0)
            for row in PREDICTION["predictions"]]
    rows.insert(3, {"category": "birth_date", "domain": None, "scale": 10.0, "method": "far", "primary": True,
                    "singleton_rate": None, "ci_low": None, "ci_high": None})
    (line,) = prediction_figure({"predictions": rows}).axes[0].get_lines()
    assert list(line.get_xdata()) == [0.5, 2.0]  # not the npmle at 10x in the far row's place
