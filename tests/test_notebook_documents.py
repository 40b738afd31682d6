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
