"""What floor returns in a notebook: the JSON document itself, shown as a table, with its rows as a data frame."""

from __future__ import annotations

import json

import pytest

import floor
from floor.profile import Profile
from floor.report import format_table

PROFILES = {"birth_year": Profile.from_mapping({1: 30, 2: 12, 5: 4}), "death_place": Profile.from_mapping({1: 9})}


def test_a_report_is_its_json_document():
    report = floor.estimate(PROFILES)
    assert isinstance(report, floor.Report) and isinstance(report, dict)
    assert report["schema"] == "floor.report/1"
    assert json.loads(report.to_json()) == report.to_dict() == json.loads(json.dumps(report))
    assert type(report.to_dict()) is dict


def test_a_report_shows_as_an_html_table_with_its_notes():
    report = floor.estimate(PROFILES)
    page = report._repr_html_()
    assert page.startswith("<table>") and page.count("<tr>") == 1 + len(report["groups"])
    assert '<td style="text-align: left">birth_year</td>' in page
    assert "<li>death_place: too small to quote: the esty interval has no width" in page  # the notes come along
    assert page == format_table(report, "html")


def test_a_report_and_a_prediction_as_data_frames():
    pandas = pytest.importorskip("pandas")
    report = floor.estimate(PROFILES)
    frame = report.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["category"]) == ["birth_year", "death_place", "all"]  # one row per group
    assert frame.loc[0, "mentions"] == 30 + 24 + 20 and "theorem2.floor" in frame.columns
    prediction = floor.predict(PROFILES, [2], replicates=0)
    assert isinstance(prediction, floor.Prediction)
    rows = prediction.to_pandas()
    assert len(rows) == len(prediction["predictions"]) and set(rows["scale"]) == {2}
    assert prediction._repr_html_().startswith("<table>")


def test_the_scan_options_are_spelt_out_in_the_signatures():
    import inspect

    for function in (floor.run, floor.scan, floor.extract, floor.sample_mentions):
        parameters = inspect.signature(function).parameters
        assert {"text_field", "categories", "unit", "on_error", "domain_from", "dedup"} <= set(parameters), function
        assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    assert inspect.signature(floor.run).parameters["unit"].default == "document"
    assert inspect.signature(floor.run).return_annotation in (floor.Report, "Report")


def test_a_jupyter_kernel_is_told_apart(monkeypatch):
    import sys
    import types

    from floor import progress

    assert not progress.in_notebook()
    kernel = type("ZMQInteractiveShell", (), {})()
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: kernel))
    assert progress.in_notebook()
    terminal = type("TerminalInteractiveShell", (), {})()
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: terminal))
    assert not progress.in_notebook()


def test_progress_shows_in_a_notebook_unless_silenced(tmp_path, monkeypatch, capsys):
    from floor import progress

    data = tmp_path / "a.jsonl"
    data.write_text(json.dumps({"id": "a", "text": "Jane Doe was born in Cork in 1902."}) + "\n")
    floor.run([str(data)], workers=1)
    assert capsys.readouterr().err == ""  # outside a notebook the API prints nothing
    monkeypatch.setattr(progress, "in_notebook", lambda: True)
    floor.run([str(data)], workers=1)
    assert capsys.readouterr().err.startswith("floor: scanned")  # the notebook bar sink's closing line
    floor.run([str(data)], workers=1, progress=False)
    assert capsys.readouterr().err == ""
    with progress.use(progress.LogSink(every=3600)):  # the command line's sink stands
        floor.run([str(data)], workers=1)
    assert capsys.readouterr().err == ""  # a run shorter than its period prints nothing


def test_notebook_bars_are_tqdms_auto_ones(monkeypatch):
    import io

    import tqdm.auto
    import tqdm.std

    from floor import progress

    made = []

    class Recorded(tqdm.std.tqdm):
        def __init__(self, *args, **kwargs):
            made.append(kwargs.get("desc"))
            super().__init__(*args, **{**kwargs, "file": io.StringIO()})

    monkeypatch.setattr(tqdm.auto, "tqdm", Recorded)
    sink = progress.BarSink(io.StringIO(), notebook=True)
    snap = progress.Snapshot((progress.InputProgress("a.jsonl", 100, 50, 1, 0, progress.RUNNING),), 1.0)
    sink.update(snap)
    sink.close(snap, True)
    assert made == ["total", "a.jsonl"]
