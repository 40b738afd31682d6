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
    assert [t.get_text() for t in ax.get_yticklabels()] == ["birth date", "birth place / wiki"]
    # the interval bars run from ci_low to ci_high
    bars = ax.collections[0].get_segments()
    assert sorted((round(s[0][0], 9), round(s[1][0], 9)) for s in bars) == [(0.18, 0.23), (0.35, 0.44)]
    floors = ax.collections[-1].get_offsets()
    assert [tuple(map(float, p)) for p in floors] == [(0.05, 1.0)]  # only the group with a floor, at its row


def _drawn(ax):
    """The prediction figure's segments (x pair, y pair, line style), its predicted points and its measured
    points, by colour."""
    segments, points, measured = [], [], []
    for line in ax.get_lines():
        xs, ys = list(line.get_xdata()), list(line.get_ydata())
        if not xs:
            continue  # a legend entry
        if line.get_marker() == "D":
            measured.append((xs, ys))
        elif line.get_marker() == "o":
            points.append((xs, ys))
        else:
            segments.append((xs, ys, line.get_linestyle()))
    return segments, points, measured


def test_prediction_figure_plots_the_primary_method_per_scale():
    ax = prediction_figure(PREDICTION).axes[0]
    segments, points, measured = _drawn(ax)
    # the first estimable row at each scale: rarefaction at 0.5, npmle at 2 (not chao_jost), npmle at 10
    assert points == [([0.5, 2.0, 10.0], [0.3, 0.15, 0.07])]
    # npmle beyond 2x lies beyond where it was checked: dashed
    assert segments == [([0.5, 2.0], [0.3, 0.15], "-"), ([2.0, 10.0], [0.15, 0.07], "--")]
    assert measured == []
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "birth date: rarefaction, npmle"


def test_prediction_figure_passes_through_the_measured_point_and_names_each_method():
    far = {"category": "birth_date", "domain": None, "scale": 10.0, "method": "pitman_yor", "primary": True,
           "singleton_rate": 0.08, "ci_low": 0.06, "ci_high": 0.1,
           "backtest": [{"method": "pitman_yor", "chosen": True, "scale_tested": 10.0, "verdict": "holds"},
                        {"method": "engen", "chosen": False, "scale_tested": 10.0, "verdict": "holds"}]}
    untested = dict(far, category="birth_place", backtest=[dict(far["backtest"][0], scale_tested=5.0)])
    unreliable = dict(far, category="death_year", method="far", singleton_rate=None, ci_low=None, ci_high=None)
    rows = [dict(r, primary=r["method"] in ("rarefaction", "npmle") and r["scale"] <= 2.0)
            for r in PREDICTION["predictions"] if r["scale"] <= 2.0]
    rows += [far, dict(rows[0], category="birth_place"), untested,
             dict(rows[0], category="death_year"), unreliable]
    observed = [{"category": c, "domain": None, "singleton_rate": 0.2} for c in ("birth_date", "birth_place",
                                                                                  "death_year")]
    ax = prediction_figure({"predictions": rows, "observed": observed}).axes[0]
    segments, points, measured = _drawn(ax)
    assert measured == [([1.0], [0.2])] * 3
    assert segments[:3] == [([0.5, 1.0], [0.3, 0.2], "-"), ([1.0, 2.0], [0.2, 0.15], "-"),
                            ([2.0, 10.0], [0.15, 0.08], "-")]  # the backtest held at 10x: solid
    assert ([1.0, 10.0], [0.2, 0.08], "--") in segments  # birth_place's backtest held at 5x only: dashed to 10x
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["birth date: rarefaction, npmle, Pitman–Yor", "birth place: rarefaction, Pitman–Yor",
                          "death year: rarefaction; not reliable at 10x"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.5x", "1x", "2x", "10x"]


def test_ticks_never_crowd_each_other():
    from floor.report.plot import _ticks

    assert _ticks([0.5, 0.55, 1.0, 1.1, 2.0, 2.2, 10.0, 100.0]) == [0.5, 1.0, 2.0, 10.0, 100.0]


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
    _, points, _ = _drawn(prediction_figure({"predictions": rows}).axes[0])
    assert points == [([0.5, 2.0], [0.3, 0.15])]  # not the npmle at 10x in the far row's place


def test_dpi_sizes_a_raster_figure(tmp_path):
    import struct

    def width(path):
        return struct.unpack(">I", path.read_bytes()[16:20])[0]  # the PNG header's IHDR width

    plot_report(REPORT, tmp_path / "low.png", dpi=50)
    plot_report(REPORT, tmp_path / "high.png", dpi=200)
    assert 3.8 < width(tmp_path / "high.png") / width(tmp_path / "low.png") < 4.2


def test_dpi_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from floor.cli import main

    profile = tmp_path / "p.tsv"
    profile.write_text("category\tk\tf_k\nbirth_year\t1\t80\nbirth_year\t2\t30\nbirth_year\t3\t10\n")
    runner = CliRunner()
    ok = runner.invoke(main, ["estimate", "--profile", str(profile), "--plot", str(tmp_path / "f.png"), "--dpi", "60"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(main, ["estimate", "--profile", str(profile), "--dpi", "60"])
    assert bad.exit_code == 2 and "--dpi is for the figure: give --plot PATH too" in bad.output
